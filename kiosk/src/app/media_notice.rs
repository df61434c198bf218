//! What the last step of the USB screen or the trust settings did, kept
//! typed until the banner that words it.

use crate::library::trust::TrustError;
use crate::library::ImportError;
use crate::store::StoreError;
use crate::workshop::PinError;

/// What the last USB or trust step did, shown in a banner on the USB
/// screen and in the trust settings.
#[derive(Debug)]
pub enum MediaNotice {
    /// A bundle was imported with these rubrics ("Title (version N)").
    Imported {
        /// The bundle's file name.
        name: String,
        /// The rubrics it brought.
        titles: Vec<String>,
    },
    /// The person said no to the question an import asked.
    NothingImported,
    /// The bundle is gone from the drive.
    BundleGone,
    /// The drive went away while an import waited for an answer.
    DriveRemoved,
    /// The bundle was not imported.
    NotImported {
        /// The bundle's file name.
        name: String,
        /// Why not.
        error: ImportError,
    },
    /// A key is now trusted.
    KeyTrusted(String),
    /// A key is no longer trusted.
    KeyUntrusted(String),
    /// A key was not added.
    KeyNotAdded(TrustError),
    /// A key was not removed.
    KeyNotRemoved(TrustError),
    /// The policy was not changed.
    PolicyNotChanged(TrustError),
    /// The trusted keys cannot be read.
    KeysUnreadable(TrustError),
    /// A PIN is set but none was typed.
    PinMissing,
    /// The PIN typed was refused.
    PinRefused(PinError),
    /// Whether a PIN is set cannot be read.
    PinUnreadable(StoreError),
    /// The library folder has a problem, in the library's own words.
    Library(String),
}

impl MediaNotice {
    /// The notice in words, and whether it says something failed.
    pub fn words(&self) -> (String, bool) {
        match self {
            MediaNotice::Imported { name, titles } => (
                format!(
                    "Imported {name}: {}. It is safe to remove the drive.",
                    titles.join(", ")
                ),
                false,
            ),
            MediaNotice::NothingImported => ("Nothing was imported.".into(), false),
            MediaNotice::BundleGone => (
                "The bundle is no longer on the drive; nothing was imported.".into(),
                true,
            ),
            MediaNotice::DriveRemoved => (
                "The drive was removed before the import was confirmed; nothing was imported."
                    .into(),
                true,
            ),
            MediaNotice::NotImported { name, error } => {
                (format!("{name} was not imported. {error}"), true)
            }
            MediaNotice::KeyTrusted(id) => (format!("Key {id} is now trusted."), false),
            MediaNotice::KeyUntrusted(id) => (format!("Key {id} is no longer trusted."), false),
            MediaNotice::KeyNotAdded(e) => (format!("The key was not added: {e}"), true),
            MediaNotice::KeyNotRemoved(e) => (format!("The key was not removed: {e}"), true),
            MediaNotice::PolicyNotChanged(e) => (format!("The policy was not changed: {e}"), true),
            MediaNotice::KeysUnreadable(e) => {
                (format!("The trusted keys cannot be read: {e}"), true)
            }
            MediaNotice::PinMissing => (
                "Nothing was changed: type the facilitator PIN first.".into(),
                true,
            ),
            MediaNotice::PinRefused(e) => (format!("Nothing was changed: {e}."), true),
            MediaNotice::PinUnreadable(e) => (format!("Nothing was changed: {e}."), true),
            MediaNotice::Library(problem) => (problem.clone(), true),
        }
    }
}
