//! The library folder in the data folder: each imported bundle as a file
//! named by its SHA-256 (`<hash>.rbk`), and `index.json`, written
//! atomically, recording where each came from and whether it was removed.
//! The files are the truth: a missing or damaged index is rebuilt by
//! reading the folder, and a file whose contents do not match its name is
//! never used.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rubric_engine::{Bundle, Rubric};
use rubrics::keys::hex;
use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use super::preview::BundlePreview;
use crate::fsutil::{read_limited, write_atomic, MAX_BUNDLE_FILE};
use crate::store::now_unix;

/// Folder of the data folder that holds imported bundles.
pub const LIBRARY_FOLDER: &str = "library";
const INDEX_FILE: &str = "index.json";
const INDEX_FORMAT: &str = "rubric-kiosk-library";
const INDEX_VERSION: u32 = 1;

/// Hex SHA-256 of `bytes`: the name a bundle's copy has in the folder, and
/// the hash results record.
pub fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A rubric as the index records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricRef {
    /// Rubric id.
    pub id: String,
    /// Its version.
    pub version: u16,
    /// Its title.
    pub title: String,
}

impl RubricRef {
    /// The reference to `rubric`.
    pub fn of(rubric: &Rubric<'_>) -> Self {
        RubricRef {
            id: rubric.id.to_string(),
            version: rubric.version,
            title: rubric.title.to_string(),
        }
    }
}

/// One imported bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// SHA-256 of the bundle, lowercase hex; the file is `<hash>.rbk`.
    pub hash: String,
    /// The file name it had on the drive.
    pub source_name: String,
    /// When it was imported (Unix seconds).
    pub imported_at: i64,
    /// The key id that signed it, hex; `None` if unsigned.
    pub signer: Option<String>,
    /// Taken out of the offer; kept for the results made with it.
    pub removed: bool,
    /// The rubrics inside.
    pub rubrics: Vec<RubricRef>,
}

impl Entry {
    /// The short id that lists show and `library remove` takes.
    pub fn id(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFile {
    format: String,
    version: u32,
    bundles: Vec<Entry>,
}

/// Problems with the library folder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FolderError {
    /// Reading or writing failed.
    #[error("the library folder {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The copy read back differs from the bundle.
    #[error("the copy of the bundle in the library folder does not match the original (the disk may be failing); it was removed and nothing was imported")]
    CopyDiffers,
    /// No imported bundle has this id.
    #[error("no imported bundle has the id `{0}` (see `rubric-kiosk library list`)")]
    NoSuchBundle(String),
    /// The folder could not be opened at start.
    #[error("the library folder cannot be used: {0}")]
    Unavailable(String),
}

/// The library folder and its index.
#[derive(Debug)]
pub struct LibraryFolder {
    dir: PathBuf,
    entries: Vec<Entry>,
    /// What was repaired when the folder was opened, for the person to read.
    pub recovered: Option<String>,
}

fn is_bundle_name(name: &str) -> Option<&str> {
    let hash = name.strip_suffix(".rbk")?;
    (hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then_some(hash)
}

impl LibraryFolder {
    /// Opens (creating) `data_dir/library`, reads the index and checks it
    /// against the files: files the index misses are added, entries whose
    /// file is gone or damaged are dropped, and the index is rewritten if
    /// anything changed.
    pub fn open(data_dir: &Path) -> Result<Self, FolderError> {
        let dir = data_dir.join(LIBRARY_FOLDER);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| FolderError::Io { path, source }
        };
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let index_path = dir.join(INDEX_FILE);
        let mut notes = Vec::new();
        let listed: Vec<Entry> = match fs::read(&index_path) {
            Ok(bytes) => match serde_json::from_slice::<IndexFile>(&bytes) {
                Ok(index) if index.format == INDEX_FORMAT && index.version == INDEX_VERSION => {
                    index.bundles
                }
                Ok(_) | Err(_) => {
                    notes.push("The library index was damaged and has been rebuilt from the bundle files; bundles removed earlier are offered again.".to_string());
                    Vec::new()
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io(&index_path)(e)),
        };
        let mut folder = LibraryFolder {
            dir,
            entries: Vec::new(),
            recovered: None,
        };
        let mut on_disk = Vec::new();
        for file in fs::read_dir(&folder.dir)
            .map_err(io(&folder.dir))?
            .flatten()
        {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(hash) = is_bundle_name(&name) {
                on_disk.push(hash.to_string());
            }
        }
        on_disk.sort();
        let mut changed = false;
        for entry in &listed {
            if on_disk.contains(&entry.hash) && folder.read(&entry.hash).is_ok() {
                folder.entries.push(entry.clone());
            } else {
                changed = true;
                notes.push(format!(
                    "The library bundle “{}” is missing or damaged and is no longer offered; results made with it show without their questions.",
                    entry.source_name
                ));
            }
        }
        for hash in &on_disk {
            if folder.entries.iter().any(|e| e.hash == *hash) {
                continue;
            }
            match folder.rescued(hash) {
                Some(entry) => {
                    folder.entries.push(entry);
                    changed = true;
                }
                None => log::error!("library file {hash}.rbk is damaged; it is not used"),
            }
        }
        if changed || (!listed.is_empty() && folder.entries.len() != listed.len()) {
            if let Err(e) = folder.write_index() {
                notes.push(format!(
                    "The repaired library index could not be saved: {e}"
                ));
            }
        }
        if !notes.is_empty() {
            for note in &notes {
                log::warn!("{note}");
            }
            folder.recovered = Some(notes.join(" "));
        }
        Ok(folder)
    }

    /// An entry for a bundle file the index does not list (an import that
    /// stopped between copying and recording, or a lost index).
    fn rescued(&self, hash: &str) -> Option<Entry> {
        let bytes = self.read(hash).ok()?;
        let signer = Bundle::decode(&bytes).ok()?.signature();
        let inline = rubric_engine::codec::expand_bundle(&bytes).ok()?;
        let bundle = Bundle::decode(&inline).ok()?;
        let imported_at = fs::metadata(self.path_of(hash))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        Some(Entry {
            hash: hash.to_string(),
            source_name: format!("{hash}.rbk"),
            imported_at,
            signer: signer.map(|s| hex(&s.key_id)),
            removed: false,
            rubrics: bundle.rubrics().map(|r| RubricRef::of(&r)).collect(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The imported bundles, oldest import first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn path_of(&self, hash: &str) -> PathBuf {
        self.dir.join(format!("{hash}.rbk"))
    }

    /// The bytes of the bundle with `hash`, checked against it.
    pub fn read(&self, hash: &str) -> Result<Vec<u8>, FolderError> {
        let path = self.path_of(hash);
        let bytes = read_limited(&path, MAX_BUNDLE_FILE).map_err(|source| FolderError::Io {
            path: path.clone(),
            source,
        })?;
        if hash_hex(&bytes) != hash {
            return Err(FolderError::Io {
                path,
                source: io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the contents do not match the name: the file is damaged",
                ),
            });
        }
        Ok(bytes)
    }

    fn write_index(&self) -> Result<(), FolderError> {
        let path = self.dir.join(INDEX_FILE);
        let index = IndexFile {
            format: INDEX_FORMAT.into(),
            version: INDEX_VERSION,
            bundles: self.entries.clone(),
        };
        let bytes = serde_json::to_vec_pretty(&index).map_err(|e| FolderError::Io {
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        write_atomic(&path, &bytes).map_err(|source| FolderError::Io { path, source })
    }

    /// Copies `bytes` in as `<hash>.rbk`, reads the copy back, and records
    /// it. If recording fails the copy is left: the next start finds it.
    pub(super) fn add(
        &mut self,
        bytes: &[u8],
        preview: &BundlePreview,
        rubrics: Vec<RubricRef>,
        source_name: String,
    ) -> Result<(), FolderError> {
        let hash = &preview.hash;
        let path = self.path_of(hash);
        write_atomic(&path, bytes).map_err(|source| FolderError::Io {
            path: path.clone(),
            source,
        })?;
        if self.read(hash).is_err() {
            let _ = fs::remove_file(&path);
            return Err(FolderError::CopyDiffers);
        }
        let before = self.entries.clone();
        if let Some(entry) = self.entries.iter_mut().find(|e| e.hash == *hash) {
            entry.removed = false;
        } else {
            self.entries.push(Entry {
                hash: hash.clone(),
                source_name,
                imported_at: now_unix(),
                signer: preview.signer.key_hex(),
                removed: false,
                rubrics,
            });
        }
        self.write_index().inspect_err(|_| self.entries = before)
    }

    /// Marks the bundle with this id (or unique prefix) removed.
    pub(super) fn remove(&mut self, id: &str) -> Result<Entry, FolderError> {
        let id = id.trim().to_ascii_lowercase();
        let matching: Vec<usize> = (0..self.entries.len())
            .filter(|&i| id.len() >= 8 && self.entries[i].hash.starts_with(&id))
            .collect();
        let [index] = matching.as_slice() else {
            return Err(FolderError::NoSuchBundle(id));
        };
        let before = self.entries.clone();
        self.entries[*index].removed = true;
        let entry = self.entries[*index].clone();
        self.write_index().inspect_err(|_| self.entries = before)?;
        Ok(entry)
    }
}
