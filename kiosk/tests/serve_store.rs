#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! Migration 3 (phones) on a file written by the previous release, and the
//! phone tables' guarantees.

use kiosk::store::{PhoneStage, ResultsStore, SCHEMA_VERSION};
use kiosk::workshop::SessionId;

fn v2_main_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("results.sqlite3");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/results-v2-main.sqlite3"
        ),
        &path,
    )
    .unwrap();
    path
}

#[test]
fn the_previous_release_file_migrates_to_3_keeps_every_record_and_phones_can_join_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = v2_main_fixture(dir.path());
    let store = ResultsStore::open(&path).unwrap();
    assert_eq!(SCHEMA_VERSION, 3);
    assert_eq!(store.schema_version().unwrap(), 3);
    assert_eq!(store.all_results().unwrap().len(), 1);
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(session.name, "Main fixture offsite");
    assert!(!session.closed);
    let results = store.workshop_results(session.id).unwrap();
    assert_eq!(results.len(), 4);
    for r in &results {
        rubric_engine::ScoreResult::decode(&r.engine_result).unwrap();
    }
    assert_eq!(store.phone_access(session.id).unwrap(), None);
    assert_eq!(store.phone_counts(session.id).unwrap().joined, 0);

    let access = store
        .open_phone_access(session.id, "abcdefghjkmnpqrs", "ABC234")
        .unwrap();
    assert!(access.joining_open);
    let hash = "0".repeat(64);
    assert!(store
        .add_phone_participant(session.id, &hash, &"1".repeat(32), 300)
        .unwrap());
    let p = store.phone_participant(session.id, &hash).unwrap().unwrap();
    assert_eq!(p.stage, PhoneStage::Answering);
    assert_eq!((p.rubric_index, p.cursor), (0, 0));
    // Asking again keeps the first secret (phones' URLs stay valid).
    let again = store
        .open_phone_access(session.id, "zzzzzzzzzzzzzzzz", "ZZZZZZ")
        .unwrap();
    assert_eq!(again.join_secret, "abcdefghjkmnpqrs");
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
}

#[test]
fn phone_tables_have_no_rowid_and_no_time_column() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    for table in ["phone_sessions", "phone_participants"] {
        assert!(conn.prepare(&format!("SELECT rowid FROM {table}")).is_err());
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for name in &columns {
            for word in ["time", "_at", "date", "created", "updated"] {
                assert!(!name.contains(word), "{table}.{name}");
            }
        }
    }
}

#[test]
fn phones_cannot_be_let_into_a_closed_or_unknown_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = v2_main_fixture(dir.path());
    let store = ResultsStore::open(&path).unwrap();
    let session = store.sessions().unwrap()[0].id;
    store
        .open_phone_access(session, "abcdefghjkmnpqrs", "ABC234")
        .unwrap();
    store.close_session(session).unwrap();
    assert!(
        !store
            .add_phone_participant(session, &"0".repeat(64), &"1".repeat(32), 300)
            .unwrap(),
        "no phone joins a closed session"
    );
    assert!(store
        .open_phone_access(session, "abcdefghjkmnpqrs", "ABC234")
        .is_err());
    assert!(store
        .open_phone_access(SessionId::random(), "abcdefghjkmnpqrs", "ABC234")
        .is_err());
}

#[test]
fn deleting_everything_also_deletes_the_phones() {
    let dir = tempfile::tempdir().unwrap();
    let path = v2_main_fixture(dir.path());
    let store = ResultsStore::open(&path).unwrap();
    let session = store.sessions().unwrap()[0].id;
    store
        .open_phone_access(session, "abcdefghjkmnpqrs", "ABC234")
        .unwrap();
    assert!(store
        .add_phone_participant(session, &"0".repeat(64), &"1".repeat(32), 300)
        .unwrap());
    let _ = store.delete_everything().unwrap();
    assert!(store.sessions().unwrap().is_empty());
    assert_eq!(store.phone_counts(session).unwrap().joined, 0);
    assert_eq!(store.phone_access(session).unwrap(), None);
}
