#!/usr/bin/env bash
# Build srdi-report three times — optimised (gcc), AddressSanitizer + UBSan
# (gcc), and clang with ASan + UBSan plus the libFuzzer harnesses of
# tests/fuzz — and run the test suite on each with ctest (the clang tree runs
# every test but the slow ones, and a short run of each fuzz harness).  This is the README's test
# command and what .ci/run runs.  The sanitizer trees are built with -O1
# (ASan's recommended level: about twice as fast as -O0, same reports);
# tests labelled slow ("calibration": the national-scale sample, ~1.3 GB;
# tests/test_*_slow.sh) run in the plain tree only, and the sanitizer trees run
# the end-to-end scripts light (SRDI_TEST_LIGHT=1, set by CMakeLists.txt: no
# repeats on more data and no Python re-checks of the same bytes; see
# tests/lib.sh srdi_full); the fourteen heaviest tests run under one
# sanitizer compiler each (CMakeLists.txt: srdi_san_gcc_only / _clang_only).
# Every tree links with lld (scripts/setup.sh installs it) and builds the
# test helpers (tests/testutil.c) once as a library; the sanitizer trees
# instrument every module and compile the tests' own code without the
# sanitizers (a third of the compile time; the runtime is linked all the same).
# The sanitizer trees carry line tables only (-g1: file:line in every report,
# a fifth less compile time than -g).  Budget: under 10 minutes on 2 idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# stage NAME CMD…: run CMD and say how long it took (where the budget goes)
stage() { local t0=$SECONDS name=$1; shift; "$@"; echo "test.sh: $name: $((SECONDS - t0)) s" >&2; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
stage "plain build" cmake --build build -j"$jobs"
stage "plain tests" ctest --test-dir build --output-on-failure -j"$jobs"
san_flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS_DEBUG=-O1 -g1")
cmake -S . -B build-asan -DSRDI_SANITIZE=ON "${san_flags[@]}" >/dev/null
stage "gcc ASan build" cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  stage "gcc ASan tests" ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow
cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DSRDI_SANITIZE=ON -DSRDI_FUZZ=ON \
  "${san_flags[@]}" >/dev/null
stage "clang ASan+fuzz build" cmake --build build-clang -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  stage "clang ASan+fuzz tests" ctest --test-dir build-clang --output-on-failure -j"$jobs" -LE slow
