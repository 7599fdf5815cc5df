//! `GET /admin/backup`: an online backup of the node's store for its operators
//! ([`crate::backup`]); `skillpass backup --server` is its client.

use std::io::Read;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use super::{Admin, ApiError, AppState};
use crate::backup::{self, BackupError};

/// Bytes read from the spool file per chunk of the response.
const CHUNK: usize = 256 * 1024;

/// `GET /admin/backup` → 200, the backup file (JSON Lines); 409 when the store keeps a signing
/// key in plaintext.
pub async fn backup(_: Admin, state: State<AppState>) -> Result<Response, ApiError> {
    let service = state.service.clone();
    let spooled = tokio::task::spawn_blocking(move || backup::take(&service, "admin"))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| match e {
            BackupError::PlaintextKey(_) => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            other => ApiError::internal(other),
        })?;
    // Everything in the view is durable before any of it leaves.
    state
        .service
        .store()
        .durable()
        .await
        .map_err(ApiError::internal)?;
    tracing::info!(bytes = spooled.len, counts = ?spooled.counts, "online backup taken");
    let len = spooled.len;
    let chunks = futures_util::stream::try_unfold(Some(spooled.file), |file| async move {
        let Some(mut file) = file else {
            return Ok(None);
        };
        let (file, chunk) = tokio::task::spawn_blocking(move || {
            let mut buf = vec![0u8; CHUNK];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((file, buf))
        })
        .await
        .map_err(std::io::Error::other)??;
        if chunk.is_empty() {
            return Ok(None);
        }
        Ok::<_, std::io::Error>(Some((Bytes::from(chunk), Some(file))))
    });
    let name = format!(
        "attachment; filename=\"skillpass-{}.backup\"",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    );
    let mut response = Response::new(Body::from_stream(chunks));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
