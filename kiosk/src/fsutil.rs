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

/// Reads a file of at most `limit` bytes, refusing larger ones with a clear
/// error. It is opened without waiting (`open_no_wait`) and must be a
/// regular file once open, so a named pipe or a device given as a path is
/// refused instead of blocking or being read forever. Links are followed:
/// the caller chose this path.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_no_wait(path, false)?;
    let kind = FileKind::of(file.metadata()?.file_type());
    if kind != FileKind::Regular {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a file", kind.words()),
        ));
    }
    read_capped(file, limit)
}

fn read_capped(file: fs::File, limit: u64) -> io::Result<Vec<u8>> {
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

/// What a path is, as the folder entry itself says (a link is a link, not
/// what it points at).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A regular file: the only kind read from a drive.
    Regular,
    /// A folder.
    Folder,
    /// A symbolic link.
    Link,
    /// A named pipe (FIFO): reading one waits for a writer.
    Fifo,
    /// A device (like `/dev/zero`, which never ends).
    Device,
    /// A socket.
    Socket,
    /// Something else.
    Other,
}

impl FileKind {
    /// The kind of `file_type`.
    pub fn of(file_type: fs::FileType) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_file() {
            return FileKind::Regular;
        }
        if file_type.is_dir() {
            return FileKind::Folder;
        }
        if file_type.is_symlink() {
            return FileKind::Link;
        }
        #[cfg(unix)]
        {
            if file_type.is_fifo() {
                return FileKind::Fifo;
            }
            if file_type.is_char_device() || file_type.is_block_device() {
                return FileKind::Device;
            }
            if file_type.is_socket() {
                return FileKind::Socket;
            }
        }
        FileKind::Other
    }

    /// The kind in words, with an article: "a named pipe".
    pub fn words(self) -> &'static str {
        match self {
            FileKind::Regular => "a file",
            FileKind::Folder => "a folder",
            FileKind::Link => "a link",
            FileKind::Fifo => "a named pipe (a FIFO)",
            FileKind::Device => "a device",
            FileKind::Socket => "a socket",
            FileKind::Other => "something other than a file",
        }
    }
}

/// Why a file on a drive was not read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegularFileError {
    /// Not a regular file (checked without following links, and again on
    /// the opened file).
    #[error("it is {}, not a file", .0.words())]
    NotAFile(FileKind),
    /// Larger than the limit; not read.
    #[error("it is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Opening or reading failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads the file at `path` only if it is a regular file itself of at most
/// `limit` bytes. What the path is comes from the folder entry, without
/// following a link; the open follows no link and does not wait (a named
/// pipe would wait for a writer forever); and the opened file is checked
/// again, so a file swapped for a link, a pipe or a device between the
/// check and the open is still refused, and never read.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, RegularFileError> {
    let kind = FileKind::of(fs::symlink_metadata(path)?.file_type());
    if kind != FileKind::Regular {
        return Err(RegularFileError::NotAFile(kind));
    }
    let file = match open_no_wait(path, true) {
        Ok(file) => file,
        Err(e) if is_link_refused(&e) => return Err(RegularFileError::NotAFile(FileKind::Link)),
        Err(e) => return Err(e.into()),
    };
    let meta = file.metadata()?;
    let kind = FileKind::of(meta.file_type());
    if kind != FileKind::Regular {
        return Err(RegularFileError::NotAFile(kind));
    }
    if meta.len() > limit {
        return Err(RegularFileError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(read_capped(file, limit)?)
}

/// Opens `path` for reading without waiting for a writer (`O_NONBLOCK`),
/// and, if `no_link`, refusing a link as the last part (`O_NOFOLLOW`).
/// Other systems have no named pipes on drives; there it is a plain open.
fn open_no_wait(path: &Path, no_link: bool) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if no_link { libc::O_NOFOLLOW } else { 0 };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(windows)]
    if no_link {
        // FILE_FLAG_OPEN_REPARSE_POINT: a link is opened as itself, and the
        // check of the opened file then refuses it.
        use std::os::windows::fs::OpenOptionsExt;
        options.custom_flags(0x0020_0000);
    }
    #[cfg(not(any(unix, windows)))]
    let _ = no_link;
    options.open(path)
}

/// `O_NOFOLLOW` on a link fails with `ELOOP`.
fn is_link_refused(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
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

    #[cfg(unix)]
    fn fifo(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("pipe.rbk");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        path
    }

    /// Runs `read` on another thread and fails instead of hanging.
    #[cfg(unix)]
    fn within_seconds<T: Send + 'static>(read: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(read()));
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the read returned instead of waiting for a writer")
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_by_its_kind_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = fifo(dir.path());
        let result = within_seconds(move || read_regular(&path, MAX_BUNDLE_FILE));
        assert!(matches!(
            result,
            Err(RegularFileError::NotAFile(FileKind::Fifo))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_given_by_path_is_opened_without_waiting_and_refused_once_open() {
        // read_limited follows a path as given (no kind check before the
        // open): only the non-blocking open and the check of the opened
        // file keep it from waiting for a writer forever.
        let dir = tempfile::tempdir().unwrap();
        let path = fifo(dir.path());
        let result = within_seconds(move || read_limited(&path, MAX_BUNDLE_FILE));
        let error = result.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(error.to_string(), "it is a named pipe (a FIFO), not a file");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_not_followed_and_a_device_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero.rbk");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_regular(&link, MAX_BUNDLE_FILE),
            Err(RegularFileError::NotAFile(FileKind::Link))
        ));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), MAX_BUNDLE_FILE),
            Err(RegularFileError::NotAFile(FileKind::Device))
        ));
        assert!(read_limited(Path::new("/dev/zero"), MAX_BUNDLE_FILE).is_err());
    }

    #[test]
    fn a_regular_file_is_read_and_one_over_the_limit_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.rbk");
        fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_regular(&path, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_regular(&path, 9),
            Err(RegularFileError::TooLarge { size: 10, limit: 9 })
        ));
    }
}
