//! What a bundle holds, copied out of it so it can be shown (and sent
//! between threads) after the bytes are gone.

use std::cell::Cell;

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::Bundle;

use super::signer::Signer;

/// A bundle as the import screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePreview {
    /// SHA-256 of the file, lowercase hex (the name it gets in the library).
    pub hash: String,
    /// File size in bytes.
    pub size: u64,
    /// Container format version.
    pub format_version: u16,
    /// The CRC-32 that was checked.
    pub crc: u32,
    /// Who signed it.
    pub signer: Signer,
    /// The rubrics inside, in bundle order.
    pub rubrics: Vec<RubricPreview>,
}

/// One rubric of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricPreview {
    /// Rubric id.
    pub id: String,
    /// Author's version.
    pub version: u16,
    /// Title.
    pub title: String,
    /// One-line summary.
    pub summary: String,
    /// Minutes it takes.
    pub minutes: u8,
    /// Every question, in order.
    pub items: Vec<ItemPreview>,
}

/// One question of a rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPreview {
    /// The question.
    pub prompt: String,
    /// How it is answered, in words ("scale 1 to 5", "one of: a, b").
    pub answer: String,
}

impl BundlePreview {
    /// Copies what `bundle` holds.
    pub fn new(bundle: &Bundle<'_>, hash: String, size: u64, signer: Signer) -> Self {
        BundlePreview {
            hash,
            size,
            format_version: bundle.header().version,
            crc: bundle.crc(),
            signer,
            rubrics: bundle.rubrics().map(|r| RubricPreview::new(&r)).collect(),
        }
    }

    /// A short title: the rubric titles, joined.
    pub fn title(&self) -> String {
        let titles: Vec<&str> = self.rubrics.iter().map(|r| r.title.as_str()).collect();
        titles.join(", ")
    }
}

impl RubricPreview {
    /// Copies one rubric.
    pub fn new(rubric: &Rubric<'_>) -> Self {
        RubricPreview {
            id: rubric.id.to_string(),
            version: rubric.version,
            title: rubric.title.to_string(),
            summary: rubric.summary.to_string(),
            minutes: rubric.minutes,
            items: rubric
                .items
                .iter()
                .map(|item| ItemPreview {
                    prompt: item.prompt.to_string(),
                    answer: answer_words(&item.kind),
                })
                .collect(),
        }
    }
}

fn answer_words(kind: &ItemKind<'_>) -> String {
    let labels = |options: &rubric_engine::Seq<'_, rubric_engine::model::ChoiceOption<'_>>| {
        options
            .iter()
            .map(|o| o.label)
            .collect::<Vec<_>>()
            .join(" / ")
    };
    match kind {
        ItemKind::Scale { min, max, .. } => format!("scale {min} to {max}"),
        ItemKind::YesNo { .. } => "yes or no".into(),
        ItemKind::Single { options } => format!("one of: {}", labels(options)),
        ItemKind::Multi { options } => format!("any of: {}", labels(options)),
        ItemKind::Count { min, max, unit } => format!("a number of {unit}, {min} to {max}"),
        ItemKind::Text => "free text".into(),
    }
}

thread_local! {
    static DECODES: Cell<u64> = const { Cell::new(0) };
}

/// Notes one full decode (texts expanded, every rubric validated) of a
/// bundle from outside: the drive scan's check and an import plan each
/// count one. Per thread, so a test counts only its own.
pub fn count_decode() {
    DECODES.with(|n| n.set(n.get() + 1));
}

/// Full decodes of bundles from outside on this thread so far (see
/// [`count_decode`]): the tests hold a bundle from a drive to one decode
/// at the scan and one at the plan, none at the import.
pub fn decodes_on_this_thread() -> u64 {
    DECODES.with(Cell::get)
}
