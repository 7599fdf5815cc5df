//! Issuing from the console over HTTP: one credential from a form (field errors in plain
//! words next to their fields, values kept), CSV uploads issued in the background with a
//! progress page and a table of row errors, the failed rows fixed and run again, a whole file
//! run again without issuing twice, and the refusals: viewers, forms without the CSRF token or
//! from another site, another institution's job, files over the limits.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app::{Reply, TestApp};
use common::console::{form_body, get, post_form_from, sign_in, staff, Browser};
use skillpass::console::uploads::{MAX_ROWS, MAX_UPLOAD_BYTES};
use skillpass::console::{accounts, search};

const BOUNDARY: &str = "----skillpass-test-boundary-7MA4YWxkTrZu0gW";

/// A part of a multipart form: name, file name, content.
struct Part<'a>(&'a str, Option<&'a str>, &'a [u8]);

fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for Part(name, file, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(app: &TestApp, browser: &Browser, parts: &[Part<'_>]) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/console/uploads")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &browser.cookie)
        .header(header::ORIGIN, "https://skillpass.test");
    app.send(req.body(Body::from(multipart(parts))).unwrap())
        .await
}

async fn setup() -> TestApp {
    let app = TestApp::new();
    staff(&app, "registrar@szpu.test", Some("szpu"), "registrar").await;
    staff(&app, "issuer@szpu.test", Some("szpu"), "issuer").await;
    staff(&app, "viewer@szpu.test", Some("szpu"), "viewer").await;
    app
}

/// The `issue` lines of the audit trail: (credential, the e-mail of the staff member named).
fn issuers_of(app: &TestApp) -> Vec<(String, String)> {
    let audit = app.store.audit(Some("szpu"), 500).unwrap();
    audit
        .iter()
        .filter(|e| e.action == "issue")
        .map(|e| {
            let email = [
                "issuer@szpu.test",
                "registrar@szpu.test",
                "viewer@szpu.test",
            ]
            .into_iter()
            .find(|email| {
                accounts::current(&*app.store, email)
                    .unwrap()
                    .is_some_and(|a| a.actor() == e.actor)
            })
            .unwrap_or_else(|| panic!("issued by {}, not a staff member", e.actor));
            (e.subject.clone().unwrap(), email.to_owned())
        })
        .collect()
}

fn issued_count(app: &TestApp, institution: &str) -> usize {
    search::rows(&*app.store, institution).unwrap().len()
}

/// A complete, valid form.
fn good_form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("recordId", "FORM-2025-0001".into()),
        ("learnerName", "Malee Sirisuk".into()),
        ("learnerIdentifier", "TH-2025-0077".into()),
        ("achievementName", "Industrial Robot Maintenance".into()),
        (
            "achievementDescription",
            "Routine maintenance and fault finding of six-axis industrial robots.".into(),
        ),
        (
            "criteria",
            "Pass the practical maintenance test on a working cell.".into(),
        ),
        (
            "outcomes",
            "ROB-1 | Lock out a robot cell safely\nROB-2 | Replace a servo motor and recalibrate\n"
                .into(),
        ),
        ("fieldOfStudy", "0714".into()),
        ("level", "CN-VOC|associate".into()),
        ("credits", "4".into()),
        ("creditSystem", "CN-credit".into()),
        ("learningHours", "72".into()),
        ("awardedDate", "2026-06-30".into()),
        ("validUntil", "".into()),
    ]
}

fn fields<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn set(form: &mut [(&'static str, String)], key: &str, value: &str) {
    form.iter_mut().find(|(k, _)| *k == key).unwrap().1 = value.to_owned();
}

/// The messages shown next to `field` (`<p class="field-error" data-field="…">`).
fn field_errors(page: &str, field: &str) -> Vec<String> {
    let marker = format!("data-field=\"{field}\">");
    page.split(&marker)
        .skip(1)
        .map(|rest| rest.split("</p>").next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_issuer_issues_one_credential_from_the_form_and_lands_on_its_page() {
    let app = setup().await;
    let browser = sign_in(&app, "issuer@szpu.test").await;
    let page = get(&app, "/console/issue", Some(&browser.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    // Selects built from the framework data; a fresh record id and today as defaults.
    assert!(text.contains("value=\"CN-VOC|associate\""), "{text}");
    assert!(text.contains("value=\"MQF|"), "{text}");
    assert!(text.contains("value=\"CN-credit\""), "{text}");
    assert!(
        text.contains("name=\"recordId\" value=\"console-"),
        "{text}"
    );
    assert!(text.contains("value=\"2026-09-01\""), "{text}");

    let form = good_form(&browser.csrf);
    let reply = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        Some("https://skillpass.test"),
        &fields(&form),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/console/credentials/urn"),
        "{location}"
    );
    let shown = get(&app, &location, Some(&browser.cookie)).await;
    assert_eq!(shown.status, StatusCode::OK);
    let shown = shown.text();
    assert!(
        shown.contains("Malee Sirisuk") && shown.contains("FORM-2025-0001"),
        "{shown}"
    );
    assert_eq!(issued_count(&app, "szpu"), 1);

    // The credential carries the form's values; the issuer is the staff member's institution.
    let stored = app
        .store
        .find_by_record_id("szpu", "FORM-2025-0001")
        .unwrap()
        .unwrap();
    let vc = &stored.credential;
    let achievement = &vc["credentialSubject"]["achievement"];
    assert_eq!(achievement["name"], "Industrial Robot Maintenance");
    let szpu = app.store.get_institution("szpu").unwrap().unwrap();
    assert_eq!(vc["issuer"]["id"], szpu.did);
    assert_eq!(vc["issuer"]["name"], szpu.name);
    // The audit trail names the person, not the institution.
    assert_eq!(
        issuers_of(&app),
        [(stored.id.clone(), "issuer@szpu.test".to_owned())]
    );

    // Sending the same form again issues nothing and says so next to the record id.
    let again = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        None,
        &fields(&form),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let again = again.text();
    assert_eq!(
        field_errors(&again, "recordId")[0]
            .split(" <a")
            .next()
            .unwrap(),
        "A credential has already been issued with this record id."
    );
    assert!(
        again.contains(&format!("href=\"{location}\" id=\"existing\"")),
        "{again}"
    );
    assert_eq!(issued_count(&app, "szpu"), 1);
}

#[tokio::test]
async fn field_errors_are_shown_next_to_their_fields_and_the_values_are_kept() {
    let app = setup().await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    let mut form = good_form(&browser.csrf);
    set(&mut form, "learnerName", "  ");
    set(&mut form, "credits", "three");
    set(&mut form, "awardedDate", "30/06/2026");
    set(&mut form, "recordId", "has spaces in it");
    set(&mut form, "achievementName", "Robots <&> \"cells\"");
    let reply = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        None,
        &fields(&form),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.text();
    assert!(page.contains("The credential was not issued."), "{page}");
    assert_eq!(field_errors(&page, "learnerName"), ["Please fill this in."]);
    assert_eq!(
        field_errors(&page, "credits"),
        ["Write a number, such as 3 or 1.5."]
    );
    assert_eq!(
        field_errors(&page, "awardedDate"),
        ["Write a date as year-month-day, such as 2025-07-11."]
    );
    assert_eq!(field_errors(&page, "recordId").len(), 1);
    assert!(field_errors(&page, "learnerIdentifier").is_empty());
    // The values come back, escaped; selects keep their choice.
    assert!(page.contains("value=\"three\""), "{page}");
    assert!(page.contains("value=\"30/06/2026\""), "{page}");
    assert!(
        page.contains("value=\"Robots &#60;&#38;&#62; &#34;cells&#34;\"")
            || page.contains("value=\"Robots &lt;&amp;&gt; &quot;cells&quot;\""),
        "{page}"
    );
    assert!(page.contains("ROB-2 | Replace a servo motor"), "{page}");
    assert!(
        page.contains("value=\"CN-VOC|associate\" selected"),
        "{page}"
    );
    assert_eq!(issued_count(&app, "szpu"), 0);

    // What only the record checks know lands on its field too: a level the framework lacks,
    // a validUntil before the award.
    let mut form = good_form(&browser.csrf);
    set(&mut form, "level", "CN-VOC|doctorate-of-everything");
    let reply = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        None,
        &fields(&form),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = reply.text();
    let level = field_errors(&page, "level");
    assert_eq!(level.len(), 1, "{page}");
    assert!(
        level[0].contains("is not a level of framework CN-VOC"),
        "{level:?}"
    );
    assert!(page.contains("value=\"FORM-2025-0001\""));
    assert_eq!(issued_count(&app, "szpu"), 0);
}

#[tokio::test]
async fn a_viewer_may_not_issue_or_upload() {
    let app = setup().await;
    let browser = sign_in(&app, "viewer@szpu.test").await;
    let home = get(&app, "/console", Some(&browser.cookie)).await.text();
    assert!(!home.contains("href=\"/console/issue\""), "{home}");
    for path in ["/console/issue", "/console/uploads"] {
        assert_eq!(
            get(&app, path, Some(&browser.cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let form = good_form(&browser.csrf);
    let reply = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        None,
        &fields(&form),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let csv = skillpass::batch::csv_template();
    let reply = post_multipart(
        &app,
        &browser,
        &[
            Part("csrf", None, browser.csrf.as_bytes()),
            Part("file", Some("records.csv"), csv.as_bytes()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(issued_count(&app, "szpu"), 0);
    // A registrar sees the links.
    let registrar = sign_in(&app, "registrar@szpu.test").await;
    let home = get(&app, "/console", Some(&registrar.cookie)).await.text();
    assert!(home.contains("href=\"/console/issue\"") && home.contains("href=\"/console/uploads\""));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_or_from_another_site_is_refused() {
    let app = setup().await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    let mut form = good_form(&browser.csrf);
    // Another site's form, with a valid token even.
    let reply = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        Some("https://evil.test"),
        &fields(&form),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    set(&mut form, "csrf", "");
    let reply = post_form_from(
        &app,
        "/console/issue",
        Some(&browser.cookie),
        None,
        &fields(&form),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.text().contains("This form has expired"));
    // An upload without the token, and one from another site.
    let csv = skillpass::batch::csv_template();
    let reply = post_multipart(
        &app,
        &browser,
        &[Part("file", Some("records.csv"), csv.as_bytes())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/console/uploads")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, &browser.cookie)
        .header(header::ORIGIN, "https://evil.test")
        .body(Body::from(multipart(&[
            Part("csrf", None, browser.csrf.as_bytes()),
            Part("file", Some("records.csv"), csv.as_bytes()),
        ])))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // Signed out: to the sign-in page.
    let reply = post_form_from(&app, "/console/issue", None, None, &fields(&good_form("x"))).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/console/sign-in");
    assert_eq!(issued_count(&app, "szpu"), 0);
}

/// The template's two rows and three bad ones: a level the framework lacks, no record id, a
/// date in the wrong shape.
fn mixed_csv() -> String {
    let template = skillpass::batch::csv_template();
    let mut lines = template.lines();
    let header = lines.next().unwrap();
    let good: Vec<&str> = lines.collect();
    let columns: Vec<&str> = header.split(',').collect();
    let at = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let first: Vec<&str> = good[0].split(',').collect();
    assert_eq!(
        first.len(),
        columns.len(),
        "the first example row has no quoted commas"
    );
    let variant = |changes: &[(&str, &str)]| {
        let mut cells: Vec<String> = first.iter().map(|c| c.to_string()).collect();
        for (name, value) in changes {
            cells[at(name)] = value.to_string();
        }
        cells.join(",")
    };
    let rows = [
        good[0].to_owned(),
        good[1].to_owned(),
        variant(&[("recordId", "BAD-LEVEL-1"), ("levelCode", "nope")]),
        variant(&[("recordId", "")]),
        variant(&[("recordId", "BAD-DATE-1"), ("awardedDate", "11/07/2025")]),
    ];
    format!("{header}\n{}\n", rows.join("\n"))
}

/// Reads the job page until the job has finished.
async fn finished_job(app: &TestApp, browser: &Browser, path: &str) -> String {
    for _ in 0..400 {
        let reply = get(app, path, Some(&browser.cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let page = reply.text();
        if page.contains("data-finished=\"true\"") {
            assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
            return page;
        }
        assert!(
            page.contains("<meta http-equiv=\"refresh\" content=\"2\">"),
            "a running job's page refreshes itself: {page}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the upload did not finish");
}

fn count(page: &str, id: &str) -> usize {
    page.split(&format!("id=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .parse()
        .unwrap()
}

/// The rows of the error table: (row, record id, column, message).
fn error_rows(page: &str) -> Vec<(String, String, String, String)> {
    let Some(table) = page.split("<table id=\"row-errors\">").nth(1) else {
        return Vec::new();
    };
    let body = table.split("</table>").next().unwrap();
    body.split("<tr>")
        .skip(2)
        .map(|tr| {
            let cells: Vec<String> = tr
                .split("<td")
                .skip(1)
                .map(|td| {
                    let inner = td.split_once('>').unwrap().1;
                    let inner = inner.split("</td>").next().unwrap();
                    inner
                        .replace("<bdi>", "")
                        .replace("</bdi>", "")
                        .replace("<code>", "")
                        .replace("</code>", "")
                })
                .collect();
            (
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                cells[3].clone(),
            )
        })
        .collect()
}

async fn upload(app: &TestApp, browser: &Browser, name: &str, csv: &str) -> String {
    let reply = post_multipart(
        app,
        browser,
        &[
            Part("csrf", None, browser.csrf.as_bytes()),
            Part("file", Some(name), csv.as_bytes()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    reply.headers[header::LOCATION].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_upload_issues_the_good_rows_and_tables_the_bad_ones_which_are_fixed_and_rerun() {
    let app = setup().await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    let page = get(&app, "/console/uploads", Some(&browser.cookie))
        .await
        .text();
    assert!(
        page.contains("href=\"/console/uploads/template.csv\""),
        "{page}"
    );
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");

    let csv = mixed_csv();
    let job = upload(&app, &browser, "july.csv", &csv).await;
    assert!(job.starts_with("/console/uploads/"), "{job}");
    let page = finished_job(&app, &browser, &job).await;
    assert!(page.contains("5 of 5 rows done"), "{page}");
    assert_eq!(count(&page, "issued"), 2);
    assert_eq!(count(&page, "existing"), 0);
    assert_eq!(count(&page, "failed"), 3);
    assert_eq!(issued_count(&app, "szpu"), 2);
    let errors = error_rows(&page);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0].0, "3");
    assert_eq!(errors[0].1, "BAD-LEVEL-1");
    assert_eq!(errors[0].2, "levelCode");
    assert!(
        errors[0].3.contains("is not a level of framework CN-VOC"),
        "{errors:?}"
    );
    assert_eq!(
        (
            errors[1].0.as_str(),
            errors[1].1.as_str(),
            errors[1].2.as_str()
        ),
        ("4", "", "recordId")
    );
    assert!(
        errors[1].3.starts_with("This row has no record id."),
        "{errors:?}"
    );
    assert_eq!(
        (
            errors[2].0.as_str(),
            errors[2].1.as_str(),
            errors[2].2.as_str()
        ),
        ("5", "BAD-DATE-1", "awardedDate")
    );
    // The issued rows link to their credentials.
    let issued = app
        .store
        .find_by_record_id("szpu", "EXAMPLE-2025S-PV2201-0042")
        .unwrap()
        .unwrap();
    assert!(
        page.contains(&format!(
            "href=\"/console/credentials/{}\"",
            issued.id.replace(':', "%3A")
        )) || page.contains(&format!("href=\"/console/credentials/{}\"", issued.id)),
        "{page}"
    );
    // Who uploaded it is in the audit trail of each credential.
    let issuers = issuers_of(&app);
    assert_eq!(issuers.len(), 2);
    assert!(
        issuers.iter().all(|(_, who)| who == "registrar@szpu.test"),
        "{issuers:?}"
    );
    assert!(page.contains("Uploaded by registrar@szpu.test"), "{page}");

    // The failed rows, as CSV: the header and the three rows exactly as uploaded.
    let failed = get(&app, &format!("{job}/failed.csv"), Some(&browser.cookie)).await;
    assert_eq!(failed.status, StatusCode::OK);
    assert_eq!(
        failed.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert!(failed.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("filename=\"failed-rows.csv\""));
    let failed = failed.text();
    let expected: Vec<&str> = csv
        .lines()
        .enumerate()
        .filter(|(i, _)| [0, 3, 4, 5].contains(i))
        .map(|(_, l)| l)
        .collect();
    assert_eq!(failed.lines().collect::<Vec<_>>(), expected);
    // The page offers the same rows for fixing in place.
    assert!(page.contains("id=\"rerun-form\""), "{page}");
    assert!(page.contains("BAD-DATE-1"), "{page}");
    assert!(
        page.contains("name=\"name\" value=\"july (fixed)\""),
        "{page}"
    );

    // Fixed in place and run again: only those three are issued.
    let fixed = failed
        .replace(",nope,", ",associate,")
        .replace("11/07/2025", "2025-07-11")
        .replacen("\n,", "\nFIXED-NO-ID-1,", 1);
    let reply = post_multipart(
        &app,
        &browser,
        &[
            Part("csrf", None, browser.csrf.as_bytes()),
            Part("name", None, b"july (fixed)"),
            Part("rows", None, fixed.as_bytes()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let rerun = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_ne!(rerun, job);
    let page = finished_job(&app, &browser, &rerun).await;
    assert!(page.contains("july (fixed)"), "{page}");
    assert_eq!(count(&page, "issued"), 3, "{page}");
    assert_eq!(count(&page, "existing"), 0);
    assert_eq!(count(&page, "failed"), 0);
    assert!(error_rows(&page).is_empty());
    assert_eq!(issued_count(&app, "szpu"), 5);
    for id in ["BAD-LEVEL-1", "BAD-DATE-1", "FIXED-NO-ID-1"] {
        assert!(
            app.store.find_by_record_id("szpu", id).unwrap().is_some(),
            "{id}"
        );
    }

    // The whole fixed file again: nothing new, every row "already issued".
    let whole = format!(
        "{}\n{}\n{}\n",
        csv.lines().next().unwrap(),
        csv.lines().skip(1).take(2).collect::<Vec<_>>().join("\n"),
        fixed.lines().skip(1).collect::<Vec<_>>().join("\n")
    );
    let again = upload(&app, &browser, "july-all.csv", &whole).await;
    let page = finished_job(&app, &browser, &again).await;
    assert_eq!(count(&page, "issued"), 0, "{page}");
    assert_eq!(count(&page, "existing"), 5, "{page}");
    assert_eq!(count(&page, "failed"), 0);
    assert_eq!(page.matches("Already issued</td>").count(), 5, "{page}");
    assert_eq!(issued_count(&app, "szpu"), 5);

    // The original file again: its good rows are already issued, its bad rows fail again.
    let original = upload(&app, &browser, "july.csv", &csv).await;
    let page = finished_job(&app, &browser, &original).await;
    assert_eq!(count(&page, "issued"), 0);
    assert_eq!(count(&page, "existing"), 2);
    assert_eq!(count(&page, "failed"), 3);
    assert_eq!(issued_count(&app, "szpu"), 5);

    // The uploads list shows the jobs, newest first.
    let list = get(&app, "/console/uploads", Some(&browser.cookie))
        .await
        .text();
    let newest = list.find(&format!("href=\"{original}\"")).unwrap();
    let oldest = list.find(&format!("href=\"{job}\"")).unwrap();
    assert!(newest < oldest, "{list}");
}

#[tokio::test]
async fn another_institutions_staff_gets_404_for_a_job() {
    let app = setup().await;
    app.register("other", "did-key");
    staff(&app, "registrar@other.test", Some("other"), "registrar").await;
    let ours = sign_in(&app, "registrar@szpu.test").await;
    let theirs = sign_in(&app, "registrar@other.test").await;
    let job = upload(&app, &ours, "july.csv", &mixed_csv()).await;
    finished_job(&app, &ours, &job).await;
    for path in [job.clone(), format!("{job}/failed.csv")] {
        let reply = get(&app, &path, Some(&theirs.cookie)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.text().contains("BAD-LEVEL-1"));
    }
    let list = get(&app, "/console/uploads", Some(&theirs.cookie))
        .await
        .text();
    assert!(!list.contains(&job), "{list}");
    assert_eq!(
        get(
            &app,
            "/console/uploads/0123456789abcdef",
            Some(&ours.cookie)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn files_over_the_limits_and_files_without_rows_are_refused_in_plain_words() {
    let app = setup().await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    let template = skillpass::batch::csv_template();
    let header = template.lines().next().unwrap();
    let row = template.lines().nth(1).unwrap();

    // Over the size limit (the request body is a little over too, then far over).
    for extra in [1, 4 << 20] {
        let mut big = format!("{header}\n");
        while big.len() < MAX_UPLOAD_BYTES + extra {
            big.push_str(row);
            big.push('\n');
        }
        let reply = post_multipart(
            &app,
            &browser,
            &[
                Part("csrf", None, browser.csrf.as_bytes()),
                Part("file", Some("big.csv"), big.as_bytes()),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{extra}");
        assert!(
            reply
                .text()
                .contains("The file is too large: at most 2 MB is accepted."),
            "{}",
            reply.text()
        );
    }
    // Over the row limit.
    let short = format!("{header}\n{}", "x\n".repeat(MAX_ROWS + 1));
    let reply = post_multipart(
        &app,
        &browser,
        &[
            Part("csrf", None, browser.csrf.as_bytes()),
            Part("file", Some("many.csv"), short.as_bytes()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply
            .text()
            .contains(&format!("The file has {} rows", MAX_ROWS + 1)),
        "{}",
        reply.text()
    );
    // A header alone, a header that is not the template's, no file at all.
    for (body, words) in [
        (format!("{header}\n"), "a header row but no records"),
        ("name,grade\nA,B\n".to_owned(), "does not name the template"),
    ] {
        let reply = post_multipart(
            &app,
            &browser,
            &[
                Part("csrf", None, browser.csrf.as_bytes()),
                Part("file", Some("x.csv"), body.as_bytes()),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains(words), "{}", reply.text());
    }
    let reply = post_multipart(
        &app,
        &browser,
        &[Part("csrf", None, browser.csrf.as_bytes())],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Choose a CSV file to upload."));
    assert_eq!(issued_count(&app, "szpu"), 0);
    assert!(app.service.uploads().list("szpu").is_empty());
}

#[tokio::test]
async fn the_template_downloads_as_csv_and_issues_as_it_is() {
    let app = setup().await;
    let browser = sign_in(&app, "issuer@szpu.test").await;
    let reply = get(&app, "/console/uploads/template.csv", Some(&browser.cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        reply.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"skillpass-records.csv\""
    );
    assert_eq!(reply.text(), skillpass::batch::csv_template());
    let job = upload(&app, &browser, "template.csv", &reply.text()).await;
    let page = finished_job(&app, &browser, &job).await;
    assert_eq!(count(&page, "issued"), 2, "{page}");
    assert!(!page.contains("id=\"row-errors\""));
    assert!(!page.contains("id=\"rerun-form\""));
}

#[tokio::test]
async fn the_form_and_the_job_page_speak_the_readers_language() {
    let app = setup().await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    let job = upload(&app, &browser, "july.csv", &mixed_csv()).await;
    finished_job(&app, &browser, &job).await;
    let in_lang = |path: String, tag: &'static str| {
        Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, &browser.cookie)
            .header(header::ACCEPT_LANGUAGE, tag)
            .body(Body::empty())
            .unwrap()
    };
    let page = app.send(in_lang(job.clone(), "km")).await;
    assert_eq!(page.headers[header::CONTENT_LANGUAGE], "km");
    let page = page.text();
    assert!(page.contains("ជួរដែលមិនបានចេញ"), "{page}");
    assert!(page.contains("ជួរនេះគ្មានលេខកំណត់ត្រាទេ។"), "{page}");
    assert!(!page.contains("Rows that were not issued"), "{page}");
    // A field error of the form in Thai.
    let mut form = good_form(&browser.csrf);
    set(&mut form, "credits", "สาม");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/console/issue")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &browser.cookie)
        .header(header::ACCEPT_LANGUAGE, "th")
        .body(Body::from(form_body(&fields(&form))))
        .unwrap();
    let page = app.send(req).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = page.text();
    assert_eq!(
        field_errors(&page, "credits"),
        ["กรอกเป็นตัวเลข เช่น 3 หรือ 1.5"]
    );
    assert!(page.contains("value=\"สาม\""), "{page}");
    assert_eq!(issued_count(&app, "szpu"), 2);
}

/// How long an upload of the largest accepted file takes: `cargo test --test
/// http_console_issue -- --ignored --nocapture measure_upload`. Rows are the template's first
/// example with their own record ids, issued (signed, stored, durable) one by one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn measure_upload() {
    let app = setup().await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    let template = skillpass::batch::csv_template();
    let mut lines = template.lines();
    let header = lines.next().unwrap();
    let row = lines.next().unwrap();
    let mut csv = format!("{header}\n");
    for i in 0..MAX_ROWS {
        csv.push_str(&row.replacen("EXAMPLE-2025S-NEV3104-0117", &format!("M-{i:05}"), 1));
        csv.push('\n');
    }
    let started = std::time::Instant::now();
    let job = upload(&app, &browser, "measure.csv", &csv).await;
    let accepted = started.elapsed();
    let mut polls = 0;
    loop {
        let page = get(&app, &job, Some(&browser.cookie)).await.text();
        polls += 1;
        if page.contains("data-finished=\"true\"") {
            assert_eq!(count(&page, "issued"), MAX_ROWS);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let total = started.elapsed();
    println!(
        "{MAX_ROWS} rows ({} bytes): upload answered in {:.0} ms, all issued in {:.1} s ({:.0} rows/s), {polls} page loads",
        csv.len(),
        accepted.as_secs_f64() * 1000.0,
        total.as_secs_f64(),
        MAX_ROWS as f64 / total.as_secs_f64()
    );
}
