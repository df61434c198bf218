//! Layout at the sizes the kiosk meets (a small touch screen, a laptop, a
//! projector, and a laptop with text at 200 %): the controls that move a
//! person on stay inside the window, and a card is one keyboard target.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::{AppOptions, KioskApp, Screen};

const SIZES: [([f32; 2], f32); 4] = [
    ([800.0, 480.0], 1.0),
    ([1024.0, 768.0], 1.0),
    ([1920.0, 1080.0], 1.0),
    ([1024.0, 768.0], 2.0),
];

fn harness(dir: &Path, size: [f32; 2]) -> Harness<'static, KioskApp> {
    let app = KioskApp::new(dir.to_path_buf(), AppOptions::default());
    let mut h = Harness::builder()
        .with_size(size)
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

/// The window in logical points (what a node's rect is given in).
fn window(h: &Harness<'static, KioskApp>) -> egui::Rect {
    h.ctx.content_rect()
}

fn assert_inside(h: &Harness<'static, KioskApp>, label: &str, what: &str) {
    let window = window(h);
    let rect = h.get_by_label(label).rect();
    assert!(
        window.contains_rect(rect),
        "{what}: `{label}` at {rect:?} is outside the window {window:?}"
    );
}

#[test]
fn back_next_and_leave_stay_in_the_window_at_every_size() {
    let library = kiosk::library::shipped().unwrap().bundle;
    let readiness = library.rubric("staff-readiness").unwrap();
    for (size, zoom) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(dir.path(), size);
        h.state_mut().apply(kiosk::app::Command::SetZoom(zoom));
        h.run_ok();
        click(&mut h, readiness.title);
        click(&mut h, "Start");
        let what = format!("{size:?} at {zoom}x");
        for label in ["Back", "Next", "Leave"] {
            assert_inside(&h, label, &what);
        }
        // The last choice can be reached (scrolled to) and chosen.
        let rubric_engine::model::ItemKind::Scale { descriptors, .. } =
            readiness.item(0).unwrap().kind
        else {
            panic!("the first readiness question is a scale")
        };
        let last = format!(
            "{}   {}",
            descriptors.len(),
            descriptors.iter().last().unwrap()
        );
        click(&mut h, &last);
        assert_inside(&h, &last, &what);
        assert_inside(&h, "Next", &what);
    }
}

#[test]
fn a_rubric_card_is_one_target_for_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path(), [1024.0, 768.0]);
    let title = "Staff readiness self-assessment";
    let mut focused = false;
    for _ in 0..8 {
        h.key_press(egui::Key::Tab);
        h.run_ok();
        if h.get_by_label(title).is_focused() {
            focused = true;
            break;
        }
    }
    assert!(focused, "Tab reaches the first rubric card");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(
        matches!(h.state().screen, Screen::Intro(_)),
        "Enter on a focused card opens it"
    );
    // Enter on the intro starts, as Enter moves on everywhere else.
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(matches!(h.state().screen, Screen::Answer(_)));
}
