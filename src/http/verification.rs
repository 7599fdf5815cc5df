//! VC-API verification endpoints. Status lists and did:web keys of this service resolve from
//! its store, other nodes' through the guarded fetcher; the report's `sources` says which.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiError, AppState, Json};
use crate::service::Service;
use crate::verify::{self, Policy, VerifyError, VerifyOptions};

/// VC-API verify options. Unknown members (e.g. the suites' `checks`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyRequestOptions {
    challenge: Option<String>,
    domain: Option<String>,
    /// Fail (not only warn) when the issuer is not an alliance member in good standing.
    #[serde(default)]
    require_alliance_member: bool,
    /// Fail (not only warn) when a presentation's credentials are not about its holder.
    #[serde(default)]
    require_holder_is_subject: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyCredentialRequest {
    verifiable_credential: Value,
    #[serde(default)]
    options: VerifyRequestOptions,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyPresentationRequest {
    verifiable_presentation: Value,
    #[serde(default)]
    options: VerifyRequestOptions,
}

/// Verification options for this service ([`Service::verify_options`]: its own lists and
/// did:web documents from the store, other nodes' through the fetcher, its trust registry, the
/// strict policy) with the caller's challenge and domain.
pub(crate) fn options(
    service: &Arc<Service>,
    challenge: Option<String>,
    domain: Option<String>,
) -> VerifyOptions {
    let mut options = service.verify_options();
    options.challenge = challenge;
    options.domain = domain;
    options
}

/// Runs the verifier on a blocking thread and shapes the VC-API answer:
/// 200 verified, 422 not verified (with the report), 422 could not check.
///
/// `verified` is about the document (proof, data model, validity, status); alliance membership
/// and holder binding are policy, reported under `warnings` unless the caller requires them.
async fn run(
    state: &AppState,
    document: Value,
    opts: VerifyRequestOptions,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let mut options = options(&state.service, opts.challenge, opts.domain);
    options.policy = Policy {
        require_trusted_issuer: opts.require_alliance_member,
        require_holder_binding: opts.require_holder_is_subject,
    };
    let service = state.service.clone();
    let result = tokio::task::spawn_blocking(move || {
        verify::verify(&document, &options).map(|report| {
            // A revoked or suspended credential of this node: since when, and the published
            // reason. Not knowing it takes nothing from the report.
            let detail = service.published_status_of(&document).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "could not read a credential's status history");
                None
            });
            (report, detail)
        })
    })
    .await
    .map_err(ApiError::internal)?;
    match result {
        Ok((report, detail)) => {
            let status = if report.verified {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut body = json!(report);
            if let Some(detail) = detail {
                body["statusDetail"] = json!(detail);
            }
            Ok((status, axum::Json(body)))
        }
        Err(e @ (VerifyError::Proof(_) | VerifyError::Status(_))) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.to_string(),
        )),
    }
}

/// `POST /credentials/verify` `{verifiableCredential, options}`.
pub async fn verify_credential(
    State(state): State<AppState>,
    Json(request): Json<VerifyCredentialRequest>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    if !request.verifiable_credential.is_object() {
        return Err(ApiError::bad_request(
            "verifiableCredential must be a JSON object",
        ));
    }
    run(&state, request.verifiable_credential, request.options).await
}

/// `POST /presentations/verify` `{verifiablePresentation, options: {challenge, domain}}`.
pub async fn verify_presentation(
    State(state): State<AppState>,
    Json(request): Json<VerifyPresentationRequest>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    if !request.verifiable_presentation.is_object() {
        return Err(ApiError::bad_request(
            "verifiablePresentation must be a JSON object",
        ));
    }
    run(&state, request.verifiable_presentation, request.options).await
}
