//! `rubric-kiosk inspect`: what a bundle holds, in words or as JSON. The
//! JSON's field values are those of the TOML format (`rubrics/FORMAT.md`),
//! listed in the README's command-line section; the plain output says the
//! same in words, never in Rust's debug notation.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use rubric_engine::codec::Prose;
use rubric_engine::model::{BandOn, BandScope, ItemKind, Rubric, Rule};
use rubrics::keys::hex;
use serde_json::json;

use super::bundle_file::{decode, read_bundle, texts_word};

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// Runs `inspect`.
pub fn inspect(path: &Path, json: bool) -> Result<()> {
    let (bytes, inline) = read_bundle(path)?;
    let file = decode(path, &bytes)?;
    let bundle = decode(path, &inline)?;
    let signer = file.signature().map(|s| hex(&s.key_id));
    let prose = if file.texts_omitted() {
        Prose::Omitted
    } else {
        Prose::Included
    };
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "file": path.display().to_string(),
                "bytes": bytes.len(),
                "format_version": file.header().version,
                "payload_bytes": file.header().payload_len,
                "crc32": format!("{:08x}", file.crc()),
                "signed_by": signer,
                "texts": texts_word(prose),
                "rubrics": bundle.rubrics().map(|r| rubrics::describe::rubric_json(&r)).collect::<Vec<_>>(),
            }))?
        );
        return Ok(());
    }
    out!(
        "{}: rubric bundle, format version {}",
        path.display(),
        file.header().version
    );
    out!(
        "  size {} bytes (payload {}), crc32 {:08x}",
        bytes.len(),
        file.header().payload_len,
        file.crc()
    );
    match &signer {
        Some(id) => out!("  signed by key {id} (use `verify --trust` to check it)"),
        None => out!("  unsigned"),
    }
    if prose == Prose::Omitted {
        out!("  texts left out: a bundle for a scoring device (ids and structure only); a kiosk will not import it");
    }
    for r in bundle.rubrics() {
        rubric_words(&r)?;
    }
    Ok(())
}

/// `": text"`, or nothing when the text is empty (a device's bundle).
fn titled(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// What an item takes, beside its kind: a scale's range, a choice's option
/// ids, a count's range and unit.
fn item_detail(kind: &ItemKind<'_>) -> String {
    match *kind {
        ItemKind::Scale {
            min, max, reverse, ..
        } => format!("{min}..{max}{}", if reverse { " reversed" } else { "" }),
        ItemKind::Single { options } | ItemKind::Multi { options } => {
            options.iter().map(|o| o.id).collect::<Vec<_>>().join(" | ")
        }
        ItemKind::Count { min, max, unit } => format!("{min}..{max} {unit}"),
        ItemKind::YesNo { reverse: true } => "reversed".into(),
        ItemKind::YesNo { reverse: false } | ItemKind::Text => String::new(),
    }
}

/// How a dimension is scored, in words: "sum of weights", "yes answers in
/// section habits", "share of `part` in `part` + `rest`".
pub fn rule_words(r: &Rubric<'_>, rule: Rule) -> String {
    let item = |i: u8| r.items.get(usize::from(i)).map_or("?", |i| i.id);
    match rule {
        Rule::WeightedSum => "sum of the weights given".into(),
        Rule::YesCount { section } => format!(
            "yes answers counted in section {}",
            r.sections.get(usize::from(section)).map_or("?", |s| s.id)
        ),
        Rule::Ratio { part, rest } => {
            format!("share of {} in {} + {}", item(part), item(part), item(rest))
        }
    }
}

fn rubric_words(r: &Rubric<'_>) -> Result<()> {
    out!(
        "\nrubric {} v{}{} ({} items, about {} min)",
        r.id,
        r.version,
        titled(r.title),
        r.items.len(),
        r.minutes
    );
    for item in r.items.iter() {
        let flags = format!(
            "{}{}",
            if item.required { "" } else { " optional" },
            if !item.show_if.is_always() {
                " conditional"
            } else {
                ""
            }
        );
        let line = format!(
            "  item {:<24} {:<7} {}{flags}",
            item.id,
            item.kind.name(),
            item_detail(&item.kind)
        );
        out!("{}", line.trim_end());
    }
    for d in r.dimensions.iter() {
        let on = match d.band_on {
            BandOn::Value => "value",
            BandOn::Percent => "percent",
        };
        out!(
            "  dimension {}: {}; banded by {on}",
            d.id,
            rule_words(r, d.rule)
        );
    }
    for o in r.outcomes.iter() {
        out!("  outcome {}{}", o.id, titled(o.title));
    }
    for b in r.bands.iter() {
        match b.scope {
            BandScope::Dimension(d) => {
                let dim = r.dimensions.get(usize::from(d)).map_or("?", |d| d.id);
                out!(
                    "  band {} on {dim} [{}, {}]{}",
                    b.id,
                    b.lo,
                    b.hi,
                    titled(b.label)
                )
            }
            BandScope::Verdict => out!("  verdict {}{}", b.id, titled(b.label)),
            BandScope::Tie => out!("  tie {}{}", b.id, titled(b.label)),
            BandScope::Outcome(o) => {
                let outcome = r.outcomes.get(usize::from(o)).map_or("?", |o| o.id);
                out!("  band {} of outcome {outcome}{}", b.id, titled(b.label))
            }
        }
    }
    Ok(())
}
