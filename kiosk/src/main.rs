use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kiosk::cli::{run, Cli, Command};

fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Rubric Kiosk", "rubric-kiosk")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("rubric-kiosk-data"))
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,kiosk=info,rubric_kiosk=info"),
    )
    .init();
    let cli = Cli::parse();
    if let Some(Command::Preview { path }) = &cli.command {
        return window::preview(path.clone(), &cli);
    }
    match cli.command {
        Some(command) => match run(
            command,
            &cli.data_dir.clone().unwrap_or_else(default_data_dir),
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
            {
                // The reader went away (`| head`): not an error of ours.
                ExitCode::SUCCESS
            }
            Err(e) => {
                let located = match e.downcast_ref::<kiosk::sheet::SourcesError>() {
                    Some(
                        found @ kiosk::sheet::SourcesError::Located(_)
                        | found @ kiosk::sheet::SourcesError::Compile(
                            rubrics::CompileError::Diagnostics(_),
                        ),
                    ) => Some(found.to_string()),
                    _ => None,
                };
                match (located, e.downcast_ref::<rubrics::CompileError>()) {
                    // Diagnostics carry their own `file:line:col: error:` prefixes.
                    (Some(found), _) => eprintln!("{found}"),
                    (None, Some(diagnostics @ rubrics::CompileError::Diagnostics(_))) => {
                        eprintln!("{diagnostics}")
                    }
                    _ => eprintln!("error: {e:#}"),
                }
                ExitCode::FAILURE
            }
        },
        None => window::run(cli),
    }
}

/// Without a command: the kiosk's window.
#[cfg(feature = "gui")]
mod window {
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use kiosk::app::preview::PreviewApp;
    use kiosk::app::{AppOptions, KioskApp, FRAMES, MEASURED};
    use kiosk::cli::Cli;

    pub(crate) fn run(cli: Cli) -> ExitCode {
        let data_dir = cli.data_dir.unwrap_or_else(super::default_data_dir);
        log::info!("data folder: {}", data_dir.display());
        let app_options = AppOptions {
            exit_after_first_frame: cli.exit_after_first_frame,
            kiosk: cli.kiosk,
            listen: cli.listen,
            media_roots: cli.media_roots,
            watch_system_drives: true,
            step_timer_check: cli.step_timer_check,
        };
        run_app(
            "Rubric Kiosk",
            cli.idle_report,
            Box::new(move || Box::new(KioskApp::new(data_dir, app_options))),
        )
    }

    /// `rubric-kiosk preview PATH`: the authoring preview's window.
    pub(crate) fn preview(path: PathBuf, cli: &Cli) -> ExitCode {
        let exit = cli.exit_after_first_frame;
        let title = format!("Rubric preview: {}", path.display());
        run_app(
            &title,
            cli.idle_report,
            Box::new(move || Box::new(PreviewApp::new(path, exit))),
        )
    }

    type MakeApp = Box<dyn FnOnce() -> Box<dyn eframe::App>>;

    fn run_app(title: &str, idle_report: Option<u64>, make: MakeApp) -> ExitCode {
        let options = eframe::NativeOptions {
            viewport: egui::ViewportBuilder::default()
                .with_title(title)
                .with_inner_size([1024.0, 768.0])
                .with_min_inner_size([480.0, 400.0]),
            ..Default::default()
        };
        let result = eframe::run_native(
            "Rubric Kiosk",
            options,
            Box::new(move |cc| {
                if let Some(seconds) = idle_report {
                    let ctx = cc.egui_ctx.clone();
                    std::thread::spawn(move || {
                        // Start counting once start-up has settled: a whole second
                        // without a frame (at most 30 s), so a slow start on a busy
                        // machine is not counted as idle drawing.
                        for _ in 0..30 {
                            let before = FRAMES.load(Ordering::Relaxed);
                            std::thread::sleep(Duration::from_secs(1));
                            if FRAMES.load(Ordering::Relaxed) == before {
                                break;
                            }
                        }
                        let start = FRAMES.load(Ordering::Relaxed);
                        std::thread::sleep(Duration::from_secs(seconds));
                        let idle = FRAMES.load(Ordering::Relaxed) - start;
                        println!("idle_frames: {idle} in {seconds} s");
                        MEASURED.store(true, Ordering::Relaxed);
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        ctx.request_repaint();
                    });
                }
                Ok(make())
            }),
        );
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: the kiosk window could not be opened: {e}");
                ExitCode::FAILURE
            }
        }
    }
}

/// A build without the `gui` feature has no window: it says so.
#[cfg(not(feature = "gui"))]
mod window {
    use std::path::PathBuf;
    use std::process::ExitCode;

    use kiosk::cli::Cli;

    pub(crate) fn run(_cli: Cli) -> ExitCode {
        eprintln!(
            "error: this rubric-kiosk was built without its window (the `gui` feature); \
             give a command (see --help)"
        );
        ExitCode::FAILURE
    }

    pub(crate) fn preview(_path: PathBuf, _cli: &Cli) -> ExitCode {
        eprintln!(
            "error: the preview needs the app's window, and this rubric-kiosk was built \
             without it (the `gui` feature)"
        );
        ExitCode::FAILURE
    }
}
