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

use axum::http::{Method, StatusCode};
use common::app::{example_record, status_list_args, Live};
use common::peer;
use serde_json::{json, Value};
use skillpass::store::OfferState;
use skillpass::wallet::offer::{self, NewOffer, OfferOptions};
use skillpass::wallet::WalletConfig;

const LEARNER: &str = "Souksavanh Phommachanh (ສຸກສະຫວັນ ພົມມະຈັນ)";

/// szpu's service on a loopback port.
async fn start() -> Live {
    Live::start("Shenzhen Polytechnic University").await
}

/// Issues the NEV example record and offers it to the learner.
async fn issue_offer(live: &Live, options: OfferOptions) -> NewOffer {
    let mut record = example_record("szpu-nev-after-sales-service.json");
    // A record of its own for each offer (issuing is idempotent per record id).
    record["recordId"] = json!(format!("OID4VCI-{}", uuid_like()));
    let reply = live
        .call(Method::POST, "/records?suspendable=true", Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json();
    let id = vc["verifiableCredential"]["id"].as_str().unwrap();
    let institution = live.store.get_institution("szpu").unwrap().unwrap();
    offer::create(
        &live.service,
        &WalletConfig::default(),
        &institution,
        id,
        &options,
    )
    .await
    .unwrap()
}

fn offer_state(live: &Live, offer: &NewOffer) -> OfferState {
    live.store
        .get_offer(&offer.offer.id)
        .unwrap()
        .unwrap()
        .state
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
    let args = status_list_args(&live.router, &live.base, vc, dir.path()).await;
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
    let offer = issue_offer(&live, OfferOptions::default()).await;
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
    match offer_state(&live, &offer) {
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
        let offer = issue_offer(&live, OfferOptions::default()).await;
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
    let offer = issue_offer(&live, OfferOptions::default()).await;
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
