//! Removable drives and the rubric bundles on them.
//!
//! [`mounts`] finds the folders to look at (removable drives the system
//! mounted, plus `--media-root` folders and `RUBRIC_KIOSK_MEDIA`), [`scan`]
//! reads one drive within fixed limits, and [`watcher`] does both on a
//! background thread, sending a [`Snapshot`] whenever something changed.

pub mod export;
pub mod mounts;
pub mod scan;
pub mod watcher;

use std::path::PathBuf;
use std::sync::Arc;

use crate::library::Rejection;

pub use mounts::{extra_roots, system_roots, MEDIA_ENV};
pub use scan::{scan_drive, scan_drive_observed, ScanLimits};
pub use watcher::{WatchConfig, Watcher};

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
    /// Public key files (`*.pub`) found, by path.
    pub keys: Vec<PathBuf>,
    /// Something about the scan the person should know (files skipped, the
    /// drive could not be read).
    pub note: Option<String>,
}

/// A bundle file on a drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path.
    pub path: PathBuf,
    /// Its file name.
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// The bytes read (so a preview, a plan and an import need no second
    /// read from a slow drive), or why the file cannot be a bundle.
    pub content: Result<Arc<[u8]>, Rejection>,
}
