#!/usr/bin/env bash
# tests/bench/editions.sh — regional editions: every provincial edition (PDF
# and workbook) of the national data set, built in one run with
# `--split province`, against one national build of the same formats; then
# every city workbook (`--split city`, xlsx), target <= 3 s over the build.
# The split run also writes the national report and workbook, so the ratio
# is an upper bound.  Target: at most 6× on 2 cores (issue "Regional
# editions").  Median of SRDI_BENCH_RUNS runs (default 3 here); every run
# starts from an empty OUT so nothing is reused.  A busy machine shows in the
# load column.
SRDI_BENCH_RUNS=${SRDI_BENCH_RUNS:-3}
export SRDI_BENCH_RUNS
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "cores: $(nproc); $(uptime)"
BENCH_BEFORE='rm -rf "$OUT/nat"' bench_time "national pdf+xlsx" "$BIN" build --data "$DATA" --out "$OUT/nat" \
  --formats pdf,xlsx --quiet
nat=$BENCH_MEDIAN
natcpu=$BENCH_CPU
BENCH_BEFORE='rm -rf "$OUT/split"' bench_time "--split province pdf+xlsx" "$BIN" build --data "$DATA" \
  --out "$OUT/split" --formats pdf,xlsx --split province --quiet
n=$(ls "$OUT/split/provinces" | grep -c '\.pdf$')
echo "editions: $n PDFs, $(ls "$OUT/split/provinces" | grep -c '\.xlsx$') workbooks; $(uptime)"
awk -v s="$BENCH_MEDIAN" -v n="$nat" -v sc="$BENCH_CPU" -v nc="$natcpu" -v k="$n" 'BEGIN {
  printf "%d provincial editions + the national build: %.2f s = %.2fx one national build (%.2f s; target <= 6x); cpu %.2fx\n",
         k, s, s / n, n, sc / nc }'
BENCH_BEFORE='rm -rf "$OUT/nx"' bench_time "national xlsx" "$BIN" build --data "$DATA" --out "$OUT/nx" --formats xlsx --quiet
nx=$BENCH_MEDIAN
BENCH_BEFORE='rm -rf "$OUT/city"' bench_time "--split city xlsx" "$BIN" build --data "$DATA" --out "$OUT/city" \
  --formats xlsx --split city --quiet
nc=$(find "$OUT/city/cities" -name '*.xlsx' | wc -l)
awk -v s="$BENCH_MEDIAN" -v n="$nx" -v k="$nc" 'BEGIN {
  printf "%d city workbooks: %.2f s over the national xlsx build (%.2f s; target <= 3 s)\n", k, s - n, n }'
