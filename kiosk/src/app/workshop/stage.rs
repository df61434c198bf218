//! Which workshop screen shows.

use super::facilitator_ui::FacilitatorState;
use super::peer_round_ui::PeerRoundState;
use super::pin_ui::PinState;
use super::session_setup_ui::SetupState;

/// Which workshop screen shows.
#[derive(Debug)]
pub enum Stage {
    /// "Tap or press any key to start".
    Welcome,
    /// An optional alias, before the first rubric.
    Alias(String),
    /// Answering the participant's current rubric.
    Answer,
    /// The participant's own result of the rubric just finished.
    OwnResult,
    /// The session does not show results: a thank-you and "Finish".
    Thanks,
    /// Peers pick the strongest argument against the participant's case.
    PeerRound(PeerRoundState),
    /// The facilitator PIN, set or checked.
    Pin(PinState),
    /// Creating or choosing a session.
    Setup(SetupState),
    /// The facilitator's view of the session.
    Facilitator(FacilitatorState),
}

impl Stage {
    /// Whether a participant is at the kiosk (the idle timeout applies).
    pub fn is_participant(&self) -> bool {
        match self {
            Stage::Alias(_)
            | Stage::Answer
            | Stage::OwnResult
            | Stage::Thanks
            | Stage::PeerRound(_) => true,
            Stage::Welcome | Stage::Pin(_) | Stage::Setup(_) | Stage::Facilitator(_) => false,
        }
    }
}
