//! The projector view as a second window (an egui viewport) that the
//! facilitator drags onto the projector. It draws only a
//! [`SessionAggregates`], repaints only when new figures arrive, and has no
//! control at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use egui::{ViewportBuilder, ViewportId};

use super::phones::PhonesView;
use crate::app::theme::Theme;
use crate::workshop::SessionAggregates;

/// The projector window's viewport id.
pub fn projector_viewport() -> ViewportId {
    ViewportId::from_hash_of("rubric-kiosk-projector")
}

/// An open projector window: the figures it shows, shared with its
/// (deferred) drawing callback, and whether the window was closed.
#[derive(Debug, Clone)]
pub(crate) struct Projector {
    figures: Arc<Mutex<Option<SessionAggregates>>>,
    closed: Arc<AtomicBool>,
    /// New figures arrived since the window last drew.
    dirty: Arc<AtomicBool>,
    /// The phone join code and counts, while phones may join.
    phones: Arc<Mutex<Option<PhonesView>>>,
}

impl Projector {
    pub(crate) fn new() -> Self {
        Projector {
            figures: Arc::new(Mutex::new(None)),
            closed: Arc::new(AtomicBool::new(false)),
            dirty: Arc::new(AtomicBool::new(true)),
            phones: Arc::new(Mutex::new(None)),
        }
    }

    /// The phone join code and counts to show (or none); repaints once if
    /// they changed.
    pub(crate) fn update_phones(&self, view: Option<PhonesView>) {
        let mut phones = self.phones.lock().unwrap_or_else(|e| e.into_inner());
        if *phones != view {
            *phones = view;
            self.dirty.store(true, Ordering::Relaxed);
        }
    }

    /// New figures to show; the window repaints once for them.
    pub(crate) fn update(&self, aggregates: SessionAggregates) {
        let mut figures = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        *figures = Some(aggregates);
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// Keeps the window open for this frame of the main window; returns
    /// whether it was closed.
    pub(crate) fn show(&self, ctx: &egui::Context, theme: Theme) -> bool {
        if self.closed.load(Ordering::Relaxed) {
            return true;
        }
        if self.dirty.swap(false, Ordering::Relaxed) {
            ctx.request_repaint_of(projector_viewport());
        }
        let figures = Arc::clone(&self.figures);
        let phones = Arc::clone(&self.phones);
        let closed = Arc::clone(&self.closed);
        ctx.show_viewport_deferred(
            projector_viewport(),
            ViewportBuilder::default()
                .with_title("Rubric Kiosk: group results")
                .with_inner_size([1280.0, 720.0]),
            move |ui, _class| {
                if ui.input(|i| i.viewport().close_requested()) {
                    closed.store(true, Ordering::Relaxed);
                }
                let figures = figures.lock().unwrap_or_else(|e| e.into_inner());
                let phones = phones.lock().unwrap_or_else(|e| e.into_inner());
                projector_window_ui(ui, figures.as_ref(), phones.as_ref(), theme);
            },
        );
        false
    }
}

/// Everything the projector window draws: the phones' join code and counts
/// while phones may join, then the group figures (or a line saying there
/// are none yet), on the projector's background right to the edges.
pub fn projector_window_ui(
    ui: &mut egui::Ui,
    figures: Option<&SessionAggregates>,
    phones: Option<&PhonesView>,
    theme: Theme,
) {
    let palette = crate::app::projector_ui::PROJECTOR_THEME.palette();
    let frame = egui::Frame::NONE
        .fill(palette.background)
        .inner_margin(crate::app::theme::space::L);
    egui::CentralPanel::default().frame(frame).show(ui, |ui| {
        if let Some(view) = phones {
            super::phones::projector_join_ui(ui, view, palette.text);
        }
        match figures {
            Some(aggregates) => crate::app::projector_ui::projector_ui(ui, aggregates, theme),
            None => {
                ui.label(
                    egui::RichText::new("No group results yet.")
                        .size(crate::app::theme::size::PROJECTOR)
                        .color(palette.text),
                );
            }
        }
    });
}
