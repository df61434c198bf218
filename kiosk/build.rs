//! Compiles the shipped rubric library (rubrics/library/*.toml) into a bundle
//! that the binary embeds, so the app works with no files at all.
// A build script reports failure by panicking; cargo always sets these variables.
#![allow(clippy::expect_used)]

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let library = manifest.join("../rubrics/library");
    println!("cargo:rerun-if-changed={}", library.display());
    let sources = match rubrics::read_sources(&[library]) {
        Ok(sources) => sources,
        Err(e) => panic!("cannot read the shipped library: {e}"),
    };
    for source in &sources {
        println!("cargo:rerun-if-changed={}", source.path.display());
    }
    let payload = match rubrics::compile(&sources) {
        Ok(payload) => payload,
        Err(e) => panic!("the shipped library does not compile:\n{e}"),
    };
    let bytes = match rubrics::bundle_bytes(&payload, None) {
        Ok(bytes) => bytes,
        Err(e) => panic!("cannot encode the shipped library: {e}"),
    };
    // Embed only what the kiosk will accept: decode and validate the bytes
    // as the app does at start-up (the structure, then the texts expanded
    // back in), so a bad library fails the build, not the kiosk. The
    // expanded copy is embedded too, so that the app reads the shipped texts
    // in place from the binary rather than expanding them at every start.
    let inline = match rubric_engine::Bundle::decode(&bytes)
        .and_then(|_| rubric_engine::codec::expand_bundle(&bytes))
        .and_then(|inline| match rubric_engine::Bundle::decode(&inline) {
            Ok(_) => Ok(inline),
            Err(e) => Err(e),
        }) {
        Ok(inline) => inline,
        Err(e) => panic!("the shipped library would be refused by the kiosk: {e}"),
    };
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (name, contents) in [("library.rbk", &bytes), ("library-inline.rbk", &inline)] {
        let out = out_dir.join(name);
        if let Err(e) = std::fs::write(&out, contents) {
            panic!("cannot write {}: {e}", out.display());
        }
    }
}
