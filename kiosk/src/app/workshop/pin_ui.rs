//! The facilitator PIN keypad: set the PIN on first use (twice), check it
//! later under the lockout of [`crate::workshop::FacilitatorPin`]. Works by
//! touch alone (an on-screen keypad) and by keyboard.

use std::time::Duration;

use egui::{Key, RichText, Ui};

use crate::app::command::{Command, PinPurpose, WorkshopCommand};
use crate::app::theme::{self, space, TOUCH};
use crate::app::widgets::{big_button, primary_button, quiet_button, reading_column};
use crate::workshop::PinError;

/// Longest PIN the keypad takes.
const MAX_DIGITS: usize = 12;

/// Width of one keypad key.
const KEY_WIDTH: f32 = TOUCH * 2.0;

/// Setting a new PIN or checking the one set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinMode {
    /// No PIN yet: enter one, then the same again.
    Set {
        /// The first entry, once made.
        first: Option<String>,
    },
    /// Check the PIN.
    Verify,
}

/// State of the keypad.
#[derive(Debug)]
pub struct PinState {
    /// What the PIN opens.
    pub purpose: PinPurpose,
    /// Setting or checking.
    pub mode: PinMode,
    /// Digits typed so far (shown only as dots).
    pub(crate) digits: String,
    /// What went wrong last.
    pub(crate) message: Option<PinError>,
    /// Unix seconds until which no PIN is checked.
    pub(crate) locked_until: Option<i64>,
}

impl PinState {
    /// A keypad for `purpose`; `set` says whether a PIN exists already.
    pub fn new(purpose: PinPurpose, set: bool) -> Self {
        PinState {
            purpose,
            mode: if set {
                PinMode::Verify
            } else {
                PinMode::Set { first: None }
            },
            digits: String::new(),
            message: None,
            locked_until: None,
        }
    }

    fn push(&mut self, digit: char) {
        if self.digits.len() < MAX_DIGITS {
            self.digits.push(digit);
        }
    }
}

/// Draws the keypad. `now` is Unix seconds on the workshop clock.
pub fn pin_ui(ui: &mut Ui, state: &mut PinState, now: i64) -> Option<Command> {
    let mut command = None;
    let p = theme::palette(ui.ctx());
    let locked_for = state
        .locked_until
        .map(|until| until - now)
        .filter(|s| *s > 0);
    if locked_for.is_none() {
        state.locked_until = None;
    } else {
        // A visible countdown: once a second, and only while it shows.
        ui.ctx().request_repaint_after(Duration::from_secs(1));
    }
    reading_column(ui, |ui| {
        ui.add_space(space::XL);
        let title = match (&state.mode, state.purpose) {
            (PinMode::Set { first: None }, _) => "Set a facilitator PIN",
            (PinMode::Set { first: Some(_) }, _) => "Enter the same PIN again",
            (PinMode::Verify, PinPurpose::Leave) => "Facilitator PIN to leave workshop mode",
            (PinMode::Verify, PinPurpose::Facilitator) => "Facilitator PIN",
        };
        ui.label(RichText::new(title).text_style(theme::display()).strong());
        if matches!(state.mode, PinMode::Set { first: None }) {
            ui.label("At least 4 digits. It protects the facilitator view, the settings and leaving workshop mode.");
        }
        ui.add_space(space::M);
        dots_ui(ui, state.digits.len());
        if let Some(seconds) = locked_for {
            ui.label(
                RichText::new(format!("Too many wrong PINs: locked for {seconds} s"))
                    .strong()
                    .color(p.warning_text),
            );
        } else if let Some(message) = &state.message {
            ui.label(
                RichText::new(message.to_string())
                    .strong()
                    .color(p.warning_text),
            );
        }
        ui.add_space(space::M);
        ui.add_enabled_ui(locked_for.is_none(), |ui| {
            keypad_ui(ui, state, &mut command);
        });
        ui.add_space(space::M);
        if quiet_button(ui, "Cancel", KEY_WIDTH).clicked() {
            command = Some(Command::Workshop(WorkshopCommand::CancelPin));
        }
    });
    if locked_for.is_none() && command.is_none() {
        keys(ui, state, &mut command);
    }
    command
}

/// One dot per digit typed (painted: no font is needed for them), or an
/// empty outline while nothing is typed.
fn dots_ui(ui: &mut Ui, count: usize) {
    let p = theme::palette(ui.ctx());
    let dot = space::M;
    let width = (count.max(1) as f32) * (dot + space::S);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, TOUCH), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{count} digits entered"))
    });
    let center = |i: usize| {
        egui::pos2(
            rect.left() + dot / 2.0 + i as f32 * (dot + space::S),
            rect.center().y,
        )
    };
    if count == 0 {
        let stroke = egui::Stroke::new(theme::current(ui.ctx()).outline(), p.border);
        ui.painter().circle_stroke(center(0), dot / 2.0, stroke);
    }
    for i in 0..count {
        ui.painter().circle_filled(center(i), dot / 2.0, p.text);
    }
}

fn keypad_ui(ui: &mut Ui, state: &mut PinState, command: &mut Option<Command>) {
    let rows: [[&str; 3]; 4] = [
        ["1", "2", "3"],
        ["4", "5", "6"],
        ["7", "8", "9"],
        ["Delete", "0", "OK"],
    ];
    egui::Grid::new("pin-keypad")
        .spacing([space::S, space::S])
        .show(ui, |ui| {
            for row in rows {
                for key in row {
                    let clicked = if key == "OK" {
                        primary_button(ui, key, KEY_WIDTH).clicked()
                    } else {
                        big_button(ui, key, KEY_WIDTH).clicked()
                    };
                    if clicked {
                        match key {
                            "Delete" => {
                                state.digits.pop();
                            }
                            "OK" => *command = Some(Command::Workshop(WorkshopCommand::SubmitPin)),
                            digit => state.push(digit.chars().next().unwrap_or('0')),
                        }
                    }
                }
                ui.end_row();
            }
        });
}

/// Digits, Backspace and Enter from a keyboard.
fn keys(ui: &mut Ui, state: &mut PinState, command: &mut Option<Command>) {
    let (typed, delete, enter) = ui.input(|i| {
        let typed: String = i
            .events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .flat_map(|t| t.chars())
            .filter(char::is_ascii_digit)
            .collect();
        (
            typed,
            i.key_pressed(Key::Backspace),
            i.key_pressed(Key::Enter),
        )
    });
    for digit in typed.chars() {
        state.push(digit);
    }
    if delete {
        state.digits.pop();
    }
    if enter {
        *command = Some(Command::Workshop(WorkshopCommand::SubmitPin));
    }
}
