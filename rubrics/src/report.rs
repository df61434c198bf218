//! An engine result named by ids and labels, for people, JSON and storage.
//! Nothing here computes a score: every number is copied from the engine.

use rubric_engine::model::{Band, BandScope, Horizon, Rubric};
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
    /// Band id, or for fit rubrics the top outcome id, or for a tie the tied
    /// outcome ids joined by `+` ("architect+solver"); `None` when undetermined.
    pub verdict: Option<String>,
    /// The verdict's label.
    pub verdict_label: Option<String>,
    /// What the verdict means.
    pub verdict_explanation: Option<String>,
    /// The verdict band's actions (an outcome's band's; for a verdict held
    /// back, the holding dimension's band's first).
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

/// The band of outcome `outcome`, if the rubric gives it one.
pub fn outcome_band<'a>(rubric: &Rubric<'a>, outcome: u8) -> Option<Band<'a>> {
    rubric
        .bands
        .iter()
        .find(|b| b.scope == BandScope::Outcome(outcome))
}

/// "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// An outcome's description, followed by its band's explanation if it has one.
fn outcome_explanation(rubric: &Rubric<'_>, outcome: u8, description: &str) -> String {
    match outcome_band(rubric, outcome).map(|b| b.explanation) {
        Some(extra) if !extra.is_empty() => format!("{description}\n\n{extra}"),
        _ => description.to_string(),
    }
}

type Headline = (
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<ActionReport>,
);

/// Id, label, explanation and actions of the verdict.
fn headline(rubric: &Rubric<'_>, result: &ScoreResult) -> Headline {
    let band = |i: u8| rubric.band(usize::from(i));
    match result.verdict {
        Verdict::Band(i) => match band(i) {
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
                Some(outcome_explanation(rubric, i, o.description)),
                outcome_band(rubric, i)
                    .map(|b| band_actions(&b))
                    .unwrap_or_default(),
            ),
            None => (None, None, None, Vec::new()),
        },
        Verdict::Tied(_) => tied(rubric, result.verdict),
        Verdict::Held { band: held, by } => {
            let (Some(b), Some(dimension)) = (band(held), rubric.dimensions.get(usize::from(by)))
            else {
                return (None, None, None, Vec::new());
            };
            let by_band = result
                .dimensions
                .get(usize::from(by))
                .and_then(|s| s.band)
                .and_then(band);
            let by_label = by_band.map_or("", |b| b.label);
            let explanation = format!(
                "{}\n\nHeld back by {}: {by_label}. The overall result stays at \"{}\" while one \
                 part of the work is this far behind, however strong the rest is; start there.",
                b.explanation, dimension.title, b.label
            );
            let mut actions = by_band.map(|b| band_actions(&b)).unwrap_or_default();
            actions.extend(band_actions(&b));
            (
                Some(b.id.to_string()),
                Some(b.label.to_string()),
                Some(explanation),
                actions,
            )
        }
        Verdict::Undetermined => (None, None, None, Vec::new()),
    }
}

/// What a tie says after naming the tied outcomes, for a rubric without a
/// tie band (`tie = true` in its TOML) of its own.
pub const DEFAULT_TIE_TEXT: &str = "Each of them is described below.";

/// A tie: every tied outcome named, then the rubric's tie band's text (or
/// [`DEFAULT_TIE_TEXT`]) and actions, then each outcome's description and its
/// band's actions (each prefixed with the outcome's title).
fn tied(rubric: &Rubric<'_>, verdict: Verdict) -> Headline {
    let outcomes: Vec<(u8, rubric_engine::model::Outcome<'_>)> = verdict
        .tied_outcomes()
        .filter_map(|i| rubric.outcomes.get(usize::from(i)).map(|o| (i, o)))
        .collect();
    let titles: Vec<&str> = outcomes.iter().map(|(_, o)| o.title).collect();
    let ids: Vec<&str> = outcomes.iter().map(|(_, o)| o.id).collect();
    let tie_band = rubric.bands.iter().find(|b| b.scope == BandScope::Tie);
    let lead = tie_band
        .map(|b| b.explanation)
        .filter(|text| !text.is_empty())
        .unwrap_or(DEFAULT_TIE_TEXT);
    let mut explanation = format!(
        "Your answers fit {} equally well, so your profile is mixed: no single one wins. {lead}",
        and_list(&titles)
    );
    let mut actions = tie_band.map(|b| band_actions(&b)).unwrap_or_default();
    for (i, o) in &outcomes {
        explanation.push_str(&format!(
            "\n\n{}: {}",
            o.title,
            outcome_explanation(rubric, *i, o.description)
        ));
        if let Some(b) = outcome_band(rubric, *i) {
            actions.extend(band_actions(&b).into_iter().map(|a| ActionReport {
                when: a.when,
                text: format!("{}: {}", o.title, a.text),
            }));
        }
    }
    (
        Some(ids.join("+")),
        Some(format!(
            "{}: {}",
            tie_band.map_or("Mixed profile", |b| b.label),
            and_list(&titles)
        )),
        Some(explanation),
        actions,
    )
}

/// Names the parts of `result` for `rubric`.
pub fn report(rubric: &Rubric<'_>, result: &ScoreResult) -> ResultReport {
    let band = |i: Option<u8>| i.and_then(|i| rubric.band(usize::from(i)));
    let (verdict, verdict_label, verdict_explanation, actions) = headline(rubric, result);
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
