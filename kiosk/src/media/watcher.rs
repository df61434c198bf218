//! The background thread that watches for drives. It polls the mount list
//! about once a second (on its own thread: the UI draws nothing while idle),
//! looks at each drive on a thread of its own (in `reader`), rescans
//! a drive only when its listing changed, and sends a [`Snapshot`] plus a
//! wake-up call whenever what it sees changed. A drive that does not
//! answer in time shows as not answering; the others are seen as usual.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::drive::{Drive, Snapshot};
use super::mounts::system_roots;
use super::reader::{DriveReader, FileSystem, Listing, Look, Running, ANSWER_WITHIN};
use super::scan::ScanLimits;

/// What to watch.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// Folders watched as drives whatever the system says.
    pub roots: Vec<PathBuf>,
    /// Also watch the removable drives the system mounts.
    pub system: bool,
    /// Time between looks.
    pub interval: Duration,
    /// How long a drive's look may take before it shows as not answering.
    pub answer_within: Duration,
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
            answer_within: ANSWER_WITHIN,
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

/// How often finished looks are collected.
const TICK: Duration = Duration::from_millis(50);

impl Watcher {
    /// Starts the thread. `notify` is called after each new snapshot is
    /// sent (the app passes `ctx.request_repaint`).
    pub fn spawn(config: WatchConfig, notify: Box<dyn Fn() + Send>) -> std::io::Result<Self> {
        Self::spawn_with(config, Arc::new(FileSystem), notify)
    }

    /// [`Watcher::spawn`], reading drives through `reader` (tests stand in
    /// a drive that never answers).
    pub fn spawn_with(
        config: WatchConfig,
        reader: Arc<dyn DriveReader>,
        notify: Box<dyn Fn() + Send>,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("media-watcher".into())
            .spawn(move || {
                let mut drives = Drives::default();
                let mut sent: Option<Snapshot> = None;
                let mut next_look = Instant::now();
                while !stopped.load(Ordering::Relaxed) {
                    if Instant::now() >= next_look {
                        next_look = Instant::now() + config.interval;
                        drives.start_looks(&config, &reader);
                    }
                    drives.collect();
                    let snapshot = drives.snapshot(config.answer_within);
                    if sent.as_ref() != Some(&snapshot) {
                        if tx.send(snapshot.clone()).is_err() {
                            return;
                        }
                        notify();
                        sent = Some(snapshot);
                    }
                    std::thread::sleep(TICK.min(config.interval));
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

/// One drive as the watcher knows it.
#[derive(Debug, Default)]
struct Slot {
    /// The last finished look that found it.
    known: Option<(Listing, Drive)>,
    /// The look in progress, if any: never more than one per drive.
    running: Option<Running>,
}

/// Every drive the watcher knows, in the order of the roots.
#[derive(Debug, Default)]
struct Drives {
    roots: Vec<PathBuf>,
    slots: Vec<(PathBuf, Slot)>,
}

impl Drives {
    /// Starts a look at every root that has none running.
    fn start_looks(&mut self, config: &WatchConfig, reader: &Arc<dyn DriveReader>) {
        let mut roots = config.roots.clone();
        if config.system {
            for root in system_roots() {
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
        }
        // A drive no longer listed is forgotten, unless its look still
        // hangs: that look is kept so none other starts beside it.
        self.slots
            .retain(|(root, slot)| roots.contains(root) || slot.running.is_some());
        for root in &roots {
            if !self.slots.iter().any(|(r, _)| r == root) {
                self.slots.push((root.clone(), Slot::default()));
            }
        }
        for (root, slot) in &mut self.slots {
            if slot.running.is_some() || !roots.contains(root) {
                continue;
            }
            let known = slot.known.as_ref().map(|(list, _)| list.clone());
            match Running::start(reader, root, config.limits, known) {
                Ok(running) => slot.running = Some(running),
                Err(e) => log::warn!("cannot look at {}: {e}", root.display()),
            }
        }
        self.roots = roots;
    }

    /// Takes in the looks that finished.
    fn collect(&mut self) {
        for (_, slot) in &mut self.slots {
            let Some(running) = &slot.running else {
                continue;
            };
            if let Some(look) = running.finished() {
                slot.running = None;
                match look {
                    Look::Gone => slot.known = None,
                    Look::Unchanged => {}
                    Look::Scanned(list, drive) => slot.known = Some((list, drive)),
                }
            }
        }
    }

    /// What is known now: each listed drive as last seen, or as not
    /// answering if its look has taken longer than `answer_within`.
    fn snapshot(&self, answer_within: Duration) -> Snapshot {
        let mut drives = Vec::new();
        for root in &self.roots {
            let Some((_, slot)) = self.slots.iter().find(|(r, _)| r == root) else {
                continue;
            };
            let late = slot
                .running
                .as_ref()
                .is_some_and(|r| r.elapsed() > answer_within);
            if late {
                drives.push(Drive::not_answering(root.clone(), answer_within));
            } else if let Some((_, drive)) = &slot.known {
                drives.push(drive.clone());
            }
        }
        Snapshot { drives }
    }
}
