//! Importing bundles into the library folder: the copy survives the drive,
//! a newer version replaces the one in use only after confirmation, an old
//! result still shows with its own questions, every refusal says why in
//! plain words, and a damaged or missing index is rebuilt from the files.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::fs;
use std::path::Path;

use kiosk::app::HistoryState;
use kiosk::attempt::Attempt;
use kiosk::library::{
    hash_hex, Change, Consent, ImportError, Library, Mode, Policy, Rejection, TrustContext,
};
use kiosk::store::ResultsStore;
use rubric_engine::Answer;
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

fn first_prompt(library: &Library, id: &str) -> String {
    library
        .current()
        .bundle
        .rubric(id)
        .unwrap()
        .items
        .iter()
        .next()
        .unwrap()
        .prompt
        .to_string()
}

#[test]
fn an_imported_bundle_is_copied_in_and_stays_after_the_drive_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let bytes = bundle(&usb_check_source(1), None);
    let stick = drive(tmp.path(), "STICK", &[("rubrics/usb-check.rbk", &bytes)]);
    let mut library = Library::open(&data).unwrap();
    let shipped = library.current().bundle.rubrics().count();
    let plan = library
        .import(&stick.join("rubrics/usb-check.rbk"), &open_trust(), YES)
        .unwrap();
    assert_eq!(plan.changes[0].1, Change::New);
    fs::remove_dir_all(&stick).unwrap();

    let library = Library::open(&data).unwrap();
    assert_eq!(library.current().bundle.rubrics().count(), shipped + 1);
    let hash = hash_hex(&bytes);
    assert_eq!(library.current().hash_for("usb-check"), hash);
    assert_eq!(
        library.current().hash_for("staff-readiness"),
        library.shipped().hash,
        "shipped rubrics keep the shipped bundle's hash"
    );
    assert_eq!(
        fs::read(data.join("library").join(format!("{hash}.rbk"))).unwrap(),
        bytes
    );
    assert_eq!(library.entries()[0].source_name, "usb-check.rbk");
    assert!(library.problem.is_none());
}

fn take(store: &ResultsStore, library: &Library, id: &str) {
    let rubric = library.current().bundle.rubric(id).unwrap();
    let mut attempt = Attempt::start(rubric, library.current().hash_for(id));
    for i in 0..rubric.items.len() {
        attempt.runner.set_answer(i, Answer::YesNo(true)).unwrap();
    }
    attempt.complete().save(store).unwrap();
}

#[test]
fn a_newer_version_replaces_only_after_confirmation_and_old_results_keep_their_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let v1 = bundle(&usb_check_source(1), None);
    let v2 = bundle(&usb_check_source(2), None);
    let stick = drive(tmp.path(), "STICK", &[("v1.rbk", &v1), ("v2.rbk", &v2)]);
    let store = ResultsStore::open_in(&data).unwrap();
    let mut library = Library::open(&data).unwrap();
    library
        .import(&stick.join("v1.rbk"), &open_trust(), YES)
        .unwrap();
    take(&store, &library, "usb-check");

    let refused = library
        .import(
            &stick.join("v2.rbk"),
            &open_trust(),
            Consent {
                untrusted: true,
                replace: false,
            },
        )
        .unwrap_err();
    match &refused {
        ImportError::NeedsConfirmation(r) => assert_eq!(r, &[("usb-check".to_string(), 1, 2)]),
        other => panic!("expected a confirmation, got {other:?}"),
    }
    assert!(first_prompt(&library, "usb-check").starts_with("Version 1:"));
    assert_eq!(
        library.entries().len(),
        1,
        "nothing recorded before confirmation"
    );

    let plan = library
        .import(&stick.join("v2.rbk"), &open_trust(), YES)
        .unwrap();
    assert_eq!(plan.changes[0].1, Change::Replaces(1));
    assert!(first_prompt(&library, "usb-check").starts_with("Version 2:"));
    take(&store, &library, "usb-check");

    // Reopened from disk, with the drive gone: both results, each with its
    // own version's questions.
    fs::remove_dir_all(&stick).unwrap();
    let library = Library::open(&data).unwrap();
    let history = HistoryState::load(Some(&store), &library, Some("usb-check".into()));
    assert!(history.unreadable.is_empty(), "{:?}", history.unreadable);
    assert_eq!(history.rows.len(), 2);
    let old = history.rows[0].completed().unwrap();
    let new = history.rows[1].completed().unwrap();
    assert_eq!(old.rubric.version, 1);
    assert!(old
        .rubric
        .items
        .iter()
        .next()
        .unwrap()
        .prompt
        .starts_with("Version 1:"));
    assert_eq!(new.rubric.version, 2);
    assert!(new
        .rubric
        .items
        .iter()
        .next()
        .unwrap()
        .prompt
        .starts_with("Version 2:"));
    assert_eq!(old.bundle_hash, hash_hex(&v1));
}

#[test]
fn a_newer_version_of_a_shipped_rubric_replaces_it_and_the_shipped_one_stays_for_old_results() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let v2 = bundle(&gut_check_v2_source(), None);
    let stick = drive(tmp.path(), "STICK", &[("gut.rbk", &v2)]);
    let mut library = Library::open(&data).unwrap();
    let shipped_hash = library.shipped().hash.clone();
    library
        .import(&stick.join("gut.rbk"), &open_trust(), YES)
        .unwrap();
    assert_eq!(
        library
            .current()
            .bundle
            .rubric("cross-team-gut-check")
            .unwrap()
            .version,
        shipped_gut_check_version() + 1
    );
    let old = library
        .rubric_at("cross-team-gut-check", &shipped_hash)
        .unwrap();
    assert_eq!(old.version, shipped_gut_check_version());
}

#[test]
fn removing_a_bundle_stops_offering_it_but_keeps_its_file_for_old_results() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let v1 = bundle(&usb_check_source(1), None);
    let stick = drive(tmp.path(), "STICK", &[("v1.rbk", &v1)]);
    let mut library = Library::open(&data).unwrap();
    library
        .import(&stick.join("v1.rbk"), &open_trust(), YES)
        .unwrap();
    let id = library.entries()[0].id().to_string();
    assert!(matches!(
        library.remove("abc"),
        Err(kiosk::library::FolderError::NoSuchBundle(_))
    ));
    library.remove(&id).unwrap();
    assert!(library.current().bundle.rubric("usb-check").is_none());
    let library = Library::open(&data).unwrap();
    assert!(library.current().bundle.rubric("usb-check").is_none());
    assert!(library.rubric_at("usb-check", &hash_hex(&v1)).is_some());
    // Importing it again brings it back.
    let mut library = library;
    library
        .import(&stick.join("v1.rbk"), &open_trust(), YES)
        .unwrap();
    assert!(library.current().bundle.rubric("usb-check").is_some());
    assert_eq!(library.entries().len(), 1);
}

/// Changes the payload byte at `at` and fixes the CRC, as a careful forger would.
fn forge(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut forged = bytes.to_vec();
    forged[at] ^= 0x20;
    // The CRC is the last 4 bytes before the signature block, whatever the
    // format version.
    let signature = if forged[6] & 1 == 1 { 72 } else { 0 };
    let crc_at = forged.len() - signature - 4;
    let crc = rubric_engine::crc::crc32(&forged[..crc_at]);
    forged[crc_at..crc_at + 4].copy_from_slice(&crc.to_le_bytes());
    forged
}

fn refusal(library: &Library, bytes: &[u8], trust: &TrustContext) -> Rejection {
    library.plan(bytes, trust).unwrap_err()
}

#[test]
fn every_refusal_gives_the_engines_reason_in_plain_words_and_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut library = Library::open(&data).unwrap();
    let signer = key(7);
    let good = bundle(&usb_check_source(1), Some(&signer));
    let trusted = TrustContext {
        keys: vec![signer.public()],
        ..open_trust()
    };
    let n = u32::from_le_bytes(good[8..12].try_into().unwrap()) as usize;

    let mut corrupt = good.clone();
    corrupt[20] ^= 1;
    let mut wrong_version = good.clone();
    wrong_version[4] = 9;
    let mut over_limit = good.clone();
    over_limit[8..12].copy_from_slice(&(4u32 << 20).to_le_bytes());
    let mut trailing = good.clone();
    trailing.push(0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("corrupt", corrupt, "damaged: its checksum does not match"),
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "incomplete: it ends too early",
        ),
        (
            "tampered",
            forge(&good, 12 + n / 2),
            "was changed after key",
        ),
        (
            "wrong version",
            wrong_version,
            "format version 9, which this kiosk cannot read",
        ),
        ("over the limit", over_limit, "too big for a kiosk"),
        (
            "not a bundle",
            b"PK\x03\x04 a zip file".to_vec(),
            "not a rubric bundle",
        ),
        ("trailing bytes", trailing, "extra bytes after the end"),
    ];
    // Unsigned and forged with a correct checksum: the engine's own checks
    // of the contents catch it.
    let unsigned = bundle(&usb_check_source(1), None);
    for at in [12, 13] {
        let why = refusal(&library, &forge(&unsigned, at), &trusted).to_string();
        assert!(
            why.contains("The rubrics inside the file cannot be read")
                || why.contains("breaks the rules rubrics must follow"),
            "{why}"
        );
    }
    for (what, bytes, words) in &cases {
        let why = refusal(&library, bytes, &trusted).to_string();
        assert!(why.contains(words), "{what}: {why}");
        assert!(!why.contains("0x"), "{what}: no hex for people: {why}");
        let path = tmp.path().join(format!("{what}.rbk"));
        fs::write(&path, bytes).unwrap();
        assert!(
            matches!(
                library.import(&path, &trusted, YES),
                Err(ImportError::Rejected(_))
            ),
            "{what}"
        );
    }

    // Too large to be read at all.
    let huge = tmp.path().join("huge.rbk");
    fs::write(&huge, vec![0u8; 3 << 20]).unwrap();
    let why = library
        .import(&huge, &trusted, YES)
        .unwrap_err()
        .to_string();
    assert!(why.contains("more than the 2097152 bytes"), "{why}");

    // The library's own refusals.
    let path = tmp.path().join("good.rbk");
    fs::write(&path, &good).unwrap();
    library.import(&path, &trusted, YES).unwrap();
    assert_eq!(
        refusal(&library, &good, &trusted),
        Rejection::AlreadyInLibrary
    );
    let clash = bundle(
        &usb_check_source(1).replace("Four quick questions", "Four other questions"),
        Some(&signer),
    );
    assert!(refusal(&library, &clash, &trusted)
        .to_string()
        .contains("must give the changed rubric a new version number"));
    // The shipped rubric, compiled again on its own: nothing new in it.
    assert_eq!(
        refusal(&library, &bundle(&gut_check_source(), None), &trusted),
        Rejection::AlreadyInLibrary
    );

    assert_eq!(library.entries().len(), 1, "only the good bundle came in");
    let files = fs::read_dir(data.join("library")).unwrap().count();
    assert_eq!(files, 2, "one bundle and the index, no leftovers");
}

fn many_rubrics(count: usize) -> Vec<u8> {
    // One source per rubric, compiled into one bundle.
    let sources: Vec<rubrics::Source> = (0..count)
        .map(|i| {
            rubrics::Source::in_memory(
                &format!("r{i}.toml"),
                &usb_check_source(1).replacen(
                    "id = \"usb-check\"",
                    &format!("id = \"usb-check-{i}\""),
                    1,
                ),
            )
        })
        .collect();
    let payload = rubrics::compile(&sources).unwrap();
    rubrics::bundle_bytes(&payload, None).unwrap()
}

#[test]
fn a_bundle_that_would_overfill_the_library_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let library = Library::open(&tmp.path().join("data")).unwrap();
    let shipped = library.current().bundle.rubrics().count();
    let room = rubric_engine::limits::MAX_RUBRICS - shipped;
    assert!(library.plan(&many_rubrics(room), &open_trust()).is_ok());
    let why = library
        .plan(&many_rubrics(room + 1), &open_trust())
        .unwrap_err();
    assert_eq!(
        why,
        Rejection::LibraryFull {
            found: rubric_engine::limits::MAX_RUBRICS + 1,
            max: rubric_engine::limits::MAX_RUBRICS
        }
    );
}

fn imported_library(tmp: &Path) -> (std::path::PathBuf, Vec<u8>) {
    let data = tmp.join("data");
    let v1 = bundle(&usb_check_source(1), None);
    let stick = drive(tmp, "STICK", &[("v1.rbk", &v1)]);
    let mut library = Library::open(&data).unwrap();
    library
        .import(&stick.join("v1.rbk"), &open_trust(), YES)
        .unwrap();
    (data, v1)
}

#[test]
fn a_damaged_or_missing_index_is_rebuilt_from_the_bundle_files() {
    for damage in [Some(&b"{ not json"[..]), None] {
        let tmp = tempfile::tempdir().unwrap();
        let (data, v1) = imported_library(tmp.path());
        let index = data.join("library/index.json");
        match damage {
            Some(bytes) => fs::write(&index, bytes).unwrap(),
            None => fs::remove_file(&index).unwrap(),
        }
        let library = Library::open(&data).unwrap();
        assert!(library.current().bundle.rubric("usb-check").is_some());
        assert_eq!(library.entries()[0].hash, hash_hex(&v1));
        if damage.is_some() {
            assert!(library.problem.as_deref().unwrap().contains("rebuilt"));
        }
        let rebuilt: serde_json::Value =
            serde_json::from_slice(&fs::read(&index).unwrap()).unwrap();
        assert_eq!(rebuilt["bundles"][0]["hash"], hash_hex(&v1));
    }
}

#[test]
fn a_bundle_file_whose_contents_do_not_match_its_name_is_never_used() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, v1) = imported_library(tmp.path());
    let file = data.join(format!("library/{}.rbk", hash_hex(&v1)));
    let mut bytes = fs::read(&file).unwrap();
    bytes[30] ^= 1;
    fs::write(&file, bytes).unwrap();
    let library = Library::open(&data).unwrap();
    assert!(library.current().bundle.rubric("usb-check").is_none());
    assert!(library
        .problem
        .as_deref()
        .unwrap()
        .contains("missing or damaged"));
    // The shipped library is unharmed.
    assert!(library.current().bundle.rubric("staff-readiness").is_some());
}

#[test]
fn the_library_folder_being_a_file_leaves_the_shipped_library_working() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir_all(&data).unwrap();
    fs::write(data.join("library"), b"not a folder").unwrap();
    let mut library = Library::open(&data).unwrap();
    assert!(library.problem.is_some());
    assert!(library.current().bundle.rubric("staff-readiness").is_some());
    let v1 = bundle(&usb_check_source(1), None);
    let path = tmp.path().join("v1.rbk");
    fs::write(&path, v1).unwrap();
    assert!(matches!(
        library.import(&path, &open_trust(), YES),
        Err(ImportError::Folder(_))
    ));
}
