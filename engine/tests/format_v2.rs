//! Format version 2: outcome bands, ties reported as ties, a floor on the
//! verdict, and everything version 1 stored still loading and scoring.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::*;
use rubric_engine::codec::encode_container;
use rubric_engine::golden::GoldenCase;
use rubric_engine::model::{BandOn, BandScope, Rule, Target};
use rubric_engine::owned::{BundlePayload, Dimension, Rubric, VerdictRule};
use rubric_engine::{score, Answer, Answers, Bundle, Issue, Location, Problem, Seq, Verdict};

fn problems(rubric: Rubric) -> Vec<Issue> {
    let payload = BundlePayload {
        rubrics: vec![rubric],
    }
    .encode()
    .unwrap();
    let view: rubric_engine::BundlePayload = postcard::from_bytes(&payload).unwrap();
    let mut found = Vec::new();
    rubric_engine::validate_payload(&view, &mut |issue| found.push(issue));
    found
}

/// Decodes (and so validates) `rubric` and runs `f` on it.
fn with<R>(rubric: Rubric, f: impl FnOnce(rubric_engine::Rubric<'_>) -> R) -> R {
    let id = rubric.id.clone();
    let bytes = encode_container(
        &BundlePayload {
            rubrics: vec![rubric],
        }
        .encode()
        .unwrap(),
    );
    let bundle = Bundle::decode(&bytes).unwrap();
    f(bundle.rubric(&id).unwrap())
}

fn levels(levels: &[u8]) -> Answers {
    let mut a = Answers::new(levels.len());
    for (i, level) in levels.iter().enumerate() {
        a.set(i, Answer::Level(*level)).unwrap();
    }
    a
}

fn choices(picks: &[Option<u8>]) -> Answers {
    let mut a = Answers::new(picks.len());
    for (i, pick) in picks.iter().enumerate() {
        if let Some(option) = pick {
            a.set(i, Answer::Choice(*option)).unwrap();
        }
    }
    a
}

/// Three scale items (0..=4): `scope` and `depth` each read one, `overall`
/// reads all three (the third twice). Overall's verdict is floored at
/// `mid` while scope or depth is below 25 percent.
fn floored() -> Rubric {
    let mut r = fit();
    r.id = s("floored");
    r.outcomes.clear();
    let dim = |id: &str| Dimension {
        id: s(id),
        title: format!("Title {id}"),
        description: String::new(),
        rule: Rule::WeightedSum,
        band_on: BandOn::Percent,
    };
    r.dimensions = vec![dim("overall"), dim("scope"), dim("depth")];
    let d = Target::Dimension;
    r.items = vec![
        item("i0", 0, scale(0, 4, false), vec![w(d(0), 1), w(d(1), 1)]),
        item("i1", 0, scale(0, 4, false), vec![w(d(0), 1), w(d(2), 1)]),
        item("i2", 0, scale(0, 4, false), vec![w(d(0), 2)]),
    ];
    r.bands = vec![
        band("low", BandScope::Dimension(0), 0, 39),        // 0
        band("mid", BandScope::Dimension(0), 40, 74),       // 1
        band("high", BandScope::Dimension(0), 75, 100),     // 2
        band("scope-low", BandScope::Dimension(1), 0, 24),  // 3
        band("scope-ok", BandScope::Dimension(1), 25, 100), // 4
        band("depth-low", BandScope::Dimension(2), 0, 24),  // 5
        band("depth-ok", BandScope::Dimension(2), 25, 100), // 6
    ];
    r.verdict_rule = VerdictRule::DimensionWithFloor {
        dimension: 0,
        below_percent: 25,
        at_most: 1,
    };
    r
}

#[test]
fn the_fixtures_of_version_2_are_valid() {
    assert_eq!(problems(floored()), vec![]);
    let mut r = fit();
    r.bands = vec![band("lead-next", BandScope::Outcome(0), 0, 0)];
    assert_eq!(problems(r), vec![]);
}

#[test]
fn a_dimension_far_behind_holds_the_verdict_back_and_is_named() {
    with(floored(), |r| {
        // overall 12 of 16 = 75 % (high), but scope is at 0 %.
        let result = score(&r, &levels(&[0, 4, 4]));
        assert_eq!(result.dimensions[0].band, Some(2));
        assert_eq!(result.verdict, Verdict::Held { band: 1, by: 1 });
    });
}

#[test]
fn a_dimension_exactly_at_the_floor_does_not_hold_the_verdict_back() {
    with(floored(), |r| {
        // scope at 1 of 4 = 25 %: not below 25.
        assert_eq!(score(&r, &levels(&[1, 4, 4])).verdict, Verdict::Band(2));
        // one level lower, held.
        assert_eq!(
            score(&r, &levels(&[0, 4, 4])).verdict,
            Verdict::Held { band: 1, by: 1 }
        );
    });
}

#[test]
fn a_verdict_already_at_or_below_the_cap_is_not_held() {
    with(floored(), |r| {
        // overall 8 of 16 = 50 %: mid, the cap itself.
        assert_eq!(score(&r, &levels(&[0, 0, 4])).verdict, Verdict::Band(1));
        assert_eq!(score(&r, &levels(&[0, 0, 0])).verdict, Verdict::Band(0));
    });
}

#[test]
fn the_lowest_dimension_below_the_floor_is_the_one_named() {
    let mut rubric = floored();
    rubric.verdict_rule = VerdictRule::DimensionWithFloor {
        dimension: 0,
        below_percent: 50,
        at_most: 1,
    };
    with(rubric, |r| {
        // scope 25 %, depth 0 %: depth is named.
        let result = score(&r, &levels(&[1, 0, 4]));
        assert_eq!(result.dimensions[0].percent, 56);
        assert_eq!(result.verdict, Verdict::Band(1), "56 % is mid already");
        let result = score(&r, &levels(&[1, 0, 4]));
        assert!(matches!(result.verdict, Verdict::Band(1)));
    });
    let mut rubric = floored();
    rubric.verdict_rule = VerdictRule::DimensionWithFloor {
        dimension: 0,
        below_percent: 50,
        at_most: 0,
    };
    with(rubric, |r| {
        assert_eq!(
            score(&r, &levels(&[1, 0, 4])).verdict,
            Verdict::Held { band: 0, by: 2 }
        );
        // Equal percentages: the first declared is named.
        assert_eq!(
            score(&r, &levels(&[0, 0, 4])).verdict,
            Verdict::Held { band: 0, by: 1 }
        );
    });
}

#[test]
fn a_floor_is_refused_when_it_cannot_apply() {
    let floor = |dimension, below_percent, at_most| {
        let mut r = floored();
        r.verdict_rule = VerdictRule::DimensionWithFloor {
            dimension,
            below_percent,
            at_most,
        };
        problems(r)
    };
    let at = Location::VerdictRule;
    let one = |problem| {
        vec![Issue {
            rubric: 0,
            at,
            problem,
        }]
    };
    assert_eq!(floor(0, 25, 3), one(Problem::WrongBandScope { band: 3 }));
    assert_eq!(floor(0, 25, 7), one(Problem::UnknownBand { band: 7 }));
    assert_eq!(
        floor(0, 101, 1),
        one(Problem::FloorAbove100 { percent: 101 })
    );
    assert_eq!(
        floor(5, 25, 1),
        one(Problem::UnknownDimension { dimension: 5 })
    );
    let mut alone = floored();
    alone.bands.truncate(3);
    assert_eq!(problems(alone), one(Problem::FloorWithoutOtherDimension));
}

#[test]
fn outcome_bands_name_an_outcome_once_and_have_no_range() {
    let with_bands = |bands| {
        let mut r = fit();
        r.bands = bands;
        problems(r)
    };
    let at = Location::Band(1);
    assert_eq!(
        with_bands(vec![
            band("a", BandScope::Outcome(0), 0, 0),
            band("b", BandScope::Outcome(3), 0, 0),
        ]),
        vec![Issue {
            rubric: 0,
            at,
            problem: Problem::UnknownOutcome { outcome: 3 }
        }]
    );
    assert_eq!(
        with_bands(vec![
            band("a", BandScope::Outcome(1), 0, 0),
            band("b", BandScope::Outcome(1), 0, 0),
        ]),
        vec![Issue {
            rubric: 0,
            at,
            problem: Problem::DuplicateOutcomeBand { first: 0 }
        }]
    );
    assert_eq!(
        with_bands(vec![
            band("a", BandScope::Outcome(0), 0, 0),
            band("b", BandScope::Outcome(1), 0, 3),
        ]),
        vec![Issue {
            rubric: 0,
            at,
            problem: Problem::RangeNotAllowed
        }]
    );
}

#[test]
fn an_outcome_band_keeps_its_actions_for_the_host() {
    let mut rubric = fit();
    rubric.bands = vec![band("arch-next", BandScope::Outcome(1), 0, 0)];
    with(rubric, |r| {
        let result = score(&r, &choices(&[Some(1), Some(1), Some(0)]));
        assert_eq!(result.verdict, Verdict::Outcome(1));
        let b = r
            .bands
            .iter()
            .find(|b| b.scope == BandScope::Outcome(1))
            .unwrap();
        let actions: Vec<&str> = b.actions.iter().map(|a| a.text).collect();
        assert_eq!(actions, vec!["Try arch-next"]);
    });
}

#[test]
fn a_tie_of_two_shares_rank_one_and_is_reported_as_a_tie() {
    with(fit(), |r| {
        // lead 2/6, arch 2/6, solver 0/3.
        let result = score(&r, &choices(&[Some(0), Some(1), None]));
        let ranks: Vec<(u8, u8)> = result
            .outcomes
            .iter()
            .map(|f| (f.outcome, f.rank))
            .collect();
        assert_eq!(ranks, vec![(0, 1), (1, 1), (2, 3)]);
        assert_eq!(result.verdict, Verdict::Tied(0b011));
        assert_eq!(
            result.verdict.tied_outcomes().collect::<Vec<_>>(),
            vec![0, 1]
        );
    });
}

#[test]
fn a_tie_of_three_by_exact_fractions_is_reported_as_a_tie() {
    with(fit(), |r| {
        // lead 2/6, arch 2/6, solver 1/3: equal fractions, different sums.
        let result = score(&r, &choices(&[Some(0), Some(1), Some(2)]));
        assert!(result.outcomes.iter().all(|f| f.rank == 1));
        assert_eq!(result.verdict, Verdict::Tied(0b111));
    });
}

#[test]
fn ranks_below_a_tie_skip_like_a_competition() {
    with(fit(), |r| {
        // arch 4/6 first, then lead 2/6 and solver 0/3... lead alone second.
        let result = score(&r, &choices(&[Some(1), Some(1), Some(0)]));
        let ranks: Vec<(u8, u8)> = result
            .outcomes
            .iter()
            .map(|f| (f.outcome, f.rank))
            .collect();
        assert_eq!(ranks, vec![(1, 1), (0, 2), (2, 3)]);
        assert_eq!(result.verdict, Verdict::Outcome(1));
        // arch 4/6, lead 0, solver 0: the two at zero share rank 2.
        let result = score(&r, &choices(&[Some(1), Some(1), None]));
        let ranks: Vec<(u8, u8)> = result
            .outcomes
            .iter()
            .map(|f| (f.outcome, f.rank))
            .collect();
        assert_eq!(ranks, vec![(1, 1), (0, 2), (2, 2)]);
    });
}

#[test]
fn a_tie_at_zero_is_no_tie_but_undetermined() {
    with(fit(), |r| {
        let result = score(&r, &Answers::new(3));
        assert!(result.outcomes.iter().all(|f| f.rank == 1));
        assert_eq!(result.verdict, Verdict::Undetermined);
    });
}

#[test]
fn new_verdicts_round_trip_through_result_blobs() {
    let mut buf = [0u8; 256];
    for verdict in [Verdict::Tied(0b1010), Verdict::Held { band: 3, by: 5 }] {
        let mut result = with(fit(), |r| score(&r, &Answers::new(3)));
        result.verdict = verdict;
        let bytes = result.encode(&mut buf).unwrap();
        assert_eq!(rubric_engine::ScoreResult::decode(bytes).unwrap(), result);
    }
}

/// The shipped library as compiled by the last version 1 build, and its
/// golden cases with the results that build computed (ScoreResult blobs).
const LIBRARY_V1: &[u8] = include_bytes!("fixtures/library-v1.rbk");
const CASES_V1: &[u8] = include_bytes!("fixtures/cases-v1.bin");

#[test]
fn a_version_1_library_still_decodes_validates_and_scores_the_same() {
    assert_eq!(u16::from_le_bytes([LIBRARY_V1[4], LIBRARY_V1[5]]), 1);
    let bundle = Bundle::decode(LIBRARY_V1).unwrap();
    assert_eq!(bundle.rubrics().count(), 15);
    let cases: Seq<'_, GoldenCase<'_>> = Seq::from_raw(CASES_V1);
    let mut checked = 0;
    for case in cases.try_iter() {
        // Each blob was encoded by a version 1 build and still decodes.
        let case = case.unwrap();
        let rubric = bundle.rubric(case.rubric).unwrap();
        let result = score(&rubric, &case.answers);
        let tied_at_top = case
            .expected
            .outcomes
            .iter()
            .filter(|f| {
                let top = &case.expected.outcomes[0];
                u64::from(f.received) * u64::from(top.possible.max(1))
                    == u64::from(top.received) * u64::from(f.possible.max(1))
            })
            .count()
            > 1;
        if tied_at_top {
            // Version 1 resolved a tie by declaration order; version 2 reports it.
            assert!(matches!(
                result.verdict,
                Verdict::Tied(_) | Verdict::Undetermined
            ));
        } else {
            assert_eq!(result.verdict, case.expected.verdict, "{}", case.name);
            assert_eq!(result.dimensions, case.expected.dimensions, "{}", case.name);
            let order = |r: &rubric_engine::ScoreResult| {
                r.outcomes.iter().map(|f| f.outcome).collect::<Vec<_>>()
            };
            assert_eq!(order(&result), order(&case.expected), "{}", case.name);
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} cases");
}

#[test]
fn a_result_blob_from_version_1_decodes_unchanged() {
    let cases: Seq<'_, GoldenCase<'_>> = Seq::from_raw(CASES_V1);
    let case = cases.try_iter().next().unwrap().unwrap();
    let mut buf = [0u8; 512];
    let blob = case.expected.encode(&mut buf).unwrap().to_vec();
    // These are the very bytes the version 1 build wrote into its cases file.
    assert!(CASES_V1.windows(blob.len()).any(|w| w == blob.as_slice()));
    let decoded = rubric_engine::ScoreResult::decode(&blob).unwrap();
    assert_eq!(decoded, case.expected);
}
