//! The guarded fetcher and its cache, against real listeners on loopback.
//!
//! Each test server counts the connections it accepts, so a refusal is shown to have happened
//! before any connection: after the refused fetch a sentinel connection is made and must be the
//! listener's first. Everything runs offline (IP literals, `localhost`, and an injected
//! resolver for names that resolve to private addresses).

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use skillpass::did::{DidError, DidResolver};
use skillpass::fetch::{
    DocumentCache, DocumentKind, FetchError, FetchPolicy, Fetcher, RemoteDidResolver,
    RemoteStatusLists, Resolve, Source, StaticHosts,
};
use skillpass::keys::SecretKey;
use skillpass::service::Clock;
use skillpass::verify::{Origin, StatusLists};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

// ---------------------------------------------------------------------------------------------
// A small HTTP/1.1 server that counts connections and requests.

/// What the server answers to one request.
#[derive(Clone)]
enum Reply {
    /// A complete response.
    Body {
        status: u16,
        content_type: Option<&'static str>,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// `302 Found` to the location.
    Redirect(String),
    /// Waits, then answers.
    After(Duration, Box<Reply>),
    /// Answers once a permit is available (the test releases it).
    Gated(Arc<Semaphore>, Box<Reply>),
    /// Declares a body of this many bytes and sends a few.
    Declared(u64),
    /// A JSON body that never ends (no length; the connection would close it).
    Endless,
    /// Sends the headers, then a byte of body now and then.
    Trickle,
}

fn json_reply(content_type: &'static str, body: &Value) -> Reply {
    Reply::Body {
        status: 200,
        content_type: Some(content_type),
        headers: Vec::new(),
        body: serde_json::to_vec(body).unwrap(),
    }
}

type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

struct Server {
    addr: SocketAddr,
    connections: watch::Receiver<usize>,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, Arc::new(handler))
    }

    fn serve(listener: TcpListener, handler: Handler) -> Server {
        let addr = listener.local_addr().unwrap();
        let (count, connections) = watch::channel(0usize);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                count.send_modify(|n| *n += 1);
                let handler = handler.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let _ = answer(stream, handler, seen).await;
                });
            }
        });
        Server {
            addr,
            connections,
            requests,
            task,
        }
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn host(&self) -> String {
        self.addr.to_string()
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn requests_for(&self, path: &str) -> usize {
        self.requests().iter().filter(|p| *p == path).count()
    }

    /// Asserts no connection reached the listener so far: a sentinel connection is made and
    /// must be the first one the listener accepts.
    async fn assert_no_connections(&self) {
        let before = *self.connections.borrow();
        let _sentinel = TcpStream::connect(self.addr).await.unwrap();
        let mut seen = self.connections.clone();
        let after = *seen.wait_for(|n| *n > before).await.unwrap();
        assert_eq!(
            (before, after),
            (0, 1),
            "the forbidden listener was connected to"
        );
    }

    fn stop(&self) {
        self.task.abort();
    }
}

async fn answer(
    mut stream: TcpStream,
    handler: Handler,
    seen: Arc<Mutex<Vec<String>>>,
) -> io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 2048];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split(' ').nth(1).unwrap_or("/").to_owned();
    seen.lock().unwrap().push(path.clone());
    let mut reply = handler(&path);
    loop {
        match reply {
            Reply::After(delay, next) => {
                tokio::time::sleep(delay).await;
                reply = *next;
            }
            Reply::Gated(gate, next) => {
                gate.acquire().await.unwrap().forget();
                reply = *next;
            }
            _ => break,
        }
    }
    match reply {
        Reply::Body {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(t) = content_type {
                head.push_str(&format!("Content-Type: {t}\r\n"));
            }
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Reply::Redirect(location) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
        }
        Reply::Declared(length) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{{\"a\":\""
            );
            stream.write_all(head.as_bytes()).await?;
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"a\":\"";
            stream.write_all(head.as_bytes()).await?;
            let chunk = vec![b'a'; 64 * 1024];
            loop {
                stream.write_all(&chunk).await?;
            }
        }
        Reply::Trickle => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n{";
            stream.write_all(head.as_bytes()).await?;
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                stream.write_all(b" ").await?;
            }
        }
        Reply::After(..) | Reply::Gated(..) => unreachable!(),
    }
    stream.shutdown().await
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn test_mode() -> FetchPolicy {
    FetchPolicy {
        allow_http_loopback: true,
        ..FetchPolicy::default()
    }
}

fn hosts(list: &[String]) -> Arc<StaticHosts> {
    Arc::new(StaticHosts(list.to_vec()))
}

fn fetcher(policy: FetchPolicy, allowed: &[String]) -> Fetcher {
    Fetcher::new(policy, hosts(allowed)).unwrap()
}

/// A resolver answering from a table, never from DNS.
fn table(entries: &[(&str, &[&str])]) -> Resolve {
    let map: HashMap<String, Vec<IpAddr>> = entries
        .iter()
        .map(|(name, addrs)| {
            (
                name.to_string(),
                addrs.iter().map(|a| a.parse().unwrap()).collect(),
            )
        })
        .collect();
    Arc::new(move |name: &str| {
        map.get(name)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{name}: unknown")))
    })
}

fn list_doc(ttl_ms: Option<u64>) -> Value {
    let mut subject = json!({"type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": "uH4sI"});
    if let Some(ttl) = ttl_ms {
        subject["ttl"] = json!(ttl);
    }
    json!({"type": ["VerifiableCredential", "BitstringStatusListCredential"], "credentialSubject": subject})
}

/// A clock the test moves by hand.
struct HandClock(Mutex<DateTime<Utc>>);

impl HandClock {
    fn new() -> Arc<HandClock> {
        Arc::new(HandClock(Mutex::new(
            Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap(),
        )))
    }

    fn advance(&self, secs: i64) {
        *self.0.lock().unwrap() += chrono::Duration::seconds(secs);
    }
}

impl Clock for HandClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// Address rules.

#[tokio::test]
async fn loopback_and_private_addresses_are_refused_with_no_connection() {
    let server = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
    let port = server.port();
    // Allowed by the host list, so only the address rule can refuse.
    let allowed = [
        format!("127.0.0.1:{port}"),
        format!("[::ffff:7f00:1]:{port}"),
        format!("0.0.0.0:{port}"),
        format!("10.0.0.7:{port}"),
        format!("169.254.169.254:{port}"),
    ];
    let strict = fetcher(FetchPolicy::default(), &allowed);
    for url in [
        format!("https://127.0.0.1:{port}/list"),
        format!("https://2130706433:{port}/list"),
        format!("https://0x7f.0.0.1:{port}/list"),
        format!("https://[::ffff:127.0.0.1]:{port}/list"),
        format!("https://0.0.0.0:{port}/list"),
        format!("https://10.0.0.7:{port}/list"),
        format!("https://169.254.169.254:{port}/list"),
    ] {
        let err = strict
            .get(&url, DocumentKind::StatusList)
            .await
            .unwrap_err();
        assert!(
            matches!(err, FetchError::ForbiddenAddress { .. }),
            "{url}: {err}"
        );
        assert!(err.to_string().contains("refused"), "{err}");
    }
    // Without the test mode plain http to loopback is refused too (by its address first).
    let err = strict
        .get(&server.url("/list"), DocumentKind::StatusList)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::ForbiddenAddress { .. }), "{err}");
    let err = strict
        .get(
            &format!("http://localhost:{port}/list"),
            DocumentKind::StatusList,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::NotHttps { .. }), "{err}");
    // Even the test mode allows loopback only as the URL names it: not 0.0.0.0 (which Linux
    // routes to the local host), not an IPv4-mapped spelling.
    let tests = fetcher(test_mode(), &allowed);
    for url in [
        format!("http://0.0.0.0:{port}/list"),
        format!("http://[::ffff:127.0.0.1]:{port}/list"),
        format!("http://10.0.0.7:{port}/list"),
    ] {
        let err = tests.get(&url, DocumentKind::StatusList).await.unwrap_err();
        assert!(
            matches!(
                err,
                FetchError::ForbiddenAddress { .. } | FetchError::NotHttps { .. }
            ),
            "{url}: {err}"
        );
    }
    server.assert_no_connections().await;
}

#[tokio::test]
async fn the_test_mode_reaches_loopback_over_plain_http() {
    let server = Server::start(|_| json_reply("application/vc", &list_doc(Some(5000)))).await;
    let fetcher = fetcher(
        test_mode(),
        &[server.host(), format!("localhost:{}", server.port())],
    );
    let fetched = fetcher
        .get(&server.url("/list"), DocumentKind::StatusList)
        .await
        .unwrap();
    assert_eq!(fetched.document, list_doc(Some(5000)));
    assert_eq!(fetched.url, server.url("/list"));
    // `localhost` through the system resolver (/etc/hosts), which may answer ::1 as well.
    let fetched = fetcher
        .get(
            &format!("http://localhost:{}/list", server.port()),
            DocumentKind::StatusList,
        )
        .await
        .unwrap();
    assert_eq!(fetched.document, list_doc(Some(5000)));
    assert_eq!(server.requests_for("/list"), 2);
    // Plain http to anything but loopback stays refused, before any connection.
    let err = fetcher
        .get("http://93.184.216.34/list", DocumentKind::StatusList)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::NotHttps { .. }), "{err}");
}

#[tokio::test]
async fn a_name_resolving_to_a_private_address_is_refused_with_no_connection() {
    let server = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
    let port = server.port();
    let resolve = table(&[
        ("member.test", &["127.0.0.1"]),
        ("mixed.test", &["93.184.216.34", "10.0.0.5"]),
        ("v6.test", &["::1"]),
        ("localhost", &["127.0.0.1"]),
    ]);
    let allowed: Vec<String> = ["member.test", "mixed.test", "v6.test", "localhost"]
        .iter()
        .map(|h| format!("{h}:{port}"))
        .collect();
    let fetcher = Fetcher::with_resolver(test_mode(), hosts(&allowed), resolve).unwrap();
    for (url, address) in [
        (format!("https://member.test:{port}/list"), "127.0.0.1"),
        (format!("https://mixed.test:{port}/list"), "10.0.0.5"),
        (format!("https://v6.test:{port}/list"), "::1"),
    ] {
        let err = fetcher
            .get(&url, DocumentKind::StatusList)
            .await
            .unwrap_err();
        match &err {
            FetchError::ForbiddenAddress { address: a, .. } => assert_eq!(a, address, "{url}"),
            other => panic!("{url}: {other}"),
        }
    }
    // A name is not a loopback address: no plain http for it even in the test mode.
    let err = fetcher
        .get(
            &format!("http://member.test:{port}/list"),
            DocumentKind::StatusList,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::NotHttps { .. }), "{err}");
    server.assert_no_connections().await;
    // The injected resolver is the one used: `localhost` from the table connects.
    let fetched = fetcher
        .get(
            &format!("http://localhost:{port}/list"),
            DocumentKind::StatusList,
        )
        .await
        .unwrap();
    assert_eq!(fetched.document, list_doc(None));
}

#[tokio::test]
async fn a_host_not_on_the_allow_list_is_refused_with_no_connection() {
    let server = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
    let fetcher = fetcher(
        test_mode(),
        &[
            "127.0.0.1".to_owned(),
            format!("127.0.0.1:{}", server.port() as u32 + 1),
        ],
    );
    let err = fetcher
        .get(&server.url("/list"), DocumentKind::StatusList)
        .await
        .unwrap_err();
    match &err {
        FetchError::HostNotAllowed { host, .. } => assert_eq!(host, &server.host()),
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("allow-list"), "{err}");
    server.assert_no_connections().await;
}

// ---------------------------------------------------------------------------------------------
// Redirects.

#[tokio::test]
async fn redirects_are_checked_hop_by_hop() {
    let target = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
    let tp = target.port();
    let locations: HashMap<&str, String> = HashMap::from([
        ("/to-unspecified", format!("http://0.0.0.0:{tp}/list")),
        ("/to-mapped", format!("http://[::ffff:127.0.0.1]:{tp}/list")),
        ("/to-rebound-name", format!("https://rebind.test:{tp}/list")),
        ("/to-unlisted", format!("http://127.0.0.1:{tp}/list")),
        (
            "/to-metadata",
            "http://169.254.169.254/latest/meta-data/".to_owned(),
        ),
        ("/to-file", "file:///etc/passwd".to_owned()),
        ("/loop", "/loop".to_owned()),
        ("/hop", "/list".to_owned()),
    ]);
    let origin = Server::start(move |path| match locations.get(path) {
        Some(location) => Reply::Redirect(location.clone()),
        None => json_reply("application/vc", &list_doc(Some(1000))),
    })
    .await;
    let allowed = vec![
        origin.host(),
        format!("0.0.0.0:{tp}"),
        format!("[::ffff:7f00:1]:{tp}"),
        format!("rebind.test:{tp}"),
        "169.254.169.254".to_owned(),
    ];
    let fetcher = Fetcher::with_resolver(
        test_mode(),
        hosts(&allowed),
        table(&[("rebind.test", &["127.0.0.1"])]),
    )
    .unwrap();
    let get = |path: &str| {
        let (url, fetcher) = (origin.url(path), &fetcher);
        async move { fetcher.get(&url, DocumentKind::StatusList).await }
    };
    for path in [
        "/to-unspecified",
        "/to-mapped",
        "/to-rebound-name",
        "/to-metadata",
    ] {
        let err = get(path).await.unwrap_err();
        assert!(
            matches!(err, FetchError::ForbiddenAddress { .. }),
            "{path}: {err}"
        );
    }
    let err = get("/to-unlisted").await.unwrap_err();
    assert!(matches!(err, FetchError::HostNotAllowed { .. }), "{err}");
    let err = get("/to-file").await.unwrap_err();
    assert!(matches!(err, FetchError::NotHttps { .. }), "{err}");
    target.assert_no_connections().await;

    // A redirect within the allowed host is followed; the final URL is reported.
    let fetched = get("/hop").await.unwrap();
    assert_eq!(fetched.url, origin.url("/list"));
    assert_eq!(fetched.document, list_doc(Some(1000)));

    // Three redirects are followed, the fourth is refused.
    let err = get("/loop").await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { max: 3, .. }),
        "{err}"
    );
    assert_eq!(origin.requests_for("/loop"), 4);
}

// ---------------------------------------------------------------------------------------------
// Size, time, media type, status.

#[tokio::test]
async fn a_response_larger_than_the_limit_is_refused() {
    let limit = 64 * 1024u64;
    // A JSON object of exactly `limit` bytes, and one byte more.
    let exact = format!("{{\"a\":\"{}\"}}", "x".repeat(limit as usize - 8)).into_bytes();
    assert_eq!(exact.len() as u64, limit);
    let over = format!("{{\"a\":\"{}\"}}", "x".repeat(limit as usize - 7)).into_bytes();
    let server = Server::start(move |path| {
        let body = |b: &Vec<u8>| Reply::Body {
            status: 200,
            content_type: Some("application/json"),
            headers: Vec::new(),
            body: b.clone(),
        };
        match path {
            "/exact" => body(&exact),
            "/over" => body(&over),
            "/declared" => Reply::Declared(50 * 1024 * 1024),
            _ => Reply::Endless,
        }
    })
    .await;
    let policy = FetchPolicy {
        max_bytes: limit,
        ..test_mode()
    };
    let fetcher = fetcher(policy, &[server.host()]);
    let get = |path: &str| {
        let (url, fetcher) = (server.url(path), &fetcher);
        async move { fetcher.get(&url, DocumentKind::Registry).await }
    };
    assert!(get("/exact").await.is_ok());
    for path in ["/over", "/declared", "/endless"] {
        let err = get(path).await.unwrap_err();
        assert!(
            matches!(err, FetchError::TooLarge { max_bytes, .. } if max_bytes == limit),
            "{path}: {err}"
        );
    }
}

#[tokio::test]
async fn a_slow_server_runs_into_the_total_timeout() {
    let server = Server::start(|path| match path {
        "/slow" => Reply::After(
            Duration::from_secs(10),
            Box::new(json_reply("application/vc", &list_doc(None))),
        ),
        _ => Reply::Trickle,
    })
    .await;
    let policy = FetchPolicy {
        total_timeout: Duration::from_secs(1),
        ..test_mode()
    };
    let fetcher = fetcher(policy, &[server.host()]);
    for path in ["/slow", "/trickle"] {
        let started = Instant::now();
        let err = fetcher
            .get(&server.url(path), DocumentKind::StatusList)
            .await
            .unwrap_err();
        let took = started.elapsed();
        assert!(matches!(err, FetchError::Timeout { .. }), "{path}: {err}");
        assert!(err.is_unavailable());
        assert!(took < Duration::from_secs(4), "{path}: took {took:?}");
    }
}

#[tokio::test]
async fn media_types_status_and_json_are_checked() {
    let did_doc = json!({"id": "did:web:x"});
    let server = Server::start(move |path| {
        let reply = |status: u16, content_type: Option<&'static str>, body: &[u8]| Reply::Body {
            status,
            content_type,
            headers: Vec::new(),
            body: body.to_vec(),
        };
        match path {
            "/html" => reply(200, Some("text/html; charset=utf-8"), b"{}"),
            "/none" => reply(200, None, b"{}"),
            "/vc" => json_reply("application/vc", &did_doc),
            "/did" => json_reply("application/did+ld+json", &did_doc),
            "/broken" => reply(200, Some("application/json"), b"{\"a\":"),
            "/array" => reply(200, Some("application/json"), b"[1,2]"),
            "/gone" => reply(404, Some("application/json"), b"{}"),
            _ => reply(503, Some("text/plain"), b"down"),
        }
    })
    .await;
    let fetcher = fetcher(test_mode(), &[server.host()]);
    let get = |path: &str, kind| {
        let (url, fetcher) = (server.url(path), &fetcher);
        async move { fetcher.get(&url, kind).await }
    };
    use DocumentKind::*;
    for (path, kind) in [
        ("/html", StatusList),
        ("/none", Registry),
        ("/vc", DidDocument),
        ("/did", StatusList),
    ] {
        let err = get(path, kind).await.unwrap_err();
        assert!(matches!(err, FetchError::MediaType { .. }), "{path}: {err}");
        assert!(err.to_string().contains(path), "{err}");
    }
    assert!(get("/did", DidDocument).await.is_ok());
    assert!(get("/vc", StatusList).await.is_ok());
    for path in ["/broken", "/array"] {
        let err = get(path, Registry).await.unwrap_err();
        assert!(matches!(err, FetchError::NotJson { .. }), "{path}: {err}");
    }
    let err = get("/gone", StatusList).await.unwrap_err();
    assert!(
        matches!(err, FetchError::HttpStatus { status: 404, .. }),
        "{err}"
    );
    assert!(!err.is_unavailable());
    let err = get("/down", StatusList).await.unwrap_err();
    assert!(
        matches!(err, FetchError::HttpStatus { status: 503, .. }),
        "{err}"
    );
    assert!(err.is_unavailable());
}

#[test]
fn every_fetch_is_logged_with_url_outcome_and_time() {
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // A global subscriber: a scoped one (`with_default`) can miss events when other tests'
    // threads register the same callsites at the same moment. Other tests log into it too,
    // harmlessly; the lines are told apart by their URLs.
    tracing::subscriber::set_global_default(subscriber).unwrap();
    tracing::callsite::rebuild_interest_cache();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
        let fetcher = fetcher(test_mode(), &[server.host()]);
        fetcher
            .get(&server.url("/logged-ok"), DocumentKind::StatusList)
            .await
            .unwrap();
        fetcher
            .get("https://10.1.2.3/logged-refused", DocumentKind::StatusList)
            .await
            .unwrap_err();
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("fetch")).collect();
    let ok = lines.iter().find(|l| l.contains("/logged-ok")).expect(&log);
    assert!(
        ok.contains("DEBUG") && ok.contains("outcome=\"fetched\"") && ok.contains("ms="),
        "{ok}"
    );
    let refused = lines
        .iter()
        .find(|l| l.contains("/logged-refused"))
        .expect(&log);
    assert!(
        refused.contains("10.1.2.3 is a private address") && refused.contains("ms="),
        "{refused}"
    );
}

// ---------------------------------------------------------------------------------------------
// The cache.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_gets_share_one_fetch() {
    let gate = Arc::new(Semaphore::new(0));
    let held = gate.clone();
    let server = Server::start(move |path| {
        let doc = json_reply("application/vc", &list_doc(Some(60_000)));
        match path {
            "/down" => Reply::Gated(
                held.clone(),
                Box::new(Reply::Body {
                    status: 503,
                    content_type: None,
                    headers: Vec::new(),
                    body: Vec::new(),
                }),
            ),
            _ => Reply::Gated(held.clone(), Box::new(doc)),
        }
    })
    .await;
    let cache = DocumentCache::new(fetcher(test_mode(), &[server.host()]), 16, HandClock::new());
    for path in ["/list", "/down"] {
        let url = server.url(path);
        let mut connections = server.connections.clone();
        let before = *connections.borrow();
        let gets: Vec<_> = (0..100)
            .map(|_| {
                let cache = cache.clone();
                let url = url.clone();
                tokio::spawn(async move { cache.get(&url, DocumentKind::StatusList).await })
            })
            .collect();
        // Hold the one request until the server has it, then let it through.
        connections.wait_for(|n| *n > before).await.unwrap();
        gate.add_permits(1);
        let mut results = Vec::new();
        for get in gets {
            results.push(get.await.unwrap());
        }
        assert_eq!(server.requests_for(path), 1, "{path}");
        if path == "/list" {
            for result in &results {
                let cached = result.as_ref().unwrap();
                assert_eq!(*cached.document, list_doc(Some(60_000)));
            }
            assert!(results
                .iter()
                .any(|r| matches!(r.as_ref().unwrap().source, Source::Fetched { .. })));
        } else {
            // The failure is shared too: one attempt, a hundred answers saying why.
            for result in &results {
                let err = result.as_ref().unwrap_err();
                assert!(
                    matches!(err, FetchError::HttpStatus { status: 503, .. }),
                    "{err}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_copy_is_fresh_for_its_ttl_then_fetched_again() {
    let server = Server::start(|path| match path {
        "/ttl" => json_reply("application/vc", &list_doc(Some(60_000))),
        "/max-age" => Reply::Body {
            status: 200,
            content_type: Some("application/vc"),
            headers: vec![("Cache-Control", "public, max-age=10".to_owned())],
            body: serde_json::to_vec(&list_doc(Some(60_000))).unwrap(),
        },
        _ => json_reply("application/vc", &list_doc(None)),
    })
    .await;
    let clock = HandClock::new();
    let start = clock.now();
    let cache = DocumentCache::new(fetcher(test_mode(), &[server.host()]), 16, clock.clone());
    let get = |path: &str| {
        let (url, cache) = (server.url(path), &cache);
        async move { cache.get(&url, DocumentKind::StatusList).await }
    };

    assert_eq!(
        get("/ttl").await.unwrap().source,
        Source::Fetched { at: start }
    );
    clock.advance(30);
    assert_eq!(
        get("/ttl").await.unwrap().source,
        Source::Cache {
            fetched_at: start,
            age_secs: 30
        }
    );
    clock.advance(29);
    assert!(matches!(
        get("/ttl").await.unwrap().source,
        Source::Cache { age_secs: 59, .. }
    ));
    assert_eq!(server.requests_for("/ttl"), 1);
    clock.advance(1);
    assert_eq!(
        get("/ttl").await.unwrap().source,
        Source::Fetched { at: clock.now() }
    );
    assert_eq!(server.requests_for("/ttl"), 2);

    // Cache-Control shorter than the ttl wins.
    get("/max-age").await.unwrap();
    clock.advance(9);
    assert!(matches!(
        get("/max-age").await.unwrap().source,
        Source::Cache { .. }
    ));
    clock.advance(1);
    assert!(matches!(
        get("/max-age").await.unwrap().source,
        Source::Fetched { .. }
    ));
    assert_eq!(server.requests_for("/max-age"), 2);

    // No ttl and no header: 60 s.
    get("/plain").await.unwrap();
    clock.advance(59);
    get("/plain").await.unwrap();
    assert_eq!(server.requests_for("/plain"), 1);
    clock.advance(1);
    get("/plain").await.unwrap();
    assert_eq!(server.requests_for("/plain"), 2);
}

#[tokio::test]
async fn the_last_good_copy_is_given_with_its_age_when_the_node_is_down() {
    let down = Arc::new(AtomicBool::new(false));
    let html = Arc::new(AtomicBool::new(false));
    let (d, h) = (down.clone(), html.clone());
    let server = Server::start(move |_| {
        if d.load(Ordering::SeqCst) {
            Reply::Body {
                status: 503,
                content_type: Some("text/plain"),
                headers: Vec::new(),
                body: b"maintenance".to_vec(),
            }
        } else if h.load(Ordering::SeqCst) {
            json_reply("text/html", &list_doc(None))
        } else {
            json_reply("application/vc", &list_doc(Some(60_000)))
        }
    })
    .await;
    let clock = HandClock::new();
    let start = clock.now();
    let cache = DocumentCache::new(fetcher(test_mode(), &[server.host()]), 16, clock.clone());
    let url = server.url("/list");
    cache.get(&url, DocumentKind::StatusList).await.unwrap();

    // 503: the stale copy, its age and why.
    down.store(true, Ordering::SeqCst);
    clock.advance(90);
    let cached = cache.get(&url, DocumentKind::StatusList).await.unwrap();
    assert_eq!(*cached.document, list_doc(Some(60_000)));
    match &cached.source {
        Source::Stale {
            fetched_at,
            age_secs,
            error,
        } => {
            assert_eq!((*fetched_at, *age_secs), (start, 90));
            assert!(error.contains("503") && error.contains(&url), "{error}");
        }
        other => panic!("{other:?}"),
    }

    // Within 5 s of the failure the node is not asked again.
    clock.advance(4);
    let cached = cache.get(&url, DocumentKind::StatusList).await.unwrap();
    assert!(matches!(cached.source, Source::Stale { age_secs: 94, .. }));
    assert_eq!(server.requests_for("/list"), 2);

    // A refusal by a rule is not papered over with the old copy.
    clock.advance(1);
    down.store(false, Ordering::SeqCst);
    html.store(true, Ordering::SeqCst);
    let err = cache.get(&url, DocumentKind::StatusList).await.unwrap_err();
    assert!(matches!(err, FetchError::MediaType { .. }), "{err}");

    // The node gone altogether (connection refused): still the stale copy.
    server.stop();
    let addr = server.addr;
    let _ = server.task.await;
    // Nothing listens on the port any more.
    assert!(TcpStream::connect(addr).await.is_err());
    clock.advance(25);
    let cached = cache.get(&url, DocumentKind::StatusList).await.unwrap();
    match &cached.source {
        Source::Stale {
            age_secs, error, ..
        } => {
            assert_eq!(*age_secs, 120);
            assert!(error.contains("could not connect"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    // A URL never fetched has no copy to fall back on.
    let err = cache
        .get(&format!("http://{addr}/other"), DocumentKind::StatusList)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Network { .. }), "{err}");
}

#[tokio::test]
async fn the_cache_holds_at_most_its_capacity() {
    let server = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
    let cache = DocumentCache::new(fetcher(test_mode(), &[server.host()]), 2, HandClock::new());
    let get = |path: &str| {
        let (url, cache) = (server.url(path), &cache);
        async move { cache.get(&url, DocumentKind::StatusList).await }
    };
    get("/a").await.unwrap();
    get("/b").await.unwrap();
    get("/a").await.unwrap(); // /b is now the least recently used
    get("/c").await.unwrap();
    assert_eq!(cache.len(), 2);
    get("/a").await.unwrap();
    assert_eq!(server.requests_for("/a"), 1, "/a stayed");
    get("/b").await.unwrap();
    assert_eq!(
        server.requests_for("/b"),
        2,
        "/b was dropped and fetched again"
    );
}

// ---------------------------------------------------------------------------------------------
// The verifier's adapters.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_status_lists_say_where_each_list_came_from() {
    let server = Server::start(|path| match path {
        "/list" => json_reply("application/vc", &list_doc(Some(60_000))),
        _ => Reply::Body {
            status: 404,
            content_type: None,
            headers: Vec::new(),
            body: Vec::new(),
        },
    })
    .await;
    let clock = HandClock::new();
    let cache = DocumentCache::new(fetcher(test_mode(), &[server.host()]), 16, clock.clone());
    let lists = RemoteStatusLists::new(cache, tokio::runtime::Handle::current());
    let url = server.url("/list");
    let missing = server.url("/missing");
    let c = clock.clone();
    let (first, second, third, lookups) = tokio::task::spawn_blocking(move || {
        let first = lists.fetch_with_origin(&url).unwrap().unwrap();
        c.advance(5);
        let second = lists.fetch_with_origin(&url).unwrap().unwrap();
        let third = lists.fetch(&missing);
        (first, second, third, lists.lookups())
    })
    .await
    .unwrap();
    assert_eq!(*first.0, list_doc(Some(60_000)));
    assert!(matches!(first.1, Origin::Fetched { .. }), "{:?}", first.1);
    assert!(
        matches!(second.1, Origin::Cache { age_secs: 5, .. }),
        "{:?}",
        second.1
    );
    let err = third.unwrap_err();
    assert!(err.contains("404"), "{err}");
    // One entry per URL, with its latest outcome.
    assert_eq!(lookups.len(), 2);
    assert!(matches!(
        lookups[0].source,
        Some(Source::Cache { age_secs: 5, .. })
    ));
    assert!(lookups[1].error.is_some() && lookups[1].source.is_none());
    assert_eq!(server.requests_for("/list"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_web_resolves_every_listed_key_through_the_fetcher() {
    let old = SecretKey::from_seed(&[7; 32]).public_key();
    let new = SecretKey::from_seed(&[8; 32]).public_key();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let did = format!("did:web:127.0.0.1%3A{port}:institutions:zvp");
    let document = json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {"id": format!("{did}#key-1"), "type": "Multikey", "controller": did,
             "publicKeyMultibase": old.to_multibase()},
            {"id": format!("{did}#key-2"), "type": "Multikey", "controller": did,
             "publicKeyMultibase": new.to_multibase()},
        ],
        "assertionMethod": [format!("{did}#key-1"), format!("{did}#key-2")],
    });
    let server = Server::serve(
        listener,
        Arc::new(move |path: &str| match path {
            "/institutions/zvp/did.json" => json_reply("application/did+ld+json", &document),
            _ => json_reply("application/json", &json!({"id": "did:web:someone-else"})),
        }),
    );
    let cache = DocumentCache::new(fetcher(test_mode(), &[server.host()]), 16, HandClock::new());
    let resolver = RemoteDidResolver::new(cache, tokio::runtime::Handle::current());
    let d = did.clone();
    let (k1, k2, unknown, other, did_key, lookups) = tokio::task::spawn_blocking(move || {
        let k1 = resolver.resolve_method(&format!("{d}#key-1")).unwrap();
        let k2 = resolver.resolve_method(&format!("{d}#key-2")).unwrap();
        let unknown = resolver.resolve_method(&format!("{d}#key-3")).unwrap_err();
        // The document served for another DID names someone else: refused.
        let other = resolver
            .resolve_method(&format!(
                "did:web:127.0.0.1%3A{port}:institutions:other#key-1"
            ))
            .unwrap_err();
        let did_key = resolver
            .resolve_method(&old.verification_method_id())
            .unwrap();
        (k1, k2, unknown, other, did_key, resolver.lookups())
    })
    .await
    .unwrap();
    assert_eq!((k1.public_key, k1.controller.as_str()), (old, did.as_str()));
    assert_eq!(k2.public_key, new);
    assert!(
        matches!(&unknown, DidError::Unresolvable { reason, .. } if reason.contains("no such")),
        "{unknown}"
    );
    assert!(matches!(other, DidError::Unresolvable { .. }), "{other}");
    assert!(other.to_string().contains("not did:web"), "{other}");
    assert_eq!(did_key.public_key, old);
    // One fetch of the document serves all its keys; did:key needs none.
    assert_eq!(server.requests_for("/institutions/zvp/did.json"), 1);
    assert_eq!(lookups.len(), 2, "{lookups:?}");
    assert!(matches!(lookups[0].source, Some(Source::Cache { .. })));
    assert!(lookups[1].url.ends_with("/institutions/other/did.json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn did_web_of_a_host_not_allowed_is_could_not_check_with_no_connection() {
    let server = Server::start(|_| json_reply("application/did+json", &json!({}))).await;
    let cache = DocumentCache::new(fetcher(test_mode(), &[]), 16, HandClock::new());
    let resolver = RemoteDidResolver::new(cache, tokio::runtime::Handle::current());
    let method = format!("did:web:127.0.0.1%3A{}#key-1", server.port());
    let err = tokio::task::spawn_blocking(move || resolver.resolve_method(&method).unwrap_err())
        .await
        .unwrap();
    assert!(
        matches!(&err, DidError::Unresolvable { reason, .. } if reason.contains("allow-list")),
        "{err}"
    );
    server.assert_no_connections().await;
}

#[tokio::test]
async fn a_handshake_that_never_finishes_runs_into_the_connect_timeout() {
    // A listener that accepts and never answers: a TLS client hello gets no reply.
    let server = Server::start(|_| json_reply("application/vc", &json!({}))).await;
    let policy = FetchPolicy {
        connect_timeout: Duration::from_secs(1),
        total_timeout: Duration::from_secs(20),
        ..test_mode()
    };
    let fetcher = fetcher(policy, &[server.host()]);
    let started = Instant::now();
    let err = fetcher
        .get(
            &format!("https://{}/list", server.host()),
            DocumentKind::StatusList,
        )
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(err, FetchError::Timeout { after, .. } if after == Duration::from_secs(1)),
        "{err}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(*server.connections.borrow(), 1);
}

/// Run by [`proxies_in_the_environment_are_not_used`] in a child process whose environment
/// names a proxy (changing this process's environment would race the other tests).
#[tokio::test]
#[ignore = "run by proxies_in_the_environment_are_not_used"]
async fn proxy_child() {
    let proxy: SocketAddr = std::env::var("FETCH_GUARD_PROXY").unwrap().parse().unwrap();
    let server = Server::start(|_| json_reply("application/vc", &list_doc(None))).await;
    let fetcher = fetcher(test_mode(), &[server.host()]);
    let fetched = fetcher
        .get(&server.url("/list"), DocumentKind::StatusList)
        .await
        .unwrap();
    assert_eq!(fetched.document, list_doc(None));
    assert_eq!(server.requests_for("/list"), 1);
    // The proxy the environment names was not asked.
    let _ = TcpStream::connect(proxy).await;
    println!("child fetched directly");
}

#[tokio::test]
async fn proxies_in_the_environment_are_not_used() {
    // A proxy that would answer every request with a document of its own.
    let proxy =
        Server::start(|_| json_reply("application/vc", &json!({"from": "the proxy"}))).await;
    let exe = std::env::current_exe().unwrap();
    let proxy_url = format!("http://{}", proxy.host());
    let mut child = std::process::Command::new(exe);
    child
        .args(["--ignored", "--exact", "proxy_child", "--nocapture"])
        .env("FETCH_GUARD_PROXY", proxy.host())
        .env("HTTP_PROXY", &proxy_url)
        .env("http_proxy", &proxy_url)
        .env("HTTPS_PROXY", &proxy_url)
        .env("https_proxy", &proxy_url)
        .env("ALL_PROXY", &proxy_url)
        .env("all_proxy", &proxy_url)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    let output = tokio::task::spawn_blocking(move || child.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("child fetched directly"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Only the child's closing probe reached the proxy: no request went through it.
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
}
