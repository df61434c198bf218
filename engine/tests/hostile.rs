//! Property tests: hostile bytes never panic; encoding round-trips.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use proptest::prelude::*;
use rubric_engine::codec::{encode_container, HEADER_LEN};
use rubric_engine::model::BundlePayload;
use rubric_engine::{score, Answer, Answers, Bundle, Runner};

fn exercise(bytes: &[u8]) {
    if let Ok(bundle) = Bundle::decode(bytes) {
        for rubric in bundle.rubrics() {
            let mut runner = Runner::new(rubric);
            let _ = runner.answer(Answer::Level(1));
            let _ = runner.next_visible();
            let _ = runner.score();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
        let mut with_magic = b"RBKB\x01\x00\x00\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        exercise(&with_magic);
    }

    #[test]
    fn random_payloads_with_valid_checksums_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&encode_container(&bytes));
        let _ = postcard::from_bytes::<BundlePayload>(&bytes);
    }

    #[test]
    fn mutated_bundles_never_panic(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        cut in any::<usize>(),
    ) {
        let mut bytes = common::bundle_bytes();
        for (at, value) in &flips {
            let i = at % bytes.len();
            bytes[i] = *value;
        }
        exercise(&bytes);
        // Same mutation inside the payload with the checksum fixed up, so it
        // reaches the payload decoder and validation.
        let mut payload = common::payload().encode().unwrap();
        for (at, value) in &flips {
            let i = at % payload.len();
            payload[i] = *value;
        }
        let cut = cut % (payload.len() + 1);
        exercise(&encode_container(&payload));
        exercise(&encode_container(&payload[..cut]));
    }

    #[test]
    fn random_answers_score_without_panicking(raw in proptest::collection::vec((0u8..7, any::<u32>()), 10)) {
        let bytes = common::bundle_bytes();
        let bundle = Bundle::decode(&bytes).unwrap();
        let rubric = bundle.rubric("mixed").unwrap();
        let mut answers = Answers::new(10);
        for (i, (kind, v)) in raw.iter().enumerate() {
            let answer = match kind {
                0 => Answer::Unanswered,
                1 => Answer::Level(*v as u8),
                2 => Answer::YesNo(v % 2 == 0),
                3 => Answer::Choice(*v as u8),
                4 => Answer::Choices(*v as u16),
                5 => Answer::Count(*v),
                _ => Answer::Text,
            };
            answers.set(i, answer).unwrap();
        }
        let result = score(&rubric, &answers);
        for d in &result.dimensions {
            prop_assert!(d.percent <= 100);
        }
        let mut buf = [0u8; 256];
        let used = result.encode(&mut buf).unwrap().len();
        prop_assert_eq!(rubric_engine::ScoreResult::decode(&buf[..used]).unwrap(), result);
    }

    #[test]
    fn owned_rubrics_round_trip(version in any::<u16>(), minutes in any::<u8>(), title in "[a-zA-Z][a-zA-Z ]{0,39}", lo in 0u32..50) {
        let mut payload = common::payload();
        payload.rubrics[0].version = version;
        payload.rubrics[0].minutes = minutes;
        payload.rubrics[0].title = title;
        payload.rubrics[0].bands[0].hi = lo;
        payload.rubrics[0].bands[1].lo = lo + 1;
        let bytes = encode_container(&payload.encode().unwrap());
        let bundle = Bundle::decode(&bytes).unwrap();
        prop_assert_eq!(rubric_engine::owned::BundlePayload::from_view(bundle.payload()), payload);
        prop_assert_eq!(&bytes[HEADER_LEN..HEADER_LEN + bundle.payload_bytes().len()], bundle.payload_bytes());
    }
}
