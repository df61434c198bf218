//! The rubric's own texts, its caveats and its sections.

use super::issue::Location;
use super::reporter::Reporter;
use crate::limits::{Limit, MAX_SECTIONS};
use crate::model::Rubric;

/// Ids of the sections, in order.
pub(super) type SectionIds<'a> = heapless::Vec<&'a str, MAX_SECTIONS>;

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

/// Section ids and texts. `None` if the list could not be walked.
pub(super) fn check_sections<'a>(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'a>,
) -> Option<SectionIds<'a>> {
    let mut ids = SectionIds::new();
    r.each(
        Location::Rubric,
        rubric.sections,
        Limit::Sections,
        |r, i, section| {
            let at = Location::Section(i as u8);
            r.id(at, section.id);
            r.text(at, section.title, true);
            r.text(at, section.intro, false);
            r.unique(at, &ids, section.id);
            let _ = ids.push(section.id);
        },
    )?;
    Some(ids)
}
