//! One behavioural suite, run against every `Store` implementation: memory, sled and
//! PostgreSQL (a real server: a throwaway cluster on a Unix socket, `common/postgres.rs`; each
//! test gets its own database).

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use serde_json::json;
use skillpass::store::{
    AuditEvent, Entity, Institution, InstitutionKey, MemoryStore, OfferState, SledStore,
    StatusAllocation, StatusEvent, StatusListId, Store, StoreError, StoredCredential, StoredOffer,
    Ticket,
};
use tempfile::TempDir;

/// A store and, for sled, the folder it lives in (dropped after the store).
struct Fixture {
    store: Arc<dyn Store>,
    _dir: Option<TempDir>,
}

fn memory(list_size: u64) -> Fixture {
    Fixture {
        store: Arc::new(MemoryStore::with_list_size(list_size).unwrap()),
        _dir: None,
    }
}

fn sled(list_size: u64) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open_with_list_size(dir.path().join("db"), list_size).unwrap();
    Fixture {
        store: Arc::new(store),
        _dir: Some(dir),
    }
}

#[path = "common/postgres.rs"]
mod pg;

fn postgres(list_size: u64) -> Fixture {
    let url = pg::shared().create_database();
    Fixture {
        store: Arc::new(
            skillpass::store::PostgresStore::connect_with_list_size(&url, list_size).unwrap(),
        ),
        _dir: None,
    }
}

const SECRET: &str = "zrv3kJcnBP1RpYmvNZ9jcYpKnZg4ejRrz9H7FcLdjfgxHnHuN8SFAKESECRET";

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

fn credential(
    id: &str,
    institution: &str,
    record: Option<&str>,
    status: Vec<StatusAllocation>,
) -> StoredCredential {
    StoredCredential {
        id: id.into(),
        institution: institution.into(),
        record_id: record.map(Into::into),
        credential: json!({"id": id, "type": ["VerifiableCredential", "OpenBadgeCredential"]}),
        status,
        issued: Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap(),
    }
}

fn event(n: u32, institution: Option<&str>) -> AuditEvent {
    AuditEvent {
        at: Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, n).unwrap(),
        actor: institution.unwrap_or("admin").into(),
        institution: institution.map(Into::into),
        action: "issue".into(),
        subject: Some(format!("urn:uuid:{n}")),
    }
}

fn with_two_institutions(store: &dyn Store) {
    store.insert_institution(&institution("szpu", 1)).unwrap();
    store.insert_institution(&institution("gdpt", 2)).unwrap();
}

fn institutions_conflicts_and_lookups(store: &dyn Store) {
    with_two_institutions(store);
    match store.insert_institution(&institution("szpu", 9)) {
        Err(StoreError::Conflict {
            entity: Entity::Institution,
            existing,
        }) => assert_eq!(existing, "szpu"),
        other => panic!("duplicate id: {other:?}"),
    }
    match store.insert_institution(&institution("other", 1)) {
        Err(StoreError::Conflict {
            entity: Entity::TokenHash,
            existing,
        }) => assert_eq!(existing, "szpu"),
        other => panic!("duplicate token hash: {other:?}"),
    }
    assert!(store.get_institution("other").unwrap().is_none());
    for bad in ["", "SZPU", "a/b", "a\0b", "-x", &"x".repeat(65)] {
        assert!(
            matches!(
                store.insert_institution(&institution(bad, 7)),
                Err(StoreError::Invalid(_))
            ),
            "{bad:?} accepted"
        );
    }
    let ids: Vec<String> = store
        .list_institutions()
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, ["gdpt", "szpu"]);
    assert_eq!(
        store.get_institution("szpu").unwrap().unwrap(),
        institution("szpu", 1)
    );
    assert!(store.get_institution("nope").unwrap().is_none());
    assert_eq!(
        store
            .find_institution_by_token_hash(&[2; 32])
            .unwrap()
            .unwrap()
            .id,
        "gdpt"
    );
    assert!(store
        .find_institution_by_token_hash(&[3; 32])
        .unwrap()
        .is_none());
}

fn institution_updates(store: &dyn Store) {
    with_two_institutions(store);
    let rotated = store
        .update_institution("szpu", &mut |i| {
            i.token_hash = [5; 32];
            i.keys.push(InstitutionKey {
                verification_method: "did:web:szpu.example#key-2".into(),
                public_key_multibase: "z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2".into(),
                created: Utc::now(),
                retired: None,
            });
            Ok(())
        })
        .unwrap();
    assert_eq!(rotated.keys.len(), 2);
    assert_eq!(store.get_institution("szpu").unwrap().unwrap(), rotated);
    assert!(
        store
            .find_institution_by_token_hash(&[1; 32])
            .unwrap()
            .is_none(),
        "old token"
    );
    assert_eq!(
        store
            .find_institution_by_token_hash(&[5; 32])
            .unwrap()
            .unwrap()
            .id,
        "szpu"
    );

    // Failed updates change nothing.
    let taken = store.update_institution("szpu", &mut |i| {
        i.token_hash = [2; 32];
        Ok(())
    });
    assert!(matches!(
        taken,
        Err(StoreError::Conflict { entity: Entity::TokenHash, ref existing }) if existing == "gdpt"
    ));
    let renamed = store.update_institution("szpu", &mut |i| {
        i.id = "gdpt".into();
        Ok(())
    });
    assert!(matches!(renamed, Err(StoreError::Invalid(_))));
    let refused = store.update_institution("szpu", &mut |i| {
        i.name = "changed".into();
        Err(StoreError::Invalid("caller says no".into()))
    });
    assert!(matches!(refused, Err(StoreError::Invalid(m)) if m == "caller says no"));
    assert_eq!(store.get_institution("szpu").unwrap().unwrap(), rotated);
    assert_eq!(
        store
            .find_institution_by_token_hash(&[2; 32])
            .unwrap()
            .unwrap()
            .id,
        "gdpt"
    );

    let missing = store.update_institution("nope", &mut |_| Ok(()));
    assert!(matches!(
        missing,
        Err(StoreError::NotFound {
            entity: Entity::Institution,
            ..
        })
    ));
}

/// An institution and its first key are stored together, or (on a conflict) neither.
fn registration_is_one_write(store: &dyn Store) {
    let vm = "did:key:z6Mk#z6Mk";
    store
        .insert_institution_with_key(&institution("szpu", 1), vm, SECRET)
        .unwrap();
    assert!(store.get_institution("szpu").unwrap().is_some());
    assert_eq!(
        store.secret_key("szpu", vm).unwrap().unwrap().as_str(),
        SECRET
    );
    // Same token hash: refused, and no key was stored for the refused institution.
    let clash = store
        .insert_institution_with_key(&institution("gdpt", 1), vm, "zOTHER")
        .unwrap_err();
    assert!(matches!(
        clash,
        StoreError::Conflict {
            entity: Entity::TokenHash,
            ..
        }
    ));
    assert!(store.get_institution("gdpt").unwrap().is_none());
    assert!(store.secret_key("gdpt", vm).unwrap().is_none());
    let again = store
        .insert_institution_with_key(&institution("szpu", 3), "other#m", "zOTHER")
        .unwrap_err();
    assert!(matches!(
        again,
        StoreError::Conflict {
            entity: Entity::Institution,
            ..
        }
    ));
    assert!(store.secret_key("szpu", "other#m").unwrap().is_none());
}

/// A key rotation stores the new secret key and the institution's new public key together, or
/// (on a conflict, or an error from the change) neither.
fn rotation_is_one_write(store: &dyn Store) {
    with_two_institutions(store);
    let rotate = |i: &mut Institution| {
        i.keys.push(InstitutionKey {
            verification_method: "did:web:szpu.example#key-2".into(),
            public_key_multibase: "z6MkNEW".into(),
            created: Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap(),
            retired: None,
        });
        Ok(())
    };
    let updated = store
        .update_institution_with_key("szpu", "did:web:szpu.example#key-2", "zK2", &mut |i| {
            rotate(i)
        })
        .unwrap();
    assert_eq!(updated.keys.len(), 2);
    assert_eq!(store.get_institution("szpu").unwrap().unwrap(), updated);
    assert_eq!(
        store
            .secret_key("szpu", "did:web:szpu.example#key-2")
            .unwrap()
            .unwrap()
            .as_str(),
        "zK2"
    );
    // The method has a key already: refused, and the institution is unchanged.
    let clash = store
        .update_institution_with_key("szpu", "did:web:szpu.example#key-2", "zK3", &mut |i| {
            i.name = "changed".into();
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(
        clash,
        StoreError::Conflict {
            entity: Entity::SecretKey,
            ..
        }
    ));
    assert_eq!(store.get_institution("szpu").unwrap().unwrap(), updated);
    assert_eq!(
        store
            .secret_key("szpu", "did:web:szpu.example#key-2")
            .unwrap()
            .unwrap()
            .as_str(),
        "zK2"
    );
    // An error from the change: no key stored either.
    let failed =
        store.update_institution_with_key("gdpt", "did:web:gdpt.example#k2", "zG2", &mut |_| {
            Err(StoreError::Invalid("no".into()))
        });
    assert!(matches!(failed, Err(StoreError::Invalid(_))));
    assert!(store
        .secret_key("gdpt", "did:web:gdpt.example#k2")
        .unwrap()
        .is_none());
    // A token hash of another institution: refused, no key stored.
    let taken =
        store.update_institution_with_key("gdpt", "did:web:gdpt.example#k3", "zG3", &mut |i| {
            i.token_hash = [1; 32];
            Ok(())
        });
    assert!(matches!(
        taken,
        Err(StoreError::Conflict {
            entity: Entity::TokenHash,
            ..
        })
    ));
    assert!(store
        .secret_key("gdpt", "did:web:gdpt.example#k3")
        .unwrap()
        .is_none());
    assert!(matches!(
        store.update_institution_with_key("nope", "x#1", "z", &mut |_| Ok(())),
        Err(StoreError::NotFound {
            entity: Entity::Institution,
            ..
        })
    ));
}

/// `reseal_keys` rewrites every institution key and the registry key with the custody
/// record in one write; an error leaves everything as it was.
fn reseal_rewrites_every_key_or_none(store: &dyn Store) {
    with_two_institutions(store);
    store.put_secret_key("szpu", "a#1", "zA").unwrap();
    store.put_secret_key("gdpt", "b#1", "zB").unwrap();
    store.init_registry_key("zR").unwrap();
    assert!(store.key_custody().unwrap().is_none());
    let mut seen = Vec::new();
    let n = store
        .reseal_keys(b"record-1", &mut |slot, current| {
            seen.push(format!("{slot:?}"));
            Ok(zeroize::Zeroizing::new(format!("{current}!")))
        })
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(seen.len(), 3);
    assert_eq!(
        store.secret_key("szpu", "a#1").unwrap().unwrap().as_str(),
        "zA!"
    );
    assert_eq!(
        store.secret_key("gdpt", "b#1").unwrap().unwrap().as_str(),
        "zB!"
    );
    assert_eq!(store.registry_key().unwrap().unwrap().as_str(), "zR!");
    assert_eq!(store.key_custody().unwrap().unwrap(), b"record-1");
    // An error from the closure on the last key: nothing changes.
    let mut calls = 0;
    let failed = store.reseal_keys(b"record-2", &mut |slot, current| {
        calls += 1;
        if slot == skillpass::store::KeySlot::Registry {
            return Err(StoreError::Invalid("no".into()));
        }
        Ok(zeroize::Zeroizing::new(format!("{current}?")))
    });
    assert!(matches!(failed, Err(StoreError::Invalid(_))));
    assert!(calls >= 3);
    assert_eq!(
        store.secret_key("szpu", "a#1").unwrap().unwrap().as_str(),
        "zA!"
    );
    assert_eq!(store.registry_key().unwrap().unwrap().as_str(), "zR!");
    assert_eq!(store.key_custody().unwrap().unwrap(), b"record-1");
}

/// API token hashes re-hashed at start-up (src/api_tokens.rs): every institution's hash and
/// the lookup by hash follow, in one write with the scheme record.
fn token_rehash_rewrites_every_hash(store: &dyn Store) {
    with_two_institutions(store);
    assert!(store.token_scheme().unwrap().is_none());
    let before = store.get_institution("szpu").unwrap().unwrap().token_hash;
    let n = store
        .rehash_tokens(b"scheme-1", &mut |old| {
            let mut new = *old;
            new[0] ^= 0xff;
            new
        })
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(store.token_scheme().unwrap().unwrap(), b"scheme-1");
    let mut after = before;
    after[0] ^= 0xff;
    assert_eq!(
        store.get_institution("szpu").unwrap().unwrap().token_hash,
        after
    );
    assert!(store
        .find_institution_by_token_hash(&before)
        .unwrap()
        .is_none());
    assert_eq!(
        store
            .find_institution_by_token_hash(&after)
            .unwrap()
            .unwrap()
            .id,
        "szpu"
    );
    // The other institution too, and a token update after the rehash still works.
    let gdpt = store.get_institution("gdpt").unwrap().unwrap().token_hash;
    assert_eq!(
        store
            .find_institution_by_token_hash(&gdpt)
            .unwrap()
            .unwrap()
            .id,
        "gdpt"
    );
    store
        .update_institution("gdpt", &mut |i| {
            i.token_hash = [0x77; 32];
            Ok(())
        })
        .unwrap();
    assert!(store
        .find_institution_by_token_hash(&gdpt)
        .unwrap()
        .is_none());
    assert_eq!(
        store
            .find_institution_by_token_hash(&[0x77; 32])
            .unwrap()
            .unwrap()
            .id,
        "gdpt"
    );
}

fn secret_keys_stay_apart(store: &dyn Store) {
    with_two_institutions(store);
    let vm = "did:web:szpu.example#key-1";
    store.put_secret_key("szpu", vm, SECRET).unwrap();
    assert_eq!(
        store.secret_key("szpu", vm).unwrap().unwrap().as_str(),
        SECRET
    );
    assert!(store.secret_key("gdpt", vm).unwrap().is_none());
    assert!(store
        .secret_key("szpu", "did:web:szpu.example#key-2")
        .unwrap()
        .is_none());

    let again = store.put_secret_key("szpu", vm, "zOTHER").unwrap_err();
    assert!(matches!(
        again,
        StoreError::Conflict {
            entity: Entity::SecretKey,
            ..
        }
    ));
    assert!(!again.to_string().contains(SECRET) && !again.to_string().contains("zOTHER"));
    assert_eq!(
        store.secret_key("szpu", vm).unwrap().unwrap().as_str(),
        SECRET,
        "not replaced"
    );
    let orphan = store.put_secret_key("nope", vm, SECRET).unwrap_err();
    assert!(matches!(
        orphan,
        StoreError::NotFound {
            entity: Entity::Institution,
            ..
        }
    ));
    assert!(!orphan.to_string().contains(SECRET));

    let listed = serde_json::to_string(&store.list_institutions().unwrap()).unwrap();
    let got = serde_json::to_string(&store.get_institution("szpu").unwrap()).unwrap();
    let debug = format!("{:?}", store.list_institutions().unwrap());
    for text in [listed, got, debug] {
        assert!(text.contains("szpu") && !text.contains(SECRET), "{text}");
        assert!(!text.contains("FAKESECRET"));
    }
}

fn credentials_conflicts_and_record_ids(store: &dyn Store) {
    with_two_institutions(store);
    let first = credential("urn:uuid:1", "szpu", Some("rec-1"), vec![]);
    store.insert_credential(&first).unwrap();
    assert_eq!(store.get_credential("urn:uuid:1").unwrap().unwrap(), first);
    assert!(store.get_credential("urn:uuid:x").unwrap().is_none());

    let same_id = credential("urn:uuid:1", "szpu", Some("rec-2"), vec![]);
    match store.insert_credential(&same_id) {
        Err(StoreError::Conflict {
            entity: Entity::Credential,
            existing,
        }) => assert_eq!(existing, "urn:uuid:1"),
        other => panic!("duplicate credential id: {other:?}"),
    }
    assert!(
        store.find_by_record_id("szpu", "rec-2").unwrap().is_none(),
        "no partial write"
    );

    // A repeated issue for the same record names the first credential.
    let retry = credential("urn:uuid:2", "szpu", Some("rec-1"), vec![]);
    match store.insert_credential(&retry) {
        Err(StoreError::Conflict {
            entity: Entity::RecordId,
            existing,
        }) => assert_eq!(existing, "urn:uuid:1"),
        other => panic!("duplicate record id: {other:?}"),
    }
    assert!(
        store.get_credential("urn:uuid:2").unwrap().is_none(),
        "no partial write"
    );

    // Record ids are per institution; credentials without one never collide.
    store
        .insert_credential(&credential("urn:uuid:3", "gdpt", Some("rec-1"), vec![]))
        .unwrap();
    store
        .insert_credential(&credential("urn:uuid:4", "szpu", None, vec![]))
        .unwrap();
    store
        .insert_credential(&credential("urn:uuid:5", "szpu", None, vec![]))
        .unwrap();
    assert_eq!(
        store
            .find_by_record_id("szpu", "rec-1")
            .unwrap()
            .unwrap()
            .id,
        "urn:uuid:1"
    );
    assert_eq!(
        store
            .find_by_record_id("gdpt", "rec-1")
            .unwrap()
            .unwrap()
            .id,
        "urn:uuid:3"
    );
    assert!(store.find_by_record_id("gdpt", "rec-9").unwrap().is_none());

    let orphan = store.insert_credential(&credential("urn:uuid:6", "nope", None, vec![]));
    assert!(matches!(
        orphan,
        Err(StoreError::NotFound {
            entity: Entity::Institution,
            ..
        })
    ));

    // Status entries must be the credential's own institution's, of the stated purpose.
    let (list, index) = store
        .allocate_status_indices("gdpt", "revocation", 1)
        .unwrap()
        .remove(0);
    for (list, purpose) in [
        (list.as_str(), "revocation"),
        ("szpu/revocation/0", "suspension"),
        ("not a list", "revocation"),
    ] {
        let foreign = credential(
            "urn:uuid:7",
            "szpu",
            Some("rec-7"),
            vec![StatusAllocation {
                list: list.into(),
                index,
                purpose: purpose.into(),
            }],
        );
        assert!(
            matches!(
                store.insert_credential(&foreign),
                Err(StoreError::Invalid(_))
            ),
            "{list} {purpose}"
        );
    }
    assert!(store.get_credential("urn:uuid:7").unwrap().is_none());
    assert!(store.find_by_record_id("szpu", "rec-7").unwrap().is_none());
}

fn paging_in_issue_order(store: &dyn Store) {
    with_two_institutions(store);
    let mut expected = Vec::new();
    for n in 0..25 {
        // Ids deliberately not in sort order, interleaved with another institution.
        let id = format!("urn:uuid:{}", 1000 - n);
        store
            .insert_credential(&credential(&id, "szpu", None, vec![]))
            .unwrap();
        store
            .insert_credential(&credential(&format!("urn:uuid:g{n}"), "gdpt", None, vec![]))
            .unwrap();
        expected.push(id);
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .list_credentials("szpu", after.as_deref(), 10)
            .unwrap();
        assert!(page.len() <= 10);
        if page.is_empty() {
            break;
        }
        assert!(page.iter().all(|c| c.institution == "szpu"));
        after = Some(page.last().unwrap().id.clone());
        seen.extend(page.into_iter().map(|c| c.id));
    }
    assert_eq!(seen, expected);
    let sizes: Vec<usize> = [None, Some(9), Some(19)]
        .iter()
        .map(|a| {
            let after = a.map(|i: usize| expected[i].clone());
            store
                .list_credentials("szpu", after.as_deref(), 10)
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(sizes, [10, 10, 5]);
    assert!(store.list_credentials("szpu", None, 0).unwrap().is_empty());
    assert!(store.list_credentials("none", None, 10).unwrap().is_empty());
    assert!(store
        .list_credentials("szpu\0", None, 10)
        .unwrap()
        .is_empty());
    for bad in ["urn:uuid:missing", "urn:uuid:g3"] {
        assert!(matches!(
            store.list_credentials("szpu", Some(bad), 10),
            Err(StoreError::NotFound {
                entity: Entity::Credential,
                ..
            })
        ));
    }
}

/// Needs a store with 16-entry lists.
fn status_lists_bits_and_rollover(store: &dyn Store) {
    with_two_institutions(store);
    let first = store
        .allocate_status_indices("szpu", "revocation", 3)
        .unwrap();
    let list0 = "szpu/revocation/0".to_string();
    assert_eq!(
        first,
        [(list0.clone(), 0), (list0.clone(), 1), (list0.clone(), 2)]
    );
    // Counters are per institution and purpose.
    assert_eq!(
        store
            .allocate_status_indices("szpu", "suspension", 1)
            .unwrap(),
        [("szpu/suspension/0".to_string(), 0)]
    );
    assert_eq!(
        store
            .allocate_status_indices("gdpt", "revocation", 1)
            .unwrap(),
        [("gdpt/revocation/0".to_string(), 0)]
    );
    assert!(store
        .allocate_status_indices("szpu", "revocation", 0)
        .unwrap()
        .is_empty());

    // 3 + 15 = 18 entries: the list of 16 fills up and the next one starts at 0.
    let more = store
        .allocate_status_indices("szpu", "revocation", 15)
        .unwrap();
    assert_eq!(more[12], (list0.clone(), 15));
    assert_eq!(more[13], ("szpu/revocation/1".to_string(), 0));
    assert_eq!(more[14], ("szpu/revocation/1".to_string(), 1));

    // Bit order of the W3C Bitstring Status List: index 0 is the first byte's leftmost bit.
    assert_eq!(store.status_bits(&list0).unwrap(), [0, 0]);
    assert!(!store.set_status_bit(&list0, 0, true).unwrap());
    assert!(
        store.set_status_bit(&list0, 0, true).unwrap(),
        "returns the previous value"
    );
    assert!(!store.set_status_bit(&list0, 9, true).unwrap());
    assert!(!store.set_status_bit(&list0, 15, true).unwrap());
    assert_eq!(
        store.status_bits(&list0).unwrap(),
        [0b1000_0000, 0b0100_0001]
    );
    assert!(store.set_status_bit(&list0, 0, false).unwrap());
    assert_eq!(store.status_bits(&list0).unwrap(), [0, 0b0100_0001]);
    // Lists are independent.
    assert_eq!(store.status_bits("szpu/suspension/0").unwrap(), [0, 0]);
    assert_eq!(store.status_bits("szpu/revocation/1").unwrap(), [0, 0]);
    assert!(store.set_status_bit("szpu/revocation/1", 1, true).is_ok());
    assert_eq!(
        store.status_bits("szpu/revocation/1").unwrap(),
        [0b0100_0000, 0]
    );

    // Only handed-out entries and lists exist.
    for (list, index) in [
        ("szpu/revocation/1", 2),
        ("szpu/revocation/0", 16),
        ("szpu/suspension/0", 1),
        ("gdpt/suspension/0", 0),
    ] {
        assert!(
            matches!(
                store.set_status_bit(list, index, true),
                Err(StoreError::NotFound {
                    entity: Entity::StatusIndex,
                    ..
                })
            ),
            "{list}#{index}"
        );
    }
    for list in [
        "szpu/revocation/2",
        "szpu/revocation/01",
        "szpu/other/0",
        "nope",
        "x/revocation/0",
    ] {
        assert!(
            matches!(
                store.status_bits(list),
                Err(StoreError::NotFound {
                    entity: Entity::StatusList,
                    ..
                })
            ),
            "{list}"
        );
    }
    assert!(matches!(
        store.allocate_status_indices("szpu", "expiry", 1),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.allocate_status_indices("nope", "revocation", 1),
        Err(StoreError::NotFound {
            entity: Entity::Institution,
            ..
        })
    ));
    assert_eq!(
        StatusListId::parse("szpu/revocation/1")
            .unwrap()
            .to_string(),
        "szpu/revocation/1"
    );
}

/// Needs a store with 16-entry lists.
fn stored_credentials_raise_the_counter(store: &dyn Store) {
    with_two_institutions(store);
    // As after a crash that kept a credential but lost the counter update before it.
    let status = vec![StatusAllocation {
        list: "szpu/revocation/1".into(),
        index: 4,
        purpose: "revocation".into(),
    }];
    store
        .insert_credential(&credential("urn:uuid:1", "szpu", None, status))
        .unwrap();
    assert_eq!(
        store
            .allocate_status_indices("szpu", "revocation", 1)
            .unwrap(),
        [("szpu/revocation/1".to_string(), 5)]
    );
    assert_eq!(
        store
            .allocate_status_indices("szpu", "suspension", 1)
            .unwrap(),
        [("szpu/suspension/0".to_string(), 0)]
    );
}

fn status_event(minute: u32, action: &str, reason: Option<&str>, publish: bool) -> StatusEvent {
    StatusEvent {
        at: Utc.with_ymd_and_hms(2025, 7, 1, 9, minute, 0).unwrap(),
        actor: "szpu".into(),
        action: action.into(),
        reason: reason.map(Into::into),
        publish_reason: publish,
    }
}

/// A status change sets the bit and records its history entry together; a change that
/// changes nothing records nothing; only the credential's own entries can be changed.
fn status_changes_and_history(store: &dyn Store) {
    with_two_institutions(store);
    let allocate = |purpose: &str| {
        let (list, index) = store.allocate_status_indices("szpu", purpose, 1).unwrap()[0].clone();
        StatusAllocation {
            list,
            index,
            purpose: purpose.into(),
        }
    };
    let (revocation, suspension) = (allocate("revocation"), allocate("suspension"));
    let other = allocate("revocation");
    store
        .insert_credential(&credential(
            "urn:uuid:h1",
            "szpu",
            None,
            vec![revocation.clone(), suspension.clone()],
        ))
        .unwrap();
    store
        .insert_credential(&credential(
            "urn:uuid:h2",
            "szpu",
            None,
            vec![other.clone()],
        ))
        .unwrap();
    assert!(store.status_history("urn:uuid:h1").unwrap().is_empty());

    let suspend = status_event(1, "suspend", Some("exam under review"), false);
    let prev = store
        .change_status(
            "urn:uuid:h1",
            &suspension.list,
            suspension.index,
            true,
            &suspend,
        )
        .unwrap();
    assert!(!prev);
    // Suspending again changes nothing and records nothing.
    let again = status_event(2, "suspend", Some("again"), true);
    assert!(store
        .change_status(
            "urn:uuid:h1",
            &suspension.list,
            suspension.index,
            true,
            &again
        )
        .unwrap());
    let unsuspend = status_event(3, "unsuspend", None, false);
    store
        .change_status(
            "urn:uuid:h1",
            &suspension.list,
            suspension.index,
            false,
            &unsuspend,
        )
        .unwrap();
    let revoke = status_event(4, "revoke", Some("awarded in error"), true);
    store
        .change_status(
            "urn:uuid:h1",
            &revocation.list,
            revocation.index,
            true,
            &revoke,
        )
        .unwrap();
    assert_eq!(
        store.status_history("urn:uuid:h1").unwrap(),
        [suspend, unsuspend, revoke.clone()]
    );
    let bits = store.status_bits(&revocation.list).unwrap();
    let byte = bits[(revocation.index / 8) as usize];
    assert_ne!(byte & (0x80 >> (revocation.index % 8)), 0, "the bit is set");

    // Another credential's entry: refused, nothing changed, nothing recorded.
    assert!(matches!(
        store.change_status("urn:uuid:h1", &other.list, other.index, true, &revoke),
        Err(StoreError::Invalid(_))
    ));
    let bits = store.status_bits(&other.list).unwrap();
    assert_eq!(
        bits[(other.index / 8) as usize] & (0x80 >> (other.index % 8)),
        0
    );
    assert!(store.status_history("urn:uuid:h2").unwrap().is_empty());
    assert_eq!(store.status_history("urn:uuid:h1").unwrap().len(), 3);
    // An unknown credential.
    assert!(matches!(
        store.change_status("urn:uuid:nope", &other.list, other.index, true, &revoke),
        Err(StoreError::NotFound {
            entity: Entity::Credential,
            ..
        })
    ));
    assert!(store.status_history("urn:uuid:nope").unwrap().is_empty());
    // A credential id that is a prefix of another's sees only its own history.
    assert!(store.status_history("urn:uuid:h").unwrap().is_empty());
}

fn audit_in_order(store: &dyn Store) {
    with_two_institutions(store);
    let events: Vec<AuditEvent> = (0..6)
        .map(|n| event(n, [Some("szpu"), Some("gdpt"), None][n as usize % 3]))
        .collect();
    for e in &events {
        store.append_audit(e).unwrap();
    }
    assert_eq!(store.audit(None, 100).unwrap(), events);
    assert_eq!(
        store.audit(None, 2).unwrap(),
        events[4..],
        "the latest, oldest first"
    );
    assert_eq!(
        store.audit(Some("szpu"), 100).unwrap(),
        [events[0].clone(), events[3].clone()]
    );
    assert_eq!(store.audit(Some("gdpt"), 1).unwrap(), [events[4].clone()]);
    assert!(store.audit(Some("nope"), 10).unwrap().is_empty());
    assert!(store.audit(None, 0).unwrap().is_empty());
    let mut bad = event(9, Some("szpu"));
    bad.institution = Some("Not A Slug".into());
    assert!(matches!(
        store.append_audit(&bad),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.audit(None, 100).unwrap().len(), 6);
}

fn durable_and_flush(store: &dyn Store) {
    with_two_institutions(store);
    store
        .insert_credential(&credential("urn:uuid:1", "szpu", None, vec![]))
        .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let waits: Vec<_> = (0..20).map(|_| store.durable()).collect();
        for w in waits {
            w.await.unwrap();
        }
    });
    store.flush().unwrap();
}

/// 8 threads × 2,000 single allocations: every entry handed out once, no gaps, lists of 1,024
/// filled in turn.
fn concurrent_allocations(store: Arc<dyn Store>) {
    store.insert_institution(&institution("szpu", 1)).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                (0..2000)
                    .map(|_| {
                        store
                            .allocate_status_indices("szpu", "revocation", 1)
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers = HashSet::new();
    for t in threads {
        let mut last = None;
        for entries in t.join().unwrap() {
            assert_eq!(entries.len(), 1);
            let (list, index) = &entries[0];
            assert!(*index < 1024);
            let id = StatusListId::parse(list).unwrap();
            let n = id.sequence * 1024 + index;
            assert!(numbers.insert(n), "{list}#{index} handed out twice");
            // Each thread sees the counter only move forward.
            assert!(last < Some(n));
            last = Some(n);
        }
    }
    assert_eq!(numbers.len(), 16_000);
    assert_eq!(numbers.iter().max(), Some(&15_999), "no gaps");
    assert_eq!(
        store
            .allocate_status_indices("szpu", "revocation", 1)
            .unwrap(),
        [("szpu/revocation/15".to_string(), 16_000 - 15 * 1024)]
    );
}

fn offer(id: &str, credential: &str, minute: u32) -> StoredOffer {
    StoredOffer {
        id: id.into(),
        institution: "szpu".into(),
        credential: credential.into(),
        keep_identifier: false,
        created: Utc.with_ymd_and_hms(2025, 6, 1, 12, minute, 0).unwrap(),
        expires: Utc.with_ymd_and_hms(2025, 7, 1, 12, 0, 0).unwrap(),
        tx_code_hash: Some([7; 32]),
        failed_codes: 0,
        interaction_secret: format!("secret-{id}"),
        state: OfferState::Open,
    }
}

fn offers_conflicts_updates_and_lists(store: &dyn Store) {
    with_two_institutions(store);
    store
        .insert_credential(&credential("urn:uuid:c1", "szpu", None, vec![]))
        .unwrap();
    // An offer of a credential that does not exist is refused.
    assert!(matches!(
        store.insert_offer(&offer("o0", "urn:uuid:missing", 0)),
        Err(StoreError::NotFound {
            entity: Entity::Credential,
            ..
        })
    ));
    store.insert_offer(&offer("o2", "urn:uuid:c1", 2)).unwrap();
    store.insert_offer(&offer("o1", "urn:uuid:c1", 1)).unwrap();
    assert!(matches!(
        store.insert_offer(&offer("o1", "urn:uuid:c1", 3)),
        Err(StoreError::Conflict {
            entity: Entity::Offer,
            ..
        })
    ));
    let ids: Vec<String> = store
        .list_offers("urn:uuid:c1")
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(ids, ["o1", "o2"], "oldest first");
    assert!(
        store.list_offers("urn:uuid:c").unwrap().is_empty(),
        "no prefix match"
    );

    let at = Utc.with_ymd_and_hms(2025, 6, 2, 0, 0, 0).unwrap();
    let updated = store
        .update_offer("o1", &mut |o| {
            o.state = OfferState::Withdrawn { at };
            Ok(())
        })
        .unwrap();
    assert_eq!(updated.state, OfferState::Withdrawn { at });
    assert_eq!(store.get_offer("o1").unwrap().unwrap(), updated);
    // What an offer offers cannot change; an error from the change aborts it.
    assert!(matches!(
        store.update_offer("o2", &mut |o| {
            o.credential = "urn:uuid:other".into();
            Ok(())
        }),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.update_offer("o2", &mut |o| {
            o.failed_codes = 9;
            Err(StoreError::Invalid("no".into()))
        }),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.get_offer("o2").unwrap().unwrap().failed_codes, 0);
    assert!(matches!(
        store.update_offer("nope", &mut |_| Ok(())),
        Err(StoreError::NotFound {
            entity: Entity::Offer,
            ..
        })
    ));
}

fn tickets_are_taken_once(store: &dyn Store) {
    let expires = Utc.with_ymd_and_hms(2025, 6, 1, 12, 10, 0).unwrap();
    let ticket = Ticket {
        offer: "o1".into(),
        expires,
        data: json!({"challenge": "c"}),
    };
    store.put_ticket("nonce/aa", &ticket).unwrap();
    assert!(matches!(
        store.put_ticket("nonce/aa", &ticket),
        Err(StoreError::Conflict {
            entity: Entity::Ticket,
            ..
        })
    ));
    assert_eq!(store.get_ticket("nonce/aa").unwrap(), Some(ticket.clone()));
    assert_eq!(store.take_ticket("nonce/aa").unwrap(), Some(ticket.clone()));
    assert_eq!(store.take_ticket("nonce/aa").unwrap(), None);
    assert_eq!(store.get_ticket("nonce/aa").unwrap(), None);

    let later = Ticket {
        expires: expires + chrono::Duration::hours(1),
        ..ticket.clone()
    };
    store.put_ticket("a", &ticket).unwrap();
    store.put_ticket("b", &later).unwrap();
    assert_eq!(
        store
            .purge_tickets(expires + chrono::Duration::seconds(1))
            .unwrap(),
        1
    );
    assert_eq!(store.get_ticket("a").unwrap(), None);
    assert_eq!(store.get_ticket("b").unwrap(), Some(later));
}

fn concurrent_ticket_takes(store: Arc<dyn Store>) {
    let ticket = Ticket {
        offer: String::new(),
        expires: Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
        data: serde_json::Value::Null,
    };
    for n in 0..50 {
        store.put_ticket(&format!("code/{n}"), &ticket).unwrap();
    }
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                (0..50)
                    .filter(|n| store.take_ticket(&format!("code/{n}")).unwrap().is_some())
                    .count()
            })
        })
        .collect();
    let taken: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(taken, 50, "each ticket taken exactly once");
}

fn staff(email: &str, institution: Option<&str>, role: &str) -> skillpass::store::StaffAccount {
    skillpass::store::StaffAccount {
        email: email.into(),
        id: format!("id-of-{email}"),
        institution: institution.map(str::to_owned),
        role: role.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
        created: Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(),
        disabled: false,
    }
}

fn staff_accounts(store: &dyn Store) {
    with_two_institutions(store);
    let alice = staff("alice@szpu.test", Some("szpu"), "registrar");
    store.insert_staff(&alice).unwrap();
    store
        .insert_staff(&staff("op@node.test", None, "operator"))
        .unwrap();
    store
        .insert_staff(&staff("bob@gdpt.test", Some("gdpt"), "viewer"))
        .unwrap();
    // The e-mail is the id; an unknown institution is refused.
    assert!(matches!(
        store.insert_staff(&staff("alice@szpu.test", Some("gdpt"), "viewer")),
        Err(StoreError::Conflict { entity: Entity::Staff, existing }) if existing == "alice@szpu.test"
    ));
    assert!(matches!(
        store.insert_staff(&staff("carol@x.test", Some("nowhere"), "viewer")),
        Err(StoreError::NotFound {
            entity: Entity::Institution,
            ..
        })
    ));
    assert_eq!(
        store.get_staff("alice@szpu.test").unwrap(),
        Some(alice.clone())
    );
    assert_eq!(store.get_staff("carol@x.test").unwrap(), None);
    let emails: Vec<String> = store
        .list_staff()
        .unwrap()
        .into_iter()
        .map(|a| a.email)
        .collect();
    assert_eq!(emails, ["alice@szpu.test", "bob@gdpt.test", "op@node.test"]);

    // Role and state change; whose account it is cannot.
    let updated = store
        .update_staff("alice@szpu.test", &mut |a| {
            a.role = "viewer".into();
            a.disabled = true;
            Ok(())
        })
        .unwrap();
    assert_eq!((updated.role.as_str(), updated.disabled), ("viewer", true));
    assert_eq!(
        store.get_staff("alice@szpu.test").unwrap(),
        Some(updated.clone())
    );
    assert!(matches!(
        store.update_staff("alice@szpu.test", &mut |a| {
            a.institution = Some("gdpt".into());
            Ok(())
        }),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(updated.id, "id-of-alice@szpu.test", "the id is kept");
    assert!(matches!(
        store.update_staff("alice@szpu.test", &mut |a| {
            a.id = "another".into();
            Ok(())
        }),
        Err(StoreError::Invalid(_))
    ));
    // An error from the change aborts it.
    assert!(store
        .update_staff("alice@szpu.test", &mut |a| {
            a.role = "registrar".into();
            Err(StoreError::Invalid("no".into()))
        })
        .is_err());
    assert_eq!(store.get_staff("alice@szpu.test").unwrap(), Some(updated));
    assert!(matches!(
        store.update_staff("nobody@x.test", &mut |_| Ok(())),
        Err(StoreError::NotFound {
            entity: Entity::Staff,
            ..
        })
    ));
}

fn passport(id: &str) -> skillpass::store::StoredPassport {
    let wrapped = skillpass::store::WrappedKey {
        salt: "c2FsdA".into(),
        params: [19456, 2, 1],
        wrapped: "d3JhcHBlZA".into(),
    };
    skillpass::store::StoredPassport {
        id: id.into(),
        created: Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(),
        holder: format!("did:key:z6Mk{id}"),
        passphrase: wrapped.clone(),
        recovery: wrapped,
        holder_key: "sealed".into(),
        session_epoch: 0,
        credentials: Vec::new(),
    }
}

fn share(id: &str, passport: &str, minute: u32) -> skillpass::store::StoredShare {
    let created = Utc.with_ymd_and_hms(2026, 9, 1, 8, minute, 0).unwrap();
    skillpass::store::StoredShare {
        id: id.into(),
        passport: passport.into(),
        created,
        expires: created + chrono::Duration::days(30),
        withdrawn: None,
        opened: Vec::new(),
        content: format!("content-{id}"),
        link: format!("link-{id}"),
        credentials: 1,
    }
}

fn passports_and_shares(store: &dyn Store) {
    let a = passport("aaaa");
    store.insert_passport(&a).unwrap();
    assert!(matches!(
        store.insert_passport(&a),
        Err(StoreError::Conflict {
            entity: Entity::Passport,
            ..
        })
    ));
    assert_eq!(store.get_passport("aaaa").unwrap(), Some(a.clone()));
    assert_eq!(store.get_passport("nope").unwrap(), None);
    store.insert_passport(&passport("bbbb")).unwrap();

    // Updates: credentials and epoch change, id and holder do not; an error aborts.
    let updated = store
        .update_passport("aaaa", &mut |p| {
            p.session_epoch += 1;
            p.credentials.push(skillpass::store::PassportEntry {
                id: "e1".into(),
                added: p.created,
                source: "import".into(),
                sealed: "x".into(),
            });
            Ok(())
        })
        .unwrap();
    assert_eq!(updated.session_epoch, 1);
    assert_eq!(store.get_passport("aaaa").unwrap(), Some(updated.clone()));
    assert!(matches!(
        store.update_passport("aaaa", &mut |p| {
            p.holder = "did:key:other".into();
            Ok(())
        }),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.update_passport("aaaa", &mut |p| {
            p.session_epoch = 99;
            Err(StoreError::Invalid("no".into()))
        }),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store.get_passport("aaaa").unwrap().unwrap().session_epoch,
        1
    );
    assert!(matches!(
        store.update_passport("nope", &mut |_| Ok(())),
        Err(StoreError::NotFound {
            entity: Entity::Passport,
            ..
        })
    ));

    // Shares belong to a stored passport; listed oldest first per passport.
    store.insert_share(&share("s2", "aaaa", 2)).unwrap();
    store.insert_share(&share("s1", "aaaa", 1)).unwrap();
    store.insert_share(&share("s3", "bbbb", 3)).unwrap();
    assert!(matches!(
        store.insert_share(&share("s1", "aaaa", 1)),
        Err(StoreError::Conflict {
            entity: Entity::Share,
            ..
        })
    ));
    assert!(matches!(
        store.insert_share(&share("s9", "nope", 1)),
        Err(StoreError::NotFound {
            entity: Entity::Passport,
            ..
        })
    ));
    let ids: Vec<String> = store
        .list_shares("aaaa")
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, ["s1", "s2"]);
    let at = Utc.with_ymd_and_hms(2026, 9, 2, 8, 0, 0).unwrap();
    let opened = store
        .update_share("s1", &mut |s| {
            s.opened.push(at);
            s.withdrawn = Some(at);
            Ok(())
        })
        .unwrap();
    assert_eq!(store.get_share("s1").unwrap(), Some(opened));
    assert!(matches!(
        store.update_share("s1", &mut |s| {
            s.content = "other".into();
            Ok(())
        }),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.update_share("nope", &mut |_| Ok(())),
        Err(StoreError::NotFound {
            entity: Entity::Share,
            ..
        })
    ));

    // Deleting a passport deletes its shares, and only its own.
    assert_eq!(store.delete_passport("aaaa").unwrap(), 2);
    assert_eq!(store.get_passport("aaaa").unwrap(), None);
    assert_eq!(store.get_share("s1").unwrap(), None);
    assert_eq!(store.get_share("s2").unwrap(), None);
    assert!(store.list_shares("aaaa").unwrap().is_empty());
    assert!(store.get_share("s3").unwrap().is_some());
    assert!(store.get_passport("bbbb").unwrap().is_some());
    assert!(matches!(
        store.delete_passport("aaaa"),
        Err(StoreError::NotFound {
            entity: Entity::Passport,
            ..
        })
    ));
}

macro_rules! suite {
    ($name:ident, $make:path) => {
        mod $name {
            use super::*;

            #[test]
            fn institutions() {
                institutions_conflicts_and_lookups(&*$make(16).store);
            }
            #[test]
            fn updates() {
                institution_updates(&*$make(16).store);
            }
            #[test]
            fn secret_keys() {
                secret_keys_stay_apart(&*$make(16).store);
            }
            #[test]
            fn registration_with_key() {
                registration_is_one_write(&*$make(16).store);
            }
            #[test]
            fn rotation_with_key() {
                rotation_is_one_write(&*$make(16).store);
            }
            #[test]
            fn reseal() {
                reseal_rewrites_every_key_or_none(&*$make(16).store);
            }
            #[test]
            fn token_rehash() {
                token_rehash_rewrites_every_hash(&*$make(16).store);
            }
            #[test]
            fn credentials() {
                credentials_conflicts_and_record_ids(&*$make(16).store);
            }
            #[test]
            fn paging() {
                paging_in_issue_order(&*$make(16).store);
            }
            #[test]
            fn status_lists() {
                status_lists_bits_and_rollover(&*$make(16).store);
            }
            #[test]
            fn counters_cover_stored_credentials() {
                stored_credentials_raise_the_counter(&*$make(16).store);
            }
            #[test]
            fn audit() {
                audit_in_order(&*$make(16).store);
            }
            #[test]
            fn status_history() {
                status_changes_and_history(&*$make(16).store);
            }
            #[test]
            fn durability() {
                durable_and_flush(&*$make(16).store);
            }
            #[test]
            fn offers() {
                offers_conflicts_updates_and_lists(&*$make(16).store);
            }
            #[test]
            fn tickets() {
                tickets_are_taken_once(&*$make(16).store);
            }
            #[test]
            fn ticket_takes_race() {
                concurrent_ticket_takes(Arc::clone(&$make(16).store));
            }
            #[test]
            fn staff() {
                staff_accounts(&*$make(16).store);
            }
            #[test]
            fn passports() {
                passports_and_shares(&*$make(16).store);
            }
            #[test]
            fn key_custody_once() {
                key_custody_is_set_once(Arc::clone(&$make(16).store));
            }
            #[test]
            fn token_rehash_once() {
                token_rehash_happens_once(Arc::clone(&$make(16).store));
            }
            #[test]
            fn export_one_view() {
                export_is_one_view(Arc::clone(&$make(16).store));
            }
            #[test]
            fn concurrency() {
                let fixture = $make(1024);
                concurrent_allocations(Arc::clone(&fixture.store));
            }
        }
    };
}

/// `init_key_custody` sets the record once, also across concurrent first callers.
fn key_custody_is_set_once(store: Arc<dyn Store>) {
    assert_eq!(store.key_custody().unwrap(), None);
    let results: Vec<Vec<u8>> = (0..8u8)
        .map(|n| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || store.init_key_custody(&[b'r', n]).unwrap())
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let stored = store.key_custody().unwrap().expect("set");
    assert!(results.iter().all(|r| *r == stored), "{results:?}");
    assert_eq!(store.init_key_custody(b"another").unwrap(), stored);
    assert_eq!(store.key_custody().unwrap(), Some(stored));
}

/// `rehash_tokens_once` re-hashes only while no token scheme record is stored, also across
/// concurrent first callers: each hash is re-hashed exactly once, and the callers that came
/// second get the first one's record back.
fn token_rehash_happens_once(store: Arc<dyn Store>) {
    use skillpass::store::TokenRehash;
    with_two_institutions(&*store);
    let before = store.get_institution("szpu").unwrap().unwrap().token_hash;
    let results: Vec<TokenRehash> = (0..8u8)
        .map(|n| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                store
                    .rehash_tokens_once(&[b's', n], &mut |old| {
                        let mut new = *old;
                        new[0] = new[0].wrapping_add(1);
                        new
                    })
                    .unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let stored = store.token_scheme().unwrap().expect("set");
    let rehashed: Vec<_> = results
        .iter()
        .filter(|r| matches!(r, TokenRehash::Rehashed(_)))
        .collect();
    assert_eq!(rehashed, [&TokenRehash::Rehashed(2)], "{results:?}");
    assert_eq!(
        results
            .iter()
            .filter(|r| **r == TokenRehash::Present(stored.clone()))
            .count(),
        7,
        "{results:?}"
    );
    let mut once = before;
    once[0] = once[0].wrapping_add(1);
    assert_eq!(
        store.get_institution("szpu").unwrap().unwrap().token_hash,
        once
    );
    assert_eq!(
        store
            .find_institution_by_token_hash(&once)
            .unwrap()
            .unwrap()
            .id,
        "szpu"
    );
    // Later: nothing changes, the record comes back.
    let mut calls = 0;
    let again = store
        .rehash_tokens_once(b"another", &mut |old| {
            calls += 1;
            *old
        })
        .unwrap();
    assert_eq!(again, TokenRehash::Present(stored.clone()));
    assert_eq!(calls, 0);
    assert_eq!(store.token_scheme().unwrap(), Some(stored));
}

/// `export` hands out every item from one view: while a writer stores credentials and then
/// their audit lines, no export shows an audit line of a credential it does not hold; its
/// counters cover its credentials' entries; `status_list_size` is the store's.
fn export_is_one_view(store: Arc<dyn Store>) {
    use skillpass::store::transfer::Item;
    assert_eq!(store.status_list_size(), 16);
    with_two_institutions(&*store);
    store
        .put_secret_key("szpu", "did:web:szpu.example#key-1", SECRET)
        .unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (store, stop) = (Arc::clone(&store), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && n < 2000 {
                let (list, index) = store
                    .allocate_status_indices("szpu", "revocation", 1)
                    .unwrap()[0]
                    .clone();
                let id = format!("urn:uuid:w{n}");
                let status = vec![StatusAllocation {
                    list,
                    index,
                    purpose: "revocation".into(),
                }];
                store
                    .insert_credential(&credential(&id, "szpu", None, status))
                    .unwrap();
                let mut audit = event(0, Some("szpu"));
                audit.subject = Some(id);
                store.append_audit(&audit).unwrap();
                n += 1;
            }
            n
        })
    };
    let mut exports = 0;
    let mut largest = 0;
    while exports < 5 || largest == 0 {
        let mut credentials = HashSet::new();
        let mut entries = Vec::new();
        let mut counter = 0;
        let mut audited = Vec::new();
        let mut kinds = Vec::new();
        store
            .export(&mut |item| {
                match &item {
                    Item::Credential { credential } => {
                        credentials.insert(credential.id.clone());
                        entries.extend(credential.status.iter().map(|a| {
                            StatusListId::parse(&a.list).unwrap().sequence * 16 + a.index
                        }));
                    }
                    Item::Counter { next, .. } => counter = *next,
                    Item::Audit { event } => audited.push(event.subject.clone().unwrap()),
                    Item::SecretKey { secret, .. } => assert_eq!(secret.as_str(), SECRET),
                    _ => {}
                }
                kinds.push(serde_json::to_value(&item).unwrap()["kind"].clone());
                Ok(())
            })
            .unwrap();
        for id in &audited {
            assert!(credentials.contains(id), "audit of {id}, not in the export");
        }
        assert!(entries.iter().all(|e| *e < counter), "counter {counter}");
        assert_eq!(kinds.iter().filter(|k| *k == "institution").count(), 2);
        assert!(kinds.contains(&json!("secretKey")));
        largest = largest.max(credentials.len());
        exports += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let written = writer.join().unwrap();
    assert!(written > 0 && largest > 0);
    // An error from the sink stops the export and is returned.
    let mut seen = 0;
    let failed = store.export(&mut |_| {
        seen += 1;
        Err(StoreError::Invalid("stop".into()))
    });
    assert!(matches!(failed, Err(StoreError::Invalid(_))));
    assert_eq!(seen, 1);
}

suite!(memory_store, memory);
suite!(sled_store, sled);
suite!(postgres_store, postgres);

#[test]
fn sled_status_history_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let revoke = status_event(4, "revoke", Some("awarded in error"), true);
    {
        let store = SledStore::open_with_list_size(&path, 16).unwrap();
        with_two_institutions(&store);
        let (list, index) = store
            .allocate_status_indices("szpu", "revocation", 1)
            .unwrap()[0]
            .clone();
        let status = vec![StatusAllocation {
            list: list.clone(),
            index,
            purpose: "revocation".into(),
        }];
        store
            .insert_credential(&credential("urn:uuid:r1", "szpu", None, status))
            .unwrap();
        store
            .change_status("urn:uuid:r1", &list, index, true, &revoke)
            .unwrap();
        store.flush().unwrap();
    }
    let store = SledStore::open_with_list_size(&path, 16).unwrap();
    assert_eq!(store.status_history("urn:uuid:r1").unwrap(), [revoke]);
}

#[test]
fn list_sizes_must_be_whole_bytes() {
    assert!(matches!(
        MemoryStore::with_list_size(12),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        MemoryStore::with_list_size(0),
        Err(StoreError::Invalid(_))
    ));
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        SledStore::open_with_list_size(dir.path().join("db"), 12),
        Err(StoreError::Invalid(_))
    ));
}
