#!/usr/bin/env bash
# Benchmark of the charts issue: every figure of the national sample as PNG
# and SVG, whole process (ingest included), against the national check.
# Targets: figures under 3 s; the largest SVG under 1 MB.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
bench_time "check" "$BIN" check --data "$DATA" --out "$OUT/check" --quiet
check=$BENCH_MEDIAN
bench_time "build png+svg" "$BIN" build --data "$DATA" --out "$OUT/fig" --formats png,svg --quiet --force
n=$(ls "$OUT/fig/figures" | wc -l)
big=$(ls -S "$OUT/fig/figures"/*.svg | head -1)
awk -v b="$BENCH_MEDIAN" -v c="$check" -v n="$n" -v s="$(stat -c %s "$big")" -v f="$(basename "$big")" 'BEGIN {
  printf "%d figure files; figures add %.2f s over check (target < 3 s); largest SVG %s %.0f KB (target < 1024 KB)\n", n, b - c, f, s / 1024 }'
