//! Workshop data: the migration to schema 2, sessions and their results,
//! aggregates under the minimum-group rule, the facilitator PIN, peer rounds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod workshop_common;
use kiosk::library::Loaded;
use kiosk::store::{ResultsStore, StoreError, SCHEMA_VERSION};
use kiosk::workshop::pin::{FacilitatorPin, PinError};
use kiosk::workshop::{
    session_aggregates, GroupFigures, NewWorkshopResult, PeerRoundOutcome, Session, SessionConfig,
    SessionConfigError, SessionDate, DEFAULT_MIN_GROUP,
};
use workshop_common::complete;

const READINESS: &str = "staff-readiness";
const ARCHETYPE: &str = "staff-archetype";

fn library() -> Loaded {
    kiosk::library::shipped().unwrap()
}

/// A completed attempt at `rubric` whose answers vary with `seed`.
fn config(rubrics: &[&str]) -> SessionConfig {
    SessionConfig {
        name: "Offsite day 1".into(),
        rubric_ids: rubrics.iter().map(|r| r.to_string()).collect(),
        ..SessionConfig::default()
    }
}

fn new_session(store: &ResultsStore, library: &Loaded, config: SessionConfig) -> Session {
    let valid = config.validate(&library.bundle).unwrap();
    store
        .create_session(&valid, SessionDate::from_unix(1_767_261_600))
        .unwrap()
}

/// Stores `n` results of `rubric` in `session`, with an alias and a secret text.
fn take_turns(store: &ResultsStore, library: &Loaded, session: &Session, rubric: &str, n: usize) {
    for seed in 0..n {
        let (completed, encoded) = complete(library, rubric, seed);
        let mut row = NewWorkshopResult::from_completed(
            &completed,
            &encoded,
            session.id,
            Some("Alias-Zebra-42"),
        );
        row.answers_json = r#"{"note":"SECRET free text of one participant"}"#;
        store.save_workshop_result(&row).unwrap();
    }
}

// ---- 1. Migration ----

fn copy_fixture(name: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("results.sqlite3");
    let from = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(from, &path).unwrap();
    path
}

type Row = (i64, String, i64, String, i64, String, String, Vec<u8>);

fn raw_results(path: &std::path::Path) -> Vec<Row> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, rubric_id, rubric_version, bundle_hash, completed_at, answers_json, report_json, engine_result FROM results ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn sha256_of(path: &std::path::Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn the_v1_fixture_migrates_every_result_keeps_its_data_and_gets_a_distinct_uuid() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture("results-v1.sqlite3", dir.path());
    let before = raw_results(&path);
    assert_eq!(before.len(), 4);

    let store = ResultsStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    assert_eq!(raw_results(&path), before, "every column of every row kept");

    let store = ResultsStore::open(&path).unwrap();
    let results = store.all_results().unwrap();
    let mut uuids: Vec<_> = results.iter().map(|r| r.uuid).collect();
    assert!(results.iter().all(|r| r.uuid.get_version_num() == 4));
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), 4, "distinct ids");
    assert_eq!(store.progress().unwrap().unwrap().cursor, 2);
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
    assert!(store.sessions().unwrap().is_empty());
    drop(store);

    // Opening again changes nothing, not even the ids.
    let after_first = sha256_of(&path);
    let store = ResultsStore::open(&path).unwrap();
    let again: Vec<_> = store
        .all_results()
        .unwrap()
        .iter()
        .map(|r| r.uuid)
        .collect();
    assert_eq!(again, results.iter().map(|r| r.uuid).collect::<Vec<_>>());
    drop(store);
    assert_eq!(sha256_of(&path), after_first);
}

#[test]
fn the_uuid_column_is_unique() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture("results-v1.sqlite3", dir.path());
    drop(ResultsStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let err = conn
        .execute(
            "UPDATE results SET uuid = (SELECT uuid FROM results WHERE id = 1) WHERE id = 2",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
}

#[test]
fn the_v2_fixture_opens_and_every_record_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture("results-v2.sqlite3", dir.path());
    let before = sha256_of(&path);
    let store = ResultsStore::open(&path).unwrap();
    // Migration 3 (phones) adds tables; nothing of version 2 changes.
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.all_results().unwrap().len(), 2);
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(session.name, "Fixture offsite");
    assert_eq!(session.rubric_ids, [READINESS, ARCHETYPE]);
    assert_eq!(session.date.as_str(), "2026-01-01");
    let results = store.workshop_results(session.id).unwrap();
    assert_eq!(results.len(), 6);
    for r in &results {
        rubric_engine::ScoreResult::decode(&r.engine_result).unwrap();
    }
    let with_round = results
        .iter()
        .find(|r| r.alias.as_deref() == Some("Robin") && r.rubric_id == READINESS)
        .unwrap();
    assert_eq!(
        store.peer_round(with_round.id).unwrap(),
        Some(PeerRoundOutcome::DevelopmentArea("influence".into()))
    );
    assert!(FacilitatorPin::new(&store)
        .verify("2468", 1_767_261_600)
        .is_ok());
    drop(store);
    let migrated = sha256_of(&path);
    assert_ne!(migrated, before, "migrated to the current schema");
    drop(ResultsStore::open(&path).unwrap());
    assert_eq!(
        sha256_of(&path),
        migrated,
        "a current file is not written to"
    );
}

#[test]
fn workshop_results_have_no_rowid_and_no_time_or_sequence_column() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    for table in ["workshop_results", "peer_rounds"] {
        let err = conn
            .prepare(&format!("SELECT rowid FROM {table}"))
            .unwrap_err();
        assert!(err.to_string().contains("no such column"), "{table}: {err}");
        let columns: Vec<(String, String)> = conn
            .prepare(&format!(
                "SELECT name, type FROM pragma_table_info('{table}')"
            ))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (name, kind) in &columns {
            for word in [
                "time", "_at", "date", "seq", "order", "created", "updated", "id",
            ] {
                if word == "id" && (name == "rubric_id" || name == "uuid") {
                    continue;
                }
                assert!(
                    !name.contains(word),
                    "{table}.{name} looks like time or order"
                );
            }
            assert_ne!(kind, "INTEGER PRIMARY KEY", "{table}.{name}");
        }
    }
    // Random-id order, not insertion order: ids are v4 UUIDs.
    let library = library();
    let session = new_session(&store, &library, config(&[READINESS]));
    take_turns(&store, &library, &session, READINESS, 3);
    let ids: Vec<_> = store
        .workshop_results(session.id)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "listed in id order");
    assert!(ids.iter().all(|id| id.0.get_version_num() == 4));
}

// ---- 2. Store API ----

#[test]
fn sessions_are_created_listed_revealed_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS, ARCHETYPE]));
    assert_eq!(session.min_group, DEFAULT_MIN_GROUP);
    assert_eq!(session.date.as_str(), "2026-01-01");
    assert!(!session.closed && !session.revealed);
    assert_eq!(store.sessions().unwrap(), vec![session.clone()]);

    store.set_revealed(session.id, true).unwrap();
    assert!(store.session(session.id).unwrap().revealed);
    take_turns(&store, &library, &session, READINESS, 2);
    take_turns(&store, &library, &session, ARCHETYPE, 1);
    assert_eq!(
        store.workshop_counts(session.id).unwrap(),
        vec![(ARCHETYPE.to_string(), 1), (READINESS.to_string(), 2)]
    );
    let stored = store.workshop_results(session.id).unwrap();
    assert_eq!(stored.len(), 3);
    assert_eq!(
        store.workshop_result(stored[0].id).unwrap().as_ref(),
        Some(&stored[0])
    );

    store.close_session(session.id).unwrap();
    assert!(store.session(session.id).unwrap().closed);
    let (completed, encoded) = complete(&library, READINESS, 9);
    let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
    assert!(matches!(
        store.save_workshop_result(&row),
        Err(StoreError::SessionClosed(id)) if id == session.id
    ));
    assert_eq!(store.workshop_results(session.id).unwrap().len(), 3);
}

#[test]
fn a_result_for_an_unknown_session_or_a_rubric_outside_the_session_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS]));
    let (completed, encoded) = complete(&library, ARCHETYPE, 1);
    let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
    assert!(matches!(
        store.save_workshop_result(&row),
        Err(StoreError::RubricNotInSession { rubric, .. }) if rubric == ARCHETYPE
    ));
    let other = kiosk::workshop::SessionId::random();
    let row = NewWorkshopResult {
        session: other,
        ..row
    };
    assert!(
        matches!(store.save_workshop_result(&row), Err(StoreError::NoSuchSession(id)) if id == other)
    );
    assert!(matches!(
        store.close_session(other),
        Err(StoreError::NoSuchSession(_))
    ));
    assert!(matches!(
        store.session(other),
        Err(StoreError::NoSuchSession(_))
    ));
}

#[test]
fn a_bulk_save_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS]));
    let (good, good_enc) = complete(&library, READINESS, 1);
    let (bad, bad_enc) = complete(&library, ARCHETYPE, 1);
    let rows = [
        NewWorkshopResult::from_completed(&good, &good_enc, session.id, None),
        NewWorkshopResult::from_completed(&bad, &bad_enc, session.id, None),
    ];
    assert!(store.save_workshop_results(&rows).is_err());
    assert!(store.workshop_results(session.id).unwrap().is_empty());
    assert_eq!(store.save_workshop_results(&rows[..1]).unwrap().len(), 1);
}

#[test]
fn deleting_everything_deletes_the_workshop_data_too() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS]));
    take_turns(&store, &library, &session, READINESS, 1);
    let id = store.workshop_results(session.id).unwrap()[0].id;
    store
        .save_peer_round(id, &PeerRoundOutcome::DevelopmentArea("scope".into()))
        .unwrap();
    let _ = store.delete_everything().unwrap();
    assert!(store.sessions().unwrap().is_empty());
    assert_eq!(store.workshop_result(id).unwrap(), None);
    assert_eq!(store.peer_round(id).unwrap(), None);
}

// ---- 3. Session configuration ----

#[test]
fn a_session_config_is_checked_and_says_why_it_is_refused() {
    let library = library();
    let check = |c: SessionConfig| c.validate(&library.bundle).map(|_| ());
    assert_eq!(SessionConfig::default().min_group, 5);
    assert_eq!(
        check(SessionConfig {
            name: "  ".into(),
            ..config(&[READINESS])
        }),
        Err(SessionConfigError::EmptyName)
    );
    assert_eq!(check(config(&[])), Err(SessionConfigError::NoRubrics));
    assert_eq!(
        check(config(&[READINESS, "no-such-rubric"])),
        Err(SessionConfigError::UnknownRubric("no-such-rubric".into()))
    );
    assert_eq!(
        check(config(&[READINESS, READINESS])),
        Err(SessionConfigError::DuplicateRubric(READINESS.into()))
    );
    let small = SessionConfig {
        min_group: 2,
        ..config(&[READINESS])
    };
    let err = check(small).unwrap_err();
    assert_eq!(
        err,
        SessionConfigError::MinGroupTooSmall { asked: 2, floor: 3 }
    );
    assert!(err.to_string().contains("at least 3"), "{err}");
    assert_eq!(
        check(SessionConfig {
            min_group: 3,
            ..config(&[READINESS])
        }),
        Ok(())
    );
    assert!("2026-13-01".parse::<SessionDate>().is_err());
    assert!("2026-1-01".parse::<SessionDate>().is_err());
    assert_eq!(
        "2026-02-28".parse::<SessionDate>().unwrap().as_str(),
        "2026-02-28"
    );
}

// ---- 4. Aggregates ----

#[test]
fn aggregates_are_hidden_one_below_the_minimum_group_and_shown_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS, ARCHETYPE]));
    take_turns(&store, &library, &session, READINESS, 4);
    take_turns(&store, &library, &session, ARCHETYPE, 2);
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    assert_eq!(group.participants, 4);
    assert_eq!(group.rubrics[0].rubric_id, READINESS);
    assert_eq!(
        group.rubrics[0].figures,
        GroupFigures::TooFew { have: 4, need: 5 }
    );
    assert_eq!(
        group.rubrics[1].figures,
        GroupFigures::TooFew { have: 2, need: 5 }
    );

    take_turns(&store, &library, &session, READINESS, 1);
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    let figures = group.rubrics[0]
        .figures
        .shown()
        .expect("shown at the minimum");
    assert_eq!(figures.results, 5);
    assert!(group.rubrics[1].figures.shown().is_none());
}

#[test]
fn every_histogram_and_every_count_list_sums_to_the_result_count() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(
        &store,
        &library,
        SessionConfig {
            min_group: 3,
            ..config(&[READINESS, ARCHETYPE])
        },
    );
    take_turns(&store, &library, &session, READINESS, 17);
    take_turns(&store, &library, &session, ARCHETYPE, 11);
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    assert_eq!(group.participants, 17);
    for rubric in &group.rubrics {
        let figures = rubric.figures.shown().unwrap();
        assert_eq!(rubric.not_counted, 0);
        for dim in &figures.dimensions {
            let sum: usize = dim.bins.iter().map(|b| b.count).sum();
            assert_eq!(sum, figures.results, "{} {}", rubric.rubric_id, dim.id);
        }
        let verdicts: usize = figures.verdicts.iter().map(|v| v.count).sum();
        assert_eq!(verdicts, figures.results, "{}", rubric.rubric_id);
        if !figures.archetypes.is_empty() {
            let mix: usize = figures.archetypes.iter().map(|v| v.count).sum();
            assert_eq!(mix, figures.results);
        }
    }
    let readiness = group.rubrics[0].figures.shown().unwrap();
    assert_eq!(
        readiness.dimensions.len(),
        library.bundle.rubric(READINESS).unwrap().dimensions.len(),
        "one histogram per dimension"
    );
    assert!(readiness
        .verdicts
        .iter()
        .all(|v| v.id.is_some() && !v.label.is_empty()));
    let archetype = group.rubrics[1].figures.shown().unwrap();
    assert!(
        !archetype.archetypes.is_empty(),
        "the archetype rubric has a mix"
    );
}

#[test]
fn a_session_that_hides_group_results_shows_none_until_revealed() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(
        &store,
        &library,
        SessionConfig {
            hide_until_revealed: true,
            ..config(&[READINESS])
        },
    );
    take_turns(&store, &library, &session, READINESS, 6);
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    assert_eq!(
        group.rubrics[0].figures,
        GroupFigures::NotRevealed { have: 6 }
    );
    store.set_revealed(session.id, true).unwrap();
    let session = store.session(session.id).unwrap();
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    assert!(group.rubrics[0].figures.shown().is_some());
}

#[test]
fn aggregates_carry_no_answer_no_free_text_and_no_alias() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS, ARCHETYPE]));
    take_turns(&store, &library, &session, READINESS, 6);
    take_turns(&store, &library, &session, ARCHETYPE, 6);
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    assert!(group.rubrics.iter().all(|r| r.figures.shown().is_some()));
    let everything = format!("{group:?}");
    for individual in ["Alias-Zebra-42", "SECRET", "answers", "alias", "uuid"] {
        assert!(
            !everything.contains(individual),
            "{individual} in {everything}"
        );
    }
}

#[test]
fn results_of_another_rubric_version_are_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(
        &store,
        &library,
        SessionConfig {
            min_group: 3,
            ..config(&[READINESS])
        },
    );
    take_turns(&store, &library, &session, READINESS, 3);
    let (completed, encoded) = complete(&library, READINESS, 1);
    let old = NewWorkshopResult {
        rubric_version: completed.rubric.version - 1,
        ..NewWorkshopResult::from_completed(&completed, &encoded, session.id, None)
    };
    store.save_workshop_result(&old).unwrap();
    let damaged = NewWorkshopResult {
        engine_result: &[0xff, 0xff],
        ..NewWorkshopResult::from_completed(&completed, &encoded, session.id, None)
    };
    store.save_workshop_result(&damaged).unwrap();
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    assert_eq!(group.rubrics[0].not_counted, 2);
    assert_eq!(group.rubrics[0].figures.shown().unwrap().results, 3);
}

// ---- 5. Facilitator PIN ----

const T0: i64 = 1_767_261_600;

fn wrong_times(pin: &FacilitatorPin<'_>, n: u32, now: i64) -> PinError {
    let mut last = None;
    for _ in 0..n {
        last = Some(pin.verify("0000", now).unwrap_err());
    }
    last.unwrap()
}

#[test]
fn a_pin_is_set_once_from_two_equal_entries_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let pin = FacilitatorPin::new(&store);
    assert!(!pin.is_set().unwrap());
    assert!(matches!(pin.verify("1234", T0), Err(PinError::NotSet)));
    assert!(matches!(
        pin.set_pin("123", "123"),
        Err(PinError::TooShort { min: 4 })
    ));
    assert!(matches!(
        pin.set_pin("12a4", "12a4"),
        Err(PinError::NotDigits)
    ));
    assert!(matches!(
        pin.set_pin("١٢٣٤", "١٢٣٤"),
        Err(PinError::NotDigits)
    ));
    assert!(matches!(
        pin.set_pin("1234", "1243"),
        Err(PinError::Mismatch)
    ));
    assert!(!pin.is_set().unwrap());
    pin.set_pin("1234", "1234").unwrap();
    assert!(matches!(
        pin.set_pin("5678", "5678"),
        Err(PinError::AlreadySet)
    ));
    pin.verify("1234", T0).unwrap();
    assert!(matches!(
        pin.verify("4321", T0),
        Err(PinError::Wrong { attempts_left: 4 })
    ));

    let stored = store
        .setting(kiosk::workshop::pin::HASH_SETTING)
        .unwrap()
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("1234"));
}

#[test]
fn the_fifth_wrong_pin_locks_out_for_60_s_even_the_right_pin_then_120_s() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let pin = FacilitatorPin::new(&store);
    pin.set_pin("2468", "2468").unwrap();
    assert!(matches!(
        wrong_times(&pin, 4, T0),
        PinError::Wrong { attempts_left: 1 }
    ));
    assert!(matches!(
        pin.verify("0000", T0),
        Err(PinError::LockedOut { seconds_left: 60 })
    ));
    assert!(matches!(
        pin.verify("2468", T0 + 59),
        Err(PinError::LockedOut { seconds_left: 1 })
    ));
    assert_eq!(pin.locked_for(T0 + 30).unwrap(), Some(30));
    assert_eq!(pin.locked_for(T0 + 60).unwrap(), None);

    // The lockout over, five more wrong: twice as long.
    let at = T0 + 60;
    assert!(matches!(
        wrong_times(&pin, 5, at),
        PinError::LockedOut { seconds_left: 120 }
    ));
    assert!(matches!(
        pin.verify("2468", at + 119),
        Err(PinError::LockedOut { .. })
    ));
    assert!(matches!(
        wrong_times(&pin, 5, at + 120),
        PinError::LockedOut { seconds_left: 240 }
    ));
    assert_eq!(kiosk::workshop::pin::lockout_secs(4), 480);
}

#[test]
fn the_lockout_survives_reopening_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    FacilitatorPin::new(&store).set_pin("2468", "2468").unwrap();
    wrong_times(&FacilitatorPin::new(&store), 5, T0);
    drop(store);
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let pin = FacilitatorPin::new(&store);
    assert!(matches!(
        pin.verify("2468", T0 + 10),
        Err(PinError::LockedOut { seconds_left: 50 })
    ));
    pin.verify("2468", T0 + 60).unwrap();
}

#[test]
fn a_right_pin_resets_the_wrong_attempts_and_the_doubling() {
    let dir = tempfile::tempdir().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let pin = FacilitatorPin::new(&store);
    pin.set_pin("2468", "2468").unwrap();
    wrong_times(&pin, 5, T0);
    pin.verify("2468", T0 + 60).unwrap();
    assert!(matches!(
        wrong_times(&pin, 4, T0 + 61),
        PinError::Wrong { attempts_left: 1 }
    ));
    pin.verify("2468", T0 + 61).unwrap();
    assert!(matches!(
        wrong_times(&pin, 4, T0 + 62),
        PinError::Wrong { attempts_left: 1 }
    ));
    assert!(matches!(
        pin.verify("0000", T0 + 62),
        Err(PinError::LockedOut { seconds_left: 60 })
    ));
}

// ---- Peer round ----

#[test]
fn a_peer_round_keeps_only_its_outcome() {
    let two_agree = PeerRoundOutcome::from_picks(&["scope", "influence", "scope"]).unwrap();
    assert_eq!(two_agree, PeerRoundOutcome::DevelopmentArea("scope".into()));
    let spread = PeerRoundOutcome::from_picks(&["scope", "influence", "horizon"]).unwrap();
    let PeerRoundOutcome::Spread(counts) = &spread else {
        panic!("{spread:?}")
    };
    assert_eq!(counts.values().sum::<u8>(), 3);
    assert!(PeerRoundOutcome::from_picks::<&str>(&[]).is_err());
    assert!(PeerRoundOutcome::from_picks(&["a", "b", "c", "d"]).is_err());

    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = new_session(&store, &library, config(&[READINESS]));
    take_turns(&store, &library, &session, READINESS, 1);
    let id = store.workshop_results(session.id).unwrap()[0].id;
    assert_eq!(store.peer_round(id).unwrap(), None);
    store.save_peer_round(id, &spread).unwrap();
    assert_eq!(store.peer_round(id).unwrap(), Some(spread));
}

#[test]
fn imported_results_keep_their_ids_and_a_repeated_id_adds_nothing() {
    use kiosk::workshop::{ResultId, SessionId, WorkshopResult};
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let valid = config(&[READINESS]).validate(&library.bundle).unwrap();
    let template = store
        .create_session(&valid, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    // A session this store has never seen, as another kiosk exported it.
    let elsewhere = Session {
        id: SessionId::random(),
        ..template.clone()
    };
    let (completed, encoded) = complete(&library, READINESS, 3);
    let row = NewWorkshopResult::from_completed(&completed, &encoded, elsewhere.id, None);
    let imported = WorkshopResult {
        id: ResultId::random(),
        session: elsewhere.id,
        rubric_id: row.rubric_id.to_string(),
        rubric_version: row.rubric_version,
        bundle_hash: row.bundle_hash.to_string(),
        alias: None,
        answers_json: row.answers_json.to_string(),
        report_json: row.report_json.to_string(),
        engine_result: row.engine_result.to_vec(),
    };

    // Joining a session that is not there is refused and stores nothing.
    assert!(matches!(
        store.import_workshop_results(&elsewhere, false, std::slice::from_ref(&imported)),
        Err(StoreError::NoSuchSession(id)) if id == elsewhere.id
    ));
    assert_eq!(store.session_of_result(imported.id).unwrap(), None);

    store
        .import_workshop_results(&elsewhere, true, std::slice::from_ref(&imported))
        .unwrap();
    assert_eq!(store.session(elsewhere.id).unwrap().name, elsewhere.name);
    assert_eq!(
        store.session_of_result(imported.id).unwrap(),
        Some(elsewhere.id)
    );
    let stored = store.workshop_results(elsewhere.id).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, imported.id);
    // Read back, it is the very record the importer handed over.
    assert_eq!(stored[0], imported);

    // The same id again: the whole batch is refused, the first copy stays alone.
    let second = WorkshopResult {
        id: ResultId::random(),
        ..imported.clone()
    };
    assert!(store
        .import_workshop_results(&elsewhere, false, &[second.clone(), imported.clone()])
        .is_err());
    assert_eq!(store.workshop_results(elsewhere.id).unwrap().len(), 1);
    assert_eq!(store.session_of_result(second.id).unwrap(), None);
}
