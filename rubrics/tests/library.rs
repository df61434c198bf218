//! The shipped library compiles, deterministically, each rubric is there,
//! and each rubric gives the verdict its source essay's rule demands.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::path::PathBuf;
use std::sync::OnceLock;

use rubric_engine::model::Rubric;
use rubric_engine::{Bundle, ScoreResult};
use rubrics::figures::figures as figures_of;
use serde_json::{json, Value};

fn library() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library")
}

/// The compiled shipped library, its texts expanded back in (as the kiosk
/// loads it), decoded once.
fn bundle() -> Bundle<'static> {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = BYTES.get_or_init(|| {
        let sources = rubrics::read_sources(&[library()]).unwrap();
        let payload = match rubrics::compile(&sources) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        let bytes = rubrics::bundle_bytes(&payload, None).unwrap();
        rubric_engine::codec::expand_bundle(&bytes).unwrap()
    });
    Bundle::decode(bytes).unwrap()
}

fn rubric(id: &str) -> Rubric<'static> {
    bundle()
        .rubric(id)
        .unwrap_or_else(|| panic!("library lacks {id}"))
}

/// Scores a complete set of answers (JSON keyed by item id) and names the verdict.
fn verdict(rubric: &Rubric<'static>, answers: &Value) -> String {
    let set = rubrics::answers::from_json(rubric, answers).unwrap();
    let result = rubric_engine::score(rubric, &set.answers);
    assert!(
        result.complete,
        "{}: incomplete answers {answers}",
        rubric.id
    );
    rubrics::report::report(rubric, &result)
        .verdict
        .unwrap_or_else(|| panic!("{}: no verdict for {answers}", rubric.id))
}

/// The engine's result for a set of answers (JSON keyed by item id).
fn score_json(rubric: &Rubric<'static>, answers: &Value) -> ScoreResult {
    let set = rubrics::answers::from_json(rubric, answers).unwrap();
    rubric_engine::score(rubric, &set.answers)
}

/// The report of a set of answers, complete or not.
fn report_of(rubric: &Rubric<'static>, answers: &Value) -> rubrics::report::ResultReport {
    rubrics::report::report(rubric, &score_json(rubric, answers))
}

/// The report of a complete set of answers.
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

const SHIPPED: [&str; 19] = [
    "staff-readiness",
    "staff-readiness-manager",
    "skill-pattern",
    "want-the-work",
    "three-traps",
    "cross-team-gut-check",
    "four-shifts",
    "work-ledger",
    "twelve-month-path",
    "promotion-evidence",
    "track-rewards",
    "promotion-mechanics",
    "peer-test",
    "staff-archetype",
    "staff-archetype-manager",
    "sponsor-check",
    "staff-track-reality",
    "company-built",
    "you-or-org",
];

#[test]
fn shipped_library_compiles_deterministically() {
    let sources = rubrics::read_sources(&[library()]).unwrap();
    let payload = match rubrics::compile(&sources) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let a = rubrics::bundle_bytes(&payload, None).unwrap();
    let again = rubrics::compile(&rubrics::read_sources(&[library()]).unwrap()).unwrap();
    assert_eq!(a, rubrics::bundle_bytes(&again, None).unwrap());
    let bundle = rubric_engine::Bundle::decode(&a).unwrap();
    for id in SHIPPED {
        assert!(bundle.rubric(id).is_some(), "library lacks {id}");
    }
    assert_eq!(bundle.rubrics().count(), SHIPPED.len());
}

// ---------------------------------------------------------------- you-or-org

/// Essay 003: the side with more signs decides; equal counts are some of
/// each; at most one sign on both sides (the project's own cut) is neither.
/// Issue 23: when the other side has two or more signs too, the dominant
/// side's verdict is the one whose text names them.
fn you_or_org_rule(you: usize, org: usize) -> &'static str {
    if you <= 1 && org <= 1 {
        "neither"
    } else if you > org && org >= 2 {
        "you-first-org-too"
    } else if you > org {
        "you-thing"
    } else if org > you && you >= 2 {
        "org-first-you-too"
    } else if org > you {
        "org-thing"
    } else {
        "both"
    }
}

#[test]
fn you_or_org_follows_the_dominant_side_in_all_64_combinations() {
    let r = rubric("you-or-org");
    let ids: Vec<&str> = r.items.iter().map(|i| i.id).collect();
    let you: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| i.starts_with("you-"))
        .collect();
    let org: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| i.starts_with("org-"))
        .collect();
    assert_eq!((you.len(), org.len()), (7, 7));
    for y in 0..=7 {
        for o in 0..=7 {
            // Vary which signs are ticked, not only how many.
            let mut answers = serde_json::Map::new();
            for (i, id) in you.iter().enumerate() {
                answers.insert(id.to_string(), json!((i + o) % 7 < y));
            }
            for (i, id) in org.iter().enumerate() {
                answers.insert(id.to_string(), json!((i + y) % 7 < o));
            }
            let got = verdict(&r, &Value::Object(answers));
            assert_eq!(
                got,
                you_or_org_rule(y, o),
                "{y} personal, {o} organisational"
            );
        }
    }
}

// ----------------------------------------------------------- staff-archetype

#[test]
fn staff_archetype_options_are_symmetric_and_maxima_equal() {
    let r = rubric("staff-archetype");
    assert_eq!(r.outcomes.len(), 4);
    for item in r.items.iter() {
        let options = item.kind.options();
        assert_eq!(options.len(), 4, "{}", item.id);
        let mut seen = Vec::new();
        let mut weight = None;
        for option in options.iter() {
            let weights: Vec<_> = option.weights.iter().collect();
            assert_eq!(weights.len(), 1, "{}: one archetype per answer", item.id);
            assert!(
                weight.is_none() || weight == Some(weights[0].value),
                "{}: every answer of a question weighs the same",
                item.id
            );
            weight = Some(weights[0].value);
            seen.push(weights[0].target);
        }
        seen.sort_by_key(|t| format!("{t:?}"));
        seen.dedup();
        assert_eq!(seen.len(), 4, "{}: one answer per archetype", item.id);
    }
    let result = rubric_engine::score(&r, &rubric_engine::Answers::new(r.items.len()));
    let possible: Vec<u32> = result.outcomes.iter().map(|o| o.possible).collect();
    assert!(possible.windows(2).all(|w| w[0] == w[1]), "{possible:?}");
}

/// Issue 23: archetype fit is a fit, not a score. Over every one of the
/// 4^8 answer sets, the verdict is the archetype with the most answers when
/// one has more than every other, and a mixed profile of exactly the
/// archetypes that share the most answers otherwise; every archetype wins
/// equally often.
#[test]
fn staff_archetype_gives_every_archetype_its_fair_share_over_all_answers() {
    let r = rubric("staff-archetype");
    let n = r.items.len();
    let total = 4usize.pow(n as u32);
    let mut wins = [0usize; 4];
    let mut ties = 0usize;
    for combo in 0..total {
        let mut answers = rubric_engine::Answers::new(n);
        let mut counts = [0u8; 4];
        let mut rest = combo;
        for i in 0..n {
            let pick = (rest % 4) as u8;
            answers.set(i, rubric_engine::Answer::Choice(pick)).unwrap();
            // Option `pick` of every question belongs to one archetype.
            let item = r.items.get(i).unwrap();
            let option = item.kind.options().get(usize::from(pick)).unwrap();
            let target = option.weights.iter().next().unwrap().target;
            let rubric_engine::model::Target::Outcome(o) = target else {
                panic!("an archetype answer weighs an outcome");
            };
            counts[usize::from(o)] += 1;
            rest /= 4;
        }
        let most = *counts.iter().max().unwrap();
        let top: u16 = (0..4)
            .filter(|o| counts[*o] == most)
            .fold(0, |mask, o| mask | 1 << o);
        let result = rubric_engine::score(&r, &answers);
        let expected = if top.count_ones() == 1 {
            rubric_engine::Verdict::Outcome(top.trailing_zeros() as u8)
        } else {
            rubric_engine::Verdict::Tied(top)
        };
        assert_eq!(result.verdict, expected, "combination {combo}: {counts:?}");
        match result.verdict {
            rubric_engine::Verdict::Outcome(o) => wins[usize::from(o)] += 1,
            _ => ties += 1,
        }
    }
    assert!(ties > 0);
    assert!(wins.windows(2).all(|w| w[0] == w[1]), "{wins:?}");
}

#[test]
fn staff_archetype_reads_even_splits_as_mixed_profiles_with_its_own_tie_text() {
    let r = rubric("staff-archetype");
    // Four and four, and three and three with one each for the others.
    for picks in [
        ["tl", "tl", "tl", "tl", "ar", "ar", "ar", "ar"],
        ["so", "so", "so", "rh", "rh", "rh", "tl", "ar"],
    ] {
        let shown = report(&r, &archetype_answers(picks));
        let label = shown.verdict_label.unwrap();
        assert!(label.starts_with("Mixed profile: "), "{picks:?}: {label}");
        let explanation = shown.verdict_explanation.unwrap();
        assert!(
            explanation.contains("a year from now"),
            "the rubric's own tie text: {explanation}"
        );
    }
    assert!(!r.intro.contains("weights"), "no promise about weights");
}

#[test]
fn staff_archetype_descriptions_say_what_enabling_others_looks_like() {
    let r = rubric("staff-archetype");
    for outcome in r.outcomes.iter() {
        assert!(
            outcome.description.contains("enabling others"),
            "{}",
            outcome.id
        );
    }
    let solver = r.outcomes.iter().find(|o| o.id == "solver").unwrap();
    assert!(solver.description.contains("writing down what you learned"));
}

// --------------------------------------------------------------- work-ledger

const ARCHETYPES: [&str; 5] = ["tech-lead", "architect", "solver", "right-hand", "unsure"];

/// Answers for a ledger: the second pile, the first pile, and the aim.
/// Each question is asked once (issue 23): the aim whenever either pile has
/// an entry.
fn ledger(helped: u32, done: u32, aim: &str) -> Value {
    if helped > 0 || done > 0 {
        json!({ "helped-others": helped, "done-myself": done, "archetype": aim })
    } else {
        json!({ "helped-others": 0, "done-myself": 0 })
    }
}

/// Essay 003: nothing in the second pile is a clear signal, and the right
/// ratio depends on the archetype. The cut points (a quarter, a half) are the
/// project's own guidance. An empty ledger has nothing to read.
fn ledger_rule(helped: u32, done: u32, aim: &str) -> String {
    if helped == 0 && done == 0 {
        return "nothing-recorded".into();
    }
    if helped == 0 {
        return if aim == "solver" {
            "no-enabling-solver".into()
        } else {
            "no-enabling".into()
        };
    }
    let share = helped * 100 / (helped + done);
    let band = match share {
        0..=24 => "solo",
        25..=49 => "mixed",
        _ => "high",
    };
    format!("{band}-{aim}")
}

#[test]
fn work_ledger_reads_the_split_for_each_archetype() {
    let r = rubric("work-ledger");
    let ledgers = [
        (0, 0),
        (0, 1),
        (0, 99),
        (1, 99),
        (1, 4),
        (24, 76),
        (25, 75),
        (1, 3),
        (49, 51),
        (50, 50),
        (1, 1),
        (5, 0),
        (99, 0),
    ];
    let mut advice = std::collections::BTreeSet::new();
    for aim in ARCHETYPES {
        for (helped, done) in ledgers {
            let got = verdict(&r, &ledger(helped, done, aim));
            assert_eq!(
                got,
                ledger_rule(helped, done, aim),
                "{helped} helped, {done} done, aiming at {aim}"
            );
            advice.insert(got);
        }
    }
    // Every verdict band is reachable, and a tech lead and a solver with
    // the same mostly-solo ledger read different advice.
    assert_eq!(advice.len(), 18, "{advice:?}");
    let tl = report(&r, &ledger(1, 9, "tech-lead"));
    let so = report(&r, &ledger(1, 9, "solver"));
    assert_ne!(tl.verdict_explanation, so.verdict_explanation);
    assert_ne!(tl.actions, so.actions);
}

#[test]
fn work_ledger_empty_says_nothing_recorded_not_no_enabling() {
    let r = rubric("work-ledger");
    let empty = report(&r, &ledger(0, 0, "unsure"));
    assert_eq!(empty.verdict.as_deref(), Some("nothing-recorded"));
    assert_eq!(empty.verdict_label.as_deref(), Some("Nothing recorded yet"));
    let solo = report(&r, &ledger(0, 3, "architect"));
    assert_eq!(solo.verdict.as_deref(), Some("no-enabling"));
}

// -------------------------------------------------------- promotion-evidence

const EVIDENCE_AREAS: [&str; 4] = ["depth", "breadth", "influence", "multiplier"];

/// One area's answers: 0 no artifact, 1 artifact only, 2 one checkable
/// outcome, 3 two checkable outcomes.
fn evidence_area(answers: &mut serde_json::Map<String, Value>, area: &str, level: usize) {
    answers.insert(format!("{area}-artifact"), json!(level >= 1));
    if level >= 1 {
        answers.insert(format!("{area}-verifiable"), json!(level >= 2));
    }
    if level >= 2 {
        answers.insert(format!("{area}-second"), json!(level >= 3));
    }
}

/// Issue 23, essay 002: an artifact is the evidence; a checkable outcome is
/// this project's second level. Over all 256 combinations of the four
/// areas' levels (none, artifact, artifact with an outcome, two).
#[test]
fn promotion_evidence_counts_checkable_outcomes_per_area() {
    let r = rubric("promotion-evidence");
    // Breadth and depth are separate dimensions.
    for area in EVIDENCE_AREAS {
        assert!(r.dimensions.iter().any(|d| d.id == area), "{area}");
    }
    for combo in 0..4usize.pow(4) {
        let levels: Vec<usize> = (0..4).map(|i| (combo >> (2 * i)) & 3).collect();
        let mut answers = serde_json::Map::new();
        for (area, level) in EVIDENCE_AREAS.iter().zip(&levels) {
            evidence_area(&mut answers, area, *level);
        }
        let report = report(&r, &Value::Object(answers));
        let artifacts = levels.iter().filter(|l| **l >= 1).count();
        let checkable = levels.iter().filter(|l| **l >= 2).count();
        let want = match (artifacts, checkable) {
            (0, _) => "claims-only",
            (1 | 2, _) => "partial",
            (3, _) => "nearly",
            (_, 4) => "evidenced",
            _ => "artifacts-everywhere",
        };
        assert_eq!(report.verdict.as_deref(), Some(want), "{levels:?}");
        let label = report.verdict_label.clone().unwrap();
        if artifacts > 0 {
            assert!(!label.contains("claim"), "{levels:?}: {label}");
        }
        for (area, level) in EVIDENCE_AREAS.iter().zip(&levels) {
            let band = report
                .dimensions
                .iter()
                .find(|d| d.id == *area)
                .and_then(|d| d.band.clone())
                .unwrap();
            let suffix = ["none", "claimed", "shown", "strong"][*level];
            assert_eq!(band, format!("{area}-{suffix}"), "{levels:?}");
        }
        // The figures count against all four areas, whatever was hidden.
        let figures = figures_of(&r, &report_answers_result(&r, &levels));

        let line = |id: &str| {
            let d = r.dimensions.iter().position(|d| d.id == id).unwrap();
            figures[d].amount.clone()
        };
        assert_eq!(line("evidence"), format!("{artifacts} of 4"), "{levels:?}");
        assert_eq!(line("outcomes"), format!("{checkable} of 4"), "{levels:?}");
    }
    // Someone with an artifact in every area is not told to make one.
    let everywhere = r
        .bands
        .iter()
        .find(|b| b.id == "artifacts-everywhere")
        .unwrap();
    for action in everywhere.actions.iter() {
        assert!(!action.text.contains("missing artifact"), "{}", action.text);
    }
    assert!(r.summary.contains("three things"), "{}", r.summary);
}

/// The engine's result for promotion-evidence areas at these levels.
fn report_answers_result(r: &Rubric<'static>, levels: &[usize]) -> ScoreResult {
    let mut answers = serde_json::Map::new();
    for (area, level) in EVIDENCE_AREAS.iter().zip(levels) {
        evidence_area(&mut answers, area, *level);
    }
    score_json(r, &Value::Object(answers))
}

// ------------------------------------------------------------ text quality

fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Shared words over all words of the two texts (Jaccard similarity).
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let shared = a.intersection(&b).count();
    let all = a.union(&b).count();
    if all == 0 {
        1.0
    } else {
        shared as f64 / all as f64
    }
}

/// Above this share of shared words, two texts say the same thing.
const NEAR_DUPLICATE: f64 = 0.6;

#[test]
fn no_two_bands_of_a_rubric_share_an_explanation_or_an_action() {
    let mut failures = Vec::new();
    for r in bundle().rubrics() {
        // (band id, kind, text) for every explanation and action of every band.
        let mut texts: Vec<(String, &str, String)> = Vec::new();
        for band in r.bands.iter() {
            if !band.explanation.trim().is_empty() {
                texts.push((band.id.into(), "explanation", band.explanation.into()));
            }
            for action in band.actions.iter() {
                texts.push((band.id.into(), "action", action.text.into()));
            }
        }
        for outcome in r.outcomes.iter() {
            texts.push((outcome.id.into(), "explanation", outcome.description.into()));
        }
        for (i, (band_a, kind_a, a)) in texts.iter().enumerate() {
            for (band_b, kind_b, b) in &texts[i + 1..] {
                if kind_a != kind_b {
                    continue;
                }
                let s = similarity(a, b);
                if s > NEAR_DUPLICATE {
                    failures.push(format!(
                        "{}: {kind_a} of {band_a} and {band_b} are {:.0}% the same words:\n  {a}\n  {b}",
                        r.id,
                        s * 100.0
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn near_duplicate_check_catches_a_swapped_name() {
    // The old staff-readiness pattern: one sentence with the dimension's name swapped in.
    let a = "Time horizon: most of your work here still has a senior shape.";
    let b = "Scope of ownership: most of your work here still has a senior shape.";
    assert!(similarity(a, b) > NEAR_DUPLICATE);
    let c = "Pick one high-stakes technical question on your team and dig into it yourself.";
    let d = "Write down which teams ship better because of your standards.";
    assert!(similarity(c, d) < NEAR_DUPLICATE);
}

// --------------------------------------------------------------- new checks

#[test]
fn twelve_month_path_names_the_first_step_not_done() {
    let r = rubric("twelve-month-path");
    let steps = [
        "picked",
        "diagnosed",
        "aligned",
        "coordinating",
        "measured",
        "visible",
    ];
    let next = [
        "step-pick",
        "step-diagnose",
        "step-align",
        "step-coordinate",
        "step-measure",
        "step-visible",
        "step-again",
    ];
    for (done, want) in next.iter().enumerate() {
        let mut answers = serde_json::Map::new();
        for (i, id) in steps.iter().enumerate().take(done + 1) {
            answers.insert(id.to_string(), json!(i < done));
        }
        assert_eq!(verdict(&r, &Value::Object(answers)), *want, "{done} done");
    }
    // A later step done out of order is not asked: the path stops at the first gap.
    let skipped = json!({ "picked": true, "diagnosed": false, "aligned": true });
    assert_eq!(verdict(&r, &skipped), "step-diagnose");
}

#[test]
fn three_traps_names_the_trap_most_answers_point_at() {
    let r = rubric("three-traps");
    let items = ["behind", "week-shape", "conflict", "feedback"];
    for trap in ["effort", "mix", "comfort", "clear"] {
        // Three of four answers point at the trap, one elsewhere.
        let other = if trap == "clear" { "effort" } else { "clear" };
        let mut answers = serde_json::Map::new();
        for (i, id) in items.iter().enumerate() {
            answers.insert(id.to_string(), json!(if i == 1 { other } else { trap }));
        }
        assert_eq!(verdict(&r, &Value::Object(answers)), trap);
    }
    for (o, outcome) in r.outcomes.iter().enumerate() {
        let band = rubrics::report::outcome_band(&r, o as u8)
            .unwrap_or_else(|| panic!("{}: every trap says how to get out", outcome.id));
        assert_eq!(
            horizons(&band),
            ["week", "month", "quarter"],
            "{}",
            outcome.id
        );
    }
}

#[test]
fn three_traps_says_no_clear_trap_only_when_that_leads_alone() {
    let r = rubric("three-traps");
    let items = ["behind", "week-shape", "conflict", "feedback"];
    let answers = |picks: [&str; 4]| choices(&items, &picks);
    for (picks, want) in [
        // Level with one trap: the trap, not "effort and no clear trap".
        (["effort", "clear", "effort", "clear"], "effort"),
        (["clear", "comfort", "clear", "comfort"], "comfort"),
        // Two traps level, "no clear trap" behind: the usual tie.
        (["mix", "mix", "comfort", "comfort"], "mix+comfort"),
        // All four level: the three traps.
        (["effort", "mix", "comfort", "clear"], "effort+mix+comfort"),
        // Ahead alone, "no clear trap" is the verdict, even past two traps.
        (["mix", "clear", "comfort", "clear"], "clear"),
        (["clear", "clear", "mix", "clear"], "clear"),
    ] {
        assert_eq!(verdict(&r, &answers(picks)), want, "{picks:?}");
    }
    // The figures still show "no clear trap" level with the trap.
    let shown = report(&r, &answers(["effort", "clear", "effort", "clear"]));
    let ranks: Vec<(String, u8)> = shown
        .outcomes
        .iter()
        .map(|o| (o.id.clone(), o.rank))
        .collect();
    assert_eq!(ranks[..2], [(s("effort"), 1), (s("clear"), 1)]);
    assert_eq!(shown.verdict_label.as_deref(), Some("The effort trap"));
}

/// The horizons of a band's actions, in order.
fn horizons(band: &rubric_engine::model::Band<'_>) -> Vec<&'static str> {
    band.actions
        .iter()
        .map(|a| rubrics::report::When::from_horizon(a.horizon).name())
        .collect()
}

/// Staff-archetype answers: the archetype (by option id) chosen for each question.
fn archetype_answers(picks: [&str; 8]) -> Value {
    let items = [
        "incident",
        "best-week",
        "ambiguity",
        "scope",
        "writing",
        "mentoring",
        "frustration",
        "relationship",
    ];
    choices(&items, &picks)
}

/// Answers choosing option `picks[i]` for item `items[i]`.
fn choices(items: &[&str], picks: &[&str]) -> Value {
    Value::Object(
        items
            .iter()
            .zip(picks)
            .map(|(id, pick)| (id.to_string(), json!(pick)))
            .collect(),
    )
}

#[test]
fn staff_archetype_reports_an_exact_tie_as_a_mixed_profile() {
    let r = rubric("staff-archetype");
    // Tech Lead 30 + 33 + 40 + 37 = 140; Architect 31 + 34 + 36 + 39 = 140.
    let answers = archetype_answers(["tl", "ar", "tl", "tl", "ar", "ar", "tl", "ar"]);
    let report = report(&r, &answers);
    assert_eq!(report.verdict.as_deref(), Some("tech-lead+architect"));
    assert_eq!(
        report.verdict_label.as_deref(),
        Some("Mixed profile: Tech Lead and Architect")
    );
    let explanation = report.verdict_explanation.unwrap();
    assert!(explanation.contains("mixed"), "{explanation}");
    for outcome in ["tech-lead", "architect"] {
        let o = r.outcomes.iter().find(|o| o.id == outcome).unwrap();
        assert!(explanation.contains(o.description), "{outcome}");
    }
    let ranks: Vec<(String, u8)> = report
        .outcomes
        .iter()
        .map(|o| (o.id.clone(), o.rank))
        .collect();
    assert_eq!(ranks[..2], [(s("tech-lead"), 1), (s("architect"), 1)]);
    assert!(ranks[2..].iter().all(|(_, rank)| *rank == 3));
    // Each tied archetype's next steps, named.
    assert_eq!(report.actions.len(), 6);
    assert!(report.actions[0].text.starts_with("Tech Lead: "));
    assert!(report.actions[3].text.starts_with("Architect: "));

    // All four at 70 each: a four-way mixed profile.
    let four = archetype_answers(["tl", "ar", "so", "tl", "rh", "rh", "so", "ar"]);
    assert_eq!(verdict(&r, &four), "tech-lead+architect+solver+right-hand");
}

fn s(text: &str) -> String {
    text.to_string()
}

#[test]
fn staff_archetype_gives_every_archetype_next_steps_for_week_month_and_quarter() {
    let r = rubric("staff-archetype");
    for (pick, id) in [
        ("tl", "tech-lead"),
        ("ar", "architect"),
        ("so", "solver"),
        ("rh", "right-hand"),
    ] {
        let report = report(&r, &archetype_answers([pick; 8]));
        assert_eq!(report.verdict.as_deref(), Some(id));
        let when: Vec<&str> = report.actions.iter().map(|a| a.when.name()).collect();
        assert_eq!(when, ["week", "month", "quarter"], "{id}");
    }
    let solver = report(&r, &archetype_answers(["so"; 8]));
    assert!(solver.actions[0].text.starts_with("Write up"));
}

/// Staff-readiness answers: every question at the top level except the two given.
fn readiness(cross_team: u8, follow_ups: u8) -> Value {
    let r = rubric("staff-readiness");
    let mut answers: serde_json::Map<String, Value> = r
        .items
        .iter()
        .map(|item| (item.id.to_string(), json!(4)))
        .collect();
    answers.insert(s("cross-team-time"), json!(cross_team));
    answers.insert(s("follow-ups"), json!(follow_ups));
    Value::Object(answers)
}

/// Issue 23: cross-team time (essay 002) and the follow-up test (essay 001)
/// each hold the verdict back on their own, and the verdict names which.
/// Every combination of the two, with top marks elsewhere.
#[test]
fn staff_readiness_holds_back_someone_with_no_cross_team_scope() {
    let r = rubric("staff-readiness");
    // Under 5 % cross-team time, the manager always following up; top marks elsewhere.
    let report = report(&r, &readiness(1, 1));
    let readiness_score = &report
        .dimensions
        .iter()
        .find(|d| d.id == "readiness")
        .unwrap();
    assert!(readiness_score.percent >= 75, "{}", readiness_score.percent);
    assert_eq!(report.verdict.as_deref(), Some("on-the-way"));
    let explanation = report.verdict_explanation.unwrap();
    assert!(
        explanation.contains("Held back by Time on problems beyond your team: "),
        "{explanation}"
    );
    // The cross-team band's own steps come first.
    let scope_band = r.bands.iter().find(|b| b.id == "cross-team-none").unwrap();
    assert_eq!(
        report.actions[0].text,
        scope_band.actions.get(0).unwrap().text
    );
    for cross_team in 1..=4u8 {
        for follow_ups in 1..=4u8 {
            let report = report_of(&r, &readiness(cross_team, follow_ups));
            let explanation = report.verdict_explanation.clone().unwrap();
            let (want, by) = match (cross_team, follow_ups) {
                (1, _) => ("on-the-way", Some("Time on problems beyond your team")),
                (_, 1) => ("on-the-way", Some("Ownership without follow-ups")),
                _ => ("staff-shaped", None),
            };
            assert_eq!(
                report.verdict.as_deref(),
                Some(want),
                "{cross_team} {follow_ups}"
            );
            match by {
                Some(by) => assert!(
                    explanation.contains(&format!("Held back by {by}: ")),
                    "{cross_team} {follow_ups}: {explanation}"
                ),
                None => assert!(!explanation.contains("Held back"), "{explanation}"),
            }
        }
    }
}

/// Issue 23: skill-pattern asks about all six skills of essay 001, and the
/// ownership test (follow-ups heading towards zero) holds the verdict at
/// "forming" on its own. Over all 2^14 answer sets.
#[test]
fn skill_pattern_and_four_shifts_band_at_their_cut_points() {
    let r = rubric("skill-pattern");
    let sections: Vec<&str> = r.sections.iter().map(|s| s.id).collect();
    assert_eq!(
        sections,
        [
            "ownership",
            "execution",
            "ambiguity",
            "business",
            "communication",
            "amplification"
        ]
    );
    let ids: Vec<&str> = r.items.iter().map(|i| i.id).collect();
    let follow_ups = ids.iter().position(|id| *id == "follow-ups").unwrap();
    for combo in 0..1u32 << ids.len() {
        let answers: serde_json::Map<String, Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), json!(combo & (1 << i) != 0)))
            .collect();
        let yes = combo.count_ones();
        let want = match yes {
            0..=4 => "pattern-early",
            5..=9 => "pattern-forming",
            _ if combo & (1 << follow_ups) == 0 => "pattern-forming",
            _ => "pattern-present",
        };
        assert_eq!(verdict(&r, &Value::Object(answers)), want, "{combo:014b}");
    }
    four_shifts_over_every_answer_set();
}

/// Issue 23: four-shifts can say every shift has happened only when none of
/// them is at its lowest answer (under 5 % cross-team time above all).
fn four_shifts_over_every_answer_set() {
    let r = rubric("four-shifts");
    let ids: Vec<&str> = r.items.iter().map(|i| i.id).collect();
    assert_eq!(ids[0], "cross-team-share");
    // Four scales of 1..=4: the total is out of 12 points.
    for combo in 0..4u32.pow(4) {
        let points: Vec<u32> = (0..4).map(|i| (combo >> (2 * i)) & 3).collect();
        let answers: serde_json::Map<String, Value> = ids
            .iter()
            .zip(&points)
            .map(|(id, p)| (id.to_string(), json!(p + 1)))
            .collect();
        let percent = points.iter().sum::<u32>() * 100 / 12;
        let want = match percent {
            0..=39 => "shifts-early",
            40..=74 => "shifts-moving",
            _ if points.contains(&0) => "shifts-moving",
            _ => "shifts-made",
        };
        let shown = report(&r, &Value::Object(answers));
        assert_eq!(shown.verdict.as_deref(), Some(want), "{points:?}");
        if points[0] == 0 {
            assert_ne!(shown.verdict.as_deref(), Some("shifts-made"));
        }
    }
}

#[test]
fn track_rewards_needs_both_the_work_and_a_sponsor() {
    let r = rubric("track-rewards");
    let rewards = [
        "right-problem",
        "stayed-with-it",
        "through-others",
        "class-easier",
        "honest-tradeoffs",
        "track-record",
    ];
    for yes in 0..=6 {
        for sponsor in 0..=3 {
            let mut answers: serde_json::Map<String, Value> = rewards
                .iter()
                .enumerate()
                .map(|(i, id)| (id.to_string(), json!(i < yes)))
                .collect();
            answers.insert("know-sponsor".into(), json!(sponsor >= 1));
            if sponsor >= 1 {
                answers.insert("sponsor-seen".into(), json!(sponsor >= 2));
                answers.insert("sponsor-standing".into(), json!(sponsor >= 3));
            }
            let want = match (yes, sponsor == 3) {
                (0..=2, false) => "foundations",
                (0..=2, true) => "foundations-backed",
                (_, false) => "unseen",
                (3..=4, true) => "growing",
                _ => "aligned",
            };
            assert_eq!(
                verdict(&r, &Value::Object(answers)),
                want,
                "{yes} rewarded, sponsor {sponsor}"
            );
        }
    }
}

// ------------------------------------------------ the five checks read again
// want-the-work, cross-team-gut-check, peer-test, sponsor-check and
// staff-track-reality: each verdict follows its essay's rule over every
// combination of answers.

/// Yes/no answers for the given items: bit `i` of `mask` answers item `i`.
fn yes_no_answers(ids: &[&str], mask: usize) -> Value {
    Value::Object(
        ids.iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), json!(mask >> i & 1 == 1)))
            .collect(),
    )
}

/// The ids of a rubric's yes/no items.
fn yes_no_ids(r: &Rubric<'static>) -> Vec<&'static str> {
    r.items
        .iter()
        .filter(|i| matches!(i.kind, rubric_engine::model::ItemKind::YesNo { .. }))
        .map(|i| i.id)
        .collect()
}

#[test]
fn want_the_work_is_for_you_only_with_an_eager_yes_to_all_three_for_the_work() {
    // Essay 002: only an enthusiastic yes to all three says the jump is for
    // you, and a yes given for the title or the pay will not satisfy. Telling
    // none apart from one or two is the project's own split.
    let r = rubric("want-the-work");
    let questions = ["meetings-over-editor", "others-output", "visible-failures"];
    let options = ["eager", "tolerable", "unsure", "no"];
    let draws = ["work", "work-and-reward", "title", "pay"];
    for combo in 0..4usize.pow(4) {
        let picks: Vec<&str> = (0..3).map(|i| options[combo / 4usize.pow(i) % 4]).collect();
        let draw = draws[combo / 64];
        let mut answers: serde_json::Map<String, Value> = questions
            .iter()
            .zip(&picks)
            .map(|(id, pick)| (id.to_string(), json!(pick)))
            .collect();
        answers.insert("main-draw".into(), json!(draw));
        let eager = picks.iter().filter(|p| **p == "eager").count();
        let for_the_work = draw.starts_with("work");
        let want = match (eager, for_the_work) {
            (3, true) => "for-you",
            (3, false) => "for-the-reward",
            (0, _) => "none-eager",
            _ => "some-eager",
        };
        assert_eq!(
            verdict(&r, &Value::Object(answers)),
            want,
            "{picks:?} {draw}"
        );
    }
    // The split below three says it is the project's own.
    let none = r.bands.iter().find(|b| b.id == "none-eager").unwrap();
    assert!(none.explanation.contains("this project's own"));
}

#[test]
fn cross_team_gut_check_is_team_sized_below_two_yes_for_every_answer_set() {
    // Essay 003: fewer than two of the four true, the world is team-sized.
    let r = rubric("cross-team-gut-check");
    let ids = yes_no_ids(&r);
    assert_eq!(ids.len(), 4);
    for mask in 0..1usize << ids.len() {
        let want = if mask.count_ones() < 2 {
            "team-sized"
        } else {
            "beyond-team"
        };
        assert_eq!(verdict(&r, &yes_no_answers(&ids, mask)), want, "{mask:04b}");
    }
}

#[test]
fn sponsor_check_is_sponsoring_only_with_four_yes_for_every_answer_set() {
    // Essay 003: fewer than four yes, the manager is not sponsoring anyone.
    let r = rubric("sponsor-check");
    let ids = yes_no_ids(&r);
    assert_eq!(ids.len(), 6);
    for mask in 0..1usize << ids.len() {
        let want = if mask.count_ones() < 4 {
            "not-sponsoring"
        } else {
            "sponsoring"
        };
        assert_eq!(verdict(&r, &yes_no_answers(&ids, mask)), want, "{mask:06b}");
    }
}

#[test]
fn peer_test_marks_a_development_area_when_two_of_three_agree() {
    // Essay 003: two of three peers naming the same thing is the development area.
    let r = rubric("peer-test");
    assert_eq!(
        verdict(&r, &json!({ "asked-three": false })),
        "not-asked-yet"
    );
    for (agreement, want) in [
        ("none", "no-single-theme"),
        ("two", "development-area"),
        ("three", "development-area"),
    ] {
        let answers = json!({ "asked-three": true, "agreement": agreement });
        assert_eq!(verdict(&r, &answers), want, "{agreement}");
    }
}

#[test]
fn staff_track_reality_grows_more_sceptical_with_every_paper_answer() {
    // Essay 003: not pass or fail; the more aspects on the paper side, the
    // more sceptical. The four groups of the count are the project's own.
    let r = rubric("staff-track-reality");
    // Every aspect is a choice between a real and a paper-only side.
    let aspects: Vec<&str> = r
        .items
        .iter()
        .filter(|i| !i.kind.options().is_empty())
        .map(|i| i.id)
        .collect();
    assert_eq!(aspects.len(), 7);
    let order = ["looks-real", "mixed-signals", "doubtful", "paper-track"];
    for mask in 0..1usize << aspects.len() {
        let answers: serde_json::Map<String, Value> = aspects
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let side = if mask >> i & 1 == 1 { "paper" } else { "real" };
                (id.to_string(), json!(side))
            })
            .collect();
        let paper = mask.count_ones() as usize;
        let got = verdict(&r, &Value::Object(answers));
        assert_eq!(got, order[paper / 2], "{mask:07b}");
    }
    // Every band's text says its bounds are the project's, not the essay's.
    for id in order {
        let band = r.bands.iter().find(|b| b.id == id).unwrap();
        assert!(band.explanation.contains("this project's own"), "{id}");
    }
}
