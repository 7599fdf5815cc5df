//! The example CSV (`docs/examples/records.csv`, `batch::csv_template()`, the console's
//! download template) issues as it is; batch results carry the employer page's URL, and the
//! claim page's when an offer was made (issue 15).

mod common;

use std::process::Command;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app::{TestApp, PUBLIC_URL};
use serde_json::Value;
use skillpass::batch::csv_template;

fn example_csv() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/records.csv");
    std::fs::read_to_string(path).unwrap()
}

async fn post_csv(app: &TestApp, body: String, query: &str) -> Vec<Value> {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/records/batch{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_example_file_is_the_template() {
    assert_eq!(
        example_csv(),
        csv_template(),
        "docs/examples/records.csv must be batch::csv_template()"
    );
}

#[tokio::test]
async fn the_template_issues_and_results_carry_verify_and_claim_links() {
    let app = TestApp::new();
    let lines = post_csv(&app, csv_template(), "?offer=true").await;
    assert_eq!(lines.len(), 3, "{lines:#?}");
    for row in &lines[..2] {
        assert_eq!(row["status"], "issued", "{row:#}");
        assert_eq!(row["errors"], serde_json::json!([]), "{row:#}");
        let id = row["credentialId"].as_str().unwrap();
        let verify = row["verifyUrl"].as_str().unwrap();
        assert_eq!(verify, app.service.verify_page_url(id), "{row:#}");
        assert!(
            verify.starts_with(&format!("{PUBLIC_URL}/verify/")),
            "{verify}"
        );
        let claim = row["claimUrl"].as_str().unwrap();
        assert!(
            claim.starts_with(&format!("{PUBLIC_URL}/claim/")),
            "{claim}"
        );
        assert_eq!(row["offer"]["claimUrl"], claim);
        // The links lead somewhere.
        let page = app
            .call(
                Method::GET,
                verify.strip_prefix(PUBLIC_URL).unwrap(),
                None,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let claim_page = app
            .call(
                Method::GET,
                claim.strip_prefix(PUBLIC_URL).unwrap(),
                None,
                None,
            )
            .await;
        assert_eq!(claim_page.status, StatusCode::OK);
    }
    assert_eq!(lines[2]["summary"]["issued"], 2, "{:#}", lines[2]);

    // Again: existing, with the employer page's URL and no new offer, so no claim URL.
    let again = post_csv(&app, csv_template(), "?offer=true").await;
    for row in &again[..2] {
        assert_eq!(row["status"], "existing", "{row:#}");
        assert!(row["verifyUrl"].is_string(), "{row:#}");
        assert!(row.get("claimUrl").is_none(), "{row:#}");
    }
    // Without offers: no claim URL; a refused row has no links.
    let mut broken = csv_template();
    broken = broken.replace("EXAMPLE-2025S-NEV3104-0117", "EXAMPLE-NEW-1");
    broken = broken.replace(",associate,", ",Associate,");
    let lines = post_csv(&app, broken, "").await;
    assert_eq!(lines[0]["status"], "error", "{:#}", lines[0]);
    assert_eq!(lines[0]["verifyUrl"], Value::Null);
    let message = lines[0]["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("level `Associate` is not a level of framework CN-VOC"),
        "{message}"
    );
    assert_eq!(
        lines[0]["errors"][0]["column"], "levelCode",
        "{:#}",
        lines[0]
    );
}

#[test]
fn the_template_issues_offline_too() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.csv");
    std::fs::write(&input, csv_template()).unwrap();
    let out = dir.path().join("issued");
    let key =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys-example/issuer.example.json");
    let output = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(["batch", "--key"])
        .arg(&key)
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    let rows: Vec<Value> = results
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &Value| r.get("row").is_some())
        .collect();
    assert_eq!(rows.len(), 2, "{results}");
    for row in &rows {
        assert_eq!(row["status"], "issued", "{row:#}");
        // Offline there is no employer page to link to.
        assert_eq!(row["verifyUrl"], Value::Null, "{row:#}");
    }
}
