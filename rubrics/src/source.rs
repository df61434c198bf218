//! Reading one TOML rubric source into the engine's owned model, collecting
//! every problem with its byte span. The format is documented in FORMAT.md.

use std::ops::Range;

use rubric_engine::model::{
    BandOn, BandScope, Category, CaveatKind, Condition, GridCell, Horizon, Rule, Target, Test,
    Weight,
};
use rubric_engine::owned::{
    Action, Band, Caveat, ChoiceOption, Dimension, Item, ItemKind, Outcome, Rubric, Section,
    VerdictRule,
};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Found};

type Value<'i> = Spanned<DeValue<'i>>;

/// Where each part of a rubric stands in its source, for engine errors.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    /// The `id` of the rubric.
    pub rubric: Range<usize>,
    /// Each caveat.
    pub caveats: Vec<Range<usize>>,
    /// Each `[[section]]`.
    pub sections: Vec<Range<usize>>,
    /// Each `[[item]]`.
    pub items: Vec<Range<usize>>,
    /// Each option of each item.
    pub options: Vec<Vec<Range<usize>>>,
    /// Each `[[dimension]]`.
    pub dimensions: Vec<Range<usize>>,
    /// Each `[[outcome]]`.
    pub outcomes: Vec<Range<usize>>,
    /// Each `[[band]]`.
    pub bands: Vec<Range<usize>>,
    /// The `[verdict]` table.
    pub verdict: Range<usize>,
    /// Each verdict cell.
    pub cells: Vec<Range<usize>>,
}

/// A parsed rubric with the spans of its parts.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The rubric.
    pub rubric: Rubric,
    /// Where its parts are.
    pub spans: Spans,
}

/// Reads the keys of one table, remembering which were used so that the
/// rest can be reported as unknown.
struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    what: &'static str,
    allowed: &'static [&'static str],
}

impl<'t, 'i> Fields<'t, 'i> {
    fn new(
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

    fn get(&self, key: &str) -> Option<&'t Value<'i>> {
        self.table
            .iter()
            .find(|(k, _)| {
                let name: &str = k.get_ref();
                name == key
            })
            .map(|(_, v)| v)
    }

    fn missing(&self, key: &str, found: &mut Vec<Found>) {
        found.push(Found::new(
            self.span.clone(),
            format!("{} is missing `{key}`", self.what),
        ));
    }

    fn str(
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

    fn text(&self, key: &str, found: &mut Vec<Found>) -> String {
        self.str(key, false, found)
            .map(|(t, _)| t)
            .unwrap_or_default()
    }

    fn required_text(&self, key: &str, found: &mut Vec<Found>) -> String {
        self.str(key, true, found)
            .map(|(t, _)| t)
            .unwrap_or_default()
    }

    fn int(
        &self,
        key: &str,
        min: i64,
        max: i64,
        found: &mut Vec<Found>,
    ) -> Option<(i64, Range<usize>)> {
        let value = self.get(key)?;
        int_value(key, value, min, max, found).map(|n| (n, value.span()))
    }

    fn bool(&self, key: &str, default: bool, found: &mut Vec<Found>) -> bool {
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
    fn tables(&self, key: &str, found: &mut Vec<Found>) -> &'t [Value<'i>] {
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

fn int_value(
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
fn quick_id(value: &Value<'_>) -> String {
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

fn resolve(
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

const TOP_KEYS: &[&str] = &[
    "id",
    "version",
    "title",
    "summary",
    "intro",
    "category",
    "minutes",
    "caveats",
    "section",
    "item",
    "dimension",
    "outcome",
    "band",
    "verdict",
];
const SECTION_KEYS: &[&str] = &["id", "title", "intro"];
const ITEM_KEYS: &[&str] = &[
    "id", "section", "kind", "prompt", "help", "required", "show-if", "weights", "levels", "min",
    "max", "reverse", "option", "unit",
];
const OPTION_KEYS: &[&str] = &["id", "label", "weights"];
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
const OUTCOME_KEYS: &[&str] = &["id", "title", "description"];
const BAND_KEYS: &[&str] = &[
    "id",
    "dimension",
    "range",
    "label",
    "explanation",
    "actions",
];
const VERDICT_KEYS: &[&str] = &["dimension", "top-outcome", "first", "second", "cell"];
const CELL_KEYS: &[&str] = &["first", "second", "verdict"];
const SHOW_IF_KEYS: &[&str] = &["item", "is", "chosen", "at-least", "at-most"];
const ACTION_KEYS: &[&str] = &["now", "week", "month", "quarter"];
const CAVEAT_KEYS: &[&str] = &["small-company", "company-on-fire", "time-in-level", "other"];
const KINDS: &[&str] = &["scale", "yes-no", "single", "multi", "count", "text"];
const CATEGORIES: &[&str] = &[
    "self-assessment",
    "archetype-fit",
    "for-managers",
    "about-organisation",
];
const RULES: &[&str] = &["weighted-sum", "yes-count", "ratio"];

/// Ids declared in a source, collected before anything is resolved.
struct Names {
    sections: Vec<String>,
    items: Vec<String>,
    options: Vec<Vec<String>>,
    dimensions: Vec<String>,
    outcomes: Vec<String>,
    bands: Vec<String>,
}

/// Parses one rubric source. Returns the rubric if there were no problems.
pub fn parse(text: &str) -> Result<Parsed, Vec<Found>> {
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
    let Some(top) = Fields::new(&root, "the rubric", TOP_KEYS, &mut found) else {
        return Err(found);
    };

    let section_tables = top.tables("section", &mut found);
    let item_tables = top.tables("item", &mut found);
    let dimension_tables = top.tables("dimension", &mut found);
    let outcome_tables = top.tables("outcome", &mut found);
    let band_tables = top.tables("band", &mut found);
    let names = Names {
        sections: section_tables.iter().map(quick_id).collect(),
        items: item_tables.iter().map(quick_id).collect(),
        options: item_tables
            .iter()
            .map(|t| {
                t.get_ref()
                    .as_table()
                    .and_then(|t| {
                        t.iter().find(|(k, _)| {
                            let k: &str = k.get_ref();
                            k == "option"
                        })
                    })
                    .and_then(|(_, v)| v.get_ref().as_array())
                    .map(|a| a.iter().map(quick_id).collect())
                    .unwrap_or_default()
            })
            .collect(),
        dimensions: dimension_tables.iter().map(quick_id).collect(),
        outcomes: outcome_tables.iter().map(quick_id).collect(),
        bands: band_tables.iter().map(quick_id).collect(),
    };
    let mut spans = Spans::default();

    let (id, id_span) = top.str("id", true, &mut found).unwrap_or_default();
    spans.rubric = id_span;
    let version = top
        .int("version", 0, i64::from(u16::MAX), &mut found)
        .map_or(1, |(v, _)| v as u16);
    let minutes = top
        .int("minutes", 1, 255, &mut found)
        .map_or(5, |(v, _)| v as u8);
    let category = match top.str("category", true, &mut found) {
        Some((name, span)) => match name.as_str() {
            "self-assessment" => Category::SelfAssessment,
            "archetype-fit" => Category::ArchetypeFit,
            "for-managers" => Category::ForManagers,
            "about-organisation" => Category::AboutOrganisation,
            other => {
                let mut f = Found::new(span, format!("unknown category `{other}`"));
                f = f.help(match did_you_mean(other, CATEGORIES.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use one of: {}", CATEGORIES.join(", ")),
                });
                found.push(f);
                Category::SelfAssessment
            }
        },
        None => Category::SelfAssessment,
    };

    let mut caveats = Vec::new();
    if let Some(value) = top.get("caveats") {
        if let Some(fields) = Fields::new(value, "[caveats]", CAVEAT_KEYS, &mut found) {
            for (key, kind) in [
                ("small-company", CaveatKind::SmallCompany),
                ("company-on-fire", CaveatKind::CompanyOnFire),
                ("time-in-level", CaveatKind::TimeInLevel),
                ("other", CaveatKind::Other),
            ] {
                if let Some((text, span)) = fields.str(key, false, &mut found) {
                    caveats.push(Caveat { kind, text });
                    spans.caveats.push(span);
                }
            }
        }
    }

    let mut sections = Vec::new();
    for value in section_tables {
        spans.sections.push(value.span());
        let Some(f) = Fields::new(value, "a [[section]]", SECTION_KEYS, &mut found) else {
            continue;
        };
        sections.push(Section {
            id: f.required_text("id", &mut found),
            title: f.required_text("title", &mut found),
            intro: f.text("intro", &mut found),
        });
    }
    let title = top.required_text("title", &mut found);
    let mut section_names = names.sections.clone();
    if sections.is_empty() {
        // The common case of one unnamed section.
        sections.push(Section {
            id: "main".into(),
            title: title.clone(),
            intro: String::new(),
        });
        section_names.push("main".into());
        spans.sections.push(top.span.clone());
    }

    let targets = |found: &mut Vec<Found>, value: Option<&Value<'_>>| -> Vec<Weight> {
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
            let Some(amount) = int_value(
                name,
                weight,
                0,
                i64::from(rubric_engine::limits::MAX_WEIGHT),
                found,
            ) else {
                continue;
            };
            let dimension = names.dimensions.iter().position(|d| d == name);
            let outcome = names.outcomes.iter().position(|o| o == name);
            let target = match (dimension, outcome) {
                (Some(_), Some(_)) => {
                    found.push(Found::new(
                        key.span(),
                        format!(
                            "`{name}` is both a dimension and an outcome; give them different ids"
                        ),
                    ));
                    continue;
                }
                (Some(d), None) => Target::Dimension(d as u8),
                (None, Some(o)) => Target::Outcome(o as u8),
                (None, None) => {
                    let all: Vec<&str> = names
                        .dimensions
                        .iter()
                        .chain(&names.outcomes)
                        .map(String::as_str)
                        .collect();
                    let mut f = Found::new(
                        key.span(),
                        format!(
                            "weights name `{name}`, which is neither a dimension nor an outcome"
                        ),
                    );
                    if let Some(s) = did_you_mean(name, all.iter().copied()) {
                        f = f.help(format!("did you mean `{s}`?"));
                    }
                    found.push(f);
                    continue;
                }
            };
            weights.push(Weight {
                target,
                value: amount as u16,
            });
        }
        weights
    };

    let mut items = Vec::new();
    for (index, value) in item_tables.iter().enumerate() {
        spans.items.push(value.span());
        spans.options.push(Vec::new());
        let Some(f) = Fields::new(value, "an [[item]]", ITEM_KEYS, &mut found) else {
            continue;
        };
        let item_id = f.required_text("id", &mut found);
        let section = match f.str("section", false, &mut found) {
            Some((name, span)) => {
                resolve("section", &name, span, &section_names, &mut found).unwrap_or(0)
            }
            None if section_names.len() == 1 => 0,
            None => {
                f.missing("section", &mut found);
                0
            }
        };
        let kind_name = f.str("kind", true, &mut found);
        let options_of = |found: &mut Vec<Found>,
                          spans: &mut Vec<Range<usize>>|
         -> Vec<ChoiceOption> {
            let mut options = Vec::new();
            for option in f.tables("option", found) {
                spans.push(option.span());
                let Some(of) = Fields::new(option, "an [[item.option]]", OPTION_KEYS, found) else {
                    continue;
                };
                options.push(ChoiceOption {
                    id: of.required_text("id", found),
                    label: of.required_text("label", found),
                    weights: targets(found, of.get("weights")),
                });
            }
            options
        };
        let not_for = |key: &str, kind: &str, found: &mut Vec<Found>| {
            if let Some(v) = f.get(key) {
                found.push(Found::new(
                    v.span(),
                    format!("`{key}` does not apply to a {kind} item"),
                ));
            }
        };
        let kind = match kind_name.as_ref().map(|(k, s)| (k.as_str(), s.clone())) {
            Some(("scale", _)) => {
                let min = f.int("min", 0, 255, &mut found).map_or(1, |(v, _)| v as u8);
                let descriptors: Vec<String> = match f.get("levels") {
                    Some(v) => match v.get_ref().as_array() {
                        Some(levels) => levels
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
                            .collect(),
                        None => {
                            found.push(Found::new(
                                v.span(),
                                "`levels` must be a list of texts, lowest level first",
                            ));
                            Vec::new()
                        }
                    },
                    None => {
                        f.missing("levels", &mut found);
                        Vec::new()
                    }
                };
                if descriptors.len() < 2 && f.get("levels").is_some() {
                    let span = f.get("levels").map_or(f.span.clone(), |v| v.span());
                    found.push(Found::new(span, "a scale needs at least 2 levels"));
                }
                let max = (usize::from(min) + descriptors.len().max(2) - 1).min(255) as u8;
                if let Some((_, span)) = f.int("max", 0, 255, &mut found) {
                    found.push(Found::new(
                        span,
                        "a scale's highest level comes from its `levels`; remove `max`",
                    ));
                }
                not_for("option", "scale", &mut found);
                not_for("unit", "scale", &mut found);
                ItemKind::Scale {
                    min,
                    max,
                    reverse: f.bool("reverse", false, &mut found),
                    descriptors,
                }
            }
            Some(("yes-no", _)) => {
                for key in ["levels", "min", "max", "option", "unit"] {
                    not_for(key, "yes-no", &mut found);
                }
                ItemKind::YesNo {
                    reverse: f.bool("reverse", false, &mut found),
                }
            }
            Some(("single", _)) | Some(("multi", _)) => {
                for key in ["levels", "min", "max", "unit", "reverse", "weights"] {
                    not_for(key, "choice", &mut found);
                }
                let options = options_of(&mut found, &mut spans.options[index]);
                if kind_name.as_ref().is_some_and(|(k, _)| k == "single") {
                    ItemKind::Single { options }
                } else {
                    ItemKind::Multi { options }
                }
            }
            Some(("count", _)) => {
                for key in ["levels", "option", "reverse"] {
                    not_for(key, "count", &mut found);
                }
                let min = f
                    .int("min", 0, i64::from(u32::MAX), &mut found)
                    .map_or(0, |(v, _)| v as u32);
                let max = match f.int("max", 0, i64::from(u32::MAX), &mut found) {
                    Some((v, _)) => v as u32,
                    None => {
                        if f.get("max").is_none() {
                            f.missing("max", &mut found);
                        }
                        0
                    }
                };
                ItemKind::Count {
                    min,
                    max,
                    unit: f.text("unit", &mut found),
                }
            }
            Some(("text", _)) => {
                for key in [
                    "levels", "min", "max", "option", "unit", "reverse", "weights",
                ] {
                    not_for(key, "text", &mut found);
                }
                ItemKind::Text
            }
            Some((other, span)) => {
                let mut e = Found::new(span, format!("unknown item kind `{other}`"));
                e = e.help(match did_you_mean(other, KINDS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use one of: {}", KINDS.join(", ")),
                });
                found.push(e);
                ItemKind::Text
            }
            None => ItemKind::Text,
        };
        let is_choice = matches!(kind, ItemKind::Single { .. } | ItemKind::Multi { .. });
        let show_if = f
            .get("show-if")
            .and_then(|v| condition(v, index, &names, &mut found));
        items.push(Item {
            id: item_id,
            section,
            prompt: f.required_text("prompt", &mut found),
            help: f.text("help", &mut found),
            required: f.bool("required", !matches!(kind, ItemKind::Text), &mut found),
            show_if,
            weights: if is_choice || matches!(kind, ItemKind::Text) {
                Vec::new()
            } else {
                targets(&mut found, f.get("weights"))
            },
            kind,
        });
    }

    let mut dimensions = Vec::new();
    for value in dimension_tables {
        spans.dimensions.push(value.span());
        let Some(f) = Fields::new(value, "a [[dimension]]", DIMENSION_KEYS, &mut found) else {
            continue;
        };
        let rule = match f.str("rule", false, &mut found) {
            None => Rule::WeightedSum,
            Some((name, span)) => match name.as_str() {
                "weighted-sum" => Rule::WeightedSum,
                "yes-count" => match f.str("section", false, &mut found) {
                    Some((s, span)) => Rule::YesCount {
                        section: resolve("section", &s, span, &section_names, &mut found)
                            .unwrap_or(0),
                    },
                    None if section_names.len() == 1 => Rule::YesCount { section: 0 },
                    None => {
                        f.missing("section", &mut found);
                        Rule::YesCount { section: 0 }
                    }
                },
                "ratio" => {
                    let mut item_ref = |key: &str| match f.str(key, true, &mut found) {
                        Some((s, span)) => {
                            resolve("item", &s, span, &names.items, &mut found).unwrap_or(0)
                        }
                        None => 0,
                    };
                    let part = item_ref("part");
                    let rest = item_ref("rest");
                    Rule::Ratio { part, rest }
                }
                other => {
                    let mut e = Found::new(span, format!("unknown rule `{other}`"));
                    e = e.help(match did_you_mean(other, RULES.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("use one of: {}", RULES.join(", ")),
                    });
                    found.push(e);
                    Rule::WeightedSum
                }
            },
        };
        let default_on = if matches!(rule, Rule::YesCount { .. }) {
            BandOn::Value
        } else {
            BandOn::Percent
        };
        let band_on = match f.str("band-on", false, &mut found) {
            None => default_on,
            Some((name, span)) => match name.as_str() {
                "value" => BandOn::Value,
                "percent" => BandOn::Percent,
                other => {
                    found.push(Found::new(
                        span,
                        format!("`band-on` is `{other}`; use `value` or `percent`"),
                    ));
                    default_on
                }
            },
        };
        if !matches!(rule, Rule::YesCount { .. }) {
            if let Some(v) = f.get("section") {
                found.push(Found::new(
                    v.span(),
                    "`section` only applies to a yes-count dimension",
                ));
            }
        }
        dimensions.push(Dimension {
            id: f.required_text("id", &mut found),
            title: f.required_text("title", &mut found),
            description: f.text("description", &mut found),
            rule,
            band_on,
        });
    }

    let mut outcomes = Vec::new();
    for value in outcome_tables {
        spans.outcomes.push(value.span());
        let Some(f) = Fields::new(value, "an [[outcome]]", OUTCOME_KEYS, &mut found) else {
            continue;
        };
        outcomes.push(Outcome {
            id: f.required_text("id", &mut found),
            title: f.required_text("title", &mut found),
            description: f.text("description", &mut found),
        });
    }

    let mut bands = Vec::new();
    for value in band_tables {
        spans.bands.push(value.span());
        let Some(f) = Fields::new(value, "a [[band]]", BAND_KEYS, &mut found) else {
            continue;
        };
        let scope = match f.str("dimension", false, &mut found) {
            Some((d, span)) => BandScope::Dimension(
                resolve("dimension", &d, span, &names.dimensions, &mut found).unwrap_or(0),
            ),
            None => BandScope::Verdict,
        };
        let (lo, hi) = match (scope, f.get("range")) {
            (BandScope::Dimension(_), Some(v)) => {
                match v.get_ref().as_array().map(|a| a.as_ref()) {
                    Some([lo, hi]) => (
                        int_value("range", lo, 0, i64::from(u32::MAX), &mut found).unwrap_or(0)
                            as u32,
                        int_value("range", hi, 0, i64::from(u32::MAX), &mut found).unwrap_or(0)
                            as u32,
                    ),
                    _ => {
                        found.push(Found::new(
                            v.span(),
                            "`range` must be two numbers, [lowest, highest], both included",
                        ));
                        (0, 0)
                    }
                }
            }
            (BandScope::Dimension(_), None) => {
                f.missing("range", &mut found);
                (0, 0)
            }
            (BandScope::Verdict, Some(v)) => {
                found.push(Found::new(
                    v.span(),
                    "a verdict band (one without `dimension`) has no `range`",
                ));
                (0, 0)
            }
            (BandScope::Verdict, None) => (0, 0),
        };
        let mut actions = Vec::new();
        if let Some(value) = f.get("actions") {
            if let Some(af) = Fields::new(value, "`actions`", ACTION_KEYS, &mut found) {
                for (key, horizon) in [
                    ("now", Horizon::Now),
                    ("week", Horizon::Week),
                    ("month", Horizon::Month),
                    ("quarter", Horizon::Quarter),
                ] {
                    let Some(v) = af.get(key) else { continue };
                    match (v.get_ref().as_str(), v.get_ref().as_array()) {
                        (Some(text), _) => actions.push(Action {
                            horizon,
                            text: text.trim().to_string(),
                        }),
                        (None, Some(list)) => {
                            for entry in list.iter() {
                                match entry.get_ref().as_str() {
                                    Some(text) => actions.push(Action {
                                        horizon,
                                        text: text.trim().to_string(),
                                    }),
                                    None => found
                                        .push(Found::new(entry.span(), "each action must be text")),
                                }
                            }
                        }
                        _ => found.push(Found::new(
                            v.span(),
                            "an action must be text or a list of texts",
                        )),
                    }
                }
            }
        }
        bands.push(Band {
            id: f.required_text("id", &mut found),
            scope,
            lo,
            hi,
            label: f.required_text("label", &mut found),
            explanation: f.text("explanation", &mut found),
            actions,
        });
    }

    let headline = match top.get("verdict") {
        None => {
            top.missing("verdict", &mut found);
            VerdictRule::TopOutcome
        }
        Some(value) => {
            spans.verdict = value.span();
            verdict(value, &names, &mut spans, &mut found)
        }
    };

    let rubric = Rubric {
        id,
        version,
        category,
        minutes,
        title,
        summary: top.required_text("summary", &mut found),
        intro: top.text("intro", &mut found),
        caveats,
        sections,
        items,
        dimensions,
        outcomes,
        bands,
        verdict_rule: headline,
    };
    if found.is_empty() {
        Ok(Parsed { rubric, spans })
    } else {
        Err(found)
    }
}

fn condition(
    value: &Value<'_>,
    index: usize,
    names: &Names,
    found: &mut Vec<Found>,
) -> Option<Condition> {
    let f = Fields::new(value, "`show-if`", SHOW_IF_KEYS, found)?;
    let (target_id, span) = f.str("item", true, found)?;
    let item = resolve("item", &target_id, span.clone(), &names.items, found)?;
    if usize::from(item) >= index {
        found.push(Found::new(
            span,
            format!("`show-if` may only look at an earlier item, and `{target_id}` comes later"),
        ));
        return None;
    }
    let tests: Vec<&str> = ["is", "chosen", "at-least", "at-most"]
        .into_iter()
        .filter(|k| f.get(k).is_some())
        .collect();
    if tests.len() != 1 {
        found.push(Found::new(
            f.span.clone(),
            "`show-if` needs exactly one of `is`, `chosen`, `at-least`, `at-most`",
        ));
        return None;
    }
    let test = match tests[0] {
        "is" => {
            let (word, span) = f.str("is", true, found)?;
            match word.as_str() {
                "yes" => Test::IsYes,
                "no" => Test::IsNo,
                "answered" => Test::Answered,
                other => {
                    found.push(Found::new(
                        span,
                        format!("`is` is `{other}`; use `yes`, `no` or `answered`"),
                    ));
                    return None;
                }
            }
        }
        "chosen" => {
            let (option, span) = f.str("chosen", true, found)?;
            let options = names
                .options
                .get(usize::from(item))
                .cloned()
                .unwrap_or_default();
            Test::Chosen(resolve(
                &format!("option of `{target_id}`"),
                &option,
                span,
                &options,
                found,
            )?)
        }
        key => {
            let (n, _) = f.int(key, 0, i64::from(u32::MAX), found)?;
            if key == "at-least" {
                Test::AtLeast(n as u32)
            } else {
                Test::AtMost(n as u32)
            }
        }
    };
    Some(Condition { item, test })
}

fn verdict(
    value: &Value<'_>,
    names: &Names,
    spans: &mut Spans,
    found: &mut Vec<Found>,
) -> VerdictRule {
    let Some(f) = Fields::new(value, "[verdict]", VERDICT_KEYS, found) else {
        return VerdictRule::TopOutcome;
    };
    let dimension = f.str("dimension", false, found);
    let top = f.bool("top-outcome", false, found);
    let first = f.str("first", false, found);
    let second = f.str("second", false, found);
    let ways = usize::from(dimension.is_some())
        + usize::from(top)
        + usize::from(first.is_some() || second.is_some());
    if ways != 1 {
        found.push(
            Found::new(f.span.clone(), "[verdict] needs exactly one way to choose the verdict")
                .help("use `dimension = \"id\"`, or `top-outcome = true`, or `first`/`second` with [[verdict.cell]] entries"),
        );
        return VerdictRule::TopOutcome;
    }
    if let Some((d, span)) = dimension {
        return VerdictRule::Dimension(
            resolve("dimension", &d, span, &names.dimensions, found).unwrap_or(0),
        );
    }
    if top {
        return VerdictRule::TopOutcome;
    }
    let mut dim = |pair: Option<(String, Range<usize>)>, key: &str| match pair {
        Some((d, span)) => resolve("dimension", &d, span, &names.dimensions, found).unwrap_or(0),
        None => {
            f.missing(key, found);
            0
        }
    };
    let x = dim(first, "first");
    let y = dim(second, "second");
    let mut cells = Vec::new();
    for cell in f.tables("cell", found) {
        spans.cells.push(cell.span());
        let Some(cf) = Fields::new(cell, "a [[verdict.cell]]", CELL_KEYS, found) else {
            continue;
        };
        let mut band = |key: &str| match cf.str(key, true, found) {
            Some((b, span)) => resolve("band", &b, span, &names.bands, found).unwrap_or(0),
            None => 0,
        };
        let x_band = band("first");
        let y_band = band("second");
        let verdict = band("verdict");
        cells.push(GridCell {
            x_band,
            y_band,
            verdict,
        });
    }
    VerdictRule::Grid { x, y, cells }
}
