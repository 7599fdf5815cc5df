//! The learner's passport pages (`/passport…`) and the share page (`/share/{share}`): thin
//! handlers over [`crate::passport`]. HTML forms only, no JavaScript, phone first.
//!
//! Signed-in requests carry two cookies (path `/passport`): the session id of
//! [`crate::session`] and the session key that unwraps the passport's data key. Every POST of a
//! signed-in page carries the session's CSRF token; a POST whose `Origin` is another site is
//! refused. Sign-in and recovery failures count against the failed-authentication limit
//! (per address and per sign-in name) and are answered 429 when it is used up. A request that
//! needs a session and has none is sent to `/passport` (303), never answered 401.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

use super::lang::ReaderLang;
use super::AppState;
use crate::frameworks::FrameworkRegistry;
use crate::http::limits::AuthLimiter;
use crate::i18n::LangSwitch;
use crate::passport::{self, account, held, shares, Passport, PassportConfig, PassportError};
use crate::session::{self, Session};
use crate::wallet::offer;

mod answer;
mod messages;
mod view;

use messages::Messages;
use view::*;

const MESSAGES: &Messages = &messages::EN;

/// No scripts, nothing external, inline CSS, `data:` QR images; forms post only here.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/passport", get(show))
        .route("/passport/signin", post(sign_in))
        .route("/passport/create", post(create))
        .route("/passport/recover", post(recover))
        .route("/passport/signout", post(sign_out))
        .route("/passport/import", post(import))
        .route("/passport/shares", post(make_share))
        .route("/passport/shares/{share}/withdraw", post(withdraw))
        .route("/passport/export", get(export))
        .route("/passport/delete", post(delete))
        .route("/passport/claim/{offer}", post(claim))
        .route(
            "/passport/answer/{request}",
            get(answer::show).post(answer::send),
        )
        .route("/share/{share}", get(share_page))
}

fn config() -> PassportConfig {
    PassportConfig::default()
}

// ----------------------------------------------------------------------------------------
// Responses
// ----------------------------------------------------------------------------------------

fn html(status: StatusCode, body: askama::Result<String>) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "passport page did not render");
            return (StatusCode::INTERNAL_SERVER_ERROR, "the page did not render").into_response();
        }
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn message(
    status: StatusCode,
    title: &str,
    text: &str,
    reasons: Vec<String>,
    back: bool,
) -> Response {
    html(
        status,
        askama::Template::render(&MessagePage {
            m: MESSAGES,
            title: title.to_owned(),
            text: text.to_owned(),
            reasons,
            back,
        }),
    )
}

fn sign_in_page(
    status: StatusCode,
    problem: Option<String>,
    claim: Option<(String, String)>,
) -> Response {
    html(
        status,
        askama::Template::render(&SignInPage {
            m: MESSAGES,
            problem,
            claim,
            next: None,
        }),
    )
}

/// The sign-in page that goes on to `next` (a passport page, [`next_of`]) once signed in.
fn sign_in_page_next(
    status: StatusCode,
    problem: Option<String>,
    next: Option<String>,
) -> Response {
    html(
        status,
        askama::Template::render(&SignInPage {
            m: MESSAGES,
            problem,
            claim: None,
            next,
        }),
    )
}

/// The sign-in form's `next`: only an answer page of this passport (never another site).
fn next_of(pairs: &[(String, String)]) -> Option<String> {
    let next = field(pairs, "next")?;
    let request = next.strip_prefix("/passport/answer/")?;
    (!request.is_empty()
        && request
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| answer::path(request))
}

/// The page for a failed passport action.
fn problem(e: PassportError) -> Response {
    let m = MESSAGES;
    match e {
        PassportError::Refused(reasons) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            m.problem_title,
            m.import_refused,
            reasons,
            true,
        ),
        PassportError::CannotCheck(why) => message(
            StatusCode::BAD_GATEWAY,
            m.problem_title,
            m.cannot_check,
            vec![why],
            true,
        ),
        PassportError::NotSignedIn => see_other("/passport"),
        PassportError::UnknownCredential | PassportError::UnknownShare => message(
            StatusCode::NOT_FOUND,
            m.problem_title,
            &e.to_string(),
            vec![],
            true,
        ),
        PassportError::BadInput(_) | PassportError::NameTaken => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            m.problem_title,
            &e.to_string(),
            vec![],
            true,
        ),
        other => {
            tracing::error!(error = %other, "passport action failed");
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                m.problem_title,
                "Something went wrong. Please try again in a few minutes.",
                vec![],
                true,
            )
        }
    }
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        account::SESSION_REALM.path
    ))
    .expect("cookie is header-safe")
}

fn secure(state: &AppState) -> bool {
    state.service.public_url().starts_with("https://")
}

// ----------------------------------------------------------------------------------------
// Requests
// ----------------------------------------------------------------------------------------

/// `application/x-www-form-urlencoded` pairs (repeated names kept, `+` as space).
fn pairs(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    match s
                        .get(i + 1..i + 3)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                    {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A POST from another site's page is refused ([`session::same_origin`]).
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    session::same_origin(headers, state.service.public_url())
}

fn limiter(headers_ext: &axum::http::Extensions) -> Option<Arc<AuthLimiter>> {
    headers_ext.get::<Arc<AuthLimiter>>().cloned()
}

/// Request parts the sign-in handlers need.
struct Client {
    address: Option<IpAddr>,
    limiter: Option<Arc<AuthLimiter>>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client {
            address: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip()),
            limiter: limiter(&parts.extensions),
        })
    }
}

/// The signed-in session and its unlocked passport, if any.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<(String, Session, Passport)> {
    let service = state.service.clone();
    let headers = headers.clone();
    tokio::task::spawn_blocking(move || {
        let sessions = account::sessions(&service, &config());
        let id = sessions.id_from_headers(&headers)?;
        let session = sessions.get(&id, service.now()).ok()??;
        let key = session::cookie_value(&headers, account::KEY_COOKIE);
        let passport = account::from_session(&service, &session, key.as_deref()).ok()?;
        Some((id, session, passport))
    })
    .await
    .ok()
    .flatten()
}

/// A signed-in POST: the session, with its CSRF token checked against the form's.
async fn signed_in_post(
    state: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> Result<(String, Session, Passport), Response> {
    if !same_origin(state, headers) {
        return Err(message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            MESSAGES.forbidden,
            vec![],
            true,
        ));
    }
    let Some((id, session, passport)) = signed_in(state, headers).await else {
        return Err(see_other("/passport"));
    };
    if !session::csrf_ok(&session, csrf) {
        return Err(message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            MESSAGES.forbidden,
            vec![],
            true,
        ));
    }
    Ok((id, session, passport))
}

/// Starts a session for `passport` and sets both cookies on `response`.
fn with_session(state: &AppState, passport: &Passport, mut response: Response) -> Response {
    let config = config();
    match account::start_session(&state.service, &config, passport) {
        Ok((id, _, key)) => {
            let sessions = account::sessions(&state.service, &config);
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, sessions.cookie(&id));
            headers.append(
                header::SET_COOKIE,
                cookie(
                    account::KEY_COOKIE,
                    &key,
                    config.session_ttl.num_seconds(),
                    secure(state),
                ),
            );
            response
        }
        Err(e) => problem(e),
    }
}

fn too_many() -> Response {
    let mut r = sign_in_page(
        StatusCode::TOO_MANY_REQUESTS,
        Some(MESSAGES.too_many.into()),
        None,
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    r
}

// ----------------------------------------------------------------------------------------
// Handlers
// ----------------------------------------------------------------------------------------

/// `GET /passport`: the passport, or the sign-in page.
async fn show(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match signed_in(&state, &headers).await {
        Some((_, session, passport)) => passport_page(&state, &session, &passport, None).await,
        None => sign_in_page(StatusCode::OK, None, None),
    }
}

/// Renders the signed-in page (with a share just made).
async fn passport_page(
    state: &AppState,
    session: &Session,
    passport: &Passport,
    new_share: Option<NewShareView>,
) -> Response {
    let service = state.service.clone();
    let held = match passport.credentials(&service) {
        Ok(h) => h,
        Err(e) => return problem(e),
    };
    let checked = match super::page::checked_sections(
        state,
        held.iter().map(|h| h.credential.clone()).collect(),
        MESSAGES.locale,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return problem(PassportError::Internal(e)),
    };
    let mut groups: Vec<Group> = Vec::new();
    for (h, (verdict, title, _)) in held.iter().zip(checked) {
        let institution = held::issuer_name(&h.credential);
        let level = held::level_words(&h.credential);
        let words = level
            .as_ref()
            .map_or(MESSAGES.no_level.to_owned(), |l| l.words.clone());
        let item = Item {
            entry: h.entry.clone(),
            name: held::achievement_name(&h.credential).unwrap_or_else(|| "—".into()),
            status: title,
            status_class: match verdict {
                super::page::Verdict::Genuine => "ok",
                super::page::Verdict::Suspended
                | super::page::Verdict::Expired
                | super::page::Verdict::NotYetValid
                | super::page::Verdict::IssuerUnknown
                | super::page::Verdict::CannotCheck
                | super::page::Verdict::NotFound => "warn",
                _ => "bad",
            },
            added: h.added.format("%Y-%m-%d").to_string(),
            source: if h.source == "claim" {
                MESSAGES.from_claim
            } else {
                MESSAGES.from_import
            },
        };
        let group = match groups.iter_mut().position(|g| g.institution == institution) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(Group {
                    institution,
                    levels: Vec::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        match group.levels.iter_mut().find(|l| l.words == words) {
            Some(l) => l.items.push(item),
            None => group.levels.push(LevelGroup {
                words,
                references: level.map(|l| l.references).unwrap_or_default(),
                items: vec![item],
            }),
        }
    }
    let shares = match shares::list(passport, &service) {
        Ok(s) => s,
        Err(e) => return problem(e),
    };
    let config = config();
    let page = PassportPage {
        m: MESSAGES,
        csrf: session.csrf.clone(),
        holder: passport.holder().to_owned(),
        groups,
        shares: shares
            .into_iter()
            .map(|s| ShareItem {
                id: s.id,
                url: s.url,
                state: s.state,
                active: s.state == "active",
                expires: s.expires.format("%Y-%m-%d %H:%M UTC").to_string(),
                opened: s
                    .opened
                    .iter()
                    .map(|o| o.format("%Y-%m-%d %H:%M UTC").to_string())
                    .collect(),
                credentials: s.credentials,
                note: s.note,
            })
            .collect(),
        new_share,
        default_days: config.share_ttl.num_days(),
        max_days: config.max_share_ttl.num_days(),
    };
    html(StatusCode::OK, askama::Template::render(&page))
}

/// Claims `offer` (its code checked again) into `passport`.
async fn claim_into(
    state: &AppState,
    passport: &Passport,
    offer_id: &str,
    code: &str,
) -> Result<(), Response> {
    let code = (!code.is_empty()).then_some(code);
    if let Err(e) = offer::check_code(&state.service, &state.wallet, offer_id, code).await {
        return Err(message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            &e.to_string(),
            vec![],
            false,
        ));
    }
    held::claim(passport, &state.service, offer_id)
        .await
        .map(|_| ())
        .map_err(problem)
}

fn claim_of(pairs: &[(String, String)]) -> Option<(String, String)> {
    let offer = field(pairs, "offer").filter(|o| !o.is_empty())?;
    Some((
        offer.to_owned(),
        field(pairs, "code").unwrap_or("").to_owned(),
    ))
}

/// `POST /passport/signin`.
async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&state, &headers) {
        return message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            MESSAGES.forbidden,
            vec![],
            false,
        );
    }
    let form = pairs(&body);
    let name = field(&form, "name").unwrap_or("").to_owned();
    let passphrase = zeroize::Zeroizing::new(field(&form, "passphrase").unwrap_or("").to_owned());
    let claim = claim_of(&form);
    let next = next_of(&form);
    if let Some(l) = &client.limiter {
        if session::sign_in_allowed(l, client.address, &name).is_err() {
            return too_many();
        }
    }
    let service = state.service.clone();
    let lookup = name.clone();
    let result =
        tokio::task::spawn_blocking(move || account::sign_in(&service, &lookup, &passphrase))
            .await
            .unwrap_or_else(|e| Err(PassportError::Internal(e.to_string())));
    let passport = match result {
        Ok(p) => p,
        Err(PassportError::WrongSecret) => {
            if let Some(l) = &client.limiter {
                session::sign_in_failed(l, client.address, &name);
            }
            if next.is_some() {
                return sign_in_page_next(
                    StatusCode::FORBIDDEN,
                    Some(PassportError::WrongSecret.to_string()),
                    next,
                );
            }
            return sign_in_page(
                StatusCode::FORBIDDEN,
                Some(PassportError::WrongSecret.to_string()),
                claim,
            );
        }
        Err(e) => return problem(e),
    };
    if let Some((offer, code)) = &claim {
        if let Err(r) = claim_into(&state, &passport, offer, code).await {
            return with_session(&state, &passport, r);
        }
    }
    let to = next.unwrap_or_else(|| "/passport".to_owned());
    with_session(&state, &passport, see_other(&to))
}

/// `POST /passport/create`.
async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if !same_origin(&state, &headers) {
        return message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            MESSAGES.forbidden,
            vec![],
            false,
        );
    }
    let form = pairs(&body);
    let claim = claim_of(&form);
    let name = field(&form, "name").unwrap_or("");
    let passphrase = field(&form, "passphrase").unwrap_or("");
    if Some(passphrase) != field(&form, "passphrase2") {
        return sign_in_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("the two passphrases differ".into()),
            claim,
        );
    }
    let (passport, code) = match account::create(&state.service, name, passphrase).await {
        Ok(made) => made,
        Err(e @ (PassportError::BadInput(_) | PassportError::NameTaken)) => {
            return sign_in_page(StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string()), claim)
        }
        Err(e) => return problem(e),
    };
    if let Some((offer, c)) = &claim {
        if let Err(r) = claim_into(&state, &passport, offer, c).await {
            return with_session(&state, &passport, r);
        }
    }
    let page = RecoveryPage {
        m: MESSAGES,
        code: code.to_string(),
    };
    with_session(
        &state,
        &passport,
        html(StatusCode::CREATED, askama::Template::render(&page)),
    )
}

/// `POST /passport/recover`.
async fn recover(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&state, &headers) {
        return message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            MESSAGES.forbidden,
            vec![],
            false,
        );
    }
    let form = pairs(&body);
    let name = field(&form, "name").unwrap_or("").to_owned();
    if let Some(l) = &client.limiter {
        if session::sign_in_allowed(l, client.address, &name).is_err() {
            return too_many();
        }
    }
    let code = field(&form, "code").unwrap_or("");
    let passphrase = field(&form, "passphrase").unwrap_or("");
    match account::recover(&state.service, &name, code, passphrase).await {
        Ok((passport, new_code)) => {
            let page = RecoveryPage {
                m: MESSAGES,
                code: new_code.to_string(),
            };
            with_session(
                &state,
                &passport,
                html(StatusCode::OK, askama::Template::render(&page)),
            )
        }
        Err(PassportError::WrongRecoveryCode) => {
            if let Some(l) = &client.limiter {
                session::sign_in_failed(l, client.address, &name);
            }
            sign_in_page(
                StatusCode::FORBIDDEN,
                Some(PassportError::WrongRecoveryCode.to_string()),
                None,
            )
        }
        Err(e @ PassportError::BadInput(_)) => {
            sign_in_page(StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string()), None)
        }
        Err(e) => problem(e),
    }
}

fn clear_cookies(state: &AppState, mut response: Response) -> Response {
    let sessions = account::sessions(&state.service, &config());
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, sessions.clear_cookie());
    headers.append(
        header::SET_COOKIE,
        cookie(account::KEY_COOKIE, "", 0, secure(state)),
    );
    response
}

/// `POST /passport/signout`.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = pairs(&body);
    let (id, _, _) = match signed_in_post(&state, &headers, field(&form, "csrf")).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = account::sessions(&state.service, &config()).end(&id) {
        return problem(e.into());
    }
    clear_cookies(&state, see_other("/passport"))
}

/// `POST /passport/import` (multipart: `csrf`, `file` or `link`).
async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let mut csrf = None;
    let mut file: Option<Bytes> = None;
    let mut link = None;
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(f)) = multipart.next_field().await {
            let name = f.name().unwrap_or("").to_owned();
            let Ok(bytes) = f.bytes().await else { break };
            match name.as_str() {
                "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
                "file" if !bytes.is_empty() => file = Some(bytes),
                "link" => link = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
                _ => {}
            }
        }
    }
    let (_, session, passport) = match signed_in_post(&state, &headers, csrf.as_deref()).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = match (file, link.filter(|l| !l.is_empty())) {
        (Some(bytes), _) => held::import_file(&passport, &state.service, &bytes).await,
        (None, Some(link)) => held::import_link(&passport, &state.service, &link).await,
        (None, None) => Err(PassportError::BadInput(
            "choose a credential file or paste a link".into(),
        )),
    };
    match result {
        Ok(_) => passport_page(&state, &session, &passport, None).await,
        Err(e) => problem(e),
    }
}

/// `POST /passport/shares` (`csrf`, `credential`…, `days`, `note`).
async fn make_share(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = pairs(&body);
    let (_, session, passport) = match signed_in_post(&state, &headers, field(&form, "csrf")).await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let entries: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "credential")
        .map(|(_, v)| v.clone())
        .collect();
    let days = match field(&form, "days")
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => match d.parse::<i64>() {
            Ok(d) => Some(d),
            Err(_) => {
                return problem(PassportError::BadInput(
                    "days must be a whole number".into(),
                ))
            }
        },
    };
    match shares::create(
        &passport,
        &state.service,
        &config(),
        &entries,
        days,
        field(&form, "note"),
    )
    .await
    {
        Ok(new) => {
            let qr = crate::qr::svg(&new.url).ok().map(|svg| {
                format!(
                    "data:image/svg+xml;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(svg)
                )
            });
            let view = NewShareView {
                url: new.url,
                qr,
                expires: new.expires.format("%Y-%m-%d %H:%M UTC").to_string(),
            };
            passport_page(&state, &session, &passport, Some(view)).await
        }
        Err(e) => problem(e),
    }
}

/// `POST /passport/shares/{share}/withdraw`.
async fn withdraw(
    State(state): State<AppState>,
    Path(share): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = pairs(&body);
    let (_, _, passport) = match signed_in_post(&state, &headers, field(&form, "csrf")).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match shares::withdraw(&passport, &state.service, &share).await {
        Ok(()) => see_other("/passport"),
        Err(e) => problem(e),
    }
}

/// `GET /passport/export`: everything as one presentation signed by the holder key.
async fn export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((_, _, passport)) = signed_in(&state, &headers).await else {
        return see_other("/passport");
    };
    let vp = match held::export(&passport, &state.service) {
        Ok(vp) => vp,
        Err(e) => return problem(e),
    };
    let body = serde_json::to_vec_pretty(&vp).unwrap_or_default();
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"skillpass-passport.json\""),
    );
    response
}

/// `POST /passport/delete` (`csrf`, `confirm` = `DELETE`).
async fn delete(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = pairs(&body);
    let (id, _, passport) = match signed_in_post(&state, &headers, field(&form, "csrf")).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if field(&form, "confirm").map(str::trim) != Some("DELETE") {
        return problem(PassportError::BadInput("type DELETE to confirm".into()));
    }
    if let Err(e) = passport::account::delete(&state.service, passport).await {
        return problem(e);
    }
    let _ = account::sessions(&state.service, &config()).end(&id);
    clear_cookies(
        &state,
        message(
            StatusCode::OK,
            MESSAGES.delete_title,
            MESSAGES.deleted,
            vec![],
            false,
        ),
    )
}

/// `POST /passport/claim/{offer}` (`code`): from the claim page, "Keep in my skillpass
/// passport". Signed in: claims at once; otherwise the sign-in page carries the claim.
async fn claim(
    State(state): State<AppState>,
    Path(offer_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&state, &headers) {
        return message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            MESSAGES.forbidden,
            vec![],
            false,
        );
    }
    let form = pairs(&body);
    let code = field(&form, "code").unwrap_or("").to_owned();
    let checked = offer::check_code(
        &state.service,
        &state.wallet,
        &offer_id,
        (!code.is_empty()).then_some(code.as_str()),
    )
    .await;
    if let Err(e) = checked {
        return message(
            StatusCode::FORBIDDEN,
            MESSAGES.problem_title,
            &e.to_string(),
            vec![],
            false,
        );
    }
    match signed_in(&state, &headers).await {
        Some((_, _, passport)) => match claim_into(&state, &passport, &offer_id, &code).await {
            Ok(()) => see_other("/passport"),
            Err(r) => r,
        },
        None => sign_in_page(StatusCode::OK, None, Some((offer_id, code))),
    }
}

/// The share page's query: the reader's framework.
#[derive(Debug, Deserialize)]
struct ShareQuery {
    framework: Option<String>,
}

/// `GET /share/{share}`: the employer's view of a share, in the reader's language (the switch
/// links are relative and keep the other query parameters); 410 with nothing about the
/// learner when it is gone.
async fn share_page(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    Query(q): Query<ShareQuery>,
    reader: ReaderLang,
) -> Response {
    let lang = reader.negotiate(None);
    let m = messages::share(lang);
    let opened = match shares::open(&state.service, &secret).await {
        Ok(o) => o,
        Err(PassportError::UnknownShare) => {
            let page = GonePage {
                m,
                switch: LangSwitch::new(lang, "", reader.query.as_deref()),
            };
            return reader.finish(
                lang,
                html(StatusCode::GONE, askama::Template::render(&page)),
            );
        }
        Err(e) => return problem(e),
    };
    let vp = opened.presentation;
    let credentials: Vec<Value> = match vp.get("verifiableCredential") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    let holder = vp
        .get("holder")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let service = state.service.clone();
    let doc = vp.clone();
    let share_id = opened.id.clone();
    let domain = crate::wallet::exchange::domain(&service);
    let signature_ok = tokio::task::spawn_blocking(move || {
        crate::proof::verify_proofs(
            &doc,
            &crate::did::DidKeyResolver,
            service.contexts(),
            service.now(),
        )
        .map(|proofs| {
            !proofs.is_empty()
                && proofs.iter().all(|p| {
                    p.holds()
                        && p.controller.as_deref() == doc.get("holder").and_then(Value::as_str)
                        && p.challenge.as_deref() == Some(share_id.as_str())
                        && p.domain.contains(&domain)
                })
        })
        .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    let all_bound = credentials.iter().all(|c| {
        super::page::view::first_object(c.get("credentialSubject"))
            .and_then(|s| s.get("id"))
            .and_then(Value::as_str)
            == Some(holder.as_str())
    });
    let sections = match super::page::checked_sections(&state, credentials.clone(), lang).await {
        Ok(s) => s.into_iter().map(|(_, _, html)| html).collect(),
        Err(e) => return problem(PassportError::Internal(e)),
    };
    let registry = FrameworkRegistry::bundled();
    let picked = q.framework.filter(|f| registry.framework(f).is_some());
    let mut frameworks: Vec<FrameworkChoice> = registry
        .ids()
        .filter_map(|id| registry.framework(id))
        .map(|f| FrameworkChoice {
            id: f.id.clone(),
            name: f.name.clone(),
            selected: picked.as_deref() == Some(f.id.as_str()),
        })
        .collect();
    frameworks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut meanings = Vec::new();
    if let Some(fw) = &picked {
        for c in &credentials {
            let options = super::verification::options(&state.service, None, None);
            let doc = c.clone();
            let fw = fw.clone();
            let result = tokio::task::spawn_blocking(move || {
                crate::decision::recognise(&doc, &fw, FrameworkRegistry::bundled(), &options)
            })
            .await;
            let achievement = held::achievement_name(c).unwrap_or_else(|| "—".into());
            meanings.push(match result {
                Ok(Ok(r)) => Meaning {
                    achievement,
                    summary: r.decision.summary.clone(),
                    levels: r
                        .decision
                        .recognised_levels
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    credits: r
                        .decision
                        .credits
                        .as_ref()
                        .map(|c| format!("{} {}", c.awarded, c.system)),
                    conditions: r.decision.conditions.clone(),
                },
                Ok(Err(e)) => Meaning {
                    achievement,
                    summary: format!("{}: {e}", m.meaning_undecided),
                    levels: vec![],
                    credits: None,
                    conditions: vec![],
                },
                Err(e) => return problem(PassportError::Internal(e.to_string())),
            });
        }
    }
    let page = SharePage {
        m,
        switch: LangSwitch::new(lang, "", reader.query.as_deref()),
        note: opened.note,
        expires: opened.expires.format("%Y-%m-%d %H:%M UTC").to_string(),
        holder,
        signature_ok,
        all_bound,
        sections,
        frameworks,
        meanings,
    };
    reader.finish(lang, html(StatusCode::OK, askama::Template::render(&page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_read_with_repeated_names() {
        let p = pairs(b"credential=a&credential=b&note=hello+world%21&x=%zz&empty=");
        let creds: Vec<&str> = p
            .iter()
            .filter(|(k, _)| k == "credential")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(creds, ["a", "b"]);
        assert_eq!(field(&p, "note"), Some("hello world!"));
        assert_eq!(field(&p, "x"), Some("%zz"));
        assert_eq!(field(&p, "empty"), Some(""));
    }
}
