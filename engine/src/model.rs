//! The rubric model as it is stored in a bundle payload.
//!
//! Every text borrows from the bundle bytes and every list is a lazily decoded
//! [`Seq`], so a decoded rubric costs a few dozen bytes of RAM whatever its
//! size. References between parts of a rubric are indices (`u8`), checked by
//! [`crate::validate`]. Ids are kept for people and for the host: results name
//! bands and outcomes by index, and the host maps them back to ids.

use serde::{Deserialize, Serialize};

use crate::seq::Seq;

/// Reads a text. Postcard writes a `str` and a byte string alike (a length,
/// then the bytes), so a text is read as bytes and only a non-empty one is
/// checked as UTF-8: the structure of a version 3 bundle holds every text
/// empty, and a check per empty text was a measured share of its decoding.
fn text<'de: 'a, 'a, D: serde::Deserializer<'de>>(deserializer: D) -> Result<&'a str, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = &'de str;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a text")
        }
        fn visit_borrowed_bytes<E: serde::de::Error>(self, v: &'de [u8]) -> Result<&'de str, E> {
            if v.is_empty() {
                return Ok("");
            }
            core::str::from_utf8(v)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(v), &self))
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<&'de str, E> {
            Ok(v)
        }
    }
    deserializer.deserialize_bytes(Text)
}

/// The whole payload of a bundle: one or more rubrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundlePayload<'a> {
    /// The rubrics, in the order the author listed them.
    #[serde(borrow)]
    pub rubrics: Seq<'a, Rubric<'a>>,
}

/// What a rubric is for; the kiosk groups its home screen by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Category {
    /// A self-assessment of one's own practice.
    SelfAssessment,
    /// Which archetype fits best.
    ArchetypeFit,
    /// For managers about the people they sponsor.
    ForManagers,
    /// About the organisation rather than the person.
    AboutOrganisation,
}

/// One rubric: a questionnaire with its scoring rules and interpretations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric<'a> {
    /// Stable id, unique in the bundle (lowercase letters, digits, `-`).
    pub id: &'a str,
    /// Author-assigned version; results record it.
    pub version: u16,
    /// Grouping on the home screen.
    pub category: Category,
    /// Estimated minutes to complete.
    pub minutes: u8,
    /// Display title.
    #[serde(deserialize_with = "text")]
    pub title: &'a str,
    /// One-line purpose.
    #[serde(deserialize_with = "text")]
    pub summary: &'a str,
    /// What the rubric measures and how to read it.
    #[serde(deserialize_with = "text")]
    pub intro: &'a str,
    /// Context caveats that apply to every result.
    #[serde(borrow)]
    pub caveats: Seq<'a, Caveat<'a>>,
    /// Sections, in order.
    #[serde(borrow)]
    pub sections: Seq<'a, Section<'a>>,
    /// Items, in the order they are asked.
    #[serde(borrow)]
    pub items: Seq<'a, Item<'a>>,
    /// Scored dimensions.
    #[serde(borrow)]
    pub dimensions: Seq<'a, Dimension<'a>>,
    /// Outcomes (archetypes) for fit rubrics.
    #[serde(borrow)]
    pub outcomes: Seq<'a, Outcome<'a>>,
    /// Bands of every dimension, and verdict-only bands.
    #[serde(borrow)]
    pub bands: Seq<'a, Band<'a>>,
    /// How the verdict is chosen (see [`crate::score::Verdict`] for the verdict reached).
    #[serde(borrow)]
    pub verdict_rule: VerdictRule<'a>,
}

/// Which context a caveat is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CaveatKind {
    /// A company with few engineers.
    SmallCompany,
    /// A company in crisis.
    CompanyOnFire,
    /// Time spent at the current level.
    TimeInLevel,
    /// Anything else.
    Other,
}

/// A context caveat shown before starting and with the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caveat<'a> {
    /// What the caveat is about.
    pub kind: CaveatKind,
    /// The caveat in plain words.
    #[serde(deserialize_with = "text")]
    pub text: &'a str,
}

/// A group of items shown together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section<'a> {
    /// Id, unique in the rubric.
    pub id: &'a str,
    /// Heading.
    #[serde(deserialize_with = "text")]
    pub title: &'a str,
    /// Optional introduction (may be empty).
    #[serde(deserialize_with = "text")]
    pub intro: &'a str,
}

/// One question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item<'a> {
    /// Id, unique in the rubric; answer files key answers by it.
    pub id: &'a str,
    /// Index of the section the item belongs to.
    pub section: u8,
    /// The question.
    #[serde(deserialize_with = "text")]
    pub prompt: &'a str,
    /// Optional help text (may be empty).
    #[serde(deserialize_with = "text")]
    pub help: &'a str,
    /// Whether an answer is needed for a complete result (while visible).
    pub required: bool,
    /// When the item is shown: always, or when conditions on earlier answers hold.
    #[serde(borrow)]
    pub show_if: ShowIf<'a>,
    /// What kind of answer the item takes.
    #[serde(borrow)]
    pub kind: ItemKind<'a>,
    /// Contributions of this item's answer to dimensions (scale, yes/no, count).
    #[serde(borrow)]
    pub weights: Seq<'a, Weight>,
}

/// The kinds of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind<'a> {
    /// A level from `min` to `max` inclusive, one descriptor per level.
    Scale {
        /// Lowest level.
        min: u8,
        /// Highest level.
        max: u8,
        /// When true the lowest level scores highest.
        reverse: bool,
        /// One short descriptor per level, lowest first.
        #[serde(borrow)]
        descriptors: Seq<'a, &'a str>,
    },
    /// Yes or no; scores its weights on "yes" (on "no" when `reverse`).
    YesNo {
        /// Score on "no" instead of "yes".
        reverse: bool,
    },
    /// Exactly one option.
    Single {
        /// The options.
        #[serde(borrow)]
        options: Seq<'a, ChoiceOption<'a>>,
    },
    /// Any number of options (including none).
    Multi {
        /// The options.
        #[serde(borrow)]
        options: Seq<'a, ChoiceOption<'a>>,
    },
    /// A whole number in `min..=max`.
    Count {
        /// Smallest allowed value.
        min: u32,
        /// Largest allowed value.
        max: u32,
        /// Unit shown beside the number ("pieces of work").
        #[serde(deserialize_with = "text")]
        unit: &'a str,
    },
    /// Free text, kept with the result by the host, never scored.
    Text,
}

/// One option of a choice item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption<'a> {
    /// Id, unique within the item.
    pub id: &'a str,
    /// What the person sees.
    #[serde(deserialize_with = "text")]
    pub label: &'a str,
    /// What choosing the option contributes.
    #[serde(borrow)]
    pub weights: Seq<'a, Weight>,
}

/// What a weight contributes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// A dimension, by index.
    Dimension(u8),
    /// An outcome, by index.
    Outcome(u8),
}

/// A non-negative contribution toward a dimension or an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weight {
    /// What receives the weight.
    pub target: Target,
    /// How much (0..=[`crate::limits::MAX_WEIGHT`]).
    pub value: u16,
}

/// A test on one earlier answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Index of the earlier item tested.
    pub item: u8,
    /// The test.
    pub test: Test,
}

/// When an item is shown. The first two variants are encoded exactly as the
/// `Option<Condition>` of format versions 1 to 5 was (postcard writes an
/// option's tag and an enum's variant index alike), so older bundles read
/// unchanged; `Any` and `All` were appended in format version 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShowIf<'a> {
    /// Always shown.
    Always,
    /// Shown while this condition holds.
    When(Condition),
    /// Shown while at least one of these conditions holds.
    #[serde(borrow)]
    Any(Seq<'a, Condition>),
    /// Shown while every one of these conditions holds.
    #[serde(borrow)]
    All(Seq<'a, Condition>),
}

impl ShowIf<'_> {
    /// Whether the item has no condition.
    pub const fn is_always(&self) -> bool {
        matches!(self, ShowIf::Always)
    }

    /// Calls `f` for each condition, in order (none for [`ShowIf::Always`]).
    pub fn for_each(&self, mut f: impl FnMut(&Condition)) {
        match self {
            ShowIf::Always => {}
            ShowIf::When(c) => f(c),
            ShowIf::Any(list) | ShowIf::All(list) => list.iter().for_each(|c| f(&c)),
        }
    }
}

/// What a [`Condition`] checks. A hidden or unanswered item fails every test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Test {
    /// The item has any answer.
    Answered,
    /// A yes/no item was answered yes.
    IsYes,
    /// A yes/no item was answered no.
    IsNo,
    /// A choice item has this option (by index) chosen.
    Chosen(u8),
    /// A scale or count answer is at least this.
    AtLeast(u32),
    /// A scale or count answer is at most this.
    AtMost(u32),
}

/// How a dimension's value is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// Sum of the weights the answers give it; maximum is what the visible items could give.
    WeightedSum,
    /// Number of yes/no items of a section answered yes (or no, for reversed items).
    YesCount {
        /// Index of the section.
        section: u8,
    },
    /// Share of one count in the total of two: `part / (part + rest)`.
    Ratio {
        /// Index of the count item whose share is measured.
        part: u8,
        /// Index of the other count item.
        rest: u8,
    },
}

/// Whether bands of a dimension read its raw value or its percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BandOn {
    /// The raw value, from 0 to the dimension's largest possible value.
    Value,
    /// The percentage, from 0 to 100.
    Percent,
}

/// Something that gets scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension<'a> {
    /// Id, unique among dimensions.
    pub id: &'a str,
    /// Display title.
    #[serde(deserialize_with = "text")]
    pub title: &'a str,
    /// What it measures.
    #[serde(deserialize_with = "text")]
    pub description: &'a str,
    /// How its value is computed.
    pub rule: Rule,
    /// What its bands read.
    pub band_on: BandOn,
}

/// A possible outcome of a fit rubric (an archetype).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome<'a> {
    /// Id, unique among outcomes.
    pub id: &'a str,
    /// Display title.
    #[serde(deserialize_with = "text")]
    pub title: &'a str,
    /// What it means.
    #[serde(deserialize_with = "text")]
    pub description: &'a str,
}

/// What a band belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BandScope {
    /// A range of a dimension (by index).
    Dimension(u8),
    /// A verdict chosen by a [`VerdictRule::Grid`]; its range is unused.
    Verdict,
    /// The label, explanation and actions of an outcome (by index), used
    /// when the verdict is that outcome; its range is unused (0..=0).
    /// Appended in format version 2: postcard numbers variants by position.
    Outcome(u8),
    /// What a mixed profile (a tie of outcomes) says, in a top-outcome
    /// rubric: its explanation opens the tie's text, its label heads it.
    /// Its range is unused (0..=0). Appended in format version 6.
    Tie,
}

/// When a suggested action is meant to happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Horizon {
    /// Now, or whenever it fits.
    Now,
    /// This week.
    Week,
    /// This month.
    Month,
    /// This quarter.
    Quarter,
}

/// A concrete suggested action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action<'a> {
    /// When to do it.
    pub horizon: Horizon,
    /// What to do.
    #[serde(deserialize_with = "text")]
    pub text: &'a str,
}

/// A labelled range of a dimension, or a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band<'a> {
    /// Id, unique among the bands of the rubric; verdicts are reported by it.
    pub id: &'a str,
    /// What the band belongs to.
    pub scope: BandScope,
    /// Lowest value in the band (inclusive).
    pub lo: u32,
    /// Highest value in the band (inclusive).
    pub hi: u32,
    /// Label shown as the band's heading.
    #[serde(deserialize_with = "text")]
    pub label: &'a str,
    /// What it means.
    #[serde(deserialize_with = "text")]
    pub explanation: &'a str,
    /// What to try next.
    #[serde(borrow)]
    pub actions: Seq<'a, Action<'a>>,
}

/// How the verdict of a result is chosen: the rule, not the verdict a result
/// reached (that is [`crate::score::Verdict`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerdictRule<'a> {
    /// The band of one dimension.
    Dimension(u8),
    /// The best-fitting outcome.
    TopOutcome,
    /// A verdict band chosen by the bands of two dimensions together.
    Grid {
        /// First dimension.
        x: u8,
        /// Second dimension.
        y: u8,
        /// One cell per pair of bands of `x` and `y`.
        #[serde(borrow)]
        cells: Seq<'a, GridCell>,
    },
    /// The band of one dimension, held down to at most band `at_most` (a
    /// band of the same dimension) while any other banded dimension scores
    /// below `below_percent`. Appended in format version 2.
    DimensionWithFloor {
        /// The dimension whose band is the verdict.
        dimension: u8,
        /// A percentage (0..=100); another banded dimension below it holds the verdict back.
        below_percent: u8,
        /// The highest band of `dimension` the verdict may reach while held back.
        at_most: u8,
    },
    /// The best-fitting outcome, where outcome `fallback` (such as "no clear
    /// pattern") is the verdict only when it fits best alone: when it shares
    /// the best fit with other outcomes, those others are the verdict.
    /// Appended in format version 4.
    TopOutcomeWithFallback {
        /// The outcome that wins only alone.
        fallback: u8,
    },
}

/// One cell of a [`VerdictRule::Grid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCell {
    /// A band of the grid's `x` dimension.
    pub x_band: u8,
    /// A band of the grid's `y` dimension.
    pub y_band: u8,
    /// The verdict band chosen (scope [`BandScope::Verdict`]).
    pub verdict: u8,
}

impl<'a> Rubric<'a> {
    /// The item at `index`.
    pub fn item(&self, index: usize) -> Option<Item<'a>> {
        self.items.get(index)
    }

    /// Index of the item with this id.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|item| item.id == id)
    }

    /// The band at `index`.
    pub fn band(&self, index: usize) -> Option<Band<'a>> {
        self.bands.get(index)
    }
}

impl<'a> ItemKind<'a> {
    /// The options of a choice item (empty for other kinds).
    pub fn options(&self) -> Seq<'a, ChoiceOption<'a>> {
        match *self {
            ItemKind::Single { options } | ItemKind::Multi { options } => options,
            _ => Seq::EMPTY,
        }
    }

    /// A short lowercase name of the kind ("scale", "yes-no", ...).
    pub const fn name(&self) -> &'static str {
        match self {
            ItemKind::Scale { .. } => "scale",
            ItemKind::YesNo { .. } => "yes-no",
            ItemKind::Single { .. } => "single",
            ItemKind::Multi { .. } => "multi",
            ItemKind::Count { .. } => "count",
            ItemKind::Text => "text",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, Section};

    fn section_bytes(title: &[u8]) -> [u8; 64] {
        // id "s", then the title as raw bytes, then an empty intro.
        let mut out = [0u8; 64];
        out[..2].copy_from_slice(&[1, b's']);
        out[2] = title.len() as u8;
        out[3..3 + title.len()].copy_from_slice(title);
        out
    }

    #[test]
    fn texts_are_read_as_postcard_wrote_them() {
        let bytes = section_bytes("Ünïcode ✓".as_bytes());
        let (section, _) = postcard::take_from_bytes::<Section<'_>>(&bytes).unwrap();
        assert_eq!(
            (section.id, section.title, section.intro),
            ("s", "Ünïcode ✓", "")
        );

        let empty = section_bytes(b"");
        let (section, _) = postcard::take_from_bytes::<Section<'_>>(&empty).unwrap();
        assert_eq!(section.title, "");

        let outcome = Outcome {
            id: "o",
            title: "",
            description: "Plain words",
        };
        let encoded = postcard::to_slice(&outcome, &mut [0u8; 32])
            .unwrap()
            .to_vec();
        assert_eq!(
            postcard::from_bytes::<Outcome<'_>>(&encoded).unwrap(),
            outcome
        );
    }

    #[test]
    fn a_text_that_is_not_utf8_is_refused() {
        for bad in [&[0xFF][..], &[b'a', 0xC3][..], &[0xE2, 0x9C][..]] {
            let bytes = section_bytes(bad);
            assert!(
                postcard::take_from_bytes::<Section<'_>>(&bytes).is_err(),
                "{bad:?}"
            );
        }
    }
}
