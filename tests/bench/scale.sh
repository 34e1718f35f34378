#!/usr/bin/env bash
# tests/bench/scale.sh — time and memory against input size: the full build
# (pdf, xlsx, png, json) on the national data set (1×) and on samples of 2×
# and 4× its enterprises (`sample --n 335000` / `670000`, ≈ 1.5 and 3 GB of
# patents.csv, up to ~30 M rows).  Time should grow linearly with the bytes
# of input and peak memory stay flat (target ≤ 200 MB).  The CPU rate (MB
# per CPU second) is the figure to compare on a shared, loaded machine.  The larger data
# sets are generated under SRDI_BENCH_SCALE_DIR (default /tmp) and deleted.
source "$(dirname "$0")/common.sh"
bench_build
bench_data
RUNS=${SRDI_BENCH_RUNS:-3}
SCALE=${SRDI_BENCH_SCALE_DIR:-/tmp}
OUT=$(mktemp -d)
G=$(mktemp -d "$SCALE/srdi-scale.XXXXXX")
trap 'rm -rf "$OUT" "$G"' EXIT
summary=""
for n in 1 2 4; do
  if [ "$n" = 1 ]; then d=$DATA
  else
    d=$G/x$n
    "$BIN" sample --n $((n == 2 ? 335000 : 670000)) --seed 2026 --out "$d" --quiet
  fi
  mb=$(( $(stat -c %s "$d/patents.csv") / 1000000 ))
  BENCH_BEFORE='rm -rf "$OUT/o"' bench_time "${n}x (patents.csv $mb MB)" "$BIN" build --data "$d" --out "$OUT/o" --quiet
  awk -v t="$BENCH_MEDIAN" -v c="$BENCH_CPU" -v m="$mb" -v r="$BENCH_RSS_MB" 'BEGIN {
    printf "  %.0f MB/s of patents.csv over the whole build (wall), %.0f MB per CPU second; peak %d MB (target <= 200)\n",
           m / t, m / c, r }'
  summary="$summary ${n}x: peak $BENCH_RSS_MB MB, $(awk -v m="$mb" -v c="$BENCH_CPU" 'BEGIN { printf "%.0f", m / c }') MB/CPU-s;"
  [ "$n" = 1 ] || rm -rf "$d"
done
# flat memory and linear time read off one line: the peak should not grow with n, MB per CPU second stay put
echo "scale:$summary target peak <= 200 MB"
