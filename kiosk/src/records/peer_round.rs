//! The peer round: up to three peers each pick the dimension that is the
//! strongest argument against a participant's case. Only the outcome is
//! kept, never who picked what.

use std::collections::BTreeMap;

/// Most peers a round takes.
pub const MAX_PEERS: usize = 3;

/// Picks that agree on one dimension before it is named the development area.
pub const AGREEMENT: usize = 2;

/// What a peer round concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerRoundOutcome {
    /// At least [`AGREEMENT`] peers picked this dimension (its id).
    DevelopmentArea(String),
    /// No dimension got [`AGREEMENT`] picks: how many picks each got, by
    /// dimension id (sorted by id, so the order of the picks is not kept).
    Spread(BTreeMap<String, u8>),
}

/// Why peer picks cannot be turned into an outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeerRoundError {
    /// No picks at all.
    #[error("no peer has picked yet")]
    NoPicks,
    /// More picks than [`MAX_PEERS`].
    #[error("a peer round takes at most {MAX_PEERS} peers ({0} picked)")]
    TooManyPicks(usize),
}

impl PeerRoundOutcome {
    /// The outcome of the peers' picks (dimension ids, in any order).
    pub fn from_picks<S: AsRef<str>>(picks: &[S]) -> Result<Self, PeerRoundError> {
        if picks.is_empty() {
            return Err(PeerRoundError::NoPicks);
        }
        if picks.len() > MAX_PEERS {
            return Err(PeerRoundError::TooManyPicks(picks.len()));
        }
        let mut spread = BTreeMap::<String, u8>::new();
        for pick in picks {
            *spread.entry(pick.as_ref().to_string()).or_default() += 1;
        }
        match spread.iter().find(|(_, n)| usize::from(**n) >= AGREEMENT) {
            Some((id, _)) => Ok(PeerRoundOutcome::DevelopmentArea(id.clone())),
            None => Ok(PeerRoundOutcome::Spread(spread)),
        }
    }
}
