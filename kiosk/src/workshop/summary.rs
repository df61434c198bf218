//! One-page printable summaries as self-contained HTML: the facilitator's
//! summary of a session, and a participant's own result ("print my result").
//!
//! Inline CSS, no script, no external resource; every text is HTML-escaped,
//! since rubric texts may come from a bundle on a USB stick. The session
//! summary is drawn from [`SessionAggregates`] only, so it follows the same
//! minimum-group rule as the facilitator view: a hidden rubric says how many
//! more results it needs and shows no figure.

use std::fmt::Write as _;

use rubric_engine::model::Rubric;
use rubrics::report::ResultReport;

use super::aggregate::SessionAggregates;
use super::aggregate::{GroupFigures, RubricFigures};
use crate::records::Session;

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#111;background:#fff;max-width:48rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4}\
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:1.25rem 0 .5rem;border-bottom:1px solid #999}\
h3{font-size:1rem;margin:.75rem 0 .25rem}.meta{color:#333}table{border-collapse:collapse;width:100%}\
td,th{text-align:left;padding:.1rem .4rem;vertical-align:top}td.n{text-align:right;width:4rem}\
.bar{display:inline-block;height:.8rem;background:#224;print-color-adjust:exact;-webkit-print-color-adjust:exact}\
.hidden{font-style:italic}@media print{body{margin:0;max-width:none}h2{break-after:avoid}section{break-inside:avoid}}";

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{STYLE}</style></head>\n<body>\n{body}</body></html>\n",
        escape(title)
    )
}

/// The facilitator's one-page summary of a session: name, date, participant
/// count, and per rubric the group figures that may be shown.
pub fn session_summary_html(session: &Session, aggregates: &SessionAggregates) -> String {
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<h1>{}</h1>\n<p class=\"meta\">Workshop session of {} &middot; {} participant{}</p>",
        escape(&session.name),
        escape(session.date.as_str()),
        aggregates.participants,
        if aggregates.participants == 1 {
            ""
        } else {
            "s"
        }
    );
    for rubric in &aggregates.rubrics {
        let _ = writeln!(body, "<section>\n<h2>{}</h2>", escape(&rubric.title));
        match &rubric.figures {
            GroupFigures::Shown(figures) => figures_html(&mut body, figures),
            GroupFigures::TooFew { have, need } => {
                let more = need.saturating_sub(*have);
                let _ = writeln!(
                    body,
                    "<p class=\"hidden\">Hidden: {more} more result{} needed (group results are shown from {need}).</p>",
                    if more == 1 { "" } else { "s" }
                );
            }
            GroupFigures::NotRevealed { .. } => {
                body.push_str(
                    "<p class=\"hidden\">Hidden until the facilitator reveals the group results.</p>\n",
                );
            }
            GroupFigures::NotInLibrary => {
                body.push_str(
                    "<p class=\"hidden\">This rubric is not in this kiosk's library.</p>\n",
                );
            }
        }
        body.push_str("</section>\n");
    }
    page(&session.name, &body)
}

fn figures_html(body: &mut String, figures: &RubricFigures) {
    let _ = writeln!(body, "<p>{} results</p>", figures.results);
    for dim in &figures.dimensions {
        let _ = writeln!(body, "<h3>{}</h3>", escape(&dim.title));
        let max = dim.bins.iter().map(|b| b.count).max().unwrap_or(0);
        counts_table(
            body,
            dim.bins.iter().map(|b| (b.label.as_str(), b.count)),
            max,
        );
    }
    for (heading, list) in [
        ("Verdicts", &figures.verdicts),
        ("Archetype mix", &figures.archetypes),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(body, "<h3>{heading}</h3>");
        let max = list.iter().map(|c| c.count).max().unwrap_or(0);
        counts_table(body, list.iter().map(|c| (c.label.as_str(), c.count)), max);
    }
}

fn counts_table<'a>(body: &mut String, rows: impl Iterator<Item = (&'a str, usize)>, max: usize) {
    body.push_str("<table>\n");
    for (label, count) in rows {
        let width = (count * 100).checked_div(max).unwrap_or(0);
        let _ = writeln!(
            body,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{count}</td><td><span class=\"bar\" style=\"width:{width}%\"></span></td></tr>",
            escape(label)
        );
    }
    body.push_str("</table>\n");
}

/// A participant's own one-page result, for "print my result": the verdict,
/// the dimensions, the outcomes and the suggested actions. No alias, no
/// answers, no time.
pub fn participant_summary_html(report: &ResultReport, rubric: &Rubric<'_>) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<h1>{}</h1>", escape(rubric.title));
    let verdict = report
        .verdict_label
        .as_deref()
        .unwrap_or("No verdict: not enough answers");
    let _ = writeln!(body, "<h2>{}</h2>", escape(verdict));
    if let Some(explanation) = &report.verdict_explanation {
        let _ = writeln!(body, "<p>{}</p>", escape(explanation));
    }
    if !report.dimensions.is_empty() {
        body.push_str("<h3>Dimensions</h3>\n<table>\n");
        for d in &report.dimensions {
            let _ = writeln!(
                body,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{} / {}</td><td class=\"n\">{} %</td><td>{}</td></tr>",
                escape(&d.title),
                d.value,
                d.max,
                d.percent,
                escape(d.band_label.as_deref().unwrap_or(""))
            );
        }
        body.push_str("</table>\n");
    }
    if !report.outcomes.is_empty() {
        body.push_str("<h3>Fit with each outcome</h3>\n<table>\n");
        for o in &report.outcomes {
            let _ = writeln!(
                body,
                "<tr><td class=\"n\">#{}</td><th scope=\"row\">{}</th><td class=\"n\">{} %</td></tr>",
                o.rank,
                escape(&o.title),
                o.fit_percent
            );
        }
        body.push_str("</table>\n");
    }
    if !report.actions.is_empty() {
        body.push_str("<h3>What to do next</h3>\n<ul>\n");
        for a in &report.actions {
            let _ = writeln!(
                body,
                "<li><strong>{}:</strong> {}</li>",
                escape(a.when.label()),
                escape(&a.text)
            );
        }
        body.push_str("</ul>\n");
    }
    let _ = writeln!(
        body,
        "<p class=\"meta\">Rubric {} version {}; {} of {} questions answered.</p>",
        escape(rubric.id),
        rubric.version,
        report.answered,
        report.visible
    );
    page(rubric.title, &body)
}

/// Most files of one rubric [`save_participant_summary`] writes into one
/// folder before it asks for another folder.
pub const MAX_SUMMARIES_PER_FOLDER: usize = 999;

/// Writes a participant's one-page result into `folder` (a drive the
/// participant brought) as `rubric-kiosk-RUBRIC.html`, or `...-2.html` and
/// on when that name is taken: an earlier file is never replaced. The file
/// is written under a temporary name, flushed and renamed
/// ([`crate::fsutil::write_atomic`]), so a drive pulled out mid-write leaves
/// no half page under the final name. Returns the file written.
pub fn save_participant_summary(
    folder: &std::path::Path,
    report: &ResultReport,
    rubric: &Rubric<'_>,
) -> std::io::Result<std::path::PathBuf> {
    let html = participant_summary_html(report, rubric);
    // Ids are lowercase ASCII and hyphens (the compiler checks), so they are
    // safe file names; anything else is replaced all the same.
    let stem: String = rubric
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    for n in 1..=MAX_SUMMARIES_PER_FOLDER {
        let name = if n == 1 {
            format!("rubric-kiosk-{stem}.html")
        } else {
            format!("rubric-kiosk-{stem}-{n}.html")
        };
        let path = folder.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::fsutil::write_atomic(&path, html.as_bytes())?;
                return Ok(path);
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{} already holds {MAX_SUMMARIES_PER_FOLDER} results of this rubric",
            folder.display()
        ),
    ))
}
