//! The facilitator's workshop steps: the PIN, the session (setup, reveal,
//! close) and the export.

use super::export_ui::{ExportNotice, ExportState};
use super::facilitator_ui::{FacilitatorState, Merged};
use super::pin_ui::{PinMode, PinState};
use super::problem::WorkshopProblem;
use super::session_setup_ui::{SetupError, SetupState};
use super::stage::Stage;
use super::state::{WorkshopOutcome, WorkshopState};
use crate::app::command::{ExportTarget, PinPurpose, PlanCommand};
use crate::library::Loaded;
use crate::media::export::{export_folder, DriveWriteError};
use crate::store::{ResultsStore, StoreError};
use crate::workshop::pin::MIN_PIN_DIGITS;
use crate::workshop::{
    session_aggregates_in_steps, FacilitatorPin, PinError, SessionAggregates, SessionConfig,
    SessionDate, SessionId,
};

impl WorkshopState {
    /// Shows the PIN keypad for `purpose`, locked while a lockout runs.
    pub(super) fn ask_pin(&mut self, purpose: PinPurpose, store: &ResultsStore) {
        let pin = FacilitatorPin::new(store);
        let set = pin.is_set().unwrap_or(true);
        let mut state = PinState::new(purpose, set);
        if let Ok(Some(secs)) = pin.locked_for(self.clock.unix()) {
            state.locked_until = Some(self.clock.unix() + secs);
        }
        self.stage = Stage::Pin(state);
    }

    /// Checks (or sets) the PIN typed on the keypad, and opens what it guards.
    pub(super) fn submit_pin(&mut self, store: &ResultsStore, library: &Loaded) -> WorkshopOutcome {
        let now = self.clock.unix();
        let Stage::Pin(state) = &mut self.stage else {
            return WorkshopOutcome::Stay;
        };
        let pin = FacilitatorPin::new(store);
        let typed = std::mem::take(&mut state.digits);
        let checked = match &mut state.mode {
            PinMode::Set { first: None } => {
                if typed.len() < MIN_PIN_DIGITS {
                    state.message = Some(PinError::TooShort {
                        min: MIN_PIN_DIGITS,
                    });
                } else {
                    state.mode = PinMode::Set { first: Some(typed) };
                    state.message = None;
                }
                return WorkshopOutcome::Stay;
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
                PinPurpose::Leave => return self.leave(),
            },
            Err(PinError::LockedOut { seconds_left }) => {
                state.locked_until = Some(now + seconds_left);
                state.message = None;
            }
            Err(e) => state.message = Some(e),
        }
        WorkshopOutcome::Stay
    }

    /// Leaves the keypad: back to the participants, or out of workshop
    /// mode when there is nothing to protect yet (no session, no participant).
    pub(super) fn cancel_pin(&mut self) -> WorkshopOutcome {
        if self.session.is_some() {
            self.back_to_welcome();
            WorkshopOutcome::Stay
        } else {
            WorkshopOutcome::Left
        }
    }

    /// Leaves workshop mode: the phones stop, the participant and the
    /// projector window go.
    pub(super) fn leave(&mut self) -> WorkshopOutcome {
        self.stop_phones();
        self.participant = None;
        self.projector = None;
        WorkshopOutcome::Left
    }

    /// Creates a session from the setup screen and opens it.
    pub(super) fn create_session(&mut self, store: &ResultsStore, library: &Loaded) {
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
            .map_err(SetupError::Invalid)
            .and_then(|valid| {
                store
                    .create_session(&valid, SessionDate::from_unix(self.clock.unix()))
                    .map_err(SetupError::NotCreated)
            });
        let plan_id = setup.plan.clone();
        match created {
            Ok(session) => {
                // Phones of another session stop being served.
                self.stop_phones();
                let id = session.id;
                self.session = Some(session);
                self.follow_plan(store, id, plan_id.as_deref());
                self.open_facilitator(store, library);
            }
            Err(e) => setup.error = Some(e),
        }
    }

    /// Follows the plan a session was created from (stored with it, so the
    /// facilitator view follows it again after a restart). A plan that is
    /// no longer available leaves the session without one: its rubrics
    /// still work.
    fn follow_plan(
        &mut self,
        store: &ResultsStore,
        session: SessionId,
        created_from: Option<&str>,
    ) {
        if let Some(plan_id) = created_from {
            if let Err(e) = store.set_session_plan(session, plan_id) {
                self.problem = Some(WorkshopProblem::Session(e));
            }
        }
        let plan_id = match created_from {
            Some(id) => Some(id.to_owned()),
            None => store.session_plan(session).unwrap_or_else(|e| {
                self.problem = Some(WorkshopProblem::Session(e));
                None
            }),
        };
        // Shipped plans and those imported into this data folder (beside
        // the database), as `session create --plan` finds them.
        let data_dir = store.path().parent().unwrap_or(store.path());
        let plan = plan_id.and_then(|id| crate::plans::find_in(data_dir, &id).ok());
        self.set_plan(plan);
    }

    /// Uses an existing open session.
    pub(super) fn use_session(&mut self, id: SessionId, store: &ResultsStore, library: &Loaded) {
        match store.session(id) {
            Ok(session) => {
                if self.phones.session().is_some_and(|served| served != id) {
                    self.stop_phones();
                }
                // Coming back to the same session keeps the room's place in
                // its plan.
                let same = self.session.as_ref().is_some_and(|open| open.id == id);
                self.session = Some(session);
                if !same || self.plan().is_none() {
                    self.follow_plan(store, id, None);
                }
                self.open_facilitator(store, library);
            }
            Err(e) => self.problem = Some(WorkshopProblem::Session(e)),
        }
    }

    /// Reveals the group results (shown as counted now, whatever was
    /// shown before).
    pub(super) fn reveal(&mut self, store: &ResultsStore, library: &Loaded) {
        self.shown.forget();
        if let Some(session) = &self.session {
            if let Err(e) = store.set_revealed(session.id, true) {
                self.problem = Some(WorkshopProblem::Session(e));
            }
        }
        self.refresh_session(store);
        self.open_facilitator(store, library);
    }

    /// Closes the session; its phones stop.
    pub(super) fn close_session(&mut self, store: &ResultsStore, library: &Loaded) {
        self.stop_phones();
        if let Some(session) = &self.session {
            if let Err(e) = store.close_session(session.id) {
                self.problem = Some(WorkshopProblem::Session(e));
            }
        }
        self.refresh_session(store);
        self.open_facilitator(store, library);
    }

    /// Returns the kiosk to participants, if the session is open.
    pub(super) fn back_to_participants(&mut self) {
        if self.session.as_ref().is_some_and(|s| !s.closed) {
            self.back_to_welcome();
        } else {
            self.problem = Some(WorkshopProblem::NoOpenSession);
        }
    }

    fn refresh_session(&mut self, store: &ResultsStore) {
        if let Some(session) = &self.session {
            match store.session(session.id) {
                Ok(fresh) => self.session = Some(fresh),
                Err(e) => self.problem = Some(WorkshopProblem::Session(e)),
            }
        }
    }

    /// The session's group figures as the facilitator's screens show them
    /// (in steps of a whole minimum group; see `workshop::release`), once a
    /// session is chosen.
    pub(super) fn aggregates(
        &mut self,
        store: &ResultsStore,
        library: &Loaded,
    ) -> Option<Result<SessionAggregates, StoreError>> {
        let session = self.session.as_ref()?;
        let fresh = session_aggregates_in_steps(store, session, &library.bundle);
        Some(fresh.map(|fresh| self.shown.pass(fresh)))
    }

    /// The facilitator view of the session, or the setup screen without one.
    pub(super) fn open_facilitator(&mut self, store: &ResultsStore, library: &Loaded) {
        self.participant = None;
        let aggregates = self.aggregates(store, library);
        match (&self.session, aggregates) {
            (Some(session), Some(aggregates)) => {
                if let (Some(projector), Ok(aggregates)) = (&self.projector, &aggregates) {
                    projector.update(aggregates.clone());
                }
                let merged = store.kiosk_id().and_then(|this_kiosk| {
                    Ok(Merged {
                        this_kiosk,
                        origins: store.import_origins(session.id)?,
                    })
                });
                self.stage = Stage::Facilitator(FacilitatorState {
                    session: session.clone(),
                    aggregates,
                    export: ExportState {
                        folder: self.export_folder.display().to_string(),
                        ..ExportState::default()
                    },
                    merged: Box::new(merged),
                    guide: Default::default(),
                });
            }
            _ => self.stage = Stage::Setup(SetupState::load(store)),
        }
    }

    /// Writes the facilitator's export of the session to `target` and says
    /// what happened in the export section.
    pub(super) fn export(&mut self, target: ExportTarget, store: &ResultsStore, library: &Loaded) {
        let Stage::Facilitator(f) = &mut self.stage else {
            return;
        };
        let (folder, place, drive) = match target {
            ExportTarget::Drive { root, name } => match export_folder(&root) {
                Ok(folder) => (folder, name, true),
                Err(e) => {
                    f.export.message = Some(ExportNotice::DriveFailed(e));
                    return;
                }
            },
            ExportTarget::Folder(folder) => {
                if let Err(error) = std::fs::create_dir_all(&folder) {
                    f.export.message = Some(ExportNotice::FolderUnusable { folder, error });
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
            Ok(files) => ExportNotice::Saved { place, files },
            Err(e) if drive => match DriveWriteError::from_export(e) {
                Ok(plain) => ExportNotice::DriveFailed(plain),
                Err(other) => ExportNotice::Failed(other),
            },
            Err(e) => ExportNotice::Failed(e),
        });
    }

    /// A step of the plan: the next or previous step, or the step timer;
    /// the projector follows.
    pub(super) fn plan_step(&mut self, command: PlanCommand) {
        let clock = self.clock;
        let Some(run) = &mut self.plan else {
            return;
        };
        match command {
            PlanCommand::NextStep => {
                run.next_step();
            }
            PlanCommand::PreviousStep => {
                run.previous_step();
            }
            PlanCommand::StartTimer => run.timer_mut().start(&clock),
            PlanCommand::PauseTimer => run.timer_mut().pause(&clock),
            PlanCommand::AddFiveMinutes => run.timer_mut().add_five_minutes(&clock),
        }
        self.show_step();
    }
}
