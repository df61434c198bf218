//! Reading one drive, within limits: only the top level and `rubrics/`,
//! at most [`ScanLimits::max_entries`] folder entries looked at, nothing
//! larger than a bundle can be read, and a cap on the bytes kept. A drive
//! with ten thousand files costs a bounded amount of work; a drive that
//! vanishes mid-scan gives "could not be read", never a panic.
//!
//! Only regular files on the drive itself are opened. What an entry is comes
//! from the entry, without following a link; files are opened without
//! waiting and checked again once open ([`crate::fsutil::read_regular`]).
//! Links are never followed, whether they point at a file on the drive or
//! elsewhere: drives formatted FAT or exFAT cannot hold links at all, and
//! what a link points at can change between a check and a read. A link is
//! listed as refused, saying where it points.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rubric_engine::codec::expand_bundle;
use rubric_engine::{Bundle, BundleError};

use super::drive::{Drive, DriveNote, Found, BUNDLE_FOLDER};
use crate::fsutil::{read_regular, FileKind, RegularFileError, MAX_BUNDLE_FILE};
use crate::library::preview::count_decode;
use crate::library::Rejection;

/// The bounds of one drive's scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanLimits {
    /// Folder entries looked at (top level and `rubrics/` together).
    pub max_entries: usize,
    /// Bundle files read.
    pub max_bundles: usize,
    /// Largest file read as a bundle.
    pub max_file: u64,
    /// Bytes of bundles kept in memory for one drive.
    pub max_total: u64,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            max_entries: 2_000,
            max_bundles: 64,
            max_file: MAX_BUNDLE_FILE,
            max_total: 32 * 1024 * 1024,
        }
    }
}

/// The folders a scan lists, `rubrics/` first (a top level full of photos
/// must not hide it): `rubrics/` only if it is a real folder, not a link.
/// The flag says it was a link, and so skipped.
pub(crate) fn folders(root: &Path) -> (Vec<PathBuf>, bool) {
    let bundles = root.join(BUNDLE_FOLDER);
    match fs::symlink_metadata(&bundles).map(|m| FileKind::of(m.file_type())) {
        Ok(FileKind::Folder) => (vec![bundles, root.to_path_buf()], false),
        Ok(FileKind::Link) => (vec![root.to_path_buf()], true),
        _ => (vec![root.to_path_buf()], false),
    }
}

/// Scans `root` as a drive.
pub fn scan_drive(root: &Path, limits: &ScanLimits) -> Drive {
    scan_drive_observed(root, limits, &mut |_| {})
}

/// [`scan_drive`], calling `before_read` with each bundle file just before
/// it is read (tests pull the drive out there).
pub fn scan_drive_observed(
    root: &Path,
    limits: &ScanLimits,
    before_read: &mut dyn FnMut(&Path),
) -> Drive {
    let mut drive = Drive::empty(root.to_path_buf());
    let mut looked_at = 0;
    let mut candidates = Vec::new();
    let mut cut_short = false;
    let (folders, linked) = folders(root);
    if linked {
        drive.note = Some(DriveNote::BundleFolderIsLink);
    }
    for folder in folders {
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(_) if folder != root => continue,
            Err(e) => {
                drive.note = Some(DriveNote::Unreadable(e.to_string()));
                return drive;
            }
        };
        for entry in entries {
            looked_at += 1;
            if looked_at > limits.max_entries {
                cut_short = true;
                break;
            }
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            match path.extension().and_then(|e| e.to_str()) {
                Some(ext) if ext.eq_ignore_ascii_case("rbk") => candidates.push(path),
                // A key file is read when the person trusts it: regular files only.
                Some(ext)
                    if ext.eq_ignore_ascii_case("pub")
                        && entry.file_type().is_ok_and(|t| t.is_file()) =>
                {
                    drive.keys.push(path);
                }
                _ => {}
            }
        }
    }
    candidates.sort();
    drive.keys.sort();
    if candidates.len() > limits.max_bundles {
        candidates.truncate(limits.max_bundles);
        cut_short = true;
    }
    let mut kept = 0u64;
    for path in candidates {
        before_read(&path);
        let found = read_found(root, path, limits, &mut kept);
        drive.bundles.push(found);
    }
    if cut_short {
        drive.note = Some(DriveNote::CutShort {
            entries: limits.max_entries,
            bundles: limits.max_bundles,
        });
    }
    drive
}

/// Checks a bundle as an import will: the structure, and for format
/// version 3 every text too (inflated, checked, and validated in place), so
/// a file listed as importable does not fail later for its texts, and a
/// device's bundle without texts is refused here in plain words.
fn whole(bytes: &[u8]) -> Result<(), BundleError> {
    count_decode();
    Bundle::decode(&expand_bundle(bytes)?).map(|_| ())
}

/// Why a link is refused: where it points, and whether that is on the drive.
/// Only names are looked at (the link and the folders on the way); what it
/// points at is never opened.
fn link_refused(root: &Path, path: &Path) -> Rejection {
    let target = fs::read_link(path).unwrap_or_default();
    let on_drive = match (path.canonicalize(), root.canonicalize()) {
        (Ok(resolved), Ok(root)) => resolved.starts_with(root),
        // A link to nothing: say where it points, as for one on the drive.
        _ => true,
    };
    if on_drive {
        Rejection::Link { target }
    } else {
        Rejection::LinkOutOfDrive { target }
    }
}

fn read_found(root: &Path, path: PathBuf, limits: &ScanLimits, kept: &mut u64) -> Found {
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let meta = fs::symlink_metadata(&path);
    let size = meta
        .as_ref()
        .map_or(0, |m| if m.is_file() { m.len() } else { 0 });
    let content = match meta.map(|m| FileKind::of(m.file_type())) {
        Err(e) => Err(Rejection::Unreadable(e.to_string())),
        Ok(FileKind::Link) => Err(link_refused(root, &path)),
        Ok(kind) if kind != FileKind::Regular => Err(Rejection::NotAFile { kind }),
        Ok(_) if size > limits.max_file => Err(Rejection::TooLarge {
            size,
            limit: limits.max_file,
        }),
        Ok(_) if *kept + size > limits.max_total => Err(Rejection::Unreadable(
            "the drive holds too many bundles to read at once; take some off".into(),
        )),
        Ok(_) => match read_regular(&path, limits.max_file) {
            Err(e) => Err(refused(root, &path, e)),
            Ok(bytes) => match whole(&bytes) {
                Ok(()) => {
                    *kept += bytes.len() as u64;
                    Ok(Arc::from(bytes))
                }
                Err(e) => Err(Rejection::Bundle(e)),
            },
        },
    };
    Found {
        path,
        file_name,
        size,
        content,
    }
}

/// A file that changed kind or size between the listing and the read.
fn refused(root: &Path, path: &Path, error: RegularFileError) -> Rejection {
    match error {
        RegularFileError::NotAFile(FileKind::Link) => link_refused(root, path),
        RegularFileError::NotAFile(kind) => Rejection::NotAFile { kind },
        RegularFileError::TooLarge { size, limit } => Rejection::TooLarge { size, limit },
        RegularFileError::Io(e) => Rejection::Unreadable(e.to_string()),
    }
}
