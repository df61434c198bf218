//! The bundle container: header, postcard payload, from version 3 on a prose
//! section, CRC-32 and an optional Ed25519 signature.
//!
//! Versions 1 and 2 (the inline layout: every text inside the payload):
//! ```text
//! offset  size  field
//! 0       4     magic "RBKB"
//! 4       2     format version, little endian (1 or 2)
//! 6       2     flags, little endian (bit 0: signed; other bits must be 0)
//! 8       4     payload length N, little endian
//! 12      N     payload: postcard-encoded BundlePayload
//! 12+N    4     CRC-32 of bytes 0..12+N, little endian
//! 16+N    8     signed only: key id (first 8 bytes of the public key)
//! 24+N    64    signed only: Ed25519 signature of bytes 0..16+N
//! ```
//! Versions 3 to 6 (texts apart, see [`crate::prose`]; version 4 only
//! adds a verdict rule to the payload's model; version 5 compresses the
//! texts of all rubrics as one stream instead of one per rubric; version 6
//! is version 5 with `any`/`all` conditions and tie bands in the model):
//! ```text
//! 0       4     magic "RBKB"
//! 4       2     format version 3, 4, 5 or 6
//! 6       2     flags (bit 0: signed; bit 1: prose omitted; others 0)
//! 8       4     payload length N
//! 12      N     payload: postcard BundlePayload with every text empty
//! 12+N    4     prose section length P (0 when prose is omitted)
//! 16+N    P     prose section
//! 16+N+P  4     CRC-32 of bytes 0..16+N+P
//! 20+N+P  8+64  signed only: key id, Ed25519 signature of bytes 0..20+N+P
//! ```
//! Nothing may follow. The payload decodes with stock `postcard::from_bytes`.
//! [`Bundle::decode`] of a version 3 to 6 bundle reads the structure only
//! (texts empty), which is all that scoring needs; [`expand`] (feature
//! `alloc`) puts the texts back for a host.

use core::fmt;

use crate::crc::crc32;
use crate::limits::{Limit, MAX_PAYLOAD_BYTES, MAX_PROSE_BYTES};
use crate::model::{BundlePayload, Rubric};
use crate::prose::{ProseError, Table};
use crate::validate::{validate_payload_with, Issue, Problem, Texts};

/// First four bytes of every bundle.
pub const MAGIC: [u8; 4] = *b"RBKB";
/// The newest container format version, the one the compiler writes. This
/// engine reads every version from [`OLDEST_FORMAT_VERSION`] up to this one:
/// version 2 only appended enum variants (outcome bands, ties, a floor on the
/// verdict), so a version 1 payload is a version 2 payload that uses none of
/// them; version 3 moved the texts into a compressed prose section; version
/// 4 is the version 3 layout with one more verdict rule appended
/// ([`crate::model::VerdictRule::TopOutcomeWithFallback`]); version 5
/// compresses the texts of all rubrics as one stream (see [`crate::prose`]);
/// version 6 appends `any` and `all` conditions ([`crate::model::ShowIf`])
/// and tie bands ([`crate::model::BandScope::Tie`]) to the model.
pub const FORMAT_VERSION: u16 = 6;
/// The version written for the inline layout (every text in the payload),
/// which [`encode_container`] and [`expand_bundle`] produce.
pub const INLINE_FORMAT_VERSION: u16 = 2;
/// The first version with a prose section.
pub const PROSE_FORMAT_VERSION: u16 = 3;
/// The first version whose payload may hold a top-outcome rule with a
/// fallback outcome. The compiler writes it only for a bundle that uses one,
/// so that every other bundle stays readable by engines that read up to 3.
pub const FALLBACK_FORMAT_VERSION: u16 = 4;

/// The first version whose prose section is one compressed stream across
/// rubrics, the version the compiler writes for a bundle with its texts.
pub const STREAM_FORMAT_VERSION: u16 = 5;

/// The first version whose payload may hold `any`/`all` conditions or a tie
/// band. The compiler writes it only for a bundle that uses one of them, so
/// that every other bundle stays readable by engines that read up to 5.
pub const CONDITIONS_FORMAT_VERSION: u16 = 6;

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
/// Flag bit (versions 3 to 6): the prose section is empty on purpose; the
/// bundle is the structure alone, for a device that only scores.
pub const FLAG_PROSE_OMITTED: u16 = 2;
/// Length of the prose section's length field (versions 3 to 6).
pub const PROSE_LEN_LEN: usize = 4;

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
    /// The prose section of a version 3 to 6 bundle is wrong.
    Prose(ProseError),
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
            BundleError::Prose(e) => write!(f, "{e}"),
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
    /// Version 3: the prose section (empty when omitted); empty before.
    prose_bytes: &'a [u8],
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
    let known = if header.version >= PROSE_FORMAT_VERSION {
        FLAG_SIGNED | FLAG_PROSE_OMITTED
    } else {
        FLAG_SIGNED
    };
    if header.flags & !known != 0 {
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
        let mut crc_at = HEADER_LEN + payload_len;
        let mut prose = crc_at..crc_at;
        if header.version >= PROSE_FORMAT_VERSION {
            need(bytes, crc_at, PROSE_LEN_LEN)?;
            let prose_len = read_u32(bytes, crc_at) as usize;
            if prose_len > MAX_PROSE_BYTES {
                return Err(BundleError::LimitExceeded {
                    limit: Limit::ProseBytes,
                    found: prose_len,
                });
            }
            if header.flags & FLAG_PROSE_OMITTED != 0 && prose_len != 0 {
                return Err(BundleError::Prose(ProseError::OmittedButPresent {
                    found: prose_len,
                }));
            }
            let start = crc_at + PROSE_LEN_LEN;
            need(bytes, start, prose_len)?;
            prose = start..start + prose_len;
            crc_at = prose.end;
        }
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
            payload_bytes: &bytes[HEADER_LEN..HEADER_LEN + payload_len],
            prose_bytes: &bytes[prose],
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

    /// How validation treats the texts of the payload.
    fn texts(&self) -> Texts {
        if self.header.version >= PROSE_FORMAT_VERSION {
            Texts::Empty
        } else {
            Texts::Inline
        }
    }

    /// A version 3 bundle whose prose was not omitted.
    fn has_prose_section(&self) -> bool {
        self.header.version >= PROSE_FORMAT_VERSION && self.header.flags & FLAG_PROSE_OMITTED == 0
    }

    /// Parses and validates the payload: the only step that runs postcard.
    fn into_bundle(self) -> Result<Bundle<'a>, BundleError> {
        let payload = match postcard::take_from_bytes::<BundlePayload<'a>>(self.payload_bytes) {
            Ok((payload, [])) => payload,
            _ => return Err(BundleError::MalformedPayload),
        };
        let mut first: Option<Issue> = None;
        validate_payload_with(&payload, self.texts(), &mut |issue| {
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
        if self.has_prose_section() {
            if self.header.version >= STREAM_FORMAT_VERSION {
                crate::prose::read_stream(self.prose_bytes)?;
            } else {
                Table::read(self.prose_bytes, payload.rubrics.len())?;
            }
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

    /// Whether the rubrics' texts are in the payload (versions 1 and 2).
    /// In a version 3 bundle they are empty here and live in the prose
    /// section ([`expand`] puts them back); scoring does not need them.
    pub fn texts_inline(&self) -> bool {
        self.container.texts() == Texts::Inline
    }

    /// Whether this is a bundle whose texts were left out on purpose (flag
    /// [`FLAG_PROSE_OMITTED`], versions 3 to 6): it scores, but has no
    /// texts to show, and [`expand`] refuses it.
    pub fn texts_omitted(&self) -> bool {
        !self.texts_inline() && !self.container.has_prose_section()
    }

    /// The prose section of a version 3 bundle (empty for earlier versions
    /// and for a bundle whose prose was omitted); checked against the
    /// structure but not decompressed.
    pub fn prose_bytes(&self) -> &'a [u8] {
        self.container.prose_bytes
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

/// The signature block of bundle bytes, if any, after checking the
/// container (header, lengths, CRC) and nothing inside it: no postcard
/// parsing, no validation, no signature verification.
pub fn read_signature(bytes: &[u8]) -> Result<Option<SignatureBlock>, BundleError> {
    Ok(Container::read(bytes)?.signature)
}

/// Wraps payload bytes in an unsigned container of the inline layout
/// (version [`INLINE_FORMAT_VERSION`], every text in the payload; host side).
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
    out.extend_from_slice(&INLINE_FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Wraps payload bytes in a signed container of the inline layout. `sign`
/// receives the bytes to sign (header, payload and CRC) and returns the
/// Ed25519 signature; the signing itself lives in host crates.
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

/// Whether a version 3 bundle carries the rubrics' texts.
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prose {
    /// With the prose section: what hosts (the kiosk, the CLI) load.
    Included,
    /// Structure only ([`FLAG_PROSE_OMITTED`]): enough to score, nothing to show.
    Omitted,
}

/// Encodes `payload` as an unsigned version 3 bundle (version 4 when a
/// rubric's verdict has a fallback outcome): the structure with every text
/// empty, then the texts compressed per rubric (unless `prose` is
/// [`Prose::Omitted`]). The same payload always gives the same bytes.
/// Fails only on what no valid payload has (a text over 64 KiB, more than
/// 65 535 texts or rubrics). The compiler writes [`encode_v5`] for a bundle
/// with texts; this older layout stays for the device bundle (texts
/// omitted, where versions 3 and 5 are the same bytes but for the version)
/// and for tests that older bundles still load.
#[cfg(feature = "alloc")]
pub fn encode_v3(
    payload: &crate::owned::BundlePayload,
    prose: Prose,
) -> Result<alloc::vec::Vec<u8>, postcard::Error> {
    let version = oldest_version_for(payload);
    // Version 6 exists only after the stream layout of version 5.
    let pack = if version >= STREAM_FORMAT_VERSION {
        crate::prose::pack_stream
    } else {
        crate::prose::pack_section
    };
    encode_split(payload, prose, version, pack)
}

/// The oldest split-layout version that can hold everything `payload` uses:
/// 6 with an `any`/`all` condition or a tie band, 4 with a fallback
/// outcome, 3 otherwise.
#[cfg(feature = "alloc")]
pub fn oldest_version_for(payload: &crate::owned::BundlePayload) -> u16 {
    use crate::model::BandScope;
    use crate::owned::VerdictRule;
    let v6 = payload.rubrics.iter().any(|r| {
        r.items.iter().any(|i| i.show_if.is_list())
            || r.bands.iter().any(|b| b.scope == BandScope::Tie)
    });
    let fallback = payload
        .rubrics
        .iter()
        .any(|r| matches!(r.verdict_rule, VerdictRule::TopOutcomeWithFallback { .. }));
    if v6 {
        CONDITIONS_FORMAT_VERSION
    } else if fallback {
        FALLBACK_FORMAT_VERSION
    } else {
        PROSE_FORMAT_VERSION
    }
}

/// Encodes `payload` as an unsigned version 5 bundle (version 6 when it
/// uses an `any`/`all` condition or a tie band): the structure with every
/// text empty, then the texts of all rubrics compressed as one stream.
/// With [`Prose::Omitted`] this is [`encode_v3`]'s device bundle (no texts,
/// so nothing of version 5 in it; older engines keep reading it unless it
/// uses what version 6 added). The same payload always gives the same bytes.
#[cfg(feature = "alloc")]
pub fn encode_v5(
    payload: &crate::owned::BundlePayload,
    prose: Prose,
) -> Result<alloc::vec::Vec<u8>, postcard::Error> {
    match prose {
        Prose::Omitted => encode_v3(payload, prose),
        Prose::Included => encode_split(
            payload,
            prose,
            oldest_version_for(payload).max(STREAM_FORMAT_VERSION),
            crate::prose::pack_stream,
        ),
    }
}

/// The container of the split layout: structure, then the prose section
/// `pack` makes of the texts (none when `prose` is [`Prose::Omitted`]).
#[cfg(feature = "alloc")]
fn encode_split(
    payload: &crate::owned::BundlePayload,
    prose: Prose,
    version: u16,
    pack: fn(&[alloc::vec::Vec<alloc::string::String>]) -> Option<alloc::vec::Vec<u8>>,
) -> Result<alloc::vec::Vec<u8>, postcard::Error> {
    let mut structure = payload.clone();
    let texts = crate::prose::take_texts(&mut structure);
    let structure = structure.encode()?;
    let (section, flags) = match prose {
        Prose::Included => (
            pack(&texts).ok_or(postcard::Error::SerializeSeqLengthUnknown)?,
            0,
        ),
        Prose::Omitted => (alloc::vec::Vec::new(), FLAG_PROSE_OMITTED),
    };
    let too_long = |_| postcard::Error::SerializeSeqLengthUnknown;
    let mut out = alloc::vec::Vec::with_capacity(
        HEADER_LEN + structure.len() + PROSE_LEN_LEN + section.len() + CRC_LEN,
    );
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(
        &u32::try_from(structure.len())
            .map_err(too_long)?
            .to_le_bytes(),
    );
    out.extend_from_slice(&structure);
    out.extend_from_slice(
        &u32::try_from(section.len())
            .map_err(too_long)?
            .to_le_bytes(),
    );
    out.extend_from_slice(&section);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// Signs a bundle of any version: drops a signature it may carry, sets the
/// signed flag, recomputes the CRC and appends `key_id` and the signature
/// `sign` makes of everything up to and including the CRC. The bundle is
/// checked (header, lengths, CRC) first; its payload is not re-encoded.
#[cfg(feature = "alloc")]
pub fn sign_container(
    bytes: &[u8],
    key_id: KeyId,
    sign: impl FnOnce(&[u8]) -> [u8; SIGNATURE_LEN],
) -> Result<alloc::vec::Vec<u8>, BundleError> {
    let container = Container::read(bytes)?;
    let body = container.signed_bytes.len() - CRC_LEN;
    let mut out = alloc::vec::Vec::with_capacity(body + CRC_LEN + KEY_ID_LEN + SIGNATURE_LEN);
    out.extend_from_slice(&bytes[..body]);
    out[6..8].copy_from_slice(&(container.header.flags | FLAG_SIGNED).to_le_bytes());
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    let signature = sign(&out);
    out.extend_from_slice(&key_id);
    out.extend_from_slice(&signature);
    Ok(out)
}

/// The inline payload of a bundle of any version: for versions 1 and 2 the
/// payload as it is; for versions 3 to 6 the structure with every rubric's
/// texts decompressed and put back, encoded as a version 2 payload would be. The
/// container and CRC are checked and the structure validated (texts empty);
/// each rubric's texts are bounded by the declared size before they are
/// decompressed, checked as UTF-8 once and counted against the structure.
/// The signature is not verified here, and the texts not validated: decode
/// the result (see [`expand_bundle`]) for that.
#[cfg(feature = "alloc")]
pub fn expand(bytes: &[u8]) -> Result<alloc::vec::Vec<u8>, BundleError> {
    let container = Container::read(bytes)?;
    if container.texts() == Texts::Inline {
        return Ok(container.payload_bytes.to_vec());
    }
    if !container.has_prose_section() {
        return Err(ProseError::Omitted.into());
    }
    let prose = container.prose_bytes;
    let stream = container.header.version >= STREAM_FORMAT_VERSION;
    let bundle = container.into_bundle()?;
    let mut payload = crate::owned::BundlePayload::from_view(bundle.payload());
    if stream {
        let blocks = crate::prose::inflate_stream(prose)?;
        let mut at = 0;
        for (index, rubric) in payload.rubrics.iter_mut().enumerate() {
            let rest = blocks.get(at..).unwrap_or_default();
            at += crate::prose::fill_block(rubric, index, rest)?;
        }
        if at != blocks.len() {
            return Err(ProseError::StreamTrailing {
                found: blocks.len() - at,
            }
            .into());
        }
    } else {
        let table = Table::read(prose, payload.rubrics.len())?;
        for (index, rubric) in payload.rubrics.iter_mut().enumerate() {
            crate::prose::fill(rubric, index, &table)?;
        }
    }
    payload.encode().map_err(|_| BundleError::MalformedPayload)
}

/// A bundle of the inline layout with the same rubrics as `bytes`: versions
/// 1 and 2 are returned as they are (a signature stays); a version 3 to 6
/// bundle is [`expand`]ed and wrapped in an unsigned version 2 container. Check the
/// signature of `bytes` itself where it matters; [`Bundle::decode`] of the
/// result validates every text.
#[cfg(feature = "alloc")]
pub fn expand_bundle(bytes: &[u8]) -> Result<alloc::vec::Vec<u8>, BundleError> {
    let header = read_header(bytes)?;
    if header.version < PROSE_FORMAT_VERSION {
        return Ok(bytes.to_vec());
    }
    Ok(encode_container(&expand(bytes)?))
}

impl From<ProseError> for BundleError {
    fn from(e: ProseError) -> Self {
        BundleError::Prose(e)
    }
}

impl core::error::Error for BundleError {}
