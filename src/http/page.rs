//! The employer's side: `GET /verify/{id}`, a plain HTML page that checks a stored credential
//! now and says in one word whether to accept it, and the QR codes that lead there
//! (`GET /credentials/{id}/qr.svg`, `/qr.png`). All three are public: the credential id is the
//! capability the learner hands over on paper or on a phone.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::lang::ReaderLang;
use super::{blocking, ApiError, AppState};
use crate::i18n::Lang;
use crate::keys::{is_example_key, PublicKey};
use crate::qr::{self, QrError};
use crate::service::{PublishedStatus, Service, ServiceError};
use crate::store::{Institution, StoredCredential};
use crate::verify::{self, VerificationReport};

pub(super) mod escape;
mod messages;
pub(super) mod sentence;
mod verdict;
pub(super) mod view;

pub use verdict::Verdict;

/// The page's Content-Security-Policy: no scripts, no external anything, inline CSS only.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:";

/// What is sent when even the failure page cannot be rendered.
const LAST_RESORT: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>Could not check</title></head><body><h1>Could not check</h1><p>Please try again in a \
    few minutes.</p></body></html>\n";

/// How long QR images may be cached: the verification URL of a credential never changes.
const QR_CACHE: &str = "public, max-age=86400";

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credentials/{id}/qr.svg", get(qr_svg))
        .route("/credentials/{id}/qr.png", get(qr_png))
        .route("/verify/{id}", get(verify_page))
}

/// The verification URL of a stored credential; 404 envelope for an unknown id.
async fn page_url(state: &State<AppState>, id: String) -> Result<String, ApiError> {
    blocking(state, move |s| {
        s.credential(&id)?;
        Ok(s.verify_page_url(&id))
    })
    .await
}

fn qr_error(e: QrError) -> ApiError {
    match e {
        QrError::TooLong { .. } | QrError::Empty => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("this credential's verification URL cannot be a QR code: {e}"),
        ),
        other => ApiError::internal(other),
    }
}

fn image(content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, QR_CACHE),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // An SVG opened on its own is a document: let it do nothing but draw.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /credentials/{id}/qr.svg`: the QR code of the credential's employer page.
async fn qr_svg(state: State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let url = page_url(&state, id).await?;
    let svg = qr::svg(&url).map_err(qr_error)?;
    Ok(image("image/svg+xml", svg.into_bytes()))
}

/// `GET /credentials/{id}/qr.png`: the same code as a PNG, for printing.
async fn qr_png(state: State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let url = page_url(&state, id).await?;
    let png = tokio::task::spawn_blocking(move || qr::png(&url))
        .await
        .map_err(ApiError::internal)?
        .map_err(qr_error)?;
    Ok(image("image/png", png))
}

/// What the page needs from the store: the credential and the institutions.
struct Loaded {
    stored: Option<StoredCredential>,
    institutions: Vec<Institution>,
}

/// `GET /verify/{id}`: checks the credential now and renders the verdict page (HTML, also
/// for 404 and for failures).
/// The page is in the reader's language (`?lang=`, cookie, `Accept-Language`), else in the
/// issuing institution's.
async fn verify_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
) -> Response {
    match render(&state, id, &reader).await {
        Ok((lang, status, body)) => reader.finish(lang, html_response(status, body)),
        Err(e) => {
            tracing::error!(error = %e, "employer page failed");
            let lang = reader.negotiate(None);
            let m = messages::get(lang);
            let body = view::not_checked(m, state.service.now()).unwrap_or_else(|e| {
                tracing::error!(error = %e, "employer page: the failure page did not render");
                LAST_RESORT.to_owned()
            });
            reader.finish(lang, html_response(StatusCode::INTERNAL_SERVER_ERROR, body))
        }
    }
}

async fn render(
    state: &AppState,
    id: String,
    reader: &ReaderLang,
) -> Result<(Lang, StatusCode, String), String> {
    let service = state.service.clone();
    let loaded = tokio::task::spawn_blocking(move || load(&service, &id))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let checked_at = state.service.now();
    let Some(stored) = loaded.stored else {
        let lang = reader.negotiate(None);
        let body = view::not_found(messages::get(lang), checked_at).map_err(|e| e.to_string())?;
        return Ok((lang, StatusCode::NOT_FOUND, body));
    };
    let credential = Arc::new(stored.credential);
    let checked = check(state, credential.clone(), &loaded.institutions).await?;
    let input = checked.input(&credential, &loaded.institutions, checked_at);
    let lang = reader.negotiate(
        input
            .institution
            .and_then(|i| Lang::for_country(&i.country)),
    );
    let body = view::page(messages::get(lang), &input).map_err(|e| e.to_string())?;
    let status = if checked.verdict == Verdict::CannotCheck {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    Ok((lang, status, body))
}

/// A credential checked now, as the employer page checks it.
struct Checked {
    verdict: Verdict,
    report: Option<VerificationReport>,
    /// The issuer's DID, when the credential names one.
    issuer: Option<String>,
    status_unreadable: bool,
    /// Since when this node's credential is revoked or suspended, and the published reason.
    published: Option<PublishedStatus>,
}

impl Checked {
    fn institution<'a>(&self, institutions: &'a [Institution]) -> Option<&'a Institution> {
        self.issuer
            .as_deref()
            .and_then(|did| institutions.iter().find(|i| i.did == did))
    }

    fn input<'a>(
        &'a self,
        credential: &'a serde_json::Value,
        institutions: &'a [Institution],
        checked_at: chrono::DateTime<chrono::Utc>,
    ) -> view::PageInput<'a> {
        let institution = self.institution(institutions);
        let example_key = institution.is_some_and(|i| {
            i.keys.iter().any(|k| {
                PublicKey::from_multibase(&k.public_key_multibase).is_ok_and(|p| is_example_key(&p))
            })
        });
        view::PageInput {
            verdict: self.verdict,
            credential,
            institution,
            report: self.report.as_ref(),
            checked_at,
            example_key,
            status_unreadable: self.status_unreadable,
            published: self.published.as_ref(),
        }
    }
}

/// Verifies `credential` now (the service's options: own and fetched status lists, the trust
/// registry, the strict policy) and classifies the verdict.
async fn check(
    state: &AppState,
    credential: Arc<serde_json::Value>,
    institutions: &[Institution],
) -> Result<Checked, String> {
    let options = super::verification::options(&state.service, None, None);
    let doc = credential.clone();
    let service = state.service.clone();
    let (result, published) = tokio::task::spawn_blocking(move || {
        let report = verify::verify(&doc, &options);
        // What the institution published about its own credential (date, reason); the page
        // still shows the verdict when this cannot be read.
        let published = service.published_status_of(&doc).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "employer page could not read the status history");
            None
        });
        // When the full check cannot run, the signature alone still tells forged from real.
        let signature_holds = match &report {
            Ok(_) => None,
            Err(_) => Some(
                crate::proof::verify_proofs(
                    &doc,
                    options.resolver.as_ref(),
                    &options.contexts,
                    options.now,
                )
                .map(|proofs| !proofs.is_empty() && proofs.iter().all(|p| p.holds()))
                .unwrap_or(false),
            ),
        };
        ((report, signature_holds), published)
    })
    .await
    .map_err(|e| e.to_string())?;

    let issuer = issuer_id(&credential);
    let registered = issuer
        .as_deref()
        .is_some_and(|did| institutions.iter().any(|i| i.did == did));
    let status_unreadable = matches!(result, (Err(verify::VerifyError::Status(_)), _));
    let (verdict, report) = match result {
        (Ok(report), _) => (verdict::classify(&report, registered), Some(report)),
        (Err(e), holds) => {
            tracing::warn!(error = %e, "employer page could not check a credential");
            let verdict = match holds {
                Some(false) => Verdict::Altered,
                _ if !registered => Verdict::IssuerUnknown,
                _ => Verdict::CannotCheck,
            };
            (verdict, None)
        }
    };
    Ok(Checked {
        verdict,
        report,
        issuer,
        status_unreadable,
        published,
    })
}

/// A credential checked now and rendered as the employer page shows it (verdict banner and
/// details), for embedding in another page: the answer to a presentation request.
pub(super) async fn checked_section(
    state: &AppState,
    credential: serde_json::Value,
    lang: Lang,
) -> Result<String, String> {
    let service = state.service.clone();
    let institutions = tokio::task::spawn_blocking(move || service.store().list_institutions())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let credential = Arc::new(credential);
    let checked = check(state, credential.clone(), &institutions).await?;
    let input = checked.input(&credential, &institutions, state.service.now());
    view::section(messages::get(lang), &input).map_err(|e| e.to_string())
}

/// Credentials checked now, each with its verdict, the verdict in words and its section as
/// the employer page shows it in `lang` (the learner's passport page and the share page).
pub(super) async fn checked_sections(
    state: &AppState,
    credentials: Vec<serde_json::Value>,
    lang: Lang,
) -> Result<Vec<(Verdict, &'static str, String)>, String> {
    let service = state.service.clone();
    let institutions = tokio::task::spawn_blocking(move || service.store().list_institutions())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(credentials.len());
    for credential in credentials {
        let credential = Arc::new(credential);
        let checked = check(state, credential.clone(), &institutions).await?;
        let input = checked.input(&credential, &institutions, state.service.now());
        let words = messages::get(lang);
        let section = view::section(words, &input).map_err(|e| e.to_string())?;
        out.push((checked.verdict, checked.verdict.title(words), section));
    }
    Ok(out)
}

fn load(service: &Service, id: &str) -> Result<Loaded, ServiceError> {
    let stored = service.store().get_credential(id)?;
    let institutions = match stored {
        Some(_) => service.store().list_institutions()?,
        None => Vec::new(),
    };
    Ok(Loaded {
        stored,
        institutions,
    })
}

/// `"did:…"` or `{"id": "did:…"}`.
fn issuer_id(credential: &serde_json::Value) -> Option<String> {
    match credential.get("issuer")? {
        serde_json::Value::String(s) => Some(s.clone()),
        other => other.get("id")?.as_str().map(str::to_owned),
    }
}

fn html_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    let set = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
        // The verdict is live: a revocation must show on the next visit, never from a cache.
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}
