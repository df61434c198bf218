//! The plans that ship with the kiosk, as their TOML sources
//! (`rubrics/plans/`). The kiosk compiles them against its shipped library
//! when they are first needed; a test holds that each compiles.

/// Each shipped plan's file name and source, in the order setup offers them.
pub const SHIPPED_PLANS: &[(&str, &str)] = &[
    (
        "is-staff-for-you.toml",
        include_str!("../../plans/is-staff-for-you.toml"),
    ),
    (
        "archetype-fit.toml",
        include_str!("../../plans/archetype-fit.toml"),
    ),
    (
        "is-the-track-real.toml",
        include_str!("../../plans/is-the-track-real.toml"),
    ),
];
