//! Validation of a decoded bundle: every structural and semantic rule a
//! rubric must satisfy before it is used.
//!
//! The walk decodes every nested [`Seq`] once, so after a bundle passes, lazy
//! iteration cannot meet a malformed element. Problems are reported through a
//! callback so that the host compiler can show all of them at once; the
//! bundle decoder stops at the first.

use core::fmt;

use serde::Deserialize;

use crate::limits::*;
use crate::model::*;
use crate::score::totals;
use crate::seq::Seq;
use crate::visibility::VisibleSet;

/// Where in a rubric a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// The bundle as a whole.
    Bundle,
    /// The rubric's own fields.
    Rubric,
    /// A caveat, by index.
    Caveat(u8),
    /// A section, by index.
    Section(u8),
    /// An item, by index.
    Item(u8),
    /// An option of an item.
    Option {
        /// Item index.
        item: u8,
        /// Option index.
        option: u8,
    },
    /// A dimension, by index.
    Dimension(u8),
    /// An outcome, by index.
    Outcome(u8),
    /// A band, by index.
    Band(u8),
    /// The verdict rule.
    VerdictRule,
    /// A cell of the verdict rule's grid, by index.
    GridCell(u8),
}

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// Bytes that are not valid postcard for the model.
    Malformed,
    /// A list or text longer than its limit.
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The size found.
        found: usize,
    },
    /// An id that is empty or has characters other than `a-z`, `0-9`, `-`.
    InvalidId,
    /// An id used twice; `first` is the index of the first use.
    DuplicateId {
        /// Index of the earlier element with the same id.
        first: u8,
    },
    /// A required text (a title, a prompt, a label) is empty.
    EmptyText,
    /// The rubric has no section.
    NoSections,
    /// The rubric has no item.
    NoItems,
    /// A section index that does not exist.
    UnknownSection {
        /// The index.
        section: u8,
    },
    /// A dimension index that does not exist.
    UnknownDimension {
        /// The index.
        dimension: u8,
    },
    /// An outcome index that does not exist.
    UnknownOutcome {
        /// The index.
        outcome: u8,
    },
    /// An item index that does not exist.
    UnknownItem {
        /// The index.
        item: u8,
    },
    /// An option index that does not exist on the item a condition tests.
    UnknownOption {
        /// The option index.
        option: u8,
    },
    /// A band index that does not exist.
    UnknownBand {
        /// The index.
        band: u8,
    },
    /// A weight above [`MAX_WEIGHT`].
    WeightTooLarge {
        /// The weight.
        value: u16,
    },
    /// Weights may only go to dimensions whose rule is a weighted sum.
    WeightOnComputedDimension {
        /// The dimension.
        dimension: u8,
    },
    /// Weights on an item kind that cannot carry them (text; choice items carry them on options).
    WeightsNotAllowed,
    /// A condition that tests the item itself or a later one.
    ConditionNotEarlier {
        /// The item tested.
        item: u8,
    },
    /// A condition test that cannot apply to the kind of the item tested.
    ConditionKindMismatch {
        /// The tested item's kind.
        kind: &'static str,
    },
    /// A scale whose `min` is not below `max`, or with more than [`MAX_LEVELS`] levels.
    ScaleRange {
        /// Lowest level.
        min: u8,
        /// Highest level.
        max: u8,
    },
    /// A scale needs one descriptor per level.
    DescriptorCount {
        /// Levels of the scale.
        expected: u8,
        /// Descriptors given.
        found: u8,
    },
    /// A choice item with too few options.
    TooFewOptions {
        /// Options given.
        found: u8,
        /// Options needed.
        needed: u8,
    },
    /// A count whose `min` is above `max`, or `max` above [`MAX_COUNT`].
    CountRange {
        /// Smallest value.
        min: u32,
        /// Largest value.
        max: u32,
    },
    /// A yes-count dimension over a section without yes/no items.
    NoYesNoItems {
        /// The section.
        section: u8,
    },
    /// A ratio that refers to an item that is not a count.
    NotACount {
        /// The item.
        item: u8,
    },
    /// A ratio of an item with itself.
    RatioOfItself,
    /// A ratio dimension must be banded on its percentage.
    RatioNeedsPercent,
    /// A band with `lo > hi`.
    BandInverted {
        /// Lowest value.
        lo: u32,
        /// Highest value.
        hi: u32,
    },
    /// A band reaching past the largest value the dimension can have.
    BandBeyondRange {
        /// Band's highest value.
        hi: u32,
        /// The dimension's largest value.
        top: u32,
    },
    /// Two bands of one dimension share values.
    BandOverlap {
        /// The other band.
        other: u8,
        /// First shared value.
        from: u32,
        /// Last shared value.
        to: u32,
    },
    /// Values of a dimension that no band covers.
    BandGap {
        /// First uncovered value.
        from: u32,
        /// Last uncovered value.
        to: u32,
    },
    /// The dimension needs bands (the verdict rule uses it) but has none.
    NoBands {
        /// The dimension.
        dimension: u8,
    },
    /// A band used where a band of another scope is needed.
    WrongBandScope {
        /// The band.
        band: u8,
    },
    /// A verdict band no grid cell chooses.
    UnusedVerdictBand,
    /// A grid over one dimension twice.
    GridSameDimension,
    /// A pair of bands with no grid cell, or with more than one.
    GridCellCount {
        /// Band of the `x` dimension.
        x_band: u8,
        /// Band of the `y` dimension.
        y_band: u8,
        /// Cells found for the pair.
        found: u8,
    },
    /// A top-outcome verdict rule on a rubric without outcomes.
    NoOutcomes,
}

/// One problem at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issue {
    /// Index of the rubric in the bundle.
    pub rubric: u8,
    /// Where.
    pub at: Location,
    /// What.
    pub problem: Problem,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Bundle => write!(f, "bundle"),
            Location::Rubric => write!(f, "rubric"),
            Location::Caveat(i) => write!(f, "caveat {i}"),
            Location::Section(i) => write!(f, "section {i}"),
            Location::Item(i) => write!(f, "item {i}"),
            Location::Option { item, option } => write!(f, "item {item} option {option}"),
            Location::Dimension(i) => write!(f, "dimension {i}"),
            Location::Outcome(i) => write!(f, "outcome {i}"),
            Location::Band(i) => write!(f, "band {i}"),
            Location::VerdictRule => write!(f, "verdict rule"),
            Location::GridCell(i) => write!(f, "grid cell {i}"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Problem::Malformed => write!(f, "malformed bytes"),
            Problem::LimitExceeded { limit, found } => {
                write!(
                    f,
                    "{found} {} exceeds the limit of {}",
                    limit.name(),
                    limit.max()
                )
            }
            Problem::InvalidId => write!(f, "ids must be non-empty and use only a-z, 0-9 and '-'"),
            Problem::DuplicateId { first } => write!(f, "id already used by element {first}"),
            Problem::EmptyText => write!(f, "text must not be empty"),
            Problem::NoSections => write!(f, "a rubric needs at least one section"),
            Problem::NoItems => write!(f, "a rubric needs at least one item"),
            Problem::UnknownSection { section } => write!(f, "section {section} does not exist"),
            Problem::UnknownDimension { dimension } => {
                write!(f, "dimension {dimension} does not exist")
            }
            Problem::UnknownOutcome { outcome } => write!(f, "outcome {outcome} does not exist"),
            Problem::UnknownItem { item } => write!(f, "item {item} does not exist"),
            Problem::UnknownOption { option } => write!(f, "option {option} does not exist"),
            Problem::UnknownBand { band } => write!(f, "band {band} does not exist"),
            Problem::WeightTooLarge { value } => {
                write!(f, "weight {value} is above the maximum of {MAX_WEIGHT}")
            }
            Problem::WeightOnComputedDimension { dimension } => write!(
                f,
                "dimension {dimension} is computed by its own rule and cannot receive weights"
            ),
            Problem::WeightsNotAllowed => write!(f, "this kind of item cannot carry weights"),
            Problem::ConditionNotEarlier { item } => {
                write!(
                    f,
                    "a condition may only test an earlier item, not item {item}"
                )
            }
            Problem::ConditionKindMismatch { kind } => {
                write!(f, "this test does not apply to a {kind} item")
            }
            Problem::ScaleRange { min, max } => write!(
                f,
                "scale {min}..{max} must have min below max and at most {MAX_LEVELS} levels"
            ),
            Problem::DescriptorCount { expected, found } => write!(
                f,
                "the scale has {expected} levels but {found} descriptors; give one per level"
            ),
            Problem::TooFewOptions { found, needed } => {
                write!(f, "{found} options; at least {needed} are needed")
            }
            Problem::CountRange { min, max } => write!(
                f,
                "count range {min}..{max} must have min <= max <= {MAX_COUNT}"
            ),
            Problem::NoYesNoItems { section } => {
                write!(f, "section {section} has no yes/no item to count")
            }
            Problem::NotACount { item } => write!(f, "item {item} is not a count item"),
            Problem::RatioOfItself => write!(f, "a ratio needs two different count items"),
            Problem::RatioNeedsPercent => write!(f, "a ratio dimension must be banded on percent"),
            Problem::BandInverted { lo, hi } => write!(f, "band starts at {lo} but ends at {hi}"),
            Problem::BandBeyondRange { hi, top } => {
                write!(
                    f,
                    "band ends at {hi} but the highest possible value is {top}"
                )
            }
            Problem::BandOverlap { other, from, to } => {
                write!(f, "values {from}-{to} are also in band {other}")
            }
            Problem::BandGap { from, to } => write!(f, "values {from}-{to} have no band"),
            Problem::NoBands { dimension } => {
                write!(
                    f,
                    "dimension {dimension} is used by the verdict rule but has no bands"
                )
            }
            Problem::WrongBandScope { band } => write!(f, "band {band} has the wrong scope here"),
            Problem::UnusedVerdictBand => write!(f, "no grid cell chooses this verdict band"),
            Problem::GridSameDimension => write!(f, "a grid needs two different dimensions"),
            Problem::GridCellCount {
                x_band,
                y_band,
                found,
            } => write!(
                f,
                "bands {x_band} and {y_band} need exactly one grid cell, found {found}"
            ),
            Problem::NoOutcomes => write!(f, "a top-outcome verdict rule needs outcomes"),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rubric {}, {}: {}", self.rubric, self.at, self.problem)
    }
}

/// Checks an id: non-empty, at most [`MAX_ID_BYTES`], `a-z0-9-` only.
pub fn id_problem(id: &str) -> Option<Problem> {
    if id.len() > MAX_ID_BYTES {
        Some(Problem::LimitExceeded {
            limit: Limit::IdBytes,
            found: id.len(),
        })
    } else if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some(Problem::InvalidId)
    } else {
        None
    }
}

struct Reporter<'r> {
    rubric: u8,
    sink: &'r mut dyn FnMut(Issue),
    count: usize,
}

impl Reporter<'_> {
    fn report(&mut self, at: Location, problem: Problem) {
        self.count += 1;
        (self.sink)(Issue {
            rubric: self.rubric,
            at,
            problem,
        });
    }

    fn text(&mut self, at: Location, text: &str, required: bool) {
        if text.len() > MAX_TEXT_BYTES {
            self.report(
                at,
                Problem::LimitExceeded {
                    limit: Limit::TextBytes,
                    found: text.len(),
                },
            );
        } else if required && text.trim().is_empty() {
            self.report(at, Problem::EmptyText);
        }
    }

    fn id(&mut self, at: Location, id: &str) {
        if let Some(problem) = id_problem(id) {
            self.report(at, problem);
        }
    }

    /// Reports `id` if an earlier entry of `seen` has it.
    fn unique(&mut self, at: Location, seen: &[&str], id: &str) {
        if let Some(first) = seen.iter().position(|other| *other == id) {
            self.report(at, Problem::DuplicateId { first: first as u8 });
        }
    }

    /// Decodes each element of `seq` exactly once, handing it to `each`.
    /// Stops (returning `None`) at a malformed element or when the list is
    /// longer than `limit`; nothing after that should be trusted.
    fn each<'a, T: Deserialize<'a>>(
        &mut self,
        at: Location,
        seq: Seq<'a, T>,
        limit: Limit,
        mut each: impl FnMut(&mut Self, usize, T),
    ) -> Option<usize> {
        let declared = seq.len();
        if declared > limit.max() {
            self.report(
                at,
                Problem::LimitExceeded {
                    limit,
                    found: declared,
                },
            );
            return None;
        }
        let mut count = 0;
        for element in seq.try_iter() {
            match element {
                Ok(value) => {
                    each(self, count, value);
                    count += 1;
                }
                Err(_) => {
                    self.report(at, Problem::Malformed);
                    return None;
                }
            }
        }
        Some(count)
    }
}

/// What later checks need to know about an item, decoded once.
#[derive(Clone, Copy)]
struct ItemSummary<'a> {
    id: &'a str,
    kind: &'static str,
    section: u8,
    options: usize,
    yes_no: bool,
    count: bool,
}

#[derive(Clone, Copy)]
struct BandSummary<'a> {
    id: &'a str,
    scope: BandScope,
    lo: u32,
    hi: u32,
}

/// Validates every rubric of a payload, reporting each problem found.
/// Returns the number of problems.
pub fn validate_payload(payload: &BundlePayload<'_>, sink: &mut dyn FnMut(Issue)) -> usize {
    let mut ids: heapless::Vec<&str, MAX_RUBRICS> = heapless::Vec::new();
    let mut bundle = Reporter {
        rubric: 0,
        sink,
        count: 0,
    };
    let mut nested = 0;
    let walked = bundle.each(
        Location::Bundle,
        payload.rubrics,
        Limit::Rubrics,
        |r, index, rubric| {
            r.rubric = index as u8;
            nested += validate_rubric(&rubric, index as u8, &mut *r.sink);
            r.unique(Location::Rubric, &ids, rubric.id);
            let _ = ids.push(rubric.id);
        },
    );
    if walked == Some(0) {
        bundle.report(Location::Bundle, Problem::NoItems);
    }
    bundle.count + nested
}

/// Validates one rubric (`index` is its position, used in reports).
/// Returns the number of problems.
pub fn validate_rubric(rubric: &Rubric<'_>, index: u8, sink: &mut dyn FnMut(Issue)) -> usize {
    let mut r = Reporter {
        rubric: index,
        sink,
        count: 0,
    };
    let at = Location::Rubric;
    r.id(at, rubric.id);
    r.text(at, rubric.title, true);
    r.text(at, rubric.summary, true);
    r.text(at, rubric.intro, false);

    let caveats = r.each(at, rubric.caveats, Limit::Caveats, |r, i, caveat| {
        r.text(Location::Caveat(i as u8), caveat.text, true);
    });

    let mut sections: heapless::Vec<&str, MAX_SECTIONS> = heapless::Vec::new();
    let sections_ok = r.each(at, rubric.sections, Limit::Sections, |r, i, section| {
        let at = Location::Section(i as u8);
        r.id(at, section.id);
        r.text(at, section.title, true);
        r.text(at, section.intro, false);
        r.unique(at, &sections, section.id);
        let _ = sections.push(section.id);
    });

    let mut dimensions: heapless::Vec<Dimension<'_>, MAX_DIMENSIONS> = heapless::Vec::new();
    let dimensions_ok = r.each(
        at,
        rubric.dimensions,
        Limit::Dimensions,
        |r, d, dimension| {
            let at = Location::Dimension(d as u8);
            r.id(at, dimension.id);
            r.text(at, dimension.title, true);
            r.text(at, dimension.description, false);
            let seen: heapless::Vec<&str, MAX_DIMENSIONS> =
                dimensions.iter().map(|x| x.id).collect();
            r.unique(at, &seen, dimension.id);
            let _ = dimensions.push(dimension);
        },
    );

    let mut outcomes: heapless::Vec<&str, MAX_OUTCOMES> = heapless::Vec::new();
    let outcomes_ok = r.each(at, rubric.outcomes, Limit::Outcomes, |r, o, outcome| {
        let at = Location::Outcome(o as u8);
        r.id(at, outcome.id);
        r.text(at, outcome.title, true);
        r.text(at, outcome.description, false);
        r.unique(at, &outcomes, outcome.id);
        let _ = outcomes.push(outcome.id);
    });

    let (Some(_), Some(_), Some(_), Some(_)) = (caveats, sections_ok, dimensions_ok, outcomes_ok)
    else {
        return r.count;
    };
    if sections.is_empty() {
        r.report(at, Problem::NoSections);
    }

    let targets = Targets {
        dimensions: &dimensions,
        outcomes: outcomes.len(),
    };
    let mut items: heapless::Vec<ItemSummary<'_>, MAX_ITEMS> = heapless::Vec::new();
    let mut nested_ok = true;
    let items_ok = r.each(
        at,
        rubric.items,
        Limit::Items,
        |r, i, item| match check_item(r, i as u8, &item, &items, sections.len(), &targets) {
            Some(summary) => {
                let _ = items.push(summary);
            }
            None => nested_ok = false,
        },
    );
    if items_ok.is_none() || !nested_ok {
        return r.count;
    }
    if items.is_empty() {
        r.report(at, Problem::NoItems);
    }

    for (d, dimension) in dimensions.iter().enumerate() {
        let at = Location::Dimension(d as u8);
        match dimension.rule {
            Rule::WeightedSum => {}
            Rule::YesCount { section } => {
                if usize::from(section) >= sections.len() {
                    r.report(at, Problem::UnknownSection { section });
                } else if !items.iter().any(|it| it.yes_no && it.section == section) {
                    r.report(at, Problem::NoYesNoItems { section });
                }
            }
            Rule::Ratio { part, rest } => {
                for item in [part, rest] {
                    match items.get(usize::from(item)) {
                        None => r.report(at, Problem::UnknownItem { item }),
                        Some(found) if !found.count => r.report(at, Problem::NotACount { item }),
                        Some(_) => {}
                    }
                }
                if part == rest {
                    r.report(at, Problem::RatioOfItself);
                }
                if dimension.band_on != BandOn::Percent {
                    r.report(at, Problem::RatioNeedsPercent);
                }
            }
        }
    }

    let mut bands: heapless::Vec<BandSummary<'_>, MAX_BANDS> = heapless::Vec::new();
    let bands_ok = r.each(at, rubric.bands, Limit::Bands, |r, b, band| {
        let at = Location::Band(b as u8);
        r.id(at, band.id);
        r.text(at, band.label, true);
        r.text(at, band.explanation, false);
        let seen: heapless::Vec<&str, MAX_BANDS> = bands.iter().map(|x| x.id).collect();
        r.unique(at, &seen, band.id);
        if r.each(at, band.actions, Limit::Actions, |r, _, action| {
            r.text(at, action.text, true)
        })
        .is_none()
        {
            nested_ok = false;
        }
        if let BandScope::Dimension(dimension) = band.scope {
            if usize::from(dimension) >= dimensions.len() {
                r.report(at, Problem::UnknownDimension { dimension });
            }
            if band.lo > band.hi {
                r.report(
                    at,
                    Problem::BandInverted {
                        lo: band.lo,
                        hi: band.hi,
                    },
                );
            }
        }
        let _ = bands.push(BandSummary {
            id: band.id,
            scope: band.scope,
            lo: band.lo,
            hi: band.hi,
        });
    });

    // Ranges and coverage need every list intact and every reference valid.
    if bands_ok.is_some() && nested_ok && r.count == 0 {
        let needs_totals = dimensions
            .iter()
            .any(|d| d.band_on == BandOn::Value && d.rule == Rule::WeightedSum);
        let sums = needs_totals.then(|| totals(rubric, VisibleSet::MAX, None));
        for (d, dimension) in dimensions.iter().enumerate() {
            let top = match (dimension.band_on, dimension.rule) {
                (BandOn::Percent, _) | (_, Rule::Ratio { .. }) => 100,
                (BandOn::Value, Rule::WeightedSum) => sums.as_ref().map_or(0, |t| t.dim_max[d]),
                (BandOn::Value, Rule::YesCount { section }) => items
                    .iter()
                    .filter(|it| it.yes_no && it.section == section)
                    .count() as u64,
            };
            check_coverage(
                &mut r,
                &bands,
                d as u8,
                u32::try_from(top).unwrap_or(u32::MAX),
            );
        }
        check_verdict_rule(&mut r, rubric, dimensions.len(), outcomes.len(), &bands);
    }
    r.count
}

struct Targets<'t, 'a> {
    dimensions: &'t [Dimension<'a>],
    outcomes: usize,
}

fn check_item<'a>(
    r: &mut Reporter<'_>,
    i: u8,
    item: &Item<'a>,
    earlier: &[ItemSummary<'a>],
    sections: usize,
    targets: &Targets<'_, '_>,
) -> Option<ItemSummary<'a>> {
    let at = Location::Item(i);
    r.id(at, item.id);
    r.text(at, item.prompt, true);
    r.text(at, item.help, false);
    if let Some(first) = earlier.iter().position(|x| x.id == item.id) {
        r.report(at, Problem::DuplicateId { first: first as u8 });
    }
    if usize::from(item.section) >= sections {
        r.report(
            at,
            Problem::UnknownSection {
                section: item.section,
            },
        );
    }
    let weights = r.each(at, item.weights, Limit::Weights, |r, _, weight| {
        check_weight(r, at, weight, targets)
    })?;
    if let Some(condition) = item.show_if {
        check_condition(r, at, earlier, i, &condition);
    }

    let mut options = 0;
    match item.kind {
        ItemKind::Scale {
            min,
            max,
            descriptors,
            ..
        } => {
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
        }
        ItemKind::YesNo { .. } => {}
        ItemKind::Single { options: list } | ItemKind::Multi { options: list } => {
            if weights > 0 {
                r.report(at, Problem::WeightsNotAllowed);
            }
            let mut ids: heapless::Vec<&str, MAX_OPTIONS> = heapless::Vec::new();
            let mut nested_ok = true;
            let found = r.each(at, list, Limit::Options, |r, o, option| {
                let at = Location::Option {
                    item: i,
                    option: o as u8,
                };
                r.id(at, option.id);
                r.text(at, option.label, true);
                r.unique(at, &ids, option.id);
                let _ = ids.push(option.id);
                if r.each(at, option.weights, Limit::Weights, |r, _, w| {
                    check_weight(r, at, w, targets)
                })
                .is_none()
                {
                    nested_ok = false;
                }
            })?;
            if !nested_ok {
                return None;
            }
            let needed = if matches!(item.kind, ItemKind::Single { .. }) {
                2
            } else {
                1
            };
            if found < needed {
                r.report(
                    at,
                    Problem::TooFewOptions {
                        found: found as u8,
                        needed: needed as u8,
                    },
                );
            }
            options = found;
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
    Some(ItemSummary {
        id: item.id,
        kind: item.kind.name(),
        section: item.section,
        options,
        yes_no: matches!(item.kind, ItemKind::YesNo { .. }),
        count: matches!(item.kind, ItemKind::Count { .. }),
    })
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

fn check_condition(
    r: &mut Reporter<'_>,
    at: Location,
    earlier: &[ItemSummary<'_>],
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

fn check_coverage(r: &mut Reporter<'_>, bands: &[BandSummary<'_>], d: u8, top: u32) {
    let scope = BandScope::Dimension(d);
    let of_dim = || {
        bands
            .iter()
            .enumerate()
            .filter(move |(_, b)| b.scope == scope)
    };
    if of_dim().next().is_none() {
        return; // Unbanded dimensions are allowed unless the verdict rule needs bands.
    }
    for (b, band) in of_dim() {
        let at = Location::Band(b as u8);
        if band.hi > top {
            r.report(at, Problem::BandBeyondRange { hi: band.hi, top });
        }
        for (o, other) in of_dim().take_while(|(o, _)| *o < b) {
            let from = band.lo.max(other.lo);
            let to = band.hi.min(other.hi);
            if from <= to {
                r.report(
                    at,
                    Problem::BandOverlap {
                        other: o as u8,
                        from,
                        to,
                    },
                );
            }
        }
    }
    // Walk 0..=top, jumping from band to band, reporting every hole.
    let mut next: u64 = 0;
    while next <= u64::from(top) {
        if let Some((_, band)) =
            of_dim().find(|(_, b)| u64::from(b.lo) <= next && next <= u64::from(b.hi))
        {
            next = u64::from(band.hi) + 1;
            continue;
        }
        let resume = of_dim()
            .map(|(_, b)| u64::from(b.lo))
            .filter(|lo| *lo > next)
            .min();
        let to = resume
            .map_or(u64::from(top), |lo| lo - 1)
            .min(u64::from(top));
        r.report(
            Location::Dimension(d),
            Problem::BandGap {
                from: next as u32,
                to: to as u32,
            },
        );
        match resume {
            Some(lo) => next = lo,
            None => break,
        }
    }
}

fn check_verdict_rule(
    r: &mut Reporter<'_>,
    rubric: &Rubric<'_>,
    dimensions: usize,
    outcomes: usize,
    bands: &[BandSummary<'_>],
) {
    let at = Location::VerdictRule;
    let has_bands = |d: u8| bands.iter().any(|b| b.scope == BandScope::Dimension(d));
    let mut cells: heapless::Vec<GridCell, MAX_GRID_CELLS> = heapless::Vec::new();
    let grid = match rubric.verdict_rule {
        VerdictRule::Dimension(dimension) => {
            if usize::from(dimension) >= dimensions {
                r.report(at, Problem::UnknownDimension { dimension });
            } else if !has_bands(dimension) {
                r.report(at, Problem::NoBands { dimension });
            }
            None
        }
        VerdictRule::TopOutcome => {
            if outcomes == 0 {
                r.report(at, Problem::NoOutcomes);
            }
            None
        }
        VerdictRule::Grid { x, y, cells: list } => {
            let mut ok = true;
            for dimension in [x, y] {
                if usize::from(dimension) >= dimensions {
                    r.report(at, Problem::UnknownDimension { dimension });
                    ok = false;
                } else if !has_bands(dimension) {
                    r.report(at, Problem::NoBands { dimension });
                    ok = false;
                }
            }
            if x == y {
                r.report(at, Problem::GridSameDimension);
                ok = false;
            }
            let decoded = r.each(at, list, Limit::GridCells, |_, _, cell| {
                let _ = cells.push(cell);
            });
            (ok && decoded.is_some()).then_some((x, y))
        }
    };

    let Some((x, y)) = grid else {
        // Without a grid, verdict bands are never chosen.
        for (b, band) in bands.iter().enumerate() {
            if band.scope == BandScope::Verdict {
                r.report(Location::Band(b as u8), Problem::UnusedVerdictBand);
            }
        }
        return;
    };

    for (c, cell) in cells.iter().enumerate() {
        let at = Location::GridCell(c as u8);
        for (band, scope) in [
            (cell.x_band, BandScope::Dimension(x)),
            (cell.y_band, BandScope::Dimension(y)),
            (cell.verdict, BandScope::Verdict),
        ] {
            match bands.get(usize::from(band)) {
                None => r.report(at, Problem::UnknownBand { band }),
                Some(found) if found.scope != scope => {
                    r.report(at, Problem::WrongBandScope { band })
                }
                Some(_) => {}
            }
        }
    }
    for (bx, band_x) in bands.iter().enumerate() {
        if band_x.scope != BandScope::Dimension(x) {
            continue;
        }
        for (by, band_y) in bands.iter().enumerate() {
            if band_y.scope != BandScope::Dimension(y) {
                continue;
            }
            let found = cells
                .iter()
                .filter(|c| usize::from(c.x_band) == bx && usize::from(c.y_band) == by)
                .count();
            if found != 1 {
                r.report(
                    at,
                    Problem::GridCellCount {
                        x_band: bx as u8,
                        y_band: by as u8,
                        found: found.min(255) as u8,
                    },
                );
            }
        }
    }
    for (b, band) in bands.iter().enumerate() {
        if band.scope == BandScope::Verdict && !cells.iter().any(|c| usize::from(c.verdict) == b) {
            r.report(Location::Band(b as u8), Problem::UnusedVerdictBand);
        }
    }
}

impl core::error::Error for Issue {}
