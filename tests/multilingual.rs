//! Credentials in several languages (docs/LANGUAGES.md, "Multilingual credentials"): a record
//! with the achievement's texts in English, Chinese, Thai, Lao and Khmer and a Lao learner's
//! name in Lao script beside the Latin one. The credential passes the OB 3.0 JSON Schema, our
//! verifier and Digital Bazaar's; its translations are language-tagged values of the OB 3.0
//! properties themselves; the employer page shows the reader's language, or says visibly which
//! language it falls back to.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app::TestApp;
use common::peer;
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::i18n::Lang;

const RECORD: &str = "szpu-nev-after-sales-multilingual.json";

async fn issued(app: &TestApp) -> Value {
    app.issue_example(RECORD).await
}

#[tokio::test]
async fn the_record_becomes_language_maps_that_ob3_and_both_verifiers_accept() {
    let app = TestApp::new();
    let vc = issued(&app).await;
    let achievement = &vc["credentialSubject"]["achievement"];
    assert_eq!(achievement["inLanguage"], "en");
    assert_eq!(
        achievement["name"],
        "New Energy Vehicle After-Sales Service: High-Voltage Safety and Battery System Diagnosis"
    );
    assert_eq!(
        achievement["nameMap"]["lo"],
        "ການບໍລິການຫຼັງການຂາຍລົດພະລັງງານໃໝ່: ຄວາມປອດໄພໄຟຟ້າແຮງສູງ ແລະ ການວິເຄາະລະບົບແບັດເຕີຣີ"
    );
    assert!(achievement["descriptionMap"]["km"].is_string());
    assert!(achievement["criteria"]["narrativeMap"]["th"].is_string());
    let outcome = achievement["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["targetCode"] == "NEV-1")
        .unwrap();
    assert!(outcome["targetNameMap"]["zh-Hans"]
        .as_str()
        .unwrap()
        .starts_with("执行高压安全作业程序"));
    // The learner's name in both scripts, each an OB 3.0 `name` identity.
    let names: Vec<&str> = vc["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["identityType"] == "name")
        .map(|i| i["identityHash"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Souksavanh Phommachanh", "ສຸກສະຫວັນ ພົມມະຈັນ"]);

    // OB 3.0's JSON Schema: every OB property is still a plain string.
    skillpass::schema::validate_ob3(&vc).expect("OB 3.0 schema");

    // Our verifier, through the API.
    let reply = app
        .call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": vc})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["verified"], true, "{}", reply.text());

    // Digital Bazaar's verifier, with only the standard contexts (and the status list, which
    // the test service does not publish on the network).
    let dir = tempfile::tempdir().unwrap();
    let status = app.status_list_args(&vc, dir.path()).await;
    let args: Vec<&str> = status.iter().map(String::as_str).collect();
    let out = peer::verify(&vc, &args);
    assert_eq!(out.code, 0, "peer: {}\n{}", out.stdout, out.stderr);
    assert_eq!(out.json()["verified"], true);

    // The translations are signed: changing one breaks the signature in both verifiers.
    let mut altered = vc.clone();
    altered["credentialSubject"]["achievement"]["nameMap"]["th"] = json!("ปริญญาเอก");
    let out = peer::verify(&altered, &args);
    assert_eq!(
        out.code, 1,
        "peer accepted an altered translation: {}",
        out.stdout
    );
    let reply = app
        .call(
            Method::POST,
            "/credentials/verify",
            None,
            Some(&json!({"verifiableCredential": altered})),
        )
        .await;
    assert_eq!(reply.json()["verified"], false, "{}", reply.text());
}

#[test]
fn translations_are_language_tagged_values_of_the_ob3_properties() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = TestApp::new();
    let vc = runtime.block_on(issued(&app));
    let nquads =
        skillpass::canon::canonicalize(&vc, &ContextRegistry::bundled()).expect("canonical form");
    // `name` and `nameMap` are the same property: the translation carries its language tag.
    assert!(nquads.contains(
        "<https://schema.org/name> \"ການບໍລິການຫຼັງການຂາຍລົດພະລັງງານໃໝ່: ຄວາມປອດໄພໄຟຟ້າແຮງສູງ ແລະ ການວິເຄາະລະບົບແບັດເຕີຣີ\"@lo"
    ));
    assert!(nquads.contains("<https://schema.org/targetName> \"执行高压安全作业程序"));
    assert!(nquads.contains("\"@zh-hans ") || nquads.contains("\"@zh-Hans "));
    assert!(nquads.contains("<https://schema.org/inLanguage> \"en\""));
}

#[test]
fn the_record_schema_refuses_a_malformed_language_tag() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(RECORD);
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["achievement"]["translations"]["Thai language"] = json!({"name": "x"});
    record["achievement"]["inLanguage"] = json!("english");
    let err = skillpass::record::parse_record(&record).unwrap_err();
    let paths: Vec<String> = err.violations().iter().map(|v| v.to_string()).collect();
    assert!(
        paths.iter().any(|p| p.contains("/achievement/inLanguage")),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.contains("/achievement/translations")),
        "{paths:?}"
    );
}

async fn page(app: &TestApp, id: &str, lang: &str) -> String {
    let req = Request::builder()
        .method(Method::GET)
        .uri(format!("/verify/{id}"))
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap();
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.text()
}

#[tokio::test]
async fn the_employer_page_shows_the_readers_language_or_says_it_falls_back() {
    let app = TestApp::new();
    let vc = issued(&app).await;
    let id = vc["id"].as_str().unwrap();
    let th = page(&app, id, "th").await;
    assert!(th.contains(
        "<p class=\"big\"><bdi lang=\"th\">บริการหลังการขายยานยนต์พลังงานใหม่: ความปลอดภัยระบบไฟฟ้าแรงสูงและการวินิจฉัยระบบแบตเตอรี่</bdi></p>"
    ), "{th}");
    assert!(th.contains("<bdi lang=\"th\">ปฏิบัติตามขั้นตอนความปลอดภัยไฟฟ้าแรงสูง"));
    assert!(
        !th.contains("class=\"muted fallback\""),
        "nothing fell back"
    );
    // Both of the learner's names.
    assert!(th.contains("Souksavanh Phommachanh") && th.contains("ສຸກສະຫວັນ ພົມມະຈັນ"));
    let lo = page(&app, id, "lo").await;
    assert!(lo.contains("<bdi lang=\"lo\">ການບໍລິການຫຼັງການຂາຍລົດພະລັງງານໃໝ່"));
    let zh = page(&app, id, "zh-CN").await;
    assert!(zh.contains("<bdi lang=\"zh-Hans\">新能源汽车售后服务"));
    // No Malay text in the credential: English, with a visible note in Malay.
    let ms = page(&app, id, "ms").await;
    assert!(ms.contains("<bdi lang=\"en\">New Energy Vehicle After-Sales Service"));
    let note = Lang::Ms.t_args(
        "employer-shown-in",
        &[
            ("reader", "Bahasa Melayu".into()),
            ("shown", "English".into()),
        ],
    );
    assert_eq!(note, "Tiada dalam Bahasa Melayu: dipaparkan dalam English.");
    assert!(
        ms.contains(&format!("<p class=\"muted fallback\">{note}</p>")),
        "{ms}"
    );
    // An English reader reads the original: no note.
    let en = page(&app, id, "en").await;
    assert!(en.contains("<bdi lang=\"en\">New Energy Vehicle After-Sales Service"));
    assert!(!en.contains("class=\"muted fallback\""));

    // A credential without languages (every one before this change) shows no note.
    let plain = app.issue_example("szpu-nev-after-sales-service.json").await;
    let ms = page(&app, plain["id"].as_str().unwrap(), "ms").await;
    assert!(!ms.contains("class=\"muted fallback\""));
    assert!(ms.contains("<p class=\"big\"><bdi>New Energy Vehicle After-Sales Service"));
}
