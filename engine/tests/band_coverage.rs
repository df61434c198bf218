//! Band coverage against a value-by-value reference: for random bands of one
//! dimension, validation reports exactly the bands beyond the top, the
//! overlapping pairs and the gaps that checking every value finds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
mod common;

use common::*;
use proptest::prelude::*;
use rubric_engine::model::BandScope;
use rubric_engine::owned::{BundlePayload, Rubric};
use rubric_engine::{Issue, Location, Problem};

/// `mixed` bands its dimension 0 (craft) on the percentage: top 100.
const TOP: u32 = 100;

/// `mixed` with craft's two bands (indices 0 and 1) set to the first two
/// ranges and the others appended after the fixture's bands.
fn with_craft_bands(ranges: &[(u32, u32)]) -> (Rubric, Vec<usize>) {
    let mut r = mixed();
    let mut indices = vec![0, 1];
    r.bands[0].lo = ranges[0].0;
    r.bands[0].hi = ranges[0].1;
    r.bands[1].lo = ranges[1].0;
    r.bands[1].hi = ranges[1].1;
    for (k, (lo, hi)) in ranges.iter().enumerate().skip(2) {
        indices.push(r.bands.len());
        r.bands.push(band(
            &format!("extra-{k}"),
            BandScope::Dimension(0),
            *lo,
            *hi,
        ));
    }
    (r, indices)
}

fn coverage_problems(rubric: Rubric) -> Vec<Issue> {
    let payload = BundlePayload {
        rubrics: vec![rubric],
    }
    .encode()
    .unwrap();
    let view: rubric_engine::BundlePayload = postcard::from_bytes(&payload).unwrap();
    let mut found = Vec::new();
    rubric_engine::validate_payload(&view, &mut |issue| found.push(issue));
    found
}

/// What checking each value and each pair finds, in the order validation
/// reports it: per band (by index) beyond-the-top then overlaps with
/// earlier bands, then the gaps from low to high.
fn reference(ranges: &[(u32, u32)], indices: &[usize]) -> Vec<(Location, Problem)> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|k| indices[*k]);
    let mut out = Vec::new();
    for (n, &k) in order.iter().enumerate() {
        let (lo, hi) = ranges[k];
        let at = Location::Band(indices[k] as u8);
        if hi > TOP {
            out.push((at, Problem::BandBeyondRange { hi, top: TOP }));
        }
        for &o in &order[..n] {
            let (olo, ohi) = ranges[o];
            if lo.max(olo) <= hi.min(ohi) {
                out.push((
                    at,
                    Problem::BandOverlap {
                        other: indices[o] as u8,
                        from: lo.max(olo),
                        to: hi.min(ohi),
                    },
                ));
            }
        }
    }
    let covered = |v: u32| ranges.iter().any(|(lo, hi)| *lo <= v && v <= *hi);
    let mut v = 0;
    while v <= TOP {
        if covered(v) {
            v += 1;
            continue;
        }
        let from = v;
        while v < TOP && !covered(v + 1) {
            v += 1;
        }
        out.push((Location::Dimension(0), Problem::BandGap { from, to: v }));
        v += 1;
    }
    out
}

fn range() -> impl Strategy<Value = (u32, u32)> {
    (0u32..=110, 0u32..=40).prop_map(|(lo, len)| (lo, lo + len))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn coverage_reports_match_a_value_by_value_check(
        ranges in proptest::collection::vec(range(), 2..=7)
    ) {
        let (rubric, indices) = with_craft_bands(&ranges);
        let found: Vec<(Location, Problem)> = coverage_problems(rubric)
            .into_iter()
            .map(|issue| (issue.at, issue.problem))
            .collect();
        prop_assert_eq!(found, reference(&ranges, &indices));
    }
}

#[test]
fn bands_in_any_order_that_tile_the_range_pass() {
    let (rubric, _) = with_craft_bands(&[(60, 100), (0, 19), (40, 59), (20, 39)]);
    assert_eq!(coverage_problems(rubric), vec![]);
}
