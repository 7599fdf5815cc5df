//! Every kind of document skillpass signs verifies in verifiers nobody on this team wrote, with
//! nothing but the standard contexts: Digital Bazaar's (`@digitalbazaar/vc`, both cryptosuites)
//! and Learner Credential Wallet's (`@digitalcredentials/verifier-core`, eddsa-rdfc-2022) —
//! VC 2.0 and VC 1.1 credentials through the VC-API, recognition decisions, status lists and the
//! alliance registry. (Record credentials: `interop_peer.rs`, `interop_lcw.rs`, `signed_ob3.rs`.)
//! And a document altered after signing fails in both.

mod common;

use axum::http::{Method, StatusCode};
use common::app::{TestApp, PUBLIC_URL};
use common::fixtures::status_entries;
use common::peer;
use serde_json::{json, Value};

const SUITES: [&str; 2] = ["eddsa-rdfc-2022", "eddsa-jcs-2022"];

/// Asserts both peers' verdicts on `doc` (LCW's only for eddsa-rdfc-2022): `expected` verified
/// or not. `db_args` go to Digital Bazaar's verifier (`--no-issuer-check` where the issuer is
/// not the signer, as in the VC-API's test credentials).
fn assert_peers(
    what: &str,
    doc: &Value,
    suite: &str,
    args: &[String],
    db_args: &[&str],
    expected: bool,
) {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend_from_slice(db_args);
    let out = peer::verify(doc, &all);
    assert_eq!(
        out.code == 0,
        expected,
        "{what}: Digital Bazaar's verifier: {}\n{}",
        out.stdout,
        out.stderr
    );
    if suite == "eddsa-rdfc-2022" {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = peer::lcw_verify(doc, &args);
        assert_eq!(
            out.code == 0,
            expected,
            "{what}: Learner Credential Wallet's verifier: {}\n{}",
            out.stdout,
            out.stderr
        );
    }
}

fn tampered(doc: &Value) -> Value {
    let mut doc = doc.clone();
    doc["credentialSubject"]["forged"] = json!(true);
    if doc["credentialSubject"]["@context"].is_object() {
        // Keep it well-formed JSON-LD: change a signed value instead of adding a term.
        doc["credentialSubject"]
            .as_object_mut()
            .unwrap()
            .remove("forged");
        doc["credentialSubject"]["recognitionOutcome"] = json!("recognised");
        doc["credentialSubject"]["creditsAwarded"] = json!(999);
    }
    doc
}

fn did_of(app: &TestApp, id: &str) -> String {
    app.store.get_institution(id).unwrap().unwrap().did
}

#[tokio::test]
async fn vc_api_credentials_of_both_versions_verify_in_both_peers() {
    let app = TestApp::new();
    let did = did_of(&app, "szpu");
    let dir = tempfile::tempdir().unwrap();
    let v2 = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:learner", "name": "Learner"}
    });
    // VC 1.1 without the Data Integrity context, as the W3C suites send it.
    let v1 = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"}
    });
    for (version, credential) in [("VC 2.0", v2), ("VC 1.1", v1)] {
        for suite in SUITES {
            let body = json!({"credential": credential, "options": {"cryptosuite": suite}});
            let reply = app
                .call(
                    Method::POST,
                    "/credentials/issue",
                    Some(&app.token),
                    Some(&body),
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::CREATED,
                "{version} {suite}: {}",
                reply.text()
            );
            let vc = reply.json()["verifiableCredential"].clone();
            let args = app.status_list_args(&vc, dir.path()).await;
            let what = format!("{version} {suite}");
            assert_peers(&what, &vc, suite, &args, &[], true);
            assert_peers(
                &format!("{what} tampered"),
                &tampered(&vc),
                suite,
                &args,
                &[],
                false,
            );
        }
    }
}

#[tokio::test]
async fn decisions_status_lists_and_the_registry_verify_in_both_peers() {
    let app = TestApp::new();
    let dir = tempfile::tempdir().unwrap();
    let vc = app
        .issue_example("my-diploma-furniture-production.json")
        .await;

    for suite in SUITES {
        let body = json!({
            "verifiableCredential": vc,
            "receivingFramework": "MQF",
            "issueDecision": true,
            "cryptosuite": suite,
        });
        let reply = app
            .call(Method::POST, "/recognitions", Some(&app.token), Some(&body))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let decision = reply.json()["decisionCredential"].clone();
        assert!(
            decision.is_object(),
            "no decision credential: {}",
            reply.text()
        );
        let args = app.status_list_args(&decision, dir.path()).await;
        let what = format!("decision {suite}");
        assert_peers(&what, &decision, suite, &args, &[], true);
        assert_peers(
            &format!("{what} tampered"),
            &tampered(&decision),
            suite,
            &args,
            &[],
            false,
        );
    }

    // The status lists themselves, as a wallet fetches them.
    for entry in status_entries(&vc) {
        let url = entry["statusListCredential"].as_str().unwrap();
        let list = app
            .call(
                Method::GET,
                url.strip_prefix(PUBLIC_URL).unwrap(),
                None,
                None,
            )
            .await
            .json();
        assert_eq!(list["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert_peers(url, &list, "eddsa-rdfc-2022", &[], &[], true);
        let mut forged = list.clone();
        forged["credentialSubject"]["encodedList"] =
            json!("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA");
        assert_peers(
            &format!("{url} forged"),
            &forged,
            "eddsa-rdfc-2022",
            &[],
            &[],
            false,
        );
    }

    // The alliance registry document: the one the service serves (its clock is fixed in the
    // past, so Digital Bazaar's verifier is told that time), and one signed now by the same
    // code for LCW's verifier, which always checks against the real clock.
    let registry = app.call(Method::GET, "/registry", None, None).await.json();
    assert_eq!(registry["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let out = peer::verify(&registry, &["--now", "2026-09-02T00:00:00Z"]);
    assert_eq!(out.code, 0, "served registry: {}", out.stdout);
    // With a member's node origin (`nodes`, an IRI-valued term of the inline context).
    let mut members = app.store.list_members().unwrap();
    members[0].nodes = vec!["https://skillpass.szpu.edu.cn".into()];
    let key = skillpass::keys::SecretKey::generate(&mut rand_core::OsRng);
    let fresh = skillpass::registry::document::sign_registry(
        &members,
        &key,
        chrono::Utc::now(),
        chrono::Duration::days(30),
    )
    .unwrap();
    assert_peers("registry", &fresh, "eddsa-rdfc-2022", &[], &[], true);
    let mut forged = fresh.clone();
    forged["credentialSubject"]["members"][0]["nodes"] = json!(["https://forged.example"]);
    assert_peers(
        "registry forged",
        &forged,
        "eddsa-rdfc-2022",
        &[],
        &[],
        false,
    );
}
