//! Several skillpass nodes in one test, each a real HTTP server on its own loopback port with
//! the real clock: node A (the secretariat, and the issuing college's node) publishes the
//! alliance registry, nodes B and C subscribe to it, and each verifies what the others issued
//! by fetching from them through the guarded fetcher (`FetchPolicy::allow_http_loopback`, the
//! only concession to the test: plain http to 127.0.0.1).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::fetch::{DocumentCache, FetchPolicy, Fetcher};
use skillpass::http::{app, AppState, Limits};
use skillpass::registry::MemberHosts;
use skillpass::service::{token_hash, NewInstitution, Service, SystemClock};
use skillpass::store::{MemoryStore, Store};
use skillpass::subscription::{Subscription, SubscriptionError, SubscriptionState};
use tokio::sync::oneshot;
use tower::ServiceExt;

// As in the `skillpass` binary (src/main.rs), so the benchmark measures what a node runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ADMIN: &str = "nodes-test-admin-token-0123456789abcdef012345";
/// An MQF diploma: issued on A by `kpm`, recognised on B for EQF.
const RECORD: &str = "my-diploma-furniture-production.json";

struct Node {
    base: String,
    host: String,
    router: axum::Router,
    service: Arc<Service>,
    store: Arc<dyn Store>,
    fetcher: Fetcher,
    subscription: Option<Arc<Subscription>>,
    /// Requests this node's listener served, by path (other nodes' fetches).
    served_paths: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    stop: Option<oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<()>>,
}

/// How a node is set up: its status lists' TTL, the hosts it may fetch from besides registry
/// members', and the registry it follows (`url`, `publisher`).
struct Setup {
    ttl: Duration,
    allow: Vec<String>,
    subscribe: Option<(String, String)>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            ttl: Duration::from_secs(60),
            allow: vec![],
            subscribe: None,
        }
    }
}

/// Starts a node as `skillpass serve` does (`src/server.rs`): members' hosts plus configured
/// ones, one fetcher for the verifier's document cache and the subscription.
async fn start(setup: Setup) -> Node {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let base = format!("http://{host}");
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut allow = setup.allow.clone();
    if let Some((url, _)) = &setup.subscribe {
        allow.push(skillpass::subscription::registry_host(url).expect("a usable registry URL"));
    }
    let policy = FetchPolicy {
        allow_http_loopback: true,
        total_timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    };
    let fetcher = Fetcher::new(policy, Arc::new(MemberHosts::new(store.clone(), allow))).unwrap();
    let cache = DocumentCache::new(fetcher.clone(), 64, Arc::new(SystemClock));
    let service = Arc::new(
        Service::new(store.clone(), &base, Arc::new(SystemClock))
            .with_status_list_ttl(setup.ttl)
            .with_document_cache(cache),
    );
    let subscription = setup.subscribe.as_ref().map(|(url, publisher)| {
        Arc::new(Subscription::new(url, publisher, Duration::from_secs(600)))
    });
    let state = AppState {
        service: service.clone(),
        admin_token_hash: token_hash(ADMIN),
        wallet: Default::default(),
    };
    let mut router = app(state, Limits::default());
    if let Some(subscription) = &subscription {
        router = router.layer(axum::Extension(subscription.clone()));
    }
    let (stop, stopped) = oneshot::channel::<()>();
    let served_paths = Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
    let served = tokio::spawn({
        let counts = served_paths.clone();
        let router =
            router
                .clone()
                .layer(axum::middleware::map_request(move |req: Request<Body>| {
                    *counts
                        .lock()
                        .unwrap()
                        .entry(req.uri().path().to_owned())
                        .or_insert(0) += 1;
                    async move { req }
                }));
        async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap()
        }
    });
    Node {
        base,
        host,
        router,
        service,
        store,
        fetcher,
        subscription,
        served_paths,
        stop: Some(stop),
        served: Some(served),
    }
}

impl Node {
    /// A request through the node's router (as its own clients reach it).
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let resp = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    /// Registers an institution; returns its DID and API token.
    fn register(&self, id: &str, framework: &str, did_method: &str) -> (String, String) {
        let new: NewInstitution = serde_json::from_value(json!({
            "id": id,
            "name": format!("{id} polytechnic"),
            "country": "MY",
            "framework": framework,
            "didMethod": did_method,
        }))
        .unwrap();
        let (institution, token) = self.service.register_institution(new, "test").unwrap();
        (institution.did, token.as_str().to_owned())
    }

    /// Lists a member in this node's registry over the admin API.
    async fn put_member(&self, member: &Value) {
        let id = member["id"].as_str().unwrap();
        let (status, body) = self
            .call(
                Method::PUT,
                &format!("/admin/registry/members/{id}"),
                Some(ADMIN),
                Some(member),
            )
            .await;
        assert!(status.is_success(), "{status}: {body}");
    }

    async fn publisher(&self) -> String {
        let (status, body) = self.call(Method::GET, "/registry/did", None, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["did"].as_str().unwrap().to_owned()
    }

    async fn refresh(&self) -> Result<skillpass::service::RegistryImport, SubscriptionError> {
        self.subscription
            .as_ref()
            .expect("a subscribing node")
            .refresh(&self.service, &self.fetcher)
            .await
    }

    async fn subscription_status(&self) -> Value {
        let (status, body) = self
            .call(Method::GET, "/registry/subscription", None, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn issue(&self, token: &str) -> Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records")
            .join(RECORD);
        let mut record: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        // A record of its own each time (issuing is idempotent per record id).
        record["recordId"] = json!(uuid::Uuid::new_v4().to_string());
        let (status, body) = self
            .call(Method::POST, "/records", Some(token), Some(&record))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["verifiableCredential"].clone()
    }

    async fn verify(&self, vc: &Value) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": vc})),
        )
        .await
    }

    /// How many requests the listener served for `path`.
    fn served(&self, path: &str) -> usize {
        self.served_paths
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Stops serving and waits until every connection is closed: the node is down.
    async fn stop(&mut self) {
        let _ = self.stop.take().expect("running").send(());
        tokio::time::timeout(Duration::from_secs(10), self.served.take().unwrap())
            .await
            .expect("the server stops within 10 s")
            .unwrap();
    }
}

/// The member record of an institution of `node`, with `node` as its node.
fn member(id: &str, did: &str, node: &Node, status: &str) -> Value {
    json!({
        "id": id,
        "name": format!("{id} polytechnic"),
        "country": "MY",
        "dids": [did],
        "nodes": [node.base],
        "framework": "MQF",
        "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": status},
        "validFrom": "2020-01-01T00:00:00Z",
    })
}

/// A, the secretariat, lists `kpm` (an institution on A, did:web) with A as its node; B and C
/// subscribe to A's `GET /registry`, pinned to A's publisher DID.
async fn alliance(ttl: Duration) -> (Node, Node, Node, String, String) {
    let a = start(Setup {
        ttl,
        ..Setup::default()
    })
    .await;
    let (kpm_did, kpm_token) = a.register("kpm", "MQF", "did-web");
    a.put_member(&member("kpm", &kpm_did, &a, "accredited"))
        .await;
    let subscribe = Some((format!("{}/registry", a.base), a.publisher().await));
    let b = start(Setup {
        ttl,
        subscribe: subscribe.clone(),
        ..Setup::default()
    })
    .await;
    let c = start(Setup {
        ttl,
        subscribe,
        ..Setup::default()
    })
    .await;
    (a, b, c, kpm_did, kpm_token)
}

fn sources(report: &Value) -> Vec<Value> {
    report["sources"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registry_published_by_one_node_is_followed_by_the_others() {
    let (mut a, b, c, kpm_did, _) = alliance(Duration::from_secs(60)).await;

    // Before the first attempt the subscription says so, and a node without one says that.
    assert_eq!(b.subscription_status().await["state"], "pending");
    assert_eq!(a.subscription_status().await, json!({"subscribed": false}));

    for node in [&b, &c] {
        let summary = node.refresh().await.unwrap();
        assert_eq!(summary.added, ["kpm"]);
        let held = node.store.get_member("kpm").unwrap().expect("imported");
        assert_eq!(held.dids, std::slice::from_ref(&kpm_did));
        assert_eq!(held.nodes, std::slice::from_ref(&a.base));
        let status = node.subscription_status().await;
        assert_eq!(status["state"], "current", "{status}");
        assert_eq!(status["url"], format!("{}/registry", a.base));
        assert_eq!(status["members"], 1);
        assert_eq!(status["lastChange"]["added"], json!(["kpm"]));
        assert!(status["ageSecs"].as_u64().unwrap() <= 2, "{status}");
        assert!(status.get("lastError").is_none(), "{status}");
    }
    // Being a member's node makes A's host one B may fetch from, beside the configured one.
    let hosts = MemberHosts::new(b.store.clone(), vec![]);
    assert!(hosts.allows_host(&a.host));
    assert!(!hosts.allows_host("127.0.0.1:1"));

    // A second refresh with nothing new changes nothing (and writes no import).
    let summary = b.refresh().await.unwrap();
    assert!(summary.added.is_empty() && summary.updated.is_empty());
    assert_eq!(summary.unchanged, ["kpm"]);

    // The secretariat withdraws kpm: the next refresh brings the change to B.
    a.put_member(&member("kpm", &kpm_did, &a, "withdrawn"))
        .await;
    let summary = b.refresh().await.unwrap();
    assert_eq!(summary.updated, ["kpm"]);
    let held = b.store.get_member("kpm").unwrap().unwrap();
    assert_eq!(held.quality_assurance.status.name(), "withdrawn");

    // A goes down: B keeps the last good copy and says how old it is and why.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    a.stop().await;
    let err = b.refresh().await.unwrap_err();
    assert!(matches!(err, SubscriptionError::Fetch(_)), "{err}");
    assert!(err.to_string().contains(&a.base), "{err}");
    let status = b.subscription_status().await;
    assert_eq!(status["state"], "stale", "{status}");
    assert!(status["ageSecs"].as_u64().unwrap() >= 1, "{status}");
    assert!(status["lastSuccess"].is_string(), "{status}");
    assert!(
        status["lastError"]["error"]
            .as_str()
            .unwrap()
            .contains("could not fetch the registry"),
        "{status}"
    );
    let held = b
        .store
        .get_member("kpm")
        .unwrap()
        .expect("the last good copy stays");
    assert_eq!(held.quality_assurance.status.name(), "withdrawn");
    assert_eq!(
        b.subscription
            .as_ref()
            .unwrap()
            .status(b.service.now())
            .state,
        SubscriptionState::Stale
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_from_the_wrong_publisher_or_an_unlisted_host_is_refused() {
    let a = start(Setup::default()).await;
    let (kpm_did, _) = a.register("kpm", "MQF", "did-key");
    a.put_member(&member("kpm", &kpm_did, &a, "accredited"))
        .await;
    let url = format!("{}/registry", a.base);

    // Pinned to another publisher: the document is fetched, refused, and nothing is imported.
    let stranger = skillpass::keys::SecretKey::generate(&mut rand_core::OsRng)
        .public_key()
        .did_key();
    let d = start(Setup {
        subscribe: Some((url.clone(), stranger.clone())),
        ..Setup::default()
    })
    .await;
    let err = d.refresh().await.unwrap_err();
    assert!(matches!(err, SubscriptionError::Refused(_)), "{err}");
    assert!(err.to_string().contains(&stranger), "{err}");
    assert!(d.store.list_members().unwrap().is_empty());
    let status = d.subscription_status().await;
    assert_eq!(status["state"], "failing", "{status}");
    assert!(status.get("lastSuccess").is_none(), "{status}");

    // A subscription whose host is on no allow-list is refused by the fetcher before any
    // connection (the host is neither configured nor a member's).
    let e = start(Setup::default()).await;
    let sub = Subscription::new(&url, &a.publisher().await, Duration::from_secs(600));
    let err = sub.refresh(&e.service, &e.fetcher).await.unwrap_err();
    assert!(err.to_string().contains("not on the allow-list"), "{err}");
    assert!(e.store.list_members().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_issued_on_one_node_is_verified_and_recognised_on_the_others() {
    let (a, b, c, kpm_did, kpm_token) = alliance(Duration::from_secs(60)).await;
    b.refresh().await.unwrap();
    c.refresh().await.unwrap();
    let vc = a.issue(&kpm_token).await;
    assert_eq!(vc["issuer"]["id"], kpm_did);
    let list = vc["credentialStatus"]["statusListCredential"]
        .as_str()
        .or_else(|| vc["credentialStatus"][0]["statusListCredential"].as_str())
        .unwrap()
        .to_owned();
    assert!(list.starts_with(&a.base), "{list}");

    for node in [&b, &c] {
        let (status, report) = node.verify(&vc).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["verified"], true);
        // The issuer is a member in good standing per the subscribed registry: no warning.
        assert!(report.get("warnings").is_none(), "{report}");
        let sources = sources(&report);
        assert_eq!(sources.len(), 1, "{report}");
        assert_eq!(sources[0]["url"], list);
        assert_eq!(sources[0]["from"], "fetched", "{report}");
    }
    // Within the list's TTL the second check on B uses its cached copy, and says so.
    let (_, report) = b.verify(&vc).await;
    let sources = sources(&report);
    assert_eq!(sources[0]["from"], "cache", "{report}");
    assert!(sources[0]["ageSecs"].is_u64(), "{report}");

    // B's institution recognises it for EQF: authentic, issuer accredited (B's registry copy).
    let (_, b_token) = b.register("bpoly", "EQF", "did-key");
    let (status, answer) = b
        .call(
            Method::POST,
            "/recognitions",
            Some(&b_token),
            Some(&json!({"verifiableCredential": vc, "receivingFramework": "EQF"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let findings: Vec<&str> = answer["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["finding"].as_str())
        .collect();
    for finding in ["authentic", "issuer-accredited"] {
        assert!(findings.contains(&finding), "{finding}: {findings:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_on_the_issuing_node_reaches_the_others_once_the_ttl_has_passed() {
    let ttl = Duration::from_secs(1);
    let (a, b, _c, _, kpm_token) = alliance(ttl).await;
    b.refresh().await.unwrap();
    let vc = a.issue(&kpm_token).await;
    let (status, report) = b.verify(&vc).await;
    assert_eq!(status, StatusCode::OK, "{report}");

    let (status, body) = a
        .call(
            Method::POST,
            "/credentials/status",
            Some(&kpm_token),
            Some(&json!({"credentialId": vc["id"], "action": "revoke"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A sees it at once (own store)...
    let (status, report) = a.verify(&vc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(sources(&report)[0]["from"], "ownStore", "{report}");
    // ...and B once its copy of the list is older than the list's TTL.
    tokio::time::sleep(ttl + Duration::from_millis(300)).await;
    let (status, report) = b.verify(&vc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(report["verified"], false);
    assert_eq!(sources(&report)[0]["from"], "fetched", "{report}");
    let reasons = report.to_string();
    assert!(reasons.contains("revoked"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_issuing_node_down_the_others_never_answer_a_bare_genuine() {
    let ttl = Duration::from_secs(1);
    let (mut a, b, c, _, kpm_token) = alliance(ttl).await;
    // A second college on A signs with a did:key: its key needs no fetch, its status does.
    let (kdk_did, kdk_token) = a.register("kdk", "MQF", "did-key");
    a.put_member(&member("kdk", &kdk_did, &a, "accredited"))
        .await;
    b.refresh().await.unwrap();
    c.refresh().await.unwrap();
    let vc = a.issue(&kpm_token).await;
    let by_did_key = a.issue(&kdk_token).await;
    let (status, report) = b.verify(&vc).await;
    assert_eq!(status, StatusCode::OK, "{report}");

    a.stop().await;
    tokio::time::sleep(ttl + Duration::from_millis(300)).await;

    // B checked before: it answers from its last good copy, with its age and why.
    let (_, report) = b.verify(&vc).await;
    let notes = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "status")
        .map(|c| c["notes"].to_string())
        .unwrap_or_default();
    assert!(notes.contains("last good copy"), "{report}");
    let sources = sources(&report);
    assert_eq!(sources.len(), 1, "{report}");
    assert_eq!(sources[0]["from"], "stale", "{report}");
    assert!(sources[0]["ageSecs"].as_u64().unwrap() >= 1, "{report}");
    assert!(
        sources[0]["error"].as_str().unwrap().contains(&a.base),
        "{report}"
    );

    // C never reached A: it cannot check the status, and says so as an error, not a verdict.
    let (status, body) = c.verify(&vc).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.get("verified").is_none(), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("could not check"), "{message}");
    assert!(message.contains(&a.base), "{message}");
    // The did:key college's credential: its proof checks offline, its status cannot be.
    let (status, body) = c.verify(&by_did_key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.get("verified").is_none(), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("could not check the credential's status"),
        "{message}"
    );
}

/// A publisher's node that serves whatever document the test puts there.
async fn document_server(document: Arc<std::sync::Mutex<Value>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new().route(
        "/registry",
        axum::routing::get(move || {
            let document = document.lock().unwrap().clone();
            async move { axum::Json(document) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_snapshot_served_after_a_newer_one_is_refused_as_a_replay() {
    use skillpass::registry::{document::sign_registry, Member};
    let key = skillpass::keys::SecretKey::generate(&mut rand_core::OsRng);
    let publisher = key.public_key().did_key();
    let issuer = skillpass::keys::SecretKey::generate(&mut rand_core::OsRng)
        .public_key()
        .did_key();
    let members = |status: &str| -> Vec<Member> {
        vec![serde_json::from_value(json!({
            "id": "kpm",
            "name": "kpm polytechnic",
            "country": "MY",
            "dids": [issuer],
            "framework": "MQF",
            "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": status},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap()]
    };
    let now = chrono::Utc::now();
    // The older snapshot still has kpm accredited; the newer one withdrew it.
    let older = sign_registry(
        &members("accredited"),
        &key,
        now - chrono::Duration::days(2),
        chrono::Duration::days(30),
    )
    .unwrap();
    let newer = sign_registry(
        &members("withdrawn"),
        &key,
        now - chrono::Duration::days(1),
        chrono::Duration::days(30),
    )
    .unwrap();
    let served = Arc::new(std::sync::Mutex::new(newer));
    let base = document_server(served.clone()).await;
    let b = start(Setup {
        subscribe: Some((format!("{base}/registry"), publisher)),
        ..Setup::default()
    })
    .await;
    assert_eq!(b.refresh().await.unwrap().added, ["kpm"]);

    *served.lock().unwrap() = older;
    let err = b.refresh().await.unwrap_err();
    assert!(matches!(err, SubscriptionError::Refused(_)), "{err}");
    assert!(err.to_string().contains("replay"), "{err}");
    let held = b.store.get_member("kpm").unwrap().unwrap();
    assert_eq!(held.quality_assurance.status.name(), "withdrawn");
    assert_eq!(b.subscription_status().await["state"], "stale");
}

/// The status list's path on its node, and the did:web document's path.
fn fetched_paths(vc: &Value, node: &Node) -> (String, String) {
    let list = vc["credentialStatus"]["statusListCredential"]
        .as_str()
        .or_else(|| vc["credentialStatus"][0]["statusListCredential"].as_str())
        .unwrap();
    let list = list.strip_prefix(&node.base).unwrap().to_owned();
    (list, "/institutions/kpm/did.json".to_owned())
}

/// Verifies `vc` on `node` as its HTTP handlers do (fresh options per verification, the
/// verifier on a blocking thread); returns whether it verified.
async fn verify_on(node: &Node, vc: Arc<Value>) -> bool {
    let options = node.service.verify_options();
    tokio::task::spawn_blocking(move || skillpass::verify::verify(&vc, &options))
        .await
        .unwrap()
        .map(|r| r.verified)
        .unwrap_or(false)
}

/// A hundred verifications of A's credential start on C at once, with nothing cached: C
/// fetches A's status list once and its did:web document once (one fetch per URL at a time),
/// and every one of them verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_verifications_at_once_fetch_each_document_once() {
    let (a, _b, c, _, kpm_token) = alliance(Duration::from_secs(60)).await;
    c.refresh().await.unwrap();
    let vc = Arc::new(a.issue(&kpm_token).await);
    let (list, did) = fetched_paths(&vc, &a);
    assert_eq!((a.served(&list), a.served(&did)), (0, 0));
    let runs: Vec<_> = (0..100)
        .map(|_| {
            let vc = vc.clone();
            async { verify_on(&c, vc).await }
        })
        .collect();
    let results = futures_util::future::join_all(runs).await;
    assert!(results.iter().all(|ok| *ok), "{results:?}");
    assert_eq!(a.served(&list), 1, "status list fetches");
    assert_eq!(a.served(&did), 1, "did:web document fetches");
}

/// Issue 13, item 7: verifying another node's credentials with warm caches. Run it in release:
/// `cargo test --release --test nodes -- --ignored --nocapture warm_cache_throughput`.
/// Prints the rate on one and on two threads, and how often A was asked for each document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run in release with --ignored --nocapture"]
async fn warm_cache_throughput() {
    let (a, b, _c, _, kpm_token) = alliance(Duration::from_secs(60)).await;
    b.refresh().await.unwrap();
    // 64 credentials of A, all on one status list; B verifies each once to warm its caches.
    let mut vcs = Vec::new();
    for _ in 0..64 {
        vcs.push(Arc::new(a.issue(&kpm_token).await));
    }
    for vc in &vcs {
        assert!(verify_on(&b, vc.clone()).await);
    }
    let (list, did) = fetched_paths(&vcs[0], &a);
    let count: usize = std::env::var("NODES_BENCH_COUNT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    // The same credentials verified on A itself (own store, no fetch) for comparison.
    for (node, threads, label) in [
        (&a, 1usize, "own store"),
        (&b, 1, "warm caches"),
        (&b, 2, "warm caches"),
    ] {
        let started = std::time::Instant::now();
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let service = node.service.clone();
                let vcs = vcs.clone();
                let handle = tokio::runtime::Handle::current();
                std::thread::spawn(move || {
                    let _guard = handle.enter();
                    let mut ok = 0usize;
                    for i in (t..count).step_by(threads) {
                        let options = service.verify_options();
                        let report = skillpass::verify::verify(&vcs[i % vcs.len()], &options)
                            .expect("checked");
                        ok += usize::from(report.verified);
                    }
                    ok
                })
            })
            .collect();
        let ok: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(ok, count, "every verification holds");
        println!(
            "{label}, {threads} thread(s): {count} verifications in {secs:.2} s = {:.0}/s",
            count as f64 / secs
        );
    }
    println!(
        "A served the status list {} time(s) and the did:web document {} time(s)",
        a.served(&list),
        a.served(&did)
    );
    assert_eq!(a.served(&list), 1);
    assert_eq!(a.served(&did), 1);
}

/// A registry whose validity runs out while the publisher serves nothing newer: the node keeps
/// its members, refuses the expired document, and says the copy it holds has expired.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_copy_past_its_validity_is_reported_expired() {
    let key = skillpass::keys::SecretKey::generate(&mut rand_core::OsRng);
    let issuer = skillpass::keys::SecretKey::generate(&mut rand_core::OsRng)
        .public_key()
        .did_key();
    let member: skillpass::registry::Member = serde_json::from_value(json!({
        "id": "kpm",
        "name": "kpm polytechnic",
        "country": "MY",
        "dids": [issuer],
        "framework": "MQF",
        "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": "accredited"},
        "validFrom": "2020-01-01T00:00:00Z",
    }))
    .unwrap();
    // Valid from a second ago for five seconds (whole seconds: validFrom is truncated).
    let short = skillpass::registry::document::sign_registry(
        &[member],
        &key,
        chrono::Utc::now() - chrono::Duration::seconds(1),
        chrono::Duration::seconds(5),
    )
    .unwrap();
    let until: chrono::DateTime<chrono::Utc> =
        short["validUntil"].as_str().unwrap().parse().unwrap();
    let base = document_server(Arc::new(std::sync::Mutex::new(short))).await;
    let b = start(Setup {
        subscribe: Some((format!("{base}/registry"), key.public_key().did_key())),
        ..Setup::default()
    })
    .await;
    b.refresh().await.unwrap();
    assert_eq!(b.subscription_status().await["state"], "current");

    let left = (until - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(left + Duration::from_millis(500)).await;
    let err = b.refresh().await.unwrap_err();
    assert!(matches!(err, SubscriptionError::Refused(_)), "{err}");
    let status = b.subscription_status().await;
    assert_eq!(status["state"], "expired", "{status}");
    assert!(status["lastError"]["error"].is_string(), "{status}");
    assert!(b.store.get_member("kpm").unwrap().is_some());
}

/// A live node that is no member's: B refuses to fetch from it, says why, and the node never
/// hears from B — whether it is asked for a status list (did:key issuer) or a did:web document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_is_no_members_is_never_fetched_from() {
    let (_a, b, _c, _, _) = alliance(Duration::from_secs(60)).await;
    b.refresh().await.unwrap();
    let d = start(Setup::default()).await;
    let (_, key_token) = d.register("rogue", "MQF", "did-key");
    let (_, web_token) = d.register("rogueweb", "MQF", "did-web");
    for token in [key_token, web_token] {
        let vc = d.issue(&token).await;
        let (status, body) = b.verify(&vc).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.get("verified").is_none(), "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("could not check"), "{message}");
        assert!(
            message.contains(&format!("host {} is not on the allow-list", d.host)),
            "{message}"
        );
    }
    assert!(
        d.served_paths.lock().unwrap().is_empty(),
        "D was asked for {:?}",
        d.served_paths.lock().unwrap()
    );
}

/// Serves `document` as JSON at `/vc.json` on a loopback port of its own; answers the base URL
/// and the paths it was asked for.
async fn credential_server(
    document: Arc<std::sync::Mutex<Value>>,
) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let router = axum::Router::new()
        .route(
            "/vc.json",
            axum::routing::get(move || {
                let document = document.lock().unwrap().clone();
                async move { axum::Json(document) }
            }),
        )
        .layer(axum::middleware::map_request({
            let asked = asked.clone();
            move |req: Request<Body>| {
                asked.lock().unwrap().push(req.uri().path().to_owned());
                async move { req }
            }
        }));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, asked)
}

/// A passport on node P imports by its link a credential issued on node A and served from a
/// host P may fetch from: the import is verified (A's status list fetched from A); a tampered
/// copy, and the credential once A revoked it, are refused with the verifier's reasons; a link
/// to a host P may not fetch from is refused without being fetched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passport_imports_by_link_from_another_node_only_what_verifies() {
    use skillpass::passport::{account, held, PassportError};
    let ttl = Duration::from_secs(1);
    let (a, _b, _c, _, kpm_token) = alliance(ttl).await;
    let vc = a.issue(&kpm_token).await;
    let served = Arc::new(std::sync::Mutex::new(vc.clone()));
    let (files, asked) = credential_server(served.clone()).await;
    let files_host = files.trim_start_matches("http://").to_owned();
    let p = start(Setup {
        ttl,
        allow: vec![files_host],
        subscribe: Some((format!("{}/registry", a.base), a.publisher().await)),
    })
    .await;
    p.refresh().await.unwrap();
    let (passport, _) = account::create(&p.service, "learner-far", "a long enough passphrase 42")
        .await
        .unwrap();
    let link = format!("{files}/vc.json");

    // Genuine: imported, after P fetched the credential and A's status list.
    let list = vc["credentialStatus"]["statusListCredential"]
        .as_str()
        .or_else(|| vc["credentialStatus"][0]["statusListCredential"].as_str())
        .unwrap()
        .to_owned();
    let list_path = list.trim_start_matches(&a.base).to_owned();
    let before = a.served(&list_path);
    held::import_link(&passport, &p.service, &link)
        .await
        .unwrap();
    let held_now = passport.credentials(&p.service).unwrap();
    assert_eq!(held_now.len(), 1);
    assert_eq!(held_now[0].credential, vc);
    assert_eq!(held_now[0].source, "import");
    assert_eq!(asked.lock().unwrap().as_slice(), ["/vc.json"]);
    assert!(a.served(&list_path) > before, "A's status list was fetched");

    // Tampered on the way: refused with the reasons, nothing added.
    let mut tampered = vc.clone();
    tampered["credentialSubject"]["achievement"]["name"] = "Brain surgery".into();
    tampered["id"] = json!(format!("urn:uuid:{}", uuid::Uuid::new_v4()));
    *served.lock().unwrap() = tampered;
    match held::import_link(&passport, &p.service, &link).await {
        Err(PassportError::Refused(reasons)) => assert!(!reasons.is_empty()),
        other => panic!("a tampered credential was not refused: {other:?}"),
    }
    assert_eq!(passport.credentials(&p.service).unwrap().len(), 1);

    // Revoked on A: once P's copy of the list is past its TTL, refused as revoked.
    *served.lock().unwrap() = vc.clone();
    let (status, body) = a
        .call(
            Method::POST,
            "/credentials/status",
            Some(&kpm_token),
            Some(&json!({"credentialId": vc["id"], "action": "revoke"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    tokio::time::sleep(ttl + Duration::from_millis(300)).await;
    let (other, _) = account::create(&p.service, "learner-late", "a long enough passphrase 42")
        .await
        .unwrap();
    match held::import_link(&other, &p.service, &link).await {
        Err(PassportError::Refused(reasons)) => {
            assert!(reasons.join(" ").contains("revoked"), "{reasons:?}")
        }
        other => panic!("a revoked credential was not refused: {other:?}"),
    }
    assert!(other.credentials(&p.service).unwrap().is_empty());

    // A node P may not fetch from: refused, and never asked.
    let d = start(Setup::default()).await;
    let (_, d_token) = d.register("rogue", "MQF", "did-key");
    let rogue = d.issue(&d_token).await;
    let far = format!(
        "{}/verify/{}",
        d.base,
        rogue["id"].as_str().unwrap().replace(':', "%3A")
    );
    match held::import_link(&other, &p.service, &far).await {
        Err(PassportError::CannotCheck(why)) => assert!(
            why.contains(&format!("host {} is not on the allow-list", d.host)),
            "{why}"
        ),
        other => panic!("a link to a host not allowed was not refused: {other:?}"),
    }
    assert!(
        d.served_paths.lock().unwrap().is_empty(),
        "D was asked for {:?}",
        d.served_paths.lock().unwrap()
    );
    assert!(other.credentials(&p.service).unwrap().is_empty());
}
