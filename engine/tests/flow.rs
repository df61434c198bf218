//! The runner: order, visibility, progress, required items.
mod common;

use rubric_engine::{Answer, AnswerError, Bundle, FlowError, Runner};

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
    assert_eq!(runner.back(), Some(2));
}
