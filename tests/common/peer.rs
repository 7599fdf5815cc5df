//! Runs Digital Bazaar's reference VC libraries (`shared/tools/peer-js`) as an independent peer.
//!
//! The peer is located, in order, at `$PEER_JS`, or at `target/peer-js` (installed there on first
//! use by `shared/tools/peer-js/setup.sh`, found through `$SHARED_DIR`, `../shared` or
//! `/work/shared`). A test that needs the peer fails with instructions
//! when neither works: interoperability is part of what we ship, so it is never silently skipped.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The peer's output: exit code, stdout, stderr.
pub struct PeerOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl PeerOutput {
    /// stdout parsed as JSON (panics with the peer's stderr when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "peer printed no JSON ({e}); stderr:\n{}\nstdout:\n{}",
                self.stderr, self.stdout
            )
        })
    }
}

/// The folder holding the installed peer (`verify.mjs`, `node_modules/`, ...).
pub fn peer_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Ok(dir) = std::env::var("PEER_JS") {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("node_modules").is_dir(),
                "PEER_JS={} has no node_modules: run shared/tools/peer-js/setup.sh DIR",
                dir.display()
            );
            return dir;
        }
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dest = manifest.join("target").join("peer-js");
        let shared = std::env::var("SHARED_DIR").map(PathBuf::from);
        let setup = [
            shared.map(|s| s.join("tools/peer-js/setup.sh")).ok(),
            Some(manifest.join("../shared/tools/peer-js/setup.sh")),
            Some(PathBuf::from("/work/shared/tools/peer-js/setup.sh")),
        ]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .expect(
            "peer-js not found: set PEER_JS to an installed copy (shared/tools/peer-js/setup.sh DIR) \
             or SHARED_DIR to the shared/ folder",
        );
        let out = Command::new("bash")
            .arg(&setup)
            .arg(&dest)
            .stderr(Stdio::inherit())
            .output()
            .expect("run peer-js setup.sh (needs bash, node and npm)");
        assert!(out.status.success(), "peer-js setup.sh failed");
        dest
    })
}

/// Runs `node SCRIPT ARGS…` in the peer folder, feeding `stdin` (use `-` as the file argument).
pub fn run(script: &str, args: &[&str], stdin: Option<&[u8]>) -> PeerOutput {
    let mut child = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(peer_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node (is Node.js installed?)");
    {
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            pipe.write_all(bytes).expect("write to peer stdin");
        }
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("wait for node");
    PeerOutput {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Canonical N-Quads of `doc` as jsonld.js computes them for eddsa-rdfc-2022 (`canon.mjs`).
/// `contexts` are extra `(url, file)` pairs.
pub fn canon(doc: &serde_json::Value, contexts: &[(&str, &Path)]) -> PeerOutput {
    let extra: Vec<String> = contexts
        .iter()
        .map(|(url, file)| format!("{url}={}", file.display()))
        .collect();
    let mut args: Vec<&str> = Vec::new();
    for c in &extra {
        args.push("--context");
        args.push(c);
    }
    args.push("-");
    run("canon.mjs", &args, Some(doc.to_string().as_bytes()))
}

/// Verifies a credential or presentation with `@digitalbazaar/vc` (`verify.mjs`).
pub fn verify(doc: &serde_json::Value, args: &[&str]) -> PeerOutput {
    let mut all: Vec<&str> = args.to_vec();
    all.push("-");
    run("verify.mjs", &all, Some(doc.to_string().as_bytes()))
}

/// Signs an unsigned credential with the peer (`issue.mjs --seed HEX …`).
pub fn issue(doc: &serde_json::Value, seed_hex: &str, args: &[&str]) -> PeerOutput {
    let mut all: Vec<&str> = vec!["--seed", seed_hex];
    all.extend_from_slice(args);
    all.push("-");
    run("issue.mjs", &all, Some(doc.to_string().as_bytes()))
}
