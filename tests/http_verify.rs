//! Verification endpoints over HTTP (`/credentials/verify`, `/presentations/verify`) and the
//! public status lists they read.

mod common;

use std::path::Path;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::app::{now, Reply, TestApp, PUBLIC_URL};
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::keys::{self, SecretKey};
use skillpass::presentation::{present, PresentOptions};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::status;

const V2: &str = "https://www.w3.org/ns/credentials/v2";
const CHALLENGE: &str = "3f1c9a52-employer-interview-0917";
const DOMAIN: &str = "https://jobs.example.com";

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

fn key_file(name: &str) -> SecretKey {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("keys-example")
        .join(name);
    keys::read_secret_key_file(&path).unwrap()
}

fn learner() -> SecretKey {
    key_file("learner.example.json")
}

async fn verify_vc(app: &TestApp, vc: &Value) -> Reply {
    let body = json!({ "verifiableCredential": vc });
    app.call(Method::POST, "/credentials/verify", None, Some(&body))
        .await
}

async fn verify_vp(app: &TestApp, vp: &Value, options: Value) -> Reply {
    let body = json!({ "verifiablePresentation": vp, "options": options });
    app.call(Method::POST, "/presentations/verify", None, Some(&body))
        .await
}

/// Lists an institution in the alliance trust registry, so the verifier's trust check passes
/// for its credentials (registering an institution does not list it).
async fn trust(app: &TestApp, id: &str, did: &str) {
    let member = json!({
        "name": format!("{id} college"),
        "country": "MY",
        "dids": [did],
        "framework": "MQF",
        "qualityAssurance": {"body": "Test QA body", "status": "accredited"},
        "validFrom": "2020-01-01T00:00:00Z",
    });
    let reply = app
        .call(
            Method::PUT,
            &format!("/admin/registry/members/{id}"),
            Some(common::app::ADMIN_TOKEN),
            Some(&member),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.text());
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {report}"))
}

fn failed(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verified"] == false)
        .map(|c| c["check"].as_str().unwrap().to_owned())
        .collect()
}

fn vp(credentials: &[Value], holder: &SecretKey, suite: Cryptosuite, challenge: &str) -> Value {
    let options = PresentOptions {
        suite,
        challenge: challenge.to_owned(),
        domain: Some(DOMAIN.to_owned()),
        created: now(),
        id: "urn:uuid:8c5cf0c4-6d4a-4b8e-9d0e-2f8f2a1d6b01".to_owned(),
    };
    present(credentials, holder, &options, &ContextRegistry::bundled()).unwrap()
}

// ---------------------------------------------------------------- /credentials/verify

#[tokio::test]
async fn an_issued_credential_verifies_with_every_check() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let reply = verify_vc(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["verified"], true);
    assert_eq!(report["kind"], "credential");
    assert_eq!(report["id"], vc["id"]);
    assert_eq!(report["issuer"], vc["issuer"]["id"]);
    for name in [
        "dataModel",
        "proof",
        "proofPurpose",
        "issuerBinding",
        "validityWindow",
        "status",
        "schema",
    ] {
        assert_eq!(check(&report, name)["verified"], true, "{name}");
    }
    assert_eq!(
        report["proofs"][0]["suite"],
        "DataIntegrityProof/eddsa-rdfc-2022"
    );
}

#[tokio::test]
async fn a_tampered_credential_is_422_with_the_report() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let mut edits: Vec<Value> = Vec::new();
    let mut grade = vc.clone();
    grade["credentialSubject"]["result"][0]["value"] = json!("99");
    edits.push(grade);
    let mut name = vc.clone();
    name["issuer"]["name"] = json!("Another College");
    edits.push(name);
    let mut signature = vc.clone();
    let value = signature["proof"][0]["proofValue"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = if value.ends_with('a') { "b" } else { "a" };
    signature["proof"][0]["proofValue"] = json!(format!("{}{flipped}", &value[..value.len() - 1]));
    edits.push(signature);
    let mut unsigned = vc.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    edits.push(unsigned);

    for tampered in edits {
        assert_ne!(tampered, vc);
        let reply = verify_vc(&app, &tampered).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text()
        );
        let report = reply.json();
        assert!(report.get("error").is_none(), "a report, not an error");
        assert_eq!(report["verified"], false);
        assert!(failed(&report).contains(&"proof".to_owned()), "{report}");
        assert!(!check(&report, "proof")["reasons"]
            .as_array()
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn an_expired_credential_is_422() {
    let app = TestApp::new();
    let did = app.service.institution("szpu").unwrap().did;
    let credential = json!({
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "validFrom": "2025-01-01T00:00:00Z",
        "validUntil": "2026-06-30T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Tendai"},
    });
    let reply = app
        .call(
            Method::POST,
            "/credentials/issue",
            Some(&app.token),
            Some(&json!({ "credential": credential })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    let reply = verify_vc(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(failed(&reply.json()), ["validityWindow"]);
    assert!(reply.text().contains("expired"));
}

#[tokio::test]
async fn an_unknown_context_cannot_be_checked() {
    let app = TestApp::new();
    let mut vc = app.issue_example("szpu-3d-animation-production.json").await;
    vc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://example.com/contexts/unknown/v1"));
    let reply = verify_vc(&app, &vc).await;
    let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.starts_with("could not check"), "{message}");
    assert!(
        message.contains("https://example.com/contexts/unknown/v1"),
        "{message}"
    );
}

#[tokio::test]
async fn a_status_list_of_another_service_cannot_be_checked() {
    let app = TestApp::new();
    let issuer = key_file("issuer.example.json");
    let public = issuer.public_key();
    let credential = json!({
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": public.did_key(),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": status::status_entry(
            "https://status.elsewhere.example/lists/1",
            7,
            status::StatusPurpose::Revocation,
        ),
    });
    let options = ProofOptions {
        suite: Cryptosuite::EddsaJcs2022,
        verification_method: public.verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: now(),
        challenge: None,
        domain: None,
    };
    let vc = proof::sign(&credential, &issuer, &options, &ContextRegistry::bundled()).unwrap();
    let reply = verify_vc(&app, &vc).await;
    let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.contains("could not check"), "{message}");
    assert!(message.contains("status.elsewhere.example"), "{message}");

    // Without the foreign status entry, a did:key credential from elsewhere verifies: its
    // issuer's standing is policy, a warning unless the caller requires membership.
    let mut plain = credential.clone();
    plain.as_object_mut().unwrap().remove("credentialStatus");
    let vc = proof::sign(&plain, &issuer, &options, &ContextRegistry::bundled()).unwrap();
    let reply = verify_vc(&app, &vc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["warnings"][0]["check"], "trust");
    let body = json!({ "verifiableCredential": vc, "options": {"requireAllianceMember": true} });
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&body))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert_eq!(
        failed(&reply.json()),
        ["trust"],
        "an issuer outside the registry"
    );
    trust(&app, "example-issuer", &public.did_key()).await;
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&body))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["issuer"], public.did_key().as_str());
    assert!(reply.json().get("warnings").is_none());
}

#[tokio::test]
async fn verify_request_shape_is_checked() {
    let app = TestApp::new();
    for body in [
        json!({ "verifiableCredential": "eyJhbGciOi..." }),
        json!({ "verifiableCredential": [] }),
    ] {
        let reply = app
            .call(Method::POST, "/credentials/verify", None, Some(&body))
            .await;
        error(&reply, StatusCode::BAD_REQUEST);
    }
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&json!({})))
        .await;
    assert!(reply.status.is_client_error());
    assert!(error(&reply, reply.status).contains("verifiableCredential"));
    let reply = app
        .call(
            Method::POST,
            "/presentations/verify",
            None,
            Some(&json!({ "verifiablePresentation": 42 })),
        )
        .await;
    error(&reply, StatusCode::BAD_REQUEST);
    // A document that is not a credential at all is reported, not a crash.
    let reply = verify_vc(&app, &json!({"hello": "world"})).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
}

// ---------------------------------------------------------------- /presentations/verify

#[tokio::test]
async fn a_presentation_with_the_right_challenge_and_domain_verifies() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let vp = vp(std::slice::from_ref(&vc), &learner(), suite, CHALLENGE);
        let reply = verify_vp(&app, &vp, json!({"challenge": CHALLENGE, "domain": DOMAIN})).await;
        assert_eq!(reply.status, StatusCode::OK, "{suite}: {}", reply.text());
        let report = reply.json();
        assert_eq!(report["verified"], true);
        assert_eq!(report["kind"], "presentation");
        assert_eq!(
            report["issuer"],
            format!("did:key:{}", keys::EXAMPLE_LEARNER_PUBLIC)
        );
        for name in ["challenge", "domain", "holderBinding", "credentials"] {
            assert_eq!(check(&report, name)["verified"], true, "{name}");
        }
        assert_eq!(report["credentials"][0]["verified"], true);
        assert_eq!(check(&report["credentials"][0], "status")["verified"], true);
    }
}

#[tokio::test]
async fn a_wrong_or_missing_challenge_or_domain_is_422() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let vp = vp(&[vc], &learner(), Cryptosuite::EddsaRdfc2022, CHALLENGE);
    let cases = [
        (
            json!({"challenge": "another-challenge", "domain": DOMAIN}),
            "challenge",
        ),
        (
            json!({"challenge": CHALLENGE, "domain": "https://evil.example"}),
            "domain",
        ),
        (json!({"domain": DOMAIN}), "challenge"),
        (json!({"challenge": CHALLENGE}), "domain"),
    ];
    for (options, failing) in cases {
        let reply = verify_vp(&app, &vp, options.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{options}: {}",
            reply.text()
        );
        let report = reply.json();
        assert_eq!(report["verified"], false);
        assert_eq!(failed(&report), [failing], "{options}: {report}");
    }
    // No options at all: the challenge check fails.
    let body = json!({ "verifiablePresentation": vp });
    let reply = app
        .call(Method::POST, "/presentations/verify", None, Some(&body))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(failed(&reply.json()).contains(&"challenge".to_owned()));
}

#[tokio::test]
async fn a_presentation_of_a_revoked_credential_is_422() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    app.set_status(vc["id"].as_str().unwrap(), "revoke").await;
    let vp = vp(&[vc], &learner(), Cryptosuite::EddsaRdfc2022, CHALLENGE);
    let reply = verify_vp(&app, &vp, json!({"challenge": CHALLENGE, "domain": DOMAIN})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let report = reply.json();
    assert_eq!(failed(&report), ["credentials"]);
    assert!(reply.text().contains("revoked by its issuer"));
}

#[tokio::test]
async fn a_presentation_by_someone_else_or_altered_is_422() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let options = json!({"challenge": CHALLENGE, "domain": DOMAIN});

    // The issuer example key is not the learner the credential is about.
    let stranger = key_file("issuer.example.json");
    let vp_other = vp(
        std::slice::from_ref(&vc),
        &stranger,
        Cryptosuite::EddsaRdfc2022,
        CHALLENGE,
    );
    // Genuine, but not about its holder: a warning, or a failure when the caller requires it.
    let reply = verify_vp(&app, &vp_other, options.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["warnings"][0]["check"], "holderBinding");
    let mut strict = options.clone();
    strict["requireHolderIsSubject"] = json!(true);
    let reply = verify_vp(&app, &vp_other, strict).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(failed(&reply.json()), ["holderBinding"]);

    // Swapping the credential inside a signed presentation breaks its proof.
    let mut altered = vp(
        std::slice::from_ref(&vc),
        &learner(),
        Cryptosuite::EddsaJcs2022,
        CHALLENGE,
    );
    altered["verifiableCredential"][0]["credentialSubject"]["result"][0]["value"] = json!("100");
    let reply = verify_vp(&app, &altered, options).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let failing = failed(&reply.json());
    assert!(failing.contains(&"proof".to_owned()), "{failing:?}");
    assert!(failing.contains(&"credentials".to_owned()), "{failing:?}");
}

// ---------------------------------------------------------------- GET /status/...

#[tokio::test]
async fn status_lists_are_signed_application_vc_by_the_credentials_issuer() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let entries = vc["credentialStatus"].as_array().unwrap().clone();
    let id = vc["id"].as_str().unwrap();
    app.set_status(id, "revoke").await;

    for entry in entries {
        let url = entry["statusListCredential"].as_str().unwrap();
        let path = url
            .strip_prefix(PUBLIC_URL)
            .expect("a list of this service");
        let reply = app.call(Method::GET, path, None, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.headers["content-type"], "application/vc");
        let list = reply.json();
        assert_eq!(list["id"], url);
        assert_eq!(
            list["issuer"], vc["issuer"]["id"],
            "its issuer is the credential's"
        );
        assert_eq!(
            list["credentialSubject"]["statusPurpose"],
            entry["statusPurpose"]
        );
        assert!(list.get("credentialStatus").is_none());
        let bits = status::decode_list(list["credentialSubject"]["encodedList"].as_str().unwrap())
            .unwrap();
        let index: u64 = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
        let revoked = entry["statusPurpose"] == "revocation";
        assert_eq!(bits.get(index).unwrap(), revoked);
        assert_eq!(bits.count_set(), usize::from(revoked));

        // The list verifies on its own.
        let reply = verify_vc(&app, &list).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["issuer"], vc["issuer"]["id"]);
    }
}

#[tokio::test]
async fn unknown_status_lists_are_404() {
    let app = TestApp::new();
    app.issue_example("szpu-3d-animation-production.json").await;
    for path in [
        "/status/szpu/revocation/1",
        "/status/szpu/revocation/00",
        "/status/szpu/revocation/-1",
        "/status/szpu/expiry/0",
        "/status/nobody/revocation/0",
        "/status/Bad%20Id/revocation/0",
    ] {
        let reply = app.call(Method::GET, path, None, None).await;
        error(&reply, StatusCode::NOT_FOUND);
    }
    // A registered institution that has issued nothing has no lists yet.
    app.register("hpoly", "did-key");
    let reply = app
        .call(Method::GET, "/status/hpoly/revocation/0", None, None)
        .await;
    error(&reply, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_status_list_served_earlier_still_verifies_later() {
    // The served list is valid from the institution's registration, so a verifier whose clock
    // is ahead, or who reads it a day later, accepts it.
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let url = vc["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap();
    let reply = app
        .call(
            Method::GET,
            url.strip_prefix(PUBLIC_URL).unwrap(),
            None,
            None,
        )
        .await;
    let list = reply.json();
    let mut options = skillpass::verify::VerifyOptions::new(now() + Duration::days(1));
    options.resolver = app.service.resolver();
    let report = skillpass::verify::verify(&list, &options).unwrap();
    assert!(report.verified, "{:?}", report.reasons());
}
