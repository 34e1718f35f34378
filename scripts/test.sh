#!/usr/bin/env bash
# Build srdi-report three times — optimised (gcc), AddressSanitizer + UBSan
# (gcc), and clang with ASan + UBSan plus the libFuzzer harnesses of
# tests/fuzz — and run the test suite on each with ctest (the clang tree runs
# every test but the slow ones, and a short run of each fuzz harness).  This is the README's test
# command and what .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
cmake -S . -B build-asan -DSRDI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow
cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DSRDI_SANITIZE=ON -DSRDI_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-clang -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-clang --output-on-failure -j"$jobs" -LE slow
