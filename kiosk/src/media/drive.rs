//! What a look at the drives found: the types the scan, the watcher, the
//! command line and the USB screen share. They depend on nothing else in
//! `media`, so every part of it can use them without a cycle.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::library::Rejection;

/// Folders on a drive where bundles are looked for, besides the top level.
pub const BUNDLE_FOLDER: &str = "rubrics";
/// Folder created on a drive for workshop exports.
pub const EXPORT_FOLDER: &str = "rubric-kiosk-exports";

/// Every drive found, at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The drives, by root.
    pub drives: Vec<Drive>,
}

/// One drive (or watched folder) and what is on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    /// Where it is mounted.
    pub root: PathBuf,
    /// A name for people: the last part of the root.
    pub name: String,
    /// Bundle files found, by path.
    pub bundles: Vec<Found>,
    /// Public key files (`*.pub`) found, by path: regular files only.
    pub keys: Vec<PathBuf>,
    /// Something about the scan the person should know (files skipped, the
    /// drive could not be read, or it does not answer).
    pub note: Option<DriveNote>,
}

impl Drive {
    /// A drive with nothing found on it yet.
    pub fn empty(root: PathBuf) -> Self {
        Drive {
            name: root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            root,
            bundles: Vec::new(),
            keys: Vec::new(),
            note: None,
        }
    }

    /// A drive whose scan did not finish within `waited`.
    pub fn not_answering(root: PathBuf, waited: Duration) -> Self {
        Drive {
            note: Some(DriveNote::NotAnswering { waited }),
            ..Drive::empty(root)
        }
    }
}

/// What the person should know about a drive's scan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DriveNote {
    /// Its top folder could not be listed.
    #[error("The drive could not be read: {0}.")]
    Unreadable(String),
    /// More entries or bundles than a scan looks at.
    #[error("This drive holds many files; only the first {entries} entries and {bundles} bundles were looked at. Put bundles at the top level or in a “{BUNDLE_FOLDER}” folder.")]
    CutShort {
        /// Folder entries looked at.
        entries: usize,
        /// Bundle files read.
        bundles: usize,
    },
    /// Its scan has not finished in time (a failing stick, a network mount
    /// that stopped answering). Other drives are still watched.
    #[error("This drive is not answering: reading it took longer than {}, so nothing on it is shown. It may be failing. Other drives are still watched, and this one shows as soon as it answers.", seconds(*.waited))]
    NotAnswering {
        /// How long the scan was given.
        waited: Duration,
    },
    /// The `rubrics` folder is a link; it was not looked in.
    #[error("The “{BUNDLE_FOLDER}” folder on this drive is a link to somewhere else, so it was not looked in. Put the bundles in a real folder on the drive.")]
    BundleFolderIsLink,
}

/// "8 seconds", "a second".
fn seconds(time: Duration) -> String {
    match time.as_secs_f32().ceil() {
        n if n <= 1.0 => "a second".into(),
        n => format!("{n} seconds"),
    }
}

/// A bundle file on a drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path.
    pub path: PathBuf,
    /// Its file name.
    pub file_name: String,
    /// Its size in bytes (0 if it is not a regular file).
    pub size: u64,
    /// The bytes read (so a preview, a plan and an import need no second
    /// read from a slow drive), or why the file cannot be a bundle.
    pub content: Result<Arc<[u8]>, Rejection>,
}
