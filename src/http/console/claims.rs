//! `POST /console/claim-sheet` (issuers and registrars): the printable claim sheet of a class.
//! The form comes from the search page: the ticked credentials (`credential`, repeated), or
//! every credential the search found (`all=1` with the search's `q`, `status`,
//! `achievement`, `from`, `to`). The offers are made by [`crate::console::claims`]; the answer
//! is the sheet itself, because the one-time codes exist only in this answer (the store keeps
//! their hashes). A credential that is not the institution's is 404, as everywhere.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::view::Nav;
use super::{internal, page, problem, AppState, ErrorPage, SearchForm, Staff};
use crate::console::claims::{self, Sheet, Skip, MAX_SLIPS};
use crate::console::search::{self, Row};
use crate::i18n::date::long_date;
use crate::i18n::{Arg, Lang};
use crate::service::{path_segment, ServiceError};

/// Slips on one printed A4 page (two by two).
const PER_PAGE: usize = 4;

/// One learner's slip.
pub struct SlipView {
    pub learner: String,
    pub student_number: String,
    pub achievement: String,
    /// The claim link as a QR code: `data:image/svg+xml;base64,…`.
    pub qr: String,
    pub claim_url: String,
    pub code: String,
    /// "Claim it by 6 January 2027."
    pub by: String,
}

/// A credential that got no slip, and why.
pub struct SkippedView {
    pub learner: String,
    pub achievement: String,
    pub href: String,
    pub reason: String,
    /// The service's own words, when it refused (English).
    pub detail: String,
}

#[derive(Template)]
#[template(path = "console/claim_sheet.html")]
pub struct SheetPage {
    pub lang: Lang,
    pub nav: Nav,
    pub heading: String,
    pub made: String,
    pub replaced: Option<String>,
    pub skipped: Vec<SkippedView>,
    /// The slips, [`PER_PAGE`] to a printed page.
    pub pages: Vec<Vec<SlipView>>,
}

/// The form's fields: `csrf`, `all`, the search's fields, and `credential` once per ticked
/// credential.
struct SheetForm {
    csrf: Option<String>,
    all: bool,
    search: SearchForm,
    ticked: Vec<String>,
}

impl SheetForm {
    fn parse(fields: Vec<(String, String)>) -> SheetForm {
        let mut form = SheetForm {
            csrf: None,
            all: false,
            search: SearchForm {
                q: String::new(),
                status: String::new(),
                achievement: String::new(),
                from: String::new(),
                to: String::new(),
                page: None,
            },
            ticked: Vec::new(),
        };
        for (k, v) in fields {
            match k.as_str() {
                "csrf" => form.csrf = Some(v),
                "all" => form.all = v == "1",
                "q" => form.search.q = v,
                "status" => form.search.status = v,
                "achievement" => form.search.achievement = v,
                "from" => form.search.from = v,
                "to" => form.search.to = v,
                "credential" if !form.ticked.contains(&v) => form.ticked.push(v),
                _ => {}
            }
        }
        form
    }
}

/// The credentials the form chose, in the search's order; `None` when a ticked one is not one
/// of `rows` (another institution's, or none at all).
fn chosen(form: &SheetForm, rows: Vec<Row>) -> Option<Vec<Row>> {
    if form.all {
        let query = form.search.query();
        return Some(rows.into_iter().filter(|r| query.matches(r)).collect());
    }
    if form
        .ticked
        .iter()
        .any(|id| !rows.iter().any(|r| &r.id == id))
    {
        return None;
    }
    Some(
        rows.into_iter()
            .filter(|r| form.ticked.contains(&r.id))
            .collect(),
    )
}

fn skipped_view(lang: Lang, row: &Row, skip: &Skip) -> SkippedView {
    let (reason, detail) = match skip {
        Skip::Claimed => ("console-skip-claimed", String::new()),
        Skip::Revoked => ("console-skip-revoked", String::new()),
        Skip::Refused(m) => ("console-skip-refused", m.clone()),
    };
    SkippedView {
        learner: row.learner.clone(),
        achievement: row.achievement.clone(),
        href: format!("/console/credentials/{}", path_segment(&row.id)),
        reason: lang.t(reason),
        detail,
    }
}

fn sheet_page(lang: Lang, nav: Nav, sheet: Sheet) -> Result<SheetPage, crate::qr::QrError> {
    let n = |n: usize| Arg::from(n as u64);
    let replaced: usize = sheet.slips.iter().map(|s| s.replaced).sum();
    let mut slips = Vec::new();
    for slip in &sheet.slips {
        let svg = crate::qr::svg(&slip.offer.links.claim_url)?;
        slips.push(SlipView {
            learner: slip.row.learner.clone(),
            student_number: slip.row.student_number.clone().unwrap_or_default(),
            achievement: slip.row.achievement.clone(),
            qr: format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)),
            claim_url: slip.offer.links.claim_url.clone(),
            code: slip.offer.tx_code.clone().unwrap_or_default(),
            by: lang.t_args(
                "console-slip-by",
                &[(
                    "date",
                    Arg::from(long_date(lang, slip.expires.date_naive())),
                )],
            ),
        });
    }
    let mut pages = Vec::new();
    let mut slips = slips.into_iter().peekable();
    while slips.peek().is_some() {
        pages.push(slips.by_ref().take(PER_PAGE).collect());
    }
    Ok(SheetPage {
        lang,
        nav,
        heading: lang.t("console-sheet-title"),
        made: lang.t_args("console-sheet-made", &[("n", n(sheet.slips.len()))]),
        replaced: (replaced > 0)
            .then(|| lang.t_args("console-sheet-replaced", &[("n", n(replaced))])),
        skipped: sheet
            .skipped
            .iter()
            .map(|(row, skip)| skipped_view(lang, row, skip))
            .collect(),
        pages,
    })
}

/// `POST /console/claim-sheet`.
pub(super) async fn claim_sheet(
    State(state): State<AppState>,
    staff: Staff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = staff.lang;
    let form = SheetForm::parse(fields);
    if let Some(r) = staff.refuse_form(form.csrf.as_deref()) {
        return r;
    }
    if !staff.account.role.can_issue() {
        return problem(StatusCode::FORBIDDEN, lang, "console-error-role");
    }
    let institution = match staff.institution(&state).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let store = state.service.store().clone();
    let id = institution.id.clone();
    let rows = match super::blocking(lang, move || search::rows(&*store, &id)).await {
        Ok(rows) => rows,
        Err(r) => return r,
    };
    let Some(rows) = chosen(&form, rows) else {
        return problem(StatusCode::NOT_FOUND, lang, "console-error-not-found");
    };
    if rows.is_empty() {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            "console-error-sheet-empty",
        );
    }
    if rows.len() > MAX_SLIPS {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &ErrorPage {
                lang,
                heading: lang.t_args(
                    "console-error-sheet-large",
                    &[
                        ("n", Arg::from(rows.len() as u64)),
                        ("max", Arg::from(MAX_SLIPS as u64)),
                    ],
                ),
                detail: None,
            },
        );
    }
    let actor = staff.account.actor();
    let sheet = match claims::make(&state.service, &state.wallet, &institution, rows, &actor).await
    {
        Ok(sheet) => sheet,
        Err(ServiceError::NotFound(_)) => {
            return problem(StatusCode::NOT_FOUND, lang, "console-error-not-found")
        }
        Err(e) => return internal(lang, e),
    };
    match sheet_page(lang, staff.nav(), sheet) {
        Ok(sheet) => page(StatusCode::OK, lang, &sheet),
        Err(e) => internal(lang, e),
    }
}
