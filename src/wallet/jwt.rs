//! Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), and the OpenID4VCI 1.0 key proof
//! (§8.2.1.1, `proof_type` `jwt`) that a wallet sends to show it holds the key its credential is
//! to be bound to.
//!
//! Only what the key proof needs: the header must say `typ: openid4vci-proof+jwt` and
//! `alg: EdDSA` (`none` and every other algorithm are refused, whatever the key), the key comes
//! from `kid` (a `did:key` or `did:jwk` URL) or from an embedded `jwk` (OKP, Ed25519), never from
//! both. The claims must name this credential issuer in `aud`, carry an `iat` inside a short
//! window around now, and a `nonce` this service issued, which is taken (single use) only once
//! everything else has been checked.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::tickets::{self, TicketKind};
use crate::did::{did_jwk, ed25519_from_jwk, DidKeyResolver, DidResolver};
use crate::keys::PublicKey;
use crate::store::{Store, StoreError};

/// The `typ` a key proof must carry.
pub const PROOF_TYPE: &str = "openid4vci-proof+jwt";
/// The one signing algorithm accepted.
pub const ALG_EDDSA: &str = "EdDSA";
/// Longest compact JWS accepted (a key proof is a few hundred bytes).
pub const MAX_JWT_BYTES: usize = 8 * 1024;
/// A proof older than this (by its `iat`) is stale. A nonce lives 5 minutes by default, so
/// a proof made with a fresh nonce is never older.
pub const MAX_PROOF_AGE: Duration = Duration::minutes(5);
/// How far in the future an `iat` may be: the wallet's clock may run a little ahead.
pub const MAX_CLOCK_SKEW: Duration = Duration::seconds(60);

/// Why a key proof was refused. [`JwtError::is_nonce`] tells the nonce problems apart
/// (OpenID4VCI answers those with `invalid_nonce`, so the wallet fetches a fresh nonce).
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    #[error("the proof is not a compact JWS: {0}")]
    Malformed(&'static str),
    #[error("the proof is longer than {MAX_JWT_BYTES} bytes")]
    TooLong,
    #[error("the proof's typ must be \"{PROOF_TYPE}\", not {0}")]
    WrongType(String),
    #[error("the proof's alg must be \"EdDSA\" (Ed25519), not {0}")]
    UnsupportedAlgorithm(String),
    #[error("the proof's header has crit {0}; no JWS extension is understood here")]
    CriticalHeader(String),
    #[error("the proof names its key twice (kid and jwk); send exactly one")]
    AmbiguousKey,
    #[error("the proof names no key: send kid (a did:key or did:jwk URL) or jwk")]
    NoKey,
    #[error("the proof's key cannot be used: {0}")]
    UnsupportedKey(String),
    #[error("the proof's signature does not verify with the key it names")]
    BadSignature,
    #[error("the proof's aud must be the credential issuer {expected}")]
    WrongAudience { expected: String },
    #[error("the proof has no iat (a NumericDate)")]
    NoIssuedAt,
    #[error("the proof is stale: iat is more than {} seconds ago", MAX_PROOF_AGE.num_seconds())]
    Stale,
    #[error("the proof's iat is in the future")]
    FromTheFuture,
    #[error("the proof has no nonce; get one from the nonce endpoint")]
    NoNonce,
    #[error(
        "the proof's nonce is unknown, used or expired; get a fresh one from the nonce endpoint"
    )]
    UnknownNonce,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl JwtError {
    /// Whether the nonce is what is wrong (OpenID4VCI `invalid_nonce`).
    pub fn is_nonce(&self) -> bool {
        matches!(self, JwtError::NoNonce | JwtError::UnknownNonce)
    }
}

/// A compact JWS split into its parts, its signature not yet checked.
#[derive(Debug)]
pub struct Jws<'a> {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`: what the signature covers.
    pub signing_input: &'a str,
    pub signature: Vec<u8>,
}

/// Base64url without padding, strictly (no `=`, no other alphabet).
fn b64(part: &str, what: &'static str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed(what))
}

fn json_object(bytes: &[u8], what: &'static str) -> Result<Map<String, Value>, JwtError> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(JwtError::Malformed(what)),
    }
}

/// Splits a compact JWS (three base64url parts, header and payload JSON objects).
pub fn parse(compact: &str) -> Result<Jws<'_>, JwtError> {
    if compact.len() > MAX_JWT_BYTES {
        return Err(JwtError::TooLong);
    }
    let mut parts = compact.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed("it must have exactly three parts"));
    };
    let header = json_object(
        &b64(h, "the header is not base64url")?,
        "the header is not a JSON object",
    )?;
    let claims = json_object(
        &b64(p, "the payload is not base64url")?,
        "the payload is not a JSON object",
    )?;
    let signature = b64(s, "the signature is not base64url")?;
    Ok(Jws {
        header,
        claims,
        signing_input: &compact[..h.len() + 1 + p.len()],
        signature,
    })
}

/// A short, quoted rendering of an untrusted JSON value for error messages.
fn shown(v: Option<&Value>) -> String {
    match v {
        None => "nothing".into(),
        Some(v) => {
            let s = v.to_string();
            match s.char_indices().nth(80) {
                Some((cut, _)) => format!("{}…", &s[..cut]),
                None => s,
            }
        }
    }
}

/// The key a proof's header names and the holder DID it stands for.
fn proof_key(header: &Map<String, Value>) -> Result<(String, PublicKey), JwtError> {
    match (header.get("kid"), header.get("jwk")) {
        (Some(_), Some(_)) => Err(JwtError::AmbiguousKey),
        (None, None) => Err(JwtError::NoKey),
        (Some(kid), None) => {
            let kid = kid
                .as_str()
                .ok_or_else(|| JwtError::UnsupportedKey("kid must be a string".into()))?;
            if kid.starts_with("did:key:") || kid.starts_with("did:jwk:") {
                let vm = DidKeyResolver
                    .resolve_method(kid)
                    .map_err(|e| JwtError::UnsupportedKey(e.to_string()))?;
                Ok((vm.controller, vm.public_key))
            } else {
                Err(JwtError::UnsupportedKey(format!(
                    "kid {} is neither a did:key nor a did:jwk URL",
                    shown(Some(&Value::String(kid.to_owned())))
                )))
            }
        }
        (None, Some(jwk)) => {
            let jwk = jwk
                .as_object()
                .ok_or_else(|| JwtError::UnsupportedKey("jwk must be an object".into()))?;
            let key = ed25519_from_jwk(jwk).map_err(|e| JwtError::UnsupportedKey(e.to_string()))?;
            Ok((did_jwk(&key), key))
        }
    }
}

/// A key proof that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProof {
    /// The DID the credential is to be bound to (`did:key:…` or `did:jwk:…`).
    pub holder: String,
    pub key: PublicKey,
}

/// Checks an OpenID4VCI key proof: header, key, signature, `aud` = `audience`, `iat` within
/// [`MAX_PROOF_AGE`] before and [`MAX_CLOCK_SKEW`] after `now`, and last the `nonce`, which
/// is taken from the store so that it cannot be used again.
pub fn verify_key_proof(
    store: &dyn Store,
    compact: &str,
    audience: &str,
    now: DateTime<Utc>,
) -> Result<KeyProof, JwtError> {
    let jws = parse(compact)?;
    let header = &jws.header;
    if header.get("typ").and_then(Value::as_str) != Some(PROOF_TYPE) {
        return Err(JwtError::WrongType(shown(header.get("typ"))));
    }
    if header.get("alg").and_then(Value::as_str) != Some(ALG_EDDSA) {
        return Err(JwtError::UnsupportedAlgorithm(shown(header.get("alg"))));
    }
    if let Some(crit) = header.get("crit") {
        return Err(JwtError::CriticalHeader(shown(Some(crit))));
    }
    let (holder, key) = proof_key(header)?;
    if !key.verify(jws.signing_input.as_bytes(), &jws.signature) {
        return Err(JwtError::BadSignature);
    }

    let claims = &jws.claims;
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    };
    if !aud_ok {
        return Err(JwtError::WrongAudience {
            expected: audience.to_owned(),
        });
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_f64)
        .filter(|t| t.is_finite())
        .ok_or(JwtError::NoIssuedAt)?;
    let now_secs = now.timestamp() as f64;
    if iat < now_secs - MAX_PROOF_AGE.num_seconds() as f64 {
        return Err(JwtError::Stale);
    }
    if iat > now_secs + MAX_CLOCK_SKEW.num_seconds() as f64 {
        return Err(JwtError::FromTheFuture);
    }
    let nonce = claims
        .get("nonce")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .ok_or(JwtError::NoNonce)?;
    if tickets::take(store, TicketKind::Nonce, nonce, now)?.is_none() {
        return Err(JwtError::UnknownNonce);
    }
    Ok(KeyProof { holder, key })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SecretKey;
    use crate::store::MemoryStore;
    use chrono::TimeZone;
    use serde_json::json;

    const AUD: &str = "https://skillpass.test/institutions/szpu";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
    }

    fn key() -> SecretKey {
        SecretKey::from_seed(&[7; 32])
    }

    fn sign(key: &SecretKey, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    fn nonce(store: &MemoryStore) -> String {
        tickets::mint(
            store,
            TicketKind::Nonce,
            "",
            now() + Duration::minutes(5),
            Value::Null,
        )
        .unwrap()
    }

    fn header(key: &SecretKey) -> Value {
        json!({"typ": PROOF_TYPE, "alg": "EdDSA", "kid": key.public_key().verification_method_id()})
    }

    fn claims(nonce: &str) -> Value {
        json!({"aud": AUD, "iat": now().timestamp(), "nonce": nonce})
    }

    fn check(store: &MemoryStore, jwt: &str) -> Result<KeyProof, JwtError> {
        verify_key_proof(store, jwt, AUD, now())
    }

    #[test]
    fn a_did_key_proof_verifies_once() {
        let store = MemoryStore::new();
        let k = key();
        let n = nonce(&store);
        let jwt = sign(&k, &header(&k), &claims(&n));
        let proof = check(&store, &jwt).unwrap();
        assert_eq!(proof.holder, k.public_key().did_key());
        // The nonce is spent.
        assert!(matches!(check(&store, &jwt), Err(JwtError::UnknownNonce)));
    }

    #[test]
    fn did_jwk_and_bare_jwk_give_the_same_did() {
        let store = MemoryStore::new();
        let k = key();
        let did = did_jwk(&k.public_key());
        let x = URL_SAFE_NO_PAD.encode(k.public_key().as_bytes());

        let h = json!({"typ": PROOF_TYPE, "alg": "EdDSA", "kid": format!("{did}#0")});
        let got = check(&store, &sign(&k, &h, &claims(&nonce(&store)))).unwrap();
        assert_eq!(got.holder, did);

        let h = json!({"typ": PROOF_TYPE, "alg": "EdDSA",
            "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x}});
        let got = check(&store, &sign(&k, &h, &claims(&nonce(&store)))).unwrap();
        assert_eq!(got.holder, did);
        // did:jwk resolves back to the key.
        assert_eq!(
            DidKeyResolver.resolve_method(&did).unwrap().public_key,
            k.public_key()
        );
    }

    #[test]
    fn header_failures() {
        let store = MemoryStore::new();
        let k = key();
        let n = nonce(&store);
        let mut h = header(&k);
        h["typ"] = json!("JWT");
        assert!(matches!(
            check(&store, &sign(&k, &h, &claims(&n))),
            Err(JwtError::WrongType(_))
        ));
        for alg in ["none", "ES256", "HS256", "Ed25519"] {
            let mut h = header(&k);
            h["alg"] = json!(alg);
            assert!(
                matches!(
                    check(&store, &sign(&k, &h, &claims(&n))),
                    Err(JwtError::UnsupportedAlgorithm(_))
                ),
                "{alg}"
            );
        }
        // alg none with an empty signature, as an attacker would send it.
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(json!({"typ": PROOF_TYPE, "alg": "none"}).to_string()),
            URL_SAFE_NO_PAD.encode(claims(&n).to_string())
        );
        assert!(matches!(
            check(&store, &unsigned),
            Err(JwtError::UnsupportedAlgorithm(_))
        ));
        let mut h = header(&k);
        h["crit"] = json!(["b64"]);
        assert!(matches!(
            check(&store, &sign(&k, &h, &claims(&n))),
            Err(JwtError::CriticalHeader(_))
        ));
        let mut h = header(&k);
        h["jwk"] = json!({"kty": "OKP", "crv": "Ed25519", "x": "AA"});
        assert!(matches!(
            check(&store, &sign(&k, &h, &claims(&n))),
            Err(JwtError::AmbiguousKey)
        ));
        let h = json!({"typ": PROOF_TYPE, "alg": "EdDSA"});
        assert!(matches!(
            check(&store, &sign(&k, &h, &claims(&n))),
            Err(JwtError::NoKey)
        ));
        for kid in [
            "did:web:example.com#key-1",
            "https://example.com/key",
            "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
            "did:jwk:eyJrdHkiOiJFQyJ9",
        ] {
            let h = json!({"typ": PROOF_TYPE, "alg": "EdDSA", "kid": kid});
            assert!(
                matches!(
                    check(&store, &sign(&k, &h, &claims(&n))),
                    Err(JwtError::UnsupportedKey(_))
                ),
                "{kid}"
            );
        }
        let x = URL_SAFE_NO_PAD.encode(k.public_key().as_bytes());
        let h = json!({"typ": PROOF_TYPE, "alg": "EdDSA",
            "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x, "d": x}});
        assert!(matches!(
            check(&store, &sign(&k, &h, &claims(&n))),
            Err(JwtError::UnsupportedKey(_))
        ));
        // None of these spent the nonce.
        assert!(check(&store, &sign(&k, &header(&k), &claims(&n))).is_ok());
    }

    #[test]
    fn signature_failures() {
        let store = MemoryStore::new();
        let k = key();
        let other = SecretKey::from_seed(&[8; 32]);
        let n = nonce(&store);
        // Signed by another key than the one named.
        let jwt = sign(&other, &header(&k), &claims(&n));
        assert!(matches!(check(&store, &jwt), Err(JwtError::BadSignature)));
        // A claim changed after signing.
        let jwt = sign(&k, &header(&k), &claims(&n));
        let parts: Vec<&str> = jwt.split('.').collect();
        let mut changed = claims(&n);
        changed["aud"] = json!("https://evil.example");
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(changed.to_string()),
            parts[2]
        );
        assert!(matches!(
            check(&store, &forged),
            Err(JwtError::BadSignature)
        ));
        for broken in ["", "a.b", "a.b.c.d", "!!.e30.AA", &format!("{jwt}=")] {
            assert!(
                matches!(check(&store, broken), Err(JwtError::Malformed(_))),
                "{broken}"
            );
        }
        assert!(matches!(
            check(&store, &"a".repeat(MAX_JWT_BYTES + 1)),
            Err(JwtError::TooLong)
        ));
    }

    #[test]
    fn claim_failures() {
        let store = MemoryStore::new();
        let k = key();
        let n = nonce(&store);
        let with = |f: &dyn Fn(&mut Value)| {
            let mut c = claims(&n);
            f(&mut c);
            check(&store, &sign(&k, &header(&k), &c))
        };
        assert!(matches!(
            with(&|c| c["aud"] = json!("https://skillpass.test/institutions/other")),
            Err(JwtError::WrongAudience { .. })
        ));
        assert!(matches!(
            with(&|c| {
                c.as_object_mut().unwrap().remove("aud");
            }),
            Err(JwtError::WrongAudience { .. })
        ));
        assert!(matches!(
            with(&|c| c["iat"] = json!((now() - Duration::minutes(6)).timestamp())),
            Err(JwtError::Stale)
        ));
        assert!(matches!(
            with(&|c| c["iat"] = json!((now() + Duration::minutes(2)).timestamp())),
            Err(JwtError::FromTheFuture)
        ));
        assert!(matches!(
            with(&|c| c["iat"] = json!("2026-09-01T08:00:00Z")),
            Err(JwtError::NoIssuedAt)
        ));
        let e = with(&|c| c["nonce"] = json!("not-a-nonce-we-issued")).unwrap_err();
        assert!(matches!(e, JwtError::UnknownNonce) && e.is_nonce());
        let e = with(&|c| {
            c.as_object_mut().unwrap().remove("nonce");
        })
        .unwrap_err();
        assert!(matches!(e, JwtError::NoNonce) && e.is_nonce());
        // Within the window (clock skew and age), with aud as an array.
        assert!(with(&|c| {
            c["iat"] = json!((now() + Duration::seconds(30)).timestamp());
            c["aud"] = json!([AUD]);
        })
        .is_ok());
    }

    #[test]
    fn an_expired_nonce_is_refused() {
        let store = MemoryStore::new();
        let k = key();
        let n = tickets::mint(
            &store,
            TicketKind::Nonce,
            "",
            now() - Duration::seconds(1),
            Value::Null,
        )
        .unwrap();
        let jwt = sign(&k, &header(&k), &claims(&n));
        assert!(matches!(check(&store, &jwt), Err(JwtError::UnknownNonce)));
    }
}
