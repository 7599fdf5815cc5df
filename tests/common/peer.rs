//! Runs independent verifiers and signers as peers: Digital Bazaar's VC libraries and the
//! verifier of Learner Credential Wallet (`@digitalcredentials/verifier-core`), through the
//! scripts in `tests/peers/` (see its README).
//!
//! The harness is `tests/peers/` unless `$PEER_JS` names another installed copy. Its packages
//! are installed with `npm ci` on first use and again whenever `package-lock.json` changes;
//! a lock directory keeps test binaries running at the same time from installing at once. A
//! test that needs the peers fails with the reason when Node.js or npm is missing:
//! interoperability is part of what we ship, so it is never silently skipped.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

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

/// Where `npm ci` leaves a copy of the lock file it installed from.
const STAMP: &str = "node_modules/.skillpass-installed-lock.json";
/// Created (atomically) by the one process that installs; others wait for it to go.
const LOCK_DIR: &str = ".install.lock";
/// A lock older than this belongs to an installer that died.
const STALE_LOCK: Duration = Duration::from_secs(600);

/// The folder holding the installed peers (`verify.mjs`, `node_modules/`, ...).
pub fn peer_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Ok(dir) = std::env::var("PEER_JS") {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("node_modules").is_dir() && dir.join("lcw-verify.mjs").is_file(),
                "PEER_JS={} is not an installed copy of tests/peers (run `npm ci` there)",
                dir.display()
            );
            return dir;
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers");
        ensure_installed(&dir);
        dir
    })
}

fn installed(dir: &Path) -> bool {
    match (
        std::fs::read(dir.join("package-lock.json")),
        std::fs::read(dir.join(STAMP)),
    ) {
        (Ok(lock), Ok(stamp)) => lock == stamp,
        _ => false,
    }
}

/// Installs the peers' packages with `npm ci` unless the installed ones match the lock file.
fn ensure_installed(dir: &Path) {
    let lock = dir.join(LOCK_DIR);
    let started = Instant::now();
    loop {
        if installed(dir) {
            return;
        }
        match std::fs::create_dir(&lock) {
            Ok(()) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let age = std::fs::metadata(&lock)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok());
                if age.is_some_and(|a| a > STALE_LOCK) {
                    let _ = std::fs::remove_dir_all(&lock);
                    continue;
                }
                assert!(
                    started.elapsed() < STALE_LOCK,
                    "waited {STALE_LOCK:?} for another test to install tests/peers ({} exists)",
                    lock.display()
                );
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => panic!("cannot create {}: {e}", lock.display()),
        }
    }
    // We hold the lock; another process may have finished installing meanwhile.
    let result = if installed(dir) { Ok(()) } else { npm_ci(dir) };
    let _ = std::fs::remove_dir_all(&lock);
    if let Err(message) = result {
        panic!("{message}");
    }
}

fn npm_ci(dir: &Path) -> Result<(), String> {
    eprintln!(
        "installing the interoperability peers: npm ci in {}",
        dir.display()
    );
    // --ignore-scripts: no package needs an install script (core-js's only prints a banner).
    let status = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(dir)
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run npm ({e}): the peers need Node.js 20+ and npm"))?;
    if !status.success() {
        return Err(format!("npm ci in {} failed ({status})", dir.display()));
    }
    std::fs::copy(dir.join("package-lock.json"), dir.join(STAMP))
        .map_err(|e| format!("cannot write {STAMP}: {e}"))?;
    Ok(())
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

/// Verifies a credential or presentation with `@digitalbazaar/vc` (`verify.mjs`); the loader
/// knows only the standard contexts unless `args` add one with `--context URL=FILE`.
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

/// Verifies a credential or presentation with Learner Credential Wallet's verifier
/// (`lcw-verify.mjs`). `args`: `--status-list FILE`, `--serve URL=FILE`, `--registries FILE`.
/// Exit 0 verified, 1 not verified, 2 could not run (a URL it needed was not served).
pub fn lcw_verify(doc: &serde_json::Value, args: &[&str]) -> PeerOutput {
    let mut all: Vec<&str> = args.to_vec();
    all.push("-");
    run("lcw-verify.mjs", &all, Some(doc.to_string().as_bytes()))
}
