//! Light, dark and high-contrast themes, text size, and large touch targets.

use egui::{Color32, Stroke, Visuals};

/// The themes a person can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on light.
    Light,
    /// Light text on dark.
    Dark,
    /// White on black, yellow highlights, thick outlines.
    HighContrast,
}

impl Theme {
    /// All themes, for the settings screen.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::HighContrast];

    /// Name shown to people and stored in settings.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "Light",
            Theme::Dark => "Dark",
            Theme::HighContrast => "High contrast",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.name() == name)
    }

    fn visuals(self) -> Visuals {
        match self {
            Theme::Light => Visuals::light(),
            Theme::Dark => Visuals::dark(),
            Theme::HighContrast => {
                let mut v = Visuals::dark();
                let yellow = Color32::from_rgb(255, 221, 0);
                v.override_text_color = Some(Color32::WHITE);
                v.panel_fill = Color32::BLACK;
                v.window_fill = Color32::BLACK;
                v.extreme_bg_color = Color32::BLACK;
                v.faint_bg_color = Color32::from_gray(20);
                v.hyperlink_color = yellow;
                v.selection.bg_fill = Color32::from_rgb(0, 70, 160);
                v.selection.stroke = Stroke::new(2.0, yellow);
                for w in [
                    &mut v.widgets.noninteractive,
                    &mut v.widgets.inactive,
                    &mut v.widgets.hovered,
                    &mut v.widgets.active,
                    &mut v.widgets.open,
                ] {
                    w.bg_stroke = Stroke::new(2.0, Color32::WHITE);
                    w.fg_stroke = Stroke::new(2.0, Color32::WHITE);
                    w.bg_fill = Color32::BLACK;
                    w.weak_bg_fill = Color32::BLACK;
                }
                v.widgets.hovered.bg_stroke = Stroke::new(3.0, yellow);
                v.widgets.active.bg_stroke = Stroke::new(3.0, yellow);
                v
            }
        }
    }

    /// Colour of chart fills.
    pub fn accent(self) -> Color32 {
        match self {
            Theme::Light => Color32::from_rgb(30, 100, 200),
            Theme::Dark => Color32::from_rgb(90, 160, 255),
            Theme::HighContrast => Color32::from_rgb(255, 221, 0),
        }
    }

    /// Colour of a second series (comparisons).
    pub fn second(self) -> Color32 {
        match self {
            Theme::Light => Color32::from_rgb(200, 90, 20),
            Theme::Dark => Color32::from_rgb(255, 150, 80),
            Theme::HighContrast => Color32::from_rgb(0, 255, 255),
        }
    }
}

/// Smallest height of anything a person taps, in points at 100 % zoom.
pub const TOUCH: f32 = 48.0;

/// Applies a theme and a zoom (1.0 to 2.0) to the whole UI.
pub fn apply(ctx: &egui::Context, theme: Theme, zoom: f32) {
    // The active style belongs to the active light/dark preference: pin it first.
    ctx.set_theme(if theme == Theme::Light {
        egui::Theme::Light
    } else {
        egui::Theme::Dark
    });
    let mut style = (*ctx.global_style()).clone();
    style.visuals = theme.visuals();
    style.spacing.interact_size.y = TOUCH;
    style.spacing.button_padding = egui::vec2(14.0, 10.0);
    style.spacing.item_spacing = egui::vec2(10.0, 10.0);
    for (text_style, font) in style.text_styles.iter_mut() {
        font.size = match text_style {
            egui::TextStyle::Heading => 28.0,
            egui::TextStyle::Body | egui::TextStyle::Button => 18.0,
            egui::TextStyle::Small => 14.0,
            egui::TextStyle::Monospace => 16.0,
            _ => font.size,
        };
    }
    ctx.set_global_style(style);
    ctx.set_zoom_factor(zoom.clamp(1.0, 2.0));
}
