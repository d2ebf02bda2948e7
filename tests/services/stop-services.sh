#!/usr/bin/env bash
# Stops what start-services.sh started in DIR and removes DIR.
#
# Usage: tests/services/stop-services.sh [DIR]   (default /tmp/mutt-services-<uid>)
set -euo pipefail

dir="${1:-${MUTT_SERVICES_DIR:-/tmp/mutt-services-$(id -u)}}"
pg_bin="${MUTT_SERVICES_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

log() { echo "stop-services: $*" >&2; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -d "$dir" ]; then
  log "nothing to stop: $dir does not exist"
  exit 0
fi

if [ -f "$dir/pg/data/postmaster.pid" ]; then
  log "stopping PostgreSQL in $dir/pg/data"
  as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w -t 60 stop >/dev/null || log "pg_ctl stop failed; see $dir/pg/server.log"
fi

if [ -f "$dir/redis/redis.pid" ]; then
  pid=$(cat "$dir/redis/redis.pid")
  log "stopping redis-server pid=$pid"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi

rm -rf "$dir"
log "stopped; removed $dir"
