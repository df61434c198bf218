//! `[[band]]`: a labelled range of a dimension's score, a verdict band, or
//! the band of an outcome (`outcome = "id"`), or the text of a tie
//! (`tie = true`, in a top-outcome rubric), with the actions it suggests.

use rubric_engine::model::{BandScope, Horizon};
use rubric_engine::owned::{Action, Band};

use super::fields::{int_value, resolve, Fields};
use super::{Names, Value};
use crate::diagnostic::Found;

const BAND_KEYS: &[&str] = &[
    "id",
    "dimension",
    "outcome",
    "tie",
    "range",
    "label",
    "explanation",
    "actions",
];
const ACTION_KEYS: &[&str] = &["now", "week", "month", "quarter"];

/// Reads one `[[band]]`.
pub(super) fn band(value: &Value<'_>, names: &Names, found: &mut Vec<Found>) -> Option<Band> {
    let f = Fields::new(value, "a [[band]]", BAND_KEYS, found)?;
    let scope = match (
        f.str("dimension", false, found),
        f.str("outcome", false, found),
    ) {
        (Some(_), Some((_, span))) => {
            found.push(Found::new(
                span,
                "a band belongs to a `dimension` or to an `outcome`, not both",
            ));
            BandScope::Verdict
        }
        (Some((d, span)), None) => BandScope::Dimension(
            resolve("dimension", &d, span, &names.dimensions, found).unwrap_or(0),
        ),
        (None, Some((o, span))) => {
            BandScope::Outcome(resolve("outcome", &o, span, &names.outcomes, found).unwrap_or(0))
        }
        (None, None) => BandScope::Verdict,
    };
    let scope = match (f.bool("tie", false, found), scope) {
        (false, scope) => scope,
        (true, BandScope::Verdict) => BandScope::Tie,
        (true, scope) => {
            found.push(Found::new(
                f.span.clone(),
                "a tie band (`tie = true`) belongs to no `dimension` or `outcome`",
            ));
            scope
        }
    };
    let (lo, hi) = range(&f, scope, found);
    let actions = f
        .get("actions")
        .map(|value| actions(value, found))
        .unwrap_or_default();
    Some(Band {
        id: f.required_text("id", found),
        scope,
        lo,
        hi,
        label: f.required_text("label", found),
        explanation: f.text("explanation", found),
        actions,
    })
}

/// The `range = [lo, hi]` of a dimension band; verdict and outcome bands have none.
fn range(f: &Fields<'_, '_>, scope: BandScope, found: &mut Vec<Found>) -> (u32, u32) {
    match (scope, f.get("range")) {
        (BandScope::Dimension(_), Some(v)) => match v.get_ref().as_array().map(|a| a.as_ref()) {
            Some([lo, hi]) => (
                int_value("range", lo, 0, i64::from(u32::MAX), found).unwrap_or(0) as u32,
                int_value("range", hi, 0, i64::from(u32::MAX), found).unwrap_or(0) as u32,
            ),
            _ => {
                found.push(Found::new(
                    v.span(),
                    "`range` must be two numbers, [lowest, highest], both included",
                ));
                (0, 0)
            }
        },
        (BandScope::Dimension(_), None) => {
            f.missing("range", found);
            (0, 0)
        }
        (BandScope::Verdict, Some(v)) => {
            found.push(Found::new(
                v.span(),
                "a verdict band (one without `dimension`) has no `range`",
            ));
            (0, 0)
        }
        (BandScope::Outcome(_), Some(v)) => {
            found.push(Found::new(
                v.span(),
                "a band of an outcome (one with `outcome`) has no `range`",
            ));
            (0, 0)
        }
        (BandScope::Tie, Some(v)) => {
            found.push(Found::new(v.span(), "a tie band has no `range`"));
            (0, 0)
        }
        (BandScope::Verdict | BandScope::Outcome(_) | BandScope::Tie, None) => (0, 0),
    }
}

/// Reads the `actions` table of a band: a text or a list of texts per horizon.
fn actions(value: &Value<'_>, found: &mut Vec<Found>) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(f) = Fields::new(value, "`actions`", ACTION_KEYS, found) else {
        return actions;
    };
    for (key, horizon) in [
        ("now", Horizon::Now),
        ("week", Horizon::Week),
        ("month", Horizon::Month),
        ("quarter", Horizon::Quarter),
    ] {
        let Some(v) = f.get(key) else { continue };
        let action = |text: &str| Action {
            horizon,
            text: text.trim().to_string(),
        };
        match (v.get_ref().as_str(), v.get_ref().as_array()) {
            (Some(text), _) => actions.push(action(text)),
            (None, Some(list)) => {
                for entry in list.iter() {
                    match entry.get_ref().as_str() {
                        Some(text) => actions.push(action(text)),
                        None => found.push(Found::new(entry.span(), "each action must be text")),
                    }
                }
            }
            _ => found.push(Found::new(
                v.span(),
                "an action must be text or a list of texts",
            )),
        }
    }
    actions
}
