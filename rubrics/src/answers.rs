//! Answers as JSON keyed by item id: the format of `score --answers` files
//! and of stored attempts.
//!
//! An integer for scale and count items, `true`/`false` for yes/no, an option
//! id for single choice, an array of option ids for multiple choice, and a
//! string for free text. Keys are item ids, so stored answers stay readable
//! after a rubric gains or reorders items.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::{Answer, Answers, ScoreResult};
use serde::de::{DeserializeSeed, MapAccess, Visitor};
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

/// Largest answers file read, in bytes. Real answers are a few kilobytes;
/// the cap bounds the memory and time spent on a mistaken or hostile file.
pub const MAX_ANSWERS_FILE_BYTES: usize = 1 << 20;

/// Why an answer file was refused. Every variant about an answer names the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerFileError {
    /// The file is larger than [`MAX_ANSWERS_FILE_BYTES`].
    #[error("the answers are larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, [`MAX_ANSWERS_FILE_BYTES`].
        limit: usize,
    },
    /// The file is not JSON at all.
    #[error("this is not valid JSON: {0}")]
    InvalidJson(String),
    /// The same item appears twice; which one counts would be a guess.
    #[error("item `{0}` is answered twice; give each item one answer")]
    DuplicateItem(String),
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

/// Why an answers file could not be read: the file itself, or what is in it.
#[derive(Debug, thiserror::Error)]
pub enum ReadAnswersError {
    /// The file could not be opened or read.
    // The causes are part of the message, not `source`s, so that a report
    // of the whole chain does not say them twice.
    #[error("cannot read {}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        error: io::Error,
    },
    /// The file was read but its contents are refused.
    #[error("{}: {problem}", path.display())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: AnswerFileError,
    },
}

/// Reads an answers file of at most [`MAX_ANSWERS_FILE_BYTES`] (never more
/// is read into memory) and parses it with [`parse_bytes`].
pub fn read_file(path: &Path) -> Result<Value, ReadAnswersError> {
    let io_error = |error| ReadAnswersError::Io {
        path: path.to_path_buf(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_ANSWERS_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    parse_bytes(&bytes).map_err(|problem| ReadAnswersError::Refused {
        path: path.to_path_buf(),
        problem,
    })
}

/// Parses the bytes of an answers file into a JSON object for [`from_json`],
/// refusing files over [`MAX_ANSWERS_FILE_BYTES`] and objects that name an
/// item twice (plain JSON parsing would silently keep the last answer).
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, AnswerFileError> {
    if bytes.len() > MAX_ANSWERS_FILE_BYTES {
        return Err(AnswerFileError::TooLarge {
            limit: MAX_ANSWERS_FILE_BYTES,
        });
    }
    // Editors on Windows start UTF-8 files with a byte-order mark; JSON has
    // no place for one, but it is not the person's mistake.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut duplicate = None;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = UniqueKeys {
        duplicate: &mut duplicate,
    }
    .deserialize(&mut deserializer)
    .and_then(|object| deserializer.end().map(|()| object));
    match (parsed, duplicate) {
        (Ok(object), _) => Ok(Value::Object(object)),
        (Err(_), Some(key)) => Err(AnswerFileError::DuplicateItem(key)),
        (Err(e), None) if e.is_data() => Err(AnswerFileError::NotAnObject),
        (Err(e), None) => Err(AnswerFileError::InvalidJson(e.to_string())),
    }
}

/// Reads a top-level JSON object, stopping at the first key seen twice and
/// leaving it in `duplicate`.
struct UniqueKeys<'a> {
    duplicate: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for UniqueKeys<'_> {
    type Value = Map<String, Value>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys<'_> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object keyed by item id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut object = Map::new();
        while let Some((key, value)) = access.next_entry::<String, Value>()? {
            if object.contains_key(&key) {
                let error = serde::de::Error::custom(format!("item `{key}` is answered twice"));
                *self.duplicate = Some(key);
                return Err(error);
            }
            object.insert(key, value);
        }
        Ok(object)
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
