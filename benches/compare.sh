#!/usr/bin/env bash
# Side-by-side: skillpass (criterion, release, one core; then `skillpass bench` on 1 and 2
# threads) and Digital Bazaar's jsonld.js stack (tests/peers/bench.mjs) signing and verifying the
# same OB 3.0 credential with both suites.
#   usage: benches/compare.sh            (needs Node.js and npm; installs tests/peers when needed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
peer=${PEER_JS:-$PWD/tests/peers}
if ! cmp -s "$peer/package-lock.json" "$peer/node_modules/.skillpass-installed-lock.json"; then
  npm ci --prefix "$peer" --ignore-scripts --no-audit --no-fund --loglevel=error
  cp "$peer/package-lock.json" "$peer/node_modules/.skillpass-installed-lock.json"
fi

echo "== skillpass (criterion medians, taskset -c 1)"
taskset -c 1 cargo bench --bench credential -- --noplot 2>&1 | tee target/bench-skillpass.txt |
  grep -E '^(skillpass-record|peer-sample)/|time:' || true

echo "== skillpass bench (release, the record's credential, 1 and 2 threads)"
cargo build --release --quiet
./target/release/skillpass bench --suite all -n 10000 --threads 2 | tee target/bench-threads.txt

echo "== tests/peers bench.mjs, same credential (benches/peer-learning-outcome.json)"
(cd "$peer" && taskset -c 1 node bench.mjs 200 --rounds 5 --suite all \
  --credential "$OLDPWD/benches/peer-learning-outcome.json" --json) | tee target/bench-peer.json

python3 - <<'PY'
import json, os
def median_seconds(group, bench):
    path = f"target/criterion/{group.replace('/', '_')}/{bench}/new/estimates.json"
    if not os.path.exists(path):
        return None
    return json.load(open(path))["median"]["point_estimate"] * 1e-9
peer = json.load(open("target/bench-peer.json"))
print("\n| suite | op | skillpass median | skillpass /s | peers /s (median of rounds) | ratio |")
print("|---|---|---:|---:|---:|---:|")
for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
    p = peer["suites"].get(suite)
    for op, key, pkey in (("sign", "sign", "signPerSec"), ("verify (proof only)", "verify-proof", "verifyPerSec")):
        t = median_seconds(f"peer-sample/{suite}", key)
        if t is None:
            continue
        ps = p.get(pkey) if p else None
        ratio = f"{(1/t)/ps:.1f}x" if ps else "n/a"
        print(f"| {suite} | {op} | {t*1e3:.3f} ms | {1/t:,.0f} | {ps if ps else 'n/a'} | {ratio} |")
PY
