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
    for text in ["{", "", "{\"a\": tru}", "{} {}", "\u{feff}{}"] {
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
