//! Durable storage of results, the attempt in progress and settings.

mod results_store;
mod time;

pub use results_store::{
    Compaction, InProgress, NewResult, ResultRows, ResultsStore, StoreError, StoredResult,
    APPLICATION_ID,
};
pub use time::{format_utc, now_unix};
