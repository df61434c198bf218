//! The welcome screen says what a workshop protects, in the sentences that
//! other tests hold (named beside `WELCOME_PROMISE` in
//! `kiosk/src/app/workshop/welcome_ui.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::workshop::Stage;
use kiosk::app::{AppOptions, KioskApp};

fn click(h: &mut Harness<'static, KioskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

#[test]
fn the_welcome_screen_says_what_is_protected_and_what_the_facilitator_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let app = KioskApp::new(
        dir.path().to_path_buf(),
        AppOptions {
            kiosk: true,
            ..AppOptions::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    for _ in 0..2 {
        for digit in "2468".chars() {
            click(&mut h, &digit.to_string());
        }
        click(&mut h, "OK");
    }
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Offsite day 1");
    h.run_ok();
    click(&mut h, "Staff readiness self-assessment");
    click(&mut h, "Create session");
    click(&mut h, "Back to participants");
    assert!(matches!(
        h.state().workshop().unwrap().stage,
        Stage::Welcome
    ));
    for sentence in [
        "the facilitator sees only group figures, and only once enough people have taken part.",
        "The figures change only after several more people finish, so no one can read your result from a change.",
        "the facilitator keeps a file of every result without names; an alias you type goes into it only if the facilitator asks for aliases.",
    ] {
        assert!(
            h.query_by_label_contains(sentence).is_some(),
            "the welcome screen says: {sentence}"
        );
    }
}
