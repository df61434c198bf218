#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! "Let phones join" in the facilitator view, driven by label: the server
//! starts, a phone joining and finishing shows in the counts and the group
//! figures (the server's news arrives through a channel and wakes the UI,
//! which otherwise draws nothing), joining closes, and closing the session
//! stops the server.

mod serve_common;

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::workshop::Stage;
use kiosk::app::{AppOptions, KioskApp};
use serve_common::*;

const PIN: &str = "2468";
const READINESS_TITLE: &str = "Staff readiness self-assessment";

fn harness(dir: &Path) -> Harness<'static, KioskApp> {
    let options = AppOptions {
        kiosk: true,
        listen: Some("127.0.0.1:0".parse().unwrap()),
        ..AppOptions::default()
    };
    let app = KioskApp::new(dir.to_path_buf(), options);
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

fn stage<'a>(h: &'a Harness<'static, KioskApp>) -> &'a Stage {
    &h.state().workshop().expect("in workshop mode").stage
}

/// Runs frames until `label` shows (the server's news may need a frame).
fn wait_for(h: &mut Harness<'static, KioskApp>, label: &str) {
    for _ in 0..50 {
        h.run_ok();
        if h.query_by_label(label).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{label:?} never showed");
}

/// The app has drawn everything it was asked to, and over `quiet` (with no
/// phone traffic) nobody asks it for another frame.
fn assert_idle_for(h: &Harness<'static, KioskApp>, quiet: std::time::Duration) {
    assert!(
        !h.ctx.has_requested_repaint(),
        "a frame was pending already"
    );
    std::thread::sleep(quiet);
    assert!(
        !h.ctx.has_requested_repaint(),
        "a frame was asked for while nothing happened"
    );
}

/// Whether something asks the app for a frame within `limit`.
fn woken_within(h: &Harness<'static, KioskApp>, limit: std::time::Duration) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if h.ctx.has_requested_repaint() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

#[test]
fn phones_join_from_the_facilitator_view_and_their_counts_and_results_show_live() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    keypad(&mut h, PIN);
    keypad(&mut h, PIN);
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Phones day");
    h.run_ok();
    click(&mut h, READINESS_TITLE);
    click(&mut h, "Smaller group");
    click(&mut h, "Smaller group");
    click(&mut h, "Create session");
    assert!(matches!(stage(&h), Stage::Facilitator(_)));

    click(&mut h, "Let phones join");
    let view = h
        .state()
        .workshop()
        .unwrap()
        .phones()
        .cloned()
        .expect("serving");
    assert!(
        view.join_url.starts_with("http://127.0.0.1:"),
        "{}",
        view.join_url
    );
    wait_for(&mut h, "Phones: 0 joined · 0 finished · 0 mid-way");
    assert!(h.query_by_label(&view.short_url).is_some());

    let origin = view.join_url[..view.join_url.find("/s/").unwrap()].to_string();
    let join_path = view.join_url[origin.len()..].to_string();
    let library = kiosk::library::shipped().unwrap();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // While no phone does anything, nothing asks for a frame: the server
    // has no timer of its own that wakes the UI.
    assert_idle_for(&h, std::time::Duration::from_millis(1500));
    let mut phone = Phone::at(&origin);
    let page = runtime.block_on(phone.join(&join_path));
    // A phone joining does wake it (so the check above can fail).
    assert!(
        woken_within(&h, std::time::Duration::from_secs(10)),
        "a join asks for a frame"
    );
    wait_for(&mut h, "Phones: 1 joined · 0 finished · 1 mid-way");

    click(&mut h, "Close joining");
    wait_for(&mut h, "Joining is closed: phones already in can finish.");
    let mut late = Phone::at(&origin);
    let refused = runtime.block_on(late.try_post(&format!("{join_path}join"), String::new()));
    assert_eq!(refused.unwrap().status, 403);

    // The phone already in finishes; the figures count it.
    runtime.block_on(async {
        let mut page = page;
        while page.input("i").is_some() {
            let next = phone.answer(&page, &rubric, "next").await;
            page = follow(&mut phone, next).await;
        }
        assert!(page.body.contains("Your answers are saved"));
    });
    wait_for(&mut h, "Phones: 1 joined · 1 finished · 0 mid-way");
    wait_for(&mut h, "Participants: 1");
    assert_idle_for(&h, std::time::Duration::from_millis(1500));

    click(&mut h, "Close session");
    assert!(
        h.state().workshop().unwrap().phones().is_none(),
        "the server stopped"
    );
    let gone = runtime.block_on(Phone::at(&origin).try_get(&join_path));
    assert!(gone.is_none(), "nothing listens any more");
}
