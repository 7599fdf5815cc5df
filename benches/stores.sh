#!/usr/bin/env bash
# Store comparison (issue 16 item 4): `skillpass serve` (release) on sled, on PostgreSQL, and
# two processes on one PostgreSQL database, each driven by wrk on loopback:
#   issue-jcs    POST /records?cryptosuite=eddsa-jcs-2022   (cheap signing: storage shows)
#   issue-rdfc   POST /records                               (the default suite)
#   verify-rdfc  POST /credentials/verify                    (status lists read from the store)
# PostgreSQL is a throwaway cluster from Debian's binaries (/usr/lib/postgresql/*/bin): initdb in
# a temporary folder, Unix socket only, default durability (fsync on, synchronous_commit on),
# run as the `postgres` user when this runs as root. Records carry no recordId.
# Each configuration runs REPEAT times (default 3); the table gives the median req/s and p99.
# With two processes, one wrk per process runs at the same time; req/s is their sum.
#
#   usage: benches/stores.sh          (needs wrk, curl, jq, python3, postgresql)
#   env:   DURATION=10s CONNECTIONS=16 REPEAT=3 PHASES="issue-jcs issue-rdfc verify-rdfc"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
repeat=${REPEAT:-3}
phases=${PHASES:-"issue-jcs issue-rdfc verify-rdfc"}
for tool in wrk curl jq python3; do
  command -v "$tool" >/dev/null || { echo "stores.sh needs $tool" >&2; exit 1; }
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "stores.sh needs Debian's postgresql package" >&2; exit 1; }

cargo build --release --quiet --bin skillpass
bin=$root/target/release/skillpass
out=$root/target/stores
mkdir -p "$out"
work=$(mktemp -d)
chmod 755 "$work"
pids=()
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -d "$work/pg/data" ] && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The cluster.
mkdir -p "$work/pg"
[ "${#as_pg[@]}" -gt 0 ] && chown postgres: "$work/pg"
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -U skillpass --auth=trust -E UTF8 --locale=C >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-k $work/pg -c listen_addresses='' -c max_connections=200" start >/dev/null
db=0
# new_db: creates a database and sets `url` to it (no subshell: the counter must advance).
new_db() {
  db=$((db + 1))
  "${as_pg[@]}" "$pgbin/createdb" -h "$work/pg" -U skillpass "bench$db"
  url="postgresql:///bench$db?host=$work/pg&user=skillpass"
}

# Secrets every process of a node shares.
for f in admin-token master-key token-secret; do
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/$f"
  chmod 600 "$work/$f"
done
admin=$(cat "$work/admin-token")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME STORE_LINE: starts a server; appends its base URL to `bases`.
start() {
  local name=$1 store=$2 port
  port=$(free_port)
  cat >"$work/$name.toml" <<EOF
$store
listen = "127.0.0.1:$port"
public_url = "http://bench.test"
admin_token_file = "$work/admin-token"
master_key_file = "$work/master-key"
token_secret_file = "$work/token-secret"
EOF
  RUST_LOG=skillpass=warn,tower_http=warn "$bin" serve --config "$work/$name.toml" \
    >/dev/null 2>>"$out/server-$name.log" &
  pids+=($!)
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.05
  done
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null
  bases+=("http://127.0.0.1:$port")
}

stop_all() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  pids=()
}

# setup BASE: registers an institution (a registry member), writes record.json and the
# credential to verify; prints the token.
setup() {
  local base=$1 token did
  token=$(curl -fsS -X POST "$base/admin/institutions" \
    -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"id":"zvp","name":"Zambezi Valley Polytechnic","country":"ZW","framework":"ZNQF"}' |
    jq -r .token)
  did=$(curl -fsS "$base/admin/institutions" -H "Authorization: Bearer $admin" |
    jq -r '.institutions[] | select(.id == "zvp") | .did')
  curl -fsS -o /dev/null -X PUT "$base/admin/registry/members/zvp" \
    -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"Zambezi Valley Polytechnic","country":"ZW","dids":["'"$did"'"],"framework":"ZNQF",
         "qualityAssurance":{"body":"ZIMCHE","status":"accredited"},"validFrom":"2020-01-01T00:00:00Z"}'
  jq 'del(.recordId)' examples/records/zw-solar-pv-installation.json >"$work/record.json"
  curl -fsS -X POST "$base/records" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data @"$work/record.json" |
    jq '{verifiableCredential}' >"$work/verify.json"
  echo "$token"
}

# run PHASE TOKEN BASE...: one wrk per base at once; prints "rps p99".
run() {
  local phase=$1 token=$2 body path auth i
  shift 2
  case $phase in
    issue-jcs) path='/records?cryptosuite=eddsa-jcs-2022' body=$work/record.json auth=$token ;;
    issue-rdfc) path=/records body=$work/record.json auth=$token ;;
    verify-rdfc) path=/credentials/verify body=$work/verify.json auth= ;;
  esac
  i=0
  local wrk_pids=() results
  results=$(mktemp -d -p "$work")
  for base in "$@"; do
    i=$((i + 1))
    WRK_BODY=$body WRK_TOKEN=$auth wrk -t1 -c"$connections" -d"$duration" --timeout 10s \
      --latency -s benches/wrk-post.lua "$base$path" >"$results/wrk-$i.txt" &
    wrk_pids+=($!)
  done
  for p in "${wrk_pids[@]}"; do wait "$p"; done
  cat "$results"/wrk-*.txt | grep '^RESULT' | python3 -c '
import sys
rps = p99 = errors = 0.0
for line in sys.stdin:
    kv = dict(x.split("=") for x in line.split()[1:])
    rps += float(kv["rps"]); p99 = max(p99, float(kv["p99_ms"]))
    errors += sum(float(kv[k]) for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
print(f"{rps:.0f} {p99:.2f} {errors:.0f}")'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "# skillpass stores: $(date -u +%FT%TZ), $(nproc) CPUs; wrk -t1 -c$connections -d$duration per process, $repeat runs, medians"
echo "# PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') (fsync on, synchronous_commit on); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-24s | %-11s | %9s | %8s | %6s | %s |\n' store phase 'req/s' 'p99 ms' errors 'runs (req/s)'
echo '|---|---|---:|---:|---:|---|'
for config in sled postgres postgres-2; do
  bases=()
  case $config in
    sled) start s1 "data_dir = \"$work/sled\"" ;;
    postgres) new_db; start p1 "database_url = \"$url\"" ;;
    postgres-2) new_db; start q1 "database_url = \"$url\""; start q2 "database_url = \"$url\"" ;;
  esac
  token=$(setup "${bases[0]}")
  for phase in $phases; do
    runs=() p99s=() errs=0
    for _ in $(seq 1 "$repeat"); do
      read -r rps p99 e < <(run "$phase" "$token" "${bases[@]}")
      runs+=("$rps") p99s+=("$p99") errs=$((errs + e))
    done
    label=$config
    [ "$config" = postgres-2 ] && label="postgres, 2 processes"
    printf '| %-24s | %-11s | %9s | %8s | %6s | %s |\n' "$label" "$phase" \
      "$(printf '%s\n' "${runs[@]}" | median)" "$(printf '%s\n' "${p99s[@]}" | median)" "$errs" "${runs[*]}"
  done
  stop_all
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
