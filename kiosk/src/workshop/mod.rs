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
pub mod export;
pub mod import;
mod participant_result;
mod peer_round;
pub mod pin;
mod session;
pub mod summary;
pub mod take_home;

pub use aggregate::{session_aggregates, GroupFigures, RubricAggregate, SessionAggregates};
pub use participant_result::{NewWorkshopResult, ResultId, WorkshopResult};
pub use peer_round::{PeerRoundError, PeerRoundOutcome, AGREEMENT, MAX_PEERS};
pub use pin::{FacilitatorPin, PinError};
pub use session::{
    Session, SessionConfig, SessionConfigError, SessionDate, SessionId, ValidSessionConfig,
    DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR,
};
