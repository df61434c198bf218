//! Coverage of a rubric's rules: which bands, verdicts and outcomes some
//! complete set of answers reaches.
//!
//! Authors make two mistakes no compiler error catches: a band that no
//! answers can ever reach (its range lies outside what the items can give,
//! or another band always wins), and two outcomes the rules never tell
//! apart (wherever one fits best, so does the other). [`coverage`] finds
//! both by scoring answer sets with the engine itself: every complete answer
//! set when there are few enough ([`Walk::Exhaustive`]), a large
//! deterministic random sample otherwise ([`Walk::Sampled`]). A band missed
//! by a sample is "not reached in N answer sets", not proven unreachable;
//! the report says which walk was made.

use rubric_engine::codec::expand_bundle;
use rubric_engine::model::{BandScope, ItemKind, Rubric};
use rubric_engine::{score, Answer, Answers, Bundle, Verdict};
use serde::Serialize;

use crate::compile::{bundle_bytes, compile, CompileError, Source};

/// How many answer sets to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Walk every complete answer set when there are at most this many.
    pub exhaustive_up_to: u64,
    /// Otherwise score this many random answer sets.
    pub samples: u64,
}

impl Default for Budget {
    /// The command line's budget: a second or two per rubric in a release build.
    fn default() -> Self {
        Budget {
            exhaustive_up_to: 200_000,
            samples: 100_000,
        }
    }
}

/// Which answer sets were scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "walk", rename_all = "snake_case")]
pub enum Walk {
    /// Every complete answer set: a band not reached cannot be reached.
    Exhaustive {
        /// How many there are.
        answer_sets: u64,
    },
    /// A random sample: a band not reached was not found, not proven unreachable.
    Sampled {
        /// How many were scored.
        answer_sets: u64,
        /// How many complete answer sets there are (saturated at `u64::MAX`).
        space: u64,
    },
}

/// What a band belongs to, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "of", content = "id", rename_all = "snake_case")]
pub enum BandOwner {
    /// A band of this dimension.
    Dimension(String),
    /// A verdict band chosen by the rubric's verdict rule.
    Verdict,
    /// The texts of this outcome.
    Outcome(String),
    /// The texts of a tie of outcomes (a mixed profile).
    Tie,
}

/// One band and how often the answer sets reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandReach {
    /// The band's id.
    pub id: String,
    /// The band's label (empty in a bundle without texts).
    pub label: String,
    /// What the band belongs to.
    pub owner: BandOwner,
    /// Answer sets that reached it (as a dimension's band or as the verdict).
    pub reached: u64,
}

/// Two outcomes the rules never tell apart: in every scored answer set where
/// one of them is among the best fits, the other is too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeverApart {
    /// The first outcome's id.
    pub first: String,
    /// The second outcome's id.
    pub second: String,
}

/// The coverage of one rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The rubric's id.
    pub rubric: String,
    /// Which answer sets were scored.
    #[serde(flatten)]
    pub walk: Walk,
    /// Every band of the rubric, in declaration order.
    pub bands: Vec<BandReach>,
    /// Answer sets whose verdict was a tie of outcomes (a mixed profile).
    pub ties: u64,
    /// Answer sets with no verdict.
    pub undetermined: u64,
    /// Outcome pairs never told apart.
    pub never_apart: Vec<NeverApart>,
}

impl Coverage {
    /// The bands no scored answer set reached.
    pub fn unreached(&self) -> impl Iterator<Item = &BandReach> {
        self.bands.iter().filter(|band| band.reached == 0)
    }

    /// True when some band was not reached or two outcomes were never told apart.
    pub fn has_problems(&self) -> bool {
        self.unreached().next().is_some() || !self.never_apart.is_empty()
    }
}

/// Compiles `sources` and reports the coverage of each of their rubrics, in order.
pub fn check(sources: &[Source], budget: Budget) -> Result<Vec<Coverage>, CompileError> {
    let payload = compile(sources)?;
    let bytes = bundle_bytes(&payload, None).map_err(CompileError::Encode)?;
    let inline = expand_bundle(&bytes).map_err(CompileError::Refused)?;
    let bundle = Bundle::decode(&inline).map_err(CompileError::Refused)?;
    Ok(bundle
        .rubrics()
        .map(|rubric| coverage(&rubric, budget))
        .collect())
}

/// Scores answer sets of `rubric` within `budget` and reports what they reached.
pub fn coverage(rubric: &Rubric<'_>, budget: Budget) -> Coverage {
    let choices: Vec<Choices> = rubric.items.iter().map(|item| Choices::of(&item)).collect();
    let space = choices
        .iter()
        .try_fold(1u64, |n, c| n.checked_mul(c.len()))
        .unwrap_or(u64::MAX);
    let mut tally = Tally::new(rubric);
    let walk = if space <= budget.exhaustive_up_to {
        let mut position = vec![0u64; choices.len()];
        loop {
            tally.add(rubric, &answers_at(&choices, &position));
            if !advance(&mut position, &choices) {
                break;
            }
        }
        Walk::Exhaustive { answer_sets: space }
    } else {
        let mut rng = SplitMix::new(seed(rubric.id));
        for _ in 0..budget.samples {
            tally.add(rubric, &random_answers(&choices, &mut rng));
        }
        Walk::Sampled {
            answer_sets: budget.samples,
            space,
        }
    };
    tally.finish(rubric, walk)
}

/// Counts of what the scored answer sets reached.
struct Tally {
    bands: Vec<u64>,
    ties: u64,
    undetermined: u64,
    /// `together[a]`: the outcomes that were among the best fits every time `a` was.
    together: Vec<u16>,
}

impl Tally {
    fn new(rubric: &Rubric<'_>) -> Self {
        let outcomes = rubric.outcomes.len().min(16);
        Tally {
            bands: vec![0; rubric.bands.len()],
            ties: 0,
            undetermined: 0,
            together: vec![u16::MAX; outcomes],
        }
    }

    fn add(&mut self, rubric: &Rubric<'_>, answers: &Answers) {
        let result = score(rubric, answers);
        if !result.complete {
            return;
        }
        // A band counts once per answer set, even when it is both a
        // dimension's band and the verdict (at most 64 bands: the limit).
        let mut hit: u64 = 0;
        let mut count_band = |band: u8| hit |= 1u64.checked_shl(u32::from(band)).unwrap_or(0);
        for dimension in &result.dimensions {
            if let Some(band) = dimension.band {
                count_band(band);
            }
        }
        let best = match result.verdict {
            Verdict::Band(band) | Verdict::Held { band, .. } => {
                count_band(band);
                0
            }
            Verdict::Outcome(outcome) => {
                let texts = rubric
                    .bands
                    .iter()
                    .position(|band| band.scope == BandScope::Outcome(outcome));
                if let Some(band) = texts {
                    count_band(band as u8);
                }
                1u16.checked_shl(u32::from(outcome)).unwrap_or(0)
            }
            Verdict::Tied(mask) => {
                self.ties += 1;
                let texts = rubric
                    .bands
                    .iter()
                    .position(|band| band.scope == BandScope::Tie);
                if let Some(band) = texts {
                    count_band(band as u8);
                }
                mask
            }
            Verdict::Undetermined => {
                self.undetermined += 1;
                0
            }
        };
        for (band, count) in self.bands.iter_mut().enumerate().take(64) {
            if hit & (1 << band) != 0 {
                *count += 1;
            }
        }
        for (outcome, together) in self.together.iter_mut().enumerate() {
            if best & (1 << outcome) != 0 {
                *together &= best;
            }
        }
    }

    fn finish(self, rubric: &Rubric<'_>, walk: Walk) -> Coverage {
        let bands = rubric
            .bands
            .iter()
            .zip(&self.bands)
            .map(|(band, &reached)| BandReach {
                id: band.id.to_owned(),
                label: band.label.to_owned(),
                owner: match band.scope {
                    BandScope::Dimension(d) => BandOwner::Dimension(
                        rubric
                            .dimensions
                            .get(usize::from(d))
                            .map_or_else(String::new, |dim| dim.id.to_owned()),
                    ),
                    BandScope::Verdict => BandOwner::Verdict,
                    BandScope::Tie => BandOwner::Tie,
                    BandScope::Outcome(o) => BandOwner::Outcome(
                        rubric
                            .outcomes
                            .get(usize::from(o))
                            .map_or_else(String::new, |out| out.id.to_owned()),
                    ),
                },
                reached,
            })
            .collect();
        let mut never_apart = Vec::new();
        let outcomes: Vec<&str> = rubric.outcomes.iter().map(|o| o.id).collect();
        for a in 0..self.together.len() {
            for b in a + 1..self.together.len() {
                // Both were among the best fits at least once (a mask of all
                // ones means never), and always together.
                let seen = self.together[a] != u16::MAX && self.together[b] != u16::MAX;
                if seen && self.together[a] & (1 << b) != 0 && self.together[b] & (1 << a) != 0 {
                    never_apart.push(NeverApart {
                        first: outcomes[a].to_owned(),
                        second: outcomes[b].to_owned(),
                    });
                }
            }
        }
        Coverage {
            rubric: rubric.id.to_owned(),
            walk,
            bands,
            ties: self.ties,
            undetermined: self.undetermined,
            never_apart,
        }
    }
}

/// The answers an item can take in a complete answer set: every level,
/// option, subset of options or number, and "unanswered" when it is optional.
struct Choices {
    listed: Vec<Answer>,
    /// A count's range, `min..=max`, instead of a list (which could be billions long).
    range: Option<(u32, u32)>,
    optional: bool,
}

impl Choices {
    fn of(item: &rubric_engine::model::Item<'_>) -> Self {
        let mut range = None;
        let listed = match item.kind {
            ItemKind::Scale { min, max, .. } => (min..=max).map(Answer::Level).collect(),
            ItemKind::YesNo { .. } => vec![Answer::YesNo(false), Answer::YesNo(true)],
            ItemKind::Single { options } => (0..options.len() as u8).map(Answer::Choice).collect(),
            ItemKind::Multi { options } => {
                let masks = 1u32 << options.len().min(16);
                (0..masks)
                    .map(|mask| Answer::Choices(mask as u16))
                    .collect()
            }
            ItemKind::Count { min, max, .. } => {
                range = Some((min, max));
                Vec::new()
            }
            ItemKind::Text => vec![Answer::Text],
        };
        Choices {
            listed,
            range,
            optional: !item.required,
        }
    }

    fn len(&self) -> u64 {
        let answered = match self.range {
            Some((min, max)) => u64::from(max.saturating_sub(min)) + 1,
            None => self.listed.len() as u64,
        };
        answered + u64::from(self.optional)
    }

    /// The answer at `index` (below [`Choices::len`]); "unanswered" is last.
    fn at(&self, index: u64) -> Answer {
        match self.range {
            Some((min, max)) if index <= u64::from(max.saturating_sub(min)) => {
                Answer::Count(min.saturating_add(index as u32))
            }
            Some(_) => Answer::Unanswered,
            None => self
                .listed
                .get(index as usize)
                .copied()
                .unwrap_or(Answer::Unanswered),
        }
    }

    /// A random answer. Counts are drawn half the time from the low end
    /// (most real answers are small numbers, and the share of one count in
    /// two then covers the whole range), otherwise anywhere in their range.
    fn random(&self, rng: &mut SplitMix) -> Answer {
        match self.range {
            Some((min, max)) => {
                if self.optional && rng.below(8) == 0 {
                    return Answer::Unanswered;
                }
                let full = u64::from(max.saturating_sub(min));
                let span = if rng.below(2) == 0 {
                    full.min(40)
                } else {
                    full
                };
                Answer::Count(min.saturating_add(rng.below(span + 1) as u32))
            }
            None => self.at(rng.below(self.len())),
        }
    }
}

fn answers_at(choices: &[Choices], position: &[u64]) -> Answers {
    let mut answers = Answers::new(choices.len());
    for (index, (options, &at)) in choices.iter().zip(position).enumerate() {
        let _ = answers.set(index, options.at(at));
    }
    answers
}

/// The next position of the odometer; false after the last.
fn advance(position: &mut [u64], choices: &[Choices]) -> bool {
    for (at, options) in position.iter_mut().zip(choices).rev() {
        *at += 1;
        if *at < options.len() {
            return true;
        }
        *at = 0;
    }
    false
}

fn random_answers(choices: &[Choices], rng: &mut SplitMix) -> Answers {
    let mut answers = Answers::new(choices.len());
    for (index, options) in choices.iter().enumerate() {
        let _ = answers.set(index, options.random(rng));
    }
    answers
}

/// A seed from the rubric's id, so a check gives the same result every run.
fn seed(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64: small, fast and good enough to spread samples; not for secrets.
struct SplitMix(u64);

impl SplitMix {
    fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
