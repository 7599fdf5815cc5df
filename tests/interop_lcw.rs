//! What Learner Credential Wallet's verifier (`@digitalcredentials/verifier-core`, run offline by
//! `tests/peers/lcw-verify.mjs`) says about the credentials skillpass issues with
//! eddsa-rdfc-2022: from `skillpass issue` and from the service's `POST /records`, with their
//! status lists. The verifier gets the standard contexts and the documents a test hands it
//! (status lists); any other URL is answered 404, as on the web for a context nobody publishes.
//!
//! "Verified" here is the verifier's own log: signature, expiration and every status entry
//! valid, no fatal error. Its `registered_issuer` check (DCC's issuer registries) is reported
//! but not asserted: no registry lists our test issuers.

mod common;

use std::path::Path;
use std::process::Command;

use axum::http::{Method, StatusCode};
use common::app::{TestApp, PUBLIC_URL};
use common::fixtures::{example_records, root, status_entries};
use common::peer::{self, PeerOutput};
use serde_json::Value;

/// `skillpass issue --key keys-example/issuer.example.json RECORD` (eddsa-rdfc-2022 by default).
fn cli_issue(record: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .arg("issue")
        .arg("--key")
        .arg(root().join("keys-example/issuer.example.json"))
        .arg(record)
        .output()
        .expect("run skillpass issue");
    assert!(
        out.status.success(),
        "skillpass issue {}: {}",
        record.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let vc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cryptosuites(&vc), ["eddsa-rdfc-2022"], "{vc}");
    vc
}

/// The cryptosuites of the credential's proofs (`proof` is one object or an array).
fn cryptosuites(vc: &Value) -> Vec<&str> {
    let proofs = match &vc["proof"] {
        Value::Array(proofs) => proofs.iter().collect(),
        proof => vec![proof],
    };
    proofs
        .into_iter()
        .map(|p| p["cryptosuite"].as_str().unwrap_or("?"))
        .collect()
}

fn lcw(vc: &Value, args: &[String]) -> (PeerOutput, Value) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = peer::lcw_verify(vc, &args);
    let report = out.json();
    (out, report)
}

/// The entry `id` of the verifier's log.
fn log_entry<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["log"].as_array()?.iter().find(|e| e["id"] == id)
}

fn assert_verified(what: &str, out: &PeerOutput, report: &Value) {
    assert_eq!(
        out.code, 0,
        "{what}: LCW's verifier did not verify it:\n{}\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(report["verified"], true, "{what}: {report}");
    assert_eq!(
        log_entry(report, "valid_signature").map(|e| &e["valid"]),
        Some(&Value::Bool(true)),
        "{what}: {report}"
    );
    assert_eq!(
        log_entry(report, "expiration").map(|e| &e["valid"]),
        Some(&Value::Bool(true)),
        "{what}: {report}"
    );
    assert_eq!(report["refused"], serde_json::json!([]), "{what}: {report}");
    // What the wallet shows: nothing fails; only the unknown-registry warning may remain.
    assert_ne!(report["badge"], "Not Verified", "{what}: {report}");
}

#[test]
fn credentials_from_skillpass_issue_verify_in_lcw() {
    for record in example_records() {
        let vc = cli_issue(&record);
        let (out, report) = lcw(&vc, &[]);
        assert_verified(&record.display().to_string(), &out, &report);
    }
}

#[test]
fn a_tampered_credential_from_skillpass_issue_fails_in_lcw() {
    let mut vc = cli_issue(&example_records()[0]);
    vc["credentialSubject"]["achievement"]["name"] = "Something else entirely".into();
    let (out, report) = lcw(&vc, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(report["verified"], false);
    assert_eq!(report["errors"][0]["name"], "invalid_signature", "{report}");
    assert_eq!(report["badge"], "Not Verified");
}

#[tokio::test]
async fn credentials_from_the_service_verify_in_lcw_with_their_status_lists() {
    let app = TestApp::new();
    let dir = tempfile::tempdir().unwrap();
    for record in example_records() {
        let name = record.file_name().unwrap().to_str().unwrap().to_owned();
        let vc = app.issue_example(&name).await;
        assert_eq!(cryptosuites(&vc), ["eddsa-rdfc-2022"], "{name}: {vc}");
        let entries = status_entries(&vc);
        assert!(
            !entries.is_empty(),
            "{name}: the service gave no credentialStatus"
        );
        let args = app.status_list_args(&vc, dir.path()).await;
        let (out, report) = lcw(&vc, &args);
        assert_verified(&name, &out, &report);
        for entry in &entries {
            let id = format!("{}_status", entry["statusPurpose"].as_str().unwrap());
            assert_eq!(
                log_entry(&report, &id).map(|e| &e["valid"]),
                Some(&Value::Bool(true)),
                "{name}: {id} not checked or not valid: {report}"
            );
        }
    }
}

#[tokio::test]
async fn a_credential_the_service_revoked_comes_out_revoked_in_lcw() {
    let app = TestApp::new();
    let dir = tempfile::tempdir().unwrap();
    let records = example_records();
    let file = |i: usize| records[i].file_name().unwrap().to_str().unwrap().to_owned();
    let revoked = app.issue_example(&file(0)).await;
    let kept = app.issue_example(&file(1)).await;
    app.set_status(revoked["id"].as_str().unwrap(), "revoke")
        .await;

    // The lists as they are after the revocation.
    let args = app.status_list_args(&revoked, dir.path()).await;
    let (out, report) = lcw(&revoked, &args);
    assert_eq!(
        out.code, 1,
        "a revoked credential was not refused:\n{}\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(report["verified"], false);
    assert_eq!(
        log_entry(&report, "valid_signature").map(|e| &e["valid"]),
        Some(&Value::Bool(true)),
        "the signature itself is fine: {report}"
    );
    assert_eq!(
        log_entry(&report, "revocation_status").map(|e| &e["valid"]),
        Some(&Value::Bool(false)),
        "{report}"
    );
    assert_eq!(report["badge"], "Not Verified", "{report}");

    // Its neighbour on the same list is untouched.
    let args = app.status_list_args(&kept, dir.path()).await;
    let (out, report) = lcw(&kept, &args);
    assert_verified("the unrevoked credential", &out, &report);
    assert_eq!(
        log_entry(&report, "revocation_status").map(|e| &e["valid"]),
        Some(&Value::Bool(true)),
        "{report}"
    );
}

#[tokio::test]
async fn a_tampered_credential_from_the_service_fails_in_lcw() {
    let app = TestApp::new();
    let dir = tempfile::tempdir().unwrap();
    let name = example_records()[0]
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let mut vc = app.issue_example(&name).await;
    let args = app.status_list_args(&vc, dir.path()).await;
    vc["validFrom"] = "2020-01-01T00:00:00Z".into();
    let (out, report) = lcw(&vc, &args);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(report["errors"][0]["name"], "invalid_signature", "{report}");
    assert_eq!(report["badge"], "Not Verified");
}

#[test]
fn a_credential_whose_status_list_is_not_served_cannot_be_checked() {
    // The harness itself: a status list the verifier needed but did not get is "could not
    // run" (exit 2, the URL listed), never a pass. Built from a peer-signed credential so it
    // holds whatever contexts skillpass uses.
    let unsigned = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:3f0c7a52-0d7e-4b8e-a1c2-7d9e6f5a4b3c",
        "type": ["VerifiableCredential"],
        "validFrom": "2026-07-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": {
            "id": "https://college.example/status/1#42",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "42",
            "statusListCredential": "https://college.example/status/1",
        },
    });
    let seed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let signed = peer::issue(&unsigned, seed, &["--created", "2026-07-01T00:00:00Z"]);
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    let (out, report) = lcw(&signed.json(), &[]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        report["refused"],
        serde_json::json!(["https://college.example/status/1"]),
        "{report}"
    );
}

#[test]
fn credentials_inside_a_skillpass_presentation_verify_in_lcw() {
    // verifier-core checks a presentation's own proof for proof purpose assertionMethod, so the
    // holder's authentication proof (what VC-API and the VC spec expect) is not one it accepts;
    // what the wallet needs from us is that the credentials inside verify.
    let dir = tempfile::tempdir().unwrap();
    let vc_file = dir.path().join("vc.json");
    std::fs::write(&vc_file, cli_issue(&example_records()[0]).to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .arg("present")
        .arg("--key")
        .arg(root().join("keys-example/learner.example.json"))
        .args(["--challenge", "lcw-7f3a"])
        .arg(&vc_file)
        .output()
        .expect("run skillpass present");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vp: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (out, report) = lcw(&vp, &[]);
    assert_eq!(report["kind"], "presentation", "{}", out.stdout);
    assert_eq!(report["refused"], serde_json::json!([]), "{report}");
    let credentials = report["credentials"]
        .as_array()
        .expect("credential results");
    assert_eq!(credentials.len(), 1, "{report}");
    assert_eq!(credentials[0]["verified"], true, "{report}");
}

#[tokio::test]
async fn a_did_web_institutions_credential_verifies_in_lcw() {
    // The wallet resolves did:web over HTTPS: the service's DID document is served to it
    // under the URL did:web names, as the public service would serve it.
    let app = TestApp::new();
    let token = app.register("szweb", "did-web");
    let mut record: Value =
        serde_json::from_str(&std::fs::read_to_string(&example_records()[0]).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    let reply = app
        .call(Method::POST, "/records", Some(&token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    let issuer = vc["issuer"]["id"].as_str().unwrap().to_owned();
    assert!(issuer.starts_with("did:web:"), "{issuer}");

    let dir = tempfile::tempdir().unwrap();
    let doc_path = "/institutions/szweb/did.json";
    let reply = app.call(Method::GET, doc_path, None, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let doc_file = dir.path().join("did.json");
    std::fs::write(&doc_file, &reply.body).unwrap();
    let mut args = app.status_list_args(&vc, dir.path()).await;
    args.push("--serve".to_owned());
    args.push(format!("{PUBLIC_URL}{doc_path}={}", doc_file.display()));
    let (out, report) = lcw(&vc, &args);
    assert_verified("did:web credential", &out, &report);

    // Without its DID document the wallet cannot check it: "could not run", never a pass.
    let args: Vec<String> = args[..args.len() - 2].to_vec();
    let (out, report) = lcw(&vc, &args);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        report["refused"].to_string().contains("did.json"),
        "{report}"
    );
}

#[tokio::test]
async fn a_credential_the_service_suspended_comes_out_suspended_in_lcw() {
    let app = TestApp::new();
    let dir = tempfile::tempdir().unwrap();
    let name = example_records()[0]
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let vc = app.issue_example(&name).await;
    let id = vc["id"].as_str().unwrap().to_owned();
    app.set_status(&id, "suspend").await;
    let args = app.status_list_args(&vc, dir.path()).await;
    let (out, report) = lcw(&vc, &args);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        log_entry(&report, "suspension_status").map(|e| &e["valid"]),
        Some(&Value::Bool(false)),
        "{report}"
    );
    assert_eq!(
        log_entry(&report, "revocation_status").map(|e| &e["valid"]),
        Some(&Value::Bool(true)),
        "{report}"
    );

    // Lifted again: the lists as served now let it through.
    app.set_status(&id, "unsuspend").await;
    let args = app.status_list_args(&vc, dir.path()).await;
    let (out, report) = lcw(&vc, &args);
    assert_verified("the unsuspended credential", &out, &report);
}
