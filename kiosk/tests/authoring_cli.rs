//! `new` and `check` as an author runs them: a starter written, never over
//! an existing file, and `check` failing on a band no answers reach.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn new_writes_a_starter_for_each_template_that_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    for template in ["yes-no-count", "scale-bands", "archetype-fit"] {
        let out = bin()
            .current_dir(dir.path())
            .args(["new", &format!("Team {template}"), "--template", template])
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stdout.contains(&format!("wrote team-{template}.toml")),
            "{stdout}"
        );
    }
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(
        stdout.matches("bands reached (every one of the").count(),
        3,
        "{stdout}"
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["compile", ".", "-o", "mine.rbk"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
}

#[test]
fn new_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "an afternoon of work").unwrap();
    let out = bin()
        .args(["new", "Mine", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "an afternoon of work"
    );
    let out = bin()
        .args(["new", "***"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).1.contains("no letters or digits"));
}

#[test]
fn check_fails_on_a_band_no_answers_reach_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gut.toml");
    std::fs::write(
        &path,
        include_str!("../../rubrics/tests/fixtures/unreachable-band.toml"),
    )
    .unwrap();
    let out = bin().arg("check").arg(&path).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stdout.contains("band `one-point` of dimension `points` (\"One point\") is never reached"),
        "{stdout}"
    );
    assert!(
        stdout.contains("every one of the 8 complete answer sets"),
        "{stdout}"
    );
    assert!(stderr.contains("1 of 1 rubric(s)"), "{stderr}");
    let out = bin().args(["check", "--json"]).arg(&path).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["rubrics"][0]["walk"], "exhaustive");
    assert_eq!(json["rubrics"][0]["bands"][1]["reached"], 0);
}

#[test]
fn check_reports_compile_errors_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "id = \"bad\"\ntitel = \"x\"\n").unwrap();
    let out = bin().arg("check").arg(&path).output().unwrap();
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("bad.toml:2:1"), "{stderr}");
}
