//! The real `rubric-kiosk` binary with every file and folder under names
//! that have spaces and non-ASCII letters, as a facilitator's own laptop
//! gives them ("Données été", "CLÉ USB"), and the default data folder where
//! the platform keeps application data. `packaging/windows-check.sh` runs
//! the same commands on the Windows build under Wine, with Windows paths.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics/library")
}

fn run(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed and returns what it printed.
fn ok(args: &[&dyn AsRef<Path>]) -> String {
    let args: Vec<&Path> = args.iter().map(|a| a.as_ref()).collect();
    let out = run(&args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The id of the first session `session list --json` shows.
fn first_session(data: &Path) -> String {
    let list: serde_json::Value =
        serde_json::from_str(&ok(&[&"--data-dir", &data, &"session", &"list", &"--json"])).unwrap();
    list[0]["id"].as_str().unwrap().to_string()
}

/// A bundle of one rubric with an id of its own, signed with `key`.
fn own_bundle(dir: &Path, key: &Path) -> PathBuf {
    let source = std::fs::read_to_string(library().join("30-cross-team-gut-check.toml"))
        .unwrap()
        .replacen("id = \"cross-team-gut-check\"", "id = \"own-check\"", 1);
    let toml = dir.join("règle à moi.toml");
    std::fs::write(&toml, source).unwrap();
    let out = dir.join("règles à moi.rbk");
    ok(&[&"compile", &toml, &"-o", &out, &"--sign", &key]);
    out
}

#[test]
fn bundle_commands_work_in_folders_with_spaces_and_accents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Équipe offsite/données été");
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("bibliothèque été.rbk");
    let text = ok(&[&"compile", &library(), &"-o", &bundle]);
    assert!(text.contains("bibliothèque été.rbk"), "{text}");
    assert!(ok(&[&"inspect", &bundle]).contains("cross-team-gut-check"));

    let key = dir.join("clé d'auteur.key");
    ok(&[&"keygen", &"-o", &key]);
    let public = dir.join("clé d'auteur.key.pub");
    assert!(public.is_file());
    let signed = dir.join("signée été.rbk");
    ok(&[&"sign", &bundle, &"--key", &key, &"-o", &signed]);
    let text = ok(&[&"verify", &signed, &"--trust", &public]);
    assert!(text.contains("intact and signed by trusted key"), "{text}");

    let answers = dir.join("réponses à moi.json");
    std::fs::write(
        &answers,
        r#"{"optional-meetings": true, "know-other-teams": true, "pulled-in": false, "outside-opinions": false}"#,
    )
    .unwrap();
    let result = ok(&[
        &"score",
        &signed,
        &"--rubric",
        &"cross-team-gut-check",
        &"--answers",
        &answers,
        &"--json",
    ]);
    let result: serde_json::Value = serde_json::from_str(&result).unwrap();
    assert_eq!(result["verdict"], "beyond-team");
}

#[test]
fn library_keys_and_drive_commands_work_in_folders_with_spaces_and_accents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Équipe offsite");
    let data = dir.join("données du kiosque");
    let stick = dir.join("CLÉ USB");
    std::fs::create_dir_all(stick.join("rubrics")).unwrap();
    let key = dir.join("clé d'auteur.key");
    ok(&[&"keygen", &"-o", &key]);
    let bundle = own_bundle(&stick.join("rubrics"), &key);

    ok(&[
        &"--data-dir",
        &data,
        &"keys",
        &"trust",
        &dir.join("clé d'auteur.key.pub"),
    ]);
    let scan = ok(&[
        &"--data-dir",
        &data,
        &"media",
        &"scan",
        &"--no-system",
        &"--media-root",
        &stick,
    ]);
    assert!(
        scan.contains(&format!("drive CLÉ USB at {}", stick.display())),
        "{scan}"
    );
    assert!(scan.contains("règles à moi.rbk"), "{scan}");
    let text = ok(&[&"--data-dir", &data, &"library", &"import", &bundle]);
    assert!(text.contains("signed by trusted key"), "{text}");
    assert!(ok(&[&"--data-dir", &data, &"library", &"list"]).contains("own-check"));
}

// One workshop, read top to bottom: the 100-line limit is for kiosk/src.
#[allow(clippy::too_many_lines)]
#[test]
fn workshop_commands_work_in_folders_with_spaces_and_accents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Équipe offsite/données été");
    let data = dir.join("données du kiosque");
    std::fs::create_dir_all(&data).unwrap();
    // A session with four results, as the release before phones wrote it.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-v2-main.sqlite3"),
        data.join("results.sqlite3"),
    )
    .unwrap();
    let session = first_session(&data);
    let created = ok(&[
        &"--data-dir",
        &data,
        &"session",
        &"create",
        &"--name",
        &"Journée à Lyon",
        &"--rubric",
        &"want-the-work",
    ]);
    assert!(ok(&[&"--data-dir", &data, &"session", &"list"]).contains("Journée à Lyon"));
    ok(&[&"--data-dir", &data, &"session", &"close", &created.trim()]);

    for (format, name) in [
        ("csv", "résultats été.csv"),
        ("json", "résultats été.json"),
        ("html", "résumé été.html"),
        ("merge", "fusion été.json"),
    ] {
        let file = dir.join(name);
        ok(&[
            &"--data-dir",
            &data,
            &"export",
            &"--session",
            &session,
            &"--format",
            &format,
            &"-o",
            &file,
        ]);
        assert!(file.is_file(), "export --format {format} wrote nothing");
    }
    // The fixture's results are of staff-readiness version 3; the library
    // has a newer version, so another kiosk refuses them, naming the file
    // by its path as given.
    let merge = dir.join("fusion été.json");
    let other = dir.join("autre kiosque à côté");
    let out = run(&[Path::new("--data-dir"), &other, Path::new("import"), &merge]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!("{}: row 1", merge.display()))
            && stderr.contains("is not in this kiosk's library"),
        "{stderr}"
    );
    // The report reads the session through the accented data folder.
    let report = ok(&[&"--data-dir", &data, &"report", &"--session", &session]);
    assert!(report.contains("Main fixture offsite"), "{report}");

    let stick = dir.join("CLÉ USB");
    std::fs::create_dir_all(&stick).unwrap();
    ok(&[
        &"--data-dir",
        &data,
        &"export",
        &"--session",
        &session,
        &"--format",
        &"csv",
        &"-o",
        &"résultats été.csv",
        &"--to-drive",
        &"CLÉ USB",
        &"--media-root",
        &stick,
    ]);
    assert!(stick
        .join("rubric-kiosk-exports/résultats été.csv")
        .is_file());
}

#[test]
fn the_default_data_folder_is_where_the_platform_keeps_application_data() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("maison de Zoé");
    let data_home = tmp.path().join("données partagées");
    let out = Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .args(["session", "list"])
        .env("HOME", &home)
        .env("XDG_DATA_HOME", &data_home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // On Linux, `directories` puts it in $XDG_DATA_HOME/rubric-kiosk. The
    // Windows folder (%APPDATA%) is checked under Wine by
    // packaging/windows-check.sh; macOS's is not checked anywhere yet.
    #[cfg(target_os = "linux")]
    assert!(data_home.join("rubric-kiosk/results.sqlite3").is_file());
}
