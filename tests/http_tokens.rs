//! API tokens at rest (src/api_tokens.rs, issue 16 item 3): stored as HMAC-SHA-256 under a
//! token secret that is not in the store; a store written with plain SHA-256 hashes is
//! migrated at start and the old form stops working; a wrong secret is refused; wrong tokens
//! are still 401 and then rate-limited; `serve` refuses to start without a secret.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use common::app::TestApp;
use sha2::{Digest, Sha256};
use skillpass::api_tokens::{self, TokenHasher, TokenOpening, TokenSecretError};
use skillpass::http::Limits;
use skillpass::service::{DidMethod, NewInstitution, Service, SystemClock};
use skillpass::store::{MemoryStore, SledStore, Store};
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

fn sha256(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The stored hash is neither the token's SHA-256 nor anything a holder of the store alone can
/// reproduce: a copy of the store checked against guesses (the right token included) with
/// SHA-256 or with another secret finds no institution.
#[test]
fn stored_hash_is_keyed_and_useless_without_the_secret() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let (hasher, _) = api_tokens::open(store.as_ref(), Zeroizing::new([0x11; 32])).unwrap();
    let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
        .with_token_hasher(hasher);
    let (institution, token) = service
        .register_institution(new_institution("kpm"), "t")
        .unwrap();
    let stored = store.get_institution("kpm").unwrap().unwrap().token_hash;
    assert_eq!(stored, institution.token_hash);
    assert_ne!(stored, sha256(&token), "the store holds SHA-256(token)");
    // The thief's checks: the right token, hashed without the secret or with a guessed one.
    assert!(store
        .find_institution_by_token_hash(&sha256(&token))
        .unwrap()
        .is_none());
    let guessed = TokenHasher::keyed(Zeroizing::new([0u8; 32]));
    assert!(store
        .find_institution_by_token_hash(&guessed.hash(&token))
        .unwrap()
        .is_none());
    // The service, with the secret, authenticates the token and nothing else.
    assert_eq!(service.authenticate(&token).unwrap().unwrap().id, "kpm");
    assert!(service.authenticate("not-the-token").unwrap().is_none());
    // A rotated token replaces the old one, keyed too.
    let rotated = service.rotate_token("kpm", "t").unwrap();
    assert!(service.authenticate(&token).unwrap().is_none());
    assert_eq!(service.authenticate(&rotated).unwrap().unwrap().id, "kpm");
    assert!(store
        .find_institution_by_token_hash(&sha256(&rotated))
        .unwrap()
        .is_none());
}

/// A sled folder written before issue 16 (plain SHA-256 token hashes) is migrated when first
/// opened with a secret: the token still authenticates, its SHA-256 no longer finds anything,
/// the next open does not re-hash, and another secret is refused.
#[test]
fn sha256_store_is_migrated_once_and_another_secret_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (token_a, token_b) = {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
        let old = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock));
        let (_, a) = old.register_institution(new_institution("a"), "t").unwrap();
        let (_, b) = old.register_institution(new_institution("b"), "t").unwrap();
        assert_eq!(
            store.get_institution("a").unwrap().unwrap().token_hash,
            sha256(&a)
        );
        store.flush().unwrap();
        (a, b)
    };
    let secret = || Zeroizing::new([0x22; 32]);
    {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
        let (hasher, opening) = api_tokens::open(store.as_ref(), secret()).unwrap();
        assert_eq!(opening, TokenOpening::Migrated(2));
        let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
            .with_token_hasher(hasher);
        assert_eq!(service.authenticate(&token_a).unwrap().unwrap().id, "a");
        assert_eq!(service.authenticate(&token_b).unwrap().unwrap().id, "b");
        for (id, token) in [("a", &token_a), ("b", &token_b)] {
            assert!(store
                .find_institution_by_token_hash(&sha256(token))
                .unwrap()
                .is_none());
            assert_ne!(
                store.get_institution(id).unwrap().unwrap().token_hash,
                sha256(token)
            );
        }
        store.flush().unwrap();
    }
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
    let (hasher, opening) = api_tokens::open(store.as_ref(), secret()).unwrap();
    assert_eq!(opening, TokenOpening::Keyed, "re-hashed twice");
    let service = Service::new(store.clone(), "http://localhost", Arc::new(SystemClock))
        .with_token_hasher(hasher);
    assert_eq!(service.authenticate(&token_a).unwrap().unwrap().id, "a");
    let err = match api_tokens::open(store.as_ref(), Zeroizing::new([0x23; 32])) {
        Err(e) => e,
        Ok(_) => panic!("another secret was accepted"),
    };
    assert!(matches!(err, TokenSecretError::WrongSecret), "{err}");
    assert!(
        err.to_string().contains("SKILLPASS_TOKEN_SECRET_FILE"),
        "{err}"
    );
}

/// The token secret file: 64 hex digits, owner-only; made 0600; never overwritten.
#[test]
fn token_secret_file_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.secret");
    api_tokens::create_secret_file(&path).unwrap();
    assert!(api_tokens::create_secret_file(&path).is_err(), "overwrote");
    let secret = api_tokens::read_secret_file(&path).unwrap();
    assert_ne!(*secret, [0u8; 32]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = api_tokens::read_secret_file(&path).err().unwrap();
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }
    let short = dir.path().join("short");
    std::fs::write(&short, "abcd\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&short, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let err = api_tokens::read_secret_file(&short).err().unwrap();
    assert!(err.to_string().contains("64 hexadecimal digits"), "{err}");
    assert!(!err.to_string().contains("abcd"), "{err}");
}

fn from(address: &str, token: &str) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::GET)
        .uri("/credentials")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let peer: SocketAddr = address.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

/// Over HTTP with keyed hashes (the test app's): the right token is 200; the token's SHA-256
/// or its stored hash sent as a token are 401; failures are still counted and limited (429).
#[tokio::test]
async fn http_wrong_tokens_are_401_then_limited() {
    let app = TestApp::with_limits(Limits {
        auth_failures: 3,
        auth_window: std::time::Duration::from_secs(60),
        ..Limits::default()
    });
    let stored = app
        .store
        .get_institution("szpu")
        .unwrap()
        .unwrap()
        .token_hash;
    assert_ne!(stored, sha256(&app.token));
    let ok = app.send(from("192.0.2.1:1000", &app.token)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let attacker = "192.0.2.9:2000";
    for guess in [hex(sha256(&app.token)), hex(stored), "wrong".into()] {
        let reply = app.send(from(attacker, &guess)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text());
    }
    let reply = app.send(from(attacker, "wrong-again")).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.text()
    );
    // Another address with the right token is unaffected.
    let ok = app.send(from("192.0.2.1:1000", &app.token)).await;
    assert_eq!(ok.status, StatusCode::OK);
}

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_skillpass"))
}

/// Outside development mode `serve` refuses to start without a token secret, and says how to
/// give one; and with a secret other than the one the folder's tokens were stored with.
#[test]
fn serve_refuses_without_or_with_another_token_secret() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let master = dir.path().join("master.key");
    skillpass::keystore::create_master_key_file(&master).unwrap();
    let serve = |secret: Option<&Path>| {
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SKILLPASS_DATA_DIR", &data)
            .env("SKILLPASS_ADMIN_TOKEN", "t".repeat(40))
            .env("SKILLPASS_LISTEN", "127.0.0.1:1")
            .env("SKILLPASS_MASTER_KEY_FILE", &master);
        if let Some(secret) = secret {
            command.env("SKILLPASS_TOKEN_SECRET_FILE", secret);
        }
        let out = command.output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = serve(None);
    assert!(
        stderr.contains("no token secret") && stderr.contains("SKILLPASS_TOKEN_SECRET_FILE"),
        "{stderr}"
    );
    // A folder whose tokens are keyed with one secret, started with another.
    {
        let store: Arc<dyn Store> = Arc::new(SledStore::open(&data).unwrap());
        api_tokens::open(store.as_ref(), Zeroizing::new([0x33; 32])).unwrap();
        store.flush().unwrap();
    }
    let other = dir.path().join("other.secret");
    api_tokens::create_secret_file(&other).unwrap();
    let stderr = serve(Some(&other));
    assert!(stderr.contains("does not match"), "{stderr}");
}
