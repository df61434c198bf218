#![no_main]

// A rubric spreadsheet (.xlsx or .ods) from a USB stick, or one part of
// one put into a valid file: the same function the replay test runs
// (tests/tests/fuzz_replay.rs).
#[allow(dead_code)]
#[path = "../../tests/src/sheet_fuzzing.rs"]
mod sheet_fuzzing;

// `crate::library_dir` for the seeds, which the target does not use.
#[allow(dead_code)]
fn library_dir() -> std::path::PathBuf {
    std::path::PathBuf::from("rubrics/library")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| sheet_fuzzing::sheet_file(data));
