//! The USB watcher with temporary folders as drives: a drive appearing,
//! changing and vanishing shows within two seconds; a drive pulled out in
//! the middle of a scan, or one with ten thousand files, never hangs or
//! panics; and `media scan` reports every bundle with its status.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::fs;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use kiosk::library::Rejection;
use kiosk::media::{scan_drive, scan_drive_observed, ScanLimits, Snapshot, WatchConfig, Watcher};
use usb_support::*;

/// What the issue promises: a change shows within 2 s.
const WITHIN: Duration = Duration::from_secs(2);

fn files(s: &Snapshot) -> Vec<String> {
    s.drives
        .iter()
        .flat_map(|d| d.bundles.iter().map(|b| b.file_name.clone()))
        .collect()
}

#[test]
fn a_drive_appearing_changing_and_vanishing_shows_within_two_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("STICK");
    let mut config = WatchConfig::new(vec![root.clone()]);
    config.system = false;
    let wakes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&wakes);
    let mut watcher = Watcher::spawn(
        config,
        Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }),
    )
    .unwrap();
    assert!(watcher.wait_for(WITHIN, |s| s.drives.is_empty()));

    let v1 = bundle(&usb_check_source(1), None);
    drive(tmp.path(), "STICK", &[("usb-check.rbk", &v1)]);
    assert!(
        watcher.wait_for(WITHIN, |s| files(s) == ["usb-check.rbk"]),
        "the drive appears"
    );
    // The wake-up follows the send: give it until the same deadline to land.
    let deadline = std::time::Instant::now() + WITHIN;
    while wakes.load(Ordering::SeqCst) < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        wakes.load(Ordering::SeqCst) >= 2,
        "the UI is woken for each new snapshot"
    );

    fs::create_dir_all(root.join("rubrics")).unwrap();
    fs::write(root.join("rubrics/broken.rbk"), &v1[..10]).unwrap();
    assert!(
        watcher.wait_for(WITHIN, |s| files(s).len() == 2),
        "a bundle added to rubrics/ appears"
    );
    let snapshot = watcher.snapshot().unwrap();
    let broken = snapshot.drives[0]
        .bundles
        .iter()
        .find(|b| b.file_name == "broken.rbk")
        .unwrap();
    assert!(matches!(broken.content, Err(Rejection::Bundle(_))));

    fs::remove_dir_all(&root).unwrap();
    assert!(
        watcher.wait_for(WITHIN, |s| s.drives.is_empty()),
        "the drive vanishes"
    );
    // Nothing changes: no more wake-ups (the wake-up follows the send, so
    // let the last one land first).
    std::thread::sleep(Duration::from_millis(300));
    let settled = wakes.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        wakes.load(Ordering::SeqCst),
        settled,
        "idle means no repaints"
    );
}

#[test]
fn a_drive_pulled_out_in_the_middle_of_a_scan_gives_unreadable_files_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let v1 = bundle(&usb_check_source(1), None);
    let root = drive(
        tmp.path(),
        "STICK",
        &[("a.rbk", &v1), ("b.rbk", &v1), ("rubrics/c.rbk", &v1)],
    );
    let mut pulled = false;
    let scanned = scan_drive_observed(&root, &ScanLimits::default(), &mut |_| {
        if !pulled {
            fs::remove_dir_all(&root).unwrap();
            pulled = true;
        }
    });
    assert_eq!(scanned.bundles.len(), 3);
    for found in &scanned.bundles {
        assert!(
            matches!(&found.content, Err(Rejection::Unreadable(_))),
            "{found:?}"
        );
        let why = found.content.as_ref().unwrap_err().to_string();
        assert!(why.contains("If the drive was pulled out"), "{why}");
    }
    // And a watcher whose drive vanishes mid-scan simply stops showing it.
    let gone = scan_drive(&root, &ScanLimits::default());
    assert!(gone.note.unwrap().to_string().contains("could not be read"));
}

#[test]
fn a_drive_with_ten_thousand_files_is_scanned_within_its_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("FULL");
    fs::create_dir_all(root.join("rubrics")).unwrap();
    for i in 0..10_000 {
        fs::write(root.join(format!("photo-{i:05}.jpg")), b"").unwrap();
    }
    for i in 0..100 {
        fs::write(root.join(format!("rubrics/b{i:03}.rbk")), b"RBKB").unwrap();
    }
    let limits = ScanLimits::default();
    let opened = AtomicUsize::new(0);
    let drive = scan_drive_observed(&root, &limits, &mut |_| {
        opened.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(
        opened.load(Ordering::SeqCst),
        limits.max_bundles,
        "the bundles in rubrics/ are read first, up to the limit"
    );
    assert!(drive.bundles.len() <= limits.max_bundles);
    assert!(drive
        .note
        .unwrap()
        .to_string()
        .contains("only the first 2000 entries"));
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("STICK");
    fs::create_dir_all(&root).unwrap();
    fs::File::create(root.join("huge.rbk"))
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    let drive = scan_drive(&root, &ScanLimits::default());
    assert!(matches!(
        drive.bundles[0].content,
        Err(Rejection::TooLarge { size, .. }) if size == 64 << 20
    ));
}

#[test]
fn media_scan_lists_every_bundle_with_its_status_and_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ours = key(9);
    let v1 = bundle(&usb_check_source(1), Some(&ours));
    let mut bad = v1.clone();
    bad[20] ^= 1;
    let root = drive(
        tmp.path(),
        "STICK",
        &[
            ("signed.rbk", &v1),
            ("rubrics/damaged.rbk", &bad),
            ("notes.txt", b"hello"),
        ],
    );
    write_public(&ours, &root.join("author.pub"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["media", "scan", "--no-system", "--json", "--media-root"])
        .arg(&root)
        .env_remove("RUBRIC_KIOSK_MEDIA")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let drive = &json["drives"][0];
    assert!(drive["keys"][0].as_str().unwrap().ends_with("author.pub"));
    let bundles = drive["bundles"].as_array().unwrap();
    assert_eq!(bundles.len(), 2);
    let signed = bundles
        .iter()
        .find(|b| b["file"].as_str().unwrap().ends_with("signed.rbk"))
        .unwrap();
    assert_eq!(signed["status"], "importable after a warning");
    assert!(signed["signer"].as_str().unwrap().contains("not trusted"));
    assert_eq!(signed["rubrics"][0]["id"], "usb-check");
    assert_eq!(signed["rubrics"][0]["change"], "new");
    let damaged = bundles
        .iter()
        .find(|b| b["file"].as_str().unwrap().ends_with("damaged.rbk"))
        .unwrap();
    assert_eq!(damaged["status"], "rejected");
    assert!(damaged["reason"]
        .as_str()
        .unwrap()
        .contains("checksum does not match"));

    // The environment variable adds drives too, and the text output says the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["media", "scan", "--no-system", "--workshop"])
        .env("RUBRIC_KIOSK_MEDIA", &root)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("signed.rbk") && text.contains("rejected"),
        "{text}"
    );
    assert!(
        text.contains("Only bundles signed by a trusted key"),
        "{text}"
    );
}

#[test]
fn a_bundle_whose_texts_are_damaged_or_absent_is_refused_in_the_drive_list() {
    let tmp = tempfile::tempdir().unwrap();
    let good = bundle(&usb_check_source(1), None);
    // The texts of a version 3 bundle sit after its structure; spoil the
    // end of them and give the file a matching checksum, so that only
    // reading the texts can find the damage.
    let structure = rubric_engine::Bundle::decode(&good).unwrap();
    let prose = structure.prose_bytes();
    let prose_end = prose.as_ptr() as usize - good.as_ptr() as usize + prose.len();
    let mut damaged = good.clone();
    damaged[prose_end - 24..prose_end].fill(0xFF);
    let crc = rubric_engine::crc::crc32(&damaged[..prose_end]);
    damaged[prose_end..prose_end + 4].copy_from_slice(&crc.to_le_bytes());
    assert!(
        rubric_engine::Bundle::decode(&damaged).is_ok(),
        "the structure alone still reads"
    );
    let payload = rubrics::compile(&[rubrics::Source::in_memory(
        "device.toml",
        &usb_check_source(1),
    )])
    .unwrap();
    let device =
        rubrics::encode_bundle(&payload, rubric_engine::codec::Prose::Omitted, None).unwrap();
    let root = drive(
        tmp.path(),
        "STICK",
        &[
            ("good.rbk", &good),
            ("damaged.rbk", &damaged),
            ("device.rbk", &device),
        ],
    );
    let drive = scan_drive(&root, &ScanLimits::default());
    let reason = |name: &str| {
        let found = drive.bundles.iter().find(|b| b.file_name == name).unwrap();
        found.content.as_ref().err().map(ToString::to_string)
    };
    assert_eq!(reason("good.rbk"), None);
    let damaged = reason("damaged.rbk").expect("damaged texts are refused");
    assert!(damaged.contains("text"), "{damaged}");
    let device = reason("device.rbk").expect("a device bundle is refused");
    assert!(device.contains("made for a scoring device"), "{device}");
}
