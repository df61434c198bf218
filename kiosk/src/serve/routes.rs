//! The router, its limits, and the accept loop.
//!
//! Paths: `/CODE` (the short join URL, redirects to the join page),
//! `/s/SECRET/` (join page), `POST /s/SECRET/join`, `GET|POST /s/SECRET/q`
//! (the participant's current page). Anything else is 404.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Form, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use super::error::PhoneError;
use super::limits::ByAddress;
use super::participant::{constant_time_eq, Ctx, Outcome, Reply};
use super::response::{see_other, HtmlPage};
use super::shared::{Shared, CODE_ALPHABET, COOKIE, MAX_BODY_BYTES};
use super::writer::Job;

/// Most connections open at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 1024;

/// A connection is closed after this long, however busy (a phone simply
/// opens a new one).
const MAX_CONNECTION_LIFE: Duration = Duration::from_secs(120);

/// Serves until `stop` fires.
pub(super) async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            log::error!("the phone server cannot use its socket: {e}");
            return;
        }
    };
    let app = router(shared.clone());
    let header_timeout = shared.options.request_timeout;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let per_address = Arc::new(ByAddress::new(shared.options.connections_per_address));
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    log::warn!("the phone server could not accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        // One address holding its share is refused at once (the connection
        // closes unanswered), so it cannot take the slots of the room.
        if !per_address.take(peer.ip()) {
            drop(stream);
            continue;
        }
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let app = app.clone();
        let per_address = per_address.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    app.clone().oneshot(request)
                });
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(MAX_CONNECTION_LIFE, connection).await;
            drop(slot);
            per_address.give_back(peer.ip());
        });
    }
}

pub(super) fn router(shared: Arc<Shared>) -> Router {
    let timeout = shared.options.request_timeout;
    Router::new()
        .route("/favicon.ico", get(favicon))
        .route("/{code}", get(short_code))
        .route("/s/{secret}", get(to_join_page))
        .route("/s/{secret}/", get(join_page))
        .route("/s/{secret}/join", post(join))
        .route("/s/{secret}/q", get(current).post(answer))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), rate_limit))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(middleware::map_response(too_large_page))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .with_state(shared)
}

async fn rate_limit(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(ip) = peer {
        if !shared.limiter.allow(ip) {
            return PhoneError::SlowDown.into_response();
        }
    }
    next.run(request).await
}

/// A body over [`MAX_BODY_BYTES`] (refused by the limit layer, or by the
/// extractor reading it) gets a page saying what to do, not the bare text
/// of the layer or the extractor.
async fn too_large_page(response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    PhoneError::TooLarge.into_response()
}

async fn not_found() -> PhoneError {
    PhoneError::NotFound
}

fn respond(shared: &Shared, reply: Reply) -> Response {
    match reply {
        Reply::Page(body) => HtmlPage(StatusCode::OK, body).into_response(),
        Reply::Redirect { to, cookie } => {
            let mut response = see_other(&to);
            if let Some(token) = cookie {
                // No Max-Age and no Expires: the browser drops it when it
                // closes, and the server refuses it once the session closes.
                let value = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
            }
            response
        }
        Reply::Forgotten(body) => {
            let mut response = HtmlPage(StatusCode::OK, body).into_response();
            let cleared = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            if let Ok(value) = HeaderValue::from_str(&cleared) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Reply::Notify(reply, event) => {
            (shared.notify)(event);
            respond(shared, *reply)
        }
    }
}

/// The participant token from the cookie, if it has the right shape.
fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Runs a request's work on the store's thread and waits for its commit.
async fn with_ctx(
    shared: Arc<Shared>,
    secret: &str,
    work: impl FnOnce(&Ctx<'_>) -> Outcome + Send + 'static,
) -> Response {
    if !constant_time_eq(secret.as_bytes(), shared.secret.as_bytes()) {
        return PhoneError::NotFound.into_response();
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let worker = shared.clone();
    let job: Job = Box::new(move |store| {
        let outcome = work(&Ctx {
            store,
            shared: &worker,
        });
        Box::new(move |committed| {
            let outcome = match committed {
                Ok(()) => outcome,
                Err(e) => Err(PhoneError::not_committed(e)),
            };
            let _ = tx.send(outcome);
        })
    });
    if shared.writer.send(job).is_err() {
        return PhoneError::Unavailable.into_response();
    }
    match rx.await {
        Ok(Ok(reply)) => respond(&shared, reply),
        Ok(Err(e)) => e.into_response(),
        Err(_) => PhoneError::Unavailable.into_response(),
    }
}

/// The small icon a browser asks for by itself, so that asking for it is
/// neither a wrong short code nor an error page.
const FAVICON: &[u8] = include_bytes!("favicon.ico");

async fn favicon() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/x-icon"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=86400"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        FAVICON,
    )
        .into_response()
}

/// Whether a path could be a short code at all: as many of the code's
/// letters and digits as a code has, in either case. Only such paths count
/// as a device's wrong guesses; `/robots.txt` or `/apple-touch-icon.png`,
/// which browsers ask for by themselves, do not.
fn shaped_like_a_code(path: &str, code: &str) -> bool {
    path.len() == code.len()
        && path
            .bytes()
            .all(|b| CODE_ALPHABET.contains(&b.to_ascii_uppercase()))
}

async fn short_code(
    State(shared): State<Arc<Shared>>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let device = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if !shaped_like_a_code(&code, &shared.code) {
        return PhoneError::NotFound.into_response();
    }
    let code = code.to_ascii_uppercase();
    if shared.wrong_codes.allows(device)
        && constant_time_eq(code.as_bytes(), shared.code.as_bytes())
    {
        return see_other(&format!("/s/{}/", shared.secret));
    }
    shared.wrong_codes.record(device);
    PhoneError::NotFound.into_response()
}

async fn to_join_page(State(shared): State<Arc<Shared>>, Path(secret): Path<String>) -> Response {
    if !constant_time_eq(secret.as_bytes(), shared.secret.as_bytes()) {
        return PhoneError::NotFound.into_response();
    }
    see_other(&format!("/s/{}/", shared.secret))
}

async fn join_page(
    State(shared): State<Arc<Shared>>,
    Path(secret): Path<String>,
    headers: HeaderMap,
) -> Response {
    let token = token(&headers);
    with_ctx(shared, &secret, move |ctx| ctx.join_page(token.as_deref())).await
}

async fn join(
    State(shared): State<Arc<Shared>>,
    Path(secret): Path<String>,
    request: Request,
) -> Response {
    let token = token(request.headers());
    let device = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    with_ctx(shared, &secret, move |ctx| {
        ctx.join(token.as_deref(), device)
    })
    .await
}

async fn current(
    State(shared): State<Arc<Shared>>,
    Path(secret): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let token = token(&headers);
    let needs_answer = query.as_deref() == Some("need=1");
    with_ctx(shared, &secret, move |ctx| {
        ctx.current_page(token.as_deref(), needs_answer)
    })
    .await
}

/// The question form, as the pairs axum's form extractor decodes (a
/// multiple-choice question repeats `c`, which a struct cannot collect).
async fn answer(
    State(shared): State<Arc<Shared>>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match form {
        Ok(Form(fields)) => Ok(fields),
        // Too large is said whatever the path, as the body limit does.
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return PhoneError::TooLarge.into_response()
        }
        Err(FormRejection::InvalidFormContentType(_)) => Err(PhoneError::NotAForm),
        Err(rejection) => {
            log::info!("a phone's form could not be decoded: {rejection}");
            Err(PhoneError::BodyUnreadable)
        }
    };
    let token = token(&headers);
    with_ctx(shared, &secret, move |ctx| {
        ctx.post(token.as_deref(), fields)
    })
    .await
}
