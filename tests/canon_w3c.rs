//! W3C conformance suites run through our canonicalization path:
//!
//! - JSON-LD 1.1 toRdf (`tests/w3c/json-ld-api/tests/toRdf-manifest.jsonld`): each input goes
//!   through [`canonicalize_with_base`] (sentinel, IRI and number guards included) and is
//!   compared with the expected N-Quads canonicalized by [`canonicalize_nquads`], which is an
//!   isomorphism test.
//! - RDFC-1.0 (`tests/w3c/rdf-canon/tests/manifest.jsonld`): inputs go straight to
//!   [`canonicalize_nquads`] and must equal the expected text byte for byte.
//!
//! Entries listed in `tests/w3c/expectations.json` are either out of scope (`skip`, with the
//! reason) or refused by our strict guards on purpose (`refused`, asserted: the call must fail,
//! with the error kind named there). Every other entry must pass as its manifest says.
//! `SKILLPASS_W3C_REPORT=FILE` writes every observed outcome as JSON, to review a new suite.

use serde_json::{json, Map, Value};
use skillpass::canon::{
    canonical_blank_node_map, canonicalize_nquads, canonicalize_with_base, CanonError,
};
use skillpass::contexts::ContextRegistry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TORDF_BASE: &str = "https://w3c.github.io/json-ld-api/tests/";

fn w3c_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/w3c")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug)]
enum Expectation {
    Skip,
    Refused { error: String },
}

fn expectations(suite: &str) -> BTreeMap<String, Expectation> {
    let all: Value = serde_json::from_str(&read(&w3c_dir().join("expectations.json"))).unwrap();
    let mut out = BTreeMap::new();
    for (id, e) in all[suite].as_object().unwrap() {
        assert!(
            e["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "{suite} {id}: every listed entry needs a reason"
        );
        let exp = match e["outcome"].as_str() {
            Some("skip") => Expectation::Skip,
            Some("refused") => Expectation::Refused {
                error: e["error"]
                    .as_str()
                    .expect("refused entries name the error")
                    .into(),
            },
            other => panic!("{suite} {id}: unknown outcome {other:?}"),
        };
        out.insert(id.clone(), exp);
    }
    out
}

fn error_kind(e: &CanonError) -> &'static str {
    match e {
        CanonError::UnknownContext { .. } => "UnknownContext",
        CanonError::UndefinedTerm { .. } => "UndefinedTerm",
        CanonError::UndefinedType { .. } => "UndefinedType",
        CanonError::InvalidIri { .. } => "InvalidIri",
        CanonError::DroppedValue { .. } => "DroppedValue",
        CanonError::Unsupported { .. } => "Unsupported",
        CanonError::Number { .. } => "Number",
        CanonError::InvalidLanguage { .. } => "InvalidLanguage",
        CanonError::TooComplex(_) => "TooComplex",
        CanonError::Syntax(_) => "Syntax",
    }
}

/// Lower-cases language tags of expected N-Quads: jsonld.js (and we) normalise them, the
/// suite keeps the input's case, and the W3C spec allows either.
fn lowercase_language_tags(nq: &str) -> String {
    let mut out = String::with_capacity(nq.len());
    let mut chars = nq.chars().peekable();
    let mut in_literal = false;
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '\\' if in_literal => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '"' => {
                in_literal = !in_literal;
                if !in_literal && chars.peek() == Some(&'@') {
                    while let Some(&n) = chars.peek() {
                        if n.is_ascii_alphanumeric() || n == '-' || n == '@' {
                            out.push(n.to_ascii_lowercase());
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every JSON file of the toRdf folder, served under its suite URL (only files that are
/// context documents are accepted by the registry; the rest stay unknown, as on the web).
fn tordf_registry(tests: &Path) -> ContextRegistry {
    let mut reg = ContextRegistry::empty();
    let mut stack = vec![tests.join("toRdf")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonld") {
                let rel = path
                    .strip_prefix(tests)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let _ = reg.insert(&format!("{TORDF_BASE}{rel}"), &read(&path));
            }
        }
    }
    reg
}

#[derive(Default)]
struct Tally {
    passed: usize,
    refused_as_expected: usize,
    skipped: usize,
    failures: Vec<String>,
    report: Map<String, Value>,
}

impl Tally {
    fn finish(self, suite: &str) {
        if let Ok(file) = std::env::var("SKILLPASS_W3C_REPORT") {
            let file = format!("{file}.{suite}.json");
            std::fs::write(&file, serde_json::to_string_pretty(&self.report).unwrap()).unwrap();
        }
        eprintln!(
            "{suite}: {} passed, {} refused as expected, {} out of scope, {} failed",
            self.passed,
            self.refused_as_expected,
            self.skipped,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{suite}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

#[test]
fn json_ld_to_rdf_suite() {
    let tests = w3c_dir().join("json-ld-api/tests");
    let manifest: Value =
        serde_json::from_str(&read(&tests.join("toRdf-manifest.jsonld"))).unwrap();
    let expect = expectations("toRdf");
    let registry = tordf_registry(&tests);
    let mut tally = Tally::default();
    let entries = manifest["sequence"].as_array().unwrap();
    assert_eq!(entries.len(), 467, "vendored manifest changed");
    for entry in entries {
        let id = entry["@id"].as_str().unwrap().to_owned();
        let types: Vec<&str> = entry["@type"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let input_rel = entry["input"].as_str().unwrap();
        let base = entry["option"]["base"]
            .as_str()
            .map_or_else(|| format!("{TORDF_BASE}{input_rel}"), str::to_owned);
        let outcome = std::fs::read_to_string(tests.join(input_rel))
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()))
            .map(|doc| canonicalize_with_base(&doc, &registry, &base));
        let observed = match &outcome {
            Err(e) => json!({"json": e}),
            Ok(Ok(_)) => json!({"ok": true}),
            Ok(Err(e)) => json!({"error": error_kind(e), "message": e.to_string()}),
        };
        tally.report.insert(id.clone(), observed);

        match expect.get(&id) {
            Some(Expectation::Skip) => {
                tally.skipped += 1;
                continue;
            }
            Some(Expectation::Refused { error }) => {
                match &outcome {
                    Ok(Err(e)) if error_kind(e) == error => tally.refused_as_expected += 1,
                    Ok(Err(e)) => tally.failures.push(format!(
                        "{id}: refused as {} ({e}), expected {error}",
                        error_kind(e)
                    )),
                    other => tally
                        .failures
                        .push(format!("{id}: expected a {error} refusal, got {other:?}")),
                }
                continue;
            }
            None => {}
        }
        if types.contains(&"jld:NegativeEvaluationTest") {
            match outcome {
                Ok(Err(_)) | Err(_) => tally.passed += 1,
                Ok(Ok(out)) => tally.failures.push(format!(
                    "{id}: expected error {}, got output:\n{out}",
                    entry["expectErrorCode"]
                )),
            }
        } else if types.contains(&"jld:PositiveSyntaxTest") {
            match outcome {
                Ok(Ok(_)) => tally.passed += 1,
                other => tally
                    .failures
                    .push(format!("{id}: expected success, got {other:?}")),
            }
        } else {
            let expected_nq = read(&tests.join(entry["expect"].as_str().unwrap()));
            let expected = canonicalize_nquads(&lowercase_language_tags(&expected_nq));
            match (outcome, expected) {
                (Ok(Ok(ours)), Ok(theirs)) if ours == theirs => tally.passed += 1,
                (Ok(Ok(ours)), Ok(theirs)) => tally.failures.push(format!(
                    "{id}: not isomorphic\n--- ours\n{ours}--- expected\n{theirs}"
                )),
                (_, Err(e)) => tally
                    .failures
                    .push(format!("{id}: expected output unreadable: {e}")),
                (other, _) => tally
                    .failures
                    .push(format!("{id}: expected output, got {other:?}")),
            }
        }
    }
    tally.finish("toRdf");
}

#[test]
fn rdf_canon_suite() {
    let tests = w3c_dir().join("rdf-canon/tests");
    let manifest: Value = serde_json::from_str(&read(&tests.join("manifest.jsonld"))).unwrap();
    let expect = expectations("rdfc10");
    let mut tally = Tally::default();
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 86, "vendored manifest changed");
    for entry in entries {
        let id = entry["id"].as_str().unwrap().to_owned();
        let kind = entry["type"].as_str().unwrap();
        if let Some(Expectation::Skip) = expect.get(&id) {
            tally.skipped += 1;
            tally.report.insert(id, json!("skipped"));
            continue;
        }
        let input = read(&tests.join(entry["action"].as_str().unwrap()));
        let result = entry["result"].as_str().map(|r| read(&tests.join(r)));
        let verdict: Result<(), String> = match kind {
            "rdfc:RDFC10EvalTest" => match canonicalize_nquads(&input) {
                Ok(ours) if Some(&ours) == result.as_ref() => Ok(()),
                Ok(ours) => Err(format!(
                    "differs:\n--- ours\n{ours}--- expected\n{}",
                    result.unwrap_or_default()
                )),
                Err(e) => Err(format!("{}: {e}", error_kind(&e))),
            },
            "rdfc:RDFC10MapTest" => match canonical_blank_node_map(&input) {
                Ok(ours) => {
                    let theirs: BTreeMap<String, String> =
                        serde_json::from_str(result.as_deref().unwrap()).unwrap();
                    let ours: BTreeMap<String, String> = ours.into_iter().collect();
                    if ours == theirs {
                        Ok(())
                    } else {
                        Err(format!("map differs: ours {ours:?}, expected {theirs:?}"))
                    }
                }
                Err(e) => Err(format!("{}: {e}", error_kind(&e))),
            },
            other => Err(format!("unhandled test type {other}")),
        };
        tally.report.insert(
            id.clone(),
            match &verdict {
                Ok(()) => json!("ok"),
                Err(e) => json!(e),
            },
        );
        match (verdict, expect.get(&id)) {
            (Ok(()), None) => tally.passed += 1,
            (Err(e), Some(Expectation::Refused { error })) if e.starts_with(error.as_str()) => {
                tally.refused_as_expected += 1
            }
            (Err(e), _) => tally.failures.push(format!("{id}: {e}")),
            (Ok(()), Some(exp)) => tally
                .failures
                .push(format!("{id}: passed but expectations.json says {exp:?}")),
        }
    }
    tally.finish("rdfc10");
}

#[test]
fn expectations_cover_only_existing_tests() {
    let tests = w3c_dir();
    let tordf: Value = serde_json::from_str(&read(
        &tests.join("json-ld-api/tests/toRdf-manifest.jsonld"),
    ))
    .unwrap();
    let ids: Vec<&str> = tordf["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["@id"].as_str())
        .collect();
    for id in expectations("toRdf").keys() {
        assert!(
            ids.contains(&id.as_str()),
            "toRdf {id} is not in the manifest"
        );
    }
    let canon: Value =
        serde_json::from_str(&read(&tests.join("rdf-canon/tests/manifest.jsonld"))).unwrap();
    let ids: Vec<&str> = canon["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    for id in expectations("rdfc10").keys() {
        assert!(
            ids.contains(&id.as_str()),
            "rdfc10 {id} is not in the manifest"
        );
    }
}
