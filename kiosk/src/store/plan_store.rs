//! The session plan a workshop session was created from, on
//! [`ResultsStore`]: only the plan's id, so that the facilitator view can
//! follow the plan again after the kiosk restarts.

use rusqlite::{params, OptionalExtension};

use super::error::StoreError;
use super::results_store::ResultsStore;
use crate::records::SessionId;

impl ResultsStore {
    /// Records that `session` follows the plan `plan_id` (replacing any
    /// plan it had). The session must exist.
    pub fn set_session_plan(&self, session: SessionId, plan_id: &str) -> Result<(), StoreError> {
        // The session must exist: its row is what the plan points at.
        self.session(session)?;
        self.conn
            .execute(
                "INSERT INTO session_plans (session, plan_id) VALUES (?1, ?2)
                 ON CONFLICT (session) DO UPDATE SET plan_id = excluded.plan_id",
                params![session.to_string(), plan_id],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The id of the plan `session` follows, if it was created from one.
    pub fn session_plan(&self, session: SessionId) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT plan_id FROM session_plans WHERE session = ?1",
                [session.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}
