//! "Start from a plan" in session setup, driven through its accessibility
//! labels: a plan fills the name and the rubrics in its order, the
//! facilitator can still change the ticks, and "Write the guide" writes the
//! guide and the handout into a folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::workshop::Stage;
use kiosk::app::{AppOptions, KioskApp};

const PIN: &str = "2468";

fn harness(dir: &Path) -> Harness<'static, KioskApp> {
    let options = AppOptions {
        kiosk: true,
        media_roots: vec![dir.join("STICK")],
        ..AppOptions::default()
    };
    let app = KioskApp::new(dir.join("data"), options);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    h
}

fn click(h: &mut Harness<'static, KioskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

fn keypad(h: &mut Harness<'static, KioskApp>, pin: &str) {
    for digit in pin.chars() {
        click(h, &digit.to_string());
    }
    click(h, "OK");
}

fn setup(h: &Harness<'static, KioskApp>) -> (String, Vec<String>, Option<String>) {
    match &h.state().workshop().expect("in workshop mode").stage {
        Stage::Setup(s) => (s.name.clone(), s.chosen.clone(), s.plan.clone()),
        _ => panic!("not in setup"),
    }
}

#[test]
fn a_plan_fills_the_session_the_ticks_still_change_and_the_guide_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    keypad(&mut h, PIN);
    keypad(&mut h, PIN);
    // The plans come first, each with its audience and minutes.
    assert!(h.query_by_label("Start from a plan").is_some());
    click(&mut h, "Is staff for you?: for engineers, 60 minutes");
    let (name, chosen, plan) = setup(&h);
    assert_eq!(name, "Is staff for you?");
    assert_eq!(
        chosen,
        ["want-the-work", "three-traps", "cross-team-gut-check"]
    );
    assert_eq!(plan.as_deref(), Some("is-staff-for-you"));
    assert!(h
        .query_by_label("Following the plan “Is staff for you?”.")
        .is_some());

    // The facilitator takes one rubric out and adds another.
    click(&mut h, "Which trap are you in?");
    click(&mut h, "Is it me or the org?");
    let (_, chosen, _) = setup(&h);
    assert_eq!(
        chosen,
        ["want-the-work", "cross-team-gut-check", "you-or-org"]
    );

    let folder = dir.path().join("guide out");
    h.get_by_label("Guide folder").focus();
    h.run_ok();
    h.get_by_label("Guide folder")
        .type_text(folder.to_str().unwrap());
    h.run_ok();
    click(&mut h, "Write the guide");
    let guide = std::fs::read_to_string(folder.join("is-staff-for-you-guide.html")).unwrap();
    let handout = std::fs::read_to_string(folder.join("is-staff-for-you-handout.html")).unwrap();
    assert!(guide.contains("Facilitator guide"));
    assert!(handout.contains("What stays anonymous"));

    // A plugged-in drive gets its own button; the files go in its export folder.
    let stick = dir.path().join("STICK");
    std::fs::create_dir_all(&stick).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while h.query_by_label("Write the guide to STICK").is_none()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
        h.run_ok();
    }
    click(&mut h, "Write the guide to STICK");
    let on_stick: Vec<_> = walk(&stick);
    assert!(
        on_stick
            .iter()
            .any(|p| p.ends_with("is-staff-for-you-guide.html")),
        "{on_stick:?}"
    );
    assert!(
        on_stick
            .iter()
            .any(|p| p.ends_with("is-staff-for-you-handout.html")),
        "{on_stick:?}"
    );

    // Another plan replaces the form; then the session is created from it.
    click(
        &mut h,
        "Is the track real here?: for managers and leaders, 60 minutes",
    );
    let (name, chosen, plan) = setup(&h);
    assert_eq!(name, "Is the track real here?");
    assert_eq!(chosen, ["staff-track-reality", "sponsor-check"]);
    assert_eq!(plan.as_deref(), Some("is-the-track-real"));
    click(&mut h, "Create session");
    let workshop = h.state().workshop().expect("in workshop mode");
    assert!(matches!(workshop.stage, Stage::Facilitator(_)));
    let store = kiosk::store::ResultsStore::open_in(&dir.path().join("data")).unwrap();
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].name, "Is the track real here?");
    assert_eq!(
        sessions[0].rubric_ids,
        ["staff-track-reality", "sponsor-check"]
    );
    assert_eq!(
        store.session_plan(sessions[0].id).unwrap().as_deref(),
        Some("is-the-track-real")
    );
    drop(store);
    follows_its_plan_now_and_after_a_restart(h, dir.path());
}

/// The session created from "Is the track real here?": the facilitator view
/// follows the plan at once, offers its guide, and follows it again after a
/// restart and the PIN.
fn follows_its_plan_now_and_after_a_restart(mut h: Harness<'static, KioskApp>, dir: &Path) {
    // The facilitator view follows the plan at once, and offers its guide.
    let steps = kiosk::plans::find("is-the-track-real").unwrap().steps.len();
    let first = format!("Is the track real here? · step 1 of {steps}");
    h.get_by_label(&first);
    click(&mut h, "Next step");
    h.get_by_label(&format!("Is the track real here? · step 2 of {steps}"));
    assert!(h.query_by_label("Guide folder").is_some());
    drop(h);

    // After a restart and the PIN, the session still follows its plan.
    let mut h = harness(dir);
    if h.query_by_label("Facilitator").is_some() {
        click(&mut h, "Facilitator");
    }
    keypad(&mut h, PIN);
    if matches!(h.state().workshop().unwrap().stage, Stage::Setup(_)) {
        h.query_all_by_label_contains("Continue “Is the track real here?”")
            .next()
            .expect("the open session is offered")
            .click();
        h.run_ok();
    }
    h.get_by_label(&first);
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
