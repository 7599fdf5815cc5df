//! Institution endpoints over HTTP: VC-API `/credentials/issue`, `/records`, reading and
//! listing credentials, status changes — and that institutions cannot touch each other's.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::app::{Reply, TestApp, ADMIN_TOKEN};
use serde_json::{json, Value};

const V2: &str = "https://www.w3.org/ns/credentials/v2";
const V1: &str = "https://www.w3.org/2018/credentials/v1";
const DATA_INTEGRITY: &str = "https://w3id.org/security/data-integrity/v2";

/// Asserts the API's error envelope with `status`; returns the message.
fn error(reply: &Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"]["status"], status.as_u16(), "{body}");
    assert!(body["error"]["code"].is_string(), "{body}");
    body["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned()
}

/// The DID of `szpu`, the harness's institution.
fn szpu_did(app: &TestApp) -> String {
    app.service.institution("szpu").unwrap().did
}

fn vc2(issuer: &str) -> Value {
    json!({
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner", "name": "Lwazi"},
    })
}

fn vc1(issuer: &str) -> Value {
    json!({
        "@context": [V1, DATA_INTEGRITY, {"name": "https://schema.org/name"}],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2026-01-15T09:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Lwazi"},
    })
}

async fn issue(app: &TestApp, token: &str, body: &Value) -> Reply {
    app.call(Method::POST, "/credentials/issue", Some(token), Some(body))
        .await
}

async fn verify(app: &TestApp, vc: &Value) -> Reply {
    let body = json!({ "verifiableCredential": vc });
    app.call(Method::POST, "/credentials/verify", None, Some(&body))
        .await
}

/// Registers a second institution through the admin API; returns (token, did).
async fn other_institution(app: &TestApp, id: &str) -> (String, String) {
    let body = json!({
        "id": id, "name": "Harare Polytechnic", "country": "ZW", "framework": "ZNQF",
    });
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let body = reply.json();
    (
        body["token"].as_str().unwrap().to_owned(),
        body["institution"]["did"].as_str().unwrap().to_owned(),
    )
}

fn example_record() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/szpu-nev-after-sales-service.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if let Some(issuer) = record.get_mut("issuer").and_then(Value::as_object_mut) {
        issuer.remove("id");
    }
    record
}

fn status_reasons(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "status")
        .map(|c| {
            c["reasons"]
                .as_array()
                .map(|r| r.iter().map(|r| r.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default()
        })
        .expect("a status check")
}

// ---------------------------------------------------------------- /credentials/issue

#[tokio::test]
async fn issue_vc2_signs_with_rdfc_by_default_and_adds_status() {
    let app = TestApp::new();
    let did = szpu_did(&app);
    let reply = issue(&app, &app.token, &json!({ "credential": vc2(&did) })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    assert!(vc["id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(
        vc["validFrom"], "2026-09-01T08:00:00Z",
        "now, from the fixed clock"
    );
    assert_eq!(vc["proof"]["type"], "DataIntegrityProof");
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(vc["proof"]["proofPurpose"], "assertionMethod");
    assert_eq!(vc["credentialStatus"]["statusPurpose"], "revocation");

    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["verified"], true);
    assert_eq!(reply.json()["issuer"], did.as_str());

    // `options.suspendable` adds the suspension entry.
    let body = json!({ "credential": vc2(&did), "options": {"suspendable": true} });
    let reply = issue(&app, &app.token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    let purposes: BTreeSet<&str> = vc["credentialStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["statusPurpose"].as_str().unwrap())
        .collect();
    assert_eq!(purposes, BTreeSet::from(["revocation", "suspension"]));
}

#[tokio::test]
async fn issue_keeps_a_given_id_and_valid_from() {
    let app = TestApp::new();
    let mut vc = vc2(&szpu_did(&app));
    vc["id"] = json!("https://szpu.edu.cn/credentials/42");
    vc["validFrom"] = json!("2026-01-01T00:00:00Z");
    vc["validUntil"] = json!("2030-01-01T00:00:00Z");
    let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let signed = reply.json()["verifiableCredential"].clone();
    assert_eq!(signed["id"], "https://szpu.edu.cn/credentials/42");
    assert_eq!(signed["validFrom"], "2026-01-01T00:00:00Z");
    assert_eq!(verify(&app, &signed).await.status, StatusCode::OK);

    // An id with slashes is still readable, percent-encoded in the path.
    let reply = app
        .call(
            Method::GET,
            "/credentials/https%3A%2F%2Fszpu.edu.cn%2Fcredentials%2F42",
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json(), signed);

    // The same id again is a conflict, not a second credential.
    let mut again = vc2(&szpu_did(&app));
    again["id"] = json!("https://szpu.edu.cn/credentials/42");
    let reply = issue(&app, &app.token, &json!({ "credential": again })).await;
    error(&reply, StatusCode::CONFLICT);
}

#[tokio::test]
async fn issue_with_jcs_when_asked() {
    let app = TestApp::new();
    let body = json!({
        "credential": vc2(&szpu_did(&app)),
        "options": {"cryptosuite": "eddsa-jcs-2022"},
    });
    let reply = issue(&app, &app.token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    assert_eq!(vc["proof"]["cryptosuite"], "eddsa-jcs-2022");
    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn issue_vc11_with_both_suites() {
    let app = TestApp::new();
    let did = szpu_did(&app);
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let body = json!({ "credential": vc1(&did), "options": {"cryptosuite": suite} });
        let reply = issue(&app, &app.token, &body).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{suite}: {}",
            reply.text()
        );
        let vc = reply.json()["verifiableCredential"].clone();
        assert_eq!(vc["proof"]["cryptosuite"], suite);
        assert_eq!(vc["issuanceDate"], "2026-01-15T09:00:00Z");
        // VC 1.1 has no Bitstring Status List terms and no validFrom.
        assert!(vc.get("credentialStatus").is_none());
        assert!(vc.get("validFrom").is_none());
        let reply = verify(&app, &vc).await;
        assert_eq!(reply.status, StatusCode::OK, "{suite}: {}", reply.text());
    }
}

#[tokio::test]
async fn vc11_with_only_the_v1_context() {
    let app = TestApp::new();
    let mut vc = vc1(&szpu_did(&app));
    vc["@context"] = json!([V1]);
    vc["credentialSubject"] = json!({"id": "did:example:learner"});
    let body = json!({ "credential": vc, "options": {"cryptosuite": "eddsa-jcs-2022"} });
    let reply = issue(&app, &app.token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let signed = reply.json()["verifiableCredential"].clone();
    assert_eq!(verify(&app, &signed).await.status, StatusCode::OK);
    // JCS signs the JSON as it is, but the reference implementation adds the Data Integrity
    // context to a document whose contexts do not define the proof, and so do we (both suites).
    assert_eq!(signed["@context"], json!([V1, DATA_INTEGRITY]));
    // RDF canonicalization needs the proof's terms defined, which the added context does.
    let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let signed = reply.json()["verifiableCredential"].clone();
    assert_eq!(signed["@context"], json!([V1, DATA_INTEGRITY]));
    assert_eq!(verify(&app, &signed).await.status, StatusCode::OK);
}

#[tokio::test]
async fn vc11_without_issuance_date_is_422() {
    let app = TestApp::new();
    let mut vc = vc1(&szpu_did(&app));
    vc.as_object_mut().unwrap().remove("issuanceDate");
    let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
    let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.contains("issuanceDate"), "{message}");
}

#[tokio::test]
async fn data_model_violations_are_422_with_the_reason() {
    let app = TestApp::new();
    let did = szpu_did(&app);
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "first context",
            |v| v["@context"] = json!(["https://schema.org/", V2]),
            "@context",
        ),
        (
            "context missing",
            |v| drop(v.as_object_mut().unwrap().remove("@context")),
            "@context",
        ),
        (
            "context a string",
            |v| v["@context"] = json!(V2),
            "@context",
        ),
        (
            "type",
            |v| v["type"] = json!(["OpenBadgeCredential"]),
            "VerifiableCredential",
        ),
        (
            "type missing",
            |v| drop(v.as_object_mut().unwrap().remove("type")),
            "VerifiableCredential",
        ),
        (
            "subject missing",
            |v| drop(v.as_object_mut().unwrap().remove("credentialSubject")),
            "credentialSubject",
        ),
        (
            "subject empty",
            |v| v["credentialSubject"] = json!({}),
            "credentialSubject",
        ),
        (
            "subject empty list",
            |v| v["credentialSubject"] = json!([]),
            "credentialSubject",
        ),
        (
            "subject a string",
            |v| v["credentialSubject"] = json!("Lwazi"),
            "credentialSubject",
        ),
        (
            "issuer missing",
            |v| drop(v.as_object_mut().unwrap().remove("issuer")),
            "issuer",
        ),
        (
            "validFrom",
            |v| v["validFrom"] = json!("2026-01-01"),
            "validFrom",
        ),
        (
            "validFrom number",
            |v| v["validFrom"] = json!(20260101),
            "validFrom",
        ),
        (
            "validUntil",
            |v| v["validUntil"] = json!("tomorrow"),
            "validUntil",
        ),
        (
            "contradictory dates",
            |v| {
                v["validFrom"] = json!("2026-06-01T00:00:00Z");
                v["validUntil"] = json!("2026-05-31T23:59:59+00:00");
            },
            "/validUntil: must be after validFrom",
        ),
        (
            "equal dates",
            |v| {
                v["validFrom"] = json!("2026-06-01T00:00:00Z");
                v["validUntil"] = json!("2026-06-01T02:00:00+02:00");
            },
            "/validUntil: must be after validFrom",
        ),
        (
            "proof",
            |v| v["proof"] = json!({"type": "DataIntegrityProof"}),
            "proof",
        ),
    ];
    for (name, edit, needle) in cases {
        let mut vc = vc2(&did);
        edit(&mut vc);
        let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
        let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message.contains(needle), "{name}: {message}");
    }
    // VC 1.1 dates are checked by their own names.
    let mut vc = vc1(&did);
    vc["expirationDate"] = json!("2025-01-01T00:00:00Z");
    let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
    let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message.contains("/expirationDate: must be after issuanceDate"),
        "{message}"
    );

    let reply = issue(&app, &app.token, &json!({ "credential": [vc2(&did)] })).await;
    error(&reply, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing was stored by the refused requests.
    let list = app
        .call(Method::GET, "/credentials", Some(&app.token), None)
        .await;
    assert_eq!(list.json()["credentials"], json!([]));
}

#[tokio::test]
async fn terms_the_contexts_do_not_define_are_422() {
    let app = TestApp::new();
    let mut vc = vc2(&szpu_did(&app));
    vc["credentialSubject"]["undefinedTerm"] = json!("would go unsigned");
    // VC 2.0's context has @vocab, so use a context-less term inside a @protected scope
    // instead: an unknown context is refused outright.
    vc["@context"] = json!([V2, "https://example.com/unknown-context/v1"]);
    let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
    let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.contains("unknown-context"), "{message}");
}

#[tokio::test]
async fn unknown_cryptosuite_is_400() {
    let app = TestApp::new();
    let body = json!({
        "credential": vc2(&szpu_did(&app)),
        "options": {"cryptosuite": "ecdsa-rdfc-2019"},
    });
    let reply = issue(&app, &app.token, &body).await;
    let message = error(&reply, StatusCode::BAD_REQUEST);
    assert!(message.contains("ecdsa-rdfc-2019"), "{message}");

    let reply = app
        .call(
            Method::POST,
            "/records?cryptosuite=bbs-2023",
            Some(&app.token),
            Some(&example_record()),
        )
        .await;
    assert!(error(&reply, StatusCode::BAD_REQUEST).contains("bbs-2023"));
}

#[tokio::test]
async fn issue_request_shape_is_checked() {
    let app = TestApp::new();
    let vc = vc2(&szpu_did(&app));
    // Unknown top-level fields and a missing credential are client errors in the envelope.
    for body in [
        json!({ "credential": vc, "extra": true }),
        json!({ "options": {} }),
        json!({ "credential": vc, "options": {"cryptosuite": 2022} }),
        json!("credential"),
    ] {
        let reply = issue(&app, &app.token, &body).await;
        assert!(reply.status.is_client_error(), "{body}: {}", reply.text());
        error(&reply, reply.status);
    }
    let reply = app
        .call(
            Method::POST,
            "/credentials/issue",
            None,
            Some(&json!({ "credential": vc })),
        )
        .await;
    error(&reply, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------- isolation

#[tokio::test]
async fn issuing_as_another_institution_is_403() {
    let app = TestApp::new();
    let (ptuo, ptuo_did) = other_institution(&app, "hpoly").await;
    let szpu = szpu_did(&app);
    // ptuo cannot put szpu's DID in issuer, as a string or as an object.
    let reply = issue(&app, &ptuo, &json!({ "credential": vc2(&szpu) })).await;
    let message = error(&reply, StatusCode::FORBIDDEN);
    assert!(message.contains(&ptuo_did), "{message}");
    let mut vc = vc2(&szpu);
    vc["issuer"] = json!({"id": szpu, "name": "Shenzhen Polytechnic University"});
    let reply = issue(&app, &ptuo, &json!({ "credential": vc })).await;
    error(&reply, StatusCode::FORBIDDEN);
    // Any other DID is refused just as well.
    let reply = issue(
        &app,
        &ptuo,
        &json!({ "credential": vc2("did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2") }),
    )
    .await;
    error(&reply, StatusCode::FORBIDDEN);
    // Its own DID as an object with an id is fine.
    let mut vc = vc2(&ptuo_did);
    vc["issuer"] = json!({"id": ptuo_did, "name": "Harare Polytechnic"});
    let reply = issue(&app, &ptuo, &json!({ "credential": vc })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

#[tokio::test]
async fn an_institution_cannot_read_or_change_anothers_credentials() {
    let app = TestApp::new();
    let (other, _) = other_institution(&app, "hpoly").await;
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();

    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{id}"),
            Some(&other),
            None,
        )
        .await;
    // 404 with the same message as an unknown id: whether it exists is not revealed.
    let message = error(&reply, StatusCode::NOT_FOUND);
    let unknown = app
        .call(
            Method::GET,
            "/credentials/urn:uuid:00000000-0000-4000-8000-000000000000",
            Some(&other),
            None,
        )
        .await;
    let unknown_message = error(&unknown, StatusCode::NOT_FOUND);
    assert_eq!(
        message.replace(id, "ID"),
        unknown_message.replace("urn:uuid:00000000-0000-4000-8000-000000000000", "ID")
    );
    for action in ["revoke", "suspend", "unsuspend"] {
        let reply = app.status_request(&other, id, action).await;
        error(&reply, StatusCode::NOT_FOUND);
    }
    // Its list does not show them.
    let reply = app
        .call(Method::GET, "/credentials", Some(&other), None)
        .await;
    assert_eq!(reply.json()["credentials"], json!([]));
    // Nor can it page from one of them.
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials?after={id}"),
            Some(&other),
            None,
        )
        .await;
    error(&reply, StatusCode::NOT_FOUND);

    // The credential is untouched.
    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{id}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), vc);
}

// ---------------------------------------------------------------- /records

#[tokio::test]
async fn a_record_becomes_an_open_badge_credential() {
    let app = TestApp::new();
    let record = example_record();
    let reply = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    assert!(vc["type"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "OpenBadgeCredential"));
    assert_eq!(vc["issuer"]["id"], szpu_did(&app).as_str());
    assert_eq!(
        vc["issuer"]["name"], "szpu vocational college",
        "the registered name wins"
    );
    assert_eq!(vc["proof"][0]["cryptosuite"], "eddsa-rdfc-2022");
    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.json()["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["check"] == "schema"));

    let mut record = example_record();
    record["recordId"] = json!("SZPU-2025S-NEV3104-JCS");
    let reply = app
        .call(
            Method::POST,
            "/records?cryptosuite=eddsa-jcs-2022",
            Some(&app.token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    assert_eq!(vc["proof"][0]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(verify(&app, &vc).await.status, StatusCode::OK);
}

/// Regression: unknown query parameters of `/records` were ignored, so a misspelt
/// `?cryptosuit=eddsa-jcs-2022` silently signed with the default suite.
#[tokio::test]
async fn records_refuse_unknown_query_parameters() {
    let app = TestApp::new();
    for uri in [
        "/records?cryptosuit=eddsa-jcs-2022",
        "/records?suite=eddsa-jcs-2022",
    ] {
        let reply = app
            .call(Method::POST, uri, Some(&app.token), Some(&example_record()))
            .await;
        let message = error(&reply, StatusCode::BAD_REQUEST);
        assert!(message.contains("unknown field"), "{uri}: {message}");
    }
    let list = app
        .call(Method::GET, "/credentials", Some(&app.token), None)
        .await;
    assert_eq!(list.json()["credentials"], json!([]), "nothing was issued");
}

#[tokio::test]
async fn the_same_record_id_answers_200_with_the_first_credential() {
    let app = TestApp::new();
    let record = example_record();
    let first = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json(), first.json());
    // Even when the rest of the record changed, or another suite is asked for.
    let mut changed = record.clone();
    changed["result"]["value"] = json!("A");
    let again = app
        .call(
            Method::POST,
            "/records?cryptosuite=eddsa-jcs-2022",
            Some(&app.token),
            Some(&changed),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json(), first.json());

    let list = app
        .call(Method::GET, "/credentials", Some(&app.token), None)
        .await;
    assert_eq!(list.json()["credentials"].as_array().unwrap().len(), 1);
    let audit = app
        .call(Method::GET, "/audit", Some(&app.token), None)
        .await;
    let issues = audit.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "issue")
        .count();
    assert_eq!(issues, 1);

    // Another institution's record ids are its own.
    let (other, other_did) = other_institution(&app, "hpoly").await;
    let reply = app
        .call(Method::POST, "/records", Some(&other), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(
        reply.json()["verifiableCredential"]["issuer"]["id"],
        other_did.as_str()
    );
}

#[tokio::test]
async fn an_invalid_record_is_422_with_every_violation() {
    let app = TestApp::new();
    let mut record = example_record();
    record["achievement"]["fieldOfStudy"] = json!("0217");
    record["achievement"]["learningOutcomes"] = json!([]);
    // A date alone is accepted since issue 15; a day-first date is not.
    record["awardedDate"] = json!("11.07.2025");
    record["issuer"]["country"] = json!("China");
    record["grade"] = json!("B+");
    let reply = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    let details: Vec<String> = reply.json()["error"]["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    assert!(
        message.contains(&format!("{} problems", details.len())),
        "{message}"
    );
    for path in [
        "/achievement/fieldOfStudy",
        "/achievement/learningOutcomes",
        "/awardedDate",
        "/issuer/country",
        "grade",
    ] {
        assert!(
            details.iter().any(|d| d.contains(path)),
            "{path} missing from {details:?}"
        );
    }
    let reply = app
        .call(
            Method::POST,
            "/records",
            Some(&app.token),
            Some(&json!("not a record")),
        )
        .await;
    error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    let list = app
        .call(Method::GET, "/credentials", Some(&app.token), None)
        .await;
    assert_eq!(list.json()["credentials"], json!([]));
    let reply = app
        .call(Method::POST, "/records", None, Some(&example_record()))
        .await;
    error(&reply, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------- GET /credentials

#[tokio::test]
async fn get_a_credential() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = app
        .call(
            Method::GET,
            &format!("/credentials/{id}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json(), vc);

    let reply = app
        .call(
            Method::GET,
            "/credentials/urn:uuid:00000000-0000-4000-8000-000000000000",
            Some(&app.token),
            None,
        )
        .await;
    error(&reply, StatusCode::NOT_FOUND);
    let reply = app
        .call(Method::GET, &format!("/credentials/{id}"), None, None)
        .await;
    error(&reply, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn list_pages_oldest_first() {
    let app = TestApp::new();
    let did = szpu_did(&app);
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut vc = vc2(&did);
        vc["id"] = json!(format!("urn:example:credential:{i}"));
        let reply = issue(&app, &app.token, &json!({ "credential": vc })).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        ids.push(format!("urn:example:credential:{i}"));
    }

    let mut seen = Vec::new();
    let mut uri = "/credentials?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let reply = app.call(Method::GET, &uri, Some(&app.token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let body = reply.json();
        let page = body["credentials"].as_array().unwrap();
        assert!(page.len() <= 2);
        seen.extend(page.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        pages += 1;
        match body["next"].as_str() {
            Some(next) => {
                assert_eq!(next, seen.last().unwrap());
                uri = format!("/credentials?limit=2&after={next}");
            }
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(seen, ids);
    assert_eq!(pages, 3);

    // Without a limit, everything in one page and no next.
    let reply = app
        .call(Method::GET, "/credentials", Some(&app.token), None)
        .await;
    assert_eq!(reply.json()["credentials"].as_array().unwrap().len(), 5);
    assert_eq!(reply.json()["next"], Value::Null);
    // A limit of 0 still returns something (at least one).
    let reply = app
        .call(Method::GET, "/credentials?limit=0", Some(&app.token), None)
        .await;
    assert_eq!(reply.json()["credentials"].as_array().unwrap().len(), 1);
    // Unknown cursor, bad limit, unknown parameter.
    let reply = app
        .call(
            Method::GET,
            "/credentials?after=urn:example:none",
            Some(&app.token),
            None,
        )
        .await;
    error(&reply, StatusCode::NOT_FOUND);
    for uri in [
        "/credentials?limit=many",
        "/credentials?limit=-1",
        "/credentials?page=2",
    ] {
        let reply = app.call(Method::GET, uri, Some(&app.token), None).await;
        error(&reply, StatusCode::BAD_REQUEST);
    }
    let reply = app.call(Method::GET, "/credentials", None, None).await;
    error(&reply, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------- /credentials/status

#[tokio::test]
async fn revoke_is_reported_by_verify() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = app.status_request(&app.token, id, "revoke").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"credentialId": id, "action": "revoke", "changed": true})
    );

    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_reasons(&reply.json()), ["revoked by its issuer"]);

    // Revocation is permanent: no suspending or unsuspending afterwards.
    for action in ["suspend", "unsuspend"] {
        let reply = app.status_request(&app.token, id, action).await;
        assert!(error(&reply, StatusCode::CONFLICT).contains("revoked"));
    }
    // Revoking twice is harmless.
    let reply = app.status_request(&app.token, id, "revoke").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        status_reasons(&verify(&app, &vc).await.json()),
        ["revoked by its issuer"]
    );
}

#[tokio::test]
async fn suspend_then_unsuspend_restores() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();
    let reply = app.status_request(&app.token, id, "suspend").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_reasons(&reply.json()), ["suspended by its issuer"]);

    let reply = app.status_request(&app.token, id, "unsuspend").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = verify(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(status_reasons(&reply.json()).is_empty());

    // A suspended credential can still be revoked; then both are reported.
    app.status_request(&app.token, id, "suspend").await;
    let reply = app.status_request(&app.token, id, "revoke").await;
    assert_eq!(reply.status, StatusCode::OK);
    let reasons: BTreeSet<String> = status_reasons(&verify(&app, &vc).await.json())
        .into_iter()
        .collect();
    assert_eq!(
        reasons,
        BTreeSet::from([
            "revoked by its issuer".to_owned(),
            "suspended by its issuer".to_owned()
        ])
    );

    // Only the audited actions happened, in order.
    let audit = app
        .call(Method::GET, "/audit", Some(&app.token), None)
        .await;
    let actions: Vec<String> = audit.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == id)
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        ["issue", "suspend", "unsuspend", "suspend", "revoke"]
    );
}

#[tokio::test]
async fn status_changes_of_other_revocations_do_not_leak() {
    let app = TestApp::new();
    let a = app.issue_example("szpu-3d-animation-production.json").await;
    let b = app.issue_example("szpu-nev-after-sales-service.json").await;
    app.status_request(&app.token, a["id"].as_str().unwrap(), "revoke")
        .await;
    let reply = verify(&app, &b).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn status_request_errors() {
    let app = TestApp::new();
    let did = szpu_did(&app);
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap();

    let reply = app
        .status_request(&app.token, "urn:uuid:nope", "revoke")
        .await;
    error(&reply, StatusCode::NOT_FOUND);
    let reply = app.status_request(&app.token, id, "delete").await;
    assert!(reply.status.is_client_error());
    error(&reply, reply.status);
    for body in [
        json!({"credentialId": id, "action": "revoke", "note": "cheating"}),
        json!({"credentialId": id, "action": "revoke", "reason": ["cheating"]}),
        json!({"credentialId": id}),
        json!({"id": id, "action": "revoke"}),
    ] {
        let reply = app
            .call(
                Method::POST,
                "/credentials/status",
                Some(&app.token),
                Some(&body),
            )
            .await;
        assert!(reply.status.is_client_error(), "{body}: {}", reply.text());
        error(&reply, reply.status);
    }
    let reply = app
        .call(
            Method::POST,
            "/credentials/status",
            None,
            Some(&json!({"credentialId": id, "action": "revoke"})),
        )
        .await;
    error(&reply, StatusCode::UNAUTHORIZED);
    // None of it changed anything.
    assert_eq!(verify(&app, &vc).await.status, StatusCode::OK);

    // A VC 1.1 credential has no status entries to change.
    let reply = issue(&app, &app.token, &json!({ "credential": vc1(&did) })).await;
    let v1 = reply.json()["verifiableCredential"].clone();
    let reply = app
        .status_request(&app.token, v1["id"].as_str().unwrap(), "revoke")
        .await;
    assert!(error(&reply, StatusCode::CONFLICT).contains("no revocation status"));
}

/// A credential gets a revocation entry (one object, as OB 3.0's schema wants); a suspension
/// entry only when issued with `suspendable=true`, and suspending one without is refused.
#[tokio::test]
async fn suspension_is_opt_in() {
    let app = TestApp::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/zw-solar-pv-installation.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record.as_object_mut().unwrap().remove("recordId");

    let reply = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    assert_eq!(vc["credentialStatus"]["statusPurpose"], "revocation");
    let id = vc["id"].as_str().unwrap();
    let refused = app.status_request(&app.token, id, "suspend").await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert!(
        refused.text().contains("suspendable=true"),
        "{}",
        refused.text()
    );
    app.set_status(id, "revoke").await;

    let reply = app
        .call(
            Method::POST,
            "/records?suspendable=true",
            Some(&app.token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    let purposes: Vec<&str> = vc["credentialStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["statusPurpose"].as_str().unwrap())
        .collect();
    assert_eq!(purposes, ["revocation", "suspension"]);
    app.set_status(vc["id"].as_str().unwrap(), "suspend").await;
}
