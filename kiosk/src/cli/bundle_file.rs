//! Reading a bundle file for the commands that take one, and the words
//! they share: shared by the subcommand modules, so that they never import
//! `cli.rs`, which imports them.

use std::path::Path;

use anyhow::{Context, Result};
use rubric_engine::codec::Prose;
use rubric_engine::Bundle;

use crate::fsutil::{read_limited, MAX_BUNDLE_FILE};

fn read_bundle_file(path: &Path) -> Result<Vec<u8>> {
    read_limited(path, MAX_BUNDLE_FILE)
        .with_context(|| format!("cannot read bundle {}", path.display()))
}

pub(crate) fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Bundle<'a>> {
    Bundle::decode(bytes).with_context(|| format!("{} is not a usable bundle", path.display()))
}

/// Reads a bundle file and checks it (container, signature block, structure);
/// returns its bytes and the same rubrics with every text in place (a
/// version 3 bundle's texts expanded; earlier versions as they are). A
/// device's bundle has no texts to put in place: its structure is returned
/// as it is (every text empty), which is enough to inspect and to score.
pub(crate) fn read_bundle(path: &Path) -> Result<(Vec<u8>, Vec<u8>)> {
    let bytes = read_bundle_file(path)?;
    let file = decode(path, &bytes)?;
    if file.texts_omitted() {
        return Ok((bytes.clone(), bytes));
    }
    let inline = rubric_engine::codec::expand_bundle(&bytes)
        .with_context(|| format!("{} is not a usable bundle", path.display()))?;
    Ok((bytes, inline))
}

pub(crate) fn texts_word(prose: Prose) -> &'static str {
    match prose {
        Prose::Included => "included",
        Prose::Omitted => "omitted",
    }
}

/// A rubric id that `source` (a bundle, the library) does not have, as an
/// error that names the nearest id when there is a likely one, and otherwise
/// lists them all.
pub(crate) fn unknown_rubric(id: &str, ids: &[&str], source: &str) -> anyhow::Error {
    let near = rubrics::diagnostic::did_you_mean(id, ids.iter().copied())
        .map(|near| format!(": did you mean `{near}`?"))
        .unwrap_or_default();
    anyhow::anyhow!(
        "no rubric `{id}` in {source}{near} (it has: {})",
        ids.join(", ")
    )
}
