//! Bundles and drives for the USB tests: a small rubric of our own in two
//! versions, a newer version of a shipped rubric, signing keys, and
//! temporary folders standing in for drives.
#![allow(dead_code)] // each test file uses part of this

use std::path::{Path, PathBuf};

use rubrics::{SecretKey, Source};

/// The shipped cross-team gut check, as its author wrote it.
pub fn gut_check_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rubrics/library/30-cross-team-gut-check.toml");
    std::fs::read_to_string(path).unwrap()
}

/// The shipped gut check's version.
pub fn shipped_gut_check_version() -> u16 {
    gut_check_source()
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

/// `text` with its first `version = N` line set to `version`.
fn with_version(text: &str, version: u16) -> String {
    let old = text
        .lines()
        .find(|line| line.starts_with("version = "))
        .unwrap()
        .to_string();
    text.replacen(&old, &format!("version = {version}"), 1)
}

/// A rubric that is not in the shipped library: id `usb-check`, the given
/// version, and a first question that names the version, so a test can
/// tell which version's questions it sees.
pub fn usb_check_source(version: u16) -> String {
    with_version(&gut_check_source(), version)
        .replacen("id = \"cross-team-gut-check\"", "id = \"usb-check\"", 1)
        .replacen(
            "title = \"Cross-team gut check\"",
            "title = \"USB check\"",
            1,
        )
        .replacen(
            "Do you regularly join meetings of other teams that nobody requires you to attend?",
            &format!("Version {version}: do you sit in on other teams' meetings unasked?"),
            1,
        )
}

/// The shipped gut check one version up, with a reworded first question
/// ("Version N: ...").
pub fn gut_check_v2_source() -> String {
    let newer = shipped_gut_check_version() + 1;
    with_version(&gut_check_source(), newer).replacen(
        "Do you regularly join meetings of other teams that nobody requires you to attend?",
        &format!("Version {newer}: do you sit in on other teams' meetings unasked?"),
        1,
    )
}

/// Compiles TOML text into bundle bytes, signed with `key` if given.
pub fn bundle(text: &str, key: Option<&SecretKey>) -> Vec<u8> {
    let payload = rubrics::compile(&[Source::in_memory("test.toml", text)]).unwrap();
    rubrics::bundle_bytes(&payload, key).unwrap()
}

/// A fixed signing key (seed `n` repeated).
pub fn key(n: u8) -> SecretKey {
    SecretKey::from_seed([n; 32])
}

/// Writes `key`'s public half as a `.pub` file at `path`.
pub fn write_public(key: &SecretKey, path: &Path) {
    std::fs::write(
        path,
        format!(
            "rubric-kiosk ed25519 public key v1\n{}\n",
            rubrics::keys::hex(&key.public().0)
        ),
    )
    .unwrap();
}

/// A temporary folder standing in for a USB drive, with `files` in it.
pub fn drive(parent: &Path, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let root = parent.join(name);
    for (file, bytes) in files {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::create_dir_all(&root).unwrap();
    root
}
