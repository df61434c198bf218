//! The session plans the kiosk ships (`rubrics/plans/`), compiled against
//! the shipped library the first time they are needed, and those imported
//! into its data folder ([`imported`]); found by id.

pub mod imported;

use std::path::Path;
use std::sync::OnceLock;

use rubrics::plan::{compile_plan, Plan, SHIPPED_PLANS};
use rubrics::{CompileError, Source};

use crate::library;

/// Why the shipped plans cannot be used: a damaged binary, as a test holds
/// that they compile when the kiosk is built.
#[derive(Debug, thiserror::Error)]
pub enum ShippedPlanError {
    /// The built-in library does not decode.
    #[error("the built-in rubric library is damaged: {0}")]
    Library(rubric_engine::BundleError),
    /// A shipped plan does not compile against the built-in library.
    #[error("the built-in plan {name} does not compile:\n{error}")]
    Plan {
        /// Its file name.
        name: &'static str,
        /// What is wrong.
        error: CompileError,
    },
}

/// Why a plan was not found.
#[derive(Debug, thiserror::Error)]
pub enum FindPlanError {
    /// The shipped plans cannot be used.
    #[error(transparent)]
    Shipped(&'static ShippedPlanError),
    /// No plan has this id.
    #[error("there is no plan with id {id:?}{}", hint(.suggestion, .known))]
    Unknown {
        /// The id asked for.
        id: String,
        /// The nearest id, if one is close.
        suggestion: Option<String>,
        /// Every plan's id.
        known: Vec<String>,
    },
}

fn hint(suggestion: &Option<String>, known: &[String]) -> String {
    match suggestion {
        Some(s) => format!("; did you mean {s:?}?"),
        None => format!(" (the plans are: {})", known.join(", ")),
    }
}

static SHIPPED: OnceLock<Result<Vec<Plan>, ShippedPlanError>> = OnceLock::new();

/// The shipped plans, in the order setup offers them.
pub fn shipped() -> Result<&'static [Plan], &'static ShippedPlanError> {
    SHIPPED
        .get_or_init(compile_shipped)
        .as_ref()
        .map(Vec::as_slice)
}

fn compile_shipped() -> Result<Vec<Plan>, ShippedPlanError> {
    let library = library::shipped().map_err(ShippedPlanError::Library)?;
    let ids: Vec<&str> = library.bundle.rubrics().map(|r| r.id).collect();
    SHIPPED_PLANS
        .iter()
        .map(|(name, text)| {
            compile_plan(&Source::in_memory(name, text), &ids)
                .map_err(|error| ShippedPlanError::Plan { name, error })
        })
        .collect()
}

/// The shipped plan with id `id`.
pub fn find(id: &str) -> Result<&'static Plan, FindPlanError> {
    let plans = shipped().map_err(FindPlanError::Shipped)?;
    match plans.iter().find(|p| p.id == id) {
        Some(plan) => Ok(plan),
        None => Err(unknown(id, plans)),
    }
}

/// The shipped plans, then those imported into `data_dir`.
pub fn available(data_dir: &Path) -> Result<Vec<Plan>, FindPlanError> {
    let mut plans = shipped().map_err(FindPlanError::Shipped)?.to_vec();
    plans.extend(imported::imported(data_dir));
    Ok(plans)
}

/// The plan with id `id`, shipped or imported into `data_dir`.
pub fn find_in(data_dir: &Path, id: &str) -> Result<Plan, FindPlanError> {
    let plans = available(data_dir)?;
    match plans.iter().find(|p| p.id == id) {
        Some(plan) => Ok(plan.clone()),
        None => Err(unknown(id, &plans)),
    }
}

fn unknown(id: &str, plans: &[Plan]) -> FindPlanError {
    let known: Vec<String> = plans.iter().map(|p| p.id.clone()).collect();
    let suggestion =
        rubrics::diagnostic::did_you_mean(id, known.iter().map(String::as_str)).map(String::from);
    FindPlanError::Unknown {
        id: id.to_string(),
        suggestion,
        known,
    }
}

/// The audience in plain words, for lists and the guide.
pub fn audience_words(audience: rubrics::plan::Audience) -> &'static str {
    use rubrics::plan::Audience;
    match audience {
        Audience::Engineers => "engineers",
        Audience::Managers => "managers",
        Audience::Leaders => "managers and leaders",
        Audience::Mixed => "engineers and managers together",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_plans_compile_against_the_built_in_library() {
        let plans = shipped().map_err(|e| e.to_string());
        assert!(matches!(&plans, Ok(p) if p.len() >= 3), "{plans:?}");
    }

    #[test]
    fn a_plan_is_found_by_id_and_a_typo_gets_a_suggestion() {
        assert!(find("is-staff-for-you").is_ok());
        let err = find("is-staff-for-yuo").map(|p| p.id.clone());
        assert!(
            matches!(&err, Err(FindPlanError::Unknown { suggestion: Some(s), .. }) if s == "is-staff-for-you"),
            "{err:?}"
        );
    }
}
