//! The figure line of each dimension on a result screen, with the rules that
//! keep a figure true to what it counts:
//!
//! - a dimension fed by one single-choice question is a category, not an
//!   amount: it shows the chosen band's label and no numbers;
//! - a count (a dimension banded on its value) reads against the most it
//!   could reach with every question asked, not only the ones shown, and
//!   shows no percentage;
//! - a share (a ratio) names both counts and shows a percentage only when
//!   something was counted;
//! - a dimension banded on its percentage shows value, maximum and
//!   percentage as the engine scored them, unless none of its questions was
//!   shown;
//! - the band label of the verdict's own dimension never says more than the
//!   verdict: when the verdict was held back, it is the held verdict's label.
//!
//! Every number is the engine's ([`rubric_engine::score()`],
//! [`rubric_engine::full_max`]); this module only chooses which to show.

use rubric_engine::model::{BandOn, ItemKind, Rubric, Rule, Target, VerdictRule};
use rubric_engine::{full_max, DimensionScore, ScoreResult, Verdict};

/// What one dimension's figure line shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Index of the dimension.
    pub dimension: u8,
    /// The dimension's title.
    pub title: String,
    /// The amount in words ("3 of 4 areas", "2 of 14, 14 %"); empty for a category.
    pub amount: String,
    /// How full a bar or radar axis is drawn (0 to 100); `None` for a
    /// category or a share of nothing.
    pub chart_percent: Option<u8>,
    /// The band's label (for the verdict's own dimension, the verdict's).
    pub band_label: Option<String>,
    /// Index of the band reached, whose explanation and actions go with it.
    pub band: Option<u8>,
    /// Whether the dimension is a category (see the module notes).
    pub categorical: bool,
}

impl Figure {
    /// "Title: amount · band", the line a screen shows and a screen reader reads.
    pub fn line(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !self.amount.is_empty() {
            parts.push(&self.amount);
        }
        if let Some(label) = &self.band_label {
            parts.push(label);
        }
        format!("{}: {}", self.title, parts.join(" · "))
    }
}

/// Whether every weight on dimension `d` comes from the options of one
/// single-choice item: the answer picks a category.
pub fn is_categorical(rubric: &Rubric<'_>, d: u8) -> bool {
    let target = Target::Dimension(d);
    let mut single_items = 0;
    for item in rubric.items.iter() {
        if item.weights.iter().any(|w| w.target == target) {
            return false;
        }
        let chosen_by_option = item
            .kind
            .options()
            .iter()
            .any(|o| o.weights.iter().any(|w| w.target == target));
        if chosen_by_option {
            if !matches!(item.kind, ItemKind::Single { .. }) {
                return false;
            }
            single_items += 1;
        }
    }
    single_items == 1
}

fn verdict_dimension(rubric: &Rubric<'_>) -> Option<u8> {
    match rubric.verdict_rule {
        VerdictRule::Dimension(d) | VerdictRule::DimensionWithFloor { dimension: d, .. } => Some(d),
        _ => None,
    }
}

/// The figure of every dimension of `result`, in declaration order.
pub fn figures(rubric: &Rubric<'_>, result: &ScoreResult) -> Vec<Figure> {
    rubric
        .dimensions
        .iter()
        .zip(result.dimensions.iter())
        .enumerate()
        .map(|(i, (dimension, score))| {
            let d = i as u8;
            let categorical = is_categorical(rubric, d);
            let (amount, chart_percent) = if categorical {
                (String::new(), None)
            } else {
                amount(rubric, d, dimension.rule, dimension.band_on, score)
            };
            Figure {
                dimension: d,
                title: dimension.title.to_string(),
                amount,
                chart_percent,
                band_label: band_label(rubric, result, d, score),
                band: score.band,
                categorical,
            }
        })
        .collect()
}

fn amount(
    rubric: &Rubric<'_>,
    d: u8,
    rule: Rule,
    band_on: BandOn,
    score: &DimensionScore,
) -> (String, Option<u8>) {
    match (rule, band_on) {
        (Rule::Ratio { .. }, _) if score.max == 0 => ("nothing counted yet".into(), None),
        (Rule::Ratio { .. }, _) => (
            format!("{} of {} ({} %)", score.value, score.max, score.percent),
            Some(score.percent),
        ),
        (_, BandOn::Value) => {
            let full = full_max(rubric, d).unwrap_or(score.max).max(score.value);
            let chart = (u64::from(score.value) * 100)
                .checked_div(u64::from(full))
                .map(|p| p.min(100) as u8);
            (format!("{} of {full}", score.value), chart)
        }
        (_, BandOn::Percent) if score.max == 0 => ("not asked".into(), None),
        (_, BandOn::Percent) => (
            format!("{} of {} ({} %)", score.value, score.max, score.percent),
            Some(score.percent),
        ),
    }
}

fn band_label(
    rubric: &Rubric<'_>,
    result: &ScoreResult,
    d: u8,
    score: &DimensionScore,
) -> Option<String> {
    let label = |b: u8| rubric.band(usize::from(b)).map(|b| b.label.to_string());
    match result.verdict {
        // The verdict names what held it back; here it is enough to say so
        // (a figure line does not wrap, so it stays short).
        Verdict::Held { band, .. } if verdict_dimension(rubric) == Some(d) => {
            label(band).map(|l| format!("{l} (held back)"))
        }
        _ => score.band.and_then(label),
    }
}
