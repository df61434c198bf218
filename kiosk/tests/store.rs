//! The results store: migrations, round trips, and clear errors on bad files.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use kiosk::store::{Compaction, InProgress, NewResult, ResultsStore, StoreError};

fn sample(rubric: &str, at: i64) -> NewResult<'static> {
    NewResult {
        rubric_id: if rubric == "a" { "a" } else { "b" },
        rubric_version: 3,
        bundle_hash: "abc123",
        completed_at: at,
        answers_json: r#"{"q": 1}"#,
        report_json: r#"{"verdict": "x"}"#,
        engine_result: &[1, 2, 3],
    }
}

#[test]
fn migrates_an_empty_file_and_round_trips_results() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        kiosk::store::SCHEMA_VERSION
    );
    let id = store.save_result(&sample("a", 100)).unwrap();
    store.save_result(&sample("b", 50)).unwrap();
    store.save_result(&sample("a", 200)).unwrap();
    drop(store);

    // Reopening finds everything, and does not migrate twice.
    let store = ResultsStore::open_in(dir.path()).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        kiosk::store::SCHEMA_VERSION
    );
    let a = store.results_for("a").unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].id, id);
    assert_eq!(a[0].completed_at, 100);
    assert_eq!(a[0].rubric_version, 3);
    assert_eq!(a[0].answers_json, r#"{"q": 1}"#);
    assert_eq!(a[0].engine_result, vec![1, 2, 3]);
    assert_eq!(
        store.counts().unwrap(),
        vec![("a".to_string(), 2), ("b".to_string(), 1)]
    );
    assert_eq!(store.all_results().unwrap().len(), 3);
}

#[test]
fn progress_is_saved_and_cleared_by_a_completed_result() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    assert_eq!(store.progress().unwrap(), None);
    let p = InProgress {
        rubric_id: "a".into(),
        bundle_hash: "h".into(),
        answers_json: "{}".into(),
        cursor: 4,
        updated_at: 9,
    };
    store.save_progress(&p).unwrap();
    store
        .save_progress(&InProgress {
            cursor: 5,
            ..p.clone()
        })
        .unwrap();
    assert_eq!(store.progress().unwrap().unwrap().cursor, 5);
    store.save_result(&sample("a", 1)).unwrap();
    assert_eq!(store.progress().unwrap(), None);
}

#[test]
fn settings_and_delete_everything() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    store.set_setting("theme", "dark").unwrap();
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
    store.save_result(&sample("a", 1)).unwrap();
    assert!(matches!(
        store.delete_everything().unwrap(),
        Compaction::Done
    ));
    assert!(store.all_results().unwrap().is_empty());
    assert_eq!(store.setting("theme").unwrap(), None);
}

#[test]
fn a_corrupt_file_is_reported_clearly_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.sqlite3");
    let garbage =
        b"this is not an sqlite database, just some words that fill the header area".repeat(20);
    std::fs::write(&path, &garbage).unwrap();
    let err = ResultsStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("damaged") && message.contains("left untouched"),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.sqlite3");
    claim_newer_schema(&path);
    let err = ResultsStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
}

/// Makes a database claiming schema 99 by opening it with the store and bumping the version.
fn claim_newer_schema(path: &std::path::Path) {
    let store = ResultsStore::open(path).unwrap();
    store.set_setting("x", "y").unwrap();
    drop(store);
    // user_version lives at byte offset 60 of the header, big-endian.
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_locked_database_gives_a_clear_error_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    store.save_result(&sample("a", 1)).unwrap();
    // Another program holds a write lock.
    let other = rusqlite::Connection::open(store.path()).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let err = store.save_result(&sample("a", 2)).unwrap_err();
    assert!(matches!(err, StoreError::Locked(_)), "{err:?}");
    assert!(
        err.to_string().contains("locked by another program"),
        "{err}"
    );
    other.execute_batch("ROLLBACK;").unwrap();
    // Once released, saving works and the earlier result is still there.
    store.save_result(&sample("a", 3)).unwrap();
    let times: Vec<i64> = store
        .results_for("a")
        .unwrap()
        .iter()
        .map(|r| r.completed_at)
        .collect();
    assert_eq!(times, vec![1, 3]);
}

/// SHA-256 of a file, to show that opening it changed nothing.
fn sha256_of(path: &std::path::Path) -> String {
    kiosk::library::hash_hex(&std::fs::read(path).unwrap())
}

/// A database written by another SQLite program: its own tables, and
/// whatever `pragmas` it sets.
fn foreign_database(path: &std::path::Path, pragmas: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "{pragmas}
         CREATE TABLE contacts (name TEXT, phone TEXT);
         INSERT INTO contacts VALUES ('Ada', '555-0100');"
    ))
    .unwrap();
}

#[test]
fn a_newer_database_in_wal_mode_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.sqlite3");
    claim_newer_schema(&path);
    // A newer release might keep its file in WAL mode; switching the journal
    // mode rewrites the header, so it must not happen before the version is read.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    drop(conn);
    let before = sha256_of(&path);
    let err = ResultsStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(sha256_of(&path), before);
}

#[test]
fn a_database_of_another_program_is_refused_by_name_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.sqlite3");
    foreign_database(&path, "PRAGMA application_id = 1179402567;");
    let before = sha256_of(&path);
    let err = ResultsStore::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::OtherProgram {
                application_id: 1_179_402_567,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string())
            && message.contains("another program")
            && message.contains("left untouched"),
        "{message}"
    );
    assert_eq!(sha256_of(&path), before);
}

#[test]
fn an_unstamped_database_with_other_tables_is_refused_and_left_byte_identical() {
    for version in [0, 1] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.sqlite3");
        foreign_database(&path, &format!("PRAGMA user_version = {version};"));
        let before = sha256_of(&path);
        let err = ResultsStore::open_in(dir.path()).unwrap_err();
        assert!(
            matches!(err, StoreError::UnknownTables { .. }),
            "version {version}: {err:?}"
        );
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(sha256_of(&path), before, "version {version}");
    }
}

#[test]
fn a_negative_schema_version_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.sqlite3");
    let store = ResultsStore::open(&path).unwrap();
    store.save_result(&sample("a", 1)).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", -3).unwrap();
    drop(conn);
    let before = sha256_of(&path);
    let err = ResultsStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::BadVersion { found: -3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(sha256_of(&path), before);
}

#[test]
fn a_new_database_carries_the_kiosk_application_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, kiosk::store::APPLICATION_ID);
}

/// The fixture made by the release before application ids, copied to `dir`.
fn v1_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("results.sqlite3");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/results-v1.sqlite3"
        ),
        &path,
    )
    .unwrap();
    path
}

#[test]
fn a_version_1_database_opens_and_every_result_the_progress_and_the_settings_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_fixture(dir.path());
    let store = ResultsStore::open_in(dir.path()).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        kiosk::store::SCHEMA_VERSION
    );

    let results = store.all_results().unwrap();
    let rubrics: Vec<&str> = results.iter().map(|r| r.rubric_id.as_str()).collect();
    assert_eq!(
        rubrics,
        [
            "cross-team-gut-check",
            "staff-readiness",
            "cross-team-gut-check",
            "you-or-org"
        ]
    );
    for row in &results {
        let report: rubrics::report::ResultReport = serde_json::from_str(&row.report_json)
            .unwrap_or_else(|e| panic!("row {}: {e}", row.id));
        assert_eq!(report.rubric, row.rubric_id);
        rubric_engine::ScoreResult::decode(&row.engine_result)
            .unwrap_or_else(|e| panic!("row {}: {e}", row.id));
    }
    assert_eq!(results[0].completed_at, 1_767_261_600);
    assert_eq!(
        store.counts().unwrap(),
        vec![
            ("cross-team-gut-check".to_string(), 2),
            ("staff-readiness".to_string(), 1),
            ("you-or-org".to_string(), 1)
        ]
    );
    let progress = store.progress().unwrap().unwrap();
    assert_eq!(progress.rubric_id, "cross-team-gut-check");
    assert_eq!(
        progress.answers_json,
        r#"{"know-other-teams":false,"optional-meetings":true}"#
    );
    assert_eq!(progress.cursor, 2);
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
    assert_eq!(store.setting("zoom").unwrap().as_deref(), Some("1.5"));
    drop(store);

    // Upgrading stamped it as ours.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, kiosk::store::APPLICATION_ID);
}

#[test]
fn opening_a_version_1_database_a_second_time_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_fixture(dir.path());
    drop(ResultsStore::open_in(dir.path()).unwrap());
    let after_first = sha256_of(&path);
    let store = ResultsStore::open_in(dir.path()).unwrap();
    assert_eq!(store.all_results().unwrap().len(), 4);
    drop(store);
    assert_eq!(sha256_of(&path), after_first);
}

#[test]
fn reading_row_by_row_reports_a_damaged_row_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let damaged = store.save_result(&sample("a", 1)).unwrap();
    store.save_result(&sample("a", 2)).unwrap();
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute(
            "UPDATE results SET rubric_version = 'three' WHERE id = ?1",
            [damaged],
        )
        .unwrap();
    // The strict reader fails as a whole; the row-by-row reader does not.
    assert!(store.results_for("a").is_err());
    let rows = store.results_row_by_row(Some("a")).unwrap();
    assert_eq!(rows.readable.len(), 1);
    assert_eq!(rows.readable[0].completed_at, 2);
    assert!(
        matches!(rows.unreadable[..], [StoreError::BadRow { id: Some(id), .. }] if id == damaged),
        "{:?}",
        rows.unreadable
    );
}
