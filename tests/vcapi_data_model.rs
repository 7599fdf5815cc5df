//! The VC-API as the W3C suites use it: the data model rules `POST /credentials/issue`
//! enforces (422 with the reason), what it adds and keeps (status entries, the Data Integrity
//! context of VC 1.1), the examples context, content negotiation of public documents, and the
//! verify endpoints' `verified` (the document) apart from policy (warnings unless required).

mod common;

use axum::http::{header, Method, Request, StatusCode};
use common::app::TestApp;
use serde_json::{json, Value};

const V2: &str = "https://www.w3.org/ns/credentials/v2";
const V1: &str = "https://www.w3.org/2018/credentials/v1";
const EXAMPLES: &str = "https://www.w3.org/ns/credentials/examples/v2";
const DI_V2: &str = "https://w3id.org/security/data-integrity/v2";

fn did(app: &TestApp, id: &str) -> String {
    app.store.get_institution(id).unwrap().unwrap().did
}

fn vc2(issuer: &str) -> Value {
    json!({
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner", "name": "Lwazi"},
    })
}

async fn issue_with(app: &TestApp, credential: &Value, options: Value) -> common::app::Reply {
    let body = json!({ "credential": credential, "options": options });
    app.call(
        Method::POST,
        "/credentials/issue",
        Some(&app.token),
        Some(&body),
    )
    .await
}

async fn issue(app: &TestApp, credential: &Value) -> common::app::Reply {
    issue_with(app, credential, json!({})).await
}

/// Issues and returns the credential, asserting 201.
async fn issued(app: &TestApp, credential: &Value, options: Value) -> Value {
    let reply = issue_with(app, credential, options).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["verifiableCredential"].clone()
}

/// Asserts a 422 whose message names `needle`.
async fn refused(app: &TestApp, credential: &Value, needle: &str) {
    let reply = issue(app, credential).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{credential}: {}",
        reply.text()
    );
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains(needle), "{needle:?} not in {message:?}");
}

async fn verify(app: &TestApp, vc: &Value, options: Value) -> common::app::Reply {
    let body = json!({ "verifiableCredential": vc, "options": options });
    app.call(Method::POST, "/credentials/verify", None, Some(&body))
        .await
}

#[tokio::test]
async fn an_id_must_be_one_url_and_null_is_refused_not_replaced() {
    let app = TestApp::new();
    let issuer = did(&app, "szpu");
    for (id, needle) in [
        (json!(null), "/id: must be a single URL"),
        (
            json!(["urn:uuid:1", "urn:uuid:2"]),
            "/id: must be a single URL",
        ),
        (json!("not a url"), "is not a URL"),
    ] {
        let mut vc = vc2(&issuer);
        vc["id"] = id;
        refused(&app, &vc, needle).await;
    }
    let mut subject_ids = vc2(&issuer);
    subject_ids["credentialSubject"]["id"] = json!(["did:example:a", "did:example:b"]);
    refused(&app, &subject_ids, "/credentialSubject/id").await;
    // Absent, the service gives one.
    let vc = issued(&app, &vc2(&issuer), json!({})).await;
    assert!(vc["id"].as_str().unwrap().starts_with("urn:uuid:"));
}

#[tokio::test]
async fn typed_members_must_say_their_type() {
    let app = TestApp::new();
    let issuer = did(&app, "szpu");
    for member in [
        "termsOfUse",
        "evidence",
        "refreshService",
        "credentialStatus",
    ] {
        let mut vc = vc2(&issuer);
        vc["@context"] = json!([V2, EXAMPLES]);
        vc[member] = json!({"id": "https://example.org/thing"});
        refused(&app, &vc, &format!("/{member}/type")).await;
        // An array with one untyped entry among typed ones is refused too.
        vc[member] = json!([
            {"id": "https://example.org/a", "type": "ExampleThing"},
            {"id": "https://example.org/b"},
        ]);
        refused(&app, &vc, &format!("/{member}/1/type")).await;
    }
    let mut schema = vc2(&issuer);
    schema["credentialSchema"] = json!({"id": "https://example.org/schema.json"});
    refused(&app, &schema, "/credentialSchema/type").await;
    schema["credentialSchema"] = json!({"type": "JsonSchema"});
    refused(&app, &schema, "/credentialSchema/id").await;
    schema["credentialSchema"] =
        json!({"id": "https://example.org/schema.json", "type": "JsonSchema"});
    issued(&app, &schema, json!({})).await;

    // With their type, the same members are signed.
    let mut vc = vc2(&issuer);
    vc["@context"] = json!([V2, EXAMPLES]);
    vc["termsOfUse"] = json!({"type": "ExampleTermsPolicy"});
    vc["evidence"] = json!([{"type": ["Evidence"], "id": "https://example.org/evidence/1"}]);
    vc["refreshService"] = json!({"type": "ExampleRefresher", "id": "https://example.org/r"});
    let signed = issued(&app, &vc, json!({})).await;
    assert_eq!(signed["termsOfUse"]["type"], "ExampleTermsPolicy");
}

#[tokio::test]
async fn related_resources_need_a_unique_url_and_a_well_formed_digest() {
    let app = TestApp::new();
    let issuer = did(&app, "szpu");
    let sri = "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg";
    let multibase = "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k";
    let with = |related: Value| {
        let mut vc = vc2(&issuer);
        vc["relatedResource"] = related;
        vc
    };
    for (related, needle) in [
        (json!([V2]), "each related resource must be an object"),
        (
            json!([{"digestMultibase": multibase}]),
            "/relatedResource/0/id",
        ),
        (
            json!([{"id": V2, "digestSRI": sri}, {"id": V2, "digestMultibase": multibase}]),
            "listed twice",
        ),
        (
            json!([{"id": V2}]),
            "needs a digestSRI or a digestMultibase",
        ),
        (
            json!({"id": V2, "digestSRI": "sha384-short"}),
            "/relatedResource/digestSRI",
        ),
        (
            json!({"id": V2, "digestSRI": "md5-AAAAAAAAAAAAAAAAAAAAAA=="}),
            "sha256, sha384 or sha512",
        ),
        (
            json!({"id": V2, "digestMultibase": "JKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"}),
            "multibase",
        ),
        (json!([]), "must not be an empty array"),
    ] {
        refused(&app, &with(related), needle).await;
    }
    for related in [
        json!({"id": V2, "digestSRI": sri}),
        json!({"id": V2, "digestMultibase": multibase}),
        json!([{"id": V2, "mediaType": "application/ld+json", "digestSRI": sri}]),
    ] {
        let vc = issued(&app, &with(related.clone()), json!({})).await;
        assert_eq!(vc["relatedResource"], related);
        let reply = verify(&app, &vc, json!({})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
}

#[tokio::test]
async fn a_callers_status_entry_is_kept_and_ours_follow_it() {
    let app = TestApp::new();
    let issuer = did(&app, "szpu");
    let mut vc = vc2(&issuer);
    vc["@context"] = json!([V2, {"CredentialStatusList2017": "https://example.org/examples#CredentialStatusList2017"}]);
    let theirs = json!({"id": "did:example:status", "type": "CredentialStatusList2017"});
    vc["credentialStatus"] = theirs.clone();
    let signed = issued(&app, &vc, json!({})).await;
    let entries = signed["credentialStatus"]
        .as_array()
        .expect("an array of entries");
    assert_eq!(entries[0], theirs, "never replaced");
    assert_eq!(entries[1]["type"], "BitstringStatusListEntry");
    assert_eq!(entries[1]["statusPurpose"], "revocation");
    // Its mechanism is not one skillpass can consult: "could not check", not "invalid".
    let reply = verify(&app, &signed, json!({})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.starts_with("could not check"), "{message}");
    assert!(message.contains("CredentialStatusList2017"), "{message}");

    // One pointing into this service's own lists would claim an index the service allocates.
    let mut forged = vc2(&issuer);
    forged["credentialStatus"] = json!({
        "id": format!("{}/status/szpu/revocation/0#5", common::app::PUBLIC_URL),
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": format!("{}/status/szpu/revocation/0", common::app::PUBLIC_URL),
    });
    refused(
        &app,
        &forged,
        "must not point into this service's status lists",
    )
    .await;

    let mut two_ids = vc2(&issuer);
    two_ids["credentialStatus"] = json!({"id": ["did:example:1", "did:example:2"], "type": "X"});
    refused(&app, &two_ids, "/credentialStatus/id").await;
}

#[tokio::test]
async fn vc11_without_the_data_integrity_context_gets_it_when_signed() {
    let app = TestApp::new();
    let issuer = did(&app, "szpu");
    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let vc = json!({
            "@context": [V1],
            "type": ["VerifiableCredential"],
            "issuer": issuer,
            "issuanceDate": "2026-01-15T09:00:00Z",
            "credentialSubject": {"id": "did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r"},
        });
        let signed = issued(&app, &vc, json!({"cryptosuite": suite})).await;
        assert_eq!(signed["@context"], json!([V1, DI_V2]), "{suite}");
        assert_eq!(signed["proof"]["cryptosuite"], suite);
        let reply = verify(&app, &signed, json!({})).await;
        assert_eq!(reply.status, StatusCode::OK, "{suite}: {}", reply.text());
    }
    // A document that already defines the proof terms is left as it is.
    let vc = json!({
        "@context": [V1, DI_V2],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "issuanceDate": "2026-01-15T09:00:00Z",
        "credentialSubject": {"id": "did:example:x"},
    });
    let signed = issued(&app, &vc, json!({})).await;
    assert_eq!(signed["@context"], json!([V1, DI_V2]));
}

#[tokio::test]
async fn the_examples_context_is_known() {
    let app = TestApp::new();
    let vc = json!({
        "@context": [V2, EXAMPLES],
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "issuer": did(&app, "szpu"),
        "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    });
    let signed = issued(&app, &vc, json!({})).await;
    let reply = verify(&app, &signed, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

async fn get_with_accept(app: &TestApp, path: &str, accept: Option<&str>) -> common::app::Reply {
    let mut req = Request::builder().method(Method::GET).uri(path);
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    app.send(req.body(axum::body::Body::empty()).unwrap()).await
}

#[tokio::test]
async fn status_lists_and_the_registry_honour_accept() {
    let app = TestApp::new();
    let vc = issued(&app, &vc2(&did(&app, "szpu")), json!({})).await;
    let list = vc["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .strip_prefix(common::app::PUBLIC_URL)
        .unwrap()
        .to_owned();
    for path in [list.as_str(), "/registry"] {
        for (accept, expected) in [
            (None, "application/vc"),
            (Some("*/*"), "application/vc"),
            (Some("application/vc"), "application/vc"),
            (
                Some("application/ld+json, application/json"),
                "application/ld+json",
            ),
            (Some("application/json"), "application/json"),
            (
                Some("application/vc;q=0.5, application/json"),
                "application/json",
            ),
        ] {
            let reply = get_with_accept(&app, path, accept).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
            assert_eq!(
                reply.headers[header::CONTENT_TYPE],
                expected,
                "{path} with Accept {accept:?}"
            );
            assert_eq!(reply.headers[header::VARY], "Accept");
            assert!(reply.json()["proof"].is_object() || reply.json()["proof"].is_array());
        }
    }
}

fn check<'a>(report: &'a Value, name: &str, list: &str) -> Option<&'a Value> {
    report[list]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["check"] == name))
}

#[tokio::test]
async fn verified_is_about_the_credential_and_membership_is_a_warning_unless_required() {
    let app = TestApp::new();
    // Registered, but not an alliance member.
    let outsider_token = app.register("outsider", "did-key");
    let outsider = did(&app, "outsider");
    let body = json!({ "credential": vc2(&outsider) });
    let reply = app
        .call(
            Method::POST,
            "/credentials/issue",
            Some(&outsider_token),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();

    let reply = verify(&app, &vc, json!({"checks": ["proof"]})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["verified"], true);
    assert!(check(&report, "trust", "checks").is_none());
    let warning = check(&report, "trust", "warnings").expect("a trust warning");
    assert!(warning["reasons"][0]
        .as_str()
        .unwrap()
        .contains("issuer unknown"));

    let reply = verify(&app, &vc, json!({"requireAllianceMember": true})).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let report = reply.json();
    assert_eq!(report["verified"], false);
    assert_eq!(
        check(&report, "trust", "checks").unwrap()["verified"],
        false
    );

    // A member's credential: trust passes, and is listed among the checks either way.
    let member_vc = issued(&app, &vc2(&did(&app, "szpu")), json!({})).await;
    let reply = verify(&app, &member_vc, json!({"requireAllianceMember": true})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.json().get("warnings").is_none());

    // An altered credential still fails, whatever the policy.
    let mut altered = vc.clone();
    altered["credentialSubject"]["name"] = json!("Someone else");
    let reply = verify(&app, &altered, json!({})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The employer page stays strict: an outsider's credential is not shown as trusted.
    let id = vc["id"].as_str().unwrap();
    let page = app
        .call(Method::GET, &format!("/verify/{id}?lang=en"), None, None)
        .await;
    let html = page.text();
    assert!(
        html.contains("is not a member in good"),
        "the page must refuse an outsider as it always did: {html}"
    );
}

#[tokio::test]
async fn holder_binding_is_a_warning_unless_required() {
    use chrono::TimeZone;
    use skillpass::contexts::ContextRegistry;
    use skillpass::keys::SecretKey;
    use skillpass::presentation::{self, PresentOptions};

    let app = TestApp::new();
    let vc = issued(&app, &vc2(&did(&app, "szpu")), json!({})).await;
    // The holder is not did:example:learner, the subject.
    let holder = SecretKey::from_seed(&[7; 32]);
    let options = PresentOptions {
        suite: skillpass::proof::Cryptosuite::EddsaRdfc2022,
        challenge: "c-123".into(),
        domain: Some("hr.example".into()),
        created: chrono::Utc.with_ymd_and_hms(2026, 9, 1, 7, 0, 0).unwrap(),
        id: "urn:uuid:4b0c2a6e-0000-4000-8000-000000000001".into(),
    };
    let vp = presentation::present(&[vc], &holder, &options, &ContextRegistry::bundled()).unwrap();
    let body = |extra: Value| {
        let mut options = json!({"challenge": "c-123", "domain": "hr.example"});
        options
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({ "verifiablePresentation": vp, "options": options })
    };
    let reply = app
        .call(
            Method::POST,
            "/presentations/verify",
            None,
            Some(&body(json!({}))),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    assert!(
        check(&report, "holderBinding", "warnings").is_some(),
        "{report}"
    );

    let reply = app
        .call(
            Method::POST,
            "/presentations/verify",
            None,
            Some(&body(json!({"requireHolderIsSubject": true}))),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert_eq!(
        check(&reply.json(), "holderBinding", "checks").unwrap()["verified"],
        false
    );

    // A wrong challenge fails whatever the policy.
    let mut wrong = body(json!({}));
    wrong["options"]["challenge"] = json!("another");
    let reply = app
        .call(Method::POST, "/presentations/verify", None, Some(&wrong))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Recognition stays as strict as the employer page: a genuine credential from an issuer
/// outside the alliance is verified with membership required, and the decision says so.
#[tokio::test]
async fn recognition_still_requires_alliance_membership() {
    let app = TestApp::new();
    let outsider_token = app.register("outsider", "did-key");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records/my-diploma-furniture-production.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    let reply = app
        .call(
            Method::POST,
            "/records",
            Some(&outsider_token),
            Some(&record),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    // The VC-API: genuine, with a warning.
    let reply = verify(&app, &vc, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    let body = json!({"verifiableCredential": vc, "receivingFramework": "EQF"});
    let reply = app
        .call(Method::POST, "/recognitions", Some(&app.token), Some(&body))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let answer = reply.json();
    assert_eq!(answer["verification"]["verified"], false);
    let trust = check(&answer["verification"], "trust", "checks").expect("trust is a check");
    assert_eq!(trust["verified"], false);
    let findings: Vec<&str> = answer["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["finding"].as_str())
        .collect();
    assert!(findings.contains(&"issuer-unknown"), "{findings:?}");
    assert_ne!(answer["decision"]["outcome"], "recognised");
    assert_ne!(answer["decision"]["outcome"], "recognised-with-conditions");
}
