//! The shipped library compiles, deterministically, and each rubric is there.
use std::path::PathBuf;

fn library() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library")
}

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
    for id in [
        "staff-readiness",
        "staff-archetype",
        "cross-team-gut-check",
        "sponsor-check",
        "staff-track-reality",
        "you-or-org",
        "want-the-work",
        "work-ledger",
        "promotion-evidence",
    ] {
        assert!(bundle.rubric(id).is_some(), "library lacks {id}");
    }
}
