//! The compiler refuses oversized sources, with the limit named.

use rubrics::compile::MAX_SOURCE_BYTES;
use rubrics::{compile, read_sources, CompileError};

/// A valid rubric of `items` yes-no items whose prompt and help are each
/// `text_bytes` long: large, but within every per-rubric limit.
fn wordy_rubric(id: &str, items: usize, text_bytes: usize) -> String {
    let text = "word ".repeat(text_bytes / 5);
    let mut source = format!(
        "id = \"{id}\"\ntitle = \"Wordy\"\nsummary = \"Long texts\"\ncategory = \"self-assessment\"\n"
    );
    for i in 0..items {
        source.push_str(&format!(
            "\n[[item]]\nid = \"q{i}\"\nkind = \"yes-no\"\nprompt = \"{text}\"\nhelp = \"{text}\"\n"
        ));
    }
    source.push_str(&format!(
        r#"
[[dimension]]
id = "yes"
title = "Yes answers"
rule = "yes-count"

[[band]]
id = "none"
dimension = "yes"
range = [0, 0]
label = "None"

[[band]]
id = "some"
dimension = "yes"
range = [1, {items}]
label = "Some"

[verdict]
dimension = "yes"
"#
    ));
    source
}

#[test]
fn a_source_file_over_the_size_limit_is_refused_naming_the_file_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    let mut text = wordy_rubric("big", 2, 10).into_bytes();
    text.resize(MAX_SOURCE_BYTES + 1, b'\n');
    std::fs::write(&big, &text).unwrap();
    let err = read_sources(&[dir.path().to_path_buf()]).unwrap_err();
    assert!(
        matches!(&err, CompileError::SourceTooLarge { path, limit } if *path == big && *limit == MAX_SOURCE_BYTES),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{} is larger than the limit of 262144 bytes for a rubric source",
            big.display()
        )
    );
    // At the limit the file is read (and compiles: the padding is blank lines).
    text.truncate(MAX_SOURCE_BYTES);
    std::fs::write(&big, &text).unwrap();
    let read = read_sources(&[big]).unwrap();
    compile(&read).unwrap();
}
