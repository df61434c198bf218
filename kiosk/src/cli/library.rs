//! `rubric-kiosk library list|import|remove`: the imported bundles.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use clap::Subcommand;
use serde_json::json;

use crate::library::{Consent, ImportError, Library, Mode, Rejection, Signer, TrustContext};

/// `library` subcommands.
#[derive(Debug, Subcommand)]
pub enum LibraryCommand {
    /// List the rubrics in use and the imported bundles.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import a bundle file into the library folder.
    Import {
        /// The bundle (`.rbk`).
        bundle: PathBuf,
        /// Import even if it is unsigned or signed by an untrusted key
        /// (single-user mode only; the policy may forbid it).
        #[arg(long)]
        allow_untrusted: bool,
        /// Let newer versions replace the rubrics in use.
        #[arg(long)]
        replace: bool,
        /// Judge the bundle as a workshop kiosk would (trusted signatures only).
        #[arg(long)]
        workshop: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Stop offering an imported bundle (its file stays for old results).
    Remove {
        /// The bundle id `library list` shows (or a prefix of 8+ hex digits).
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `library` subcommand.
pub fn run(command: LibraryCommand, data_dir: &Path) -> Result<()> {
    let mut library = Library::open(data_dir)?;
    if let Some(problem) = &library.problem {
        eprintln!("warning: {problem}");
    }
    let mut out = std::io::stdout().lock();
    match command {
        LibraryCommand::List { json } => list(&library, json, &mut out),
        LibraryCommand::Import {
            bundle,
            allow_untrusted,
            replace,
            workshop,
            json,
        } => {
            let mode = if workshop {
                Mode::Workshop
            } else {
                Mode::SingleUser
            };
            let trust = TrustContext::load(data_dir, mode);
            let consent = Consent {
                untrusted: allow_untrusted,
                replace,
            };
            let plan = library
                .import(&bundle, &trust, consent)
                .map_err(|e| refused(&bundle, e))?;
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({
                        "imported": plan.preview.hash,
                        "id": plan.preview.hash.get(..12),
                        "signer": plan.preview.signer.to_string(),
                        "rubrics": plan.changes.iter().map(|(r, _)| json!({"id": r.id, "version": r.version})).collect::<Vec<_>>(),
                        "replaced": plan.replacements().iter().map(|(id, old, new)| json!({"id": id, "from": old, "to": new})).collect::<Vec<_>>(),
                    })
                )?;
            } else {
                writeln!(
                    out,
                    "imported {} as bundle {} ({})",
                    bundle.display(),
                    plan.preview.hash.get(..12).unwrap_or_default(),
                    plan.preview.signer
                )?;
                for (id, old, new) in plan.replacements() {
                    writeln!(out, "  {id}: version {new} replaces version {old}")?;
                }
            }
            Ok(())
        }
        LibraryCommand::Remove { id, json } => {
            let entry = library.remove(&id)?;
            if json {
                writeln!(out, "{}", json!({ "removed": entry.hash }))?;
            } else {
                writeln!(
                    out,
                    "bundle {} ({}) is no longer offered; its file stays so results made with it still show",
                    entry.id(),
                    entry.source_name
                )?;
            }
            Ok(())
        }
    }
}

/// Why `library import` did not import, worded for the command line: a
/// local file that cannot be read is not a pulled-out drive, and a bundle
/// signed by a key this kiosk does not know could also come in once that
/// key is trusted.
fn refused(bundle: &Path, e: ImportError) -> anyhow::Error {
    let path = bundle.display();
    let trust_hint = |signer: &Signer| {
        match signer {
        Signer::Untrusted(_) => {
            "; or, if you know the key is its author's, trust it first with `rubric-kiosk keys trust AUTHOR.pub`"
        }
        Signer::Unsigned | Signer::Trusted(_) => "",
    }
    };
    match e {
        ImportError::NeedsWarning(signer) => anyhow!(
            "{path}: the bundle is {signer}; import it only if you know where it came from (add --allow-untrusted){}",
            trust_hint(&signer)
        ),
        ImportError::NeedsConfirmation(_) => anyhow!("{path}: {e} (add --replace)"),
        ImportError::Rejected(Rejection::Unreadable(reason)) => {
            anyhow!("cannot read {path}: {reason}")
        }
        ImportError::Rejected(Rejection::NotTrusted { signer }) => {
            let hint = trust_hint(&signer);
            anyhow!(
                "{path}: refused: {}{hint}",
                Rejection::NotTrusted { signer }
            )
        }
        e => anyhow!("{path}: refused: {e}"),
    }
}

fn list(library: &Library, json: bool, out: &mut impl Write) -> Result<()> {
    let current = library.current();
    let rubrics: Vec<_> = current
        .bundle
        .rubrics()
        .map(|r| {
            let hash = current.hash_for(r.id);
            json!({
                "id": r.id,
                "version": r.version,
                "title": r.title,
                "from": if hash == library.shipped().hash { "built-in".to_string() } else { hash.get(..12).unwrap_or_default().to_string() },
            })
        })
        .collect();
    let bundles: Vec<_> = library
        .entries()
        .iter()
        .map(|e| {
            json!({
                "id": e.id(),
                "sha256": e.hash,
                "file": e.source_name,
                "imported_at": e.imported_at,
                "signed_by": e.signer,
                "removed": e.removed,
                "rubrics": e.rubrics.iter().map(|r| json!({"id": r.id, "version": r.version})).collect::<Vec<_>>(),
            })
        })
        .collect();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "rubrics": rubrics, "bundles": bundles }))?
        )?;
        return Ok(());
    }
    writeln!(out, "rubrics in use:")?;
    for r in &rubrics {
        writeln!(
            out,
            "  {} v{}  {}  (from {})",
            r["id"].as_str().unwrap_or_default(),
            r["version"],
            r["title"].as_str().unwrap_or_default(),
            r["from"].as_str().unwrap_or_default()
        )?;
    }
    writeln!(out, "imported bundles:")?;
    if library.entries().is_empty() {
        writeln!(out, "  none")?;
    }
    for e in library.entries() {
        let rubrics: Vec<String> = e
            .rubrics
            .iter()
            .map(|r| format!("{} v{}", r.id, r.version))
            .collect();
        writeln!(
            out,
            "  {}  {}  {}{}  [{}]",
            e.id(),
            e.source_name,
            e.signer
                .as_deref()
                .map_or("unsigned".to_string(), |k| format!("signed by {k}")),
            if e.removed { "  (removed)" } else { "" },
            rubrics.join(", ")
        )?;
    }
    Ok(())
}
