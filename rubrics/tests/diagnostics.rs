//! Broken sources: every error names its line and column, several per run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::PathBuf;

use rubrics::{compile, CompileError, Diagnostic, Source};

const VALID: &str = r#"
id = "mini"
title = "Mini"
summary = "A small rubric"
category = "self-assessment"

[[item]]
id = "a"
kind = "yes-no"
prompt = "A?"

[[item]]
id = "b"
kind = "yes-no"
prompt = "B?"

[[dimension]]
id = "yes"
title = "Yes answers"
rule = "yes-count"

[[band]]
id = "low"
dimension = "yes"
range = [0, 0]
label = "None"

[[band]]
id = "high"
dimension = "yes"
range = [1, 2]
label = "Some"

[verdict]
dimension = "yes"
"#;

fn errors(text: &str) -> Vec<Diagnostic> {
    let source = Source {
        path: PathBuf::from("test.toml"),
        text: text.to_string(),
    };
    match compile(&[source]) {
        Ok(_) => Vec::new(),
        Err(CompileError::Diagnostics(d)) => d,
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn at(d: &[Diagnostic], line: usize, column: usize, needle: &str) {
    assert!(
        d.iter()
            .any(|x| x.line == line && x.column == column && x.to_string().contains(needle)),
        "no error at {line}:{column} containing {needle:?}; got:\n{}",
        d.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_valid_source_compiles() {
    assert_eq!(errors(VALID), vec![]);
}

#[test]
fn invalid_toml_points_at_the_syntax_error() {
    let d = errors("id = \"x\"\ntitle = \"unterminated\n");
    assert_eq!(d.len(), 1);
    at(&d, 2, 22, "not valid TOML");
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let text = VALID.replace("prompt = \"B?\"", "promt = \"B?\"");
    let d = errors(&text);
    at(&d, 15, 1, "unknown key `promt` in an [[item]]");
    assert!(d
        .iter()
        .any(|x| x.help.as_deref() == Some("did you mean `prompt`?")));
    // And the missing prompt is reported too: several errors in one run.
    at(&d, 12, 1, "missing `prompt`");
}

#[test]
fn unknown_references_name_the_id_and_suggest() {
    let text = VALID.replace(
        "dimension = \"yes\"\nrange = [1, 2]",
        "dimension = \"yess\"\nrange = [1, 2]",
    );
    let d = errors(&text);
    at(&d, 30, 13, "there is no dimension with id `yess`");
    assert!(d
        .iter()
        .any(|x| x.help.as_deref() == Some("did you mean `yes`?")));
}

#[test]
fn band_gaps_name_both_bands_and_the_missing_scores() {
    let text = VALID.replace("range = [1, 2]", "range = [2, 2]");
    let d = errors(&text);
    at(
        &d,
        28,
        1,
        "band `low` ends at 0 but `high` starts at 2: score 1 has no band",
    );
}

#[test]
fn band_overlaps_and_ranges_beyond_the_maximum() {
    let d = errors(&VALID.replace("range = [1, 2]", "range = [0, 3]"));
    at(&d, 28, 1, "band `low` and band `high` both cover 0-0");
    at(
        &d,
        28,
        1,
        "band `high` ends at 3, but dimension `yes` can only reach 2",
    );
}

#[test]
fn wrong_types_and_values() {
    let d = errors(&VALID.replace(
        "kind = \"yes-no\"\nprompt = \"A?\"",
        "kind = \"yesno\"\nprompt = 7",
    ));
    at(&d, 9, 8, "unknown item kind `yesno`");
    at(&d, 10, 10, "`prompt` must be text");
    let d = errors(&VALID.replace("range = [0, 0]", "range = [0]"));
    at(&d, 25, 9, "`range` must be two numbers");
}

#[test]
fn conditions_must_look_back() {
    let text = VALID.replace(
        "prompt = \"A?\"",
        "prompt = \"A?\"\nshow-if = { item = \"b\", is = \"yes\" }",
    );
    let d = errors(&text);
    at(&d, 11, 20, "`show-if` may only look at an earlier item");
}

#[test]
fn duplicate_ids_across_files() {
    let a = Source {
        path: PathBuf::from("a.toml"),
        text: VALID.to_string(),
    };
    let b = Source {
        path: PathBuf::from("b.toml"),
        text: VALID.to_string(),
    };
    match compile(&[a, b]) {
        Err(CompileError::Diagnostics(d)) => {
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].file, PathBuf::from("b.toml"));
            assert!(d[0].message.contains("already used by a.toml"), "{}", d[0]);
            assert_eq!((d[0].line, d[0].column), (2, 6));
        }
        other => panic!("expected a duplicate id error, got {other:?}"),
    }
}

#[test]
fn grid_cells_must_cover_every_pair() {
    let text = VALID.replace(
        "[verdict]\ndimension = \"yes\"",
        "[[dimension]]\nid = \"score\"\ntitle = \"S\"\n\n[[band]]\nid = \"s-all\"\ndimension = \"score\"\nrange = [0, 100]\nlabel = \"All\"\n\n[[band]]\nid = \"v\"\nlabel = \"V\"\n\n[verdict]\nfirst = \"yes\"\nsecond = \"score\"\n[[verdict.cell]]\nfirst = \"low\"\nsecond = \"s-all\"\nverdict = \"v\"\n",
    );
    let d = errors(&text);
    at(
        &d,
        48,
        1,
        "[verdict] has 0 cells for first = `high` and second = `s-all`",
    );
}

#[test]
fn wrapped_lines_are_joined_and_blank_lines_kept() {
    assert_eq!(
        rubrics::source::reflow("  one\n  two\r\n\nthree\n"),
        "one two\n\nthree"
    );
    let text = VALID.replace(
        "summary = \"A small rubric\"",
        "summary = \"\"\"\nA small\nrubric\n\"\"\"",
    );
    let source = Source {
        path: PathBuf::from("t.toml"),
        text,
    };
    let payload = compile(&[source]).unwrap();
    assert_eq!(payload.rubrics[0].summary, "A small rubric");
}
