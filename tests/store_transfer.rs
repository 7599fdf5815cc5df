//! `skillpass migrate`, `backup` and `restore` on real stores: a sled node moved into
//! PostgreSQL, a backup of a PostgreSQL node taken while it serves, restored into a fresh
//! database and into a fresh sled folder, each then served by a real `skillpass serve`; and the
//! refusals (a target that holds data, a damaged or truncated backup).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

#[path = "common/postgres.rs"]
mod pg;
#[path = "common/serve.rs"]
mod serve;

use serve::{list_all, record, register, request, Server};

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

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn refused(out: &Output, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(why), "expected {why:?} in: {stderr}");
}

fn issue(addr: SocketAddr, token: &str, record_id: &str) -> Value {
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

fn set_status(addr: SocketAddr, token: &str, id: &str, action: &str) {
    let reply = request(
        addr,
        "POST",
        "/credentials/status",
        Some(token),
        Some(&json!({ "credentialId": id, "action": action, "reason": "test" })),
    )
    .unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
}

fn verify(addr: SocketAddr, credential: &Value) -> Value {
    let reply = request(
        addr,
        "POST",
        "/credentials/verify",
        None,
        Some(&json!({ "verifiableCredential": credential })),
    )
    .unwrap();
    // 200 verified, 422 not verified (the report says why).
    assert!(
        reply.status == 200 || reply.status == 422,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

fn history(addr: SocketAddr, token: &str, id: &str) -> Value {
    let reply = request(
        addr,
        "GET",
        &format!("/credentials/{id}/history"),
        Some(token),
        None,
    )
    .unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

fn entries(credentials: &[Value]) -> HashSet<(String, String)> {
    let mut all = HashSet::new();
    for c in credentials {
        for e in c["credentialStatus"].as_array().unwrap() {
            let entry = (
                e["statusListCredential"].as_str().unwrap().to_owned(),
                e["statusListIndex"].as_str().unwrap().to_owned(),
            );
            assert!(all.insert(entry.clone()), "{entry:?} in two credentials");
        }
    }
    all
}

/// The node's state as its API shows it: every credential, and the history of `revoked`.
fn state(addr: SocketAddr, token: &str, revoked: &str) -> (Vec<Value>, Value) {
    (list_all(addr, token), history(addr, token, revoked))
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn sled_into_postgres_then_backup_while_serving_and_restore() {
    let cluster = pg::shared();
    let dir = tempfile::tempdir().unwrap();
    let sled_dir = dir.path().join("s").join("data");

    // A sled node with credentials, a revocation (with its history) and a registry member.
    let mut node = Server::configure(
        dir.path(),
        "s",
        &format!("data_dir = {:?}", sled_dir.to_str().unwrap()),
    );
    node.start();
    let token = register(node.addr);
    let issued: Vec<Value> = (0..5)
        .map(|n| issue(node.addr, &token, &format!("r{n}")))
        .collect();
    let revoked = issued[1]["id"].as_str().unwrap().to_owned();
    set_status(node.addr, &token, &revoked, "revoke");
    let before = state(node.addr, &token, &revoked);
    // sled opens in one process only: migrating from a serving node is refused.
    let url = cluster.create_database();
    let from = format!("sled:{}", sled_dir.display());
    refused(
        &skillpass(&["migrate", "--from", &from, "--to", &url]),
        "stop the service first",
    );
    node.stop();

    // 1. Migrate sled → PostgreSQL and serve from there.
    ok(&skillpass(&["migrate", "--from", &from, "--to", &url]));
    let mut pg_node = Server::configure(dir.path(), "p", &format!("database_url = {url:?}"));
    pg_node.start();
    assert_eq!(state(pg_node.addr, &token, &revoked), before);
    let report = verify(pg_node.addr, &issued[0]);
    assert_eq!(report["verified"], true, "{report}");
    let report = verify(pg_node.addr, &issued[1]);
    assert_eq!(report["verified"], false, "revoked: {report}");
    // New credentials get status entries no migrated credential has.
    issue(pg_node.addr, &token, "r5");
    entries(&list_all(pg_node.addr, &token));
    // A migrated record id still answers with its credential.
    let again = request(
        pg_node.addr,
        "POST",
        "/records?suspendable=true",
        Some(&token),
        Some(&record("r0")),
    )
    .unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["verifiableCredential"], issued[0]);
    // Migrating into a database that holds data is refused.
    refused(
        &skillpass(&["migrate", "--from", &from, "--to", &url]),
        "not empty",
    );

    // 2. Backup while the PostgreSQL node serves (and issues).
    let backup = dir.path().join("node.backup");
    let load = {
        let (addr, token) = (pg_node.addr, token.clone());
        std::thread::spawn(move || {
            for n in 0..10 {
                issue(addr, &token, &format!("during-{n}"));
            }
        })
    };
    ok(&skillpass(&[
        "backup",
        "--store",
        &url,
        backup.to_str().unwrap(),
    ]));
    load.join().unwrap();
    assert_eq!(mode(&backup), 0o600, "the backup holds sealed keys");
    let text = std::fs::read_to_string(&backup).unwrap();
    assert!(!text.contains(&token), "API tokens are not in a backup");
    let at_backup: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["kind"] == "credential")
        .map(|v| v["credential"]["credential"].clone())
        .collect();
    assert!(at_backup.len() >= 6, "{}", at_backup.len());

    // 3. Restore into a fresh database and serve it: the same credentials as at the backup.
    let url2 = cluster.create_database();
    ok(&skillpass(&[
        "restore",
        "--store",
        &url2,
        backup.to_str().unwrap(),
    ]));
    let mut restored = Server::configure(dir.path(), "q", &format!("database_url = {url2:?}"));
    restored.start();
    let listed = list_all(restored.addr, &token);
    assert_eq!(listed, at_backup, "a consistent snapshot, in issue order");
    assert_eq!(
        history(restored.addr, &token, &revoked),
        before.1,
        "status history restored"
    );
    let report = verify(restored.addr, &issued[0]);
    assert_eq!(report["verified"], true, "{report}");
    let report = verify(restored.addr, &issued[1]);
    assert_eq!(report["verified"], false, "still revoked: {report}");
    issue(restored.addr, &token, "after-restore");
    entries(&list_all(restored.addr, &token));

    // 4. Refusals: a target with data (unless --force), a damaged file, a truncated file.
    restored.stop();
    refused(
        &skillpass(&["restore", "--store", &url2, backup.to_str().unwrap()]),
        "not empty",
    );
    ok(&skillpass(&[
        "restore",
        "--force",
        "--store",
        &url2,
        backup.to_str().unwrap(),
    ]));
    restored.start();
    assert_eq!(
        list_all(restored.addr, &token),
        at_backup,
        "--force: as backed up"
    );
    restored.stop();

    let fresh = cluster.create_database();
    let damaged = dir.path().join("damaged.backup");
    let middle = text.len() / 2;
    let mut bytes = text.clone().into_bytes();
    let at = (middle..bytes.len())
        .find(|&i| bytes[i].is_ascii_digit())
        .unwrap();
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&damaged, bytes).unwrap();
    refused(
        &skillpass(&["restore", "--store", &fresh, damaged.to_str().unwrap()]),
        "checksum",
    );
    let truncated = dir.path().join("truncated.backup");
    let cut: Vec<&str> = text.lines().collect();
    std::fs::write(&truncated, cut[..cut.len() - 3].join("\n") + "\n").unwrap();
    refused(
        &skillpass(&["restore", "--store", &fresh, truncated.to_str().unwrap()]),
        "truncated",
    );
    let not_backup = dir.path().join("x.backup");
    std::fs::write(&not_backup, "{\"hello\": 1}\n").unwrap();
    refused(
        &skillpass(&["restore", "--store", &fresh, not_backup.to_str().unwrap()]),
        "header",
    );
    // Nothing was written by the refused restores: the file is checked before the database
    // is even opened.
    let name = fresh
        .trim_start_matches("postgresql:///")
        .split('?')
        .next()
        .unwrap();
    assert_eq!(
        cluster
            .psql(
                name,
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            )
            .trim(),
        "0"
    );

    // 5. Restore into a fresh sled folder, and serve that.
    let sled2 = dir.path().join("r").join("data");
    let to = format!("sled:{}", sled2.display());
    ok(&skillpass(&[
        "restore",
        "--store",
        &to,
        backup.to_str().unwrap(),
    ]));
    let mut sled_node = Server::configure(
        dir.path(),
        "r",
        &format!("data_dir = {:?}", sled2.to_str().unwrap()),
    );
    sled_node.start();
    assert_eq!(list_all(sled_node.addr, &token), at_backup);
    let report = verify(sled_node.addr, &issued[0]);
    assert_eq!(report["verified"], true, "{report}");
    pg_node.stop();
    sled_node.stop();
}
