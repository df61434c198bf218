//! The bundle container: header, postcard payload, CRC-32 and an optional
//! Ed25519 signature.
//!
//! ```text
//! offset  size  field
//! 0       4     magic "RBKB"
//! 4       2     format version, little endian (FORMAT_VERSION)
//! 6       2     flags, little endian (bit 0: signed; other bits must be 0)
//! 8       4     payload length N, little endian
//! 12      N     payload: postcard-encoded BundlePayload
//! 12+N    4     CRC-32 of bytes 0..12+N, little endian
//! 16+N    8     signed only: key id (first 8 bytes of the public key)
//! 24+N    64    signed only: Ed25519 signature of bytes 0..16+N
//! ```
//! Nothing may follow. The payload decodes with stock `postcard::from_bytes`.

use core::fmt;

use crate::crc::crc32;
use crate::limits::{Limit, MAX_PAYLOAD_BYTES};
use crate::model::{BundlePayload, Rubric};
use crate::validate::{validate_payload, Issue, Problem};

/// First four bytes of every bundle.
pub const MAGIC: [u8; 4] = *b"RBKB";
/// The container format version this engine writes. It reads every version
/// from [`OLDEST_FORMAT_VERSION`] up to this one: version 2 only appended
/// enum variants (outcome bands, ties, a floor on the verdict), so a version 1
/// payload is a version 2 payload that uses none of them.
pub const FORMAT_VERSION: u16 = 2;

/// The oldest container format version this engine reads.
pub const OLDEST_FORMAT_VERSION: u16 = 1;
/// Length of the fixed header.
pub const HEADER_LEN: usize = 12;
/// Length of the CRC trailer.
pub const CRC_LEN: usize = 4;
/// Length of a key id.
pub const KEY_ID_LEN: usize = 8;
/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;
/// Flag bit: a signature follows the CRC.
pub const FLAG_SIGNED: u16 = 1;

/// Identifies a signing key: the first 8 bytes of its public key.
pub type KeyId = [u8; KEY_ID_LEN];

/// Everything that can be wrong with bundle bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleError {
    /// The bytes do not start with [`MAGIC`].
    BadMagic,
    /// A container version this engine does not read.
    UnsupportedVersion {
        /// Version in the file.
        found: u16,
        /// Newest version this engine reads.
        supported: u16,
    },
    /// Flag bits this engine does not know.
    UnsupportedFlags {
        /// The flags found.
        flags: u16,
    },
    /// The bytes end before the part that starts at `offset` (`needed` bytes long).
    Truncated {
        /// Where the missing part starts.
        offset: usize,
        /// How many bytes that part needs.
        needed: usize,
    },
    /// Bytes after the end of the bundle.
    TrailingBytes {
        /// Where the extra bytes start.
        offset: usize,
    },
    /// The stored CRC does not match the bytes.
    ChecksumMismatch {
        /// CRC in the file.
        stored: u32,
        /// CRC computed over the bytes.
        computed: u32,
    },
    /// A signature that does not verify with the key its id names.
    BadSignature,
    /// Signed by a key that is not trusted.
    UnknownSigner {
        /// The key id in the bundle.
        key_id: KeyId,
    },
    /// Trust was required but the bundle carries no signature.
    Unsigned,
    /// A hard limit exceeded.
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// The size found.
        found: usize,
    },
    /// The payload is not valid postcard for the model.
    MalformedPayload,
    /// The payload decodes but breaks a rule of the model.
    Invalid(Issue),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::BadMagic => write!(f, "not a rubric bundle (bad magic bytes)"),
            BundleError::UnsupportedVersion { found, supported } => write!(
                f,
                "bundle format version {found} is not supported (this engine reads versions {OLDEST_FORMAT_VERSION} to {supported})"
            ),
            BundleError::UnsupportedFlags { flags } => {
                write!(f, "unknown bundle flags {flags:#06x}")
            }
            BundleError::Truncated { offset, needed } => write!(
                f,
                "bundle is truncated at offset {offset} ({needed} more bytes expected)"
            ),
            BundleError::TrailingBytes { offset } => {
                write!(f, "unexpected bytes after the end of the bundle at offset {offset}")
            }
            BundleError::ChecksumMismatch { stored, computed } => write!(
                f,
                "checksum mismatch: stored {stored:#010x}, computed {computed:#010x} (the file is damaged)"
            ),
            BundleError::BadSignature => write!(f, "the signature does not verify: the bundle was altered"),
            BundleError::UnknownSigner { key_id } => {
                write!(f, "signed by key ")?;
                for b in key_id {
                    write!(f, "{b:02x}")?;
                }
                write!(f, ", which is not trusted")
            }
            BundleError::Unsigned => write!(f, "the bundle is not signed but a trusted signature is required"),
            BundleError::LimitExceeded { limit, found } => write!(
                f,
                "{found} {} exceeds the limit of {}",
                limit.name(),
                limit.max()
            ),
            BundleError::MalformedPayload => write!(f, "the payload is malformed"),
            BundleError::Invalid(issue) => write!(f, "invalid rubric: {issue}"),
        }
    }
}

/// The fixed header of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Container format version.
    pub version: u16,
    /// Flag bits.
    pub flags: u16,
    /// Payload length in bytes.
    pub payload_len: u32,
}

/// A signature carried by a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureBlock {
    /// Which key signed.
    pub key_id: KeyId,
    /// The Ed25519 signature.
    pub signature: [u8; SIGNATURE_LEN],
}

/// A public key trusted to sign bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedKey(pub [u8; 32]);

impl TrustedKey {
    /// The key id bundles use to name this key.
    pub fn key_id(&self) -> KeyId {
        let mut id = [0; KEY_ID_LEN];
        id.copy_from_slice(&self.0[..KEY_ID_LEN]);
        id
    }
}

/// A decoded and validated bundle borrowing from its bytes.
///
/// The only way to get one is [`Bundle::decode`] or [`Bundle::decode_trusted`],
/// and its fields are private, so holding a `Bundle` means its payload passed
/// validation and cannot have been changed since.
#[derive(Debug, Clone, Copy)]
pub struct Bundle<'a> {
    container: Container<'a>,
    payload: BundlePayload<'a>,
}

/// The parts of the container, checked (magic, version, flags, lengths, CRC)
/// but with the payload not yet parsed and the signature not yet verified.
#[derive(Debug, Clone, Copy)]
struct Container<'a> {
    header: Header,
    crc: u32,
    signature: Option<SignatureBlock>,
    payload_bytes: &'a [u8],
    signed_bytes: &'a [u8],
}

fn read_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn need(bytes: &[u8], offset: usize, needed: usize) -> Result<(), BundleError> {
    if bytes.len() < offset + needed {
        Err(BundleError::Truncated { offset, needed })
    } else {
        Ok(())
    }
}

fn read_header(bytes: &[u8]) -> Result<Header, BundleError> {
    need(bytes, 0, HEADER_LEN)?;
    if bytes[..4] != MAGIC {
        return Err(BundleError::BadMagic);
    }
    let header = Header {
        version: read_u16(bytes, 4),
        flags: read_u16(bytes, 6),
        payload_len: read_u32(bytes, 8),
    };
    if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&header.version) {
        return Err(BundleError::UnsupportedVersion {
            found: header.version,
            supported: FORMAT_VERSION,
        });
    }
    if header.flags & !FLAG_SIGNED != 0 {
        return Err(BundleError::UnsupportedFlags {
            flags: header.flags,
        });
    }
    Ok(header)
}

impl<'a> Container<'a> {
    /// Checks everything but the payload's content and the signature. No
    /// postcard parsing happens here.
    fn read(bytes: &'a [u8]) -> Result<Self, BundleError> {
        let header = read_header(bytes)?;
        let payload_len = header.payload_len as usize;
        if payload_len > MAX_PAYLOAD_BYTES {
            return Err(BundleError::LimitExceeded {
                limit: Limit::PayloadBytes,
                found: payload_len,
            });
        }
        need(bytes, HEADER_LEN, payload_len)?;
        let crc_at = HEADER_LEN + payload_len;
        need(bytes, crc_at, CRC_LEN)?;
        let stored = read_u32(bytes, crc_at);
        let computed = crc32(&bytes[..crc_at]);
        if stored != computed {
            return Err(BundleError::ChecksumMismatch { stored, computed });
        }
        let mut end = crc_at + CRC_LEN;
        let signature = if header.flags & FLAG_SIGNED != 0 {
            need(bytes, end, KEY_ID_LEN + SIGNATURE_LEN)?;
            let mut key_id = [0; KEY_ID_LEN];
            key_id.copy_from_slice(&bytes[end..end + KEY_ID_LEN]);
            let mut signature = [0; SIGNATURE_LEN];
            signature.copy_from_slice(&bytes[end + KEY_ID_LEN..end + KEY_ID_LEN + SIGNATURE_LEN]);
            end += KEY_ID_LEN + SIGNATURE_LEN;
            Some(SignatureBlock { key_id, signature })
        } else {
            None
        };
        if bytes.len() > end {
            return Err(BundleError::TrailingBytes { offset: end });
        }
        Ok(Container {
            header,
            crc: stored,
            signature,
            payload_bytes: &bytes[HEADER_LEN..crc_at],
            signed_bytes: &bytes[..crc_at + CRC_LEN],
        })
    }

    /// Verifies the signature against the trusted keys, returning the key that signed.
    fn verify(&self, trusted: &[TrustedKey]) -> Result<TrustedKey, BundleError> {
        let block = self.signature.ok_or(BundleError::Unsigned)?;
        let key = trusted
            .iter()
            .find(|key| key.key_id() == block.key_id)
            .ok_or(BundleError::UnknownSigner {
                key_id: block.key_id,
            })?;
        let public = ed25519_compact::PublicKey::new(key.0);
        let signature = ed25519_compact::Signature::new(block.signature);
        public
            .verify(self.signed_bytes, &signature)
            .map_err(|_| BundleError::BadSignature)?;
        Ok(*key)
    }

    /// Parses and validates the payload: the only step that runs postcard.
    fn into_bundle(self) -> Result<Bundle<'a>, BundleError> {
        let payload = match postcard::take_from_bytes::<BundlePayload<'a>>(self.payload_bytes) {
            Ok((payload, [])) => payload,
            _ => return Err(BundleError::MalformedPayload),
        };
        let mut first: Option<Issue> = None;
        validate_payload(&payload, &mut |issue| {
            first.get_or_insert(issue);
        });
        if let Some(issue) = first {
            return Err(match issue.problem {
                Problem::Malformed => BundleError::MalformedPayload,
                Problem::LimitExceeded { limit, found } => {
                    BundleError::LimitExceeded { limit, found }
                }
                _ => BundleError::Invalid(issue),
            });
        }
        Ok(Bundle {
            container: self,
            payload,
        })
    }
}

impl<'a> Bundle<'a> {
    /// Decodes bundle bytes: header, length, CRC, payload, and full
    /// validation of every rubric. The signature, if any, is parsed but not
    /// verified; use [`Bundle::decode_trusted`] where trust matters.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, BundleError> {
        Container::read(bytes)?.into_bundle()
    }

    /// Decodes like [`Bundle::decode`] and requires a valid signature by one
    /// of the `trusted` keys. The container, CRC and signature are checked
    /// before the payload is parsed, so bytes nobody trusted signed cost no
    /// postcard parsing or validation work.
    pub fn decode_trusted(bytes: &'a [u8], trusted: &[TrustedKey]) -> Result<Self, BundleError> {
        let container = Container::read(bytes)?;
        container.verify(trusted)?;
        container.into_bundle()
    }

    /// Verifies the signature against the trusted keys, returning the key that signed.
    pub fn verify(&self, trusted: &[TrustedKey]) -> Result<TrustedKey, BundleError> {
        self.container.verify(trusted)
    }

    /// The header.
    pub fn header(&self) -> Header {
        self.container.header
    }

    /// The CRC-32 stored (and checked).
    pub fn crc(&self) -> u32 {
        self.container.crc
    }

    /// The signature, if the bundle is signed. Verified only if the bundle came
    /// from [`Bundle::decode_trusted`]; see [`Bundle::verify`] otherwise.
    pub fn signature(&self) -> Option<SignatureBlock> {
        self.container.signature
    }

    /// The payload bytes (what `postcard::from_bytes` decodes).
    pub fn payload_bytes(&self) -> &'a [u8] {
        self.container.payload_bytes
    }

    /// The decoded payload.
    pub fn payload(&self) -> &BundlePayload<'a> {
        &self.payload
    }

    /// The rubrics, in bundle order.
    pub fn rubrics(&self) -> impl Iterator<Item = Rubric<'a>> + 'a {
        self.payload.rubrics.iter()
    }

    /// The rubric with this id.
    pub fn rubric(&self, id: &str) -> Option<Rubric<'a>> {
        self.rubrics().find(|rubric| rubric.id == id)
    }

    /// Length of the whole bundle in bytes.
    pub fn len(&self) -> usize {
        self.container.signed_bytes.len()
            + if self.container.signature.is_some() {
                KEY_ID_LEN + SIGNATURE_LEN
            } else {
                0
            }
    }

    /// Always false: a bundle has at least a header.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Wraps payload bytes in an unsigned container (host side).
#[cfg(feature = "alloc")]
pub fn encode_container(payload: &[u8]) -> alloc::vec::Vec<u8> {
    encode_with_flags(payload, 0)
}

#[cfg(feature = "alloc")]
fn encode_with_flags(payload: &[u8], flags: u16) -> alloc::vec::Vec<u8> {
    let mut out = alloc::vec::Vec::with_capacity(
        HEADER_LEN + payload.len() + CRC_LEN + KEY_ID_LEN + SIGNATURE_LEN,
    );
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Wraps payload bytes in a signed container. `sign` receives the bytes to
/// sign (header, payload and CRC) and returns the Ed25519 signature; the
/// signing itself lives in host crates.
#[cfg(feature = "alloc")]
pub fn encode_signed_container(
    payload: &[u8],
    key_id: KeyId,
    sign: impl FnOnce(&[u8]) -> [u8; SIGNATURE_LEN],
) -> alloc::vec::Vec<u8> {
    let mut out = encode_with_flags(payload, FLAG_SIGNED);
    let signature = sign(&out);
    out.extend_from_slice(&key_id);
    out.extend_from_slice(&signature);
    out
}

impl core::error::Error for BundleError {}
