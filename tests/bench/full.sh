#!/usr/bin/env bash
# Benchmark of the report issue: the full national build (ingest, tables,
# PDF, workbook, figures, exports), whole process.
# Targets: under 10 s; peak memory under 1.5 GiB; PDF under 5 MB.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
bench_time "full build" "$BIN" build --data "$DATA" --out "$OUT/full" --formats pdf,xlsx,png,svg,json --quiet --force
pdf=$(stat -c %s "$OUT/full/report.pdf")
awk -v b="$BENCH_MEDIAN" -v r="$BENCH_RSS_MB" -v p="$pdf" 'BEGIN {
  printf "full national build %.2f s (target < 10 s); peak %d MB (target < 1536 MB); report.pdf %.2f MB (target < 5 MB)\n", b, r, p / 1048576 }'
