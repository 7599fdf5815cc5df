//! The learner's claim page: `GET /claim/{offer}` shows what an institution offers and three
//! ways to take it — into Learner Credential Wallet (a deep link and a QR code), into another
//! wallet (the OpenID4VCI credential offer) and as a file. No JavaScript; phone first.
//!
//! Learner Credential Wallet gets two links. The first, shown as the button and the QR code, is
//! its legacy credential request (`dccrequest://request?…`, a new single-use request for each
//! page, [`exchange::credential_request_link`]): every LCW release stores what it brings. The
//! second, folded away, is the offer's VC-API interaction URL (as `interaction:` + the URL, the
//! scheme LCW registers, and as a QR code): LCW 2.2.10 drops a credential that a VC-API
//! exchange issues after DID Authentication (openwallet-foundation-labs/learner-credential-wallet
//! #957), and the offer would be used up.
//!
//! An offer with a one-time code asks for it first (`POST /claim/{offer}`, form field `code`).
//! The OpenID4VCI offer is shown before the code, because the wallet asks for the code itself;
//! Learner Credential Wallet's links and the download only after the right code, because those
//! links claim the credential without a code (LCW cannot send one) and the file is the
//! credential. The download is a form (`POST /claim/{offer}/download`) that carries the code
//! again. Wrong codes count and lock the offer ([`offer::check_code`]).
//!
//! Every answer is an HTML page, errors included: 404 for an unknown offer, 410 for a withdrawn,
//! expired or claimed one, 423 (Locked) for one locked after too many wrong codes, 403 with the
//! form again for a wrong code, 400 for a code that is not six digits (not counted), 500 when
//! the service failed.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::lang::ReaderLang;
use super::AppState;
use crate::i18n::Lang;
use crate::service::{Service, ServiceError};
use crate::store::{Institution, StoredCredential, StoredOffer};
use crate::wallet::exchange::{self, ExchangeError};
use crate::wallet::offer::{self, TX_CODE_LENGTH};
use crate::wallet::WalletError;

mod messages;
mod view;

use view::{Closed, CodeProblem, LcwLinks, OfferInput};

/// The issuing institution's language, the page's when the reader asks for none of ours.
fn issuer_default(institution: Option<&Institution>) -> Option<Lang> {
    institution.and_then(|i| Lang::for_country(&i.country))
}

/// The employer page's policy (no scripts, nothing external, inline CSS, `data:` images for the
/// QR codes), and forms that post only to this service, and no framing by other sites.
const CLAIM_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

/// What is sent when even the failure page cannot be rendered.
const LAST_RESORT: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>Something went wrong</title></head><body><h1>Something went wrong</h1><p>Please try \
    again in a few minutes.</p></body></html>\n";

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/claim/{offer}", get(show).post(enter_code))
        .route("/claim/{offer}/download", post(download))
}

/// The form of `POST /claim/{offer}` and `POST /claim/{offer}/download`.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: Option<String>,
}

/// An offer and what its page shows.
struct Loaded {
    offer: StoredOffer,
    institution: Option<Institution>,
    /// The credential on offer, as issued.
    credential: StoredCredential,
}

fn load(service: &Service, id: &str) -> Result<Option<Loaded>, WalletError> {
    let Some(offer) = service.store().get_offer(id)? else {
        return Ok(None);
    };
    let institution = service.store().get_institution(&offer.institution)?;
    let credential = offer::offered_credential(service, &offer)?;
    Ok(Some(Loaded {
        offer,
        institution,
        credential,
    }))
}

async fn load_async(state: &AppState, id: String) -> Result<Option<Loaded>, WalletError> {
    let service = state.service.clone();
    tokio::task::spawn_blocking(move || load(&service, &id))
        .await
        .map_err(|e| WalletError::Service(ServiceError::Internal(e.to_string())))?
}

/// Why `offer` cannot be claimed now, if it cannot.
fn closed(offer: &StoredOffer, service: &Service) -> Option<Closed> {
    match offer::state_name(offer, service.now()) {
        "open" => None,
        "expired" => Some(Closed::Expired(offer.expires)),
        "withdrawn" => Some(Closed::Withdrawn),
        "claimed" => Some(Closed::Claimed),
        "locked" => Some(Closed::Locked),
        _ => Some(Closed::Failed),
    }
}

/// `GET /claim/{offer}`.
async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
) -> Response {
    let reader = &reader;
    let loaded = match load_async(&state, id).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return closed_response(Closed::Unknown, None, reader),
        Err(e) => return wallet_error(e, None, reader),
    };
    if let Some(why) = closed(&loaded.offer, &state.service) {
        return closed_response(why, loaded.institution.as_ref(), reader);
    }
    let has_code = loaded.offer.tx_code_hash.is_some();
    // Without a code, everything is shown at once.
    let unlocked = !has_code;
    offer_response(
        &state,
        &loaded,
        unlocked,
        None,
        None,
        StatusCode::OK,
        reader,
    )
    .await
}

/// The learner's code, without the spaces or dashes a person may type; `Err` when it cannot
/// be a code at all (such input is not counted as a wrong code).
fn normalise(code: Option<&str>) -> Result<String, CodeProblem> {
    let code: String = code
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.is_empty() {
        Err(CodeProblem::Missing)
    } else if code.len() != TX_CODE_LENGTH || !code.bytes().all(|b| b.is_ascii_digit()) {
        Err(CodeProblem::Malformed)
    } else {
        Ok(code)
    }
}

/// How the code step went.
enum Gate {
    /// Claimable; the code the learner gave, if the offer has one.
    Open(Box<Loaded>, Option<String>),
    /// Answered already (the form again, or a closed offer).
    Answered(Response),
}

/// Loads the offer and checks the form's code (every wrong one counts).
async fn gate(
    state: &AppState,
    id: String,
    form: Result<Form<CodeForm>, FormRejection>,
    reader: &ReaderLang,
) -> Gate {
    let loaded = match load_async(state, id.clone()).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return Gate::Answered(closed_response(Closed::Unknown, None, reader)),
        Err(e) => return Gate::Answered(wallet_error(e, None, reader)),
    };
    if let Some(why) = closed(&loaded.offer, &state.service) {
        return Gate::Answered(closed_response(why, loaded.institution.as_ref(), reader));
    }
    if loaded.offer.tx_code_hash.is_none() {
        return Gate::Open(Box::new(loaded), None);
    }
    let given = form.ok().and_then(|Form(f)| f.code);
    let code = match normalise(given.as_deref()) {
        Ok(code) => code,
        Err(problem) => {
            return Gate::Answered(
                offer_response(
                    state,
                    &loaded,
                    false,
                    None,
                    Some(problem),
                    StatusCode::BAD_REQUEST,
                    reader,
                )
                .await,
            )
        }
    };
    match offer::check_code(&state.service, &state.wallet, &id, Some(&code)).await {
        Ok(_) => Gate::Open(Box::new(loaded), Some(code)),
        Err(WalletError::WrongCode { remaining }) => Gate::Answered(
            offer_response(
                state,
                &loaded,
                false,
                None,
                Some(CodeProblem::Wrong { remaining }),
                StatusCode::FORBIDDEN,
                reader,
            )
            .await,
        ),
        Err(e) => Gate::Answered(wallet_error(e, loaded.institution.as_ref(), reader)),
    }
}

/// `POST /claim/{offer}`: the one-time code.
async fn enter_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Response {
    match gate(&state, id, form, &reader).await {
        Gate::Open(loaded, code) => {
            offer_response(
                &state,
                &loaded,
                true,
                code.as_deref(),
                None,
                StatusCode::OK,
                &reader,
            )
            .await
        }
        Gate::Answered(response) => response,
    }
}

/// `POST /claim/{offer}/download`: the credential on offer, as issued, as a file.
async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
    form: Result<Form<CodeForm>, FormRejection>,
) -> Response {
    let loaded = match gate(&state, id, form, &reader).await {
        Gate::Open(loaded, _) => loaded,
        Gate::Answered(response) => return response,
    };
    let service = state.service.clone();
    let offer = loaded.offer.clone();
    let audited = tokio::task::spawn_blocking(move || {
        service.audit(
            "wallet",
            Some(&offer.institution),
            "download-offered-credential",
            Some(&offer.id),
        )
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))
    .and_then(|r| r);
    if let Err(e) = audited {
        return failed(e, &reader);
    }
    if let Err(e) = state.service.store().durable().await {
        return failed(e.into(), &reader);
    }
    let stored = &loaded.credential;
    let body = match serde_json::to_vec_pretty(&stored.credential) {
        Ok(body) => body,
        Err(e) => return failed(ServiceError::Internal(e.to_string()), &reader),
    };
    let filename = view::download_filename(&stored.credential);
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "application/json"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // The file name is ASCII letters, digits, '-' and '.' only.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The page of an open offer: with every way to take it when `unlocked`, else the code form
/// (and the OpenID4VCI offer). Unlocked, it carries a new credential-request link for
/// Learner Credential Wallet.
async fn offer_response(
    state: &AppState,
    loaded: &Loaded,
    unlocked: bool,
    code: Option<&str>,
    problem: Option<CodeProblem>,
    status: StatusCode,
    reader: &ReaderLang,
) -> Response {
    let links = offer::links(&state.service, &loaded.offer);
    let request = if unlocked {
        let service = state.service.clone();
        let config = state.wallet.clone();
        let id = loaded.offer.id.clone();
        let minted = tokio::task::spawn_blocking(move || {
            exchange::credential_request_link(&service, &config, &id)
        })
        .await
        .map_err(|e| ExchangeError::CannotCheck(e.to_string()))
        .and_then(|r| r);
        match minted {
            Ok(link) => Some(link),
            Err(ExchangeError::Wallet(e)) => {
                return wallet_error(e, loaded.institution.as_ref(), reader)
            }
            Err(e) => return failed(ServiceError::Internal(e.to_string()), reader),
        }
    } else {
        None
    };
    let input = OfferInput {
        offer_id: &loaded.offer.id,
        credential: &loaded.credential.credential,
        institution: loaded.institution.as_ref(),
        expires: loaded.offer.expires,
        has_code: loaded.offer.tx_code_hash.is_some(),
        credential_offer: &links.credential_offer,
        lcw: request.as_deref().map(|request| LcwLinks {
            request,
            request_minutes: state.wallet.exchange_ttl.num_minutes(),
            interaction_url: &links.interaction_url,
        }),
        code,
        problem,
    };
    let lang = reader.negotiate(issuer_default(loaded.institution.as_ref()));
    match view::offer_page(messages::get(lang), &input) {
        Ok(body) => reader.finish(lang, html(status, body)),
        Err(e) => failed(ServiceError::Internal(e), reader),
    }
}

/// The page for a claim that cannot go on.
fn wallet_error(
    e: WalletError,
    institution: Option<&Institution>,
    reader: &ReaderLang,
) -> Response {
    let why = match e {
        WalletError::UnknownOffer => Closed::Unknown,
        WalletError::Expired(at) => Closed::Expired(at),
        WalletError::Withdrawn => Closed::Withdrawn,
        WalletError::Claimed => Closed::Claimed,
        WalletError::Locked => Closed::Locked,
        WalletError::Service(e) => return failed(e, reader),
        other => return failed(ServiceError::Internal(other.to_string()), reader),
    };
    closed_response(why, institution, reader)
}

fn closed_response(
    why: Closed,
    institution: Option<&Institution>,
    reader: &ReaderLang,
) -> Response {
    let status = match why {
        Closed::Unknown => StatusCode::NOT_FOUND,
        Closed::Expired(_) | Closed::Withdrawn | Closed::Claimed => StatusCode::GONE,
        Closed::Locked => StatusCode::LOCKED,
        Closed::Failed => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let name = institution.map(|i| i.name.as_str());
    let lang = reader.negotiate(issuer_default(institution));
    match view::closed_page(messages::get(lang), why, name) {
        Ok(body) => reader.finish(lang, html(status, body)),
        Err(e) => {
            tracing::error!(error = %e, "claim page did not render");
            html(StatusCode::INTERNAL_SERVER_ERROR, LAST_RESORT.to_owned())
        }
    }
}

fn failed(e: ServiceError, reader: &ReaderLang) -> Response {
    tracing::error!(error = %e, "claim page failed");
    closed_response(Closed::Failed, None, reader)
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, CLAIM_CSP),
        // The page carries a secret link once the code is given; never keep it.
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // The claim link must not leak to the sites the page links to.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(normalise(Some(" 123 456 ")), Ok("123456".into()));
        assert_eq!(normalise(Some("123-456")), Ok("123456".into()));
        assert_eq!(normalise(None), Err(CodeProblem::Missing));
        assert_eq!(normalise(Some("  ")), Err(CodeProblem::Missing));
        assert_eq!(normalise(Some("12345")), Err(CodeProblem::Malformed));
        assert_eq!(normalise(Some("12345a")), Err(CodeProblem::Malformed));
        assert_eq!(normalise(Some("١٢٣٤٥٦")), Err(CodeProblem::Malformed));
    }
}
