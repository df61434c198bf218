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
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rubric_engine::model::ItemKind;
use rubric_engine::Bundle;
use rubrics::report::ResultReport;
use serde::{Deserialize, Serialize};

use super::{ResultId, Session, WorkshopResult};
use crate::store::{ResultsStore, StoreError};

/// `format` of a JSON export.
pub const JSON_FORMAT: &str = "rubric-kiosk-workshop-export";

/// Version of the JSON export layout.
pub const JSON_VERSION: u32 = 1;

/// Largest export file read back (and imported): 64 MiB.
pub const MAX_EXPORT_FILE: u64 = 64 * 1024 * 1024;

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, one row per result.
    Csv,
    /// JSON with the reports and engine results, for merging.
    Json,
}

/// Why an export failed. Nothing is left under the target name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored result whose report cannot be read.
    #[error("the stored result {id} cannot be exported: its report is unreadable: {reason}")]
    BadResult {
        /// The result.
        id: ResultId,
        /// What is wrong.
        reason: String,
    },
    /// Encoding the file failed.
    #[error("cannot encode the export: {0}")]
    Encode(String),
    /// Writing, syncing or renaming failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file read back is not what was meant to be written.
    #[error("{} was not written correctly (read back: {reason}); it was removed", path.display())]
    ReadBack {
        /// The file.
        path: PathBuf,
        /// What differed.
        reason: String,
    },
}

/// The session as an export describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedSession {
    /// Session id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Rubric ids, in order.
    pub rubric_ids: Vec<String>,
    /// Minimum group size.
    pub min_group: u32,
    /// Whether participants see their own result.
    pub show_own_result: bool,
    /// Whether group results wait for the facilitator's reveal.
    pub hide_until_revealed: bool,
}

/// One dimension's value in an exported row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedDimension {
    /// Dimension id.
    pub id: String,
    /// Its value.
    pub value: u32,
}

/// One result as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedResult {
    /// The result's random id.
    pub id: String,
    /// Rubric id.
    pub rubric_id: String,
    /// Rubric version.
    pub rubric_version: u16,
    /// SHA-256 of the bundle the rubric came from.
    pub bundle_hash: String,
    /// Dimension values, in the rubric's order.
    pub dimensions: Vec<ExportedDimension>,
    /// Verdict id (band or outcome), if there is one.
    pub verdict: Option<String>,
    /// The best-fitting outcome's id, if any outcome received weight.
    pub top_archetype: Option<String>,
    /// Alias, only in exports with texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Free texts by item id, only in exports with texts. An item id twice
    /// is refused, not silently reduced to its last text.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_texts"
    )]
    pub texts: BTreeMap<String, String>,
    /// The named result.
    pub report: ResultReport,
    /// The engine's result: lowercase hex of its postcard bytes.
    pub engine_result: String,
}

/// A JSON object of strings whose keys are all different.
fn unique_texts<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Texts;
    impl<'de> serde::de::Visitor<'de> for Texts {
        type Value = BTreeMap<String, String>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of free texts by item id")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut texts = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if texts.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "the text of item {key:?} appears twice"
                    )));
                }
                texts.insert(key, value);
            }
            Ok(texts)
        }
    }
    deserializer.deserialize_map(Texts)
}

/// A whole JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportFile {
    /// Always [`JSON_FORMAT`].
    pub format: String,
    /// Layout version, [`JSON_VERSION`].
    pub version: u32,
    /// The session.
    pub session: ExportedSession,
    /// Whether aliases and free texts were included.
    pub includes_text: bool,
    /// The results, in the order of their random ids.
    pub results: Vec<ExportedResult>,
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
        let encode = |e: &dyn std::fmt::Display| ExportError::Encode(e.to_string());
        match format {
            ExportFormat::Json => serde_json::to_vec_pretty(&self.file).map_err(|e| encode(&e)),
            ExportFormat::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                writer
                    .write_record(self.csv_header())
                    .map_err(|e| encode(&e))?;
                for record in self.csv_records() {
                    writer.write_record(&record).map_err(|e| encode(&e))?;
                }
                writer.into_inner().map_err(|e| encode(&e))
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
    let report: ResultReport =
        serde_json::from_str(&r.report_json).map_err(|e| ExportError::BadResult {
            id: r.id,
            reason: e.to_string(),
        })?;
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

fn check_ids(found: &[String], expected: &[&str]) -> Result<(), String> {
    if found.len() != expected.len() {
        return Err(format!(
            "{} rows instead of {}",
            found.len(),
            expected.len()
        ));
    }
    match found.iter().zip(expected).position(|(a, b)| a != b) {
        Some(i) => Err(format!(
            "row {} has id {} instead of {}",
            i + 1,
            found[i],
            expected[i]
        )),
        None => Ok(()),
    }
}

fn check_csv(bytes: &[u8], expected: &[&str]) -> Result<(), String> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = headers
        .iter()
        .position(|h| h == "result_id")
        .ok_or("no result_id column")?;
    let mut ids = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        ids.push(record.get(column).unwrap_or_default().to_string());
    }
    check_ids(&ids, expected)
}

fn check_json(bytes: &[u8], expected: &[&str]) -> Result<(), String> {
    let file: ExportFile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let ids: Vec<String> = file.results.into_iter().map(|r| r.id).collect();
    check_ids(&ids, expected)
}

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
    check: impl FnOnce(&[u8]) -> Result<(), String>,
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
        let differs = |reason: String| ExportError::ReadBack {
            path: path.to_path_buf(),
            reason,
        };
        if read != bytes {
            return Err(differs(
                "the bytes on disk differ from those written".into(),
            ));
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
    let group = super::session_aggregates(store, session, library)?;
    let html = super::summary::session_summary_html(session, &group);
    write_checked(
        path,
        html.as_bytes(),
        |file| file,
        |read| match std::str::from_utf8(read) {
            Ok(text) if text.ends_with("</html>\n") => Ok(()),
            _ => Err("the page is incomplete".into()),
        },
    )
}
