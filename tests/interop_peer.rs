//! Interoperability both ways with Digital Bazaar's reference VC libraries (`tests/peers`):
//! what skillpass signs verifies there, and what the peer signs verifies here — credentials and
//! presentations, with both cryptosuites. The peer's loader knows only the standard contexts
//! (VC, Data Integrity, Multikey, status list, OB 3.0, …): nothing we sign may need another.

mod common;

use chrono::{TimeZone, Utc};
use common::fixtures::{self, root};
use common::peer;
use serde_json::Value;
use skillpass::contexts::ContextRegistry;
use skillpass::credential::{self, IssueParams};
use skillpass::keys::{self, SecretKey};
use skillpass::presentation::{self, PresentOptions};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::record;
use skillpass::verify::{self, CheckName, VerifyOptions};

const SUITES: [Cryptosuite; 2] = [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022];
/// Seeds of keys-example/issuer.example.json and learner.example.json.
const ISSUER_SEED: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const LEARNER_SEED: &str = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

fn issuer_key() -> SecretKey {
    keys::read_secret_key_file(&root().join("keys-example/issuer.example.json")).unwrap()
}

fn learner_key() -> SecretKey {
    keys::read_secret_key_file(&root().join("keys-example/learner.example.json")).unwrap()
}

fn example_records() -> Vec<(String, Value)> {
    fixtures::example_records()
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

fn sign_record(record: &Value, subject: Option<&str>, suite: Cryptosuite) -> Value {
    let key = issuer_key();
    let parsed = record::parse_record(record).unwrap();
    let params = IssueParams {
        id: uuid::Uuid::new_v4(),
        issuer: key.public_key().did_key(),
        valid_from: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
    };
    let mut unsigned = credential::build_credential(&parsed, &params).unwrap();
    if let Some(subject) = subject {
        unsigned["credentialSubject"]["id"] = subject.into();
        if let Some(map) = unsigned["credentialSubject"].as_object_mut() {
            map.remove("identifier");
        }
    }
    let options = ProofOptions {
        suite,
        verification_method: key.public_key().verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
        challenge: None,
        domain: None,
    };
    proof::sign(&unsigned, &key, &options, &ContextRegistry::bundled()).unwrap()
}

#[test]
fn credentials_skillpass_issues_verify_in_the_peer() {
    for (name, record) in example_records() {
        for suite in SUITES {
            let vc = sign_record(&record, None, suite);
            let out = peer::verify(&vc, &[]);
            assert_eq!(
                out.code, 0,
                "{name} / {suite}: peer says {}\n{}",
                out.stdout, out.stderr
            );
            assert_eq!(out.json()["verified"], true);
        }
    }
}

#[test]
fn the_peer_rejects_a_credential_skillpass_issued_and_someone_altered() {
    let (_, record) = &example_records()[0];
    for suite in SUITES {
        let mut vc = sign_record(record, None, suite);
        vc["credentialSubject"]["achievement"]["name"] = "Something else entirely".into();
        let out = peer::verify(&vc, &[]);
        assert_eq!(out.code, 1, "{suite}: {}", out.stdout);
    }
}

#[test]
fn presentations_skillpass_signs_verify_in_the_peer() {
    let learner = learner_key();
    let did = learner.public_key().did_key();
    let (_, record) = &example_records()[0];
    for suite in SUITES {
        let vc = sign_record(record, Some(&did), suite);
        let options = PresentOptions {
            suite,
            challenge: "c-8f2e1a".into(),
            domain: Some("employer.example".into()),
            created: Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap(),
            id: "urn:uuid:9a1b3c2d-0000-4000-8000-000000000001".into(),
        };
        let vp =
            presentation::present(&[vc], &learner, &options, &ContextRegistry::bundled()).unwrap();
        let out = peer::verify(
            &vp,
            &["--challenge", "c-8f2e1a", "--domain", "employer.example"],
        );
        assert_eq!(out.code, 0, "{suite}: {}\n{}", out.stdout, out.stderr);

        // The peer compares the challenge too: a replay to another verifier fails there.
        let out = peer::verify(&vp, &["--challenge", "other"]);
        assert_eq!(out.code, 1, "{suite}: {}", out.stdout);
    }
}

fn peer_issue(unsigned: &Value, suite: Cryptosuite) -> Value {
    let out = peer::issue(
        unsigned,
        ISSUER_SEED,
        &[
            "--suite",
            suite.name(),
            "--set-issuer",
            "--created",
            "2026-07-01T00:00:00Z",
        ],
    );
    assert_eq!(out.code, 0, "peer issue failed: {}", out.stderr);
    out.json()
}

#[test]
fn credentials_the_peer_issues_verify_in_skillpass() {
    let now = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let sample: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("benches/peer-learning-outcome.json")).unwrap(),
    )
    .unwrap();
    let key = issuer_key();
    let mut unsigned_ours = sign_record(&example_records()[0].1, None, Cryptosuite::EddsaRdfc2022);
    unsigned_ours.as_object_mut().unwrap().remove("proof");
    for (unsigned, schema_valid) in [(sample, false), (unsigned_ours, true)] {
        for suite in SUITES {
            let vc = peer_issue(&unsigned, suite);
            assert_eq!(vc["issuer"]["id"], key.public_key().did_key());
            let report = verify::verify(&vc, &VerifyOptions::new(now)).unwrap();
            for check in &report.checks {
                if check.check == CheckName::Schema && !schema_valid {
                    // peer-js's sample omits `targetUrl`, which the OB 3.0 schema requires of
                    // every alignment: the signature is fine, the shape is not.
                    assert!(!check.verified);
                    assert!(
                        check.reasons.iter().all(|r| r.contains("targetUrl")),
                        "{check:?}"
                    );
                } else {
                    assert!(check.verified, "{suite}: {check:?}");
                }
            }

            // And a change the peer's signature does not cover is caught here.
            let mut altered = vc.clone();
            altered["validFrom"] = "2020-01-01T00:00:00Z".into();
            let report = verify::verify(&altered, &VerifyOptions::new(now)).unwrap();
            assert!(!report.verified, "{suite}: altered credential verified");
        }
    }
}

#[test]
fn presentations_the_peer_signs_verify_in_skillpass() {
    let now = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let did = learner_key().public_key().did_key();
    let vc = sign_record(
        &example_records()[0].1,
        Some(&did),
        Cryptosuite::EddsaRdfc2022,
    );
    let dir = tempfile::tempdir().unwrap();
    let vc_file = dir.path().join("vc.json");
    std::fs::write(&vc_file, vc.to_string()).unwrap();
    for suite in SUITES {
        let out = peer::run(
            "present.mjs",
            &[
                "--seed",
                LEARNER_SEED,
                "--challenge",
                "n-0451",
                "--domain",
                "college.example",
                "--suite",
                suite.name(),
                vc_file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.code, 0, "peer present failed: {}", out.stderr);
        let vp = out.json();

        let mut options = VerifyOptions::new(now);
        options.challenge = Some("n-0451".into());
        options.domain = Some("college.example".into());
        let report = verify::verify(&vp, &options).unwrap();
        assert!(report.verified, "{suite}: {:?}", report.reasons());

        options.challenge = Some("n-9999".into());
        let report = verify::verify(&vp, &options).unwrap();
        assert!(!report.verified, "{suite}: wrong challenge accepted");
    }
}
