//! The facilitator's export of a session: the CSV, the JSON and the
//! printable one-page summary, to a USB drive or a folder, with free texts
//! only when the facilitator asks for them.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::participant::PageDrive;
use crate::app::command::{Command, ExportTarget, WorkshopCommand};
use crate::app::theme::{self, space};
use crate::app::widgets::{quiet_button, section_heading};
use crate::media::export::DriveWriteError;
use crate::workshop::export::ExportError;

/// What the export section holds between frames.
#[derive(Debug, Default)]
pub struct ExportState {
    /// Include aliases and free-text answers (off unless asked for).
    pub include_text: bool,
    /// The folder typed for "Export to this folder".
    pub folder: String,
    /// What the last export did.
    pub message: Option<ExportNotice>,
}

/// What the last export did, worded where the export section draws it.
#[derive(Debug)]
pub enum ExportNotice {
    /// These files were written to `place` (a drive's name or a folder).
    Saved {
        /// Where, for people.
        place: String,
        /// The files written.
        files: Vec<PathBuf>,
    },
    /// The drive could not be written to.
    DriveFailed(DriveWriteError),
    /// The folder could not be made.
    FolderUnusable {
        /// The folder typed.
        folder: PathBuf,
        /// Why not.
        error: std::io::Error,
    },
    /// The export failed for another reason (the store, the encoding).
    Failed(ExportError),
}

impl ExportNotice {
    /// The notice in words, and whether it says something failed.
    fn words(&self) -> (String, bool) {
        match self {
            ExportNotice::Saved { place, files } => {
                let names: Vec<String> = files
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                (format!("Saved on {place}: {}.", names.join(", ")), false)
            }
            ExportNotice::DriveFailed(e) => (e.to_string(), true),
            ExportNotice::FolderUnusable { folder, error } => (
                format!("The folder {} cannot be used: {error}", folder.display()),
                true,
            ),
            ExportNotice::Failed(e) => (format!("The export failed: {e}"), true),
        }
    }
}

/// Draws the export section; returns the export asked for.
pub fn export_ui(ui: &mut Ui, state: &mut ExportState, drives: &[PageDrive]) -> Option<Command> {
    let mut command = None;
    section_heading(ui, "Export the session");
    ui.label("Four files: the results as CSV and as JSON and a one-page summary of the group figures to print or mail, each leaving out every rubric the group view hides; and a merge file of every individual result, below the minimum group too, only for importing on another kiosk of this workshop. Do not share the merge file, and delete it once merged.");
    ui.checkbox(
        &mut state.include_text,
        "Include aliases and free-text answers",
    );
    ui.horizontal_wrapped(|ui| {
        for drive in drives {
            if quiet_button(ui, format!("Export to {}", drive.name), 0.0).clicked() {
                command = Some(Command::Workshop(WorkshopCommand::Export(
                    ExportTarget::Drive {
                        root: drive.root.clone(),
                        name: drive.name.clone(),
                    },
                )));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut state.folder)
                .hint_text("A folder on this machine")
                .desired_width(360.0),
        )
        .labelled_by(ui.label("Folder").id);
        if quiet_button(ui, "Export to this folder", 0.0).clicked()
            && !state.folder.trim().is_empty()
        {
            command = Some(Command::Workshop(WorkshopCommand::Export(
                ExportTarget::Folder(PathBuf::from(state.folder.trim())),
            )));
        }
    });
    if let Some((message, failed)) = state.message.as_ref().map(ExportNotice::words) {
        let p = theme::palette(ui.ctx());
        let color = if failed { p.warning_text } else { p.text };
        ui.label(RichText::new(message).color(color));
    }
    ui.add_space(space::M);
    command
}
