//! Exports of a session's results: CSV and JSON for analysis, and a merge
//! file for another kiosk of the same workshop ([`super::import`]).
//!
//! # Analysis exports keep the minimum group
//! The CSV and the JSON export hold the rows of a rubric only when the
//! facilitator view shows its group figures (at least the session's
//! minimum group of results, and revealed when the session waits for the
//! reveal): a file handed around never shows what the group view hides.
//! The merge file ([`ExportFormat::Merge`]) holds every result, because a
//! merge can lift a rubric over the minimum; it says so in its name
//! (`…-merge-individual-results.json`) and in its first lines (`purpose`
//! and `about`), and import takes only it.
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
    MAX_EXPORT_FILE, PURPOSE_ANALYSIS, PURPOSE_MERGE,
};
use crate::records::{Session, WorkshopResult};
use crate::store::ResultsStore;

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, one row per result of the rubrics whose
    /// group figures are shown.
    Csv,
    /// JSON with the reports and engine results of the same rows.
    Json,
    /// JSON of every result, for merging into another kiosk of the same
    /// workshop: the only export with rubrics below the minimum group.
    Merge,
}

impl ExportFormat {
    /// Whether the file holds every result (the merge file) rather than
    /// only those of rubrics the group view shows.
    pub fn holds_every_result(self) -> bool {
        matches!(self, ExportFormat::Merge)
    }
}

/// The words at the top of a merge file.
pub const MERGE_ABOUT: &str =
    "Individual results of one workshop session, for merging into another \
kiosk of the same workshop only (rubric-kiosk import). It holds every result, including rubrics \
with fewer results than the minimum group size, which no group view shows: do not share it, and \
delete it once merged.";

/// The words at the top of an analysis JSON export.
pub const ANALYSIS_ABOUT: &str =
    "Results of one workshop session for analysis. Rubrics whose group \
figures are hidden (fewer results than the minimum group size, or not yet revealed) are left out.";

/// A session's results, ready to write in any format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionExport {
    /// The merge file's form, every result (the other formats are drawn
    /// from it, keeping only the rubrics in `shown`).
    pub file: ExportFile,
    /// Rubrics whose group figures the facilitator view shows.
    shown: Vec<String>,
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
        let group = super::aggregate::session_aggregates(store, session, library)?;
        let shown = group
            .rubrics
            .iter()
            .filter(|r| r.figures.shown().is_some())
            .map(|r| r.rubric_id.clone())
            .collect();
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
                purpose: Some(PURPOSE_MERGE.to_string()),
                about: Some(MERGE_ABOUT.to_string()),
                kiosk: Some(store.kiosk_id()?),
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
            shown,
            dimension_columns,
            text_columns,
        })
    }

    /// The results a file in `format` holds, in file order.
    fn rows(&self, format: ExportFormat) -> impl Iterator<Item = &ExportedResult> {
        self.file
            .results
            .iter()
            .filter(move |r| format.holds_every_result() || self.shown.contains(&r.rubric_id))
    }

    /// Result ids of a file in `format`, in file order.
    pub fn ids(&self, format: ExportFormat) -> Vec<&str> {
        self.rows(format).map(|r| r.id.as_str()).collect()
    }

    /// The JSON file in `format` (`Json` or `Merge`).
    pub fn file_for(&self, format: ExportFormat) -> ExportFile {
        if format.holds_every_result() {
            return self.file.clone();
        }
        ExportFile {
            purpose: Some(PURPOSE_ANALYSIS.to_string()),
            about: Some(ANALYSIS_ABOUT.to_string()),
            results: self.rows(format).cloned().collect(),
            ..self.file.clone()
        }
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
        self.rows(ExportFormat::Csv)
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
            ExportFormat::Json | ExportFormat::Merge => {
                serde_json::to_vec_pretty(&self.file_for(format)).map_err(ExportError::EncodeJson)
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
        let ids = self.ids(format);
        write_checked(path, &bytes, wrap, |read| match format {
            ExportFormat::Csv => check_csv(read, &ids),
            ExportFormat::Json | ExportFormat::Merge => check_json(read, &ids),
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

/// The name of a session's merge file: it says what the file is.
pub fn merge_file_name(session: &Session) -> String {
    format!("{}-merge-individual-results.json", file_stem(session))
}

/// Writes a session's whole export into `folder`: the analysis CSV and JSON,
/// the printable one-page summary (these three hold only what the group
/// view shows), and the merge file of every result for another kiosk of the
/// workshop ([`merge_file_name`]), each complete or not at all
/// ([`write_checked`]). A newer export of
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
    let merge = folder.join(merge_file_name(session));
    export.write(&merge, ExportFormat::Merge)?;
    written.push(merge);
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
