//! The participant at the kiosk: in memory only, dropped at "Finish".

use std::path::PathBuf;

use crate::app::answer_ui::AnswerState;
use crate::attempt::Completed;
use crate::media::export::DriveWriteError;
use crate::workshop::{PeerRoundOutcome, ResultId};

/// The participant at the kiosk now; in memory only, dropped at "Finish".
#[derive(Debug)]
pub struct Participant {
    pub(super) alias: Option<String>,
    /// Index in the session's rubrics of the one being answered or shown.
    pub(super) rubric: usize,
    pub(super) answer: Option<AnswerState>,
    pub(super) last: Option<OwnResult>,
}

impl Participant {
    /// A participant starting the session's first rubric, with an alias if
    /// they typed one (blank is none).
    pub(super) fn new(alias: Option<String>) -> Self {
        let alias = alias
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        Participant {
            alias,
            rubric: 0,
            answer: None,
            last: None,
        }
    }
}

/// A result the participant just made, saved.
#[derive(Debug)]
pub(super) struct OwnResult {
    pub(super) completed: Completed,
    pub(super) id: ResultId,
    pub(super) peer_round: Option<PeerRoundOutcome>,
    /// The printable page saved to a drive (its file), or why not.
    pub(super) page: Option<Result<PathBuf, DriveWriteError>>,
}

/// A USB drive a participant can save their printable page to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDrive {
    /// Where it is mounted.
    pub root: PathBuf,
    /// Its name for people.
    pub name: String,
}
