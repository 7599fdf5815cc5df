//! The library side of the trust registry: the verifier's `trust` check for every standing,
//! and signed registry documents (sign, verify, tamper, wrong publisher, expiry).

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::keys::{self, SecretKey};
use skillpass::presentation::{self, PresentOptions};
use skillpass::proof::Cryptosuite;
use skillpass::registry::{
    self, AccreditationStatus, Member, QualityAssurance, Registry, RegistryError, TrustLookup,
    TrustRegistry,
};
use skillpass::verify::{self, CheckName, VerificationReport, VerifyOptions};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()
}

fn issuer_key() -> SecretKey {
    keys::read_secret_key_file(&root().join("keys-example/issuer.example.json")).unwrap()
}

fn credential() -> Value {
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/records/szpu-3d-animation-production.json"))
            .unwrap(),
    )
    .unwrap();
    skillpass::credential::issue_offline(
        &record,
        &issuer_key(),
        Cryptosuite::EddsaRdfc2022,
        now() - Duration::days(30),
    )
    .unwrap()
}

fn issuer_did() -> String {
    issuer_key().public_key().did_key()
}

fn member(status: AccreditationStatus) -> Member {
    Member {
        id: "szpu".into(),
        name: "Shenzhen Polytechnic University".into(),
        country: "CN".into(),
        dids: vec![issuer_did()],
        nodes: vec![],
        framework: "CN-VOC".into(),
        quality_assurance: QualityAssurance {
            body: "Guangdong Provincial Department of Education".into(),
            status,
            reference: None,
        },
        valid_from: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
        valid_until: Some(Utc.with_ymd_and_hms(2027, 12, 31, 0, 0, 0).unwrap()),
    }
}

fn verify_with(doc: &Value, members: Vec<Member>) -> VerificationReport {
    let mut options = VerifyOptions::new(now());
    options.trust = Some(Arc::new(Registry::new(members).unwrap()));
    verify::verify(doc, &options).unwrap()
}

fn trust(report: &VerificationReport) -> &verify::Check {
    report.check(CheckName::Trust).expect("a trust check")
}

#[test]
fn trusted_issuer_passes_without_notes() {
    let report = verify_with(&credential(), vec![member(AccreditationStatus::Accredited)]);
    assert!(report.verified, "{:?}", report.reasons());
    let check = trust(&report);
    assert!(check.verified && check.reasons.is_empty() && check.notes.is_empty());
    let json = serde_json::to_value(check).unwrap();
    assert_eq!(json, json!({"check": "trust", "verified": true}));
}

#[test]
fn provisional_accreditation_passes_with_a_note() {
    let report = verify_with(
        &credential(),
        vec![member(AccreditationStatus::Provisional)],
    );
    assert!(report.verified, "{:?}", report.reasons());
    let check = trust(&report);
    assert_eq!(check.notes.len(), 1);
    assert!(
        check.notes[0].starts_with("provisional accreditation:"),
        "{}",
        check.notes[0]
    );
    assert!(check.notes[0].contains("Guangdong Provincial Department of Education"));
    assert_eq!(
        serde_json::to_value(check).unwrap()["notes"][0],
        check.notes[0].as_str()
    );
}

#[test]
fn lapsed_or_withdrawn_accreditation_fails_with_the_reason() {
    for status in [AccreditationStatus::Lapsed, AccreditationStatus::Withdrawn] {
        let report = verify_with(&credential(), vec![member(status)]);
        assert!(!report.verified);
        let check = trust(&report);
        assert_eq!(
            check.reasons,
            [format!(
                "issuer not in good standing: the accreditation of Shenzhen Polytechnic University (szpu) by Guangdong Provincial Department of Education is {status}"
            )]
        );
        // Only the trust check fails: the credential is neither altered nor revoked.
        let failed: Vec<CheckName> = report
            .checks
            .iter()
            .filter(|c| !c.verified)
            .map(|c| c.check)
            .collect();
        assert_eq!(failed, [CheckName::Trust]);
    }
}

#[test]
fn membership_outside_its_period_fails() {
    let mut ended = member(AccreditationStatus::Accredited);
    ended.valid_until = Some(now() - Duration::days(1));
    let report = verify_with(&credential(), vec![ended]);
    assert!(!report.verified);
    let reason = &trust(&report).reasons[0];
    assert!(
        reason.starts_with("issuer not in good standing: the membership of"),
        "{reason}"
    );
    assert!(reason.contains("ended on 2026-08-31T08:00:00Z"), "{reason}");

    let mut future = member(AccreditationStatus::Accredited);
    future.valid_from = now() + Duration::days(1);
    future.valid_until = None;
    let report = verify_with(&credential(), vec![future]);
    assert!(trust(&report).reasons[0].contains("starts on 2026-09-02T08:00:00Z"));
}

#[test]
fn an_issuer_not_in_the_registry_is_unknown_not_altered() {
    let mut other = member(AccreditationStatus::Accredited);
    other.id = "other".into();
    other.dids = vec!["did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2".into()];
    let report = verify_with(&credential(), vec![other]);
    assert!(!report.verified);
    assert_eq!(
        trust(&report).reasons,
        [format!(
            "issuer unknown: {} is not a member of the alliance registry",
            issuer_did()
        )]
    );
    assert!(report.check(CheckName::Proof).unwrap().verified);

    // An altered credential from an unknown issuer reports both, each under its own name.
    let mut altered = credential();
    altered["credentialSubject"]["achievement"]["name"] = "Something else".into();
    let report = verify_with(&altered, vec![]);
    assert!(!report.check(CheckName::Proof).unwrap().verified);
    assert!(trust(&report).reasons[0].starts_with("issuer unknown:"));
}

#[test]
fn without_a_registry_there_is_no_trust_check() {
    let report = verify::verify(&credential(), &VerifyOptions::new(now())).unwrap();
    assert!(report.verified);
    assert!(report.check(CheckName::Trust).is_none());
}

struct Broken;

impl TrustRegistry for Broken {
    fn lookup(&self, _: &str, _: DateTime<Utc>) -> Result<TrustLookup, String> {
        Err("disk on fire".into())
    }
}

#[test]
fn an_unreadable_registry_fails_closed_and_says_why() {
    let mut options = VerifyOptions::new(now());
    options.trust = Some(Arc::new(Broken));
    let report = verify::verify(&credential(), &options).unwrap();
    assert!(!report.verified);
    assert_eq!(
        trust(&report).reasons,
        ["the alliance registry could not be consulted: disk on fire"]
    );
}

#[test]
fn credentials_inside_a_presentation_get_their_own_trust_check() {
    let learner =
        keys::read_secret_key_file(&root().join("keys-example/learner.example.json")).unwrap();
    let vp = presentation::present(
        &[credential()],
        &learner,
        &PresentOptions {
            suite: Cryptosuite::EddsaRdfc2022,
            challenge: "c-1".into(),
            domain: None,
            created: now(),
            id: "urn:uuid:6d1c7d36-3f0e-4c8e-9a4f-1b2c3d4e5f60".into(),
        },
        &ContextRegistry::bundled(),
    )
    .unwrap();
    let mut options = VerifyOptions::new(now());
    options.challenge = Some("c-1".into());
    options.trust = Some(Arc::new(Registry::default()));
    let report = verify::verify(&vp, &options).unwrap();
    // The holder (a learner) is not looked up; the issuer of the credential is.
    assert!(report.check(CheckName::Trust).is_none());
    assert!(trust(&report.credentials[0]).reasons[0].starts_with("issuer unknown:"));
    assert!(!report.verified);

    options.trust = Some(Arc::new(
        Registry::new(vec![member(AccreditationStatus::Accredited)]).unwrap(),
    ));
    let report = verify::verify(&vp, &options).unwrap();
    assert!(report.verified, "{:?}", report.reasons());
}

// ---- signed registry documents ----

fn publisher() -> SecretKey {
    SecretKey::from_seed(&[7; 32])
}

fn signed() -> Value {
    registry::document::sign_registry(
        &[member(AccreditationStatus::Accredited)],
        &publisher(),
        now(),
        Duration::days(30),
    )
    .unwrap()
}

#[test]
fn a_signed_registry_verifies_from_its_publisher() {
    let doc = signed();
    assert_eq!(
        doc["type"],
        json!(["VerifiableCredential", "TrustRegistryCredential"])
    );
    assert_eq!(doc["issuer"], publisher().public_key().did_key());
    assert_eq!(doc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(doc["validUntil"], "2026-10-01T08:00:00Z");
    let members = registry::document::verify_registry(
        &doc,
        &publisher().public_key().did_key(),
        &VerifyOptions::new(now()),
    )
    .unwrap();
    assert_eq!(members, [member(AccreditationStatus::Accredited)]);
}

#[test]
fn a_tampered_registry_is_refused() {
    let did = publisher().public_key().did_key();
    let mut doc = signed();
    doc["credentialSubject"]["members"][0]["qualityAssurance"]["status"] = "provisional".into();
    match registry::document::verify_registry(&doc, &did, &VerifyOptions::new(now())) {
        Err(RegistryError::NotVerified(reasons)) => {
            assert!(
                reasons
                    .iter()
                    .any(|r| r.contains("signature does not match")),
                "{reasons:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    // Adding a member is tampering too.
    let mut doc = signed();
    let mut extra = doc["credentialSubject"]["members"][0].clone();
    extra["id"] = "rogue".into();
    extra["dids"] = json!(["did:key:z6MkrogueROGUE"]);
    doc["credentialSubject"]["members"]
        .as_array_mut()
        .unwrap()
        .push(extra);
    assert!(matches!(
        registry::document::verify_registry(&doc, &did, &VerifyOptions::new(now())),
        Err(RegistryError::NotVerified(_))
    ));
}

#[test]
fn a_registry_from_another_publisher_is_refused() {
    let doc = signed();
    let expected = SecretKey::from_seed(&[8; 32]).public_key().did_key();
    match registry::document::verify_registry(&doc, &expected, &VerifyOptions::new(now())) {
        Err(RegistryError::WrongPublisher { expected: e, found }) => {
            assert_eq!(e, expected);
            assert_eq!(found, publisher().public_key().did_key());
        }
        other => panic!("{other:?}"),
    }
    // Re-labelling the issuer to the expected DID breaks the signature and the key binding.
    let mut relabelled = doc.clone();
    relabelled["issuer"] = expected.clone().into();
    assert!(matches!(
        registry::document::verify_registry(&relabelled, &expected, &VerifyOptions::new(now())),
        Err(RegistryError::NotVerified(_))
    ));
}

#[test]
fn an_expired_or_unsigned_or_mistyped_registry_is_refused() {
    let did = publisher().public_key().did_key();
    let later = VerifyOptions::new(now() + Duration::days(31));
    match registry::document::verify_registry(&signed(), &did, &later) {
        Err(RegistryError::NotVerified(reasons)) => {
            assert!(reasons.iter().any(|r| r.contains("expired")), "{reasons:?}")
        }
        other => panic!("{other:?}"),
    }
    let mut unsigned = signed();
    unsigned.as_object_mut().unwrap().remove("proof");
    assert!(matches!(
        registry::document::verify_registry(&unsigned, &did, &VerifyOptions::new(now())),
        Err(RegistryError::NotVerified(_))
    ));
    // A credential that is not a registry document, even one signed by the publisher.
    let mut other = signed();
    other["type"] = json!(["VerifiableCredential"]);
    assert!(matches!(
        registry::document::verify_registry(&other, &did, &VerifyOptions::new(now())),
        Err(RegistryError::NotARegistry(_))
    ));
}

#[test]
fn signing_refuses_an_invalid_registry() {
    let mut twice = member(AccreditationStatus::Accredited);
    twice.id = "again".into();
    let result = registry::document::sign_registry(
        &[member(AccreditationStatus::Accredited), twice],
        &publisher(),
        now(),
        Duration::days(30),
    );
    assert!(
        matches!(result, Err(RegistryError::DidTaken { .. })),
        "{result:?}"
    );
}

/// A registry document signed with eddsa-jcs-2022 by the previous version (bare member slugs,
/// no inline context; `tests/fixtures/registry-jcs/README.md`) still verifies and imports, and
/// one altered after signing does not.
#[test]
fn a_registry_signed_by_the_previous_version_still_verifies() {
    let doc: Value =
        serde_json::from_str(include_str!("fixtures/registry-jcs/registry.json")).unwrap();
    assert_eq!(doc["proof"]["cryptosuite"], "eddsa-jcs-2022");
    let publisher = issuer_did();
    let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let members =
        registry::document::verify_registry(&doc, &publisher, &VerifyOptions::new(at)).unwrap();
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["kpm", "zvp"]);

    let mut forged = doc.clone();
    forged["credentialSubject"]["members"][1]["qualityAssurance"]["status"] = json!("accredited");
    assert!(
        registry::document::verify_registry(&forged, &publisher, &VerifyOptions::new(at)).is_err()
    );
}

/// What this version signs: member ids as `urn:skillpass:member:<slug>` IRIs, read back as slugs.
#[test]
fn member_ids_are_iris_in_the_document_and_slugs_after_verification() {
    let key = issuer_key();
    let members = vec![member(AccreditationStatus::Accredited)];
    let doc = registry::document::sign_registry(&members, &key, now(), Duration::days(30)).unwrap();
    let id = doc["credentialSubject"]["members"][0]["id"]
        .as_str()
        .unwrap();
    assert_eq!(id, format!("urn:skillpass:member:{}", members[0].id));
    let back = registry::document::verify_registry(&doc, &issuer_did(), &VerifyOptions::new(now()))
        .unwrap();
    assert_eq!(back, members);
}

/// A member's `nodes` are signed like every other field: they come back after verification,
/// and a node swapped after signing (pointing verifiers at another host) breaks the proof.
#[test]
fn member_nodes_are_covered_by_the_signature() {
    let key = issuer_key();
    let mut m = member(AccreditationStatus::Accredited);
    m.nodes = vec!["https://skillpass.szpu.edu.cn".into()];
    let doc = registry::document::sign_registry(
        std::slice::from_ref(&m),
        &key,
        now(),
        Duration::days(30),
    )
    .unwrap();
    assert_eq!(
        doc["credentialSubject"]["members"][0]["nodes"],
        json!(["https://skillpass.szpu.edu.cn"])
    );
    let back = registry::document::verify_registry(&doc, &issuer_did(), &VerifyOptions::new(now()))
        .unwrap();
    assert_eq!(back, vec![m]);

    let mut forged = doc.clone();
    forged["credentialSubject"]["members"][0]["nodes"] = json!(["https://attacker.example"]);
    assert!(matches!(
        registry::document::verify_registry(&forged, &issuer_did(), &VerifyOptions::new(now())),
        Err(RegistryError::NotVerified(_))
    ));
    // Without nodes the document carries no `nodes` key at all, as before.
    let plain = registry::document::sign_registry(
        &[member(AccreditationStatus::Accredited)],
        &key,
        now(),
        Duration::days(30),
    )
    .unwrap();
    assert!(plain["credentialSubject"]["members"][0]
        .get("nodes")
        .is_none());
}
