use std::process::ExitCode;

use clap::Parser;
use kiosk::cli::{run, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => match run(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                match e.downcast_ref::<rubrics::CompileError>() {
                    // Diagnostics carry their own `file:line:col: error:` prefixes.
                    Some(diagnostics @ rubrics::CompileError::Diagnostics(_)) => {
                        eprintln!("{diagnostics}")
                    }
                    _ => eprintln!("error: {e:#}"),
                }
                ExitCode::FAILURE
            }
        },
        None => {
            eprintln!(
                "error: the kiosk app is not part of this build yet; use a subcommand (see --help)"
            );
            ExitCode::FAILURE
        }
    }
}
