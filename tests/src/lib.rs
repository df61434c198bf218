//! Golden vectors shared by the host tests and the firmware.
//!
//! `golden/cases.json` holds hand-written answer sets with the verdicts the
//! essays' thresholds demand. `golden/library.rbk` is the compiled shipped
//! library, `golden/device.rbk` the same without its texts (what the
//! firmware embeds), and `golden/cases.bin` the same cases with the host's full
//! results, postcard-encoded for the firmware, which must reproduce them to
//! the last digit. `cargo run -p tests --bin golden -- --write` regenerates
//! both binary files; the tests fail when they are stale.

pub mod fuzzing;
pub mod golden_pack;
pub mod kiosk_fuzzing;
pub mod sheet_fuzzing;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rubric_engine::{Answers, Bundle, ScoreResult};
use serde::Deserialize;
use serde_json::Value;

/// One case as the firmware reads it, declared once in the engine.
pub use rubric_engine::golden::GoldenCase;

/// A case as written by hand in `cases.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct JsonCase {
    /// Case name.
    pub name: String,
    /// Rubric id.
    pub rubric: String,
    /// Answers keyed by item id.
    pub answers: Value,
    /// The expected verdict id (`null` for none).
    pub verdict: Option<String>,
    /// Expected dimension values by id (optional).
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, u32>,
}

/// The `golden/` folder.
pub fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// The shipped library sources.
pub fn library_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics/library")
}

/// The test-only key that signs the golden library. Its seed is public, so
/// it proves nothing about authorship: it exists so the firmware exercises
/// real signature verification.
pub fn test_key() -> rubrics::SecretKey {
    rubrics::SecretKey::from_seed(*b"rubric-kiosk golden test key 01!")
}

/// Compiles the shipped library, signed with [`test_key`].
pub fn compile_library() -> Result<Vec<u8>> {
    let sources = rubrics::read_sources(&[library_dir()])?;
    let payload = rubrics::compile(&sources)?;
    Ok(rubrics::bundle_bytes(&payload, Some(&test_key()))?)
}

/// Compiles the shipped library as the device bundle: format version 3
/// with the texts omitted (the device only scores), signed with [`test_key`].
pub fn compile_device_library() -> Result<Vec<u8>> {
    let sources = rubrics::read_sources(&[library_dir()])?;
    let payload = rubrics::compile(&sources)?;
    Ok(rubrics::encode_bundle(
        &payload,
        rubric_engine::codec::Prose::Omitted,
        Some(&test_key()),
    )?)
}

/// Reads `cases.json`.
pub fn read_cases() -> Result<Vec<JsonCase>> {
    let text = std::fs::read_to_string(golden_dir().join("cases.json"))
        .context("reading golden/cases.json")?;
    Ok(serde_json::from_str(&text)?)
}

/// Scores every case on the host: (case, answers, result).
pub fn score_cases(bundle: &Bundle<'_>, cases: &[JsonCase]) -> Result<Vec<(Answers, ScoreResult)>> {
    cases
        .iter()
        .map(|case| {
            let Some(rubric) = bundle.rubric(&case.rubric) else {
                bail!("case {}: no rubric {}", case.name, case.rubric)
            };
            let set = rubrics::answers::from_json(&rubric, &case.answers)
                .with_context(|| format!("case {}", case.name))?;
            let result = rubric_engine::score(&rubric, &set.answers);
            Ok((set.answers, result))
        })
        .collect()
}

/// Encodes the cases for the firmware as a [`rubric_engine::Seq`] of [`GoldenCase`].
pub fn encode_cases(cases: &[JsonCase], scored: &[(Answers, ScoreResult)]) -> Result<Vec<u8>> {
    let golden: Vec<GoldenCase<'_>> = cases
        .iter()
        .zip(scored)
        .map(|(case, (answers, expected))| GoldenCase {
            name: &case.name,
            rubric: &case.rubric,
            answers: answers.clone(),
            expected: expected.clone(),
        })
        .collect();
    Ok(rubric_engine::seq::encode_seq(&golden)?)
}

/// Packs the encoded cases (`encode_cases`) as the firmware embeds them,
/// `golden/cases.lz`, after checking that each case fits the buffer the
/// firmware unpacks it in.
pub fn pack_cases(
    cases: &[JsonCase],
    scored: &[(Answers, ScoreResult)],
    bin: &[u8],
) -> Result<Vec<u8>> {
    for (case, (answers, expected)) in cases.iter().zip(scored) {
        let one = GoldenCase {
            name: &case.name,
            rubric: &case.rubric,
            answers: answers.clone(),
            expected: expected.clone(),
        };
        let size = postcard::to_allocvec(&one)?.len();
        if size > golden_pack::MAX_CASE_BYTES {
            bail!(
                "case {} takes {size} bytes, more than the {} the firmware unpacks at once (MAX_CASE_BYTES)",
                case.name,
                golden_pack::MAX_CASE_BYTES
            );
        }
    }
    Ok(golden_pack::pack(bin))
}
