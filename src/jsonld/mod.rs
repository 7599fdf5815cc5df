//! JSON-LD 1.1 → RDF, our own implementation, with processed contexts cached across documents.
//!
//! Two steps, each a W3C algorithm: [`expand`] (JSON-LD 1.1 API §5.1, with context processing
//! §4.1) and [`to_rdf`] (node-map generation §7.2 and deserialization to RDF §8.1). Contexts are
//! processed once per content and shared, because re-processing the same three credential
//! contexts for every document is what made signing slow.
//!
//! In strict mode every step refuses, with a [`Refusal`], what jsonld.js's safe mode refuses:
//! data that JSON-LD would silently drop or change (undefined terms, relative IRIs, …). The signer
//! and the verifier both run strict, so nothing shown in a credential goes unsigned.

mod cache;
mod context;
mod error;
mod expand;
mod iri;
mod node_map;
mod to_rdf;

pub use error::{JsonLdError, Refusal};

/// Hash maps keyed by document strings: foldhash is several times faster than SipHash on short
/// keys and still randomly seeded, so crafted keys cannot be aimed at one bucket.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

use crate::contexts::ContextRegistry;
use crate::rdf::Quad;
use serde_json::Value;

/// How a document is processed.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Base IRI for relative references; credentials have none (jsonld.js signs with `base: null`).
    pub base: Option<String>,
    /// Refuse what jsonld.js's safe mode refuses, instead of dropping it as plain JSON-LD does.
    pub strict: bool,
    /// How `@direction` reaches RDF; `None` drops it, as JSON-LD does by default.
    pub rdf_direction: Option<RdfDirection>,
}

/// The JSON-LD 1.1 `rdfDirection` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdfDirection {
    /// `"text"^^<https://www.w3.org/ns/i18n#ar_rtl>`: what the eddsa-rdfc-2022 cryptosuite uses.
    I18nDatatype,
}

impl Options {
    /// What signing and verifying use, as the eddsa-rdfc-2022 cryptosuite runs jsonld.js: strict,
    /// no base, `@direction` as i18n datatypes.
    pub fn strict() -> Self {
        Self {
            base: None,
            strict: true,
            rdf_direction: Some(RdfDirection::I18nDatatype),
        }
    }
}

/// The expanded form of `doc` (an array of node objects, as JSON-LD 1.1 defines it).
pub fn expand(
    doc: &Value,
    contexts: &ContextRegistry,
    options: &Options,
) -> Result<Value, JsonLdError> {
    expand::expand(doc, contexts, options)
}

/// The RDF quads of an expanded document; blank nodes are labelled `b0`, `b1`, … in document order.
pub fn to_rdf(expanded: &Value, options: &Options) -> Result<Vec<Quad>, JsonLdError> {
    to_rdf::to_rdf(expanded, options)
}

/// [`expand`] then [`to_rdf`].
pub fn document_to_rdf(
    doc: &Value,
    contexts: &ContextRegistry,
    options: &Options,
) -> Result<Vec<Quad>, JsonLdError> {
    to_rdf(&expand(doc, contexts, options)?, options)
}
