//! Drawing workshop mode: the screen of the current stage, the problem
//! banner, the idle countdown, and the phone server's news.

use egui::Ui;

use super::facilitator_ui::{facilitator_ui, PlanView};
use super::participant_ui::{own_result_ui, thanks_ui};
use super::peer_round_ui::peer_round_ui;
use super::pin_ui::pin_ui;
use super::session_setup_ui::session_setup_ui;
use super::stage::Stage;
use super::state::WorkshopState;
use super::welcome_ui::{alias_ui, welcome_ui};
use crate::app::answer_ui::answer_ui;
use crate::app::command::{Command, WorkshopCommand};
use crate::app::theme::Theme;
use crate::app::widgets::banner_ui;
use crate::library::Loaded;

/// Draws the workshop screen of the current stage.
pub(crate) fn workshop_ui(
    ui: &mut Ui,
    state: &mut WorkshopState,
    library: &Loaded,
    theme: Theme,
) -> Option<Command> {
    state.phones.set_ctx(ui.ctx());
    if let Some(problem) = &state.problem {
        banner_ui(ui, &problem.to_string(), true);
    }
    let idle = if state.stage.is_participant() {
        state.idle.idle_ui(ui, &state.clock).map(Command::Workshop)
    } else {
        None
    };
    let command = stage_ui(ui, state, library, theme);
    let news = phone_news(state);
    match (command.or(idle), news) {
        (Some(command), Some(_)) => {
            // The news waits for the next frame.
            ui.ctx().request_repaint();
            Some(command)
        }
        (command, news) => command.or(news),
    }
}

/// The screen of the current stage.
fn stage_ui(
    ui: &mut Ui,
    state: &mut WorkshopState,
    library: &Loaded,
    theme: Theme,
) -> Option<Command> {
    match &mut state.stage {
        Stage::Welcome => welcome_ui(ui, state.session.as_ref()),
        Stage::Alias(alias) => alias_ui(ui, alias),
        Stage::Answer => {
            let answer = state.participant.as_mut().and_then(|p| p.answer.as_mut());
            answer.and_then(|answer| match answer_ui(ui, answer)? {
                // Answers stay in memory: there is no progress to save.
                Command::Finish => Some(Command::Workshop(WorkshopCommand::FinishRubric)),
                Command::Leave => Some(Command::Workshop(WorkshopCommand::Finish)),
                _ => None,
            })
        }
        Stage::OwnResult => match (&state.session, &state.participant) {
            (Some(session), Some(participant)) => {
                own_result_ui(ui, session, participant, &state.drives, library, theme)
            }
            _ => None,
        },
        Stage::Thanks => thanks_ui(ui),
        Stage::PeerRound(round) => {
            let title = state
                .participant
                .as_ref()
                .and_then(|p| p.last.as_ref())
                .map_or("", |last| last.completed.rubric.title);
            peer_round_ui(ui, round, title)
        }
        Stage::Pin(pin) => pin_ui(ui, pin, state.clock.unix()),
        Stage::Setup(setup) => session_setup_ui(ui, setup, &library.bundle, &state.drives),
        Stage::Facilitator(facilitator) => facilitator_ui(
            ui,
            facilitator,
            &state.drives,
            state.projector.is_some(),
            state.phones.view(),
            state.plan.as_ref().map(|run| PlanView {
                run,
                clock: &state.clock,
                library: &library.bundle,
            }),
            theme,
        ),
    }
}

/// Takes what the phone server sent since the last frame: new counts go to
/// the screens at once; a saved result asks for the figures to be counted again.
fn phone_news(state: &mut WorkshopState) -> Option<Command> {
    let (view, refresh) = state.phones.take_news()?;
    if let Some(projector) = &state.projector {
        projector.update_phones(Some(view));
    }
    refresh.then_some(Command::Workshop(WorkshopCommand::PhoneNews))
}
