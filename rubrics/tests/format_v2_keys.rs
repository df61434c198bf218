//! The TOML keys of format version 2: `outcome` on a band and `floor` on a
//! dimension verdict, with the exact diagnostics their mistakes get.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::{compiled, errors};
use rubric_engine::model::BandScope;
use rubric_engine::owned::VerdictRule;

const FIT: &str = r#"
id = "fit"
title = "Fit"
summary = "Which fits"
category = "archetype-fit"

[[outcome]]
id = "lead"
title = "Lead"

[[outcome]]
id = "solver"
title = "Solver"

[[item]]
id = "q"
kind = "single"
prompt = "Q?"

[[item.option]]
id = "l"
label = "L"
weights = { lead = 1 }

[[item.option]]
id = "s"
label = "S"
weights = { solver = 1 }

[[band]]
id = "solver-next"
outcome = "solver"
label = "Next as a Solver"
[band.actions]
week = "Write up the last problem you solved."

[verdict]
top-outcome = true
"#;

const FLOOR: &str = r#"
id = "floored"
title = "Floored"
summary = "A verdict with a floor"
category = "self-assessment"

[[item]]
id = "a"
kind = "yes-no"
prompt = "A?"
weights = { all = 1, part = 1 }

[[item]]
id = "b"
kind = "yes-no"
prompt = "B?"
weights = { all = 1 }

[[dimension]]
id = "all"
title = "All"

[[dimension]]
id = "part"
title = "Part"

[[band]]
id = "low"
dimension = "all"
range = [0, 49]
label = "Low"

[[band]]
id = "high"
dimension = "all"
range = [50, 100]
label = "High"

[[band]]
id = "part-none"
dimension = "part"
range = [0, 49]
label = "None"

[[band]]
id = "part-some"
dimension = "part"
range = [50, 100]
label = "Some"

[verdict]
dimension = "all"
floor = { below = 50, at-most = "low" }
"#;

#[test]
fn a_band_with_an_outcome_compiles_to_an_outcome_band() {
    let rubric = compiled(FIT).unwrap();
    assert_eq!(rubric.bands[0].scope, BandScope::Outcome(1));
    assert_eq!((rubric.bands[0].lo, rubric.bands[0].hi), (0, 0));
}

#[test]
fn an_outcome_band_must_name_a_known_outcome() {
    let d = errors(&FIT.replace("outcome = \"solver\"", "outcome = \"solvr\""));
    assert_eq!(d, ["32:11 there is no outcome with id `solvr`"]);
}

#[test]
fn an_outcome_band_has_no_range() {
    let d = errors(&FIT.replace(
        "outcome = \"solver\"\n",
        "outcome = \"solver\"\nrange = [0, 1]\n",
    ));
    assert_eq!(
        d,
        ["33:9 a band of an outcome (one with `outcome`) has no `range`"]
    );
}

#[test]
fn a_band_belongs_to_a_dimension_or_an_outcome_not_both() {
    let d = errors(&FIT.replace(
        "outcome = \"solver\"\n",
        "dimension = \"x\"\noutcome = \"solver\"\n",
    ));
    assert_eq!(
        d,
        ["33:11 a band belongs to a `dimension` or to an `outcome`, not both"]
    );
}

#[test]
fn an_outcome_has_at_most_one_band() {
    let second = "\n[[band]]\nid = \"solver-again\"\noutcome = \"solver\"\nlabel = \"Again\"\n";
    let d = errors(&FIT.replace("[verdict]", &format!("{second}\n[verdict]")));
    assert_eq!(
        d,
        ["38:1 band `solver-again`: outcome `solver` already has band `solver-next`; an outcome has at most one band"]
    );
}

#[test]
fn a_floor_compiles_to_a_dimension_verdict_with_a_floor() {
    let rubric = compiled(FLOOR).unwrap();
    assert_eq!(
        rubric.verdict_rule,
        VerdictRule::DimensionWithFloor {
            dimension: 0,
            below_percent: 50,
            at_most: 0
        }
    );
}

#[test]
fn a_floor_names_a_band_of_the_verdict_dimension() {
    let d = errors(&FLOOR.replace("at-most = \"low\"", "at-most = \"lo\""));
    assert_eq!(d, ["53:33 there is no band with id `lo`"]);
    let d = errors(&FLOOR.replace("at-most = \"low\"", "at-most = \"part-none\""));
    assert_eq!(d, ["51:1 [verdict]: the floor's `at-most` must be a band of dimension `all`, and `part-none` is not"]);
}

#[test]
fn a_floor_is_a_percentage_with_a_band() {
    let d = errors(&FLOOR.replace("below = 50", "below = 120"));
    assert_eq!(d, ["53:19 `below` is 120, but must be between 0 and 100"]);
    let d = errors(&FLOOR.replace("below = 50, ", ""));
    assert_eq!(d, ["53:9 `floor` is missing `below`"]);
    let d = errors(&FLOOR.replace("at-most", "at-mots"));
    assert_eq!(
        d,
        [
            "53:23 unknown key `at-mots` in `floor`",
            "53:9 `floor` is missing `at-most`"
        ]
    );
}

#[test]
fn a_floor_needs_a_dimension_verdict_and_another_banded_dimension() {
    let d = errors(&FLOOR.replace("dimension = \"all\"\nfloor", "top-outcome = true\nfloor"));
    assert!(
        d.contains(&"53:9 a `floor` applies only to `dimension = \"id\"` verdicts".to_string()),
        "{d:?}"
    );
    let without_other = FLOOR.replace("dimension = \"part\"", "dimension = \"all\"");
    let d = errors(&without_other);
    assert!(
        d.iter()
            .any(|e| e.contains("a floor needs another dimension with bands")),
        "{d:?}"
    );
}
