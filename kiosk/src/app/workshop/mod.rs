//! Workshop mode: a locked kiosk that participants take turns at, a
//! facilitator behind a PIN, and a projector window of group figures.
//!
//! [`WorkshopState`] (`state.rs`) holds everything of the mode; its
//! [`Stage`] (`stage.rs`) says which screen shows. Screens return
//! [`Command::Workshop`](crate::app::command::Command::Workshop); the app shell hands
//! those to [`WorkshopState::apply`] (`apply.rs`, with the facilitator's
//! steps in `apply_facilitator.rs` and the phone server's in
//! `apply_phones.rs`), the one place that touches the store, and acts on the
//! [`WorkshopOutcome`] it returns. The idle timeout is in `clock.rs`.
//!
//! Anonymity: a participant's answers and result live in [`Participant`],
//! in memory only, and "Finish" (or the idle timeout) drops it; nothing
//! leads back to it. Group screens see only
//! [`SessionAggregates`](crate::workshop::SessionAggregates), whose figures
//! obey the minimum group rule.

mod apply;
mod apply_facilitator;
mod apply_phones;
mod clock;
mod export_ui;
mod facilitator_ui;
mod guide_writer_ui;
mod participant;
mod participant_ui;
mod peer_round_ui;
mod phones;
mod pin_ui;
mod plan_run;
mod plan_ui;
mod problem;
mod projector_step_ui;
mod projector_window;
pub(crate) mod qr;
mod session_setup_ui;
mod stage;
mod state;
mod step_timer;
mod timer_check;
mod welcome_ui;
mod workshop_ui;

pub use clock::{idle_timeout, Clock, COUNTDOWN, IDLE_AFTER, IDLE_RANGE, IDLE_STEP};
pub use export_ui::{ExportNotice, ExportState};
pub use facilitator_ui::FacilitatorState;
pub use participant::{PageDrive, Participant};
pub use peer_round_ui::PeerRoundState;
pub use phones::PhonesView;
pub use pin_ui::{PinMode, PinState};
pub use plan_run::{discussion_prompts, PlanRun, StepShown};
pub use problem::WorkshopProblem;
pub use projector_window::{projector_scene_ui, projector_window_ui, ProjectorScene};
pub use qr::result_summary;
pub use session_setup_ui::{SetupError, SetupState};
pub use stage::Stage;
pub use state::{WorkshopOutcome, WorkshopState};
pub use step_timer::{countdown, StepTimer, ADD_STEP};
pub use timer_check::TimerCheckError;
pub(crate) use workshop_ui::workshop_ui;
