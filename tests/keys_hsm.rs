//! Signing keys in a PKCS#11 token (src/signing/pkcs11.rs, docs/KEYS.md "Keys in an HSM"),
//! against a real token: Debian's SoftHSM2, initialised in a temporary folder (SOFTHSM2_CONF).
//! `skillpass keys hsm-generate` makes the key in the token and registers it; the service
//! issues with it (the private key never enters the process); our verifier and Digital
//! Bazaar's accept the signatures; a wrong PIN, a missing key or an unconfigured module are
//! clear errors, and `serve` refuses to start with them.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};

use chrono::{SubsecRound, Utc};
use common::peer;
use serde_json::Value;
use skillpass::contexts::ContextRegistry;
use skillpass::keystore::{self, KeyCustody, Keystore, KeystoreError, MasterKeySource};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::service::{DidMethod, Issuance, NewInstitution, Service, SystemClock};
use skillpass::signing::pkcs11::{self, KeyReference, PinSource, Pkcs11Error};
use skillpass::store::{SledStore, Store};

const TOKEN: &str = "skillpass-test";
const PIN: &str = "4321";
const PIN_VAR: &str = "HSM_TEST_PIN";

/// Debian's SoftHSM2 module (package softhsm2; .ci/run installs it).
fn module() -> PathBuf {
    for candidate in [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ] {
        if Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    panic!("SoftHSM2 is not installed: apt-get install -y softhsm2 (see .ci/run)");
}

/// One SoftHSM2 configuration and token for this test process (the module reads
/// SOFTHSM2_CONF once, at C_Initialize); tests use distinct key labels.
fn softhsm() -> &'static Path {
    static CONF: OnceLock<PathBuf> = OnceLock::new();
    CONF.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let tokens = dir.join("tokens");
        std::fs::create_dir(&tokens).unwrap();
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .unwrap();
        let out = Command::new("softhsm2-util")
            .args(["--init-token", "--free", "--label", TOKEN])
            .args(["--so-pin", "0000", "--pin", PIN])
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("softhsm2-util (apt-get install -y softhsm2)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Before any PKCS#11 call of this process; the tests only read these variables.
        std::env::set_var("SOFTHSM2_CONF", &conf);
        std::env::set_var(PIN_VAR, PIN);
        std::env::set_var("HSM_TEST_WRONG_PIN", "9999");
        conf
    })
}

fn reference(label: &str) -> KeyReference {
    softhsm();
    KeyReference {
        module: module(),
        token: TOKEN.into(),
        label: label.into(),
        pin: PinSource::Env(PIN_VAR.into()),
    }
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_skillpass")
}

/// A sled data folder with a master key file and one did:web institution `id` (key sealed
/// in the store, as registration makes it). Returns (data folder, master key file).
fn data_folder(dir: &Path, id: &str) -> (PathBuf, PathBuf) {
    let data = dir.join("data");
    let master = dir.join("master.key");
    keystore::create_master_key_file(&master).unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
    let (keys, _) =
        Keystore::open(store.clone(), Some(&MasterKeySource::File(master.clone()))).unwrap();
    let service = Service::new(store.clone(), "https://hsm.example", Arc::new(SystemClock))
        .with_key_custody(Arc::new(keys));
    service
        .register_institution(
            NewInstitution {
                id: id.into(),
                name: "HSM Polytechnic".into(),
                country: "MY".into(),
                url: None,
                framework: "MQF".into(),
                quality_assurance: None,
                did_method: DidMethod::DidWeb,
            },
            "test",
        )
        .unwrap();
    store.flush().unwrap();
    (data, master)
}

/// `keys hsm-generate` through the real binary; returns the new verification method.
fn hsm_generate(data: &Path, institution: &str, label: &str) -> String {
    let out = Command::new(binary())
        .args(["keys", "hsm-generate", "--data-dir"])
        .arg(data)
        .args(["--institution", institution, "--module"])
        .arg(module())
        .args(["--token", TOKEN, "--label", label, "--pin-env", PIN_VAR])
        .env("SOFTHSM2_CONF", softhsm())
        .env(PIN_VAR, PIN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains(PIN), "{stderr}");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn record() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/my-diploma-furniture-production.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record.as_object_mut().unwrap().remove("recordId");
    record
}

/// The whole path: a key generated in the token and registered by the CLI; the DID document
/// shows its public key; the service issues with it through PKCS#11 (no secret key in the
/// store's slot, only the reference); our verifier accepts the credential; the same key signs
/// a did:key credential that Digital Bazaar's verifier accepts, and rejects once altered.
#[tokio::test]
async fn a_key_in_the_token_issues_credentials_that_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (data, master) = data_folder(dir.path(), "hsm-poly");
    let method = hsm_generate(&data, "hsm-poly", "hsm-poly-1");
    assert!(
        method.starts_with("did:web:hsm.example:institutions:hsm-poly#z6Mk"),
        "{method}"
    );

    let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
    // The slot holds a reference to the token's key, not a key.
    let stored = store.secret_key("hsm-poly", &method).unwrap().unwrap();
    assert!(
        stored.starts_with(pkcs11::STORED_PREFIX),
        "{}",
        stored.as_str()
    );
    assert!(!stored.contains(PIN));
    let (keys, _) = Keystore::open(store.clone(), Some(&MasterKeySource::File(master))).unwrap();
    let keys = keys.with_pkcs11_module(Some(module()));
    assert_eq!(keys.open_hsm_keys().unwrap(), 1);
    let signer = keys.signing_key("hsm-poly", &method).unwrap().unwrap();
    let keys = Arc::new(keys);
    let service = Arc::new(
        Service::new(store.clone(), "https://hsm.example", Arc::new(SystemClock))
            .with_key_custody(keys.clone()),
    );

    // The DID document names the token's public key as the current assertion method.
    let document = service.did_document("hsm-poly").unwrap();
    let text = document.to_string();
    assert!(
        text.contains(&signer.public_key().to_multibase()),
        "{document:#}"
    );
    assert!(text.contains(&method));

    let institution = service.institution("hsm-poly").unwrap();
    let vc = service
        .issue_record(
            &institution,
            &record(),
            Issuance {
                suite: Cryptosuite::EddsaRdfc2022,
                suspendable: false,
            },
        )
        .await
        .unwrap()
        .credential;
    let proof = if vc["proof"].is_array() {
        &vc["proof"][0]
    } else {
        &vc["proof"]
    };
    assert_eq!(proof["verificationMethod"], method.as_str(), "{vc:#}");
    let options = service.verify_options();
    let checked = vc.clone();
    let report = tokio::task::spawn_blocking(move || skillpass::verify::verify(&checked, &options))
        .await
        .unwrap()
        .unwrap();
    let report = serde_json::to_value(&report).unwrap();
    for check in report["checks"].as_array().unwrap() {
        assert!(
            check["verified"] == true || check["check"] == "trust",
            "{report:#}"
        );
    }

    // Digital Bazaar: the same token key signing a did:key credential.
    let mut unsigned = vc.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    unsigned.as_object_mut().unwrap().remove("credentialStatus");
    let public = signer.public_key();
    unsigned["issuer"]["id"] = public.did_key().into();
    let options = ProofOptions {
        suite: Cryptosuite::EddsaRdfc2022,
        verification_method: public.verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: Utc::now().trunc_subsecs(0),
        challenge: None,
        domain: None,
    };
    let signed = tokio::task::spawn_blocking(move || {
        proof::sign(
            &unsigned,
            signer.as_ref(),
            &options,
            &ContextRegistry::bundled(),
        )
    })
    .await
    .unwrap()
    .unwrap();
    let out = peer::verify(&signed, &[]);
    assert_eq!(out.code, 0, "peer: {}\n{}", out.stdout, out.stderr);
    assert_eq!(out.json()["verified"], true);
    let mut altered = signed.clone();
    altered["credentialSubject"]["achievement"]["name"] = "Something else".into();
    let out = peer::verify(&altered, &[]);
    assert_eq!(
        out.code, 1,
        "peer accepted an altered credential: {}",
        out.stdout
    );
}

fn open_err(reference: &KeyReference, allowed: Option<&Path>) -> Pkcs11Error {
    match pkcs11::open(reference, allowed) {
        Err(e) => e,
        Ok(_) => panic!("opened"),
    }
}

/// Each wrong setting is its own clear error that names what to fix and never holds the PIN.
#[test]
fn wrong_settings_are_clear_errors() {
    let good = reference("errors-1");
    pkcs11::generate(&good).unwrap();
    let module = module();
    assert!(pkcs11::open(&good, Some(&module)).is_ok());

    // A label that is taken is not overwritten.
    assert!(matches!(
        pkcs11::generate(&good),
        Err(Pkcs11Error::LabelTaken { .. })
    ));

    // A wrong PIN, in a process of its own: PKCS#11 logs an application in once per token,
    // so in this process (logged in already) a second PIN is not asked for.
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = data_folder(dir.path(), "wrong-pin");
    let out = Command::new(binary())
        .args(["keys", "hsm-generate", "--data-dir"])
        .arg(&data)
        .args(["--institution", "wrong-pin", "--module"])
        .arg(&module)
        .args([
            "--token",
            TOKEN,
            "--label",
            "errors-2",
            "--pin-env",
            "HSM_TEST_WRONG_PIN",
        ])
        .env("SOFTHSM2_CONF", softhsm())
        .env("HSM_TEST_WRONG_PIN", "9999")
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        message.contains("is wrong") && message.contains("HSM_TEST_WRONG_PIN"),
        "{message}"
    );
    assert!(
        !message.contains("9999") && !message.contains(PIN),
        "{message}"
    );

    let unset_pin = KeyReference {
        pin: PinSource::Env("HSM_TEST_NO_SUCH_VARIABLE".into()),
        ..good.clone()
    };
    let err = open_err(&unset_pin, Some(&module));
    assert!(matches!(err, Pkcs11Error::Pin { .. }), "{err}");

    let missing = reference("errors-no-such-label");
    let err = open_err(&missing, Some(&module));
    assert!(
        matches!(&err, Pkcs11Error::NoKey { label, .. } if label == "errors-no-such-label"),
        "{err}"
    );

    let other_token = KeyReference {
        token: "no-such-token".into(),
        ..good.clone()
    };
    let err = open_err(&other_token, Some(&module));
    assert!(matches!(err, Pkcs11Error::NoToken { .. }), "{err}");

    // The service loads only the configured module.
    let err = open_err(&good, None);
    assert!(
        matches!(err, Pkcs11Error::ModuleNotAllowed { .. })
            && err.to_string().contains("SKILLPASS_PKCS11_MODULE"),
        "{err}"
    );
    let err = open_err(&good, Some(Path::new("/usr/lib/other-pkcs11.so")));
    assert!(matches!(err, Pkcs11Error::ModuleNotAllowed { .. }), "{err}");
}

/// A did:key institution cannot move its key into a token (its DID is its key).
#[test]
fn a_did_key_institution_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(dir.path().join("data")).unwrap());
    Service::new(store.clone(), "https://hsm.example", Arc::new(SystemClock))
        .register_institution(
            NewInstitution {
                id: "keyed".into(),
                name: "Keyed College".into(),
                country: "MY".into(),
                url: None,
                framework: "MQF".into(),
                quality_assurance: None,
                did_method: DidMethod::DidKey,
            },
            "test",
        )
        .unwrap();
    let err = keystore::register_hsm_key(
        store.as_ref(),
        "keyed",
        &reference("did-key-refused"),
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, KeystoreError::HsmRegistration(m) if m.contains("did-web")),
        "{err}"
    );
}

/// `serve` opens the token's keys at start-up: with a wrong PIN, or without the module
/// configured, it refuses to start and says why; with the right settings it serves.
#[test]
fn serve_refuses_to_start_with_a_bad_token_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (data, master) = data_folder(dir.path(), "hsm-serve");
    hsm_generate(&data, "hsm-serve", "hsm-serve-1");
    let token_secret = dir.path().join("token.secret");
    skillpass::api_tokens::create_secret_file(&token_secret).unwrap();
    let serve = |pin: &str, module: Option<&Path>| {
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SOFTHSM2_CONF", softhsm())
            .env(PIN_VAR, pin)
            .env("SKILLPASS_DATA_DIR", &data)
            .env("SKILLPASS_MASTER_KEY_FILE", &master)
            .env("SKILLPASS_TOKEN_SECRET_FILE", &token_secret)
            .env("SKILLPASS_ADMIN_TOKEN", "a".repeat(40))
            .env("SKILLPASS_LISTEN", "127.0.0.1:0")
            .stdin(Stdio::null());
        if let Some(module) = module {
            command.env("SKILLPASS_PKCS11_MODULE", module);
        }
        command
    };
    let module = module();
    let out = serve("0000", Some(&module)).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("PKCS#11") && stderr.contains("is wrong") && stderr.contains(PIN_VAR),
        "{stderr}"
    );
    assert!(!stderr.contains("0000"), "{stderr}");
    let out = serve(PIN, None).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("SKILLPASS_PKCS11_MODULE"), "{stderr}");

    // The right settings: it opens the key and serves.
    use std::io::{BufRead, BufReader};
    let mut child = serve(PIN, Some(&module))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut log = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
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
    assert!(log.contains("PKCS#11 tokens: opened and checked"), "{log}");
    assert!(!log.contains(PIN), "{log}");
}

/// What a signature costs through SoftHSM2 against the in-process key (docs/KEYS.md):
/// `cargo test --test keys_hsm measure -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn measure_signature_cost() {
    use std::time::Instant;
    let reference = reference("measure-1");
    pkcs11::generate(&reference).unwrap();
    let hsm = pkcs11::open(&reference, Some(&module())).unwrap();
    let local = skillpass::keys::SecretKey::from_seed(&[5; 32]);
    let message = [7u8; 64];
    let n = 2000;
    for (name, signer) in [
        (
            "in-process SecretKey",
            &local as &dyn skillpass::signing::Signer,
        ),
        (
            "PKCS#11 (SoftHSM2)",
            &hsm as &dyn skillpass::signing::Signer,
        ),
    ] {
        signer.sign(&message).unwrap();
        let start = Instant::now();
        for _ in 0..n {
            signer.sign(&message).unwrap();
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("{name}: {per:.1} µs per signature ({n} signatures)");
    }
}

use common::postgres as pg;

/// `keys hsm-generate --store postgresql://…`: the key is made in the token and registered in
/// a PostgreSQL store (a throwaway cluster) as on sled: a new verification method, the previous
/// key retired, the slot holding only the reference; the keystore signs with it.
#[test]
fn hsm_generate_on_postgres() {
    softhsm();
    let url = pg::shared().create_database();
    let dir = tempfile::tempdir().unwrap();
    let master = dir.path().join("master.key");
    keystore::create_master_key_file(&master).unwrap();
    {
        let store: Arc<dyn Store> =
            Arc::new(skillpass::store::PostgresStore::connect(&url).unwrap());
        let (keys, _) =
            Keystore::open(store.clone(), Some(&MasterKeySource::File(master.clone()))).unwrap();
        Service::new(store.clone(), "https://hsm.example", Arc::new(SystemClock))
            .with_key_custody(Arc::new(keys))
            .register_institution(
                NewInstitution {
                    id: "pghsm".into(),
                    name: "HSM Polytechnic".into(),
                    country: "MY".into(),
                    url: None,
                    framework: "MQF".into(),
                    quality_assurance: None,
                    did_method: DidMethod::DidWeb,
                },
                "test",
            )
            .unwrap();
        store.flush().unwrap();
    }
    let generate = |store_arg: Option<&str>| {
        let mut command = Command::new(binary());
        command.args(["keys", "hsm-generate"]);
        if let Some(store) = store_arg {
            command.args(["--store", store]);
        }
        command
            .args(["--institution", "pghsm", "--module"])
            .arg(module())
            .args(["--token", TOKEN, "--label", "pg-key", "--pin-env", PIN_VAR])
            .env_remove("SKILLPASS_DATA_DIR")
            .env("SKILLPASS_DATABASE_URL", &url)
            .env("SOFTHSM2_CONF", softhsm())
            .env(PIN_VAR, PIN)
            .output()
            .unwrap()
    };
    // Without --store: SKILLPASS_DATABASE_URL, as `serve` finds its store.
    let out = generate(None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains(PIN), "{stderr}");
    let method = String::from_utf8(out.stdout).unwrap().trim().to_owned();

    let store: Arc<dyn Store> = Arc::new(skillpass::store::PostgresStore::connect(&url).unwrap());
    let institution = store.get_institution("pghsm").unwrap().unwrap();
    assert_eq!(institution.keys.len(), 2);
    assert!(institution.keys[0].retired.is_some(), "the old key retired");
    assert_eq!(institution.keys[1].verification_method, method);
    assert!(institution.keys[1].retired.is_none());
    let slot = store.secret_key("pghsm", &method).unwrap().unwrap();
    assert!(
        slot.starts_with(pkcs11::STORED_PREFIX),
        "only the reference"
    );
    assert!(!slot.contains(PIN));
    let (keys, _) = Keystore::open(store.clone(), Some(&MasterKeySource::File(master))).unwrap();
    let keys = keys.with_pkcs11_module(Some(module()));
    let signer = keys.signing_key("pghsm", &method).unwrap().unwrap();
    let signature = signer.sign(b"on postgres").unwrap();
    assert_eq!(
        signer.public_key().to_multibase(),
        institution.keys[1].public_key_multibase
    );
    assert!(signer.public_key().verify(b"on postgres", &signature));
    // A label already in the token is refused, and the store is left as it was.
    let out = generate(Some(&url));
    assert!(!out.status.success());
    assert_eq!(
        store.get_institution("pghsm").unwrap().unwrap().keys.len(),
        2
    );
}
