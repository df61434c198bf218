//! Who signed a bundle. Its own module, so the reasons a bundle is refused
//! (`reason`) and the trust rules (`trust`), which both name a signer, do
//! not import each other.

use std::fmt;

use rubric_engine::KeyId;
use rubrics::keys::hex;

/// Who signed a bundle, as far as this kiosk can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    /// No signature.
    Unsigned,
    /// Signed by a trusted key, and the signature verifies.
    Trusted(KeyId),
    /// Signed by a key this kiosk does not trust (so it cannot be checked).
    Untrusted(KeyId),
}

impl Signer {
    /// The key id in hex, if signed.
    pub fn key_hex(&self) -> Option<String> {
        match self {
            Signer::Unsigned => None,
            Signer::Trusted(id) | Signer::Untrusted(id) => Some(hex(id)),
        }
    }

    /// Signed by a trusted key.
    pub fn is_trusted(&self) -> bool {
        matches!(self, Signer::Trusted(_))
    }
}

impl fmt::Display for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Signer::Unsigned => f.write_str("unsigned"),
            Signer::Trusted(id) => write!(f, "signed by trusted key {}", hex(id)),
            Signer::Untrusted(id) => write!(f, "signed by key {}, which is not trusted", hex(id)),
        }
    }
}
