//! The console's claim sheet (`POST /console/claim-sheet`), the search's pages and filters,
//! and the audit trail naming people by account id: through the router, with the claim
//! codes on the sheet used to claim through the real claim flows (OpenID4VCI and the claim
//! page).

mod common;

use axum::http::{header, Method, StatusCode};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::Duration;
use common::app::{now, TestApp, ADMIN_TOKEN, PUBLIC_URL};
use common::console::{get, post_form, sign_in, staff, store_copy, urlencode};
use serde_json::{json, Value};
use skillpass::i18n::date::long_date;
use skillpass::i18n::Lang;
use skillpass::keys::SecretKey;
use skillpass::store::{AuditEvent, OfferState};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

/// The text of every `<span class="{class}">…</span>` in `html`, in order.
fn spans(html: &str, class: &str) -> Vec<String> {
    html.split(&format!("<span class=\"{class}\">"))
        .skip(1)
        .map(|rest| rest.split("</span>").next().unwrap().to_owned())
        .collect()
}

/// One slip of a sheet: its claim link, one-time code and QR image.
#[derive(Debug)]
struct Slip {
    link: String,
    code: String,
    qr: String,
}

fn slips(html: &str) -> Vec<Slip> {
    let links = spans(html, "link");
    let codes = spans(html, "code");
    let qrs: Vec<String> = html
        .split("<img class=\"qr\" src=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(links.len(), codes.len());
    assert_eq!(links.len(), qrs.len());
    links
        .into_iter()
        .zip(codes)
        .zip(qrs)
        .map(|((link, code), qr)| Slip { link, code, qr })
        .collect()
}

fn offer_id(link: &str) -> &str {
    link.strip_prefix(&format!("{PUBLIC_URL}/claim/"))
        .unwrap_or_else(|| panic!("{link} is not a claim link"))
}

struct Class {
    app: TestApp,
    chen: String,
    souk: String,
    solar: String,
}

async fn class() -> Class {
    let app = TestApp::new();
    let chen = app.issue_example("szpu-3d-animation-production.json").await;
    let souk = app.issue_example("szpu-nev-after-sales-service.json").await;
    let solar = app.issue_example("zw-solar-pv-installation.json").await;
    staff(&app, "registrar@szpu.test", Some("szpu"), "registrar").await;
    staff(&app, "issuer@szpu.test", Some("szpu"), "issuer").await;
    staff(&app, "viewer@szpu.test", Some("szpu"), "viewer").await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    Class {
        chen: id(&chen),
        souk: id(&souk),
        solar: id(&solar),
        app,
    }
}

fn offers(app: &TestApp, credential: &str) -> Vec<skillpass::store::StoredOffer> {
    app.store.list_offers(credential).unwrap()
}

/// Claims the offer of `slip` as an OpenID4VCI wallet does, with the slip's one-time code;
/// answers the credential the wallet got.
async fn claim_with_openid4vci(app: &TestApp, slip: &Slip) -> Value {
    let offer = app
        .call(
            Method::GET,
            &format!("/oid4vci/offers/{}", offer_id(&slip.link)),
            None,
            None,
        )
        .await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.text());
    let code = offer.json()["grants"][GRANT]["pre-authorized_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = |tx: String| {
        let code = code.clone();
        async move {
            post_form(
                app,
                "/institutions/szpu/oid4vci/token",
                None,
                &[
                    ("grant_type", GRANT),
                    ("pre-authorized_code", &code),
                    ("tx_code", &tx),
                ],
            )
            .await
        }
    };
    let reply = token(slip.code.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let access = reply.json()["access_token"].as_str().unwrap().to_owned();
    let nonce = app
        .call(Method::POST, "/institutions/szpu/oid4vci/nonce", None, None)
        .await
        .json()["c_nonce"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = SecretKey::from_seed(&[7; 32]);
    let header = json!({"typ": "openid4vci-proof+jwt", "alg": "EdDSA",
        "kid": key.public_key().verification_method_id()});
    let claims = json!({"aud": format!("{PUBLIC_URL}/institutions/szpu"),
        "iat": now().timestamp(), "nonce": nonce});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let jwt = format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()))
    );
    let reply = app
        .call(
            Method::POST,
            "/institutions/szpu/oid4vci/credential",
            Some(&access),
            Some(
                &json!({"credential_configuration_id": "OpenBadgeCredential",
                "proofs": {"jwt": [jwt]}}),
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let vc = reply.json()["credentials"][0]["credential"].clone();
    assert_eq!(vc["credentialSubject"]["id"], key.public_key().did_key());
    vc
}

#[tokio::test]
async fn a_claim_sheet_prints_codes_that_claim_through_the_claim_flows() {
    let c = class().await;
    let app = &c.app;
    let registrar = sign_in(app, "registrar@szpu.test").await;

    // The search page gives a registrar checkboxes and the sheet's buttons.
    let page = get(app, "/console/credentials", Some(&registrar.cookie))
        .await
        .text();
    assert!(
        page.contains("name=\"credential\"") && page.contains("id=\"sheet-all\""),
        "{page}"
    );

    // Chen's credential already names its holder (a DID): it cannot be offered, and says so.
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&registrar.cookie),
        &[
            ("csrf", &registrar.csrf),
            ("credential", &c.chen),
            ("credential", &c.souk),
            ("credential", &c.solar),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let sheet = reply.text();
    assert!(sheet.contains("2 slips are ready to print."), "{sheet}");
    assert!(
        sheet.contains("id=\"skipped\"")
            && sheet.contains("Chen Xiaoling")
            && sheet.contains("cannot be offered")
            && sheet.contains("already names its holder"),
        "{sheet}"
    );
    assert!(sheet.contains("@page{size:A4 portrait"), "print CSS");
    assert!(sheet.contains("Tendai Moyo") && sheet.contains("Souksavanh"));
    assert!(!sheet.contains("<script"), "no script");
    // The expiry is the offers' (the service's default: 30 days).
    let by = long_date(Lang::En, (now() + Duration::days(30)).date_naive());
    assert_eq!(by, "1 October 2026");
    assert_eq!(sheet.matches(&format!("Claim it by {by}.")).count(), 2);
    let made = slips(&sheet);
    assert_eq!(made.len(), 2);
    for slip in &made {
        assert_eq!(slip.code.len(), 6, "{slip:?}");
        assert!(slip.code.bytes().all(|b| b.is_ascii_digit()), "{slip:?}");
        // The QR code draws the claim link (decoded from a screenshot in
        // tests/browser_console_claims.rs).
        let svg = skillpass::qr::svg(&slip.link).unwrap();
        assert_eq!(
            slip.qr,
            format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg))
        );
        let offer = app.store.get_offer(offer_id(&slip.link)).unwrap().unwrap();
        assert_eq!(offer.state, OfferState::Open);
        assert_eq!(offer.expires, now() + Duration::days(30));
        assert!(offer.tx_code_hash.is_some());
    }
    assert!(offers(app, &c.chen).is_empty());
    // Slips in the order of the search: newest first (Tendai's was issued last).
    let credential_of = |slip: &Slip| {
        app.store
            .get_offer(offer_id(&slip.link))
            .unwrap()
            .unwrap()
            .credential
    };
    let (solar_slip, souk_slip) = (&made[0], &made[1]);
    assert_eq!(credential_of(solar_slip), c.solar);
    assert_eq!(credential_of(souk_slip), c.souk);

    // Tendai claims into an OpenID4VCI wallet with the code on the slip.
    let vc = claim_with_openid4vci(app, solar_slip).await;
    assert!(vc["credentialSubject"]["achievement"]["name"].is_string());
    assert!(matches!(
        app.store
            .get_offer(offer_id(&solar_slip.link))
            .unwrap()
            .unwrap()
            .state,
        OfferState::Claimed { .. }
    ));

    // Souksavanh's code opens the claim page's wallet links; a wrong code does not.
    let claim_path = format!("/claim/{}", offer_id(&souk_slip.link));
    let wrong = if souk_slip.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    let reply = post_form(app, &claim_path, None, &[("code", wrong)]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = post_form(
        app,
        &format!("{claim_path}?lang=en"),
        None,
        &[("code", &souk_slip.code)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(
        reply.text().contains("Add to Learner Credential Wallet"),
        "{}",
        reply.text()
    );

    // A second sheet: Tendai's is in a wallet already (skipped); Souksavanh gets a new offer
    // and the old slip stops working.
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&registrar.cookie),
        &[
            ("csrf", &registrar.csrf),
            ("credential", &c.solar),
            ("credential", &c.souk),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let again = reply.text();
    assert!(again.contains("One slip is ready to print."), "{again}");
    assert!(
        again.contains("Tendai Moyo") && again.contains("already taken into the learner"),
        "{again}"
    );
    assert!(
        again.contains("One earlier claim offer was withdrawn"),
        "{again}"
    );
    let new = slips(&again);
    assert_eq!(new.len(), 1);
    assert_ne!(new[0].link, souk_slip.link);
    let old = get(app, &claim_path, None).await;
    assert_eq!(
        old.status,
        StatusCode::GONE,
        "the earlier slip no longer works"
    );
    let state = |link: &str| {
        let offer = app.store.get_offer(offer_id(link)).unwrap().unwrap();
        skillpass::wallet::offer::state_name(&offer, now())
    };
    assert_eq!(state(&souk_slip.link), "withdrawn");
    assert_eq!(state(&new[0].link), "open");
    assert_eq!(offers(app, &c.souk).len(), 2);

    // A revoked credential gets no slip.
    let diploma = app
        .issue_example("my-diploma-furniture-production.json")
        .await;
    let diploma = diploma["id"].as_str().unwrap();
    app.set_status(diploma, "revoke").await;
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&registrar.cookie),
        &[("csrf", &registrar.csrf), ("credential", diploma)],
    )
    .await;
    let text = reply.text();
    assert!(
        text.contains("No slips") && text.contains("revoked, so it cannot be claimed"),
        "{text}"
    );
    assert!(offers(app, diploma).is_empty());

    // The audit trail has the offers, made by the registrar's account (its id), shown with
    // the e-mail.
    let account = app.store.get_staff("registrar@szpu.test").unwrap().unwrap();
    let audit = app.store.audit(Some("szpu"), 100).unwrap();
    let offered: Vec<&AuditEvent> = audit.iter().filter(|e| e.action == "offer").collect();
    assert_eq!(offered.len(), 3);
    assert!(offered
        .iter()
        .all(|e| e.actor == format!("console:{}", account.id)));
    let page = get(app, "/console/audit", Some(&registrar.cookie))
        .await
        .text();
    assert!(page.contains("<bdi>registrar@szpu.test</bdi>"), "{page}");
    assert!(!page.contains(&format!("console:{}", account.id)), "{page}");
}

#[tokio::test]
async fn an_issuer_prints_a_class_by_achievement_and_day_of_issue() {
    let c = class().await;
    let app = &c.app;
    let issuer = sign_in(app, "issuer@szpu.test").await;
    let achievement = app
        .store
        .get_credential(&c.souk)
        .unwrap()
        .unwrap()
        .credential["credentialSubject"]["achievement"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let day = now().format("%Y-%m-%d").to_string();
    // The search finds the class; the form offers every achievement.
    let page = get(
        app,
        &format!(
            "/console/credentials?achievement={}&from={day}&to={day}",
            urlencode(&achievement)
        ),
        Some(&issuer.cookie),
    )
    .await
    .text();
    assert!(page.contains("1 credential found"), "{page}");
    assert!(
        page.contains("Souksavanh") && !page.contains("Chen Xiaoling"),
        "{page}"
    );
    let next_day = (now() + Duration::days(1)).format("%Y-%m-%d").to_string();
    let later = get(
        app,
        &format!("/console/credentials?from={next_day}"),
        Some(&issuer.cookie),
    )
    .await
    .text();
    assert!(later.contains("0 credentials found"), "{later}");

    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&issuer.cookie),
        &[
            ("csrf", &issuer.csrf),
            ("all", "1"),
            ("achievement", &achievement),
            ("from", &day),
            ("to", &day),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let sheet = reply.text();
    assert_eq!(slips(&sheet).len(), 1);
    assert!(sheet.contains("Souksavanh") && !sheet.contains("Chen Xiaoling"));
    assert_eq!(offers(app, &c.souk).len(), 1);
    assert!(offers(app, &c.chen).is_empty());

    // In Thai: the slip's words, and the day to claim by in the Buddhist era beside the
    // Gregorian year.
    let reply = post_form(
        app,
        "/console/claim-sheet?lang=th",
        Some(&issuer.cookie),
        &[("csrf", &issuer.csrf), ("credential", &c.souk)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let thai = reply.text();
    assert!(thai.contains("<html lang=\"th\">"), "{thai}");
    assert!(
        thai.contains("รหัสใช้ครั้งเดียว") && thai.contains("โปรดรับภายใน 1 ตุลาคม พ.ศ. 2569"),
        "{thai}"
    );

    // Nothing ticked: said plainly, nothing made.
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&issuer.cookie),
        &[("csrf", &issuer.csrf), ("all", "")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Tick at least one learner"));
}

#[tokio::test]
async fn a_viewer_another_institution_and_a_form_without_csrf_get_no_sheet() {
    let c = class().await;
    let app = &c.app;

    // A viewer: no checkboxes, and refused when posting anyway.
    let viewer = sign_in(app, "viewer@szpu.test").await;
    let page = get(app, "/console/credentials", Some(&viewer.cookie))
        .await
        .text();
    assert!(
        !page.contains("name=\"credential\"") && !page.contains("claim-sheet"),
        "{page}"
    );
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&viewer.cookie),
        &[("csrf", &viewer.csrf), ("credential", &c.chen)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Another institution's registrar: szpu's credential is not found, by tick or by search.
    app.register("gdpt", "did-key");
    staff(app, "registrar@gdpt.test", Some("gdpt"), "registrar").await;
    let other = sign_in(app, "registrar@gdpt.test").await;
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&other.cookie),
        &[("csrf", &other.csrf), ("credential", &c.chen)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.text().contains("Chen"));
    let reply = post_form(
        app,
        "/console/claim-sheet",
        Some(&other.cookie),
        &[("csrf", &other.csrf), ("all", "1"), ("q", "chen")],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "found nothing"
    );
    assert!(!reply.text().contains("Chen"));

    // The registrar without the CSRF token, with a forged one, or with another session's.
    let registrar = sign_in(app, "registrar@szpu.test").await;
    for csrf in [None, Some("forged"), Some(viewer.csrf.as_str())] {
        let mut fields = vec![("credential", c.chen.as_str())];
        if let Some(t) = csrf {
            fields.push(("csrf", t));
        }
        let reply = post_form(
            app,
            "/console/claim-sheet",
            Some(&registrar.cookie),
            &fields,
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{csrf:?}");
    }
    // Not signed in: to the sign-in page.
    let reply = post_form(
        app,
        "/console/claim-sheet",
        None,
        &[("credential", &c.chen)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    for id in [&c.chen, &c.souk, &c.solar] {
        assert!(offers(app, id).is_empty(), "no offer was made");
    }
}

/// Stores `n` copies of `vc` as credentials of szpu, one issued a minute after the other,
/// named "Learner 000" … (signing each would only slow the test).
fn copies(app: &TestApp, vc: &Value, n: u32) {
    for i in 0..n {
        store_copy(
            app,
            vc,
            i,
            &format!("Learner {i:03}"),
            &format!("R-{i:03}"),
            now() + Duration::minutes(i64::from(i) + 1),
        );
    }
}

/// The learners' names in the rows of a search page, in order.
fn learners(page: &str) -> Vec<String> {
    page.split("<td><a href=\"/console/credentials/")
        .skip(1)
        .map(|rest| {
            rest.split("<bdi>")
                .nth(1)
                .unwrap()
                .split("</bdi>")
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_search_pages_by_fifty_newest_first_keeping_the_query() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    copies(&app, &vc, 120);
    staff(&app, "viewer@szpu.test", Some("szpu"), "viewer").await;
    let viewer = sign_in(&app, "viewer@szpu.test").await;

    let first = get(&app, "/console/credentials?q=learner", Some(&viewer.cookie))
        .await
        .text();
    assert!(first.contains("120 credentials found"), "{first}");
    assert!(first.contains("Page 1 of 3"), "{first}");
    let names = learners(&first);
    let expected: Vec<String> = (70..120).rev().map(|i| format!("Learner {i:03}")).collect();
    assert_eq!(names, expected, "newest first");
    assert!(!first.contains("id=\"previous\""));
    assert!(
        first.contains("href=\"/console/credentials?q=learner&amp;page=2\""),
        "the next link keeps the query: {first}"
    );

    let second = get(
        &app,
        "/console/credentials?q=learner&page=2",
        Some(&viewer.cookie),
    )
    .await
    .text();
    let expected: Vec<String> = (20..70).rev().map(|i| format!("Learner {i:03}")).collect();
    assert_eq!(learners(&second), expected);
    assert!(second.contains("href=\"/console/credentials?q=learner&amp;page=1\""));
    assert!(second.contains("href=\"/console/credentials?q=learner&amp;page=3\""));

    let last = get(
        &app,
        "/console/credentials?q=learner&page=3",
        Some(&viewer.cookie),
    )
    .await
    .text();
    let expected: Vec<String> = (0..20).rev().map(|i| format!("Learner {i:03}")).collect();
    assert_eq!(learners(&last), expected);
    assert!(!last.contains("id=\"next\""));
    // Past the end, or nonsense: the last page, or the first.
    let past = get(
        &app,
        "/console/credentials?q=learner&page=99",
        Some(&viewer.cookie),
    )
    .await
    .text();
    assert_eq!(learners(&past), learners(&last));
    let nonsense = get(
        &app,
        "/console/credentials?q=learner&page=x",
        Some(&viewer.cookie),
    )
    .await
    .text();
    assert_eq!(learners(&nonsense), learners(&first));

    // The same request gives the same page: the order is stable.
    let again = get(&app, "/console/credentials?q=learner", Some(&viewer.cookie))
        .await
        .text();
    assert_eq!(learners(&again), learners(&first));

    // Every filter is kept in the links.
    let filtered = get(
        &app,
        "/console/credentials?q=learner&status=active&from=2026-09-01&to=2026-09-02",
        Some(&viewer.cookie),
    )
    .await
    .text();
    assert!(
        filtered.contains(
            "href=\"/console/credentials?q=learner&amp;status=active&amp;from=2026-09-01&amp;to=2026-09-02&amp;page=2\""
        ),
        "{filtered}"
    );
}

#[tokio::test]
async fn the_audit_keeps_account_ids_and_the_console_shows_e_mails() {
    let c = class().await;
    let app = &c.app;
    let registrar = sign_in(app, "registrar@szpu.test").await;
    let reply = post_form(
        app,
        &format!("/console/credentials/{}/status", c.chen),
        Some(&registrar.cookie),
        &[
            ("csrf", &registrar.csrf),
            ("action", "suspend"),
            ("reason", "Checking the assessment"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let account = app.store.get_staff("registrar@szpu.test").unwrap().unwrap();
    assert_eq!(account.id.len(), 16);

    // No e-mail address anywhere in the stored trail: accounts added and changes made are
    // recorded by account id.
    let trail = app.store.audit(None, 1000).unwrap();
    for e in &trail {
        assert!(
            !e.actor.contains('@') && !e.subject.as_deref().unwrap_or("").contains('@'),
            "{e:?}"
        );
    }
    let added: Vec<&AuditEvent> = trail.iter().filter(|e| e.action == "add-staff").collect();
    assert_eq!(added.len(), 3);
    assert!(added
        .iter()
        .any(|e| e.subject.as_deref() == Some(account.id.as_str())));
    let suspend = trail.iter().find(|e| e.action == "suspend").unwrap();
    assert_eq!(suspend.actor, format!("console:{}", account.id));

    // The console's page shows the e-mail in its place; an account that is gone shows its id.
    app.store
        .append_audit(&AuditEvent {
            at: now(),
            actor: "console:gone0account0id".into(),
            institution: Some("szpu".into()),
            action: "suspend".into(),
            subject: Some(c.souk.clone()),
        })
        .unwrap();
    let page = get(app, "/console/audit", Some(&registrar.cookie))
        .await
        .text();
    assert!(page.contains("<bdi>registrar@szpu.test</bdi>"), "{page}");
    assert!(
        page.contains("<bdi>console:gone0account0id</bdi>"),
        "{page}"
    );
    assert!(
        page.contains("viewer@szpu.test") && page.contains("add-staff"),
        "an added account is shown by its e-mail: {page}"
    );
    let detail = get(
        app,
        &format!("/console/credentials/{}", c.chen),
        Some(&registrar.cookie),
    )
    .await
    .text();
    assert!(
        detail.contains("<bdi>registrar@szpu.test</bdi>"),
        "{detail}"
    );

    // The API's audit gives ids, not e-mails.
    let api = app
        .call(
            Method::GET,
            "/admin/audit?limit=1000",
            Some(ADMIN_TOKEN),
            None,
        )
        .await;
    assert!(!api.text().contains("@szpu.test"), "{}", api.text());
}
