//! What the compiler accepts and refuses, where its errors point, and what
//! the bundle, the inspect JSON, the result report and the key files hold:
//! behaviour that `cargo mutants` found no test for (tests/MUTANTS.md).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use rubric_engine::model::Horizon;
use rubric_engine::Bundle;
use rubrics::describe::rubric_json;
use rubrics::keys::{public_path, read_public};
use rubrics::report::{report, When};
use rubrics::{bundle_bytes, compile, read_sources, CompileError, Diagnostic, SecretKey, Source};
use serde_json::json;

/// Two yes-no items, one yes-count dimension in two bands, one section.
const VALID: &str = r#"id = "mini"
title = "Mini"
summary = "A small rubric"
category = "self-assessment"

[[item]]
id = "a"
kind = "yes-no"
prompt = "A?"

[[item]]
id = "b"
kind = "yes-no"
prompt = "B?"

[[dimension]]
id = "yes"
title = "Yes answers"
rule = "yes-count"

[[band]]
id = "low"
dimension = "yes"
range = [0, 0]
label = "None"

[[band]]
id = "high"
dimension = "yes"
range = [1, 2]
label = "Some"

[verdict]
dimension = "yes"
"#;

/// A fit rubric: one choice, two outcomes, each with a band.
const FIT: &str = r#"id = "fit"
title = "Fit"
summary = "Which shape fits"
category = "archetype-fit"

[[item]]
id = "pick"
kind = "single"
prompt = "Pick one"

[[item.option]]
id = "x"
label = "Build it"
weights = { builder = 2 }

[[item.option]]
id = "y"
label = "Fix it"
weights = { fixer = 2 }

[[outcome]]
id = "builder"
title = "Builder"
description = "Builds new things."

[[outcome]]
id = "fixer"
title = "Fixer"
description = "Fixes what is broken."

[[band]]
id = "builder-band"
outcome = "builder"
label = "Builder"
explanation = "More about building."
actions = { now = "Start a prototype", week = ["Plan the week", "Ask a peer"] }

[[band]]
id = "fixer-band"
outcome = "fixer"
label = "Fixer"

[verdict]
top-outcome = true
"#;

fn source(text: &str) -> Source {
    Source::in_memory("t.toml", text)
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match compile(&[source(text)]) {
        Ok(_) => Vec::new(),
        Err(CompileError::Diagnostics(d)) => d,
        Err(e) => panic!("unexpected error {e}"),
    }
}

/// The compiled bundle with its texts expanded back in, as a host loads it.
fn compiles(text: &str) -> Vec<u8> {
    match compile(&[source(text)]) {
        Ok(payload) => {
            rubric_engine::codec::expand_bundle(&bundle_bytes(&payload, None).unwrap()).unwrap()
        }
        Err(e) => panic!("expected {text} to compile:\n{e}"),
    }
}

/// The 1-based line of the first `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    text[..at].matches('\n').count() + 1
}

/// Asserts one error is on `line` and its message contains `needle`.
fn error_on(d: &[Diagnostic], line: usize, needle: &str) {
    assert!(
        d.iter()
            .any(|x| x.line == line && x.message.contains(needle)),
        "no error on line {line} containing {needle:?}; got:\n{}",
        d.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn messages(d: &[Diagnostic]) -> String {
    d.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

// Where an error found by the engine's validation points, and what it names.

#[test]
fn an_empty_caveat_is_refused_on_its_own_line() {
    let text = format!("{VALID}\n[caveats]\nother = \"Read this\"\nsmall-company = \" \"\n");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(&d, line_of(&text, "small-company ="), "empty");
}

#[test]
fn an_empty_section_title_points_at_the_section_and_names_it() {
    let text = VALID.replace(
        "\n[[item]]\nid = \"a\"",
        "\n[[section]]\nid = \"main\"\ntitle = \"\"\n\n[[item]]\nid = \"a\"",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(&d, line_of(&text, "[[section]]"), "section `main`: ");
}

#[test]
fn an_empty_prompt_points_at_its_item_and_names_it() {
    let text = VALID.replace("prompt = \"B?\"", "prompt = \"\"");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(&d, line_of(&text, "[[item]]\nid = \"b\""), "item `b`: ");
}

#[test]
fn an_empty_option_label_points_at_the_option_and_names_it_and_its_item() {
    let text = FIT.replace("label = \"Fix it\"", "label = \"\"");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(
        &d,
        line_of(&text, "[[item.option]]\nid = \"y\""),
        "option `y` of item `pick`: ",
    );
}

#[test]
fn an_empty_dimension_title_points_at_the_dimension_and_names_it() {
    let text = VALID.replace("title = \"Yes answers\"", "title = \"\"");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(&d, line_of(&text, "[[dimension]]"), "dimension `yes`: ");
}

#[test]
fn an_empty_outcome_title_points_at_the_outcome_and_names_it() {
    let text = FIT.replace("title = \"Fixer\"", "title = \"\"");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(
        &d,
        line_of(&text, "[[outcome]]\nid = \"fixer\""),
        "outcome `fixer`: ",
    );
}

/// VALID with a second banded dimension and a grid verdict over both.
fn grid(cells: &str) -> String {
    VALID.replace(
        "[verdict]\ndimension = \"yes\"",
        &format!(
            "[[dimension]]\nid = \"also\"\ntitle = \"Also\"\nrule = \"yes-count\"\n\n\
             [[band]]\nid = \"also-all\"\ndimension = \"also\"\nrange = [0, 2]\nlabel = \"All\"\n\n\
             [[band]]\nid = \"v\"\nlabel = \"V\"\n\n\
             [verdict]\nfirst = \"yes\"\nsecond = \"also\"\n{cells}"
        ),
    )
}

#[test]
fn a_grid_cell_whose_verdict_is_not_a_verdict_band_points_at_that_cell() {
    let text = grid(
        "[[verdict.cell]]\nfirst = \"low\"\nsecond = \"also-all\"\nverdict = \"v\"\n\n\
         [[verdict.cell]]\nfirst = \"high\"\nsecond = \"also-all\"\nverdict = \"low\"\n",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    let cell = line_of(&text, "[[verdict.cell]]\nfirst = \"high\"");
    error_on(&d, cell, "verdict cell 2: ");
    assert!(!d[0].message.contains("floor"), "{}", d[0]);
}

#[test]
fn a_grid_of_one_dimension_with_itself_is_refused_at_the_verdict() {
    let text = grid("[[verdict.cell]]\nfirst = \"low\"\nsecond = \"low\"\nverdict = \"v\"\n")
        .replace("second = \"also\"", "second = \"yes\"");
    let d = errors(&text);
    assert!(!d.is_empty());
    error_on(&d, line_of(&text, "[verdict]"), "[verdict]: ");
}

#[test]
fn a_gap_in_the_second_dimension_names_that_dimensions_bands() {
    let text = grid("").replace("range = [0, 2]", "range = [0, 0]").replace(
        "[[band]]\nid = \"v\"",
        "[[band]]\nid = \"also-two\"\ndimension = \"also\"\nrange = [2, 2]\nlabel = \"Two\"\n\n[[band]]\nid = \"v\"",
    );
    let d = errors(&text);
    error_on(
        &d,
        line_of(&text, "[[band]]\nid = \"also-two\""),
        "band `also-all` ends at 0 but `also-two` starts at 2: score 1 has no band",
    );
}

#[test]
fn a_gap_at_the_top_names_the_band_that_ends_below_it() {
    let text = VALID.replace("range = [1, 2]", "range = [1, 1]");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    assert!(
        d[0].message.contains(
            "band `high` ends at 1 but the highest possible score is 2: score 2 has no band"
        ),
        "{}",
        d[0]
    );
}

#[test]
fn a_gap_at_zero_names_the_band_that_starts_above_it() {
    let text = VALID.replace(
        "[[band]]\nid = \"low\"\ndimension = \"yes\"\nrange = [0, 0]\nlabel = \"None\"\n\n",
        "",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    assert!(
        d[0].message
            .contains("band `high` starts at 1: score 0 has no band"),
        "{}",
        d[0]
    );
}

#[test]
fn an_overlap_names_both_bands_wherever_they_stand() {
    let text = VALID.replace(
        "range = [1, 2]\nlabel = \"Some\"",
        "range = [1, 1]\nlabel = \"One\"\n\n[[band]]\nid = \"top\"\ndimension = \"yes\"\nrange = [1, 2]\nlabel = \"Some\"",
    );
    let d = errors(&text);
    error_on(
        &d,
        line_of(&text, "[[band]]\nid = \"top\""),
        "band `high` and band `top` both cover 1-1",
    );
}

#[test]
fn the_compile_error_lists_every_diagnostic_and_counts_them() {
    let text = VALID
        .replace("prompt = \"A?\"", "promt = \"A?\"")
        .replace("range = [0, 0]", "range = [0]");
    let err = compile(&[source(&text)]).unwrap_err();
    let CompileError::Diagnostics(d) = &err else {
        panic!("expected diagnostics, got {err:?}");
    };
    let shown = err.to_string();
    for diagnostic in d {
        assert!(shown.contains(&diagnostic.to_string()), "{shown}");
    }
    assert!(shown.ends_with(&format!("{} error(s)", d.len())), "{shown}");
}

#[test]
fn a_folder_gives_its_toml_files_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mini.toml"), VALID).unwrap();
    std::fs::write(dir.path().join("notes.md"), "# not a rubric\n").unwrap();
    let sources = read_sources(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(sources.len(), 1);
    assert!(sources[0].path.ends_with("mini.toml"));
}

// What the parser accepts and refuses.

/// VALID with two sections, each item in one of them.
fn two_sections(item_b_section: &str, dimension_section: &str) -> String {
    VALID
        .replace(
            "\n[[item]]\nid = \"a\"",
            "\n[[section]]\nid = \"one\"\ntitle = \"One\"\n\n[[section]]\nid = \"two\"\ntitle = \"Two\"\n\n[[item]]\nid = \"a\"\nsection = \"one\"",
        )
        .replace("id = \"b\"", &format!("id = \"b\"{item_b_section}"))
        .replace(
            "rule = \"yes-count\"",
            &format!("rule = \"yes-count\"{dimension_section}"),
        )
}

#[test]
fn with_several_sections_an_item_must_name_its_section() {
    let text = two_sections("\nsection = \"one\"", "\nsection = \"one\"");
    compiles(&text);
    let text = two_sections("", "\nsection = \"one\"");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(
        &d,
        line_of(&text, "[[item]]\nid = \"b\""),
        "missing `section`",
    );
}

#[test]
fn with_several_sections_a_yes_count_must_name_its_section() {
    let text = two_sections("\nsection = \"one\"", "");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(&d, line_of(&text, "[[dimension]]"), "missing `section`");
}

#[test]
fn keys_of_another_kind_of_item_are_refused() {
    let text = VALID.replace(
        "prompt = \"A?\"",
        "prompt = \"A?\"\nlevels = [\"x\", \"y\"]",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(
        &d,
        line_of(&text, "levels ="),
        "`levels` does not apply to a yes-no item",
    );
}

#[test]
fn weights_on_a_choice_item_are_reported_once_and_not_read() {
    let text = FIT.replace(
        "prompt = \"Pick one\"",
        "prompt = \"Pick one\"\nweights = { nobody = 1 }",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(
        &d,
        line_of(&text, "weights = { nobody"),
        "`weights` does not apply to a choice item",
    );
}

/// VALID with item `a` a scale of `levels`, weighing on a dimension of its own.
fn scale(levels: &str) -> String {
    VALID
        .replace(
            "kind = \"yes-no\"\nprompt = \"A?\"",
            &format!(
                "kind = \"scale\"\nprompt = \"A?\"\nlevels = {levels}\nweights = {{ level = 1 }}"
            ),
        )
        .replace("range = [1, 2]", "range = [1, 1]")
        .replace(
            "[verdict]",
            "[[dimension]]\nid = \"level\"\ntitle = \"Level\"\n\n\
             [[band]]\nid = \"any\"\ndimension = \"level\"\nrange = [0, 100]\nlabel = \"Any\"\n\n[verdict]",
        )
}

#[test]
fn a_scale_of_two_levels_compiles_and_of_one_level_is_refused() {
    compiles(&scale("[\"rarely\", \"often\"]"));
    let text = scale("[\"only\"]");
    let d = errors(&text);
    error_on(
        &d,
        line_of(&text, "levels ="),
        "a scale needs at least 2 levels",
    );
}

#[test]
fn a_verdict_with_a_dimension_and_a_grid_key_is_refused() {
    let text = VALID.replace(
        "[verdict]\ndimension = \"yes\"",
        "[verdict]\ndimension = \"yes\"\nfirst = \"yes\"",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{}", messages(&d));
    error_on(
        &d,
        line_of(&text, "[verdict]"),
        "needs exactly one way to choose the verdict",
    );
}

#[test]
fn an_unknown_reference_with_no_near_id_lists_the_known_ids() {
    let text = VALID.replace(
        "[verdict]\ndimension = \"yes\"",
        "[verdict]\ndimension = \"zzzzzz\"",
    );
    let d = errors(&text);
    let unknown = d
        .iter()
        .find(|x| x.message.contains("there is no dimension with id `zzzzzz`"))
        .unwrap_or_else(|| panic!("{}", messages(&d)));
    assert_eq!(unknown.help.as_deref(), Some("known dimension ids: yes"));
}

// What the bundle holds.

#[test]
fn caveats_and_lists_of_actions_reach_the_bundle() {
    let text = FIT.replace(
        "\n[[item]]",
        "\n[caveats]\nsmall-company = \"Small places differ.\"\nother = \"Read slowly.\"\n\n[[item]]",
    );
    let bytes = compiles(&text);
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("fit").unwrap();
    let caveats: Vec<&str> = rubric.caveats.iter().map(|c| c.text).collect();
    assert_eq!(caveats, ["Small places differ.", "Read slowly."]);
    let band = rubric.band(0).unwrap();
    let actions: Vec<(Horizon, &str)> = band.actions.iter().map(|a| (a.horizon, a.text)).collect();
    assert_eq!(
        actions,
        [
            (Horizon::Now, "Start a prototype"),
            (Horizon::Week, "Plan the week"),
            (Horizon::Week, "Ask a peer"),
        ]
    );
}

#[test]
fn inspect_json_describes_items_bands_actions_and_the_verdict() {
    let bytes = compiles(&scale("[\"rarely\", \"often\"]"));
    let bundle = Bundle::decode(&bytes).unwrap();
    let described = rubric_json(&bundle.rubric("mini").unwrap());
    assert_eq!(described["id"], "mini");
    assert_eq!(
        described["items"][0],
        json!({
            "id": "a", "kind": "scale", "min": 1, "max": 2, "reverse": false,
            "levels": ["rarely", "often"], "prompt": "A?", "required": true,
            "conditional": false,
        })
    );
    assert_eq!(described["items"][1]["kind"], "yes-no");
    assert_eq!(described["bands"][1]["range"], json!([1, 1]));
    assert_eq!(described["bands"][1]["dimension"], "yes");
    assert_eq!(described["verdict"], json!({ "dimension": "yes" }));

    let bytes = compiles(FIT);
    let bundle = Bundle::decode(&bytes).unwrap();
    let described = rubric_json(&bundle.rubric("fit").unwrap());
    assert_eq!(
        described["items"][0]["options"],
        json!([{ "id": "x", "label": "Build it" }, { "id": "y", "label": "Fix it" }])
    );
    assert_eq!(
        described["bands"][0]["actions"],
        json!([
            { "when": "now", "text": "Start a prototype" },
            { "when": "week", "text": "Plan the week" },
            { "when": "week", "text": "Ask a peer" },
        ])
    );
    assert_eq!(described["bands"][0]["outcome"], "builder");
    assert_eq!(described["verdict"], json!({ "top-outcome": true }));
}

// What the result report says.

#[test]
fn an_outcome_verdict_adds_its_bands_explanation_only_when_there_is_one() {
    let bytes = compiles(FIT);
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("fit").unwrap();
    let result_for = |pick: &str| {
        let set = rubrics::answers::from_json(&rubric, &json!({ "pick": pick })).unwrap();
        report(&rubric, &rubric_engine::score(&rubric, &set.answers))
    };
    let builder = result_for("x");
    assert_eq!(builder.verdict.as_deref(), Some("builder"));
    assert_eq!(
        builder.verdict_explanation.as_deref(),
        Some("Builds new things.\n\nMore about building.")
    );
    assert_eq!(builder.actions[0].when, When::Now);
    let fixer = result_for("y");
    assert_eq!(fixer.verdict.as_deref(), Some("fixer"));
    assert_eq!(
        fixer.verdict_explanation.as_deref(),
        Some("Fixes what is broken.")
    );
}

#[test]
fn each_horizon_has_its_word_and_its_heading() {
    let all = [
        (Horizon::Now, "now", "Now"),
        (Horizon::Week, "week", "This week"),
        (Horizon::Month, "month", "This month"),
        (Horizon::Quarter, "quarter", "This quarter"),
    ];
    for (horizon, word, heading) in all {
        let when = When::from_horizon(horizon);
        assert_eq!(when.name(), word);
        assert_eq!(when.to_string(), word);
        assert_eq!(when.label(), heading);
    }
}

// Signing and key files.

#[test]
fn a_signed_bundle_names_its_key_and_verifies_only_with_it() {
    let payload = compile(&[source(VALID)]).unwrap();
    let key = SecretKey::from_seed([7; 32]);
    let bytes = bundle_bytes(&payload, Some(&key)).unwrap();
    let bundle = Bundle::decode_trusted(&bytes, &[key.public()]).unwrap();
    let signature = bundle.signature().unwrap();
    assert_eq!(signature.key_id, key.public().key_id());
    assert_eq!(key.key_id(), key.public().key_id());
    let other = SecretKey::from_seed([8; 32]);
    assert!(Bundle::decode_trusted(&bytes, &[other.public()]).is_err());
}

#[test]
fn a_secret_key_shows_its_id_and_never_its_seed() {
    let key = SecretKey::from_seed([0xab; 32]);
    let shown = format!("{key:?}");
    assert_eq!(
        shown,
        format!("SecretKey({})", rubrics::keys::hex(&key.key_id()))
    );
    assert!(!shown.contains("abab"), "{shown}");
}

#[test]
fn a_key_file_with_too_few_or_non_ascii_digits_is_refused_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::from_seed([3; 32]);
    let path = dir.path().join("k");
    key.write(&path).unwrap();
    let public = std::fs::read_to_string(public_path(&path)).unwrap();
    let (header, digits) = public.split_once('\n').unwrap();
    for body in [
        digits.trim()[..62].to_string(),
        digits.trim()[..4].to_string(),
        "é".repeat(32),
    ] {
        std::fs::write(public_path(&path), format!("{header}\n{body}\n")).unwrap();
        let err = read_public(&public_path(&path)).unwrap_err().to_string();
        assert!(err.contains("64 hex digits"), "{err}");
    }
}
