//! The real `rubric-kiosk` binary: compile, inspect, keygen, sign, verify, score.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
}

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics/library")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail: exit code 1, nothing on stdout, and an
/// `error` line on stderr for the caller to check further.
fn fails(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{args:?} should have failed: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "{args:?} failed but printed to stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains("error"),
        "{args:?} failed without saying why"
    );
    stderr
}

fn compiled(dir: &Path) -> String {
    let out = dir.join("library.rbk");
    ok(&[
        "compile",
        library().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    out.to_str().unwrap().to_string()
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["compile", "inspect", "verify", "keygen", "sign", "score"] {
        let text = ok(&[sub, "--help"]);
        assert!(text.contains("Usage"), "{sub} --help: {text}");
    }
}

#[test]
fn compile_is_deterministic_and_inspect_lists_everything() {
    let dir = tempfile::tempdir().unwrap();
    let a = compiled(dir.path());
    let b = dir.path().join("again.rbk");
    ok(&[
        "compile",
        library().to_str().unwrap(),
        "-o",
        b.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    let json: serde_json::Value = serde_json::from_str(&ok(&["inspect", &a, "--json"])).unwrap();
    assert_eq!(json["signed_by"], serde_json::Value::Null);
    let rubrics = json["rubrics"].as_array().unwrap();
    assert_eq!(rubrics.len(), 19);
    let gut = rubrics
        .iter()
        .find(|r| r["id"] == "cross-team-gut-check")
        .unwrap();
    assert_eq!(gut["items"].as_array().unwrap().len(), 4);
    assert_eq!(gut["bands"][0]["range"], serde_json::json!([0, 1]));
    let text = ok(&["inspect", &a]);
    assert!(
        text.contains("crc32") && text.contains("band team-sized on reach [0, 1]"),
        "{text}"
    );
}

#[test]
fn compile_errors_go_to_stderr_with_locations() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("bad.toml");
    std::fs::write(&src, "id = \"x\"\ntitel = \"T\"\n").unwrap();
    let err = fails(&[
        "compile",
        src.to_str().unwrap(),
        "-o",
        dir.path().join("o.rbk").to_str().unwrap(),
    ]);
    assert!(
        err.contains("bad.toml:2:1: error: unknown key `titel`"),
        "{err}"
    );
    assert!(err.contains("did you mean `title`?"), "{err}");
    assert!(
        !dir.path().join("o.rbk").exists(),
        "nothing is written on failure"
    );
}

#[test]
fn an_unreadable_source_is_reported_once_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let err = fails(&[
        "compile",
        missing.to_str().unwrap(),
        "-o",
        dir.path().join("o.rbk").to_str().unwrap(),
    ]);
    let cause = std::fs::File::open(&missing).unwrap_err();
    assert_eq!(
        err,
        format!("error: cannot read {}: {cause}\n", missing.display())
    );
}

#[test]
fn signing_and_trust() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = compiled(dir.path());
    let key = dir.path().join("author.key");
    let other = dir.path().join("other.key");
    ok(&["keygen", "-o", key.to_str().unwrap()]);
    ok(&["keygen", "-o", other.to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "secret key must be owner-only");
    }
    // keygen refuses to overwrite a key.
    assert!(fails(&["keygen", "-o", key.to_str().unwrap()]).contains("refusing to overwrite"));

    let signed = dir.path().join("signed.rbk");
    ok(&[
        "sign",
        &bundle,
        "--key",
        key.to_str().unwrap(),
        "-o",
        signed.to_str().unwrap(),
    ]);
    let signed = signed.to_str().unwrap();
    let pubkey = format!("{}.pub", key.display());
    let other_pub = format!("{}.pub", other.display());
    assert!(ok(&["verify", signed, "--trust", &pubkey]).contains("signed by trusted key"));
    assert!(ok(&["verify", signed, "--trust", &other_pub, "--trust", &pubkey]).contains("trusted"));

    let err = fails(&["verify", signed, "--trust", &other_pub]);
    assert!(err.contains("which is not trusted"), "{err}");
    let err = fails(&["verify", &bundle, "--trust", &pubkey]);
    assert!(err.contains("not signed"), "{err}");

    // One flipped byte anywhere fails verification.
    let bytes = std::fs::read(signed).unwrap();
    for at in [5, 40, bytes.len() / 2, bytes.len() - 80, bytes.len() - 1] {
        let mut tampered = bytes.clone();
        tampered[at] ^= 0x01;
        let path = dir.path().join(format!("tampered-{at}.rbk"));
        std::fs::write(&path, &tampered).unwrap();
        let err = fails(&["verify", path.to_str().unwrap(), "--trust", &pubkey]);
        assert!(
            err.contains("refused") || err.contains("not a usable bundle"),
            "byte {at}: {err}"
        );
    }

    // compile --sign gives the same bytes as compile then sign.
    let direct = dir.path().join("direct.rbk");
    ok(&[
        "compile",
        library().to_str().unwrap(),
        "-o",
        direct.to_str().unwrap(),
        "--sign",
        key.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(direct).unwrap(), bytes);
}

#[test]
fn a_device_bundle_leaves_the_texts_out_and_scores_like_the_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let full = compiled(dir.path());
    let device = dir.path().join("device.rbk");
    let out = ok(&[
        "compile",
        library().to_str().unwrap(),
        "-o",
        device.to_str().unwrap(),
        "--device",
    ]);
    assert!(out.contains("texts left out"), "{out}");
    let device = device.to_str().unwrap();
    let (full_len, device_len) = (
        std::fs::metadata(&full).unwrap().len(),
        std::fs::metadata(device).unwrap().len(),
    );
    assert!(device_len * 3 < full_len, "{device_len} of {full_len}");

    let info: serde_json::Value =
        serde_json::from_str(&ok(&["inspect", device, "--json"])).unwrap();
    assert_eq!(info["texts"], "omitted");
    assert_eq!(info["rubrics"][0]["title"], "");
    let info: serde_json::Value = serde_json::from_str(&ok(&["inspect", &full, "--json"])).unwrap();
    assert_eq!(info["texts"], "included");
    let text = ok(&["inspect", device]);
    assert!(text.contains("a bundle for a scoring device"), "{text}");

    let answers = dir.path().join("a.json");
    std::fs::write(
        &answers,
        r#"{"optional-meetings": true, "know-other-teams": true, "pulled-in": false, "outside-opinions": false}"#,
    )
    .unwrap();
    let score = |bundle: &str| {
        let out = ok(&[
            "score",
            bundle,
            "--rubric",
            "cross-team-gut-check",
            "--answers",
            answers.to_str().unwrap(),
            "--json",
        ]);
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    // The same figures, ids and bands; only the texts people read are empty.
    fn without_texts(v: &mut serde_json::Value) {
        const TEXTS: [&str; 5] = [
            "title",
            "band_label",
            "verdict_label",
            "verdict_explanation",
            "text",
        ];
        match v {
            serde_json::Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if TEXTS.contains(&key.as_str()) {
                        *value = "".into();
                    } else {
                        without_texts(value);
                    }
                }
            }
            serde_json::Value::Array(list) => list.iter_mut().for_each(without_texts),
            _ => {}
        }
    }
    let (on_device, mut on_kiosk) = (score(device), score(&full));
    assert_eq!(on_device["verdict"], "beyond-team");
    assert_eq!(on_device["dimensions"][0]["value"], 2);
    assert_ne!(on_kiosk["verdict_label"], "");
    without_texts(&mut on_kiosk);
    assert_eq!(on_device, on_kiosk);
}

#[test]
fn score_prints_the_engine_result_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = compiled(dir.path());
    let answers = dir.path().join("a.json");
    std::fs::write(
        &answers,
        r#"{"optional-meetings": true, "know-other-teams": true, "pulled-in": false, "outside-opinions": false}"#,
    )
    .unwrap();
    let out = ok(&[
        "score",
        &bundle,
        "--rubric",
        "cross-team-gut-check",
        "--answers",
        answers.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rubric"], "cross-team-gut-check");
    assert_eq!(v["complete"], true);
    assert_eq!(v["verdict"], "beyond-team");
    assert_eq!(v["dimensions"][0]["id"], "reach");
    assert_eq!(v["dimensions"][0]["value"], 2);
    assert_eq!(v["dimensions"][0]["max"], 4);
    assert_eq!(v["dimensions"][0]["percent"], 50);
    assert_eq!(v["dimensions"][0]["band"], "beyond-team");

    std::fs::write(&answers, r#"{"incident": "so", "best-week": "so", "ambiguity": "so", "scope": "ar", "writing": "so", "mentoring": "so", "frustration": "so", "relationship": "rh"}"#).unwrap();
    let out = ok(&[
        "score",
        &bundle,
        "--rubric",
        "staff-archetype",
        "--answers",
        answers.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "solver");
    assert_eq!(v["outcomes"][0]["id"], "solver");
    assert_eq!(v["outcomes"][0]["rank"], 1);
    // Six of the eight answers, each counting one (issue 23: equal weights).
    assert_eq!(v["outcomes"][0]["fit_percent"], 75);
}

#[test]
fn bad_answers_name_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = compiled(dir.path());
    let answers = dir.path().join("a.json");
    let cases = [
        (
            r#"{"optional-meeting": true}"#,
            "`optional-meeting` is not an item of this rubric (did you mean `optional-meetings`?)",
        ),
        (
            r#"{"optional-meetings": 3}"#,
            "item `optional-meetings` is a yes-no item and needs true or false",
        ),
        (
            r#"{"optional-meetings": true}"#,
            "required item(s) without an answer: know-other-teams, pulled-in, outside-opinions",
        ),
        (r#"[1, 2]"#, "answers must be a JSON object"),
        ("{", "is not valid JSON"),
    ];
    for (text, needle) in cases {
        std::fs::write(&answers, text).unwrap();
        let err = fails(&[
            "score",
            &bundle,
            "--rubric",
            "cross-team-gut-check",
            "--answers",
            answers.to_str().unwrap(),
        ]);
        assert!(err.contains(needle), "{text}: {err}");
    }
    std::fs::write(&answers, r#"{"done-myself": 100}"#).unwrap();
    let err = fails(&[
        "score",
        &bundle,
        "--rubric",
        "work-ledger",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert!(
        err.contains("item `done-myself`: 100 is outside the allowed range 0..=99"),
        "{err}"
    );
    std::fs::write(&answers, r#"{"incident": "zz"}"#).unwrap();
    let err = fails(&[
        "score",
        &bundle,
        "--rubric",
        "staff-archetype",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert!(
        err.contains("item `incident` has no option `zz` (options: tl, ar, so, rh)"),
        "{err}"
    );
    let err = fails(&[
        "score",
        &bundle,
        "--rubric",
        "nope",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert!(err.contains("no rubric `nope`"), "{err}");
}

#[test]
fn hostile_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.rbk");
    std::fs::write(&junk, b"not a bundle at all").unwrap();
    assert!(fails(&["inspect", junk.to_str().unwrap()]).contains("bad magic"));
    let big = dir.path().join("big.rbk");
    std::fs::write(&big, vec![0u8; 3 * 1024 * 1024]).unwrap();
    assert!(fails(&["inspect", big.to_str().unwrap()]).contains("larger than"));
    assert!(
        fails(&["inspect", dir.path().join("missing.rbk").to_str().unwrap()])
            .contains("cannot read bundle")
    );
}

fn score_gut_check(dir: &Path, answers: &[u8]) -> Output {
    let bundle = compiled(dir);
    let path = dir.join("answers.json");
    std::fs::write(&path, answers).unwrap();
    run(&[
        "score",
        &bundle,
        "--rubric",
        "cross-team-gut-check",
        "--answers",
        path.to_str().unwrap(),
    ])
}

const GUT_CHECK_ANSWERS: &str = r#"{"optional-meetings": true, "know-other-teams": true, "pulled-in": false, "outside-opinions": false}"#;

#[test]
fn an_answers_file_that_names_an_item_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let twice = GUT_CHECK_ANSWERS.replace('}', r#", "pulled-in": true}"#);
    let out = score_gut_check(dir.path(), twice.as_bytes());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "scored anyway: {err}");
    let path = dir.path().join("answers.json");
    assert_eq!(
        err,
        format!(
            "error: {}: item `pulled-in` is answered twice; give each item one answer\n",
            path.display()
        )
    );
}

#[test]
fn an_answers_file_over_the_size_limit_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // Valid answers padded with whitespace past 1 MiB.
    let mut padded = GUT_CHECK_ANSWERS.as_bytes().to_vec();
    padded.resize(rubrics::answers::MAX_ANSWERS_FILE_BYTES + 1, b' ');
    let out = score_gut_check(dir.path(), &padded);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "scored anyway: {err}");
    assert!(
        err.ends_with("json: the answers are larger than the limit of 1048576 bytes\n"),
        "{err}"
    );
    padded.truncate(rubrics::answers::MAX_ANSWERS_FILE_BYTES);
    let out = score_gut_check(dir.path(), &padded);
    assert!(
        out.status.success(),
        "at the limit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A source of about 40 KB whose only problem is one long unknown reference
/// next to a long item id of the same length.
fn long_unknown_reference() -> String {
    let id = format!("q{}", "a".repeat(19_900));
    let reference = format!("q{}", "b".repeat(19_900));
    format!(
        r#"id = "long-ref"
title = "Long reference"
summary = "One unknown reference, very long"
category = "self-assessment"

[[item]]
id = "{id}"
kind = "yes-no"
prompt = "A?"

[[item]]
id = "b"
kind = "yes-no"
prompt = "B?"
show-if = {{ item = "{reference}", is = "yes" }}

[[dimension]]
id = "yes"
title = "Yes answers"
rule = "yes-count"

[[band]]
id = "all"
dimension = "yes"
range = [0, 2]
label = "All"

[verdict]
dimension = "yes"
"#
    )
}

/// Not a timing: the did-you-mean search once needed a matrix of
/// 20,000 x 20,000 cells (3.2 GB) here, so a 1 GB address-space cap tells a
/// linear search from a quadratic one without measuring anything.
#[cfg(unix)]
#[test]
fn a_long_unknown_reference_is_reported_within_a_gigabyte_of_memory() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("long.toml");
    std::fs::write(&src, long_unknown_reference()).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 1000000 && exec "$0" compile "$1" -o "$2""#)
        .arg(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .arg(&src)
        .arg(dir.path().join("o.rbk"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err:.300}");
    assert!(
        err.contains("long.toml:15:20: error: there is no item with id `qbbb"),
        "{err:.300}"
    );
    assert!(err.ends_with("1 error(s)\n"), "{err:.300}");
}

/// A bundle of the staff-readiness rubric copied under 30 ids: its
/// `inspect --json` is far larger than any pipe buffer.
fn large_bundle(dir: &Path) -> String {
    let original = std::fs::read_to_string(library().join("10-staff-readiness.toml")).unwrap();
    let sources = dir.join("copies");
    std::fs::create_dir(&sources).unwrap();
    for n in 0..30 {
        let copy = original.replacen("id = \"", &format!("id = \"copy-{n}-"), 1);
        std::fs::write(sources.join(format!("{n:02}.toml")), copy).unwrap();
    }
    let out = dir.join("large.rbk");
    ok(&[
        "compile",
        sources.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    out.to_str().unwrap().to_string()
}

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly_and_successfully() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = large_bundle(dir.path());
    let full = ok(&["inspect", "--json", &bundle]);
    assert!(
        full.len() > 256 * 1024,
        "the output must overflow the pipe for the test to mean anything: {} bytes",
        full.len()
    );

    // Like `rubric-kiosk inspect --json large.rbk | head -1`.
    let mut child = bin()
        .args(["inspect", "--json", &bundle])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let out = child.wait_with_output().unwrap();

    assert_eq!(Some(first.as_str()), full.split_inclusive('\n').next());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "a closed pipe is the reader's choice, not an error: {:?} {stderr}",
        out.status
    );
    assert_eq!(stderr, "", "no panic and no error message");
}

// What a newcomer meets first: help texts, suggestions, plain words.

#[test]
fn the_top_level_help_names_every_export_format() {
    let help = ok(&["--help"]);
    let export = help
        .lines()
        .find(|l| l.trim_start().starts_with("export"))
        .unwrap();
    for format in ["CSV", "JSON", "HTML"] {
        assert!(export.contains(format), "{export}");
    }
    let help = ok(&["export", "--help"]);
    assert!(help.contains("html"), "{help}");
    assert!(help.contains("merge"), "{help}");
}

#[test]
fn inspect_names_scoring_rules_in_the_format_s_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = compiled(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["inspect", &bundle, "--json"])).unwrap();
    let dimension = |rubric: &str, id: &str| {
        let r = json["rubrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == rubric)
            .unwrap();
        let d = r["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap();
        d.clone()
    };
    assert_eq!(
        dimension("cross-team-gut-check", "reach"),
        serde_json::json!({
            "id": "reach", "title": "Reach beyond your team",
            "rule": "yes-count", "section": "main", "band-on": "value",
        })
    );
    let share = dimension("work-ledger", "enabling-share");
    assert_eq!(share["rule"], "ratio");
    assert_eq!(share["part"], "helped-others");
    assert_eq!(share["rest"], "done-myself");
    assert_eq!(share["band-on"], "percent");
    let first = json["rubrics"][0]["dimensions"][0].clone();
    assert_eq!(first["rule"], "weighted-sum", "{first}");
    // No Rust debug notation anywhere, in JSON or in words.
    let text = ok(&["inspect", &bundle]);
    for debug in ["YesCount", "WeightedSum", "Ratio {", "{ section"] {
        let raw = ok(&["inspect", &bundle, "--json"]);
        assert!(!raw.contains(debug), "JSON has {debug}");
        assert!(!text.contains(debug), "text has {debug}");
    }
    assert!(
        text.contains("dimension reach: yes answers counted in section main; banded by value"),
        "{text}"
    );
    assert!(
        text.contains("share of helped-others in helped-others + done-myself"),
        "{text}"
    );
}

#[test]
fn score_on_a_device_bundle_says_the_texts_are_left_out_and_prints_ids() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("device.rbk");
    ok(&[
        "compile",
        library().to_str().unwrap(),
        "-o",
        device.to_str().unwrap(),
        "--device",
    ]);
    let answers = dir.path().join("a.json");
    std::fs::write(&answers, GUT_CHECK_ANSWERS).unwrap();
    let text = ok(&[
        "score",
        device.to_str().unwrap(),
        "--rubric",
        "cross-team-gut-check",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert!(text.contains("texts left out"), "{text}");
    assert!(text.contains("cross-team-gut-check: beyond-team"), "{text}");
    assert!(text.contains("reach") && text.contains("50%"), "{text}");
    for line in text.lines() {
        assert!(
            !line.trim().starts_with(':') && !line.trim_end().ends_with(':'),
            "an empty label: {line:?} in\n{text}"
        );
    }
    // The full bundle still prints the texts.
    let full = compiled(dir.path());
    let text = ok(&[
        "score",
        &full,
        "--rubric",
        "cross-team-gut-check",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert!(text.starts_with("Cross-team gut check: "), "{text}");
    assert!(!text.contains("left out"), "{text}");
}

#[test]
fn score_suggests_the_nearest_rubric_id() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = compiled(dir.path());
    let answers = dir.path().join("a.json");
    std::fs::write(&answers, GUT_CHECK_ANSWERS).unwrap();
    let err = fails(&[
        "score",
        &bundle,
        "--rubric",
        "cross-team-gut-chek",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert!(
        err.contains("no rubric `cross-team-gut-chek`")
            && err.contains("did you mean `cross-team-gut-check`?"),
        "{err}"
    );
}

/// The shipped gut check as a new rubric `own-check`, compiled with `args`.
fn own_bundle(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let source = std::fs::read_to_string(library().join("30-cross-team-gut-check.toml"))
        .unwrap()
        .replacen("id = \"cross-team-gut-check\"", "id = \"own-check\"", 1);
    let toml = dir.join("own-check.toml");
    std::fs::write(&toml, source).unwrap();
    let out = dir.join(name);
    let mut all = vec![
        "compile",
        toml.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    ok(&all);
    out
}

#[test]
fn library_import_words_a_missing_local_file_and_an_untrusted_key_for_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let missing = dir.path().join("missing.rbk");
    let err = fails(&[
        "--data-dir",
        data,
        "library",
        "import",
        missing.to_str().unwrap(),
    ]);
    assert!(
        err.contains("cannot read") && err.contains("missing.rbk"),
        "{err}"
    );
    assert!(!err.contains("drive"), "a local file is not a drive: {err}");

    let key = dir.path().join("author.key");
    ok(&["keygen", "-o", key.to_str().unwrap()]);
    let signed = own_bundle(dir.path(), "own.rbk", &["--sign", key.to_str().unwrap()]);
    let signed = signed.to_str().unwrap();
    let err = fails(&["--data-dir", data, "library", "import", signed]);
    assert!(err.contains("--allow-untrusted"), "{err}");
    assert!(err.contains("keys trust"), "{err}");
    // A workshop kiosk refuses it outright, and says the same way in.
    let err = fails(&[
        "--data-dir",
        data,
        "library",
        "import",
        "--workshop",
        signed,
    ]);
    assert!(err.contains("keys trust"), "{err}");
    // Following the hint works.
    let public = format!("{}.pub", key.display());
    ok(&["--data-dir", data, "keys", "trust", &public]);
    let out = ok(&["--data-dir", data, "library", "import", signed]);
    assert!(out.contains("signed by trusted key"), "{out}");

    // An unsigned bundle has no key to trust: no such hint.
    let dir2 = tempfile::tempdir().unwrap();
    let unsigned = own_bundle(dir2.path(), "own.rbk", &[]);
    let data2 = dir2.path().join("data");
    let err = fails(&[
        "--data-dir",
        data2.to_str().unwrap(),
        "library",
        "import",
        unsigned.to_str().unwrap(),
    ]);
    assert!(
        err.contains("--allow-untrusted") && !err.contains("keys trust"),
        "{err}"
    );
}

#[test]
fn media_scan_names_each_drive_and_calls_a_known_bundle_already_in_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let drive = dir.path().join("STICK");
    std::fs::create_dir(&drive).unwrap();
    let bundle = own_bundle(&drive, "own.rbk", &[]);
    ok(&[
        "--data-dir",
        data,
        "library",
        "import",
        "--allow-untrusted",
        bundle.to_str().unwrap(),
    ]);
    let root = drive.to_str().unwrap();
    let scan = |json: bool| {
        let mut args = vec!["--data-dir", data, "media", "scan", "--no-system"];
        args.extend(["--media-root", root]);
        if json {
            args.push("--json");
        }
        ok(&args)
    };
    let text = scan(false);
    assert!(text.contains(&format!("drive STICK at {root}")), "{text}");
    assert!(text.contains("already in the library"), "{text}");
    assert!(!text.contains("rejected"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&scan(true)).unwrap();
    assert_eq!(json["drives"][0]["name"], "STICK");
    assert_eq!(
        json["drives"][0]["bundles"][0]["status"],
        "already in the library"
    );
}
