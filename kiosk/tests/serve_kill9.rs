#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! `rubric-kiosk serve` killed with SIGKILL while phones answer: after each
//! restart every result a phone was shown as saved is in the store,
//! `PRAGMA integrity_check` says ok, and every phone resumes at the question
//! it last saw (or later, if its last answer was saved but the reply lost).
//! `SERVE_KILL9_ROUNDS` sets the number of kills (3 by default).

mod serve_common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kiosk::store::ResultsStore;
use serve_common::*;

const PHONES: usize = 8;

struct Server {
    child: Child,
    origin: String,
    join_path: String,
}

fn serve(data: &std::path::Path, session: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
        .args(["--data-dir", &data.display().to_string()])
        .args(["serve", "--session", session, "--listen", "127.0.0.1:0"])
        .args(["--rate", "1000", "--burst", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut origin = None;
    let mut join_path = None;
    for line in lines.by_ref().take(3) {
        let line = line.unwrap();
        if let Some(addr) = line.strip_prefix("listening on ") {
            origin = Some(format!("http://{addr}"));
        }
        if let Some(url) = line.strip_prefix("join: ") {
            join_path = url.find("/s/").map(|i| url[i..].to_string());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        origin: origin.unwrap(),
        join_path: join_path.unwrap(),
    }
}

/// What one phone saw before the server died.
#[derive(Default, Clone)]
struct Seen {
    /// The cookie of the participant in progress, and the last question it was shown.
    current: Option<(String, usize)>,
    /// Cookies of participants shown "Your answers are saved".
    saved: Vec<String>,
}

/// Answers until a request fails (the kill), starting new participants after each result.
async fn answer_until_killed(origin: String, join_path: String, mut seen: Seen) -> Seen {
    let library = kiosk::library::shipped().unwrap();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let mut phone = Phone::at(&origin);
    phone.cookie = seen.current.as_ref().map(|(c, _)| c.clone());
    loop {
        if phone.cookie.is_none() {
            let Some(joined) = phone
                .try_post(&format!("{join_path}join"), String::new())
                .await
            else {
                return seen;
            };
            if joined.status != 303 {
                return seen;
            }
        }
        let Some(mut page) = phone.try_get(&format!("{join_path}q")).await else {
            return seen;
        };
        loop {
            let cookie = phone.cookie.clone().unwrap();
            if page.body.contains("Your answers are saved") {
                seen.saved.push(cookie);
                seen.current = None;
                phone.cookie = None;
                break;
            }
            let Some(index) = page.input("i").and_then(|i| i.parse().ok()) else {
                return seen;
            };
            seen.current = Some((cookie, index));
            let Some(posted) = phone
                .try_post(&form_action(&page), form_for(&page, &rubric, "next"))
                .await
            else {
                return seen;
            };
            let Some(location) = posted.location else {
                return seen;
            };
            match phone.try_get(&location).await {
                Some(next) if next.status == 200 => page = next,
                _ => return seen,
            }
        }
    }
}

fn rounds() -> usize {
    std::env::var("SERVE_KILL9_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

#[test]
fn results_shown_as_saved_survive_sigkill_and_phones_resume() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut seen = vec![Seen::default(); PHONES];
    let mut total_saved = 0;
    for round in 0..rounds() {
        let mut server = serve(dir.path(), &session.id.to_string());
        let tasks: Vec<_> = seen
            .iter()
            .map(|s| {
                runtime.spawn(answer_until_killed(
                    server.origin.clone(),
                    server.join_path.clone(),
                    Seen {
                        saved: Vec::new(),
                        ..s.clone()
                    },
                ))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(1500 + 700 * round as u64));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        seen = tasks
            .into_iter()
            .map(|t| runtime.block_on(t).unwrap())
            .collect();
        let saved_now: usize = seen.iter().map(|s| s.saved.len()).sum();
        total_saved += saved_now;

        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
        drop(conn);
        let store = ResultsStore::open(&db).unwrap();
        let stored = store.workshop_results(session.id).unwrap().len();
        assert!(
            stored >= total_saved,
            "round {round}: {stored} stored, {total_saved} shown as saved"
        );
        drop(store);

        // Restart: every phone finds its place again.
        let mut server = serve(dir.path(), &session.id.to_string());
        let resumed = runtime.block_on(async {
            let mut mid_way = 0;
            for s in &seen {
                for cookie in &s.saved {
                    let mut phone = Phone::at(&server.origin);
                    phone.cookie = Some(cookie.clone());
                    let page = phone.get(&format!("{}q", server.join_path)).await;
                    assert!(
                        page.body.contains("Your answers are saved"),
                        "a saved result is shown again"
                    );
                }
                if let Some((cookie, index)) = &s.current {
                    let mut phone = Phone::at(&server.origin);
                    phone.cookie = Some(cookie.clone());
                    let page = phone.get(&format!("{}q", server.join_path)).await;
                    match page.input("i").and_then(|i| i.parse::<usize>().ok()) {
                        Some(now) => {
                            assert!(now >= *index, "back at question {now}, had seen {index}")
                        }
                        None => assert!(
                            page.body.contains("Your answers are saved"),
                            "{}",
                            page.body
                        ),
                    }
                    mid_way += 1;
                }
            }
            mid_way
        });
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        eprintln!(
            "round {round}: {saved_now} results shown as saved, {resumed} phones resumed mid-way"
        );
    }
    assert!(
        total_saved > 0,
        "no phone finished: the test proved nothing"
    );
}
