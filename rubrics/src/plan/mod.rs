//! Session plans: an ordered agenda for a facilitated workshop (which
//! rubrics the room takes, when it talks, when the group's figures are
//! shown, and the breaks), with the minutes of each step.
//!
//! This module holds the plan's model, which the kiosk's session setup,
//! facilitator view, projector and printable guide read. Plans are written
//! as TOML like rubrics (`rubrics/FORMAT.md`, "Session plans").

//!
//! - [`source`]: reading a plan's TOML source, with diagnostics at file:line:col;
//! - [`check`]: the rules every plan keeps (minutes add up, rubrics exist,
//!   reveals after takes, limits);
//! - [`shipped`]: the plans that ship with the kiosk;
//! - [`bundle`]: plan bundles (`.rbp`), signed like rubric bundles.

pub mod bundle;
pub mod check;
pub mod shipped;
pub mod source;

use serde::{Deserialize, Serialize};

pub use bundle::{decode_plan, encode_plan, DecodedPlan, PlanBundleError, PlanSigner};
pub use shipped::SHIPPED_PLANS;
pub use source::{compile_plan, parse_plan};

/// One session plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Stable id, lowercase with dashes (`is-staff-for-you`).
    pub id: String,
    /// The title shown in setup, on the projector and on the guide.
    pub title: String,
    /// Who the session is for.
    pub audience: Audience,
    /// The session's length in minutes: the sum of its steps' minutes.
    pub minutes: u16,
    /// One or two sentences on what the session is for, read out at the start.
    pub summary: String,
    /// The agenda, in order.
    pub steps: Vec<Step>,
}

/// Who a plan is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Senior engineers considering or working towards staff.
    Engineers,
    /// Engineering managers of senior and staff engineers.
    Managers,
    /// Directors and other leaders who shape the staff track.
    Leaders,
    /// A room of engineers and managers together.
    Mixed,
}

/// One step of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// A short title for the agenda and the projector ("Want the work?").
    pub title: String,
    /// What the step is for, in one sentence a facilitator can read out.
    pub purpose: String,
    /// How long the step takes, in minutes (0 for a reveal that is part of
    /// the discussion after it).
    pub minutes: u16,
    /// What happens in the step.
    pub kind: StepKind,
}

/// What happens in a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    /// Everyone takes a rubric (at the kiosk in turns, or on phones).
    Take {
        /// The rubric's id in the library.
        rubric: String,
    },
    /// The group's figures for a rubric are shown on the projector.
    Reveal {
        /// The rubric's id in the library; it was taken in an earlier step.
        rubric: String,
    },
    /// The room talks.
    Discuss {
        /// The rubric whose discussion prompts are offered, if any.
        rubric: Option<String>,
        /// The plan's own prompts, shown after the rubric's.
        prompts: Vec<String>,
    },
    /// A break.
    Break,
}

impl StepKind {
    /// The rubric the step is about, if any.
    pub fn rubric(&self) -> Option<&str> {
        match self {
            StepKind::Take { rubric } | StepKind::Reveal { rubric } => Some(rubric),
            StepKind::Discuss { rubric, .. } => rubric.as_deref(),
            StepKind::Break => None,
        }
    }
}

impl Plan {
    /// The rubrics the plan has people take, in the order it takes them,
    /// each once.
    pub fn rubrics_taken(&self) -> Vec<&str> {
        let mut taken: Vec<&str> = Vec::new();
        for step in &self.steps {
            if let StepKind::Take { rubric } = &step.kind {
                if !taken.contains(&rubric.as_str()) {
                    taken.push(rubric);
                }
            }
        }
        taken
    }

    /// The sum of the steps' minutes.
    pub fn steps_minutes(&self) -> u32 {
        self.steps.iter().map(|step| u32::from(step.minutes)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(minutes: u16, kind: StepKind) -> Step {
        Step {
            title: "t".into(),
            purpose: "p".into(),
            minutes,
            kind,
        }
    }

    #[test]
    fn rubrics_taken_keeps_the_order_and_names_each_once() {
        let take = |id: &str| StepKind::Take { rubric: id.into() };
        let plan = Plan {
            id: "p".into(),
            title: "P".into(),
            audience: Audience::Mixed,
            minutes: 20,
            summary: "s".into(),
            steps: vec![
                step(5, take("b")),
                step(5, StepKind::Break),
                step(5, take("a")),
                step(5, take("b")),
            ],
        };
        assert_eq!(plan.rubrics_taken(), ["b", "a"]);
        assert_eq!(plan.steps_minutes(), 20);
    }
}
