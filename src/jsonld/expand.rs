//! The expansion algorithm (JSON-LD 1.1 API §5.1), strict when asked.

use super::{JsonLdError, Options};
use crate::contexts::ContextRegistry;
use serde_json::Value;

pub(super) fn expand(
    _doc: &Value,
    _contexts: &ContextRegistry,
    _options: &Options,
) -> Result<Value, JsonLdError> {
    todo!("expansion")
}
