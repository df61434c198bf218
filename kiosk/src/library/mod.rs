//! The rubric library: the shipped bundle, compiled at build time and
//! embedded, plus bundles imported from USB drives into the library folder
//! of the data folder ([`folder`]). Older versions of a rubric stay in the
//! library, so a result shows with the questions it was answered with.
//!
//! Screens see one [`Loaded`] bundle, [`Library::current`]: the newest
//! version of every rubric. Results record the hash of the bundle a rubric
//! really came from ([`Loaded::hash_for`]), and [`Library::rubric_at`]
//! finds that exact version again.

pub mod folder;
pub mod preview;
pub mod reason;
pub mod signer;
pub mod trust;

use std::path::Path;

use rubric_engine::codec::expand_bundle;
use rubric_engine::limits::MAX_RUBRICS;
use rubric_engine::model::BundlePayload;
use rubric_engine::{Bundle, BundleError, Rubric, Seq, TrustedKey};

pub use folder::{hash_hex, Entry, FolderError, LibraryFolder, RubricRef};
pub use preview::BundlePreview;
pub use reason::Rejection;
pub use trust::{Admission, Mode, Policy, Signer, TrustStore};

use crate::fsutil::{read_limited, MAX_BUNDLE_FILE};

/// The bundle bytes of the shipped library.
pub static LIBRARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/library.rbk"));

/// The shipped library with its texts expanded back into the payload (an
/// unsigned inline-layout bundle, made by the build script from
/// [`LIBRARY`]), so that [`shipped`] reads its texts in place.
static LIBRARY_INLINE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/library-inline.rbk"));

/// A decoded bundle with the hash that results record.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The decoded, validated bundle.
    pub bundle: Bundle<'static>,
    /// SHA-256 of the bundle bytes, lowercase hex.
    pub hash: String,
    /// For a combined view: the hash of the bundle each rubric came from.
    sources: Vec<(String, String)>,
}

impl Loaded {
    fn new(bundle: Bundle<'static>, hash: String) -> Self {
        Loaded {
            bundle,
            hash,
            sources: Vec::new(),
        }
    }

    /// The hash a result of rubric `id` records: that of the bundle file the
    /// rubric came from.
    pub fn hash_for(&self, id: &str) -> &str {
        self.sources
            .iter()
            .find(|(rubric, _)| rubric == id)
            .map_or(self.hash.as_str(), |(_, hash)| hash.as_str())
    }
}

/// Decodes the embedded library, its texts read in place from the binary
/// (nothing is expanded or kept aside). It was validated when the binary was
/// built, so this only fails if the binary itself is damaged. Results record
/// the hash of the bundle as shipped, [`LIBRARY`].
pub fn shipped() -> Result<Loaded, BundleError> {
    Ok(Loaded::new(
        Bundle::decode(LIBRARY_INLINE)?,
        hash_hex(LIBRARY),
    ))
}

/// Decodes bundle bytes of any format version with every text in place:
/// a version 3 to 5 bundle's texts are expanded back into the payload (which
/// is kept for the life of the program, as rubrics borrow from it); versions
/// 1 and 2 already carry them. The hash results record stays that of `bytes`;
/// a signature is checked on `bytes` themselves ([`trust::examine`]).
pub fn load(bytes: &[u8]) -> Result<Bundle<'static>, BundleError> {
    let inline: &'static [u8] = Box::leak(expand_bundle(bytes)?.into_boxed_slice());
    Bundle::decode(inline)
}

/// What an import would do to one rubric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A rubric the library does not have yet.
    New,
    /// A newer version of a rubric in use (version in use).
    Replaces(u16),
    /// An older version than the one in use: kept, not used for new attempts.
    Older(u16),
    /// The very same version is already in the library.
    Same,
}

/// What importing a bundle would do, worked out before anything is copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// What the bundle holds.
    pub preview: BundlePreview,
    /// Whether the person must first read a warning.
    pub admission: Admission,
    /// Per rubric, in bundle order: id, title, version, change.
    pub changes: Vec<(RubricRef, Change)>,
    /// The [`Library::generation`] it was worked out against: an import
    /// carries it out without decoding the bundle again while that holds.
    generation: u64,
}

impl ImportPlan {
    /// The rubrics a newer version would replace: `(id, in use, new)`.
    pub fn replacements(&self) -> Vec<(String, u16, u16)> {
        self.changes
            .iter()
            .filter_map(|(r, c)| match c {
                Change::Replaces(old) => Some((r.id.clone(), *old, r.version)),
                _ => None,
            })
            .collect()
    }
}

/// What the person agreed to before an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consent {
    /// They read the warning about an unsigned or untrusted bundle.
    pub untrusted: bool,
    /// They confirmed that newer versions replace the ones in use.
    pub replace: bool,
}

/// The rules an import is checked against.
#[derive(Debug, Clone)]
pub struct TrustContext {
    /// Single-user or workshop.
    pub mode: Mode,
    /// The policy set in Settings.
    pub policy: Policy,
    /// The trusted keys.
    pub keys: Vec<TrustedKey>,
}

impl TrustContext {
    /// The keys and policy in `data_dir`, for `mode`.
    pub fn load(data_dir: &Path, mode: Mode) -> Self {
        let store = TrustStore::new(data_dir);
        TrustContext {
            mode,
            policy: store.policy(),
            keys: store.trusted(),
        }
    }
}

/// Why an import did not happen. The library is unchanged in every case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The bundle is refused.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// Unsigned or untrusted: the person has to accept a warning first.
    #[error("This bundle is {0}. Import it only if you know where it came from.")]
    NeedsWarning(Signer),
    /// Newer versions would replace rubrics in use: confirm first.
    #[error("This bundle replaces {}; confirm to go ahead (older results keep their own version).", describe(.0))]
    NeedsConfirmation(Vec<(String, u16, u16)>),
    /// The library folder failed.
    #[error(transparent)]
    Folder(#[from] FolderError),
}

fn describe(replacements: &[(String, u16, u16)]) -> String {
    replacements
        .iter()
        .map(|(id, old, new)| format!("“{id}” version {old} with version {new}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole library: shipped and imported bundles, and the current view.
#[derive(Debug)]
pub struct Library {
    shipped: Loaded,
    folder: Option<LibraryFolder>,
    /// Imported bundles (removed ones too: old results need them), by hash.
    imported: Vec<Loaded>,
    current: Loaded,
    /// Something the person should know about the library folder.
    pub problem: Option<String>,
    /// Counts the changes to what the library holds.
    generation: u64,
}

impl Library {
    /// The shipped library and the library folder of `data_dir`. A folder
    /// that cannot be opened leaves the shipped library working, with
    /// [`Library::problem`] saying why.
    pub fn open(data_dir: &Path) -> Result<Self, BundleError> {
        let shipped = shipped()?;
        let mut library = Library {
            current: shipped.clone(),
            shipped,
            folder: None,
            imported: Vec::new(),
            problem: None,
            generation: 0,
        };
        match LibraryFolder::open(data_dir) {
            Ok(folder) => {
                library.problem = folder.recovered.clone();
                library.folder = Some(folder);
                library.reload();
            }
            Err(e) => library.problem = Some(e.to_string()),
        }
        Ok(library)
    }

    /// Reads the bundles the folder lists that are not loaded yet and
    /// rebuilds the current view. Bundle bytes live as long as the program
    /// (results may point at any of them); each is read once.
    fn reload(&mut self) {
        self.generation += 1;
        let Some(folder) = &self.folder else { return };
        for entry in folder.entries() {
            if self.imported.iter().any(|l| l.hash == entry.hash) {
                continue;
            }
            match folder.read(&entry.hash) {
                Ok(bytes) => match load(&bytes) {
                    Ok(bundle) => self.imported.push(Loaded::new(bundle, entry.hash.clone())),
                    Err(e) => log::error!("library bundle {}: {e}", entry.hash),
                },
                Err(e) => log::error!("{e}"),
            }
        }
        match self.compose(None) {
            Ok(current) => self.current = current,
            Err(e) => {
                self.problem = Some(format!(
                    "The imported rubrics cannot be combined ({}); only the built-in library is offered.",
                    reason::plain(&e)
                ));
                self.current = self.shipped.clone();
            }
        }
    }

    /// The newest version of every rubric, each with the bundle it is from.
    fn newest<'a>(
        &'a self,
        extra: Option<(&'a Bundle<'a>, &'a str)>,
    ) -> Vec<(Rubric<'a>, &'a str)> {
        let active = self.folder.as_ref().map_or(&[][..], LibraryFolder::entries);
        let imported = self
            .imported
            .iter()
            .filter(|l| active.iter().any(|e| e.hash == l.hash && !e.removed));
        let mut chosen: Vec<(Rubric<'a>, &'a str)> = Vec::new();
        let bundles = std::iter::once((&self.shipped.bundle, self.shipped.hash.as_str()))
            .chain(imported.map(|l| (&l.bundle, l.hash.as_str())));
        let mut consider = |rubric: Rubric<'a>, hash: &'a str| match chosen
            .iter_mut()
            .find(|(r, _)| r.id == rubric.id)
        {
            Some(slot) if slot.0.version < rubric.version => *slot = (rubric, hash),
            Some(_) => {}
            None => chosen.push((rubric, hash)),
        };
        for (bundle, hash) in bundles {
            for rubric in bundle.rubrics() {
                consider(rubric, hash);
            }
        }
        if let Some((bundle, hash)) = extra {
            for rubric in bundle.rubrics() {
                consider(rubric, hash);
            }
        }
        chosen
    }

    /// Builds the current view (with `extra` added, to check a planned
    /// import) as one bundle, decoded and validated by the engine.
    fn compose(&self, extra: Option<(&Bundle<'_>, &str)>) -> Result<Loaded, BundleError> {
        let chosen = self.newest(extra);
        if extra.is_none() && chosen.iter().all(|(_, h)| *h == self.shipped.hash) {
            return Ok(self.shipped.clone());
        }
        let rubrics: Vec<Rubric<'_>> = chosen.iter().map(|(r, _)| *r).collect();
        let encode_failed = |_| BundleError::MalformedPayload;
        let seq = rubric_engine::seq::encode_seq(&rubrics).map_err(encode_failed)?;
        let payload = postcard::to_allocvec(&BundlePayload {
            rubrics: Seq::from_raw(&seq),
        })
        .map_err(encode_failed)?;
        let bytes = rubric_engine::codec::encode_container(&payload);
        let sources = chosen
            .iter()
            .map(|(r, h)| (r.id.to_string(), (*h).to_string()))
            .collect();
        if extra.is_some() {
            // Only the check matters; nothing is kept.
            Bundle::decode(&bytes)?;
            return Ok(self.shipped.clone());
        }
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let hash = hash_hex(bytes);
        Ok(Loaded {
            bundle: Bundle::decode(bytes)?,
            hash,
            sources,
        })
    }

    /// The newest version of every rubric, as one bundle.
    pub fn current(&self) -> &Loaded {
        &self.current
    }

    /// The shipped library.
    pub fn shipped(&self) -> &Loaded {
        &self.shipped
    }

    /// Rubric `id` as it was in the bundle with `hash` (an older version,
    /// for an old result); `None` if that bundle is not in the library.
    pub fn rubric_at(&self, id: &str, hash: &str) -> Option<Rubric<'static>> {
        std::iter::once(&self.shipped)
            .chain(self.imported.iter())
            .chain(std::iter::once(&self.current))
            .find(|l| l.hash == hash || l.hash_for(id) == hash && l.bundle.rubric(id).is_some())
            .and_then(|l| l.bundle.rubric(id))
    }

    /// The imported bundles the library folder lists.
    pub fn entries(&self) -> &[Entry] {
        self.folder.as_ref().map_or(&[], LibraryFolder::entries)
    }

    fn known_rubrics(&self) -> impl Iterator<Item = Rubric<'static>> + '_ {
        std::iter::once(&self.shipped)
            .chain(self.imported.iter())
            .flat_map(|l| l.bundle.rubrics())
    }

    /// Checks `bytes` as an import, without changing anything.
    pub fn plan(&self, bytes: &[u8], trust: &TrustContext) -> Result<ImportPlan, Rejection> {
        let hash = hash_hex(bytes);
        if hash == self.shipped.hash || self.entries().iter().any(|e| e.hash == hash && !e.removed)
        {
            return Err(Rejection::AlreadyInLibrary);
        }
        let (file, signer) = trust::examine(bytes, &trust.keys)?;
        preview::count_decode();
        let inline = expand_bundle(bytes).map_err(Rejection::Bundle)?;
        let bundle = Bundle::decode(&inline).map_err(Rejection::Bundle)?;
        let admission = trust::admission(signer, trust.mode, trust.policy)?;
        let current = self.newest(None);
        let mut changes = Vec::new();
        for rubric in bundle.rubrics() {
            if let Some(known) = self
                .known_rubrics()
                .find(|k| k.id == rubric.id && k.version == rubric.version)
            {
                if known != rubric {
                    return Err(Rejection::VersionClash {
                        id: rubric.id.to_string(),
                        version: rubric.version,
                    });
                }
            }
            let change = match current.iter().find(|(r, _)| r.id == rubric.id) {
                None => Change::New,
                Some((r, _)) if r.version < rubric.version => Change::Replaces(r.version),
                Some((r, _)) if r.version > rubric.version => Change::Older(r.version),
                Some(_) => Change::Same,
            };
            changes.push((RubricRef::of(&rubric), change));
        }
        if changes.iter().all(|(_, c)| *c == Change::Same) {
            return Err(Rejection::AlreadyInLibrary);
        }
        let found = self.newest(Some((&bundle, &hash))).len();
        if found > MAX_RUBRICS {
            return Err(Rejection::LibraryFull {
                found,
                max: MAX_RUBRICS,
            });
        }
        self.compose(Some((&bundle, &hash)))
            .map_err(Rejection::Bundle)?;
        let mut preview = BundlePreview::new(&bundle, hash, bytes.len() as u64, signer);
        // The file's own container, not that of its expanded texts.
        preview.format_version = file.header().version;
        preview.crc = file.crc();
        Ok(ImportPlan {
            preview,
            admission,
            changes,
            generation: self.generation,
        })
    }

    /// Reads a bundle file the way imports and scans do: nothing over the
    /// size limit is read at all.
    pub fn read_source(path: &Path) -> Result<Vec<u8>, Rejection> {
        let size = std::fs::metadata(path)
            .map_err(|e| Rejection::Unreadable(e.to_string()))?
            .len();
        if size > MAX_BUNDLE_FILE {
            return Err(Rejection::TooLarge {
                size,
                limit: MAX_BUNDLE_FILE,
            });
        }
        read_limited(path, MAX_BUNDLE_FILE).map_err(|e| Rejection::Unreadable(e.to_string()))
    }

    /// Imports the bundle at `source`: checks it, asks for what the person
    /// must agree to, copies it into the library folder, verifies the copy
    /// and records it. Returns the plan that was carried out.
    pub fn import(
        &mut self,
        source: &Path,
        trust: &TrustContext,
        consent: Consent,
    ) -> Result<ImportPlan, ImportError> {
        let bytes = Self::read_source(source)?;
        let name = source
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        self.import_bytes(&bytes, name, trust, consent)
    }

    /// [`Library::import`] of bytes already read (the USB screen keeps what
    /// the scan read, so a slow drive is not read again).
    pub fn import_bytes(
        &mut self,
        bytes: &[u8],
        name: String,
        trust: &TrustContext,
        consent: Consent,
    ) -> Result<ImportPlan, ImportError> {
        let plan = self.plan(bytes, trust)?;
        self.carry_out(plan, bytes, name, consent)
    }

    /// Changes to what the library holds so far: a plan made at one
    /// generation holds until the next.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether `plan` still says what importing `bytes` would do: they are
    /// the bytes it was made from, the library has not changed since, and
    /// the keys and policy judge its signer as they did.
    pub fn plan_holds(&self, plan: &ImportPlan, bytes: &[u8], trust: &TrustContext) -> bool {
        let signer_judged_alike = match plan.preview.signer {
            Signer::Unsigned => true,
            Signer::Trusted(id) => trust.keys.iter().any(|k| k.key_id() == id),
            Signer::Untrusted(id) => !trust.keys.iter().any(|k| k.key_id() == id),
        };
        plan.generation == self.generation
            && signer_judged_alike
            && trust::admission(plan.preview.signer, trust.mode, trust.policy)
                .is_ok_and(|a| a == plan.admission)
            && hash_hex(bytes) == plan.preview.hash
    }

    /// [`Library::import_bytes`] with the plan the USB screen already made
    /// from these bytes: while [`Library::plan_holds`], the bundle is not
    /// decoded again; otherwise it is planned afresh.
    pub fn import_planned(
        &mut self,
        plan: &ImportPlan,
        bytes: &[u8],
        name: String,
        trust: &TrustContext,
        consent: Consent,
    ) -> Result<ImportPlan, ImportError> {
        let plan = if self.plan_holds(plan, bytes, trust) {
            plan.clone()
        } else {
            self.plan(bytes, trust)?
        };
        self.carry_out(plan, bytes, name, consent)
    }

    /// Asks for what the person must agree to, then copies the bundle into
    /// the library folder.
    fn carry_out(
        &mut self,
        plan: ImportPlan,
        bytes: &[u8],
        name: String,
        consent: Consent,
    ) -> Result<ImportPlan, ImportError> {
        if plan.admission == Admission::AfterWarning && !consent.untrusted {
            return Err(ImportError::NeedsWarning(plan.preview.signer));
        }
        let replacements = plan.replacements();
        if !replacements.is_empty() && !consent.replace {
            return Err(ImportError::NeedsConfirmation(replacements));
        }
        let folder = self
            .folder
            .as_mut()
            .ok_or_else(|| FolderError::Unavailable(self.problem.clone().unwrap_or_default()))?;
        folder.add(
            bytes,
            &plan.preview,
            plan.changes.iter().map(|(r, _)| r.clone()).collect(),
            name,
        )?;
        self.reload();
        Ok(plan)
    }

    /// Takes a bundle out of the offer (by its id or a unique prefix of at
    /// least 8 hex digits). Its file stays, so results made with it still
    /// show their questions; importing it again brings it back.
    pub fn remove(&mut self, id: &str) -> Result<Entry, FolderError> {
        let folder = self
            .folder
            .as_mut()
            .ok_or_else(|| FolderError::Unavailable(self.problem.clone().unwrap_or_default()))?;
        let entry = folder.remove(id)?;
        self.reload();
        Ok(entry)
    }
}
