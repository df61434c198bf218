//! `rubric-kiosk media scan`: the drives the kiosk sees and the bundles on
//! them, each with what importing it would do or why it cannot be imported.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;
use serde_json::{json, Value};

use crate::library::{Change, Library, Mode, Rejection, TrustContext};
use crate::media::{
    extra_roots, scan_roots, system_roots, Drive, FileSystem, ScanLimits, ANSWER_WITHIN,
};

/// `media` subcommands.
#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// List the drives found and the bundles on them, with status and reason.
    Scan {
        /// Also look in this folder as if it were a drive (repeatable).
        #[arg(long = "media-root", value_name = "DIR")]
        roots: Vec<PathBuf>,
        /// Look only at --media-root folders and RUBRIC_KIOSK_MEDIA, not at
        /// the system's removable drives.
        #[arg(long)]
        no_system: bool,
        /// Judge the bundles as a workshop kiosk would (trusted signatures only).
        #[arg(long)]
        workshop: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The drives to look at, as `media scan` and `export --to-drive` see them.
/// Each is looked at on its own thread; one that does not answer within
/// [`ANSWER_WITHIN`] is listed as not answering instead of holding up the rest.
pub fn drives(roots: &[PathBuf], system: bool) -> Vec<Drive> {
    let mut all = extra_roots(roots);
    if system {
        for root in system_roots() {
            if !all.contains(&root) {
                all.push(root);
            }
        }
    }
    scan_roots(
        &(std::sync::Arc::new(FileSystem) as std::sync::Arc<dyn crate::media::DriveReader>),
        &all,
        &ScanLimits::default(),
        ANSWER_WITHIN,
    )
}

/// Runs a `media` subcommand.
pub fn run(command: MediaCommand, data_dir: &Path) -> Result<()> {
    let MediaCommand::Scan {
        roots,
        no_system,
        workshop,
        json,
    } = command;
    let library = Library::open(data_dir)?;
    let mode = if workshop {
        Mode::Workshop
    } else {
        Mode::SingleUser
    };
    let trust = TrustContext::load(data_dir, mode);
    let drives: Vec<Value> = drives(&roots, !no_system)
        .iter()
        .map(|d| drive_json(d, &library, &trust))
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "drives": drives }))?
        )?;
        return Ok(());
    }
    if drives.is_empty() {
        writeln!(out, "no drives found")?;
    }
    for drive in &drives {
        // The name is what `export --to-drive` takes.
        writeln!(
            out,
            "drive {} at {}",
            drive["name"].as_str().unwrap_or_default(),
            drive["root"].as_str().unwrap_or_default()
        )?;
        if let Some(note) = drive["note"].as_str() {
            writeln!(out, "  note: {note}")?;
        }
        for key in drive["keys"].as_array().into_iter().flatten() {
            writeln!(out, "  key file {}", key.as_str().unwrap_or_default())?;
        }
        let bundles = drive["bundles"].as_array().map_or(&[][..], Vec::as_slice);
        if bundles.is_empty() {
            writeln!(out, "  no bundles")?;
        }
        for b in bundles {
            writeln!(
                out,
                "  {}  {} bytes  {}",
                b["file"].as_str().unwrap_or_default(),
                b["size"],
                b["status"].as_str().unwrap_or_default()
            )?;
            if let Some(signer) = b["signer"].as_str() {
                writeln!(out, "    {signer}")?;
            }
            for r in b["rubrics"].as_array().into_iter().flatten() {
                writeln!(
                    out,
                    "    rubric {} v{}: {} ({} questions) {}",
                    r["id"].as_str().unwrap_or_default(),
                    r["version"],
                    r["title"].as_str().unwrap_or_default(),
                    r["questions"],
                    r["change"].as_str().unwrap_or_default()
                )?;
            }
            if let Some(reason) = b["reason"].as_str() {
                writeln!(out, "    {reason}")?;
            }
        }
    }
    Ok(())
}

fn change_words(change: &Change) -> String {
    match change {
        Change::New => "new".into(),
        Change::Replaces(old) => format!("replaces version {old}"),
        Change::Older(current) => format!("older than version {current} in use"),
        Change::Same => "already in the library".into(),
    }
}

fn drive_json(drive: &Drive, library: &Library, trust: &TrustContext) -> Value {
    let bundles: Vec<Value> = drive
        .bundles
        .iter()
        .map(|found| {
            let plan = found
                .content
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|bytes| library.plan(bytes, trust));
            match plan {
                Ok(plan) => json!({
                    "file": found.path.display().to_string(),
                    "size": found.size,
                    "status": match plan.admission {
                        crate::library::Admission::Trusted => "importable",
                        crate::library::Admission::AfterWarning => "importable after a warning",
                    },
                    "sha256": plan.preview.hash,
                    "format_version": plan.preview.format_version,
                    "checksum": "ok",
                    "signer": plan.preview.signer.to_string(),
                    "trusted": plan.preview.signer.is_trusted(),
                    "rubrics": plan.changes.iter().zip(&plan.preview.rubrics).map(|((r, c), p)| json!({
                        "id": r.id,
                        "version": r.version,
                        "title": r.title,
                        "questions": p.items.len(),
                        "change": change_words(c),
                    })).collect::<Vec<_>>(),
                }),
                // Nothing to do is not an error.
                Err(Rejection::AlreadyInLibrary) => json!({
                    "file": found.path.display().to_string(),
                    "size": found.size,
                    "status": "already in the library",
                }),
                Err(reason) => json!({
                    "file": found.path.display().to_string(),
                    "size": found.size,
                    "status": "rejected",
                    "reason": reason.to_string(),
                }),
            }
        })
        .collect();
    json!({
        "root": drive.root.display().to_string(),
        "name": drive.name,
        "note": drive.note.as_ref().map(ToString::to_string),
        "keys": drive.keys.iter().map(|k| k.display().to_string()).collect::<Vec<_>>(),
        "bundles": bundles,
    })
}
