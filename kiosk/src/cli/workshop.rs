//! Workshop subcommands: `session create|list|close`, `export`, `import`,
//! `report`; `export --format html` writes the printable session summary.
//! Each works on the results database in `--data-dir` and names the shipped
//! library's rubrics; the figures `report` prints come from
//! [`session_aggregates_in_steps`], under the same minimum-group rule as the
//! facilitator view.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value};

use crate::library::{self, Loaded};
use crate::store::{now_unix, ResultsStore};
use crate::workshop::aggregate::{GroupFigures, LabelledCount, RubricFigures};
use crate::workshop::export::{export_session, write_session_summary, ExportFormat};
use crate::workshop::import::import_file;
use crate::workshop::{
    session_aggregates_in_steps, Session, SessionAggregates, SessionConfig, SessionConfigError,
    SessionDate, SessionId, DEFAULT_MIN_GROUP,
};

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// `session` subcommands.
#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Create a workshop session and print its id.
    Create {
        /// The session's name (with --plan, the plan's title by default).
        #[arg(long, required_unless_present = "plan")]
        name: Option<String>,
        /// A rubric participants take; repeat for several, in order.
        #[arg(long = "rubric", value_name = "ID", required_unless_present = "plan")]
        rubrics: Vec<String>,
        /// Take the name and the rubrics, in order, from a session plan (its
        /// id, see `plan list`, or a plan file); --rubric adds more after them.
        #[arg(long, value_name = "ID")]
        plan: Option<String>,
        /// Group figures of a rubric stay hidden below this many results (at least 3).
        #[arg(long, value_name = "N", default_value_t = DEFAULT_MIN_GROUP)]
        min_group: u32,
        /// Participants do not see their own result.
        #[arg(long)]
        hide_own_result: bool,
        /// Group results stay hidden until the facilitator reveals them.
        #[arg(long)]
        hide_until_revealed: bool,
    },
    /// List the workshop sessions, newest first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Close a session: it takes no more results.
    Close {
        /// The session id.
        id: String,
    },
}

/// The file formats of `export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One row per result, for spreadsheets; only rubrics whose group
    /// figures are shown (at least the minimum group, and revealed).
    Csv,
    /// The same rows with their reports and engine results.
    Json,
    /// Every individual result, rubrics below the minimum group included:
    /// only for `import` on another kiosk of the same workshop.
    Merge,
    /// A one-page printable summary of the group figures (HTML), under the
    /// minimum-group rule; never with aliases or texts.
    Html,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The session id.
    #[arg(long, value_name = "ID")]
    pub session: String,
    /// The file format.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The file to write (replaced only once the new one is complete and checked).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Include aliases and free-text answers (off unless the facilitator opts in).
    #[arg(long)]
    pub include_text: bool,
    /// Write to this USB drive (its name or mount folder, as `media scan`
    /// shows it), in its `rubric-kiosk-exports` folder; FILE is then a file name.
    #[arg(long, value_name = "DRIVE")]
    pub to_drive: Option<String>,
    /// Also look in this folder as if it were a drive (repeatable).
    #[arg(long = "media-root", value_name = "DIR")]
    pub media_roots: Vec<PathBuf>,
}

/// Where `export --to-drive` writes: FILE's name in the drive's export folder.
fn drive_output(args: &ExportArgs, drive: &str) -> Result<PathBuf> {
    let drives = super::media::drives(&args.media_roots, true);
    let Some(found) = drives
        .iter()
        .find(|d| d.name == drive || d.root == Path::new(drive))
    else {
        let names: Vec<&str> = drives.iter().map(|d| d.name.as_str()).collect();
        bail!(
            "no drive `{drive}` is plugged in (found: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        );
    };
    let folder = crate::media::export::export_folder(&found.root)?;
    let name = args
        .output
        .file_name()
        .context("the export needs a file name")?;
    Ok(folder.join(name))
}

/// A failed export to a drive, in the words a facilitator needs.
fn on_drive(e: crate::workshop::export::ExportError) -> anyhow::Error {
    match crate::media::export::DriveWriteError::from_export(e) {
        Ok(plain) => plain.into(),
        Err(other) => other.into(),
    }
}

/// `report` arguments.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The session id.
    #[arg(long, value_name = "ID")]
    pub session: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn open(data_dir: &Path) -> Result<(ResultsStore, Loaded)> {
    let store = ResultsStore::open_in(data_dir)?;
    // The rubrics in use: the built-in library and any imported bundles.
    let library = library::Library::open(data_dir)
        .context("the built-in rubric library is damaged")?
        .current()
        .clone();
    Ok((store, library))
}

fn find_session(store: &ResultsStore, id: &str) -> Result<Session> {
    let id: SessionId = id
        .parse()
        .with_context(|| format!("{id:?} is not a session id (see `session list`)"))?;
    Ok(store.session(id)?)
}

/// The session's name and rubrics: the plan's title and the rubrics it has
/// people take, in order, unless a name is given; rubrics given on the
/// command line come after the plan's (each once).
fn from_plan(
    plan: Option<&rubrics::plan::Plan>,
    name: Option<String>,
    rubrics: Vec<String>,
) -> (String, Vec<String>) {
    let Some(plan) = plan else {
        return (name.unwrap_or_default(), rubrics);
    };
    let mut ids: Vec<String> = plan.rubrics_taken().into_iter().map(String::from).collect();
    for id in rubrics {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    (name.unwrap_or_else(|| plan.title.clone()), ids)
}

/// Runs a `session` subcommand.
pub fn session(command: SessionCommand, data_dir: &Path) -> Result<()> {
    let (store, library) = open(data_dir)?;
    match command {
        SessionCommand::Create {
            name,
            rubrics,
            plan,
            min_group,
            hide_own_result,
            hide_until_revealed,
        } => {
            let plan = plan
                .map(|spec| super::plan::resolve(&spec, data_dir))
                .transpose()?;
            let (name, rubrics) = from_plan(plan.as_ref(), name, rubrics);
            let config = SessionConfig {
                name,
                rubric_ids: rubrics,
                min_group,
                show_own_result: !hide_own_result,
                hide_until_revealed,
            }
            .validate(&library.bundle)
            .map_err(|e| match e {
                SessionConfigError::UnknownRubric(id) => {
                    let ids: Vec<&str> = library.bundle.rubrics().map(|r| r.id).collect();
                    super::bundle_file::unknown_rubric(&id, &ids, "this kiosk's library")
                }
                other => other.into(),
            })?;
            let session = store.create_session(&config, SessionDate::from_unix(now_unix()))?;
            if let Some(plan) = &plan {
                store.set_session_plan(session.id, &plan.id)?;
            }
            out!("{}", session.id);
            Ok(())
        }
        SessionCommand::List { json } => {
            let sessions = store.sessions()?;
            let mut rows = Vec::new();
            for s in &sessions {
                let results: usize = store.workshop_counts(s.id)?.iter().map(|(_, n)| n).sum();
                rows.push((s, results, store.session_plan(s.id)?));
            }
            if json {
                let list: Vec<Value> = rows
                    .iter()
                    .map(|(s, results, plan)| {
                        json!({
                            "id": s.id.to_string(),
                            "name": s.name,
                            "date": s.date.as_str(),
                            "rubrics": s.rubric_ids,
                            "min_group": s.min_group,
                            "show_own_result": s.show_own_result,
                            "hide_until_revealed": s.hide_until_revealed,
                            "revealed": s.revealed,
                            "closed": s.closed,
                            "results": results,
                            "plan": plan,
                        })
                    })
                    .collect();
                out!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            if rows.is_empty() {
                out!("no workshop sessions");
            }
            for (s, results, _) in rows {
                out!(
                    "{}  {}  {:<6}  {:>5} results  {}  ({})",
                    s.id,
                    s.date,
                    if s.closed { "closed" } else { "open" },
                    results,
                    s.name,
                    s.rubric_ids.join(", ")
                );
            }
            Ok(())
        }
        SessionCommand::Close { id } => {
            let session = find_session(&store, &id)?;
            store.close_session(session.id)?;
            out!("closed session {} ({})", session.id, session.name);
            Ok(())
        }
    }
}

/// Runs `export`.
pub fn export(args: ExportArgs, data_dir: &Path) -> Result<()> {
    let (store, library) = open(data_dir)?;
    let session = find_session(&store, &args.session)?;
    let (output, to_drive) = match &args.to_drive {
        Some(drive) => (drive_output(&args, drive)?, true),
        None => (args.output.clone(), false),
    };
    let failed = |e| if to_drive { on_drive(e) } else { e.into() };
    let format = match args.format {
        FormatArg::Csv => ExportFormat::Csv,
        FormatArg::Json => ExportFormat::Json,
        FormatArg::Merge => ExportFormat::Merge,
        FormatArg::Html => {
            write_session_summary(&store, &session, &library.bundle, &output).map_err(failed)?;
            out!(
                "wrote the summary of session {} to {}",
                session.id,
                output.display()
            );
            return Ok(());
        }
    };
    let rows = export_session(
        &store,
        &session,
        &library.bundle,
        format,
        args.include_text,
        &output,
    )
    .map_err(failed)?;
    if format.holds_every_result() {
        eprintln!(
            "note: {} holds every individual result, rubrics below the minimum group size \
             included: it is only for `import` on another kiosk of this workshop; do not share \
             it, and delete it once merged",
            output.display()
        );
    }
    out!(
        "exported {rows} result(s) of session {} to {}{}",
        session.id,
        output.display(),
        if args.include_text {
            " (with aliases and free texts)"
        } else {
            ""
        }
    );
    Ok(())
}

/// Runs `import`: prints what was added; rejected rows go to stderr, each
/// naming the file and the row, and make the command fail (the good rows
/// stay added).
pub fn import(file: &Path, data_dir: &Path) -> Result<()> {
    let (store, library) = open(data_dir)?;
    let report = import_file(&store, &library.bundle, file)?;
    out!(
        "{}: {} added, {} already present, {} rejected ({} session {})",
        file.display(),
        report.added,
        report.already_present,
        report.rejected.len(),
        if report.session_created {
            "new"
        } else {
            "into"
        },
        report.session
    );
    if report.rejected.is_empty() {
        return Ok(());
    }
    let mut err = std::io::stderr().lock();
    for rejection in &report.rejected {
        writeln!(err, "{}: {rejection}", file.display())?;
    }
    bail!(
        "{} row(s) of {} were rejected; the other rows were imported",
        report.rejected.len(),
        file.display()
    )
}

/// Runs `report`.
pub fn report(args: ReportArgs, data_dir: &Path) -> Result<()> {
    let (store, library) = open(data_dir)?;
    let session = find_session(&store, &args.session)?;
    let group = session_aggregates_in_steps(&store, &session, &library.bundle)?;
    if args.json {
        out!(
            "{}",
            serde_json::to_string_pretty(&aggregates_json(&session, &group))?
        );
        return Ok(());
    }
    out!(
        "{} ({}): {} participant(s), minimum group {}",
        session.name,
        session.date,
        group.participants,
        session.min_group
    );
    let step = session.min_group.max(1) as usize;
    for rubric in &group.rubrics {
        out!("\n{} [{}]", rubric.title, rubric.rubric_id);
        if let Some((have, more)) = between_steps(rubric, step) {
            out!(
                "  held between whole groups: {more} more result(s) needed before the figures show again (has {have}; they show at each multiple of {step})"
            );
            continue;
        }
        match &rubric.figures {
            GroupFigures::Shown(figures) => print_figures(figures)?,
            GroupFigures::TooFew { have, need } => out!(
                "  hidden: {} more result(s) needed (has {have}, shown from {need})",
                need.saturating_sub(*have)
            ),
            GroupFigures::NotRevealed { have } => {
                out!("  hidden until the facilitator reveals the group results ({have} results)")
            }
            GroupFigures::NotInLibrary => out!("  not in this kiosk's library"),
        }
    }
    Ok(())
}

/// A rubric whose stored results are not a whole number of groups: `report`
/// shows no figures for it until they are, so that two reports never differ
/// by fewer than a whole group of results (the counted set of
/// [`session_aggregates_in_steps`] can change between steps, since the store
/// keeps no order of arrival). Returns how many are stored and how many
/// more make the next whole group.
fn between_steps(rubric: &crate::workshop::RubricAggregate, step: usize) -> Option<(usize, usize)> {
    match &rubric.figures {
        GroupFigures::Shown(figures) if rubric.waiting > 0 => {
            let have = figures.results + rubric.waiting;
            Some((have, step - have % step))
        }
        _ => None,
    }
}

/// One rubric's figures as a table: every count in one column, however
/// long the labels before it.
fn print_figures(figures: &RubricFigures) -> Result<()> {
    let labels = figures
        .dimensions
        .iter()
        .flat_map(|d| d.bins.iter().map(|b| b.label.as_str()))
        .chain(figures.verdicts.iter().map(|c| c.label.as_str()))
        .chain(figures.archetypes.iter().map(|c| c.label.as_str()));
    let width = labels.map(|l| l.chars().count()).max().unwrap_or(0).max(28);
    out!("  {} results", figures.results);
    for dim in &figures.dimensions {
        out!("  {}", dim.title);
        for bin in &dim.bins {
            out!("    {:<width$} {:>5}", bin.label, bin.count);
        }
    }
    for (heading, list) in [
        ("verdicts", &figures.verdicts),
        ("archetype mix", &figures.archetypes),
    ] {
        if list.is_empty() {
            continue;
        }
        out!("  {heading}");
        for c in list {
            out!("    {:<width$} {:>5}", c.label, c.count);
        }
    }
    Ok(())
}

fn counts_json(list: &[LabelledCount]) -> Value {
    list.iter()
        .map(|c| json!({"id": c.id, "label": c.label, "count": c.count}))
        .collect()
}

/// The aggregates as JSON: hidden rubrics carry only counts of results.
fn aggregates_json(session: &Session, group: &SessionAggregates) -> Value {
    let rubrics: Vec<Value> = group
        .rubrics
        .iter()
        .map(|r| {
            let step = session.min_group.max(1) as usize;
            let figures = match (&r.figures, between_steps(r, step)) {
                (_, Some((have, more))) => json!({
                    "status": "between_steps", "results": have, "step": step,
                    "more_needed": more,
                }),
                (figures, None) => match figures {
                GroupFigures::Shown(f) => json!({
                    "status": "shown",
                    "results": f.results,
                    "dimensions": f.dimensions.iter().map(|d| json!({
                        "id": d.id,
                        "title": d.title,
                        "bins": d.bins.iter().map(|b| json!({
                            "band": b.band_id, "label": b.label, "lo": b.lo, "hi": b.hi, "count": b.count,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "verdicts": counts_json(&f.verdicts),
                    "archetypes": counts_json(&f.archetypes),
                }),
                GroupFigures::TooFew { have, need } => json!({
                    "status": "too_few", "results": have, "need": need,
                    "more_needed": need.saturating_sub(*have),
                }),
                GroupFigures::NotRevealed { have } => {
                    json!({"status": "not_revealed", "results": have})
                }
                GroupFigures::NotInLibrary => json!({"status": "not_in_library"}),
                },
            };
            json!({
                "rubric": r.rubric_id,
                "title": r.title,
                "not_counted": r.not_counted,
                "figures": figures,
            })
        })
        .collect();
    json!({
        "session": session.id.to_string(),
        "name": session.name,
        "date": session.date.as_str(),
        "min_group": session.min_group,
        "participants": group.participants,
        "rubrics": rubrics,
    })
}
