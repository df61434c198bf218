//! `rubric-kiosk score`: one answer file scored against one rubric of a
//! bundle. A device's bundle has no texts, so its result is printed by ids.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rubrics::report::ResultReport;

use super::bundle_file::{decode, read_bundle, unknown_rubric};

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// Runs `score`.
pub fn score(path: &Path, rubric_id: &str, answers_path: &Path, json: bool) -> Result<()> {
    let (bytes, inline) = read_bundle(path)?;
    let texts_omitted = decode(path, &bytes)?.texts_omitted();
    let bundle = decode(path, &inline)?;
    let Some(rubric) = bundle.rubric(rubric_id) else {
        let ids: Vec<&str> = bundle.rubrics().map(|r| r.id).collect();
        return Err(unknown_rubric(rubric_id, &ids, &path.display().to_string()));
    };
    let value = rubrics::answers::read_file(answers_path)?;
    let (_, report) = rubrics::answers::score_complete(&rubric, &value)
        .with_context(|| format!("bad answers in {}", answers_path.display()))?;
    if json {
        out!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    if texts_omitted {
        out!("(texts left out of this device bundle: ids are shown instead)");
        print_by_ids(&report)
    } else {
        print_by_texts(rubric.title, &report)
    }
}

/// The result as a person reads it: titles, labels and actions.
fn print_by_texts(title: &str, report: &ResultReport) -> Result<()> {
    out!(
        "{title}: {}",
        report
            .verdict_label
            .as_deref()
            .unwrap_or("no verdict (not enough answers)")
    );
    if let Some(e) = &report.verdict_explanation {
        out!("  {e}");
    }
    for d in &report.dimensions {
        out!(
            "  {:<28} {:>4} / {:<4} {:>3}%  {}",
            d.title,
            d.value,
            d.max,
            d.percent,
            d.band_label.as_deref().unwrap_or("")
        );
    }
    for o in &report.outcomes {
        out!("  #{} {:<26} {:>3}%", o.rank, o.title, o.fit_percent);
    }
    for a in &report.actions {
        out!("  {}: {}", a.when.label(), a.text);
    }
    Ok(())
}

/// The same result from a bundle without texts: rubric, verdict, dimension,
/// band and outcome ids, and how many actions the verdict has.
fn print_by_ids(report: &ResultReport) -> Result<()> {
    out!(
        "{}: {}",
        report.rubric,
        report
            .verdict
            .as_deref()
            .unwrap_or("no verdict (not enough answers)")
    );
    for d in &report.dimensions {
        out!(
            "  {:<28} {:>4} / {:<4} {:>3}%  {}",
            d.id,
            d.value,
            d.max,
            d.percent,
            d.band.as_deref().unwrap_or("")
        );
    }
    for o in &report.outcomes {
        out!("  #{} {:<26} {:>3}%", o.rank, o.id, o.fit_percent);
    }
    for a in &report.actions {
        out!("  {}: an action (its text is left out)", a.when.label());
    }
    Ok(())
}
