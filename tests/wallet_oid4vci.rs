//! OpenID4VCI 1.0 (pre-authorized code flow) through the router: the whole flow, and every way
//! a wallet can be refused, each with its protocol error and nothing issued.
//!
//! The key proofs here are signed by the test (Ed25519, `did:key` / `did:jwk` / `jwk`); the run
//! with the Open Wallet Foundation's wallet library against a listening server is in
//! `tests/interop_oid4vci.rs`.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use common::app::{now, Reply, TestApp, PUBLIC_URL};
use serde_json::{json, Value};
use skillpass::keys::SecretKey;
use skillpass::store::OfferState;
use skillpass::wallet::offer::{self, NewOffer, OfferOptions};
use skillpass::wallet::WalletConfig;

const GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const ISSUER: &str = "https://skillpass.test/institutions/szpu";
const LEARNER: &str = "Souksavanh Phommachanh (ສຸກສະຫວັນ ພົມມະຈັນ)";

struct Setup {
    app: TestApp,
    offer: NewOffer,
}

async fn setup_with(options: OfferOptions) -> Setup {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let offer = make_offer(&app, vc["id"].as_str().unwrap(), options).await;
    Setup { app, offer }
}

async fn setup() -> Setup {
    setup_with(OfferOptions::default()).await
}

async fn make_offer(app: &TestApp, credential: &str, options: OfferOptions) -> NewOffer {
    let institution = app.store.get_institution("szpu").unwrap().unwrap();
    offer::create(
        &app.service,
        &WalletConfig::default(),
        &institution,
        credential,
        &options,
    )
    .await
    .unwrap()
}

fn path(url: &str) -> &str {
    url.strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("{url} is not under {PUBLIC_URL}"))
}

fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn post_form(app: &TestApp, uri: &str, body: String) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// Fetches the offer as a wallet does and answers its pre-authorized code.
async fn pre_authorized_code(s: &Setup) -> String {
    let reply = s
        .app
        .call(
            Method::GET,
            path(&s.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["grants"][GRANT]["pre-authorized_code"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn token_request(app: &TestApp, code: &str, tx_code: Option<&str>) -> Reply {
    let mut pairs = vec![("grant_type", GRANT), ("pre-authorized_code", code)];
    if let Some(t) = tx_code {
        pairs.push(("tx_code", t));
    }
    post_form(app, "/institutions/szpu/oid4vci/token", form(&pairs)).await
}

async fn access_token(s: &Setup) -> String {
    let code = pre_authorized_code(s).await;
    let reply = token_request(&s.app, &code, s.offer.tx_code.as_deref()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

async fn nonce(app: &TestApp) -> String {
    let reply = app
        .call(Method::POST, "/institutions/szpu/oid4vci/nonce", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    reply.json()["c_nonce"].as_str().unwrap().to_owned()
}

fn wallet_key() -> SecretKey {
    SecretKey::from_seed(&[42; 32])
}

fn sign_jwt(key: &SecretKey, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn proof_header(key: &SecretKey) -> Value {
    json!({"typ": "openid4vci-proof+jwt", "alg": "EdDSA",
        "kid": key.public_key().verification_method_id()})
}

fn proof_claims(nonce: &str) -> Value {
    json!({"aud": ISSUER, "iat": now().timestamp(), "nonce": nonce})
}

async fn credential_request(app: &TestApp, token: Option<&str>, body: &Value) -> Reply {
    app.call(
        Method::POST,
        "/institutions/szpu/oid4vci/credential",
        token,
        Some(body),
    )
    .await
}

fn request_with(jwt: &str) -> Value {
    json!({"credential_configuration_id": "OpenBadgeCredential", "proofs": {"jwt": [jwt]}})
}

/// Asserts an OAuth error reply with `status` and `code`.
fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"], code, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{body}"
    );
}

fn offer_state(s: &Setup) -> OfferState {
    s.app
        .store
        .get_offer(&s.offer.offer.id)
        .unwrap()
        .unwrap()
        .state
}

/// Credentials the institution has issued (the original and any wallet copies).
fn issued(app: &TestApp) -> usize {
    app.store
        .list_credentials("szpu", None, 1000)
        .unwrap()
        .len()
}

/// Asserts that nothing was issued and the offer is `state` (default: still open).
fn assert_nothing_issued(s: &Setup) {
    assert_eq!(issued(&s.app), 1, "only the original credential");
    assert_eq!(offer_state(s), OfferState::Open);
}

#[tokio::test]
async fn metadata_is_served_at_the_path_inserted_well_known_urls() {
    let s = setup().await;
    let reply = s
        .app
        .call(
            Method::GET,
            "/.well-known/openid-credential-issuer/institutions/szpu",
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let meta = reply.json();
    assert_eq!(meta["credential_issuer"], ISSUER);
    assert_eq!(
        meta["credential_endpoint"],
        format!("{ISSUER}/oid4vci/credential")
    );
    assert_eq!(meta["nonce_endpoint"], format!("{ISSUER}/oid4vci/nonce"));
    assert_eq!(meta["display"][0]["name"], "szpu vocational college");
    assert_eq!(meta["display"][0]["locale"], "en");
    let config = &meta["credential_configurations_supported"]["OpenBadgeCredential"];
    assert_eq!(config["format"], "ldp_vc");
    assert_eq!(
        config["credential_definition"]["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(
        config["cryptographic_binding_methods_supported"],
        json!(["did:key", "did:jwk", "jwk"])
    );
    assert_eq!(
        config["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"],
        json!(["EdDSA"])
    );

    let reply = s
        .app
        .call(
            Method::GET,
            "/.well-known/oauth-authorization-server/institutions/szpu",
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let meta = reply.json();
    assert_eq!(meta["issuer"], ISSUER);
    assert_eq!(meta["token_endpoint"], format!("{ISSUER}/oid4vci/token"));
    assert_eq!(
        meta["pre-authorized_grant_anonymous_access_supported"],
        true
    );
    assert_eq!(meta["grant_types_supported"], json!([GRANT]));

    for uri in [
        "/.well-known/openid-credential-issuer/institutions/nobody",
        "/.well-known/oauth-authorization-server/institutions/nobody",
    ] {
        let reply = s.app.call(Method::GET, uri, None, None).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn the_offer_mints_a_fresh_code_on_each_fetch_and_asks_for_the_tx_code() {
    let s = setup().await;
    let reply = s
        .app
        .call(
            Method::GET,
            path(&s.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let offer = reply.json();
    assert_eq!(offer["credential_issuer"], ISSUER);
    assert_eq!(
        offer["credential_configuration_ids"],
        json!(["OpenBadgeCredential"])
    );
    let tx = &offer["grants"][GRANT]["tx_code"];
    assert_eq!(tx["input_mode"], "numeric");
    assert_eq!(tx["length"], 6);
    assert!(tx["description"].as_str().is_some());
    let first = pre_authorized_code(&s).await;
    let second = pre_authorized_code(&s).await;
    assert_ne!(first, second);

    // Without a one-time code the offer says so.
    let open = setup_with(OfferOptions {
        tx_code: false,
        ..OfferOptions::default()
    })
    .await;
    let reply = open
        .app
        .call(
            Method::GET,
            path(&open.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert!(reply.json()["grants"][GRANT].get("tx_code").is_none());

    let reply = s
        .app
        .call(Method::GET, "/oid4vci/offers/no-such-offer", None, None)
        .await;
    assert_error(&reply, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_whole_flow_issues_one_bound_credential() {
    let s = setup().await;
    let token = access_token(&s).await;
    let key = wallet_key();
    let jwt = sign_jwt(
        &key,
        &proof_header(&key),
        &proof_claims(&nonce(&s.app).await),
    );
    let reply = credential_request(&s.app, Some(&token), &request_with(&jwt)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let body = reply.json();
    let vc = &body["credentials"][0]["credential"];
    let holder = key.public_key().did_key();
    assert_eq!(vc["credentialSubject"]["id"], holder);
    assert_eq!(vc["proof"][0]["cryptosuite"], "eddsa-rdfc-2022", "{vc}");
    let names: Vec<&Value> = vc["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["identityType"] == "name")
        .collect();
    assert_eq!(names.len(), 1);
    assert_eq!(names[0]["identityHash"], LEARNER);

    // The copy is stored and verifies; the offer is claimed by this DID.
    assert_eq!(issued(&s.app), 2);
    match offer_state(&s) {
        OfferState::Claimed {
            holder: h,
            credential,
            protocol,
            ..
        } => {
            assert_eq!(h, holder);
            assert_eq!(credential, vc["id"].as_str().unwrap());
            assert_eq!(protocol, "openid4vci");
        }
        other => panic!("offer is {other:?}"),
    }
    let reply = s
        .app
        .call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": vc})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["verified"], true, "{}", reply.text());

    // The access token was used up.
    let jwt = sign_jwt(
        &key,
        &proof_header(&key),
        &proof_claims(&nonce(&s.app).await),
    );
    let reply = credential_request(&s.app, Some(&token), &request_with(&jwt)).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");
    assert_eq!(issued(&s.app), 2);
}

#[tokio::test]
async fn a_did_jwk_or_bare_jwk_wallet_gets_a_did_jwk_credential() {
    for use_kid in [true, false] {
        let s = setup().await;
        let token = access_token(&s).await;
        let key = wallet_key();
        let x = URL_SAFE_NO_PAD.encode(key.public_key().as_bytes());
        let jwk = json!({"crv": "Ed25519", "kty": "OKP", "x": x});
        let did = format!("did:jwk:{}", URL_SAFE_NO_PAD.encode(jwk.to_string()));
        let header = if use_kid {
            json!({"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "kid": format!("{did}#0")})
        } else {
            json!({"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "jwk": jwk})
        };
        let jwt = sign_jwt(&key, &header, &proof_claims(&nonce(&s.app).await));
        // The single `proof` object of earlier drafts is accepted too.
        let body = if use_kid {
            request_with(&jwt)
        } else {
            json!({"credential_configuration_id": "OpenBadgeCredential",
                "proof": {"proof_type": "jwt", "jwt": jwt}})
        };
        let reply = credential_request(&s.app, Some(&token), &body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(
            reply.json()["credentials"][0]["credential"]["credentialSubject"]["id"],
            did
        );
    }
}

#[tokio::test]
async fn a_withdrawn_or_expired_offer_gives_no_code_and_no_credential() {
    // Withdrawn before the wallet came: the offer is gone.
    let s = setup().await;
    let code = pre_authorized_code(&s).await;
    let institution = s.app.store.get_institution("szpu").unwrap().unwrap();
    offer::withdraw(
        &s.app.service,
        &institution,
        &s.offer.offer.credential,
        &s.offer.offer.id,
    )
    .await
    .unwrap();
    let reply = s
        .app
        .call(
            Method::GET,
            path(&s.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert_error(&reply, StatusCode::GONE, "offer_closed");
    // A code fetched before the withdrawal no longer buys a token.
    let reply = token_request(&s.app, &code, s.offer.tx_code.as_deref()).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(reply.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("withdrawn"));
    assert_eq!(issued(&s.app), 1);

    // Withdrawn after the token was issued: the credential endpoint denies.
    let s = setup().await;
    let token = access_token(&s).await;
    offer::withdraw(
        &s.app.service,
        &institution,
        &s.offer.offer.credential,
        &s.offer.offer.id,
    )
    .await
    .unwrap();
    let key = wallet_key();
    let n = nonce(&s.app).await;
    let jwt = sign_jwt(&key, &proof_header(&key), &proof_claims(&n));
    let reply = credential_request(&s.app, Some(&token), &request_with(&jwt)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "credential_request_denied");
    assert_eq!(issued(&s.app), 1);
    assert!(matches!(offer_state(&s), OfferState::Withdrawn { .. }));

    // Expired: an offer that expires a minute from the test's "now", seen two minutes later.
    let app = TestApp::new();
    let vc = app.issue_example("szpu-nev-after-sales-service.json").await;
    let made = make_offer(
        &app,
        vc["id"].as_str().unwrap(),
        OfferOptions {
            expires: Some(now() + Duration::minutes(1)),
            ..OfferOptions::default()
        },
    )
    .await;
    let s = Setup { app, offer: made };
    let code = pre_authorized_code(&s).await;
    // Move the offer's expiry into the past, as time passing would.
    s.app
        .store
        .update_offer(&s.offer.offer.id, &mut |o| {
            o.expires = now() - Duration::minutes(1);
            Ok(())
        })
        .unwrap();
    let reply = s
        .app
        .call(
            Method::GET,
            path(&s.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert_error(&reply, StatusCode::GONE, "offer_closed");
    let reply = token_request(&s.app, &code, s.offer.tx_code.as_deref()).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(reply.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("expired"));
    assert_eq!(issued(&s.app), 1);
}

#[tokio::test]
async fn a_second_claim_gets_nothing() {
    let s = setup().await;
    // Two wallets scan the same offer and both get tokens before either claims.
    let first = access_token(&s).await;
    let second = access_token(&s).await;
    let key = wallet_key();
    let jwt = sign_jwt(
        &key,
        &proof_header(&key),
        &proof_claims(&nonce(&s.app).await),
    );
    let reply = credential_request(&s.app, Some(&first), &request_with(&jwt)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    let other = SecretKey::from_seed(&[9; 32]);
    let n = nonce(&s.app).await;
    let jwt = sign_jwt(&other, &proof_header(&other), &proof_claims(&n));
    let reply = credential_request(&s.app, Some(&second), &request_with(&jwt)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "credential_request_denied");
    assert!(reply.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("claimed"));
    assert_eq!(issued(&s.app), 2, "one wallet copy, not two");

    // And the offer hands out no new codes.
    let reply = s
        .app
        .call(
            Method::GET,
            path(&s.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert_error(&reply, StatusCode::GONE, "offer_closed");
}

#[tokio::test]
async fn pre_authorized_codes_are_single_use_and_checked() {
    let s = setup().await;
    let code = pre_authorized_code(&s).await;
    let tx = s.offer.tx_code.clone().unwrap();
    let reply = token_request(&s.app, &code, Some(&tx)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    // The same code again: used.
    let reply = token_request(&s.app, &code, Some(&tx)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    // Unknown code.
    let reply = token_request(&s.app, "made-up", Some(&tx)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    // Missing code, other grant types, and no form at all.
    let reply = post_form(
        &s.app,
        "/institutions/szpu/oid4vci/token",
        form(&[("grant_type", GRANT)]),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_request");
    let reply = post_form(
        &s.app,
        "/institutions/szpu/oid4vci/token",
        form(&[("grant_type", "authorization_code"), ("code", "x")]),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "unsupported_grant_type");
    let reply = s
        .app
        .call(
            Method::POST,
            "/institutions/szpu/oid4vci/token",
            None,
            Some(&json!({"grant_type": GRANT})),
        )
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_request");
    // A repeated parameter (RFC 6749 §3.2).
    let code = pre_authorized_code(&s).await;
    let reply = post_form(
        &s.app,
        "/institutions/szpu/oid4vci/token",
        form(&[
            ("grant_type", GRANT),
            ("pre-authorized_code", &code),
            ("pre-authorized_code", &code),
        ]),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_request");
    // Another institution's token endpoint does not take szpu's code.
    s.app.register("other", "did-key");
    let reply = post_form(
        &s.app,
        "/institutions/other/oid4vci/token",
        form(&[
            ("grant_type", GRANT),
            ("pre-authorized_code", &code),
            ("tx_code", &tx),
        ]),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    // An expired code: minted, then older than its lifetime.
    let expired = skillpass::wallet::tickets::mint(
        s.app.store.as_ref(),
        skillpass::wallet::tickets::TicketKind::PreAuthorizedCode,
        &s.offer.offer.id,
        now() - Duration::seconds(1),
        Value::Null,
    )
    .unwrap();
    let reply = token_request(&s.app, &expired, Some(&tx)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    assert_nothing_issued(&s);
}

#[tokio::test]
async fn wrong_tx_codes_count_and_lock_the_offer_after_five() {
    let s = setup().await;
    let right = s.offer.tx_code.clone().unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let code = pre_authorized_code(&s).await;

    // Missing: invalid_request, not counted.
    let reply = token_request(&s.app, &code, None).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_request");
    for left in (1..5).rev() {
        let reply = token_request(&s.app, &code, Some(wrong)).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
        let description = reply.json()["error_description"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            description.contains(&format!("{left} tries left")),
            "{description}"
        );
    }
    // Each wrong code counted…
    let snapshot = s.app.store.get_offer(&s.offer.offer.id).unwrap().unwrap();
    assert_eq!(snapshot.failed_codes, 4);
    // …but the fifth wrong one locks the offer.
    let reply = token_request(&s.app, &code, Some(wrong)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(reply.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("locked"));
    assert!(matches!(offer_state(&s), OfferState::Locked { .. }));
    // Now not even the right code helps.
    let reply = token_request(&s.app, &code, Some(&right)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    let reply = s
        .app
        .call(
            Method::GET,
            path(&s.offer.links.credential_offer_uri),
            None,
            None,
        )
        .await;
    assert_error(&reply, StatusCode::GONE, "offer_closed");
    assert_eq!(issued(&s.app), 1);

    // A mistyped code does not spend the pre-authorized code: a wrong code, then the right one
    // with the same pre-authorized code, succeeds.
    let s = setup().await;
    let right = s.offer.tx_code.clone().unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let code = pre_authorized_code(&s).await;
    let reply = token_request(&s.app, &code, Some(wrong)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_grant");
    let reply = token_request(&s.app, &code, Some(&right)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn bad_proofs_are_refused_and_nothing_is_issued() {
    let s = setup().await;
    let token = access_token(&s).await;
    let key = wallet_key();

    // (what is wrong, the proof made from a fresh nonce, the error expected)
    type MakeProof<'a> = Box<dyn Fn(&str) -> String + 'a>;
    let cases: Vec<(&str, MakeProof, &str)> = vec![
        (
            "a nonce we never issued",
            Box::new(|_n: &str| sign_jwt(&key, &proof_header(&key), &proof_claims("guess"))),
            "invalid_nonce",
        ),
        (
            "no nonce",
            Box::new(|_n: &str| {
                let mut c = proof_claims("x");
                c.as_object_mut().unwrap().remove("nonce");
                sign_jwt(&key, &proof_header(&key), &c)
            }),
            "invalid_nonce",
        ),
        (
            "another issuer as aud",
            Box::new(|n: &str| {
                let mut c = proof_claims(n);
                c["aud"] = json!("https://skillpass.test/institutions/other");
                sign_jwt(&key, &proof_header(&key), &c)
            }),
            "invalid_proof",
        ),
        (
            "alg none",
            Box::new(|n: &str| {
                format!(
                    "{}.{}.",
                    URL_SAFE_NO_PAD.encode(
                        json!({"typ": "openid4vci-proof+jwt", "alg": "none",
                            "kid": key.public_key().verification_method_id()})
                        .to_string()
                    ),
                    URL_SAFE_NO_PAD.encode(proof_claims(n).to_string())
                )
            }),
            "invalid_proof",
        ),
        (
            "alg ES256",
            Box::new(|n: &str| {
                let mut h = proof_header(&key);
                h["alg"] = json!("ES256");
                sign_jwt(&key, &h, &proof_claims(n))
            }),
            "invalid_proof",
        ),
        (
            "alg HS256",
            Box::new(|n: &str| {
                let mut h = proof_header(&key);
                h["alg"] = json!("HS256");
                sign_jwt(&key, &h, &proof_claims(n))
            }),
            "invalid_proof",
        ),
        (
            "a stale iat",
            Box::new(|n: &str| {
                let mut c = proof_claims(n);
                c["iat"] = json!((now() - Duration::minutes(10)).timestamp());
                sign_jwt(&key, &proof_header(&key), &c)
            }),
            "invalid_proof",
        ),
        (
            "an iat in the future",
            Box::new(|n: &str| {
                let mut c = proof_claims(n);
                c["iat"] = json!((now() + Duration::minutes(10)).timestamp());
                sign_jwt(&key, &proof_header(&key), &c)
            }),
            "invalid_proof",
        ),
        (
            "the wrong typ",
            Box::new(|n: &str| {
                let mut h = proof_header(&key);
                h["typ"] = json!("JWT");
                sign_jwt(&key, &h, &proof_claims(n))
            }),
            "invalid_proof",
        ),
        (
            "signed by another key than kid names",
            Box::new(|n: &str| {
                sign_jwt(
                    &SecretKey::from_seed(&[1; 32]),
                    &proof_header(&key),
                    &proof_claims(n),
                )
            }),
            "invalid_proof",
        ),
    ];
    for (what, make, code) in &cases {
        let n = nonce(&s.app).await;
        let reply = credential_request(&s.app, Some(&token), &request_with(&make(&n))).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            reply.text()
        );
        assert_eq!(reply.json()["error"], *code, "{what}: {}", reply.text());
        assert_nothing_issued(&s);
    }

    // No proof at all; a malformed request.
    let reply = credential_request(
        &s.app,
        Some(&token),
        &json!({"credential_configuration_id": "OpenBadgeCredential"}),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_proof");
    let n = nonce(&s.app).await;
    let jwt = sign_jwt(&key, &proof_header(&key), &proof_claims(&n));
    let reply = credential_request(
        &s.app,
        Some(&token),
        &json!({"credential_configuration_id": "UniversityDegree", "proofs": {"jwt": [jwt]}}),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "unknown_credential_configuration",
    );
    let reply = credential_request(&s.app, Some(&token), &json!({"proofs": {"jwt": [jwt]}})).await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "invalid_credential_request",
    );
    let reply = credential_request(&s.app, Some(&token), &json!([1, 2])).await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "invalid_credential_request",
    );
    assert_nothing_issued(&s);

    // After all that, the same token and a good proof still claim the offer.
    let n = nonce(&s.app).await;
    let jwt = sign_jwt(&key, &proof_header(&key), &proof_claims(&n));
    let reply = credential_request(&s.app, Some(&token), &request_with(&jwt)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn a_nonce_is_single_use() {
    // Two offers of the same learner's two credentials; the first claim spends the nonce.
    let s = setup().await;
    let vc2 = s.app.issue_example("zw-solar-pv-installation.json").await;
    let second = make_offer(&s.app, vc2["id"].as_str().unwrap(), OfferOptions::default()).await;
    let token1 = access_token(&s).await;
    let key = wallet_key();
    let n = nonce(&s.app).await;
    let jwt = sign_jwt(&key, &proof_header(&key), &proof_claims(&n));
    let reply = credential_request(&s.app, Some(&token1), &request_with(&jwt)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let before = issued(&s.app);

    let code = {
        let reply = s
            .app
            .call(
                Method::GET,
                path(&second.links.credential_offer_uri),
                None,
                None,
            )
            .await;
        reply.json()["grants"][GRANT]["pre-authorized_code"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let reply = token_request(&s.app, &code, second.tx_code.as_deref()).await;
    let token2 = reply.json()["access_token"].as_str().unwrap().to_owned();
    // The very same proof (same nonce) again.
    let reply = credential_request(&s.app, Some(&token2), &request_with(&jwt)).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_nonce");
    assert_eq!(issued(&s.app), before);
    let state = s
        .app
        .store
        .get_offer(&second.offer.id)
        .unwrap()
        .unwrap()
        .state;
    assert_eq!(state, OfferState::Open);
}

#[tokio::test]
async fn unknown_or_expired_access_tokens_get_401() {
    let s = setup().await;
    let key = wallet_key();
    let n = nonce(&s.app).await;
    let body = request_with(&sign_jwt(&key, &proof_header(&key), &proof_claims(&n)));

    // No token at all: a bare challenge (RFC 6750 §3.1).
    let reply = credential_request(&s.app, None, &body).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");
    assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");

    let reply = credential_request(&s.app, Some("made-up-token"), &body).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");
    assert!(reply.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .contains("error=\"invalid_token\""));

    // A pre-authorized code is not an access token.
    let code = pre_authorized_code(&s).await;
    let reply = credential_request(&s.app, Some(&code), &body).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");

    // An expired access token.
    let expired = skillpass::wallet::tickets::mint(
        s.app.store.as_ref(),
        skillpass::wallet::tickets::TicketKind::AccessToken,
        &s.offer.offer.id,
        now() - Duration::seconds(1),
        Value::Null,
    )
    .unwrap();
    let reply = credential_request(&s.app, Some(&expired), &body).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");

    // A valid token at another institution's credential endpoint.
    let token = access_token(&s).await;
    s.app.register("other", "did-key");
    let reply = s
        .app
        .call(
            Method::POST,
            "/institutions/other/oid4vci/credential",
            Some(&token),
            Some(&body),
        )
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");

    // A body that is not JSON, without a token: the token is what is reported.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/institutions/szpu/oid4vci/credential")
        .body(Body::from("not json"))
        .unwrap();
    let reply = s.app.send(req).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_token");
    assert_nothing_issued(&s);
}
