//! Merging results exported by another kiosk: sessions and results stored
//! with the ids they already have, so a second import of the same file adds
//! nothing.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::error::StoreError;
use super::results_store::parse_uuid;
use super::results_store::ResultsStore;
use crate::records::{ResultId, Session, SessionId, WorkshopResult};

impl ResultsStore {
    /// The session holding the workshop result `id`, if this store has it.
    pub fn session_of_result(&self, id: ResultId) -> Result<Option<SessionId>, StoreError> {
        self.conn
            .query_row(
                "SELECT session FROM workshop_results WHERE uuid = ?1",
                [id.to_string()],
                |r| parse_uuid(r, 0).map(SessionId),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Stores imported results in one transaction (all or none), each in
    /// `session` whatever its own `session` field says. With
    /// `create_session`, `session` is first inserted with its own id, open
    /// and not revealed; otherwise it must exist already. The session's
    /// closed flag does not refuse them: they were made while it ran
    /// elsewhere.
    pub fn import_workshop_results(
        &self,
        session: &Session,
        create_session: bool,
        results: &[WorkshopResult],
    ) -> Result<(), StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        if create_session {
            self.insert_session(&tx, session)?;
        } else {
            // Fails with NoSuchSession rather than a foreign-key error.
            self.session(session.id)?;
        }
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO workshop_results (uuid, session, rubric_id, rubric_version, bundle_hash, alias_ref, answers_json, report_json, engine_result)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(|e| self.err(e))?;
            for row in results {
                let alias_ref = self.alias_ref(session.id, row.alias.as_deref())?;
                stmt.execute(params![
                    row.id.to_string(),
                    session.id.to_string(),
                    row.rubric_id,
                    row.rubric_version,
                    row.bundle_hash,
                    alias_ref,
                    row.answers_json,
                    row.report_json,
                    row.engine_result,
                ])
                .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        self.workshop_data_changed();
        Ok(())
    }
}
