//! Seq: lazily decoded lists inside a payload.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use rubric_engine::seq::{encode_seq, SeqError};
use rubric_engine::Seq;

#[test]
fn iteration_stops_at_the_declared_count() {
    // Count 1, then two bytes: only the first is an element.
    let seq: Seq<'_, u8> = Seq::from_raw(&[1, 5, 6]);
    assert_eq!(seq.iter().collect::<Vec<_>>(), vec![5]);
    assert_eq!(
        seq.try_iter().collect::<Vec<_>>(),
        vec![Ok(5), Err(SeqError::TrailingBytes)]
    );
}

#[test]
fn the_size_hint_is_at_most_the_elements_left() {
    let bytes = encode_seq(&[5u8, 6, 7]).unwrap();
    let seq: Seq<'_, u8> = Seq::from_raw(&bytes);
    let mut iter = seq.iter();
    assert_eq!(iter.size_hint(), (0, Some(3)));
    iter.next();
    assert_eq!(iter.size_hint(), (0, Some(2)));
}

#[test]
fn emptiness_and_equality_follow_the_bytes() {
    let empty: Seq<'_, u8> = Seq::EMPTY;
    assert!(empty.is_empty());
    let bytes = encode_seq(&[5u8]).unwrap();
    let one: Seq<'_, u8> = Seq::from_raw(&bytes);
    assert!(!one.is_empty());
    assert_eq!(one, Seq::from_raw(&[1, 5]));
    assert_ne!(one, Seq::from_raw(&[1, 6]));
    assert_eq!(format!("{one:?}"), "Seq(len 1, 2 bytes)");
}
