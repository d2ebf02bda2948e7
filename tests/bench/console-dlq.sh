#!/usr/bin/env bash
# Measures the console with a large DLQ. It fills a fresh data directory
# with dead-letter items (bench_fill_dlq: 60 % mutt:dlq:moog, 40 %
# mutt:dlq:alerter) and runs mutt-console on it with the embedded engine under
# xvfb-run, switching between its views. It reports the console's peak RSS
# (VmHWM) and the longest GUI-thread stall (--stall-log) against the SPEC
# targets of 300 MB and 100 ms. The engine's Moogsoft URL points at a mock receiver on
# 127.0.0.1, so remediation replays DLQ items as it does in production once
# Moogsoft is back. Every process it starts is stopped by its process id.
#
# Usage: tests/bench/console-dlq.sh [--build-dir DIR] [--items N] [--seconds S] [--data-dir DIR] [--keep]
#   --build-dir DIR  use the programs in DIR/bin instead of building the release preset
#   --items N        DLQ items to write (default 1000000)
#   --seconds S      how long the console runs before it quits (default 30)
#   --data-dir DIR   use DIR as the data directory; it is filled only when it
#                    has no queue.db yet, so a filled one can be measured again
#   --keep           keep the scratch folder with the console log and the stall report
# The last line of stdout is machine-readable for tests/bench/run.sh:
#   result peak_rss_kb=K max_stall_ms=M stalls_over_100ms=C max_stall_at_s=T
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

build_dir="" items=1000000 seconds=30 data_dir="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --items) items="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "console-dlq.sh: unknown argument \"$1\"; see the usage at the top of the script" >&2; exit 2 ;;
  esac
done
command -v xvfb-run >/dev/null || { echo "console-dlq.sh: xvfb-run is missing; install the xvfb package" >&2; exit 3; }

if [ -z "$build_dir" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 --target mutt-console mutt-mock-moog bench_fill_dlq >&2
  build_dir="$repo/build/release"
fi
bin="$(cd "$build_dir" && pwd)/bin"

work="$(mktemp -d -t mutt-console-dlq.XXXXXX)"
echo "scratch folder with the logs: $work (removed after a complete run)" >&2
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl --noproxy '*' -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
status_kb() { awk -v field="$2:" '$1 == field {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# --- the data directory -----------------------------------------------------
[ -n "$data_dir" ] || data_dir="$work/data"
mkdir -p "$data_dir"
if [ ! -e "$data_dir/queue.db" ]; then
  "$bin/bench_fill_dlq" "$data_dir" "$items" >&2
fi
echo "queue store: $(du -h "$data_dir/queue.db" | cut -f1)" >&2

# --- the mock Moogsoft receiver and the console ---------------------------
moog_port="$(free_port)"
"$bin/mutt-mock-moog" --port "$moog_port" --token bench-moog > "$work/moog.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$moog_port/health"

export MUTT_BIND_ADDRESS=127.0.0.1 LOG_LEVEL=info
export MOOG_WEBHOOK_URL="http://127.0.0.1:$moog_port/events" MOOG_API_KEY=bench-moog
for name in SERVER_PORT_INGESTOR SERVER_PORT_WEBUI HEALTH_PORT_ALERTER METRICS_PORT_ALERTER HEALTH_PORT_MOOG \
  METRICS_PORT_MOOG HEALTH_PORT_REMEDIATION METRICS_PORT_REMEDIATION; do
  port="$(free_port)"
  export "$name=$port"
done
# The console keeps its profiles and settings under $HOME/.config; a scratch
# home keeps the run away from the user's own.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# sh records its own process id and then becomes the console, so the id in
# console.pid is the console's, not xvfb-run's.
# shellcheck disable=SC2016
xvfb-run -a -s "-screen 0 1600x1000x24" sh -c 'echo $$ > "$0"; exec "$@"' "$work/console.pid" \
  "$bin/mutt-console" --embedded --data-dir "$data_dir" --stall-log "$work/stalls.txt" \
  --quit-after "$seconds" --cycle-views 5 > "$work/console.log" 2>&1 &
xvfb_pid=$!
pids+=("$xvfb_pid")
for _ in $(seq 1 100); do [ -s "$work/console.pid" ] && break; sleep 0.1; done
console_pid="$(cat "$work/console.pid")"

# Times the engine's status read, which the console's poller makes every
# second, through the api role of the same engine. A store that is busy for a
# long time shows up here and as a stale "Last sample" in the console, not as
# a GUI-thread stall.
python3 - "$SERVER_PORT_WEBUI" "$data_dir/webui_api_key" "$console_pid" > "$work/status-reads.txt" <<'PY' &
import os, sys, time, urllib.request
port, key_file, pid = sys.argv[1], sys.argv[2], sys.argv[3]
reads = failed = 0
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
longest = 0.0
while os.path.exists(f"/proc/{pid}"):
    try:
        key = open(key_file).read().strip()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v2/status", headers={"X-API-KEY": key})
        started = time.monotonic()
        opener.open(request, timeout=60).read()
        longest = max(longest, time.monotonic() - started)
        reads += 1
    except OSError:
        failed += 1  # the engine is still starting or already stopping
    time.sleep(1)
print(f"status_reads={reads} longest_status_read_ms={longest * 1000:.0f} failed_reads={failed}")
PY
pids+=("$!")

# VmHWM only grows, so the last value read before the console exits is its
# peak up to then (at most 0.5 s before the exit).
peak_kb=0 last_rss_kb=0
deadline=$((SECONDS + seconds + 120))
while kill -0 "$console_pid" 2>/dev/null; do
  hwm="$(status_kb "$console_pid" VmHWM)"
  rss="$(status_kb "$console_pid" VmRSS)"
  [ -n "$hwm" ] && peak_kb="$hwm"
  [ -n "$rss" ] && last_rss_kb="$rss"
  if [ "$SECONDS" -gt "$deadline" ]; then
    echo "console-dlq.sh: the console did not quit within $((seconds + 120)) s; see $work/console.log" >&2
    kill "$console_pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.5
done
wait "$xvfb_pid" || { echo "console-dlq.sh: the console failed; see $work/console.log" >&2; exit 1; }

wait "${pids[-1]}" || true
[ -s "$work/stalls.txt" ] || { echo "console-dlq.sh: no stall report; see $work/console.log" >&2; exit 1; }
value() { sed -n "s/^$1=//p" "$work/stalls.txt"; }
max_stall="$(value max_stall_ms)" stalls="$(value stalls_over_threshold)" stall_at="$(value max_stall_at_s)"
stalls_at="$(value stalls_over_threshold_at_s)"
status_reads="$(cat "$work/status-reads.txt")"

python3 - "$peak_kb" "$last_rss_kb" "$max_stall" "$stalls" "$stall_at" "$items" "$seconds" <<'PY'
import sys
peak_kb, last_kb, stall_ms, stalls, stall_at, items, seconds = sys.argv[1:]
peak_mb, last_mb = int(peak_kb) / 1024, int(last_kb) / 1024
rss_ratio, stall_ratio = peak_mb / 300, float(stall_ms) / 100
print(f"Console, embedded, {int(items):,} DLQ items, {seconds} s cycling the views:")
print(f"  peak RSS (VmHWM)   {peak_mb:7.1f} MB  / 300 MB = {rss_ratio:.2f}  {'met' if rss_ratio <= 1 else 'not met'}"
      f"  (RSS at the last read: {last_mb:.1f} MB)")
print(f"  longest GUI stall  {float(stall_ms):7.1f} ms  / 100 ms = {stall_ratio:.2f}  "
      f"{'met' if int(stalls) == 0 else 'not met'}  (at {stall_at} s; stalls over 100 ms: {stalls})")
PY
[ -z "$stalls_at" ] || echo "  stalls over 100 ms ended at (s after the event loop started): $stalls_at"
echo "  engine status reads through the api role: $status_reads"
echo "result peak_rss_kb=$peak_kb max_stall_ms=$max_stall stalls_over_100ms=$stalls max_stall_at_s=$stall_at"
cleanup
trap - EXIT
if [ "$keep" = 1 ]; then echo "scratch folder kept: $work" >&2; else rm -rf "$work"; fi
