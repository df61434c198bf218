//! Settings: theme, text size, where data lives, delete everything.

use std::path::Path;

use egui::{RichText, Ui};

use super::command::Command;
use super::media_ui::{trust_settings_ui, MediaState};
use super::theme::{self, space, Theme, TOUCH};
use super::widgets::{
    big_button, page_scroll, primary_button, quiet_button, reading_column, section_heading,
};

/// Draws the settings screen.
pub fn settings_ui(
    ui: &mut Ui,
    theme: Theme,
    zoom: f32,
    database: Option<String>,
    data_dir: &Path,
    confirm_delete: bool,
    media: &MediaState,
) -> Option<Command> {
    let mut command = None;
    reading_column(ui, |ui| {
        settings_page_ui(ui, theme, zoom, database, data_dir, media, &mut command)
    });
    if confirm_delete {
        confirm_delete_ui(ui, &mut command);
    }
    if command.is_none() && !confirm_delete && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        command = Some(Command::Home);
    }
    command
}

fn settings_page_ui(
    ui: &mut Ui,
    theme: Theme,
    zoom: f32,
    database: Option<String>,
    data_dir: &Path,
    media: &MediaState,
    command: &mut Option<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Settings")
                .text_style(theme::display())
                .strong(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if quiet_button(ui, "Home", 0.0).clicked() {
                *command = Some(Command::Home);
            }
        });
    });
    page_scroll("settings").show(ui, |ui| {
        section_heading(ui, "Theme");
        ui.horizontal_wrapped(|ui| {
            for option in Theme::ALL {
                if ui
                    .add(
                        egui::Button::new(option.name())
                            .selected(theme == option)
                            .min_size(egui::vec2(140.0, TOUCH)),
                    )
                    .clicked()
                {
                    *command = Some(Command::SetTheme(option));
                }
            }
        });
        section_heading(ui, &format!("Text size: {:.0}%", zoom * 100.0));
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled_ui(zoom > 1.0, |ui| big_button(ui, "Smaller text", 0.0))
                .inner
                .clicked()
            {
                *command = Some(Command::SetZoom(zoom - 0.25));
            }
            if ui
                .add_enabled_ui(zoom < 2.0, |ui| big_button(ui, "Larger text", 0.0))
                .inner
                .clicked()
            {
                *command = Some(Command::SetZoom(zoom + 0.25));
            }
            for preset in [1.0f32, 1.5, 2.0] {
                if ui
                    .add(
                        egui::Button::new(format!("{:.0}%", preset * 100.0))
                            .selected((zoom - preset).abs() < 0.01)
                            .min_size(egui::vec2(80.0, TOUCH)),
                    )
                    .clicked()
                {
                    *command = Some(Command::SetZoom(preset));
                }
            }
        });
        section_heading(ui, "Workshops");
        ui.label("Turn this machine into a kiosk that participants take turns at. A facilitator PIN guards the group results and leaving.");
        if big_button(ui, "Run a workshop", 0.0).clicked() {
            *command = Some(Command::StartWorkshop);
        }
        trust_settings_ui(ui, media, command);
        section_heading(ui, "Your data");
        ui.label(format!("Data folder: {}", data_dir.display()));
        match database {
            Some(path) => ui.label(format!("Results database: {path}")),
            None => ui.label("The results database is not open; see the message at the top."),
        };
        ui.label(
            "Everything stays on this machine. Any SQLite tool can read the results database.",
        );
        if big_button(ui, "Delete all my data", 0.0).clicked() {
            *command = Some(Command::AskDeleteAll(true));
        }
        ui.add_space(space::L);
    });
}

fn confirm_delete_ui(ui: &mut Ui, command: &mut Option<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("confirm-delete")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        ui.label(RichText::new("Delete all your data?").text_style(theme::title()).strong());
        ui.label("Every saved result, any unfinished attempt and your settings will be removed from this machine. This cannot be undone.");
        ui.horizontal(|ui| {
            if quiet_button(ui, "Keep my data", 0.0).clicked() {
                *command = Some(Command::AskDeleteAll(false));
            }
            if primary_button(ui, "Delete everything", 0.0).clicked() {
                *command = Some(Command::DeleteAll);
            }
        });
    });
    if modal.should_close() && command.is_none() {
        *command = Some(Command::AskDeleteAll(false));
    }
}
