//! Presentation requests over HTTP ([`crate::verifier`]): an employer or a college asks a
//! learner's wallet for a credential and sees the checked answer.
//!
//! - `GET /verify/request`: the form (what to ask for, the framework to map into);
//!   `POST /verify/request` makes the request and sends the browser to its page.
//! - `GET /verify/request/{id}`: the request's page — two QR codes (OpenID4VP and Learner
//!   Credential Wallet) refreshed by a no-JavaScript `<meta http-equiv="refresh">` until a wallet
//!   answers, then the checked result: each answering credential as the employer page shows it,
//!   with its recognition in the chosen framework. `GET /verify/request/{id}/result`: the same
//!   as JSON. The id is the capability; the page is never cached and sends no referrer.
//! - `POST /oid4vp/response`: the OpenID4VP 1.0 Response URI (`direct_post`); OAuth errors.
//! - `GET|POST /verify/exchanges/{exchange}`: the VC-API exchange (interaction URL and steps).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::limits::{AuthLimiter, CAPACITY};
use super::{ApiError, AppState, Json};
use crate::frameworks::FrameworkRegistry;
use crate::http::page::sentence::{data, fill, fill_text, text};
use crate::verifier::query::{Query, Wanted};
use crate::verifier::request::{self, Record, Status};
use crate::verifier::vcapi::{self, ExchangeAnswer};
use crate::verifier::{oid4vp, RequestConfig, RequestError};

mod messages;
mod view;

use super::lang::ReaderLang;
use crate::i18n::{Lang, LangSwitch};
use messages::RequestMessages;
use view::{AnsweredView, Body, FormPage, RecognitionView, RequestPage, Way};

/// Seconds between refreshes of a request's page while it waits.
const REFRESH_SECONDS: u32 = 3;

/// No scripts, nothing external, inline CSS, `data:` QR images, forms to this service only.
const REQUEST_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

const LAST_RESORT: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>Something went wrong</title></head><body><h1>Something went wrong</h1><p>Please try \
    again in a few minutes.</p></body></html>\n";

/// Requests one client address (an IPv6 /64) may make per [`PRESENTATION_REQUESTS_WINDOW`]. Anyone may ask,
/// without signing in, and each request is a stored record answerable for 15 minutes, so one
/// client must not be able to fill the store.
pub const PRESENTATION_REQUESTS_PER_WINDOW: u32 = 30;
/// See [`PRESENTATION_REQUESTS_PER_WINDOW`].
pub const PRESENTATION_REQUESTS_WINDOW: Duration = Duration::from_secs(600);

/// Counts the requests made per client address (the limiter of failed sign-ins, counting
/// every request made instead).
struct MakingBudget(AuthLimiter);

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    let budget = MakingBudget(AuthLimiter::new(
        PRESENTATION_REQUESTS_PER_WINDOW,
        PRESENTATION_REQUESTS_WINDOW,
        CAPACITY,
    ));
    Router::new()
        .route("/verify/request", get(form).post(create))
        .route("/verify/request/{id}", get(show))
        .route("/verify/request/{id}/result", get(result))
        .route("/oid4vp/response", post(oid4vp_response))
        .route(
            "/verify/exchanges/{exchange}",
            get(interaction).post(exchange_step),
        )
        .layer(Extension(Arc::new(budget)))
}

fn config() -> RequestConfig {
    RequestConfig::default()
}

/// The form of `POST /verify/request`.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    want: String,
    #[serde(default)]
    achievement: String,
    /// `FRAMEWORK|CODE`.
    #[serde(default)]
    level: String,
    #[serde(default)]
    recognise: String,
}

impl CreateForm {
    fn query(&self) -> Result<Query, String> {
        let wanted = match self.want.as_str() {
            "any" | "" => Wanted::AnyBadge,
            "achievement" => {
                let given = self.achievement.trim().to_owned();
                // An id is an IRI (it has a scheme); anything else is a name.
                if given.contains(':') && !given.contains(char::is_whitespace) {
                    Wanted::Achievement {
                        id: Some(given),
                        name: None,
                    }
                } else {
                    Wanted::Achievement {
                        id: None,
                        name: Some(given),
                    }
                }
            }
            "level" => {
                let (framework, level) = self
                    .level
                    .split_once('|')
                    .ok_or_else(|| "choose a level".to_owned())?;
                Wanted::MinimumLevel {
                    framework: framework.to_owned(),
                    level: level.to_owned(),
                }
            }
            other => return Err(format!("unknown choice {other:?}")),
        };
        Ok(Query {
            wanted,
            recognise_into: Some(self.recognise.clone()).filter(|r| !r.trim().is_empty()),
        })
    }
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, REQUEST_CSP),
        // The page shows a learner's answer: never keep it, never leak its address.
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The page in the reader's language, with `Content-Language` and `Vary`.
fn rendered(reader: &ReaderLang, status: StatusCode, page: askama::Result<String>) -> Response {
    let lang = reader.negotiate(None);
    match page {
        Ok(body) => reader.finish(lang, html(status, body)),
        Err(e) => {
            tracing::error!(error = %e, "request page did not render");
            html(StatusCode::INTERNAL_SERVER_ERROR, LAST_RESORT.to_owned())
        }
    }
}

/// The pages' words in the reader's language (the pages have no issuer to default to).
fn words(reader: &ReaderLang) -> &'static RequestMessages {
    messages::get(reader.negotiate(None))
}

fn form_page(reader: &ReaderLang, error: Option<String>) -> askama::Result<String> {
    let m = words(reader);
    askama::Template::render(&FormPage {
        m,
        switch: LangSwitch::new(m.locale, "", None),
        frameworks: view::framework_options(reader.negotiate(None), FrameworkRegistry::bundled()),
        error: error.map(|reason| fill(m.form_error, &[("reason", data(reason))])),
    })
}

/// `GET /verify/request`.
async fn form(reader: ReaderLang) -> Response {
    rendered(&reader, StatusCode::OK, form_page(&reader, None))
}

/// `POST /verify/request`: makes the request, 303 to its page.
async fn create(
    State(state): State<AppState>,
    Extension(budget): Extension<Arc<MakingBudget>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    reader: ReaderLang,
    form: Result<Form<CreateForm>, FormRejection>,
) -> Response {
    let address = peer.map(|Extension(ConnectInfo(a))| a.ip());
    if let Err(wait) = budget.0.check(address, None) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let why = fill_text(words(&reader).busy, &[("minutes", &minutes.to_string())]);
        let mut response = rendered(
            &reader,
            StatusCode::TOO_MANY_REQUESTS,
            form_page(&reader, Some(why)),
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        return response;
    }
    let query = match form {
        Ok(Form(form)) => form.query(),
        Err(e) => Err(e.body_text()),
    };
    let query = match query {
        Ok(query) => query,
        Err(why) => {
            return rendered(
                &reader,
                StatusCode::BAD_REQUEST,
                form_page(&reader, Some(why)),
            )
        }
    };
    let service = state.service.clone();
    let made = tokio::task::spawn_blocking(move || request::create(&service, &config(), query))
        .await
        .map_err(|e| RequestError::Internal(e.to_string()))
        .and_then(|r| r);
    match made {
        Ok(new) => {
            budget.0.fail(address, None);
            if let Err(e) = state.service.store().durable().await {
                tracing::error!(error = %e, "request not durable");
                return rendered(
                    &reader,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    closed(&reader, Closed::Failed),
                );
            }
            let url = format!("{}/verify/request/{}", state.service.public_url(), new.id);
            Redirect::to(&url).into_response()
        }
        Err(RequestError::BadQuery(why)) => rendered(
            &reader,
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&reader, Some(why)),
        ),
        Err(e) => {
            tracing::error!(error = %e, "request not made");
            rendered(
                &reader,
                StatusCode::INTERNAL_SERVER_ERROR,
                closed(&reader, Closed::Failed),
            )
        }
    }
}

#[derive(Clone, Copy)]
enum Closed {
    Unknown,
    Expired,
    Failed,
}

fn closed(reader: &ReaderLang, why: Closed) -> askama::Result<String> {
    let m = words(reader);
    let (class, heading, text) = match why {
        Closed::Unknown => ("unknown", m.unknown_title, m.unknown_text),
        Closed::Expired => ("none", m.expired_title, m.expired_text),
        Closed::Failed => ("none", m.failed_title, m.failed_text),
    };
    askama::Template::render(&RequestPage {
        m,
        switch: LangSwitch::new(m.locale, "", None),
        title: heading.to_owned(),
        refresh: None,
        asked: Vec::new(),
        body: Body::Closed {
            class,
            heading,
            text,
        },
    })
}

async fn load(state: &AppState, id: String) -> Result<Option<Record>, RequestError> {
    let service = state.service.clone();
    tokio::task::spawn_blocking(move || request::load(&service, &id))
        .await
        .map_err(|e| RequestError::Internal(e.to_string()))?
}

/// What `query` asks, in the request pages' words in `lang`, as plain sentences (the
/// passport's answer page shows the question as the request's page does).
pub(crate) fn asked_words(query: &Query, lang: Lang) -> Vec<String> {
    view::asked(messages::get(lang), query)
        .into_iter()
        .map(|sentence| {
            sentence
                .into_iter()
                .map(|part| match part {
                    crate::http::page::sentence::Part::Text(t)
                    | crate::http::page::sentence::Part::Data(t) => t,
                })
                .collect()
        })
        .collect()
}

/// `GET /verify/request/{id}`.
async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    reader: ReaderLang,
) -> Response {
    let reader = &reader;
    let passport = format!("/passport/answer/{id}");
    let record = match load(&state, id).await {
        Ok(Some(record)) => record,
        Ok(None) => {
            return rendered(
                reader,
                StatusCode::NOT_FOUND,
                closed(reader, Closed::Unknown),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "request page failed");
            return rendered(
                reader,
                StatusCode::INTERNAL_SERVER_ERROR,
                closed(reader, Closed::Failed),
            );
        }
    };
    let m = words(reader);
    let now = state.service.now();
    let asked = view::asked(m, &record.query);
    let (title, refresh, body) = match &record.status {
        Status::Pending if record.expires < now => {
            return rendered(reader, StatusCode::GONE, closed(reader, Closed::Expired))
        }
        Status::Pending => {
            let service = &state.service;
            let oid4vp = Way::new(oid4vp::authorization_request(service, &record));
            let lcw = Way::new(vcapi::interaction_url(service, &record.exchange));
            let body = Body::Pending {
                text: fill(
                    m.pending_text,
                    &[("seconds", text(REFRESH_SECONDS.to_string()))],
                ),
                oid4vp,
                lcw,
                passport,
                expires: fill(m.expires_at, &[("time", view::time(m, record.expires))]),
            };
            (m.pending_title, Some(REFRESH_SECONDS), body)
        }
        Status::Checking => (m.checking_title, Some(REFRESH_SECONDS), Body::Checking),
        Status::Done(outcome) => {
            let answered_by = fill(
                m.answered_by,
                &[
                    ("protocol", text(view::protocol_name(m, outcome.protocol))),
                    ("time", view::time(m, outcome.at)),
                    (
                        "holder",
                        data(outcome.holder.clone().unwrap_or_else(|| "?".into())),
                    ),
                ],
            );
            if outcome.accepted {
                let mut credentials = Vec::new();
                for answered in &outcome.credentials {
                    let section = match super::page::checked_section(
                        &state,
                        answered.credential.clone(),
                        m.locale,
                    )
                    .await
                    {
                        Ok(section) => section,
                        Err(e) => {
                            tracing::error!(error = %e, "answered credential did not render");
                            return rendered(
                                reader,
                                StatusCode::INTERNAL_SERVER_ERROR,
                                closed(reader, Closed::Failed),
                            );
                        }
                    };
                    let recognition =
                        record
                            .query
                            .recognise_into
                            .as_ref()
                            .map(|into| RecognitionView {
                                heading: fill(m.recognition_heading, &[("framework", data(into))]),
                                explanation: answered
                                    .recognition
                                    .as_ref()
                                    .map(|a| crate::i18n::recognition::assessment(m.locale, a))
                                    .unwrap_or_default(),
                                error: answered.recognition_error.as_ref().map(|why| {
                                    fill(m.recognition_none, &[("reason", data(why.clone()))])
                                }),
                            });
                    credentials.push(AnsweredView {
                        section,
                        recognition,
                    });
                }
                let body = Body::Accepted {
                    answered_by,
                    credentials,
                    notes: outcome.notes.clone(),
                };
                (m.accepted_title, None, body)
            } else {
                let body = Body::Refused {
                    could_not_check: outcome.could_not_check,
                    answered_by: outcome.holder.is_some().then_some(answered_by),
                    reasons: outcome.reasons.clone(),
                };
                let title = if outcome.could_not_check {
                    m.not_checked_title
                } else {
                    m.refused_title
                };
                (title, None, body)
            }
        }
    };
    let page = RequestPage {
        m,
        switch: LangSwitch::new(m.locale, "", None),
        title: title.to_owned(),
        refresh,
        asked,
        body,
    };
    rendered(reader, StatusCode::OK, askama::Template::render(&page))
}

/// `GET /verify/request/{id}/result`: the request's state and outcome as JSON.
async fn result(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = load(&state, id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::from(RequestError::Unknown))?;
    let mut response =
        axum::Json(request::status_json(&record, state.service.now())).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        let status = match e {
            RequestError::BadQuery(_) => StatusCode::UNPROCESSABLE_ENTITY,
            RequestError::Unknown => StatusCode::NOT_FOUND,
            RequestError::Expired(_) => StatusCode::GONE,
            RequestError::AlreadyAnswered => StatusCode::CONFLICT,
            RequestError::BadMessage(_) => StatusCode::BAD_REQUEST,
            RequestError::Store(e) => return crate::service::ServiceError::from(e).into(),
            RequestError::Internal(e) => return ApiError::internal(e),
        };
        ApiError::new(status, e.to_string())
    }
}

fn oauth_error(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /oid4vp/response`: the wallet's Authorization Response (`direct_post`).
async fn oid4vp_response(
    State(state): State<AppState>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                json!({
                    "error": "invalid_request",
                    "error_description": format!(
                        "the response must be application/x-www-form-urlencoded: {}",
                        e.body_text()
                    ),
                }),
            )
        }
    };
    match oid4vp::direct_post(&state.service, &config(), &form).await {
        Ok(Ok(body)) => oauth_error(StatusCode::OK, body),
        Ok(Err(error)) => oauth_error(StatusCode::BAD_REQUEST, error.body()),
        Err(e) => {
            tracing::error!(error = %e, "OpenID4VP response failed");
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "server_error", "error_description": "the response could not be processed; try again"}),
            )
        }
    }
}

/// `GET /verify/exchanges/{exchange}`: the interaction URL's protocols.
async fn interaction(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let service = state.service.clone();
    let protocols = tokio::task::spawn_blocking(move || vcapi::interaction(&service, &id))
        .await
        .map_err(ApiError::internal)??;
    Ok(axum::Json(protocols))
}

/// `POST /verify/exchanges/{exchange}`: `{}` → the request; `{"verifiablePresentation": …}` →
/// `{}` when accepted, 422 with the reasons when refused.
async fn exchange_step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(message): Json<Value>,
) -> Result<axum::Json<Value>, ApiError> {
    match vcapi::step(&state.service, &config(), &id, &message).await? {
        ExchangeAnswer::Request(request) => Ok(axum::Json(request)),
        ExchangeAnswer::Accepted(_) => Ok(axum::Json(json!({}))),
        ExchangeAnswer::Refused(outcome) => {
            let mut error = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                if outcome.could_not_check {
                    "the presentation could not be checked"
                } else {
                    "the presentation was refused"
                },
            );
            error.details = outcome.reasons;
            Err(error)
        }
    }
}
