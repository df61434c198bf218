//! The authoring preview driven as an author would: a saved change shows
//! up, keeping the answers and the question; an error is shown in place
//! with its line while the last good version stays answerable; fixing it
//! clears it. Files are really written and the real file watcher reports them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::preview::source::LoadProblem;
use kiosk::app::preview::{Fill, PreviewApp, PreviewView, SETTLE};
use rubric_engine::Answer;
use rubrics::templates::Template;

fn harness(path: &Path) -> Harness<'static, PreviewApp> {
    let app = PreviewApp::new(path.to_path_buf(), false);
    let mut h = Harness::builder()
        .with_size([1300.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut PreviewApp| app.ui_root(ui), app);
    h.run_ok();
    h
}

/// Steps the app until `done` holds: the watcher reports from its own
/// thread, so this waits for it (at most ten seconds; the benchmark
/// measures how long it really takes).
fn wait_until(
    h: &mut Harness<'static, PreviewApp>,
    done: impl Fn(&Harness<'static, PreviewApp>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the preview did not follow the file"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run_ok();
}

fn click(h: &mut Harness<'static, PreviewApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

fn current(h: &Harness<'static, PreviewApp>) -> Option<usize> {
    match &h.state().view {
        PreviewView::Answer(state) => state.attempt.runner.current(),
        _ => None,
    }
}

fn answer(h: &Harness<'static, PreviewApp>, index: usize) -> Answer {
    match &h.state().view {
        PreviewView::Answer(state) => state.attempt.runner.answer_of(index),
        _ => Answer::Unanswered,
    }
}

const FIRST: &str = "Replace this with your first yes/no question.";
const SECOND: &str = "Replace this with your second question.";

#[test]
fn saving_shows_the_change_errors_in_place_and_their_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.toml");
    let good = Template::YesNoCount.text("team", "Team");
    std::fs::write(&path, &good).unwrap();
    let mut h = harness(&path);
    assert_eq!(h.state().version, 1);
    h.get_by_label(FIRST);

    // Answer the first question and move on to the second.
    click(&mut h, "Yes");
    click(&mut h, "Next");
    assert_eq!(current(&h), Some(1));

    // The author rewords the second question and saves.
    let edited = good.replace(SECOND, "Do other teams ask for your view?");
    std::fs::write(&path, &edited).unwrap();
    wait_until(&mut h, |h| h.state().version == 2);
    // Reloading reads the file; reading is no change, so nothing follows.
    for _ in 0..5 {
        std::thread::sleep(SETTLE);
        h.step();
    }
    assert_eq!(h.state().version, 2, "a reload must not trigger another");
    h.get_by_label("Do other teams ask for your view?");
    assert!(h.query_by_label(SECOND).is_none());
    assert_eq!(
        current(&h),
        Some(1),
        "the preview stays on the question being edited"
    );
    assert_eq!(
        answer(&h, 0),
        Answer::YesNo(true),
        "answers to items that still exist are kept"
    );

    // A typo: an unknown key on line 37 of the file.
    let broken = edited.replace("id = \"third-sign\"\nkind", "id = \"third-sign\"\nknid");
    assert_ne!(broken, edited);
    let line = broken.lines().position(|l| l.starts_with("knid")).unwrap() + 1;
    std::fs::write(&path, &broken).unwrap();
    wait_until(&mut h, |h| h.state().problem().is_some());
    let Some(LoadProblem::Diagnostics(found)) = h.state().problem() else {
        panic!("expected diagnostics, got {:?}", h.state().problem());
    };
    assert!(found.iter().any(|d| d.diagnostic.line == line));
    h.get_by_label(&format!("team.toml:{line}:1"));
    h.get_by_label_contains("unknown key `knid`");
    h.get_by_label_contains("did you mean `kind`?");
    // The source line with a marker under the column.
    h.get_by_label("knid = \"yes-no\"\n^");
    h.get_by_label_contains("the last one that compiled");
    // The last good version is still answerable.
    assert_eq!(h.state().version, 2);
    click(&mut h, "No");
    assert_eq!(answer(&h, 1), Answer::YesNo(false));

    // Fixed: the error clears on the next save, and a new version shows.
    std::fs::write(&path, &edited).unwrap();
    wait_until(&mut h, |h| h.state().problem().is_none());
    assert!(h.state().version >= 3, "a new version after the fix");
    assert!(h.query_by_label_contains("unknown key").is_none());
    assert_eq!(answer(&h, 1), Answer::YesNo(false));
}

#[test]
fn try_answers_shows_a_result_screen_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.toml");
    std::fs::write(&path, Template::ArchetypeFit.text("fit", "Fit")).unwrap();
    let mut h = harness(&path);
    click(&mut h, "All lowest");
    assert!(matches!(h.state().view, PreviewView::Result(_)));
    h.get_by_label_contains("Most of your answers chose building");
    click(&mut h, "All highest");
    h.get_by_label_contains("Most of your answers chose making something failing work");
    click(&mut h, "Back to the questions");
    assert!(matches!(h.state().view, PreviewView::Answer(_)));
    h.state_mut().fill(Fill::Random);
    assert!(matches!(h.state().view, PreviewView::Result(_)));
}

/// Three questions worth two points each: the sum is always even, so the
/// band for exactly one point is in range (the compiler accepts it) and
/// still never reached.
const UNREACHABLE: &str = include_str!("../../rubrics/tests/fixtures/unreachable-band.toml");

#[test]
fn the_coverage_panel_names_a_band_no_answers_reach() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gut.toml");
    std::fs::write(&path, UNREACHABLE).unwrap();
    let mut h = harness(&path);
    wait_until(&mut h, |h| h.state().coverage().is_some());
    let unreached: Vec<String> = h
        .state()
        .coverage()
        .unwrap()
        .unreached()
        .map(|b| b.id.clone())
        .collect();
    assert_eq!(unreached, ["one-point"]);
    h.get_by_label("Never reached: one-point (points), \"One point\"");
    h.get_by_label_contains("Every one of the 8 complete answer sets was scored");

    // Fixed and saved: the panel follows.
    std::fs::write(
        &path,
        UNREACHABLE
            .replace("range = [1, 1]", "range = [1, 2]")
            .replace("range = [2, 6]", "range = [3, 6]"),
    )
    .unwrap();
    wait_until(&mut h, |h| {
        h.state().version == 2 && h.state().coverage().is_some_and(|c| !c.has_problems())
    });
    assert!(h.query_by_label_contains("Never reached").is_none());
}
