//! Looking at drives without waiting on them: each drive's look runs on a
//! thread of its own, and whoever asked waits only until a deadline. A
//! drive whose reads hang (a dying stick, a network mount) is then reported
//! as not answering while the others are seen as usual; its thread is left
//! to finish, and no second look at that drive starts while it hangs.
//!
//! What touches a drive is behind [`DriveReader`], so tests can stand in a
//! drive that never answers.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::drive::{Drive, DriveNote};
use super::scan::{folders, scan_drive, ScanLimits};

/// How long a drive's look may take before the drive is reported as not
/// answering. Reading the most a scan reads (32 MiB) from a slow stick
/// takes a few seconds.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(8);

/// Names, sizes and times of the files a scan would look at: when these
/// are unchanged the drive is not read again.
pub type Listing = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// Everything that touches a drive.
pub trait DriveReader: Send + Sync {
    /// The listing of the drive at `root`, or `None` if it is not there.
    fn listing(&self, root: &Path, limits: &ScanLimits) -> Option<Listing>;
    /// Scans the drive at `root`.
    fn scan(&self, root: &Path, limits: &ScanLimits) -> Drive;
}

/// The real drives, through the file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl DriveReader for FileSystem {
    fn listing(&self, root: &Path, limits: &ScanLimits) -> Option<Listing> {
        let mut out = Vec::new();
        for folder in folders(root).0 {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                if folder == root {
                    return None;
                }
                continue;
            };
            for entry in entries.flatten().take(limits.max_entries) {
                // The entry's own metadata: a link is not followed.
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

    fn scan(&self, root: &Path, limits: &ScanLimits) -> Drive {
        scan_drive(root, limits)
    }
}

/// What one look at a drive found.
#[derive(Debug)]
pub(crate) enum Look {
    /// The drive is not there (or went away during the scan).
    Gone,
    /// Its listing is the one given: nothing to read again.
    Unchanged,
    /// It was scanned.
    Scanned(Listing, Drive),
}

/// One look: the listing, and a scan if it differs from `known`.
fn look(
    reader: &dyn DriveReader,
    root: &Path,
    limits: &ScanLimits,
    known: Option<&Listing>,
) -> Look {
    let Some(list) = reader.listing(root, limits) else {
        return Look::Gone;
    };
    if known == Some(&list) {
        return Look::Unchanged;
    }
    let drive = reader.scan(root, limits);
    // A drive pulled out during its scan is not shown.
    if drive.note.is_some() && reader.listing(root, limits).is_none() {
        return Look::Gone;
    }
    Look::Scanned(list, drive)
}

/// A look running on its own thread.
#[derive(Debug)]
pub(crate) struct Running {
    started: Instant,
    rx: Receiver<Look>,
}

impl Running {
    /// Starts a look at `root` on a new thread.
    pub(crate) fn start(
        reader: &Arc<dyn DriveReader>,
        root: &Path,
        limits: ScanLimits,
        known: Option<Listing>,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let reader = Arc::clone(reader);
        let root = root.to_path_buf();
        std::thread::Builder::new()
            .name("media-drive".into())
            .spawn(move || {
                // Nobody may be waiting any more; that is fine.
                let _ = tx.send(look(reader.as_ref(), &root, &limits, known.as_ref()));
            })?;
        Ok(Running {
            started: Instant::now(),
            rx,
        })
    }

    /// What it found, if it finished (without waiting).
    pub(crate) fn finished(&self) -> Option<Look> {
        match self.rx.try_recv() {
            Ok(look) => Some(look),
            Err(TryRecvError::Empty) => None,
            // The thread ended without an answer (it panicked): as if gone.
            Err(TryRecvError::Disconnected) => Some(Look::Gone),
        }
    }

    /// How long it has been going.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Waits until `deadline` at most.
    fn wait_until(&self, deadline: Instant) -> Option<Look> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(look) => Some(look),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Look::Gone),
        }
    }
}

/// Scans every root at once, each on its own thread, waiting at most
/// `within` in all: roots that are not there are left out, and a drive
/// that has not answered by then is listed as not answering (its thread is
/// left behind; the command line exits soon after).
pub fn scan_roots(
    reader: &Arc<dyn DriveReader>,
    roots: &[PathBuf],
    limits: &ScanLimits,
    within: Duration,
) -> Vec<Drive> {
    let deadline = Instant::now() + within;
    let running: Vec<(&PathBuf, std::io::Result<Running>)> = roots
        .iter()
        .map(|root| (root, Running::start(reader, root, *limits, None)))
        .collect();
    let mut drives = Vec::new();
    for (root, run) in running {
        let look = match run {
            Ok(run) => run.wait_until(deadline),
            // Not read here instead: it might hang.
            Err(e) => Some(Look::Scanned(
                Vec::new(),
                Drive {
                    note: Some(DriveNote::Unreadable(format!(
                        "no thread could be started to read it ({e})"
                    ))),
                    ..Drive::empty(root.clone())
                },
            )),
        };
        match look {
            None => drives.push(Drive::not_answering(root.clone(), within)),
            Some(Look::Scanned(_, drive)) => drives.push(drive),
            Some(Look::Gone | Look::Unchanged) => {}
        }
    }
    drives
}
