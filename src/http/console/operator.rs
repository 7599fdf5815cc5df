//! The operator's forms: register an institution (`POST /console/institutions`), add one to
//! the alliance registry (`POST /console/institutions/{id}/registry`) and rotate its signing
//! key (`POST /console/institutions/{id}/keys`). Operators only; each uses the service's
//! function the admin API uses ([`crate::service::Service::register_institution`] as `POST
//! /admin/institutions`, [`crate::service::Service::put_member`] as `PUT
//! /admin/registry/members/{id}`, [`crate::service::Service::rotate_key`]).
//!
//! A new institution's API token is on the answer to the registration, once: it is not
//! stored (only its hash), not logged and not shown again (the page is `no-store`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::view::Nav;
use super::{internal, page, problem, AppState, CsrfForm, ErrorPage, Staff};
use crate::console::Role;
use crate::i18n::{Arg, Lang};
use crate::registry::{AccreditationStatus, Member, QualityAssurance};
use crate::service::{DidMethod, NewInstitution, ServiceError};
use crate::store::Institution;

/// The refusal of a form from anyone but a signed-in operator: the session's CSRF token and
/// origin first (403, [`Staff::refuse_form`]), then the role (403).
fn refuse_unless_operator(staff: &Staff, csrf: Option<&str>) -> Option<Response> {
    staff.refuse_form(csrf).or_else(|| {
        (staff.account.role != Role::Operator)
            .then(|| problem(StatusCode::FORBIDDEN, staff.lang, "console-error-role"))
    })
}

/// What the operator states of an institution's accreditation, for its registry entry.
struct Accreditation {
    body: String,
    status: AccreditationStatus,
    reference: Option<String>,
}

impl Accreditation {
    /// `None` when the body is empty or the status is not `accredited` or `provisional`.
    fn parse(body: &str, status: &str, reference: &str) -> Option<Accreditation> {
        let status = match status {
            "accredited" => AccreditationStatus::Accredited,
            "provisional" => AccreditationStatus::Provisional,
            _ => return None,
        };
        let body = body.trim();
        (!body.is_empty()).then(|| Accreditation {
            body: body.to_owned(),
            status,
            reference: Some(reference.trim().to_owned()).filter(|r| !r.is_empty()),
        })
    }

    /// The registry member listing `institution`'s DID from `now` on.
    fn member(self, institution: &Institution, now: chrono::DateTime<chrono::Utc>) -> Member {
        Member {
            id: institution.id.clone(),
            name: institution.name.clone(),
            country: institution.country.clone(),
            dids: vec![institution.did.clone()],
            nodes: Vec::new(),
            framework: institution.framework.clone(),
            quality_assurance: QualityAssurance {
                body: self.body,
                status: self.status,
                reference: self.reference,
            },
            valid_from: now,
            valid_until: None,
        }
    }
}

#[derive(Deserialize)]
pub struct RegistryForm {
    #[serde(default)]
    csrf: Option<String>,
    /// The quality-assurance or accreditation body.
    #[serde(default)]
    body: String,
    /// `accredited` or `provisional`.
    #[serde(default)]
    status: String,
    #[serde(default)]
    reference: String,
}

/// `POST /console/institutions/{id}/registry` (operators): lists the institution's DID in the
/// alliance registry as a member from now on, with the accreditation the operator states.
pub(super) async fn add_to_registry(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<RegistryForm>,
) -> Response {
    let lang = staff.lang;
    if let Some(r) = refuse_unless_operator(&staff, form.csrf.as_deref()) {
        return r;
    }
    let Some(accreditation) = Accreditation::parse(&form.body, &form.status, &form.reference)
    else {
        let status = if matches!(form.status.as_str(), "accredited" | "provisional") {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        return problem(status, lang, "console-error-accreditation");
    };
    let service = state.service.clone();
    let institution = match super::blocking(lang, move || service.store().get_institution(&id))
        .await
    {
        Ok(Some(i)) => i,
        Ok(None) => return problem(StatusCode::NOT_FOUND, lang, "console-error-no-institution"),
        Err(r) => return r,
    };
    let member = accreditation.member(&institution, state.service.now());
    match state
        .service
        .put_member(member, &staff.account.actor())
        .await
    {
        Ok(_) => Redirect::to("/console").into_response(),
        Err(ServiceError::Unprocessable(m)) | Err(ServiceError::Conflict(m)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &ErrorPage {
                lang,
                heading: lang.t("console-error-registry"),
                detail: Some(m),
            },
        ),
        Err(e) => internal(lang, e),
    }
}

/// The registration form's fields, as typed (shown again when the registration is refused).
#[derive(Clone, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub framework: String,
    /// `did-key` or `did-web`.
    #[serde(default)]
    pub did: String,
    /// A checkbox: present ("on") when ticked; the form ticks it to begin with.
    #[serde(default)]
    pub registry: Option<String>,
    /// The quality-assurance body: the registration's and the registry entry's.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub reference: String,
}

impl RegisterForm {
    /// The empty form on the operator's page: did:key, "add to the registry" ticked.
    pub fn blank() -> RegisterForm {
        RegisterForm {
            did: "did-key".into(),
            registry: Some("on".into()),
            status: "accredited".into(),
            ..RegisterForm::default()
        }
    }
}

/// The registration form with what was typed and, after a refusal, why.
#[derive(Template)]
#[template(path = "console/register.html")]
pub struct RegisterPage {
    pub lang: Lang,
    pub nav: Nav,
    pub form: RegisterForm,
    pub problem: Option<String>,
}

/// The answer to a registration: the token, once.
#[derive(Template)]
#[template(path = "console/registered.html")]
pub struct RegisteredPage {
    pub lang: Lang,
    pub nav: Nav,
    pub heading: String,
    pub id: String,
    pub did: String,
    pub token: zeroize::Zeroizing<String>,
    /// The registry member that lists it; `None`: "Issuer unknown" until it is added.
    pub member: Option<String>,
    /// Why adding it to the registry failed, when it was asked and failed.
    pub registry_problem: Option<String>,
    /// The registry form's defaults.
    pub body: String,
}

fn refused(staff: &Staff, status: StatusCode, form: RegisterForm, why: String) -> Response {
    page(
        status,
        staff.lang,
        &RegisterPage {
            lang: staff.lang,
            nav: staff.nav(),
            form,
            problem: Some(why),
        },
    )
}

/// `POST /console/institutions` (operators): registers an institution as `POST
/// /admin/institutions` does, and, when "add to the registry" is ticked, lists it in the
/// alliance registry in the same step.
pub(super) async fn register(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<RegisterForm>,
) -> Response {
    let lang = staff.lang;
    if let Some(r) = refuse_unless_operator(&staff, form.csrf.as_deref()) {
        return r;
    }
    let accreditation = if form.registry.is_some() {
        match Accreditation::parse(&form.body, &form.status, &form.reference) {
            Some(a) => Some(a),
            None => {
                let why = lang.t("console-error-accreditation");
                return refused(&staff, StatusCode::UNPROCESSABLE_ENTITY, form, why);
            }
        }
    } else {
        None
    };
    let did_method = match form.did.as_str() {
        "did-web" => DidMethod::DidWeb,
        _ => DidMethod::DidKey,
    };
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let new = NewInstitution {
        id: form.id.trim().to_owned(),
        name: form.name.trim().to_owned(),
        country: form.country.trim().to_ascii_uppercase(),
        url: text(&form.url),
        framework: form.framework.trim().to_owned(),
        quality_assurance: text(&form.body),
        did_method,
    };
    if !crate::registry::is_slug(&new.id) {
        let why = lang.t("console-error-register-id");
        return refused(&staff, StatusCode::UNPROCESSABLE_ENTITY, form, why);
    }
    if new.framework.is_empty() {
        let why = lang.t("console-error-register-framework");
        return refused(&staff, StatusCode::UNPROCESSABLE_ENTITY, form, why);
    }
    let service = state.service.clone();
    let actor = staff.account.actor();
    let registered =
        tokio::task::spawn_blocking(move || service.register_institution(new, &actor)).await;
    let (institution, token) = match registered {
        Ok(Ok(v)) => v,
        Ok(Err(ServiceError::Unprocessable(m))) => {
            return refused(&staff, StatusCode::UNPROCESSABLE_ENTITY, form, m)
        }
        Ok(Err(ServiceError::Conflict(m))) => {
            return refused(&staff, StatusCode::CONFLICT, form, m)
        }
        Ok(Err(e)) => return internal(lang, e),
        Err(e) => return internal(lang, e),
    };
    let mut member = None;
    let mut registry_problem = None;
    if let Some(accreditation) = accreditation {
        let entry = accreditation.member(&institution, state.service.now());
        match state
            .service
            .put_member(entry, &staff.account.actor())
            .await
        {
            Ok(_) => member = Some(institution.id.clone()),
            Err(ServiceError::Unprocessable(m)) | Err(ServiceError::Conflict(m)) => {
                registry_problem = Some(m)
            }
            Err(e) => {
                // The institution is registered: its token must still be shown, once.
                tracing::error!(error = %e, institution = %institution.id, "registry entry failed");
                registry_problem = Some(lang.t("console-error-internal"));
            }
        }
    }
    page(
        StatusCode::CREATED,
        lang,
        &RegisteredPage {
            lang,
            nav: staff.nav(),
            heading: lang.t_args(
                "console-registered-heading",
                &[("name", Arg::from(institution.name.as_str()))],
            ),
            id: institution.id.clone(),
            did: institution.did.clone(),
            token,
            member,
            registry_problem,
            body: institution.quality_assurance.clone().unwrap_or_default(),
        },
    )
}

/// `POST /console/institutions/{id}/keys` (operators): a new signing key; the old one is
/// retired, not removed, so what it signed still verifies.
pub(super) async fn rotate_key(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let lang = staff.lang;
    if let Some(r) = refuse_unless_operator(&staff, form.csrf.as_deref()) {
        return r;
    }
    let service = state.service.clone();
    let actor = staff.account.actor();
    let rotated = tokio::task::spawn_blocking(move || service.rotate_key(&id, &actor)).await;
    match rotated {
        Ok(Ok(_)) => {
            if let Err(e) = state.service.store().durable().await {
                return internal(lang, e);
            }
            Redirect::to("/console").into_response()
        }
        Ok(Err(ServiceError::NotFound(_))) => {
            problem(StatusCode::NOT_FOUND, lang, "console-error-no-institution")
        }
        Ok(Err(ServiceError::Conflict(m))) => page(
            StatusCode::CONFLICT,
            lang,
            &ErrorPage {
                lang,
                heading: lang.t("console-error-rotate"),
                detail: Some(m),
            },
        ),
        Ok(Err(e)) => internal(lang, e),
        Err(e) => internal(lang, e),
    }
}
