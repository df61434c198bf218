//! The records that the store writes and the workshop reads: sessions,
//! workshop results, peer-round outcomes, and the time helpers their dates
//! come from. Plain data with its own invariants, depending on nothing else
//! in the kiosk, so that storage ([`crate::store`]) and workflow
//! ([`crate::workshop`]) both build on it and never import each other.

mod import_origin;
mod peer_round;
mod session;
mod time;
mod workshop_result;

pub use import_origin::{short_kiosk_id, ImportOrigin, KIOSK_ID_SETTING};
pub use peer_round::{PeerRoundError, PeerRoundOutcome, AGREEMENT, MAX_PEERS};
pub use session::{
    Session, SessionConfig, SessionConfigError, SessionDate, SessionId, ValidSessionConfig,
    DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR,
};
pub use time::{civil_date, format_utc, now_unix};
pub use workshop_result::{NewWorkshopResult, ResultId, WorkshopResult};
