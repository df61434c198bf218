//! Merging a JSON export ([`super::export`]) from another kiosk of the same
//! workshop into this kiosk's store.
//!
//! # Decisions
//! - **The session is matched by its UUID.** When this store has it, the
//!   results join it and its local settings (minimum group, reveal) stay as
//!   they are. A session closed here takes no more results, merged ones
//!   included: closing is the facilitator's word that the figures are final,
//!   and a late merge could change a group figure people already saw. When this
//!   store does not have it, the session is created with the file's id, name,
//!   date, rubrics and settings (open, not revealed), after the same validation
//!   as a new session.
//! - **Every result keeps its UUID**: a result already stored is counted as
//!   already present, so importing the same file twice adds nothing.
//! - **Bad rows are rejected one by one; the good rows are added.** Each
//!   rejection names its row (1-based, in file order), its id when readable,
//!   and the reason: malformed row (bad JSON shape, a duplicate key, a bad
//!   id), an id twice in the file, an id stored in another session, a rubric
//!   the session does not take, a rubric the library does not have, a rubric
//!   version other than the library's, or an engine result that does not
//!   decode or disagrees with the row. The stored report is recomputed from
//!   the engine result, so a file cannot make the kiosk show figures the
//!   engine did not compute.
//! - **Whole-file refusals add nothing**: a file over [`MAX_IMPORT_FILE`],
//!   not JSON, not an export (wrong `format`, unknown `version`, a missing,
//!   unknown or duplicate top-level key), or a session that cannot be created
//!   here. The error names the file (and the line and column).
//! - The rows that pass are stored in one transaction: all of them or none.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rubric_engine::{Bundle, ScoreResult};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::export_file::{
    ExportedResult, ExportedSession, JSON_FORMAT, JSON_VERSION, MAX_EXPORT_FILE, PURPOSE_ANALYSIS,
    PURPOSE_MERGE,
};
use crate::records::{
    ResultId, Session, SessionConfig, SessionConfigError, SessionDate, SessionId, WorkshopResult,
};
use crate::store::{ResultsStore, StoreError};

/// Largest file [`import_file`] reads: 64 MiB.
pub const MAX_IMPORT_FILE: u64 = MAX_EXPORT_FILE;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The session the results joined.
    pub session: SessionId,
    /// Whether the session was created by this import.
    pub session_created: bool,
    /// Results added.
    pub added: usize,
    /// Results this store already had.
    pub already_present: usize,
    /// Rows refused, in file order.
    pub rejected: Vec<Rejection>,
}

/// A refused row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its position in the file's `results`, from 1.
    pub row: usize,
    /// Its id, when readable.
    pub id: Option<String>,
    /// Why.
    pub reason: RejectReason,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(id) = &self.id {
            write!(f, " (result {id})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RejectReason {
    /// Not the shape of an exported result (missing or duplicate key, wrong type, bad id).
    #[error("malformed row: {0}")]
    Malformed(String),
    /// The same id earlier in the file.
    #[error("the same result id is already in row {0} of this file")]
    DuplicateInFile(usize),
    /// The id is stored in another session.
    #[error("this result id is already stored in another session ({0})")]
    IdInOtherSession(String),
    /// The session does not take this rubric.
    #[error("the rubric {0} is not part of this session")]
    RubricNotInSession(String),
    /// The library has no such rubric.
    #[error("the rubric {0} is not in this kiosk's library")]
    UnknownRubric(String),
    /// The library has another version of the rubric.
    #[error("the rubric {rubric} version {file} is not in this kiosk's library (it has version {library})")]
    UnknownVersion {
        /// Rubric id.
        rubric: String,
        /// The row's version.
        file: u16,
        /// The library's version.
        library: u16,
    },
    /// The engine result does not decode or does not fit the rubric.
    #[error("the engine result is unreadable: {0}")]
    BadEngineResult(String),
    /// The row's figures are not what its engine result says.
    #[error("the row disagrees with its engine result: {0}")]
    Inconsistent(&'static str),
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Over [`MAX_IMPORT_FILE`].
    #[error("{} is larger than {limit} bytes; it is not a workshop export this kiosk reads", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        limit: u64,
    },
    /// The file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not JSON, or not the shape of an export.
    #[error("{}:{line}:{column}: not a workshop export: {reason}", path.display())]
    NotAnExport {
        /// The file.
        path: PathBuf,
        /// Line (from 1; 0 when unknown).
        line: usize,
        /// Column (from 1; 0 when unknown).
        column: usize,
        /// What is wrong.
        reason: NotAnExport,
    },
    /// The session cannot be created or matched.
    #[error("{}: the session cannot be imported: {reason}", path.display())]
    BadSession {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: SessionProblem,
    },
    /// The session is closed on this kiosk.
    #[error("{}: the session \"{name}\" is closed on this kiosk, so it takes no more results; merge other kiosks' results before closing it", path.display())]
    SessionClosed {
        /// The file.
        path: PathBuf,
        /// The session's name.
        name: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the merged results failed; nothing was added.
    #[error("importing {} failed; nothing was added: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause (it names the database; boxed: with a Windows path
        /// beside it, clippy's `result_large_err`).
        source: Box<StoreError>,
    },
}

/// Why a file is not a workshop export this kiosk reads.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotAnExport {
    /// Not JSON, or JSON of another shape.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// Another `format` than [`JSON_FORMAT`].
    #[error("format is {0:?}, not {JSON_FORMAT:?}")]
    Format(String),
    /// A layout version this kiosk does not read.
    #[error("layout version {0} (this kiosk reads 1 to {JSON_VERSION})")]
    Version(u32),
    /// An analysis export: it leaves out rubrics below the minimum group.
    #[error("this is an analysis export, which leaves out rubrics the group view hides; import the session's merge file (named ...-merge-individual-results.json) instead")]
    AnalysisFile,
    /// A purpose this kiosk does not know.
    #[error("its purpose is {0:?}, not {PURPOSE_MERGE:?}")]
    Purpose(String),
}

/// Why the session an export describes cannot be taken in.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionProblem {
    /// Its id is not a UUID.
    #[error("its id {id:?} is not a UUID: {source}")]
    BadId {
        /// The id as written in the file.
        id: String,
        /// What the UUID parser said.
        source: uuid::Error,
    },
    /// Its date or settings are not those of a valid session.
    #[error(transparent)]
    Config(#[from] SessionConfigError),
}

/// What is wrong with an engine result that does not decode, in words a
/// facilitator can act on (postcard's own words name its internals).
fn damage(error: &postcard::Error) -> &'static str {
    match error {
        postcard::Error::DeserializeUnexpectedEnd => {
            "it is cut short; the file may have been edited or copied incompletely"
        }
        _ => "its bytes are not a result this app writes; the file may have been edited",
    }
}

/// The top level of an export, rows left unparsed so that each is judged alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExport<'a> {
    format: String,
    version: u32,
    #[serde(default)]
    purpose: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    #[serde(default)]
    kiosk: Option<String>,
    session: ExportedSession,
    #[allow(dead_code)]
    includes_text: bool,
    #[serde(borrow)]
    results: Vec<&'a RawValue>,
}

/// Reads `path` (at most [`MAX_IMPORT_FILE`] bytes) and imports it.
pub fn import_file(
    store: &ResultsStore,
    library: &Bundle<'_>,
    path: &Path,
) -> Result<ImportReport, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_IMPORT_FILE {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_IMPORT_FILE,
        });
    }
    import_bytes(store, library, &bytes, path)
}

/// Imports an export already in memory; `path` names it in errors.
pub fn import_bytes(
    store: &ResultsStore,
    library: &Bundle<'_>,
    bytes: &[u8],
    path: &Path,
) -> Result<ImportReport, ImportError> {
    let raw = parse_export(bytes, path)?;
    let (session, session_created) = session_for(store, library, &raw.session, path)?;

    let mut report = ImportReport {
        session: session.id,
        session_created,
        added: 0,
        already_present: 0,
        rejected: Vec::new(),
    };
    let mut rows: Vec<WorkshopResult> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, raw_row) in raw.results.iter().enumerate() {
        let row_number = i + 1;
        match check_row(raw_row, &session, library)
            .map_err(|(id, reason)| (id, locate_in_file(reason, bytes, raw_row)))
        {
            Err((id, reason)) => report.rejected.push(Rejection {
                row: row_number,
                id,
                reason,
            }),
            Ok(row) => {
                let id = row.id.to_string();
                if let Some(first) = seen.get(&id) {
                    report.rejected.push(Rejection {
                        row: row_number,
                        id: Some(id),
                        reason: RejectReason::DuplicateInFile(*first),
                    });
                    continue;
                }
                seen.insert(id.clone(), row_number);
                match store.session_of_result(row.id)? {
                    Some(other) if other == session.id => report.already_present += 1,
                    Some(other) => report.rejected.push(Rejection {
                        row: row_number,
                        id: Some(id),
                        reason: RejectReason::IdInOtherSession(other.to_string()),
                    }),
                    None => rows.push(row),
                }
            }
        }
    }
    let origin = raw.session.origin(raw.kiosk.clone());
    store
        .import_workshop_results_from(&session, session_created, &rows, &origin)
        .map_err(|source| ImportError::Write {
            path: path.to_path_buf(),
            source: Box::new(source),
        })?;
    report.added = rows.len();
    Ok(report)
}

/// The file's top level, its format and layout version checked.
fn parse_export<'a>(bytes: &'a [u8], path: &Path) -> Result<RawExport<'a>, ImportError> {
    let not_export = |line, column, reason| ImportError::NotAnExport {
        path: path.to_path_buf(),
        line,
        column,
        reason,
    };
    let raw: RawExport<'_> =
        serde_json::from_slice(bytes).map_err(|e| not_export(e.line(), e.column(), e.into()))?;
    if raw.format != JSON_FORMAT {
        return Err(not_export(0, 0, NotAnExport::Format(raw.format)));
    }
    if !(1..=JSON_VERSION).contains(&raw.version) {
        return Err(not_export(0, 0, NotAnExport::Version(raw.version)));
    }
    // Version 1 files were all for merging; from version 2 the file says.
    if raw.version >= 2 {
        match raw.purpose.as_deref() {
            Some(PURPOSE_MERGE) => {}
            Some(PURPOSE_ANALYSIS) => return Err(not_export(0, 0, NotAnExport::AnalysisFile)),
            other => {
                let purpose = other.unwrap_or("missing").to_string();
                return Err(not_export(0, 0, NotAnExport::Purpose(purpose)));
            }
        }
    }
    Ok(raw)
}

/// The session the file's results go to: this store's, or a new one made
/// from the file's description (then `true`).
fn session_for(
    store: &ResultsStore,
    library: &Bundle<'_>,
    file: &ExportedSession,
    path: &Path,
) -> Result<(Session, bool), ImportError> {
    let bad_session = |reason: SessionProblem| ImportError::BadSession {
        path: path.to_path_buf(),
        reason,
    };
    let session_id: SessionId = file.id.parse().map_err(|source| {
        bad_session(SessionProblem::BadId {
            id: file.id.clone(),
            source,
        })
    })?;
    match store.session(session_id) {
        Ok(session) if session.closed => Err(ImportError::SessionClosed {
            path: path.to_path_buf(),
            name: session.name,
        }),
        Ok(session) => Ok((session, false)),
        Err(StoreError::NoSuchSession(_)) => Ok((
            new_session(file, session_id, library).map_err(bad_session)?,
            true,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The session described by the file, validated as a new session would be.
fn new_session(
    file: &ExportedSession,
    id: SessionId,
    library: &Bundle<'_>,
) -> Result<Session, SessionProblem> {
    let date: SessionDate = file.date.parse()?;
    let config = SessionConfig {
        name: file.name.clone(),
        rubric_ids: file.rubric_ids.clone(),
        min_group: file.min_group,
        show_own_result: file.show_own_result,
        hide_until_revealed: file.hide_until_revealed,
    }
    .validate(library)?;
    let c = config.config();
    Ok(Session {
        id,
        name: c.name.clone(),
        rubric_ids: c.rubric_ids.clone(),
        min_group: c.min_group,
        show_own_result: c.show_own_result,
        hide_until_revealed: c.hide_until_revealed,
        revealed: false,
        closed: false,
        date,
    })
}

fn check_row(
    raw: &RawValue,
    session: &Session,
    library: &Bundle<'_>,
) -> Result<WorkshopResult, (Option<String>, RejectReason)> {
    let row: ExportedResult = serde_json::from_str(raw.get()).map_err(|e| {
        // Name the row by its id if that much is readable.
        let id = serde_json::from_str::<serde_json::Value>(raw.get())
            .ok()
            .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(String::from));
        (id, RejectReason::Malformed(e.to_string()))
    })?;
    let named = Some(row.id.clone());
    let reject = |reason| (named.clone(), reason);
    let id: ResultId = row
        .id
        .parse()
        .ok()
        .filter(|id: &ResultId| id.to_string() == row.id)
        .ok_or_else(|| {
            reject(RejectReason::Malformed(
                "the id is not a lowercase hyphenated UUID".into(),
            ))
        })?;
    if !session.rubric_ids.contains(&row.rubric_id) {
        return Err(reject(RejectReason::RubricNotInSession(
            row.rubric_id.clone(),
        )));
    }
    let rubric = library
        .rubric(&row.rubric_id)
        .ok_or_else(|| reject(RejectReason::UnknownRubric(row.rubric_id.clone())))?;
    if rubric.version != row.rubric_version {
        return Err(reject(RejectReason::UnknownVersion {
            rubric: row.rubric_id.clone(),
            file: row.rubric_version,
            library: rubric.version,
        }));
    }
    let engine_result = unhex(&row.engine_result)
        .ok_or_else(|| reject(RejectReason::BadEngineResult("not hexadecimal".into())))?;
    let result = ScoreResult::decode(&engine_result)
        .map_err(|e| reject(RejectReason::BadEngineResult(damage(&e).into())))?;
    if result.dimensions.len() != rubric.dimensions.len()
        || result.outcomes.len() != rubric.outcomes.len()
    {
        return Err(reject(RejectReason::BadEngineResult(
            "it does not fit the rubric's dimensions and outcomes".into(),
        )));
    }
    let report = rubrics::report::report(&rubric, &result);
    if report != row.report {
        return Err(reject(RejectReason::Inconsistent("the report")));
    }
    let dims_match = row.dimensions.len() == report.dimensions.len()
        && row
            .dimensions
            .iter()
            .zip(&report.dimensions)
            .all(|(a, b)| a.id == b.id && a.value == b.value);
    if !dims_match {
        return Err(reject(RejectReason::Inconsistent("the dimension values")));
    }
    if row.verdict != report.verdict {
        return Err(reject(RejectReason::Inconsistent("the verdict")));
    }
    let top = report
        .outcomes
        .iter()
        .find(|o| o.rank == 1 && o.received > 0)
        .map(|o| o.id.clone());
    if row.top_archetype != top {
        return Err(reject(RejectReason::Inconsistent("the top archetype")));
    }
    let report_json = serde_json::to_string(&report)
        .map_err(|e| reject(RejectReason::Malformed(e.to_string())))?;
    let answers_json = serde_json::to_string(&row.texts)
        .map_err(|e| reject(RejectReason::Malformed(e.to_string())))?;
    Ok(WorkshopResult {
        id,
        session: session.id,
        rubric_id: row.rubric_id,
        rubric_version: row.rubric_version,
        bundle_hash: row.bundle_hash,
        alias: row.alias,
        answers_json,
        report_json,
        engine_result,
    })
}

/// A malformed row's reason names a line and column within the row (it is
/// parsed alone); this names them within the file instead, where a person
/// with an editor can find them.
fn locate_in_file(reason: RejectReason, file: &[u8], row: &RawValue) -> RejectReason {
    let RejectReason::Malformed(text) = reason else {
        return reason;
    };
    let Some((message, rest)) = text.rsplit_once(" at line ") else {
        return RejectReason::Malformed(text);
    };
    let position = rest.split_once(" column ").and_then(|(line, column)| {
        Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
    });
    // Where the row's text starts in the file: it is borrowed from it.
    let start = (row.get().as_ptr() as usize).wrapping_sub(file.as_ptr() as usize);
    let (Some((line, column)), Some(before)) = (position, file.get(..start)) else {
        return RejectReason::Malformed(text);
    };
    let lines_before = before.iter().filter(|&&b| b == b'\n').count();
    let column = if line == 1 {
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        start - line_start + column
    } else {
        column
    };
    RejectReason::Malformed(format!(
        "{message} (line {}, column {column} of the file)",
        lines_before + line
    ))
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{locate_in_file, RejectReason};

    #[test]
    fn a_malformed_row_is_located_in_the_file_not_in_the_row() {
        let file = "{\"format\": \"x\", \"version\": 1, \"includes_text\": false,\n \"session\": {},\n \"results\": [\n  {\"id\": 8},\n  {\"id\":\n    7}\n ]\n}";
        // The rows as the importer has them: borrowed from the file.
        #[derive(serde::Deserialize)]
        struct Rows<'a> {
            #[serde(borrow)]
            results: Vec<&'a serde_json::value::RawValue>,
        }
        let rows: Rows<'_> = serde_json::from_str(file).unwrap();
        let located = |row: &serde_json::value::RawValue| {
            let e = serde_json::from_str::<std::collections::HashMap<String, String>>(row.get())
                .unwrap_err();
            locate_in_file(RejectReason::Malformed(e.to_string()), file.as_bytes(), row).to_string()
        };
        // `8` is at the file's line 4, column 10 (the row's line 1, column 8).
        assert_eq!(
            located(rows.results[0]),
            "malformed row: invalid type: integer `8`, expected a string (line 4, column 10 of the file)"
        );
        // `7` is at the file's line 6, column 5 (the row's line 2).
        assert_eq!(
            located(rows.results[1]),
            "malformed row: invalid type: integer `7`, expected a string (line 6, column 5 of the file)"
        );
    }
}
