//! The take-home QR code: a short plain-text summary of a participant's
//! own result that a phone camera shows as text, with no app and no network.

use egui::{Rect, Sense, Ui, Vec2};
use qrcode::{Color, EcLevel, QrCode};

use crate::app::theme::{QR_DARK, QR_LIGHT};
use crate::attempt::Completed;

/// Longest summary, in bytes: small enough for a phone camera to read the
/// code from a screen at arm's length.
pub const MAX_SUMMARY_BYTES: usize = 480;

/// Light border around the code, in modules (the QR standard asks for 4).
const QUIET_ZONE: usize = 4;

/// Side of one module, in points.
const MODULE: f32 = 4.0;

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

/// Draws `text` as a QR code: dark modules on a light quiet zone in every
/// theme (phone cameras expect dark on light).
pub fn qr_ui(ui: &mut Ui, text: &str) {
    labelled_qr_ui(ui, text, "QR code of your result summary");
}

/// [`qr_ui`] with its own accessible `label` (the join code on the projector).
pub fn labelled_qr_ui(ui: &mut Ui, text: &str, label: &str) {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L) else {
        ui.label("The summary is too long for a QR code.");
        return;
    };
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET_ZONE) as f32 * MODULE;
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(side), Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, label));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, QR_LIGHT);
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (
                (i % width + QUIET_ZONE) as f32,
                (i / width + QUIET_ZONE) as f32,
            );
            let min = rect.min + Vec2::new(x, y) * MODULE;
            painter.rect_filled(Rect::from_min_size(min, Vec2::splat(MODULE)), 0.0, QR_DARK);
        }
    }
}
