//! A writer for the kill -9 test (`tests/tests/kill9.rs`), which kills it
//! with SIGKILL at random moments and checks what survived.
//!
//! `store-kill store FOLDER SEED` opens the results store in FOLDER and loops
//! over the shipped library as the app does: it answers an attempt item by
//! item, saving the attempt in progress after each answer, then saves the
//! completed result (which clears the progress). `store-kill export FILE SEED`
//! rewrites FILE with [`kiosk::fsutil::write_atomic`] over and over, each
//! version up to 2 MiB with its length and checksum in its first line.
//!
//! Before each write it prints what it is about to write (`pending ...`),
//! and after the write returns it prints the same digest again (`saved ...`):
//! that line is the acknowledgement. The test includes this file as a module
//! for [`Line`] and the digests, so writer and checker cannot drift.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use kiosk::attempt::Attempt;
use kiosk::library::hash_hex;
use kiosk::store::{InProgress, NewResult, ResultsStore, StoredResult};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

/// One line of the writer's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// About to save a result with this digest.
    PendingResult(String),
    /// The result with this row id and digest is committed.
    SavedResult(i64, String),
    /// About to save this attempt in progress.
    PendingProgress(String),
    /// The attempt in progress with this digest is committed.
    SavedProgress(String),
    /// About to write export number `n` with this digest.
    PendingExport(u64, String),
    /// Export number `n` with this digest is in place.
    SavedExport(u64, String),
}

impl Line {
    /// Reads a line the writer printed (without its newline).
    pub fn parse(line: &str) -> Option<Line> {
        let words: Vec<&str> = line.split(' ').collect();
        Some(match words.as_slice() {
            ["pending", "result", digest] => Line::PendingResult(digest.to_string()),
            ["saved", "result", id, digest] => {
                Line::SavedResult(id.parse().ok()?, digest.to_string())
            }
            ["pending", "progress", digest] => Line::PendingProgress(digest.to_string()),
            ["saved", "progress", digest] => Line::SavedProgress(digest.to_string()),
            ["pending", "export", n, digest] => {
                Line::PendingExport(n.parse().ok()?, digest.to_string())
            }
            ["saved", "export", n, digest] => {
                Line::SavedExport(n.parse().ok()?, digest.to_string())
            }
            _ => return None,
        })
    }
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Line::PendingResult(d) => write!(f, "pending result {d}"),
            Line::SavedResult(id, d) => write!(f, "saved result {id} {d}"),
            Line::PendingProgress(d) => write!(f, "pending progress {d}"),
            Line::SavedProgress(d) => write!(f, "saved progress {d}"),
            Line::PendingExport(n, d) => write!(f, "pending export {n} {d}"),
            Line::SavedExport(n, d) => write!(f, "saved export {n} {d}"),
        }
    }
}

/// Digest of every column of a result, as written.
pub fn new_result_digest(r: &NewResult<'_>) -> String {
    let mut bytes = Vec::new();
    for part in [
        r.rubric_id.as_bytes(),
        &r.rubric_version.to_le_bytes(),
        r.bundle_hash.as_bytes(),
        &r.completed_at.to_le_bytes(),
        r.answers_json.as_bytes(),
        r.report_json.as_bytes(),
        r.engine_result,
    ] {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part);
    }
    hash_hex(&bytes)
}

/// Digest of every column of a result, as read back.
pub fn stored_result_digest(r: &StoredResult) -> String {
    new_result_digest(&NewResult {
        rubric_id: &r.rubric_id,
        rubric_version: r.rubric_version,
        bundle_hash: &r.bundle_hash,
        completed_at: r.completed_at,
        answers_json: &r.answers_json,
        report_json: &r.report_json,
        engine_result: &r.engine_result,
    })
}

/// Digest of every field of an attempt in progress.
pub fn progress_digest(p: &InProgress) -> String {
    let mut bytes = Vec::new();
    for part in [
        p.rubric_id.as_bytes(),
        p.bundle_hash.as_bytes(),
        p.answers_json.as_bytes(),
        &(p.cursor as u64).to_le_bytes(),
        &p.updated_at.to_le_bytes(),
    ] {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part);
    }
    hash_hex(&bytes)
}

/// Export number `n`: a first line `rubric-kiosk export N LEN SHA256` and
/// then LEN bytes of body whose SHA-256 it names. Between 512 KiB and 2 MiB.
pub fn export_bytes(n: u64) -> Vec<u8> {
    let mut state = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let len = (512 << 10) + (state as usize % (1536 << 10));
    let mut body = Vec::with_capacity(len);
    while body.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        body.extend_from_slice(&state.to_le_bytes());
    }
    body.truncate(len);
    let mut out = format!("rubric-kiosk export {n} {len} {}\n", hash_hex(&body)).into_bytes();
    out.extend_from_slice(&body);
    out
}

/// Checks an export file: its first line's length and checksum match its
/// body. Returns the export number.
pub fn check_export(bytes: &[u8]) -> Result<u64> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .context("no first line")?;
    let head = std::str::from_utf8(&bytes[..newline]).context("the first line is not text")?;
    let body = &bytes[newline + 1..];
    let ["rubric-kiosk", "export", n, len, sha] = head.split(' ').collect::<Vec<_>>()[..] else {
        bail!("the first line is not an export header: {head:?}")
    };
    let len: usize = len.parse()?;
    if body.len() != len {
        bail!("the body has {} bytes, the header says {len}", body.len());
    }
    if hash_hex(body) != sha {
        bail!("the body's checksum does not match its header");
    }
    Ok(n.parse()?)
}

fn say(line: &Line) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

/// A small deterministic generator, so each run answers differently.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn store_loop(folder: &Path, seed: u64) -> Result<()> {
    let store = ResultsStore::open_in(folder)?;
    let library = kiosk::library::shipped()?;
    let rubrics: Vec<_> = library.bundle.rubrics().collect();
    let mut rng = Rng(seed);
    loop {
        let rubric = rubrics[rng.next_u64() as usize % rubrics.len()];
        let mut attempt = Attempt::start(rubric, &library.hash);
        while let Some(item) = attempt.runner.current_item() {
            let pick = rng.next_u64();
            if let ItemKind::Text = item.kind {
                let index = attempt.runner.current().unwrap_or(0);
                attempt.set_text(index, format!("free text {pick:x}"))?;
            } else {
                let answer = match item.kind {
                    ItemKind::Scale { min, max, .. } => {
                        Answer::Level(min + (pick % u64::from(max - min + 1)) as u8)
                    }
                    ItemKind::YesNo { .. } => Answer::YesNo(pick.is_multiple_of(2)),
                    ItemKind::Single { options } => {
                        Answer::Choice((pick % options.len() as u64) as u8)
                    }
                    ItemKind::Multi { options } => {
                        Answer::Choices((pick % (1 << options.len())) as u16)
                    }
                    ItemKind::Count { min, max, .. } => {
                        Answer::Count(min + (pick % (u64::from(max - min) + 1)) as u32)
                    }
                    ItemKind::Text => Answer::Text,
                };
                attempt.runner.answer(answer)?;
            }
            attempt.runner.next_visible()?;
            let progress = attempt.progress();
            let digest = progress_digest(&progress);
            say(&Line::PendingProgress(digest.clone()))?;
            store.save_progress(&progress)?;
            say(&Line::SavedProgress(digest))?;
        }
        let completed = attempt.complete();
        let encoded = completed.encoded()?;
        let digest = new_result_digest(&completed.new_result(&encoded));
        say(&Line::PendingResult(digest.clone()))?;
        let id = store.save_result(&completed.new_result(&encoded))?;
        say(&Line::SavedResult(id, digest))?;
    }
}

fn export_loop(file: &Path, seed: u64) -> Result<()> {
    for n in seed.. {
        let bytes = export_bytes(n);
        let digest = hash_hex(&bytes);
        say(&Line::PendingExport(n, digest.clone()))?;
        kiosk::fsutil::write_atomic(file, &bytes)?;
        say(&Line::SavedExport(n, digest))?;
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, mode, path, seed] = &args[..] else {
        bail!("usage: store-kill store FOLDER SEED | store-kill export FILE SEED")
    };
    let seed: u64 = seed.parse().context("SEED is a whole number")?;
    match mode.as_str() {
        "store" => store_loop(Path::new(path), seed),
        "export" => export_loop(Path::new(path), seed),
        other => bail!("unknown mode {other}: use store or export"),
    }
}
