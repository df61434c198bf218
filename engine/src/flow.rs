//! The question flow: which item is current, which are visible, what is missing.
//!
//! The kiosk UI and the firmware both drive a [`Runner`], so neither of them
//! re-implements visibility or completeness rules. The runner uses the scorer;
//! the scorer never uses the runner: what both need (which items are visible)
//! lives in [`crate::visibility`].

use crate::answer::{Answer, AnswerError, Answers};
use crate::limits::MAX_ITEMS;
use crate::model::{Item, Rubric};
use crate::score::{score, ScoreResult};
use crate::visibility::{visible_items, VisibleSet};

/// How far an attempt has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Visible items with an answer.
    pub answered: u8,
    /// Visible items.
    pub visible: u8,
}

/// Why the runner would not move on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowError {
    /// The current item is required and has no answer.
    Required {
        /// The item's index.
        item: usize,
    },
}

/// Owns the order of questions for one attempt at one rubric.
///
/// The cursor is either on a visible item or past the last one ("at the end"),
/// where the attempt can be reviewed and scored.
#[derive(Debug, Clone)]
pub struct Runner<'a> {
    rubric: Rubric<'a>,
    answers: Answers,
    visible: VisibleSet,
    cursor: usize,
    items: usize,
}

impl<'a> Runner<'a> {
    /// A fresh attempt, positioned on the first visible item.
    pub fn new(rubric: Rubric<'a>) -> Self {
        let items = rubric.items.len().min(MAX_ITEMS);
        Self::resume(rubric, Answers::new(items), 0)
    }

    /// Continues an attempt with earlier answers, positioned on `cursor` (or
    /// the next visible item after it). Answers that do not fit their item
    /// (for example after the rubric changed) are dropped.
    pub fn resume(rubric: Rubric<'a>, mut answers: Answers, cursor: usize) -> Self {
        let items = rubric.items.len().min(MAX_ITEMS);
        let mut clean = Answers::new(items);
        for (index, item) in rubric.items.iter().enumerate().take(items) {
            let answer = answers.get(index);
            if answer.check(&item.kind).is_ok() {
                let _ = clean.set(index, answer);
            }
        }
        answers = clean;
        let visible = visible_items(&rubric, &answers);
        let mut runner = Runner {
            rubric,
            answers,
            visible,
            cursor: cursor.min(items),
            items,
        };
        runner.settle_forward();
        runner
    }

    /// The rubric being answered.
    pub fn rubric(&self) -> &Rubric<'a> {
        &self.rubric
    }

    /// The answers so far (including those of hidden items, which are ignored).
    pub fn answers(&self) -> &Answers {
        &self.answers
    }

    /// The set of visible items.
    pub fn visible(&self) -> VisibleSet {
        self.visible
    }

    /// Whether item `index` is visible now.
    pub fn is_visible(&self, index: usize) -> bool {
        index < self.items && self.visible & (1 << index) != 0
    }

    /// Index of the current item, or `None` at the end.
    pub fn current(&self) -> Option<usize> {
        (self.cursor < self.items).then_some(self.cursor)
    }

    /// The current item, or `None` at the end.
    pub fn current_item(&self) -> Option<Item<'a>> {
        self.current().and_then(|index| self.rubric.item(index))
    }

    /// The answer stored for item `index`.
    pub fn answer_of(&self, index: usize) -> Answer {
        self.answers.get(index)
    }

    /// Answers the current item.
    pub fn answer(&mut self, answer: Answer) -> Result<(), AnswerError> {
        match self.current() {
            Some(index) => self.set_answer(index, answer),
            None => Err(AnswerError::NoSuchItem { index: self.cursor }),
        }
    }

    /// Answers (or with [`Answer::Unanswered`], clears) any visible item.
    /// Later items may appear or disappear as a result; if the current item
    /// disappears the cursor moves to the next visible one.
    pub fn set_answer(&mut self, index: usize, answer: Answer) -> Result<(), AnswerError> {
        let item = self
            .rubric
            .item(index)
            .filter(|_| index < self.items)
            .ok_or(AnswerError::NoSuchItem { index })?;
        if !self.is_visible(index) {
            return Err(AnswerError::Hidden { index });
        }
        answer.check(&item.kind)?;
        self.answers.set(index, answer)?;
        self.visible = visible_items(&self.rubric, &self.answers);
        self.settle_forward();
        Ok(())
    }

    /// Moves to the next visible item. Refuses to leave a required item
    /// without an answer. Returns the new current item (`None` at the end).
    pub fn next_visible(&mut self) -> Result<Option<usize>, FlowError> {
        if let Some(index) = self.current() {
            let required = self.rubric.item(index).is_some_and(|item| item.required);
            if required && !self.answers.get(index).is_answered() {
                return Err(FlowError::Required { item: index });
            }
            self.cursor = index + 1;
            self.settle_forward();
        }
        Ok(self.current())
    }

    /// Moves to the previous visible item; stays put on the first one.
    /// Returns the new current item.
    pub fn back(&mut self) -> Option<usize> {
        let mut index = self.cursor.min(self.items);
        while index > 0 {
            index -= 1;
            if self.is_visible(index) {
                self.cursor = index;
                break;
            }
        }
        self.current()
    }

    /// Jumps to a visible item (for a review screen); false if it is hidden.
    pub fn go_to(&mut self, index: usize) -> bool {
        if self.is_visible(index) {
            self.cursor = index;
            true
        } else {
            false
        }
    }

    /// Whether the cursor is on the first visible item.
    pub fn at_first(&self) -> bool {
        (0..self.cursor.min(self.items)).all(|i| !self.is_visible(i))
    }

    /// Answered of visible.
    pub fn progress(&self) -> Progress {
        let mut progress = Progress {
            answered: 0,
            visible: 0,
        };
        for index in 0..self.items {
            if self.is_visible(index) {
                progress.visible += 1;
                if self.answers.get(index).is_answered() {
                    progress.answered += 1;
                }
            }
        }
        progress
    }

    /// Visible required items without an answer, in order.
    pub fn missing_required(&self) -> impl Iterator<Item = usize> + '_ {
        self.rubric
            .items
            .iter()
            .enumerate()
            .take(self.items)
            .filter(move |(index, item)| {
                item.required && self.is_visible(*index) && !self.answers.get(*index).is_answered()
            })
            .map(|(index, _)| index)
    }

    /// True when no visible required item lacks an answer.
    pub fn is_complete(&self) -> bool {
        self.missing_required().next().is_none()
    }

    /// Scores the answers as they are now.
    pub fn score(&self) -> ScoreResult {
        score(&self.rubric, &self.answers)
    }

    /// Gives back the answers.
    pub fn into_answers(self) -> Answers {
        self.answers
    }

    fn settle_forward(&mut self) {
        while self.cursor < self.items && !self.is_visible(self.cursor) {
            self.cursor += 1;
        }
    }
}

impl core::fmt::Display for FlowError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FlowError::Required { item } => {
                write!(f, "item {item} is required; answer it before moving on")
            }
        }
    }
}

impl core::error::Error for FlowError {}
