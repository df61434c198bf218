//! What the measuring flags (`--idle-report`, `--step-timer-check`) count
//! and say.

use std::sync::atomic::{AtomicBool, AtomicU64};

/// Frames drawn since start, for the idle check (`--idle-report`).
pub static FRAMES: AtomicU64 = AtomicU64::new(0);

/// Set once the idle check has its figure: the window may then close even
/// in workshop mode, which otherwise refuses (a participant must not close
/// the kiosk), as the step timer check's is.
pub static MEASURED: AtomicBool = AtomicBool::new(false);
