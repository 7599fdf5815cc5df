//! JSON-LD contexts bundled in the binary.
//!
//! Signing and verifying must never depend on the network: a context fetched at run time could
//! change what a signature means. Every remote context the canonicalizer may load comes from a
//! [`ContextRegistry`], which starts from the files vendored in `schemas/contexts/` (provenance and
//! hashes in `schemas/contexts/README.md`).

use std::collections::HashMap;
use std::sync::Arc;

/// W3C Verifiable Credentials Data Model 2.0.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// W3C Verifiable Credentials Data Model 1.1.
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";
/// Data Integrity v1 (`DataIntegrityProof`, cryptosuites).
pub const DATA_INTEGRITY_V1: &str = "https://w3id.org/security/data-integrity/v1";
/// Data Integrity v2.
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
/// Multikey verification methods.
pub const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";
/// `Ed25519Signature2020` / `Ed25519VerificationKey2020`.
pub const ED25519_2020_V1: &str = "https://w3id.org/security/suites/ed25519-2020/v1";
/// Bitstring Status List v1.
pub const BITSTRING_STATUS_LIST_V1: &str = "https://www.w3.org/ns/credentials/status/v1";
/// 1EdTech Open Badges 3.0 context, version 3.0.3.
pub const OB_V3P0: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The W3C VC working group's examples context (`@vocab` only). **Test vocabulary**: it makes
/// every undefined term an `https://www.w3.org/ns/credentials/examples#` IRI, so the W3C suites'
/// example credentials can be signed and checked; no skillpass document uses it.
pub const CREDENTIALS_EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";
/// The skillpass project context.
pub const SKILLPASS_V1: &str = "https://w3id.org/skillpass/contexts/v1";

/// Every file of `schemas/contexts/` with the URL it is served under.
const BUNDLED: &[(&str, &str, &str)] = &[
    (
        CREDENTIALS_V2,
        "credentials-v2.jsonld",
        include_str!("../schemas/contexts/credentials-v2.jsonld"),
    ),
    (
        CREDENTIALS_V1,
        "credentials-v1.jsonld",
        include_str!("../schemas/contexts/credentials-v1.jsonld"),
    ),
    (
        DATA_INTEGRITY_V1,
        "data-integrity-v1.jsonld",
        include_str!("../schemas/contexts/data-integrity-v1.jsonld"),
    ),
    (
        DATA_INTEGRITY_V2,
        "data-integrity-v2.jsonld",
        include_str!("../schemas/contexts/data-integrity-v2.jsonld"),
    ),
    (
        MULTIKEY_V1,
        "multikey-v1.jsonld",
        include_str!("../schemas/contexts/multikey-v1.jsonld"),
    ),
    (
        ED25519_2020_V1,
        "ed25519-signature-2020-v1.jsonld",
        include_str!("../schemas/contexts/ed25519-signature-2020-v1.jsonld"),
    ),
    (
        BITSTRING_STATUS_LIST_V1,
        "bitstring-status-list-v1.jsonld",
        include_str!("../schemas/contexts/bitstring-status-list-v1.jsonld"),
    ),
    (
        OB_V3P0,
        "ob-v3p0-context-3.0.3.json",
        include_str!("../schemas/contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        CREDENTIALS_EXAMPLES_V2,
        "credentials-examples-v2.jsonld",
        include_str!("../schemas/contexts/credentials-examples-v2.jsonld"),
    ),
    (
        SKILLPASS_V1,
        "skillpass-v1.jsonld",
        include_str!("../schemas/contexts/skillpass-v1.jsonld"),
    ),
];

/// A context document the registry refused.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    /// The text is not JSON.
    #[error("context {url}: not valid JSON: {reason}")]
    NotJson { url: String, reason: String },
    /// The JSON is not an object with an `@context` entry, so JSON-LD cannot use it as a context.
    #[error("context {url}: must be a JSON object with an \"@context\" entry")]
    NotAContext { url: String },
}

/// URL → context JSON text. The only source of remote contexts for [`crate::canon`].
///
/// Cloning is one reference-count increment; [`ContextRegistry::insert`] copies the map only
/// when it is shared (copy on write), so a per-request registry derived from
/// [`ContextRegistry::bundled`] costs nothing until it is changed.
#[derive(Clone, Debug)]
pub struct ContextRegistry {
    docs: Arc<HashMap<String, Arc<str>>>,
}

impl Default for ContextRegistry {
    /// Same as [`ContextRegistry::bundled`]: an empty registry would refuse every credential.
    fn default() -> Self {
        Self::bundled()
    }
}

impl ContextRegistry {
    /// The contexts vendored in `schemas/contexts/` (nothing is fetched).
    pub fn bundled() -> Self {
        static BUNDLED_REGISTRY: std::sync::OnceLock<ContextRegistry> = std::sync::OnceLock::new();
        BUNDLED_REGISTRY
            .get_or_init(|| {
                let docs = BUNDLED
                    .iter()
                    .map(|(url, _, json)| ((*url).to_owned(), Arc::<str>::from(*json)))
                    .collect();
                Self {
                    docs: Arc::new(docs),
                }
            })
            .clone()
    }

    /// A registry with no contexts at all (for tests and special-purpose verifiers).
    pub fn empty() -> Self {
        Self {
            docs: Arc::new(HashMap::new()),
        }
    }

    /// Adds or replaces the context served under `url`.
    ///
    /// Checked here so that a bad file is reported with its URL when it is registered, not as an
    /// obscure JSON-LD error in the middle of a signature check.
    pub fn insert(&mut self, url: &str, json: &str) -> Result<(), ContextError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| ContextError::NotJson {
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        if !value
            .as_object()
            .is_some_and(|o| o.contains_key("@context"))
        {
            return Err(ContextError::NotAContext {
                url: url.to_owned(),
            });
        }
        Arc::make_mut(&mut self.docs).insert(url.to_owned(), Arc::from(json));
        Ok(())
    }

    /// The JSON text served under `url` (exact match, no normalisation).
    pub fn get(&self, url: &str) -> Option<&str> {
        self.docs.get(url).map(|s| &**s)
    }

    /// Shared handle to the text, for callers that outlive the borrow (the JSON-LD loader).
    pub(crate) fn get_arc(&self, url: &str) -> Option<Arc<str>> {
        self.docs.get(url).cloned()
    }

    /// Every registered URL, in no particular order.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_has_every_file_of_schemas_contexts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/contexts");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".json") || n.ends_with(".jsonld"))
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = BUNDLED.iter().map(|(_, f, _)| (*f).to_owned()).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled, "register new context files in BUNDLED");
        for (url, file, json) in BUNDLED {
            let on_disk = std::fs::read_to_string(dir.join(file)).unwrap();
            assert_eq!(&on_disk, json, "{file}");
            ContextRegistry::empty()
                .insert(url, json)
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn bundled_serves_the_constants() {
        let reg = ContextRegistry::bundled();
        for url in [
            CREDENTIALS_V2,
            CREDENTIALS_V1,
            DATA_INTEGRITY_V1,
            DATA_INTEGRITY_V2,
            MULTIKEY_V1,
            ED25519_2020_V1,
            BITSTRING_STATUS_LIST_V1,
            OB_V3P0,
            SKILLPASS_V1,
        ] {
            assert!(reg.get(url).is_some(), "{url}");
        }
        assert!(reg.get("https://example.org/none").is_none());
        assert!(reg.get(&format!("{CREDENTIALS_V2}/")).is_none());
        let v2: serde_json::Value = serde_json::from_str(reg.get(CREDENTIALS_V2).unwrap()).unwrap();
        assert_eq!(v2["@context"]["@protected"], true);
    }

    #[test]
    fn insert_is_copy_on_write_and_validates() {
        let base = ContextRegistry::bundled();
        let mut reg = base.clone();
        reg.insert(
            "https://example.org/ctx",
            r#"{"@context":{"a":"https://ex/a"}}"#,
        )
        .unwrap();
        assert!(reg.get("https://example.org/ctx").is_some());
        assert!(base.get("https://example.org/ctx").is_none());
        assert!(ContextRegistry::bundled()
            .get("https://example.org/ctx")
            .is_none());

        let err = reg.insert("https://example.org/bad", "{").unwrap_err();
        assert!(matches!(err, ContextError::NotJson { .. }));
        assert!(err.to_string().contains("https://example.org/bad"), "{err}");
        let err = reg
            .insert("https://example.org/bad", r#"{"a":"b"}"#)
            .unwrap_err();
        assert!(matches!(err, ContextError::NotAContext { .. }));
        assert!(err.to_string().contains("https://example.org/bad"), "{err}");
        let err = reg.insert("https://example.org/bad", "[]").unwrap_err();
        assert!(matches!(err, ContextError::NotAContext { .. }));
        assert!(reg.get("https://example.org/bad").is_none());
    }
}
