//! Session plans through the real `rubric-kiosk` binary: `plan list`,
//! `plan show`, `plan compile` (signed, refused with file:line:col),
//! `session create --plan` (the plan's rubrics in order, its id stored),
//! `guide` and `guide --handout` (written, escaped, nothing fetched); and
//! the schema version 4 fixture migrating to the plan-storing version 5.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::Path;
use std::process::{Command, Output};

use kiosk::store::{ResultsStore, SCHEMA_VERSION};
use rubric_engine::Bundle;
use rubrics::plan::{Audience, Plan, Step, StepKind};

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

#[test]
fn plan_list_names_the_three_shipped_plans_with_audience_and_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let list: serde_json::Value =
        serde_json::from_str(&ok(dir.path(), &["plan", "list", "--json"])).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["is-staff-for-you", "archetype-fit", "is-the-track-real"]
    );
    assert_eq!(list[0]["minutes"], 60);
    assert_eq!(list[0]["audience"], "engineers");
    assert_eq!(list[0]["rubrics"][0], "want-the-work");
    let text = ok(dir.path(), &["plan", "list"]);
    assert!(text.contains("Is the track real here?"), "{text}");
}

#[test]
fn plan_show_prints_the_agenda_with_start_times_and_a_typo_gets_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let text = ok(dir.path(), &["plan", "show", "is-staff-for-you"]);
    assert!(
        text.contains("0:05    5 min  take     Do you want the work? (want-the-work)"),
        "{text}"
    );
    assert!(text.contains("1:00  end"), "{text}");
    let err = fails(dir.path(), &["plan", "show", "archetype-fitt"]);
    assert!(err.contains("did you mean \"archetype-fit\"?"), "{err}");
}

#[test]
fn plan_compile_signs_a_bundle_that_plan_show_reads_and_refuses_a_broken_source_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics/plans/archetype-fit.toml");
    let key = data.join("author.key");
    ok(data, &["keygen", "-o", key.to_str().unwrap()]);
    let out = data.join("fit.rbp");
    let said = ok(
        data,
        &[
            "plan",
            "compile",
            source.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--sign",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        said.contains("compiled plan archetype-fit (10 steps, 75 minutes)"),
        "{said}"
    );
    assert!(said.contains("signed with key"), "{said}");
    let shown: serde_json::Value = serde_json::from_str(&ok(
        data,
        &["plan", "show", out.to_str().unwrap(), "--json"],
    ))
    .unwrap();
    assert_eq!(shown["id"], "archetype-fit");
    assert_eq!(shown["steps"].as_array().unwrap().len(), 10);

    let broken = data.join("broken.toml");
    let text = std::fs::read_to_string(&source).unwrap().replacen(
        "rubric = \"work-ledger\"",
        "rubric = \"work-ledgr\"",
        1,
    );
    std::fs::write(&broken, text).unwrap();
    let err = fails(
        data,
        &[
            "plan",
            "compile",
            broken.to_str().unwrap(),
            "-o",
            data.join("b.rbp").to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("broken.toml:50:10: error: there is no rubric with id `work-ledgr`"),
        "{err}"
    );
    assert!(err.contains("did you mean `work-ledger`?"), "{err}");
    assert!(!data.join("b.rbp").exists());
}

#[test]
fn session_create_from_a_plan_takes_its_rubrics_in_order_and_remembers_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = ok(data, &["session", "create", "--plan", "is-the-track-real"]);
    let plain = ok(
        data,
        &[
            "session",
            "create",
            "--name",
            "No plan",
            "--rubric",
            "want-the-work",
        ],
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(data, &["session", "list", "--json"])).unwrap();
    let find = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id.trim())
            .unwrap()
            .clone()
    };
    let planned = find(&id);
    assert_eq!(planned["name"], "Is the track real here?");
    assert_eq!(
        planned["rubrics"],
        serde_json::json!(["staff-track-reality", "sponsor-check"])
    );
    assert_eq!(planned["plan"], "is-the-track-real");
    assert_eq!(find(&plain)["plan"], serde_json::Value::Null);
    // A name and extra rubrics may still be given.
    let id = ok(
        data,
        &[
            "session",
            "create",
            "--plan",
            "is-the-track-real",
            "--name",
            "Leads day",
            "--rubric",
            "you-or-org",
        ],
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(data, &["session", "list", "--json"])).unwrap();
    let s = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.trim())
        .unwrap();
    assert_eq!(s["name"], "Leads day");
    assert_eq!(
        s["rubrics"],
        serde_json::json!(["staff-track-reality", "sponsor-check", "you-or-org"])
    );
    let err = fails(data, &["session", "create", "--plan", "no-such-plan"]);
    assert!(
        err.contains("there is no plan with id \"no-such-plan\""),
        "{err}"
    );
}

#[test]
fn the_guide_and_the_handout_are_written_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let guide = data.join("guide.html");
    let handout = data.join("handout.html");
    ok(
        data,
        &[
            "guide",
            "--plan",
            "is-staff-for-you",
            "-o",
            guide.to_str().unwrap(),
        ],
    );
    ok(
        data,
        &[
            "guide",
            "--plan",
            "is-staff-for-you",
            "--handout",
            "-o",
            handout.to_str().unwrap(),
        ],
    );
    let guide = std::fs::read_to_string(guide).unwrap();
    let handout = std::fs::read_to_string(handout).unwrap();
    for page in [&guide, &handout] {
        assert!(page.starts_with("<!doctype html>"));
        assert!(page.contains("@media print"));
        for outside in [
            "<script", "http://", "https://", "src=", "<link", "@import", "url(",
        ] {
            assert!(!page.contains(outside), "{outside} in a page");
        }
    }
    // The agenda with times, the purposes to read out, each rubric, the small group and phones.
    for words in [
        "0:05",
        "1:00",
        "Read out:",
        "Do you want the work?",
        "Which trap are you in?",
        "What it measures:",
        "When the group is small",
        "at least 5 people",
        "How phones join",
        "Let phones join",
    ] {
        assert!(guide.contains(words), "the guide lacks {words}");
    }
    for words in [
        "What you will take",
        "What stays anonymous",
        "Where your answers live",
        "Cross-team gut check",
    ] {
        assert!(handout.contains(words), "the handout lacks {words}");
    }
}

#[test]
fn hostile_plan_and_rubric_texts_are_escaped_in_the_guide_and_the_handout() {
    let library = kiosk::library::shipped().unwrap();
    let evil = "<script>alert(1)</script> & \"quoted\" 'single' <img src=x onerror=alert(2)>";
    let plan = Plan {
        id: "evil".into(),
        title: evil.into(),
        audience: Audience::Mixed,
        minutes: 10,
        summary: evil.into(),
        steps: vec![
            Step {
                title: evil.into(),
                purpose: evil.into(),
                minutes: 5,
                kind: StepKind::Take {
                    rubric: "want-the-work".into(),
                },
            },
            Step {
                title: evil.into(),
                purpose: evil.into(),
                minutes: 5,
                kind: StepKind::Discuss {
                    rubric: None,
                    prompts: vec![evil.into()],
                },
            },
        ],
    };
    let bundle: &Bundle<'_> = &library.bundle;
    for page in [
        kiosk::guide::guide_html(&plan, bundle, 5).unwrap(),
        kiosk::guide::handout_html(&plan, bundle, 5).unwrap(),
    ] {
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("\"quoted\""));
        assert!(
            page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"),
            "{page}"
        );
    }
    // A plan naming a rubric the library lacks is refused by name.
    let mut missing = plan.clone();
    missing.steps[0].kind = StepKind::Take {
        rubric: "not-here".into(),
    };
    let err = kiosk::guide::guide_html(&missing, bundle, 5).unwrap_err();
    assert!(err.to_string().contains("\"not-here\""), "{err}");
}

#[test]
fn the_v4_fixture_migrates_keeps_its_session_and_results_and_then_stores_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.sqlite3");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results-v4.sqlite3"),
        &path,
    )
    .unwrap();
    let store = ResultsStore::open(&path).unwrap();
    assert_eq!(SCHEMA_VERSION, 5);
    assert_eq!(store.schema_version().unwrap(), 5);
    let sessions = store.sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    let session = sessions[0].clone();
    assert_eq!(session.name, "Plans fixture offsite");
    assert_eq!(session.rubric_ids, ["want-the-work", "three-traps"]);
    assert_eq!(session.min_group, 3);
    let results = store.workshop_results(session.id).unwrap();
    assert_eq!(results.len(), 8);
    let aliases = results.iter().filter(|r| r.alias.is_some()).count();
    assert_eq!(aliases, 4);
    for r in &results {
        rubric_engine::ScoreResult::decode(&r.engine_result).unwrap();
    }
    // A session made before plans has none; one can be stored and survives reopening.
    assert_eq!(store.session_plan(session.id).unwrap(), None);
    store
        .set_session_plan(session.id, "is-staff-for-you")
        .unwrap();
    drop(store);
    let store = ResultsStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 5);
    assert_eq!(
        store.session_plan(session.id).unwrap().as_deref(),
        Some("is-staff-for-you")
    );
    assert_eq!(store.workshop_results(session.id).unwrap().len(), 8);
}

#[test]
fn a_plan_bundle_is_imported_only_when_signed_by_a_trusted_key_and_is_then_found_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let key = data.join("author.key");
    ok(data, &["keygen", "-o", key.to_str().unwrap()]);
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics/plans/archetype-fit.toml");
    let text = std::fs::read_to_string(&source).unwrap().replacen(
        "id = \"archetype-fit\"",
        "id = \"fit-for-our-offsite\"",
        1,
    );
    let ours = data.join("ours.toml");
    std::fs::write(&ours, text).unwrap();
    let bundle = data.join("ours.rbp");
    let (ours, bundle_s) = (ours.to_str().unwrap(), bundle.to_str().unwrap());
    ok(
        data,
        &[
            "plan",
            "compile",
            ours,
            "-o",
            bundle_s,
            "--sign",
            key.to_str().unwrap(),
        ],
    );

    // Not trusted yet: refused, and nothing is kept.
    let err = fails(data, &["plan", "import", bundle_s]);
    assert!(err.contains("which this kiosk does not trust"), "{err}");
    assert!(!ok(data, &["plan", "list"]).contains("fit-for-our-offsite"));
    // A damaged copy is refused by name.
    let mut damaged = std::fs::read(&bundle).unwrap();
    damaged[30] ^= 0x20;
    let damaged_path = data.join("damaged.rbp");
    std::fs::write(&damaged_path, damaged).unwrap();
    let err = fails(
        data,
        &[
            "plan",
            "import",
            damaged_path.to_str().unwrap(),
            "--allow-untrusted",
        ],
    );
    assert!(err.contains("checksum does not match"), "{err}");

    let public = format!("{}.pub", key.display());
    ok(data, &["keys", "trust", &public]);
    let said = ok(data, &["plan", "import", bundle_s]);
    assert!(said.contains("imported plan fit-for-our-offsite"), "{said}");
    assert!(ok(data, &["plan", "list"]).contains("fit-for-our-offsite"));
    let id = ok(
        data,
        &["session", "create", "--plan", "fit-for-our-offsite"],
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(data, &["session", "list", "--json"])).unwrap();
    let s = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.trim())
        .unwrap();
    assert_eq!(s["plan"], "fit-for-our-offsite");
    assert_eq!(
        s["rubrics"],
        serde_json::json!(["staff-archetype", "work-ledger", "peer-test"])
    );
    // A shipped plan's id cannot be taken over.
    let shipped = data.join("shipped.rbp");
    ok(
        data,
        &[
            "plan",
            "compile",
            source.to_str().unwrap(),
            "-o",
            shipped.to_str().unwrap(),
            "--sign",
            key.to_str().unwrap(),
        ],
    );
    let err = fails(data, &["plan", "import", shipped.to_str().unwrap()]);
    assert!(
        err.contains("already has the id \"archetype-fit\""),
        "{err}"
    );
}
