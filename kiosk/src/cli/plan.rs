//! `rubric-kiosk plan list|show|compile` and `rubric-kiosk guide`: session
//! plans on the command line, and their printable guide and handout.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use rubric_engine::Bundle;
use rubrics::keys::hex;
use rubrics::plan::bundle::MAX_PLAN_BUNDLE_BYTES;
use rubrics::plan::{compile_plan, decode_plan, encode_plan, Plan, PlanSigner, StepKind};
use rubrics::{read_sources, SecretKey};
use serde_json::json;

use crate::fsutil::{read_limited, write_atomic};
use crate::guide::{guide_html, handout_html, GUIDE_MIN_GROUP};
use crate::library::{Library, TrustStore};
use crate::plans::imported::import_plan;
use crate::plans::{audience_words, available, find_in, shipped};

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// `plan` subcommands.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// List the plans: those that ship with the kiosk, then those imported.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a plan's agenda: a shipped plan's id, or a plan file (`.toml`
    /// source or `.rbp` bundle).
    Show {
        /// The plan's id, or a plan file.
        plan: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compile a plan source (TOML) into a plan bundle, checking that every
    /// rubric it names is in the library.
    Compile {
        /// The plan source.
        source: PathBuf,
        /// The plan bundle to write.
        #[arg(short, long, value_name = "OUT.rbp")]
        output: PathBuf,
        /// Sign with this secret key file (from `keygen`).
        #[arg(long, alias = "key", value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Check the rubrics against this rubric bundle instead of this
        /// kiosk's library (the shipped rubrics and any imported).
        #[arg(long, value_name = "BUNDLE.rbk")]
        library: Option<PathBuf>,
    },
    /// Import a plan bundle (from a USB drive, say) so that `plan list`,
    /// `guide` and `session create --plan` find it by id.
    Import {
        /// The plan bundle (`.rbp`).
        bundle: PathBuf,
        /// Import it even if it is unsigned or signed by a key this kiosk
        /// does not trust.
        #[arg(long)]
        allow_untrusted: bool,
    },
}

/// `guide`: the printable facilitator guide, or with --handout the
/// participant handout, of a plan.
#[derive(Debug, Args)]
pub struct GuideArgs {
    /// The plan's id, or a plan file (`.toml` or `.rbp`).
    #[arg(long, value_name = "ID")]
    pub plan: String,
    /// Write the participant handout instead of the facilitator guide.
    #[arg(long)]
    pub handout: bool,
    /// The HTML file to write.
    #[arg(short, long, value_name = "FILE.html")]
    pub output: PathBuf,
    /// The minimum group size the pages state.
    #[arg(long, value_name = "N", default_value_t = GUIDE_MIN_GROUP)]
    pub min_group: u32,
}

/// Runs a `plan` subcommand.
pub fn run(command: PlanCommand, data_dir: &Path) -> Result<()> {
    match command {
        PlanCommand::List { json } => list(json, data_dir),
        PlanCommand::Show { plan, json } => {
            let plan = resolve(&plan, data_dir)?;
            show(&plan, json)
        }
        PlanCommand::Compile {
            source,
            output,
            sign,
            library,
        } => compile(
            &source,
            &output,
            sign.as_deref(),
            library.as_deref(),
            data_dir,
        ),
        PlanCommand::Import {
            bundle,
            allow_untrusted,
        } => {
            let ids = library_ids(None, data_dir)?;
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let plan = import_plan(data_dir, &bundle, allow_untrusted, &ids, shipped()?)?;
            out!(
                "imported plan {} ({:?}, {} minutes)",
                plan.id,
                plan.title,
                plan.minutes
            );
            Ok(())
        }
    }
}

/// Runs `guide`.
pub fn guide(args: GuideArgs, data_dir: &Path) -> Result<()> {
    let plan = resolve(&args.plan, data_dir)?;
    let library = Library::open(data_dir).context("the built-in rubric library is damaged")?;
    let bundle = &library.current().bundle;
    let html = if args.handout {
        handout_html(&plan, bundle, args.min_group)?
    } else {
        guide_html(&plan, bundle, args.min_group)?
    };
    write_atomic(&args.output, html.as_bytes())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let what = if args.handout {
        "handout"
    } else {
        "facilitator guide"
    };
    out!(
        "wrote the {what} of {:?} to {}",
        plan.title,
        args.output.display()
    );
    Ok(())
}

/// A shipped plan by id, or a plan file: a `.rbp` bundle (its signature
/// checked against the kiosk's trusted keys) or a `.toml` source (checked
/// against the kiosk's library).
pub fn resolve(spec: &str, data_dir: &Path) -> Result<Plan> {
    let path = Path::new(spec);
    let is_file = path.extension().is_some_and(|e| e == "rbp" || e == "toml");
    if !is_file {
        return Ok(find_in(data_dir, spec)?);
    }
    if path.extension().is_some_and(|e| e == "toml") {
        let ids = library_ids(None, data_dir)?;
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let sources = read_sources(&[path.to_path_buf()])?;
        let source = sources.first().context("no plan source was read")?;
        return Ok(compile_plan(source, &ids)?);
    }
    let bytes = read_limited(path, MAX_PLAN_BUNDLE_BYTES as u64)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let trusted = TrustStore::new(data_dir).trusted();
    let decoded = decode_plan(&bytes, &trusted)
        .with_context(|| format!("{} is not a usable plan", path.display()))?;
    Ok(decoded.plan)
}

fn library_ids(bundle: Option<&Path>, data_dir: &Path) -> Result<Vec<String>> {
    match bundle {
        Some(path) => {
            let (_, inline) = super::bundle_file::read_bundle(path)?;
            let bundle = Bundle::decode(&inline)
                .with_context(|| format!("{} is not a usable bundle", path.display()))?;
            Ok(bundle.rubrics().map(|r| r.id.to_string()).collect())
        }
        None => {
            let library =
                Library::open(data_dir).context("the built-in rubric library is damaged")?;
            Ok(library
                .current()
                .bundle
                .rubrics()
                .map(|r| r.id.to_string())
                .collect())
        }
    }
}

fn list(json: bool, data_dir: &Path) -> Result<()> {
    let plans = available(data_dir)?;
    if json {
        let rows: Vec<_> = plans
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "title": p.title,
                    "audience": audience_words(p.audience),
                    "minutes": p.minutes,
                    "rubrics": p.rubrics_taken(),
                })
            })
            .collect();
        out!("{}", serde_json::Value::Array(rows));
        return Ok(());
    }
    for p in &plans {
        out!(
            "{:<20} {:>3} min  {}  (for {})",
            p.id,
            p.minutes,
            p.title,
            audience_words(p.audience)
        );
    }
    Ok(())
}

fn kind_word(kind: &StepKind) -> &'static str {
    match kind {
        StepKind::Take { .. } => "take",
        StepKind::Reveal { .. } => "reveal",
        StepKind::Discuss { .. } => "discuss",
        StepKind::Break => "break",
    }
}

fn show(plan: &Plan, json: bool) -> Result<()> {
    if json {
        let steps: Vec<_> = plan
            .steps
            .iter()
            .map(|s| {
                let prompts = match &s.kind {
                    StepKind::Discuss { prompts, .. } => prompts.clone(),
                    _ => Vec::new(),
                };
                json!({
                    "kind": kind_word(&s.kind),
                    "title": s.title,
                    "purpose": s.purpose,
                    "minutes": s.minutes,
                    "rubric": s.kind.rubric(),
                    "prompts": prompts,
                })
            })
            .collect();
        out!(
            "{}",
            json!({
                "id": plan.id,
                "title": plan.title,
                "audience": audience_words(plan.audience),
                "minutes": plan.minutes,
                "summary": plan.summary,
                "steps": steps,
            })
        );
        return Ok(());
    }
    out!("{} [{}]", plan.title, plan.id);
    out!(
        "for {}, {} minutes",
        audience_words(plan.audience),
        plan.minutes
    );
    out!("{}\n", plan.summary);
    let mut at = 0u32;
    for step in &plan.steps {
        let rubric = step
            .kind
            .rubric()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        out!(
            "{}:{:02}  {:>3} min  {:<8} {}{rubric}",
            at / 60,
            at % 60,
            step.minutes,
            kind_word(&step.kind),
            step.title
        );
        out!("                        {}", step.purpose);
        if let StepKind::Discuss { prompts, .. } = &step.kind {
            for prompt in prompts {
                out!("                        - {prompt}");
            }
        }
        at += u32::from(step.minutes);
    }
    out!("{}:{:02}  end", at / 60, at % 60);
    Ok(())
}

fn compile(
    source: &Path,
    output: &Path,
    sign: Option<&Path>,
    library: Option<&Path>,
    data_dir: &Path,
) -> Result<()> {
    let key = sign.map(SecretKey::read).transpose()?;
    let ids = library_ids(library, data_dir)?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let sources = read_sources(&[source.to_path_buf()])?;
    let [text] = sources.as_slice() else {
        bail!("give one plan source file, not a folder");
    };
    let plan = compile_plan(text, &ids)?;
    let bytes = encode_plan(&plan, key.as_ref())?;
    // Decode what we wrote, as a kiosk will, before putting it on disk.
    let trusted: Vec<_> = key.iter().map(SecretKey::public).collect();
    let decoded = decode_plan(&bytes, &trusted).context("the compiled plan does not decode")?;
    write_atomic(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    out!(
        "compiled plan {} ({} steps, {} minutes) into {} ({} bytes)",
        plan.id,
        plan.steps.len(),
        plan.minutes,
        output.display(),
        bytes.len()
    );
    if let PlanSigner::Trusted(k) = decoded.signer {
        out!("signed with key {}", hex(&k.key_id()));
    }
    Ok(())
}
