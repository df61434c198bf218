//! Validation of a decoded bundle: every structural and semantic rule a
//! rubric must satisfy before it is used.
//!
//! The walk decodes every nested [`Seq`](crate::seq::Seq) exactly once
//! (each element goes through [`Seq::try_iter`](crate::seq::Seq::try_iter)
//! one time), so after a bundle passes, lazy iteration cannot meet a
//! malformed element. Problems are reported through a callback so that the
//! host compiler can show all of them at once; the bundle decoder stops at
//! the first.
//!
//! One private submodule per part of a rubric: `sections` (the rubric's
//! texts, caveats, sections), `dimensions`, `outcomes`, `items` (with their
//! options and weights), `conditions`, `bands` and `verdict` (the verdict
//! rule); `issue` holds what is reported and `reporter` how.

mod bands;
mod conditions;
mod dimensions;
mod ids;
mod issue;
mod items;
mod outcomes;
mod reporter;
mod sections;
mod verdict;

pub use issue::{Issue, Location, Problem};
pub use reporter::{id_problem, Texts};

use self::ids::IdSet;
use self::items::Targets;
use self::reporter::Reporter;
use crate::limits::{Limit, MAX_RUBRICS};
use crate::model::{BundlePayload, Rubric};

/// Validates every rubric of a payload, reporting each problem found.
/// Returns the number of problems.
pub fn validate_payload(payload: &BundlePayload<'_>, sink: &mut dyn FnMut(Issue)) -> usize {
    validate_payload_with(payload, Texts::Inline, sink)
}

/// [`validate_payload`] with the texts checked as `texts` says: the
/// structure of a version 3 bundle is validated with [`Texts::Empty`].
pub fn validate_payload_with(
    payload: &BundlePayload<'_>,
    texts: Texts,
    sink: &mut dyn FnMut(Issue),
) -> usize {
    let mut ids: IdSet<'_, MAX_RUBRICS> = IdSet::new();
    let mut bundle = Reporter::new(0, sink);
    let mut nested = 0;
    let walked = bundle.each(
        Location::Bundle,
        payload.rubrics,
        Limit::Rubrics,
        |r, index, rubric| {
            r.rubric = index as u8;
            nested += validate_rubric_with(&rubric, index as u8, texts, &mut *r.sink);
            r.unique(Location::Rubric, &mut ids, rubric.id);
        },
    );
    if walked == Some(0) {
        bundle.report(Location::Bundle, Problem::NoItems);
    }
    bundle.count + nested
}

/// Validates one rubric (`index` is its position, used in reports).
/// Returns the number of problems.
///
/// Lists are walked in dependency order; when a list cannot be walked
/// (malformed, or over its limit) the checks that would read it are skipped,
/// and the range and verdict checks run only on an otherwise clean rubric.
pub fn validate_rubric(rubric: &Rubric<'_>, index: u8, sink: &mut dyn FnMut(Issue)) -> usize {
    validate_rubric_with(rubric, index, Texts::Inline, sink)
}

/// [`validate_rubric`] with the texts checked as `texts` says.
pub fn validate_rubric_with(
    rubric: &Rubric<'_>,
    index: u8,
    texts: Texts,
    sink: &mut dyn FnMut(Issue),
) -> usize {
    let mut r = Reporter::new(index, sink);
    r.texts = texts;
    sections::check_rubric_texts(&mut r, rubric);
    let caveats = sections::check_caveats(&mut r, rubric);
    let sections = sections::check_sections(&mut r, rubric);
    // The larger results are filled in place rather than returned: moving
    // them cost a measurable share of the walk.
    let mut dimensions = dimensions::Dimensions::new();
    let walked = dimensions::check_dimensions(&mut r, rubric, &mut dimensions);
    let outcomes = outcomes::check_outcomes(&mut r, rubric);
    let (Some(_), Some(sections), Some(()), Some(outcomes)) = (caveats, sections, walked, outcomes)
    else {
        return r.count;
    };
    if sections == 0 {
        r.report(Location::Rubric, Problem::NoSections);
    }

    let targets = Targets {
        dimensions: &dimensions,
        outcomes,
        sections,
    };
    let mut items = items::ItemFacts::new();
    let Some(()) = items::check_items(&mut r, rubric, &targets, &mut items) else {
        return r.count;
    };
    if items.summaries.is_empty() {
        r.report(Location::Rubric, Problem::NoItems);
    }
    dimensions::check_rules(&mut r, &dimensions, sections, &items);

    let mut bands = bands::Bands::new();
    let walked = bands::check_bands(&mut r, rubric, (dimensions.len(), outcomes), &mut bands);
    // Ranges and coverage need every list intact and every reference valid.
    if let (Some(()), 0) = (walked, r.count) {
        bands::check_coverage(&mut r, &bands, dimensions.len(), |d| {
            dimensions::top_value(&dimensions[d], d, &items)
        });
        verdict::check_verdict_rule(&mut r, rubric, dimensions.len(), outcomes, &bands);
    }
    r.count
}
