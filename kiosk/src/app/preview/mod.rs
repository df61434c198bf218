//! The authoring preview (`rubric-kiosk preview PATH`): the rubric as a
//! participant sees it, reloaded whenever the author saves, with the
//! compiler's errors in place beside the last version that compiled, a
//! coverage panel (which bands some answers reach) and answers filled in at
//! a tap to see each result screen.

mod fill;
mod panel_ui;
pub mod source;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver};

use egui::Ui;
use rubric_engine::Rubric;
use rubrics::coverage::{coverage, Budget, Coverage};

use super::answer_ui::{answer_ui, AnswerState};
use super::command::Command;
use super::result_ui::result_body_ui;
use super::theme::{self, Theme};
use super::widgets::{page_scroll, primary_button, quiet_button, reading_column};
use crate::attempt::{Attempt, Completed};
use crate::store::InProgress;
pub use fill::Fill;
use source::{load, LoadProblem, Loaded};
pub use watch::{SourceWatcher, SETTLE};

/// What the preview shows of the rubric.
#[derive(Debug)]
pub enum PreviewView {
    /// No version has compiled yet.
    Nothing,
    /// Answering, as a participant would.
    Answer(Box<AnswerState>),
    /// The result of the answers, with the attempt to go back to.
    Result(Box<(Completed, Attempt)>),
}

/// The coverage of the rubric shown, computed off the UI thread.
#[derive(Debug, Default)]
struct CoverageJob {
    /// For which version and rubric the result is (or is being computed).
    of: Option<(u64, String)>,
    running: Option<Receiver<Coverage>>,
    done: Option<Coverage>,
}

/// The preview app.
#[derive(Debug)]
pub struct PreviewApp {
    path: PathBuf,
    watcher: Option<SourceWatcher>,
    watch_problem: Option<notify::Error>,
    loaded: Option<Loaded>,
    problem: Option<LoadProblem>,
    /// The id of the rubric shown (a folder may hold several).
    selected: Option<String>,
    /// The view (public for tests).
    pub view: PreviewView,
    coverage: CoverageJob,
    /// How many versions have compiled (public for tests and the benchmark).
    pub version: u64,
    exit_after_first_frame: bool,
    frames: u64,
    styled: bool,
    random_seed: u64,
}

impl PreviewApp {
    /// A preview of the rubric file or folder at `path`, loaded at once.
    pub fn new(path: PathBuf, exit_after_first_frame: bool) -> Self {
        let mut app = PreviewApp {
            path,
            watcher: None,
            watch_problem: None,
            loaded: None,
            problem: None,
            selected: None,
            view: PreviewView::Nothing,
            coverage: CoverageJob::default(),
            version: 0,
            exit_after_first_frame,
            frames: 0,
            styled: false,
            random_seed: 0x5eed,
        };
        app.reload();
        app
    }

    /// The path previewed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the files on disk do not compile, if they do not (for tests).
    pub fn problem(&self) -> Option<&LoadProblem> {
        self.problem.as_ref()
    }

    /// The rubric shown, if a version has compiled.
    pub fn rubric(&self) -> Option<Rubric<'static>> {
        let bundle = &self.loaded.as_ref()?.bundle;
        let selected = self.selected.as_deref();
        selected
            .and_then(|id| bundle.rubric(id))
            .or_else(|| bundle.rubrics().next())
    }

    /// Compiles the files again. A version that compiles replaces the one
    /// shown, keeping the answers whose items still exist and the question
    /// being answered; one that does not leaves the last good version in
    /// place beside its errors.
    pub fn reload(&mut self) {
        match load(&self.path) {
            Err(problem) => self.problem = Some(problem),
            Ok(loaded) => {
                self.problem = None;
                self.version += 1;
                let kept = self.progress();
                self.loaded = Some(loaded);
                if let Some(id) = &self.selected {
                    if self.rubric().is_some_and(|r| r.id != id) {
                        self.selected = None;
                    }
                }
                self.view = match (self.rubric(), kept) {
                    (None, _) => PreviewView::Nothing,
                    (Some(rubric), Some((progress, showing_result)))
                        if rubric.id == progress.rubric_id =>
                    {
                        self.carried_over(rubric, &progress, showing_result)
                    }
                    (Some(rubric), _) => self.fresh(rubric),
                };
            }
        }
    }

    /// The answers and question of what is shown, as stored progress, and
    /// whether the result was showing.
    fn progress(&self) -> Option<(InProgress, bool)> {
        match &self.view {
            PreviewView::Nothing => None,
            PreviewView::Answer(state) => Some((state.attempt.progress(), false)),
            PreviewView::Result(done) => Some((done.1.progress(), true)),
        }
    }

    /// The same answers on the new version of `rubric`: answers to items
    /// that are gone or no longer fit are dropped; the cursor follows its
    /// item by id.
    fn carried_over(
        &self,
        rubric: Rubric<'static>,
        progress: &InProgress,
        result: bool,
    ) -> PreviewView {
        let mut progress = progress.clone();
        let old_item = self.old_item_at(progress.cursor);
        // The same question by id; past the end (the review) stays there.
        if let Some(id) = old_item {
            progress.cursor = rubric
                .items
                .iter()
                .position(|item| item.id == id)
                .unwrap_or(0);
        }
        match Attempt::resume(rubric, &progress) {
            Ok(resumed) => {
                let attempt = resumed.attempt;
                if result && attempt.runner.is_complete() {
                    PreviewView::Result(Box::new((attempt.complete(), attempt)))
                } else {
                    PreviewView::Answer(Box::new(AnswerState::new(attempt)))
                }
            }
            Err(_) => self.fresh(rubric),
        }
    }

    fn old_item_at(&self, cursor: usize) -> Option<String> {
        let attempt = match &self.view {
            PreviewView::Answer(state) => &state.attempt,
            PreviewView::Result(done) => &done.1,
            PreviewView::Nothing => return None,
        };
        attempt.rubric().item(cursor).map(|item| item.id.to_owned())
    }

    fn fresh(&self, rubric: Rubric<'static>) -> PreviewView {
        let hash = self.loaded.as_ref().map_or("", |l| l.hash.as_str());
        PreviewView::Answer(Box::new(AnswerState::new(Attempt::start(rubric, hash))))
    }

    /// Shows another rubric of the folder, from its first question.
    pub fn select(&mut self, id: &str) {
        self.selected = Some(id.to_owned());
        self.view = match self.rubric() {
            Some(rubric) => self.fresh(rubric),
            None => PreviewView::Nothing,
        };
    }

    /// Fills every question (all lowest, all highest or random) and shows the result.
    pub fn fill(&mut self, fill: Fill) {
        let Some(rubric) = self.rubric() else { return };
        let hash = self.loaded.as_ref().map_or("", |l| l.hash.as_str());
        let mut attempt = Attempt::start(rubric, hash);
        self.random_seed = fill::fill(&mut attempt, fill, self.random_seed);
        self.view = if attempt.runner.is_complete() {
            PreviewView::Result(Box::new((attempt.complete(), attempt)))
        } else {
            PreviewView::Answer(Box::new(AnswerState::new(attempt)))
        };
    }

    /// The coverage of the rubric shown, once computed (for tests).
    pub fn coverage(&self) -> Option<&Coverage> {
        self.coverage.done.as_ref()
    }

    /// Starts the coverage of the rubric shown when it is not computed yet
    /// for this version; takes in a finished one.
    fn update_coverage(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.coverage.running {
            if let Ok(done) = rx.try_recv() {
                self.coverage.done = Some(done);
                self.coverage.running = None;
            }
        }
        let Some(rubric) = self.rubric() else { return };
        let wanted = (self.version, rubric.id.to_owned());
        if self.coverage.of.as_ref() == Some(&wanted) {
            return;
        }
        self.coverage = CoverageJob {
            of: Some(wanted),
            ..CoverageJob::default()
        };
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("preview-coverage".into())
            .spawn(move || {
                let _ = tx.send(coverage(&rubric, Budget::default()));
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.coverage.running = Some(rx);
        }
    }

    /// Starts the file watcher once, and reloads after each settled change.
    fn watch(&mut self, ctx: &egui::Context) {
        if self.watcher.is_none() && self.watch_problem.is_none() {
            let ctx = ctx.clone();
            match SourceWatcher::spawn(&self.path, Box::new(move || ctx.request_repaint())) {
                Ok(watcher) => self.watcher = Some(watcher),
                Err(e) => {
                    log::error!("the preview cannot watch {}: {e}", self.path.display());
                    self.watch_problem = Some(e);
                }
            }
        }
        if self.watcher.as_ref().is_some_and(SourceWatcher::changed) {
            self.reload();
        }
    }

    /// Draws the preview into `ui`. Called by eframe and by the UI tests.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        self.frames += 1;
        super::FRAMES.fetch_add(1, Ordering::Relaxed);
        if !self.styled {
            theme::apply(ui.ctx(), Theme::Light, 1.0);
            self.styled = true;
        }
        ui.set_style(ui.ctx().global_style());
        let ctx = ui.ctx().clone();
        self.watch(&ctx);
        self.update_coverage(&ctx);
        let action = egui::Panel::right("author")
            .default_size(380.0)
            .min_size(280.0)
            .show(ui, |ui| panel_ui::panel_ui(ui, &self.panel_view()))
            .inner;
        if let Some(action) = action {
            self.act(action);
            ctx.request_repaint();
        }
        let command = egui::CentralPanel::default()
            .show(ui, |ui| self.view_ui(ui))
            .inner;
        if let Some(command) = command {
            self.apply(command);
            ctx.request_repaint();
        }
        if self.exit_after_first_frame && self.frames == 2 {
            log::info!("first frame drawn; exiting as asked");
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn panel_view(&self) -> panel_ui::PanelView<'_> {
        let shown = self.rubric().map(|r| r.id);
        panel_ui::PanelView {
            path: &self.path,
            version: self.version,
            problem: self.problem.as_ref(),
            watch_failed: self.watch_problem.is_some(),
            rubrics: self
                .loaded
                .iter()
                .flat_map(|l| l.bundle.rubrics().map(|r| r.id))
                .collect(),
            shown,
            coverage: self.coverage.done.as_ref(),
        }
    }

    fn act(&mut self, action: panel_ui::PanelAction) {
        match action {
            panel_ui::PanelAction::Fill(fill) => self.fill(fill),
            panel_ui::PanelAction::StartOver => {
                if let Some(rubric) = self.rubric() {
                    self.view = self.fresh(rubric);
                }
            }
            panel_ui::PanelAction::Select(id) => self.select(&id),
            panel_ui::PanelAction::Reload => self.reload(),
        }
    }

    fn view_ui(&mut self, ui: &mut Ui) -> Option<Command> {
        match &mut self.view {
            PreviewView::Nothing => {
                reading_column(ui, |ui| {
                    ui.heading("Nothing to preview yet");
                    ui.label(
                        "The rubric has not compiled yet. Fix the errors listed on the right \
                         and save: the preview follows.",
                    );
                });
                None
            }
            PreviewView::Answer(state) => answer_ui(ui, state),
            PreviewView::Result(done) => {
                let mut command = None;
                reading_column(ui, |ui| {
                    page_scroll(("preview-result", done.0.rubric.id)).show(ui, |ui| {
                        result_body_ui(ui, &done.0, Theme::Light);
                        ui.horizontal(|ui| {
                            if primary_button(ui, "Back to the questions", 0.0).clicked() {
                                command = Some(Command::SaveProgress);
                            }
                            if quiet_button(ui, "Start over", 0.0).clicked() {
                                command = Some(Command::Leave);
                            }
                        });
                    });
                });
                command
            }
        }
    }

    /// What the answering screen asked for; nothing is ever stored.
    fn apply(&mut self, command: Command) {
        let view = std::mem::replace(&mut self.view, PreviewView::Nothing);
        self.view = match (command, view) {
            (Command::Finish, PreviewView::Answer(state)) => {
                let attempt = state.attempt;
                PreviewView::Result(Box::new((attempt.complete(), attempt)))
            }
            (Command::SaveProgress, PreviewView::Result(done)) => {
                PreviewView::Answer(Box::new(AnswerState::new(done.1)))
            }
            (Command::Leave | Command::Home, _) => match self.rubric() {
                Some(rubric) => self.fresh(rubric),
                None => PreviewView::Nothing,
            },
            (_, view) => view,
        };
    }
}

impl eframe::App for PreviewApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
