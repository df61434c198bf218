//! The design tokens: one place for the type scale, spacing, corner radii
//! and the colours of the light, dark and high-contrast themes. Screens and
//! widgets take sizes and colours from here and never write their own.

use egui::{Color32, FontFamily, FontId, Stroke, TextStyle, Visuals};

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

/// Smallest height of anything a person taps, in points at 100 % zoom.
pub const TOUCH: f32 = 48.0;

/// QR codes are dark modules on a light field in every theme: phone cameras
/// expect that, whatever the screen around them looks like.
pub const QR_DARK: Color32 = Color32::BLACK;
/// The light field and quiet zone of a QR code.
pub const QR_LIGHT: Color32 = Color32::WHITE;

/// Widest a column of reading text gets; wider screens centre it.
pub const COLUMN: f32 = 720.0;

/// Widest the home screen's list of cards gets.
pub const WIDE_COLUMN: f32 = 960.0;

/// Spacing, in points.
pub mod space {
    /// Between a label and what it labels.
    pub const XS: f32 = 4.0;
    /// Between related items.
    pub const S: f32 = 8.0;
    /// Between groups, and inside cards.
    pub const M: f32 = 16.0;
    /// Between sections.
    pub const L: f32 = 24.0;
    /// Around a page.
    pub const XL: f32 = 40.0;
}

/// Corner radii, in points.
pub mod radius {
    /// Buttons, chips, bars.
    pub const S: u8 = 6;
    /// Cards and choices.
    pub const M: u8 = 10;
    /// The result's hero card.
    pub const L: u8 = 16;
}

/// The type scale: four sizes, in points at 100 % zoom.
pub mod size {
    /// A verdict, a page title on a wide screen.
    pub const DISPLAY: f32 = 30.0;
    /// Page titles, questions, section headings.
    pub const TITLE: f32 = 22.0;
    /// Reading text and buttons.
    pub const BODY: f32 = 18.0;
    /// Captions, hints, metadata.
    pub const SMALL: f32 = 14.0;
    /// Every number and label of the projector view: readable from the back
    /// of a room on a 1920x1080 projector.
    pub const PROJECTOR: f32 = 28.0;
    /// Headings of the projector view.
    pub const PROJECTOR_HEADING: f32 = 40.0;
}

/// The named text style for the display size.
pub fn display() -> TextStyle {
    TextStyle::Name("display".into())
}

/// The named text style for titles.
pub fn title() -> TextStyle {
    TextStyle::Name("title".into())
}

/// Font of the display size.
pub fn display_font() -> FontId {
    FontId::new(size::DISPLAY, FontFamily::Proportional)
}

/// Font of the title size.
pub fn title_font() -> FontId {
    FontId::new(size::TITLE, FontFamily::Proportional)
}

/// Font of body text.
pub fn body_font() -> FontId {
    FontId::new(size::BODY, FontFamily::Proportional)
}

/// Font of small text.
pub fn small_font() -> FontId {
    FontId::new(size::SMALL, FontFamily::Proportional)
}

/// A fill with the text colour that reads on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnFill {
    /// The background.
    pub fill: Color32,
    /// Text and marks drawn on it.
    pub text: Color32,
}

/// Every colour of one theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The page behind everything.
    pub background: Color32,
    /// Cards, choices, fields.
    pub surface: Color32,
    /// Quiet fills: chips, bar tracks, pressed cards.
    pub surface_alt: Color32,
    /// Outlines of cards and choices.
    pub border: Color32,
    /// Reading text.
    pub text: Color32,
    /// Secondary text: captions, hints, metadata.
    pub text_muted: Color32,
    /// Accent-coloured text and marks on the page and on surfaces.
    pub accent_text: Color32,
    /// The primary button.
    pub primary: OnFill,
    /// A chosen answer.
    pub selected: OnFill,
    /// Notices that need attention.
    pub warning: OnFill,
    /// Errors: something was not saved or cannot be read.
    pub error: OnFill,
    /// Text that warns, on the page ("Required").
    pub warning_text: Color32,
    /// Chart fills and lines.
    pub chart: Color32,
    /// A second chart series (comparisons).
    pub chart_second: Color32,
    /// One colour per rubric group on the home screen, used for text and stripes.
    pub groups: [Color32; 4],
    /// Hero cards of verdicts: each verdict of a rubric takes the next one,
    /// so two verdicts never share a colour; none of them means good or bad.
    pub verdicts: [OnFill; 5],
}

const fn rgb(hex: u32) -> Color32 {
    Color32::from_rgb((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

const fn on(fill: u32, text: u32) -> OnFill {
    OnFill {
        fill: rgb(fill),
        text: rgb(text),
    }
}

const LIGHT: Palette = Palette {
    background: rgb(0xF3F4F6),
    surface: rgb(0xFFFFFF),
    surface_alt: rgb(0xE8EBEF),
    border: rgb(0xC4CAD3),
    text: rgb(0x1A1E24),
    text_muted: rgb(0x4D5663),
    accent_text: rgb(0x1A52A8),
    primary: on(0x1F5FBF, 0xFFFFFF),
    selected: on(0xDCE8FB, 0x0F2F63),
    warning: on(0x8A5A00, 0xFFFFFF),
    error: on(0xA31B1B, 0xFFFFFF),
    warning_text: rgb(0x8A4B00),
    chart: rgb(0x1F5FBF),
    chart_second: rgb(0xB8560F),
    groups: [rgb(0x1F5FBF), rgb(0x6A3FB5), rgb(0x0E7268), rgb(0x9A5600)],
    verdicts: [
        on(0x1F5FBF, 0xFFFFFF),
        on(0x5B3FA8, 0xFFFFFF),
        on(0x0E6B63, 0xFFFFFF),
        on(0x8A4A0C, 0xFFFFFF),
        on(0x3D4A5C, 0xFFFFFF),
    ],
};

const DARK: Palette = Palette {
    background: rgb(0x14171C),
    surface: rgb(0x1D2229),
    surface_alt: rgb(0x29303A),
    border: rgb(0x46505D),
    text: rgb(0xE9ECF0),
    text_muted: rgb(0xAEB7C3),
    accent_text: rgb(0x8DBBFF),
    primary: on(0x6AA5FF, 0x0A1930),
    selected: on(0x22385A, 0xFFFFFF),
    warning: on(0xF0B43C, 0x1C1300),
    error: on(0xFF8A80, 0x2A0505),
    warning_text: rgb(0xF0B43C),
    chart: rgb(0x6AA5FF),
    chart_second: rgb(0xFF9F5A),
    groups: [rgb(0x8DBBFF), rgb(0xC3A6FF), rgb(0x5FD4C4), rgb(0xF2B661)],
    verdicts: [
        on(0x2A5699, 0xFFFFFF),
        on(0x54409A, 0xFFFFFF),
        on(0x115E57, 0xFFFFFF),
        on(0x7A4310, 0xFFFFFF),
        on(0x3A4656, 0xFFFFFF),
    ],
};

const HIGH_CONTRAST: Palette = Palette {
    background: rgb(0x000000),
    surface: rgb(0x000000),
    surface_alt: rgb(0x1A1A1A),
    border: rgb(0xFFFFFF),
    text: rgb(0xFFFFFF),
    text_muted: rgb(0xE6E6E6),
    accent_text: rgb(0xFFDD00),
    primary: on(0xFFDD00, 0x000000),
    selected: on(0xFFDD00, 0x000000),
    warning: on(0xFFDD00, 0x000000),
    error: on(0xFF8080, 0x000000),
    warning_text: rgb(0xFFDD00),
    chart: rgb(0xFFDD00),
    chart_second: rgb(0x00FFFF),
    groups: [rgb(0xFFDD00), rgb(0x00FFFF), rgb(0x9CFF9C), rgb(0xFFB3FF)],
    verdicts: [
        on(0xFFDD00, 0x000000),
        on(0x00FFFF, 0x000000),
        on(0x9CFF9C, 0x000000),
        on(0xFFB3FF, 0x000000),
        on(0xFFFFFF, 0x000000),
    ],
};

impl Palette {
    /// Every (what, text colour, background) pair the app draws, for the
    /// contrast check. Keep it in step with the widgets that use the tokens.
    pub fn text_pairs(&self) -> Vec<(String, Color32, Color32)> {
        let mut pairs = Vec::new();
        let reading = [
            ("text", self.text),
            ("muted text", self.text_muted),
            ("accent text", self.accent_text),
            ("warning text", self.warning_text),
        ];
        let grounds = [
            ("page", self.background),
            ("surface", self.surface),
            ("quiet fill", self.surface_alt),
        ];
        for (text_name, text) in reading {
            for (ground_name, ground) in grounds {
                pairs.push((format!("{text_name} on {ground_name}"), text, ground));
            }
        }
        for (i, group) in self.groups.iter().enumerate() {
            for (ground_name, ground) in grounds {
                pairs.push((format!("group {i} on {ground_name}"), *group, ground));
            }
        }
        let fills = [
            ("primary", self.primary),
            ("selected", self.selected),
            ("warning", self.warning),
            ("error", self.error),
        ];
        for (name, fill) in fills {
            pairs.push((format!("text on {name}"), fill.text, fill.fill));
        }
        for (i, verdict) in self.verdicts.iter().enumerate() {
            pairs.push((format!("text on verdict {i}"), verdict.text, verdict.fill));
        }
        pairs
    }
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

    /// The theme's colours.
    pub fn palette(self) -> &'static Palette {
        match self {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
            Theme::HighContrast => &HIGH_CONTRAST,
        }
    }

    /// The smallest contrast ratio body text needs in this theme (WCAG AA
    /// for light and dark, AAA for high contrast).
    pub fn minimum_contrast(self) -> f32 {
        match self {
            Theme::HighContrast => 7.0,
            _ => 4.5,
        }
    }

    /// Width of outlines: thicker in high contrast.
    pub fn outline(self) -> f32 {
        match self {
            Theme::HighContrast => 2.0,
            _ => 1.0,
        }
    }

    fn visuals(self) -> Visuals {
        let p = self.palette();
        let mut v = if self == Theme::Light {
            Visuals::light()
        } else {
            Visuals::dark()
        };
        v.override_text_color = Some(p.text);
        v.weak_text_color = Some(p.text_muted);
        v.panel_fill = p.background;
        v.window_fill = p.surface;
        v.window_stroke = Stroke::new(self.outline(), p.border);
        v.extreme_bg_color = p.surface;
        v.text_edit_bg_color = Some(p.surface);
        v.faint_bg_color = p.surface_alt;
        v.code_bg_color = p.surface_alt;
        v.hyperlink_color = p.accent_text;
        v.warn_fg_color = p.warning_text;
        v.error_fg_color = p.warning_text;
        v.selection.bg_fill = p.selected.fill;
        v.selection.stroke = Stroke::new(self.outline(), p.selected.text);
        let outline = self.outline();
        let corner = egui::CornerRadius::same(radius::S);
        for (w, fill, stroke) in [
            (&mut v.widgets.noninteractive, p.background, p.border),
            (&mut v.widgets.inactive, p.surface_alt, p.border),
            (&mut v.widgets.hovered, p.surface_alt, p.accent_text),
            (&mut v.widgets.active, p.surface_alt, p.accent_text),
            (&mut v.widgets.open, p.surface_alt, p.accent_text),
        ] {
            w.bg_fill = fill;
            w.weak_bg_fill = fill;
            w.bg_stroke = Stroke::new(outline, stroke);
            w.fg_stroke = Stroke::new(outline, p.text);
            w.corner_radius = corner;
        }
        v.widgets.hovered.bg_stroke.width = outline + 1.0;
        v.widgets.active.bg_stroke.width = outline + 1.0;
        v
    }
}

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
    style.spacing.button_padding = egui::vec2(space::M, 10.0);
    style.spacing.item_spacing = egui::vec2(space::S + 2.0, space::S + 2.0);
    // Scroll bars take their own room, so they never cover a card's edge.
    style.spacing.scroll = egui::style::ScrollStyle::solid();
    style.text_styles = [
        (display(), display_font()),
        (title(), title_font()),
        (TextStyle::Heading, title_font()),
        (TextStyle::Body, body_font()),
        (TextStyle::Button, body_font()),
        (TextStyle::Small, small_font()),
        (
            TextStyle::Monospace,
            FontId::new(size::SMALL + 2.0, FontFamily::Monospace),
        ),
    ]
    .into();
    ctx.set_global_style(style);
    ctx.set_zoom_factor(zoom.clamp(1.0, 2.0));
    ctx.data_mut(|d| d.insert_temp(egui::Id::NULL, theme));
}

/// The theme last applied to `ctx` (light before any).
pub fn current(ctx: &egui::Context) -> Theme {
    ctx.data(|d| d.get_temp(egui::Id::NULL))
        .unwrap_or(Theme::Light)
}

/// The colours of the theme last applied to `ctx`.
pub fn palette(ctx: &egui::Context) -> &'static Palette {
    current(ctx).palette()
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance(c: Color32) -> f32 {
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}
