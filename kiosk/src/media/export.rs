//! Workshop exports to a USB drive: the folder they go in, and what a
//! failed write means in words for the facilitator. The writing itself is
//! [`crate::workshop::export::write_checked`]: a temporary name, fsync,
//! read back, then rename, so a full, read-only or pulled-out drive never
//! leaves a half-written file under the final name, and the results
//! database is only ever read.

use std::io;
use std::path::{Path, PathBuf};

use super::drive::EXPORT_FOLDER;
use crate::workshop::export::ExportError;

/// Why a file could not be written to a drive, for people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DriveWriteError {
    /// No space left.
    #[error("The drive is full, so the export was not saved. Free some space on it or use another drive.")]
    Full,
    /// Mounted read-only (a lock switch, or a damaged file system).
    #[error("The drive is read-only, so the export was not saved. Check its lock switch, or use another drive.")]
    ReadOnly,
    /// The drive went away (or failed) while writing.
    #[error("The drive was removed or stopped answering while the export was being written, so it was not saved. Plug it in again and export again.")]
    Gone,
    /// The system does not let the kiosk write there.
    #[error("This kiosk is not allowed to write to the drive, so the export was not saved.")]
    Denied,
    /// Anything else, with the system's words.
    #[error("The export could not be written to the drive: {0}")]
    Other(io::Error),
}

impl DriveWriteError {
    /// Classifies an I/O error from writing to a drive.
    pub fn from_io(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => DriveWriteError::Full,
            io::ErrorKind::ReadOnlyFilesystem => DriveWriteError::ReadOnly,
            io::ErrorKind::PermissionDenied => DriveWriteError::Denied,
            io::ErrorKind::NotFound | io::ErrorKind::StaleNetworkFileHandle => {
                DriveWriteError::Gone
            }
            // EIO, ENXIO, ENODEV: the device is gone or failing.
            _ if matches!(error.raw_os_error(), Some(5 | 6 | 19)) => DriveWriteError::Gone,
            _ => DriveWriteError::Other(error),
        }
    }

    /// Classifies a failed export. Errors that are not about writing (the
    /// store, the encoding) are returned as they are.
    pub fn from_export(error: ExportError) -> Result<Self, ExportError> {
        match error {
            ExportError::Io { source, .. } => Ok(Self::from_io(source)),
            ExportError::ReadBack { .. } => Ok(DriveWriteError::Gone),
            other => Err(other),
        }
    }
}

/// The folder on the drive at `root` that exports go in, created if needed.
/// Temporary files an interrupted export left there (the drive was pulled
/// out before they could be removed) are removed now, best effort.
pub fn export_folder(root: &Path) -> Result<PathBuf, DriveWriteError> {
    if !root.is_dir() {
        return Err(DriveWriteError::Gone);
    }
    let folder = root.join(EXPORT_FOLDER);
    std::fs::create_dir_all(&folder).map_err(DriveWriteError::from_io)?;
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(folder)
}
