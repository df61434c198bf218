//! What one phone request does: the participant's saved state is read,
//! the engine's runner decides, the new state is written, and a page or a
//! redirect comes back. Synchronous; the server runs it off the async
//! threads with the store locked.
//!
//! A request that is malformed, stale (a form for a question that is no
//! longer current) or forged (a wrong anti-forgery value) changes nothing.

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::Answer;
use rubrics::report::ResultReport;

use super::html::{self, Question, ResultView};
use super::{random_hex, token_hash, Event, Shared};
use crate::attempt::Attempt;
use crate::store::{InProgress, PhoneParticipant, PhoneStage, ResultsStore, StoreError};
use crate::workshop::take_home::report_summary;
use crate::workshop::NewWorkshopResult;

/// Longest free-text answer, in characters: a few paragraphs, and short
/// enough that even in emoji or Chinese (4 or 3 bytes each, percent-encoded
/// to 12 or 9) the form fits in [`super::MAX_BODY_BYTES`].
pub const MAX_TEXT_CHARS: usize = 1200;

/// What a request gets back.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A page with a status code.
    Page(u16, String),
    /// 303 See Other to a path, optionally setting the participant cookie.
    Redirect { to: String, cookie: Option<String> },
    /// A page, and an event for the facilitator's screens.
    Notify(Box<Reply>, Event),
}

fn redirect(to: String) -> Reply {
    Reply::Redirect { to, cookie: None }
}

fn bad_request(text: &str) -> Reply {
    Reply::Page(400, html::message_page("Something went wrong", text))
}

pub(crate) fn store_failed(e: &StoreError) -> Reply {
    log::warn!("phone request failed in the store: {e}");
    match e {
        StoreError::SessionClosed(_) => Reply::Page(
            409,
            html::message_page(
                "The session is closed",
                "The facilitator has closed this workshop session, so no more answers are taken.",
            ),
        ),
        _ => Reply::Page(
            503,
            html::message_page(
                "Not saved",
                "The kiosk could not save this just now. Your earlier answers are safe; try again in a moment.",
            ),
        ),
    }
}

/// Where the button of a form leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Go {
    Next,
    Back,
    NextRubric,
}

/// A posted question form, checked for shape (not yet against the rubric).
#[derive(Debug, Default)]
pub(crate) struct Form {
    key: String,
    item: Option<usize>,
    go: Option<Go>,
    value: Option<String>,
    choices: Vec<usize>,
    text: Option<String>,
}

impl Form {
    /// Parses `application/x-www-form-urlencoded`; unknown or repeated
    /// fields make it malformed.
    pub(crate) fn parse(body: &[u8]) -> Result<Form, &'static str> {
        let mut form = Form::default();
        let mut seen_key = false;
        for (name, value) in form_urlencoded::parse(body) {
            let once = |slot: &mut Option<String>| {
                if slot.replace(value.to_string()).is_some() {
                    Err("a field was sent twice")
                } else {
                    Ok(())
                }
            };
            match &*name {
                "k" if !seen_key => {
                    seen_key = true;
                    form.key = value.to_string();
                }
                "i" if form.item.is_none() => {
                    form.item = Some(
                        value
                            .parse()
                            .map_err(|_| "the question number is not a number")?,
                    );
                }
                "go" if form.go.is_none() => {
                    form.go = Some(match &*value {
                        "next" => Go::Next,
                        "back" => Go::Back,
                        "next-rubric" => Go::NextRubric,
                        _ => return Err("unknown button"),
                    });
                }
                "v" => once(&mut form.value)?,
                "t" => once(&mut form.text)?,
                "c" => {
                    let n: usize = value.parse().map_err(|_| "an option is not a number")?;
                    if n >= 16 || form.choices.contains(&n) {
                        return Err("an option is out of range");
                    }
                    form.choices.push(n);
                }
                _ => return Err("unexpected field"),
            }
        }
        if !seen_key {
            return Err("the form is incomplete");
        }
        Ok(form)
    }

    /// The answer this form gives to an item of `kind`: `Ok(None)` when it
    /// gives none, `Err` when what it gives cannot be an answer to it.
    fn answer(
        &self,
        kind: &ItemKind<'_>,
    ) -> Result<Option<(Answer, Option<String>)>, &'static str> {
        let value = self
            .value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let bad = "the answer does not fit the question";
        Ok(match *kind {
            ItemKind::Scale { min, max, .. } => match value {
                None => None,
                Some(v) => {
                    let level: u8 = v.parse().map_err(|_| bad)?;
                    if !(min..=max).contains(&level) {
                        return Err(bad);
                    }
                    Some((Answer::Level(level), None))
                }
            },
            ItemKind::YesNo { .. } => match value {
                None => None,
                Some("yes") => Some((Answer::YesNo(true), None)),
                Some("no") => Some((Answer::YesNo(false), None)),
                Some(_) => return Err(bad),
            },
            ItemKind::Single { options } => match value {
                None => None,
                Some(v) => {
                    let n: u8 = v.parse().map_err(|_| bad)?;
                    if usize::from(n) >= options.len() {
                        return Err(bad);
                    }
                    Some((Answer::Choice(n), None))
                }
            },
            ItemKind::Multi { options } => {
                let mut mask = 0u16;
                for &n in &self.choices {
                    if n >= options.len() {
                        return Err(bad);
                    }
                    mask |= 1 << n;
                }
                (mask != 0).then_some((Answer::Choices(mask), None))
            }
            ItemKind::Count { min, max, .. } => match value {
                None => None,
                Some(v) => {
                    let n: u32 = v.parse().map_err(|_| bad)?;
                    if !(min..=max).contains(&n) {
                        return Err(bad);
                    }
                    Some((Answer::Count(n), None))
                }
            },
            ItemKind::Text => {
                let text = self.text.as_deref().unwrap_or("");
                if text.chars().count() > MAX_TEXT_CHARS {
                    return Err("the text is too long");
                }
                (!text.trim().is_empty()).then(|| (Answer::Text, Some(text.to_string())))
            }
        })
    }
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

    fn rubric(&self, index: usize) -> Option<Rubric<'static>> {
        let id = self.shared.rubric_ids.get(index)?;
        self.shared.library.bundle.rubric(id)
    }

    fn participant(&self, token: Option<&str>) -> Result<Option<PhoneParticipant>, StoreError> {
        match token {
            Some(token) => self
                .store
                .phone_participant(self.shared.session, &token_hash(token)),
            None => Ok(None),
        }
    }

    fn counts_event(&self, make: fn(crate::store::PhoneCounts) -> Event) -> Option<Event> {
        self.store.phone_counts(self.shared.session).ok().map(make)
    }

    /// `GET /s/SECRET/`: the join page, or back to where a known phone was.
    pub(crate) fn join_page(&self, token: Option<&str>) -> Reply {
        match self.participant(token) {
            Ok(Some(_)) => redirect(format!("{}/q", self.base())),
            Ok(None) => {
                let rubrics: Vec<Rubric<'static>> = (0..self.shared.rubric_ids.len())
                    .filter_map(|i| self.rubric(i))
                    .collect();
                Reply::Page(
                    200,
                    html::join_page(&self.base(), &self.shared.session_name, &rubrics),
                )
            }
            Err(e) => store_failed(&e),
        }
    }

    /// `POST /s/SECRET/join`: a new participant with a fresh token.
    pub(crate) fn join(&self, token: Option<&str>) -> Reply {
        match self.participant(token) {
            Ok(Some(_)) => return redirect(format!("{}/q", self.base())),
            Ok(None) => {}
            Err(e) => return store_failed(&e),
        }
        let token = random_hex();
        let added = self.store.add_phone_participant(
            self.shared.session,
            &token_hash(&token),
            &random_hex(),
            self.shared.options.max_participants,
        );
        match added {
            Ok(true) => {
                let reply = Reply::Redirect {
                    to: format!("{}/q", self.base()),
                    cookie: Some(token),
                };
                match self.counts_event(Event::Joined) {
                    Some(event) => Reply::Notify(Box::new(reply), event),
                    None => reply,
                }
            }
            Ok(false) => Reply::Page(
                403,
                html::message_page(
                    "Not taking new participants",
                    "This workshop is not letting more phones join just now. Ask the facilitator.",
                ),
            ),
            Err(e) => store_failed(&e),
        }
    }

    /// `GET /s/SECRET/q`: the participant's current page.
    pub(crate) fn current_page(&self, token: Option<&str>, needs_answer: bool) -> Reply {
        let p = match self.participant(token) {
            Ok(Some(p)) => p,
            Ok(None) => return redirect(format!("{}/", self.base())),
            Err(e) => return store_failed(&e),
        };
        match p.stage {
            PhoneStage::Result => self.result_page(&p),
            PhoneStage::Answering => match self.attempt(&p) {
                Some(mut attempt) => {
                    if attempt.runner.current().is_none() {
                        // At the end but incomplete: the first missing answer.
                        let missing = attempt.runner.missing_required().next();
                        if let Some(missing) = missing {
                            attempt.runner.go_to(missing);
                        }
                    }
                    self.question_page(&p, &attempt, needs_answer)
                }
                None => bad_request("The saved answers cannot be read."),
            },
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

    fn question_page(&self, p: &PhoneParticipant, attempt: &Attempt, needs_answer: bool) -> Reply {
        let Some(index) = attempt.runner.current() else {
            return bad_request("There is no question to show.");
        };
        let runner = &attempt.runner;
        let visible = (0..attempt.rubric().items.len())
            .filter(|&i| runner.is_visible(i))
            .count();
        let at = (0..=index).filter(|&i| runner.is_visible(i)).count();
        let base = self.base();
        Reply::Page(
            200,
            html::question_page(&Question {
                base: &base,
                form_key: &p.form_key,
                rubric: attempt.rubric(),
                index,
                answer: runner.answer_of(index),
                text: attempt.text(index),
                position: (at, visible),
                can_go_back: !runner.at_first(),
                needs_answer,
            }),
        )
    }

    fn result_page(&self, p: &PhoneParticipant) -> Reply {
        let Some(rubric) = self.rubric(p.rubric_index) else {
            return bad_request("This rubric is no longer in the session.");
        };
        let stored = match p.last_result.map(|id| self.store.workshop_result(id)) {
            Some(Ok(Some(stored))) => stored,
            Some(Err(e)) => return store_failed(&e),
            _ => return bad_request("The saved result cannot be found."),
        };
        let report: Option<ResultReport> = self
            .shared
            .show_own_result
            .then(|| serde_json::from_str(&stored.report_json).ok())
            .flatten();
        let take_home = report.as_ref().map(|r| report_summary(rubric.title, r));
        let next = self.rubric(p.rubric_index + 1);
        let base = self.base();
        Reply::Page(
            200,
            html::result_page(&ResultView {
                base: &base,
                form_key: &p.form_key,
                title: rubric.title,
                report: report.as_ref(),
                take_home: take_home.as_deref(),
                next: next.map(|r| r.title),
            }),
        )
    }

    /// `POST /s/SECRET/q`: an answer, Back, Next, or the next rubric.
    pub(crate) fn post(&self, token: Option<&str>, body: &[u8]) -> Reply {
        let form = match Form::parse(body) {
            Ok(form) => form,
            Err(why) => return bad_request(&format!("The form could not be read: {why}.")),
        };
        let mut p = match self.participant(token) {
            Ok(Some(p)) => p,
            Ok(None) => {
                return Reply::Page(
                    403,
                    html::message_page(
                        "Not joined",
                        "This phone has not joined the workshop (or its cookie was cleared). Scan the code again.",
                    ),
                )
            }
            Err(e) => return store_failed(&e),
        };
        if !constant_time_eq(form.key.as_bytes(), p.form_key.as_bytes()) {
            return Reply::Page(
                403,
                html::message_page("Form refused", "This form did not come from your own page."),
            );
        }
        let here = redirect(format!("{}/q", self.base()));
        match (p.stage, form.go) {
            (PhoneStage::Result, Some(Go::NextRubric)) => {
                if self.rubric(p.rubric_index + 1).is_none() {
                    return here;
                }
                p.rubric_index += 1;
                p.stage = PhoneStage::Answering;
                p.answers_json = "{}".into();
                p.cursor = 0;
                match self.store.save_phone_progress(&p) {
                    Ok(()) => here,
                    Err(e) => store_failed(&e),
                }
            }
            (PhoneStage::Answering, Some(go @ (Go::Next | Go::Back))) => {
                self.answer(&mut p, &form, go)
            }
            // A form from an earlier page (a second tap, a reload): nothing changes.
            _ => here,
        }
    }

    fn answer(&self, p: &mut PhoneParticipant, form: &Form, go: Go) -> Reply {
        let here = redirect(format!("{}/q", self.base()));
        let Some(mut attempt) = self.attempt(p) else {
            return bad_request("The saved answers cannot be read.");
        };
        let Some(index) = attempt
            .runner
            .current()
            .or_else(|| attempt.runner.missing_required().next())
        else {
            return here;
        };
        if form.item != Some(index) {
            return here;
        }
        let Some(item) = attempt.rubric().item(index) else {
            return here;
        };
        let answer = match form.answer(&item.kind) {
            Ok(answer) => answer,
            Err(why) => return bad_request(&format!("The answer could not be used: {why}.")),
        };
        if go == Go::Next && answer.is_none() && item.required {
            return redirect(format!("{}/q?need=1", self.base()));
        }
        attempt.runner.go_to(index);
        let applied = match answer {
            Some((Answer::Text, Some(text))) => attempt.set_text(index, text),
            Some((answer, _)) => attempt.runner.set_answer(index, answer),
            None if matches!(item.kind, ItemKind::Text) => attempt.set_text(index, String::new()),
            None => attempt.runner.set_answer(index, Answer::Unanswered),
        };
        if applied.is_err() {
            return bad_request("The answer does not fit the question.");
        }
        if go == Go::Back {
            attempt.runner.back();
        } else if attempt.runner.next_visible().is_err() {
            return redirect(format!("{}/q?need=1", self.base()));
        }
        if attempt.runner.current().is_none() && attempt.runner.is_complete() {
            return self.complete(p, &attempt);
        }
        p.answers_json = attempt.answers_json();
        p.cursor = attempt.runner.current().unwrap_or(usize::MAX >> 1);
        match self.store.save_phone_progress(p) {
            Ok(()) => here,
            Err(e) => store_failed(&e),
        }
    }

    fn complete(&self, p: &mut PhoneParticipant, attempt: &Attempt) -> Reply {
        let completed = attempt.complete();
        let encoded = match completed.encoded() {
            Ok(encoded) => encoded,
            Err(e) => {
                log::warn!("a phone's result could not be encoded: {e}");
                return bad_request("The result could not be prepared for saving.");
            }
        };
        let row =
            NewWorkshopResult::from_completed(&completed, &encoded, self.shared.session, None);
        p.finished = p.rubric_index + 1 >= self.shared.rubric_ids.len();
        match self.store.save_phone_result(p, &row) {
            Ok(_) => {
                let reply = redirect(format!("{}/q", self.base()));
                match self.counts_event(Event::ResultSaved) {
                    Some(event) => Reply::Notify(Box::new(reply), event),
                    None => reply,
                }
            }
            Err(e) => {
                p.finished = false;
                store_failed(&e)
            }
        }
    }
}

/// Compares without stopping at the first difference.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
