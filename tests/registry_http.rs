//! The trust registry over HTTP: member edits with their auth failures, the signed export and
//! its import on another node, and the `trust` check of `POST /credentials/verify`.

mod common;

use axum::http::{Method, StatusCode};
use common::app::{TestApp, ADMIN_TOKEN};
use serde_json::{json, Value};
use skillpass::registry;
use skillpass::verify::VerifyOptions;

fn kpoly() -> Value {
    json!({
        "name": "Koforidua Technical University",
        "country": "GH",
        "dids": ["did:key:z6MkkpolyKPOLYkpolyKPOLY"],
        "nodes": ["https://skillpass.ktu.edu.gh"],
        "framework": "NTVETQF",
        "qualityAssurance": {
            "body": "Ghana Tertiary Education Commission",
            "status": "accredited",
            "reference": "GTEC/ACC/2025/17"
        },
        "validFrom": "2025-01-01T00:00:00Z",
        "validUntil": "2029-12-31T23:59:59Z"
    })
}

async fn put(app: &TestApp, id: &str, body: &Value) -> common::app::Reply {
    app.call(
        Method::PUT,
        &format!("/admin/registry/members/{id}"),
        Some(ADMIN_TOKEN),
        Some(body),
    )
    .await
}

async fn member_ids(app: &TestApp) -> Vec<String> {
    let reply = app
        .call(
            Method::GET,
            "/admin/registry/members",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

fn message(reply: &common::app::Reply) -> String {
    reply.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn member_edits_need_the_admin_token() {
    let app = TestApp::new();
    let body = kpoly();
    let attempts: [(Method, &str, Option<&Value>); 4] = [
        (Method::PUT, "/admin/registry/members/kpoly", Some(&body)),
        (Method::DELETE, "/admin/registry/members/szpu", None),
        (Method::GET, "/admin/registry/members", None),
        (
            Method::POST,
            "/admin/registry/import",
            Some(&body), // never read: authentication comes first
        ),
    ];
    for (method, path, body) in attempts {
        for token in [None, Some(app.token.as_str()), Some("wrong-token")] {
            let reply = app.call(method.clone(), path, token, body).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
            assert_eq!(reply.json()["error"]["code"], "unauthorized");
        }
    }
    assert_eq!(member_ids(&app).await, ["szpu"], "nothing changed");
}

#[tokio::test]
async fn members_are_created_replaced_and_deleted() {
    let app = TestApp::new();
    let reply = put(&app, "kpoly", &kpoly()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["member"]["id"], "kpoly");
    assert_eq!(member_ids(&app).await, ["kpoly", "szpu"]);

    let mut changed = kpoly();
    changed["id"] = "kpoly".into();
    changed["qualityAssurance"]["status"] = "provisional".into();
    let reply = put(&app, "kpoly", &changed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let stored = app.store.get_member("kpoly").unwrap().unwrap();
    assert_eq!(stored.quality_assurance.status.name(), "provisional");

    let reply = app
        .call(
            Method::DELETE,
            "/admin/registry/members/kpoly",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    assert_eq!(member_ids(&app).await, ["szpu"]);
    let reply = app
        .call(
            Method::DELETE,
            "/admin/registry/members/kpoly",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(message(&reply), "registry member not found: kpoly");

    let actions: Vec<String> = app
        .store
        .audit(None, 10)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.ends_with(&[
        "registry-put".to_owned(),
        "registry-put".to_owned(),
        "registry-delete".to_owned()
    ]));
}

#[tokio::test]
async fn bad_members_are_refused_with_the_reason() {
    let app = TestApp::new();
    let mut mismatch = kpoly();
    mismatch["id"] = "other".into();
    let reply = put(&app, "kpoly", &mismatch).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&reply).contains("is not the id \"kpoly\" in the path"));

    let mut country = kpoly();
    country["country"] = "Ghana".into();
    let reply = put(&app, "kpoly", &country).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&reply).contains("ISO 3166-1 alpha-2"),
        "{}",
        message(&reply)
    );

    let reply = put(&app, "Not.A.Slug", &kpoly()).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&reply).contains("slug"), "{}", message(&reply));

    let mut status = kpoly();
    status["qualityAssurance"]["status"] = "pending".into();
    let reply = put(&app, "kpoly", &status).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );

    // A node is an https origin: no path, no plain http to another host.
    for (node, why) in [
        ("https://skillpass.ktu.edu.gh/status", "without a path"),
        ("http://skillpass.ktu.edu.gh", "must use https"),
    ] {
        let mut bad = kpoly();
        bad["nodes"] = json!([node]);
        let reply = put(&app, "kpoly", &bad).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message(&reply).contains(why), "{}", message(&reply));
    }

    let mut extra = kpoly();
    extra["trusted"] = true.into();
    let reply = put(&app, "kpoly", &extra).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );

    // szpu's DID cannot be listed by another member.
    let szpu_did = app.store.get_institution("szpu").unwrap().unwrap().did;
    let mut thief = kpoly();
    thief["dids"] = json!([szpu_did]);
    let reply = put(&app, "kpoly", &thief).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        message(&reply),
        format!("{szpu_did} (of member kpoly) already belongs to registry member szpu")
    );
    assert_eq!(member_ids(&app).await, ["szpu"]);
}

#[tokio::test]
async fn registering_an_institution_does_not_list_it() {
    let app = TestApp::new();
    let body = json!({"id": "gdpt", "name": "Guangdong Polytechnic", "country": "CN", "framework": "CN-VOC"});
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(member_ids(&app).await, ["szpu"]);
}

async fn export(app: &TestApp) -> (Value, String) {
    let reply = app.call(Method::GET, "/registry/did", None, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let publisher = reply.json()["did"].as_str().unwrap().to_owned();
    assert!(publisher.starts_with("did:key:z6Mk"));
    let reply = app.call(Method::GET, "/registry", None, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers["content-type"], "application/vc");
    (reply.json(), publisher)
}

async fn import(app: &TestApp, publisher: &str, document: &Value) -> common::app::Reply {
    let body = json!({ "publisher": publisher, "document": document });
    app.call(
        Method::POST,
        "/admin/registry/import",
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn the_export_is_signed_by_a_stable_registry_key_and_verifies() {
    let app = TestApp::new();
    put(&app, "kpoly", &kpoly()).await;
    let (doc, publisher) = export(&app).await;
    let (again, publisher_again) = export(&app).await;
    assert_eq!(
        publisher, publisher_again,
        "one registry key, kept in the store"
    );
    assert_eq!(doc["issuer"], publisher);
    assert_eq!(again["issuer"], publisher);
    assert_eq!(doc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let members = registry::document::verify_registry(
        &doc,
        &publisher,
        &VerifyOptions::new(common::app::now()),
    )
    .unwrap();
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["kpoly", "szpu"]);
    // The document is an ordinary credential to the verifier endpoint too: genuine, and its
    // issuer (the registry key) is not a member, which the report says as a warning — or as
    // the one failure when the caller requires membership.
    let reply = app
        .call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": doc})),
        )
        .await;
    let report = reply.json();
    assert_eq!(report["verified"], true, "{report}");
    assert_eq!(report["warnings"][0]["check"], "trust", "{report}");
    let reply = app
        .call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": doc, "options": {"requireAllianceMember": true}})),
        )
        .await;
    let report = reply.json();
    let failed: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verified"] == false)
        .collect();
    assert_eq!(failed.len(), 1, "{report}");
    assert_eq!(failed[0]["check"], "trust");
}

#[tokio::test]
async fn import_round_trips_and_merges() {
    let a = TestApp::new();
    put(&a, "kpoly", &kpoly()).await;
    let (doc, publisher) = export(&a).await;

    let b = TestApp::new();
    let mut local = kpoly();
    local["name"] = "Local only college".into();
    local["dids"] = json!(["did:key:z6MklocalLOCAL"]);
    put(&b, "local", &local).await;

    let reply = import(&b, &publisher, &doc).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    // b's own szpu (another key) is replaced by a's: same id, same member.
    assert_eq!(
        reply.json(),
        json!({"publisher": publisher, "added": ["kpoly"], "updated": ["szpu"], "unchanged": []})
    );
    assert_eq!(
        member_ids(&b).await,
        ["kpoly", "local", "szpu"],
        "local members stay"
    );
    for id in ["kpoly", "szpu"] {
        assert_eq!(
            b.store.get_member(id).unwrap(),
            a.store.get_member(id).unwrap(),
            "{id} as published"
        );
    }
    let reply = import(&b, &publisher, &doc).await;
    assert_eq!(reply.json()["unchanged"], json!(["kpoly", "szpu"]));

    // b's export, imported back into a, brings "local" along and changes nothing else.
    let (doc_b, publisher_b) = export(&b).await;
    assert_ne!(publisher_b, publisher);
    let reply = import(&a, &publisher_b, &doc_b).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["added"], json!(["local"]));
    assert_eq!(reply.json()["unchanged"], json!(["kpoly", "szpu"]));
    assert!(a.store.audit(None, 1).unwrap().iter().any(
        |e| e.action == "registry-import" && e.subject.as_deref() == Some(publisher_b.as_str())
    ));
}

#[tokio::test]
async fn tampered_or_foreign_registries_are_refused_and_change_nothing() {
    let a = TestApp::new();
    put(&a, "kpoly", &kpoly()).await;
    let (doc, publisher) = export(&a).await;
    let b = TestApp::new();
    let before = b.store.list_members().unwrap();

    let mut tampered = doc.clone();
    tampered["credentialSubject"]["members"][0]["qualityAssurance"]["status"] = "accredited".into();
    tampered["credentialSubject"]["members"][0]["validUntil"] = "2099-12-31T00:00:00Z".into();
    let reply = import(&b, &publisher, &tampered).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert!(
        message(&reply).contains("signature does not match"),
        "{}",
        message(&reply)
    );

    let (_, other_publisher) = export(&b).await;
    let reply = import(&b, &other_publisher, &doc).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&reply),
        format!("the registry document is signed by {publisher}, not by the expected publisher {other_publisher}")
    );

    let reply = import(&b, "szpu", &doc).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&reply).contains("must be the DID"));

    let reply = b
        .call(
            Method::POST,
            "/admin/registry/import",
            Some(ADMIN_TOKEN),
            Some(&json!({ "document": doc })),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing publisher"
    );

    let mut status_entry = doc.clone();
    status_entry["type"] = json!(["VerifiableCredential"]);
    let reply = import(&b, &publisher, &status_entry).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&reply).starts_with("not a trust registry document"));

    assert_eq!(b.store.list_members().unwrap(), before);
}

#[tokio::test]
async fn an_import_that_would_give_a_did_to_two_members_is_refused_whole() {
    let a = TestApp::new();
    put(&a, "kpoly", &kpoly()).await;
    let (doc, publisher) = export(&a).await;

    let b = TestApp::new();
    let mut holder = kpoly();
    holder["name"] = "Holds kpoly's DID here".into();
    put(&b, "holder", &holder).await;
    let before = b.store.list_members().unwrap();
    let reply = import(&b, &publisher, &doc).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
    assert_eq!(
        message(&reply),
        "did:key:z6MkkpolyKPOLYkpolyKPOLY (of member kpoly) already belongs to registry member holder"
    );
    assert_eq!(
        b.store.list_members().unwrap(),
        before,
        "szpu was not replaced either"
    );
}

/// Verifies through the VC-API, requiring alliance membership (so `trust` decides `verified`).
async fn verify(app: &TestApp, vc: &Value) -> (StatusCode, Value) {
    let body = json!({ "verifiableCredential": vc, "options": {"requireAllianceMember": true} });
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&body))
        .await;
    (reply.status, reply.json())
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {report}"))
}

fn szpu_member(app: &TestApp) -> Value {
    serde_json::to_value(app.store.get_member("szpu").unwrap().unwrap()).unwrap()
}

#[tokio::test]
async fn the_verify_endpoint_reports_each_standing() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let did = vc["issuer"]["id"].as_str().unwrap().to_owned();

    // Trusted.
    let (status, report) = verify(&app, &vc).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        check(&report, "trust"),
        &json!({"check": "trust", "verified": true})
    );

    // Provisional: still verified, with a note.
    let mut member = szpu_member(&app);
    member["qualityAssurance"]["status"] = "provisional".into();
    assert_eq!(put(&app, "szpu", &member).await.status, StatusCode::OK);
    let (status, report) = verify(&app, &vc).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let trust = check(&report, "trust");
    assert_eq!(trust["verified"], true);
    assert!(trust["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("provisional accreditation:"));

    // Lapsed by status.
    member["qualityAssurance"]["status"] = "lapsed".into();
    put(&app, "szpu", &member).await;
    let (status, report) = verify(&app, &vc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        check(&report, "trust")["reasons"],
        json!(["issuer not in good standing: the accreditation of szpu vocational college (szpu) by Test QA body is lapsed"])
    );
    assert_eq!(check(&report, "proof")["verified"], true);
    assert_eq!(check(&report, "status")["verified"], true);

    // Lapsed by date: membership ended the day before the app's "now".
    member["qualityAssurance"]["status"] = "accredited".into();
    member["validUntil"] = "2026-08-31T00:00:00Z".into();
    put(&app, "szpu", &member).await;
    let (status, report) = verify(&app, &vc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = check(&report, "trust")["reasons"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        reason.ends_with("ended on 2026-08-31T00:00:00Z"),
        "{reason}"
    );

    // Not listed.
    let reply = app
        .call(
            Method::DELETE,
            "/admin/registry/members/szpu",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let (status, report) = verify(&app, &vc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        check(&report, "trust")["reasons"],
        json!([format!(
            "issuer unknown: {did} is not a member of the alliance registry"
        )])
    );
    let failed: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verified"] == false)
        .collect();
    assert_eq!(failed.len(), 1, "only trust fails: {report}");

    // Listed again: trusted again.
    member["validUntil"] = Value::Null;
    member.as_object_mut().unwrap().remove("validUntil");
    assert_eq!(put(&app, "szpu", &member).await.status, StatusCode::CREATED);
    assert_eq!(verify(&app, &vc).await.0, StatusCode::OK);
}
