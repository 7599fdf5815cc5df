//! The trust registry's storage, run against both `Store` implementations (memory and sled),
//! plus durability of members and of the registry key across a sled reopen.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use skillpass::registry::{AccreditationStatus, QualityAssurance};
use skillpass::store::{Entity, Member, MemoryStore, SledStore, Store, StoreError};
use tempfile::TempDir;

struct Fixture {
    store: Arc<dyn Store>,
    _dir: Option<TempDir>,
}

fn memory() -> Fixture {
    Fixture {
        store: Arc::new(MemoryStore::new()),
        _dir: None,
    }
}

fn sled() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(dir.path().join("db")).unwrap();
    Fixture {
        store: Arc::new(store),
        _dir: Some(dir),
    }
}

fn member(id: &str, dids: &[&str]) -> Member {
    Member {
        id: id.into(),
        name: format!("{id} polytechnic"),
        country: "GH".into(),
        dids: dids.iter().map(|d| (*d).to_owned()).collect(),
        nodes: vec![],
        framework: "NTVETQF".into(),
        quality_assurance: QualityAssurance {
            body: "Ghana Tertiary Education Commission".into(),
            status: AccreditationStatus::Accredited,
            reference: Some("GTEC/2025/001".into()),
        },
        valid_from: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        valid_until: None,
    }
}

fn did_conflict(result: Result<impl std::fmt::Debug, StoreError>, holder: &str) {
    match result {
        Err(StoreError::Conflict {
            entity: Entity::MemberDid,
            existing,
        }) => assert_eq!(existing, holder),
        other => panic!("expected a DID conflict with {holder}, got {other:?}"),
    }
}

fn crud(store: &dyn Store) {
    assert!(store.list_members().unwrap().is_empty());
    assert!(store.put_member(&member("kpoly", &["did:key:zA"])).unwrap());
    assert!(store
        .put_member(&member("atu", &["did:key:zB", "did:key:zC"]))
        .unwrap());
    let ids: Vec<String> = store
        .list_members()
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, ["atu", "kpoly"], "ordered by id");
    assert_eq!(
        store.get_member("kpoly").unwrap().unwrap(),
        member("kpoly", &["did:key:zA"])
    );
    assert_eq!(
        store.find_member_by_did("did:key:zC").unwrap().unwrap().id,
        "atu"
    );
    assert!(store.find_member_by_did("did:key:zZ").unwrap().is_none());
    assert!(store.get_member("nobody").unwrap().is_none());

    // Replacing releases the old DIDs and indexes the new ones.
    let mut changed = member("atu", &["did:key:zC", "did:key:zD"]);
    changed.quality_assurance.status = AccreditationStatus::Withdrawn;
    assert!(!store.put_member(&changed).unwrap());
    assert!(store.find_member_by_did("did:key:zB").unwrap().is_none());
    assert_eq!(
        store.find_member_by_did("did:key:zD").unwrap().unwrap(),
        changed
    );

    // A DID belongs to one member.
    did_conflict(store.put_member(&member("htu", &["did:key:zA"])), "kpoly");
    assert!(store.get_member("htu").unwrap().is_none());

    // Invalid members are refused before anything is written.
    let mut bad = member("Bad Id", &["did:key:zE"]);
    assert!(matches!(
        store.put_member(&bad),
        Err(StoreError::Invalid(_))
    ));
    bad = member("bad", &["not-a-did"]);
    assert!(matches!(
        store.put_member(&bad),
        Err(StoreError::Invalid(_))
    ));
    assert!(store.find_member_by_did("did:key:zE").unwrap().is_none());

    // Delete returns the member and frees its DIDs.
    assert_eq!(store.delete_member("kpoly").unwrap().id, "kpoly");
    assert!(store.find_member_by_did("did:key:zA").unwrap().is_none());
    assert!(matches!(
        store.delete_member("kpoly"),
        Err(StoreError::NotFound {
            entity: Entity::Member,
            ..
        })
    ));
    assert!(store.put_member(&member("htu", &["did:key:zA"])).unwrap());
}

fn batches_are_all_or_nothing(store: &dyn Store) {
    store.put_member(&member("a", &["did:key:z1"])).unwrap();
    store.put_member(&member("b", &["did:key:z2"])).unwrap();
    // A DID moves from a to b while a takes a new one: fine, whatever the order.
    let created = store
        .put_members(&[
            member("b", &["did:key:z1"]),
            member("a", &["did:key:z3"]),
            member("c", &["did:key:z4"]),
        ])
        .unwrap();
    assert_eq!(created, [false, false, true]);
    assert_eq!(
        store.find_member_by_did("did:key:z1").unwrap().unwrap().id,
        "b"
    );
    assert!(store.find_member_by_did("did:key:z2").unwrap().is_none());

    // One bad member (a DID held by d, which is not in the batch) and nothing is written.
    store.put_member(&member("d", &["did:key:z9"])).unwrap();
    did_conflict(
        store.put_members(&[member("e", &["did:key:z5"]), member("a", &["did:key:z9"])]),
        "d",
    );
    assert!(store.get_member("e").unwrap().is_none());
    assert_eq!(store.get_member("a").unwrap().unwrap().dids, ["did:key:z3"]);

    // Duplicates within the batch.
    assert!(matches!(
        store.put_members(&[member("f", &["did:key:z6"]), member("f", &["did:key:z7"])]),
        Err(StoreError::Invalid(_))
    ));
    did_conflict(
        store.put_members(&[member("f", &["did:key:z6"]), member("g", &["did:key:z6"])]),
        "f",
    );
    assert!(store.get_member("f").unwrap().is_none());
}

fn registry_key_is_set_once(store: &dyn Store) {
    assert!(store.registry_key().unwrap().is_none());
    assert_eq!(
        store.init_registry_key("zFIRST").unwrap().as_str(),
        "zFIRST"
    );
    // A second initialisation (a concurrent first use) gets the key already stored.
    assert_eq!(
        store.init_registry_key("zSECOND").unwrap().as_str(),
        "zFIRST"
    );
    assert_eq!(store.registry_key().unwrap().unwrap().as_str(), "zFIRST");
}

macro_rules! suite {
    ($name:ident, $make:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn members_crud() {
                crud(&*$make.store);
            }
            #[test]
            fn batches() {
                batches_are_all_or_nothing(&*$make.store);
            }
            #[test]
            fn registry_key() {
                registry_key_is_set_once(&*$make.store);
            }
        }
    };
}

suite!(memory_store, memory());
suite!(sled_store, sled());

#[tokio::test]
async fn sled_keeps_members_and_key_across_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = SledStore::open(&path).unwrap();
        store.put_member(&member("kpoly", &["did:key:zA"])).unwrap();
        store.put_member(&member("atu", &["did:key:zB"])).unwrap();
        store.delete_member("atu").unwrap();
        store.init_registry_key("zKEY").unwrap();
        store.durable().await.unwrap();
    }
    let store = SledStore::open(&path).unwrap();
    assert_eq!(
        store.list_members().unwrap(),
        [member("kpoly", &["did:key:zA"])]
    );
    assert_eq!(
        store.find_member_by_did("did:key:zA").unwrap().unwrap().id,
        "kpoly"
    );
    assert!(store.find_member_by_did("did:key:zB").unwrap().is_none());
    assert_eq!(store.registry_key().unwrap().unwrap().as_str(), "zKEY");
}

#[test]
fn concurrent_puts_never_give_one_did_to_two_members() {
    for fixture in [memory(), sled()] {
        let store = fixture.store.clone();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let store = store.clone();
                std::thread::spawn(move || {
                    store
                        .put_member(&member(&format!("m{i}"), &["did:key:zSHARED"]))
                        .is_ok()
                })
            })
            .collect();
        let wins = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|ok| *ok)
            .count();
        assert_eq!(wins, 1);
        assert_eq!(store.list_members().unwrap().len(), 1);
    }
}
