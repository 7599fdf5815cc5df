//! `GET /openapi.json`: the OpenAPI 3.1 description of this API.
//!
//! The document is written by hand in `docs/openapi.json` and compiled in. The test
//! `tests/http_openapi.rs` keeps it in step with [`super::ROUTES`], the list the router is
//! built from.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::AppState;

/// The document, as served.
pub const OPENAPI_JSON: &str = include_str!("../../docs/openapi.json");

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(document))
}

async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
