//! `skillpass registry`: add, remove, list, sign, verify over a registry file, and a
//! CLI-signed registry imported by the service.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::app::{TestApp, ADMIN_TOKEN, PUBLIC_URL};
use serde_json::{json, Value};
use skillpass::http::{app, AppState, Limits};
use skillpass::service::{token_hash, Service, SystemClock};
use skillpass::store::{MemoryStore, Store};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn skillpass(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_skillpass"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic on {args:?}: {stderr}");
    out
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {}", stderr(out)))
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

fn member(id: &str, did: &str, status: &str) -> Value {
    json!({
        "id": id,
        "name": format!("{id} college"),
        "country": "ZW",
        "dids": [did],
        "framework": "ZNQF",
        "qualityAssurance": {"body": "ZIMCHE", "status": status},
        "validFrom": "2025-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z"
    })
}

const PUBLISHER_KEY: &str = "keys-example/issuer.example.json";
const PUBLISHER_DID: &str = "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";

#[test]
fn edit_list_sign_verify() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registry.json");
    let f = file.to_str().unwrap();

    let hcc = write(
        dir.path(),
        "hcc.json",
        &member("hcc", "did:key:z6MkHCC", "accredited"),
    );
    let out = skillpass(&["registry", "add", f, hcc.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("added hcc"));
    let zvp = write(
        dir.path(),
        "zvp.json",
        &member("zvp", "did:key:z6MkZVP", "provisional"),
    );
    assert_eq!(
        code(&skillpass(&["registry", "add", f, zvp.to_str().unwrap()])),
        0
    );
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(stored["members"][0]["id"], "hcc");
    assert_eq!(stored["members"][1]["id"], "zvp");

    // Same id replaces; a DID of another member, or an invalid member, is refused.
    let out = skillpass(&["registry", "add", f, hcc.to_str().unwrap()]);
    assert!(stderr(&out).contains("replaced hcc"));
    let thief = write(
        dir.path(),
        "thief.json",
        &member("thief", "did:key:z6MkHCC", "accredited"),
    );
    let out = skillpass(&["registry", "add", f, thief.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did:key:z6MkHCC already belongs to registry member hcc"),
        "{}",
        stderr(&out)
    );
    let mut bad = member("bad", "did:key:z6MkBAD", "accredited");
    bad["country"] = "Zimbabwe".into();
    let bad = write(dir.path(), "bad.json", &bad);
    let out = skillpass(&["registry", "add", f, bad.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("alpha-2"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        serde_json::to_string_pretty(&stored).unwrap() + "\n"
    );

    // list shows each member's standing at a time.
    let out = skillpass(&["registry", "list", "--now", "2026-06-01T00:00:00Z", f]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let listed = stdout_json(&out);
    assert_eq!(listed["members"][0]["standing"], "trusted");
    assert_eq!(listed["members"][1]["standing"], "provisional");
    let out = skillpass(&["registry", "list", "--now", "2027-06-01T00:00:00Z", f]);
    let listed = stdout_json(&out);
    assert_eq!(listed["members"][0]["standing"], "lapsed");
    assert!(listed["members"][0]["why"]
        .as_str()
        .unwrap()
        .contains("ended on 2027-01-01"));

    // remove.
    let extra = write(
        dir.path(),
        "x.json",
        &member("extra", "did:key:z6MkX", "lapsed"),
    );
    skillpass(&["registry", "add", f, extra.to_str().unwrap()]);
    let out = skillpass(&["registry", "remove", f, "extra"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = skillpass(&["registry", "remove", f, "extra"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("has no member \"extra\""));

    // sign, then verify against the right and a wrong publisher.
    let out = skillpass(&["registry", "sign", "--key", PUBLISHER_KEY, f]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let signed = stdout_json(&out);
    assert_eq!(signed["issuer"], PUBLISHER_DID);
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let signed_file = write(dir.path(), "signed.json", &signed);
    let s = signed_file.to_str().unwrap();

    let out = skillpass(&["registry", "verify", "--publisher", PUBLISHER_DID, s]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let verified = stdout_json(&out);
    assert_eq!(verified["verified"], true);
    assert_eq!(verified["members"], stored["members"]);

    let other = "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2";
    let out = skillpass(&["registry", "verify", "--publisher", other, s]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout_json(&out)["verified"], false);
    assert!(stderr(&out).contains("not by the expected publisher"));

    let mut tampered = signed.clone();
    tampered["credentialSubject"]["members"][1]["qualityAssurance"]["status"] = "accredited".into();
    let tampered = write(dir.path(), "tampered.json", &tampered);
    let out = skillpass(&[
        "registry",
        "verify",
        "--publisher",
        PUBLISHER_DID,
        tampered.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let reasons = stdout_json(&out)["reasons"].to_string();
    assert!(reasons.contains("signature does not match"), "{reasons}");

    let out = skillpass(&[
        "registry",
        "verify",
        "--publisher",
        PUBLISHER_DID,
        "--now",
        "2100-01-01T00:00:00Z",
        s,
    ]);
    assert_eq!(code(&out), 1);
    assert!(stdout_json(&out)["reasons"].to_string().contains("expired"));

    // list reads a signed document too.
    let out = skillpass(&["registry", "list", s]);
    assert_eq!(stdout_json(&out)["members"].as_array().unwrap().len(), 2);

    // A registry file that is not one.
    let junk = write(dir.path(), "junk.json", &json!({"entries": []}));
    let out = skillpass(&[
        "registry",
        "sign",
        "--key",
        PUBLISHER_KEY,
        junk.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not a registry file"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_cli_signed_registry_imports_into_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registry.json");
    let f = file.to_str().unwrap();
    let hcc = write(
        dir.path(),
        "hcc.json",
        &member("hcc", "did:key:z6MkHCC", "accredited"),
    );
    assert_eq!(
        code(&skillpass(&["registry", "add", f, hcc.to_str().unwrap()])),
        0
    );
    let out = skillpass(&["registry", "sign", "--key", PUBLISHER_KEY, f]);
    let signed = stdout_json(&out);

    // A service on the real clock: the document is valid from the moment it was signed.
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let service = Arc::new(Service::new(
        store.clone(),
        PUBLIC_URL,
        Arc::new(SystemClock),
    ));
    let state = AppState {
        service: service.clone(),
        admin_token_hash: token_hash(ADMIN_TOKEN),
        wallet: Default::default(),
    };
    let app = TestApp {
        router: app(state, Limits::default()),
        service,
        store,
        token: String::new(),
    };
    let body = json!({"publisher": PUBLISHER_DID, "document": signed});
    let reply = app
        .call(
            Method::POST,
            "/admin/registry/import",
            Some(ADMIN_TOKEN),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["added"], json!(["hcc"]));
    let stored = serde_json::to_value(app.store.get_member("hcc").unwrap().unwrap()).unwrap();
    assert_eq!(stored, member("hcc", "did:key:z6MkHCC", "accredited"));

    // Signed by someone else than the publisher named: refused.
    let body = json!({"publisher": "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2", "document": body["document"]});
    let reply = app
        .call(
            Method::POST,
            "/admin/registry/import",
            Some(ADMIN_TOKEN),
            Some(&body),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
}
