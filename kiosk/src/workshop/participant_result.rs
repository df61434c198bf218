//! A completed attempt as a workshop result row.

use crate::attempt::{Completed, Encoded};
use crate::records::{NewWorkshopResult, SessionId};

impl<'a> NewWorkshopResult<'a> {
    /// The row for a completed attempt, borrowing the encoded parts from
    /// `encoded` (see [`Completed::encoded`]). The attempt's completion time
    /// is deliberately dropped.
    pub fn from_completed(
        completed: &'a Completed,
        encoded: &'a Encoded,
        session: SessionId,
        alias: Option<&'a str>,
    ) -> Self {
        NewWorkshopResult {
            session,
            rubric_id: completed.rubric.id,
            rubric_version: completed.rubric.version,
            bundle_hash: &completed.bundle_hash,
            alias,
            answers_json: &completed.answers_json,
            report_json: &encoded.report_json,
            engine_result: &encoded.engine_result,
        }
    }
}
