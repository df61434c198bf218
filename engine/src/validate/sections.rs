//! The rubric's own texts, its caveats and its sections.

use super::ids::IdSet;
use super::issue::Location;
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_SECTIONS};
use crate::model::Rubric;

/// The rubric's id and texts.
pub(super) fn check_rubric_texts(r: &mut Reporter<'_>, rubric: &Rubric<'_>) {
    let at = Location::Rubric;
    r.id(at, rubric.id);
    r.text(at, rubric.title, true);
    r.text(at, rubric.summary, true);
    r.text(at, rubric.intro, false);
}

/// Every caveat needs a text. `None` if the list could not be walked.
pub(super) fn check_caveats(r: &mut Reporter<'_>, rubric: &Rubric<'_>) -> Option<usize> {
    r.each(
        Location::Rubric,
        rubric.caveats,
        Limit::Caveats,
        |r, i, caveat| {
            r.text(Location::Caveat(i as u8), caveat.text, true);
        },
    )
}

/// Section ids and texts. Returns how many sections there are, or `None`
/// if the list could not be walked.
pub(super) fn check_sections(r: &mut Reporter<'_>, rubric: &Rubric<'_>) -> Option<usize> {
    let mut ids: IdSet<'_, MAX_SECTIONS> = IdSet::new();
    r.each(
        Location::Rubric,
        rubric.sections,
        Limit::Sections,
        |r, i, section| {
            let at = Location::Section(i as u8);
            r.id(at, section.id);
            r.text(at, section.title, true);
            r.text(at, section.intro, false);
            r.unique(at, &mut ids, section.id);
        },
    )
}
