//! SQLite results store: every completed result, the attempt in progress,
//! and settings. Readable with any SQLite client.
//!
//! Completed results are written in a transaction with `synchronous=FULL`, so
//! they are on disk before the app shows them. Problems (a locked, read-only
//! or damaged file) come back as [`StoreError`] with a message meant for the
//! person at the kiosk; the file is never replaced or truncated.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{
    params, Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use uuid::Uuid;

use super::error::StoreError;
use super::schema::{decide, read_header, run_migrations, Plan, APPLICATION_ID};

/// The file name inside the data folder.
pub const DB_FILE: &str = "results.sqlite3";

/// A result about to be stored.
#[derive(Debug, Clone)]
pub struct NewResult<'a> {
    /// Rubric id.
    pub rubric_id: &'a str,
    /// Rubric version.
    pub rubric_version: u16,
    /// SHA-256 of the bundle the rubric came from (hex).
    pub bundle_hash: &'a str,
    /// When it was completed (Unix seconds).
    pub completed_at: i64,
    /// Answers as JSON keyed by item id.
    pub answers_json: &'a str,
    /// The named result ([`rubrics::report::ResultReport`]) as JSON.
    pub report_json: &'a str,
    /// The engine's result, postcard-encoded.
    pub engine_result: &'a [u8],
}

/// A stored result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResult {
    /// Row id (local to this file).
    pub id: i64,
    /// Random id, the same in every copy of the result (exports, merges).
    pub uuid: Uuid,
    /// Rubric id.
    pub rubric_id: String,
    /// Rubric version.
    pub rubric_version: u16,
    /// Bundle hash.
    pub bundle_hash: String,
    /// Unix seconds.
    pub completed_at: i64,
    /// Answers JSON.
    pub answers_json: String,
    /// Named result JSON.
    pub report_json: String,
    /// Postcard engine result.
    pub engine_result: Vec<u8>,
}

/// The attempt in progress, saved after every answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InProgress {
    /// Rubric id.
    pub rubric_id: String,
    /// Bundle hash.
    pub bundle_hash: String,
    /// Answers JSON.
    pub answers_json: String,
    /// Index of the current item.
    pub cursor: usize,
    /// Unix seconds.
    pub updated_at: i64,
}

/// The store. One connection; all calls are short.
pub struct ResultsStore {
    pub(super) conn: Connection,
    path: PathBuf,
    /// Workshop data changed since the file was last rewritten in key
    /// order (see `layout`).
    pub(super) layout_stale: std::cell::Cell<bool>,
}

impl std::fmt::Debug for ResultsStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResultsStore({})", self.path.display())
    }
}

impl ResultsStore {
    /// Opens (creating if needed) the store in `folder`, and migrates it.
    pub fn open_in(folder: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
            path: folder.to_path_buf(),
            source,
        })?;
        Self::open(&folder.join(DB_FILE))
    }

    /// Opens (creating if needed) the database file, and migrates it.
    ///
    /// Nothing is written until the file is known to be ours and of a
    /// version this build understands: an existing file is first inspected
    /// through a read-only connection (which never checkpoints or converts
    /// it), and refused untouched if it is another program's, newer, or
    /// nonsensical.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            Self::inspect_read_only(path)?;
        }
        let conn = Connection::open(path).map_err(|e| classify(path, e))?;
        let store = ResultsStore {
            conn,
            path: path.to_path_buf(),
            layout_stale: std::cell::Cell::new(false),
        };
        store
            .conn
            .busy_timeout(Duration::from_secs(2))
            .map_err(|e| store.err(e))?;
        let plan = store.plan()?;
        store.configure()?;
        if let Plan::Upgrade { from } = plan {
            store.migrate()?;
            // A file with workshop tables may keep, in its layout, what the
            // migration moved and the order rows came in: rewrite it.
            if from >= 2 {
                store.layout_stale.set(true);
                store.rewrite_in_key_order();
            }
        }
        Ok(store)
    }

    /// Reads and judges an existing file without opening it for writing.
    fn inspect_read_only(path: &Path) -> Result<(), StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(Duration::from_secs(2))
            .map_err(|e| classify(path, e))?;
        match read_header(&conn) {
            Ok(header) => decide(path, &header).map(|_| ()),
            // A hot journal left by a writer that crashed mid-transaction: only
            // a writable connection can roll it back to the last commit, as
            // any SQLite client would. The file is judged again there.
            Err(e) if is_hot_journal(&e) => Ok(()),
            Err(e) => Err(classify(path, e)),
        }
    }

    fn plan(&self) -> Result<Plan, StoreError> {
        let header = read_header(&self.conn).map_err(|e| self.err(e))?;
        decide(&self.path, &header)
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    /// Connection settings, once the file is known to be ours. The journal
    /// mode is only changed if it differs, so opening a current file writes nothing.
    fn configure(&self) -> Result<(), StoreError> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if !mode.eq_ignore_ascii_case("delete") {
            self.conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))
                .map_err(|e| self.err(e))?;
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| self.err(e))?;
        self.conn
            .execute_batch(PRIVACY_PRAGMAS)
            .map_err(|e| self.err(e))
    }

    /// Runs the pending migrations and stamps the application id, in one
    /// transaction that holds the write lock from the start; the file is
    /// judged again inside it, in case another kiosk migrated it meanwhile.
    fn migrate(&self) -> Result<(), StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let Plan::Upgrade { from } = self.plan()? else {
            return Ok(());
        };
        run_migrations(&tx, from).map_err(|e| self.err(e))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// The schema version after migrations.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Stores a completed result durably and clears the attempt in progress,
    /// in one transaction. Returns the new row id; the result also gets a
    /// random UUID ([`StoredResult::uuid`]).
    pub fn save_result(&self, result: &NewResult<'_>) -> Result<i64, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO results (uuid, rubric_id, rubric_version, bundle_hash, completed_at, answers_json, report_json, engine_result)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                Uuid::new_v4().to_string(),
                result.rubric_id,
                result.rubric_version,
                result.bundle_hash,
                result.completed_at,
                result.answers_json,
                result.report_json,
                result.engine_result
            ],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        tx.execute("DELETE FROM in_progress", [])
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(id)
    }

    /// Every result of one rubric, oldest first.
    pub fn results_for(&self, rubric_id: &str) -> Result<Vec<StoredResult>, StoreError> {
        self.query_results(
            "WHERE rubric_id = ?1 ORDER BY completed_at, id",
            Some(rubric_id),
        )
    }

    /// Every result, oldest first.
    pub fn all_results(&self) -> Result<Vec<StoredResult>, StoreError> {
        self.query_results("ORDER BY completed_at, id", None)
    }

    fn query_results(
        &self,
        tail: &str,
        rubric: Option<&str>,
    ) -> Result<Vec<StoredResult>, StoreError> {
        let sql = format!("SELECT {RESULT_COLUMNS} FROM results {tail}");
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let map = stored_result;
        let rows = match rubric {
            Some(id) => stmt.query_map([id], map),
            None => stmt.query_map([], map),
        }
        .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Number of results per rubric id.
    pub fn counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT rubric_id, count(*) FROM results GROUP BY rubric_id ORDER BY rubric_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Saves the attempt in progress (replacing any earlier one).
    pub fn save_progress(&self, progress: &InProgress) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO in_progress (slot, rubric_id, bundle_hash, answers_json, cursor, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![
                    progress.rubric_id,
                    progress.bundle_hash,
                    progress.answers_json,
                    progress.cursor as i64,
                    progress.updated_at
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The attempt in progress, if any.
    pub fn progress(&self) -> Result<Option<InProgress>, StoreError> {
        self.conn
            .query_row(
                "SELECT rubric_id, bundle_hash, answers_json, cursor, updated_at FROM in_progress WHERE slot = 1",
                [],
                |r| {
                    Ok(InProgress {
                        rubric_id: r.get(0)?,
                        bundle_hash: r.get(1)?,
                        answers_json: r.get(2)?,
                        cursor: r.get::<_, i64>(3)?.max(0) as usize,
                        updated_at: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Forgets the attempt in progress.
    pub fn clear_progress(&self) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM in_progress", [])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// A setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Stores a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Deletes every result (workshop sessions, their results and peer
    /// rounds included), the attempt in progress and the settings, then
    /// compacts the file so the deleted answers do not linger in free pages.
    ///
    /// `Err` means nothing was deleted. `Ok` means everything was; it says
    /// whether the compaction also succeeded, which a person deleting their
    /// data needs to know.
    pub fn delete_everything(&self) -> Result<Compaction, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        tx.execute_batch(
            "DELETE FROM results; DELETE FROM in_progress; DELETE FROM settings;
             DELETE FROM peer_rounds; DELETE FROM phone_participants; DELETE FROM phone_sessions;
             DELETE FROM workshop_results; DELETE FROM workshop_aliases; DELETE FROM workshop_imports;
             DELETE FROM sessions;",
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(match self.conn.execute_batch("VACUUM") {
            Ok(()) => Compaction::Done,
            Err(e) => Compaction::Failed(self.err(e)),
        })
    }

    /// Every result (of one rubric, or all), oldest first, read row by row:
    /// a row that cannot be read is reported on its own and never hides the others.
    pub fn results_row_by_row(&self, rubric_id: Option<&str>) -> Result<ResultRows, StoreError> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM results {} ORDER BY completed_at, id",
            if rubric_id.is_some() {
                "WHERE rubric_id = ?1"
            } else {
                ""
            }
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let read = |r: &rusqlite::Row<'_>| {
            Ok(stored_result(r).map_err(|e| StoreError::BadRow {
                id: r.get_ref(0).ok().and_then(|v| v.as_i64().ok()),
                reason: e.to_string(),
            }))
        };
        let rows = match rubric_id {
            Some(id) => stmt.query_map([id], read),
            None => stmt.query_map([], read),
        }
        .map_err(|e| self.err(e))?;
        let mut out = ResultRows::default();
        for row in rows {
            match row.map_err(|e| self.err(e))? {
                Ok(result) => out.readable.push(result),
                Err(e) => out.unreadable.push(e),
            }
        }
        Ok(out)
    }
}

/// What [`ResultsStore::delete_everything`] achieved once the data was deleted.
#[derive(Debug)]
#[must_use]
pub enum Compaction {
    /// The file was compacted: nothing of the deleted data remains in it.
    Done,
    /// The data is deleted, but the file could not be compacted, so parts of
    /// it may remain in unused space of the file until a later compaction.
    Failed(StoreError),
}

/// Results read row by row.
#[derive(Debug, Default)]
pub struct ResultRows {
    /// The rows that could be read, oldest first.
    pub readable: Vec<StoredResult>,
    /// One [`StoreError::BadRow`] per row that could not.
    pub unreadable: Vec<StoreError>,
}

/// Per connection: freed space is zeroed, and sorts and the key-order
/// rewrite's copy stay in memory instead of temporary files (see `layout`).
const PRIVACY_PRAGMAS: &str = "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;";

const RESULT_COLUMNS: &str =
    "id, uuid, rubric_id, rubric_version, bundle_hash, completed_at, answers_json, report_json, engine_result";

fn stored_result(r: &rusqlite::Row<'_>) -> Result<StoredResult, rusqlite::Error> {
    Ok(StoredResult {
        id: r.get(0)?,
        uuid: parse_uuid(r, 1)?,
        rubric_id: r.get(2)?,
        rubric_version: r.get(3)?,
        bundle_hash: r.get(4)?,
        completed_at: r.get(5)?,
        answers_json: r.get(6)?,
        report_json: r.get(7)?,
        engine_result: r.get(8)?,
    })
}

/// Reads column `index` as a UUID stored as text.
pub(super) fn parse_uuid(r: &rusqlite::Row<'_>, index: usize) -> Result<Uuid, rusqlite::Error> {
    let text: String = r.get(index)?;
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A read-only connection met a hot journal it may not roll back.
fn is_hot_journal(e: &rusqlite::Error) -> bool {
    const SQLITE_READONLY_ROLLBACK: i32 = 776;
    const SQLITE_READONLY_RECOVERY: i32 = 264;
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == SQLITE_READONLY_ROLLBACK || f.extended_code == SQLITE_READONLY_RECOVERY
    )
}

pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked(path),
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(path),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(path),
        Some(ErrorCode::DiskFull) => StoreError::Full(path),
        Some(ErrorCode::CannotOpen) if is_read_only_dir(&path) => StoreError::ReadOnly(path),
        _ => StoreError::Sqlite { path, source: e },
    }
}

fn is_read_only_dir(path: &Path) -> bool {
    path.parent()
        .and_then(|d| std::fs::metadata(d).ok())
        .is_some_and(|m| m.permissions().readonly())
}

#[cfg(test)]
mod tests {
    use super::{Compaction, ResultsStore};

    #[test]
    fn deleting_reports_deleted_but_not_compacted_when_the_compaction_fails() {
        let dir = tempfile::tempdir().unwrap();
        let store = ResultsStore::open_in(dir.path()).unwrap();
        store.set_setting("theme", "dark").unwrap();
        // VACUUM refuses to run while a statement of the connection is still
        // reading; the deletion itself can commit.
        let mut reading = store
            .conn
            .prepare("SELECT name FROM sqlite_master")
            .unwrap();
        let mut rows = reading.raw_query();
        assert!(rows.next().unwrap().is_some());
        let outcome = store.delete_everything().unwrap();
        drop(rows);
        drop(reading);
        assert!(matches!(outcome, Compaction::Failed(_)), "{outcome:?}");
        assert_eq!(store.setting("theme").unwrap(), None);
        assert!(matches!(
            store.delete_everything().unwrap(),
            Compaction::Done
        ));
    }
}
