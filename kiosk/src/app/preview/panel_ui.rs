//! The author's panel beside the preview: which file and version is shown,
//! the compiler's errors in place, "try answers", and the coverage of the
//! rules.

use egui::{RichText, Ui};
use rubrics::coverage::{BandOwner, Coverage, Walk};

use super::fill::Fill;
use super::source::{LoadProblem, Located};
use crate::app::theme::{self, space};
use crate::app::widgets::{banner_ui, quiet_button, section_heading};

/// What the author asked the panel for.
#[derive(Debug)]
pub enum PanelAction {
    /// Fill every question and show the result.
    Fill(Fill),
    /// A fresh attempt of the rubric shown.
    StartOver,
    /// Show another rubric of the folder.
    Select(String),
    /// Compile again now (when the watcher could not start).
    Reload,
}

/// What the panel shows, read from the preview each frame.
#[derive(Debug)]
pub struct PanelView<'a> {
    /// The file or folder previewed.
    pub path: &'a std::path::Path,
    /// How many versions have compiled.
    pub version: u64,
    /// Why the files on disk do not compile, if they do not.
    pub problem: Option<&'a LoadProblem>,
    /// The watcher could not start: saving will not reload.
    pub watch_failed: bool,
    /// The ids of the rubrics of the version shown.
    pub rubrics: Vec<&'a str>,
    /// The id of the rubric shown.
    pub shown: Option<&'a str>,
    /// Its coverage, once computed.
    pub coverage: Option<&'a Coverage>,
}

/// Draws the panel.
pub fn panel_ui(ui: &mut Ui, app: &PanelView<'_>) -> Option<PanelAction> {
    let mut action = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(space::S);
        section_heading(ui, "Preview");
        ui.label(RichText::new(app.path.display().to_string()).monospace());
        status_ui(ui, app, &mut action);
        rubric_picker_ui(ui, app, &mut action);
        if let Some(problem) = app.problem {
            ui.add_space(space::M);
            problem_ui(ui, problem);
        }
        if app.shown.is_some() {
            ui.add_space(space::M);
            section_heading(ui, "Try answers");
            ui.horizontal_wrapped(|ui| {
                for (label, fill) in [
                    ("All lowest", Fill::Lowest),
                    ("All highest", Fill::Highest),
                    ("Random", Fill::Random),
                ] {
                    if quiet_button(ui, label, 0.0).clicked() {
                        action = Some(PanelAction::Fill(fill));
                    }
                }
                if quiet_button(ui, "Start over", 0.0).clicked() {
                    action = Some(PanelAction::StartOver);
                }
            });
            ui.add_space(space::M);
            section_heading(ui, "Coverage of the rules");
            match app.coverage {
                Some(coverage) => coverage_ui(ui, coverage),
                None => {
                    ui.label("Scoring answer sets...");
                }
            }
        }
    });
    action
}

fn status_ui(ui: &mut Ui, app: &PanelView<'_>, action: &mut Option<PanelAction>) {
    let status = match (app.version, app.problem.is_some()) {
        (0, _) => "No version has compiled yet.".to_owned(),
        (n, false) => format!("Version {n}: reloads each time you save."),
        (n, true) => format!(
            "Showing version {n}, the last one that compiled. The file on disk has errors (below)."
        ),
    };
    ui.label(status);
    if app.watch_failed {
        banner_ui(
            ui,
            "This file cannot be watched, so saving will not reload it. Use Reload after saving.",
            true,
        );
        if quiet_button(ui, "Reload", 0.0).clicked() {
            *action = Some(PanelAction::Reload);
        }
    }
}

fn rubric_picker_ui(ui: &mut Ui, app: &PanelView<'_>, action: &mut Option<PanelAction>) {
    if app.rubrics.len() < 2 {
        return;
    }
    let shown = app.shown.unwrap_or_default();
    egui::ComboBox::from_label("Rubric")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for &id in &app.rubrics {
                if ui.selectable_label(id == shown, id).clicked() {
                    *action = Some(PanelAction::Select(id.to_owned()));
                }
            }
        });
}

fn problem_ui(ui: &mut Ui, problem: &LoadProblem) {
    let error = theme::palette(ui.ctx()).warning_text;
    match problem {
        LoadProblem::Diagnostics(found) => {
            section_heading(ui, &format!("{} error(s)", found.len()));
            for located in found {
                located_ui(ui, located, error);
            }
        }
        LoadProblem::Compile(e) => {
            banner_ui(ui, &e.to_string(), true);
        }
    }
}

/// One error: where, the line with a marker under the column, what and help.
fn located_ui(ui: &mut Ui, located: &Located, error: egui::Color32) {
    let d = &located.diagnostic;
    let file = d.file.file_name().map_or_else(
        || d.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    ui.add_space(space::S);
    ui.label(
        RichText::new(format!("{file}:{}:{}", d.line, d.column))
            .monospace()
            .strong(),
    );
    if let Some(line) = &located.source_line {
        // A tab counts as one column, as the compiler counts it.
        let shown: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let marker = format!("{}^", " ".repeat(d.column.saturating_sub(1)));
        ui.label(RichText::new(format!("{shown}\n{marker}")).monospace());
    }
    ui.label(RichText::new(&d.message).color(error));
    if let Some(help) = &d.help {
        ui.label(format!("help: {help}"));
    }
}

fn coverage_ui(ui: &mut Ui, coverage: &Coverage) {
    let walk = match coverage.walk {
        Walk::Exhaustive { answer_sets } => format!(
            "Every one of the {answer_sets} complete answer sets was scored: a band marked \
             never reached cannot be reached."
        ),
        Walk::Sampled { answer_sets, .. } => format!(
            "Too many answer sets to score them all: {answer_sets} random ones were scored. A \
             band marked not reached was not found, which is not proof it cannot be."
        ),
    };
    ui.label(walk);
    ui.add_space(space::S);
    for band in &coverage.bands {
        let owner = match &band.owner {
            BandOwner::Dimension(id) => id.clone(),
            BandOwner::Verdict => "verdict".to_owned(),
            BandOwner::Outcome(id) => format!("outcome {id}"),
            BandOwner::Tie => "tie".to_owned(),
        };
        let line = if band.reached == 0 {
            format!("Never reached: {} ({owner}), \"{}\"", band.id, band.label)
        } else {
            format!(
                "Reached: {} ({owner}), {} answer sets",
                band.id, band.reached
            )
        };
        let text = RichText::new(line);
        ui.label(if band.reached == 0 {
            text.color(theme::palette(ui.ctx()).warning_text).strong()
        } else {
            text
        });
    }
    for pair in &coverage.never_apart {
        ui.label(
            RichText::new(format!(
                "Never told apart: {} and {} always fit equally well.",
                pair.first, pair.second
            ))
            .color(theme::palette(ui.ctx()).warning_text)
            .strong(),
        );
    }
    if coverage.ties > 0 {
        ui.label(format!(
            "{} answer sets end in a tie of outcomes (a mixed profile).",
            coverage.ties
        ));
    }
}
