//! `GET /openapi.json` and its agreement with the router: every route the API serves is
//! documented, every documented operation is served, and the documented authentication is the
//! one the endpoints enforce.

mod common;

use std::collections::BTreeSet;

use axum::http::{header, Method, StatusCode};
use common::app::{TestApp, ADMIN_TOKEN};
use serde_json::Value;
use skillpass::http::ROUTES;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

fn document() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .expect("docs/openapi.json is JSON")
}

/// `(METHOD, path)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.insert((method.to_uppercase(), path.clone()));
        }
    }
    ops
}

fn routed() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect()
}

/// A concrete URI for a path template; `credential` fills credential ids. Admin operations on
/// an institution act on `spare` (registered by the tests), so that rotating a token does not
/// lock `szpu` out halfway through.
fn concrete(path: &str, credential: &str) -> String {
    let id = if path.starts_with("/credentials/") || path.starts_with("/verify/") {
        credential
    } else if path.starts_with("/admin/") {
        "spare"
    } else {
        "szpu"
    };
    path.replace("{id}", id)
        .replace("{institution}", "szpu")
        .replace("{purpose}", "revocation")
        .replace("{sequence}", "0")
}

fn is_fallback(reply: &common::app::Reply) -> bool {
    reply.status == StatusCode::NOT_FOUND
        && serde_json::from_slice::<Value>(&reply.body)
            .is_ok_and(|b| b["error"]["message"] == "no such endpoint")
}

#[tokio::test]
async fn the_document_is_served_as_openapi_3_1() {
    let app = TestApp::new();
    let reply = app.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    let served = reply.json();
    assert_eq!(
        served,
        document(),
        "the served document is docs/openapi.json"
    );
    assert_eq!(served["openapi"], "3.1.0");
    assert!(served["info"]["title"].is_string() && served["info"]["version"].is_string());
    let schemes = &served["components"]["securitySchemes"];
    for name in ["adminToken", "institutionToken"] {
        assert_eq!(schemes[name]["type"], "http");
        assert_eq!(schemes[name]["scheme"], "bearer");
    }
}

#[test]
fn every_route_is_documented_and_every_documented_operation_is_a_route() {
    let doc = documented(&document());
    let routes = routed();
    let undocumented: Vec<_> = routes.difference(&doc).collect();
    let unrouted: Vec<_> = doc.difference(&routes).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from docs/openapi.json: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented but not in ROUTES: {unrouted:?}"
    );
    assert_eq!(routes.len(), ROUTES.len(), "ROUTES lists a route twice");
}

#[tokio::test]
async fn every_listed_route_is_served_and_no_other_method_is() {
    let app = TestApp::new();
    app.register("spare", "did-web");
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let credential = vc["id"].as_str().unwrap().to_owned();
    let routes = routed();
    for (method, path) in &routes {
        let uri = concrete(path, &credential);
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let reply = app.call(m, &uri, Some(ADMIN_TOKEN), None).await;
        assert!(!is_fallback(&reply), "{method} {path} is not routed");
        assert_ne!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
    }
    // On every listed path, the methods not listed are refused with 405: nothing is served
    // that the list (and so the document) does not name.
    let paths: BTreeSet<&String> = routes.iter().map(|(_, p)| p).collect();
    for path in paths {
        for method in METHODS {
            if routes.contains(&(method.to_owned(), path.clone())) {
                continue;
            }
            let uri = concrete(path, &credential);
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let reply = app.call(m, &uri, Some(ADMIN_TOKEN), None).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is served but not listed: {}",
                reply.text()
            );
        }
    }
}

#[tokio::test]
async fn documented_authentication_is_what_the_endpoints_enforce() {
    // Every endpoint is tried with the other kind of token: far more failures than the
    // failed-authentication limit allows (tests/http_limits.rs tests that limit).
    let app = TestApp::with_limits(skillpass::http::Limits {
        auth_failures: 10_000,
        ..Default::default()
    });
    app.register("spare", "did-web");
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let credential = vc["id"].as_str().unwrap().to_owned();
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let schemes: Vec<String> = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} declares no security (use [] if open)"))
                .iter()
                .flat_map(|req| req.as_object().unwrap().keys().cloned())
                .collect();
            let uri = concrete(path, &credential);
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let anonymous = app.call(m.clone(), &uri, None, None).await;
            match schemes.as_slice() {
                [] => assert_ne!(
                    anonymous.status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} is documented as open"
                ),
                [scheme] => {
                    assert_eq!(
                        anonymous.status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {path} is documented as needing {scheme}"
                    );
                    assert!(op["responses"]["401"].is_object(), "{method} {path}: 401");
                    // An OpenID4VCI access token comes from the protocol's token endpoint
                    // (tests/wallet_oid4vci.rs); neither API token opens the endpoint.
                    if scheme == "oid4vciAccessToken" {
                        for token in [ADMIN_TOKEN, app.token.as_str()] {
                            let reply = app.call(m.clone(), &uri, Some(token), None).await;
                            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                        }
                        continue;
                    }
                    // The other kind of token is refused too.
                    let (right, wrong) = match scheme.as_str() {
                        "adminToken" => (ADMIN_TOKEN, app.token.as_str()),
                        "institutionToken" => (app.token.as_str(), ADMIN_TOKEN),
                        other => panic!("unknown scheme {other}"),
                    };
                    let reply = app.call(m.clone(), &uri, Some(wrong), None).await;
                    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                    let reply = app.call(m.clone(), &uri, Some(right), None).await;
                    assert_ne!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                    assert_eq!(
                        path.starts_with("/admin/"),
                        scheme == "adminToken",
                        "{method} {path}: admin paths, and only they, take the admin token"
                    );
                }
                more => panic!("{method} {path}: one scheme expected, got {more:?}"),
            }
        }
    }
}

/// Every `$ref` in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.push(v.as_str().unwrap());
                } else {
                    refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_document_is_internally_consistent() {
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    for r in &found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("only local schema refs: {r}"));
        assert!(schemas.contains_key(name), "{r} does not resolve");
    }
    // Every schema is used.
    for name in schemas.keys() {
        let r = format!("#/components/schemas/{name}");
        assert!(found.contains(&r.as_str()), "{name} is never used");
    }

    let error = &schemas["Error"];
    assert_eq!(
        error["properties"]["error"]["required"],
        serde_json::json!(["status", "code", "message"])
    );
    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let params: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        for (method, op) in item.as_object().unwrap() {
            assert!(
                METHODS.contains(&method.to_uppercase().as_str()),
                "{method}"
            );
            let id = op["operationId"].as_str().expect("operationId");
            assert!(
                operation_ids.insert(id.to_owned()),
                "operationId {id} twice"
            );
            assert!(op["summary"].is_string(), "{method} {path}: summary");
            // Path parameters are declared, exactly.
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(declared, params, "{method} {path}: path parameters");
            // Responses: at least one success (for an HTML form, the redirect after it: POST,
            // then 303 to a page); JSON errors use the envelope, except the OpenID4VCI
            // endpoints, which answer OAuth errors as wallets expect.
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.keys().any(|c| c.starts_with('2') || c == "303"),
                "{method} {path}: no success response"
            );
            for (code, response) in responses {
                assert!(
                    response["description"].is_string(),
                    "{method} {path} {code}"
                );
                if code.starts_with('4') || code.starts_with('5') {
                    if let Some(schema) = response["content"].get("application/json") {
                        let text = schema.to_string();
                        let oauth = op["operationId"].as_str().is_some_and(|id| {
                            id.starts_with("oid4vci") || id.starts_with("oid4vp")
                        });
                        let envelope = if oauth {
                            "\"#/components/schemas/OAuthError\""
                        } else {
                            "\"#/components/schemas/Error\""
                        };
                        assert!(
                            text.contains(envelope),
                            "{method} {path} {code}: errors use {envelope}"
                        );
                    }
                }
            }
            // JSON request bodies have a schema.
            if let Some(body) = op.get("requestBody") {
                for (media, content) in body["content"].as_object().unwrap() {
                    assert!(content["schema"].is_object(), "{method} {path} {media}");
                }
            }
        }
    }
}
