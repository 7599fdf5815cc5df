#!/usr/bin/env bash
# Service load test: `skillpass serve` (release build) on loopback with a fresh data folder,
# one registered institution, and wrk driving each endpoint in turn:
#   health        GET  /health                                   (HTTP stack ceiling)
#   issue-rdfc    POST /records                                  (eddsa-rdfc-2022, durable)
#   issue-jcs     POST /records?cryptosuite=eddsa-jcs-2022       (cheap signing: storage ceiling)
#   verify-rdfc   POST /credentials/verify  (an rdfc credential, status lists included)
#   verify-jcs    POST /credentials/verify  (a jcs credential, status lists included)
# Records carry no recordId, so every issue request makes and stores a new credential.
#
# For each phase it prints req/s, latency percentiles (wrk, closed loop), errors (wrk's
# connect/read/write/timeout plus non-2xx answers), the server's CPU use (cores, and CPU
# milliseconds per request, which holds up better than req/s when other processes compete
# for the cores), fsync calls per second (with perf: group commit batches many requests per
# fsync) and the server's peak RSS during the phase (VmHWM, reset between phases through
# /proc/PID/clear_refs). It ends with the fsync latency of the data folder's disk.
#
#   usage: benches/load.sh                      (needs wrk, curl, jq, python3)
#   env:   DURATION=20s CONNECTIONS=16 WRK_THREADS=2 PHASES="health issue-rdfc ..."
#          PERF=1  also records a perf profile of the server per phase (target/load/perf-*.data)
#          KEEP=1  keeps the temporary data folder
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

duration=${DURATION:-20s}
connections=${CONNECTIONS:-16}
wrk_threads=${WRK_THREADS:-2}
phases=${PHASES:-"health issue-rdfc issue-jcs verify-rdfc verify-jcs"}
for tool in wrk curl jq python3; do
  command -v "$tool" >/dev/null || { echo "load.sh needs $tool (e.g. apt-get install $tool)" >&2; exit 1; }
done

cargo build --release --quiet --bin skillpass
bin=$root/target/release/skillpass
out=$root/target/load
mkdir -p "$out"

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  if [ -n "${KEEP:-}" ]; then echo "data folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# A production configuration: admin token, master key and token secret from files.
for f in admin-token master-key token-secret; do
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/$f"
  chmod 600 "$work/$f"
done
admin=$(cat "$work/admin-token")
cat >"$work/skillpass.toml" <<EOF
data_dir = "$work/data"
listen = "127.0.0.1:$port"
admin_token_file = "$work/admin-token"
master_key_file = "$work/master-key"
token_secret_file = "$work/token-secret"
EOF

RUST_LOG=${RUST_LOG:-skillpass=warn,tower_http=warn} \
  "$bin" serve --config "$work/skillpass.toml" 2>"$out/server.log" &
pid=$!
for _ in $(seq 1 200); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -fsS "$base/health" >/dev/null

token=$(curl -fsS -X POST "$base/admin/institutions" \
  -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"id":"zvp","name":"Zambezi Valley Polytechnic","country":"ZW","framework":"ZNQF"}' |
  jq -r .token)
# Verification checks the issuer against the alliance trust registry: make it a member.
did=$(curl -fsS "$base/admin/institutions" -H "Authorization: Bearer $admin" |
  jq -r '.institutions[] | select(.id == "zvp") | .did')
curl -fsS -o /dev/null -X PUT "$base/admin/registry/members/zvp" \
  -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"Zambezi Valley Polytechnic","country":"ZW","dids":["'"$did"'"],"framework":"ZNQF",
       "qualityAssurance":{"body":"ZIMCHE","status":"accredited"},"validFrom":"2020-01-01T00:00:00Z"}'

# A record without recordId (each request issues anew), and one credential per suite to verify.
jq 'del(.recordId)' examples/records/zw-solar-pv-installation.json >"$work/record.json"
for suite in rdfc jcs; do
  curl -fsS -X POST "$base/records?cryptosuite=eddsa-$suite-2022" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data @"$work/record.json" | jq '{verifiableCredential}' >"$work/verify-$suite.json"
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$base/credentials/verify" \
    -H 'Content-Type: application/json' --data @"$work/verify-$suite.json")
  [ "$code" = 200 ] || { echo "the $suite credential does not verify (HTTP $code)" >&2; exit 1; }
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }

echo "# skillpass service load: $(date -u +%FT%TZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo "# wrk -t$wrk_threads -c$connections -d$duration --timeout 10s; server and wrk share the machine"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-11s | %9s | %8s | %8s | %8s | %8s | %6s | %9s | %10s | %7s | %9s |\n' \
  phase 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' errors 'srv cores' 'CPU ms/req' 'fsync/s' 'peak RSS'
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
can_count_fsyncs=
perf stat -e syscalls:sys_enter_fsync true >/dev/null 2>&1 && can_count_fsyncs=1

get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $result"; }
peak=0 issued=2
for phase in $phases; do
  body= auth= path=
  case $phase in
    health) path=/health ;;
    issue-rdfc) path=/records body=$work/record.json auth=$token ;;
    issue-jcs) path='/records?cryptosuite=eddsa-jcs-2022' body=$work/record.json auth=$token ;;
    verify-rdfc) path=/credentials/verify body=$work/verify-rdfc.json ;;
    verify-jcs) path=/credentials/verify body=$work/verify-jcs.json ;;
    *) echo "unknown phase $phase" >&2; exit 1 ;;
  esac
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true # resets VmHWM to the current RSS
  perf_pid=
  if [ -n "${PERF:-}" ]; then
    perf record -e cpu-clock -F 499 -g -p "$pid" -o "$out/perf-$phase.data" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  stat_pid=
  if [ -n "$can_count_fsyncs" ]; then
    perf stat -x, -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync -p "$pid" \
      -o "$out/fsync-$phase.csv" >/dev/null 2>&1 &
    stat_pid=$!
  fi
  before=$(cpu_ticks)
  start=$(date +%s.%N)
  WRK_BODY=$body WRK_TOKEN=$auth wrk -t"$wrk_threads" -c"$connections" -d"$duration" \
    --timeout 10s --latency -s benches/wrk-post.lua "$base$path" >"$out/wrk-$phase.txt"
  end=$(date +%s.%N)
  after=$(cpu_ticks)
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  fsyncs=n/a
  if [ -n "$stat_pid" ]; then
    kill -INT "$stat_pid"
    wait "$stat_pid" || true
    fsyncs=$(awk -F, -v s="$start" -v e="$end" '$3 ~ /sync/ {n += $1} END {printf "%.0f", n / (e - s)}' \
      "$out/fsync-$phase.csv")
  fi
  result=$(grep '^RESULT' "$out/wrk-$phase.txt")
  errors=$(( $(get err_connect) + $(get err_read) + $(get err_write) + $(get err_status) + $(get err_timeout) ))
  cores=$(awk -v t="$((after - before))" -v hz="$ticks" -v s="$start" -v e="$end" \
    'BEGIN {printf "%.2f", t / hz / (e - s)}')
  cpu_ms=$(awk -v c="$cores" -v r="$(get rps)" 'BEGIN {printf "%.3f", c * 1000 / r}')
  hwm=$(kib VmHWM)
  [ "$hwm" -gt "$peak" ] && peak=$hwm
  case $phase in issue-*) issued=$(( issued + $(get requests) - $(get err_status) )) ;; esac
  printf '| %-11s | %9s | %8s | %8s | %8s | %8s | %6s | %9s | %10s | %7s | %5s MiB |\n' "$phase" \
    "$(get rps)" "$(get p50_ms)" "$(get p90_ms)" "$(get p99_ms)" "$(get max_ms)" "$errors" \
    "$cores" "$cpu_ms" "$fsyncs" "$((hwm / 1024))"
done

echo "# server peak RSS over all phases: $((peak / 1024)) MiB; now $(( $(kib VmRSS) / 1024 )) MiB"
stored=$(du -sk "$work/data" | cut -f1)
echo "# data folder: $((stored / 1024)) MiB for about $issued credentials" \
  "($(( stored * 1024 / issued )) bytes each, sled's log and indexes included)"
python3 - "$work" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
lat = []
for _ in range(200):
    os.write(fd, b"x" * 8192)
    t = time.perf_counter()
    os.fsync(fd)
    lat.append((time.perf_counter() - t) * 1e3)
os.close(fd)
os.unlink(path)
lat.sort()
print(f"# disk: fsync after an 8 KiB append, 200 times: p50 {lat[100]:.2f} ms, p90 {lat[180]:.2f} ms, "
      f"p99 {lat[198]:.2f} ms, max {lat[-1]:.2f} ms")
PY
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# wrk output per phase: $out/wrk-*.txt; server log: $out/server.log"
