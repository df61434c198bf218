//! Settings: theme, text size, where data lives, delete everything.

use std::path::Path;
use std::time::Duration;

use egui::{RichText, Ui};

use super::command::Command;
use super::media_ui::{trust_settings_ui, MediaState};
use super::theme::{self, space, Theme, TOUCH};
use super::widgets::{
    big_button, page_scroll, primary_button, quiet_button, reading_column, section_heading,
};
use super::workshop::{COUNTDOWN, IDLE_RANGE, IDLE_STEP};

/// What the settings screen shows.
pub struct SettingsView<'a> {
    /// The theme in use.
    pub theme: Theme,
    /// The zoom in use.
    pub zoom: f32,
    /// A workshop participant's idle timeout.
    pub idle_after: Duration,
    /// The results database's path, when it is open.
    pub database: Option<String>,
    /// The data folder.
    pub data_dir: &'a Path,
    /// Drives, trusted keys and the trust policy.
    pub media: &'a MediaState,
}

/// Draws the settings screen.
pub fn settings_ui(ui: &mut Ui, view: &SettingsView<'_>, confirm_delete: bool) -> Option<Command> {
    let mut command = None;
    reading_column(ui, |ui| settings_page_ui(ui, view, &mut command));
    if confirm_delete {
        confirm_delete_ui(ui, &mut command);
    }
    if command.is_none() && !confirm_delete && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        command = Some(Command::Home);
    }
    command
}

fn settings_page_ui(ui: &mut Ui, view: &SettingsView<'_>, command: &mut Option<Command>) {
    let (theme, zoom) = (view.theme, view.zoom);
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
        idle_timeout_ui(ui, view.idle_after, command);
        trust_settings_ui(ui, view.media, command);
        section_heading(ui, "Your data");
        ui.label(format!("Data folder: {}", view.data_dir.display()));
        match &view.database {
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

/// How long a participant may leave the kiosk before "Still there?".
fn idle_timeout_ui(ui: &mut Ui, idle_after: Duration, command: &mut Option<Command>) {
    let seconds = idle_after.as_secs();
    ui.label(format!(
        "When a participant stops using the kiosk, it asks \"Still there?\" after {seconds} seconds, and {} seconds later discards their unfinished answers.",
        COUNTDOWN.as_secs()
    ));
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled_ui(seconds > *IDLE_RANGE.start(), |ui| {
                big_button(ui, "Wait less", 0.0)
            })
            .inner
            .clicked()
        {
            *command = Some(Command::SetIdleTimeout(seconds.saturating_sub(IDLE_STEP)));
        }
        if ui
            .add_enabled_ui(seconds < *IDLE_RANGE.end(), |ui| {
                big_button(ui, "Wait longer", 0.0)
            })
            .inner
            .clicked()
        {
            *command = Some(Command::SetIdleTimeout(seconds + IDLE_STEP));
        }
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
