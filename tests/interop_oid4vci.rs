//! OpenID4VCI 1.0 with a wallet library nobody here wrote: the Open Wallet Foundation's
//! `@openid4vc/openid4vci` 0.4.6 (`tests/peers/oid4vci-wallet.mjs`) runs the pre-authorized code
//! flow against the service listening on a loopback port, and the credential it receives is
//! verified by Digital Bazaar's verifier (`tests/peers/verify.mjs`).
//!
//! The library accepts only `https://` URLs unless its global `allowInsecureUrls` option is set;
//! the loopback server is plain `http://127.0.0.1:PORT` (its public URL too), so the script sets
//! that option (`--allow-insecure-urls`). Nothing else about the library is changed: it fetches
//! from the live server with Node's own `fetch`.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::peer;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use skillpass::http::{app, AppState, Limits};
use skillpass::service::{token_hash, NewInstitution, Service, SystemClock};
use skillpass::store::{MemoryStore, OfferState, Store};
use skillpass::wallet::offer::{self, NewOffer, OfferOptions};
use skillpass::wallet::WalletConfig;
use tower::ServiceExt;

const LEARNER: &str = "Souksavanh Phommachanh (ສຸກສະຫວັນ ພົມມະຈັນ)";

/// The service on a loopback port, its public URL that port.
struct Live {
    base: String,
    router: axum::Router,
    service: Arc<Service>,
    store: Arc<dyn Store>,
    token: String,
}

async fn start() -> Live {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    // The wallet signs its proof with the real time: so does the service's clock.
    let service = Arc::new(Service::new(store.clone(), &base, Arc::new(SystemClock)));
    let new: NewInstitution = serde_json::from_value(json!({
        "id": "szpu",
        "name": "Shenzhen Polytechnic University",
        "country": "CN",
        "framework": "CN-VOC",
        "didMethod": "did-key",
    }))
    .unwrap();
    let (_, token) = service.register_institution(new, "test").unwrap();
    let state = AppState {
        service: service.clone(),
        admin_token_hash: token_hash("interop-admin-token-0123456789abcdef0123"),
        wallet: WalletConfig::default(),
    };
    let router = app(state, Limits::default());
    let served = router.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
    Live {
        base,
        router,
        service,
        store,
        token: token.as_str().to_owned(),
    }
}

impl Live {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Vec<u8>) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let resp = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, bytes)
    }

    /// Issues the NEV example record and offers it to the learner.
    async fn offer(&self, options: OfferOptions) -> NewOffer {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/records/szpu-nev-after-sales-service.json");
        let mut record: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        // A record of its own for each offer (issuing is idempotent per record id).
        record["recordId"] = json!(format!("OID4VCI-{}", uuid_like()));
        let (status, body) = self
            .call(Method::POST, "/records?suspendable=true", Some(&record))
            .await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&body)
        );
        let vc: Value = serde_json::from_slice(&body).unwrap();
        let id = vc["verifiableCredential"]["id"].as_str().unwrap();
        let institution = self.store.get_institution("szpu").unwrap().unwrap();
        offer::create(
            &self.service,
            &WalletConfig::default(),
            &institution,
            id,
            &options,
        )
        .await
        .unwrap()
    }

    fn offer_state(&self, offer: &NewOffer) -> OfferState {
        self.store
            .get_offer(&offer.offer.id)
            .unwrap()
            .unwrap()
            .state
    }
}

/// Runs the wallet script off the async runtime (the server keeps serving meanwhile).
async fn wallet(args: Vec<String>) -> peer::PeerOutput {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        peer::run("oid4vci-wallet.mjs", &args, None)
    })
    .await
    .unwrap()
}

fn wallet_args(offer: &NewOffer, tx_code: Option<&str>, key: &str) -> Vec<String> {
    let mut args = vec![
        "--allow-insecure-urls".to_owned(),
        "--offer".to_owned(),
        offer.links.credential_offer.clone(),
        "--key".to_owned(),
        key.to_owned(),
        "--seed".to_owned(),
        "4f".repeat(32),
    ];
    if let Some(code) = tx_code {
        args.push("--tx-code".to_owned());
        args.push(code.to_owned());
    }
    args
}

/// Verifies `vc` with Digital Bazaar's verifier, its status lists fetched from the live server.
async fn verify_in_peer(live: &Live, vc: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = Vec::new();
    for (i, entry) in common::fixtures::status_entries(vc).iter().enumerate() {
        let url = entry["statusListCredential"].as_str().unwrap();
        let path = url
            .strip_prefix(&live.base)
            .expect("status list on this server");
        let (status, body) = live.call(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}");
        let file = dir.path().join(format!("list-{i}.json"));
        std::fs::write(&file, body).unwrap();
        args.push("--status-list".to_owned());
        args.push(file.to_str().unwrap().to_owned());
    }
    let vc = vc.clone();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        peer::verify(&vc, &args)
    })
    .await
    .unwrap();
    assert_eq!(
        out.code, 0,
        "Digital Bazaar's verifier refused the wallet's credential:\n{}\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(out.json()["verified"], true);
}

fn uuid_like() -> String {
    skillpass::wallet::tickets::random_token(8)
}

fn learner_name(vc: &Value) -> Option<&str> {
    vc["credentialSubject"]["identifier"]
        .as_array()?
        .iter()
        .find(|i| i["identityType"] == "name")?["identityHash"]
        .as_str()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owf_wallet_library_claims_a_credential_bound_to_its_did_key() {
    let live = start().await;
    let offer = live.offer(OfferOptions::default()).await;
    let out = wallet(wallet_args(&offer, offer.tx_code.as_deref(), "did-key")).await;
    assert_eq!(
        out.code, 0,
        "wallet failed:\n{}\n{}",
        out.stdout, out.stderr
    );
    let report = out.json();
    // The library read our metadata as OpenID4VCI 1.0 and saw the one-time code prompt.
    assert_eq!(report["version"], "V1", "{report}");
    assert_eq!(report["offer"]["txCode"]["length"], 6);
    assert_eq!(report["offer"]["txCode"]["input_mode"], "numeric");
    assert_eq!(report["token"]["tokenType"], "Bearer");
    let credentials = report["credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), 1);
    let vc = &credentials[0];
    let holder = report["holder"].as_str().unwrap();
    assert!(holder.starts_with("did:key:z6Mk"), "{holder}");
    assert_eq!(vc["credentialSubject"]["id"], holder);
    assert_eq!(learner_name(vc), Some(LEARNER));
    assert_eq!(vc["issuer"]["id"].as_str().unwrap()[..8], *"did:key:");
    verify_in_peer(&live, vc).await;
    match live.offer_state(&offer) {
        OfferState::Claimed {
            holder: h,
            protocol,
            ..
        } => {
            assert_eq!(h, holder);
            assert_eq!(protocol, "openid4vci");
        }
        other => panic!("offer is {other:?}"),
    }

    // The same offer again, as a second wallet would scan it: refused, nothing issued.
    let out = wallet(wallet_args(&offer, offer.tx_code.as_deref(), "did-key")).await;
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let report = out.json();
    assert_eq!(
        report["failedStep"], "resolve the credential offer",
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owf_wallet_library_with_a_did_jwk_or_a_bare_jwk() {
    let live = start().await;
    for key in ["did-jwk", "jwk"] {
        let offer = live.offer(OfferOptions::default()).await;
        let out = wallet(wallet_args(&offer, offer.tx_code.as_deref(), key)).await;
        assert_eq!(
            out.code, 0,
            "{key}: wallet failed:\n{}\n{}",
            out.stdout, out.stderr
        );
        let report = out.json();
        let vc = &report["credentials"][0];
        let subject = vc["credentialSubject"]["id"].as_str().unwrap();
        assert!(subject.starts_with("did:jwk:"), "{key}: {subject}");
        if key == "did-jwk" {
            assert_eq!(report["holder"], subject);
        }
        assert_eq!(learner_name(vc), Some(LEARNER));
        verify_in_peer(&live, vc).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owf_wallet_library_gets_invalid_grant_for_a_wrong_tx_code() {
    let live = start().await;
    let offer = live.offer(OfferOptions::default()).await;
    let right = offer.tx_code.clone().unwrap();
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    let out = wallet(wallet_args(&offer, Some(wrong), "did-key")).await;
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let report = out.json();
    assert_eq!(report["failedStep"], "get an access token", "{report}");
    assert_eq!(
        report["errorResponse"]["error"], "invalid_grant",
        "{report}"
    );
    assert!(report.get("credentials").is_none());
    let stored = live.store.get_offer(&offer.offer.id).unwrap().unwrap();
    assert_eq!(stored.state, OfferState::Open);
    assert_eq!(stored.failed_codes, 1);
}
