#![no_main]

// The same function the replay test runs (tests/tests/fuzz_replay.rs).
#[allow(dead_code)]
#[path = "../../tests/src/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::plan_source(data));
