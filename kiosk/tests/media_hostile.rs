//! Drives as a hostile or unlucky user might bring them: a named pipe
//! called `x.rbk` (reading it waits for a writer forever), links to files
//! outside the drive and to `/dev/zero`, a `rubrics` folder that is a link,
//! and a drive whose reads never return. None of them stalls a scan or the
//! watcher, and nothing off the drive is read.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod usb_support;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk::fsutil::FileKind;
use kiosk::library::Rejection;
use kiosk::media::{
    scan_drive, scan_roots, Drive, DriveNote, DriveReader, FileSystem, Listing, ScanLimits,
    WatchConfig, Watcher,
};
use usb_support::*;

/// What the watcher promises: a change shows within 2 s.
const WITHIN: Duration = Duration::from_secs(2);

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Scans `root` on another thread, failing the test (instead of hanging
/// it) if the scan takes more than ten seconds.
fn scan_or_fail(root: &Path) -> Drive {
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || tx.send(scan_drive(&root, &ScanLimits::default())));
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the scan finished instead of blocking")
}

fn reason(drive: &Drive, name: &str) -> Rejection {
    let found = drive
        .bundles
        .iter()
        .find(|b| b.file_name == name)
        .unwrap_or_else(|| panic!("{name} is listed: {drive:?}"));
    found.content.clone().expect_err(name)
}

fn media_scan(data: &Path, root: &Path, json: bool) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(["media", "scan", "--no-system", "--media-root"])
        .arg(root)
        .env_remove("RUBRIC_KIOSK_MEDIA");
    if json {
        command.arg("--json");
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(command.output()));
    let out = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("media scan finished instead of blocking")
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_named_pipe_called_like_a_bundle_is_refused_without_being_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let good = bundle(&usb_check_source(1), None);
    let root = drive(tmp.path(), "STICK", &[("good.rbk", &good)]);
    mkfifo(&root.join("x.rbk"));
    fs::create_dir_all(root.join("rubrics")).unwrap();
    mkfifo(&root.join("rubrics/y.rbk"));
    mkfifo(&root.join("key.pub"));

    let drive = scan_or_fail(&root);
    for name in ["x.rbk", "y.rbk"] {
        assert_eq!(
            reason(&drive, name),
            Rejection::NotAFile {
                kind: FileKind::Fifo
            }
        );
    }
    assert!(drive
        .bundles
        .iter()
        .any(|b| b.file_name == "good.rbk" && b.content.is_ok()));
    assert!(drive.keys.is_empty(), "a pipe is not offered as a key file");

    let data = tmp.path().join("data");
    let json: serde_json::Value = serde_json::from_str(&media_scan(&data, &root, true)).unwrap();
    let pipe = json["drives"][0]["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["file"].as_str().unwrap().ends_with("x.rbk"))
        .unwrap();
    assert_eq!(pipe["status"], "rejected");
    assert!(
        pipe["reason"]
            .as_str()
            .unwrap()
            .contains("It is a named pipe (a FIFO), not a file, so it was not opened."),
        "{pipe}"
    );
    let text = media_scan(&data, &root, false);
    assert!(
        text.contains("x.rbk") && text.contains("named pipe"),
        "{text}"
    );
}

#[test]
fn a_named_pipe_on_a_watched_drive_is_listed_as_refused_and_other_drives_still_show() {
    let tmp = tempfile::tempdir().unwrap();
    let piped = drive(tmp.path(), "PIPED", &[]);
    mkfifo(&piped.join("x.rbk"));
    let other = tmp.path().join("OTHER");
    let mut config = WatchConfig::new(vec![piped.clone(), other.clone()]);
    config.system = false;
    let mut watcher = Watcher::spawn(config, Box::new(|| {})).unwrap();
    assert!(watcher.wait_for(WITHIN, |s| s.drives.len() == 1
        && s.drives[0].bundles.len() == 1
        && s.drives[0].bundles[0].content
            == Err(Rejection::NotAFile {
                kind: FileKind::Fifo
            })));
    drive(
        tmp.path(),
        "OTHER",
        &[("usb-check.rbk", &bundle(&usb_check_source(1), None))],
    );
    assert!(
        watcher.wait_for(WITHIN, |s| s.drives.len() == 2),
        "the next drive is seen"
    );
}

#[test]
fn links_are_refused_saying_where_they_point_and_what_they_point_at_is_never_read() {
    let tmp = tempfile::tempdir().unwrap();
    let good = bundle(&usb_check_source(1), None);
    // A valid bundle outside the drive: were the link followed, it would
    // be listed as importable.
    let outside = drive(
        tmp.path(),
        "HOME",
        &[("secret.rbk", &good), ("rubrics/more.rbk", &good)],
    );
    let root = drive(tmp.path(), "STICK", &[("real.rbk", &good)]);
    symlink(outside.join("secret.rbk"), root.join("etc.rbk")).unwrap();
    symlink("/dev/zero", root.join("zero.rbk")).unwrap();
    symlink("real.rbk", root.join("alias.rbk")).unwrap();
    symlink("missing.rbk", root.join("dangling.rbk")).unwrap();
    symlink(outside.join("rubrics"), root.join("rubrics")).unwrap();

    let drive = scan_or_fail(&root);
    assert_eq!(
        reason(&drive, "etc.rbk"),
        Rejection::LinkOutOfDrive {
            target: outside.join("secret.rbk")
        }
    );
    assert_eq!(
        reason(&drive, "zero.rbk"),
        Rejection::LinkOutOfDrive {
            target: PathBuf::from("/dev/zero")
        }
    );
    assert_eq!(
        reason(&drive, "alias.rbk"),
        Rejection::Link {
            target: PathBuf::from("real.rbk")
        }
    );
    assert_eq!(
        reason(&drive, "dangling.rbk"),
        Rejection::Link {
            target: PathBuf::from("missing.rbk")
        }
    );
    let words = reason(&drive, "zero.rbk").to_string();
    assert_eq!(
        words,
        "It is a link to /dev/zero, which is not on the drive, so it was not opened. Copy the bundle file itself onto the drive."
    );
    assert!(drive.bundles.iter().all(|b| b.file_name != "more.rbk"));
    assert_eq!(drive.note, Some(DriveNote::BundleFolderIsLink));
    assert!(drive
        .bundles
        .iter()
        .any(|b| b.file_name == "real.rbk" && b.content.is_ok()));

    let json = media_scan(&tmp.path().join("data"), &root, true);
    assert!(
        json.contains("is a link to /dev/zero, which is not on the drive"),
        "{json}"
    );
    assert!(json.contains("folder on this drive is a link"), "{json}");
}

/// A reader whose every look at a drive named `STUCK` never returns, as a
/// dying stick or a lost network mount does; other drives are read as usual.
#[derive(Default)]
struct StuckReader {
    looks_at_stuck: AtomicUsize,
}

impl StuckReader {
    fn hang_if_stuck(&self, root: &Path) {
        if root.ends_with("STUCK") {
            self.looks_at_stuck.fetch_add(1, Ordering::SeqCst);
            loop {
                std::thread::park();
            }
        }
    }
}

impl DriveReader for StuckReader {
    fn listing(&self, root: &Path, limits: &ScanLimits) -> Option<Listing> {
        self.hang_if_stuck(root);
        FileSystem.listing(root, limits)
    }

    fn scan(&self, root: &Path, limits: &ScanLimits) -> Drive {
        self.hang_if_stuck(root);
        FileSystem.scan(root, limits)
    }
}

fn not_answering(drive: &Drive) -> bool {
    matches!(drive.note, Some(DriveNote::NotAnswering { .. }))
}

#[test]
fn a_drive_that_never_answers_does_not_stop_the_watcher_seeing_others() {
    let tmp = tempfile::tempdir().unwrap();
    let stuck = drive(tmp.path(), "STUCK", &[]);
    let other = tmp.path().join("OTHER");
    let mut config = WatchConfig::new(vec![stuck.clone(), other.clone()]);
    config.system = false;
    config.interval = Duration::from_millis(100);
    config.answer_within = Duration::from_millis(300);
    let reader = Arc::new(StuckReader::default());
    let mut watcher = Watcher::spawn_with(config, reader.clone(), Box::new(|| {})).unwrap();
    assert!(
        watcher.wait_for(WITHIN, |s| s.drives.len() == 1
            && not_answering(&s.drives[0])),
        "the stuck drive shows as not answering"
    );
    let words = watcher.snapshot().unwrap().drives[0]
        .note
        .as_ref()
        .unwrap()
        .to_string();
    assert_eq!(
        words,
        "This drive is not answering: reading it took longer than a second, so nothing on it is shown. It may be failing. Other drives are still watched, and this one shows as soon as it answers."
    );

    drive(
        tmp.path(),
        "OTHER",
        &[("usb-check.rbk", &bundle(&usb_check_source(1), None))],
    );
    assert!(
        watcher.wait_for(WITHIN, |s| s
            .drives
            .iter()
            .any(|d| d.root == other && d.bundles.len() == 1)),
        "another drive appears while the stuck one hangs"
    );
    fs::remove_dir_all(&other).unwrap();
    assert!(
        watcher.wait_for(WITHIN, |s| s.drives.len() == 1
            && not_answering(&s.drives[0])),
        "and vanishes"
    );
    // Twenty more intervals: still the one hung look, no thread per interval.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(reader.looks_at_stuck.load(Ordering::SeqCst), 1);
}

#[test]
fn media_scan_lists_a_drive_that_never_answers_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let stuck = drive(tmp.path(), "STUCK", &[]);
    let good = drive(
        tmp.path(),
        "GOOD",
        &[("usb-check.rbk", &bundle(&usb_check_source(1), None))],
    );
    let reader: Arc<dyn DriveReader> = Arc::new(StuckReader::default());
    let started = Instant::now();
    let drives = scan_roots(
        &reader,
        &[stuck.clone(), good.clone()],
        &ScanLimits::default(),
        Duration::from_millis(500),
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(drives.len(), 2);
    assert!(drives[0].root == stuck && not_answering(&drives[0]));
    let words = drives[0].note.as_ref().unwrap().to_string();
    assert!(words.contains("took longer than a second"), "{words}");
    let eight = DriveNote::NotAnswering {
        waited: kiosk::media::ANSWER_WITHIN,
    };
    assert!(eight.to_string().contains("took longer than 8 seconds"));
    assert!(drives[1].root == good && drives[1].bundles[0].content.is_ok());
}
