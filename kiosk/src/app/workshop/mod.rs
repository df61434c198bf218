//! Workshop mode: a locked kiosk that participants take turns at, a
//! facilitator behind a PIN, and a projector window of group figures.
//!
//! [`WorkshopState`] holds everything of the mode; its [`Stage`] says which
//! screen shows. Screens return [`Command::Workshop`]; the app shell hands
//! those to [`WorkshopState::apply`], the one place that touches the store.
//!
//! Anonymity: a participant's answers and result live in [`Participant`],
//! in memory only, and "Finish" (or the idle timeout) drops it; nothing
//! leads back to it. Group screens see only
//! [`SessionAggregates`], whose figures obey the minimum group rule.

mod export_ui;
mod facilitator_ui;
mod participant_ui;
mod peer_round_ui;
mod phones;
mod pin_ui;
mod projector_window;
pub(crate) mod qr;
mod session_setup_ui;
mod welcome_ui;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::Ui;

use super::answer_ui::{answer_ui, AnswerState};
use super::command::{Command, ExportTarget, PinPurpose, WorkshopCommand};
use super::theme::Theme;
use super::widgets::banner_ui;
use crate::attempt::{Attempt, Completed};
use crate::library::Loaded;
use crate::store::{now_unix, ResultsStore};
use crate::workshop::{
    session_aggregates, FacilitatorPin, NewWorkshopResult, PeerRoundOutcome, PinError, ResultId,
    Session, SessionAggregates, SessionConfig, SessionDate,
};
pub use facilitator_ui::FacilitatorState;
pub use peer_round_ui::PeerRoundState;
pub use phones::PhonesView;
pub use pin_ui::{PinMode, PinState};
pub use projector_window::projector_window_ui;
pub(crate) use projector_window::Projector;
pub use qr::result_summary;
pub use session_setup_ui::SetupState;

/// Without input for this long, a participant's screen asks "Still there?"
/// (the default; Settings changes it within [`IDLE_RANGE`]).
pub const IDLE_AFTER: Duration = Duration::from_secs(90);

/// The idle timeouts Settings offers, in seconds, and its step.
pub const IDLE_RANGE: std::ops::RangeInclusive<u64> = 30..=600;
/// The step of the idle timeout in Settings, in seconds.
pub const IDLE_STEP: u64 = 30;

/// `seconds` as an idle timeout: in [`IDLE_RANGE`], else the nearest end.
pub fn idle_timeout(seconds: u64) -> Duration {
    Duration::from_secs(seconds.clamp(*IDLE_RANGE.start(), *IDLE_RANGE.end()))
}

/// How long "Still there?" shows before the attempt is discarded.
pub const COUNTDOWN: Duration = Duration::from_secs(15);

/// The mode's clock: the real one, moved on by [`Clock::advance`] in tests,
/// so idle timeouts and PIN lockouts are tested without waiting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    /// Now, on this clock.
    pub fn now(&self) -> Instant {
        Instant::now() + self.offset
    }

    /// Now in Unix seconds, on this clock.
    pub fn unix(&self) -> i64 {
        now_unix().saturating_add(i64::try_from(self.offset.as_secs()).unwrap_or(i64::MAX))
    }

    /// Moves this clock on by `by` (for tests).
    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}

/// Which workshop screen shows.
#[derive(Debug)]
pub enum Stage {
    /// "Tap or press any key to start".
    Welcome,
    /// An optional alias, before the first rubric.
    Alias(String),
    /// Answering the participant's current rubric.
    Answer,
    /// The participant's own result of the rubric just finished.
    OwnResult,
    /// The session does not show results: a thank-you and "Finish".
    Thanks,
    /// Peers pick the strongest argument against the participant's case.
    PeerRound(PeerRoundState),
    /// The facilitator PIN, set or checked.
    Pin(PinState),
    /// Creating or choosing a session.
    Setup(SetupState),
    /// The facilitator's view of the session.
    Facilitator(FacilitatorState),
}

impl Stage {
    /// Whether a participant is at the kiosk (the idle timeout applies).
    pub fn is_participant(&self) -> bool {
        matches!(
            self,
            Stage::Alias(_)
                | Stage::Answer
                | Stage::OwnResult
                | Stage::Thanks
                | Stage::PeerRound(_)
        )
    }
}

/// The participant at the kiosk now; in memory only, dropped at "Finish".
#[derive(Debug)]
pub struct Participant {
    alias: Option<String>,
    /// Index in the session's rubrics of the one being answered or shown.
    rubric: usize,
    answer: Option<AnswerState>,
    last: Option<OwnResult>,
}

/// A result the participant just made, saved.
#[derive(Debug)]
struct OwnResult {
    completed: Completed,
    id: ResultId,
    peer_round: Option<PeerRoundOutcome>,
    /// The printable page saved to a drive (its file), or why not.
    page: Option<Result<PathBuf, String>>,
}

/// A USB drive a participant can save their printable page to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDrive {
    /// Where it is mounted.
    pub root: PathBuf,
    /// Its name for people.
    pub name: String,
}

/// Everything of workshop mode.
#[derive(Debug)]
pub struct WorkshopState {
    /// The current screen.
    pub stage: Stage,
    /// The session participants take.
    session: Option<Session>,
    participant: Option<Participant>,
    /// The mode's clock (public so tests can move it on).
    pub clock: Clock,
    last_input: Instant,
    /// Without input for this long, "Still there?" shows.
    idle_after: Duration,
    problem: Option<String>,
    projector: Option<Projector>,
    /// USB drives plugged in now, for pages and exports.
    pub(crate) drives: Vec<PageDrive>,
    /// The folder the facilitator's export offers first.
    pub(crate) export_folder: PathBuf,
    /// The window was made fullscreen and borderless.
    pub(crate) window_locked: bool,
    /// Set when leaving: the shell restores the window and goes home.
    pub(crate) left: bool,
    /// The phone server, while phones may use the session.
    phones: Option<phones::Phones>,
    /// Where the phone server listens.
    listen: std::net::SocketAddr,
    /// The app's context, for the phone server to wake the UI.
    ctx: Option<egui::Context>,
}

impl WorkshopState {
    /// Workshop mode, starting at the facilitator PIN (set it when
    /// `pin_set` is false), asking "Still there?" after `idle_after`.
    pub fn new(pin_set: bool, idle_after: Duration) -> Self {
        let clock = Clock::default();
        WorkshopState {
            stage: Stage::Pin(PinState::new(PinPurpose::Facilitator, pin_set)),
            session: None,
            participant: None,
            clock,
            last_input: clock.now(),
            idle_after,
            problem: None,
            projector: None,
            drives: Vec::new(),
            export_folder: PathBuf::new(),
            window_locked: false,
            left: false,
            phones: None,
            listen: std::net::SocketAddr::from(([0, 0, 0, 0], crate::serve::DEFAULT_PORT)),
            ctx: None,
        }
    }

    /// Where the phone server listens when the facilitator lets phones join.
    pub fn set_listen(&mut self, listen: std::net::SocketAddr) {
        self.listen = listen;
    }

    /// What the phone server shows, while it runs.
    pub fn phones(&self) -> Option<&PhonesView> {
        self.phones.as_ref().map(|p| &p.view)
    }

    /// The session participants take, once chosen.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Whether a participant's data is held (for tests: none after Finish).
    pub fn has_participant(&self) -> bool {
        self.participant.is_some()
    }

    /// Whether the projector window is open.
    pub fn projector_open(&self) -> bool {
        self.projector.is_some()
    }

    /// Draws the projector window, if it is open (called every frame of
    /// the main window, so the window stays; it repaints only when asked).
    pub(crate) fn projector_ui(&mut self, ctx: &egui::Context, theme: Theme) {
        let closed = self.projector.as_ref().is_some_and(|p| p.show(ctx, theme));
        if closed {
            self.projector = None;
        }
    }

    fn set_stage(&mut self, stage: Stage) {
        if stage.is_participant() && !self.stage.is_participant() {
            self.last_input = self.clock.now();
        }
        self.stage = stage;
    }

    fn back_to_welcome(&mut self) {
        self.participant = None;
        self.stage = Stage::Welcome;
    }

    /// Carries out a workshop command; the only place that touches the store.
    pub fn apply(&mut self, command: WorkshopCommand, store: &ResultsStore, library: &Loaded) {
        self.problem = None;
        match command {
            WorkshopCommand::Begin => self.set_stage(Stage::Alias(String::new())),
            WorkshopCommand::StartAnswering(alias) => {
                let alias = alias
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty());
                self.participant = Some(Participant {
                    alias,
                    rubric: 0,
                    answer: None,
                    last: None,
                });
                self.start_rubric(library);
            }
            WorkshopCommand::NextRubric => {
                if let Some(participant) = &mut self.participant {
                    participant.rubric += 1;
                    participant.last = None;
                }
                self.start_rubric(library);
            }
            WorkshopCommand::FinishRubric => self.finish_rubric(store, library),
            WorkshopCommand::Finish | WorkshopCommand::TimedOut => self.back_to_welcome(),
            WorkshopCommand::StartPeerRound => {
                let dims = self
                    .participant
                    .as_ref()
                    .and_then(|p| p.last.as_ref())
                    .map(|last| &last.completed.rubric.dimensions);
                if let Some(dims) = dims {
                    let dims = dims.iter().map(|d| (d.id.to_string(), d.title.to_string()));
                    self.set_stage(Stage::PeerRound(PeerRoundState::new(dims.collect())));
                }
            }
            WorkshopCommand::EndPeerRound(picks) => self.end_peer_round(&picks, store),
            WorkshopCommand::Export(target) => self.export(target, store, library),
            WorkshopCommand::SavePage(root) => {
                if let Some(last) = self.participant.as_mut().and_then(|p| p.last.as_mut()) {
                    let saved = crate::workshop::summary::save_participant_summary(
                        &root,
                        &last.completed.report,
                        &last.completed.rubric,
                    );
                    last.page = Some(saved.map_err(page_error));
                }
            }
            WorkshopCommand::CancelPeerRound => self.stage = Stage::OwnResult,
            WorkshopCommand::AskPin(purpose) => {
                let pin = FacilitatorPin::new(store);
                let set = pin.is_set().unwrap_or(true);
                let mut state = PinState::new(purpose, set);
                if let Ok(Some(secs)) = pin.locked_for(self.clock.unix()) {
                    state.locked_until = Some(self.clock.unix() + secs);
                }
                self.stage = Stage::Pin(state);
            }
            WorkshopCommand::SubmitPin => self.submit_pin(store, library),
            WorkshopCommand::CancelPin => {
                if self.session.is_some() {
                    self.back_to_welcome();
                } else {
                    // Nothing to protect yet: no session, no participant.
                    self.left = true;
                }
            }
            WorkshopCommand::Setup => {
                self.stage = Stage::Setup(SetupState::load(store));
            }
            WorkshopCommand::CreateSession => self.create_session(store, library),
            WorkshopCommand::UseSession(id) => match store.session(id) {
                Ok(session) => {
                    if self.phones.as_ref().is_some_and(|p| p.session() != id) {
                        self.stop_phones();
                    }
                    self.session = Some(session);
                    self.open_facilitator(store, library);
                }
                Err(e) => self.problem = Some(e.to_string()),
            },
            WorkshopCommand::Reveal => {
                if let Some(session) = &self.session {
                    if let Err(e) = store.set_revealed(session.id, true) {
                        self.problem = Some(e.to_string());
                    }
                }
                self.refresh_session(store, library);
                self.open_facilitator(store, library);
            }
            WorkshopCommand::CloseSession => {
                self.stop_phones();
                if let Some(session) = &self.session {
                    if let Err(e) = store.close_session(session.id) {
                        self.problem = Some(e.to_string());
                    }
                }
                self.refresh_session(store, library);
                self.open_facilitator(store, library);
            }
            WorkshopCommand::Projector(open) => {
                self.projector = None;
                if open {
                    let projector = Projector::new();
                    projector.update_phones(self.phones().cloned());
                    if let Stage::Facilitator(f) = &self.stage {
                        if let Ok(aggregates) = &f.aggregates {
                            projector.update(aggregates.clone());
                        }
                    }
                    self.projector = Some(projector);
                }
            }
            WorkshopCommand::ToParticipants => {
                if self.session.as_ref().is_some_and(|s| !s.closed) {
                    self.back_to_welcome();
                } else {
                    self.problem = Some("Choose or create an open session first.".into());
                }
            }
            WorkshopCommand::LetPhonesJoin => self.let_phones_join(store, library),
            WorkshopCommand::PhoneJoining(open) => {
                if let Some(phones) = &mut self.phones {
                    if let Err(e) = phones.set_joining(open) {
                        self.problem = Some(e);
                    }
                }
                self.show_phones();
            }
            WorkshopCommand::StopPhones => self.stop_phones(),
            WorkshopCommand::PhoneNews => {
                self.projector_refresh(store, library);
                if matches!(self.stage, Stage::Facilitator(_)) {
                    if let Some(aggregates) = self.aggregates(store, library) {
                        if let Stage::Facilitator(f) = &mut self.stage {
                            f.aggregates = aggregates;
                        }
                    }
                }
            }
            WorkshopCommand::Leave => {
                self.stop_phones();
                self.participant = None;
                self.projector = None;
                self.left = true;
            }
        }
    }

    /// Starts serving the session to phones (once; a second start is a no-op).
    fn let_phones_join(&mut self, store: &ResultsStore, library: &Loaded) {
        let Some(session) = self.session.as_ref().filter(|s| !s.closed) else {
            self.problem = Some("Choose or create an open session first.".into());
            return;
        };
        if self
            .phones
            .as_ref()
            .is_some_and(|p| p.session() == session.id)
        {
            return;
        }
        self.phones = None;
        let ctx = self.ctx.clone().unwrap_or_default();
        match phones::Phones::start(store.path(), library, session.id, self.listen, ctx) {
            Ok(phones) => self.phones = Some(phones),
            Err(e) => {
                log::error!("the phone server did not start: {e}");
                self.problem = Some(format!("Phones cannot join: {e}"));
            }
        }
        self.show_phones();
    }

    /// Stops the phone server (the session's answers stay in the store).
    fn stop_phones(&mut self) {
        self.phones = None;
        self.show_phones();
    }

    /// Gives the projector the phone server's address and counts.
    fn show_phones(&self) {
        if let Some(projector) = &self.projector {
            projector.update_phones(self.phones().cloned());
        }
    }

    /// Starts the participant's current rubric, or thanks them after the last.
    fn start_rubric(&mut self, library: &Loaded) {
        let (Some(session), Some(participant)) = (&self.session, &mut self.participant) else {
            self.back_to_welcome();
            return;
        };
        let rubric = session
            .rubric_ids
            .get(participant.rubric)
            .and_then(|id| library.bundle.rubric(id));
        match rubric {
            Some(rubric) => {
                let attempt = Attempt::start(rubric, library.hash_for(rubric.id));
                participant.answer = Some(AnswerState::memory_only(attempt));
                self.set_stage(Stage::Answer);
            }
            None => {
                participant.answer = None;
                self.set_stage(Stage::Thanks);
            }
        }
    }

    /// Scores and saves the current rubric durably, then shows the result
    /// (if the session allows it) or goes on.
    fn finish_rubric(&mut self, store: &ResultsStore, library: &Loaded) {
        let (Some(session), Some(participant)) = (&self.session, &mut self.participant) else {
            return;
        };
        let Some(answer) = &participant.answer else {
            return;
        };
        let completed = answer.attempt.complete();
        let saved = completed
            .encoded()
            .map_err(|e| e.to_string())
            .and_then(|encoded| {
                let row = NewWorkshopResult::from_completed(
                    &completed,
                    &encoded,
                    session.id,
                    participant.alias.as_deref(),
                );
                store.save_workshop_result(&row).map_err(|e| e.to_string())
            });
        match saved {
            Ok(id) => {
                participant.answer = None;
                let show = session.show_own_result;
                participant.last = Some(OwnResult {
                    completed,
                    id,
                    peer_round: None,
                    page: None,
                });
                self.projector_refresh(store, library);
                if show {
                    self.set_stage(Stage::OwnResult);
                } else {
                    self.apply(WorkshopCommand::NextRubric, store, library);
                }
            }
            Err(e) => {
                log::error!("workshop result not saved: {e}");
                self.problem = Some(format!(
                    "Your result could not be saved: {e}. Press Finish to try again, or ask the facilitator."
                ));
            }
        }
    }

    fn end_peer_round(&mut self, picks: &[String], store: &ResultsStore) {
        let Some(last) = self.participant.as_mut().and_then(|p| p.last.as_mut()) else {
            return;
        };
        match PeerRoundOutcome::from_picks(picks) {
            Ok(outcome) => match store.save_peer_round(last.id, &outcome) {
                Ok(()) => last.peer_round = Some(outcome),
                Err(e) => self.problem = Some(format!("The peer round could not be saved: {e}")),
            },
            Err(e) => self.problem = Some(e.to_string()),
        }
        self.stage = Stage::OwnResult;
    }

    fn submit_pin(&mut self, store: &ResultsStore, library: &Loaded) {
        let now = self.clock.unix();
        let Stage::Pin(state) = &mut self.stage else {
            return;
        };
        let pin = FacilitatorPin::new(store);
        let typed = std::mem::take(&mut state.digits);
        let checked = match &mut state.mode {
            PinMode::Set { first: None } => {
                if typed.len() < crate::workshop::pin::MIN_PIN_DIGITS {
                    state.message = Some(
                        PinError::TooShort {
                            min: crate::workshop::pin::MIN_PIN_DIGITS,
                        }
                        .to_string(),
                    );
                } else {
                    state.mode = PinMode::Set { first: Some(typed) };
                    state.message = None;
                }
                return;
            }
            PinMode::Set { first: Some(first) } => {
                let result = pin.set_pin(first, &typed);
                if result.is_err() {
                    state.mode = PinMode::Set { first: None };
                }
                result
            }
            PinMode::Verify => pin.verify(&typed, now),
        };
        match checked {
            Ok(()) => match state.purpose {
                PinPurpose::Facilitator => self.open_facilitator(store, library),
                PinPurpose::Leave => self.apply(WorkshopCommand::Leave, store, library),
            },
            Err(PinError::LockedOut { seconds_left }) => {
                state.locked_until = Some(now + seconds_left);
                state.message = None;
            }
            Err(e) => state.message = Some(e.to_string()),
        }
    }

    fn create_session(&mut self, store: &ResultsStore, library: &Loaded) {
        let Stage::Setup(setup) = &mut self.stage else {
            return;
        };
        let config = SessionConfig {
            name: setup.name.clone(),
            rubric_ids: setup.chosen.clone(),
            min_group: setup.min_group,
            show_own_result: setup.show_own_result,
            hide_until_revealed: setup.hide_until_revealed,
        };
        let created = config
            .validate(&library.bundle)
            .map_err(|e| e.to_string())
            .and_then(|valid| {
                store
                    .create_session(&valid, SessionDate::from_unix(self.clock.unix()))
                    .map_err(|e| e.to_string())
            });
        match created {
            Ok(session) => {
                // Phones of another session stop being served.
                self.stop_phones();
                self.session = Some(session);
                self.open_facilitator(store, library);
            }
            Err(e) => setup.error = Some(e),
        }
    }

    fn refresh_session(&mut self, store: &ResultsStore, _library: &Loaded) {
        if let Some(session) = &self.session {
            match store.session(session.id) {
                Ok(fresh) => self.session = Some(fresh),
                Err(e) => self.problem = Some(e.to_string()),
            }
        }
    }

    fn aggregates(
        &self,
        store: &ResultsStore,
        library: &Loaded,
    ) -> Option<Result<SessionAggregates, String>> {
        let session = self.session.as_ref()?;
        Some(session_aggregates(store, session, &library.bundle).map_err(|e| e.to_string()))
    }

    /// The facilitator view of the session, or the setup screen without one.
    fn open_facilitator(&mut self, store: &ResultsStore, library: &Loaded) {
        self.participant = None;
        match (&self.session, self.aggregates(store, library)) {
            (Some(session), Some(aggregates)) => {
                if let (Some(projector), Ok(aggregates)) = (&self.projector, &aggregates) {
                    projector.update(aggregates.clone());
                }
                self.stage = Stage::Facilitator(FacilitatorState {
                    session: session.clone(),
                    aggregates,
                    export: export_ui::ExportState {
                        folder: self.export_folder.display().to_string(),
                        ..export_ui::ExportState::default()
                    },
                });
            }
            _ => self.stage = Stage::Setup(SetupState::load(store)),
        }
    }

    /// New figures for the projector after a result was saved.
    fn projector_refresh(&mut self, store: &ResultsStore, library: &Loaded) {
        if self.projector.is_none() {
            return;
        }
        if let Some(Ok(aggregates)) = self.aggregates(store, library) {
            if let Some(projector) = &self.projector {
                projector.update(aggregates);
            }
        }
    }
}

/// Draws the workshop screen of the current stage.
pub(crate) fn workshop_ui(
    ui: &mut Ui,
    state: &mut WorkshopState,
    library: &Loaded,
    theme: Theme,
) -> Option<Command> {
    if state.ctx.is_none() {
        state.ctx = Some(ui.ctx().clone());
    }
    if let Some(problem) = &state.problem {
        banner_ui(ui, problem, true);
    }
    let idle = idle_ui(ui, state);
    let command = match &mut state.stage {
        Stage::Welcome => welcome_ui::welcome_ui(ui, state.session.as_ref()),
        Stage::Alias(alias) => welcome_ui::alias_ui(ui, alias),
        Stage::Answer => {
            let answer = state.participant.as_mut().and_then(|p| p.answer.as_mut());
            answer.and_then(|answer| match answer_ui(ui, answer) {
                // Answers stay in memory: there is no progress to save.
                Some(Command::SaveProgress) | None => None,
                Some(Command::Finish) => Some(Command::Workshop(WorkshopCommand::FinishRubric)),
                Some(Command::Leave) => Some(Command::Workshop(WorkshopCommand::Finish)),
                Some(_) => None,
            })
        }
        Stage::OwnResult => match (&state.session, &state.participant) {
            (Some(session), Some(participant)) => participant_ui::own_result_ui(
                ui,
                session,
                participant,
                &state.drives,
                library,
                theme,
            ),
            _ => None,
        },
        Stage::Thanks => participant_ui::thanks_ui(ui),
        Stage::PeerRound(round) => {
            let title = state
                .participant
                .as_ref()
                .and_then(|p| p.last.as_ref())
                .map_or("", |last| last.completed.rubric.title);
            peer_round_ui::peer_round_ui(ui, round, title)
        }
        Stage::Pin(pin) => pin_ui::pin_ui(ui, pin, state.clock.unix()),
        Stage::Setup(setup) => session_setup_ui::session_setup_ui(ui, setup, &library.bundle),
        Stage::Facilitator(facilitator) => facilitator_ui::facilitator_ui(
            ui,
            facilitator,
            &state.drives,
            state.projector.is_some(),
            state.phones.as_ref().map(|p| &p.view),
            theme,
        ),
    };
    let news = phone_news(state);
    match (command.or(idle), news) {
        (Some(command), Some(_)) => {
            // The news waits for the next frame.
            ui.ctx().request_repaint();
            Some(command)
        }
        (command, news) => command.or(news),
    }
}

/// Takes what the phone server sent since the last frame: new counts go to
/// the screens at once; a saved result asks for the figures to be counted again.
fn phone_news(state: &mut WorkshopState) -> Option<Command> {
    let phones = state.phones.as_mut()?;
    phones.take_news();
    if let Some(projector) = &state.projector {
        projector.update_phones(Some(phones.view.clone()));
    }
    phones
        .take_refresh()
        .then_some(Command::Workshop(WorkshopCommand::PhoneNews))
}

/// The idle timeout of a participant's screens: one wake-up scheduled at
/// the deadline, and once a second only while "Still there?" shows.
fn idle_ui(ui: &mut Ui, state: &mut WorkshopState) -> Option<Command> {
    if !state.stage.is_participant() {
        return None;
    }
    let now = state.clock.now();
    let active = ui.input(|i| {
        i.events.iter().any(|e| {
            matches!(
                e,
                egui::Event::Key { .. }
                    | egui::Event::Text(_)
                    | egui::Event::PointerButton { .. }
                    | egui::Event::PointerMoved(_)
                    | egui::Event::MouseWheel { .. }
                    | egui::Event::Touch { .. }
            )
        })
    });
    if active {
        state.last_input = now;
    }
    let idle = now.saturating_duration_since(state.last_input);
    if idle >= state.idle_after + COUNTDOWN {
        return Some(Command::Workshop(WorkshopCommand::TimedOut));
    }
    if idle < state.idle_after {
        ui.ctx().request_repaint_after(state.idle_after - idle);
        return None;
    }
    let left = (state.idle_after + COUNTDOWN - idle).as_secs_f32().ceil() as u64;
    participant_ui::still_there_ui(ui, left);
    ui.ctx().request_repaint_after(Duration::from_secs(1));
    None
}

/// Why a participant's page could not be saved, in words for them.
fn page_error(error: std::io::Error) -> String {
    use crate::media::export::DriveWriteError;
    let text = error.to_string();
    match DriveWriteError::from_io(error) {
        DriveWriteError::Full => {
            "The drive is full. Free some space on it, or use another drive.".into()
        }
        DriveWriteError::ReadOnly => {
            "The drive is read-only. Check its lock switch, or use another drive.".into()
        }
        DriveWriteError::Gone => {
            "The drive was removed before the page was saved. Plug it in again and save again."
                .into()
        }
        DriveWriteError::Denied => "This kiosk is not allowed to write to that drive.".into(),
        _ => format!("The page could not be saved: {text}"),
    }
}

impl WorkshopState {
    /// Writes the facilitator's export of the session to `target` and says
    /// what happened in the export section.
    fn export(&mut self, target: ExportTarget, store: &ResultsStore, library: &Loaded) {
        use crate::media::export::{export_folder, DriveWriteError};
        let Stage::Facilitator(f) = &mut self.stage else {
            return;
        };
        let (folder, place, drive) = match target {
            ExportTarget::Drive { root, name } => match export_folder(&root) {
                Ok(folder) => (folder, name, true),
                Err(e) => {
                    f.export.message = Some((e.to_string(), true));
                    return;
                }
            },
            ExportTarget::Folder(folder) => {
                if let Err(e) = std::fs::create_dir_all(&folder) {
                    let text = format!("The folder {} cannot be used: {e}", folder.display());
                    f.export.message = Some((text, true));
                    return;
                }
                let place = folder.display().to_string();
                (folder, place, false)
            }
        };
        let written = crate::workshop::export::export_files(
            store,
            &f.session,
            &library.bundle,
            f.export.include_text,
            &folder,
        );
        f.export.message = Some(match written {
            Ok(files) => {
                let names: Vec<String> = files
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect();
                (format!("Saved on {place}: {}.", names.join(", ")), false)
            }
            Err(e) if drive => match DriveWriteError::from_export(e) {
                Ok(plain) => (plain.to_string(), true),
                Err(other) => (format!("The export failed: {other}"), true),
            },
            Err(e) => (format!("The export failed: {e}"), true),
        });
    }
}
