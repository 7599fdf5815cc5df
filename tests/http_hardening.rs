//! Hostile and broken requests: every refusal is a 4xx in the API's error envelope, nothing
//! crashes, 5xx bodies reveal nothing, and no response carries secrets.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app::{now, Reply, TestApp, ADMIN_TOKEN, PUBLIC_URL};
use serde_json::{json, Value};
use skillpass::http::Limits;
use skillpass::store::InstitutionKey;

const V2: &str = "https://www.w3.org/ns/credentials/v2";

/// Asserts the envelope `{"error": {"status", "code", "message"}}` with `status`, and nothing
/// else at the top level; returns the message.
fn error(reply: &Reply, status: StatusCode) -> String {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        reply.headers
    );
    let body = reply.json();
    let top = body.as_object().expect("an object");
    assert_eq!(top.len(), 1, "{body}");
    let error = body["error"].as_object().expect("error object");
    assert_eq!(error["status"], status.as_u16(), "{body}");
    assert!(
        error["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{body}"
    );
    let message = error["message"].as_str().expect("message");
    assert!(!message.is_empty(), "{body}");
    for key in error.keys() {
        assert!(
            ["status", "code", "message", "details"].contains(&key.as_str()),
            "unexpected {key} in {body}"
        );
    }
    message.to_owned()
}

fn raw(
    method: Method,
    uri: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    req.body(body.into()).unwrap()
}

fn did(app: &TestApp) -> String {
    app.service.institution("szpu").unwrap().did
}

/// `[[[…"x"…]]]` nested `depth` deep.
fn nested(depth: usize) -> String {
    format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth))
}

// ---------------------------------------------------------------- bodies

#[tokio::test]
async fn malformed_json_is_400_in_the_envelope() {
    let app = TestApp::new();
    let cases: [(&str, Option<&str>); 5] = [
        ("/credentials/issue", Some(app.token.as_str())),
        ("/records", Some(app.token.as_str())),
        ("/credentials/status", Some(app.token.as_str())),
        ("/credentials/verify", None),
        ("/admin/institutions", Some(ADMIN_TOKEN)),
    ];
    for (uri, token) in cases {
        for body in ["{\"", "{1: 2}", "{'a': 1}", "", "[,]", "\u{feff}{}"] {
            let reply = app
                .send(raw(
                    Method::POST,
                    uri,
                    token,
                    Some("application/json"),
                    body,
                ))
                .await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{uri} {body:?}: {}",
                reply.text()
            );
            error(&reply, StatusCode::BAD_REQUEST);
        }
    }
}

#[tokio::test]
async fn wrong_content_type_is_415_in_the_envelope() {
    let app = TestApp::new();
    let body = json!({"verifiableCredential": {}}).to_string();
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/ld+jsonx"),
    ] {
        let reply = app
            .send(raw(
                Method::POST,
                "/credentials/verify",
                None,
                ct,
                body.clone(),
            ))
            .await;
        let message = error(&reply, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(message.contains("application/json"), "{message}");
    }
    // JSON subtypes are JSON.
    for ct in [
        "application/json; charset=utf-8",
        "application/ld+json",
        "application/vc+json",
    ] {
        let reply = app
            .send(raw(
                Method::POST,
                "/credentials/verify",
                None,
                Some(ct),
                body.clone(),
            ))
            .await;
        assert_ne!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct}");
    }
    let reply = app
        .send(raw(
            Method::POST,
            "/records",
            Some(&app.token),
            Some("text/csv"),
            "a,b",
        ))
        .await;
    error(&reply, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_in_the_envelope() {
    let app = TestApp::with_limits(Limits {
        max_body_bytes: 4096,
        ..Limits::default()
    });
    let big = json!({
        "verifiableCredential": {"@context": [V2], "padding": "x".repeat(8192)},
    })
    .to_string();
    let reply = app
        .send(raw(
            Method::POST,
            "/credentials/verify",
            None,
            Some("application/json"),
            big.clone(),
        ))
        .await;
    let message = error(&reply, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(message.contains("too large"), "{message}");
    let reply = app
        .send(raw(
            Method::POST,
            "/records",
            Some(&app.token),
            Some("application/json"),
            big,
        ))
        .await;
    error(&reply, StatusCode::PAYLOAD_TOO_LARGE);
    // Under the limit the same endpoint answers normally.
    let small = json!({"verifiableCredential": {"@context": [V2]}}).to_string();
    let reply = app
        .send(raw(
            Method::POST,
            "/credentials/verify",
            None,
            Some("application/json"),
            small,
        ))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
}

#[tokio::test]
async fn ten_thousand_nested_arrays_are_refused_not_a_crash() {
    let app = TestApp::new();
    let deep = nested(10_000);
    let bodies = [
        (
            "/credentials/verify",
            None,
            format!("{{\"verifiableCredential\": {deep}}}"),
        ),
        (
            "/presentations/verify",
            None,
            format!("{{\"verifiablePresentation\": {deep}}}"),
        ),
        (
            "/credentials/issue",
            Some(app.token.as_str()),
            format!("{{\"credential\": {deep}}}"),
        ),
        ("/records", Some(app.token.as_str()), deep.clone()),
        (
            "/admin/institutions",
            Some(ADMIN_TOKEN),
            format!("{{\"id\": \"x\", \"name\": {deep}}}"),
        ),
    ];
    for (uri, token, body) in bodies {
        let reply = app
            .send(raw(
                Method::POST,
                uri,
                token,
                Some("application/json"),
                body,
            ))
            .await;
        assert!(reply.status.is_client_error(), "{uri}: {}", reply.text());
        let message = error(&reply, reply.status);
        // Where the body is read into a JSON value, serde_json's recursion limit stops it; a
        // typed body (the admin one) fails earlier, at the first value of the wrong type.
        if uri != "/admin/institutions" {
            assert!(message.contains("recursion"), "{uri}: {message}");
        }
    }
}

/// A credential whose subject holds a value nested as deep as serde_json lets through (its
/// limit is 128 levels, the request envelope and the credential take 3), for the
/// canonicalizers, the schema check and the verifier to chew on. `@vocab` defines every term,
/// so RDF canonicalization really descends (the strict canonicalizer refuses undefined terms
/// before it gets deep); `arrays` alternates arrays with objects.
fn deep_credential(issuer: &str, depth: usize, arrays: bool) -> Value {
    let mut value = json!("bottom");
    for i in 0..depth {
        value = if arrays && i % 2 == 0 {
            json!([value])
        } else {
            json!({ "n": value })
        };
    }
    json!({
        "@context": [V2, {"@vocab": "https://example.com/vocab#"}],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner", "deep": value},
    })
}

#[tokio::test]
async fn nesting_that_passes_serde_does_not_overflow_the_canonicalizers() {
    let app = TestApp::new();
    let issuer = did(&app);
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        for (depth, arrays) in [(60, false), (100, false), (124, false), (124, true)] {
            let body = json!({
                "credential": deep_credential(&issuer, depth, arrays),
                "options": {"cryptosuite": suite},
            });
            let reply = app
                .call(
                    Method::POST,
                    "/credentials/issue",
                    Some(&app.token),
                    Some(&body),
                )
                .await;
            // RDF canonicalization refuses both clearly, well before the stack: JSON-LD
            // expansion stops at 64 levels (a credential nests about ten), and below that a
            // chain of alike blank nodes exceeds rdf-canonize's work limit, exactly as jsonld.js
            // refuses it ("Maximum deep iterations exceeded (58)"). JCS has no such limit.
            if suite == "eddsa-rdfc-2022" {
                let message = error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
                let why = if depth > 62 {
                    "nesting depth"
                } else {
                    "maximum deep iterations exceeded (58)"
                };
                assert!(message.contains(why), "{depth}: {message}");
                continue;
            }
            assert_eq!(
                reply.status,
                StatusCode::CREATED,
                "{suite} {depth}: {}",
                reply.text()
            );
            let vc = reply.json()["verifiableCredential"].clone();
            let verify = json!({ "verifiableCredential": vc });
            let reply = app
                .call(Method::POST, "/credentials/verify", None, Some(&verify))
                .await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{suite} {depth}: {}",
                reply.text()
            );

            // And inside a presentation, two levels deeper (at 124, serde's limit refuses it).
            let mut vp = json!({
                "@context": [V2],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": [vc],
            });
            vp["proof"] = vc["proof"].clone();
            let body = json!({ "verifiablePresentation": vp, "options": {"challenge": "c"} });
            let reply = app
                .call(Method::POST, "/presentations/verify", None, Some(&body))
                .await;
            assert!(reply.status.is_client_error(), "{depth}: {}", reply.text());
        }
    }
    // A deep learning-outcome record is refused by the record schema.
    let mut record = json!({"recordId": "deep"});
    let mut value = json!("x");
    for _ in 0..120 {
        value = json!([value]);
    }
    record["achievement"] = value;
    let reply = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    error(&reply, StatusCode::UNPROCESSABLE_ENTITY);
}

// ---------------------------------------------------------------- unknown fields, queries

#[tokio::test]
async fn unknown_fields_in_admin_and_status_requests_are_refused() {
    let app = TestApp::new();
    let register = json!({
        "id": "hpoly", "name": "Harare Polytechnic", "country": "ZW", "framework": "ZNQF",
        "admin": true,
    });
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
            Some(&register),
        )
        .await;
    assert!(
        reply.status == StatusCode::BAD_REQUEST || reply.status == StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(error(&reply, reply.status).contains("admin"));

    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    // (`reason` is a field now: docs/API.md, "Status".)
    let status = json!({"credentialId": vc["id"], "action": "revoke", "comment": "fraud"});
    let reply = app
        .call(
            Method::POST,
            "/credentials/status",
            Some(&app.token),
            Some(&status),
        )
        .await;
    assert!(
        reply.status == StatusCode::BAD_REQUEST || reply.status == StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(error(&reply, reply.status).contains("comment"));
    // The refused revocation did not happen.
    let verify = json!({ "verifiableCredential": vc });
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&verify))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn bad_query_strings_are_400_in_the_envelope() {
    let app = TestApp::new();
    let cases = [
        ("/credentials?limit=ten", Some(app.token.as_str())),
        ("/credentials?cursor=abc", Some(app.token.as_str())),
        ("/audit?limit=1e3", Some(app.token.as_str())),
        ("/audit?institution=szpu", Some(app.token.as_str())),
        ("/admin/audit?limit=-5", Some(ADMIN_TOKEN)),
        ("/admin/audit?actor=admin", Some(ADMIN_TOKEN)),
    ];
    for (uri, token) in cases {
        let reply = app.call(Method::GET, uri, token, None).await;
        let message = error(&reply, StatusCode::BAD_REQUEST);
        assert!(message.contains("query"), "{uri}: {message}");
    }
}

// ---------------------------------------------------------------- routing

#[tokio::test]
async fn unknown_paths_and_wrong_methods_use_the_envelope() {
    let app = TestApp::new();
    for uri in ["/nope", "/credentials/x/y/z", "/admin", "/status/szpu"] {
        let reply = app.call(Method::GET, uri, None, None).await;
        assert_eq!(error(&reply, StatusCode::NOT_FOUND), "no such endpoint");
    }
    for (method, uri) in [
        (Method::GET, "/credentials/issue"),
        (Method::DELETE, "/credentials/urn:uuid:x"),
        (Method::PUT, "/admin/institutions"),
        (Method::GET, "/credentials/verify"),
        (Method::POST, "/health"),
    ] {
        let reply = app.call(method.clone(), uri, None, None).await;
        error(&reply, StatusCode::METHOD_NOT_ALLOWED);
        assert!(reply.headers.contains_key(header::ALLOW), "{method} {uri}");
    }
    // A path segment that is not UTF-8 once decoded.
    let reply = app
        .call(Method::GET, "/credentials/%FF%FE", Some(&app.token), None)
        .await;
    error(&reply, StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------- authentication

#[tokio::test]
async fn malformed_authorization_headers_are_401() {
    let app = TestApp::new();
    for value in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        "Bearer  ".to_owned(),
        format!("Token {}", app.token),
        app.token.clone(),
        format!("Bearer {}x", app.token),
        format!("Bearer {}", &app.token[..63]),
    ] {
        let req = Request::builder()
            .uri("/credentials")
            .header(header::AUTHORIZATION, value.clone())
            .body(Body::empty())
            .unwrap();
        let reply = app.send(req).await;
        error(&reply, StatusCode::UNAUTHORIZED);
    }
    let req = Request::builder()
        .uri("/credentials")
        .header(header::AUTHORIZATION, &b"Bearer \xff\xfe"[..])
        .body(Body::empty())
        .unwrap();
    error(&app.send(req).await, StatusCode::UNAUTHORIZED);
}

/// Regression: the scheme name was matched case-sensitively, so `bearer <token>` (valid per
/// RFC 9110) was refused.
#[tokio::test]
async fn the_bearer_scheme_name_is_case_insensitive() {
    let app = TestApp::new();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let req = Request::builder()
            .uri("/credentials")
            .header(header::AUTHORIZATION, format!("{scheme} {}", app.token))
            .body(Body::empty())
            .unwrap();
        let reply = app.send(req).await;
        assert_eq!(reply.status, StatusCode::OK, "{scheme}: {}", reply.text());
    }
}

// ---------------------------------------------------------------- secrets

#[tokio::test]
async fn no_response_carries_secrets() {
    let app = TestApp::new();
    let web = json!({
        "id": "hpoly", "name": "Harare Polytechnic", "country": "ZW", "framework": "ZNQF",
        "didMethod": "did-web",
    });
    let reply = app
        .call(
            Method::POST,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
            Some(&web),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let hpoly = reply.json()["token"].as_str().unwrap().to_owned();
    let rotated = app
        .call(
            Method::POST,
            "/admin/institutions/hpoly/token",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    let hpoly_new = rotated.json()["token"].as_str().unwrap().to_owned();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = vc["id"].as_str().unwrap().to_owned();
    let url = vc["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();

    // Secret keys as stored, to look for.
    let mut secrets = vec![
        ADMIN_TOKEN.to_owned(),
        app.token.clone(),
        hpoly.clone(),
        hpoly_new.clone(),
    ];
    for inst in app.store.list_institutions().unwrap() {
        for k in &inst.keys {
            let s = app
                .store
                .secret_key(&inst.id, &k.verification_method)
                .unwrap()
                .unwrap();
            secrets.push(s.as_str().to_owned());
        }
        secrets.push(inst.token_hash.iter().map(|b| format!("{b:02x}")).collect());
    }

    let replies = [
        app.call(Method::GET, "/admin/institutions", Some(ADMIN_TOKEN), None)
            .await,
        app.call(
            Method::POST,
            "/admin/institutions/hpoly/keys",
            Some(ADMIN_TOKEN),
            None,
        )
        .await,
        app.call(Method::GET, "/admin/audit", Some(ADMIN_TOKEN), None)
            .await,
        app.call(Method::GET, "/audit", Some(&app.token), None)
            .await,
        app.call(Method::GET, "/credentials", Some(&app.token), None)
            .await,
        app.call(
            Method::GET,
            &format!("/credentials/{id}"),
            Some(&app.token),
            None,
        )
        .await,
        app.call(
            Method::GET,
            url.strip_prefix(PUBLIC_URL).unwrap(),
            None,
            None,
        )
        .await,
        app.call(Method::GET, "/institutions/hpoly/did.json", None, None)
            .await,
        app.call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": vc})),
        )
        .await,
        app.call(Method::GET, "/credentials", Some(&hpoly), None)
            .await,
        app.call(
            Method::POST,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
            Some(&web),
        )
        .await,
        app.call(Method::GET, "/health", None, None).await,
    ];
    for reply in &replies {
        let text = reply.text();
        assert!(!text.contains("secretKeyMultibase"), "{text}");
        assert!(
            !text.contains("token_hash") && !text.contains("tokenHash"),
            "{text}"
        );
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret in {text}");
        }
        for value in reply.headers.values() {
            let value = String::from_utf8_lossy(value.as_bytes());
            assert!(
                !secrets.iter().any(|s| value.contains(s.as_str())),
                "{value}"
            );
        }
    }
}

// ---------------------------------------------------------------- 5xx

/// A secret key that does not decode, planted as the institution's active key: every signing
/// then fails inside the service. The canary must never reach a client.
const CANARY: &str = "zCANARY-secret-key-material-must-not-leak";

#[tokio::test]
async fn internal_errors_are_500_and_reveal_nothing() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let list = vc["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();

    let inst = app.service.institution("szpu").unwrap();
    let method = format!("{}#z6MkBroken", inst.did);
    app.store.put_secret_key("szpu", &method, CANARY).unwrap();
    app.store
        .update_institution("szpu", &mut |i| {
            for k in &mut i.keys {
                k.retired = Some(now());
            }
            i.keys.push(InstitutionKey {
                verification_method: method.clone(),
                public_key_multibase: "z6MkBroken".into(),
                created: now(),
                retired: None,
            });
            Ok(())
        })
        .unwrap();

    let issue = json!({"credential": {
        "@context": [V2], "type": ["VerifiableCredential"], "issuer": inst.did,
        "credentialSubject": {"id": "did:example:learner"},
    }});
    let mut record_again = vc.clone();
    record_again.as_object_mut().unwrap().clear();
    let replies = [
        app.call(
            Method::POST,
            "/credentials/issue",
            Some(&app.token),
            Some(&issue),
        )
        .await,
        app.call(
            Method::GET,
            list.strip_prefix(PUBLIC_URL).unwrap(),
            None,
            None,
        )
        .await,
    ];
    for reply in &replies {
        let message = error(reply, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(message, "internal error; the server log has the details");
        assert_eq!(reply.json()["error"]["code"], "internal");
        let text = reply.text();
        for needle in [CANARY, "z6MkBroken", "secret", "stored key", "multibase"] {
            assert!(!text.contains(needle), "leaks {needle}: {text}");
        }
    }
    // Verifying needs the status lists, which cannot be signed now: the verifier answers
    // without the cause's internals.
    let body = json!({ "verifiableCredential": vc });
    let reply = app
        .call(Method::POST, "/credentials/verify", None, Some(&body))
        .await;
    assert!(!reply.status.is_success(), "{}", reply.text());
    error(&reply, reply.status);
    let text = reply.text();
    for needle in [CANARY, "secret", "stored key", "multibase"] {
        assert!(!text.contains(needle), "verify leaks {needle}: {text}");
    }
}
