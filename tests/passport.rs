//! The learner's hosted passport over HTTP (issue 12): create, sign in, wrong passphrase,
//! recovery, claim into the passport, import (genuine, tampered, revoked), shares (note,
//! opened log, withdraw, expiry, what it means in another framework), export (verified by our
//! verifier and by Digital Bazaar's), delete; privacy: one passport cannot reach another's,
//! staff and institution tokens get nothing, a gone share shows nothing about the learner,
//! and the stored passport holds no readable credential.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::Duration;
use common::app::{now, TestApp, ADMIN_TOKEN, PUBLIC_URL};
use common::passport::{
    claim, create, csrf, form, get, inputs, new_share_path, offer, page, post_form, send, upload,
    Jar, CLAIMABLE, PASS,
};
use common::peer;
use serde_json::Value;
use skillpass::http::{app, AppState, Limits};
use skillpass::i18n::Lang;
use skillpass::passport::account;
use skillpass::service::{token_hash, FixedClock, Service};
use skillpass::verify;

const ACHIEVEMENT: &str = "Furniture Production";

fn learner_name(vc: &Value) -> String {
    vc["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["identityType"] == "name")
        .unwrap()["identityHash"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn create_sign_in_wrong_passphrase_and_recovery() {
    let app = TestApp::new();
    let (jar, code) = create(&app.router, "+856 20 5555 1234").await;
    let html = page(&app.router, &jar).await;
    assert!(html.contains("did:key:z6Mk"), "{html}");
    // Signed out, the page is the sign-in page.
    let anon = page(&app.router, &Jar::default()).await;
    assert!(anon.contains("id=\"signin\"") && !anon.contains("did:key"));

    // Wrong passphrase: 401 and no cookie.
    let wrong = post_form(
        &app.router,
        &Jar::default(),
        "/passport/signin",
        &form(&[("name", "+856 20 5555 1234"), ("passphrase", "not the one")]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
    // Right one (the name compares case- and space-insensitively at the ends).
    let right = post_form(
        &app.router,
        &Jar::default(),
        "/passport/signin",
        &form(&[("name", " +856 20 5555 1234 "), ("passphrase", PASS)]),
    )
    .await;
    assert_eq!(
        right.status,
        StatusCode::SEE_OTHER,
        "{}",
        &right.text()[right.text().len().saturating_sub(1500)..]
    );

    // Recovery: the code sets a new passphrase, gives a new code, ends the old sessions.
    let wrong_code = post_form(
        &app.router,
        &Jar::default(),
        "/passport/recover",
        &form(&[
            ("name", "+856 20 5555 1234"),
            ("code", "AAAA-AAAA-AAAA-AAAA-AAAA"),
            ("passphrase", "new passphrase 1"),
        ]),
    )
    .await;
    assert_eq!(wrong_code.status, StatusCode::FORBIDDEN);
    let mut fresh = Jar::default();
    let recovered = post_form(
        &app.router,
        &fresh,
        "/passport/recover",
        &form(&[
            ("name", "+856 20 5555 1234"),
            ("code", &code.to_lowercase().replace('-', " ")),
            ("passphrase", "new passphrase 1"),
        ]),
    )
    .await;
    assert_eq!(recovered.status, StatusCode::OK, "{}", recovered.text());
    fresh.take(&recovered);
    assert!(page(&app.router, &fresh).await.contains("did:key:z6Mk"));
    // The old session opens nothing now.
    assert!(page(&app.router, &jar).await.contains("id=\"signin\""));
    // The old passphrase and the old code no longer work.
    assert!(account::sign_in(&app.service, "+856 20 5555 1234", PASS).is_err());
    assert!(account::sign_in(&app.service, "+856 20 5555 1234", "new passphrase 1").is_ok());
    let reused = post_form(
        &app.router,
        &Jar::default(),
        "/passport/recover",
        &form(&[
            ("name", "+856 20 5555 1234"),
            ("code", &code),
            ("passphrase", "another one 22"),
        ]),
    )
    .await;
    assert_eq!(reused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_in_failures_are_limited() {
    let app = TestApp::with_limits(Limits {
        auth_failures: 3,
        ..Default::default()
    });
    create(&app.router, "learner-limit").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = post_form(
            &app.router,
            &Jar::default(),
            "/passport/signin",
            &form(&[("name", "learner-limit"), ("passphrase", "wrong wrong")]),
        )
        .await;
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..3], &[StatusCode::FORBIDDEN; 3]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    // Even the right passphrase waits now.
    let r = post_form(
        &app.router,
        &Jar::default(),
        "/passport/signin",
        &form(&[("name", "learner-limit"), ("passphrase", PASS)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn claim_import_share_withdraw_export_and_delete() {
    let app = TestApp::new();
    let (jar, _) = create(&app.router, "somchai").await;
    let vc = app.issue_example(CLAIMABLE).await;
    let name = learner_name(&vc);

    // Claim from an offer into the passport: bound to the passport's holder DID, name kept.
    let claimed = claim(&app, &jar, &vc).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.text());
    let passport = account::sign_in(&app.service, "somchai", PASS).unwrap();
    let held = passport.credentials(&app.service).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0].credential["credentialSubject"]["id"],
        passport.holder()
    );
    assert_eq!(learner_name(&held[0].credential), name);
    let html = page(&app.router, &jar).await;
    assert!(html.contains(ACHIEVEMENT), "{html}");
    assert!(html.contains("class=\"status\">Genuine"), "{html}");
    // Grouped by institution and level, the level in words with its reference levels.
    assert!(html.contains("class=\"institution\""));
    assert!(html.contains("Reference levels"), "{html}");
    assert!(html.contains("MQF level 4 — Diploma"), "{html}");
    assert!(html.contains("AQRF level 4"), "{html}");
    let token = csrf(&html);

    // Import: a genuine credential file is added, a tampered or revoked one is refused with
    // the reasons.
    let other = app.issue_example("zw-solar-pv-installation.json").await;
    let ok = upload(&app.router, &jar, &token, other.to_string().as_bytes(), "").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 2);
    let mut tampered = other.clone();
    tampered["credentialSubject"]["achievement"]["name"] = "Brain surgery".into();
    tampered["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001".into();
    let refused = upload(
        &app.router,
        &jar,
        &token,
        tampered.to_string().as_bytes(),
        "",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().contains("id=\"reasons\""),
        "{}",
        refused.text()
    );
    let revoked = app.issue_example("szpu-nev-after-sales-service.json").await;
    app.set_status(revoked["id"].as_str().unwrap(), "revoke")
        .await;
    let refused = upload(
        &app.router,
        &jar,
        &token,
        revoked.to_string().as_bytes(),
        "",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().to_lowercase().contains("revoked"),
        "{}",
        refused.text()
    );
    let not_json = upload(&app.router, &jar, &token, b"{not json", "").await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A link to this node's employer page imports that credential.
    let third = app.issue_example("szpu-3d-animation-production.json").await;
    let link = app.service.verify_page_url(third["id"].as_str().unwrap());
    let by_link = upload(&app.router, &jar, &token, b"", &link).await;
    assert_eq!(by_link.status, StatusCode::OK, "{}", by_link.text());
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 3);
    // Without the CSRF token nothing is imported.
    let forged = upload(&app.router, &jar, "wrong", other.to_string().as_bytes(), "").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Share the claimed credential only, with a note.
    let html = page(&app.router, &jar).await;
    let entries = inputs(&html, "credential");
    assert_eq!(entries.len(), 3);
    let claimed_entry = held[0].entry.clone();
    let made = post_form(
        &app.router,
        &jar,
        "/passport/shares",
        &form(&[
            ("csrf", &token),
            ("credential", &claimed_entry),
            ("days", "30"),
            ("note", "For the welding job at Vientiane Motors"),
        ]),
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text());
    let made_html = made.text();
    assert!(made_html.contains("data:image/svg+xml;base64,"), "QR code");
    let path = new_share_path(&made_html);

    // The employer's view: the credential checked, the signature over the set, the note.
    let shared = get(&app.router, &Jar::default(), &path).await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.text());
    let text = shared.text();
    assert!(text.contains("id=\"signature-ok\""), "{text}");
    // Regression: each checked credential's verdict is a heading inside the page, not a
    // second <h1 id="verdict"> (one id per credential clashed when several were shared).
    assert_eq!(text.matches("<h1").count(), 1, "{text}");
    assert!(!text.contains("id=\"verdict\""), "{text}");
    assert!(text.contains("<h2 class=\"verdict\">"), "{text}");
    assert!(text.contains("Vientiane Motors"));
    assert!(text.contains(ACHIEVEMENT));
    assert!(!text.contains("Solar"), "only what the learner picked");
    assert!(text.contains(&name));
    // What this means here: the reader's framework.
    let meaning = get(
        &app.router,
        &Jar::default(),
        &format!("{path}?framework=EQF"),
    )
    .await;
    assert_eq!(meaning.status, StatusCode::OK);
    assert!(
        meaning.text().contains("class=\"meaning-level\">EQF"),
        "{}",
        meaning.text()
    );
    // ... in the reader's language (issue 14): the outcome and its conditions in Thai.
    let thai = get(
        &app.router,
        &Jar::default(),
        &format!("{path}?framework=EQF&lang=th"),
    )
    .await
    .text();
    assert!(thai.contains("ใน EQF"), "{thai}");
    for english in [
        "Recognised",
        "Cannot be decided",
        "subject to",
        "The credential states",
    ] {
        assert!(!thai.contains(english), "{english} in {thai}");
    }
    // The learner sees when it was opened.
    let html = page(&app.router, &jar).await;
    assert!(html.contains("Opened: "), "{html}");

    // Export: one VP signed by the holder's DID, verified by us and by Digital Bazaar.
    let exported = get(&app.router, &jar, "/passport/export").await;
    assert_eq!(exported.status, StatusCode::OK);
    let vp = exported.json();
    assert_eq!(vp["holder"], passport.holder());
    assert_eq!(vp["verifiableCredential"].as_array().unwrap().len(), 3);
    let challenge = vp["proof"]["challenge"].as_str().unwrap().to_owned();
    let domain = vp["proof"]["domain"].as_str().unwrap().to_owned();
    let mut options = app.service.verify_options();
    options.challenge = Some(challenge.clone());
    options.domain = Some(domain.clone());
    // Imported credentials are about their own subjects, not the passport's DID.
    options.policy.require_holder_binding = false;
    let doc = vp.clone();
    let report = tokio::task::spawn_blocking(move || verify::verify(&doc, &options))
        .await
        .unwrap()
        .unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    // Another challenge is refused.
    let mut options = app.service.verify_options();
    options.challenge = Some("another".into());
    options.domain = Some(domain.clone());
    options.policy.require_holder_binding = false;
    let doc = vp.clone();
    let report = tokio::task::spawn_blocking(move || verify::verify(&doc, &options))
        .await
        .unwrap()
        .unwrap();
    assert!(!report.verified);
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec![
        format!("--challenge={challenge}"),
        "--domain".into(),
        domain,
        "--now".into(),
        now().to_rfc3339(),
    ];
    for c in vp["verifiableCredential"].as_array().unwrap() {
        args.extend(app.status_list_args(c, dir.path()).await);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = peer::verify(&vp, &refs);
    assert_eq!(out.code, 0, "Digital Bazaar: {} {}", out.stdout, out.stderr);
    let mut forged = vp.clone();
    forged["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = "X".into();
    assert_ne!(peer::verify(&forged, &refs).code, 0);

    // Withdraw, then open: gone, and nothing about the learner.
    let share_id = inputs(&html, "csrf"); // keep the token fresh
    let share = page(&app.router, &jar).await;
    let at = share.find("action=\"/passport/shares/").unwrap() + 25;
    let id = &share[at..at + 64];
    let withdrawn = post_form(
        &app.router,
        &jar,
        &format!("/passport/shares/{id}/withdraw"),
        &form(&[("csrf", &share_id[0])]),
    )
    .await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.text()
    );
    let gone = get(&app.router, &Jar::default(), &path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    let text = gone.text();
    assert!(!text.contains(&name) && !text.contains("Vientiane") && !text.contains("did:key"));

    // Delete: passport, keys, credentials, shares gone; the session opens nothing.
    let again = post_form(
        &app.router,
        &jar,
        "/passport/shares",
        &form(&[("csrf", &token), ("credential", &claimed_entry)]),
    )
    .await;
    let second = new_share_path(&again.text());
    assert_eq!(
        get(&app.router, &Jar::default(), &second).await.status,
        StatusCode::OK
    );
    let refused = post_form(
        &app.router,
        &jar,
        "/passport/delete",
        &form(&[("csrf", &token), ("confirm", "no")]),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let deleted = post_form(
        &app.router,
        &jar,
        "/passport/delete",
        &form(&[("csrf", &token), ("confirm", "DELETE")]),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());
    assert_eq!(
        get(&app.router, &Jar::default(), &second).await.status,
        StatusCode::GONE
    );
    assert!(page(&app.router, &jar).await.contains("id=\"signin\""));
    assert!(account::sign_in(&app.service, "somchai", PASS).is_err());
    assert!(app
        .store
        .get_passport(&account::passport_id("somchai").unwrap())
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn privacy_between_passports_tokens_and_the_database() {
    let app = TestApp::new();
    let (a, _) = create(&app.router, "learner-a").await;
    let (b, _) = create(&app.router, "learner-b").await;
    let vc = app.issue_example(CLAIMABLE).await;
    let name = learner_name(&vc);
    assert_eq!(claim(&app, &a, &vc).await.status, StatusCode::SEE_OTHER);
    let a_html = page(&app.router, &a).await;
    let a_token = csrf(&a_html);
    let entry = inputs(&a_html, "credential")[0].clone();
    let made = post_form(
        &app.router,
        &a,
        "/passport/shares",
        &form(&[("csrf", &a_token), ("credential", &entry)]),
    )
    .await;
    assert_eq!(made.status, StatusCode::OK);
    let a_html = page(&app.router, &a).await;
    let at = a_html.find("action=\"/passport/shares/").unwrap() + 25;
    let a_share = a_html[at..at + 64].to_owned();

    // B sees nothing of A's, cannot share A's credential nor withdraw A's share.
    let b_html = page(&app.router, &b).await;
    assert!(
        !b_html.contains(ACHIEVEMENT) && !b_html.contains(&entry) && !b_html.contains(&a_share)
    );
    let b_token = csrf(&b_html);
    let r = post_form(
        &app.router,
        &b,
        "/passport/shares",
        &form(&[("csrf", &b_token), ("credential", &entry)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post_form(
        &app.router,
        &b,
        &format!("/passport/shares/{a_share}/withdraw"),
        &form(&[("csrf", &b_token)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // B's CSRF token does not work with A's session.
    let r = post_form(
        &app.router,
        &a,
        &format!("/passport/shares/{a_share}/withdraw"),
        &form(&[("csrf", &b_token)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A's session cookie with B's key cookie opens nothing.
    let mut mixed = a.clone();
    let b_key =
        b.0.iter()
            .find(|(k, _)| k == account::KEY_COOKIE)
            .unwrap()
            .clone();
    mixed.0.retain(|(k, _)| k != account::KEY_COOKIE);
    mixed.0.push(b_key);
    assert!(page(&app.router, &mixed).await.contains("id=\"signin\""));

    // Staff and institution tokens get nothing.
    for token in [ADMIN_TOKEN, app.token.as_str()] {
        let r = app.call(Method::GET, "/passport", Some(token), None).await;
        assert!(r.text().contains("id=\"signin\"") && !r.text().contains("did:key"));
        let r = app
            .call(Method::GET, "/passport/export", Some(token), None)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    // A cross-site POST is refused even with the cookies.
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/passport/shares/{a_share}/withdraw"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, a.header())
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(form(&[("csrf", &a_token)])))
        .unwrap();
    assert_eq!(send(&app.router, req).await.status, StatusCode::FORBIDDEN);

    // What the database holds: no credential, name, achievement or secret key in the clear.
    let stored = app
        .store
        .get_passport(&account::passport_id("learner-a").unwrap())
        .unwrap()
        .unwrap();
    let text = serde_json::to_string(&stored).unwrap();
    assert!(!text.contains(&name) && !text.contains(ACHIEVEMENT) && !text.contains("learner-a"));
    let share = app.store.get_share(&a_share).unwrap().unwrap();
    let text = serde_json::to_string(&share).unwrap();
    assert!(!text.contains(&name) && !text.contains(ACHIEVEMENT) && !text.contains("/share/"));
    // Sessions are stored without the key that opens the data key.
    for (k, v) in &a.0 {
        assert!(!text.contains(v.as_str()), "{k}");
    }
}

#[tokio::test]
async fn an_expired_share_leaks_nothing() {
    let app = TestApp::new();
    let (jar, _) = create(&app.router, "learner-exp").await;
    let vc = app.issue_example(CLAIMABLE).await;
    let name = learner_name(&vc);
    assert_eq!(claim(&app, &jar, &vc).await.status, StatusCode::SEE_OTHER);
    let html = page(&app.router, &jar).await;
    let entry = inputs(&html, "credential")[0].clone();
    let made = post_form(
        &app.router,
        &jar,
        "/passport/shares",
        &form(&[
            ("csrf", &csrf(&html)),
            ("credential", &entry),
            ("days", "2"),
            ("note", "secret note"),
        ]),
    )
    .await;
    let path = new_share_path(&made.text());
    assert_eq!(
        get(&app.router, &Jar::default(), &path).await.status,
        StatusCode::OK
    );
    // The same node three days later.
    let later = Arc::new(Service::new(
        app.store.clone(),
        PUBLIC_URL,
        Arc::new(FixedClock(now() + Duration::days(3))),
    ));
    let router = app_at(later);
    let gone = get(&router, &Jar::default(), &path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    let text = gone.text();
    assert!(!text.contains(&name), "{text}");
    assert!(
        !text.contains("secret note") && !text.contains("did:key") && !text.contains(ACHIEVEMENT)
    );
    // An unknown share looks the same.
    let unknown = get(
        &router,
        &Jar::default(),
        "/share/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    )
    .await;
    assert_eq!(unknown.status, StatusCode::GONE);
    assert_eq!(unknown.body, gone.body);
    // In Khmer: the gone page in Khmer, and still nothing about the learner.
    let km = get(&router, &Jar::default(), &format!("{path}?lang=km")).await;
    assert_eq!(km.status, StatusCode::GONE);
    assert_eq!(km.headers[header::CONTENT_LANGUAGE], "km");
    let text = km.text();
    assert!(text.contains("<html lang=\"km\">"), "{text}");
    assert!(text.contains("តំណនេះប្រើមិនបានទេ"), "{text}");
    assert!(!text.contains("This link does not work"), "{text}");
    assert!(
        !text.contains(&name)
            && !text.contains("secret note")
            && !text.contains("did:key")
            && !text.contains(ACHIEVEMENT),
        "{text}"
    );
}

fn app_at(service: Arc<Service>) -> axum::Router {
    app(
        AppState {
            service,
            admin_token_hash: token_hash(ADMIN_TOKEN),
            wallet: Default::default(),
        },
        Limits::default(),
    )
}

#[tokio::test]
async fn claiming_without_a_passport_signs_in_first_and_wrong_codes_claim_nothing() {
    let app = TestApp::new();
    let vc = app.issue_example(CLAIMABLE).await;
    let (offer_id, code) = offer(&app, &vc).await;
    let uri = format!("/passport/claim/{offer_id}");
    // The claim page offers the passport.
    let claim_page = post_form(
        &app.router,
        &Jar::default(),
        &format!("/claim/{offer_id}"),
        &form(&[("code", &code)]),
    )
    .await;
    assert!(
        claim_page.text().contains(&format!("action=\"{uri}\"")),
        "{}",
        claim_page.text()
    );
    // A wrong code claims nothing.
    let wrong = post_form(
        &app.router,
        &Jar::default(),
        &uri,
        &form(&[("code", "000000")]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    // No passport yet: the sign-in page carries the claim; creating the passport claims it.
    let waiting = post_form(
        &app.router,
        &Jar::default(),
        &uri,
        &form(&[("code", &code)]),
    )
    .await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert!(waiting.text().contains("id=\"claim-waiting\""));
    assert_eq!(inputs(&waiting.text(), "offer")[0], offer_id);
    let created = post_form(
        &app.router,
        &Jar::default(),
        "/passport/create",
        &form(&[
            ("name", "new-learner"),
            ("passphrase", PASS),
            ("passphrase2", PASS),
            ("offer", &offer_id),
            ("code", &code),
        ]),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let passport = account::sign_in(&app.service, "new-learner", PASS).unwrap();
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 1);
    // The offer is used up.
    let again = post_form(
        &app.router,
        &Jar::default(),
        &uri,
        &form(&[("code", &code)]),
    )
    .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
}

/// Every form of the passport posted from another site's page is refused (403) before it does
/// anything: signing in, creating, recovering and claiming included, not only the signed-in
/// forms.
#[tokio::test]
async fn forms_from_another_site_do_nothing() {
    let app = TestApp::new();
    let (jar, code) = create(&app.router, "learner-cross").await;
    let vc = app.issue_example(CLAIMABLE).await;
    let (offer_id, tx) = offer(&app, &vc).await;
    let token = csrf(&page(&app.router, &jar).await);
    let cross = |uri: &str, cookies: &Jar, body: String| {
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookies.header())
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::from(body))
            .unwrap()
    };
    let none = Jar::default();
    let claim_uri = format!("/passport/claim/{offer_id}");
    for (uri, cookies, body) in [
        (
            "/passport/signin",
            &none,
            form(&[("name", "learner-cross"), ("passphrase", PASS)]),
        ),
        (
            "/passport/create",
            &none,
            form(&[
                ("name", "learner-new"),
                ("passphrase", PASS),
                ("passphrase2", PASS),
                ("offer", &offer_id),
                ("code", &tx),
            ]),
        ),
        (
            "/passport/recover",
            &none,
            form(&[
                ("name", "learner-cross"),
                ("code", &code),
                ("passphrase", "another passphrase"),
            ]),
        ),
        (claim_uri.as_str(), &jar, form(&[("code", &tx)])),
        (
            "/passport/delete",
            &jar,
            form(&[("csrf", &token), ("confirm", "DELETE")]),
        ),
    ] {
        let reply = send(&app.router, cross(uri, cookies, body)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(reply.headers.get(header::SET_COOKIE).is_none(), "{uri}");
        // The refusal, in the page's language (a claim's pages: the issuer's, Chinese).
        let lang = if reply.text().contains("<html lang=\"zh-Hans\">") {
            Lang::ZhHans
        } else {
            Lang::En
        };
        assert!(
            reply.text().contains(&lang.t("passport-forbidden")),
            "{uri}: {}",
            reply.text()
        );
    }
    // Nothing was done: no new passport, the passphrase and the offer unchanged, nothing
    // claimed, nothing deleted.
    assert!(account::sign_in(&app.service, "learner-new", PASS).is_err());
    let passport = account::sign_in(&app.service, "learner-cross", PASS).unwrap();
    assert!(passport.credentials(&app.service).unwrap().is_empty());
    // The same forms from this site work.
    let claimed = post_form(&app.router, &jar, &claim_uri, &form(&[("code", &tx)])).await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.text());
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 1);
}

/// What a sign-in costs (Argon2id m = 19 MiB, t = 2 unwraps the data key, then the holder key
/// is opened): `cargo test --test passport measure_sign_in -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn measure_sign_in() {
    let app = TestApp::new();
    create(&app.router, "measure-me").await;
    let runs = 20;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        account::sign_in(&app.service, "measure-me", PASS).unwrap();
    }
    let each = started.elapsed() / runs;
    println!("sign-in: {each:?} each over {runs} runs");
}

/// "Remove from my passport": one credential goes from the page, the export and every share
/// that showed it (those shares are withdrawn); a forged or cross-site form, another
/// passport's entry and a second removal remove nothing.
#[tokio::test]
async fn removing_one_credential_takes_it_out_of_page_export_and_shares() {
    let app = TestApp::new();
    let (jar, _) = create(&app.router, "learner-remove").await;
    let (other_jar, _) = create(&app.router, "learner-keep").await;
    let vc = app.issue_example(CLAIMABLE).await;
    assert_eq!(claim(&app, &jar, &vc).await.status, StatusCode::SEE_OTHER);
    let solar = app.issue_example("zw-solar-pv-installation.json").await;
    let html = page(&app.router, &jar).await;
    let token = csrf(&html);
    let ok = upload(&app.router, &jar, &token, solar.to_string().as_bytes(), "").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let passport = account::sign_in(&app.service, "learner-remove", PASS).unwrap();
    let held = passport.credentials(&app.service).unwrap();
    assert_eq!(held.len(), 2);
    let (claimed, kept) = (held[0].entry.clone(), held[1].entry.clone());

    // One share with the claimed credential, one with the other only.
    let share = |entry: String| {
        let router = app.router.clone();
        let jar = jar.clone();
        let token = token.clone();
        async move {
            let made = post_form(
                &router,
                &jar,
                "/passport/shares",
                &form(&[("csrf", &token), ("credential", &entry)]),
            )
            .await;
            assert_eq!(made.status, StatusCode::OK, "{}", made.text());
            new_share_path(&made.text())
        }
    };
    let with_removed = share(claimed.clone()).await;
    let without = share(kept.clone()).await;

    // The page offers the form, with the session's CSRF token and the warning.
    let html = page(&app.router, &jar).await;
    let action = format!("action=\"/passport/credentials/{claimed}/remove\"");
    assert!(html.contains(&action), "{html}");
    assert!(html.contains(&Lang::En.t("passport-remove-warning")));
    let uri = format!("/passport/credentials/{claimed}/remove");

    // Without the CSRF token, with a wrong one, or from another site: nothing removed.
    for body in [form(&[]), form(&[("csrf", "wrong")])] {
        let r = post_form(&app.router, &jar, &uri, &body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    }
    let cross = Request::builder()
        .method(Method::POST)
        .uri(&uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, jar.header())
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(form(&[("csrf", &token)])))
        .unwrap();
    let r = send(&app.router, cross).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // Another passport cannot remove this passport's entry (its own token, its own session).
    let other_token = csrf(&page(&app.router, &other_jar).await);
    let r = post_form(
        &app.router,
        &other_jar,
        &uri,
        &form(&[("csrf", &other_token)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 2);
    assert_eq!(
        get(&app.router, &Jar::default(), &with_removed)
            .await
            .status,
        StatusCode::OK
    );

    // Removed: gone from the page, the export and the share that showed it.
    let r = post_form(&app.router, &jar, &uri, &form(&[("csrf", &token)])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains(&Lang::En.t("passport-removed")),
        "{}",
        r.text()
    );
    assert!(
        r.text()
            .contains("1 share link that showed it was withdrawn"),
        "{}",
        r.text()
    );
    let held = passport.credentials(&app.service).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].entry, kept);
    let html = page(&app.router, &jar).await;
    assert!(
        !html.contains(ACHIEVEMENT) && !html.contains(&claimed),
        "{html}"
    );
    let export = get(&app.router, &jar, "/passport/export").await;
    assert_eq!(export.status, StatusCode::OK);
    let vp: Value = serde_json::from_slice(&export.body).unwrap();
    let ids: Vec<&Value> = vp["verifiableCredential"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, vec![&solar["id"]]);
    let gone = get(&app.router, &Jar::default(), &with_removed).await;
    assert_ne!(gone.status, StatusCode::OK);
    assert!(!gone.text().contains(ACHIEVEMENT), "{}", gone.text());
    // The share without it still works.
    let still = get(&app.router, &Jar::default(), &without).await;
    assert_eq!(still.status, StatusCode::OK, "{}", still.text());

    // Twice: a clear answer, nothing else removed.
    let again = post_form(&app.router, &jar, &uri, &form(&[("csrf", &token)])).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(
        again.text().contains(&Lang::En.t("passport-remove-gone")),
        "{}",
        again.text()
    );
    assert_eq!(passport.credentials(&app.service).unwrap().len(), 1);
}
