//! Outcomes (the archetypes of a fit rubric).

use super::ids::IdSet;
use super::issue::Location;
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_OUTCOMES};
use crate::model::Rubric;

/// Outcome ids and texts. Returns how many outcomes there are, or `None`
/// if the list could not be walked.
pub(super) fn check_outcomes(r: &mut Reporter<'_>, rubric: &Rubric<'_>) -> Option<usize> {
    let mut ids: IdSet<'_, MAX_OUTCOMES> = IdSet::new();
    r.each(
        Location::Rubric,
        rubric.outcomes,
        Limit::Outcomes,
        |r, o, outcome| {
            let at = Location::Outcome(o as u8);
            r.id(at, outcome.id);
            r.text(at, outcome.title, true);
            r.text(at, outcome.description, false);
            r.unique(at, &mut ids, outcome.id);
        },
    )
}
