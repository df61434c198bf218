//! The facilitator's step panel when the session follows a plan: the
//! current step, what comes next, the step timer (start, pause, add five
//! minutes) with a cue when time is up, how many finished the step's
//! rubric, and one tap each for the next and previous step and the reveal.
//!
//! The panel asks for a repaint only while its timer runs (once per shown
//! second, none once time is up): the idle rule holds otherwise.

use egui::{RichText, Ui};
use rubrics::plan::{Step, StepKind};

use super::clock::Clock;
use super::plan_run::PlanRun;
use super::projector_step_ui::finished;
use super::step_timer::countdown;
use crate::app::command::{Command, PlanCommand, WorkshopCommand};
use crate::app::theme::{self, space};
use crate::app::widgets::{banner_ui, card_ui, primary_button, quiet_button};
use crate::workshop::aggregate::{GroupFigures, RubricAggregate};
use crate::workshop::SessionAggregates;

/// Width of the panel's buttons.
const BUTTON: f32 = 170.0;

/// Draws the step panel of `run`.
pub(super) fn plan_panel_ui(
    ui: &mut Ui,
    run: &PlanRun,
    clock: &Clock,
    aggregates: Option<&SessionAggregates>,
) -> Option<Command> {
    let p = theme::palette(ui.ctx());
    let Some(step) = run.current() else {
        ui.label(format!("The plan \"{}\" has no steps.", run.plan().title));
        return None;
    };
    let mut command = None;
    card_ui(ui, |ui| {
        ui.label(
            RichText::new(format!(
                "{} · step {} of {}",
                run.plan().title,
                run.index() + 1,
                run.plan().steps.len()
            ))
            .color(p.text_muted),
        );
        ui.label(
            RichText::new(&step.title)
                .text_style(theme::display())
                .strong(),
        );
        ui.label(&step.purpose);
        let rubric = step
            .kind
            .rubric()
            .and_then(|id| aggregates?.rubrics.iter().find(|r| r.rubric_id == id));
        if let Some(c) = kind_ui(ui, step, rubric) {
            command = Some(c);
        }
        ui.add_space(space::S);
        if let Some(c) = timer_ui(ui, run, clock) {
            command = Some(c);
        }
        ui.add_space(space::S);
        if let Some(c) = steps_ui(ui, run) {
            command = Some(c);
        }
    });
    command
}

/// What the step asks of the room: the rubric to take and how many
/// finished it, the figure to reveal, the prompts to talk about.
fn kind_ui(ui: &mut Ui, step: &Step, rubric: Option<&RubricAggregate>) -> Option<Command> {
    let title = rubric.map_or_else(
        || step.kind.rubric().unwrap_or_default().to_string(),
        |r| r.title.clone(),
    );
    let done = rubric.and_then(finished).unwrap_or(0);
    let finished_line = match done {
        1 => format!("1 person has finished {title} (kiosk and phones)"),
        n => format!("{n} people have finished {title} (kiosk and phones)"),
    };
    match &step.kind {
        StepKind::Take { .. } => {
            ui.label(RichText::new(format!("Everyone takes: {title}")).strong());
            ui.label(RichText::new(finished_line).text_style(theme::title()));
        }
        StepKind::Reveal { .. } => {
            ui.label(RichText::new(format!("Reveal: {title}")).strong());
            ui.label(finished_line);
            match rubric.map(|r| &r.figures) {
                Some(GroupFigures::NotRevealed { .. }) => {
                    if primary_button(ui, "Reveal on the projector", 0.0).clicked() {
                        return Some(Command::Workshop(WorkshopCommand::Reveal));
                    }
                }
                Some(GroupFigures::TooFew { have, need }) => {
                    let more = need.saturating_sub(*have);
                    ui.label(format!(
                        "{more} more needed before the projector shows the group figure."
                    ));
                }
                Some(GroupFigures::Shown(_)) => {
                    ui.label("The projector shows the group figure.");
                }
                Some(GroupFigures::NotInLibrary) | None => {
                    ui.label("This rubric is not in this session or library.");
                }
            }
        }
        StepKind::Discuss { prompts, .. } => {
            for prompt in prompts {
                ui.label(format!("• {prompt}"));
            }
        }
        StepKind::Break => {}
    }
    None
}

/// The step timer: the time left, the time-up cue, and its buttons. Asks
/// for a repaint when the shown second changes, only while it runs.
fn timer_ui(ui: &mut Ui, run: &PlanRun, clock: &Clock) -> Option<Command> {
    let timer = run.timer();
    let mut command = None;
    if timer.is_up(clock) {
        banner_ui(ui, "Time is up for this step.", false);
    }
    let plan = |c: PlanCommand| Some(Command::Workshop(WorkshopCommand::Plan(c)));
    ui.horizontal_wrapped(|ui| {
        let left = if timer.has_time() {
            countdown(timer.seconds_left(clock))
        } else {
            "No time set".to_string()
        };
        let shown = format!("Time left: {left}");
        ui.label(RichText::new(shown).text_style(theme::display()).strong());
        if timer.is_running() {
            if quiet_button(ui, "Pause timer", BUTTON).clicked() {
                command = plan(PlanCommand::PauseTimer);
            }
        } else {
            let start = ui.add_enabled_ui(timer.has_time() && !timer.is_up(clock), |ui| {
                primary_button(ui, "Start timer", BUTTON)
            });
            if start.inner.clicked() {
                command = plan(PlanCommand::StartTimer);
            }
        }
        if quiet_button(ui, "Add five minutes", BUTTON).clicked() {
            command = plan(PlanCommand::AddFiveMinutes);
        }
    });
    if let Some(after) = timer.next_tick(clock) {
        ui.ctx().request_repaint_after(after);
    }
    command
}

/// What comes next, and the previous and next step buttons.
fn steps_ui(ui: &mut Ui, run: &PlanRun) -> Option<Command> {
    let p = theme::palette(ui.ctx());
    let next = match run.upcoming() {
        Some(next) => format!("Next: {} ({} min)", next.title, next.minutes),
        None => "This is the last step.".to_string(),
    };
    ui.label(RichText::new(next).color(p.text_muted));
    let mut command = None;
    ui.horizontal_wrapped(|ui| {
        let first = run.index() == 0;
        let back = ui.add_enabled_ui(!first, |ui| quiet_button(ui, "Previous step", BUTTON));
        if back.inner.clicked() {
            command = Some(PlanCommand::PreviousStep);
        }
        let last = run.upcoming().is_none();
        let on = ui.add_enabled_ui(!last, |ui| primary_button(ui, "Next step", BUTTON));
        if on.inner.clicked() {
            command = Some(PlanCommand::NextStep);
        }
    });
    command.map(|c| Command::Workshop(WorkshopCommand::Plan(c)))
}
