//! The schema: the application id, the migrations, and the decision whether
//! a file is ours and what opening it will do.
//!
//! A migration is never edited once released: a change of schema is a new
//! migration appended to [`MIGRATIONS`].

use std::path::Path;

use rusqlite::{params, Connection, Transaction};

use super::error::StoreError;

/// `PRAGMA application_id` of a Rubric Kiosk results database: the ASCII
/// bytes `RbKs`. SQLite stores it at offset 68 of the file header, so `file`
/// and any SQLite client can tell the file is ours. Files from releases
/// before it have 0 there and are stamped when they are opened for writing.
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"RbKs");

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The tables of schema version 1, sorted: what an unstamped file of ours holds.
const V1_TABLES: [&str; 3] = ["in_progress", "results", "settings"];

/// One step of a migration: SQL, or Rust code for what SQL does badly
/// (random UUIDs come from the `uuid` crate, not from SQL string tricks).
pub(super) enum Step {
    /// SQL statements, run as a batch.
    Sql(&'static str),
    /// Code run inside the migration's transaction.
    Rust(fn(&Transaction<'_>) -> rusqlite::Result<()>),
}

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
pub(super) const MIGRATIONS: &[&[Step]] = &[
    // 1: results, the attempt in progress, settings.
    &[Step::Sql(
        "CREATE TABLE results (
        id INTEGER PRIMARY KEY,
        rubric_id TEXT NOT NULL,
        rubric_version INTEGER NOT NULL,
        bundle_hash TEXT NOT NULL,
        completed_at INTEGER NOT NULL,
        answers_json TEXT NOT NULL,
        report_json TEXT NOT NULL,
        engine_result BLOB NOT NULL
    );
    CREATE INDEX results_by_rubric ON results (rubric_id, completed_at);
    CREATE TABLE in_progress (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        rubric_id TEXT NOT NULL,
        bundle_hash TEXT NOT NULL,
        answers_json TEXT NOT NULL,
        cursor INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    )],
    // 2: a random UUID for every single-user result (so merged exports never
    // collide), and the workshop tables.
    &[
        Step::Sql(V2_RESULTS_WITH_UUID),
        Step::Rust(copy_results_with_uuids),
        Step::Sql(V2_SWAP_AND_WORKSHOP),
    ],
    // 3: phones in a workshop: each session's join secret, and each phone
    // participant's answers in progress.
    &[Step::Sql(V3_PHONES)],
    // 4: an alias kept once per session, not on every result; a count of
    // phones that finished and were forgotten (their rows deleted).
    &[
        Step::Sql(V4_ALIASES_TABLE),
        Step::Rust(copy_aliases_once),
        Step::Sql(V4_RESULTS_POINT_TO_ALIASES),
    ],
    // 5: the session plan a session was created from, so the facilitator
    // view can follow it again after a restart.
    &[Step::Sql(V5_SESSION_PLANS)],
];

/// A session's plan, by the plan's id (plans are found by id in the kiosk's
/// plans); at most one per session, none for a session made without one.
const V5_SESSION_PLANS: &str = "CREATE TABLE session_plans (
        session TEXT PRIMARY KEY NOT NULL REFERENCES sessions (uuid),
        plan_id TEXT NOT NULL CHECK (length(plan_id) BETWEEN 1 AND 48)
    ) WITHOUT ROWID;";

/// SQLite cannot add a `NOT NULL UNIQUE` column to a table with rows, so the
/// results table is rebuilt: this is the new one, filled row by row by
/// [`copy_results_with_uuids`].
const V2_RESULTS_WITH_UUID: &str = "CREATE TABLE results_v2 (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
        rubric_id TEXT NOT NULL,
        rubric_version INTEGER NOT NULL,
        bundle_hash TEXT NOT NULL,
        completed_at INTEGER NOT NULL,
        answers_json TEXT NOT NULL,
        report_json TEXT NOT NULL,
        engine_result BLOB NOT NULL
    );";

/// Swaps the rebuilt results table in, and creates the workshop tables.
///
/// Workshop tables are `WITHOUT ROWID` and keyed by random UUIDs, and carry
/// no time finer than the session's date: the order in which participants
/// took their turns cannot be read back from them. In `workshop_results` the
/// small columns and the engine result come first, the long JSON texts last,
/// so aggregating reads no overflow pages; the session index covers what
/// aggregation reads, so it never touches the table itself.
const V2_SWAP_AND_WORKSHOP: &str = "DROP TABLE results;
    ALTER TABLE results_v2 RENAME TO results;
    CREATE INDEX results_by_rubric ON results (rubric_id, completed_at);
    CREATE TABLE sessions (
        uuid TEXT PRIMARY KEY NOT NULL CHECK (length(uuid) = 36),
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        rubric_ids_json TEXT NOT NULL,
        min_group INTEGER NOT NULL CHECK (min_group >= 3),
        show_own_result INTEGER NOT NULL CHECK (show_own_result IN (0, 1)),
        hide_until_revealed INTEGER NOT NULL CHECK (hide_until_revealed IN (0, 1)),
        revealed INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
        closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
        date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
    ) WITHOUT ROWID;
    CREATE TABLE workshop_results (
        uuid TEXT PRIMARY KEY NOT NULL CHECK (length(uuid) = 36),
        session TEXT NOT NULL REFERENCES sessions (uuid),
        rubric_id TEXT NOT NULL,
        rubric_version INTEGER NOT NULL,
        bundle_hash TEXT NOT NULL,
        engine_result BLOB NOT NULL,
        alias TEXT,
        report_json TEXT NOT NULL,
        answers_json TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX workshop_results_by_session
        ON workshop_results (session, rubric_id, rubric_version, engine_result);
    CREATE TABLE peer_rounds (
        result TEXT PRIMARY KEY NOT NULL REFERENCES workshop_results (uuid),
        development_area TEXT,
        spread_json TEXT,
        CHECK ((development_area IS NULL) <> (spread_json IS NULL))
    ) WITHOUT ROWID;";

/// Phone participants (see `phone_store`). Like the other workshop tables:
/// `WITHOUT ROWID`, keyed by random values, no time column, so the order in
/// which phones joined cannot be read back. A participant's cookie token is
/// stored only as its SHA-256, so the file alone does not let anyone act as
/// a phone.
const V3_PHONES: &str = "CREATE TABLE phone_sessions (
        session TEXT PRIMARY KEY NOT NULL REFERENCES sessions (uuid),
        join_secret TEXT NOT NULL UNIQUE CHECK (length(join_secret) >= 16),
        join_code TEXT NOT NULL CHECK (length(join_code) = 6),
        joining_open INTEGER NOT NULL DEFAULT 1 CHECK (joining_open IN (0, 1))
    ) WITHOUT ROWID;
    CREATE TABLE phone_participants (
        token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
        session TEXT NOT NULL REFERENCES sessions (uuid),
        form_key TEXT NOT NULL CHECK (length(form_key) = 32),
        rubric_index INTEGER NOT NULL DEFAULT 0 CHECK (rubric_index >= 0),
        stage TEXT NOT NULL DEFAULT 'answering' CHECK (stage IN ('answering', 'result')),
        answers_json TEXT NOT NULL DEFAULT '{}',
        cursor INTEGER NOT NULL DEFAULT 0 CHECK (cursor >= 0),
        last_result TEXT REFERENCES workshop_results (uuid),
        finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1))
    ) WITHOUT ROWID;
    CREATE INDEX phone_participants_by_session ON phone_participants (session, finished);";

/// Aliases, each stored once per session: a participant who gives one has
/// every result point to the same row (that link is what an alias is for:
/// the facilitator's opt-in export shows it); results without an alias
/// point nowhere, so nothing links them. Keyed by a random UUID, no time.
const V4_ALIASES_TABLE: &str = "CREATE TABLE workshop_aliases (
        uuid TEXT PRIMARY KEY NOT NULL CHECK (length(uuid) = 36),
        session TEXT NOT NULL REFERENCES sessions (uuid),
        alias TEXT NOT NULL,
        UNIQUE (session, alias)
    ) WITHOUT ROWID;";

/// Results point to their alias instead of carrying it; the old column goes
/// (its bytes are zeroed: `secure_delete` is on, and the store rewrites
/// the file after migrating). A phone that presses Finish, or whose
/// session closes, loses its row; `forgotten_finished` keeps only how many
/// of those had finished, for the facilitator's count. `workshop_imports`
/// says where merged results came from (the exporting kiosk and session,
/// and how many), per source and never per result; `from_kiosk` is `''`
/// for files from releases that did not name their kiosk.
const V4_RESULTS_POINT_TO_ALIASES: &str =
    "ALTER TABLE workshop_results ADD COLUMN alias_ref TEXT REFERENCES workshop_aliases (uuid);
    UPDATE workshop_results SET alias_ref = (
        SELECT a.uuid FROM workshop_aliases a
        WHERE a.session = workshop_results.session AND a.alias = workshop_results.alias)
    WHERE alias IS NOT NULL;
    ALTER TABLE workshop_results DROP COLUMN alias;
    ALTER TABLE phone_sessions ADD COLUMN forgotten_finished INTEGER NOT NULL DEFAULT 0
        CHECK (forgotten_finished >= 0);
    CREATE TABLE workshop_imports (
        session TEXT NOT NULL REFERENCES sessions (uuid),
        from_kiosk TEXT NOT NULL,
        from_session TEXT NOT NULL,
        from_session_name TEXT NOT NULL,
        results INTEGER NOT NULL CHECK (results >= 0),
        PRIMARY KEY (session, from_kiosk, from_session)
    ) WITHOUT ROWID;";

/// One `workshop_aliases` row, with a fresh random UUID, per alias and
/// session found on the results.
fn copy_aliases_once(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let pairs = tx
        .prepare("SELECT DISTINCT session, alias FROM workshop_results WHERE alias IS NOT NULL")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut insert =
        tx.prepare("INSERT INTO workshop_aliases (uuid, session, alias) VALUES (?1, ?2, ?3)")?;
    for (session, alias) in pairs {
        insert.execute(params![uuid::Uuid::new_v4().to_string(), session, alias])?;
    }
    Ok(())
}

/// Copies every result into `results_v2` with a fresh random (v4) UUID,
/// keeping its row id and every other column unchanged.
fn copy_results_with_uuids(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let ids = tx
        .prepare("SELECT id FROM results")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut copy = tx.prepare(
        "INSERT INTO results_v2 (id, uuid, rubric_id, rubric_version, bundle_hash, completed_at, answers_json, report_json, engine_result)
         SELECT id, ?1, rubric_id, rubric_version, bundle_hash, completed_at, answers_json, report_json, engine_result
         FROM results WHERE id = ?2",
    )?;
    for id in ids {
        copy.execute(params![uuid::Uuid::new_v4().to_string(), id])?;
    }
    Ok(())
}

/// Runs the migrations after `from` inside `tx`, recording each in `user_version`.
pub(super) fn run_migrations(tx: &Transaction<'_>, from: usize) -> rusqlite::Result<()> {
    for (i, steps) in MIGRATIONS.iter().enumerate().skip(from) {
        for step in *steps {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Rust(run) => run(tx)?,
            }
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    Ok(())
}

/// What the header and schema of a file say, read before anything is written.
#[derive(Debug)]
pub(super) struct Header {
    application_id: i32,
    user_version: i64,
    tables: Vec<String>,
}

/// What opening a file will do, decided from its [`Header`].
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Plan {
    /// Ours and current: nothing to write.
    Current,
    /// Ours (or empty): run the migrations after `from` and stamp the application id.
    Upgrade { from: usize },
}

pub(super) fn read_header(conn: &Connection) -> Result<Header, rusqlite::Error> {
    // Reading the schema first turns a damaged file into a clear error.
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let tables = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(Header {
        application_id: conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
        user_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        tables,
    })
}

/// Whether a file is ours and of a version we understand, and what to do.
pub(super) fn decide(path: &Path, header: &Header) -> Result<Plan, StoreError> {
    let path = path.to_path_buf();
    let known = MIGRATIONS.len();
    let empty = header.tables.is_empty();
    match header.application_id {
        APPLICATION_ID => {}
        // Releases before the application id: ours if the tables are.
        0 if empty && header.user_version == 0 => {}
        0 if header.tables.iter().map(String::as_str).eq(V1_TABLES) => {}
        0 => return Err(StoreError::UnknownTables(path)),
        application_id => {
            return Err(StoreError::OtherProgram {
                path,
                application_id,
            })
        }
    }
    let found = header.user_version;
    match usize::try_from(found) {
        Err(_) => Err(StoreError::BadVersion { path, found }),
        // Tables without a version: no release of ours wrote that.
        Ok(0) if !empty => Err(StoreError::BadVersion { path, found }),
        Ok(v) if v > known => Err(StoreError::TooNew {
            path,
            found,
            known: known as i64,
        }),
        Ok(v) if v == known && header.application_id == APPLICATION_ID => Ok(Plan::Current),
        Ok(from) => Ok(Plan::Upgrade { from }),
    }
}
