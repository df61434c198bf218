//! `[[dimension]]`: a scored dimension and the rule that scores it.

use rubric_engine::model::{BandOn, Rule};
use rubric_engine::owned::Dimension;

use super::fields::{resolve, unknown_word, Fields};
use super::{Names, Value};
use crate::diagnostic::Found;

const DIMENSION_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "rule",
    "section",
    "part",
    "rest",
    "band-on",
];
const RULES: &[&str] = &["weighted-sum", "yes-count", "ratio"];

/// Reads one `[[dimension]]`.
pub(super) fn dimension(
    value: &Value<'_>,
    names: &Names,
    found: &mut Vec<Found>,
) -> Option<Dimension> {
    let f = Fields::new(value, "a [[dimension]]", DIMENSION_KEYS, found)?;
    let rule = rule(&f, names, found);
    let band_on = band_on(&f, &rule, found);
    if !matches!(rule, Rule::YesCount { .. }) {
        if let Some(v) = f.get("section") {
            found.push(Found::new(
                v.span(),
                "`section` only applies to a yes-count dimension",
            ));
        }
    }
    Some(Dimension {
        id: f.required_text("id", found),
        title: f.required_text("title", found),
        description: f.text("description", found),
        rule,
        band_on,
    })
}

/// The `rule` (weighted sum by default) with the keys that rule needs:
/// `section` for a yes-count, `part` and `rest` for a ratio.
fn rule(f: &Fields<'_, '_>, names: &Names, found: &mut Vec<Found>) -> Rule {
    let Some((name, span)) = f.str("rule", false, found) else {
        return Rule::WeightedSum;
    };
    match name.as_str() {
        "weighted-sum" => Rule::WeightedSum,
        "yes-count" => match f.str("section", false, found) {
            Some((s, span)) => Rule::YesCount {
                section: resolve("section", &s, span, &names.sections, found).unwrap_or(0),
            },
            None if names.sections.len() == 1 => Rule::YesCount { section: 0 },
            None => {
                f.missing("section", found);
                Rule::YesCount { section: 0 }
            }
        },
        "ratio" => {
            let mut item_ref = |key: &str| match f.str(key, true, found) {
                Some((s, span)) => resolve("item", &s, span, &names.items, found).unwrap_or(0),
                None => 0,
            };
            let part = item_ref("part");
            let rest = item_ref("rest");
            Rule::Ratio { part, rest }
        }
        other => {
            found.push(unknown_word(span, "rule", other, RULES));
            Rule::WeightedSum
        }
    }
}

/// What the bands of a dimension apply to: the value for a yes-count, the
/// percentage otherwise, unless `band-on` says which.
fn band_on(f: &Fields<'_, '_>, rule: &Rule, found: &mut Vec<Found>) -> BandOn {
    let default_on = if matches!(rule, Rule::YesCount { .. }) {
        BandOn::Value
    } else {
        BandOn::Percent
    };
    let Some((name, span)) = f.str("band-on", false, found) else {
        return default_on;
    };
    match name.as_str() {
        "value" => BandOn::Value,
        "percent" => BandOn::Percent,
        other => {
            found.push(Found::new(
                span,
                format!("`band-on` is `{other}`; use `value` or `percent`"),
            ));
            default_on
        }
    }
}
