#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! A real phone-sized browser against the phone server on 127.0.0.1:
//! Debian's headless Chromium at 390x800 with touch, driven through
//! chromedriver with fantoccini. Joins from the URL, answers every question,
//! sees the result; reloads mid-way and resumes. Then the same again at
//! 360 px with JavaScript switched off in the browser's settings (checked:
//! a page script cannot run).
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

/// A phone's screen: its width in CSS pixels, and whether the browser runs
/// page scripts.
#[derive(Clone, Copy)]
struct Phone {
    width: u32,
    javascript: bool,
}

/// The 390 px phone with JavaScript, as most phones are.
const USUAL: Phone = Phone {
    width: 390,
    javascript: true,
};
/// A narrow 360 px phone with JavaScript switched off.
const NARROW_NO_SCRIPTS: Phone = Phone {
    width: 360,
    javascript: false,
};
const HEIGHT: u32 = 800;

/// One Chrome DevTools command through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: serde_json::Value,
}

impl DevTools {
    /// A phone's viewport, without touch emulation.
    fn phone_viewport(width: u32) -> Self {
        DevTools {
            cmd: "Emulation.setDeviceMetricsOverride",
            params: json!({"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": true}),
        }
    }

    /// The phone's light or dark setting.
    fn color_scheme(scheme: &str) -> Self {
        DevTools {
            cmd: "Emulation.setEmulatedMedia",
            params: json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        }
    }
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The page follows the phone's dark setting: its background changes, and
/// a screenshot of each is saved.
async fn check_dark(client: &Client, tag: &str) {
    let background = || async {
        let body = client.find(Locator::Css("body")).await.unwrap();
        body.css_value("background-color").await.unwrap()
    };
    client
        .issue_cmd(DevTools::color_scheme("light"))
        .await
        .unwrap();
    let light = background().await;
    client
        .issue_cmd(DevTools::color_scheme("dark"))
        .await
        .unwrap();
    let dark = background().await;
    assert_ne!(light, dark, "the page ignores the phone's dark setting");
    shot(client, &format!("{tag}-dark")).await;
    client
        .issue_cmd(DevTools::color_scheme("light"))
        .await
        .unwrap();
}

async fn browser(
    driver: &Driver,
    phone: Phone,
    profile: &std::path::Path,
) -> Result<Client, String> {
    let args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        format!("--window-size={},{HEIGHT}", phone.width),
        format!("--user-data-dir={}", profile.display()),
    ];
    // JavaScript off the way a user switches it off: the content setting
    // (Site settings > JavaScript > Don't allow). Pages get no scripts;
    // chromedriver's own commands still run over DevTools.
    let javascript_setting = if phone.javascript { 1 } else { 2 };
    let mut options = json!({
        "args": args,
        "prefs": {"profile.managed_default_content_settings.javascript": javascript_setting},
    });
    if phone.javascript {
        // Touch emulation; its taps wait on page scripts, so the run
        // without them sets a phone's viewport through DevTools instead.
        options["mobileEmulation"] = json!({"deviceMetrics": {
            "width": phone.width, "height": HEIGHT, "pixelRatio": 1.0, "touch": true,
        }});
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .map_err(|e| format!("Chromium did not start a session: {e}"))?;
    if !phone.javascript {
        client
            .issue_cmd(DevTools::phone_viewport(phone.width))
            .await
            .map_err(|e| format!("Chromium did not take a phone's viewport: {e}"))?;
    }
    Ok(client)
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
/// nothing is wider than the phone's screen.
async fn check_layout(client: &Client, width: u32) {
    let right = f64::from(width) + 0.5;
    for css in ["main", "label.opt", "button"] {
        for element in client.find_all(Locator::Css(css)).await.unwrap() {
            let (x, _, w, h) = element.rectangle().await.unwrap();
            if css != "main" {
                assert!(h >= 47.5, "{css} is {h} px high");
            }
            assert!(
                x >= 0.0 && x + w <= right,
                "{css} spans {x}..{} px of {width}",
                x + w
            );
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

async fn run_flow(client: &Client, join_url: &str, tag: &str, width: u32) {
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
    check_layout(client, width).await;
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
    check_layout(client, width).await;
    shot(client, &format!("{tag}-result")).await;
    check_dark(client, &format!("{tag}-result")).await;
}

/// A page whose only script would change its title keeps the title it was
/// served with: the browser really runs no page scripts.
async fn assert_scripts_are_off(client: &Client) {
    client
        .goto("data:text/html,<title>off</title><script>document.title='on'</script>")
        .await
        .unwrap();
    assert_eq!(
        client.title().await.unwrap(),
        "off",
        "page scripts still run"
    );
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
        let client = match browser(&driver, USUAL, profile.path()).await {
            Ok(client) => client,
            Err(why) => return Some(why),
        };
        let run = tokio::time::timeout(
            Duration::from_secs(240),
            run_flow(&client, &join_url, "js", USUAL.width),
        )
        .await;
        let _ = client.close().await;
        assert!(run.is_ok(), "the run did not finish within 240 s");
        // The same flow on a narrower phone with JavaScript switched off.
        let profile = tempfile::tempdir().unwrap();
        let client = match browser(&driver, NARROW_NO_SCRIPTS, profile.path()).await {
            Ok(client) => client,
            Err(why) => return Some(why),
        };
        assert_scripts_are_off(&client).await;
        let run = tokio::time::timeout(
            Duration::from_secs(240),
            run_flow(&client, &join_url, "nojs-360", NARROW_NO_SCRIPTS.width),
        )
        .await;
        let _ = client.close().await;
        assert!(
            run.is_ok(),
            "the run without JavaScript did not finish within 240 s"
        );
        None
    });
    if let Some(why) = skipped {
        return skip(&why);
    }
    let store = kiosk::store::ResultsStore::open(&db).unwrap();
    assert_eq!(
        store.workshop_results(session.id).unwrap().len(),
        2,
        "one result from each browser run, with and without JavaScript"
    );
}
