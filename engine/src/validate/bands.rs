//! Bands: their ids, texts and actions, their ranges, and how the bands of a
//! dimension cover its values (no overlap, no gap, nothing beyond the top).

use super::issue::{Location, Problem};
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_BANDS};
use crate::model::{Band, BandScope, Rubric};

/// What later checks need to know about a band.
#[derive(Clone, Copy)]
pub(super) struct BandSummary {
    pub(super) scope: BandScope,
    pub(super) lo: u32,
    pub(super) hi: u32,
}

/// The bands, summarised in order.
pub(super) type Bands = heapless::Vec<BandSummary, MAX_BANDS>;

/// Walks the bands. `None` if the list could not be walked. A malformed
/// list of actions is reported like any problem, and the range checks only
/// run on a rubric without problems.
pub(super) fn check_bands(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'_>,
    dimensions: usize,
    outcomes: usize,
) -> Option<Bands> {
    let mut bands = Bands::new();
    let mut ids: heapless::Vec<&str, MAX_BANDS> = heapless::Vec::new();
    r.each(
        Location::Rubric,
        rubric.bands,
        Limit::Bands,
        |r, b, band| {
            let at = Location::Band(b as u8);
            r.id(at, band.id);
            r.text(at, band.label, true);
            r.text(at, band.explanation, false);
            r.unique(at, &ids, band.id);
            let _ = ids.push(band.id);
            r.each(at, band.actions, Limit::Actions, |r, _, action| {
                r.text(at, action.text, true)
            });
            check_range(r, at, &band, dimensions);
            check_outcome_band(r, at, &band, outcomes, &bands);
            let _ = bands.push(BandSummary {
                scope: band.scope,
                lo: band.lo,
                hi: band.hi,
            });
        },
    )?;
    Some(bands)
}

fn check_range(r: &mut Reporter<'_>, at: Location, band: &Band<'_>, dimensions: usize) {
    if let BandScope::Dimension(dimension) = band.scope {
        if usize::from(dimension) >= dimensions {
            r.report(at, Problem::UnknownDimension { dimension });
        }
        if band.lo > band.hi {
            r.report(
                at,
                Problem::BandInverted {
                    lo: band.lo,
                    hi: band.hi,
                },
            );
        }
    }
}

/// A band of an outcome names an existing outcome, is its only band, and
/// has no range. (Verdict bands are not held to 0..=0: version 1 never
/// required it, and bundles that load today must keep loading.)
fn check_outcome_band(
    r: &mut Reporter<'_>,
    at: Location,
    band: &Band<'_>,
    outcomes: usize,
    earlier: &[BandSummary],
) {
    let BandScope::Outcome(outcome) = band.scope else {
        return;
    };
    if (band.lo, band.hi) != (0, 0) {
        r.report(at, Problem::RangeNotAllowed);
    }
    if usize::from(outcome) >= outcomes {
        r.report(at, Problem::UnknownOutcome { outcome });
    }
    if let Some(first) = earlier.iter().position(|b| b.scope == band.scope) {
        r.report(at, Problem::DuplicateOutcomeBand { first: first as u8 });
    }
}

/// The bands of dimension `d`, with their indices.
fn of_dimension(
    bands: &[BandSummary],
    d: u8,
) -> impl Iterator<Item = (usize, &BandSummary)> + Clone {
    bands
        .iter()
        .enumerate()
        .filter(move |(_, b)| b.scope == BandScope::Dimension(d))
}

/// Checks that the bands of dimension `d` cover `0..=top` exactly once.
/// A dimension without bands is allowed unless the verdict rule needs them.
pub(super) fn check_coverage(r: &mut Reporter<'_>, bands: &[BandSummary], d: u8, top: u32) {
    if of_dimension(bands, d).next().is_none() {
        return;
    }
    check_overlaps(r, bands, d, top);
    check_gaps(r, bands, d, top);
}

fn check_overlaps(r: &mut Reporter<'_>, bands: &[BandSummary], d: u8, top: u32) {
    for (b, band) in of_dimension(bands, d) {
        let at = Location::Band(b as u8);
        if band.hi > top {
            r.report(at, Problem::BandBeyondRange { hi: band.hi, top });
        }
        for (o, other) in of_dimension(bands, d).take_while(|(o, _)| *o < b) {
            let from = band.lo.max(other.lo);
            let to = band.hi.min(other.hi);
            if from <= to {
                r.report(
                    at,
                    Problem::BandOverlap {
                        other: o as u8,
                        from,
                        to,
                    },
                );
            }
        }
    }
}

/// Walks `0..=top`, jumping from band to band, reporting every hole.
fn check_gaps(r: &mut Reporter<'_>, bands: &[BandSummary], d: u8, top: u32) {
    let top = u64::from(top);
    let mut next: u64 = 0;
    while next <= top {
        let covering = of_dimension(bands, d)
            .find(|(_, b)| u64::from(b.lo) <= next && next <= u64::from(b.hi));
        if let Some((_, band)) = covering {
            next = u64::from(band.hi) + 1;
            continue;
        }
        let resume = of_dimension(bands, d)
            .map(|(_, b)| u64::from(b.lo))
            .filter(|lo| *lo > next)
            .min();
        let to = resume.map_or(top, |lo| lo - 1).min(top);
        r.report(
            Location::Dimension(d),
            Problem::BandGap {
                from: next as u32,
                to: to as u32,
            },
        );
        match resume {
            Some(lo) => next = lo,
            None => break,
        }
    }
}
