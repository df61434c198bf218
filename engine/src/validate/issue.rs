//! What validation reports: [`Issue`] = where ([`Location`]) + what ([`Problem`]).

use core::fmt;

use crate::limits::{Limit, MAX_COUNT, MAX_LEVELS, MAX_WEIGHT};

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
    /// A text in the structure of a bundle whose texts live in its prose
    /// section (format version 3): the structure must carry it empty.
    ProseInStructure,
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
    /// An `any` or `all` list of conditions with nothing in it.
    EmptyConditionList,
    /// A tie band in a rubric whose verdict is not a top outcome, or a
    /// second tie band; `first` is the index of the first one, if any.
    MisplacedTieBand {
        /// Index of the rubric's first tie band, when this is a second one.
        first: Option<u8>,
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
    /// A band of an outcome with a range (only dimension bands have one).
    RangeNotAllowed,
    /// A second band for one outcome; `first` is the index of the first band.
    DuplicateOutcomeBand {
        /// Index of the outcome's first band.
        first: u8,
    },
    /// A floor on the verdict above 100 percent.
    FloorAbove100 {
        /// The percentage given.
        percent: u8,
    },
    /// A floor on the verdict of a rubric with no other banded dimension to hold it back.
    FloorWithoutOtherDimension,
    /// A fallback outcome on a rubric with no other outcome to give way to.
    FallbackAlone,
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
            Problem::ProseInStructure => write!(
                f,
                "this text is inside the structure, but a version 3 bundle keeps texts in its prose section"
            ),
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
            Problem::EmptyConditionList => {
                write!(f, "an any or all list needs at least one condition")
            }
            Problem::MisplacedTieBand { first: Some(first) } => {
                write!(f, "the rubric already has a tie band (band {first})")
            }
            Problem::MisplacedTieBand { first: None } => write!(
                f,
                "a tie band belongs only to a rubric whose verdict is the top outcome"
            ),
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
            Problem::RangeNotAllowed => {
                write!(f, "only a band of a dimension has a range")
            }
            Problem::DuplicateOutcomeBand { first } => {
                write!(f, "the outcome already has a band (band {first})")
            }
            Problem::FloorAbove100 { percent } => {
                write!(f, "a floor of {percent} percent is above 100")
            }
            Problem::FloorWithoutOtherDimension => write!(
                f,
                "a floor needs another dimension with bands that can hold the verdict back"
            ),
            Problem::FallbackAlone => write!(
                f,
                "a fallback outcome needs at least one other outcome to give way to"
            ),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rubric {}, {}: {}", self.rubric, self.at, self.problem)
    }
}

impl core::error::Error for Issue {}
