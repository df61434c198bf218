//! The verdict rule: the dimensions and outcomes it reads and, for a grid,
//! one cell per pair of bands, each choosing a verdict band.

use super::bands::BandSummary;
use super::issue::{Location, Problem};
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_GRID_CELLS};
use crate::model::{BandScope, GridCell, Rubric, VerdictRule};

type Cells = heapless::Vec<GridCell, MAX_GRID_CELLS>;

/// Checks the verdict rule against the (valid) dimensions, outcomes and bands.
pub(super) fn check_verdict_rule(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'_>,
    dimensions: usize,
    outcomes: usize,
    bands: &[BandSummary],
) {
    let at = Location::VerdictRule;
    let mut cells = Cells::new();
    let grid = match rubric.verdict_rule {
        VerdictRule::Dimension(dimension) => {
            check_banded_dimension(r, dimension, dimensions, bands);
            None
        }
        VerdictRule::DimensionWithFloor {
            dimension,
            below_percent,
            at_most,
        } => {
            if check_banded_dimension(r, dimension, dimensions, bands) {
                check_floor(r, dimension, below_percent, at_most, dimensions, bands);
            }
            None
        }
        VerdictRule::TopOutcome => {
            if outcomes == 0 {
                r.report(at, Problem::NoOutcomes);
            }
            None
        }
        VerdictRule::Grid { x, y, cells: list } => {
            let mut ok = check_banded_dimension(r, x, dimensions, bands);
            ok &= check_banded_dimension(r, y, dimensions, bands);
            if x == y {
                r.report(at, Problem::GridSameDimension);
                ok = false;
            }
            let decoded = r.each(at, list, Limit::GridCells, |_, _, cell| {
                let _ = cells.push(cell);
            });
            (ok && decoded.is_some()).then_some((x, y))
        }
    };
    match grid {
        Some((x, y)) => {
            check_cells(r, &cells, bands, x, y);
            check_pairs(r, &cells, bands, x, y);
            report_unused_verdicts(r, bands, |b| {
                cells.iter().any(|c| usize::from(c.verdict) == b)
            });
        }
        // Without a grid, verdict bands are never chosen.
        None => report_unused_verdicts(r, bands, |_| false),
    }
}

/// A dimension the verdict rule reads must exist and have bands.
fn check_banded_dimension(
    r: &mut Reporter<'_>,
    dimension: u8,
    dimensions: usize,
    bands: &[BandSummary],
) -> bool {
    let at = Location::VerdictRule;
    if usize::from(dimension) >= dimensions {
        r.report(at, Problem::UnknownDimension { dimension });
        false
    } else if !bands
        .iter()
        .any(|b| b.scope == BandScope::Dimension(dimension))
    {
        r.report(at, Problem::NoBands { dimension });
        false
    } else {
        true
    }
}

/// The floor's band is a band of the verdict's dimension, its percentage at
/// most 100, and some other dimension has bands to hold the verdict back.
fn check_floor(
    r: &mut Reporter<'_>,
    dimension: u8,
    below_percent: u8,
    at_most: u8,
    dimensions: usize,
    bands: &[BandSummary],
) {
    let at = Location::VerdictRule;
    match bands.get(usize::from(at_most)) {
        None => r.report(at, Problem::UnknownBand { band: at_most }),
        Some(found) if found.scope != BandScope::Dimension(dimension) => {
            r.report(at, Problem::WrongBandScope { band: at_most })
        }
        Some(_) => {}
    }
    if below_percent > 100 {
        r.report(
            at,
            Problem::FloorAbove100 {
                percent: below_percent,
            },
        );
    }
    let other = (0..dimensions.min(usize::from(u8::MAX)) as u8)
        .filter(|d| *d != dimension)
        .any(|d| bands.iter().any(|b| b.scope == BandScope::Dimension(d)));
    if !other {
        r.report(at, Problem::FloorWithoutOtherDimension);
    }
}

/// Each cell names a band of `x`, a band of `y` and a verdict band.
fn check_cells(r: &mut Reporter<'_>, cells: &[GridCell], bands: &[BandSummary], x: u8, y: u8) {
    for (c, cell) in cells.iter().enumerate() {
        let at = Location::GridCell(c as u8);
        for (band, scope) in [
            (cell.x_band, BandScope::Dimension(x)),
            (cell.y_band, BandScope::Dimension(y)),
            (cell.verdict, BandScope::Verdict),
        ] {
            match bands.get(usize::from(band)) {
                None => r.report(at, Problem::UnknownBand { band }),
                Some(found) if found.scope != scope => {
                    r.report(at, Problem::WrongBandScope { band })
                }
                Some(_) => {}
            }
        }
    }
}

/// Every pair of a band of `x` and a band of `y` has exactly one cell.
fn check_pairs(r: &mut Reporter<'_>, cells: &[GridCell], bands: &[BandSummary], x: u8, y: u8) {
    let of = |d: u8| {
        bands
            .iter()
            .enumerate()
            .filter(move |(_, b)| b.scope == BandScope::Dimension(d))
            .map(|(i, _)| i)
    };
    for bx in of(x) {
        for by in of(y) {
            let found = cells
                .iter()
                .filter(|c| usize::from(c.x_band) == bx && usize::from(c.y_band) == by)
                .count();
            if found != 1 {
                r.report(
                    Location::VerdictRule,
                    Problem::GridCellCount {
                        x_band: bx as u8,
                        y_band: by as u8,
                        found: found.min(255) as u8,
                    },
                );
            }
        }
    }
}

fn report_unused_verdicts(
    r: &mut Reporter<'_>,
    bands: &[BandSummary],
    chosen: impl Fn(usize) -> bool,
) {
    for (b, band) in bands.iter().enumerate() {
        if band.scope == BandScope::Verdict && !chosen(b) {
            r.report(Location::Band(b as u8), Problem::UnusedVerdictBand);
        }
    }
}
