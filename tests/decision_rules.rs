//! Recognition decisions at the library level: each rule of `skillpass::decision::decide`, on
//! real signed credentials (verified with the real verifier and a real alliance registry) and,
//! where a state is hard to produce offline (revoked, suspended, an unreadable registry), on the
//! report of a real credential with that one check changed.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::credential::{self, IssueParams};
use skillpass::decision::{
    self, credential_of, decide, decision_credential, recognise, DecisionCredentialError, Effect,
    Element, EvidenceSource, Finding, Outcome, RecogniseError, Recognition,
};
use skillpass::frameworks::{FrameworkRegistry, Status};
use skillpass::keys::{self, SecretKey};
use skillpass::presentation::{self, PresentOptions};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::recognition::{assess, LevelClaim, QueryError, RecognitionRequest};
use skillpass::record;
use skillpass::registry::{Member, Registry, TrustLookup, TrustRegistry};
use skillpass::verify::{self, Check, CheckName, VerifyOptions};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The moment every decision is taken at.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
}

/// When the test credentials are issued.
fn issued_at() -> DateTime<Utc> {
    now() - Duration::days(30)
}

fn issuer_key() -> SecretKey {
    keys::read_secret_key_file(&root().join("keys-example/issuer.example.json")).unwrap()
}

fn learner_key() -> SecretKey {
    keys::read_secret_key_file(&root().join("keys-example/learner.example.json")).unwrap()
}

fn issuer_did() -> String {
    issuer_key().public_key().did_key()
}

fn example_record(file: &str) -> Value {
    let text = std::fs::read_to_string(root().join("examples/records").join(file)).unwrap();
    let mut record: Value = serde_json::from_str(&text).unwrap();
    if let Some(issuer) = record.get_mut("issuer").and_then(Value::as_object_mut) {
        issuer.remove("id");
    }
    record
}

/// An unsigned OB 3.0 credential for `record`, issued as `issuer`.
fn build(record: &Value, issuer: &str) -> Value {
    let parsed = record::parse_record(record).unwrap();
    let params = IssueParams {
        id: uuid::Uuid::new_v4(),
        issuer: issuer.to_owned(),
        valid_from: issued_at(),
    };
    credential::build_credential(&parsed, &params).unwrap()
}

fn sign(unsigned: &Value, key: &SecretKey, suite: Cryptosuite) -> Value {
    let public = key.public_key();
    let options = ProofOptions {
        suite,
        verification_method: public.verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: issued_at(),
        challenge: None,
        domain: None,
    };
    proof::sign(unsigned, key, &options, &ContextRegistry::bundled()).unwrap()
}

/// The Malaysian diploma module (MQF level 4, 3 MQF credits, 120 h, five outcomes).
fn mqf_credential() -> Value {
    sign(
        &build(
            &example_record("my-diploma-furniture-production.json"),
            &issuer_did(),
        ),
        &issuer_key(),
        Cryptosuite::EddsaRdfc2022,
    )
}

fn member(did: &str, status: &str, valid_until: Option<&str>) -> Member {
    let mut m = json!({
        "id": "kolej-perabot",
        "name": "Kolej Teknologi Perabot Muar",
        "country": "MY",
        "dids": [did],
        "framework": "MQF",
        "qualityAssurance": {"body": "Malaysian Qualifications Agency", "status": status},
        "validFrom": "2024-01-01T00:00:00Z",
    });
    if let Some(until) = valid_until {
        m["validUntil"] = until.into();
    }
    serde_json::from_value(m).unwrap()
}

/// Verification at `now()` against a registry of `members` (`None`: no registry at all).
fn options(members: Option<Vec<Member>>) -> VerifyOptions {
    let mut options = VerifyOptions::new(now());
    if let Some(members) = members {
        options.trust = Some(Arc::new(Registry::new(members).unwrap()));
    }
    options
}

fn accredited() -> VerifyOptions {
    options(Some(vec![member(&issuer_did(), "accredited", None)]))
}

fn run(doc: &Value, receiving: &str, options: &VerifyOptions) -> Recognition {
    recognise(doc, receiving, FrameworkRegistry::bundled(), options).unwrap()
}

fn findings(r: &Recognition) -> Vec<Finding> {
    r.decision.findings()
}

fn sentence(r: &Recognition, f: Finding) -> String {
    r.decision
        .reason(f)
        .unwrap_or_else(|| panic!("no {f:?} in {:#?}", r.decision.reasons))
        .sentence
        .clone()
}

/// Asserts the outcome, with the reasons in the message when it differs.
fn assert_outcome(r: &Recognition, expected: Outcome) {
    assert_eq!(
        r.decision.outcome, expected,
        "{}\n{:#?}",
        r.decision.summary, r.decision.reasons
    );
}

// ------------------------------------------------------------------------------------------
// One real MQF credential, recognised in several frameworks
// ------------------------------------------------------------------------------------------

#[test]
fn an_mqf_credential_in_its_own_framework_is_recognised() {
    let r = run(&mqf_credential(), "MQF", &accredited());
    assert_outcome(&r, Outcome::Recognised);
    assert_eq!(
        findings(&r),
        vec![
            Finding::Authentic,
            Finding::IssuerAccredited,
            Finding::LevelSameFramework,
            Finding::CreditsSameSystem,
            Finding::LearningOutcomesStated,
            Finding::ProfileStated,
        ]
    );
    assert!(r
        .decision
        .reasons
        .iter()
        .all(|reason| reason.effect == Effect::Met));
    assert!(r.decision.conditions.is_empty());
    assert_eq!(r.decision.recognised_levels.len(), 1);
    assert_eq!(r.decision.recognised_levels[0].code, "4");
    let credits = r.decision.credits.as_ref().unwrap();
    assert_eq!((credits.awarded, credits.system.as_str()), (3.0, "MQF"));
    assert_eq!(
        r.decision.summary,
        "Recognised in MQF as MQF level 4 with 3 MQF credit(s)."
    );
    assert!(sentence(&r, Finding::LearningOutcomesStated).contains("5 learning outcomes (CLO1"));
}

#[test]
fn an_mqf_credential_for_eqf_rests_on_example_referencing_and_a_credit_range() {
    let r = run(&mqf_credential(), "EQF", &accredited());
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let f = findings(&r);
    for expected in [
        Finding::Authentic,
        Finding::IssuerAccredited,
        Finding::LevelMapped,
        Finding::ReferencingExample,
        Finding::CreditsRange,
    ] {
        assert!(f.contains(&expected), "{expected:?} missing from {f:?}");
    }
    // ECTS is an official rule: the credits are a range, not a provisional conversion.
    assert!(!f.contains(&Finding::CreditsProvisionalRule), "{f:?}");
    let range = sentence(&r, Finding::CreditsRange);
    assert!(range.contains("120 h = 4–4.8 ECTS"), "{range}");
    assert!(
        range.contains("4 awarded by the conservative rule"),
        "{range}"
    );
    let credits = r.decision.credits.as_ref().unwrap();
    assert_eq!(credits.awarded, 4.0);
    assert_eq!(credits.range.unwrap().max, 4.8);
    // The example link is named, with the step it comes from.
    let reason = r.decision.reason(Finding::ReferencingExample).unwrap();
    assert!(
        reason.sentence.contains("SZ-Agreement"),
        "{}",
        reason.sentence
    );
    assert_eq!(reason.evidence.source, EvidenceSource::Assessment);
    assert!(reason.evidence.pointer.starts_with("/level/steps/"));
    let step: usize = reason.evidence.pointer["/level/steps/".len()..]
        .parse()
        .unwrap();
    assert_eq!(
        r.assessment.level.as_ref().unwrap().steps[step].status,
        Status::Example
    );
    assert_eq!(r.decision.status, Some(Status::Example));
    assert_eq!(r.decision.conditions.len(), 2);
}

#[test]
fn an_mqf_credential_for_znqf_spans_two_levels_and_says_which() {
    let r = run(&mqf_credential(), "ZNQF", &accredited());
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let span = r.decision.reason(Finding::LevelSpan).unwrap();
    assert_eq!(
        (span.element, span.effect),
        (Element::Level, Effect::Condition)
    );
    let codes: Vec<&str> = r
        .decision
        .recognised_levels
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    assert!(codes.len() >= 2, "{codes:?}");
    let named = format!(
        "ZNQF levels {}",
        codes[..codes.len() - 1].join(", ") + " and " + codes[codes.len() - 1]
    );
    assert!(
        span.sentence.contains(&named),
        "{} should name {named}",
        span.sentence
    );
    // 120 learning hours ÷ 10 h per ZNQF credit: exact and official.
    assert!(findings(&r).contains(&Finding::CreditsConverted));
    assert!(sentence(&r, Finding::CreditsConverted).contains("120 h = 12 ZNQF credit(s)"));
    assert!(
        r.decision.summary.contains("(to be settled)"),
        "{}",
        r.decision.summary
    );
}

#[test]
fn an_mqf_credential_for_cn_voc_uses_a_provisional_credit_rule() {
    let r = run(&mqf_credential(), "CN-VOC", &accredited());
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let f = findings(&r);
    assert!(f.contains(&Finding::LevelMapped), "{f:?}");
    assert!(f.contains(&Finding::ReferencingExample), "{f:?}");
    assert!(f.contains(&Finding::CreditsRange), "{f:?}");
    let rule = sentence(&r, Finding::CreditsProvisionalRule);
    assert!(
        rule.contains("CN-credit 16–18 h per credit (provisional)"),
        "{rule}"
    );
    assert_eq!(r.decision.recognised_levels[0].code, "associate");
}

/// Regression: the Malaysian MQF 4 diploma module recognised in Thailand came out
/// "not recognised" because TQF (higher education) has no level referenced to AQRF 4 — a gap
/// in the data, not a substantial difference. It must say "cannot be decided automatically"
/// and name the missing link.
#[test]
fn no_referencing_path_cannot_be_decided_automatically_and_names_the_missing_link() {
    let r = run(&mqf_credential(), "TH-TQF", &accredited());
    assert_outcome(&r, Outcome::CannotBeDecidedAutomatically);
    assert_eq!(
        serde_json::to_value(&r.decision).unwrap()["outcome"],
        "cannot-be-decided-automatically"
    );
    let reason = r.decision.reason(Finding::LevelNoPath).unwrap();
    assert_eq!(
        (reason.element, reason.effect),
        (Element::Level, Effect::Undecided)
    );
    assert!(
        !r.decision
            .reasons
            .iter()
            .any(|x| x.effect == Effect::NotMet),
        "{:?}",
        r.decision.findings()
    );
    assert!(
        reason
            .sentence
            .contains("AQRF level 4 has no referenced counterpart in TH-TQF"),
        "{}",
        reason.sentence
    );
    assert!(
        reason
            .sentence
            .contains("(referencing in schemas/frameworks/th-tqf.json)"),
        "{}",
        reason.sentence
    );
    assert_eq!(reason.evidence.pointer, "/level/missing");
    // No level can be given; the credits still convert (120 h into Thai credits).
    assert!(r.decision.recognised_levels.is_empty());
    assert_eq!(r.decision.credits.as_ref().unwrap().system, "TH-credit");
    let summary = &r.decision.summary;
    assert!(
        summary.starts_with("Cannot be decided automatically in TH-TQF"),
        "{summary}"
    );
    assert!(
        summary.contains("missing link: AQRF level 4 has no referenced counterpart in TH-TQF"),
        "{summary}"
    );
    assert!(
        !summary.to_lowercase().contains("not recognised"),
        "{summary}"
    );
}

/// The same diploma module for a Thai vocational college (TH-VOC): MQF 4 → AQRF 4 → the
/// vocational diploma, with the example AQRF link named as a condition.
#[test]
fn the_malaysian_diploma_module_in_thai_vocational_education() {
    let r = run(&mqf_credential(), "TH-VOC", &accredited());
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let codes: Vec<&str> = r
        .decision
        .recognised_levels
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    assert_eq!(codes, ["diploma"]);
    assert!(r.decision.has(Finding::ReferencingExample));
    assert!(
        sentence(&r, Finding::ReferencingExample).contains("AQRF ↔ TH-VOC"),
        "{}",
        sentence(&r, Finding::ReferencingExample)
    );
    // TH-VOC defines no credit system (none is public): the workload is assessed by hand.
    assert!(r.decision.has(Finding::CreditsNotConvertible));
    assert_eq!(r.decision.status, Some(Status::Example));
}

#[test]
fn a_receiving_framework_without_credits_is_a_workload_condition() {
    let r = run(&mqf_credential(), "LA-NVQF", &accredited());
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let reason = r.decision.reason(Finding::CreditsNotConvertible).unwrap();
    assert_eq!(reason.element, Element::Workload);
    assert!(
        reason.sentence.contains("3 MQF credit(s)"),
        "{}",
        reason.sentence
    );
    assert!(r.decision.credits.is_none());
}

#[test]
fn an_unknown_receiving_framework_is_an_error_not_a_decision() {
    match recognise(
        &mqf_credential(),
        "XX-NQF",
        FrameworkRegistry::bundled(),
        &accredited(),
    ) {
        Err(RecogniseError::Query(QueryError::UnknownReceivingFramework(id))) => {
            assert_eq!(id, "XX-NQF")
        }
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------------------------------------
// Level: official and provisional referencing
// ------------------------------------------------------------------------------------------

/// Decides on the MQF credential's (good) report, with a level claim of our choosing.
fn decide_level(framework: &str, code: &str, receiving: &str) -> skillpass::decision::Decision {
    let vc = mqf_credential();
    let report = verify::verify(&vc, &accredited()).unwrap();
    let request = RecognitionRequest {
        level: Some(LevelClaim {
            framework: framework.into(),
            code: code.into(),
        }),
        credits: None,
        receiving_framework: receiving.into(),
        receiving_credit_system: None,
        rule: Default::default(),
    };
    let assessment = assess(FrameworkRegistry::bundled(), &request).unwrap();
    decide(&report, &assessment, &vc)
}

#[test]
fn official_referencing_maps_without_a_level_condition() {
    // MY-SKM → MQF is the one official referencing in the shipped data.
    let d = decide_level("MY-SKM", "4", "MQF");
    assert!(d.has(Finding::LevelMapped), "{:?}", d.findings());
    assert!(!d.has(Finding::ReferencingProvisional) && !d.has(Finding::ReferencingExample));
    assert_eq!(d.status, Some(Status::Official));
    // No credits claimed: the workload is for the institution to assess.
    assert!(d.has(Finding::CreditsNotStated));
    assert_eq!(d.outcome, Outcome::RecognisedWithConditions);
    assert_eq!(d.conditions.len(), 1, "{:?}", d.conditions);
}

#[test]
fn only_provisional_referencing_is_a_condition() {
    let d = decide_level("MY-SKM", "3", "AQRF");
    let reason = d.reason(Finding::ReferencingProvisional).unwrap();
    assert_eq!(reason.effect, Effect::Condition);
    assert!(
        reason.sentence.contains("MQF ↔ AQRF"),
        "{}",
        reason.sentence
    );
    assert!(!d.has(Finding::ReferencingExample));
    assert_eq!(d.status, Some(Status::Provisional));
}

#[test]
fn an_unknown_issuer_framework_is_no_path() {
    let d = decide_level("TJ-NQF", "5", "MQF");
    assert_eq!(d.outcome, Outcome::CannotBeDecidedAutomatically);
    assert!(d
        .reason(Finding::LevelNoPath)
        .unwrap()
        .sentence
        .contains("\"TJ-NQF\" is not in the framework registry"));
}

#[test]
fn a_cambodian_cqf_level_maps_through_example_data() {
    // KH-CQF is shipped with example levels (its level table is not public): a mapping, but
    // flagged as example referencing, never official.
    let d = decide_level("KH-CQF", "4", "MQF");
    assert_eq!(d.outcome, Outcome::RecognisedWithConditions);
    assert_eq!(
        d.recognised_levels
            .iter()
            .map(|l| l.code.as_str())
            .collect::<Vec<_>>(),
        ["4"]
    );
    assert!(d.has(Finding::ReferencingExample));
    assert_eq!(d.status, Some(Status::Example));
}

// ------------------------------------------------------------------------------------------
// Authenticity and validity
// ------------------------------------------------------------------------------------------

#[test]
fn an_altered_credential_is_not_recognised() {
    let mut vc = mqf_credential();
    vc["credentialSubject"]["achievement"]["learningHours"] = json!(1200);
    let r = run(&vc, "MQF", &accredited());
    assert_outcome(&r, Outcome::NotRecognised);
    let reason = r.decision.reason(Finding::Altered).unwrap();
    assert_eq!(reason.element, Element::Authenticity);
    assert_eq!(reason.evidence.label, "proof");
    let i: usize = reason.evidence.pointer["/checks/".len()..].parse().unwrap();
    assert_eq!(r.verification.checks[i].check, CheckName::Proof);
    assert!(!r.decision.has(Finding::Authentic));
    assert!(r.decision.credits.is_none() && r.decision.recognised_levels.is_empty());
}

#[test]
fn a_missing_or_malformed_signature_is_signature_invalid() {
    let mut unsigned = mqf_credential();
    unsigned.as_object_mut().unwrap().remove("proof");
    let r = run(&unsigned, "MQF", &accredited());
    assert_outcome(&r, Outcome::NotRecognised);
    assert!(sentence(&r, Finding::SignatureInvalid).contains("the document has no proof"));

    let mut garbled = mqf_credential();
    garbled["proof"][0]["proofValue"] = "not-multibase".into();
    let r = run(&garbled, "MQF", &accredited());
    assert!(
        r.decision.has(Finding::SignatureInvalid),
        "{:?}",
        findings(&r)
    );
    assert!(!r.decision.has(Finding::Altered));
}

#[test]
fn a_credential_signed_with_another_key_than_its_issuers_is_not_recognised() {
    let other = SecretKey::from_seed(&[9; 32]);
    // Names the accredited issuer, signed by someone else's key.
    let vc = sign(
        &build(
            &example_record("my-diploma-furniture-production.json"),
            &issuer_did(),
        ),
        &other,
        Cryptosuite::EddsaRdfc2022,
    );
    let r = run(&vc, "MQF", &accredited());
    assert_outcome(&r, Outcome::NotRecognised);
    let reason = r
        .decision
        .reasons
        .iter()
        .find(|x| x.finding == Finding::SignatureInvalid && x.evidence.label == "issuerBinding")
        .unwrap_or_else(|| panic!("{:#?}", r.decision.reasons));
    assert!(reason
        .sentence
        .contains("not signed as its issuer's credential"));
}

#[test]
fn an_expired_credential_is_not_recognised() {
    let mut record = example_record("my-diploma-furniture-production.json");
    record["validUntil"] = "2026-08-15T00:00:00Z".into();
    let vc = sign(
        &build(&record, &issuer_did()),
        &issuer_key(),
        Cryptosuite::EddsaRdfc2022,
    );
    let r = run(&vc, "MQF", &accredited());
    assert_outcome(&r, Outcome::NotRecognised);
    assert!(sentence(&r, Finding::Expired).contains("expired: valid until 2026-08-15"));
    // Everything else about it is fine: only validity stands in the way.
    let not_met: Vec<Finding> = r
        .decision
        .reasons
        .iter()
        .filter(|x| x.effect == Effect::NotMet)
        .map(|x| x.finding)
        .collect();
    assert_eq!(not_met, vec![Finding::Expired]);
}

#[test]
fn a_credential_not_yet_valid_is_not_recognised() {
    let mut early = accredited();
    early.now = issued_at() - Duration::days(1);
    let r = run(&mqf_credential(), "MQF", &early);
    assert_outcome(&r, Outcome::NotRecognised);
    assert!(r.decision.has(Finding::NotYetValid));
}

/// The report of the good MQF credential with one more failing check.
fn with_failing(check: CheckName, reason: &str) -> skillpass::decision::Decision {
    let vc = mqf_credential();
    let mut report = verify::verify(&vc, &accredited()).unwrap();
    assert!(report.verified, "{:?}", report.reasons());
    report.checks.push(Check {
        check,
        verified: false,
        reasons: vec![reason.to_owned()],
        notes: Vec::new(),
    });
    report.verified = false;
    let assessment = decision::assess_credential(FrameworkRegistry::bundled(), &vc, "MQF").unwrap();
    decide(&report, &assessment, &vc)
}

#[test]
fn revoked_and_suspended_credentials_are_not_recognised() {
    for (text, finding) in [
        ("revoked by its issuer", Finding::Revoked),
        ("suspended by its issuer", Finding::Suspended),
        (
            "status list https://x.example/status/1 does not verify: Proof: bad",
            Finding::StatusUnverifiable,
        ),
    ] {
        let d = with_failing(CheckName::Status, text);
        assert_eq!(d.outcome, Outcome::NotRecognised, "{text}");
        let reason = d
            .reason(finding)
            .unwrap_or_else(|| panic!("{text}: {:?}", d.findings()));
        assert_eq!(reason.element, Element::Authenticity);
        assert_eq!(reason.evidence.label, "status");
        assert_eq!(reason.evidence.details, vec![text.to_owned()]);
        assert!(!d.has(Finding::Authentic));
        assert!(
            d.summary
                .starts_with("Not recognised in MQF: authenticity: "),
            "{}",
            d.summary
        );
    }
}

#[test]
fn a_schema_violation_is_malformed() {
    let d = with_failing(CheckName::Schema, "/credentialSubject: missing achievement");
    assert!(d
        .reason(Finding::Malformed)
        .unwrap()
        .sentence
        .contains("Open Badges 3.0 schema"));
    assert_eq!(d.outcome, Outcome::NotRecognised);
}

#[test]
fn every_not_met_reason_is_listed_not_just_the_first() {
    let vc = mqf_credential();
    let mut report = verify::verify(&vc, &options(Some(vec![]))).unwrap();
    report.checks.push(Check {
        check: CheckName::Status,
        verified: false,
        reasons: vec!["revoked by its issuer".into()],
        notes: Vec::new(),
    });
    let assessment =
        decision::assess_credential(FrameworkRegistry::bundled(), &vc, "TH-TQF").unwrap();
    let d = decide(&report, &assessment, &vc);
    assert_eq!(d.outcome, Outcome::NotRecognised);
    for f in [
        Finding::Revoked,
        Finding::IssuerUnknown,
        Finding::LevelNoPath,
    ] {
        assert!(d.has(f), "{f:?} missing: {:?}", d.findings());
    }
    // The missing link is listed too, but it is not what refuses the credential.
    assert_eq!(
        d.summary,
        "Not recognised in TH-TQF: authenticity: revoked; quality assurance: issuer-unknown."
    );
    // Reasons come in element order.
    let elements: Vec<Element> = d.reasons.iter().map(|r| r.element).collect();
    let mut sorted = elements.clone();
    sorted.sort();
    assert_eq!(elements, sorted);
}

// ------------------------------------------------------------------------------------------
// Quality assurance
// ------------------------------------------------------------------------------------------

#[test]
fn an_issuer_not_in_the_registry_is_not_recognised() {
    let other = member(
        "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
        "accredited",
        None,
    );
    let r = run(&mqf_credential(), "MQF", &options(Some(vec![other])));
    assert_outcome(&r, Outcome::NotRecognised);
    let reason = r.decision.reason(Finding::IssuerUnknown).unwrap();
    assert_eq!(reason.element, Element::QualityAssurance);
    assert!(reason.sentence.contains(&issuer_did()));
    assert!(reason
        .sentence
        .contains("not in the alliance trust registry"));
    // Distinct from an altered credential: the signature holds.
    assert!(r.decision.has(Finding::Authentic));
}

#[test]
fn lapsed_or_withdrawn_accreditation_and_ended_membership_are_not_recognised() {
    for (status, until, expect) in [
        ("lapsed", None, "is lapsed"),
        ("withdrawn", None, "is withdrawn"),
        (
            "accredited",
            Some("2026-06-30T00:00:00Z"),
            "ended on 2026-06-30",
        ),
    ] {
        let r = run(
            &mqf_credential(),
            "MQF",
            &options(Some(vec![member(&issuer_did(), status, until)])),
        );
        assert_outcome(&r, Outcome::NotRecognised);
        let s = sentence(&r, Finding::AccreditationLapsed);
        assert!(
            s.contains("not in good standing") && s.contains(expect),
            "{s}"
        );
    }
}

#[test]
fn provisional_accreditation_is_a_condition() {
    let r = run(
        &mqf_credential(),
        "MQF",
        &options(Some(vec![member(&issuer_did(), "provisional", None)])),
    );
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let reason = r
        .decision
        .reason(Finding::AccreditationProvisional)
        .unwrap();
    assert_eq!(reason.effect, Effect::Condition);
    assert!(
        reason.sentence.contains("Malaysian Qualifications Agency"),
        "{}",
        reason.sentence
    );
    assert_eq!(r.decision.conditions, vec![reason.sentence.clone()]);
}

#[test]
fn without_a_registry_quality_assurance_is_unchecked_and_a_condition() {
    let r = run(&mqf_credential(), "MQF", &options(None));
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    assert_eq!(r.decision.conditions.len(), 1);
    assert!(sentence(&r, Finding::QualityAssuranceNotChecked).contains("not checked"));
}

struct Unreadable;

impl TrustRegistry for Unreadable {
    fn lookup(&self, _: &str, _: DateTime<Utc>) -> Result<TrustLookup, String> {
        Err("disk on fire".into())
    }
}

#[test]
fn an_unreadable_registry_is_not_taken_as_a_pass() {
    let mut opts = VerifyOptions::new(now());
    opts.trust = Some(Arc::new(Unreadable));
    let r = run(&mqf_credential(), "MQF", &opts);
    assert_outcome(&r, Outcome::NotRecognised);
    assert!(sentence(&r, Finding::RegistryUnavailable).contains("disk on fire"));
}

// ------------------------------------------------------------------------------------------
// Learning outcomes, profile, nothing to assess
// ------------------------------------------------------------------------------------------

#[test]
fn missing_learning_outcomes_are_a_condition() {
    let mut unsigned = build(
        &example_record("my-diploma-furniture-production.json"),
        &issuer_did(),
    );
    let alignment = unsigned["credentialSubject"]["achievement"]["alignment"]
        .as_array_mut()
        .unwrap();
    alignment.retain(|a| a["targetType"] != "ceasn:Competency");
    assert_eq!(alignment.len(), 2, "the level and field alignments stay");
    let vc = sign(&unsigned, &issuer_key(), Cryptosuite::EddsaRdfc2022);
    let r = run(&vc, "MQF", &accredited());
    assert_outcome(&r, Outcome::RecognisedWithConditions);
    let reason = r.decision.reason(Finding::LearningOutcomesMissing).unwrap();
    assert_eq!(reason.evidence.source, EvidenceSource::Credential);
    assert_eq!(
        reason.evidence.pointer,
        "/credentialSubject/achievement/alignment"
    );
    assert_eq!(r.decision.conditions.len(), 1);
}

#[test]
fn a_credential_without_level_credits_outcomes_or_profile() {
    let key = issuer_key();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:5b0c1f1e-7e55-4c8e-9a59-6f0d6c1d9e01",
        "type": ["VerifiableCredential"],
        "issuer": key.public_key().did_key(),
        "validFrom": "2026-08-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "achievement": {"name": "Welding basics"}},
    });
    let vc = sign(&unsigned, &key, Cryptosuite::EddsaJcs2022);
    let r = run(&vc, "MQF", &accredited());
    assert_outcome(&r, Outcome::CannotBeDecidedAutomatically);
    assert!(r.decision.has(Finding::Authentic));
    assert_eq!(
        r.decision.reason(Finding::LevelNotStated).unwrap().effect,
        Effect::Undecided
    );
    for f in [
        Finding::CreditsNotStated,
        Finding::LearningOutcomesMissing,
        Finding::ProfileNotStated,
    ] {
        assert_eq!(
            r.decision.reason(f).unwrap().effect,
            Effect::Condition,
            "{f:?}"
        );
    }
    assert!(r.assessment.level.is_none() && r.assessment.credits.is_none());
}

// ------------------------------------------------------------------------------------------
// Presentations
// ------------------------------------------------------------------------------------------

fn presented(credentials: &[Value], challenge: &str) -> Value {
    let options = PresentOptions {
        suite: Cryptosuite::EddsaRdfc2022,
        challenge: challenge.into(),
        domain: None,
        created: issued_at() + Duration::days(1),
        id: "urn:uuid:0e9d7f3a-3f5e-4d51-b0c9-5c1f7e0f1a22".into(),
    };
    presentation::present(
        credentials,
        &learner_key(),
        &options,
        &ContextRegistry::bundled(),
    )
    .unwrap()
}

/// The SZPU animation course: its subject is the example learner's DID.
fn animation_credential() -> Value {
    sign(
        &build(
            &example_record("szpu-3d-animation-production.json"),
            &issuer_did(),
        ),
        &issuer_key(),
        Cryptosuite::EddsaRdfc2022,
    )
}

#[test]
fn a_presentation_is_decided_on_its_credential() {
    let vp = presented(&[animation_credential()], "c-41");
    let mut opts = accredited();
    opts.challenge = Some("c-41".into());
    let r = run(&vp, "MQF", &opts);
    assert!(
        r.decision.has(Finding::Authentic),
        "{:#?}",
        r.decision.reasons
    );
    assert!(sentence(&r, Finding::Authentic).contains("presented by its subject"));
    // Evidence points into the embedded credential's report.
    let trust = r.decision.reason(Finding::IssuerAccredited).unwrap();
    assert!(
        trust.evidence.pointer.starts_with("/credentials/0/checks/"),
        "{}",
        trust.evidence.pointer
    );
    // ISCED 5 spans MQF 4 and 5; CN credits convert through the provisional MQF rule.
    assert!(r.decision.has(Finding::LevelSpan));
    assert!(r.decision.has(Finding::CreditsProvisionalRule));
    assert_eq!(r.decision.credential_id, animation_credential_id(&vp));

    opts.challenge = Some("another".into());
    let r = run(&vp, "MQF", &opts);
    assert_outcome(&r, Outcome::NotRecognised);
    let reason = r.decision.reason(Finding::PresentationInvalid).unwrap();
    assert_eq!(reason.evidence.label, "challenge");
    assert!(reason.sentence.contains("challenge"), "{}", reason.sentence);
}

fn animation_credential_id(vp: &Value) -> Option<String> {
    vp["verifiableCredential"][0]["id"]
        .as_str()
        .map(str::to_owned)
}

#[test]
fn a_presentation_must_carry_exactly_one_credential() {
    let vp = presented(&[animation_credential(), animation_credential()], "c");
    match credential_of(&vp) {
        Err(RecogniseError::NotOneCredential(2)) => {}
        other => panic!("{other:?}"),
    }
    let empty = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]});
    assert!(matches!(
        credential_of(&empty),
        Err(RecogniseError::NotOneCredential(0))
    ));
    assert!(matches!(
        credential_of(&json!([1])),
        Err(RecogniseError::NotAnObject)
    ));
}

// ------------------------------------------------------------------------------------------
// The decision as a credential
// ------------------------------------------------------------------------------------------

#[test]
fn the_decision_credential_verifies_with_both_suites_and_references_the_original() {
    let original = mqf_credential();
    let r = run(&original, "EQF", &accredited());
    let receiver = SecretKey::from_seed(&[42; 32]);
    let receiver_did = receiver.public_key().did_key();
    let unsigned =
        decision_credential(&r.decision, &original, &receiver_did, "Receiving college").unwrap();
    assert_eq!(
        unsigned["type"],
        json!([
            "VerifiableCredential",
            "https://w3id.org/skillpass/vocab#CreditTransferDecision"
        ])
    );
    let subject = &unsigned["credentialSubject"];
    assert_eq!(subject["recognisedCredential"], original["id"]);
    assert_eq!(subject["recognisedIssuer"], issuer_did().as_str());
    assert_eq!(subject["recognitionOutcome"], "recognised-with-conditions");
    assert_eq!(subject["receivingFramework"], "EQF");
    assert_eq!(subject["recognisedLevel"][0]["levelCode"], "5");
    assert_eq!(
        subject["creditsAwarded"],
        json!(4),
        "whole credits are JSON integers"
    );
    assert_eq!(subject["creditSystem"], "ECTS");
    assert_eq!(subject["referencingStatus"], "example");
    assert_eq!(
        subject["recognitionReason"].as_array().unwrap().len(),
        r.decision.reasons.len()
    );
    assert_eq!(
        subject["recognitionCondition"].as_array().unwrap().len(),
        r.decision.conditions.len()
    );
    // The learner has no DID in this record: the subject carries none.
    assert!(subject.get("id").is_none());

    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let mut unsigned = unsigned.clone();
        unsigned["id"] = format!("urn:uuid:{}", uuid::Uuid::new_v4()).into();
        unsigned["validFrom"] = "2026-09-01T08:00:00Z".into();
        let signed = sign(&unsigned, &receiver, suite);
        let report = verify::verify(&signed, &VerifyOptions::new(now())).unwrap();
        assert!(report.verified, "{suite}: {:?}", report.reasons());
        assert_eq!(report.issuer.as_deref(), Some(receiver_did.as_str()));
        // Every claim is signed: changing the outcome breaks the signature.
        let mut forged = signed.clone();
        forged["credentialSubject"]["recognitionOutcome"] = "recognised".into();
        let report = verify::verify(&forged, &VerifyOptions::new(now())).unwrap();
        assert!(!report.verified, "{suite}: a forged outcome verified");
    }
}

#[test]
fn a_decision_credential_carries_the_learner_when_the_subject_has_a_did() {
    let original = animation_credential();
    let r = run(&original, "MQF", &accredited());
    let unsigned =
        decision_credential(&r.decision, &original, "did:example:receiver", "R").unwrap();
    assert_eq!(
        unsigned["credentialSubject"]["id"],
        original["credentialSubject"]["id"]
    );
    // Fractional credits stay numbers (1.6 MQF credits rounds down to 1 with step 1).
    assert!(unsigned["credentialSubject"]["creditsAwarded"].is_number());
}

#[test]
fn a_decision_on_a_credential_without_an_id_cannot_become_a_credential() {
    let mut original = mqf_credential();
    original.as_object_mut().unwrap().remove("id");
    let r = run(&original, "MQF", &accredited());
    assert_eq!(
        decision_credential(&r.decision, &original, "did:example:r", "R"),
        Err(DecisionCredentialError::NoCredentialId)
    );
}
