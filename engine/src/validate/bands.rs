//! Bands: their ids, texts and actions, their ranges, and how the bands of a
//! dimension cover its values (no overlap, no gap, nothing beyond the top).
//!
//! Coverage is checked on the bands of a dimension sorted by their lowest
//! value, in one sweep. Only when that sweep finds an overlap are the pairs
//! compared one by one, to name every overlapping pair in the report.

use super::ids::IdSet;
use super::issue::{Location, Problem};
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_BANDS, MAX_DIMENSIONS, MAX_OUTCOMES};
use crate::model::{Band, BandScope, Rubric, VerdictRule};

/// What later checks need to know about a band.
#[derive(Clone, Copy)]
pub(super) struct BandSummary {
    pub(super) scope: BandScope,
    pub(super) lo: u32,
    pub(super) hi: u32,
}

/// The bands, summarised in order.
pub(super) type Bands = heapless::Vec<BandSummary, MAX_BANDS>;

/// Band indices, for the bands of one dimension.
type Indices = heapless::Vec<u8, MAX_BANDS>;

/// Bit `d` set: dimension `d` has at least one band (dimensions past bit 31
/// do not exist in a valid rubric, see [`crate::limits::MAX_DIMENSIONS`]).
pub(super) fn banded(bands: &[BandSummary]) -> u32 {
    bands.iter().fold(0, |mask, band| match band.scope {
        BandScope::Dimension(d) if d < 32 => mask | 1 << d,
        _ => mask,
    })
}

/// Walks the bands, summarising them onto `bands` (empty on entry). `None`
/// if the list could not be walked. A malformed list of actions is reported
/// like any problem, and the range checks only run on a rubric without
/// problems.
pub(super) fn check_bands(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'_>,
    (dimensions, outcomes): (usize, usize),
    bands: &mut Bands,
) -> Option<()> {
    let mut ids: IdSet<'_, MAX_BANDS> = IdSet::new();
    // Per outcome, 1 + the index of its band (0: none yet).
    let mut outcome_bands = [0u8; MAX_OUTCOMES];
    let top_outcome = matches!(
        rubric.verdict_rule,
        VerdictRule::TopOutcome | VerdictRule::TopOutcomeWithFallback { .. }
    );
    let mut first_tie = None;
    r.each(
        Location::Rubric,
        rubric.bands,
        Limit::Bands,
        |r, b, band| {
            let at = Location::Band(b as u8);
            r.id(at, band.id);
            r.text(at, band.label, true);
            r.text(at, band.explanation, false);
            r.unique(at, &mut ids, band.id);
            r.each(at, band.actions, Limit::Actions, |r, _, action| {
                r.text(at, action.text, true)
            });
            check_range(r, at, &band, dimensions);
            check_outcome_band(r, at, (b, &band), outcomes, &mut outcome_bands);
            if band.scope == BandScope::Tie {
                check_tie_band(r, at, (b, &band), top_outcome, &mut first_tie);
            }
            let _ = bands.push(BandSummary {
                scope: band.scope,
                lo: band.lo,
                hi: band.hi,
            });
        },
    )?;
    Some(())
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
    (b, band): (usize, &Band<'_>),
    outcomes: usize,
    first_band: &mut [u8; MAX_OUTCOMES],
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
    // An outcome past MAX_OUTCOMES was reported just above (there are at
    // most that many outcomes); its band has no slot to be remembered in.
    if let Some(first) = first_band.get_mut(usize::from(outcome)) {
        match *first {
            0 => *first = b as u8 + 1,
            earlier => r.report(at, Problem::DuplicateOutcomeBand { first: earlier - 1 }),
        }
    }
}

/// A tie band belongs to a top-outcome rubric, is its only one, and has no range.
fn check_tie_band(
    r: &mut Reporter<'_>,
    at: Location,
    (b, band): (usize, &Band<'_>),
    top_outcome: bool,
    first: &mut Option<u8>,
) {
    if (band.lo, band.hi) != (0, 0) {
        r.report(at, Problem::RangeNotAllowed);
    }
    if !top_outcome {
        r.report(at, Problem::MisplacedTieBand { first: None });
    }
    match *first {
        None => *first = Some(b as u8),
        Some(earlier) => r.report(
            at,
            Problem::MisplacedTieBand {
                first: Some(earlier),
            },
        ),
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

/// Checks that the bands of each dimension cover `0..=top(d)` exactly once.
/// A dimension without bands is allowed unless the verdict rule needs them.
pub(super) fn check_coverage(
    r: &mut Reporter<'_>,
    bands: &[BandSummary],
    dimensions: usize,
    top: impl Fn(usize) -> u32,
) {
    // Band indices grouped by dimension (a counting sort), in index order.
    let mut starts = [0u8; MAX_DIMENSIONS + 1];
    for band in bands {
        if let BandScope::Dimension(d) = band.scope {
            if let Some(slot) = starts.get_mut(usize::from(d) + 1) {
                *slot += 1;
            }
        }
    }
    for d in 0..MAX_DIMENSIONS {
        starts[d + 1] += starts[d];
    }
    let mut next = starts;
    let mut grouped = [0u8; MAX_BANDS];
    for (b, band) in bands.iter().enumerate() {
        if let BandScope::Dimension(d) = band.scope {
            if let Some(at) = next.get_mut(usize::from(d)) {
                grouped[usize::from(*at)] = b as u8;
                *at += 1;
            }
        }
    }
    for d in 0..dimensions.min(MAX_DIMENSIONS) {
        let of_d = &grouped[usize::from(starts[d])..usize::from(starts[d + 1])];
        if !of_d.is_empty() {
            check_dimension_bands(r, bands, of_d, d as u8, top(d));
        }
    }
}

/// The bands `of_d` (indices, in order) of dimension `d`.
fn check_dimension_bands(
    r: &mut Reporter<'_>,
    bands: &[BandSummary],
    of_d: &[u8],
    d: u8,
    top: u32,
) {
    let mut sorted = Indices::new();
    for &b in of_d {
        let _ = sorted.push(b);
    }
    // Insertion sort by lowest value: authors write bands in order, so this
    // is one comparison per band in practice, and it needs no extra code.
    let lo = |b: u8| bands[usize::from(b)].lo;
    for i in 1..sorted.len() {
        let mut j = i;
        while j > 0 && lo(sorted[j - 1]) > lo(sorted[j]) {
            sorted.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut reach: Option<u32> = None;
    let mut overlap = false;
    for &b in &sorted {
        let band = &bands[usize::from(b)];
        overlap |= reach.is_some_and(|hi| band.lo <= hi);
        reach = Some(reach.map_or(band.hi, |hi| hi.max(band.hi)));
    }
    if overlap {
        check_overlaps(r, bands, d, top);
    } else {
        for &b in of_d {
            let hi = bands[usize::from(b)].hi;
            if hi > top {
                r.report(Location::Band(b), Problem::BandBeyondRange { hi, top });
            }
        }
    }
    check_gaps(r, bands, &sorted, d, top);
}

/// Reports every band beyond `top` and every overlapping pair, naming the
/// earlier band of the pair. Quadratic, so only called once an overlap is known.
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

/// Walks `0..=top` along the bands sorted by lowest value, reporting every
/// hole (the largest range no band covers) in increasing order.
fn check_gaps(r: &mut Reporter<'_>, bands: &[BandSummary], sorted: &[u8], d: u8, top: u32) {
    let top = u64::from(top);
    let mut next: u64 = 0;
    let gap = |r: &mut Reporter<'_>, from: u64, to: u64| {
        r.report(
            Location::Dimension(d),
            Problem::BandGap {
                from: from as u32,
                to: to as u32,
            },
        );
    };
    for &b in sorted {
        if next > top {
            return;
        }
        let band = &bands[usize::from(b)];
        let (lo, hi) = (u64::from(band.lo), u64::from(band.hi));
        if lo > next {
            gap(r, next, (lo - 1).min(top));
        }
        next = next.max(hi + 1);
    }
    if next <= top {
        gap(r, next, top);
    }
}
