//! Admin endpoints over HTTP: registering institutions, listing them, rotating tokens and keys,
//! the audit trails, and the did:web documents the service publishes.

mod common;

use axum::http::{Method, StatusCode};
use common::app::{Reply, TestApp, ADMIN_TOKEN, PUBLIC_URL};
use serde_json::{json, Value};

/// Asserts the API's error envelope with `status`; returns the message.
fn error(reply: &Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    let error = &body["error"];
    assert_eq!(error["status"], status.as_u16(), "{body}");
    assert!(error["code"].is_string(), "{body}");
    let message = error["message"].as_str().expect("message").to_owned();
    assert!(!message.is_empty());
    message
}

fn new_institution(id: &str, did_method: &str) -> Value {
    json!({
        "id": id,
        "name": "Politeknik Ungku Omar",
        "country": "MY",
        "framework": "MQF",
        "qualityAssurance": "Malaysian Qualifications Agency",
        "didMethod": did_method,
    })
}

async fn register(app: &TestApp, body: &Value) -> Reply {
    app.call(
        Method::POST,
        "/admin/institutions",
        Some(ADMIN_TOKEN),
        Some(body),
    )
    .await
}

/// A VC 2.0 credential for the caller to issue through `/credentials/issue`.
fn vc2(issuer: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner", "name": "Aisyah"},
    })
}

async fn issue(app: &TestApp, token: &str, credential: Value) -> Value {
    let body = json!({ "credential": credential });
    let reply = app
        .call(Method::POST, "/credentials/issue", Some(token), Some(&body))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["verifiableCredential"].clone()
}

async fn verify(app: &TestApp, vc: &Value) -> Reply {
    let body = json!({ "verifiableCredential": vc });
    app.call(Method::POST, "/credentials/verify", None, Some(&body))
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

fn did_of(reply: &Reply) -> String {
    reply.json()["institution"]["did"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn register_answers_201_with_the_token_once() {
    let app = TestApp::new();
    let reply = register(&app, &new_institution("ptuo", "did-key")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let body = reply.json();
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let inst = &body["institution"];
    assert_eq!(inst["id"], "ptuo");
    assert_eq!(inst["country"], "MY");
    assert_eq!(inst["qualityAssurance"], "Malaysian Qualifications Agency");
    assert!(inst["did"].as_str().unwrap().starts_with("did:key:z6Mk"));
    assert_eq!(inst["verificationMethods"].as_array().unwrap().len(), 1);
    // The view carries no token, token hash or key material.
    let text = reply.text();
    assert!(!text.contains("tokenHash") && !text.contains("token_hash"));
    assert!(!text.contains("secretKeyMultibase"));

    // The token works as the institution's API token…
    let reply = app
        .call(Method::GET, "/credentials", Some(token), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    // …and is never shown again: not in the list, not in the audit trail.
    let list = app
        .call(Method::GET, "/admin/institutions", Some(ADMIN_TOKEN), None)
        .await;
    assert!(!list.text().contains(token));
    let audit = app
        .call(Method::GET, "/admin/audit", Some(ADMIN_TOKEN), None)
        .await;
    assert!(!audit.text().contains(token));
}

#[tokio::test]
async fn register_did_web_gives_a_did_under_the_service() {
    let app = TestApp::new();
    let reply = register(&app, &new_institution("ptuo", "did-web")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let did = did_of(&reply);
    assert_eq!(did, "did:web:skillpass.test:institutions:ptuo");
    let methods = reply.json()["institution"]["verificationMethods"].clone();
    assert!(methods[0]
        .as_str()
        .unwrap()
        .starts_with(&format!("{did}#z6Mk")));
}

#[tokio::test]
async fn duplicate_id_is_409() {
    let app = TestApp::new();
    assert_eq!(
        register(&app, &new_institution("ptuo", "did-key"))
            .await
            .status,
        StatusCode::CREATED
    );
    let reply = register(&app, &new_institution("ptuo", "did-web")).await;
    let message = error(&reply, StatusCode::CONFLICT);
    assert!(message.contains("ptuo"), "{message}");
    // The institution registered by the test harness collides too.
    let reply = register(&app, &new_institution("szpu", "did-key")).await;
    error(&reply, StatusCode::CONFLICT);
}

#[tokio::test]
async fn bad_country_slug_or_name_is_422() {
    let app = TestApp::new();
    for (field, value, needle) in [
        ("country", json!("Malaysia"), "country"),
        ("country", json!("my"), "country"),
        ("id", json!("Bad Slug"), ""),
        ("id", json!("-leading-dash"), ""),
        ("id", json!(""), ""),
        ("id", json!("a/b"), ""),
        ("name", json!("   "), "name"),
    ] {
        let mut body = new_institution("ptuo", "did-key");
        body[field] = value.clone();
        let reply = register(&app, &body).await;
        let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message.contains(needle), "{field}={value}: {message}");
    }
    // Nothing was registered by the failed attempts.
    let list = app
        .call(Method::GET, "/admin/institutions", Some(ADMIN_TOKEN), None)
        .await;
    assert_eq!(list.json()["institutions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn register_refuses_unknown_fields_and_bad_did_methods() {
    let app = TestApp::new();
    let mut body = new_institution("ptuo", "did-key");
    body["token"] = json!("my-own-token");
    let reply = register(&app, &body).await;
    assert!(reply.status.is_client_error(), "{}", reply.text());
    let message = error(&reply, reply.status);
    assert!(message.contains("token"), "{message}");

    let reply = register(&app, &new_institution("ptuo", "did-ion")).await;
    assert!(reply.status.is_client_error());
    error(&reply, reply.status);

    let mut body = new_institution("ptuo", "did-key");
    body.as_object_mut().unwrap().remove("framework");
    let reply = register(&app, &body).await;
    assert!(reply.status.is_client_error());
    assert!(error(&reply, reply.status).contains("framework"));
}

#[tokio::test]
async fn admin_endpoints_need_the_admin_token() {
    let app = TestApp::new();
    let body = new_institution("ptuo", "did-key");
    let routes: [(Method, &str, Option<&Value>); 5] = [
        (Method::POST, "/admin/institutions", Some(&body)),
        (Method::GET, "/admin/institutions", None),
        (Method::POST, "/admin/institutions/szpu/token", None),
        (Method::POST, "/admin/institutions/szpu/keys", None),
        (Method::GET, "/admin/audit", None),
    ];
    for (method, uri, body) in routes {
        // No token, a wrong token, and an institution's token: all 401.
        for token in [None, Some("wrong"), Some(app.token.as_str())] {
            let reply = app.call(method.clone(), uri, token, body).await;
            let message = error(&reply, StatusCode::UNAUTHORIZED);
            assert!(message.contains("Bearer"), "{message}");
        }
    }
    // Other schemes than Bearer do not count either.
    let req = axum::http::Request::builder()
        .uri("/admin/institutions")
        .header("authorization", format!("Basic {ADMIN_TOKEN}"))
        .body(axum::body::Body::empty())
        .unwrap();
    error(&app.send(req).await, StatusCode::UNAUTHORIZED);
    // Nothing was changed by the refused calls.
    let list = app
        .call(Method::GET, "/admin/institutions", Some(ADMIN_TOKEN), None)
        .await;
    assert_eq!(list.json()["institutions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_admin_token_is_not_an_institution_token() {
    let app = TestApp::new();
    let reply = app
        .call(Method::GET, "/credentials", Some(ADMIN_TOKEN), None)
        .await;
    error(&reply, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn list_shows_every_institution_ordered_by_id() {
    let app = TestApp::new();
    register(&app, &new_institution("ptuo", "did-web")).await;
    register(&app, &new_institution("abc", "did-key")).await;
    let reply = app
        .call(Method::GET, "/admin/institutions", Some(ADMIN_TOKEN), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let ids: Vec<String> = reply.json()["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["abc", "ptuo", "szpu"]);
    assert!(!reply.text().contains("secretKeyMultibase"));
    assert!(!reply.text().contains("tokenHash"));
}

#[tokio::test]
async fn rotating_the_token_retires_the_old_one() {
    let app = TestApp::new();
    let old = app.token.clone();
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions/szpu/token",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let new = reply.json()["token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);

    let reply = app
        .call(Method::GET, "/credentials", Some(&old), None)
        .await;
    error(&reply, StatusCode::UNAUTHORIZED);
    let reply = app
        .call(Method::GET, "/credentials", Some(&new), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    let reply = app
        .call(
            Method::POST,
            "/admin/institutions/nobody/token",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    error(&reply, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rotating_a_did_web_key_keeps_old_credentials_verifying() {
    let app = TestApp::new();
    let reply = register(&app, &new_institution("ptuo", "did-web")).await;
    let did = did_of(&reply);
    let token = reply.json()["token"].as_str().unwrap().to_owned();
    trust(&app, "ptuo", &did).await;

    let before = issue(&app, &token, vc2(&did)).await;
    let old_method = before["proof"]["verificationMethod"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(verify(&app, &before).await.status, StatusCode::OK);

    let reply = app
        .call(
            Method::POST,
            "/admin/institutions/ptuo/keys",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let inst = reply.json()["institution"].clone();
    assert_eq!(inst["did"], did.as_str(), "the DID stays");
    let methods: Vec<&str> = inst["verificationMethods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(methods.len(), 2);
    assert_eq!(methods[0], old_method);
    let new_method = methods[1].to_owned();
    assert_ne!(new_method, old_method);
    assert!(!reply.text().contains("secretKeyMultibase"));

    // New credentials are signed with the new key; both old and new verify.
    let after = issue(&app, &token, vc2(&did)).await;
    assert_eq!(after["proof"]["verificationMethod"], new_method.as_str());
    let reply = verify(&app, &before).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = verify(&app, &after).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    // Status lists are signed with the new key and still check for the old credential.
    let reply = app
        .status_request(&token, before["id"].as_str().unwrap(), "revoke")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = verify(&app, &before).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("revoked by its issuer"));

    // The DID document lists both keys.
    let reply = app
        .call(Method::GET, "/institutions/ptuo/did.json", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    let ids: Vec<&str> = doc["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [old_method.as_str(), new_method.as_str()]);
}

#[tokio::test]
async fn rotating_a_did_key_key_is_409() {
    let app = TestApp::new();
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions/szpu/keys",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    let message = error(&reply, StatusCode::CONFLICT);
    assert!(message.contains("did:key"), "{message}");
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions/nobody/keys",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    error(&reply, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn did_web_documents_are_served_and_did_key_ones_are_not() {
    let app = TestApp::new();
    let reply = register(&app, &new_institution("ptuo", "did-web")).await;
    let did = did_of(&reply);
    let method = reply.json()["institution"]["verificationMethods"][0].clone();

    let reply = app
        .call(Method::GET, "/institutions/ptuo/did.json", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let doc = reply.json();
    assert_eq!(doc["id"], did.as_str());
    assert_eq!(doc["@context"][0], "https://www.w3.org/ns/did/v1");
    assert_eq!(doc["verificationMethod"][0]["id"], method);
    assert_eq!(doc["verificationMethod"][0]["type"], "Multikey");
    assert_eq!(doc["verificationMethod"][0]["controller"], did.as_str());
    assert!(doc["verificationMethod"][0]["publicKeyMultibase"]
        .as_str()
        .unwrap()
        .starts_with("z6Mk"));
    assert_eq!(doc["assertionMethod"][0], method);
    assert!(!reply.text().contains("secretKeyMultibase"));
    // The did:web URL of the DID maps onto this path.
    let host = PUBLIC_URL.strip_prefix("https://").unwrap();
    assert_eq!(did, format!("did:web:{host}:institutions:ptuo"));

    let reply = app
        .call(Method::GET, "/institutions/szpu/did.json", None, None)
        .await;
    assert!(error(&reply, StatusCode::NOT_FOUND).contains("did:key"));
    let reply = app
        .call(Method::GET, "/institutions/nobody/did.json", None, None)
        .await;
    error(&reply, StatusCode::NOT_FOUND);
}

fn events(reply: &Reply) -> Vec<Value> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_audit_trail_records_who_did_what_without_personal_data() {
    let app = TestApp::new();
    let reply = register(&app, &new_institution("ptuo", "did-web")).await;
    let ptuo = reply.json()["token"].as_str().unwrap().to_owned();

    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap().to_owned();
    app.set_status(&id, "revoke").await;
    for path in [
        "/admin/institutions/ptuo/token",
        "/admin/institutions/ptuo/keys",
    ] {
        let reply = app.call(Method::POST, path, Some(ADMIN_TOKEN), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    let reply = app
        .call(Method::GET, "/credentials", Some(&ptuo), None)
        .await;
    // The rotated-out token is refused.
    error(&reply, StatusCode::UNAUTHORIZED);

    let all = events(
        &app.call(Method::GET, "/admin/audit", Some(ADMIN_TOKEN), None)
            .await,
    );
    let summary: Vec<(String, String, String, Value)> = all
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["institution"].as_str().unwrap_or("").to_owned(),
                e["action"].as_str().unwrap().to_owned(),
                e["subject"].clone(),
            )
        })
        .collect();
    let has = |actor: &str, inst: &str, action: &str| {
        summary
            .iter()
            .any(|(a, i, x, _)| a == actor && i == inst && x == action)
    };
    assert!(has("test", "szpu", "register"), "{summary:?}");
    assert!(has("admin", "ptuo", "register"), "{summary:?}");
    assert!(has("szpu", "szpu", "issue"), "{summary:?}");
    assert!(has("szpu", "szpu", "revoke"), "{summary:?}");
    assert!(has("admin", "ptuo", "rotate-token"), "{summary:?}");
    assert!(has("admin", "ptuo", "rotate-key"), "{summary:?}");
    let issue = summary.iter().find(|s| s.2 == "issue").unwrap();
    assert_eq!(issue.3, json!(id));
    for e in &all {
        assert!(e["at"].is_string());
    }

    // No personal data from the record, and no secrets, anywhere in the trail.
    let text = serde_json::to_string(&all).unwrap();
    for needle in [
        "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2", // the learner
        "SZPU-2025S-DMA2316-0042",                                  // the record id
        "3D Animation",
        "studio course",
        "Percentage mark",
        &app.token,
        &ptuo,
        "secretKeyMultibase",
    ] {
        assert!(!text.contains(needle), "audit holds {needle}: {text}");
    }

    // Filtered by institution, and limited (the newest events are kept).
    let ptuo_events = events(
        &app.call(
            Method::GET,
            "/admin/audit?institution=ptuo",
            Some(ADMIN_TOKEN),
            None,
        )
        .await,
    );
    assert_eq!(ptuo_events.len(), 3);
    assert!(ptuo_events.iter().all(|e| e["institution"] == "ptuo"));
    let last = events(
        &app.call(Method::GET, "/admin/audit?limit=1", Some(ADMIN_TOKEN), None)
            .await,
    );
    assert_eq!(last.len(), 1);
    assert_eq!(last[0], *all.last().unwrap());
}

#[tokio::test]
async fn an_institution_reads_only_its_own_audit_trail() {
    let app = TestApp::new();
    let reply = register(&app, &new_institution("ptuo", "did-web")).await;
    let ptuo = reply.json()["token"].as_str().unwrap().to_owned();
    let did = did_of(&reply);
    issue(&app, &ptuo, vc2(&did)).await;
    app.issue_example("szpu-3d-animation-production.json").await;

    let mine = events(&app.call(Method::GET, "/audit", Some(&ptuo), None).await);
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|e| e["institution"] == "ptuo"), "{mine:?}");
    assert!(mine
        .iter()
        .any(|e| e["action"] == "issue" && e["actor"] == "ptuo"));
    let theirs = events(
        &app.call(Method::GET, "/audit", Some(&app.token), None)
            .await,
    );
    assert!(theirs.iter().all(|e| e["institution"] == "szpu"));
    assert!(theirs.iter().any(|e| e["action"] == "issue"));

    let limited = events(
        &app.call(Method::GET, "/audit?limit=1", Some(&ptuo), None)
            .await,
    );
    assert_eq!(limited.len(), 1);
    assert_eq!(limited[0]["action"], "issue");

    error(
        &app.call(Method::GET, "/audit", None, None).await,
        StatusCode::UNAUTHORIZED,
    );
    // The admin audit filter is not available here: unknown query fields are refused.
    let reply = app
        .call(Method::GET, "/audit?institution=szpu", Some(&ptuo), None)
        .await;
    error(&reply, StatusCode::BAD_REQUEST);
}

/// Regression (issue 15): a row could make a credential claim another institution's web
/// address and country (`harvard.edu`, `US`); the registration decides them now.
#[tokio::test]
async fn the_issuers_address_and_country_come_from_the_registration() {
    let app = TestApp::new();
    let mut body = new_institution("ptuo", "did-key");
    body["url"] = json!("https://ptuo.edu.my/");
    let reply = register(&app, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["institution"]["url"], "https://ptuo.edu.my/");
    let token = body["token"].as_str().unwrap().to_owned();

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/my-diploma-furniture-production.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if let Some(issuer) = record["issuer"].as_object_mut() {
        issuer.remove("id");
    }
    record["issuer"]["name"] = json!("Harvard University");
    record["issuer"]["url"] = json!("https://www.harvard.edu/");
    record["issuer"]["country"] = json!("US");
    let reply = app
        .call(Method::POST, "/records", Some(&token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let issuer = &reply.json()["verifiableCredential"]["issuer"];
    assert_eq!(issuer["name"], "Politeknik Ungku Omar", "{issuer}");
    assert_eq!(issuer["url"], "https://ptuo.edu.my/", "{issuer}");
    assert_eq!(issuer["address"]["addressCountryCode"], "MY", "{issuer}");
    assert!(!reply.text().contains("harvard"), "{}", reply.text());

    for bad in ["ptuo.edu.my", "ftp://ptuo.edu.my/", "https://", "not a url"] {
        let mut body = new_institution("ptuo2", "did-key");
        body["url"] = json!(bad);
        let message = error(
            &register(&app, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        assert!(message.contains("web address"), "{bad}: {message}");
    }
}
