//! Commands: what a person asked a screen for, carried out by the app shell.
//!
//! Every command type lives here, below the screens that return them, so a
//! screen depends on this file and never the other way round. The types
//! carry plain data only (paths, ids, text); nothing here draws or stores.

use std::path::PathBuf;

use super::theme::Theme;
use crate::library::Consent;
use crate::workshop::SessionId;

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

/// A step on the USB screen or in the trust settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsbCommand {
    /// Show (or hide) the preview of the bundle at this path.
    Preview(PathBuf),
    /// Import the bundle at this path, with what the person agreed to.
    Import {
        /// The bundle on the drive.
        path: PathBuf,
        /// What was agreed to.
        consent: Consent,
    },
    /// Answer "no" to the question an import asked.
    CancelImport,
    /// Trust the public key file at this path.
    TrustKey(PathBuf),
    /// Stop trusting the key with this id.
    Untrust(String),
    /// Require trusted signatures in every mode, or not.
    SetPolicy(bool),
    /// The facilitator PIN field changed.
    Pin(String),
}

/// What a workshop screen asks for.
#[derive(Debug)]
pub enum WorkshopCommand {
    /// Welcome tapped: ask for an alias.
    Begin,
    /// Export the session in the facilitator view.
    Export(ExportTarget),
    /// Save the participant's printable page to the drive at this root.
    SavePage(PathBuf),
    /// Start the first rubric, with the alias if one was given.
    StartAnswering(Option<String>),
    /// Score, save and go on from the current rubric.
    FinishRubric,
    /// Start the session's next rubric.
    NextRubric,
    /// Clear the participant and return to the welcome screen.
    Finish,
    /// Start a peer round about the result shown.
    StartPeerRound,
    /// Save the peer round's outcome from these dimension ids.
    EndPeerRound(Vec<String>),
    /// Back from the peer round to the result, saving nothing.
    CancelPeerRound,
    /// Show the PIN keypad for this purpose.
    AskPin(PinPurpose),
    /// Check (or set) the PIN typed on the keypad.
    SubmitPin,
    /// Leave the keypad.
    CancelPin,
    /// Create a session from the setup screen.
    CreateSession,
    /// Use an existing open session.
    UseSession(SessionId),
    /// Show the setup screen.
    Setup,
    /// Reveal the group results.
    Reveal,
    /// Close the session.
    CloseSession,
    /// Open or close the projector window.
    Projector(bool),
    /// Return the kiosk to participants.
    ToParticipants,
    /// Leave workshop mode.
    Leave,
    /// The idle timeout ran out.
    TimedOut,
    /// Start serving the session to phones.
    LetPhonesJoin,
    /// Let new phones join (true) or stop them (false).
    PhoneJoining(bool),
    /// Stop serving phones.
    StopPhones,
    /// A phone's result was saved: count the group figures again.
    PhoneNews,
    /// A step of the session plan the facilitator follows.
    Plan(PlanCommand),
}

/// What the facilitator does with the session plan's steps and timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanCommand {
    /// Go to the plan's next step.
    NextStep,
    /// Go back to the previous step.
    PreviousStep,
    /// Start (or resume) the step timer.
    StartTimer,
    /// Pause the step timer.
    PauseTimer,
    /// Give the step five more minutes.
    AddFiveMinutes,
}

/// Where an export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportTarget {
    /// A USB drive: its export folder.
    Drive {
        /// Where it is mounted.
        root: PathBuf,
        /// Its name for people.
        name: String,
    },
    /// A folder on this machine.
    Folder(PathBuf),
}

/// What the PIN opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinPurpose {
    /// The facilitator view (and session setup, and settings).
    Facilitator,
    /// Leaving workshop mode.
    Leave,
}
