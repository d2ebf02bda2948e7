#!/usr/bin/env bash
# Builds MUTT Console and runs the whole test suite: the release build with
# warnings as errors (every test, embedded backends; the PostgreSQL
# conformance entries on the loopback PostgreSQL), the conformance and
# integration tests again on the production backends (Redis + PostgreSQL,
# started on 127.0.0.1 by tests/services/start-services.sh and stopped at the
# end), then the AddressSanitizer/UBSan build (unit tests). Installs the
# Debian packages it needs first.
#
# Usage: tests/run-all.sh [--no-asan] [--no-production]
set -euo pipefail
cd "$(dirname "$0")/.."

run_asan=1
run_production=1
for arg in "$@"; do
  case "$arg" in
    --no-asan) run_asan=0 ;;
    --no-production) run_production=0 ;;
    *) echo "usage: tests/run-all.sh [--no-asan] [--no-production]" >&2; exit 2 ;;
  esac
done

./installer/install-build-deps.sh

export CTEST_PARALLEL_LEVEL="${CTEST_PARALLEL_LEVEL:-2}"
# MUTT_BUILD_JOBS sets the build's parallel jobs, as in the demo; unset, ninja
# picks its default (the number of cores plus 2).
build_jobs=()
if [ -n "${MUTT_BUILD_JOBS:-}" ]; then build_jobs=(-j "$MUTT_BUILD_JOBS"); fi

echo "== loopback test servers: redis-server and PostgreSQL"
services_dir="$(mktemp -d /tmp/mutt-services-XXXXXX)"
trap './tests/services/stop-services.sh "$services_dir"' EXIT
eval "$(./tests/services/start-services.sh "$services_dir")"

echo "== release build (warnings are errors) and full test suite"
cmake --preset ci
cmake --build --preset ci ${build_jobs[@]+"${build_jobs[@]}"}
ctest --preset ci

if [ "$run_production" = 1 ]; then
  echo "== conformance and integration tests on Redis + PostgreSQL (MUTT_BACKEND=redis)"
  ctest --preset ci-production
fi

if [ "$run_asan" = 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build, unit tests"
  cmake --preset asan
  cmake --build --preset asan ${build_jobs[@]+"${build_jobs[@]}"}
  ctest --preset asan
fi
