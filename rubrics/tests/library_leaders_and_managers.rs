//! The four rubrics of issue 22's first part: what a company has built for
//! staff engineers and how promotions are decided (essay 003), and the
//! manager-side counterparts of staff-readiness and staff-archetype. Each
//! verdict follows its essay's rule over every answer set (or, for
//! readiness, a large deterministic sample), and each counterpart scores
//! exactly as the rubric it mirrors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::PathBuf;
use std::sync::OnceLock;

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::{Answer, Answers, Bundle};
use serde_json::{json, Value};

fn library() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library")
}

/// The shipped library compiled with its texts (as the kiosk loads it) or
/// without them (as a scoring device reads it), decoded once each.
fn bundle(texts: bool) -> Bundle<'static> {
    static FULL: OnceLock<Vec<u8>> = OnceLock::new();
    static DEVICE: OnceLock<Vec<u8>> = OnceLock::new();
    let compile = |prose| {
        let sources = rubrics::read_sources(&[library()]).unwrap();
        let payload = match rubrics::compile(&sources) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        rubrics::encode_bundle(&payload, prose, None).unwrap()
    };
    let bytes = if texts {
        FULL.get_or_init(|| {
            let bytes = compile(rubric_engine::codec::Prose::Included);
            rubric_engine::codec::expand_bundle(&bytes).unwrap()
        })
    } else {
        DEVICE.get_or_init(|| compile(rubric_engine::codec::Prose::Omitted))
    };
    Bundle::decode(bytes).unwrap()
}

fn rubric(id: &str) -> Rubric<'static> {
    bundle(true)
        .rubric(id)
        .unwrap_or_else(|| panic!("library lacks {id}"))
}

/// A rubric without its texts: ids, numbers and references only.
fn structure(id: &str) -> Rubric<'static> {
    bundle(false)
        .rubric(id)
        .unwrap_or_else(|| panic!("library lacks {id}"))
}

/// The report of a complete set of answers (JSON keyed by item id).
fn report(rubric: &Rubric<'static>, answers: &Value) -> rubrics::report::ResultReport {
    let set = rubrics::answers::from_json(rubric, answers).unwrap();
    let result = rubric_engine::score(rubric, &set.answers);
    assert!(
        result.complete,
        "{}: incomplete answers {answers}",
        rubric.id
    );
    rubrics::report::report(rubric, &result)
}

/// Yes/no answers for the given items: bit `i` of `mask` answers item `i`.
fn yes_no_answers(ids: &[&str], mask: usize) -> Value {
    Value::Object(
        ids.iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), json!(mask >> i & 1 == 1)))
            .collect(),
    )
}

// ------------------------------------------------------------- company-built

const FIVE_THINGS: [&str; 5] = [
    "staff-work",
    "decision-rights",
    "reviews",
    "openings",
    "air-cover",
];

/// Essay 003, part 2: a leader who wants staff engineers needs all five in
/// place, and without funded staff-scoped work there is no staff job at
/// all, whatever else is in place. Over all 32 answer sets, with each of the
/// five marked missing or in place as answered.
#[test]
fn company_built_needs_all_five_and_funded_work_comes_first() {
    let r = rubric("company-built");
    let yes_no: Vec<&str> = r
        .items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::YesNo { .. }))
        .map(|i| i.id)
        .collect();
    assert_eq!(yes_no, FIVE_THINGS);
    for mask in 0..1usize << FIVE_THINGS.len() {
        let shown = report(&r, &yes_no_answers(&FIVE_THINGS, mask));
        let want = if mask & 1 == 0 {
            "no-staff-work"
        } else if mask.count_ones() == 5 {
            "all-five"
        } else {
            "some-missing"
        };
        assert_eq!(shown.verdict.as_deref(), Some(want), "{mask:05b}");
        for (i, thing) in FIVE_THINGS.iter().enumerate() {
            let band = shown
                .dimensions
                .iter()
                .find(|d| d.id == *thing)
                .and_then(|d| d.band.clone())
                .unwrap();
            let place = if mask >> i & 1 == 1 {
                "there"
            } else {
                "missing"
            };
            assert_eq!(band, format!("{thing}-{place}"), "{mask:05b}");
        }
    }
}

#[test]
fn company_built_says_what_missing_air_cover_means() {
    // Essay 003: without protected cross-team time, the company wants seniors
    // doing extra work for free, not staff engineers.
    let r = rubric("company-built");
    let no_cover = report(&r, &yes_no_answers(&FIVE_THINGS, 0b01111));
    assert_eq!(no_cover.verdict.as_deref(), Some("some-missing"));
    let cover = r
        .bands
        .iter()
        .find(|b| b.id == "air-cover-missing")
        .unwrap();
    assert!(
        cover.explanation.contains("unpaid"),
        "{}",
        cover.explanation
    );
    assert!(no_cover.verdict_explanation.unwrap().contains("air cover"));
}

// ------------------------------------------------------- promotion-mechanics

const PROMOTION_STEPS: [&str; 5] = ["packet", "advocate", "objections", "visibility", "timing"];

/// Essay 003, "How staff promotions actually work": the packet, who carries
/// it and with what standing, the objections rehearsed, visibility to the
/// people who decide, the timing. The next step is the first not done; a
/// later one answered yes after a gap is not asked and does not count. Over
/// all 32 answer sets.
#[test]
fn promotion_mechanics_names_the_first_step_not_done() {
    let r = rubric("promotion-mechanics");
    let next = [
        "step-packet",
        "step-advocate",
        "step-objections",
        "step-visibility",
        "step-timing",
        "set-up",
    ];
    for mask in 0..1usize << PROMOTION_STEPS.len() {
        let done = (!mask).trailing_zeros() as usize;
        let shown = report(&r, &yes_no_answers(&PROMOTION_STEPS, mask));
        assert_eq!(shown.verdict.as_deref(), Some(next[done]), "{mask:05b}");
        // Only the steps up to the first gap are asked.
        assert_eq!(
            usize::from(shown.visible),
            (done + 1).min(PROMOTION_STEPS.len()),
            "{mask:05b}"
        );
        assert!(!shown.actions.is_empty(), "{mask:05b}: a next step");
    }
}

// ------------------------------------------------------------- counterparts

/// The parts of a rubric a counterpart must share, compared without texts:
/// items (ids, kinds, levels, conditions, weights), sections, dimensions
/// (ids, rules), outcomes, bands (ids, ranges, what they belong to) and the
/// verdict rule (with its floor).
fn assert_counterpart(engineer: &str, manager: &str) {
    let (a, b) = (structure(engineer), structure(manager));
    assert_eq!(a.items, b.items, "{manager}: items of {engineer}");
    assert_eq!(a.sections, b.sections, "{manager}: sections");
    assert_eq!(a.dimensions, b.dimensions, "{manager}: dimensions");
    assert_eq!(a.outcomes, b.outcomes, "{manager}: outcomes");
    assert_eq!(a.bands, b.bands, "{manager}: bands");
    assert_eq!(a.verdict_rule, b.verdict_rule, "{manager}: verdict rule");
    // The texts differ: the counterpart asks about someone else.
    let (a, b) = (rubric(engineer), rubric(manager));
    for (mine, theirs) in a.items.iter().zip(b.items.iter()) {
        assert_ne!(mine.prompt, theirs.prompt, "{}", mine.id);
    }
    assert_ne!(a.category, b.category, "{manager} is for managers");
}

#[test]
fn staff_readiness_manager_is_the_counterpart_of_staff_readiness() {
    assert_counterpart("staff-readiness", "staff-readiness-manager");
}

#[test]
fn staff_archetype_manager_is_the_counterpart_of_staff_archetype() {
    assert_counterpart("staff-archetype", "staff-archetype-manager");
}

/// The counterpart gives the engine's result of the rubric it mirrors, to the
/// last field, for the same answers: over every one of the 4^8 archetype
/// answer sets.
#[test]
fn staff_archetype_manager_scores_every_answer_set_as_staff_archetype_does() {
    let (mine, theirs) = (rubric("staff-archetype"), rubric("staff-archetype-manager"));
    let n = mine.items.len();
    let mut ties = 0;
    for combo in 0..4usize.pow(n as u32) {
        let mut answers = Answers::new(n);
        for i in 0..n {
            let pick = (combo / 4usize.pow(i as u32) % 4) as u8;
            answers.set(i, Answer::Choice(pick)).unwrap();
        }
        let result = rubric_engine::score(&theirs, &answers);
        assert_eq!(rubric_engine::score(&mine, &answers), result, "{combo}");
        if matches!(result.verdict, rubric_engine::Verdict::Tied(_)) {
            ties += 1;
        }
    }
    assert!(ties > 0);
}

#[test]
fn staff_archetype_manager_reads_ties_as_a_mixed_profile_in_its_own_words() {
    let r = rubric("staff-archetype-manager");
    let ids: Vec<&str> = r.items.iter().map(|i| i.id).collect();
    let picks = ["tl", "tl", "tl", "tl", "so", "so", "so", "so"];
    let answers: serde_json::Map<String, Value> = ids
        .iter()
        .zip(picks)
        .map(|(id, pick)| (id.to_string(), json!(pick)))
        .collect();
    let shown = report(&r, &Value::Object(answers));
    let label = shown.verdict_label.unwrap();
    assert!(label.starts_with("Mixed profile: "), "{label}");
    assert!(shown.verdict_explanation.unwrap().contains("ask them"));
    for outcome in r.outcomes.iter() {
        assert!(
            outcome.description.contains("enabling others"),
            "{}",
            outcome.id
        );
    }
}

/// A deterministic pseudo-random walk (xorshift) over readiness answers.
fn levels(seed: &mut u64, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            1 + (*seed % 4) as u8
        })
        .collect()
}

/// The counterpart gives staff-readiness's result for the same answers, floor
/// included: 4^12 answer sets are too many to score twice in a test, so
/// every set with the same level everywhere, every pair of levels on the two
/// floor questions, and 20 000 pseudo-random sets.
#[test]
fn staff_readiness_manager_scores_as_staff_readiness_does() {
    let (mine, theirs) = (rubric("staff-readiness"), rubric("staff-readiness-manager"));
    let n = mine.items.len();
    assert_eq!(n, 12);
    let mut sets: Vec<Vec<u8>> = (1..=4).map(|l| vec![l; n]).collect();
    for cross_team in 1..=4 {
        for follow_ups in 1..=4 {
            let mut set = vec![4; n];
            set[0] = cross_team;
            set[1] = follow_ups;
            sets.push(set);
        }
    }
    let mut seed = 0x2022_u64;
    sets.extend((0..20_000).map(|_| levels(&mut seed, n)));
    let mut held = 0;
    for set in &sets {
        let mut answers = Answers::new(n);
        for (i, level) in set.iter().enumerate() {
            answers.set(i, Answer::Level(*level)).unwrap();
        }
        let result = rubric_engine::score(&theirs, &answers);
        assert_eq!(rubric_engine::score(&mine, &answers), result, "{set:?}");
        if matches!(result.verdict, rubric_engine::Verdict::Held { .. }) {
            held += 1;
        }
    }
    assert!(held > 0, "the floor holds some sets back");
}

/// Essay 002 and 001, as in staff-readiness: no cross-team time, or a manager
/// still following up on most work, holds the result at "on the way" and
/// names the part, in the manager's words.
#[test]
fn staff_readiness_manager_holds_back_a_report_with_no_cross_team_scope() {
    let r = rubric("staff-readiness-manager");
    for cross_team in 1..=4u8 {
        for follow_ups in 1..=4u8 {
            let mut answers: serde_json::Map<String, Value> = r
                .items
                .iter()
                .map(|item| (item.id.to_string(), json!(4)))
                .collect();
            answers.insert("cross-team-time".into(), json!(cross_team));
            answers.insert("follow-ups".into(), json!(follow_ups));
            let shown = report(&r, &Value::Object(answers));
            let (want, by) = match (cross_team, follow_ups) {
                (1, _) => ("on-the-way", Some("Time on problems beyond the team")),
                (_, 1) => ("on-the-way", Some("Ownership without follow-ups")),
                _ => ("staff-shaped", None),
            };
            assert_eq!(
                shown.verdict.as_deref(),
                Some(want),
                "{cross_team} {follow_ups}"
            );
            let explanation = shown.verdict_explanation.unwrap();
            match by {
                Some(by) => assert!(
                    explanation.contains(&format!("Held back by {by}: ")),
                    "{explanation}"
                ),
                None => assert!(!explanation.contains("Held back"), "{explanation}"),
            }
        }
    }
}

/// The readiness cut points (40 and 75 percent) and the 25 percent floor are
/// this project's own, and the manager version says so where a person reads
/// them, as staff-readiness does.
#[test]
fn the_readiness_cut_points_are_labelled_as_ours_in_the_manager_version() {
    let r = rubric("staff-readiness-manager");
    for id in ["not-yet", "on-the-way"] {
        let band = r.bands.iter().find(|b| b.id == id).unwrap();
        assert!(band.explanation.contains("this project's own"), "{id}");
    }
    assert!(r.intro.contains("this project's own"));
}
