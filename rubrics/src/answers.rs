//! Answers as JSON keyed by item id: the format of `score --answers` files
//! and of stored attempts.
//!
//! An integer for scale and count items, `true`/`false` for yes/no, an option
//! id for single choice, an array of option ids for multiple choice, and a
//! string for free text. Keys are item ids, so stored answers stay readable
//! after a rubric gains or reorders items.

use std::collections::BTreeMap;

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::{Answer, Answers, ScoreResult};
use serde_json::{Map, Value};

use crate::report::{report, ResultReport};

/// Answers for the engine plus the free texts, which the engine never sees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerSet {
    /// One slot per item.
    pub answers: Answers,
    /// Free-text answers by item id.
    pub texts: BTreeMap<String, String>,
}

/// Why an answer file was refused. Every variant names the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerFileError {
    /// The file is not a JSON object.
    #[error("answers must be a JSON object keyed by item id")]
    NotAnObject,
    /// A key that is not an item of the rubric.
    #[error("`{item}` is not an item of this rubric{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownItem {
        /// The key.
        item: String,
        /// The closest item id.
        suggestion: Option<String>,
    },
    /// A value of the wrong JSON type.
    #[error("item `{item}` is a {kind} item and needs {expected}")]
    WrongType {
        /// The item.
        item: String,
        /// Its kind.
        kind: &'static str,
        /// What the value should be.
        expected: &'static str,
    },
    /// An option id the item does not have.
    #[error("item `{item}` has no option `{option}` (options: {known})")]
    UnknownOption {
        /// The item.
        item: String,
        /// The option given.
        option: String,
        /// The options it has.
        known: String,
    },
    /// A number outside the item's range.
    #[error("item `{item}`: {value} is outside the allowed range {min}..={max}")]
    OutOfRange {
        /// The item.
        item: String,
        /// The value given.
        value: i64,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// Required items without an answer.
    #[error("required item(s) without an answer: {}", .0.join(", "))]
    MissingRequired(Vec<String>),
}

fn expected(kind: &ItemKind<'_>) -> &'static str {
    match kind {
        ItemKind::Scale { .. } | ItemKind::Count { .. } => "a whole number",
        ItemKind::YesNo { .. } => "true or false",
        ItemKind::Single { .. } => "an option id (a string)",
        ItemKind::Multi { .. } => "an array of option ids",
        ItemKind::Text => "a string",
    }
}

/// Reads answers for `rubric` from a JSON value. Does not check that required
/// items are answered (see [`missing_required`]).
pub fn from_json(rubric: &Rubric<'_>, value: &Value) -> Result<AnswerSet, AnswerFileError> {
    let object = value.as_object().ok_or(AnswerFileError::NotAnObject)?;
    let mut set = AnswerSet {
        answers: Answers::new(rubric.items.len()),
        texts: BTreeMap::new(),
    };
    for (key, value) in object {
        let Some(index) = rubric.item_index(key) else {
            return Err(AnswerFileError::UnknownItem {
                item: key.clone(),
                suggestion: crate::diagnostic::did_you_mean(key, rubric.items.iter().map(|i| i.id))
                    .map(String::from),
            });
        };
        let Some(item) = rubric.item(index) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        let wrong = || AnswerFileError::WrongType {
            item: key.clone(),
            kind: item.kind.name(),
            expected: expected(&item.kind),
        };
        let option_index = |id: &str| -> Result<u8, AnswerFileError> {
            let options = item.kind.options();
            options
                .iter()
                .position(|o| o.id == id)
                .map(|i| i as u8)
                .ok_or_else(|| AnswerFileError::UnknownOption {
                    item: key.clone(),
                    option: id.to_string(),
                    known: options.iter().map(|o| o.id).collect::<Vec<_>>().join(", "),
                })
        };
        // A whole number within [min, max], or an error naming the item.
        let number = |min: i64, max: i64| -> Result<i64, AnswerFileError> {
            let n = value.as_i64().ok_or_else(wrong)?;
            if (min..=max).contains(&n) {
                Ok(n)
            } else {
                Err(AnswerFileError::OutOfRange {
                    item: key.clone(),
                    value: n,
                    min,
                    max,
                })
            }
        };
        let answer = match item.kind {
            ItemKind::Scale { min, max, .. } => {
                Answer::Level(number(min.into(), max.into())? as u8)
            }
            ItemKind::Count { min, max, .. } => {
                Answer::Count(number(min.into(), max.into())? as u32)
            }
            ItemKind::YesNo { .. } => Answer::YesNo(value.as_bool().ok_or_else(wrong)?),
            ItemKind::Single { .. } => {
                Answer::Choice(option_index(value.as_str().ok_or_else(wrong)?)?)
            }
            ItemKind::Multi { .. } => {
                let mut mask = 0u16;
                for entry in value.as_array().ok_or_else(wrong)? {
                    mask |= 1 << option_index(entry.as_str().ok_or_else(wrong)?)?;
                }
                Answer::Choices(mask)
            }
            ItemKind::Text => {
                let text = value.as_str().ok_or_else(wrong)?;
                if text.trim().is_empty() {
                    continue;
                }
                set.texts.insert(key.clone(), text.to_string());
                Answer::Text
            }
        };
        // Cannot fail: index is within the rubric's items.
        let _ = set.answers.set(index, answer);
    }
    Ok(set)
}

/// Writes answers as JSON keyed by item id (unanswered items are left out).
pub fn to_json(rubric: &Rubric<'_>, set: &AnswerSet) -> Value {
    let mut object = Map::new();
    for (index, item) in rubric.items.iter().enumerate() {
        let options = item.kind.options();
        let option_id = |i: u8| options.get(usize::from(i)).map(|o| Value::from(o.id));
        let value = match set.answers.get(index) {
            Answer::Unanswered => None,
            Answer::Level(level) => Some(Value::from(level)),
            Answer::Count(count) => Some(Value::from(count)),
            Answer::YesNo(yes) => Some(Value::from(yes)),
            Answer::Choice(i) => option_id(i),
            Answer::Choices(mask) => Some(Value::Array(
                (0..16u8)
                    .filter(|i| mask & (1 << i) != 0)
                    .filter_map(option_id)
                    .collect(),
            )),
            Answer::Text => set.texts.get(item.id).map(|t| Value::from(t.as_str())),
        };
        if let Some(value) = value {
            object.insert(item.id.to_string(), value);
        }
    }
    Value::Object(object)
}

/// Ids of visible required items without an answer.
pub fn missing_required(rubric: &Rubric<'_>, answers: &Answers) -> Vec<String> {
    let runner = rubric_engine::Runner::resume(*rubric, answers.clone(), 0);
    runner
        .missing_required()
        .filter_map(|i| rubric.item(i).map(|item| item.id.to_string()))
        .collect()
}

/// What a complete answer set scored: the engine's result and its named report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The answers read.
    pub set: AnswerSet,
    /// The engine's result.
    pub result: ScoreResult,
}

/// Reads a complete answer set and scores it with the engine: the flow of
/// `rubric-kiosk score`. Every visible required item must be answered.
pub fn score_complete(
    rubric: &Rubric<'_>,
    value: &Value,
) -> Result<(Scored, ResultReport), AnswerFileError> {
    let set = from_json(rubric, value)?;
    let missing = missing_required(rubric, &set.answers);
    if !missing.is_empty() {
        return Err(AnswerFileError::MissingRequired(missing));
    }
    let result = rubric_engine::score(rubric, &set.answers);
    let report = report(rubric, &result);
    Ok((Scored { set, result }, report))
}

/// Reads what still fits `rubric` from answers written for an earlier version
/// of it (a stored attempt after the rubric was updated): each answer is
/// checked on its own, exactly as [`from_json`] checks it, and kept if it is
/// valid. Returns the answers kept and the keys dropped (unknown items,
/// values that no longer fit), in key order. A value that is not an object
/// keeps nothing and drops nothing.
pub fn from_json_lenient(rubric: &Rubric<'_>, value: &Value) -> (AnswerSet, Vec<String>) {
    let mut set = AnswerSet {
        answers: Answers::new(rubric.items.len()),
        texts: BTreeMap::new(),
    };
    let mut dropped = Vec::new();
    for (key, answer) in value.as_object().into_iter().flatten() {
        let one = Value::Object(Map::from_iter([(key.clone(), answer.clone())]));
        match (from_json(rubric, &one), rubric.item_index(key)) {
            (Ok(kept), Some(index)) => {
                // Cannot fail: index is within the rubric's items.
                let _ = set.answers.set(index, kept.answers.get(index));
                set.texts.extend(kept.texts);
            }
            _ => dropped.push(key.clone()),
        }
    }
    (set, dropped)
}
