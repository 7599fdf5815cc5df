//! Errors of JSON-LD processing: spec errors (with the W3C error code) and strict-mode refusals.

/// Why a document could not be turned into RDF.
#[derive(Debug, thiserror::Error)]
pub enum JsonLdError {
    /// A JSON-LD 1.1 processing error; `code` is the spec's error code, e.g. `"invalid IRI mapping"`.
    #[error("{code}: {message}{}", at(.path))]
    Spec {
        code: &'static str,
        message: String,
        path: Option<String>,
    },
    /// A remote context that is not in the registry (contexts are never fetched).
    #[error("unknown JSON-LD context {url}")]
    UnknownContext { url: String },
    /// Strict mode: something jsonld.js's safe mode refuses, because it would be lost or changed.
    #[error("{refusal}{}", at(.path))]
    Strict {
        refusal: Refusal,
        /// JSON Pointer of the offending key or value in the input document, e.g.
        /// `/credentialSubject/achievement/name`.
        path: Option<String>,
    },
    /// The input exceeds a processing bound (nesting depth, context work); refused so that no
    /// document can make processing unbounded.
    #[error("input too large: {what} limit exceeded{}", at(.path))]
    Limit {
        what: &'static str,
        path: Option<String>,
    },
}

impl JsonLdError {
    /// Sets the JSON Pointer of the error in the input document unless one is already set.
    pub(crate) fn at_path(mut self, pointer: impl FnOnce() -> String) -> Self {
        if let Self::Spec { path, .. } | Self::Strict { path, .. } | Self::Limit { path, .. } =
            &mut self
        {
            if path.is_none() {
                *path = Some(pointer());
            }
        }
        self
    }
}

/// What strict mode refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A key that maps to no absolute IRI (the property would be dropped).
    #[error("undefined term \"{term}\"")]
    UndefinedTerm { term: String },
    /// A `@type` value that maps to no absolute IRI.
    #[error("undefined type \"{name}\"")]
    UndefinedType { name: String },
    /// A relative or malformed IRI in `@id`, `@type`, `@vocab`, a graph name, …
    #[error("invalid IRI \"{iri}\": {reason}")]
    InvalidIri { iri: String, reason: String },
    /// Any other value expansion or RDF conversion would drop (free-floating scalar, empty
    /// object in a list position, `@language` that is not a string, …).
    #[error("value would be dropped: {reason}")]
    DroppedValue { reason: String },
    /// A number jsonld.js would change (it reads numbers as JavaScript doubles).
    #[error("number {value}: {reason}")]
    Number { value: String, reason: String },
    /// A language tag that is not well-formed BCP 47.
    #[error("invalid language tag \"{tag}\"")]
    InvalidLanguage { tag: String },
}

fn at(path: &Option<String>) -> String {
    path.as_deref()
        .map(|p| format!(" at {p}"))
        .unwrap_or_default()
}
