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
status=0
meson test -C "$build" --print-errorlogs --num-processes 1 || status=$?
echo "Screenshots of the display tests: $build/screenshots/"

# One closing line that any CI reads: "N passed, N failed".
python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
results = [json.loads(line)["result"] for line in open(sys.argv[1]) if line.strip()]
passed = sum(r in ("OK", "EXPECTEDFAIL") for r in results)
skipped = sum(r == "SKIP" for r in results)
print(f"{passed} passed, {len(results) - passed - skipped} failed, {skipped} skipped")
PY
exit $status
