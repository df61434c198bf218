//! Replays, on stable Rust, every input the fuzzers saved: the crashes found
//! (`fuzz/regressions/<target>/`) and the minimized corpora
//! (`fuzz/corpus/<target>/`), through the same functions the fuzz targets
//! call (`cross_crate_checks::fuzzing`, and `cross_crate_checks::kiosk_fuzzing`
//! for the results-import file and the phone server). See
//! `tests/fuzz/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use cross_crate_checks::{fuzzing, kiosk_fuzzing, sheet_fuzzing};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, sorted (none if the folder is missing).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every saved input of `kind` through its target; returns how many
/// ran and names each one that panicked.
fn replay(kind: &str) -> (usize, Vec<String>) {
    let mut ran = 0;
    let mut failed = Vec::new();
    let targets = fuzzing::TARGETS
        .iter()
        .chain(kiosk_fuzzing::TARGETS.iter())
        .chain(sheet_fuzzing::TARGETS.iter());
    for &(target, run) in targets {
        for path in inputs(kind, target) {
            let bytes = std::fs::read(&path).expect("a saved fuzz input is readable");
            ran += 1;
            if catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err() {
                failed.push(path.display().to_string());
            }
        }
    }
    (ran, failed)
}

#[test]
fn every_crash_the_fuzzers_found_is_handled_now() {
    let (_, failed) = replay("regressions");
    assert!(failed.is_empty(), "these inputs still panic: {failed:#?}");
}

#[test]
fn every_input_of_the_minimized_corpora_is_handled() {
    let (ran, failed) = replay("corpus");
    assert!(ran > 0, "no corpus under fuzz/corpus/");
    assert!(failed.is_empty(), "these inputs panic: {failed:#?}");
}

#[test]
fn the_seed_inputs_the_fuzzers_start_from_are_handled() {
    // The golden library and one case per shipped rubric, so the targets are
    // exercised even where no corpus has been saved.
    let library = cross_crate_checks::fuzzing::LIBRARY_BYTES;
    cross_crate_checks::fuzzing::bundle_decode(library);
    for rubric in 0..16u8 {
        let mut input = vec![rubric];
        input.extend((0..200u8).map(|i| i.wrapping_mul(37)));
        cross_crate_checks::fuzzing::score_answers(&input);
    }
    for source in std::fs::read_dir(cross_crate_checks::library_dir()).expect("the library folder")
    {
        let text = std::fs::read(source.expect("a library entry").path()).expect("a source");
        cross_crate_checks::fuzzing::compile_source(&text);
    }
    cross_crate_checks::fuzzing::answer_file(br#"{"pulled-in": true, "outside-opinions": false}"#);
}

#[test]
fn real_export_files_import_as_the_import_target_expects() {
    let seeds = kiosk_fuzzing::import_seeds();
    assert_eq!(seeds.len(), 6);
    for (name, bytes) in seeds {
        kiosk_fuzzing::import_file(&bytes);
        // A file cut short is refused whole, wherever it is cut.
        for cut in [1, bytes.len() / 3, bytes.len() - 1] {
            kiosk_fuzzing::import_file(&bytes[..cut]);
        }
        assert!(!name.is_empty());
    }
}

#[test]
fn the_phone_target_runs_on_plain_byte_patterns() {
    // Every byte value first, then a few repeating patterns: each picks
    // other requests, cookies and forms.
    for first in 0..=255u8 {
        let input: Vec<u8> = (0..96u8)
            .map(|i| first.wrapping_add(i.wrapping_mul(29)))
            .collect();
        kiosk_fuzzing::phone_post(&input);
    }
}

#[test]
fn every_shipped_rubric_as_a_spreadsheet_is_a_seed_the_sheet_target_takes() {
    let seeds = sheet_fuzzing::sheet_seeds();
    assert_eq!(seeds.len(), 19);
    for (name, bytes) in seeds {
        let book = kiosk::sheet::read_workbook(&bytes, kiosk::sheet::SheetLimits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        sheet_fuzzing::sheet_file(&bytes);
        assert!(book.sheets.len() > 3, "{name}");
    }
}

#[test]
fn the_ods_fixtures_and_single_parts_of_a_spreadsheet_are_seeds_the_sheet_target_reads() {
    let seeds = sheet_fuzzing::sheet_part_seeds();
    let parts = sheet_fuzzing::xlsx_parts().len();
    assert!(parts > 5, "{parts}");
    // Three .ods files, their content.xml, and each part of the .xlsx.
    assert_eq!(seeds.len(), 3 + 3 + parts);
    for (name, bytes) in seeds {
        // Put back into a file, each seed is a rubric's spreadsheet again.
        let file = sheet_fuzzing::as_file(&bytes);
        let book = kiosk::sheet::read_workbook(&file, kiosk::sheet::SheetLimits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(book.sheets.len() > 3, "{name}");
        sheet_fuzzing::sheet_file(&bytes);
    }
}
