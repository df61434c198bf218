//! Compile -> encode (format version 5) -> expand the texts -> re-encode
//! gives the same model and identical bytes, and the same answers score the
//! same on the structure alone, the expanded bundle and the device's bundle
//! (texts omitted), over generated rubrics.
//!
//! Rubrics are generated as TOML text, valid by construction: a yes/no item
//! first (so every condition has something to look at), then items of every
//! kind in a random order with random weights and conditions, a weighted-sum
//! and a yes-count dimension with bands that cover their ranges, optionally
//! a ratio dimension and outcomes, and one of the four verdict rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::fmt::Write;
use std::path::PathBuf;

use proptest::prelude::*;
use rubric_engine::codec::{
    encode_container, encode_v3, expand, expand_bundle, Prose, CONDITIONS_FORMAT_VERSION,
    FALLBACK_FORMAT_VERSION, PROSE_FORMAT_VERSION, STREAM_FORMAT_VERSION,
};
use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::owned::BundlePayload;
use rubric_engine::{score, Answer, Answers, Bundle, ScoreResult};

#[derive(Debug, Clone, Copy)]
enum Kind {
    Scale { levels: u8, min: u8, reverse: bool },
    YesNo { reverse: bool },
    Single { options: u8 },
    Multi { options: u8 },
    Count { max: u32 },
    Text,
}

#[derive(Debug, Clone)]
struct ItemSpec {
    kind: Kind,
    in_second_section: bool,
    optional: bool,
    weight: u8,
    /// 0: always shown; 1..=3: `show-if` on the first item (yes, no,
    /// answered); 4 and 5: `any` and `all` of two conditions on it (format
    /// version 6).
    show_if: u8,
}

#[derive(Debug, Clone, Copy)]
enum VerdictSpec {
    Dimension,
    TopOutcome,
    /// Top outcome with `out-b` as the fallback (format version 4).
    TopOutcomeWithFallback,
    Grid,
}

#[derive(Debug, Clone)]
struct RubricSpec {
    first_reverse: bool,
    items: Vec<ItemSpec>,
    /// Cut points of the weighted-sum dimension's percent bands.
    cuts: Vec<u8>,
    ratio: bool,
    outcomes: bool,
    verdict: VerdictSpec,
    version: u16,
    category: usize,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (2u8..=10, 0u8..=3, any::<bool>()).prop_map(|(levels, min, reverse)| Kind::Scale {
            levels,
            min,
            reverse
        }),
        any::<bool>().prop_map(|reverse| Kind::YesNo { reverse }),
        (2u8..=5).prop_map(|options| Kind::Single { options }),
        (1u8..=5).prop_map(|options| Kind::Multi { options }),
        (1u32..=10_000).prop_map(|max| Kind::Count { max }),
        Just(Kind::Text),
    ]
}

fn item() -> impl Strategy<Value = ItemSpec> {
    (kind(), any::<bool>(), any::<bool>(), 0u8..=100, 0u8..=5).prop_map(
        |(kind, in_second_section, optional, weight, show_if)| ItemSpec {
            kind,
            in_second_section,
            optional,
            weight,
            show_if,
        },
    )
}

fn rubric_spec() -> impl Strategy<Value = RubricSpec> {
    (
        any::<bool>(),
        proptest::collection::vec(item(), 1..12),
        proptest::collection::btree_set(1u8..=100, 0..4),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(VerdictSpec::Dimension),
            Just(VerdictSpec::TopOutcome),
            Just(VerdictSpec::TopOutcomeWithFallback),
            Just(VerdictSpec::Grid)
        ],
        0u16..=u16::MAX,
        0usize..4,
    )
        .prop_map(
            |(first_reverse, items, cuts, ratio, outcomes, verdict, version, category)| {
                RubricSpec {
                    first_reverse,
                    items,
                    cuts: cuts.into_iter().collect(),
                    ratio,
                    // A top-outcome verdict needs outcomes.
                    outcomes: outcomes
                        || matches!(
                            verdict,
                            VerdictSpec::TopOutcome | VerdictSpec::TopOutcomeWithFallback
                        ),
                    verdict,
                    version,
                    category,
                }
            },
        )
}

/// Bands `[a, b]` covering `0..=max`, split at `cuts` (those within range).
fn ranges(cuts: &[u8], max: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        let cut = u32::from(cut);
        if cut > start && cut <= max {
            out.push((start, cut - 1));
            start = cut;
        }
    }
    out.push((start, max));
    out
}

fn band(toml: &mut String, id: &str, dimension: Option<&str>, range: Option<(u32, u32)>) {
    let _ = writeln!(toml, "\n[[band]]\nid = \"{id}\"");
    if let (Some(d), Some((a, b))) = (dimension, range) {
        let _ = writeln!(toml, "dimension = \"{d}\"\nrange = [{a}, {b}]");
    }
    let _ = writeln!(
        toml,
        "label = \"Band {id}\"\nexplanation = \"Why {id}.\"\n[band.actions]\nweek = \"Try {id}.\"\nmonth = [\"One\", \"Two\"]"
    );
}

/// The TOML source of a rubric spec.
#[allow(clippy::too_many_lines)] // writes one TOML document, table by table, top to bottom
fn source(spec: &RubricSpec) -> String {
    const CATEGORIES: [&str; 4] = [
        "self-assessment",
        "archetype-fit",
        "for-managers",
        "about-organisation",
    ];
    let mut t = String::new();
    let _ = writeln!(
        t,
        "id = \"generated\"\nversion = {}\ntitle = \"Generated\"\nsummary = \"A generated rubric\"\ncategory = \"{}\"\nminutes = 3\nintro = \"\"\"\nFirst line\nof a paragraph.\n\nSecond paragraph.\n\"\"\"",
        spec.version, CATEGORIES[spec.category]
    );
    let _ = writeln!(t, "\n[caveats]\nother = \"A caveat.\"");
    let _ = writeln!(
        t,
        "\n[[section]]\nid = \"first\"\ntitle = \"First\"\n\n[[section]]\nid = \"second\"\ntitle = \"Second\"\nintro = \"More.\""
    );
    // The first item: yes/no in the first section, counted by `yes`.
    let _ = writeln!(
        t,
        "\n[[item]]\nid = \"i0\"\nsection = \"first\"\nkind = \"yes-no\"\nprompt = \"Q0?\"\nreverse = {}\nweights = {{ sum = 10 }}",
        spec.first_reverse
    );
    let mut yes_in_first = 1;
    let target = |n: usize| -> &'static str {
        if spec.outcomes && n % 2 == 1 {
            if n % 4 == 1 {
                "out-a"
            } else {
                "out-b"
            }
        } else {
            "sum"
        }
    };
    for (n, item) in spec.items.iter().enumerate() {
        let n = n + 1;
        let section = if item.in_second_section {
            "second"
        } else {
            "first"
        };
        let _ = writeln!(
            t,
            "\n[[item]]\nid = \"i{n}\"\nsection = \"{section}\"\nprompt = \"Q{n}?\""
        );
        match item.show_if {
            1 => t.push_str("show-if = { item = \"i0\", is = \"yes\" }\n"),
            2 => t.push_str("show-if = { item = \"i0\", is = \"no\" }\n"),
            3 => t.push_str("show-if = { item = \"i0\", is = \"answered\" }\n"),
            4 => t.push_str(
                "show-if = { any = [{ item = \"i0\", is = \"yes\" }, { item = \"i0\", is = \"no\" }] }\n",
            ),
            5 => t.push_str(
                "show-if = { all = [{ item = \"i0\", is = \"answered\" }, { item = \"i0\", is = \"yes\" }] }\n",
            ),
            _ => {}
        }
        let required = if item.optional {
            "required = false\n"
        } else {
            ""
        };
        let weights = format!("weights = {{ {} = {} }}\n", target(n), item.weight);
        match item.kind {
            Kind::Scale {
                levels,
                min,
                reverse,
            } => {
                let levels: Vec<String> = (0..levels).map(|l| format!("\"L{l}\"")).collect();
                let _ = write!(
                    t,
                    "kind = \"scale\"\nlevels = [{}]\nmin = {min}\nreverse = {reverse}\n{required}{weights}",
                    levels.join(", ")
                );
            }
            Kind::YesNo { reverse } => {
                if !item.in_second_section {
                    yes_in_first += 1;
                }
                let _ = write!(
                    t,
                    "kind = \"yes-no\"\nreverse = {reverse}\n{required}{weights}"
                );
            }
            Kind::Count { max } => {
                let _ = write!(
                    t,
                    "kind = \"count\"\nmax = {max}\nunit = \"things\"\n{required}{weights}"
                );
            }
            Kind::Single { options } | Kind::Multi { options } => {
                let name = if matches!(item.kind, Kind::Single { .. }) {
                    "single"
                } else {
                    "multi"
                };
                let _ = write!(t, "kind = \"{name}\"\n{required}");
                for o in 0..options {
                    let _ = write!(
                        t,
                        "[[item.option]]\nid = \"o{o}\"\nlabel = \"Option {o}\"\nweights = {{ {} = {} }}\n",
                        target(n + usize::from(o)),
                        (u32::from(item.weight) + u32::from(o) * 7) % 101
                    );
                }
            }
            Kind::Text => t.push_str("kind = \"text\"\n"),
        }
    }
    if spec.ratio {
        for (id, max) in [("part", 40), ("rest", 60)] {
            let _ = writeln!(
                t,
                "\n[[item]]\nid = \"{id}\"\nsection = \"second\"\nkind = \"count\"\nprompt = \"How many {id}?\"\nmax = {max}"
            );
        }
    }
    t.push_str("\n[[dimension]]\nid = \"sum\"\ntitle = \"Sum\"\ndescription = \"Weighted.\"\n");
    t.push_str("\n[[dimension]]\nid = \"yes\"\ntitle = \"Yes\"\nrule = \"yes-count\"\nsection = \"first\"\n");
    if spec.ratio {
        t.push_str(
            "\n[[dimension]]\nid = \"share\"\ntitle = \"Share\"\nrule = \"ratio\"\npart = \"part\"\nrest = \"rest\"\n",
        );
    }
    if spec.outcomes {
        t.push_str("\n[[outcome]]\nid = \"out-a\"\ntitle = \"A\"\ndescription = \"Outcome A.\"\n");
        t.push_str("\n[[outcome]]\nid = \"out-b\"\ntitle = \"B\"\ndescription = \"Outcome B.\"\n");
    }
    let sum_bands = ranges(&spec.cuts, 100);
    for (i, range) in sum_bands.iter().enumerate() {
        band(&mut t, &format!("sum-{i}"), Some("sum"), Some(*range));
    }
    let yes_bands = ranges(&[1], yes_in_first);
    for (i, range) in yes_bands.iter().enumerate() {
        band(&mut t, &format!("yes-{i}"), Some("yes"), Some(*range));
    }
    if spec.ratio {
        for (i, range) in ranges(&[50], 100).iter().enumerate() {
            band(&mut t, &format!("share-{i}"), Some("share"), Some(*range));
        }
    }
    match spec.verdict {
        VerdictSpec::Dimension => t.push_str("\n[verdict]\ndimension = \"sum\"\n"),
        VerdictSpec::TopOutcome => t.push_str("\n[verdict]\ntop-outcome = true\n"),
        VerdictSpec::TopOutcomeWithFallback => {
            t.push_str("\n[verdict]\ntop-outcome = true\nfallback = \"out-b\"\n");
        }
        VerdictSpec::Grid => {
            band(&mut t, "v-low", None, None);
            band(&mut t, "v-high", None, None);
            t.push_str("\n[verdict]\nfirst = \"sum\"\nsecond = \"yes\"\n");
            for s in 0..sum_bands.len() {
                for y in 0..yes_bands.len() {
                    let verdict = if (s + y) % 2 == 0 { "v-low" } else { "v-high" };
                    let _ = writeln!(
                        t,
                        "[[verdict.cell]]\nfirst = \"sum-{s}\"\nsecond = \"yes-{y}\"\nverdict = \"{verdict}\""
                    );
                }
            }
        }
    }
    t
}

/// An answer that fits each item (or none), from `picks`.
fn answers(rubric: &Rubric<'_>, picks: &[(u8, u32)]) -> Answers {
    let mut answers = Answers::new(rubric.items.len());
    for (index, item) in rubric.items.iter().enumerate() {
        let (pick, number) = picks.get(index).copied().unwrap_or((0, 0));
        if pick % 5 == 0 {
            continue;
        }
        let answer = match item.kind {
            ItemKind::Scale { min, max, .. } => Answer::Level(min + pick % (max - min + 1)),
            ItemKind::YesNo { .. } => Answer::YesNo(pick % 2 == 0),
            ItemKind::Single { options } => Answer::Choice(pick % options.len() as u8),
            ItemKind::Multi { options } => {
                Answer::Choices((number as u16) & ((1u32 << options.len()) - 1) as u16)
            }
            ItemKind::Count { min, max, .. } => Answer::Count(min + number % (max - min + 1)),
            ItemKind::Text => Answer::Text,
        };
        answers
            .set(index, answer)
            .expect("an index within the rubric");
    }
    answers
}

fn scores(bundle: &Bundle<'_>, picks: &[(u8, u32)]) -> Vec<ScoreResult> {
    bundle
        .rubrics()
        .map(|rubric| score(&rubric, &answers(&rubric, picks)))
        .collect()
}

fn compiled(spec: &RubricSpec) -> BundlePayload {
    let text = source(spec);
    let sources = [rubrics::Source {
        path: PathBuf::from("generated.toml"),
        text: text.clone(),
    }];
    match rubrics::compile(&sources) {
        Ok(payload) => payload,
        Err(e) => panic!("the generator made a rubric the compiler refuses:\n{e}\n\n{text}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_compiled_v3_bundle_expands_to_the_same_model_encodes_again_to_the_same_bytes_and_scores(
        spec in rubric_spec(),
        picks in proptest::collection::vec((any::<u8>(), any::<u32>()), 16),
        signed in any::<bool>(),
    ) {
        let payload = compiled(&spec);
        let key = cross_crate_checks::test_key();
        let key = signed.then_some(&key);
        let bytes = rubrics::bundle_bytes(&payload, key).expect("a compiled payload encodes");
        // A bundle with texts is version 5, or 6 with an `any`/`all`
        // condition; the device bundle (texts omitted) is version 6 with
        // such a condition, else 4 exactly when the verdict has a fallback
        // outcome, else 3.
        let lists = spec.items.iter().any(|i| i.show_if >= 4);
        let with_texts = if lists { CONDITIONS_FORMAT_VERSION } else { STREAM_FORMAT_VERSION };
        prop_assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), with_texts);
        let version = if lists {
            CONDITIONS_FORMAT_VERSION
        } else if matches!(spec.verdict, VerdictSpec::TopOutcomeWithFallback) {
            FALLBACK_FORMAT_VERSION
        } else {
            PROSE_FORMAT_VERSION
        };
        // What the device reads: the structure, every text empty.
        let structure = Bundle::decode(&bytes).expect("a compiled bundle decodes");
        prop_assert!(!structure.texts_inline());
        if signed {
            Bundle::decode_trusted(&bytes, &[cross_crate_checks::test_key().public()])
                .expect("a bundle signed with the test key verifies");
        }

        // What a host reads: the texts expanded back in.
        prop_assert_eq!(
            expand(&bytes).expect("a compiled bundle expands"),
            payload.encode().expect("encodes")
        );
        let inline = expand_bundle(&bytes).expect("a compiled bundle expands");
        let expanded = Bundle::decode(&inline).expect("an expanded bundle decodes");
        let decoded = BundlePayload::from_view(expanded.payload());
        prop_assert_eq!(&decoded, &payload);
        let again = rubrics::bundle_bytes(&decoded, key).expect("a decoded payload encodes");
        prop_assert_eq!(&again, &bytes);

        // Before: the compiled model in the inline layout, as the compiler
        // views it. The structure alone, the expanded bundle and the
        // device's bundle (texts omitted) all score the same.
        let before_bytes = encode_container(&payload.encode().expect("encodes"));
        let before = Bundle::decode(&before_bytes).expect("decodes");
        let device_bytes =
            rubrics::encode_bundle(&payload, Prose::Omitted, key).expect("encodes");
        prop_assert_eq!(u16::from_le_bytes([device_bytes[4], device_bytes[5]]), version);
        let device = Bundle::decode(&device_bytes).expect("a device bundle decodes");
        // The older layout of the same model (texts compressed per rubric)
        // expands to the same payload.
        let older = encode_v3(&payload, Prose::Included).expect("encodes");
        prop_assert_eq!(
            expand(&older).expect("a version 3 or 4 bundle expands"),
            payload.encode().expect("encodes")
        );
        prop_assert!(device.prose_bytes().is_empty());
        let want = scores(&before, &picks);
        prop_assert_eq!(&want, &scores(&structure, &picks));
        prop_assert_eq!(&want, &scores(&expanded, &picks));
        prop_assert_eq!(&want, &scores(&device, &picks));
    }
}

#[test]
fn the_generator_covers_every_item_kind_and_verdict_rule() {
    let spec = RubricSpec {
        first_reverse: false,
        items: [
            Kind::Scale {
                levels: 4,
                min: 1,
                reverse: true,
            },
            Kind::YesNo { reverse: true },
            Kind::Single { options: 3 },
            Kind::Multi { options: 2 },
            Kind::Count { max: 10 },
            Kind::Text,
        ]
        .into_iter()
        .enumerate()
        .map(|(n, kind)| ItemSpec {
            kind,
            in_second_section: n % 2 == 1,
            optional: n == 2,
            weight: 5,
            show_if: (n % 6) as u8,
        })
        .collect(),
        cuts: vec![30, 70],
        ratio: true,
        outcomes: true,
        verdict: VerdictSpec::Grid,
        version: 3,
        category: 1,
    };
    for verdict in [
        VerdictSpec::Dimension,
        VerdictSpec::TopOutcome,
        VerdictSpec::TopOutcomeWithFallback,
        VerdictSpec::Grid,
    ] {
        let payload = compiled(&RubricSpec {
            verdict,
            ..spec.clone()
        });
        let rubric = &payload.rubrics[0];
        assert_eq!(rubric.items.len(), 9, "i0, six kinds, part and rest");
    }
}
