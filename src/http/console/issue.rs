//! Issuing from the console: one credential from a form (`/console/issue`), and CSV uploads
//! issued in the background with a progress page and a table of row errors
//! (`/console/uploads…`). The domain is [`crate::console::single`] and
//! [`crate::console::uploads`]; this module parses, checks the session and role, and renders.
//! Issuer and registrar roles only; always as the signed-in person's institution, with the
//! person named in the audit trail.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::{internal, page, problem, AppState, ErrorPage, Nav, Staff};
use crate::batch::{self, RowStatus};
use crate::console::single::{FieldProblem, RecordForm, Refusal};
use crate::console::uploads::{self, Job, Problem, UploadError, MAX_ROWS, MAX_UPLOAD_BYTES};
use crate::frameworks::FrameworkRegistry;
use crate::i18n::date::date_time;
use crate::i18n::levels::level_name;
use crate::i18n::record as record_words;
use crate::i18n::{Arg, Lang};
use crate::record::{isced_f_codes, isced_f_label};
use crate::service::path_segment;
use crate::store::Institution;

/// Routes of this module, merged into the console's.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/issue", get(issue_page).post(issue_one))
        .route(
            "/console/uploads",
            get(uploads_page)
                .post(upload)
                // The file's limit is checked as it is read; this leaves room for the form.
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + (64 << 10))),
        )
        .route("/console/uploads/template.csv", get(template))
        .route("/console/uploads/{id}", get(job_page))
        .route("/console/uploads/{id}/failed.csv", get(failed_rows))
}

/// Seconds between refreshes of a running job's page.
const REFRESH_SECONDS: u32 = 2;

/// The staff member's institution, or the 403 page unless their role may issue.
async fn issuer(state: &AppState, staff: &Staff) -> Result<Institution, Response> {
    if !staff.account.role.can_issue() {
        return Err(problem(
            StatusCode::FORBIDDEN,
            staff.lang,
            "console-error-role",
        ));
    }
    staff.institution(state).await
}

fn csv_download(body: String, filename: &str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// One credential from a form

/// The form as posted: the CSRF token and the record's fields.
#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(flatten)]
    record: RecordForm,
}

/// A choice of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The level select: one group per framework.
pub struct LevelGroup {
    pub label: String,
    pub levels: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "console/issue.html")]
pub struct IssuePage {
    pub lang: Lang,
    pub nav: Nav,
    pub form: RecordForm,
    /// Field name → messages shown next to it.
    pub errors: BTreeMap<&'static str, Vec<String>>,
    /// Problems that belong to no field.
    pub general: Vec<String>,
    /// The credential already issued under the record id, when that is the problem.
    pub existing: Option<String>,
    pub levels: Vec<LevelGroup>,
    pub credit_systems: Vec<Choice>,
    pub fields_of_study: Vec<Choice>,
}

impl IssuePage {
    fn new(lang: Lang, nav: Nav, form: RecordForm) -> Self {
        let registry = FrameworkRegistry::bundled();
        let levels = registry
            .frameworks()
            .map(|f| LevelGroup {
                label: format!("{} ({})", f.name, f.id),
                levels: f
                    .levels
                    .iter()
                    .map(|l| Choice {
                        value: format!("{}|{}", f.id, l.code),
                        label: format!(
                            "{} · {}",
                            l.code,
                            level_name(lang, &f.id, &l.code, &l.name)
                        ),
                    })
                    .collect(),
            })
            .collect();
        let mut credit_systems: Vec<Choice> = Vec::new();
        for f in registry.frameworks() {
            for c in &f.credit_systems {
                if !credit_systems.iter().any(|s| s.value == c.id) {
                    credit_systems.push(Choice {
                        value: c.id.clone(),
                        label: format!("{} ({})", c.id, c.unit_name),
                    });
                }
            }
        }
        let fields_of_study = isced_f_codes()
            .map(|code| Choice {
                value: code.to_owned(),
                label: format!("{code} · {}", isced_f_label(code).unwrap_or_default()),
            })
            .collect();
        IssuePage {
            lang,
            nav,
            form,
            errors: BTreeMap::new(),
            general: Vec::new(),
            existing: None,
            levels,
            credit_systems,
            fields_of_study,
        }
    }

    /// The messages next to `field` (none when it is fine).
    pub fn err(&self, field: &str) -> &[String] {
        self.errors
            .get(field)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn add(&mut self, field: &'static str, message: String) {
        self.errors.entry(field).or_default().push(message);
    }
}

async fn issue_page(State(state): State<AppState>, staff: Staff) -> Response {
    let lang = staff.lang;
    if let Err(r) = issuer(&state, &staff).await {
        return r;
    }
    let form = RecordForm {
        // A fresh id, so sending the form twice issues once; the registrar may use theirs.
        record_id: format!("console-{}", uuid::Uuid::new_v4().simple()),
        awarded_date: state.service.now().format("%Y-%m-%d").to_string(),
        ..RecordForm::default()
    };
    page(
        StatusCode::OK,
        lang,
        &IssuePage::new(lang, staff.nav(), form),
    )
}

/// A field's problem in the reader's words.
fn field_words(lang: Lang, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => lang.t("console-issue-required"),
        FieldProblem::Number => lang.t("console-issue-number"),
        FieldProblem::Date => lang.t("console-issue-date"),
        FieldProblem::RecordId => lang.t("console-issue-bad-record-id"),
        FieldProblem::Exists(_) => lang.t("console-issue-exists"),
        FieldProblem::Checked(v) => record_words::violation(lang, &v),
    }
}

async fn issue_one(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<IssueForm>,
) -> Response {
    let lang = staff.lang;
    if let Some(r) = staff.refuse_form(form.csrf.as_deref()) {
        return r;
    }
    let institution = match issuer(&state, &staff).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let issued = form
        .record
        .issue(&state.service, &institution, &staff.account.actor())
        .await;
    let (fields, general) = match issued {
        Ok(id) => {
            return Redirect::to(&format!("/console/credentials/{}", path_segment(&id)))
                .into_response()
        }
        Err(Refusal::Internal(cause)) => return internal(lang, cause),
        Err(Refusal::Form { fields, general }) => (fields, general),
    };
    let mut view = IssuePage::new(lang, staff.nav(), form.record);
    view.general = general
        .iter()
        .map(|v| {
            let words = record_words::violation(lang, v);
            if v.path.is_empty() {
                words
            } else {
                format!("{}: {words}", v.path)
            }
        })
        .collect();
    for (field, problem) in fields {
        if let FieldProblem::Exists(id) = &problem {
            view.existing = Some(format!("/console/credentials/{}", path_segment(id)));
        }
        view.add(field, field_words(lang, problem));
    }
    page(StatusCode::UNPROCESSABLE_ENTITY, lang, &view)
}

// ---------------------------------------------------------------------------------------------
// CSV uploads

/// A job in the list of recent uploads.
pub struct JobLine {
    pub href: String,
    pub name: String,
    pub started: String,
    pub progress: String,
    pub failed: usize,
    pub finished: bool,
}

impl JobLine {
    fn new(lang: Lang, job: &Job) -> Self {
        let p = job.progress();
        JobLine {
            href: format!("/console/uploads/{}", job.id),
            name: job.name.clone(),
            started: date_time(lang, job.started),
            progress: progress_words(lang, p.done, job.total),
            failed: p.failed,
            finished: p.finished,
        }
    }
}

fn progress_words(lang: Lang, done: usize, total: usize) -> String {
    lang.t_args(
        "console-upload-progress",
        &[
            ("done", Arg::from(done as u64)),
            ("total", Arg::from(total as u64)),
        ],
    )
}

#[derive(Template)]
#[template(path = "console/upload.html")]
pub struct UploadPage {
    pub lang: Lang,
    pub nav: Nav,
    pub limits: String,
    pub jobs: Vec<JobLine>,
}

async fn uploads_page(State(state): State<AppState>, staff: Staff) -> Response {
    let lang = staff.lang;
    let institution = match issuer(&state, &staff).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let jobs = state
        .service
        .uploads()
        .list(&institution.id)
        .iter()
        .map(|j| JobLine::new(lang, j))
        .collect();
    page(
        StatusCode::OK,
        lang,
        &UploadPage {
            lang,
            nav: staff.nav(),
            limits: lang.t_args(
                "console-upload-limits",
                &[
                    ("rows", Arg::from(MAX_ROWS as u64)),
                    ("megabytes", Arg::from((MAX_UPLOAD_BYTES >> 20) as u64)),
                ],
            ),
            jobs,
        },
    )
}

/// `GET /console/uploads/template.csv`: the batch CSV template to start from.
async fn template(State(state): State<AppState>, staff: Staff) -> Response {
    if let Err(r) = staff.institution(&state).await {
        return r;
    }
    csv_download(batch::csv_template(), "skillpass-records.csv")
}

/// Reads a multipart field, at most `limit` bytes; `Err(true)` when it is larger.
async fn read_field(field: &mut Field<'_>, limit: usize) -> Result<Vec<u8>, bool> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > limit {
                    return Err(true);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(e) => return Err(e.status() == StatusCode::PAYLOAD_TOO_LARGE),
        }
    }
}

fn too_large(lang: Lang) -> Response {
    page(
        StatusCode::PAYLOAD_TOO_LARGE,
        lang,
        &ErrorPage {
            lang,
            heading: lang.t_args(
                "console-error-upload-size",
                &[("megabytes", Arg::from((MAX_UPLOAD_BYTES >> 20) as u64))],
            ),
            detail: None,
        },
    )
}

/// `POST /console/uploads` (multipart: `csrf`, and `file` or `rows`, the text of rows fixed
/// on a job's page): starts a job and answers 303 to its page.
async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = staff.lang;
    let mut csrf = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut rows: Option<Vec<u8>> = None;
    let mut name = None;
    let Ok(mut multipart) = multipart else {
        return problem(StatusCode::BAD_REQUEST, lang, "console-error-upload-none");
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(lang),
            Err(_) => return problem(StatusCode::BAD_REQUEST, lang, "console-error-upload-none"),
        };
        let field_name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = match read_field(&mut field, MAX_UPLOAD_BYTES).await {
            Ok(b) => b,
            Err(true) => return too_large(lang),
            Err(false) => {
                return problem(StatusCode::BAD_REQUEST, lang, "console-error-upload-none")
            }
        };
        match field_name.as_str() {
            "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            "name" => name = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
            "file" if !bytes.is_empty() => {
                file = Some((file_name.unwrap_or_else(|| "upload.csv".into()), bytes))
            }
            "rows" if !bytes.iter().all(u8::is_ascii_whitespace) => rows = Some(bytes),
            _ => {}
        }
    }
    if let Some(r) = staff.refuse_form(csrf.as_deref()) {
        return r;
    }
    let institution = match issuer(&state, &staff).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let (name, bytes) = match (file, rows) {
        (Some(file), _) => file,
        (None, Some(rows)) => (
            name.filter(|n| !n.is_empty())
                .unwrap_or_else(|| "fixed-rows.csv".into()),
            rows,
        ),
        (None, None) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
                "console-error-upload-none",
            )
        }
    };
    let name: String = name.chars().take(200).collect();
    let started = uploads::prepare(&bytes).and_then(|prepared| {
        uploads::start(
            state.service.clone(),
            institution,
            &staff.account,
            name,
            prepared,
        )
    });
    let refused = |status: StatusCode, heading: String, detail: Option<String>| {
        page(
            status,
            lang,
            &ErrorPage {
                lang,
                heading,
                detail,
            },
        )
    };
    match started {
        Ok(job) => Redirect::to(&format!("/console/uploads/{}", job.id)).into_response(),
        Err(UploadError::TooLarge) => too_large(lang),
        Err(UploadError::Empty) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("console-error-upload-empty"),
            None,
        ),
        Err(UploadError::TooManyRows { rows }) => refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.t_args(
                "console-error-upload-rows",
                &[
                    ("rows", Arg::from(rows as u64)),
                    ("max", Arg::from(MAX_ROWS as u64)),
                ],
            ),
            None,
        ),
        Err(UploadError::Busy) => refused(
            StatusCode::TOO_MANY_REQUESTS,
            lang.t("console-error-upload-busy"),
            None,
        ),
        Err(UploadError::Header(m)) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("console-error-upload-header"),
            Some(m),
        ),
    }
}

/// A row error in the job page's table.
pub struct ErrorLine {
    pub row: u64,
    pub record_id: String,
    pub column: String,
    pub message: String,
}

/// A row that was issued (now or before).
pub struct DoneLine {
    pub row: u64,
    pub record_id: String,
    pub status: String,
    pub existing: bool,
    pub href: String,
}

#[derive(Template)]
#[template(path = "console/upload_job.html")]
pub struct JobPage {
    pub lang: Lang,
    pub nav: Nav,
    pub id: String,
    pub heading: String,
    pub by: String,
    pub progress: String,
    pub finished: bool,
    pub refresh: u32,
    pub issued: usize,
    pub existing: usize,
    pub failed: usize,
    pub errors: Vec<ErrorLine>,
    pub done: Vec<DoneLine>,
    /// The rows not issued, as CSV, for the fix-and-run-again form.
    pub failed_csv: String,
    pub name: String,
}

async fn job_of(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<std::sync::Arc<Job>, Response> {
    let institution = issuer(state, staff).await?;
    state
        .service
        .uploads()
        .get(&institution.id, id)
        .ok_or_else(|| {
            problem(
                StatusCode::NOT_FOUND,
                staff.lang,
                "console-error-upload-not-found",
            )
        })
}

async fn job_page(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> Response {
    let lang = staff.lang;
    let job = match job_of(&state, &staff, &id).await {
        Ok(j) => j,
        Err(r) => return r,
    };
    let p = job.progress();
    let mut errors = Vec::new();
    let mut done = Vec::new();
    for row in &p.rows {
        let record_id = row.record_id.clone().unwrap_or_default();
        if row.status == RowStatus::Error {
            for problem in &row.problems {
                errors.push(ErrorLine {
                    row: row.row,
                    record_id: record_id.clone(),
                    column: problem.column().unwrap_or_default(),
                    message: match problem {
                        Problem::NoRecordId => lang.t("console-upload-no-record-id"),
                        Problem::Checked(e) => {
                            let words = record_words::problem(lang, e.kind, &e.args, &e.message);
                            // The column says where; without one, the record path does.
                            match &e.path {
                                Some(path) if problem.column().is_none() => format!(
                                    "{}: {words}",
                                    if path.is_empty() { "(root)" } else { path }
                                ),
                                _ => words,
                            }
                        }
                    },
                });
            }
        } else {
            let existing = row.status == RowStatus::Existing;
            done.push(DoneLine {
                row: row.row,
                record_id,
                status: lang.t(if existing {
                    "console-upload-existing"
                } else {
                    "console-upload-issued"
                }),
                existing,
                href: row
                    .credential_id
                    .as_deref()
                    .map(|c| format!("/console/credentials/{}", path_segment(c)))
                    .unwrap_or_default(),
            });
        }
    }
    let failed_csv = if p.failed > 0 {
        job.failed_csv()
    } else {
        String::new()
    };
    page(
        StatusCode::OK,
        lang,
        &JobPage {
            lang,
            nav: staff.nav(),
            id: job.id.clone(),
            heading: lang.t_args(
                "console-upload-job",
                &[("name", Arg::from(job.name.as_str()))],
            ),
            by: lang.t_args(
                "console-upload-by",
                &[
                    ("who", Arg::from(job.uploader.as_str())),
                    ("when", Arg::from(date_time(lang, job.started))),
                ],
            ),
            progress: progress_words(lang, p.done, job.total),
            finished: p.finished,
            refresh: REFRESH_SECONDS,
            issued: p.issued,
            existing: p.existing,
            failed: p.failed,
            errors,
            done,
            failed_csv,
            name: lang.t_args(
                "console-upload-fixed-name",
                &[("name", Arg::from(job.name.trim_end_matches(".csv")))],
            ),
        },
    )
}

/// `GET /console/uploads/{id}/failed.csv`: the header and the rows not issued.
async fn failed_rows(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    match job_of(&state, &staff, &id).await {
        Ok(job) => csv_download(job.failed_csv(), "failed-rows.csv"),
        Err(r) => r,
    }
}
