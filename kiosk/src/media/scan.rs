//! Reading one drive, within limits: only the top level and `rubrics/`,
//! at most [`ScanLimits::max_entries`] folder entries looked at, nothing
//! larger than a bundle can be read, and a cap on the bytes kept. A drive
//! with ten thousand files costs a bounded amount of work; a drive that
//! vanishes mid-scan gives "could not be read", never a panic.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rubric_engine::codec::expand_bundle;
use rubric_engine::{Bundle, BundleError};

use super::{Drive, Found, BUNDLE_FOLDER};
use crate::fsutil::{read_limited, MAX_BUNDLE_FILE};
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
    let mut drive = Drive {
        root: root.to_path_buf(),
        name: root.file_name().map_or_else(
            || root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        bundles: Vec::new(),
        keys: Vec::new(),
        note: None,
    };
    let mut looked_at = 0;
    let mut candidates = Vec::new();
    let mut cut_short = false;
    // `rubrics/` first: a top level full of photos must not hide it.
    for folder in [root.join(BUNDLE_FOLDER), root.to_path_buf()] {
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(_) if folder != root => continue,
            Err(e) => {
                drive.note = Some(format!("The drive could not be read: {e}."));
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
                Some(ext) if ext.eq_ignore_ascii_case("pub") => drive.keys.push(path),
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
        let found = read_found(path, limits, &mut kept);
        drive.bundles.push(found);
    }
    if cut_short {
        drive.note = Some(format!(
            "This drive holds many files; only the first {} entries and {} bundles were looked at. Put bundles at the top level or in a “{BUNDLE_FOLDER}” folder.",
            limits.max_entries, limits.max_bundles
        ));
    }
    drive
}

/// Checks a bundle as an import will: the structure, and for format
/// version 3 every text too (inflated, checked, and validated in place), so
/// a file listed as importable does not fail later for its texts, and a
/// device's bundle without texts is refused here in plain words.
fn whole(bytes: &[u8]) -> Result<(), BundleError> {
    Bundle::decode(&expand_bundle(bytes)?).map(|_| ())
}

fn read_found(path: PathBuf, limits: &ScanLimits, kept: &mut u64) -> Found {
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let size = fs::metadata(&path).map(|m| m.len());
    let content = match &size {
        Err(e) => Err(Rejection::Unreadable(e.to_string())),
        Ok(size) if *size > limits.max_file => Err(Rejection::TooLarge {
            size: *size,
            limit: limits.max_file,
        }),
        Ok(size) if *kept + size > limits.max_total => Err(Rejection::Unreadable(
            "the drive holds too many bundles to read at once; take some off".into(),
        )),
        Ok(_) => match read_limited(&path, limits.max_file) {
            Err(e) => Err(Rejection::Unreadable(e.to_string())),
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
        size: size.unwrap_or_default(),
        content,
    }
}
