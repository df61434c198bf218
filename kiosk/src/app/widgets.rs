//! Small shared widgets: large touch buttons, banners, page scrolling.

use egui::{Button, Color32, Response, RichText, Ui, Vec2};

use super::theme::TOUCH;

/// A button at least [`TOUCH`] points high and `width` wide (0 = fit the text).
pub fn big_button(ui: &mut Ui, text: impl Into<String>, width: f32) -> Response {
    ui.add(Button::new(RichText::new(text.into()).size(18.0)).min_size(Vec2::new(width, TOUCH)))
}

/// A framed choice as wide as the panel, at least [`TOUCH`] points high,
/// highlighted when selected.
pub fn choice_button(ui: &mut Ui, selected: bool, text: impl Into<String>) -> Response {
    let width = ui.available_width();
    ui.add(
        Button::new(RichText::new(text.into()).size(18.0))
            .selected(selected)
            .min_size(Vec2::new(width, TOUCH)),
    )
}

/// A vertical scroll area for a whole page. Each page passes its own salt,
/// so that a new page starts at the top instead of where the last one was.
pub fn page_scroll(salt: impl std::hash::Hash + std::fmt::Debug) -> egui::ScrollArea {
    egui::ScrollArea::vertical()
        .id_salt(salt)
        .auto_shrink([false, false])
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

/// One wrapping label: a strong lead ("This week:") followed by plain text.
pub fn lead_label(ui: &mut Ui, lead: &str, rest: &str) {
    use egui::text::{LayoutJob, TextFormat};
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut job = LayoutJob::default();
    job.append(
        lead,
        0.0,
        TextFormat {
            font_id: font.clone(),
            color: ui.visuals().strong_text_color(),
            ..Default::default()
        },
    );
    job.append(
        rest,
        8.0,
        TextFormat {
            font_id: font,
            color: ui.visuals().text_color(),
            ..Default::default()
        },
    );
    job.wrap.max_width = ui.available_width();
    ui.add(egui::Label::new(job).wrap());
}

/// "12 questions", or "3 questions (+1 optional)".
pub fn question_count(rubric: &rubric_engine::Rubric<'_>) -> String {
    let optional = rubric.items.iter().filter(|i| !i.required).count();
    let required = rubric.items.len() - optional;
    let plural = if required == 1 { "" } else { "s" };
    match optional {
        0 => format!("{required} question{plural}"),
        n => format!("{required} question{plural} (+{n} optional)"),
    }
}
