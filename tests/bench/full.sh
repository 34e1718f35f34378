#!/usr/bin/env bash
# tests/bench/full.sh — the full national build (pdf, xlsx, png, json:
# ingest, tables, PDF, workbook, figures, exports), whole process, against
# the floor measured in the same run: a plain `wc -l` of patents.csv.
# Targets (issue "Speed to the floor"): <= 1.0 s on 2 cores (1/20 of the
# pandas + matplotlib + ReportLab + XlsxWriter peer's 20.5 s), peak memory
# <= 200 MB, report.pdf < 5 MB.  A busy machine shows in the load column.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "cores: $(nproc); $(uptime)"
bench_floor
BENCH_BEFORE='rm -rf "$OUT/full"' bench_time "full build" "$BIN" build --data "$DATA" --out "$OUT/full" --formats pdf,xlsx,png,json --quiet
pdf=$(stat -c %s "$OUT/full/report.pdf")
awk -v b="$BENCH_MEDIAN" -v c="$BENCH_CPU" -v f="$BENCH_FLOOR" -v r="$BENCH_RSS_MB" -v p="$pdf" 'BEGIN {
  printf "full national build %.2f s wall, %.2f s cpu = %.1fx the floor (wc -l %.2f s); target <= 1.0 s\n", b, c, b / f, f
  printf "peak %d MB (target <= 200 MB); report.pdf %.2f MB (target < 5 MB)\n", r, p / 1048576 }'
