//! A test instance of the HTTP service: in-memory store, fixed clock, one registered
//! institution; requests go through the router without a socket.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::api_tokens::TokenHasher;
use skillpass::http::{app, AppState, Limits};
use skillpass::service::{FixedClock, NewInstitution, Service};
use skillpass::store::{MemoryStore, Store};
use tower::ServiceExt;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef0123456789";
pub const PUBLIC_URL: &str = "https://skillpass.test";

/// The fixed "now" of every test app.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
}

pub struct TestApp {
    pub router: Router,
    pub service: Arc<Service>,
    pub store: Arc<dyn Store>,
    /// API token of the institution `szpu` (did:key).
    pub token: String,
}

/// A response: status, headers and body bytes.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends a prepared request through `router` (a test app's, or one built by the test).
pub async fn send(router: &Router, req: Request<Body>) -> Reply {
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

impl TestApp {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        // API tokens stored as HMAC under a token secret, as `skillpass serve` stores them.
        let service = Arc::new(
            Service::new(store.clone(), PUBLIC_URL, Arc::new(FixedClock(now())))
                .with_token_hasher(TokenHasher::keyed(zeroize::Zeroizing::new([0x5e; 32]))),
        );
        let state = AppState {
            service: service.clone(),
            admin_token_hash: service.token_hash(ADMIN_TOKEN),
            wallet: Default::default(),
        };
        let router = app(state, limits);
        let mut test = TestApp {
            router,
            service,
            store,
            token: String::new(),
        };
        test.token = test.register("szpu", "did-key");
        // The verifier's trust check needs szpu in the alliance registry; registering an
        // institution does not list it (the registry is the alliance's decision).
        let szpu = test.store.get_institution("szpu").unwrap().unwrap();
        let member: skillpass::registry::Member = serde_json::from_value(json!({
            "id": "szpu",
            "name": szpu.name,
            "country": szpu.country,
            "dids": [szpu.did],
            "framework": szpu.framework,
            "qualityAssurance": {"body": "Test QA body", "status": "accredited"},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap();
        test.store.put_member(&member).unwrap();
        test
    }

    /// Registers an institution through the admin API and returns its token.
    pub fn register(&self, id: &str, did_method: &str) -> String {
        let new: NewInstitution = serde_json::from_value(json!({
            "id": id,
            "name": format!("{id} vocational college"),
            "country": "CN",
            "framework": "CN-VOC",
            "didMethod": did_method,
        }))
        .unwrap();
        let (_, token) = self.service.register_institution(new, "test").unwrap();
        token.as_str().to_owned()
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// Sends a prepared request.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        send(&self.router, req).await
    }

    /// POSTs a status change (`revoke`, `suspend`, `unsuspend`) of credential `id` with `token`.
    pub async fn status_request(&self, token: &str, id: &str, action: &str) -> Reply {
        let body = json!({ "credentialId": id, "action": action });
        self.call(
            Method::POST,
            "/credentials/status",
            Some(token),
            Some(&body),
        )
        .await
    }

    /// Changes a credential's status as `szpu` and asserts that the change was made.
    pub async fn set_status(&self, id: &str, action: &str) {
        let reply = self.status_request(&self.token, id, action).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }

    /// Fetches every status list `vc` names, as a wallet would, into `dir`; returns the peers'
    /// `--status-list FILE` arguments.
    pub async fn status_list_args(&self, vc: &Value, dir: &std::path::Path) -> Vec<String> {
        status_list_args(&self.router, PUBLIC_URL, vc, dir).await
    }

    /// Issues an example record as `szpu`, suspendable; returns the signed credential.
    pub async fn issue_example(&self, file: &str) -> Value {
        let record = example_record(file);
        let reply = self
            .call(
                Method::POST,
                "/records?suspendable=true",
                Some(&self.token),
                Some(&record),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()["verifiableCredential"].clone()
    }
}

/// The example record `examples/records/<file>` without its issuer's id (the record names its
/// own institution; the service issues as the caller).
pub fn example_record(file: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(file);
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if let Some(issuer) = record.get_mut("issuer").and_then(Value::as_object_mut) {
        issuer.remove("id");
    }
    record
}

/// Fetches every status list `vc` names from `router` (whose public URL is `base`), as a wallet
/// would, into `dir`; returns the peers' `--status-list FILE` arguments.
pub async fn status_list_args(
    router: &Router,
    base: &str,
    vc: &Value,
    dir: &std::path::Path,
) -> Vec<String> {
    let mut args = Vec::new();
    for (i, entry) in super::fixtures::status_entries(vc).iter().enumerate() {
        let url = entry["statusListCredential"].as_str().expect("list URL");
        let path = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("status list {url} is not under {base}"));
        let req = Request::builder().uri(path).body(Body::empty()).unwrap();
        let reply = send(router, req).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.text());
        let file = dir.join(format!("list-{i}.json"));
        std::fs::write(&file, &reply.body).unwrap();
        args.push("--status-list".to_owned());
        args.push(file.to_str().unwrap().to_owned());
    }
    args
}

/// The service on a loopback port (its public URL that port) with the real clock, as a wallet
/// or a browser outside the process reaches it; `szpu` (did:key) registered.
pub struct Live {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub router: Router,
    pub service: Arc<Service>,
    pub store: Arc<dyn Store>,
    /// szpu's API token.
    pub token: String,
}

impl Live {
    /// Starts the service (on the test's runtime) with szpu named `szpu_name`.
    pub async fn start(szpu_name: &str) -> Live {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        // A wallet signs its proof with the real time: so does the service's clock.
        let service = Arc::new(Service::new(
            store.clone(),
            &base,
            Arc::new(skillpass::service::SystemClock),
        ));
        let new: NewInstitution = serde_json::from_value(json!({
            "id": "szpu",
            "name": szpu_name,
            "country": "CN",
            "framework": "CN-VOC",
            "didMethod": "did-key",
        }))
        .unwrap();
        let (_, token) = service.register_institution(new, "test").unwrap();
        let state = AppState {
            service: service.clone(),
            admin_token_hash: skillpass::service::token_hash(ADMIN_TOKEN),
            wallet: Default::default(),
        };
        let router = app(state, Limits::default());
        let served = router.clone();
        tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
        Live {
            base,
            router,
            service,
            store,
            token: token.as_str().to_owned(),
        }
    }

    /// Sends a request with szpu's token; `body` is sent as JSON when given.
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        send(&self.router, req.body(body).unwrap()).await
    }
}
