#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! The question form as axum's form extractor reads it: the repeated fields
//! of a multiple-choice answer all arrive, and a body that is not sent as a
//! form is refused without changing anything.

mod serve_common;

use kiosk::store::ResultsStore;
use kiosk::workshop::{Session, SessionConfig, SessionDate};
use serve_common::*;

const SOURCE: &str = r#"
id = "forms"
version = 1
title = "Form check"
summary = "Two questions"
category = "self-assessment"
minutes = 1
intro = "Checks the phone form."

[[item]]
id = "tools"
kind = "multi"
prompt = "Which tools did you use?"
[[item.option]]
id = "saw"
label = "Saw"
weights = { d = 1 }
[[item.option]]
id = "drill"
label = "Drill"
weights = { d = 1 }
[[item.option]]
id = "plane"
label = "Plane"
weights = { d = 1 }

[[item]]
id = "again"
kind = "yes-no"
prompt = "Would you use them again?"

[[dimension]]
id = "d"
title = "Tools"
rule = "weighted-sum"

[[band]]
id = "few"
dimension = "d"
range = [0, 49]
label = "Few"

[[band]]
id = "many"
dimension = "d"
range = [50, 100]
label = "Many"

[verdict]
dimension = "d"
"#;

fn library(dir: &std::path::Path) -> kiosk::library::Loaded {
    library_with(dir, "forms", SOURCE)
}

fn session(
    dir: &std::path::Path,
    library: &kiosk::library::Loaded,
) -> (std::path::PathBuf, Session) {
    let store = ResultsStore::open_in(dir).unwrap();
    let config = SessionConfig {
        name: "Forms".into(),
        rubric_ids: vec!["forms".into()],
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    (store.path().to_path_buf(), session)
}

fn checked(page: &Page, value: usize) -> bool {
    page.body.contains(&format!("value=\"{value}\" checked>"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_box_ticked_in_a_multiple_choice_question_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(dir.path());
    let (db, session) = session(dir.path(), &library);
    let (server, _events) = start(&db, library, &session, loopback());
    let mut phone = Phone::new(&server);
    let tools = phone.join(&server.join_path()).await;
    let key = tools.input("k").unwrap();
    assert_eq!(tools.input("i").as_deref(), Some("0"));
    assert!(!(0..3).any(|n| checked(&tools, n)), "{}", tools.body);

    let next = phone
        .post(&form_action(&tools), format!("k={key}&i=0&c=0&c=2&go=next"))
        .await;
    let again = follow(&mut phone, next).await;
    assert_eq!(again.input("i").as_deref(), Some("1"), "{}", again.body);
    let back = phone
        .post(&form_action(&again), format!("k={key}&i=1&go=back"))
        .await;
    let tools = follow(&mut phone, back).await;
    assert_eq!(tools.input("i").as_deref(), Some("0"));
    assert!(checked(&tools, 0), "{}", tools.body);
    assert!(!checked(&tools, 1), "{}", tools.body);
    assert!(checked(&tools, 2), "{}", tools.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_not_sent_as_a_form_is_refused_with_a_page_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(dir.path());
    let (db, session) = session(dir.path(), &library);
    let (server, _events) = start(&db, library, &session, loopback());
    let mut phone = Phone::new(&server);
    let tools = phone.join(&server.join_path()).await;
    let key = tools.input("k").unwrap();
    let action = form_action(&tools);

    let response = phone
        .http
        .post(format!("{}{action}", phone.origin))
        .header(reqwest::header::COOKIE, phone.cookie.clone().unwrap())
        .body(format!("k={key}&i=0&c=1&go=next"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    let csp = response
        .headers()
        .get(reqwest::header::CONTENT_SECURITY_POLICY)
        .map(|v| v.to_str().unwrap().to_string());
    assert!(csp.unwrap().starts_with("default-src 'none'"));
    let page = response.text().await.unwrap();
    assert!(
        page.contains("The form could not be read: it was not sent as a form."),
        "{page}"
    );

    let still = phone.get(&action).await;
    assert_eq!(still.input("i").as_deref(), Some("0"));
    assert!(!(0..3).any(|n| checked(&still, n)), "{}", still.body);
    // The same answer sent as a form is taken.
    let taken = phone
        .post(&action, format!("k={key}&i=0&c=1&go=next"))
        .await;
    assert_eq!(taken.status, 303, "{}", taken.body);
}
