//! The take-home QR code: a short plain-text summary of a participant's
//! own result that a phone camera shows as text, with no app and no network.

use egui::{Rect, Sense, Ui, Vec2};
use qrcode::{Color, EcLevel, QrCode};

use crate::app::theme::{QR_DARK, QR_LIGHT};
pub use crate::workshop::take_home::result_summary;

/// Light border around the code, in modules (the QR standard asks for 4).
const QUIET_ZONE: usize = 4;

/// Side of one module, in points.
const MODULE: f32 = 4.0;

/// Draws `text` as a QR code: dark modules on a light quiet zone in every
/// theme (phone cameras expect dark on light).
pub fn qr_ui(ui: &mut Ui, text: &str) {
    labelled_qr_ui(ui, text, "QR code of your result summary");
}

/// [`qr_ui`] with its own accessible `label` (the join code on the projector).
pub fn labelled_qr_ui(ui: &mut Ui, text: &str, label: &str) {
    labelled_qr_sized_ui(ui, text, label, 0.0);
}

/// [`labelled_qr_ui`] as large as fits `side` points (whole points per
/// module, never smaller than the usual size): the projector's join code,
/// which phones scan from across a room.
pub fn labelled_qr_sized_ui(ui: &mut Ui, text: &str, label: &str, side: f32) {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L) else {
        ui.label("The summary is too long for a QR code.");
        return;
    };
    let width = code.width();
    let colors = code.to_colors();
    let modules = (width + 2 * QUIET_ZONE) as f32;
    let module = (side / modules).floor().max(MODULE);
    let side = modules * module;
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
            let min = rect.min + Vec2::new(x, y) * module;
            painter.rect_filled(Rect::from_min_size(min, Vec2::splat(module)), 0.0, QR_DARK);
        }
    }
}
