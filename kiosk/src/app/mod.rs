//! The kiosk app: an app shell that routes between screens. Each screen is a
//! module with its own state and a `*_ui` function that draws it and returns
//! what the person asked for as a [`Command`]; the shell carries commands out,
//! so storage is touched in one place and never while drawing.

mod answer_ui;
mod charts;
mod command;
mod history_ui;
mod home_ui;
mod intro_ui;
mod measure;
mod media_apply;
mod media_notice;
pub mod media_ui;
mod options;
pub mod preview;
mod problem;
pub mod projector_ui;
mod result_ui;
mod screen;
mod settings_ui;
pub mod theme;
mod timer_check;
mod widgets;
pub mod workshop;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use egui::Ui;

use crate::attempt::{Attempt, Completed, Resumed, SaveError};
use crate::library::{Library, Mode};
use crate::media::{WatchConfig, Watcher};
use crate::store::{Compaction, InProgress, ResultsStore, StoreError};
pub use answer_ui::AnswerState;
pub use command::{Command, ExportTarget, PinPurpose, PlanCommand, UsbCommand, WorkshopCommand};
pub use history_ui::HistoryState;
pub use media_notice::MediaNotice;
pub use media_ui::MediaState;
pub use options::AppOptions;
pub use problem::{LibraryError, Notice, Problem};
pub use result_ui::ResultState;
pub use screen::Screen;
use theme::Theme;
pub use workshop::{WorkshopOutcome, WorkshopState};

pub use measure::{FRAMES, MEASURED};

/// The app.
pub struct KioskApp {
    library: Result<Library, LibraryError>,
    /// The USB watcher, started with the first frame (it needs the context
    /// to wake the UI).
    watcher: Option<Watcher>,
    /// What the USB screens and the trust settings show and hold.
    pub media: MediaState,
    store: Option<ResultsStore>,
    store_problem: Option<Problem>,
    data_dir: PathBuf,
    resume: Option<InProgress>,
    notice: Option<Notice>,
    theme: Theme,
    zoom: f32,
    /// A workshop participant's screen asks "Still there?" after this.
    idle_after: Duration,
    style_applied: Option<(Theme, f32)>,
    options: AppOptions,
    frames: u64,
    /// The window is fullscreen and borderless for workshop mode; once
    /// workshop mode is left, the next frame gives the frame back.
    window_locked: bool,
    /// The current screen (public for tests).
    pub screen: Screen,
}

impl KioskApp {
    /// Opens the store in `data_dir` (problems are shown, never fatal) and
    /// decodes the embedded library.
    pub fn new(data_dir: PathBuf, options: AppOptions) -> Self {
        let library = Library::open(&data_dir).map_err(LibraryError::from);
        let (store, store_problem) = match ResultsStore::open_in(&data_dir) {
            Ok(store) => (Some(store), None),
            Err(e) => {
                log::error!("{e}");
                (None, Some(Problem::StoreNotOpen(e)))
            }
        };
        let mut media = MediaState::new(&data_dir);
        if let Ok(Library {
            problem: Some(problem),
            ..
        }) = &library
        {
            media.message = Some(MediaNotice::Library(problem.clone()));
        }
        let mut app = KioskApp {
            library,
            watcher: None,
            media,
            store,
            store_problem,
            data_dir,
            resume: None,
            notice: None,
            theme: Theme::Light,
            zoom: 1.0,
            idle_after: workshop::IDLE_AFTER,
            style_applied: None,
            options,
            frames: 0,
            window_locked: false,
            screen: Screen::Home,
        };
        app.load_settings();
        app.load_resume();
        if app.options.step_timer_check {
            app.open_step_timer_check();
        } else if app.options.kiosk {
            app.apply(Command::StartWorkshop);
        }
        app
    }

    /// Reads the saved settings; a value that does not parse keeps its
    /// default, and a store that cannot be read says so.
    fn load_settings(&mut self) {
        let Some(store) = &self.store else { return };
        let read = |key| store.setting(key);
        let (theme, zoom, idle) = match (read("theme"), read("zoom"), read("idle_seconds")) {
            (Ok(theme), Ok(zoom), Ok(idle)) => (theme, zoom, idle),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                self.problem(Problem::ReadSettings(e));
                return;
            }
        };
        if let Some(name) = theme {
            self.theme = Theme::from_name(&name).unwrap_or(Theme::Light);
        }
        if let Some(zoom) = zoom {
            self.zoom = zoom.parse::<f32>().unwrap_or(1.0).clamp(1.0, 2.0);
        }
        if let Some(Ok(seconds)) = idle.map(|s| s.parse::<u64>()) {
            self.idle_after = workshop::idle_timeout(seconds);
        }
    }

    fn load_resume(&mut self) {
        let (Some(store), Ok(library)) = (&self.store, &self.library) else {
            return;
        };
        match store.progress() {
            Ok(Some(progress))
                if library
                    .current()
                    .bundle
                    .rubric(&progress.rubric_id)
                    .is_some() =>
            {
                self.resume = Some(progress)
            }
            Ok(_) => {}
            Err(e) => self.problem(Problem::ReadProgress(e)),
        }
    }

    fn problem(&mut self, problem: Problem) {
        log::error!("{problem}");
        self.store_problem = Some(problem);
    }

    /// The store, opening it again if it could not be opened before (the
    /// folder was a file, the disk full, the file locked): the person may
    /// have fixed that since.
    fn open_store(&mut self) -> Result<&ResultsStore, StoreError> {
        let store = match self.store.take() {
            Some(store) => store,
            None => {
                let store = ResultsStore::open_in(&self.data_dir)?;
                log::info!("results database opened: {}", store.path().display());
                if matches!(self.store_problem, Some(Problem::StoreNotOpen(_))) {
                    self.store_problem = None;
                }
                store
            }
        };
        Ok(self.store.insert(store))
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

    /// Workshop mode's state, when in it (for tests).
    pub fn workshop(&self) -> Option<&WorkshopState> {
        match &self.screen {
            Screen::Workshop(state) => Some(state),
            _ => None,
        }
    }

    /// Workshop mode's state, when in it (for tests: its clock).
    pub fn workshop_mut(&mut self) -> Option<&mut WorkshopState> {
        match &mut self.screen {
            Screen::Workshop(state) => Some(state),
            _ => None,
        }
    }

    /// Workshop mode keeps the window: fullscreen and borderless, the close
    /// request and quit shortcuts cancelled; leaving it gives the frame back.
    fn lock_window_ui(&mut self, ctx: &egui::Context) {
        let theme = self.theme;
        let Screen::Workshop(state) = &mut self.screen else {
            if std::mem::take(&mut self.window_locked) {
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Decorations(true));
            }
            return;
        };
        if !std::mem::replace(&mut self.window_locked, true) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            ctx.send_viewport_cmd(egui::ViewportCommand::Decorations(false));
        }
        if ctx.input(|i| i.viewport().close_requested()) && !MEASURED.load(Ordering::Relaxed) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        ctx.input_mut(|i| {
            for key in [egui::Key::Q, egui::Key::W] {
                i.consume_key(egui::Modifiers::COMMAND, key);
            }
            i.consume_key(egui::Modifiers::ALT, egui::Key::F4);
        });
        state.projector_ui(ctx, theme);
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
        self.watch_media(ui.ctx());
        self.lock_window_ui(&ui.ctx().clone());
        let command = egui::CentralPanel::default()
            .show(ui, |ui| {
                if let Some(problem) = &self.store_problem {
                    widgets::banner_ui(ui, &problem.to_string(), true);
                }
                if let Some(notice) = &self.notice {
                    widgets::banner_ui(ui, &notice.to_string(), false);
                }
                self.screen_ui(ui)
            })
            .inner;
        if let Some(command) = command {
            self.notice = None;
            self.apply(command);
            ui.ctx().request_repaint();
        }
        if self.options.exit_after_first_frame && self.frames == 2 {
            log::info!("first frame drawn; exiting as asked");
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Starts the USB watcher once, and takes in what it sent.
    fn watch_media(&mut self, ctx: &egui::Context) {
        if self.watcher.is_none() && !self.media.watch_failed {
            let mut config = WatchConfig::new(crate::media::extra_roots(&self.options.media_roots));
            config.system = self.options.watch_system_drives;
            let ctx = ctx.clone();
            match Watcher::spawn(config, Box::new(move || ctx.request_repaint())) {
                Ok(watcher) => self.watcher = Some(watcher),
                Err(e) => {
                    log::error!("the USB watcher could not start: {e}");
                    self.media.watch_failed = true;
                }
            }
        }
        if let (Some(watcher), Ok(library)) = (&mut self.watcher, &self.library) {
            if watcher.poll() {
                self.media
                    .update(watcher.snapshot().cloned(), library, self.mode());
            }
        }
    }

    /// Single-user, or workshop (`--kiosk`): workshop kiosks import only
    /// bundles signed by a trusted key.
    pub fn mode(&self) -> Mode {
        if self.options.kiosk {
            Mode::Workshop
        } else {
            Mode::SingleUser
        }
    }

    /// The library (for tests).
    pub fn library(&self) -> Option<&Library> {
        self.library.as_ref().ok()
    }

    fn screen_ui(&mut self, ui: &mut Ui) -> Option<Command> {
        let library = match &self.library {
            Ok(library) => library.current(),
            Err(e) => {
                widgets::banner_ui(ui, &e.to_string(), true);
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
            Screen::Workshop(state) => {
                state.drives = self.media.page_drives();
                workshop::workshop_ui(ui, state, library, theme)
            }
            Screen::Settings { confirm_delete } => settings_ui::settings_ui(
                ui,
                &settings_ui::SettingsView {
                    theme,
                    zoom: self.zoom,
                    idle_after: self.idle_after,
                    database: self.store.as_ref().map(|s| s.path().display().to_string()),
                    data_dir: &self.data_dir,
                    media: &self.media,
                },
                *confirm_delete,
            ),
            Screen::Media => media_ui::media_ui(ui, &mut self.media),
        }
    }

    /// Carries out an action (public so tests can drive the shell directly).
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Home => self.screen = Screen::Home,
            Command::Open(index) => self.screen = Screen::Intro(index),
            Command::Start(index) => {
                let Ok(library) = &self.library else { return };
                let library = library.current();
                if let Some(rubric) = library.bundle.rubrics().nth(index) {
                    let attempt = Attempt::start(rubric, library.hash_for(rubric.id));
                    self.screen = Screen::Answer(Box::new(AnswerState::new(attempt)));
                }
            }
            Command::Resume => self.resume_attempt(),
            Command::DiscardResume => {
                self.resume = None;
                if let Some(store) = &self.store {
                    if let Err(e) = store.clear_progress() {
                        self.problem(Problem::DiscardProgress(e));
                    }
                }
            }
            Command::SaveProgress => self.save_progress(),
            Command::Leave => {
                self.save_progress();
                if let Screen::Answer(state) = &self.screen {
                    self.resume = Some(state.attempt.progress());
                }
                self.screen = Screen::Home;
            }
            Command::Finish => {
                if let Screen::Answer(state) = &self.screen {
                    let completed = state.attempt.complete();
                    self.finish(completed);
                }
            }
            Command::RetrySave => {
                if let Screen::Result(state) = &self.screen {
                    let completed = state.completed.clone();
                    self.finish(completed);
                }
            }
            Command::History(rubric) => {
                let Ok(library) = &self.library else { return };
                let state = HistoryState::load(self.store.as_ref(), library, rubric);
                self.screen = Screen::History(Box::new(state));
            }
            Command::OpenResult(id) => self.open_result(id),
            Command::Media => {
                self.media.message = None;
                self.screen = Screen::Media;
            }
            Command::Usb(command) => {
                let mode = self.mode();
                let library = self.library.as_mut().ok();
                self.media
                    .apply(command, library, self.store.as_ref(), mode);
            }
            Command::Settings => {
                self.media.pin_set = self.pin_set();
                self.screen = Screen::Settings {
                    confirm_delete: false,
                }
            }
            Command::SetTheme(theme) => {
                self.theme = theme;
                self.save_setting("theme", theme.name().to_string());
            }
            Command::SetZoom(zoom) => {
                self.zoom = (zoom * 10.0).round().clamp(10.0, 20.0) / 10.0;
                self.save_setting("zoom", format!("{:.1}", self.zoom));
            }
            Command::SetIdleTimeout(seconds) => {
                self.idle_after = workshop::idle_timeout(seconds);
                self.save_setting("idle_seconds", self.idle_after.as_secs().to_string());
            }
            Command::AskDeleteAll(ask) => {
                self.screen = Screen::Settings {
                    confirm_delete: ask,
                }
            }
            Command::DeleteAll => self.delete_all(),
            Command::StartWorkshop => self.start_workshop(),
            Command::Workshop(command) => self.apply_workshop(command),
        }
    }

    /// Deletes every stored result, progress and setting, and says how it went.
    fn delete_all(&mut self) {
        match self.store.as_ref().map(ResultsStore::delete_everything) {
            Some(Ok(compaction)) => {
                self.resume = None;
                self.theme = Theme::Light;
                self.zoom = 1.0;
                self.idle_after = workshop::IDLE_AFTER;
                match compaction {
                    Compaction::Done => self.notice = Some(Notice::Deleted),
                    Compaction::Failed(e) => self.problem(Problem::NotCompacted(e)),
                }
            }
            Some(Err(e)) => self.problem(Problem::Delete(e)),
            None => self.notice = Some(Notice::NothingToDelete),
        }
        self.screen = Screen::Settings {
            confirm_delete: false,
        };
    }

    /// Enters workshop mode at the facilitator PIN.
    fn start_workshop(&mut self) {
        let pin_set = self
            .open_store()
            .map(|store| crate::workshop::FacilitatorPin::new(store).is_set())
            .map_or(Ok(false), |set| set)
            .unwrap_or(false);
        let mut state = WorkshopState::new(pin_set, self.idle_after);
        state.export_folder = self.data_dir.join("exports");
        if let Some(listen) = self.options.listen {
            state.set_listen(listen);
        }
        self.screen = Screen::Workshop(Box::new(state));
    }

    /// Hands a workshop command to workshop mode, with the store.
    fn apply_workshop(&mut self, command: WorkshopCommand) {
        let store = match self.open_store() {
            Ok(_) => self.store.as_ref(),
            Err(e) => {
                self.problem(Problem::StoreNotOpen(e));
                None
            }
        };
        let (Some(store), Ok(library), Screen::Workshop(state)) =
            (store, &self.library, &mut self.screen)
        else {
            return;
        };
        match state.apply(command, store, library.current()) {
            WorkshopOutcome::Stay => {}
            WorkshopOutcome::Left => self.screen = Screen::Home,
        }
    }

    fn pin_set(&self) -> bool {
        self.store.as_ref().is_some_and(|s| {
            crate::workshop::FacilitatorPin::new(s)
                .is_set()
                .unwrap_or(true)
        })
    }

    /// Shows an attempt from the history screen on the result screen.
    fn open_result(&mut self, index: usize) {
        let Screen::History(state) = &self.screen else {
            return;
        };
        let Some(row) = state.rows.get(index) else {
            return;
        };
        if let Some(completed) = row.completed() {
            let id = row.id;
            self.screen = Screen::Result(Box::new(ResultState::new(completed, Ok(id))));
        }
    }

    fn resume_attempt(&mut self) {
        let (Some(progress), Ok(library)) = (self.resume.clone(), &self.library) else {
            return;
        };
        let library = library.current();
        let Some(rubric) = library.bundle.rubric(&progress.rubric_id) else {
            return;
        };
        match Attempt::resume(rubric, &progress) {
            Ok(Resumed {
                mut attempt,
                dropped,
            }) => {
                let hash = library.hash_for(rubric.id);
                attempt.bundle_hash = hash.to_string();
                if !dropped.is_empty() {
                    log::info!("answers dropped on resume: {}", dropped.join(", "));
                    self.notice = Some(Notice::AnswersDropped(dropped.len()));
                } else if progress.bundle_hash != hash {
                    self.notice = Some(Notice::RubricUpdated);
                }
                self.screen = Screen::Answer(Box::new(AnswerState::new(attempt)));
            }
            Err(e) => self.problem(Problem::Resume(e)),
        }
    }

    fn save_progress(&mut self) {
        let Screen::Answer(state) = &self.screen else {
            return;
        };
        let Some(store) = &self.store else { return };
        if let Err(e) = store.save_progress(&state.attempt.progress()) {
            self.problem(Problem::SaveProgress(e));
        }
    }

    fn save_setting(&mut self, key: &str, value: String) {
        if let Some(store) = &self.store {
            if let Err(e) = store.set_setting(key, &value) {
                self.problem(Problem::SaveSetting(e));
            }
        }
    }

    /// Stores the result durably, then shows it; if it cannot be stored the
    /// result screen says so and offers to try again.
    fn finish(&mut self, completed: Completed) {
        let saved = match self.open_store() {
            Ok(store) => completed.save(store),
            Err(e) => Err(SaveError::Store(e)),
        };
        match &saved {
            Err(e) => log::error!("result not saved: {e}"),
            Ok(_) => self.resume = None,
        }
        self.screen = Screen::Result(Box::new(ResultState::new(completed, saved)));
    }
}

impl eframe::App for KioskApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }
}
