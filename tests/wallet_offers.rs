//! Claim offers: made, listed, withdrawn and drawn as QR codes over HTTP; claimed once into a
//! holder-bound copy that keeps the learner's name and shares the original's status.

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::app::{now, TestApp};
use serde_json::{json, Value};
use skillpass::store::OfferState;
use skillpass::wallet::offer::{self, Protocol};
use skillpass::wallet::{WalletConfig, WalletError};

/// A learner without a wallet yet: named by name and student number.
const RECORD: &str = "szpu-nev-after-sales-service.json";
const HOLDER: &str = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

fn path(id: &str) -> String {
    format!("/credentials/{id}/offers")
}

async fn make_offer(app: &TestApp, id: &str, body: Option<&Value>) -> Value {
    let reply = app
        .call(Method::POST, &path(id), Some(&app.token), body)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()
}

async fn offers_of(app: &TestApp, id: &str) -> Vec<Value> {
    let reply = app
        .call(Method::GET, &path(id), Some(&app.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["offers"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_offer_has_links_a_six_digit_code_and_a_thirty_day_expiry() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let id = vc["id"].as_str().unwrap();
    let made = make_offer(&app, id, None).await;

    let offer_id = made["id"].as_str().unwrap();
    assert!(offer_id.len() >= 22, "an unguessable id: {offer_id}");
    assert_eq!(made["credential"], id);
    assert_eq!(made["state"], "open");
    assert_eq!(made["hasTxCode"], true);
    let code = made["txCode"].as_str().unwrap();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    assert_eq!(
        made["expires"],
        (now() + Duration::days(30))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .as_str()
    );
    assert_eq!(
        made["claimUrl"],
        format!("https://skillpass.test/claim/{offer_id}")
    );
    let uri = format!("https://skillpass.test/oid4vci/offers/{offer_id}");
    assert_eq!(made["credentialOfferUri"], uri.as_str());
    assert_eq!(
        made["credentialOffer"],
        format!(
            "openid-credential-offer://?credential_offer_uri={}",
            uri.replace(':', "%3A").replace('/', "%2F")
        )
    );
    let interaction = made["interactionUrl"].as_str().unwrap();
    assert!(
        interaction.starts_with(&format!(
            "https://skillpass.test/wallet/interactions/{offer_id}/"
        )) && interaction.ends_with("?iuv=1"),
        "{interaction}"
    );

    // The code is shown once: the list has no code and no interaction secret.
    let listed = offers_of(&app, id).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], offer_id);
    assert!(listed[0].get("txCode").is_none());
    assert!(!listed[0].to_string().contains(code));
    assert!(listed[0].get("interactionUrl").is_none());

    // Durable and in the audit trail.
    let audit = app
        .call(Method::GET, "/audit", Some(&app.token), None)
        .await;
    let events = audit.json()["events"].as_array().unwrap().clone();
    assert!(events
        .iter()
        .any(|e| e["action"] == "offer" && e["subject"] == offer_id));
}

#[tokio::test]
async fn options_and_refusals() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let id = vc["id"].as_str().unwrap();

    let made = make_offer(
        &app,
        id,
        Some(&json!({"txCode": false, "expires": "2026-09-08T08:00:00Z", "keepIdentifier": true})),
    )
    .await;
    assert_eq!(made["hasTxCode"], false);
    assert!(made.get("txCode").is_none());
    assert_eq!(made["expires"], "2026-09-08T08:00:00Z");
    assert_eq!(made["keepIdentifier"], true);

    for (body, status, words) in [
        (
            json!({"expires": "2026-08-01T00:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "future",
        ),
        (
            json!({"expires": "2028-01-01T00:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "within 366 days",
        ),
        (json!({"txcode": false}), StatusCode::BAD_REQUEST, "txCode"),
    ] {
        let reply = app
            .call(Method::POST, &path(id), Some(&app.token), Some(&body))
            .await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
        assert!(reply.text().contains(words), "{body}: {}", reply.text());
    }

    // No token, another institution, an unknown credential.
    let reply = app.call(Method::POST, &path(id), None, None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let other = app.register("gdpt", "did-key");
    let reply = app.call(Method::POST, &path(id), Some(&other), None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text());
    let reply = app.call(Method::GET, &path(id), Some(&other), None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text());
    let reply = app
        .call(Method::POST, &path("urn:uuid:nope"), Some(&app.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // A revoked credential is not offered.
    app.set_status(id, "revoke").await;
    let reply = app
        .call(Method::POST, &path(id), Some(&app.token), None)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
    assert!(reply.text().contains("revoked"));
}

#[tokio::test]
async fn a_withdrawn_offer_cannot_be_claimed_and_a_new_one_can() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let id = vc["id"].as_str().unwrap();
    let first = make_offer(&app, id, None).await;
    let first_id = first["id"].as_str().unwrap();

    let url = format!("{}/{first_id}", path(id));
    let reply = app.call(Method::DELETE, &url, Some(&app.token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["state"], "withdrawn");
    let again = app.call(Method::DELETE, &url, Some(&app.token), None).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let other = app.register("gdpt", "did-key");
    let foreign = app.call(Method::DELETE, &url, Some(&other), None).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    let claimed = offer::claim(&app.service, first_id, HOLDER, Protocol::VcApi).await;
    assert!(
        matches!(claimed, Err(WalletError::Withdrawn)),
        "{claimed:?}"
    );

    // The lost phone: a new offer works.
    let second = make_offer(&app, id, None).await;
    let copy = offer::claim(
        &app.service,
        second["id"].as_str().unwrap(),
        HOLDER,
        Protocol::VcApi,
    )
    .await
    .unwrap();
    assert_eq!(copy["credentialSubject"]["id"], HOLDER);
    // (The test clock stands still, so both offers have the same creation time.)
    let mut states: Vec<String> = offers_of(&app, id)
        .await
        .iter()
        .map(|o| o["state"].as_str().unwrap().to_owned())
        .collect();
    states.sort();
    assert_eq!(states, ["claimed", "withdrawn"]);
}

async fn verify(app: &TestApp, doc: Value) -> Value {
    app.call(
        Method::POST,
        "/credentials/verify",
        None,
        Some(&json!({ "verifiableCredential": doc })),
    )
    .await
    .json()
}

#[tokio::test]
async fn a_claim_binds_a_copy_that_keeps_the_name_and_shares_the_status() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let id = vc["id"].as_str().unwrap();
    let made = make_offer(&app, id, None).await;
    let offer_id = made["id"].as_str().unwrap();

    let copy = offer::claim(&app.service, offer_id, HOLDER, Protocol::OpenId4Vci)
        .await
        .unwrap();
    assert_ne!(copy["id"], vc["id"], "a copy has its own id");
    let subject = &copy["credentialSubject"];
    assert_eq!(subject["id"], HOLDER);
    let identifiers = subject["identifier"].as_array().unwrap();
    assert_eq!(identifiers.len(), 1, "only the name stays: {identifiers:?}");
    assert_eq!(identifiers[0]["identityType"], "name");
    assert_eq!(
        identifiers[0]["identityHash"],
        vc["credentialSubject"]["identifier"][0]["identityHash"]
    );
    assert_eq!(copy["credentialStatus"], vc["credentialStatus"]);
    let proofs = copy["proof"].as_array().unwrap();
    assert_eq!(proofs[0]["cryptosuite"], "eddsa-rdfc-2022");

    // The copy verifies; revoking the original revokes the copy.
    let report = verify(&app, copy.clone()).await;
    assert_eq!(report["verified"], true, "{report}");

    // The offer now names the holder, the protocol and the copy; a second claim gets nothing.
    let listed = offers_of(&app, id).await;
    assert_eq!(listed[0]["state"], "claimed");
    assert_eq!(listed[0]["claimed"]["holder"], HOLDER);
    assert_eq!(listed[0]["claimed"]["protocol"], "openid4vci");
    assert_eq!(listed[0]["claimed"]["credential"], copy["id"]);
    let second = offer::claim(&app.service, offer_id, HOLDER, Protocol::VcApi).await;
    assert!(matches!(second, Err(WalletError::Claimed)), "{second:?}");
    let url = format!("{}/{offer_id}", path(id));
    let reply = app.call(Method::DELETE, &url, Some(&app.token), None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("revoke the credential"));

    app.set_status(id, "revoke").await;
    let report = verify(&app, copy).await;
    assert_eq!(report["verified"], false, "{report}");
    assert!(report.to_string().contains("revoked"), "{report}");
}

#[tokio::test]
async fn the_student_number_stays_when_the_institution_asks() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let made = make_offer(
        &app,
        vc["id"].as_str().unwrap(),
        Some(&json!({"keepIdentifier": true})),
    )
    .await;
    let copy = offer::claim(
        &app.service,
        made["id"].as_str().unwrap(),
        HOLDER,
        Protocol::VcApi,
    )
    .await
    .unwrap();
    assert_eq!(
        copy["credentialSubject"]["identifier"],
        vc["credentialSubject"]["identifier"]
    );
}

#[tokio::test]
async fn of_concurrent_claims_exactly_one_wins() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let made = make_offer(&app, vc["id"].as_str().unwrap(), None).await;
    let offer_id = Arc::new(made["id"].as_str().unwrap().to_owned());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let service = app.service.clone();
            let offer_id = offer_id.clone();
            tokio::spawn(
                async move { offer::claim(&service, &offer_id, HOLDER, Protocol::VcApi).await },
            )
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(WalletError::Claimed) => {}
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    assert_eq!(won, 1);
    let listed = app.store.list_credentials("szpu", None, 100).unwrap();
    assert_eq!(listed.len(), 2, "the original and one copy");
}

#[tokio::test]
async fn wrong_codes_count_and_lock_the_offer() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let made = make_offer(&app, vc["id"].as_str().unwrap(), None).await;
    let offer_id = made["id"].as_str().unwrap();
    let code = made["txCode"].as_str().unwrap();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let config = WalletConfig::default();

    let missing = offer::check_code(&app.service, &config, offer_id, None).await;
    assert!(matches!(missing, Err(WalletError::CodeRequired)));
    assert!(
        offer::check_code(&app.service, &config, offer_id, Some(code))
            .await
            .is_ok()
    );
    for remaining in (1..5).rev() {
        let r = offer::check_code(&app.service, &config, offer_id, Some(wrong)).await;
        assert!(
            matches!(r, Err(WalletError::WrongCode { remaining: n }) if n == remaining),
            "{r:?}"
        );
    }
    let r = offer::check_code(&app.service, &config, offer_id, Some(wrong)).await;
    assert!(matches!(r, Err(WalletError::Locked)), "{r:?}");
    // Locked for good: the right code no longer opens it, and no claim goes through.
    let r = offer::check_code(&app.service, &config, offer_id, Some(code)).await;
    assert!(matches!(r, Err(WalletError::Locked)), "{r:?}");
    let r = offer::claim(&app.service, offer_id, HOLDER, Protocol::VcApi).await;
    assert!(matches!(r, Err(WalletError::Locked)), "{r:?}");
    let stored = app.store.get_offer(offer_id).unwrap().unwrap();
    assert!(matches!(stored.state, OfferState::Locked { .. }));
    let audit = app
        .call(Method::GET, "/audit", Some(&app.token), None)
        .await;
    let text = audit.text();
    assert_eq!(text.matches("wrong-offer-code").count(), 4, "{text}");
    assert_eq!(text.matches("lock-offer").count(), 1, "{text}");
}

#[tokio::test]
async fn an_expired_offer_cannot_be_claimed() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let made = make_offer(
        &app,
        vc["id"].as_str().unwrap(),
        Some(&json!({"expires": "2026-09-01T08:00:01Z"})),
    )
    .await;
    let offer_id = made["id"].as_str().unwrap();
    app.store
        .update_offer(offer_id, &mut |o| {
            o.expires = now() - Duration::seconds(1);
            Ok(())
        })
        .unwrap();
    let r = offer::claim(&app.service, offer_id, HOLDER, Protocol::VcApi).await;
    assert!(matches!(r, Err(WalletError::Expired(_))), "{r:?}");
    assert_eq!(
        offers_of(&app, vc["id"].as_str().unwrap()).await[0]["state"],
        "expired"
    );
    let r = offer::claim(&app.service, "no-such-offer", HOLDER, Protocol::VcApi).await;
    assert!(matches!(r, Err(WalletError::UnknownOffer)), "{r:?}");
}

#[tokio::test]
async fn records_and_batches_can_make_offers_at_issue_time() {
    let app = TestApp::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(RECORD);
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record["recordId"] = json!("offer-at-issue-1");

    let reply = app
        .call(
            Method::POST,
            "/records?offer=true",
            Some(&app.token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let body = reply.json();
    let id = body["verifiableCredential"]["id"].as_str().unwrap();
    assert_eq!(body["offer"]["credential"], id);
    assert_eq!(body["offer"]["txCode"].as_str().unwrap().len(), 6);

    // The same record id again: the first credential, no second offer.
    let reply = app
        .call(
            Method::POST,
            "/records?offer=true",
            Some(&app.token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.json().get("offer").is_none());
    assert_eq!(offers_of(&app, id).await.len(), 1);

    let reply = app
        .call(
            Method::POST,
            "/records?txCode=false",
            Some(&app.token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());

    // A batch: each new row's result carries its offer; without a code when asked.
    record["recordId"] = json!("offer-at-issue-2");
    let mut second = record.clone();
    second["recordId"] = json!("offer-at-issue-1");
    let lines = format!("{}\n{}\n", record, second);
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/records/batch?offer=true&txCode=false")
        .header("authorization", format!("Bearer {}", app.token))
        .header("content-type", "application/x-ndjson")
        .body(axum::body::Body::from(lines))
        .unwrap();
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let results: Vec<Value> = reply
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results[0]["status"], "issued", "{results:?}");
    let offer = &results[0]["offer"];
    assert_eq!(offer["credential"], results[0]["credentialId"]);
    assert_eq!(offer["hasTxCode"], false);
    assert!(offer["claimUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://skillpass.test/claim/"));
    assert_eq!(results[1]["status"], "existing");
    assert!(results[1].get("offer").is_none(), "{results:?}");
}

#[tokio::test]
async fn each_link_is_a_qr_code_for_the_institution_only() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let id = vc["id"].as_str().unwrap();
    let made = make_offer(&app, id, None).await;
    let offer_id = made["id"].as_str().unwrap();
    for (link, field) in [
        ("claim", "claimUrl"),
        ("credential-offer", "credentialOffer"),
        ("interaction", "interactionUrl"),
    ] {
        let url = format!("{}/{offer_id}/qr.png?link={link}", path(id));
        let reply = app.call(Method::GET, &url, Some(&app.token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{link}: {}", reply.text());
        assert_eq!(reply.headers["content-type"], "image/png");
        assert_eq!(reply.headers["cache-control"], "private, no-store");
        let image = image::load_from_memory(&reply.body).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "{link}");
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, made[field].as_str().unwrap(), "{link}");

        let svg = app
            .call(
                Method::GET,
                &format!("{}/{offer_id}/qr.svg?link={link}", path(id)),
                Some(&app.token),
                None,
            )
            .await;
        assert_eq!(svg.status, StatusCode::OK);
        assert!(svg.text().contains("<svg"));

        let anonymous = app.call(Method::GET, &url, None, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
    let reply = app
        .call(
            Method::GET,
            &format!("{}/{offer_id}/qr.svg?link=everything", path(id)),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

/// Regression: OpenID4VCI wallets may bind a credential to a did:jwk, and the verifier could
/// resolve only did:key, so a did:jwk holder's presentation came back "could not check".
#[tokio::test]
async fn a_did_jwk_holder_presents_the_copy_it_claimed() {
    let app = TestApp::new();
    let vc = app.issue_example(RECORD).await;
    let made = make_offer(&app, vc["id"].as_str().unwrap(), None).await;
    let holder_key = skillpass::keys::SecretKey::from_seed(&[42; 32]);
    let did = skillpass::did::did_jwk(&holder_key.public_key());
    let copy = offer::claim(
        &app.service,
        made["id"].as_str().unwrap(),
        &did,
        Protocol::OpenId4Vci,
    )
    .await
    .unwrap();

    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did,
        "verifiableCredential": [copy],
    });
    let options = skillpass::proof::ProofOptions {
        suite: skillpass::proof::Cryptosuite::EddsaRdfc2022,
        verification_method: format!("{did}#0"),
        purpose: skillpass::proof::ProofPurpose::Authentication,
        created: now(),
        challenge: Some("c-7".into()),
        domain: Some("employer.example".into()),
    };
    let vp = skillpass::proof::sign(
        &unsigned,
        &holder_key,
        &options,
        &skillpass::contexts::ContextRegistry::bundled(),
    )
    .unwrap();
    let body = json!({
        "verifiablePresentation": vp,
        "options": {"challenge": "c-7", "domain": "employer.example"},
    });
    let reply = app
        .call(Method::POST, "/presentations/verify", None, Some(&body))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["verified"], true, "{}", reply.text());
}
