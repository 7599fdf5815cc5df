//! The W3C vc-di-eddsa test vectors (tests/vectors/README.md): canonical forms and proof values
//! reproduced exactly from the spec key, signed vectors verified, tampered copies rejected.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use skillpass::canon;
use skillpass::contexts::ContextRegistry;
use skillpass::did::{DidError, DidKeyResolver, DidResolver, VerificationMethod};
use skillpass::jcs;
use skillpass::keys::{PublicKey, SecretKey};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::verify::{self, CheckName, VerifyOptions};

const SPEC_SEED: &str = "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6";
const SPEC_VM: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
const EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";
const CITIZENSHIP_V4RC1: &str = "https://w3id.org/citizenship/v4rc1";

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn read(rel: &str) -> String {
    fs::read_to_string(vectors().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap()
}

/// Bundled contexts plus the two test-only contexts the vectors use.
fn registry() -> ContextRegistry {
    let mut r = ContextRegistry::bundled();
    r.insert(EXAMPLES_V2, &read("contexts/credentials-examples-v2.json"))
        .unwrap();
    r.insert(
        CITIZENSHIP_V4RC1,
        &read("contexts/citizenship-v4rc1.jsonld"),
    )
    .unwrap();
    r
}

fn spec_key() -> SecretKey {
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = u8::from_str_radix(&SPEC_SEED[2 * i..2 * i + 2], 16).unwrap();
    }
    SecretKey::from_seed(&seed)
}

fn spec_created() -> DateTime<Utc> {
    "2023-02-24T23:36:38Z".parse().unwrap()
}

fn options(suite: Cryptosuite) -> ProofOptions {
    ProofOptions {
        suite,
        verification_method: SPEC_VM.into(),
        purpose: ProofPurpose::AssertionMethod,
        created: spec_created(),
        challenge: None,
        domain: None,
    }
}

fn verify_options() -> VerifyOptions {
    let mut o = VerifyOptions::new("2024-01-01T00:00:00Z".parse().unwrap());
    o.contexts = registry();
    o
}

#[test]
fn spec_key_is_the_vector_key() {
    let pair = json("keyPair.json");
    let key = spec_key();
    assert_eq!(
        key.public_key().to_multibase(),
        pair["publicKeyMultibase"].as_str().unwrap()
    );
    assert_eq!(
        key.to_multibase().as_str(),
        pair["privateKeyMultibase"].as_str().unwrap()
    );
}

#[test]
fn rdfc_canonical_document_matches_the_spec() {
    let canonical = canon::canonicalize(&json("unsigned.json"), &registry()).unwrap();
    assert_eq!(canonical, read("eddsa-rdfc-2022/canonDocDataInt.txt"));
}

#[test]
fn rdfc_signature_reproduces_the_spec_vector_exactly() {
    let signed = proof::sign(
        &json("unsigned.json"),
        &spec_key(),
        &options(Cryptosuite::EddsaRdfc2022),
        &registry(),
    )
    .unwrap();
    assert_eq!(signed, json("eddsa-rdfc-2022/signedDataInt.json"));
}

#[test]
fn jcs_canonical_document_matches_the_spec() {
    let canonical = jcs::canonicalize(&json("unsigned.json")).unwrap();
    assert_eq!(canonical, read("eddsa-jcs-2022/canonDocJCS.txt").trim_end());
}

#[test]
fn jcs_signature_reproduces_the_spec_vector_exactly() {
    let signed = proof::sign(
        &json("unsigned.json"),
        &spec_key(),
        &options(Cryptosuite::EddsaJcs2022),
        &registry(),
    )
    .unwrap();
    assert_eq!(signed, json("eddsa-jcs-2022/signedJCS.json"));
}

/// The employment vector gives one node two types with scoped contexts (both must apply): the
/// canonical document, the signature and the whole signed document are the spec's, and the
/// spec-signed copy verifies. (The previous oxjsonld path lost terms here and had to refuse it.)
#[test]
fn the_employment_vector_is_reproduced_exactly() {
    let unsigned = json("employmentAuth.json");
    assert_eq!(
        canon::canonicalize(&unsigned, &registry()).unwrap(),
        read("eddsa-rdfc-2022/employ/canonDocDataInt.txt")
    );
    let signed = proof::sign(
        &unsigned,
        &spec_key(),
        &options(Cryptosuite::EddsaRdfc2022),
        &registry(),
    )
    .unwrap();
    assert_eq!(signed, json("eddsa-rdfc-2022/employ/signedDataInt.json"));
    let report = verify::verify(&signed, &verify_options()).unwrap();
    assert!(
        report.check(CheckName::Proof).unwrap().verified,
        "{:?}",
        report.reasons()
    );
}

/// The signed vectors verify, but their issuer is not their key: the report must say exactly that.
#[test]
fn signed_vectors_verify_with_the_issuer_mismatch_reported() {
    for rel in [
        "eddsa-rdfc-2022/signedDataInt.json",
        "eddsa-jcs-2022/signedJCS.json",
        "variants/rdfc-reordered-keys.json",
        "variants/jcs-reordered-keys.json",
    ] {
        let report = verify::verify(&json(rel), &verify_options()).unwrap();
        let status = |name| report.check(name).unwrap().verified;
        assert!(status(CheckName::Proof), "{rel}: {:?}", report.reasons());
        assert!(status(CheckName::ProofPurpose), "{rel}");
        assert!(status(CheckName::ValidityWindow), "{rel}");
        assert!(!status(CheckName::IssuerBinding), "{rel}");
        assert!(!report.verified, "{rel}");
        let reasons = report.reasons().join("\n");
        assert!(
            reasons.contains("https://vc.example/issuers/5678"),
            "{reasons}"
        );
    }
}

#[test]
fn tampered_vectors_are_rejected() {
    let dir = vectors().join("tampered");
    let mut seen = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let report = verify::verify(&doc, &verify_options())
            .unwrap_or_else(|e| panic!("{}: could not check: {e}", path.display()));
        assert!(
            !report.check(CheckName::Proof).unwrap().verified,
            "{} passed the proof check",
            path.display()
        );
        seen += 1;
    }
    assert_eq!(seen, 8);
}

/// Resolves the Ed25519Signature2020 vector's `https://` verification method to the spec key,
/// standing in for the issuer's controller document; everything else goes to did:key.
struct VectorResolver;

impl DidResolver for VectorResolver {
    fn resolve_method(&self, url: &str) -> Result<VerificationMethod, DidError> {
        if let Some(fragment) = url.strip_prefix("https://vc.example/issuers/5678#") {
            return Ok(VerificationMethod {
                id: url.to_owned(),
                controller: "https://vc.example/issuers/5678".into(),
                public_key: PublicKey::from_multibase(fragment).unwrap(),
            });
        }
        DidKeyResolver.resolve_method(url)
    }
}

#[test]
fn ed25519_signature_2020_vector_verifies() {
    let mut options = verify_options();
    options.resolver = Arc::new(VectorResolver);
    let doc = json("ed25519-signature-2020/signedEdSig.json");
    let report = verify::verify(&doc, &options).unwrap();
    assert!(report.verified, "{:?}", report.reasons());

    let mut altered = doc.clone();
    altered["credentialSubject"]["alumniOf"] = "The School of Forgeries".into();
    let report = verify::verify(&altered, &options).unwrap();
    assert!(!report.check(CheckName::Proof).unwrap().verified);
}

#[test]
fn an_unknown_context_is_an_error_naming_the_url() {
    // The examples context is bundled now (test vocabulary); a context nobody bundles means the
    // vector cannot be checked at all.
    const UNKNOWN: &str = "https://unknown.example/contexts/v1";
    let mut doc = json("eddsa-rdfc-2022/signedDataInt.json");
    for ctx in doc["@context"].as_array_mut().unwrap() {
        if ctx == EXAMPLES_V2 {
            *ctx = UNKNOWN.into();
        }
    }
    let err = verify::verify(&doc, &VerifyOptions::new(Utc::now())).unwrap_err();
    assert!(err.to_string().contains(UNKNOWN), "{err}");
}
