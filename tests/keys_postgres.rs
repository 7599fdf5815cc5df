//! Key custody on PostgreSQL (a throwaway cluster, `common/postgres.rs`): `skillpass keys
//! rekey` on a database, and processes that set up key custody for the first time at once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};

use skillpass::keystore::{self, KeyCustody, Keystore, KeystoreError, MasterKeySource};
use skillpass::service::{DidMethod, NewInstitution, Service, SystemClock};
use skillpass::store::{PostgresStore, Store};
use zeroize::Zeroizing;

#[path = "common/postgres.rs"]
mod pg;

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_skillpass"))
}

fn new_institution(id: &str) -> NewInstitution {
    NewInstitution {
        id: id.into(),
        name: format!("{id} Polytechnic"),
        country: "MY".into(),
        url: None,
        framework: "MQF".into(),
        quality_assurance: None,
        did_method: DidMethod::DidKey,
    }
}

fn connect(url: &str) -> Arc<dyn Store> {
    Arc::new(PostgresStore::connect(url).unwrap())
}

/// Registers `id` through a service whose keys are sealed with `source`; returns its
/// verification method.
fn register(store: &Arc<dyn Store>, keys: Keystore, id: &str) -> String {
    let service = Service::new(store.clone(), "https://pg.example", Arc::new(SystemClock))
        .with_key_custody(Arc::new(keys));
    let (institution, _) = service
        .register_institution(new_institution(id), "t")
        .unwrap();
    store.flush().unwrap();
    institution.keys[0].verification_method.clone()
}

fn passphrase(p: &str) -> MasterKeySource {
    MasterKeySource::Passphrase(Zeroizing::new(p.to_owned()))
}

fn rekey(args: &[&str], envs: &[(&str, &Path)], passphrases: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(binary());
    command.args(["keys", "rekey"]).args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("SKILLPASS_") {
            command.env_remove(name);
        }
    }
    for (k, v) in envs {
        command.env(k, v);
    }
    for (k, v) in passphrases {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `keys rekey --store postgresql://…` changes the master key of a database: afterwards the
/// old key no longer opens it, the new one does and opens the signing key; without `--store`
/// it finds the database in SKILLPASS_DATABASE_URL, as `serve` does.
#[test]
fn rekey_on_postgres() {
    let url = pg::shared().create_database();
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.key");
    keystore::create_master_key_file(&old).unwrap();
    let store = connect(&url);
    let (keys, _) =
        Keystore::open(store.clone(), Some(&MasterKeySource::File(old.clone()))).unwrap();
    let method = register(&store, keys, "kpm");
    let public = store.get_institution("kpm").unwrap().unwrap().keys[0]
        .public_key_multibase
        .clone();
    let sealed_before = store.secret_key("kpm", &method).unwrap().unwrap();

    // A wrong current key is refused and changes nothing.
    let wrong = dir.path().join("wrong.key");
    keystore::create_master_key_file(&wrong).unwrap();
    let new = dir.path().join("new.key");
    let (done, stderr) = rekey(
        &["--store", &url, "--new-key-file", new.to_str().unwrap()],
        &[("SKILLPASS_MASTER_KEY_FILE", &wrong)],
        &[],
    );
    assert!(!done, "{stderr}");
    assert!(stderr.contains("does not open"), "{stderr}");
    assert_eq!(
        store.secret_key("kpm", &method).unwrap().unwrap(),
        sealed_before
    );

    let (done, stderr) = rekey(
        &["--store", &url, "--new-key-file", new.to_str().unwrap()],
        &[("SKILLPASS_MASTER_KEY_FILE", &old)],
        &[],
    );
    assert!(done, "{stderr}");
    assert!(stderr.contains("re-wrapped 1 signing key"), "{stderr}");
    assert!(stderr.contains("VACUUM"), "{stderr}");
    assert!(matches!(
        Keystore::open(store.clone(), Some(&MasterKeySource::File(old.clone()))),
        Err(KeystoreError::WrongMasterKey)
    ));
    let (keys, _) =
        Keystore::open(store.clone(), Some(&MasterKeySource::File(new.clone()))).unwrap();
    let signer = keys.signing_key("kpm", &method).unwrap().unwrap();
    assert_eq!(signer.public_key().to_multibase(), public);
    drop(keys);

    // Again, found through SKILLPASS_DATABASE_URL, to a passphrase.
    let url_path = PathBuf::from(&url);
    let (done, stderr) = rekey(
        &[],
        &[
            ("SKILLPASS_MASTER_KEY_FILE", &new),
            ("SKILLPASS_DATABASE_URL", &url_path),
        ],
        &[(
            "SKILLPASS_NEW_MASTER_PASSPHRASE",
            "correct horse battery staple",
        )],
    );
    assert!(done, "{stderr}");
    assert!(matches!(
        Keystore::open(store.clone(), Some(&MasterKeySource::File(new))),
        Err(KeystoreError::WrongKind { .. })
    ));
    let (keys, _) = Keystore::open(
        store.clone(),
        Some(&passphrase("correct horse battery staple")),
    )
    .unwrap();
    let signer = keys.signing_key("kpm", &method).unwrap().unwrap();
    assert_eq!(signer.public_key().to_multibase(), public);
}

/// Two processes starting for the first time at once on one database with a passphrase each
/// set up key custody (threads with their own connections here, as two processes have): both
/// end up with the one custody record that was stored first, and each opens the keys the other
/// sealed; so does a later start. Several rounds, each on a fresh database.
#[test]
fn first_starts_at_once_share_one_key_custody() {
    for round in 0..4 {
        let url = pg::shared().create_database();
        let barrier = Arc::new(Barrier::new(2));
        let starts: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|id| {
                let (url, barrier) = (url.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let store = connect(&url);
                    barrier.wait();
                    let (keys, _) =
                        Keystore::open(store.clone(), Some(&passphrase("one passphrase"))).unwrap();
                    let method = register(&store, keys, &format!("inst-{id}"));
                    (store, method)
                })
            })
            .collect();
        let started: Vec<(Arc<dyn Store>, String)> =
            starts.into_iter().map(|t| t.join().unwrap()).collect();
        let record = started[0].0.key_custody().unwrap().expect("custody set up");
        assert_eq!(started[1].0.key_custody().unwrap(), Some(record));
        // Each process's keystore, reopened on its own connection, opens both keys.
        for (store, _) in &started {
            let (keys, _) = Keystore::open(store.clone(), Some(&passphrase("one passphrase")))
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
            for (id, (_, method)) in ["a", "b"].iter().zip(&started) {
                let key = keys
                    .signing_key(&format!("inst-{id}"), method)
                    .unwrap_or_else(|e| panic!("round {round}, key of {id}: {e}"));
                assert!(key.is_some(), "round {round}: no key of {id}");
            }
        }
    }
}
