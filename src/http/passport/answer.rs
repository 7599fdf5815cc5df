//! `GET|POST /passport/answer/{request}`: a signed-in learner answers a verifier's
//! presentation request with the passport ([`crate::passport::answer`]). Not signed in: the
//! sign-in page, which comes back here.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::view::{AnswerChoice, AnswerPage, MessagePage};
use super::{field, html, message, pairs, problem, sign_in_page_next, signed_in, signed_in_post};
use super::{AppState, MESSAGES};
use crate::passport::answer::{self, AnswerError};
use crate::passport::{held, Passport, PassportError};
use crate::session::Session;
use crate::verifier::{RequestConfig, RequestError};

/// The sign-in page's way back here.
pub(super) fn path(request: &str) -> String {
    format!("/passport/answer/{request}")
}

/// A request that cannot be answered (unknown, expired, answered already).
fn closed(e: RequestError) -> Response {
    let m = MESSAGES;
    let (status, text) = match e {
        RequestError::Unknown => (StatusCode::NOT_FOUND, m.answer_unknown),
        RequestError::Expired(_) => (StatusCode::GONE, m.answer_expired),
        RequestError::AlreadyAnswered => (StatusCode::CONFLICT, m.answer_answered),
        other => return problem(PassportError::Internal(other.to_string())),
    };
    message(status, m.answer_closed_title, text, vec![], true)
}

/// The form: the question, and the passport's credentials that answer it.
async fn form(
    state: &AppState,
    session: &Session,
    passport: &Passport,
    request: &str,
    status: StatusCode,
    problem_text: Option<&str>,
) -> Response {
    let record = match answer::open(&state.service, request) {
        Ok(r) => r,
        Err(e) => return closed(e),
    };
    let matching = match answer::matching(passport, &state.service, &record) {
        Ok(m) => m,
        Err(e) => return problem(e),
    };
    let choices = matching
        .iter()
        .map(|h| AnswerChoice {
            entry: h.entry.clone(),
            name: held::achievement_name(&h.credential).unwrap_or_else(|| "—".into()),
            institution: held::issuer_name(&h.credential),
            level: held::level_words(&h.credential)
                .map_or(MESSAGES.no_level.to_owned(), |l| l.words),
        })
        .collect();
    let page = AnswerPage {
        m: MESSAGES,
        action: path(request),
        asked: crate::http::request::asked_words(&record.query, MESSAGES.locale),
        csrf: session.csrf.clone(),
        problem: problem_text.map(str::to_owned),
        choices,
    };
    html(status, askama::Template::render(&page))
}

/// `GET /passport/answer/{request}`.
pub(super) async fn show(
    State(state): State<AppState>,
    Path(request): Path<String>,
    headers: HeaderMap,
) -> Response {
    match signed_in(&state, &headers).await {
        Some((_, session, passport)) => {
            form(&state, &session, &passport, &request, StatusCode::OK, None).await
        }
        None => sign_in_page_next(StatusCode::OK, None, Some(path(&request))),
    }
}

/// `POST /passport/answer/{request}` (`csrf`, `credential`…).
pub(super) async fn send(
    State(state): State<AppState>,
    Path(request): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form_pairs = pairs(&body);
    let (_, session, passport) =
        match signed_in_post(&state, &headers, field(&form_pairs, "csrf")).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    let entries: Vec<String> = form_pairs
        .iter()
        .filter(|(k, _)| k == "credential")
        .map(|(_, v)| v.clone())
        .collect();
    let m = MESSAGES;
    match answer::answer(
        &passport,
        &state.service,
        &RequestConfig::default(),
        &request,
        &entries,
    )
    .await
    {
        Ok(outcome) => {
            let page = MessagePage {
                m,
                title: m.answer_sent_title.to_owned(),
                text: if outcome.accepted {
                    m.answer_accepted.to_owned()
                } else {
                    m.answer_refused.to_owned()
                },
                reasons: outcome.reasons,
                back: true,
            };
            html(StatusCode::OK, askama::Template::render(&page))
        }
        Err(AnswerError::NothingChosen) => {
            form(
                &state,
                &session,
                &passport,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(m.answer_choose),
            )
            .await
        }
        Err(AnswerError::NoMatch) => {
            form(
                &state,
                &session,
                &passport,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(AnswerError::Request(e)) => closed(e),
        Err(AnswerError::Passport(e)) => problem(e),
    }
}
