//! Reading the keys of one TOML table, and the helpers every table shares:
//! numbers, ids declared before they are resolved, and references to them.

use std::ops::Range;

use toml::de::DeTable;

use super::Value;
use crate::diagnostic::{did_you_mean, Found};

/// Reads the keys of one table, remembering which were used so that the
/// rest can be reported as unknown.
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    pub(crate) span: Range<usize>,
    what: &'static str,
    allowed: &'static [&'static str],
}

impl<'t, 'i> Fields<'t, 'i> {
    /// The table `value`, known as `what` in messages, with its `allowed` keys;
    /// every other key is reported at once.
    pub(crate) fn new(
        value: &'t Value<'i>,
        what: &'static str,
        allowed: &'static [&'static str],
        found: &mut Vec<Found>,
    ) -> Option<Self> {
        match value.get_ref().as_table() {
            Some(table) => {
                let fields = Fields {
                    table,
                    span: value.span(),
                    what,
                    allowed,
                };
                fields.check_unknown(found);
                Some(fields)
            }
            None => {
                found.push(Found::new(
                    value.span(),
                    format!(
                        "{what} must be a table, found {}",
                        value.get_ref().type_str()
                    ),
                ));
                None
            }
        }
    }

    fn check_unknown(&self, found: &mut Vec<Found>) {
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if !self.allowed.contains(&name) {
                let mut f =
                    Found::new(key.span(), format!("unknown key `{name}` in {}", self.what));
                f = match did_you_mean(name, self.allowed.iter().copied()) {
                    Some(suggestion) => f.help(format!("did you mean `{suggestion}`?")),
                    None => f.help(format!(
                        "the keys of {} are: {}",
                        self.what,
                        self.allowed.join(", ")
                    )),
                };
                found.push(f);
            }
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'t Value<'i>> {
        self.table
            .iter()
            .find(|(k, _)| {
                let name: &str = k.get_ref();
                name == key
            })
            .map(|(_, v)| v)
    }

    pub(crate) fn missing(&self, key: &str, found: &mut Vec<Found>) {
        found.push(Found::new(
            self.span.clone(),
            format!("{} is missing `{key}`", self.what),
        ));
    }

    pub(crate) fn str(
        &self,
        key: &str,
        required: bool,
        found: &mut Vec<Found>,
    ) -> Option<(String, Range<usize>)> {
        match self.get(key) {
            None => {
                if required {
                    self.missing(key, found);
                }
                None
            }
            Some(value) => match value.get_ref().as_str() {
                Some(text) => Some((reflow(text), value.span())),
                None => {
                    found.push(Found::new(
                        value.span(),
                        format!("`{key}` must be text, found {}", value.get_ref().type_str()),
                    ));
                    None
                }
            },
        }
    }

    pub(crate) fn text(&self, key: &str, found: &mut Vec<Found>) -> String {
        self.str(key, false, found)
            .map(|(t, _)| t)
            .unwrap_or_default()
    }

    pub(crate) fn required_text(&self, key: &str, found: &mut Vec<Found>) -> String {
        self.str(key, true, found)
            .map(|(t, _)| t)
            .unwrap_or_default()
    }

    pub(crate) fn int(
        &self,
        key: &str,
        min: i64,
        max: i64,
        found: &mut Vec<Found>,
    ) -> Option<(i64, Range<usize>)> {
        let value = self.get(key)?;
        int_value(key, value, min, max, found).map(|n| (n, value.span()))
    }

    pub(crate) fn bool(&self, key: &str, default: bool, found: &mut Vec<Found>) -> bool {
        match self.get(key) {
            None => default,
            Some(value) => match value.get_ref().as_bool() {
                Some(b) => b,
                None => {
                    found.push(Found::new(
                        value.span(),
                        format!("`{key}` must be true or false"),
                    ));
                    default
                }
            },
        }
    }

    /// The tables of an array of tables (`[[key]]`), or nothing.
    pub(crate) fn tables(&self, key: &str, found: &mut Vec<Found>) -> &'t [Value<'i>] {
        match self.get(key) {
            None => &[],
            Some(value) => match value.get_ref().as_array() {
                Some(array) => array,
                None => {
                    found.push(Found::new(
                        value.span(),
                        format!("`{key}` must be a list of tables, written [[{key}]]"),
                    ));
                    &[]
                }
            },
        }
    }
}

/// Joins the lines of each paragraph with spaces, so authors can wrap long
/// texts in their editor; a blank line starts a new paragraph.
pub fn reflow(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(|paragraph| {
            paragraph
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub(crate) fn int_value(
    key: &str,
    value: &Value<'_>,
    min: i64,
    max: i64,
    found: &mut Vec<Found>,
) -> Option<i64> {
    let parsed = value
        .get_ref()
        .as_integer()
        .and_then(|i| i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok());
    match parsed {
        Some(n) if (min..=max).contains(&n) => Some(n),
        Some(n) => {
            found.push(Found::new(
                value.span(),
                format!("`{key}` is {n}, but must be between {min} and {max}"),
            ));
            None
        }
        None => {
            found.push(Found::new(
                value.span(),
                format!(
                    "`{key}` must be a whole number, found {}",
                    value.get_ref().type_str()
                ),
            ));
            None
        }
    }
}

/// The id of a table, for the first pass that collects names.
pub(crate) fn quick_id(value: &Value<'_>) -> String {
    value
        .get_ref()
        .as_table()
        .and_then(|t| {
            t.iter().find(|(k, _)| {
                let k: &str = k.get_ref();
                k == "id"
            })
        })
        .and_then(|(_, v)| v.get_ref().as_str())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The index of `id` among the `known` ids of a `kind`, or a problem that
/// suggests the closest one.
pub(crate) fn resolve(
    kind: &str,
    id: &str,
    span: Range<usize>,
    known: &[String],
    found: &mut Vec<Found>,
) -> Option<u8> {
    if let Some(i) = known.iter().position(|k| k == id) {
        return Some(i as u8);
    }
    let mut f = Found::new(span, format!("there is no {kind} with id `{id}`"));
    if let Some(s) = did_you_mean(id, known.iter().map(String::as_str)) {
        f = f.help(format!("did you mean `{s}`?"));
    } else if !known.is_empty() {
        f = f.help(format!("known {kind} ids: {}", known.join(", ")));
    }
    found.push(f);
    None
}

/// An enumerated word (a kind, a rule, a category) that is not one of `words`.
pub(crate) fn unknown_word(span: Range<usize>, what: &str, word: &str, words: &[&str]) -> Found {
    Found::new(span, format!("unknown {what} `{word}`")).help(
        match did_you_mean(word, words.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", words.join(", ")),
        },
    )
}
