//! Merging results exported by another kiosk: sessions and results stored
//! with the ids they already have, so a second import of the same file adds
//! nothing.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::error::StoreError;
use super::results_store::parse_uuid;
use super::results_store::ResultsStore;
use crate::records::{
    ImportOrigin, ResultId, Session, SessionId, WorkshopResult, KIOSK_ID_SETTING,
};

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

    /// This kiosk's random id, made and kept in the settings on first use:
    /// exports carry it so that the kiosk that merges them can say where
    /// results came from.
    pub fn kiosk_id(&self) -> Result<String, StoreError> {
        if let Some(id) = self.setting(KIOSK_ID_SETTING)? {
            return Ok(id);
        }
        let id = uuid::Uuid::new_v4().to_string();
        self.conn
            .execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
                [KIOSK_ID_SETTING, id.as_str()],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.setting(KIOSK_ID_SETTING)?.unwrap_or(id))
    }

    /// Where the results merged into `session` came from, by kiosk and
    /// session (ordered by kiosk id and session id, not by time).
    pub fn import_origins(&self, session: SessionId) -> Result<Vec<ImportOrigin>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT from_kiosk, from_session, from_session_name, results FROM workshop_imports
                 WHERE session = ?1 ORDER BY from_kiosk, from_session",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([session.to_string()], |r| {
                let kiosk: String = r.get(0)?;
                Ok(ImportOrigin {
                    kiosk: (!kiosk.is_empty()).then_some(kiosk),
                    session: r.get(1)?,
                    session_name: r.get(2)?,
                    results: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.map(|row| row.map_err(|e| self.err(e))).collect()
    }

    /// Stores imported results in one transaction (all or none), as
    /// [`ResultsStore::import_workshop_results`], and adds their number to
    /// what `origin` (its `results` is not read) has brought into `session`.
    pub fn import_workshop_results_from(
        &self,
        session: &Session,
        create_session: bool,
        results: &[WorkshopResult],
        origin: &ImportOrigin,
    ) -> Result<(), StoreError> {
        self.import_rows(session, create_session, results, Some(origin))
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
        self.import_rows(session, create_session, results, None)
    }

    fn import_rows(
        &self,
        session: &Session,
        create_session: bool,
        results: &[WorkshopResult],
        origin: Option<&ImportOrigin>,
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
        if let (Some(origin), false) = (origin, results.is_empty()) {
            tx.execute(
                "INSERT INTO workshop_imports (session, from_kiosk, from_session, from_session_name, results)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (session, from_kiosk, from_session)
                 DO UPDATE SET results = results + excluded.results, from_session_name = excluded.from_session_name",
                params![
                    session.id.to_string(),
                    origin.kiosk.as_deref().unwrap_or(""),
                    origin.session,
                    origin.session_name,
                    results.len() as i64,
                ],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        self.workshop_data_changed();
        Ok(())
    }
}
