//! The learner's passport from a test's side: a browser's cookie jar, forms posted through the
//! router, creating a passport and claiming an offered credential into it, the values a page's
//! forms carry (CSRF token, entries); and for the browser tests, the service on a loopback port
//! with a college and a diploma offered to its learner, and the page Chromium signs in through.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Html;
use axum::Router;
use serde_json::{json, Value};
use skillpass::http::{app, AppState, Limits};
use skillpass::service::{Clock, NewInstitution, Service};
use skillpass::store::{MemoryStore, Store};
use skillpass::wallet::offer::{self, OfferOptions};

pub use super::app::send;
use super::app::{Reply, TestApp, PUBLIC_URL};

/// The passphrase of the tests' passports.
pub const PASS: &str = "correct horse battery";
/// A record of a learner without a wallet (so it can be offered), issued by szpu (China):
/// MQF level 4.
pub const CLAIMABLE: &str = "my-diploma-furniture-production.json";

/// The cookies a browser would keep.
#[derive(Default, Clone)]
pub struct Jar(pub Vec<(String, String)>);

impl Jar {
    /// Keeps the cookies `reply` sets (an empty value removes one).
    pub fn take(&mut self, reply: &Reply) {
        for v in reply.headers.get_all(header::SET_COOKIE) {
            let pair = v.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.0.retain(|(n, _)| n != k);
            if !v.is_empty() {
                self.0.push((k.to_owned(), v.to_owned()));
            }
        }
    }

    /// The `Cookie` header.
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The same jar with the cookie `name` set to `value`.
    pub fn with(&self, name: &str, value: &str) -> Jar {
        let mut jar = self.clone();
        jar.0.retain(|(n, _)| n != name);
        jar.0.push((name.to_owned(), value.to_owned()));
        jar
    }
}

/// Percent-encodes `s` for a form body.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// An `application/x-www-form-urlencoded` body.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A request with the cookies of `jar`, `Accept-Language` if given, and `body` as a form.
pub async fn request(
    router: &Router,
    method: Method,
    uri: &str,
    jar: &Jar,
    accept_language: Option<&str>,
    body: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, jar.header());
    if let Some(al) = accept_language {
        req = req.header(header::ACCEPT_LANGUAGE, al);
    }
    send(router, req.body(Body::from(body.to_owned())).unwrap()).await
}

/// `POST uri` with a form body and the cookies of `jar`.
pub async fn post_form(router: &Router, jar: &Jar, uri: &str, body: &str) -> Reply {
    request(router, Method::POST, uri, jar, None, body).await
}

/// `GET uri` with the cookies of `jar`.
pub async fn get(router: &Router, jar: &Jar, uri: &str) -> Reply {
    let req = Request::builder()
        .uri(uri)
        .header(header::COOKIE, jar.header())
        .body(Body::empty())
        .unwrap();
    send(router, req).await
}

/// `GET uri` of the test app with `Accept-Language` if given.
pub async fn get_in(app: &TestApp, uri: &str, jar: &Jar, accept_language: Option<&str>) -> Reply {
    request(&app.router, Method::GET, uri, jar, accept_language, "").await
}

/// `POST uri` of the test app with `Accept-Language` if given.
pub async fn post_in(
    app: &TestApp,
    uri: &str,
    jar: &Jar,
    accept_language: Option<&str>,
    body: &str,
) -> Reply {
    request(&app.router, Method::POST, uri, jar, accept_language, body).await
}

/// `POST /passport/import` as a multipart form: `csrf`, a credential `file`, a `link`.
pub async fn upload(router: &Router, jar: &Jar, csrf: &str, file: &[u8], link: &str) -> Reply {
    let boundary = "XXboundaryXX";
    let mut body = Vec::new();
    for (name, value, filename) in [
        ("csrf", csrf.as_bytes(), None),
        ("file", file, Some("credential.json")),
        ("link", link.as_bytes(), None),
    ] {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match filename {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/passport/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, jar.header())
        .body(Body::from(body))
        .unwrap();
    send(router, req).await
}

/// Every `value` of inputs named `name` in a page.
pub fn inputs(html: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The text after `needle` up to `end`.
pub fn after(html: &str, needle: &str, end: char) -> String {
    let start = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {html}"))
        + needle.len();
    let rest = &html[start..];
    rest[..rest.find(end).unwrap()].to_owned()
}

/// The page's CSRF token (its first `csrf` field).
pub fn csrf(html: &str) -> String {
    inputs(html, "csrf")
        .into_iter()
        .next()
        .expect("a csrf field")
}

/// The path of the share link a page shows as new.
pub fn new_share_path(html: &str) -> String {
    after(html, "id=\"new-share-link\" href=\"", '"')
        .strip_prefix(PUBLIC_URL)
        .unwrap()
        .to_owned()
}

/// Creates a passport named `name` with [`PASS`] (201 asserted); answers its cookies and the
/// recovery code page.
pub async fn create_reply(router: &Router, name: &str) -> (Jar, Reply) {
    let mut jar = Jar::default();
    let reply = post_form(
        router,
        &jar,
        "/passport/create",
        &form(&[("name", name), ("passphrase", PASS), ("passphrase2", PASS)]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    jar.take(&reply);
    (jar, reply)
}

/// Creates a passport; answers its cookies and recovery code.
pub async fn create(router: &Router, name: &str) -> (Jar, String) {
    let (jar, reply) = create_reply(router, name).await;
    let code = after(&reply.text(), "id=\"recovery-code\" class=\"code\">", '<');
    (jar, code)
}

/// `GET /passport` (200 asserted): the passport page, or the sign-in page.
pub async fn page(router: &Router, jar: &Jar) -> String {
    let reply = get(router, jar, "/passport").await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.text()
}

/// An offer of the issued credential `vc` from szpu: its id and one-time code.
pub async fn offer(app: &TestApp, vc: &Value) -> (String, String) {
    let szpu = app.store.get_institution("szpu").unwrap().unwrap();
    let made = offer::create(
        &app.service,
        &Default::default(),
        &szpu,
        vc["id"].as_str().unwrap(),
        &OfferOptions::default(),
    )
    .await
    .unwrap();
    (made.offer.id, made.tx_code.unwrap())
}

/// Offers `vc` (issued by szpu) and claims it into the passport of `jar`: the answer.
pub async fn claim(app: &TestApp, jar: &Jar, vc: &Value) -> Reply {
    let (id, code) = offer(app, vc).await;
    post_form(
        &app.router,
        jar,
        &format!("/passport/claim/{id}"),
        &form(&[("code", &code)]),
    )
    .await
}

// ----------------------------------------------------------------------------------------
// The browser tests' service
// ----------------------------------------------------------------------------------------

/// The passport's service on a loopback port, served in this process (so the test can make
/// offers and post forms through the same router while Chromium reads the pages).
pub struct Served {
    pub runtime: tokio::runtime::Runtime,
    /// `http://127.0.0.1:PORT`, the service's public URL.
    pub base: String,
    pub router: Router,
    pub service: Arc<Service>,
    pub store: Arc<dyn Store>,
}

/// Starts the service with `clock` on a loopback port; `routes` adds the test's own pages
/// (probes) on the same origin.
pub fn serve(clock: Arc<dyn Clock>, routes: impl FnOnce(Router) -> Router) -> Served {
    serve_with(clock, routes, false)
}

/// [`serve`], and with `peer` the server loop gives the handlers the client's address (as
/// `skillpass serve` does), which the console's sign-in limit counts by.
pub fn serve_with(
    clock: Arc<dyn Clock>,
    routes: impl FnOnce(Router) -> Router,
    peer: bool,
) -> Served {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let service = Arc::new(Service::new(store.clone(), &base, clock));
    let state = AppState {
        service: service.clone(),
        admin_token_hash: service.token_hash("browser-passport-admin-token-0123456789abcdef"),
        wallet: Default::default(),
    };
    let router = routes(app(state, Limits::default()));
    let served = router.clone();
    runtime.spawn(async move {
        if peer {
            let served = served.into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, served).await.unwrap();
        } else {
            axum::serve(listener, served).await.unwrap();
        }
    });
    Served {
        runtime,
        base,
        router,
        service,
        store,
    }
}

/// A diploma on offer to its learner.
pub struct Offered {
    /// The learner's name in the record.
    pub learner: String,
    pub offer: String,
    pub code: String,
}

impl Served {
    /// A Malaysian college in the alliance registry, and its diploma
    /// (`my-diploma-furniture-production.json`) offered to its learner.
    pub fn offer_diploma(&self) -> Offered {
        let new: NewInstitution = serde_json::from_value(json!({
            "id": "kvkl", "name": "Kolej Vokasional Kuala Lumpur", "country": "MY", "framework": "MQF",
        }))
        .unwrap();
        let (institution, _) = self.service.register_institution(new, "test").unwrap();
        let member: skillpass::registry::Member = serde_json::from_value(json!({
            "id": "kvkl", "name": institution.name, "country": "MY", "dids": [institution.did],
            "framework": "MQF", "qualityAssurance": {"body": "MQA", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap();
        self.store.put_member(&member).unwrap();
        let mut record: Value = serde_json::from_str(include_str!(
            "../../examples/records/my-diploma-furniture-production.json"
        ))
        .unwrap();
        let learner = record["learner"]["name"].as_str().unwrap().to_owned();
        record["issuer"].as_object_mut().unwrap().remove("id");
        let issued = self
            .runtime
            .block_on(
                self.service
                    .issue_record(&institution, &record, Default::default()),
            )
            .unwrap();
        let made = self
            .runtime
            .block_on(offer::create(
                &self.service,
                &Default::default(),
                &institution,
                issued.credential["id"].as_str().unwrap(),
                &OfferOptions::default(),
            ))
            .unwrap();
        Offered {
            learner,
            offer: made.offer.id,
            code: made.tx_code.unwrap(),
        }
    }

    /// A form posted (or a page got) with the `Cookie` header `cookie`.
    pub fn call(&self, method: Method, uri: &str, cookie: &str, form: &str) -> BrowserReply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(form.to_owned()))
            .unwrap();
        let reply = self.runtime.block_on(send(&self.router, req));
        BrowserReply {
            status: reply.status,
            cookies: reply
                .headers
                .get_all(header::SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join("; "),
            text: reply.text(),
        }
    }

    /// The learner creates a passport `name` (passphrase `pass`) from the claim page's button,
    /// so the claim goes through (201 asserted); answers the session's `Cookie` header.
    pub fn create_with_claim(&self, name: &str, pass: &str, offered: &Offered) -> String {
        let created = self.call(
            Method::POST,
            "/passport/create",
            "",
            &form(&[
                ("name", name),
                ("passphrase", pass),
                ("passphrase2", pass),
                ("offer", &offered.offer),
                ("code", &offered.code),
            ]),
        );
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        created.cookies
    }

    /// Shares the passport's first credential for 30 days with `note` (200 asserted); answers
    /// the page with the new link and the CSRF token.
    pub fn share(&self, jar: &str, note: Option<&str>) -> (BrowserReply, String) {
        let page = self.call(Method::GET, "/passport", jar, "");
        let csrf = after(&page.text, "name=\"csrf\" value=\"", '"');
        let entry = after(&page.text, "name=\"credential\" value=\"", '"');
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("credential", entry.as_str()),
            ("days", "30"),
        ];
        if let Some(note) = note {
            fields.push(("note", note));
        }
        let shared = self.call(Method::POST, "/passport/shares", jar, &form(&fields));
        assert_eq!(shared.status, StatusCode::OK, "{}", shared.text);
        (shared, csrf)
    }
}

/// An answer of the served router: status, the cookies it sets (as a `Cookie` header), text.
pub struct BrowserReply {
    pub status: StatusCode,
    pub cookies: String,
    pub text: String,
}

/// The page Chromium opens first (route it at `/__test/signin`): a form on the service's
/// origin that signs in as `name` and submits itself, so the browser holds the session's
/// cookies.
pub fn sign_in_probe(name: &str, pass: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"/passport/signin\">\
         <input name=\"name\" value=\"{name}\"><input name=\"passphrase\" value=\"{pass}\">\
         </form><script>document.forms[0].submit()</script></body></html>"
    ))
}

/// Chromium (with `profile`, at `width` × `height`) signs in through the page
/// [`sign_in_probe`] served at `/__test/signin` of `base`, so the profile holds the session's
/// cookies; answers the DOM it lands on.
pub fn sign_in_in_browser(
    profile: &std::path::Path,
    base: &str,
    width: u32,
    height: u32,
) -> String {
    super::browser::run_chromium(
        profile,
        width,
        height,
        &["--dump-dom".to_owned()],
        &format!("{base}/__test/signin"),
    )
}
