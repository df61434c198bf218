//! Owned mirror of the model (feature `alloc`): what host tools build, encode
//! into bundle payloads, and exchange as JSON.
//!
//! [`Rubric::encode`] produces exactly the bytes the borrowed
//! [`crate::model::Rubric`] decodes, because it serialises through the
//! borrowed types themselves.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::model::{
    self, BandOn, BandScope, Category, CaveatKind, Condition, GridCell, Horizon, Rule, Weight,
};
use crate::seq::{encode_seq, Seq};

type EncodeResult = Result<Vec<u8>, postcard::Error>;

/// Builds `Seq` bytes from already-encoded elements.
fn seq_of_encoded(parts: Vec<Vec<u8>>) -> EncodeResult {
    let count =
        u16::try_from(parts.len()).map_err(|_| postcard::Error::SerializeSeqLengthUnknown)?;
    let mut out = postcard::to_allocvec(&count)?;
    for part in parts {
        out.extend_from_slice(&part);
    }
    Ok(out)
}

fn encode_all<T>(items: &[T], encode: impl Fn(&T) -> EncodeResult) -> EncodeResult {
    seq_of_encoded(items.iter().map(encode).collect::<Result<Vec<_>, _>>()?)
}

/// Owned [`model::BundlePayload`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BundlePayload {
    /// The rubrics.
    pub rubrics: Vec<Rubric>,
}

impl BundlePayload {
    /// Encodes the payload as postcard bytes.
    pub fn encode(&self) -> EncodeResult {
        let rubrics = encode_all(&self.rubrics, Rubric::encode)?;
        postcard::to_allocvec(&model::BundlePayload {
            rubrics: Seq::from_raw(&rubrics),
        })
    }

    /// Copies a borrowed payload.
    pub fn from_view(view: &model::BundlePayload<'_>) -> Self {
        BundlePayload {
            rubrics: view.rubrics.iter().map(|r| Rubric::from_view(&r)).collect(),
        }
    }
}

/// Owned [`model::Rubric`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Rubric {
    pub id: String,
    pub version: u16,
    pub category: Category,
    pub minutes: u8,
    pub title: String,
    pub summary: String,
    pub intro: String,
    pub caveats: Vec<Caveat>,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    pub dimensions: Vec<Dimension>,
    pub outcomes: Vec<Outcome>,
    pub bands: Vec<Band>,
    pub verdict_rule: VerdictRule,
}

/// Owned [`model::Caveat`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Caveat {
    pub kind: CaveatKind,
    pub text: String,
}

/// Owned [`model::Section`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub intro: String,
}

/// Owned [`model::Item`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Item {
    pub id: String,
    pub section: u8,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub show_if: ShowIf,
    pub kind: ItemKind,
    pub weights: Vec<Weight>,
}

/// Owned [`model::ShowIf`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum ShowIf {
    #[default]
    Always,
    When(Condition),
    Any(Vec<Condition>),
    All(Vec<Condition>),
}

impl ShowIf {
    /// Copies a borrowed condition.
    pub fn from_view(show_if: &model::ShowIf<'_>) -> Self {
        match show_if {
            model::ShowIf::Always => ShowIf::Always,
            model::ShowIf::When(c) => ShowIf::When(*c),
            model::ShowIf::Any(list) => ShowIf::Any(list.iter().collect()),
            model::ShowIf::All(list) => ShowIf::All(list.iter().collect()),
        }
    }

    /// Whether it uses an `any` or `all` list (format version 6).
    pub fn is_list(&self) -> bool {
        matches!(self, ShowIf::Any(_) | ShowIf::All(_))
    }
}

/// Owned [`model::ItemKind`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum ItemKind {
    Scale {
        min: u8,
        max: u8,
        reverse: bool,
        descriptors: Vec<String>,
    },
    YesNo {
        reverse: bool,
    },
    Single {
        options: Vec<ChoiceOption>,
    },
    Multi {
        options: Vec<ChoiceOption>,
    },
    Count {
        min: u32,
        max: u32,
        unit: String,
    },
    Text,
}

/// Owned [`model::ChoiceOption`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
    pub weights: Vec<Weight>,
}

/// Owned [`model::Dimension`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Dimension {
    pub id: String,
    pub title: String,
    pub description: String,
    pub rule: Rule,
    pub band_on: BandOn,
}

/// Owned [`model::Outcome`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub description: String,
}

/// Owned [`model::Action`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Action {
    pub horizon: Horizon,
    pub text: String,
}

/// Owned [`model::Band`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Band {
    pub id: String,
    pub scope: BandScope,
    pub lo: u32,
    pub hi: u32,
    pub label: String,
    pub explanation: String,
    pub actions: Vec<Action>,
}

/// Owned [`model::VerdictRule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum VerdictRule {
    Dimension(u8),
    TopOutcome,
    Grid {
        x: u8,
        y: u8,
        cells: Vec<GridCell>,
    },
    DimensionWithFloor {
        dimension: u8,
        below_percent: u8,
        at_most: u8,
    },
    TopOutcomeWithFallback {
        fallback: u8,
    },
}

impl Rubric {
    /// Encodes the rubric as the postcard bytes of a [`model::Rubric`].
    pub fn encode(&self) -> EncodeResult {
        let caveats = encode_all(&self.caveats, |c| {
            postcard::to_allocvec(&model::Caveat {
                kind: c.kind,
                text: &c.text,
            })
        })?;
        let sections = encode_all(&self.sections, |s| {
            postcard::to_allocvec(&model::Section {
                id: &s.id,
                title: &s.title,
                intro: &s.intro,
            })
        })?;
        let items = encode_all(&self.items, Item::encode)?;
        let dimensions = encode_all(&self.dimensions, |d| {
            postcard::to_allocvec(&model::Dimension {
                id: &d.id,
                title: &d.title,
                description: &d.description,
                rule: d.rule,
                band_on: d.band_on,
            })
        })?;
        let outcomes = encode_all(&self.outcomes, |o| {
            postcard::to_allocvec(&model::Outcome {
                id: &o.id,
                title: &o.title,
                description: &o.description,
            })
        })?;
        let bands = encode_all(&self.bands, Band::encode)?;
        let cells;
        let verdict_rule = match &self.verdict_rule {
            VerdictRule::Dimension(d) => model::VerdictRule::Dimension(*d),
            VerdictRule::TopOutcome => model::VerdictRule::TopOutcome,
            VerdictRule::TopOutcomeWithFallback { fallback } => {
                model::VerdictRule::TopOutcomeWithFallback {
                    fallback: *fallback,
                }
            }
            VerdictRule::Grid { x, y, cells: c } => {
                cells = encode_seq(c)?;
                model::VerdictRule::Grid {
                    x: *x,
                    y: *y,
                    cells: Seq::from_raw(&cells),
                }
            }
            VerdictRule::DimensionWithFloor {
                dimension,
                below_percent,
                at_most,
            } => model::VerdictRule::DimensionWithFloor {
                dimension: *dimension,
                below_percent: *below_percent,
                at_most: *at_most,
            },
        };
        postcard::to_allocvec(&model::Rubric {
            id: &self.id,
            version: self.version,
            category: self.category,
            minutes: self.minutes,
            title: &self.title,
            summary: &self.summary,
            intro: &self.intro,
            caveats: Seq::from_raw(&caveats),
            sections: Seq::from_raw(&sections),
            items: Seq::from_raw(&items),
            dimensions: Seq::from_raw(&dimensions),
            outcomes: Seq::from_raw(&outcomes),
            bands: Seq::from_raw(&bands),
            verdict_rule,
        })
    }

    /// Copies a borrowed rubric.
    pub fn from_view(r: &model::Rubric<'_>) -> Self {
        Rubric {
            id: r.id.into(),
            version: r.version,
            category: r.category,
            minutes: r.minutes,
            title: r.title.into(),
            summary: r.summary.into(),
            intro: r.intro.into(),
            caveats: r
                .caveats
                .iter()
                .map(|c| Caveat {
                    kind: c.kind,
                    text: c.text.into(),
                })
                .collect(),
            sections: r
                .sections
                .iter()
                .map(|s| Section {
                    id: s.id.into(),
                    title: s.title.into(),
                    intro: s.intro.into(),
                })
                .collect(),
            items: r.items.iter().map(|i| Item::from_view(&i)).collect(),
            dimensions: r
                .dimensions
                .iter()
                .map(|d| Dimension {
                    id: d.id.into(),
                    title: d.title.into(),
                    description: d.description.into(),
                    rule: d.rule,
                    band_on: d.band_on,
                })
                .collect(),
            outcomes: r
                .outcomes
                .iter()
                .map(|o| Outcome {
                    id: o.id.into(),
                    title: o.title.into(),
                    description: o.description.into(),
                })
                .collect(),
            bands: r.bands.iter().map(|b| Band::from_view(&b)).collect(),
            verdict_rule: match r.verdict_rule {
                model::VerdictRule::Dimension(d) => VerdictRule::Dimension(d),
                model::VerdictRule::TopOutcome => VerdictRule::TopOutcome,
                model::VerdictRule::TopOutcomeWithFallback { fallback } => {
                    VerdictRule::TopOutcomeWithFallback { fallback }
                }
                model::VerdictRule::Grid { x, y, cells } => VerdictRule::Grid {
                    x,
                    y,
                    cells: cells.iter().collect(),
                },
                model::VerdictRule::DimensionWithFloor {
                    dimension,
                    below_percent,
                    at_most,
                } => VerdictRule::DimensionWithFloor {
                    dimension,
                    below_percent,
                    at_most,
                },
            },
        }
    }
}

impl Item {
    fn encode(&self) -> EncodeResult {
        let weights = encode_seq(&self.weights)?;
        let conditions;
        let show_if = match &self.show_if {
            ShowIf::Always => model::ShowIf::Always,
            ShowIf::When(c) => model::ShowIf::When(*c),
            ShowIf::Any(list) => {
                conditions = encode_seq(list)?;
                model::ShowIf::Any(Seq::from_raw(&conditions))
            }
            ShowIf::All(list) => {
                conditions = encode_seq(list)?;
                model::ShowIf::All(Seq::from_raw(&conditions))
            }
        };
        let nested;
        let kind = match &self.kind {
            ItemKind::Scale {
                min,
                max,
                reverse,
                descriptors,
            } => {
                let texts: Vec<&str> = descriptors.iter().map(String::as_str).collect();
                nested = encode_seq(&texts)?;
                model::ItemKind::Scale {
                    min: *min,
                    max: *max,
                    reverse: *reverse,
                    descriptors: Seq::from_raw(&nested),
                }
            }
            ItemKind::YesNo { reverse } => model::ItemKind::YesNo { reverse: *reverse },
            ItemKind::Single { options } => {
                nested = encode_all(options, ChoiceOption::encode)?;
                model::ItemKind::Single {
                    options: Seq::from_raw(&nested),
                }
            }
            ItemKind::Multi { options } => {
                nested = encode_all(options, ChoiceOption::encode)?;
                model::ItemKind::Multi {
                    options: Seq::from_raw(&nested),
                }
            }
            ItemKind::Count { min, max, unit } => model::ItemKind::Count {
                min: *min,
                max: *max,
                unit,
            },
            ItemKind::Text => model::ItemKind::Text,
        };
        postcard::to_allocvec(&model::Item {
            id: &self.id,
            section: self.section,
            prompt: &self.prompt,
            help: &self.help,
            required: self.required,
            show_if,
            kind,
            weights: Seq::from_raw(&weights),
        })
    }

    /// Copies a borrowed item.
    pub fn from_view(i: &model::Item<'_>) -> Self {
        let options = |options: Seq<'_, model::ChoiceOption<'_>>| {
            options
                .iter()
                .map(|o| ChoiceOption {
                    id: o.id.into(),
                    label: o.label.into(),
                    weights: o.weights.iter().collect(),
                })
                .collect()
        };
        Item {
            id: i.id.into(),
            section: i.section,
            prompt: i.prompt.into(),
            help: i.help.into(),
            required: i.required,
            show_if: ShowIf::from_view(&i.show_if),
            kind: match i.kind {
                model::ItemKind::Scale {
                    min,
                    max,
                    reverse,
                    descriptors,
                } => ItemKind::Scale {
                    min,
                    max,
                    reverse,
                    descriptors: descriptors.iter().map(String::from).collect(),
                },
                model::ItemKind::YesNo { reverse } => ItemKind::YesNo { reverse },
                model::ItemKind::Single { options: o } => ItemKind::Single {
                    options: options(o),
                },
                model::ItemKind::Multi { options: o } => ItemKind::Multi {
                    options: options(o),
                },
                model::ItemKind::Count { min, max, unit } => ItemKind::Count {
                    min,
                    max,
                    unit: unit.into(),
                },
                model::ItemKind::Text => ItemKind::Text,
            },
            weights: i.weights.iter().collect(),
        }
    }
}

impl ChoiceOption {
    fn encode(&self) -> EncodeResult {
        let weights = encode_seq(&self.weights)?;
        postcard::to_allocvec(&model::ChoiceOption {
            id: &self.id,
            label: &self.label,
            weights: Seq::from_raw(&weights),
        })
    }
}

impl Band {
    fn encode(&self) -> EncodeResult {
        let actions = encode_all(&self.actions, |a| {
            postcard::to_allocvec(&model::Action {
                horizon: a.horizon,
                text: &a.text,
            })
        })?;
        postcard::to_allocvec(&model::Band {
            id: &self.id,
            scope: self.scope,
            lo: self.lo,
            hi: self.hi,
            label: &self.label,
            explanation: &self.explanation,
            actions: Seq::from_raw(&actions),
        })
    }

    /// Copies a borrowed band.
    pub fn from_view(b: &model::Band<'_>) -> Self {
        Band {
            id: b.id.into(),
            scope: b.scope,
            lo: b.lo,
            hi: b.hi,
            label: b.label.into(),
            explanation: b.explanation.into(),
            actions: b
                .actions
                .iter()
                .map(|a| Action {
                    horizon: a.horizon,
                    text: a.text.into(),
                })
                .collect(),
        }
    }
}
