//! Adapters from the [`DocumentCache`] to the verifier's synchronous traits:
//! [`RemoteStatusLists`] (`crate::verify::StatusLists`) and [`RemoteDidResolver`]
//! (`crate::did::DidResolver`, for did:web).
//!
//! The verifier is synchronous and runs on blocking threads (`tokio::task::spawn_blocking`) or
//! in a CLI; these adapters wait for the async cache with a runtime [`Handle`]. Do not call them
//! from inside an async task on a current-thread runtime (that would block the only thread);
//! on a multi-thread runtime's worker they step aside with `block_in_place`.
//!
//! Each adapter records the lookups it made ([`Lookup`]: per URL, where the latest answer came
//! from, or why there was none), so a report can say so. Make one adapter per verification to
//! get that verification's lookups.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;
use tokio::runtime::{Handle, RuntimeFlavor};

use super::{Cached, DocumentCache, DocumentKind, FetchError, Source};
use crate::did::{ed25519_from_jwk, DidError, DidKeyResolver, DidResolver, VerificationMethod};
use crate::keys::PublicKey;
use crate::verify::{Origin, StatusLists};

/// One document a verification looked up: where the answer came from, or why there was none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lookup {
    /// The URL asked for.
    pub url: String,
    /// Where the document came from (fetched now, cache, stale copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Why there is no document (could not fetch, refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Runs `future` to completion from synchronous code.
fn wait<F: std::future::Future>(handle: &Handle, future: F) -> F::Output {
    match Handle::try_current() {
        Ok(current) if current.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| handle.block_on(future))
        }
        _ => handle.block_on(future),
    }
}

/// Records lookups and runs them through the cache.
struct Recorder {
    cache: DocumentCache,
    handle: Handle,
    lookups: Mutex<Vec<Lookup>>,
}

impl Recorder {
    fn get(&self, url: &str, kind: DocumentKind) -> Result<Cached, FetchError> {
        let result = wait(&self.handle, self.cache.get(url, kind));
        let lookup = match &result {
            Ok(cached) => Lookup {
                url: url.to_owned(),
                source: Some(cached.source.clone()),
                error: None,
            },
            Err(e) => Lookup {
                url: url.to_owned(),
                source: None,
                error: Some(e.to_string()),
            },
        };
        // One entry per URL, its latest outcome: a long-lived adapter (a CLI run over many
        // files) does not grow with every lookup.
        let mut lookups = self.lookups.lock().expect("lookups");
        match lookups.iter_mut().find(|l| l.url == lookup.url) {
            Some(earlier) => *earlier = lookup,
            None => lookups.push(lookup),
        }
        drop(lookups);
        result
    }

    fn lookups(&self) -> Vec<Lookup> {
        self.lookups.lock().expect("lookups").clone()
    }
}

/// Status list credentials of other nodes, through the cache (kind
/// [`DocumentKind::StatusList`]).
pub struct RemoteStatusLists {
    recorder: Recorder,
}

impl RemoteStatusLists {
    pub fn new(cache: DocumentCache, handle: Handle) -> Self {
        RemoteStatusLists {
            recorder: Recorder {
                cache,
                handle,
                lookups: Mutex::new(Vec::new()),
            },
        }
    }

    /// Every list looked up so far (in first-lookup order, each with its latest outcome).
    pub fn lookups(&self) -> Vec<Lookup> {
        self.recorder.lookups()
    }
}

impl StatusLists for RemoteStatusLists {
    /// The list at `url`; a refusal or failure (with no last good copy to fall back on) is an
    /// error, which the verifier reports as "could not check the status".
    fn fetch(&self, url: &str) -> Result<Option<Value>, String> {
        Ok(self
            .fetch_with_origin(url)?
            .map(|(list, _)| Arc::unwrap_or_clone(list)))
    }

    /// The list (shared with the cache, not copied) and whether it was fetched now, a fresh
    /// cached copy or a stale one.
    fn fetch_with_origin(&self, url: &str) -> Result<Option<(Arc<Value>, Origin)>, String> {
        let cached = self
            .recorder
            .get(url, DocumentKind::StatusList)
            .map_err(|e| format!("could not fetch the status list: {e}"))?;
        Ok(Some((cached.document, origin(cached.source))))
    }
}

/// The verifier's name for where a list came from.
pub fn origin(source: Source) -> Origin {
    match source {
        Source::Fetched { at } => Origin::Fetched { at },
        Source::Cache {
            fetched_at,
            age_secs,
        } => Origin::Cache {
            fetched_at,
            age_secs,
        },
        Source::Stale {
            fetched_at,
            age_secs,
            error,
        } => Origin::Stale {
            fetched_at,
            age_secs,
            error,
        },
    }
}

/// did:web DIDs resolved through the cache (kind [`DocumentKind::DidDocument`]); every other
/// DID, and did:web DIDs the local resolver knows, by the local resolver.
///
/// Any verification method listed in the DID document resolves (key history: a rotated key
/// stays listed so older credentials still verify), if its controller is the DID and its key
/// is Ed25519 (`Multikey` / `Ed25519VerificationKey2020` with `publicKeyMultibase`, or an OKP
/// `publicKeyJwk`).
pub struct RemoteDidResolver {
    recorder: Recorder,
    local: Arc<dyn DidResolver>,
}

impl RemoteDidResolver {
    /// did:web through `cache`, did:key and did:jwk offline.
    pub fn new(cache: DocumentCache, handle: Handle) -> Self {
        Self::with_local(cache, handle, Arc::new(DidKeyResolver))
    }

    /// did:web through `cache` when `local` does not handle it (answers
    /// [`DidError::UnsupportedMethod`]); everything else by `local` (e.g. the service's
    /// resolver, which knows its own did:web institutions without a network hop).
    pub fn with_local(cache: DocumentCache, handle: Handle, local: Arc<dyn DidResolver>) -> Self {
        RemoteDidResolver {
            recorder: Recorder {
                cache,
                handle,
                lookups: Mutex::new(Vec::new()),
            },
            local,
        }
    }

    /// Every DID document looked up so far (in first-lookup order, each with its latest
    /// outcome).
    pub fn lookups(&self) -> Vec<Lookup> {
        self.recorder.lookups()
    }
}

impl DidResolver for RemoteDidResolver {
    fn resolve_method(&self, method_url: &str) -> Result<VerificationMethod, DidError> {
        if !method_url.starts_with("did:web:") {
            return self.local.resolve_method(method_url);
        }
        match self.local.resolve_method(method_url) {
            Err(DidError::UnsupportedMethod { .. }) => {}
            answer => return answer,
        }
        let unresolvable = |reason: String| DidError::Unresolvable {
            did: super::shown(method_url),
            reason,
        };
        let (did, _) = method_url.split_once('#').unwrap_or((method_url, ""));
        let http_loopback = self.recorder.cache.fetcher().policy().allow_http_loopback;
        let url = did_web_url(did, http_loopback).map_err(|r| unresolvable(r.into()))?;
        let cached = self
            .recorder
            .get(&url, DocumentKind::DidDocument)
            .map_err(|e| unresolvable(e.to_string()))?;
        method_in_document(&cached.document, did, method_url).map_err(unresolvable)
    }
}

/// The URL of a did:web DID's document (did:web method specification §3.2): `did:web:host`
/// → `https://host/.well-known/did.json`, `did:web:host%3A8443:a:b` →
/// `https://host:8443/a/b/did.json`. With `http_loopback` (tests), a loopback host
/// (`127.0.0.1`, `localhost`, `[::1]`) is read over plain http.
pub fn did_web_url(did: &str, http_loopback: bool) -> Result<String, &'static str> {
    let id = did.strip_prefix("did:web:").ok_or("not a did:web DID")?;
    if id.contains(['/', '?', '#', '@']) {
        return Err("a did:web identifier holds no '/', '?', '#' or '@'");
    }
    let mut parts = id.split(':');
    let host = parts.next().unwrap_or_default();
    let host = host.replace("%3A", ":").replace("%3a", ":");
    if host.is_empty() || host.contains('%') {
        return Err("the did:web host is empty or wrongly percent-encoded");
    }
    let path: Vec<&str> = parts.collect();
    if path
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains('%'))
    {
        return Err("a did:web path segment is empty, a dot segment, or percent-encoded");
    }
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host.as_str(), |(name, _)| name);
    let loopback = name == "localhost"
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    let scheme = if http_loopback && loopback {
        "http"
    } else {
        "https"
    };
    Ok(if path.is_empty() {
        format!("{scheme}://{host}/.well-known/did.json")
    } else {
        format!("{scheme}://{host}/{}/did.json", path.join("/"))
    })
}

/// The verification method `method_url` in `did`'s `document`.
fn method_in_document(
    document: &Value,
    did: &str,
    method_url: &str,
) -> Result<VerificationMethod, String> {
    if document.get("id").and_then(Value::as_str) != Some(did) {
        return Err(format!(
            "the DID document's id is {}, not {did}",
            document.get("id").unwrap_or(&Value::Null)
        ));
    }
    // Methods listed under verificationMethod, and any embedded in a relationship.
    let mut methods: Vec<&Value> = Vec::new();
    for property in ["verificationMethod", "assertionMethod", "authentication"] {
        match document.get(property) {
            Some(Value::Array(items)) => methods.extend(items.iter().filter(|m| m.is_object())),
            Some(one @ Value::Object(_)) => methods.push(one),
            _ => {}
        }
    }
    let absolute = |id: &str| {
        if id.starts_with('#') {
            format!("{did}{id}")
        } else {
            id.to_owned()
        }
    };
    let method = if method_url == did {
        match methods.as_slice() {
            [one] => *one,
            _ => {
                return Err(
                    "the DID URL names no key (#fragment) and the document has more than one"
                        .into(),
                )
            }
        }
    } else {
        methods
            .iter()
            .copied()
            .find(|m| {
                m.get("id").and_then(Value::as_str).map(absolute).as_deref() == Some(method_url)
            })
            .ok_or_else(|| "the DID document lists no such verification method".to_owned())?
    };
    let controller = method
        .get("controller")
        .and_then(Value::as_str)
        .ok_or("the verification method has no controller")?;
    if controller != did {
        return Err(format!(
            "the verification method's controller is {controller}, not {did}"
        ));
    }
    let public_key =
        if let Some(multibase) = method.get("publicKeyMultibase").and_then(Value::as_str) {
            PublicKey::from_multibase(multibase).map_err(|e| format!("publicKeyMultibase: {e}"))?
        } else if let Some(Value::Object(jwk)) = method.get("publicKeyJwk") {
            ed25519_from_jwk(jwk).map_err(|e| e.to_string())?
        } else {
            return Err("the verification method has no publicKeyMultibase or publicKeyJwk".into());
        };
    Ok(VerificationMethod {
        id: method_url.to_owned(),
        controller: did.to_owned(),
        public_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_did_web_to_its_document_url() {
        let url = |d: &str| did_web_url(d, false);
        assert_eq!(
            url("did:web:w3c-ccg.github.io").unwrap(),
            "https://w3c-ccg.github.io/.well-known/did.json"
        );
        assert_eq!(
            url("did:web:w3c-ccg.github.io:user:alice").unwrap(),
            "https://w3c-ccg.github.io/user/alice/did.json"
        );
        assert_eq!(
            url("did:web:example.com%3A3000:user:alice").unwrap(),
            "https://example.com:3000/user/alice/did.json"
        );
        assert_eq!(
            url("did:web:127.0.0.1%3A8080:institutions:zvp").unwrap(),
            "https://127.0.0.1:8080/institutions/zvp/did.json"
        );
        assert_eq!(
            did_web_url("did:web:127.0.0.1%3A8080:institutions:zvp", true).unwrap(),
            "http://127.0.0.1:8080/institutions/zvp/did.json"
        );
        assert_eq!(
            did_web_url("did:web:node.example%3A8080", true).unwrap(),
            "https://node.example:8080/.well-known/did.json"
        );
        for bad in [
            "did:key:z6Mk",
            "did:web:",
            "did:web:a:..:b",
            "did:web:a::b",
            "did:web:a%2Fb",
            "did:web:a/b",
            "did:web:user@host",
        ] {
            assert!(url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn finds_any_listed_key_of_the_did_only() {
        let old = crate::keys::SecretKey::from_seed(&[1; 32]).public_key();
        let new = crate::keys::SecretKey::from_seed(&[2; 32]).public_key();
        let did = "did:web:node.example:institutions:zvp";
        let doc = json!({
            "id": did,
            "verificationMethod": [
                {"id": format!("{did}#key-1"), "type": "Multikey", "controller": did,
                 "publicKeyMultibase": old.to_multibase()},
                {"id": "#key-2", "type": "Multikey", "controller": did,
                 "publicKeyMultibase": new.to_multibase()},
                {"id": format!("{did}#other"), "type": "Multikey", "controller": "did:web:evil.example",
                 "publicKeyMultibase": new.to_multibase()},
            ],
        });
        let key1 = method_in_document(&doc, did, &format!("{did}#key-1")).unwrap();
        assert_eq!(key1.public_key, old);
        let key2 = method_in_document(&doc, did, &format!("{did}#key-2")).unwrap();
        assert_eq!(key2.public_key, new);
        assert_eq!(key2.controller, did);
        let err = method_in_document(&doc, did, &format!("{did}#other")).unwrap_err();
        assert!(err.contains("controller"), "{err}");
        let err = method_in_document(&doc, did, &format!("{did}#key-3")).unwrap_err();
        assert!(err.contains("no such"), "{err}");
        let err = method_in_document(&doc, did, did).unwrap_err();
        assert!(err.contains("more than one"), "{err}");
        let err = method_in_document(&doc, "did:web:other.example", "did:web:other.example#key-1")
            .unwrap_err();
        assert!(err.contains("not did:web:other.example"), "{err}");
    }
}
