//! Online backup of a serving sled node (`GET /admin/backup`, `skillpass backup --server`):
//! taken while clients issue, restored into a fresh folder and served by a real
//! `skillpass serve`; and the refusals (the locked folder, a non-admin caller, a tampered file,
//! a store that keeps a key in plaintext).

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

#[path = "common/app.rs"]
mod app;
#[path = "common/fixtures.rs"]
mod fixtures;
#[path = "common/postgres.rs"]
mod pg;
#[path = "common/serve.rs"]
mod serve;

use serve::{list_all, record, register, request, Server, ADMIN_TOKEN};

/// Status list size of a store made by `skillpass serve`.
const LIST_SIZE: u64 = 131_072;

fn skillpass(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_skillpass"));
    command.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SKILLPASS_") {
            command.env_remove(name);
        }
    }
    command.output().expect("run skillpass")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn refused(out: &Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(why), "expected {why:?} in: {stderr}");
}

fn issue(addr: SocketAddr, token: &str, record_id: &str) -> Option<Value> {
    let reply = request(
        addr,
        "POST",
        "/records?suspendable=true&cryptosuite=eddsa-jcs-2022",
        Some(token),
        Some(&record(record_id)),
    )
    .ok()?;
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    Some(reply.json()["verifiableCredential"].clone())
}

/// A credential's status entries as (purpose, absolute entry number).
fn entry_numbers(credential: &Value) -> Vec<(String, u64)> {
    credential["credentialStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let list = e["statusListCredential"].as_str().unwrap();
            let sequence: u64 = list.rsplit('/').next().unwrap().parse().unwrap();
            let index: u64 = e["statusListIndex"].as_str().unwrap().parse().unwrap();
            (
                e["statusPurpose"].as_str().unwrap().to_owned(),
                sequence * LIST_SIZE + index,
            )
        })
        .collect()
}

/// Panics if a status entry is in two credentials.
fn no_entry_twice(credentials: &[Value]) {
    let mut seen = HashSet::new();
    for c in credentials {
        for entry in entry_numbers(c) {
            assert!(seen.insert(entry.clone()), "{entry:?} in two credentials");
        }
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The backup's items (between header and trailer).
fn items(text: &str) -> Vec<Value> {
    let lines: Vec<&str> = text.lines().collect();
    lines[1..lines.len() - 1]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_serving_sled_node_backs_itself_up_while_issuing() {
    let dir = tempfile::tempdir().unwrap();
    let sled_dir = dir.path().join("s").join("data");
    let mut node = Server::configure(
        dir.path(),
        "s",
        &format!("data_dir = {:?}", sled_dir.to_str().unwrap()),
    );
    node.start();
    let token = register(node.addr);
    let first: Vec<Value> = (0..5)
        .map(|n| issue(node.addr, &token, &format!("r{n}")).unwrap())
        .collect();
    let revoked = first[1]["id"].as_str().unwrap().to_owned();
    let reply = request(
        node.addr,
        "POST",
        "/credentials/status",
        Some(&token),
        Some(&json!({ "credentialId": revoked, "action": "revoke", "reason": "test" })),
    )
    .unwrap();
    assert_eq!(reply.status, 200);
    let token_file = node.dir.join("admin-token");
    let server = format!("http://{}", node.addr);

    // The folder is locked by the serving process: the plain backup says to use --server.
    let locked = dir.path().join("locked.backup");
    refused(
        &skillpass(&[
            "backup",
            "--store",
            &format!("sled:{}", sled_dir.display()),
            locked.to_str().unwrap(),
        ]),
        "--server",
    );
    assert!(!locked.exists());

    // Refusals: no token, an institution's token, a wrong admin token file.
    for token in [None, Some(token.as_str())] {
        let reply = request(node.addr, "GET", "/admin/backup", token, None).unwrap();
        assert_eq!(
            reply.status,
            401,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    let wrong = dir.path().join("wrong-token");
    std::fs::write(&wrong, "not-the-admin-token-0123456789abcdef\n").unwrap();
    let denied = dir.path().join("denied.backup");
    refused(
        &skillpass(&[
            "backup",
            "--server",
            &server,
            "--token-file",
            wrong.to_str().unwrap(),
            denied.to_str().unwrap(),
        ]),
        "HTTP 401",
    );
    assert!(!denied.exists() && !denied.with_extension("partial").exists());

    // Clients issue without pause while three backups are taken.
    let stop = Arc::new(AtomicBool::new(false));
    let acks: Arc<Mutex<Vec<(Instant, String, Value)>>> = Arc::default();
    let clients: Vec<_> = (0..4)
        .map(|t| {
            let (addr, token, stop, acks) = (node.addr, token.clone(), stop.clone(), acks.clone());
            thread::spawn(move || {
                for n in 0..150 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let id = format!("load-{t}-{n}");
                    let credential = issue(addr, &token, &id).expect("the node serves");
                    acks.lock().unwrap().push((Instant::now(), id, credential));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acks.lock().unwrap().len() < 20 {
        assert!(Instant::now() < deadline, "no issuing under load");
        thread::sleep(Duration::from_millis(10));
    }
    let mut backups = Vec::new();
    let mut during = 0;
    for b in 0..3 {
        let before: HashSet<String> = acks.lock().unwrap().iter().map(|a| a.1.clone()).collect();
        let file = dir.path().join(format!("online-{b}.backup"));
        let started = Instant::now();
        let said = ok(&skillpass(&[
            "backup",
            "--server",
            &server,
            "--token-file",
            token_file.to_str().unwrap(),
            file.to_str().unwrap(),
        ]));
        let ended = Instant::now();
        assert!(said.contains("checked"), "{said}");
        during += acks
            .lock()
            .unwrap()
            .iter()
            .filter(|a| a.0 > started && a.0 < ended)
            .count();
        backups.push((file, before));
        thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    eprintln!(
        "{} credentials acknowledged under load, {during} of them while a backup was taken",
        acks.lock().unwrap().len()
    );
    assert!(during > 0, "issuing went on while the backups were taken");
    let all = list_all(node.addr, &token);
    no_entry_twice(&all);

    // Each backup is one consistent view: exactly the first N credentials in issue order,
    // among them every one acknowledged before it was asked for; counters cover its entries.
    for (file, before) in &backups {
        assert_eq!(mode(file), 0o600);
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text.contains(&token), "no API token in a backup");
        assert!(!text.contains(ADMIN_TOKEN), "no admin token in a backup");
        let items = items(&text);
        let secrets: Vec<&str> = items
            .iter()
            .filter(|i| i["kind"] == "secretKey" || i["kind"] == "registryKey")
            .map(|i| i["secret"].as_str().unwrap())
            .collect();
        assert!(!secrets.is_empty());
        for secret in &secrets {
            assert!(
                secret.starts_with("sealed:v1:"),
                "a key not sealed: {secret:.12}"
            );
        }
        let credentials: Vec<Value> = items
            .iter()
            .filter(|i| i["kind"] == "credential")
            .map(|i| i["credential"]["credential"].clone())
            .collect();
        assert_eq!(
            credentials[..],
            all[..credentials.len()],
            "a prefix in issue order"
        );
        let ids: HashSet<String> = credentials
            .iter()
            .filter_map(|c| {
                let id = c["id"].as_str()?;
                acks.lock()
                    .unwrap()
                    .iter()
                    .find(|a| a.2["id"] == id)
                    .map(|a| a.1.clone())
            })
            .collect();
        for id in before {
            assert!(ids.contains(id), "{id} was acknowledged before the backup");
        }
        let counters: HashMap<String, u64> = items
            .iter()
            .filter(|i| i["kind"] == "counter")
            .map(|i| {
                (
                    i["purpose"].as_str().unwrap().to_owned(),
                    i["next"].as_u64().unwrap(),
                )
            })
            .collect();
        for c in &credentials {
            for (purpose, n) in entry_numbers(c) {
                assert!(n < counters[&purpose], "{purpose} {n} beyond its counter");
            }
        }
    }

    // The last backup restores into a fresh folder; the restored node serves exactly its
    // credentials, each verifies (the revoked one is still revoked), and new credentials get
    // entries no restored credential has.
    node.stop();
    let (last, _) = backups.last().unwrap();
    let text = std::fs::read_to_string(last).unwrap();
    let backed_up: Vec<Value> = items(&text)
        .iter()
        .filter(|i| i["kind"] == "credential")
        .map(|i| i["credential"]["credential"].clone())
        .collect();
    let restored_dir = dir.path().join("r").join("data");
    ok(&skillpass(&[
        "restore",
        "--store",
        &format!("sled:{}", restored_dir.display()),
        last.to_str().unwrap(),
    ]));
    let mut restored = Server::configure(
        dir.path(),
        "r",
        &format!("data_dir = {:?}", restored_dir.to_str().unwrap()),
    );
    restored.start();
    assert_eq!(list_all(restored.addr, &token), backed_up);
    for credential in &backed_up {
        let reply = request(
            restored.addr,
            "POST",
            "/credentials/verify",
            None,
            Some(&json!({ "verifiableCredential": credential })),
        )
        .unwrap();
        let report = reply.json();
        let expected = credential["id"] != revoked.as_str();
        assert_eq!(report["verified"], expected, "{report}");
    }
    let after: Vec<Value> = (0..10)
        .map(|n| issue(restored.addr, &token, &format!("after-{n}")).unwrap())
        .collect();
    let everything = list_all(restored.addr, &token);
    assert_eq!(everything.len(), backed_up.len() + after.len());
    no_entry_twice(&everything);
    restored.stop();

    // A tampered backup is refused whole, and nothing is written.
    let mut bytes = text.clone().into_bytes();
    let at = (bytes.len() / 2..bytes.len())
        .find(|&i| bytes[i].is_ascii_digit())
        .unwrap();
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    let tampered = dir.path().join("tampered.backup");
    std::fs::write(&tampered, bytes).unwrap();
    let target = dir.path().join("t").join("data");
    refused(
        &skillpass(&[
            "restore",
            "--store",
            &format!("sled:{}", target.display()),
            tampered.to_str().unwrap(),
        ]),
        "checksum",
    );
    assert!(!target.exists(), "nothing written");
}

/// A service embedded without a master key keeps keys in plaintext: its online backup is
/// refused rather than carrying a usable signing key.
#[tokio::test]
async fn a_store_with_a_plaintext_key_is_not_backed_up_online() {
    let test = app::TestApp::new();
    let reply = test
        .call(Method::GET, "/admin/backup", Some(app::ADMIN_TOKEN), None)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
    assert!(reply.text().contains("plaintext"), "{}", reply.text());
    assert!(!reply.text().contains("z3u2"), "no key in the answer");
    let reply = test
        .call(Method::GET, "/admin/backup", Some(&test.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

/// With sealed keys the same in-process service answers the backup: the header, the items of
/// its one view, the trailer; the file restores into a fresh store holding its institution.
#[tokio::test]
async fn a_sealed_store_is_backed_up_online() {
    use skillpass::keystore::{create_master_key_file, Keystore, MasterKeySource};
    use skillpass::store::{MemoryStore, Store};
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("master.key");
    create_master_key_file(&key_file).unwrap();
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let (keys, _) = Keystore::open(store.clone(), Some(&MasterKeySource::File(key_file))).unwrap();
    let service = Arc::new(
        skillpass::service::Service::new(
            store.clone(),
            app::PUBLIC_URL,
            Arc::new(skillpass::service::SystemClock),
        )
        .with_key_custody(Arc::new(keys)),
    );
    let new = serde_json::from_value(json!({
        "id": "szpu", "name": "SZPU", "country": "CN", "framework": "CN-VOC", "didMethod": "did-key",
    }))
    .unwrap();
    service.register_institution(new, "test").unwrap();
    let state = skillpass::http::AppState {
        service: service.clone(),
        admin_token_hash: service.token_hash(app::ADMIN_TOKEN),
        wallet: Default::default(),
    };
    let router = skillpass::http::app(state, skillpass::http::Limits::default());
    use tower::ServiceExt;
    let response = router
        .oneshot(
            axum::http::Request::get("/admin/backup")
                .header("authorization", format!("Bearer {}", app::ADMIN_TOKEN))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/x-ndjson",
        "JSON Lines"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let file = dir.path().join("b.backup");
    std::fs::write(&file, &body).unwrap();
    let text = String::from_utf8(body.to_vec()).unwrap();
    let items = items(&text);
    assert!(items.iter().any(|i| i["kind"] == "keyCustody"));
    let key = items.iter().find(|i| i["kind"] == "secretKey").unwrap();
    assert!(key["secret"].as_str().unwrap().starts_with("sealed:v1:"));
    let audit = store.audit(None, 10).unwrap();
    assert_eq!(audit.last().unwrap().action, "backup", "{audit:?}");
    // It restores (the whole file checked first) into a fresh sled folder.
    let target = dir.path().join("restored");
    ok(&skillpass(&[
        "restore",
        "--store",
        &format!("sled:{}", target.display()),
        file.to_str().unwrap(),
    ]));
}

/// The same endpoint on a PostgreSQL node (its view is one `REPEATABLE READ` snapshot): a
/// backup taken while two clients issue holds every credential acknowledged before it was
/// asked for, and restores into a fresh database that serves exactly its credentials.
#[test]
fn a_serving_postgres_node_backs_itself_up_through_the_server() {
    let cluster = pg::shared();
    let dir = tempfile::tempdir().unwrap();
    let url = cluster.create_database();
    let mut node = Server::configure(dir.path(), "p", &format!("database_url = {url:?}"));
    node.start();
    let token = register(node.addr);
    let acks: Arc<Mutex<Vec<Value>>> = Arc::default();
    for n in 0..5 {
        acks.lock()
            .unwrap()
            .push(issue(node.addr, &token, &format!("r{n}")).unwrap());
    }
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..2)
        .map(|t| {
            let (addr, token, stop, acks) = (node.addr, token.clone(), stop.clone(), acks.clone());
            thread::spawn(move || {
                for n in 0..100 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let credential = issue(addr, &token, &format!("load-{t}-{n}")).unwrap();
                    acks.lock().unwrap().push(credential);
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(300));
    let before: HashSet<String> = acks
        .lock()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let file = dir.path().join("pg.backup");
    ok(&skillpass(&[
        "backup",
        "--server",
        &format!("http://{}", node.addr),
        "--token-file",
        node.dir.join("admin-token").to_str().unwrap(),
        file.to_str().unwrap(),
    ]));
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let text = std::fs::read_to_string(&file).unwrap();
    let backed_up: Vec<Value> = items(&text)
        .iter()
        .filter(|i| i["kind"] == "credential")
        .map(|i| i["credential"]["credential"].clone())
        .collect();
    let ids: HashSet<String> = backed_up
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        before.is_subset(&ids),
        "every credential acknowledged before"
    );
    node.stop();
    let fresh = cluster.create_database();
    ok(&skillpass(&[
        "restore",
        "--store",
        &fresh,
        file.to_str().unwrap(),
    ]));
    let mut restored = Server::configure(dir.path(), "q", &format!("database_url = {fresh:?}"));
    restored.start();
    assert_eq!(list_all(restored.addr, &token), backed_up);
    for n in 0..5 {
        issue(restored.addr, &token, &format!("after-{n}")).unwrap();
    }
    no_entry_twice(&list_all(restored.addr, &token));
    restored.stop();
}
