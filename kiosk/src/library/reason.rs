//! Why a bundle is refused, in words for the person at the kiosk. The
//! engine's [`BundleError`] says what is wrong with the bytes; this says what
//! that means and what to do about it.

use std::path::PathBuf;

use rubric_engine::codec::OLDEST_FORMAT_VERSION;
use rubric_engine::prose::ProseError;
use rubric_engine::BundleError;

use super::signer::Signer;
use crate::fsutil::FileKind;

/// A bundle that cannot be imported, and why. Every variant is a sentence a
/// facilitator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// Too big to be a bundle; not read at all.
    #[error("The file is {size} bytes, more than the {limit} bytes a rubric bundle can be, so it was not read.")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not a regular file (a named pipe, a device, a folder, a socket): not
    /// opened, because reading one may never end.
    #[error("It is {}, not a file, so it was not opened. Copy the bundle file itself onto the drive.", .kind.words())]
    NotAFile {
        /// What it is.
        kind: FileKind,
    },
    /// A link to something outside the drive (say `/etc/passwd` or
    /// `/dev/zero`): never opened.
    #[error("It is a link to {}, which is not on the drive, so it was not opened. Copy the bundle file itself onto the drive.", .target.display())]
    LinkOutOfDrive {
        /// Where it points, as the link says.
        target: PathBuf,
    },
    /// A link to a file on the drive itself (or to nothing): links are not
    /// followed, as what they point at can change between a check and a read.
    #[error("It is a link to {}, and links are not followed. Copy the bundle file itself onto the drive.", .target.display())]
    Link {
        /// Where it points, as the link says.
        target: PathBuf,
    },
    /// Reading the file failed (the drive went away, a bad sector).
    #[error(
        "The file could not be read ({0}). If the drive was pulled out, put it back and try again."
    )]
    Unreadable(String),
    /// The engine refused the bytes.
    #[error("{}", plain(.0))]
    Bundle(BundleError),
    /// Signed by a trusted key, but the signature does not match the contents.
    #[error("The file was changed after key {key} signed it: the signature does not match the contents. Do not use this copy.")]
    Tampered {
        /// The key id, hex.
        key: String,
    },
    /// The policy asks for a trusted signature and this bundle has none.
    #[error(
        "Only bundles signed by a trusted key can be imported here, and this one is {signer}."
    )]
    NotTrusted {
        /// Who signed it.
        signer: Signer,
    },
    /// The bundle, or every rubric in it, is already in the library.
    #[error("Everything in this bundle is already in the library.")]
    AlreadyInLibrary,
    /// Same rubric, same version, different contents.
    #[error("Rubric “{id}” version {version} is already in the library with different contents. Its author must give the changed rubric a new version number.")]
    VersionClash {
        /// Rubric id.
        id: String,
        /// The version both claim.
        version: u16,
    },
    /// The library would hold more rubrics than the engine allows.
    #[error("With this bundle the library would offer {found} rubrics, more than the {max} a kiosk can hold. Remove a bundle first.")]
    LibraryFull {
        /// How many there would be.
        found: usize,
        /// The limit.
        max: usize,
    },
}

/// The engine's reason in plain words.
pub fn plain(error: &BundleError) -> String {
    match error {
        BundleError::BadMagic => "This is not a rubric bundle.".into(),
        BundleError::UnsupportedVersion { found, supported } => format!(
            "This bundle is in format version {found}, which this kiosk cannot read (it reads versions {OLDEST_FORMAT_VERSION} to {supported}). It needs a newer Rubric Kiosk."
        ),
        BundleError::UnsupportedFlags { .. } => {
            "This bundle uses features this kiosk does not know. It needs a newer Rubric Kiosk."
                .into()
        }
        BundleError::Truncated { .. } => {
            "The file is incomplete: it ends too early. The copy onto the drive may not have finished; copy it again.".into()
        }
        BundleError::TrailingBytes { .. } => {
            "The file has extra bytes after the end of the bundle: it is damaged or was altered.".into()
        }
        BundleError::ChecksumMismatch { .. } => {
            "The file is damaged: its checksum does not match its contents. Copy it again from the original.".into()
        }
        BundleError::BadSignature => {
            "The file was changed after it was signed: the signature does not match the contents."
                .into()
        }
        BundleError::UnknownSigner { .. } => "It is signed by a key that is not trusted here.".into(),
        BundleError::Unsigned => "It is not signed, and a trusted signature is required.".into(),
        BundleError::LimitExceeded { limit, found } => format!(
            "The bundle is too big for a kiosk: it has {found} {}, and at most {} are allowed.",
            limit.name(),
            limit.max()
        ),
        BundleError::MalformedPayload => {
            "The rubrics inside the file cannot be read: the file is damaged or was made by an incompatible tool.".into()
        }
        BundleError::Invalid(issue) => format!(
            "A rubric inside breaks the rules rubrics must follow ({issue}); its author must fix it."
        ),
        BundleError::Prose(ProseError::Omitted) => {
            "This bundle was made for a scoring device: it holds no questions or texts to show. Import the full bundle instead.".into()
        }
        BundleError::Prose(e) => format!(
            "The texts inside the file cannot be read ({e}): the file is damaged or was made by an incompatible tool."
        ),
        // The engine may learn new reasons; its own words are better than none.
        other => format!("The bundle cannot be used: {other}."),
    }
}
