#!/usr/bin/env bash
# Starts the servers the production-backend test pass runs on, on loopback
# only: a redis-server (AOF on) and a private PostgreSQL cluster, each on a
# free 127.0.0.1 port, with a test role that may create databases. Prints
# the MUTT_TEST_* variables to export, and writes them to <dir>/env.
#
# Usage: tests/services/start-services.sh [DIR]   (default /tmp/mutt-services-<uid>)
#   eval "$(tests/services/start-services.sh)"   # export into this shell
#   tests/services/stop-services.sh [DIR]         # stop both
#
# As root, PostgreSQL runs as the "postgres" user (it does not run as root).
# MUTT_SERVICES_PG_BINDIR overrides the PostgreSQL bin folder.
set -euo pipefail

dir="${1:-${MUTT_SERVICES_DIR:-/tmp/mutt-services-$(id -u)}}"
pg_bin="${MUTT_SERVICES_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
pg_user=mutt_test
pg_password="mutt-test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

log() { echo "start-services: $*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -f "$dir/env" ]; then
  log "services already started in $dir (run stop-services.sh $dir first); their environment:"
  cat "$dir/env"
  exit 0
fi
command -v redis-server >/dev/null || { log "redis-server is missing; run installer/install-build-deps.sh"; exit 1; }
[ -x "$pg_bin/initdb" ] || { log "no PostgreSQL in /usr/lib/postgresql/*/bin; run installer/install-build-deps.sh"; exit 1; }

mkdir -p "$dir/redis" "$dir/pg"
chmod 755 "$dir"

redis_port=$(free_port "${MUTT_SERVICES_REDIS_PORT:-16379}")
log "starting redis-server on 127.0.0.1:$redis_port (AOF on, data in $dir/redis)"
redis-server --bind 127.0.0.1 --port "$redis_port" --protected-mode yes --appendonly yes \
  --appendfsync everysec --save "" --dir "$dir/redis" --daemonize yes \
  --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"

pg_port=$(free_port "${MUTT_SERVICES_PG_PORT:-15432}")
log "starting PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port (data in $dir/pg/data)"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/pg"; fi
as_pg "$pg_bin/initdb" -D "$dir/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C --no-sync >"$dir/pg/initdb.log"
# Durability off: the databases are scratch data of one test run.
as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
  -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
as_pg "$pg_bin/psql" -h "$dir/pg" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE ROLE $pg_user LOGIN CREATEDB CREATEROLE PASSWORD '$pg_password'"

cat >"$dir/env" <<ENV
export MUTT_TEST_SERVICES_DIR=$dir
export MUTT_TEST_REDIS_HOST=127.0.0.1
export MUTT_TEST_REDIS_PORT=$redis_port
export MUTT_TEST_PG_HOST=127.0.0.1
export MUTT_TEST_PG_PORT=$pg_port
export MUTT_TEST_PG_USER=$pg_user
export MUTT_TEST_PG_PASSWORD=$pg_password
ENV
chmod 600 "$dir/env"
log "ready; environment in $dir/env"
cat "$dir/env"
