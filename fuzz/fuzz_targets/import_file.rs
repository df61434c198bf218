#![no_main]

// A workshop results-import file: the same function the replay test runs
// (tests/tests/fuzz_replay.rs).
#[allow(dead_code)]
#[path = "../../tests/src/kiosk_fuzzing.rs"]
mod kiosk_fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| kiosk_fuzzing::import_file(data));
