//! The step timer check (`--idle-report SECONDS --step-timer-check`): the
//! app opens workshop mode at the facilitator view of a fresh session that
//! follows a one-step plan, with the step timer running, so `--idle-report`
//! counts the frames a running timer costs in the real window.
//!
//! The app shell's side is `app/timer_check.rs`. It opens the
//! facilitator view without the PIN, so it works only on a
//! data folder with no session at all: it can never show a real session.

use rubrics::plan::{Audience, Plan, Step, StepKind};

use super::session_setup_ui::SetupError;
use super::state::WorkshopState;
use crate::app::command::PlanCommand;
use crate::library::Loaded;
use crate::store::{ResultsStore, StoreError};
use crate::workshop::{SessionConfig, SessionDate};

/// Why the step timer check could not start.
#[derive(Debug, thiserror::Error)]
pub enum TimerCheckError {
    /// The data folder holds sessions: the check would open one without the PIN.
    #[error("the step timer check needs a data folder without sessions (use --data-dir with an empty folder)")]
    SessionsExist,
    /// The sessions could not be read.
    #[error("the sessions could not be read: {0}")]
    Store(#[from] StoreError),
    /// The check's session was not created.
    #[error("the check's session was not created: {0}")]
    Setup(#[from] SetupError),
    /// The library has no rubric to take.
    #[error("the library has no rubric")]
    NoRubric,
    /// The results store or the library did not open.
    #[error("the results store or the library did not open")]
    NotOpen,
}

impl WorkshopState {
    /// A fresh session of the library's first rubric, a one-step plan over
    /// it, its timer running, at the facilitator view.
    pub(crate) fn open_timer_check(
        &mut self,
        store: &ResultsStore,
        library: &Loaded,
    ) -> Result<(), TimerCheckError> {
        if !store.sessions()?.is_empty() {
            return Err(TimerCheckError::SessionsExist);
        }
        let rubric = library
            .bundle
            .rubrics()
            .next()
            .ok_or(TimerCheckError::NoRubric)?;
        let config = SessionConfig {
            name: "Step timer check".into(),
            rubric_ids: vec![rubric.id.to_string()],
            ..SessionConfig::default()
        }
        .validate(&library.bundle)
        .map_err(SetupError::Invalid)?;
        let session = store
            .create_session(&config, SessionDate::from_unix(self.clock.unix()))
            .map_err(SetupError::NotCreated)?;
        self.session = Some(session);
        self.open_facilitator(store, library);
        self.set_plan(Some(Plan {
            id: "step-timer-check".into(),
            title: "Step timer check".into(),
            audience: Audience::Mixed,
            minutes: 30,
            summary: "One step whose timer runs.".into(),
            steps: vec![Step {
                title: "Take the rubric".into(),
                purpose: "Everyone answers on their own.".into(),
                minutes: 30,
                kind: StepKind::Take {
                    rubric: rubric.id.to_string(),
                },
            }],
        }));
        self.plan_step(PlanCommand::StartTimer);
        Ok(())
    }
}
