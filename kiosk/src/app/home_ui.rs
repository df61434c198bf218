//! Home: the rubrics grouped by purpose, resume, history and settings.

use egui::{RichText, Ui};
use rubric_engine::model::Category;
use rubric_engine::Bundle;

use super::widgets::{banner_ui, big_button, page_scroll, question_count};
use super::Action;
use crate::store::InProgress;

const GROUPS: [(Category, &str); 4] = [
    (Category::SelfAssessment, "Self-assessment"),
    (Category::ArchetypeFit, "Archetype fit"),
    (Category::ForManagers, "For managers"),
    (Category::AboutOrganisation, "About your organisation"),
];

/// Draws the home screen.
pub fn home_ui(
    ui: &mut Ui,
    bundle: &Bundle<'static>,
    resume: Option<&InProgress>,
) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.heading("Rubric Kiosk");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if big_button(ui, "Settings", 0.0).clicked() {
                action = Some(Action::Settings);
            }
            if big_button(ui, "History", 0.0).clicked() {
                action = Some(Action::History(None));
            }
        });
    });
    ui.label("Self-assessments for the move from senior to staff engineer. Everything stays on this machine.");

    if let Some(progress) = resume {
        if let Some(rubric) = bundle.rubric(&progress.rubric_id) {
            ui.add_space(6.0);
            banner_ui(
                ui,
                &format!("You have an unfinished attempt at “{}”.", rubric.title),
                false,
            );
            ui.horizontal(|ui| {
                if big_button(ui, "Resume", 0.0).clicked() {
                    action = Some(Action::Resume);
                }
                if big_button(ui, "Discard it", 0.0).clicked() {
                    action = Some(Action::DiscardResume);
                }
            });
        }
    }

    page_scroll("home").show(ui, |ui| {
        for (category, heading) in GROUPS {
            let members: Vec<(usize, _)> = bundle
                .rubrics()
                .enumerate()
                .filter(|(_, r)| r.category == category)
                .collect();
            if members.is_empty() {
                continue;
            }
            ui.add_space(12.0);
            ui.label(RichText::new(heading).size(22.0).strong());
            for (index, rubric) in members {
                egui::Frame::group(ui.style())
                    .inner_margin(10.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        if big_button(ui, rubric.title, 0.0).clicked() {
                            action = Some(Action::Open(index));
                        }
                        ui.label(rubric.summary);
                        ui.label(
                            RichText::new(format!(
                                "{} · about {} min",
                                question_count(&rubric),
                                rubric.minutes
                            ))
                            .weak(),
                        );
                    });
            }
        }
    });
    action
}
