//! The results store: migrations, round trips, and clear errors on bad files.
use kiosk::store::{InProgress, NewResult, ResultsStore, StoreError};

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
    assert_eq!(store.schema_version().unwrap(), 1);
    let id = store.save_result(&sample("a", 100)).unwrap();
    store.save_result(&sample("b", 50)).unwrap();
    store.save_result(&sample("a", 200)).unwrap();
    drop(store);

    // Reopening finds everything, and does not migrate twice.
    let store = ResultsStore::open_in(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), 1);
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
    store.delete_everything().unwrap();
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
