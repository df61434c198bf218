//! Session setup, behind the PIN: a new session started from a session
//! plan or by hand (name, rubrics in order, minimum group size, what
//! participants and the room see), or an open one; and the plan's printable
//! guide and handout written to a folder.

use egui::{RichText, TextEdit, Ui};
use rubric_engine::Bundle;

use super::guide_writer_ui::{guide_writer_ui, GuideWriter};
use super::participant::PageDrive;
use crate::app::command::{Command, WorkshopCommand};
use crate::app::theme::{self, space};
use crate::app::widgets::{
    big_button, choice_ui, page_scroll, primary_button, quiet_button, reading_column,
    section_heading, ChoiceKind,
};
use crate::plans::{audience_words, shipped};
use crate::store::{ResultsStore, StoreError};
use crate::workshop::{Session, SessionConfigError, DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR};
use rubrics::plan::Plan;

/// State of the setup screen.
#[derive(Debug)]
pub struct SetupState {
    /// Session name.
    pub name: String,
    /// Rubric ids, in the order chosen.
    pub chosen: Vec<String>,
    /// Minimum group size (never below [`MIN_GROUP_FLOOR`]).
    pub min_group: u32,
    /// Participants see their own result.
    pub show_own_result: bool,
    /// Group results hidden until revealed.
    pub hide_until_revealed: bool,
    /// Why the last attempt to create failed.
    pub error: Option<SetupError>,
    /// Open sessions to continue.
    pub open: Vec<Session>,
    /// The id of the session plan the form was filled from, if any.
    pub plan: Option<String>,
    /// "Write the guide": the folder typed and what the last write did.
    pub guide: GuideWriter,
}

impl SetupState {
    /// A blank form, with the open sessions of `store`.
    pub fn load(store: &ResultsStore) -> Self {
        let open = store
            .sessions()
            .map(|all| all.into_iter().filter(|s| !s.closed).collect())
            .unwrap_or_default();
        SetupState {
            name: String::new(),
            chosen: Vec::new(),
            min_group: DEFAULT_MIN_GROUP,
            show_own_result: true,
            hide_until_revealed: false,
            error: None,
            open,
            plan: None,
            guide: GuideWriter::default(),
        }
    }

    /// Fills the form from `plan`: its title as the name and the rubrics it
    /// has people take, in order (those the library has). The facilitator
    /// can still change both.
    pub fn start_from(&mut self, plan: &Plan, library: &Bundle<'_>) {
        self.name = plan.title.clone();
        self.chosen = plan
            .rubrics_taken()
            .into_iter()
            .filter(|id| library.rubric(id).is_some())
            .map(String::from)
            .collect();
        self.plan = Some(plan.id.clone());
        self.guide.notice = None;
        self.error = None;
    }
}

/// Why a session was not created, in words for the facilitator.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The form does not make a valid session.
    #[error("{0}")]
    Invalid(SessionConfigError),
    /// The store did not take the session.
    #[error("{0}")]
    NotCreated(StoreError),
}

/// Draws the setup screen.
pub fn session_setup_ui(
    ui: &mut Ui,
    state: &mut SetupState,
    library: &Bundle<'static>,
    drives: &[PageDrive],
) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    reading_column(ui, |ui| {
        ui.label(
            RichText::new("Workshop session")
                .text_style(theme::display())
                .strong(),
        );
        page_scroll("session-setup").show(ui, |ui| {
            plans_ui(ui, state, library, drives);
            if !state.open.is_empty() {
                section_heading(ui, "Continue an open session");
                for session in &state.open {
                    let label = format!("Continue “{}” ({})", session.name, session.date);
                    if big_button(ui, label, 0.0).clicked() {
                        command = Some(Command::Workshop(WorkshopCommand::UseSession(session.id)));
                    }
                }
            }
            section_heading(ui, "New session");
            let label = ui.label("Session name");
            ui.add(TextEdit::singleline(&mut state.name).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            rubrics_ui(ui, state, library);
            section_heading(ui, &format!("Minimum group size: {}", state.min_group));
            ui.label(
                RichText::new(
                    "Group results of a rubric stay hidden until this many people have taken it.",
                )
                .color(p.text_muted),
            );
            ui.horizontal(|ui| {
                let smaller = ui
                    .add_enabled_ui(state.min_group > MIN_GROUP_FLOOR, |ui| {
                        big_button(ui, "Smaller group", 0.0)
                    })
                    .inner;
                if smaller.clicked() {
                    state.min_group = (state.min_group - 1).max(MIN_GROUP_FLOOR);
                }
                if big_button(ui, "Larger group", 0.0).clicked() {
                    state.min_group = state.min_group.saturating_add(1);
                }
            });
            section_heading(ui, "What people see");
            if choice_ui(
                ui,
                ChoiceKind::Many,
                state.show_own_result,
                None,
                "Participants see their own result",
                "Participants see their own result",
            )
            .clicked()
            {
                state.show_own_result = !state.show_own_result;
            }
            if choice_ui(
                ui,
                ChoiceKind::Many,
                state.hide_until_revealed,
                None,
                "Group results stay hidden until I reveal them",
                "Group results stay hidden until I reveal them",
            )
            .clicked()
            {
                state.hide_until_revealed = !state.hide_until_revealed;
            }
            if let Some(error) = &state.error {
                ui.label(
                    RichText::new(error.to_string())
                        .strong()
                        .color(p.warning_text),
                );
            }
            ui.add_space(space::M);
            ui.horizontal(|ui| {
                if quiet_button(ui, "Leave workshop mode", 0.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::Leave));
                }
                if primary_button(ui, "Create session", 0.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::CreateSession));
                }
            });
            ui.add_space(space::L);
        });
    });
    command
}

/// The rubrics to take, chosen in order: each tap adds one at the end or
/// takes it out.
fn rubrics_ui(ui: &mut Ui, state: &mut SetupState, library: &Bundle<'static>) {
    section_heading(ui, "Rubrics, in the order participants take them");
    for rubric in library.rubrics() {
        let position = state.chosen.iter().position(|id| id == rubric.id);
        let text = match position {
            Some(i) => format!("{}. {}", i + 1, rubric.title),
            None => rubric.title.to_string(),
        };
        if choice_ui(
            ui,
            ChoiceKind::Many,
            position.is_some(),
            None,
            &text,
            rubric.title,
        )
        .clicked()
        {
            match position {
                Some(i) => {
                    state.chosen.remove(i);
                }
                None => state.chosen.push(rubric.id.to_string()),
            }
        }
    }
}

/// "Start from a plan": the shipped plans, first on the page; once one is
/// chosen, what it filled in and "Write the guide".
fn plans_ui(ui: &mut Ui, state: &mut SetupState, library: &Bundle<'static>, drives: &[PageDrive]) {
    let p = theme::palette(ui.ctx());
    section_heading(ui, "Start from a plan");
    let plans = match shipped() {
        Ok(plans) => plans,
        Err(e) => {
            ui.label(RichText::new(e.to_string()).color(p.warning_text));
            return;
        }
    };
    ui.label(
        RichText::new(
            "A plan fills in the session name and its rubrics in order; you can still change them below.",
        )
        .color(p.text_muted),
    );
    for plan in plans {
        let label = format!(
            "{}: for {}, {} minutes",
            plan.title,
            audience_words(plan.audience),
            plan.minutes
        );
        if big_button(ui, label, 0.0).clicked() {
            state.start_from(plan, library);
        }
    }
    let Some(plan) = state
        .plan
        .as_deref()
        .and_then(|id| plans.iter().find(|p| p.id == id))
    else {
        return;
    };
    ui.label(RichText::new(format!("Following the plan “{}”.", plan.title)).strong());
    if quiet_button(ui, "Do not follow a plan", 0.0).clicked() {
        state.plan = None;
        state.guide.notice = None;
        return;
    }
    guide_writer_ui(ui, &mut state.guide, plan, library, state.min_group, drives);
}
