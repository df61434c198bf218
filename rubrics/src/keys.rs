//! Ed25519 signing keys as small text files.
//!
//! A secret key file holds the 32-byte seed in hex under a header line; the
//! public key file (`KEYFILE.pub`) holds the 32-byte public key in hex. The
//! secret file is created with owner-only permissions (0600 on Unix).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ed25519_compact::{KeyPair, Seed};
use rubric_engine::{KeyId, TrustedKey};

const SECRET_HEADER: &str = "rubric-kiosk ed25519 secret key v1";
const PUBLIC_HEADER: &str = "rubric-kiosk ed25519 public key v1";

/// Problems with key files.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file is not a key file of the expected kind.
    #[error("{path}: not a {kind} key file ({why})")]
    Format {
        /// The file.
        path: PathBuf,
        /// "secret" or "public".
        kind: &'static str,
        /// What is wrong.
        why: String,
    },
    /// Refusing to overwrite.
    #[error("{0} already exists; refusing to overwrite a key")]
    Exists(PathBuf),
}

/// A secret signing key.
#[derive(Clone)]
pub struct SecretKey(KeyPair);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", hex(&self.key_id()))
    }
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> Self {
        SecretKey(KeyPair::generate())
    }

    /// A key from a 32-byte seed (for tests and reproducible fixtures).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        SecretKey(KeyPair::from_seed(Seed::new(seed)))
    }

    /// The public half.
    pub fn public(&self) -> TrustedKey {
        TrustedKey(*self.0.pk)
    }

    /// The id bundles record.
    pub fn key_id(&self) -> KeyId {
        self.public().key_id()
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        *self.0.sk.sign(message, None)
    }

    /// Writes `path` (secret, mode 0600) and `path.pub`. Refuses to overwrite either.
    pub fn write(&self, path: &Path) -> Result<PathBuf, KeyError> {
        let public_path = public_path(path);
        for p in [path, public_path.as_path()] {
            if p.exists() {
                return Err(KeyError::Exists(p.to_path_buf()));
            }
        }
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| KeyError::Io { path: p, source }
        };
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(io(path))?;
        let seed = self.0.sk.seed();
        writeln!(file, "{SECRET_HEADER}\n{}", hex(&seed[..])).map_err(io(path))?;
        file.sync_all().map_err(io(path))?;
        fs::write(
            &public_path,
            format!("{PUBLIC_HEADER}\n{}\n", hex(&self.public().0)),
        )
        .map_err(io(&public_path))?;
        Ok(public_path)
    }

    /// Reads a secret key file.
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        let seed = read_key_file(path, SECRET_HEADER, "secret")?;
        Ok(Self::from_seed(seed))
    }
}

/// Reads a public key file (`.pub`).
pub fn read_public(path: &Path) -> Result<TrustedKey, KeyError> {
    read_key_file(path, PUBLIC_HEADER, "public").map(TrustedKey)
}

/// `KEYFILE.pub` beside `KEYFILE`.
pub fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

fn read_key_file(path: &Path, header: &str, kind: &'static str) -> Result<[u8; 32], KeyError> {
    let text = fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let format = |why: &str| KeyError::Format {
        path: path.to_path_buf(),
        kind,
        why: why.to_string(),
    };
    let mut lines = text.lines();
    if lines.next().map(str::trim) != Some(header) {
        return Err(format(&format!("the first line should be `{header}`")));
    }
    let body = lines.next().map(str::trim).unwrap_or_default();
    unhex(body).ok_or_else(|| format("the second line should be 64 hex digits"))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}
