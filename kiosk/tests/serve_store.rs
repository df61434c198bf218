#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! Migrations 3 (phones) and 4 (aliases kept once, forgotten phones) on
//! files written by the releases before them, and the phone tables'
//! guarantees.

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
    // Migrations 4 and 5 run after 3 (4 is tested below, 5 in plans.rs).
    assert_eq!(SCHEMA_VERSION, 5);
    assert_eq!(store.schema_version().unwrap(), 5);
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

fn v3_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("results.sqlite3");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/results-v3.sqlite3"
        ),
        &path,
    )
    .unwrap();
    path
}

fn occurrences(bytes: &[u8], needle: &str) -> usize {
    bytes
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

#[test]
fn the_schema_3_file_migrates_to_4_with_each_alias_stored_once_and_its_phones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = v3_fixture(dir.path());
    let before = std::fs::read(&path).unwrap();
    assert_eq!(
        occurrences(&before, "Robin"),
        2,
        "on both of Robin's results"
    );
    let store = ResultsStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 5);
    let session = store.sessions().unwrap()[0].clone();
    assert_eq!(session.name, "Phones fixture offsite");
    let results = store.workshop_results(session.id).unwrap();
    assert_eq!(results.len(), 7);
    let with = |alias: Option<&str>| {
        results
            .iter()
            .filter(|r| r.alias.as_deref() == alias)
            .count()
    };
    assert_eq!(
        (with(Some("Robin")), with(Some("Sam")), with(None)),
        (2, 2, 3)
    );
    // The phone at its result still sees it; the one mid-way resumes.
    let at_result = store
        .phone_participant(session.id, &"a".repeat(64))
        .unwrap()
        .unwrap();
    assert_eq!(at_result.stage, PhoneStage::Result);
    let linked = store
        .workshop_result(at_result.last_result.unwrap())
        .unwrap();
    assert_eq!(linked.unwrap().alias, None);
    let mid_way = store
        .phone_participant(session.id, &"b".repeat(64))
        .unwrap()
        .unwrap();
    assert_eq!(mid_way.answers_json, r#"{"cross-team-time":2}"#);
    assert_eq!(mid_way.cursor, 1);
    assert_eq!(store.phone_counts(session.id).unwrap().joined, 2);
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let aliases: i64 = conn
        .query_row("SELECT count(*) FROM workshop_aliases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(aliases, 2, "Robin and Sam, once each");
    assert!(
        conn.prepare("SELECT alias FROM workshop_results").is_err(),
        "no alias column"
    );
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
    drop(conn);
    // The table's row and its unique index's entry; none left on results
    // or in free space (the file was rewritten after migrating).
    let after = std::fs::read(&path).unwrap();
    assert_eq!(occurrences(&after, "Robin"), 2);
    let free: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0);
}

#[test]
fn an_alias_is_stored_once_however_many_results_carry_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = v3_fixture(dir.path());
    let store = ResultsStore::open(&path).unwrap();
    let session = store.sessions().unwrap()[0].id;
    let library = kiosk::library::shipped().unwrap();
    let rubric = library.bundle.rubric("staff-readiness").unwrap();
    let mut attempt = kiosk::attempt::Attempt::start(rubric, &library.hash);
    while let Some(index) = attempt.runner.current() {
        let answer = match rubric.item(index).unwrap().kind {
            rubric_engine::model::ItemKind::Scale { min, .. } => rubric_engine::Answer::Level(min),
            rubric_engine::model::ItemKind::YesNo { .. } => rubric_engine::Answer::YesNo(true),
            _ => rubric_engine::Answer::Choice(0),
        };
        attempt.runner.answer(answer).unwrap();
        attempt.runner.next_visible().unwrap();
    }
    let completed = attempt.complete();
    let encoded = completed.encoded().unwrap();
    for _ in 0..5 {
        let row = kiosk::workshop::NewWorkshopResult::from_completed(
            &completed,
            &encoded,
            session,
            Some("Kestrel-Nine"),
        );
        store.save_workshop_result(&row).unwrap();
    }
    let carrying = store
        .workshop_results(session)
        .unwrap()
        .iter()
        .filter(|r| r.alias.as_deref() == Some("Kestrel-Nine"))
        .count();
    assert_eq!(carrying, 5);
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(
        occurrences(&bytes, "Kestrel-Nine"),
        2,
        "one row and its index entry, not five"
    );
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
