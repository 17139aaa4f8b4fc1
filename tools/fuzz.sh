#!/usr/bin/env bash
# Fuzzes Beamscope's parsers of untrusted input with libFuzzer (issue 12):
#   tools/fuzz.sh [TARGET|all] [SECONDS]     (default: all, 60 s each)
# TARGET is one of tests/fuzz/fuzz-TARGET.c. Builds with clang, ASan and UBSan
# into _build-fuzz (FUZZ_BUILD_DIR), starts from the seeds in
# tests/fuzz/corpus/TARGET/ and keeps what it learns in
# _build-fuzz/fuzz-corpus/TARGET/, so a second run goes on from there. A crash
# stops the target and leaves its input in _build-fuzz/fuzz-artifacts/TARGET/:
# copy it into tests/fuzz/corpus/TARGET/ so that every test run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(term-decode term-print term-parse process-list port-list epmd cookie cluster-sample)
which=${1:-all}
seconds=${2:-60}
build=${FUZZ_BUILD_DIR:-_build-fuzz}

if [ "$which" != all ]; then
  [ -f "tests/fuzz/fuzz-$which.c" ] || { echo "no fuzz target $which: ${targets[*]}" >&2; exit 2; }
  targets=("$which")
fi

if [ ! -d "$build" ]; then
  # No GUI: the targets are all below it. UBSan stops at its first finding,
  # as ASan does, so that libFuzzer saves the input.
  CC=clang meson setup "$build" -Dfuzz=true -Dgui=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=undefined -Dc_link_args=-fno-sanitize-recover=undefined
fi
meson compile -C "$build" -j2 "${targets[@]/#/tests/fuzz/fuzz-}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/fuzz-corpus/$t" "$build/fuzz-artifacts/$t"
  echo "== fuzz-$t for $seconds s"
  # -rss_limit_mb: a reply's decoding must stay well below what ASan adds.
  "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -artifact_prefix="$build/fuzz-artifacts/$t/" \
    "$build/fuzz-corpus/$t" "tests/fuzz/corpus/$t" || status=$?
done
exit $status
