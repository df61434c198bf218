//! Settings: theme, text size, where data lives, delete everything.

use std::path::Path;

use egui::{RichText, Ui};

use super::theme::Theme;
use super::widgets::{big_button, page_scroll};
use super::Action;

/// Draws the settings screen.
pub fn settings_ui(
    ui: &mut Ui,
    theme: Theme,
    zoom: f32,
    database: Option<String>,
    data_dir: &Path,
    confirm_delete: bool,
) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading("Settings");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if big_button(ui, "Home", 0.0).clicked() {
                action = Some(Action::Home);
            }
        });
    });
    page_scroll("settings").show(ui, |ui| {
        ui.add_space(8.0);
        ui.label(RichText::new("Theme").size(18.0).strong());
        ui.horizontal_wrapped(|ui| {
            for option in Theme::ALL {
                if ui
                    .add(
                        egui::Button::new(option.name())
                            .selected(theme == option)
                            .min_size(egui::vec2(140.0, 48.0)),
                    )
                    .clicked()
                {
                    action = Some(Action::SetTheme(option));
                }
            }
        });
        ui.add_space(8.0);
        ui.label(
            RichText::new(format!("Text size: {:.0}%", zoom * 100.0))
                .size(18.0)
                .strong(),
        );
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled_ui(zoom > 1.0, |ui| big_button(ui, "Smaller text", 0.0))
                .inner
                .clicked()
            {
                action = Some(Action::SetZoom(zoom - 0.25));
            }
            if ui
                .add_enabled_ui(zoom < 2.0, |ui| big_button(ui, "Larger text", 0.0))
                .inner
                .clicked()
            {
                action = Some(Action::SetZoom(zoom + 0.25));
            }
            for preset in [1.0f32, 1.5, 2.0] {
                if ui
                    .add(
                        egui::Button::new(format!("{:.0}%", preset * 100.0))
                            .selected((zoom - preset).abs() < 0.01)
                            .min_size(egui::vec2(80.0, 48.0)),
                    )
                    .clicked()
                {
                    action = Some(Action::SetZoom(preset));
                }
            }
        });
        ui.add_space(8.0);
        ui.label(RichText::new("Your data").size(18.0).strong());
        ui.label(format!("Data folder: {}", data_dir.display()));
        match database {
            Some(path) => ui.label(format!("Results database: {path}")),
            None => ui.label("The results database is not open; see the message at the top."),
        };
        ui.label(
            "Everything stays on this machine. Any SQLite tool can read the results database.",
        );
        if big_button(ui, "Delete all my data", 0.0).clicked() {
            action = Some(Action::AskDeleteAll(true));
        }
    });
    if confirm_delete {
        let modal = egui::Modal::new(egui::Id::unique("confirm-delete")).show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            ui.heading("Delete all your data?");
            ui.label("Every saved result, any unfinished attempt and your settings will be removed from this machine. This cannot be undone.");
            ui.horizontal(|ui| {
                if big_button(ui, "Keep my data", 0.0).clicked() {
                    action = Some(Action::AskDeleteAll(false));
                }
                if big_button(ui, "Delete everything", 0.0).clicked() {
                    action = Some(Action::DeleteAll);
                }
            });
        });
        if modal.should_close() && action.is_none() {
            action = Some(Action::AskDeleteAll(false));
        }
    }
    if action.is_none() && !confirm_delete && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        action = Some(Action::Home);
    }
    action
}
