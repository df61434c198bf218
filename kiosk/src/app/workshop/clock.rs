//! The mode's clock and the idle timeout of a participant's screens.

use std::time::{Duration, Instant};

use egui::Ui;

use super::participant_ui::still_there_ui;
use crate::app::command::WorkshopCommand;
use crate::store::now_unix;

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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

/// When the participant last touched the kiosk, and how long the kiosk waits.
#[derive(Debug, Clone, Copy)]
pub struct Idle {
    last_input: Instant,
    /// Without input for this long, "Still there?" shows.
    after: Duration,
}

impl Idle {
    /// Waiting `after` from now on `clock`.
    pub fn new(clock: &Clock, after: Duration) -> Self {
        Idle {
            last_input: clock.now(),
            after,
        }
    }

    /// Starts the wait again from now (a participant arrived).
    pub fn restart(&mut self, clock: &Clock) {
        self.last_input = clock.now();
    }

    /// The idle timeout of a participant's screens: one wake-up scheduled at
    /// the deadline, and once a second only while "Still there?" shows.
    pub fn idle_ui(&mut self, ui: &mut Ui, clock: &Clock) -> Option<WorkshopCommand> {
        let now = clock.now();
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
            self.last_input = now;
        }
        let idle = now.saturating_duration_since(self.last_input);
        if idle >= self.after + COUNTDOWN {
            return Some(WorkshopCommand::TimedOut);
        }
        if idle < self.after {
            ui.ctx().request_repaint_after(self.after - idle);
            return None;
        }
        let left = (self.after + COUNTDOWN - idle).as_secs_f32().ceil() as u64;
        still_there_ui(ui, left);
        ui.ctx().request_repaint_after(Duration::from_secs(1));
        None
    }
}
