//! `POST /records/batch`: JSON Lines and CSV uploads, one result line per row in order, the
//! summary, idempotent re-runs, limits and authentication.

mod common;

use std::collections::HashSet;

use axum::body::{Body, Bytes};
use axum::http::{header, Method, Request, StatusCode};
use common::app::{Reply, TestApp};
use serde_json::{json, Value};
use skillpass::batch::{MAX_HTTP_BATCH_BYTES, MAX_ROW_BYTES};
use skillpass::contexts::ContextRegistry;
use skillpass::did::DidKeyResolver;
use skillpass::proof::verify_proofs;

const EXAMPLES: [&str; 4] = [
    "my-diploma-furniture-production.json",
    "szpu-3d-animation-production.json",
    "szpu-nev-after-sales-service.json",
    "zw-solar-pv-installation.json",
];

fn example(file: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The example records with `recordId`s `{prefix}-{i}`.
fn records(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let mut r = example(EXAMPLES[i % EXAMPLES.len()]);
            r["recordId"] = json!(format!("{prefix}-{i}"));
            r
        })
        .collect()
}

fn jsonl(rows: &[String]) -> String {
    let mut body = rows.join("\n");
    body.push('\n');
    body
}

async fn post_batch(app: &TestApp, content_type: &str, body: Body, query: &str) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/records/batch{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .unwrap();
    app.send(req).await
}

/// The response's lines as JSON; the last one is the summary.
fn lines(reply: &Reply) -> (Vec<Value>, Value) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/x-ndjson");
    let text = reply.text();
    assert!(text.ends_with('\n'), "every line ends with a newline");
    let mut all: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = all.pop().expect("a summary line");
    (all, summary["summary"].clone())
}

fn paths(result: &Value) -> Vec<&str> {
    result["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["path"].as_str())
        .collect()
}

async fn stored_count(app: &TestApp) -> usize {
    app.store
        .list_credentials("szpu", None, 100_000)
        .unwrap()
        .len()
}

async fn assert_verifies(app: &TestApp, credential_id: &str) -> Value {
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{credential_id}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let vc = reply.json();
    let checks = verify_proofs(
        &vc,
        &DidKeyResolver,
        &ContextRegistry::bundled(),
        common::app::now(),
    )
    .unwrap();
    assert_eq!(checks.len(), 1);
    assert!(checks[0].holds(), "{:?}", checks[0].failures);
    vc
}

#[tokio::test]
async fn jsonl_batch_reports_every_row_in_order_and_reruns_as_existing() {
    let app = TestApp::new();
    let good = records("JL", 6);
    let mut invalid = example(EXAMPLES[0]);
    invalid["recordId"] = json!("JL-invalid");
    invalid["achievement"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    invalid["issuer"]["country"] = json!("XX");
    let mut huge = example(EXAMPLES[1]);
    huge["recordId"] = json!("JL-huge");
    huge["achievement"]["description"] = json!("x".repeat(MAX_ROW_BYTES));

    let rows = vec![
        good[0].to_string(),                         // 1
        good[1].to_string(),                         // 2
        "{\"recordId\": \"JL-broken\", ".to_owned(), // 3: malformed JSON
        invalid.to_string(),                         // 4: schema-invalid
        String::new(),                               // 5: blank, skipped
        huge.to_string(),                            // 6: longer than 1 MiB
        good[2].to_string(),                         // 7
        "[1, 2]".to_owned(),                         // 8: not an object
        good[3].to_string(),                         // 9
        good[0].to_string(),                         // 10: repeats row 1's recordId
        good[4].to_string(),                         // 11
        good[5].to_string(),                         // 12
    ];
    let body = jsonl(&rows);
    assert!(
        body.len() > 1 << 20,
        "bigger than the default JSON body limit"
    );

    let reply = post_batch(&app, "application/x-ndjson", Body::from(body.clone()), "").await;
    let (results, summary) = lines(&reply);
    let numbers: Vec<u64> = results.iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]);
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "issued", "issued", "error", "error", "error", "issued", "error", "issued", "error",
            "issued", "issued"
        ]
    );
    assert_eq!(
        summary,
        json!({"rows": 11, "issued": 6, "existing": 0, "errors": 5, "skipped": 1, "complete": true})
    );

    // Every line has the same keys.
    for r in &results {
        let keys: HashSet<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            HashSet::from([
                "row",
                "recordId",
                "status",
                "credentialId",
                "verifyUrl",
                "errors"
            ])
        );
    }
    let malformed = &results[2];
    assert_eq!(malformed["recordId"], Value::Null);
    assert_eq!(malformed["credentialId"], Value::Null);
    assert!(
        malformed["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON at column"),
        "{malformed}"
    );
    let schema = &results[3];
    assert_eq!(schema["recordId"], "JL-invalid");
    assert_eq!(paths(schema), ["/achievement/name", "/issuer/country"]);
    let long = &results[4];
    assert!(
        long["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("rows may be at most {MAX_ROW_BYTES} bytes")),
        "{long}"
    );
    assert_eq!(
        paths(&results[6]),
        [""],
        "a non-object is refused at the root"
    );
    let duplicate = &results[8];
    assert_eq!(paths(duplicate), ["/recordId"]);
    assert!(duplicate["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("row 1"));

    // Issued rows name stored credentials that verify and carry the row's data.
    let mut first_ids = Vec::new();
    for r in results.iter().filter(|r| r["status"] == "issued") {
        let id = r["credentialId"].as_str().unwrap();
        let vc = assert_verifies(&app, id).await;
        // One revocation entry, as an object (the OB 3.0 schema allows no more).
        assert_eq!(vc["credentialStatus"]["statusPurpose"], "revocation");
        first_ids.push(id.to_owned());
    }
    assert_eq!(stored_count(&app).await, 6);
    let vc = app
        .call(
            Method::GET,
            &format!("/credentials/{}", first_ids[1]),
            Some(&app.token),
            None,
        )
        .await
        .json();
    assert_eq!(
        vc["credentialSubject"]["achievement"]["name"],
        good[1]["achievement"]["name"]
    );

    // The same upload again issues nothing new: the rows come back `existing`, same ids.
    let reply = post_batch(
        &app,
        "application/jsonl; charset=utf-8",
        Body::from(body),
        "",
    )
    .await;
    let (again, summary) = lines(&reply);
    assert_eq!(
        summary,
        json!({"rows": 11, "issued": 0, "existing": 6, "errors": 5, "skipped": 1, "complete": true})
    );
    let again_ids: Vec<String> = again
        .iter()
        .filter(|r| r["status"] == "existing")
        .map(|r| r["credentialId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(again_ids, first_ids);
    assert_eq!(stored_count(&app).await, 6);
}

/// The CSV header of the tests: every documented column.
const CSV_HEADER: &str = "recordId,learnerDid,learnerName,learnerIdentifier,learnerIdentifierScheme,achievementId,achievementName,achievementDescription,criteria,outcomes,fieldOfStudy,levelFramework,levelCode,levelUrl,credits,creditSystem,learningHours,humanCode,achievementType,awardedDate,validUntil,resultValue,resultScale,resultType,issuerDid,issuerName,issuerUrl,issuerEmail,issuerCountry";

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn escape_outcome(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace('|', "\\|")
}

/// A record as a CSV row under [`CSV_HEADER`].
fn csv_row(r: &Value) -> String {
    let s = |v: &Value| v.as_str().map(str::to_owned).unwrap_or_default();
    let n = |v: &Value| v.as_number().map(ToString::to_string).unwrap_or_default();
    let a = &r["achievement"];
    let outcomes: Vec<String> = a["learningOutcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let mut item = format!(
                "{}|{}",
                escape_outcome(&s(&o["code"])),
                escape_outcome(&s(&o["statement"]))
            );
            if let Some(url) = o["url"].as_str() {
                item.push('|');
                item.push_str(&escape_outcome(url));
            }
            item
        })
        .collect();
    let cells = [
        s(&r["recordId"]),
        s(&r["learner"]["id"]),
        s(&r["learner"]["name"]),
        s(&r["learner"]["identifier"]["value"]),
        s(&r["learner"]["identifier"]["scheme"]),
        s(&a["id"]),
        s(&a["name"]),
        s(&a["description"]),
        s(&a["criteria"]["narrative"]),
        outcomes.join(";"),
        s(&a["fieldOfStudy"]),
        s(&a["level"]["framework"]),
        s(&a["level"]["code"]),
        s(&a["level"]["url"]),
        n(&a["credits"]["value"]),
        s(&a["credits"]["system"]),
        n(&a["learningHours"]),
        s(&a["humanCode"]),
        s(&a["achievementType"]),
        s(&r["awardedDate"]),
        s(&r["validUntil"]),
        s(&r["result"]["value"]),
        s(&r["result"]["scale"]),
        s(&r["result"]["resultType"]),
        s(&r["issuer"]["id"]),
        s(&r["issuer"]["name"]),
        s(&r["issuer"]["url"]),
        s(&r["issuer"]["email"]),
        s(&r["issuer"]["country"]),
    ];
    cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",")
}

#[tokio::test]
async fn csv_batch_issues_the_same_credentials_as_json_and_names_columns() {
    let app = TestApp::new();
    let csv_records = records("CSV", 4);
    let json_records = records("JSON", 4);

    let mut bad_credits = records("CSV-bad", 1).remove(0);
    bad_credits["achievement"]["credits"]["value"] = json!("three");
    bad_credits["achievement"]["learningOutcomes"][0]["statement"] = json!(" ");
    let mut csv = format!("\u{feff}{CSV_HEADER}\r\n");
    for r in &csv_records[..2] {
        csv.push_str(&csv_row(r));
        csv.push_str("\r\n");
    }
    csv.push_str(&csv_row(&bad_credits).replace("\"three\"", "three"));
    csv.push_str("\r\n");
    csv.push_str("CSV-short,did:key:z6Mk,only three cells\r\n");
    for r in &csv_records[2..] {
        csv.push_str(&csv_row(r));
        csv.push_str("\r\n");
    }

    let reply = post_batch(&app, "text/csv; charset=utf-8", Body::from(csv.clone()), "").await;
    let (results, summary) = lines(&reply);
    assert_eq!(
        summary,
        json!({"rows": 6, "issued": 4, "existing": 0, "errors": 2, "skipped": 0, "complete": true})
    );
    let numbers: Vec<u64> = results.iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    let bad = &results[2];
    assert_eq!(bad["status"], "error");
    assert_eq!(bad["recordId"], "CSV-bad-0");
    // A blank statement is dropped by the cell trim, so the outcome has no statement at all.
    assert_eq!(
        paths(bad),
        [
            "/achievement/credits/value",
            "/achievement/learningOutcomes/0/statement"
        ]
    );
    let columns: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["credits", "outcomes"]);
    assert_eq!(
        results[3]["errors"][0]["message"],
        format!(
            "row has 3 cells, the header has {}",
            CSV_HEADER.split(',').count()
        )
    );

    // The same records sent as JSON Lines give the same credential subjects.
    let body = jsonl(
        &json_records
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>(),
    );
    let (json_results, _) =
        lines(&post_batch(&app, "application/x-ndjson", Body::from(body), "").await);
    let csv_issued: Vec<&Value> = results.iter().filter(|r| r["status"] == "issued").collect();
    for (from_csv, from_json) in csv_issued.iter().zip(&json_results) {
        let a = assert_verifies(&app, from_csv["credentialId"].as_str().unwrap()).await;
        let b = assert_verifies(&app, from_json["credentialId"].as_str().unwrap()).await;
        assert_eq!(a["credentialSubject"], b["credentialSubject"]);
        assert_eq!(a["validUntil"], b["validUntil"]);
        assert_eq!(a["issuer"], b["issuer"]);
    }

    // Re-running the CSV issues nothing new.
    let (again, summary) = lines(&post_batch(&app, "text/csv", Body::from(csv), "").await);
    assert_eq!(summary["existing"], 4);
    assert_eq!(summary["issued"], 0);
    for (first, second) in results.iter().zip(&again) {
        assert_eq!(first["credentialId"], second["credentialId"]);
    }
    assert_eq!(stored_count(&app).await, 8);
}

#[tokio::test]
async fn csv_header_problems_are_refused_before_any_row() {
    let app = TestApp::new();
    let csv = format!("{},learnerEmail\n", CSV_HEADER);
    let reply = post_batch(&app, "text/csv", Body::from(csv), "").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "bad_request");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("unknown column \"learnerEmail\""),
        "{error}"
    );

    let reply = post_batch(
        &app,
        "text/csv",
        Body::from("recordId,learnerDid\nR1,did:key:z\n"),
        "",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("missing column(s): achievementName"));
    assert_eq!(stored_count(&app).await, 0);
}

#[tokio::test]
async fn empty_batch_has_only_a_summary() {
    let app = TestApp::new();
    let (results, summary) =
        lines(&post_batch(&app, "application/x-ndjson", Body::from("\n\n"), "").await);
    assert!(results.is_empty());
    assert_eq!(
        summary,
        json!({"rows": 0, "issued": 0, "existing": 0, "errors": 0, "skipped": 2, "complete": true})
    );
}

#[tokio::test]
async fn cryptosuite_parameter_applies_to_every_row() {
    let app = TestApp::new();
    let body = jsonl(
        &records("JCS", 2)
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>(),
    );
    let (results, _) = lines(
        &post_batch(
            &app,
            "application/x-ndjson",
            Body::from(body.clone()),
            "?cryptosuite=eddsa-jcs-2022",
        )
        .await,
    );
    for r in &results {
        let vc = assert_verifies(&app, r["credentialId"].as_str().unwrap()).await;
        assert_eq!(vc["proof"][0]["cryptosuite"], "eddsa-jcs-2022");
    }
    let reply = post_batch(
        &app,
        "application/x-ndjson",
        Body::from(body),
        "?cryptosuite=rsa",
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"]["code"], "bad_request");
}

#[tokio::test]
async fn without_a_token_the_answer_is_the_401_envelope() {
    let app = TestApp::new();
    let body = jsonl(
        &records("NOAUTH", 1)
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>(),
    );
    for token in [None, Some("not-a-token")] {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/records/batch")
            .header(header::CONTENT_TYPE, "application/x-ndjson");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let reply = app.send(req.body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.json()["error"]["code"], "unauthorized");
        assert_eq!(reply.json()["error"]["status"], 401);
    }
    assert_eq!(stored_count(&app).await, 0);
}

#[tokio::test]
async fn other_media_types_are_refused() {
    let app = TestApp::new();
    for content_type in [
        "application/json",
        "text/csv; charset=iso-8859-1",
        "text/plain",
    ] {
        let reply = post_batch(&app, content_type, Body::from("{}\n"), "").await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(reply.json()["error"]["code"], "unsupported_media_type");
    }
}

#[tokio::test]
async fn declared_oversize_body_is_refused_up_front() {
    let app = TestApp::new();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/records/batch")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .header(
            header::CONTENT_LENGTH,
            (MAX_HTTP_BATCH_BYTES + 1).to_string(),
        )
        .body(Body::from("{}\n"))
        .unwrap();
    let reply = app.send(req).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "payload_too_large");
    assert!(error["message"].as_str().unwrap().contains("split it"));
}

static FILLER: [u8; 1 << 20] = [b'x'; 1 << 20];

#[tokio::test]
async fn streamed_body_over_the_cap_stops_with_an_error_line() {
    let app = TestApp::new();
    // Two good rows, then one endless line: the body has no length, so the cap is enforced
    // while reading, after the good rows were answered.
    let head = jsonl(
        &records("CAP", 2)
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>(),
    );
    let filler_chunks = (MAX_HTTP_BATCH_BYTES as usize / FILLER.len()) + 1;
    let chunks = std::iter::once(Bytes::from(head))
        .chain(std::iter::repeat_n(
            Bytes::from_static(&FILLER),
            filler_chunks,
        ))
        .map(Ok::<_, std::io::Error>);
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let reply = post_batch(&app, "application/x-ndjson", body, "").await;
    let (mut results, summary) = lines(&reply);
    let error = results.pop().unwrap();
    assert_eq!(error["error"]["status"], 413);
    assert_eq!(error["error"]["code"], "payload_too_large");
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r["status"] == "issued"));
    assert_eq!(
        summary,
        json!({"rows": 2, "issued": 2, "existing": 0, "errors": 0, "skipped": 0, "complete": false})
    );
    assert_eq!(stored_count(&app).await, 2);
}
