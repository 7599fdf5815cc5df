//! The passport and share pages in a real browser: the service on a loopback port (in this
//! process, so the test can make offers and drive forms through the same router), and
//! Debian's headless Chromium at a 390 × 844 phone size. Chromium signs in through a form on
//! the same origin (its own cookies), then reads the passport page: the claimed credential with
//! its level in words, its status now and the share form. The share page shows the credential
//! checked, the learner's signature and the note, and what it means in the reader's framework;
//! after the learner withdraws the share, the same link shows that it does not work and
//! nothing about the learner. No page has a script.
//!
//! Needs `/usr/bin/chromium` (`apt-get install -y chromium`); without it this test FAILS.

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Html;
use axum::routing::get;
use chrono::{DateTime, Utc};
use common::browser::{chromium, run_chromium, visible_text};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::http::{app, AppState, Limits};
use skillpass::service::{Clock, NewInstitution, Service};
use skillpass::store::{MemoryStore, Store};
use skillpass::wallet::offer::{self, OfferOptions};
use tower::ServiceExt;

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;
const NAME: &str = "nurul-aisyah";
const PASS: &str = "kampung baru 2026";

struct Now(Mutex<DateTime<Utc>>);

impl Clock for Now {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// The page Chromium opens first: a form on the service's origin that signs in and submits
/// itself, so the browser holds the session cookies.
fn sign_in_probe() -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"/passport/signin\">\
         <input name=\"name\" value=\"{NAME}\"><input name=\"passphrase\" value=\"{PASS}\">\
         </form><script>document.forms[0].submit()</script></body></html>"
    ))
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

async fn call(router: &axum::Router, method: Method, uri: &str, cookie: &str, form: &str) -> Reply {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form.to_owned()))
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn cookies(reply: &Reply) -> String {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

fn after(html: &str, needle: &str, end: char) -> String {
    let start = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {html}"))
        + needle.len();
    let rest = &html[start..];
    rest[..rest.find(end).unwrap()].to_owned()
}

#[test]
fn passport_page_share_page_and_withdraw_then_gone() {
    chromium();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let service = Arc::new(Service::new(
        store.clone(),
        &base,
        Arc::new(Now(Mutex::new(Utc::now()))),
    ));
    let state = AppState {
        service: service.clone(),
        admin_token_hash: service.token_hash("browser-passport-admin-token-0123456789abcdef"),
        wallet: Default::default(),
    };
    let router =
        app(state, Limits::default()).route("/__test/signin", get(|| async { sign_in_probe() }));
    let served = router.clone();
    runtime.spawn(async move {
        axum::serve(listener, served).await.unwrap();
    });

    // A Malaysian college in the alliance registry, and a diploma offered to its learner.
    let new: NewInstitution = serde_json::from_value(json!({
        "id": "kvkl", "name": "Kolej Vokasional Kuala Lumpur", "country": "MY", "framework": "MQF",
    }))
    .unwrap();
    let (institution, _) = service.register_institution(new, "test").unwrap();
    let member: skillpass::registry::Member = serde_json::from_value(json!({
        "id": "kvkl", "name": institution.name, "country": "MY", "dids": [institution.did],
        "framework": "MQF", "qualityAssurance": {"body": "MQA", "status": "accredited"},
        "validFrom": "2020-01-01T00:00:00Z",
    }))
    .unwrap();
    store.put_member(&member).unwrap();
    let record: Value = serde_json::from_str(include_str!(
        "../examples/records/my-diploma-furniture-production.json"
    ))
    .unwrap();
    let learner = record["learner"]["name"].as_str().unwrap().to_owned();
    let mut record = record;
    record["issuer"].as_object_mut().unwrap().remove("id");
    let issued = runtime
        .block_on(service.issue_record(&institution, &record, Default::default()))
        .unwrap();
    let made = runtime
        .block_on(offer::create(
            &service,
            &Default::default(),
            &institution,
            issued.credential["id"].as_str().unwrap(),
            &OfferOptions::default(),
        ))
        .unwrap();
    let code = made.tx_code.unwrap();

    // The learner creates a passport from the claim page's button; the claim goes through.
    let created = runtime.block_on(call(
        &router,
        Method::POST,
        "/passport/create",
        "",
        &format!(
            "name={NAME}&passphrase={}&passphrase2={}&offer={}&code={code}",
            PASS.replace(' ', "+"),
            PASS.replace(' ', "+"),
            made.offer.id
        ),
    ));
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let jar = cookies(&created);

    // Chromium signs in and reads the passport page.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let dom = run_chromium(
        &profile,
        WIDTH,
        HEIGHT,
        &["--dump-dom".to_owned()],
        &format!("{base}/__test/signin"),
    );
    let text = visible_text(&dom);
    assert!(text.contains("My skillpass passport"), "{text}");
    assert!(text.contains("Furniture Production Technology"), "{text}");
    assert!(text.contains("MQF level 4 — Diploma"), "{text}");
    assert!(text.contains("Status now: Genuine"), "{text}");
    assert!(text.contains("Make a share link"), "{text}");
    assert!(!dom.contains("<script"), "the passport page has no script");

    // The learner shares it with a note (through the same router, with the same session).
    let page = runtime.block_on(call(&router, Method::GET, "/passport", &jar, ""));
    let csrf = after(&page.text, "name=\"csrf\" value=\"", '"');
    let entry = after(&page.text, "name=\"credential\" value=\"", '"');
    let shared = runtime.block_on(call(
        &router,
        Method::POST,
        "/passport/shares",
        &jar,
        &format!("csrf={csrf}&credential={entry}&days=30&note=For+the+workshop+job"),
    ));
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.text);
    let url = after(&shared.text, "id=\"new-share-link\" href=\"", '"');
    assert!(url.starts_with(&format!("{base}/share/")), "{url}");

    // The employer opens the link in a browser of their own.
    let employer = dir.path().join("employer");
    let dom = run_chromium(
        &employer,
        WIDTH,
        HEIGHT,
        &["--dump-dom".to_owned()],
        &format!("{url}?framework=EQF"),
    );
    let text = visible_text(&dom);
    assert!(text.contains("Shared credentials"), "{text}");
    assert!(text.contains("Furniture Production Technology"), "{text}");
    assert!(text.contains(&learner), "{text}");
    assert!(text.contains("The learner signed this set"), "{text}");
    assert!(text.contains("For the workshop job"), "{text}");
    assert!(text.contains("What this means here"), "{text}");
    assert!(text.contains("Level here"), "{text}");
    assert!(!dom.contains("<script"), "the share page has no script");

    // The learner withdraws it; the same link now shows nothing about them.
    let share_id = after(&shared.text, "action=\"/passport/shares/", '/');
    let withdrawn = runtime.block_on(call(
        &router,
        Method::POST,
        &format!("/passport/shares/{share_id}/withdraw"),
        &jar,
        &format!("csrf={csrf}"),
    ));
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.text
    );
    let dom = run_chromium(&employer, WIDTH, HEIGHT, &["--dump-dom".to_owned()], &url);
    let text = visible_text(&dom);
    assert!(text.contains("This link does not work"), "{text}");
    assert!(
        !text.contains(&learner) && !text.contains("Furniture") && !text.contains("workshop"),
        "{text}"
    );
    // The passport page in the learner's browser shows the share as withdrawn.
    let dom = run_chromium(
        &profile,
        WIDTH,
        HEIGHT,
        &["--dump-dom".to_owned()],
        &format!("{base}/passport"),
    );
    let text = visible_text(&dom);
    assert!(text.contains("withdrawn"), "{text}");
    assert!(text.contains("Opened: "), "{text}");
    drop(runtime);
}
