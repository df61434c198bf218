//! Dimensions: their ids and texts, their rules, and the largest value each
//! can reach (what its bands must cover).

use super::ids::IdSet;
use super::issue::{Location, Problem};
use super::items::ItemFacts;
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_DIMENSIONS};
use crate::model::{BandOn, Dimension, Rubric, Rule};

/// The dimensions, decoded once.
pub(super) type Dimensions<'a> = heapless::Vec<Dimension<'a>, MAX_DIMENSIONS>;

/// Dimension ids and texts; the dimensions are pushed onto `dimensions`
/// (empty on entry). `None` if the list could not be walked.
pub(super) fn check_dimensions<'a>(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'a>,
    dimensions: &mut Dimensions<'a>,
) -> Option<()> {
    let mut ids: IdSet<'_, MAX_DIMENSIONS> = IdSet::new();
    r.each(
        Location::Rubric,
        rubric.dimensions,
        Limit::Dimensions,
        |r, d, dimension| {
            let at = Location::Dimension(d as u8);
            r.id(at, dimension.id);
            r.text(at, dimension.title, true);
            r.text(at, dimension.description, false);
            r.unique(at, &mut ids, dimension.id);
            let _ = dimensions.push(dimension);
        },
    )?;
    Some(())
}

/// The references of each dimension's rule (sections, items), once the
/// items are known.
pub(super) fn check_rules(
    r: &mut Reporter<'_>,
    dimensions: &[Dimension<'_>],
    sections: usize,
    items: &ItemFacts,
) {
    for (d, dimension) in dimensions.iter().enumerate() {
        let at = Location::Dimension(d as u8);
        match dimension.rule {
            Rule::WeightedSum => {}
            Rule::YesCount { section } => {
                if usize::from(section) >= sections {
                    r.report(at, Problem::UnknownSection { section });
                } else if items.yes_no_in(section) == 0 {
                    r.report(at, Problem::NoYesNoItems { section });
                }
            }
            Rule::Ratio { part, rest } => check_ratio(r, at, dimension.band_on, part, rest, items),
        }
    }
}

fn check_ratio(
    r: &mut Reporter<'_>,
    at: Location,
    band_on: BandOn,
    part: u8,
    rest: u8,
    items: &ItemFacts,
) {
    for item in [part, rest] {
        match items.summaries.get(usize::from(item)) {
            None => r.report(at, Problem::UnknownItem { item }),
            Some(found) if !found.count => r.report(at, Problem::NotACount { item }),
            Some(_) => {}
        }
    }
    if part == rest {
        r.report(at, Problem::RatioOfItself);
    }
    if band_on != BandOn::Percent {
        r.report(at, Problem::RatioNeedsPercent);
    }
}

/// The largest value the bands of dimension `d` read: 100 for percentages,
/// otherwise the most the answers can give it with every item visible.
pub(super) fn top_value(dimension: &Dimension<'_>, d: usize, items: &ItemFacts) -> u32 {
    let top = match (dimension.band_on, dimension.rule) {
        (BandOn::Percent, _) | (_, Rule::Ratio { .. }) => 100,
        (BandOn::Value, Rule::WeightedSum) => items.reach.get(d).copied().unwrap_or(0),
        (BandOn::Value, Rule::YesCount { section }) => items.yes_no_in(section) as u64,
    };
    u32::try_from(top).unwrap_or(u32::MAX)
}
