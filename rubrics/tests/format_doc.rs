//! The complete example in FORMAT.md compiles, so the documentation cannot drift.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::PathBuf;

#[test]
fn complete_example_in_format_md_compiles() {
    let doc = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("FORMAT.md"))
        .unwrap();
    let start = doc.find("## A complete example").expect("section exists");
    let block = &doc[start..];
    let code = &block[block.find("```toml\n").unwrap() + 8..];
    let code = &code[..code.find("```").unwrap()];
    let source = rubrics::Source {
        path: "FORMAT.md".into(),
        text: code.to_string(),
    };
    let payload = match rubrics::compile(&[source]) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let rubric = &payload.rubrics[0];
    assert_eq!(rubric.items.len(), 9);
    assert_eq!(rubric.dimensions.len(), 3);
    assert_eq!(rubric.outcomes.len(), 2);
}
