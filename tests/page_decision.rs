//! The employer page `GET /verify/{id}` of a recognition decision credential: besides the
//! verdict, it shows the learner, the receiving framework, the level(s) and credits given, the
//! conditions and every reason — read from the signed decision the service issued, not only its
//! title. Everything goes through the router.

mod common;

use axum::http::{Method, StatusCode};
use common::app::{Reply, TestApp};
use serde_json::{json, Value};

const MQF_RECORD: &str = "my-diploma-furniture-production.json";

/// The page in English (the issuer's default language would be its country's).
async fn page(app: &TestApp, id: &str) -> Reply {
    app.call(Method::GET, &format!("/verify/{id}?lang=en"), None, None)
        .await
}

/// Decides on `vc` for `receiving` as the test institution and issues the decision; returns
/// the decision credential.
async fn decision(app: &TestApp, vc: &Value, receiving: &str) -> Value {
    let reply = app
        .call(
            Method::POST,
            "/recognitions",
            Some(&app.token),
            Some(&json!({
                "verifiableCredential": vc,
                "receivingFramework": receiving,
                "issueDecision": true,
            })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()["decisionCredential"].clone()
}

/// The inner text of the element with this `id` (tags removed, whitespace collapsed).
fn element(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id}: {html}"));
    let start = start + html[start..].find('>').unwrap() + 1;
    let tag_end = html[..start].rfind('<').unwrap();
    let tag: String = html[tag_end + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let end = start + html[start..].find(&format!("</{tag}>")).unwrap();
    text_of(&html[start..end])
}

fn text_of(fragment: &str) -> String {
    // `<bdi>` wraps data inline; every other tag separates words.
    let fragment = fragment.replace("<bdi>", "").replace("</bdi>", "");
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_decision_page_shows_learner_levels_credits_and_conditions() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    // ZNQF: a span over two levels, 12 credits, several conditions.
    let decision = decision(&app, &vc, "ZNQF").await;
    let subject = &decision["credentialSubject"];
    assert_eq!(subject["name"], "Nurul Aisyah binti Ahmad Fauzi");
    let reply = page(&app, decision["id"].as_str().unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();

    assert!(html.contains("<h1 id=\"verdict\">Genuine</h1>"), "{html}");
    // The learner.
    assert!(
        text_of(&html).contains("Awarded to Name Nurul Aisyah binti Ahmad Fauzi"),
        "{html}"
    );
    // The outcome in words, in the receiving framework named in full.
    assert_eq!(
        element(&html, "decision-outcome"),
        "Recognised with conditions in the Zimbabwe National Qualifications Framework (ZNQF)"
    );
    // Both levels of the span, to be settled.
    let level = element(&html, "decision-level");
    assert!(
        level.starts_with("One of these, to be settled by the institution:"),
        "{level}"
    );
    for code in ["5", "6"] {
        assert!(
            level.contains(&format!(
                "Level {code} of the Zimbabwe National Qualifications Framework (ZNQF)"
            )),
            "{level}"
        );
    }
    // The credits.
    assert_eq!(
        element(&html, "decision-credits"),
        "12 credits awarded (ZNQF)"
    );
    // Every condition of the signed decision, in order.
    let conditions: Vec<&str> = subject["recognitionCondition"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(conditions.len() >= 2, "{conditions:?}");
    let shown = element(&html, "decision-conditions");
    let mut at = 0;
    for condition in &conditions {
        let flat = text_of(&skillpass_escape(condition));
        let found = shown[at..]
            .find(&flat)
            .unwrap_or_else(|| panic!("{flat:?} not in {shown:?}"));
        at += found + flat.len();
    }
    // The achievement it is about, and every reason in the details.
    let text = text_of(&html);
    assert!(
        text.contains("Achievement Furniture Production Technology"),
        "{text}"
    );
    assert!(text.contains("Every reason"), "{text}");
    let reasons = subject["recognitionReason"].as_array().unwrap();
    for reason in reasons {
        let description = text_of(&skillpass_escape(reason["description"].as_str().unwrap()));
        assert!(text.contains(&description), "{description:?} missing");
    }
    assert!(
        text.contains("Based on example data"),
        "the data status is said: {text}"
    );
    // Not the generic credential sections of an achievement credential.
    assert!(!html.contains("id=\"h-achievement\""), "{html}");
    assert!(!html.contains("id=\"h-level\""), "{html}");
}

#[tokio::test]
async fn an_undecided_decision_says_so_and_shows_no_level() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let decision = decision(&app, &vc, "TH-TQF").await;
    let reply = page(&app, decision["id"].as_str().unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert_eq!(
        element(&html, "decision-outcome"),
        "Cannot be decided automatically in the Thai Qualifications Framework for Higher Education (2009) (TH-TQF)"
    );
    assert_eq!(
        element(&html, "decision-level"),
        "No level placed: see the reasons below"
    );
    assert_eq!(
        element(&html, "decision-credits"),
        "2.4 credits awarded (TH-credit)"
    );
    let text = text_of(&html);
    assert!(
        text.contains("Level: To be decided by the institution."),
        "{text}"
    );
    assert!(
        text.contains("missing link: AQRF level 4 has no referenced counterpart in TH-TQF"),
        "{text}"
    );
    assert!(!text.contains("Not recognised"), "{text}");
}

#[tokio::test]
async fn a_single_level_is_named_with_its_title_and_strings_are_escaped() {
    let app = TestApp::new();
    // An achievement name with markup: it must come out as text on the decision page.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/records")
        .join(MQF_RECORD);
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    record["issuer"].as_object_mut().unwrap().remove("id");
    record["achievement"]["name"] = json!("Furniture <b>Production</b> & \"Finishing\"");
    let reply = app
        .call(Method::POST, "/records", Some(&app.token), Some(&record))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    let decision = decision(&app, &vc, "TH-VOC").await;
    let html = page(&app, decision["id"].as_str().unwrap()).await.text();
    assert_eq!(
        element(&html, "decision-level"),
        "Level diploma (Diploma in Vocational Education) of the Thai vocational education qualifications (TH-VOC)"
    );
    // TH-VOC has no credit system: nothing awarded, and the page says where to look.
    assert_eq!(
        element(&html, "decision-credits"),
        "None awarded: see the reasons below"
    );
    assert!(!html.contains("<b>Production</b>"), "{html}");
    assert!(
        html.contains("Furniture &lt;b&gt;Production&lt;/b&gt; &amp; &quot;Finishing&quot;"),
        "{html}"
    );
}

/// What the page writes for a text (entities for `&<>"'`), so texts can be compared with the
/// page's visible text as this test reads it.
fn skillpass_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn a_thai_reader_sees_the_level_name_in_thai() {
    let app = TestApp::new();
    let vc = app.issue_example(MQF_RECORD).await;
    let decision = decision(&app, &vc, "TH-VOC").await;
    let id = decision["id"].as_str().unwrap();
    let th = app
        .call(Method::GET, &format!("/verify/{id}?lang=th"), None, None)
        .await;
    assert_eq!(th.status, StatusCode::OK);
    let level = element(&th.text(), "decision-level");
    assert!(level.contains("ประกาศนียบัตรวิชาชีพชั้นสูง (ปวส.)"), "{level}");
    assert!(
        !level.contains("Diploma in Vocational Education"),
        "{level}"
    );
    // The signed decision is not translated.
    assert!(!decision.to_string().contains("ปวส."));
}
