//! Everything of workshop mode, and what a step of it means for the shell.

use std::path::PathBuf;
use std::time::Duration;

use super::clock::{Clock, Idle};
use super::participant::{PageDrive, Participant};
use super::phones::{PhoneLink, PhonesView};
use super::pin_ui::PinState;
use super::plan_run::PlanRun;
use super::problem::WorkshopProblem;
use super::projector_window::{Projector, ProjectorScene};
use super::stage::Stage;
use crate::app::command::PinPurpose;
use crate::app::theme::Theme;
use crate::workshop::{Session, ShownFigures};

/// What a workshop step means for the app shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "the shell must leave workshop mode when it was left"]
pub enum WorkshopOutcome {
    /// Workshop mode goes on.
    Stay,
    /// Workshop mode was left: the shell goes home and gives the window its
    /// frame back.
    Left,
}

/// Everything of workshop mode.
#[derive(Debug)]
pub struct WorkshopState {
    /// The current screen.
    pub stage: Stage,
    /// The session participants take.
    pub(super) session: Option<Session>,
    pub(super) participant: Option<Participant>,
    /// The mode's clock (public so tests can move it on).
    pub clock: Clock,
    /// The idle timeout of a participant's screens.
    pub(super) idle: Idle,
    /// What went wrong in the last step, shown in a banner.
    pub(super) problem: Option<WorkshopProblem>,
    pub(super) projector: Option<Projector>,
    /// USB drives plugged in now, for pages and exports.
    pub(crate) drives: Vec<PageDrive>,
    /// The folder the facilitator's export offers first.
    pub(crate) export_folder: PathBuf,
    /// The phone server, while phones may use the session.
    pub(super) phones: PhoneLink,
    /// The group figures last shown (in memory only, see `workshop::release`).
    pub(super) shown: ShownFigures,
    /// The session plan the open session follows, and where the room is in it.
    pub(super) plan: Option<PlanRun>,
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
            idle: Idle::new(&clock, idle_after),
            problem: None,
            projector: None,
            drives: Vec::new(),
            export_folder: PathBuf::new(),
            phones: PhoneLink::new(std::net::SocketAddr::from((
                [0, 0, 0, 0],
                crate::serve::DEFAULT_PORT,
            ))),
            shown: ShownFigures::default(),
            plan: None,
        }
    }

    /// The plan the open session follows, from its first step (`None`: no
    /// plan; the facilitator view and the projector show the session alone).
    pub fn set_plan(&mut self, plan: Option<rubrics::plan::Plan>) {
        self.plan = plan.map(PlanRun::new);
        self.show_step();
    }

    /// The plan the session follows and where the room is in it.
    pub fn plan(&self) -> Option<&PlanRun> {
        self.plan.as_ref()
    }

    /// What the projector window shows now, while it is open (for tests:
    /// the window itself is a second viewport).
    pub fn projector_scene(&self) -> Option<ProjectorScene> {
        self.projector.as_ref().map(Projector::scene)
    }

    /// Where the phone server listens when the facilitator lets phones join.
    pub fn set_listen(&mut self, listen: std::net::SocketAddr) {
        self.phones.set_listen(listen);
    }

    /// What the phone server shows, while it runs.
    pub fn phones(&self) -> Option<&PhonesView> {
        self.phones.view()
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
        // The step as it is now (a new step, a timer, a clock moved on by
        // a test); the window repaints only if it changed.
        self.show_step();
        let closed = self.projector.as_ref().is_some_and(|p| p.show(ctx, theme));
        if closed {
            self.projector = None;
        }
    }

    /// Shows `stage`; a participant arriving starts the idle wait afresh.
    pub(super) fn set_stage(&mut self, stage: Stage) {
        if stage.is_participant() && !self.stage.is_participant() {
            self.idle.restart(&self.clock);
        }
        self.stage = stage;
    }

    /// Forgets the participant and shows the welcome screen.
    pub(super) fn back_to_welcome(&mut self) {
        self.participant = None;
        self.stage = Stage::Welcome;
    }

    /// Gives the projector the plan's current step (or none without a plan).
    pub(super) fn show_step(&self) {
        if let Some(projector) = &self.projector {
            let name = self.session.as_ref().map_or("", |s| s.name.as_str());
            let step = self.plan.as_ref().and_then(|p| p.shown(name, self.clock));
            projector.update_step(step);
        }
    }

    /// Gives the projector the phone server's address and counts.
    pub(super) fn show_phones(&self) {
        if let Some(projector) = &self.projector {
            projector.update_phones(self.phones.view().cloned());
        }
    }
}
