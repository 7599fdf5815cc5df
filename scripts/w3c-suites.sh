#!/usr/bin/env bash
# scripts/w3c-suites.sh -- run the five W3C Verifiable Credentials conformance suites against
# `skillpass serve` and print a result table.
#
#   scripts/w3c-suites.sh [suite ...]      suites: vc2.0 eddsa bsl issuer verifier
#                                           (default: all)
#
# The suites are third-party code: they are never part of this repository. Export them first
# with the shared harness into a scratch folder outside the repository, e.g.
#   T=../shared/tools/w3c-suites
#   $T/checkout.sh w3c/vc-data-model-2.0-test-suite        ../w3c/vc2.0
#   $T/checkout.sh w3c/vc-di-eddsa-test-suite              ../w3c/eddsa
#   $T/checkout.sh w3c/vc-bitstring-status-list-test-suite ../w3c/bsl
#   $T/checkout.sh w3c-ccg/vc-api-issuer-test-suite        ../w3c/issuer
#   $T/checkout.sh w3c-ccg/vc-api-verifier-test-suite      ../w3c/verifier
# (see ../shared/tools/w3c-suites/README.md; their GitHub-only npm dependencies come from
# W3C_MIRROR / W3C_DEPS_DIR).
#
# What it does: builds the release binary (unless W3C_SKILLPASS_BIN is given), starts
# `skillpass serve` on a scratch data folder and port, puts an HTTPS front (the harness's
# tls-proxy.mjs) before it -- the bitstring suite reads status lists only over https, so the
# service's public URL is the https one --, registers a did:key institution with the admin
# token, runs each suite with the harness's run.sh and prints total/passed/failed/pending.
#
# Environment:
#   W3C_SUITES_DIR   where the exported suites are (default <repo>/../w3c): vc2.0 eddsa bsl issuer verifier
#   W3C_TOOLS        the shared harness (default <repo>/../shared/tools/w3c-suites)
#   W3C_MIRROR       snapshots of the suites' GitHub-only deps (default <repo>/../.mirror)
#   W3C_SKILLPASS_BIN    a built skillpass binary (default: cargo build --release, target/release/skillpass)
#   W3C_PORT         port of `skillpass serve` (default 8091); W3C_TLS_PORT its https front (8491)
#   W3C_WORK         scratch folder for data, logs and results (default: a new mktemp -d)
#   W3C_SUMMARY      also write the table (markdown) to this file
# Exit status: 0 when no suite had a failure, 1 otherwise, 2 on setup problems.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITES_DIR=${W3C_SUITES_DIR:-$REPO/../w3c}
TOOLS=${W3C_TOOLS:-$REPO/../shared/tools/w3c-suites}
export W3C_MIRROR=${W3C_MIRROR:-$REPO/../.mirror}
PORT=${W3C_PORT:-8091}
TLS_PORT=${W3C_TLS_PORT:-8491}
WORK=${W3C_WORK:-$(mktemp -d /tmp/skillpass-w3c.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
case "$WORK/" in "$REPO"/*) echo "W3C_WORK must be outside the repository" >&2; exit 2 ;; esac
[ -x "$TOOLS/run.sh" ] || { echo "no harness at $TOOLS (set W3C_TOOLS)" >&2; exit 2; }

if [ $# -gt 0 ]; then SUITES=("$@"); else SUITES=(vc2.0 eddsa bsl issuer verifier); fi

die() { echo "w3c-suites: $*" >&2; exit 2; }

# 1. the binary
if [ -z "${W3C_SKILLPASS_BIN:-}" ]; then
  (cd "$REPO" && cargo build --release --quiet) || die "cargo build --release failed"
  W3C_SKILLPASS_BIN=$REPO/target/release/skillpass
fi
[ -x "$W3C_SKILLPASS_BIN" ] || die "no binary at $W3C_SKILLPASS_BIN"

# 2. the service on a scratch data folder, behind an HTTPS front
ADMIN=$(openssl rand -hex 32)
BASE=http://127.0.0.1:$PORT
PUBLIC=https://127.0.0.1:$TLS_PORT
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
SKILLPASS_DATA_DIR=$WORK/data SKILLPASS_LISTEN=127.0.0.1:$PORT SKILLPASS_PUBLIC_URL=$PUBLIC \
  SKILLPASS_ADMIN_TOKEN=$ADMIN RUST_LOG=${RUST_LOG:-warn} \
  "$W3C_SKILLPASS_BIN" serve >"$WORK/serve.log" 2>&1 &
pids+=($!)
mkdir -p "$WORK/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" -days 30 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1 || die "openssl failed"
node "$TOOLS/tls-proxy.mjs" --target "$BASE" --port "$TLS_PORT" \
  --cert "$WORK/tls/cert.pem" --key "$WORK/tls/key.pem" >"$WORK/tls-proxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -sf -o /dev/null "$BASE/openapi.json" && grep -q listening "$WORK/tls-proxy.log" && break
  sleep 0.2
done
curl -sf -o /dev/null "$BASE/openapi.json" || { cat "$WORK/serve.log" >&2; die "the service did not start"; }
grep -q listening "$WORK/tls-proxy.log" || { cat "$WORK/tls-proxy.log" >&2; die "tls-proxy did not start"; }

# 3. one did:key institution (its DID is the issuer the suites write into credentials)
reply=$(curl -s -X POST "$BASE/admin/institutions" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' \
  -d '{"id": "w3c-suites", "name": "W3C suites test college", "country": "MY",
       "framework": "MQF", "qualityAssurance": "Malaysian Qualifications Agency",
       "didMethod": "did-key"}')
DID=$(jq -r '.institution.did // empty' <<<"$reply")
TOKEN=$(jq -r '.token // empty' <<<"$reply")
[ -n "$DID" ] && [ -n "$TOKEN" ] || die "registering the institution failed: $reply"
echo "== service $BASE (public $PUBLIC), issuer $DID, work folder $WORK"

# 4. a localConfig with one issuer per cryptosuite (the eddsa suite picks issuers by tag)
cat >"$WORK/localConfig.cjs" <<CJS
// written by skillpass scripts/w3c-suites.sh
const base = '$PUBLIC';
const id = '$DID';
const headers = {Authorization: 'Bearer $TOKEN'};
const tags = (process.env.W3C_TAGS || '').split(',').filter(Boolean);
const issuer = (suite, extraTags) => ({
  id, endpoint: base + '/credentials/issue', headers,
  tags: [...tags, ...extraTags], options: {cryptosuite: suite},
  supports: {vc: ['1.1', '2.0']}
});
// The eddsa suite picks issuers by tag: one issuer per cryptosuite, each tagged with its own.
const suites = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'].filter(t => tags.includes(t));
const issuers = suites.length ?
  suites.map(suite => ({...issuer(suite, []), tags: [suite]})) :
  [issuer('eddsa-rdfc-2022', [])];
module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [{
    name: 'skillpass', implementation: 'skillpass', issuers,
    verifiers: [{id, endpoint: base + '/credentials/verify', headers, tags}],
    vpVerifiers: [{id, endpoint: base + '/presentations/verify', headers, tags}]
  }]
};
CJS

# 5. the suites
rows=()
overall=0
for s in "${SUITES[@]}"; do
  tags=""
  case "$s" in
    vc2.0) dir=vc2.0 ;;
    eddsa) dir=eddsa; tags=eddsa-rdfc-2022,eddsa-jcs-2022 ;;
    bsl) dir=bsl ;;
    issuer) dir=issuer ;;
    verifier) dir=verifier ;;
    *) die "unknown suite $s (vc2.0 eddsa bsl issuer verifier)" ;;
  esac
  [ -d "$SUITES_DIR/$dir" ] || die "suite $s is not exported at $SUITES_DIR/$dir (see the header)"
  out=$WORK/results/$s
  mkdir -p "$out"
  echo "== $s"
  W3C_OUT=$out W3C_TAGS=$tags W3C_LOCAL_CONFIG=$WORK/localConfig.cjs W3C_TLS_PROXY=0 \
    W3C_ISSUER_ID=$DID "$TOOLS/run.sh" "$SUITES_DIR/$dir" "$PUBLIC" >"$out/run.log" 2>&1
  rc=$?
  [ "$rc" = 0 ] || overall=1
  if [ -f "$out/results.json" ]; then
    row=$(node -e '
      const r = require(process.argv[1]);
      console.log([r.planned, r.passed, r.failed + r.hookFailures, r.pending,
        r.notRun].join(" "));
    ' "$out/results.json")
  else
    row="0 0 0 0 ?"; overall=1
  fi
  commit=$(awk '{print substr($2,1,12)}' "$SUITES_DIR/$dir/.w3c-commit" 2>/dev/null)
  rows+=("$s $row ${commit:-unknown} $rc")
done

# 6. the table
{
  echo "| suite | total | passed | failed | pending | not run | suite commit |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for r in "${rows[@]}"; do
    set -- $r
    echo "| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"
  done
} | tee "$WORK/summary.md"
[ -n "${W3C_SUMMARY:-}" ] && cp "$WORK/summary.md" "$W3C_SUMMARY"
echo "== per-test results: $WORK/results/<suite>/results.json"
exit $overall
