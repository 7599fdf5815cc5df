//! Issuing and managing credentials (institution endpoints).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{blocking, ApiError, AppState, Caller, Json};
use crate::data_model;
use crate::proof::Cryptosuite;
use crate::service::{Issuance, Issued, StatusAction, StatusChange, StatusHistory};
use crate::wallet::offer::{self, OfferOptions};

/// VC-API issue options.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueOptions {
    /// `eddsa-rdfc-2022` (default) or `eddsa-jcs-2022`.
    #[serde(default)]
    pub cryptosuite: Option<String>,
    /// Give the credential a suspension entry too (a revocation entry it always gets).
    #[serde(default)]
    pub suspendable: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    credential: Value,
    #[serde(default)]
    options: IssueOptions,
}

fn issuance(options: &IssueOptions) -> Result<Issuance, ApiError> {
    Ok(Issuance {
        suite: suite(options.cryptosuite.as_deref())?,
        suspendable: options.suspendable,
    })
}

fn suite(name: Option<&str>) -> Result<Cryptosuite, ApiError> {
    match name {
        None => Ok(Cryptosuite::default()),
        Some(name) => name
            .parse()
            .map_err(|e: crate::proof::ProofError| ApiError::bad_request(e.to_string())),
    }
}

fn issued(result: Issued) -> (StatusCode, axum::Json<Value>) {
    // A repeated record id answers 200 with the credential issued the first time.
    let status = if result.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (
        status,
        axum::Json(json!({ "verifiableCredential": result.credential })),
    )
}

/// `POST /credentials/issue` (W3C VC-API): `{credential, options}` → 201 `{verifiableCredential}`.
pub async fn issue(
    Caller(institution): Caller,
    state: State<AppState>,
    Json(request): Json<IssueRequest>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let issuance = issuance(&request.options)?;
    refuse_nonconforming(&request.credential)?;
    let result = state
        .service
        .issue(&institution, request.credential, issuance, None)
        .await?;
    Ok(issued(result))
}

/// 422 with every VC data model violation (the service checks again; here the caller gets
/// each one in `error.details`).
fn refuse_nonconforming(credential: &Value) -> Result<(), ApiError> {
    if !credential.is_object() {
        return Ok(()); // the service names this one
    }
    let found = data_model::check_credential(credential);
    if found.conforms() {
        return Ok(());
    }
    let mut error = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "the credential does not follow the VC data model: {}",
            found.reasons().join("; ")
        ),
    );
    error.details = found.reasons();
    Err(error)
}

/// `previousProof`: one proof id or several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PreviousProof {
    One(String),
    Many(Vec<String>),
}

/// Countersign options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CountersignOptions {
    /// `eddsa-rdfc-2022` (default) or `eddsa-jcs-2022`.
    #[serde(default)]
    cryptosuite: Option<String>,
    /// Ids of the proofs the new proof is chained to; none: it joins the proof set.
    #[serde(default)]
    previous_proof: Option<PreviousProof>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CountersignRequest {
    verifiable_credential: Value,
    #[serde(default)]
    options: CountersignOptions,
}

/// `POST /credentials/countersign` `{verifiableCredential, options: {cryptosuite, previousProof}}`
/// → 200 `{verifiableCredential}` with the caller's proof added (a proof set, or a proof chain
/// with `previousProof`).
pub async fn countersign(
    Caller(institution): Caller,
    State(state): State<AppState>,
    Json(request): Json<CountersignRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    if !request.verifiable_credential.is_object() {
        return Err(ApiError::bad_request(
            "verifiableCredential must be a JSON object",
        ));
    }
    let suite = suite(request.options.cryptosuite.as_deref())?;
    let previous = match request.options.previous_proof {
        None => Vec::new(),
        Some(PreviousProof::One(id)) => vec![id],
        Some(PreviousProof::Many(ids)) => ids,
    };
    let signed = state
        .service
        .countersign(&institution, request.verifiable_credential, suite, previous)
        .await?;
    Ok(axum::Json(json!({ "verifiableCredential": signed })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordQuery {
    cryptosuite: Option<String>,
    #[serde(default)]
    suspendable: bool,
    /// Make a claim offer for the new credential.
    #[serde(default)]
    offer: bool,
    /// Whether that offer has a one-time code (default yes).
    tx_code: Option<bool>,
}

/// `POST /records?cryptosuite=&suspendable=&offer=&txCode=`: a learning-outcome record in, a
/// signed OB 3.0 credential out, with a claim offer (`offer`) when asked for and the
/// credential is new (a repeated record id makes no second offer).
pub async fn issue_record(
    Caller(institution): Caller,
    state: State<AppState>,
    Query(q): Query<RecordQuery>,
    Json(record): Json<Value>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let issuance = Issuance {
        suite: suite(q.cryptosuite.as_deref())?,
        suspendable: q.suspendable,
    };
    if !q.offer && q.tx_code.is_some() {
        return Err(ApiError::bad_request("txCode applies only with offer=true"));
    }
    let result = state
        .service
        .issue_record(&institution, &record, issuance)
        .await?;
    if !(q.offer && result.created) {
        return Ok(issued(result));
    }
    let options = OfferOptions {
        tx_code: q.tx_code.unwrap_or(true),
        ..OfferOptions::default()
    };
    let id = result.credential["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let made = offer::create(&state.service, &state.wallet, &institution, &id, &options).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "verifiableCredential": result.credential, "offer": made })),
    ))
}

/// `GET /credentials/{id}`: only the issuing institution may read it; to any other it is
/// 404, as if it did not exist, so that ids of other institutions' credentials leak nothing.
pub async fn get(
    Caller(institution): Caller,
    state: State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let wanted = id.clone();
    let stored = blocking(&state, move |s| s.credential(&wanted)).await?;
    if stored.institution != institution.id {
        return Err(ApiError::not_found(format!("credential not found: {id}")));
    }
    Ok(axum::Json(stored.credential))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    after: Option<String>,
    limit: Option<usize>,
}

/// `GET /credentials?after=&limit=`: the caller's credentials, oldest first.
pub async fn list(
    Caller(institution): Caller,
    state: State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let page = blocking(&state, move |s| {
        Ok(s.store()
            .list_credentials(&institution.id, q.after.as_deref(), limit)?)
    })
    .await?;
    let next = (page.len() == limit).then(|| page.last().map(|c| c.id.clone()));
    let items: Vec<Value> = page.into_iter().map(|c| c.credential).collect();
    Ok(axum::Json(
        json!({ "credentials": items, "next": next.flatten() }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StatusRequest {
    credential_id: String,
    action: StatusAction,
    /// Why, in plain text (recorded in the status history).
    #[serde(default)]
    reason: Option<String>,
    /// Whether employers may read the reason on the verification page.
    #[serde(default)]
    publish_reason: bool,
}

/// `POST /credentials/status` `{credentialId, action: revoke|suspend|unsuspend, reason?,
/// publishReason?}` → `{credentialId, action, changed}`.
pub async fn update_status(
    Caller(institution): Caller,
    state: State<AppState>,
    Json(request): Json<StatusRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    let change = StatusChange {
        action: request.action,
        reason: request.reason,
        publish_reason: request.publish_reason,
    };
    let changed = state
        .service
        .set_status(&institution, &request.credential_id, change)
        .await?;
    Ok(axum::Json(json!({
        "credentialId": request.credential_id,
        "action": request.action,
        "changed": changed,
    })))
}

/// `GET /credentials/{id}/history`: the caller's credential's current status and every
/// status change (date, actor, action, reason, whether the reason is published).
pub async fn status_history(
    Caller(institution): Caller,
    state: State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<StatusHistory>, ApiError> {
    let history = blocking(&state, move |s| s.status_history(&institution, &id)).await?;
    Ok(axum::Json(history))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    limit: Option<usize>,
}

/// `GET /audit`: the caller's own audit trail.
pub async fn own_audit(
    Caller(institution): Caller,
    state: State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(100).min(1000);
    let events = blocking(&state, move |s| {
        Ok(s.store().audit(Some(&institution.id), limit)?)
    })
    .await?;
    Ok(axum::Json(json!({ "events": events })))
}
