//! A small rubric set that uses every item kind, rule and verdict rule.
#![allow(dead_code)]
// A test may panic on what it set up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rubric_engine::model::{
    BandOn, BandScope, Category, CaveatKind, Condition, GridCell, Horizon, Rule, Target, Test,
    Weight,
};
use rubric_engine::owned::*;

pub fn s(text: &str) -> String {
    text.to_string()
}

pub fn w(target: Target, value: u16) -> Weight {
    Weight { target, value }
}

pub fn band(id: &str, scope: BandScope, lo: u32, hi: u32) -> Band {
    Band {
        id: s(id),
        scope,
        lo,
        hi,
        label: format!("Label {id}"),
        explanation: format!("Explanation {id}"),
        actions: vec![Action {
            horizon: Horizon::Week,
            text: format!("Try {id}"),
        }],
    }
}

pub fn item(id: &str, section: u8, kind: ItemKind, weights: Vec<Weight>) -> Item {
    Item {
        id: s(id),
        section,
        prompt: format!("Prompt {id}?"),
        help: String::new(),
        required: true,
        show_if: ShowIf::Always,
        kind,
        weights,
    }
}

pub fn option(id: &str, weights: Vec<Weight>) -> ChoiceOption {
    ChoiceOption {
        id: s(id),
        label: format!("Option {id}"),
        weights,
    }
}

pub fn scale(min: u8, max: u8, reverse: bool) -> ItemKind {
    ItemKind::Scale {
        min,
        max,
        reverse,
        descriptors: (min..=max).map(|l| format!("Level {l}")).collect(),
    }
}

const CRAFT: Target = Target::Dimension(0);

/// Items: 0 q1 scale 1..5 (w2 craft), 1 q2 reversed scale 1..5 (w1 craft),
/// 2-4 y1..y3 yes/no (section 1, y3 reversed), 5 why (text, shown if y1 yes),
/// 6 pick single (outcomes), 7 many multi (craft + outcomes), 8 done count,
/// 9 helped count.
#[allow(clippy::too_many_lines)] // one fixture rubric, literal from top to bottom
pub fn mixed() -> Rubric {
    let mut why = item("why", 1, ItemKind::Text, vec![]);
    why.required = false;
    why.show_if = ShowIf::When(Condition {
        item: 2,
        test: Test::IsYes,
    });
    Rubric {
        id: s("mixed"),
        version: 3,
        category: Category::SelfAssessment,
        minutes: 5,
        title: s("Mixed rubric"),
        summary: s("Every kind of item"),
        intro: s("An introduction."),
        caveats: vec![Caveat {
            kind: CaveatKind::SmallCompany,
            text: s("Small companies differ."),
        }],
        sections: vec![
            Section {
                id: s("scales"),
                title: s("Scales"),
                intro: String::new(),
            },
            Section {
                id: s("checks"),
                title: s("Checks"),
                intro: String::new(),
            },
            Section {
                id: s("counts"),
                title: s("Counts"),
                intro: String::new(),
            },
        ],
        items: vec![
            item("q1", 0, scale(1, 5, false), vec![w(CRAFT, 2)]),
            item("q2", 0, scale(1, 5, true), vec![w(CRAFT, 1)]),
            item("y1", 1, ItemKind::YesNo { reverse: false }, vec![]),
            item("y2", 1, ItemKind::YesNo { reverse: false }, vec![]),
            item("y3", 1, ItemKind::YesNo { reverse: true }, vec![]),
            why,
            item(
                "pick",
                2,
                ItemKind::Single {
                    options: vec![
                        option("a", vec![w(Target::Outcome(0), 3)]),
                        option(
                            "b",
                            vec![w(Target::Outcome(1), 3), w(Target::Outcome(0), 1)],
                        ),
                    ],
                },
                vec![],
            ),
            item(
                "many",
                2,
                ItemKind::Multi {
                    options: vec![
                        option("x", vec![w(CRAFT, 4), w(Target::Outcome(1), 1)]),
                        option("y", vec![w(CRAFT, 4)]),
                        option("z", vec![]),
                    ],
                },
                vec![],
            ),
            item(
                "done",
                2,
                ItemKind::Count {
                    min: 0,
                    max: 50,
                    unit: s("pieces"),
                },
                vec![],
            ),
            item(
                "helped",
                2,
                ItemKind::Count {
                    min: 0,
                    max: 50,
                    unit: s("pieces"),
                },
                vec![],
            ),
        ],
        dimensions: vec![
            Dimension {
                id: s("craft"),
                title: s("Craft"),
                description: String::new(),
                rule: Rule::WeightedSum,
                band_on: BandOn::Percent,
            },
            Dimension {
                id: s("yes"),
                title: s("Yes count"),
                description: String::new(),
                rule: Rule::YesCount { section: 1 },
                band_on: BandOn::Value,
            },
            Dimension {
                id: s("share"),
                title: s("Share"),
                description: String::new(),
                rule: Rule::Ratio { part: 9, rest: 8 },
                band_on: BandOn::Percent,
            },
        ],
        outcomes: vec![
            Outcome {
                id: s("alpha"),
                title: s("Alpha"),
                description: String::new(),
            },
            Outcome {
                id: s("beta"),
                title: s("Beta"),
                description: String::new(),
            },
        ],
        bands: vec![
            band("craft-low", BandScope::Dimension(0), 0, 49), // 0
            band("craft-high", BandScope::Dimension(0), 50, 100), // 1
            band("few", BandScope::Dimension(1), 0, 1),        // 2
            band("many", BandScope::Dimension(1), 2, 3),       // 3
            band("solo", BandScope::Dimension(2), 0, 29),      // 4
            band("shared", BandScope::Dimension(2), 30, 100),  // 5
            band("v-few-solo", BandScope::Verdict, 0, 0),      // 6
            band("v-few-shared", BandScope::Verdict, 0, 0),    // 7
            band("v-many", BandScope::Verdict, 0, 0),          // 8
        ],
        verdict_rule: VerdictRule::Grid {
            x: 1,
            y: 2,
            cells: vec![
                GridCell {
                    x_band: 2,
                    y_band: 4,
                    verdict: 6,
                },
                GridCell {
                    x_band: 2,
                    y_band: 5,
                    verdict: 7,
                },
                GridCell {
                    x_band: 3,
                    y_band: 4,
                    verdict: 8,
                },
                GridCell {
                    x_band: 3,
                    y_band: 5,
                    verdict: 8,
                },
            ],
        },
    }
}

/// A fit rubric with a top-outcome verdict rule and a simple dimension rubric.
pub fn fit() -> Rubric {
    Rubric {
        id: s("fit"),
        version: 1,
        category: Category::ArchetypeFit,
        minutes: 3,
        title: s("Fit"),
        summary: s("Which fits"),
        intro: String::new(),
        caveats: vec![],
        sections: vec![Section {
            id: s("main"),
            title: s("Main"),
            intro: String::new(),
        }],
        items: (0..3)
            .map(|i| {
                item(
                    &format!("f{i}"),
                    0,
                    ItemKind::Single {
                        options: vec![
                            option("l", vec![w(Target::Outcome(0), 2)]),
                            option("m", vec![w(Target::Outcome(1), 2)]),
                            option("n", vec![w(Target::Outcome(2), 1)]),
                        ],
                    },
                    vec![],
                )
            })
            .collect(),
        dimensions: vec![],
        outcomes: ["lead", "arch", "solver"]
            .iter()
            .map(|id| Outcome {
                id: s(id),
                title: s(id),
                description: String::new(),
            })
            .collect(),
        bands: vec![],
        verdict_rule: VerdictRule::TopOutcome,
    }
}

pub fn payload() -> BundlePayload {
    BundlePayload {
        rubrics: vec![mixed(), fit()],
    }
}

pub fn bundle_bytes() -> Vec<u8> {
    rubric_engine::codec::encode_container(&payload().encode().unwrap())
}
