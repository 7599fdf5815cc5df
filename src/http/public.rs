//! Public documents: status list credentials and did:web DID documents.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::Value;

use super::{blocking, ApiError, AppState};

/// `GET /status/{institution}/{purpose}/{sequence}`: the signed `BitstringStatusListCredential`,
/// as `application/vc` (what status-list clients dispatch on).
pub async fn status_list(
    State(state): State<AppState>,
    Path((institution, purpose, sequence)): Path<(String, String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let list = format!("{institution}/{purpose}/{sequence}");
    let credential = state.service.status_list_credential(&list).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/vc")],
        serde_json::to_string(&credential).map_err(ApiError::internal)?,
    ))
}

/// `GET /institutions/{id}/did.json`: the did:web document (every key, old ones too).
pub async fn did_document(
    state: State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    Ok(axum::Json(
        blocking(&state, move |s| s.did_document(&id)).await?,
    ))
}
