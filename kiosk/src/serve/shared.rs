//! What the server's parts share: its options and limits, the state every
//! request handler reads, the news it sends the facilitator's screens, and
//! the random values it hands out. Kept apart from `mod.rs` so the router,
//! the pages and the request logic depend on it and not on each other's
//! parent.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::limits::{ByAddress, Limiter, RateLimit, WrongCodes};
use super::writer::Job;
use crate::library::Loaded;
use crate::store::PhoneCounts;
use crate::workshop::SessionId;

/// Largest request body accepted, in bytes (16 KiB). The longest free-text
/// answer fits with room to spare: [`MAX_TEXT_CHARS`] characters of up to 4
/// UTF-8 bytes, each byte sent as `%XX`, are 14 400 bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Longest free-text answer, in characters: a few paragraphs, and short
/// enough that even in emoji or Chinese (4 or 3 bytes each, percent-encoded
/// to 12 or 9) the form fits in [`MAX_BODY_BYTES`].
pub const MAX_TEXT_CHARS: usize = 1200;

/// The port phones connect to unless the facilitator picks another.
pub const DEFAULT_PORT: u16 = 8080;

/// Participants one device address may start in a session: a shared
/// tablet passed to two people, and one more for someone who pressed Finish
/// too early or cleared the browser. One device can no longer stand in for
/// the several people a minimum group needs (the kiosk machine's own
/// loopback address, 127.0.0.1 or ::1, is not limited: see `limits`).
pub const PHONES_PER_ADDRESS: usize = 3;

/// Connections one client address may hold open at once: a browser opens
/// at most six to one server, so 32 leave room for a shared tablet's tabs
/// while 1 024 idle connections from one address no longer take every slot.
pub const CONNECTIONS_PER_ADDRESS: usize = 32;

/// The name of the participant cookie.
pub const COOKIE: &str = "rk_phone";

/// Letters and digits of short codes: none can be mistaken for another.
pub(super) const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Most phones one session takes.
    pub max_participants: usize,
    /// Requests per client address.
    pub rate: RateLimit,
    /// Participants one device address may start (see [`PHONES_PER_ADDRESS`]).
    pub phones_per_address: usize,
    /// Connections one client address may hold open at once (see
    /// [`CONNECTIONS_PER_ADDRESS`]).
    pub connections_per_address: usize,
    /// A request (headers and body) must arrive within this.
    pub request_timeout: Duration,
}

impl Default for ServeOptions {
    /// All addresses on port [`DEFAULT_PORT`], 300 phones, 20 requests a
    /// second per client (bursts of 40), [`PHONES_PER_ADDRESS`] participants
    /// and [`CONNECTIONS_PER_ADDRESS`] connections per address, 10 s per
    /// request.
    fn default() -> Self {
        ServeOptions {
            listen: SocketAddr::from(([0, 0, 0, 0], DEFAULT_PORT)),
            max_participants: 300,
            rate: RateLimit::default(),
            phones_per_address: PHONES_PER_ADDRESS,
            connections_per_address: CONNECTIONS_PER_ADDRESS,
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// News for the facilitator's screens, sent as it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A phone joined, or finished and was forgotten; the counts after it.
    Joined(PhoneCounts),
    /// A phone's result was saved; the counts after it.
    ResultSaved(PhoneCounts),
}

/// Called on the server's threads with each [`Event`] (the app sends it on
/// a channel and calls `request_repaint`).
pub type Notify = Arc<dyn Fn(Event) + Send + Sync>;

/// What every request handler shares.
pub(crate) struct Shared {
    pub(super) writer: std::sync::mpsc::Sender<Job>,
    pub(super) library: Loaded,
    pub(super) session: SessionId,
    pub(super) session_name: String,
    pub(super) rubric_ids: Vec<String>,
    pub(super) show_own_result: bool,
    pub(super) secret: String,
    pub(super) code: String,
    pub(super) options: ServeOptions,
    pub(super) limiter: Limiter,
    pub(super) notify: Notify,
    pub(super) wrong_codes: WrongCodes,
    /// Participants started per device address.
    pub(super) joins: ByAddress,
}

/// 128 random bits as 32 lowercase hex digits.
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    // A failing random source is fatal for secrets: fall back to the UUID
    // generator's source rather than a predictable value.
    if getrandom::fill(&mut bytes).is_err() {
        bytes = *uuid::Uuid::new_v4().as_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a participant token, hex: what the store keeps.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
