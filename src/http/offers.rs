//! Claim offers (institution endpoints): make, list and withdraw the offers of a credential,
//! and draw their links as QR codes. The offer logic is [`crate::wallet::offer`].

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiError, AppState, Caller};
use crate::qr::{self, QrError};
use crate::wallet::offer::{self, OfferOptions};

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credentials/{id}/offers", get(list).post(create))
        .route("/credentials/{id}/offers/{offer}", delete(withdraw))
        .route("/credentials/{id}/offers/{offer}/qr.svg", get(qr_svg))
        .route("/credentials/{id}/offers/{offer}/qr.png", get(qr_png))
}

/// Offer options from a JSON body; an empty body takes the defaults.
pub(super) fn options(body: &[u8]) -> Result<OfferOptions, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(OfferOptions::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!(
            "offer options must be a JSON object with txCode, expires and keepIdentifier: {e}"
        ))
    })
}

/// `POST /credentials/{id}/offers` `{txCode?, expires?, keepIdentifier?}` → 201 with the
/// links and the one-time code (shown only now).
async fn create(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let options = options(&body)?;
    let made = offer::create(&state.service, &state.wallet, &institution, &id, &options).await?;
    Ok((StatusCode::CREATED, axum::Json(json!(made))))
}

/// `GET /credentials/{id}/offers` → `{"offers": [...]}`, oldest first.
async fn list(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let service = state.service.clone();
    let offers = tokio::task::spawn_blocking(move || offer::list(&service, &institution, &id))
        .await
        .map_err(ApiError::internal)??;
    Ok(axum::Json(json!({ "offers": offers })))
}

/// `DELETE /credentials/{id}/offers/{offer}`: withdraws an open offer (the record stays).
async fn withdraw(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Path((id, offer_id)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    let view = offer::withdraw(&state.service, &institution, &id, &offer_id).await?;
    Ok(axum::Json(json!(view)))
}

/// Which link of an offer a QR code draws.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Link {
    /// The claim page (the default).
    #[default]
    Claim,
    /// The OpenID4VCI `openid-credential-offer://` URI.
    CredentialOffer,
    /// The VC-API interaction URL for Learner Credential Wallet.
    Interaction,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QrQuery {
    #[serde(default)]
    link: Link,
}

/// The link `which` of one of the caller's offers.
async fn link(
    state: &AppState,
    institution: crate::store::Institution,
    id: String,
    offer_id: String,
    which: Link,
) -> Result<String, ApiError> {
    let service = state.service.clone();
    tokio::task::spawn_blocking(move || {
        let stored = offer::own_offer(&service, &institution, &id, &offer_id)?;
        let links = offer::links(&service, &stored);
        Ok::<_, ApiError>(match which {
            Link::Claim => links.claim_url,
            Link::CredentialOffer => links.credential_offer,
            Link::Interaction => links.interaction_url,
        })
    })
    .await
    .map_err(ApiError::internal)?
}

fn qr_error(e: QrError) -> ApiError {
    match e {
        QrError::TooLong { .. } | QrError::Empty => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("this link cannot be a QR code: {e}"),
        ),
        other => ApiError::internal(other),
    }
}

fn image(content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // The interaction link is a secret: not for shared caches.
            (header::CACHE_CONTROL, "private, no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /credentials/{id}/offers/{offer}/qr.svg?link=claim|credential-offer|interaction`.
async fn qr_svg(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Path((id, offer_id)): Path<(String, String)>,
    Query(q): Query<QrQuery>,
) -> Result<Response, ApiError> {
    let url = link(&state, institution, id, offer_id, q.link).await?;
    let svg = qr::svg(&url).map_err(qr_error)?;
    Ok(image("image/svg+xml", svg.into_bytes()))
}

/// `GET /credentials/{id}/offers/{offer}/qr.png?link=…`: the same code as a PNG, for printing.
async fn qr_png(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Path((id, offer_id)): Path<(String, String)>,
    Query(q): Query<QrQuery>,
) -> Result<Response, ApiError> {
    let url = link(&state, institution, id, offer_id, q.link).await?;
    let png = tokio::task::spawn_blocking(move || qr::png(&url))
        .await
        .map_err(ApiError::internal)?
        .map_err(qr_error)?;
    Ok(image("image/png", png))
}
