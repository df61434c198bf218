//! Requests per client address: a token bucket per address, so one phone
//! (or one misbehaving client) cannot crowd out the room.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// How many requests a client address may make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub per_second: f64,
    /// How many may come at once after a quiet spell.
    pub burst: f64,
}

impl Default for RateLimit {
    /// 20 a second, bursts of 40: far above what a person tapping through
    /// questions needs (two requests per question).
    fn default() -> Self {
        RateLimit {
            per_second: 20.0,
            burst: 40.0,
        }
    }
}

/// Forget addresses idle this long (seconds), so the table stays small.
const FORGET_AFTER: f64 = 60.0;

/// The buckets.
pub(crate) struct Limiter {
    rate: RateLimit,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    pub(crate) fn new(rate: RateLimit) -> Self {
        Limiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `addr`'s bucket; false when it is empty.
    pub(crate) fn allow(&self, addr: IpAddr) -> bool {
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() > 4096 {
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < FORGET_AFTER);
        }
        let (tokens, at) = buckets.entry(addr).or_insert((self.rate.burst, now));
        let refill = now.duration_since(*at).as_secs_f64() * self.rate.per_second;
        *tokens = (*tokens + refill).min(self.rate.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Wrong short codes one device may try before the short URL stops
/// working for that device (the QR code's URL keeps working).
const WRONG_CODES_PER_DEVICE: u32 = 20;

/// Wrong short codes from all devices together before the short URL stops
/// working for everyone: with 32^6 codes, 100 000 guesses find the code with
/// a chance of about 1 in 10 000.
const WRONG_CODES_IN_ALL: u32 = 100_000;

/// Devices remembered; a device first seen once the table is full is
/// refused the short URL (the QR code's URL keeps working).
const WRONG_CODE_DEVICES: usize = 65_536;

/// Wrong short codes, per device and in all, so that one device guessing
/// codes locks out itself rather than the room.
#[derive(Default)]
pub(crate) struct WrongCodes {
    in_all: std::sync::atomic::AtomicU32,
    by_device: Mutex<HashMap<IpAddr, u32>>,
}

impl WrongCodes {
    /// Whether `addr` (none: unknown) may still try a short code.
    pub(crate) fn allows(&self, addr: Option<IpAddr>) -> bool {
        use std::sync::atomic::Ordering;
        if self.in_all.load(Ordering::Relaxed) >= WRONG_CODES_IN_ALL {
            return false;
        }
        let Some(addr) = addr else {
            return true;
        };
        let Ok(by_device) = self.by_device.lock() else {
            return false;
        };
        match by_device.get(&addr) {
            Some(wrong) => *wrong < WRONG_CODES_PER_DEVICE,
            None => by_device.len() < WRONG_CODE_DEVICES,
        }
    }

    /// Counts one wrong code from `addr`.
    pub(crate) fn record(&self, addr: Option<IpAddr>) {
        use std::sync::atomic::Ordering;
        self.in_all.fetch_add(1, Ordering::Relaxed);
        let (Some(addr), Ok(mut by_device)) = (addr, self.by_device.lock()) else {
            return;
        };
        if by_device.len() < WRONG_CODE_DEVICES || by_device.contains_key(&addr) {
            let wrong = by_device.entry(addr).or_insert(0);
            *wrong = wrong.saturating_add(1);
        }
    }
}

/// Something counted per client address up to a limit: participants
/// started (for the life of the server), or connections open (taken and
/// given back). In memory only: no address is ever written to the store.
///
/// The kiosk machine's own loopback address (127.0.0.1, ::1) is not
/// limited: whoever sends from it sits at the kiosk, which holds the
/// database anyway, and the kiosk's own tools (the load and kill tests)
/// drive many phones from it. Every other address is, 127.0.0.2 included,
/// which the tests use as a second device.
pub(crate) struct ByAddress {
    limit: usize,
    counts: Mutex<HashMap<IpAddr, usize>>,
}

fn is_the_kiosk_itself(addr: IpAddr) -> bool {
    addr == IpAddr::from([127, 0, 0, 1]) || addr == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
}

impl ByAddress {
    pub(crate) fn new(limit: usize) -> Self {
        ByAddress {
            limit,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `addr` (none: unknown, as in-process) is below its limit.
    pub(crate) fn allows(&self, addr: Option<IpAddr>) -> bool {
        let Some(addr) = addr.filter(|a| !is_the_kiosk_itself(*a)) else {
            return true;
        };
        let Ok(counts) = self.counts.lock() else {
            return false;
        };
        counts.get(&addr).copied().unwrap_or(0) < self.limit
    }

    /// Counts one more for `addr`.
    pub(crate) fn record(&self, addr: Option<IpAddr>) {
        let (Some(addr), Ok(mut counts)) = (addr, self.counts.lock()) else {
            return;
        };
        *counts.entry(addr).or_insert(0) += 1;
    }

    /// Takes one for `addr` if it is below its limit (true), as
    /// [`ByAddress::allows`] then [`ByAddress::record`] at once.
    pub(crate) fn take(&self, addr: IpAddr) -> bool {
        if is_the_kiosk_itself(addr) {
            return true;
        }
        let Ok(mut counts) = self.counts.lock() else {
            return false;
        };
        let count = counts.entry(addr).or_insert(0);
        if *count >= self.limit {
            return false;
        }
        *count += 1;
        true
    }

    /// Gives back one taken for `addr`; an address at zero is forgotten.
    pub(crate) fn give_back(&self, addr: IpAddr) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        if let Some(count) = counts.get_mut(&addr) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&addr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        ByAddress, Limiter, RateLimit, WrongCodes, WRONG_CODES_IN_ALL, WRONG_CODES_PER_DEVICE,
    };

    #[test]
    fn a_device_takes_its_limit_and_no_more_and_the_kiosk_itself_is_not_limited() {
        let joins = ByAddress::new(3);
        let tablet = Some("192.0.2.7".parse().unwrap());
        let phone = Some("192.0.2.8".parse().unwrap());
        for _ in 0..3 {
            assert!(joins.allows(tablet));
            joins.record(tablet);
        }
        assert!(!joins.allows(tablet), "a fourth participant is refused");
        assert!(joins.allows(phone), "another device is not");
        let kiosk = "127.0.0.1".parse().unwrap();
        assert!((0..10).all(|_| joins.take(kiosk)));
        let connections = ByAddress::new(2);
        let addr = "127.0.0.2".parse().unwrap();
        assert!(connections.take(addr) && connections.take(addr));
        assert!(!connections.take(addr), "a third connection is refused");
        connections.give_back(addr);
        assert!(connections.take(addr), "one given back can be taken again");
    }

    #[test]
    fn a_burst_passes_and_the_next_request_is_refused() {
        let limiter = Limiter::new(RateLimit {
            per_second: 0.001,
            burst: 3.0,
        });
        let a = "127.0.0.2".parse().unwrap();
        let b = "127.0.0.3".parse().unwrap();
        assert!((0..3).all(|_| limiter.allow(a)));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b), "another client has its own bucket");
    }

    #[test]
    fn a_device_guessing_codes_locks_out_itself_not_the_room() {
        let wrong = WrongCodes::default();
        let guesser = Some("192.0.2.7".parse().unwrap());
        let phone = Some("192.0.2.8".parse().unwrap());
        for _ in 0..WRONG_CODES_PER_DEVICE {
            assert!(wrong.allows(guesser));
            wrong.record(guesser);
        }
        assert!(!wrong.allows(guesser), "the guesser is out");
        assert!(wrong.allows(phone), "another phone still gets in");
        assert!(wrong.allows(None));
    }

    #[test]
    fn many_devices_guessing_together_stop_the_short_url_for_everyone() {
        let wrong = WrongCodes::default();
        for n in 0..WRONG_CODES_IN_ALL {
            let device = std::net::Ipv6Addr::from(u128::from(n) + 1);
            wrong.record(Some(device.into()));
        }
        assert!(!wrong.allows(Some("192.0.2.8".parse().unwrap())));
        assert!(!wrong.allows(None));
    }
}
