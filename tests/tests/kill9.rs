//! The results store and atomic file writes under SIGKILL.
//!
//! Starts the `store-kill` writer, kills it (`Child::kill` sends SIGKILL on
//! Unix) at a random moment, reopens what it wrote and checks it against
//! what the writer acknowledged, then starts it again on the same files.
//! `KILL9_ROUNDS` sets the number of kills per test (20 by default; see
//! `tests/fuzz/README.md` for the long run) and `KILL9_SEED` the seed.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use kiosk::store::{ResultsStore, StoredResult};
use rubric_engine::ScoreResult;
use rubrics::report::ResultReport;

#[allow(dead_code)]
#[path = "../src/bin/store-kill.rs"]
mod harness;

use harness::{check_export, progress_digest, stored_result_digest, Line, Rng};

fn rounds() -> usize {
    std::env::var("KILL9_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

fn seed() -> u64 {
    std::env::var("KILL9_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x6b69_6c6c)
}

fn start(mode: &str, path: &Path, seed: u64) -> (Child, BufReader<ChildStdout>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_store-kill"))
        .args([mode, &path.display().to_string(), &seed.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the writer starts");
    let stdout = child.stdout.take().expect("a piped stdout");
    (child, BufReader::new(stdout))
}

/// Reads one whole line; `None` at the end (a line cut short by the kill
/// was never acknowledged, so it is dropped).
fn read_line(reader: &mut BufReader<ChildStdout>) -> Option<Line> {
    let mut text = String::new();
    match reader.read_line(&mut text) {
        Ok(n) if n > 0 && text.ends_with('\n') => {
            let line = Line::parse(text.trim_end());
            assert!(line.is_some(), "the writer printed {text:?}");
            line
        }
        _ => None,
    }
}

/// Lets the writer print `lines` lines, waits a random moment, kills it, and
/// returns every whole line it printed.
fn run_and_kill(
    mut child: Child,
    mut reader: BufReader<ChildStdout>,
    lines: u64,
    wait: Duration,
) -> Vec<Line> {
    let mut seen = Vec::new();
    for _ in 0..lines {
        match read_line(&mut reader) {
            Some(line) => seen.push(line),
            None => {
                let mut stderr = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!("the writer stopped on its own: {stderr}");
            }
        }
    }
    std::thread::sleep(wait);
    child.kill().expect("SIGKILL is delivered");
    let status = child.wait().expect("the writer is reaped");
    assert!(!status.success(), "the writer was killed, it did not exit");
    while let Some(line) = read_line(&mut reader) {
        seen.push(line);
    }
    seen
}

/// What the writer acknowledged so far, and what it was writing when killed.
#[derive(Debug, Default)]
struct Acknowledged {
    results: BTreeMap<i64, String>,
    /// The progress saved after the last acknowledged write, if that write
    /// was a progress (a saved result clears it).
    progress: Option<String>,
    pending: Option<Line>,
    /// Rows whose report and engine result were decoded and re-derived.
    deep_checked: std::collections::BTreeSet<i64>,
    /// Kills that landed between a `pending` line and its acknowledgement.
    mid_write: usize,
    /// Of those, how many writes were found committed all the same.
    committed_unacknowledged: usize,
}

impl Acknowledged {
    fn apply(&mut self, line: Line) {
        match &line {
            Line::PendingResult(_) | Line::PendingProgress(_) => self.pending = Some(line),
            Line::SavedResult(id, digest) => {
                assert_eq!(self.pending, Some(Line::PendingResult(digest.clone())));
                self.results.insert(*id, digest.clone());
                self.progress = None;
                self.pending = None;
            }
            Line::SavedProgress(digest) => {
                assert_eq!(self.pending, Some(Line::PendingProgress(digest.clone())));
                self.progress = Some(digest.clone());
                self.pending = None;
            }
            other => panic!("the store writer printed {other}"),
        }
    }
}

/// A stored result decodes, and is what the engine makes of its answers.
fn check_intact(row: &StoredResult) {
    let library = kiosk::library::shipped().expect("the shipped library");
    assert_eq!(row.bundle_hash, library.hash);
    let rubric = library
        .bundle
        .rubric(&row.rubric_id)
        .expect("a library rubric");
    let result = ScoreResult::decode(&row.engine_result).expect("the engine result decodes");
    let report: ResultReport =
        serde_json::from_str(&row.report_json).expect("the report JSON decodes");
    let answers = serde_json::from_str(&row.answers_json).expect("the answers JSON decodes");
    let set = rubrics::answers::from_json(&rubric, &answers).expect("the answers fit the rubric");
    assert_eq!(rubric_engine::score(&rubric, &set.answers), result);
    assert_eq!(rubrics::report::report(&rubric, &result), report);
}

fn integrity_ok(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs");
    assert_eq!(verdict, "ok");
}

/// Checks the store after a kill; returns how many results were checked.
fn check_store(folder: &Path, db: &Path, acked: &mut Acknowledged) -> usize {
    integrity_ok(db);
    if acked.pending.is_some() {
        acked.mid_write += 1;
    }
    let store = ResultsStore::open_in(folder).expect("the store reopens");
    let rows = store.results_row_by_row(None).expect("results are read");
    assert!(rows.unreadable.is_empty(), "{:?}", rows.unreadable);
    let stored: BTreeMap<i64, &StoredResult> = rows.readable.iter().map(|r| (r.id, r)).collect();
    for (id, digest) in &acked.results {
        let row = stored
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged result {id} is lost"));
        assert_eq!(&stored_result_digest(row), digest, "result {id} changed");
    }
    // Besides the acknowledged results, only the one being saved may be there.
    let mut extra = stored.keys().filter(|id| !acked.results.contains_key(id));
    let committed_pending = extra.next().copied();
    assert_eq!(extra.next(), None, "more than one unacknowledged result");
    if let Some(id) = committed_pending {
        let digest = stored_result_digest(stored[&id]);
        assert_eq!(acked.pending, Some(Line::PendingResult(digest.clone())));
        acked.apply(Line::SavedResult(id, digest));
        acked.committed_unacknowledged += 1;
    }
    for row in &rows.readable {
        if acked.deep_checked.insert(row.id) {
            check_intact(row);
        }
    }

    let progress = store.progress().expect("the progress is read");
    let found = progress.as_ref().map(progress_digest);
    match (&acked.pending, &found) {
        (Some(Line::PendingProgress(pending)), Some(found)) if pending == found => {
            acked.apply(Line::SavedProgress(found.clone()));
            acked.committed_unacknowledged += 1;
        }
        _ => assert_eq!(
            found, acked.progress,
            "the attempt in progress is not the last saved"
        ),
    }
    acked.pending = None;
    stored.len()
}

#[test]
fn acknowledged_results_and_progress_survive_sigkill_intact() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("store");
    let db = ResultsStore::open_in(&folder)
        .expect("a new store")
        .path()
        .to_path_buf();
    let mut rng = Rng(seed());
    let mut acked = Acknowledged::default();
    let mut checked = 0;
    let rounds = rounds();
    for _ in 0..rounds {
        let (child, reader) = start("store", &folder, rng.next_u64());
        // Mostly a few writes in, sometimes right at the start.
        let lines = rng.next_u64() % 60;
        let wait = Duration::from_micros(rng.next_u64() % 5_000);
        for line in run_and_kill(child, reader, lines, wait) {
            acked.apply(line);
        }
        checked += check_store(&folder, &db, &mut acked);
    }
    println!(
        "store: {rounds} kills ({} mid-write, {} of those committed before the kill), {} results acknowledged, {checked} result checks, {} decoded and re-scored",
        acked.mid_write,
        acked.committed_unacknowledged,
        acked.results.len(),
        acked.deep_checked.len()
    );
    assert!(!acked.results.is_empty(), "no result was ever saved");
}

#[test]
fn an_atomic_write_killed_midway_leaves_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("export.bin");
    let mut rng = Rng(seed() ^ 0xe4);
    let mut saved: Option<(u64, String)> = None;
    let mut next = 0;
    let mut leftovers = 0;
    let (mut mid_write, mut renamed_unacknowledged) = (0, 0);
    let rounds = rounds();
    for _ in 0..rounds {
        let (child, reader) = start("export", &file, next);
        // Right after a `pending` line, then up to about one write's time:
        // most kills land inside `write_atomic`, some just after it.
        let lines = 2 * (rng.next_u64() % 3) + 1;
        let wait = Duration::from_micros(rng.next_u64() % 8_000);
        let mut pending = None;
        for line in run_and_kill(child, reader, lines, wait) {
            match line {
                Line::PendingExport(n, d) => pending = Some((n, d)),
                Line::SavedExport(n, d) => {
                    assert_eq!(pending.take(), Some((n, d.clone())));
                    saved = Some((n, d));
                }
                other => panic!("the export writer printed {other}"),
            }
        }
        if pending.is_some() {
            mid_write += 1;
        }
        match std::fs::read(&file) {
            Ok(bytes) => {
                let n = check_export(&bytes).unwrap_or_else(|e| panic!("a damaged export: {e}"));
                let found = Some((n, kiosk::library::hash_hex(&bytes)));
                assert!(
                    found == saved || found == pending,
                    "export {n} is neither the last saved one nor the one being written"
                );
                if found != saved {
                    renamed_unacknowledged += 1;
                }
                saved = found;
            }
            Err(e) => assert!(saved.is_none(), "the export is gone after a save: {e}"),
        }
        next = saved
            .as_ref()
            .map_or(0, |(n, _)| n + 1)
            .max(pending.map_or(0, |(n, _)| n + 1));
        // A killed write leaves its temporary file behind; count and remove.
        for entry in std::fs::read_dir(dir.path()).expect("the folder lists") {
            let path = entry.expect("an entry").path();
            if path != file {
                leftovers += 1;
                std::fs::remove_file(&path).expect("a leftover is removed");
            }
        }
    }
    let written = saved.as_ref().map_or(0, |(n, _)| n + 1);
    println!(
        "export: {rounds} kills ({mid_write} mid-write, {renamed_unacknowledged} of those renamed before the kill), {written} exports written, {leftovers} temporary files left behind"
    );
    assert!(saved.is_some(), "no export was ever written");
}
