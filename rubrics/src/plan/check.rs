//! The rules every plan keeps, whether it was just read from TOML or
//! decoded from a bundle that came on a USB drive: ids well formed, texts
//! present and not too long, at most [`MAX_STEPS`] steps, the minutes adding
//! up, every rubric it names in the library, and a reveal only after its
//! rubric was taken.

use std::fmt;

use super::{Plan, StepKind};
use crate::diagnostic::did_you_mean;

/// Most steps in a plan: a full day with a step every quarter of an hour.
pub const MAX_STEPS: usize = 32;
/// Most minutes of one step: four hours.
pub const MAX_STEP_MINUTES: u16 = 240;
/// Most bytes of an id (the plan's, or a rubric's it names), as for rubrics.
pub const MAX_ID_BYTES: usize = rubric_engine::limits::MAX_ID_BYTES;
/// Most bytes of the plan's title.
pub const MAX_TITLE_BYTES: usize = 120;
/// Most bytes of a step's title.
pub const MAX_STEP_TITLE_BYTES: usize = 80;
/// Most bytes of the plan's summary.
pub const MAX_SUMMARY_BYTES: usize = 800;
/// Most bytes of a step's purpose.
pub const MAX_PURPOSE_BYTES: usize = 400;
/// Most bytes of one discussion prompt.
pub const MAX_PROMPT_BYTES: usize = 300;
/// Most prompts in one discussion step.
pub const MAX_PROMPTS: usize = 8;

/// Where in a plan a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum At {
    /// The plan's `id`.
    Id,
    /// The plan's `title`.
    Title,
    /// The plan's `summary`.
    Summary,
    /// The plan's `minutes`.
    Minutes,
    /// The plan as a whole (its list of steps).
    Steps,
    /// A step as a whole.
    Step(usize),
    /// A step's `title`.
    StepTitle(usize),
    /// A step's `purpose`.
    StepPurpose(usize),
    /// A step's `minutes`.
    StepMinutes(usize),
    /// A step's `rubric`.
    StepRubric(usize),
    /// One of a step's `prompts`.
    StepPrompt(usize, usize),
}

/// A text field of a plan, for the problems about texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// The plan's title.
    Title,
    /// The plan's summary.
    Summary,
    /// A step's title.
    StepTitle,
    /// A step's purpose.
    Purpose,
    /// A discussion prompt.
    Prompt,
}

impl Text {
    fn key(self) -> &'static str {
        match self {
            Text::Title | Text::StepTitle => "title",
            Text::Summary => "summary",
            Text::Purpose => "purpose",
            Text::Prompt => "prompt",
        }
    }
}

/// Something wrong with a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// An id that is empty, too long, or has characters other than `a-z`,
    /// `0-9` and `-`.
    BadId {
        /// The id as written.
        id: String,
    },
    /// A text that must say something is empty.
    EmptyText(Text),
    /// A text longer than its limit.
    TextTooLong {
        /// Which text.
        text: Text,
        /// Its length in bytes.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A plan with no steps.
    NoSteps,
    /// More than [`MAX_STEPS`] steps.
    TooManySteps {
        /// How many there are.
        count: usize,
    },
    /// A step longer than [`MAX_STEP_MINUTES`].
    StepTooLong {
        /// Its minutes.
        minutes: u16,
    },
    /// A take, discussion or break of no minutes (only a reveal may be 0).
    NoMinutes,
    /// The plan's `minutes` is not the sum of its steps' minutes.
    MinutesDoNotAddUp {
        /// The plan's `minutes`.
        stated: u16,
        /// The sum of the steps.
        sum: u32,
    },
    /// A rubric the library does not have.
    UnknownRubric {
        /// The id as written.
        id: String,
        /// The closest id in the library, if one is close.
        suggestion: Option<String>,
    },
    /// A reveal of a rubric no earlier step has people take.
    RevealBeforeTake {
        /// The rubric.
        rubric: String,
    },
    /// A discussion with neither a rubric nor prompts of its own.
    NothingToDiscuss,
    /// More than [`MAX_PROMPTS`] prompts in one step.
    TooManyPrompts {
        /// How many there are.
        count: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::BadId { id } => write!(
                f,
                "`{id}` is not a usable id: use 1 to {MAX_ID_BYTES} lowercase letters, digits and dashes"
            ),
            Problem::EmptyText(text) => write!(f, "`{}` is empty; write what it says", text.key()),
            Problem::TextTooLong { text, bytes, max } => write!(
                f,
                "`{}` is {bytes} bytes long, more than the {max} allowed",
                text.key()
            ),
            Problem::NoSteps => write!(f, "the plan has no steps; add [[step]] tables"),
            Problem::TooManySteps { count } => write!(
                f,
                "the plan has {count} steps, more than the {MAX_STEPS} allowed"
            ),
            Problem::StepTooLong { minutes } => write!(
                f,
                "a step of {minutes} minutes is longer than the {MAX_STEP_MINUTES} allowed"
            ),
            Problem::NoMinutes => write!(
                f,
                "this step takes 0 minutes; only a reveal may take none"
            ),
            Problem::MinutesDoNotAddUp { stated, sum } => write!(
                f,
                "the plan says {stated} minutes, but its steps add up to {sum}"
            ),
            Problem::UnknownRubric { id, .. } => {
                write!(f, "there is no rubric with id `{id}` in the library")
            }
            Problem::RevealBeforeTake { rubric } => write!(
                f,
                "this step reveals `{rubric}`, but no step before it has people take it"
            ),
            Problem::NothingToDiscuss => write!(
                f,
                "a discussion step needs a `rubric` whose prompts it uses, or `prompts` of its own"
            ),
            Problem::TooManyPrompts { count } => write!(
                f,
                "this step has {count} prompts, more than the {MAX_PROMPTS} allowed"
            ),
        }
    }
}

impl Problem {
    /// A suggestion to go with the problem, if there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            Problem::MinutesDoNotAddUp { sum, .. } => Some(format!(
                "set `minutes = {sum}`, or change the steps' minutes"
            )),
            Problem::UnknownRubric {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            Problem::RevealBeforeTake { rubric } => Some(format!(
                "add a step with `kind = \"take\"` and `rubric = \"{rubric}\"` before this one"
            )),
            _ => None,
        }
    }
}

/// Whether `id` is a well-formed id: 1 to [`MAX_ID_BYTES`] bytes of `a-z`,
/// `0-9` and `-`, as rubric ids are.
pub fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_BYTES
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Every problem of `plan`, each with where it is. `library` holds the ids of
/// the rubrics the plan may name; `None` checks only that they are well formed
/// (a bundle decoded away from the library it will be used with).
pub fn check(plan: &Plan, library: Option<&[&str]>) -> Vec<(At, Problem)> {
    let mut out = Vec::new();
    if !id_ok(&plan.id) {
        out.push((
            At::Id,
            Problem::BadId {
                id: plan.id.clone(),
            },
        ));
    }
    text(
        &plan.title,
        Text::Title,
        MAX_TITLE_BYTES,
        At::Title,
        &mut out,
    );
    text(
        &plan.summary,
        Text::Summary,
        MAX_SUMMARY_BYTES,
        At::Summary,
        &mut out,
    );
    if plan.steps.is_empty() {
        out.push((At::Steps, Problem::NoSteps));
    } else if plan.steps.len() > MAX_STEPS {
        out.push((
            At::Steps,
            Problem::TooManySteps {
                count: plan.steps.len(),
            },
        ));
    }
    let mut taken: Vec<&str> = Vec::new();
    for (i, step) in plan.steps.iter().enumerate() {
        text(
            &step.title,
            Text::StepTitle,
            MAX_STEP_TITLE_BYTES,
            At::StepTitle(i),
            &mut out,
        );
        text(
            &step.purpose,
            Text::Purpose,
            MAX_PURPOSE_BYTES,
            At::StepPurpose(i),
            &mut out,
        );
        minutes(i, step.minutes, &step.kind, &mut out);
        if let Some(rubric) = step.kind.rubric() {
            known_rubric(i, rubric, library, &mut out);
        }
        match &step.kind {
            StepKind::Take { rubric } => taken.push(rubric),
            StepKind::Reveal { rubric } if !taken.contains(&rubric.as_str()) => out.push((
                At::Step(i),
                Problem::RevealBeforeTake {
                    rubric: rubric.clone(),
                },
            )),
            StepKind::Discuss { rubric, prompts } => {
                discussion(i, rubric.as_deref(), prompts, &mut out)
            }
            StepKind::Reveal { .. } | StepKind::Break => {}
        }
    }
    let sum = plan.steps_minutes();
    if u32::from(plan.minutes) != sum {
        out.push((
            At::Minutes,
            Problem::MinutesDoNotAddUp {
                stated: plan.minutes,
                sum,
            },
        ));
    }
    out
}

fn text(value: &str, which: Text, max: usize, at: At, out: &mut Vec<(At, Problem)>) {
    if value.trim().is_empty() {
        out.push((at, Problem::EmptyText(which)));
    } else if value.len() > max {
        out.push((
            at,
            Problem::TextTooLong {
                text: which,
                bytes: value.len(),
                max,
            },
        ));
    }
}

fn minutes(i: usize, minutes: u16, kind: &StepKind, out: &mut Vec<(At, Problem)>) {
    if minutes > MAX_STEP_MINUTES {
        out.push((At::StepMinutes(i), Problem::StepTooLong { minutes }));
    } else if minutes == 0 && !matches!(kind, StepKind::Reveal { .. }) {
        out.push((At::StepMinutes(i), Problem::NoMinutes));
    }
}

fn known_rubric(i: usize, rubric: &str, library: Option<&[&str]>, out: &mut Vec<(At, Problem)>) {
    if !id_ok(rubric) {
        out.push((
            At::StepRubric(i),
            Problem::BadId {
                id: rubric.to_string(),
            },
        ));
        return;
    }
    if let Some(library) = library {
        if !library.contains(&rubric) {
            out.push((
                At::StepRubric(i),
                Problem::UnknownRubric {
                    id: rubric.to_string(),
                    suggestion: did_you_mean(rubric, library.iter().copied()).map(str::to_string),
                },
            ));
        }
    }
}

fn discussion(i: usize, rubric: Option<&str>, prompts: &[String], out: &mut Vec<(At, Problem)>) {
    if rubric.is_none() && prompts.is_empty() {
        out.push((At::Step(i), Problem::NothingToDiscuss));
    }
    if prompts.len() > MAX_PROMPTS {
        out.push((
            At::Step(i),
            Problem::TooManyPrompts {
                count: prompts.len(),
            },
        ));
    }
    for (p, prompt) in prompts.iter().enumerate().take(MAX_PROMPTS) {
        text(
            prompt,
            Text::Prompt,
            MAX_PROMPT_BYTES,
            At::StepPrompt(i, p),
            out,
        );
    }
}
