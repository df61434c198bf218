//! The compiler refuses what the decoder would refuse, and oversized sources,
//! each with the limit named.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::PathBuf;

use rubric_engine::limits::{MAX_PAYLOAD_BYTES, MAX_TEXT_BYTES};
use rubrics::compile::MAX_SOURCE_BYTES;
use rubrics::{compile, read_sources, CompileError, Source};

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

fn sources(count: usize, items: usize, text_bytes: usize) -> Vec<Source> {
    (0..count)
        .map(|n| Source {
            path: PathBuf::from(format!("wordy-{n}.toml")),
            text: wordy_rubric(&format!("wordy-{n}"), items, text_bytes),
        })
        .collect()
}

#[test]
fn a_bundle_whose_payload_is_over_the_decoder_limit_is_refused_naming_the_limit() {
    // Ten rubrics of about 128 KiB each: every one fine, together over 1 MiB.
    let set = sources(10, 32, MAX_TEXT_BYTES);
    assert!(set.iter().all(|s| s.text.len() < MAX_SOURCE_BYTES));
    for source in &set {
        compile(std::slice::from_ref(source)).expect("each rubric compiles on its own");
    }
    let err = compile(&set).expect_err("the whole set is too large for a bundle");
    let CompileError::Refused(reason) = &err else {
        panic!("refused for another reason: {err}");
    };
    assert!(
        matches!(
            reason,
            rubric_engine::BundleError::LimitExceeded {
                limit: rubric_engine::Limit::PayloadBytes,
                ..
            }
        ),
        "{reason}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("the compiled bundle would be refused by every kiosk: ")
            && message.ends_with(&format!(
                "payload bytes exceeds the limit of {MAX_PAYLOAD_BYTES}"
            )),
        "{message}"
    );
    // Under the limit, the same rubrics compile together.
    compile(&set[..7]).expect("seven of them fit");
}

#[test]
fn more_rubrics_than_a_bundle_holds_are_refused_at_the_first_one_too_many() {
    let limit = rubric_engine::limits::MAX_RUBRICS;
    let set = sources(limit + 1, 2, 10);
    let Err(CompileError::Diagnostics(d)) = compile(&set) else {
        panic!("{} rubrics compiled", limit + 1);
    };
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, PathBuf::from(format!("wordy-{limit}.toml")));
    assert!(
        d[0].message
            .contains(&format!("a bundle holds at most {limit} rubrics")),
        "{}",
        d[0]
    );
    compile(&set[..limit]).expect("exactly the limit is fine");
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
