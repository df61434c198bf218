//! `rubric-kiosk check`: compiles rubric sources and reports, for each
//! rubric, whether every band and verdict can be reached by some answers and
//! whether its outcomes can be told apart. Exits non-zero on a problem, so
//! a rubric repository can run it in CI.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use rubrics::coverage::{check as coverage_of, BandOwner, BandReach, Budget, Coverage, Walk};
use serde_json::json;

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// Runs `check` on rubric files or folders.
pub fn check(sources: &[PathBuf], samples: u64, json: bool) -> Result<()> {
    let sources = crate::sheet::read_sources(sources)?;
    // Compiled first so that a spreadsheet's errors name their cells.
    sources.compile()?;
    let sources = sources.sources;
    let budget = Budget {
        samples,
        ..Budget::default()
    };
    let all = coverage_of(&sources, budget)?;
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&json!({ "rubrics": all }))?
        );
    } else {
        for coverage in &all {
            print(coverage)?;
        }
    }
    let failing = all.iter().filter(|c| c.has_problems()).count();
    if failing > 0 {
        bail!(
            "{failing} of {} rubric(s) have bands no answers reach or outcomes never told apart",
            all.len()
        );
    }
    Ok(())
}

fn print(coverage: &Coverage) -> Result<()> {
    let walk = match coverage.walk {
        Walk::Exhaustive { answer_sets } => {
            format!("every one of the {answer_sets} complete answer sets scored")
        }
        Walk::Sampled { answer_sets, space } => format!(
            "{answer_sets} random answer sets scored out of {}; a band not reached was not found, not proven unreachable",
            size(space)
        ),
    };
    let unreached: Vec<&BandReach> = coverage.unreached().collect();
    if !coverage.has_problems() {
        out!(
            "{}: all {} bands reached ({walk})",
            coverage.rubric,
            coverage.bands.len()
        );
    } else {
        out!("{}: problems found ({walk})", coverage.rubric);
    }
    for band in unreached {
        let owner = match &band.owner {
            BandOwner::Dimension(id) => format!("dimension `{id}`"),
            BandOwner::Verdict => "the verdict".to_owned(),
            BandOwner::Outcome(id) => format!("outcome `{id}`"),
            BandOwner::Tie => "a tie of outcomes".to_owned(),
        };
        out!(
            "  band `{}` of {owner} (\"{}\") is never reached",
            band.id,
            band.label
        );
    }
    for pair in &coverage.never_apart {
        out!(
            "  outcomes `{}` and `{}` are never told apart: wherever one fits best, so does the other",
            pair.first,
            pair.second
        );
    }
    if coverage.ties > 0 {
        out!(
            "  {} answer set(s) end in a tie of outcomes (a mixed profile)",
            coverage.ties
        );
    }
    Ok(())
}

/// A count of answer sets for people: exact when short, rounded when not.
fn size(space: u64) -> String {
    if space == u64::MAX {
        "more than 10^19".to_owned()
    } else if space < 10_000_000 {
        space.to_string()
    } else {
        format!("about {:.1e}", space as f64)
    }
}
