//! Session plans: the shipped plans compile against the shipped library,
//! every kind of problem in a plan source is reported at file:line:col, and
//! plan bundles give back the plan they were made from and refuse damaged,
//! foreign or tampered bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::PathBuf;

use proptest::prelude::*;
use rubrics::plan::check::{MAX_STEPS, MAX_STEP_MINUTES};
use rubrics::plan::{
    compile_plan, decode_plan, encode_plan, Audience, Plan, PlanBundleError, PlanSigner, Step,
    StepKind, SHIPPED_PLANS,
};
use rubrics::{compile, read_sources, CompileError, SecretKey, Source};

fn library_ids() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library");
    let payload = compile(&read_sources(&[dir]).unwrap()).unwrap();
    payload.rubrics.iter().map(|r| r.id.clone()).collect()
}

/// The lines of every problem of `text` against the shipped library.
fn problems(text: &str) -> Vec<String> {
    let ids = library_ids();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    match compile_plan(&Source::in_memory("plan.toml", text), &ids) {
        Ok(plan) => panic!("expected problems, got {plan:?}"),
        Err(CompileError::Diagnostics(list)) => list.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected diagnostics, got {other}"),
    }
}

/// Asserts that exactly one problem was found, at `line:col`, saying `words`.
#[track_caller]
fn one_problem(text: &str, line: usize, col: usize, words: &str) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let prefix = format!("plan.toml:{line}:{col}: error: ");
    assert!(found[0].starts_with(&prefix), "{} at {prefix}", found[0]);
    assert!(found[0].contains(words), "{} says {words}", found[0]);
}

const VALID: &str = r#"id = "mini"
title = "Mini"
audience = "engineers"
minutes = 12
summary = "A short plan."

[[step]]
kind = "take"
rubric = "want-the-work"
title = "Take it"
purpose = "Answer it."
minutes = 5

[[step]]
kind = "reveal"
rubric = "want-the-work"
title = "Show it"
purpose = "Look at it."
minutes = 2

[[step]]
kind = "discuss"
title = "Talk"
purpose = "Talk about it."
minutes = 5
prompts = ["What surprised you?"]
"#;

fn with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_valid_example_compiles() {
    let ids = library_ids();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let plan = compile_plan(&Source::in_memory("plan.toml", VALID), &ids).unwrap();
    assert_eq!(plan.minutes, 12);
    assert_eq!(plan.audience, Audience::Engineers);
    assert_eq!(plan.rubrics_taken(), ["want-the-work"]);
}

#[test]
fn shipped_plans_compile_against_the_shipped_library_and_their_minutes_add_up() {
    let ids = library_ids();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert!(SHIPPED_PLANS.len() >= 3);
    for (name, text) in SHIPPED_PLANS {
        let plan = compile_plan(&Source::in_memory(name, text), &ids)
            .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        assert_eq!(u32::from(plan.minutes), plan.steps_minutes(), "{name}");
        assert_eq!(format!("{}.toml", plan.id), *name);
        assert!(!plan.rubrics_taken().is_empty(), "{name}");
        // Long enough for a real session, short enough for one sitting.
        assert!(
            (45..=120).contains(&plan.minutes),
            "{name}: {}",
            plan.minutes
        );
    }
}

#[test]
fn every_timing_in_a_shipped_plan_says_where_it_comes_from() {
    for (name, text) in SHIPPED_PLANS {
        for (n, line) in text.lines().enumerate() {
            if line.starts_with("minutes") {
                assert!(line.contains('#'), "{name}:{}: {line}", n + 1);
            }
        }
    }
}

#[test]
fn invalid_toml_is_reported_where_it_breaks() {
    one_problem(
        &with("title = \"Mini\"", "title = Mini"),
        2,
        9,
        "not valid TOML",
    );
}

#[test]
fn an_unknown_key_is_named_with_a_suggestion() {
    let found = problems(&with("summary =", "sumary ="));
    assert_eq!(
        found,
        [
            "plan.toml:5:1: error: unknown key `sumary` in the plan\n  help: did you mean `summary`?",
            "plan.toml:1:1: error: the plan is missing `summary`",
        ]
    );
}

#[test]
fn a_key_that_belongs_to_another_kind_of_step_is_unknown_there() {
    one_problem(
        &with(
            "rubric = \"want-the-work\"\ntitle = \"Take it\"",
            "rubric = \"want-the-work\"\nprompts = []\ntitle = \"Take it\"",
        ),
        10,
        1,
        "unknown key `prompts` in a take step",
    );
}

#[test]
fn a_missing_key_is_named_at_its_table() {
    one_problem(
        &with("purpose = \"Answer it.\"\n", ""),
        7,
        1,
        "a take step is missing `purpose`",
    );
}

#[test]
fn a_wrong_type_is_named() {
    one_problem(
        &with("minutes = 5\n", "minutes = \"5\"\n"),
        12,
        11,
        "`minutes` must be a whole number",
    );
    one_problem(
        &with("prompts = [\"What surprised you?\"]", "prompts = [3]"),
        26,
        12,
        "each of `prompts` must be text",
    );
}

#[test]
fn an_unknown_audience_or_kind_gets_a_did_you_mean() {
    one_problem(
        &with("\"engineers\"", "\"enginers\""),
        3,
        12,
        "unknown audience `enginers`",
    );
    assert!(
        problems(&with("\"engineers\"", "\"enginers\""))[0].contains("did you mean `engineers`?")
    );
    one_problem(
        &with("kind = \"take\"", "kind = \"tkae\""),
        8,
        8,
        "unknown step kind `tkae`",
    );
}

#[test]
fn minutes_that_do_not_add_up_give_both_numbers() {
    let found = problems(&with("minutes = 12", "minutes = 15"));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "plan.toml:4:11: error: the plan says 15 minutes, but its steps add up to 12"
        ),
        "{}",
        found[0]
    );
    assert!(found[0].contains("set `minutes = 12`"));
}

#[test]
fn a_rubric_the_library_lacks_is_named_with_the_nearest() {
    let text = with("rubric = \"want-the-work\"", "rubric = \"want-the-wrok\"")
        .replace("rubric = \"want-the-work\"", "rubric = \"want-the-wrok\"");
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("plan.toml:9:10: error: there is no rubric with id `want-the-wrok`"),
        "{}",
        found[0]
    );
    assert!(found[0].contains("did you mean `want-the-work`?"));
}

#[test]
fn a_reveal_before_its_rubric_was_taken_is_refused() {
    let text = VALID
        .replacen("kind = \"reveal\"", "kind = \"reveal-x\"", 1)
        .replacen("kind = \"take\"", "kind = \"reveal\"", 1)
        .replacen("kind = \"reveal-x\"", "kind = \"take\"", 1);
    one_problem(
        &text,
        7,
        1,
        "reveals `want-the-work`, but no step before it has people take it",
    );
}

#[test]
fn a_bad_plan_id_is_refused() {
    one_problem(
        &with("id = \"mini\"", "id = \"Mini Plan\""),
        1,
        6,
        "`Mini Plan` is not a usable id",
    );
}

#[test]
fn empty_titles_and_purposes_are_refused() {
    one_problem(
        &with("title = \"Mini\"", "title = \"  \""),
        2,
        9,
        "`title` is empty",
    );
    one_problem(
        &with("purpose = \"Look at it.\"", "purpose = \"\""),
        18,
        11,
        "`purpose` is empty",
    );
}

#[test]
fn texts_over_their_limit_are_refused() {
    let long = "word ".repeat(100);
    one_problem(
        &with(
            "purpose = \"Look at it.\"",
            &format!("purpose = \"{long}\""),
        ),
        18,
        11,
        "more than the 400 allowed",
    );
}

#[test]
fn a_step_too_long_or_of_no_minutes_is_refused() {
    let text =
        with("minutes = 12", "minutes = 307").replacen("minutes = 5\n", "minutes = 300\n", 1);
    one_problem(
        &text,
        12,
        11,
        &format!("longer than the {MAX_STEP_MINUTES} allowed"),
    );
    let text = with("minutes = 12", "minutes = 7").replacen("minutes = 5\n", "minutes = 0\n", 1);
    one_problem(&text, 12, 11, "only a reveal may take none");
}

#[test]
fn too_many_steps_are_refused() {
    let mut text = with("minutes = 12", &format!("minutes = {}", 12 + 5 * MAX_STEPS));
    for _ in 0..MAX_STEPS {
        text.push_str(
            "\n[[step]]\nkind = \"break\"\ntitle = \"Break\"\npurpose = \"Rest.\"\nminutes = 5\n",
        );
    }
    one_problem(&text, 1, 1, &format!("more than the {MAX_STEPS} allowed"));
}

#[test]
fn a_discussion_with_nothing_to_discuss_is_refused() {
    one_problem(
        &with("prompts = [\"What surprised you?\"]\n", ""),
        21,
        1,
        "needs a `rubric`",
    );
    let many = ["\"Why?\""; 9].join(", ");
    one_problem(
        &with("[\"What surprised you?\"]", &format!("[{many}]")),
        21,
        1,
        "9 prompts",
    );
}

#[test]
fn several_problems_are_reported_in_one_run() {
    let text = with("audience = \"engineers\"", "audience = \"everyone\"")
        .replace("purpose = \"Answer it.\"", "purpos = \"Answer it.\"");
    assert_eq!(problems(&text).len(), 3, "{:#?}", problems(&text));
}

fn sample_plan() -> Plan {
    let ids = library_ids();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    compile_plan(&Source::in_memory("plan.toml", VALID), &ids).unwrap()
}

#[test]
fn a_signed_plan_bundle_names_its_trusted_signer_and_an_unknown_one_by_id() {
    let key = SecretKey::from_seed([7; 32]);
    let plan = sample_plan();
    let bytes = encode_plan(&plan, Some(&key)).unwrap();
    assert_eq!(&bytes[..4], b"RKPL");
    let decoded = decode_plan(&bytes, &[key.public()]).unwrap();
    assert_eq!(decoded.plan, plan);
    assert_eq!(decoded.signer, PlanSigner::Trusted(key.public()));
    let other = SecretKey::from_seed([8; 32]);
    let decoded = decode_plan(&bytes, &[other.public()]).unwrap();
    assert_eq!(decoded.signer, PlanSigner::Unknown(key.key_id()));
    let unsigned = encode_plan(&plan, None).unwrap();
    assert_eq!(
        decode_plan(&unsigned, &[]).unwrap().signer,
        PlanSigner::Unsigned
    );
}

#[test]
fn damaged_foreign_and_tampered_plan_bundles_are_refused_by_name() {
    let key = SecretKey::from_seed([7; 32]);
    let bytes = encode_plan(&sample_plan(), Some(&key)).unwrap();
    let trusted = [key.public()];
    let refuse = |b: &[u8]| decode_plan(b, &trusted).unwrap_err();
    assert_eq!(refuse(&bytes[..5]), PlanBundleError::Truncated);
    assert_eq!(
        refuse(&bytes[..bytes.len() - 1]),
        PlanBundleError::Truncated
    );
    assert_eq!(
        refuse(b"RKB\x05 a rubric bundle"),
        PlanBundleError::BadMagic
    );
    let mut v = bytes.clone();
    v[4] = 2;
    assert_eq!(refuse(&v), PlanBundleError::UnsupportedVersion(2));
    let mut v = bytes.clone();
    v[5] = 3;
    assert_eq!(refuse(&v), PlanBundleError::UnknownFlags(3));
    let mut v = bytes.clone();
    v[20] ^= 1;
    assert_eq!(refuse(&v), PlanBundleError::ChecksumMismatch);
    let mut v = bytes.clone();
    v.push(0);
    assert_eq!(refuse(&v), PlanBundleError::TrailingBytes(1));
    let mut v = bytes.clone();
    let last = v.len() - 1;
    v[last] ^= 1;
    assert_eq!(refuse(&v), PlanBundleError::BadSignature);
    let huge = vec![0; rubrics::plan::bundle::MAX_PLAN_BUNDLE_BYTES + 1];
    assert!(matches!(refuse(&huge), PlanBundleError::TooLarge { .. }));
    // A length that points past the end is refused before anything is read.
    let mut v = bytes.clone();
    v[6..10].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(refuse(&v), PlanBundleError::Truncated);
}

#[test]
fn a_bundle_of_a_plan_that_breaks_the_rules_is_refused() {
    let mut plan = sample_plan();
    plan.minutes = 99;
    let bytes = encode_plan(&plan, None).unwrap();
    match decode_plan(&bytes, &[]) {
        Err(PlanBundleError::Invalid(problems)) => assert_eq!(problems.len(), 1),
        other => panic!("{other:?}"),
    }
}

fn id() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,48}"
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-zé0-9 ,.?<>&\"']{{0,{max}}}"))
        .unwrap()
        .prop_map(|s| format!("x{s}"))
        .prop_filter("within its limit", move |s| s.len() <= max)
}

fn kind() -> impl Strategy<Value = StepKind> {
    prop_oneof![
        id().prop_map(|rubric| StepKind::Take { rubric }),
        (
            proptest::option::of(id()),
            proptest::collection::vec(text(300), 1..4)
        )
            .prop_map(|(rubric, prompts)| StepKind::Discuss { rubric, prompts }),
        Just(StepKind::Break),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    let step = (text(80), text(400), 1..=MAX_STEP_MINUTES, kind()).prop_map(
        |(title, purpose, minutes, kind)| Step {
            title,
            purpose,
            minutes,
            kind,
        },
    );
    let audience = prop_oneof![
        Just(Audience::Engineers),
        Just(Audience::Managers),
        Just(Audience::Leaders),
        Just(Audience::Mixed),
    ];
    (
        id(),
        text(120),
        audience,
        text(800),
        proptest::collection::vec(step, 1..12),
    )
        .prop_map(|(id, title, audience, summary, mut steps)| {
            // A reveal after each take, so every kind of step is generated.
            if let Some(rubric) = steps.iter().find_map(|s| match &s.kind {
                StepKind::Take { rubric } => Some(rubric.clone()),
                _ => None,
            }) {
                steps.push(Step {
                    title: "Reveal".into(),
                    purpose: "Look.".into(),
                    minutes: 0,
                    kind: StepKind::Reveal { rubric },
                });
            }
            let mut plan = Plan {
                id,
                title,
                audience,
                minutes: 0,
                summary,
                steps,
            };
            plan.minutes = plan.steps_minutes() as u16;
            plan
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_plan_comes_back_from_its_bundle_unchanged(plan in plan(), seed in any::<[u8; 32]>(), signed in any::<bool>()) {
        let key = SecretKey::from_seed(seed);
        let bytes = encode_plan(&plan, signed.then_some(&key)).unwrap();
        let decoded = decode_plan(&bytes, &[key.public()]).unwrap();
        prop_assert_eq!(&decoded.plan, &plan);
        let signer = if signed { PlanSigner::Trusted(key.public()) } else { PlanSigner::Unsigned };
        prop_assert_eq!(decoded.signer, signer);
        // The same plan and key give the same bytes.
        prop_assert_eq!(encode_plan(&plan, signed.then_some(&key)).unwrap(), bytes);
    }
}

#[test]
fn the_example_in_format_md_compiles() {
    let doc = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("FORMAT.md"))
        .unwrap();
    let start = doc.find("## Session plans").expect("section exists");
    let block = &doc[start..];
    let code = &block[block.find("```toml\n").unwrap() + 8..];
    let code = &code[..code.find("```").unwrap()];
    let ids = library_ids();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let plan =
        compile_plan(&Source::in_memory("FORMAT.md", code), &ids).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.steps.len(), 3);
    assert_eq!(plan.minutes, 17);
}

#[test]
fn an_empty_or_overlong_prompt_is_refused_at_the_prompt() {
    one_problem(
        &with(
            "[\"What surprised you?\"]",
            "[\"What surprised you?\", \" \"]",
        ),
        26,
        35,
        "`prompt` is empty",
    );
    let long = "why ".repeat(80);
    one_problem(
        &with("[\"What surprised you?\"]", &format!("[\"{long}\"]")),
        26,
        12,
        // 80 times "why ", its trailing space trimmed as every text is.
        "`prompt` is 319 bytes long, more than the 300 allowed",
    );
}
