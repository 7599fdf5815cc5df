//! Shared test data: the repository root, the example records, a credential's status entries.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `examples/records/*.json`, sorted.
pub fn example_records() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 4,
        "expected at least four example records: {files:?}"
    );
    files
}

/// A credential's status entries (`credentialStatus` is one object or an array).
pub fn status_entries(vc: &Value) -> Vec<Value> {
    match &vc["credentialStatus"] {
        Value::Array(entries) => entries.clone(),
        Value::Null => Vec::new(),
        entry => vec![entry.clone()],
    }
}
