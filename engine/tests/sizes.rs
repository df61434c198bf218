//! RAM cost of the decoded types, kept visible. Sizes are for the host
//! (64-bit pointers); on a 32-bit target references are half as large.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use core::mem::size_of;
use rubric_engine::model::{Band, Item, Rubric};
use rubric_engine::{Answer, Answers, Bundle, Runner, ScoreResult};

#[test]
fn decoded_types_stay_small() {
    let sizes = [
        ("Rubric", size_of::<Rubric>(), 256),
        ("Item", size_of::<Item>(), 160),
        ("Band", size_of::<Band>(), 96),
        ("Answer", size_of::<Answer>(), 8),
        ("Answers", size_of::<Answers>(), 8 * 64 + 16),
        ("ScoreResult", size_of::<ScoreResult>(), 320),
        ("Runner", size_of::<Runner>(), 1024),
        ("Bundle", size_of::<Bundle>(), 192),
    ];
    for (name, size, budget) in sizes {
        println!("{name}: {size} bytes (budget {budget})");
        assert!(
            size <= budget,
            "{name} grew to {size} bytes, over its budget of {budget}"
        );
    }
}
