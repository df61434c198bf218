//! Every rule and item kind, scored by hand and by the engine.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::{option, w};
use rubric_engine::codec::encode_container;
use rubric_engine::model::{Condition, Target, Test};
use rubric_engine::owned::{self, BundlePayload, ItemKind, ShowIf};
use rubric_engine::{contributions, score, Answer, Answers, Bundle, ScoreResult, Verdict};

const CRAFT: Target = Target::Dimension(0);

fn with_mixed<R>(f: impl FnOnce(rubric_engine::Rubric<'_>) -> R) -> R {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    f(bundle.rubric("mixed").unwrap())
}

/// Runs `f` on a changed copy of the fixture's `mixed` rubric, decoded (and
/// so validated) from its bundle bytes.
fn with_changed<R>(
    change: impl FnOnce(&mut owned::Rubric),
    f: impl FnOnce(rubric_engine::Rubric<'_>) -> R,
) -> R {
    let mut rubric = common::mixed();
    change(&mut rubric);
    let payload = BundlePayload {
        rubrics: vec![rubric],
    };
    let bytes = encode_container(&payload.encode().unwrap());
    let bundle = Bundle::decode(&bytes).unwrap();
    f(bundle.rubric("mixed").unwrap())
}

fn show_if(rubric: &mut owned::Rubric, item: usize, on: u8, test: Test) {
    rubric.items[item].show_if = ShowIf::When(Condition { item: on, test });
}

fn craft(r: &ScoreResult) -> (u32, u32) {
    (r.dimensions[0].value, r.dimensions[0].max)
}

fn answers(pairs: &[(usize, Answer)]) -> Answers {
    let mut a = Answers::new(10);
    for &(i, answer) in pairs {
        a.set(i, answer).unwrap();
    }
    a
}

#[test]
fn weighted_sum_with_reverse_scale_and_multi() {
    with_mixed(|rubric| {
        // q1 level 4: 2*(4-1)=6 of 8; q2 reversed level 2: 1*(5-2)=3 of 4; many x+z: 4 of 8.
        let a = answers(&[
            (0, Answer::Level(4)),
            (1, Answer::Level(2)),
            (7, Answer::Choices(0b101)),
        ]);
        let r = score(&rubric, &a);
        let craft = r.dimensions[0];
        assert_eq!((craft.value, craft.max, craft.percent), (13, 20, 65));
        assert_eq!(craft.band, Some(1));
    });
}

#[test]
fn yes_count_counts_reversed_items_on_no() {
    with_mixed(|rubric| {
        let a = answers(&[
            (2, Answer::YesNo(true)),
            (3, Answer::YesNo(false)),
            (4, Answer::YesNo(false)),
        ]);
        let r = score(&rubric, &a);
        assert_eq!((r.dimensions[1].value, r.dimensions[1].max), (2, 3));
        assert_eq!(r.dimensions[1].band, Some(3));
        let a = answers(&[(2, Answer::YesNo(true)), (4, Answer::YesNo(true))]);
        let r = score(&rubric, &a);
        assert_eq!(r.dimensions[1].value, 1);
        assert_eq!(r.dimensions[1].band, Some(2));
    });
}

#[test]
fn ratio_is_share_of_the_total_and_zero_when_empty() {
    with_mixed(|rubric| {
        let r = score(
            &rubric,
            &answers(&[(8, Answer::Count(7)), (9, Answer::Count(3))]),
        );
        let share = r.dimensions[2];
        assert_eq!(
            (share.value, share.max, share.percent, share.band),
            (3, 10, 30, Some(5))
        );
        let r = score(
            &rubric,
            &answers(&[(8, Answer::Count(0)), (9, Answer::Count(0))]),
        );
        assert_eq!(
            (r.dimensions[2].percent, r.dimensions[2].band),
            (0, Some(4))
        );
        // 1 of 300 floors to 0 percent.
        let r = score(
            &rubric,
            &answers(&[(8, Answer::Count(299)), (9, Answer::Count(1))]),
        );
        assert_eq!(r.dimensions[2].percent, 0);
    });
}

#[test]
fn grid_verdict_uses_both_dimensions() {
    with_mixed(|rubric| {
        let few_solo = answers(&[
            (2, Answer::YesNo(false)),
            (8, Answer::Count(5)),
            (9, Answer::Count(1)),
        ]);
        assert_eq!(score(&rubric, &few_solo).verdict, Verdict::Band(6));
        let few_shared = answers(&[(8, Answer::Count(1)), (9, Answer::Count(1))]);
        assert_eq!(score(&rubric, &few_shared).verdict, Verdict::Band(7));
        let many = answers(&[(2, Answer::YesNo(true)), (3, Answer::YesNo(true))]);
        assert_eq!(score(&rubric, &many).verdict, Verdict::Band(8));
    });
}

#[test]
fn outcome_fit_is_ranked_with_ties_shared() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let fit = bundle.rubric("fit").unwrap();
    // l, m, n: lead 2/6, arch 2/6, solver 1/3 -> all 33%; an exact tie is
    // listed in declaration order, shares rank 1 and is reported as a tie.
    let mut a = Answers::new(3);
    a.set(0, Answer::Choice(0)).unwrap();
    a.set(1, Answer::Choice(1)).unwrap();
    a.set(2, Answer::Choice(2)).unwrap();
    let r = score(&fit, &a);
    let order: Vec<u8> = r.outcomes.iter().map(|o| o.outcome).collect();
    assert_eq!(order, vec![0, 1, 2]);
    assert_eq!(r.verdict, Verdict::Tied(0b111));
    assert_eq!(r.outcomes[2].rank, 1);
    // m, m, l: arch 4/6 first.
    a.set(0, Answer::Choice(1)).unwrap();
    a.set(2, Answer::Choice(0)).unwrap();
    let r = score(&fit, &a);
    assert_eq!(r.verdict, Verdict::Outcome(1));
    assert_eq!(
        (
            r.outcomes[0].received,
            r.outcomes[0].possible,
            r.outcomes[0].percent
        ),
        (4, 6, 66)
    );
    // Nothing answered: no verdict.
    assert_eq!(score(&fit, &Answers::new(3)).verdict, Verdict::Undetermined);
}

#[test]
fn a_fallback_outcome_wins_only_alone() {
    let mut rubric = common::fit();
    // Outcome 2 ("solver", 1 point per item, 3 at most) is the fallback.
    rubric.verdict_rule = owned::VerdictRule::TopOutcomeWithFallback { fallback: 2 };
    let payload = BundlePayload {
        rubrics: vec![rubric],
    };
    let bytes = encode_container(&payload.encode().unwrap());
    let bundle = Bundle::decode(&bytes).unwrap();
    let fit = bundle.rubric("fit").unwrap();
    let verdict = |choices: &[Option<u8>]| {
        let mut a = Answers::new(3);
        for (i, choice) in choices.iter().enumerate() {
            if let Some(c) = choice {
                a.set(i, Answer::Choice(*c)).unwrap();
            }
        }
        let r = score(&fit, &a);
        (r.verdict, r.outcomes.iter().filter(|o| o.rank == 1).count())
    };
    // l, m, n: all three at 1/3; without the fallback, lead and arch tie.
    assert_eq!(
        verdict(&[Some(0), Some(1), Some(2)]),
        (Verdict::Tied(0b011), 3)
    );
    // l, n: lead 2/6 and solver 1/3 level; the one other outcome wins.
    assert_eq!(verdict(&[Some(0), Some(2), None]), (Verdict::Outcome(0), 2));
    // l, n, n: solver 2/3 ahead alone, so the fallback is the verdict.
    assert_eq!(
        verdict(&[Some(0), Some(2), Some(2)]),
        (Verdict::Outcome(2), 1)
    );
    // m, m, l: arch ahead, the fallback plays no part.
    assert_eq!(
        verdict(&[Some(1), Some(1), Some(0)]),
        (Verdict::Outcome(1), 1)
    );
    // Nothing answered: still no verdict.
    assert_eq!(verdict(&[None, None, None]), (Verdict::Undetermined, 3));
}

#[test]
fn single_choice_maximum_is_the_best_option_per_target() {
    with_mixed(|rubric| {
        let r = score(
            &rubric,
            &answers(&[(6, Answer::Choice(1)), (7, Answer::Choices(0b001))]),
        );
        // alpha: best option gives 3; chosen b gives 1. beta: 3 from pick + 1 from many.x.
        let alpha = r.outcome(0).unwrap();
        let beta = r.outcome(1).unwrap();
        assert_eq!((alpha.received, alpha.possible), (1, 3));
        assert_eq!((beta.received, beta.possible), (4, 4));
        assert_eq!(r.verdict, Verdict::Band(6));
    });
}

#[test]
fn hidden_items_count_neither_value_nor_max_nor_completeness() {
    with_mixed(|rubric| {
        let a = answers(&[(2, Answer::YesNo(false)), (5, Answer::Text)]);
        let r = score(&rubric, &a);
        assert_eq!(r.visible, 9); // "why" hidden
        assert_eq!(r.answered, 1);
        assert!(!r.complete);
    });
}

#[test]
fn complete_when_every_visible_required_item_is_answered() {
    with_mixed(|rubric| {
        let all = answers(&[
            (0, Answer::Level(1)),
            (1, Answer::Level(1)),
            (2, Answer::YesNo(true)),
            (3, Answer::YesNo(true)),
            (4, Answer::YesNo(true)),
            (6, Answer::Choice(0)),
            (7, Answer::Choices(0)),
            (8, Answer::Count(0)),
            (9, Answer::Count(0)),
        ]);
        let r = score(&rubric, &all);
        assert!(r.complete, "optional 'why' may stay empty");
        assert_eq!((r.visible, r.answered), (10, 9));
    });
}

#[test]
fn result_encodes_compactly_and_round_trips() {
    with_mixed(|rubric| {
        let r = score(
            &rubric,
            &answers(&[(0, Answer::Level(3)), (8, Answer::Count(4))]),
        );
        let mut buf = [0u8; 256];
        let used = r.encode(&mut buf).unwrap().len();
        assert!(used < 64, "result took {used} bytes");
        let back = rubric_engine::ScoreResult::decode(&buf[..used]).unwrap();
        assert_eq!(back, r);
        let mut longer = buf[..used].to_vec();
        longer.push(0);
        assert!(rubric_engine::ScoreResult::decode(&longer).is_err());
    });
}

#[test]
fn contributions_explain_each_rule() {
    use rubric_engine::model::Target;
    use rubric_engine::{contributions, Contribution};
    with_mixed(|rubric| {
        let a = answers(&[
            (0, Answer::Level(4)),
            (2, Answer::YesNo(true)),
            (4, Answer::YesNo(false)),
            (7, Answer::Choices(0b001)),
            (8, Answer::Count(7)),
            (9, Answer::Count(3)),
        ]);
        let craft = contributions(&rubric, &a, Target::Dimension(0));
        assert_eq!(
            craft.as_slice(),
            &[
                Contribution {
                    item: 0,
                    points: 6,
                    possible: 8
                },
                Contribution {
                    item: 1,
                    points: 0,
                    possible: 4
                },
                Contribution {
                    item: 7,
                    points: 4,
                    possible: 8
                },
            ]
        );
        // The sum of contributions is the engine's own value and maximum.
        let r = score(&rubric, &a);
        assert_eq!(
            craft.iter().map(|c| c.points).sum::<u32>(),
            r.dimensions[0].value
        );
        assert_eq!(
            craft.iter().map(|c| c.possible).sum::<u32>(),
            r.dimensions[0].max
        );

        let yes: Vec<(u8, u32)> = contributions(&rubric, &a, Target::Dimension(1))
            .iter()
            .map(|c| (c.item, c.points))
            .collect();
        assert_eq!(yes, vec![(2, 1), (3, 0), (4, 1)]);
        let share: Vec<(u8, u32)> = contributions(&rubric, &a, Target::Dimension(2))
            .iter()
            .map(|c| (c.item, c.points))
            .collect();
        assert_eq!(share, vec![(8, 7), (9, 3)]);
        let beta: Vec<(u8, u32, u32)> = contributions(&rubric, &a, Target::Outcome(1))
            .iter()
            .map(|c| (c.item, c.points, c.possible))
            .collect();
        assert_eq!(beta, vec![(6, 0, 3), (7, 1, 1)]);
    });
}

#[test]
fn every_chosen_option_of_a_multiple_choice_counts() {
    with_mixed(|rubric| {
        // many.y (option 1) gives craft 4 of the 8 many can give.
        let r = score(&rubric, &answers(&[(7, Answer::Choices(0b010))]));
        assert_eq!(craft(&r), (4, 20));
        let r = score(&rubric, &answers(&[(7, Answer::Choices(0b011))]));
        assert_eq!(craft(&r), (8, 20));
    });
}

#[test]
fn a_single_choice_can_give_a_dimension_what_its_best_option_gives() {
    let change = |r: &mut owned::Rubric| {
        let ItemKind::Single { options } = &mut r.items[6].kind else {
            unreachable!()
        };
        options[0].weights.push(w(CRAFT, 5));
        options[1].weights.push(w(CRAFT, 2));
    };
    with_changed(change, |rubric| {
        let r = score(&rubric, &answers(&[(6, Answer::Choice(1))]));
        assert_eq!(craft(&r), (2, 25));
    });
}

#[test]
fn contributions_to_an_outcome_list_only_the_items_that_weight_it() {
    let change = |r: &mut owned::Rubric| {
        let ItemKind::Single { options } = &mut r.items[6].kind else {
            unreachable!()
        };
        options[0] = option("a", vec![w(Target::Outcome(0), 3)]);
        options[1] = option("b", vec![w(Target::Outcome(0), 1)]);
    };
    with_changed(change, |rubric| {
        let a = answers(&[(6, Answer::Choice(1)), (7, Answer::Choices(0b001))]);
        let beta: Vec<(u8, u32, u32)> = contributions(&rubric, &a, Target::Outcome(1))
            .iter()
            .map(|c| (c.item, c.points, c.possible))
            .collect();
        assert_eq!(beta, vec![(7, 1, 1)]);
    });
}

#[test]
fn a_weighted_count_gives_its_value_times_the_weight() {
    with_changed(
        |r| r.items[8].weights.push(w(CRAFT, 2)),
        |rubric| {
            let r = score(&rubric, &answers(&[(8, Answer::Count(7))]));
            // done: 2 * 7 of 2 * 50; the rest of craft: 0 of 20.
            assert_eq!(craft(&r), (14, 120));
            assert_eq!(r.dimensions[0].percent, 11);
        },
    );
}

#[test]
fn a_hidden_weighted_item_counts_neither_in_value_nor_in_maximum() {
    // q2 (reversed, weight 1) shown only if q1 is at least 3.
    with_changed(
        |r| show_if(r, 1, 0, Test::AtLeast(3)),
        |rubric| {
            // q2's answer (level 1 = 4 points) is kept while q1 = 2 hides it.
            let a = answers(&[(1, Answer::Level(1)), (0, Answer::Level(2))]);
            let r = score(&rubric, &a);
            assert_eq!(craft(&r), (2, 16));
            let items: Vec<u8> = contributions(&rubric, &a, CRAFT)
                .iter()
                .map(|c| c.item)
                .collect();
            assert_eq!(items, vec![0, 7]);
        },
    );
}

#[test]
fn a_yes_count_ignores_a_yes_no_item_hidden_by_a_cascade() {
    // y2 shown if y1 is yes; y3 shown if y2 is answered.
    with_changed(
        |r| {
            show_if(r, 3, 2, Test::IsYes);
            show_if(r, 4, 3, Test::Answered);
        },
        |rubric| {
            let a = answers(&[(3, Answer::YesNo(true)), (4, Answer::YesNo(false))]);
            let shown = answers(&[
                (2, Answer::YesNo(true)),
                (3, Answer::YesNo(true)),
                (4, Answer::YesNo(false)),
            ]);
            let r = score(&rubric, &shown);
            assert_eq!((r.dimensions[1].value, r.dimensions[1].max), (3, 3));
            assert_eq!(r.verdict, Verdict::Band(8));
            // y1 no: y2 hidden, so y3 too, although both keep their answers.
            let mut hidden = a;
            hidden.set(2, Answer::YesNo(false)).unwrap();
            let r = score(&rubric, &hidden);
            assert_eq!((r.dimensions[1].value, r.dimensions[1].max), (0, 1));
            assert_eq!(r.dimensions[1].band, Some(2));
            assert_eq!(r.verdict, Verdict::Band(6));
        },
    );
}

#[test]
fn a_ratio_ignores_a_hidden_count() {
    // helped (the ratio's part) shown only if done is at least 1.
    with_changed(
        |r| show_if(r, 9, 8, Test::AtLeast(1)),
        |rubric| {
            let a = answers(&[(9, Answer::Count(5)), (8, Answer::Count(0))]);
            let share = score(&rubric, &a).dimensions[2];
            assert_eq!((share.value, share.max, share.percent), (0, 0, 0));
            let a = answers(&[(9, Answer::Count(5)), (8, Answer::Count(5))]);
            let share = score(&rubric, &a).dimensions[2];
            assert_eq!((share.value, share.max, share.percent), (5, 10, 50));
        },
    );
}
