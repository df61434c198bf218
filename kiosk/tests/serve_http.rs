#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! The phone server over real HTTP on 127.0.0.1: the whole flow, resuming,
//! and every refusal (wrong secret, forged form, malformed or oversized
//! bodies, rate limits, closed joining, the participant cap, slow clients).

mod serve_common;

use std::io::{Read, Write};
use std::time::Duration;

use kiosk::serve::{Event, RateLimit, ServeOptions};
use kiosk::store::ResultsStore;
use serve_common::*;

fn shipped() -> kiosk::library::Loaded {
    kiosk::library::shipped().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_answers_every_question_and_its_saved_result_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);

    let short = phone
        .get(&format!("/{}", server.join_code().to_lowercase()))
        .await;
    assert_eq!(short.status, 303);
    assert_eq!(short.location.as_deref(), Some(server.join_path().as_str()));

    let mut page = phone.join(&server.join_path()).await;
    let cookie = phone.cookie.clone().unwrap();
    assert!(cookie.starts_with("rk_phone=") && cookie.len() == "rk_phone=".len() + 32);
    assert!(matches!(events.try_recv(), Ok(Event::Joined(c)) if c.joined == 1 && c.finished == 0));
    let mut questions = 0;
    while page.input("i").is_some() {
        assert!(page.body.contains("question"), "{}", page.body);
        questions += 1;
        let next = phone.answer(&page, &rubric, "next").await;
        page = follow(&mut phone, next).await;
    }
    assert!(questions >= 10, "only {questions} questions");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Your answers are saved"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Take it home"));

    // The result is in the store, with a random id, like a kiosk result.
    let store = ResultsStore::open(&db).unwrap();
    let results = store.workshop_results(session.id).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].id.0.get_version_num(), 4);
    assert_eq!(results[0].rubric_id, READINESS);
    let verdict = serde_json::from_str::<rubrics::report::ResultReport>(&results[0].report_json)
        .unwrap()
        .verdict_label
        .unwrap();
    assert!(
        page.body.contains(&kiosk::serve::escape(&verdict)),
        "the stored verdict is shown"
    );
    assert!(
        matches!(events.try_recv(), Ok(Event::ResultSaved(c)) if c.joined == 1 && c.finished == 1)
    );
    assert_eq!(server.counts().unwrap().mid_way(), 0);

    // A reload of the result page shows it again and stores nothing more.
    let again = phone.get(&format!("{}q", server.join_path())).await;
    assert!(again.body.contains("Your answers are saved"));
    assert_eq!(store.workshop_results(session.id).unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_and_a_restarted_server_resume_at_the_same_question_with_the_answers_kept() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);
    let mut page = phone.join(&server.join_path()).await;
    for _ in 0..3 {
        let next = phone.answer(&page, &rubric, "next").await;
        page = follow(&mut phone, next).await;
    }
    let at = page.input("i").unwrap();
    let reloaded = phone.get(&format!("{}q", server.join_path())).await;
    assert_eq!(reloaded.input("i").unwrap(), at);
    let join_path = server.join_path();
    server.stop();

    // The same URLs after a restart: the secret is kept in the store.
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    assert_eq!(server.join_path(), join_path);
    phone.origin = format!("http://{}", server.local_addr());
    let resumed = phone.get(&format!("{join_path}q")).await;
    assert_eq!(resumed.input("i").unwrap(), at, "{}", resumed.body);
    // Back shows the earlier answer still chosen.
    let back = phone
        .post(&form_action(&resumed), form_for(&resumed, &rubric, "back"))
        .await;
    let previous = follow(&mut phone, back).await;
    assert!(previous.body.contains(" checked>"), "{}", previous.body);
    assert_eq!(server.counts().unwrap().mid_way(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_refused_without_the_secret_and_forms_without_the_participants_own_key() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);
    let page = phone.join(&server.join_path()).await;
    let q = format!("{}q", server.join_path());

    let mut stranger = Phone::new(&server);
    assert_eq!(stranger.get("/s/aaaaaaaaaaaaaaaa/").await.status, 404);
    assert_eq!(stranger.get("/s/aaaaaaaaaaaaaaaa").await.status, 404);
    assert_eq!(stranger.get("/s/%2F%2Fexample.com").await.status, 404);
    let bare = stranger.get(server.join_path().trim_end_matches('/')).await;
    assert_eq!(bare.location.as_deref(), Some(server.join_path().as_str()));
    assert_eq!(stranger.get("/ZZZZZZ").await.status, 404);
    assert_eq!(stranger.get("/").await.status, 404);
    // Without a cookie a question page sends the phone to join.
    assert_eq!(stranger.get(&q).await.status, 303);
    // The right form with another phone's cookie (or none) changes nothing.
    let form = form_for(&page, &rubric, "next");
    assert_eq!(stranger.post(&q, form.clone()).await.status, 403);
    let other = stranger.join(&server.join_path()).await;
    assert_ne!(
        other.input("k"),
        page.input("k"),
        "each phone has its own key"
    );
    assert_eq!(stranger.post(&q, form.clone()).await.status, 403);
    // Malformed forms: 400, nothing changes.
    let key = page.input("k").unwrap();
    for bad in [
        format!("k={key}&i=0&v=99&go=next"),
        format!("k={key}&i=0&v=abc&go=next"),
        format!("k={key}&i=0&v=1&v=2&go=next"),
        format!("k={key}&i=0&v=1&go=sideways"),
        format!("k={key}&i=0&v=1&go=next&evil=1"),
        "i=0&v=1&go=next".to_string(),
        "%%%".to_string(),
    ] {
        assert_eq!(phone.post(&q, bad.clone()).await.status, 400, "{bad}");
    }
    // A form for another question (a second tap): nothing changes.
    let stale = format!("k={key}&i=5&v=1&go=next");
    assert_eq!(phone.post(&q, stale).await.status, 303);
    let still = phone.get(&q).await;
    assert_eq!(still.input("i"), page.input("i"));
    assert!(!still.body.contains(" checked>"), "no answer was stored");
    // Next without an answer to a required question: asked again.
    let empty = phone
        .post(
            &q,
            format!("k={key}&i={}&go=next", page.input("i").unwrap()),
        )
        .await;
    assert!(empty.location.unwrap().ends_with("?need=1"));
    // 16 KiB is the most a body may be.
    let huge = format!("k={key}&i=0&t={}", "x".repeat(17 * 1024));
    assert_eq!(phone.post(&q, huge).await.status, 413);
    let store = ResultsStore::open(&db).unwrap();
    assert!(store.workshop_results(session.id).unwrap().is_empty());
    assert_eq!(store.phone_counts(session.id).unwrap().joined, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cookie_is_http_only_and_same_site_strict_and_pages_load_nothing_from_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);
    let join = phone.get(&server.join_path()).await;
    let joined = phone
        .post(&format!("{}join", server.join_path()), String::new())
        .await;
    let set_cookie = joined.set_cookie.clone().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let mut pages = vec![join];
    let mut page = follow(&mut phone, joined).await;
    while page.input("i").is_some() {
        let next = phone.answer(&page, &rubric, "next").await;
        pages.push(page);
        page = follow(&mut phone, next).await;
    }
    pages.push(page);
    for page in &pages {
        let body = page.body.to_lowercase();
        assert!(body.starts_with("<!doctype html>\n<html lang=\"en\">"));
        for external in [
            "http://", "https://", "//", "src=", "<script", "<link", "@import", "url(",
        ] {
            assert!(!body.contains(external), "{external} in {}", page.body);
        }
        assert!(body.contains("name=\"viewport\""));
        assert!(body.contains("prefers-color-scheme:dark"));
        assert!(body.contains("min-height:48px"));
    }
}

/// A rubric whose every text is markup.
fn hostile_library(dir: &std::path::Path) -> kiosk::library::Loaded {
    const SOURCE: &str = r#"
id = "hostile"
version = 1
title = "<script>alert('title')</script>"
summary = "<img src=x onerror=alert(1)>"
category = "self-assessment"
minutes = 1
intro = "<b>bold</b> & \"quoted\""

[[dimension]]
id = "d"
title = "<script>dim</script>"
rule = "weighted-sum"

[[item]]
id = "q"
kind = "scale"
prompt = "<script>alert('item')</script>"
help = "</legend><script>help</script>"
levels = ["<script>one</script>", "<i>two</i>"]
weights = { d = 1 }

[[band]]
id = "low"
dimension = "d"
range = [0, 49]
label = "<script>band</script>"
explanation = "<script>explained</script>"

[[band]]
id = "high"
dimension = "d"
range = [50, 100]
label = "<script>band</script>"
explanation = "<script>explained</script>"

[verdict]
dimension = "d"
"#;
    // As from a USB stick: imported after the warning about an unsigned bundle.
    library_with(dir, "hostile", SOURCE)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_a_rubric_is_shown_as_text_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let rubric = library.bundle.rubric("hostile").unwrap();
    let (db, session) = session_in(dir.path(), &library, &["hostile"], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);
    let join = phone.get(&server.join_path()).await;
    let question = phone.join(&server.join_path()).await;
    let next = phone.answer(&question, &rubric, "next").await;
    let result = follow(&mut phone, next).await;
    assert!(
        result.body.contains("Your answers are saved"),
        "{}",
        result.body
    );
    for page in [&join, &question, &result] {
        let lower = page.body.to_lowercase();
        assert!(!lower.contains("<script"), "{}", page.body);
        assert!(!lower.contains("<img"), "{}", page.body);
        assert!(!lower.contains("<i>"), "{}", page.body);
    }
    assert!(join
        .body
        .contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
    assert!(question
        .body
        .contains("&lt;script&gt;alert(&#39;item&#39;)&lt;/script&gt;"));
    assert!(result.body.contains("&lt;script&gt;band&lt;/script&gt;"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_joining_and_the_participant_cap_keep_new_phones_out_but_not_those_already_in() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let options = ServeOptions {
        max_participants: 2,
        ..loopback()
    };
    let (server, _events) = start(&db, library.clone(), &session, options);
    let mut first = Phone::new(&server);
    let page = first.join(&server.join_path()).await;
    server.set_joining(false).unwrap();
    let mut late = Phone::new(&server);
    let refused = late
        .post(&format!("{}join", server.join_path()), String::new())
        .await;
    assert_eq!(refused.status, 403);
    assert!(late.cookie.is_none());
    // The one already in goes on.
    let next = first.answer(&page, &rubric, "next").await;
    assert_eq!(next.status, 303);
    server.set_joining(true).unwrap();
    let mut second = Phone::new(&server);
    second.join(&server.join_path()).await;
    let full = late
        .post(&format!("{}join", server.join_path()), String::new())
        .await;
    assert_eq!(full.status, 403, "two is the cap");
    assert_eq!(server.counts().unwrap().joined, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_too_fast_gets_429_and_others_are_unaffected() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let options = ServeOptions {
        rate: RateLimit {
            per_second: 0.5,
            burst: 5.0,
        },
        ..loopback()
    };
    let (server, _events) = start(&db, library.clone(), &session, options);
    let mut phone = Phone::new(&server);
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(phone.get(&server.join_path()).await.status);
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert!(statuses[5..].iter().all(|&s| s == 429), "{statuses:?}");
    // Another address (127.0.0.2 is loopback too) has its own allowance.
    let other = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let status = other
        .get(format!(
            "http://{}{}",
            server.local_addr(),
            server.join_path()
        ))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let options = ServeOptions {
        request_timeout: Duration::from_secs(1),
        ..loopback()
    };
    let (server, _events) = start(&db, library, &session, options);
    let mut stream = std::net::TcpStream::connect(server.local_addr()).unwrap();
    stream
        .write_all(format!("GET {} HTTP/1.1\r\nHost: x\r\n", server.join_path()).as_bytes())
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    // The server closes the connection (possibly after a 408) well before 10 s.
    let _ = stream.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(8),
        "still open after {waited:?}"
    );
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains("200 OK"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_of_two_rubrics_that_hides_results_goes_on_to_the_second_and_counts_a_phone_finished_after_it(
) {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let second = "cross-team-gut-check";
    let (db, session) = session_in(dir.path(), &library, &[READINESS, second], false);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);
    let mut page = phone.join(&server.join_path()).await;
    for id in [READINESS, second] {
        let rubric = library.bundle.rubric(id).unwrap();
        assert!(
            page.body.contains(&kiosk::serve::escape(rubric.title)),
            "{}",
            page.body
        );
        while page.input("i").is_some() {
            let next = phone.answer(&page, &rubric, "next").await;
            page = follow(&mut phone, next).await;
        }
        assert!(page.body.contains("Your answers are saved"));
        assert!(
            !page.body.contains("Take it home"),
            "the session hides results"
        );
        assert!(!page.body.contains("By dimension"));
        if id == READINESS {
            assert_eq!(server.counts().unwrap().finished, 0);
            let key = page.input("k").unwrap();
            let next = phone
                .post(
                    &format!("{}q", server.join_path()),
                    format!("k={key}&go=next-rubric"),
                )
                .await;
            page = follow(&mut phone, next).await;
        }
    }
    assert!(page.body.contains("You are done"));
    let counts = server.counts().unwrap();
    assert_eq!((counts.joined, counts.finished), (1, 1));
    let store = ResultsStore::open(&db).unwrap();
    assert_eq!(store.workshop_results(session.id).unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_asking_for_its_icon_gets_one_and_is_not_locked_out_of_the_short_url() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    // Rate limits out of the way: this is about wrong codes only.
    let options = ServeOptions {
        rate: RateLimit {
            per_second: 1000.0,
            burst: 1000.0,
        },
        ..loopback()
    };
    let (server, _events) = start(&db, library, &session, options);
    let mut phone = Phone::new(&server);
    let short = format!("/{}", server.join_code());
    let joins = |page: &serve_common::Page| page.location.as_deref() == Some(&server.join_path());

    // More than the 20 wrong codes that lock a device out of the short URL.
    for _ in 0..25 {
        let icon = phone
            .http
            .get(format!("{}/favicon.ico", phone.origin))
            .send()
            .await
            .unwrap();
        assert_eq!(icon.status(), 200);
        assert_eq!(icon.headers()["content-type"], "image/x-icon");
        let bytes = icon.bytes().await.unwrap();
        assert_eq!(&bytes[..4], &[0, 0, 1, 0], "not an icon file");
        for path in [
            "/robots.txt",
            "/apple-touch-icon.png",
            "/apple-touch-icon-precomposed.png",
        ] {
            assert_eq!(phone.get(path).await.status, 404, "{path}");
        }
    }
    assert!(joins(&phone.get(&short).await), "the device was locked out");

    // A path shaped like a code is a guess: twenty wrong ones lock this
    // device out, and then even the right code does not work for it.
    for _ in 0..20 {
        assert_eq!(phone.get("/ZZZZZZ").await.status, 404);
    }
    assert!(
        !joins(&phone.get(&short).await),
        "twenty wrong codes did not count"
    );
}
