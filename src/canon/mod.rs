//! JSON-LD → RDF → RDFC-1.0 canonical N-Quads, strict: the input of every `eddsa-rdfc-2022` and
//! `Ed25519Signature2020` signature, for the document and the proof configuration alike.
//!
//! The output is byte-identical with what Digital Bazaar's jsonld.js + rdf-canonize produce for
//! the cryptosuite (safe mode, no base, `rdfDirection: i18n-datatype`), or the call fails with a
//! [`CanonError`] naming what to fix. Strict means: whatever JSON-LD would silently drop
//! (undefined terms, relative IRIs, …) or change (a number whose value a JavaScript verifier
//! would read or sign differently, [`numbers`]) is refused, so nothing shown in a credential
//! goes unsigned.
//!
//! The engine is ours: [`crate::jsonld`] (with processed contexts cached across documents) and
//! [`crate::rdfc`] (with rdf-canonize's work limit, so poison graphs are refused, not hashed for
//! ever). The previous oxjsonld/oxrdf path lives on as a test oracle in `tests/oracle/`.
//!
//! Remote contexts come only from the [`ContextRegistry`]; nothing is fetched.

pub mod numbers;

use crate::contexts::ContextRegistry;
use crate::jsonld::{self, JsonLdError, Refusal};
use crate::rdfc::{self, RdfcError};
use serde_json::Value;

/// Why a document cannot be canonicalized. Every message is one line naming what to fix.
#[derive(Debug, thiserror::Error)]
pub enum CanonError {
    /// A remote context that is not in the registry (contexts are never fetched).
    #[error("unknown JSON-LD context {url}: it is not bundled or registered, and contexts are never fetched")]
    UnknownContext { url: String },
    /// A property with no definition in the active context: it would not be signed.
    #[error("undefined term \"{term}\"{}: define it in a @context or remove it (it would not be signed)", at(.path))]
    UndefinedTerm { term: String, path: Option<String> },
    /// A `type` (or value `@type`) with no definition in the active context.
    #[error("undefined type \"{name}\"{}: define it in a @context or use an absolute IRI", at(.path))]
    UndefinedType { name: String, path: Option<String> },
    /// A relative or malformed IRI (an `id` without scheme, with a space, a blank-node property …).
    #[error("invalid IRI \"{iri}\"{}: {reason}", at(.path))]
    InvalidIri {
        iri: String,
        reason: String,
        path: Option<String>,
    },
    /// A value that JSON-LD expansion would drop without a trace.
    #[error("value at {path} would be silently dropped: {reason}")]
    DroppedValue { path: String, reason: String },
    /// A construct that cannot be canonicalized identically with jsonld.js, or input beyond a
    /// processing bound (nesting depth, context work).
    #[error("unsupported in signed data: {what}")]
    Unsupported { what: String },
    /// A number whose value jsonld.js would change (it reads numbers as JavaScript doubles;
    /// see [`numbers::changed_by_javascript`]).
    #[error("number {value} at {path}: {reason}")]
    Number {
        value: String,
        path: String,
        reason: String,
    },
    /// A language tag that is not well-formed BCP 47.
    #[error("invalid language tag \"{tag}\"{}: expected e.g. \"en\" or \"de-CH\"", at(.path))]
    InvalidLanguage { tag: String, path: Option<String> },
    /// Blank nodes so alike that telling them apart would take more work than rdf-canonize allows
    /// (at worst a "poison graph"); JavaScript verifiers refuse those too.
    #[error("too complex to canonicalize ({0}): identical nested objects without an id, such as repeated alignments or list items, need too much work to tell apart; give them ids or remove the repeats")]
    TooComplex(String),
    /// JSON-LD or N-Quads syntax error, with the JSON-LD error code where there is one.
    #[error("JSON-LD error: {0}")]
    Syntax(String),
}

fn at(path: &Option<String>) -> String {
    match path {
        Some(p) => format!(" at {p}"),
        None => String::new(),
    }
}

impl From<JsonLdError> for CanonError {
    fn from(e: JsonLdError) -> Self {
        match e {
            JsonLdError::UnknownContext { url } => CanonError::UnknownContext { url },
            JsonLdError::Spec { .. } => CanonError::Syntax(e.to_string()),
            JsonLdError::Limit { .. } => CanonError::Unsupported {
                what: e.to_string(),
            },
            JsonLdError::Strict { refusal, path } => match refusal {
                Refusal::UndefinedTerm { term } => CanonError::UndefinedTerm { term, path },
                Refusal::UndefinedType { name } => CanonError::UndefinedType { name, path },
                Refusal::InvalidIri { iri, reason } => CanonError::InvalidIri { iri, reason, path },
                Refusal::DroppedValue { reason } => CanonError::DroppedValue {
                    path: path.unwrap_or_else(|| "/".into()),
                    reason,
                },
                Refusal::Number { value, reason } => CanonError::Number {
                    value,
                    path: path.unwrap_or_else(|| "/".into()),
                    reason,
                },
                Refusal::InvalidLanguage { tag } => CanonError::InvalidLanguage { tag, path },
            },
        }
    }
}

impl From<RdfcError> for CanonError {
    fn from(e: RdfcError) -> Self {
        match e {
            RdfcError::WorkLimit(why) => CanonError::TooComplex(why),
        }
    }
}

/// Canonical N-Quads (RDFC-1.0, as jsonld.js/rdf-canonize write them) of a JSON-LD document.
///
/// The caller removes `proof` first; a proof configuration goes through the same function.
pub fn canonicalize(doc: &Value, contexts: &ContextRegistry) -> Result<String, CanonError> {
    engine(doc, contexts, &jsonld::Options::strict())
}

fn engine(
    doc: &Value,
    contexts: &ContextRegistry,
    options: &jsonld::Options,
) -> Result<String, CanonError> {
    let quads = jsonld::document_to_rdf(doc, contexts, options)?;
    Ok(rdfc::canonicalize(&quads, rdfc::HashAlgorithm::Sha256)?)
}
