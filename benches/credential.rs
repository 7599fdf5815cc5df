//! Sign and verify one realistic Open Badges 3.0 credential with each cryptosuite.
//!
//! Run with `cargo bench --bench credential` (or `benches/compare.sh` for the side-by-side run
//! with the JavaScript peer). Two credentials are measured: the one skillpass builds from
//! `examples/records/szpu-3d-animation-production.json`, and peer-js's own benchmark sample
//! (`benches/peer-learning-outcome.json`), so the ratio with `bench.mjs` compares like with like.

use std::path::Path;

/// The allocator the binary uses (`src/main.rs`), so the figures are the service's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use serde_json::Value;
use skillpass::contexts::ContextRegistry;
use skillpass::credential::{self, IssueParams};
use skillpass::keys::SecretKey;
use skillpass::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use skillpass::record;
use skillpass::verify::{self, CheckName, VerifyOptions};

fn read_json(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn credentials(key: &SecretKey) -> Vec<(&'static str, Value)> {
    let issuer = key.public_key().did_key();
    let record = record::parse_record(&read_json(
        "examples/records/szpu-3d-animation-production.json",
    ))
    .expect("example record");
    let params = IssueParams {
        id: uuid::Uuid::from_u128(1),
        issuer: issuer.clone(),
        valid_from: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
    };
    let ours = credential::build_credential(&record, &params).expect("credential");
    let mut peer = read_json("benches/peer-learning-outcome.json");
    peer["issuer"]["id"] = issuer.into();
    vec![("skillpass-record", ours), ("peer-sample", peer)]
}

fn bench(c: &mut Criterion) {
    let key = SecretKey::from_seed(&[7; 32]);
    let contexts = ContextRegistry::bundled();
    let verify_options = VerifyOptions::new(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap());
    for (name, unsigned) in credentials(&key) {
        for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
            let options = ProofOptions {
                suite,
                verification_method: key.public_key().verification_method_id(),
                purpose: ProofPurpose::AssertionMethod,
                created: Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(),
                challenge: None,
                domain: None,
            };
            let mut group = c.benchmark_group(format!("{name}/{suite}"));
            group.bench_function("sign", |b| {
                b.iter_batched(
                    || unsigned.clone(),
                    |doc| proof::sign(&doc, &key, &options, &contexts).unwrap(),
                    BatchSize::SmallInput,
                )
            });
            let signed = proof::sign(&unsigned, &key, &options, &contexts).unwrap();
            group.bench_function("verify", |b| {
                b.iter(|| {
                    let report = verify::verify(&signed, &verify_options).unwrap();
                    // peer-js's sample lacks the `targetUrl` OB 3.0's schema requires, so only
                    // the proof is asserted; the full report (schema included) is what is timed.
                    assert!(report.check(CheckName::Proof).unwrap().verified);
                })
            });
            // The signature alone, as bench.mjs's verifyCredential checks it (no schema).
            let resolver = skillpass::did::DidKeyResolver;
            group.bench_function("verify-proof", |b| {
                b.iter(|| {
                    let checks =
                        proof::verify_proofs(&signed, &resolver, &contexts, verify_options.now)
                            .unwrap();
                    assert!(checks.iter().all(|p| p.holds()));
                })
            });
            group.finish();
        }
    }
}

/// Signing a status list — what a revocation costs the service (the signed list is cached until
/// its bits change) — with eddsa-rdfc-2022, which wallets check, against eddsa-jcs-2022, which
/// the service used before. A minimum-size list (131,072 entries) with 1,000 revoked at random.
fn status_lists(c: &mut Criterion) {
    use skillpass::status::{self, Bitstring, StatusPurpose};
    let key = SecretKey::from_seed(&[7; 32]);
    let contexts = ContextRegistry::bundled();
    let mut bits = Bitstring::new(status::MIN_LIST_LENGTH).unwrap();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..1000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bits.set(x % status::MIN_LIST_LENGTH as u64, true).unwrap();
    }
    let created = Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap();
    let list = status::status_list_credential(
        "https://skillpass.example/status/szpu/revocation/0",
        &key.public_key().did_key(),
        StatusPurpose::Revocation,
        &bits,
        created,
    );
    let mut group = c.benchmark_group("status-list");
    for suite in [Cryptosuite::EddsaRdfc2022, Cryptosuite::EddsaJcs2022] {
        let options = ProofOptions {
            suite,
            verification_method: key.public_key().verification_method_id(),
            purpose: ProofPurpose::AssertionMethod,
            created,
            challenge: None,
            domain: None,
        };
        group.bench_function(format!("sign/{suite}"), |b| {
            b.iter(|| proof::sign(&list, &key, &options, &contexts).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench, status_lists);
criterion_main!(benches);
