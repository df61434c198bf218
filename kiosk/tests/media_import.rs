//! A bundle from a drive is decoded once when the drive is scanned and once
//! when its import is planned against the library, and not again when the
//! person imports it: the import carries out the plan the screen showed.
//! A plan that no longer holds (the library changed, or other bytes) is
//! made again rather than trusted.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::sync::Arc;

use kiosk::library::preview::decodes_on_this_thread;
use kiosk::library::{
    hash_hex, Consent, ImportError, Library, Mode, Policy, Rejection, TrustContext,
};
use kiosk::media::{scan_drive, ScanLimits};
use usb_support::*;

fn open_trust() -> TrustContext {
    TrustContext {
        mode: Mode::SingleUser,
        policy: Policy::default(),
        keys: Vec::new(),
    }
}

const YES: Consent = Consent {
    untrusted: true,
    replace: true,
};

/// The bytes the scan kept for `name`.
fn scanned(files: &[(&str, &[u8])], name: &str) -> (tempfile::TempDir, Arc<[u8]>) {
    let tmp = tempfile::tempdir().unwrap();
    let root = drive(tmp.path(), "STICK", files);
    let drive = scan_drive(&root, &ScanLimits::default());
    let found = drive.bundles.iter().find(|b| b.file_name == name).unwrap();
    let bytes = found.content.clone().unwrap();
    (tmp, bytes)
}

#[test]
fn a_bundle_from_a_drive_is_decoded_at_the_scan_and_the_plan_and_not_at_the_import() {
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(data.path()).unwrap();
    let v1 = bundle(&usb_check_source(1), None);

    let start = decodes_on_this_thread();
    let (_drive, bytes) = scanned(&[("usb-check.rbk", &v1)], "usb-check.rbk");
    assert_eq!(decodes_on_this_thread() - start, 1, "the scan decodes it");
    let plan = library.plan(&bytes, &open_trust()).unwrap();
    assert_eq!(decodes_on_this_thread() - start, 2, "the plan decodes it");
    let done = library
        .import_planned(&plan, &bytes, "usb-check.rbk".into(), &open_trust(), YES)
        .unwrap();
    assert_eq!(
        decodes_on_this_thread() - start,
        2,
        "the import carries out the plan without decoding again"
    );
    assert_eq!(done, plan);
    assert!(library.current().bundle.rubric("usb-check").is_some());
    assert!(
        !library.plan_holds(&plan, &bytes, &open_trust()),
        "the library changed"
    );
}

#[test]
fn a_plan_made_before_the_library_changed_is_made_again_at_the_import() {
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(data.path()).unwrap();
    // The same rubric in two files: unsigned, and signed (other bytes).
    let unsigned = bundle(&usb_check_source(1), None);
    let signed = bundle(&usb_check_source(1), Some(&key(3)));
    let (_a, unsigned) = scanned(&[("a.rbk", &unsigned)], "a.rbk");
    let (_b, signed) = scanned(&[("b.rbk", &signed)], "b.rbk");
    let plan_a = library.plan(&unsigned, &open_trust()).unwrap();
    let plan_b = library.plan(&signed, &open_trust()).unwrap();
    library
        .import_planned(&plan_a, &unsigned, "a.rbk".into(), &open_trust(), YES)
        .unwrap();

    // Plan b said "new"; now the rubric is in the library, so it is planned
    // again and refused instead of being added twice.
    assert!(!library.plan_holds(&plan_b, &signed, &open_trust()));
    let start = decodes_on_this_thread();
    let again = library.import_planned(&plan_b, &signed, "b.rbk".into(), &open_trust(), YES);
    assert!(
        matches!(
            again,
            Err(ImportError::Rejected(Rejection::AlreadyInLibrary))
        ),
        "{again:?}"
    );
    assert_eq!(decodes_on_this_thread() - start, 1, "planned afresh");
}

#[test]
fn a_plan_is_never_carried_out_on_other_bytes() {
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(data.path()).unwrap();
    let v1 = bundle(&usb_check_source(1), None);
    let v2 = bundle(&usb_check_source(2), None);
    let plan_v1 = library.plan(&v1, &open_trust()).unwrap();
    assert!(library.plan_holds(&plan_v1, &v1, &open_trust()));
    assert!(!library.plan_holds(&plan_v1, &v2, &open_trust()));
    let done = library
        .import_planned(&plan_v1, &v2, "v2.rbk".into(), &open_trust(), YES)
        .unwrap();
    assert_eq!(
        done.preview.hash,
        hash_hex(&v2),
        "what was imported was planned for itself"
    );
    assert_eq!(done.changes[0].0.version, 2);
}

#[test]
fn a_plan_made_before_a_key_was_trusted_or_the_policy_tightened_is_made_again() {
    let data = tempfile::tempdir().unwrap();
    let library = Library::open(data.path()).unwrap();
    let signer = key(4);
    let signed = bundle(&usb_check_source(1), Some(&signer));
    let plan = library.plan(&signed, &open_trust()).unwrap();
    assert!(library.plan_holds(&plan, &signed, &open_trust()));
    let trusting = TrustContext {
        keys: vec![rubric_engine::TrustedKey(signer.public().0)],
        ..open_trust()
    };
    assert!(
        !library.plan_holds(&plan, &signed, &trusting),
        "the signer is now trusted"
    );
    let workshop = TrustContext {
        mode: Mode::Workshop,
        ..open_trust()
    };
    assert!(
        !library.plan_holds(&plan, &signed, &workshop),
        "untrusted is refused now"
    );
}
