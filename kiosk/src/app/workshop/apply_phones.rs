//! The phone server's steps: start serving the session, open or close
//! joining, stop, and take in what phones saved.

use super::problem::WorkshopProblem;
use super::stage::Stage;
use super::state::WorkshopState;
use crate::library::Loaded;
use crate::store::ResultsStore;

impl WorkshopState {
    /// Starts serving the session to phones (once; a second start is a no-op).
    pub(super) fn let_phones_join(&mut self, store: &ResultsStore, library: &Loaded) {
        let Some(session) = self.session.as_ref().filter(|s| !s.closed) else {
            self.problem = Some(WorkshopProblem::NoOpenSession);
            return;
        };
        if let Err(e) = self.phones.start(store.path(), library, session.id) {
            log::error!("the phone server did not start: {e}");
            self.problem = Some(WorkshopProblem::PhonesNotStarted(e));
        }
        self.show_phones();
    }

    /// Lets new phones join (true) or stops them (false).
    pub(super) fn phone_joining(&mut self, open: bool) {
        if let Err(e) = self.phones.set_joining(open) {
            self.problem = Some(WorkshopProblem::PhoneJoining(e));
        }
        self.show_phones();
    }

    /// Stops the phone server (the session's answers stay in the store).
    pub(super) fn stop_phones(&mut self) {
        self.phones.stop();
        self.show_phones();
    }

    /// A phone's result was saved: counts the group figures again.
    pub(super) fn phone_news(&mut self, store: &ResultsStore, library: &Loaded) {
        self.projector_refresh(store, library);
        if matches!(self.stage, Stage::Facilitator(_)) {
            if let Some(aggregates) = self.aggregates(store, library) {
                if let Stage::Facilitator(f) = &mut self.stage {
                    f.aggregates = aggregates;
                }
            }
        }
    }
}
