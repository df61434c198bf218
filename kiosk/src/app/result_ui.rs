//! The result: verdict in plain words, why, charts, actions and caveats.

use egui::{RichText, Ui};
use rubric_engine::model::{ItemKind, Rubric, Target, VerdictRule};
use rubric_engine::{contributions, Answer, Verdict};

use super::charts::{bars_ui, radar_ui};
use super::command::Command;
use super::theme::{self, space, OnFill, Theme};
use super::widgets::{
    action_card_ui, banner_ui, caveats_ui, hero_ui, lead_label, page_scroll, primary_button,
    quiet_button, reading_column, section_heading,
};
use crate::attempt::{Completed, SaveError};
use rubrics::figures::{figures, is_categorical, Figure};
use rubrics::report::ActionReport;

/// State of the result screen.
#[derive(Debug)]
pub struct ResultState {
    /// The completed attempt.
    pub completed: Completed,
    /// The stored row id, or why it could not be stored.
    pub saved: Result<i64, SaveError>,
}

impl ResultState {
    /// A result screen.
    pub fn new(completed: Completed, saved: Result<i64, SaveError>) -> Self {
        ResultState { completed, saved }
    }
}

fn actions_ui(ui: &mut Ui, actions: &[ActionReport]) {
    for action in actions {
        action_card_ui(ui, action.when.label(), &action.text);
    }
}

/// The hero colours of a verdict: each verdict of a rubric its own colour,
/// taken in declaration order, so a colour identifies a verdict without
/// ranking it.
fn verdict_colors(ui: &Ui, rubric: &Rubric<'_>, verdict: Verdict) -> OnFill {
    let p = theme::palette(ui.ctx());
    let slot = match verdict {
        Verdict::Band(b) | Verdict::Held { band: b, .. } => {
            let scope = rubric.band(usize::from(b)).map(|band| band.scope);
            rubric
                .bands
                .iter()
                .take(usize::from(b))
                .filter(|band| Some(band.scope) == scope)
                .count()
        }
        Verdict::Outcome(o) => usize::from(o),
        // A mixed profile is no one outcome: the colour after the outcomes'.
        Verdict::Tied(_) => rubric.outcomes.len(),
        Verdict::Undetermined => p.verdicts.len() - 1,
    };
    p.verdicts[slot % p.verdicts.len()]
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
pub fn result_ui(ui: &mut Ui, state: &mut ResultState, theme: Theme) -> Option<Command> {
    let mut command = None;
    let completed = &state.completed;
    let rubric = completed.rubric;
    reading_column(ui, |ui| {
        if let Err(e) = &state.saved {
            banner_ui(ui, &format!("This result has NOT been saved: {e}"), true);
            if primary_button(ui, "Try saving again", 0.0).clicked() {
                command = Some(Command::RetrySave);
            }
        }
        page_scroll(("result", rubric.id, completed.completed_at)).show(ui, |ui| {
            result_body_ui(ui, completed, theme);
            ui.add_space(space::L);
            ui.horizontal(|ui| {
                if primary_button(ui, "Home", 140.0).clicked() {
                    command = Some(Command::Home);
                }
                if quiet_button(ui, "My history", 0.0).clicked() {
                    command = Some(Command::History(Some(rubric.id.to_string())));
                }
            });
            ui.add_space(space::L);
        });
    });
    if command.is_none() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        command = Some(Command::Home);
    }
    command
}

/// Everything a result says, without the buttons around it: the verdict,
/// scores, archetypes, why, and caveats. Shared with workshop mode.
pub(crate) fn result_body_ui(ui: &mut Ui, completed: &Completed, theme: Theme) {
    verdict_ui(ui, completed);
    dimensions_ui(ui, completed, theme);
    outcomes_ui(ui, completed, theme);
    reasons_ui(ui, completed);
    caveats_ui(ui, &completed.rubric);
}

/// The hero card and the verdict's actions.
fn verdict_ui(ui: &mut Ui, completed: &Completed) {
    let rubric = completed.rubric;
    let report = &completed.report;
    let colors = verdict_colors(ui, &rubric, completed.result.verdict);
    let label = report
        .verdict_label
        .as_deref()
        .unwrap_or("Not enough answers for a verdict");
    hero_ui(
        ui,
        colors,
        rubric.title,
        label,
        report.verdict_explanation.as_deref(),
    );
    if !report.actions.is_empty() {
        section_heading(ui, "Try this");
        actions_ui(ui, &report.actions);
    }
}

/// The dimension the verdict is read from, if there is exactly one.
fn verdict_dimension(rubric: &Rubric<'_>) -> Option<usize> {
    match rubric.verdict_rule {
        VerdictRule::Dimension(d) | VerdictRule::DimensionWithFloor { dimension: d, .. } => {
            Some(usize::from(d))
        }
        _ => None,
    }
}

/// Dimensions: a radar for three or more charted ones, bars otherwise; each
/// dimension's figure line (see [`rubrics::figures`]: categories without
/// numbers, counts against their real maximum) with its band explained. The
/// verdict's own dimension is left out of a radar (its band is the hero
/// card already) but keeps its figure line, which names the verdict.
fn dimensions_ui(ui: &mut Ui, completed: &Completed, theme: Theme) {
    let rubric = completed.rubric;
    let shown = figures(&rubric, &completed.result);
    if shown.is_empty() {
        return;
    }
    let skip = verdict_dimension(&rubric).filter(|_| shown.len() >= 4);
    section_heading(ui, "Your scores");
    let charted: Vec<&Figure> = shown
        .iter()
        .filter(|f| f.chart_percent.is_some() && Some(usize::from(f.dimension)) != skip)
        .collect();
    if charted.len() >= 3 {
        let axes: Vec<(&str, u8)> = charted
            .iter()
            .map(|f| (f.title.as_str(), f.chart_percent.unwrap_or(0)))
            .collect();
        radar_ui(ui, &axes, theme);
    } else {
        // The bar's caption is the amount; the line below it names the band.
        let bars: Vec<(String, u8, String)> = charted
            .iter()
            .map(|f| {
                (
                    f.title.clone(),
                    f.chart_percent.unwrap_or(0),
                    f.amount.clone(),
                )
            })
            .collect();
        bars_ui(ui, &bars, theme.palette().chart);
    }
    for figure in &shown {
        let band = figure.band.and_then(|b| rubric.band(usize::from(b)));
        egui::CollapsingHeader::new(figure.line())
            .id_salt(("dimension", figure.dimension))
            .show(ui, |ui| {
                if let Some(band) = band {
                    ui.label(band.explanation);
                    actions_ui(ui, &rubrics::report::band_actions(&band));
                }
            });
    }
}

/// Ranked fit of every outcome, with its description.
fn outcomes_ui(ui: &mut Ui, completed: &Completed, theme: Theme) {
    let rubric = completed.rubric;
    if completed.result.outcomes.is_empty() {
        return;
    }
    section_heading(ui, "How well your answers fit each one");
    for fit in &completed.result.outcomes {
        let Some(outcome) = rubric.outcomes.get(usize::from(fit.outcome)) else {
            continue;
        };
        bars_ui(
            ui,
            &[(
                format!("#{} {}: {}%", fit.rank, outcome.title, fit.percent),
                fit.percent,
                if completed.result.verdict == Verdict::Outcome(fit.outcome) {
                    "Your best fit, described above.".to_string()
                } else {
                    outcome.description.to_string()
                },
            )],
            theme.palette().chart,
        );
    }
}

/// Why: the answers behind the verdict, as the engine attributes them.
fn reasons_ui(ui: &mut Ui, completed: &Completed) {
    let rubric = completed.rubric;
    let target = match (rubric.verdict_rule, completed.result.verdict) {
        (VerdictRule::Dimension(d), _)
        | (VerdictRule::DimensionWithFloor { dimension: d, .. }, _) => Some(Target::Dimension(d)),
        (
            VerdictRule::TopOutcome | VerdictRule::TopOutcomeWithFallback { .. },
            Verdict::Outcome(o),
        ) => Some(Target::Outcome(o)),
        _ => None,
    };
    ui.add_space(space::M);
    let long = rubric.items.len() > 6;
    egui::CollapsingHeader::new(
        RichText::new("Why this result")
            .text_style(theme::title())
            .strong(),
    )
    .id_salt(("why", rubric.id))
    .default_open(!long)
    .show(ui, |ui| match (rubric.verdict_rule, target) {
        (VerdictRule::Grid { x, y, .. }, _) => {
            let all = figures(&rubric, &completed.result);
            for d in [x, y] {
                if let Some(figure) = all.get(usize::from(d)) {
                    ui.label(figure.line());
                }
            }
            for d in [x, y] {
                why_ui(ui, completed, Target::Dimension(d));
            }
        }
        (_, Some(target)) => {
            why_ui(ui, completed, target);
            match completed.result.verdict {
                Verdict::Held { by, .. } if target != Target::Dimension(by) => {
                    held_by_ui(ui, completed, by);
                }
                _ => {}
            }
        }
        (_, None) => {
            // A tie: what drew the answers towards each of the tied outcomes.
            for o in completed.result.verdict.tied_outcomes() {
                let Some(outcome) = rubric.outcomes.get(usize::from(o)) else {
                    continue;
                };
                ui.add_space(space::S);
                ui.label(RichText::new(format!("Towards {}", outcome.title)).strong());
                why_ui(ui, completed, Target::Outcome(o));
            }
        }
    });
}

/// The dimension that held a verdict back, and the answers behind it.
fn held_by_ui(ui: &mut Ui, completed: &Completed, by: u8) {
    let Some(dim) = completed.rubric.dimensions.get(usize::from(by)) else {
        return;
    };
    ui.add_space(space::S);
    let amount = figures(&completed.rubric, &completed.result)
        .get(usize::from(by))
        .map(|f| f.amount.clone())
        .unwrap_or_default();
    ui.label(
        RichText::new(format!(
            "{} held the verdict back ({amount}); the answers behind it:",
            dim.title
        ))
        .strong(),
    );
    why_ui(ui, completed, Target::Dimension(by));
}

fn why_ui(ui: &mut Ui, completed: &Completed, target: Target) {
    // A category's answer is named, not counted (see `rubrics::figures`).
    let category = matches!(target, Target::Dimension(d) if is_categorical(&completed.rubric, d));
    for c in contributions(&completed.rubric, &completed.answers, target) {
        let Some(item) = completed.rubric.item(usize::from(c.item)) else {
            continue;
        };
        let answer = answer_text(completed, usize::from(c.item));
        let detail = if c.possible > 0 && !category {
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
