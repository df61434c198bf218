//! Group figures that cannot be differenced: counted in steps of a whole
//! minimum group (what `report` prints), and on the facilitator's screens
//! kept as last shown until a whole group of new results arrived.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod workshop_common;
use kiosk::library::Loaded;
use kiosk::store::ResultsStore;
use kiosk::workshop::aggregate::RubricFigures;
use kiosk::workshop::{
    session_aggregates, session_aggregates_in_steps, GroupFigures, NewWorkshopResult, Session,
    SessionAggregates, SessionConfig, SessionDate, ShownFigures,
};
use workshop_common::complete;

const READINESS: &str = "staff-readiness";

fn session(store: &ResultsStore, library: &Loaded) -> Session {
    let config = SessionConfig {
        name: "Differencing".into(),
        rubric_ids: vec![READINESS.into()],
        min_group: 3,
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap()
}

fn take_turn(store: &ResultsStore, library: &Loaded, session: &Session, seed: usize) {
    let (completed, encoded) = complete(library, READINESS, seed);
    let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
    store.save_workshop_result(&row).unwrap();
}

fn figures(group: &SessionAggregates) -> RubricFigures {
    group.rubrics[0].figures.shown().cloned().unwrap()
}

#[test]
fn stepped_figures_count_only_whole_groups_and_say_how_many_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = session(&store, &library);
    for seed in 0..2 {
        take_turn(&store, &library, &session, seed);
    }
    let group = session_aggregates_in_steps(&store, &session, &library.bundle).unwrap();
    assert_eq!(
        group.rubrics[0].figures,
        GroupFigures::TooFew { have: 2, need: 3 }
    );
    let mut counted = Vec::new();
    let mut waiting = Vec::new();
    for seed in 2..10 {
        take_turn(&store, &library, &session, seed);
        let group = session_aggregates_in_steps(&store, &session, &library.bundle).unwrap();
        counted.push(figures(&group).results);
        waiting.push(group.rubrics[0].waiting);
    }
    // 3 to 10 results stored: 3, 3, 3, 6, 6, 6, 9, 9 counted, the rest waiting.
    assert_eq!(counted, [3, 3, 3, 6, 6, 6, 9, 9]);
    assert_eq!(waiting, [0, 1, 2, 0, 1, 2, 0, 1]);
    // At a multiple every result counts, exactly as the plain figures do.
    for seed in 10..12 {
        take_turn(&store, &library, &session, seed);
    }
    assert_eq!(
        session_aggregates_in_steps(&store, &session, &library.bundle).unwrap(),
        session_aggregates(&store, &session, &library.bundle).unwrap()
    );
}

#[test]
fn shown_figures_do_not_change_until_a_whole_group_of_new_results_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = session(&store, &library);
    let mut shown = ShownFigures::default();
    let mut show = |store: &ResultsStore| {
        shown.pass(session_aggregates_in_steps(store, &session, &library.bundle).unwrap())
    };
    for seed in 0..3 {
        take_turn(&store, &library, &session, seed);
    }
    let first = show(&store);
    assert_eq!(figures(&first).results, 3);
    // Two more people, one at a time: what the screens show stays the same,
    // to the last bin, even when a new result takes an old one's place in
    // the stepped count.
    let mut plain_changed = 0;
    for seed in 3..5 {
        let before = session_aggregates(&store, &session, &library.bundle).unwrap();
        take_turn(&store, &library, &session, seed * 7 + 1);
        let after = session_aggregates(&store, &session, &library.bundle).unwrap();
        plain_changed += usize::from(figures(&before) != figures(&after));
        let now = show(&store);
        let shown_figures = |g: &SessionAggregates| -> Vec<GroupFigures> {
            g.rubrics.iter().map(|r| r.figures.clone()).collect()
        };
        assert_eq!(
            shown_figures(&now),
            shown_figures(&first),
            "after {} results",
            seed + 1
        );
        assert_eq!(now.rubrics[0].waiting, seed + 1 - 3);
        assert_eq!(now.participants, seed + 1, "the count of people moves");
    }
    assert_eq!(plain_changed, 2, "the plain figures would have told");
    // The third new result completes a group: now the figures move.
    take_turn(&store, &library, &session, 99);
    let second = show(&store);
    assert_eq!(figures(&second).results, 6);
    assert_eq!(
        second,
        session_aggregates(&store, &session, &library.bundle).unwrap()
    );
}

#[test]
fn revealing_shows_the_figures_as_counted_now() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let session = session(&store, &library);
    let mut shown = ShownFigures::default();
    for seed in 0..4 {
        take_turn(&store, &library, &session, seed);
    }
    let first = shown.pass(session_aggregates_in_steps(&store, &session, &library.bundle).unwrap());
    // Figures of the same count that differ (as after a swap between steps).
    let mut swapped = first.clone();
    if let GroupFigures::Shown(f) = &mut swapped.rubrics[0].figures {
        f.verdicts[0].count += 1;
        f.verdicts[1].count = f.verdicts[1].count.saturating_sub(1);
    }
    assert_ne!(swapped, first);
    assert_eq!(shown.pass(swapped.clone()), first, "kept until a step");
    shown.forget();
    assert_eq!(
        shown.pass(swapped.clone()),
        swapped,
        "the reveal shows them as counted"
    );
}
