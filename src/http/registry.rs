//! The alliance trust registry: admin edits and imports, and the public signed document.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{blocking, Admin, ApiError, AppState, Json};
use crate::registry::Member;
use crate::subscription::Subscription;

/// `PUT /admin/registry/members/{id}` with a member (its `id` may be left out) → 201 with the
/// member when it is new, 200 when it replaced one.
pub async fn put_member(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(mut member): Json<Member>,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    if member.id.is_empty() {
        member.id = id;
    } else if member.id != id {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the body's id {:?} is not the id {id:?} in the path",
                member.id
            ),
        ));
    }
    let created = state.service.put_member(member.clone(), "admin").await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(json!({ "member": member }))))
}

/// `DELETE /admin/registry/members/{id}` → 204; 404 when there is no such member.
pub async fn delete_member(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.service.delete_member(&id, "admin").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /registry`: every member, as a `TrustRegistryCredential` signed by the registry key,
/// served as `application/vc`, or `application/ld+json` / `application/json` when the `Accept`
/// header asks for them.
pub async fn document(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let document = state.service.registry_document().await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                super::public::negotiate(&headers, super::public::CREDENTIAL_MEDIA_TYPES),
            ),
            (header::VARY, "Accept"),
        ],
        serde_json::to_string(&document).map_err(ApiError::internal)?,
    ))
}

/// `GET /registry/did` → `{did, verificationMethod}` of the registry key, which importers
/// name as the expected publisher.
pub async fn publisher(State(state): State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    let publisher = state.service.registry_publisher().await?;
    Ok(axum::Json(json!(publisher)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The DID the document must be signed by (the other node's `GET /registry/did`).
    publisher: String,
    /// The signed registry document (another node's `GET /registry`).
    document: Value,
}

/// `POST /admin/registry/import` `{publisher, document}` → what changed. The document must be
/// signed by `publisher`; its members are merged in (see `docs/REGISTRY.md`).
pub async fn import(
    _: Admin,
    State(state): State<AppState>,
    Json(request): Json<ImportRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    if !request.document.is_object() {
        return Err(ApiError::bad_request("document must be a JSON object"));
    }
    let summary = state
        .service
        .import_registry(&request.document, &request.publisher, "admin")
        .await?;
    Ok(axum::Json(json!(summary)))
}

/// `GET /admin/registry/members` → `{members}` (unsigned; the public view is `GET /registry`).
pub async fn list(_: Admin, state: State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    let members = blocking(&state, |s| s.members()).await?;
    Ok(axum::Json(json!({ "members": members })))
}

/// `GET /registry/subscription` (public): the registry this node follows — its URL, pinned
/// publisher, state, last success and its age, last error — or `{"subscribed": false}`.
/// `skillpass serve` adds the subscription as a request extension when one is configured.
pub async fn subscription(
    State(state): State<AppState>,
    subscription: Option<axum::Extension<Arc<Subscription>>>,
) -> axum::Json<Value> {
    match subscription {
        Some(axum::Extension(subscription)) => {
            axum::Json(json!(subscription.status(state.service.now())))
        }
        None => axum::Json(json!({ "subscribed": false })),
    }
}
