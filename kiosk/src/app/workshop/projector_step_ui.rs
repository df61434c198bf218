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

/// How the projector draws at one screen size: every size at least
/// [`size::PROJECTOR`], smaller on a 720-line screen so a step fits it.
#[derive(Debug, Clone, Copy)]
struct Look {
    palette: &'static Palette,
    theme: Theme,
    /// Text of the step line, the chart and the join column.
    text: f32,
    /// The step's title.
    title: f32,
    /// A prompt, a rubric's title, a break's time left.
    prompt: f32,
    /// Height of one bar of the chart.
    bar: f32,
    /// Width of the join column beside the step, while phones may join.
    join: f32,
    /// Space around the page.
    margin: f32,
    /// From this width of the step's column a discussion's figure stands
    /// beside its prompts; below it, under them.
    beside_from: f32,
}

impl Look {
    fn for_screen(screen: Vec2, theme: Theme) -> Self {
        let palette = PROJECTOR_THEME.palette();
        let full_hd = Look {
            palette,
            theme,
            text: 32.0,
            title: 64.0,
            prompt: 44.0,
            bar: 44.0,
            join: 340.0,
            margin: space::XL,
            beside_from: 1200.0,
        };
        if screen.y >= 900.0 {
            full_hd
        } else {
            Look {
                text: size::PROJECTOR,
                title: 40.0,
                prompt: 30.0,
                bar: 30.0,
                join: 260.0,
                margin: space::L,
                ..full_hd
            }
        }
    }
}

/// Draws the plan's current `step` on the projector's background.
pub fn projector_step_ui(
    ui: &mut Ui,
    step: &StepShown,
    figures: Option<&SessionAggregates>,
    phones: Option<&PhonesView>,
    theme: Theme,
) {
    let look = Look::for_screen(ui.max_rect().size(), theme);
    let frame = egui::Frame::NONE
        .fill(look.palette.background)
        .inner_margin(look.margin);
    egui::CentralPanel::default().frame(frame).show(ui, |ui| {
        ui.spacing_mut().item_spacing = Vec2::new(space::M, space::S);
        let joining = phones.filter(|view| view.joining_open);
        let full = ui.available_size();
        let main_width = match joining {
            Some(_) => (full.x - look.join - look.margin).max(full.x * 0.5),
            None => full.x,
        };
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(main_width, full.y),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_width(main_width);
                    step_ui(ui, step, figures, &look);
                },
            );
            if let Some(view) = joining {
                ui.add_space(look.margin);
                ui.allocate_ui_with_layout(
                    Vec2::new(look.join, full.y),
                    egui::Layout::top_down(egui::Align::Min),
                    |ui| join_ui(ui, view, &look),
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
fn step_ui(ui: &mut Ui, step: &StepShown, figures: Option<&SessionAggregates>, look: &Look) {
    let palette = look.palette;
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
    wrapped(ui, big(overline, look.text, palette.text_muted));
    wrapped(
        ui,
        big(&step.title, look.title, palette.accent_text).strong(),
    );
    ui.add_space(space::M);
    let rubric = |id: &str| figures.and_then(|f| f.rubrics.iter().find(|r| r.rubric_id == id));
    match &step.kind {
        StepKind::Take { rubric: id } => {
            let title = rubric(id).map_or(id.as_str(), |r| r.title.as_str());
            wrapped(ui, big(format!("Now: {title}"), look.prompt, palette.text));
            wrapped(ui, big(&step.purpose, look.text, palette.text));
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
                        look.prompt,
                        palette.accent_text,
                    ),
                );
            }
        }
        StepKind::Reveal { rubric: id } => {
            wrapped(ui, big(&step.purpose, look.prompt, palette.text));
            ui.add_space(space::M);
            figure_ui(ui, rubric(id), id, look);
        }
        StepKind::Discuss { .. } => discuss_ui(ui, step, rubric, look),
        StepKind::Break => break_ui(ui, step, look),
    }
}

/// The prompts (the step's purpose when it has none), and beside them the
/// figure of a rubric an earlier step revealed.
fn discuss_ui<'a>(
    ui: &mut Ui,
    step: &StepShown,
    rubric: impl Fn(&str) -> Option<&'a RubricAggregate>,
    look: &Look,
) {
    let prompts = |ui: &mut Ui| {
        if step.prompts.is_empty() {
            wrapped(ui, big(&step.purpose, look.prompt, look.palette.text));
        }
        for prompt in &step.prompts {
            wrapped(ui, big(prompt, look.prompt, look.palette.text));
            ui.add_space(space::S);
        }
    };
    let Some(id) = &step.revealed else {
        return prompts(ui);
    };
    if ui.available_width() >= look.beside_from {
        ui.columns(2, |cols| {
            // Ragged text: a justified column stretches a wrapped prompt.
            let (left, right) = cols.split_at_mut(1);
            left[0].with_layout(egui::Layout::top_down(egui::Align::Min), prompts);
            right[0].with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                figure_ui(ui, rubric(id), id, look);
            });
        });
    } else {
        prompts(ui);
        ui.add_space(space::S);
        figure_ui(ui, rubric(id), id, look);
    }
}

/// A break: its time left in whole minutes (repainting once a minute while
/// it runs), or that time is up.
fn break_ui(ui: &mut Ui, step: &StepShown, look: &Look) {
    let palette = look.palette;
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
        wrapped(ui, big(line, look.title, palette.accent_text).strong());
    }
    wrapped(ui, big(&step.purpose, look.prompt, palette.text));
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
fn figure_ui(ui: &mut Ui, rubric: Option<&RubricAggregate>, id: &str, look: &Look) {
    let palette = look.palette;
    let title = rubric.map_or(id, |r| r.title.as_str());
    wrapped(ui, big(title, look.prompt, palette.accent_text).strong());
    let line = match rubric.map(|r| &r.figures) {
        Some(GroupFigures::Shown(figures)) => return chart_ui(ui, figures, look),
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
    wrapped(ui, big(line, look.prompt, palette.text));
}

/// The one chart of a rubric: the archetype mix when it has outcomes, else
/// the verdicts, else the first dimension's spread; each a labelled bar with
/// its share and count.
fn chart_ui(ui: &mut Ui, figures: &RubricFigures, look: &Look) {
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
            look.text,
            look.palette.text,
        ),
    );
    ui.add_space(space::XS);
    for (label, count) in rows {
        share_bar_ui(ui, look, label, count, results);
    }
}

fn pairs(counts: &[LabelledCount]) -> Vec<(&str, usize)> {
    counts.iter().map(|c| (c.label.as_str(), c.count)).collect()
}

/// `count` of `total` as a whole percentage, rounded.
pub fn percent(count: usize, total: usize) -> usize {
    (count * 100 + total / 2).checked_div(total).unwrap_or(0)
}

/// One row of the chart: the label, a bar as long as its share, and the
/// share and count ("40 % · 2"); one accessible label for the row.
fn share_bar_ui(ui: &mut Ui, look: &Look, label: &str, count: usize, total: usize) {
    let palette = look.palette;
    let share = percent(count, total);
    let width = ui.available_width();
    let label_width = (width * 0.45).min(560.0);
    let figure_width = 170.0;
    let bar_room = (width - label_width - figure_width - 2.0 * space::M).max(60.0);
    let font = FontId::proportional(look.text);
    let galley = ui.painter().layout(
        label.to_string(),
        font.clone(),
        palette.text,
        label_width - space::S,
    );
    let row = galley.size().y.max(look.bar) + space::S;
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, row), Sense::hover());
    let text = format!("{label}: {share} % ({count} of {total})");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    let painter = ui.painter_at(rect);
    painter.galley(rect.left_top(), galley, palette.text);
    let track = egui::Rect::from_min_size(
        egui::pos2(rect.left() + label_width + space::M, rect.top()),
        Vec2::new(bar_room, look.bar),
    );
    painter.rect_filled(track, 0.0, palette.surface_alt);
    let fill = track.with_max_x(track.left() + bar_room * share as f32 / 100.0);
    painter.rect_filled(fill, 0.0, palette.chart);
    painter.rect_stroke(
        track,
        0.0,
        egui::Stroke::new(look.theme.outline(), palette.border),
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
fn join_ui(ui: &mut Ui, view: &PhonesView, look: &Look) {
    let palette = look.palette;
    let label = "QR code to join on a phone";
    super::qr::labelled_qr_sized_ui(ui, &view.join_url, label, look.join);
    ui.add_space(space::S);
    wrapped(ui, big("Answer on your phone", look.text, palette.text));
    wrapped(
        ui,
        big(&view.short_url, look.text, palette.accent_text).strong(),
    );
    let c = view.counts;
    wrapped(
        ui,
        big(
            format!("{} phones joined · {} finished", c.joined, c.finished),
            look.text,
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
