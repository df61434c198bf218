//! Each validation rule, by breaking the fixture in one place.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::*;
use rubric_engine::codec::encode_container;
use rubric_engine::model::{BandOn, BandScope, Condition, GridCell, Rule, Target, Test};
use rubric_engine::owned::{BundlePayload, ItemKind, Rubric, ShowIf, VerdictRule};
use rubric_engine::{Bundle, BundleError, Issue, Limit, Location, Problem};

fn problems(rubric: Rubric) -> Vec<Issue> {
    let payload = BundlePayload {
        rubrics: vec![rubric],
    }
    .encode()
    .unwrap();
    let view: rubric_engine::BundlePayload = postcard::from_bytes(&payload).unwrap();
    let mut found = Vec::new();
    let count = rubric_engine::validate_payload(&view, &mut |issue| found.push(issue));
    assert_eq!(
        count,
        found.len(),
        "the count returned is the number reported"
    );
    found
}

fn has(rubric: Rubric, at: Location, problem: Problem) {
    let found = problems(rubric);
    assert!(
        found.iter().any(|i| i.at == at && i.problem == problem),
        "expected {problem:?} at {at:?}, got {found:?}"
    );
}

#[test]
fn fixture_is_valid() {
    assert_eq!(problems(mixed()), vec![]);
    assert_eq!(problems(fit()), vec![]);
}

#[test]
fn ids_are_unique_and_well_formed() {
    let mut r = mixed();
    r.items[3].id = s("y1");
    has(r, Location::Item(3), Problem::DuplicateId { first: 2 });
    let mut r = mixed();
    r.dimensions[1].id = s("Has Space");
    has(r, Location::Dimension(1), Problem::InvalidId);
    let mut r = mixed();
    if let ItemKind::Single { options } = &mut r.items[6].kind {
        options[1].id = s("a");
    }
    has(
        r,
        Location::Option { item: 6, option: 1 },
        Problem::DuplicateId { first: 0 },
    );
}

#[test]
fn duplicate_rubric_ids_in_one_bundle() {
    let payload = BundlePayload {
        rubrics: vec![fit(), fit()],
    }
    .encode()
    .unwrap();
    let err = Bundle::decode(&encode_container(&payload)).unwrap_err();
    assert_eq!(
        err,
        BundleError::Invalid(Issue {
            rubric: 1,
            at: Location::Rubric,
            problem: Problem::DuplicateId { first: 0 }
        })
    );
}

#[test]
fn references_must_resolve() {
    let mut r = mixed();
    r.items[0].weights = vec![w(Target::Dimension(9), 1)];
    has(
        r,
        Location::Item(0),
        Problem::UnknownDimension { dimension: 9 },
    );
    let mut r = mixed();
    r.items[0].section = 7;
    has(r, Location::Item(0), Problem::UnknownSection { section: 7 });
    let mut r = mixed();
    r.items[0].weights = vec![w(Target::Outcome(5), 1)];
    has(r, Location::Item(0), Problem::UnknownOutcome { outcome: 5 });
    let mut r = mixed();
    r.items[0].weights = vec![w(Target::Dimension(1), 1)];
    has(
        r,
        Location::Item(0),
        Problem::WeightOnComputedDimension { dimension: 1 },
    );
}

#[test]
fn conditions_point_only_at_earlier_items_of_a_fitting_kind() {
    let mut r = mixed();
    r.items[1].show_if = ShowIf::When(Condition {
        item: 4,
        test: Test::IsYes,
    });
    has(
        r,
        Location::Item(1),
        Problem::ConditionNotEarlier { item: 4 },
    );
    let mut r = mixed();
    r.items[1].show_if = ShowIf::When(Condition {
        item: 1,
        test: Test::Answered,
    });
    has(
        r,
        Location::Item(1),
        Problem::ConditionNotEarlier { item: 1 },
    );
    let mut r = mixed();
    r.items[3].show_if = ShowIf::When(Condition {
        item: 0,
        test: Test::IsYes,
    });
    has(
        r,
        Location::Item(3),
        Problem::ConditionKindMismatch { kind: "scale" },
    );
    let mut r = mixed();
    r.items[7].show_if = ShowIf::When(Condition {
        item: 6,
        test: Test::Chosen(4),
    });
    has(r, Location::Item(7), Problem::UnknownOption { option: 4 });
}

#[test]
fn bands_cover_the_whole_range_without_gaps_or_overlaps() {
    let mut r = mixed();
    r.bands[1].lo = 55; // craft: 50-54 uncovered
    has(
        r,
        Location::Dimension(0),
        Problem::BandGap { from: 50, to: 54 },
    );
    let mut r = mixed();
    r.bands[1].lo = 40;
    has(
        r,
        Location::Band(1),
        Problem::BandOverlap {
            other: 0,
            from: 40,
            to: 49,
        },
    );
    let mut r = mixed();
    r.bands[3].hi = 4; // yes count tops at 3
    has(
        r,
        Location::Band(3),
        Problem::BandBeyondRange { hi: 4, top: 3 },
    );
    let mut r = mixed();
    r.bands[3].hi = 2;
    has(
        r,
        Location::Dimension(1),
        Problem::BandGap { from: 3, to: 3 },
    );
    let mut r = mixed();
    r.bands[0].lo = 60;
    has(
        r,
        Location::Band(0),
        Problem::BandInverted { lo: 60, hi: 49 },
    );
}

#[test]
fn weights_and_ranges_are_bounded() {
    let mut r = mixed();
    r.items[0].weights = vec![w(Target::Dimension(0), 101)];
    has(r, Location::Item(0), Problem::WeightTooLarge { value: 101 });
    let mut r = mixed();
    r.items[0].kind = scale(3, 3, false);
    has(r, Location::Item(0), Problem::ScaleRange { min: 3, max: 3 });
    let mut r = mixed();
    if let ItemKind::Scale { descriptors, .. } = &mut r.items[0].kind {
        descriptors.pop();
    }
    has(
        r,
        Location::Item(0),
        Problem::DescriptorCount {
            expected: 5,
            found: 4,
        },
    );
    let mut r = mixed();
    r.items[8].kind = ItemKind::Count {
        min: 5,
        max: 2,
        unit: String::new(),
    };
    has(r, Location::Item(8), Problem::CountRange { min: 5, max: 2 });
    let mut r = mixed();
    r.items[5].weights = vec![w(Target::Dimension(0), 1)];
    has(r, Location::Item(5), Problem::WeightsNotAllowed);
}

#[test]
fn computed_dimensions_need_fitting_items() {
    let mut r = mixed();
    r.dimensions[2].rule = Rule::Ratio { part: 0, rest: 8 };
    has(r, Location::Dimension(2), Problem::NotACount { item: 0 });
    let mut r = mixed();
    r.dimensions[1].rule = Rule::YesCount { section: 0 };
    has(
        r,
        Location::Dimension(1),
        Problem::NoYesNoItems { section: 0 },
    );
}

#[test]
fn grid_needs_exactly_one_cell_per_band_pair() {
    let mut r = mixed();
    if let VerdictRule::Grid { cells, .. } = &mut r.verdict_rule {
        cells.pop();
    }
    has(
        r,
        Location::VerdictRule,
        Problem::GridCellCount {
            x_band: 3,
            y_band: 5,
            found: 0,
        },
    );
    let mut r = mixed();
    if let VerdictRule::Grid { cells, .. } = &mut r.verdict_rule {
        cells.push(GridCell {
            x_band: 2,
            y_band: 4,
            verdict: 0,
        });
    }
    has(
        r,
        Location::GridCell(4),
        Problem::WrongBandScope { band: 0 },
    );
    let mut r = mixed();
    r.bands.push(band("orphan", BandScope::Verdict, 0, 0));
    has(r, Location::Band(9), Problem::UnusedVerdictBand);
    let mut r = fit();
    r.outcomes.clear();
    r.items.truncate(1);
    r.items[0].kind = ItemKind::YesNo { reverse: false };
    has(r, Location::VerdictRule, Problem::NoOutcomes);
}

#[test]
fn a_fallback_outcome_must_exist_and_have_others_to_give_way_to() {
    let with_fallback = |fallback: u8, outcomes: usize| {
        let mut r = fit();
        r.outcomes.truncate(outcomes);
        // Weights only on the outcomes kept (the first, for the others).
        for item in &mut r.items {
            if let ItemKind::Single { options } = &mut item.kind {
                for weight in options.iter_mut().flat_map(|o| o.weights.iter_mut()) {
                    if let Target::Outcome(o) = weight.target {
                        if usize::from(o) >= outcomes {
                            weight.target = Target::Outcome(0);
                        }
                    }
                }
            }
        }
        r.verdict_rule = VerdictRule::TopOutcomeWithFallback { fallback };
        r
    };
    assert_eq!(problems(with_fallback(2, 3)), vec![]);
    has(
        with_fallback(3, 3),
        Location::VerdictRule,
        Problem::UnknownOutcome { outcome: 3 },
    );
    has(
        with_fallback(0, 1),
        Location::VerdictRule,
        Problem::FallbackAlone,
    );
    let mut none = with_fallback(0, 0);
    none.items.truncate(1);
    none.items[0].kind = ItemKind::YesNo { reverse: false };
    has(none, Location::VerdictRule, Problem::NoOutcomes);
}

#[test]
fn limits_are_enforced() {
    let mut r = fit();
    let template = r.items[0].clone();
    r.items = (0..65)
        .map(|i| {
            let mut item = template.clone();
            item.id = format!("i{i}");
            item
        })
        .collect();
    has(
        r.clone(),
        Location::Rubric,
        Problem::LimitExceeded {
            limit: Limit::Items,
            found: 65,
        },
    );
    let payload = BundlePayload { rubrics: vec![r] }.encode().unwrap();
    assert_eq!(
        Bundle::decode(&encode_container(&payload)).unwrap_err(),
        BundleError::LimitExceeded {
            limit: Limit::Items,
            found: 65
        }
    );
    let mut r = fit();
    r.title = "x".repeat(3000);
    has(
        r,
        Location::Rubric,
        Problem::LimitExceeded {
            limit: Limit::TextBytes,
            found: 3000,
        },
    );
}

#[test]
fn several_problems_are_all_reported() {
    let mut r = mixed();
    r.items[0].section = 9;
    r.items[1].id = s("q1");
    r.title = String::new();
    assert!(problems(r).len() >= 3);
}

/// `mixed` with craft banded on its value and weights on every kind of
/// item: scales 2*4 + 1*4, multi 4 + 4, single best of 5 and 2, count
/// 1*50, yes/no 3. Its top is 8 + 4 + 8 + 5 + 50 + 3 = 78.
fn craft_by_value(hi: u32) -> Rubric {
    let mut r = mixed();
    r.dimensions[0].band_on = BandOn::Value;
    if let ItemKind::Single { options } = &mut r.items[6].kind {
        options[0].weights.push(w(Target::Dimension(0), 5));
        options[1].weights.push(w(Target::Dimension(0), 2));
    }
    r.items[8].weights = vec![w(Target::Dimension(0), 1)];
    r.items[2].weights = vec![w(Target::Dimension(0), 3)];
    r.bands[0].hi = 40;
    r.bands[1].lo = 41;
    r.bands[1].hi = hi;
    r
}

#[test]
fn value_bands_reach_exactly_what_every_kind_of_item_can_give() {
    assert_eq!(problems(craft_by_value(78)), vec![]);
    has(
        craft_by_value(79),
        Location::Band(1),
        Problem::BandBeyondRange { hi: 79, top: 78 },
    );
    has(
        craft_by_value(77),
        Location::Dimension(0),
        Problem::BandGap { from: 78, to: 78 },
    );
    // The scorer's maximum with every item visible is the same top.
    let bytes = encode_container(
        &BundlePayload {
            rubrics: vec![craft_by_value(78)],
        }
        .encode()
        .unwrap(),
    );
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("mixed").unwrap();
    let mut answers = rubric_engine::Answers::new(10);
    answers.set(2, rubric_engine::Answer::YesNo(true)).unwrap();
    let result = rubric_engine::score(&rubric, &answers);
    assert_eq!(result.dimensions[0].max, 78);
}

#[test]
fn limits_of_weights_scales_and_counts_are_inclusive() {
    let mut r = mixed();
    r.items[0].weights = vec![w(Target::Dimension(0), 100)];
    r.items[0].kind = scale(1, 10, false);
    r.items[8].kind = ItemKind::Count {
        min: 7,
        max: 7,
        unit: String::new(),
    };
    r.items[9].kind = ItemKind::Count {
        min: 0,
        max: 10_000,
        unit: String::new(),
    };
    assert_eq!(problems(r), vec![]);
    let mut r = mixed();
    r.items[0].kind = scale(0, 10, false);
    has(
        r,
        Location::Item(0),
        Problem::ScaleRange { min: 0, max: 10 },
    );
    let mut r = mixed();
    r.items[9].kind = ItemKind::Count {
        min: 0,
        max: 10_001,
        unit: String::new(),
    };
    has(
        r,
        Location::Item(9),
        Problem::CountRange {
            min: 0,
            max: 10_001,
        },
    );
}

#[test]
fn choice_items_carry_weights_on_their_options_only() {
    for item in [6, 7] {
        let mut r = mixed();
        r.items[item].weights = vec![w(Target::Dimension(0), 1)];
        has(r, Location::Item(item as u8), Problem::WeightsNotAllowed);
    }
}

#[test]
fn an_issue_reads_as_a_sentence() {
    let issue = Issue {
        rubric: 1,
        at: Location::Option { item: 3, option: 2 },
        problem: Problem::UnknownDimension { dimension: 9 },
    };
    assert_eq!(
        issue.to_string(),
        "rubric 1, item 3 option 2: dimension 9 does not exist"
    );
}

#[test]
fn every_caveat_needs_a_text() {
    let mut r = mixed();
    r.caveats[0].text = String::new();
    assert_eq!(
        problems(r),
        vec![Issue {
            rubric: 0,
            at: Location::Caveat(0),
            problem: Problem::EmptyText,
        }]
    );
}

#[test]
fn a_grid_over_a_dimension_without_bands_is_not_checked_cell_by_cell() {
    for (x, y) in [(1, 0), (0, 1)] {
        let mut r = mixed();
        r.bands.retain(|b| b.scope != BandScope::Dimension(0));
        if let VerdictRule::Grid { x: gx, y: gy, .. } = &mut r.verdict_rule {
            (*gx, *gy) = (x, y);
        }
        let found = problems(r);
        let first_verdict_band = 4;
        assert_eq!(
            found,
            [
                (Location::VerdictRule, Problem::NoBands { dimension: 0 }),
                (
                    Location::Band(first_verdict_band),
                    Problem::UnusedVerdictBand
                ),
                (
                    Location::Band(first_verdict_band + 1),
                    Problem::UnusedVerdictBand
                ),
                (
                    Location::Band(first_verdict_band + 2),
                    Problem::UnusedVerdictBand
                ),
            ]
            .map(|(at, problem)| Issue {
                rubric: 0,
                at,
                problem
            }),
            "grid ({x}, {y})"
        );
    }
}

#[test]
fn ids_and_texts_may_be_exactly_as_long_as_their_limit() {
    use rubric_engine::limits::{MAX_ID_BYTES, MAX_TEXT_BYTES};
    let mut r = mixed();
    r.sections[0].id = "s".repeat(MAX_ID_BYTES);
    r.title = "t".repeat(MAX_TEXT_BYTES);
    assert_eq!(problems(r), vec![]);
    let mut r = mixed();
    r.sections[0].id = "s".repeat(MAX_ID_BYTES + 1);
    r.title = "t".repeat(MAX_TEXT_BYTES + 1);
    has(
        r.clone(),
        Location::Section(0),
        Problem::LimitExceeded {
            limit: Limit::IdBytes,
            found: MAX_ID_BYTES + 1,
        },
    );
    has(
        r,
        Location::Rubric,
        Problem::LimitExceeded {
            limit: Limit::TextBytes,
            found: MAX_TEXT_BYTES + 1,
        },
    );
}
