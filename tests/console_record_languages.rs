//! The record checks' problems in the reader's language on the console (issue 14), and
//! translations in the batch CSV: the issue form and an upload's error table in Thai and
//! Khmer, the API still in English; a CSV with the achievement's name in Thai and Khmer and
//! the learner's name in Thai script issues a credential whose employer page shows the Thai
//! name to a Thai reader; a bad language tag or a column for a field without translations is
//! refused with a plain error naming the column.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app::{Reply, TestApp};
use common::console::{form_body, sign_in, staff, Browser};

const BOUNDARY: &str = "----skillpass-record-languages-b0undary";

async fn setup() -> (TestApp, Browser) {
    let app = TestApp::new();
    staff(&app, "registrar@szpu.test", Some("szpu"), "registrar").await;
    let browser = sign_in(&app, "registrar@szpu.test").await;
    (app, browser)
}

fn request(
    method: Method,
    path: &str,
    browser: &Browser,
    lang: &str,
) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &browser.cookie)
        .header(header::ORIGIN, "https://skillpass.test")
        .header(header::ACCEPT_LANGUAGE, lang)
}

async fn page(app: &TestApp, browser: &Browser, path: &str, lang: &str) -> String {
    let reply = app
        .send(
            request(Method::GET, path, browser, lang)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.text()
}

/// Uploads `csv` as a file, read in `lang`.
async fn upload(app: &TestApp, browser: &Browser, csv: &str, lang: &str) -> Reply {
    let mut body = Vec::new();
    for (name, file, content) in [
        ("csrf", None, browser.csrf.as_bytes()),
        ("file", Some("records.csv"), csv.as_bytes()),
    ] {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let req = request(Method::POST, "/console/uploads", browser, lang)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// The job page once the job has finished, in `lang`.
async fn finished(app: &TestApp, browser: &Browser, job: &str, lang: &str) -> String {
    for _ in 0..400 {
        let text = page(app, browser, job, lang).await;
        if text.contains("data-finished=\"true\"") {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the upload did not finish");
}

/// The error table's rows: (column, problem).
fn error_rows(page: &str) -> Vec<(String, String)> {
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
            (cells[2].clone(), cells[3].clone())
        })
        .collect()
}

/// The messages next to a field of the issue form.
fn field_errors(page: &str, field: &str) -> Vec<String> {
    let marker = format!("data-field=\"{field}\">");
    page.split(&marker)
        .skip(1)
        .map(|rest| rest.split("</p>").next().unwrap().to_owned())
        .collect()
}

/// The template's first example row with `changes` (column → value), under the template's
/// header with `extra` columns added (each row gets the cell given, or an empty one).
fn csv(rows: &[&[(&str, &str)]], extra: &[&str]) -> String {
    let template = skillpass::batch::csv_template();
    let mut lines = template.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .chain(extra.iter().map(|s| s.to_string()))
        .collect();
    let first: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let mut out = header.join(",");
    out.push('\n');
    for changes in rows {
        let mut cells = first.clone();
        cells.resize(header.len(), String::new());
        for (name, value) in *changes {
            let at = header.iter().position(|c| c == name).unwrap();
            cells[at] = value.to_string();
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

const LEVELS: &str = "secondary, associate, bachelor";

#[tokio::test]
async fn the_issue_forms_record_problems_read_in_thai_and_khmer() {
    let (app, browser) = setup().await;
    let form = |lang: &str| {
        let fields: Vec<(&str, &str)> = vec![
            ("csrf", browser.csrf.as_str()),
            ("recordId", "FORM-LANG-1"),
            ("learnerName", "Malee Sirisuk"),
            ("learnerIdentifier", "TH-2025-0077"),
            ("achievementName", "Industrial Robot Maintenance"),
            ("achievementDescription", "Maintenance of six-axis robots."),
            ("criteria", "A practical test."),
            ("outcomes", "ROB-1 | Lock out a robot cell\n"),
            ("fieldOfStudy", "0714"),
            // A level the framework lacks (only the case differs) and an end before the award.
            ("level", "CN-VOC|Associate"),
            ("credits", "4"),
            ("creditSystem", "CN-credit"),
            ("learningHours", "72"),
            ("awardedDate", "2026-06-30"),
            ("validUntil", "2026-06-01"),
        ];
        request(Method::POST, "/console/issue", &browser, lang)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(&fields)))
            .unwrap()
    };

    let th = app.send(form("th")).await;
    assert_eq!(th.status, StatusCode::UNPROCESSABLE_ENTITY);
    let th = th.text();
    let level = field_errors(&th, "level");
    assert_eq!(level.len(), 1, "{th}");
    assert!(
        level[0].starts_with("`Associate` ไม่ใช่ระดับของกรอบคุณวุฒิ CN-VOC")
            && level[0].contains("หมายถึง associate หรือไม่")
            && level[0].ends_with(&format!("ระดับที่มีคือ: {LEVELS}")),
        "{level:?}"
    );
    assert_eq!(
        field_errors(&th, "validUntil"),
        ["ต้องเป็นวันที่หลังวันที่ได้รับ (awardedDate)"]
    );
    assert!(!th.contains("is not a level of framework"), "{th}");

    let km = app.send(form("km")).await.text();
    let level = field_errors(&km, "level");
    assert!(
        level[0].starts_with("`Associate` មិនមែនជាកម្រិតមួយនៃក្របខណ្ឌ CN-VOC ទេ")
            && level[0].ends_with(&format!("កម្រិតរបស់វាគឺ៖ {LEVELS}")),
        "{level:?}"
    );
    assert_eq!(
        field_errors(&km, "validUntil"),
        ["ត្រូវតែក្រោយកាលបរិច្ឆេទប្រគល់ (awardedDate)"]
    );

    // In English, the checks' own sentences.
    let en = app.send(form("en")).await.text();
    assert_eq!(
        field_errors(&en, "level"),
        [format!("level `Associate` is not a level of framework CN-VOC (codes are case-sensitive: did you mean associate?); its levels are: {LEVELS}")]
    );
}

#[tokio::test]
async fn the_upload_error_table_reads_in_thai_and_khmer_and_the_api_stays_english() {
    let (app, browser) = setup().await;
    let file = csv(
        &[
            &[("recordId", "BAD-LEVEL-1"), ("levelCode", "nope")],
            &[("recordId", "BAD-DATE-1"), ("awardedDate", "11/07/2025")],
            &[
                ("recordId", "BAD-COUNTRY-1"),
                ("issuerUrl", "www.college.example"),
            ],
        ],
        &[],
    );
    let reply = upload(&app, &browser, &file, "th").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let job = reply.headers[header::LOCATION].to_str().unwrap().to_owned();

    let th = finished(&app, &browser, &job, "th").await;
    let rows = error_rows(&th);
    let problem = |rows: &[(String, String)], column: &str| -> Vec<String> {
        rows.iter()
            .filter(|(c, _)| c == column)
            .map(|(_, p)| p.clone())
            .collect()
    };
    assert_eq!(
        problem(&rows, "levelCode"),
        [format!(
            "`nope` ไม่ใช่ระดับของกรอบคุณวุฒิ CN-VOC ระดับที่มีคือ: {LEVELS}"
        )],
        "{rows:?}"
    );
    let date = problem(&rows, "awardedDate");
    assert!(!date.is_empty(), "{rows:?}");
    for p in &date {
        assert!(p.starts_with("&quot;11/07/2025&quot; ไม่ใช่วันที่"), "{p}");
    }
    let url = problem(&rows, "issuerUrl");
    assert!(
        url.iter()
            .any(|p| p.contains("ไม่ใช่ที่อยู่เว็บที่ขึ้นต้นด้วย https://")),
        "{url:?}"
    );

    let km = finished(&app, &browser, &job, "km").await;
    let rows = error_rows(&km);
    assert_eq!(
        problem(&rows, "levelCode"),
        [format!(
            "`nope` មិនមែនជាកម្រិតមួយនៃក្របខណ្ឌ CN-VOC ទេ។ កម្រិតរបស់វាគឺ៖ {LEVELS}"
        )]
    );
    for p in problem(&rows, "awardedDate") {
        assert!(p.contains("មិនមែនជាកាលបរិច្ឆេទ"), "{p}");
    }

    // The English page and the API answer the checks' English sentences.
    let en = finished(&app, &browser, &job, "en").await;
    assert_eq!(
        problem(&error_rows(&en), "levelCode"),
        [format!(
            "level `nope` is not a level of framework CN-VOC; its levels are: {LEVELS}"
        )]
    );
    let api = Request::builder()
        .method(Method::POST)
        .uri("/records/batch")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, "text/csv")
        .header(header::ACCEPT_LANGUAGE, "th")
        .body(Body::from(file.clone()))
        .unwrap();
    let reply = app.send(api).await;
    assert_eq!(reply.status, StatusCode::OK);
    let first: serde_json::Value =
        serde_json::from_str(reply.text().lines().next().unwrap()).unwrap();
    assert_eq!(
        first["errors"][0],
        serde_json::json!({
            "path": "/achievement/level/code",
            "column": "levelCode",
            "message": format!("level `nope` is not a level of framework CN-VOC; its levels are: {LEVELS}"),
        })
    );
}

const TH_NAME: &str = "บริการหลังการขายยานยนต์พลังงานใหม่";
const KM_NAME: &str = "សេវាក្រោយការលក់យានយន្តថាមពលថ្មី";

#[tokio::test]
async fn a_csv_with_thai_and_khmer_names_issues_a_credential_shown_in_thai_to_a_thai_reader() {
    let (app, browser) = setup().await;
    let file = csv(
        &[&[
            ("recordId", "LANG-CSV-1"),
            ("learnerName", "Malee Sirisuk"),
            ("learnerNativeName", "มาลี ศิริสุข"),
            ("achievementName@th", TH_NAME),
            (
                "achievementDescription@th",
                "ความปลอดภัยไฟฟ้าแรงสูงและการวินิจฉัยระบบแบตเตอรี่",
            ),
            ("achievementName@km", KM_NAME),
            (
                "outcomes@th",
                "ตัดแยกและล็อกระบบไฟฟ้าแรงสูงก่อนเริ่มงาน;วัดความต้านทานฉนวนของชิ้นส่วนไฟฟ้าแรงสูง",
            ),
        ]],
        &[
            "achievementName@th",
            "achievementDescription@th",
            "achievementName@km",
            "outcomes@th",
        ],
    );
    // Through the console's upload, which reads the file with the batch parser.
    let reply = upload(&app, &browser, &file, "en").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let job = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    let done = finished(&app, &browser, &job, "en").await;
    assert!(error_rows(&done).is_empty(), "{done}");
    let href = done
        .split("href=\"/console/credentials/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the issued row links its credential")
        .to_owned();
    let id = href.replace("%3A", ":");

    let vc = app.service.credential(&id).unwrap().credential;
    let achievement = &vc["credentialSubject"]["achievement"];
    assert_eq!(achievement["nameMap"]["th"], TH_NAME, "{achievement:#}");
    assert_eq!(achievement["nameMap"]["km"], KM_NAME);
    assert_eq!(achievement["nameMap"]["lo"], "ການບໍລິການຫຼັງການຂາຍລົດພະລັງງານໃໝ່");
    assert!(achievement["descriptionMap"]["th"].is_string());
    let names: Vec<&str> = vc["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["identityType"] == "name")
        .map(|i| i["identityHash"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Malee Sirisuk", "มาลี ศิริสุข"]);

    // The employer page, to a Thai reader and to a Khmer one.
    let employer = |lang: &'static str| {
        Request::builder()
            .method(Method::GET)
            .uri(format!("/verify/{id}"))
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .unwrap()
    };
    let th = app.send(employer("th")).await;
    assert_eq!(th.status, StatusCode::OK);
    let th = th.text();
    assert!(
        th.contains(&format!("<bdi lang=\"th\">{TH_NAME}</bdi>")),
        "{th}"
    );
    assert!(
        th.contains("<bdi lang=\"th\">ตัดแยกและล็อกระบบไฟฟ้าแรงสูงก่อนเริ่มงาน"),
        "{th}"
    );
    let km = app.send(employer("km")).await.text();
    assert!(
        km.contains(&format!("<bdi lang=\"km\">{KM_NAME}</bdi>")),
        "{km}"
    );
}

#[tokio::test]
async fn a_bad_language_tag_or_a_column_without_translations_is_refused_naming_the_column() {
    let (app, browser) = setup().await;
    for (column, words) in [
        ("achievementName@TH", "\"TH\" is not a language tag"),
        ("achievementName@thai", "\"thai\" is not a language tag"),
        ("achievementName@", "\"\" is not a language tag"),
        ("learnerName@th", "learnerNativeName"),
        ("issuerName@zh-Hans", "\"issuerName\" has no translations"),
    ] {
        let file = csv(&[&[(column, "x")]], &[column]);
        // The API: the batch stops before its first row, the header's problem in words.
        let api = Request::builder()
            .method(Method::POST)
            .uri("/records/batch")
            .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(file.clone()))
            .unwrap();
        let reply = app.send(api).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{column}: {}",
            reply.text()
        );
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.contains(&format!("column {column:?}")) && message.contains(words),
            "{column}: {message}"
        );
        assert!(!message.contains('^'), "no regular expression: {message}");
        // The console: the upload is refused with the same words under its heading.
        let reply = upload(&app, &browser, &file, "th").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{column}");
        let page = reply.text();
        assert!(
            page.contains(&format!("&quot;{column}&quot;")),
            "{column}: {page}"
        );
    }
    // A tag with a script and one with a region are tags.
    for column in ["achievementDescription@zh-Hans", "criteria@pt-BR"] {
        let file = csv(&[&[("recordId", "TAG-OK"), (column, "x")]], &[column]);
        let reply = upload(&app, &browser, &file, "en").await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{column}: {}",
            reply.text()
        );
    }
}
