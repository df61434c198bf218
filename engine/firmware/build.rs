//! Puts memory.x where the linker finds it, picks the bundle the firmware
//! embeds, and rebuilds when the golden files change.
//!
//! The device only scores, so it embeds the device bundle
//! (`tests/golden/device.rbk`: format version 3, 4 or 6 with the texts
//! omitted, signed with the test key; 6 when a rubric uses `any`/`all`
//! conditions or a tie band, which the engine it links reads), copied to `$OUT_DIR/bundle.rbk`. The build
//! fails if that file is not such a bundle, so the firmware never carries
//! the prose by accident.
use std::{env, fs, path::PathBuf};

/// Bundle header: magic, version 3 to 6 (the layout with a prose section),
/// flags with "signed" and "prose omitted".
fn check_device_bundle(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 12 || &bytes[..4] != b"RBKB" {
        return Err("not a rubric bundle".into());
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    let flags = u16::from_le_bytes([bytes[6], bytes[7]]);
    if !(3..=6).contains(&version) {
        return Err(format!("format version {version}, not 3 to 6"));
    }
    if flags & 2 == 0 {
        return Err("it carries its texts (the device bundle omits them)".into());
    }
    if flags & 1 == 0 {
        return Err("it is not signed (the firmware verifies the signature)".into());
    }
    Ok(())
}

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is next to build.rs");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");
    for f in ["device.rbk", "cases.lz", "test-key.bin"] {
        println!("cargo:rerun-if-changed=../../tests/golden/{f}");
    }
    let device = "../../tests/golden/device.rbk";
    let bytes =
        fs::read(device).expect("tests/golden/device.rbk exists (the `golden` binary writes it)");
    if let Err(why) = check_device_bundle(&bytes) {
        panic!("{device} is not a device bundle: {why}; run `cargo run -p cross-crate-checks --bin golden -- --write`");
    }
    fs::write(out.join("bundle.rbk"), &bytes).expect("OUT_DIR is writable");
}
