//! Two real `skillpass serve` processes on one PostgreSQL database (a throwaway cluster,
//! `common/postgres.rs`), issuing at the same time, one of them killed with SIGKILL while
//! issuing and started again.
//!
//! What must hold: every credential either process acknowledged (201, or 200 for a repeated
//! record id) is stored with the same bytes and can be read through the other process; no
//! status list entry is in two credentials; a record id posted to both processes at once
//! yields one credential, which both answer with.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "common/postgres.rs"]
mod pg;
#[path = "common/serve.rs"]
mod serve;

use serve::{list_all, record, register, request, Server, PATIENCE};

/// Client threads per server.
const THREADS: usize = 4;

/// What the clients of one run saw: record id → acknowledged credential.
type Acks = Vec<(String, Value)>;

/// `THREADS` clients per address post records `{prefix}-{t}-{n}` (each client of `addrs[0]`
/// and the same-numbered one of `addrs[1]` post the same ids when `shared` is set) until
/// `stop` is set or `per_thread` are done. A request whose server went away (`stopping`) is
/// not acknowledged.
fn load(
    addrs: &[SocketAddr],
    token: &str,
    prefix: &str,
    per_thread: usize,
    shared: bool,
    stop: &Arc<AtomicBool>,
    acked: &Arc<AtomicUsize>,
) -> Vec<thread::JoinHandle<(Acks, Vec<String>)>> {
    let mut handles = Vec::new();
    for (s, addr) in addrs.iter().enumerate() {
        for t in 0..THREADS {
            let (addr, token, stop, acked) = (*addr, token.to_owned(), stop.clone(), acked.clone());
            let prefix = if shared {
                format!("{prefix}-{t}")
            } else {
                format!("{prefix}-s{s}-{t}")
            };
            handles.push(thread::spawn(move || {
                let mut acks = Vec::new();
                let mut failures = Vec::new();
                for n in 0..per_thread {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let id = format!("{prefix}-{n}");
                    match request(
                        addr,
                        "POST",
                        "/records?suspendable=true",
                        Some(&token),
                        Some(&record(&id)),
                    ) {
                        Ok(r) if r.status == 201 || r.status == 200 => {
                            acks.push((id, r.json()["verifiableCredential"].clone()));
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) => failures.push(format!(
                            "{id} on {addr}: HTTP {} {}",
                            r.status,
                            String::from_utf8_lossy(&r.body)
                        )),
                        // Its server is gone (killed): not acknowledged; this client stops.
                        Err(_) => break,
                    }
                }
                (acks, failures)
            }));
        }
    }
    handles
}

fn join(handles: Vec<thread::JoinHandle<(Acks, Vec<String>)>>) -> Acks {
    let mut acks = Vec::new();
    let mut failures = Vec::new();
    for h in handles {
        let (a, f) = h.join().unwrap();
        acks.extend(a);
        failures.extend(f);
    }
    assert!(failures.is_empty(), "{failures:#?}");
    acks
}

/// Every acknowledged credential stored unchanged, one credential per record id, no status
/// entry in two credentials. Returns how many credentials are stored.
fn check(addr: SocketAddr, token: &str, acks: &[(String, Value)]) -> usize {
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
    let mut by_record: HashMap<&str, &str> = HashMap::new();
    for (record_id, credential) in acks {
        let id = credential["id"].as_str().unwrap();
        assert_eq!(
            by_id.get(id).copied(),
            Some(credential),
            "acknowledged credential {id} ({record_id}) lost or changed"
        );
        if let Some(first) = by_record.insert(record_id, id) {
            assert_eq!(
                first, id,
                "record id {record_id} answered with two credentials"
            );
        }
    }
    let mut owner: HashMap<(String, String), &str> = HashMap::new();
    for c in &stored {
        for e in c["credentialStatus"].as_array().unwrap() {
            let entry = (
                e["statusListCredential"].as_str().unwrap().to_owned(),
                e["statusListIndex"].as_str().unwrap().to_owned(),
            );
            let id = c["id"].as_str().unwrap();
            if let Some(first) = owner.insert(entry.clone(), id) {
                panic!("status entry {entry:?} in both {first} and {id}");
            }
        }
    }
    stored.len()
}

#[test]
fn two_processes_issue_concurrently_and_survive_a_sigkill() {
    let cluster = pg::shared();
    let url = cluster.create_database();
    let dir = tempfile::tempdir().unwrap();
    let mut a = Server::configure(dir.path(), "a", &format!("database_url = {url:?}"));
    let mut b = Server::configure(dir.path(), "b", &format!("database_url = {url:?}"));
    // Started together: the migrations are applied once, under the advisory lock.
    let (ta, tb) = thread::scope(|s| {
        let ta = s.spawn(|| a.start());
        let tb = s.spawn(|| b.start());
        (ta.join(), tb.join())
    });
    ta.unwrap();
    tb.unwrap();
    let token = register(a.addr);
    // Registered through A, usable through B at once.
    assert_eq!(
        request(b.addr, "GET", "/credentials?limit=1", Some(&token), None)
            .unwrap()
            .status,
        200
    );

    // 1. Both processes issue distinct records at once.
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let mut acks = join(load(
        &[a.addr, b.addr],
        &token,
        "distinct",
        15,
        false,
        &stop,
        &count,
    ));
    assert_eq!(acks.len(), 2 * THREADS * 15);
    // 2. The same record ids posted to both at once: one credential each, both answer with it.
    let same = join(load(
        &[a.addr, b.addr],
        &token,
        "same",
        10,
        true,
        &stop,
        &count,
    ));
    assert_eq!(same.len(), 2 * THREADS * 10);
    acks.extend(same);
    let stored = check(b.addr, &token, &acks);
    assert_eq!(
        stored,
        THREADS * 15 * 2 + THREADS * 10,
        "one credential per record id"
    );

    // 3. Both issue; A is killed with SIGKILL mid-way; B goes on; A comes back.
    let count = Arc::new(AtomicUsize::new(0));
    let clients_a = load(
        &[a.addr],
        &token,
        "crash-a",
        usize::MAX,
        false,
        &stop,
        &count,
    );
    let clients_b = load(&[b.addr], &token, "crash-b", 40, false, &stop, &count);
    let deadline = Instant::now() + PATIENCE;
    while count.load(Ordering::SeqCst) < 60 {
        assert!(Instant::now() < deadline, "{}", a.log_text());
        thread::sleep(Duration::from_millis(5));
    }
    a.kill9();
    let from_a = join(clients_a);
    let from_b = join(clients_b);
    acks.extend(from_a.iter().cloned());
    acks.extend(from_b.iter().cloned());
    let stored = check(b.addr, &token, &acks);
    a.start();
    check(a.addr, &token, &acks);
    let acknowledged: std::collections::HashSet<&str> = acks
        .iter()
        .map(|(_, c)| c["id"].as_str().unwrap())
        .collect();
    eprintln!(
        "SIGKILL of process A while both issued: A had acknowledged {}, B {} in that run; \
         all {} acknowledged credentials stored ({stored} stored: {} more were in flight on A \
         when it died), no status entry in two credentials",
        from_a.len(),
        from_b.len(),
        acknowledged.len(),
        stored.saturating_sub(acknowledged.len()),
    );
    // 4. After the restart both issue again: still no entry handed out twice.
    let stop = Arc::new(AtomicBool::new(false));
    acks.extend(join(load(
        &[a.addr, b.addr],
        &token,
        "after",
        5,
        false,
        &stop,
        &count,
    )));
    check(a.addr, &token, &acks);

    // A credential issued by A verifies through B (status lists from the shared database).
    let first = &acks[0].1;
    let reply = request(
        b.addr,
        "POST",
        "/credentials/verify",
        None,
        Some(&json!({ "verifiableCredential": first })),
    )
    .unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["verified"], true, "{}", reply.json());
}
