//! The participant's way in: the welcome screen, then an optional alias.

use egui::{Key, RichText, Sense, TextEdit, Ui};

use crate::app::command::{Command, PinPurpose, WorkshopCommand};
use crate::app::theme::{self, space};
use crate::app::widgets::{primary_button, quiet_button, reading_column};
use crate::workshop::Session;

/// What the welcome screen promises, each sentence held by a test:
/// `group_figures_stay_hidden_below_the_minimum_group_and_show_at_it`
/// (workshop_ui.rs), `shown_figures_do_not_change_until_a_whole_group_of_new_results_arrived`
/// (workshop_differencing.rs), `the_facilitator_exports_the_session_to_a_drive_and_to_a_folder`
/// (workshop_ui.rs: every result in the merge file, an alias only when asked for).
const WELCOME_PROMISE: &str = "Your answers are private: the facilitator sees only group figures, and only once enough people have taken part. The figures change only after several more people finish, so no one can read your result from a change. To combine kiosks, the facilitator keeps a file of every result without names; an alias you type goes into it only if the facilitator asks for aliases.";

/// The welcome screen: the whole page is one "Start" target; any key starts
/// too. It draws once and then nothing until someone touches it.
pub fn welcome_ui(ui: &mut Ui, session: Option<&Session>) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if quiet_button(ui, "Facilitator", 0.0).clicked() {
                command = Some(Command::Workshop(WorkshopCommand::AskPin(
                    PinPurpose::Facilitator,
                )));
            }
        });
    });
    let rect = ui.available_rect_before_wrap();
    let page = ui.allocate_rect(rect, Sense::click());
    page.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Tap to start"));
    ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
        // A tap on the text must start too: the labels take no clicks.
        ui.style_mut().interaction.selectable_labels = false;
        reading_column(ui, |ui| {
            ui.add_space(rect.height() / 4.0);
            ui.vertical_centered(|ui| {
                if let Some(session) = session {
                    ui.label(RichText::new(&session.name).color(p.text_muted));
                }
                ui.label(
                    RichText::new("Welcome")
                        .text_style(theme::display())
                        .strong(),
                );
                ui.add_space(space::M);
                ui.label(
                    RichText::new("Tap or press any key to start")
                        .text_style(theme::title())
                        .color(p.accent_text),
                );
                ui.add_space(space::L);
                ui.label(RichText::new(WELCOME_PROMISE).color(p.text_muted));
            });
        });
    });
    let key = ui.input(|i| {
        i.events
            .iter()
            .any(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
    });
    if command.is_none() && (page.clicked() || key) {
        command = Some(Command::Workshop(WorkshopCommand::Begin));
    }
    command
}

/// An optional alias: never a real name; "Skip" goes on without one.
pub fn alias_ui(ui: &mut Ui, alias: &mut String) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    reading_column(ui, |ui| {
        ui.add_space(space::XL);
        ui.label(
            RichText::new("A name for your result? (optional)")
                .text_style(theme::display())
                .strong(),
        );
        ui.label(
            RichText::new("Any alias will do, or none. Please do not use your real name.")
                .color(p.text_muted),
        );
        ui.add_space(space::M);
        let label = ui.label("Alias (optional)");
        let field = ui
            .add(
                TextEdit::singleline(alias)
                    .char_limit(40)
                    .font(egui::TextStyle::Heading)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            command = Some(start(alias));
        }
        ui.add_space(space::M);
        ui.horizontal(|ui| {
            if quiet_button(ui, "Skip", 140.0).clicked() {
                command = Some(Command::Workshop(WorkshopCommand::StartAnswering(None)));
            }
            if primary_button(ui, "Start", 160.0).clicked() {
                command = Some(start(alias));
            }
        });
    });
    if command.is_none()
        && !ui.ctx().egui_wants_keyboard_input()
        && ui.input(|i| i.key_pressed(Key::Enter))
    {
        command = Some(start(alias));
    }
    command
}

fn start(alias: &str) -> Command {
    Command::Workshop(WorkshopCommand::StartAnswering(Some(alias.to_string())))
}
