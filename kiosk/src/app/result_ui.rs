//! The result: verdict in plain words, why, charts, actions and caveats.

use egui::{RichText, Ui};
use rubric_engine::model::{ItemKind, Target, VerdictRule};
use rubric_engine::{contributions, Answer};

use super::charts::{bars_ui, radar_ui};
use super::intro_ui::caveats_ui;
use super::theme::Theme;
use super::widgets::{banner_ui, big_button, lead_label, page_scroll};
use super::Action;
use crate::attempt::Completed;
use crate::report::ActionReport;

/// State of the result screen.
#[derive(Debug)]
pub struct ResultState {
    /// The completed attempt.
    pub completed: Completed,
    /// The stored row id, or why it could not be stored.
    pub saved: Result<i64, String>,
}

impl ResultState {
    /// A result screen.
    pub fn new(completed: Completed, saved: Result<i64, String>) -> Self {
        ResultState { completed, saved }
    }
}

fn when_heading(when: &str) -> &'static str {
    match when {
        "now" => "Now",
        "week" => "This week",
        "month" => "This month",
        _ => "This quarter",
    }
}

fn actions_ui(ui: &mut Ui, actions: &[ActionReport]) {
    for action in actions {
        lead_label(
            ui,
            &format!("{}:", when_heading(&action.when)),
            &action.text,
        );
    }
}

fn answer_text(completed: &Completed, index: usize) -> String {
    let Some(item) = completed.rubric.item(index) else {
        return String::new();
    };
    match (completed.answers.get(index), item.kind) {
        (
            Answer::Level(level),
            ItemKind::Scale {
                min, descriptors, ..
            },
        ) => descriptors
            .get(usize::from(level - min))
            .unwrap_or("")
            .to_string(),
        (Answer::YesNo(yes), _) => (if yes { "Yes" } else { "No" }).into(),
        (Answer::Choice(o), _) => item
            .kind
            .options()
            .get(usize::from(o))
            .map_or("", |o| o.label)
            .to_string(),
        (Answer::Choices(mask), _) => {
            let chosen: Vec<&str> = item
                .kind
                .options()
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, o)| o.label)
                .collect();
            if chosen.is_empty() {
                "None".into()
            } else {
                chosen.join(", ")
            }
        }
        (Answer::Count(n), _) => n.to_string(),
        _ => "No answer".into(),
    }
}

/// Draws the result screen.
pub fn result_ui(ui: &mut Ui, state: &mut ResultState, theme: Theme) -> Option<Action> {
    let mut action = None;
    let completed = &state.completed;
    let rubric = completed.rubric;
    let report = &completed.report;
    if let Err(e) = &state.saved {
        banner_ui(ui, &format!("This result has NOT been saved: {e}"), true);
        if big_button(ui, "Try saving again", 0.0).clicked() {
            action = Some(Action::RetrySave);
        }
    }
    page_scroll(("result", rubric.id, completed.completed_at)).show(ui, |ui| {
        ui.label(RichText::new(rubric.title).weak());
        match &report.verdict_label {
            Some(label) => ui.heading(RichText::new(label).size(30.0).strong()),
            None => ui.heading("Not enough answers for a verdict"),
        };
        if let Some(explanation) = &report.verdict_explanation {
            ui.label(RichText::new(explanation).size(18.0));
        }

        if !report.actions.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Try this").size(20.0).strong());
            actions_ui(ui, &report.actions);
        }

        // Dimensions: a radar for three or more, bars otherwise.
        let headline_dim = match rubric.verdict_rule {
            VerdictRule::Dimension(d) => Some(usize::from(d)),
            _ => None,
        };
        let charted: Vec<_> = report
            .dimensions
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != headline_dim || report.dimensions.len() < 4)
            .map(|(_, d)| d)
            .collect();
        if !charted.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Your scores").size(20.0).strong());
            if charted.len() >= 3 {
                let axes: Vec<(&str, u8)> = charted
                    .iter()
                    .map(|d| (d.title.as_str(), d.percent))
                    .collect();
                radar_ui(ui, &axes, theme);
            } else {
                let bars: Vec<(String, u8, String)> = charted
                    .iter()
                    .map(|d| {
                        (
                            d.title.clone(),
                            d.percent,
                            format!(
                                "{} of {} ({}%) · {}",
                                d.value,
                                d.max,
                                d.percent,
                                d.band_label.as_deref().unwrap_or("")
                            ),
                        )
                    })
                    .collect();
                bars_ui(ui, &bars, theme.accent());
            }
            if charted.len() >= 3 {
                for (i, d) in report.dimensions.iter().enumerate() {
                    if Some(i) == headline_dim && report.dimensions.len() >= 4 {
                        continue;
                    }
                    egui::CollapsingHeader::new(format!(
                        "{}: {}% · {}",
                        d.title,
                        d.percent,
                        d.band_label.as_deref().unwrap_or("")
                    ))
                    .id_salt(("dimension", i))
                    .show(ui, |ui| {
                        if let Some(band) = d
                            .band
                            .as_deref()
                            .and_then(|id| rubric.bands.iter().find(|b| b.id == id))
                        {
                            ui.label(band.explanation);
                            let actions = crate::report::band_actions(&band);
                            actions_ui(ui, &actions);
                        }
                    });
                }
            }
        }

        if !report.outcomes.is_empty() {
            ui.add_space(8.0);
            ui.label(
                RichText::new("How well each archetype fits")
                    .size(20.0)
                    .strong(),
            );
            for outcome in &report.outcomes {
                let description = rubric
                    .outcomes
                    .iter()
                    .find(|o| o.id == outcome.id)
                    .map_or("", |o| o.description);
                bars_ui(
                    ui,
                    &[(
                        format!(
                            "#{} {}: {}%",
                            outcome.rank, outcome.title, outcome.fit_percent
                        ),
                        outcome.fit_percent,
                        description.to_string(),
                    )],
                    theme.accent(),
                );
            }
        }

        // Why: the answers behind the headline, as the engine attributes them.
        let target = match rubric.verdict_rule {
            VerdictRule::Dimension(d) => Some(Target::Dimension(d)),
            VerdictRule::TopOutcome => report
                .outcomes
                .first()
                .and_then(|top| rubric.outcomes.iter().position(|o| o.id == top.id))
                .map(|o| Target::Outcome(o as u8)),
            VerdictRule::Grid { .. } => None,
        };
        ui.add_space(8.0);
        let long = rubric.items.len() > 6;
        egui::CollapsingHeader::new(RichText::new("Why this result").size(20.0).strong())
            .id_salt(("why", rubric.id))
            .default_open(!long)
            .show(ui, |ui| match (rubric.verdict_rule, target) {
                (VerdictRule::Grid { x, y, .. }, _) => {
                    for d in [x, y] {
                        if let Some(dim) = report.dimensions.get(usize::from(d)) {
                            ui.label(format!(
                                "{}: {} of {} ({})",
                                dim.title,
                                dim.value,
                                dim.max,
                                dim.band_label.as_deref().unwrap_or("-")
                            ));
                        }
                    }
                    for d in [x, y] {
                        why_ui(ui, completed, Target::Dimension(d));
                    }
                }
                (_, Some(target)) => why_ui(ui, completed, target),
                _ => {}
            });

        ui.add_space(8.0);
        caveats_ui(ui, &rubric);
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if big_button(ui, "Home", 140.0).clicked() {
                action = Some(Action::Home);
            }
            if big_button(ui, "My history", 0.0).clicked() {
                action = Some(Action::History(Some(rubric.id.to_string())));
            }
        });
    });
    if action.is_none() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        action = Some(Action::Home);
    }
    action
}

fn why_ui(ui: &mut Ui, completed: &Completed, target: Target) {
    for c in contributions(&completed.rubric, &completed.answers, target) {
        let Some(item) = completed.rubric.item(usize::from(c.item)) else {
            continue;
        };
        let answer = answer_text(completed, usize::from(c.item));
        let detail = if c.possible > 0 {
            format!(" ({} of {})", c.points, c.possible)
        } else {
            String::new()
        };
        lead_label(
            ui,
            &format!("{answer}{detail}"),
            &format!("to “{}”", item.prompt),
        );
    }
}
