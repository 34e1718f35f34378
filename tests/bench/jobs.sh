#!/usr/bin/env bash
# tests/bench/jobs.sh — the full national build (pdf, xlsx, png, json) with
# --jobs 1, 2, 4 and 8: wall time should fall with the cores there are
# (target: >= 1.7x from 1 to 2 on a 2-core machine; more jobs than cores
# should cost nothing), CPU time stay about the same.  Then --jobs 1 and
# --jobs 16 must write byte-identical outputs (SOURCE_DATE_EPOCH is set).
# A busy machine shows in the load column: wall-time ratios need an idle one.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "cores: $(nproc); $(uptime)"
for j in 1 2 4 8; do
  BENCH_BEFORE='rm -rf "$OUT/o"' bench_time "build --jobs $j" "$BIN" build --data "$DATA" --out "$OUT/o" --jobs "$j" --quiet
  eval "t$j=$BENCH_MEDIAN c$j=$BENCH_CPU"
done
awk -v a="$t1" -v b="$t2" -v c="$t4" -v d="$t8" -v ca="$c1" -v cb="$c2" 'BEGIN {
  printf "speed-up over --jobs 1: 2 jobs %.2fx (target >= 1.7x), 4 jobs %.2fx, 8 jobs %.2fx; cpu 2 jobs / 1 job %.2f\n",
         a / b, a / c, a / d, cb / ca }'
"$BIN" build --data "$DATA" --out "$OUT/j1" --jobs 1 --quiet
"$BIN" build --data "$DATA" --out "$OUT/j16" --jobs 16 --quiet
if bench_same "$OUT/j1" "$OUT/j16"; then
  echo "--jobs 1 and --jobs 16: byte-identical outputs ($(find "$OUT/j1" -type f ! -name '.srdi-*' | wc -l) files)"
else
  echo "--jobs 1 and --jobs 16: outputs DIFFER"; diff -rq -x '.srdi-*' "$OUT/j1" "$OUT/j16" | head; exit 1
fi
