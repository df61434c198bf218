//! Writes the seed inputs of the kiosk's fuzz targets:
//! `kiosk-fuzz-seeds FOLDER` fills `FOLDER/import_file/` with real export
//! files of a workshop session (see `kiosk_fuzzing::import_seeds`) and
//! `FOLDER/phone_post/` with a few byte patterns. `fuzz/seed.sh` runs it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use cross_crate_checks::kiosk_fuzzing::import_seeds;

fn main() -> Result<()> {
    let folder: PathBuf = std::env::args_os()
        .nth(1)
        .context("usage: kiosk-fuzz-seeds FOLDER")?
        .into();
    let import = folder.join("import_file");
    std::fs::create_dir_all(&import).with_context(|| format!("{}", import.display()))?;
    for (name, bytes) in import_seeds() {
        std::fs::write(import.join(&name), bytes).with_context(|| name.clone())?;
    }
    let phone = folder.join("phone_post");
    std::fs::create_dir_all(&phone).with_context(|| format!("{}", phone.display()))?;
    for first in (0..=255u8).step_by(15) {
        let input: Vec<u8> = (0..96u8)
            .map(|i| first.wrapping_add(i.wrapping_mul(29)))
            .collect();
        std::fs::write(phone.join(format!("pattern-{first:03}.bin")), input)?;
    }
    println!("seeds written to {}", folder.display());
    Ok(())
}
