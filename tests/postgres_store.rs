//! What only the PostgreSQL store has to get right: several processes on one database (here:
//! several stores, each with its own connections, as separate processes have), migrations
//! applied once when they start together, refusals of a database it must not use, and use from
//! inside an async runtime. The shared behaviour is in store_behaviour.rs.

use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use chrono::{TimeZone, Utc};
use serde_json::json;
use skillpass::store::{
    Entity, Institution, InstitutionKey, PostgresStore, StatusAllocation, StatusListId, Store,
    StoreError, StoredCredential,
};

#[path = "common/postgres.rs"]
mod pg;

fn institution(id: &str, token: u8) -> Institution {
    Institution {
        id: id.into(),
        name: format!("{id} Polytechnic"),
        country: "CN".into(),
        url: None,
        framework: "CQF".into(),
        quality_assurance: None,
        did: format!("did:web:{id}.example"),
        keys: vec![InstitutionKey {
            verification_method: format!("did:web:{id}.example#key-1"),
            public_key_multibase: "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd".into(),
            created: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            retired: None,
        }],
        token_hash: [token; 32],
        created: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
    }
}

fn credential(id: &str, record: &str, status: Vec<StatusAllocation>) -> StoredCredential {
    StoredCredential {
        id: id.into(),
        institution: "szpu".into(),
        record_id: Some(record.into()),
        credential: json!({"id": id}),
        status,
        issued: Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap(),
    }
}

/// The database name in a URL from `create_database`.
fn db_name(url: &str) -> &str {
    url.trim_start_matches("postgresql:///")
        .split('?')
        .next()
        .unwrap()
}

/// Four stores connecting to a fresh database at once: the migrations are applied once, and
/// all four work.
#[test]
fn migrations_apply_once_when_processes_start_together() {
    let cluster = pg::shared();
    let url = cluster.create_database();
    let barrier = Arc::new(Barrier::new(4));
    let stores: Vec<PostgresStore> = (0..4)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                PostgresStore::connect(&url).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let versions = cluster.psql(
        db_name(&url),
        "SELECT string_agg(version::text, ',' ORDER BY version) FROM skillpass_migrations",
    );
    let applied: Vec<&str> = versions.trim().split(',').collect();
    let unique: HashSet<&str> = applied.iter().copied().collect();
    assert_eq!(applied.len(), unique.len(), "a migration applied twice");
    assert!(applied.len() >= 2, "{versions}");
    stores[0]
        .insert_institution(&institution("szpu", 1))
        .unwrap();
    assert!(stores[3].get_institution("szpu").unwrap().is_some());
    // Connecting again applies nothing new.
    drop(PostgresStore::connect(&url).unwrap());
    assert_eq!(
        cluster
            .psql(db_name(&url), "SELECT count(*) FROM skillpass_migrations")
            .trim(),
        applied.len().to_string()
    );
}

#[test]
fn a_database_it_must_not_use_is_refused() {
    let cluster = pg::shared();
    let url = cluster.create_database();
    drop(PostgresStore::connect_with_list_size(&url, 1024).unwrap());
    // Another status list size would move entries already handed out.
    match PostgresStore::connect(&url) {
        Err(StoreError::Invalid(m)) => assert!(m.contains("1024"), "{m}"),
        other => panic!("list size change accepted: {:?}", other.err()),
    }
    // A layout from a newer skillpass.
    cluster.psql(
        db_name(&url),
        "INSERT INTO skillpass_migrations (version, name) VALUES (999, 'future')",
    );
    match PostgresStore::connect_with_list_size(&url, 1024) {
        Err(StoreError::Invalid(m)) => assert!(m.contains("newer"), "{m}"),
        other => panic!("newer layout accepted: {:?}", other.err()),
    }
    // Nothing listens there: a backend error naming the connection, not a hang or a panic.
    let nowhere = format!(
        "postgresql:///x?host={}/nowhere&user=skillpass",
        cluster.path().display()
    );
    match PostgresStore::connect(&nowhere) {
        Err(StoreError::Backend(m)) => assert!(m.contains("connect"), "{m}"),
        other => panic!("{:?}", other.err()),
    }
    assert!(matches!(
        PostgresStore::connect("postgresql:///x?pool_size=0"),
        Err(StoreError::Invalid(_))
    ));
}

/// Two stores (two processes' worth of connections) × 4 threads allocating at once: every
/// entry is handed out once, and the counter ends at the total.
#[test]
fn two_stores_never_hand_out_one_entry_twice() {
    let url = pg::shared().create_database();
    let a: Arc<dyn Store> = Arc::new(PostgresStore::connect_with_list_size(&url, 1024).unwrap());
    let b: Arc<dyn Store> = Arc::new(PostgresStore::connect_with_list_size(&url, 1024).unwrap());
    a.insert_institution(&institution("szpu", 1)).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let store = if t % 2 == 0 { a.clone() } else { b.clone() };
            std::thread::spawn(move || {
                (0..300)
                    .flat_map(|n| {
                        store
                            .allocate_status_indices("szpu", "revocation", 1 + n % 3)
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    for t in threads {
        for (list, index) in t.join().unwrap() {
            let n = StatusListId::parse(&list).unwrap().sequence * 1024 + index;
            assert!(seen.insert(n), "{list}#{index} handed out twice");
            total += 1;
        }
    }
    // 8 threads × 300 calls of 1, 2 or 3 entries: 8 × (100 × 6) = 4,800.
    assert_eq!(total, 4800);
    assert_eq!(seen.iter().max(), Some(&4799), "no gaps");
}

/// Two stores issuing for the same record ids at once: each record id is stored once, and the
/// loser gets `Conflict` naming the winner's credential.
#[test]
fn one_credential_per_record_id_across_stores() {
    let url = pg::shared().create_database();
    let a: Arc<dyn Store> = Arc::new(PostgresStore::connect_with_list_size(&url, 1024).unwrap());
    let b: Arc<dyn Store> = Arc::new(PostgresStore::connect_with_list_size(&url, 1024).unwrap());
    a.insert_institution(&institution("szpu", 1)).unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let issue = |store: Arc<dyn Store>, side: &'static str, barrier: Arc<Barrier>| {
        std::thread::spawn(move || {
            barrier.wait();
            (0..100)
                .map(|n| {
                    let (list, index) = store
                        .allocate_status_indices("szpu", "revocation", 1)
                        .unwrap()
                        .remove(0);
                    let status = vec![StatusAllocation {
                        list,
                        index,
                        purpose: "revocation".into(),
                    }];
                    let c = credential(&format!("urn:uuid:{side}-{n}"), &format!("r{n}"), status);
                    match store.insert_credential(&c) {
                        Ok(()) => (n, c.id),
                        Err(StoreError::Conflict {
                            entity: Entity::RecordId,
                            existing,
                        }) => (n, existing),
                        Err(e) => panic!("{e}"),
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let (ta, tb) = (
        issue(a.clone(), "a", barrier.clone()),
        issue(b.clone(), "b", barrier),
    );
    let (from_a, from_b) = (ta.join().unwrap(), tb.join().unwrap());
    // Both sides agree on the one credential of each record id, and it is stored.
    for ((n, ida), (_, idb)) in from_a.iter().zip(&from_b) {
        assert_eq!(ida, idb, "record r{n}");
        let stored = b
            .find_by_record_id("szpu", &format!("r{n}"))
            .unwrap()
            .unwrap();
        assert_eq!(&stored.id, ida);
    }
    assert_eq!(a.list_credentials("szpu", None, 1000).unwrap().len(), 100);
}

/// The trait is synchronous; async handlers sometimes call it straight from a runtime worker.
/// That works (no "runtime within a runtime" panic), and so does dropping the store there.
#[test]
fn usable_and_droppable_inside_an_async_runtime() {
    let url = pg::shared().create_database();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    runtime.block_on(async move {
        let store = PostgresStore::connect(&url).unwrap();
        store.insert_institution(&institution("szpu", 1)).unwrap();
        let store: Arc<dyn Store> = Arc::new(store);
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .allocate_status_indices("szpu", "suspension", 2)
                        .unwrap()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().len(), 2);
        }
        store.durable().await.unwrap();
        drop(store);
    });
    // And on a current-thread runtime, where blocking in place is not allowed.
    let url = pg::shared().create_database();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(async move {
            let store = PostgresStore::connect(&url).unwrap();
            assert!(store.list_institutions().unwrap().is_empty());
        });
}
