//! The participant's own result (without History or Home), the thank-you
//! screen, and the idle countdown.

use egui::{RichText, Ui};

use super::participant::{PageDrive, Participant};
use super::qr::{qr_ui, result_summary};
use crate::app::command::{Command, WorkshopCommand};
use crate::app::result_ui::result_body_ui;
use crate::app::theme::{self, space, Theme};
use crate::app::widgets::{
    card_ui, page_scroll, primary_button, quiet_button, reading_column, section_heading,
};
use crate::library::Loaded;
use crate::media::export::DriveWriteError;
use crate::workshop::{PeerRoundOutcome, Session};

/// The result the participant just made, with a take-home QR code, the
/// peer round, and "Finish" (or the next rubric).
pub fn own_result_ui(
    ui: &mut Ui,
    session: &Session,
    participant: &Participant,
    drives: &[PageDrive],
    library: &Loaded,
    theme: Theme,
) -> Option<Command> {
    let last = participant.last.as_ref()?;
    let completed = &last.completed;
    let next = session
        .rubric_ids
        .get(participant.rubric + 1)
        .and_then(|id| library.bundle.rubric(id));
    let mut command = None;
    reading_column(ui, |ui| {
        page_scroll(("workshop-result", completed.rubric.id)).show(ui, |ui| {
            result_body_ui(ui, completed, theme);
            if let Some(outcome) = &last.peer_round {
                peer_outcome_ui(ui, completed, outcome);
            }
            section_heading(ui, "Take it home");
            ui.label("Point your phone's camera at the code: it shows this summary as text. Nothing is sent anywhere.");
            qr_ui(ui, &result_summary(completed));
            if let Some(save) = page_ui(ui, drives, last.page.as_ref()) {
                command = Some(save);
            }
            ui.add_space(space::L);
            ui.horizontal_wrapped(|ui| {
                if last.peer_round.is_none() && quiet_button(ui, "Run a peer round", 0.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::StartPeerRound));
                }
                if let Some(next) = next {
                    if primary_button(ui, format!("Next: {}", next.title), 0.0).clicked() {
                        command = Some(Command::Workshop(WorkshopCommand::NextRubric));
                    }
                    if quiet_button(ui, "Finish", 140.0).clicked() {
                        command = Some(Command::Workshop(WorkshopCommand::Finish));
                    }
                } else if primary_button(ui, "Finish", 160.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::Finish));
                }
            });
            ui.label(
                RichText::new("Finish clears your result from this screen for the next person.")
                    .color(theme::palette(ui.ctx()).text_muted),
            );
            ui.add_space(space::L);
        });
    });
    command
}

/// The printable page: a button per USB drive plugged in, and what became
/// of the last save. Nothing is written to this kiosk's own disk.
fn page_ui(
    ui: &mut Ui,
    drives: &[PageDrive],
    saved: Option<&Result<std::path::PathBuf, DriveWriteError>>,
) -> Option<Command> {
    let mut command = None;
    ui.add_space(space::S);
    if drives.is_empty() {
        ui.label("Plug in a USB drive to take a printable page of this result with you.");
    } else {
        ui.label("Save a printable page of this result to your USB drive:");
        ui.horizontal_wrapped(|ui| {
            for drive in drives {
                if quiet_button(ui, format!("Save to {}", drive.name), 0.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::SavePage(
                        drive.root.clone(),
                    )));
                }
            }
        });
    }
    match saved {
        Some(Ok(path)) => {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(format!("Saved as {name}. You can remove the drive."));
        }
        Some(Err(error)) => {
            let words = page_error(error);
            ui.label(RichText::new(words).color(theme::palette(ui.ctx()).warning_text));
        }
        None => {}
    }
    command
}

/// What the peers concluded.
fn peer_outcome_ui(ui: &mut Ui, completed: &crate::attempt::Completed, outcome: &PeerRoundOutcome) {
    let title = |id: &str| {
        completed
            .rubric
            .dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or(id.to_string(), |d| d.title.to_string())
    };
    section_heading(ui, "Your peers' strongest argument against");
    card_ui(ui, |ui| match outcome {
        PeerRoundOutcome::DevelopmentArea(id) => {
            ui.label(format!("Development area: {}", title(id)));
        }
        PeerRoundOutcome::Spread(spread) => {
            ui.label("Your peers did not agree. Their picks:");
            for (id, n) in spread {
                ui.label(format!("{}: {n}", title(id)));
            }
        }
    });
}

/// For sessions that do not show results: thanks, and "Finish".
pub fn thanks_ui(ui: &mut Ui) -> Option<Command> {
    let mut command = None;
    reading_column(ui, |ui| {
        ui.add_space(space::XL);
        ui.label(
            RichText::new("Thank you")
                .text_style(theme::display())
                .strong(),
        );
        ui.label("Your answers are saved. The facilitator will show the group's results.");
        ui.add_space(space::M);
        if primary_button(ui, "Finish", 160.0).clicked() {
            command = Some(Command::Workshop(WorkshopCommand::Finish));
        }
    });
    if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        command = Some(Command::Workshop(WorkshopCommand::Finish));
    }
    command
}

/// "Still there?": any tap or key keeps the attempt; `seconds` left.
pub fn still_there_ui(ui: &mut Ui, seconds: u64) {
    egui::Modal::new(egui::Id::unique("still-there")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        ui.label(
            RichText::new("Still there? Tap to continue")
                .text_style(theme::title())
                .strong(),
        );
        ui.label(format!(
            "Your answers will be discarded in {seconds} s, and the kiosk goes back to the start."
        ));
        ui.add_space(space::S);
        // Any input counts; the button is there so it is obvious what to do.
        let _ = primary_button(ui, "Continue", 0.0);
    });
}

/// Why a participant's page could not be saved, in words for them.
fn page_error(error: &DriveWriteError) -> String {
    match error {
        DriveWriteError::Full => {
            "The drive is full. Free some space on it, or use another drive.".into()
        }
        DriveWriteError::ReadOnly => {
            "The drive is read-only. Check its lock switch, or use another drive.".into()
        }
        DriveWriteError::Gone => {
            "The drive was removed before the page was saved. Plug it in again and save again."
                .into()
        }
        DriveWriteError::Denied => "This kiosk is not allowed to write to that drive.".into(),
        DriveWriteError::Other(e) => format!("The page could not be saved: {e}"),
    }
}
