//! Removable drives and the rubric bundles on them.
//!
//! [`mounts`] finds the folders to look at (removable drives the system
//! mounted, on Windows by letter through [`letters`], plus `--media-root` folders and `RUBRIC_KIOSK_MEDIA`), [`scan`]
//! reads one drive within fixed limits, [`reader`] runs each drive's look on
//! its own thread with a deadline, and [`watcher`] does all that in the
//! background, sending a [`Snapshot`] whenever something changed. The types
//! they share are in [`drive`].

pub mod drive;
pub mod export;
pub mod letters;
pub mod mounts;
pub mod reader;
pub mod scan;
pub mod watcher;

pub use drive::{Drive, DriveNote, Found, Snapshot, BUNDLE_FOLDER, EXPORT_FOLDER};
pub use mounts::{extra_roots, linux_roots, macos_roots, system_roots, MEDIA_ENV};
pub use reader::{scan_roots, DriveReader, FileSystem, Listing, ANSWER_WITHIN};
pub use scan::{scan_drive, scan_drive_observed, ScanLimits};
pub use watcher::{WatchConfig, Watcher};
