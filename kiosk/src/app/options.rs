//! What the command line asks of the app.

use std::path::PathBuf;

/// Options from the command line.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Close the window after the first frame is drawn (smoke test).
    pub exit_after_first_frame: bool,
    /// Start in workshop mode (`--kiosk`).
    pub kiosk: bool,
    /// Where the phone server listens (`--listen`; default all addresses, port 8080).
    pub listen: Option<std::net::SocketAddr>,
    /// Folders watched as USB drives (`--media-root`, `RUBRIC_KIOSK_MEDIA`).
    pub media_roots: Vec<PathBuf>,
    /// Also watch the removable drives the system mounts (off in tests).
    pub watch_system_drives: bool,
    /// Open the step timer check (`--step-timer-check`): the facilitator
    /// view of a fresh session with its plan's step timer running.
    pub step_timer_check: bool,
}
