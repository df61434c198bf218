//! Carrying out a workshop command: the one place workshop mode touches the
//! store. The participant's steps are here; the facilitator's are in
//! `apply_facilitator.rs`.

use super::participant::{OwnResult, Participant};
use super::peer_round_ui::PeerRoundState;
use super::problem::WorkshopProblem;
use super::projector_window::Projector;
use super::session_setup_ui::SetupState;
use super::stage::Stage;
use super::state::{WorkshopOutcome, WorkshopState};
use crate::app::answer_ui::AnswerState;
use crate::app::command::WorkshopCommand;
use crate::attempt::{Attempt, SaveError};
use crate::library::Loaded;
use crate::media::export::DriveWriteError;
use crate::store::ResultsStore;
use crate::workshop::{NewWorkshopResult, PeerRoundOutcome};

impl WorkshopState {
    /// Carries out a workshop command; the only place that touches the
    /// store. Says whether workshop mode goes on or was left.
    pub fn apply(
        &mut self,
        command: WorkshopCommand,
        store: &ResultsStore,
        library: &Loaded,
    ) -> WorkshopOutcome {
        use WorkshopCommand as W;
        self.problem = None;
        match command {
            W::Begin => self.set_stage(Stage::Alias(String::new())),
            W::StartAnswering(alias) => {
                self.participant = Some(Participant::new(alias));
                self.start_rubric(library);
            }
            W::NextRubric => self.next_rubric(library),
            W::FinishRubric => self.finish_rubric(store, library),
            W::Finish | W::TimedOut => self.back_to_welcome(),
            W::StartPeerRound => self.start_peer_round(),
            W::EndPeerRound(picks) => self.end_peer_round(&picks, store),
            W::CancelPeerRound => self.stage = Stage::OwnResult,
            W::SavePage(root) => self.save_page(&root),
            W::AskPin(purpose) => self.ask_pin(purpose, store),
            W::SubmitPin => return self.submit_pin(store, library),
            W::CancelPin => return self.cancel_pin(),
            W::Leave => return self.leave(),
            W::Setup => self.stage = Stage::Setup(SetupState::load(store)),
            W::CreateSession => self.create_session(store, library),
            W::UseSession(id) => self.use_session(id, store, library),
            W::Reveal => self.reveal(store, library),
            W::CloseSession => self.close_session(store, library),
            W::ToParticipants => self.back_to_participants(),
            W::Export(target) => self.export(target, store, library),
            W::Projector(open) => self.set_projector(open),
            W::LetPhonesJoin => self.let_phones_join(store, library),
            W::PhoneJoining(open) => self.phone_joining(open),
            W::StopPhones => self.stop_phones(),
            W::PhoneNews => self.phone_news(store, library),
            W::Plan(step) => self.plan_step(step),
        }
        WorkshopOutcome::Stay
    }

    /// Saves the participant's printable page to the drive at `root`.
    fn save_page(&mut self, root: &std::path::Path) {
        if let Some(last) = self.participant.as_mut().and_then(|p| p.last.as_mut()) {
            let saved = crate::workshop::summary::save_participant_summary(
                root,
                &last.completed.report,
                &last.completed.rubric,
            );
            last.page = Some(saved.map_err(DriveWriteError::from_io));
        }
    }

    /// Starts the session's next rubric.
    fn next_rubric(&mut self, library: &Loaded) {
        if let Some(participant) = &mut self.participant {
            participant.rubric += 1;
            participant.last = None;
        }
        self.start_rubric(library);
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
            .map_err(SaveError::from)
            .and_then(|encoded| {
                let row = NewWorkshopResult::from_completed(
                    &completed,
                    &encoded,
                    session.id,
                    participant.alias.as_deref(),
                );
                store.save_workshop_result(&row).map_err(SaveError::from)
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
                    self.next_rubric(library);
                }
            }
            Err(e) => {
                log::error!("workshop result not saved: {e}");
                self.problem = Some(WorkshopProblem::ResultNotSaved(e));
            }
        }
    }

    /// Peers pick the strongest argument against the result shown.
    fn start_peer_round(&mut self) {
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

    fn end_peer_round(&mut self, picks: &[String], store: &ResultsStore) {
        let Some(last) = self.participant.as_mut().and_then(|p| p.last.as_mut()) else {
            return;
        };
        match PeerRoundOutcome::from_picks(picks) {
            Ok(outcome) => match store.save_peer_round(last.id, &outcome) {
                Ok(()) => last.peer_round = Some(outcome),
                Err(e) => self.problem = Some(WorkshopProblem::PeerRoundNotSaved(e)),
            },
            Err(e) => self.problem = Some(WorkshopProblem::PeerRound(e)),
        }
        self.stage = Stage::OwnResult;
    }

    /// Opens or closes the projector window, showing the figures the
    /// facilitator sees and the phones' join code.
    pub(super) fn set_projector(&mut self, open: bool) {
        self.projector = None;
        if open {
            let projector = Projector::new();
            projector.update_phones(self.phones.view().cloned());
            if let Stage::Facilitator(f) = &self.stage {
                if let Ok(aggregates) = &f.aggregates {
                    projector.update(aggregates.clone());
                }
            }
            self.projector = Some(projector);
        }
    }

    /// New figures for the projector after a result was saved.
    pub(super) fn projector_refresh(&mut self, store: &ResultsStore, library: &Loaded) {
        if self.projector.is_none() {
            return;
        }
        if let (Some(Ok(aggregates)), Some(projector)) =
            (self.aggregates(store, library), &self.projector)
        {
            projector.update(aggregates);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::library::Library;

    /// A store and the shipped library in a fresh data folder.
    fn fixtures() -> (tempfile::TempDir, ResultsStore, Library) {
        let dir = tempfile::tempdir().unwrap();
        let store = ResultsStore::open_in(dir.path()).unwrap();
        let library = Library::open(dir.path()).unwrap();
        (dir, store, library)
    }

    #[test]
    fn cancelling_the_pin_before_any_session_leaves_workshop_mode() {
        let (_dir, store, library) = fixtures();
        let mut state = WorkshopState::new(false, Duration::from_secs(90));
        let outcome = state.apply(WorkshopCommand::CancelPin, &store, library.current());
        assert_eq!(outcome, WorkshopOutcome::Left);
    }

    #[test]
    fn leaving_drops_the_participant_and_the_projector_and_says_so() {
        let (_dir, store, library) = fixtures();
        let mut state = WorkshopState::new(false, Duration::from_secs(90));
        state.participant = Some(Participant::new(Some("Ada".into())));
        let stay = state.apply(WorkshopCommand::Projector(true), &store, library.current());
        assert_eq!(stay, WorkshopOutcome::Stay);
        assert!(state.projector_open());
        let outcome = state.apply(WorkshopCommand::Leave, &store, library.current());
        assert_eq!(outcome, WorkshopOutcome::Left);
        assert!(!state.has_participant());
        assert!(!state.projector_open());
    }

    #[test]
    fn a_participant_step_keeps_workshop_mode() {
        let (_dir, store, library) = fixtures();
        let mut state = WorkshopState::new(false, Duration::from_secs(90));
        let outcome = state.apply(WorkshopCommand::Begin, &store, library.current());
        assert_eq!(outcome, WorkshopOutcome::Stay);
        assert!(matches!(state.stage, Stage::Alias(_)));
    }
}
