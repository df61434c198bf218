//! Writes the man pages of `rubric-kiosk` into a folder: `rubric-kiosk.1`
//! and one page for each subcommand (`rubric-kiosk-compile.1`, ...), from
//! the same definitions as `--help`, so the pages cannot drift from it.
//!
//! ```sh
//! cargo run -p kiosk --example man -- OUT_DIR
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use kiosk::cli::Cli;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: man OUT_DIR");
        return ExitCode::FAILURE;
    };
    let written =
        std::fs::create_dir_all(&out).and_then(|()| clap_mangen::generate_to(Cli::command(), &out));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: cannot write the man pages into {}: {e}",
                out.display()
            );
            ExitCode::FAILURE
        }
    }
}
