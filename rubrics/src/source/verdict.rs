//! `[verdict]` and its `[[verdict.cell]]` entries: how the headline verdict
//! is chosen.

use std::ops::Range;

use rubric_engine::model::GridCell;
use rubric_engine::owned::VerdictRule;

use super::fields::{resolve, Fields};
use super::{Names, Spans, Value};
use crate::diagnostic::Found;

const VERDICT_KEYS: &[&str] = &[
    "dimension",
    "floor",
    "top-outcome",
    "fallback",
    "first",
    "second",
    "cell",
];
const CELL_KEYS: &[&str] = &["first", "second", "verdict"];
const FLOOR_KEYS: &[&str] = &["below", "at-most"];

/// Reads `[verdict]`: exactly one of a dimension's band, the top outcome, or
/// a grid of two dimensions' bands.
pub(super) fn verdict(
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
    let fallback = f.str("fallback", false, found);
    if let (Some((_, span)), false) = (&fallback, top) {
        found.push(Found::new(
            span.clone(),
            "a `fallback` outcome applies only to `top-outcome = true` verdicts",
        ));
    }
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
        let dimension = resolve("dimension", &d, span, &names.dimensions, found).unwrap_or(0);
        return match f.get("floor") {
            Some(value) => floor(value, dimension, names, found),
            None => VerdictRule::Dimension(dimension),
        };
    }
    if let Some(value) = f.get("floor") {
        found.push(Found::new(
            value.span(),
            "a `floor` applies only to `dimension = \"id\"` verdicts",
        ));
    }
    if top {
        return match fallback {
            Some((o, span)) => VerdictRule::TopOutcomeWithFallback {
                fallback: resolve("outcome", &o, span, &names.outcomes, found).unwrap_or(0),
            },
            None => VerdictRule::TopOutcome,
        };
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
    for value in f.tables("cell", found) {
        spans.cells.push(value.span());
        cells.extend(cell(value, names, found));
    }
    VerdictRule::Grid { x, y, cells }
}

/// Reads one `[[verdict.cell]]`: the verdict band for a pair of bands.
fn cell(value: &Value<'_>, names: &Names, found: &mut Vec<Found>) -> Option<GridCell> {
    let f = Fields::new(value, "a [[verdict.cell]]", CELL_KEYS, found)?;
    let mut band = |key: &str| match f.str(key, true, found) {
        Some((b, span)) => resolve("band", &b, span, &names.bands, found).unwrap_or(0),
        None => 0,
    };
    let x_band = band("first");
    let y_band = band("second");
    let verdict = band("verdict");
    Some(GridCell {
        x_band,
        y_band,
        verdict,
    })
}

/// Reads `floor = { below = 25, at-most = "band" }`: while another banded
/// dimension is below `below` percent, the verdict is at most that band.
fn floor(value: &Value<'_>, dimension: u8, names: &Names, found: &mut Vec<Found>) -> VerdictRule {
    let Some(f) = Fields::new(value, "`floor`", FLOOR_KEYS, found) else {
        return VerdictRule::Dimension(dimension);
    };
    let below = match f.int("below", 0, 100, found) {
        Some((n, _)) => n as u8,
        None => {
            if f.get("below").is_none() {
                f.missing("below", found);
            }
            0
        }
    };
    let at_most = match f.str("at-most", true, found) {
        Some((b, span)) => resolve("band", &b, span, &names.bands, found).unwrap_or(0),
        None => 0,
    };
    VerdictRule::DimensionWithFloor {
        dimension,
        below_percent: below,
        at_most,
    }
}
