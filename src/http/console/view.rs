//! The console's view models: what each template (`templates/console/`) prints, worked out
//! from the domain's values. Fixed words come from `locales/*/console.ftl` through `lang.t`.

use askama::Template;

use crate::console::accounts::Directory;
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
    /// `people` names the staff accounts that the event records by id.
    pub fn new(lang: Lang, e: &AuditEvent, people: &Directory) -> Self {
        let mut subject = e.subject.clone().unwrap_or_default();
        let href = (e.institution.is_some() && subject.starts_with("urn:uuid:"))
            .then(|| format!("/console/credentials/{}", path_segment(&subject)));
        if e.action == "add-staff" {
            if let Some(email) = people.email(&subject) {
                subject = email.to_owned();
            }
        }
        AuditView {
            at: date_time(lang, e.at),
            actor: people.actor(&e.actor),
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
    pub fn new(lang: Lang, e: &StatusEvent, people: &Directory) -> Self {
        HistoryView {
            at: date_time(lang, e.at),
            actor: people.actor(&e.actor),
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

/// The search form's values, and the achievements to choose from.
#[derive(Default)]
pub struct Filters {
    pub q: String,
    pub status: &'static str,
    /// The chosen achievement (exact name); empty for any.
    pub achievement: String,
    pub achievements: Vec<String>,
    /// Issued on or after this day, `YYYY-MM-DD`; empty for no bound.
    pub from: String,
    /// Issued on or before this day.
    pub to: String,
}

impl Filters {
    /// The query string of this search (without `page`), each value percent-encoded.
    pub fn query(&self) -> String {
        let value = crate::wallet::offer::query_value;
        [
            ("q", self.q.as_str()),
            ("status", self.status),
            ("achievement", self.achievement.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", value(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The link to page `n` of this search.
    pub fn page_href(&self, n: usize) -> String {
        let query = self.query();
        if query.is_empty() {
            format!("/console/credentials?page={n}")
        } else {
            format!("/console/credentials?{query}&page={n}")
        }
    }
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
pub struct Dashboard {
    pub lang: Lang,
    pub nav: Nav,
    pub institution: String,
    /// The search form (empty on the dashboard).
    pub filters: Filters,
    pub counts: Counts,
    pub recent: Vec<RowView>,
    pub activity: Vec<AuditView>,
}

#[derive(Template)]
#[template(path = "console/search.html")]
pub struct SearchPage {
    pub lang: Lang,
    pub nav: Nav,
    pub filters: Filters,
    /// "N credentials found".
    pub found: String,
    /// How many were found, and the claim sheet's button for all of them.
    pub found_count: usize,
    pub sheet_all: String,
    /// "Page 2 of 3", when there is more than one page.
    pub page_of: Option<String>,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The rows of this page.
    pub rows: Vec<RowView>,
    /// Whether the person may make claim sheets (issuers and registrars): the rows get
    /// checkboxes and the sheet buttons.
    pub may_print: bool,
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
    /// The registration form, blank.
    pub form: super::operator::RegisterForm,
}

#[derive(Template)]
#[template(path = "console/error.html")]
pub struct ErrorPage {
    pub lang: Lang,
    pub heading: String,
    pub detail: Option<String>,
}
