//! The document cache: fresh copies as long as the documents say, one fetch per URL at a
//! time, and the last good copy (with its age) when the publishing node cannot be reached.
//!
//! Freshness, from when a copy was fetched:
//! - status lists: the least of `validUntil`, the list's `ttl` (milliseconds, Bitstring Status
//!   List v1.0 §2.2) and `Cache-Control: max-age`; 60 s when none of them is given;
//! - DID documents: 5 minutes, less when `Cache-Control` says so;
//! - the registry: `Cache-Control: max-age`, else 10 minutes.
//!
//! Concurrent gets of one URL share one fetch: those that wait for it receive its result (the
//! fresh copy, or its failure) rather than fetching again, and a failure stands for
//! [`RETRY_AFTER`] (5 s) before the next attempt, so a node that is down sees at most one
//! attempt per URL in that time however many verifications ask. A failure to reach the node
//! ([`FetchError::is_unavailable`]) falls back on the last good copy as [`Source::Stale`]; a
//! refusal by a rule (host no longer allowed, forbidden address, wrong media type…) does not.
//! The cache holds at most `capacity` URLs, dropping the least recently used.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{DocumentKind, FetchError, Fetcher};
use crate::service::Clock;

/// Status lists that give no freshness of their own.
pub const DEFAULT_STATUS_LIST_TTL: Duration = Duration::from_secs(60);
/// DID documents.
pub const DID_DOCUMENT_TTL: Duration = Duration::from_secs(5 * 60);
/// The registry, when its response gives no `Cache-Control`.
pub const DEFAULT_REGISTRY_TTL: Duration = Duration::from_secs(10 * 60);
/// How long a failed fetch is answered from memory (its error, or the stale copy) before the
/// next attempt.
pub const RETRY_AFTER: chrono::Duration = chrono::Duration::seconds(5);

/// A document from the cache and where it came from.
#[derive(Clone, Debug)]
pub struct Cached {
    pub document: Arc<Value>,
    pub source: Source,
}

/// Where a cached answer came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "camelCase")]
pub enum Source {
    /// Fetched now (by this get, or by the one it waited for).
    Fetched { at: DateTime<Utc> },
    /// A fresh copy from the cache.
    #[serde(rename_all = "camelCase")]
    Cache {
        fetched_at: DateTime<Utc>,
        age_secs: u64,
    },
    /// The publishing node could not be reached: the last good copy, its age, and why.
    #[serde(rename_all = "camelCase")]
    Stale {
        fetched_at: DateTime<Utc>,
        age_secs: u64,
        error: String,
    },
}

/// The bounded, single-flight document cache. Cheap to clone (shared state).
#[derive(Clone)]
pub struct DocumentCache {
    inner: Arc<Inner>,
}

struct Inner {
    fetcher: Fetcher,
    capacity: usize,
    clock: Arc<dyn Clock>,
    slots: Mutex<HashMap<(DocumentKind, String), Arc<Slot>>>,
    /// Orders uses, for dropping the least recently used slot.
    tick: AtomicU64,
}

struct Slot {
    state: tokio::sync::Mutex<State>,
    /// Completed fetch attempts; read before waiting, to tell whether one finished meanwhile.
    attempts: AtomicU64,
    last_used: AtomicU64,
}

#[derive(Default)]
struct State {
    good: Option<Good>,
    /// The last attempt's failure and when, if it failed.
    failure: Option<(FetchError, DateTime<Utc>)>,
}

struct Good {
    document: Arc<Value>,
    fetched_at: DateTime<Utc>,
    fresh_until: DateTime<Utc>,
}

impl std::fmt::Debug for DocumentCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentCache")
            .field("capacity", &self.inner.capacity)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl DocumentCache {
    /// A cache of at most `capacity` URLs (at least one) in front of `fetcher`; `clock` decides
    /// freshness and ages.
    pub fn new(fetcher: Fetcher, capacity: usize, clock: Arc<dyn Clock>) -> Self {
        DocumentCache {
            inner: Arc::new(Inner {
                fetcher,
                capacity: capacity.max(1),
                clock,
                slots: Mutex::new(HashMap::new()),
                tick: AtomicU64::new(0),
            }),
        }
    }

    /// The fetcher behind the cache.
    pub fn fetcher(&self) -> &Fetcher {
        &self.inner.fetcher
    }

    /// How many URLs are held.
    pub fn len(&self) -> usize {
        self.inner.slots.lock().expect("cache slots").len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The document at `url`: a fresh cached copy, else fetched now, else (when the node cannot
    /// be reached) the last good copy marked stale; an error when there is none or a rule
    /// refused the fetch.
    pub async fn get(&self, url: &str, kind: DocumentKind) -> Result<Cached, FetchError> {
        let slot = self.slot(url, kind);
        let seen = slot.attempts.load(Ordering::Acquire);
        let mut state = slot.state.lock().await;
        let now = self.inner.clock.now();
        if let Some(good) = &state.good {
            if now < good.fresh_until {
                return Ok(Cached {
                    document: good.document.clone(),
                    source: Source::Cache {
                        fetched_at: good.fetched_at,
                        age_secs: age_secs(good.fetched_at, now),
                    },
                });
            }
        }
        if slot.attempts.load(Ordering::Acquire) != seen {
            // A fetch finished while this get waited for it: share its outcome.
            match &state.failure {
                None => {
                    if let Some(good) = &state.good {
                        return Ok(Cached {
                            document: good.document.clone(),
                            source: Source::Fetched {
                                at: good.fetched_at,
                            },
                        });
                    }
                }
                Some((error, _)) => return fallback(&state, error.clone(), now),
            }
        }
        if let Some((error, at)) = &state.failure {
            if now < *at + RETRY_AFTER {
                // Failed a moment ago: not again yet (a node that is down is not hammered).
                return fallback(&state, error.clone(), now);
            }
        }
        let outcome = self.inner.fetcher.get(url, kind).await;
        let now = self.inner.clock.now();
        let result = match outcome {
            Ok(fetched) => {
                let document = Arc::new(fetched.document);
                let lifetime = freshness(kind, &document, fetched.max_age, now);
                let fresh_until =
                    now + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::MAX);
                state.good = Some(Good {
                    document: document.clone(),
                    fetched_at: now,
                    fresh_until,
                });
                state.failure = None;
                Ok(Cached {
                    document,
                    source: Source::Fetched { at: now },
                })
            }
            Err(error) => {
                state.failure = Some((error.clone(), now));
                fallback(&state, error, now)
            }
        };
        slot.attempts.fetch_add(1, Ordering::AcqRel);
        result
    }

    /// The slot for `url`, made (and the least recently used one dropped) when there is none.
    fn slot(&self, url: &str, kind: DocumentKind) -> Arc<Slot> {
        let tick = self.inner.tick.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.inner.slots.lock().expect("cache slots");
        let key = (kind, url.to_owned());
        if let Some(slot) = slots.get(&key) {
            slot.last_used.store(tick, Ordering::Relaxed);
            return slot.clone();
        }
        if slots.len() >= self.inner.capacity {
            let oldest = slots
                .iter()
                .min_by_key(|(_, s)| s.last_used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                slots.remove(&oldest);
            }
        }
        let slot = Arc::new(Slot {
            state: tokio::sync::Mutex::new(State::default()),
            attempts: AtomicU64::new(0),
            last_used: AtomicU64::new(tick),
        });
        slots.insert(key, slot.clone());
        slot
    }
}

/// After a failed fetch: the last good copy when the node could not be reached, else the error.
fn fallback(state: &State, error: FetchError, now: DateTime<Utc>) -> Result<Cached, FetchError> {
    match &state.good {
        Some(good) if error.is_unavailable() => Ok(Cached {
            document: good.document.clone(),
            source: Source::Stale {
                fetched_at: good.fetched_at,
                age_secs: age_secs(good.fetched_at, now),
                error: error.to_string(),
            },
        }),
        _ => Err(error),
    }
}

fn age_secs(then: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    (now - then).num_seconds().max(0) as u64
}

/// How long a document fetched at `now` stays fresh.
pub fn freshness(
    kind: DocumentKind,
    document: &Value,
    max_age: Option<Duration>,
    now: DateTime<Utc>,
) -> Duration {
    match kind {
        DocumentKind::StatusList => {
            let ttl = status_list_ttl(document);
            let valid_until = document
                .get("validUntil")
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|until| {
                    (until.with_timezone(&Utc) - now)
                        .to_std()
                        .unwrap_or(Duration::ZERO)
                });
            [ttl, valid_until, max_age]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(DEFAULT_STATUS_LIST_TTL)
        }
        DocumentKind::DidDocument => max_age.map_or(DID_DOCUMENT_TTL, |m| m.min(DID_DOCUMENT_TTL)),
        DocumentKind::Registry => max_age.unwrap_or(DEFAULT_REGISTRY_TTL),
        // An imported credential is checked once, on import.
        DocumentKind::Credential => max_age.unwrap_or(Duration::ZERO),
    }
}

/// The `ttl` of a Bitstring status list credential's subject, in milliseconds.
fn status_list_ttl(document: &Value) -> Option<Duration> {
    let subject = document.get("credentialSubject")?;
    let subject = match subject {
        Value::Array(items) => items.first()?,
        one => one,
    };
    let ttl = subject.get("ttl")?;
    ttl.as_u64()
        .or_else(|| ttl.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
        .map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(secs)
    }

    #[test]
    fn status_list_freshness_is_the_least_of_ttl_valid_until_and_max_age() {
        let kind = DocumentKind::StatusList;
        let s = Duration::from_secs;
        let list = |subject: Value, until: Option<&str>| {
            let mut doc = json!({"credentialSubject": subject});
            if let Some(u) = until {
                doc["validUntil"] = json!(u);
            }
            doc
        };
        assert_eq!(freshness(kind, &list(json!({}), None), None, at(0)), s(60));
        assert_eq!(
            freshness(kind, &list(json!({"ttl": 5000}), None), None, at(0)),
            s(5)
        );
        assert_eq!(
            freshness(
                kind,
                &list(json!({"ttl": 500000}), None),
                Some(s(30)),
                at(0)
            ),
            s(30)
        );
        assert_eq!(
            freshness(kind, &list(json!({}), None), Some(s(300)), at(0)),
            s(300)
        );
        assert_eq!(
            freshness(
                kind,
                &list(json!({"ttl": 600000}), Some("2026-12-01T00:00:20Z")),
                None,
                at(0)
            ),
            s(20)
        );
        // Already past validUntil: stale at once.
        assert_eq!(
            freshness(
                kind,
                &list(json!({}), Some("2026-11-30T00:00:00Z")),
                None,
                at(0)
            ),
            Duration::ZERO
        );
        assert_eq!(
            freshness(kind, &list(json!([{"ttl": 2000}]), None), None, at(0)),
            s(2)
        );
    }

    #[test]
    fn did_documents_and_the_registry_have_their_defaults() {
        let s = Duration::from_secs;
        let doc = json!({});
        assert_eq!(
            freshness(DocumentKind::DidDocument, &doc, None, at(0)),
            s(300)
        );
        assert_eq!(
            freshness(DocumentKind::DidDocument, &doc, Some(s(10)), at(0)),
            s(10)
        );
        assert_eq!(
            freshness(DocumentKind::DidDocument, &doc, Some(s(9999)), at(0)),
            s(300)
        );
        assert_eq!(freshness(DocumentKind::Registry, &doc, None, at(0)), s(600));
        assert_eq!(
            freshness(DocumentKind::Registry, &doc, Some(s(9999)), at(0)),
            s(9999)
        );
    }

    #[test]
    fn sources_serialise_with_their_origin() {
        let stale = Source::Stale {
            fetched_at: at(0),
            age_secs: 90,
            error: "down".into(),
        };
        assert_eq!(
            serde_json::to_value(&stale).unwrap(),
            json!({"from": "stale", "fetchedAt": "2026-12-01T00:00:00Z", "ageSecs": 90, "error": "down"})
        );
        assert_eq!(
            serde_json::to_value(Source::Fetched { at: at(0) }).unwrap(),
            json!({"from": "fetched", "at": "2026-12-01T00:00:00Z"})
        );
    }
}
