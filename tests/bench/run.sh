#!/usr/bin/env bash
# Runs the MUTT Console benchmarks of the SPEC's non-functional targets. Each
# figure is a ratio against a limit measured in the same run on the same
# machine, never an absolute target. Every server it starts (nginx,
# redis-server, PostgreSQL, the mock Moogsoft receiver, muttd) listens on
# 127.0.0.1 only and is stopped by its process id when the run ends.
# Results go to stdout and to build/release/bench-results.md.
#
# Usage: tests/bench/run.sh [--quick]
#   (default) medians of 3, 10 s per wrk measurement (about 8 minutes)
#   --quick   single runs, 3 s per wrk measurement (about 2 minutes after the
#             build); the variant a CI job could run
# MUTT_BENCH_SKIP_DEPS=1 skips installer/install-build-deps.sh.
# The console row (tests/bench/console-dlq.sh: 1,000,000 DLQ items, 30 s, or
# 15 s with --quick) runs only where xvfb-run exists and adds about 5
# minutes, mostly the fill (one debug-build fill took 292 s at load 9);
# MUTT_BENCH_SKIP_CONSOLE=1 skips it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

duration=10 runs=3 events=40000 latency_seconds=15 rules_seconds=3 console_seconds=30
if [ "${1:-}" = "--quick" ]; then
  duration=3 runs=1 events=15000 latency_seconds=6 rules_seconds=1 console_seconds=15
fi
console_row=0
if [ "${MUTT_BENCH_SKIP_CONSOLE:-0}" != 1 ] && command -v xvfb-run >/dev/null; then console_row=1; fi

if [ "${MUTT_BENCH_SKIP_DEPS:-0}" != 1 ]; then ./installer/install-build-deps.sh >/dev/null; fi
cmake --preset release >/dev/null
# Only what the runner starts: the tests are not needed here, the console only for its row.
targets=(muttd mutt-mock-moog bench_forwarder bench_rules_match)
[ "$console_row" = 0 ] || targets+=(mutt-console bench_fill_dlq)
cmake --build --preset release -j2 --target "${targets[@]}"
bin="$repo/build/release/bin"
out="$repo/build/release/bench-results.md"
load="$repo/tests/bench/load.py"
work="$(mktemp -d -t mutt-bench.XXXXXX)"
chmod 755 "$work"  # PostgreSQL runs as the postgres user and must reach its folder
echo "scratch folder with the server logs: $work (removed after a complete run)" >&2
pids=()
services=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$services" ]; then tests/services/stop-services.sh "$services" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
# Removes the scratch folder only after a complete run; a failed run keeps its logs.
finish() { cleanup; trap - EXIT; rm -rf "$work"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.0f}")' "$@"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
# met RATIO ge|le TARGET
met() { python3 -c "import sys; r,t=float(sys.argv[1]),float(sys.argv[3]); print('met' if (r>=t if sys.argv[2]=='ge' else r<=t) else 'not met')" "$1" "$2" "$3"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# wrk_once URL LUA -> "requests/s non2xx"
wrk_once() {
  wrk -t2 -c64 -d"${duration}s" -s "$2" "$1" 2>/dev/null |
    awk '/Requests\/sec/ {r=$2} /Non-2xx/ {n=$5} END {print r, (n ? n : 0)}'
}
# wrk_med URL LUA [BEFORE_EACH] -> median requests/s over $runs runs; non-2xx
# responses make the figure meaningless, so they stop the run.
wrk_med() {
  local values=() line
  for _ in $(seq 1 "$runs"); do
    if [ -n "${3:-}" ]; then $3; fi
    line="$(wrk_once "$1" "$2")"
    [ "${line#* }" = 0 ] || { echo "wrk got ${line#* } non-2xx responses from $1; see the logs in $work" >&2; exit 1; }
    values+=("${line% *}")
  done
  median "${values[@]}"
}
# repeat_med COMMAND... -> median of the first field the command prints, $runs runs
repeat_med() {
  local values=()
  for _ in $(seq 1 "$runs"); do values+=("$("$@" | awk '{print $1}')"); done
  median "${values[@]}"
}

{
  echo "# Benchmark run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "$(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "wrk -t2 -c64 -d${duration}s; figures are medians of $runs run(s)."
  echo
  echo "| What | Measured | Limit (same run) | Ratio | Target | Result |"
  echo "|---|---|---|---|---|---|"
} | tee "$out"
row() { echo "| $1 | $2 | $3 | $4 | $5 | $6 |" | tee -a "$out"; }

# --- servers: nginx (fixed 200), Redis + PostgreSQL, mock Moog ------------
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

services="$work/services"
MUTT_SERVICES_REDIS_PORT="$(free_port)" MUTT_SERVICES_PG_PORT="$(free_port)" \
  tests/services/start-services.sh "$services" > "$work/services.env"
# shellcheck disable=SC1091
. "$work/services.env"
PGPASSWORD="$MUTT_TEST_PG_PASSWORD" psql -h 127.0.0.1 -p "$MUTT_TEST_PG_PORT" -U "$MUTT_TEST_PG_USER" -d postgres \
  -q -c 'CREATE DATABASE mutt_bench' >/dev/null
redis_cli() { redis-cli -h 127.0.0.1 -p "$MUTT_TEST_REDIS_PORT" "$@"; }

moog_port="$(free_port)"
"$bin/mutt-mock-moog" --port "$moog_port" --token bench-moog > "$work/moog.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$moog_port/health"

# One syslog event per request, and an NDJSON batch of 100 events.
python3 - "$work" <<'PY'
import json, sys
event = {"timestamp": "2025-01-15T14:30:22Z", "hostname": "bench-host", "message": "%LINK-3-UPDOWN: ERROR interface Gi0/1 down", "syslog_severity": 3}
one = json.dumps(event)
batch = "\n".join(json.dumps(dict(event, message=f"bench event {i}")) for i in range(100)) + "\n"
def lua(body, ctype):
    return ('wrk.method = "POST"\nwrk.body = ' + json.dumps(body) + '\nwrk.headers["Content-Type"] = "' + ctype + '"\n'
            'wrk.headers["X-API-KEY"] = "bench-key"\n')
open(sys.argv[1] + "/one.lua", "w").write(lua(one, "application/json"))
open(sys.argv[1] + "/batch.lua", "w").write(lua(batch, "application/x-ndjson"))
PY
printf 'wrk.method = "POST"\nwrk.body = "{\\"signature\\":\\"bench\\"}"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer bench-moog"\n' > "$work/moog.lua"

# --- muttd ----------------------------------------------------------------
export INGEST_API_KEY=bench-key WEBUI_API_KEY=bench-webui-key LOG_LEVEL=warn
export MAX_INGEST_QUEUE_SIZE=100000000
export MOOG_WEBHOOK_URL="http://127.0.0.1:$moog_port/events" MOOG_API_KEY=bench-moog MOOG_RATE_LIMIT=1000000
production_env() {  # the Redis + PostgreSQL backend of the private servers
  export MUTT_BACKEND=redis REDIS_HOST=127.0.0.1 REDIS_PORT="$MUTT_TEST_REDIS_PORT" REDIS_TLS_ENABLED=false
  export DB_HOST=127.0.0.1 DB_PORT="$MUTT_TEST_PG_PORT" DB_NAME=mutt_bench DB_USER="$MUTT_TEST_PG_USER"
  export DB_PASS="$MUTT_TEST_PG_PASSWORD" DB_TLS_ENABLED=false
}
embedded_env() { export MUTT_BACKEND=embedded; }
run_index=0
pg_rules_imported=0
start_muttd() {  # start_muttd ROLES -> muttd_pid; data dir $work/muttd-N
  run_index=$((run_index + 1))
  data_dir="$work/muttd-$run_index"
  mkdir -p "$data_dir"
  export SERVER_PORT_INGESTOR="$(free_port)" SERVER_PORT_WEBUI="$(free_port)"
  export HEALTH_PORT_ALERTER="$(free_port)" METRICS_PORT_ALERTER="$(free_port)"
  export HEALTH_PORT_MOOG="$(free_port)" METRICS_PORT_MOOG="$(free_port)"
  export HEALTH_PORT_REMEDIATION="$(free_port)" METRICS_PORT_REMEDIATION="$(free_port)"
  # Imports the seed rules once per store, because each embedded run has its own
  # store and the PostgreSQL database is shared.
  if [ "$MUTT_BACKEND" = embedded ] || [ "$pg_rules_imported" = 0 ]; then
    "$bin/muttd" rules import resources/seed/mutt_v25_seed.json --data-dir "$data_dir" > "$data_dir.import.log" 2>&1
    [ "$MUTT_BACKEND" = embedded ] || pg_rules_imported=1
  fi
  "$bin/muttd" run --role "$1" --data-dir "$data_dir" > "$data_dir.log" 2>&1 &
  muttd_pid=$!
  pids+=($muttd_pid)
  case "$1" in
    alerter) wait_http "http://127.0.0.1:$HEALTH_PORT_ALERTER/health" ;;
    *) wait_http "http://127.0.0.1:$SERVER_PORT_INGESTOR/health" ;;
  esac
}
stop_muttd() { kill "$muttd_pid"; wait "$muttd_pid" 2>/dev/null || true; }
clear_redis_queues() { redis_cli DEL mutt:ingest_queue mutt:alert_queue >/dev/null; }

# --- ingest, one event per request and NDJSON batches ---------------------
nginx_rps="$(wrk_med "http://127.0.0.1:$nginx_port/" "$work/one.lua")"
redis_lpush="$(repeat_med sh -c "redis-benchmark -h 127.0.0.1 -p $MUTT_TEST_REDIS_PORT -t lpush -n 2000000 -P 100 -q --csv 2>/dev/null | awk -F'\"' '/^\"LPUSH\"/ {print \$4}'")"
redis_cli DEL mylist >/dev/null

production_env
start_muttd ingestor
one_redis="$(wrk_med "http://127.0.0.1:$SERVER_PORT_INGESTOR/ingest" "$work/one.lua" clear_redis_queues)"
batch_redis="$(( $(wrk_med "http://127.0.0.1:$SERVER_PORT_INGESTOR/ingest" "$work/batch.lua" clear_redis_queues) * 100 ))"
stop_muttd
clear_redis_queues
embedded_env
start_muttd ingestor
one_embedded="$(wrk_med "http://127.0.0.1:$SERVER_PORT_INGESTOR/ingest" "$work/one.lua")"
batch_embedded="$(( $(wrk_med "http://127.0.0.1:$SERVER_PORT_INGESTOR/ingest" "$work/batch.lua") * 100 ))"
stop_muttd

r="$(ratio "$one_redis" "$nginx_rps")"
row "Ingest, 1 event/request, keep-alive, into Redis (req/s)" "$one_redis" "nginx fixed 200: $nginx_rps" "$r" "≥ 0.5" "$(met "$r" ge 0.5)"
r="$(ratio "$batch_redis" "$redis_lpush")"
row "Ingest, NDJSON batches of 100, into Redis (events/s)" "$batch_redis" "redis-benchmark LPUSH -P 100: $redis_lpush" "$r" "≥ 0.5" "$(met "$r" ge 0.5)"
r="$(ratio "$one_embedded" "$nginx_rps")"
row "Ingest, 1 event/request, keep-alive, embedded store (req/s)" "$one_embedded" "nginx fixed 200: $nginx_rps" "$r" "≥ 0.5 (set for Redis)" "$(met "$r" ge 0.5)"
r="$(ratio "$batch_embedded" "$redis_lpush")"
row "Ingest, NDJSON batches of 100, embedded store (events/s)" "$batch_embedded" "redis-benchmark LPUSH -P 100: $redis_lpush" "$r" "≥ 0.5 (set for Redis)" "$(met "$r" ge 0.5)"

# --- rule matching, 1,000 vs 10 rules -------------------------------------
"$bin/bench_rules_match" "$rules_seconds" > "$work/rules.txt"
rules_rate() { sed -nE "s/^rules=$1 +events\/s=([0-9]+).*/\1/p" "$work/rules.txt" | tail -1; }
rules_1000="$(rules_rate 1000)" rules_10="$(rules_rate 10)"
r="$(ratio "$rules_1000" "$rules_10")"
row "Rule matching, 1,000 mixed rules (events/s)" "$rules_1000" "same engine, 10 rules: $rules_10" "$r" "≥ 0.5" "$(met "$r" ge 0.5)"

# --- alerter with PostgreSQL audit vs without -----------------------------
# An ingestor fills a staging list first; then the list is renamed to the
# ingest queue of an idle alerter process, and the rate counts from the
# rename until the alerter's processed counter reaches the event count.
alerter_rate() {  # alerter_rate --match|"" -> appends events/s to $work/alerter$1.txt
  clear_redis_queues
  redis_cli DEL bench:staging >/dev/null
  INGEST_QUEUE_NAME=bench:staging start_muttd ingestor
  python3 "$load" post --ingest "$SERVER_PORT_INGESTOR" --events "$events" $1 >/dev/null
  stop_muttd
  start_muttd alerter
  python3 "$load" drain --metrics "$METRICS_PORT_ALERTER" --redis "$MUTT_TEST_REDIS_PORT" --staging bench:staging \
    --events "$events" >> "$work/alerter$1.txt"
  stop_muttd
}
production_env
# No forwarder runs here, so the alert queue only grows: lift the backpressure
# threshold (dynamic config in Redis) that would pause the alerter at 2,000.
redis_cli SET mutt:config:alerter_queue_shed_threshold 1000000000 >/dev/null
redis_cli SET mutt:config:alerter_queue_warn_threshold 1000000000 >/dev/null
for _ in $(seq 1 "$runs"); do alerter_rate --match; alerter_rate ""; done
redis_cli DEL mutt:config:alerter_queue_shed_threshold mutt:config:alerter_queue_warn_threshold >/dev/null
# shellcheck disable=SC2046
audited="$(median $(cat "$work/alerter--match.txt"))" unaudited="$(median $(cat "$work/alerter.txt"))"
clear_redis_queues
r="$(ratio "$audited" "$unaudited")"
row "Alerter, Redis + PostgreSQL, every event matched and audited (events/s)" "$audited" "events matching no rule (no audit row): $unaudited" "$r" "(for information)" "—"

# --- end to end, embedded: ingest -> rules -> audit -> mock Moog ----------
embedded_env
e2e_once() {  # appends "end_to_end ingest_alone" events/s to $work/e2e.txt
  local alone
  start_muttd ingestor
  alone="$(python3 "$load" post --ingest "$SERVER_PORT_INGESTOR" --events "$events" --match)"
  stop_muttd
  start_muttd all
  echo "$(python3 "$load" e2e --ingest "$SERVER_PORT_INGESTOR" --mock "$moog_port" --events "$events" | cut -d' ' -f1) $alone" >> "$work/e2e.txt"
  stop_muttd
}
for _ in $(seq 1 "$runs"); do e2e_once; done
# shellcheck disable=SC2046
e2e="$(median $(cut -d' ' -f1 "$work/e2e.txt"))" alone="$(median $(cut -d' ' -f2 "$work/e2e.txt"))"
r="$(ratio "$e2e" "$alone")"
row "End to end, embedded: ingest → rules → audit → mock Moog (events/s)" "$e2e" "ingest alone, same client: $alone" "$r" "≥ 0.3" "$(met "$r" ge 0.3)"

# --- forwarder vs the mock's own capacity ---------------------------------
mock_rps="$(wrk_med "http://127.0.0.1:$moog_port/events" "$work/moog.lua")"
fwd_once() {
  "$bin/bench_forwarder" --url "http://127.0.0.1:$moog_port/events" --token bench-moog --sync full 2>/dev/null |
    grep -oE 'alerts_per_second=[0-9]+' | cut -d= -f2 | tail -1
}
fwd="$(repeat_med fwd_once)"
r="$(ratio "$fwd" "$mock_rps")"
row "Forwarder to the local mock Moog, embedded store, synchronous=full (alerts/s)" "$fwd" "wrk against the mock: $mock_rps" "$r" "≥ 0.7" "$(met "$r" ge 0.7)"

# --- latency at half of the end-to-end maximum, and RSS -------------------
embedded_env
start_muttd all
sleep 2
idle_rss="$(rss_kb "$muttd_pid")"
half=$((e2e / 2))
python3 "$load" latency --ingest "$SERVER_PORT_INGESTOR" --mock "$moog_port" --rate "$half" \
  --seconds "$latency_seconds" > "$work/latency.txt"
read -r p50 p95 p99 received sent < "$work/latency.txt"
python3 "$load" e2e --ingest "$SERVER_PORT_INGESTOR" --mock "$moog_port" --events "$events" >/dev/null
load_rss="$(rss_kb "$muttd_pid")"
stop_muttd
r="$(ratio "$p95" 1000)"
row "Latency ingest → mock Moog at $half events/s (half the end-to-end max), embedded; P50 / P95 / P99 (ms), $received of $sent" \
  "$p50 / $p95 / $p99" "runbook P3 threshold: P95 1000 ms" "$r" "≤ 0.05" "$(met "$r" le 0.05)"
mb() { python3 -c "print(round($1/1024,1))"; }
r="$(ratio "$idle_rss" 40960)"
row "muttd --role all, embedded, RSS idle (MB)" "$(mb "$idle_rss")" "40 MB" "$r" "≤ 1.0" "$(met "$r" le 1.0)"
r="$(ratio "$load_rss" 153600)"
row "muttd --role all, embedded, RSS after the latency and end-to-end load (MB)" "$(mb "$load_rss")" "150 MB" "$r" "≤ 1.0" "$(met "$r" le 1.0)"

# --- console with 1M DLQ items: peak RSS and GUI-thread stalls ------------
if [ "$console_row" = 1 ]; then
  tests/bench/console-dlq.sh --build-dir build/release --items 1000000 --seconds "$console_seconds" \
    > "$work/console-dlq.txt"
  read -r peak_kb max_stall stalls < <(sed -nE \
    's/^result peak_rss_kb=([0-9]+) max_stall_ms=([0-9.]+) stalls_over_100ms=([0-9]+).*/\1 \2 \3/p' \
    "$work/console-dlq.txt")
  r="$(ratio "$peak_kb" 307200)"
  row "mutt-console, embedded, 1,000,000 DLQ items, peak RSS (VmHWM, MB)" "$(mb "$peak_kb")" "300 MB" "$r" "≤ 1.0" \
    "$(met "$r" le 1.0)"
  r="$(ratio "$max_stall" 100)"
  row "mutt-console, same run, longest GUI-thread stall (ms); stalls over 100 ms: $stalls" "$max_stall" "100 ms" \
    "$r" "≤ 1.0" "$(met "$r" le 1.0)"
else
  row "mutt-console with 1,000,000 DLQ items" "skipped (no xvfb-run, or MUTT_BENCH_SKIP_CONSOLE=1)" \
    "300 MB, 100 ms" "—" "≤ 1.0" "—"
fi

echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
echo
echo "Results written to $out"
finish
