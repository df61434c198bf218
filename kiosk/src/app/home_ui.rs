//! Home: the rubrics grouped by purpose, resume, history and settings.

use egui::{RichText, Ui};
use rubric_engine::model::Category;
use rubric_engine::Bundle;

use super::command::Command;
use super::theme::{self, space, WIDE_COLUMN};
use super::widgets::{
    banner_ui, card_button, column_ui, group_heading, page_scroll, primary_button, question_count,
    quiet_button, CardText,
};
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
) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    column_ui(ui, WIDE_COLUMN, |ui| {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new("Rubric Kiosk")
                    .text_style(theme::display())
                    .strong(),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if quiet_button(ui, "Settings", 0.0).clicked() {
                    command = Some(Command::Settings);
                }
                if quiet_button(ui, "History", 0.0).clicked() {
                    command = Some(Command::History(None));
                }
            });
        });
        ui.label(
            RichText::new("Self-assessments for the move from senior to staff engineer. Choose one to begin; everything stays on this machine.")
                .color(p.text_muted),
        );

        if let Some(progress) = resume {
            if let Some(rubric) = bundle.rubric(&progress.rubric_id) {
                ui.add_space(space::S);
                banner_ui(
                    ui,
                    &format!("You have an unfinished attempt at “{}”.", rubric.title),
                    false,
                );
                ui.horizontal(|ui| {
                    if primary_button(ui, "Resume", 0.0).clicked() {
                        command = Some(Command::Resume);
                    }
                    if quiet_button(ui, "Discard it", 0.0).clicked() {
                        command = Some(Command::DiscardResume);
                    }
                });
            }
        }

        page_scroll("home").show(ui, |ui| {
            for (group, (category, heading)) in GROUPS.into_iter().enumerate() {
                let members: Vec<(usize, _)> = bundle
                    .rubrics()
                    .enumerate()
                    .filter(|(_, r)| r.category == category)
                    .collect();
                if members.is_empty() {
                    continue;
                }
                group_heading(ui, heading, p.groups[group]);
                for (index, rubric) in members {
                    let meta =
                        format!("{} · about {} min", question_count(&rubric), rubric.minutes);
                    let card = CardText {
                        title: rubric.title,
                        summary: rubric.summary,
                        meta: &meta,
                        label: rubric.title,
                    };
                    if card_button(ui, p.groups[group], card).clicked() {
                        command = Some(Command::Open(index));
                    }
                }
            }
            ui.add_space(space::L);
        });
    });
    command
}
