//! The model's lookups on a decoded rubric.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use rubric_engine::Bundle;

#[test]
fn a_rubric_finds_its_items_bands_and_options() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("mixed").unwrap();
    assert_eq!(rubric.item_index("q1"), Some(0));
    assert_eq!(rubric.item_index("helped"), Some(9));
    assert_eq!(rubric.item_index("nope"), None);
    assert_eq!(rubric.band(1).map(|b| b.id), Some("craft-high"));
    assert_eq!(rubric.band(99), None);
    let option_ids = |index: usize| -> Vec<&str> {
        let item = rubric.item(index).unwrap();
        item.kind.options().iter().map(|o| o.id).collect()
    };
    assert_eq!(option_ids(6), ["a", "b"]);
    assert_eq!(option_ids(7), ["x", "y", "z"]);
    assert!(option_ids(0).is_empty());
}
