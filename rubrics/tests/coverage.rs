//! The coverage check: a band no answers reach is flagged, so are two
//! outcomes the rules never tell apart, and every shipped rubric passes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::PathBuf;

use rubrics::coverage::{check, BandOwner, Budget, Coverage, Walk};
use rubrics::Source;

fn one(text: &str, budget: Budget) -> Coverage {
    let mut all = check(&[Source::in_memory("test.toml", text)], budget).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

/// Three yes/no questions worth two points each: the sum is always even,
/// so the band for exactly one point is in range and still never reached.
const UNREACHABLE: &str = include_str!("fixtures/unreachable-band.toml");

#[test]
fn a_band_past_what_the_items_can_give_is_flagged_after_an_exhaustive_walk() {
    let coverage = one(UNREACHABLE, Budget::default());
    assert_eq!(coverage.walk, Walk::Exhaustive { answer_sets: 8 });
    let unreached: Vec<&str> = coverage.unreached().map(|b| b.id.as_str()).collect();
    assert_eq!(unreached, ["one-point"]);
    assert!(coverage.has_problems());
    let none = coverage.bands.iter().find(|b| b.id == "none").unwrap();
    assert_eq!(none.owner, BandOwner::Dimension("points".into()));
    // No yes at all: one answer set of eight, counted once although the
    // band is both the dimension's and the verdict.
    assert_eq!(none.reached, 1);
}

#[test]
fn without_the_unreachable_band_the_rubric_passes() {
    let fixed = UNREACHABLE
        .replace("range = [1, 1]", "range = [1, 2]")
        .replace("range = [2, 6]", "range = [3, 6]");
    let coverage = one(&fixed, Budget::default());
    assert!(!coverage.has_problems(), "{coverage:?}");
}

#[test]
fn a_sampled_walk_says_so_and_still_finds_the_unreachable_band() {
    let coverage = one(
        UNREACHABLE,
        Budget {
            exhaustive_up_to: 4,
            samples: 500,
        },
    );
    assert_eq!(
        coverage.walk,
        Walk::Sampled {
            answer_sets: 500,
            space: 8
        }
    );
    let unreached: Vec<&str> = coverage.unreached().map(|b| b.id.as_str()).collect();
    assert_eq!(unreached, ["one-point"]);
}

/// Two archetypes that every answer weighs the same: never told apart.
const TWINS: &str = r#"
id = "twins"
version = 1
title = "Twins"
summary = "Which fits?"
category = "archetype-fit"
minutes = 1
intro = "Which fits?"

[[outcome]]
id = "left"
title = "Left"
description = "Left."

[[outcome]]
id = "right"
title = "Right"
description = "Right."

[[outcome]]
id = "other"
title = "Other"
description = "Other."

[[item]]
id = "q1"
kind = "single"
prompt = "Pick one"
[[item.option]]
id = "both"
label = "Both"
weights = { left = 1, right = 1 }
[[item.option]]
id = "else"
label = "Else"
weights = { other = 1 }

[verdict]
top-outcome = true
"#;

#[test]
fn two_outcomes_with_the_same_weights_are_never_told_apart() {
    let coverage = one(TWINS, Budget::default());
    let pairs: Vec<(&str, &str)> = coverage
        .never_apart
        .iter()
        .map(|p| (p.first.as_str(), p.second.as_str()))
        .collect();
    assert_eq!(pairs, [("left", "right")]);
    assert_eq!(coverage.ties, 1);
    assert!(coverage.has_problems());
}

#[test]
fn every_shipped_rubric_reaches_every_band() {
    let library = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library");
    let sources = rubrics::read_sources(&[library]).unwrap();
    // A smaller sample than the command line's: this runs in a debug build.
    let budget = Budget {
        exhaustive_up_to: 50_000,
        samples: 20_000,
    };
    let all = check(&sources, budget).unwrap();
    assert_eq!(all.len(), 19);
    let problems: Vec<String> = all
        .iter()
        .filter(|c| c.has_problems())
        .map(|c| {
            let bands: Vec<&str> = c.unreached().map(|b| b.id.as_str()).collect();
            format!(
                "{}: unreached {bands:?}, never apart {:?} ({:?})",
                c.rubric, c.never_apart, c.walk
            )
        })
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_template_compiles_and_reaches_every_band() {
    use rubrics::templates::Template;
    for template in Template::ALL {
        let text = template.text("starter", "A \"quoted\" title");
        let coverage = one(&text, Budget::default());
        assert!(
            matches!(coverage.walk, Walk::Exhaustive { .. }),
            "{}: {:?}",
            template.name(),
            coverage.walk
        );
        assert!(
            !coverage.has_problems(),
            "{}: {coverage:?}",
            template.name()
        );
        assert!(text.contains("title = \"A \\\"quoted\\\" title\""));
    }
}
