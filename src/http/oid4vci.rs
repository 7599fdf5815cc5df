//! OpenID4VCI 1.0 endpoints (pre-authorized code flow) over [`crate::wallet::oid4vci`]:
//! the credential offer by reference, the per-institution issuer and authorization-server
//! metadata (path-inserted well-known URLs), and the token, nonce and credential endpoints.
//!
//! Errors here are OAuth-shaped, `{"error": CODE, "error_description": TEXT}`, as wallets
//! expect them (not the API's envelope); a bad access token also gets `WWW-Authenticate`.

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Form, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use super::AppState;
use crate::wallet::oid4vci::{self, ErrorCode, Oid4vciError, TokenRequest};

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oid4vci/offers/{offer}", get(credential_offer))
        .route(
            "/.well-known/openid-credential-issuer/institutions/{id}",
            get(issuer_metadata),
        )
        .route(
            "/.well-known/oauth-authorization-server/institutions/{id}",
            get(authorization_server_metadata),
        )
        .route("/institutions/{id}/oid4vci/token", post(token))
        .route("/institutions/{id}/oid4vci/nonce", post(nonce))
        .route("/institutions/{id}/oid4vci/credential", post(credential))
}

/// An OpenID4VCI error as an HTTP response. `token_sent` is false when a request to the
/// credential endpoint came without any access token: its challenge then carries no error
/// code (RFC 6750 §3.1).
struct OAuthError {
    error: Oid4vciError,
    token_sent: bool,
}

impl From<Oid4vciError> for OAuthError {
    fn from(error: Oid4vciError) -> Self {
        OAuthError {
            error,
            token_sent: true,
        }
    }
}

/// A header-safe rendering of a description (RFC 6750 allows no `"` or `\` inside).
fn header_text(s: &str) -> String {
    s.chars()
        .filter(|c| (' '..='~').contains(c) && *c != '"' && *c != '\\')
        .collect()
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let e = self.error;
        let status =
            StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({
            "error": e.code.as_str(),
            "error_description": e.description,
        });
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if e.code == ErrorCode::InvalidToken {
            let challenge = if self.token_sent {
                format!(
                    "Bearer error=\"invalid_token\", error_description=\"{}\"",
                    header_text(&e.description)
                )
            } else {
                "Bearer".to_owned()
            };
            if let Ok(v) = HeaderValue::from_str(&challenge) {
                headers.insert(header::WWW_AUTHENTICATE, v);
            }
        }
        response
    }
}

/// A JSON answer that must not be cached (it holds a secret or is single use).
fn no_store(value: Value) -> Response {
    let mut response = axum::Json(value).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /oid4vci/offers/{offer}`: the credential offer, with a fresh pre-authorized code.
async fn credential_offer(
    State(state): State<AppState>,
    Path(offer): Path<String>,
) -> Result<Response, OAuthError> {
    let offer = oid4vci::credential_offer(&state.service, &state.wallet, &offer)?;
    Ok(no_store(offer))
}

/// `GET /.well-known/openid-credential-issuer/institutions/{id}`.
async fn issuer_metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, OAuthError> {
    Ok(axum::Json(oid4vci::issuer_metadata(&state.service, &id)?))
}

/// `GET /.well-known/oauth-authorization-server/institutions/{id}`.
async fn authorization_server_metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, OAuthError> {
    Ok(axum::Json(oid4vci::authorization_server_metadata(
        &state.service,
        &id,
    )?))
}

/// `POST /institutions/{id}/oid4vci/token` (form-urlencoded).
async fn token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Result<Response, OAuthError> {
    let Form(request) = form.map_err(|e| {
        Oid4vciError::new(
            ErrorCode::InvalidRequest,
            format!("the token request must be application/x-www-form-urlencoded with each parameter once: {e}"),
        )
    })?;
    let answer = oid4vci::token(&state.service, &state.wallet, &id, &request).await?;
    Ok(no_store(answer))
}

/// `POST /institutions/{id}/oid4vci/nonce` → `{"c_nonce": …}`.
async fn nonce(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, OAuthError> {
    Ok(no_store(oid4vci::nonce(
        &state.service,
        &state.wallet,
        &id,
    )?))
}

/// The access token of `Authorization: Bearer …`, if any.
struct AccessToken(Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for AccessToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AccessToken(super::bearer(parts).map(str::to_owned)))
    }
}

/// `POST /institutions/{id}/oid4vci/credential` (Bearer access token, JSON body).
async fn credential(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AccessToken(token): AccessToken,
    body: Result<axum::Json<Value>, JsonRejection>,
) -> Result<Response, OAuthError> {
    // A body that is not JSON goes on as null: the access token is checked first, then the
    // body is refused as not a JSON object.
    let body = body.map(|axum::Json(v)| v).unwrap_or(Value::Null);
    let answer = oid4vci::credential(&state.service, &id, token.as_deref(), &body)
        .await
        .map_err(|error| OAuthError {
            error,
            token_sent: token.is_some(),
        })?;
    Ok(no_store(answer))
}
