//! The forensic test: someone holding the results database (an IT person
//! with the laptop's disk) must not be able to read the order of a
//! workshop's turns from the file, nor find what a phone deleted.
//!
//! Results go in in a known order (kiosk turns, each person's results back
//! to back, and phones in batches, as the phone server writes them); then
//! the file's pages are read raw, as an attacker with a hex editor would:
//! each result's leaf page and cell offset, its first overflow page, and its
//! entry in the session index. The rank correlation (Spearman) of every one
//! of those physical orderings with the true order must stay near zero, a
//! person's results must not sit closer together than chance, and the free
//! space must hold nothing deleted.
//!
//! Run with `-- --nocapture` to see the figures.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod workshop_common;
use workshop_common::complete;

use std::collections::HashMap;
use std::path::Path;

use kiosk::library::Loaded;
use kiosk::store::{PhoneParticipant, ResultsStore};
use kiosk::workshop::{NewWorkshopResult, Session, SessionConfig, SessionDate};

const READINESS: &str = "staff-readiness";
const GUT_CHECK: &str = "cross-team-gut-check";
const KIOSK_PEOPLE: usize = 20;
const PHONES: usize = 10;
/// Under chance, Spearman's rho over n = 80 has a standard deviation of
/// about 1/sqrt(79) = 0.11: 0.45 is four of them. In arrival order it is 1.
const MAX_RHO: f64 = 0.45;
const MARKER: &str = "FORENSIC-MARKER-answer-in-progress";

/// Who made a result, in the order the results arrived.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Maker {
    Kiosk(usize),
    Phone(usize),
}

/// Fills a session the way a workshop does; returns the result ids in the
/// order they were stored, with who made each.
fn run_workshop(store: &ResultsStore, library: &Loaded, session: &Session) -> Vec<(String, Maker)> {
    let mut arrivals = Vec::new();
    // Kiosk turns: each person takes both rubrics (the readiness report is
    // long enough to spill onto overflow pages), then the next person.
    for person in 0..KIOSK_PEOPLE {
        let alias = format!("person-{person}");
        for (k, rubric) in [READINESS, GUT_CHECK, READINESS].iter().enumerate() {
            let (completed, encoded) = complete(library, rubric, person * 3 + k);
            let row =
                NewWorkshopResult::from_completed(&completed, &encoded, session.id, Some(&alias));
            let id = store.save_workshop_result(&row).unwrap();
            arrivals.push((id.to_string(), Maker::Kiosk(person)));
        }
    }
    // Phones: each joins, saves answers in progress (with a marker that must
    // not survive), and completes both rubrics, in the phone server's batches.
    store
        .open_phone_access(session.id, "forensic-join-secret-0001", "FRNSC1")
        .unwrap();
    for phone in 0..PHONES {
        let token = format!("{phone:064x}");
        store.begin_batch().unwrap();
        assert!(store
            .add_phone_participant(session.id, &token, &format!("{phone:032x}"), 300)
            .unwrap());
        store.commit_batch().unwrap();
        let mut p: PhoneParticipant = store
            .phone_participant(session.id, &token)
            .unwrap()
            .unwrap();
        for (k, rubric) in [READINESS, GUT_CHECK].iter().enumerate() {
            store.begin_batch().unwrap();
            // Long enough that the shorter row replacing it does not cover it.
            let words = "a free text answer typed on a phone ".repeat(12);
            p.answers_json = format!(r#"{{"note":"{MARKER}-{phone}-{k} {words}"}}"#);
            store.save_phone_progress(&p).unwrap();
            store.commit_batch().unwrap();
            let (completed, encoded) = complete(library, rubric, 1000 + phone * 2 + k);
            let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
            store.begin_batch().unwrap();
            p.rubric_index = k;
            p.finished = k == 1;
            let id = store.save_phone_result(&mut p, &row).unwrap();
            store.commit_batch().unwrap();
            arrivals.push((id.to_string(), Maker::Phone(phone)));
        }
    }
    arrivals
}

// ---- reading the file as raw pages -------------------------------------

struct File {
    bytes: Vec<u8>,
    page_size: usize,
    usable: usize,
}

/// Where one b-tree cell lives, and what its record holds.
struct Cell {
    page: usize,
    offset: usize,
    first_overflow: Option<usize>,
    columns: Vec<Option<Vec<u8>>>,
}

fn varint(b: &[u8], at: usize) -> (u64, usize) {
    let mut value = 0u64;
    for i in 0..9 {
        let byte = b[at + i];
        if i == 8 {
            return ((value << 8) | u64::from(byte), 9);
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return (value, i + 1);
        }
    }
    unreachable!()
}

fn be32(b: &[u8], at: usize) -> usize {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

impl File {
    fn read(path: &Path) -> Self {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(&bytes[..16], b"SQLite format 3\0");
        let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
            1 => 65536,
            n => usize::from(n),
        };
        let usable = page_size - usize::from(bytes[20]);
        File {
            bytes,
            page_size,
            usable,
        }
    }

    fn pages(&self) -> usize {
        self.bytes.len() / self.page_size
    }

    fn page(&self, number: usize) -> &[u8] {
        &self.bytes[(number - 1) * self.page_size..number * self.page_size]
    }

    /// Pages on the free list (trunks and leaves).
    fn free_pages(&self) -> Vec<usize> {
        let mut free = Vec::new();
        let mut trunk = be32(&self.bytes, 32);
        while trunk != 0 {
            free.push(trunk);
            let page = self.page(trunk);
            let leaves = be32(page, 4);
            free.extend((0..leaves).map(|i| be32(page, 8 + 4 * i)));
            trunk = be32(page, 0);
        }
        free
    }

    /// The whole payload of a cell: its local part and its overflow chain.
    fn payload(
        &self,
        page: &[u8],
        at: usize,
        size: usize,
        max_local: usize,
    ) -> (Vec<u8>, Option<usize>) {
        let u = self.usable;
        let min_local = (u - 12) * 32 / 255 - 23;
        if size <= max_local {
            return (page[at..at + size].to_vec(), None);
        }
        let k = min_local + (size - min_local) % (u - 4);
        let local = if k <= max_local { k } else { min_local };
        let mut out = page[at..at + local].to_vec();
        let first = be32(page, at + local);
        let mut next = first;
        while next != 0 && out.len() < size {
            let overflow = self.page(next);
            let take = (size - out.len()).min(u - 4);
            out.extend_from_slice(&overflow[4..4 + take]);
            next = be32(overflow, 0);
        }
        (out, Some(first))
    }

    /// Every cell of every live index b-tree page (WITHOUT ROWID tables and
    /// indexes are index b-trees, whose interior pages hold entries too).
    fn index_cells(&self) -> Vec<Cell> {
        let free: std::collections::HashSet<usize> = self.free_pages().into_iter().collect();
        let max_local = (self.usable - 12) * 64 / 255 - 23;
        let mut cells = Vec::new();
        for number in 1..=self.pages() {
            if free.contains(&number) {
                continue;
            }
            let page = self.page(number);
            let header = if number == 1 { 100 } else { 0 };
            // Leaf (0x0a) or interior (0x02, whose cells start with a child
            // page number and whose header is four bytes longer).
            let (header_len, child) = match page[header] {
                0x0a => (8, 0),
                0x02 => (12, 4),
                _ => continue,
            };
            let count = usize::from(u16::from_be_bytes([page[header + 3], page[header + 4]]));
            for i in 0..count {
                let ptr = header + header_len + 2 * i;
                let offset = usize::from(u16::from_be_bytes([page[ptr], page[ptr + 1]]));
                let (size, n) = varint(page, offset + child);
                let (payload, first_overflow) =
                    self.payload(page, offset + child + n, size as usize, max_local);
                cells.push(Cell {
                    page: number,
                    offset,
                    first_overflow,
                    columns: record_columns(&payload),
                });
            }
        }
        cells
    }
}

/// A record's columns: text and blobs as bytes, numbers and NULLs as `None`.
fn record_columns(record: &[u8]) -> Vec<Option<Vec<u8>>> {
    let (header_len, mut at) = varint(record, 0);
    let mut types = Vec::new();
    while at < header_len as usize {
        let (t, n) = varint(record, at);
        types.push(t);
        at += n;
    }
    let mut body = header_len as usize;
    types
        .into_iter()
        .map(|t| {
            let (len, bytes) = match t {
                0 | 8 | 9 => (0, false),
                1..=4 => (t as usize, false),
                5 => (6, false),
                6 | 7 => (8, false),
                t if t >= 12 && t % 2 == 0 => (((t - 12) / 2) as usize, true),
                t => (((t - 13) / 2) as usize, true),
            };
            let value = bytes.then(|| record[body..body + len].to_vec());
            body += len;
            value
        })
        .collect()
}

// ---- statistics --------------------------------------------------------

fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    for (rank, i) in order.into_iter().enumerate() {
        ranks[i] = rank as f64;
    }
    ranks
}

/// Spearman's rank correlation of `physical` with the arrival order
/// `arrival` (both per result).
fn spearman(arrival: &[f64], physical: &[f64]) -> f64 {
    let (a, p) = (ranks(arrival), ranks(physical));
    let n = a.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let cov: f64 = a.iter().zip(&p).map(|(x, y)| (x - mean) * (y - mean)).sum();
    let var: f64 = a.iter().map(|x| (x - mean).powi(2)).sum();
    cov / var
}

/// Within each page, whether cells lie in arrival order: Kendall's tau over
/// every pair of results on the same page (`cells`: page, offset, arrival).
/// Chance gives about 0; cells placed as they arrive give -1 or +1.
fn within_page_tau(cells: &[(usize, usize, usize)]) -> (f64, usize) {
    let mut score = 0i64;
    let mut pairs = 0usize;
    for (i, a) in cells.iter().enumerate() {
        for b in &cells[i + 1..] {
            if a.0 != b.0 {
                continue;
            }
            pairs += 1;
            let same = (a.1 < b.1) == (a.2 < b.2);
            score += if same { 1 } else { -1 };
        }
    }
    (score as f64 / pairs.max(1) as f64, pairs)
}

/// Every physical ordering of the results an attacker could read, as
/// (name, per-result arrival index, per-result position).
fn orderings(file: &File, arrivals: &[(String, Maker)]) -> Vec<(&'static str, Vec<f64>, Vec<f64>)> {
    let index_of: HashMap<&[u8], usize> = arrivals
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_bytes(), i))
        .collect();
    let cells = file.index_cells();
    let mut rows: Vec<(&'static str, Vec<f64>, Vec<f64>)> = vec![
        ("row: position in the file", Vec::new(), Vec::new()),
        ("row: leaf page number", Vec::new(), Vec::new()),
        ("row: cell offset within its page", Vec::new(), Vec::new()),
        ("row: first overflow page", Vec::new(), Vec::new()),
        (
            "session index entry: position in the file",
            Vec::new(),
            Vec::new(),
        ),
    ];
    let page_size = file.page_size as f64;
    for cell in &cells {
        let cols = &cell.columns;
        let position = (cell.page as f64 - 1.0) * page_size + cell.offset as f64;
        // A workshop_results row: nine columns, the result id first.
        if cols.len() == 9 {
            if let Some(&i) = cols[0].as_deref().and_then(|id| index_of.get(id)) {
                let mut push = |k: usize, value: f64| {
                    rows[k].1.push(i as f64);
                    rows[k].2.push(value);
                };
                push(0, position);
                push(1, cell.page as f64);
                push(2, cell.offset as f64);
                if let Some(first) = cell.first_overflow {
                    push(3, first as f64);
                }
            }
        }
        // An entry of workshop_results_by_session: the result id last.
        if cols.len() == 5 {
            if let Some(&i) = cols[4].as_deref().and_then(|id| index_of.get(id)) {
                rows[4].1.push(i as f64);
                rows[4].2.push(position);
            }
        }
    }
    rows
}

/// The mean distance, in ranks of `place`, between two results of the same
/// person (kiosk) or phone.
fn mean_distance_within_makers(arrivals: &[(String, Maker)], place: &HashMap<Vec<u8>, f64>) -> f64 {
    let physical: Vec<f64> = arrivals
        .iter()
        .map(|(id, _)| place[id.as_bytes()])
        .collect();
    let rank = ranks(&physical);
    let mut by_maker: HashMap<&Maker, Vec<f64>> = HashMap::new();
    for ((_, maker), r) in arrivals.iter().zip(&rank) {
        by_maker.entry(maker).or_default().push(*r);
    }
    let mut distances = Vec::new();
    for ranks in by_maker.values() {
        for (a, x) in ranks.iter().enumerate() {
            for y in &ranks[a + 1..] {
                distances.push((x - y).abs());
            }
        }
    }
    distances.iter().sum::<f64>() / distances.len() as f64
}

/// Within each page, the cells of the results (and of their index entries)
/// are in no particular order of arrival.
fn check_order_within_pages(file: &File, arrivals: &[(String, Maker)]) {
    let cells = file.index_cells();
    let index_of: HashMap<&[u8], usize> = arrivals
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_bytes(), i))
        .collect();
    for (name, columns, id_column) in [
        ("row: cell order within each page", 9, 0),
        ("session index entry: order within each page", 5, 4),
    ] {
        let placed: Vec<(usize, usize, usize)> = cells
            .iter()
            .filter(|c| c.columns.len() == columns)
            .filter_map(|c| {
                let i = index_of.get(c.columns[id_column].as_deref()?)?;
                Some((c.page, c.offset, *i))
            })
            .collect();
        let (tau, pairs) = within_page_tau(&placed);
        println!("{name}: Kendall tau {tau:+.3} over {pairs} pairs on the same page");
        assert!(pairs >= 20, "{name}: too few pairs ({pairs}) to judge");
        assert!(
            tau.abs() <= MAX_RHO,
            "{name} follows the order of turns (tau {tau:+.3})"
        );
    }
}

/// A person's results, or a phone's, sit no closer together than chance.
fn check_people_are_not_linked(file: &File, arrivals: &[(String, Maker)]) {
    let n = arrivals.len();
    let cells = file.index_cells();
    // A person's results: no closer together in the file than chance. By
    // chance two of n results sit about n/3 ranks apart.
    let position: HashMap<Vec<u8>, f64> = cells
        .iter()
        .filter(|c| c.columns.len() == 9)
        .filter_map(|c| {
            let id = c.columns[0].clone()?;
            Some((
                id,
                (c.page as f64 - 1.0) * file.page_size as f64 + c.offset as f64,
            ))
        })
        .collect();
    let overflow: HashMap<Vec<u8>, f64> = cells
        .iter()
        .filter(|c| c.columns.len() == 9)
        .filter_map(|c| Some((c.columns[0].clone()?, c.first_overflow? as f64)))
        .collect();
    for (name, place) in [
        ("position in the file", &position),
        ("first overflow page", &overflow),
    ] {
        let mean = mean_distance_within_makers(arrivals, place);
        println!(
            "one person's results by {name}: mean distance {mean:.1} ranks (chance: about {:.1}; back to back: 1)",
            n as f64 / 3.0
        );
        assert!(
            mean >= n as f64 / 6.0,
            "one person's results sit together in the file by {name} (mean distance {mean:.1})"
        );
    }
}

#[test]
fn the_file_does_not_remember_the_order_of_turns_or_what_a_phone_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(dir.path()).unwrap();
    let config = SessionConfig {
        name: "Forensics".into(),
        rubric_ids: vec![READINESS.into(), GUT_CHECK.into()],
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    let arrivals = run_workshop(&store, &library, &session);
    let path = store.path().to_path_buf();
    drop(store);
    let n = arrivals.len();
    assert_eq!(n, KIOSK_PEOPLE * 3 + PHONES * 2);

    let file = File::read(&path);
    println!(
        "{n} results, {} pages of {} bytes",
        file.pages(),
        file.page_size
    );
    for (name, arrival, physical) in orderings(&file, &arrivals) {
        assert!(
            arrival.len() >= 30,
            "{name}: only {} results found in the file; the reader is broken",
            arrival.len()
        );
        let rho = spearman(&arrival, &physical);
        println!(
            "{name}: Spearman rho {rho:+.3} over {} results",
            arrival.len()
        );
        assert!(
            rho.abs() <= MAX_RHO,
            "{name} follows the order of turns (rho {rho:+.3})"
        );
    }

    check_order_within_pages(&file, &arrivals);
    check_people_are_not_linked(&file, &arrivals);

    // Nothing deleted lingers: the answers phones had in progress were
    // replaced, and no page is free.
    let leftovers = file
        .bytes
        .windows(MARKER.len())
        .filter(|w| *w == MARKER.as_bytes())
        .count();
    println!(
        "deleted answers found in the file: {leftovers}; free pages: {}",
        file.free_pages().len()
    );
    assert_eq!(leftovers, 0, "answers in progress survive in the file");
    assert!(file.free_pages().is_empty());
    let others: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "results.sqlite3")
        .collect();
    assert!(others.is_empty(), "files beside the database: {others:?}");
}
