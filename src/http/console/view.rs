//! The console's view models: what each template (`templates/console/`) prints, worked out
//! from the domain's values. Fixed words come from `locales/*/console.ftl` through `lang.t`.

use askama::Template;

use crate::console::search::{Counts, Row, Status};
use crate::console::Role;
use crate::i18n::date::date_time;
use crate::i18n::Lang;
use crate::service::path_segment;
use crate::store::{AuditEvent, StatusEvent};

/// The bar on every signed-in page: who, and the sign-out form with its CSRF token.
pub struct Nav {
    pub email: String,
    pub role: Role,
    /// The role in the reader's language.
    pub role_word: String,
    pub csrf: String,
}

/// A credential in a list or on its page.
pub struct RowView {
    pub id: String,
    /// `/console/credentials/{id}`.
    pub href: String,
    pub record_id: String,
    pub learner: String,
    pub student_number: String,
    pub achievement: String,
    pub issued: String,
    /// `active`, `suspended` or `revoked`: the CSS class.
    pub status_class: &'static str,
    pub status: String,
    pub claimed: bool,
}

impl RowView {
    pub fn new(lang: Lang, row: &Row) -> Self {
        RowView {
            id: row.id.clone(),
            href: format!("/console/credentials/{}", path_segment(&row.id)),
            record_id: row.record_id.clone().unwrap_or_default(),
            learner: row.learner.clone(),
            student_number: row.student_number.clone().unwrap_or_default(),
            achievement: row.achievement.clone(),
            issued: date_time(lang, row.issued),
            status_class: row.status.name(),
            status: status_word(lang, row.status),
            claimed: row.claimed,
        }
    }
}

pub fn status_word(lang: Lang, status: Status) -> String {
    lang.t(match status {
        Status::Active => "console-status-active",
        Status::Suspended => "console-status-suspended",
        Status::Revoked => "console-status-revoked",
    })
}

/// One line of the audit trail.
pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// The credential's console page, when the subject is one of the institution's.
    pub href: Option<String>,
}

impl AuditView {
    pub fn new(lang: Lang, e: &AuditEvent) -> Self {
        let subject = e.subject.clone().unwrap_or_default();
        let href = (e.institution.is_some() && subject.starts_with("urn:uuid:"))
            .then(|| format!("/console/credentials/{}", path_segment(&subject)));
        AuditView {
            at: date_time(lang, e.at),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject,
            href,
        }
    }
}

/// One status change of a credential.
pub struct HistoryView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub reason: String,
    pub published: bool,
}

impl HistoryView {
    pub fn new(lang: Lang, e: &StatusEvent) -> Self {
        HistoryView {
            at: date_time(lang, e.at),
            actor: e.actor.clone(),
            action: lang.t(match e.action.as_str() {
                "revoke" => "console-action-revoke",
                "suspend" => "console-action-suspend",
                _ => "console-action-unsuspend",
            }),
            reason: e.reason.clone().unwrap_or_default(),
            published: e.publish_reason,
        }
    }
}

/// An institution on the operator's page.
pub struct InstitutionView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub did: String,
    /// Keys in use (not retired).
    pub keys: usize,
    /// Retired keys (kept so that what they signed still verifies).
    pub retired: usize,
    /// Whether its key can be rotated (did:web; a did:key is its key).
    pub rotates: bool,
    /// What the registration says of its quality assurance: the registry form's default.
    pub quality_assurance: String,
    /// The registry member listing its DID; `None`: employers see "Issuer unknown".
    pub member: Option<String>,
}

#[derive(Template)]
#[template(path = "console/sign_in.html")]
pub struct SignInPage {
    pub lang: Lang,
    pub email: String,
    pub failed: Option<String>,
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
pub struct Dashboard {
    pub lang: Lang,
    pub nav: Nav,
    pub institution: String,
    /// The search form's values (empty on the dashboard).
    pub q: String,
    pub status: &'static str,
    pub counts: Counts,
    pub recent: Vec<RowView>,
    pub activity: Vec<AuditView>,
}

#[derive(Template)]
#[template(path = "console/search.html")]
pub struct SearchPage {
    pub lang: Lang,
    pub nav: Nav,
    pub q: String,
    pub status: &'static str,
    /// "N credentials found".
    pub found: String,
    pub rows: Vec<RowView>,
}

#[derive(Template)]
#[template(path = "console/credential.html")]
pub struct CredentialPage {
    pub lang: Lang,
    pub nav: Nav,
    pub may_change: bool,
    pub suspendable: bool,
    pub row: RowView,
    pub history: Vec<HistoryView>,
    pub verify_url: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
pub struct AuditPage {
    pub lang: Lang,
    pub nav: Nav,
    pub events: Vec<AuditView>,
}

#[derive(Template)]
#[template(path = "console/operator.html")]
pub struct OperatorPage {
    pub lang: Lang,
    pub nav: Nav,
    pub institutions: Vec<InstitutionView>,
}

#[derive(Template)]
#[template(path = "console/error.html")]
pub struct ErrorPage {
    pub lang: Lang,
    pub heading: String,
    pub detail: Option<String>,
}
