//! Our engine against an independent implementation in-process: wherever the previous
//! oxjsonld/oxrdf path (the oracle, `tests/oracle/`) canonicalizes a document, the engine must
//! produce the same bytes. Complements `canon_peer.rs` and `canon_differential.rs` (jsonld.js);
//! this one needs no Node.js and covers every fixture, vector and example record.

mod oracle;

use chrono::{TimeZone, Utc};
use serde_json::Value;
use skillpass::canon::canonicalize;
use skillpass::contexts::ContextRegistry;
use skillpass::credential::{build_credential, IssueParams};
use skillpass::record::parse_record_str;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn registry() -> ContextRegistry {
    let mut reg = ContextRegistry::bundled();
    let ctx = root().join("tests/fixtures/canon/contexts");
    for (url, file) in [
        (
            "https://www.w3.org/ns/credentials/examples/v2",
            "credentials-examples-v2.json",
        ),
        (
            "https://w3id.org/citizenship/v4rc1",
            "citizenship-v4rc1.jsonld",
        ),
    ] {
        reg.insert(url, &std::fs::read_to_string(ctx.join(file)).unwrap())
            .unwrap();
    }
    reg
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.ends_with("contexts") {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every JSON-LD document among the fixtures and vectors (`proof` removed, as signing does),
/// plus the credential of every example record.
fn documents() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    json_files(&root().join("tests/fixtures/canon"), &mut files);
    json_files(&root().join("tests/vectors"), &mut files);
    let mut docs: Vec<(String, Value)> = files
        .into_iter()
        .filter_map(|path| {
            let mut doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).ok()?).ok()?;
            let obj = doc.as_object_mut()?;
            obj.contains_key("@context").then_some(())?;
            obj.remove("proof");
            Some((path.display().to_string(), doc))
        })
        .collect();
    let params = IssueParams {
        id: uuid::Uuid::nil(),
        issuer: "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd".into(),
        valid_from: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    };
    for entry in std::fs::read_dir(root().join("examples/records")).unwrap() {
        let path = entry.unwrap().path();
        let record = parse_record_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        docs.push((
            path.display().to_string(),
            build_credential(&record, &params).unwrap(),
        ));
    }
    docs
}

#[test]
fn engine_agrees_with_the_oracle() {
    let reg = registry();
    let docs = documents();
    assert!(docs.len() >= 20, "only {} documents found", docs.len());
    let (mut compared, mut oracle_refused) = (0, 0);
    for (name, doc) in &docs {
        let ours = canonicalize(doc, &reg);
        match oracle::canonicalize(doc, &reg) {
            Ok(theirs) => {
                let ours =
                    ours.unwrap_or_else(|e| panic!("{name}: the oracle accepts, we refuse: {e}"));
                assert_eq!(ours, theirs, "{name}");
                compared += 1;
            }
            Err(_) => oracle_refused += 1,
        }
    }
    eprintln!("{compared} identical, {oracle_refused} refused by the oracle");
    assert!(compared >= 15);
}

/// Numbers around the limits of a JavaScript double: where the oracle signs one, the engine
/// signs the same bytes; both accept exact ones beyond 2^53 and both refuse the ones JavaScript
/// changes (2^53 + 1, 1e-7). (The oracle cannot write integers beyond 2^63 as jsonld.js does;
/// `canon_peer.rs` checks 1e20 against jsonld.js itself.)
#[test]
fn numbers_agree_with_the_oracle() {
    let reg = registry();
    let (_, base) = documents()
        .into_iter()
        .find(|(name, _)| name.contains("examples/records"))
        .expect("an example record");
    let with = |number: &str| {
        let mut doc = base.clone();
        doc["credentialSubject"]["creditsEarned"] = serde_json::from_str(number).unwrap();
        doc
    };
    for number in [
        "9007199254740994",
        "-9007199254740994",
        "9.007199254740994e15",
        "1e18",
        "7.5",
    ] {
        let doc = with(number);
        let ours = canonicalize(&doc, &reg).unwrap_or_else(|e| panic!("{number}: {e}"));
        let theirs = oracle::canonicalize(&doc, &reg).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(ours, theirs, "{number}");
    }
    for number in ["9007199254740993", "1e-7", "1.152921504606846976e18"] {
        let doc = with(number);
        assert!(canonicalize(&doc, &reg).is_err(), "{number}");
        assert!(oracle::canonicalize(&doc, &reg).is_err(), "{number}");
    }
}
