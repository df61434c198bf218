//! What a phone is told when what it sends is refused, read from the phone
//! server's real pages (through the fuzz harness's in-process server, see
//! `cross_crate_checks::kiosk_fuzzing`). `tests/HOSTILE.md` quotes these.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use cross_crate_checks::kiosk_fuzzing::{phone_request, Sender};
use kiosk::serve::{MAX_BODY_BYTES, MAX_TEXT_CHARS};

/// Posts `body` to the question page as participant A; asserts the status,
/// that the page says `says`, and that nothing changed.
fn refused(body: &str, status: u16, says: &str) {
    let (got, page, changed) = phone_request("POST", "q", Sender::A, body);
    assert_eq!(got, status, "{body}: {page}");
    assert!(page.contains(says), "{body}: expected {says:?} in\n{page}");
    assert!(!changed, "{body}: a refused post changed the store");
}

#[test]
fn a_form_that_cannot_be_read_is_refused_saying_what_is_wrong_with_it() {
    let unreadable = "The form could not be read:";
    refused(
        "k={key}&i=0&i=1&go=next",
        400,
        &format!("{unreadable} unexpected field."),
    );
    refused(
        "k={key}&i=0&v=yes&v=no&go=next",
        400,
        &format!("{unreadable} a field was sent twice."),
    );
    refused(
        "k={key}&i=zero&go=next",
        400,
        &format!("{unreadable} the question number is not a number."),
    );
    refused(
        "k={key}&i=0&go=sideways",
        400,
        &format!("{unreadable} unknown button."),
    );
    refused(
        "k={key}&i=0&c=16&go=next",
        400,
        &format!("{unreadable} an option is out of range."),
    );
    refused(
        "i=0&v=yes&go=next",
        400,
        &format!("{unreadable} the form is incomplete."),
    );
}

#[test]
fn an_answer_that_does_not_fit_the_question_is_refused() {
    refused(
        "k={key}&i=0&v=maybe&go=next",
        400,
        "The answer could not be used: the answer does not fit the question.",
    );
}

#[test]
fn a_form_from_another_page_or_no_participant_is_refused() {
    refused(
        "k=0123456789abcdef0123456789abcdef&i=0&v=yes&go=next",
        403,
        "This form did not come from your own page.",
    );
    let (status, page, changed) =
        phone_request("POST", "q", Sender::NoCookie, "k={key}&i=0&v=yes&go=next");
    assert_eq!(status, 403);
    assert!(page.contains("This phone has not joined the workshop (or its cookie was cleared). Scan the code again."), "{page}");
    assert!(!changed);
}

#[test]
fn an_oversized_body_is_refused_with_a_page_saying_what_to_do() {
    let body = format!("k={{key}}&i={{item}}&t={}", "a".repeat(MAX_BODY_BYTES));
    let (status, page, changed) = phone_request("POST", "q", Sender::B, &body);
    assert_eq!(status, 413, "{page}");
    assert!(
        page.contains("Shorten your answer and send it again"),
        "{page}"
    );
    assert!(!changed);
    let (status, _, changed) = phone_request("PUT", "q", Sender::A, "k={key}&i=0&v=yes&go=next");
    assert_eq!(status, 405);
    assert!(!changed);
}

#[test]
fn the_longest_free_text_in_any_script_fits_in_a_request() {
    // Found while fuzzing the phone server: 2,000 characters that take 3 or
    // 4 bytes in UTF-8 (Chinese, emoji) were 18,000 to 24,000 bytes once
    // percent-encoded, over the 16 KiB body limit, so a participant who
    // typed as much as the page allowed got a bare "length limit exceeded".
    // The longest answer is now short enough to fit in any script.
    for long in ["語".repeat(MAX_TEXT_CHARS), "🙂".repeat(MAX_TEXT_CHARS)] {
        assert!(long.len() * 3 < kiosk::serve::MAX_BODY_BYTES);
        let text: String = form_urlencoded::byte_serialize(long.as_bytes()).collect();
        let body = format!("k={{key}}&i={{item}}&t={text}&go=next");
        let (status, page, changed) = phone_request("POST", "q", Sender::B, &body);
        assert_eq!(status, 303, "{} bytes refused: {page}", body.len());
        assert!(changed, "the text was not saved");
    }
}

#[test]
fn a_good_answer_is_taken() {
    // The control: the same form with a fitting answer moves A on.
    let (status, _, changed) = phone_request("POST", "q", Sender::A, "k={key}&i=0&v=yes&go=next");
    assert_eq!(status, 303);
    assert!(changed, "a good answer was not saved");
}
