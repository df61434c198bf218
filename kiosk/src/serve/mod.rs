//! The phone server: participants of a workshop session answer on their own
//! phones, in a browser, over the room's network; the kiosk is the server.
//!
//! [`PhoneServer::start`] binds an address for one session and serves
//! plain HTML pages from an [`axum`] router on a [`tokio`] runtime on a
//! background thread, so the egui thread never waits for it. It stops when
//! the handle is stopped or dropped. The pages are askama templates
//! (`pages`, `templates/`), which escape every value they print; the posted
//! form is read in `form`; what each request does is in `participant`, and
//! why one is refused in `error`; the rate limiter is in `limits`, and what
//! the parts share in `shared`.
//!
//! Security: every page's URL carries the session's random join secret
//! (80 bits); each phone gets a random 128-bit token in an `HttpOnly`,
//! `SameSite=Strict` cookie (stored only as its SHA-256); every form carries
//! the participant's anti-forgery value. No page shows another participant's
//! answers or result, and phones get no group figures. Request bodies are
//! capped at [`MAX_BODY_BYTES`], requests are rate-limited per client
//! address, a session takes at most [`ServeOptions::max_participants`]
//! phones and one device address at most [`PHONES_PER_ADDRESS`], one
//! address holds at most [`CONNECTIONS_PER_ADDRESS`] connections, and slow
//! clients are cut off.
//!
//! Forgetting: the cookie has no expiry date (the browser drops it when it
//! closes) and is refused once the session is closed; "Finish" on the
//! result page deletes the participant's row and clears the cookie, and
//! closing the session deletes every phone's row.
//!
//! Durability: answers in progress and results are written through one
//! store connection on its own thread (one writer, with group commit: see
//! `writer`), and committed before the page that shows them is sent.

mod error;
mod escaper;
mod form;
mod limits;
mod pages;
mod participant;
mod response;
mod routes;
mod shared;
mod writer;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::library::Loaded;
use crate::store::{PhoneAccess, PhoneCounts, ResultsStore, StoreError};
use crate::workshop::SessionId;

pub use escaper::escape;
pub use limits::RateLimit;
pub use shared::{
    Event, Notify, ServeOptions, CONNECTIONS_PER_ADDRESS, COOKIE, DEFAULT_PORT, MAX_BODY_BYTES,
    MAX_TEXT_CHARS, PHONES_PER_ADDRESS,
};
use shared::{Shared, CODE_ALPHABET};

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The store refused (no such session, closed session, a locked file ...).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address is taken or not ours.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The operating system would not give the server its thread or runtime.
    #[error("cannot start the phone server: {0}")]
    Runtime(std::io::Error),
    /// The random number source failed.
    #[error("no random numbers for the join secret: {0}")]
    Random(getrandom::Error),
}

/// A running phone server. Stops when [`PhoneServer::stop`] is called or
/// when it is dropped.
pub struct PhoneServer {
    addr: SocketAddr,
    access: PhoneAccess,
    shared: Option<Arc<Shared>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    writer_thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for PhoneServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PhoneServer({}, session {})",
            self.addr, self.access.session
        )
    }
}

/// Connections the kernel queues before the server accepts them: a room
/// of phones scanning the code at once must not be dropped (a dropped
/// connection attempt is retried only after a second).
const BACKLOG: i32 = 1024;

fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

fn random_secret_and_code() -> Result<(String, String), ServeError> {
    let mut bytes = [0u8; 22];
    getrandom::fill(&mut bytes).map_err(ServeError::Random)?;
    // Each byte's low 5 bits pick a letter uniformly: 16 letters are 80
    // bits of secret, 6 more the short code.
    let pick = |b: &u8| char::from(CODE_ALPHABET[usize::from(b & 31)]);
    let secret = bytes[..16]
        .iter()
        .map(|b| pick(b).to_ascii_lowercase())
        .collect();
    let code = bytes[16..].iter().map(pick).collect();
    Ok((secret, code))
}

impl PhoneServer {
    /// Opens `session` to phones and starts serving it on `options.listen`.
    /// The database at `db` gets its own connection (the app keeps its own).
    /// The session's join secret is made once and kept in the store, so a
    /// restarted kiosk serves the same URLs and phones resume.
    pub fn start(
        db: &Path,
        library: Loaded,
        session: SessionId,
        options: ServeOptions,
        notify: Notify,
    ) -> Result<PhoneServer, ServeError> {
        let listen_on = options.listen;
        let (shared, access, writer_thread) = prepare(db, library, session, options, notify)?;
        let std_listener = listen(listen_on).map_err(|source| ServeError::Bind {
            addr: listen_on,
            source,
        })?;
        let addr = std_listener.local_addr().map_err(ServeError::Runtime)?;
        std_listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("phone-server")
            .enable_io()
            .enable_time()
            .build()
            .map_err(ServeError::Runtime)?;
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name("phone-server".into())
            .spawn(move || {
                runtime.block_on(routes::serve(std_listener, serving, stop));
                runtime.shutdown_timeout(Duration::from_secs(2));
            })
            .map_err(ServeError::Runtime)?;
        log::info!("phones can join session {session} on {addr}");
        Ok(PhoneServer {
            addr,
            access,
            shared: Some(shared),
            shutdown: Some(shutdown),
            thread: Some(thread),
            writer_thread: Some(writer_thread),
        })
    }

    /// The address the server listens on (with the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The path of the join page: `/s/SECRET/`.
    pub fn join_path(&self) -> String {
        format!("/s/{}/", self.access.join_secret)
    }

    /// The 6-character code of the short URL (`http://HOST:PORT/CODE`).
    pub fn join_code(&self) -> &str {
        &self.access.join_code
    }

    /// The session being served.
    pub fn session(&self) -> SessionId {
        self.access.session
    }

    /// Lets new phones join, or stops them (those already in can finish).
    pub fn set_joining(&self, open: bool) -> Result<(), StoreError> {
        let session = self.access.session;
        self.with_store(move |store| store.set_phone_joining(session, open))
    }

    /// Whether new phones may join.
    pub fn joining_open(&self) -> Result<bool, StoreError> {
        let session = self.access.session;
        self.with_store(move |store| {
            Ok(store.phone_access(session)?.is_some_and(|a| a.joining_open))
        })
    }

    /// Phones joined and finished so far.
    pub fn counts(&self) -> Result<PhoneCounts, StoreError> {
        let session = self.access.session;
        self.with_store(move |store| store.phone_counts(session))
    }

    /// Runs `f` on the store's thread (in its own batch or one shared with
    /// phones' requests) and waits for the commit.
    fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&ResultsStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let gone = || StoreError::BadRecord {
            table: "phone_sessions",
            key: self.access.session.to_string(),
            reason: "the phone server's store connection has stopped".into(),
        };
        let shared = self.shared.as_ref().ok_or_else(gone)?;
        let (tx, rx) = std::sync::mpsc::channel();
        let job: writer::Job = Box::new(move |store| {
            let result = f(store);
            Box::new(move |committed| {
                let result = match committed {
                    Ok(()) => result,
                    Err(e) => Err(StoreError::BadRecord {
                        table: "phone_sessions",
                        key: String::new(),
                        reason: format!("not committed: {e}"),
                    }),
                };
                let _ = tx.send(result);
            })
        });
        shared.writer.send(job).map_err(|_| gone())?;
        rx.recv().map_err(|_| gone())?
    }

    /// Stops serving and waits for the server thread to end.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // The last sender goes with the shared state: the store's thread
        // finishes what it has and ends.
        self.shared = None;
        if let Some(thread) = self.writer_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for PhoneServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Opens `session` to phones in the store at `db` and starts the store's
/// thread: what serving needs, with or without a socket.
fn prepare(
    db: &Path,
    library: Loaded,
    session: SessionId,
    options: ServeOptions,
    notify: Notify,
) -> Result<(Arc<Shared>, PhoneAccess, JoinHandle<()>), ServeError> {
    let store = ResultsStore::open(db)?;
    let stored = store.session(session)?;
    let (secret, code) = random_secret_and_code()?;
    let access = store.open_phone_access(session, &secret, &code)?;
    let (writer, writer_thread) = writer::spawn(store).map_err(ServeError::Runtime)?;
    let options_phones = options.phones_per_address;
    let shared = Arc::new(Shared {
        writer,
        library,
        session,
        session_name: stored.name,
        rubric_ids: stored.rubric_ids,
        show_own_result: stored.show_own_result,
        secret: access.join_secret.clone(),
        code: access.join_code.clone(),
        limiter: limits::Limiter::new(options.rate),
        options,
        notify,
        wrong_codes: limits::WrongCodes::default(),
        joins: limits::ByAddress::new(options_phones),
    });
    Ok((shared, access, writer_thread))
}

/// The phone server's routes without a socket: a request goes straight to
/// the router (with `tower::ServiceExt::oneshot`) and through the same
/// store thread as on the network. For tests and the `phone_post` fuzz
/// target; the kiosk itself uses [`PhoneServer`]. Requests carry no client
/// address, so none is rate-limited.
pub struct InProcess {
    router: axum::Router,
    access: PhoneAccess,
}

impl std::fmt::Debug for InProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InProcess(session {})", self.access.session)
    }
}

impl InProcess {
    /// Opens `session` to phones, as [`PhoneServer::start`] does, but
    /// listens nowhere (`options.listen` is not used). The store's thread
    /// ends once the last clone of the router is dropped.
    pub fn start(
        db: &Path,
        library: Loaded,
        session: SessionId,
        options: ServeOptions,
        notify: Notify,
    ) -> Result<InProcess, ServeError> {
        let (shared, access, _writer_thread) = prepare(db, library, session, options, notify)?;
        Ok(InProcess {
            router: routes::router(shared),
            access,
        })
    }

    /// The router; call it from within a Tokio runtime with time enabled.
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// The path of the join page: `/s/SECRET/`.
    pub fn join_path(&self) -> String {
        format!("/s/{}/", self.access.join_secret)
    }

    /// The 6-character code of the short URL.
    pub fn join_code(&self) -> &str {
        &self.access.join_code
    }
}

/// The address phones should use for a server listening on `listen`: the
/// listen address itself, or for an unspecified one (`0.0.0.0`) the
/// address of the interface the system would route outward through. Finding
/// it sends nothing: connecting a UDP socket only picks a route.
pub fn phone_facing_ip(listen: SocketAddr) -> std::net::IpAddr {
    if !listen.ip().is_unspecified() {
        return listen.ip();
    }
    let probe = std::net::UdpSocket::bind(("0.0.0.0", 0))
        .and_then(|socket| {
            // A documentation address (TEST-NET-1); no packet is sent.
            socket.connect(("192.0.2.1", 9))?;
            socket.local_addr()
        })
        .map(|addr| addr.ip());
    match probe {
        Ok(ip) if !ip.is_unspecified() => ip,
        _ => std::net::IpAddr::from([127, 0, 0, 1]),
    }
}

/// The full join URL for phones (the one in the QR code).
pub fn join_url(server: &PhoneServer) -> String {
    let addr = SocketAddr::new(
        phone_facing_ip(server.local_addr()),
        server.local_addr().port(),
    );
    format!("http://{addr}{}", server.join_path())
}

/// The short URL with the 6-character code.
pub fn short_url(server: &PhoneServer) -> String {
    let addr = SocketAddr::new(
        phone_facing_ip(server.local_addr()),
        server.local_addr().port(),
    );
    format!("http://{addr}/{}", server.join_code())
}
