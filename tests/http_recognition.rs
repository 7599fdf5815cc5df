//! `POST /recognitions`: decisions over HTTP for the authenticated receiving institution, the
//! decision issued as a signed credential, and every way a request is refused.

mod common;

use std::sync::Arc;

use axum::http::{header, Method, Request, StatusCode};
use common::app::{now, TestApp, PUBLIC_URL};
use serde_json::{json, Value};
use skillpass::registry::Member;
use skillpass::service::NewInstitution;
use skillpass::verify::{self, LocalStatusLists, VerifyOptions};

const MQF_RECORD: &str = "my-diploma-furniture-production.json";
const ANIMATION_RECORD: &str = "szpu-3d-animation-production.json";

async fn recognise(app: &TestApp, token: Option<&str>, body: &Value) -> common::app::Reply {
    app.call(Method::POST, "/recognitions", token, Some(body))
        .await
}

/// Asserts the error envelope and its status; returns the message.
fn error(reply: &common::app::Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"]["status"], status.as_u16(), "{body}");
    body["error"]["message"].as_str().unwrap().to_owned()
}

fn findings(answer: &Value) -> Vec<String> {
    answer["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["finding"].as_str().unwrap().to_owned())
        .collect()
}

fn has(answer: &Value, finding: &str) -> bool {
    findings(answer).iter().any(|f| f == finding)
}

/// Registers an institution with its own framework and, when `status` is given, lists it in
/// the alliance registry with that accreditation status. Returns its token.
fn institution(app: &TestApp, id: &str, framework: &str, status: Option<&str>) -> String {
    let new: NewInstitution = serde_json::from_value(json!({
        "id": id,
        "name": format!("{id} polytechnic"),
        "country": "MY",
        "framework": framework,
    }))
    .unwrap();
    let (inst, token) = app.service.register_institution(new, "test").unwrap();
    if let Some(status) = status {
        let member: Member = serde_json::from_value(json!({
            "id": id,
            "name": inst.name,
            "country": "MY",
            "dids": [inst.did],
            "framework": framework,
            "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": status},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap();
        app.store.put_member(&member).unwrap();
    }
    token.as_str().to_owned()
}

/// Issues an example record as the institution holding `token`.
async fn issue_as(app: &TestApp, token: &str, file: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(file);
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record.as_object_mut().unwrap().remove("recordId");
    let reply = app
        .call(
            Method::POST,
            "/records?suspendable=true",
            Some(token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["verifiableCredential"].clone()
}

/// Verifies a credential of this service with the library verifier: the service's status
/// lists (signed now) and its trust registry.
async fn verify_locally(app: &TestApp, credential: &Value) -> verify::VerificationReport {
    let mut lists = LocalStatusLists::default();
    let entries = match &credential["credentialStatus"] {
        Value::Array(entries) => entries.clone(),
        one => vec![one.clone()],
    };
    for entry in &entries {
        let url = entry["statusListCredential"].as_str().unwrap();
        let list = url.strip_prefix(&format!("{PUBLIC_URL}/status/")).unwrap();
        let signed = app.service.status_list_credential(list).await.unwrap();
        lists.0.insert(url.to_owned(), signed);
    }
    let mut options = VerifyOptions::new(now());
    options.status_lists = Some(Arc::new(lists));
    options.trust = Some(app.service.trust_registry());
    verify::verify(credential, &options).unwrap()
}

// ------------------------------------------------------------------------ success

#[tokio::test]
async fn an_mqf_credential_is_decided_for_eqf_with_the_reasoning() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let reply = recognise(
        &app,
        Some(&app.token),
        &json!({"verifiableCredential": vc, "receivingFramework": "EQF"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    assert_eq!(answer["decision"]["outcome"], "recognised-with-conditions");
    assert_eq!(answer["decision"]["receivingFramework"], "EQF");
    assert_eq!(answer["decision"]["credentialId"], vc["id"]);
    assert_eq!(answer["decision"]["issuer"], vc["issuer"]["id"]);
    for f in [
        "authentic",
        "issuer-accredited",
        "level-mapped",
        "referencing-example",
        "credits-range",
    ] {
        assert!(has(&answer, f), "{f} missing: {:?}", findings(&answer));
    }
    assert_eq!(answer["decision"]["credits"]["awarded"], 4.0);
    assert_eq!(answer["decision"]["credits"]["system"], "ECTS");
    // What it was decided from comes with it; evidence pointers resolve into it.
    assert_eq!(answer["verification"]["verified"], true);
    assert_eq!(answer["assessment"]["receivingFramework"], "EQF");
    for reason in answer["decision"]["reasons"].as_array().unwrap() {
        let source = reason["evidence"]["source"].as_str().unwrap();
        let pointer = reason["evidence"]["pointer"].as_str().unwrap();
        let target = match source {
            "verification" => answer["verification"].pointer(pointer),
            "assessment" => answer["assessment"].pointer(pointer),
            "credential" => vc.pointer(pointer),
            other => panic!("source {other}"),
        };
        assert!(target.is_some(), "{source}{pointer} does not resolve");
    }
    assert!(answer.get("decisionCredential").is_none());
}

#[tokio::test]
async fn the_receiving_framework_defaults_to_the_callers_or_a_named_institutions() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    // szpu awards in CN-VOC.
    let reply = recognise(&app, Some(&app.token), &json!({"verifiableCredential": vc})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["decision"]["receivingFramework"], "CN-VOC");

    institution(&app, "kpm", "MQF", None);
    let reply = recognise(
        &app,
        Some(&app.token),
        &json!({"verifiableCredential": vc, "receivingInstitution": "kpm"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    assert_eq!(answer["decision"]["receivingFramework"], "MQF");
    assert_eq!(
        answer["decision"]["outcome"], "recognised",
        "{}",
        answer["decision"]
    );
}

#[tokio::test]
async fn a_presentation_is_recognised_with_the_verifiers_challenge() {
    let app = TestApp::new();
    let vc = app.issue_example(ANIMATION_RECORD).await;
    let key = skillpass::keys::read_secret_key_file(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keys-example/learner.example.json"),
    )
    .unwrap();
    let options = skillpass::presentation::PresentOptions {
        suite: skillpass::proof::Cryptosuite::EddsaRdfc2022,
        challenge: "rec-77".into(),
        domain: Some("college.example".into()),
        created: now(),
        id: "urn:uuid:6a1f3c2e-9b8d-4e0f-8a7c-1d2e3f405162".into(),
    };
    let vp = skillpass::presentation::present(
        std::slice::from_ref(&vc),
        &key,
        &options,
        &skillpass::contexts::ContextRegistry::bundled(),
    )
    .unwrap();
    let body = json!({
        "verifiablePresentation": vp,
        "options": {"challenge": "rec-77", "domain": "college.example"},
        "receivingFramework": "MQF",
    });
    let reply = recognise(&app, Some(&app.token), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    assert!(has(&answer, "authentic"), "{:?}", findings(&answer));
    assert!(has(&answer, "level-span"), "{:?}", findings(&answer));
    assert_eq!(answer["decision"]["credentialId"], vc["id"]);

    let mut replayed = body.clone();
    replayed["options"]["challenge"] = "other".into();
    let answer = recognise(&app, Some(&app.token), &replayed).await.json();
    assert_eq!(answer["decision"]["outcome"], "not-recognised");
    assert!(
        has(&answer, "presentation-invalid"),
        "{:?}",
        findings(&answer)
    );
}

// ------------------------------------------------------------------------ decisions that refuse

#[tokio::test]
async fn revoked_and_suspended_credentials_are_not_recognised() {
    let app = TestApp::new();
    for (action, finding) in [("revoke", "revoked"), ("suspend", "suspended")] {
        let vc = issue_as(&app, &app.token, MQF_RECORD).await;
        let body = json!({"verifiableCredential": vc, "receivingFramework": "MQF"});
        let before = recognise(&app, Some(&app.token), &body).await.json();
        assert_eq!(
            before["decision"]["outcome"], "recognised",
            "{}",
            before["decision"]
        );
        app.set_status(vc["id"].as_str().unwrap(), action).await;
        let after = recognise(&app, Some(&app.token), &body).await;
        assert_eq!(after.status, StatusCode::OK, "{}", after.text());
        let answer = after.json();
        assert_eq!(answer["decision"]["outcome"], "not-recognised");
        assert!(has(&answer, finding), "{action}: {:?}", findings(&answer));
        assert!(!has(&answer, "authentic"));
        assert!(answer["decision"].get("credits").is_none());
    }
}

#[tokio::test]
async fn an_issuer_outside_the_registry_or_lapsed_is_not_recognised() {
    let app = TestApp::new();
    let zvp = institution(&app, "zvp", "ZNQF", None);
    let vc = issue_as(&app, &zvp, MQF_RECORD).await;
    let body = json!({"verifiableCredential": vc, "receivingFramework": "MQF"});
    let answer = recognise(&app, Some(&app.token), &body).await.json();
    assert_eq!(answer["decision"]["outcome"], "not-recognised");
    assert!(has(&answer, "issuer-unknown"), "{:?}", findings(&answer));
    assert!(
        has(&answer, "authentic"),
        "the signature holds: {:?}",
        findings(&answer)
    );

    let lapsed = institution(&app, "lapsed", "MQF", Some("lapsed"));
    let vc = issue_as(&app, &lapsed, MQF_RECORD).await;
    let body = json!({"verifiableCredential": vc, "receivingFramework": "MQF"});
    let answer = recognise(&app, Some(&app.token), &body).await.json();
    assert_eq!(answer["decision"]["outcome"], "not-recognised");
    assert!(
        has(&answer, "accreditation-lapsed"),
        "{:?}",
        findings(&answer)
    );

    let provisional = institution(&app, "newcomer", "MQF", Some("provisional"));
    let vc = issue_as(&app, &provisional, MQF_RECORD).await;
    let body = json!({"verifiableCredential": vc, "receivingFramework": "MQF"});
    let answer = recognise(&app, Some(&app.token), &body).await.json();
    assert_eq!(answer["decision"]["outcome"], "recognised-with-conditions");
    assert!(
        has(&answer, "accreditation-provisional"),
        "{:?}",
        findings(&answer)
    );
}

#[tokio::test]
async fn an_altered_credential_is_not_recognised() {
    let app = TestApp::new();
    let mut vc = app.issue_example(MQF_RECORD).await;
    vc["credentialSubject"]["achievement"]["creditsAvailable"] = json!(30);
    let answer = recognise(
        &app,
        Some(&app.token),
        &json!({"verifiableCredential": vc, "receivingFramework": "MQF"}),
    )
    .await
    .json();
    assert_eq!(answer["decision"]["outcome"], "not-recognised");
    assert!(has(&answer, "altered"), "{:?}", findings(&answer));
}

// ------------------------------------------------------------------------ the decision credential

#[tokio::test]
async fn the_receiving_institution_issues_the_decision_as_a_verifiable_credential() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let kpm = institution(&app, "kpm", "MQF", Some("accredited"));
    let kpm_did = app.store.get_institution("kpm").unwrap().unwrap().did;
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let reply = recognise(
            &app,
            Some(&kpm),
            &json!({
                "verifiableCredential": vc,
                "receivingFramework": "ZNQF",
                "issueDecision": true,
                "cryptosuite": suite,
            }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let answer = reply.json();
        let decision = &answer["decisionCredential"];
        assert_eq!(
            decision["type"],
            json!([
                "VerifiableCredential",
                "https://w3id.org/skillpass/vocab#CreditTransferDecision"
            ])
        );
        assert_eq!(decision["issuer"]["id"], kpm_did.as_str());
        assert_eq!(decision["proof"]["cryptosuite"], suite);
        let subject = &decision["credentialSubject"];
        assert_eq!(subject["recognisedCredential"], vc["id"]);
        assert_eq!(subject["recognisedIssuer"], vc["issuer"]["id"]);
        assert_eq!(subject["recognitionOutcome"], answer["decision"]["outcome"]);
        assert_eq!(subject["receivingFramework"], "ZNQF");
        assert!(subject["recognitionCondition"].as_array().unwrap().len() >= 2);
        assert_eq!(
            decision["credentialStatus"]["statusPurpose"], "revocation",
            "revocable like any other"
        );

        // It verifies over the API and with the library verifier (status lists, trust).
        let reply = app
            .call(
                Method::POST,
                "/credentials/verify",
                None,
                Some(&json!({"verifiableCredential": decision})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{suite}: {}", reply.text());
        let report = verify_locally(&app, decision).await;
        assert!(report.verified, "{suite}: {:?}", report.reasons());

        // And it is stored: the institution can fetch it.
        let id = decision["id"].as_str().unwrap();
        let stored = app.service.credential(id).unwrap();
        assert_eq!(stored.institution, "kpm");
    }
}

#[tokio::test]
async fn an_undecided_decision_can_be_issued_too() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let reply = recognise(
        &app,
        Some(&app.token),
        &json!({"verifiableCredential": vc, "receivingFramework": "TH-TQF", "issueDecision": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    let subject = &answer["decisionCredential"]["credentialSubject"];
    // A missing referencing link is a gap in the data: never "not recognised".
    assert_eq!(
        subject["recognitionOutcome"],
        "cannot-be-decided-automatically"
    );
    assert!(subject.get("recognisedLevel").is_none());
    // 120 h = 2.35–2.67 Thai credits: no whole credit inside, so 2.4.
    assert_eq!(subject["creditsAwarded"], 2.4);
    let reasons = subject["recognitionReason"].as_array().unwrap();
    assert!(reasons
        .iter()
        .any(|r| r["finding"] == "level-no-path" && r["effect"] == "undecided"));
    assert!(
        verify_locally(&app, &answer["decisionCredential"])
            .await
            .verified
    );
}

// ------------------------------------------------------------------------ refused requests

#[tokio::test]
async fn recognitions_need_an_institution_token() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let body = json!({"verifiableCredential": vc, "receivingFramework": "EQF"});
    error(
        &recognise(&app, None, &body).await,
        StatusCode::UNAUTHORIZED,
    );
    error(
        &recognise(&app, Some("not-a-token"), &body).await,
        StatusCode::UNAUTHORIZED,
    );
    // The admin token is not an institution's.
    error(
        &recognise(&app, Some(common::app::ADMIN_TOKEN), &body).await,
        StatusCode::UNAUTHORIZED,
    );
}

#[tokio::test]
async fn bad_bodies_are_400_with_the_envelope() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let vp = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "verifiableCredential": [vc]});
    let cases = [
        (json!({"receivingFramework": "EQF"}), "send the credential"),
        (
            json!({"verifiableCredential": vc, "verifiablePresentation": vp}),
            "not both",
        ),
        (
            json!({"verifiableCredential": "urn:uuid:1"}),
            "must be a JSON object",
        ),
        (
            json!({"verifiableCredential": vp}),
            "send it as verifiablePresentation",
        ),
        (
            json!({"verifiablePresentation": vc}),
            "VerifiablePresentation",
        ),
        (
            json!({"verifiableCredential": vc, "options": {"challenge": "x"}}),
            "apply to a verifiablePresentation only",
        ),
        (
            json!({"verifiableCredential": vc, "receivingFramework": "EQF", "receivingInstitution": "szpu"}),
            "not both",
        ),
        (
            json!({"verifiableCredential": vc, "issueDecision": true, "cryptosuite": "rsa-2048"}),
            "",
        ),
        (
            json!({"verifiableCredential": vc, "cryptosuite": "eddsa-jcs-2022"}),
            "issueDecision",
        ),
    ];
    for (body, expected) in cases {
        let message = error(
            &recognise(&app, Some(&app.token), &body).await,
            StatusCode::BAD_REQUEST,
        );
        assert!(message.contains(expected), "{body}: {message}");
    }
    // Not JSON at all.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/recognitions")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from("{\"verifiableCredential\": "))
        .unwrap();
    error(&app.send(req).await, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unprocessable_requests_are_422() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let message = error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiableCredential": vc, "receivingFramework": "XX-NQF"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(
        message.contains("unknown receiving framework \"XX-NQF\""),
        "{message}"
    );
    assert!(message.contains("EQF"), "lists the known ones: {message}");

    let message = error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiableCredential": vc, "receivingInstitution": "nowhere"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(
        message.contains("\"nowhere\" is not an institution registered"),
        "{message}"
    );

    // An institution whose own framework is not in the framework registry.
    let odd = institution(&app, "odd", "TJ-NQF", None);
    let message = error(
        &recognise(&app, Some(&odd), &json!({"verifiableCredential": vc})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("TJ-NQF"), "{message}");

    // A typo in a field name is not silently ignored.
    error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiableCredential": vc, "recievingFramework": "EQF"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let vp = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "verifiableCredential": [vc, vc]});
    let message = error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiablePresentation": vp, "options": {"challenge": "c"}}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("exactly one credential"), "{message}");

    // Could not check: a context that is not bundled.
    let mut unknown = vc.clone();
    unknown["@context"]
        .as_array_mut()
        .unwrap()
        .push("https://contexts.example/unknown/v9".into());
    let message = error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiableCredential": unknown, "receivingFramework": "EQF"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.starts_with("could not check"), "{message}");

    // A decision cannot reference a credential without an id.
    let mut anonymous = vc.clone();
    anonymous.as_object_mut().unwrap().remove("id");
    let message = error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiableCredential": anonymous, "issueDecision": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(message.contains("no id"), "{message}");
}

#[tokio::test]
async fn an_institution_issues_only_its_own_decisions() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    institution(&app, "kpm", "MQF", Some("accredited"));
    let message = error(
        &recognise(
            &app,
            Some(&app.token),
            &json!({"verifiableCredential": vc, "receivingInstitution": "kpm", "issueDecision": true}),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    assert!(message.contains("only its own decisions"), "{message}");
    // Naming itself is fine.
    let reply = recognise(
        &app,
        Some(&app.token),
        &json!({"verifiableCredential": vc, "receivingInstitution": "szpu", "issueDecision": true}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.json()["decisionCredential"]["proof"].is_object());
}
