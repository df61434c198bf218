//! The projector while the session follows a plan: a presentation, not a
//! dashboard. The session's name and where the room is, the step's title,
//! its prompt in large type, and for a reveal (or a discussion of a
//! revealed rubric) the group figure as one chart; the phones' join code
//! beside it while phones may join.
//!
//! Group figures come only from the [`SessionAggregates`] the facilitator's
//! screens show (the minimum group and reveal rules, and the stepped
//! release of `workshop::release`); below the minimum group the chart is
//! replaced by how many more results it needs. Nothing here names a person
//! and nothing is a control. Every text is at least [`size::PROJECTOR`]
//! points in the projector's high-contrast palette (`tests/design.rs`).

use egui::{Align2, Color32, FontId, RichText, Sense, Ui, Vec2};
use rubrics::plan::StepKind;

use super::phones::PhonesView;
use super::plan_run::StepShown;
use crate::app::projector_ui::PROJECTOR_THEME;
use crate::app::theme::{size, space, Palette, Theme};
use crate::workshop::aggregate::{GroupFigures, LabelledCount, RubricAggregate, RubricFigures};
use crate::workshop::SessionAggregates;

/// The step's title.
pub const TITLE_SIZE: f32 = 52.0;
/// A prompt, and a break's time left.
pub const PROMPT_SIZE: f32 = 36.0;
/// Width of the join column beside the step, while phones may join.
const JOIN_WIDTH: f32 = 340.0;
/// Height of one bar of the chart.
const BAR_HEIGHT: f32 = 40.0;

/// Draws the plan's current `step` on the projector's background.
pub fn projector_step_ui(
    ui: &mut Ui,
    step: &StepShown,
    figures: Option<&SessionAggregates>,
    phones: Option<&PhonesView>,
    theme: Theme,
) {
    let palette = PROJECTOR_THEME.palette();
    let frame = egui::Frame::NONE
        .fill(palette.background)
        .inner_margin(space::XL);
    egui::CentralPanel::default().frame(frame).show(ui, |ui| {
        ui.spacing_mut().item_spacing = Vec2::new(space::M, space::S);
        let joining = phones.filter(|view| view.joining_open);
        let full = ui.available_size();
        let main_width = match joining {
            Some(_) => (full.x - JOIN_WIDTH - space::XL).max(full.x * 0.5),
            None => full.x,
        };
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(main_width, full.y),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_width(main_width);
                    step_ui(ui, step, figures, palette, theme);
                },
            );
            if let Some(view) = joining {
                ui.add_space(space::XL);
                ui.allocate_ui_with_layout(
                    Vec2::new(JOIN_WIDTH, full.y),
                    egui::Layout::top_down(egui::Align::Min),
                    |ui| join_ui(ui, view, palette),
                );
            }
        });
    });
}

fn big(text: impl Into<String>, points: f32, color: Color32) -> RichText {
    RichText::new(text).size(points).color(color)
}

fn wrapped(ui: &mut Ui, text: RichText) {
    ui.add(egui::Label::new(text).wrap());
}

/// The session, the step, and what the step shows.
fn step_ui(
    ui: &mut Ui,
    step: &StepShown,
    figures: Option<&SessionAggregates>,
    palette: &Palette,
    theme: Theme,
) {
    let kind = match step.kind {
        StepKind::Take { .. } => "Take a rubric",
        StepKind::Reveal { .. } => "Group results",
        StepKind::Discuss { .. } => "Discussion",
        StepKind::Break => "Break",
    };
    let overline = format!(
        "{} · step {} of {} · {kind}",
        step.session, step.number, step.steps
    );
    wrapped(ui, big(overline, size::PROJECTOR, palette.text_muted));
    wrapped(
        ui,
        big(&step.title, TITLE_SIZE, palette.accent_text).strong(),
    );
    ui.add_space(space::M);
    let rubric = |id: &str| figures.and_then(|f| f.rubrics.iter().find(|r| r.rubric_id == id));
    match &step.kind {
        StepKind::Take { rubric: id } => {
            let title = rubric(id).map_or(id.as_str(), |r| r.title.as_str());
            wrapped(ui, big(format!("Now: {title}"), PROMPT_SIZE, palette.text));
            wrapped(ui, big(&step.purpose, size::PROJECTOR, palette.text));
            ui.add_space(space::L);
            if let Some(done) = rubric(id).and_then(finished) {
                let people = if done == 1 {
                    "person has"
                } else {
                    "people have"
                };
                wrapped(
                    ui,
                    big(
                        format!("{done} {people} finished"),
                        PROMPT_SIZE,
                        palette.accent_text,
                    ),
                );
            }
        }
        StepKind::Reveal { rubric: id } => {
            wrapped(ui, big(&step.purpose, PROMPT_SIZE, palette.text));
            ui.add_space(space::M);
            figure_ui(ui, rubric(id), id, palette, theme);
        }
        StepKind::Discuss { .. } => discuss_ui(ui, step, rubric, palette, theme),
        StepKind::Break => break_ui(ui, step, palette),
    }
}

/// The prompts (the step's purpose when it has none), and beside them the
/// figure of a rubric an earlier step revealed.
fn discuss_ui<'a>(
    ui: &mut Ui,
    step: &StepShown,
    rubric: impl Fn(&str) -> Option<&'a RubricAggregate>,
    palette: &Palette,
    theme: Theme,
) {
    let prompts = |ui: &mut Ui| {
        if step.prompts.is_empty() {
            wrapped(ui, big(&step.purpose, PROMPT_SIZE, palette.text));
        }
        for prompt in &step.prompts {
            wrapped(ui, big(prompt, PROMPT_SIZE, palette.text));
            ui.add_space(space::M);
        }
    };
    match &step.revealed {
        Some(id) => {
            ui.columns(2, |cols| {
                prompts(&mut cols[0]);
                figure_ui(&mut cols[1], rubric(id), id, palette, theme);
            });
        }
        None => prompts(ui),
    }
}

/// A break: its time left in whole minutes (repainting once a minute while
/// it runs), or that time is up.
fn break_ui(ui: &mut Ui, step: &StepShown, palette: &Palette) {
    let timer = &step.timer;
    let clock = &step.clock;
    let line = if timer.is_up(clock) {
        "Time is up: we start again".to_string()
    } else if timer.has_time() {
        let minutes = timer.seconds_left(clock).div_ceil(60);
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        if timer.is_running() {
            format!("{minutes} {unit} left")
        } else {
            format!("{minutes} {unit}")
        }
    } else {
        String::new()
    };
    if !line.is_empty() {
        wrapped(ui, big(line, TITLE_SIZE, palette.accent_text).strong());
    }
    wrapped(ui, big(&step.purpose, PROMPT_SIZE, palette.text));
    if let Some(after) = timer.next_minute(clock) {
        ui.ctx().request_repaint_after(after);
    }
}

/// How many finished a rubric (counted by the store, kiosk and phones
/// together; a count of people, nothing of their answers).
pub(crate) fn finished(rubric: &RubricAggregate) -> Option<usize> {
    match &rubric.figures {
        GroupFigures::Shown(figures) => Some(figures.results + rubric.waiting),
        GroupFigures::TooFew { have, .. } | GroupFigures::NotRevealed { have } => Some(*have),
        GroupFigures::NotInLibrary => None,
    }
}

/// A rubric's group figure as one chart, or why there is none.
fn figure_ui(
    ui: &mut Ui,
    rubric: Option<&RubricAggregate>,
    id: &str,
    palette: &Palette,
    theme: Theme,
) {
    let title = rubric.map_or(id, |r| r.title.as_str());
    wrapped(ui, big(title, PROMPT_SIZE, palette.accent_text).strong());
    let line = match rubric.map(|r| &r.figures) {
        Some(GroupFigures::Shown(figures)) => return chart_ui(ui, figures, palette, theme),
        Some(GroupFigures::TooFew { have, need }) => {
            let more = need.saturating_sub(*have);
            let results = if more == 1 { "result" } else { "results" };
            format!("{more} more {results} needed before the group's figure shows")
        }
        Some(GroupFigures::NotRevealed { .. }) => {
            "The group's figure shows once the facilitator reveals it".to_string()
        }
        Some(GroupFigures::NotInLibrary) | None => {
            "This rubric is not in this kiosk's library".to_string()
        }
    };
    wrapped(ui, big(line, PROMPT_SIZE, palette.text));
}

/// The one chart of a rubric: the archetype mix when it has outcomes, else
/// the verdicts, else the first dimension's spread; each a labelled bar with
/// its share and count.
fn chart_ui(ui: &mut Ui, figures: &RubricFigures, palette: &Palette, theme: Theme) {
    let (heading, rows): (&str, Vec<(&str, usize)>) = if !figures.archetypes.is_empty() {
        ("Archetype mix", pairs(&figures.archetypes))
    } else if !figures.verdicts.is_empty() {
        ("Verdicts", pairs(&figures.verdicts))
    } else if let Some(dim) = figures.dimensions.first() {
        let bins = dim.bins.iter().map(|b| (b.label.as_str(), b.count));
        (dim.title.as_str(), bins.collect())
    } else {
        return;
    };
    let results = figures.results;
    wrapped(
        ui,
        big(
            format!("{heading} · {results} results"),
            size::PROJECTOR,
            palette.text,
        ),
    );
    ui.add_space(space::S);
    for (label, count) in rows {
        share_bar_ui(ui, palette, theme, label, count, results);
    }
}

fn pairs(counts: &[LabelledCount]) -> Vec<(&str, usize)> {
    counts.iter().map(|c| (c.label.as_str(), c.count)).collect()
}

/// `count` of `total` as a whole percentage, rounded.
pub fn percent(count: usize, total: usize) -> usize {
    if total == 0 {
        0
    } else {
        (count * 100 + total / 2) / total
    }
}

/// One row of the chart: the label, a bar as long as its share, and the
/// share and count ("40 % · 2"); one accessible label for the row.
fn share_bar_ui(
    ui: &mut Ui,
    palette: &Palette,
    theme: Theme,
    label: &str,
    count: usize,
    total: usize,
) {
    let share = percent(count, total);
    let width = ui.available_width();
    let label_width = (width * 0.38).min(520.0);
    let figure_width = 170.0;
    let bar_room = (width - label_width - figure_width - 2.0 * space::M).max(60.0);
    let font = FontId::proportional(size::PROJECTOR);
    let galley = ui.painter().layout(
        label.to_string(),
        font.clone(),
        palette.text,
        label_width - space::S,
    );
    let row = galley.size().y.max(BAR_HEIGHT) + space::S;
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, row), Sense::hover());
    let text = format!("{label}: {share} % ({count} of {total})");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    let painter = ui.painter_at(rect);
    painter.galley(rect.left_top(), galley, palette.text);
    let track = egui::Rect::from_min_size(
        egui::pos2(rect.left() + label_width + space::M, rect.top()),
        Vec2::new(bar_room, BAR_HEIGHT),
    );
    painter.rect_filled(track, 0.0, palette.surface_alt);
    let fill = track.with_max_x(track.left() + bar_room * share as f32 / 100.0);
    painter.rect_filled(fill, 0.0, palette.chart);
    painter.rect_stroke(
        track,
        0.0,
        egui::Stroke::new(theme.outline(), palette.border),
        egui::StrokeKind::Inside,
    );
    painter.text(
        egui::pos2(track.right() + space::M, track.center().y),
        Align2::LEFT_CENTER,
        format!("{share} % · {count}"),
        font,
        palette.text,
    );
}

/// The join column: the QR code, the short address, and the counts.
fn join_ui(ui: &mut Ui, view: &PhonesView, palette: &Palette) {
    super::qr::labelled_qr_ui(ui, &view.join_url, "QR code to join on a phone");
    ui.add_space(space::S);
    wrapped(
        ui,
        big("Answer on your phone", size::PROJECTOR, palette.text),
    );
    wrapped(
        ui,
        big(&view.short_url, size::PROJECTOR, palette.accent_text).strong(),
    );
    let c = view.counts;
    wrapped(
        ui,
        big(
            format!("{} phones joined · {} finished", c.joined, c.finished),
            size::PROJECTOR,
            palette.text,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn shares_are_whole_percentages_rounded_half_up() {
        assert_eq!(percent(2, 5), 40);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
    }
}
