//! Deterministic scoring: answers in, [`ScoreResult`] out.
//!
//! Integer arithmetic only (64-bit intermediates, results floored), so every
//! target computes identical numbers for the same bundle and answers.

use core::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, Answers};
use crate::limits::{MAX_DIMENSIONS, MAX_ITEMS, MAX_OUTCOMES};
use crate::model::{BandOn, BandScope, Item, ItemKind, Rubric, Rule, Target, VerdictRule, Weight};
use crate::seq::Seq;
use crate::visibility::{visible_items, VisibleSet};

/// The score of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionScore {
    /// The value the answers reached.
    pub value: u32,
    /// The largest value the visible items allow.
    pub max: u32,
    /// `value * 100 / max`, floored; 0 when `max` is 0.
    pub percent: u8,
    /// Index of the band the value (or percentage) falls in, if the dimension has bands.
    pub band: Option<u8>,
}

/// How well one outcome fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeFit {
    /// Index of the outcome.
    pub outcome: u8,
    /// Weight the answers gave it.
    pub received: u32,
    /// Weight the visible items could have given it.
    pub possible: u32,
    /// `received * 100 / possible`, floored; 0 when `possible` is 0.
    pub percent: u8,
    /// 1 for the best fit. Competition ranking by the exact fraction
    /// `received / possible`: equal fractions share a rank and the next rank
    /// skips (1, 1, 3). Within a rank, fits are listed in declaration order.
    pub rank: u8,
}

/// The verdict a result reached, chosen by the rubric's [`crate::model::VerdictRule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// A band, by index.
    Band(u8),
    /// The best-fitting outcome, by index.
    Outcome(u8),
    /// Not enough answers to decide (no outcome received any weight).
    Undetermined,
    /// Two or more outcomes share the best fit (and received weight): a mixed
    /// profile. Bit `i` is set for outcome index `i`. Appended in format version 2.
    Tied(u16),
    /// A [`VerdictRule::DimensionWithFloor`] held the verdict back to `band`
    /// because dimension `by` scored below the floor. Appended in format version 2.
    Held {
        /// The band reached (the rule's `at_most`).
        band: u8,
        /// The dimension that held it back.
        by: u8,
    },
}

impl Verdict {
    /// The outcomes of a [`Verdict::Tied`], in declaration order (empty otherwise).
    pub fn tied_outcomes(self) -> impl Iterator<Item = u8> {
        let mask = match self {
            Verdict::Tied(mask) => mask,
            _ => 0,
        };
        (0..16u8).filter(move |i| mask & (1 << i) != 0)
    }
}

/// Everything the engine concludes from one set of answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreResult {
    /// True when every visible required item has an answer.
    pub complete: bool,
    /// Visible items with an answer.
    pub answered: u8,
    /// Visible items.
    pub visible: u8,
    /// One score per dimension, in declaration order.
    pub dimensions: heapless::Vec<DimensionScore, MAX_DIMENSIONS>,
    /// One fit per outcome, best first.
    pub outcomes: heapless::Vec<OutcomeFit, MAX_OUTCOMES>,
    /// The verdict.
    pub verdict: Verdict,
}

impl ScoreResult {
    /// Encodes the result with postcard into `buf`, returning the used part.
    pub fn encode<'b>(&self, buf: &'b mut [u8]) -> Result<&'b mut [u8], postcard::Error> {
        postcard::to_slice(self, buf)
    }

    /// Decodes a result encoded by [`ScoreResult::encode`], refusing trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, postcard::Error> {
        let (result, rest) = postcard::take_from_bytes::<ScoreResult>(bytes)?;
        if rest.is_empty() {
            Ok(result)
        } else {
            Err(postcard::Error::DeserializeBadEncoding)
        }
    }

    /// The fit of outcome `index`.
    pub fn outcome(&self, index: u8) -> Option<&OutcomeFit> {
        self.outcomes.iter().find(|fit| fit.outcome == index)
    }
}

/// Raw sums per dimension and outcome.
pub(crate) struct Totals {
    pub dim_value: [u64; MAX_DIMENSIONS],
    pub dim_max: [u64; MAX_DIMENSIONS],
    pub out_value: [u64; MAX_OUTCOMES],
    pub out_max: [u64; MAX_OUTCOMES],
}

impl Totals {
    const fn new() -> Self {
        Totals {
            dim_value: [0; MAX_DIMENSIONS],
            dim_max: [0; MAX_DIMENSIONS],
            out_value: [0; MAX_OUTCOMES],
            out_max: [0; MAX_OUTCOMES],
        }
    }

    fn bump(&mut self, target: Target, value: u64, max: u64) {
        let (values, maxes, index) = match target {
            Target::Dimension(d) => (&mut self.dim_value[..], &mut self.dim_max[..], d),
            Target::Outcome(o) => (&mut self.out_value[..], &mut self.out_max[..], o),
        };
        let index = usize::from(index);
        if let (Some(v), Some(m)) = (values.get_mut(index), maxes.get_mut(index)) {
            *v += value;
            *m += max;
        }
    }
}

/// The most one unit of weight on an item of this kind can give: a scale's
/// span, 1 for yes/no, a count's maximum. Choice items carry their weights on
/// options and text items carry none, so 0 for them. Validation sums the
/// same maxima to know how far a dimension's bands must reach.
pub(crate) fn weight_span(kind: &ItemKind<'_>) -> u64 {
    match *kind {
        ItemKind::Scale { min, max, .. } => u64::from(max.saturating_sub(min)),
        ItemKind::YesNo { .. } => 1,
        ItemKind::Count { max, .. } => u64::from(max),
        ItemKind::Single { .. } | ItemKind::Multi { .. } | ItemKind::Text => 0,
    }
}

/// Calls `f(target, value, max)` for every contribution of one item's answer.
fn visit_item(item: &Item<'_>, answer: Answer, f: &mut impl FnMut(Target, u64, u64)) {
    fn each(
        weights: Seq<'_, Weight>,
        value_factor: u64,
        max_factor: u64,
        f: &mut impl FnMut(Target, u64, u64),
    ) {
        for weight in weights.iter() {
            let w = u64::from(weight.value);
            f(weight.target, w * value_factor, w * max_factor);
        }
    }
    match item.kind {
        ItemKind::Scale {
            min, max, reverse, ..
        } => {
            let points = match answer {
                Answer::Level(level) if reverse => u64::from(max.saturating_sub(level)),
                Answer::Level(level) => u64::from(level.saturating_sub(min)),
                _ => 0,
            };
            each(item.weights, points, weight_span(&item.kind), f);
        }
        ItemKind::YesNo { reverse } => {
            let scores = matches!(answer, Answer::YesNo(yes) if yes != reverse);
            each(item.weights, u64::from(scores), weight_span(&item.kind), f);
        }
        ItemKind::Single { options } => {
            // The maximum is the most any one option gives each target.
            let mut best = Totals::new();
            for option in options.iter() {
                for weight in option.weights.iter() {
                    let slot = match weight.target {
                        Target::Dimension(d) => best.dim_max.get_mut(usize::from(d)),
                        Target::Outcome(o) => best.out_max.get_mut(usize::from(o)),
                    };
                    if let Some(slot) = slot {
                        *slot = (*slot).max(u64::from(weight.value));
                    }
                }
            }
            for (d, max) in best.dim_max.iter().enumerate().filter(|(_, m)| **m > 0) {
                f(Target::Dimension(d as u8), 0, *max);
            }
            for (o, max) in best.out_max.iter().enumerate().filter(|(_, m)| **m > 0) {
                f(Target::Outcome(o as u8), 0, *max);
            }
            if let Answer::Choice(chosen) = answer {
                if let Some(option) = options.get(usize::from(chosen)) {
                    each(option.weights, 1, 0, f);
                }
            }
        }
        ItemKind::Multi { options } => {
            let mask = match answer {
                Answer::Choices(mask) => mask,
                _ => 0,
            };
            for (i, option) in options.iter().enumerate().take(16) {
                let chosen = mask & (1 << i) != 0;
                each(option.weights, u64::from(chosen), 1, f);
            }
        }
        ItemKind::Count { .. } => {
            let count = match answer {
                Answer::Count(value) => u64::from(value),
                _ => 0,
            };
            each(item.weights, count, weight_span(&item.kind), f);
        }
        ItemKind::Text => {}
    }
}

/// Sums the weights of the visible items. With `answers` = `None` only the
/// maxima are meaningful (used by validation for the static range of a dimension).
pub(crate) fn totals(
    rubric: &Rubric<'_>,
    visible: VisibleSet,
    answers: Option<&Answers>,
) -> Totals {
    let mut totals = Totals::new();
    for (index, item) in rubric.items.iter().enumerate().take(MAX_ITEMS) {
        if visible & (1 << index) == 0 {
            continue;
        }
        let answer = answers.map_or(Answer::Unanswered, |a| a.get(index));
        visit_item(&item, answer, &mut |target, value, max| {
            totals.bump(target, value, max)
        });
    }
    totals
}

/// What one item contributed to a dimension or outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution {
    /// Index of the item.
    pub item: u8,
    /// What its answer gave.
    pub points: u32,
    /// What it could have given.
    pub possible: u32,
}

/// The visible items that bear on `target`, with what each gave, in item
/// order: the "why" behind a dimension or an outcome. For a yes-count
/// dimension each counted item gives 0 or 1; for a ratio, the two counts.
pub fn contributions(
    rubric: &Rubric<'_>,
    answers: &Answers,
    target: Target,
) -> heapless::Vec<Contribution, MAX_ITEMS> {
    let visible = visible_items(rubric, answers);
    let mut out = heapless::Vec::new();
    let rule = match target {
        Target::Dimension(d) => rubric.dimensions.get(usize::from(d)).map(|d| d.rule),
        Target::Outcome(_) => None,
    };
    for (index, item) in rubric.items.iter().enumerate().take(MAX_ITEMS) {
        if visible & (1 << index) == 0 {
            continue;
        }
        let answer = answers.get(index);
        let (mut points, mut possible) = (0u64, 0u64);
        let mut touches = false;
        match rule {
            Some(Rule::YesCount { section }) => {
                if let (true, ItemKind::YesNo { reverse }) = (item.section == section, item.kind) {
                    touches = true;
                    possible = 1;
                    points = u64::from(matches!(answer, Answer::YesNo(yes) if yes != reverse));
                }
            }
            Some(Rule::Ratio { part, rest }) => {
                if index == usize::from(part) || index == usize::from(rest) {
                    touches = true;
                    if let Answer::Count(value) = answer {
                        points = u64::from(value);
                    }
                }
            }
            _ => visit_item(&item, answer, &mut |t, value, max| {
                if t == target {
                    touches = true;
                    points += value;
                    possible += max;
                }
            }),
        }
        if touches {
            let _ = out.push(Contribution {
                item: index as u8,
                points: clamp_u32(points),
                possible: clamp_u32(possible),
            });
        }
    }
    out
}

/// Value and maximum of a [`Rule::YesCount`] dimension.
pub(crate) fn yes_count(
    rubric: &Rubric<'_>,
    section: u8,
    visible: VisibleSet,
    answers: Option<&Answers>,
) -> (u64, u64) {
    let (mut value, mut max) = (0, 0);
    for (index, item) in rubric.items.iter().enumerate().take(MAX_ITEMS) {
        if item.section != section || visible & (1 << index) == 0 {
            continue;
        }
        if let ItemKind::YesNo { reverse } = item.kind {
            max += 1;
            let answer = answers.map_or(Answer::Unanswered, |a| a.get(index));
            if matches!(answer, Answer::YesNo(yes) if yes != reverse) {
                value += 1;
            }
        }
    }
    (value, max)
}

fn count_answer(answers: &Answers, visible: VisibleSet, item: u8) -> u64 {
    let index = usize::from(item);
    if index >= MAX_ITEMS || visible & (1 << index) == 0 {
        return 0;
    }
    match answers.get(index) {
        Answer::Count(value) => u64::from(value),
        _ => 0,
    }
}

fn percent(value: u64, max: u64) -> u8 {
    (value.min(max) * 100)
        .checked_div(max)
        .map_or(0, |p| p as u8)
}

fn clamp_u32(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The largest value dimension `dimension` could reach if every item were
/// shown: the denominator a count reads against, whatever the answers hid.
/// `None` for a ratio (a share has no fixed maximum) or an unknown dimension.
pub fn full_max(rubric: &Rubric<'_>, dimension: u8) -> Option<u32> {
    let every_item = VisibleSet::MAX;
    match rubric.dimensions.get(usize::from(dimension))?.rule {
        Rule::WeightedSum => {
            let totals = totals(rubric, every_item, None);
            totals
                .dim_max
                .get(usize::from(dimension))
                .copied()
                .map(clamp_u32)
        }
        Rule::YesCount { section } => {
            Some(clamp_u32(yes_count(rubric, section, every_item, None).1))
        }
        Rule::Ratio { .. } => None,
    }
}

/// Index of the band of dimension `dimension` that contains `key`.
pub(crate) fn find_band(rubric: &Rubric<'_>, dimension: u8, key: u64) -> Option<u8> {
    rubric
        .bands
        .iter()
        .position(|band| {
            band.scope == BandScope::Dimension(dimension)
                && u64::from(band.lo) <= key
                && key <= u64::from(band.hi)
        })
        .and_then(|i| u8::try_from(i).ok())
}

/// Scores `answers` against `rubric`.
///
/// Hidden items are ignored, both in what was reached and in what was
/// possible. The rubric is expected to be validated; on an invalid one the
/// result is still computed without panicking, but may be meaningless.
pub fn score(rubric: &Rubric<'_>, answers: &Answers) -> ScoreResult {
    let visible = visible_items(rubric, answers);
    let totals = totals(rubric, visible, Some(answers));

    let mut result = ScoreResult {
        complete: true,
        answered: 0,
        visible: 0,
        dimensions: heapless::Vec::new(),
        outcomes: heapless::Vec::new(),
        verdict: Verdict::Undetermined,
    };

    for (index, item) in rubric.items.iter().enumerate().take(MAX_ITEMS) {
        if visible & (1 << index) == 0 {
            continue;
        }
        result.visible += 1;
        if answers.get(index).is_answered() {
            result.answered += 1;
        } else if item.required {
            result.complete = false;
        }
    }

    for (d, dimension) in rubric.dimensions.iter().enumerate().take(MAX_DIMENSIONS) {
        let (value, max) = match dimension.rule {
            Rule::WeightedSum => (totals.dim_value[d], totals.dim_max[d]),
            Rule::YesCount { section } => yes_count(rubric, section, visible, Some(answers)),
            Rule::Ratio { part, rest } => {
                let part = count_answer(answers, visible, part);
                let rest = count_answer(answers, visible, rest);
                (part, part + rest)
            }
        };
        let pct = percent(value, max);
        let key = match dimension.band_on {
            BandOn::Value => value,
            BandOn::Percent => u64::from(pct),
        };
        let _ = result.dimensions.push(DimensionScore {
            value: clamp_u32(value),
            max: clamp_u32(max),
            percent: pct,
            band: find_band(rubric, d as u8, key),
        });
    }

    let outcome_count = rubric.outcomes.len().min(MAX_OUTCOMES);
    for o in 0..outcome_count {
        let _ = result.outcomes.push(OutcomeFit {
            outcome: o as u8,
            received: clamp_u32(totals.out_value[o]),
            possible: clamp_u32(totals.out_max[o]),
            percent: percent(totals.out_value[o], totals.out_max[o]),
            rank: 0,
        });
    }
    sort_best_first(&mut result.outcomes);
    // Competition ranks: a fit equal to the one before it shares its rank.
    let mut previous: Option<OutcomeFit> = None;
    for (position, fit) in result.outcomes.iter_mut().enumerate() {
        fit.rank = match previous {
            Some(p) if compare_fit(&p, fit) == Ordering::Equal => p.rank,
            _ => position as u8 + 1,
        };
        previous = Some(*fit);
    }

    result.verdict = match rubric.verdict_rule {
        VerdictRule::Dimension(d) => result
            .dimensions
            .get(usize::from(d))
            .and_then(|score| score.band)
            .map_or(Verdict::Undetermined, Verdict::Band),
        VerdictRule::TopOutcome => top_outcome(&result.outcomes),
        VerdictRule::TopOutcomeWithFallback { fallback } => {
            without_fallback(top_outcome(&result.outcomes), fallback)
        }
        VerdictRule::DimensionWithFloor {
            dimension,
            below_percent,
            at_most,
        } => held_back(
            rubric,
            &result.dimensions,
            dimension,
            below_percent,
            at_most,
        ),
        VerdictRule::Grid { x, y, cells } => {
            let band_of = |d: u8| result.dimensions.get(usize::from(d)).and_then(|s| s.band);
            match (band_of(x), band_of(y)) {
                (Some(bx), Some(by)) => cells
                    .iter()
                    .find(|cell| cell.x_band == bx && cell.y_band == by)
                    .map_or(Verdict::Undetermined, |cell| Verdict::Band(cell.verdict)),
                _ => Verdict::Undetermined,
            }
        }
    };
    result
}

/// Best fit first, then by outcome index: a total order, so the result is
/// the same as any other sort's. Insertion sort because there are at most
/// [`MAX_OUTCOMES`] fits, and the slice sorts of `core` cost about 3.5 KB of
/// flash on the device.
fn sort_best_first(fits: &mut [OutcomeFit]) {
    for i in 1..fits.len() {
        let mut j = i;
        while j > 0
            && compare_fit(&fits[j - 1], &fits[j]).then(fits[j - 1].outcome.cmp(&fits[j].outcome))
                == Ordering::Greater
        {
            fits.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Better fit first; equal exact fractions compare equal.
fn compare_fit(a: &OutcomeFit, b: &OutcomeFit) -> Ordering {
    // a/pa vs b/pb  <=>  a*pb vs b*pa; an outcome nobody could reach fits 0.
    let lhs = u64::from(a.received) * u64::from(b.possible.max(1));
    let rhs = u64::from(b.received) * u64::from(a.possible.max(1));
    rhs.cmp(&lhs)
}

/// The verdict of a top-outcome rule from fits sorted best first: the one
/// outcome at rank 1, or all of them when several share it. Nothing received
/// means nothing to decide, even if every outcome "shares" 0.
fn top_outcome(fits: &[OutcomeFit]) -> Verdict {
    let mut best = fits.iter().take_while(|fit| fit.rank == 1);
    match (best.next(), best.clone().next()) {
        (Some(top), _) if top.received == 0 => Verdict::Undetermined,
        (Some(top), None) => Verdict::Outcome(top.outcome),
        (Some(top), Some(_)) => {
            Verdict::Tied(best.fold(1u16 << top.outcome, |mask, fit| mask | (1 << fit.outcome)))
        }
        (None, _) => Verdict::Undetermined,
    }
}

/// A top-outcome verdict where outcome `fallback` wins only alone: taken
/// out of a tie, which leaves the one other outcome or a smaller tie.
fn without_fallback(verdict: Verdict, fallback: u8) -> Verdict {
    let bit = 1u16.checked_shl(u32::from(fallback)).unwrap_or(0);
    match verdict {
        Verdict::Tied(mask) if mask & bit != 0 => {
            let rest = mask & !bit;
            if rest.count_ones() == 1 {
                Verdict::Outcome(rest.trailing_zeros() as u8)
            } else {
                Verdict::Tied(rest)
            }
        }
        other => other,
    }
}

/// The verdict of a [`VerdictRule::DimensionWithFloor`]: the band of
/// `dimension`, unless another banded dimension that could score anything is
/// below `below_percent` and `at_most` is the lower band; then
/// [`Verdict::Held`], naming the lowest such dimension (the first declared
/// on equal percentages).
fn held_back(
    rubric: &Rubric<'_>,
    scores: &[DimensionScore],
    dimension: u8,
    below_percent: u8,
    at_most: u8,
) -> Verdict {
    let Some(band) = scores.get(usize::from(dimension)).and_then(|s| s.band) else {
        return Verdict::Undetermined;
    };
    let banded = |d: u8| {
        rubric
            .bands
            .iter()
            .any(|b| b.scope == BandScope::Dimension(d))
    };
    let by = scores
        .iter()
        .enumerate()
        .filter(|(d, s)| {
            *d != usize::from(dimension)
                && s.max > 0
                && s.percent < below_percent
                && banded(*d as u8)
        })
        .min_by_key(|(d, s)| (s.percent, *d))
        .map(|(d, _)| d as u8);
    let lo = |b: u8| rubric.band(usize::from(b)).map_or(0, |b| b.lo);
    match by {
        Some(by) if lo(at_most) < lo(band) => Verdict::Held { band: at_most, by },
        _ => Verdict::Band(band),
    }
}
