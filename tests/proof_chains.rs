//! Data Integrity proof sets and proof chains (`previousProof`): signing adds a proof to a
//! signed document, a chained proof signs the proofs it follows, and verification checks each
//! link — a tampered link, a broken reference or a removed predecessor fails. Also the service's
//! countersign endpoint (an accreditation body endorsing a college's credential).

mod common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::keys::SecretKey;
use skillpass::proof::{self, Cryptosuite, ProofError, ProofLink, ProofOptions, ProofPurpose};
use skillpass::verify::{self, CheckName, VerifyOptions};

const SUITES: [Cryptosuite; 2] = [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap()
}

fn college() -> SecretKey {
    SecretKey::from_seed(&[1; 32])
}

fn accreditor() -> SecretKey {
    SecretKey::from_seed(&[2; 32])
}

fn unsigned() -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:7f1c3b52-9d1e-4c1a-8f0a-3c2b1a000001",
        "type": ["VerifiableCredential"],
        "issuer": college().public_key().did_key(),
        "validFrom": "2026-07-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Lwazi"},
    })
}

fn options(key: &SecretKey, suite: Cryptosuite) -> ProofOptions {
    ProofOptions {
        suite,
        verification_method: key.public_key().verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
        challenge: None,
        domain: None,
    }
}

fn link(id: &str, previous: &[&str]) -> ProofLink {
    ProofLink {
        id: Some(id.into()),
        previous_proof: previous.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn add(
    doc: &Value,
    key: &SecretKey,
    suite: Cryptosuite,
    l: &ProofLink,
) -> Result<Value, ProofError> {
    proof::add_proof(
        doc,
        key,
        &options(key, suite),
        l,
        &ContextRegistry::bundled(),
    )
}

/// The college's proof `urn:proof:1`, then the accreditor's `urn:proof:2` chained to it.
fn chained(suite: Cryptosuite) -> Value {
    let first = add(&unsigned(), &college(), suite, &link("urn:proof:1", &[])).unwrap();
    add(
        &first,
        &accreditor(),
        suite,
        &link("urn:proof:2", &["urn:proof:1"]),
    )
    .unwrap()
}

fn failures(doc: &Value) -> Vec<Vec<String>> {
    proof::verify_proofs(
        doc,
        &skillpass::did::DidKeyResolver,
        &ContextRegistry::bundled(),
        now(),
    )
    .unwrap()
    .into_iter()
    .map(|c| c.failures)
    .collect()
}

#[test]
fn a_chain_is_signed_and_verifies() {
    for suite in SUITES {
        let doc = chained(suite);
        let proofs = doc["proof"].as_array().expect("a proof array");
        assert_eq!(proofs.len(), 2);
        assert_eq!(proofs[0]["id"], "urn:proof:1");
        assert!(proofs[0].get("previousProof").is_none());
        assert_eq!(proofs[1]["id"], "urn:proof:2");
        assert_eq!(proofs[1]["previousProof"], "urn:proof:1");
        assert_eq!(failures(&doc), vec![Vec::<String>::new(); 2], "{suite}");

        let report = verify::verify(&doc, &VerifyOptions::new(now())).unwrap();
        assert!(report.verified, "{suite}: {:?}", report.reasons());
        let binding = report.check(CheckName::IssuerBinding).unwrap();
        assert!(binding.verified);
        assert!(
            binding.notes[0].contains(&accreditor().public_key().did_key()),
            "the countersigner is named: {:?}",
            binding.notes
        );
    }
}

#[test]
fn the_chained_proof_covers_the_proof_before_it() {
    for suite in SUITES {
        let doc = chained(suite);
        // Swap the first proof for another valid proof by the same key over the same document:
        // on its own it still verifies, but the chained proof signed the original one.
        let mut resigned = unsigned();
        let mut other = options(&college(), suite);
        other.created = Utc.with_ymd_and_hms(2026, 7, 2, 0, 0, 0).unwrap();
        resigned = proof::add_proof(
            &resigned,
            &college(),
            &other,
            &link("urn:proof:1", &[]),
            &ContextRegistry::bundled(),
        )
        .unwrap();
        let mut swapped = doc.clone();
        swapped["proof"][0] = resigned["proof"].clone();
        let found = failures(&swapped);
        assert!(
            found[0].is_empty(),
            "{suite}: the new first proof holds on its own"
        );
        assert!(
            !found[1].is_empty(),
            "{suite}: the chained proof must fail once its predecessor changed"
        );

        // A proof set (no previousProof) does not bind the proofs to each other.
        let set = add(
            &add(&unsigned(), &college(), suite, &link("urn:proof:1", &[])).unwrap(),
            &accreditor(),
            suite,
            &link("urn:proof:2", &[]),
        )
        .unwrap();
        let mut swapped_set = set.clone();
        swapped_set["proof"][0] = resigned["proof"].clone();
        assert_eq!(
            failures(&swapped_set),
            vec![Vec::<String>::new(); 2],
            "{suite}"
        );
    }
}

#[test]
fn a_tampered_chained_proof_fails() {
    for suite in SUITES {
        let doc = chained(suite);
        for (field, value) in [
            ("created", json!("2026-07-03T00:00:00Z")),
            ("previousProof", json!(["urn:proof:1"])),
            ("id", json!("urn:proof:9")),
        ] {
            let mut tampered = doc.clone();
            tampered["proof"][1][field] = value.clone();
            let found = failures(&tampered);
            // An array with the same one id signs the same RDF; under JCS it is another text.
            if field == "previousProof" && suite == Cryptosuite::EddsaRdfc2022 {
                continue;
            }
            assert!(!found[1].is_empty(), "{suite}: proof[1].{field} = {value}");
        }
        let mut claim = doc.clone();
        claim["credentialSubject"]["name"] = json!("Someone Else");
        assert!(failures(&claim).iter().all(|f| !f.is_empty()), "{suite}");
    }
}

#[test]
fn a_broken_previous_proof_reference_fails() {
    for suite in SUITES {
        let doc = chained(suite);
        // The predecessor removed: the chain is broken.
        let mut cut = doc.clone();
        cut["proof"] = json!([doc["proof"][1].clone()]);
        let found = failures(&cut);
        assert!(
            found[0]
                .iter()
                .any(|f| f.contains("names no proof of this document")),
            "{suite}: {found:?}"
        );
        let report = verify::verify(&cut, &VerifyOptions::new(now())).unwrap();
        assert!(!report.verified);

        // The predecessor's id changed: its own signature breaks, and the link no longer resolves.
        let mut renamed = doc.clone();
        renamed["proof"][0]["id"] = json!("urn:proof:other");
        let found = failures(&renamed);
        assert!(!found[0].is_empty());
        assert!(found[1].iter().any(|f| f.contains("names no proof")));

        // A proof naming itself, and a malformed previousProof.
        let mut itself = doc.clone();
        itself["proof"][1]["previousProof"] = json!("urn:proof:2");
        assert!(failures(&itself)[1].iter().any(|f| f.contains("itself")));
        let mut number = doc.clone();
        number["proof"][1]["previousProof"] = json!(7);
        assert!(!failures(&number)[1].is_empty());

        // Two proofs with one id.
        let mut twins = doc.clone();
        twins["proof"][1]["id"] = json!("urn:proof:1");
        assert!(failures(&twins)
            .iter()
            .flatten()
            .any(|f| f.contains("used by two proofs")));
    }
}

#[test]
fn signing_refuses_what_it_cannot_chain() {
    let first = add(
        &unsigned(),
        &college(),
        Cryptosuite::EddsaRdfc2022,
        &link("urn:proof:1", &[]),
    )
    .unwrap();
    assert!(matches!(
        add(&first, &accreditor(), Cryptosuite::EddsaRdfc2022, &link("urn:proof:2", &["urn:proof:404"])),
        Err(ProofError::UnknownPreviousProof(id)) if id == "urn:proof:404"
    ));
    assert!(matches!(
        add(
            &first,
            &accreditor(),
            Cryptosuite::EddsaRdfc2022,
            &link("urn:proof:1", &[])
        ),
        Err(ProofError::DuplicateProofId(_))
    ));
    assert!(matches!(
        add(
            &first,
            &accreditor(),
            Cryptosuite::EddsaRdfc2022,
            &link("not a url", &[])
        ),
        Err(ProofError::ProofIdNotUrl(_))
    ));
    // `sign` still refuses a signed document: adding a proof is deliberate.
    assert!(matches!(
        proof::sign(
            &first,
            &accreditor(),
            &options(&accreditor(), Cryptosuite::EddsaRdfc2022),
            &ContextRegistry::bundled()
        ),
        Err(ProofError::AlreadySigned)
    ));
}

#[test]
fn a_proof_set_without_the_issuers_proof_does_not_bind_the_issuer() {
    let doc = add(
        &unsigned(),
        &accreditor(),
        Cryptosuite::EddsaRdfc2022,
        &link("urn:proof:1", &[]),
    )
    .unwrap();
    let report = verify::verify(&doc, &VerifyOptions::new(now())).unwrap();
    assert!(!report.verified);
    assert!(!report.check(CheckName::IssuerBinding).unwrap().verified);
}

#[tokio::test]
async fn an_accreditation_body_countersigns_through_the_service() {
    let app = common::app::TestApp::new();
    let accreditor_token = app.register("mqa", "did-key");
    let college_did = app.store.get_institution("szpu").unwrap().unwrap().did;
    let body = json!({"credential": {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": college_did,
        "credentialSubject": {"id": "did:example:learner", "name": "Lwazi"},
    }});
    let reply = app
        .call(
            Method::POST,
            "/credentials/issue",
            Some(&app.token),
            Some(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let vc = reply.json()["verifiableCredential"].clone();
    let first_id = vc["proof"]["id"]
        .as_str()
        .expect("service proofs have ids")
        .to_owned();
    assert!(first_id.starts_with("urn:uuid:"));

    for suite in ["eddsa-rdfc-2022", "eddsa-jcs-2022"] {
        let body = json!({
            "verifiableCredential": vc,
            "options": {"cryptosuite": suite, "previousProof": first_id},
        });
        let reply = app
            .call(
                Method::POST,
                "/credentials/countersign",
                Some(&accreditor_token),
                Some(&body),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let countersigned = reply.json()["verifiableCredential"].clone();
        assert_eq!(
            countersigned["proof"][1]["previousProof"],
            first_id.as_str()
        );
        assert_eq!(countersigned["proof"][1]["cryptosuite"], suite);

        let verify = json!({"verifiableCredential": countersigned});
        let reply = app
            .call(Method::POST, "/credentials/verify", None, Some(&verify))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{suite}: {}", reply.text());
        assert_eq!(reply.json()["proofs"].as_array().unwrap().len(), 2);

        // Tampering with the countersigned credential is caught.
        let mut tampered = countersigned.clone();
        tampered["credentialSubject"]["name"] = json!("Someone Else");
        let reply = app
            .call(
                Method::POST,
                "/credentials/verify",
                None,
                Some(&json!({"verifiableCredential": tampered})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    // A reference to no proof, an unsigned document and an altered one are refused.
    for (document, previous, needle) in [
        (vc.clone(), json!("urn:uuid:nope"), "names no proof"),
        (
            {
                let mut u = vc.clone();
                u.as_object_mut().unwrap().remove("proof");
                u
            },
            json!([]),
            "carries no proof",
        ),
        (
            {
                let mut a = vc.clone();
                a["credentialSubject"]["name"] = json!("X");
                a
            },
            json!([]),
            "do not hold",
        ),
    ] {
        let body =
            json!({"verifiableCredential": document, "options": {"previousProof": previous}});
        let reply = app
            .call(
                Method::POST,
                "/credentials/countersign",
                Some(&accreditor_token),
                Some(&body),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text()
        );
        assert!(reply.text().contains(needle), "{needle}: {}", reply.text());
    }
    let reply = app
        .call(
            Method::POST,
            "/credentials/countersign",
            None,
            Some(&json!({"verifiableCredential": vc})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

/// `skillpass countersign`: a proof set, then a chained proof, each verifying with
/// `skillpass verify`; a reference to no proof is refused.
#[test]
fn the_cli_countersigns() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_skillpass");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run(&[
        "issue",
        "--key",
        "keys-example/issuer.example.json",
        "examples/records/szpu-3d-animation-production.json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let issued = dir.path().join("vc.json");
    std::fs::write(&issued, &out.stdout).unwrap();

    let out = run(&[
        "countersign",
        "--key",
        "keys-example/learner.example.json",
        "--suite",
        "eddsa-jcs-2022",
        issued.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let set: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(set["proof"].as_array().unwrap().len(), 2);
    let second = set["proof"][1]["id"].as_str().unwrap().to_owned();
    let set_file = dir.path().join("set.json");
    std::fs::write(&set_file, &out.stdout).unwrap();
    let out = run(&["verify", set_file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = run(&[
        "countersign",
        "--key",
        "keys-example/learner.example.json",
        "--previous-proof",
        &second,
        set_file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let chain: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(chain["proof"][2]["previousProof"], second.as_str());
    let chain_file = dir.path().join("chain.json");
    std::fs::write(&chain_file, &out.stdout).unwrap();
    let out = run(&["verify", chain_file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = run(&[
        "countersign",
        "--key",
        "keys-example/learner.example.json",
        "--previous-proof",
        "urn:uuid:no-such-proof",
        set_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names no proof"));
}

/// Our proof sets are standard: Digital Bazaar's verifier accepts each member proof on its
/// own, in both suites. (Their jsonld-signatures 11.6 has no proof chains — `ProofChain.js` is a
/// stub — and accepts a proof set when any one proof holds; so a chained proof cannot be
/// checked there, and the peer is asked about one proof at a time.) The countersigner is not the
/// issuer, so the peer checks proof purposes, not issuer binding (`--no-issuer-check`).
#[test]
fn digital_bazaars_verifier_accepts_each_proof_of_our_sets() {
    for suite in SUITES {
        let set = add(
            &add(&unsigned(), &college(), suite, &link("urn:proof:1", &[])).unwrap(),
            &accreditor(),
            suite,
            &link("urn:proof:2", &[]),
        )
        .unwrap();
        for i in 0..2 {
            let mut one = set.clone();
            one["proof"] = set["proof"][i].clone();
            let out = common::peer::verify(&one, &["--no-issuer-check"]);
            assert_eq!(
                out.code, 0,
                "{suite} proof {i}: {}{}",
                out.stdout, out.stderr
            );
            // And altered, it fails there too.
            one["credentialSubject"]["name"] = json!("Someone Else");
            let out = common::peer::verify(&one, &["--no-issuer-check"]);
            assert_eq!(
                out.code, 1,
                "{suite} proof {i}: {}{}",
                out.stdout, out.stderr
            );
        }
        // A chain's first link is an ordinary proof.
        let chain = chained(suite);
        let mut first = chain.clone();
        first["proof"] = chain["proof"][0].clone();
        let out = common::peer::verify(&first, &[]);
        assert_eq!(out.code, 0, "{suite}: {}{}", out.stdout, out.stderr);
    }
}

fn spec_vector(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/proof-set-chain")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The vc-di-eddsa specification's proof set and proof chain vectors (made by the spec's
/// editors, `tests/vectors/README.md`) verify proof by proof, including a proof chained to two
/// predecessors and one chained to a chained proof; altering or removing a predecessor breaks
/// the proofs that follow it.
#[test]
fn the_specifications_set_and_chain_vectors_verify() {
    for name in [
        "signedProofSet1.json",
        "signedProofSet2.json",
        "signedProofChain1.json",
        "signedProofChain2.json",
    ] {
        let doc = spec_vector(name);
        let found = failures(&doc);
        assert!(!found.is_empty());
        assert!(found.iter().all(Vec::is_empty), "{name}: {found:?}");
    }

    let chain = spec_vector("signedProofChain2.json");
    assert_eq!(
        chain["proof"][2]["previousProof"].as_array().unwrap().len(),
        2
    );
    // A predecessor's signature altered: it fails, and so do the proofs chained after it
    // (directly: its text is part of their input; transitively: a link holds only when the
    // proofs it follows hold).
    let mut altered = chain.clone();
    let value = altered["proof"][1]["proofValue"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = if value.ends_with('a') { "b" } else { "a" };
    altered["proof"][1]["proofValue"] = json!(format!("{}{other}", &value[..value.len() - 1]));
    let found = failures(&altered);
    assert!(
        found[0].is_empty(),
        "the other first-level proof is untouched"
    );
    assert!(
        !found[1].is_empty() && !found[2].is_empty() && !found[3].is_empty(),
        "{found:?}"
    );
    // A predecessor removed: the proof naming it is broken, the rest of the set still holds.
    let mut cut = chain.clone();
    cut["proof"].as_array_mut().unwrap().remove(0);
    let found = failures(&cut);
    assert!(found[0].is_empty());
    assert!(
        found[1].iter().any(|f| f.contains("names no proof")),
        "{found:?}"
    );
}

/// Open Badges 3.0 credentials carry even a lone proof as an array (their JSON Schema allows
/// nothing else); every other document keeps the object the W3C suites expect. Both verify.
#[test]
fn ob3_credentials_carry_their_proof_as_an_array() {
    for suite in SUITES {
        for (types, array) in [
            (json!(["VerifiableCredential", "OpenBadgeCredential"]), true),
            (
                json!(["VerifiableCredential", "AchievementCredential"]),
                true,
            ),
            (json!("VerifiableCredential"), false),
            (json!(["VerifiableCredential", "ExampleCredential"]), false),
        ] {
            let mut doc = unsigned();
            doc["@context"] = json!([
                "https://www.w3.org/ns/credentials/v2",
                "https://www.w3.org/ns/credentials/examples/v2"
            ]);
            doc["type"] = types.clone();
            let signed = proof::sign(
                &doc,
                &college(),
                &options(&college(), suite),
                &ContextRegistry::bundled(),
            )
            .unwrap();
            assert_eq!(signed["proof"].is_array(), array, "{suite} {types}");
            assert_eq!(signed["proof"].is_object(), !array, "{suite} {types}");
            assert_eq!(
                failures(&signed),
                vec![Vec::<String>::new()],
                "{suite} {types}"
            );
        }
    }
}
