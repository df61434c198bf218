#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! A real phone-sized browser against the phone server on 127.0.0.1:
//! Debian's headless Chromium at 390x844, driven through chromedriver with
//! fantoccini. Joins from the URL, answers every question, sees the result;
//! reloads mid-way and resumes. With JavaScript switched off (Blink's
//! `scriptEnabled=false`) only the join page is loaded and photographed:
//! chromedriver's own element commands stall without scripts.
//! Screenshots of the join, question and result pages are saved under
//! `CARGO_TARGET_TMPDIR/phone-screens/`.
//!
//! Without a usable Chromium the test says why on the terminal and is
//! skipped; with `REQUIRE_BROWSER=1` it fails instead.

mod serve_common;

use std::io::Write;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use serve_common::*;

/// Written past the test harness's capture, so a skip is always seen.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn skip(why: &str) {
    if std::env::var_os("REQUIRE_BROWSER").is_some() {
        panic!("the browser test cannot run: {why}");
    }
    say(&format!("SKIPPED serve_browser: {why}"));
}

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Result<Driver, String> {
    for tool in ["chromium", "chromedriver"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !found {
            return Err(format!(
                "{tool} is not installed (apt-get install chromium chromium-driver)"
            ));
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let child = Command::new("chromedriver")
        .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("chromedriver does not start: {e}"))?;
    let driver = Driver { child, port };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("chromedriver did not listen within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(driver)
}

async fn browser(
    driver: &Driver,
    javascript: bool,
    profile: &std::path::Path,
) -> Result<Client, String> {
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=390,844".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    if !javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let options = json!({
        "args": args,
        "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0, "touch": true}},
    });
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .map_err(|e| format!("Chromium did not start a session: {e}"))
}

fn screens_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("phone-screens");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    let path = screens_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    say(&format!("serve_browser: screenshot {}", path.display()));
}

async fn question_index(client: &Client) -> Option<String> {
    let input = client.find(Locator::Css("input[name=i]")).await.ok()?;
    input.attr("value").await.ok().flatten()
}

/// Every option label and button on the page is at least 48 px high, and
/// nothing is wider than the 390 px screen.
async fn check_layout(client: &Client) {
    for css in ["label.opt", "button"] {
        for element in client.find_all(Locator::Css(css)).await.unwrap() {
            let (x, _, w, h) = element.rectangle().await.unwrap();
            assert!(h >= 47.5, "{css} is {h} px high");
            assert!(x >= 0.0 && x + w <= 390.5, "{css} spans {x}..{} px", x + w);
        }
    }
}

/// Clicks `css` and waits until the browser has left the page (its root
/// element goes stale) and the next one has a body.
async fn submit(client: &Client, css: &str) {
    let root = client.find(Locator::Css("html")).await.unwrap();
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    while root.tag_name().await.is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no new page after {css}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("main"))
        .await
        .unwrap();
}

/// Answers the current question: the last option, or a number, or a text.
async fn answer_current(client: &Client) {
    if let Ok(options) = client.find_all(Locator::Css("label.opt")).await {
        if let Some(last) = options.last() {
            last.clone().click().await.unwrap();
        }
    }
    if let Ok(number) = client.find(Locator::Css("input[type=number]")).await {
        let min = number.attr("min").await.unwrap().unwrap_or_default();
        number.send_keys(&min).await.unwrap();
    }
    if let Ok(text) = client.find(Locator::Css("textarea")).await {
        text.send_keys("a note").await.unwrap();
    }
    submit(client, "button[value=next]").await;
}

async fn run_flow(client: &Client, join_url: &str, tag: &str) {
    client.goto(join_url).await.unwrap();
    let source = client.source().await.unwrap();
    assert!(source.contains("Start"), "{source}");
    shot(client, &format!("{tag}-join")).await;
    submit(client, "button.primary").await;
    let found = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("input[name=i]"))
        .await;
    assert!(
        found.is_ok(),
        "a question after Start; at {:?}: {}",
        client.current_url().await,
        client.source().await.unwrap_or_default()
    );
    check_layout(client).await;
    shot(client, &format!("{tag}-question")).await;
    let mut answered = 0;
    while question_index(client).await.is_some() {
        if answered == 3 {
            // A reload mid-way comes back to the same question.
            let before = question_index(client).await;
            client.refresh().await.unwrap();
            client
                .wait()
                .for_element(Locator::Css("main"))
                .await
                .unwrap();
            assert_eq!(
                question_index(client).await,
                before,
                "resumed after a reload"
            );
        }
        answer_current(client).await;
        answered += 1;
        assert!(answered < 60, "the flow does not end");
    }
    let source = client.source().await.unwrap();
    assert!(source.contains("Your answers are saved"), "{source}");
    check_layout(client).await;
    shot(client, &format!("{tag}-result")).await;
}

#[test]
fn a_phone_sized_chromium_joins_answers_reloads_and_sees_its_result() {
    let driver = match start_driver() {
        Ok(driver) => driver,
        Err(why) => return skip(&why),
    };
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let (db, session) = session_in(dir.path(), &library, &[READINESS], true);
    let (server, _events) = start(&db, library, &session, loopback());
    let join_url = format!("http://{}{}", server.local_addr(), server.join_path());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let skipped = runtime.block_on(async {
        let profile = tempfile::tempdir().unwrap();
        let client = match browser(&driver, true, profile.path()).await {
            Ok(client) => client,
            Err(why) => return Some(why),
        };
        let run =
            tokio::time::timeout(Duration::from_secs(240), run_flow(&client, &join_url, "js"))
                .await;
        let _ = client.close().await;
        assert!(run.is_ok(), "the run did not finish within 240 s");
        // With Blink's scripts off, chromedriver's element commands (which
        // run scripts of their own) stall, so this run only loads and
        // photographs the join page; the no-JavaScript flow itself is
        // covered over plain HTTP in serve_http.rs.
        let profile = tempfile::tempdir().unwrap();
        let client = match browser(&driver, false, profile.path()).await {
            Ok(client) => client,
            Err(why) => return Some(why),
        };
        client.goto(&join_url).await.unwrap();
        shot(&client, "nojs-join").await;
        let _ = client.close().await;
        None
    });
    if let Some(why) = skipped {
        return skip(&why);
    }
    let store = kiosk::store::ResultsStore::open(&db).unwrap();
    assert_eq!(
        store.workshop_results(session.id).unwrap().len(),
        1,
        "one result from the browser run"
    );
}
