//! The one guarded fetcher: everything skillpass reads from other nodes goes through here.
//!
//! A verifier reads three kinds of documents from other hosts — Bitstring status list
//! credentials, did:web DID documents and the alliance registry ([`DocumentKind`]) — and nothing
//! else (JSON-LD contexts are bundled, never fetched). This module owns the rules for doing so:
//!
//! - https only; plain http only when [`FetchPolicy::allow_http_loopback`] is set (tests) and the
//!   URL names a loopback address or `localhost`;
//! - only hosts an [`AllowedHosts`] list allows (registry members' hosts plus configured ones);
//! - never a private, loopback, link-local, multicast, unspecified, CGNAT, unique-local or
//!   documentation address ([`guard`]): IP literals are checked before the request, host names
//!   in the client's resolver, which hands the client only addresses that passed (so a DNS
//!   answer cannot change between the check and the connection);
//! - redirects followed by hand, each hop checked again, at most [`FetchPolicy::max_redirects`];
//! - a size limit, connect and total timeouts, and the media types the document kind allows;
//! - no proxy from the environment (it would connect where the checks did not look);
//! - every fetch logged at debug level with its URL, outcome and time.
//!
//! [`DocumentCache`] ([`cache`]) keeps documents as long as they say they are fresh, one fetch
//! per URL at a time, and the last good copy for when the issuer's node is down; [`remote`]
//! adapts both to the verifier's synchronous traits.
//!
//! [`own_node`] is the one other request skillpass makes: the operator's CLI asking its own node
//! for an online backup with the admin token, under rules of its own.

pub mod cache;
pub mod guard;
pub mod own_node;
pub mod remote;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header::{
    HeaderMap, ACCEPT, AGE, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, LOCATION,
};
use reqwest::Url;
use serde_json::Value;

pub use cache::{Cached, DocumentCache, Source};
pub use guard::Resolve;
pub use remote::{Lookup, RemoteDidResolver, RemoteStatusLists};

/// How far the fetcher goes. The default: https only, 1 MiB, 3 s to connect, 10 s in all,
/// 3 redirects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchPolicy {
    /// Tests only: plain `http://` to a loopback address (`127.0.0.1`, `[::1]`, `localhost`) is
    /// allowed, and so are loopback addresses the URL names itself. Names other than
    /// `localhost` that resolve to loopback are still refused.
    pub allow_http_loopback: bool,
    /// The largest body read, in bytes.
    pub max_bytes: u64,
    /// How long establishing a connection (TCP and TLS) may take.
    pub connect_timeout: Duration,
    /// How long one [`Fetcher::get`] may take in all, redirects and body included.
    pub total_timeout: Duration,
    /// How many redirects are followed.
    pub max_redirects: usize,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_http_loopback: false,
            max_bytes: 1024 * 1024,
            connect_timeout: Duration::from_secs(3),
            total_timeout: Duration::from_secs(10),
            max_redirects: 3,
        }
    }
}

/// Which hosts may be fetched from at all (the registry's members' hosts + a configured list).
///
/// `host` is the URL's `host[:port]`, lowercase, the port only when it is not the scheme's
/// default, IPv6 literals in brackets: `node.example`, `node.example:8443`, `127.0.0.1:8080`.
pub trait AllowedHosts: Send + Sync {
    fn allows(&self, host: &str) -> bool;
}

/// A fixed allow-list: exact `host[:port]` matches (ASCII case-insensitive). `node.example`
/// allows `https://node.example/…` only; `node.example:8443` allows that port.
#[derive(Clone, Debug, Default)]
pub struct StaticHosts(pub Vec<String>);

impl AllowedHosts for StaticHosts {
    fn allows(&self, host: &str) -> bool {
        self.0.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// What is being fetched; decides the media types accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// A Bitstring status list credential.
    StatusList,
    /// A did:web DID document.
    DidDocument,
    /// The alliance registry document (a signed credential).
    Registry,
    /// A credential a learner imports into a passport by its link ([`crate::passport`]).
    Credential,
}

const CREDENTIAL_TYPES: &[&str] = &[
    "application/vc",
    "application/ld+json",
    "application/json",
    "application/vc+ld+json",
];
const DID_TYPES: &[&str] = &[
    "application/did+ld+json",
    "application/did+json",
    "application/json",
    "application/ld+json",
];

impl DocumentKind {
    /// The media types a response may carry (parameters such as `charset` aside).
    pub fn media_types(self) -> &'static [&'static str] {
        match self {
            DocumentKind::StatusList | DocumentKind::Registry | DocumentKind::Credential => {
                CREDENTIAL_TYPES
            }
            DocumentKind::DidDocument => DID_TYPES,
        }
    }

    fn accept(self) -> &'static str {
        match self {
            DocumentKind::StatusList | DocumentKind::Registry | DocumentKind::Credential => {
                "application/vc, application/ld+json;q=0.9, application/json;q=0.8"
            }
            DocumentKind::DidDocument => {
                "application/did+ld+json, application/did+json, application/json;q=0.9, application/ld+json;q=0.8"
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            DocumentKind::StatusList => "status list",
            DocumentKind::DidDocument => "DID document",
            DocumentKind::Registry => "registry",
            DocumentKind::Credential => "credential",
        }
    }
}

/// A fetched document.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The final URL, after redirects.
    pub url: String,
    /// The body: a JSON object.
    pub document: Value,
    /// When the response arrived.
    pub at: DateTime<Utc>,
    /// How long the response says it stays fresh (`Cache-Control: max-age` less `Age`;
    /// zero for `no-store` / `no-cache`), when it says so.
    pub max_age: Option<Duration>,
}

/// Why a document was not fetched. Each message names the URL and what was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{url}: refused: only https URLs are fetched")]
    NotHttps { url: String },
    #[error("{url}: refused: host {host} is not on the allow-list (registry members' hosts and configured hosts)")]
    HostNotAllowed { url: String, host: String },
    #[error("{url}: refused: {address} is {reason}")]
    ForbiddenAddress {
        url: String,
        address: String,
        reason: &'static str,
    },
    #[error("{url}: refused: more than {max} redirects")]
    TooManyRedirects { url: String, max: usize },
    #[error("{url}: refused: the response is larger than {max_bytes} bytes")]
    TooLarge { url: String, max_bytes: u64 },
    #[error("{url}: timed out after {} ms", .after.as_millis())]
    Timeout { url: String, after: Duration },
    #[error("{url}: the server answered HTTP {status}")]
    HttpStatus { url: String, status: u16 },
    #[error("{url}: refused: media type {found:?} is not one a {kind} is served as ({expected})")]
    MediaType {
        url: String,
        found: String,
        kind: &'static str,
        expected: String,
    },
    #[error("{url}: the body is not a JSON object: {reason}")]
    NotJson { url: String, reason: String },
    #[error("{url}: could not connect or read: {reason}")]
    Network { url: String, reason: String },
}

impl FetchError {
    /// Whether the document could not be reached (timeout, network, a 5xx or 429 answer), as
    /// opposed to refused by a rule: only then may a cache fall back on its last good copy.
    pub fn is_unavailable(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            FetchError::HttpStatus { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// Caps how much of an untrusted URL is echoed into a message.
pub(crate) fn shown(url: &str) -> String {
    const MAX: usize = 200;
    match url.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &url[..cut]),
        None => url.to_owned(),
    }
}

/// The guarded HTTP client. Cheap to clone (one shared connection pool).
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    policy: FetchPolicy,
    hosts: Arc<dyn AllowedHosts>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("policy", &self.inner.policy)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher resolving host names with the system's resolver.
    pub fn new(policy: FetchPolicy, hosts: Arc<dyn AllowedHosts>) -> Result<Fetcher, FetchError> {
        Self::build(policy, hosts, None)
    }

    /// A fetcher resolving host names with `resolve` instead of the system's resolver (tests:
    /// a name that resolves to a private address, without DNS). Every answer still passes the
    /// same address checks.
    pub fn with_resolver(
        policy: FetchPolicy,
        hosts: Arc<dyn AllowedHosts>,
        resolve: Resolve,
    ) -> Result<Fetcher, FetchError> {
        Self::build(policy, hosts, Some(resolve))
    }

    fn build(
        policy: FetchPolicy,
        hosts: Arc<dyn AllowedHosts>,
        lookup: Option<Resolve>,
    ) -> Result<Fetcher, FetchError> {
        let resolver = guard::GuardedResolver {
            lookup,
            allow_localhost: policy.allow_http_loopback,
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.total_timeout)
            .dns_resolver(Arc::new(resolver))
            .user_agent(concat!("skillpass/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FetchError::Network {
                url: String::new(),
                reason: format!("could not build the HTTP client: {e}"),
            })?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                policy,
                hosts,
            }),
        })
    }

    /// The policy this fetcher enforces.
    pub fn policy(&self) -> &FetchPolicy {
        &self.inner.policy
    }

    /// Whether the allow-list allows `url`'s host (and its scheme and address rules pass).
    pub fn check(&self, url: &str) -> Result<(), FetchError> {
        let parsed = parse(url)?;
        guard::check_url(&parsed, &self.inner.policy, self.inner.hosts.as_ref())
    }

    /// Fetches `url` as a document of `kind`, following redirects under the same rules.
    /// Logs (debug) the URL, the outcome and the time taken.
    pub async fn get(&self, url: &str, kind: DocumentKind) -> Result<Fetched, FetchError> {
        let started = Instant::now();
        let total = self.inner.policy.total_timeout;
        let result = match tokio::time::timeout(total, self.get_inner(url, kind)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout {
                url: shown(url),
                after: total,
            }),
        };
        let ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(fetched) => {
                tracing::debug!(url, kind = kind.name(), final_url = %fetched.url, outcome = "fetched", ms, "fetch")
            }
            Err(e) => tracing::debug!(url, kind = kind.name(), outcome = %e, ms, "fetch"),
        }
        result
    }

    async fn get_inner(&self, url: &str, kind: DocumentKind) -> Result<Fetched, FetchError> {
        let policy = &self.inner.policy;
        let mut current = parse(url)?;
        let mut redirects = 0;
        let response = loop {
            current.set_fragment(None);
            guard::check_url(&current, policy, self.inner.hosts.as_ref())?;
            let response = self
                .inner
                .client
                .get(current.clone())
                .header(ACCEPT, kind.accept())
                .send()
                .await
                .map_err(|e| client_error(&current, e, policy))?;
            let status = response.status();
            if status.is_redirection() {
                let Some(location) = response.headers().get(LOCATION) else {
                    return Err(FetchError::HttpStatus {
                        url: shown(current.as_str()),
                        status: status.as_u16(),
                    });
                };
                let next = location
                    .to_str()
                    .ok()
                    .and_then(|l| current.join(l).ok())
                    .ok_or_else(|| FetchError::InvalidUrl {
                        url: shown(current.as_str()),
                        reason: "the redirect's Location is not a URL".into(),
                    })?;
                redirects += 1;
                if redirects > policy.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: shown(url),
                        max: policy.max_redirects,
                    });
                }
                current = next;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::HttpStatus {
                    url: shown(current.as_str()),
                    status: status.as_u16(),
                });
            }
            break response;
        };
        let shown_url = shown(current.as_str());
        check_media_type(response.headers(), kind, &shown_url)?;
        let max_age = max_age(response.headers());
        if let Some(length) = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
        {
            if length > policy.max_bytes {
                return Err(FetchError::TooLarge {
                    url: shown_url,
                    max_bytes: policy.max_bytes,
                });
            }
        }
        let mut response = response;
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| client_error(&current, e, policy))?
        {
            if body.len() as u64 + chunk.len() as u64 > policy.max_bytes {
                return Err(FetchError::TooLarge {
                    url: shown_url,
                    max_bytes: policy.max_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let document: Value = serde_json::from_slice(&body).map_err(|e| FetchError::NotJson {
            url: shown_url.clone(),
            reason: e.to_string(),
        })?;
        if !document.is_object() {
            return Err(FetchError::NotJson {
                url: shown_url,
                reason: "a JSON value other than an object".into(),
            });
        }
        Ok(Fetched {
            url: current.to_string(),
            document,
            at: Utc::now(),
            max_age,
        })
    }
}

fn parse(url: &str) -> Result<Url, FetchError> {
    Url::parse(url).map_err(|e| FetchError::InvalidUrl {
        url: shown(url),
        reason: format!("not a URL: {e}"),
    })
}

/// Turns a client error back into what was refused: an address the resolver refused, a
/// timeout, or a network failure.
fn client_error(url: &Url, error: reqwest::Error, policy: &FetchPolicy) -> FetchError {
    let shown_url = shown(url.as_str());
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    let mut chain = Vec::new();
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<guard::AddressRefused>() {
            return FetchError::ForbiddenAddress {
                url: shown_url,
                address: refused.address.to_string(),
                reason: refused.reason,
            };
        }
        let text = e.to_string();
        if chain.last() != Some(&text) {
            chain.push(text);
        }
        source = e.source();
    }
    if error.is_timeout() {
        let after = if error.is_connect() {
            policy.connect_timeout
        } else {
            policy.total_timeout
        };
        return FetchError::Timeout {
            url: shown_url,
            after,
        };
    }
    FetchError::Network {
        url: shown_url,
        reason: chain.join(": "),
    }
}

fn check_media_type(headers: &HeaderMap, kind: DocumentKind, url: &str) -> Result<(), FetchError> {
    let found = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = found
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if kind.media_types().contains(&essence.as_str()) {
        Ok(())
    } else {
        Err(FetchError::MediaType {
            url: url.to_owned(),
            found: found.to_owned(),
            kind: kind.name(),
            expected: kind.media_types().join(", "),
        })
    }
}

/// Freshness from `Cache-Control` (RFC 9111 §5.2.2): `no-store` / `no-cache` → zero,
/// `max-age=N` → N seconds less the `Age` header; `None` when the response says nothing.
fn max_age(headers: &HeaderMap) -> Option<Duration> {
    let mut max_age: Option<u64> = None;
    for value in headers.get_all(CACHE_CONTROL) {
        let Ok(value) = value.to_str() else { continue };
        for directive in value.split(',') {
            let directive = directive.trim().to_ascii_lowercase();
            if directive == "no-store" || directive == "no-cache" {
                return Some(Duration::ZERO);
            }
            if let Some(n) = directive.strip_prefix("max-age=") {
                // An unparsable max-age is stale (RFC 9111 §4.2.1).
                let n = n.trim_matches('"').parse::<u64>().unwrap_or(0);
                max_age = Some(max_age.map_or(n, |m| m.min(n)));
            }
        }
    }
    let age = headers
        .get(AGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    max_age.map(|m| Duration::from_secs(m.saturating_sub(age)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(reqwest::header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn reads_max_age_less_age() {
        assert_eq!(max_age(&headers(&[])), None);
        assert_eq!(
            max_age(&headers(&[(CACHE_CONTROL, "public, max-age=60")])),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            max_age(&headers(&[(CACHE_CONTROL, "max-age=60"), (AGE, "15")])),
            Some(Duration::from_secs(45))
        );
        assert_eq!(
            max_age(&headers(&[(CACHE_CONTROL, "max-age=60"), (AGE, "90")])),
            Some(Duration::ZERO)
        );
        assert_eq!(
            max_age(&headers(&[(CACHE_CONTROL, "max-age=60, no-cache")])),
            Some(Duration::ZERO)
        );
        assert_eq!(
            max_age(&headers(&[(CACHE_CONTROL, "no-store")])),
            Some(Duration::ZERO)
        );
        assert_eq!(
            max_age(&headers(&[(CACHE_CONTROL, "max-age=abc")])),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn media_types_depend_on_the_kind() {
        let h = |t: &str| headers(&[(CONTENT_TYPE, t)]);
        assert!(check_media_type(&h("application/vc"), DocumentKind::StatusList, "u").is_ok());
        assert!(check_media_type(
            &h("Application/JSON; charset=utf-8"),
            DocumentKind::Registry,
            "u"
        )
        .is_ok());
        assert!(
            check_media_type(&h("application/did+json"), DocumentKind::DidDocument, "u").is_ok()
        );
        assert!(
            check_media_type(&h("application/did+json"), DocumentKind::StatusList, "u").is_err()
        );
        assert!(check_media_type(&h("text/html"), DocumentKind::DidDocument, "u").is_err());
        assert!(check_media_type(&HeaderMap::new(), DocumentKind::StatusList, "u").is_err());
    }

    #[test]
    fn static_hosts_match_host_and_port_exactly() {
        let hosts = StaticHosts(vec!["node.example".into(), "Other.Example:8443".into()]);
        assert!(hosts.allows("node.example"));
        assert!(hosts.allows("other.example:8443"));
        assert!(!hosts.allows("node.example:8443"));
        assert!(!hosts.allows("other.example"));
        assert!(!hosts.allows("evil.node.example"));
    }
}
