//! `[[item]]` and `[[item.option]]`: the questions, their kinds, and the
//! weights that carry answers to dimensions and outcomes.

use std::ops::Range;

use rubric_engine::model::{Target, Weight};
use rubric_engine::owned::{ChoiceOption, Item, ItemKind, ShowIf};

use super::conditions::show_if;
use super::fields::{int_value, resolve, unknown_word, Fields};
use super::{Names, Value};
use crate::diagnostic::{did_you_mean, Found};

const ITEM_KEYS: &[&str] = &[
    "id", "section", "kind", "prompt", "help", "required", "show-if", "weights", "levels", "min",
    "max", "reverse", "option", "unit",
];
const OPTION_KEYS: &[&str] = &["id", "label", "weights"];
const KINDS: &[&str] = &["scale", "yes-no", "single", "multi", "count", "text"];

/// Reads item number `index`; the spans of its options go to `option_spans`.
pub(super) fn item(
    value: &Value<'_>,
    index: usize,
    names: &Names,
    option_spans: &mut Vec<Range<usize>>,
    found: &mut Vec<Found>,
) -> Option<Item> {
    let f = Fields::new(value, "an [[item]]", ITEM_KEYS, found)?;
    let id = f.required_text("id", found);
    let section = section(&f, names, found);
    let kind = kind(&f, names, option_spans, found);
    let show_if = f
        .get("show-if")
        .map_or(ShowIf::Always, |v| show_if(v, index, names, found));
    let is_choice = matches!(kind, ItemKind::Single { .. } | ItemKind::Multi { .. });
    Some(Item {
        id,
        section,
        prompt: f.required_text("prompt", found),
        help: f.text("help", found),
        required: f.bool("required", !matches!(kind, ItemKind::Text), found),
        show_if,
        weights: if is_choice || matches!(kind, ItemKind::Text) {
            Vec::new()
        } else {
            weights(f.get("weights"), names, found)
        },
        kind,
    })
}

/// The item's `section`, which may be left out when there is only one.
fn section(f: &Fields<'_, '_>, names: &Names, found: &mut Vec<Found>) -> u8 {
    match f.str("section", false, found) {
        Some((name, span)) => resolve("section", &name, span, &names.sections, found).unwrap_or(0),
        None if names.sections.len() == 1 => 0,
        None => {
            f.missing("section", found);
            0
        }
    }
}

/// The item's `kind` with the keys that kind reads; keys of other kinds are
/// reported.
fn kind(
    f: &Fields<'_, '_>,
    names: &Names,
    option_spans: &mut Vec<Range<usize>>,
    found: &mut Vec<Found>,
) -> ItemKind {
    let Some((name, span)) = f.str("kind", true, found) else {
        return ItemKind::Text;
    };
    match name.as_str() {
        "scale" => scale(f, found),
        "yes-no" => {
            not_for(
                f,
                &["levels", "min", "max", "option", "unit"],
                "yes-no",
                found,
            );
            ItemKind::YesNo {
                reverse: f.bool("reverse", false, found),
            }
        }
        "single" | "multi" => {
            let keys = ["levels", "min", "max", "unit", "reverse", "weights"];
            not_for(f, &keys, "choice", found);
            let options = options(f, names, option_spans, found);
            if name == "single" {
                ItemKind::Single { options }
            } else {
                ItemKind::Multi { options }
            }
        }
        "count" => count(f, found),
        "text" => {
            let keys = [
                "levels", "min", "max", "option", "unit", "reverse", "weights",
            ];
            not_for(f, &keys, "text", found);
            ItemKind::Text
        }
        other => {
            found.push(unknown_word(span, "item kind", other, KINDS));
            ItemKind::Text
        }
    }
}

/// Reports each of `keys` present on an item of a `kind` that does not use it.
fn not_for(f: &Fields<'_, '_>, keys: &[&str], kind: &str, found: &mut Vec<Found>) {
    for key in keys {
        if let Some(v) = f.get(key) {
            found.push(Found::new(
                v.span(),
                format!("`{key}` does not apply to a {kind} item"),
            ));
        }
    }
}

/// A scale: `min` (1 by default) and one descriptor per level in `levels`.
fn scale(f: &Fields<'_, '_>, found: &mut Vec<Found>) -> ItemKind {
    let min = f.int("min", 0, 255, found).map_or(1, |(v, _)| v as u8);
    let descriptors = levels(f, found);
    if descriptors.len() < 2 && f.get("levels").is_some() {
        let span = f.get("levels").map_or(f.span.clone(), |v| v.span());
        found.push(Found::new(span, "a scale needs at least 2 levels"));
    }
    let max = (usize::from(min) + descriptors.len().max(2) - 1).min(255) as u8;
    if let Some((_, span)) = f.int("max", 0, 255, found) {
        found.push(Found::new(
            span,
            "a scale's highest level comes from its `levels`; remove `max`",
        ));
    }
    not_for(f, &["option", "unit"], "scale", found);
    ItemKind::Scale {
        min,
        max,
        reverse: f.bool("reverse", false, found),
        descriptors,
    }
}

/// The `levels` of a scale: short texts, lowest level first.
fn levels(f: &Fields<'_, '_>, found: &mut Vec<Found>) -> Vec<String> {
    let Some(v) = f.get("levels") else {
        f.missing("levels", found);
        return Vec::new();
    };
    let Some(levels) = v.get_ref().as_array() else {
        found.push(Found::new(
            v.span(),
            "`levels` must be a list of texts, lowest level first",
        ));
        return Vec::new();
    };
    levels
        .iter()
        .filter_map(|l| match l.get_ref().as_str() {
            Some(t) => Some(t.trim().to_string()),
            None => {
                found.push(Found::new(
                    l.span(),
                    "each level must be a short text describing it",
                ));
                None
            }
        })
        .collect()
}

/// A count: whole numbers from `min` (0 by default) to `max`, in a `unit`.
fn count(f: &Fields<'_, '_>, found: &mut Vec<Found>) -> ItemKind {
    not_for(f, &["levels", "option", "reverse"], "count", found);
    let min = f
        .int("min", 0, i64::from(u32::MAX), found)
        .map_or(0, |(v, _)| v as u32);
    let max = match f.int("max", 0, i64::from(u32::MAX), found) {
        Some((v, _)) => v as u32,
        None => {
            if f.get("max").is_none() {
                f.missing("max", found);
            }
            0
        }
    };
    ItemKind::Count {
        min,
        max,
        unit: f.text("unit", found),
    }
}

/// The `[[item.option]]` tables of a choice item.
fn options(
    f: &Fields<'_, '_>,
    names: &Names,
    spans: &mut Vec<Range<usize>>,
    found: &mut Vec<Found>,
) -> Vec<ChoiceOption> {
    let mut options = Vec::new();
    for value in f.tables("option", found) {
        spans.push(value.span());
        options.extend(option(value, names, found));
    }
    options
}

/// Reads one `[[item.option]]`.
fn option(value: &Value<'_>, names: &Names, found: &mut Vec<Found>) -> Option<ChoiceOption> {
    let f = Fields::new(value, "an [[item.option]]", OPTION_KEYS, found)?;
    Some(ChoiceOption {
        id: f.required_text("id", found),
        label: f.required_text("label", found),
        weights: weights(f.get("weights"), names, found),
    })
}

/// A `weights` table, `{ dimension-or-outcome-id = weight }`, of an item or
/// an option.
fn weights(value: Option<&Value<'_>>, names: &Names, found: &mut Vec<Found>) -> Vec<Weight> {
    let mut weights = Vec::new();
    let Some(value) = value else { return weights };
    let Some(table) = value.get_ref().as_table() else {
        found.push(Found::new(
            value.span(),
            "`weights` must be a table like { dimension-id = 2 }",
        ));
        return weights;
    };
    for (key, weight) in table.iter() {
        let name: &str = key.get_ref();
        let max = i64::from(rubric_engine::limits::MAX_WEIGHT);
        let Some(amount) = int_value(name, weight, 0, max, found) else {
            continue;
        };
        let Some(target) = target(name, key.span(), names, found) else {
            continue;
        };
        weights.push(Weight {
            target,
            value: amount as u16,
        });
    }
    weights
}

/// The dimension or outcome a weight names.
fn target(name: &str, span: Range<usize>, names: &Names, found: &mut Vec<Found>) -> Option<Target> {
    let dimension = names.dimensions.iter().position(|d| d == name);
    let outcome = names.outcomes.iter().position(|o| o == name);
    match (dimension, outcome) {
        (Some(_), Some(_)) => {
            found.push(Found::new(
                span,
                format!("`{name}` is both a dimension and an outcome; give them different ids"),
            ));
            None
        }
        (Some(d), None) => Some(Target::Dimension(d as u8)),
        (None, Some(o)) => Some(Target::Outcome(o as u8)),
        (None, None) => {
            let all = names.dimensions.iter().chain(&names.outcomes);
            let mut f = Found::new(
                span,
                format!("weights name `{name}`, which is neither a dimension nor an outcome"),
            );
            if let Some(s) = did_you_mean(name, all.map(String::as_str)) {
                f = f.help(format!("did you mean `{s}`?"));
            }
            found.push(f);
            None
        }
    }
}
