//! The HTTP API (axum): routing, authentication and JSON in/out over [`crate::service`].
//!
//! Handlers stay thin: parse, authenticate, call the service, shape the response. Every error
//! leaves through [`error::ApiError`], the one JSON envelope.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use subtle::ConstantTimeEq;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::service::{token_hash, Service};
use crate::store::Institution;

mod admin;
mod batch;
mod credentials;
pub mod error;
mod openapi;
mod page;
mod public;
mod verification;

pub use error::ApiError;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub service: Arc<Service>,
    /// SHA-256 of the admin token; compared in constant time.
    pub admin_token_hash: [u8; 32],
}

/// Limits applied to every request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            timeout: Duration::from_secs(30),
        }
    }
}

/// The whole API as a router, so tests can drive it without a socket.
pub fn app(state: AppState, limits: Limits) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(
            "/admin/institutions",
            post(admin::register).get(admin::list),
        )
        .route("/admin/institutions/{id}/token", post(admin::rotate_token))
        .route("/admin/institutions/{id}/keys", post(admin::rotate_key))
        .route("/admin/audit", get(admin::audit))
        .route("/audit", get(credentials::own_audit))
        .route("/credentials/issue", post(credentials::issue))
        .route("/records", post(credentials::issue_record))
        .route("/credentials", get(credentials::list))
        .route("/credentials/status", post(credentials::update_status))
        .route("/credentials/verify", post(verification::verify_credential))
        .route("/presentations/verify", post(verification::verify_presentation))
        .route("/credentials/{id}", get(credentials::get))
        .route("/status/{institution}/{purpose}/{sequence}", get(public::status_list))
        .route("/institutions/{id}/did.json", get(public::did_document))
        .merge(batch::routes())
        .merge(page::routes())
        .merge(openapi::routes())
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A JSON body whose rejections use the API's error envelope.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(value))
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The caller proved it holds the admin token.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        if bool::from(token_hash(token).ct_eq(&state.admin_token_hash)) {
            Ok(Admin)
        } else {
            Err(ApiError::unauthorized())
        }
    }
}

/// The institution whose API token the caller sent.
pub struct Caller(pub Institution);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?.to_owned();
        let service = state.service.clone();
        let found = tokio::task::spawn_blocking(move || service.authenticate(&token))
            .await
            .map_err(ApiError::internal)??;
        found.map(Caller).ok_or_else(ApiError::unauthorized)
    }
}

/// Runs blocking service work off the async runtime.
async fn blocking<T: Send + 'static>(
    state: &State<AppState>,
    f: impl FnOnce(&Service) -> Result<T, crate::service::ServiceError> + Send + 'static,
) -> Result<T, ApiError> {
    let service = state.service.clone();
    tokio::task::spawn_blocking(move || f(&service))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::from)
}
