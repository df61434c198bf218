//! Reading the author's rubric files for the preview: compiled as
//! `rubric-kiosk compile` would, and on failure every problem with the line
//! of the file it is on, ready to be shown in place.

use std::path::{Path, PathBuf};

use rubric_engine::codec::expand_bundle;
use rubric_engine::Bundle;
use rubrics::{CompileError, Diagnostic, Source};

use crate::library::hash_hex;

/// A version of the rubrics that compiled.
#[derive(Debug)]
pub struct Loaded {
    /// The rubrics, their texts in place.
    pub bundle: Bundle<'static>,
    /// The SHA-256 of the compiled bytes, as results record it.
    pub hash: String,
}

/// One compiler problem with the source line it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// What the compiler said: file, line, column, message and help.
    pub diagnostic: Diagnostic,
    /// The line of the file the column is on, as the author wrote it.
    pub source_line: Option<String>,
}

/// Why the files on disk give no usable version.
#[derive(Debug, thiserror::Error)]
pub enum LoadProblem {
    /// The sources compile with errors: each one, in place.
    #[error("{} error(s) in the rubric", .0.len())]
    Diagnostics(Vec<Located>),
    /// The files could not be read, or compiled into no usable bundle.
    #[error(transparent)]
    Compile(CompileError),
}

/// Reads and compiles the rubric file, or the `.toml` files of a folder, at `path`.
///
/// Each version that compiles is kept for the rest of the preview (the
/// screens borrow it for as long as they like): about the size of its
/// bundle, tens of kilobytes, for each save that compiles.
pub fn load(path: &Path) -> Result<Loaded, LoadProblem> {
    let sources = rubrics::read_sources(&[path.to_path_buf()]).map_err(LoadProblem::Compile)?;
    let payload = match rubrics::compile(&sources) {
        Ok(payload) => payload,
        Err(CompileError::Diagnostics(found)) => {
            return Err(LoadProblem::Diagnostics(
                found.into_iter().map(|d| locate(d, &sources)).collect(),
            ))
        }
        Err(e) => return Err(LoadProblem::Compile(e)),
    };
    let bytes = rubrics::bundle_bytes(&payload, None)
        .map_err(|e| LoadProblem::Compile(CompileError::Encode(e)))?;
    let inline =
        expand_bundle(&bytes).map_err(|e| LoadProblem::Compile(CompileError::Refused(e)))?;
    let hash = hash_hex(&inline);
    let inline: &'static [u8] = Box::leak(inline.into_boxed_slice());
    let bundle =
        Bundle::decode(inline).map_err(|e| LoadProblem::Compile(CompileError::Refused(e)))?;
    Ok(Loaded { bundle, hash })
}

fn locate(diagnostic: Diagnostic, sources: &[Source]) -> Located {
    let source_line = sources
        .iter()
        .find(|s| s.path == diagnostic.file)
        .and_then(|s| s.text.lines().nth(diagnostic.line.checked_sub(1)?))
        .map(str::to_owned);
    Located {
        diagnostic,
        source_line,
    }
}

/// The files a change to which should reload the preview of `path`: the
/// file itself, or any `.toml` file directly in the folder.
pub fn is_watched(path: &Path, changed: &Path) -> bool {
    if path.is_dir() {
        changed.parent() == Some(path) && changed.extension().is_some_and(|e| e == "toml")
    } else {
        changed.file_name() == path.file_name()
    }
}

/// The folder to watch for `path`: editors save by writing a new file and
/// renaming it over the old one, so a file is watched through its folder.
pub fn watch_root(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
