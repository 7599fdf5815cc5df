//! The VC-API exchange of Learner Credential Wallet, over HTTP ([`crate::wallet::exchange`]):
//!
//! - `GET /wallet/interactions/{offer}/{secret}?iuv=1`: with `Accept: application/json`, the
//!   protocols (`{"protocols": {"vcapi": …}}`); a browser is sent to the offer's claim page.
//! - `POST /wallet/exchanges/{exchange}`: `{}` → the DID Authentication request;
//!   `{"verifiablePresentation": …}` → the credential, in a presentation.
//! - `POST /wallet/credential-requests/{request}`: LCW's legacy `dccrequest://request` link
//!   posts its presentation here and gets the credential.
//!
//! LCW opens these through its `interaction:` and `dccrequest://` deep links.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use super::{ApiError, AppState, Json};
use crate::wallet::exchange::{self, ExchangeError};

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/wallet/interactions/{offer}/{secret}", get(interaction))
        .route("/wallet/exchanges/{exchange}", post(exchange_step))
        .route(
            "/wallet/credential-requests/{request}",
            post(credential_request),
        )
}

impl From<ExchangeError> for ApiError {
    fn from(e: ExchangeError) -> Self {
        let status = match e {
            ExchangeError::Wallet(inner) => return inner.into(),
            ExchangeError::UnknownInteraction | ExchangeError::UnknownExchange => {
                StatusCode::NOT_FOUND
            }
            ExchangeError::ExchangeExpired(_) => StatusCode::GONE,
            ExchangeError::NotRequested => StatusCode::CONFLICT,
            ExchangeError::BadMessage(_) => StatusCode::BAD_REQUEST,
            ExchangeError::Refused(_) | ExchangeError::CannotCheck(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        let mut error = ApiError::new(status, e.to_string());
        if let ExchangeError::Refused(reasons) = e {
            error.details = reasons;
        }
        error
    }
}

/// Whether the caller asked for JSON (a wallet) rather than a page (a browser).
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("application/json") || !accept.contains("text/html")
}

async fn interaction(
    State(state): State<AppState>,
    Path((offer, secret)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !wants_json(&headers) {
        // A person followed the link: the claim page explains what to do with it.
        let claim = format!("{}/claim/{offer}", state.service.public_url());
        return Ok(Redirect::to(&claim).into_response());
    }
    let protocols = exchange::interaction(&state.service, &state.wallet, &offer, &secret)?;
    Ok(axum::Json(protocols).into_response())
}

async fn exchange_step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(message): Json<Value>,
) -> Result<axum::Json<Value>, ApiError> {
    Ok(axum::Json(
        exchange::step(&state.service, &id, &message).await?,
    ))
}

async fn credential_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(presentation): Json<Value>,
) -> Result<Response, ApiError> {
    let credential = exchange::credential_request(&state.service, &id, &presentation).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        exchange::entity_safe_json(&credential),
    )
        .into_response())
}
