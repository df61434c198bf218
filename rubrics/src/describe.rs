//! A rubric described as JSON, for `inspect --json` and authors reviewing
//! a compiled bundle.

use rubric_engine::model::{BandOn, BandScope, Dimension, ItemKind, Rubric, Rule, VerdictRule};
use serde_json::{json, Value};

use crate::report::When;

/// An item kind as JSON: its kind name and whatever it carries.
pub fn kind_json(kind: &ItemKind<'_>) -> Value {
    match *kind {
        ItemKind::Scale {
            min,
            max,
            reverse,
            descriptors,
        } => json!({
            "kind": "scale", "min": min, "max": max, "reverse": reverse,
            "levels": descriptors.iter().collect::<Vec<_>>(),
        }),
        ItemKind::YesNo { reverse } => json!({ "kind": "yes-no", "reverse": reverse }),
        ItemKind::Single { options } | ItemKind::Multi { options } => json!({
            "kind": kind.name(),
            "options": options.iter().map(|o| json!({ "id": o.id, "label": o.label })).collect::<Vec<_>>(),
        }),
        ItemKind::Count { min, max, unit } => {
            json!({ "kind": "count", "min": min, "max": max, "unit": unit })
        }
        ItemKind::Text => json!({ "kind": "text" }),
    }
}

/// A dimension as JSON, in the words of the TOML format (`rubrics/FORMAT.md`):
/// `rule` is `weighted-sum`, `yes-count` (with the `section` it counts) or
/// `ratio` (with the `part` and `rest` count items, by id), and `band-on` is
/// `value` or `percent`. These values are stable: scripts may match on them.
pub fn dimension_json(r: &Rubric<'_>, d: &Dimension<'_>) -> Value {
    let item_id = |i: u8| r.items.get(usize::from(i)).map(|i| i.id);
    let mut v = json!({
        "id": d.id,
        "title": d.title,
        "band-on": match d.band_on {
            BandOn::Value => "value",
            BandOn::Percent => "percent",
        },
    });
    match d.rule {
        Rule::WeightedSum => v["rule"] = json!("weighted-sum"),
        Rule::YesCount { section } => {
            v["rule"] = json!("yes-count");
            v["section"] = json!(r.sections.get(usize::from(section)).map(|s| s.id));
        }
        Rule::Ratio { part, rest } => {
            v["rule"] = json!("ratio");
            v["part"] = json!(item_id(part));
            v["rest"] = json!(item_id(rest));
        }
    }
    v
}

/// A whole rubric as JSON: every item, dimension, outcome and band with its
/// label, explanation and actions, so an author can review all texts at once.
pub fn rubric_json(r: &Rubric<'_>) -> Value {
    let dimension_id = |d: u8| r.dimensions.get(usize::from(d)).map(|d| d.id.to_string());
    json!({
        "id": r.id,
        "version": r.version,
        "title": r.title,
        "summary": r.summary,
        "minutes": r.minutes,
        "items": r.items.iter().map(|i| {
            let mut v = kind_json(&i.kind);
            v["id"] = json!(i.id);
            v["prompt"] = json!(i.prompt);
            v["required"] = json!(i.required);
            v["conditional"] = json!(!i.show_if.is_always());
            v
        }).collect::<Vec<_>>(),
        "dimensions": r.dimensions.iter().map(|d| dimension_json(r, &d)).collect::<Vec<_>>(),
        "outcomes": r.outcomes.iter().map(|o| json!({ "id": o.id, "title": o.title })).collect::<Vec<_>>(),
        "bands": r.bands.iter().map(|b| json!({
            "id": b.id,
            "dimension": match b.scope { BandScope::Dimension(d) => dimension_id(d), _ => None },
            "outcome": match b.scope { BandScope::Outcome(o) => r.outcomes.get(usize::from(o)).map(|o| o.id), _ => None },
            "range": match b.scope { BandScope::Dimension(_) => json!([b.lo, b.hi]), _ => Value::Null },
            "label": b.label,
            "explanation": b.explanation,
            "actions": b.actions.iter().map(|a| json!({ "when": When::from_horizon(a.horizon).name(), "text": a.text })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "verdict": match r.verdict_rule {
            VerdictRule::Dimension(d) => json!({ "dimension": dimension_id(d) }),
            VerdictRule::TopOutcome => json!({ "top-outcome": true }),
            VerdictRule::TopOutcomeWithFallback { fallback } => json!({
                "top-outcome": true,
                "fallback": r.outcomes.get(usize::from(fallback)).map(|o| o.id),
            }),
            VerdictRule::Grid { x, y, .. } => json!({ "first": dimension_id(x), "second": dimension_id(y) }),
            VerdictRule::DimensionWithFloor { dimension, below_percent, at_most } => json!({
                "dimension": dimension_id(dimension),
                "floor": { "below": below_percent, "at-most": r.band(usize::from(at_most)).map(|b| b.id) },
            }),
        },
    })
}
