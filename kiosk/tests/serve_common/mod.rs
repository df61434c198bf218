//! What the phone-server tests share: a session in a fresh data folder, a
//! server on 127.0.0.1, and a simulated phone that keeps its cookie and
//! reads the forms it is given, as a browser would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;

use kiosk::library::Loaded;
use kiosk::serve::{Event, PhoneServer, ServeOptions};
use kiosk::store::ResultsStore;
use kiosk::workshop::{Session, SessionConfig, SessionDate};
use rubric_engine::model::{ItemKind, Rubric};

pub const READINESS: &str = "staff-readiness";

/// A data folder with one session of `rubrics`.
pub fn session_in(
    dir: &Path,
    library: &Loaded,
    rubrics: &[&str],
    show_own_result: bool,
) -> (PathBuf, Session) {
    let store = ResultsStore::open_in(dir).unwrap();
    let config = SessionConfig {
        name: "Phones test".into(),
        rubric_ids: rubrics.iter().map(|r| r.to_string()).collect(),
        min_group: 3,
        show_own_result,
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    (store.path().to_path_buf(), session)
}

/// Options for a test server: loopback, any free port.
pub fn loopback() -> ServeOptions {
    ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServeOptions::default()
    }
}

/// Starts a server; events arrive on the receiver.
pub fn start(
    db: &Path,
    library: Loaded,
    session: &Session,
    options: ServeOptions,
) -> (PhoneServer, Receiver<Event>) {
    let (tx, rx) = channel();
    let tx = std::sync::Mutex::new(tx);
    let notify: kiosk::serve::Notify = Arc::new(move |e| {
        let _ = tx.lock().unwrap().send(e);
    });
    let server = PhoneServer::start(db, library, session.id, options, notify).unwrap();
    (server, rx)
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Page {
    /// The value of the hidden or named input `name`, first one.
    pub fn input(&self, name: &str) -> Option<String> {
        let needle = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&needle)? + needle.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_string())
    }
}

/// A simulated phone: one cookie, no JavaScript, follows nothing by itself.
pub struct Phone {
    pub http: reqwest::Client,
    pub origin: String,
    pub cookie: Option<String>,
}

impl Phone {
    pub fn new(server: &PhoneServer) -> Self {
        Phone::at(&format!("http://{}", server.local_addr()))
    }

    /// A phone for a server at `origin` (`http://127.0.0.1:PORT`).
    pub fn at(origin: &str) -> Self {
        Phone {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .unwrap(),
            origin: origin.to_string(),
            cookie: None,
        }
    }

    /// A GET that may fail (the server may have been killed).
    pub async fn try_get(&mut self, path: &str) -> Option<Page> {
        let mut request = self.http.get(format!("{}{path}", self.origin));
        if let Some(c) = &self.cookie {
            request = request.header(reqwest::header::COOKIE, c);
        }
        let response = request.send().await.ok()?;
        Some(self.read(response).await)
    }

    /// A form POST that may fail.
    pub async fn try_post(&mut self, path: &str, body: String) -> Option<Page> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.origin))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body);
        if let Some(c) = &self.cookie {
            request = request.header(reqwest::header::COOKIE, c);
        }
        let response = request.send().await.ok()?;
        Some(self.read(response).await)
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header(reqwest::header::LOCATION);
        let set_cookie = header(reqwest::header::SET_COOKIE);
        if let Some(c) = &set_cookie {
            self.cookie = c.split(';').next().map(str::to_string);
        }
        Page {
            status,
            location,
            set_cookie,
            body: response.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let mut request = self.http.get(format!("{}{path}", self.origin));
        if let Some(c) = &self.cookie {
            request = request.header(reqwest::header::COOKIE, c);
        }
        let response = request.send().await.unwrap();
        self.read(response).await
    }

    pub async fn post(&mut self, path: &str, body: String) -> Page {
        let mut request = self
            .http
            .post(format!("{}{path}", self.origin))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body);
        if let Some(c) = &self.cookie {
            request = request.header(reqwest::header::COOKIE, c);
        }
        let response = request.send().await.unwrap();
        self.read(response).await
    }

    /// Joins through the join page's form; returns the first question page.
    pub async fn join(&mut self, join_path: &str) -> Page {
        let page = self.get(join_path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let joined = self.post(&format!("{join_path}join"), String::new()).await;
        assert_eq!(joined.status, 303, "{}", joined.body);
        let to = joined.location.unwrap();
        self.get(&to).await
    }

    /// Answers the question on `page` (as `answer_for` picks) and presses `go`.
    pub async fn answer(&mut self, page: &Page, rubric: &Rubric<'_>, go: &str) -> Page {
        let body = form_for(page, rubric, go);
        let path = form_action(page);
        self.post(&path, body).await
    }
}

/// The action of the page's form.
pub fn form_action(page: &Page) -> String {
    let needle = "action=\"";
    let start = page.body.find(needle).unwrap() + needle.len();
    let end = page.body[start..].find('"').unwrap() + start;
    page.body[start..end].to_string()
}

/// A filled-in form for the question on `page`.
pub fn form_for(page: &Page, rubric: &Rubric<'_>, go: &str) -> String {
    let key = page.input("k").unwrap();
    let index: usize = page.input("i").unwrap().parse().unwrap();
    let answer = match rubric.item(index).unwrap().kind {
        ItemKind::Scale { max, .. } => format!("v={max}"),
        ItemKind::YesNo { .. } => "v=yes".into(),
        ItemKind::Single { .. } => "v=0".into(),
        ItemKind::Multi { .. } => "c=0".into(),
        ItemKind::Count { min, .. } => format!("v={min}"),
        ItemKind::Text => "t=a+note".into(),
    };
    format!("k={key}&i={index}&{answer}&go={go}")
}

/// Follows a 303 (asserting it is one).
pub async fn follow(phone: &mut Phone, page: Page) -> Page {
    assert_eq!(page.status, 303, "expected a redirect: {}", page.body);
    let to = page.location.unwrap();
    phone.get(&to).await
}

/// A library holding the rubric `source` (TOML) as well as the shipped
/// ones: compiled, unsigned, and imported into `dir` as from a USB stick
/// after the warning about an unsigned bundle.
pub fn library_with(dir: &Path, name: &str, source: &str) -> Loaded {
    let payload =
        rubrics::compile(&[rubrics::Source::in_memory(&format!("{name}.toml"), source)]).unwrap();
    let bytes = rubrics::bundle_bytes(&payload, None).unwrap();
    let mut library = kiosk::library::Library::open(dir).unwrap();
    let trust = kiosk::library::TrustContext::load(dir, kiosk::library::Mode::SingleUser);
    let consent = kiosk::library::Consent {
        untrusted: true,
        replace: false,
    };
    library
        .import_bytes(&bytes, format!("{name}.rbk"), &trust, consent)
        .unwrap();
    library.current().clone()
}
