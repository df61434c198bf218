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

#[cfg(test)]
mod tests {
    use super::{Limiter, RateLimit};

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
}
