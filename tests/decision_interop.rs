//! The decision credential is read the same way by Digital Bazaar's reference libraries
//! (`tests/peers`): same canonical N-Quads, and the peer verifies our signatures over
//! it with both cryptosuites. This is what proves the terms added to the skillpass context for
//! decisions are well-formed JSON-LD, not just accepted by our own canonicalizer.

mod common;

use std::path::Path;

use chrono::{TimeZone, Utc};
use common::peer;
use serde_json::Value;
use skillpass::canon::canonicalize;
use skillpass::contexts::{ContextRegistry, SKILLPASS_V1};
use skillpass::decision::{decision_credential, recognise};
use skillpass::frameworks::FrameworkRegistry;
use skillpass::keys::{self, SecretKey};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::verify::VerifyOptions;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn context_file() -> std::path::PathBuf {
    root().join("schemas/contexts/skillpass-v1.jsonld")
}

/// Decision credentials (unsigned) for the example records in a few frameworks: spans,
/// fractional credits, no credits, not recognised, a learner DID or none.
fn decisions() -> Vec<Value> {
    let issuer =
        keys::read_secret_key_file(&root().join("keys-example/issuer.example.json")).unwrap();
    let mut out = Vec::new();
    for (i, record) in [
        "my-diploma-furniture-production.json",
        "szpu-3d-animation-production.json",
        "zw-solar-pv-installation.json",
    ]
    .iter()
    .enumerate()
    {
        let text = std::fs::read_to_string(root().join("examples/records").join(record)).unwrap();
        let mut record: Value = serde_json::from_str(&text).unwrap();
        record["issuer"].as_object_mut().unwrap().remove("id");
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
        let vc =
            skillpass::credential::issue_offline(&record, &issuer, Cryptosuite::EddsaRdfc2022, now)
                .unwrap();
        for receiving in ["MQF", "EQF", "ZNQF", "TH-TQF", "LA-NVQF"] {
            let r = recognise(
                &vc,
                receiving,
                FrameworkRegistry::bundled(),
                &VerifyOptions::new(now),
            )
            .unwrap();
            let mut unsigned =
                decision_credential(&r.decision, &vc, "did:example:receiver", "Receiver").unwrap();
            unsigned["id"] =
                format!("urn:uuid:00000000-0000-4000-8000-{i:06}{:06}", out.len()).into();
            unsigned["validFrom"] = "2026-09-01T00:00:00Z".into();
            out.push(unsigned);
        }
    }
    out
}

#[test]
fn decision_credentials_canonicalize_as_jsonld_js_does() {
    let file = context_file();
    for doc in decisions() {
        let ours = canonicalize(&doc, &ContextRegistry::bundled()).unwrap();
        let theirs = peer::canon(&doc, &[(SKILLPASS_V1, &file)]);
        assert_eq!(
            theirs.code, 0,
            "jsonld.js refused: {}\n{doc:#}",
            theirs.stderr
        );
        assert_eq!(ours, theirs.stdout, "canonical forms differ for\n{doc:#}");
        // Every decision term is mapped: nothing falls to an undefined-term IRI.
        assert!(!ours.contains("urn:x-skillpass"), "{ours}");
        assert!(ours.contains("https://w3id.org/skillpass/vocab#recognitionOutcome"));
    }
}

#[test]
fn the_peer_verifies_signed_decision_credentials() {
    let key = SecretKey::from_seed(&[42; 32]);
    let did = key.public_key().did_key();
    let ctx = format!("{SKILLPASS_V1}={}", context_file().display());
    let mut unsigned = decisions().swap_remove(1);
    unsigned["issuer"]["id"] = did.clone().into();
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let options = ProofOptions {
            suite,
            verification_method: key.public_key().verification_method_id(),
            purpose: ProofPurpose::AssertionMethod,
            created: Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap(),
            challenge: None,
            domain: None,
        };
        let signed = proof::sign(&unsigned, &key, &options, &ContextRegistry::bundled()).unwrap();
        let out = peer::verify(&signed, &["--context", &ctx]);
        assert_eq!(
            out.code, 0,
            "{suite}: peer says {}\n{}",
            out.stdout, out.stderr
        );
        let mut forged = signed.clone();
        forged["credentialSubject"]["recognitionOutcome"] = "recognised".into();
        let out = peer::verify(&forged, &["--context", &ctx]);
        assert_eq!(
            out.code, 1,
            "{suite}: the peer accepted a forged outcome: {}",
            out.stdout
        );
    }
}
