//! The container: header, CRC, signature, hard errors on hostile bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use ed25519_compact::{KeyPair, Seed};
use rubric_engine::codec::{encode_container, encode_signed_container, HEADER_LEN};
use rubric_engine::model::BundlePayload;
use rubric_engine::owned;
use rubric_engine::{Bundle, BundleError, Limit, TrustedKey};

fn keypair(seed: u8) -> KeyPair {
    KeyPair::from_seed(Seed::new([seed; 32]))
}

fn signed(seed: u8) -> Vec<u8> {
    signed_payload(seed, &common::payload().encode().unwrap())
}

fn signed_payload(seed: u8, payload: &[u8]) -> Vec<u8> {
    let kp = keypair(seed);
    let mut key_id = [0; 8];
    key_id.copy_from_slice(&kp.pk[..8]);
    encode_signed_container(payload, key_id, |msg| *kp.sk.sign(msg, None))
}

/// Bytes that are not postcard for a payload: a rubric count of 0xffff
/// followed by nothing.
const GARBAGE: [u8; 5] = [0xff, 0xff, 0xff, 0xff, 0x0f];

#[test]
fn round_trips_through_owned_types() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    assert_eq!(
        owned::BundlePayload::from_view(bundle.payload()),
        common::payload()
    );
    assert_eq!(bundle.len(), bytes.len());
    assert_eq!(bundle.rubric("fit").unwrap().items.len(), 3);
    let trailer = &bytes[bytes.len() - 4..];
    assert_eq!(bundle.crc().to_le_bytes(), trailer);
    assert_eq!(
        bundle.header().payload_len as usize,
        bytes.len() - HEADER_LEN - 4
    );
    assert_eq!(bundle.payload_bytes(), &bytes[HEADER_LEN..bytes.len() - 4]);
    assert_eq!(bundle.signature(), None);
}

#[test]
fn payload_decodes_with_stock_postcard_after_the_header() {
    let bytes = common::bundle_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let len = bundle.header().payload_len as usize;
    let stock: BundlePayload = postcard::from_bytes(&bytes[HEADER_LEN..HEADER_LEN + len]).unwrap();
    assert_eq!(&stock, bundle.payload());
    assert_eq!(stock.rubrics.iter().count(), 2);
}

#[test]
fn encoding_is_deterministic() {
    assert_eq!(common::bundle_bytes(), common::bundle_bytes());
}

#[test]
fn bad_magic_version_and_flags() {
    let mut bytes = common::bundle_bytes();
    bytes[0] = b'X';
    assert_eq!(Bundle::decode(&bytes).unwrap_err(), BundleError::BadMagic);

    let mut bytes = common::bundle_bytes();
    bytes[4] = 9;
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::UnsupportedVersion {
            found: 9,
            supported: 6
        }
    );

    let mut bytes = common::bundle_bytes();
    bytes[6] = 0x80;
    assert!(matches!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::UnsupportedFlags { .. }
    ));
}

#[test]
fn versions_one_to_six_load_and_no_other() {
    assert_eq!(rubric_engine::codec::FORMAT_VERSION, 6);
    // The inline layout (every text in the payload) is version 2.
    let written = common::bundle_bytes();
    assert_eq!(u16::from_le_bytes([written[4], written[5]]), 2);
    for version in [0u16, 7, 0xffff] {
        let mut bytes = written.clone();
        bytes[4..6].copy_from_slice(&version.to_le_bytes());
        assert_eq!(
            Bundle::decode(&bytes).unwrap_err(),
            BundleError::UnsupportedVersion {
                found: version,
                supported: 6
            }
        );
    }
}

#[test]
fn truncation_names_the_offset() {
    let bytes = common::bundle_bytes();
    assert_eq!(
        Bundle::decode(&bytes[..5]).unwrap_err(),
        BundleError::Truncated {
            offset: 0,
            needed: HEADER_LEN
        }
    );
    let payload_len = bytes.len() - HEADER_LEN - 4;
    assert_eq!(
        Bundle::decode(&bytes[..HEADER_LEN + 10]).unwrap_err(),
        BundleError::Truncated {
            offset: HEADER_LEN,
            needed: payload_len
        }
    );
    assert_eq!(
        Bundle::decode(&bytes[..bytes.len() - 1]).unwrap_err(),
        BundleError::Truncated {
            offset: bytes.len() - 4,
            needed: 4
        }
    );
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = common::bundle_bytes();
    let end = bytes.len();
    bytes.push(0);
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::TrailingBytes { offset: end }
    );
}

#[test]
fn a_flipped_payload_byte_fails_the_checksum() {
    let mut bytes = common::bundle_bytes();
    bytes[HEADER_LEN + 20] ^= 0x01;
    assert!(matches!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::ChecksumMismatch { .. }
    ));
}

#[test]
fn huge_declared_payload_is_a_limit_error() {
    let mut bytes = common::bundle_bytes();
    bytes[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::LimitExceeded {
            limit: Limit::PayloadBytes,
            found: u32::MAX as usize
        }
    );
}

#[test]
fn malformed_payload_with_valid_checksum() {
    let bytes = encode_container(&[0xFF, 0xFF, 0xFF]);
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::MalformedPayload
    );
    // Trailing bytes inside the payload are refused too.
    let mut payload = common::payload().encode().unwrap();
    payload.push(0);
    assert_eq!(
        Bundle::decode(&encode_container(&payload)).unwrap_err(),
        BundleError::MalformedPayload
    );
}

#[test]
fn signatures_verify_only_with_the_trusted_key() {
    let bytes = signed(7);
    let trusted = TrustedKey(*keypair(7).pk);
    let other = TrustedKey(*keypair(8).pk);
    let bundle = Bundle::decode_trusted(&bytes, &[other, trusted]).unwrap();
    assert_eq!(bundle.signature().map(|s| s.key_id), Some(trusted.key_id()));
    assert_eq!(bundle.len(), bytes.len());
    assert!(!bundle.is_empty());

    assert_eq!(
        Bundle::decode_trusted(&bytes, &[other]).unwrap_err(),
        BundleError::UnknownSigner {
            key_id: trusted.key_id()
        }
    );
    assert_eq!(
        Bundle::decode_trusted(&common::bundle_bytes(), &[trusted]).unwrap_err(),
        BundleError::Unsigned
    );
    // A flipped signature byte keeps the CRC valid but breaks the signature.
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x40;
    assert_eq!(
        Bundle::decode_trusted(&tampered, &[trusted]).unwrap_err(),
        BundleError::BadSignature
    );
}

#[test]
fn a_trusted_decode_refuses_an_unsigned_bundle_before_reading_its_payload() {
    let trusted = TrustedKey(*keypair(7).pk);
    let garbage = encode_container(&GARBAGE);
    assert_eq!(
        Bundle::decode(&garbage).unwrap_err(),
        BundleError::MalformedPayload
    );
    assert_eq!(
        Bundle::decode_trusted(&garbage, &[trusted]).unwrap_err(),
        BundleError::Unsigned
    );
}

#[test]
fn a_trusted_decode_checks_the_signer_and_signature_before_reading_the_payload() {
    let trusted = TrustedKey(*keypair(7).pk);
    let other = TrustedKey(*keypair(8).pk);
    let garbage = signed_payload(7, &GARBAGE);
    assert_eq!(
        Bundle::decode_trusted(&garbage, &[other]).unwrap_err(),
        BundleError::UnknownSigner {
            key_id: trusted.key_id()
        }
    );
    let mut tampered = garbage.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x40;
    assert_eq!(
        Bundle::decode_trusted(&tampered, &[trusted]).unwrap_err(),
        BundleError::BadSignature
    );
    // Correctly signed garbage passes the signature and only then fails to parse.
    assert_eq!(
        Bundle::decode_trusted(&garbage, &[trusted]).unwrap_err(),
        BundleError::MalformedPayload
    );
}

#[test]
fn a_trusted_decode_checks_the_checksum_before_the_signature() {
    let trusted = TrustedKey(*keypair(7).pk);
    let mut bytes = signed(7);
    bytes[HEADER_LEN] ^= 0x01;
    assert!(matches!(
        Bundle::decode_trusted(&bytes, &[trusted]).unwrap_err(),
        BundleError::ChecksumMismatch { .. }
    ));
}

#[test]
fn error_messages_say_what_is_wrong() {
    let msg = BundleError::UnsupportedVersion {
        found: 3,
        supported: 2,
    }
    .to_string();
    assert!(
        msg.contains("version 3") && msg.contains("versions 1 to 2"),
        "{msg}"
    );
    let msg = BundleError::Truncated {
        offset: 12,
        needed: 40,
    }
    .to_string();
    assert!(msg.contains("offset 12"), "{msg}");
    let msg = BundleError::LimitExceeded {
        limit: Limit::Items,
        found: 99,
    }
    .to_string();
    assert!(
        msg.contains("items per rubric") && msg.contains("64"),
        "{msg}"
    );
}

#[test]
fn trailing_bytes_after_a_signature_are_refused() {
    let mut bytes = signed(7);
    let end = bytes.len();
    bytes.push(0);
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::TrailingBytes { offset: end }
    );
}

#[test]
fn a_payload_of_exactly_the_limit_is_not_a_limit_error() {
    let limit = rubric_engine::limits::MAX_PAYLOAD_BYTES;
    let mut bytes = common::bundle_bytes();
    bytes[8..12].copy_from_slice(&(limit as u32).to_le_bytes());
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::Truncated {
            offset: HEADER_LEN,
            needed: limit
        }
    );
}

#[test]
fn a_malformed_nested_list_is_a_malformed_payload() {
    // The top level decodes (the rubric list is a byte string) but the
    // list's first element does not.
    let payload = BundlePayload {
        rubrics: rubric_engine::Seq::from_raw(&[1, 0xFF]),
    };
    let bytes = encode_container(&postcard::to_allocvec(&payload).unwrap());
    assert_eq!(
        Bundle::decode(&bytes).unwrap_err(),
        BundleError::MalformedPayload
    );
}
