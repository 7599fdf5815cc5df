//! The institution console (`/console/...`): HTML pages for institution staff and the node's
//! operators, server-rendered, working without JavaScript. Handlers only parse the form, check
//! the session, the CSRF token and the role, call [`crate::console`] or the service, and render
//! a template (`templates/console/`); every word comes from `locales/*/console.ftl`.
//!
//! - Sign-in (`POST /console/sign-in`) checks an Argon2id password ([`accounts::sign_in`])
//!   under the failed-authentication limit ([`session::sign_in_allowed`]) and starts a
//!   session ([`crate::session`], realm [`CONSOLE`]).
//! - Every other page needs a session: without one it answers 303 to the sign-in page.
//! - Every POST needs the session's CSRF token (`csrf` field): without it, 403.
//! - A credential of another institution is 404, as in the API; a role that may not do a thing
//!   is 403 ([`Role`]).

use std::net::IpAddr;
use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::lang::ReaderLang;
use super::{Admin, ApiError, AppState, AuthLimiter, Json};
use crate::console::accounts;
use crate::console::search::{self, Query as SearchQuery, Status};
use crate::console::{Account, Role};
use crate::i18n::Lang;
use crate::service::{ServiceError, StatusAction, StatusChange};
use crate::session::{self, Realm, Session, Sessions};
use crate::store::Institution;

mod claims;
mod issue;
mod operator;
mod view;

use view::*;

/// The console's sessions: cookie `skillpass-console` on `/console`.
pub const CONSOLE: Realm = Realm {
    name: "console",
    cookie: "skillpass-console",
    path: "/console",
};

/// Rows shown per search page.
const SHOWN: usize = 50;

/// No scripts, nothing external, forms that post only here, no framing.
const CONSOLE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/console") }))
        .route("/console", get(home))
        .route("/console/sign-in", get(sign_in_page).post(sign_in))
        .route("/console/sign-out", post(sign_out))
        .route("/console/credentials", get(credentials))
        .route("/console/credentials/{id}", get(credential))
        .route("/console/credentials/{id}/status", post(change_status))
        .route("/console/audit", get(audit))
        .route(
            "/console/institutions/{id}/keys",
            post(operator::rotate_key),
        )
        .route("/console/claim-sheet", post(claims::claim_sheet))
        .route("/console/institutions", post(operator::register))
        .route(
            "/console/institutions/{id}/registry",
            post(operator::add_to_registry),
        )
        .route("/admin/staff", post(create_staff))
        .merge(issue::routes())
}

fn sessions(state: &AppState) -> Sessions {
    Sessions::new(
        state.service.store().clone(),
        CONSOLE,
        state.service.public_url(),
    )
}

/// A page with the console's headers: HTML, never cached, the policy above.
fn page(status: StatusCode, lang: Lang, template: &impl Template) -> Response {
    let body = match template.render() {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "console page did not render");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONSOLE_CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    response
}

/// An error page: `message` is a message id of console.ftl.
fn problem(status: StatusCode, lang: Lang, message: &str) -> Response {
    page(
        status,
        lang,
        &ErrorPage {
            lang,
            heading: lang.t(message),
            detail: None,
        },
    )
}

fn internal(lang: Lang, cause: impl std::fmt::Display) -> Response {
    tracing::error!(error = %cause, "console request failed");
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        "console-error-internal",
    )
}

/// Runs blocking store or Argon2 work off the async runtime.
async fn blocking<T: Send + 'static, E: std::fmt::Display + Send + 'static>(
    lang: Lang,
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(internal(lang, e)),
        Err(e) => Err(internal(lang, e)),
    }
}

/// A signed-in person: the account as it is now, and the session.
pub struct Staff {
    pub account: Account,
    pub session: Session,
    pub lang: Lang,
    /// Whether the request's `Origin`, if any, is this service ([`session::same_origin`]).
    same_origin: bool,
}

impl Staff {
    fn nav(&self) -> Nav {
        Nav {
            email: self.account.email.clone(),
            role: self.account.role,
            role_word: self
                .lang
                .t(&format!("console-role-{}", self.account.role.name())),
            csrf: self.session.csrf.clone(),
        }
    }

    /// The 403 page unless the form carries this session's CSRF token and comes from this
    /// service; `None` when it may go on.
    fn refuse_form(&self, presented: Option<&str>) -> Option<Response> {
        if !self.same_origin {
            return Some(problem(
                StatusCode::FORBIDDEN,
                self.lang,
                "console-error-origin",
            ));
        }
        if session::csrf_ok(&self.session, presented) {
            None
        } else {
            Some(problem(
                StatusCode::FORBIDDEN,
                self.lang,
                "console-error-csrf",
            ))
        }
    }

    /// The staff member's institution; 403 for an operator.
    async fn institution(&self, state: &AppState) -> Result<Institution, Response> {
        let Some(id) = self.account.institution.clone() else {
            return Err(problem(
                StatusCode::FORBIDDEN,
                self.lang,
                "console-error-role",
            ));
        };
        let service = state.service.clone();
        blocking(self.lang, move || service.institution(&id)).await
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = ReaderLang::from_request_parts(parts, state)
            .await
            .map(|r| r.negotiate(None))
            .unwrap_or(Lang::En);
        let sessions = sessions(state);
        let service = state.service.clone();
        let headers = parts.headers.clone();
        let same_origin = session::same_origin(&headers, state.service.public_url());
        let found = blocking(lang, move || {
            let now = service.now();
            let Some(session) = sessions.from_headers(&headers, now)? else {
                return Ok(None);
            };
            let account = accounts::current(&**service.store(), &session.subject)?;
            Ok::<_, crate::store::StoreError>(account.map(|a| (a, session)))
        })
        .await?;
        match found {
            Some((account, session)) => Ok(Staff {
                account,
                session,
                lang,
                same_origin,
            }),
            None => Err(Redirect::to("/console/sign-in").into_response()),
        }
    }
}

fn lang_of(reader: &ReaderLang) -> Lang {
    reader.negotiate(None)
}

async fn home(State(state): State<AppState>, staff: Staff) -> Response {
    let lang = staff.lang;
    if staff.account.role == Role::Operator {
        return operator_page(&state, &staff).await;
    }
    let institution = match staff.institution(&state).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let store = state.service.store().clone();
    let id = institution.id.clone();
    let loaded = blocking(lang, move || {
        let rows = search::rows(&*store, &id)?;
        let audit = store.audit(Some(&id), 20)?;
        let people = accounts::Directory::load(&*store)?;
        Ok::<_, crate::store::StoreError>((rows, audit, people))
    })
    .await;
    let (rows, mut audit, people) = match loaded {
        Ok(v) => v,
        Err(r) => return r,
    };
    audit.reverse();
    let counts = search::counts(&rows);
    let recent = rows
        .iter()
        .take(10)
        .map(|r| RowView::new(lang, r))
        .collect();
    page(
        StatusCode::OK,
        lang,
        &Dashboard {
            lang,
            nav: staff.nav(),
            institution: institution.name.clone(),
            filters: Filters {
                achievements: search::achievements(&rows),
                ..Filters::default()
            },
            counts,
            recent,
            activity: audit
                .iter()
                .map(|e| AuditView::new(lang, e, &people))
                .collect(),
        },
    )
}

async fn operator_page(state: &AppState, staff: &Staff) -> Response {
    let lang = staff.lang;
    let service = state.service.clone();
    let loaded = blocking(lang, move || {
        let institutions = service.store().list_institutions()?;
        let mut views = Vec::new();
        for i in institutions {
            let member = service.store().find_member_by_did(&i.did)?;
            views.push(InstitutionView {
                id: i.id.clone(),
                name: i.name.clone(),
                country: i.country.clone(),
                did: i.did.clone(),
                keys: i.keys.iter().filter(|k| k.retired.is_none()).count(),
                retired: i.keys.iter().filter(|k| k.retired.is_some()).count(),
                rotates: i.did.starts_with("did:web:"),
                quality_assurance: i.quality_assurance.clone().unwrap_or_default(),
                member: member.map(|m| m.id),
            });
        }
        Ok::<_, crate::store::StoreError>(views)
    })
    .await;
    match loaded {
        Ok(institutions) => page(
            StatusCode::OK,
            lang,
            &OperatorPage {
                lang,
                nav: staff.nav(),
                institutions,
                form: operator::RegisterForm::blank(),
            },
        ),
        Err(r) => r,
    }
}

async fn sign_in_page(reader: ReaderLang) -> Response {
    let lang = lang_of(&reader);
    page(
        StatusCode::OK,
        lang,
        &SignInPage {
            lang,
            email: String::new(),
            failed: None,
        },
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn sign_in(
    State(state): State<AppState>,
    reader: ReaderLang,
    limiter: Option<axum::Extension<Arc<AuthLimiter>>>,
    parts_peer: Peer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang = lang_of(&reader);
    if !session::same_origin(&headers, state.service.public_url()) {
        return problem(StatusCode::FORBIDDEN, lang, "console-error-origin");
    }
    let address = parts_peer.0;
    let limiter = limiter.map(|axum::Extension(l)| l);
    if let Some(limiter) = &limiter {
        if let Err(wait) = session::sign_in_allowed(limiter, address, &form.email) {
            let mut response = page(
                StatusCode::TOO_MANY_REQUESTS,
                lang,
                &SignInPage {
                    lang,
                    email: form.email.clone(),
                    failed: Some(lang.t("console-sign-in-too-many")),
                },
            );
            let seconds = wait.as_secs().max(1);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            return response;
        }
    }
    let store = state.service.store().clone();
    let (email, password) = (form.email.clone(), form.password);
    let account = match blocking(lang, move || accounts::sign_in(&*store, &email, &password)).await
    {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(account) = account else {
        if let Some(limiter) = &limiter {
            session::sign_in_failed(limiter, address, &form.email);
        }
        return page(
            StatusCode::UNAUTHORIZED,
            lang,
            &SignInPage {
                lang,
                email: form.email,
                failed: Some(lang.t("console-sign-in-failed")),
            },
        );
    };
    let sessions = sessions(&state);
    let now = state.service.now();
    let subject = account.email.clone();
    let started = blocking(lang, move || {
        sessions.start(&subject, serde_json::json!({}), now)
    })
    .await;
    let (id, _) = match started {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut response = Redirect::to("/console").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, self::sessions(&state).cookie(&id));
    response
}

/// The connection's peer address, when the server loop gave one.
pub struct Peer(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(super::peer(parts)))
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(r) = staff.refuse_form(form.csrf.as_deref()) {
        return r;
    }
    let sessions = sessions(&state);
    let clear = sessions.clear_cookie();
    if let Some(id) = sessions.id_from_headers(&headers) {
        if let Err(r) = blocking(staff.lang, move || sessions.end(&id)).await {
            return r;
        }
    }
    let mut response = Redirect::to("/console/sign-in").into_response();
    response.headers_mut().append(header::SET_COOKIE, clear);
    response
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    /// One achievement, by its exact name.
    #[serde(default)]
    achievement: String,
    /// Issued on or after this day (`YYYY-MM-DD`).
    #[serde(default)]
    from: String,
    /// Issued on or before this day.
    #[serde(default)]
    to: String,
    /// The page of results, from 1.
    #[serde(default)]
    page: Option<String>,
}

impl SearchForm {
    /// The query, bounded (words at most 200 characters); a day that is not `YYYY-MM-DD` is no
    /// bound.
    fn query(&self) -> SearchQuery {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        SearchQuery {
            text: self.q.chars().take(200).collect(),
            status: Status::parse(&self.status),
            achievement: Some(self.achievement.chars().take(500).collect::<String>())
                .filter(|a| !a.is_empty()),
            issued_from: day(&self.from),
            issued_to: day(&self.to),
        }
    }
}

/// The form's values of `query`, to show it again and keep it in links.
fn filters(query: &SearchQuery, achievements: Vec<String>) -> Filters {
    let day = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    Filters {
        q: query.text.clone(),
        status: query.status.map(Status::name).unwrap_or_default(),
        achievement: query.achievement.clone().unwrap_or_default(),
        achievements,
        from: day(query.issued_from),
        to: day(query.issued_to),
    }
}

async fn credentials(
    State(state): State<AppState>,
    staff: Staff,
    Query(form): Query<SearchForm>,
) -> Response {
    let lang = staff.lang;
    let institution = match staff.institution(&state).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let query = form.query();
    let store = state.service.store().clone();
    let rows = match blocking(lang, move || search::rows(&*store, &institution.id)).await {
        Ok(rows) => rows,
        Err(r) => return r,
    };
    let found = search::search(&rows, &query);
    let asked = form
        .page
        .as_deref()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(1);
    let shown = search::Page::of(found.len(), SHOWN, asked);
    let filters = filters(&query, search::achievements(&rows));
    let n = |n: usize| crate::i18n::Arg::from(n as u64);
    page(
        StatusCode::OK,
        lang,
        &SearchPage {
            lang,
            nav: staff.nav(),
            found: lang.t_args("console-found", &[("n", n(found.len()))]),
            found_count: found.len(),
            sheet_all: lang.t_args("console-sheet-all", &[("n", n(found.len()))]),
            page_of: (shown.pages > 1).then(|| {
                lang.t_args(
                    "console-page-of",
                    &[("page", n(shown.number)), ("pages", n(shown.pages))],
                )
            }),
            previous: shown.previous().map(|p| filters.page_href(p)),
            next: shown.next().map(|p| filters.page_href(p)),
            rows: found[shown.start..shown.end]
                .iter()
                .map(|r| RowView::new(lang, r))
                .collect(),
            may_print: staff.account.role.can_issue(),
            filters,
        },
    )
}

async fn credential(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let lang = staff.lang;
    let institution = match staff.institution(&state).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let service = state.service.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let row = search::one(&**service.store(), &institution.id, &id)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let history = service.status_history(&institution, &id)?;
        let verify_url = service.verify_page_url(&id);
        let people = accounts::Directory::load(&**service.store())?;
        Ok::<_, ServiceError>(Some((row, history, verify_url, people)))
    })
    .await;
    let (row, history, verify_url, people) = match loaded {
        Ok(Ok(Some(v))) => v,
        Ok(Ok(None)) | Ok(Err(ServiceError::NotFound(_))) => {
            return problem(StatusCode::NOT_FOUND, lang, "console-error-not-found")
        }
        Ok(Err(e)) => return internal(lang, e),
        Err(e) => return internal(lang, e),
    };
    page(
        StatusCode::OK,
        lang,
        &CredentialPage {
            lang,
            nav: staff.nav(),
            may_change: staff.account.role.can_change_status(),
            suspendable: history.suspendable,
            row: RowView::new(lang, &row),
            history: history
                .events
                .iter()
                .map(|e| HistoryView::new(lang, e, &people))
                .collect(),
            verify_url,
        },
    )
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    publish: Option<String>,
}

async fn change_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    let lang = staff.lang;
    if let Some(r) = staff.refuse_form(form.csrf.as_deref()) {
        return r;
    }
    if !staff.account.role.can_change_status() {
        return problem(StatusCode::FORBIDDEN, lang, "console-error-role");
    }
    let action = match form.action.as_str() {
        "revoke" => StatusAction::Revoke,
        "suspend" => StatusAction::Suspend,
        "unsuspend" => StatusAction::Unsuspend,
        _ => return problem(StatusCode::BAD_REQUEST, lang, "console-error-action"),
    };
    let institution = match staff.institution(&state).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let change = StatusChange {
        action,
        reason: Some(form.reason).filter(|r| !r.trim().is_empty()),
        publish_reason: form.publish.is_some(),
    };
    let actor = staff.account.actor();
    match state
        .service
        .set_status_by(&institution, &id, change, &actor)
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/console/credentials/{}",
            crate::service::path_segment(&id)
        ))
        .into_response(),
        Err(ServiceError::NotFound(_)) => {
            problem(StatusCode::NOT_FOUND, lang, "console-error-not-found")
        }
        Err(ServiceError::Unprocessable(m)) | Err(ServiceError::Conflict(m)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &ErrorPage {
                lang,
                heading: lang.t("console-error-status"),
                detail: Some(m),
            },
        ),
        Err(e) => internal(lang, e),
    }
}

async fn audit(State(state): State<AppState>, staff: Staff) -> Response {
    let lang = staff.lang;
    let institution = staff.account.institution.clone();
    if institution.is_none() && staff.account.role != Role::Operator {
        return problem(StatusCode::FORBIDDEN, lang, "console-error-role");
    }
    let store = state.service.store().clone();
    let loaded = blocking(lang, move || {
        let events = store.audit(institution.as_deref(), 200)?;
        let people = accounts::Directory::load(&*store)?;
        Ok::<_, crate::store::StoreError>((events, people))
    })
    .await;
    let (events, people) = match loaded {
        Ok((mut e, people)) => {
            e.reverse();
            (e, people)
        }
        Err(r) => return r,
    };
    page(
        StatusCode::OK,
        lang,
        &AuditPage {
            lang,
            nav: staff.nav(),
            events: events
                .iter()
                .map(|e| AuditView::new(lang, e, &people))
                .collect(),
        },
    )
}

/// The body of `POST /admin/staff`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    email: String,
    /// Absent for an operator.
    #[serde(default)]
    institution: Option<String>,
    role: String,
    /// When absent, a one-time password is made and returned once.
    #[serde(default)]
    password: Option<String>,
}

/// `POST /admin/staff` (admin token) → 201 `{email, institution, role, password?}`: the
/// bootstrap of console accounts. The password is returned only when the service made it.
async fn create_staff(
    _: Admin,
    State(state): State<AppState>,
    Json(new): Json<NewStaff>,
) -> Result<(StatusCode, axum::Json<serde_json::Value>), ApiError> {
    let role = Role::parse(&new.role).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "role {:?} is not one of viewer, issuer, registrar, operator",
                new.role
            ),
        )
    })?;
    let made = new.password.is_none().then(accounts::one_time_password);
    let password = new
        .password
        .clone()
        .or_else(|| made.clone())
        .unwrap_or_default();
    let service = state.service.clone();
    let institution = new.institution.clone();
    let email = new.email.clone();
    let account = tokio::task::spawn_blocking(move || {
        let account = accounts::create(
            &**service.store(),
            &email,
            institution.as_deref(),
            role,
            &password,
            service.now(),
        )?;
        service.store().append_audit(&crate::store::AuditEvent {
            at: service.now(),
            actor: "admin".into(),
            institution: account.institution.clone(),
            action: "add-staff".into(),
            subject: Some(account.id.clone()),
        })?;
        Ok::<_, accounts::AccountError>(account)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| match e {
        accounts::AccountError::Invalid(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m),
        accounts::AccountError::Exists(_) => ApiError::new(StatusCode::CONFLICT, e.to_string()),
        accounts::AccountError::NoInstitution(_) => ApiError::not_found(e.to_string()),
        accounts::AccountError::Store(e) => ApiError::internal(e),
    })?;
    state
        .service
        .store()
        .durable()
        .await
        .map_err(ApiError::internal)?;
    let mut body = serde_json::json!({
        "email": account.email,
        "institution": account.institution,
        "role": account.role.name(),
    });
    if let Some(p) = made {
        body["password"] = serde_json::Value::String(p);
    }
    Ok((StatusCode::CREATED, axum::Json(body)))
}
