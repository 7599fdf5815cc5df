//! The HTTP API (axum): routing, authentication and JSON in/out over [`crate::service`].
//!
//! Handlers stay thin: parse, authenticate, call the service, shape the response. Every error
//! leaves through [`error::ApiError`], the one JSON envelope.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use subtle::ConstantTimeEq;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::service::Service;
use crate::store::Institution;

mod admin;
mod admin_backup;
mod batch;
mod claim;
mod console;
mod credentials;
pub mod error;
mod exchange;
pub mod lang;
pub use crate::limits;
mod offers;
mod oid4vci;
mod openapi;
mod page;
mod passport;
mod print;
mod public;
mod recognition;
mod registry;
mod request;
mod verification;

pub use error::ApiError;
pub use limits::AuthLimiter;
pub use request::{PRESENTATION_REQUESTS_PER_WINDOW, PRESENTATION_REQUESTS_WINDOW};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub service: Arc<Service>,
    /// The admin token as [`Service::token_hash`] hashes it; compared in constant time.
    pub admin_token_hash: [u8; 32],
    /// Lifetimes and limits of claim offers and the wallet protocols.
    pub wallet: crate::wallet::WalletConfig,
}

/// Limits applied to every request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub timeout: Duration,
    /// Failed authentications allowed per client address and per token within `auth_window`
    /// ([`limits`]); more are answered 429.
    pub auth_failures: u32,
    pub auth_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            timeout: Duration::from_secs(30),
            auth_failures: limits::MAX_FAILURES,
            auth_window: limits::WINDOW,
        }
    }
}

/// Whether `path` is open to pages of any origin (CORS): the open verify endpoints and the
/// public documents. Everything else answers without CORS headers, so browsers keep other
/// sites' pages away from it.
fn cross_origin(method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // A preflight asks with OPTIONS; the method it asks for is checked by the CORS layer.
    let get = method == Method::GET || method == Method::HEAD || method == Method::OPTIONS;
    let post = method == Method::POST || method == Method::OPTIONS;
    match segments.as_slice() {
        ["credentials", "verify"] | ["presentations", "verify"] => post,
        ["status", _, _, _]
        | ["institutions", _, "did.json"]
        | ["registry"]
        | ["registry", "did"]
        | ["openapi.json"]
        | ["oid4vci", "offers", _]
        | [".well-known", "openid-credential-issuer", "institutions", _]
        | [".well-known", "oauth-authorization-server", "institutions", _] => get,
        _ => false,
    }
}

/// Adds CORS (any origin, no credentials, preflight answered) to [`cross_origin`] requests.
async fn open_cors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use tower::{Layer, ServiceExt};
    if !cross_origin(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([
            axum::http::Method::GET,
            axum::http::Method::HEAD,
            axum::http::Method::POST,
        ])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
        .max_age(Duration::from_secs(86_400));
    match cors.layer(next).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Every `(method, path)` the API serves. [`app`] registers this module's endpoints from this
/// list (see [`endpoint`]), so nothing is routed here that is not listed; the routes of `batch`,
/// `claim`, `exchange`, `oid4vci`, `page` and `openapi` are listed too. `docs/openapi.json` must
/// document exactly these (checked by `tests/http_openapi.rs`, which also calls each one to
/// prove it is routed).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("POST", "/admin/institutions"),
    ("GET", "/admin/institutions"),
    ("POST", "/admin/institutions/{id}/token"),
    ("POST", "/admin/institutions/{id}/keys"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/backup"),
    ("GET", "/audit"),
    ("POST", "/credentials/issue"),
    ("POST", "/records"),
    ("POST", "/records/batch"),
    ("GET", "/credentials"),
    ("POST", "/credentials/status"),
    ("POST", "/credentials/countersign"),
    ("POST", "/credentials/verify"),
    ("POST", "/presentations/verify"),
    ("GET", "/credentials/{id}"),
    ("GET", "/credentials/{id}/history"),
    ("GET", "/credentials/{id}/qr.svg"),
    ("GET", "/credentials/{id}/qr.png"),
    ("POST", "/credentials/{id}/offers"),
    ("GET", "/credentials/{id}/offers"),
    ("DELETE", "/credentials/{id}/offers/{offer}"),
    ("GET", "/credentials/{id}/offers/{offer}/qr.svg"),
    ("GET", "/credentials/{id}/offers/{offer}/qr.png"),
    ("GET", "/verify/{id}"),
    ("GET", "/credentials/{id}/certificate"),
    ("GET", "/credentials/{id}/badge.svg"),
    ("GET", "/verify/request"),
    ("POST", "/verify/request"),
    ("GET", "/verify/request/{id}"),
    ("GET", "/verify/request/{id}/result"),
    ("POST", "/oid4vp/response"),
    ("GET", "/verify/exchanges/{exchange}"),
    ("POST", "/verify/exchanges/{exchange}"),
    ("GET", "/status/{institution}/{purpose}/{sequence}"),
    ("GET", "/institutions/{id}/did.json"),
    ("GET", "/admin/registry/members"),
    ("PUT", "/admin/registry/members/{id}"),
    ("DELETE", "/admin/registry/members/{id}"),
    ("POST", "/admin/registry/import"),
    ("GET", "/registry"),
    ("GET", "/registry/did"),
    ("GET", "/registry/subscription"),
    ("POST", "/recognitions"),
    ("GET", "/claim/{offer}"),
    ("POST", "/claim/{offer}"),
    ("POST", "/claim/{offer}/download"),
    ("GET", "/wallet/interactions/{offer}/{secret}"),
    ("POST", "/wallet/exchanges/{exchange}"),
    ("POST", "/wallet/credential-requests/{request}"),
    ("GET", "/oid4vci/offers/{offer}"),
    (
        "GET",
        "/.well-known/openid-credential-issuer/institutions/{id}",
    ),
    (
        "GET",
        "/.well-known/oauth-authorization-server/institutions/{id}",
    ),
    ("POST", "/institutions/{id}/oid4vci/token"),
    ("POST", "/institutions/{id}/oid4vci/nonce"),
    ("POST", "/institutions/{id}/oid4vci/credential"),
    ("GET", "/"),
    ("GET", "/console"),
    ("GET", "/console/sign-in"),
    ("POST", "/console/sign-in"),
    ("POST", "/console/sign-out"),
    ("GET", "/console/credentials"),
    ("GET", "/console/credentials/{id}"),
    ("POST", "/console/credentials/{id}/status"),
    ("GET", "/console/audit"),
    ("POST", "/console/institutions/{id}/keys"),
    ("POST", "/console/institutions/{id}/registry"),
    ("POST", "/console/claim-sheet"),
    ("POST", "/console/institutions"),
    ("POST", "/admin/staff"),
    ("GET", "/console/issue"),
    ("POST", "/console/issue"),
    ("GET", "/console/uploads"),
    ("POST", "/console/uploads"),
    ("GET", "/console/uploads/template.csv"),
    ("GET", "/console/uploads/{id}"),
    ("GET", "/console/uploads/{id}/failed.csv"),
    ("GET", "/passport"),
    ("POST", "/passport/signin"),
    ("POST", "/passport/create"),
    ("POST", "/passport/recover"),
    ("POST", "/passport/signout"),
    ("POST", "/passport/import"),
    ("POST", "/passport/shares"),
    ("POST", "/passport/shares/{share}/withdraw"),
    ("POST", "/passport/credentials/{entry}/remove"),
    ("GET", "/passport/export"),
    ("POST", "/passport/delete"),
    ("POST", "/passport/claim/{offer}"),
    ("GET", "/passport/answer/{request}"),
    ("POST", "/passport/answer/{request}"),
    ("GET", "/share/{share}"),
];

/// The handler of a [`ROUTES`] entry served by this module; `None` for those that `batch`,
/// `page` and `openapi` route themselves.
fn endpoint(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/health") => get(|| async { "ok" }),
        ("POST", "/admin/institutions") => post(admin::register),
        ("GET", "/admin/institutions") => get(admin::list),
        ("POST", "/admin/institutions/{id}/token") => post(admin::rotate_token),
        ("POST", "/admin/institutions/{id}/keys") => post(admin::rotate_key),
        ("GET", "/admin/audit") => get(admin::audit),
        ("GET", "/admin/backup") => get(admin_backup::backup),
        ("GET", "/audit") => get(credentials::own_audit),
        ("POST", "/credentials/issue") => post(credentials::issue),
        ("POST", "/records") => post(credentials::issue_record),
        ("GET", "/credentials") => get(credentials::list),
        ("POST", "/credentials/status") => post(credentials::update_status),
        ("POST", "/credentials/countersign") => post(credentials::countersign),
        ("POST", "/credentials/verify") => post(verification::verify_credential),
        ("POST", "/presentations/verify") => post(verification::verify_presentation),
        ("GET", "/credentials/{id}") => get(credentials::get),
        ("GET", "/credentials/{id}/history") => get(credentials::status_history),
        ("GET", "/status/{institution}/{purpose}/{sequence}") => get(public::status_list),
        ("GET", "/institutions/{id}/did.json") => get(public::did_document),
        ("GET", "/admin/registry/members") => get(registry::list),
        ("PUT", "/admin/registry/members/{id}") => axum::routing::put(registry::put_member),
        ("DELETE", "/admin/registry/members/{id}") => {
            axum::routing::delete(registry::delete_member)
        }
        ("POST", "/admin/registry/import") => post(registry::import),
        ("GET", "/registry") => get(registry::document),
        ("GET", "/registry/did") => get(registry::publisher),
        ("GET", "/registry/subscription") => get(registry::subscription),
        ("POST", "/recognitions") => post(recognition::recognise),
        _ => return None,
    })
}

/// The whole API as a router, so tests can drive it without a socket.
pub fn app(state: AppState, limits: Limits) -> Router {
    let mut router = Router::new();
    for &(method, path) in ROUTES {
        if let Some(endpoint) = endpoint(method, path) {
            // Two methods on one path merge into one method router.
            router = router.route(path, endpoint);
        }
    }
    router
        .merge(batch::routes())
        .merge(offers::routes())
        .merge(oid4vci::routes())
        .merge(exchange::routes())
        .merge(claim::routes())
        .merge(console::routes())
        .merge(page::routes())
        .merge(passport::routes())
        .merge(request::routes())
        .merge(print::routes())
        .merge(openapi::routes())
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .layer(axum::Extension(Arc::new(AuthLimiter::new(
            limits.auth_failures,
            limits.auth_window,
            limits::CAPACITY,
        ))))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(axum::middleware::map_response(envelope_bare_errors))
        .layer(axum::middleware::from_fn(open_cors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Error responses made outside the handlers — axum's query and path rejections, 405 from
/// method routing, 408 from the timeout layer — come as plain text or with no body at all;
/// this gives them the API's envelope too. JSON errors and other media types (e.g. an HTML
/// error page) pass through untouched, and so do the headers (`Allow` on a 405).
async fn envelope_bare_errors(response: Response) -> Response {
    let status = response.status();
    let bare = match response.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(v) => v.as_bytes().starts_with(b"text/plain"),
    };
    if !(status.is_client_error() || status.is_server_error()) || !bare {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // axum's rejection texts are short and say what is wrong with the request.
    let text = axum::body::to_bytes(body, 8 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let error = if status.is_server_error() {
        let cause = if text.is_empty() {
            "bare 5xx response"
        } else {
            &text
        };
        ApiError::internal(cause)
    } else if text.is_empty() {
        let reason = status.canonical_reason().unwrap_or("request refused");
        ApiError::new(status, reason.to_lowercase())
    } else {
        ApiError::new(status, text)
    };
    let enveloped = error.into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    let (_, body) = enveloped.into_parts();
    Response::from_parts(parts, body)
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

/// The token of `Authorization: Bearer <token>`; the scheme name is case-insensitive
/// (RFC 9110 §11.1), so `bearer <token>` works too.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The client's address (the connection's peer), when the server loop provided it.
fn peer(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
}

/// Runs `authenticate` under the failed-authentication limit ([`limits`]): 429 with
/// `Retry-After` while the client's address is blocked, or when a wrong token is one that is
/// blocked itself; otherwise a missing or wrong token is counted and answered 401. A right token
/// is never refused because of its own count, so a token sent to the wrong kind of endpoint
/// (the admin token to an institution's) does not lock its holder out.
async fn limited<T, F, Fut>(parts: &Parts, authenticate: F) -> Result<T, Response>
where
    F: FnOnce(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, ApiError>>,
{
    let limiter = parts.extensions.get::<Arc<AuthLimiter>>().cloned();
    let address = peer(parts);
    let token = bearer(parts).map(str::to_owned);
    if let Some(limiter) = &limiter {
        limiter.check(address, None).map_err(too_many)?;
    }
    match authenticate(token.clone()).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => {
            if let Some(limiter) = &limiter {
                limiter.check(None, token.as_deref()).map_err(too_many)?;
                limiter.fail(address, token.as_deref());
            }
            Err(ApiError::unauthorized().into_response())
        }
        Err(e) => Err(e.into_response()),
    }
}

/// 429 with `Retry-After` in whole seconds (at least 1).
fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too many failed authentications; try again later",
    )
    .into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(seconds.max(1)),
    );
    response
}

/// The caller proved it holds the admin token.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let expected = state.admin_token_hash;
        let service = state.service.clone();
        limited(parts, |token| async move {
            Ok(token
                .filter(|t| bool::from(service.token_hash(t).ct_eq(&expected)))
                .map(|_| Admin))
        })
        .await
    }
}

/// The institution whose API token the caller sent.
pub struct Caller(pub Institution);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let service = state.service.clone();
        limited(parts, |token| async move {
            let Some(token) = token else {
                return Ok(None);
            };
            let found = tokio::task::spawn_blocking(move || service.authenticate(&token))
                .await
                .map_err(ApiError::internal)??;
            Ok(found.map(Caller))
        })
        .await
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
