//! "Write the guide": a plan's printable facilitator guide and participant
//! handout, as two HTML files on a plugged-in drive (in its export folder)
//! or in a typed folder. Offered in session setup once a plan is chosen,
//! and in the facilitator view of a session that follows a plan.

use std::path::PathBuf;

use egui::{RichText, TextEdit, Ui};
use rubric_engine::Bundle;
use rubrics::plan::Plan;

use super::participant::PageDrive;
use crate::app::theme;
use crate::app::widgets::{quiet_button, section_heading};
use crate::guide::{write_guide_files, GuideError};
use crate::media::export::{export_folder, DriveWriteError};

/// The folder typed for "Write the guide" and what the last write did.
#[derive(Debug, Default)]
pub struct GuideWriter {
    /// The folder typed.
    pub folder: String,
    /// The files the last write made, or why it failed.
    pub notice: Option<Result<Vec<PathBuf>, GuideWriteError>>,
}

/// Why the guide was not written, in words for the facilitator.
#[derive(Debug, thiserror::Error)]
pub enum GuideWriteError {
    /// The pages could not be made or written.
    #[error("The guide was not written: {0}")]
    Guide(#[from] GuideError),
    /// The drive could not take them.
    #[error("{0}")]
    Drive(#[from] DriveWriteError),
}

/// The "Write the guide" controls for `plan`: a button per plugged-in
/// drive, a folder field, and what the last write did.
pub fn guide_writer_ui(
    ui: &mut Ui,
    state: &mut GuideWriter,
    plan: &Plan,
    library: &Bundle<'static>,
    min_group: u32,
    drives: &[PageDrive],
) {
    let p = theme::palette(ui.ctx());
    section_heading(ui, "Guide and handout");
    ui.label("The printable facilitator guide and participant handout, as two HTML files to open in a browser and print.");
    if !drives.is_empty() {
        ui.horizontal_wrapped(|ui| {
            for drive in drives {
                if quiet_button(ui, format!("Write the guide to {}", drive.name), 0.0).clicked() {
                    let written = export_folder(&drive.root)
                        .map_err(GuideWriteError::from)
                        .and_then(|folder| {
                            Ok(write_guide_files(plan, library, min_group, &folder)?)
                        });
                    state.notice = Some(written);
                }
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Guide folder");
        ui.add(
            TextEdit::singleline(&mut state.folder)
                .hint_text("A folder on this machine or a USB drive")
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        if quiet_button(ui, "Write the guide", 0.0).clicked() && !state.folder.trim().is_empty() {
            let folder = PathBuf::from(state.folder.trim());
            state.notice = Some(
                write_guide_files(plan, library, min_group, &folder).map_err(GuideWriteError::from),
            );
        }
    });
    match &state.notice {
        Some(Ok(files)) => {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            ui.label(format!("Written: {}.", names.join(", ")));
        }
        Some(Err(e)) => {
            ui.label(RichText::new(e.to_string()).color(p.warning_text));
        }
        None => {}
    }
}
