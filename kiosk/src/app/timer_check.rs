//! The app shell's side of the step timer check (`--step-timer-check`, see
//! `workshop/timer_check.rs`): workshop mode, then the check's session.

use super::command::Command;
use super::screen::Screen;
use super::workshop::TimerCheckError;
use super::KioskApp;

impl KioskApp {
    /// Opens the step timer check (see the module); says in the log why not.
    pub(crate) fn open_step_timer_check(&mut self) {
        self.apply(Command::StartWorkshop);
        let opened = match (&self.store, &self.library, &mut self.screen) {
            (Some(store), Ok(library), Screen::Workshop(state)) => {
                state.open_timer_check(store, library.current())
            }
            _ => Err(TimerCheckError::NotOpen),
        };
        if let Err(e) = opened {
            log::error!("{e}");
        }
    }
}
