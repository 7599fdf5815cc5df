#!/usr/bin/env bash
# Complete OpenID4VCI claims per second against `skillpass serve` (release build) on loopback,
# with the load generator (benches/claims.rs) on the same machine. See docs/BENCHMARKS.md.
#   usage: benches/claims.sh         env: CLAIMS=2000 CONCURRENCY=32
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet --bin skillpass
SKILLPASS_BIN=$PWD/target/release/skillpass cargo bench --quiet --bench claims
