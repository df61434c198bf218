//! The real `rubric-kiosk` binary's workshop commands, on a temporary data
//! folder: session create / list / close, report under the minimum group,
//! export in both formats, import twice.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::Path;
use std::process::{Command, Output};

use kiosk::attempt::Attempt;
use kiosk::store::ResultsStore;
use kiosk::workshop::{NewWorkshopResult, SessionId};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

const WANT: &str = "want-the-work";
const ARCHETYPE: &str = "staff-archetype";
const ALIAS: &str = "Alias-Zebra-42";

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(data: &Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

/// Stores `n` results of `rubric` in the session through the library API.
fn take_turns(data: &Path, session: &str, rubric: &str, seeds: std::ops::Range<usize>) {
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(data).unwrap();
    let session: SessionId = session.parse().unwrap();
    let rubric = library.bundle.rubric(rubric).unwrap();
    for seed in seeds {
        let mut attempt = Attempt::start(rubric, &library.hash);
        while let Some(index) = attempt.runner.current() {
            let pick = seed * 31 + index * 7;
            let answer = match rubric.item(index).unwrap().kind {
                ItemKind::Scale { min, max, .. } => {
                    Answer::Level(min + (pick % usize::from(max - min + 1)) as u8)
                }
                ItemKind::YesNo { .. } => Answer::YesNo(pick % 2 == 0),
                ItemKind::Single { options } => Answer::Choice((pick % options.len()) as u8),
                ItemKind::Multi { .. } => Answer::Choices(1),
                ItemKind::Count { min, .. } => Answer::Count(min),
                ItemKind::Text => Answer::Unanswered,
            };
            attempt.runner.answer(answer).unwrap();
            attempt.runner.next_visible().unwrap();
        }
        let completed = attempt.complete();
        let encoded = completed.encoded().unwrap();
        let row = NewWorkshopResult::from_completed(&completed, &encoded, session, Some(ALIAS));
        store.save_workshop_result(&row).unwrap();
    }
}

fn report_json(data: &Path, session: &str) -> serde_json::Value {
    serde_json::from_str(&ok(data, &["report", "--session", session, "--json"])).unwrap()
}

// One whole scenario, read top to bottom: the 100-line limit is for kiosk/src.
#[allow(clippy::too_many_lines)]
#[test]
fn a_facilitator_runs_a_workshop_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // Create and list.
    let id = ok(
        &data,
        &[
            "session",
            "create",
            "--name",
            "Offsite day 1",
            "--rubric",
            WANT,
            "--rubric",
            ARCHETYPE,
            "--min-group",
            "3",
        ],
    )
    .trim()
    .to_string();
    assert!(id.parse::<SessionId>().is_ok(), "{id}");
    assert!(ok(&data, &["session", "list"]).contains(&id));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&data, &["session", "list", "--json"])).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["min_group"], 3);
    assert_eq!(list[0]["closed"], false);

    // Two results: hidden, and says how many more.
    take_turns(&data, &id, WANT, 0..2);
    let text = ok(&data, &["report", "--session", &id]);
    assert!(text.contains("1 more result(s) needed"), "{text}");
    let report = report_json(&data, &id);
    assert_eq!(report["rubrics"][0]["figures"]["status"], "too_few");
    assert_eq!(report["rubrics"][0]["figures"]["more_needed"], 1);
    assert!(report["rubrics"][0]["figures"].get("dimensions").is_none());

    // The third: shown, with no alias anywhere.
    take_turns(&data, &id, WANT, 2..3);
    let report = report_json(&data, &id);
    assert_eq!(report["participants"], 3);
    assert_eq!(report["rubrics"][0]["figures"]["status"], "shown");
    assert_eq!(report["rubrics"][0]["figures"]["results"], 3);
    assert_eq!(report["rubrics"][1]["figures"]["status"], "too_few");
    let text = ok(&data, &["report", "--session", &id]);
    assert!(
        text.contains("3 results") && !text.contains(ALIAS),
        "{text}"
    );

    // Export for analysis, and the merge file for another kiosk.
    let csv_path = dir.path().join("day1.csv");
    let json_path = dir.path().join("day1.json");
    ok(
        &data,
        &[
            "export",
            "--session",
            &id,
            "--format",
            "csv",
            "-o",
            csv_path.to_str().unwrap(),
        ],
    );
    ok(
        &data,
        &[
            "export",
            "--session",
            &id,
            "--format",
            "merge",
            "-o",
            json_path.to_str().unwrap(),
        ],
    );
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(reader.records().count(), 3);
    assert!(!std::fs::read_to_string(&csv_path).unwrap().contains(ALIAS));
    let with_text = dir.path().join("day1-text.csv");
    ok(
        &data,
        &[
            "export",
            "--session",
            &id,
            "--format",
            "csv",
            "-o",
            with_text.to_str().unwrap(),
            "--include-text",
        ],
    );
    assert!(std::fs::read_to_string(&with_text).unwrap().contains(ALIAS));

    let html = dir.path().join("day1.html");
    ok(
        &data,
        &[
            "export",
            "--session",
            &id,
            "--format",
            "html",
            "-o",
            html.to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("Offsite day 1") && page.contains("3 more results needed"),
        "{page}"
    );
    assert!(!page.contains(ALIAS));

    // Import twice into another kiosk: the second adds nothing.
    let other = dir.path().join("other");
    let first = ok(&other, &["import", json_path.to_str().unwrap()]);
    assert!(
        first.contains("3 added, 0 already present, 0 rejected"),
        "{first}"
    );
    let second = ok(&other, &["import", json_path.to_str().unwrap()]);
    assert!(
        second.contains("0 added, 3 already present, 0 rejected"),
        "{second}"
    );
    assert_eq!(report_json(&other, &id), report_json(&data, &id));

    // Close.
    ok(&data, &["session", "close", &id]);
    let list: serde_json::Value =
        serde_json::from_str(&ok(&data, &["session", "list", "--json"])).unwrap();
    assert_eq!(list[0]["closed"], true);
}

#[test]
fn an_import_with_a_bad_row_names_the_file_and_the_row_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = ok(
        &data,
        &["session", "create", "--name", "Day", "--rubric", WANT],
    )
    .trim()
    .to_string();
    take_turns(&data, &id, WANT, 0..3);
    let json_path = dir.path().join("day.json");
    ok(
        &data,
        &[
            "export",
            "--session",
            &id,
            "--format",
            "merge",
            "-o",
            json_path.to_str().unwrap(),
        ],
    );
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    file["results"][1]["rubric_version"] = 999.into();
    let bad = dir.path().join("bad-row.json");
    std::fs::write(&bad, serde_json::to_vec_pretty(&file).unwrap()).unwrap();

    let out = run(
        &dir.path().join("other"),
        &["import", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("2 added, 0 already present, 1 rejected"),
        "{stdout}"
    );
    assert!(stderr.contains("bad-row.json: row 2 (result "), "{stderr}");
    assert!(stderr.contains("version 999"), "{stderr}");

    std::fs::write(&bad, "{\"format\": ").unwrap();
    let err = fails(
        &dir.path().join("other"),
        &["import", bad.to_str().unwrap()],
    );
    assert!(err.contains("bad-row.json:1:"), "{err}");
}

#[test]
fn workshop_commands_refuse_bad_input_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let err = fails(
        &data,
        &[
            "session",
            "create",
            "--name",
            "Day",
            "--rubric",
            WANT,
            "--min-group",
            "2",
        ],
    );
    assert!(err.contains("at least 3"), "{err}");
    let err = fails(
        &data,
        &["session", "create", "--name", "Day", "--rubric", "no-such"],
    );
    assert!(err.contains("no-such"), "{err}");
    let err = fails(&data, &["report", "--session", "not-an-id"]);
    assert!(err.contains("not-an-id"), "{err}");
    let unknown = SessionId::random().to_string();
    let err = fails(&data, &["session", "close", &unknown]);
    assert!(err.contains(&unknown), "{err}");
}

#[test]
fn every_workshop_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["session", "--help"][..],
        &["session", "create", "--help"],
        &["session", "list", "--help"],
        &["session", "close", "--help"],
        &["export", "--help"],
        &["import", "--help"],
        &["report", "--help"],
    ] {
        let help = ok(dir.path(), args);
        assert!(help.contains("Usage: rubric-kiosk"), "{args:?}: {help}");
    }
}

#[test]
fn session_create_suggests_the_nearest_rubric_id() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let err = fails(
        &data,
        &[
            "session",
            "create",
            "--name",
            "Typo",
            "--rubric",
            "staff-readines",
        ],
    );
    assert!(
        err.contains("no rubric `staff-readines`")
            && err.contains("did you mean `staff-readiness`?"),
        "{err}"
    );
    assert!(ok(&data, &["session", "list"]).contains("no workshop sessions"));
}

#[test]
fn report_keeps_its_counts_in_one_column_after_a_long_band_label() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let readiness = "staff-readiness";
    let id = ok(
        &data,
        &[
            "session",
            "create",
            "--name",
            "Long labels",
            "--rubric",
            readiness,
            "--min-group",
            "3",
        ],
    )
    .trim()
    .to_string();
    take_turns(&data, &id, readiness, 0..3);
    let text = ok(&data, &["report", "--session", &id]);
    // Every count line ("    label   count") ends in the same column.
    let counts: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("    ") && l.ends_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(
        counts
            .iter()
            .any(|l| l.contains("Strong senior, not yet staff-shaped")),
        "{text}"
    );
    let width = counts[0].chars().count();
    for line in &counts {
        assert_eq!(line.chars().count(), width, "{line:?} in\n{text}");
        // At least one space between a label and its count.
        let label = line.trim_end_matches(|c: char| c.is_ascii_digit());
        assert!(label.ends_with(' '), "{line:?}");
    }
}

#[test]
fn report_shows_figures_only_at_whole_groups_so_one_result_cannot_be_read_from_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = ok(
        &data,
        &[
            "session",
            "create",
            "--name",
            "Steps",
            "--rubric",
            WANT,
            "--min-group",
            "3",
        ],
    )
    .trim()
    .to_string();
    take_turns(&data, &id, WANT, 0..3);
    let at_three = report_json(&data, &id);
    assert_eq!(at_three["rubrics"][0]["figures"]["status"], "shown");
    // One more person finishes: no figures at all until the group is whole,
    // so nothing in the report changes in a way that is that person's.
    for (stored, more) in [(4, 2), (5, 1)] {
        take_turns(&data, &id, WANT, stored - 1..stored);
        let report = report_json(&data, &id);
        let figures = &report["rubrics"][0]["figures"];
        assert_eq!(figures["status"], "between_steps", "{figures}");
        assert_eq!(figures["results"], stored);
        assert_eq!(figures["more_needed"], more);
        assert!(figures.get("verdicts").is_none());
        let text = ok(&data, &["report", "--session", &id]);
        assert!(
            text.contains(&format!(
                "{more} more result(s) needed before the figures show again"
            )),
            "{text}"
        );
    }
    take_turns(&data, &id, WANT, 5..6);
    let at_six = report_json(&data, &id);
    assert_eq!(at_six["rubrics"][0]["figures"]["status"], "shown");
    assert_eq!(at_six["rubrics"][0]["figures"]["results"], 6);
}
