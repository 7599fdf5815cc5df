//! Counting failures per client: the failed-authentication limit of the API and the sign-in
//! limit of the pages people use ([`crate::session`]), and budgets such as the presentation
//! requests one address may make. Used by `http` and `session`; imports neither.
//!
//! Limits on failed authentication: after [`AuthLimiter::max_failures`] wrong or missing tokens
//! within one window, from one client address or with one presented token, every authenticated
//! request from that address or with that token is answered 429 with `Retry-After` until the
//! window ends. A successful authentication never counts.
//!
//! The address is the connection's peer ([`axum::extract::ConnectInfo`]), never a header a
//! client can write (`X-Forwarded-For`); IPv6 addresses count per /64, the block one client
//! usually holds. Memory is bounded: at most [`AuthLimiter::capacity`] keys are kept; expired
//! ones are dropped first, then the oldest.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// Failures allowed per key and window (the `N` in docs/API.md, "Limits").
pub const MAX_FAILURES: u32 = 10;
/// Length of the window, counted from a key's first failure.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Most keys (addresses and tokens) remembered at once.
pub const CAPACITY: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    /// SHA-256 of a presented (wrong) token: the token itself is never kept.
    Token([u8; 32]),
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    since: Instant,
}

/// Counts failed authentications per client address and per presented token.
#[derive(Debug)]
pub struct AuthLimiter {
    max_failures: u32,
    window: Duration,
    capacity: usize,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Default for AuthLimiter {
    fn default() -> Self {
        AuthLimiter::new(MAX_FAILURES, WINDOW, CAPACITY)
    }
}

fn keys(address: Option<IpAddr>, token: Option<&str>) -> impl Iterator<Item = Key> {
    let address = address.map(|ip| match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => Key::Address(IpAddr::V4(v4)),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                Key::Address(IpAddr::V6(prefix.into()))
            }
        },
        v4 => Key::Address(v4),
    });
    let token = token.map(|t| Key::Token(Sha256::digest(t.as_bytes()).into()));
    address.into_iter().chain(token)
}

impl AuthLimiter {
    pub fn new(max_failures: u32, window: Duration, capacity: usize) -> Self {
        AuthLimiter {
            max_failures: max_failures.max(1),
            window,
            capacity: capacity.max(2),
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn max_failures(&self) -> u32 {
        self.max_failures
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Keys currently remembered.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        // A panic while holding the lock leaves counts only; they stay usable.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Err(wait)` when the address or the token has used up its failures in the current
    /// window; `wait` is the time until that window ends.
    pub fn check(&self, address: Option<IpAddr>, token: Option<&str>) -> Result<(), Duration> {
        self.check_at(Instant::now(), address, token)
    }

    /// Counts one failed authentication against the address and the token.
    pub fn fail(&self, address: Option<IpAddr>, token: Option<&str>) {
        self.fail_at(Instant::now(), address, token)
    }

    fn check_at(
        &self,
        now: Instant,
        address: Option<IpAddr>,
        token: Option<&str>,
    ) -> Result<(), Duration> {
        let entries = self.lock();
        let mut wait = None;
        for key in keys(address, token) {
            if let Some(entry) = entries.get(&key) {
                let ends = entry.since + self.window;
                if entry.failures >= self.max_failures && ends > now {
                    wait = Some(wait.unwrap_or(Duration::ZERO).max(ends - now));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    fn fail_at(&self, now: Instant, address: Option<IpAddr>, token: Option<&str>) {
        let mut entries = self.lock();
        for key in keys(address, token) {
            if !entries.contains_key(&key) && entries.len() >= self.capacity {
                let window = self.window;
                entries.retain(|_, e| e.since + window > now);
                if entries.len() >= self.capacity {
                    let oldest = entries.iter().min_by_key(|(_, e)| e.since).map(|(k, _)| *k);
                    if let Some(oldest) = oldest {
                        entries.remove(&oldest);
                    }
                }
            }
            let entry = entries.entry(key).or_insert(Entry {
                failures: 0,
                since: now,
            });
            if entry.since + self.window <= now {
                *entry = Entry {
                    failures: 0,
                    since: now,
                };
            }
            entry.failures = entry.failures.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn blocks_after_max_failures_until_the_window_ends() {
        let limiter = AuthLimiter::new(3, Duration::from_secs(60), 100);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(t0, ip("10.0.0.1"), Some("x")).is_ok());
            limiter.fail_at(t0, ip("10.0.0.1"), Some("x"));
        }
        let wait = limiter
            .check_at(t0 + Duration::from_secs(10), ip("10.0.0.1"), Some("y"))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // The same wrong token from elsewhere is blocked too; another address and token are not.
        assert!(limiter.check_at(t0, ip("10.0.0.2"), Some("x")).is_err());
        assert!(limiter.check_at(t0, ip("10.0.0.2"), Some("y")).is_ok());
        assert!(limiter
            .check_at(t0 + Duration::from_secs(60), ip("10.0.0.1"), Some("x"))
            .is_ok());
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let limiter = AuthLimiter::new(2, Duration::from_secs(60), 100);
        let t0 = Instant::now();
        limiter.fail_at(t0, ip("2001:db8:1:2::1"), None);
        limiter.fail_at(t0, ip("2001:db8:1:2::ffff"), None);
        assert!(limiter.check_at(t0, ip("2001:db8:1:2::9"), None).is_err());
        assert!(limiter.check_at(t0, ip("2001:db8:1:3::1"), None).is_ok());
        limiter.fail_at(t0, ip("::ffff:10.0.0.7"), None);
        limiter.fail_at(t0, ip("10.0.0.7"), None);
        assert!(limiter.check_at(t0, ip("10.0.0.7"), None).is_err());
    }

    #[test]
    fn memory_stays_bounded_with_many_addresses() {
        let limiter = AuthLimiter::new(5, Duration::from_secs(60), 1000);
        let t0 = Instant::now();
        for i in 0..20_000u32 {
            let address = IpAddr::V4(i.into());
            limiter.fail_at(t0 + Duration::from_millis(i.into()), Some(address), None);
            assert!(limiter.len() <= 1000);
        }
        assert_eq!(limiter.len(), 1000);
        // A blocked address stays blocked while newer addresses keep arriving, as long as it
        // is not the oldest.
        let late = ip("192.0.2.1");
        let t1 = t0 + Duration::from_secs(100);
        for _ in 0..5 {
            limiter.fail_at(t1, late, None);
        }
        assert!(limiter.check_at(t1, late, None).is_err());
    }
}
