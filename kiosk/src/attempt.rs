//! One person's attempt at one rubric: the engine's runner plus free texts,
//! and what is stored when it is resumed or completed. No UI here.

use std::collections::BTreeMap;

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::{Answer, AnswerError, Answers, Runner, ScoreResult};

use crate::store::{now_unix, InProgress, NewResult, ResultsStore, StoreError};
use rubrics::answers::{self as answer_file, AnswerSet};
use rubrics::report::{report, ResultReport};

/// An attempt in progress.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The engine's flow over the rubric.
    pub runner: Runner<'static>,
    /// Free-text answers by item id (the engine only knows they exist).
    pub texts: BTreeMap<String, String>,
    /// Hash of the bundle the rubric came from.
    pub bundle_hash: String,
}

/// A stored attempt, resumed, and the answers that did not survive.
#[derive(Debug, Clone)]
pub struct Resumed {
    /// The attempt, with every stored answer that still fits the rubric.
    pub attempt: Attempt,
    /// Keys of the stored answers that no longer fit (unknown items, values
    /// outside what the item now allows) and were dropped.
    pub dropped: Vec<String>,
}

/// Why a stored attempt cannot be resumed at all.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    /// The stored answers are not JSON.
    #[error("the saved answers are damaged: {0}")]
    NotJson(#[from] serde_json::Error),
    /// The stored answers are JSON, but not an object keyed by item id.
    #[error("the saved answers are damaged: they are not answers keyed by question")]
    NotAnObject,
}

/// What the store keeps of a completed attempt besides its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The named result ([`ResultReport`]) as JSON.
    pub report_json: String,
    /// The engine's result, postcard-encoded.
    pub engine_result: Vec<u8>,
}

/// Why a completed attempt cannot be encoded for storing.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// The named result cannot be written as JSON.
    #[error("the result could not be prepared for saving: {0}")]
    Report(#[source] serde_json::Error),
    /// The engine's result cannot be encoded.
    #[error("the engine's result could not be prepared for saving: {0}")]
    Engine(#[source] postcard::Error),
}

/// Why a completed attempt was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// It could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The store refused it, or could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A completed attempt, ready to store and show.
#[derive(Debug, Clone)]
pub struct Completed {
    /// The rubric.
    pub rubric: Rubric<'static>,
    /// The answers.
    pub answers: Answers,
    /// Free texts.
    pub texts: BTreeMap<String, String>,
    /// The engine's result.
    pub result: ScoreResult,
    /// The result with ids and labels.
    pub report: ResultReport,
    /// Answers as JSON keyed by item id.
    pub answers_json: String,
    /// Bundle hash.
    pub bundle_hash: String,
    /// When it was completed.
    pub completed_at: i64,
}

impl Attempt {
    /// A fresh attempt.
    pub fn start(rubric: Rubric<'static>, bundle_hash: &str) -> Self {
        Attempt {
            runner: Runner::new(rubric),
            texts: BTreeMap::new(),
            bundle_hash: bundle_hash.to_string(),
        }
    }

    /// Resumes stored progress. The rubric may have changed since (a newer
    /// library): answers to items it no longer has, or that no longer fit
    /// their item, are dropped and named in [`Resumed::dropped`]; the rest
    /// are kept.
    pub fn resume(rubric: Rubric<'static>, progress: &InProgress) -> Result<Resumed, ResumeError> {
        let value: serde_json::Value = serde_json::from_str(&progress.answers_json)?;
        if !value.is_object() {
            return Err(ResumeError::NotAnObject);
        }
        let (set, dropped) = answer_file::from_json_lenient(&rubric, &value);
        Ok(Resumed {
            attempt: Attempt {
                runner: Runner::resume(rubric, set.answers, progress.cursor),
                texts: set.texts,
                bundle_hash: progress.bundle_hash.clone(),
            },
            dropped,
        })
    }

    /// The rubric.
    pub fn rubric(&self) -> &Rubric<'static> {
        self.runner.rubric()
    }

    /// Sets the free text of a text item (empty text clears the answer).
    pub fn set_text(&mut self, index: usize, text: String) -> Result<(), AnswerError> {
        let item = self
            .rubric()
            .item(index)
            .ok_or(AnswerError::NoSuchItem { index })?;
        if !matches!(item.kind, ItemKind::Text) {
            return Err(AnswerError::WrongKind {
                expected: item.kind.name(),
            });
        }
        let answer = if text.trim().is_empty() {
            Answer::Unanswered
        } else {
            Answer::Text
        };
        self.runner.set_answer(index, answer)?;
        if text.trim().is_empty() {
            self.texts.remove(item.id);
        } else {
            self.texts.insert(item.id.to_string(), text);
        }
        Ok(())
    }

    /// The free text of item `index`.
    pub fn text(&self, index: usize) -> &str {
        self.rubric()
            .item(index)
            .and_then(|item| self.texts.get(item.id))
            .map_or("", String::as_str)
    }

    fn answer_set(&self) -> AnswerSet {
        AnswerSet {
            answers: self.runner.answers().clone(),
            texts: self.texts.clone(),
        }
    }

    /// Answers as JSON keyed by item id.
    pub fn answers_json(&self) -> String {
        answer_file::to_json(self.rubric(), &self.answer_set()).to_string()
    }

    /// What to store so the attempt survives a restart.
    pub fn progress(&self) -> InProgress {
        InProgress {
            rubric_id: self.rubric().id.to_string(),
            bundle_hash: self.bundle_hash.clone(),
            answers_json: self.answers_json(),
            cursor: self.runner.current().unwrap_or(usize::MAX >> 1),
            updated_at: now_unix(),
        }
    }

    /// Scores the attempt (the engine decides everything).
    pub fn complete(&self) -> Completed {
        let rubric = *self.rubric();
        let result = self.runner.score();
        Completed {
            report: report(&rubric, &result),
            answers: self.runner.answers().clone(),
            texts: self.texts.clone(),
            answers_json: self.answers_json(),
            result,
            rubric,
            bundle_hash: self.bundle_hash.clone(),
            completed_at: now_unix(),
        }
    }
}

impl Completed {
    /// Encodes what the store keeps. The engine result is postcard-encoded.
    pub fn encoded(&self) -> Result<Encoded, EncodeError> {
        Ok(Encoded {
            report_json: serde_json::to_string(&self.report).map_err(EncodeError::Report)?,
            engine_result: postcard::to_allocvec(&self.result).map_err(EncodeError::Engine)?,
        })
    }

    /// The row to store, borrowing encoded parts from `encoded`.
    pub fn new_result<'a>(&'a self, encoded: &'a Encoded) -> NewResult<'a> {
        NewResult {
            rubric_id: self.rubric.id,
            rubric_version: self.rubric.version,
            bundle_hash: &self.bundle_hash,
            completed_at: self.completed_at,
            answers_json: &self.answers_json,
            report_json: &encoded.report_json,
            engine_result: &encoded.engine_result,
        }
    }

    /// Encodes and stores the result durably; returns its row id.
    pub fn save(&self, store: &ResultsStore) -> Result<i64, SaveError> {
        let encoded = self.encoded()?;
        Ok(store.save_result(&self.new_result(&encoded))?)
    }
}
