//! Rubric sources for the command line: TOML files and `.xlsx` or `.ods`
//! spreadsheets side by side, with a spreadsheet's compiler errors named by cell.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use rubric_engine::owned::BundlePayload;
use rubrics::{CompileError, Source};

use super::read::{read_workbook, ReadError, SheetLimits};
use super::to_toml::{toml_from_workbook, SheetToml};
use crate::fsutil::read_limited;

/// Sources read from files, with the way back from a spreadsheet's TOML to its cells.
#[derive(Debug)]
pub struct Sources {
    /// The sources as the compiler reads them.
    pub sources: Vec<Source>,
    sheets: Vec<(PathBuf, SheetToml)>,
}

/// One problem, at a line of a TOML file or at a cell of a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file.
    pub file: PathBuf,
    /// `line:column` of a TOML file, or the cell (`item!C7`) of a spreadsheet.
    pub at: String,
    /// What is wrong.
    pub message: String,
    /// A suggestion.
    pub help: Option<String>,
}

/// Why sources could not be read or compiled.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    /// Reading or compiling TOML failed as `rubric-kiosk compile` says.
    #[error(transparent)]
    Compile(CompileError),
    /// A file could not be read.
    #[error("cannot read {}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        error: io::Error,
    },
    /// A spreadsheet was refused.
    #[error("{}: {error}", path.display())]
    Sheet {
        /// The file.
        path: PathBuf,
        /// Why.
        error: ReadError,
    },
    /// Problems at lines and cells.
    #[error("{}", Listed(.0))]
    Located(Vec<Located>),
}

struct Listed<'a>(&'a [Located]);

impl fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in self.0 {
            writeln!(f, "{}:{}: error: {}", l.file.display(), l.at, l.message)?;
            if let Some(help) = &l.help {
                writeln!(f, "  help: {help}")?;
            }
        }
        write!(f, "{} error(s)", self.0.len())
    }
}

/// True for a file the spreadsheet reader takes (`.xlsx` or `.ods`).
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("ods"))
}

/// Reads files and folders (their `*.toml`, `*.xlsx` and `*.ods` files, by name).
pub fn read_sources(paths: &[PathBuf]) -> Result<Sources, SourcesError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|error| SourcesError::Io {
                    path: path.clone(),
                    error,
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && (p.extension().is_some_and(|e| e == "toml") || is_spreadsheet(p))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(SourcesError::Compile(CompileError::NoSources(
            names.join(", "),
        )));
    }
    let mut sources = Sources {
        sources: Vec::new(),
        sheets: Vec::new(),
    };
    let mut problems = Vec::new();
    for file in files {
        if !is_spreadsheet(&file) {
            let read = rubrics::read_sources(std::slice::from_ref(&file));
            sources.sources.extend(read.map_err(SourcesError::Compile)?);
            continue;
        }
        let limits = SheetLimits::default();
        let bytes = read_limited(&file, limits.file_bytes as u64 + 1).map_err(|error| {
            SourcesError::Io {
                path: file.clone(),
                error,
            }
        })?;
        let book = read_workbook(&bytes, limits).map_err(|error| SourcesError::Sheet {
            path: file.clone(),
            error,
        })?;
        let toml = toml_from_workbook(&book);
        problems.extend(toml.problems.iter().map(|(cell, message)| Located {
            file: file.clone(),
            at: cell.clone(),
            message: message.clone(),
            help: None,
        }));
        sources.sources.push(Source {
            path: file.clone(),
            text: toml.text.clone(),
        });
        sources.sheets.push((file, toml));
    }
    if problems.is_empty() {
        Ok(sources)
    } else {
        Err(SourcesError::Located(problems))
    }
}

impl Sources {
    /// Compiles the sources; a spreadsheet's errors name its cells.
    pub fn compile(&self) -> Result<BundlePayload, SourcesError> {
        match rubrics::compile(&self.sources) {
            Ok(payload) => Ok(payload),
            Err(CompileError::Diagnostics(found)) => Err(SourcesError::Located(
                found
                    .into_iter()
                    .map(|d| {
                        let sheet = self.sheets.iter().find(|(path, _)| *path == d.file);
                        let at = match sheet {
                            Some((_, toml)) => toml
                                .cell_at(d.line)
                                .unwrap_or_else(|| "rubric!A1".to_owned()),
                            None => format!("{}:{}", d.line, d.column),
                        };
                        Located {
                            file: d.file,
                            at,
                            message: d.message,
                            help: d.help,
                        }
                    })
                    .collect(),
            )),
            Err(e) => Err(SourcesError::Compile(e)),
        }
    }
}
