//! Format version 3: the structure with empty texts, the compressed prose
//! section, expanding it back, and hostile prose sections.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use rubric_engine::codec::{
    encode_container, encode_v3, expand, expand_bundle, sign_container, Prose, FLAG_PROSE_OMITTED,
    HEADER_LEN,
};
use rubric_engine::crc::crc32;
use rubric_engine::limits::MAX_PROSE_BYTES;
use rubric_engine::owned;
use rubric_engine::prose::{for_each_text, pack_section, take_texts, ProseError};
use rubric_engine::validate::{Location, Problem};
use rubric_engine::{score, Answer, Answers, Bundle, BundleError, TrustedKey};

/// A version 3 container around these parts, with a correct CRC.
fn container(flags: u16, structure: &[u8], section: &[u8]) -> Vec<u8> {
    let mut out = b"RBKB".to_vec();
    out.extend_from_slice(&3u16.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&(structure.len() as u32).to_le_bytes());
    out.extend_from_slice(structure);
    out.extend_from_slice(&(section.len() as u32).to_le_bytes());
    out.extend_from_slice(section);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The structure (texts emptied) and each rubric's texts of the test payload.
fn split() -> (Vec<u8>, Vec<Vec<String>>) {
    let mut payload = common::payload();
    let texts = take_texts(&mut payload);
    (payload.encode().unwrap(), texts)
}

/// A prose section table with these (compressed, text-block) lengths and blocks.
fn section(entries: &[(u32, u32)], blocks: &[u8]) -> Vec<u8> {
    let mut out = (entries.len() as u16).to_le_bytes().to_vec();
    for (packed, text) in entries {
        out.extend_from_slice(&packed.to_le_bytes());
        out.extend_from_slice(&text.to_le_bytes());
    }
    out.extend_from_slice(blocks);
    out
}

/// A text block: count, lengths, then the bytes.
fn block(lengths: &[u16], bytes: &[u8]) -> Vec<u8> {
    let mut out = (lengths.len() as u16).to_le_bytes().to_vec();
    for l in lengths {
        out.extend_from_slice(&l.to_le_bytes());
    }
    out.extend_from_slice(bytes);
    out
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 6)
}

/// A bundle whose first rubric has `first` as its text block (compressed
/// here) and whose other rubrics are as written.
fn with_first_block(first: &[u8]) -> Vec<u8> {
    let (structure, texts) = split();
    let packed = deflate(first);
    let mut entries = vec![(packed.len() as u32, first.len() as u32)];
    let mut blocks = packed;
    for rubric in &texts[1..] {
        let one = pack_section(std::slice::from_ref(rubric)).unwrap();
        // One rubric's section: count (2), one entry (8), its block.
        entries.push((
            u32::from_le_bytes(one[2..6].try_into().unwrap()),
            u32::from_le_bytes(one[6..10].try_into().unwrap()),
        ));
        blocks.extend_from_slice(&one[10..]);
    }
    container(0, &structure, &section(&entries, &blocks))
}

fn prose_error(bytes: &[u8]) -> ProseError {
    match expand(bytes) {
        Err(BundleError::Prose(e)) => e,
        other => panic!("expected a prose error, got {other:?}"),
    }
}

#[test]
fn a_v3_bundle_expands_to_the_inline_payload() {
    let payload = common::payload();
    let bytes = encode_v3(&payload, Prose::Included).unwrap();
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 3);
    assert_eq!(bytes, encode_v3(&payload, Prose::Included).unwrap());
    assert_eq!(expand(&bytes).unwrap(), payload.encode().unwrap());
    let inline = expand_bundle(&bytes).unwrap();
    assert_eq!(inline, encode_container(&payload.encode().unwrap()));
    let bundle = Bundle::decode(&inline).unwrap();
    assert!(bundle.texts_inline());
    assert_eq!(owned::BundlePayload::from_view(bundle.payload()), payload);
}

#[test]
fn a_fallback_outcome_makes_the_bundle_version_4_and_nothing_else_does() {
    let mut payload = common::payload();
    let plain = encode_v3(&payload, Prose::Included).unwrap();
    assert_eq!(u16::from_le_bytes([plain[4], plain[5]]), 3);
    payload.rubrics[1].verdict_rule = owned::VerdictRule::TopOutcomeWithFallback { fallback: 2 };
    for prose in [Prose::Included, Prose::Omitted] {
        let bytes = encode_v3(&payload, prose).unwrap();
        assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 4, "{prose:?}");
        let structure = Bundle::decode(&bytes).unwrap();
        let fit = structure.rubric("fit").unwrap();
        assert_eq!(
            fit.verdict_rule,
            rubric_engine::model::VerdictRule::TopOutcomeWithFallback { fallback: 2 }
        );
        if prose == Prose::Included {
            let inline = expand_bundle(&bytes).unwrap();
            let bundle = Bundle::decode(&inline).unwrap();
            assert_eq!(owned::BundlePayload::from_view(bundle.payload()), payload);
        }
    }
    // An engine that reads up to version 3 refuses it by its version
    // (here: the same bytes with the version field one past what it reads).
    let mut newer = encode_v3(&payload, Prose::Included).unwrap();
    let past = rubric_engine::codec::FORMAT_VERSION + 1;
    newer[4..6].copy_from_slice(&past.to_le_bytes());
    assert!(matches!(
        Bundle::decode(&newer).unwrap_err(),
        BundleError::UnsupportedVersion { found, .. } if found == past
    ));
}

#[test]
fn the_structure_decodes_with_every_text_empty_and_scores_the_same() {
    let payload = common::payload();
    let v3 = encode_v3(&payload, Prose::Included).unwrap();
    let inline = encode_container(&payload.encode().unwrap());
    let structure = Bundle::decode(&v3).unwrap();
    let full = Bundle::decode(&inline).unwrap();
    assert!(!structure.texts_inline());
    assert!(!structure.prose_bytes().is_empty());
    for (s, f) in structure.rubrics().zip(full.rubrics()) {
        let mut texts = 0;
        let mut view = owned::Rubric::from_view(&s);
        for_each_text(&mut view, &mut |t| {
            assert_eq!(t, "");
            texts += 1;
        });
        assert!(texts > 5);
        assert_eq!(s.id, f.id);
        let mut answers = Answers::new(s.items.len());
        for (i, item) in s.items.iter().enumerate() {
            let answer = match item.kind {
                rubric_engine::model::ItemKind::Scale { max, .. } => Answer::Level(max),
                rubric_engine::model::ItemKind::YesNo { .. } => Answer::YesNo(true),
                rubric_engine::model::ItemKind::Single { .. } => Answer::Choice(0),
                rubric_engine::model::ItemKind::Count { min, .. } => Answer::Count(min),
                _ => Answer::Unanswered,
            };
            answers.set(i, answer).unwrap();
        }
        assert_eq!(score(&s, &answers), score(&f, &answers));
    }
}

#[test]
fn versions_one_and_two_expand_to_themselves() {
    let payload = common::payload().encode().unwrap();
    let mut v1 = encode_container(&payload);
    v1[4] = 1;
    let crc_at = v1.len() - 4;
    let crc = crc32(&v1[..crc_at]);
    v1[crc_at..].copy_from_slice(&crc.to_le_bytes());
    for bytes in [v1, encode_container(&payload)] {
        assert_eq!(expand(&bytes).unwrap(), payload);
        assert_eq!(expand_bundle(&bytes).unwrap(), bytes);
        assert!(Bundle::decode(&bytes).unwrap().texts_inline());
    }
}

#[test]
fn a_text_inside_a_v3_structure_is_refused() {
    let inline = common::payload().encode().unwrap();
    let (_, texts) = split();
    let bytes = container(0, &inline, &pack_section(&texts).unwrap());
    match Bundle::decode(&bytes).unwrap_err() {
        BundleError::Invalid(issue) => {
            assert_eq!(issue.problem, Problem::ProseInStructure);
            assert_eq!(issue.at, Location::Rubric);
            assert!(issue.to_string().contains("prose section"), "{issue}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn prose_omitted_scores_but_does_not_expand() {
    let payload = common::payload();
    let device = encode_v3(&payload, Prose::Omitted).unwrap();
    let full = encode_v3(&payload, Prose::Included).unwrap();
    assert!(device.len() < full.len());
    let bundle = Bundle::decode(&device).unwrap();
    assert!(bundle.prose_bytes().is_empty());
    assert!(bundle.texts_omitted() && !bundle.texts_inline());
    let with_texts = Bundle::decode(&full).unwrap();
    assert!(!with_texts.texts_omitted() && !with_texts.texts_inline());
    let inline = expand_bundle(&full).unwrap();
    assert!(!Bundle::decode(&inline).unwrap().texts_omitted());
    assert_eq!(bundle.rubrics().count(), 2);
    assert_eq!(prose_error(&device), ProseError::Omitted);
    assert!(expand(&device)
        .unwrap_err()
        .to_string()
        .contains("made for a device"));

    // The flag with a prose section after all.
    let (structure, texts) = split();
    let lying = container(
        FLAG_PROSE_OMITTED,
        &structure,
        &pack_section(&texts).unwrap(),
    );
    assert!(matches!(
        Bundle::decode(&lying).unwrap_err(),
        BundleError::Prose(ProseError::OmittedButPresent { .. })
    ));
    // Version 2 knows no such flag.
    let mut v2 = encode_container(&payload.encode().unwrap());
    v2[6] = FLAG_PROSE_OMITTED as u8;
    assert!(matches!(
        Bundle::decode(&v2).unwrap_err(),
        BundleError::UnsupportedFlags { .. }
    ));
}

#[test]
fn signing_covers_the_prose_section() {
    let kp = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new([7; 32]));
    let mut key_id = [0; 8];
    key_id.copy_from_slice(&kp.pk[..8]);
    let trusted = [TrustedKey(*kp.pk)];
    let bytes = encode_v3(&common::payload(), Prose::Included).unwrap();
    let signed = sign_container(&bytes, key_id, |m| *kp.sk.sign(m, None)).unwrap();
    assert!(Bundle::decode_trusted(&signed, &trusted).is_ok());
    assert_eq!(expand(&signed).unwrap(), expand(&bytes).unwrap());
    // Flip one bit inside the prose section and fix the CRC: the signature fails.
    let mut altered = signed.clone();
    let at = signed.len() - 4 - 72 - 3;
    altered[at] ^= 1;
    let crc = crc32(&altered[..signed.len() - 72 - 4]);
    let crc_at = signed.len() - 72 - 4;
    altered[crc_at..crc_at + 4].copy_from_slice(&crc.to_le_bytes());
    assert_eq!(
        Bundle::decode_trusted(&altered, &trusted).unwrap_err(),
        BundleError::BadSignature
    );
    // Re-signing a signed bundle replaces its signature.
    let again = sign_container(&signed, key_id, |m| *kp.sk.sign(m, None)).unwrap();
    assert_eq!(again, signed);
}

#[test]
fn a_truncated_prose_section_is_refused() {
    let bytes = encode_v3(&common::payload(), Prose::Included).unwrap();
    let payload_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let err = Bundle::decode(&bytes[..bytes.len() - 10]).unwrap_err();
    assert_eq!(
        err,
        BundleError::Truncated {
            offset: HEADER_LEN + payload_len + 4,
            needed: bytes.len() - HEADER_LEN - payload_len - 8,
        }
    );
    // A section too short for its own table.
    let (structure, _) = split();
    let short = container(0, &structure, &[2]);
    assert_eq!(
        prose_error(&short),
        ProseError::TableTruncated {
            needed: 2,
            found: 1
        }
    );
    let short = container(0, &structure, &section(&[(1, 1)], &[]));
    assert_eq!(
        prose_error(&short),
        ProseError::RubricCount {
            found: 1,
            expected: 2
        }
    );
    let mut cut = section(&[(0, 0), (0, 0)], &[]);
    cut.truncate(12);
    let message = Bundle::decode(&container(0, &structure, &cut))
        .unwrap_err()
        .to_string();
    assert!(message.contains("cut short"), "{message}");
}

#[test]
fn wrong_per_rubric_lengths_are_named() {
    let (structure, texts) = split();
    let good = pack_section(&texts).unwrap();
    // One byte more declared for the first rubric than the blocks hold.
    let mut bad = good.clone();
    let first = u32::from_le_bytes(bad[2..6].try_into().unwrap());
    bad[2..6].copy_from_slice(&(first + 1).to_le_bytes());
    assert_eq!(
        prose_error(&container(0, &structure, &bad)),
        ProseError::PackedLengths {
            declared: good.len() - 18 + 1,
            found: good.len() - 18
        }
    );
    // Lengths that add up but split the blocks in the wrong place.
    let mut shifted = good.clone();
    let second = u32::from_le_bytes(shifted[10..14].try_into().unwrap());
    shifted[2..6].copy_from_slice(&(first - 5).to_le_bytes());
    shifted[10..14].copy_from_slice(&(second + 5).to_le_bytes());
    let e = prose_error(&container(0, &structure, &shifted));
    assert!(
        matches!(
            e,
            ProseError::Damaged { rubric: 0 } | ProseError::WrongLength { rubric: 0, .. }
        ),
        "{e:?}"
    );
    // A text-block length that is not what the block inflates to.
    let mut wrong = good.clone();
    let text_len = u32::from_le_bytes(wrong[6..10].try_into().unwrap());
    wrong[6..10].copy_from_slice(&(text_len - 1).to_le_bytes());
    let e = prose_error(&container(0, &structure, &wrong));
    assert_eq!(
        e,
        ProseError::WrongLength {
            rubric: 0,
            declared: text_len as usize - 1
        }
    );
    assert!(e.to_string().contains("rubric 0"), "{e}");
    let mut wrong = good;
    wrong[6..10].copy_from_slice(&(text_len + 1).to_le_bytes());
    assert!(matches!(
        prose_error(&container(0, &structure, &wrong)),
        ProseError::WrongLength { rubric: 0, .. }
    ));
}

#[test]
fn a_decompression_bomb_is_bounded_before_inflating() {
    let (structure, _) = split();
    // Declared sizes over the limit: refused from the table alone.
    let huge = section(&[(0, MAX_PROSE_BYTES as u32), (0, 1)], &[]);
    let e = Bundle::decode(&container(0, &structure, &huge)).unwrap_err();
    assert_eq!(
        e,
        BundleError::Prose(ProseError::TooLarge {
            found: MAX_PROSE_BYTES + 1
        })
    );
    assert!(e.to_string().contains("over the limit"), "{e}");
    // A block that inflates to 50 MB while declaring 100 bytes stops at 100.
    let bomb = deflate(&vec![0u8; 50 << 20]);
    assert!(bomb.len() < 100_000);
    let bytes = container(
        0,
        &structure,
        &section(&[(bomb.len() as u32, 100), (0, 0)], &bomb),
    );
    assert_eq!(
        prose_error(&bytes),
        ProseError::WrongLength {
            rubric: 0,
            declared: 100
        }
    );
}

#[test]
fn a_wrong_number_of_texts_is_refused() {
    let (_, texts) = split();
    let mut fewer = texts[0].clone();
    fewer.pop();
    let lengths: Vec<u16> = fewer.iter().map(|t| t.len() as u16).collect();
    let bytes = with_first_block(&block(&lengths, fewer.concat().as_bytes()));
    let e = prose_error(&bytes);
    assert_eq!(
        e,
        ProseError::TextCount {
            rubric: 0,
            found: texts[0].len() - 1,
            expected: texts[0].len()
        }
    );
    assert!(e.to_string().contains("places for"), "{e}");
}

#[test]
fn text_lengths_that_do_not_add_up_are_refused() {
    let (_, texts) = split();
    let mut lengths: Vec<u16> = texts[0].iter().map(|t| t.len() as u16).collect();
    lengths[0] += 1;
    let bytes = with_first_block(&block(&lengths, texts[0].concat().as_bytes()));
    assert_eq!(prose_error(&bytes), ProseError::TextLengths { rubric: 0 });
    // A block too short for its own lengths.
    let bytes = with_first_block(&[1]);
    assert_eq!(prose_error(&bytes), ProseError::TextLengths { rubric: 0 });
}

#[test]
fn texts_that_are_not_utf8_or_split_a_character_are_refused() {
    let (_, texts) = split();
    let mut lengths: Vec<u16> = texts[0].iter().map(|t| t.len() as u16).collect();
    let mut bytes = texts[0].concat().into_bytes();
    bytes[0] = 0xff;
    let e = prose_error(&with_first_block(&block(&lengths, &bytes)));
    let table = 2 + 2 * lengths.len();
    assert_eq!(
        e,
        ProseError::NotUtf8 {
            rubric: 0,
            offset: table
        }
    );
    assert!(e.to_string().contains("not UTF-8"), "{e}");

    // "é" is two bytes; a boundary between them is refused.
    let mut texts0 = texts[0].clone();
    texts0[0] = "é".to_string();
    texts0[1] = format!("x{}", texts0[1]);
    lengths = texts0.iter().map(|t| t.len() as u16).collect();
    lengths[0] = 1;
    lengths[1] += 1;
    let e = prose_error(&with_first_block(&block(
        &lengths,
        texts0.concat().as_bytes(),
    )));
    assert_eq!(e, ProseError::SplitCharacter { rubric: 0, text: 0 });
}

#[test]
fn damaged_compressed_texts_are_refused() {
    let (_, texts) = split();
    let lengths: Vec<u16> = texts[0].iter().map(|t| t.len() as u16).collect();
    let good = block(&lengths, texts[0].concat().as_bytes());
    let (structure, _) = split();
    let garbage = vec![0xffu8; 40];
    let rest = pack_section(&texts[1..]).unwrap();
    let mut entries = vec![(garbage.len() as u32, good.len() as u32)];
    entries.push((
        u32::from_le_bytes(rest[2..6].try_into().unwrap()),
        u32::from_le_bytes(rest[6..10].try_into().unwrap()),
    ));
    let mut blocks = garbage;
    blocks.extend_from_slice(&rest[10..]);
    let e = prose_error(&container(0, &structure, &section(&entries, &blocks)));
    assert_eq!(e, ProseError::Damaged { rubric: 0 });
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn an_expanded_text_still_meets_every_text_rule() {
    // A required text left blank in the prose section: expand puts it back,
    // and the full validation of the result refuses it.
    let mut payload = common::payload();
    payload.rubrics[0].title = " ".to_string();
    let bytes = encode_v3(&payload, Prose::Included).unwrap();
    assert!(
        Bundle::decode(&bytes).is_ok(),
        "the structure alone is fine"
    );
    let inline = expand_bundle(&bytes).unwrap();
    match Bundle::decode(&inline).unwrap_err() {
        BundleError::Invalid(issue) => assert_eq!(issue.problem, Problem::EmptyText),
        other => panic!("{other:?}"),
    }
}
