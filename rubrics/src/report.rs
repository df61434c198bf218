//! An engine result named by ids and labels, for people, JSON and storage.
//! Nothing here computes a score: every number is copied from the engine.

use rubric_engine::model::{Horizon, Rubric};
use rubric_engine::{ScoreResult, Verdict};
use serde::{Deserialize, Serialize};

/// One dimension of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionReport {
    /// Dimension id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Value reached.
    pub value: u32,
    /// Largest possible value.
    pub max: u32,
    /// Percentage, floored.
    pub percent: u8,
    /// Band id, if banded.
    pub band: Option<String>,
    /// Band label.
    pub band_label: Option<String>,
}

/// One outcome of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeReport {
    /// Outcome id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Share of the weight it could have received, in percent.
    pub fit_percent: u8,
    /// 1 for the best fit.
    pub rank: u8,
    /// Weight received.
    pub received: u32,
    /// Weight possible.
    pub possible: u32,
}

/// When a suggested action is meant to happen. Stored as a lowercase word
/// ("now", "week", "month", "quarter"), as results have always stored it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Now, or whenever it fits.
    Now,
    /// This week.
    Week,
    /// This month.
    Month,
    /// This quarter.
    Quarter,
}

impl When {
    /// The engine's horizon, named.
    pub fn from_horizon(horizon: Horizon) -> Self {
        match horizon {
            Horizon::Now => When::Now,
            Horizon::Week => When::Week,
            Horizon::Month => When::Month,
            _ => When::Quarter,
        }
    }

    /// The lowercase word used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            When::Now => "now",
            When::Week => "week",
            When::Month => "month",
            When::Quarter => "quarter",
        }
    }

    /// A heading for people: "Now", "This week", ...
    pub fn label(self) -> &'static str {
        match self {
            When::Now => "Now",
            When::Week => "This week",
            When::Month => "This month",
            When::Quarter => "This quarter",
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A suggested action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionReport {
    /// When to do it.
    pub when: When,
    /// What to do.
    pub text: String,
}

/// A whole result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultReport {
    /// Rubric id.
    pub rubric: String,
    /// Rubric version.
    pub version: u16,
    /// Every visible required item answered.
    pub complete: bool,
    /// Visible items answered.
    pub answered: u8,
    /// Visible items.
    pub visible: u8,
    /// Band id, or for fit rubrics the top outcome id; `None` when undetermined.
    pub verdict: Option<String>,
    /// The verdict's label.
    pub verdict_label: Option<String>,
    /// What the verdict means.
    pub verdict_explanation: Option<String>,
    /// The verdict band's actions.
    pub actions: Vec<ActionReport>,
    /// Per dimension.
    pub dimensions: Vec<DimensionReport>,
    /// Per outcome, best first.
    pub outcomes: Vec<OutcomeReport>,
}

/// The suggested actions of a band.
pub fn band_actions(band: &rubric_engine::model::Band<'_>) -> Vec<ActionReport> {
    band.actions
        .iter()
        .map(|a| ActionReport {
            when: When::from_horizon(a.horizon),
            text: a.text.into(),
        })
        .collect()
}

/// Names the parts of `result` for `rubric`.
pub fn report(rubric: &Rubric<'_>, result: &ScoreResult) -> ResultReport {
    let band = |i: Option<u8>| i.and_then(|i| rubric.band(usize::from(i)));
    let (verdict, verdict_label, verdict_explanation, actions) = match result.verdict {
        Verdict::Band(i) => match band(Some(i)) {
            Some(b) => (
                Some(b.id.to_string()),
                Some(b.label.to_string()),
                Some(b.explanation.to_string()),
                band_actions(&b),
            ),
            None => (None, None, None, Vec::new()),
        },
        Verdict::Outcome(i) => match rubric.outcomes.get(usize::from(i)) {
            Some(o) => (
                Some(o.id.to_string()),
                Some(o.title.to_string()),
                Some(o.description.to_string()),
                Vec::new(),
            ),
            None => (None, None, None, Vec::new()),
        },
        Verdict::Undetermined => (None, None, None, Vec::new()),
    };
    ResultReport {
        rubric: rubric.id.into(),
        version: rubric.version,
        complete: result.complete,
        answered: result.answered,
        visible: result.visible,
        verdict,
        verdict_label,
        verdict_explanation,
        actions,
        dimensions: rubric
            .dimensions
            .iter()
            .zip(result.dimensions.iter())
            .map(|(d, s)| DimensionReport {
                id: d.id.into(),
                title: d.title.into(),
                value: s.value,
                max: s.max,
                percent: s.percent,
                band: band(s.band).map(|b| b.id.to_string()),
                band_label: band(s.band).map(|b| b.label.to_string()),
            })
            .collect(),
        outcomes: result
            .outcomes
            .iter()
            .filter_map(|fit| {
                rubric
                    .outcomes
                    .get(usize::from(fit.outcome))
                    .map(|o| OutcomeReport {
                        id: o.id.into(),
                        title: o.title.into(),
                        fit_percent: fit.percent,
                        rank: fit.rank,
                        received: fit.received,
                        possible: fit.possible,
                    })
            })
            .collect(),
    }
}
