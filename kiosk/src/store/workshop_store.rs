//! Workshop sessions, their results and peer rounds, on [`ResultsStore`].
//!
//! Workshop results are keyed by random UUIDs in `WITHOUT ROWID` tables and
//! carry no time but the session's date, and lists come back in UUID order
//! (random): nothing here tells which participant came first.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::error::StoreError;
use super::results_store::parse_uuid;
use super::results_store::ResultsStore;
use crate::records::{
    NewWorkshopResult, PeerRoundOutcome, ResultId, Session, SessionDate, SessionId,
    ValidSessionConfig, WorkshopResult,
};

const SESSION_COLUMNS: &str = "uuid, name, rubric_ids_json, min_group, show_own_result, hide_until_revealed, revealed, closed, date";

/// The columns a new workshop result is inserted with (`alias_ref` points
/// to the alias's one row, see [`ResultsStore::alias_ref`]).
pub(super) const WORKSHOP_RESULT_COLUMNS: &str =
    "uuid, session, rubric_id, rubric_version, bundle_hash, alias_ref, answers_json, report_json, engine_result";

/// A workshop result as read back, its alias joined in (`r` is the result).
const SELECT_WORKSHOP_RESULT: &str =
    "SELECT r.uuid, r.session, r.rubric_id, r.rubric_version, r.bundle_hash, a.alias,
     r.answers_json, r.report_json, r.engine_result
     FROM workshop_results r LEFT JOIN workshop_aliases a ON a.uuid = r.alias_ref";

/// What aggregation reads of one stored workshop result (nothing individual
/// besides the engine's numbers).
pub(crate) struct EngineRow<'r> {
    /// Rubric id.
    pub rubric_id: &'r str,
    /// Rubric version.
    pub rubric_version: u16,
    /// Postcard engine result.
    pub engine_result: &'r [u8],
}

impl ResultsStore {
    /// Creates a workshop session dated `date` (open, not revealed) and
    /// returns it. Only a validated configuration is accepted.
    pub fn create_session(
        &self,
        config: &ValidSessionConfig,
        date: SessionDate,
    ) -> Result<Session, StoreError> {
        let c = config.config();
        let session = Session {
            id: SessionId::random(),
            name: c.name.clone(),
            rubric_ids: c.rubric_ids.clone(),
            min_group: c.min_group,
            show_own_result: c.show_own_result,
            hide_until_revealed: c.hide_until_revealed,
            revealed: false,
            closed: false,
            date,
        };
        self.insert_session(&self.conn, &session)?;
        Ok(session)
    }

    /// Writes a new, open and unrevealed `session` row through `conn` (the
    /// store's connection or a transaction on it).
    pub(super) fn insert_session(
        &self,
        conn: &rusqlite::Connection,
        session: &Session,
    ) -> Result<(), StoreError> {
        let rubric_ids =
            serde_json::to_string(&session.rubric_ids).map_err(|e| StoreError::BadRecord {
                table: "sessions",
                key: session.id.to_string(),
                reason: e.to_string(),
            })?;
        conn.execute(
            &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, ?7)"),
            params![
                session.id.to_string(),
                session.name,
                rubric_ids,
                session.min_group,
                session.show_own_result,
                session.hide_until_revealed,
                session.date.as_str(),
            ],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Every session, newest date first, then by name.
    pub fn sessions(&self) -> Result<Vec<Session>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY date DESC, name, uuid"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok(read_session(r)))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(|e| self.err(e))??);
        }
        Ok(out)
    }

    /// One session; [`StoreError::NoSuchSession`] if there is none with this id.
    pub fn session(&self, id: SessionId) -> Result<Session, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE uuid = ?1"),
                [id.to_string()],
                |r| Ok(read_session(r)),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or(StoreError::NoSuchSession(id))?
    }

    /// Closes a session: it takes no more results, and every phone of it
    /// is forgotten (answers in progress and links to results deleted; only
    /// how many had finished is kept), in one transaction. Closing twice is
    /// fine.
    pub fn close_session(&self, id: SessionId) -> Result<(), StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        self.update_session_flag(id, "closed", true)?;
        tx.execute(
            "UPDATE phone_sessions SET joining_open = 0, forgotten_finished = forgotten_finished
             + (SELECT count(*) FROM phone_participants WHERE session = ?1 AND finished = 1)
             WHERE session = ?1",
            [id.to_string()],
        )
        .map_err(|e| self.err(e))?;
        tx.execute(
            "DELETE FROM phone_participants WHERE session = ?1",
            [id.to_string()],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        self.workshop_data_changed();
        Ok(())
    }

    /// The id of `alias`'s one row in `session` (made on first use), or
    /// `None` without an alias: results never carry the alias itself.
    pub(super) fn alias_ref(
        &self,
        session: SessionId,
        alias: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let Some(alias) = alias else {
            return Ok(None);
        };
        self.conn
            .prepare_cached(
                "INSERT INTO workshop_aliases (uuid, session, alias) VALUES (?1, ?2, ?3)
                 ON CONFLICT (session, alias) DO NOTHING",
            )
            .map_err(|e| self.err(e))?
            .execute(params![
                uuid::Uuid::new_v4().to_string(),
                session.to_string(),
                alias
            ])
            .map_err(|e| self.err(e))?;
        self.conn
            .prepare_cached("SELECT uuid FROM workshop_aliases WHERE session = ?1 AND alias = ?2")
            .map_err(|e| self.err(e))?
            .query_row(params![session.to_string(), alias], |r| r.get(0))
            .map(Some)
            .map_err(|e| self.err(e))
    }

    /// Reveals (or hides again) the group results of a session that hides
    /// them until revealed.
    pub fn set_revealed(&self, id: SessionId, revealed: bool) -> Result<(), StoreError> {
        self.update_session_flag(id, "revealed", revealed)
    }

    fn update_session_flag(
        &self,
        id: SessionId,
        column: &'static str,
        value: bool,
    ) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                &format!("UPDATE sessions SET {column} = ?1 WHERE uuid = ?2"),
                params![value, id.to_string()],
            )
            .map_err(|e| self.err(e))?;
        if changed == 0 {
            return Err(StoreError::NoSuchSession(id));
        }
        Ok(())
    }

    /// Stores one participant's result durably (one transaction,
    /// `synchronous=FULL`) and returns its new random id. Refused when the
    /// session does not exist, is closed, or does not include the rubric.
    pub fn save_workshop_result(
        &self,
        result: &NewWorkshopResult<'_>,
    ) -> Result<ResultId, StoreError> {
        let mut ids = self.save_workshop_results(std::slice::from_ref(result))?;
        ids.pop().ok_or_else(|| StoreError::BadRecord {
            table: "workshop_results",
            key: String::new(),
            reason: "the result was not stored".into(),
        })
    }

    /// Stores many results in one transaction (all or none), each checked as
    /// in [`ResultsStore::save_workshop_result`]; returns their ids in the
    /// order given. For imports and benchmarks.
    pub fn save_workshop_results(
        &self,
        results: &[NewWorkshopResult<'_>],
    ) -> Result<Vec<ResultId>, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let mut checked: Vec<Session> = Vec::new();
        let mut ids = Vec::with_capacity(results.len());
        {
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO workshop_results ({WORKSHOP_RESULT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                ))
                .map_err(|e| self.err(e))?;
            for result in results {
                let session = match checked.iter().find(|s| s.id == result.session) {
                    Some(session) => session,
                    None => {
                        checked.push(self.session(result.session)?);
                        &checked[checked.len() - 1]
                    }
                };
                if session.closed {
                    return Err(StoreError::SessionClosed(session.id));
                }
                if !session.rubric_ids.iter().any(|id| id == result.rubric_id) {
                    return Err(StoreError::RubricNotInSession {
                        session: session.id,
                        rubric: result.rubric_id.to_string(),
                    });
                }
                let id = ResultId::random();
                let alias_ref = self.alias_ref(result.session, result.alias)?;
                insert
                    .execute(params![
                        id.to_string(),
                        result.session.to_string(),
                        result.rubric_id,
                        result.rubric_version,
                        result.bundle_hash,
                        alias_ref,
                        result.answers_json,
                        result.report_json,
                        result.engine_result,
                    ])
                    .map_err(|e| self.err(e))?;
                ids.push(id);
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        self.workshop_data_changed();
        Ok(ids)
    }

    /// Every result of a session, in the order of their random ids (so in
    /// no meaningful order). Individual data: for the participant's own
    /// result and facilitator exports only, never for group screens.
    pub fn workshop_results(&self, session: SessionId) -> Result<Vec<WorkshopResult>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{SELECT_WORKSHOP_RESULT} WHERE r.session = ?1 ORDER BY r.uuid"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([session.to_string()], |r| Ok(read_workshop_result(r)))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(|e| self.err(e))??);
        }
        Ok(out)
    }

    /// One workshop result by id, if it exists.
    pub fn workshop_result(&self, id: ResultId) -> Result<Option<WorkshopResult>, StoreError> {
        self.conn
            .query_row(
                &format!("{SELECT_WORKSHOP_RESULT} WHERE r.uuid = ?1"),
                [id.to_string()],
                |r| Ok(read_workshop_result(r)),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .transpose()
    }

    /// Number of results per rubric id in a session, sorted by rubric id
    /// (rubrics without results are left out).
    pub fn workshop_counts(&self, session: SessionId) -> Result<Vec<(String, usize)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT rubric_id, count(*) FROM workshop_results WHERE session = ?1
                 GROUP BY rubric_id ORDER BY rubric_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([session.to_string()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(|e| self.err(e))?;
        rows.map(|row| {
            row.map(|(id, n)| (id, usize::try_from(n).unwrap_or(0)))
                .map_err(|e| self.err(e))
        })
        .collect()
    }

    /// Calls `each` with the engine part of every result of a session,
    /// grouped by rubric id, read from the covering index only.
    pub(crate) fn for_each_engine_row(
        &self,
        session: SessionId,
        each: impl FnMut(EngineRow<'_>),
    ) -> Result<(), StoreError> {
        self.engine_rows("", session, each)
    }

    /// As [`ResultsStore::for_each_engine_row`], in the session index's
    /// order: by rubric, version, encoded engine result, then random id.
    /// An order of content, which says nothing about when a row came, and
    /// the same for the same results on any kiosk.
    pub(crate) fn for_each_engine_row_in_index_order(
        &self,
        session: SessionId,
        each: impl FnMut(EngineRow<'_>),
    ) -> Result<(), StoreError> {
        self.engine_rows(
            "ORDER BY rubric_id, rubric_version, engine_result, uuid",
            session,
            each,
        )
    }

    fn engine_rows(
        &self,
        order: &str,
        session: SessionId,
        mut each: impl FnMut(EngineRow<'_>),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT rubric_id, rubric_version, engine_result FROM workshop_results
                 INDEXED BY workshop_results_by_session WHERE session = ?1 {order}"
            ))
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([session.to_string()]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let rubric_id = row.get_ref(0).and_then(|v| Ok(v.as_str()?));
            let version = row.get::<_, u16>(1);
            let blob = row.get_ref(2).and_then(|v| Ok(v.as_blob()?));
            if let (Ok(rubric_id), Ok(rubric_version), Ok(engine_result)) =
                (rubric_id, version, blob)
            {
                each(EngineRow {
                    rubric_id,
                    rubric_version,
                    engine_result,
                });
            }
        }
        Ok(())
    }

    /// Stores the outcome of a peer round about the participant result
    /// `result` (replacing an earlier one). Only the outcome is kept.
    pub fn save_peer_round(
        &self,
        result: ResultId,
        outcome: &PeerRoundOutcome,
    ) -> Result<(), StoreError> {
        let (area, spread) = match outcome {
            PeerRoundOutcome::DevelopmentArea(id) => (Some(id.as_str()), None),
            PeerRoundOutcome::Spread(spread) => (
                None,
                Some(
                    serde_json::to_string(spread).map_err(|e| StoreError::BadRecord {
                        table: "peer_rounds",
                        key: result.to_string(),
                        reason: e.to_string(),
                    })?,
                ),
            ),
        };
        self.conn
            .execute(
                "INSERT OR REPLACE INTO peer_rounds (result, development_area, spread_json) VALUES (?1, ?2, ?3)",
                params![result.to_string(), area, spread],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The outcome of the peer round about `result`, if one was run.
    pub fn peer_round(&self, result: ResultId) -> Result<Option<PeerRoundOutcome>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT development_area, spread_json FROM peer_rounds WHERE result = ?1",
                [result.to_string()],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let bad = |reason: String| StoreError::BadRecord {
            table: "peer_rounds",
            key: result.to_string(),
            reason,
        };
        match row {
            None => Ok(None),
            Some((Some(area), _)) => Ok(Some(PeerRoundOutcome::DevelopmentArea(area))),
            Some((None, Some(spread))) => serde_json::from_str(&spread)
                .map(|s| Some(PeerRoundOutcome::Spread(s)))
                .map_err(|e| bad(e.to_string())),
            Some((None, None)) => Err(bad("neither a development area nor a spread".into())),
        }
    }
}

fn read_session(r: &rusqlite::Row<'_>) -> Result<Session, StoreError> {
    let key = r.get::<_, String>(0).unwrap_or_default();
    let bad = |reason: String| StoreError::BadRecord {
        table: "sessions",
        key: key.clone(),
        reason,
    };
    let sql = |e: rusqlite::Error| bad(e.to_string());
    let rubric_ids: String = r.get(2).map_err(sql)?;
    Ok(Session {
        id: SessionId(parse_uuid(r, 0).map_err(sql)?),
        name: r.get(1).map_err(sql)?,
        rubric_ids: serde_json::from_str(&rubric_ids).map_err(|e| bad(e.to_string()))?,
        min_group: r.get(3).map_err(sql)?,
        show_own_result: r.get(4).map_err(sql)?,
        hide_until_revealed: r.get(5).map_err(sql)?,
        revealed: r.get(6).map_err(sql)?,
        closed: r.get(7).map_err(sql)?,
        date: r
            .get::<_, String>(8)
            .map_err(sql)?
            .parse()
            .map_err(|e: crate::records::SessionConfigError| bad(e.to_string()))?,
    })
}

fn read_workshop_result(r: &rusqlite::Row<'_>) -> Result<WorkshopResult, StoreError> {
    let key = r.get::<_, String>(0).unwrap_or_default();
    let sql = |e: rusqlite::Error| StoreError::BadRecord {
        table: "workshop_results",
        key: key.clone(),
        reason: e.to_string(),
    };
    Ok(WorkshopResult {
        id: ResultId(parse_uuid(r, 0).map_err(sql)?),
        session: SessionId(parse_uuid(r, 1).map_err(sql)?),
        rubric_id: r.get(2).map_err(sql)?,
        rubric_version: r.get(3).map_err(sql)?,
        bundle_hash: r.get(4).map_err(sql)?,
        alias: r.get(5).map_err(sql)?,
        answers_json: r.get(6).map_err(sql)?,
        report_json: r.get(7).map_err(sql)?,
        engine_result: r.get(8).map_err(sql)?,
    })
}
