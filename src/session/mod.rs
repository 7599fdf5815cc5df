//! Sign-in sessions for the pages people use (the institution console, the learner passport):
//! a cookie holding an opaque random id, the session stored under the hash of that id with an
//! expiry, a CSRF token bound to the session, and sign-out that deletes it.
//!
//! - The id is 256 random bits (base64url). The store never sees it: the session is a
//!   [`Ticket`] under `session/{realm}/{hex SHA-256(realm, id)}` ([`Store::put_ticket`]), so a
//!   leaked database opens no session, and expired sessions go with
//!   [`Store::purge_tickets`]. No new Store methods.
//! - A [`Realm`] keeps sessions apart: the console's cookie never opens the passport, and the
//!   other way round (the realm is in the key and in the cookie's name and path).
//! - The cookie is `HttpOnly; SameSite=Lax; Path=<realm path>`, plus `Secure` when the
//!   service's public URL is https ([`Sessions::new`]).
//! - Every form a signed-in person posts carries the session's CSRF token in a hidden field;
//!   [`csrf_ok`] compares it in constant time. Check it on EVERY POST, sign-out included.
//! - Sign-in failures are limited with the API's [`crate::limits::AuthLimiter`] (per
//!   client address and per account name): call [`sign_in_allowed`] before checking a
//!   password and [`sign_in_failed`] after a wrong one.
//!
//! ```ignore
//! use skillpass::session::{self, Realm, Sessions};
//! const PASSPORT: Realm = Realm { name: "passport", cookie: "skillpass-passport", path: "/passport" };
//! let sessions = Sessions::new(service.store().clone(), PASSPORT, service.public_url());
//! // Sign in (after checking the password): a fresh id every time.
//! let (id, session) = sessions.start("learner-42", serde_json::json!({}), service.now())?;
//! response.headers_mut().append(SET_COOKIE, sessions.cookie(&id, service.now()));
//! // Each request:
//! let session = sessions.from_headers(request.headers(), service.now())?; // Option<Session>
//! // In a form: <input type="hidden" name="csrf" value="{{ session.csrf }}">
//! // Each POST:
//! if !session::csrf_ok(&session, form.csrf.as_deref()) { /* 403 */ }
//! // Sign out:
//! sessions.end(&id)?; response.headers_mut().append(SET_COOKIE, sessions.clear_cookie());
//! ```

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use axum::http::{header, HeaderMap, HeaderValue};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::limits::AuthLimiter;
use crate::store::{Store, StoreError, Ticket};
use crate::wallet::tickets::random_token;

/// How long a session lasts from sign-in unless [`Sessions::with_ttl`] says otherwise.
pub const DEFAULT_TTL: Duration = Duration::hours(8);

/// Where a session is valid: its name (part of the store key), its cookie's name and path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Realm {
    /// Short lowercase name, e.g. `"console"`.
    pub name: &'static str,
    /// Cookie name, e.g. `"skillpass-console"`.
    pub cookie: &'static str,
    /// Cookie path, e.g. `"/console"`.
    pub path: &'static str,
}

/// A signed-in session as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Realm name.
    pub realm: String,
    /// Who signed in (an account id of the realm).
    pub subject: String,
    /// The CSRF token every form of this session must carry (not secret from the person,
    /// secret from other sites).
    pub csrf: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    /// Whatever the realm keeps with it (e.g. the institution and role).
    #[serde(default)]
    pub data: serde_json::Value,
}

/// Sessions of one realm over a store.
#[derive(Clone)]
pub struct Sessions {
    store: Arc<dyn Store>,
    realm: Realm,
    secure: bool,
    ttl: Duration,
}

impl Sessions {
    /// Sessions of `realm`; cookies are `Secure` when `public_url` is https.
    pub fn new(store: Arc<dyn Store>, realm: Realm, public_url: &str) -> Self {
        Sessions {
            store,
            realm,
            secure: public_url.starts_with("https://"),
            ttl: DEFAULT_TTL,
        }
    }

    /// Sessions end `ttl` after sign-in.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    pub fn realm(&self) -> Realm {
        self.realm
    }

    fn key(&self, id: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(self.realm.name.as_bytes());
        hash.update([0]);
        hash.update(id.as_bytes());
        let mut key = format!("session/{}/", self.realm.name);
        for b in hash.finalize() {
            key.push_str(&format!("{b:02x}"));
        }
        key
    }

    /// Starts a session for `subject` with a fresh id and CSRF token; returns the id (for the
    /// cookie only: it is never stored) and the session.
    pub fn start(
        &self,
        subject: &str,
        data: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<(String, Session), StoreError> {
        let id = random_token(32);
        let session = Session {
            realm: self.realm.name.to_owned(),
            subject: subject.to_owned(),
            csrf: random_token(32),
            created: now,
            expires: now + self.ttl,
            data,
        };
        let data = serde_json::to_value(&session)
            .map_err(|e| StoreError::Invalid(format!("session does not encode: {e}")))?;
        self.store.put_ticket(
            &self.key(&id),
            &Ticket {
                offer: String::new(),
                expires: session.expires,
                data,
            },
        )?;
        Ok((id, session))
    }

    /// The live session with this id: `None` when unknown, ended, expired or of another realm.
    pub fn get(&self, id: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        if id.is_empty() || id.len() > 128 {
            return Ok(None);
        }
        let Some(ticket) = self.store.get_ticket(&self.key(id))? else {
            return Ok(None);
        };
        let Ok(session) = serde_json::from_value::<Session>(ticket.data) else {
            return Ok(None);
        };
        Ok((session.expires > now && session.realm == self.realm.name).then_some(session))
    }

    /// The session id in the request's `Cookie` headers, if any.
    pub fn id_from_headers(&self, headers: &HeaderMap) -> Option<String> {
        cookie_value(headers, self.realm.cookie)
    }

    /// The live session of the request's cookie.
    pub fn from_headers(
        &self,
        headers: &HeaderMap,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        match self.id_from_headers(headers) {
            Some(id) => self.get(&id, now),
            None => Ok(None),
        }
    }

    /// Ends (deletes) the session; `true` when there was one.
    pub fn end(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.store.take_ticket(&self.key(id))?.is_some())
    }

    /// The `Set-Cookie` value that hands the browser the session id.
    pub fn cookie(&self, id: &str) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let value = format!(
            "{}={}; Path={}; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
            self.realm.cookie,
            id,
            self.realm.path,
            self.ttl.num_seconds()
        );
        // The id is base64url and the realm's names are constants: always a valid header.
        HeaderValue::from_str(&value).expect("cookie is header-safe")
    }

    /// The `Set-Cookie` value that removes the cookie (sign-out).
    pub fn clear_cookie(&self) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let value = format!(
            "{}=; Path={}; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
            self.realm.cookie, self.realm.path
        );
        HeaderValue::from_str(&value).expect("cookie is header-safe")
    }
}

/// Whether a POST may come from where it says it comes from: a browser's `Origin`, when it
/// sends one, must be this service's (`public_url`'s scheme, host and port), so a form on
/// another site never signs in or changes anything, on top of the CSRF token and
/// `SameSite=Lax`. The console and the passport both check it.
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let ours = public_url
        .splitn(4, '/')
        .take(3)
        .collect::<Vec<_>>()
        .join("/");
    origin.as_bytes().eq_ignore_ascii_case(ours.as_bytes())
}

/// Whether `presented` (the form's `csrf` field) is the session's CSRF token; constant time.
pub fn csrf_ok(session: &Session, presented: Option<&str>) -> bool {
    match presented {
        Some(p) if !p.is_empty() => bool::from(p.as_bytes().ct_eq(session.csrf.as_bytes())),
        _ => false,
    }
}

/// `Err(wait)` while sign-in from `address` or to `account` is blocked by too many failures.
pub fn sign_in_allowed(
    limiter: &AuthLimiter,
    address: Option<IpAddr>,
    account: &str,
) -> Result<(), StdDuration> {
    limiter.check(address, Some(&account_key(account)))
}

/// Counts a failed sign-in against the address and the account name.
pub fn sign_in_failed(limiter: &AuthLimiter, address: Option<IpAddr>, account: &str) {
    limiter.fail(address, Some(&account_key(account)))
}

/// Account names count case-insensitively and apart from API tokens.
fn account_key(account: &str) -> String {
    format!("sign-in\0{}", account.trim().to_lowercase())
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use chrono::TimeZone;

    const CONSOLE: Realm = Realm {
        name: "console",
        cookie: "skillpass-console",
        path: "/console",
    };
    const OTHER: Realm = Realm {
        name: "passport",
        cookie: "skillpass-passport",
        path: "/passport",
    };

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
    }

    #[test]
    fn a_session_opens_until_it_expires_or_ends() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let sessions = Sessions::new(store.clone(), CONSOLE, "https://x.test");
        let (id, session) = sessions
            .start("alice", serde_json::json!({"role": "viewer"}), t0())
            .unwrap();
        assert_eq!(sessions.get(&id, t0()).unwrap(), Some(session.clone()));
        assert_eq!(session.data["role"], "viewer");
        // The id is not what is stored.
        assert!(store.get_ticket(&id).unwrap().is_none());
        // Expired.
        assert!(sessions
            .get(&id, t0() + DEFAULT_TTL + Duration::seconds(1))
            .unwrap()
            .is_none());
        // Another realm's sessions do not open it; a wrong id opens nothing.
        let other = Sessions::new(store.clone(), OTHER, "https://x.test");
        assert!(other.get(&id, t0()).unwrap().is_none());
        assert!(sessions.get("nope", t0()).unwrap().is_none());
        assert!(sessions.get("", t0()).unwrap().is_none());
        // Ended.
        assert!(sessions.end(&id).unwrap());
        assert!(sessions.get(&id, t0()).unwrap().is_none());
        assert!(!sessions.end(&id).unwrap());
    }

    #[test]
    fn each_sign_in_gets_a_fresh_id_and_csrf_token() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let sessions = Sessions::new(store, CONSOLE, "http://localhost:8080");
        let (a, sa) = sessions
            .start("alice", serde_json::Value::Null, t0())
            .unwrap();
        let (b, sb) = sessions
            .start("alice", serde_json::Value::Null, t0())
            .unwrap();
        assert_ne!(a, b);
        assert_ne!(sa.csrf, sb.csrf);
        assert!(csrf_ok(&sa, Some(&sa.csrf)));
        assert!(!csrf_ok(&sa, Some(&sb.csrf)));
        assert!(!csrf_ok(&sa, Some("")));
        assert!(!csrf_ok(&sa, None));
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let https = Sessions::new(store.clone(), CONSOLE, "https://x.test");
        let c = https.cookie("abc");
        let c = c.to_str().unwrap();
        assert!(c.starts_with("skillpass-console=abc; Path=/console; Max-Age=28800"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        let http = Sessions::new(store, CONSOLE, "http://localhost:8080");
        assert!(!http.cookie("abc").to_str().unwrap().contains("Secure"));
        assert!(http.clear_cookie().to_str().unwrap().contains("Max-Age=0"));

        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; skillpass-console=xyz"),
        );
        assert_eq!(https.id_from_headers(&headers).as_deref(), Some("xyz"));
        assert_eq!(cookie_value(&headers, "skillpass-passport"), None);
    }

    #[test]
    fn sign_in_failures_are_limited_per_account() {
        let limiter = AuthLimiter::new(3, StdDuration::from_secs(60), 100);
        let a: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        let b: Option<IpAddr> = Some("10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert!(sign_in_allowed(&limiter, a, "Alice@x.test").is_ok());
            sign_in_failed(&limiter, a, "Alice@x.test");
        }
        assert!(sign_in_allowed(&limiter, a, "bob@x.test").is_err());
        // The same account from another address is blocked too, another account is not.
        assert!(sign_in_allowed(&limiter, b, "alice@x.test").is_err());
        assert!(sign_in_allowed(&limiter, b, "bob@x.test").is_ok());
    }
}
