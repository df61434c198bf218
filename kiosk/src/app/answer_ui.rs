//! Answering: one item at a time, with the engine's runner deciding order,
//! visibility, progress and what is still required.

use egui::{Key, RichText, TextEdit, Ui};
use rubric_engine::model::{Item, ItemKind};
use rubric_engine::{Answer, AnswerError};

use super::command::Command;
use super::theme::{self, size, space, TOUCH};
use super::widgets::{
    big_button, choice_ui, page_scroll, primary_button, progress_ui, quiet_button, reading_column,
    ChoiceKind,
};
use crate::attempt::Attempt;

/// Why the answering screen did not take a step, worded by `message_ui`.
#[derive(Debug)]
enum AnswerNotice {
    /// The answer does not fit the question.
    DoesNotFit(AnswerError),
    /// The question is required and has no answer yet.
    NeedsAnswer,
    /// Finishing, a required question further back has no answer.
    RequiredMissing,
    /// A count field holds something other than a whole number in range.
    NotACount {
        /// Lowest allowed.
        min: u32,
        /// Highest allowed.
        max: u32,
    },
}

/// State of the answering screen.
#[derive(Debug)]
pub struct AnswerState {
    /// The attempt.
    pub attempt: Attempt,
    confirm_leave: bool,
    message: Option<AnswerNotice>,
    /// Text being typed into a count or free-text field, and for which item.
    editing: Option<(usize, String)>,
    /// Workshop mode: answers live in memory only, so leaving discards them.
    memory_only: bool,
}

impl AnswerState {
    /// A screen for `attempt`.
    pub fn new(attempt: Attempt) -> Self {
        AnswerState {
            attempt,
            confirm_leave: false,
            message: None,
            editing: None,
            memory_only: false,
        }
    }

    /// A screen for a workshop participant's `attempt`: nothing is kept
    /// when they leave, and the leave dialog says so.
    pub(crate) fn memory_only(attempt: Attempt) -> Self {
        AnswerState {
            memory_only: true,
            ..AnswerState::new(attempt)
        }
    }

    /// Whether the leave confirmation is showing (for tests).
    pub fn confirming_leave(&self) -> bool {
        self.confirm_leave
    }

    fn set(&mut self, index: usize, answer: Answer) -> Option<Command> {
        match self.attempt.runner.set_answer(index, answer) {
            Ok(()) => {
                self.message = None;
                Some(Command::SaveProgress)
            }
            Err(e) => {
                self.message = Some(AnswerNotice::DoesNotFit(e));
                None
            }
        }
    }

    /// Moves on; at the end, finishes if nothing required is missing.
    fn next(&mut self) -> Option<Command> {
        self.editing = None;
        match self.attempt.runner.next_visible() {
            Err(_) => {
                self.message = Some(AnswerNotice::NeedsAnswer);
                None
            }
            Ok(Some(_)) => {
                self.message = None;
                Some(Command::SaveProgress)
            }
            Ok(None) => self.finish(),
        }
    }

    fn finish(&mut self) -> Option<Command> {
        let first_missing = self.attempt.runner.missing_required().next();
        match first_missing {
            None => Some(Command::Finish),
            Some(index) => {
                self.attempt.runner.go_to(index);
                self.message = Some(AnswerNotice::RequiredMissing);
                Some(Command::SaveProgress)
            }
        }
    }

    fn back(&mut self) -> Option<Command> {
        self.editing = None;
        self.message = None;
        self.attempt.runner.back();
        Some(Command::SaveProgress)
    }
}

/// Room kept below the question for the message, Back and Next, and the key hint.
const FOOTER: f32 = TOUCH + 3.0 * space::M + size::SMALL;

/// Below this height (in points) the key hint gives its room to the question.
const ROOM_FOR_HINT: f32 = 560.0;

/// Draws the answering screen.
pub fn answer_ui(ui: &mut Ui, state: &mut AnswerState) -> Option<Command> {
    let mut command = None;
    reading_column(ui, |ui| {
        header_ui(ui, state);
        match state.attempt.runner.current() {
            None => review_ui(ui, state, &mut command),
            Some(index) => question_ui(ui, state, index, &mut command),
        }
    });
    leave_dialog(ui, state, &mut command);
    command
}

/// The rubric's name, Leave, and progress.
fn header_ui(ui: &mut Ui, state: &mut AnswerState) {
    let rubric = *state.attempt.rubric();
    let progress = state.attempt.runner.progress();
    let position = state
        .attempt
        .runner
        .current()
        .map_or(usize::from(progress.visible), |index| {
            (0..=index)
                .filter(|i| state.attempt.runner.is_visible(*i))
                .count()
        });
    ui.horizontal(|ui| {
        ui.label(RichText::new(rubric.title).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if quiet_button(ui, "Leave", 0.0).clicked() {
                state.confirm_leave = true;
            }
        });
    });
    progress_ui(
        ui,
        position,
        usize::from(progress.visible),
        usize::from(progress.answered),
    );
    ui.add_space(space::S);
}

/// Past the last question: go back, or finish.
fn review_ui(ui: &mut Ui, state: &mut AnswerState, command: &mut Option<Command>) {
    ui.add_space(space::M);
    ui.label(
        RichText::new("That was the last question")
            .text_style(theme::title())
            .strong(),
    );
    ui.label("Go back to change an answer, or finish to see your result.");
    message_ui(ui, state);
    ui.add_space(space::S);
    ui.horizontal(|ui| {
        if quiet_button(ui, "Back", 140.0).clicked() {
            *command = state.back();
        }
        if primary_button(ui, "Finish", 160.0).clicked() {
            *command = state.finish();
        }
    });
    keys(ui, state, None, command);
}

/// One question: its prompt and controls scroll; Back and Next stay in view.
fn question_ui(ui: &mut Ui, state: &mut AnswerState, index: usize, command: &mut Option<Command>) {
    let rubric = *state.attempt.rubric();
    let Some(item) = rubric.item(index) else {
        return;
    };
    let p = theme::palette(ui.ctx());
    let show_hint = ui.ctx().content_rect().height() >= ROOM_FOR_HINT;
    let footer = if show_hint {
        FOOTER
    } else {
        TOUCH + 2.0 * space::S
    };
    let room = (ui.available_height() - footer).max(TOUCH * 2.0);
    page_scroll(("question", index))
        .max_height(room)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if let Some(section) = rubric.sections.get(usize::from(item.section)) {
                if rubric.sections.len() > 1 {
                    ui.label(
                        RichText::new(section.title.to_uppercase())
                            .size(size::SMALL)
                            .strong()
                            .color(p.accent_text),
                    );
                }
            }
            let prompt = ui.label(RichText::new(item.prompt).text_style(theme::title()));
            let (note, color) = if item.required {
                ("Required", p.warning_text)
            } else {
                ("Optional", p.text_muted)
            };
            ui.label(RichText::new(note).size(size::SMALL).color(color));
            if !item.help.is_empty() {
                ui.label(RichText::new(item.help).italics().color(p.text_muted));
            }
            ui.add_space(space::S);
            if let Some(a) = item_controls_ui(ui, state, index, &item, prompt.id) {
                *command = Some(a);
            }
        });
    message_ui(ui, state);
    ui.add_space(space::S);
    let last = (index + 1..rubric.items.len()).all(|i| !state.attempt.runner.is_visible(i));
    ui.horizontal(|ui| {
        let at_first = state.attempt.runner.at_first();
        if ui
            .add_enabled_ui(!at_first, |ui| quiet_button(ui, "Back", 140.0))
            .inner
            .clicked()
        {
            *command = state.back();
        }
        if primary_button(ui, if last { "Finish" } else { "Next" }, 160.0).clicked() {
            *command = state.next();
        }
    });
    if show_hint {
        ui.label(
            RichText::new(key_hint(&item))
                .size(size::SMALL)
                .color(p.text_muted),
        );
    }
    keys(ui, state, Some((index, &item)), command);
}

fn message_ui(ui: &mut Ui, state: &AnswerState) {
    let Some(message) = &state.message else {
        return;
    };
    let words = match message {
        AnswerNotice::DoesNotFit(e) => format!("That answer does not fit: {e}"),
        AnswerNotice::NeedsAnswer => "This question needs an answer before you go on.".into(),
        AnswerNotice::RequiredMissing => {
            "Some required questions still need an answer; here is the first.".into()
        }
        AnswerNotice::NotACount { min, max } => {
            format!("Enter a whole number from {min} to {max}.")
        }
    };
    let color = theme::palette(ui.ctx()).warning_text;
    ui.label(RichText::new(words).color(color).strong());
}

fn key_hint(item: &Item<'_>) -> &'static str {
    match item.kind {
        ItemKind::Scale { .. } | ItemKind::Single { .. } => {
            "Keys: number keys choose · Enter or Right arrow: next · Left arrow: back · Esc: leave"
        }
        ItemKind::Multi { .. } => {
            "Keys: number keys toggle · Enter or Right arrow: next · Left arrow: back · Esc: leave"
        }
        ItemKind::YesNo { .. } => {
            "Keys: Y yes · N no · Enter or Right arrow: next · Left arrow: back · Esc: leave"
        }
        ItemKind::Count { .. } | ItemKind::Text => "Keys: Tab moves to the field · Esc: leave",
    }
}

fn item_controls_ui(
    ui: &mut Ui,
    state: &mut AnswerState,
    index: usize,
    item: &Item<'_>,
    prompt: egui::Id,
) -> Option<Command> {
    let mut command = None;
    let current = state.attempt.runner.answer_of(index);
    match item.kind {
        ItemKind::Scale {
            min, descriptors, ..
        } => {
            for (i, descriptor) in descriptors.iter().enumerate() {
                let level = min + i as u8;
                if choice_ui(
                    ui,
                    ChoiceKind::One,
                    current == Answer::Level(level),
                    Some(i + 1),
                    descriptor,
                    &format!("{}   {descriptor}", i + 1),
                )
                .clicked()
                {
                    command = state.set(index, Answer::Level(level));
                }
            }
        }
        ItemKind::YesNo { .. } => {
            ui.columns(2, |columns| {
                for (column, (label, yes)) in columns.iter_mut().zip([("Yes", true), ("No", false)])
                {
                    let selected = current == Answer::YesNo(yes);
                    if choice_ui(column, ChoiceKind::One, selected, None, label, label).clicked() {
                        command = state.set(index, Answer::YesNo(yes));
                    }
                }
            });
        }
        ItemKind::Single { options } => {
            for (i, option) in options.iter().enumerate() {
                if choice_ui(
                    ui,
                    ChoiceKind::One,
                    current == Answer::Choice(i as u8),
                    Some(i + 1),
                    option.label,
                    &format!("{}   {}", i + 1, option.label),
                )
                .clicked()
                {
                    command = state.set(index, Answer::Choice(i as u8));
                }
            }
        }
        ItemKind::Multi { options } => {
            let mask = match current {
                Answer::Choices(mask) => mask,
                _ => 0,
            };
            ui.label(
                RichText::new("Choose all that apply.").color(theme::palette(ui.ctx()).text_muted),
            );
            for (i, option) in options.iter().enumerate() {
                let on = mask & (1 << i) != 0;
                let label = format!("{}   {}", i + 1, option.label);
                if choice_ui(ui, ChoiceKind::Many, on, Some(i + 1), option.label, &label).clicked()
                {
                    command = state.set(index, Answer::Choices(mask ^ (1 << i)));
                }
            }
            if current == Answer::Unanswered && big_button(ui, "None of these", 0.0).clicked() {
                command = state.set(index, Answer::Choices(0));
            }
        }
        ItemKind::Count { min, max, unit } => {
            command = count_ui(ui, state, index, (min, max, unit), prompt);
        }
        ItemKind::Text => command = text_ui(ui, state, index, prompt),
    }
    command
}

/// A count: minus and plus buttons around a field for the number.
fn count_ui(
    ui: &mut Ui,
    state: &mut AnswerState,
    index: usize,
    (min, max, unit): (u32, u32, &str),
    prompt: egui::Id,
) -> Option<Command> {
    let mut command = None;
    let current = state.attempt.runner.answer_of(index);
    let value = match current {
        Answer::Count(v) => Some(v),
        _ => None,
    };
    if state.editing.as_ref().map(|(i, _)| *i) != Some(index) {
        state.editing = Some((index, value.map(|v| v.to_string()).unwrap_or_default()));
    }
    ui.horizontal(|ui| {
        if big_button(ui, "- 1", 64.0).clicked() {
            let v = value.unwrap_or(min).saturating_sub(1).max(min);
            state.editing = Some((index, v.to_string()));
            command = state.set(index, Answer::Count(v));
        }
        let label = ui.label("Count");
        let text = state.editing.as_mut().map(|(_, t)| t);
        if let Some(text) = text {
            let response = ui
                .add(
                    TextEdit::singleline(text)
                        .desired_width(120.0)
                        .font(egui::TextStyle::Heading),
                )
                .labelled_by(label.id)
                .labelled_by(prompt);
            if response.changed() {
                let typed = text.trim().to_string();
                match typed.parse::<u32>() {
                    Ok(v) if (min..=max).contains(&v) => {
                        command = state.set(index, Answer::Count(v))
                    }
                    _ if typed.is_empty() => command = state.set(index, Answer::Unanswered),
                    _ => state.message = Some(AnswerNotice::NotACount { min, max }),
                }
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                command = state.next();
            }
        }
        if big_button(ui, "+ 1", 64.0).clicked() {
            let v = value.map_or(min, |v| v.saturating_add(1)).min(max);
            state.editing = Some((index, v.to_string()));
            command = state.set(index, Answer::Count(v));
        }
        ui.label(unit);
    });
    ui.label(RichText::new(format!("From {min} to {max}.")).weak());
    command
}

/// A free text, kept as it is typed.
fn text_ui(
    ui: &mut Ui,
    state: &mut AnswerState,
    index: usize,
    prompt: egui::Id,
) -> Option<Command> {
    let mut command = None;
    if state.editing.as_ref().map(|(i, _)| *i) != Some(index) {
        state.editing = Some((index, state.attempt.text(index).to_string()));
    }
    if let Some((_, text)) = state.editing.as_mut() {
        let response = ui.add(
            TextEdit::multiline(text)
                .hint_text("Optional: type here")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
        let response = response.labelled_by(prompt);
        if response.changed() {
            let typed = text.clone();
            if let Err(e) = state.attempt.set_text(index, typed) {
                state.message = Some(AnswerNotice::DoesNotFit(e));
            }
        }
        if response.lost_focus() {
            command = Some(Command::SaveProgress);
        }
    }
    command
}

/// Keyboard: digits choose, Y/N answer, arrows and Enter move, Escape asks to leave.
fn keys(
    ui: &mut Ui,
    state: &mut AnswerState,
    item: Option<(usize, &Item<'_>)>,
    command: &mut Option<Command>,
) {
    if state.confirm_leave {
        return;
    }
    if ui.input(|i| i.key_pressed(Key::Escape)) {
        state.confirm_leave = true;
        return;
    }
    if ui.ctx().egui_wants_keyboard_input() {
        return; // typing into a field
    }
    const DIGITS: [Key; 9] = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    let pressed = |key: Key| ui.input(|i| i.key_pressed(key));
    if let Some((index, item)) = item {
        let digit = DIGITS.iter().position(|k| pressed(*k));
        let current = state.attempt.runner.answer_of(index);
        let chosen = match item.kind {
            ItemKind::Scale { min, max, .. } => digit
                .filter(|&d| usize::from(max - min) >= d)
                .map(|d| Answer::Level(min + d as u8)),
            ItemKind::Single { options } => digit
                .filter(|&d| d < options.len())
                .map(|d| Answer::Choice(d as u8)),
            ItemKind::Multi { options } => digit.filter(|&d| d < options.len()).map(|d| {
                let mask = if let Answer::Choices(m) = current {
                    m
                } else {
                    0
                };
                Answer::Choices(mask ^ (1 << d))
            }),
            ItemKind::YesNo { .. } if pressed(Key::Y) => Some(Answer::YesNo(true)),
            ItemKind::YesNo { .. } if pressed(Key::N) => Some(Answer::YesNo(false)),
            ItemKind::YesNo { .. } => None,
            // Typed into their fields: no key chooses an answer.
            ItemKind::Count { .. } | ItemKind::Text => None,
        };
        if let Some(answer) = chosen {
            *command = state.set(index, answer);
        }
    }
    if pressed(Key::ArrowRight) || pressed(Key::Enter) {
        *command = if item.is_some() {
            state.next()
        } else {
            state.finish()
        };
    } else if pressed(Key::ArrowLeft) {
        *command = state.back();
    }
}

fn leave_dialog(ui: &mut Ui, state: &mut AnswerState, command: &mut Option<Command>) {
    if !state.confirm_leave {
        return;
    }
    let modal = egui::Modal::new(egui::Id::unique("leave-attempt")).show(ui.ctx(), |ui| {
        ui.set_max_width(460.0);
        ui.heading("Leave this assessment?");
        ui.label(if state.memory_only {
            "Your answers so far will be discarded; nothing of them is kept."
        } else {
            "Your answers so far are kept on this machine. You can resume from the home screen."
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if quiet_button(ui, "Keep answering", 0.0).clicked() {
                state.confirm_leave = false;
            }
            let leave = if state.memory_only {
                "Leave and discard my answers"
            } else {
                "Leave and keep my answers"
            };
            if primary_button(ui, leave, 0.0).clicked() {
                state.confirm_leave = false;
                *command = Some(Command::Leave);
            }
        });
    });
    if modal.should_close() {
        state.confirm_leave = false;
    }
}
