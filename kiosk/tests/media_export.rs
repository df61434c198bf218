//! Workshop exports to a USB drive. A drive pulled out halfway through the
//! write, one that fills up halfway, one mounted read-only, and a real
//! block device unmounted mid-export: each gives a clear message, leaves
//! no half-written file under the final name, and leaves the results
//! database untouched.
//!
//! The tests marked `ignore` mount a tmpfs and an ext2 loop image, so they
//! need root: `sudo cargo test -p kiosk --test media_export -- --ignored`.
//! (A FAT32 image would be closer to a real stick, but the kernel here has
//! no vfat driver; ext2 is a real block-device file system all the same.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use kiosk::attempt::Attempt;
use kiosk::library::Loaded;
use kiosk::media::export::{export_folder, DriveWriteError};
use kiosk::store::ResultsStore;
use kiosk::workshop::export::{ExportFormat, SessionExport, SyncWrite};
use kiosk::workshop::{NewWorkshopResult, Session, SessionConfig, SessionDate};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

const RUBRIC: &str = "want-the-work";

/// A store in `dir/data` with one session of `n` results, texts included
/// (so the export is tens of kilobytes).
fn workshop(dir: &Path, n: usize) -> (Loaded, ResultsStore, Session) {
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(&dir.join("data")).unwrap();
    let config = SessionConfig {
        name: "USB export".into(),
        rubric_ids: vec![RUBRIC.into()],
        min_group: 3,
        ..SessionConfig::default()
    };
    let valid = config.validate(&library.bundle).unwrap();
    let session = store
        .create_session(&valid, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    let rubric = library.bundle.rubric(RUBRIC).unwrap();
    for seed in 0..n {
        let mut attempt = Attempt::start(rubric, &library.hash);
        while let Some(index) = attempt.runner.current() {
            let item = rubric.item(index).unwrap();
            let answer = match item.kind {
                ItemKind::Scale { min, .. } => Answer::Level(min),
                ItemKind::YesNo { .. } => Answer::YesNo(seed % 2 == 0),
                ItemKind::Single { .. } => Answer::Choice(0),
                ItemKind::Multi { .. } => Answer::Choices(1),
                ItemKind::Count { min, .. } => Answer::Count(min),
                ItemKind::Text => {
                    attempt
                        .set_text(
                            index,
                            format!("participant {seed} wrote a longish note here"),
                        )
                        .unwrap();
                    attempt.runner.next_visible().unwrap();
                    continue;
                }
            };
            attempt.runner.answer(answer).unwrap();
            attempt.runner.next_visible().unwrap();
        }
        let completed = attempt.complete();
        let encoded = completed.encoded().unwrap();
        let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, Some("A"));
        store.save_workshop_result(&row).unwrap();
    }
    (library, store, session)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The database file's bytes and the session's result count.
fn database(store: &ResultsStore, session: &Session) -> (Vec<u8>, usize) {
    (
        std::fs::read(store.path()).unwrap(),
        store.workshop_results(session.id).unwrap().len(),
    )
}

/// A writer that does something to the drive once half the bytes are
/// written, then goes on writing.
struct Halfway<F: FnMut()> {
    file: File,
    left: usize,
    then: Option<F>,
}

impl<F: FnMut()> Write for Halfway<F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            if let Some(mut then) = self.then.take() {
                then();
            }
        }
        let n = if self.left > 0 {
            buf.len().min(self.left)
        } else {
            buf.len()
        };
        self.left = self.left.saturating_sub(n);
        self.file.write(&buf[..n])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl<F: FnMut()> SyncWrite for Halfway<F> {
    fn sync(&mut self) -> io::Result<()> {
        self.file.sync()
    }
}

#[test]
fn a_drive_pulled_out_halfway_through_an_export_gives_a_clear_message_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(tmp.path(), 5);
    let root = tmp.path().join("STICK");
    std::fs::create_dir(&root).unwrap();
    let folder = export_folder(&root).unwrap();
    let export = SessionExport::build(&store, &session, &library.bundle, true).unwrap();
    let before = database(&store, &session);
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        std::fs::create_dir_all(&folder).unwrap();
        let total = export.to_bytes(format).unwrap().len();
        let path = folder.join("session.export");
        let err = export
            .write_through(&path, format, |file| Halfway {
                file,
                left: total / 2,
                then: Some(|| std::fs::remove_dir_all(&root).unwrap()),
            })
            .unwrap_err();
        let plain = DriveWriteError::from_export(err).unwrap();
        assert!(matches!(plain, DriveWriteError::Gone), "{plain:?}");
        assert!(plain.to_string().contains("The drive was removed"));
        assert!(!path.exists());
        // Plugged in again: nothing under the final name.
        std::fs::create_dir_all(&folder).unwrap();
        assert!(files_in(&folder).is_empty(), "{:?}", files_in(&folder));
    }
    assert_eq!(
        database(&store, &session),
        before,
        "the database is untouched"
    );
    // And an export folder on a drive that is gone is refused up front.
    std::fs::remove_dir_all(&root).unwrap();
    assert!(matches!(export_folder(&root), Err(DriveWriteError::Gone)));
}

#[test]
fn export_to_drive_on_the_command_line_writes_into_the_drives_export_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, store, session) = workshop(tmp.path(), 3);
    drop(store);
    let root = tmp.path().join("STICK");
    std::fs::create_dir(&root).unwrap();
    let run = |drive: &str| {
        Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
            .arg("--data-dir")
            .arg(tmp.path().join("data"))
            .args([
                "export",
                "--session",
                &session.id.to_string(),
                "--format",
                "csv",
            ])
            .args(["-o", "results.csv", "--to-drive", drive, "--media-root"])
            .arg(&root)
            .env_remove("RUBRIC_KIOSK_MEDIA")
            .output()
            .unwrap()
    };
    let out = run("STICK");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root.join("rubric-kiosk-exports/results.csv").is_file());
    let out = run("NOPE");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no drive `NOPE` is plugged in") && err.contains("STICK"),
        "{err}"
    );
}

// ---- Real file systems (root only) ----

fn sh(args: &[&str]) -> std::process::Output {
    Command::new(args[0]).args(&args[1..]).output().unwrap()
}

fn must(args: &[&str]) {
    let out = sh(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Unmounts `dir` when dropped, so a failing test leaves no mount behind.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = sh(&["umount", "-l", self.0.to_str().unwrap()]);
    }
}

#[test]
#[ignore = "needs root: mounts a small tmpfs"]
fn a_drive_that_fills_up_halfway_or_is_read_only_gives_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(tmp.path(), 40);
    let export = SessionExport::build(&store, &session, &library.bundle, true).unwrap();
    let total = export.to_bytes(ExportFormat::Json).unwrap().len();
    let before = database(&store, &session);

    // Room for about half the file: it fills up halfway through the write.
    let full = tmp.path().join("FULL");
    std::fs::create_dir(&full).unwrap();
    let size = format!("size={}", (total / 2 / 4096 + 1) * 4096);
    must(&[
        "mount",
        "-t",
        "tmpfs",
        "-o",
        &size,
        "tmpfs",
        full.to_str().unwrap(),
    ]);
    let _full = Mounted(full.clone());
    let folder = export_folder(&full).unwrap();
    let path = folder.join("session.json");
    let err = export.write(&path, ExportFormat::Json).unwrap_err();
    let plain = DriveWriteError::from_export(err).unwrap();
    assert!(matches!(plain, DriveWriteError::Full), "{plain:?}");
    assert!(plain.to_string().contains("The drive is full"));
    assert!(files_in(&folder).is_empty(), "{:?}", files_in(&folder));

    let locked = tmp.path().join("LOCKED");
    std::fs::create_dir(&locked).unwrap();
    must(&[
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "ro,size=1m",
        "tmpfs",
        locked.to_str().unwrap(),
    ]);
    let _locked = Mounted(locked.clone());
    let plain = export_folder(&locked).unwrap_err();
    assert!(matches!(plain, DriveWriteError::ReadOnly), "{plain:?}");
    assert!(plain.to_string().contains("read-only"));

    assert_eq!(
        database(&store, &session),
        before,
        "the database is untouched"
    );
}

#[test]
#[ignore = "needs root and a free loop device: mounts an ext2 image"]
fn a_real_drive_unmounted_mid_export_leaves_no_file_under_the_final_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(tmp.path(), 20);
    let export = SessionExport::build(&store, &session, &library.bundle, true).unwrap();
    let total = export.to_bytes(ExportFormat::Csv).unwrap().len();
    let before = database(&store, &session);
    let image = tmp.path().join("stick.img");
    let mnt = tmp.path().join("STICK");
    std::fs::create_dir(&mnt).unwrap();
    File::create(&image).unwrap().set_len(8 << 20).unwrap();
    must(&["mkfs.ext2", "-q", "-F", image.to_str().unwrap()]);
    must(&[
        "mount",
        "-o",
        "loop",
        image.to_str().unwrap(),
        mnt.to_str().unwrap(),
    ]);
    let mounted = Mounted(mnt.clone());
    let folder = export_folder(&mnt).unwrap();
    let path = folder.join("session.csv");
    let target = mnt.to_str().unwrap().to_string();
    let err = export
        .write_through(&path, ExportFormat::Csv, |file| Halfway {
            file,
            left: total / 2,
            // Pulled out: the mount goes away while the file is open.
            then: Some(|| must(&["umount", "-l", &target])),
        })
        .unwrap_err();
    let plain = DriveWriteError::from_export(err).unwrap();
    assert!(matches!(plain, DriveWriteError::Gone), "{plain:?}");
    drop(mounted);
    // Put back in: whatever the file system kept, nothing has the final name.
    must(&[
        "mount",
        "-o",
        "loop",
        image.to_str().unwrap(),
        mnt.to_str().unwrap(),
    ]);
    let _again = Mounted(mnt.clone());
    let left = files_in(&mnt.join("rubric-kiosk-exports"));
    eprintln!("unmounted mid-export: {plain}; left on the drive: {left:?}");
    assert!(!left.contains(&"session.csv".to_string()), "{left:?}");
    assert_eq!(
        database(&store, &session),
        before,
        "the database is untouched"
    );
}
