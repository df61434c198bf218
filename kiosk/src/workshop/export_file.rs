//! The JSON export's layout: what [`super::export`] writes and
//! [`super::import`] reads back, kept apart so that neither imports the other.

use std::collections::BTreeMap;

use rubrics::report::ResultReport;
use serde::{Deserialize, Serialize};

/// `format` of a JSON export.
pub const JSON_FORMAT: &str = "rubric-kiosk-workshop-export";

/// Version of the JSON export layout this build writes: 2 adds `purpose`
/// and `about`. Version 1 files (every result, for merging) still import.
pub const JSON_VERSION: u32 = 2;

/// `purpose` of the file made for merging kiosks of one workshop: every
/// result, rubrics below the minimum group size included.
pub const PURPOSE_MERGE: &str = "merge";

/// `purpose` of an analysis export: only rubrics whose group figures the
/// facilitator view shows.
pub const PURPOSE_ANALYSIS: &str = "analysis";

/// Largest export file read back (and imported): 64 MiB.
pub const MAX_EXPORT_FILE: u64 = 64 * 1024 * 1024;

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
    /// [`PURPOSE_MERGE`] or [`PURPOSE_ANALYSIS`]; absent in version 1,
    /// whose files were all for merging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// What the file holds, in words, for a person who opens it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The exporting kiosk's random id (absent in files of earlier
    /// releases), so that the kiosk merging the file can say where its
    /// results came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk: Option<String>,
    /// The session.
    pub session: ExportedSession,
    /// Whether aliases and free texts were included.
    pub includes_text: bool,
    /// The results, in the order of their random ids.
    pub results: Vec<ExportedResult>,
}

impl ExportedSession {
    /// Where results merged from this session of the kiosk `kiosk` come
    /// from (no result counted yet).
    pub(crate) fn origin(&self, kiosk: Option<String>) -> crate::records::ImportOrigin {
        crate::records::ImportOrigin {
            kiosk,
            session: self.id.clone(),
            session_name: self.name.clone(),
            results: 0,
        }
    }
}
