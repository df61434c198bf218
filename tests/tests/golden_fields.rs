//! The percent and rank fields that the golden vectors record, checked
//! against a second, deliberately simple derivation written here, and
//! against figures worked out by hand. The golden files are produced by the
//! engine itself, so without this a regression in both the engine and the
//! recorder would pass unnoticed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use rubric_engine::{Bundle, ScoreResult, Verdict};

/// `value * 100 / max`, floored, 0 when `max` is 0: the rule FORMAT.md states.
fn simple_percent(value: u32, max: u32) -> u8 {
    if max == 0 {
        0
    } else {
        (u64::from(value) * 100 / u64::from(max)) as u8
    }
}

/// Competition ranks by exact fraction (equal fractions share a rank, the
/// next rank skips: 1, 1, 3), by counting for every outcome the others that
/// fit strictly better (no sorting, nothing shared with the engine).
fn simple_ranks(fits: &[(u8, u32, u32)]) -> Vec<(u8, u8)> {
    let better = |a: &(u8, u32, u32), b: &(u8, u32, u32)| {
        let left = u64::from(a.1) * u64::from(b.2.max(1)) * u64::from(a.2 != 0);
        let right = u64::from(b.1) * u64::from(a.2.max(1)) * u64::from(b.2 != 0);
        left > right
    };
    fits.iter()
        .map(|fit| {
            let ahead = fits.iter().filter(|other| better(other, fit)).count();
            (fit.0, ahead as u8 + 1)
        })
        .collect()
}

fn check(result: &ScoreResult, name: &str, failures: &mut Vec<String>) {
    for (i, d) in result.dimensions.iter().enumerate() {
        let want = simple_percent(d.value, d.max);
        if d.percent != want {
            failures.push(format!(
                "{name}: dimension {i} percent {} but {}/{} gives {want}",
                d.percent, d.value, d.max
            ));
        }
    }
    let fits: Vec<(u8, u32, u32)> = result
        .outcomes
        .iter()
        .map(|f| (f.outcome, f.received, f.possible))
        .collect();
    for fit in &result.outcomes {
        let want = simple_percent(fit.received, fit.possible);
        if fit.percent != want {
            failures.push(format!(
                "{name}: outcome {} percent {} but {}/{} gives {want}",
                fit.outcome, fit.percent, fit.received, fit.possible
            ));
        }
    }
    for (outcome, rank) in simple_ranks(&fits) {
        let got = result.outcome(outcome).map(|f| f.rank);
        if got != Some(rank) {
            failures.push(format!(
                "{name}: outcome {outcome} has rank {got:?}, expected {rank}"
            ));
        }
    }
    // Best first, as the field promises.
    let ranks: Vec<u8> = result.outcomes.iter().map(|f| f.rank).collect();
    if !ranks.windows(2).all(|w| w[0] <= w[1]) {
        failures.push(format!("{name}: outcomes not listed best first: {ranks:?}"));
    }
}

#[test]
fn every_golden_result_has_percents_and_ranks_that_a_simple_derivation_agrees_with() {
    let library = cross_crate_checks::compile_library().unwrap();
    let bundle = Bundle::decode(&library).unwrap();
    let cases = cross_crate_checks::read_cases().unwrap();
    let scored = cross_crate_checks::score_cases(&bundle, &cases).unwrap();
    let mut failures = Vec::new();
    let mut with_outcomes = 0;
    for (case, (_, result)) in cases.iter().zip(&scored) {
        check(result, &case.name, &mut failures);
        with_outcomes += usize::from(!result.outcomes.is_empty());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        with_outcomes > 0,
        "no golden case ranks outcomes, so ranks were never checked"
    );
}

const FIT_RUBRIC: &str = r#"
id = "fit"
version = 1
title = "Fit"
summary = "A small fit rubric with weights worked out by hand"
category = "archetype-fit"
minutes = 1
intro = "For a test."

[[outcome]]
id = "first"
title = "First"
description = "Declared first."

[[outcome]]
id = "second"
title = "Second"
description = "Declared second."

[[outcome]]
id = "third"
title = "Third"
description = "Declared third."

[[item]]
id = "a"
kind = "single"
prompt = "Pick one."

[[item.option]]
id = "x"
label = "X"
weights = { first = 2, second = 1 }

[[item.option]]
id = "y"
label = "Y"
weights = { second = 3 }

[[item.option]]
id = "z"
label = "Z"
weights = { third = 1 }

[[item.option]]
id = "v"
label = "V"
weights = { first = 1, second = 1 }

[[item]]
id = "b"
kind = "yes-no"
prompt = "Yes or no."
weights = { first = 1, third = 3 }

[verdict]
top-outcome = true
"#;

/// Scores the fit rubric above with one answer set given as JSON.
fn score_fit(answers: serde_json::Value) -> ScoreResult {
    let sources = [rubrics::Source::in_memory("fit.toml", FIT_RUBRIC)];
    let payload = rubrics::compile(&sources).unwrap();
    let bytes = rubrics::bundle_bytes(&payload, None).unwrap();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("fit").unwrap();
    let set = rubrics::answers::from_json(&rubric, &answers).unwrap();
    rubric_engine::score(&rubric, &set.answers)
}

/// (outcome, received, possible, percent, rank) in the order listed.
fn fits(result: &ScoreResult) -> Vec<(u8, u32, u32, u8, u8)> {
    result
        .outcomes
        .iter()
        .map(|f| (f.outcome, f.received, f.possible, f.percent, f.rank))
        .collect()
}

#[test]
fn outcome_fits_match_figures_worked_out_by_hand() {
    // Possible per outcome: an option item offers the largest weight any of
    // its options gives that outcome (first 2, second 3, third 1; option v's
    // 1 and 1 raise neither), a yes/no
    // item its weight (first 1, third 3): first 3, second 3, third 4.
    //
    // x and yes: first 2+1 = 3/3 (100 %), second 1/3 (33 %), third 0+3 = 3/4 (75 %).
    let result = score_fit(serde_json::json!({ "a": "x", "b": true }));
    assert_eq!(
        fits(&result),
        vec![(0, 3, 3, 100, 1), (2, 3, 4, 75, 2), (1, 1, 3, 33, 3)]
    );
    assert_eq!(result.verdict, Verdict::Outcome(0));

    // y and no: second 3/3 (100 %), first 0/3, third 0/4: the two at zero
    // share rank 2, listed in declaration order.
    let result = score_fit(serde_json::json!({ "a": "y", "b": false }));
    assert_eq!(
        fits(&result),
        vec![(1, 3, 3, 100, 1), (0, 0, 3, 0, 2), (2, 0, 4, 0, 2)]
    );

    // v and no: first 1/3 and second 1/3 share rank 1, third 0/4 is third:
    // a tie, reported as one.
    let result = score_fit(serde_json::json!({ "a": "v", "b": false }));
    assert_eq!(
        fits(&result),
        vec![(0, 1, 3, 33, 1), (1, 1, 3, 33, 1), (2, 0, 4, 0, 3)]
    );
    assert_eq!(result.verdict, Verdict::Tied(0b011));

    // z and yes: first 1/3 (33 %), second 0/3, third 1+3 = 4/4 (100 %).
    let result = score_fit(serde_json::json!({ "a": "z", "b": true }));
    assert_eq!(
        fits(&result),
        vec![(2, 4, 4, 100, 1), (0, 1, 3, 33, 2), (1, 0, 3, 0, 3)]
    );
}
