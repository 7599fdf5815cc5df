//! Canonical N-Quads byte-identical with jsonld.js + rdf-canonize (the eddsa-rdfc-2022 path of
//! Digital Bazaar's cryptosuite), and refusals of what jsonld.js would sign differently or not
//! at all.
//!
//! Each fixture in `tests/fixtures/canon/` has a `.peer.nq` file written by the peer's
//! `canon.mjs`; we compare with that file (always) and with the live peer.

mod common;

use common::peer;
use serde_json::{json, Value};
use skillpass::canon::{canonicalize, CanonError};
use skillpass::contexts::ContextRegistry;
use std::path::{Path, PathBuf};

const EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";
const CITIZENSHIP_V4RC1: &str = "https://w3id.org/citizenship/v4rc1";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/canon")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn doc(name: &str) -> Value {
    serde_json::from_str(&read(name)).unwrap()
}

/// Bundled contexts plus the two test-only ones the W3C vectors use.
fn registry() -> ContextRegistry {
    let mut reg = ContextRegistry::bundled();
    reg.insert(EXAMPLES_V2, &read("contexts/credentials-examples-v2.json"))
        .unwrap();
    reg.insert(
        CITIZENSHIP_V4RC1,
        &read("contexts/citizenship-v4rc1.jsonld"),
    )
    .unwrap();
    reg
}

fn peer_contexts() -> Vec<(&'static str, PathBuf)> {
    vec![(
        CITIZENSHIP_V4RC1,
        fixture("contexts/citizenship-v4rc1.jsonld"),
    )]
}

fn peer_canon(doc: &Value) -> String {
    let ctx = peer_contexts();
    let args: Vec<(&str, &Path)> = ctx.iter().map(|(u, p)| (*u, p.as_path())).collect();
    let out = peer::canon(doc, &args);
    assert_eq!(out.code, 0, "peer refused: {}", out.stderr);
    out.stdout
}

fn peer_refuses(doc: &Value) -> String {
    let ctx = peer_contexts();
    let args: Vec<(&str, &Path)> = ctx.iter().map(|(u, p)| (*u, p.as_path())).collect();
    let out = peer::canon(doc, &args);
    assert_ne!(out.code, 0, "peer accepted:\n{}", out.stdout);
    out.stderr
}

/// Ours == golden file == live peer, byte for byte.
fn assert_identical(name: &str) {
    let d = doc(&format!("{name}.json"));
    let ours = canonicalize(&d, &registry()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let golden = read(&format!("{name}.peer.nq"));
    assert_eq!(
        ours, golden,
        "{name}: differs from the stored jsonld.js output"
    );
    assert_eq!(peer_canon(&d), golden, "{name}: the live peer changed");
}

#[test]
fn w3c_vc_di_eddsa_unsigned_matches_spec_and_peer() {
    assert_identical("w3c-unsigned");
    let ours = canonicalize(&doc("w3c-unsigned.json"), &registry()).unwrap();
    assert_eq!(
        ours,
        read("w3c-unsigned.spec.nq"),
        "spec's canonDocDataInt.txt"
    );
}

#[test]
fn proof_configurations_match() {
    assert_identical("w3c-proof-config");
    assert_identical("proof-config-learning-outcome");
}

#[test]
fn learning_outcome_matches() {
    assert_identical("learning-outcome");
}

#[test]
fn ob3_allowed_value_list_keeps_items_and_order() {
    assert_identical("ob-allowed-value-list");
    let ours = canonicalize(&doc("ob-allowed-value-list.json"), &registry()).unwrap();
    // 6 + 3 items, each an rdf:first, ending in rdf:nil (the ssi bug dropped rdf:first).
    assert_eq!(ours.matches("22-rdf-syntax-ns#first>").count(), 9);
    assert_eq!(ours.matches("22-rdf-syntax-ns#nil>").count(), 2);
    // Reordering the list changes the canonical form.
    let mut swapped = doc("ob-allowed-value-list.json");
    swapped["credentialSubject"]["achievement"]["resultDescription"][0]["allowedValue"] =
        json!(["B", "A", "C", "D", "F", "A"]);
    assert_ne!(canonicalize(&swapped, &registry()).unwrap(), ours);
}

#[test]
fn fractional_numbers_match() {
    assert_identical("numbers");
    let ours = canonicalize(&doc("numbers.json"), &registry()).unwrap();
    assert!(ours.contains("\"7.5E0\"^^<https://www.w3.org/2001/XMLSchema#float>"));
    assert!(ours.contains("\"1.225E1\"^^<http://www.w3.org/2001/XMLSchema#decimal>"));
    assert!(ours.contains("\"6.999999999999999E-5\""));
}

#[test]
fn language_tags_and_maps_match() {
    assert_identical("language");
    let ours = canonicalize(&doc("language.json"), &registry()).unwrap();
    assert!(
        ours.contains("@en-us "),
        "tags are lower-cased like jsonld.js"
    );
    assert!(ours.contains("@de-ch "));
}

#[test]
fn unicode_and_escapes_match() {
    assert_identical("unicode");
}

/// The employment vector gives two types with scoped contexts to one node: both contexts apply
/// (oxjsonld 0.2.7 kept only the last one and lost terms, so the previous path refused it).
#[test]
fn employment_vector_matches_the_spec() {
    let d = doc("w3c-employment-auth.json");
    let spec = read("w3c-employment-auth.spec.nq");
    assert_eq!(canonicalize(&d, &registry()).unwrap(), spec);
    assert_eq!(peer_canon(&d), spec);
}

/// `@direction` is signed as the cryptosuite signs it: an i18n datatype
/// (`rdfDirection: 'i18n-datatype'`), with the language lower-cased.
#[test]
fn direction_matches() {
    let mut d = doc("learning-outcome.json");
    d["name"] = json!({"@value": "تحليل البيانات", "@language": "ar-EG", "@direction": "rtl"});
    d["description"] = json!({"@value": "left to right", "@direction": "ltr"});
    let ours = canonicalize(&d, &registry()).unwrap();
    assert!(
        ours.contains("^^<https://www.w3.org/ns/i18n#ar-eg_rtl>"),
        "{ours}"
    );
    assert!(
        ours.contains("\"left to right\"^^<https://www.w3.org/ns/i18n#_ltr>"),
        "{ours}"
    );
    assert_eq!(ours, peer_canon(&d));
}

// ---------------------------------------------------------------------------------------------
// Refusals. Each names what to fix; where jsonld.js's safe mode refuses too, the peer confirms.

fn learning_outcome() -> Value {
    doc("learning-outcome.json")
}

fn refuse(d: &Value) -> CanonError {
    match canonicalize(d, &registry()) {
        Ok(out) => panic!("accepted:\n{out}"),
        Err(e) => {
            let line = e.to_string();
            assert!(!line.contains('\n'), "one-line message: {line}");
            e
        }
    }
}

#[test]
fn refuses_undefined_term() {
    let mut d = learning_outcome();
    d["credentialSubject"]["achievement"]["alignment"][0]["targetNam"] = json!("typo");
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::UndefinedTerm { term, path: Some(p) }
            if term == "targetNam" && p == "/credentialSubject/achievement/alignment/0/targetNam"),
        "{e}"
    );
    assert!(e.to_string().contains("targetNam"));
    peer_refuses(&d);
}

#[test]
fn refuses_undefined_term_with_empty_value() {
    for empty in [json!(null), json!([])] {
        let mut d = learning_outcome();
        d["credentialSubject"]["nickname"] = empty;
        let e = refuse(&d);
        assert!(
            matches!(&e, CanonError::UndefinedTerm { term, path: Some(p) }
                if term == "nickname" && p == "/credentialSubject/nickname"),
            "{e}"
        );
        peer_refuses(&d);
    }
}

#[test]
fn refuses_null_mapped_term() {
    let mut d = learning_outcome();
    d["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!({"nickname": null}));
    d["credentialSubject"]["nickname"] = json!("unsigned claim");
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::UndefinedTerm { term, path: Some(p) }
            if term == "nickname" && p == "/credentialSubject/nickname"),
        "{e}"
    );
    peer_refuses(&d);
}

#[test]
fn refuses_undefined_type() {
    let mut d = learning_outcome();
    d["credentialSubject"]["type"] = json!(["AchievementSubject", "UnknownType"]);
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::UndefinedType { name, path: Some(p) }
            if name == "UnknownType" && p == "/credentialSubject/type/1"),
        "{e}"
    );
    peer_refuses(&d);
}

#[test]
fn refuses_relative_id() {
    let mut d = learning_outcome();
    d["credentialSubject"]["achievement"]["id"] = json!("achievements/ADA-301");
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::InvalidIri { iri, path: Some(p), .. }
            if iri == "achievements/ADA-301" && p == "/credentialSubject/achievement/id"),
        "{e}"
    );
    peer_refuses(&d);
}

#[test]
fn refuses_id_with_space() {
    let mut d = learning_outcome();
    d["credentialSubject"]["id"] = json!("did:example:learner 5e0c1b2a");
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::InvalidIri { iri, .. } if iri == "did:example:learner 5e0c1b2a"),
        "{e}"
    );
    peer_refuses(&d);
}

#[test]
fn refuses_blank_node_property() {
    let mut d = learning_outcome();
    d["credentialSubject"]["_:b0"] = json!("x");
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::InvalidIri { iri, .. } if iri == "_:b0"),
        "{e}"
    );
    peer_refuses(&d);
}

#[test]
fn refuses_unknown_context_and_names_it() {
    let mut d = learning_outcome();
    let url = "https://example.org/contexts/not-bundled/v9";
    d["@context"].as_array_mut().unwrap().push(json!(url));
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::UnknownContext { url: u } if u == url),
        "{e}"
    );
    assert!(e.to_string().contains(url));
    assert!(peer_refuses(&d).contains(url));
}

/// jsonld.js silently rounds 2^53 + 1 to 2^53; we refuse instead.
#[test]
fn refuses_integer_beyond_2_pow_53() {
    let mut d = learning_outcome();
    d["credentialSubject"]["creditsEarned"] = serde_json::from_str("9007199254740993").unwrap();
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::Number { value, path, .. }
            if value == "9007199254740993" && path == "/credentialSubject/creditsEarned"),
        "{e}"
    );
    // 2^53 itself is exact in both.
    let mut d = learning_outcome();
    d["credentialSubject"]["creditsEarned"] = serde_json::from_str("9007199254740992").unwrap();
    let ours = canonicalize(&d, &registry()).unwrap();
    assert_eq!(ours, peer_canon(&d));
}

/// A number beyond 2^53 that a double holds exactly is signed, byte-identical with jsonld.js:
/// 1e20 as the integer it is (jsonld.js writes integral doubles below 10^21 with `toFixed(0)`),
/// 1e21 and beyond as xsd:double (`isDouble`), 2^53 + 2 as itself. What JavaScript changes is
/// still refused: 2^53 + 1 (above), 1e-7 (written as the integer 0) and 2^60 read as a double,
/// which the document states as 1152921504606847000 but jsonld.js signs as …846976.
#[test]
fn signs_exact_numbers_beyond_2_pow_53_as_jsonld_js_does() {
    let with = |number: &str| {
        let mut d = learning_outcome();
        d["credentialSubject"]["creditsEarned"] = serde_json::from_str(number).unwrap();
        d
    };
    let credits = |nquads: &str| {
        nquads
            .lines()
            .find_map(|l| l.split_once("#creditsEarned> "))
            .map(|(_, object)| object.to_owned())
            .unwrap_or_else(|| panic!("no creditsEarned in\n{nquads}"))
    };
    for (number, literal) in [
        ("1e20", "\"100000000000000000000\"^^"),
        ("100000000000000000000", "\"100000000000000000000\"^^"),
        ("-1.5e20", "\"-150000000000000000000\"^^"),
        ("9007199254740994", "\"9007199254740994\"^^"),
        ("1e21", "\"1.0E21\"^^"),
        ("123456789012345678901234", "\"1.234567890123457E23\"^^"),
    ] {
        let d = with(number);
        let ours = canonicalize(&d, &registry()).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert!(
            credits(&ours).contains(literal),
            "{number}: {}",
            credits(&ours)
        );
        assert_eq!(ours, peer_canon(&d), "{number}");
    }
    for (number, shown) in [
        ("1e-7", "0"),
        ("1.152921504606846976e18", "1152921504606846976"),
    ] {
        let d = with(number);
        let e = refuse(&d);
        assert!(
            matches!(&e, CanonError::Number { path, .. } if path == "/credentialSubject/creditsEarned"),
            "{number}: {e}"
        );
        // jsonld.js accepts it and signs the changed value.
        let peer = peer_canon(&d);
        assert!(
            credits(&peer).starts_with(&format!("\"{shown}\"^^")),
            "{number}: {}",
            credits(&peer)
        );
    }
}

#[test]
fn refuses_unknown_keyword() {
    let mut d = learning_outcome();
    d["credentialSubject"]["@comment"] = json!("not a keyword");
    let e = refuse(&d);
    assert!(
        matches!(&e, CanonError::UndefinedTerm { term, path: Some(p) }
            if term == "@comment" && p == "/credentialSubject/@comment"),
        "{e}"
    );
    peer_refuses(&d);
}

#[test]
fn reordered_keys_canonicalize_the_same() {
    fn reverse(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .rev()
                    .map(|(k, v)| (k.clone(), reverse(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(reverse).collect()),
            other => other.clone(),
        }
    }
    let d = doc("ob-allowed-value-list.json");
    assert_eq!(
        canonicalize(&reverse(&d), &registry()).unwrap(),
        read("ob-allowed-value-list.peer.nq")
    );
}

/// 1 500 pseudo-random doubles of many magnitudes, untyped (xsd:double / xsd:integer) and
/// typed xsd:double, must print exactly as jsonld.js prints them (about 5 % differ without the
/// number pre-pass).
#[test]
fn random_numbers_match_javascript() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut values = Vec::new();
    while values.len() < 1500 {
        let mantissa = (next() % 10_000_000_000_000_000) as f64;
        let exponent = (next() % 36) as i32 - 24; // 1e-24 .. 1e11 after scaling
        let x = mantissa * 10f64.powi(exponent) / 1e16;
        let x = if next() % 4 == 0 { -x } else { x };
        // Keep to what we accept: tiny one-digit values print as "0" in jsonld.js.
        let js = serde_json::Number::from_f64(x).unwrap();
        let text = js.to_string();
        let digits = text
            .trim_start_matches('-')
            .split(['e', 'E'])
            .next()
            .unwrap()
            .replace('.', "");
        if x.abs() < 1e-6 && digits.trim_matches('0').len() < 2 {
            continue;
        }
        values.push(Value::Number(js));
    }
    values.push(json!(0.1));
    values.push(json!(7e-5));
    let d = json!({
        "@context": {
            "plain": "https://w3id.org/skillpass/test#plain",
            "dbl": {"@id": "https://w3id.org/skillpass/test#dbl", "@type": "http://www.w3.org/2001/XMLSchema#double"}
        },
        "@id": "urn:uuid:numbers",
        "plain": values,
        "dbl": values,
    });
    let ours = canonicalize(&d, &registry()).unwrap();
    assert!(ours.lines().count() > 2500, "dedup left too few quads");
    assert_eq!(ours, peer_canon(&d));
}

/// rdf-canonize's work limit (`maxWorkFactor` 1) refuses a chain of four alike blank nodes; a
/// signer without the limit would issue credentials JavaScript verifiers cannot check. We refuse
/// exactly where the peer does, and accept the chain of three it accepts.
#[test]
fn work_limit_refuses_where_jsonld_js_does() {
    let chain = |n: usize| {
        let mut v = json!("bottom");
        for _ in 0..n {
            v = json!({ "n": v });
        }
        let mut d = learning_outcome();
        d["@context"]
            .as_array_mut()
            .unwrap()
            .push(json!({"n": "https://example.com/vocab#n"}));
        d["credentialSubject"]["n"] = v;
        d
    };
    let three = chain(3);
    assert_eq!(
        canonicalize(&three, &registry()).unwrap(),
        peer_canon(&three)
    );
    let four = chain(4);
    let e = refuse(&four);
    assert!(
        matches!(&e, CanonError::TooComplex(why) if why.contains("(2)")),
        "{e}"
    );
    assert!(peer_refuses(&four).contains("Maximum deep iterations exceeded (2)"));
}
