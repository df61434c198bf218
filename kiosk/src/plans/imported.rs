//! Plan bundles imported into the kiosk (from a USB drive or any file):
//! kept as they came in the data folder's `plans/` folder, one file per plan
//! id. An import needs a signature by a trusted key (unless the caller
//! allows otherwise), and every rubric the plan names in the library.

use std::io;
use std::path::{Path, PathBuf};

use rubrics::plan::bundle::MAX_PLAN_BUNDLE_BYTES;
use rubrics::plan::{decode_plan, Plan, PlanBundleError, PlanSigner};

use crate::fsutil::{read_limited, write_atomic};
use crate::library::TrustStore;

/// The folder of imported plans, in the data folder.
pub const PLANS_FOLDER: &str = "plans";

/// Why a plan bundle was not imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanImportError {
    /// The file could not be read.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why not.
        error: io::Error,
    },
    /// The bytes are not a usable plan.
    #[error("this is not a usable plan: {0}")]
    Refused(PlanBundleError),
    /// Not signed by a key this kiosk trusts.
    #[error("the plan is {}; only plans signed by a trusted key are imported", signer_words(.0))]
    Untrusted(PlanSigner),
    /// The plan names a rubric this kiosk's library does not have.
    #[error("the plan uses the rubric {0:?}, which this kiosk's library does not have; import its rubrics first")]
    UnknownRubric(String),
    /// A shipped plan has this id.
    #[error("a plan that ships with the kiosk already has the id {0:?}")]
    ShippedId(String),
    /// The plans folder could not be written.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why not.
        error: io::Error,
    },
}

fn signer_words(signer: &PlanSigner) -> String {
    match signer {
        PlanSigner::Unsigned => "unsigned".to_string(),
        PlanSigner::Unknown(id) => format!(
            "signed by key {}, which this kiosk does not trust",
            rubrics::keys::hex(id)
        ),
        PlanSigner::Trusted(_) => "signed by a trusted key".to_string(),
    }
}

/// Imports the plan bundle at `file` into `data_dir`'s plans folder, after
/// checking it: its container and rules, its signature (a trusted key,
/// unless `allow_untrusted`), and that `library` has each rubric it names.
/// A plan of the same id imported before is replaced.
pub fn import_plan(
    data_dir: &Path,
    file: &Path,
    allow_untrusted: bool,
    library: &[&str],
    shipped: &[Plan],
) -> Result<Plan, PlanImportError> {
    let bytes = read_limited(file, MAX_PLAN_BUNDLE_BYTES as u64).map_err(|error| {
        PlanImportError::Read {
            path: file.to_path_buf(),
            error,
        }
    })?;
    let trusted = TrustStore::new(data_dir).trusted();
    let decoded = decode_plan(&bytes, &trusted).map_err(PlanImportError::Refused)?;
    if !allow_untrusted && !matches!(decoded.signer, PlanSigner::Trusted(_)) {
        return Err(PlanImportError::Untrusted(decoded.signer));
    }
    let plan = decoded.plan;
    if let Some(missing) = plan
        .steps
        .iter()
        .filter_map(|s| s.kind.rubric())
        .find(|id| !library.contains(id))
    {
        return Err(PlanImportError::UnknownRubric(missing.to_string()));
    }
    if shipped.iter().any(|p| p.id == plan.id) {
        return Err(PlanImportError::ShippedId(plan.id));
    }
    let folder = data_dir.join(PLANS_FOLDER);
    std::fs::create_dir_all(&folder).map_err(|error| PlanImportError::Write {
        path: folder.clone(),
        error,
    })?;
    // The id is checked (a-z, 0-9, -), so it is a safe file name.
    let path = folder.join(format!("{}.rbp", plan.id));
    write_atomic(&path, &bytes).map_err(|error| PlanImportError::Write { path, error })?;
    Ok(plan)
}

/// The plans imported into `data_dir`, sorted by id. A file that no longer
/// decodes is skipped and logged: one bad file must not hide the others.
pub fn imported(data_dir: &Path) -> Vec<Plan> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(PLANS_FOLDER)) else {
        return Vec::new();
    };
    let mut plans: Vec<Plan> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rbp"))
        .filter_map(|path| {
            let read = read_limited(&path, MAX_PLAN_BUNDLE_BYTES as u64);
            match read.map(|bytes| decode_plan(&bytes, &[])) {
                Ok(Ok(decoded)) => Some(decoded.plan),
                Ok(Err(e)) => {
                    log::warn!("ignoring {}: {e}", path.display());
                    None
                }
                Err(e) => {
                    log::warn!("ignoring {}: {e}", path.display());
                    None
                }
            }
        })
        .collect();
    plans.sort_by(|a, b| a.id.cmp(&b.id));
    plans
}
