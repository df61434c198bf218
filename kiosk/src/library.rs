//! The shipped rubric library, compiled at build time and embedded.

use rubric_engine::Bundle;
use sha2::{Digest, Sha256};

/// The bundle bytes of the shipped library.
pub static LIBRARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/library.rbk"));

/// A decoded bundle with the hash that results record.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The decoded, validated bundle.
    pub bundle: Bundle<'static>,
    /// SHA-256 of the bundle bytes, lowercase hex.
    pub hash: String,
}

/// Hex SHA-256 of `bytes`.
pub fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Decodes the embedded library. It was validated when the binary was built,
/// so this only fails if the binary itself is damaged.
pub fn shipped() -> Result<Loaded, rubric_engine::BundleError> {
    Ok(Loaded {
        bundle: Bundle::decode(LIBRARY)?,
        hash: hash_hex(LIBRARY),
    })
}
