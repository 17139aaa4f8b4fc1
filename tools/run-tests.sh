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

# The closing lines any CI reads, even when it keeps only the end of the log:
# each failed test's name and the end of its output, then "N passed, N failed".
python3 - "$build/meson-logs/testlog.json" "$asan/meson-logs/testlog.json" <<'PY'
import json, sys
runs = [(path, json.loads(line)) for path in sys.argv[1:] for line in open(path)
        if line.strip()]
failed = [(path, run) for path, run in runs
          if run["result"] not in ("OK", "EXPECTEDFAIL", "SKIP")]
for path, run in failed:
    print(f"--- FAILED {run['name']} ({run['result']}, {path}) ---")
    output = (run.get("stdout") or "") + (run.get("stderr") or "")
    print("\n".join(output.splitlines()[-40:]))
passed = sum(run["result"] in ("OK", "EXPECTEDFAIL") for _, run in runs)
skipped = sum(run["result"] == "SKIP" for _, run in runs)
print(f"{passed} passed, {len(failed)} failed, {skipped} skipped")
for path, run in failed:
    print(f"failed: {run['name']} ({run['result']})")
PY
exit $status
