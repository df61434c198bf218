//! Exports of a session's results: CSV for spreadsheets, JSON for people and
//! for merging into another kiosk ([`super::import`]).
//!
//! # What an export holds
//! One row per result: the session, the result's random id, rubric id and
//! version, each dimension's value, the verdict id and the top archetype.
//! Alias and free texts only when the facilitator opts in
//! ([`SessionExport::build`]'s `include_text`). No time but the session's
//! date, no sequence number, and rows in the order of their random ids, so
//! the order of turns cannot be read from a file. The JSON export adds each
//! result's report and engine result (hex of its postcard bytes).
//!
//! # CSV columns
//! `session, session_name, session_date, result_id, rubric_id,
//! rubric_version, verdict, top_archetype`, then one column per dimension of
//! every rubric of the session, named `<rubric id>.<dimension id>` and empty
//! in rows of other rubrics; with texts, `alias` and one column per free-text
//! item, `<rubric id>.<item id>`. A text cell that a spreadsheet would run as
//! a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) is
//! written with a leading `'`.
//!
//! # Writing
//! [`write_checked`]: under a temporary name in the target folder, flushed
//! and fsynced, read back and parsed, compared (row count and ids), and only
//! then renamed. On any failure nothing is left under the final name and the
//! temporary file is removed.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use rubric_engine::model::ItemKind;
use rubric_engine::Bundle;
use rubrics::report::ResultReport;

pub use super::checked_write::{write_checked, SyncWrite};
pub use super::export_error::{ExportError, ReadBackProblem};
pub use super::export_file::{
    ExportFile, ExportedDimension, ExportedResult, ExportedSession, JSON_FORMAT, JSON_VERSION,
    MAX_EXPORT_FILE,
};
use crate::records::{Session, WorkshopResult};
use crate::store::ResultsStore;

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, one row per result.
    Csv,
    /// JSON with the reports and engine results, for merging.
    Json,
}

/// A session's results, ready to write in either format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionExport {
    /// The JSON form (the CSV is drawn from it).
    pub file: ExportFile,
    /// CSV dimension columns: (rubric id, dimension id), in session order.
    dimension_columns: Vec<(String, String)>,
    /// CSV free-text columns: (rubric id, item id); empty without texts.
    text_columns: Vec<(String, String)>,
}

impl SessionExport {
    /// Reads every result of `session` from `store`. Aliases and free texts
    /// are kept only when `include_text`.
    pub fn build(
        store: &ResultsStore,
        session: &Session,
        library: &Bundle<'_>,
        include_text: bool,
    ) -> Result<Self, ExportError> {
        let mut stored = store.workshop_results(session.id)?;
        // The store lists by id already; sorting here keeps the promise local.
        stored.sort_by_key(|r| r.id);
        let results = stored
            .iter()
            .map(|r| exported_result(r, library, include_text))
            .collect::<Result<Vec<_>, _>>()?;
        let mut dimension_columns = Vec::new();
        let mut text_columns = Vec::new();
        for rubric_id in &session.rubric_ids {
            let mut dims: Vec<String> = match library.rubric(rubric_id) {
                Some(rubric) => rubric.dimensions.iter().map(|d| d.id.to_string()).collect(),
                None => Vec::new(),
            };
            // Dimensions of stored results the library no longer names.
            for r in results.iter().filter(|r| &r.rubric_id == rubric_id) {
                for d in &r.dimensions {
                    if !dims.contains(&d.id) {
                        dims.push(d.id.clone());
                    }
                }
            }
            dimension_columns.extend(dims.into_iter().map(|d| (rubric_id.clone(), d)));
            if include_text {
                if let Some(rubric) = library.rubric(rubric_id) {
                    text_columns.extend(
                        rubric
                            .items
                            .iter()
                            .filter(|i| matches!(i.kind, ItemKind::Text))
                            .map(|i| (rubric_id.clone(), i.id.to_string())),
                    );
                }
            }
        }
        Ok(SessionExport {
            file: ExportFile {
                format: JSON_FORMAT.to_string(),
                version: JSON_VERSION,
                session: ExportedSession {
                    id: session.id.to_string(),
                    name: session.name.clone(),
                    date: session.date.to_string(),
                    rubric_ids: session.rubric_ids.clone(),
                    min_group: session.min_group,
                    show_own_result: session.show_own_result,
                    hide_until_revealed: session.hide_until_revealed,
                },
                includes_text: include_text,
                results,
            },
            dimension_columns,
            text_columns,
        })
    }

    /// Result ids, in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.file.results.iter().map(|r| r.id.as_str()).collect()
    }

    /// The CSV header.
    pub fn csv_header(&self) -> Vec<String> {
        let mut header: Vec<String> = [
            "session",
            "session_name",
            "session_date",
            "result_id",
            "rubric_id",
            "rubric_version",
            "verdict",
            "top_archetype",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        header.extend(
            self.dimension_columns
                .iter()
                .map(|(rubric, dim)| format!("{rubric}.{dim}")),
        );
        if self.file.includes_text {
            header.push("alias".into());
            header.extend(
                self.text_columns
                    .iter()
                    .map(|(rubric, item)| format!("{rubric}.{item}")),
            );
        }
        header
    }

    /// The CSV records (header excluded), exactly as written.
    pub fn csv_records(&self) -> Vec<Vec<String>> {
        let s = &self.file.session;
        self.file
            .results
            .iter()
            .map(|r| {
                let mut row = vec![
                    s.id.clone(),
                    neutralise(&s.name),
                    s.date.clone(),
                    r.id.clone(),
                    r.rubric_id.clone(),
                    r.rubric_version.to_string(),
                    r.verdict.clone().unwrap_or_default(),
                    r.top_archetype.clone().unwrap_or_default(),
                ];
                row.extend(self.dimension_columns.iter().map(|(rubric, dim)| {
                    if rubric != &r.rubric_id {
                        return String::new();
                    }
                    r.dimensions
                        .iter()
                        .find(|d| &d.id == dim)
                        .map_or(String::new(), |d| d.value.to_string())
                }));
                if self.file.includes_text {
                    row.push(neutralise(r.alias.as_deref().unwrap_or("")));
                    row.extend(self.text_columns.iter().map(|(rubric, item)| {
                        if rubric != &r.rubric_id {
                            return String::new();
                        }
                        neutralise(r.texts.get(item).map_or("", String::as_str))
                    }));
                }
                row
            })
            .collect()
    }

    /// The file's bytes in `format`.
    pub fn to_bytes(&self, format: ExportFormat) -> Result<Vec<u8>, ExportError> {
        match format {
            ExportFormat::Json => {
                serde_json::to_vec_pretty(&self.file).map_err(ExportError::EncodeJson)
            }
            ExportFormat::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                writer
                    .write_record(self.csv_header())
                    .map_err(ExportError::EncodeCsv)?;
                for record in self.csv_records() {
                    writer
                        .write_record(&record)
                        .map_err(ExportError::EncodeCsv)?;
                }
                writer
                    .into_inner()
                    .map_err(|e| ExportError::EncodeCsv(e.into_error().into()))
            }
        }
    }

    /// Writes the export to `path` with [`write_checked`], checking the file
    /// read back against the rows; returns the number of rows.
    pub fn write(&self, path: &Path, format: ExportFormat) -> Result<usize, ExportError> {
        self.write_through(path, format, |file| file)
    }

    /// [`SessionExport::write`], writing through `wrap` (tests inject
    /// failing writers here).
    pub fn write_through<W: SyncWrite>(
        &self,
        path: &Path,
        format: ExportFormat,
        wrap: impl FnOnce(File) -> W,
    ) -> Result<usize, ExportError> {
        let bytes = self.to_bytes(format)?;
        let ids = self.ids();
        write_checked(path, &bytes, wrap, |read| match format {
            ExportFormat::Csv => check_csv(read, &ids),
            ExportFormat::Json => check_json(read, &ids),
        })?;
        Ok(ids.len())
    }
}

/// Exports `session` to `path`; returns the number of rows written.
pub fn export_session(
    store: &ResultsStore,
    session: &Session,
    library: &Bundle<'_>,
    format: ExportFormat,
    include_text: bool,
    path: &Path,
) -> Result<usize, ExportError> {
    SessionExport::build(store, session, library, include_text)?.write(path, format)
}

fn exported_result(
    r: &WorkshopResult,
    library: &Bundle<'_>,
    include_text: bool,
) -> Result<ExportedResult, ExportError> {
    let report: ResultReport = serde_json::from_str(&r.report_json)
        .map_err(|source| ExportError::BadResult { id: r.id, source })?;
    let top_archetype = report
        .outcomes
        .iter()
        .find(|o| o.rank == 1 && o.received > 0)
        .map(|o| o.id.clone());
    let (alias, texts) = if include_text {
        (r.alias.clone(), free_texts(r, library))
    } else {
        (None, BTreeMap::new())
    };
    Ok(ExportedResult {
        id: r.id.to_string(),
        rubric_id: r.rubric_id.clone(),
        rubric_version: r.rubric_version,
        bundle_hash: r.bundle_hash.clone(),
        dimensions: report
            .dimensions
            .iter()
            .map(|d| ExportedDimension {
                id: d.id.clone(),
                value: d.value,
            })
            .collect(),
        verdict: report.verdict.clone(),
        top_archetype,
        alias,
        texts,
        report,
        engine_result: hex(&r.engine_result),
    })
}

/// The free-text answers of a result: the string answers of its rubric's
/// text items (other answers are never exported).
fn free_texts(r: &WorkshopResult, library: &Bundle<'_>) -> BTreeMap<String, String> {
    let Some(rubric) = library.rubric(&r.rubric_id) else {
        return BTreeMap::new();
    };
    let Ok(serde_json::Value::Object(answers)) = serde_json::from_str(&r.answers_json) else {
        return BTreeMap::new();
    };
    rubric
        .items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Text))
        .filter_map(|i| match answers.get(i.id) {
            Some(serde_json::Value::String(text)) => Some((i.id.to_string(), text.clone())),
            _ => None,
        })
        .collect()
}

/// A leading `'` for text a spreadsheet would run as a formula.
fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check_ids(found: &[String], expected: &[&str]) -> Result<(), ReadBackProblem> {
    if found.len() != expected.len() {
        return Err(ReadBackProblem::RowCount {
            found: found.len(),
            expected: expected.len(),
        });
    }
    match found.iter().zip(expected).position(|(a, b)| a != b) {
        Some(i) => Err(ReadBackProblem::WrongId {
            row: i + 1,
            found: found[i].clone(),
            expected: expected[i].to_string(),
        }),
        None => Ok(()),
    }
}

fn check_csv(bytes: &[u8], expected: &[&str]) -> Result<(), ReadBackProblem> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers()?.clone();
    let column = headers
        .iter()
        .position(|h| h == "result_id")
        .ok_or(ReadBackProblem::NoIdColumn)?;
    let mut ids = Vec::new();
    for record in reader.records() {
        ids.push(record?.get(column).unwrap_or_default().to_string());
    }
    check_ids(&ids, expected)
}

fn check_json(bytes: &[u8], expected: &[&str]) -> Result<(), ReadBackProblem> {
    let file: ExportFile = serde_json::from_slice(bytes)?;
    let ids: Vec<String> = file.results.into_iter().map(|r| r.id).collect();
    check_ids(&ids, expected)
}

/// The name the files of a session's export share: the session's name made
/// safe for any file system (letters, digits and hyphens), then its date.
pub fn file_stem(session: &Session) -> String {
    let mut stem = String::new();
    for c in session.name.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
        if stem.len() >= 40 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "session" } else { stem };
    format!("{stem}-{}", session.date.as_str())
}

/// Writes a session's whole export into `folder`: the CSV, the JSON and the
/// printable one-page summary (group figures only, under the minimum-group
/// rule), each complete or not at all ([`write_checked`]). A newer export of
/// the same session replaces an older one of the same name. Returns the
/// files written; on an error, the files written before it stay (each is
/// complete).
pub fn export_files(
    store: &ResultsStore,
    session: &Session,
    library: &Bundle<'_>,
    include_text: bool,
    folder: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let stem = file_stem(session);
    let export = SessionExport::build(store, session, library, include_text)?;
    let mut written = Vec::new();
    for (format, extension) in [(ExportFormat::Csv, "csv"), (ExportFormat::Json, "json")] {
        let path = folder.join(format!("{stem}.{extension}"));
        export.write(&path, format)?;
        written.push(path);
    }
    let page = folder.join(format!("{stem}-summary.html"));
    write_session_summary(store, session, library, &page)?;
    written.push(page);
    Ok(written)
}

/// Writes the printable one-page summary of a session (group figures only,
/// under the minimum-group rule) to `path`, complete or not at all.
pub fn write_session_summary(
    store: &ResultsStore,
    session: &Session,
    library: &Bundle<'_>,
    path: &Path,
) -> Result<(), ExportError> {
    let group = super::aggregate::session_aggregates(store, session, library)?;
    let html = super::summary::session_summary_html(session, &group);
    write_checked(
        path,
        html.as_bytes(),
        |file| file,
        |read| match std::str::from_utf8(read) {
            Ok(text) if text.ends_with("</html>\n") => Ok(()),
            _ => Err(ReadBackProblem::IncompletePage),
        },
    )
}
