//! The router, its limits, and the accept loop.
//!
//! Paths: `/CODE` (the short join URL, redirects to the join page),
//! `/s/SECRET/` (join page), `POST /s/SECRET/join`, `GET|POST /s/SECRET/q`
//! (the participant's current page). Anything else is 404.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
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

use super::participant::{constant_time_eq, store_failed, Ctx, Reply};
use super::writer::Job;
use super::{html, Shared, COOKIE, MAX_BODY_BYTES};

/// Most connections open at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 1024;

/// A connection is closed after this long, however busy (a phone simply
/// opens a new one).
const MAX_CONNECTION_LIFE: Duration = Duration::from_secs(120);

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let app = app.clone();
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
        });
    }
}

pub(super) fn router(shared: Arc<Shared>) -> Router {
    let timeout = shared.options.request_timeout;
    Router::new()
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
            let mut response = page(
                StatusCode::TOO_MANY_REQUESTS,
                html::message_page(
                    "Slow down",
                    "Too many requests from this device; wait a second and try again.",
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return response;
        }
    }
    next.run(request).await
}

fn page(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A body over [`MAX_BODY_BYTES`] (refused by the limit layer, or by the
/// handler reading it) gets a page saying what to do, not the bare text of
/// the layer or the extractor.
async fn too_large_page(response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    page(
        StatusCode::PAYLOAD_TOO_LARGE,
        html::message_page(
            "Too long to send",
            "This page sent more than the kiosk takes at once. Shorten your answer and send it again; your earlier answers are safe.",
        ),
    )
}

async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        html::message_page(
            "Not found",
            "There is no such page. Scan the code on the projector again.",
        ),
    )
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn respond(shared: &Shared, reply: Reply) -> Response {
    match reply {
        Reply::Page(status, body) => page(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        ),
        Reply::Redirect { to, cookie } => {
            let mut response = see_other(&to);
            if let Some(token) = cookie {
                let value =
                    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=172800");
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
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
    work: impl FnOnce(&Ctx<'_>) -> Reply + Send + 'static,
) -> Response {
    if !constant_time_eq(secret.as_bytes(), shared.secret.as_bytes()) {
        return not_found().await;
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let worker = shared.clone();
    let job: Job = Box::new(move |store| {
        let reply = work(&Ctx {
            store,
            shared: &worker,
        });
        Box::new(move |committed| {
            let reply = match committed {
                Ok(()) => reply,
                Err(e) => store_failed(e),
            };
            let _ = tx.send(reply);
        })
    });
    if shared.writer.send(job).is_err() {
        return unavailable();
    }
    match rx.await {
        Ok(reply) => respond(&shared, reply),
        Err(_) => unavailable(),
    }
}

fn unavailable() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        html::message_page(
            "Not saved",
            "The kiosk could not take this just now. Your earlier answers are safe; try again in a moment.",
        ),
    )
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
    let code = code.to_ascii_uppercase();
    if shared.wrong_codes.allows(device)
        && constant_time_eq(code.as_bytes(), shared.code.as_bytes())
    {
        return see_other(&format!("/s/{}/", shared.secret));
    }
    shared.wrong_codes.record(device);
    not_found().await
}

async fn to_join_page(State(shared): State<Arc<Shared>>, Path(secret): Path<String>) -> Response {
    if !constant_time_eq(secret.as_bytes(), shared.secret.as_bytes()) {
        return not_found().await;
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
    headers: HeaderMap,
) -> Response {
    let token = token(&headers);
    with_ctx(shared, &secret, move |ctx| ctx.join(token.as_deref())).await
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

async fn answer(
    State(shared): State<Arc<Shared>>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = token(&headers);
    with_ctx(shared, &secret, move |ctx| {
        ctx.post(token.as_deref(), &body)
    })
    .await
}
