#!/usr/bin/env bash
# Builds MUTT Console and runs the whole test suite: the release build with
# warnings as errors (every test), then the AddressSanitizer/UBSan build
# (unit tests). Installs the Debian packages it needs first.
#
# Usage: tests/run-all.sh [--no-asan]
set -euo pipefail
cd "$(dirname "$0")/.."

run_asan=1
for arg in "$@"; do
  case "$arg" in
    --no-asan) run_asan=0 ;;
    *) echo "usage: tests/run-all.sh [--no-asan]" >&2; exit 2 ;;
  esac
done

./installer/install-build-deps.sh

export CTEST_PARALLEL_LEVEL="${CTEST_PARALLEL_LEVEL:-2}"

echo "== release build (warnings are errors) and full test suite"
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

if [ "$run_asan" = 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build, unit tests"
  cmake --preset asan
  cmake --build --preset asan
  ctest --preset asan
fi
