//! The kiosk app: an app shell that routes between screens. Each screen is a
//! module with its own state and a `*_ui` function that draws it and returns
//! what the person asked for as an [`Action`]; the shell carries actions out,
//! so storage is touched in one place and never while drawing.

mod answer_ui;
mod charts;
mod history_ui;
mod home_ui;
mod intro_ui;
mod result_ui;
mod settings_ui;
pub mod theme;
mod widgets;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use egui::Ui;

use crate::attempt::{Attempt, Completed};
use crate::library::{self, Loaded};
use crate::store::{InProgress, ResultsStore};
pub use answer_ui::AnswerState;
pub use history_ui::HistoryState;
pub use result_ui::ResultState;
use theme::Theme;

/// Frames drawn since start, for the idle check (`--idle-report`).
pub static FRAMES: AtomicU64 = AtomicU64::new(0);

/// Options from the command line.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Close the window after the first frame is drawn (smoke test).
    pub exit_after_first_frame: bool,
}

/// Where the person is.
#[derive(Debug)]
pub enum Screen {
    /// The list of rubrics.
    Home,
    /// Before starting a rubric (index in the library).
    Intro(usize),
    /// Answering.
    Answer(Box<AnswerState>),
    /// A result (saved or not).
    Result(Box<ResultState>),
    /// Past results.
    History(Box<HistoryState>),
    /// Settings.
    Settings {
        /// Asking to confirm "delete all my data".
        confirm_delete: bool,
    },
}

/// What a screen asks the shell to do.
#[derive(Debug)]
pub enum Action {
    /// Show the home screen.
    Home,
    /// Show the introduction of a rubric.
    Open(usize),
    /// Start a fresh attempt.
    Start(usize),
    /// Resume the stored attempt.
    Resume,
    /// Forget the stored attempt.
    DiscardResume,
    /// The answers changed or the cursor moved: save progress.
    SaveProgress,
    /// Leave the attempt (progress is kept).
    Leave,
    /// Score, store and show the result.
    Finish,
    /// Try again to store a result that could not be stored.
    RetrySave,
    /// Show history (optionally of one rubric).
    History(Option<String>),
    /// Show settings.
    Settings,
    /// Change the theme.
    SetTheme(Theme),
    /// Change the zoom.
    SetZoom(f32),
    /// Ask to confirm deleting everything.
    AskDeleteAll(bool),
    /// Delete every stored result, progress and setting.
    DeleteAll,
}

/// The app.
pub struct KioskApp {
    library: Result<Loaded, String>,
    store: Option<ResultsStore>,
    store_problem: Option<String>,
    data_dir: PathBuf,
    resume: Option<InProgress>,
    notice: Option<String>,
    theme: Theme,
    zoom: f32,
    style_applied: Option<(Theme, f32)>,
    options: AppOptions,
    frames: u64,
    /// The current screen (public for tests).
    pub screen: Screen,
}

impl KioskApp {
    /// Opens the store in `data_dir` (problems are shown, never fatal) and
    /// decodes the embedded library.
    pub fn new(data_dir: PathBuf, options: AppOptions) -> Self {
        let library =
            library::shipped().map_err(|e| format!("the built-in rubric library is damaged: {e}"));
        let (store, store_problem) = match ResultsStore::open_in(&data_dir) {
            Ok(store) => (Some(store), None),
            Err(e) => {
                log::error!("{e}");
                (None, Some(format!("Results cannot be saved: {e}")))
            }
        };
        let mut app = KioskApp {
            library,
            store,
            store_problem,
            data_dir,
            resume: None,
            notice: None,
            theme: Theme::Light,
            zoom: 1.0,
            style_applied: None,
            options,
            frames: 0,
            screen: Screen::Home,
        };
        app.load_settings();
        app.load_resume();
        app
    }

    fn load_settings(&mut self) {
        let Some(store) = &self.store else { return };
        if let Ok(Some(name)) = store.setting("theme") {
            self.theme = Theme::from_name(&name).unwrap_or(Theme::Light);
        }
        if let Ok(Some(zoom)) = store.setting("zoom") {
            self.zoom = zoom.parse::<f32>().unwrap_or(1.0).clamp(1.0, 2.0);
        }
    }

    fn load_resume(&mut self) {
        let (Some(store), Ok(library)) = (&self.store, &self.library) else {
            return;
        };
        match store.progress() {
            Ok(Some(progress)) if library.bundle.rubric(&progress.rubric_id).is_some() => {
                self.resume = Some(progress)
            }
            Ok(_) => {}
            Err(e) => self.problem(format!("Your unfinished attempt could not be read: {e}")),
        }
    }

    fn problem(&mut self, message: String) {
        log::error!("{message}");
        self.store_problem = Some(message);
    }

    /// The current theme.
    pub fn theme(&self) -> Theme {
        self.theme
    }

    /// The current zoom factor.
    pub fn zoom(&self) -> f32 {
        self.zoom
    }

    /// The data folder.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// A stored-attempt offer, if any (for tests).
    pub fn resume_offer(&self) -> Option<&InProgress> {
        self.resume.as_ref()
    }

    /// Draws the whole app into `ui`. Called by eframe and by the UI tests.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        self.frames += 1;
        FRAMES.fetch_add(1, Ordering::Relaxed);
        if self.style_applied != Some((self.theme, self.zoom)) {
            theme::apply(ui.ctx(), self.theme, self.zoom);
            self.style_applied = Some((self.theme, self.zoom));
        }
        // This frame's root was made before the style changed: give it the new one.
        ui.set_style(ui.ctx().global_style());
        let action = egui::CentralPanel::default()
            .show(ui, |ui| {
                if let Some(problem) = &self.store_problem {
                    widgets::banner_ui(ui, problem, true);
                }
                if let Some(notice) = &self.notice {
                    widgets::banner_ui(ui, notice, false);
                }
                self.screen_ui(ui)
            })
            .inner;
        if let Some(action) = action {
            self.notice = None;
            self.apply(action);
            ui.ctx().request_repaint();
        }
        if self.options.exit_after_first_frame && self.frames == 2 {
            log::info!("first frame drawn; exiting as asked");
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn screen_ui(&mut self, ui: &mut Ui) -> Option<Action> {
        let library = match &self.library {
            Ok(library) => library,
            Err(e) => {
                widgets::banner_ui(ui, e, true);
                return None;
            }
        };
        let theme = self.theme;
        match &mut self.screen {
            Screen::Home => home_ui::home_ui(ui, &library.bundle, self.resume.as_ref()),
            Screen::Intro(index) => {
                let rubric = library.bundle.rubrics().nth(*index)?;
                let replaces = self
                    .resume
                    .as_ref()
                    .map(|p| p.rubric_id.as_str())
                    .and_then(|id| library.bundle.rubric(id))
                    .map(|r| r.title);
                intro_ui::intro_ui(ui, &rubric, *index, replaces)
            }
            Screen::Answer(state) => answer_ui::answer_ui(ui, state),
            Screen::Result(state) => result_ui::result_ui(ui, state, theme),
            Screen::History(state) => history_ui::history_ui(ui, state, &library.bundle, theme),
            Screen::Settings { confirm_delete } => settings_ui::settings_ui(
                ui,
                theme,
                self.zoom,
                self.store.as_ref().map(|s| s.path().display().to_string()),
                &self.data_dir,
                *confirm_delete,
            ),
        }
    }

    /// Carries out an action (public so tests can drive the shell directly).
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Home => self.screen = Screen::Home,
            Action::Open(index) => self.screen = Screen::Intro(index),
            Action::Start(index) => {
                let Ok(library) = &self.library else { return };
                if let Some(rubric) = library.bundle.rubrics().nth(index) {
                    let attempt = Attempt::start(rubric, &library.hash);
                    self.screen = Screen::Answer(Box::new(AnswerState::new(attempt)));
                }
            }
            Action::Resume => self.resume_attempt(),
            Action::DiscardResume => {
                self.resume = None;
                if let Some(store) = &self.store {
                    if let Err(e) = store.clear_progress() {
                        self.problem(format!(
                            "The unfinished attempt could not be discarded: {e}"
                        ));
                    }
                }
            }
            Action::SaveProgress => self.save_progress(),
            Action::Leave => {
                self.save_progress();
                if let Screen::Answer(state) = &self.screen {
                    self.resume = Some(state.attempt.progress());
                }
                self.screen = Screen::Home;
            }
            Action::Finish => {
                if let Screen::Answer(state) = &self.screen {
                    let completed = state.attempt.complete();
                    self.finish(completed);
                }
            }
            Action::RetrySave => {
                if let Screen::Result(state) = &self.screen {
                    let completed = state.completed.clone();
                    self.finish(completed);
                }
            }
            Action::History(rubric) => {
                let state = HistoryState::load(self.store.as_ref(), rubric);
                self.screen = Screen::History(Box::new(state));
            }
            Action::Settings => {
                self.screen = Screen::Settings {
                    confirm_delete: false,
                }
            }
            Action::SetTheme(theme) => {
                self.theme = theme;
                self.save_setting("theme", theme.name().to_string());
            }
            Action::SetZoom(zoom) => {
                self.zoom = (zoom * 10.0).round().clamp(10.0, 20.0) / 10.0;
                self.save_setting("zoom", format!("{:.1}", self.zoom));
            }
            Action::AskDeleteAll(ask) => {
                self.screen = Screen::Settings {
                    confirm_delete: ask,
                }
            }
            Action::DeleteAll => {
                match &self.store {
                    Some(store) => {
                        match store.delete_everything() {
                            Ok(()) => {
                                self.resume = None;
                                self.theme = Theme::Light;
                                self.zoom = 1.0;
                                self.notice = Some("All your results, unfinished answers and settings were deleted.".into());
                            }
                            Err(e) => self.problem(format!("Your data could not be deleted: {e}")),
                        }
                    }
                    None => {
                        self.notice = Some(
                            "There is no data to delete: the results database is not open.".into(),
                        )
                    }
                }
                self.screen = Screen::Settings {
                    confirm_delete: false,
                };
            }
        }
    }

    fn resume_attempt(&mut self) {
        let (Some(progress), Ok(library)) = (self.resume.clone(), &self.library) else {
            return;
        };
        let Some(rubric) = library.bundle.rubric(&progress.rubric_id) else {
            return;
        };
        match Attempt::resume(rubric, &progress) {
            Ok(mut attempt) => {
                attempt.bundle_hash = library.hash.clone();
                if progress.bundle_hash != library.hash {
                    self.notice = Some("This rubric was updated since you started; answers that no longer fit were dropped.".into());
                }
                self.screen = Screen::Answer(Box::new(AnswerState::new(attempt)));
            }
            Err(e) => self.problem(format!(
                "Your unfinished attempt could not be restored: {e}"
            )),
        }
    }

    fn save_progress(&mut self) {
        let Screen::Answer(state) = &self.screen else {
            return;
        };
        let Some(store) = &self.store else { return };
        if let Err(e) = store.save_progress(&state.attempt.progress()) {
            self.problem(format!("Your answers so far could not be saved: {e}"));
        }
    }

    fn save_setting(&mut self, key: &str, value: String) {
        if let Some(store) = &self.store {
            if let Err(e) = store.set_setting(key, &value) {
                self.problem(format!("The setting could not be saved: {e}"));
            }
        }
    }

    /// Stores the result durably, then shows it; if it cannot be stored the
    /// result screen says so and offers to try again.
    fn finish(&mut self, completed: Completed) {
        let encoded = completed.encoded();
        let saved = match &self.store {
            Some(store) => store
                .save_result(&completed.new_result(&encoded))
                .map_err(|e| e.to_string()),
            None => Err(self
                .store_problem
                .clone()
                .unwrap_or_else(|| "the results database is not open".into())),
        };
        if let Err(e) = &saved {
            log::error!("result not saved: {e}");
        } else {
            self.resume = None;
        }
        self.screen = Screen::Result(Box::new(ResultState::new(completed, saved)));
    }
}

impl eframe::App for KioskApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
