#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and demonstrating
# MUTT Console need. Safe to run again: apt-get skips what is installed.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git curl
  clang-format clang-tidy
  # Qt 6.4: Core/Network/Sql/HttpServer for the engine, Widgets/Charts for the console
  qt6-base-dev qt6-charts-dev qt6-httpserver-dev libqt6sql6-sqlite libqt6sql6-psql
  qt6-l10n-tools qt6-tools-dev-tools qt6-tools-dev libgl-dev libqt6opengl6-dev libxkbcommon-dev libvulkan-dev
  # engine libraries
  libhiredis-dev libspdlog-dev libfmt-dev libre2-dev rapidjson-dev libsqlite3-dev libsystemd-dev zlib1g-dev libjemalloc-dev
  # console: OS keychain access
  qtkeychain-qt6-dev
  # servers the test suite runs on loopback, and tools the suite and benchmarks use
  redis-server redis-tools postgresql postgresql-client prometheus nginx-light wrk
  xvfb xauth
)

if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-build-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-build-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
