//! The projector view shows group figures only: no alias, no answer, no
//! figure of a rubric below the minimum group, no control; every text at
//! least the projector size.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::collections::BTreeSet;

use egui_kittest::kittest::{NodeT, Queryable};
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

// The projector while the session follows a plan.

use kiosk::app::workshop::{projector_scene_ui, Clock, ProjectorScene, StepShown, StepTimer};
use rubrics::plan::StepKind;

const SIZES: [(f32, f32); 2] = [(1920.0, 1080.0), (1280.0, 720.0)];

/// The plan's step of `kind` as the projector gets it, with a timer of
/// `minutes` (running when `running`).
fn step_shown(kind: StepKind, minutes: u16, running: bool) -> StepShown {
    let clock = Clock::default();
    let mut timer = StepTimer::new(minutes);
    if running {
        timer.start(&clock);
    }
    let prompts = match &kind {
        StepKind::Discuss { prompts, .. } => prompts.clone(),
        _ => Vec::new(),
    };
    StepShown {
        session: "Offsite".into(),
        number: 2,
        steps: 6,
        title: "Where the room stands".into(),
        purpose: "Look at the room's answers together.".into(),
        kind,
        prompts,
        revealed: None,
        timer,
        clock,
    }
}

/// One step of each kind, with what each must show.
fn every_kind() -> Vec<(StepShown, &'static str)> {
    vec![
        (
            step_shown(
                StepKind::Take {
                    rubric: WANT.into(),
                },
                10,
                false,
            ),
            "5 people have finished",
        ),
        (
            step_shown(
                StepKind::Reveal {
                    rubric: WANT.into(),
                },
                0,
                false,
            ),
            "Verdicts · 5 results",
        ),
        (
            step_shown(
                StepKind::Discuss {
                    rubric: None,
                    prompts: vec!["What would make the work worth wanting?".into()],
                },
                15,
                false,
            ),
            "What would make the work worth wanting?",
        ),
        (step_shown(StepKind::Break, 10, true), "10 minutes left"),
        (
            StepShown {
                revealed: Some(WANT.into()),
                ..step_shown(
                    StepKind::Discuss {
                        rubric: Some(WANT.into()),
                        prompts: vec![
                            "Which part of the work would you miss if it went away?".into(),
                            "What would make the rest worth wanting?".into(),
                        ],
                    },
                    15,
                    false,
                )
            },
            "What would make the rest worth wanting?",
        ),
    ]
}

fn scene(group: &SessionAggregates, step: StepShown, phones: Option<PhonesView>) -> ProjectorScene {
    ProjectorScene {
        figures: Some(group.clone()),
        phones,
        step: Some(step),
    }
}

fn frame_of(scene: &ProjectorScene, (w, h): (f32, f32)) -> egui::FullOutput {
    let ctx = egui::Context::default();
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(w, h),
        )),
        ..Default::default()
    };
    let draw = |ui: &mut egui::Ui| projector_scene_ui(ui, scene, Theme::HighContrast);
    let mut output = ctx.run_ui(input.clone(), draw);
    output.textures_delta.clear();
    ctx.run_ui(input, draw)
}

/// Every text drawn in `output`: (text, size, where).
fn texts(output: &egui::FullOutput) -> Vec<(String, f32, egui::Rect)> {
    let mut found = Vec::new();
    for clipped in &output.shapes {
        let mut stack = vec![&clipped.shape];
        while let Some(shape) = stack.pop() {
            match shape {
                egui::Shape::Vec(shapes) => stack.extend(shapes),
                egui::Shape::Text(text) => {
                    let rect = text.visual_bounding_rect();
                    for section in &text.galley.job.sections {
                        found.push((
                            text.galley.job.text.clone(),
                            section.format.font_id.size,
                            rect,
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn scene_harness(scene: ProjectorScene, (w, h): (f32, f32)) -> Harness<'static> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(w, h))
        .build_ui(move |ui| projector_scene_ui(ui, &scene, Theme::HighContrast));
    harness.run();
    harness
}

#[test]
fn every_step_kind_fits_both_projector_sizes_in_large_text_with_no_control_and_no_person() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    for size in SIZES {
        for phones_on in [false, true] {
            for (step, must_show) in every_kind() {
                let view = phones_on.then(|| phones(true));
                let scene = scene(&group, step.clone(), view);
                let screen =
                    egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size.0, size.1));
                let drawn = texts(&frame_of(&scene, size));
                assert!(
                    drawn.len() >= 3,
                    "{:?}: only {} texts",
                    step.kind,
                    drawn.len()
                );
                for (text, points, rect) in &drawn {
                    assert!(*points >= size::PROJECTOR, "{text:?} at {points} pt");
                    assert!(
                        screen.contains_rect(*rect),
                        "{text:?} at {rect:?} leaves the {size:?} screen ({:?})",
                        step.kind
                    );
                }
                let harness = scene_harness(scene, size);
                harness.get_by_label(must_show);
                harness.get_by_label("Where the room stands");
                harness.get_by_label(&format!(
                    "Offsite · step 2 of 6 · {}",
                    kind_word(&step.kind)
                ));
                if phones_on {
                    harness.get_by_label("QR code to join on a phone");
                    harness.get_by_label(SHORT_URL);
                }
                let tree = format!("{:?}", harness.root());
                assert!(!tree.contains(ALIAS) && !tree.contains(SECRET), "{tree}");
                assert!(
                    !tree.contains("Button") && !tree.contains("CheckBox"),
                    "no control: {tree}"
                );
            }
        }
    }
}

fn kind_word(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Take { .. } => "Take a rubric",
        StepKind::Reveal { .. } => "Group results",
        StepKind::Discuss { .. } => "Discussion",
        StepKind::Break => "Break",
    }
}

#[test]
fn a_reveal_shows_one_chart_of_shares_and_counts_that_add_up_to_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    let step = step_shown(
        StepKind::Reveal {
            rubric: WANT.into(),
        },
        0,
        false,
    );
    let harness = scene_harness(scene(&group, step, None), (1280.0, 720.0));
    let bars: Vec<String> = harness
        .query_all_by_label_contains(" of 5)")
        .map(|node| {
            let node = node.accesskit_node();
            node.value().or(node.label()).unwrap_or_default()
        })
        .collect();
    assert!(bars.len() >= 2, "{bars:?}");
    let counted: usize = bars
        .iter()
        .map(|bar| {
            let count = bar.rsplit_once(" % (").unwrap().1;
            count.split_once(" of").unwrap().0.parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(counted, 5, "{bars:?}");
    // One chart: the dimensions' histograms of the dashboard are not on it.
    let library = kiosk::library::shipped().unwrap();
    let want = library.bundle.rubric(WANT).unwrap();
    for dim in want.dimensions.iter() {
        assert!(harness.query_by_label(dim.title).is_none(), "{}", dim.title);
    }
}

#[test]
fn below_the_minimum_group_a_reveal_says_how_many_more_and_shows_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let (library, group) = aggregates(dir.path());
    let step = step_shown(
        StepKind::Reveal {
            rubric: ARCHETYPE.into(),
        },
        0,
        false,
    );
    let harness = scene_harness(scene(&group, step, Some(phones(true))), (1280.0, 720.0));
    harness.get_by_label("2 more results needed before the group's figure shows");
    assert!(harness.query_by_label_contains(" % ").is_none());
    let archetype = library.bundle.rubric(ARCHETYPE).unwrap();
    for outcome in archetype.outcomes.iter() {
        assert!(harness.query_by_label_contains(outcome.title).is_none());
    }
    // The join code stays while phones may join.
    harness.get_by_label("QR code to join on a phone");
}

#[test]
fn a_discussion_shows_its_prompts_and_beside_them_the_figure_revealed_before() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    let kind = StepKind::Discuss {
        rubric: Some(WANT.into()),
        prompts: vec!["First prompt".into(), "Second prompt".into()],
    };
    let mut step = step_shown(kind, 15, false);
    let harness = scene_harness(scene(&group, step.clone(), None), (1920.0, 1080.0));
    harness.get_by_label("First prompt");
    harness.get_by_label("Second prompt");
    assert!(
        harness.query_by_label_contains(" % (").is_none(),
        "not revealed yet"
    );
    step.revealed = Some(WANT.into());
    let harness = scene_harness(scene(&group, step, None), (1920.0, 1080.0));
    harness.get_by_label("First prompt");
    assert!(harness.query_all_by_label_contains(" % (").count() >= 2);
}

#[test]
fn a_break_shows_the_minutes_left_and_then_that_time_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let (_, group) = aggregates(dir.path());
    let mut step = step_shown(StepKind::Break, 10, true);
    step.clock.advance(std::time::Duration::from_secs(61));
    scene_harness(scene(&group, step.clone(), None), (1280.0, 720.0))
        .get_by_label("9 minutes left");
    step.clock.advance(std::time::Duration::from_secs(600));
    scene_harness(scene(&group, step, None), (1280.0, 720.0))
        .get_by_label("Time is up: we start again");
}
