//! What each fuzz target does with its bytes, in one place.
//!
//! The `cargo fuzz` targets in `fuzz/` and the replay test
//! (`tests/tests/fuzz_replay.rs`) both call these functions, so a saved
//! crash or corpus file replays exactly what the fuzzer ran. The `fuzz`
//! crate includes this file by path rather than depending on this crate,
//! so that the sanitizer build does not have to instrument the kiosk's UI
//! stack: keep it to `rubric_engine`, `rubrics` and `serde_json`.
//!
//! Every function returns normally for any input. A panic, an abort or a
//! failed `assert!` is a finding: the asserts are properties that must hold
//! for everything the decoder, the compiler or the answer parser accepts.

use std::path::PathBuf;
use std::sync::LazyLock;

use rubric_engine::codec::{encode_container, encode_v3, expand_bundle, Prose, MAGIC};
use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::owned::BundlePayload;
use rubric_engine::{score, Answer, Answers, Bundle, Runner, TrustedKey};

/// What a fuzz target does with one input.
pub type Target = fn(&[u8]);

/// The fuzz targets, by the name of their folder under `fuzz/corpus/` and
/// `fuzz/regressions/`.
pub const TARGETS: [(&str, Target); 5] = [
    ("bundle_decode", bundle_decode),
    ("score_answers", score_answers),
    ("compile_source", compile_source),
    ("answer_file", answer_file),
    ("plan_source", plan_source),
];

/// The golden library bundle: the shipped library, signed with the test key.
pub static LIBRARY_BYTES: &[u8] = include_bytes!("../golden/library.rbk");

static LIBRARY: LazyLock<Bundle<'static>> = LazyLock::new(|| {
    Bundle::decode(LIBRARY_BYTES).unwrap_or_else(|e| panic!("golden/library.rbk is refused: {e}"))
});

/// The key whose seed signs the golden library (see `crate::test_key`).
fn trusted() -> TrustedKey {
    rubrics::SecretKey::from_seed(*b"rubric-kiosk golden test key 01!").public()
}

/// (a) Bundle bytes. Input that starts with the bundle magic is decoded as a
/// whole container, with and without a trusted key. Anything else is taken
/// as a payload and wrapped in a valid container first, so the fuzzer
/// spends its time in the payload decoder and validation rather than on the
/// checksum.
pub fn bundle_decode(data: &[u8]) {
    if data.starts_with(&MAGIC) {
        let plain = Bundle::decode(data);
        let trusted = Bundle::decode_trusted(data, &[trusted()]);
        if trusted.is_ok() {
            assert!(plain.is_ok(), "a trusted bundle failed plain decoding");
        }
        if let Ok(bundle) = plain {
            accepted_bundle(&bundle);
        }
        // The host path: a version 3 bundle's texts expanded back in.
        if let Ok(inline) = expand_bundle(data) {
            if let Ok(bundle) = Bundle::decode(&inline) {
                assert!(bundle.texts_inline(), "an expanded bundle has its texts");
                accepted_bundle(&bundle);
            }
        }
    } else {
        let bytes = encode_container(data);
        if let Ok(bundle) = Bundle::decode(&bytes) {
            assert_eq!(bundle.payload_bytes(), data);
            accepted_bundle(&bundle);
        }
    }
}

/// What must hold for every bundle the decoder accepts: it re-encodes to a
/// bundle that decodes to the same model, and every rubric in it can be
/// answered, scored and reported without a panic.
fn accepted_bundle(bundle: &Bundle<'_>) {
    let owned = BundlePayload::from_view(bundle.payload());
    let payload = owned
        .encode()
        .unwrap_or_else(|e| panic!("an accepted payload cannot be re-encoded: {e}"));
    // The same layout again: texts inline, or a version 3 structure alone.
    let container = if bundle.texts_inline() {
        encode_container(&payload)
    } else {
        encode_v3(&owned, Prose::Omitted)
            .unwrap_or_else(|e| panic!("an accepted structure cannot be re-encoded: {e}"))
    };
    let again = Bundle::decode(&container)
        .unwrap_or_else(|e| panic!("a re-encoded accepted bundle is refused: {e}"));
    assert_eq!(BundlePayload::from_view(again.payload()), owned);
    for rubric in bundle.rubrics() {
        let items = rubric.items.len();
        for answers in [Answers::new(items), valid_answers(&rubric, &[0xff; 256])] {
            let result = score(&rubric, &answers);
            let _ = rubrics::report::report(&rubric, &result);
        }
    }
}

/// (b) Arbitrary answers to a rubric of the shipped library: the first
/// byte picks the rubric, the bytes after it become one answer per item
/// (some fitting the item, some not), and the rest drive the question flow.
pub fn score_answers(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(rubric) = LIBRARY.rubrics().nth(usize::from(pick) % LIBRARY.len()) else {
        return;
    };
    let (answers, rest) = any_answers(&rubric, rest);

    // The scorer takes answers unchecked: whatever they are, it must not panic.
    let result = score(&rubric, &answers);
    assert!(usize::from(result.answered) <= usize::from(result.visible));
    // A fallback outcome is the verdict only alone, and never part of a tie.
    if let rubric_engine::model::VerdictRule::TopOutcomeWithFallback { fallback } =
        rubric.verdict_rule
    {
        let best = result.outcomes.iter().filter(|o| o.rank == 1).count();
        match result.verdict {
            rubric_engine::Verdict::Tied(mask) => assert_eq!(mask & (1 << fallback), 0),
            rubric_engine::Verdict::Outcome(o) if o == fallback => assert_eq!(best, 1),
            _ => {}
        }
    }
    let _ = rubrics::report::report(&rubric, &result);
    let mut buf = [0u8; 1024];
    let encoded = result
        .encode(&mut buf)
        .unwrap_or_else(|e| panic!("a result does not encode: {e}"));
    assert_eq!(
        rubric_engine::ScoreResult::decode(encoded).ok(),
        Some(result)
    );

    // The runner drops what does not fit; after that, it scores like `score`.
    let cursor = rest.first().map_or(0, |&c| usize::from(c));
    let mut runner = Runner::resume(rubric, answers, cursor);
    assert_eq!(runner.score(), score(&rubric, runner.answers()));
    // A few dozen steps reach every branch of the flow; more only slow the fuzzer.
    for step in rest.chunks(2).take(48) {
        let (op, arg) = (step[0], step.get(1).copied().unwrap_or(0));
        match op % 6 {
            0 => {
                let _ = runner.next_visible();
            }
            1 => {
                let _ = runner.back();
            }
            2 => {
                let _ = runner.go_to(usize::from(arg));
            }
            3 => {
                if let Some(item) = runner.current_item() {
                    let _ = runner.answer(answer_for(&item.kind, arg, arg));
                }
            }
            4 => {
                let index = usize::from(arg) % rubric.items.len().max(1);
                let _ = runner.set_answer(index, any_answer(arg, op));
            }
            _ => {
                let _ = runner.set_answer(usize::from(arg), Answer::Unanswered);
            }
        }
        let progress = runner.progress();
        assert!(progress.answered <= progress.visible);
        if let Some(index) = runner.current() {
            assert!(runner.is_visible(index), "the cursor is on a hidden item");
        }
    }
    let result = runner.score();
    assert_eq!(result.complete, runner.is_complete());
    let _ = rubrics::report::report(&rubric, &result);
}

/// One answer per item from `data`: a control byte per item decides whether
/// the answer fits the item's kind or is any answer at all. Returns the
/// answers and the bytes not used.
fn any_answers<'d>(rubric: &Rubric<'_>, mut data: &'d [u8]) -> (Answers, &'d [u8]) {
    let mut answers = Answers::new(rubric.items.len());
    for (index, item) in rubric.items.iter().enumerate() {
        let [control, a, b, rest @ ..] = data else {
            break;
        };
        data = rest;
        let answer = if control & 0x80 == 0 {
            answer_for(&item.kind, *a, *b)
        } else {
            any_answer(*a, *b)
        };
        let _ = answers.set(index, answer);
    }
    (answers, data)
}

/// Answers that fit each item, from a repeating pattern of bytes.
fn valid_answers(rubric: &Rubric<'_>, data: &[u8]) -> Answers {
    let mut answers = Answers::new(rubric.items.len());
    for (index, item) in rubric.items.iter().enumerate() {
        let byte = data.get(index).copied().unwrap_or(0);
        let _ = answers.set(index, answer_for(&item.kind, byte, byte));
    }
    answers
}

/// An answer of the item's kind (possibly out of its range, when `a` says so).
fn answer_for(kind: &ItemKind<'_>, a: u8, b: u8) -> Answer {
    match *kind {
        ItemKind::Scale { min, max, .. } => {
            Answer::Level(min.saturating_add(a % (max.saturating_sub(min).saturating_add(1))))
        }
        ItemKind::YesNo { .. } => Answer::YesNo(a & 1 == 1),
        ItemKind::Single { options } => Answer::Choice(a % (options.len().max(1) as u8)),
        ItemKind::Multi { .. } => Answer::Choices(u16::from_le_bytes([a, b])),
        ItemKind::Count { min, max, .. } => {
            let span = u64::from(max.saturating_sub(min)) + 1;
            Answer::Count(min + (u64::from(u16::from_le_bytes([a, b])) % span) as u32)
        }
        ItemKind::Text => Answer::Text,
    }
}

/// Any answer at all, of any kind and value.
fn any_answer(a: u8, b: u8) -> Answer {
    match a % 7 {
        0 => Answer::Unanswered,
        1 => Answer::Level(b),
        2 => Answer::YesNo(b & 1 == 1),
        3 => Answer::Choice(b),
        4 => Answer::Choices(u16::from_le_bytes([a, b])),
        5 => Answer::Count(u32::from(b) << (a % 25)),
        _ => Answer::Text,
    }
}

/// (c) A rubric source, compiled in memory. Whatever the compiler accepts
/// must give a bundle the kiosk decodes, with the same bytes when encoded
/// again, and must score.
pub fn compile_source(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = rubrics::Source {
        path: PathBuf::from("fuzz.toml"),
        text: text.to_string(),
    };
    let Ok(payload) = rubrics::compile(&[source]) else {
        return;
    };
    let bytes = rubrics::bundle_bytes(&payload, None)
        .unwrap_or_else(|e| panic!("a compiled payload cannot be encoded: {e}"));
    let structure =
        Bundle::decode(&bytes).unwrap_or_else(|e| panic!("a compiled bundle is refused: {e}"));
    accepted_bundle(&structure);
    let inline =
        expand_bundle(&bytes).unwrap_or_else(|e| panic!("a compiled bundle does not expand: {e}"));
    let bundle = Bundle::decode(&inline)
        .unwrap_or_else(|e| panic!("an expanded compiled bundle is refused: {e}"));
    let again = BundlePayload::from_view(bundle.payload());
    assert_eq!(
        again, payload,
        "the decoded bundle differs from the compiled one"
    );
    let bytes_again = rubrics::bundle_bytes(&again, None)
        .unwrap_or_else(|e| panic!("a decoded payload cannot be encoded: {e}"));
    assert_eq!(bytes_again, bytes, "re-encoding changed the bytes");
    accepted_bundle(&bundle);
}

/// (d) An answers file, read against every rubric of the shipped library.
/// Whatever is accepted must score and report, and write back to JSON that
/// reads as the same answers.
pub fn answer_file(data: &[u8]) {
    let Ok(value) = rubrics::answers::parse_bytes(data) else {
        return;
    };
    for rubric in LIBRARY.rubrics() {
        let (lenient, _dropped) = rubrics::answers::from_json_lenient(&rubric, &value);
        let Ok(set) = rubrics::answers::from_json(&rubric, &value) else {
            continue;
        };
        assert_eq!(lenient, set, "lenient reading differs from the strict one");
        let json = rubrics::answers::to_json(&rubric, &set);
        let back = rubrics::answers::from_json(&rubric, &json)
            .unwrap_or_else(|e| panic!("answers written back are refused: {e}"));
        assert_eq!(back, set, "answers changed on the way through JSON");
        let _ = rubrics::answers::score_complete(&rubric, &value);
        let result = score(&rubric, &set.answers);
        let _ = rubrics::report::report(&rubric, &result);
    }
}

/// (e) A session plan, as it comes from a USB drive: bytes that start with
/// the plan bundle magic are decoded as a bundle (with and without the test
/// key trusted); anything else is compiled as a plan source against the
/// golden library. Whatever is accepted must encode to a bundle that
/// decodes to the same plan, signed or not.
pub fn plan_source(data: &[u8]) {
    use rubrics::plan::bundle::PLAN_MAGIC;
    use rubrics::plan::{compile_plan, decode_plan, encode_plan};
    let key = rubrics::SecretKey::from_seed(*b"rubric-kiosk golden test key 01!");
    let plan = if data.starts_with(&PLAN_MAGIC) {
        let _ = decode_plan(data, &[]);
        match decode_plan(data, &[key.public()]) {
            Ok(decoded) => decoded.plan,
            Err(_) => return,
        }
    } else {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let ids: Vec<&str> = LIBRARY.rubrics().map(|r| r.id).collect();
        match compile_plan(&rubrics::Source::in_memory("fuzz.toml", text), &ids) {
            Ok(plan) => plan,
            Err(_) => return,
        }
    };
    for signer in [None, Some(&key)] {
        let bytes = encode_plan(&plan, signer)
            .unwrap_or_else(|e| panic!("an accepted plan cannot be encoded: {e}"));
        let decoded = decode_plan(&bytes, &[key.public()])
            .unwrap_or_else(|e| panic!("an encoded plan is refused: {e}"));
        assert_eq!(decoded.plan, plan, "the plan changed through its bundle");
    }
}
