//! Bundles of every format version the kiosk reads: a version 5 bundle (what
//! the compiler writes) and a version 3 bundle have their texts expanded on
//! import and on every start, a signed version 2
//! bundle (what earlier imports stored) keeps loading with its signature,
//! and a device bundle without texts is refused in plain words.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::fs;

use kiosk::library::{hash_hex, Admission, Consent, Library, Mode, Policy, TrustContext};
use rubric_engine::codec::{encode_signed_container, encode_v3, sign_container, Prose};
use usb_support::*;

const YES: Consent = Consent {
    untrusted: true,
    replace: true,
};

fn trusting(key: &rubrics::SecretKey) -> TrustContext {
    TrustContext {
        mode: Mode::Workshop,
        policy: Policy::default(),
        keys: vec![key.public()],
    }
}

fn first_prompt(library: &Library) -> String {
    let rubric = library.current().bundle.rubric("usb-check").unwrap();
    rubric.items.iter().next().unwrap().prompt.to_string()
}

/// A signed bundle of the older version 3 layout (texts compressed per
/// rubric), as compilers before version 5 wrote it.
fn v3_bundle(text: &str, signer: &rubrics::SecretKey) -> Vec<u8> {
    let payload = rubrics::compile(&[rubrics::Source::in_memory("v3.toml", text)]).unwrap();
    let bytes = encode_v3(&payload, Prose::Included).unwrap();
    sign_container(&bytes, signer.key_id(), |m| signer.sign(m)).unwrap()
}

#[test]
fn a_signed_v5_bundle_is_imported_with_its_texts_and_its_own_header() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let signer = key(5);
    let bytes = bundle(&usb_check_source(1), Some(&signer));
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 5);
    let path = tmp.path().join("usb-check.rbk");
    fs::write(&path, &bytes).unwrap();

    let mut library = Library::open(&data).unwrap();
    let plan = library.import(&path, &trusting(&signer), YES).unwrap();
    assert_eq!(plan.admission, Admission::Trusted);
    assert_eq!(plan.preview.format_version, 5);
    assert_eq!(plan.preview.title(), "USB check");
    let expected = first_prompt(&library);
    assert!(!expected.is_empty());

    // After a restart the stored file (still version 5) is expanded again,
    // to the same texts a version 3 file of the same source gives.
    let library = Library::open(&data).unwrap();
    assert_eq!(first_prompt(&library), expected);
    assert_eq!(library.current().hash_for("usb-check"), hash_hex(&bytes));
    let old = tmp.path().join("old-data");
    let mut older = Library::open(&old).unwrap();
    let v3 = tmp.path().join("usb-check-v3.rbk");
    fs::write(&v3, v3_bundle(&usb_check_source(1), &signer)).unwrap();
    older.import(&v3, &trusting(&signer), YES).unwrap();
    assert_eq!(first_prompt(&older), expected);
}

#[test]
fn a_signed_v3_bundle_is_imported_with_its_texts_and_its_own_header() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let signer = key(3);
    let bytes = v3_bundle(&usb_check_source(1), &signer);
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 3);
    let path = tmp.path().join("usb-check.rbk");
    fs::write(&path, &bytes).unwrap();

    let mut library = Library::open(&data).unwrap();
    let plan = library.import(&path, &trusting(&signer), YES).unwrap();
    assert_eq!(plan.admission, Admission::Trusted);
    assert_eq!(plan.preview.format_version, 3);
    let crc_at = bytes.len() - 72 - 4;
    assert_eq!(
        plan.preview.crc.to_le_bytes(),
        bytes[crc_at..crc_at + 4],
        "the preview shows the file's own checksum"
    );
    assert_eq!(plan.preview.title(), "USB check");
    assert!(!first_prompt(&library).is_empty());

    // After a restart the stored file (still version 3) is expanded again.
    let library = Library::open(&data).unwrap();
    assert!(!first_prompt(&library).is_empty());
    assert_eq!(library.current().hash_for("usb-check"), hash_hex(&bytes));
    assert!(library.entries()[0].signer.is_some());
}

#[test]
fn a_signed_v2_bundle_imported_earlier_keeps_loading() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let signer = key(4);
    let payload =
        rubrics::compile(&[rubrics::Source::in_memory("old.toml", &usb_check_source(1))]).unwrap();
    let old = encode_signed_container(&payload.encode().unwrap(), signer.key_id(), |m| {
        signer.sign(m)
    });
    assert_eq!(u16::from_le_bytes([old[4], old[5]]), 2);
    let path = tmp.path().join("old.rbk");
    fs::write(&path, &old).unwrap();

    let mut library = Library::open(&data).unwrap();
    let plan = library.import(&path, &trusting(&signer), YES).unwrap();
    assert_eq!(plan.admission, Admission::Trusted);
    assert_eq!(plan.preview.format_version, 2);
    let expected = first_prompt(&library);
    assert!(!expected.is_empty());

    // The index is lost: the entry is rebuilt from the stored v2 file, signer included.
    fs::remove_file(data.join("library").join("index.json")).ok();
    let library = Library::open(&data).unwrap();
    assert_eq!(first_prompt(&library), expected);
    assert_eq!(library.current().hash_for("usb-check"), hash_hex(&old));
    assert!(library.entries()[0].signer.is_some());
}

#[test]
fn a_device_bundle_without_texts_is_refused_in_plain_words() {
    let tmp = tempfile::tempdir().unwrap();
    let payload = rubrics::compile(&[rubrics::Source::in_memory(
        "device.toml",
        &usb_check_source(1),
    )])
    .unwrap();
    let device = rubrics::encode_bundle(&payload, Prose::Omitted, None).unwrap();
    let library = Library::open(&tmp.path().join("data")).unwrap();
    let open = TrustContext {
        mode: Mode::SingleUser,
        policy: Policy::default(),
        keys: Vec::new(),
    };
    let why = library.plan(&device, &open).unwrap_err().to_string();
    assert!(why.contains("made for a scoring device"), "{why}");
}
