//! Who may put rubrics on this kiosk: the trusted public keys (one `.pub`
//! file each in `trusted-keys/` of the data folder), the import policy
//! (`trusted-keys/policy.json`), and the rule that combines them with the
//! mode the kiosk runs in. The shipped library needs no key: it is part of
//! the program.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rubric_engine::{Bundle, BundleError, TrustedKey};
use rubrics::keys::{hex, read_public, KeyError};
use serde::{Deserialize, Serialize};

use super::reason::Rejection;
pub use super::signer::Signer;
use crate::fsutil::write_atomic;

/// Folder of the data folder that holds trusted keys and the policy.
pub const KEYS_FOLDER: &str = "trusted-keys";
const POLICY_FILE: &str = "policy.json";
const PUBLIC_HEADER: &str = "rubric-kiosk ed25519 public key v1";

/// How the kiosk is being used: the import rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One person on their own machine.
    SingleUser,
    /// A workshop kiosk that participants take turns at.
    Workshop,
}

/// The import policy a facilitator can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Accept only bundles signed by a trusted key, in every mode.
    pub require_trusted: bool,
}

/// Whether a bundle may come in, given who signed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Signed by a trusted key.
    Trusted,
    /// Unsigned or untrusted: allowed only once the person has read a warning.
    AfterWarning,
}

/// Applies the policy: workshop mode, or a policy that says so, needs a
/// trusted signature; otherwise anything intact may come in after a warning.
pub fn admission(signer: Signer, mode: Mode, policy: Policy) -> Result<Admission, Rejection> {
    if signer.is_trusted() {
        return Ok(Admission::Trusted);
    }
    if mode == Mode::Workshop || policy.require_trusted {
        return Err(Rejection::NotTrusted { signer });
    }
    Ok(Admission::AfterWarning)
}

/// Decodes `bytes` and works out who signed them. A signature by a trusted
/// key is verified here, before anything inside the bundle is parsed; one
/// that fails is tampering, not just "untrusted".
pub fn examine<'a>(
    bytes: &'a [u8],
    keys: &[TrustedKey],
) -> Result<(Bundle<'a>, Signer), Rejection> {
    let block = rubric_engine::codec::read_signature(bytes).map_err(Rejection::Bundle)?;
    if let Some(sig) = block.filter(|s| keys.iter().any(|k| k.key_id() == s.key_id)) {
        let bundle = Bundle::decode_trusted(bytes, keys).map_err(|e| match e {
            BundleError::BadSignature => Rejection::Tampered {
                key: hex(&sig.key_id),
            },
            other => Rejection::Bundle(other),
        })?;
        return Ok((bundle, Signer::Trusted(sig.key_id)));
    }
    let bundle = Bundle::decode(bytes).map_err(Rejection::Bundle)?;
    let signer = match bundle.signature() {
        None => Signer::Unsigned,
        Some(sig) => Signer::Untrusted(sig.key_id),
    };
    Ok((bundle, signer))
}

/// Problems with the trusted keys or the policy file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// Which.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file given is not a public key file.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// No trusted key has this id.
    #[error("no trusted key has the id {0}")]
    NoSuchKey(String),
}

/// The trusted keys and the policy, kept in `trusted-keys/` of the data folder.
#[derive(Debug, Clone)]
pub struct TrustStore {
    dir: PathBuf,
}

/// A trusted key and the file it is kept in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The key id, hex (what bundles and screens show).
    pub id: String,
    /// The key.
    pub key: TrustedKey,
}

impl TrustStore {
    /// The trust store of `data_dir` (nothing is created until a key is added).
    pub fn new(data_dir: &Path) -> Self {
        TrustStore {
            dir: data_dir.join(KEYS_FOLDER),
        }
    }

    fn io(&self, path: &Path) -> impl FnOnce(io::Error) -> TrustError {
        let path = path.to_path_buf();
        move |source| TrustError::Io { path, source }
    }

    /// The trusted keys, by key id. A file that is not a key is skipped and
    /// logged: one bad file must not make every signed bundle untrusted.
    pub fn keys(&self) -> Result<Vec<KeyEntry>, TrustError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io(&self.dir)(e)),
        };
        let mut keys = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "pub") {
                continue;
            }
            match read_public(&path) {
                Ok(key) => keys.push(KeyEntry {
                    id: hex(&key.key_id()),
                    key,
                }),
                Err(e) => log::warn!("ignoring {}: {e}", path.display()),
            }
        }
        keys.sort_by(|a, b| a.id.cmp(&b.id));
        keys.dedup_by(|a, b| a.id == b.id);
        Ok(keys)
    }

    /// The keys alone.
    pub fn trusted(&self) -> Vec<TrustedKey> {
        self.keys()
            .map(|keys| keys.into_iter().map(|k| k.key).collect())
            .unwrap_or_default()
    }

    /// Trusts the public key in `pub_file` (copied in, so the drive can go).
    pub fn trust(&self, pub_file: &Path) -> Result<KeyEntry, TrustError> {
        let key = read_public(pub_file)?;
        let id = hex(&key.key_id());
        fs::create_dir_all(&self.dir).map_err(self.io(&self.dir))?;
        let path = self.dir.join(format!("{id}.pub"));
        write_atomic(
            &path,
            format!("{PUBLIC_HEADER}\n{}\n", hex(&key.0)).as_bytes(),
        )
        .map_err(self.io(&path))?;
        Ok(KeyEntry { id, key })
    }

    /// Stops trusting the key with this id (or a unique prefix of it, at
    /// least 4 hex digits).
    pub fn untrust(&self, id: &str) -> Result<KeyEntry, TrustError> {
        let id = id.trim().to_ascii_lowercase();
        let matching: Vec<KeyEntry> = self
            .keys()?
            .into_iter()
            .filter(|k| id.len() >= 4 && k.id.starts_with(&id))
            .collect();
        let [entry] = matching.as_slice() else {
            return Err(TrustError::NoSuchKey(id));
        };
        // Every file holding this key goes, whatever it is named.
        for file in fs::read_dir(&self.dir)
            .map_err(self.io(&self.dir))?
            .flatten()
        {
            let path = file.path();
            if read_public(&path).is_ok_and(|k| k == entry.key) {
                fs::remove_file(&path).map_err(self.io(&path))?;
            }
        }
        Ok(entry.clone())
    }

    /// The policy. A missing file is the default; a damaged one is read as
    /// the strict policy, because a damaged file must never loosen the rules.
    pub fn policy(&self) -> Policy {
        let path = self.dir.join(POLICY_FILE);
        match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Policy::default(),
            Err(e) => {
                log::error!("{}: {e}; using the strict policy", path.display());
                Policy {
                    require_trusted: true,
                }
            }
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                log::error!(
                    "{} is damaged ({e}); using the strict policy",
                    path.display()
                );
                Policy {
                    require_trusted: true,
                }
            }),
        }
    }

    /// Saves the policy.
    pub fn set_policy(&self, policy: Policy) -> Result<(), TrustError> {
        fs::create_dir_all(&self.dir).map_err(self.io(&self.dir))?;
        let path = self.dir.join(POLICY_FILE);
        let bytes = serde_json::to_vec_pretty(&policy).map_err(|e| TrustError::Io {
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        write_atomic(&path, &bytes).map_err(self.io(&path))
    }
}
