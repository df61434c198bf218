//! Phones in a workshop, on [`ResultsStore`]: each session's join secret,
//! and each phone participant's answers in progress, so that a phone that
//! locks, reloads or meets a restarted kiosk resumes where it was.
//!
//! A participant is known by the SHA-256 of its cookie token; the token
//! itself is never stored. Rows carry no time and come back in no order.

use rusqlite::{params, OptionalExtension};

use super::error::StoreError;
use super::results_store::parse_uuid;
use super::results_store::ResultsStore;
use super::workshop_store::WORKSHOP_RESULT_COLUMNS;
use crate::records::{NewWorkshopResult, ResultId, SessionId};

/// A session's phone access: the secret in the join URL, the short code,
/// and whether new phones may join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneAccess {
    /// The session.
    pub session: SessionId,
    /// The random secret every page's URL carries.
    pub join_secret: String,
    /// The 6-character code of the short URL.
    pub join_code: String,
    /// Whether new phones may join (those already in may always finish).
    pub joining_open: bool,
}

/// Where a phone participant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneStage {
    /// Answering the rubric at `rubric_index`.
    Answering,
    /// Looking at the result of the rubric at `rubric_index` (saved).
    Result,
}

impl PhoneStage {
    fn as_str(self) -> &'static str {
        match self {
            PhoneStage::Answering => "answering",
            PhoneStage::Result => "result",
        }
    }
}

/// One phone participant's saved state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneParticipant {
    /// SHA-256 (hex) of the participant's cookie token.
    pub token_hash: String,
    /// The session.
    pub session: SessionId,
    /// The anti-forgery value every form of this participant carries.
    pub form_key: String,
    /// Which of the session's rubrics (by position).
    pub rubric_index: usize,
    /// Answering, or looking at a saved result.
    pub stage: PhoneStage,
    /// Answers so far to the current rubric, JSON keyed by item id.
    pub answers_json: String,
    /// The current item's index.
    pub cursor: usize,
    /// The result of the rubric last completed, if any.
    pub last_result: Option<ResultId>,
    /// Whether every rubric of the session is done.
    pub finished: bool,
}

/// How many phones a session has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhoneCounts {
    /// Phones that joined.
    pub joined: usize,
    /// Phones that completed every rubric of the session.
    pub finished: usize,
}

impl PhoneCounts {
    /// Phones that joined and have not finished.
    pub fn mid_way(&self) -> usize {
        self.joined.saturating_sub(self.finished)
    }
}

const PARTICIPANT_COLUMNS: &str =
    "token_hash, session, form_key, rubric_index, stage, answers_json, cursor, last_result, finished";

impl ResultsStore {
    /// Begins the transaction that a batch of phone requests runs in (the
    /// phone server's one writer; see `serve::writer`).
    pub fn begin_batch(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    /// Commits the batch: everything in it is on disk when this returns `Ok`.
    pub fn commit_batch(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))?;
        self.rewrite_in_key_order();
        Ok(())
    }

    /// Abandons the batch (after a failed commit).
    pub fn rollback_batch(&self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Runs `f` so that all of its changes happen or none: in a savepoint
    /// inside a batch, or in its own immediate transaction outside one.
    fn atomically<T>(&self, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
        let outer = self.conn.is_autocommit();
        let (begin, keep, undo) = if outer {
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        } else {
            (
                "SAVEPOINT phone_step",
                "RELEASE phone_step",
                "ROLLBACK TO phone_step; RELEASE phone_step",
            )
        };
        self.conn.execute_batch(begin).map_err(|e| self.err(e))?;
        match f() {
            Ok(value) => match self.conn.execute_batch(keep) {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch(undo);
                    Err(self.err(e))
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch(undo);
                Err(e)
            }
        }
    }

    /// The phone access of `session`, created (joining open) with
    /// `new_secret` and `new_code` if the session has none yet. Joining is
    /// opened again when it exists. Refused for a closed session.
    pub fn open_phone_access(
        &self,
        session: SessionId,
        new_secret: &str,
        new_code: &str,
    ) -> Result<PhoneAccess, StoreError> {
        if self.session(session)?.closed {
            return Err(StoreError::SessionClosed(session));
        }
        self.conn
            .execute(
                "INSERT INTO phone_sessions (session, join_secret, join_code, joining_open)
                 VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (session) DO UPDATE SET joining_open = 1",
                params![session.to_string(), new_secret, new_code],
            )
            .map_err(|e| self.err(e))?;
        self.phone_access(session)?
            .ok_or(StoreError::NoSuchSession(session))
    }

    /// The phone access of `session`, if phones were ever let in.
    pub fn phone_access(&self, session: SessionId) -> Result<Option<PhoneAccess>, StoreError> {
        self.conn
            .query_row(
                "SELECT join_secret, join_code, joining_open FROM phone_sessions WHERE session = ?1",
                [session.to_string()],
                |r| {
                    Ok(PhoneAccess {
                        session,
                        join_secret: r.get(0)?,
                        join_code: r.get(1)?,
                        joining_open: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Lets new phones join `session`, or stops them.
    pub fn set_phone_joining(&self, session: SessionId, open: bool) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE phone_sessions SET joining_open = ?1 WHERE session = ?2",
                params![open, session.to_string()],
            )
            .map_err(|e| self.err(e))?;
        if changed == 0 {
            return Err(StoreError::NoSuchSession(session));
        }
        Ok(())
    }

    /// Adds a phone participant, unless joining is closed, the session is
    /// closed, or it already has `max` phones: then `Ok(false)` and nothing
    /// is written.
    pub fn add_phone_participant(
        &self,
        session: SessionId,
        token_hash: &str,
        form_key: &str,
        max: usize,
    ) -> Result<bool, StoreError> {
        self.atomically(|| {
            let open: Option<bool> = self
                .conn
                .query_row(
                    "SELECT joining_open FROM phone_sessions JOIN sessions ON sessions.uuid = phone_sessions.session
                     WHERE phone_sessions.session = ?1 AND sessions.closed = 0",
                    [session.to_string()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.err(e))?;
            let joined: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) + coalesce((SELECT forgotten_finished FROM phone_sessions
                     WHERE session = ?1), 0) FROM phone_participants WHERE session = ?1",
                    [session.to_string()],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            if open != Some(true) || usize::try_from(joined).unwrap_or(usize::MAX) >= max {
                return Ok(false);
            }
            self.conn
                .execute(
                    "INSERT INTO phone_participants (token_hash, session, form_key) VALUES (?1, ?2, ?3)",
                    params![token_hash, session.to_string(), form_key],
                )
                .map_err(|e| self.err(e))?;
            Ok(true)
        })
    }

    /// The participant of `session` whose token hashes to `token_hash`.
    pub fn phone_participant(
        &self,
        session: SessionId,
        token_hash: &str,
    ) -> Result<Option<PhoneParticipant>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {PARTICIPANT_COLUMNS} FROM phone_participants WHERE token_hash = ?1 AND session = ?2"
            ))
            .map_err(|e| self.err(e))?
            .query_row(params![token_hash, session.to_string()], read_participant)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Saves a participant's answers in progress (stage, rubric, answers,
    /// cursor); the token, session and form key never change.
    pub fn save_phone_progress(&self, p: &PhoneParticipant) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE phone_participants SET rubric_index = ?1, stage = ?2, answers_json = ?3,
                 cursor = ?4, finished = ?5 WHERE token_hash = ?6 AND session = ?7",
            )
            .map_err(|e| self.err(e))?
            .execute(params![
                p.rubric_index as i64,
                p.stage.as_str(),
                p.answers_json,
                p.cursor as i64,
                p.finished,
                p.token_hash,
                p.session.to_string(),
            ])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Stores a phone participant's completed rubric and moves the
    /// participant to its result, in one transaction: after a crash either
    /// both happened or neither. Refused like
    /// [`ResultsStore::save_workshop_result`]; `p.last_result` is set to the
    /// new id.
    pub fn save_phone_result(
        &self,
        p: &mut PhoneParticipant,
        result: &NewWorkshopResult<'_>,
    ) -> Result<ResultId, StoreError> {
        let id = self.atomically(|| {
            let session = self.session(result.session)?;
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
            self.conn
                .execute(
                    &format!(
                        "INSERT INTO workshop_results ({WORKSHOP_RESULT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                    ),
                    params![
                        id.to_string(),
                        result.session.to_string(),
                        result.rubric_id,
                        result.rubric_version,
                        result.bundle_hash,
                        alias_ref,
                        result.answers_json,
                        result.report_json,
                        result.engine_result,
                    ],
                )
                .map_err(|e| self.err(e))?;
            self.conn
                .execute(
                    "UPDATE phone_participants SET stage = 'result', answers_json = '{}', cursor = 0,
                     last_result = ?1, finished = ?2 WHERE token_hash = ?3 AND session = ?4",
                    params![id.to_string(), p.finished, p.token_hash, p.session.to_string()],
                )
                .map_err(|e| self.err(e))?;
            Ok(id)
        })?;
        self.workshop_data_changed();
        p.stage = PhoneStage::Result;
        p.answers_json = "{}".into();
        p.cursor = 0;
        p.last_result = Some(id);
        Ok(id)
    }

    /// Forgets the participant of `session` whose token hashes to
    /// `token_hash` (its Finish): its row, with its answers in progress and
    /// its link to its last result, is deleted and its bytes zeroed; if it
    /// had finished, only the count of finished phones remembers it.
    /// `Ok(false)` when there is no such participant.
    pub fn forget_phone_participant(
        &self,
        session: SessionId,
        token_hash: &str,
    ) -> Result<bool, StoreError> {
        let forgotten = self.atomically(|| {
            let finished: Option<bool> = self
                .conn
                .query_row(
                    "DELETE FROM phone_participants WHERE token_hash = ?1 AND session = ?2
                     RETURNING finished",
                    params![token_hash, session.to_string()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.err(e))?;
            if finished == Some(true) {
                self.conn
                    .execute(
                        "UPDATE phone_sessions SET forgotten_finished = forgotten_finished + 1
                         WHERE session = ?1",
                        [session.to_string()],
                    )
                    .map_err(|e| self.err(e))?;
            }
            Ok(finished.is_some())
        })?;
        if forgotten {
            self.workshop_data_changed();
        }
        Ok(forgotten)
    }

    /// How many phones joined `session`, and how many finished (phones
    /// forgotten after finishing count as joined and finished; one that
    /// left before finishing no longer counts).
    pub fn phone_counts(&self, session: SessionId) -> Result<PhoneCounts, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT count(*), coalesce(sum(finished), 0),
                 coalesce((SELECT forgotten_finished FROM phone_sessions WHERE session = ?1), 0)
                 FROM phone_participants WHERE session = ?1",
            )
            .map_err(|e| self.err(e))?
            .query_row([session.to_string()], |r| {
                let count = |i| r.get::<_, i64>(i).map(|n| usize::try_from(n).unwrap_or(0));
                let gone = count(2)?;
                Ok(PhoneCounts {
                    joined: count(0)? + gone,
                    finished: count(1)? + gone,
                })
            })
            .map_err(|e| self.err(e))
    }
}

fn read_participant(r: &rusqlite::Row<'_>) -> rusqlite::Result<PhoneParticipant> {
    let stage: String = r.get(4)?;
    let last_result = match r.get_ref(7)? {
        rusqlite::types::ValueRef::Null => None,
        _ => Some(ResultId(parse_uuid(r, 7)?)),
    };
    Ok(PhoneParticipant {
        token_hash: r.get(0)?,
        session: SessionId(parse_uuid(r, 1)?),
        form_key: r.get(2)?,
        rubric_index: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
        stage: if stage == "result" {
            PhoneStage::Result
        } else {
            PhoneStage::Answering
        },
        answers_json: r.get(5)?,
        cursor: usize::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        last_result,
        finished: r.get(8)?,
    })
}
