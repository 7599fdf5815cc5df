//! The fuzzed function, shared by the libFuzzer target (`fuzz_targets/canon_verify.rs`) and the
//! stable smoke test of the main crate (`tests/fuzz_smoke.rs` includes this file), so both run
//! exactly the same code. It uses only crates the main crate depends on.

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use serde_json::Value;
use skillpass::rdfc::{self, HashAlgorithm};
use skillpass::verify::{self, VerifyOptions};
use skillpass::{canon, jcs, jsonld};

/// Built once: the bundled contexts and a fixed "now", so a run is reproducible.
fn options() -> &'static VerifyOptions {
    static OPTIONS: OnceLock<VerifyOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let now = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single();
        VerifyOptions::new(now.unwrap_or_default())
    })
}

/// Any bytes → (if JSON) strict canonicalization, JCS, the full verifier, and the non-strict
/// JSON-LD → RDF → RDFC-1.0 path. Errors are expected; a panic or a slow input is a bug.
pub fn canon_verify(data: &[u8]) {
    // serde_json bounds nesting (128 levels), so parsing itself is safe on any input.
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let options = options();
    let contexts = &options.contexts;

    // What signing and verifying run: strict, refusing what would go unsigned.
    let _ = canon::canonicalize(&doc, contexts);
    let _ = jcs::canonicalize(&doc);
    // The whole verifier: data model, proofs (both suites), validity window, OB 3.0 schema.
    let _ = verify::verify(&doc, options);

    // Plain JSON-LD (non-strict) reaches parts of expansion and toRdf that strict mode refuses
    // early, and gives RDFC-1.0 arbitrary blank-node shapes (bounded by its work limit).
    let lenient = jsonld::Options::default();
    if let Ok(quads) = jsonld::document_to_rdf(&doc, contexts, &lenient) {
        let _ = rdfc::canonicalize(&quads, HashAlgorithm::Sha256);
    }
}
