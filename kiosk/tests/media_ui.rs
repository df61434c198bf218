//! The USB screen driven by its accessibility labels, as a person would:
//! a drive appears, its bundles show with signer and status (a damaged one
//! with its reason), a preview lists every question before anything is
//! imported, an unsigned bundle needs "Import anyway", a newer version
//! needs "Replace", the drive can then go, and an old attempt still opens
//! with its own questions. Keys are trusted from the drive in Settings.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::{AppOptions, KioskApp, Screen};
use usb_support::*;

fn harness(data: &Path, drive: &Path) -> Harness<'static, KioskApp> {
    let options = AppOptions {
        media_roots: vec![drive.to_path_buf()],
        ..AppOptions::default()
    };
    let app = KioskApp::new(data.to_path_buf(), options);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    h
}

/// Steps the UI until `done` holds: the watcher thread wakes the UI. (The
/// 2 s promise is held by the watcher test; a busy machine gets slack here.)
fn until(h: &mut Harness<'static, KioskApp>, done: impl Fn(&Harness<'static, KioskApp>) -> bool) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not shown within 5 s"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.run_ok();
    }
}

fn click(h: &mut Harness<'static, KioskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

fn shows(h: &Harness<'static, KioskApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

// One whole scenario, read top to bottom: the 100-line limit is for kiosk/src.
#[allow(clippy::too_many_lines)]
#[test]
fn the_whole_import_screen_from_a_drive_appearing_to_an_old_result_with_its_own_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let root = tmp.path().join("STICK");
    let v1 = bundle(&usb_check_source(1), None);
    let mut damaged = v1.clone();
    damaged[25] ^= 1;
    let mut h = harness(&data, &root);

    click(&mut h, "Settings");
    click(&mut h, "Import rubrics from USB");
    until(&mut h, |h| shows(h, "No USB drive found"));

    drive(
        tmp.path(),
        "STICK",
        &[("usb-check.rbk", &v1), ("rubrics/damaged.rbk", &damaged)],
    );
    until(&mut h, |h| shows(h, "Drive STICK"));
    assert!(shows(&h, "Unsigned: nobody vouches"));
    assert!(shows(&h, "USB check (version 1): new"));
    assert!(shows(&h, "checksum correct"));
    assert!(shows(
        &h,
        "Cannot be imported. The file is damaged: its checksum does not match"
    ));
    assert!(
        h.query_by_label("Import damaged.rbk").is_none(),
        "a damaged bundle has no import button"
    );

    // Every question before anything is imported.
    click(&mut h, "Preview usb-check.rbk");
    assert!(shows(
        &h,
        "1. Version 1: do you sit in on other teams' meetings unasked?"
    ));
    assert!(shows(&h, "4. Do you hold informed views"));
    assert!(shows(&h, "answered with yes or no"));
    assert!(h
        .state()
        .library()
        .unwrap()
        .current()
        .bundle
        .rubric("usb-check")
        .is_none());

    // Unsigned: a warning first; "Cancel" imports nothing.
    click(&mut h, "Import usb-check.rbk");
    assert!(shows(&h, "Import a bundle nobody you trust signed?"));
    click(&mut h, "Cancel");
    assert!(shows(&h, "Nothing was imported."));
    click(&mut h, "Import usb-check.rbk");
    click(&mut h, "Import anyway");
    assert!(shows(
        &h,
        "Imported usb-check.rbk: USB check (version 1). It is safe to remove the drive."
    ));
    assert!(shows(
        &h,
        "Everything in this bundle is already in the library."
    ));

    // Pull the drive: the screen says so, the rubric stays.
    std::fs::remove_dir_all(&root).unwrap();
    until(&mut h, |h| shows(h, "No USB drive found"));
    click(&mut h, "Home");
    click(&mut h, "USB check");
    click(&mut h, "Start");
    for question in 0..4 {
        click(&mut h, "Yes");
        click(&mut h, if question < 3 { "Next" } else { "Finish" });
    }
    assert!(matches!(h.state().screen, Screen::Result(_)));

    // Version 2 arrives on the drive: it replaces version 1 only after "Replace".
    let v2 = bundle(&usb_check_source(2), None);
    drive(tmp.path(), "STICK", &[("usb-check-2.rbk", &v2)]);
    click(&mut h, "Home");
    click(&mut h, "Settings");
    click(&mut h, "Import rubrics from USB");
    until(&mut h, |h| {
        shows(h, "USB check (version 2): replaces version 1")
    });
    click(&mut h, "Import usb-check-2.rbk");
    click(&mut h, "Import anyway");
    assert!(shows(&h, "Replace rubrics in use?"));
    assert!(shows(
        &h,
        "“USB check”: version 2 replaces version 1 for new attempts."
    ));
    click(&mut h, "Replace");
    assert!(shows(&h, "Imported usb-check-2.rbk"));
    let current = h
        .state()
        .library()
        .unwrap()
        .current()
        .bundle
        .rubric("usb-check")
        .unwrap();
    assert_eq!(current.version, 2);

    // The attempt taken with version 1 opens with version 1's questions.
    click(&mut h, "Home");
    click(&mut h, "History");
    click(&mut h, "USB check: 1 attempt");
    click(&mut h, "Open attempt 1");
    match &h.state().screen {
        Screen::Result(state) => {
            assert_eq!(state.completed.rubric.version, 1);
            let first = state.completed.rubric.items.iter().next().unwrap();
            assert!(first.prompt.starts_with("Version 1:"));
        }
        other => panic!("expected the result screen, got {other:?}"),
    }
}

#[test]
fn a_key_on_the_drive_is_trusted_in_settings_and_removed_by_its_id() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let root = tmp.path().join("STICK");
    let author = key(5);
    let signed = bundle(&usb_check_source(1), Some(&author));
    let mut h = harness(&data, &root);
    drive(tmp.path(), "STICK", &[("usb-check.rbk", &signed)]);
    write_public(&author, &root.join("author.pub"));
    let id = rubrics::keys::hex(&author.key_id());

    click(&mut h, "Settings");
    until(&mut h, |h| h.state().media.drives().len() == 1);
    h.run_ok();
    assert!(shows(&h, "No keys are trusted yet."));
    click(&mut h, "Trust key file author.pub");
    assert!(shows(&h, &format!("Key {id} is now trusted.")));
    assert!(h.query_by_label(&format!("Remove key {id}")).is_some());

    click(&mut h, "Import rubrics from USB");
    assert!(shows(&h, &format!("Signed by trusted key {id}.")));
    click(&mut h, "Import usb-check.rbk");
    assert!(
        shows(&h, "Imported usb-check.rbk"),
        "a trusted bundle needs no warning"
    );

    click(&mut h, "Settings");
    click(&mut h, &format!("Remove key {id}"));
    assert!(shows(&h, &format!("Key {id} is no longer trusted.")));
    assert!(shows(&h, "No keys are trusted yet."));
}

#[test]
fn once_a_facilitator_pin_is_set_the_policy_and_keys_change_only_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    {
        let store = kiosk::store::ResultsStore::open_in(&data).unwrap();
        kiosk::workshop::FacilitatorPin::new(&store)
            .set_pin("2468", "2468")
            .unwrap();
    }
    let root = tmp.path().join("STICK");
    let author = key(6);
    let mut h = harness(&data, &root);
    drive(tmp.path(), "STICK", &[]);
    write_public(&author, &root.join("author.pub"));
    let policy = "Only accept bundles signed by a trusted key (workshop kiosks always do)";
    let policy_file = data.join("trusted-keys/policy.json");

    click(&mut h, "Settings");
    until(&mut h, |h| h.state().media.drives().len() == 1);
    h.run_ok();
    assert!(shows(&h, "A facilitator PIN is set"));
    click(&mut h, policy);
    assert!(shows(
        &h,
        "Nothing was changed: type the facilitator PIN first."
    ));
    assert!(!policy_file.exists());
    click(&mut h, "Trust key file author.pub");
    assert!(shows(&h, "Nothing was changed"));
    assert!(shows(&h, "No keys are trusted yet."));

    h.get_by_label("Facilitator PIN").focus();
    h.run_ok();
    h.get_by_label("Facilitator PIN").type_text("1357");
    h.run_ok();
    click(&mut h, policy);
    assert!(shows(&h, "Nothing was changed: wrong PIN"));

    let field = h.get_by_label("Facilitator PIN");
    field.focus();
    h.run_ok();
    for _ in 0..4 {
        h.key_press(egui::Key::Backspace);
    }
    h.get_by_label("Facilitator PIN").type_text("2468");
    h.run_ok();
    click(&mut h, policy);
    assert!(std::fs::read_to_string(&policy_file)
        .unwrap()
        .contains("\"require_trusted\": true"));
    assert!(h.state().media.policy.require_trusted);
    assert!(
        h.state().media.pin.is_empty(),
        "the PIN is forgotten once used"
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_and_a_link_off_the_drive_are_listed_with_their_reasons() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let root = drive(tmp.path(), "STICK", &[]);
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("x.rbk"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.rbk")).unwrap();
    let mut h = harness(&data, &root);

    click(&mut h, "Settings");
    click(&mut h, "Import rubrics from USB");
    until(&mut h, |h| shows(h, "Drive STICK"));
    assert!(shows(
        &h,
        "Cannot be imported. It is a named pipe (a FIFO), not a file, so it was not opened."
    ));
    assert!(shows(
        &h,
        "Cannot be imported. It is a link to /dev/zero, which is not on the drive, so it was not opened."
    ));
    assert!(h.query_by_label("Import x.rbk").is_none());
    assert!(h.query_by_label("Import zero.rbk").is_none());
}
