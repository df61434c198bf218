//! Answers: one fixed-size slot per item, checked against the item's kind.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::limits::{MAX_ITEMS, MAX_OPTIONS};
use crate::model::ItemKind;

/// The answer to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Answer {
    /// Not answered (or skipped).
    #[default]
    Unanswered,
    /// A level of a scale item.
    Level(u8),
    /// A yes/no answer.
    YesNo(bool),
    /// The option (by index) of a single-choice item.
    Choice(u8),
    /// The options of a multiple-choice item, as a bit mask (bit `i` = option `i`).
    Choices(u16),
    /// The value of a count item.
    Count(u32),
    /// A free-text item was answered; the text itself stays with the host.
    Text,
}

impl Answer {
    /// True unless [`Answer::Unanswered`].
    pub const fn is_answered(&self) -> bool {
        !matches!(self, Answer::Unanswered)
    }

    /// Checks that this answer fits an item of `kind`.
    pub fn check(&self, kind: &ItemKind<'_>) -> Result<(), AnswerError> {
        match (*self, *kind) {
            (Answer::Unanswered, _) => Ok(()),
            (Answer::Level(level), ItemKind::Scale { min, max, .. }) => {
                if (min..=max).contains(&level) {
                    Ok(())
                } else {
                    Err(AnswerError::OutOfRange {
                        min: min.into(),
                        max: max.into(),
                        found: level.into(),
                    })
                }
            }
            (Answer::YesNo(_), ItemKind::YesNo { .. }) => Ok(()),
            (Answer::Choice(option), ItemKind::Single { options }) => {
                if usize::from(option) < options.len() {
                    Ok(())
                } else {
                    Err(AnswerError::UnknownOption {
                        option,
                        options: options.len() as u8,
                    })
                }
            }
            (Answer::Choices(mask), ItemKind::Multi { options }) => {
                let n = options.len().min(MAX_OPTIONS);
                let allowed: u32 = (1u32 << n) - 1;
                let extra = u32::from(mask) & !allowed;
                if extra == 0 {
                    Ok(())
                } else {
                    Err(AnswerError::UnknownOption {
                        option: extra.trailing_zeros() as u8,
                        options: n as u8,
                    })
                }
            }
            (Answer::Count(value), ItemKind::Count { min, max, .. }) => {
                if (min..=max).contains(&value) {
                    Ok(())
                } else {
                    Err(AnswerError::OutOfRange {
                        min,
                        max,
                        found: value,
                    })
                }
            }
            (Answer::Text, ItemKind::Text) => Ok(()),
            (_, kind) => Err(AnswerError::WrongKind {
                expected: kind.name(),
            }),
        }
    }
}

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnswerError {
    /// The answer is of another kind than the item.
    WrongKind {
        /// The item's kind.
        expected: &'static str,
    },
    /// A level or count outside the item's range.
    OutOfRange {
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
        /// What was given.
        found: u32,
    },
    /// An option index the item does not have.
    UnknownOption {
        /// The option given.
        option: u8,
        /// How many options the item has.
        options: u8,
    },
    /// No item at that index.
    NoSuchItem {
        /// The index given.
        index: usize,
    },
    /// The item is hidden by its condition and cannot be answered now.
    Hidden {
        /// The item's index.
        index: usize,
    },
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::WrongKind { expected } => write!(f, "expected a {expected} answer"),
            AnswerError::OutOfRange { min, max, found } => {
                write!(f, "{found} is outside the allowed range {min}..={max}")
            }
            AnswerError::UnknownOption { option, options } => {
                write!(f, "option {option} does not exist (the item has {options})")
            }
            AnswerError::NoSuchItem { index } => write!(f, "there is no item {index}"),
            AnswerError::Hidden { index } => write!(f, "item {index} is hidden by its condition"),
        }
    }
}

/// All answers of one attempt: one slot per item, in item order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Answers {
    slots: heapless::Vec<Answer, MAX_ITEMS>,
}

impl Answers {
    /// Unanswered slots for `items` items (capped at [`MAX_ITEMS`]).
    pub fn new(items: usize) -> Self {
        let mut slots = heapless::Vec::new();
        for _ in 0..items.min(MAX_ITEMS) {
            // Cannot fail: capped above.
            let _ = slots.push(Answer::Unanswered);
        }
        Answers { slots }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when there are no slots.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The answer to item `index` ([`Answer::Unanswered`] past the end).
    pub fn get(&self, index: usize) -> Answer {
        self.slots.get(index).copied().unwrap_or_default()
    }

    /// Stores an answer without checking it (see [`crate::Runner`] for a checked flow).
    pub fn set(&mut self, index: usize, answer: Answer) -> Result<(), AnswerError> {
        match self.slots.get_mut(index) {
            Some(slot) => {
                *slot = answer;
                Ok(())
            }
            None => Err(AnswerError::NoSuchItem { index }),
        }
    }

    /// The slots, in item order.
    pub fn as_slice(&self) -> &[Answer] {
        &self.slots
    }
}

impl core::error::Error for AnswerError {}
