//! [`GoldenCase`]: one golden vector, as the host writes it and the firmware
//! reads it (`tests/golden/cases.bin` is a [`crate::Seq`] of them).
//!
//! Declared once, here, so the host and the device cannot drift apart:
//! postcard encodes fields in declaration order and without names, so the
//! field order is the wire format.

use serde::{Deserialize, Serialize};

use crate::answer::Answers;
use crate::score::ScoreResult;

/// One set of answers to one rubric, with the result the host computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldenCase<'a> {
    /// Case name.
    pub name: &'a str,
    /// Rubric id.
    pub rubric: &'a str,
    /// The answers.
    pub answers: Answers,
    /// The result the host computed.
    pub expected: ScoreResult,
}
