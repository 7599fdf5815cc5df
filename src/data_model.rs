//! The W3C Verifiable Credentials data model's structural rules (VC 2.0, and VC 1.1 where it
//! differs), checked on the JSON before anything is signed or trusted.
//!
//! JSON-LD processing (strict mode in [`crate::canon`]) already refuses terms no context defines;
//! these are the rules JSON-LD cannot see: which members are required, which must be URLs,
//! which objects must carry a `type`, the shape of `relatedResource` and its digests, the order
//! of the validity dates. The issuer refuses a credential that breaks one
//! (`POST /credentials/issue` answers 422 with every violation); the verifier reports them as
//! its `dataModel` check.
//!
//! A digest in `relatedResource` is checked for its form (algorithm, encoding, length), not
//! against the resource: skillpass never fetches anything while issuing or verifying.

use std::collections::HashSet;
use std::fmt;

use base64::Engine;
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::contexts::{CREDENTIALS_V1, CREDENTIALS_V2};

/// The data model version, from the first `@context` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `https://www.w3.org/ns/credentials/v2`.
    V2,
    /// `https://www.w3.org/2018/credentials/v1`.
    V1,
}

impl Version {
    /// The base context URL of this version.
    pub fn context(self) -> &'static str {
        match self {
            Version::V2 => CREDENTIALS_V2,
            Version::V1 => CREDENTIALS_V1,
        }
    }

    /// The names of the validity members: (`validFrom`, `validUntil`) or, in VC 1.1,
    /// (`issuanceDate`, `expirationDate`).
    pub fn validity_members(self) -> (&'static str, &'static str) {
        match self {
            Version::V2 => ("validFrom", "validUntil"),
            Version::V1 => ("issuanceDate", "expirationDate"),
        }
    }
}

/// One broken rule: where (a JSON Pointer, `""` for the document) and what.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// What checking a document found.
#[derive(Clone, Debug)]
pub struct Findings {
    /// `None` when the first `@context` entry names neither version.
    pub version: Option<Version>,
    /// Every broken rule; empty when the document conforms.
    pub violations: Vec<Violation>,
}

impl Findings {
    /// Whether the document conforms.
    pub fn conforms(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations as one line each (`path: message`).
    pub fn reasons(&self) -> Vec<String> {
        self.violations.iter().map(ToString::to_string).collect()
    }
}

/// Members whose every object must say what it is (`type`), VC 2.0 §4.5's table.
const TYPED_MEMBERS: &[&str] = &[
    "credentialStatus",
    "termsOfUse",
    "evidence",
    "refreshService",
    "credentialSchema",
];

/// Checks a verifiable credential (secured or not; `proof` itself is the proof module's).
pub fn check_credential(document: &Value) -> Findings {
    let mut out = Out::default();
    let Some(doc) = document.as_object() else {
        out.push("", "a credential must be a JSON object");
        return out.finish(None);
    };
    let version = check_context(doc, &mut out);
    check_id(doc, "", &mut out);
    check_types(doc, "", "VerifiableCredential", &mut out);

    match doc.get("issuer") {
        None => out.push("/issuer", "is required (a URL, or an object with an id)"),
        Some(Value::String(s)) => check_url(s, "/issuer", &mut out),
        Some(Value::Object(m)) => match m.get("id") {
            Some(Value::String(s)) => check_url(s, "/issuer/id", &mut out),
            _ => out.push("/issuer/id", "an issuer object needs an id that is a URL"),
        },
        Some(_) => out.push("/issuer", "must be a URL or an object with an id"),
    }

    match doc.get("credentialSubject") {
        Some(Value::Object(m)) => check_subject(m, "/credentialSubject", &mut out),
        Some(Value::Array(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("/credentialSubject/{i}");
                match item {
                    Value::Object(m) => check_subject(m, &path, &mut out),
                    _ => out.push(&path, "each subject must be an object"),
                }
            }
        }
        Some(_) => out.push(
            "/credentialSubject",
            "must be a non-empty object or a non-empty array of them",
        ),
        None => out.push("/credentialSubject", "is required"),
    }

    if let Some(version) = version {
        check_validity(doc, version, &mut out);
    }
    for member in TYPED_MEMBERS {
        check_typed_objects(doc, member, &mut out);
    }
    check_related_resources(doc, &mut out);
    out.finish(version)
}

/// Checks a verifiable presentation's own members (its credentials are checked on their own).
pub fn check_presentation(document: &Value) -> Findings {
    let mut out = Out::default();
    let Some(doc) = document.as_object() else {
        out.push("", "a presentation must be a JSON object");
        return out.finish(None);
    };
    let version = check_context(doc, &mut out);
    check_id(doc, "", &mut out);
    check_types(doc, "", "VerifiablePresentation", &mut out);
    match doc.get("holder") {
        None => {}
        Some(Value::String(s)) => check_url(s, "/holder", &mut out),
        Some(Value::Object(m)) => match m.get("id") {
            Some(Value::String(s)) => check_url(s, "/holder/id", &mut out),
            _ => out.push("/holder/id", "a holder object needs an id that is a URL"),
        },
        Some(_) => out.push("/holder", "must be a URL or an object with an id"),
    }
    let credentials: Vec<&Value> = match doc.get("verifiableCredential") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    for (i, vc) in credentials.iter().enumerate() {
        if !vc.is_object() {
            out.push(
                &format!("/verifiableCredential/{i}"),
                "must be a credential object (not a string, number or URL)",
            );
        }
    }
    check_related_resources(doc, &mut out);
    out.finish(version)
}

#[derive(Default)]
struct Out(Vec<Violation>);

impl Out {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(Violation {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    fn finish(self, version: Option<Version>) -> Findings {
        Findings {
            version,
            violations: self.0,
        }
    }
}

fn check_context(doc: &Map<String, Value>, out: &mut Out) -> Option<Version> {
    let items: Vec<&Value> = match doc.get("@context") {
        None => {
            out.push("/@context", "is required");
            return None;
        }
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    let version = match items.first().and_then(|v| v.as_str()) {
        Some(CREDENTIALS_V2) => Some(Version::V2),
        Some(CREDENTIALS_V1) => Some(Version::V1),
        _ => {
            out.push(
                "/@context/0",
                format!("the first @context entry must be {CREDENTIALS_V2} (VC 2.0) or {CREDENTIALS_V1} (VC 1.1)"),
            );
            None
        }
    };
    for (i, item) in items.iter().enumerate().skip(1) {
        match item {
            Value::String(s) => check_url(s, &format!("/@context/{i}"), out),
            Value::Object(_) => {}
            _ => out.push(
                &format!("/@context/{i}"),
                "each @context entry must be a URL or a context object",
            ),
        }
    }
    version
}

/// `id`, when present, is one URL (`null`, numbers, arrays and relative references are not).
fn check_id(object: &Map<String, Value>, at: &str, out: &mut Out) {
    match object.get("id") {
        None => {}
        Some(Value::String(s)) => check_url(s, &format!("{at}/id"), out),
        Some(_) => out.push(&format!("{at}/id"), "must be a single URL"),
    }
}

fn check_types(object: &Map<String, Value>, at: &str, required: &str, out: &mut Out) {
    let path = format!("{at}/type");
    let names: Vec<&str> = match object.get("type") {
        None => {
            out.push(&path, format!("is required and must include {required}"));
            return;
        }
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => {
            let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            if names.len() != items.len() || names.iter().any(|n| n.is_empty()) {
                out.push(&path, "every type must be a non-empty string");
                return;
            }
            names
        }
        Some(_) => {
            out.push(&path, "must be a string or an array of strings");
            return;
        }
    };
    if !names.contains(&required) {
        out.push(&path, format!("must include {required}"));
    }
}

fn check_subject(subject: &Map<String, Value>, at: &str, out: &mut Out) {
    if subject.is_empty() {
        out.push(at, "a subject must make at least one claim");
        return;
    }
    check_id(subject, at, out);
}

fn check_validity(doc: &Map<String, Value>, version: Version, out: &mut Out) {
    let (from, until) = version.validity_members();
    let mut parse = |field: &str| -> Option<DateTime<FixedOffset>> {
        let raw = doc.get(field)?;
        match raw.as_str().and_then(parse_date_time) {
            Some(t) => Some(t),
            None => {
                out.push(
                    &format!("/{field}"),
                    "must be an XML Schema dateTime with a time zone, e.g. 2026-07-01T00:00:00Z",
                );
                None
            }
        }
    };
    let start = parse(from);
    let end = parse(until);
    if let (Some(start), Some(end)) = (start, end) {
        if end <= start {
            out.push(&format!("/{until}"), format!("must be after {from}"));
        }
    }
    if version == Version::V1 && !doc.contains_key("issuanceDate") {
        out.push("/issuanceDate", "a VC 1.1 credential needs an issuanceDate");
    }
}

/// An XML Schema `dateTimeStamp` (RFC 3339 with a time zone).
pub fn parse_date_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// The values of a "one or many objects" member, with their paths.
fn objects<'a>(doc: &'a Map<String, Value>, member: &str) -> Vec<(String, Option<&'a Value>)> {
    match doc.get(member) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("/{member}/{i}"), Some(v)))
            .collect(),
        Some(one) => vec![(format!("/{member}"), Some(one))],
    }
}

fn check_typed_objects(doc: &Map<String, Value>, member: &str, out: &mut Out) {
    if matches!(doc.get(member), Some(Value::Array(items)) if items.is_empty()) {
        out.push(&format!("/{member}"), "must not be an empty array");
    }
    for (path, value) in objects(doc, member) {
        let Some(Value::Object(object)) = value else {
            out.push(&path, format!("each {member} value must be an object"));
            continue;
        };
        match object.get("type") {
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(Value::Array(items))
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|t| t.as_str().is_some_and(|t| !t.is_empty())) => {}
            Some(_) => out.push(
                &format!("{path}/type"),
                "must be a non-empty string or array of strings",
            ),
            None => out.push(
                &format!("{path}/type"),
                format!("each {member} object must say what it is with a type"),
            ),
        }
        check_id(object, &path, out);
        if member == "credentialSchema" && !object.contains_key("id") {
            out.push(
                &format!("{path}/id"),
                "a credentialSchema needs the URL of the schema as its id",
            );
        }
    }
}

/// VC 2.0 §5.3: each related resource is an object with a unique URL `id` and at least one
/// well-formed digest (`digestSRI` or `digestMultibase`).
fn check_related_resources(doc: &Map<String, Value>, out: &mut Out) {
    if matches!(doc.get("relatedResource"), Some(Value::Array(items)) if items.is_empty()) {
        out.push("/relatedResource", "must not be an empty array");
    }
    let mut seen = HashSet::new();
    for (path, value) in objects(doc, "relatedResource") {
        let Some(Value::Object(resource)) = value else {
            out.push(
                &path,
                "each related resource must be an object with an id and a digest",
            );
            continue;
        };
        match resource.get("id") {
            Some(Value::String(id)) => {
                check_url(id, &format!("{path}/id"), out);
                if !seen.insert(id.clone()) {
                    out.push(
                        &format!("{path}/id"),
                        format!("{id} is listed twice: related resource ids must be unique"),
                    );
                }
            }
            Some(_) => out.push(&format!("{path}/id"), "must be a single URL"),
            None => out.push(
                &format!("{path}/id"),
                "a related resource needs the URL of the resource as its id",
            ),
        }
        let sri = resource.get("digestSRI");
        let multibase = resource.get("digestMultibase");
        if sri.is_none() && multibase.is_none() {
            out.push(
                &path,
                "a related resource needs a digestSRI or a digestMultibase",
            );
        }
        if let Some(sri) = sri {
            if let Err(why) = sri.as_str().ok_or("must be a string").and_then(check_sri) {
                out.push(&format!("{path}/digestSRI"), why);
            }
        }
        if let Some(mb) = multibase {
            if let Err(why) = mb
                .as_str()
                .ok_or("must be a string")
                .and_then(check_digest_multibase)
            {
                out.push(&format!("{path}/digestMultibase"), why);
            }
        }
        match resource.get("mediaType") {
            None | Some(Value::String(_)) => {}
            Some(_) => out.push(&format!("{path}/mediaType"), "must be a string"),
        }
    }
}

/// Subresource Integrity metadata: `sha256-…`, `sha384-…` or `sha512-…` with the base64 of a
/// digest of that length (several, space-separated, are allowed).
pub fn check_sri(text: &str) -> Result<(), &'static str> {
    let mut any = false;
    for item in text.split_ascii_whitespace() {
        any = true;
        let (algorithm, value) = item
            .split_once('-')
            .ok_or("must be algorithm-base64digest, e.g. sha384-…")?;
        let expected = match algorithm {
            "sha256" => 32,
            "sha384" => 48,
            "sha512" => 64,
            _ => return Err("the algorithm must be sha256, sha384 or sha512"),
        };
        // SRI allows options after '?'; the digest is what comes before.
        let value = value.split('?').next().unwrap_or_default();
        let decoded = decode_base64_any(value).ok_or("the digest is not base64")?;
        if decoded.len() != expected {
            return Err("the digest's length does not match its algorithm");
        }
    }
    if any {
        Ok(())
    } else {
        Err("must not be empty")
    }
}

/// A multibase digest: base64url (`u…`) or base58-btc (`z…`) of a SHA-2 digest (32, 48 or 64
/// bytes), bare or as a multihash.
pub fn check_digest_multibase(text: &str) -> Result<(), &'static str> {
    let bytes = if let Some(rest) = text.strip_prefix('u') {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(rest)
            .map_err(|_| "a 'u' multibase value must be base64url without padding")?
    } else if let Some(rest) = text.strip_prefix('z') {
        bs58::decode(rest)
            .into_vec()
            .map_err(|_| "a 'z' multibase value must be base58-btc")?
    } else {
        return Err("must be multibase: base64url ('u…') or base58-btc ('z…')");
    };
    let digest_len = |n: usize| matches!(n, 32 | 48 | 64);
    let multihash = bytes.len() > 2
        && matches!(bytes[0], 0x12 | 0x13 | 0x20 | 0x16 | 0x14 | 0x15)
        && usize::from(bytes[1]) == bytes.len() - 2;
    if digest_len(bytes.len()) || (multihash && digest_len(bytes.len() - 2)) {
        Ok(())
    } else {
        Err("does not decode to a SHA-2 or SHA-3 digest (32, 48 or 64 bytes)")
    }
}

fn decode_base64_any(value: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
    let unpadded = value.trim_end_matches('=');
    STANDARD
        .decode(value)
        .ok()
        .or_else(|| {
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(unpadded)
                .ok()
        })
        .or_else(|| URL_SAFE.decode(value).ok())
        .or_else(|| URL_SAFE_NO_PAD.decode(unpadded).ok())
}

/// A URL in the data model's sense: an absolute IRI with a scheme (`https:…`, `did:…`,
/// `urn:…`), no spaces.
pub fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn check_url(text: &str, path: &str, out: &mut Out) {
    if !is_url(text) {
        out.push(path, format!("{text:?} is not a URL"));
    }
}

/// Whether `doc.type` is `wanted` or an array containing it (JSON-LD allows both forms).
pub fn has_type(doc: &Value, wanted: &str) -> bool {
    match doc.get("type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(items)) => items.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls() {
        for ok in ["https://a.example/x", "did:key:z6Mk", "urn:uuid:1234"] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in ["", "relative/path", "1abc:x", "https:", "http://a b", "foo"] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn digests() {
        assert!(check_sri(
            "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"
        )
        .is_ok());
        assert!(check_sri("sha384-abc").is_err());
        assert!(check_sri("md5-AAAAAAAAAAAAAAAAAAAAAA==").is_err());
        assert!(check_digest_multibase("uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k").is_ok());
        assert!(check_digest_multibase("uJKGM").is_err());
        assert!(check_digest_multibase("mJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k").is_err());
    }

    #[test]
    fn a_minimal_credential_conforms() {
        let vc = json!({
            "@context": [CREDENTIALS_V2],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "credentialSubject": {"id": "did:example:subject"},
        });
        let found = check_credential(&vc);
        assert!(found.conforms(), "{:?}", found.reasons());
        assert_eq!(found.version, Some(Version::V2));
    }
}
