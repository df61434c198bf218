//! `[[outcome]]`: the archetypes an outcome-style rubric ranks.

use rubric_engine::owned::Outcome;

use super::fields::Fields;
use super::Value;
use crate::diagnostic::Found;

const OUTCOME_KEYS: &[&str] = &["id", "title", "description"];

/// Reads one `[[outcome]]`.
pub(super) fn outcome(value: &Value<'_>, found: &mut Vec<Found>) -> Option<Outcome> {
    let f = Fields::new(value, "an [[outcome]]", OUTCOME_KEYS, found)?;
    Some(Outcome {
        id: f.required_text("id", found),
        title: f.required_text("title", found),
        description: f.text("description", found),
    })
}
