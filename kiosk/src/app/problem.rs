//! What the shell shows in a banner above every screen: a [`Problem`] with
//! the stored data (red, until resolved), a [`Notice`] (yellow, until the
//! next step), or a [`LibraryError`] instead of any screen.

use crate::attempt::ResumeError;
use crate::store::StoreError;

/// The built-in library cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The embedded bundle does not decode (the binary is damaged).
    #[error("the built-in rubric library is damaged: {0}")]
    Damaged(#[from] rubric_engine::BundleError),
}

/// Something that went wrong with the stored data, shown in a red banner
/// until it is resolved. Each variant says what the person lost or must do.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The store could not be opened.
    #[error("Results cannot be saved: {0}")]
    StoreNotOpen(StoreError),
    /// The stored attempt could not be read.
    #[error("Your unfinished attempt could not be read: {0}")]
    ReadProgress(StoreError),
    /// The stored attempt could not be forgotten.
    #[error("The unfinished attempt could not be discarded: {0}")]
    DiscardProgress(StoreError),
    /// The stored attempt could not be resumed.
    #[error("Your unfinished attempt could not be restored: {0}")]
    Resume(ResumeError),
    /// The answers so far could not be saved.
    #[error("Your answers so far could not be saved: {0}")]
    SaveProgress(StoreError),
    /// The saved settings could not be read; the defaults apply.
    #[error("Your settings could not be read, so the defaults apply: {0}")]
    ReadSettings(StoreError),
    /// A setting could not be saved.
    #[error("The setting could not be saved: {0}")]
    SaveSetting(StoreError),
    /// Deleting failed; nothing was deleted.
    #[error("Your data could not be deleted; nothing was deleted: {0}")]
    Delete(StoreError),
    /// Everything was deleted, but the file could not be compacted.
    #[error("All your results, unfinished answers and settings were deleted, but the results file could not be compacted, so traces of them may remain on this disk until a later deletion succeeds: {0}")]
    NotCompacted(StoreError),
}

/// News that is not a problem, shown in a yellow banner until the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Everything was deleted and the file compacted.
    Deleted,
    /// Nothing to delete: the store is not open.
    NothingToDelete,
    /// A resumed attempt lost this many answers to an updated rubric.
    AnswersDropped(usize),
    /// The rubric of a resumed attempt was updated; every answer still fits.
    RubricUpdated,
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Deleted => {
                f.write_str("All your results, unfinished answers and settings were deleted.")
            }
            Notice::NothingToDelete => {
                f.write_str("There is no data to delete: the results database is not open.")
            }
            Notice::AnswersDropped(1) => {
                f.write_str("1 answer no longer fits the updated rubric and was dropped.")
            }
            Notice::AnswersDropped(n) => write!(
                f,
                "{n} answers no longer fit the updated rubric and were dropped."
            ),
            Notice::RubricUpdated => f.write_str(
                "This rubric was updated since you started; all your answers still fit it.",
            ),
        }
    }
}
