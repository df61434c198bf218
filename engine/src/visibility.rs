//! Which items are visible for a set of answers: the rule both the question
//! flow ([`crate::flow`]) and the scorer ([`mod@crate::score`]) apply, kept
//! apart so that neither has to depend on the other for it.

use crate::answer::{Answer, Answers};
use crate::limits::MAX_ITEMS;
use crate::model::{Condition, Rubric, ShowIf, Test};

/// Bit `i` set = item `i` visible.
pub type VisibleSet = u64;

/// Computes which items are visible for these answers.
///
/// Conditions point only at earlier items, so one pass in order suffices. A
/// hidden item counts as unanswered for the conditions of later items, so
/// hiding cascades. Answers of hidden items are kept (a person who changes
/// their mind back finds them again) but are ignored everywhere.
pub fn visible_items(rubric: &Rubric<'_>, answers: &Answers) -> VisibleSet {
    let mut visible: VisibleSet = 0;
    for (index, item) in rubric.items.iter().enumerate().take(MAX_ITEMS) {
        let holds = |c: Condition| condition_holds(&c, answers, visible);
        let shown = match item.show_if {
            ShowIf::Always => true,
            ShowIf::When(condition) => holds(condition),
            ShowIf::Any(conditions) => conditions.iter().any(holds),
            ShowIf::All(conditions) => conditions.iter().all(holds),
        };
        if shown {
            visible |= 1 << index;
        }
    }
    visible
}

fn condition_holds(condition: &Condition, answers: &Answers, visible: VisibleSet) -> bool {
    let target = usize::from(condition.item);
    if target >= MAX_ITEMS || visible & (1 << target) == 0 {
        return false;
    }
    let answer = answers.get(target);
    match (condition.test, answer) {
        (_, Answer::Unanswered) => false,
        (Test::Answered, _) => true,
        (Test::IsYes, Answer::YesNo(yes)) => yes,
        (Test::IsNo, Answer::YesNo(yes)) => !yes,
        (Test::Chosen(option), Answer::Choice(chosen)) => option == chosen,
        (Test::Chosen(option), Answer::Choices(mask)) => option < 16 && mask & (1 << option) != 0,
        (Test::AtLeast(bound), Answer::Level(level)) => u32::from(level) >= bound,
        (Test::AtMost(bound), Answer::Level(level)) => u32::from(level) <= bound,
        (Test::AtLeast(bound), Answer::Count(value)) => value >= bound,
        (Test::AtMost(bound), Answer::Count(value)) => value <= bound,
        _ => false,
    }
}
