//! History: attempts per rubric, a trend across them, and a comparison of two.

use egui::{RichText, Ui};
use rubric_engine::{Bundle, Rubric, ScoreResult};

use super::charts::trend_ui;
use super::command::Command;
use super::theme::{self, space, Theme, TOUCH};
use super::widgets::{
    banner_ui, card_button, page_scroll, quiet_button, reading_column, section_heading, CardText,
};
use crate::attempt::Completed;
use crate::library::Library;
use crate::store::{format_utc, ResultsStore, StoreError, StoredResult};
use rubrics::report::ResultReport;

/// One stored attempt, decoded.
#[derive(Debug)]
pub struct HistoryRow {
    /// Row id.
    pub id: i64,
    /// When.
    pub completed_at: i64,
    /// Rubric version at the time.
    pub version: u16,
    /// The named result as stored.
    pub report: ResultReport,
    /// The rubric as it was when this attempt was answered, if the library
    /// still has that version.
    pub rubric: Option<Rubric<'static>>,
    /// The answers as stored.
    pub answers_json: String,
    /// The engine's result as stored.
    pub result: ScoreResult,
    /// The bundle the rubric came from.
    pub bundle_hash: String,
}

impl HistoryRow {
    /// The attempt as the result screen shows it, with the questions of its
    /// own rubric version; `None` if the library lacks that version.
    pub fn completed(&self) -> Option<Completed> {
        let rubric = self.rubric?;
        let value = serde_json::from_str(&self.answers_json).ok()?;
        let (set, _) = rubrics::answers::from_json_lenient(&rubric, &value);
        Some(Completed {
            rubric,
            answers: set.answers,
            texts: set.texts,
            result: self.result.clone(),
            report: self.report.clone(),
            answers_json: self.answers_json.clone(),
            bundle_hash: self.bundle_hash.clone(),
            completed_at: self.completed_at,
        })
    }
}

/// Why the history cannot be shown at all.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// There is no store to read.
    #[error("The results database is not open, so there is no history to show.")]
    NotOpen,
    /// The store failed.
    #[error("The history cannot be read: {0}")]
    Store(#[from] StoreError),
}

/// Why one stored result is not shown.
#[derive(Debug, thiserror::Error)]
pub enum UnreadableResult {
    /// The row itself cannot be read.
    #[error(transparent)]
    Row(StoreError),
    /// Its rubric is not in this library.
    #[error("stored result number {id} is of rubric `{rubric}`, which this library does not have")]
    UnknownRubric {
        /// Row id.
        id: i64,
        /// The rubric id stored.
        rubric: String,
    },
    /// Its named result is damaged.
    #[error("stored result number {id} has a damaged report: {source}")]
    Report {
        /// Row id.
        id: i64,
        /// The cause.
        source: serde_json::Error,
    },
    /// Its engine result is damaged.
    #[error("stored result number {id} has a damaged engine result: {source}")]
    Engine {
        /// Row id.
        id: i64,
        /// The cause.
        source: postcard::Error,
    },
}

/// State of the history screen.
#[derive(Debug)]
pub struct HistoryState {
    /// The rubric shown, or `None` for the overview.
    pub rubric: Option<String>,
    /// Its attempts, oldest first.
    pub rows: Vec<HistoryRow>,
    counts: Vec<(String, i64)>,
    error: Option<HistoryError>,
    /// Stored results that cannot be read and are not shown.
    pub unreadable: Vec<UnreadableResult>,
    /// The two attempts compared (indices into `rows`).
    pub compare: [Option<usize>; 2],
}

impl HistoryState {
    /// Reads what the screen shows, once, when it opens. Every result is
    /// decoded; one that cannot be is left out and counted, never hiding
    /// the others.
    pub fn load(store: Option<&ResultsStore>, library: &Library, rubric: Option<String>) -> Self {
        let mut state = HistoryState {
            rubric: rubric.clone(),
            rows: Vec::new(),
            counts: Vec::new(),
            error: None,
            unreadable: Vec::new(),
            compare: [None, None],
        };
        let Some(store) = store else {
            state.error = Some(HistoryError::NotOpen);
            return state;
        };
        let stored = match store.results_row_by_row(rubric.as_deref()) {
            Ok(stored) => stored,
            Err(e) => {
                state.error = Some(e.into());
                return state;
            }
        };
        state
            .unreadable
            .extend(stored.unreadable.into_iter().map(UnreadableResult::Row));
        for row in stored.readable {
            match decode(library, row) {
                Ok((rubric_id, row)) => {
                    match state.counts.iter_mut().find(|(id, _)| *id == rubric_id) {
                        Some((_, count)) => *count += 1,
                        None => state.counts.push((rubric_id, 1)),
                    }
                    state.rows.push(row);
                }
                Err(e) => state.unreadable.push(e),
            }
        }
        for problem in &state.unreadable {
            log::error!("{problem}");
        }
        state.counts.sort();
        if rubric.is_some() {
            let n = state.rows.len();
            if n >= 2 {
                state.compare = [Some(n - 2), Some(n - 1)];
            }
        } else {
            state.rows.clear();
        }
        state
    }

    /// The note about results left out, if any.
    pub fn unreadable_note(&self) -> Option<String> {
        match self.unreadable.len() {
            0 => None,
            1 => Some("1 result could not be read and is not shown.".into()),
            n => Some(format!("{n} results could not be read and are not shown.")),
        }
    }
}

/// Decodes one stored result: its rubric must be in the library, its report
/// and engine result must decode.
fn decode(library: &Library, row: StoredResult) -> Result<(String, HistoryRow), UnreadableResult> {
    let id = row.id;
    let current = library.current().bundle.rubric(&row.rubric_id);
    // The exact version it was answered with; the one in use only if it is
    // the same version (a result from before bundle hashes were kept).
    let rubric = library
        .rubric_at(&row.rubric_id, &row.bundle_hash)
        .or(current.filter(|r| r.version == row.rubric_version));
    if rubric.is_none() && current.is_none() {
        return Err(UnreadableResult::UnknownRubric {
            id,
            rubric: row.rubric_id,
        });
    }
    let report = serde_json::from_str::<ResultReport>(&row.report_json)
        .map_err(|source| UnreadableResult::Report { id, source })?;
    let result = ScoreResult::decode(&row.engine_result)
        .map_err(|source| UnreadableResult::Engine { id, source })?;
    Ok((
        row.rubric_id,
        HistoryRow {
            id,
            completed_at: row.completed_at,
            version: row.rubric_version,
            report,
            rubric,
            answers_json: row.answers_json,
            result,
            bundle_hash: row.bundle_hash,
        },
    ))
}

/// Draws the history screen.
pub fn history_ui(
    ui: &mut Ui,
    state: &mut HistoryState,
    bundle: &Bundle<'static>,
    theme: Theme,
) -> Option<Command> {
    let mut command = None;
    reading_column(ui, |ui| {
        history_page_ui(ui, state, bundle, theme, &mut command)
    });
    if command.is_none() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        command = Some(Command::Home);
    }
    command
}

fn history_page_ui(
    ui: &mut Ui,
    state: &mut HistoryState,
    bundle: &Bundle<'static>,
    theme: Theme,
    command: &mut Option<Command>,
) {
    let p = theme.palette();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("History")
                .text_style(theme::display())
                .strong(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if quiet_button(ui, "Home", 0.0).clicked() {
                *command = Some(Command::Home);
            }
            if state.rubric.is_some() && quiet_button(ui, "All rubrics", 0.0).clicked() {
                *command = Some(Command::History(None));
            }
        });
    });
    if let Some(error) = &state.error {
        banner_ui(ui, &error.to_string(), true);
    }
    if let Some(note) = state.unreadable_note() {
        banner_ui(ui, &note, false);
    }
    page_scroll(("history", state.rubric.clone())).show(ui, |ui| match state.rubric.clone() {
        None => {
            if state.counts.is_empty() {
                ui.label("No results yet. Completed assessments appear here.");
            }
            for (id, count) in &state.counts {
                let (title, summary) = bundle
                    .rubric(id)
                    .map_or((id.as_str(), ""), |r| (r.title, r.summary));
                let meta = format!("{count} attempt{}", if *count == 1 { "" } else { "s" });
                let label = format!("{title}: {meta}");
                let card = CardText {
                    title,
                    summary,
                    meta: &meta,
                    label: &label,
                };
                if card_button(ui, p.groups[0], card).clicked() {
                    *command = Some(Command::History(Some(id.clone())));
                }
            }
        }
        Some(id) => {
            let title = bundle
                .rubric(&id)
                .map_or(id.clone(), |r| r.title.to_string());
            ui.label(RichText::new(&title).text_style(theme::title()).strong());
            if state.rows.is_empty() {
                ui.label("No results for this rubric yet.");
                return;
            }
            attempts_ui(ui, state, command);
            trend_section_ui(ui, state, theme);
            compare_ui(ui, state);
            ui.add_space(space::L);
        }
    });
}

fn attempts_ui(ui: &mut Ui, state: &mut HistoryState, command: &mut Option<Command>) {
    section_heading(ui, "Attempts");
    let mut toggled = None;
    for (i, row) in state.rows.iter().enumerate() {
        ui.horizontal(|ui| {
            let selected = state.compare.contains(&Some(i));
            if ui
                .add(
                    egui::Button::new(format!("Compare attempt {}", i + 1))
                        .selected(selected)
                        .min_size(egui::vec2(0.0, TOUCH)),
                )
                .clicked()
            {
                toggled = Some(i);
            }
            if ui
                .add_enabled(
                    row.rubric.is_some(),
                    egui::Button::new(format!("Open attempt {}", i + 1))
                        .min_size(egui::vec2(0.0, TOUCH)),
                )
                .on_disabled_hover_text(
                    "The questions of this rubric version are not in the library.",
                )
                .clicked()
            {
                *command = Some(Command::OpenResult(i));
            }
            ui.label(format!(
                "{} · {}{}",
                format_utc(row.completed_at),
                row.report.verdict_label.as_deref().unwrap_or("no verdict"),
                if row.version != state.rows.last().map_or(row.version, |r| r.version) {
                    format!(" (rubric version {})", row.version)
                } else {
                    String::new()
                }
            ));
        });
    }
    if let Some(i) = toggled {
        state.compare = match state.compare {
            [Some(a), b] if a == i => [b, None],
            [a, Some(b)] if b == i => [a, None],
            [None, b] => [Some(i), b],
            [a, None] => [a, Some(i)],
            [_, b] => [b, Some(i)],
        };
    }
}

fn trend_section_ui(ui: &mut Ui, state: &HistoryState, theme: Theme) {
    let Some(latest) = state.rows.last() else {
        return;
    };
    let mut series: Vec<(String, Vec<u8>)> = latest
        .report
        .dimensions
        .iter()
        .map(|d| {
            let values = state
                .rows
                .iter()
                .map(|r| {
                    r.report
                        .dimensions
                        .iter()
                        .find(|x| x.id == d.id)
                        .map_or(0, |x| x.percent)
                })
                .collect();
            (d.title.clone(), values)
        })
        .collect();
    series.extend(latest.report.outcomes.iter().map(|o| {
        let values = state
            .rows
            .iter()
            .map(|r| {
                r.report
                    .outcomes
                    .iter()
                    .find(|x| x.id == o.id)
                    .map_or(0, |x| x.fit_percent)
            })
            .collect();
        (o.title.clone(), values)
    }));
    if series.is_empty() {
        return;
    }
    section_heading(ui, "Trend across attempts");
    let labels: Vec<String> = (1..=state.rows.len()).map(|i| format!("#{i}")).collect();
    trend_ui(ui, &series, &labels, theme);
}

fn compare_ui(ui: &mut Ui, state: &HistoryState) {
    let [Some(a), Some(b)] = state.compare else {
        ui.label(RichText::new("Choose two attempts to compare them.").weak());
        return;
    };
    let (Some(first), Some(second)) = (state.rows.get(a.min(b)), state.rows.get(a.max(b))) else {
        return;
    };
    section_heading(
        ui,
        &format!(
            "Attempt {} compared with attempt {}",
            a.min(b) + 1,
            a.max(b) + 1
        ),
    );
    ui.label(format!(
        "Verdict: {} then {}",
        first.report.verdict_label.as_deref().unwrap_or("none"),
        second.report.verdict_label.as_deref().unwrap_or("none")
    ));
    egui::Grid::new("compare")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.strong("");
            ui.strong(format!("#{}", a.min(b) + 1));
            ui.strong(format!("#{}", a.max(b) + 1));
            ui.strong("Moved");
            ui.end_row();
            let rows = second.report.dimensions.iter().map(|d| {
                let before = first
                    .report
                    .dimensions
                    .iter()
                    .find(|x| x.id == d.id)
                    .map(|x| x.percent);
                (d.title.clone(), before, Some(d.percent))
            });
            let outcome_rows = second.report.outcomes.iter().map(|o| {
                let before = first
                    .report
                    .outcomes
                    .iter()
                    .find(|x| x.id == o.id)
                    .map(|x| x.fit_percent);
                (o.title.clone(), before, Some(o.fit_percent))
            });
            for (title, before, after) in rows.chain(outcome_rows) {
                ui.label(title);
                ui.label(before.map_or("-".into(), |v| format!("{v}%")));
                ui.label(after.map_or("-".into(), |v| format!("{v}%")));
                let moved = match (before, after) {
                    (Some(x), Some(y)) => {
                        let delta = i16::from(y) - i16::from(x);
                        match delta {
                            0 => "no change".to_string(),
                            d if d > 0 => format!("up {d} points"),
                            d => format!("down {} points", -d),
                        }
                    }
                    _ => "new".to_string(),
                };
                ui.label(moved);
                ui.end_row();
            }
        });
}
