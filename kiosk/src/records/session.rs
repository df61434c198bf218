//! A workshop session: its id, date, configuration, and the validation that
//! stands between what a facilitator typed and what the store accepts.

use std::fmt;
use std::str::FromStr;

use rubric_engine::Bundle;
use uuid::Uuid;

use super::time::civil_date;

/// The minimum group size a new session gets unless the facilitator changes it.
pub const DEFAULT_MIN_GROUP: u32 = 5;

/// No session may show aggregates of fewer results than this.
pub const MIN_GROUP_FLOOR: u32 = 3;

/// The random id of a workshop session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub Uuid);

impl SessionId {
    /// A fresh random (v4) id.
    pub fn random() -> Self {
        SessionId(Uuid::new_v4())
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for SessionId {
    type Err = uuid::Error;

    /// Parses the hyphenated form shown by [`Display`](fmt::Display).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(SessionId)
    }
}

/// The day of a session, `YYYY-MM-DD` (UTC): the only time workshop data records.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionDate(String);

impl SessionDate {
    /// The UTC date of Unix seconds `now`.
    pub fn from_unix(now: i64) -> Self {
        let (year, month, day) = civil_date(now);
        SessionDate(format!("{year:04}-{month:02}-{day:02}"))
    }

    /// `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for SessionDate {
    type Err = SessionConfigError;

    /// Accepts exactly `YYYY-MM-DD` with a month 01-12 and a day 01-31.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || SessionConfigError::BadDate(s.to_string());
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(bad());
        }
        let month: u32 = s[5..7].parse().map_err(|_| bad())?;
        let day: u32 = s[8..10].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(bad());
        }
        Ok(SessionDate(s.to_string()))
    }
}

/// What a facilitator asks for when creating a session, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// Shown to the facilitator and in exports.
    pub name: String,
    /// The rubric ids participants take, in order.
    pub rubric_ids: Vec<String>,
    /// Aggregates of a rubric stay hidden until it has this many results.
    pub min_group: u32,
    /// Whether a participant sees their own result after each rubric.
    pub show_own_result: bool,
    /// Whether group results stay hidden until the facilitator reveals them.
    pub hide_until_revealed: bool,
}

impl Default for SessionConfig {
    /// No name, no rubrics, minimum group [`DEFAULT_MIN_GROUP`], participants
    /// see their own result, group results shown without a reveal step.
    fn default() -> Self {
        SessionConfig {
            name: String::new(),
            rubric_ids: Vec::new(),
            min_group: DEFAULT_MIN_GROUP,
            show_own_result: true,
            hide_until_revealed: false,
        }
    }
}

/// Why a session configuration (or a session date) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionConfigError {
    /// The name is empty or only spaces.
    #[error("the session needs a name")]
    EmptyName,
    /// No rubric was chosen.
    #[error("choose at least one rubric for the session")]
    NoRubrics,
    /// A rubric id the library does not have.
    #[error("the rubric {0} is not in the library")]
    UnknownRubric(String),
    /// The same rubric twice.
    #[error("the rubric {0} is chosen twice")]
    DuplicateRubric(String),
    /// A minimum group size that would let small groups be singled out.
    #[error("the minimum group size must be at least {floor}, so that no group result points at a few people (asked for {asked})")]
    MinGroupTooSmall {
        /// What was asked for.
        asked: u32,
        /// The smallest allowed, [`MIN_GROUP_FLOOR`].
        floor: u32,
    },
    /// A date that is not `YYYY-MM-DD`.
    #[error("the date {0:?} is not a date written YYYY-MM-DD")]
    BadDate(String),
}

impl SessionConfig {
    /// Checks the configuration against `library`: a non-empty name, at least
    /// one rubric, every rubric known and chosen once, a minimum group of at
    /// least [`MIN_GROUP_FLOOR`]. The name is trimmed.
    pub fn validate(
        mut self,
        library: &Bundle<'_>,
    ) -> Result<ValidSessionConfig, SessionConfigError> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            return Err(SessionConfigError::EmptyName);
        }
        if self.rubric_ids.is_empty() {
            return Err(SessionConfigError::NoRubrics);
        }
        for (i, id) in self.rubric_ids.iter().enumerate() {
            if library.rubric(id).is_none() {
                return Err(SessionConfigError::UnknownRubric(id.clone()));
            }
            if self.rubric_ids[..i].contains(id) {
                return Err(SessionConfigError::DuplicateRubric(id.clone()));
            }
        }
        if self.min_group < MIN_GROUP_FLOOR {
            return Err(SessionConfigError::MinGroupTooSmall {
                asked: self.min_group,
                floor: MIN_GROUP_FLOOR,
            });
        }
        Ok(ValidSessionConfig(self))
    }
}

/// A [`SessionConfig`] that passed [`SessionConfig::validate`]; the only
/// kind `ResultsStore::create_session` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSessionConfig(SessionConfig);

impl ValidSessionConfig {
    /// The validated configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.0
    }
}

/// A stored workshop session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its random id.
    pub id: SessionId,
    /// Its name.
    pub name: String,
    /// The rubric ids participants take, in order.
    pub rubric_ids: Vec<String>,
    /// Aggregates of a rubric stay hidden until it has this many results.
    pub min_group: u32,
    /// Whether a participant sees their own result.
    pub show_own_result: bool,
    /// Whether group results stay hidden until [`Session::revealed`].
    pub hide_until_revealed: bool,
    /// Whether the facilitator has revealed the group results.
    pub revealed: bool,
    /// A closed session takes no more results.
    pub closed: bool,
    /// The day it was created.
    pub date: SessionDate,
}

impl Session {
    /// Whether group results may be shown now, as far as the reveal step goes
    /// (the minimum group size is checked per rubric by the aggregates).
    pub fn group_results_released(&self) -> bool {
        !self.hide_until_revealed || self.revealed
    }
}
