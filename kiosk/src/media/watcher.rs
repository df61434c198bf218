//! The background thread that watches for drives. It polls the mount list
//! about once a second (on its own thread: the UI draws nothing while idle),
//! rescans a drive only when its listing changed, and sends a [`Snapshot`]
//! plus a wake-up call whenever what it sees changed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::scan::{scan_drive, ScanLimits};
use super::{mounts, Drive, Snapshot, BUNDLE_FOLDER};

/// What to watch.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// Folders watched as drives whatever the system says.
    pub roots: Vec<PathBuf>,
    /// Also watch the removable drives the system mounts.
    pub system: bool,
    /// Time between looks.
    pub interval: Duration,
    /// Bounds of each drive's scan.
    pub limits: ScanLimits,
}

impl WatchConfig {
    /// The system's drives plus `roots`, looked at every second.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        WatchConfig {
            roots,
            system: true,
            interval: Duration::from_secs(1),
            limits: ScanLimits::default(),
        }
    }
}

/// The watcher, as the UI holds it. Dropping it stops the thread.
#[derive(Debug)]
pub struct Watcher {
    rx: Receiver<Snapshot>,
    latest: Option<Snapshot>,
    stop: Arc<AtomicBool>,
}

/// Names, sizes and times of the files a scan would look at: when these
/// are unchanged the drive is not read again.
type Listing = Vec<(PathBuf, u64, Option<SystemTime>)>;

fn listing(root: &Path, limits: &ScanLimits) -> Option<Listing> {
    let mut out = Vec::new();
    for folder in [root.join(BUNDLE_FOLDER), root.to_path_buf()] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            if folder == root {
                return None;
            }
            continue;
        };
        for entry in entries.flatten().take(limits.max_entries) {
            let meta = entry.metadata().ok();
            out.push((
                entry.path(),
                meta.as_ref().map_or(0, std::fs::Metadata::len),
                meta.and_then(|m| m.modified().ok()),
            ));
        }
    }
    out.sort();
    Some(out)
}

impl Watcher {
    /// Starts the thread. `notify` is called after each new snapshot is
    /// sent (the app passes `ctx.request_repaint`).
    pub fn spawn(config: WatchConfig, notify: Box<dyn Fn() + Send>) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("media-watcher".into())
            .spawn(move || {
                let mut known: Vec<(Listing, Drive)> = Vec::new();
                let mut sent: Option<Snapshot> = None;
                while !stopped.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let snapshot = look(&config, &mut known);
                    if sent.as_ref() != Some(&snapshot) {
                        if tx.send(snapshot.clone()).is_err() {
                            return;
                        }
                        notify();
                        sent = Some(snapshot);
                    }
                    // Sleep in short steps so a dropped watcher stops soon.
                    while started.elapsed() < config.interval && !stopped.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(50).min(config.interval));
                    }
                }
            })?;
        Ok(Watcher {
            rx,
            latest: None,
            stop,
        })
    }

    /// Takes in what the thread sent; true if the snapshot changed.
    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        while let Ok(snapshot) = self.rx.try_recv() {
            self.latest = Some(snapshot);
            changed = true;
        }
        changed
    }

    /// The newest snapshot, or `None` before the first look finished.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.latest.as_ref()
    }

    /// Waits up to `timeout` for a snapshot for which `want` holds (tests
    /// and the command line; the UI uses [`Watcher::poll`]).
    pub fn wait_for(&mut self, timeout: Duration, want: impl Fn(&Snapshot) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.latest.as_ref().is_some_and(&want) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(snapshot) => self.latest = Some(snapshot),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Not joined: a thread stuck on a slow drive must not hold up the app.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One look at every root: unchanged drives are reused, changed ones rescanned.
fn look(config: &WatchConfig, known: &mut Vec<(Listing, Drive)>) -> Snapshot {
    let mut roots = config.roots.clone();
    if config.system {
        for root in mounts::system_roots() {
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
    let mut next = Vec::new();
    let mut drives = Vec::new();
    for root in roots {
        let Some(list) = listing(&root, &config.limits) else {
            continue;
        };
        let drive = match known.iter().find(|(l, d)| d.root == root && *l == list) {
            Some((_, drive)) => drive.clone(),
            None => scan_drive(&root, &config.limits),
        };
        // A drive pulled out during its scan is not shown.
        if drive.note.is_some() && !root.is_dir() {
            continue;
        }
        drives.push(drive.clone());
        next.push((list, drive));
    }
    *known = next;
    Snapshot { drives }
}
