//! Small shared widgets: large touch buttons, banners, headings.

use egui::{Button, Color32, Response, RichText, Ui, Vec2};

use super::theme::TOUCH;

/// A button at least [`TOUCH`] points high and `width` wide (0 = fit the text).
pub fn big_button(ui: &mut Ui, text: impl Into<String>, width: f32) -> Response {
    ui.add(Button::new(RichText::new(text.into()).size(18.0)).min_size(Vec2::new(width, TOUCH)))
}

/// A selectable choice as wide as the panel, at least [`TOUCH`] points high.
pub fn choice_button(ui: &mut Ui, selected: bool, text: impl Into<String>) -> Response {
    let width = ui.available_width();
    ui.add(
        Button::selectable(selected, RichText::new(text.into()).size(18.0))
            .min_size(Vec2::new(width, TOUCH)),
    )
}

/// A warning or error strip that cannot be missed.
pub fn banner_ui(ui: &mut Ui, text: &str, error: bool) {
    let fill = if error {
        Color32::from_rgb(150, 20, 20)
    } else {
        Color32::from_rgb(120, 90, 0)
    };
    egui::Frame::new()
        .fill(fill)
        .inner_margin(10.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(Color32::WHITE).size(16.0));
        });
}
