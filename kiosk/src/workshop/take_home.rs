//! The take-home summary: a short plain-text account of a participant's own
//! result, shown as a QR code by the kiosk (`app::workshop::qr`) and as text
//! on the participant's phone (`serve`). No UI here.

use crate::attempt::Completed;

/// Longest summary, in bytes: small enough for a phone camera to read the
/// code from a screen at arm's length.
pub const MAX_SUMMARY_BYTES: usize = 480;

/// The summary the code carries: rubric, verdict, each dimension's value,
/// then the top actions while they fit in `MAX_SUMMARY_BYTES`.
pub fn result_summary(completed: &Completed) -> String {
    report_summary(completed.rubric.title, &completed.report)
}

/// [`result_summary`] from a stored report and the rubric's title (the
/// phone server shows the same text as the kiosk's code).
pub fn report_summary(title: &str, report: &rubrics::report::ResultReport) -> String {
    let mut text = format!(
        "{} (v{})\nVerdict: {}\n",
        title,
        report.version,
        report
            .verdict_label
            .as_deref()
            .unwrap_or("not enough answers")
    );
    for dim in &report.dimensions {
        let band = dim
            .band_label
            .as_deref()
            .map_or(String::new(), |b| format!(", {b}"));
        push_line(
            &mut text,
            &format!(
                "{}: {}/{} ({}%{band})",
                dim.title, dim.value, dim.max, dim.percent
            ),
        );
    }
    for action in report.actions.iter().take(2) {
        push_line(&mut text, &format!("Try: {}", action.text));
    }
    text.trim_end().to_string()
}

/// Appends `line` if it fits, or as much of it as fits (cut at a char
/// boundary, marked with "…").
fn push_line(text: &mut String, line: &str) {
    let room = MAX_SUMMARY_BYTES.saturating_sub(text.len() + 1);
    if line.len() <= room {
        text.push_str(line);
        text.push('\n');
    } else if room > 8 {
        let mut cut = room - "…".len();
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        text.push_str(&line[..cut]);
        text.push('…');
        text.push('\n');
    }
}
