//! `GET|POST /passport/answer/{request}`: a signed-in learner answers a verifier's
//! presentation request with the passport ([`crate::passport::answer`]). Not signed in: the
//! sign-in page, which comes back here.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::view::{AnswerChoice, AnswerPage};
use super::{field, level_words, message, page, pairs, problem};
use super::{sign_in_page_next, signed_in, signed_in_post, AppState, Reader};
use crate::http::lang::ReaderLang;
use crate::passport::answer::{self, AnswerError};
use crate::passport::{held, Passport, PassportError};
use crate::session::Session;
use crate::verifier::{RequestConfig, RequestError};

/// The sign-in page's way back here.
pub(super) fn path(request: &str) -> String {
    format!("/passport/answer/{request}")
}

/// A request that cannot be answered (unknown, expired, answered already).
fn closed(reader: &Reader, e: RequestError) -> Response {
    let (status, text) = match e {
        RequestError::Unknown => (StatusCode::NOT_FOUND, "passport-answer-unknown"),
        RequestError::Expired(_) => (StatusCode::GONE, "passport-answer-expired"),
        RequestError::AlreadyAnswered => (StatusCode::CONFLICT, "passport-answer-answered"),
        other => return problem(reader, PassportError::Internal(other.to_string())),
    };
    message(
        reader,
        status,
        &reader.t("passport-answer-closed-title"),
        &reader.t(text),
        vec![],
        true,
    )
}

/// The form: the question, and the passport's credentials that answer it.
async fn form(
    state: &AppState,
    reader: &Reader,
    session: &Session,
    passport: &Passport,
    request: &str,
    status: StatusCode,
    problem_text: Option<&str>,
) -> Response {
    let record = match answer::open(&state.service, request) {
        Ok(r) => r,
        Err(e) => return closed(reader, e),
    };
    let matching = match answer::matching(passport, &state.service, &record) {
        Ok(m) => m,
        Err(e) => return problem(reader, e),
    };
    let lang = reader.lang;
    let choices = matching
        .iter()
        .map(|h| AnswerChoice {
            entry: h.entry.clone(),
            name: held::achievement_name(&h.credential).unwrap_or_else(|| "—".into()),
            institution: held::issuer_name(&h.credential),
            level: level_words(lang, held::level_words(&h.credential).as_ref()),
        })
        .collect();
    let body = AnswerPage {
        lang,
        switch: reader.switch.clone(),
        action: path(request),
        asked: crate::http::request::asked_words(&record.query, lang),
        csrf: session.csrf.clone(),
        problem: problem_text.map(str::to_owned),
        choices,
    };
    page(reader, status, askama::Template::render(&body))
}

/// `GET /passport/answer/{request}`.
pub(super) async fn show(
    State(state): State<AppState>,
    Path(request): Path<String>,
    asked: ReaderLang,
    headers: HeaderMap,
) -> Response {
    let reader = Reader::get(asked, None);
    match signed_in(&state, &headers).await {
        Some((_, session, passport)) => {
            form(
                &state,
                &reader,
                &session,
                &passport,
                &request,
                StatusCode::OK,
                None,
            )
            .await
        }
        None => sign_in_page_next(&reader, StatusCode::OK, None, Some(path(&request))),
    }
}

/// `POST /passport/answer/{request}` (`csrf`, `credential`…).
pub(super) async fn send(
    State(state): State<AppState>,
    Path(request): Path<String>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, &path(&request), None);
    let form_pairs = pairs(&body);
    let (_, session, passport) =
        match signed_in_post(&state, &reader, &headers, field(&form_pairs, "csrf")).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    let entries: Vec<String> = form_pairs
        .iter()
        .filter(|(k, _)| k == "credential")
        .map(|(_, v)| v.clone())
        .collect();
    match answer::answer(
        &passport,
        &state.service,
        &RequestConfig::default(),
        &request,
        &entries,
    )
    .await
    {
        Ok(outcome) => message(
            &reader,
            StatusCode::OK,
            &reader.t("passport-answer-sent-title"),
            &reader.t(if outcome.accepted {
                "passport-answer-accepted"
            } else {
                "passport-answer-refused"
            }),
            outcome.reasons,
            true,
        ),
        Err(AnswerError::NothingChosen) => {
            form(
                &state,
                &reader,
                &session,
                &passport,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&reader.t("passport-answer-choose")),
            )
            .await
        }
        Err(AnswerError::NoMatch) => {
            form(
                &state,
                &reader,
                &session,
                &passport,
                &request,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(AnswerError::Request(e)) => closed(&reader, e),
        Err(AnswerError::Passport(e)) => problem(&reader, e),
    }
}
