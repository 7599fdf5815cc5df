//! What leaves skillpass — proof included — is a valid OB 3.0 AchievementCredential: every example
//! record, with both cryptosuites, signed by the CLI and by the service, passes the 1EdTech JSON
//! Schema as signed, and Digital Bazaar's verifier (standard contexts only) still verifies it.
//! (`validate_ob3` reads `proof` and `credentialStatus` with VC 2.0's "one or many" rule; the
//! checks here also hold the shapes the 1EdTech schema itself insists on.)

mod common;

use std::process::Command;

use axum::http::{Method, StatusCode};
use common::app::TestApp;
use common::fixtures::{example_records, root};
use common::peer;
use serde_json::Value;
use skillpass::schema::validate_ob3;

const SUITES: [&str; 2] = ["eddsa-rdfc-2022", "eddsa-jcs-2022"];

/// The signed credential passes the schema, carries its proof as the schema's array, and the
/// peer verifies it.
fn assert_portable(vc: &Value, what: &str, peer_args: &[&str]) {
    if let Err(violations) = validate_ob3(vc) {
        panic!("{what}: signed credential breaks OB 3.0: {violations:?}");
    }
    assert!(vc["proof"].is_array(), "{what}: proof is not an array");
    assert!(
        !vc["credentialStatus"].is_array(),
        "{what}: the schema allows one credentialStatus object"
    );
    let out = peer::verify(vc, peer_args);
    assert_eq!(out.code, 0, "{what}: peer refused it: {}", out.stdout);
}

#[test]
fn cli_output_is_schema_valid_as_signed() {
    for record in example_records() {
        for suite in SUITES {
            let out = Command::new(env!("CARGO_BIN_EXE_skillpass"))
                .current_dir(root())
                .args(["issue", "--key", "keys-example/issuer.example.json"])
                .args(["--suite", suite])
                .arg(&record)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let vc: Value = serde_json::from_slice(&out.stdout).unwrap();
            let what = format!("{} {suite}", record.display());
            assert_portable(&vc, &what, &[]);
        }
    }
}

#[tokio::test]
async fn service_output_is_schema_valid_as_signed() {
    let app = TestApp::new();
    for record in example_records() {
        let mut body: Value =
            serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
        body["issuer"].as_object_mut().unwrap().remove("id");
        // One credential per suite: a repeated record id would answer with the first.
        body.as_object_mut().unwrap().remove("recordId");
        for suite in SUITES {
            let uri = format!("/records?cryptosuite={suite}");
            let reply = app
                .call(Method::POST, &uri, Some(&app.token), Some(&body))
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
            let vc = reply.json()["verifiableCredential"].clone();
            // The service's credentials carry one status entry (revocation), as an object: the
            // OB 3.0 schema allows no more. Hand the peer its list.
            let entry = &vc["credentialStatus"];
            assert_eq!(entry["statusPurpose"], "revocation", "{suite}: {entry}");
            let list_url = entry["statusListCredential"].as_str().unwrap();
            let path = &list_url[list_url.find("/status/").unwrap()..];
            let list = app.call(Method::GET, path, None, None).await;
            assert_eq!(list.status, StatusCode::OK, "{}", list.text());
            let file = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(file.path(), &list.body).unwrap();
            let what = format!("service {} {suite}", record.display());
            assert_portable(
                &vc,
                &what,
                &["--status-list", file.path().to_str().unwrap()],
            );
        }
    }
}
