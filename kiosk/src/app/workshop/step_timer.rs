//! The step timer of a session plan: the minutes a step was given,
//! started, paused and lengthened by the facilitator, on the mode's
//! [`Clock`] (so tests move time on without waiting).

use std::time::{Duration, Instant};

use super::clock::Clock;

/// What "Add five minutes" adds.
pub const ADD_STEP: Duration = Duration::from_secs(5 * 60);

/// A step's timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepTimer {
    /// The time the step was given, with the minutes added since.
    given: Duration,
    run: Run,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    /// Not running, with this much left.
    Paused { left: Duration },
    /// Running: the time runs out at `ends`.
    Running { ends: Instant },
}

impl StepTimer {
    /// A timer of `minutes`, not started.
    pub fn new(minutes: u16) -> Self {
        let given = Duration::from_secs(u64::from(minutes) * 60);
        StepTimer {
            given,
            run: Run::Paused { left: given },
        }
    }

    /// Starts (or resumes) the timer; a running timer stays as it is.
    pub fn start(&mut self, clock: &Clock) {
        if let Run::Paused { left } = self.run {
            self.run = Run::Running {
                ends: clock.now() + left,
            };
        }
    }

    /// Pauses the timer, keeping the time left.
    pub fn pause(&mut self, clock: &Clock) {
        self.run = Run::Paused {
            left: self.left(clock),
        };
    }

    /// Adds [`ADD_STEP`]; once time is up, that much from now.
    pub fn add_five_minutes(&mut self, clock: &Clock) {
        self.given += ADD_STEP;
        self.run = match self.run {
            Run::Paused { left } => Run::Paused {
                left: left + ADD_STEP,
            },
            Run::Running { ends } => Run::Running {
                ends: ends.max(clock.now()) + ADD_STEP,
            },
        };
    }

    /// Whether the timer runs.
    pub fn is_running(&self) -> bool {
        matches!(self.run, Run::Running { .. })
    }

    /// Whether the step was given any time (a reveal inside a discussion
    /// may have none until the facilitator adds some).
    pub fn has_time(&self) -> bool {
        !self.given.is_zero()
    }

    /// The time left, never below zero.
    pub fn left(&self, clock: &Clock) -> Duration {
        match self.run {
            Run::Paused { left } => left,
            Run::Running { ends } => ends.saturating_duration_since(clock.now()),
        }
    }

    /// Whether the step's time ran out (never for a step without time).
    pub fn is_up(&self, clock: &Clock) -> bool {
        self.has_time() && self.left(clock).is_zero()
    }

    /// Whole seconds left, rounded up (what a countdown shows).
    pub fn seconds_left(&self, clock: &Clock) -> u64 {
        let left = self.left(clock);
        left.as_secs() + u64::from(left.subsec_nanos() > 0)
    }

    /// When the countdown of whole seconds next changes, while it runs and
    /// time is left: the one repaint a running timer asks for.
    pub fn next_tick(&self, clock: &Clock) -> Option<Duration> {
        if !self.is_running() {
            return None;
        }
        let left = self.left(clock);
        if left.is_zero() {
            return None;
        }
        let fraction = Duration::from_nanos(u64::from(left.subsec_nanos()));
        Some(if fraction.is_zero() {
            Duration::from_secs(1)
        } else {
            fraction
        })
    }

    /// When the countdown in whole minutes (rounded up) next changes, while
    /// it runs: the projector's one repaint for a break's time left.
    pub fn next_minute(&self, clock: &Clock) -> Option<Duration> {
        if !self.is_running() {
            return None;
        }
        let left = self.left(clock);
        if left.is_zero() {
            return None;
        }
        let into_minute = Duration::from_nanos((left.as_nanos() % 60_000_000_000) as u64);
        Some(if into_minute.is_zero() {
            Duration::from_secs(60)
        } else {
            into_minute
        })
    }
}

/// `seconds` as a countdown: "4:05", "12:00", "1:02:03".
pub fn countdown(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_start() -> Clock {
        Clock::default()
    }

    #[test]
    fn a_new_timer_waits_with_the_steps_minutes() {
        let clock = at_start();
        let timer = StepTimer::new(10);
        assert!(!timer.is_running());
        assert_eq!(timer.left(&clock), Duration::from_secs(600));
        assert!(!timer.is_up(&clock));
        assert_eq!(
            timer.next_tick(&clock),
            None,
            "no repaint while not running"
        );
    }

    #[test]
    fn a_started_timer_counts_down_on_the_clock_and_is_up_at_zero() {
        let mut clock = at_start();
        let mut timer = StepTimer::new(2);
        timer.start(&clock);
        clock.advance(Duration::from_secs(75));
        assert_eq!(timer.seconds_left(&clock), 45);
        assert!(!timer.is_up(&clock));
        clock.advance(Duration::from_secs(45));
        assert!(timer.is_up(&clock));
        clock.advance(Duration::from_secs(30));
        assert_eq!(timer.left(&clock), Duration::ZERO, "never below zero");
        assert_eq!(timer.next_tick(&clock), None, "no repaint once time is up");
    }

    #[test]
    fn pausing_keeps_the_time_left_while_the_clock_moves_on() {
        let mut clock = at_start();
        let mut timer = StepTimer::new(5);
        timer.start(&clock);
        clock.advance(Duration::from_secs(60));
        timer.pause(&clock);
        clock.advance(Duration::from_secs(600));
        assert_eq!(timer.seconds_left(&clock), 240);
        assert_eq!(timer.next_tick(&clock), None);
        timer.start(&clock);
        clock.advance(Duration::from_secs(40));
        assert_eq!(timer.seconds_left(&clock), 200);
    }

    #[test]
    fn adding_five_minutes_lengthens_a_paused_a_running_and_a_finished_timer() {
        let mut clock = at_start();
        let mut timer = StepTimer::new(1);
        timer.add_five_minutes(&clock);
        assert_eq!(timer.seconds_left(&clock), 360);
        timer.start(&clock);
        clock.advance(Duration::from_secs(60));
        timer.add_five_minutes(&clock);
        assert_eq!(timer.seconds_left(&clock), 600);
        clock.advance(Duration::from_secs(900));
        assert!(timer.is_up(&clock));
        // Time is up five minutes ago: five more minutes from now, not from then.
        timer.add_five_minutes(&clock);
        assert_eq!(timer.seconds_left(&clock), 300);
        assert!(!timer.is_up(&clock));
    }

    #[test]
    fn a_step_without_minutes_is_never_up_until_time_is_added() {
        let mut clock = at_start();
        let mut timer = StepTimer::new(0);
        timer.start(&clock);
        assert!(!timer.has_time());
        assert!(!timer.is_up(&clock));
        timer.add_five_minutes(&clock);
        clock.advance(Duration::from_secs(301));
        assert!(timer.is_up(&clock));
    }

    #[test]
    fn a_running_timer_asks_for_a_repaint_when_the_shown_second_or_minute_changes() {
        let mut clock = at_start();
        let mut timer = StepTimer::new(3);
        timer.start(&clock);
        // The real clock moves a little between the calls: within 50 ms.
        let near = |got: Option<Duration>, want: Duration| {
            let got = got.unwrap();
            assert!(
                got <= want && want - got < Duration::from_millis(50),
                "{got:?}"
            );
        };
        near(timer.next_tick(&clock), Duration::from_secs(1));
        near(timer.next_minute(&clock), Duration::from_secs(60));
        clock.advance(Duration::from_millis(1500));
        near(timer.next_tick(&clock), Duration::from_millis(500));
        near(timer.next_minute(&clock), Duration::from_millis(58_500));
    }

    #[test]
    fn countdowns_read_as_minutes_and_seconds() {
        assert_eq!(countdown(0), "0:00");
        assert_eq!(countdown(245), "4:05");
        assert_eq!(countdown(720), "12:00");
        assert_eq!(countdown(3723), "1:02:03");
    }
}
