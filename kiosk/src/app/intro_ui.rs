//! Before starting: what the rubric measures, how long, caveats, privacy.

use egui::{RichText, Ui};
use rubric_engine::model::{CaveatKind, Rubric};

use super::widgets::{banner_ui, big_button, page_scroll, question_count};
use super::Action;

fn caveat_heading(kind: CaveatKind) -> &'static str {
    match kind {
        CaveatKind::SmallCompany => "Small company",
        CaveatKind::CompanyOnFire => "Company in crisis",
        CaveatKind::TimeInLevel => "Time in level",
        _ => "Keep in mind",
    }
}

/// Draws the caveats of a rubric (also used on the result screen).
pub fn caveats_ui(ui: &mut Ui, rubric: &Rubric<'_>) {
    if rubric.caveats.is_empty() {
        return;
    }
    ui.label(
        RichText::new("When to read this with care")
            .size(20.0)
            .strong(),
    );
    for caveat in rubric.caveats.iter() {
        ui.label(RichText::new(caveat_heading(caveat.kind)).strong());
        ui.label(caveat.text);
    }
}

/// Draws the introduction of a rubric.
pub fn intro_ui(
    ui: &mut Ui,
    rubric: &Rubric<'static>,
    index: usize,
    replaces: Option<&str>,
) -> Option<Action> {
    let mut action = None;
    page_scroll(("intro", index)).show(ui, |ui| {
        ui.heading(rubric.title);
        ui.label(RichText::new(format!("{} · about {} minutes", question_count(rubric), rubric.minutes)).weak());
        ui.add_space(8.0);
        ui.label(rubric.intro);
        ui.add_space(8.0);
        caveats_ui(ui, rubric);
        ui.add_space(8.0);
        ui.label(RichText::new("Your answers stay on this machine. Nothing is sent anywhere.").italics());
        if let Some(other) = replaces {
            banner_ui(
                ui,
                &format!("Starting replaces your unfinished attempt at “{other}”. Go back and resume it first if you want to keep it."),
                false,
            );
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if big_button(ui, "Back", 120.0).clicked() {
                action = Some(Action::Home);
            }
            if big_button(ui, "Start", 160.0).clicked() {
                action = Some(Action::Start(index));
            }
        });
    });
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        action = Some(Action::Home);
    }
    action
}
