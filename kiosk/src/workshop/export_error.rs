//! What can go wrong writing an export, shared by [`super::export`] and
//! the checked writer it uses.

use std::io;
use std::path::PathBuf;

use crate::records::ResultId;
use crate::store::StoreError;

/// Why an export failed. Nothing is left under the target name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored result whose report cannot be read.
    #[error("the stored result {id} cannot be exported: its report is unreadable: {source}")]
    BadResult {
        /// The result.
        id: ResultId,
        /// What is wrong.
        source: serde_json::Error,
    },
    /// Encoding the JSON file failed.
    #[error("cannot encode the export: {0}")]
    EncodeJson(#[source] serde_json::Error),
    /// Encoding the CSV file failed.
    #[error("cannot encode the export: {0}")]
    EncodeCsv(#[source] csv::Error),
    /// Writing, syncing or renaming failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file read back is not what was meant to be written.
    #[error("{} was not written correctly (read back: {reason}); it was removed", path.display())]
    ReadBack {
        /// The file.
        path: PathBuf,
        /// What differed.
        reason: ReadBackProblem,
    },
}

/// Why a file read back after writing is not what was meant to be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadBackProblem {
    /// The bytes on disk are not the bytes written.
    #[error("the bytes on disk differ from those written")]
    BytesDiffer,
    /// Another number of rows than written.
    #[error("{found} rows instead of {expected}")]
    RowCount {
        /// Rows read back.
        found: usize,
        /// Rows written.
        expected: usize,
    },
    /// A row with another result id than written.
    #[error("row {row} has id {found} instead of {expected}")]
    WrongId {
        /// The row, from 1.
        row: usize,
        /// The id read back.
        found: String,
        /// The id written.
        expected: String,
    },
    /// The CSV has no `result_id` column.
    #[error("no result_id column")]
    NoIdColumn,
    /// The CSV read back does not parse.
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// The JSON read back does not parse.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A page that does not end as written.
    #[error("the page is incomplete")]
    IncompletePage,
}
