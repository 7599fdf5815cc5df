#!/usr/bin/env bash
# Online backup of a serving sled node (GET /admin/backup, through `skillpass backup --server`):
# how long a backup of N credentials takes, how large it is, and how long an issue waits while
# the node writes its consistent view (sled: under the store's write lock).
#
#   cargo build --release && N=20000 benches/backup_online.sh
#
# Starts the release binary on a fresh data folder (loopback, port $PORT), registers one
# institution, issues N credentials (eddsa-jcs-2022, suspendable) through POST /records/batch,
# then takes BACKUPS backups while one client issues records one after another, and prints the
# backups' times and the client's latencies (all, and those of requests that were in flight
# during a backup).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20000}
BACKUPS=${BACKUPS:-3}
PORT=${PORT:-18181}
BIN=${BIN:-target/release/skillpass}
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
for f in admin.token master.key token.secret; do
  (umask 077 && openssl rand -hex 32 > "$work/$f")
done
api=http://127.0.0.1:$PORT
SKILLPASS_DATA_DIR=$work/data SKILLPASS_LISTEN=127.0.0.1:$PORT \
  SKILLPASS_PUBLIC_URL=http://node.test SKILLPASS_ADMIN_TOKEN_FILE=$work/admin.token \
  SKILLPASS_MASTER_KEY_FILE=$work/master.key SKILLPASS_TOKEN_SECRET_FILE=$work/token.secret \
  SKILLPASS_REQUEST_TIMEOUT_SECS=600 RUST_LOG=skillpass=info,tower_http=warn \
  "$BIN" serve 2> "$work/server.log" &
pid=$!
for _ in $(seq 100); do curl -sf "$api/health" > /dev/null && break; sleep 0.1; done
token=$(curl -sf -X POST "$api/admin/institutions" -H "Authorization: Bearer $(cat "$work/admin.token")" \
  -H 'Content-Type: application/json' \
  -d '{"id":"bk","name":"Backup Polytechnic","country":"ZW","framework":"ZNQF","didMethod":"did-key"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 - "$N" > "$work/records.jsonl" <<'EOF'
import json, sys
record = json.load(open("examples/records/zw-solar-pv-installation.json"))
for i in range(int(sys.argv[1])):
    record["recordId"] = f"bulk-{i}"
    print(json.dumps(record))
EOF
start=$(date +%s.%N)
curl -sf -X POST "$api/records/batch?cryptosuite=eddsa-jcs-2022&suspendable=true" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$work/records.jsonl" | tail -1
echo "issued $N in $(echo "$(date +%s.%N) - $start" | bc) s"

# One client issues records one after another and logs (start, end) of each request.
python3 - "$api" "$token" "$work/stop" > "$work/probe.log" <<'EOF' &
import json, os, sys, time, urllib.request
api, token, stop = sys.argv[1:4]
record = json.load(open("examples/records/zw-solar-pv-installation.json"))
n = 0
while not os.path.exists(stop):
    record["recordId"] = f"probe-{n}"
    body = json.dumps(record).encode()
    request = urllib.request.Request(f"{api}/records?cryptosuite=eddsa-jcs-2022&suspendable=true",
        data=body, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    t0 = time.time()
    with urllib.request.urlopen(request) as reply:
        assert reply.status == 201
    print(t0, time.time(), flush=True)
    n += 1
EOF
probe=$!
sleep 2
: > "$work/windows"
for b in $(seq "$BACKUPS"); do
  t0=$(date +%s.%N)
  "$BIN" backup --server "$api" --token-file "$work/admin.token" "$work/node-$b.backup" 2> "$work/backup-$b.log"
  t1=$(date +%s.%N)
  echo "$t0 $t1" >> "$work/windows"
  echo "backup $b: $(echo "$t1 - $t0" | bc) s, $(stat -c %s "$work/node-$b.backup") bytes, $(grep -o '[0-9]* items' "$work/backup-$b.log")"
  sleep 2
done
touch "$work/stop"
wait "$probe"
python3 - "$work/probe.log" "$work/windows" <<'EOF'
import statistics, sys
requests = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
windows = [tuple(map(float, l.split())) for l in open(sys.argv[2])]
ms = lambda r: (r[1] - r[0]) * 1000
overlapping = [r for r in requests if any(r[0] < w1 and r[1] > w0 for w0, w1 in windows)]
print(f"client issues: {len(requests)}, median {statistics.median(map(ms, requests)):.1f} ms, "
      f"max {max(map(ms, requests)):.1f} ms")
if overlapping:
    print(f"in flight during a backup: {len(overlapping)}, max {max(map(ms, overlapping)):.1f} ms")
EOF
grep "online backup taken" "$work/server.log" | tail -"$BACKUPS" | sed 's/.*online backup taken/server: online backup taken/'
