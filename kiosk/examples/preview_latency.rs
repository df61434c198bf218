//! Save-to-screen time of the authoring preview: how long from the moment a
//! rubric file is written until the preview's next frame shows the change.
//!
//! Each round rewrites the first question of a starter rubric and steps the
//! real preview app (kittest, no GPU) until its accessibility tree holds the
//! new question. What is measured: the file watcher's report, the 100 ms
//! settle that waits out an editor's several writes, the compile, and one
//! frame of UI logic; a real window adds the drawing of that frame. The
//! compile alone is timed on the same file, so the two can be compared.
//!
//!     cargo run --release -p kiosk --example preview_latency [-- ROUNDS]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool may stop on what it set up

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::preview::{source, PreviewApp, SETTLE};
use rubrics::templates::Template;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.toml");
    let text = Template::ScaleBands.text("bench", "Bench");
    let first = "Replace this: how far ahead does your work plan look?";
    std::fs::write(&path, &text).expect("write the rubric");
    let app = PreviewApp::new(path.clone(), false);
    let mut h = Harness::builder()
        .with_size([1300.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut PreviewApp| app.ui_root(ui), app);
    h.run_ok();

    let mut save_to_screen = Vec::new();
    let mut compile = Vec::new();
    for round in 0..rounds {
        let question = format!("How far ahead does your plan look? (round {round})");
        let changed = text.replace(first, &question);
        let start = Instant::now();
        std::fs::write(&path, &changed).expect("write the rubric");
        loop {
            h.step();
            if h.query_by_label(&question).is_some() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no reload in 10 s"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        save_to_screen.push(start.elapsed());
        let start = Instant::now();
        source::load(&path).expect("the rubric compiles");
        compile.push(start.elapsed());
        // Let the watcher go quiet before the next save.
        std::thread::sleep(SETTLE * 2);
        h.run_ok();
    }
    report("save to screen", &mut save_to_screen);
    report("compile alone ", &mut compile);
    println!(
        "settle delay   {} ms (part of save to screen)",
        SETTLE.as_millis()
    );
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what} n={} min {:.1} ms  median {:.1} ms  p95 {:.1} ms  max {:.1} ms",
        times.len(),
        ms(times[0]),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1])
    );
}
