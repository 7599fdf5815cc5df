//! The record → credential mapping: refusals, identifiers, learner forms, and the skillpass
//! terms actually being needed (and protected) while no context beyond the standard ones is.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use skillpass::canon::{canonicalize, CanonError};
use skillpass::contexts::{ContextRegistry, SKILLPASS_V1};
use skillpass::credential::{achievement_id, build_credential, CredentialError, IssueParams};
use skillpass::record::{parse_record, LearningOutcomeRecord};
use skillpass::vocab;
use uuid::Uuid;

const ISSUER: &str = "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd";
const LEARNER: &str = "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2";

fn record_json() -> Value {
    json!({
        "learner": {"id": LEARNER},
        "achievement": {
            "name": "Furniture Production Technology",
            "description": "Machining, joinery, CNC routing and finishing.",
            "criteria": {"narrative": "Coursework 60 %, examination 40 %."},
            "learningOutcomes": [
                {"code": "CLO1", "statement": "Select timber, panels and joints for a design."},
                {"statement": "Operate a CNC router from a CAM program."}
            ],
            "fieldOfStudy": "0722",
            "level": {"framework": "MQF", "code": "4"},
            "credits": {"value": 2.5, "system": "MQF"},
            "learningHours": 100
        },
        "awardedDate": "2025-05-30T09:00:00+08:00",
        "issuer": {"name": "Kolej Teknologi Perabot Muar", "url": "https://perabot-muar.example/", "country": "MY"}
    })
}

fn record(v: &Value) -> LearningOutcomeRecord {
    parse_record(v).unwrap()
}

fn params() -> IssueParams {
    IssueParams {
        id: Uuid::parse_str("3f0c9a52-7d1e-4b6a-9c2f-51e8d0a4b7c3").unwrap(),
        issuer: ISSUER.into(),
        valid_from: Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap(),
    }
}

#[test]
fn credential_shape() {
    let vc = build_credential(&record(&record_json()), &params()).unwrap();
    assert_eq!(
        vc["@context"],
        json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(vc["id"], "urn:uuid:3f0c9a52-7d1e-4b6a-9c2f-51e8d0a4b7c3");
    assert_eq!(
        vc["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(vc["validFrom"], "2025-06-01T00:00:00Z");
    assert_eq!(vc["awardedDate"], "2025-05-30T09:00:00+08:00");
    assert!(vc.get("validUntil").is_none());
    assert_eq!(
        vc["issuer"],
        json!({
            "id": ISSUER, "type": ["Profile"], "name": "Kolej Teknologi Perabot Muar",
            "url": "https://perabot-muar.example/",
            "address": {"type": ["Address"], "addressCountryCode": "MY"}
        })
    );
    let s = &vc["credentialSubject"];
    assert_eq!(s["id"], LEARNER);
    assert_eq!(s["creditsEarned"], json!(2.5));
    assert!(s.get("result").is_none());
    let a = &s["achievement"];
    assert_eq!(a["achievementType"], "Course");
    assert_eq!(
        a["fieldOfStudy"],
        "Materials (glass, paper, plastic and wood)"
    );
    assert_eq!(a["@context"], vocab::inline_context(vocab::RECORD_TERMS));
    assert!(a.get("iscedFieldOfStudy").is_none() && a.get("frameworkLevel").is_none());
    assert_eq!(a["creditsAvailable"], json!(2.5));
    assert_eq!(a["creditSystem"], "MQF");
    assert_eq!(a["learningHours"], json!(100));
    assert_eq!(
        a["alignment"],
        json!([
            {"type": ["Alignment"], "targetName": "Malaysian Qualifications Framework level 4",
             "targetUrl": "https://w3id.org/skillpass/frameworks/MQF#level-4",
             "targetType": "ext:FrameworkLevel", "targetFramework": "Malaysian Qualifications Framework",
             "targetCode": "4"},
            {"type": ["Alignment"], "targetName": "Materials (glass, paper, plastic and wood)",
             "targetUrl": "http://data.europa.eu/snb/isced-f/0722",
             "targetType": "ext:ISCEDFieldOfStudy", "targetFramework": "ISCED-F 2013",
             "targetCode": "0722"},
            {"type": ["Alignment"], "targetName": "Select timber, panels and joints for a design.",
             "targetUrl": a["id"], "targetType": "ceasn:Competency", "targetCode": "CLO1"},
            {"type": ["Alignment"], "targetName": "Operate a CNC router from a CAM program.",
             "targetUrl": a["id"], "targetType": "ceasn:Competency"}
        ])
    );
}

#[test]
fn eqf_levels_link_to_the_published_concepts() {
    let mut v = record_json();
    v["achievement"]["level"] = json!({"framework": "EQF", "code": "5"});
    let vc = build_credential(&record(&v), &params()).unwrap();
    let level = &vc["credentialSubject"]["achievement"]["alignment"][0];
    assert_eq!(level["targetUrl"], "http://data.europa.eu/snb/eqf/5");
    // A level URL in the record wins.
    v["achievement"]["level"]["url"] =
        json!("https://europass.europa.eu/en/description-eight-eqf-levels");
    let vc = build_credential(&record(&v), &params()).unwrap();
    assert_eq!(
        vc["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"],
        "https://europass.europa.eu/en/description-eight-eqf-levels"
    );
}

#[test]
fn local_learner_becomes_identity_objects() {
    let mut v = record_json();
    v["learner"] = json!({"name": "Nurul Aisyah binti Ahmad Fauzi", "identifier": {"value": "DFT23-00381", "scheme": "matric-number"}});
    let vc = build_credential(&record(&v), &params()).unwrap();
    let s = &vc["credentialSubject"];
    assert!(s.get("id").is_none());
    assert_eq!(
        s["identifier"],
        json!([
            {"type": "IdentityObject", "identityHash": "Nurul Aisyah binti Ahmad Fauzi", "identityType": "name", "hashed": false},
            {"type": "IdentityObject", "identityHash": "DFT23-00381", "identityType": "ext:matric-number", "hashed": false}
        ])
    );
}

/// Issue 11, item 5: a credential bound to the learner's DID still names the person, so an
/// employer can match the holder to an ID card.
#[test]
fn a_did_learner_can_keep_a_name_and_an_identifier() {
    let mut v = record_json();
    v["learner"] = json!({"id": LEARNER, "name": "Tendai Moyo"});
    let vc = build_credential(&record(&v), &params()).unwrap();
    let s = &vc["credentialSubject"];
    assert_eq!(s["id"], LEARNER);
    assert_eq!(
        s["identifier"],
        json!([{"type": "IdentityObject", "identityHash": "Tendai Moyo", "identityType": "name", "hashed": false}])
    );

    v["learner"] =
        json!({"id": LEARNER, "name": "Tendai Moyo", "identifier": {"value": "ZVP/2024/0457"}});
    let vc = build_credential(&record(&v), &params()).unwrap();
    let ids = vc["credentialSubject"]["identifier"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[1]["identityHash"], "ZVP/2024/0457");
    assert_eq!(ids[1]["identityType"], "identifier");

    // An identifier without the name, or a blank name, is not one of the forms.
    for learner in [
        json!({"id": LEARNER, "identifier": {"value": "ZVP/2024/0457"}}),
        json!({"id": LEARNER, "name": "  "}),
        json!({"id": "not-a-did", "name": "Tendai Moyo"}),
    ] {
        v["learner"] = learner.clone();
        assert!(parse_record(&v).is_err(), "{learner} was accepted");
    }
}

#[test]
fn result_and_its_scale() {
    let mut v = record_json();
    v["result"] = json!({"value": "A-"});
    let vc = build_credential(&record(&v), &params()).unwrap();
    assert_eq!(
        vc["credentialSubject"]["result"],
        json!([{"type": ["Result"], "value": "A-"}])
    );
    assert!(vc["credentialSubject"]["achievement"]
        .get("resultDescription")
        .is_none());

    v["result"] = json!({"value": "A-", "scale": "A to F; pass C", "resultType": "LetterGrade"});
    let vc = build_credential(&record(&v), &params()).unwrap();
    let rd = &vc["credentialSubject"]["achievement"]["resultDescription"][0];
    assert_eq!(rd["name"], "A to F; pass C");
    assert_eq!(rd["resultType"], "LetterGrade");
    assert!(rd["id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(
        vc["credentialSubject"]["result"][0]["resultDescription"],
        rd["id"]
    );
}

#[test]
fn achievement_ids_are_per_course_not_per_learner() {
    let a = record(&record_json());
    let mut other_learner = record_json();
    other_learner["learner"] = json!({"id": "did:web:learner.example"});
    other_learner["awardedDate"] = json!("2025-05-31T09:00:00+08:00");
    let b = record(&other_learner);
    assert_eq!(achievement_id(&a, ISSUER), achievement_id(&b, ISSUER));
    // Same course text from another issuer, or a revised course: a different achievement.
    assert_ne!(
        achievement_id(&a, ISSUER),
        achievement_id(&a, "did:web:other.example")
    );
    let mut revised = record_json();
    revised["achievement"]["learningHours"] = json!(120);
    assert_ne!(
        achievement_id(&a, ISSUER),
        achievement_id(&record(&revised), ISSUER)
    );
    // An institution IRI is used as given.
    let mut with_id = record_json();
    with_id["achievement"]["id"] = json!("https://perabot-muar.example/courses/DFT20133");
    assert_eq!(
        achievement_id(&record(&with_id), ISSUER),
        "https://perabot-muar.example/courses/DFT20133"
    );
    let vc = build_credential(&record(&with_id), &params()).unwrap();
    assert_eq!(
        vc["credentialSubject"]["achievement"]["id"],
        "https://perabot-muar.example/courses/DFT20133"
    );
}

#[test]
fn refusals() {
    let r = record(&record_json());
    let mut p = params();
    p.issuer = "https://perabot-muar.example/".into();
    assert_eq!(
        build_credential(&r, &p),
        Err(CredentialError::IssuerNotDid(
            "https://perabot-muar.example/".into()
        ))
    );

    let mut v = record_json();
    v["issuer"]["id"] = json!("did:web:perabot-muar.example");
    assert_eq!(
        build_credential(&record(&v), &params()),
        Err(CredentialError::IssuerMismatch {
            record: "did:web:perabot-muar.example".into(),
            issuer: ISSUER.into()
        })
    );
    v["issuer"]["id"] = json!(ISSUER);
    assert!(build_credential(&record(&v), &params()).is_ok());

    let mut v = record_json();
    v["validUntil"] = json!("2025-06-01T08:00:00+08:00"); // == validFrom
    let err = build_credential(&record(&v), &params()).unwrap_err();
    assert!(
        matches!(err, CredentialError::ValidUntilNotAfterValidFrom { .. }),
        "{err}"
    );
    v["validUntil"] = json!("2025-06-01T08:00:01+08:00");
    let vc = build_credential(&record(&v), &params()).unwrap();
    assert_eq!(vc["validUntil"], "2025-06-01T08:00:01+08:00");

    let mut p = params();
    p.valid_from = Utc.with_ymd_and_hms(2025, 5, 30, 0, 59, 59).unwrap(); // award is 01:00Z
    let err = build_credential(&r, &p).unwrap_err();
    assert_eq!(
        err.to_string(),
        "awardedDate 2025-05-30T09:00:00+08:00 is after validFrom 2025-05-30T00:59:59Z"
    );
}

/// Only the standard contexts: VC 2.0, Data Integrity, OB 3.0 — no skillpass context.
fn standard_contexts() -> ContextRegistry {
    let bundled = ContextRegistry::bundled();
    let mut standard = ContextRegistry::empty();
    for url in bundled.urls().filter(|u| *u != SKILLPASS_V1) {
        standard.insert(url, bundled.get(url).unwrap()).unwrap();
    }
    standard
}

/// Each extension term is load-bearing: without its definition the strict canonicalizer refuses
/// the credential, because the claim would otherwise go unsigned. And nothing else is needed:
/// the credential canonicalizes with the standard contexts alone.
#[test]
fn every_skillpass_term_is_needed() {
    let vc = build_credential(&record(&record_json()), &params()).unwrap();
    canonicalize(&vc, &standard_contexts()).unwrap();
    for term in vocab::RECORD_TERMS {
        let mut doc = vc.clone();
        doc["credentialSubject"]["achievement"]["@context"]
            .as_object_mut()
            .unwrap()
            .remove(*term);
        match canonicalize(&doc, &standard_contexts()) {
            Err(CanonError::UndefinedTerm { term: t, .. }) => assert_eq!(t, *term),
            other => panic!("without {term}: {other:?}"),
        }
    }
}

/// `@protected`: a later context cannot quietly change what a skillpass term means, and one at
/// the top of the document cannot either (the achievement's own context comes after it).
#[test]
fn skillpass_terms_are_protected() {
    let vc = build_credential(&record(&record_json()), &params()).unwrap();
    let original = canonicalize(&vc, &standard_contexts()).unwrap();
    let mut doc = vc.clone();
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!({"learningHours": "https://attacker.example/hours"}));
    assert_eq!(canonicalize(&doc, &standard_contexts()).unwrap(), original);

    let with_context = |extra: Value| {
        let mut doc = vc.clone();
        let a = &mut doc["credentialSubject"]["achievement"];
        a["@context"] = json!([a["@context"].take(), extra]);
        canonicalize(&doc, &standard_contexts())
    };
    // A later context that adds a term is fine; one that redefines ours is refused.
    with_context(json!({"note": "https://example.org/note"})).unwrap();
    let err = with_context(json!({"learningHours": "https://attacker.example/hours"})).unwrap_err();
    assert!(err.to_string().contains("protected"), "{err}");
}

/// Credentials issued with the skillpass v1 context keep verifying: it stays bundled, and the
/// level and field of study are read from either shape.
#[test]
fn old_credentials_are_still_understood() {
    let old = json!({
        "frameworkLevel": {"type": "FrameworkLevel", "framework": "MQF", "levelCode": "4"},
        "iscedFieldOfStudy": "http://data.europa.eu/snb/isced-f/0722"
    });
    assert_eq!(
        skillpass::credential::framework_level(&old),
        Some(("MQF".into(), "4".into()))
    );
    assert_eq!(
        skillpass::credential::isced_field(&old).as_deref(),
        Some("0722")
    );
    let vc = build_credential(&record(&record_json()), &params()).unwrap();
    let a = &vc["credentialSubject"]["achievement"];
    assert_eq!(
        skillpass::credential::framework_level(a),
        Some(("MQF".into(), "4".into()))
    );
    assert_eq!(
        skillpass::credential::isced_field(a).as_deref(),
        Some("0722")
    );
    assert!(ContextRegistry::bundled().get(SKILLPASS_V1).is_some());
}

/// Real credentials signed by the last version that named the v1 context (fixtures' README).
#[test]
fn credentials_issued_with_the_v1_context_keep_verifying() {
    use skillpass::recognition::RecognitionRequest;
    use skillpass::verify::{verify, VerifyOptions};
    for (suite, text) in [
        (
            "eddsa-rdfc-2022",
            include_str!("fixtures/v1-context/eddsa-rdfc-2022.json"),
        ),
        (
            "eddsa-jcs-2022",
            include_str!("fixtures/v1-context/eddsa-jcs-2022.json"),
        ),
    ] {
        let vc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(vc["@context"][2], SKILLPASS_V1);
        let report = verify(&vc, &VerifyOptions::new(Utc::now())).unwrap();
        assert!(report.verified, "{suite}: {:?}", report.reasons());
        let request = RecognitionRequest::from_credential(&vc, "EQF").unwrap();
        let level = request.level.expect("the v1 frameworkLevel is read");
        assert_eq!(
            (level.framework.as_str(), level.code.as_str()),
            ("ISCED-2011", "5")
        );

        // Tampering is still caught.
        let mut forged = vc.clone();
        forged["credentialSubject"]["achievement"]["learningHours"] = json!(999);
        let report = verify(&forged, &VerifyOptions::new(Utc::now())).unwrap();
        assert!(!report.verified, "{suite}: a changed claim verified");
    }
}
