//! Signing keys at rest (src/keystore.rs, docs/KEYS.md): sealed in the store, migrated from the
//! plaintext layout, bound to their institution and method, re-keyed without touching the
//! signing keys, and refused at start-up without (or with a wrong) master key.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde_json::Value;
use skillpass::keys::SecretKey;
use skillpass::keystore::{self, KeyCustody, Keystore, KeystoreError, MasterKeySource, Opening};
use skillpass::proof::Cryptosuite;
use skillpass::service::{DidMethod, Issuance, NewInstitution, Service, SystemClock};
use skillpass::store::{Institution, SledStore, Store};
use zeroize::Zeroizing;

fn new_institution(id: &str) -> NewInstitution {
    NewInstitution {
        id: id.into(),
        name: format!("College {id}"),
        country: "MY".into(),
        url: None,
        framework: "MQF".into(),
        quality_assurance: None,
        did_method: DidMethod::DidKey,
    }
}

fn key_file(dir: &Path, name: &str) -> MasterKeySource {
    let path = dir.join(name);
    keystore::create_master_key_file(&path).unwrap();
    MasterKeySource::File(path)
}

fn open_store(dir: &Path) -> Arc<dyn Store> {
    Arc::new(SledStore::open(dir.join("data")).unwrap())
}

/// Every file under `dir`, concatenated.
fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.extend(std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn issue(service: &Service, institution: &Institution) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/my-diploma-furniture-production.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record.as_object_mut().unwrap().remove("recordId");
    service
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

async fn verifies(service: &Arc<Service>, vc: &Value) -> bool {
    let options = service.verify_options();
    let vc = vc.clone();
    tokio::task::spawn_blocking(move || skillpass::verify::verify(&vc, &options))
        .await
        .unwrap()
        .map(|r| {
            // The issuer is not a registry member here: every check but trust must pass.
            let report = serde_json::to_value(&r).unwrap();
            report["checks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["verified"] == true || c["check"] == "trust")
        })
        .unwrap()
}

/// A store written before encryption (plaintext multibase via the Store API) is sealed in
/// place on the first open with a KEK; afterwards no file of the data folder holds the secret,
/// neither as multibase nor as raw bytes, and the keys still open.
#[test]
fn plaintext_keys_are_sealed_in_place_and_leave_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let secret = SecretKey::from_seed(&[0x5a; 32]);
    let registry = SecretKey::from_seed(&[0x3c; 32]);
    let multibase = secret.to_multibase();
    let method = secret.public_key().verification_method_id();
    {
        // The old layout: the service as it was, with plaintext keys.
        let store = open_store(dir.path());
        let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock));
        service
            .register_with_key(
                new_institution("old"),
                SecretKey::from_seed(&[0x5a; 32]),
                "t",
            )
            .unwrap();
        store.init_registry_key(&registry.to_multibase()).unwrap();
        store.flush().unwrap();
        assert_eq!(
            store.secret_key("old", &method).unwrap().unwrap().as_str(),
            multibase.as_str()
        );
        assert!(contains(
            &all_bytes(&dir.path().join("data")),
            multibase.as_bytes()
        ));
    }
    let kek = key_file(dir.path(), "master.key");
    {
        let store = open_store(dir.path());
        let (keys, opening) = Keystore::open(store.clone(), Some(&kek)).unwrap();
        assert_eq!(opening, Opening::Migrated(2));
        let stored = store.secret_key("old", &method).unwrap().unwrap();
        assert!(
            stored.starts_with(keystore::SEALED_PREFIX),
            "{}",
            stored.len()
        );
        let opened = keys.signing_key("old", &method).unwrap().unwrap();
        assert_eq!(opened.public_key(), secret.public_key());
        store.flush().unwrap();
    }
    // What `serve` does after a migration: sled keeps overwritten values in its log.
    SledStore::rewrite_folder(&dir.path().join("data")).unwrap();
    let files = all_bytes(&dir.path().join("data"));
    for (what, needle) in [
        ("institution key multibase", multibase.as_bytes().to_vec()),
        (
            "registry key multibase",
            registry.to_multibase().as_bytes().to_vec(),
        ),
    ] {
        assert!(
            !contains(&files, &needle),
            "{what} found in the data folder"
        );
    }
    // The raw 32 secret bytes (the multibase's payload after the multicodec prefix).
    let raw = bs58::decode(&multibase[1..]).into_vec().unwrap();
    assert!(
        !contains(&files, &raw[raw.len() - 32..]),
        "raw secret found"
    );

    // Reopened: sealed already, nothing to migrate; the registry key opens too.
    let store = open_store(dir.path());
    let (keys, opening) = Keystore::open(store, Some(&kek)).unwrap();
    assert_eq!(opening, Opening::Sealed);
    let (reg, created) = keys
        .registry_key(&mut || panic!("the registry key exists"))
        .unwrap();
    assert!(!created);
    assert_eq!(reg.public_key(), registry.public_key());
}

/// Without a KEK, or with a wrong one, a store with sealed keys does not open — at once,
/// not at the first signature.
#[test]
fn missing_or_wrong_master_key_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let kek = key_file(dir.path(), "right.key");
    let store = open_store(dir.path());
    Keystore::open(store.clone(), Some(&kek)).unwrap();
    let other = key_file(dir.path(), "wrong.key");
    assert!(matches!(
        Keystore::open(store.clone(), Some(&other)),
        Err(KeystoreError::WrongMasterKey)
    ));
    let missing = Keystore::open(store.clone(), None).err().unwrap();
    assert!(matches!(missing, KeystoreError::NoMasterKey));
    assert!(missing.to_string().contains("SKILLPASS_MASTER_KEY_FILE"));
    let passphrase = MasterKeySource::Passphrase(Zeroizing::new("a passphrase".into()));
    assert!(matches!(
        Keystore::open(store, Some(&passphrase)),
        Err(KeystoreError::WrongKind { .. })
    ));
    // A master key file that is not 64 hex digits is an error naming the file.
    let bad = dir.path().join("bad.key");
    std::fs::write(&bad, "not a key").unwrap();
    let store = Arc::new(skillpass::store::MemoryStore::default());
    let e = Keystore::open(store, Some(&MasterKeySource::File(bad)))
        .err()
        .unwrap();
    assert!(e.to_string().contains("64 hexadecimal digits"), "{e}");
}

/// A sealed key copied to another institution or verification method does not open.
#[test]
fn a_sealed_key_is_bound_to_its_institution_and_method() {
    let dir = tempfile::tempdir().unwrap();
    let kek = key_file(dir.path(), "master.key");
    let store: Arc<dyn Store> = Arc::new(skillpass::store::MemoryStore::default());
    let (keys, _) = Keystore::open(store.clone(), Some(&kek)).unwrap();
    let keys = Arc::new(keys);
    let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
        .with_key_custody(keys.clone());
    let (a, _) = service
        .register_institution(new_institution("a"), "t")
        .unwrap();
    let (b, _) = service
        .register_institution(new_institution("b"), "t")
        .unwrap();
    let method_a = &a.keys[0].verification_method;
    let method_b = &b.keys[0].verification_method;
    let sealed_a = store.secret_key("a", method_a).unwrap().unwrap();
    // Under another institution with the same method name, and under another method.
    let c = Institution {
        id: "c".into(),
        ..a.clone()
    };
    let mut c = c;
    c.token_hash = [9; 32];
    store.insert_institution(&c).unwrap();
    store.put_secret_key("c", method_a, &sealed_a).unwrap();
    let (fresh, _) = Keystore::open(store.clone(), Some(&kek)).unwrap();
    assert!(matches!(
        fresh.signing_key("c", method_a),
        Err(KeystoreError::Damaged(_))
    ));
    store
        .put_secret_key("b", "did:key:other#other", &sealed_a)
        .unwrap();
    assert!(matches!(
        fresh.signing_key("b", "did:key:other#other"),
        Err(KeystoreError::Damaged(_))
    ));
    // The right slots open.
    assert!(fresh.signing_key("a", method_a).unwrap().is_some());
    assert!(fresh.signing_key("b", method_b).unwrap().is_some());
}

/// `keys::rekey` (the CLI's `keys rekey`) changes the KEK: the sealed signing keys stay byte
/// for byte, credentials signed before still verify, new ones are signed with the same key,
/// and the old KEK no longer opens the store.
#[tokio::test]
async fn rekey_rewraps_data_keys_only() {
    let dir = tempfile::tempdir().unwrap();
    let old = key_file(dir.path(), "old.key");
    let (before, method, sealed_before) = {
        let store = open_store(dir.path());
        let (keys, _) = Keystore::open(store.clone(), Some(&old)).unwrap();
        let service = Arc::new(
            Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
                .with_key_custody(Arc::new(keys)),
        );
        let (institution, _) = service
            .register_institution(new_institution("kpm"), "t")
            .unwrap();
        let vc = issue(&service, &institution).await;
        assert!(verifies(&service, &vc).await);
        service.registry_publisher().await.unwrap();
        let method = institution.keys[0].verification_method.clone();
        let sealed = store.secret_key("kpm", &method).unwrap().unwrap();
        store.flush().unwrap();
        (vc, method, sealed)
    };
    let new = MasterKeySource::Passphrase(Zeroizing::new("correct horse battery staple".into()));
    {
        let store = open_store(dir.path());
        let wrong = key_file(dir.path(), "other.key");
        assert!(matches!(
            keystore::rekey(store.as_ref(), Some(&wrong), &new),
            Err(KeystoreError::WrongMasterKey)
        ));
        assert_eq!(
            keystore::rekey(store.as_ref(), Some(&old), &new).unwrap(),
            2
        );
        store.flush().unwrap();
    }
    let store = open_store(dir.path());
    let sealed_after = store.secret_key("kpm", &method).unwrap().unwrap();
    assert_ne!(sealed_before.as_str(), sealed_after.as_str());
    // The sealed signing key (after the 24 + 48 bytes of the wrapped data key) is unchanged.
    let decode = |s: &str| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.strip_prefix(keystore::SEALED_PREFIX).unwrap())
            .unwrap()
    };
    assert_eq!(decode(&sealed_before)[72..], decode(&sealed_after)[72..]);
    assert!(matches!(
        Keystore::open(store.clone(), Some(&old)),
        Err(KeystoreError::WrongKind { .. })
    ));
    let (keys, opening) = Keystore::open(store.clone(), Some(&new)).unwrap();
    assert_eq!(opening, Opening::Sealed);
    let service = Arc::new(
        Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
            .with_key_custody(Arc::new(keys)),
    );
    assert!(verifies(&service, &before).await);
    let institution = service.institution("kpm").unwrap();
    let after = issue(&service, &institution).await;
    assert!(verifies(&service, &after).await);
    assert_eq!(
        before["proof"]["verificationMethod"],
        after["proof"]["verificationMethod"]
    );
    // A wrong passphrase is refused.
    let wrong = MasterKeySource::Passphrase(Zeroizing::new("wrong".into()));
    assert!(matches!(
        Keystore::open(store, Some(&wrong)),
        Err(KeystoreError::WrongMasterKey)
    ));
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_skillpass"))
}

/// The real binary: `keys rekey` from the development master key file to a new one; then
/// `serve` refuses to start without a master key (and says how to give one) and with the old
/// one (a clear error, before serving).
#[test]
fn binary_rekey_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A data folder with a sealed key, as development mode leaves it.
    let development = dir.path().join("data.master-key");
    {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
        let source = key_file(dir.path(), "data.master-key");
        let (keys, _) = Keystore::open(store.clone(), Some(&source)).unwrap();
        let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
            .with_key_custody(Arc::new(keys));
        service
            .register_institution(new_institution("kpm"), "t")
            .unwrap();
        store.flush().unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&development)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let new_key = dir.path().join("new.key");
    let out = Command::new(binary())
        .args(["keys", "rekey", "--data-dir"])
        .arg(&data)
        .arg("--new-key-file")
        .arg(&new_key)
        .env_remove("SKILLPASS_MASTER_KEY_FILE")
        .env_remove("SKILLPASS_MASTER_PASSPHRASE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("re-wrapped 1 signing key"), "{stderr}");

    let token_secret = dir.path().join("token.secret");
    skillpass::api_tokens::create_secret_file(&token_secret).unwrap();
    let serve = |key: Option<&Path>| {
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .env("SKILLPASS_DATA_DIR", &data)
            .env("SKILLPASS_TOKEN_SECRET_FILE", &token_secret)
            .env("SKILLPASS_ADMIN_TOKEN", "t".repeat(40))
            .env("SKILLPASS_LISTEN", "127.0.0.1:0")
            .env_remove("SKILLPASS_MASTER_PASSPHRASE")
            .env_remove("SKILLPASS_MASTER_KEY_FILE");
        if let Some(key) = key {
            command.env("SKILLPASS_MASTER_KEY_FILE", key);
        }
        let out = command.output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = serve(None);
    assert!(
        stderr.contains("encrypted signing keys but no master key")
            && stderr.contains("SKILLPASS_MASTER_KEY_FILE"),
        "{stderr}"
    );
    let stderr = serve(Some(&development));
    assert!(stderr.contains("does not open"), "{stderr}");
}

/// Starts `serve` in `cwd` with `envs` (and nothing else from the environment but PATH and
/// HOME), waits until it serves, kills it and returns its log.
fn serve_until_ready(cwd: &Path, envs: &[(&str, &std::ffi::OsStr)]) -> String {
    use std::io::{BufRead, BufReader};
    let mut command = Command::new(binary());
    command
        .arg("serve")
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null());
    for (k, v) in envs {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let mut log = String::new();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        log.push_str(&line);
        log.push('\n');
        if line.contains("skillpass is serving") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(log.contains("skillpass is serving"), "{log}");
    log
}

/// Development mode (no configuration at all) makes a master key file (0600) beside the
/// data folder, says so, seals the example institution's key, and starts again with it.
#[test]
fn development_mode_makes_a_master_key_file() {
    let dir = tempfile::tempdir().unwrap();
    // Any SKILLPASS_* variable leaves development mode: run with none at all, on the
    // default port, when it is free.
    if std::net::TcpListener::bind("127.0.0.1:8080").is_err() {
        eprintln!("port 8080 is taken: skipping the development-mode start");
        return;
    }
    let log = serve_until_ready(dir.path(), &[]);
    let file = dir.path().join("data.master-key");
    assert!(log.contains("made a master key file"), "{log}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let example = skillpass::keys::read_secret_key_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("keys-example/issuer.example.json"),
    )
    .unwrap();
    let files = all_bytes(&dir.path().join("data"));
    assert!(!contains(&files, example.to_multibase().as_bytes()));
    let log = serve_until_ready(dir.path(), &[]);
    assert!(!log.contains("made a master key file"), "{log}");
    assert!(log.contains("sealed with the master key"), "{log}");
}

/// A data folder written with plaintext keys, started with a master key file: the keys are
/// sealed and no file of the folder holds a secret afterwards.
#[test]
fn serve_migrates_plaintext_keys() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let secret = SecretKey::from_seed(&[0x77; 32]);
    {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
        let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock));
        service
            .register_with_key(
                new_institution("old"),
                SecretKey::from_seed(&[0x77; 32]),
                "t",
            )
            .unwrap();
        store.flush().unwrap();
    }
    assert!(contains(
        &all_bytes(&data),
        secret.to_multibase().as_bytes()
    ));
    let key = dir.path().join("master.key");
    keystore::create_master_key_file(&key).unwrap();
    let token_secret = dir.path().join("token.secret");
    skillpass::api_tokens::create_secret_file(&token_secret).unwrap();
    let token = "t".repeat(40);
    let log = serve_until_ready(
        dir.path(),
        &[
            ("SKILLPASS_DATA_DIR", data.as_os_str()),
            ("SKILLPASS_TOKEN_SECRET_FILE", token_secret.as_os_str()),
            ("SKILLPASS_MASTER_KEY_FILE", key.as_os_str()),
            ("SKILLPASS_ADMIN_TOKEN", std::ffi::OsStr::new(&token)),
            ("SKILLPASS_LISTEN", std::ffi::OsStr::new("127.0.0.1:0")),
        ],
    );
    assert!(log.contains("migration"), "{log}");
    let files = all_bytes(&data);
    assert!(!contains(&files, secret.to_multibase().as_bytes()));
    let multibase = secret.to_multibase();
    let raw = bs58::decode(&multibase[1..]).into_vec().unwrap();
    assert!(!contains(&files, &raw[raw.len() - 32..]));
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
    let (keys, opening) = Keystore::open(store, Some(&MasterKeySource::File(key))).unwrap();
    assert_eq!(opening, Opening::Sealed);
    let method = secret.public_key().verification_method_id();
    assert_eq!(
        keys.signing_key("old", &method)
            .unwrap()
            .unwrap()
            .public_key(),
        secret.public_key()
    );
}

/// A folder rewrite interrupted between its two renames is finished at the next open: the
/// fresh copy (complete before the first rename) is put in place, or else the previous one.
#[test]
fn interrupted_rewrite_is_finished_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let make = |path: &Path, id: &str| {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(path).unwrap());
        Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
            .register_institution(new_institution(id), "t")
            .unwrap();
        store.flush().unwrap();
    };
    // Only the previous copy: it is put back.
    make(&data, "before");
    std::fs::rename(&data, dir.path().join("data.pre-rewrite")).unwrap();
    let store = SledStore::open(&data).unwrap();
    assert!(store.get_institution("before").unwrap().is_some());
    drop(store);
    // The previous copy and a complete fresh one: the fresh one wins.
    make(&dir.path().join("data.rewrite"), "fresh");
    std::fs::rename(&data, dir.path().join("data.pre-rewrite")).unwrap();
    let store = SledStore::open(&data).unwrap();
    assert!(store.get_institution("fresh").unwrap().is_some());
    assert!(store.get_institution("before").unwrap().is_none());
    assert!(!dir.path().join("data.pre-rewrite").exists());
    assert!(!dir.path().join("data.rewrite").exists());
}

/// Figures for docs/KEYS.md (not a check): the cost of opening the keystore (with a key file
/// and with a passphrase), of unsealing a key on first use, and of a cached use.
/// `cargo test --release --test keys_at_rest measure -- --ignored --nocapture`
#[test]
#[ignore]
fn measure_unseal_cost() {
    use std::time::Instant;
    let dir = tempfile::tempdir().unwrap();
    let file = key_file(dir.path(), "master.key");
    let passphrase = MasterKeySource::Passphrase(Zeroizing::new("a passphrase".into()));
    for (what, source) in [("key file", &file), ("passphrase", &passphrase)] {
        let store: Arc<dyn Store> = Arc::new(skillpass::store::MemoryStore::default());
        let (keys, _) = Keystore::open(store.clone(), Some(source)).unwrap();
        let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
            .with_key_custody(Arc::new(keys));
        let (institution, _) = service
            .register_institution(new_institution("kpm"), "t")
            .unwrap();
        let method = institution.keys[0].verification_method.clone();
        let start = Instant::now();
        let (keys, _) = Keystore::open(store.clone(), Some(source)).unwrap();
        let open = start.elapsed();
        let start = Instant::now();
        keys.signing_key("kpm", &method).unwrap().unwrap();
        let first = start.elapsed();
        let start = Instant::now();
        for _ in 0..1000 {
            keys.signing_key("kpm", &method).unwrap().unwrap();
        }
        let cached = start.elapsed() / 1000;
        println!(
            "{what}: open (KEK + check) {open:?}, first unseal {first:?}, cached use {cached:?}"
        );
    }
}

/// Outside development mode `serve` never keeps keys in plaintext (issue 16): a new folder
/// and a folder written with plaintext keys are both refused without a master key, with a
/// message that says how to give one; nothing is written to the folder; the plaintext one is
/// then sealed by a start with a master key (`serve_migrates_plaintext_keys`).
#[test]
fn serve_refuses_plaintext_keys_outside_development_mode() {
    let dir = tempfile::tempdir().unwrap();
    let token_secret = dir.path().join("token.secret");
    skillpass::api_tokens::create_secret_file(&token_secret).unwrap();
    let serve = |data: &Path| {
        let out = Command::new(binary())
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SKILLPASS_DATA_DIR", data)
            .env("SKILLPASS_ADMIN_TOKEN", "t".repeat(40))
            .env("SKILLPASS_LISTEN", "127.0.0.1:0")
            .env("SKILLPASS_TOKEN_SECRET_FILE", &token_secret)
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let fresh = dir.path().join("fresh");
    let stderr = serve(&fresh);
    assert!(
        stderr.contains("no master key")
            && stderr.contains("SKILLPASS_MASTER_KEY_FILE")
            && stderr.contains("docs/KEYS.md"),
        "{stderr}"
    );

    let old = dir.path().join("old");
    let secret = SecretKey::from_seed(&[0x66; 32]);
    {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&old).unwrap());
        Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
            .register_with_key(
                new_institution("old"),
                SecretKey::from_seed(&[0x66; 32]),
                "t",
            )
            .unwrap();
        store.flush().unwrap();
    }
    let stderr = serve(&old);
    assert!(stderr.contains("no master key"), "{stderr}");
    // Refused before anything was written: the key is still plaintext and opens as it was.
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&old).unwrap());
    let method = secret.public_key().verification_method_id();
    let stored = store.secret_key("old", &method).unwrap().unwrap();
    assert_eq!(stored.as_str(), secret.to_multibase().as_str());
    assert!(store.key_custody().unwrap().is_none());
}
