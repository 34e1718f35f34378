#!/usr/bin/env bash
# Benchmark of the tables issue: the national sample, ingest + tables +
# exports + workbook, whole process, against the national check.
# Targets: under 2 s more than `check`; peak memory under 1 GiB.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
bench_time "check" "$BIN" check --data "$DATA" --out "$OUT/check" --quiet
check=$BENCH_MEDIAN
bench_time "build xlsx+json" "$BIN" build --data "$DATA" --out "$OUT/build" --formats xlsx,json --quiet --force
awk -v b="$BENCH_MEDIAN" -v c="$check" -v r="$BENCH_RSS_MB" 'BEGIN {
  printf "tables+exports+workbook add %.2f s over check (target < 2 s); peak %d MB (target < 1024 MB)\n", b - c, r }'
