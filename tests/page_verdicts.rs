//! The employer page `GET /verify/{id}`: one verdict per outcome (genuine, revoked, suspended,
//! altered, forged, expired, not yet valid, issuer unknown, not found), what it shows about the
//! credential, and its security headers. Everything goes through the router.

mod common;

use axum::http::{header, Method, StatusCode};
use chrono::{Duration, SubsecRound};
use common::app::{now, Reply, TestApp};
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::credential::{self, IssueParams};
use skillpass::keys::SecretKey;
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::record;
use skillpass::store::StoredCredential;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:";

/// The page in English (the issuer's default language would be its country's).
async fn page(app: &TestApp, id: &str) -> Reply {
    app.call(Method::GET, &format!("/verify/{id}?lang=en"), None, None)
        .await
}

/// The verdict word in the page's `<h1>`.
fn verdict(reply: &Reply) -> String {
    let text = reply.text();
    let start = text.find("<h1 id=\"verdict\">").expect("a verdict heading") + 17;
    let end = start + text[start..].find("</h1>").unwrap();
    text[start..end].to_owned()
}

/// Headers every employer page carries, whatever the verdict.
fn assert_page_headers(reply: &Reply) {
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert_eq!(reply.headers[header::CONTENT_SECURITY_POLICY], CSP);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let text = reply.text();
    assert!(text.starts_with("<!DOCTYPE html>"), "{text}");
    assert!(text.contains("<html lang=\"en\">"));
    assert!(
        text.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(
        !text.to_lowercase().contains("<script"),
        "the page has no scripts"
    );
}

fn id_of(vc: &Value) -> String {
    vc["id"].as_str().unwrap().to_owned()
}

/// `template` (an issued credential) re-issued through `/credentials/issue` with other
/// validity dates.
async fn issue_with_dates(
    app: &TestApp,
    template: &Value,
    valid_from: &str,
    valid_until: Option<&str>,
) -> Value {
    let mut vc = template.clone();
    let doc = vc.as_object_mut().unwrap();
    for key in ["proof", "credentialStatus", "id", "validUntil"] {
        doc.remove(key);
    }
    doc.insert("validFrom".into(), valid_from.into());
    if let Some(until) = valid_until {
        doc.insert("validUntil".into(), until.into());
    }
    let reply = app
        .call(
            Method::POST,
            "/credentials/issue",
            Some(&app.token),
            Some(&json!({ "credential": vc })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["verifiableCredential"].clone()
}

/// A credential for the 3D animation record, issued as `issuer` and signed by `key`, stored
/// directly (as a compromised database or a rogue import would hold it).
fn sign_and_store(app: &TestApp, issuer: &str, key: &SecretKey) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/szpu-3d-animation-production.json");
    let record = record::parse_record_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let id = uuid::Uuid::new_v4();
    let params = IssueParams {
        id,
        issuer: issuer.to_owned(),
        valid_from: (now() - Duration::days(1)).trunc_subsecs(0),
    };
    let unsigned = credential::build_credential(&record, &params).unwrap();
    let options = ProofOptions {
        suite: Cryptosuite::EddsaRdfc2022,
        verification_method: key.public_key().verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: params.valid_from,
        challenge: None,
        domain: None,
    };
    let signed = proof::sign(&unsigned, key, &options, &ContextRegistry::bundled()).unwrap();
    store(app, signed)
}

fn store(app: &TestApp, credential: Value) -> String {
    let id = id_of(&credential);
    app.store
        .insert_credential(&StoredCredential {
            id: id.clone(),
            institution: "szpu".into(),
            record_id: None,
            credential,
            status: Vec::new(),
            issued: now(),
        })
        .unwrap();
    id
}

#[tokio::test]
async fn a_valid_credential_is_genuine_and_shows_what_an_employer_needs() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let reply = page(&app, &id_of(&vc)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_page_headers(&reply);
    assert_eq!(verdict(&reply), "Genuine");
    let text = reply.text();
    for expected in [
        // The title carries the verdict too (browser tab, screen readers).
        "<title>Genuine · Credential check · skillpass</title>",
        // Who issued it: the registered name and country, not the record's self-description.
        "Issued by <bdi>szpu vocational college</bdi>.",
        "China (CN)",
        // Who it was awarded to: the learner's DID.
        "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2",
        // What was achieved.
        "3D Animation Production (三维动画制作)",
        "A studio course in the animation production pipeline",
        "<strong><bdi>LO1</bdi></strong> <bdi>Model hard-surface and organic assets",
        "<strong><bdi>LO6</bdi></strong>",
        "Audio-visual techniques and media production",
        "<bdi>91 (Percentage mark 0-100; pass mark 60)</bdi>",
        "code <bdi>DMA2316</bdi>",
        // Level and credits.
        "Level <bdi>5</bdi> of the International Standard Classification of Education 2011 (<bdi>ISCED-2011</bdi>)",
        "<bdi>4</bdi> earned (<bdi>CN-credit</bdi>)",
        "<bdi>64</bdi> hours",
        // Dates.
        "<dt>Awarded</dt><dd>4 July 2025</dd>",
        "<dt>Valid from</dt><dd>1 September 2026, 08:00 UTC</dd>",
        "<dt>Valid until</dt><dd>No end date</dd>",
        // When it was checked.
        "Checked at <time datetime=\"2026-09-01T08:00:00Z\">1 September 2026, 08:00:00 UTC</time>",
        // Every check passed, including status.
        "<span class=\"pass\">Passed:</span> not revoked or suspended by the issuer",
        "<span class=\"pass\">Passed:</span> digital signature matches the content",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("class=\"fail\""), "{text}");
    assert!(
        !text.contains("what the credential claims"),
        "no warning on a genuine credential"
    );
}

#[tokio::test]
async fn a_learner_named_by_identifiers_is_shown_by_name() {
    let app = TestApp::new();
    let vc = app
        .issue_example("my-diploma-furniture-production.json")
        .await;
    let reply = page(&app, &id_of(&vc)).await;
    assert_eq!(verdict(&reply), "Genuine");
    let text = reply.text();
    assert!(
        text.contains("<dt>Name</dt><dd><bdi>Nurul Aisyah binti Ahmad Fauzi</bdi></dd>"),
        "{text}"
    );
    assert!(
        text.contains("<dt>Matric number</dt><dd><bdi>DFT23-00381</bdi></dd>"),
        "{text}"
    );
    assert!(
        text.contains("Malaysian Qualifications Framework (<bdi>MQF</bdi>)"),
        "{text}"
    );
}

#[tokio::test]
async fn revoked_then_the_page_says_revoked() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = id_of(&vc);
    assert_eq!(verdict(&page(&app, &id).await), "Genuine");
    app.set_status(&id, "revoke").await;
    let reply = page(&app, &id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_page_headers(&reply);
    assert_eq!(verdict(&reply), "Revoked");
    let text = reply.text();
    assert!(text.contains("<header class=\"v bad\">"), "{text}");
    assert!(text.contains("has withdrawn (revoked) this credential. Do not accept it."));
    assert!(
        text.contains("<li><bdi>revoked by its issuer</bdi></li>"),
        "{text}"
    );
    // The details remain readable: the employer sees what was revoked.
    assert!(text.contains("3D Animation Production"));
}

#[tokio::test]
async fn suspended_then_unsuspended() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = id_of(&vc);
    app.set_status(&id, "suspend").await;
    let reply = page(&app, &id).await;
    assert_eq!(verdict(&reply), "Suspended");
    assert!(reply.text().contains("<header class=\"v warn\">"));
    assert!(reply
        .text()
        .contains("has suspended this credential for now"));
    app.set_status(&id, "unsuspend").await;
    assert_eq!(verdict(&page(&app, &id).await), "Genuine");
    // Revocation wins over a suspension that was never lifted.
    app.set_status(&id, "suspend").await;
    app.set_status(&id, "revoke").await;
    assert_eq!(verdict(&page(&app, &id).await), "Revoked");
}

#[tokio::test]
async fn a_tampered_copy_is_altered() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let mut forged = vc.clone();
    forged["id"] = format!("urn:uuid:{}", uuid::Uuid::new_v4()).into();
    forged["credentialSubject"]["creditsEarned"] = 40.into();
    let id = store(&app, forged);

    let reply = page(&app, &id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_page_headers(&reply);
    assert_eq!(verdict(&reply), "Altered");
    let text = reply.text();
    assert!(text.contains("<header class=\"v bad\">"));
    assert!(text.contains("Its content does not match its digital signature"));
    assert!(
        text.contains("The details below are what the credential claims."),
        "{text}"
    );
    assert!(
        text.contains("<span class=\"fail\">Failed:</span> digital signature matches the content")
    );
    // The original is untouched and still genuine.
    assert_eq!(verdict(&page(&app, &id_of(&vc)).await), "Genuine");
}

#[tokio::test]
async fn a_credential_naming_a_registered_issuer_but_signed_by_another_key_is_altered() {
    let app = TestApp::new();
    let szpu = app.store.get_institution("szpu").unwrap().unwrap();
    let id = sign_and_store(&app, &szpu.did, &SecretKey::generate(&mut rand_core::OsRng));
    let reply = page(&app, &id).await;
    assert_eq!(verdict(&reply), "Altered");
    assert!(reply
        .text()
        .contains("<span class=\"fail\">Failed:</span> signed with the issuer&#39;s own key"));
}

#[tokio::test]
async fn a_credential_from_an_unregistered_key_is_issuer_unknown() {
    let app = TestApp::new();
    let key = SecretKey::generate(&mut rand_core::OsRng);
    let id = sign_and_store(&app, &key.public_key().did_key(), &key);
    let reply = page(&app, &id).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_page_headers(&reply);
    assert_eq!(verdict(&reply), "Issuer unknown");
    let text = reply.text();
    assert!(text.contains("<header class=\"v unknown\">"));
    assert!(text.contains("the issuer is not an institution registered with this service"));
    // The name the credential gives itself is shown as a claim, never as the issuer.
    assert!(
        text.contains("<p class=\"big\">Not a registered institution</p>"),
        "{text}"
    );
    assert!(
        text.contains("<dt>Name it gives</dt><dd><bdi>Shenzhen Polytechnic University</bdi></dd>")
    );
    assert!(text.contains("The details below are what the credential claims."));
    assert!(!text.contains("szpu vocational college"));
}

#[tokio::test]
async fn expired_and_not_yet_valid() {
    let app = TestApp::new();
    let template = app.issue_example("szpu-nev-after-sales-service.json").await;
    let vc = issue_with_dates(
        &app,
        &template,
        "2024-01-01T00:00:00Z",
        Some("2025-01-01T00:00:00Z"),
    )
    .await;
    let reply = page(&app, &id_of(&vc)).await;
    assert_page_headers(&reply);
    assert_eq!(verdict(&reply), "Expired");
    let text = reply.text();
    assert!(
        text.contains("it was valid only until 1 January 2025, 00:00 UTC"),
        "{text}"
    );
    assert!(text.contains("<dt>Valid until</dt><dd>1 January 2025, 00:00 UTC</dd>"));

    let vc = issue_with_dates(&app, &template, "2027-03-01T00:00:00Z", None).await;
    let reply = page(&app, &id_of(&vc)).await;
    assert_eq!(verdict(&reply), "Not yet valid");
    assert!(reply
        .text()
        .contains("it becomes valid only on 1 March 2027, 00:00 UTC"));

    // Still valid until a future date: genuine, with the end date shown.
    let vc = issue_with_dates(
        &app,
        &template,
        "2026-01-01T00:00:00Z",
        Some("2030-06-30T00:00:00Z"),
    )
    .await;
    let reply = page(&app, &id_of(&vc)).await;
    assert_eq!(verdict(&reply), "Genuine");
    assert!(reply
        .text()
        .contains("<dt>Valid until</dt><dd>30 June 2030, 00:00 UTC</dd>"));
}

#[tokio::test]
async fn a_did_web_institution_is_resolved_and_its_trust_standing_shown() {
    let app = TestApp::new();
    let token = app.register("gh-ttc", "did-web");
    let inst = app.store.get_institution("gh-ttc").unwrap().unwrap();
    // Registered, but not yet in the alliance trust registry: its issuer is not recognised.
    let member = |status: &str| -> skillpass::registry::Member {
        serde_json::from_value(json!({
            "id": "gh-ttc",
            "name": inst.name,
            "country": "GH",
            "dids": [inst.did],
            "framework": "GH-NTVETQF",
            "qualityAssurance": {"body": "CTVET", "status": status},
            "validFrom": "2020-01-01T00:00:00Z",
        }))
        .unwrap()
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/zw-solar-pv-installation.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    let reply = app
        .call(Method::POST, "/records", Some(&token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    assert!(vc["issuer"]["id"].as_str().unwrap().starts_with("did:web:"));
    let id = id_of(&vc);
    let reply = page(&app, &id).await;
    assert_eq!(verdict(&reply), "Issuer unknown", "{}", reply.text());
    assert!(reply.text().contains(
        "The signature is intact, but <bdi>gh-ttc vocational college</bdi> is not a member in good standing"
    ));
    assert!(reply
        .text()
        .contains("<strong>Trust registry:</strong> <bdi>issuer unknown:"));

    // Listed with a provisional accreditation: genuine, and the page says it is provisional.
    app.store.put_member(&member("provisional")).unwrap();
    let reply = page(&app, &id).await;
    assert_eq!(verdict(&reply), "Genuine", "{}", reply.text());
    assert!(reply
        .text()
        .contains("Issued by <bdi>gh-ttc vocational college</bdi>."));
    assert!(reply
        .text()
        .contains("<strong>Trust registry:</strong> <bdi>provisional accreditation"));

    // Withdrawn accreditation: no longer recognised.
    app.store.put_member(&member("withdrawn")).unwrap();
    assert_eq!(verdict(&page(&app, &id).await), "Issuer unknown");
}

#[tokio::test]
async fn an_unknown_id_gets_an_html_404() {
    let app = TestApp::new();
    for id in [
        "urn:uuid:00000000-0000-4000-8000-000000000000",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let reply = page(&app, id).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_page_headers(&reply);
        assert_eq!(verdict(&reply), "Not found");
        let text = reply.text();
        assert!(text.contains("No credential with this reference is held by this service."));
        // The id the visitor typed is not echoed back.
        assert!(!text.contains("alert(1)"), "{text}");
    }
}

#[tokio::test]
async fn every_string_from_the_credential_is_escaped() {
    let app = TestApp::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/my-diploma-furniture-production.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record["recordId"] = "ESCAPE-1".into();
    record["achievement"]["name"] = "<script>alert('name')</script>".into();
    record["achievement"]["description"] = "\"><img src=x onerror=alert(1)>".into();
    record["achievement"]["learningOutcomes"][0]["statement"] =
        "</li><style>*{display:none}</style>".into();
    record["achievement"]["criteria"]["narrative"] = "<iframe src=//evil.example>".into();
    record["learner"]["name"] = "Ali <b onmouseover=x>&amp; Co".into();
    let reply = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();

    let reply = page(&app, &id_of(&vc)).await;
    assert_page_headers(&reply);
    assert_eq!(verdict(&reply), "Genuine");
    let text = reply.text();
    for injected in [
        "<script",
        "<img",
        "<iframe",
        "<b onmouseover",
        "</li><style>",
        "<style>*{display",
    ] {
        assert!(
            !text.contains(injected),
            "{injected:?} rendered as markup:\n{text}"
        );
    }
    for escaped in [
        "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;",
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
        "&lt;/li&gt;&lt;style&gt;*{display:none}&lt;/style&gt;",
        "&lt;iframe src=//evil.example&gt;",
        "Ali &lt;b onmouseover=x&gt;&amp;amp; Co",
    ] {
        assert!(text.contains(escaped), "missing {escaped:?} in\n{text}");
    }
    // The only <style> element is the page's own.
    assert_eq!(text.matches("<style>").count(), 1);
}

#[tokio::test]
async fn the_page_is_checked_afresh_on_every_visit_and_supports_head() {
    let app = TestApp::new();
    let vc = app.issue_example("szpu-3d-animation-production.json").await;
    let id = id_of(&vc);
    let first = page(&app, &id).await;
    let second = page(&app, &id).await;
    assert_eq!(first.text(), second.text(), "same state, same page");
    let head = app
        .call(Method::HEAD, &format!("/verify/{id}?lang=en"), None, None)
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(head.headers[header::CONTENT_SECURITY_POLICY], CSP);
}
