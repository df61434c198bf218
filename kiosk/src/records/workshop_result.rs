//! One participant's result in a workshop session, as stored: keyed by a
//! random id, with no time and no sequence number.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use super::session::SessionId;

/// The random id of a workshop result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResultId(pub Uuid);

impl ResultId {
    /// A fresh random (v4) id.
    pub fn random() -> Self {
        ResultId(Uuid::new_v4())
    }
}

impl fmt::Display for ResultId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for ResultId {
    type Err = uuid::Error;

    /// Parses the hyphenated form shown by [`Display`](fmt::Display).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(ResultId)
    }
}

/// A workshop result about to be stored.
#[derive(Debug, Clone)]
pub struct NewWorkshopResult<'a> {
    /// The session it belongs to.
    pub session: SessionId,
    /// Rubric id.
    pub rubric_id: &'a str,
    /// Rubric version.
    pub rubric_version: u16,
    /// SHA-256 of the bundle the rubric came from (hex).
    pub bundle_hash: &'a str,
    /// The alias the participant chose, if any (never a required real name).
    pub alias: Option<&'a str>,
    /// Answers as JSON keyed by item id, free texts included; exported only
    /// when the facilitator opts in.
    pub answers_json: &'a str,
    /// The named result ([`rubrics::report::ResultReport`]) as JSON.
    pub report_json: &'a str,
    /// The engine's result, postcard-encoded.
    pub engine_result: &'a [u8],
}

/// A stored workshop result, as read back from the store or checked by the
/// importer of another kiosk's export (stored under the id it came with).
/// Only for the participant who just made it, and for exports the
/// facilitator asks for: group screens use the workshop's aggregates, which
/// carry no individual data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopResult {
    /// Its random id.
    pub id: ResultId,
    /// The session.
    pub session: SessionId,
    /// Rubric id.
    pub rubric_id: String,
    /// Rubric version.
    pub rubric_version: u16,
    /// Bundle hash.
    pub bundle_hash: String,
    /// Alias, if the participant gave one.
    pub alias: Option<String>,
    /// Answers JSON (free texts included).
    pub answers_json: String,
    /// Named result JSON.
    pub report_json: String,
    /// Postcard engine result.
    pub engine_result: Vec<u8>,
}
