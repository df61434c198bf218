//! File helpers that never leave a half-written file behind.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

/// Largest bundle file the kiosk reads (a bundle payload is capped at 1 MiB).
pub const MAX_BUNDLE_FILE: u64 = 2 * 1024 * 1024;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the target, and the folder synced so
/// the rename survives a power cut. On any error the target is untouched and
/// the temporary file is removed. Temporary files that an earlier, killed
/// process left for the same target (`NAME.tmp-PID`) are removed first, so
/// they cannot pile up.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let mut prefix = name.to_owned();
    prefix.push(".tmp-");
    remove_leftovers(dir, &prefix);
    let mut tmp_name = prefix;
    tmp_name.push(std::process::id().to_string());
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable (not possible on every platform).
        if let Ok(folder) = fs::File::open(dir) {
            let _ = folder.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes `PREFIX*` files in `dir` (temporary files of a killed writer).
/// Best effort: a file that cannot be removed is left for the next write.
fn remove_leftovers(dir: &Path, prefix: &std::ffi::OsStr) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = prefix.as_encoded_bytes();
    for entry in entries.flatten() {
        if entry.file_name().as_encoded_bytes().starts_with(prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Reads a file of at most `limit` bytes, refusing larger ones with a clear error.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("file is larger than {limit} bytes; it cannot be a rubric bundle"),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_writers_temporary_files_are_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("export.csv");
        for pid in [11, 12] {
            fs::write(dir.path().join(format!("export.csv.tmp-{pid}")), b"half").unwrap();
        }
        fs::write(dir.path().join("other.csv.tmp-13"), b"not ours").unwrap();
        write_atomic(&target, b"complete").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"complete");
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec!["export.csv", "other.csv.tmp-13"]);
    }
}
