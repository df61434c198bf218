//! Everything a phone request can be refused for, as one enum, worded for
//! the person holding the phone only when it becomes a response
//! ([`IntoResponse`]), the way axum's own examples turn an error into a
//! page.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::form::{AnswerError, FormError};
use super::pages::{message_page, RenderError};
use super::response::HtmlPage;
use crate::store::StoreError;

/// Why a phone request was refused or failed. None of them changes what
/// the store holds.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum PhoneError {
    /// The posted form has the wrong shape.
    #[error("the form could not be read: {0}")]
    BadForm(#[from] FormError),
    /// The body was not sent as `application/x-www-form-urlencoded`.
    #[error("the body was not sent as a form")]
    NotAForm,
    /// The body did not arrive whole or did not decode.
    #[error("the body could not be read")]
    BodyUnreadable,
    /// The form's answer is not one the current question has.
    #[error("the answer could not be used: {0}")]
    AnswerRejected(AnswerError),
    /// The engine would not take the answer for the question.
    #[error("the answer does not fit the question")]
    AnswerNotApplied,
    /// The participant's saved answers no longer resume.
    #[error("the saved answers cannot be read")]
    AnswersUnreadable,
    /// The participant is answering but no question is left to show.
    #[error("there is no question to show")]
    NoQuestion,
    /// The rubric has no item with the index the runner gave.
    #[error("the question does not exist")]
    QuestionMissing,
    /// The participant's rubric is not in the session any more.
    #[error("the rubric is no longer in the session")]
    RubricGone,
    /// The participant's saved result is not in the store.
    #[error("the saved result cannot be found")]
    ResultMissing,
    /// The completed result could not be encoded.
    #[error("the result could not be prepared for saving")]
    ResultNotEncoded,
    /// No participant with this phone's cookie.
    #[error("the phone has not joined")]
    NotJoined,
    /// The form's anti-forgery value is not this participant's.
    #[error("the form did not come from the participant's own page")]
    FormRefused,
    /// This device address has started as many participants as it may.
    #[error("this device has started as many participants as it may")]
    DeviceFull,
    /// Joining is closed, or the session has all the phones it takes.
    #[error("the session takes no new participants")]
    JoiningClosed,
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The batch with this request's changes was not committed (the cause
    /// is logged where it happened).
    #[error("the changes were not committed")]
    NotCommitted,
    /// The store's thread is gone (the server is stopping).
    #[error("the phone server's store is not running")]
    Unavailable,
    /// The body is over the 16 KiB limit.
    #[error("the request body is too large")]
    TooLarge,
    /// No such page, or a wrong join secret or code.
    #[error("no such page")]
    NotFound,
    /// The client's address has used up its requests for now.
    #[error("too many requests from one address")]
    SlowDown,
    /// A page could not be rendered.
    #[error("a page could not be rendered: {0}")]
    Render(#[from] RenderError),
}

impl PhoneError {
    /// A failed commit, as the store error it was when the phone can act
    /// on it (a closed session), else [`PhoneError::NotCommitted`].
    pub(crate) fn not_committed(e: &StoreError) -> PhoneError {
        log::warn!("a phone request was not committed: {e}");
        match e {
            StoreError::SessionClosed(id) => PhoneError::Store(StoreError::SessionClosed(*id)),
            _ => PhoneError::NotCommitted,
        }
    }

    fn status(&self) -> StatusCode {
        use PhoneError::*;
        match self {
            BadForm(_) | BodyUnreadable | AnswerRejected(_) | AnswerNotApplied
            | AnswersUnreadable | NoQuestion | RubricGone | ResultMissing | ResultNotEncoded => {
                StatusCode::BAD_REQUEST
            }
            NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            NotJoined | FormRefused | JoiningClosed | DeviceFull => StatusCode::FORBIDDEN,
            Store(StoreError::SessionClosed(_)) => StatusCode::CONFLICT,
            Store(_) | NotCommitted | Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            NotFound | QuestionMissing => StatusCode::NOT_FOUND,
            SlowDown => StatusCode::TOO_MANY_REQUESTS,
            Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page's heading and text, for the person holding the phone.
    fn wording(&self) -> (&'static str, String) {
        use PhoneError::*;
        let wrong = "Something went wrong";
        let not_saved = "The kiosk could not save this just now. Your earlier answers are safe; try again in a moment.";
        let (title, text): (&str, &str) = match self {
            BadForm(why) => return (wrong, format!("The form could not be read: {why}.")),
            NotAForm => (
                wrong,
                "The form could not be read: it was not sent as a form.",
            ),
            BodyUnreadable => (
                wrong,
                "The form could not be read: it did not arrive whole.",
            ),
            AnswerRejected(why) => return (wrong, format!("The answer could not be used: {why}.")),
            AnswerNotApplied => (wrong, "The answer does not fit the question."),
            AnswersUnreadable => (wrong, "The saved answers cannot be read."),
            NoQuestion => (wrong, "There is no question to show."),
            QuestionMissing => ("Not found", "This question does not exist."),
            RubricGone => (wrong, "This rubric is no longer in the session."),
            ResultMissing => (wrong, "The saved result cannot be found."),
            ResultNotEncoded => (wrong, "The result could not be prepared for saving."),
            NotJoined => ("Not joined", "This phone has not joined the workshop (or its cookie was cleared). Scan the code again."),
            FormRefused => ("Form refused", "This form did not come from your own page."),
            DeviceFull => ("This device has taken part already", "This phone or tablet has already started the workshop as many times as one device may. Each person takes part on their own device; ask the facilitator if you need another turn."),
            JoiningClosed => ("Not taking new participants", "This workshop is not letting more phones join just now. Ask the facilitator."),
            Store(StoreError::SessionClosed(_)) => ("The session is closed", "The facilitator has closed this workshop session, so no more answers are taken. Answers not finished before it closed were deleted, and this phone no longer holds anything of yours."),
            Store(_) | NotCommitted => ("Not saved", not_saved),
            Unavailable => ("Not saved", "The kiosk could not take this just now. Your earlier answers are safe; try again in a moment."),
            TooLarge => ("Too long to send", "This page sent more than the kiosk takes at once. Shorten your answer and send it again; your earlier answers are safe."),
            NotFound => ("Not found", "There is no such page. Scan the code on the projector again."),
            SlowDown => ("Slow down", "Too many requests from this device; wait a second and try again."),
            Render(_) => ("Something went wrong", "The kiosk could not show this page. Try again in a moment."),
        };
        (title, text.to_string())
    }
}

impl IntoResponse for PhoneError {
    fn into_response(self) -> Response {
        match &self {
            PhoneError::Store(e) => log::warn!("phone request failed in the store: {e}"),
            PhoneError::Render(e) => log::error!("a phone page could not be rendered: {e}"),
            _ => {}
        }
        let status = self.status();
        let (title, text) = self.wording();
        let mut response = match message_page(title, &text) {
            Ok(page) => HtmlPage(status, page).into_response(),
            // The message template did not render either: the words alone.
            Err(_) => (status, format!("{title}: {text}")).into_response(),
        };
        if matches!(self, PhoneError::SlowDown) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
