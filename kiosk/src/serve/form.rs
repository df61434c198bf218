//! The question form a phone posts, read from the name and value pairs
//! that axum's [`axum::Form`] extractor decodes.
//!
//! The form is not a plain struct for `Form<T>`: a multiple-choice question
//! sends its checked boxes as repeated `c` fields, which serde_urlencoded
//! does not collect into a `Vec`. So the extractor gives the pairs in order
//! (`Form<Vec<(String, String)>>`) and [`QuestionForm::from_pairs`] checks
//! their shape: unknown or repeated fields make the form malformed.

use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

use super::shared::MAX_TEXT_CHARS;

/// Why a posted form could not be read; the words end up on the phone's
/// page after "The form could not be read:".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum FormError {
    /// A field the form does not have, or a second `k`, `i` or `go`.
    #[error("unexpected field")]
    UnexpectedField,
    /// A second answer value or text.
    #[error("a field was sent twice")]
    SentTwice,
    /// `i` is not a number.
    #[error("the question number is not a number")]
    ItemNotANumber,
    /// `go` names no button of ours.
    #[error("unknown button")]
    UnknownButton,
    /// A `c` that is not a number.
    #[error("an option is not a number")]
    OptionNotANumber,
    /// A `c` past the sixteenth option, or the same one twice.
    #[error("an option is out of range")]
    OptionOutOfRange,
    /// No anti-forgery value.
    #[error("the form is incomplete")]
    Incomplete,
}

/// Why a well-formed form's answer does not fit the current question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum AnswerError {
    /// A level, choice, number or yes/no the item does not have.
    #[error("the answer does not fit the question")]
    DoesNotFit,
    /// More than [`MAX_TEXT_CHARS`] characters of free text.
    #[error("the text is too long")]
    TextTooLong,
}

/// Where the button of a form leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Go {
    Next,
    Back,
    NextRubric,
    /// Finish on the result page: the phone forgets the participant.
    Finish,
}

/// A posted question form, checked for shape (not yet against the rubric).
#[derive(Debug, Default)]
pub(crate) struct QuestionForm {
    pub(crate) key: String,
    pub(crate) item: Option<usize>,
    pub(crate) go: Option<Go>,
    value: Option<String>,
    choices: Vec<usize>,
    text: Option<String>,
}

impl QuestionForm {
    /// Reads the decoded fields of an `application/x-www-form-urlencoded`
    /// body, in the order they were sent.
    pub(crate) fn from_pairs(pairs: Vec<(String, String)>) -> Result<QuestionForm, FormError> {
        let mut form = QuestionForm::default();
        let mut seen_key = false;
        for (name, value) in pairs {
            let once = |slot: &mut Option<String>, value| match slot.replace(value) {
                Some(_) => Err(FormError::SentTwice),
                None => Ok(()),
            };
            match name.as_str() {
                "k" if !seen_key => {
                    seen_key = true;
                    form.key = value;
                }
                "i" if form.item.is_none() => {
                    form.item = Some(value.parse().map_err(|_| FormError::ItemNotANumber)?);
                }
                "go" if form.go.is_none() => {
                    form.go = Some(match value.as_str() {
                        "next" => Go::Next,
                        "back" => Go::Back,
                        "next-rubric" => Go::NextRubric,
                        "finish" => Go::Finish,
                        _ => return Err(FormError::UnknownButton),
                    });
                }
                "v" => once(&mut form.value, value)?,
                "t" => once(&mut form.text, value)?,
                "c" => {
                    let n: usize = value.parse().map_err(|_| FormError::OptionNotANumber)?;
                    if n >= 16 || form.choices.contains(&n) {
                        return Err(FormError::OptionOutOfRange);
                    }
                    form.choices.push(n);
                }
                _ => return Err(FormError::UnexpectedField),
            }
        }
        if !seen_key {
            return Err(FormError::Incomplete);
        }
        Ok(form)
    }

    /// The answer this form gives to an item of `kind`: `Ok(None)` when it
    /// gives none, `Err` when what it gives cannot be an answer to it.
    pub(crate) fn answer(
        &self,
        kind: &ItemKind<'_>,
    ) -> Result<Option<(Answer, Option<String>)>, AnswerError> {
        let value = self
            .value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let bad = AnswerError::DoesNotFit;
        Ok(match *kind {
            ItemKind::Scale { min, max, .. } => match value {
                None => None,
                Some(v) => {
                    let level: u8 = v.parse().map_err(|_| bad)?;
                    if !(min..=max).contains(&level) {
                        return Err(bad);
                    }
                    Some((Answer::Level(level), None))
                }
            },
            ItemKind::YesNo { .. } => match value {
                None => None,
                Some("yes") => Some((Answer::YesNo(true), None)),
                Some("no") => Some((Answer::YesNo(false), None)),
                Some(_) => return Err(bad),
            },
            ItemKind::Single { options } => match value {
                None => None,
                Some(v) => {
                    let n: u8 = v.parse().map_err(|_| bad)?;
                    if usize::from(n) >= options.len() {
                        return Err(bad);
                    }
                    Some((Answer::Choice(n), None))
                }
            },
            ItemKind::Multi { options } => {
                let mut mask = 0u16;
                for &n in &self.choices {
                    if n >= options.len() {
                        return Err(bad);
                    }
                    mask |= 1 << n;
                }
                (mask != 0).then_some((Answer::Choices(mask), None))
            }
            ItemKind::Count { min, max, .. } => match value {
                None => None,
                Some(v) => {
                    let n: u32 = v.parse().map_err(|_| bad)?;
                    if !(min..=max).contains(&n) {
                        return Err(bad);
                    }
                    Some((Answer::Count(n), None))
                }
            },
            ItemKind::Text => {
                let text = self.text.as_deref().unwrap_or("");
                if text.chars().count() > MAX_TEXT_CHARS {
                    return Err(AnswerError::TextTooLong);
                }
                (!text.trim().is_empty()).then(|| (Answer::Text, Some(text.to_string())))
            }
        })
    }
}
