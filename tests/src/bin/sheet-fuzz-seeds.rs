//! Writes the seed inputs of the spreadsheet fuzz target:
//! `sheet-fuzz-seeds FOLDER` fills `FOLDER/sheet_file/` with every shipped
//! rubric as `.xlsx`, the `.ods` fixtures, and the parts of a spreadsheet
//! the target puts into a file (see `sheet_fuzzing`). `fuzz/seed.sh` runs it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use cross_crate_checks::sheet_fuzzing::{sheet_part_seeds, sheet_seeds};

fn main() -> Result<()> {
    let folder: PathBuf = std::env::args_os()
        .nth(1)
        .context("usage: sheet-fuzz-seeds FOLDER")?
        .into();
    let out = folder.join("sheet_file");
    std::fs::create_dir_all(&out).with_context(|| format!("{}", out.display()))?;
    let seeds: Vec<_> = sheet_seeds()
        .into_iter()
        .chain(sheet_part_seeds())
        .collect();
    for (name, bytes) in &seeds {
        std::fs::write(out.join(name), bytes).with_context(|| name.clone())?;
    }
    println!("{} seeds written to {}", seeds.len(), out.display());
    Ok(())
}
