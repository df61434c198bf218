//! The peer round: up to three peers, one after another and each in
//! private, pick the dimension that is the strongest argument against the
//! participant's case. A pick is never shown again, not to the next peer
//! and not to the participant; only the outcome is kept.

use egui::{RichText, Ui};

use crate::app::command::{Command, WorkshopCommand};
use crate::app::theme::{self, space};
use crate::app::widgets::{choice_ui, primary_button, quiet_button, reading_column, ChoiceKind};
use crate::workshop::MAX_PEERS;

/// State of the peer round.
#[derive(Debug, Clone)]
pub struct PeerRoundState {
    /// (id, title) of each dimension of the rubric.
    dimensions: Vec<(String, String)>,
    /// The picks so far (dimension ids); never drawn.
    picks: Vec<String>,
    /// The current peer's choice, before they confirm it.
    choosing: Option<usize>,
    /// Between peers: the screen that hands the kiosk on.
    handing_over: bool,
}

impl PeerRoundState {
    /// A round over these dimensions.
    pub fn new(dimensions: Vec<(String, String)>) -> Self {
        PeerRoundState {
            dimensions,
            picks: Vec::new(),
            choosing: None,
            handing_over: true,
        }
    }

    /// Peers who have picked so far.
    pub fn peers_done(&self) -> usize {
        self.picks.len()
    }
}

/// Draws the peer round.
pub fn peer_round_ui(ui: &mut Ui, state: &mut PeerRoundState, rubric: &str) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    let peer = state.picks.len() + 1;
    reading_column(ui, |ui| {
        ui.add_space(space::L);
        ui.label(RichText::new(format!("Peer round: {rubric}")).color(p.text_muted));
        if state.handing_over {
            let title = if state.picks.is_empty() {
                "Hand the kiosk to your first peer".to_string()
            } else {
                format!("Pick saved privately. Hand the kiosk to peer {peer}")
            };
            ui.label(RichText::new(title).text_style(theme::display()).strong());
            ui.label(format!(
                "Up to {MAX_PEERS} peers each pick, in private, the strongest argument against this case. Nobody sees another's pick; when two agree, that becomes the development area."
            ));
            ui.add_space(space::M);
            ui.horizontal_wrapped(|ui| {
                if state.picks.len() < MAX_PEERS
                    && primary_button(ui, format!("I am peer {peer}"), 0.0).clicked()
                {
                    state.handing_over = false;
                    state.choosing = None;
                }
                if state.picks.is_empty() {
                    if quiet_button(ui, "Back to the result", 0.0).clicked() {
                        command = Some(Command::Workshop(WorkshopCommand::CancelPeerRound));
                    }
                } else {
                    let label = format!("End the round with {} peers", state.picks.len());
                    let end = if state.picks.len() == MAX_PEERS {
                        primary_button(ui, label, 0.0)
                    } else {
                        quiet_button(ui, label, 0.0)
                    };
                    if end.clicked() {
                        command = Some(Command::Workshop(WorkshopCommand::EndPeerRound(
                            std::mem::take(&mut state.picks),
                        )));
                    }
                }
            });
            return;
        }
        ui.label(
            RichText::new(format!(
                "Peer {peer}: which is the strongest argument against this case?"
            ))
            .text_style(theme::title())
            .strong(),
        );
        ui.add_space(space::S);
        for (i, (_, title)) in state.dimensions.iter().enumerate() {
            if choice_ui(
                ui,
                ChoiceKind::One,
                state.choosing == Some(i),
                Some(i + 1),
                title,
                &format!("{}   {title}", i + 1),
            )
            .clicked()
            {
                state.choosing = Some(i);
            }
        }
        ui.add_space(space::M);
        let chosen = state.choosing.and_then(|i| state.dimensions.get(i));
        let confirm = ui
            .add_enabled_ui(chosen.is_some(), |ui| {
                primary_button(ui, "Save my pick privately", 0.0)
            })
            .inner;
        if confirm.clicked() {
            if let Some((id, _)) = chosen {
                state.picks.push(id.clone());
                state.choosing = None;
                state.handing_over = true;
            }
        }
    });
    command
}
