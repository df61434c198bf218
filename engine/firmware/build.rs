//! Puts memory.x where the linker finds it, and rebuilds when the golden files change.
use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is next to build.rs");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");
    for f in ["library.rbk", "cases.bin", "test-key.bin"] {
        println!("cargo:rerun-if-changed=../../tests/golden/{f}");
    }
}
