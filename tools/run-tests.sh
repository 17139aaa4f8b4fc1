#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: displayless
# tests, data-file checks, and the display tests (under Xvfb, from meson).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh

build=${BUILD_DIR:-_build}
if [ -d "$build" ]; then
  meson setup --reconfigure "$build"
else
  meson setup "$build"
fi
meson compile -C "$build"
meson test -C "$build" --print-errorlogs --num-processes 1
echo "Screenshots of the display tests: $build/screenshots/"
