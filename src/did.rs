//! `did:key` identifiers, DID documents and verification-method resolution.
//!
//! Two offline methods are resolved, Ed25519 keys only, from the identifier alone: `did:key`
//! (W3C CCG "The did:key Method") and `did:jwk` (the key's JWK, base64url, whose one
//! verification method is `#0`), which OpenID4VCI wallets bind credentials to. Resolution sits behind [`DidResolver`] so that a service can
//! add methods that need the network (e.g. `did:web`) without touching the verifier.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::keys::{KeyError, PublicKey};

/// A verification method a proof can point at: its URL, its controller DID and its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationMethod {
    /// The method URL, e.g. `did:key:z6Mk…#z6Mk…`.
    pub id: String,
    /// The DID that controls the key, e.g. `did:key:z6Mk…`.
    pub controller: String,
    /// The Ed25519 public key.
    pub public_key: PublicKey,
}

/// Resolves verification-method URLs to keys. A trait so the service can add did:web later.
pub trait DidResolver: Send + Sync {
    /// The verification method identified by `method_url` (a DID URL with a fragment, or a
    /// bare DID when the method defines a single key).
    fn resolve_method(&self, method_url: &str) -> Result<VerificationMethod, DidError>;
}

/// Offline resolver for Ed25519 `did:key`s and `did:jwk`s.
///
/// Accepts `did:key:z6Mk…#z6Mk…` (the fragment must repeat the key, as the did:key spec
/// defines the single verification method that way) and the bare `did:key:z6Mk…`, which
/// resolves to that same method; likewise `did:jwk:…#0` and the bare `did:jwk:…`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DidKeyResolver;

/// Why a DID URL could not be resolved. Messages are one line and say what is supported.
#[derive(Debug, thiserror::Error)]
pub enum DidError {
    /// Not a syntactically usable DID URL.
    #[error("invalid DID URL {url}: {reason}")]
    InvalidDidUrl {
        /// The URL (shortened if very long).
        url: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A DID method this resolver does not handle.
    #[error("DID method did:{method} is not supported: only did:key (Ed25519, did:key:z6Mk…) and did:jwk (Ed25519) can be resolved")]
    UnsupportedMethod {
        /// The method name, e.g. `web`.
        method: String,
    },
    /// A did:key for a key type other than Ed25519.
    #[error(
        "{did}: unsupported key type {found}; only Ed25519 did:keys (did:key:z6Mk…) are supported"
    )]
    UnsupportedKeyType {
        /// The DID.
        did: String,
        /// The multicodec name, e.g. `p256-pub (P-256)`.
        found: String,
    },
    /// The fragment names a key other than the DID's own.
    #[error("{url}: the fragment of a did:key verification method must repeat its key (did:key:z6Mk…#z6Mk…)")]
    FragmentMismatch {
        /// The URL (shortened if very long).
        url: String,
    },
    /// The identifier of a did:jwk is not the base64url of a public Ed25519 JWK.
    #[error("{did}: {reason}")]
    InvalidJwk {
        /// The DID (shortened if very long).
        did: String,
        /// What is wrong.
        reason: String,
    },
    /// A DID whose document is fetched (did:web) could not be fetched, or its document does
    /// not hold the key (see `crate::fetch::RemoteDidResolver`).
    #[error("could not resolve {did}: {reason}")]
    Unresolvable {
        /// The DID or DID URL (shortened if very long).
        did: String,
        /// Why: the fetch's refusal or failure, or what the document lacks.
        reason: String,
    },
    /// The key part of the did:key does not decode to a valid Ed25519 key.
    #[error("{did}: {source}")]
    InvalidKey {
        /// The DID.
        did: String,
        /// Why the key is invalid.
        source: KeyError,
    },
}

/// Caps how much of an untrusted URL is echoed into an error message.
fn shown(url: &str) -> String {
    const MAX: usize = 200;
    match url.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &url[..cut]),
        None => url.to_owned(),
    }
}

impl DidResolver for DidKeyResolver {
    fn resolve_method(&self, method_url: &str) -> Result<VerificationMethod, DidError> {
        let invalid = |reason| DidError::InvalidDidUrl {
            url: shown(method_url),
            reason,
        };
        let rest = method_url
            .strip_prefix("did:")
            .ok_or_else(|| invalid("a DID starts with \"did:\""))?;
        let (method, rest) = rest
            .split_once(':')
            .ok_or_else(|| invalid("a DID is did:METHOD:IDENTIFIER"))?;
        // DID Core: method-name = 1*method-char, method-char = %x61-7A / DIGIT.
        if method.is_empty()
            || !method
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(invalid(
                "the DID method name must be lowercase letters and digits",
            ));
        }
        if method == "jwk" {
            return resolve_did_jwk(method_url);
        }
        if method != "key" {
            return Err(DidError::UnsupportedMethod {
                method: method.to_owned(),
            });
        }
        let (key_part, fragment) = match rest.split_once('#') {
            Some((k, f)) => (k, Some(f)),
            None => (rest, None),
        };
        if key_part.is_empty() {
            return Err(invalid("did:key has no key after \"did:key:\""));
        }
        if key_part.contains(['/', '?', ':']) {
            return Err(invalid("a did:key URL has no version, path or query"));
        }
        let did = format!("did:key:{key_part}");
        let public_key = PublicKey::from_multibase(key_part).map_err(|e| match e {
            KeyError::UnsupportedKeyType { found, .. } => DidError::UnsupportedKeyType {
                did: shown(&did),
                found,
            },
            source => DidError::InvalidKey {
                did: shown(&did),
                source,
            },
        })?;
        if fragment.is_some_and(|f| f != key_part) {
            return Err(DidError::FragmentMismatch {
                url: shown(method_url),
            });
        }
        Ok(VerificationMethod {
            id: public_key.verification_method_id(),
            controller: public_key.did_key(),
            public_key,
        })
    }
}

/// Why a JWK is not a public Ed25519 key.
#[derive(Debug, thiserror::Error)]
#[error("JWK: {0}")]
pub struct JwkError(String);

/// The Ed25519 key of an OKP JWK (RFC 8037). A JWK holding a private key (`d`) is refused:
/// whoever sent its secret has leaked it.
pub fn ed25519_from_jwk(jwk: &serde_json::Map<String, Value>) -> Result<PublicKey, JwkError> {
    let bad = |why: &str| JwkError(why.to_owned());
    if jwk.contains_key("d") {
        return Err(bad("it holds a private key (d)"));
    }
    if jwk.get("kty").and_then(Value::as_str) != Some("OKP") {
        return Err(bad("kty must be OKP"));
    }
    if jwk.get("crv").and_then(Value::as_str) != Some("Ed25519") {
        return Err(bad("crv must be Ed25519"));
    }
    let x = jwk
        .get("x")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("x is missing"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(x)
        .map_err(|_| bad("x is not base64url"))?;
    let raw: &[u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| bad("x must be 32 bytes"))?;
    PublicKey::from_bytes(raw).map_err(|e| bad(&e.to_string()))
}

/// The `did:jwk` of an Ed25519 key: base64url of its JWK with the required members only,
/// in lexicographic order (`crv`, `kty`, `x`).
pub fn did_jwk(key: &PublicKey) -> String {
    let jwk = format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(key.as_bytes())
    );
    format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(jwk))
}

/// Resolves a `did:jwk` DID or DID URL (fragment `0`, the one key it defines).
fn resolve_did_jwk(url: &str) -> Result<VerificationMethod, DidError> {
    let rest = url.strip_prefix("did:jwk:").unwrap_or_default();
    let (encoded, fragment) = match rest.split_once('#') {
        Some((e, f)) => (e, Some(f)),
        None => (rest, None),
    };
    let did = format!("did:jwk:{encoded}");
    let bad = |reason: String| DidError::InvalidJwk {
        did: shown(&did),
        reason,
    };
    if fragment.is_some_and(|f| f != "0") {
        return Err(bad("the one key of a did:jwk is #0".into()));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| bad("the identifier is not base64url".into()))?;
    let jwk = match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) => m,
        _ => return Err(bad("the identifier is not a JWK".into())),
    };
    let public_key = ed25519_from_jwk(&jwk).map_err(|e| bad(e.to_string()))?;
    Ok(VerificationMethod {
        id: format!("{did}#0"),
        controller: did,
        public_key,
    })
}

/// The `did:key` DID document of `key`, with its one Multikey verification method referenced
/// from every verification relationship, as the did:key method specifies for Ed25519
/// (`keyAgreement`, which needs an X25519 key, is left out).
pub fn did_document(key: &PublicKey) -> Value {
    let did = key.did_key();
    let vm = key.verification_method_id();
    json!({
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1"
        ],
        "id": did,
        "verificationMethod": [{
            "id": vm,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.to_multibase()
        }],
        "authentication": [vm],
        "assertionMethod": [vm],
        "capabilityInvocation": [vm],
        "capabilityDelegation": [vm]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const W3C_PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const OTHER_PUBLIC: &str = crate::keys::EXAMPLE_ISSUER_PUBLIC;

    fn resolve(url: &str) -> Result<VerificationMethod, DidError> {
        DidKeyResolver.resolve_method(url)
    }

    /// did:jwk of a JWK given as JSON text.
    fn did_jwk_of(jwk: &str) -> String {
        format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(jwk))
    }

    #[test]
    fn resolves_did_jwk_of_the_rfc_8037_key() {
        // RFC 8037, Appendix A.2: the public key of its Ed25519 example.
        let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
        let did = did_jwk_of(&format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#));
        let vm = resolve(&format!("{did}#0")).unwrap();
        assert_eq!(vm.id, format!("{did}#0"));
        assert_eq!(vm.controller, did);
        assert_eq!(
            vm.public_key.as_bytes().as_slice(),
            URL_SAFE_NO_PAD.decode(x).unwrap()
        );
        assert_eq!(resolve(&did).unwrap(), vm);
        assert_eq!(
            did_jwk(&vm.public_key),
            did,
            "the same members, in the same order"
        );

        assert!(matches!(
            resolve(&format!("{did}#1")),
            Err(DidError::InvalidJwk { .. })
        ));
        for bad in [
            format!(
                r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}}"#
            ),
            format!(r#"{{"crv":"X25519","kty":"OKP","x":"{x}"}}"#),
            format!(r#"{{"crv":"Ed25519","kty":"EC","x":"{x}"}}"#),
            r#"{"crv":"Ed25519","kty":"OKP","x":"AAAA"}"#.to_owned(),
            "not json".to_owned(),
        ] {
            let err = resolve(&did_jwk_of(&bad)).unwrap_err();
            assert!(matches!(err, DidError::InvalidJwk { .. }), "{bad}: {err}");
        }
        assert!(matches!(
            resolve("did:jwk:!!!"),
            Err(DidError::InvalidJwk { .. })
        ));
    }

    #[test]
    fn resolves_with_and_without_fragment() {
        let did = format!("did:key:{W3C_PUBLIC}");
        let vm_id = format!("{did}#{W3C_PUBLIC}");
        let expected = VerificationMethod {
            id: vm_id.clone(),
            controller: did.clone(),
            public_key: PublicKey::from_multibase(W3C_PUBLIC).unwrap(),
        };
        assert_eq!(resolve(&vm_id).unwrap(), expected);
        assert_eq!(resolve(&did).unwrap(), expected);
        assert_eq!(expected.public_key.did_key(), did);
    }

    #[test]
    fn mismatched_or_empty_fragment_is_refused() {
        let err = resolve(&format!("did:key:{W3C_PUBLIC}#{OTHER_PUBLIC}")).unwrap_err();
        assert!(matches!(err, DidError::FragmentMismatch { .. }), "{err}");
        assert!(matches!(
            resolve(&format!("did:key:{W3C_PUBLIC}#")),
            Err(DidError::FragmentMismatch { .. })
        ));
        assert!(matches!(
            resolve(&format!("did:key:{W3C_PUBLIC}#key-1")),
            Err(DidError::FragmentMismatch { .. })
        ));
    }

    #[test]
    fn other_methods_are_named() {
        let err = resolve("did:web:issuer.example.edu#key-1").unwrap_err();
        assert!(matches!(&err, DidError::UnsupportedMethod { method } if method == "web"));
        assert!(err.to_string().contains("did:web"), "{err}");
        assert!(matches!(
            resolve("did:example:123"),
            Err(DidError::UnsupportedMethod { method }) if method == "example"
        ));
    }

    #[test]
    fn p256_did_key_is_unsupported_key_type() {
        let did = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
        let err = resolve(did).unwrap_err();
        assert!(
            matches!(&err, DidError::UnsupportedKeyType { did: d, found } if d == did && found.contains("p256")),
            "{err}"
        );
        assert!(err.to_string().contains("P-256"), "{err}");
        assert!(matches!(
            resolve(&format!(
                "{did}#zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
            )),
            Err(DidError::UnsupportedKeyType { .. })
        ));
    }

    #[test]
    fn malformed_urls_are_invalid() {
        for url in [
            "",
            "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "https://example.edu/keys/1",
            "did:",
            "did:key",
            "did:key:",
            "did:KEY:z6Mk",
            "did::z6Mk",
            "did:key:1:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2/path",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2?service=x",
        ] {
            assert!(
                matches!(resolve(url), Err(DidError::InvalidDidUrl { .. })),
                "{url:?} should be an invalid DID URL"
            );
        }
    }

    #[test]
    fn bad_key_part_is_invalid_key() {
        // Ed25519 header, but y = 2 is not on the curve.
        let mut raw = vec![0xed, 0x01, 2];
        raw.extend([0u8; 31]);
        let err = resolve(&format!("did:key:z{}", bs58::encode(raw).into_string())).unwrap_err();
        assert!(
            matches!(
                &err,
                DidError::InvalidKey {
                    source: KeyError::InvalidPublicKey(_),
                    ..
                }
            ),
            "{err}"
        );
        let err = resolve("did:key:z6Mk0OIl").unwrap_err();
        assert!(
            matches!(
                &err,
                DidError::InvalidKey {
                    source: KeyError::InvalidBase58(_),
                    ..
                }
            ),
            "{err}"
        );
        let err = resolve("did:key:6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").unwrap_err();
        assert!(matches!(
            err,
            DidError::InvalidKey {
                source: KeyError::NotBase58btc,
                ..
            }
        ));
    }

    #[test]
    fn long_urls_are_shortened_in_errors() {
        let url = format!("did:web:{}", "a".repeat(5000));
        let long = format!("did:key:{W3C_PUBLIC}#{}", "a".repeat(5000));
        assert!(matches!(
            resolve(&url),
            Err(DidError::UnsupportedMethod { .. })
        ));
        let msg = resolve(&long).unwrap_err().to_string();
        assert!(msg.len() < 400, "{} bytes", msg.len());
    }

    #[test]
    fn document_follows_did_key_spec() {
        let key = PublicKey::from_multibase(W3C_PUBLIC).unwrap();
        let did = format!("did:key:{W3C_PUBLIC}");
        let vm = format!("{did}#{W3C_PUBLIC}");
        let expected = json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did,
            "verificationMethod": [{
                "id": vm,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": W3C_PUBLIC
            }],
            "authentication": [vm],
            "assertionMethod": [vm],
            "capabilityInvocation": [vm],
            "capabilityDelegation": [vm]
        });
        assert_eq!(did_document(&key), expected);
        // Every method the document lists resolves back to the same key.
        let doc = did_document(&key);
        let listed = doc["assertionMethod"][0].as_str().unwrap();
        assert_eq!(resolve(listed).unwrap().public_key, key);
    }

    #[test]
    fn resolver_is_usable_as_trait_object() {
        let resolver: Box<dyn DidResolver> = Box::new(DidKeyResolver);
        let vm = resolver
            .resolve_method(&format!("did:key:{W3C_PUBLIC}#{W3C_PUBLIC}"))
            .unwrap();
        assert_eq!(vm.public_key.to_multibase(), W3C_PUBLIC);
    }
}
