//! Where the person is: the screen the shell shows, with its state.

use super::answer_ui::AnswerState;
use super::history_ui::HistoryState;
use super::result_ui::ResultState;
use super::workshop::WorkshopState;

/// Where the person is.
#[derive(Debug)]
pub enum Screen {
    /// The list of rubrics.
    Home,
    /// Before starting a rubric (index in the library).
    Intro(usize),
    /// Answering.
    Answer(Box<AnswerState>),
    /// A result (saved or not).
    Result(Box<ResultState>),
    /// Past results.
    History(Box<HistoryState>),
    /// Settings.
    Settings {
        /// Asking to confirm "delete all my data".
        confirm_delete: bool,
    },
    /// Rubric bundles on USB drives: preview and import.
    Media,
    /// Workshop mode: participants take turns; a facilitator behind a PIN.
    Workshop(Box<WorkshopState>),
}
