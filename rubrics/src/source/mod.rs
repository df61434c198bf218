//! Reading one TOML rubric source into the engine's owned model, collecting
//! every problem with its byte span. The format is documented in FORMAT.md.
//!
//! One module per kind of table, each with the keys it allows next to the
//! code that reads them: `items` (and their options), `dimensions`,
//! `outcomes`, `bands`, `verdict`, and the `show-if` `conditions`; `fields`
//! holds the key reader they share. This module reads the top-level table,
//! its `[caveats]` and `[[section]]`s.

mod bands;
mod conditions;
mod dimensions;
pub(crate) mod fields;
mod items;
mod outcomes;
mod verdict;

use std::ops::Range;

use rubric_engine::model::{Category, CaveatKind};
use rubric_engine::owned::{Caveat, Rubric, Section, VerdictRule};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub use fields::reflow;
use fields::{quick_id, unknown_word, Fields};

use crate::diagnostic::Found;

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

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
const CAVEAT_KEYS: &[&str] = &["small-company", "company-on-fire", "time-in-level", "other"];
const CATEGORIES: &[&str] = &[
    "self-assessment",
    "archetype-fit",
    "for-managers",
    "about-organisation",
];

/// Ids declared in a source, collected before anything is resolved.
struct Names {
    /// Section ids; `main` when the source declares none.
    sections: Vec<String>,
    items: Vec<String>,
    options: Vec<Vec<String>>,
    dimensions: Vec<String>,
    outcomes: Vec<String>,
    bands: Vec<String>,
}

/// The arrays of tables of a source, in the order they are read.
struct Tables<'t, 'i> {
    sections: &'t [Value<'i>],
    items: &'t [Value<'i>],
    dimensions: &'t [Value<'i>],
    outcomes: &'t [Value<'i>],
    bands: &'t [Value<'i>],
}

impl<'t, 'i> Tables<'t, 'i> {
    fn of(top: &Fields<'t, 'i>, found: &mut Vec<Found>) -> Self {
        Tables {
            sections: top.tables("section", found),
            items: top.tables("item", found),
            dimensions: top.tables("dimension", found),
            outcomes: top.tables("outcome", found),
            bands: top.tables("band", found),
        }
    }

    fn names(&self) -> Names {
        Names {
            sections: self.sections.iter().map(quick_id).collect(),
            items: self.items.iter().map(quick_id).collect(),
            options: self.items.iter().map(option_ids).collect(),
            dimensions: self.dimensions.iter().map(quick_id).collect(),
            outcomes: self.outcomes.iter().map(quick_id).collect(),
            bands: self.bands.iter().map(quick_id).collect(),
        }
    }
}

/// The ids of an item's options, for the first pass that collects names.
fn option_ids(item: &Value<'_>) -> Vec<String> {
    item.get_ref()
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
    let rubric = rubric(&top, &mut found);
    if found.is_empty() {
        Ok(rubric)
    } else {
        Err(found)
    }
}

/// Reads the top-level table and, through it, every other table. Problems
/// are reported in the order the parts are read here.
fn rubric(top: &Fields<'_, '_>, found: &mut Vec<Found>) -> Parsed {
    let tables = Tables::of(top, found);
    let mut names = tables.names();
    let mut spans = Spans::default();

    let (id, id_span) = top.str("id", true, found).unwrap_or_default();
    spans.rubric = id_span;
    let version = top
        .int("version", 0, i64::from(u16::MAX), found)
        .map_or(1, |(v, _)| v as u16);
    let minutes = top
        .int("minutes", 1, 255, found)
        .map_or(5, |(v, _)| v as u8);
    let category = category(top, found);
    let caveats = top
        .get("caveats")
        .map(|value| caveats(value, &mut spans, found))
        .unwrap_or_default();

    let mut sections = Vec::new();
    for value in tables.sections {
        spans.sections.push(value.span());
        sections.extend(section(value, found));
    }
    let title = top.required_text("title", found);
    if sections.is_empty() {
        // The common case of one unnamed section.
        sections.push(Section {
            id: "main".into(),
            title: title.clone(),
            intro: String::new(),
        });
        names.sections.push("main".into());
        spans.sections.push(top.span.clone());
    }

    let mut items = Vec::new();
    for (index, value) in tables.items.iter().enumerate() {
        spans.items.push(value.span());
        let mut option_spans = Vec::new();
        items.extend(items::item(value, index, &names, &mut option_spans, found));
        spans.options.push(option_spans);
    }
    let mut dimensions = Vec::new();
    for value in tables.dimensions {
        spans.dimensions.push(value.span());
        dimensions.extend(dimensions::dimension(value, &names, found));
    }
    let mut outcomes = Vec::new();
    for value in tables.outcomes {
        spans.outcomes.push(value.span());
        outcomes.extend(outcomes::outcome(value, found));
    }
    let mut bands = Vec::new();
    for value in tables.bands {
        spans.bands.push(value.span());
        bands.extend(bands::band(value, &names, found));
    }
    let headline = match top.get("verdict") {
        None => {
            top.missing("verdict", found);
            VerdictRule::TopOutcome
        }
        Some(value) => {
            spans.verdict = value.span();
            verdict::verdict(value, &names, &mut spans, found)
        }
    };

    let rubric = Rubric {
        id,
        version,
        category,
        minutes,
        title,
        summary: top.required_text("summary", found),
        intro: top.text("intro", found),
        caveats,
        sections,
        items,
        dimensions,
        outcomes,
        bands,
        verdict_rule: headline,
    };
    Parsed { rubric, spans }
}

/// The rubric's `category`.
fn category(top: &Fields<'_, '_>, found: &mut Vec<Found>) -> Category {
    let Some((name, span)) = top.str("category", true, found) else {
        return Category::SelfAssessment;
    };
    match name.as_str() {
        "self-assessment" => Category::SelfAssessment,
        "archetype-fit" => Category::ArchetypeFit,
        "for-managers" => Category::ForManagers,
        "about-organisation" => Category::AboutOrganisation,
        other => {
            found.push(unknown_word(span, "category", other, CATEGORIES));
            Category::SelfAssessment
        }
    }
}

/// Reads `[caveats]`: one text per kind of caveat.
fn caveats(value: &Value<'_>, spans: &mut Spans, found: &mut Vec<Found>) -> Vec<Caveat> {
    let mut caveats = Vec::new();
    let Some(f) = Fields::new(value, "[caveats]", CAVEAT_KEYS, found) else {
        return caveats;
    };
    for (key, kind) in [
        ("small-company", CaveatKind::SmallCompany),
        ("company-on-fire", CaveatKind::CompanyOnFire),
        ("time-in-level", CaveatKind::TimeInLevel),
        ("other", CaveatKind::Other),
    ] {
        if let Some((text, span)) = f.str(key, false, found) {
            caveats.push(Caveat { kind, text });
            spans.caveats.push(span);
        }
    }
    caveats
}

/// Reads one `[[section]]`.
fn section(value: &Value<'_>, found: &mut Vec<Found>) -> Option<Section> {
    let f = Fields::new(value, "a [[section]]", SECTION_KEYS, found)?;
    Some(Section {
        id: f.required_text("id", found),
        title: f.required_text("title", found),
        intro: f.text("intro", found),
    })
}
