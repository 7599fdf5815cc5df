//! Admin endpoints: register institutions, rotate their tokens and keys, read the audit log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{blocking, Admin, ApiError, AppState, Json};
use crate::service::{InstitutionView, NewInstitution};

/// `POST /admin/institutions` → 201 `{institution, token}`; the token is shown only here.
pub async fn register(
    _: Admin,
    state: State<AppState>,
    Json(new): Json<NewInstitution>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let (institution, token, registry) = blocking(&state, move |s| {
        let (institution, token) = s.register_institution(new, "admin")?;
        let registry = s.registry_standing(&institution)?;
        Ok((institution, token, registry))
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({
            "institution": InstitutionView::from(&institution),
            "token": token.as_str(),
            "registry": registry,
        })),
    ))
}

/// `GET /admin/institutions`.
pub async fn list(_: Admin, state: State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    let all = blocking(&state, |s| Ok(s.store().list_institutions()?)).await?;
    let views: Vec<InstitutionView> = all.iter().map(InstitutionView::from).collect();
    Ok(axum::Json(json!({ "institutions": views })))
}

/// `POST /admin/institutions/{id}/token` → `{token}`; the old token stops working.
pub async fn rotate_token(
    _: Admin,
    state: State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let token = blocking(&state, move |s| s.rotate_token(&id, "admin")).await?;
    Ok(axum::Json(json!({ "token": token.as_str() })))
}

/// `POST /admin/institutions/{id}/keys` → the institution with its new key (did:web only).
pub async fn rotate_key(
    _: Admin,
    state: State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let institution = blocking(&state, move |s| s.rotate_key(&id, "admin")).await?;
    Ok(axum::Json(
        json!({ "institution": InstitutionView::from(&institution) }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    institution: Option<String>,
    limit: Option<usize>,
}

/// `GET /admin/audit?institution=&limit=`.
pub async fn audit(
    _: Admin,
    state: State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(100).min(1000);
    let events = blocking(&state, move |s| {
        Ok(s.store().audit(q.institution.as_deref(), limit)?)
    })
    .await?;
    Ok(axum::Json(json!({ "events": events })))
}
