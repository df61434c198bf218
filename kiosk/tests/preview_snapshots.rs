//! Pictures of the authoring preview, rendered headless with wgpu like the
//! other snapshots: an error shown in place beside the last good version,
//! and the coverage panel naming a band no answers reach. Run with
//! `--features snapshots`; regenerate with `UPDATE_SNAPSHOTS=1`.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::{Harness, SnapshotOptions};
use kiosk::app::preview::PreviewApp;
use rubrics::templates::Template;

/// A fixed folder, so the path the panel shows is the same on every run.
fn fixed_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join("rubric-kiosk-preview-snapshots")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn harness(path: &Path) -> Harness<'static, PreviewApp> {
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        // See snapshots.rs: quiets the Vulkan driver's Wayland probe.
        let dir = std::env::temp_dir().join(format!("rubric-kiosk-xdg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::env::set_var("XDG_RUNTIME_DIR", &dir);
    }
    let app = PreviewApp::new(path.to_path_buf(), false);
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(12)
        .wgpu()
        .build_ui_state(|ui, app: &mut PreviewApp| app.ui_root(ui), app);
    h.run_ok();
    h
}

fn wait_for_coverage(h: &mut Harness<'static, PreviewApp>) {
    let start = Instant::now();
    while h.state().coverage().is_none() {
        assert!(start.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run_ok();
}

#[test]
fn preview_pictures() {
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);

    let dir = fixed_dir("error");
    let path = dir.join("team.toml");
    let good = Template::YesNoCount.text("team", "Team health");
    std::fs::write(&path, &good).unwrap();
    let mut h = harness(&path);
    wait_for_coverage(&mut h);
    std::fs::write(
        &path,
        good.replace("rule = \"yes-count\"", "rule = \"yes-cuont\""),
    )
    .unwrap();
    h.state_mut().reload();
    h.run_ok();
    assert!(h.state().problem().is_some());
    h.snapshot_options("preview_error", &options);
    let mut results = h.take_snapshot_results();

    let dir = fixed_dir("coverage");
    let path = dir.join("points.toml");
    std::fs::write(
        &path,
        // Two points a "yes": the sum is always even, so `one-point` is never reached.
        Template::YesNoCount
            .text("points", "Points")
            .replace("rule = \"yes-count\"", "band-on = \"value\"")
            .replace(
                "kind = \"yes-no\"\n",
                "kind = \"yes-no\"\nweights = { signs = 2 }\n",
            )
            .replace("range = [0, 1]", "range = [0, 0]")
            .replace(
                "id = \"some\"\ndimension = \"signs\"\nrange = [2, 3]",
                "id = \"one-point\"\ndimension = \"signs\"\nrange = [1, 1]",
            )
            .replace("range = [4, 4]", "range = [2, 8]"),
    )
    .unwrap();
    let mut h = harness(&path);
    wait_for_coverage(&mut h);
    assert_eq!(
        h.state()
            .coverage()
            .unwrap()
            .unreached()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>(),
        ["one-point"]
    );
    h.snapshot_options("preview_coverage", &options);
    results.extend(h.take_snapshot_results());
}
