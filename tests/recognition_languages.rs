//! Recognition reasons and conditions in the reader's language (issue 14, docs/LANGUAGES.md):
//! every reason the engine gives carries its finding code and its arguments beside the English
//! sentence; pages write it from `locales/<tag>/recognition.ftl`. A Thai reader reads the level
//! mapping between two frameworks in Thai; a reason whose code this node does not know, or
//! whose arguments the page does not have, is shown in English and marked so.

mod common;

use axum::http::{Method, StatusCode};
use common::app::TestApp;
use serde_json::{json, Value};
use skillpass::decision::{Decision, Finding};
use skillpass::i18n::recognition::{assessment, decision_reason, summary};
use skillpass::i18n::Lang;
use skillpass::recognition::Assessment;
use skillpass::store::StoredCredential;

const MQF_RECORD: &str = "my-diploma-furniture-production.json";

/// Decides on a Malaysian diploma (MQF) for the Thai vocational framework (TH-VOC) and issues
/// the decision; the API's whole answer.
async fn recognise(app: &TestApp) -> Value {
    let vc = app.issue_example(MQF_RECORD).await;
    let reply = app
        .call(
            Method::POST,
            "/recognitions",
            Some(&app.token),
            Some(&json!({
                "verifiableCredential": vc,
                "receivingFramework": "TH-VOC",
                "issueDecision": true,
            })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

#[tokio::test]
async fn a_thai_reader_reads_the_mapping_between_two_frameworks_in_thai() {
    let app = TestApp::new();
    let answer = recognise(&app).await;
    let decision: Decision = serde_json::from_value(answer["decision"].clone()).unwrap();
    // The structured form travels beside the English sentence in the API answer.
    let level = decision
        .reasons
        .iter()
        .find(|r| matches!(r.finding, Finding::LevelMapped | Finding::LevelSpan))
        .unwrap_or_else(|| panic!("no level mapping among {:#?}", decision.reasons));
    assert!(level.sentence.contains("MQF"), "{}", level.sentence);
    assert!(
        level.arguments["from"].contains("MQF"),
        "{:?}",
        level.arguments
    );
    assert!(
        level.arguments["path"].contains("TH-VOC"),
        "{:?}",
        level.arguments
    );
    let api_reason = answer["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["finding"] == level.finding.code())
        .unwrap();
    assert_eq!(
        api_reason["arguments"]["path"],
        level.arguments["path"].as_str()
    );

    // In Thai: the mapping in Thai words, with the frameworks and levels as data.
    let th = decision_reason(Lang::Th, level);
    assert_eq!(th.lang, Lang::Th);
    let thai_words = match level.finding {
        Finding::LevelMapped => "เทียบเท่ากับ",
        _ => "ครอบคลุมระดับ",
    };
    assert!(th.text.contains(thai_words), "{}", th.text);
    assert!(th.text.contains(&level.arguments["from"]), "{}", th.text);
    assert!(!th.text.contains("corresponds") && !th.text.contains("spans"));
    // In English: the engine's sentence, unchanged.
    assert_eq!(decision_reason(Lang::En, level).text, level.sentence);
    // Every reason of this decision has Thai words (none falls back).
    for r in &decision.reasons {
        let said = decision_reason(Lang::Th, r);
        assert_eq!(said.lang, Lang::Th, "{:?}: {}", r.finding, said.text);
    }
    let sum = summary(Lang::Th, &decision);
    assert_eq!(sum.lang, Lang::Th);
    assert!(sum.text.contains("TH-VOC"), "{}", sum.text);

    // The request answer page's lines: the assessment in Thai, in English its explanation.
    let assessed: Assessment = serde_json::from_value(answer["assessment"].clone()).unwrap();
    let lines = assessment(Lang::Th, &assessed);
    assert!(
        lines
            .iter()
            .any(|l| l.lang == Lang::Th && l.text.contains(thai_words)),
        "{lines:#?}"
    );
    let english: Vec<String> = assessment(Lang::En, &assessed)
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(english, assessed.explanation);
}

/// The `<li>`s of the employer page's list of every reason, as (lang, text).
fn reasons_on_page(html: &str) -> Vec<(String, String)> {
    let list = html
        .split_once("<details><summary>")
        .expect("the reasons")
        .1
        .split_once("</details>")
        .unwrap()
        .0;
    list.split("<li>")
        .skip(1)
        .map(|li| {
            let (_, rest) = li.split_once("<bdi lang=\"").unwrap();
            let rest = rest
                .rsplit_once("<bdi lang=\"")
                .map(|(_, r)| r)
                .unwrap_or(rest);
            let (lang, rest) = rest.split_once('"').unwrap();
            let text = rest[1..].split_once("</bdi>").unwrap().0;
            (lang.to_owned(), text.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_employer_page_writes_a_decisions_reasons_in_the_readers_language() {
    let app = TestApp::new();
    let answer = recognise(&app).await;
    let credential = answer["decisionCredential"].clone();
    let id = credential["id"].as_str().unwrap().to_owned();
    let reply = app
        .call(Method::GET, &format!("/verify/{id}?lang=th"), None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    let shown = reasons_on_page(&html);
    let signed = credential["credentialSubject"]["recognitionReason"]
        .as_array()
        .unwrap();
    assert_eq!(shown.len(), signed.len(), "{shown:#?}");
    // The credential signs the English sentence and the code, not the arguments: a reason whose
    // words need only what the credential states is in Thai, the others in English, marked so.
    let mut thai = 0;
    for ((lang, text), reason) in shown.iter().zip(signed) {
        let english = reason["description"].as_str().unwrap();
        // The issuer's standing needs only the issuer, which the credential names.
        if reason["finding"] == "issuer-accredited" {
            assert_eq!(lang, "th", "{text}");
            assert!(text.contains("เป็นสมาชิกที่มีสถานะดี"), "{text}");
        }
        match lang.as_str() {
            "th" => {
                thai += 1;
                assert_ne!(text, english);
            }
            "en" => assert_eq!(text.replace("&#39;", "'").replace("&quot;", "\""), english),
            other => panic!("{other}"),
        }
    }
    assert!(thai > 0, "no reason in Thai: {shown:#?}");

    // A reason code this node does not know: its English sentence, marked English.
    let mut unknown = credential.clone();
    unknown["id"] = json!("urn:uuid:5f0c9a34-1d7e-4c59-9a43-7b2f0e6d1c88");
    let first = &mut unknown["credentialSubject"]["recognitionReason"][0];
    first["finding"] = json!("level-teleported");
    let english = first["description"].as_str().unwrap().to_owned();
    app.store
        .insert_credential(&StoredCredential {
            id: "urn:uuid:5f0c9a34-1d7e-4c59-9a43-7b2f0e6d1c88".into(),
            institution: "szpu".into(),
            record_id: None,
            credential: unknown,
            status: Vec::new(),
            issued: common::app::now(),
        })
        .unwrap();
    let html = app
        .call(
            Method::GET,
            "/verify/urn:uuid:5f0c9a34-1d7e-4c59-9a43-7b2f0e6d1c88?lang=th",
            None,
            None,
        )
        .await
        .text();
    let shown = reasons_on_page(&html);
    assert_eq!(shown[0].0, "en", "{shown:#?}");
    assert_eq!(
        shown[0].1.replace("&#39;", "'").replace("&quot;", "\""),
        english
    );
}

/// The answer page of a presentation request asked with "recognise into TH-VOC": the
/// assessment's level and workload lines in Thai for a Thai reader, its English explanation
/// for an English one. The answer is written into the request as the checks would have left it
/// (the protocols themselves are tested in tests/verify_request.rs).
#[tokio::test]
async fn the_request_answer_page_writes_the_assessment_in_the_readers_language() {
    use skillpass::verifier::query::{Query, Wanted};
    use skillpass::verifier::request::{self, AnsweredCredential, Outcome, Protocol, Status};
    use skillpass::verifier::RequestConfig;

    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let assessed = skillpass::decision::assess_credential(
        skillpass::frameworks::FrameworkRegistry::bundled(),
        &vc,
        "TH-VOC",
    )
    .unwrap();
    let made = request::create(
        &app.service,
        &RequestConfig::default(),
        Query {
            wanted: Wanted::AnyBadge,
            recognise_into: Some("TH-VOC".into()),
        },
    )
    .unwrap();
    let key = request::request_key(&made.id);
    let mut ticket = app.store.take_ticket(&key).unwrap().unwrap();
    let mut record: request::Record = serde_json::from_value(ticket.data.clone()).unwrap();
    record.status = Status::Done(Outcome {
        accepted: true,
        could_not_check: false,
        protocol: Protocol::Oid4vp,
        at: common::app::now(),
        holder: Some("did:key:z6MkholderOfTheAnswer".into()),
        reasons: Vec::new(),
        notes: Vec::new(),
        credentials: vec![AnsweredCredential {
            credential: vc.clone(),
            recognition: Some(assessed.clone()),
            recognition_error: None,
        }],
    });
    ticket.data = serde_json::to_value(&record).unwrap();
    app.store.put_ticket(&key, &ticket).unwrap();

    let section = |html: &str| -> String {
        html.split_once("<section class=\"card recognition\"")
            .expect("the recognition section")
            .1
            .split_once("</section>")
            .unwrap()
            .0
            .to_owned()
    };
    let page = format!("/verify/request/{}", made.id);
    let th = app
        .call(Method::GET, &format!("{page}?lang=th"), None, None)
        .await;
    assert_eq!(th.status, StatusCode::OK, "{}", th.text());
    let th = section(&th.text());
    assert!(th.contains("<bdi lang=\"th\">"), "{th}");
    assert!(
        th.contains("เทียบเท่ากับ") || th.contains("ครอบคลุมระดับ"),
        "{th}"
    );
    assert!(!th.contains("corresponds to"), "{th}");
    let en = app
        .call(Method::GET, &format!("{page}?lang=en"), None, None)
        .await;
    let en = section(&en.text());
    for line in &assessed.explanation {
        let escaped = line
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(en.contains(&escaped), "{line} not in {en}");
    }
}
