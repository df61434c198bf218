//! Workshop mode's data layer: sessions, participant results, group
//! aggregates, the facilitator PIN and peer rounds. No UI here.
//!
//! Anonymity is built into the types: group screens get a
//! [`SessionAggregates`], whose figures exist only once a rubric has at least
//! the session's minimum group of results (and the facilitator has revealed
//! them, when the session asks for that), and which never carries an answer
//! or an alias.
//!
//! ```no_run
//! use kiosk::store::ResultsStore;
//! use kiosk::workshop::{session_aggregates, SessionConfig, SessionDate};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let library = kiosk::library::shipped()?;
//! let store = ResultsStore::open_in(std::path::Path::new("data"))?;
//! let config = SessionConfig {
//!     name: "Offsite day 1".into(),
//!     rubric_ids: vec!["staff-readiness".into()],
//!     ..SessionConfig::default()
//! }
//! .validate(&library.bundle)?;
//! let session = store.create_session(&config, SessionDate::from_unix(kiosk::store::now_unix()))?;
//! let group = session_aggregates(&store, &session, &library.bundle)?;
//! println!("{} participants", group.participants);
//! # Ok(()) }
//! ```

pub mod aggregate;
mod checked_write;
pub mod export;
mod export_error;
mod export_file;
pub mod import;
mod participant_result;
pub mod pin;
pub mod release;
pub mod summary;
pub mod take_home;

pub use aggregate::{
    session_aggregates, session_aggregates_in_steps, GroupFigures, RubricAggregate,
    SessionAggregates,
};
pub use pin::{FacilitatorPin, PinError};
pub use release::ShownFigures;
// The records live in `crate::records` (the store writes them too); they are
// re-exported here because workshop code and its callers name them often.
pub use crate::records::{
    NewWorkshopResult, PeerRoundError, PeerRoundOutcome, ResultId, Session, SessionConfig,
    SessionConfigError, SessionDate, SessionId, ValidSessionConfig, WorkshopResult, AGREEMENT,
    DEFAULT_MIN_GROUP, MAX_PEERS, MIN_GROUP_FLOOR,
};
