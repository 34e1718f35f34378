#!/usr/bin/env bash
# tests/bench/jobs.sh — the full national build (pdf, xlsx, png, json) with
# --jobs 1, 2, 4 and 8: wall time should fall with the cores there are
# (target: ≥ 1.7× from 1 to 2 on a 2-core machine; more jobs than cores
# should cost nothing).  A busy machine shows in the load column.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "cores: $(nproc)"
for j in 1 2 4 8; do
  BENCH_BEFORE='rm -rf "$OUT/o"' bench_time "build --jobs $j" "$BIN" build --data "$DATA" --out "$OUT/o" --jobs "$j" --quiet
  eval "t$j=$BENCH_MEDIAN"
done
awk -v a="$t1" -v b="$t2" -v c="$t4" -v d="$t8" 'BEGIN {
  printf "speed-up over --jobs 1: 2 jobs %.2fx (target >= 1.7x), 4 jobs %.2fx, 8 jobs %.2fx\n", a / b, a / c, a / d }'
