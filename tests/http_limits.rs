//! Failed authentication is limited per client address and per token (429 with Retry-After),
//! and CORS is open exactly on the open verify endpoints and the public documents (issue 16
//! item 3; docs/API.md, "Limits").

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use common::app::{Reply, TestApp, ADMIN_TOKEN};
use skillpass::http::Limits;

fn from(address: &str, method: Method, uri: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let mut request = request.body(Body::empty()).unwrap();
    let peer: SocketAddr = address.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

fn retry_after(reply: &Reply) -> u64 {
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.text()
    );
    assert_eq!(reply.json()["error"]["code"], "too_many_requests");
    reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

fn limited(failures: u32, window: Duration) -> TestApp {
    TestApp::with_limits(Limits {
        auth_failures: failures,
        auth_window: window,
        ..Limits::default()
    })
}

#[tokio::test]
async fn wrong_institution_tokens_are_401_then_429_per_address() {
    let app = limited(3, Duration::from_secs(2));
    let attacker = "192.0.2.7:40000";
    for i in 0..3 {
        let wrong = format!("wrong-token-{i}");
        let reply = app
            .send(from(attacker, Method::GET, "/credentials", Some(&wrong)))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text());
    }
    // A fourth try, a missing token, and even the right token: 429 from this address.
    let reply = app
        .send(from(attacker, Method::GET, "/credentials", Some("wrong-4")))
        .await;
    let wait = retry_after(&reply);
    assert!((1..=2).contains(&wait), "{wait}");
    let reply = app
        .send(from(attacker, Method::GET, "/credentials", None))
        .await;
    retry_after(&reply);
    let reply = app
        .send(from(
            attacker,
            Method::GET,
            "/credentials",
            Some(&app.token),
        ))
        .await;
    retry_after(&reply);
    // The admin endpoints share the count.
    let reply = app
        .send(from(
            attacker,
            Method::GET,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
        ))
        .await;
    retry_after(&reply);
    // Another address is not affected, wrong or right.
    let other = "198.51.100.9:5000";
    let reply = app
        .send(from(other, Method::GET, "/credentials", Some("wrong-x")))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = app
        .send(from(other, Method::GET, "/credentials", Some(&app.token)))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    // After the window the right token works from the blocked address.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let reply = app
        .send(from(
            attacker,
            Method::GET,
            "/credentials",
            Some(&app.token),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn successes_do_not_count_and_a_wrong_token_is_limited_across_addresses() {
    let app = limited(3, Duration::from_secs(60));
    let client = "203.0.113.1:1234";
    for _ in 0..10 {
        let reply = app
            .send(from(client, Method::GET, "/credentials", Some(&app.token)))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let reply = app
            .send(from(
                client,
                Method::GET,
                "/admin/institutions",
                Some(ADMIN_TOKEN),
            ))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    // One guessed admin token tried from three addresses: the token itself is now blocked.
    for i in 1..=3 {
        let reply = app
            .send(from(
                &format!("203.0.113.{}:1", 10 + i),
                Method::GET,
                "/admin/institutions",
                Some("guess-0000000000000000000000000000"),
            ))
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = app
        .send(from(
            "203.0.113.99:1",
            Method::GET,
            "/admin/institutions",
            Some("guess-0000000000000000000000000000"),
        ))
        .await;
    assert!(retry_after(&reply) >= 59);
    // The right tokens from a fresh address still work.
    let reply = app
        .send(from(
            "203.0.113.100:1",
            Method::GET,
            "/admin/institutions",
            Some(ADMIN_TOKEN),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

fn with_origin(mut request: Request<Body>, origin: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert(header::ORIGIN, origin.parse().unwrap());
    request
}

fn preflight(uri: &str, method: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri(uri)
        .header(header::ORIGIN, "https://employer.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method)
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn open_endpoints_allow_any_origin_without_credentials() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    for (uri, method) in [
        ("/credentials/verify", "POST"),
        ("/presentations/verify", "POST"),
    ] {
        let reply = app.send(preflight(uri, method)).await;
        assert!(reply.status.is_success(), "{uri}: {}", reply.status);
        let h = &reply.headers;
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{uri}");
        let methods = h[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().unwrap();
        assert!(methods.contains("POST"), "{methods}");
        let headers = h[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap();
        assert!(headers.contains("content-type"), "{headers}");
        assert!(h.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
    }
    // A simple (actual) request from another origin: the answer carries the header.
    let body = serde_json::json!({ "verifiableCredential": vc }).to_string();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/credentials/verify")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, "https://employer.example")
        .body(Body::from(body))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(reply
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
        .is_none());
    // Public documents too.
    let status = vc["credentialStatus"]
        .as_array()
        .and_then(|a| a.first())
        .or(Some(&vc["credentialStatus"]))
        .and_then(|s| s["statusListCredential"].as_str())
        .map(|u| u.trim_start_matches(common::app::PUBLIC_URL).to_owned())
        .expect("a status list URL");
    for uri in ["/openapi.json", "/registry", status.as_str()] {
        let reply = app
            .send(with_origin(
                from("192.0.2.1:1", Method::GET, uri, None),
                "https://x.example",
            ))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.text());
        assert_eq!(
            reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "*",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn closed_endpoints_send_no_cors_headers() {
    let app = TestApp::new();
    for (uri, method) in [
        ("/credentials/issue", "POST"),
        ("/credentials", "GET"),
        ("/admin/institutions", "GET"),
        ("/health", "GET"),
    ] {
        let reply = app.send(preflight(uri, method)).await;
        assert!(!reply.status.is_success(), "{uri}: {}", reply.status);
        for (name, _) in reply.headers.iter() {
            assert!(
                !name.as_str().starts_with("access-control-"),
                "{uri}: {name}"
            );
        }
    }
    let reply = app
        .send(with_origin(
            from("192.0.2.1:1", Method::GET, "/credentials", Some(&app.token)),
            "https://evil.example",
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .headers
        .keys()
        .all(|name| !name.as_str().starts_with("access-control-")));
}

fn make_request_from(address: &str, lang: &str) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!("/verify/request?lang={lang}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("want=any"))
        .unwrap();
    let peer: SocketAddr = address.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

/// Anyone may ask for credentials without signing in, and each request is stored: one client
/// address gets `PRESENTATION_REQUESTS_PER_WINDOW` of them per window, then the form again with 429, a
/// Retry-After and the reason in the reader's language; another address is not affected.
#[tokio::test]
async fn presentation_requests_are_limited_per_client_address() {
    use skillpass::http::PRESENTATION_REQUESTS_PER_WINDOW;
    let app = TestApp::new();
    let busy = "192.0.2.9:50000";
    for _ in 0..PRESENTATION_REQUESTS_PER_WINDOW {
        let reply = app.send(make_request_from(busy, "en")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    }
    let refused = app.send(make_request_from(busy, "th")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 500 && wait <= 600, "Retry-After {wait}");
    let page = refused.text();
    assert!(page.contains("lang=\"th\""), "{page}");
    assert!(page.contains("โปรดลองอีกครั้งใน"), "{page}");
    assert!(
        page.contains("name=\"want\""),
        "the form is shown again: {page}"
    );

    let other = app
        .send(make_request_from("198.51.100.4:50000", "en"))
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.text());
}
