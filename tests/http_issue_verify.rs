//! The service's core loop over HTTP: issue a record, verify it, revoke it, verify again.

mod common;

use axum::http::{Method, StatusCode};
use common::app::TestApp;
use serde_json::json;

#[tokio::test]
async fn issue_verify_revoke_verify() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    assert_eq!(vc["credentialStatus"].as_array().unwrap().len(), 2);

    let body = json!({ "verifiableCredential": vc });
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&body))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["verified"], true);
    assert!(report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["check"] == "status"));

    let id = vc["id"].as_str().unwrap();
    app.set_status(id, "revoke").await;

    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&body))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let report = reply.json();
    assert_eq!(report["verified"], false);
    let status = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "status")
        .unwrap();
    assert_eq!(status["reasons"][0], "revoked by its issuer");

    // The status list is served signed, as application/vc.
    let url = vc["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap();
    let path = url.strip_prefix(common::app::PUBLIC_URL).unwrap();
    let reply = app.call(Method::GET, path, None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["content-type"], "application/vc");
    assert_eq!(reply.json()["type"][1], "BitstringStatusListCredential");
}

/// A status list is signed once per content: unchanged bits are served from the cache (the same
/// proof), and a revocation is visible at once (a new list with the bit set).
#[tokio::test]
async fn status_lists_are_re_signed_only_when_their_bits_change() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let url = vc["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap();
    let path = url
        .strip_prefix(common::app::PUBLIC_URL)
        .unwrap()
        .to_owned();
    let first = app.call(Method::GET, &path, None, None).await.json();
    let again = app.call(Method::GET, &path, None, None).await.json();
    assert_eq!(first, again);
    assert_eq!(first["proof"]["cryptosuite"], "eddsa-rdfc-2022");

    app.set_status(vc["id"].as_str().unwrap(), "revoke").await;
    let after = app.call(Method::GET, &path, None, None).await.json();
    assert_ne!(
        after["credentialSubject"]["encodedList"],
        first["credentialSubject"]["encodedList"]
    );
    let list =
        skillpass::status::decode_list(after["credentialSubject"]["encodedList"].as_str().unwrap())
            .unwrap();
    let index: u64 = vc["credentialStatus"][0]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(list.get(index).unwrap());
}
