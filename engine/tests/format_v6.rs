//! Format version 6: `any` / `all` lists of conditions and tie bands. A
//! bundle that uses neither is still written as version 5 (and a device
//! bundle as version 3) and loads as before; one that uses them is written
//! as version 6 and round-trips; bad lists and misplaced tie bands are
//! refused by validation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::{band, fit, mixed, payload};
use rubric_engine::codec::{
    encode_container, encode_v5, expand, Prose, CONDITIONS_FORMAT_VERSION, FORMAT_VERSION,
    STREAM_FORMAT_VERSION,
};
use rubric_engine::model::{BandScope, Condition, Test};
use rubric_engine::owned::{self, BundlePayload, Rubric, ShowIf};
use rubric_engine::{visible_items, Answer, Answers, Bundle, Issue, Limit, Location, Problem};

fn version(bytes: &[u8]) -> u16 {
    u16::from_le_bytes([bytes[4], bytes[5]])
}

fn yes(item: u8) -> Condition {
    Condition {
        item,
        test: Test::IsYes,
    }
}

/// The fixture's `mixed` rubric with its text item `why` (5) shown by `show_if`.
fn mixed_with(show_if: ShowIf) -> Rubric {
    let mut rubric = mixed();
    rubric.items[5].show_if = show_if;
    rubric
}

fn problems(rubric: Rubric) -> Vec<Issue> {
    let bytes = BundlePayload {
        rubrics: vec![rubric],
    }
    .encode()
    .unwrap();
    let view: rubric_engine::BundlePayload = postcard::from_bytes(&bytes).unwrap();
    let mut found = Vec::new();
    rubric_engine::validate_payload(&view, &mut |issue| found.push(issue));
    found
}

#[test]
fn this_engine_reads_version_6() {
    assert_eq!(FORMAT_VERSION, 6);
    assert_eq!(CONDITIONS_FORMAT_VERSION, 6);
}

#[test]
fn a_bundle_without_lists_or_tie_bands_is_still_version_5_and_loads() {
    let payload = payload();
    let bytes = encode_v5(&payload, Prose::Included).unwrap();
    assert_eq!(version(&bytes), STREAM_FORMAT_VERSION);
    let bundle = Bundle::decode(&bytes).unwrap();
    assert_eq!(bundle.rubrics().count(), 2);
    assert_eq!(expand(&bytes).unwrap(), payload.encode().unwrap());
    let device = encode_v5(&payload, Prose::Omitted).unwrap();
    assert_eq!(version(&device), 3);
    assert!(Bundle::decode(&device).unwrap().texts_omitted());
}

#[test]
fn a_bundle_with_a_list_of_conditions_is_version_6_and_round_trips() {
    let payload = BundlePayload {
        rubrics: vec![mixed_with(ShowIf::Any(vec![yes(2), yes(3)])), fit()],
    };
    for prose in [Prose::Included, Prose::Omitted] {
        let bytes = encode_v5(&payload, prose).unwrap();
        assert_eq!(version(&bytes), 6, "{prose:?}");
        Bundle::decode(&bytes).unwrap();
    }
    let bytes = encode_v5(&payload, Prose::Included).unwrap();
    assert_eq!(expand(&bytes).unwrap(), payload.encode().unwrap());
    let inline = encode_container(&payload.encode().unwrap());
    let bundle = Bundle::decode(&inline).unwrap();
    assert_eq!(owned::BundlePayload::from_view(bundle.payload()), payload);
}

#[test]
fn a_bundle_with_a_tie_band_is_version_6() {
    let mut with_tie = fit();
    with_tie.bands.push(band("mixed", BandScope::Tie, 0, 0));
    let payload = BundlePayload {
        rubrics: vec![mixed(), with_tie],
    };
    let bytes = encode_v5(&payload, Prose::Included).unwrap();
    assert_eq!(version(&bytes), 6);
    Bundle::decode(&bytes).unwrap();
    assert_eq!(expand(&bytes).unwrap(), payload.encode().unwrap());
}

#[test]
fn any_shows_the_item_when_one_condition_holds_and_all_when_every_one_does() {
    let any = mixed_with(ShowIf::Any(vec![yes(2), yes(3)]));
    let all = mixed_with(ShowIf::All(vec![yes(2), yes(3)]));
    let encoded = |r: &Rubric| {
        encode_container(
            &BundlePayload {
                rubrics: vec![r.clone()],
            }
            .encode()
            .unwrap(),
        )
    };
    let (any_bytes, all_bytes) = (encoded(&any), encoded(&all));
    let any = Bundle::decode(&any_bytes).unwrap();
    let all = Bundle::decode(&all_bytes).unwrap();
    let (any, all) = (any.rubric("mixed").unwrap(), all.rubric("mixed").unwrap());
    let choices = [
        Answer::Unanswered,
        Answer::YesNo(true),
        Answer::YesNo(false),
    ];
    for y1 in choices {
        for y2 in choices {
            let mut answers = Answers::new(any.items.len());
            answers.set(2, y1).unwrap();
            answers.set(3, y2).unwrap();
            let y1_yes = y1 == Answer::YesNo(true);
            let y2_yes = y2 == Answer::YesNo(true);
            let shown = |rubric| visible_items(rubric, &answers) & (1 << 5) != 0;
            assert_eq!(shown(&any), y1_yes || y2_yes, "any, {y1:?} {y2:?}");
            assert_eq!(shown(&all), y1_yes && y2_yes, "all, {y1:?} {y2:?}");
        }
    }
}

#[test]
fn a_list_of_conditions_is_checked_like_one_condition() {
    let at = Location::Item(5);
    let found = problems(mixed_with(ShowIf::Any(vec![])));
    assert!(found
        .iter()
        .any(|i| i.at == at && i.problem == Problem::EmptyConditionList));
    let found = problems(mixed_with(ShowIf::All(vec![yes(2), yes(7)])));
    assert!(found
        .iter()
        .any(|i| i.at == at && i.problem == Problem::ConditionNotEarlier { item: 7 }));
    let found = problems(mixed_with(ShowIf::Any(vec![yes(0)])));
    assert!(found
        .iter()
        .any(|i| i.at == at && i.problem == Problem::ConditionKindMismatch { kind: "scale" }));
    let found = problems(mixed_with(ShowIf::Any(vec![yes(2); 9])));
    assert!(found.iter().any(|i| i.at == at
        && i.problem
            == Problem::LimitExceeded {
                limit: Limit::Conditions,
                found: 9
            }));
    assert_eq!(problems(mixed_with(ShowIf::All(vec![yes(2); 8]))), vec![]);
}

#[test]
fn a_tie_band_belongs_only_once_to_a_top_outcome_rubric() {
    let mut one = fit();
    one.bands.push(band("mixed", BandScope::Tie, 0, 0));
    assert_eq!(problems(one.clone()), vec![]);

    let mut two = one.clone();
    two.bands.push(band("mixed-again", BandScope::Tie, 0, 0));
    assert!(problems(two)
        .iter()
        .any(|i| i.problem == Problem::MisplacedTieBand { first: Some(0) }));

    let mut ranged = fit();
    ranged.bands.push(band("mixed", BandScope::Tie, 0, 3));
    assert!(problems(ranged)
        .iter()
        .any(|i| i.problem == Problem::RangeNotAllowed));

    let mut grid = mixed();
    grid.bands.push(band("mixed", BandScope::Tie, 0, 0));
    assert!(problems(grid)
        .iter()
        .any(|i| i.problem == Problem::MisplacedTieBand { first: None }));
}
