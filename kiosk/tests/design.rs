//! The design tokens keep text readable: every text colour against every
//! surface it is drawn on, in every theme, computed from the theme's own
//! tokens with the WCAG 2 contrast formula.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use egui::Color32;
use kiosk::app::theme::{contrast_ratio, Theme};

#[test]
fn the_contrast_formula_gives_the_wcag_reference_values() {
    let black = Color32::BLACK;
    let white = Color32::WHITE;
    assert!((contrast_ratio(black, white) - 21.0).abs() < 0.01);
    assert!((contrast_ratio(white, white) - 1.0).abs() < 0.001);
    // #777777 on white is the well-known near miss of 4.5:1 (4.48).
    let grey = Color32::from_rgb(0x77, 0x77, 0x77);
    assert!((contrast_ratio(grey, white) - 4.48).abs() < 0.01);
    // Order does not matter.
    assert_eq!(contrast_ratio(grey, black), contrast_ratio(black, grey));
}

#[test]
fn every_text_colour_reads_on_every_surface_it_is_drawn_on_in_every_theme() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for theme in Theme::ALL {
        let minimum = theme.minimum_contrast();
        for (what, text, ground) in theme.palette().text_pairs() {
            checked += 1;
            let ratio = contrast_ratio(text, ground);
            if ratio < minimum {
                failures.push(format!(
                    "{}: {what}: {ratio:.2}:1, needs {minimum}:1",
                    theme.name()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 90, "only {checked} pairs checked");
}

#[test]
fn high_contrast_asks_for_seven_to_one_and_the_others_for_four_and_a_half() {
    assert_eq!(Theme::HighContrast.minimum_contrast(), 7.0);
    assert_eq!(Theme::Light.minimum_contrast(), 4.5);
    assert_eq!(Theme::Dark.minimum_contrast(), 4.5);
}

#[test]
fn the_projector_texts_read_at_seven_to_one_on_their_background() {
    use kiosk::app::projector_ui::projector_text_pairs;
    let pairs = projector_text_pairs();
    assert!(!pairs.is_empty());
    for (what, text, ground) in pairs {
        let ratio = contrast_ratio(text, ground);
        assert!(ratio >= 7.0, "{what}: {ratio:.2}:1, needs 7:1");
    }
    const { assert!(kiosk::app::theme::size::PROJECTOR >= 28.0) };
}
