//! Charts drawn with egui's painter: radar, horizontal bars, trend lines.
//! They draw numbers the engine computed; they compute none of their own.

use egui::{Align2, Color32, FontId, Pos2, Sense, Shape, Stroke, Ui, Vec2};

use super::theme::{self, size, Theme};

fn text_color(ui: &Ui) -> Color32 {
    ui.visuals().text_color()
}

/// A radar chart of percentages (0 to 100), one axis per entry; needs 3 or more.
pub fn radar_ui(ui: &mut Ui, axes: &[(&str, u8)], theme: Theme) {
    // Full width, so the axis labels left and right of the chart have room.
    let width = ui.available_width().clamp(300.0, 860.0);
    let height = (width * 0.62).clamp(260.0, 440.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
    let painter = ui.painter_at(rect);
    let center = rect.center();
    let radius = (height * 0.38).min(width / 2.0 - 190.0).max(60.0);
    let n = axes.len().max(3);
    let point = |i: usize, fraction: f32| {
        let angle = std::f32::consts::TAU * i as f32 / n as f32 - std::f32::consts::FRAC_PI_2;
        center + Vec2::angled(angle) * radius * fraction
    };
    let grid = Stroke::new(1.0, theme.palette().border);
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let ring_points: Vec<Pos2> = (0..n).map(|i| point(i, ring)).collect();
        painter.add(Shape::closed_line(ring_points, grid));
    }
    for (i, (label, _)) in axes.iter().enumerate() {
        painter.line_segment([center, point(i, 1.0)], grid);
        let at = point(i, 1.18);
        let align = if (at.x - center.x).abs() < 10.0 {
            Align2::CENTER_CENTER
        } else if at.x > center.x {
            Align2::LEFT_CENTER
        } else {
            Align2::RIGHT_CENTER
        };
        painter.text(at, align, *label, theme::small_font(), text_color(ui));
    }
    let accent = theme.palette().chart;
    let shape: Vec<Pos2> = axes
        .iter()
        .enumerate()
        .map(|(i, (_, p))| point(i, f32::from(*p) / 100.0))
        .collect();
    painter.add(Shape::convex_polygon(
        shape.clone(),
        accent.gamma_multiply(0.35),
        Stroke::new(2.5, accent),
    ));
    for p in shape {
        painter.circle_filled(p, 4.0, accent);
    }
    let summary: Vec<String> = axes.iter().map(|(l, p)| format!("{l}: {p}%")).collect();
    response.on_hover_text(summary.join("\n"));
}

/// Horizontal bars of percentages with a label and a caption each.
pub fn bars_ui(ui: &mut Ui, bars: &[(String, u8, String)], color: Color32) {
    for (label, percent, caption) in bars {
        ui.label(egui::RichText::new(label).strong());
        let width = ui.available_width().min(560.0);
        let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 26.0), Sense::hover());
        let painter = ui.painter_at(rect);
        let p = theme::palette(ui.ctx());
        painter.rect_filled(rect, 4.0, p.surface_alt);
        let mut fill = rect;
        fill.set_width(rect.width() * f32::from(*percent) / 100.0);
        painter.rect_filled(fill, 4.0, color);
        painter.rect_stroke(
            rect,
            4.0,
            Stroke::new(1.0, p.border),
            egui::StrokeKind::Inside,
        );
        ui.label(caption);
    }
}

/// Lines of percentages across attempts (oldest left), one per series.
pub fn trend_ui(ui: &mut Ui, series: &[(String, Vec<u8>)], x_labels: &[String], theme: Theme) {
    let width = ui.available_width().min(640.0);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 220.0), Sense::hover());
    let painter = ui.painter_at(rect);
    let plot = rect.shrink2(Vec2::new(36.0, 22.0));
    let grid = Stroke::new(1.0, theme.palette().border);
    for pct in [0u8, 50, 100] {
        let y = plot.bottom() - plot.height() * f32::from(pct) / 100.0;
        painter.line_segment(
            [Pos2::new(plot.left(), y), Pos2::new(plot.right(), y)],
            grid,
        );
        painter.text(
            Pos2::new(plot.left() - 6.0, y),
            Align2::RIGHT_CENTER,
            format!("{pct}%"),
            FontId::proportional(size::SMALL - 2.0),
            text_color(ui),
        );
    }
    let count = x_labels.len().max(1);
    let x_at = |i: usize| {
        if count == 1 {
            plot.center().x
        } else {
            plot.left() + plot.width() * i as f32 / (count - 1) as f32
        }
    };
    for (i, label) in x_labels.iter().enumerate() {
        painter.text(
            Pos2::new(x_at(i), plot.bottom() + 4.0),
            Align2::CENTER_TOP,
            label,
            FontId::proportional(size::SMALL - 2.0),
            text_color(ui),
        );
    }
    let p = theme.palette();
    let palette = [
        p.chart,
        p.chart_second,
        p.groups[1],
        p.groups[2],
        p.groups[3],
        p.text_muted,
    ];
    for (s, (_, values)) in series.iter().enumerate() {
        let color = palette[s % palette.len()];
        let points: Vec<Pos2> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                Pos2::new(
                    x_at(i),
                    plot.bottom() - plot.height() * f32::from(*v) / 100.0,
                )
            })
            .collect();
        // Past the palette's colours a series repeats a colour, so it is
        // drawn dashed with square points instead, and so is its swatch.
        let repeated = s >= palette.len();
        if points.len() > 1 {
            let stroke = Stroke::new(2.5, color);
            if repeated {
                painter.extend(Shape::dashed_line(&points, stroke, 8.0, 5.0));
            } else {
                painter.add(Shape::line(points.clone(), stroke));
            }
        }
        for p in points {
            if repeated {
                painter.rect_filled(
                    egui::Rect::from_center_size(p, Vec2::splat(8.0)),
                    0.0,
                    color,
                );
            } else {
                painter.circle_filled(p, 4.0, color);
            }
        }
    }
    legend_ui(ui, series, &palette);
}

/// The trend's legend: a swatch drawn as its series is, and the name.
fn legend_ui(ui: &mut Ui, series: &[(String, Vec<u8>)], palette: &[Color32]) {
    ui.horizontal_wrapped(|ui| {
        for (s, (name, _)) in series.iter().enumerate() {
            // Swatch and name as items of the wrapping row itself: a nested
            // row has no width known in advance, so the row could not wrap
            // before it and ran off the screen.
            // One item per entry, so a swatch never wraps away from its name.
            let galley = ui.painter().layout_no_wrap(
                name.clone(),
                egui::TextStyle::Body.resolve(ui.style()),
                ui.visuals().text_color(),
            );
            let size = Vec2::new(14.0 + 6.0 + galley.size().x, galley.size().y.max(14.0));
            let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, name));
            let swatch = egui::Rect::from_center_size(
                egui::pos2(rect.left() + 7.0, rect.center().y),
                Vec2::splat(14.0),
            );
            let color = palette[s % palette.len()];
            if s >= palette.len() {
                // A dash and a square point, as the series is drawn.
                let y = swatch.center().y;
                ui.painter().line_segment(
                    [egui::pos2(swatch.left(), y), egui::pos2(swatch.right(), y)],
                    Stroke::new(2.5, color),
                );
                ui.painter().rect_filled(
                    egui::Rect::from_center_size(swatch.center(), Vec2::splat(8.0)),
                    0.0,
                    color,
                );
            } else {
                ui.painter().rect_filled(swatch, 3.0, color);
            }
            let text_pos = egui::pos2(swatch.right() + 6.0, rect.top());
            ui.painter()
                .galley(text_pos, galley, ui.visuals().text_color());
            ui.add_space(theme::space::S);
        }
    });
}
