//! The printable facilitator guide and participant handout of a session
//! plan: plain HTML with an inline print style sheet, no script and nothing
//! fetched. The pages are askama templates (`guide/templates/`) whose every
//! value is escaped: plan and rubric texts can come from a USB drive.
//!
//! The guide has the agenda with start times, what each step is for (to be
//! read out) and its prompts, for each rubric what it measures and how its
//! answers are read, what to do when a group is below the minimum size, and
//! how phones join. The handout has what participants will take, what stays
//! anonymous and where their answers live.

use std::path::{Path, PathBuf};

use askama::Template;
use rubric_engine::model::{BandOn, BandScope};
use rubric_engine::{Bundle, Rubric};
use rubrics::plan::{Plan, StepKind};

use crate::plans::audience_words;
use crate::records::{DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR};

/// Why a guide could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GuideError {
    /// The plan names a rubric the library lacks.
    #[error("the plan uses the rubric {0:?}, which this kiosk's library does not have")]
    MissingRubric(String),
    /// The template failed (it only formats strings, so this is a defect).
    #[error("cannot write the page: {0}")]
    Render(#[from] askama::Error),
    /// A file or the folder could not be written.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why not.
        error: std::io::Error,
    },
}

/// Writes the guide and the handout of `plan` into `folder` (made if it is
/// missing) as `ID-guide.html` and `ID-handout.html`; returns their paths.
pub fn write_guide_files(
    plan: &Plan,
    library: &Bundle<'_>,
    min_group: u32,
    folder: &Path,
) -> Result<Vec<PathBuf>, GuideError> {
    let guide = guide_html(plan, library, min_group)?;
    let handout = handout_html(plan, library, min_group)?;
    std::fs::create_dir_all(folder).map_err(|error| GuideError::Write {
        path: folder.to_path_buf(),
        error,
    })?;
    let mut written = Vec::new();
    for (name, page) in [("guide", guide), ("handout", handout)] {
        let path = folder.join(format!("{}-{name}.html", plan.id));
        crate::fsutil::write_atomic(&path, page.as_bytes()).map_err(|error| GuideError::Write {
            path: path.clone(),
            error,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// One step of the agenda as printed.
struct StepView {
    start: String,
    length: String,
    kind: &'static str,
    title: String,
    purpose: String,
    rubric_title: Option<String>,
    prompts: Vec<String>,
}

/// One rubric's notes as printed.
struct RubricView {
    title: String,
    minutes: u8,
    questions: usize,
    summary: String,
    dimensions: Vec<DimensionView>,
}

struct DimensionView {
    title: String,
    description: String,
    bands: Vec<BandView>,
}

struct BandView {
    range: String,
    label: String,
    explanation: String,
}

#[derive(Template)]
#[template(path = "guide.html", config = "src/guide/askama.toml")]
struct GuidePage {
    page_title: String,
    plan_id: String,
    plan_title: String,
    audience: &'static str,
    minutes: u16,
    step_count: usize,
    summary: String,
    steps: Vec<StepView>,
    end: String,
    rubrics: Vec<RubricView>,
    min_group: u32,
    min_floor: u32,
}

#[derive(Template)]
#[template(path = "handout.html", config = "src/guide/askama.toml")]
struct HandoutPage {
    page_title: String,
    plan_title: String,
    minutes: u16,
    summary: String,
    steps: Vec<StepView>,
    rubrics: Vec<RubricView>,
    min_group: u32,
}

/// The facilitator guide of `plan`, its rubrics read from `library`.
/// `min_group` is the session's minimum group size ([`DEFAULT_MIN_GROUP`]
/// when there is no session yet).
pub fn guide_html(plan: &Plan, library: &Bundle<'_>, min_group: u32) -> Result<String, GuideError> {
    let rubrics = rubric_views(plan, library)?;
    let (steps, end) = step_views(plan, library);
    let page = GuidePage {
        page_title: format!("{}: facilitator guide", plan.title),
        plan_id: plan.id.clone(),
        plan_title: plan.title.clone(),
        audience: audience_words(plan.audience),
        minutes: plan.minutes,
        step_count: plan.steps.len(),
        summary: plan.summary.clone(),
        steps,
        end,
        rubrics,
        min_group,
        min_floor: MIN_GROUP_FLOOR,
    };
    Ok(page.render()?)
}

/// The participant handout of `plan`.
pub fn handout_html(
    plan: &Plan,
    library: &Bundle<'_>,
    min_group: u32,
) -> Result<String, GuideError> {
    let rubrics = rubric_views(plan, library)?;
    let (steps, _) = step_views(plan, library);
    let page = HandoutPage {
        page_title: format!("{}: for participants", plan.title),
        plan_title: plan.title.clone(),
        minutes: plan.minutes,
        summary: plan.summary.clone(),
        steps,
        rubrics,
        min_group,
    };
    Ok(page.render()?)
}

/// The minimum group size a guide states when no session is given.
pub const GUIDE_MIN_GROUP: u32 = DEFAULT_MIN_GROUP;

/// `h:mm` from the start.
fn clock(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

fn step_views(plan: &Plan, library: &Bundle<'_>) -> (Vec<StepView>, String) {
    let mut at = 0u32;
    let mut steps = Vec::new();
    for step in &plan.steps {
        let rubric_title = step.kind.rubric().map(|id| {
            library
                .rubric(id)
                .map_or(id.to_string(), |r| r.title.to_string())
        });
        let prompts = match &step.kind {
            StepKind::Discuss { prompts, .. } => prompts.clone(),
            _ => Vec::new(),
        };
        steps.push(StepView {
            start: clock(at),
            length: match step.minutes {
                0 => "with the next step".to_string(),
                1 => "1 minute".to_string(),
                n => format!("{n} minutes"),
            },
            kind: match step.kind {
                StepKind::Take { .. } => "everyone answers",
                StepKind::Reveal { .. } => "show the group figures",
                StepKind::Discuss { .. } => "discussion",
                StepKind::Break => "break",
            },
            title: step.title.clone(),
            purpose: step.purpose.clone(),
            rubric_title,
            prompts,
        });
        at += u32::from(step.minutes);
    }
    (steps, clock(at))
}

fn rubric_views(plan: &Plan, library: &Bundle<'_>) -> Result<Vec<RubricView>, GuideError> {
    plan.rubrics_taken()
        .into_iter()
        .map(|id| {
            library
                .rubric(id)
                .map(|rubric| rubric_view(&rubric))
                .ok_or_else(|| GuideError::MissingRubric(id.to_string()))
        })
        .collect()
}

fn rubric_view(rubric: &Rubric<'_>) -> RubricView {
    let dimensions = rubric
        .dimensions
        .iter()
        .enumerate()
        .map(|(index, dimension)| {
            let percent = matches!(dimension.band_on, BandOn::Percent);
            let bands = rubric
                .bands
                .iter()
                .filter(
                    |band| matches!(band.scope, BandScope::Dimension(d) if usize::from(d) == index),
                )
                .map(|band| BandView {
                    range: range_words(band.lo, band.hi, percent),
                    label: band.label.to_string(),
                    explanation: band.explanation.to_string(),
                })
                .collect();
            DimensionView {
                title: dimension.title.to_string(),
                description: dimension.description.to_string(),
                bands,
            }
        })
        .collect();
    RubricView {
        title: rubric.title.to_string(),
        minutes: rubric.minutes,
        questions: rubric.items.len(),
        summary: rubric.summary.to_string(),
        dimensions,
    }
}

fn range_words(lo: u32, hi: u32, percent: bool) -> String {
    let unit = if percent { "%" } else { "" };
    if lo == hi {
        format!("{lo}{unit}")
    } else {
        format!("{lo}{unit} to {hi}{unit}")
    }
}
