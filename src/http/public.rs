//! Public documents: status list credentials and did:web DID documents.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use serde_json::Value;

use super::{blocking, ApiError, AppState};

/// The media types a signed credential (a status list, the registry) is served as.
pub(crate) const CREDENTIAL_MEDIA_TYPES: &[&str] =
    &["application/vc", "application/ld+json", "application/json"];

/// The media types a DID document is served as.
const DID_MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/did+ld+json",
    "application/did+json",
    "application/ld+json",
];

/// Content negotiation over `offered` (the first is the default): the offered type the
/// `Accept` header prefers (highest `q`, then the order of the header), the default for no
/// header, `*/*`, or nothing acceptable (a document is better than a 406 for these readers).
pub(crate) fn negotiate(headers: &HeaderMap, offered: &[&'static str]) -> &'static str {
    let default = offered[0];
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return default;
    };
    let mut best: Option<(f32, usize, &'static str)> = None;
    for (order, range) in accept.split(',').enumerate() {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let chosen = if media == "*/*" || media == "application/*" {
            Some(default)
        } else {
            offered.iter().copied().find(|o| *o == media)
        };
        if let Some(chosen) = chosen {
            let better = match best {
                None => true,
                Some((bq, border, _)) => q > bq || (q == bq && order < border),
            };
            if better {
                best = Some((q, order, chosen));
            }
        }
    }
    best.map_or(default, |(_, _, chosen)| chosen)
}

/// `GET /status/{institution}/{purpose}/{sequence}`: the signed `BitstringStatusListCredential`,
/// as `application/vc` by default, or `application/ld+json` / `application/json` when the
/// `Accept` header asks for them (ordinary JSON clients read a body only when it says json),
/// with `Cache-Control: public, max-age` equal to the list's `ttl`.
pub async fn status_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((institution, purpose, sequence)): Path<(String, String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let list = format!("{institution}/{purpose}/{sequence}");
    let credential = state.service.status_list_credential(&list).await?;
    // As long as the list's own `ttl`: other nodes keep it that long, not longer.
    let cache = format!(
        "public, max-age={}",
        state.service.status_list_ttl().as_secs()
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                negotiate(&headers, CREDENTIAL_MEDIA_TYPES).to_owned(),
            ),
            (header::VARY, "Accept".to_owned()),
            (header::CACHE_CONTROL, cache),
        ],
        serde_json::to_string(&credential).map_err(ApiError::internal)?,
    ))
}

/// `GET /institutions/{id}/did.json`: the did:web document (every key, old ones too), as
/// `application/json` by default or the DID media types the `Accept` header asks for.
pub async fn did_document(
    state: State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let document: Value = blocking(&state, move |s| s.did_document(&id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, negotiate(&headers, DID_MEDIA_TYPES)),
            (header::VARY, "Accept"),
        ],
        serde_json::to_string(&document).map_err(ApiError::internal)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(accept: Option<&str>) -> &'static str {
        let mut headers = HeaderMap::new();
        if let Some(a) = accept {
            headers.insert(header::ACCEPT, a.parse().unwrap());
        }
        negotiate(&headers, CREDENTIAL_MEDIA_TYPES)
    }

    #[test]
    fn accept_picks_the_preferred_offered_type() {
        assert_eq!(pick(None), "application/vc");
        assert_eq!(pick(Some("*/*")), "application/vc");
        assert_eq!(pick(Some("application/json")), "application/json");
        assert_eq!(
            pick(Some("application/ld+json, application/json")),
            "application/ld+json"
        );
        assert_eq!(
            pick(Some("application/json;q=0.5, application/ld+json")),
            "application/ld+json"
        );
        assert_eq!(
            pick(Some("application/vc;q=0, application/json")),
            "application/json"
        );
        assert_eq!(pick(Some("text/html")), "application/vc");
    }
}
