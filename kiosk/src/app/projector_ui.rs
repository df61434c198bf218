//! The projector view: a session's group figures, large and high-contrast,
//! for the wall of a room. It takes only [`SessionAggregates`], which hold no
//! answer and no alias, and it has no control at all: nothing on it can
//! reveal an individual answer.
//!
//! Every text is [`size::PROJECTOR`] points or larger and drawn with the
//! high-contrast palette (checked at 7:1 by `tests/design.rs` through
//! [`projector_text_pairs`]); histograms are bars with their counts beside
//! them; a hidden rubric shows only why and how many more results it needs.

use egui::{Color32, RichText, Sense, Ui, Vec2};

use super::theme::{self, size, Palette, Theme};
use crate::workshop::aggregate::{GroupFigures, RubricFigures};
use crate::workshop::SessionAggregates;

/// The theme the projector always draws with: a projector washes colours
/// out, so it never uses the light or dark palette.
pub const PROJECTOR_THEME: Theme = Theme::HighContrast;

/// Width of the bar column of a histogram, in points.
const BAR_WIDTH: f32 = 280.0;

/// Narrowest column of histograms: a bar, its count and a label.
const BLOCK_WIDTH: f32 = 560.0;

/// Every (what, text colour, background) pair the projector view draws,
/// for the contrast check.
pub fn projector_text_pairs() -> Vec<(&'static str, Color32, Color32)> {
    let p = PROJECTOR_THEME.palette();
    vec![
        ("projector text on page", p.text, p.background),
        ("projector heading on page", p.accent_text, p.background),
        ("projector step line on page", p.text_muted, p.background),
    ]
}

/// Draws the group figures of a session filling `ui`. The view always uses
/// the high-contrast palette ([`PROJECTOR_THEME`]) whatever the kiosk's
/// `theme`; `theme` only chooses the outline width of the bars.
pub fn projector_ui(ui: &mut Ui, aggregates: &SessionAggregates, theme: Theme) {
    let palette = PROJECTOR_THEME.palette();
    ui.painter()
        .rect_filled(ui.max_rect(), 0.0, palette.background);
    ui.spacing_mut().item_spacing = Vec2::new(theme::space::M, theme::space::S);
    ui.label(
        RichText::new(format!("{} participants", aggregates.participants))
            .size(size::PROJECTOR_HEADING)
            .strong()
            .color(palette.accent_text),
    );
    ui.add_space(theme::space::M);
    let columns = aggregates.rubrics.len().clamp(1, 3);
    ui.columns(columns, |cols| {
        for (i, rubric) in aggregates.rubrics.iter().enumerate() {
            let ui = &mut cols[i % columns];
            ui.label(
                RichText::new(&rubric.title)
                    .size(size::PROJECTOR_HEADING)
                    .strong()
                    .color(palette.accent_text),
            );
            match &rubric.figures {
                GroupFigures::Shown(figures) => figures_ui(ui, figures, palette, theme),
                GroupFigures::TooFew { have, need } => {
                    let more = need.saturating_sub(*have);
                    text(
                        ui,
                        palette,
                        &format!(
                            "{more} more result{} needed",
                            if more == 1 { "" } else { "s" }
                        ),
                    );
                }
                GroupFigures::NotRevealed { .. } => {
                    text(ui, palette, "Hidden until the facilitator reveals it");
                }
                GroupFigures::NotInLibrary => {
                    text(ui, palette, "Not in this kiosk's library");
                }
            }
            ui.add_space(theme::space::XL);
        }
    });
}

fn text(ui: &mut Ui, palette: &Palette, text: &str) {
    ui.label(
        RichText::new(text)
            .size(size::PROJECTOR)
            .color(palette.text),
    );
}

/// The figures of one rubric: each dimension's histogram, the verdicts and
/// the archetype mix as blocks in rows of as many columns as fit, so a
/// rubric of many dimensions still fits one projector screen.
fn figures_ui(ui: &mut Ui, figures: &RubricFigures, palette: &Palette, theme: Theme) {
    text(ui, palette, &format!("{} results", figures.results));
    ui.add_space(theme::space::S);
    let mut blocks: Vec<(&str, Vec<(&str, usize)>)> = figures
        .dimensions
        .iter()
        .map(|dim| {
            let bins = dim.bins.iter().map(|b| (b.label.as_str(), b.count));
            (dim.title.as_str(), bins.collect())
        })
        .collect();
    for (heading, list) in [
        ("Verdicts", &figures.verdicts),
        ("Archetype mix", &figures.archetypes),
    ] {
        if !list.is_empty() {
            blocks.push((
                heading,
                list.iter().map(|c| (c.label.as_str(), c.count)).collect(),
            ));
        }
    }
    let per_row = ((ui.available_width() + theme::space::XL) / (BLOCK_WIDTH + theme::space::XL))
        .floor()
        .max(1.0) as usize;
    for row in blocks.chunks(per_row) {
        ui.columns(per_row, |cols| {
            for ((heading, counts), ui) in row.iter().zip(cols.iter_mut()) {
                text(ui, palette, heading);
                let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
                for (label, count) in counts {
                    bar_ui(ui, palette, theme, label, *count, max);
                }
            }
        });
        ui.add_space(theme::space::L);
    }
}

/// One row: the label, a bar as long as `count` is of `max`, the count.
fn bar_ui(ui: &mut Ui, palette: &Palette, theme: Theme, label: &str, count: usize, max: usize) {
    ui.horizontal(|ui| {
        let (rect, _) =
            ui.allocate_exact_size(Vec2::new(BAR_WIDTH, size::PROJECTOR), Sense::hover());
        let fraction = if max == 0 {
            0.0
        } else {
            count as f32 / max as f32
        };
        let mut filled = rect;
        filled.set_width(rect.width() * fraction);
        ui.painter().rect_filled(rect, 0.0, palette.surface_alt);
        ui.painter().rect_filled(filled, 0.0, palette.chart);
        ui.painter().rect_stroke(
            rect,
            0.0,
            egui::Stroke::new(theme.outline(), palette.border),
            egui::StrokeKind::Inside,
        );
        text(ui, palette, &count.to_string());
        // A long label wraps inside its column instead of running into the next.
        ui.add(
            egui::Label::new(
                RichText::new(label)
                    .size(size::PROJECTOR)
                    .color(palette.text),
            )
            .wrap(),
        );
    });
}
