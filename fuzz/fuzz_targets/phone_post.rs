#![no_main]

// Requests to the phone server, in process: the same function the replay test runs
// (tests/tests/fuzz_replay.rs).
#[allow(dead_code)]
#[path = "../../tests/src/kiosk_fuzzing.rs"]
mod kiosk_fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| kiosk_fuzzing::phone_post(data));
