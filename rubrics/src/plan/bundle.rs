//! Plan bundles (`.rbp`): one compiled plan in a small container of its own,
//! optionally signed with the same ed25519 keys as rubric bundles
//! ([`crate::keys`]). Plans come from USB drives, so decoding treats the bytes
//! as hostile: the length is checked before anything is read, every field
//! is bounds checked, the payload must be used to its last byte, and the
//! decoded plan must keep every rule of [`super::check`] (except that its
//! rubrics are in a library, which the kiosk checks against its own).
//!
//! The layout (FORMAT.md, "Session plans"):
//!
//! | bytes | what |
//! |---|---|
//! | 4 | magic `RKPL` |
//! | 1 | format version, 1 |
//! | 1 | flags: bit 0 set when signed, the others 0 |
//! | 4 | payload length, little-endian |
//! | n | the plan, postcard |
//! | 4 | CRC-32 of everything before it, little-endian |
//! | 8 + 64 | when signed: the key id, then the signature of everything before it |

use ed25519_compact::{PublicKey, Signature};
use rubric_engine::codec::KEY_ID_LEN;
use rubric_engine::crc::crc32;
use rubric_engine::{KeyId, TrustedKey};

use super::check::{check, At, Problem};
use super::Plan;
use crate::keys::SecretKey;

/// The first bytes of every plan bundle (rubric bundles start differently).
pub const PLAN_MAGIC: [u8; 4] = *b"RKPL";
/// The container's format version.
pub const PLAN_FORMAT_VERSION: u8 = 1;
/// Largest plan bundle read, in bytes. A plan of [`super::check::MAX_STEPS`]
/// steps with every text at its limit is about 120 KiB; the shipped plans
/// are under 5 KiB.
pub const MAX_PLAN_BUNDLE_BYTES: usize = 160 * 1024;

const HEADER_LEN: usize = 10;
const CRC_LEN: usize = 4;
const SIGNATURE_LEN: usize = 64;
const FLAG_SIGNED: u8 = 1;

/// Why plan bundle bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanBundleError {
    /// More bytes than [`MAX_PLAN_BUNDLE_BYTES`].
    #[error("the file is {len} bytes, more than the {max} a plan may take")]
    TooLarge {
        /// The length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Fewer bytes than the header and the lengths it gives need.
    #[error("the file ends early: it is cut short or not a plan")]
    Truncated,
    /// Not a plan bundle (a rubric bundle, say).
    #[error("this is not a session plan (it does not start with RKPL)")]
    BadMagic,
    /// A container version this kiosk does not read.
    #[error("plan format version {0} is not one this kiosk reads (it reads version 1)")]
    UnsupportedVersion(u8),
    /// Flags this kiosk does not know.
    #[error("the plan uses options this kiosk does not know (flags {0:#04x})")]
    UnknownFlags(u8),
    /// The CRC does not match: the bytes were damaged.
    #[error("the plan is damaged (its checksum does not match)")]
    ChecksumMismatch,
    /// Bytes after the end of the bundle.
    #[error("the file has {0} bytes after the end of the plan")]
    TrailingBytes(usize),
    /// The payload is not a plan.
    #[error("the plan's contents cannot be read: {0}")]
    Payload(postcard::Error),
    /// The payload is a plan, with bytes left after it.
    #[error("the plan's contents have {0} bytes left over")]
    PayloadRemainder(usize),
    /// Signed by a trusted key, but the signature does not match.
    #[error("the plan's signature does not match its key: it was changed after signing")]
    BadSignature,
    /// The plan breaks one of the rules of plans.
    #[error("the plan is not usable: {}", .0.first().map(|(_, p)| p.to_string()).unwrap_or_default())]
    Invalid(Vec<(At, Problem)>),
    /// The plan could not be encoded.
    #[error("cannot encode the plan: {0}")]
    Encode(postcard::Error),
}

/// Who signed a decoded plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanSigner {
    /// No signature.
    Unsigned,
    /// A key the kiosk trusts; the signature was checked.
    Trusted(TrustedKey),
    /// A key the kiosk does not know (its id); the signature cannot be checked.
    Unknown(KeyId),
}

/// A plan read from a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedPlan {
    /// The plan.
    pub plan: Plan,
    /// Who signed it.
    pub signer: PlanSigner,
}

/// The bundle bytes of `plan`, signed if a key is given. The same plan
/// and key always give the same bytes.
pub fn encode_plan(plan: &Plan, key: Option<&SecretKey>) -> Result<Vec<u8>, PlanBundleError> {
    let payload = postcard::to_allocvec(plan).map_err(PlanBundleError::Encode)?;
    let len = u32::try_from(payload.len()).map_err(|_| PlanBundleError::TooLarge {
        len: payload.len(),
        max: MAX_PLAN_BUNDLE_BYTES,
    })?;
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len() + CRC_LEN + 72);
    bytes.extend_from_slice(&PLAN_MAGIC);
    bytes.push(PLAN_FORMAT_VERSION);
    bytes.push(if key.is_some() { FLAG_SIGNED } else { 0 });
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.extend_from_slice(&payload);
    let crc = crc32(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    if let Some(key) = key {
        bytes.extend_from_slice(&key.key_id());
        let signature = key.sign(&bytes);
        bytes.extend_from_slice(&signature);
    }
    if bytes.len() > MAX_PLAN_BUNDLE_BYTES {
        return Err(PlanBundleError::TooLarge {
            len: bytes.len(),
            max: MAX_PLAN_BUNDLE_BYTES,
        });
    }
    Ok(bytes)
}

/// Reads a plan bundle, checking a signature by any of the `trusted` keys.
pub fn decode_plan(bytes: &[u8], trusted: &[TrustedKey]) -> Result<DecodedPlan, PlanBundleError> {
    if bytes.len() > MAX_PLAN_BUNDLE_BYTES {
        return Err(PlanBundleError::TooLarge {
            len: bytes.len(),
            max: MAX_PLAN_BUNDLE_BYTES,
        });
    }
    let header = bytes.get(..HEADER_LEN).ok_or(PlanBundleError::Truncated)?;
    if header[..4] != PLAN_MAGIC {
        return Err(PlanBundleError::BadMagic);
    }
    if header[4] != PLAN_FORMAT_VERSION {
        return Err(PlanBundleError::UnsupportedVersion(header[4]));
    }
    let flags = header[5];
    if flags & !FLAG_SIGNED != 0 {
        return Err(PlanBundleError::UnknownFlags(flags));
    }
    let len = u32::from_le_bytes([header[6], header[7], header[8], header[9]]) as usize;
    let payload_end = HEADER_LEN
        .checked_add(len)
        .filter(|&end| end <= bytes.len())
        .ok_or(PlanBundleError::Truncated)?;
    let crc_end = payload_end + CRC_LEN;
    let crc_bytes = bytes
        .get(payload_end..crc_end)
        .ok_or(PlanBundleError::Truncated)?;
    let crc = u32::from_le_bytes([crc_bytes[0], crc_bytes[1], crc_bytes[2], crc_bytes[3]]);
    if crc != crc32(&bytes[..payload_end]) {
        return Err(PlanBundleError::ChecksumMismatch);
    }
    let signed = flags & FLAG_SIGNED != 0;
    let end = if signed {
        crc_end + KEY_ID_LEN + SIGNATURE_LEN
    } else {
        crc_end
    };
    if bytes.len() < end {
        return Err(PlanBundleError::Truncated);
    }
    if bytes.len() > end {
        return Err(PlanBundleError::TrailingBytes(bytes.len() - end));
    }
    let signer = if signed {
        signer(bytes, crc_end, trusted)?
    } else {
        PlanSigner::Unsigned
    };
    let (plan, rest) = postcard::take_from_bytes::<Plan>(&bytes[HEADER_LEN..payload_end])
        .map_err(PlanBundleError::Payload)?;
    if !rest.is_empty() {
        return Err(PlanBundleError::PayloadRemainder(rest.len()));
    }
    let problems = check(&plan, None);
    if !problems.is_empty() {
        return Err(PlanBundleError::Invalid(problems));
    }
    Ok(DecodedPlan { plan, signer })
}

/// Checks the signature block that starts at `at` against the trusted keys.
fn signer(bytes: &[u8], at: usize, trusted: &[TrustedKey]) -> Result<PlanSigner, PlanBundleError> {
    let id_end = at + KEY_ID_LEN;
    let mut key_id: KeyId = [0; KEY_ID_LEN];
    key_id.copy_from_slice(bytes.get(at..id_end).ok_or(PlanBundleError::Truncated)?);
    let Some(key) = trusted.iter().find(|k| k.key_id() == key_id) else {
        return Ok(PlanSigner::Unknown(key_id));
    };
    let signature = bytes
        .get(id_end..id_end + SIGNATURE_LEN)
        .and_then(|s| Signature::from_slice(s).ok())
        .ok_or(PlanBundleError::Truncated)?;
    let public = PublicKey::from_slice(&key.0).map_err(|_| PlanBundleError::BadSignature)?;
    public
        .verify(&bytes[..id_end], &signature)
        .map_err(|_| PlanBundleError::BadSignature)?;
    Ok(PlanSigner::Trusted(*key))
}
