//! Watching the author's files: a change wakes the preview once the writes
//! have settled, and nothing else ever does (no timer, no polling), so an
//! idle preview draws no frames.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::source::{is_watched, watch_root};

/// How long the files must be quiet before a reload: an editor's save is
/// often several writes (a temporary file, a rename, a permissions change).
pub const SETTLE: Duration = Duration::from_millis(100);

/// A running watch on the preview's path.
pub struct SourceWatcher {
    // Kept so the watch lasts as long as the preview.
    _watcher: RecommendedWatcher,
    settled: Receiver<()>,
}

impl std::fmt::Debug for SourceWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceWatcher").finish_non_exhaustive()
    }
}

impl SourceWatcher {
    /// Watches `path` (a file or a folder); `wake` is called from the
    /// watching thread after each settled change.
    pub fn spawn(path: &Path, wake: Box<dyn Fn() + Send>) -> notify::Result<Self> {
        let (raw_tx, raw_rx) = mpsc::channel::<()>();
        let target: PathBuf = path.to_path_buf();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // A watch error (the folder went away) is also worth a reload:
                // the preview then says what it finds.
                // Reading a file is an event too (the preview's own reload
                // reads it): only what changes a file counts.
                let relevant = match &event {
                    Ok(event) => {
                        !matches!(event.kind, EventKind::Access(_))
                            && event.paths.iter().any(|p| is_watched(&target, p))
                    }
                    Err(_) => true,
                };
                if relevant {
                    let _ = raw_tx.send(());
                }
            })?;
        watcher.watch(&watch_root(path), RecursiveMode::NonRecursive)?;
        let (settled_tx, settled) = mpsc::channel();
        thread::Builder::new()
            .name("preview-watch".into())
            .spawn(move || {
                // Blocks until a change, then waits for a quiet moment.
                while raw_rx.recv().is_ok() {
                    loop {
                        match raw_rx.recv_timeout(SETTLE) {
                            Ok(()) => continue,
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    if settled_tx.send(()).is_err() {
                        return;
                    }
                    wake();
                }
            })
            .map_err(notify::Error::io)?;
        Ok(SourceWatcher {
            _watcher: watcher,
            settled,
        })
    }

    /// True when the files changed since the last call.
    pub fn changed(&self) -> bool {
        let mut changed = false;
        while self.settled.try_recv().is_ok() {
            changed = true;
        }
        changed
    }
}
