//! Regenerates (`--write`) or checks (default) `golden/library.rbk`,
//! `golden/device.rbk`, `golden/cases.bin` and `golden/cases.lz` (the cases
//! packed for the firmware).
use anyhow::{bail, Result};
use rubric_engine::Bundle;

fn main() -> Result<()> {
    let write = std::env::args().any(|a| a == "--write");
    let library = cross_crate_checks::compile_library()?;
    let device = cross_crate_checks::compile_device_library()?;
    let public = cross_crate_checks::test_key().public().0;
    let bundle = Bundle::decode(&library)?;
    let cases = cross_crate_checks::read_cases()?;
    let scored = cross_crate_checks::score_cases(&bundle, &cases)?;
    let bin = cross_crate_checks::encode_cases(&cases, &scored)?;
    let packed = cross_crate_checks::pack_cases(&cases, &scored, &bin)?;
    let dir = cross_crate_checks::golden_dir();
    if write {
        kiosk::fsutil::write_atomic(&dir.join("library.rbk"), &library)?;
        kiosk::fsutil::write_atomic(&dir.join("device.rbk"), &device)?;
        kiosk::fsutil::write_atomic(&dir.join("cases.bin"), &bin)?;
        kiosk::fsutil::write_atomic(&dir.join("cases.lz"), &packed)?;
        kiosk::fsutil::write_atomic(&dir.join("test-key.bin"), &public)?;
        println!(
            "wrote {} cases, library {} bytes, device bundle {} bytes, cases {} bytes ({} packed)",
            cases.len(),
            library.len(),
            device.len(),
            bin.len(),
            packed.len()
        );
        return Ok(());
    }
    let stale = std::fs::read(dir.join("library.rbk")).ok() != Some(library)
        || std::fs::read(dir.join("device.rbk")).ok() != Some(device)
        || std::fs::read(dir.join("cases.bin")).ok() != Some(bin)
        || std::fs::read(dir.join("cases.lz")).ok() != Some(packed)
        || std::fs::read(dir.join("test-key.bin")).ok().as_deref() != Some(&public[..]);
    if stale {
        bail!("golden files are stale: run `cargo run -p tests --bin golden -- --write`");
    }
    println!("golden files are up to date ({} cases)", cases.len());
    Ok(())
}
