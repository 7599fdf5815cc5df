//! Verifying another node's credentials: node A is a real skillpass HTTP service listening on a
//! loopback port; node B is a service that reads A's status lists and did:web documents through
//! the guarded fetcher (plain http allowed for loopback, as in tests only), and the CLI does the
//! same. Reports say where each status answer came from: fetched now, a cached copy with its
//! age, the last good copy when A is down (with its age and why), or "could not check".

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::fetch::{DocumentCache, FetchPolicy, Fetcher, StaticHosts};
use skillpass::http::{app, AppState, Limits};
use skillpass::proof::Cryptosuite;
use skillpass::registry::Member;
use skillpass::service::{token_hash, Clock, Issuance, NewInstitution, Service, SystemClock};
use skillpass::store::{Institution, MemoryStore, Store};
use skillpass::verify::{self, Origin, VerificationReport, VerifyError};
use tokio::net::TcpListener;
use tower::ServiceExt;

const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef0123456789";
/// Node A's lists say: keep me 30 s.
const TTL: Duration = Duration::from_secs(30);

/// A clock the test moves by hand (node B's cache).
struct HandClock(Mutex<DateTime<Utc>>);

impl HandClock {
    fn advance(&self, secs: i64) {
        *self.0.lock().unwrap() += chrono::Duration::seconds(secs);
    }
}

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Node A: a listening service with a did:key and a did:web institution.
struct NodeA {
    service: Arc<Service>,
    host: String,
    url: String,
    key_college: Institution,
    web_college: Institution,
    /// Requests A answered for its status lists.
    list_reads: Arc<AtomicUsize>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl NodeA {
    async fn start() -> NodeA {
        Self::start_with_ttl(TTL).await
    }

    async fn start_with_ttl(ttl: Duration) -> NodeA {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let url = format!("http://{host}");
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let service =
            Arc::new(Service::new(store, &url, Arc::new(SystemClock)).with_status_list_ttl(ttl));
        let register = |id: &str, method: &str| {
            let new: NewInstitution = serde_json::from_value(json!({
                "id": id,
                "name": format!("{id} vocational college"),
                "country": "MY",
                "framework": "MQF",
                "didMethod": method,
            }))
            .unwrap();
            service.register_institution(new, "test").unwrap().0
        };
        let key_college = register("perabot", "did-key");
        let web_college = register("webcollege", "did-web");
        let state = AppState {
            service: service.clone(),
            admin_token_hash: token_hash(ADMIN_TOKEN),
            wallet: Default::default(),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let list_reads = Arc::new(AtomicUsize::new(0));
        let counter = list_reads.clone();
        let router = app(state, Limits::default()).layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                if request.uri().path().starts_with("/status/") {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                next.run(request)
            },
        ));
        let server = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        NodeA {
            service,
            host,
            url,
            key_college,
            web_college,
            list_reads,
            stop: Some(stop),
            server: Some(server),
        }
    }

    async fn issue(&self, institution: &Institution) -> Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records/my-diploma-furniture-production.json");
        let mut record: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        record.as_object_mut().unwrap().remove("recordId");
        self.service
            .issue_record(
                institution,
                &record,
                Issuance {
                    suite: Cryptosuite::EddsaRdfc2022,
                    suspendable: false,
                },
            )
            .await
            .unwrap()
            .credential
    }

    async fn revoke(&self, credential: &Value) {
        let id = credential["id"].as_str().unwrap();
        let owner = self.service.credential(id).unwrap().institution;
        let institution = self.service.institution(&owner).unwrap();
        self.service
            .set_status(&institution, id, skillpass::service::StatusAction::Revoke)
            .await
            .unwrap();
    }

    /// Stops listening and closes every connection (idle keep-alive ones too).
    async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).unwrap();
        }
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(10), server)
                .await
                .expect("node A stops")
                .unwrap();
        }
    }

    fn members(&self) -> Vec<Member> {
        [&self.key_college, &self.web_college]
            .iter()
            .map(|i| {
                serde_json::from_value(json!({
                    "id": i.id,
                    "name": i.name,
                    "country": i.country,
                    "dids": [i.did],
                    "nodes": [self.url],
                    "framework": i.framework,
                    "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": "accredited"},
                    "validFrom": "2020-01-01T00:00:00Z",
                }))
                .unwrap()
            })
            .collect()
    }
}

/// Node B: its own store (A's institutions are registry members there), reading other nodes
/// through a cache on a hand clock, allowed to fetch from `hosts`.
fn node_b(a: &NodeA, hosts: Vec<String>, fetching: bool) -> (Arc<Service>, Arc<HandClock>) {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    for member in a.members() {
        store.put_member(&member).unwrap();
    }
    let clock = Arc::new(HandClock(Mutex::new(Utc::now())));
    let mut service = Service::new(store, "https://node-b.test", Arc::new(SystemClock));
    if fetching {
        let policy = FetchPolicy {
            allow_http_loopback: true,
            ..FetchPolicy::default()
        };
        let fetcher = Fetcher::new(policy, Arc::new(StaticHosts(hosts))).unwrap();
        service = service.with_document_cache(DocumentCache::new(fetcher, 64, clock.clone()));
    }
    (Arc::new(service), clock)
}

/// Verifies as node B's handlers do: options from the service, the verifier on a blocking thread.
async fn verify_on(
    b: &Arc<Service>,
    credential: &Value,
) -> Result<VerificationReport, VerifyError> {
    let options = b.verify_options();
    let credential = credential.clone();
    tokio::task::spawn_blocking(move || verify::verify(&credential, &options))
        .await
        .unwrap()
}

fn list_url(credential: &Value) -> String {
    credential["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn status_reasons(report: &VerificationReport) -> Vec<String> {
    report
        .check(verify::CheckName::Status)
        .expect("a status check")
        .reasons
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_nodes_credential_verifies_and_the_report_says_where_the_status_came_from() {
    let mut a = NodeA::start().await;
    let good = a.issue(&a.key_college).await;
    let to_revoke = a.issue(&a.key_college).await;
    assert_eq!(list_url(&good), list_url(&to_revoke), "one list for both");
    let (b, clock) = node_b(&a, vec![a.host.clone()], true);

    // First look: fetched from A now.
    let report = verify_on(&b, &good).await.unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    assert_eq!(report.sources.len(), 1, "{:?}", report.sources);
    assert_eq!(report.sources[0].url, list_url(&good));
    assert!(
        matches!(report.sources[0].origin, Origin::Fetched { .. }),
        "{:?}",
        report.sources
    );
    let fetched_at = report.sources[0].origin.as_of(Utc::now()).unwrap();
    assert_eq!(a.list_reads.load(Ordering::SeqCst), 1);

    // Ten seconds later: the same list from the cache, with its age; A is not asked again.
    clock.advance(10);
    let report = verify_on(&b, &to_revoke).await.unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    assert_eq!(
        report.sources[0].origin,
        Origin::Cache {
            fetched_at,
            age_secs: 10
        }
    );
    assert_eq!(
        a.list_reads.load(Ordering::SeqCst),
        1,
        "A is not asked again"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["sources"][0]["from"], "cache", "{json}");
    assert_eq!(json["sources"][0]["ageSecs"], 10, "{json}");

    // A revokes. Within the list's ttl B still answers from its copy; once the ttl has passed
    // B reads the list again and sees the revocation.
    a.revoke(&to_revoke).await;
    clock.advance(5);
    let report = verify_on(&b, &to_revoke).await.unwrap();
    assert!(report.verified, "within the ttl: {:?}", report.sources);
    assert!(matches!(
        report.sources[0].origin,
        Origin::Cache { age_secs: 15, .. }
    ));
    clock.advance(TTL.as_secs() as i64);
    let report = verify_on(&b, &to_revoke).await.unwrap();
    assert!(!report.verified);
    assert_eq!(status_reasons(&report), vec!["revoked by its issuer"]);
    assert!(matches!(report.sources[0].origin, Origin::Fetched { .. }));
    assert_eq!(a.list_reads.load(Ordering::SeqCst), 2);
    let refetched_at = report.sources[0].origin.as_of(Utc::now()).unwrap();

    // A goes down. Past the ttl, B gives its last good copy, with its age and why, never a
    // bare answer; the revoked credential stays revoked.
    a.stop().await;
    clock.advance(TTL.as_secs() as i64 + 20);
    let report = verify_on(&b, &good).await.unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    match &report.sources[0].origin {
        Origin::Stale {
            fetched_at,
            age_secs,
            error,
        } => {
            assert_eq!(*fetched_at, refetched_at);
            assert_eq!(*age_secs, TTL.as_secs() + 20);
            assert!(error.contains(&a.host), "{error}");
        }
        other => panic!("expected a stale copy, got {other:?}"),
    }
    let notes = &report.check(verify::CheckName::Status).unwrap().notes;
    assert!(
        notes.len() == 1 && notes[0].contains("last good copy") && notes[0].contains("s ago"),
        "{notes:?}"
    );
    let report = verify_on(&b, &to_revoke).await.unwrap();
    assert_eq!(status_reasons(&report), vec!["revoked by its issuer"]);
    assert!(matches!(report.sources[0].origin, Origin::Stale { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_cannot_be_read_is_could_not_check_not_invalid() {
    let mut a = NodeA::start().await;
    let credential = a.issue(&a.key_college).await;

    // B may not fetch from A's host: refused before any connection, with the reason.
    let (b, _) = node_b(&a, vec!["other.example".into()], true);
    let err = verify_on(&b, &credential).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, VerifyError::Status(_)), "{text}");
    assert!(
        text.contains("could not check the credential's status"),
        "{text}"
    );
    assert!(text.contains("allow-list"), "{text}");

    // B fetches nothing at all (no document cache): could not check, as before.
    let (b, _) = node_b(&a, Vec::new(), false);
    let err = verify_on(&b, &credential).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("not set up to fetch other nodes' lists"),
        "{err}"
    );

    // A is down and B never had a copy: could not check, naming the list and the failure.
    let (b, _) = node_b(&a, vec![a.host.clone()], true);
    a.stop().await;
    let err = verify_on(&b, &credential).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("could not fetch the status list"), "{text}");
    assert!(text.contains(&list_url(&credential)), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_did_web_issuer_of_another_node_resolves_through_its_did_document() {
    let a = NodeA::start().await;
    let credential = a.issue(&a.web_college).await;
    assert!(a.web_college.did.starts_with("did:web:127.0.0.1%3A"));
    let (b, _) = node_b(&a, vec![a.host.clone()], true);
    let report = verify_on(&b, &credential).await.unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    assert!(report.check(verify::CheckName::Trust).unwrap().verified);

    // Without the fetcher, the did:web key of another node cannot be resolved: could not check.
    let (b, _) = node_b(&a, Vec::new(), false);
    let err = verify_on(&b, &credential).await.unwrap_err();
    assert!(matches!(err, VerifyError::Proof(_)), "{err}");
}

/// `POST /credentials/verify` on node B shows the sources; an unreadable list is a 422 error
/// envelope, not a report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_verify_answer_carries_the_sources() {
    let mut a = NodeA::start().await;
    let credential = a.issue(&a.key_college).await;
    let (b, _) = node_b(&a, vec![a.host.clone()], true);
    let router = app(
        AppState {
            service: b.clone(),
            admin_token_hash: token_hash(ADMIN_TOKEN),
            wallet: Default::default(),
        },
        Limits::default(),
    );
    let post = |router: axum::Router, body: Value| async move {
        let request = Request::post("/credentials/verify")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice::<Value>(&bytes).unwrap())
    };
    let (status, answer) = post(router.clone(), json!({"verifiableCredential": credential})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["sources"][0]["url"],
        list_url(&credential),
        "{answer}"
    );
    assert_eq!(answer["sources"][0]["from"], "fetched", "{answer}");
    assert!(answer["sources"][0]["at"].is_string(), "{answer}");

    // A credential of a list B never read, with A down: could not check (422, an error).
    let other = a.issue(&a.web_college).await;
    a.stop().await;
    let (status, answer) = post(router, json!({"verifiableCredential": other})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer.get("verified").is_none(),
        "an error, not a report: {answer}"
    );
    assert!(answer.to_string().contains("could not"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_status_lists_say_how_long_to_keep_them() {
    let a = NodeA::start().await;
    let credential = a.issue(&a.key_college).await;
    let url = list_url(&credential);
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[reqwest::header::CACHE_CONTROL],
        "public, max-age=30"
    );
    let list: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(list["credentialSubject"]["ttl"], 30_000);
    // The ttl is signed with the list: it still verifies (and so does the credential, offline).
    let mut lists = verify::LocalStatusLists::default();
    lists.0.insert(url, list);
    let mut options = verify::VerifyOptions::new(Utc::now());
    options.status_lists = Some(Arc::new(lists));
    let report = verify::verify(&credential, &options).unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    assert!(matches!(report.sources[0].origin, Origin::Given));

    // A's employer page reads its own records, and says so under the verdict.
    for member in a.members() {
        a.service.store().put_member(&member).unwrap();
    }
    let page_url = a
        .service
        .verify_page_url(credential["id"].as_str().unwrap());
    // In English (without a preference the page is in the issuer's language).
    let page = reqwest::get(format!("{page_url}?lang=en"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1 id=\"verdict\">Genuine</h1>"), "{page}");
    assert!(
        page.contains("Status checked in the issuer&#39;s own records on this service."),
        "{page}"
    );
}

fn skillpass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        skillpass(&args)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_fetches_with_the_same_rules_unless_offline() {
    let a = NodeA::start().await;
    let credential = a.issue(&a.key_college).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credential.json");
    std::fs::write(&file, credential.to_string()).unwrap();
    let file = file.to_str().unwrap().to_owned();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v = vec!["verify".to_owned()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.push(file.clone());
        v
    };
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // Allowed host (and plain http to loopback, as tests only may): fetched, exit 0.
    let out = run(args(&["--allow-host", &a.host, "--allow-http-loopback"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sources"][0]["from"], "fetched", "{report}");

    // Not on the allow-list: could not check (exit 2), saying why, nothing on stdout.
    let out = run(args(&["--allow-http-loopback"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("allow-list"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    // Without the test switch a loopback node is refused (address, then plain http).
    let out = run(args(&["--allow-host", &a.host])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refused: 127.0.0.1 is a loopback address"),
        "{}",
        stderr(&out)
    );

    // --offline fetches nothing; a --status-list file is used instead (and wins when fetching).
    let out = run(args(&[
        "--offline",
        "--allow-host",
        &a.host,
        "--allow-http-loopback",
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("status"), "{}", stderr(&out));
    let list = reqwest::get(list_url(&credential))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let list_file = dir.path().join("list.json");
    std::fs::write(&list_file, list).unwrap();
    let list_file = list_file.to_str().unwrap();
    for extra in [
        vec!["--offline", "--status-list", list_file],
        vec!["--status-list", list_file],
    ] {
        let out = run(args(&extra)).await;
        assert_eq!(out.status.code(), Some(0), "{extra:?}: {}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["sources"][0]["from"], "given", "{report}");
    }

    // recognise: the registry's members' node hosts are allowed without --allow-host.
    let registry = dir.path().join("registry.json");
    let members: Vec<Value> = a
        .members()
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    std::fs::write(&registry, json!({ "members": members }).to_string()).unwrap();
    let out = run(vec![
        "recognise".into(),
        "--json".into(),
        "--for".into(),
        "MQF".into(),
        "--registry".into(),
        registry.to_str().unwrap().into(),
        "--allow-http-loopback".into(),
        file.clone(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["decision"]["outcome"], "recognised", "{answer}");
    assert_eq!(answer["verification"]["sources"][0]["from"], "fetched");
}

/// Warm-cache throughput of verifying another node's credentials, and how often the list is
/// fetched under that load (node A's lists say `ttl` 1 s here). A measurement, not a check of
/// this machine's speed: run it in release,
/// `cargo test --release --test verify_remote -- --ignored --nocapture warm_cache`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn warm_cache_throughput() {
    let a = NodeA::start_with_ttl(Duration::from_secs(1)).await;
    let mut credentials = Vec::new();
    for _ in 0..20 {
        credentials.push(a.issue(&a.key_college).await);
    }
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    for member in a.members() {
        store.put_member(&member).unwrap();
    }
    let policy = FetchPolicy {
        allow_http_loopback: true,
        ..FetchPolicy::default()
    };
    let fetcher = Fetcher::new(policy, Arc::new(StaticHosts(vec![a.host.clone()]))).unwrap();
    let b = Arc::new(
        Service::new(store, "https://node-b.test", Arc::new(SystemClock))
            .with_document_cache(DocumentCache::new(fetcher, 64, Arc::new(SystemClock))),
    );
    assert!(verify_on(&b, &credentials[0]).await.unwrap().verified);
    let threads = 2;
    let per_thread: usize = std::env::var("VERIFY_REMOTE_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let reads_before = a.list_reads.load(Ordering::SeqCst);
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for t in 0..threads {
        let options: Vec<_> = (0..per_thread).map(|_| b.verify_options()).collect();
        let credentials = credentials.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut sources = std::collections::BTreeMap::<String, usize>::new();
            for (i, options) in options.iter().enumerate() {
                let report =
                    verify::verify(&credentials[(i + t) % credentials.len()], options).unwrap();
                assert!(report.verified, "{:?}", report.reasons());
                let from = serde_json::to_value(&report.sources[0]).unwrap()["from"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                *sources.entry(from).or_default() += 1;
            }
            sources
        }));
    }
    let mut sources = std::collections::BTreeMap::<String, usize>::new();
    for task in tasks {
        for (from, n) in task.await.unwrap() {
            *sources.entry(from).or_default() += n;
        }
    }
    let elapsed = started.elapsed();
    let reads = a.list_reads.load(Ordering::SeqCst) - reads_before;
    let total = threads * per_thread;
    println!(
        "verified {total} credentials of another node on {threads} threads in {:.2} s: {:.0}/s; \
         list answered by node A {reads} times ({:.1} s at ttl 1 s); sources {sources:?}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    // At most one fetch per list per ttl, however many verifications run meanwhile.
    assert!(
        reads as f64 <= elapsed.as_secs_f64().ceil() + 1.0,
        "{reads} fetches in {elapsed:?}"
    );
}
