//! Commands: what a person asked a screen for, carried out by the app shell.

use super::media_ui::UsbCommand;
use super::theme::Theme;
use super::workshop::WorkshopCommand;

/// What a screen asks the app shell to do. Screens return one; the shell
/// applies it in one place, so storage is never touched while drawing.
#[derive(Debug)]
#[must_use = "a screen's command does nothing until the shell applies it"]
pub enum Command {
    /// Show the home screen.
    Home,
    /// Show the introduction of a rubric.
    Open(usize),
    /// Start a fresh attempt.
    Start(usize),
    /// Resume the stored attempt.
    Resume,
    /// Forget the stored attempt.
    DiscardResume,
    /// The answers changed or the cursor moved: save progress.
    SaveProgress,
    /// Leave the attempt (progress is kept).
    Leave,
    /// Score, store and show the result.
    Finish,
    /// Try again to store a result that could not be stored.
    RetrySave,
    /// Show history (optionally of one rubric).
    History(Option<String>),
    /// Show an attempt of the history screen (index into its rows) on the
    /// result screen, with its own rubric version's questions.
    OpenResult(usize),
    /// Show settings.
    Settings,
    /// Show the USB screen: bundles on drives, preview and import.
    Media,
    /// A step on the USB screen or in the trust settings.
    Usb(UsbCommand),
    /// Change the theme.
    SetTheme(Theme),
    /// Change the zoom.
    SetZoom(f32),
    /// Change how long a workshop participant's screen waits before
    /// asking "Still there?", in seconds.
    SetIdleTimeout(u64),
    /// Ask to confirm deleting everything.
    AskDeleteAll(bool),
    /// Delete every stored result, progress and setting.
    DeleteAll,
    /// Enter workshop mode (the facilitator PIN comes first).
    StartWorkshop,
    /// A step inside workshop mode.
    Workshop(WorkshopCommand),
}
