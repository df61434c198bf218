//! Hard limits on what a bundle may contain.
//!
//! They bound the work and the memory of decoding, validation, the runner and
//! scoring on the smallest target, and they are checked by validation: a bundle
//! that exceeds one is refused with [`crate::BundleError::LimitExceeded`].

/// Rubrics in one bundle.
pub const MAX_RUBRICS: usize = 32;
/// Sections in one rubric.
pub const MAX_SECTIONS: usize = 16;
/// Items (questions) in one rubric. Also the capacity of [`crate::Answers`].
pub const MAX_ITEMS: usize = 64;
/// Options of one single- or multiple-choice item (a multiple-choice answer is a 16-bit mask).
pub const MAX_OPTIONS: usize = 16;
/// Level descriptors of one scale item, and so the levels of a scale.
pub const MAX_LEVELS: usize = 10;
/// Weights attached to one item or one option.
pub const MAX_WEIGHTS: usize = 8;
/// Scored dimensions in one rubric.
pub const MAX_DIMENSIONS: usize = 16;
/// Outcomes (archetypes) in one rubric.
pub const MAX_OUTCOMES: usize = 8;
/// Bands in one rubric, across all dimensions and verdicts.
pub const MAX_BANDS: usize = 64;
/// Suggested actions of one band.
pub const MAX_ACTIONS: usize = 8;
/// Caveats of one rubric.
pub const MAX_CAVEATS: usize = 8;
/// Cells of a two-dimension verdict grid.
pub const MAX_GRID_CELLS: usize = 64;
/// Conditions in one `any` or `all` list of an item's `show_if`.
pub const MAX_CONDITIONS: usize = 8;
/// Bytes of any one text (UTF-8).
pub const MAX_TEXT_BYTES: usize = 2048;
/// Bytes of any id; ids are lowercase ASCII letters, digits and `-`.
pub const MAX_ID_BYTES: usize = 48;
/// Largest weight of one contribution.
pub const MAX_WEIGHT: u16 = 100;
/// Largest value a count item may declare as its maximum.
pub const MAX_COUNT: u32 = 10_000;
/// Bytes of a whole bundle payload.
pub const MAX_PAYLOAD_BYTES: usize = 1 << 20;
/// Bytes of the texts of a version 3 bundle once decompressed, all rubrics
/// together. Checked on the declared sizes before anything is decompressed,
/// so it bounds what a hostile section can cost; the payload the texts are
/// expanded into is then held to [`MAX_PAYLOAD_BYTES`] like any other.
pub const MAX_PROSE_BYTES: usize = 2 << 20;

/// Names one of the limits above, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`MAX_RUBRICS`]
    Rubrics,
    /// [`MAX_SECTIONS`]
    Sections,
    /// [`MAX_ITEMS`]
    Items,
    /// [`MAX_OPTIONS`]
    Options,
    /// [`MAX_LEVELS`]
    Levels,
    /// [`MAX_WEIGHTS`]
    Weights,
    /// [`MAX_DIMENSIONS`]
    Dimensions,
    /// [`MAX_OUTCOMES`]
    Outcomes,
    /// [`MAX_BANDS`]
    Bands,
    /// [`MAX_ACTIONS`]
    Actions,
    /// [`MAX_CAVEATS`]
    Caveats,
    /// [`MAX_GRID_CELLS`]
    GridCells,
    /// [`MAX_CONDITIONS`]
    Conditions,
    /// [`MAX_TEXT_BYTES`]
    TextBytes,
    /// [`MAX_ID_BYTES`]
    IdBytes,
    /// [`MAX_PAYLOAD_BYTES`]
    PayloadBytes,
    /// [`MAX_PROSE_BYTES`]
    ProseBytes,
}

impl Limit {
    /// The numeric value of the limit.
    pub const fn max(self) -> usize {
        match self {
            Limit::Rubrics => MAX_RUBRICS,
            Limit::Sections => MAX_SECTIONS,
            Limit::Items => MAX_ITEMS,
            Limit::Options => MAX_OPTIONS,
            Limit::Levels => MAX_LEVELS,
            Limit::Weights => MAX_WEIGHTS,
            Limit::Dimensions => MAX_DIMENSIONS,
            Limit::Outcomes => MAX_OUTCOMES,
            Limit::Bands => MAX_BANDS,
            Limit::Actions => MAX_ACTIONS,
            Limit::Caveats => MAX_CAVEATS,
            Limit::GridCells => MAX_GRID_CELLS,
            Limit::Conditions => MAX_CONDITIONS,
            Limit::TextBytes => MAX_TEXT_BYTES,
            Limit::IdBytes => MAX_ID_BYTES,
            Limit::PayloadBytes => MAX_PAYLOAD_BYTES,
            Limit::ProseBytes => MAX_PROSE_BYTES,
        }
    }

    /// A short human name ("items per rubric").
    pub const fn name(self) -> &'static str {
        match self {
            Limit::Rubrics => "rubrics per bundle",
            Limit::Sections => "sections per rubric",
            Limit::Items => "items per rubric",
            Limit::Options => "options per item",
            Limit::Levels => "levels per scale",
            Limit::Weights => "weights per item or option",
            Limit::Dimensions => "dimensions per rubric",
            Limit::Outcomes => "outcomes per rubric",
            Limit::Bands => "bands per rubric",
            Limit::Actions => "actions per band",
            Limit::Caveats => "caveats per rubric",
            Limit::GridCells => "cells per verdict grid",
            Limit::Conditions => "conditions per any or all list",
            Limit::TextBytes => "bytes per text",
            Limit::IdBytes => "bytes per id",
            Limit::PayloadBytes => "payload bytes",
            Limit::ProseBytes => "bytes of decompressed text",
        }
    }
}
