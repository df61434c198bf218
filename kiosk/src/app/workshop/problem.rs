//! What went wrong in a workshop step, shown in a banner until the next step.

use crate::attempt::SaveError;
use crate::serve::ServeError;
use crate::store::StoreError;
use crate::workshop::PeerRoundError;

/// What went wrong in a workshop step. Each variant says it in words for
/// the person at the kiosk.
#[derive(Debug, thiserror::Error)]
pub enum WorkshopProblem {
    /// The session could not be read or changed.
    #[error("{0}")]
    Session(StoreError),
    /// A step that needs an open session, without one.
    #[error("Choose or create an open session first.")]
    NoOpenSession,
    /// The participant's result was not saved.
    #[error(
        "Your result could not be saved: {0}. Press Finish to try again, or ask the facilitator."
    )]
    ResultNotSaved(SaveError),
    /// The peers' picks do not make an outcome.
    #[error("{0}")]
    PeerRound(PeerRoundError),
    /// The peer round's outcome was not saved.
    #[error("The peer round could not be saved: {0}")]
    PeerRoundNotSaved(StoreError),
    /// The phone server did not start.
    #[error("Phones cannot join: {0}")]
    PhonesNotStarted(ServeError),
    /// Joining could not be opened or closed.
    #[error("{0}")]
    PhoneJoining(StoreError),
}
