//! Reading a plan's TOML source (FORMAT.md, "Session plans") with the same
//! key reader and diagnostics as rubric sources: every problem at
//! file:line:col, unknown keys with a did-you-mean.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::check::{check, At};
use super::{Audience, Plan, Step, StepKind};
use crate::compile::{CompileError, Source};
use crate::diagnostic::Found;
use crate::source::fields::{unknown_word, Fields};
use crate::source::Value;

const TOP_KEYS: &[&str] = &["id", "title", "audience", "minutes", "summary", "step"];
const TAKE_KEYS: &[&str] = &["kind", "title", "purpose", "minutes", "rubric"];
const DISCUSS_KEYS: &[&str] = &["kind", "title", "purpose", "minutes", "rubric", "prompts"];
const BREAK_KEYS: &[&str] = &["kind", "title", "purpose", "minutes"];
const AUDIENCES: &[&str] = &["engineers", "managers", "leaders", "mixed"];
const KINDS: &[&str] = &["take", "reveal", "discuss", "break"];

/// Where each part of a plan stands in its source.
#[derive(Debug, Clone, Default)]
pub struct PlanSpans {
    /// The whole source.
    pub top: Range<usize>,
    /// `id`.
    pub id: Range<usize>,
    /// `title`.
    pub title: Range<usize>,
    /// `summary`.
    pub summary: Range<usize>,
    /// `minutes`.
    pub minutes: Range<usize>,
    /// Each `[[step]]`.
    pub steps: Vec<StepSpans>,
}

/// Where the parts of one `[[step]]` stand.
#[derive(Debug, Clone, Default)]
pub struct StepSpans {
    /// The table.
    pub table: Range<usize>,
    /// `title`.
    pub title: Range<usize>,
    /// `purpose`.
    pub purpose: Range<usize>,
    /// `minutes`.
    pub minutes: Range<usize>,
    /// `rubric`.
    pub rubric: Range<usize>,
    /// Each of `prompts`.
    pub prompts: Vec<Range<usize>>,
}

impl PlanSpans {
    /// The span of a part of the plan, or the nearest enclosing one.
    pub fn of(&self, at: At) -> Range<usize> {
        let step = |i: usize| self.steps.get(i);
        let span = match at {
            At::Id => Some(self.id.clone()),
            At::Title => Some(self.title.clone()),
            At::Summary => Some(self.summary.clone()),
            At::Minutes => Some(self.minutes.clone()),
            At::Steps => None,
            At::Step(i) => step(i).map(|s| s.table.clone()),
            At::StepTitle(i) => step(i).map(|s| s.title.clone()),
            At::StepPurpose(i) => step(i).map(|s| s.purpose.clone()),
            At::StepMinutes(i) => step(i).map(|s| s.minutes.clone()),
            At::StepRubric(i) => step(i).map(|s| s.rubric.clone()),
            At::StepPrompt(i, p) => step(i).and_then(|s| s.prompts.get(p).cloned()),
        };
        span.unwrap_or_else(|| self.top.clone())
    }
}

/// Reads a plan's source: the plan and where its parts are, or every problem
/// of its form (keys, types, words). The plan's rules are checked by
/// [`compile_plan`].
pub fn parse_plan(text: &str) -> Result<(Plan, PlanSpans), Vec<Found>> {
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            return Err(vec![Found::new(
                span,
                format!("this is not valid TOML: {}", err.message().trim()),
            )]);
        }
    };
    let mut found = Vec::new();
    let root = Spanned::new(0..text.len(), DeValue::Table(doc.into_inner()));
    let Some(top) = Fields::new(&root, "the plan", TOP_KEYS, &mut found) else {
        return Err(found);
    };
    let mut spans = PlanSpans::default();
    let (id, id_span) = top.str("id", true, &mut found).unwrap_or_default();
    spans.id = id_span;
    let (title, title_span) = top.str("title", true, &mut found).unwrap_or_default();
    spans.title = title_span;
    let audience = audience(&top, &mut found);
    let minutes = match top.int("minutes", 0, i64::from(u16::MAX), &mut found) {
        Some((n, span)) => {
            spans.minutes = span;
            n as u16
        }
        None => {
            if top.get("minutes").is_none() {
                top.missing("minutes", &mut found);
            }
            0
        }
    };
    let (summary, summary_span) = top.str("summary", true, &mut found).unwrap_or_default();
    spans.summary = summary_span;
    let mut steps = Vec::new();
    for value in top.tables("step", &mut found) {
        let mut step_spans = StepSpans {
            table: value.span(),
            ..StepSpans::default()
        };
        if let Some(s) = step(value, &mut step_spans, &mut found) {
            steps.push(s);
            spans.steps.push(step_spans);
        }
    }
    let plan = Plan {
        id,
        title,
        audience,
        minutes,
        summary,
        steps,
    };
    if found.is_empty() {
        Ok((plan, spans))
    } else {
        Err(found)
    }
}

fn audience(top: &Fields<'_, '_>, found: &mut Vec<Found>) -> Audience {
    let Some((word, span)) = top.str("audience", true, found) else {
        return Audience::Mixed;
    };
    match word.as_str() {
        "engineers" => Audience::Engineers,
        "managers" => Audience::Managers,
        "leaders" => Audience::Leaders,
        "mixed" => Audience::Mixed,
        other => {
            found.push(unknown_word(span, "audience", other, AUDIENCES));
            Audience::Mixed
        }
    }
}

/// The `kind` of a step table, read before its other keys so that they can
/// be checked against the keys of that kind.
fn kind_of<'v>(value: &'v Value<'_>) -> Option<(&'v str, Range<usize>)> {
    let table = value.get_ref().as_table()?;
    let (_, kind) = table.iter().find(|(k, _)| {
        let k: &str = k.get_ref();
        k == "kind"
    })?;
    Some((kind.get_ref().as_str()?, kind.span()))
}

/// Reads one `[[step]]`.
fn step(value: &Value<'_>, spans: &mut StepSpans, found: &mut Vec<Found>) -> Option<Step> {
    let Some((kind, kind_span)) = kind_of(value) else {
        let f = Fields::new(value, "a [[step]]", BREAK_KEYS, found)?;
        match f.get("kind") {
            None => f.missing("kind", found),
            Some(v) => found.push(Found::new(
                v.span(),
                format!("`kind` must be text, found {}", v.get_ref().type_str()),
            )),
        }
        return None;
    };
    let (what, keys) = match kind {
        "take" => ("a take step", TAKE_KEYS),
        "reveal" => ("a reveal step", TAKE_KEYS),
        "discuss" => ("a discuss step", DISCUSS_KEYS),
        "break" => ("a break step", BREAK_KEYS),
        other => {
            found.push(unknown_word(kind_span, "step kind", other, KINDS));
            return None;
        }
    };
    let f = Fields::new(value, what, keys, found)?;
    let (title, span) = f.str("title", true, found).unwrap_or_default();
    spans.title = span;
    let (purpose, span) = f.str("purpose", true, found).unwrap_or_default();
    spans.purpose = span;
    let minutes = match f.int("minutes", 0, i64::from(u16::MAX), found) {
        Some((n, span)) => {
            spans.minutes = span;
            n as u16
        }
        None => {
            if f.get("minutes").is_none() {
                f.missing("minutes", found);
            }
            0
        }
    };
    let required = matches!(kind, "take" | "reveal");
    let rubric = f.str("rubric", required, found).map(|(id, span)| {
        spans.rubric = span;
        id
    });
    let kind = match kind {
        "take" => StepKind::Take {
            rubric: rubric.unwrap_or_default(),
        },
        "reveal" => StepKind::Reveal {
            rubric: rubric.unwrap_or_default(),
        },
        "discuss" => StepKind::Discuss {
            rubric,
            prompts: prompts(&f, spans, found),
        },
        _ => StepKind::Break,
    };
    Some(Step {
        title,
        purpose,
        minutes,
        kind,
    })
}

/// Reads a discussion's `prompts`, a list of texts.
fn prompts(f: &Fields<'_, '_>, spans: &mut StepSpans, found: &mut Vec<Found>) -> Vec<String> {
    let Some(value) = f.get("prompts") else {
        return Vec::new();
    };
    let Some(array) = value.get_ref().as_array() else {
        found.push(Found::new(
            value.span(),
            format!(
                "`prompts` must be a list of texts, found {}",
                value.get_ref().type_str()
            ),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in array {
        match item.get_ref().as_str() {
            Some(text) => {
                out.push(crate::source::reflow(text));
                spans.prompts.push(item.span());
            }
            None => found.push(Found::new(
                item.span(),
                format!(
                    "each of `prompts` must be text, found {}",
                    item.get_ref().type_str()
                ),
            )),
        }
    }
    out
}

/// Reads and checks one plan source against the rubric ids of `library`:
/// the plan, or every problem at file:line:col.
pub fn compile_plan(source: &Source, library: &[&str]) -> Result<Plan, CompileError> {
    let located = |found: Vec<Found>| {
        CompileError::Diagnostics(
            found
                .into_iter()
                .map(|f| f.locate(&source.path, &source.text))
                .collect(),
        )
    };
    let (plan, spans) = parse_plan(&source.text).map_err(located)?;
    let problems = check(&plan, Some(library));
    if problems.is_empty() {
        return Ok(plan);
    }
    Err(located(
        problems
            .into_iter()
            .map(|(at, problem)| {
                let found = Found::new(spans.of(at), problem.to_string());
                match problem.help() {
                    Some(help) => found.help(help),
                    None => found,
                }
            })
            .collect(),
    ))
}
