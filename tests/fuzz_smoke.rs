//! A stable-toolchain smoke run of the fuzz target (`fuzz/src/lib.rs`, included below, so it is
//! the same code libFuzzer runs): every seed of `fuzz/corpus/canon_verify`, a few adversarial
//! shapes (deep nesting, blank-node cliques), then deterministic mutations of the seeds, at the
//! JSON level (keywords, odd values, copied subtrees) and at the byte level. No input may panic
//! or take more than a few seconds. `FUZZ_SMOKE_ROUNDS` sets the number of mutations.
//!
//! This is not a substitute for coverage-guided fuzzing (fuzz/README.md); it keeps the corpus
//! and the easy mutations of it from regressing on every `cargo test`.

#[path = "common/rng.rs"]
mod rng;
#[path = "../fuzz/src/lib.rs"]
mod target;

use rng::Rng;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Generous: an input libFuzzer's `-timeout=2` accepts in a release build can take ~10x
/// longer in a test build on a busy machine; real hangs take far longer.
const SLOW: Duration = Duration::from_secs(10);
const DEFAULT_ROUNDS: usize = 4000;
/// Mutated documents above this size are skipped (copied subtrees can double a document).
const MAX_BYTES: usize = 64 * 1024;

const KEYS: &[&str] = &[
    "@context",
    "@id",
    "@type",
    "@graph",
    "@list",
    "@set",
    "@value",
    "@language",
    "@direction",
    "@reverse",
    "@index",
    "@nest",
    "@included",
    "@vocab",
    "@base",
    "@version",
    "@protected",
    "@propagate",
    "@import",
    "@container",
    "@prefix",
    "id",
    "type",
    "proof",
    "name",
    "credentialSubject",
    "issuer",
    "validFrom",
    "proofValue",
    "cryptosuite",
    "ex:p",
    "_:b0",
    "http://example.org/p",
];

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-0.0),
        json!(1e21),
        json!(1.5e300),
        json!(9007199254740993u64),
        json!(0.1),
        json!(""),
        json!("\u{FFFE}\u{FFFF}"),
        json!("𝄞 e\u{301}"),
        json!("_:b0"),
        json!("http://example.org/x"),
        json!("relative/iri"),
        json!("@id"),
        json!("@json"),
        json!("@vocab"),
        json!("en-Latn-US"),
        json!("2026-02-30T00:00:00Z"),
        json!("z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKiQgmhXaXPHpSL"),
        json!({}),
        json!([]),
        json!({"@id": "_:x"}),
        json!({"@id": "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"}),
        json!({"@list": [[1], {"@list": []}]}),
        json!({"@set": [null]}),
        json!({"@value": "x", "@language": "EN"}),
        json!({"@value": "x", "@direction": "rtl", "@language": "ar"}),
        json!({"@value": {"a": [1.0, 1e-7]}, "@type": "@json"}),
        json!({"@value": 1, "@type": "http://www.w3.org/2001/XMLSchema#double"}),
        json!({"@context": null}),
        json!({"@context": {"@vocab": "http://e/", "@version": 1.1}}),
        json!({"@context": {"p": {"@id": "http://e/p", "@container": ["@graph", "@index"]}}}),
        json!({"@context": {"T": {"@id": "http://e/T", "@context": {"q": "http://e/q"}}}, "@type": "T"}),
        json!({"@context": {"@protected": true, "id": "@id"}}),
        json!({"@context": "https://www.w3.org/ns/credentials/v2"}),
        json!({"@context": "https://example.org/not-bundled"}),
        json!({"@graph": [{"@id": "_:a", "http://e/p": {"@id": "_:a"}}]}),
        json!({"@reverse": {"http://e/p": {"@id": "http://e/s"}}}),
        json!({"@nest": {"http://e/p": 1}}),
        json!({"@included": [{"@id": "_:i"}]}),
        json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
               "proofPurpose": "assertionMethod", "proofValue": "z1111",
               "verificationMethod": "did:key:z6Mk#z6Mk"}),
    ]
}

/// JSON pointers of every node (depth-bounded, like the documents themselves).
fn pointers(value: &Value, here: String, out: &mut Vec<String>, depth: usize) {
    out.push(here.clone());
    if depth > 64 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{here}/{k}"), out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{here}/{i}"), out, depth + 1);
            }
        }
        _ => {}
    }
}

fn mutate_json(doc: &mut Value, rng: &mut Rng, odd: &[Value]) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all, 0);
    let at = rng.pick(&all).clone();
    let donor = {
        let from = rng.pick(&all).clone();
        doc.pointer(&from).cloned().unwrap_or(Value::Null)
    };
    let choice = rng.below(6);
    let Some(node) = doc.pointer_mut(&at) else {
        return;
    };
    match (choice, node) {
        (0, node) => *node = rng.pick(odd).clone(),
        (1, Value::Object(map)) => {
            let key = (*rng.pick(KEYS)).to_owned();
            let value = if rng.below(2) == 0 {
                rng.pick(odd).clone()
            } else {
                donor
            };
            map.insert(key, value);
        }
        (2, Value::Object(map)) if !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned();
            if let Some(key) = key {
                map.shift_remove(&key);
            }
        }
        (2, Value::Array(items)) if !items.is_empty() => {
            items.remove(rng.below(items.len()));
        }
        (3, Value::Array(items)) => items.push(donor),
        (3, node) => *node = donor,
        (4, Value::String(s)) => {
            let cut = s.char_indices().nth(rng.below(s.len() + 1)).map(|(i, _)| i);
            s.truncate(cut.unwrap_or(s.len()));
            const TAILS: [&str; 9] = ["", ":", "#", " ", "\u{0}", "é", "\u{FFFF}", "@", "/../"];
            let tail: &&str = rng.pick(&TAILS);
            s.push_str(tail);
        }
        (5, node) => *node = json!([node.clone(), rng.pick(odd).clone()]),
        (_, node) => *node = rng.pick(odd).clone(),
    }
}

fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut Rng) {
    if bytes.is_empty() {
        bytes.push(b'{');
    }
    let i = rng.below(bytes.len());
    match rng.below(4) {
        0 => bytes[i] ^= 1 << rng.below(8),
        1 => {
            let end = (i + 1 + rng.below(16)).min(bytes.len());
            bytes.drain(i..end);
        }
        2 => bytes.insert(i, *rng.pick(b"{}[]\",:0e-.\\u@_ ")),
        _ => {
            let end = (i + 1 + rng.below(64)).min(bytes.len());
            let copy = bytes[i..end].to_vec();
            let at = rng.below(bytes.len());
            bytes.splice(at..at, copy);
        }
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/canon_verify");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 20, "the seed corpus is missing");
    seeds
}

/// Shapes mutation rarely reaches: nesting close to serde_json's limit, a big blank-node clique.
fn adversarial() -> Vec<(String, Vec<u8>)> {
    let vocab = r#"{"@vocab":"http://e/"}"#;
    let mut out = Vec::new();
    let n = 120;
    let lists = format!(
        r#"{{"@context":{vocab},"p":{}1{}}}"#,
        "[".repeat(n),
        "]".repeat(n)
    );
    out.push(("deep-lists".into(), lists));
    let nodes = format!(
        r#"{{"@context":{vocab},{}"v":1{}}}"#,
        r#""p":{"#.repeat(n),
        "}".repeat(n)
    );
    out.push(("deep-nodes".into(), nodes));
    let contexts = format!(
        r#"{{"@context":{}"@vocab":"http://e/"{},"p":1}}"#,
        r#"{"@context":"#.repeat(40),
        "}".repeat(40)
    );
    out.push(("deep-contexts".into(), contexts));
    let clique: Vec<Value> = (0..12)
        .map(|i| {
            let others: Vec<Value> = (0..12)
                .filter(|j| *j != i)
                .map(|j| json!({"@id": format!("_:n{j}")}))
                .collect();
            json!({"@id": format!("_:n{i}"), "http://e/p": others})
        })
        .collect();
    out.push(("clique-12".into(), json!({ "@graph": clique }).to_string()));
    out.into_iter().map(|(n, s)| (n, s.into_bytes())).collect()
}

fn run(name: &str, input: &[u8], slowest: &mut (Duration, String)) {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(|| target::canon_verify(input));
    let took = started.elapsed();
    let shown = String::from_utf8_lossy(&input[..input.len().min(2000)]).into_owned();
    assert!(outcome.is_ok(), "{name} panicked; input: {shown}");
    assert!(took < SLOW, "{name} took {took:?}; input: {shown}");
    if took > slowest.0 {
        *slowest = (took, name.to_owned());
    }
}

#[test]
fn seeds_and_mutations_neither_panic_nor_hang() {
    let rounds = std::env::var("FUZZ_SMOKE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    let seeds = seeds();
    let odd = odd_values();
    let mut slowest = (Duration::ZERO, String::new());
    for (name, bytes) in seeds.iter().chain(&adversarial()) {
        run(name, bytes, &mut slowest);
    }
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let started = Instant::now();
    for round in 0..rounds {
        let (name, bytes) = rng.pick(&seeds);
        let mut input = match serde_json::from_slice::<Value>(bytes) {
            Ok(mut doc) if rng.below(5) != 0 => {
                for _ in 0..1 + rng.below(4) {
                    mutate_json(&mut doc, &mut rng, &odd);
                }
                serde_json::to_vec(&doc).unwrap()
            }
            _ => bytes.clone(),
        };
        if rng.below(4) == 0 {
            for _ in 0..1 + rng.below(3) {
                mutate_bytes(&mut input, &mut rng);
            }
        }
        if input.len() <= MAX_BYTES {
            run(
                &format!("round {round} (from {name})"),
                &input,
                &mut slowest,
            );
        }
    }
    eprintln!(
        "{} seeds + {rounds} mutations in {:.1?}; slowest input {:.1?} ({})",
        seeds.len(),
        started.elapsed(),
        slowest.0,
        slowest.1
    );
}
