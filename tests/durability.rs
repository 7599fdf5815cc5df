//! The real `skillpass serve` binary under concurrent issuing, killed with SIGKILL and
//! restarted on the same data folder, then stopped with SIGTERM and restarted again.
//!
//! What must hold: every credential acknowledged with 201 is still stored (same bytes), still
//! verifies, and is still what a repeated `recordId` answers; no status list entry was handed
//! out twice, before or after a crash; a graceful stop exits with 0 and loses nothing.
//!
//! The server process and the HTTP client are tests/common/serve.rs: a few lines over
//! `TcpStream` (HTTP/1.1, `Connection: close`), so the test sees exactly which requests were
//! answered before the process died.

use std::collections::{HashMap, HashSet};
#[cfg(target_os = "linux")]
use std::fs;
use std::net::SocketAddr;
use std::path::Path;
#[cfg(target_os = "linux")]
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "common/serve.rs"]
mod serve;

use serve::{list_all, record, register, register_only, request, Server, ADMIN_TOKEN, PATIENCE};

const INSTITUTION: &str = "zvp";
/// Client threads issuing at the same time.
const THREADS: usize = 8;
/// Acknowledged credentials to wait for before SIGKILL, and before SIGTERM.
const ACKS_BEFORE_KILL: usize = 120;
const ACKS_BEFORE_TERM: usize = 50;
/// Kill-and-restart cycles on the same data folder.
const CRASHES: usize = 3;

/// A server on a sled data folder in `dir/node/data` (the strace test looks for `/data/db`).
fn node(dir: &Path) -> Server {
    let data = dir.join("node").join("data");
    Server::configure(
        dir,
        "node",
        &format!("data_dir = {:?}", data.to_str().unwrap()),
    )
}

// ---------------------------------------------------------------------------------------------
// Load and checks.

/// One credential the server acknowledged with 201.
#[derive(Clone)]
struct Acked {
    record_id: String,
    credential: Value,
}

impl Acked {
    fn id(&self) -> &str {
        self.credential["id"].as_str().expect("credential id")
    }
}

/// What a load run saw.
#[derive(Default)]
struct Outcome {
    acked: Vec<Acked>,
    /// Record ids whose request got no complete answer (in flight when the server stopped).
    unanswered: Vec<String>,
    /// Anything other than 201 while the server was supposed to be up.
    failures: Vec<String>,
}

/// `THREADS` clients POST `/records` with distinct record ids until `stop` is set (or, after
/// `stopping` is set, the server stops answering). `per_thread` caps each client's requests.
fn issue_load(
    addr: SocketAddr,
    token: &str,
    prefix: &str,
    per_thread: usize,
    stopping: &Arc<AtomicBool>,
    acked_count: &Arc<AtomicUsize>,
) -> Vec<thread::JoinHandle<Outcome>> {
    (0..THREADS)
        .map(|t| {
            let (token, prefix) = (token.to_owned(), prefix.to_owned());
            let (stopping, acked_count) = (stopping.clone(), acked_count.clone());
            thread::spawn(move || {
                let mut outcome = Outcome::default();
                for n in 0..per_thread {
                    let record_id = format!("{prefix}-{t}-{n}");
                    let body = record(&record_id);
                    let stop_now = stopping.load(Ordering::SeqCst);
                    match request(
                        addr,
                        "POST",
                        "/records?suspendable=true",
                        Some(&token),
                        Some(&body),
                    ) {
                        Ok(reply) if reply.status == 201 => {
                            let credential = reply.json()["verifiableCredential"].clone();
                            outcome.acked.push(Acked {
                                record_id,
                                credential,
                            });
                            acked_count.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(reply) if !stopping.load(Ordering::SeqCst) => {
                            outcome.failures.push(format!(
                                "{record_id}: HTTP {} {}",
                                reply.status,
                                String::from_utf8_lossy(&reply.body)
                            ));
                            return outcome;
                        }
                        Err(e) if !stopping.load(Ordering::SeqCst) => {
                            outcome.failures.push(format!("{record_id}: {e}"));
                            return outcome;
                        }
                        // The server is going away: this request may or may not have been
                        // stored, but it was not acknowledged.
                        Ok(_) | Err(_) => {
                            outcome.unanswered.push(record_id);
                            return outcome;
                        }
                    }
                    if stop_now {
                        return outcome;
                    }
                }
                outcome
            })
        })
        .collect()
}

fn join(handles: Vec<thread::JoinHandle<Outcome>>) -> Outcome {
    let mut all = Outcome::default();
    for handle in handles {
        let outcome = handle.join().expect("client thread");
        all.acked.extend(outcome.acked);
        all.unanswered.extend(outcome.unanswered);
        all.failures.extend(outcome.failures);
    }
    all
}

/// Waits until `count` reaches `n` while the server stays up.
fn wait_for_acks(server: &mut Server, count: &AtomicUsize, n: usize) {
    let deadline = Instant::now() + PATIENCE;
    while count.load(Ordering::SeqCst) < n {
        if let Some(status) = server.child.as_mut().unwrap().try_wait().unwrap() {
            panic!("server died under load ({status}):\n{}", server.log_text());
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {n} credentials acknowledged:\n{}",
            count.load(Ordering::SeqCst),
            server.log_text()
        );
        thread::sleep(Duration::from_millis(5));
    }
}

/// `(statusListCredential, statusListIndex)` of each status entry, checking each credential
/// has one revocation and one suspension entry.
fn status_entries(credential: &Value) -> Vec<(String, String)> {
    let entries = credential["credentialStatus"]
        .as_array()
        .unwrap_or_else(|| panic!("no credentialStatus in {credential}"));
    let mut purposes: Vec<&str> = entries
        .iter()
        .map(|e| e["statusPurpose"].as_str().unwrap())
        .collect();
    purposes.sort_unstable();
    assert_eq!(purposes, ["revocation", "suspension"], "{credential}");
    entries
        .iter()
        .map(|e| {
            (
                e["statusListCredential"].as_str().unwrap().to_owned(),
                e["statusListIndex"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Panics if any status entry appears in two credentials; returns all entries.
fn assert_unique_entries(credentials: &[Value]) -> HashSet<(String, String)> {
    let mut owner: HashMap<(String, String), String> = HashMap::new();
    for credential in credentials {
        let id = credential["id"].as_str().unwrap();
        for entry in status_entries(credential) {
            if let Some(first) = owner.insert(entry.clone(), id.to_owned()) {
                panic!("status entry {entry:?} handed out to both {first} and {id}");
            }
        }
    }
    owner.into_keys().collect()
}

/// Checks every credential acknowledged earlier (`older`) or in the last run (`recent`) is
/// stored unchanged, and that the recent ones can be read by id and verify
/// (`POST /credentials/verify` → 200, status included); returns the listing.
fn assert_survived(addr: SocketAddr, token: &str, older: &[Acked], recent: &[Acked]) -> Vec<Value> {
    let stored = list_all(addr, token);
    let by_id: HashMap<&str, &Value> = stored
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c))
        .collect();
    assert_eq!(
        by_id.len(),
        stored.len(),
        "the listing repeats a credential"
    );
    let acked: Vec<&Acked> = older.iter().chain(recent).collect();
    let lost: Vec<&str> = acked
        .iter()
        .map(|a| a.id())
        .filter(|id| !by_id.contains_key(id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged credentials lost: {lost:?}",
        lost.len(),
        acked.len()
    );
    for a in &acked {
        assert_eq!(
            by_id[a.id()],
            &a.credential,
            "stored credential differs from the acknowledged one"
        );
    }
    assert_unique_entries(&stored);

    // Verification is the expensive part in a debug build: spread it over the threads.
    let acked = Arc::new(recent.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (acked, next, failures) = (acked.clone(), next.clone(), failures.clone());
            let token = token.to_owned();
            thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(a) = acked.get(i) else { return };
                let path = format!("/credentials/{}", a.id());
                let got = request(addr, "GET", &path, Some(&token), None).unwrap();
                if got.status != 200 || got.json() != a.credential {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("GET {path}: HTTP {}", got.status));
                }
                let body = json!({ "verifiableCredential": a.credential });
                let reply =
                    request(addr, "POST", "/credentials/verify", None, Some(&body)).unwrap();
                if reply.status != 200 {
                    failures.lock().unwrap().push(format!(
                        "verify {}: HTTP {} {}",
                        a.id(),
                        reply.status,
                        String::from_utf8_lossy(&reply.body)
                    ));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
    stored
}

/// Re-posting a record id answers with the credential already stored for it.
fn assert_idempotent(addr: SocketAddr, token: &str, a: &Acked) {
    let reply = request(
        addr,
        "POST",
        "/records?suspendable=true",
        Some(token),
        Some(&record(&a.record_id)),
    )
    .unwrap();
    assert_eq!(reply.status, 200, "repeat of {}", a.record_id);
    assert_eq!(reply.json()["verifiableCredential"], a.credential);
}

#[test]
fn acknowledged_credentials_survive_sigkill_and_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = node(dir.path());
    server.start();
    let addr = server.addr;
    let token = register(addr);
    let mut acked: Vec<Acked> = Vec::new();
    // Acknowledged but not yet verified after a restart.
    let mut unverified: Vec<Acked> = Vec::new();
    let mut in_flight = 0;

    for crash in 0..CRASHES {
        // 1. Concurrent issuing, then SIGKILL while requests are in flight.
        let stopping = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicUsize::new(0));
        let prefix = format!("crash{crash}");
        let clients = issue_load(addr, &token, &prefix, usize::MAX, &stopping, &count);
        wait_for_acks(&mut server, &count, ACKS_BEFORE_KILL);
        stopping.store(true, Ordering::SeqCst);
        server.signal("-KILL");
        let status = server.wait_exit();
        assert!(
            !status.success(),
            "SIGKILL should not look like a clean exit"
        );
        let run = join(clients);
        assert!(run.failures.is_empty(), "{:#?}", run.failures);
        assert!(run.acked.len() >= ACKS_BEFORE_KILL);

        // 2. Restart on the same data folder: nothing acknowledged is lost, this run's
        // credentials verify, and a repeated record id answers with the stored credential.
        server.start();
        unverified.extend(run.acked.iter().cloned());
        let stored = assert_survived(addr, &token, &acked, &unverified);
        unverified.clear();
        let before_restart = assert_unique_entries(&stored);
        for a in run.acked.iter().step_by(7) {
            assert_idempotent(addr, &token, a);
        }
        // A request cut off by the crash was either stored (200) or not (201, issued now).
        for record_id in &run.unanswered {
            let reply = request(
                addr,
                "POST",
                "/records?suspendable=true",
                Some(&token),
                Some(&record(record_id)),
            )
            .unwrap();
            assert!(
                reply.status == 200 || reply.status == 201,
                "{record_id}: HTTP {}",
                reply.status
            );
        }
        in_flight += run.unanswered.len();
        acked.extend(run.acked);

        // 3. Issue more: new status entries never reuse one handed out before the crash.
        let idle = Arc::new(AtomicBool::new(false));
        let prefix = format!("after{crash}");
        let after = join(issue_load(addr, &token, &prefix, 3, &idle, &count));
        assert!(after.failures.is_empty(), "{:#?}", after.failures);
        assert_eq!(after.acked.len(), 3 * THREADS);
        for a in &after.acked {
            for entry in status_entries(&a.credential) {
                assert!(
                    !before_restart.contains(&entry),
                    "status entry {entry:?} reused after the restart"
                );
            }
        }
        acked.extend(after.acked.iter().cloned());
        unverified.extend(after.acked);
    }

    // 4. Graceful stop under load: exit code 0, and everything acknowledged is kept.
    let stopping = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let clients = issue_load(addr, &token, "term", usize::MAX, &stopping, &count);
    wait_for_acks(&mut server, &count, ACKS_BEFORE_TERM);
    stopping.store(true, Ordering::SeqCst);
    server.signal("-TERM");
    let status = server.wait_exit();
    assert!(
        status.success(),
        "SIGTERM exit: {status}\n{}",
        server.log_text()
    );
    let term = join(clients);
    assert!(term.failures.is_empty(), "{:#?}", term.failures);

    server.start();
    unverified.extend(term.acked.iter().cloned());
    let stored = assert_survived(addr, &token, &acked, &unverified);
    acked.extend(term.acked);

    server.signal("-TERM");
    let status = server.wait_exit();
    assert!(status.success(), "second SIGTERM exit: {status}");
    eprintln!(
        "durability: {CRASHES} SIGKILLs; {} credentials acknowledged, {in_flight} requests cut \
         off by a crash, {} stored in the end",
        acked.len(),
        stored.len()
    );
}

/// The actions of the audit trail's last `n` events, oldest first.
fn audit_actions(addr: SocketAddr, n: usize) -> Vec<String> {
    let path = format!("/admin/audit?limit={n}");
    let reply = request(addr, "GET", &path, Some(ADMIN_TOKEN), None).unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// `GET /credentials` with `token`: 200 when it belongs to an institution, 401 when not.
fn token_status(addr: SocketAddr, token: &str) -> u16 {
    request(addr, "GET", "/credentials?limit=1", Some(token), None)
        .unwrap()
        .status
}

fn token_of(registered: &Value) -> String {
    registered["token"].as_str().unwrap().to_owned()
}

/// Issues one credential as `token` (201), which waits for durability.
fn issue_one(addr: SocketAddr, token: &str, record_id: &str) -> Value {
    let reply = request(
        addr,
        "POST",
        "/records?suspendable=true",
        Some(token),
        Some(&record(record_id)),
    )
    .unwrap();
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["verifiableCredential"].clone()
}

/// Admin changes are acknowledged only once durable, like credentials: a registration, a
/// token rotation and a key rotation each survive a SIGKILL sent right after the answer,
/// before sled's periodic flush (every 500 ms) would have written them.
///
/// Before each change the test issues a credential: sled also flushes when the first id it
/// generates after opening crosses a persistence boundary, which would hide a missing flush.
#[test]
fn admin_changes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = node(dir.path());
    server.start();
    let addr = server.addr;
    let crash = |server: &mut Server| {
        server.signal("-KILL");
        server.wait_exit();
        server.start();
    };

    let token = token_of(&register_only(addr, INSTITUTION, "did-key"));
    issue_one(addr, &token, "before-registration");
    let second = token_of(&register_only(addr, "zvp-two", "did-key"));
    crash(&mut server);
    assert_eq!(token_status(addr, &second), 200, "registration lost");
    assert_eq!(audit_actions(addr, 1), ["register"], "audit event lost");

    issue_one(addr, &token, "before-token-rotation");
    let path = format!("/admin/institutions/{INSTITUTION}/token");
    let reply = request(addr, "POST", &path, Some(ADMIN_TOKEN), None).unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let rotated = token_of(&reply.json());
    crash(&mut server);
    assert_eq!(token_status(addr, &rotated), 200, "token rotation lost");
    assert_eq!(token_status(addr, &token), 401, "the old token works again");
    assert_eq!(audit_actions(addr, 1), ["rotate-token"], "audit event lost");

    let registered = register_only(addr, "zvp-web", "did-web");
    let web_token = token_of(&registered);
    issue_one(addr, &web_token, "before-key-rotation");
    let reply = request(
        addr,
        "POST",
        "/admin/institutions/zvp-web/keys",
        Some(ADMIN_TOKEN),
        None,
    )
    .unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let methods = reply.json()["institution"]["verificationMethods"].clone();
    assert_eq!(methods.as_array().unwrap().len(), 2);
    crash(&mut server);
    let reply = request(addr, "GET", "/admin/institutions", Some(ADMIN_TOKEN), None).unwrap();
    let listed = reply.json()["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "zvp-web")
        .expect("zvp-web listed")["verificationMethods"]
        .clone();
    assert_eq!(listed, methods, "key rotation lost");
    assert_eq!(audit_actions(addr, 1), ["rotate-key"], "audit event lost");
    // Issuing signs with the new key, whose secret half must have survived too.
    let credential = issue_one(addr, &web_token, "after-key-rotation");
    assert_eq!(
        &credential["proof"][0]["verificationMethod"],
        methods.as_array().unwrap().last().unwrap()
    );

    server.signal("-TERM");
    assert!(server.wait_exit().success());
}

/// Regression: sled's `Db::flush` ends in `sync_file_range` on Linux, which leaves the log's
/// new length and the disk's write cache unsynced, and sled fsyncs only every 500 ms. Each
/// acknowledged issue must now wait for an fsync of the log that began after the request was
/// sent. Runs the server under `strace` (`.ci/run` installs it) and checks five
/// sequential issues; without the fix an unrelated periodic fsync would have to fall inside
/// all five request windows to pass.
#[cfg(target_os = "linux")]
#[test]
fn each_acknowledged_issue_waits_for_an_fsync_of_the_log() {
    assert!(
        Command::new("strace").arg("-V").output().is_ok(),
        "this test needs strace (apt-get install strace; .ci/run installs it)"
    );
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("strace.txt");
    let mut server = node(dir.path());
    server.wrapper = [
        "strace",
        "-f",
        "-ttt",
        "-y",
        "-e",
        "trace=fsync,fdatasync",
        "-o",
    ]
    .map(String::from)
    .into_iter()
    .chain([trace.to_str().unwrap().to_owned()])
    .chain(["--".to_owned()])
    .collect();
    server.start();
    let token = token_of(&register_only(server.addr, INSTITUTION, "did-key"));
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    };
    let mut windows = Vec::new();
    for n in 0..5 {
        let sent = now();
        issue_one(server.addr, &token, &format!("fsync-{n}"));
        windows.push((sent, now()));
    }
    server.signal("-TERM");
    assert!(server.wait_exit().success());

    // Lines look like `1234 1700000000.123456 fsync(7</tmp/…/data/db>) = 0`.
    let log_fsyncs: Vec<f64> = fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter(|l| l.contains("sync(") && l.contains("/data/db>"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .collect();
    for (n, (sent, acked)) in windows.iter().enumerate() {
        assert!(
            log_fsyncs.iter().any(|t| t >= sent && t <= acked),
            "issue {n} was acknowledged without an fsync of the log after it was sent \
             (log fsyncs at {log_fsyncs:?}, request {sent}..{acked})"
        );
    }
}
