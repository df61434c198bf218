//! Format version 5: the texts of all rubrics compressed as one stream. It
//! expands to the same inline payload as versions 3 and 4, the device bundle
//! is unchanged, and hostile streams are refused with a named reason.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use rubric_engine::codec::{
    encode_container, encode_v3, encode_v5, expand, expand_bundle, sign_container, Prose,
    STREAM_FORMAT_VERSION,
};
use rubric_engine::crc::crc32;
use rubric_engine::limits::MAX_PROSE_BYTES;
use rubric_engine::owned;
use rubric_engine::prose::{pack_stream, take_texts, ProseError};
use rubric_engine::{Bundle, BundleError, TrustedKey};

/// A version 5 container around these parts, with a correct CRC.
fn container(structure: &[u8], section: &[u8]) -> Vec<u8> {
    let mut out = b"RBKB".to_vec();
    out.extend_from_slice(&STREAM_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
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

/// A version 5 section: the declared length, then `blocks` deflated.
fn stream(declared: u32, blocks: &[u8]) -> Vec<u8> {
    let mut out = declared.to_le_bytes().to_vec();
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(blocks, 6));
    out
}

/// The text blocks of the test payload, uncompressed.
fn blocks() -> Vec<u8> {
    let (_, texts) = split();
    let section = pack_stream(&texts).unwrap();
    miniz_oxide::inflate::decompress_to_vec(&section[4..]).unwrap()
}

fn prose_error(bytes: &[u8]) -> ProseError {
    match expand(bytes) {
        Err(BundleError::Prose(e)) => e,
        other => panic!("expected a prose error, got {other:?}"),
    }
}

#[test]
fn a_v5_bundle_expands_to_the_same_inline_payload_as_v3() {
    let payload = common::payload();
    let bytes = encode_v5(&payload, Prose::Included).unwrap();
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 5);
    assert_eq!(bytes, encode_v5(&payload, Prose::Included).unwrap());
    assert_eq!(expand(&bytes).unwrap(), payload.encode().unwrap());
    let v3 = encode_v3(&payload, Prose::Included).unwrap();
    assert_eq!(expand(&bytes).unwrap(), expand(&v3).unwrap());
    let inline = expand_bundle(&bytes).unwrap();
    assert_eq!(inline, encode_container(&payload.encode().unwrap()));
    let bundle = Bundle::decode(&inline).unwrap();
    assert_eq!(owned::BundlePayload::from_view(bundle.payload()), payload);
    // The structure alone is what version 3 holds, byte for byte.
    let structure = Bundle::decode(&bytes).unwrap();
    assert!(!structure.texts_inline() && !structure.texts_omitted());
    assert_eq!(
        structure.payload_bytes(),
        Bundle::decode(&v3).unwrap().payload_bytes()
    );
}

#[test]
fn the_device_bundle_is_the_version_3_one_unchanged() {
    let payload = common::payload();
    let device = encode_v5(&payload, Prose::Omitted).unwrap();
    assert_eq!(device, encode_v3(&payload, Prose::Omitted).unwrap());
    assert_eq!(u16::from_le_bytes([device[4], device[5]]), 3);
}

#[test]
fn signing_covers_the_stream() {
    let payload = common::payload();
    let secret = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new([9; 32]));
    let key = TrustedKey(*secret.pk);
    let bytes = encode_v5(&payload, Prose::Included).unwrap();
    let signed = sign_container(&bytes, key.key_id(), |m| *secret.sk.sign(m, None)).unwrap();
    Bundle::decode_trusted(&signed, &[key]).unwrap();
    let mut altered = signed.clone();
    let in_stream = bytes.len() - 10;
    altered[in_stream] ^= 1;
    // The CRC catches it first; with the CRC fixed, the signature does.
    assert!(matches!(
        Bundle::decode_trusted(&altered, &[key]),
        Err(BundleError::ChecksumMismatch { .. })
    ));
    let crc_at = bytes.len() - 4;
    let crc = crc32(&altered[..crc_at]);
    altered[crc_at..crc_at + 4].copy_from_slice(&crc.to_le_bytes());
    assert_eq!(
        Bundle::decode_trusted(&altered, &[key]).unwrap_err(),
        BundleError::BadSignature
    );
}

#[test]
fn a_declared_size_over_the_limit_is_refused_before_inflating() {
    let (structure, _) = split();
    let bytes = container(&structure, &stream(MAX_PROSE_BYTES as u32 + 1, b""));
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::Prose(ProseError::TooLarge {
            found: MAX_PROSE_BYTES + 1
        })
    );
    // A stream that inflates to 50 MB while declaring 100 bytes stops at 100.
    let bomb = stream(100, &vec![0u8; 50 << 20]);
    assert!(bomb.len() < 100_000);
    assert_eq!(
        prose_error(&container(&structure, &bomb)),
        ProseError::StreamLength { declared: 100 }
    );
}

#[test]
fn a_section_shorter_than_its_length_field_is_refused() {
    let (structure, _) = split();
    assert_eq!(
        Bundle::decode(&container(&structure, &[1, 0])).unwrap_err(),
        BundleError::Prose(ProseError::TableTruncated {
            needed: 4,
            found: 2
        })
    );
}

#[test]
fn damaged_short_and_overlong_streams_are_named() {
    let (structure, _) = split();
    let blocks = blocks();
    let good = stream(blocks.len() as u32, &blocks);
    assert!(expand(&container(&structure, &good)).is_ok());

    let mut damaged = good.clone();
    damaged.truncate(damaged.len() - 3);
    damaged.extend_from_slice(&[0xFF; 3]);
    let e = prose_error(&container(&structure, &damaged));
    assert!(
        matches!(
            e,
            ProseError::StreamDamaged | ProseError::StreamLength { .. }
        ),
        "{e:?}"
    );

    let declared_more = stream(blocks.len() as u32 + 5, &blocks);
    assert_eq!(
        prose_error(&container(&structure, &declared_more)),
        ProseError::StreamLength {
            declared: blocks.len() + 5
        }
    );

    let mut extra = blocks.clone();
    extra.extend_from_slice(b"left over");
    let trailing = stream(extra.len() as u32, &extra);
    assert_eq!(
        prose_error(&container(&structure, &trailing)),
        ProseError::StreamTrailing { found: 9 }
    );

    let short = &blocks[..blocks.len() - 1];
    let cut = stream(short.len() as u32, short);
    let last = common::payload().rubrics.len() - 1;
    assert_eq!(
        prose_error(&container(&structure, &cut)),
        ProseError::TextLengths { rubric: last }
    );
}

#[test]
fn a_wrong_number_of_texts_names_the_rubric() {
    let (structure, _) = split();
    let mut blocks = blocks();
    // The first rubric's block starts with its number of texts.
    blocks[0] = blocks[0].wrapping_add(1);
    let e = prose_error(&container(
        &structure,
        &stream(blocks.len() as u32, &blocks),
    ));
    assert!(
        matches!(e, ProseError::TextCount { rubric: 0, .. }),
        "{e:?}"
    );
}
