#!/usr/bin/env bash
# test.sh - sets up, builds and runs the whole test suite through ctest:
#   build/       the plain build: unit, CLI, golden, bad-input, pathological
#                (time-bounded) and valgrind tests;
#   build-asan/  every test again under AddressSanitizer + UBSan (clang);
#   build-fuzz/  each libFuzzer target for FS_FUZZ_SECONDS (default 12 s);
#   build-tsan/  the --threads path under ThreadSanitizer.
# FS_QUICK=1 runs build/ only. Every suite runs; the status is that of all.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
jobs=$(nproc)
status=0
suite() { # NAME: a banner with the time so far
  echo "== test.sh: $1 (at ${SECONDS}s)"
}
suite "build/"
(cd build && ctest --output-on-failure -j"$jobs") || status=1
if [ "${FS_QUICK:-0}" != 1 ]; then
  export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:${ASAN_OPTIONS:-}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
  configure() { # DIR CMAKE-ARGS...: a clang build folder
    local dir=$1
    shift
    CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  }
  # (the install test too: framescore.pc gives the programs it builds with
  # the build's compiler the sanitizer runtime the library needs)
  suite "build-asan/ (ASan + UBSan)"
  { configure build-asan -DFS_SANITIZE=ON &&
    cmake --build build-asan -j"$jobs" >/dev/null &&
    (cd build-asan && ctest --output-on-failure -j"$jobs"); } || status=1
  suite "build-fuzz/ (libFuzzer, ASan + UBSan)"
  { configure build-fuzz -DCMAKE_C_COMPILER=clang -DFS_FUZZ=ON \
      -DFS_FUZZ_SECONDS="${FS_FUZZ_SECONDS:-12}" &&
    cmake --build build-fuzz -j"$jobs" --target fuzz_analyze fuzz_lexicon \
      fuzz_manifest fuzz_model fuzz_render fuzz_eval fuzz_actors fuzz_counts fuzz_shard \
      fuzz_train fuzz_articles fuzz_vectors fuzz_vectors_bin >/dev/null &&
    (cd build-fuzz && ctest --output-on-failure -j"$jobs" -L fuzz); } || status=1
  suite "build-tsan/ (ThreadSanitizer)"
  { configure build-tsan -DFS_TSAN=ON &&
    cmake --build build-tsan -j"$jobs" --target framescore >/dev/null &&
    (cd build-tsan && ctest --output-on-failure -L threads); } || status=1
fi
[ $status -eq 0 ] && suite "all suites passed" || suite FAILED
exit $status
