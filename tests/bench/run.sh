#!/usr/bin/env bash
# Runs the MUTT Console benchmarks. Each figure is a ratio against a limit
# measured in the same run on the same machine, never an absolute target.
# Results go to stdout and to build/release/bench-results.md.
#
# Usage: tests/bench/run.sh [--quick]
#   --quick  shorter runs (5 s instead of 15 s per wrk measurement)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

duration=15
[ "${1:-}" = "--quick" ] && duration=5

if [ "${MUTT_BENCH_SKIP_DEPS:-0}" != 1 ]; then ./installer/install-build-deps.sh >/dev/null; fi
cmake --preset release >/dev/null
# Only what the runner starts: the console and the tests are not needed here.
cmake --build --preset release --target muttd mutt-mock-moog bench_forwarder bench_rules_match
bin="$repo/build/release/bin"
out="$repo/build/release/bench-results.md"
work="$(mktemp -d -t mutt-bench.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
# wrk_rps URL LUA_SCRIPT -> requests/s
wrk_rps() {
  wrk -t2 -c64 -d"${duration}s" -s "$2" "$1" 2>/dev/null | awk '/Requests\/sec/ {print $2}'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

echo "# Benchmark run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, wrk -t2 -c64 -d${duration}s" | tee "$out"
echo | tee -a "$out"
echo "| What | Measured | Limit (same run) | Ratio | Target |" | tee -a "$out"
echo "|---|---|---|---|---|" | tee -a "$out"
row() { echo "| $1 | $2 | $3 | $4 | $5 |" | tee -a "$out"; }

# --- limit: nginx answering a fixed 200 -----------------------------------
nginx_port="$(free_port)"
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { return 200 '{"status":"queued"}'; }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_http "http://127.0.0.1:$nginx_port/"

# One syslog event per request, and an NDJSON batch of 100 events.
python3 - "$work" <<'PY'
import json, sys
event = {"timestamp": "2025-01-15T14:30:22Z", "hostname": "bench-host", "message": "%LINK-3-UPDOWN: ERROR interface Gi0/1 down", "syslog_severity": 3}
one = json.dumps(event)
batch = "\n".join(json.dumps(dict(event, message=f"bench event {i}")) for i in range(100)) + "\n"
def lua(body, ctype):
    return ('wrk.method = "POST"\nwrk.body = ' + json.dumps(body) + '\nwrk.headers["Content-Type"] = "' + ctype + '"\n'
            'wrk.headers["X-API-KEY"] = os.getenv("MUTT_BENCH_KEY") or "bench-key"\n')
open(sys.argv[1] + "/one.lua", "w").write(lua(one, "application/json"))
open(sys.argv[1] + "/batch.lua", "w").write(lua(batch, "application/x-ndjson"))
PY
nginx_rps="$(wrk_rps "http://127.0.0.1:$nginx_port/" "$work/one.lua")"

# --- muttd ingest only (embedded store) -----------------------------------
start_muttd() {  # start_muttd ROLES DATADIR
  export SERVER_PORT_INGESTOR="$(free_port)" SERVER_PORT_WEBUI="$(free_port)"
  export HEALTH_PORT_ALERTER="$(free_port)" METRICS_PORT_ALERTER="$(free_port)"
  export HEALTH_PORT_MOOG="$(free_port)" METRICS_PORT_MOOG="$(free_port)"
  export HEALTH_PORT_REMEDIATION="$(free_port)" METRICS_PORT_REMEDIATION="$(free_port)"
  export INGEST_API_KEY=bench-key WEBUI_API_KEY=bench-webui-key LOG_LEVEL=warn
  "$bin/muttd" run --role "$1" --embedded --data-dir "$2" > "$2.log" 2>&1 &
  muttd_pid=$!
  pids+=($muttd_pid)
  wait_http "http://127.0.0.1:$SERVER_PORT_INGESTOR/health"
}
stop_muttd() { kill "$muttd_pid"; wait "$muttd_pid" 2>/dev/null || true; }
export MUTT_BENCH_KEY=bench-key

start_muttd ingestor "$work/ingest-only"
ingest_rps="$(wrk_rps "http://127.0.0.1:$SERVER_PORT_INGESTOR/ingest" "$work/one.lua")"
row "Ingest, 1 event/request, keep-alive, embedded store (requests/s)" "$ingest_rps" "nginx fixed 200: $nginx_rps" "$(ratio "$ingest_rps" "$nginx_rps")" "≥ 0.5 (into Redis)"
batch_rps="$(wrk_rps "http://127.0.0.1:$SERVER_PORT_INGESTOR/ingest" "$work/batch.lua")"
batch_eps="$(python3 -c "print(int(float('$batch_rps')*100))")"
stop_muttd

# --- limit: redis-benchmark LPUSH, pipeline 100 ---------------------------
redis_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$work/redis.log" 2>&1 &
pids+=($!)
sleep 0.5
redis_ops="$(redis-benchmark -p "$redis_port" -t lpush -n 2000000 -P 100 --csv 2>/dev/null | awk -F'"' '/^"LPUSH"/ {print $4}')"
row "Ingest, NDJSON batches of 100, embedded store (events/s)" "$batch_eps" "redis-benchmark LPUSH -P 100: $redis_ops" "$(ratio "$batch_eps" "$redis_ops")" "≥ 0.5 (into Redis)"

# --- rule matching, 1,000 vs 10 rules -------------------------------------
if [ -x "$bin/bench_rules_match" ]; then
  "$bin/bench_rules_match" | tee "$work/rules.txt"
  rules_line="$(grep -i 'ratio' "$work/rules.txt" | tail -1)"
  row "Rule matching, 1,000 mixed rules vs 10" "$(grep -i '1000' "$work/rules.txt" | tail -1 | tr '|' ' ')" "same engine, 10 rules" "$(echo "$rules_line" | grep -oE '= [0-9]+\.[0-9]+' | head -1 | tr -d '= ')" "≥ 0.5"
fi

# --- end to end, embedded: ingest -> rules -> audit -> mock Moog ----------
moog_port="$(free_port)"
"$bin/mutt-mock-moog" --port "$moog_port" --token bench-moog > "$work/moog.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$moog_port/health"
export MOOG_WEBHOOK_URL="http://127.0.0.1:$moog_port/events" MOOG_API_KEY=bench-moog MOOG_RATE_LIMIT=1000000
"$bin/muttd" rules import resources/seed/mutt_v25_seed.json --data-dir "$work/e2e" >/dev/null
start_muttd all "$work/e2e"
sleep 2
idle_rss="$(rss_kb "$muttd_pid")"
events=20000
python3 - "$SERVER_PORT_INGESTOR" "$SERVER_PORT_WEBUI" "$events" > "$work/e2e.txt" <<'PY'
import json, sys, time, urllib.request
ingest, api, total = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def status():
    req = urllib.request.Request(f"http://127.0.0.1:{api}/api/v2/status", headers={"X-API-KEY": "bench-webui-key"})
    return json.load(urllib.request.urlopen(req))["conservation"]
batch = 500
start = time.time()
for b in range(total // batch):
    body = "\n".join(json.dumps({"timestamp": "2025-01-15T14:30:22Z", "hostname": f"h{i%50}", "message": f"ERROR e2e event {b}-{i}"}) for i in range(batch)).encode()
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{ingest}/ingest", data=body, method="POST",
        headers={"Content-Type": "application/x-ndjson", "X-API-KEY": "bench-key"}))
ingested = time.time()
while True:
    c = status()
    if c["in_flight"] == 0 and c["accepted"] >= total:
        break
    time.sleep(0.05)
done = time.time()
print(f"{total/(done-start):.0f} {total/(ingested-start):.0f}")
PY
load_rss="$(rss_kb "$muttd_pid")"
read -r e2e_eps ingest_eps < "$work/e2e.txt"
row "End to end, embedded: ingest → rules → audit → unhandled/forward (events/s)" "$e2e_eps" "ingest alone, same run: $ingest_eps" "$(ratio "$e2e_eps" "$ingest_eps")" "≥ 0.3"
stop_muttd

# --- forwarder vs the mock's own capacity ---------------------------------
printf 'wrk.method = "POST"\nwrk.body = "{\\"signature\\":\\"bench\\"}"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer bench-moog"\n' > "$work/moog.lua"
mock_rps="$(wrk_rps "http://127.0.0.1:$moog_port/events" "$work/moog.lua")"
if [ -x "$bin/bench_forwarder" ]; then
  fwd="$("$bin/bench_forwarder" --url "http://127.0.0.1:$moog_port/events" --token bench-moog --sync normal 2>/dev/null | grep -oE 'alerts_per_second=[0-9]+' | cut -d= -f2 | tail -1)"
  row "Forwarder to the local mock Moog (alerts/s)" "$fwd" "wrk against the mock: $mock_rps" "$(ratio "${fwd:-0}" "$mock_rps")" "≥ 0.7"
fi

# --- memory ---------------------------------------------------------------
row "muttd --role all RSS idle (MB)" "$(python3 -c "print(round($idle_rss/1024,1))")" "40 MB" "$(ratio "$idle_rss" 40960)" "≤ 1.0"
row "muttd --role all RSS after the end-to-end load (MB)" "$(python3 -c "print(round($load_rss/1024,1))")" "150 MB" "$(ratio "$load_rss" 153600)" "≤ 1.0"

echo
echo "Results written to $out"
