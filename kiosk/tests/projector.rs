//! The projector view shows group figures only: no alias, no answer, no
//! figure of a rubric below the minimum group, no control; every text at
//! least the projector size.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::collections::BTreeSet;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::projector_ui::projector_ui;
use kiosk::app::theme::{size, Theme};
use kiosk::app::workshop::{projector_window_ui, PhonesView};
use kiosk::attempt::Attempt;
use kiosk::library::Loaded;
use kiosk::store::{PhoneCounts, ResultsStore};
use kiosk::workshop::{
    session_aggregates, NewWorkshopResult, SessionAggregates, SessionConfig, SessionDate,
};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

const WANT: &str = "want-the-work";
const ARCHETYPE: &str = "staff-archetype";
const ALIAS: &str = "Alias-Zebra-42";
const SECRET: &str = "SECRET free text of one participant";

/// A real store with 5 results of WANT (shown at minimum 5) and 3 of
/// ARCHETYPE (hidden), each with an alias and a secret free text.
fn aggregates(dir: &std::path::Path) -> (Loaded, SessionAggregates) {
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(dir).unwrap();
    let config = SessionConfig {
        name: "Offsite".into(),
        rubric_ids: vec![WANT.into(), ARCHETYPE.into()],
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    for (rubric_id, n) in [(WANT, 5), (ARCHETYPE, 3)] {
        let rubric = library.bundle.rubric(rubric_id).unwrap();
        for seed in 0..n {
            let mut attempt = Attempt::start(rubric, &library.hash);
            while let Some(index) = attempt.runner.current() {
                let pick = seed * 31 + index * 7;
                let answer = match rubric.item(index).unwrap().kind {
                    ItemKind::Scale { min, max, .. } => {
                        Answer::Level(min + (pick % usize::from(max - min + 1)) as u8)
                    }
                    ItemKind::YesNo { .. } => Answer::YesNo(pick % 2 == 0),
                    ItemKind::Single { options } => Answer::Choice((pick % options.len()) as u8),
                    ItemKind::Multi { .. } => Answer::Choices(1),
                    ItemKind::Count { min, .. } => Answer::Count(min),
                    ItemKind::Text => {
                        attempt.set_text(index, SECRET.into()).unwrap();
                        attempt.runner.next_visible().unwrap();
                        continue;
                    }
                };
                attempt.runner.answer(answer).unwrap();
                attempt.runner.next_visible().unwrap();
            }
            let completed = attempt.complete();
            let encoded = completed.encoded().unwrap();
            let row =
                NewWorkshopResult::from_completed(&completed, &encoded, session.id, Some(ALIAS));
            store.save_workshop_result(&row).unwrap();
        }
    }
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    (library, group)
}

#[test]
fn the_projector_shows_no_alias_no_answer_and_no_figure_of_a_hidden_rubric() {
    let dir = tempfile::tempdir().unwrap();
    let (library, group) = aggregates(dir.path());
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1920.0, 1080.0))
        .build_ui(|ui| projector_ui(ui, &group, Theme::HighContrast));
    harness.run();
    let tree = format!("{:?}", harness.root());

    assert!(!tree.contains(ALIAS) && !tree.contains(SECRET), "{tree}");
    assert!(
        !tree.contains("Button") && !tree.contains("CheckBox"),
        "no control: {tree}"
    );
    harness.get_by_label("5 participants");
    harness.get_by_label("5 results");
    harness.get_by_label("2 more results needed");
    // The hidden rubric names none of its outcomes.
    let archetype = library.bundle.rubric(ARCHETYPE).unwrap();
    for outcome in archetype.outcomes.iter() {
        assert!(
            harness.query_by_label(outcome.title).is_none(),
            "{}",
            outcome.title
        );
    }
    // The shown rubric's dimensions are there.
    let want = library.bundle.rubric(WANT).unwrap();
    for dim in want.dimensions.iter() {
        harness.get_by_label(dim.title);
    }
}

#[test]
fn every_text_of_the_projector_is_at_least_the_projector_size() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    let output = full_hd_frame(|ui| projector_ui(ui, &group, Theme::HighContrast));
    let mut texts = 0;
    for clipped in &output.shapes {
        let mut stack = vec![&clipped.shape];
        while let Some(shape) = stack.pop() {
            match shape {
                egui::Shape::Vec(shapes) => stack.extend(shapes),
                egui::Shape::Text(text) => {
                    for section in &text.galley.job.sections {
                        texts += 1;
                        assert!(
                            section.format.font_id.size >= size::PROJECTOR,
                            "{:?} at {}",
                            text.galley.job.text,
                            section.format.font_id.size
                        );
                    }
                }
                _ => {}
            }
        }
    }
    assert!(texts >= 15, "only {texts} texts drawn");
}

const JOIN_URL: &str = "http://192.0.2.1:8080/s/AbCdEfGhIjKlMnOp/";
const SHORT_URL: &str = "192.0.2.1:8080/j/K7Q2XM";

fn phones(joining_open: bool) -> PhonesView {
    PhonesView {
        join_url: JOIN_URL.into(),
        short_url: SHORT_URL.into(),
        counts: PhoneCounts {
            joined: 7,
            finished: 3,
        },
        joining_open,
    }
}

/// The dark modules of the QR code drawn in a frame, as (column, row)
/// counted from the top-left dark module.
fn drawn_qr_modules(output: &egui::FullOutput) -> BTreeSet<(i64, i64)> {
    let mut corners = Vec::new();
    for clipped in &output.shapes {
        let mut stack = vec![&clipped.shape];
        while let Some(shape) = stack.pop() {
            match shape {
                egui::Shape::Vec(shapes) => stack.extend(shapes),
                egui::Shape::Rect(rect)
                    if rect.fill == kiosk::app::theme::QR_DARK
                        && rect.rect.width() == rect.rect.height() =>
                {
                    corners.push(rect.rect);
                }
                _ => {}
            }
        }
    }
    let Some(module) = corners.iter().map(|r| r.width()).reduce(f32::min) else {
        return BTreeSet::new();
    };
    let left = corners.iter().map(|r| r.min.x).fold(f32::MAX, f32::min);
    let top = corners.iter().map(|r| r.min.y).fold(f32::MAX, f32::min);
    corners
        .iter()
        .map(|r| {
            (
                ((r.min.x - left) / module).round() as i64,
                ((r.min.y - top) / module).round() as i64,
            )
        })
        .collect()
}

/// The dark modules a QR code of `text` has, counted the same way.
fn expected_qr_modules(text: &str) -> BTreeSet<(i64, i64)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::L).unwrap();
    let width = code.width();
    let dark: Vec<(i64, i64)> = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == qrcode::Color::Dark)
        .map(|(i, _)| ((i % width) as i64, (i / width) as i64))
        .collect();
    let left = dark.iter().map(|d| d.0).min().unwrap();
    let top = dark.iter().map(|d| d.1).min().unwrap();
    dark.iter().map(|(x, y)| (x - left, y - top)).collect()
}

/// A 1920x1080 frame of `draw`: the second one, which draws with the
/// layout the first one measured.
fn full_hd_frame(draw: impl Fn(&mut egui::Ui)) -> egui::FullOutput {
    let ctx = egui::Context::default();
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::Vec2::new(1920.0, 1080.0),
        )),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input.clone(), &draw);
    output.textures_delta.clear();
    ctx.run_ui(input, &draw)
}

fn projector_frame(group: &SessionAggregates, view: &PhonesView) -> egui::FullOutput {
    full_hd_frame(|ui| projector_window_ui(ui, Some(group), Some(view), Theme::HighContrast))
}

fn window_harness<'a>(group: &'a SessionAggregates, view: &'a PhonesView) -> Harness<'a> {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1920.0, 1080.0))
        .build_ui(move |ui| projector_window_ui(ui, Some(group), Some(view), Theme::HighContrast));
    harness.run();
    harness
}

#[test]
fn while_phones_may_join_the_projector_shows_the_join_qr_code_the_short_url_and_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    let view = phones(true);
    let harness = window_harness(&group, &view);
    harness.get_by_label("QR code to join on a phone");
    harness.get_by_label(SHORT_URL);
    harness.get_by_label("7 phones joined · 3 finished");
    // The group figures are still there below the join code.
    harness.get_by_label("5 participants");

    // The code drawn is the join URL with its secret, module for module.
    let drawn = drawn_qr_modules(&projector_frame(&group, &view));
    assert!(!drawn.is_empty(), "no QR code drawn");
    assert_eq!(drawn, expected_qr_modules(JOIN_URL));
    assert_ne!(drawn, expected_qr_modules(SHORT_URL));
}

#[test]
fn once_joining_is_closed_the_projector_shows_no_code_only_that_it_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    let view = phones(false);
    let harness = window_harness(&group, &view);
    harness.get_by_label("Joining is closed");
    harness.get_by_label("7 phones joined · 3 finished");
    assert!(harness
        .query_by_label("QR code to join on a phone")
        .is_none());
    assert!(harness.query_by_label(SHORT_URL).is_none());
    assert!(drawn_qr_modules(&projector_frame(&group, &view)).is_empty());
}

#[test]
fn without_phones_or_figures_the_projector_says_there_are_no_results_yet() {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 720.0))
        .build_ui(|ui| projector_window_ui(ui, None, None, Theme::HighContrast));
    harness.run();
    harness.get_by_label("No group results yet.");
    assert!(harness
        .query_by_label("QR code to join on a phone")
        .is_none());
}
