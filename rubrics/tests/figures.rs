//! Issue 23, over the whole shipped library: no result screen's figure line
//! shows a percentage (or any number) for a categorical dimension, a
//! denominator of zero, or a band label for the verdict's own dimension that
//! says something other than the verdict. Each rubric is scored over its
//! extreme answer sets and 4000 generated ones (a fixed seed, so a failure
//! names an answer set that can be replayed).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::PathBuf;

use rubric_engine::model::{ItemKind, Rubric, VerdictRule};
use rubric_engine::{score, Answer, Answers, Bundle};
use rubrics::figures::{figures, is_categorical};
use rubrics::report::report;

fn library_bytes() -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("library");
    let sources = rubrics::read_sources(&[dir]).unwrap();
    let payload = match rubrics::compile(&sources) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let bytes = rubrics::bundle_bytes(&payload, None).unwrap();
    rubric_engine::codec::expand_bundle(&bytes).unwrap()
}

/// splitmix64: small, deterministic, good enough to spread answers.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// How an answer set is made: every item at its lowest, at its highest, or drawn.
#[derive(Clone, Copy)]
enum Pick {
    Lowest,
    Highest,
    Drawn,
}

fn answer(kind: &ItemKind<'_>, pick: Pick, g: &mut Gen) -> Answer {
    match (*kind, pick) {
        (ItemKind::Scale { min, .. }, Pick::Lowest) => Answer::Level(min),
        (ItemKind::Scale { max, .. }, Pick::Highest) => Answer::Level(max),
        (ItemKind::Scale { min, max, .. }, Pick::Drawn) => {
            Answer::Level(min + g.below(u64::from(max - min) + 1) as u8)
        }
        (ItemKind::YesNo { .. }, Pick::Lowest) => Answer::YesNo(false),
        (ItemKind::YesNo { .. }, Pick::Highest) => Answer::YesNo(true),
        (ItemKind::YesNo { .. }, Pick::Drawn) => Answer::YesNo(g.below(2) == 1),
        (ItemKind::Single { options }, Pick::Lowest) if !options.is_empty() => Answer::Choice(0),
        (ItemKind::Single { options }, Pick::Highest) if !options.is_empty() => {
            Answer::Choice(options.len() as u8 - 1)
        }
        (ItemKind::Single { options }, Pick::Drawn) if !options.is_empty() => {
            Answer::Choice(g.below(options.len() as u64) as u8)
        }
        (ItemKind::Multi { .. }, Pick::Lowest) => Answer::Choices(0),
        (ItemKind::Multi { options }, Pick::Highest) => {
            Answer::Choices(((1u32 << options.len()) - 1) as u16)
        }
        (ItemKind::Multi { options }, Pick::Drawn) => {
            Answer::Choices(g.below(1 << options.len()) as u16)
        }
        (ItemKind::Count { min, .. }, Pick::Lowest) => Answer::Count(min),
        (ItemKind::Count { max, .. }, Pick::Highest) => Answer::Count(max),
        (ItemKind::Count { min, max, .. }, Pick::Drawn) => {
            // Zero and small counts are where denominators go wrong.
            let pool = [min, min, min + 1, min + 2, min + 5, min + 12, max];
            Answer::Count(pool[g.below(pool.len() as u64) as usize].min(max))
        }
        _ => Answer::Unanswered,
    }
}

fn answer_sets(rubric: &Rubric<'_>) -> Vec<Answers> {
    let n = rubric.items.len();
    let mut g = Gen(0x5EED ^ n as u64);
    let mut picks = vec![Pick::Lowest, Pick::Highest];
    picks.extend(std::iter::repeat_n(Pick::Drawn, 4000));
    picks
        .into_iter()
        .map(|pick| {
            let mut answers = Answers::new(n);
            for (i, item) in rubric.items.iter().enumerate() {
                // Now and then leave an item out, as an unfinished attempt does.
                if matches!(pick, Pick::Drawn) && g.below(12) == 0 {
                    continue;
                }
                let a = answer(&item.kind, pick, &mut g);
                if a != Answer::Unanswered {
                    answers.set(i, a).unwrap();
                }
            }
            answers
        })
        .collect()
}

#[test]
fn no_result_screen_misstates_a_figure_anywhere_in_the_library() {
    let bytes = library_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let mut categorical = Vec::new();
    let mut checked = 0usize;
    for rubric in bundle.rubrics() {
        let verdict_dimension = match rubric.verdict_rule {
            VerdictRule::Dimension(d) | VerdictRule::DimensionWithFloor { dimension: d, .. } => {
                Some(d)
            }
            _ => None,
        };
        for d in 0..rubric.dimensions.len() as u8 {
            if is_categorical(&rubric, d) {
                categorical.push(format!(
                    "{}/{}",
                    rubric.id,
                    rubric.dimensions.get(usize::from(d)).unwrap().id
                ));
            }
        }
        for answers in answer_sets(&rubric) {
            let result = score(&rubric, &answers);
            let shown = report(&rubric, &result);
            for figure in figures(&rubric, &result) {
                let line = figure.line();
                let at = format!("{}: {line} ({answers:?})", rubric.id);
                if figure.categorical {
                    assert!(figure.amount.is_empty(), "a category with a number: {at}");
                    assert!(!line.contains('%'), "a category as a percentage: {at}");
                    assert!(figure.chart_percent.is_none(), "a category charted: {at}");
                }
                assert!(
                    !figure.amount.ends_with(" of 0") && !figure.amount.contains(" of 0 "),
                    "a denominator of zero: {at}"
                );
                if let Some(p) = figure.chart_percent {
                    assert!(p <= 100, "{at}");
                }
                if Some(figure.dimension) == verdict_dimension {
                    if let (Some(label), Some(verdict)) = (&figure.band_label, &shown.verdict_label)
                    {
                        assert!(
                            label.starts_with(verdict.as_str()),
                            "band label {label:?} beside the verdict {verdict:?}: {at}"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    // The one categorical dimension of the library is the ledger's aim.
    assert!(
        categorical.contains(&"work-ledger/aim".to_string()),
        "{categorical:?}"
    );
    assert!(checked > 100_000, "{checked} figure lines checked");
}

#[test]
fn a_held_verdict_is_what_its_dimension_line_says() {
    let bytes = library_bytes();
    let bundle = Bundle::decode(&bytes).unwrap();
    let rubric = bundle.rubric("staff-readiness").unwrap();
    let mut answers = Answers::new(rubric.items.len());
    for (i, item) in rubric.items.iter().enumerate() {
        if let ItemKind::Scale { max, .. } = item.kind {
            answers.set(i, Answer::Level(max)).unwrap();
        }
    }
    // Under 5 % cross-team time, everything else at the top.
    answers.set(0, Answer::Level(1)).unwrap();
    let result = score(&rubric, &answers);
    let shown = report(&rubric, &result);
    assert_eq!(shown.verdict_label.as_deref(), Some("On the way"));
    let all = figures(&rubric, &result);
    let overall = all.last().unwrap();
    assert_eq!(overall.title, "Overall readiness");
    assert_eq!(
        overall.line(),
        "Overall readiness: 33 of 36 (91 %) · On the way (held back)"
    );
}
