//! The whole data path in one test: TOML sources -> compiled and signed
//! bundle -> trusted load -> answers through the runner -> engine result ->
//! durable store -> read back after reopening.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use kiosk::attempt::Attempt;
use kiosk::store::ResultsStore;
use rubric_engine::{Answer, Bundle, BundleError, ScoreResult};
use rubrics::report::ResultReport;

#[test]
fn compile_sign_load_answer_score_store_and_read_back() {
    let sources = rubrics::read_sources(&[cross_crate_checks::library_dir()]).unwrap();
    let payload = rubrics::compile(&sources).unwrap();
    let author = rubrics::SecretKey::from_seed([9; 32]);
    let bytes = rubrics::bundle_bytes(&payload, Some(&author)).unwrap();

    // A kiosk that trusts someone else refuses the bundle; one that trusts the author loads it.
    let stranger = rubrics::SecretKey::from_seed([8; 32]);
    assert!(matches!(
        Bundle::decode_trusted(&bytes, &[stranger.public()]),
        Err(BundleError::UnknownSigner { .. })
    ));
    // The attempt borrows the rubric for the whole program, as in the app.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let bundle = Bundle::decode_trusted(bytes, &[author.public()]).unwrap();
    let rubric = bundle.rubric("you-or-org").unwrap();

    // Answer like a person: yes to the first five personal signs, no to the rest.
    let mut attempt = Attempt::start(rubric, "e2e-hash");
    while let Some(index) = attempt.runner.current() {
        let id = rubric.item(index).unwrap().id;
        let yes = id.starts_with("you-") && index < 5;
        attempt.runner.answer(Answer::YesNo(yes)).unwrap();
        attempt.runner.next_visible().unwrap();
    }
    assert!(attempt.runner.is_complete());
    let completed = attempt.complete();
    assert_eq!(completed.report.verdict.as_deref(), Some("you-thing"));

    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = ResultsStore::open_in(dir.path()).unwrap();
        let encoded = completed.encoded().unwrap();
        store.save_result(&completed.new_result(&encoded)).unwrap()
    };

    let store = ResultsStore::open_in(dir.path()).unwrap();
    let rows = store.results_for("you-or-org").unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.id, id);
    assert_eq!(row.rubric_version, rubric.version);
    assert_eq!(row.bundle_hash, "e2e-hash");
    // The stored engine result is exactly the engine's, to the last field.
    assert_eq!(
        ScoreResult::decode(&row.engine_result).unwrap(),
        completed.result
    );
    let report: ResultReport = serde_json::from_str(&row.report_json).unwrap();
    assert_eq!(report, completed.report);
    // And the stored answers score the same again.
    let answers: serde_json::Value = serde_json::from_str(&row.answers_json).unwrap();
    let again = rubrics::answers::from_json(&rubric, &answers).unwrap();
    assert_eq!(
        rubric_engine::score(&rubric, &again.answers),
        completed.result
    );
}
