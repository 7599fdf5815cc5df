//! The VC-API exchange as Learner Credential Wallet runs it, through the router: interaction
//! URL → `{"protocols": {"vcapi": …}}` → `POST {}` → DID Authentication request → `POST
//! {"verifiablePresentation": …}` → the holder-bound credential. The wallet's presentation is
//! signed by Digital Bazaar's libraries (`tests/peers/didauth.mjs`, a did:key of its own) in
//! LCW's suite (Ed25519Signature2020) and in eddsa-rdfc-2022; the credential it receives is
//! checked by Digital Bazaar's verifier and by LCW's own. Every refusal is a clear error in the
//! API's envelope, and nothing is issued: the offer stays open, no credential is stored.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::Duration;
use common::app::{Reply, TestApp, PUBLIC_URL};
use common::peer;
use serde_json::{json, Value};
use skillpass::store::{OfferState, StoredOffer};
use skillpass::wallet::exchange;
use skillpass::wallet::offer::{self, NewOffer, OfferOptions};
use skillpass::wallet::tickets::{self, TicketKind};
use skillpass::wallet::WalletConfig;

const RECORD: &str = "szpu-nev-after-sales-service.json";
const LCW_SUITE: &str = "Ed25519Signature2020";
const RDFC: &str = "eddsa-rdfc-2022";

/// An issued credential and an open offer of it.
struct Offered {
    app: TestApp,
    original: Value,
    offer: NewOffer,
}

async fn offered() -> Offered {
    let app = TestApp::new();
    let original = app.issue_example(RECORD).await;
    let offer = make_offer(&app, &original).await;
    Offered {
        app,
        original,
        offer,
    }
}

async fn make_offer(app: &TestApp, vc: &Value) -> NewOffer {
    let institution = app.store.get_institution("szpu").unwrap().unwrap();
    offer::create(
        &app.service,
        &WalletConfig::default(),
        &institution,
        vc["id"].as_str().unwrap(),
        &OfferOptions::default(),
    )
    .await
    .unwrap()
}

/// The path of a URL of the test service.
fn path(url: &str) -> &str {
    url.strip_prefix(PUBLIC_URL)
        .unwrap_or_else(|| panic!("{url} is not under {PUBLIC_URL}"))
}

/// `GET` with an `Accept` header, as LCW fetches the interaction URL.
async fn get_accepting(app: &TestApp, url: &str, accept: &str) -> Reply {
    let req = Request::builder()
        .method(Method::GET)
        .uri(path(url))
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .unwrap();
    app.send(req).await
}

async fn post(app: &TestApp, url: &str, body: &Value) -> Reply {
    app.call(Method::POST, path(url), None, Some(body)).await
}

/// LCW's first two steps: the interaction URL gives the exchange, `POST {}` its request.
/// Returns the exchange URL and the `verifiablePresentationRequest`.
async fn open_exchange(app: &TestApp, offer: &NewOffer) -> (String, Value) {
    let reply = get_accepting(app, &offer.links.interaction_url, "application/json").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let exchange = reply.json()["protocols"]["vcapi"]
        .as_str()
        .unwrap_or_else(|| panic!("no vcapi protocol: {}", reply.text()))
        .to_owned();
    let reply = post(app, &exchange, &json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let request = reply.json()["verifiablePresentationRequest"].clone();
    (exchange, request)
}

/// A DID Authentication presentation signed by the peer with a fresh did:key.
/// Returns (the peer's DID, the presentation).
fn didauth(suite: &str, challenge: &str, domain: Option<&str>, extra: &[&str]) -> (String, Value) {
    // `--name=value`: a random challenge may start with '-'.
    let mut args = vec![
        format!("--suite={suite}"),
        format!("--challenge={challenge}"),
    ];
    if let Some(d) = domain {
        args.push(format!("--domain={d}"));
    }
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = peer::run("didauth.mjs", &args, None);
    assert_eq!(out.code, 0, "didauth.mjs: {}\n{}", out.stderr, out.stdout);
    let answer = out.json();
    (
        answer["did"].as_str().unwrap().to_owned(),
        answer["verifiablePresentation"].clone(),
    )
}

/// The presentation answering `request`, signed in `suite`.
fn answer(suite: &str, request: &Value) -> (String, Value) {
    didauth(
        suite,
        request["challenge"].as_str().unwrap(),
        request["domain"].as_str(),
        &[],
    )
}

fn stored_offer(app: &TestApp, offer: &NewOffer) -> StoredOffer {
    app.store.get_offer(&offer.offer.id).unwrap().unwrap()
}

fn credential_count(app: &TestApp) -> usize {
    app.store
        .list_credentials("szpu", None, 10_000)
        .unwrap()
        .len()
}

/// The error envelope of a refusal: status, and a message that says `expected`.
fn assert_error(reply: &Reply, status: StatusCode, expected: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["error"]["status"], status.as_u16(), "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    let details = body["error"]["details"].to_string();
    assert!(
        message.contains(expected) || details.contains(expected),
        "expected {expected:?} in the error: {body}"
    );
}

/// Nothing was issued: the offer is still open and no credential was stored.
fn assert_nothing_issued(app: &TestApp, offer: &NewOffer, before: usize) {
    assert_eq!(stored_offer(app, offer).state, OfferState::Open);
    assert_eq!(credential_count(app), before, "a credential was stored");
}

/// The learner's name in the credential's subject identifiers.
fn learner_name(vc: &Value) -> Option<String> {
    vc["credentialSubject"]["identifier"]
        .as_array()?
        .iter()
        .find(|i| i["identityType"] == "name")
        .and_then(|i| i["identityHash"].as_str())
        .map(str::to_owned)
}

async fn full_claim(suite: &str) {
    let Offered {
        app,
        original,
        offer,
    } = offered().await;
    let before = credential_count(&app);

    let (exchange_url, request) = open_exchange(&app, &offer).await;
    assert!(
        exchange_url.starts_with(&format!("{PUBLIC_URL}/wallet/exchanges/")),
        "{exchange_url}"
    );
    // What LCW reads from the request: one DIDAuthentication query, a challenge and a domain.
    let query = &request["query"][0];
    assert_eq!(query["type"], "DIDAuthentication", "{request}");
    assert_eq!(query["acceptedMethods"], json!([{"method": "key"}]));
    let suites: Vec<&str> = query["acceptedCryptosuites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["cryptosuite"].as_str().unwrap())
        .collect();
    assert!(suites.contains(&suite), "{suites:?}");
    assert_eq!(request["domain"], PUBLIC_URL);
    assert!(
        request["challenge"].as_str().unwrap().len() >= 20,
        "{request}"
    );

    let (did, vp) = answer(suite, &request);
    assert_eq!(vp["holder"], did);
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    // The shape LCW extracts credentials from.
    let presentation = &body["verifiablePresentation"];
    assert!(presentation["type"]
        .as_array()
        .unwrap()
        .contains(&json!("VerifiablePresentation")));
    let vc = presentation["verifiableCredential"][0].clone();
    assert_eq!(
        presentation["verifiableCredential"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    assert_eq!(vc["credentialSubject"]["id"], did, "bound to the holder");
    assert_ne!(vc["id"], original["id"], "the wallet gets its own copy");
    let name = learner_name(&original).expect("the example names its learner");
    assert_eq!(learner_name(&vc).as_deref(), Some(name.as_str()), "{vc}");
    assert_eq!(vc["proof"][0]["cryptosuite"], RDFC, "{vc}");

    match stored_offer(&app, &offer).state {
        OfferState::Claimed {
            holder,
            credential,
            protocol,
            ..
        } => {
            assert_eq!(holder, did);
            assert_eq!(credential, vc["id"].as_str().unwrap());
            assert_eq!(protocol, "vcapi");
        }
        other => panic!("offer not claimed: {other:?}"),
    }
    assert_eq!(credential_count(&app), before + 1);

    // The exchange was single use.
    let again = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&again, StatusCode::NOT_FOUND, "no such exchange");
    assert_eq!(credential_count(&app), before + 1);

    // Code nobody here wrote accepts what the wallet got.
    let dir = tempfile::tempdir().unwrap();
    let lists = app.status_list_args(&vc, dir.path()).await;
    let args: Vec<&str> = lists.iter().map(String::as_str).collect();
    let db = peer::verify(&vc, &args);
    assert_eq!(
        db.code, 0,
        "Digital Bazaar's verifier: {}\n{}",
        db.stdout, db.stderr
    );
    let lcw = peer::lcw_verify(&vc, &args);
    assert_eq!(
        lcw.code, 0,
        "LCW's verifier: {}\n{}",
        lcw.stdout, lcw.stderr
    );
    assert_eq!(lcw.json()["verified"], true, "{}", lcw.stdout);
}

#[tokio::test]
async fn lcw_claims_with_ed25519_signature_2020() {
    full_claim(LCW_SUITE).await;
}

#[tokio::test]
async fn a_wallet_claims_with_eddsa_rdfc_2022() {
    full_claim(RDFC).await;
}

#[tokio::test]
async fn a_browser_is_sent_to_the_claim_page() {
    let Offered { app, offer, .. } = offered().await;
    let reply = get_accepting(
        &app,
        &offer.links.interaction_url,
        "text/html,application/xhtml+xml,*/*;q=0.8",
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(reply.headers[header::LOCATION], offer.links.claim_url);
}

#[tokio::test]
async fn the_deep_link_wraps_the_interaction_url_as_lcw_parses_it() {
    let Offered { offer, .. } = offered().await;
    let link = exchange::deep_link(&offer.links.interaction_url);
    assert_eq!(
        link.strip_prefix("interaction:"),
        Some(offer.links.interaction_url.as_str())
    );
    assert!(link.ends_with("?iuv=1"), "{link}");
}

#[tokio::test]
async fn a_wrong_challenge_is_refused_and_nothing_is_issued() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    let (_, vp) = didauth(
        LCW_SUITE,
        "not-the-challenge",
        request["domain"].as_str(),
        &[],
    );
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, "challenge");
    assert_nothing_issued(&app, &offer, before);
    // The refused attempt is in the audit trail.
    let audit = app.store.audit(Some("szpu"), 100).unwrap();
    assert!(
        audit.iter().any(|e| e.action == "refuse-presentation"),
        "{audit:?}"
    );
}

#[tokio::test]
async fn a_wrong_domain_is_refused_and_nothing_is_issued() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    let (_, vp) = didauth(
        LCW_SUITE,
        request["challenge"].as_str().unwrap(),
        Some("https://elsewhere.example"),
        &[],
    );
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, "domain");
    assert_nothing_issued(&app, &offer, before);
}

#[tokio::test]
async fn a_tampered_presentation_is_refused_and_nothing_is_issued() {
    for suite in [LCW_SUITE, RDFC] {
        let Offered { app, offer, .. } = offered().await;
        let before = credential_count(&app);
        let (exchange_url, request) = open_exchange(&app, &offer).await;
        let (_, mut vp) = answer(suite, &request);
        vp["id"] = json!("urn:uuid:5a0ba1e6-0000-4000-8000-000000000001");
        let reply = post(
            &app,
            &exchange_url,
            &json!({ "verifiablePresentation": vp }),
        )
        .await;
        assert_error(
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the signature does not match",
        );
        assert_nothing_issued(&app, &offer, before);
    }
}

#[tokio::test]
async fn a_presentation_whose_holder_is_not_the_signer_is_refused() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    let other = "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2";
    let (signer, vp) = didauth(
        LCW_SUITE,
        request["challenge"].as_str().unwrap(),
        request["domain"].as_str(),
        &["--holder", other],
    );
    assert_ne!(signer, other);
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not by its holder",
    );
    assert_nothing_issued(&app, &offer, before);
}

#[tokio::test]
async fn an_unsigned_presentation_is_refused() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    let (_, mut vp) = answer(LCW_SUITE, &request);
    vp.as_object_mut().unwrap().remove("proof");
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, "not signed");
    assert_nothing_issued(&app, &offer, before);
}

#[tokio::test]
async fn an_unknown_exchange_is_refused() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let unknown = format!("{PUBLIC_URL}/wallet/exchanges/{}", tickets::secret());
    let reply = post(&app, &unknown, &json!({})).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "no such exchange");
    let (_, vp) = didauth(LCW_SUITE, "c", Some(PUBLIC_URL), &[]);
    let reply = post(&app, &unknown, &json!({ "verifiablePresentation": vp })).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "no such exchange");
    assert_nothing_issued(&app, &offer, before);
}

#[tokio::test]
async fn an_expired_exchange_is_refused() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    // Time passes: the exchange's deadline is now behind us.
    let id = exchange_url.rsplit('/').next().unwrap();
    let key = tickets::key(TicketKind::Exchange, id);
    let mut ticket = app.store.take_ticket(&key).unwrap().unwrap();
    ticket.expires = common::app::now() - Duration::seconds(1);
    tickets::put(app.store.as_ref(), TicketKind::Exchange, id, &ticket).unwrap();
    let (_, vp) = answer(LCW_SUITE, &request);
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::GONE, "the exchange expired");
    assert_nothing_issued(&app, &offer, before);
}

#[tokio::test]
async fn a_presentation_before_the_request_is_refused() {
    let Offered { app, offer, .. } = offered().await;
    let reply = get_accepting(&app, &offer.links.interaction_url, "application/json").await;
    let exchange_url = reply.json()["protocols"]["vcapi"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, vp) = didauth(LCW_SUITE, "guess", Some(PUBLIC_URL), &[]);
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::CONFLICT, "POST {} to it first");
    // The exchange is still usable the right way round.
    let reply = post(&app, &exchange_url, &json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn an_offer_is_claimed_once_even_from_two_exchanges() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (first, first_request) = open_exchange(&app, &offer).await;
    let (second, second_request) = open_exchange(&app, &offer).await;
    assert_ne!(first, second);
    assert_ne!(first_request["challenge"], second_request["challenge"]);
    let (_, vp) = answer(LCW_SUITE, &first_request);
    let reply = post(&app, &first, &json!({ "verifiablePresentation": vp })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let claimed = stored_offer(&app, &offer).state;

    let (_, vp) = answer(LCW_SUITE, &second_request);
    let reply = post(&app, &second, &json!({ "verifiablePresentation": vp })).await;
    assert_error(&reply, StatusCode::GONE, "already been claimed");
    assert_eq!(credential_count(&app), before + 1, "issued once");
    assert_eq!(stored_offer(&app, &offer).state, claimed);

    // The interaction URL is spent too.
    let reply = get_accepting(&app, &offer.links.interaction_url, "application/json").await;
    assert_error(&reply, StatusCode::GONE, "already been claimed");
}

#[tokio::test]
async fn a_withdrawn_offer_is_refused_and_nothing_is_issued() {
    let Offered {
        app,
        original,
        offer,
    } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    let institution = app.store.get_institution("szpu").unwrap().unwrap();
    offer::withdraw(
        &app.service,
        &institution,
        original["id"].as_str().unwrap(),
        &offer.offer.id,
    )
    .await
    .unwrap();
    let (_, vp) = answer(LCW_SUITE, &request);
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::GONE, "withdrawn");
    assert!(matches!(
        stored_offer(&app, &offer).state,
        OfferState::Withdrawn { .. }
    ));
    assert_eq!(credential_count(&app), before);
    let reply = get_accepting(&app, &offer.links.interaction_url, "application/json").await;
    assert_error(&reply, StatusCode::GONE, "withdrawn");
}

#[tokio::test]
async fn an_expired_offer_is_refused_and_nothing_is_issued() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let (exchange_url, request) = open_exchange(&app, &offer).await;
    app.store
        .update_offer(&offer.offer.id, &mut |o| {
            o.expires = common::app::now() - Duration::minutes(1);
            Ok(())
        })
        .unwrap();
    let (_, vp) = answer(LCW_SUITE, &request);
    let reply = post(
        &app,
        &exchange_url,
        &json!({ "verifiablePresentation": vp }),
    )
    .await;
    assert_error(&reply, StatusCode::GONE, "the offer expired");
    assert_eq!(stored_offer(&app, &offer).state, OfferState::Open);
    assert_eq!(credential_count(&app), before);
}

#[tokio::test]
async fn a_wrong_interaction_secret_opens_nothing() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let wrong = format!(
        "{PUBLIC_URL}/wallet/interactions/{}/{}?iuv=1",
        offer.offer.id,
        tickets::secret()
    );
    let reply = get_accepting(&app, &wrong, "application/json").await;
    assert_error(&reply, StatusCode::NOT_FOUND, "no such interaction");
    let unknown_offer = format!(
        "{PUBLIC_URL}/wallet/interactions/{}/{}?iuv=1",
        tickets::random_token(16),
        tickets::secret()
    );
    let reply = get_accepting(&app, &unknown_offer, "application/json").await;
    assert_error(&reply, StatusCode::NOT_FOUND, "no such interaction");
    assert_nothing_issued(&app, &offer, before);
}

#[tokio::test]
async fn a_message_that_is_neither_start_nor_answer_is_a_bad_request() {
    let Offered { app, offer, .. } = offered().await;
    let reply = get_accepting(&app, &offer.links.interaction_url, "application/json").await;
    let exchange_url = reply.json()["protocols"]["vcapi"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = post(&app, &exchange_url, &json!({"zcap": []})).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "unexpected message");
}

/// The query values of a `dccrequest://request?…` link, decoded.
fn link_params(link: &str) -> std::collections::HashMap<String, String> {
    let query = link
        .strip_prefix("dccrequest://request?")
        .unwrap_or_else(|| panic!("not a dccrequest link: {link}"));
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (k.to_owned(), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn the_legacy_dccrequest_link_issues_the_bound_credential() {
    let Offered {
        app,
        original,
        offer,
    } = offered().await;
    let before = credential_count(&app);
    let link =
        exchange::credential_request_link(&app.service, &WalletConfig::default(), &offer.offer.id)
            .unwrap();
    let params = link_params(&link);
    assert_eq!(params["auth_type"], "bearer");
    assert_eq!(params["issuer"], original["issuer"]["id"].as_str().unwrap());
    let request_url = &params["vc_request_url"];
    assert!(
        request_url.starts_with(&format!("{PUBLIC_URL}/wallet/credential-requests/")),
        "{request_url}"
    );
    // LCW signs over the challenge only, and posts the bare presentation.
    let (did, vp) = didauth(LCW_SUITE, &params["challenge"], None, &[]);
    let reply = post(&app, request_url, &vp).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    assert!(!reply.text().contains('&'), "entities stay undecodable");
    let vc = reply.json();
    assert_eq!(vc["credentialSubject"]["id"], did);
    assert_eq!(learner_name(&vc), learner_name(&original));
    assert_eq!(credential_count(&app), before + 1);
    assert!(matches!(
        stored_offer(&app, &offer).state,
        OfferState::Claimed { .. }
    ));
    let lcw = {
        let dir = tempfile::tempdir().unwrap();
        let lists = app.status_list_args(&vc, dir.path()).await;
        let args: Vec<&str> = lists.iter().map(String::as_str).collect();
        peer::lcw_verify(&vc, &args)
    };
    assert_eq!(
        lcw.code, 0,
        "LCW's verifier: {}\n{}",
        lcw.stdout, lcw.stderr
    );

    // Single use.
    let reply = post(&app, request_url, &vp).await;
    assert_error(&reply, StatusCode::NOT_FOUND, "no such exchange");
}

#[tokio::test]
async fn the_legacy_link_refuses_a_wrong_challenge_and_is_not_an_exchange() {
    let Offered { app, offer, .. } = offered().await;
    let before = credential_count(&app);
    let config = WalletConfig::default();
    let link = exchange::credential_request_link(&app.service, &config, &offer.offer.id).unwrap();
    let params = link_params(&link);
    let (_, vp) = didauth(LCW_SUITE, "not-the-challenge", None, &[]);
    let reply = post(&app, &params["vc_request_url"], &vp).await;
    assert_error(&reply, StatusCode::UNPROCESSABLE_ENTITY, "challenge");
    assert_nothing_issued(&app, &offer, before);

    // A legacy request's id does not open a VC-API exchange.
    let link = exchange::credential_request_link(&app.service, &config, &offer.offer.id).unwrap();
    let id = link_params(&link)["vc_request_url"]
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let reply = post(
        &app,
        &format!("{PUBLIC_URL}/wallet/exchanges/{id}"),
        &json!({}),
    )
    .await;
    assert_error(&reply, StatusCode::NOT_FOUND, "no such exchange");
    assert_nothing_issued(&app, &offer, before);
}
