//! What one phone request does: the participant's saved state is read,
//! the engine's runner decides, the new state is written, and a page or a
//! redirect comes back. Synchronous; the server runs it on the store's
//! thread, inside the batch's transaction.
//!
//! A request that is malformed, stale (a form for a question that is no
//! longer current) or forged (a wrong anti-forgery value) changes nothing.

use std::net::IpAddr;

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::Answer;
use rubrics::report::ResultReport;

use super::error::PhoneError;
use super::form::{Go, QuestionForm};
use super::pages::{self, Question, ResultView};
use super::shared::{random_hex, token_hash, Event, Shared};
use crate::attempt::Attempt;
use crate::store::{InProgress, PhoneParticipant, PhoneStage, ResultsStore, StoreError};
use crate::workshop::take_home::report_summary;
use crate::workshop::NewWorkshopResult;

/// What a request that went through gets back (a refusal is a
/// [`PhoneError`]).
#[derive(Debug)]
pub(crate) enum Reply {
    /// A page (200 OK).
    Page(String),
    /// 303 See Other to a path, optionally setting the participant cookie.
    Redirect { to: String, cookie: Option<String> },
    /// A page (200 OK) that also clears the participant cookie.
    Forgotten(String),
    /// A reply, and an event for the facilitator's screens.
    Notify(Box<Reply>, Event),
}

/// What a request's work returns.
pub(crate) type Outcome = Result<Reply, PhoneError>;

fn redirect(to: String) -> Outcome {
    Ok(Reply::Redirect { to, cookie: None })
}

/// The store and what every request needs.
pub(crate) struct Ctx<'a> {
    pub store: &'a ResultsStore,
    pub shared: &'a Shared,
}

impl Ctx<'_> {
    fn base(&self) -> String {
        format!("/s/{}", self.shared.secret)
    }

    fn here(&self) -> Outcome {
        redirect(format!("{}/q", self.base()))
    }

    fn rubric(&self, index: usize) -> Option<Rubric<'static>> {
        let id = self.shared.rubric_ids.get(index)?;
        self.shared.library.bundle.rubric(id)
    }

    /// The participant with this cookie; refused once the session is
    /// closed (its phones were forgotten when it closed, and a cookie's life
    /// ends with the session).
    fn participant(&self, token: Option<&str>) -> Result<Option<PhoneParticipant>, PhoneError> {
        let session = self.store.session(self.shared.session)?;
        if session.closed {
            return Err(StoreError::SessionClosed(session.id).into());
        }
        Ok(match token {
            Some(token) => self
                .store
                .phone_participant(self.shared.session, &token_hash(token))?,
            None => None,
        })
    }

    /// `reply`, with the counts after it for the facilitator's screens.
    fn with_counts(&self, reply: Reply, make: fn(crate::store::PhoneCounts) -> Event) -> Reply {
        match self.store.phone_counts(self.shared.session) {
            Ok(counts) => Reply::Notify(Box::new(reply), make(counts)),
            Err(_) => reply,
        }
    }

    /// `GET /s/SECRET/`: the join page, or back to where a known phone was.
    pub(crate) fn join_page(&self, token: Option<&str>) -> Outcome {
        if self.participant(token)?.is_some() {
            return self.here();
        }
        let rubrics: Vec<Rubric<'static>> = (0..self.shared.rubric_ids.len())
            .filter_map(|i| self.rubric(i))
            .collect();
        let page = pages::join_page(&self.base(), &self.shared.session_name, &rubrics)?;
        Ok(Reply::Page(page))
    }

    /// `POST /s/SECRET/join`: a new participant with a fresh token, unless
    /// `device` (the client's address, when known) has started as many as
    /// it may.
    pub(crate) fn join(&self, token: Option<&str>, device: Option<IpAddr>) -> Outcome {
        if self.participant(token)?.is_some() {
            return self.here();
        }
        if !self.shared.joins.allows(device) {
            return Err(PhoneError::DeviceFull);
        }
        let token = random_hex();
        let added = self.store.add_phone_participant(
            self.shared.session,
            &token_hash(&token),
            &random_hex(),
            self.shared.options.max_participants,
        )?;
        if !added {
            return Err(PhoneError::JoiningClosed);
        }
        self.shared.joins.record(device);
        let reply = Reply::Redirect {
            to: format!("{}/q", self.base()),
            cookie: Some(token),
        };
        Ok(self.with_counts(reply, Event::Joined))
    }

    /// `GET /s/SECRET/q`: the participant's current page.
    pub(crate) fn current_page(&self, token: Option<&str>, needs_answer: bool) -> Outcome {
        let Some(p) = self.participant(token)? else {
            return redirect(format!("{}/", self.base()));
        };
        match p.stage {
            PhoneStage::Result => self.result_page(&p),
            PhoneStage::Answering => {
                let mut attempt = self.attempt(&p).ok_or(PhoneError::AnswersUnreadable)?;
                if attempt.runner.current().is_none() {
                    // At the end but incomplete: the first missing answer.
                    let missing = attempt.runner.missing_required().next();
                    if let Some(missing) = missing {
                        attempt.runner.go_to(missing);
                    }
                }
                self.question_page(&p, &attempt, needs_answer)
            }
        }
    }

    fn attempt(&self, p: &PhoneParticipant) -> Option<Attempt> {
        let rubric = self.rubric(p.rubric_index)?;
        let progress = InProgress {
            rubric_id: rubric.id.to_string(),
            bundle_hash: self.shared.library.hash_for(rubric.id).to_string(),
            answers_json: p.answers_json.clone(),
            cursor: p.cursor,
            updated_at: 0,
        };
        Attempt::resume(rubric, &progress).ok().map(|r| r.attempt)
    }

    fn question_page(
        &self,
        p: &PhoneParticipant,
        attempt: &Attempt,
        needs_answer: bool,
    ) -> Outcome {
        let index = attempt.runner.current().ok_or(PhoneError::NoQuestion)?;
        let runner = &attempt.runner;
        let visible = (0..attempt.rubric().items.len())
            .filter(|&i| runner.is_visible(i))
            .count();
        let at = (0..=index).filter(|&i| runner.is_visible(i)).count();
        let base = self.base();
        let page = pages::question_page(&Question {
            base: &base,
            form_key: &p.form_key,
            rubric: attempt.rubric(),
            index,
            answer: runner.answer_of(index),
            text: attempt.text(index),
            position: (at, visible),
            can_go_back: !runner.at_first(),
            needs_answer,
        })
        .ok_or(PhoneError::QuestionMissing)??;
        Ok(Reply::Page(page))
    }

    fn result_page(&self, p: &PhoneParticipant) -> Outcome {
        let rubric = self.rubric(p.rubric_index).ok_or(PhoneError::RubricGone)?;
        let stored = match p.last_result {
            Some(id) => self.store.workshop_result(id)?,
            None => None,
        }
        .ok_or(PhoneError::ResultMissing)?;
        let report: Option<ResultReport> = self
            .shared
            .show_own_result
            .then(|| serde_json::from_str(&stored.report_json).ok())
            .flatten();
        let take_home = report.as_ref().map(|r| report_summary(rubric.title, r));
        let next = self.rubric(p.rubric_index + 1);
        let base = self.base();
        let page = pages::result_page(&ResultView {
            base: &base,
            form_key: &p.form_key,
            title: rubric.title,
            report: report.as_ref(),
            take_home: take_home.as_deref(),
            next: next.map(|r| r.title),
        })?;
        Ok(Reply::Page(page))
    }

    /// `POST /s/SECRET/q`: an answer, Back, Next, or the next rubric; the
    /// form's fields as the extractor decoded them, or why it could not.
    pub(crate) fn post(
        &self,
        token: Option<&str>,
        fields: Result<Vec<(String, String)>, PhoneError>,
    ) -> Outcome {
        let form = QuestionForm::from_pairs(fields?).map_err(PhoneError::from)?;
        let mut p = self.participant(token)?.ok_or(PhoneError::NotJoined)?;
        if !constant_time_eq(form.key.as_bytes(), p.form_key.as_bytes()) {
            return Err(PhoneError::FormRefused);
        }
        match (p.stage, form.go) {
            (PhoneStage::Result, Some(Go::NextRubric)) => {
                if self.rubric(p.rubric_index + 1).is_none() {
                    return self.here();
                }
                p.rubric_index += 1;
                p.stage = PhoneStage::Answering;
                p.answers_json = "{}".into();
                p.cursor = 0;
                self.store.save_phone_progress(&p)?;
                self.here()
            }
            (PhoneStage::Result, Some(Go::Finish)) => self.finish(&p),
            (PhoneStage::Answering, Some(go @ (Go::Next | Go::Back))) => {
                self.answer(&mut p, &form, go)
            }
            // A form from an earlier page (a second tap, a reload): nothing changes.
            _ => self.here(),
        }
    }

    /// Finish: the participant's row goes (answers in progress, the link
    /// to the last result), the cookie is cleared, and the page says so.
    fn finish(&self, p: &PhoneParticipant) -> Outcome {
        self.store
            .forget_phone_participant(p.session, &p.token_hash)?;
        let page = pages::message_page(
            "Done: this phone has forgotten you",
            "Your results are saved in the workshop without your name. This browser no longer holds them, so you can hand it to the next person: they open the link or scan the code and start afresh.",
        )?;
        let reply = Reply::Forgotten(page);
        Ok(self.with_counts(reply, Event::Joined))
    }

    fn answer(&self, p: &mut PhoneParticipant, form: &QuestionForm, go: Go) -> Outcome {
        let mut attempt = self.attempt(p).ok_or(PhoneError::AnswersUnreadable)?;
        let Some(index) = attempt
            .runner
            .current()
            .or_else(|| attempt.runner.missing_required().next())
        else {
            return self.here();
        };
        if form.item != Some(index) {
            return self.here();
        }
        let Some(item) = attempt.rubric().item(index) else {
            return self.here();
        };
        let answer = form
            .answer(&item.kind)
            .map_err(PhoneError::AnswerRejected)?;
        let asked_again = || redirect(format!("{}/q?need=1", self.base()));
        if go == Go::Next && answer.is_none() && item.required {
            return asked_again();
        }
        attempt.runner.go_to(index);
        let applied = match answer {
            Some((Answer::Text, Some(text))) => attempt.set_text(index, text),
            Some((answer, _)) => attempt.runner.set_answer(index, answer),
            None if matches!(item.kind, ItemKind::Text) => attempt.set_text(index, String::new()),
            None => attempt.runner.set_answer(index, Answer::Unanswered),
        };
        if applied.is_err() {
            return Err(PhoneError::AnswerNotApplied);
        }
        if go == Go::Back {
            attempt.runner.back();
        } else if attempt.runner.next_visible().is_err() {
            return asked_again();
        }
        if attempt.runner.current().is_none() && attempt.runner.is_complete() {
            return self.complete(p, &attempt);
        }
        p.answers_json = attempt.answers_json();
        p.cursor = attempt.runner.current().unwrap_or(usize::MAX >> 1);
        self.store.save_phone_progress(p)?;
        self.here()
    }

    fn complete(&self, p: &mut PhoneParticipant, attempt: &Attempt) -> Outcome {
        let completed = attempt.complete();
        let encoded = completed.encoded().map_err(|e| {
            log::warn!("a phone's result could not be encoded: {e}");
            PhoneError::ResultNotEncoded
        })?;
        let row =
            NewWorkshopResult::from_completed(&completed, &encoded, self.shared.session, None);
        p.finished = p.rubric_index + 1 >= self.shared.rubric_ids.len();
        if let Err(e) = self.store.save_phone_result(p, &row) {
            p.finished = false;
            return Err(e.into());
        }
        let reply = Reply::Redirect {
            to: format!("{}/q", self.base()),
            cookie: None,
        };
        Ok(self.with_counts(reply, Event::ResultSaved))
    }
}

/// Compares without stopping at the first difference.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
