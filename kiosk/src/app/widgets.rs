//! The app's widgets, drawn from the design tokens of the theme module:
//! primary and quiet buttons, answer choices, cards that are one target,
//! the verdict's hero card, banners, progress, and the reading column.
//! Every control carries an accessibility label.

use std::sync::Arc;

use egui::{
    Align2, Button, Color32, CornerRadius, Galley, Pos2, Rect, Response, RichText, Role, Sense,
    Shape, Stroke, StrokeKind, Ui, UiBuilder, Vec2, WidgetInfo,
};
use rubric_engine::model::{CaveatKind, Rubric};

use super::theme::{self, radius, size, space, OnFill, COLUMN, TOUCH};

/// A quiet button at least [`TOUCH`] points high and `width` wide (0 = fit the text).
pub fn big_button(ui: &mut Ui, text: impl Into<String>, width: f32) -> Response {
    ui.add(
        Button::new(RichText::new(text.into()).size(size::BODY))
            .corner_radius(CornerRadius::same(radius::S))
            .min_size(Vec2::new(width, TOUCH)),
    )
}

/// The one button on a page that moves a person on: accent-filled.
pub fn primary_button(ui: &mut Ui, text: impl Into<String>, width: f32) -> Response {
    let p = theme::palette(ui.ctx());
    let enabled = ui.is_enabled();
    let (fill, color) = if enabled {
        (p.primary.fill, p.primary.text)
    } else {
        (p.surface_alt, p.text_muted)
    };
    ui.add(
        Button::new(
            RichText::new(text.into())
                .size(size::BODY)
                .strong()
                .color(color),
        )
        .fill(fill)
        .stroke(Stroke::new(theme::current(ui.ctx()).outline(), fill))
        .corner_radius(CornerRadius::same(radius::S))
        .min_size(Vec2::new(width, TOUCH)),
    )
}

/// A secondary action beside a primary one: outlined, no fill.
pub fn quiet_button(ui: &mut Ui, text: impl Into<String>, width: f32) -> Response {
    let p = theme::palette(ui.ctx());
    ui.add(
        Button::new(RichText::new(text.into()).size(size::BODY))
            .fill(Color32::TRANSPARENT)
            .stroke(Stroke::new(theme::current(ui.ctx()).outline(), p.border))
            .corner_radius(CornerRadius::same(radius::S))
            .min_size(Vec2::new(width, TOUCH)),
    )
}

/// How a choice shows that it is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceKind {
    /// One of several (a round mark).
    One,
    /// Any number of several (a square mark).
    Many,
}

/// An answer choice as wide as the column and at least [`TOUCH`] high,
/// with a number key badge; a chosen one has the accent fill, a heavier
/// outline and a check mark, so it never depends on colour alone.
/// `label` is what a screen reader hears (and tests click).
pub fn choice_ui(
    ui: &mut Ui,
    kind: ChoiceKind,
    selected: bool,
    key: Option<usize>,
    text: &str,
    label: &str,
) -> Response {
    let p = theme::palette(ui.ctx());
    let outline = theme::current(ui.ctx()).outline();
    let width = ui.available_width();
    let badge = 28.0;
    let mark = 22.0;
    let text_left = space::M + if key.is_some() { badge + space::S } else { 0.0 };
    let text_width = (width - text_left - space::M - mark - space::S).max(80.0);
    let colors = if selected {
        p.selected
    } else {
        OnFill {
            fill: p.surface,
            text: p.text,
        }
    };
    let galley = ui
        .painter()
        .layout(text.to_owned(), theme::body_font(), colors.text, text_width);
    let height = (galley.size().y + 2.0 * 12.0).max(TOUCH);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), Sense::click());
    let role = match kind {
        ChoiceKind::One => Role::RadioButton,
        ChoiceKind::Many => Role::CheckBox,
    };
    response.widget_info(|| WidgetInfo::selected(role, ui.is_enabled(), selected, label));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let painter = ui.painter();
    let stroke = if selected || response.hovered() || response.has_focus() {
        Stroke::new(outline + 1.0, p.accent_text)
    } else {
        Stroke::new(outline, p.border)
    };
    painter.rect(
        rect,
        CornerRadius::same(radius::M),
        colors.fill,
        stroke,
        StrokeKind::Inside,
    );
    if let Some(key) = key {
        let center = Pos2::new(rect.left() + space::M + badge / 2.0, rect.center().y);
        painter.circle(
            center,
            badge / 2.0,
            p.surface_alt,
            Stroke::new(outline, p.border),
        );
        painter.text(
            center,
            Align2::CENTER_CENTER,
            key.to_string(),
            theme::small_font(),
            p.text,
        );
    }
    let text_pos = Pos2::new(
        rect.left() + text_left,
        rect.center().y - galley.size().y / 2.0,
    );
    painter.galley(text_pos, galley, colors.text);
    let mark_rect = Rect::from_center_size(
        Pos2::new(rect.right() - space::M - mark / 2.0, rect.center().y),
        Vec2::splat(mark),
    );
    choice_mark(ui, kind, selected, mark_rect, colors);
    response
}

/// The round or square mark of a choice, with a check drawn when chosen.
fn choice_mark(ui: &Ui, kind: ChoiceKind, selected: bool, rect: Rect, colors: OnFill) {
    let p = theme::palette(ui.ctx());
    let painter = ui.painter();
    let corner = match kind {
        ChoiceKind::One => CornerRadius::same(255),
        ChoiceKind::Many => CornerRadius::same(4),
    };
    let fill = if selected {
        p.accent_text
    } else {
        Color32::TRANSPARENT
    };
    let ring = if selected {
        p.accent_text
    } else {
        p.text_muted
    };
    painter.rect(
        rect,
        corner,
        fill,
        Stroke::new(2.0, ring),
        StrokeKind::Inside,
    );
    if selected {
        let r = rect.shrink(5.0);
        let check = vec![
            Pos2::new(r.left(), r.center().y),
            Pos2::new(r.left() + r.width() * 0.38, r.bottom() - 1.0),
            Pos2::new(r.right(), r.top() + 1.0),
        ];
        let on_mark = if colors.fill == p.accent_text {
            colors.text
        } else {
            colors.fill
        };
        painter.add(Shape::line(check, Stroke::new(2.5, on_mark)));
    }
}

/// Lays out `text` for painting at `width`.
fn galley(ui: &Ui, text: &str, font: egui::FontId, color: Color32, width: f32) -> Arc<Galley> {
    ui.painter().layout(text.to_owned(), font, color, width)
}

/// What a card shows: its title, a summary and a line of metadata.
#[derive(Debug, Clone, Copy)]
pub struct CardText<'a> {
    /// The title, in title type.
    pub title: &'a str,
    /// One or two lines under it.
    pub summary: &'a str,
    /// Small, muted metadata.
    pub meta: &'a str,
    /// What a screen reader says for the whole card.
    pub label: &'a str,
}

/// A card that is one target (click, tap, or focus and Enter): a stripe in
/// its group's colour, the title, a summary and a line of metadata.
pub fn card_button(ui: &mut Ui, group: Color32, card: CardText<'_>) -> Response {
    let CardText {
        title,
        summary,
        meta,
        label,
    } = card;
    let p = theme::palette(ui.ctx());
    let outline = theme::current(ui.ctx()).outline();
    let width = ui.available_width();
    let inner = (width - 2.0 * space::M - 6.0).max(120.0);
    let heading = galley(ui, title, theme::title_font(), p.text, inner);
    let body = galley(ui, summary, theme::body_font(), p.text, inner);
    let footer = galley(ui, meta, theme::small_font(), p.text_muted, inner);
    let parts = [heading, body, footer];
    let height = 2.0 * space::M
        + parts.iter().map(|g| g.size().y).sum::<f32>()
        + space::XS * (parts.len() - 1) as f32;
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(width, height.max(TOUCH)), Sense::click());
    response.widget_info(|| WidgetInfo::labeled(Role::Button, ui.is_enabled(), label));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let painter = ui.painter();
    let active = response.hovered() || response.has_focus();
    let fill = if response.is_pointer_button_down_on() {
        p.surface_alt
    } else {
        p.surface
    };
    let stroke = if active {
        Stroke::new(outline + 1.0, p.accent_text)
    } else {
        Stroke::new(outline, p.border)
    };
    painter.rect(
        rect,
        CornerRadius::same(radius::M),
        fill,
        stroke,
        StrokeKind::Inside,
    );
    let stripe = Rect::from_min_size(
        rect.min + Vec2::new(outline + 1.0, space::M),
        Vec2::new(4.0, rect.height() - 2.0 * space::M),
    );
    painter.rect_filled(stripe, CornerRadius::same(2), group);
    let mut at = rect.min + Vec2::new(space::M + 6.0, space::M);
    for part in parts {
        let h = part.size().y;
        painter.galley(at, part, p.text);
        at.y += h + space::XS;
    }
    response
}

/// The verdict of a result: a card in the verdict's colour with the rubric
/// name above, the verdict in display type and what it means.
pub fn hero_ui(ui: &mut Ui, colors: OnFill, overline: &str, verdict: &str, body: Option<&str>) {
    egui::Frame::new()
        .fill(colors.fill)
        .corner_radius(CornerRadius::same(radius::L))
        .inner_margin(space::L)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(overline).size(size::SMALL).color(colors.text));
            ui.label(
                RichText::new(verdict)
                    .text_style(theme::display())
                    .strong()
                    .color(colors.text),
            );
            if let Some(body) = body {
                ui.add_space(space::XS);
                ui.label(RichText::new(body).size(size::BODY).color(colors.text));
            }
        });
}

/// A framed surface card holding whatever `add` draws.
pub fn card_ui<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let p = theme::palette(ui.ctx());
    let outline = theme::current(ui.ctx()).outline();
    egui::Frame::new()
        .fill(p.surface)
        .stroke(Stroke::new(outline, p.border))
        .corner_radius(CornerRadius::same(radius::M))
        .inner_margin(space::M)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// A suggested step as a card: when, in accent, above what to do.
pub fn action_card_ui(ui: &mut Ui, when: &str, text: &str) {
    let p = theme::palette(ui.ctx());
    card_ui(ui, |ui| {
        ui.label(
            RichText::new(when)
                .size(size::SMALL)
                .strong()
                .color(p.accent_text),
        );
        ui.label(RichText::new(text).size(size::BODY));
    });
}

/// A section heading inside a page.
pub fn section_heading(ui: &mut Ui, text: &str) {
    ui.add_space(space::M);
    ui.label(RichText::new(text).text_style(theme::title()).strong());
    ui.add_space(space::XS);
}

/// A group heading: a swatch in the group's colour, then its name in it.
pub fn group_heading(ui: &mut Ui, text: &str, color: Color32) {
    ui.add_space(space::M);
    let font = theme::title_font();
    let text = galley(ui, text, font, color, ui.available_width() - 20.0);
    let height = text.size().y;
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(ui.available_width(), height), Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, text.text()));
    let swatch = Rect::from_min_size(
        Pos2::new(rect.left(), rect.center().y - 6.0),
        Vec2::splat(12.0),
    );
    ui.painter()
        .rect_filled(swatch, CornerRadius::same(3), color);
    ui.painter()
        .galley(Pos2::new(rect.left() + 20.0, rect.top()), text, color);
    ui.add_space(space::XS);
}

/// Lays out a centred column at most `max_width` wide (the full width on a
/// narrow screen) and draws `add` into it.
pub fn column_ui<R>(ui: &mut Ui, max_width: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    let full = ui.available_rect_before_wrap();
    let width = full.width().min(max_width);
    let rect = Rect::from_min_size(
        Pos2::new(full.center().x - width / 2.0, full.top()),
        Vec2::new(width, full.height()),
    );
    ui.scope_builder(
        UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
        add,
    )
    .inner
}

/// The reading column ([`COLUMN`] wide at most).
pub fn reading_column<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    column_ui(ui, COLUMN, add)
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
    let p = theme::palette(ui.ctx());
    let colors = if error { p.error } else { p.warning };
    egui::Frame::new()
        .fill(colors.fill)
        .inner_margin(space::S + 4.0)
        .corner_radius(CornerRadius::same(radius::S))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(colors.text).size(size::BODY));
        });
}

/// Progress through a rubric: a caption line above a slim bar, so the text
/// never sits on the fill.
pub fn progress_ui(ui: &mut Ui, position: usize, visible: usize, answered: usize) {
    let p = theme::palette(ui.ctx());
    let width = ui.available_width();
    let left = galley(
        ui,
        &format!("Question {position} of {visible}"),
        theme::small_font(),
        p.text_muted,
        width / 2.0,
    );
    let right = galley(
        ui,
        &format!("{answered} answered"),
        theme::small_font(),
        p.text_muted,
        width / 2.0,
    );
    let text_height = left.size().y.max(right.size().y);
    let bar = 8.0;
    let (rect, response) = ui.allocate_exact_size(
        Vec2::new(width, text_height + space::XS + bar),
        Sense::hover(),
    );
    response.widget_info(|| {
        WidgetInfo::labeled(
            Role::ProgressIndicator,
            true,
            format!("Question {position} of {visible}, {answered} answered"),
        )
    });
    let painter = ui.painter();
    let right_width = right.size().x;
    painter.galley(rect.min, left, p.text_muted);
    painter.galley(
        Pos2::new(rect.right() - right_width, rect.top()),
        right,
        p.text_muted,
    );
    let track = Rect::from_min_size(
        Pos2::new(rect.left(), rect.bottom() - bar),
        Vec2::new(width, bar),
    );
    painter.rect_filled(track, CornerRadius::same(4), p.surface_alt);
    if visible > 0 && answered > 0 {
        let mut fill = track;
        fill.set_width(width * (answered as f32 / visible as f32).min(1.0));
        painter.rect_filled(fill, CornerRadius::same(4), p.chart);
    }
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
    // A real space, not only a visual gap: screen readers read the text
    // itself, and without it the two parts ran together ("Yes (1 of 1)to").
    job.append(
        &format!(" {rest}"),
        0.0,
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
pub fn question_count(rubric: &Rubric<'_>) -> String {
    let optional = rubric.items.iter().filter(|i| !i.required).count();
    let required = rubric.items.len() - optional;
    let plural = if required == 1 { "" } else { "s" };
    match optional {
        0 => format!("{required} question{plural}"),
        n => format!("{required} question{plural} (+{n} optional)"),
    }
}

fn caveat_heading(kind: CaveatKind) -> &'static str {
    match kind {
        CaveatKind::SmallCompany => "Small company",
        CaveatKind::CompanyOnFire => "Company in crisis",
        CaveatKind::TimeInLevel => "Time in level",
        _ => "Keep in mind",
    }
}

/// The caveats of a rubric (before starting and with the result).
pub fn caveats_ui(ui: &mut Ui, rubric: &Rubric<'_>) {
    if rubric.caveats.is_empty() {
        return;
    }
    section_heading(ui, "When to read this with care");
    for caveat in rubric.caveats.iter() {
        card_ui(ui, |ui| {
            ui.label(RichText::new(caveat_heading(caveat.kind)).strong());
            ui.label(caveat.text);
        });
    }
}
