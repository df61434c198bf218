//! The shipped library compiles, deterministically, each rubric is there,
//! and each rubric gives the verdict its source essay's rule demands.
use std::path::PathBuf;
use std::sync::OnceLock;

use rubric_engine::model::Rubric;
use rubric_engine::Bundle;
use serde_json::{json, Value};

fn library() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library")
}

/// The compiled shipped library, decoded once.
fn bundle() -> Bundle<'static> {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = BYTES.get_or_init(|| {
        let sources = rubrics::read_sources(&[library()]).unwrap();
        let payload = match rubrics::compile(&sources) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        rubrics::bundle_bytes(&payload, None).unwrap()
    });
    Bundle::decode(bytes).unwrap()
}

fn rubric(id: &str) -> Rubric<'static> {
    bundle()
        .rubric(id)
        .unwrap_or_else(|| panic!("library lacks {id}"))
}

/// Scores a complete set of answers (JSON keyed by item id) and names the verdict.
fn verdict(rubric: &Rubric<'static>, answers: &Value) -> String {
    let set = rubrics::answers::from_json(rubric, answers).unwrap();
    let result = rubric_engine::score(rubric, &set.answers);
    assert!(
        result.complete,
        "{}: incomplete answers {answers}",
        rubric.id
    );
    rubrics::report::report(rubric, &result)
        .verdict
        .unwrap_or_else(|| panic!("{}: no verdict for {answers}", rubric.id))
}

/// The report of a complete set of answers.
fn report(rubric: &Rubric<'static>, answers: &Value) -> rubrics::report::ResultReport {
    let set = rubrics::answers::from_json(rubric, answers).unwrap();
    let result = rubric_engine::score(rubric, &set.answers);
    assert!(
        result.complete,
        "{}: incomplete answers {answers}",
        rubric.id
    );
    rubrics::report::report(rubric, &result)
}

const SHIPPED: [&str; 10] = [
    "staff-readiness",
    "want-the-work",
    "cross-team-gut-check",
    "work-ledger",
    "promotion-evidence",
    "peer-test",
    "staff-archetype",
    "sponsor-check",
    "staff-track-reality",
    "you-or-org",
];

#[test]
fn shipped_library_compiles_deterministically() {
    let sources = rubrics::read_sources(&[library()]).unwrap();
    let payload = match rubrics::compile(&sources) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let a = rubrics::bundle_bytes(&payload, None).unwrap();
    let again = rubrics::compile(&rubrics::read_sources(&[library()]).unwrap()).unwrap();
    assert_eq!(a, rubrics::bundle_bytes(&again, None).unwrap());
    let bundle = rubric_engine::Bundle::decode(&a).unwrap();
    for id in SHIPPED {
        assert!(bundle.rubric(id).is_some(), "library lacks {id}");
    }
    assert_eq!(bundle.rubrics().count(), SHIPPED.len());
}

// ---------------------------------------------------------------- you-or-org

/// Essay 003: the side with more signs decides; equal counts are some of
/// each; at most one sign on both sides (the project's own cut) is neither.
fn you_or_org_rule(you: usize, org: usize) -> &'static str {
    if you <= 1 && org <= 1 {
        "neither"
    } else if you > org {
        "you-thing"
    } else if org > you {
        "org-thing"
    } else {
        "both"
    }
}

#[test]
fn you_or_org_follows_the_dominant_side_in_all_64_combinations() {
    let r = rubric("you-or-org");
    let ids: Vec<&str> = r.items.iter().map(|i| i.id).collect();
    let you: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| i.starts_with("you-"))
        .collect();
    let org: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| i.starts_with("org-"))
        .collect();
    assert_eq!((you.len(), org.len()), (7, 7));
    for y in 0..=7 {
        for o in 0..=7 {
            // Vary which signs are ticked, not only how many.
            let mut answers = serde_json::Map::new();
            for (i, id) in you.iter().enumerate() {
                answers.insert(id.to_string(), json!((i + o) % 7 < y));
            }
            for (i, id) in org.iter().enumerate() {
                answers.insert(id.to_string(), json!((i + y) % 7 < o));
            }
            let got = verdict(&r, &Value::Object(answers));
            assert_eq!(
                got,
                you_or_org_rule(y, o),
                "{y} personal, {o} organisational"
            );
        }
    }
}
