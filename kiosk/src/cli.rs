//! The command line: new, preview, compile, check, inspect, verify, keygen, sign, score, and the
//! workshop commands (session, export, import, report) in [`workshop`], and
//! the USB commands: [`media`], [`library`] and [`keys`], and session plans
//! and their printable guide in [`plan`].

mod bundle_file;
pub mod check;
pub mod convert;
pub mod inspect;
pub mod keys;
pub mod library;
pub mod media;
pub mod new;
pub mod plan;
pub mod score;
pub mod serve;
pub mod workshop;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use rubric_engine::codec::Prose;
use rubric_engine::{Bundle, TrustedKey};
use rubrics::keys::{hex, read_public};
use rubrics::SecretKey;
use serde_json::json;

/// `println!` that returns write errors (a closed pipe, a full disk) instead
/// of panicking; the caller reports them once.
macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}
use crate::fsutil::write_atomic;
use bundle_file::{decode, read_bundle, texts_word};

/// Rubric Kiosk: offline rubric self-assessment. With no command, starts the app.
#[derive(Debug, Parser)]
#[command(name = "rubric-kiosk", version, about)]
pub struct Cli {
    /// What to do; without one the kiosk app starts.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Folder for the results database (default: the platform's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Start the app, draw one frame, and exit (a smoke test).
    #[arg(long)]
    pub exit_after_first_frame: bool,
    /// Count the frames drawn during SECONDS of idling (after one second to
    /// settle), print the count, and exit: a check that the idle app draws nothing.
    #[arg(long, value_name = "SECONDS")]
    pub idle_report: Option<u64>,
    /// With --idle-report, in an empty --data-dir: open the facilitator view
    /// of a fresh session with its plan's step timer running, to count the
    /// frames a running timer draws.
    #[arg(long, requires = "idle_report")]
    pub step_timer_check: bool,
    /// Start in workshop mode: a locked, fullscreen kiosk that participants
    /// take turns at; leaving it needs the facilitator PIN.
    #[arg(long)]
    pub kiosk: bool,
    /// Where the phone server listens when the facilitator lets phones join
    /// (default: every network of this machine, port 8080).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<std::net::SocketAddr>,
    /// Watch this folder as if it were a USB drive (repeatable; also the
    /// path list in RUBRIC_KIOSK_MEDIA).
    #[arg(long = "media-root", value_name = "DIR")]
    pub media_roots: Vec<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile rubric sources (TOML files, .xlsx or .ods spreadsheets, or folders of them) into a bundle.
    Compile {
        /// Source files, or folders of `*.toml`, `*.xlsx` and `*.ods` files.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// The bundle to write.
        #[arg(short, long, value_name = "OUT.rbk")]
        output: PathBuf,
        /// Sign with this secret key file.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Leave the texts out: the structure alone, for a scoring device.
        /// It scores like the full bundle; a kiosk will not import it.
        #[arg(long)]
        device: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check rubric sources: compile them, then score many answer sets of
    /// each rubric and report bands no answers reach and outcomes the rules
    /// never tell apart. Exits non-zero when it finds one.
    Check {
        /// Source files (`.toml`, `.xlsx`, `.ods`) or folders of them.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Random answer sets per rubric when there are too many to score them all.
        #[arg(long, default_value_t = 100_000)]
        samples: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Open the app on a rubric file (or a folder of them) for its author:
    /// it recompiles and shows the new version each time the file is saved,
    /// with errors in place, coverage of the rules and answers at a tap.
    Preview {
        /// The rubric file, or a folder of `*.toml` files.
        path: PathBuf,
    },
    /// Write a commented starter rubric to NAME.toml (its id made from NAME).
    New {
        /// The rubric's name, such as "Team health"; its id is made from it.
        name: String,
        /// Which starter to begin from.
        #[arg(long, value_enum, default_value_t = new::TemplateArg::YesNoCount)]
        template: new::TemplateArg,
        /// Where to write it (default: ID.toml in this folder). An existing file is never replaced.
        #[arg(short, long, value_name = "FILE.toml")]
        output: Option<PathBuf>,
    },
    /// Convert a rubric between TOML and a spreadsheet, by the files'
    /// extensions: TOML to .xlsx, .xlsx or .ods to TOML. Both compile to
    /// the same bundle.
    Convert {
        /// The rubric to read (`.toml`, `.xlsx` or `.ods`).
        input: PathBuf,
        /// The file to write (`.xlsx` or `.toml`).
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
        /// Replace OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Show what a bundle contains.
    Inspect {
        /// The bundle.
        bundle: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a bundle's integrity and, with --trust, its signature.
    Verify {
        /// The bundle.
        bundle: PathBuf,
        /// Public key files (`.pub`) to trust; the bundle must be signed by one of them.
        #[arg(long, value_name = "PUBKEY")]
        trust: Vec<PathBuf>,
    },
    /// Generate a signing key pair: KEYFILE (secret, owner-only) and KEYFILE.pub.
    Keygen {
        /// The secret key file to write.
        #[arg(short, long, value_name = "KEYFILE")]
        output: PathBuf,
    },
    /// Sign (or re-sign) an existing bundle.
    Sign {
        /// The bundle.
        bundle: PathBuf,
        /// The secret key file.
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        /// The signed bundle to write.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Score a JSON answer file against one rubric of a bundle.
    Score {
        /// The bundle.
        bundle: PathBuf,
        /// Rubric id.
        #[arg(long)]
        rubric: String,
        /// JSON object of answers keyed by item id.
        #[arg(long, value_name = "ANSWERS.json")]
        answers: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Workshop sessions: create, list, close.
    Session {
        /// What to do with sessions.
        #[command(subcommand)]
        command: workshop::SessionCommand,
    },
    /// Export a workshop session's results as CSV or JSON (only rubrics the
    /// group view shows), its group figures as a printable HTML page, or
    /// every individual result as a merge file for another kiosk.
    Export(workshop::ExportArgs),
    /// Merge the merge file (`export --format merge`) of another kiosk of
    /// the same workshop.
    Import {
        /// The merge file.
        file: PathBuf,
    },
    /// A workshop session's group figures, under its minimum group size.
    Report(workshop::ReportArgs),
    /// Let phones join a workshop session over this machine's network (no window).
    Serve(serve::ServeArgs),
    /// USB drives and the rubric bundles on them.
    Media {
        /// What to do.
        #[command(subcommand)]
        command: media::MediaCommand,
    },
    /// The rubric library: list, import a bundle, remove one.
    Library {
        /// What to do.
        #[command(subcommand)]
        command: library::LibraryCommand,
    },
    /// Trusted signing keys and the import policy.
    Keys {
        /// What to do.
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Session plans: list the shipped ones, show one, compile a plan source.
    Plan {
        /// What to do.
        #[command(subcommand)]
        command: plan::PlanCommand,
    },
    /// Write a plan's printable facilitator guide (or, with --handout, the
    /// participant handout) as one HTML file.
    Guide(plan::GuideArgs),
}

/// Runs one subcommand, printing to stdout; workshop commands use the
/// results database in `data_dir`. Errors are returned for the caller to print.
pub fn run(command: Command, data_dir: &Path) -> Result<()> {
    match command {
        Command::Session { command } => workshop::session(command, data_dir),
        Command::Export(args) => workshop::export(args, data_dir),
        Command::Import { file } => workshop::import(&file, data_dir),
        Command::Report(args) => workshop::report(args, data_dir),
        Command::Serve(args) => serve::serve(args, data_dir),
        Command::Media { command } => media::run(command, data_dir),
        Command::Library { command } => library::run(command, data_dir),
        Command::Keys { command } => keys::run(command, data_dir),
        Command::Plan { command } => plan::run(command, data_dir),
        Command::Guide(args) => plan::guide(args, data_dir),
        Command::Compile {
            sources,
            output,
            sign,
            device,
            json,
        } => {
            let prose = if device {
                Prose::Omitted
            } else {
                Prose::Included
            };
            compile(&sources, &output, sign.as_deref(), prose, json)
        }
        Command::Check {
            sources,
            samples,
            json,
        } => check::check(&sources, samples, json),
        Command::Preview { .. } => {
            bail!("the preview needs the app's window, and this rubric-kiosk was built without it")
        }
        Command::New {
            name,
            template,
            output,
        } => new::new(&name, template, output.as_deref()),
        Command::Convert {
            input,
            output,
            force,
        } => convert::convert(&input, &output, force),
        Command::Inspect { bundle, json } => inspect::inspect(&bundle, json),
        Command::Verify { bundle, trust } => verify(&bundle, &trust),
        Command::Keygen { output } => {
            let key = SecretKey::generate();
            let public = key.write(&output)?;
            out!(
                "wrote secret key {} (keep it private) and public key {}",
                output.display(),
                public.display()
            );
            out!("key id {}", hex(&key.key_id()));
            Ok(())
        }
        Command::Sign {
            bundle,
            key,
            output,
        } => sign(&bundle, &key, &output),
        Command::Score {
            bundle,
            rubric,
            answers,
            json,
        } => score::score(&bundle, &rubric, &answers, json),
    }
}

fn compile(
    sources: &[PathBuf],
    output: &Path,
    sign: Option<&Path>,
    prose: Prose,
    json: bool,
) -> Result<()> {
    let key = sign.map(SecretKey::read).transpose()?;
    let sources = crate::sheet::read_sources(sources)?;
    let payload = sources.compile()?;
    let bytes = rubrics::encode_bundle(&payload, prose, key.as_ref())
        .context("cannot encode the bundle")?;
    // Decode what we wrote, as a kiosk will, before putting it on disk.
    let bundle = Bundle::decode(&bytes).context("the compiled bundle does not decode")?;
    write_atomic(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    let ids: Vec<&str> = payload.rubrics.iter().map(|r| r.id.as_str()).collect();
    if json {
        out!(
            "{}",
            json!({
                "output": output.display().to_string(),
                "bytes": bytes.len(),
                "crc32": format!("{:08x}", bundle.crc()),
                "signed_by": key.as_ref().map(|k| hex(&k.key_id())),
                "texts": texts_word(prose),
                "rubrics": ids,
            })
        );
    } else {
        out!(
            "compiled {} rubric(s) into {} ({} bytes)",
            ids.len(),
            output.display(),
            bytes.len()
        );
        if prose == Prose::Omitted {
            out!("texts left out: a bundle for a scoring device, which a kiosk will not import");
        }
        for id in ids {
            out!("  {id}");
        }
        if let Some(key) = key {
            out!("signed with key {}", hex(&key.key_id()));
        }
    }
    Ok(())
}

fn verify(path: &Path, trust: &[PathBuf]) -> Result<()> {
    let (bytes, inline) = read_bundle(path)?;
    decode(path, &inline)?;
    let bundle = decode(path, &bytes)?;
    if trust.is_empty() {
        match bundle.signature() {
            Some(s) => out!(
                "{}: intact (checksum and contents valid); signed by key {}, not checked because no --trust key was given",
                path.display(),
                hex(&s.key_id)
            ),
            None => out!("{}: intact (checksum and contents valid); unsigned", path.display()),
        }
        return Ok(());
    }
    let keys: Vec<TrustedKey> = trust
        .iter()
        .map(|p| read_public(p))
        .collect::<Result<_, _>>()?;
    match bundle.verify(&keys) {
        Ok(key) => {
            out!(
                "{}: intact and signed by trusted key {}",
                path.display(),
                hex(&key.key_id())
            );
            Ok(())
        }
        Err(e) => bail!("{}: refused: {e}", path.display()),
    }
}

fn sign(path: &Path, key_path: &Path, output: &Path) -> Result<()> {
    let key = SecretKey::read(key_path)?;
    let (bytes, _) = read_bundle(path)?;
    // The file's own layout is kept (a version 3 bundle stays version 3).
    let signed = rubric_engine::codec::sign_container(&bytes, key.key_id(), |m| key.sign(m))
        .with_context(|| format!("{} is not a usable bundle", path.display()))?;
    Bundle::decode_trusted(&signed, &[key.public()])
        .context("the signed bundle does not verify")?;
    write_atomic(output, &signed).with_context(|| format!("cannot write {}", output.display()))?;
    out!(
        "signed {} with key {} into {}",
        path.display(),
        hex(&key.key_id()),
        output.display()
    );
    Ok(())
}
