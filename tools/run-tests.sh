#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: displayless
# tests, data-file checks, and the display tests (under Xvfb, from meson); then
# the displayless tests again under ASan and UBSan. Fuzzing is tools/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh

setup () {
  local dir=$1
  shift
  if [ -d "$dir" ]; then
    meson setup --reconfigure "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}

build=${BUILD_DIR:-_build}
setup "$build"
meson compile -C "$build"
status=0
meson test -C "$build" --print-errorlogs --num-processes 1 || status=$?
echo "Screenshots of the display tests: $build/screenshots/"

# The displayless suites again under ASan and UBSan (issue 12), in a second
# build folder without the GUI: the display tests would mostly test GTK's own
# leaks. A UBSan finding fails its test (tests/meson.build sets UBSAN_OPTIONS).
# `meson test` builds only what those tests need: no benchmark.
asan=${ASAN_BUILD_DIR:-$build-asan}
setup "$asan" -Dgui=disabled -Db_sanitize=address,undefined -Db_lundef=false
meson test -C "$asan" --suite displayless --print-errorlogs --num-processes 1 || status=$?

# One closing line that any CI reads: "N passed, N failed".
python3 - "$build/meson-logs/testlog.json" "$asan/meson-logs/testlog.json" <<'PY'
import json, sys
results = [json.loads(line)["result"] for path in sys.argv[1:] for line in open(path)
           if line.strip()]
passed = sum(r in ("OK", "EXPECTEDFAIL") for r in results)
skipped = sum(r == "SKIP" for r in results)
print(f"{passed} passed, {len(results) - passed - skipped} failed, {skipped} skipped")
PY
exit $status
