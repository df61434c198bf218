//! Group figures of a session, counted from the engine results the store
//! holds. The engine computed every number; this only counts.
//!
//! # The minimum group rule
//! A rubric's figures exist only as [`GroupFigures::Shown`], built only here,
//! and only when the rubric has at least the session's `min_group` results
//! (and, for a session that hides group results until revealed, once the
//! facilitator revealed them). Otherwise the figures are
//! [`GroupFigures::TooFew`] or [`GroupFigures::NotRevealed`], which carry
//! counts of results and nothing else: no caller can show a small group's
//! figures by accident. No type here holds an answer, a free text or an alias.
//!
//! # Histogram bins
//! A dimension with bands gets one bin per band, in the rubric's order and
//! with the band's label, counted by the band the engine put each result in
//! (plus an "Outside every band" bin, only when some result fell in no band).
//! A dimension without bands gets ten bins of the engine's percentage:
//! 0-9, 10-19, ..., 80-89, and 90-100 (100 % joins the last bin).
//! Every bin is listed, empty ones included, so a histogram's counts add up
//! to [`RubricFigures::results`].

use rubric_engine::model::{BandOn, BandScope, Rubric, VerdictRule};
use rubric_engine::{Bundle, ScoreResult, Verdict};

use crate::records::{Session, SessionId};
use crate::store::{ResultsStore, StoreError};

/// The group figures of one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAggregates {
    /// The session.
    pub session: SessionId,
    /// Participants: the largest result count among the session's rubrics.
    /// Results are not linked across rubrics (that would link a person's
    /// answers), so this is exact when everyone takes the first rubric.
    pub participants: usize,
    /// One entry per rubric of the session, in the session's order.
    pub rubrics: Vec<RubricAggregate>,
}

/// The group figures of one rubric of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricAggregate {
    /// Rubric id.
    pub rubric_id: String,
    /// Rubric title (the id when the library no longer has the rubric).
    pub title: String,
    /// Stored results that are not counted: made with another version of the
    /// rubric than the library's, or unreadable.
    pub not_counted: usize,
    /// Stored results the figures leave out until a whole minimum group of
    /// new ones has come ([`session_aggregates_in_steps`]; always 0 from
    /// [`session_aggregates`]).
    pub waiting: usize,
    /// The figures, if they may be shown.
    pub figures: GroupFigures,
}

/// A rubric's figures, or why there are none to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupFigures {
    /// At least the minimum group of results, released: the figures.
    Shown(RubricFigures),
    /// Fewer results than the session's minimum group size.
    TooFew {
        /// Results counted so far.
        have: usize,
        /// The session's minimum group size.
        need: usize,
    },
    /// The session hides group results until the facilitator reveals them.
    NotRevealed {
        /// Results counted so far.
        have: usize,
    },
    /// The library has no rubric with this id any more.
    NotInLibrary,
}

impl GroupFigures {
    /// The figures, when they may be shown.
    pub fn shown(&self) -> Option<&RubricFigures> {
        match self {
            GroupFigures::Shown(figures) => Some(figures),
            _ => None,
        }
    }
}

/// The figures of one rubric. Built only by [`session_aggregates`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RubricFigures {
    /// Results counted.
    pub results: usize,
    /// One histogram per dimension, in the rubric's order.
    pub dimensions: Vec<DimensionHistogram>,
    /// How many results got each verdict; the possible verdicts are all
    /// listed, "Not enough answers" only when it occurred.
    pub verdicts: Vec<LabelledCount>,
    /// Archetype mix: how many results had each outcome as their best fit
    /// (empty for rubrics without outcomes; "Not determined" when no outcome
    /// received any weight).
    pub archetypes: Vec<LabelledCount>,
}

/// The distribution of one dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DimensionHistogram {
    /// Dimension id.
    pub id: String,
    /// Dimension title.
    pub title: String,
    /// The bins, lowest first (see the module documentation).
    pub bins: Vec<Bin>,
}

/// What a bin's range measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinScale {
    /// The dimension's raw value.
    Value,
    /// The engine's percentage, 0 to 100.
    Percent,
}

/// One bin of a histogram.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bin {
    /// The band's id, for bins that are bands.
    pub band_id: Option<String>,
    /// What to print under the bar: the band's label, or `"40-49 %"`.
    pub label: String,
    /// Lowest value in the bin (inclusive), on `scale`.
    pub lo: u32,
    /// Highest value in the bin (inclusive), on `scale`.
    pub hi: u32,
    /// What `lo` and `hi` measure.
    pub scale: BinScale,
    /// Results in the bin.
    pub count: usize,
}

/// A count with the id and label of what was counted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LabelledCount {
    /// Band or outcome id; `None` for "not determined".
    pub id: Option<String>,
    /// Label for people.
    pub label: String,
    /// Results.
    pub count: usize,
}

/// Label of results without a verdict or without a best-fitting outcome.
pub const NOT_DETERMINED: &str = "Not enough answers";

/// Label and id of results whose best fit is shared by two or more outcomes.
pub const MIXED_PROFILE: &str = "Mixed profile";
/// Id of the [`MIXED_PROFILE`] count.
pub const MIXED_ID: &str = "mixed";

/// Label of the bin of results whose value fell in no band.
pub const OUTSIDE_BANDS: &str = "Outside every band";

/// Computes the group figures of `session` from the results in `store`,
/// naming them with the rubrics of `library`.
pub fn session_aggregates(
    store: &ResultsStore,
    session: &Session,
    library: &Bundle<'_>,
) -> Result<SessionAggregates, StoreError> {
    let mut tallies = tallies(session, library);
    store.for_each_engine_row(session.id, |row| {
        if let Some(tally) = tallies.iter_mut().find(|t| t.rubric_id == row.rubric_id) {
            tally.add(row.rubric_version, row.engine_result);
        }
    })?;
    Ok(aggregates_of(session, tallies))
}

/// The group figures of `session` as [`session_aggregates`], except that
/// each rubric counts only as many of its results as the largest multiple
/// of the session's minimum group size, so that the count moves only in
/// steps of a whole group (for the `report` command and the facilitator's
/// screens; see `workshop::release` for what the screens add).
///
/// The results left out are the last ones in the session index's order
/// (rubric version, the engine's encoded result, then the random id): an
/// order of content, so which ones they are says nothing about when they
/// were made (the store keeps no order of arrival), and the same results
/// give the same figures on any kiosk. Until the next step the figures
/// therefore leave out up to one group less one of the results that sort
/// last. What stateless stepping cannot do
/// is keep the counted set fixed between steps: a new result lands
/// anywhere in that order, so it may take the place of an older one. No
/// rule without a memory of what was shown (or an order of arrival, which
/// the store deliberately lacks) can avoid that; the facilitator's screens
/// hold that memory, `report` cannot.
pub fn session_aggregates_in_steps(
    store: &ResultsStore,
    session: &Session,
    library: &Bundle<'_>,
) -> Result<SessionAggregates, StoreError> {
    let step = usize::try_from(session.min_group)
        .unwrap_or(usize::MAX)
        .max(1);
    let mut tallies = tallies(session, library);
    for (rubric_id, stored) in store.workshop_counts(session.id)? {
        if let Some(tally) = tallies.iter_mut().find(|t| t.rubric_id == rubric_id) {
            tally.allowance = Some(stored - stored % step);
        }
    }
    store.for_each_engine_row_in_index_order(session.id, |row| {
        if let Some(tally) = tallies.iter_mut().find(|t| t.rubric_id == row.rubric_id) {
            tally.add(row.rubric_version, row.engine_result);
        }
    })?;
    Ok(aggregates_of(session, tallies))
}

fn tallies<'r>(session: &'r Session, library: &Bundle<'r>) -> Vec<Tally<'r>> {
    session
        .rubric_ids
        .iter()
        .map(|id| Tally::new(id, library.rubric(id)))
        .collect()
}

fn aggregates_of(session: &Session, tallies: Vec<Tally<'_>>) -> SessionAggregates {
    // Every result stored counts here, held back or not: a count of people
    // says nothing about anyone's answers.
    let participants = tallies
        .iter()
        .map(|t| t.counted + t.held_back)
        .max()
        .unwrap_or(0);
    let rubrics = tallies
        .into_iter()
        .map(|tally| tally.finish(session))
        .collect();
    SessionAggregates {
        session: session.id,
        participants,
        rubrics,
    }
}

/// Counts of one rubric while the rows stream by.
struct Tally<'r> {
    rubric_id: &'r str,
    rubric: Option<Rubric<'r>>,
    counted: usize,
    not_counted: usize,
    /// How many rows may be looked at (`None`: all), and how many were
    /// held back past it (counted in `have`, never in the figures).
    allowance: Option<usize>,
    held_back: usize,
    /// Per dimension: one counter per bin (bands by global band index plus
    /// one for "outside", or ten percent bins).
    dims: Vec<Vec<usize>>,
    /// Per dimension: whether it has bands.
    banded: Vec<bool>,
    /// Per band, then per outcome, then one for undetermined.
    verdicts: Vec<usize>,
    /// Per outcome, then one for not determined.
    top_outcomes: Vec<usize>,
}

impl<'r> Tally<'r> {
    fn new(rubric_id: &'r str, rubric: Option<Rubric<'r>>) -> Self {
        let (bands, outcomes, dims) = rubric.map_or((0, 0, 0), |r| {
            (r.bands.len(), r.outcomes.len(), r.dimensions.len())
        });
        // Room for any band index, the "outside" slot, or ten percent bins.
        let per_dim = (bands + 1).max(10);
        let banded = rubric.map_or(Vec::new(), |r| {
            (0..dims)
                .map(|d| {
                    r.bands
                        .iter()
                        .any(|band| band.scope == BandScope::Dimension(d as u8))
                })
                .collect()
        });
        Tally {
            rubric_id,
            rubric,
            counted: 0,
            not_counted: 0,
            allowance: None,
            held_back: 0,
            dims: vec![vec![0; per_dim]; dims],
            banded,
            verdicts: vec![0; bands + outcomes + 2],
            top_outcomes: vec![0; outcomes + 1],
        }
    }

    fn add(&mut self, version: u16, blob: &[u8]) {
        if let Some(allowance) = self.allowance {
            if self.counted + self.not_counted + self.held_back >= allowance {
                self.held_back += 1;
                return;
            }
        }
        let Some(rubric) = self.rubric else {
            self.not_counted += 1;
            return;
        };
        let result = match ScoreResult::decode(blob) {
            Ok(result)
                if version == rubric.version && result.dimensions.len() == self.dims.len() =>
            {
                result
            }
            _ => {
                self.not_counted += 1;
                return;
            }
        };
        let bands = rubric.bands.len();
        let dims = self.dims.iter_mut().zip(&self.banded);
        for ((bins, banded), score) in dims.zip(result.dimensions.iter()) {
            let bin = match score.band {
                Some(band) if *banded && usize::from(band) < bands => usize::from(band),
                // No band: the "outside" slot when banded, else a percent bin.
                _ if *banded => bands,
                _ => usize::from(score.percent.min(99) / 10),
            };
            if let Some(slot) = bins.get_mut(bin) {
                *slot += 1;
            }
        }
        let outcomes = rubric.outcomes.len();
        let verdict = match result.verdict {
            Verdict::Band(i) if usize::from(i) < bands => usize::from(i),
            Verdict::Held { band: i, .. } if usize::from(i) < bands => usize::from(i),
            Verdict::Outcome(i) if usize::from(i) < outcomes => bands + usize::from(i),
            Verdict::Tied(_) => bands + outcomes + 1,
            _ => bands + outcomes,
        };
        self.verdicts[verdict] += 1;
        if outcomes > 0 {
            let top = result
                .outcomes
                .iter()
                .find(|fit| fit.rank == 1 && fit.received > 0)
                .map_or(outcomes, |fit| usize::from(fit.outcome).min(outcomes));
            self.top_outcomes[top] += 1;
        }
        self.counted += 1;
    }

    fn finish(self, session: &Session) -> RubricAggregate {
        let need = usize::try_from(session.min_group).unwrap_or(usize::MAX);
        let Some(rubric) = self.rubric else {
            return RubricAggregate {
                rubric_id: self.rubric_id.to_string(),
                title: self.rubric_id.to_string(),
                not_counted: self.not_counted,
                waiting: self.held_back,
                figures: GroupFigures::NotInLibrary,
            };
        };
        let have = self.counted + self.held_back;
        let figures = if !session.group_results_released() {
            GroupFigures::NotRevealed { have }
        } else if self.counted < need {
            GroupFigures::TooFew { have, need }
        } else {
            GroupFigures::Shown(self.figures(&rubric))
        };
        RubricAggregate {
            rubric_id: rubric.id.to_string(),
            title: rubric.title.to_string(),
            not_counted: self.not_counted,
            waiting: self.held_back,
            figures,
        }
    }

    fn figures(&self, rubric: &Rubric<'_>) -> RubricFigures {
        let dimensions = rubric
            .dimensions
            .iter()
            .enumerate()
            .zip(&self.dims)
            .map(|((d, dim), counts)| {
                let scale = match dim.band_on {
                    BandOn::Value => BinScale::Value,
                    BandOn::Percent => BinScale::Percent,
                };
                let mut bins: Vec<Bin> = rubric
                    .bands
                    .iter()
                    .enumerate()
                    .filter(|(_, band)| band.scope == BandScope::Dimension(d as u8))
                    .map(|(i, band)| Bin {
                        band_id: Some(band.id.to_string()),
                        label: band.label.to_string(),
                        lo: band.lo,
                        hi: band.hi,
                        scale,
                        count: counts[i],
                    })
                    .collect();
                if bins.is_empty() {
                    bins = (0..10u32)
                        .map(|b| {
                            let (lo, hi) = (b * 10, if b == 9 { 100 } else { b * 10 + 9 });
                            Bin {
                                band_id: None,
                                label: format!("{lo}-{hi} %"),
                                lo,
                                hi,
                                scale: BinScale::Percent,
                                count: counts[b as usize],
                            }
                        })
                        .collect();
                } else if counts[rubric.bands.len()] > 0 {
                    bins.push(Bin {
                        band_id: None,
                        label: OUTSIDE_BANDS.to_string(),
                        lo: 0,
                        hi: 0,
                        scale,
                        count: counts[rubric.bands.len()],
                    });
                }
                DimensionHistogram {
                    id: dim.id.to_string(),
                    title: dim.title.to_string(),
                    bins,
                }
            })
            .collect();
        RubricFigures {
            results: self.counted,
            dimensions,
            verdicts: self.verdicts(rubric),
            archetypes: self.archetypes(rubric),
        }
    }

    fn verdicts(&self, rubric: &Rubric<'_>) -> Vec<LabelledCount> {
        let bands = rubric.bands.len();
        let possible_band = |scope: BandScope| match rubric.verdict_rule {
            VerdictRule::Dimension(d) | VerdictRule::DimensionWithFloor { dimension: d, .. } => {
                scope == BandScope::Dimension(d)
            }
            VerdictRule::Grid { .. } => scope == BandScope::Verdict,
            _ => false,
        };
        let mut out: Vec<LabelledCount> = rubric
            .bands
            .iter()
            .enumerate()
            .filter(|(i, band)| possible_band(band.scope) || self.verdicts[*i] > 0)
            .map(|(i, band)| LabelledCount {
                id: Some(band.id.to_string()),
                label: band.label.to_string(),
                count: self.verdicts[i],
            })
            .collect();
        let top_outcome = matches!(
            rubric.verdict_rule,
            VerdictRule::TopOutcome | VerdictRule::TopOutcomeWithFallback { .. }
        );
        out.extend(
            rubric
                .outcomes
                .iter()
                .enumerate()
                .filter(|(i, _)| top_outcome || self.verdicts[bands + i] > 0)
                .map(|(i, outcome)| LabelledCount {
                    id: Some(outcome.id.to_string()),
                    label: outcome.title.to_string(),
                    count: self.verdicts[bands + i],
                }),
        );
        let mixed = self.verdicts[bands + rubric.outcomes.len() + 1];
        if mixed > 0 {
            out.push(LabelledCount {
                id: Some(MIXED_ID.to_string()),
                label: MIXED_PROFILE.to_string(),
                count: mixed,
            });
        }
        let undetermined = self.verdicts[bands + rubric.outcomes.len()];
        if undetermined > 0 {
            out.push(LabelledCount {
                id: None,
                label: NOT_DETERMINED.to_string(),
                count: undetermined,
            });
        }
        out
    }

    fn archetypes(&self, rubric: &Rubric<'_>) -> Vec<LabelledCount> {
        let outcomes = rubric.outcomes.len();
        if outcomes == 0 {
            return Vec::new();
        }
        let mut out: Vec<LabelledCount> = rubric
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, outcome)| LabelledCount {
                id: Some(outcome.id.to_string()),
                label: outcome.title.to_string(),
                count: self.top_outcomes[i],
            })
            .collect();
        if self.top_outcomes[outcomes] > 0 {
            out.push(LabelledCount {
                id: None,
                label: NOT_DETERMINED.to_string(),
                count: self.top_outcomes[outcomes],
            });
        }
        out
    }
}
