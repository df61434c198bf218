use std::process::ExitCode;

use clap::Parser;
use kiosk::cli::{run, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => match run(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        None => {
            eprintln!("error: the kiosk app is not part of this build yet; use a subcommand (see --help)");
            ExitCode::FAILURE
        }
    }
}
