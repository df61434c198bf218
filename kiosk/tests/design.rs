//! The design tokens keep text readable: every text colour against every
//! surface it is drawn on, in every theme, computed from the theme's own
//! tokens with the WCAG 2 contrast formula.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use egui::Color32;
use kiosk::app::theme::{contrast_ratio, Theme};

#[test]
fn the_contrast_formula_gives_the_wcag_reference_values() {
    let black = Color32::BLACK;
    let white = Color32::WHITE;
    assert!((contrast_ratio(black, white) - 21.0).abs() < 0.01);
    assert!((contrast_ratio(white, white) - 1.0).abs() < 0.001);
    // #777777 on white is the well-known near miss of 4.5:1 (4.48).
    let grey = Color32::from_rgb(0x77, 0x77, 0x77);
    assert!((contrast_ratio(grey, white) - 4.48).abs() < 0.01);
    // Order does not matter.
    assert_eq!(contrast_ratio(grey, black), contrast_ratio(black, grey));
}

#[test]
fn every_text_colour_reads_on_every_surface_it_is_drawn_on_in_every_theme() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for theme in Theme::ALL {
        let minimum = theme.minimum_contrast();
        for (what, text, ground) in theme.palette().text_pairs() {
            checked += 1;
            let ratio = contrast_ratio(text, ground);
            if ratio < minimum {
                failures.push(format!(
                    "{}: {what}: {ratio:.2}:1, needs {minimum}:1",
                    theme.name()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 90, "only {checked} pairs checked");
}

#[test]
fn high_contrast_asks_for_seven_to_one_and_the_others_for_four_and_a_half() {
    assert_eq!(Theme::HighContrast.minimum_contrast(), 7.0);
    assert_eq!(Theme::Light.minimum_contrast(), 4.5);
    assert_eq!(Theme::Dark.minimum_contrast(), 4.5);
}

#[test]
fn the_projector_texts_read_at_seven_to_one_on_their_background() {
    use kiosk::app::projector_ui::projector_text_pairs;
    let pairs = projector_text_pairs();
    assert!(!pairs.is_empty());
    for (what, text, ground) in pairs {
        let ratio = contrast_ratio(text, ground);
        assert!(ratio >= 7.0, "{what}: {ratio:.2}:1, needs 7:1");
    }
    const { assert!(kiosk::app::theme::size::PROJECTOR >= 28.0) };
}

/// A session with `n` results of `rubric_id` (every answer its first
/// choice or lowest level) and the group figures the projector gets.
fn projector_figures(
    dir: &std::path::Path,
    rubric_id: &str,
    n: usize,
) -> kiosk::workshop::SessionAggregates {
    use kiosk::workshop::{NewWorkshopResult, SessionConfig, SessionDate};
    use rubric_engine::model::ItemKind;
    use rubric_engine::Answer;
    let library = kiosk::library::shipped().unwrap();
    let store = kiosk::store::ResultsStore::open_in(dir).unwrap();
    let config = SessionConfig {
        name: "Offsite".into(),
        rubric_ids: vec![rubric_id.into()],
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    let rubric = library.bundle.rubric(rubric_id).unwrap();
    for seed in 0..n {
        let mut attempt = kiosk::attempt::Attempt::start(rubric, &library.hash);
        while let Some(index) = attempt.runner.current() {
            let answer = match rubric.item(index).unwrap().kind {
                ItemKind::Scale { min, max, .. } => {
                    Answer::Level(min + (seed % usize::from(max - min + 1)) as u8)
                }
                ItemKind::YesNo { .. } => Answer::YesNo(seed % 2 == 0),
                ItemKind::Single { options } => Answer::Choice((seed % options.len()) as u8),
                ItemKind::Multi { .. } => Answer::Choices(1),
                ItemKind::Count { min, .. } => Answer::Count(min),
                ItemKind::Text => {
                    attempt.runner.next_visible().unwrap();
                    continue;
                }
            };
            attempt.runner.answer(answer).unwrap();
            attempt.runner.next_visible().unwrap();
        }
        let completed = attempt.complete();
        let encoded = completed.encoded().unwrap();
        let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
        store.save_workshop_result(&row).unwrap();
    }
    kiosk::workshop::session_aggregates(&store, &session, &library.bundle).unwrap()
}

/// The colour of every text drawn in `output`.
fn drawn_text_colours(output: &egui::FullOutput) -> Vec<(String, Color32)> {
    let mut found = Vec::new();
    for clipped in &output.shapes {
        let mut stack = vec![&clipped.shape];
        while let Some(shape) = stack.pop() {
            match shape {
                egui::Shape::Vec(shapes) => stack.extend(shapes),
                egui::Shape::Text(text) => {
                    let what = text.galley.job.text.clone();
                    if let Some(colour) = text.override_text_color {
                        found.push((what, colour));
                        continue;
                    }
                    for section in &text.galley.job.sections {
                        let colour = if section.format.color == Color32::PLACEHOLDER {
                            text.fallback_color
                        } else {
                            section.format.color
                        };
                        found.push((what.clone(), colour));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

#[test]
fn every_text_the_projector_draws_for_a_plan_reads_at_seven_to_one_and_is_a_listed_pair() {
    use kiosk::app::projector_ui::{projector_text_pairs, PROJECTOR_THEME};
    use kiosk::app::workshop::{projector_scene_ui, Clock, ProjectorScene, StepShown, StepTimer};
    use kiosk::store::PhoneCounts;
    use rubrics::plan::StepKind;

    let dir = tempfile::tempdir().unwrap();
    let rubric = "want-the-work";
    let figures = projector_figures(dir.path(), rubric, 5);
    let background = PROJECTOR_THEME.palette().background;
    let listed: Vec<Color32> = projector_text_pairs()
        .iter()
        .filter(|(_, _, ground)| *ground == background)
        .map(|(_, text, _)| *text)
        .collect();
    let clock = Clock::default();
    let mut running = StepTimer::new(10);
    running.start(&clock);
    let kinds = [
        StepKind::Take {
            rubric: rubric.into(),
        },
        StepKind::Reveal {
            rubric: rubric.into(),
        },
        StepKind::Discuss {
            rubric: Some(rubric.into()),
            prompts: vec!["A prompt".into()],
        },
        StepKind::Break,
    ];
    let mut checked = 0;
    for kind in kinds {
        let scene = ProjectorScene {
            figures: Some(figures.clone()),
            phones: Some(kiosk::app::workshop::PhonesView {
                join_url: "http://192.0.2.1:8080/s/AbCdEfGhIjKlMnOp/".into(),
                short_url: "192.0.2.1:8080/j/K7Q2XM".into(),
                counts: PhoneCounts {
                    joined: 7,
                    finished: 3,
                },
                joining_open: true,
            }),
            step: Some(StepShown {
                session: "Offsite".into(),
                number: 1,
                steps: 4,
                title: "A step".into(),
                purpose: "What it is for.".into(),
                prompts: vec!["A prompt".into()],
                revealed: matches!(kind, StepKind::Discuss { .. }).then(|| rubric.into()),
                kind,
                timer: running,
                clock,
            }),
        };
        for (w, h) in [(1920.0, 1080.0), (1280.0, 720.0)] {
            let ctx = egui::Context::default();
            let input = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(
                    egui::Pos2::ZERO,
                    egui::vec2(w, h),
                )),
                ..Default::default()
            };
            let draw = |ui: &mut egui::Ui| projector_scene_ui(ui, &scene, Theme::Light);
            ctx.run_ui(input.clone(), draw).textures_delta.clear();
            let mut output = ctx.run_ui(input, draw);
            output.textures_delta.clear();
            for (what, colour) in drawn_text_colours(&output) {
                checked += 1;
                let ratio = contrast_ratio(colour, background);
                assert!(ratio >= 7.0, "{what:?}: {ratio:.2}:1, needs 7:1");
                assert!(
                    listed.contains(&colour),
                    "{what:?} is drawn in {colour:?}, not in projector_text_pairs"
                );
            }
        }
    }
    assert!(checked >= 60, "only {checked} texts checked");
}
