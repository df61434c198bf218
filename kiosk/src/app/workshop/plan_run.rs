//! Following a session plan: which step the room is at, and its timer.
//! The facilitator moves the steps; the projector is told what to show of
//! the current one ([`StepShown`]).

use rubrics::plan::{Plan, Step, StepKind};

use super::clock::Clock;
use super::step_timer::StepTimer;

/// The plan the open session follows, where it is, and the step's timer.
#[derive(Debug, Clone)]
pub struct PlanRun {
    plan: Plan,
    step: usize,
    timer: StepTimer,
}

impl PlanRun {
    /// At the plan's first step, its timer not started.
    pub fn new(plan: Plan) -> Self {
        let minutes = plan.steps.first().map_or(0, |s| s.minutes);
        PlanRun {
            plan,
            step: 0,
            timer: StepTimer::new(minutes),
        }
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The current step's index (from 0).
    pub fn index(&self) -> usize {
        self.step
    }

    /// The current step (none for a plan without steps).
    pub fn current(&self) -> Option<&Step> {
        self.plan.steps.get(self.step)
    }

    /// The step after the current one, if any.
    pub fn upcoming(&self) -> Option<&Step> {
        self.plan.steps.get(self.step + 1)
    }

    /// The current step's timer.
    pub fn timer(&self) -> &StepTimer {
        &self.timer
    }

    /// The current step's timer, to start, pause or lengthen.
    pub fn timer_mut(&mut self) -> &mut StepTimer {
        &mut self.timer
    }

    /// Goes to the next step, with a fresh timer; false at the last step.
    pub fn next_step(&mut self) -> bool {
        self.go_to(self.step + 1)
    }

    /// Goes back a step, with a fresh timer; false at the first step.
    pub fn previous_step(&mut self) -> bool {
        self.step.checked_sub(1).is_some_and(|i| self.go_to(i))
    }

    fn go_to(&mut self, index: usize) -> bool {
        match self.plan.steps.get(index) {
            Some(step) => {
                self.timer = StepTimer::new(step.minutes);
                self.step = index;
                true
            }
            None => false,
        }
    }

    /// The rubric a discussion is about, when an earlier step revealed its
    /// group figure (a discussion never shows a figure before its reveal).
    fn revealed_before(&self, kind: &StepKind) -> Option<String> {
        let StepKind::Discuss {
            rubric: Some(rubric),
            ..
        } = kind
        else {
            return None;
        };
        let earlier = &self.plan.steps[..self.step];
        earlier
            .iter()
            .any(|s| matches!(&s.kind, StepKind::Reveal { rubric: r } if r == rubric))
            .then(|| rubric.clone())
    }

    /// What the projector shows of the current step, titled `session`.
    pub fn shown(&self, session: &str, clock: Clock) -> Option<StepShown> {
        let step = self.current()?;
        Some(StepShown {
            session: session.to_string(),
            number: self.step + 1,
            steps: self.plan.steps.len(),
            title: step.title.clone(),
            purpose: step.purpose.clone(),
            kind: step.kind.clone(),
            prompts: discussion_prompts(&step.kind, &[]),
            revealed: self.revealed_before(&step.kind),
            timer: self.timer,
            clock,
        })
    }
}

/// The prompts a discussion shows: the rubric's own discussion prompts
/// first (`rubric_prompts`; the rubric format has none yet, so callers pass
/// none), then the plan's.
pub fn discussion_prompts(kind: &StepKind, rubric_prompts: &[String]) -> Vec<String> {
    match kind {
        StepKind::Discuss { prompts, .. } => {
            rubric_prompts.iter().chain(prompts).cloned().collect()
        }
        _ => Vec::new(),
    }
}

/// The current step as the projector shows it: no person's data, only the
/// plan's text, where the room is, and the timer to show a break's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepShown {
    /// The session's name.
    pub session: String,
    /// The step's number, from 1.
    pub number: usize,
    /// How many steps the plan has.
    pub steps: usize,
    /// The step's title.
    pub title: String,
    /// What the step is for.
    pub purpose: String,
    /// What happens in it.
    pub kind: StepKind,
    /// The discussion prompts (for a discussion step).
    pub prompts: Vec<String>,
    /// For a discussion: its rubric, when an earlier step revealed it (the
    /// projector shows that figure beside the prompts).
    pub revealed: Option<String>,
    /// The step's timer when this was taken.
    pub timer: StepTimer,
    /// The clock the timer runs on.
    pub clock: Clock,
}

#[cfg(test)]
mod tests {
    use rubrics::plan::Audience;

    use super::*;

    fn step(title: &str, minutes: u16, kind: StepKind) -> Step {
        Step {
            title: title.into(),
            purpose: format!("{title} purpose"),
            minutes,
            kind,
        }
    }

    fn plan() -> Plan {
        Plan {
            id: "p".into(),
            title: "A plan".into(),
            audience: Audience::Mixed,
            minutes: 25,
            summary: "s".into(),
            steps: vec![
                step("Take", 10, StepKind::Take { rubric: "a".into() }),
                step(
                    "Talk",
                    10,
                    StepKind::Discuss {
                        rubric: Some("a".into()),
                        prompts: vec!["What surprised you?".into()],
                    },
                ),
                step("Show", 0, StepKind::Reveal { rubric: "a".into() }),
                step("Rest", 5, StepKind::Break),
            ],
        }
    }

    #[test]
    fn the_run_starts_at_the_first_step_with_its_minutes_not_running() {
        let run = PlanRun::new(plan());
        assert_eq!(run.index(), 0);
        assert_eq!(run.current().unwrap().title, "Take");
        assert_eq!(run.upcoming().unwrap().title, "Talk");
        assert!(!run.timer().is_running());
        assert_eq!(run.timer().seconds_left(&Clock::default()), 600);
    }

    #[test]
    fn next_and_previous_move_one_step_and_stop_at_the_ends_with_a_fresh_timer() {
        let clock = Clock::default();
        let mut run = PlanRun::new(plan());
        assert!(!run.previous_step());
        run.timer_mut().start(&clock);
        assert!(run.next_step());
        assert_eq!(run.current().unwrap().title, "Talk");
        assert!(!run.timer().is_running(), "a new step's timer waits");
        assert!(run.next_step() && run.next_step());
        assert_eq!(run.current().unwrap().title, "Rest");
        assert!(run.upcoming().is_none());
        assert!(!run.next_step());
        assert_eq!(run.index(), 3);
        assert!(run.previous_step());
        assert_eq!(run.current().unwrap().title, "Show");
        assert!(!run.timer().has_time());
    }

    #[test]
    fn a_plan_without_steps_has_no_current_step_and_shows_nothing() {
        let mut empty = plan();
        empty.steps.clear();
        let mut run = PlanRun::new(empty);
        assert!(run.current().is_none());
        assert!(!run.next_step());
        assert!(run.shown("S", Clock::default()).is_none());
    }

    #[test]
    fn the_projector_gets_the_step_its_number_and_a_discussions_prompts() {
        let mut run = PlanRun::new(plan());
        run.next_step();
        let shown = run.shown("Offsite", Clock::default()).unwrap();
        assert_eq!((shown.number, shown.steps), (2, 4));
        assert_eq!(shown.session, "Offsite");
        assert_eq!(shown.prompts, ["What surprised you?"]);
        assert_eq!(shown.revealed, None, "not revealed before the discussion");
    }

    #[test]
    fn a_discussion_after_its_rubrics_reveal_shows_that_figure() {
        let mut reordered = plan();
        reordered.steps.swap(1, 2);
        let mut run = PlanRun::new(reordered);
        run.next_step();
        run.next_step();
        let shown = run.shown("Offsite", Clock::default()).unwrap();
        assert_eq!(shown.title, "Talk");
        assert_eq!(shown.revealed.as_deref(), Some("a"));
    }

    #[test]
    fn a_rubrics_own_prompts_come_before_the_plans() {
        let kind = &plan().steps[1].kind;
        let prompts = discussion_prompts(kind, &["From the rubric".into()]);
        assert_eq!(prompts, ["From the rubric", "What surprised you?"]);
        assert!(discussion_prompts(&StepKind::Break, &["x".into()]).is_empty());
    }
}
