//! Answer files as bytes: the size cap, duplicate items, and what is not an object.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use rubrics::answers::{parse_bytes, AnswerFileError, MAX_ANSWERS_FILE_BYTES};

#[test]
fn an_item_answered_twice_is_refused_with_its_id() {
    let err = parse_bytes(br#"{"pulled-in": true, "reach": 1, "pulled-in": false}"#).unwrap_err();
    assert_eq!(err, AnswerFileError::DuplicateItem("pulled-in".into()));
    assert_eq!(
        err.to_string(),
        "item `pulled-in` is answered twice; give each item one answer"
    );
}

#[test]
fn keys_repeated_inside_an_answer_are_not_item_duplicates() {
    // Only the top-level object is keyed by item id; a nested object is a
    // wrong-typed answer, reported later by `from_json`.
    let value = parse_bytes(br#"{"a": {"x": 1, "x": 2}, "b": true}"#).unwrap();
    assert_eq!(value["b"], serde_json::Value::Bool(true));
}

#[test]
fn answers_over_the_size_limit_are_refused_naming_the_limit() {
    let mut bytes = br#"{"pulled-in": true}"#.to_vec();
    bytes.resize(MAX_ANSWERS_FILE_BYTES + 1, b' ');
    let err = parse_bytes(&bytes).unwrap_err();
    assert_eq!(
        err,
        AnswerFileError::TooLarge {
            limit: MAX_ANSWERS_FILE_BYTES
        }
    );
    assert!(err.to_string().contains("1048576 bytes"), "{err}");
    bytes.truncate(MAX_ANSWERS_FILE_BYTES);
    assert!(parse_bytes(&bytes).is_ok(), "exactly at the limit is fine");
}

#[test]
fn what_is_not_a_json_object_is_told_apart_from_what_is_not_json() {
    for text in ["[1, 2]", "true", "\"a\"", "3", "null"] {
        assert_eq!(
            parse_bytes(text.as_bytes()),
            Err(AnswerFileError::NotAnObject),
            "{text}"
        );
    }
    for text in ["{", "", "{\"a\": tru}", "{} {}", "{}\u{feff}"] {
        assert!(
            matches!(
                parse_bytes(text.as_bytes()),
                Err(AnswerFileError::InvalidJson(_))
            ),
            "{text:?}"
        );
    }
    let value = parse_bytes(br#" {"a": [1, "x"], "b": null} "#).unwrap();
    assert_eq!(value, serde_json::json!({"a": [1, "x"], "b": null}));
}

/// The shipped library, compiled from its sources.
fn library() -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("library");
    let sources = rubrics::read_sources(&[dir]).unwrap();
    let payload = rubrics::compile(&sources).unwrap();
    rubrics::bundle_bytes(&payload, None).unwrap()
}

#[test]
fn lenient_reading_keeps_what_still_fits_and_names_what_was_dropped() {
    use rubric_engine::{Answer, Bundle};
    let bytes = library();
    let bundle = Bundle::decode(&bytes).unwrap();
    let gut = bundle.rubric("cross-team-gut-check").unwrap();
    let value = serde_json::json!({
        "pulled-in": true,
        "optional-meetings": "not a yes or no",
        "a-question-since-removed": true,
        "outside-opinions": false,
    });
    let (set, dropped) = rubrics::answers::from_json_lenient(&gut, &value);
    assert_eq!(
        dropped,
        vec!["a-question-since-removed", "optional-meetings"]
    );
    let at = |id: &str| set.answers.get(gut.item_index(id).unwrap());
    assert_eq!(at("pulled-in"), Answer::YesNo(true));
    assert_eq!(at("outside-opinions"), Answer::YesNo(false));
    assert_eq!(at("optional-meetings"), Answer::Unanswered);
    assert_eq!(at("know-other-teams"), Answer::Unanswered);

    // Free text survives too; what is not an object keeps and drops nothing.
    let (set, dropped) = rubrics::answers::from_json_lenient(&gut, &serde_json::json!([1, 2]));
    assert!(dropped.is_empty());
    assert_eq!(set.answers, rubric_engine::Answers::new(gut.items.len()));
}

#[test]
fn lenient_reading_keeps_free_text_and_drops_a_count_out_of_range() {
    use rubric_engine::model::ItemKind;
    use rubric_engine::Bundle;
    let bytes = library();
    let bundle = Bundle::decode(&bytes).unwrap();
    let (rubric, text_item) = bundle
        .rubrics()
        .find_map(|r| {
            r.items
                .iter()
                .find(|i| matches!(i.kind, ItemKind::Text))
                .map(|i| (r, i.id))
        })
        .expect("the library has a free-text item");
    let count = rubric
        .items
        .iter()
        .find(|i| matches!(i.kind, ItemKind::Count { .. }));
    let mut value = serde_json::json!({ text_item: "what I would say" });
    if let Some(count) = count {
        value[count.id] = serde_json::json!(u32::MAX);
    }
    let (set, dropped) = rubrics::answers::from_json_lenient(&rubric, &value);
    assert_eq!(
        set.texts.get(text_item).map(String::as_str),
        Some("what I would say")
    );
    assert_eq!(dropped.len(), usize::from(count.is_some()));
}

const CHOICES: &str = r#"
id = "choices"
version = 1
title = "Choices"
summary = "Every answer kind the file format writes"
category = "self-assessment"
minutes = 1
intro = "For a test."

[[dimension]]
id = "d"
title = "D"
rule = "weighted-sum"

[[item]]
id = "many"
kind = "multi"
prompt = "Pick any."

[[item.option]]
id = "a"
label = "A"
weights = { d = 1 }

[[item.option]]
id = "b"
label = "B"
weights = { d = 1 }

[[item.option]]
id = "c"
label = "C"
weights = { d = 1 }

[[item]]
id = "sure"
kind = "yes-no"
prompt = "Sure?"
weights = { d = 1 }

[[item]]
id = "note"
kind = "text"
prompt = "Anything else?"
required = false

[[band]]
id = "low"
dimension = "d"
range = [0, 49]
label = "Low"
explanation = "Under half."

[[band]]
id = "high"
dimension = "d"
range = [50, 100]
label = "High"
explanation = "Half or more."

[verdict]
dimension = "d"
"#;

fn choices_bundle() -> Vec<u8> {
    let sources = [rubrics::Source::in_memory("choices.toml", CHOICES)];
    let payload = rubrics::compile(&sources).unwrap();
    rubrics::bundle_bytes(&payload, None).unwrap()
}

#[test]
fn answers_written_as_json_read_back_the_same_for_every_kind() {
    use rubric_engine::{Answer, Bundle};
    use rubrics::answers::{from_json, to_json};
    let bytes = choices_bundle();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("choices").unwrap();
    let value = serde_json::json!({ "many": ["a", "c"], "sure": false, "note": "why not" });
    let set = from_json(&rubric, &value).unwrap();
    assert_eq!(set.answers.get(0), Answer::Choices(0b101));
    assert_eq!(set.answers.get(1), Answer::YesNo(false));
    assert_eq!(set.texts.get("note").map(String::as_str), Some("why not"));
    assert_eq!(to_json(&rubric, &set), value);
    // Unanswered items are left out, and an empty choice list stays a list.
    let set = from_json(&rubric, &serde_json::json!({ "many": [] })).unwrap();
    assert_eq!(to_json(&rubric, &set), serde_json::json!({ "many": [] }));
}

#[test]
fn scoring_a_file_names_every_required_item_left_unanswered() {
    use rubric_engine::Bundle;
    use rubrics::answers::{missing_required, score_complete, AnswerFileError};
    let bytes = choices_bundle();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("choices").unwrap();
    let err = score_complete(&rubric, &serde_json::json!({ "note": "only this" })).unwrap_err();
    assert_eq!(
        err,
        AnswerFileError::MissingRequired(vec!["many".into(), "sure".into()])
    );
    let set = rubrics::answers::from_json(&rubric, &serde_json::json!({ "sure": true })).unwrap();
    assert_eq!(
        missing_required(&rubric, &set.answers),
        vec!["many".to_string()]
    );
    let (scored, report) =
        score_complete(&rubric, &serde_json::json!({ "many": ["b"], "sure": true })).unwrap();
    assert_eq!(scored.result.dimensions[0].value, 2);
    assert_eq!(report.verdict.as_deref(), Some("high"));
}

#[test]
fn a_wrong_type_says_what_the_item_needs() {
    use rubric_engine::Bundle;
    let bytes = choices_bundle();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("choices").unwrap();
    let err =
        rubrics::answers::from_json(&rubric, &serde_json::json!({ "many": "a" })).unwrap_err();
    assert_eq!(
        err.to_string(),
        "item `many` is a multi item and needs an array of option ids"
    );
    let err = rubrics::answers::from_json(&rubric, &serde_json::json!({ "sure": 1 })).unwrap_err();
    assert_eq!(
        err.to_string(),
        "item `sure` is a yes-no item and needs true or false"
    );
}

#[test]
fn reading_an_answers_file_applies_the_cap_and_parses_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.json");
    std::fs::write(&path, br#"{"sure": true}"#).unwrap();
    let value = rubrics::answers::read_file(&path).unwrap();
    assert_eq!(value, serde_json::json!({ "sure": true }));
    let mut big = br#"{"sure": true}"#.to_vec();
    big.resize(MAX_ANSWERS_FILE_BYTES + 1, b' ');
    std::fs::write(&path, &big).unwrap();
    let err = rubrics::answers::read_file(&path).unwrap_err();
    assert!(err.to_string().contains("1048576"), "{err}");
}

#[test]
fn a_byte_order_mark_at_the_start_is_accepted_and_anywhere_else_is_not() {
    let value = parse_bytes(b"\xEF\xBB\xBF{\"reach\": 1}").unwrap();
    assert_eq!(value["reach"], 1);
    assert!(matches!(
        parse_bytes(b"{\"reach\": 1}\xEF\xBB\xBF"),
        Err(AnswerFileError::InvalidJson(_))
    ));
    assert!(parse_bytes(b"\xEF\xBB\xBF\xEF\xBB\xBF{}").is_err());
}
