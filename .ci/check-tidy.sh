#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over the engine, ui and app sources with the
# compile commands of a configured and built build directory, and fails on any
# finding that .ci/tidy-baseline.txt does not list.
#
# The baseline contains sorted "file check" pairs without line numbers, so edits
# elsewhere in a file do not invalidate it. Fix a finding rather than adding it.
# When a baselined finding is fixed, the script lists the line to remove.
#
# Usage: .ci/check-tidy.sh BUILD_DIR [--update-baseline]
#   --update-baseline   write today's findings to .ci/tidy-baseline.txt
# CLANG_TIDY_JOBS sets the parallel clang-tidy processes (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
build="${1:?usage: .ci/check-tidy.sh BUILD_DIR [--update-baseline]}"
update=0
[ "${2:-}" = "--update-baseline" ] && update=1
baseline="$repo/.ci/tidy-baseline.txt"

[ -f "$build/compile_commands.json" ] || {
  echo "check-tidy: $build/compile_commands.json not found. Configure and build $build first (e.g. cmake --preset ci && cmake --build --preset ci)." >&2
  exit 2
}

log="$build/clang-tidy.log"
echo "check-tidy: engine/, ui/ and app/ sources of $build, ${CLANG_TIDY_JOBS:-2} jobs (log: $log)"
# run-clang-tidy exits non-zero whenever a finding exists (WarningsAsErrors),
# so only the comparison with the baseline below decides the result.
run-clang-tidy -quiet -p "$build" -j "${CLANG_TIDY_JOBS:-2}" "^$repo/(engine|ui|app)/.*\\.cpp\$" > "$log" 2>&1 || true

# Each finding starts with "path:line:col: warning|error: text". Its check list
# "[check,-warnings-as-errors]" ends that line or, for a multi-line text, a later
# one. The parser keeps "path check". A file that clang cannot compile shows up
# as clang-diagnostic-error, so it fails too.
findings="$(mktemp)"
trap 'rm -f "$findings"' EXIT
python3 - "$log" "$repo/" > "$findings" <<'PY'
import re, sys
log, root = sys.argv[1], sys.argv[2]
start = re.compile(r"^(/[^:]+):\d+:\d+: (?:warning|error): ")
# Check names always contain a "-", which distinguishes "[bugprone-x]" from "v[i]".
checks = re.compile(r"\[([a-z][\w.]*-[\w.-]*(?:,-?[a-z][\w.]*-[\w.-]*)*)\]$")
ansi = re.compile(r"\x1b\[[0-9;]*m")
found, path = set(), None
for line in open(log, encoding="utf-8", errors="replace"):
    line = ansi.sub("", line).rstrip("\n")
    match = start.match(line)
    if match:
        path = match.group(1)
    tag = checks.search(line)
    if path and tag:
        for check in tag.group(1).split(","):
            if not check.startswith("-") and path.startswith(root):
                found.add(f"{path[len(root):]} {check}")
        path = None
print("\n".join(sorted(found)), end="\n" if found else "")
PY

if [ "$update" = 1 ]; then
  cp "$findings" "$baseline"
  echo "check-tidy: wrote $(wc -l < "$findings") findings to .ci/tidy-baseline.txt"
  exit 0
fi

touch "$baseline"
new="$(LC_ALL=C comm -23 "$findings" <(LC_ALL=C sort -u "$baseline"))"
fixed="$(LC_ALL=C comm -13 "$findings" <(LC_ALL=C sort -u "$baseline"))"
if [ -n "$fixed" ]; then
  echo "check-tidy: fixed since the baseline (remove these lines from .ci/tidy-baseline.txt):"
  echo "$fixed" | sed 's/^/  /'
fi
if [ -n "$new" ]; then
  echo "check-tidy: new findings (file check):" >&2
  echo "$new" | sed 's/^/  /' >&2
  echo "check-tidy: the warnings themselves:" >&2
  echo "$new" | while read -r file check; do
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -F "$repo/$file:" | grep -F "[$check" | sort -u | head -5
  done >&2
  echo "check-tidy: fix them (full log: $log)" >&2
  exit 1
fi
echo "check-tidy: no findings beyond the $(grep -c . "$baseline" || true) baselined"
