//! The trust policy: in single-user mode an unsigned or untrusted bundle
//! comes in only after a warning; in workshop mode (or under the strict
//! policy) only bundles signed by a trusted key; the shipped library needs
//! no key; keys are managed by id, and once a facilitator PIN is set,
//! changing keys or the policy needs it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::fs;
use std::process::Command;

use kiosk::library::{
    Admission, Consent, ImportError, Library, Mode, Policy, Rejection, Signer, TrustContext,
    TrustStore,
};
use kiosk::store::ResultsStore;
use kiosk::workshop::FacilitatorPin;
use usb_support::*;

fn trust(mode: Mode, policy: Policy, keys: &[&rubrics::SecretKey]) -> TrustContext {
    TrustContext {
        mode,
        policy,
        keys: keys.iter().map(|k| k.public()).collect(),
    }
}

const STRICT: Policy = Policy {
    require_trusted: true,
};

#[test]
fn single_user_mode_warns_before_unsigned_or_untrusted_bundles_and_takes_trusted_ones_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let ours = key(1);
    let theirs = key(2);
    let cases = [
        ("unsigned", None, Admission::AfterWarning),
        ("untrusted", Some(&theirs), Admission::AfterWarning),
        ("trusted", Some(&ours), Admission::Trusted),
    ];
    for (what, signer, admission) in cases {
        let data = tmp.path().join(what);
        let path = tmp.path().join(format!("{what}.rbk"));
        fs::write(&path, bundle(&usb_check_source(1), signer)).unwrap();
        let mut library = Library::open(&data).unwrap();
        let rules = trust(Mode::SingleUser, Policy::default(), &[&ours]);
        let plan = library.plan(&fs::read(&path).unwrap(), &rules).unwrap();
        assert_eq!(plan.admission, admission, "{what}");
        let first = library.import(&path, &rules, Consent::default());
        if admission == Admission::Trusted {
            assert_eq!(
                first.unwrap().preview.signer,
                Signer::Trusted(ours.key_id())
            );
        } else {
            let warning = first.unwrap_err();
            assert!(matches!(warning, ImportError::NeedsWarning(_)), "{what}");
            assert!(warning
                .to_string()
                .contains("Import it only if you know where it came from"));
            assert!(
                library.entries().is_empty(),
                "{what}: nothing before the warning"
            );
            let consent = Consent {
                untrusted: true,
                replace: false,
            };
            library.import(&path, &rules, consent).unwrap();
        }
        assert!(
            library.current().bundle.rubric("usb-check").is_some(),
            "{what}"
        );
    }
}

#[test]
fn workshop_mode_and_the_strict_policy_accept_only_trusted_signatures() {
    let tmp = tempfile::tempdir().unwrap();
    let ours = key(1);
    let theirs = key(2);
    for (mode, policy) in [
        (Mode::Workshop, Policy::default()),
        (Mode::Workshop, STRICT),
        (Mode::SingleUser, STRICT),
    ] {
        let library = Library::open(&tmp.path().join("data")).unwrap();
        let rules = trust(mode, policy, &[&ours]);
        for (signer, shown) in [(None, "unsigned"), (Some(&theirs), "which is not trusted")] {
            let why = library
                .plan(&bundle(&usb_check_source(1), signer), &rules)
                .unwrap_err();
            assert!(matches!(why, Rejection::NotTrusted { .. }), "{mode:?}");
            assert!(why
                .to_string()
                .contains("Only bundles signed by a trusted key"));
            assert!(why.to_string().contains(shown), "{why}");
        }
        let plan = library
            .plan(&bundle(&usb_check_source(1), Some(&ours)), &rules)
            .unwrap();
        assert_eq!(plan.admission, Admission::Trusted);
        // The shipped library needs no key in any mode.
        assert!(library.current().bundle.rubric("staff-readiness").is_some());
    }
}

#[test]
fn a_trusted_keys_signature_that_does_not_match_is_tampering_not_untrusted() {
    let ours = key(1);
    let mut bytes = bundle(&usb_check_source(1), Some(&ours));
    let n = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let last = bytes.len() - 1;
    bytes[last] ^= 1; // inside the signature
    let tmp = tempfile::tempdir().unwrap();
    let library = Library::open(tmp.path()).unwrap();
    let why = library
        .plan(
            &bytes,
            &trust(Mode::SingleUser, Policy::default(), &[&ours]),
        )
        .unwrap_err();
    assert_eq!(
        why,
        Rejection::Tampered {
            key: rubrics::keys::hex(&ours.key_id())
        }
    );
    // Without the key the kiosk cannot tell: it is "untrusted", after a warning.
    let plan = library
        .plan(&bytes, &trust(Mode::SingleUser, Policy::default(), &[]))
        .unwrap();
    assert_eq!(plan.preview.signer, Signer::Untrusted(ours.key_id()));
    assert!(n > 0);
}

#[test]
fn keys_are_trusted_listed_and_removed_by_id_and_a_damaged_policy_file_is_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let store = TrustStore::new(tmp.path());
    assert!(store.keys().unwrap().is_empty());
    assert_eq!(store.policy(), Policy::default());
    let k = key(3);
    let pub_file = tmp.path().join("author.pub");
    write_public(&k, &pub_file);
    let entry = store.trust(&pub_file).unwrap();
    fs::remove_file(&pub_file).unwrap(); // the drive is gone; the key stays
    assert_eq!(store.keys().unwrap(), vec![entry.clone()]);
    assert_eq!(store.trusted(), vec![k.public()]);
    assert!(store.untrust("zz").is_err());
    store.untrust(&entry.id[..6]).unwrap();
    assert!(store.keys().unwrap().is_empty());

    fs::write(tmp.path().join("not-a-key.pub"), "hello").unwrap();
    assert!(store.trust(&tmp.path().join("not-a-key.pub")).is_err());

    store.set_policy(STRICT).unwrap();
    assert_eq!(store.policy(), STRICT);
    fs::write(tmp.path().join("trusted-keys/policy.json"), "{ damaged").unwrap();
    assert_eq!(
        store.policy(),
        STRICT,
        "a damaged policy never loosens the rules"
    );
}

fn bin(data: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"));
    command
        .arg("--data-dir")
        .arg(data)
        .env_remove("RUBRIC_KIOSK_MEDIA");
    command
}

fn run_ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn run_err(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{command:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_command_line_manages_keys_behind_the_pin_and_imports_by_the_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ours = key(4);
    let pub_file = tmp.path().join("author.pub");
    write_public(&ours, &pub_file);
    let id = rubrics::keys::hex(&ours.key_id());

    assert!(run_ok(bin(&data).args(["keys", "list"])).contains("no trusted keys"));
    run_ok(bin(&data).args(["keys", "trust"]).arg(&pub_file));
    assert!(run_ok(bin(&data).args(["keys", "list", "--json"])).contains(&id));

    {
        let store = ResultsStore::open_in(&data).unwrap();
        FacilitatorPin::new(&store).set_pin("2468", "2468").unwrap();
    }
    let err = run_err(bin(&data).args(["keys", "untrust", &id]));
    assert!(err.contains("give it with --pin"), "{err}");
    let err = run_err(bin(&data).args(["keys", "policy", "trusted-only", "--pin", "1111"]));
    assert!(err.contains("not accepted"), "{err}");
    run_ok(bin(&data).args(["keys", "policy", "trusted-only", "--pin", "2468"]));
    assert!(run_ok(bin(&data).args(["keys", "list"])).contains("policy: trusted-only"));

    // Under the strict policy an unsigned bundle is refused even with --allow-untrusted.
    let unsigned = tmp.path().join("unsigned.rbk");
    fs::write(&unsigned, bundle(&usb_check_source(1), None)).unwrap();
    let err = run_err(
        bin(&data)
            .args(["library", "import", "--allow-untrusted"])
            .arg(&unsigned),
    );
    assert!(
        err.contains("Only bundles signed by a trusted key"),
        "{err}"
    );
    let signed = tmp.path().join("signed.rbk");
    fs::write(&signed, bundle(&usb_check_source(1), Some(&ours))).unwrap();
    let out = run_ok(
        bin(&data)
            .args(["library", "import", "--json"])
            .arg(&signed),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let bundle_id = json["id"].as_str().unwrap().to_string();
    assert!(run_ok(bin(&data).args(["library", "list"])).contains("usb-check v1"));

    run_ok(bin(&data).args(["keys", "untrust", &id[..8], "--pin", "2468"]));
    assert!(run_ok(bin(&data).args(["keys", "list"])).contains("no trusted keys"));

    run_ok(bin(&data).args(["library", "remove", &bundle_id]));
    let listed = run_ok(bin(&data).args(["library", "list", "--json"]));
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed["bundles"][0]["removed"], true);
    assert!(!listed["rubrics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "usb-check"));
}

#[test]
fn the_command_line_asks_for_the_warning_and_the_replacement_to_be_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let v1 = tmp.path().join("v1.rbk");
    let v2 = tmp.path().join("v2.rbk");
    fs::write(&v1, bundle(&usb_check_source(1), None)).unwrap();
    fs::write(&v2, bundle(&usb_check_source(2), None)).unwrap();
    let err = run_err(bin(&data).args(["library", "import"]).arg(&v1));
    assert!(
        err.contains("unsigned") && err.contains("--allow-untrusted"),
        "{err}"
    );
    let err = run_err(
        bin(&data)
            .args(["library", "import", "--workshop", "--allow-untrusted"])
            .arg(&v1),
    );
    assert!(
        err.contains("Only bundles signed by a trusted key"),
        "{err}"
    );
    run_ok(
        bin(&data)
            .args(["library", "import", "--allow-untrusted"])
            .arg(&v1),
    );
    let err = run_err(
        bin(&data)
            .args(["library", "import", "--allow-untrusted"])
            .arg(&v2),
    );
    assert!(
        err.contains("version 1 with version 2") && err.contains("--replace"),
        "{err}"
    );
    let out = run_ok(
        bin(&data)
            .args(["library", "import", "--allow-untrusted", "--replace"])
            .arg(&v2),
    );
    assert!(
        out.contains("usb-check: version 2 replaces version 1"),
        "{out}"
    );
}
