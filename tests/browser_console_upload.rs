//! Issuing from the console in a real browser: a registrar signs in, issues one credential
//! through the form (a field left empty comes back with its message next to it and the other
//! values kept), then uploads a CSV with good and bad rows through the upload form, sees the
//! job's progress page with the table of row errors, and runs the fixed rows again. The
//! service runs on a loopback port in this process; Debian's headless Chromium at a desktop
//! size. As in `tests/browser_console.rs`, forms are sent by small probe pages on the same
//! origin; the upload's probe page builds the file in script (a `File` put into the file input
//! through `DataTransfer`) and submits the console's own multipart form fields.
//!
//! Screenshots go to `target/tmp/browser_console/`, or to `$CONSOLE_SCREENSHOTS_DIR` when set
//! (`scripts/console-screenshots.sh` regenerates `docs/img/console-*.png` that way).
//!
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

use std::time::{Duration, Instant};

use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use common::browser::{chromium, visible_text};
use common::console::{attr, csrf, query, serve_console, Profile, Served};
use skillpass::console::Role;

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

/// `/__test/upload?csrf=…&name=…&csv=…`: a page with the console's upload form whose file
/// input gets a file made in script from `csv`, then submits it.
async fn upload_probe(Query(q): Query<Vec<(String, String)>>) -> Html<String> {
    let js = |s: &str| serde_json::to_string(s).unwrap().replace("</", "<\\/");
    Html(format!(
        "<!DOCTYPE html><html><body>\
         <form method=\"post\" action=\"/console/uploads\" enctype=\"multipart/form-data\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"file\" name=\"file\" id=\"file\"></form>\
         <script>\
         const file = new File([{}], {}, {{type: 'text/csv'}});\
         const list = new DataTransfer(); list.items.add(file);\
         document.getElementById('file').files = list.files;\
         document.forms[0].submit();\
         </script></body></html>",
        attr(&query(&q, "csrf")),
        js(&query(&q, "csv")),
        js(&query(&q, "name")),
    ))
}

/// Waits until every upload of `institution` has finished.
fn wait_for_uploads(server: &Served, institution: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while server
        .service
        .uploads()
        .list(institution)
        .iter()
        .any(|j| !j.finished())
    {
        assert!(Instant::now() < deadline, "the upload did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The template's two example rows, and two bad rows: a level CN-VOC lacks and a date in the
/// wrong shape.
fn mixed_csv() -> String {
    let template = skillpass::batch::csv_template();
    let mut lines = template.lines();
    let header = lines.next().unwrap();
    let good: Vec<&str> = lines.collect();
    let columns: Vec<&str> = header.split(',').collect();
    let at = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let first: Vec<&str> = good[0].split(',').collect();
    let variant = |changes: &[(&str, &str)]| {
        let mut cells: Vec<String> = first.iter().map(|c| c.to_string()).collect();
        for (name, value) in changes {
            cells[at(name)] = value.to_string();
        }
        cells.join(",")
    };
    format!(
        "{header}\n{}\n{}\n{}\n{}\n",
        good[0],
        good[1],
        variant(&[
            ("recordId", "2025S-NEV3104-0150"),
            ("learnerName", "Keo Sopheap"),
            ("levelCode", "senior-associate")
        ]),
        variant(&[
            ("recordId", "2025S-NEV3104-0151"),
            ("learnerName", "Nurul Aina"),
            ("awardedDate", "11/07/2025")
        ]),
    )
}

#[test]
fn a_registrar_issues_from_the_form_and_uploads_a_csv_with_good_and_bad_rows() {
    chromium();
    let server = serve_console(|router| router.route("/__test/upload", get(upload_probe)));
    server.register("szpu", "Shenzhen Polytechnic University", "CN");
    server.staff("registrar@szpu.test", Some("szpu"), Role::Registrar);
    let dir = tempfile::tempdir().unwrap();
    let registrar = Profile::new(dir.path(), "registrar", "browser_console", WIDTH, HEIGHT);
    let dom = registrar.sign_in(&server, "registrar@szpu.test");
    let token = csrf(&dom);
    assert!(visible_text(&dom).contains("Upload a CSV"), "{dom}");

    // The form, as a person sees it.
    let form = format!("{}/console/issue", server.base);
    let dom = registrar.dom(&form);
    assert!(!dom.contains("<script"), "the console has no script");
    assert!(dom.contains("<optgroup label="), "{dom}");
    registrar.screenshot(&form, "console-issue-form.png", 1500);

    // Sent with the learner's name left empty: the form again, the message by the field.
    let fields = [
        ("__action", "/console/issue"),
        ("csrf", token.as_str()),
        ("recordId", "2025S-ROB2201-0007"),
        ("learnerName", ""),
        ("learnerIdentifier", "2025LA0007"),
        ("achievementName", "Industrial Robot Maintenance"),
        (
            "achievementDescription",
            "Routine maintenance and fault finding of six-axis industrial robots.",
        ),
        (
            "criteria",
            "Pass the practical maintenance test on a working cell.",
        ),
        (
            "outcomes",
            "ROB-1 | Lock out a robot cell safely\nROB-2 | Replace a servo motor and recalibrate",
        ),
        ("fieldOfStudy", "0714"),
        ("level", "CN-VOC|associate"),
        ("credits", "4"),
        ("creditSystem", "CN-credit"),
        ("learningHours", "72"),
        ("awardedDate", "2026-06-30"),
    ];
    let dom = registrar.dom(&server.url("/__test/post", &fields));
    assert!(
        dom.contains("data-field=\"learnerName\">Please fill this in.</p>"),
        "{dom}"
    );
    assert!(
        dom.contains("value=\"Industrial Robot Maintenance\""),
        "{dom}"
    );
    assert!(dom.contains("value=\"CN-VOC|associate\" selected"), "{dom}");
    assert!(server
        .store
        .find_by_record_id("szpu", "2025S-ROB2201-0007")
        .unwrap()
        .is_none());
    // With the name: the credential's console page.
    let mut fields = fields.to_vec();
    fields[3].1 = "Vilayphone Keomany";
    let dom = registrar.dom(&server.url("/__test/post", &fields));
    let text = visible_text(&dom);
    assert!(
        text.contains("Vilayphone Keomany") && text.contains("2025S-ROB2201-0007"),
        "{text}"
    );
    assert!(text.contains("Industrial Robot Maintenance"), "{text}");

    // The upload page, then a file with good and bad rows through the upload form.
    let uploads = format!("{}/console/uploads", server.base);
    let dom = registrar.dom(&uploads);
    assert!(
        dom.contains("href=\"/console/uploads/template.csv\""),
        "{dom}"
    );
    registrar.screenshot(&uploads, "console-upload.png", HEIGHT);
    let dom = registrar.dom(&server.url(
        "/__test/upload",
        &[
            ("csrf", token.as_str()),
            ("name", "nev-july.csv"),
            ("csv", &mixed_csv()),
        ],
    ));
    assert!(visible_text(&dom).contains("Upload: nev-july.csv"), "{dom}");
    let jobs = server.service.uploads().list("szpu");
    assert_eq!(jobs.len(), 1);
    let job = format!("{}/console/uploads/{}", server.base, jobs[0].id);
    wait_for_uploads(&server, "szpu");

    let dom = registrar.dom(&job);
    let text = visible_text(&dom);
    assert!(
        text.contains("4 of 4 rows done") && text.contains("Finished."),
        "{text}"
    );
    assert!(
        dom.contains("id=\"issued\">2<") && dom.contains("id=\"failed\">2<"),
        "{dom}"
    );
    let table = dom
        .split("<table id=\"row-errors\">")
        .nth(1)
        .expect("the table of row errors")
        .split("</table>")
        .next()
        .unwrap();
    let rows = visible_text(&format!("<body>{table}"));
    assert!(
        rows.contains("3 2025S-NEV3104-0150 levelCode")
            && rows.contains("level `senior-associate` is not a level of framework CN-VOC"),
        "{rows}"
    );
    assert!(rows.contains("4 2025S-NEV3104-0151 awardedDate"), "{rows}");
    assert!(
        !dom.contains("http-equiv=\"refresh\""),
        "a finished job does not refresh"
    );
    assert!(dom.contains("id=\"rerun-form\""), "{dom}");
    registrar.screenshot(&job, "console-upload-errors.png", 1400);

    // The rows fixed in the page's text box and run again (the browser sends the box's text
    // with CRLF line ends): the two are issued, nothing twice.
    let fixed = jobs[0]
        .failed_csv()
        .replace("senior-associate", "associate")
        .replace("11/07/2025", "2025-07-11");
    let dom = registrar.dom(&server.url(
        "/__test/post",
        &[
            ("__action", "/console/uploads"),
            ("__multipart", "1"),
            ("csrf", token.as_str()),
            ("name", "nev-july-fixed.csv"),
            ("rows", &fixed),
        ],
    ));
    assert!(visible_text(&dom).contains("nev-july-fixed.csv"), "{dom}");
    wait_for_uploads(&server, "szpu");
    let again = server.service.uploads().list("szpu");
    assert_eq!(again.len(), 2);
    let progress = again[0].progress();
    assert_eq!(
        (progress.issued, progress.existing, progress.failed),
        (2, 0, 0)
    );
    let dom = registrar.dom(&format!("{}/console/uploads/{}", server.base, again[0].id));
    assert!(!dom.contains("id=\"row-errors\""), "{dom}");
    assert!(visible_text(&dom).contains("Keo Sopheap") || dom.contains("2025S-NEV3104-0150"));
    assert_eq!(
        skillpass::console::search::rows(&*server.store, "szpu")
            .unwrap()
            .len(),
        5
    );
}
