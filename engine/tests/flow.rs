//! The runner: order, visibility, progress, required items.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use rubric_engine::codec::encode_container;
use rubric_engine::model::{Condition, Test};
use rubric_engine::owned::{BundlePayload, Rubric, ShowIf};
use rubric_engine::{visible_items, Answer, AnswerError, Answers, Bundle, FlowError, Runner};

/// The fixture's `mixed` rubric with item `item` shown only if `test` holds
/// for item `on`.
fn mixed_with(conditions: &[(usize, u8, Test)]) -> Rubric {
    let mut rubric = common::mixed();
    for &(item, on, test) in conditions {
        rubric.items[item].show_if = ShowIf::When(Condition { item: on, test });
    }
    rubric
}

/// Which of `items` are visible in `rubric` for these answers.
fn visible(rubric: &Rubric, answers: &[(usize, Answer)], items: &[usize]) -> Vec<bool> {
    let bytes = encode_container(
        &BundlePayload {
            rubrics: vec![rubric.clone()],
        }
        .encode()
        .unwrap(),
    );
    let bundle = Bundle::decode(&bytes).unwrap();
    let view = bundle.rubric(&rubric.id).unwrap();
    let mut set = Answers::new(rubric.items.len());
    for &(i, answer) in answers {
        set.set(i, answer).unwrap();
    }
    let shown = visible_items(&view, &set);
    items.iter().map(|i| shown & (1 << i) != 0).collect()
}

#[test]
fn walks_visible_items_and_refuses_to_skip_required_ones() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    assert_eq!(runner.current(), Some(0));
    assert!(runner.at_first());
    assert_eq!(runner.next_visible(), Err(FlowError::Required { item: 0 }));
    runner.answer(Answer::Level(3)).unwrap();
    assert_eq!(runner.next_visible(), Ok(Some(1)));
    runner.answer(Answer::Level(3)).unwrap();
    runner.next_visible().unwrap();
    // y1 = no: "why" (item 5) stays hidden and is skipped.
    runner.answer(Answer::YesNo(false)).unwrap();
    runner.next_visible().unwrap();
    runner.answer(Answer::YesNo(true)).unwrap();
    runner.next_visible().unwrap();
    runner.answer(Answer::YesNo(true)).unwrap();
    assert_eq!(runner.next_visible(), Ok(Some(6)));
    assert_eq!(runner.back(), Some(4));
    assert_eq!(runner.progress().visible, 9);
    assert_eq!(runner.progress().answered, 5);
}

#[test]
fn changing_an_earlier_answer_reveals_and_hides_later_items() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    assert!(!runner.is_visible(5));
    runner.set_answer(2, Answer::YesNo(true)).unwrap();
    assert!(runner.is_visible(5));
    runner.set_answer(5, Answer::Text).unwrap();
    assert_eq!(runner.progress().visible, 10);
    // Hide it again: its answer is kept but ignored, and it cannot be answered.
    runner.set_answer(2, Answer::YesNo(false)).unwrap();
    assert!(!runner.is_visible(5));
    assert_eq!(runner.answer_of(5), Answer::Text);
    assert_eq!(
        runner.set_answer(5, Answer::Text),
        Err(AnswerError::Hidden { index: 5 })
    );
    assert_eq!(runner.progress().answered, 1);
}

#[test]
fn cursor_leaves_an_item_that_becomes_hidden() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    runner.set_answer(2, Answer::YesNo(true)).unwrap();
    assert!(runner.go_to(5));
    runner.set_answer(2, Answer::YesNo(false)).unwrap();
    assert_eq!(runner.current(), Some(6));
}

#[test]
fn answers_are_checked_against_the_item_kind() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    assert_eq!(
        runner.answer(Answer::YesNo(true)),
        Err(AnswerError::WrongKind { expected: "scale" })
    );
    assert_eq!(
        runner.answer(Answer::Level(6)),
        Err(AnswerError::OutOfRange {
            min: 1,
            max: 5,
            found: 6
        })
    );
    assert_eq!(
        runner.set_answer(6, Answer::Choice(2)),
        Err(AnswerError::UnknownOption {
            option: 2,
            options: 2
        })
    );
    assert_eq!(
        runner.set_answer(7, Answer::Choices(0b1000)),
        Err(AnswerError::UnknownOption {
            option: 3,
            options: 3
        })
    );
    assert_eq!(
        runner.set_answer(8, Answer::Count(51)),
        Err(AnswerError::OutOfRange {
            min: 0,
            max: 50,
            found: 51
        })
    );
    assert_eq!(
        runner.set_answer(42, Answer::Text),
        Err(AnswerError::NoSuchItem { index: 42 })
    );
}

#[test]
fn missing_required_lists_visible_unanswered_required_items() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    for (i, a) in [
        (0, Answer::Level(1)),
        (1, Answer::Level(1)),
        (2, Answer::YesNo(true)),
        (3, Answer::YesNo(true)),
    ] {
        runner.set_answer(i, a).unwrap();
    }
    let missing: Vec<usize> = runner.missing_required().collect();
    assert_eq!(missing, vec![4, 6, 7, 8, 9]);
    assert!(!runner.is_complete());
}

#[test]
fn resume_keeps_fitting_answers_and_drops_others() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("mixed").unwrap();
    let mut saved = rubric_engine::Answers::new(10);
    saved.set(0, Answer::Level(2)).unwrap();
    saved.set(1, Answer::YesNo(true)).unwrap(); // wrong kind, e.g. after a rubric change
    let runner = Runner::resume(rubric, saved, 1);
    assert_eq!(runner.answer_of(0), Answer::Level(2));
    assert_eq!(runner.answer_of(1), Answer::Unanswered);
    assert_eq!(runner.current(), Some(1));
}

#[test]
fn next_at_the_end_stays_at_the_end() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("fit").unwrap());
    for _ in 0..3 {
        runner.answer(Answer::Choice(0)).unwrap();
        runner.next_visible().unwrap();
    }
    assert_eq!(runner.current(), None);
    assert_eq!(runner.next_visible(), Ok(None));
    // At the end the cursor sits just past the last item.
    assert_eq!(
        runner.answer(Answer::Choice(0)),
        Err(AnswerError::NoSuchItem { index: 3 })
    );
    assert_eq!(runner.back(), Some(2));
}

#[test]
fn a_flow_error_names_the_required_item() {
    let message = FlowError::Required { item: 4 }.to_string();
    assert!(message.contains("item 4 is required"), "{message}");
}

#[test]
fn at_least_on_a_scale_shows_the_item_from_the_bound_up() {
    // q2 (item 1) shown when q1 (item 0, levels 1..5) is at least 3.
    let rubric = mixed_with(&[(1, 0, Test::AtLeast(3))]);
    assert_eq!(visible(&rubric, &[], &[1]), [false]);
    assert_eq!(visible(&rubric, &[(0, Answer::Level(2))], &[1]), [false]);
    assert_eq!(visible(&rubric, &[(0, Answer::Level(3))], &[1]), [true]);
    assert_eq!(visible(&rubric, &[(0, Answer::Level(5))], &[1]), [true]);
}

#[test]
fn at_most_on_a_scale_shows_the_item_up_to_the_bound() {
    let rubric = mixed_with(&[(1, 0, Test::AtMost(3))]);
    assert_eq!(visible(&rubric, &[], &[1]), [false]);
    assert_eq!(visible(&rubric, &[(0, Answer::Level(1))], &[1]), [true]);
    assert_eq!(visible(&rubric, &[(0, Answer::Level(3))], &[1]), [true]);
    assert_eq!(visible(&rubric, &[(0, Answer::Level(4))], &[1]), [false]);
}

#[test]
fn at_least_and_at_most_on_a_count_include_the_bound() {
    // helped (item 9) depends on done (item 8, a count 0..50).
    let at_least = mixed_with(&[(9, 8, Test::AtLeast(10))]);
    assert_eq!(visible(&at_least, &[], &[9]), [false]);
    assert_eq!(visible(&at_least, &[(8, Answer::Count(9))], &[9]), [false]);
    assert_eq!(visible(&at_least, &[(8, Answer::Count(10))], &[9]), [true]);
    assert_eq!(visible(&at_least, &[(8, Answer::Count(50))], &[9]), [true]);
    let at_most = mixed_with(&[(9, 8, Test::AtMost(10))]);
    assert_eq!(visible(&at_most, &[], &[9]), [false]);
    assert_eq!(visible(&at_most, &[(8, Answer::Count(0))], &[9]), [true]);
    assert_eq!(visible(&at_most, &[(8, Answer::Count(10))], &[9]), [true]);
    assert_eq!(visible(&at_most, &[(8, Answer::Count(11))], &[9]), [false]);
}

#[test]
fn an_item_is_hidden_when_the_item_its_condition_tests_is_hidden() {
    // y2 (3) shown if y1 (2) is yes; y3 (4) shown if y2 is answered.
    let rubric = mixed_with(&[(3, 2, Test::IsYes), (4, 3, Test::Answered)]);
    let both_yes = [(2, Answer::YesNo(true)), (3, Answer::YesNo(true))];
    assert_eq!(visible(&rubric, &both_yes, &[3, 4]), [true, true]);
    // y1 no hides y2; y2 keeps its answer, yet y3 is hidden too.
    let y1_no = [
        (2, Answer::YesNo(true)),
        (3, Answer::YesNo(true)),
        (2, Answer::YesNo(false)),
    ];
    assert_eq!(visible(&rubric, &y1_no, &[3, 4]), [false, false]);
    // The cascade goes on: an item that depends on y3 is hidden as well.
    let deeper = mixed_with(&[
        (3, 2, Test::IsYes),
        (4, 3, Test::Answered),
        (5, 4, Test::Answered),
    ]);
    let all = [
        (2, Answer::YesNo(false)),
        (3, Answer::YesNo(true)),
        (4, Answer::YesNo(true)),
    ];
    assert_eq!(visible(&deeper, &all, &[3, 4, 5]), [false, false, false]);
}

#[test]
fn is_no_and_chosen_test_the_answer_they_name() {
    let rubric = mixed_with(&[
        (3, 2, Test::IsNo),
        (8, 6, Test::Chosen(1)),
        (9, 7, Test::Chosen(2)),
    ]);
    assert_eq!(visible(&rubric, &[], &[3, 8, 9]), [false, false, false]);
    let yes = [
        (2, Answer::YesNo(true)),
        (6, Answer::Choice(0)),
        (7, Answer::Choices(0b011)),
    ];
    assert_eq!(visible(&rubric, &yes, &[3, 8, 9]), [false, false, false]);
    let no = [
        (2, Answer::YesNo(false)),
        (6, Answer::Choice(1)),
        (7, Answer::Choices(0b100)),
    ];
    assert_eq!(visible(&rubric, &no, &[3, 8, 9]), [true, true, true]);
}

#[test]
fn the_runner_skips_an_item_hidden_by_a_cascade() {
    let rubric = mixed_with(&[(3, 2, Test::IsYes), (4, 3, Test::Answered)]);
    let bytes = encode_container(
        &BundlePayload {
            rubrics: vec![rubric],
        }
        .encode()
        .unwrap(),
    );
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    runner.set_answer(2, Answer::YesNo(true)).unwrap();
    runner.set_answer(3, Answer::YesNo(true)).unwrap();
    assert!(runner.go_to(2));
    runner.set_answer(2, Answer::YesNo(false)).unwrap();
    assert_eq!(runner.next_visible(), Ok(Some(6)));
    assert_eq!(
        runner.missing_required().collect::<Vec<_>>(),
        vec![0, 1, 6, 7, 8, 9]
    );
}

#[test]
fn the_runner_reports_its_position_and_visible_set() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("mixed").unwrap();
    let mut runner = Runner::new(rubric);
    assert_eq!(runner.back(), Some(0), "back on the first item stays there");
    assert_eq!(runner.current_item().map(|item| item.id), Some("q1"));
    runner.set_answer(2, Answer::YesNo(true)).unwrap();
    assert_eq!(runner.visible(), visible_items(&rubric, runner.answers()));
    assert_eq!(runner.visible().count_ones(), 10);
    assert!(runner.go_to(1));
    assert!(!runner.at_first());
    assert!(runner.go_to(0));
    assert!(runner.at_first());
    let answers = runner.into_answers();
    assert_eq!(answers.get(2), Answer::YesNo(true));
}

#[test]
fn is_complete_once_every_visible_required_item_is_answered() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("fit").unwrap());
    assert!(!runner.is_complete());
    for i in 0..3 {
        runner.set_answer(i, Answer::Choice(1)).unwrap();
    }
    assert!(runner.is_complete());
}

#[test]
fn nothing_is_visible_past_the_last_item_of_a_full_rubric() {
    let mut rubric = common::fit();
    let first = rubric.items[0].clone();
    rubric.items = (0..rubric_engine::limits::MAX_ITEMS)
        .map(|i| {
            let mut item = first.clone();
            item.id = format!("f{i}");
            item
        })
        .collect();
    let bytes = encode_container(
        &BundlePayload {
            rubrics: vec![rubric],
        }
        .encode()
        .unwrap(),
    );
    let bundle = Bundle::decode(&bytes).unwrap();
    let runner = Runner::new(bundle.rubric("fit").unwrap());
    assert!(runner.is_visible(rubric_engine::limits::MAX_ITEMS - 1));
    assert!(!runner.is_visible(rubric_engine::limits::MAX_ITEMS));
}

#[test]
fn answered_holds_only_once_the_tested_item_has_an_answer() {
    let rubric = mixed_with(&[(4, 3, Test::Answered)]);
    assert_eq!(visible(&rubric, &[], &[3, 4]), [true, false]);
    let answered = [(3, Answer::YesNo(false))];
    assert_eq!(visible(&rubric, &answered, &[3, 4]), [true, true]);
}

#[test]
fn visibility_does_not_panic_on_an_unvalidated_option_index() {
    // Validation refuses Chosen(16) (a choice has at most 16 options); an
    // unvalidated rubric decoded with stock postcard must still not panic.
    let rubric = mixed_with(&[(8, 7, Test::Chosen(16))]);
    let payload = BundlePayload {
        rubrics: vec![rubric],
    }
    .encode()
    .unwrap();
    let view: rubric_engine::BundlePayload = postcard::from_bytes(&payload).unwrap();
    let rubric = view.rubrics.get(0).unwrap();
    let mut answers = Answers::new(10);
    answers.set(7, Answer::Choices(u16::MAX)).unwrap();
    assert_eq!(visible_items(&rubric, &answers) & (1 << 8), 0);
}

#[test]
fn a_multiple_choice_takes_any_set_of_its_options() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut runner = Runner::new(bundle.rubric("mixed").unwrap());
    for mask in [0b000, 0b101, 0b111] {
        assert_eq!(runner.set_answer(7, Answer::Choices(mask)), Ok(()));
    }
}

#[test]
fn answers_have_one_slot_per_item() {
    assert_eq!(Answers::new(10).len(), 10);
    assert!(!Answers::new(10).is_empty());
    assert!(Answers::new(0).is_empty());
    assert_eq!(Answers::new(1000).len(), rubric_engine::limits::MAX_ITEMS);
}

#[test]
fn an_answer_error_says_what_is_wrong() {
    let message = AnswerError::OutOfRange {
        min: 1,
        max: 5,
        found: 6,
    }
    .to_string();
    assert_eq!(message, "6 is outside the allowed range 1..=5");
}
