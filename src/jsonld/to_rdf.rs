//! Node-map generation (JSON-LD 1.1 API §7.2) and deserialization to RDF (§8.1).

use super::{JsonLdError, Options};
use crate::rdf::Quad;
use serde_json::Value;

pub(super) fn to_rdf(_expanded: &Value, _options: &Options) -> Result<Vec<Quad>, JsonLdError> {
    todo!("to_rdf")
}
