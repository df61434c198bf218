//! The real app driven through its accessibility labels, as a screen reader
//! (or a person) would: every shipped rubric answered to the end, keyboard
//! use, conditional items, resume after a restart, history, settings.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::{AppOptions, KioskApp, Screen};
use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::{Answer, Answers};

fn harness(dir: &Path) -> Harness<'static, KioskApp> {
    let app = KioskApp::new(dir.to_path_buf(), AppOptions::default());
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    h
}

fn library() -> rubric_engine::Bundle<'static> {
    kiosk::library::shipped().unwrap().bundle
}

/// Scrolls a control into view, as a person would, and clicks it.
fn click(h: &mut Harness<'static, KioskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

fn current(h: &Harness<'static, KioskApp>) -> Option<usize> {
    match &h.state().screen {
        Screen::Answer(state) => state.attempt.runner.current(),
        _ => None,
    }
}

fn on_result(h: &Harness<'static, KioskApp>) -> bool {
    matches!(h.state().screen, Screen::Result(_))
}

/// Answers the current item by clicking, choosing by `pick`; records the
/// answer the engine should now hold.
fn answer_current(
    h: &mut Harness<'static, KioskApp>,
    rubric: &Rubric<'static>,
    answers: &mut Answers,
    pick: usize,
) {
    let index = current(h).expect("on an item");
    let item = rubric.item(index).unwrap();
    match item.kind {
        ItemKind::Scale {
            min, descriptors, ..
        } => {
            let i = pick % descriptors.len();
            click(h, &format!("{}   {}", i + 1, descriptors.get(i).unwrap()));
            answers.set(index, Answer::Level(min + i as u8)).unwrap();
        }
        ItemKind::YesNo { .. } => {
            let yes = pick.is_multiple_of(2);
            click(h, if yes { "Yes" } else { "No" });
            answers.set(index, Answer::YesNo(yes)).unwrap();
        }
        ItemKind::Single { options } => {
            let i = pick % options.len();
            click(h, &format!("{}   {}", i + 1, options.get(i).unwrap().label));
            answers.set(index, Answer::Choice(i as u8)).unwrap();
        }
        ItemKind::Multi { options } => {
            let i = pick % options.len();
            click(h, &format!("{}   {}", i + 1, options.get(i).unwrap().label));
            answers.set(index, Answer::Choices(1 << i)).unwrap();
        }
        ItemKind::Count { min, max, .. } => {
            let times = (pick % 4) as u32;
            for _ in 0..times.max(1) {
                click(h, "+ 1");
            }
            // "+ 1" on an empty count gives min, then min + 1, ...
            answers
                .set(index, Answer::Count((min + times.max(1) - 1).min(max)))
                .unwrap();
        }
        ItemKind::Text => {}
    }
}

fn next(h: &mut Harness<'static, KioskApp>) {
    if h.query_by_label("Next").is_some() {
        click(h, "Next");
    } else {
        click(h, "Finish");
    }
}

fn expected_label(rubric: &Rubric<'static>, answers: &Answers) -> String {
    let result = rubric_engine::score(rubric, answers);
    rubrics::report::report(rubric, &result)
        .verdict_label
        .expect("a complete attempt has a verdict")
}

#[test]
fn every_shipped_rubric_can_be_completed_and_shows_the_engines_verdict() {
    for (n, rubric) in library().rubrics().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path());
        click(&mut h, rubric.title);
        assert!(
            matches!(h.state().screen, Screen::Intro(_)),
            "{}: {:?}",
            rubric.id,
            h.state().screen
        );
        assert!(
            h.query_by_label_contains("Your answers stay on this machine")
                .is_some(),
            "{}",
            rubric.id
        );
        click(&mut h, "Start");
        let mut answers = Answers::new(rubric.items.len());
        let mut steps = 0;
        while !on_result(&h) {
            steps += 1;
            assert!(steps < 80, "{}: stuck", rubric.id);
            answer_current(&mut h, &rubric, &mut answers, n + steps);
            next(&mut h);
        }
        let label = expected_label(&rubric, &answers);
        assert!(
            h.query_by_label(&label).is_some(),
            "{}: verdict {label:?} is not shown",
            rubric.id
        );
        let Screen::Result(state) = &h.state().screen else {
            unreachable!()
        };
        assert!(
            state.saved.is_ok(),
            "{}: not saved: {:?}",
            rubric.id,
            state.saved
        );
        assert_eq!(state.completed.answers, answers, "{}", rubric.id);
    }
}

#[test]
fn keyboard_only_completion() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    let rubric = library().rubric("staff-readiness").unwrap();
    click(&mut h, rubric.title);
    click(&mut h, "Start");
    let mut answers = Answers::new(rubric.items.len());
    for i in 0..rubric.items.len() {
        let digit = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
        ][i % 4];
        h.key_press(digit);
        h.run_ok();
        answers.set(i, Answer::Level(1 + (i % 4) as u8)).unwrap();
        h.key_press(egui::Key::Enter);
        h.run_ok();
    }
    assert!(on_result(&h), "Enter on the last item finishes");
    let label = expected_label(&rubric, &answers);
    assert!(
        h.query_by_label(&label).is_some(),
        "verdict {label:?} shown"
    );

    // Y/N and arrows on a yes/no rubric, and Escape asks before leaving.
    let mut h = harness(dir.path());
    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    h.key_press(egui::Key::Y);
    h.run_ok();
    h.key_press(egui::Key::ArrowRight);
    h.run_ok();
    assert_eq!(current(&h), Some(1));
    h.key_press(egui::Key::ArrowLeft);
    h.run_ok();
    assert_eq!(current(&h), Some(0));
    h.key_press(egui::Key::Escape);
    h.run_ok();
    assert!(h.query_by_label("Leave this assessment?").is_some());
    click(&mut h, "Keep answering");
    assert_eq!(current(&h), Some(0));
}

#[test]
fn required_items_block_next_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    click(&mut h, "Next");
    assert_eq!(current(&h), Some(0));
    assert!(h
        .query_by_label("This question needs an answer before you go on.")
        .is_some());
}

#[test]
fn conditional_item_appears_and_disappears() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    let rubric = library().rubric("work-ledger").unwrap();
    click(&mut h, rubric.title);
    click(&mut h, "Start");
    // One piece of work helped (the first "+ 1" gives 0), then the first pile.
    click(&mut h, "+ 1");
    click(&mut h, "+ 1");
    click(&mut h, "Next");
    click(&mut h, "+ 1");
    click(&mut h, "Next");
    // The archetype question; choosing "solver" reveals a follow-up.
    click(&mut h, "3   Solver: sent into the hardest problems");
    assert!(
        h.query_by_label("Next").is_some(),
        "the solver follow-up comes next"
    );
    click(&mut h, "Next");
    assert!(h.query_by_label_contains("As a solver").is_some());
    click(&mut h, "Back");
    click(
        &mut h,
        "2   Architect: direction and standards across teams",
    );
    assert!(
        h.query_by_label("Finish").is_some(),
        "without solver the archetype question is last"
    );
    click(&mut h, "Finish");
    assert!(on_result(&h));
}

#[test]
fn resume_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(dir.path());
        click(&mut h, "Cross-team gut check");
        click(&mut h, "Start");
        click(&mut h, "Yes");
        click(&mut h, "Next");
        click(&mut h, "No");
        // The process is killed here: no Leave, no Finish.
    }
    let mut h = harness(dir.path());
    assert!(h.query_by_label_contains("unfinished attempt").is_some());
    click(&mut h, "Resume");
    assert_eq!(current(&h), Some(1));
    let Screen::Answer(state) = &h.state().screen else {
        panic!("not answering")
    };
    assert_eq!(state.attempt.runner.answer_of(0), Answer::YesNo(true));
    assert_eq!(state.attempt.runner.answer_of(1), Answer::YesNo(false));
}

#[test]
fn history_shows_results_after_reopening_the_store() {
    let dir = tempfile::tempdir().unwrap();
    for yes in [true, false] {
        let mut h = harness(dir.path());
        click(&mut h, "Cross-team gut check");
        click(&mut h, "Start");
        for _ in 0..4 {
            click(&mut h, if yes { "Yes" } else { "No" });
            next(&mut h);
        }
        assert!(on_result(&h));
    }
    let mut h = harness(dir.path());
    click(&mut h, "History");
    click(&mut h, "Cross-team gut check: 2 attempts");
    assert!(h
        .query_by_label("Attempt 1 compared with attempt 2")
        .is_some());
    assert!(h
        .query_by_label(
            "Verdict: Your reach goes past your team then Your world is still team-sized"
        )
        .is_some());
    assert!(h.query_by_label("down 100 points").is_some());
}

#[test]
fn theme_and_zoom_change_without_panics_and_persist() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(dir.path());
        click(&mut h, "Settings");
        for theme in ["Dark", "High contrast", "Light", "High contrast"] {
            click(&mut h, theme);
        }
        click(&mut h, "200%");
        assert_eq!(h.state().zoom(), 2.0);
        click(&mut h, "Smaller text");
        assert_eq!(h.state().zoom(), 1.8);
        click(&mut h, "Larger text");
        click(&mut h, "Home");
        click(&mut h, "Staff readiness self-assessment");
    }
    let h = harness(dir.path());
    assert_eq!(h.state().theme(), kiosk::app::theme::Theme::HighContrast);
    assert_eq!(h.state().zoom(), 2.0);
}

#[test]
fn delete_all_data_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    click(&mut h, "Yes");
    h.key_press(egui::Key::Escape);
    h.run_ok();
    click(&mut h, "Leave and keep my answers");
    assert!(h.state().resume_offer().is_some());
    click(&mut h, "Settings");
    click(&mut h, "Delete all my data");
    click(&mut h, "Keep my data");
    assert!(h.state().resume_offer().is_some());
    click(&mut h, "Delete all my data");
    click(&mut h, "Delete everything");
    assert!(h.state().resume_offer().is_none());
    assert!(h.query_by_label_contains("were deleted").is_some());
}

#[test]
fn a_damaged_database_is_reported_on_screen_and_results_are_not_lost_silently() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite3");
    std::fs::write(
        &db,
        b"garbage that is certainly not a database file, long enough to have a header".repeat(10),
    )
    .unwrap();
    let mut h = harness(dir.path());
    assert!(h
        .query_by_label_contains("Results cannot be saved")
        .is_some());
    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    for _ in 0..4 {
        click(&mut h, "Yes");
        next(&mut h);
    }
    assert!(h
        .query_by_label_contains("This result has NOT been saved")
        .is_some());
    assert!(h.query_by_label("Your reach goes past your team").is_some());
    assert!(h.query_by_label("Try saving again").is_some());
}

/// Answers "Yes" to the four questions of the cross-team gut check, from home.
fn complete_gut_check(h: &mut Harness<'static, KioskApp>) {
    click(h, "Cross-team gut check");
    click(h, "Start");
    for _ in 0..4 {
        click(h, "Yes");
        next(h);
    }
    assert!(on_result(h));
}

fn saved_row(h: &Harness<'static, KioskApp>) -> Option<i64> {
    match &h.state().screen {
        Screen::Result(state) => state.saved.as_ref().ok().copied(),
        _ => None,
    }
}

#[test]
fn try_saving_again_opens_the_store_once_the_obstacle_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    // The data folder is a file: fails for root too, unlike permission bits.
    let data = dir.path().join("data");
    std::fs::write(&data, b"someone's notes, not a folder").unwrap();
    let mut h = harness(&data);
    assert!(h
        .query_by_label_contains("Results cannot be saved")
        .is_some());
    complete_gut_check(&mut h);
    assert!(h
        .query_by_label_contains("This result has NOT been saved")
        .is_some());
    assert_eq!(saved_row(&h), None);

    std::fs::remove_file(&data).unwrap();
    click(&mut h, "Try saving again");
    let id = saved_row(&h).expect("saved on the second try");
    assert!(h
        .query_by_label_contains("This result has NOT been saved")
        .is_none());
    assert!(h
        .query_by_label_contains("Results cannot be saved")
        .is_none());
    let store = kiosk::store::ResultsStore::open_in(&data).unwrap();
    let rows = store.results_for("cross-team-gut-check").unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
}

#[test]
fn try_saving_again_succeeds_once_another_program_releases_its_lock() {
    let dir = tempfile::tempdir().unwrap();
    drop(kiosk::store::ResultsStore::open_in(dir.path()).unwrap());
    let other = rusqlite::Connection::open(dir.path().join("results.sqlite3")).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let mut h = harness(dir.path());
    assert!(h.query_by_label_contains("is locked").is_some());
    complete_gut_check(&mut h);
    assert_eq!(saved_row(&h), None);

    other.execute_batch("COMMIT;").unwrap();
    click(&mut h, "Try saving again");
    assert!(saved_row(&h).is_some());
    let count: i64 = other
        .query_row("SELECT count(*) FROM results", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn resuming_after_the_rubric_changed_keeps_the_answers_that_fit_and_says_how_many_were_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = kiosk::store::ResultsStore::open_in(dir.path()).unwrap();
    store
        .save_progress(&kiosk::store::InProgress {
            rubric_id: "staff-readiness".into(),
            bundle_hash: "a-library-from-an-earlier-release".into(),
            // An item the rubric no longer has, and a level it no longer allows.
            answers_json: r#"{"cross-team-time": 2, "follow-ups": 9, "retired-question": 3, "planning-horizon": 4}"#
                .into(),
            cursor: 3,
            updated_at: 1,
        })
        .unwrap();
    drop(store);
    let mut h = harness(dir.path());
    click(&mut h, "Resume");
    let Screen::Answer(state) = &h.state().screen else {
        panic!("not answering: {:?}", h.state().screen)
    };
    let runner = &state.attempt.runner;
    assert_eq!(runner.answer_of(0), Answer::Level(2));
    assert_eq!(runner.answer_of(1), Answer::Unanswered);
    assert_eq!(runner.answer_of(2), Answer::Level(4));
    assert!(h
        .query_by_label("2 answers no longer fit the updated rubric and were dropped.")
        .is_some());
}

#[test]
fn one_unreadable_result_hides_only_itself_in_the_history() {
    let corruptions = [
        "UPDATE results SET report_json = '{\"rubric\": damaged' WHERE id = 1",
        "UPDATE results SET engine_result = x'ff' WHERE id = 1",
        "UPDATE results SET rubric_id = 'a-retired-rubric' WHERE id = 1",
        "UPDATE results SET rubric_version = 'not a number' WHERE id = 1",
    ];
    for sql in corruptions {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("results.sqlite3");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/results-v1.sqlite3"
            ),
            &db,
        )
        .unwrap();
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let mut h = harness(dir.path());
        click(&mut h, "History");
        // Result 1 was the first of two cross-team gut checks.
        let note = "1 result could not be read and is not shown.";
        assert!(h.query_by_label(note).is_some(), "{sql}");
        assert!(h.query_by_label("a-retired-rubric").is_none(), "{sql}");
        assert!(
            h.query_by_label_contains("Staff readiness self-assessment: ")
                .is_some(),
            "{sql}"
        );
        h.get_by_label_contains("Cross-team gut check: ").click();
        h.run_ok();
        assert!(h.query_by_label("Compare attempt 1").is_some(), "{sql}");
        assert!(h.query_by_label("Compare attempt 2").is_none(), "{sql}");
    }
}

#[test]
fn unreadable_settings_are_reported_and_the_defaults_apply() {
    let dir = tempfile::tempdir().unwrap();
    drop(kiosk::store::ResultsStore::open_in(dir.path()).unwrap());
    rusqlite::Connection::open(dir.path().join("results.sqlite3"))
        .unwrap()
        .execute_batch(
            "INSERT INTO settings (key, value) VALUES ('theme', 'dark'), ('zoom', x'ff')",
        )
        .unwrap();
    let h = harness(dir.path());
    assert!(h
        .query_by_label_contains("Your settings could not be read, so the defaults apply")
        .is_some());
}

/// Stores `answers` (an answers file's JSON) as the attempt in progress at
/// its last question, resumes it and finishes; ends on the result screen.
fn finish_with(
    dir: &Path,
    rubric_id: &str,
    answers: serde_json::Value,
) -> Harness<'static, KioskApp> {
    let library = kiosk::library::shipped().unwrap();
    let items = library.bundle.rubric(rubric_id).unwrap().items.len();
    let store = kiosk::store::ResultsStore::open_in(dir).unwrap();
    store
        .save_progress(&kiosk::store::InProgress {
            rubric_id: rubric_id.into(),
            bundle_hash: library.hash.clone(),
            answers_json: answers.to_string(),
            cursor: items - 1,
            updated_at: 1,
        })
        .unwrap();
    drop(store);
    let mut h = harness(dir);
    click(&mut h, "Resume");
    for _ in 0..4 {
        if matches!(h.state().screen, Screen::Result(_)) {
            break;
        }
        h.key_press(egui::Key::Enter);
        h.run_ok();
    }
    assert!(
        matches!(h.state().screen, Screen::Result(_)),
        "{:?}",
        h.state().screen
    );
    h
}

#[test]
fn why_this_result_shows_the_answers_behind_each_side_of_a_tie() {
    let dir = tempfile::tempdir().unwrap();
    // Tech Lead and Architect at 140 each (the tie of rubrics/tests/library.rs).
    let items = [
        "incident",
        "best-week",
        "ambiguity",
        "scope",
        "writing",
        "mentoring",
        "frustration",
        "relationship",
    ];
    let picks = ["tl", "ar", "tl", "tl", "ar", "ar", "tl", "ar"];
    let answers: serde_json::Map<String, serde_json::Value> = items
        .iter()
        .zip(picks)
        .map(|(item, pick)| (item.to_string(), serde_json::json!(pick)))
        .collect();
    let mut h = finish_with(dir.path(), "staff-archetype", answers.into());
    assert!(h
        .query_by_label_contains("Mixed profile: Tech Lead and Architect")
        .is_some());
    click(&mut h, "Why this result");
    assert!(h.query_by_label("Towards Tech Lead").is_some());
    assert!(h.query_by_label("Towards Architect").is_some());
    assert!(h.query_by_label("Towards Solver").is_none());
    // Every option weighs towards every archetype, so each of the eight
    // answers is listed under both, with its points for that archetype.
    assert_eq!(
        h.query_all_by_label_contains("to “").count(),
        2 * items.len()
    );
}

#[test]
fn why_this_result_names_the_dimension_that_held_the_verdict_back() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let rubric = library.bundle.rubric("staff-readiness").unwrap();
    // Top marks everywhere but cross-team time and follow-ups.
    let mut answers: serde_json::Map<String, serde_json::Value> = rubric
        .items
        .iter()
        .map(|item| (item.id.to_string(), serde_json::json!(4)))
        .collect();
    answers.insert("cross-team-time".into(), serde_json::json!(1));
    answers.insert("follow-ups".into(), serde_json::json!(1));
    let mut h = finish_with(dir.path(), "staff-readiness", answers.into());
    click(&mut h, "Why this result");
    assert!(h
        .query_by_label_contains("Time on problems beyond your team held the verdict back (")
        .is_some());
    // A screen reader reads the answer and its question as words apart.
    assert!(h.query_all_by_label_contains(") to “").count() > 0);
    assert_eq!(h.query_all_by_label_contains(")to “").count(), 0);
}
