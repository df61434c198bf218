//! Durable storage of results, the attempt in progress, settings, and
//! workshop sessions with their anonymous results.
//!
//! One SQLite file, [`ResultsStore`]. By concern:
//! - `schema`: application id, migrations, whether a file is ours;
//! - `results_store`: opening, single-user results, progress, settings;
//! - `workshop_store`: workshop sessions, their results and peer rounds;
//! - `layout`: keeping the order of workshop turns out of the file's layout;
//! - `import_store`: sessions and results merged from another kiosk's export;
//! - `phone_store`: phones in a workshop: join secrets, answers in progress;
//! - `plan_store`: the session plan a session was created from;
//! - `error`: [`StoreError`].

mod error;
mod import_store;
mod layout;
mod phone_store;
mod plan_store;
mod results_store;
mod schema;
mod workshop_store;

pub use error::StoreError;
pub use phone_store::{PhoneAccess, PhoneCounts, PhoneParticipant, PhoneStage};
pub use results_store::{
    Compaction, InProgress, NewResult, ResultRows, ResultsStore, StoredResult,
};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
// The time helpers moved to `crate::records`; callers still find them here.
pub use crate::records::{civil_date, format_utc, now_unix};
pub use uuid::Uuid;
