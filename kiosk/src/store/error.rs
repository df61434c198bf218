//! [`StoreError`]: why the store cannot do what was asked, in words meant
//! for the person at the kiosk.

use std::path::PathBuf;

use crate::records::SessionId;

/// Why the store cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another program holds the database.
    #[error("the results database {0} is locked by another program; close it and try again")]
    Locked(PathBuf),
    /// The file or folder cannot be written.
    #[error("the results database {0} is read-only; results cannot be saved there")]
    ReadOnly(PathBuf),
    /// The file is damaged or not a database.
    #[error("the results database {0} is damaged or is not a Rubric Kiosk database; it was left untouched (move it aside to start afresh)")]
    Corrupt(PathBuf),
    /// Written by a newer version of the app.
    #[error("the results database {path} was written by a newer Rubric Kiosk (schema {found}, this one knows {known}); it was left untouched")]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// The file belongs to another program (its SQLite application id says so).
    #[error("the file {path} belongs to another program (SQLite application id {application_id:#010x}), not to Rubric Kiosk; it was left untouched (choose another data folder)")]
    OtherProgram {
        /// The file.
        path: PathBuf,
        /// Its application id.
        application_id: i32,
    },
    /// An SQLite file without an application id whose tables are not ours.
    #[error("the file {0} is a database of another program (its tables are not Rubric Kiosk's); it was left untouched (choose another data folder)")]
    UnknownTables(PathBuf),
    /// A schema version no release ever wrote (negative, or missing with tables present).
    #[error("the results database {path} records a schema version ({found}) that no Rubric Kiosk writes; it was left untouched (move it aside to start afresh)")]
    BadVersion {
        /// The file.
        path: PathBuf,
        /// The version it records.
        found: i64,
    },
    /// The disk is full.
    #[error("the disk holding {0} is full; the result was not saved")]
    Full(PathBuf),
    /// The data folder cannot be created.
    #[error("cannot create the data folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Anything else SQLite reports.
    #[error("the results database {path} failed: {source}")]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// No workshop session has this id.
    #[error("there is no workshop session {0}")]
    NoSuchSession(SessionId),
    /// The session is closed: it takes no more results.
    #[error("the workshop session {0} is closed; it takes no more results")]
    SessionClosed(SessionId),
    /// The rubric is not one the session's participants take.
    #[error("the rubric {rubric} is not part of the workshop session {session}")]
    RubricNotInSession {
        /// The session.
        session: SessionId,
        /// The rubric id.
        rubric: String,
    },
    /// A stored workshop record (session, result or peer round) that cannot be read back.
    #[error("the stored {table} record {key} cannot be read: {reason}")]
    BadRecord {
        /// The table it is in.
        table: &'static str,
        /// Its uuid, as stored.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A stored row that cannot be read back.
    #[error("stored result number {} cannot be read: {reason}", id.map_or("?".to_string(), |id| id.to_string()))]
    BadRow {
        /// Its row id, if even that is readable.
        id: Option<i64>,
        /// What is wrong with it.
        reason: String,
    },
}
