//! Conditions (`show_if`): they test an earlier item, with a test that fits
//! its kind; an `any` or `all` list holds one to
//! [`crate::limits::MAX_CONDITIONS`] of them.

use super::issue::{Location, Problem};
use super::items::ItemSummary;
use super::reporter::Reporter;
use crate::limits::Limit;
use crate::model::{Condition, ShowIf, Test};

/// Checks every condition of item `i`'s `show_if`. `None` if a list could
/// not be walked.
pub(super) fn check_show_if(
    r: &mut Reporter<'_>,
    at: Location,
    earlier: &[ItemSummary],
    i: u8,
    show_if: ShowIf<'_>,
) -> Option<()> {
    match show_if {
        ShowIf::Always => {}
        ShowIf::When(condition) => check_condition(r, at, earlier, i, &condition),
        ShowIf::Any(list) | ShowIf::All(list) => {
            let found = r.each(at, list, Limit::Conditions, |r, _, condition| {
                check_condition(r, at, earlier, i, &condition);
            })?;
            if found == 0 {
                r.report(at, Problem::EmptyConditionList);
            }
        }
    }
    Some(())
}

/// Checks one condition of item `i`, given the items before it.
fn check_condition(
    r: &mut Reporter<'_>,
    at: Location,
    earlier: &[ItemSummary],
    i: u8,
    condition: &Condition,
) {
    if condition.item >= i {
        r.report(
            at,
            Problem::ConditionNotEarlier {
                item: condition.item,
            },
        );
        return;
    }
    let Some(target) = earlier.get(usize::from(condition.item)) else {
        r.report(
            at,
            Problem::UnknownItem {
                item: condition.item,
            },
        );
        return;
    };
    let fits = match (condition.test, target.kind) {
        (Test::Answered, _) => true,
        (Test::IsYes | Test::IsNo, "yes-no") => true,
        (Test::Chosen(option), "single" | "multi") => {
            if usize::from(option) >= target.options {
                r.report(at, Problem::UnknownOption { option });
            }
            true
        }
        (Test::AtLeast(_) | Test::AtMost(_), "scale" | "count") => true,
        _ => false,
    };
    if !fits {
        r.report(at, Problem::ConditionKindMismatch { kind: target.kind });
    }
}
