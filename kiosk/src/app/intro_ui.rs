//! Before starting: what the rubric measures, how long, caveats, privacy.

use egui::{RichText, Ui};
use rubric_engine::model::Rubric;

use super::command::Command;
use super::theme::{self, size, space};
use super::widgets::{
    banner_ui, caveats_ui, page_scroll, primary_button, question_count, quiet_button,
    reading_column,
};

/// "about 1 minute", "about 12 minutes".
fn about_minutes(minutes: u8) -> String {
    let plural = if minutes == 1 { "" } else { "s" };
    format!("about {minutes} minute{plural}")
}

/// Draws the introduction of a rubric.
pub fn intro_ui(
    ui: &mut Ui,
    rubric: &Rubric<'static>,
    index: usize,
    replaces: Option<&str>,
) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    reading_column(ui, |ui| {
        page_scroll(("intro", index)).show(ui, |ui| {
            ui.label(RichText::new(rubric.title).text_style(theme::display()).strong());
            ui.label(
                RichText::new(format!(
                    "{} · {}",
                    question_count(rubric),
                    about_minutes(rubric.minutes)
                ))
                .color(p.text_muted),
            );
            ui.add_space(space::M);
            ui.label(rubric.intro);
            caveats_ui(ui, rubric);
            ui.add_space(space::M);
            ui.label(
                RichText::new("Your answers stay on this machine. Nothing is sent anywhere.")
                    .italics()
                    .color(p.text_muted),
            );
            if let Some(other) = replaces {
                banner_ui(
                    ui,
                    &format!("Starting replaces your unfinished attempt at “{other}”. Go back and resume it first if you want to keep it."),
                    false,
                );
            }
            ui.add_space(space::M);
            ui.horizontal(|ui| {
                if quiet_button(ui, "Back", 120.0).clicked() {
                    command = Some(Command::Home);
                }
                if primary_button(ui, "Start", 160.0).clicked() {
                    command = Some(Command::Start(index));
                }
            });
            ui.label(
                RichText::new("Keys: Enter starts · Esc goes back")
                    .size(size::SMALL)
                    .color(p.text_muted),
            );
            ui.add_space(space::L);
        });
    });
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        command = Some(Command::Home);
    } else if command.is_none() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        command = Some(Command::Start(index));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::about_minutes;

    #[test]
    fn one_minute_is_singular_and_every_other_count_plural() {
        assert_eq!(about_minutes(1), "about 1 minute");
        assert_eq!(about_minutes(0), "about 0 minutes");
        assert_eq!(about_minutes(2), "about 2 minutes");
        assert_eq!(about_minutes(12), "about 12 minutes");
    }
}
