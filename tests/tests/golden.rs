//! The golden cases: hand-written expectations at and around every shipped
//! threshold, and up-to-date binary vectors for the firmware.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use rubric_engine::{Bundle, Verdict};

#[test]
fn every_case_gets_the_verdict_the_threshold_demands() {
    let library = cross_crate_checks::compile_library().unwrap();
    let bundle =
        Bundle::decode_trusted(&library, &[cross_crate_checks::test_key().public()]).unwrap();
    let cases = cross_crate_checks::read_cases().unwrap();
    let scored = cross_crate_checks::score_cases(&bundle, &cases).unwrap();
    let mut failures = Vec::new();
    for (case, (_, result)) in cases.iter().zip(&scored) {
        let rubric = bundle.rubric(&case.rubric).unwrap();
        let verdict = match result.verdict {
            Verdict::Band(b) => rubric.band(usize::from(b)).map(|b| b.id.to_string()),
            Verdict::Outcome(o) => rubric
                .outcomes
                .get(usize::from(o))
                .map(|o| o.id.to_string()),
            // A tie is written as the tied outcome ids joined by `+`, as the report names it.
            Verdict::Tied(_) => Some(
                result
                    .verdict
                    .tied_outcomes()
                    .filter_map(|o| rubric.outcomes.get(usize::from(o)).map(|o| o.id))
                    .collect::<Vec<_>>()
                    .join("+"),
            ),
            // A verdict held back by a floor is written "band held-by dimension".
            Verdict::Held { band, by } => Some(format!(
                "{} held-by {}",
                rubric.band(usize::from(band)).map_or("?", |b| b.id),
                rubric.dimensions.get(usize::from(by)).map_or("?", |d| d.id)
            )),
            Verdict::Undetermined => None,
        };
        if verdict != case.verdict {
            failures.push(format!(
                "{}: verdict {verdict:?}, expected {:?}",
                case.name, case.verdict
            ));
        }
        if !result.complete {
            failures.push(format!("{}: answers are incomplete", case.name));
        }
        for (id, want) in &case.values {
            let index = rubric.dimensions.iter().position(|d| d.id == id).unwrap();
            let got = result.dimensions[index].value;
            if got != *want {
                failures.push(format!(
                    "{}: dimension {id} = {got}, expected {want}",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every shipped rubric has golden cases.
    for rubric in bundle.rubrics() {
        assert!(
            cases.iter().any(|c| c.rubric == rubric.id),
            "no golden case for {}",
            rubric.id
        );
    }
}

#[test]
fn binary_golden_files_are_up_to_date() {
    let library = cross_crate_checks::compile_library().unwrap();
    let dir = cross_crate_checks::golden_dir();
    assert_eq!(
        std::fs::read(dir.join("library.rbk")).unwrap(),
        library,
        "golden/library.rbk is stale: run `cargo run -p tests --bin golden -- --write`"
    );
    assert_eq!(
        std::fs::read(dir.join("device.rbk")).unwrap(),
        cross_crate_checks::compile_device_library().unwrap(),
        "golden/device.rbk is stale: run `cargo run -p tests --bin golden -- --write`"
    );
    let bundle = Bundle::decode(&library).unwrap();
    let cases = cross_crate_checks::read_cases().unwrap();
    let scored = cross_crate_checks::score_cases(&bundle, &cases).unwrap();
    let bin = cross_crate_checks::encode_cases(&cases, &scored).unwrap();
    assert_eq!(
        std::fs::read(dir.join("cases.bin")).unwrap(),
        bin,
        "golden/cases.bin is stale: run `cargo run -p tests --bin golden -- --write`"
    );
    // The firmware embeds the cases packed; they unpack to the same bytes.
    let packed = std::fs::read(dir.join("cases.lz")).unwrap();
    assert_eq!(
        packed,
        cross_crate_checks::pack_cases(&cases, &scored, &bin).unwrap(),
        "golden/cases.lz is stale: run `cargo run -p tests --bin golden -- --write`"
    );
    assert_eq!(
        cross_crate_checks::golden_pack::unpack(&packed).unwrap(),
        bin
    );
    assert_eq!(
        std::fs::read(dir.join("test-key.bin")).unwrap(),
        cross_crate_checks::test_key().public().0
    );
    // And it decodes the way the firmware decodes it.
    let seq: rubric_engine::Seq<'_, cross_crate_checks::GoldenCase<'_>> =
        rubric_engine::Seq::from_raw(&bin);
    assert_eq!(seq.try_iter().filter(|c| c.is_ok()).count(), cases.len());
}
