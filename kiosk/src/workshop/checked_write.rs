//! Writing a file so that it is complete or not there at all: a temporary
//! name in the same folder, fsync, read back and check, then rename.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

use super::export_error::{ExportError, ReadBackProblem};
use super::export_file::MAX_EXPORT_FILE;

/// A writer whose data can be forced to disk: a [`File`], or a test's
/// wrapper around one.
pub trait SyncWrite: Write {
    /// Flushes and fsyncs everything written so far.
    fn sync(&mut self) -> io::Result<()>;
}

impl SyncWrite for File {
    fn sync(&mut self) -> io::Result<()> {
        self.flush()?;
        self.sync_all()
    }
}

/// Writes `bytes` to `path` through `wrap` under a temporary name in the
/// same folder, fsyncs, reads the file back and runs `check` on it, and only
/// then renames it to `path`. On any failure the temporary file is removed
/// and `path` is not created (an existing file there is left as it was).
pub fn write_checked<W: SyncWrite>(
    path: &Path,
    bytes: &[u8],
    wrap: impl FnOnce(File) -> W,
    check: impl FnOnce(&[u8]) -> Result<(), ReadBackProblem>,
) -> Result<(), ExportError> {
    let io_err = |source: io::Error| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io_err(io::Error::new(io::ErrorKind::InvalidInput, "no file name")))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", uuid::Uuid::new_v4().simple()));
    let tmp = dir.join(tmp_name);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io_err)?;
    let result = (|| {
        let mut writer = wrap(file);
        writer.write_all(bytes).map_err(io_err)?;
        writer.sync().map_err(io_err)?;
        drop(writer);
        let mut read = Vec::new();
        File::open(&tmp)
            .map_err(io_err)?
            .take(MAX_EXPORT_FILE + 1)
            .read_to_end(&mut read)
            .map_err(io_err)?;
        let differs = |reason: ReadBackProblem| ExportError::ReadBack {
            path: path.to_path_buf(),
            reason,
        };
        if read != bytes {
            return Err(differs(ReadBackProblem::BytesDiffer));
        }
        check(&read).map_err(differs)?;
        fs::rename(&tmp, path).map_err(io_err)?;
        // Make the rename itself durable; not every platform can open a folder.
        if let Ok(folder) = File::open(dir) {
            let _ = folder.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
