#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over the engine, ui and app sources with the
# compile commands of a configured build directory; any warning fails.
# Usage: .ci/check-tidy.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: .ci/check-tidy.sh BUILD_DIR}"

mapfile -t files < <(git ls-files 'engine/*.cpp' 'ui/*.cpp' 'app/*.cpp')
echo "check-tidy: ${#files[@]} files"
run-clang-tidy -quiet -p "$build" -j "$(nproc)" "${files[@]}" > "$build/clang-tidy.log" 2>&1 || {
  grep -E "warning:|error:" "$build/clang-tidy.log" | sort -u | head -100
  echo "check-tidy: clang-tidy reported the warnings above (full log: $build/clang-tidy.log)" >&2
  exit 1
}
echo "check-tidy: clean"
