//! The verdict rule: the dimensions and outcomes it reads and, for a grid,
//! one cell per pair of bands, each choosing a verdict band.

use super::bands::{banded, BandSummary};
use super::issue::{Location, Problem};
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_BANDS, MAX_GRID_CELLS};
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
    let banded = banded(bands);
    let grid = match rubric.verdict_rule {
        VerdictRule::Dimension(dimension) => {
            check_banded_dimension(r, dimension, dimensions, banded);
            None
        }
        VerdictRule::DimensionWithFloor {
            dimension,
            below_percent,
            at_most,
        } => {
            if check_banded_dimension(r, dimension, dimensions, banded) {
                check_floor(r, (dimension, below_percent, at_most), banded, bands);
            }
            None
        }
        VerdictRule::TopOutcome => {
            if outcomes == 0 {
                r.report(at, Problem::NoOutcomes);
            }
            None
        }
        VerdictRule::TopOutcomeWithFallback { fallback } => {
            if outcomes == 0 {
                r.report(at, Problem::NoOutcomes);
            } else if usize::from(fallback) >= outcomes {
                r.report(at, Problem::UnknownOutcome { outcome: fallback });
            } else if outcomes == 1 {
                // A fallback needs another outcome to give way to.
                r.report(at, Problem::FallbackAlone);
            }
            None
        }
        VerdictRule::Grid { x, y, cells: list } => {
            let mut ok = check_banded_dimension(r, x, dimensions, banded);
            ok &= check_banded_dimension(r, y, dimensions, banded);
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
            // Bit b set: some cell chooses band b (band indices are below
            // MAX_BANDS, 64).
            let chosen = cells.iter().fold(0u64, |mask, c| {
                mask | 1u64.checked_shl(u32::from(c.verdict)).unwrap_or(0)
            });
            report_unused_verdicts(r, bands, chosen);
        }
        // Without a grid, verdict bands are never chosen.
        None => report_unused_verdicts(r, bands, 0),
    }
}

/// A dimension the verdict rule reads must exist and have bands.
fn check_banded_dimension(
    r: &mut Reporter<'_>,
    dimension: u8,
    dimensions: usize,
    banded: u32,
) -> bool {
    let at = Location::VerdictRule;
    if usize::from(dimension) >= dimensions {
        r.report(at, Problem::UnknownDimension { dimension });
        false
    } else if banded & 1u32.checked_shl(u32::from(dimension)).unwrap_or(0) == 0 {
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
    (dimension, below_percent, at_most): (u8, u8, u8),
    banded: u32,
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
    // `dimension` exists, so it is below MAX_DIMENSIONS and has a bit.
    let others = banded & !1u32.checked_shl(u32::from(dimension)).unwrap_or(0);
    if others == 0 {
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
    if pairs_covered_once(cells, bands, x, y) {
        return;
    }
    report_pairs(r, cells, bands, x, y);
}

/// One pass over the bands and one over the cells: true when every pair of
/// a band of `x` and a band of `y` has exactly one cell (and no cell names
/// anything else).
fn pairs_covered_once(cells: &[GridCell], bands: &[BandSummary], x: u8, y: u8) -> bool {
    // Position of each band among the bands of its dimension.
    let mut rank = [0u8; MAX_BANDS];
    let (mut nx, mut ny) = (0usize, 0usize);
    for (b, band) in bands.iter().enumerate() {
        if band.scope == BandScope::Dimension(x) {
            rank[b] = nx as u8;
            nx += 1;
        } else if band.scope == BandScope::Dimension(y) {
            rank[b] = ny as u8;
            ny += 1;
        }
    }
    if nx * ny != cells.len() || cells.len() > 64 {
        return false;
    }
    let mut seen = 0u64;
    for cell in cells {
        let (bx, by) = (usize::from(cell.x_band), usize::from(cell.y_band));
        let fits = |b: usize, d: u8| {
            bands
                .get(b)
                .is_some_and(|f| f.scope == BandScope::Dimension(d))
        };
        if !fits(bx, x) || !fits(by, y) {
            return false;
        }
        let bit = 1u64 << (usize::from(rank[bx]) * ny + usize::from(rank[by]));
        if seen & bit != 0 {
            return false;
        }
        seen |= bit;
    }
    true
}

/// Reports each pair without exactly one cell (quadratic: only run once
/// [`pairs_covered_once`] has found something wrong).
fn report_pairs(r: &mut Reporter<'_>, cells: &[GridCell], bands: &[BandSummary], x: u8, y: u8) {
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

/// Reports every verdict band no grid cell chooses (bit b of `chosen`: band b is chosen).
fn report_unused_verdicts(r: &mut Reporter<'_>, bands: &[BandSummary], chosen: u64) {
    for (b, band) in bands.iter().enumerate() {
        if band.scope == BandScope::Verdict && chosen & (1u64 << b) == 0 {
            r.report(Location::Band(b as u8), Problem::UnusedVerdictBand);
        }
    }
}
