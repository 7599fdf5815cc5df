//! The learner's passport pages (`/passport…`) and the share page (`/share/{share}`): thin
//! handlers over [`crate::passport`]. HTML forms only, no JavaScript, phone first.
//!
//! Signed-in requests carry two cookies (path `/passport`): the session id of
//! [`crate::session`] and the session key that unwraps the passport's data key. Every POST of a
//! signed-in page carries the session's CSRF token; a POST whose `Origin` is another site is
//! refused. Sign-in and recovery failures count against the failed-authentication limit
//! (per address and per sign-in name) and are answered 429 when it is used up. A request that
//! needs a session and has none is sent to `/passport` (303), never answered 401.
//!
//! Every page is in the reader's language ([`crate::i18n`]: `?lang=`, the `lang` cookie,
//! `Accept-Language`; the issuer's country when a claim brings the learner here; English),
//! with the language switch, `<html lang>`, `Content-Language` and `Vary`. The words are the
//! `passport-…` and `share-…` messages of `locales/<tag>/passport.ftl`.

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
use crate::i18n::levels::level_name;
use crate::i18n::{self, Arg, Lang, LangSwitch};
use crate::passport::{
    self, account, held, shares, InputProblem, Passport, PassportConfig, PassportError,
};
use crate::session::{self, Session};
use crate::wallet::offer;

mod answer;
mod messages;
mod view;

use view::*;

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
        .route("/passport/credentials/{entry}/remove", post(remove))
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

/// The reader of one response: the page's language and its switch.
struct Reader {
    lang: Lang,
    switch: LangSwitch,
    asked: ReaderLang,
}

impl Reader {
    /// A page got with GET: the switch links to this page in each language.
    fn get(asked: ReaderLang, issuer_default: Option<Lang>) -> Reader {
        let lang = asked.negotiate(issuer_default);
        Reader {
            lang,
            switch: asked.switch(lang),
            asked,
        }
    }

    /// The answer to a form (POST): the switch links to `back`, a page that can be got.
    fn post(asked: ReaderLang, back: &str, issuer_default: Option<Lang>) -> Reader {
        let lang = asked.negotiate(issuer_default);
        Reader {
            lang,
            switch: LangSwitch::new(lang, back, None),
            asked,
        }
    }

    fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }
}

/// A rendered page with the passport's headers and the reader's language.
fn page(reader: &Reader, status: StatusCode, body: askama::Result<String>) -> Response {
    reader.asked.finish(reader.lang, html(status, body))
}

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
    reader: &Reader,
    status: StatusCode,
    title: &str,
    text: &str,
    reasons: Vec<String>,
    back: bool,
) -> Response {
    page(
        reader,
        status,
        askama::Template::render(&MessagePage {
            lang: reader.lang,
            switch: reader.switch.clone(),
            title: title.to_owned(),
            text: text.to_owned(),
            reasons,
            back,
        }),
    )
}

/// "That did not work", with `text`.
fn refused(reader: &Reader, status: StatusCode, text: &str, back: bool) -> Response {
    message(
        reader,
        status,
        &reader.t("passport-problem-title"),
        text,
        vec![],
        back,
    )
}

/// A form from another site's page, or without its CSRF token.
fn forbidden(reader: &Reader, back: bool) -> Response {
    refused(
        reader,
        StatusCode::FORBIDDEN,
        &reader.t("passport-forbidden"),
        back,
    )
}

fn sign_in_page(
    reader: &Reader,
    status: StatusCode,
    problem: Option<String>,
    claim: Option<(String, String)>,
) -> Response {
    sign_in_form(reader, status, problem, claim, None)
}

/// The sign-in page that goes on to `next` (a passport page, [`next_of`]) once signed in.
fn sign_in_page_next(
    reader: &Reader,
    status: StatusCode,
    problem: Option<String>,
    next: Option<String>,
) -> Response {
    sign_in_form(reader, status, problem, None, next)
}

fn sign_in_form(
    reader: &Reader,
    status: StatusCode,
    problem: Option<String>,
    claim: Option<(String, String)>,
    next: Option<String>,
) -> Response {
    // A waiting claim stays waiting in another language: the switch posts it again.
    let claim_switch = claim
        .as_ref()
        .and_then(|(offer, _)| claim_switch(reader.lang, offer));
    page(
        reader,
        status,
        askama::Template::render(&SignInPage {
            lang: reader.lang,
            claim_switch: claim_switch.is_some(),
            switch: claim_switch.unwrap_or_else(|| reader.switch.clone()),
            problem,
            claim,
            next,
            min_passphrase: account::MIN_PASSPHRASE,
            passphrase_hint: reader.lang.t_args(
                "passport-passphrase-hint",
                &[("min", Arg::from(account::MIN_PASSPHRASE as u64))],
            ),
        }),
    )
}

/// The switch of a sign-in page that carries a claim of `offer`: each language is a form that
/// posts the claim again to `/passport/claim/{offer}?lang=…` (the offer's id is in that URL
/// already, as on the claim page's form; its one-time code goes in the form's body, never in a
/// URL), so the claim stays waiting. `None` for an id that is not a plain path segment.
fn claim_switch(lang: Lang, offer: &str) -> Option<LangSwitch> {
    (!offer.is_empty()
        && offer
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| LangSwitch::new(lang, &format!("/passport/claim/{offer}"), None))
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

/// What the learner typed or picked that does not do, in the reader's language.
fn input_words(lang: Lang, problem: &InputProblem) -> String {
    let n = |id: &str, name: &str, value: u64| lang.t_args(id, &[(name, Arg::from(value))]);
    match problem {
        InputProblem::NameLength => lang.t("passport-error-name-length"),
        InputProblem::PassphraseShort(min) => {
            n("passport-error-passphrase-short", "min", *min as u64)
        }
        InputProblem::PassphraseLong => lang.t("passport-error-passphrase-long"),
        InputProblem::NoLink => lang.t("passport-error-no-link"),
        InputProblem::NothingPicked => lang.t("passport-error-nothing-picked"),
        InputProblem::ShareDays(max) => n(
            "passport-error-share-days",
            "max",
            u64::try_from(*max).unwrap_or(0),
        ),
        InputProblem::NoteLong(max) => n("passport-error-note-long", "max", *max as u64),
        InputProblem::Other(why) => lang.t_args(
            "passport-error-claim-failed",
            &[("reason", Arg::from(why.as_str()))],
        ),
    }
}

/// A passport error the learner can act on, in the reader's language; `None` for the ones
/// that are the service's fault.
fn error_words(lang: Lang, e: &PassportError) -> Option<String> {
    Some(match e {
        PassportError::WrongSecret => lang.t("passport-error-wrong-secret"),
        PassportError::WrongRecoveryCode => lang.t("passport-error-wrong-recovery-code"),
        PassportError::NameTaken => lang.t("passport-error-name-taken"),
        PassportError::BadInput(p) => input_words(lang, p),
        PassportError::UnknownCredential => lang.t("passport-error-unknown-credential"),
        PassportError::UnknownShare => lang.t("passport-error-unknown-share"),
        _ => return None,
    })
}

/// The page for a failed passport action.
fn problem(reader: &Reader, e: PassportError) -> Response {
    let title = reader.t("passport-problem-title");
    match e {
        PassportError::Refused(reasons) => message(
            reader,
            StatusCode::UNPROCESSABLE_ENTITY,
            &title,
            &reader.t("passport-import-refused"),
            reasons,
            true,
        ),
        PassportError::CannotCheck(why) => message(
            reader,
            StatusCode::BAD_GATEWAY,
            &title,
            &reader.t("passport-cannot-check"),
            vec![why],
            true,
        ),
        PassportError::NotSignedIn => see_other("/passport"),
        PassportError::UnknownCredential | PassportError::UnknownShare => refused(
            reader,
            StatusCode::NOT_FOUND,
            &error_words(reader.lang, &e).unwrap_or_default(),
            true,
        ),
        PassportError::BadInput(_) | PassportError::NameTaken => refused(
            reader,
            StatusCode::UNPROCESSABLE_ENTITY,
            &error_words(reader.lang, &e).unwrap_or_default(),
            true,
        ),
        other => {
            tracing::error!(error = %other, "passport action failed");
            refused(
                reader,
                StatusCode::INTERNAL_SERVER_ERROR,
                &reader.t("passport-failed"),
                true,
            )
        }
    }
}

/// A claim's offer that cannot be claimed (or whose code is wrong), in the reader's language.
fn offer_words(lang: Lang, e: &crate::wallet::WalletError) -> String {
    use crate::wallet::WalletError;
    match e {
        WalletError::UnknownOffer => lang.t("passport-claim-unknown"),
        WalletError::Expired(at) => lang.t_args(
            "passport-claim-expired",
            &[("date", Arg::from(i18n::date::date_time(lang, *at)))],
        ),
        WalletError::Withdrawn => lang.t("passport-claim-withdrawn"),
        WalletError::Claimed => lang.t("passport-claim-claimed"),
        WalletError::Locked => lang.t("passport-claim-locked"),
        WalletError::CodeRequired => lang.t("passport-claim-code-required"),
        WalletError::WrongCode { remaining } => lang.t_args(
            "passport-claim-code-wrong",
            &[("remaining", Arg::from(*remaining))],
        ),
        other => lang.t_args(
            "passport-error-claim-failed",
            &[("reason", Arg::from(other.to_string()))],
        ),
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

/// A form posted from another site's page ([`session::same_origin`]): the refusal, before
/// anything of the form is read or done; `None` when the form comes from this site. `back`:
/// whether the refusal links back to the passport (only for a signed-in reader).
fn from_another_site(
    state: &AppState,
    reader: &Reader,
    headers: &HeaderMap,
    back: bool,
) -> Option<Response> {
    (!session::same_origin(headers, state.service.public_url())).then(|| forbidden(reader, back))
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
    reader: &Reader,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> Result<(String, Session, Passport), Response> {
    if let Some(refusal) = from_another_site(state, reader, headers, true) {
        return Err(refusal);
    }
    let Some((id, session, passport)) = signed_in(state, headers).await else {
        return Err(see_other("/passport"));
    };
    if !session::csrf_ok(&session, csrf) {
        return Err(forbidden(reader, true));
    }
    Ok((id, session, passport))
}

/// Starts a session for `passport` and sets both cookies on `response`.
fn with_session(
    state: &AppState,
    reader: &Reader,
    passport: &Passport,
    mut response: Response,
) -> Response {
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
        Err(e) => problem(reader, e),
    }
}

fn too_many(reader: &Reader) -> Response {
    let mut r = sign_in_page(
        reader,
        StatusCode::TOO_MANY_REQUESTS,
        Some(reader.t("passport-too-many")),
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
async fn show(State(state): State<AppState>, asked: ReaderLang, headers: HeaderMap) -> Response {
    let reader = Reader::get(asked, None);
    match signed_in(&state, &headers).await {
        Some((_, session, passport)) => {
            passport_page(&state, &reader, &session, &passport, None).await
        }
        None => sign_in_page(&reader, StatusCode::OK, None, None),
    }
}

/// A level in the reader's language: `MQF level 4 — Diploma` (the level's name from the
/// framework data, which has it in English only).
fn level_words(lang: Lang, level: Option<&held::LevelWords>) -> String {
    let Some(level) = level else {
        return lang.t("passport-no-level");
    };
    let framework = Arg::from(level.framework.as_str());
    let code = Arg::from(level.code.as_str());
    match &level.name {
        Some(name) => lang.t_args(
            "passport-level-named",
            &[
                ("framework", framework),
                ("code", code),
                (
                    "name",
                    Arg::from(level_name(lang, &level.framework, &level.code, name)),
                ),
            ],
        ),
        None => lang.t_args(
            "passport-level",
            &[("framework", framework), ("code", code)],
        ),
    }
}

/// `AQRF level 4`, `ACQF level 4 or 5`, in the reader's language.
fn reference_words(lang: Lang, level: &held::LevelWords) -> Vec<String> {
    level
        .reference_levels
        .iter()
        .map(|(framework, codes)| {
            let code = codes
                .iter()
                .cloned()
                .reduce(|first, second| {
                    lang.t_args(
                        "passport-level-or",
                        &[("first", Arg::from(first)), ("second", Arg::from(second))],
                    )
                })
                .unwrap_or_default();
            lang.t_args(
                "passport-level",
                &[
                    ("framework", Arg::from(framework.as_str())),
                    ("code", Arg::from(code)),
                ],
            )
        })
        .collect()
}

/// Renders the signed-in page (with a share just made).
async fn passport_page(
    state: &AppState,
    reader: &Reader,
    session: &Session,
    passport: &Passport,
    new_share: Option<NewShareView>,
) -> Response {
    let service = state.service.clone();
    let held = match passport.credentials(&service) {
        Ok(h) => h,
        Err(e) => return problem(reader, e),
    };
    let lang = reader.lang;
    let checked = match super::page::checked_sections(
        state,
        held.iter().map(|h| h.credential.clone()).collect(),
        lang,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return problem(reader, PassportError::Internal(e)),
    };
    let mut groups: Vec<Group> = Vec::new();
    for (h, (verdict, title, _)) in held.iter().zip(checked) {
        let institution = held::issuer_name(&h.credential);
        let level = held::level_words(&h.credential);
        let words = level_words(lang, level.as_ref());
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
            added: lang.t_args(
                if h.source == "claim" {
                    "passport-added-claimed"
                } else {
                    "passport-added-imported"
                },
                &[(
                    "date",
                    Arg::from(i18n::date::long_date(lang, h.added.date_naive())),
                )],
            ),
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
                references: level
                    .as_ref()
                    .map(|l| reference_words(lang, l))
                    .unwrap_or_default(),
                items: vec![item],
            }),
        }
    }
    let shares = match shares::list(passport, &service) {
        Ok(s) => s,
        Err(e) => return problem(reader, e),
    };
    let config = config();
    let body = PassportPage {
        lang,
        switch: reader.switch.clone(),
        csrf: session.csrf.clone(),
        holder: passport.holder().to_owned(),
        groups,
        shares: shares
            .into_iter()
            .map(|s| ShareItem {
                id: s.id,
                url: s.url,
                state: lang.t(match s.state {
                    "active" => "passport-share-state-active",
                    "expired" => "passport-share-state-expired",
                    _ => "passport-share-state-withdrawn",
                }),
                active: s.state == "active",
                until: share_until(lang, s.expires),
                opened: if s.opened.is_empty() {
                    lang.t("passport-share-never-opened")
                } else {
                    let times: Vec<String> = s
                        .opened
                        .iter()
                        .map(|o| i18n::date::date_time(lang, *o))
                        .collect();
                    lang.t_args(
                        "passport-share-opened",
                        &[("times", Arg::from(times.join(" · ")))],
                    )
                },
                credentials: lang.t_args(
                    "passport-share-credentials",
                    &[("n", Arg::from(s.credentials as u64))],
                ),
                note: s.note,
            })
            .collect(),
        new_share,
        default_days: config.share_ttl.num_days(),
        max_days: config.max_share_ttl.num_days(),
    };
    page(reader, StatusCode::OK, askama::Template::render(&body))
}

/// "Works until 7 December 2026, 08:05 UTC" in the reader's language.
fn share_until(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    lang.t_args(
        "passport-share-until",
        &[("date", Arg::from(i18n::date::date_time(lang, at)))],
    )
}

/// Claims `offer` (its code checked again) into `passport`.
async fn claim_into(
    state: &AppState,
    reader: &Reader,
    passport: &Passport,
    offer_id: &str,
    code: &str,
) -> Result<(), Response> {
    let code = (!code.is_empty()).then_some(code);
    if let Err(e) = offer::check_code(&state.service, &state.wallet, offer_id, code).await {
        return Err(refused(
            reader,
            StatusCode::FORBIDDEN,
            &offer_words(reader.lang, &e),
            false,
        ));
    }
    held::claim(passport, &state.service, offer_id)
        .await
        .map(|_| ())
        .map_err(|e| problem(reader, e))
}

fn claim_of(pairs: &[(String, String)]) -> Option<(String, String)> {
    let offer = field(pairs, "offer").filter(|o| !o.is_empty())?;
    Some((
        offer.to_owned(),
        field(pairs, "code").unwrap_or("").to_owned(),
    ))
}

/// The language of the institution whose offer the learner is claiming, if any: the page's
/// language when the reader asks for none of ours (as on the claim page they came from).
fn offer_language(state: &AppState, offer_id: Option<&str>) -> Option<Lang> {
    let store = state.service.store();
    let offer = store.get_offer(offer_id?).ok()??;
    let institution = store.get_institution(&offer.institution).ok()??;
    Lang::for_country(&institution.country)
}

/// `POST /passport/signin`.
async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = pairs(&body);
    let claim = claim_of(&form);
    let issuer = offer_language(&state, claim.as_ref().map(|(o, _)| o.as_str()));
    let reader = Reader::post(asked, "/passport", issuer);
    if let Some(refusal) = from_another_site(&state, &reader, &headers, false) {
        return refusal;
    }
    let name = field(&form, "name").unwrap_or("").to_owned();
    let passphrase = zeroize::Zeroizing::new(field(&form, "passphrase").unwrap_or("").to_owned());
    let next = next_of(&form);
    if let Some(l) = &client.limiter {
        if session::sign_in_allowed(l, client.address, &name).is_err() {
            return too_many(&reader);
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
            let words = error_words(reader.lang, &PassportError::WrongSecret);
            if next.is_some() {
                return sign_in_page_next(&reader, StatusCode::FORBIDDEN, words, next);
            }
            return sign_in_page(&reader, StatusCode::FORBIDDEN, words, claim);
        }
        Err(e) => return problem(&reader, e),
    };
    if let Some((offer, code)) = &claim {
        if let Err(r) = claim_into(&state, &reader, &passport, offer, code).await {
            return with_session(&state, &reader, &passport, r);
        }
    }
    let to = next.unwrap_or_else(|| "/passport".to_owned());
    with_session(&state, &reader, &passport, see_other(&to))
}

/// `POST /passport/create`.
async fn create(
    State(state): State<AppState>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = pairs(&body);
    let claim = claim_of(&form);
    let issuer = offer_language(&state, claim.as_ref().map(|(o, _)| o.as_str()));
    let reader = Reader::post(asked, "/passport", issuer);
    if let Some(refusal) = from_another_site(&state, &reader, &headers, false) {
        return refusal;
    }
    let name = field(&form, "name").unwrap_or("");
    let passphrase = field(&form, "passphrase").unwrap_or("");
    if Some(passphrase) != field(&form, "passphrase2") {
        return sign_in_page(
            &reader,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(reader.t("passport-error-passphrases-differ")),
            claim,
        );
    }
    let (passport, code) = match account::create(&state.service, name, passphrase).await {
        Ok(made) => made,
        Err(e @ (PassportError::BadInput(_) | PassportError::NameTaken)) => {
            return sign_in_page(
                &reader,
                StatusCode::UNPROCESSABLE_ENTITY,
                error_words(reader.lang, &e),
                claim,
            )
        }
        Err(e) => return problem(&reader, e),
    };
    if let Some((offer, c)) = &claim {
        if let Err(r) = claim_into(&state, &reader, &passport, offer, c).await {
            return with_session(&state, &reader, &passport, r);
        }
    }
    let body = RecoveryPage {
        lang: reader.lang,
        switch: reader.switch.clone(),
        code: code.to_string(),
    };
    with_session(
        &state,
        &reader,
        &passport,
        page(
            &reader,
            StatusCode::CREATED,
            askama::Template::render(&body),
        ),
    )
}

/// `POST /passport/recover`.
async fn recover(
    State(state): State<AppState>,
    client: Client,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
    if let Some(refusal) = from_another_site(&state, &reader, &headers, false) {
        return refusal;
    }
    let form = pairs(&body);
    let name = field(&form, "name").unwrap_or("").to_owned();
    if let Some(l) = &client.limiter {
        if session::sign_in_allowed(l, client.address, &name).is_err() {
            return too_many(&reader);
        }
    }
    let code = field(&form, "code").unwrap_or("");
    let passphrase = field(&form, "passphrase").unwrap_or("");
    match account::recover(&state.service, &name, code, passphrase).await {
        Ok((passport, new_code)) => {
            let body = RecoveryPage {
                lang: reader.lang,
                switch: reader.switch.clone(),
                code: new_code.to_string(),
            };
            with_session(
                &state,
                &reader,
                &passport,
                page(&reader, StatusCode::OK, askama::Template::render(&body)),
            )
        }
        Err(PassportError::WrongRecoveryCode) => {
            if let Some(l) = &client.limiter {
                session::sign_in_failed(l, client.address, &name);
            }
            sign_in_page(
                &reader,
                StatusCode::FORBIDDEN,
                error_words(reader.lang, &PassportError::WrongRecoveryCode),
                None,
            )
        }
        Err(e @ PassportError::BadInput(_)) => sign_in_page(
            &reader,
            StatusCode::UNPROCESSABLE_ENTITY,
            error_words(reader.lang, &e),
            None,
        ),
        Err(e) => problem(&reader, e),
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
async fn sign_out(
    State(state): State<AppState>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
    let form = pairs(&body);
    let (id, _, _) = match signed_in_post(&state, &reader, &headers, field(&form, "csrf")).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = account::sessions(&state.service, &config()).end(&id) {
        return problem(&reader, e.into());
    }
    clear_cookies(&state, see_other("/passport"))
}

/// `POST /passport/import` (multipart: `csrf`, `file` or `link`).
async fn import(
    State(state): State<AppState>,
    asked: ReaderLang,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
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
    let (_, session, passport) =
        match signed_in_post(&state, &reader, &headers, csrf.as_deref()).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    let result = match (file, link.filter(|l| !l.is_empty())) {
        (Some(bytes), _) => held::import_file(&passport, &state.service, &bytes).await,
        (None, Some(link)) => held::import_link(&passport, &state.service, &link).await,
        (None, None) => {
            return refused(
                &reader,
                StatusCode::UNPROCESSABLE_ENTITY,
                &reader.t("passport-import-choose"),
                true,
            )
        }
    };
    match result {
        Ok(_) => passport_page(&state, &reader, &session, &passport, None).await,
        Err(e) => problem(&reader, e),
    }
}

/// `POST /passport/shares` (`csrf`, `credential`…, `days`, `note`).
async fn make_share(
    State(state): State<AppState>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
    let form = pairs(&body);
    let (_, session, passport) =
        match signed_in_post(&state, &reader, &headers, field(&form, "csrf")).await {
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
                return refused(
                    &reader,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &reader.t("passport-error-days-number"),
                    true,
                )
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
                until: share_until(reader.lang, new.expires),
            };
            passport_page(&state, &reader, &session, &passport, Some(view)).await
        }
        Err(e) => problem(&reader, e),
    }
}

/// `POST /passport/shares/{share}/withdraw`.
async fn withdraw(
    State(state): State<AppState>,
    Path(share): Path<String>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
    let form = pairs(&body);
    let (_, _, passport) =
        match signed_in_post(&state, &reader, &headers, field(&form, "csrf")).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    match shares::withdraw(&passport, &state.service, &share).await {
        Ok(()) => see_other("/passport"),
        Err(e) => problem(&reader, e),
    }
}

/// `POST /passport/credentials/{entry}/remove` (`csrf`): takes one credential out of the
/// passport and withdraws the shares that show it; 404 when the passport holds no such entry
/// (removed already, or another passport's).
async fn remove(
    State(state): State<AppState>,
    Path(entry): Path<String>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
    let form = pairs(&body);
    let (_, _, passport) =
        match signed_in_post(&state, &reader, &headers, field(&form, "csrf")).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    match held::remove(&passport, &state.service, &entry).await {
        Ok(withdrawn) => {
            let mut notes = Vec::new();
            if withdrawn > 0 {
                notes.push(reader.lang.t_args(
                    "passport-removed-shares",
                    &[("n", Arg::from(withdrawn as u64))],
                ));
            }
            message(
                &reader,
                StatusCode::OK,
                &reader.t("passport-removed-title"),
                &reader.t("passport-removed"),
                notes,
                true,
            )
        }
        Err(PassportError::UnknownCredential) => refused(
            &reader,
            StatusCode::NOT_FOUND,
            &reader.t("passport-remove-gone"),
            true,
        ),
        Err(e) => problem(&reader, e),
    }
}

/// `GET /passport/export`: everything as one presentation signed by the holder key.
async fn export(State(state): State<AppState>, asked: ReaderLang, headers: HeaderMap) -> Response {
    let Some((_, _, passport)) = signed_in(&state, &headers).await else {
        return see_other("/passport");
    };
    let vp = match held::export(&passport, &state.service) {
        Ok(vp) => vp,
        Err(e) => return problem(&Reader::post(asked, "/passport", None), e),
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

/// `POST /passport/delete` (`csrf`, `confirm` = `DELETE`: the same word in every language,
/// shown on the page as the word to type).
async fn delete(
    State(state): State<AppState>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", None);
    let form = pairs(&body);
    let (id, _, passport) =
        match signed_in_post(&state, &reader, &headers, field(&form, "csrf")).await {
            Ok(s) => s,
            Err(r) => return r,
        };
    if field(&form, "confirm").map(str::trim) != Some("DELETE") {
        return refused(
            &reader,
            StatusCode::UNPROCESSABLE_ENTITY,
            &reader.t("passport-delete-not-confirmed"),
            true,
        );
    }
    if let Err(e) = passport::account::delete(&state.service, passport).await {
        return problem(&reader, e);
    }
    let _ = account::sessions(&state.service, &config()).end(&id);
    clear_cookies(
        &state,
        message(
            &reader,
            StatusCode::OK,
            &reader.t("passport-delete-title"),
            &reader.t("passport-deleted"),
            vec![],
            false,
        ),
    )
}

/// `POST /passport/claim/{offer}` (`code`): from the claim page, "Keep in my skillpass
/// passport". Signed in: claims at once; otherwise the sign-in page carries the claim. The
/// pages are in the issuing institution's language when the reader asks for none of ours.
async fn claim(
    State(state): State<AppState>,
    Path(offer_id): Path<String>,
    asked: ReaderLang,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reader = Reader::post(asked, "/passport", offer_language(&state, Some(&offer_id)));
    if let Some(refusal) = from_another_site(&state, &reader, &headers, false) {
        return refusal;
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
        return refused(
            &reader,
            StatusCode::FORBIDDEN,
            &offer_words(reader.lang, &e),
            false,
        );
    }
    match signed_in(&state, &headers).await {
        Some((_, _, passport)) => {
            match claim_into(&state, &reader, &passport, &offer_id, &code).await {
                Ok(()) => see_other("/passport"),
                Err(r) => r,
            }
        }
        None => sign_in_page(&reader, StatusCode::OK, None, Some((offer_id, code))),
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
    asked: ReaderLang,
) -> Response {
    let reader = Reader::get(asked, None);
    let lang = reader.lang;
    let m = messages::share(lang);
    // Relative links: the share's path holds its secret, which the page need not repeat.
    let switch = || LangSwitch::new(lang, "", reader.asked.query.as_deref());
    let opened = match shares::open(&state.service, &secret).await {
        Ok(o) => o,
        Err(PassportError::UnknownShare) => {
            let body = GonePage {
                m,
                switch: switch(),
            };
            return page(&reader, StatusCode::GONE, askama::Template::render(&body));
        }
        Err(e) => return problem(&reader, e),
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
        Err(e) => return problem(&reader, PassportError::Internal(e)),
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
                    summary: crate::i18n::recognition::summary(lang, &r.decision).text,
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
                    conditions: crate::i18n::recognition::conditions(lang, &r.decision)
                        .into_iter()
                        .map(|c| c.text)
                        .collect(),
                },
                Ok(Err(e)) => Meaning {
                    achievement,
                    summary: format!("{}: {e}", m.meaning_undecided),
                    levels: vec![],
                    credits: None,
                    conditions: vec![],
                },
                Err(e) => return problem(&reader, PassportError::Internal(e.to_string())),
            });
        }
    }
    let body = SharePage {
        m,
        switch: switch(),
        note: opened.note,
        expires: i18n::date::date_time(lang, opened.expires),
        holder,
        signature_ok,
        all_bound,
        sections,
        frameworks,
        meanings,
    };
    page(&reader, StatusCode::OK, askama::Template::render(&body))
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
