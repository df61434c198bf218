//! The TOML key of format version 4: `fallback` on a top-outcome verdict,
//! with the exact diagnostics its mistakes get.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::{compiled, errors};
use rubric_engine::codec::Prose;
use rubric_engine::owned::VerdictRule;
use rubrics::{compile, Source};

const FIT: &str = r#"
id = "fit"
title = "Fit"
summary = "Which fits"
category = "archetype-fit"

[[outcome]]
id = "lead"
title = "Lead"

[[outcome]]
id = "none"
title = "No clear fit"

[[item]]
id = "q"
kind = "single"
prompt = "Q?"

[[item.option]]
id = "l"
label = "L"
weights = { lead = 1 }

[[item.option]]
id = "n"
label = "N"
weights = { none = 1 }

[verdict]
top-outcome = true
fallback = "none"
"#;

#[test]
fn a_fallback_compiles_to_a_top_outcome_rule_with_it_and_a_version_4_bundle() {
    let rubric = compiled(FIT).unwrap();
    assert_eq!(
        rubric.verdict_rule,
        VerdictRule::TopOutcomeWithFallback { fallback: 1 }
    );
    // A bundle with texts is version 5 either way; the device bundle (no
    // texts) keeps the older numbering, so older firmware reads it.
    let device = |payload| rubrics::encode_bundle(payload, Prose::Omitted, None).unwrap();
    let payload = compile(&[Source::in_memory("fit.toml", FIT)]).unwrap();
    let full = rubrics::bundle_bytes(&payload, None).unwrap();
    assert_eq!(u16::from_le_bytes([full[4], full[5]]), 5);
    let bytes = device(&payload);
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 4);
    // Without a fallback the same rubric is still written as version 3.
    let plain = FIT.replace("fallback = \"none\"\n", "");
    let payload = compile(&[Source::in_memory("fit.toml", &plain)]).unwrap();
    let bytes = device(&payload);
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 3);
}

#[test]
fn a_fallback_names_a_known_outcome() {
    let d = errors(&FIT.replace("fallback = \"none\"", "fallback = \"nnone\""));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with("32:12 there is no outcome with id `nnone`"),
        "{d:?}"
    );
}

#[test]
fn a_fallback_needs_a_top_outcome_verdict() {
    let d = errors(&FIT.replace("top-outcome = true\n", ""));
    assert!(
        d.iter()
            .any(|e| e.contains("needs exactly one way to choose the verdict")),
        "{d:?}"
    );
    assert!(
        d.iter().any(
            |e| e == "31:12 a `fallback` outcome applies only to `top-outcome = true` verdicts"
        ),
        "{d:?}"
    );
}

#[test]
fn a_fallback_needs_another_outcome_to_give_way_to() {
    let alone = FIT
        .replace("[[outcome]]\nid = \"lead\"\ntitle = \"Lead\"\n\n", "")
        .replace("weights = { lead = 1 }", "weights = { none = 1 }");
    let d = errors(&alone);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].contains("a fallback outcome needs at least one other outcome to give way to"),
        "{d:?}"
    );
}
