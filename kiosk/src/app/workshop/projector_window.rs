//! The projector view as a second window (an egui viewport) that the
//! facilitator drags onto the projector. It draws only a
//! [`SessionAggregates`] and the plan's current step, repaints only when
//! they change (and once a minute while a break's time runs), and has no
//! control at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use egui::{ViewportBuilder, ViewportId};

use super::phones::PhonesView;
use super::plan_run::StepShown;
use crate::app::theme::Theme;
use crate::workshop::SessionAggregates;

/// The projector window's viewport id.
pub fn projector_viewport() -> ViewportId {
    ViewportId::from_hash_of("rubric-kiosk-projector")
}

/// Everything the projector shows: the group figures, the phones' join
/// code, and the plan's current step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectorScene {
    /// The group figures as the facilitator's screens show them.
    pub figures: Option<SessionAggregates>,
    /// The phone join code and counts, while phones may join.
    pub phones: Option<PhonesView>,
    /// The plan's current step (none without a plan).
    pub step: Option<StepShown>,
}

/// An open projector window: the scene it shows, shared with its
/// (deferred) drawing callback, and whether the window was closed.
#[derive(Debug, Clone)]
pub(crate) struct Projector {
    scene: Arc<Mutex<ProjectorScene>>,
    closed: Arc<AtomicBool>,
    /// The scene changed since the window last drew.
    dirty: Arc<AtomicBool>,
}

impl Projector {
    pub(crate) fn new() -> Self {
        Projector {
            scene: Arc::new(Mutex::new(ProjectorScene::default())),
            closed: Arc::new(AtomicBool::new(false)),
            dirty: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Changes the scene with `change`; the window repaints once if it changed.
    fn change(&self, change: impl FnOnce(&mut ProjectorScene)) {
        let mut scene = self.scene.lock().unwrap_or_else(|e| e.into_inner());
        let before = scene.clone();
        change(&mut scene);
        if *scene != before {
            self.dirty.store(true, Ordering::Relaxed);
        }
    }

    /// A copy of what the window shows.
    pub(crate) fn scene(&self) -> ProjectorScene {
        self.scene.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The phone join code and counts to show (or none).
    pub(crate) fn update_phones(&self, view: Option<PhonesView>) {
        self.change(|scene| scene.phones = view);
    }

    /// New figures to show.
    pub(crate) fn update(&self, aggregates: SessionAggregates) {
        self.change(|scene| scene.figures = Some(aggregates));
    }

    /// The plan's current step to show (or none).
    pub(crate) fn update_step(&self, step: Option<StepShown>) {
        self.change(|scene| scene.step = step);
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
        let scene = Arc::clone(&self.scene);
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
                let scene = scene.lock().unwrap_or_else(|e| e.into_inner());
                projector_scene_ui(ui, &scene, theme);
            },
        );
        false
    }
}

/// What the projector window draws of `scene`: the plan's current step
/// when the session follows a plan, else the session's group figures.
pub fn projector_scene_ui(ui: &mut egui::Ui, scene: &ProjectorScene, theme: Theme) {
    match &scene.step {
        Some(step) => super::projector_step_ui::projector_step_ui(
            ui,
            step,
            scene.figures.as_ref(),
            scene.phones.as_ref(),
            theme,
        ),
        None => projector_window_ui(ui, scene.figures.as_ref(), scene.phones.as_ref(), theme),
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
