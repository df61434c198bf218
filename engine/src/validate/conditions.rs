//! Conditions (`show_if`): they test an earlier item, with a test that fits
//! its kind.

use super::issue::{Location, Problem};
use super::items::ItemSummary;
use super::reporter::Reporter;
use crate::model::{Condition, Test};

/// Checks the condition of item `i`, given the items before it.
pub(super) fn check_condition(
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
