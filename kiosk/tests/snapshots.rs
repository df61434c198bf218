//! Pictures of the main screens, rendered headless with wgpu and compared
//! with the PNGs in tests/snapshots/. Run with `--features snapshots`
//! (needs a Vulkan driver: Mesa's software one in CI). Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p kiosk --features snapshots --test snapshots`.
#![cfg(feature = "snapshots")]

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use kiosk::app::{AppOptions, KioskApp, Screen};

fn harness(dir: &Path) -> Harness<'static, KioskApp> {
    let app = KioskApp::new(dir.to_path_buf(), AppOptions::default());
    let mut h = Harness::builder()
        .with_size([1024.0, 768.0])
        .with_max_steps(12)
        .wgpu()
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

fn snap(h: &mut Harness<'static, KioskApp>, name: &str) {
    // Software rendering differs slightly between Mesa versions: allow faint
    // colour differences, and a few pixels of antialiasing.
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
    h.run_ok();
    // Dates change from run to run: hide them.
    let dates: Vec<egui::Rect> = h
        .query_all_by_label_contains("UTC")
        .map(|n| n.rect())
        .collect();
    for rect in dates {
        h.mask(rect);
    }
    h.snapshot_options(name, &options);
}

/// A fixed data folder, so that the path shown in settings is the same on every run.
fn fixed_data_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("rubric-kiosk-snapshots");
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn answer_all(h: &mut Harness<'static, KioskApp>, pick: impl Fn(usize) -> String) {
    let mut i = 0;
    while !matches!(h.state().screen, Screen::Result(_)) {
        click(h, &pick(i));
        let next = if h.query_by_label("Next").is_some() {
            "Next"
        } else {
            "Finish"
        };
        click(h, next);
        i += 1;
        assert!(i < 40, "stuck");
    }
}

#[test]
fn screens() {
    let dir = fixed_data_dir();
    let mut h = harness(&dir);
    snap(&mut h, "home");

    click(&mut h, "Staff readiness self-assessment");
    click(&mut h, "Start");
    snap(&mut h, "scale_question");
    let levels = [3, 2, 4, 3, 2, 3, 3, 4, 2, 3, 3, 4];
    let library = kiosk::library::shipped().unwrap().bundle;
    let readiness = library.rubric("staff-readiness").unwrap();
    answer_all(&mut h, |i| {
        let item = readiness.item(i).unwrap();
        let rubric_engine::model::ItemKind::Scale { descriptors, .. } = item.kind else {
            panic!()
        };
        let l = levels[i];
        format!("{l}   {}", descriptors.get(l - 1).unwrap())
    });
    snap(&mut h, "staff_readiness_result");

    click(&mut h, "Home");
    click(&mut h, "Which staff archetype fits you?");
    click(&mut h, "Start");
    let archetype = library.rubric("staff-archetype").unwrap();
    let picks = [2, 2, 1, 3, 2, 2, 3, 1];
    answer_all(&mut h, |i| {
        let options = archetype.item(i).unwrap().kind.options();
        let p = picks[i];
        format!("{p}   {}", options.get(p - 1).unwrap().label)
    });
    snap(&mut h, "archetype_result");

    click(&mut h, "Home");
    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    click(&mut h, "Yes");
    snap(&mut h, "yes_no_question");
    click(&mut h, "Next");
    for _ in 0..3 {
        click(&mut h, "No");
        let next = if h.query_by_label("Next").is_some() {
            "Next"
        } else {
            "Finish"
        };
        click(&mut h, next);
    }
    snap(&mut h, "gut_check_result");
    // A second attempt at staff readiness gives history a trend.
    click(&mut h, "Home");
    click(&mut h, "Staff readiness self-assessment");
    click(&mut h, "Start");
    answer_all(&mut h, |i| {
        let item = readiness.item(i).unwrap();
        let rubric_engine::model::ItemKind::Scale { descriptors, .. } = item.kind else {
            panic!()
        };
        let l = (levels[i] % 4) + 1;
        format!("{l}   {}", descriptors.get(l - 1).unwrap())
    });
    click(&mut h, "My history");
    snap(&mut h, "history_trend");

    click(&mut h, "Home");
    click(&mut h, "Settings");
    click(&mut h, "High contrast");
    click(&mut h, "200%");
    snap(&mut h, "settings_high_contrast_200");
    click(&mut h, "Home");
    snap(&mut h, "home_high_contrast_200");
}
