#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! Phones that forget, and devices that cannot stand in for a room, over
//! real HTTP on 127.0.0.1 (127.0.0.2 and 127.0.0.3 act as other devices):
//! Finish, the cookie's life, a closed session, participants and
//! connections per device address.

mod serve_common;

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use kiosk::serve::{PhoneServer, CONNECTIONS_PER_ADDRESS, PHONES_PER_ADDRESS};
use kiosk::store::ResultsStore;
use serve_common::*;

fn shipped() -> kiosk::library::Loaded {
    kiosk::library::shipped().unwrap()
}

/// A phone whose requests come from `addr` (a loopback address).
fn phone_from(server: &PhoneServer, addr: [u8; 4]) -> Phone {
    let mut phone = Phone::new(server);
    phone.http = reqwest::Client::builder()
        .local_address(IpAddr::from(addr))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    phone
}

/// Answers every question from `page` on; returns the result page.
async fn answer_all(
    phone: &mut Phone,
    mut page: Page,
    rubric: &rubric_engine::model::Rubric<'_>,
) -> Page {
    while page.input("i").is_some() {
        let next = phone.answer(&page, rubric, "next").await;
        page = follow(phone, next).await;
    }
    page
}

fn phone_rows(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM phone_participants", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_forgets_the_phone_and_opening_the_join_link_again_starts_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut phone = Phone::new(&server);
    let page = phone.get(&server.join_path()).await;
    assert!(page.body.contains("Start"));
    assert!(
        page.body
            .contains("These pages travel unencrypted (plain HTTP) over the room's network"),
        "the join page says what is not protected: {}",
        page.body
    );
    let joined = phone
        .post(&format!("{}join", server.join_path()), String::new())
        .await;
    let set_cookie = joined.set_cookie.clone().unwrap();
    assert!(
        !set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"),
        "a cookie that ends with the browser's session: {set_cookie}"
    );
    let first = follow(&mut phone, joined).await;
    let result = answer_all(&mut phone, first, &rubric).await;
    assert!(result.body.contains("Your answers are saved"));
    assert!(result.body.contains("value=\"finish\""), "{}", result.body);
    let old_cookie = phone.cookie.clone().unwrap();
    assert_eq!(phone_rows(&db), 1);

    let key = result.input("k").unwrap();
    let done = phone
        .post(
            &format!("{}q", server.join_path()),
            format!("k={key}&go=finish"),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("this phone has forgotten you"),
        "{}",
        done.body
    );
    let cleared = done.set_cookie.clone().unwrap();
    assert!(
        cleared.starts_with("rk_phone=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(phone_rows(&db), 0, "its row is gone");
    let counts = server.counts().unwrap();
    assert_eq!((counts.joined, counts.finished), (1, 1), "still counted");
    let store = ResultsStore::open(&db).unwrap();
    assert_eq!(
        store.workshop_results(session.id).unwrap().len(),
        1,
        "the result stays"
    );
    drop(store);

    // The browser dropped the cookie: the join link starts afresh.
    phone.cookie = None;
    let fresh = phone.get(&server.join_path()).await;
    assert_eq!(fresh.status, 200);
    assert!(fresh.body.contains("Start") && !fresh.body.contains("Your answers are saved"));
    // Even a browser that kept the old cookie sees no trace of the result.
    phone.cookie = Some(old_cookie);
    let replayed = phone.get(&format!("{}q", server.join_path())).await;
    assert_eq!(replayed.status, 303);
    assert_eq!(
        replayed.location.as_deref(),
        Some(server.join_path().as_str())
    );
    let join_again = phone.get(&server.join_path()).await;
    assert!(join_again.body.contains("Start"));
    assert!(!join_again.body.contains("Your answers are saved"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_session_forgets_every_phone_and_refuses_answers_in_progress_with_a_clear_page()
{
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let rubric = library.bundle.rubric(READINESS).unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let mut done = Phone::new(&server);
    let first = done.join(&server.join_path()).await;
    answer_all(&mut done, first, &rubric).await;
    let mut mid_way = Phone::new(&server);
    let mut page = mid_way.join(&server.join_path()).await;
    for _ in 0..2 {
        let next = mid_way.answer(&page, &rubric, "next").await;
        page = follow(&mut mid_way, next).await;
    }
    let form_key = page.input("k").unwrap();
    assert_eq!(phone_rows(&db), 2);

    // The facilitator closes the session (the app's own connection).
    let store = ResultsStore::open(&db).unwrap();
    store.close_session(session.id).unwrap();
    drop(store);
    assert_eq!(
        phone_rows(&db),
        0,
        "answers in progress and links are deleted"
    );
    let bytes = std::fs::read(&db).unwrap();
    assert!(
        !bytes
            .windows(form_key.len())
            .any(|w| w == form_key.as_bytes()),
        "no copy of the mid-way phone's row is left in the file"
    );

    let refused = mid_way
        .post(&form_action(&page), form_for(&page, &rubric, "next"))
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("The session is closed"),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("Answers not finished before it closed were deleted"));
    let result_again = done.get(&format!("{}q", server.join_path())).await;
    assert_eq!(
        result_again.status, 409,
        "the cookie's life ended with the session"
    );
    assert!(!result_again.body.contains("Your answers are saved"));
    let counts = server.counts().unwrap();
    assert_eq!(
        (counts.joined, counts.finished),
        (1, 1),
        "the finished phone is still counted"
    );
    let store = ResultsStore::open(&db).unwrap();
    assert_eq!(store.workshop_results(session.id).unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_device_starts_at_most_three_participants_and_a_phone_that_joins_again_counts_once() {
    assert_eq!(PHONES_PER_ADDRESS, 3);
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let join = format!("{}join", server.join_path());
    let mut stuffer = phone_from(&server, [127, 0, 0, 2]);
    for n in 0..PHONES_PER_ADDRESS {
        stuffer.cookie = None;
        let joined = stuffer.post(&join, String::new()).await;
        assert_eq!(joined.status, 303, "participant {n}: {}", joined.body);
        // The same phone, cookie kept, joining again: counted once.
        let again = stuffer.post(&join, String::new()).await;
        assert_eq!(again.status, 303);
        assert!(again.set_cookie.is_none(), "no new participant");
    }
    stuffer.cookie = None;
    let refused = stuffer.post(&join, String::new()).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("This device has taken part already"));
    assert!(refused.set_cookie.is_none());
    assert_eq!(server.counts().unwrap().joined, PHONES_PER_ADDRESS);

    let mut other = phone_from(&server, [127, 0, 0, 3]);
    let joined = other.post(&join, String::new()).await;
    assert_eq!(joined.status, 303, "another device is not affected");
    assert_eq!(server.counts().unwrap().joined, PHONES_PER_ADDRESS + 1);
    drop(db);
}

/// A connection from `from` to `to`, idle: nothing is sent.
fn idle_connection(from: [u8; 4], to: SocketAddr) -> std::net::TcpStream {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((from, 0)).into()).unwrap();
    socket.connect(&to.into()).unwrap();
    let stream: std::net::TcpStream = socket.into();
    stream.set_nonblocking(true).unwrap();
    stream
}

/// Whether the server closed `stream` (end of file) rather than waiting
/// (a read that would block).
fn closed_by_server(stream: &mut std::net::TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.read(&mut byte), Ok(0))
}

#[test]
fn idle_connections_from_one_address_are_bounded_and_another_device_is_still_served() {
    let dir = tempfile::tempdir().unwrap();
    let library = shipped();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library.clone(), &session, loopback());
    let addr = server.local_addr();
    let extra = 20;
    let mut held: Vec<_> = (0..CONNECTIONS_PER_ADDRESS + extra)
        .map(|_| idle_connection([127, 0, 0, 2], addr))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let closed = held.iter_mut().map(closed_by_server).filter(|&c| c).count();
    assert_eq!(
        closed, extra,
        "every connection past {CONNECTIONS_PER_ADDRESS} is closed"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        let mut phone = phone_from(&server, [127, 0, 0, 3]);
        phone.get(&server.join_path()).await.status
    });
    assert_eq!(status, 200, "another device gets the join page");
    drop(held);
}
