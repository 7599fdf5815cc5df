//! `POST /records/batch`: many learning-outcome records in one upload (JSON Lines or CSV), a
//! streamed JSON Lines answer with one result line per row, in order, and a summary line.
//!
//! The body is read as it arrives and never held whole; the default JSON body limit does not
//! apply here, [`crate::batch::MAX_HTTP_BATCH_BYTES`] does. See `docs/BATCH.md`.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

use super::{ApiError, AppState, Caller};
use crate::batch::{BatchError, Format, Offers, ServiceBatch, MAX_HTTP_BATCH_BYTES};
use crate::proof::Cryptosuite;
use crate::service::Issuance;
use crate::wallet::offer::OfferOptions;

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/records/batch",
        post(issue_batch).layer(DefaultBodyLimit::disable()),
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
struct BatchQuery {
    cryptosuite: Option<String>,
    #[serde(default)]
    suspendable: bool,
    /// Make a claim offer for each newly issued credential.
    #[serde(default)]
    offer: bool,
    /// Whether those offers have one-time codes (default yes).
    tx_code: Option<bool>,
}

fn api_error(e: BatchError) -> ApiError {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    ApiError::new(status, e.to_string())
}

/// `POST /records/batch?cryptosuite=&suspendable=` with `Content-Type: application/x-ndjson` (or
/// `application/jsonl`) or `text/csv`.
async fn issue_batch(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Query(q): Query<BatchQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let suite = match q.cryptosuite {
        None => Cryptosuite::default(),
        Some(name) => name
            .parse()
            .map_err(|e: crate::proof::ProofError| ApiError::bad_request(e.to_string()))?,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = Format::from_media_type(content_type).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send Content-Type: application/x-ndjson (or application/jsonl) with one record per line, or text/csv; UTF-8 only",
        )
    })?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_HTTP_BATCH_BYTES) {
        return Err(api_error(BatchError::TooLarge {
            limit: MAX_HTTP_BATCH_BYTES,
        }));
    }

    if !q.offer && q.tx_code.is_some() {
        return Err(ApiError::bad_request("txCode applies only with offer=true"));
    }
    let mut batch = ServiceBatch::new(
        state.service.clone(),
        institution,
        Issuance {
            suite,
            suspendable: q.suspendable,
        },
        format,
        body.into_data_stream(),
        MAX_HTTP_BATCH_BYTES,
    );
    if q.offer {
        batch = batch.with_offers(Offers {
            config: state.wallet.clone(),
            options: OfferOptions {
                tx_code: q.tx_code.unwrap_or(true),
                ..OfferOptions::default()
            },
        });
    }
    batch.start().await.map_err(api_error)?;

    let (lines, received) = tokio::sync::mpsc::channel::<String>(64);
    tokio::spawn(batch.run(lines));
    let stream = futures_util::stream::unfold(received, |mut received| async move {
        received
            .recv()
            .await
            .map(|line| (Ok::<_, Infallible>(line), received))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}
