//! Tampering: for every leaf value of a realistic credential, a change breaks verification; so do
//! adding or removing a claim, reordering list items, and changing any proof field.

use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::credential::{self, IssueParams};
use skillpass::keys::{self, SecretKey};
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::record;
use skillpass::verify::{self, CheckName, VerifyOptions};

const SUITES: [Cryptosuite; 2] = [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022];

fn issuer() -> SecretKey {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    keys::read_secret_key_file(&root.join("keys-example/issuer.example.json")).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()
}

/// The Malaysian diploma module: name + local identifier learner, grade, result description,
/// five learning outcomes; plus an OB 3.0 `allowedValue` (a JSON-LD `@list`) on the grade scale.
fn unsigned() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("examples/records/my-diploma-furniture-production.json"))
            .unwrap();
    let record = record::parse_record(&serde_json::from_str(&text).unwrap()).unwrap();
    let params = IssueParams {
        id: uuid::Uuid::from_u128(0x1234),
        issuer: issuer().public_key().did_key(),
        valid_from: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
    };
    let mut vc = credential::build_credential(&record, &params).unwrap();
    vc["validUntil"] = "2031-07-01T00:00:00Z".into();
    let description = &mut vc["credentialSubject"]["achievement"]["resultDescription"][0];
    description["allowedValue"] = json!(["A", "A-", "B+", "B", "C", "F"]);
    vc
}

fn sign(doc: &Value, suite: Cryptosuite) -> Value {
    let key = issuer();
    let options = ProofOptions {
        suite,
        verification_method: key.public_key().verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
        challenge: None,
        domain: None,
    };
    proof::sign(doc, &key, &options, &ContextRegistry::bundled()).unwrap()
}

/// Every leaf's JSON Pointer.
fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(
                    v,
                    format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                )
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{path}/{i}"), out)
            }
        }
        _ => out.push(path),
    }
}

/// A different value of the same kind, so the change is plausible rather than malformed.
fn altered(value: &Value) -> Value {
    match value {
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => json!(i + 1),
            None => json!(n.as_f64().unwrap() + 0.5),
        },
        Value::String(s) => {
            if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                return Value::String((t + Duration::days(1)).to_rfc3339());
            }
            if let Some(rest) = s.strip_prefix("urn:uuid:") {
                let flipped = if rest.ends_with('0') { '1' } else { '0' };
                return format!("urn:uuid:{}{flipped}", &rest[..rest.len() - 1]).into();
            }
            if s.starts_with("did:key:z6Mk") {
                // Another valid Ed25519 did:key, so the change is not caught as malformed.
                return SecretKey::from_seed(&[9; 32]).public_key().did_key().into();
            }
            format!("{s}x").into()
        }
        other => panic!("not a leaf: {other}"),
    }
}

/// `true` when the report rejects the document because its signature does not cover it.
fn proof_fails(doc: &Value) -> bool {
    match verify::verify(doc, &VerifyOptions::new(now())) {
        Ok(report) => !report.verified && !report.check(CheckName::Proof).unwrap().verified,
        Err(_) => false,
    }
}

#[test]
fn the_untouched_credential_verifies() {
    for suite in SUITES {
        let report = verify::verify(&sign(&unsigned(), suite), &VerifyOptions::new(now())).unwrap();
        assert!(report.verified, "{suite}: {:?}", report.reasons());
    }
}

#[test]
fn changing_any_leaf_value_breaks_verification() {
    for suite in SUITES {
        let signed = sign(&unsigned(), suite);
        let mut paths = Vec::new();
        leaves(&signed, String::new(), &mut paths);
        assert!(paths.len() > 60, "only {} leaves", paths.len());
        for path in paths {
            let mut doc = signed.clone();
            let leaf = doc.pointer_mut(&path).unwrap();
            *leaf = altered(leaf);
            let outcome = verify::verify(&doc, &VerifyOptions::new(now()));
            let what = format!("{suite}: changing {path}");
            if path.starts_with("/@context")
                || path == "/proof/0/type"
                || path == "/proof/0/cryptosuite"
            {
                // A context, proof type or suite we do not know: the document cannot be checked.
                match outcome {
                    Err(_) => {}
                    Ok(report) => assert!(!report.verified, "{what} still verified"),
                }
            } else {
                let report = outcome.unwrap_or_else(|e| panic!("{what}: could not check: {e}"));
                assert!(!report.verified, "{what} still verified");
                let failed: Vec<CheckName> = report
                    .checks
                    .iter()
                    .filter(|c| !c.verified)
                    .map(|c| c.check)
                    .collect();
                assert!(
                    failed.contains(&CheckName::Proof) || path.starts_with("/proof/"),
                    "{what}: only {failed:?} failed"
                );
            }
        }
    }
}

#[test]
fn adding_a_claim_breaks_verification() {
    for suite in SUITES {
        let signed = sign(&unsigned(), suite);
        let additions = [
            ("/credentialSubject", "name", json!("Someone Else")),
            (
                "/credentialSubject/achievement",
                "creditsAvailable",
                json!(30),
            ),
            ("", "description", json!("An extra, unsigned description")),
            ("/credentialSubject", "nickname", json!("undefined term")),
        ];
        for (parent, key, value) in additions {
            let mut doc = signed.clone();
            let target = doc.pointer_mut(parent).unwrap().as_object_mut().unwrap();
            // Replacing an existing member is a change too; but here each key is new or different.
            target.insert(key.into(), value);
            assert!(
                proof_fails(&doc),
                "{suite}: adding {parent}/{key} still verified"
            );
        }
    }
}

#[test]
fn removing_any_claim_breaks_verification() {
    for suite in SUITES {
        let signed = sign(&unsigned(), suite);
        let mut members = Vec::new();
        collect_members(&signed, String::new(), &mut members);
        for (parent, key) in members {
            if parent.is_empty() && (key == "@context" || key == "proof") {
                continue;
            }
            // An embedded context's processing keywords (`@version`, `@protected`) state no
            // claim, as the top-level `@context` does not; its term definitions are checked.
            if parent.ends_with("/@context") && key.starts_with('@') {
                continue;
            }
            let mut doc = signed.clone();
            let object = doc.pointer_mut(&parent).unwrap().as_object_mut().unwrap();
            object.remove(&key);
            assert!(
                proof_fails(&doc),
                "{suite}: removing {parent}/{key} still verified"
            );
        }
    }
}

fn collect_members(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !path.starts_with("/proof") => {
            for (k, v) in map {
                out.push((path.clone(), k.clone()));
                collect_members(v, format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_members(v, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn reordering_list_items_breaks_verification() {
    let allowed = "/credentialSubject/achievement/resultDescription/0/allowedValue";
    for suite in SUITES {
        let signed = sign(&unsigned(), suite);
        // `allowedValue` is an ordered JSON-LD @list: order is signed under both suites.
        let mut doc = signed.clone();
        doc.pointer_mut(allowed)
            .unwrap()
            .as_array_mut()
            .unwrap()
            .swap(0, 5);
        assert!(
            proof_fails(&doc),
            "{suite}: reordered allowedValue still verified"
        );
        // Same items, other values: the hole ssi 0.16 has (its canonical form drops list items).
        let mut doc = signed.clone();
        *doc.pointer_mut(allowed).unwrap() = json!(["Z", "Y", "X", "W", "V", "U"]);
        assert!(
            proof_fails(&doc),
            "{suite}: replaced allowedValue items still verified"
        );
    }
}

#[test]
fn reordering_an_unordered_set_is_a_change_only_for_jcs() {
    // `alignment` is a JSON-LD @set: under RDF canonicalization the order carries no meaning,
    // so it is not signed; JCS signs the JSON text, so there it is.
    let alignment = "/credentialSubject/achievement/alignment";
    for suite in SUITES {
        let mut doc = sign(&unsigned(), suite);
        doc.pointer_mut(alignment)
            .unwrap()
            .as_array_mut()
            .unwrap()
            .reverse();
        let report = verify::verify(&doc, &VerifyOptions::new(now())).unwrap();
        match suite {
            Cryptosuite::EddsaRdfc2022 => assert!(report.verified, "{:?}", report.reasons()),
            Cryptosuite::EddsaJcs2022 => assert!(!report.verified),
        }
    }
}

#[test]
fn changing_or_dropping_any_proof_field_breaks_verification() {
    for suite in SUITES {
        let signed = sign(&unsigned(), suite);
        let fields: Vec<String> = signed["proof"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for field in fields {
            let mut doc = signed.clone();
            doc["proof"][0].as_object_mut().unwrap().remove(&field);
            let rejected = match verify::verify(&doc, &VerifyOptions::new(now())) {
                Ok(report) => !report.verified,
                Err(_) => true,
            };
            assert!(rejected, "{suite}: dropping proof.{field} still verified");
        }
        // Switching the suite name makes the verifier check the other algorithm's input.
        let mut doc = signed.clone();
        doc["proof"][0]["cryptosuite"] = match suite {
            Cryptosuite::EddsaRdfc2022 => "eddsa-jcs-2022".into(),
            Cryptosuite::EddsaJcs2022 => "eddsa-rdfc-2022".into(),
        };
        assert!(
            proof_fails(&doc),
            "{suite}: switching cryptosuite still verified"
        );
        // A signature by another key over the same document, under the issuer's method.
        let mut doc = signed.clone();
        let other = SecretKey::from_seed(&[9; 32]);
        let options = ProofOptions {
            suite,
            verification_method: other.public_key().verification_method_id(),
            purpose: ProofPurpose::AssertionMethod,
            created: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
            challenge: None,
            domain: None,
        };
        let forged =
            proof::sign(&unsigned(), &other, &options, &ContextRegistry::bundled()).unwrap();
        doc["proof"][0]["proofValue"] = forged["proof"][0]["proofValue"].clone();
        assert!(
            proof_fails(&doc),
            "{suite}: transplanted proofValue still verified"
        );
    }
}

#[test]
fn expired_and_not_yet_valid_credentials_are_reported_as_such() {
    let signed = sign(&unsigned(), Cryptosuite::EddsaRdfc2022);
    for (at, want) in [
        (
            Utc.with_ymd_and_hms(2032, 1, 1, 0, 0, 0).unwrap(),
            "expired",
        ),
        (
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            "not yet valid",
        ),
    ] {
        let report = verify::verify(&signed, &VerifyOptions::new(at)).unwrap();
        assert!(!report.verified);
        assert!(report.check(CheckName::Proof).unwrap().verified);
        let window = report.check(CheckName::ValidityWindow).unwrap();
        assert!(!window.verified);
        assert!(window.reasons[0].starts_with(want), "{:?}", window.reasons);
    }
}

#[test]
fn a_credential_signed_by_someone_else_fails_issuer_binding() {
    // A valid signature, by a key the issuer does not control.
    let mut doc = unsigned();
    let impostor = SecretKey::from_seed(&[9; 32]);
    let options = ProofOptions {
        suite: Cryptosuite::EddsaRdfc2022,
        verification_method: impostor.public_key().verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
        challenge: None,
        domain: None,
    };
    doc = proof::sign(&doc, &impostor, &options, &ContextRegistry::bundled()).unwrap();
    let report = verify::verify(&doc, &VerifyOptions::new(now())).unwrap();
    assert!(report.check(CheckName::Proof).unwrap().verified);
    assert!(!report.check(CheckName::IssuerBinding).unwrap().verified);
    assert!(!report.verified);
}
