//! `skillpass bench`: signing and verification throughput, in the spirit of `openssl speed`.
//!
//! Two passes per cryptosuite over the credential built from one record:
//!
//! 1. Throughput through the real path ([`proof::sign`], [`proof::verify_proofs`]), on one
//!    thread and, when asked, on several (`std::thread::scope`, each thread doing its share of
//!    the N operations). Every operation is timed, so the median µs/op is reported beside the
//!    aggregate rate, and every verification must hold (a benchmark of failing checks would
//!    measure nothing useful).
//! 2. A per-stage breakdown on one thread that calls each stage explicitly (JSON-LD expansion,
//!    toRdf, RDFC-1.0 or JCS, SHA-256, Ed25519) for the proof configuration and the document, as
//!    the signing input needs both; it reports the median of each stage. Its signature is
//!    compared with the real path's (Ed25519 is deterministic), so the stages are known to do
//!    the same work as a real signature.
//!
//! The same unsigned credential is signed N times (and its signed form verified N times): the
//! engine keeps processed contexts, never documents, so repeating a document measures the same
//! work as distinct documents without spending memory or time on making copies.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::contexts::ContextRegistry;
use crate::credential::{self, IssueParams};
use crate::did::DidKeyResolver;
use crate::jcs;
use crate::jsonld;
use crate::keys::{self, SecretKey};
use crate::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use crate::rdfc::{self, HashAlgorithm};
use crate::record;

/// The record benchmarked when `--record` is not given.
pub const DEFAULT_RECORD: &str = "examples/records/szpu-3d-animation-production.json";
/// The key used when `--key` is not given.
pub const DEFAULT_KEY: &str = "keys-example/issuer.example.json";
/// Upper bound of `--count`: per-operation timings are kept (4 bytes each) for the median.
pub const MAX_COUNT: u64 = 10_000_000;
/// Upper bound of `--threads`.
pub const MAX_THREADS: u64 = 256;
/// The breakdown pass runs at most this many times (it is about where time goes, not rates).
const MAX_BREAKDOWN_RUNS: usize = 1000;

/// The cryptosuites `--suite` selects: one, or `all`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suites(pub Vec<Cryptosuite>);

/// Parses `--suite`: a cryptosuite name or `all`.
pub fn parse_suites(s: &str) -> Result<Suites, String> {
    if s == "all" {
        return Ok(Suites(vec![
            Cryptosuite::EddsaRdfc2022,
            Cryptosuite::EddsaJcs2022,
        ]));
    }
    s.parse::<Cryptosuite>()
        .map(|suite| Suites(vec![suite]))
        .map_err(|_| {
            format!("unknown suite {s:?}: expected eddsa-rdfc-2022, eddsa-jcs-2022 or all")
        })
}

/// The arguments of `skillpass bench`.
#[derive(Debug)]
pub struct CliBench {
    /// The learning-outcome record (JSON).
    pub record: PathBuf,
    pub suites: Suites,
    pub count: u64,
    pub threads: u64,
    /// The signing key file.
    pub key: PathBuf,
    pub json: bool,
}

/// Runs `skillpass bench`; returns the report to print (a table, or JSON with `--json`).
pub fn run_cli(args: CliBench) -> Result<String> {
    if !(1..=MAX_COUNT).contains(&args.count) {
        bail!("--count must be between 1 and {MAX_COUNT}");
    }
    if !(1..=MAX_THREADS).contains(&args.threads) {
        bail!("--threads must be between 1 and {MAX_THREADS}");
    }
    if args.threads > args.count {
        bail!(
            "--threads {} is more than --count {}: every thread needs at least one credential",
            args.threads,
            args.count
        );
    }
    let record_path = with_default(args.record, DEFAULT_RECORD);
    let key_path = with_default(args.key, DEFAULT_KEY);
    let key = keys::read_secret_key_file(&key_path)?;
    let record_json = super::read_json(&record_path.to_string_lossy())?;
    let unsigned = build_unsigned(&record_json, &key, Utc::now())
        .with_context(|| format!("cannot build a credential from {}", record_path.display()))?;

    let setup = Setup {
        unsigned,
        key,
        contexts: ContextRegistry::bundled(),
        count: args.count as usize,
    };
    // Counts are capped above, so `usize` holds them on every target we build for.
    let threads = args.threads as usize;
    let mut reports = Vec::new();
    for &suite in &args.suites.0 {
        if !args.json {
            eprintln!("bench: {suite} …");
        }
        reports.push(bench_suite(&setup, suite, threads)?);
    }

    let header = Header {
        record: record_path.display().to_string(),
        key: key_path.display().to_string(),
        did: setup.key.public_key().did_key(),
        count: setup.count,
        threads,
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    Ok(if args.json {
        let mut text = serde_json::to_string_pretty(&to_json(&header, &reports))?;
        text.push('\n');
        text
    } else {
        render(&header, &reports)
    })
}

/// `path`, except that the default path, when it is not found from the current folder, is
/// taken from the source tree (as `skillpass demo` finds its example files).
fn with_default(path: PathBuf, default: &str) -> PathBuf {
    if path == Path::new(default) && !path.exists() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(default)
    } else {
        path
    }
}

/// Record → unsigned OB 3.0 credential, issued by `key`'s DID (as `skillpass issue` builds it).
fn build_unsigned(record_json: &Value, key: &SecretKey, now: DateTime<Utc>) -> Result<Value> {
    let record = record::parse_record(record_json)?;
    let params = IssueParams {
        id: uuid::Uuid::new_v4(),
        issuer: key.public_key().did_key(),
        valid_from: now.trunc_subsecs(0),
    };
    Ok(credential::build_credential(&record, &params)?)
}

struct Setup {
    unsigned: Value,
    key: SecretKey,
    contexts: ContextRegistry,
    count: usize,
}

struct Header {
    record: String,
    key: String,
    did: String,
    count: usize,
    threads: usize,
    cpus: usize,
}

/// One throughput run: `count` signatures, then `count` verifications, on `threads` threads.
struct Run {
    threads: usize,
    sign: Rate,
    verify: Rate,
}

struct Rate {
    /// Wall time of all the operations (all threads together).
    elapsed: Duration,
    ops: usize,
    /// Median time of one operation, as seen by the thread that ran it.
    median: Duration,
}

impl Rate {
    fn per_second(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// What the breakdown pass measured for one suite.
struct Breakdown {
    runs: usize,
    /// Stage name and median time, in pipeline order; the last two are sign and verify.
    stages: Vec<(&'static str, Duration)>,
    /// Quads of the document and of the proof configuration (RDFC only).
    quads: Option<(usize, usize)>,
    /// Bytes of the canonical document and proof configuration.
    canonical_bytes: (usize, usize),
    /// Whether the explicit stages produced the real path's signature.
    matches_real_path: bool,
}

struct SuiteReport {
    suite: Cryptosuite,
    signed_bytes: usize,
    runs: Vec<Run>,
    breakdown: Breakdown,
}

fn bench_suite(setup: &Setup, suite: Cryptosuite, threads: usize) -> Result<SuiteReport> {
    let public = setup.key.public_key();
    let options = ProofOptions {
        suite,
        verification_method: public.verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: Utc::now().trunc_subsecs(0),
        challenge: None,
        domain: None,
    };
    // Warm-up, and the signed credential every verification checks.
    let signed = sign_once(setup, &options).with_context(|| format!("cannot sign with {suite}"))?;
    verify_once(&signed, &setup.contexts).with_context(|| format!("cannot verify {suite}"))?;

    let mut runs = vec![throughput(setup, &options, &signed, 1)?];
    if threads > 1 {
        runs.push(throughput(setup, &options, &signed, threads)?);
    }
    let breakdown = breakdown(setup, suite, &signed)?;
    Ok(SuiteReport {
        suite,
        signed_bytes: serde_json::to_vec(&signed)?.len(),
        runs,
        breakdown,
    })
}

fn sign_once(setup: &Setup, options: &ProofOptions) -> Result<Value> {
    Ok(proof::sign(
        &setup.unsigned,
        &setup.key,
        options,
        &setup.contexts,
    )?)
}

fn verify_once(signed: &Value, contexts: &ContextRegistry) -> Result<()> {
    let checks = proof::verify_proofs(signed, &DidKeyResolver, contexts, Utc::now())?;
    match checks.iter().find(|c| !c.holds()) {
        Some(check) => Err(anyhow!(
            "the benchmark's own signature does not verify: {}",
            check.failures.join("; ")
        )),
        None if checks.is_empty() => Err(anyhow!("the signed credential carries no proof")),
        None => Ok(()),
    }
}

/// Splits `count` operations over `threads` and times them; each thread records its per-op times.
fn timed_parallel<F>(count: usize, threads: usize, op: F) -> Result<Rate>
where
    F: Fn() -> Result<()> + Sync,
{
    let shares: Vec<usize> = (0..threads)
        .map(|i| count / threads + usize::from(i < count % threads))
        .collect();
    let start = Instant::now();
    let results: Vec<Result<Vec<u32>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .iter()
            .map(|&share| {
                let op = &op;
                scope.spawn(move || -> Result<Vec<u32>> {
                    let mut times = Vec::with_capacity(share);
                    for _ in 0..share {
                        let t = Instant::now();
                        op()?;
                        times.push(nanos(t.elapsed()));
                    }
                    Ok(times)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a benchmark thread panicked")))
            })
            .collect()
    });
    let elapsed = start.elapsed();
    let mut all = Vec::with_capacity(count);
    for result in results {
        all.extend(result?);
    }
    Ok(Rate {
        elapsed,
        ops: count,
        median: Duration::from_nanos(u64::from(median(&mut all))),
    })
}

fn throughput(
    setup: &Setup,
    options: &ProofOptions,
    signed: &Value,
    threads: usize,
) -> Result<Run> {
    let sign = timed_parallel(setup.count, threads, || sign_once(setup, options).map(drop))?;
    let verify = timed_parallel(setup.count, threads, || {
        verify_once(signed, &setup.contexts)
    })?;
    Ok(Run {
        threads,
        sign,
        verify,
    })
}

/// Nanoseconds, saturating at `u32::MAX` (4.3 s: no single operation here comes near it).
fn nanos(d: Duration) -> u32 {
    u32::try_from(d.as_nanos()).unwrap_or(u32::MAX)
}

fn median(values: &mut [u32]) -> u32 {
    if values.is_empty() {
        return 0;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable(mid).1
}

/// Times `f` and adds the elapsed nanoseconds to `slot`.
fn stage<T>(slot: &mut Vec<u32>, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let t = Instant::now();
    let out = f()?;
    slot.push(nanos(t.elapsed()));
    Ok(out)
}

/// The proof configuration the signature covers: the signed proof without `proofValue`, with
/// the document's `@context` for RDFC (as [`proof`] borrows it at hashing time).
fn proof_config(signed: &Value, suite: Cryptosuite) -> Result<(Value, Value, Vec<u8>)> {
    let mut document = signed
        .as_object()
        .cloned()
        .ok_or_else(|| anyhow!("the signed credential is not an object"))?;
    let mut config: Map<String, Value> = match document.remove("proof") {
        Some(Value::Object(p)) => p,
        // OB 3.0 credentials carry their one proof as a one-element array.
        Some(Value::Array(mut ps)) if ps.len() == 1 && ps[0].is_object() => match ps.remove(0) {
            Value::Object(p) => p,
            _ => unreachable!("checked to be an object"),
        },
        _ => bail!("the signed credential has no proof object"),
    };
    let proof_value = config
        .remove("proofValue")
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| anyhow!("the proof has no proofValue"))?;
    let signature = proof_value
        .strip_prefix('z')
        .and_then(|b58| bs58::decode(b58).into_vec().ok())
        .ok_or_else(|| anyhow!("the proofValue is not base58-btc"))?;
    if suite == Cryptosuite::EddsaRdfc2022 && !config.contains_key("@context") {
        if let Some(ctx) = document.get("@context") {
            config.insert("@context".into(), ctx.clone());
        }
    }
    Ok((Value::Object(config), Value::Object(document), signature))
}

fn breakdown(setup: &Setup, suite: Cryptosuite, signed: &Value) -> Result<Breakdown> {
    let (config, document, real_signature) = proof_config(signed, suite)?;
    let runs = setup.count.min(MAX_BREAKDOWN_RUNS);
    let public = setup.key.public_key();
    let options = jsonld::Options::strict();
    let contexts = &setup.contexts;
    let names: &[&'static str] = match suite {
        Cryptosuite::EddsaRdfc2022 => &[
            "JSON-LD expansion",
            "toRdf",
            "RDFC-1.0",
            "hashing (SHA-256)",
            "Ed25519 sign",
            "Ed25519 verify",
        ],
        Cryptosuite::EddsaJcs2022 => &[
            "JCS canonicalization",
            "hashing (SHA-256)",
            "Ed25519 sign",
            "Ed25519 verify",
        ],
    };
    let mut times: Vec<Vec<u32>> = vec![Vec::with_capacity(runs); names.len()];
    let mut quads = None;
    let mut canonical_bytes = (0, 0);
    let mut matches_real_path = true;
    for _ in 0..runs {
        let mut slots = times.iter_mut();
        let mut next = || slots.next().expect("one slot per stage");
        let (config_text, document_text) = match suite {
            Cryptosuite::EddsaRdfc2022 => {
                let expanded = stage(next(), || {
                    Ok((
                        jsonld::expand(&config, contexts, &options)?,
                        jsonld::expand(&document, contexts, &options)?,
                    ))
                })?;
                let rdf = stage(next(), || {
                    Ok((
                        jsonld::to_rdf(&expanded.0, &options)?,
                        jsonld::to_rdf(&expanded.1, &options)?,
                    ))
                })?;
                quads = Some((rdf.1.len(), rdf.0.len()));
                stage(next(), || {
                    Ok((
                        rdfc::canonicalize(&rdf.0, HashAlgorithm::Sha256)?,
                        rdfc::canonicalize(&rdf.1, HashAlgorithm::Sha256)?,
                    ))
                })?
            }
            Cryptosuite::EddsaJcs2022 => stage(next(), || {
                Ok((jcs::canonicalize(&config)?, jcs::canonicalize(&document)?))
            })?,
        };
        canonical_bytes = (document_text.len(), config_text.len());
        let input = stage(next(), || {
            let mut input = [0u8; 64];
            input[..32].copy_from_slice(&Sha256::digest(config_text.as_bytes()));
            input[32..].copy_from_slice(&Sha256::digest(document_text.as_bytes()));
            Ok(input)
        })?;
        let signature = stage(next(), || Ok(setup.key.sign(&input)))?;
        let valid = stage(next(), || Ok(public.verify(&input, &signature)))?;
        matches_real_path &= valid && signature[..] == real_signature[..];
    }
    let stages = names
        .iter()
        .zip(times.iter_mut())
        .map(|(name, t)| (*name, Duration::from_nanos(u64::from(median(t)))))
        .collect();
    Ok(Breakdown {
        runs,
        stages,
        quads,
        canonical_bytes,
        matches_real_path,
    })
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The human-readable report: a rate table like `openssl speed`, then the breakdown per suite.
fn render(h: &Header, reports: &[SuiteReport]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "record:  {}", h.record);
    let _ = writeln!(s, "key:     {} ({})", h.key, h.did);
    let _ = writeln!(
        s,
        "count:   {} credentials signed and verified per run; {} thread{} asked, {} CPU{}",
        h.count,
        h.threads,
        plural(h.threads),
        h.cpus,
        plural(h.cpus)
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<16} {:>7} {:>12} {:>12} {:>12} {:>12}",
        "suite", "threads", "sign/s", "verify/s", "sign µs/op", "verify µs/op"
    );
    for report in reports {
        for run in &report.runs {
            let _ = writeln!(
                s,
                "{:<16} {:>7} {:>12.1} {:>12.1} {:>12.1} {:>12.1}",
                report.suite.name(),
                run.threads,
                run.sign.per_second(),
                run.verify.per_second(),
                micros(run.sign.median),
                micros(run.verify.median)
            );
        }
    }
    let _ = writeln!(
        s,
        "(sign: proof::sign; verify: proof::verify_proofs, resolving did:key; µs/op: median op)"
    );
    for report in reports {
        if let [one, many] = &report.runs[..] {
            let _ = writeln!(
                s,
                "{}: {} threads sign {:.2}x and verify {:.2}x the rate of 1 thread",
                report.suite.name(),
                many.threads,
                many.sign.per_second() / one.sign.per_second(),
                many.verify.per_second() / one.verify.per_second()
            );
        }
    }
    for report in reports {
        let b = &report.breakdown;
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{} per-stage breakdown (one thread, median of {} runs; proof configuration + document):",
            report.suite.name(),
            b.runs
        );
        let mut shape = format!(
            "  signed credential {} bytes; canonical document {} bytes, proof configuration {} bytes",
            report.signed_bytes, b.canonical_bytes.0, b.canonical_bytes.1
        );
        if let Some((doc, config)) = b.quads {
            let _ = write!(shape, "; {doc} + {config} quads");
        }
        let _ = writeln!(s, "{shape}");
        let (verify_stage, rest) = b.stages.split_last().expect("stages");
        let sign_total: Duration = rest.iter().map(|(_, d)| *d).sum();
        let verify_total = sign_total - rest.last().expect("stages").1 + verify_stage.1;
        let _ = writeln!(s, "  {:<22} {:>10} {:>8}", "stage", "µs", "of sign");
        for (name, d) in &b.stages {
            let share = if *name == verify_stage.0 {
                String::new()
            } else {
                format!(
                    "{:.1}%",
                    100.0 * d.as_secs_f64() / sign_total.as_secs_f64().max(1e-12)
                )
            };
            let _ = writeln!(s, "  {:<22} {:>10.1} {:>8}", name, micros(*d), share);
        }
        let _ = writeln!(
            s,
            "  {:<22} {:>10.1}\n  {:<22} {:>10.1}",
            "sum (sign)",
            micros(sign_total),
            "sum (verify)",
            micros(verify_total)
        );
        if !b.matches_real_path {
            let _ = writeln!(
                s,
                "  WARNING: the explicit stages did not reproduce proof::sign's signature: \
                 the breakdown measures a different pipeline than the real path"
            );
        }
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Rounded to 3 decimals, so the JSON shows measured digits, not float noise.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn to_json(h: &Header, reports: &[SuiteReport]) -> Value {
    let rate = |r: &Rate| {
        json!({
            "perSecond": round3(r.per_second()),
            "medianMicros": round3(micros(r.median)),
            "millis": round3(r.elapsed.as_secs_f64() * 1e3),
            "operations": r.ops,
        })
    };
    json!({
        "record": h.record,
        "key": h.key,
        "did": h.did,
        "count": h.count,
        "threads": h.threads,
        "cpus": h.cpus,
        "suites": reports.iter().map(|r| json!({
            "suite": r.suite.name(),
            "signedBytes": r.signed_bytes,
            "runs": r.runs.iter().map(|run| json!({
                "threads": run.threads,
                "sign": rate(&run.sign),
                "verify": rate(&run.verify),
            })).collect::<Vec<_>>(),
            "breakdown": {
                "runs": r.breakdown.runs,
                "matchesRealPath": r.breakdown.matches_real_path,
                "canonicalDocumentBytes": r.breakdown.canonical_bytes.0,
                "canonicalProofConfigBytes": r.breakdown.canonical_bytes.1,
                "documentQuads": r.breakdown.quads.map(|q| q.0),
                "proofConfigQuads": r.breakdown.quads.map(|q| q.1),
                "stages": r.breakdown.stages.iter().map(|(name, d)| json!({
                    "stage": name,
                    "medianMicros": round3(micros(*d)),
                })).collect::<Vec<_>>(),
            },
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_parse() {
        assert_eq!(
            parse_suites("all").unwrap().0,
            [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022]
        );
        assert_eq!(
            parse_suites("eddsa-jcs-2022").unwrap().0,
            [Cryptosuite::EddsaJcs2022]
        );
        assert!(parse_suites("rsa").unwrap_err().contains("expected"));
    }

    #[test]
    fn shares_cover_the_count() {
        let rate = timed_parallel(7, 3, || Ok(())).unwrap();
        assert_eq!(rate.ops, 7);
        let mut v = vec![5, 1, 3];
        assert_eq!(median(&mut v), 3);
        assert_eq!(median(&mut []), 0);
    }
}
