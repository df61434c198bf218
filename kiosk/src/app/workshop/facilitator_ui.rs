//! The facilitator's view of a session, behind the PIN: how many took
//! part, and per rubric the group figures, only as far as the minimum
//! group rule of [`GroupFigures`] lets them out.

use egui::{RichText, Sense, Ui, Vec2};

use crate::app::command::{Command, WorkshopCommand};
use crate::app::theme::{self, radius, size, space, Theme};
use crate::app::widgets::{
    card_ui, column_ui, page_scroll, primary_button, quiet_button, section_heading,
};
use crate::records::{short_kiosk_id, ImportOrigin};
use crate::store::StoreError;
use crate::workshop::aggregate::LabelledCount;
use crate::workshop::{GroupFigures, RubricAggregate, Session, SessionAggregates};

/// State of the facilitator view.
#[derive(Debug)]
pub struct FacilitatorState {
    /// The session.
    pub session: Session,
    /// Its group figures, or why they could not be counted.
    pub aggregates: Result<SessionAggregates, StoreError>,
    /// The export section.
    pub export: super::export_ui::ExportState,
    /// This kiosk's id and where merged results came from, or why that
    /// could not be read (boxed: the view's state stays small).
    pub merged: Box<Result<Merged, StoreError>>,
    /// "Write the guide" of the plan the session follows.
    pub guide: super::guide_writer_ui::GuideWriter,
}

/// The plan the session follows, as the facilitator view draws it.
pub struct PlanView<'a> {
    /// Where the room is in the plan.
    pub run: &'a super::plan_run::PlanRun,
    /// The mode's clock (the step timer runs on it).
    pub clock: &'a super::clock::Clock,
    /// The library, for the guide's rubric notes.
    pub library: &'a rubric_engine::Bundle<'static>,
}

/// This kiosk's id, and the other kiosks' sessions whose results were
/// merged into the session.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// This kiosk's random id (exports carry it).
    pub this_kiosk: String,
    /// Per exporting kiosk and session, how many results came from it.
    pub origins: Vec<ImportOrigin>,
}

/// When results were merged in: "This kiosk: …" and one line per source.
fn merged_ui(ui: &mut Ui, merged: &Result<Merged, StoreError>, session: &Session) {
    let p = theme::palette(ui.ctx());
    let merged = match merged {
        Ok(merged) => merged,
        Err(e) => {
            ui.label(format!(
                "Where merged results came from could not be read: {e}"
            ));
            return;
        }
    };
    if merged.origins.is_empty() {
        return;
    }
    let this = short_kiosk_id(&merged.this_kiosk);
    ui.label(RichText::new(format!("This kiosk: {this}")).color(p.text_muted));
    for origin in &merged.origins {
        let from = if origin.session == session.id.to_string() {
            "the same session there".to_string()
        } else {
            format!("its session \"{}\"", origin.session_name)
        };
        let results = match origin.results {
            1 => "1 result".to_string(),
            n => format!("{n} results"),
        };
        ui.label(format!(
            "Merged in: {results} from {}, {from}",
            origin.kiosk_label()
        ));
    }
}

/// Draws the facilitator view.
pub fn facilitator_ui(
    ui: &mut Ui,
    state: &mut FacilitatorState,
    drives: &[super::participant::PageDrive],
    projector_open: bool,
    phones: Option<&super::phones::PhonesView>,
    plan: Option<PlanView<'_>>,
    theme: Theme,
) -> Option<Command> {
    let mut command = None;
    let session = &state.session;
    let p = theme::palette(ui.ctx());
    column_ui(ui, theme::WIDE_COLUMN, |ui| {
        ui.label(
            RichText::new(&session.name)
                .text_style(theme::display())
                .strong(),
        );
        let status = if session.closed { "closed" } else { "open" };
        ui.label(RichText::new(format!("{} · {status}", session.date)).color(p.text_muted));
        merged_ui(ui, &state.merged, session);
        ui.horizontal_wrapped(|ui| {
            if !session.closed && primary_button(ui, "Back to participants", 0.0).clicked() {
                command = Some(wc(WorkshopCommand::ToParticipants));
            }
            let projector = if projector_open {
                "Close projector view"
            } else {
                "Open projector view"
            };
            if quiet_button(ui, projector, 0.0).clicked() {
                command = Some(wc(WorkshopCommand::Projector(!projector_open)));
            }
            if !session.closed && quiet_button(ui, "Close session", 0.0).clicked() {
                command = Some(wc(WorkshopCommand::CloseSession));
            }
            if quiet_button(ui, "Other session", 0.0).clicked() {
                command = Some(wc(WorkshopCommand::Setup));
            }
            if quiet_button(ui, "Leave workshop mode", 0.0).clicked() {
                command = Some(wc(WorkshopCommand::Leave));
            }
        });
        page_scroll("facilitator").show(ui, |ui| {
            if let Some(plan) = plan {
                let aggregates = state.aggregates.as_ref().ok();
                if let Some(c) = super::plan_ui::plan_panel_ui(ui, plan.run, plan.clock, aggregates)
                {
                    command = Some(c);
                }
                super::guide_writer_ui::guide_writer_ui(
                    ui,
                    &mut state.guide,
                    plan.run.plan(),
                    plan.library,
                    session.min_group,
                    drives,
                );
            }
            if let Some(c) = super::phones::phones_ui(ui, phones, !session.closed) {
                command = Some(c);
            }
            match &state.aggregates {
                Err(e) => {
                    ui.label(format!("The group figures could not be counted: {e}"));
                }
                Ok(aggregates) => {
                    if let Some(c) = aggregates_ui(ui, aggregates, theme, true) {
                        command = Some(c);
                    }
                }
            }
            if let Some(c) = super::export_ui::export_ui(ui, &mut state.export, drives) {
                command = Some(c);
            }
            section_heading(ui, "Theme");
            ui.horizontal_wrapped(|ui| {
                for option in Theme::ALL {
                    let button = egui::Button::new(option.name())
                        .selected(theme == option)
                        .min_size(Vec2::new(140.0, theme::TOUCH));
                    if ui.add(button).clicked() {
                        command = Some(Command::SetTheme(option));
                    }
                }
            });
            ui.add_space(space::L);
        });
    });
    command
}

fn wc(command: WorkshopCommand) -> Command {
    Command::Workshop(command)
}

/// The group figures of a session: participants, then per rubric its
/// histograms, verdicts and archetype mix, or why they are not shown.
/// With `controls`, a hidden session offers "Reveal".
pub(crate) fn aggregates_ui(
    ui: &mut Ui,
    aggregates: &SessionAggregates,
    theme: Theme,
    controls: bool,
) -> Option<Command> {
    let mut command = None;
    ui.label(
        RichText::new(format!("Participants: {}", aggregates.participants))
            .text_style(theme::title())
            .strong(),
    );
    for rubric in &aggregates.rubrics {
        if let Some(c) = rubric_ui(ui, rubric, theme, controls) {
            command = Some(c);
        }
    }
    command
}

fn rubric_ui(
    ui: &mut Ui,
    rubric: &RubricAggregate,
    theme: Theme,
    controls: bool,
) -> Option<Command> {
    let mut command = None;
    section_heading(ui, &rubric.title);
    match &rubric.figures {
        GroupFigures::TooFew { have, need } => {
            let more = need.saturating_sub(*have);
            let people = if more == 1 { "result" } else { "results" };
            ui.label(format!(
                "{more} more {people} needed before any group figure shows ({have} of {need})."
            ));
        }
        GroupFigures::NotRevealed { have } => {
            ui.label(format!(
                "Group results are hidden until you reveal them ({have} results so far)."
            ));
            if controls && primary_button(ui, "Reveal group results", 0.0).clicked() {
                command = Some(wc(WorkshopCommand::Reveal));
            }
        }
        GroupFigures::NotInLibrary => {
            ui.label("This rubric is no longer in the library.");
        }
        GroupFigures::Shown(figures) => {
            match rubric.waiting {
                0 => ui.label(format!("{} results", figures.results)),
                waiting => ui.label(format!(
                    "{} results ({waiting} more waiting: the figures move only by whole groups, so no single result shows in a change)",
                    figures.results
                )),
            };
            let color = theme.palette().chart;
            for dimension in &figures.dimensions {
                card_ui(ui, |ui| {
                    ui.label(RichText::new(&dimension.title).strong());
                    let bars: Vec<(&str, usize)> = dimension
                        .bins
                        .iter()
                        .map(|b| (b.label.as_str(), b.count))
                        .collect();
                    histogram_ui(ui, &bars, color);
                });
                ui.add_space(space::S);
            }
            counts_ui(ui, "Verdicts", &figures.verdicts, color);
            if !figures.archetypes.is_empty() {
                counts_ui(ui, "Archetype mix", &figures.archetypes, color);
            }
        }
    }
    command
}

fn counts_ui(ui: &mut Ui, heading: &str, counts: &[LabelledCount], color: egui::Color32) {
    card_ui(ui, |ui| {
        ui.label(RichText::new(heading).strong());
        let bars: Vec<(&str, usize)> = counts.iter().map(|c| (c.label.as_str(), c.count)).collect();
        histogram_ui(ui, &bars, color);
    });
    ui.add_space(space::S);
}

/// Horizontal bars: a label, a bar as long as its share of the largest
/// count, and the count. Each row is one accessible label "label: count".
pub(crate) fn histogram_ui(ui: &mut Ui, bars: &[(&str, usize)], color: egui::Color32) {
    let p = theme::palette(ui.ctx());
    let most = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let width = ui.available_width();
    let label_width = (width * 0.35).min(260.0);
    let bar_room = (width - label_width - 60.0).max(40.0);
    let font = theme::small_font();
    let row = size::SMALL + space::S + space::XS;
    for (label, count) in bars {
        let (rect, response) = ui.allocate_exact_size(Vec2::new(width, row), Sense::hover());
        let text = format!("{label}: {count}");
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
        let painter = ui.painter_at(rect);
        let label_galley = painter.layout(
            label.to_string(),
            font.clone(),
            p.text,
            label_width - space::S,
        );
        painter.galley(rect.left_top(), label_galley, p.text);
        let track = egui::Rect::from_min_size(
            egui::pos2(rect.left() + label_width, rect.top() + space::XS),
            Vec2::new(bar_room, row - space::S),
        );
        painter.rect_filled(track, radius::S, p.surface_alt);
        let fill = track.with_max_x(track.left() + bar_room * (*count as f32) / (most as f32));
        painter.rect_filled(fill, radius::S, color);
        painter.text(
            egui::pos2(track.right() + space::S, rect.top()),
            egui::Align2::LEFT_TOP,
            count.to_string(),
            font.clone(),
            p.text,
        );
    }
}
