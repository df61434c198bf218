//! Items: ids and texts, kinds, options and weights. Each item, option and
//! weight is decoded once; the walk also sums what every weighted-sum
//! dimension can reach, so the band ranges need no second pass.

use super::conditions::check_show_if;
use super::ids::IdSet;
use super::issue::{Location, Problem};
use super::reporter::Reporter;
use crate::limits::*;
use crate::model::{ChoiceOption, Dimension, Item, ItemKind, Rubric, Rule, Target, Weight};
use crate::score::weight_span;
use crate::seq::Seq;

/// What later checks need to know about an item.
#[derive(Clone, Copy)]
pub(super) struct ItemSummary {
    pub(super) kind: &'static str,
    pub(super) options: usize,
    pub(super) count: bool,
}

/// What the item walk learned.
pub(super) struct ItemFacts {
    /// One summary per item, in order.
    pub(super) summaries: heapless::Vec<ItemSummary, MAX_ITEMS>,
    /// Per dimension, the most the answers can give it with every item
    /// visible (the same sums the scorer's maxima make).
    pub(super) reach: [u64; MAX_DIMENSIONS],
    /// Per section, how many yes/no items it has.
    yes_no: [u8; MAX_SECTIONS],
}

impl ItemFacts {
    pub(super) fn new() -> Self {
        ItemFacts {
            summaries: heapless::Vec::new(),
            reach: [0; MAX_DIMENSIONS],
            yes_no: [0; MAX_SECTIONS],
        }
    }

    /// Number of yes/no items in `section`.
    pub(super) fn yes_no_in(&self, section: u8) -> usize {
        self.yes_no
            .get(usize::from(section))
            .map_or(0, |n| usize::from(*n))
    }
}

/// What weights may point at.
pub(super) struct Targets<'t, 'a> {
    pub(super) dimensions: &'t [Dimension<'a>],
    pub(super) outcomes: usize,
    pub(super) sections: usize,
}

/// Walks the items, filling `facts` (new on entry). `None` if a list (of
/// items, or inside an item) could not be walked: later checks would read
/// garbage.
pub(super) fn check_items<'a>(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'a>,
    targets: &Targets<'_, '_>,
    facts: &mut ItemFacts,
) -> Option<()> {
    let mut ids: IdSet<'a, MAX_ITEMS> = IdSet::new();
    let mut nested_ok = true;
    r.each(
        Location::Rubric,
        rubric.items,
        Limit::Items,
        |r, i, item| match check_item(r, (i as u8, &item), facts, &mut ids, targets) {
            Some(summary) => {
                let _ = facts.summaries.push(summary);
            }
            None => nested_ok = false,
        },
    )?;
    nested_ok.then_some(())
}

fn check_item<'a>(
    r: &mut Reporter<'_>,
    (i, item): (u8, &Item<'a>),
    facts: &mut ItemFacts,
    ids: &mut IdSet<'a, MAX_ITEMS>,
    targets: &Targets<'_, '_>,
) -> Option<ItemSummary> {
    let at = Location::Item(i);
    check_item_texts(r, at, item, ids, targets.sections);
    let span = weight_span(&item.kind);
    // The weight closures take `at` by value (`move`): captured by
    // reference, it lived on the stack, and reading it back as one value
    // stalled on the two byte stores that wrote it (measured: structure
    // decode 8.1-8.3x serde_json before, 8.5-8.8x after, alternating runs).
    let reach = &mut facts.reach;
    let weights = r.each(at, item.weights, Limit::Weights, move |r, _, weight| {
        check_weight(r, at, weight, targets);
        add_reach(reach, weight, span);
    })?;
    check_show_if(r, at, &facts.summaries, i, item.show_if)?;
    let mut options = 0;
    match item.kind {
        ItemKind::Scale {
            min,
            max,
            descriptors,
            ..
        } => check_scale(r, at, min, max, descriptors)?,
        ItemKind::YesNo { .. } => {}
        ItemKind::Single { options: list } | ItemKind::Multi { options: list } => {
            if weights > 0 {
                r.report(at, Problem::WeightsNotAllowed);
            }
            options = check_options(r, i, &item.kind, list, &mut facts.reach, targets)?;
        }
        ItemKind::Count { min, max, unit } => {
            if min > max || max > MAX_COUNT {
                r.report(at, Problem::CountRange { min, max });
            }
            r.text(at, unit, false);
        }
        ItemKind::Text => {
            if weights > 0 {
                r.report(at, Problem::WeightsNotAllowed);
            }
        }
    }
    let yes_no = matches!(item.kind, ItemKind::YesNo { .. });
    if let Some(n) = facts
        .yes_no
        .get_mut(usize::from(item.section))
        .filter(|_| yes_no)
    {
        *n += 1;
    }
    Some(ItemSummary {
        kind: item.kind.name(),
        options,
        count: matches!(item.kind, ItemKind::Count { .. }),
    })
}

fn check_item_texts<'a>(
    r: &mut Reporter<'_>,
    at: Location,
    item: &Item<'a>,
    ids: &mut IdSet<'a, MAX_ITEMS>,
    sections: usize,
) {
    r.id(at, item.id);
    r.text(at, item.prompt, true);
    r.text(at, item.help, false);
    r.unique(at, ids, item.id);
    if usize::from(item.section) >= sections {
        r.report(
            at,
            Problem::UnknownSection {
                section: item.section,
            },
        );
    }
}

fn add_reach(reach: &mut [u64; MAX_DIMENSIONS], weight: Weight, span: u64) {
    if let Target::Dimension(d) = weight.target {
        if let Some(slot) = reach.get_mut(usize::from(d)) {
            *slot += u64::from(weight.value) * span;
        }
    }
}

fn check_scale(
    r: &mut Reporter<'_>,
    at: Location,
    min: u8,
    max: u8,
    descriptors: Seq<'_, &str>,
) -> Option<()> {
    let levels = usize::from(max.saturating_sub(min)) + 1;
    if min >= max || levels > MAX_LEVELS {
        r.report(at, Problem::ScaleRange { min, max });
    }
    let found = r.each(at, descriptors, Limit::Levels, |r, _, text| {
        r.text(at, text, true)
    })?;
    if found != levels && levels <= MAX_LEVELS {
        r.report(
            at,
            Problem::DescriptorCount {
                expected: levels as u8,
                found: found as u8,
            },
        );
    }
    Some(())
}

/// The options of a choice item; returns how many there are. A single
/// choice reaches, per dimension, the most one option gives; a multiple
/// choice the sum of all options.
fn check_options<'a>(
    r: &mut Reporter<'_>,
    i: u8,
    kind: &ItemKind<'a>,
    list: Seq<'a, ChoiceOption<'a>>,
    reach: &mut [u64; MAX_DIMENSIONS],
    targets: &Targets<'_, '_>,
) -> Option<usize> {
    let single = matches!(kind, ItemKind::Single { .. });
    let mut ids: IdSet<'a, MAX_OPTIONS> = IdSet::new();
    let mut best = [0u64; MAX_DIMENSIONS];
    let mut nested_ok = true;
    let found = r.each(Location::Item(i), list, Limit::Options, |r, o, option| {
        let at = Location::Option {
            item: i,
            option: o as u8,
        };
        r.id(at, option.id);
        r.text(at, option.label, true);
        r.unique(at, &mut ids, option.id);
        let best = &mut best;
        let reach = &mut *reach;
        let walked = r.each(at, option.weights, Limit::Weights, move |r, _, weight| {
            check_weight(r, at, weight, targets);
            match (single, weight.target) {
                (true, Target::Dimension(d)) => {
                    if let Some(slot) = best.get_mut(usize::from(d)) {
                        *slot = (*slot).max(u64::from(weight.value));
                    }
                }
                _ => add_reach(reach, weight, 1),
            }
        });
        nested_ok &= walked.is_some();
    })?;
    if !nested_ok {
        return None;
    }
    for (slot, most) in reach.iter_mut().zip(best) {
        *slot += most;
    }
    let needed = if single { 2 } else { 1 };
    if found < needed {
        r.report(
            Location::Item(i),
            Problem::TooFewOptions {
                found: found as u8,
                needed: needed as u8,
            },
        );
    }
    Some(found)
}

fn check_weight(r: &mut Reporter<'_>, at: Location, weight: Weight, targets: &Targets<'_, '_>) {
    if weight.value > MAX_WEIGHT {
        r.report(
            at,
            Problem::WeightTooLarge {
                value: weight.value,
            },
        );
    }
    match weight.target {
        Target::Dimension(dimension) => match targets.dimensions.get(usize::from(dimension)) {
            None => r.report(at, Problem::UnknownDimension { dimension }),
            Some(d) if d.rule != Rule::WeightedSum => {
                r.report(at, Problem::WeightOnComputedDimension { dimension })
            }
            Some(_) => {}
        },
        Target::Outcome(outcome) => {
            if usize::from(outcome) >= targets.outcomes {
                r.report(at, Problem::UnknownOutcome { outcome });
            }
        }
    }
}
