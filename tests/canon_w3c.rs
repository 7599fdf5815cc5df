//! The W3C JSON-LD 1.1 toRdf suite (`tests/w3c/json-ld-api/tests/toRdf-manifest.jsonld`), run
//! through our engine ([`skillpass::jsonld`] then [`skillpass::rdfc`]):
//!
//! - in spec mode (not strict), every positive test's output must be isomorphic to the expected
//!   N-Quads (both sides canonicalized with RDFC-1.0 and compared byte for byte), and every
//!   negative test must fail with the expected JSON-LD error code;
//! - in strict mode (what signing and verifying use), every positive test must give the same
//!   output or be refused with a strict-mode refusal: strictness may refuse, never change.
//!
//! Entries listed in `tests/w3c/expectations.json` are out of scope (`skip`), or places where
//! jsonld.js deviates from the suite and we follow jsonld.js (`jsonld.js`), each with the reason.
//! `SKILLPASS_W3C_REPORT=FILE` writes every observed outcome as JSON, to review a new suite.
//! The RDFC-1.0 suite runs as a unit test of [`skillpass::rdfc`].

use serde_json::{json, Map, Value};
use skillpass::contexts::ContextRegistry;
use skillpass::jsonld::{self, JsonLdError, Options, RdfDirection};
use skillpass::rdf::parse_nquads;
use skillpass::rdfc;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TORDF_BASE: &str = "https://w3c.github.io/json-ld-api/tests/";

fn w3c_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/w3c")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What `tests/w3c/expectations.json` says of an entry.
#[derive(PartialEq)]
enum Listed {
    /// Out of scope.
    Skip,
    /// jsonld.js deviates from the suite here; the cryptosuite signs what jsonld.js produces, so
    /// we must produce it too: `tests/w3c/jsonld-js/<id>.nq` is jsonld.js 9's canonical output
    /// (`jsonld.canonize`, not safe, same base), compared byte for byte.
    JsonLdJs,
}

/// The listed entries, each with its reason (asserted non-empty).
fn listed(suite: &str) -> BTreeMap<String, Listed> {
    let all: Value = serde_json::from_str(&read(&w3c_dir().join("expectations.json"))).unwrap();
    all[suite]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, e)| {
            assert!(
                e["reason"].as_str().is_some_and(|r| !r.is_empty()),
                "{suite} {id}: every listed entry needs a reason"
            );
            let listed = match e["outcome"].as_str() {
                Some("skip") => Listed::Skip,
                Some("jsonld.js") => Listed::JsonLdJs,
                other => panic!("{suite} {id}: unknown outcome {other:?}"),
            };
            (id.clone(), listed)
        })
        .collect()
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
    refused_in_strict: usize,
    as_jsonld_js: usize,
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
            "{suite}: {} passed ({} of them refused in strict mode), {} as jsonld.js, {} out of scope, {} failed",
            self.passed,
            self.refused_in_strict,
            self.as_jsonld_js,
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
    let listed = listed("toRdf");
    let registry = tordf_registry(&tests);
    let mut tally = Tally::default();
    let entries = manifest["sequence"].as_array().unwrap();
    assert_eq!(entries.len(), 467, "vendored manifest changed");
    for entry in entries {
        let id = entry["@id"].as_str().unwrap().to_owned();
        match listed.get(&id) {
            Some(Listed::Skip) => {
                tally.skipped += 1;
                continue;
            }
            Some(Listed::JsonLdJs) => {
                let doc: Value =
                    serde_json::from_str(&read(&tests.join(entry["input"].as_str().unwrap())))
                        .unwrap();
                let base = format!("{TORDF_BASE}{}", entry["input"].as_str().unwrap());
                let options = Options {
                    base: Some(base),
                    ..Options::default()
                };
                let theirs = read(&w3c_dir().join(format!("jsonld-js/{}.nq", &id[1..])));
                match to_canonical(&doc, &registry, &options) {
                    Ok(ours) if ours == theirs => tally.as_jsonld_js += 1,
                    other => tally
                        .failures
                        .push(format!("{id}: differs from jsonld.js: {other:?}")),
                }
                continue;
            }
            None => {}
        }
        let is = |t: &str| entry["@type"].as_array().unwrap().iter().any(|v| v == t);
        let input_rel = entry["input"].as_str().unwrap();
        let option = &entry["option"];
        let mut options = Options {
            base: Some(
                option["base"]
                    .as_str()
                    .map_or_else(|| format!("{TORDF_BASE}{input_rel}"), str::to_owned),
            ),
            strict: false,
            rdf_direction: None,
        };
        match option["rdfDirection"].as_str() {
            None => {}
            Some("i18n-datatype") => options.rdf_direction = Some(RdfDirection::I18nDatatype),
            Some(other) => panic!("{id}: rdfDirection {other} is not supported: list it as skip"),
        }
        let doc: Value = serde_json::from_str(&read(&tests.join(input_rel))).unwrap();
        let outcome = to_canonical(&doc, &registry, &options);
        tally.report.insert(
            id.clone(),
            match &outcome {
                Ok(_) => json!({"ok": true}),
                Err(e) => json!({"error": e}),
            },
        );

        if is("jld:NegativeEvaluationTest") {
            let code = entry["expectErrorCode"].as_str().unwrap();
            match outcome {
                Err(e) if e.starts_with(&format!("{code}:")) => tally.passed += 1,
                other => tally
                    .failures
                    .push(format!("{id}: expected error \"{code}\", got {other:?}")),
            }
            continue;
        }
        let ours = match outcome {
            Ok(ours) => ours,
            Err(e) => {
                tally
                    .failures
                    .push(format!("{id}: expected output, got {e}"));
                continue;
            }
        };
        if is("jld:PositiveEvaluationTest") {
            let expected_nq = read(&tests.join(entry["expect"].as_str().unwrap()));
            let theirs = canonical_nquads(&lowercase_language_tags(&expected_nq));
            if ours != theirs {
                tally.failures.push(format!(
                    "{id}: not isomorphic\n--- ours\n{ours}--- expected\n{theirs}"
                ));
                continue;
            }
        }
        // Strict mode may refuse, never change the output.
        options.strict = true;
        match to_canonical(&doc, &registry, &options) {
            Ok(strict) if strict == ours => tally.passed += 1,
            Ok(strict) => tally.failures.push(format!(
                "{id}: strict mode changed the output\n--- strict\n{strict}--- spec\n{ours}"
            )),
            Err(e) if e.starts_with("strict: ") => {
                tally.passed += 1;
                tally.refused_in_strict += 1;
            }
            Err(e) => tally
                .failures
                .push(format!("{id}: strict mode failed with a non-refusal: {e}")),
        }
    }
    tally.finish("toRdf");
}

/// The canonical N-Quads of a JSON-LD document, or the error as text (`strict: ` prefixed for
/// strict-mode refusals, `code: message` for spec errors).
fn to_canonical(
    doc: &Value,
    registry: &ContextRegistry,
    options: &Options,
) -> Result<String, String> {
    let quads = jsonld::document_to_rdf(doc, registry, options).map_err(|e| match e {
        JsonLdError::Strict { .. } => format!("strict: {e}"),
        // The registry is our document loader: a URL it lacks is a context that failed to load.
        JsonLdError::UnknownContext { url } => format!("loading remote context failed: {url}"),
        other => other.to_string(),
    })?;
    rdfc::canonicalize_with(&quads, &suite_rdfc())
        .map(|c| c.nquads)
        .map_err(|e| e.to_string())
}

/// The expected outputs need more N-degree hashing than a credential may (rdf-canonize's own
/// suite runner raises the work factor to 3 for its "high complexity" tests too).
fn suite_rdfc() -> rdfc::Options {
    rdfc::Options {
        max_work_factor: Some(3),
        ..rdfc::Options::default()
    }
}

fn canonical_nquads(nq: &str) -> String {
    let quads = parse_nquads(nq).unwrap_or_else(|e| panic!("expected N-Quads unreadable: {e}"));
    rdfc::canonicalize_with(&quads, &suite_rdfc())
        .unwrap()
        .nquads
}

#[test]
fn expectations_cover_only_existing_tests() {
    let tordf: Value = serde_json::from_str(&read(
        &w3c_dir().join("json-ld-api/tests/toRdf-manifest.jsonld"),
    ))
    .unwrap();
    let ids: Vec<&str> = tordf["sequence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["@id"].as_str())
        .collect();
    for id in listed("toRdf").into_keys() {
        assert!(
            ids.contains(&id.as_str()),
            "toRdf {id} is not in the manifest"
        );
    }
}
