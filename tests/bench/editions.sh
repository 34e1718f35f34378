#!/usr/bin/env bash
# tests/bench/editions.sh — regional editions: every provincial edition (PDF,
# workbook and figures: the default formats) of the national data set, built
# in one run with `--split province`, against one national build of the same
# formats (target: at most 6×, issue "Speed", item 3); then every city
# workbook (`--split city --formats xlsx`) over a national xlsx build (target
# <= 3 s).  The split runs also write the national outputs, so the figures are
# upper bounds.  Median and best of SRDI_BENCH_RUNS runs (default 3 here);
# every run starts from an empty OUT so nothing is reused.  A busy machine
# shows in the load column: read the CPU seconds there.  The national data:
# SRDI_BENCH_DATA=DIR (default: the generated tests/bench/data/national).
# SRDI_BENCH_BEFORE=BIN also times another binary (e.g. main's) on the same
# commands in the same run and checks that both write the same bytes.
SRDI_BENCH_RUNS=${SRDI_BENCH_RUNS:-3}
export SRDI_BENCH_RUNS
source "$(dirname "$0")/common.sh"
bench_build
bench_data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "cores: $(nproc); $(uptime)"

# editions BIN TAG: the four timings of one binary and the two figures
editions() {
  local bin=$1 tag=$2
  BENCH_BEFORE="rm -rf '$OUT/nat$tag'" bench_time "$tag national" "$bin" build --data "$DATA" --out "$OUT/nat$tag" --quiet
  local nat=$BENCH_MEDIAN natcpu=$BENCH_CPU natbest=$BENCH_BEST
  BENCH_BEFORE="rm -rf '$OUT/split$tag'" bench_time "$tag --split province" "$bin" build --data "$DATA" \
    --out "$OUT/split$tag" --split province --quiet
  local n
  n=$(ls "$OUT/split$tag/provinces" | grep -c '\.pdf$')
  awk -v s="$BENCH_MEDIAN" -v n="$nat" -v sc="$BENCH_CPU" -v nc="$natcpu" -v k="$n" -v tag="$tag" \
      -v sb="$BENCH_BEST" -v nb="$natbest" 'BEGIN {
    printf "%s: %d provincial editions + the national build: %.2f s = %.2fx one national build (%.2f s; target <= 6x); best of runs %.2f s = %.2fx (%.2f s); cpu %.2f s = %.2fx\n",
           tag, k, s, s / n, n, sb, sb / nb, nb, sc, sc / nc }'
  BENCH_BEFORE="rm -rf '$OUT/nx$tag'" bench_time "$tag national xlsx" "$bin" build --data "$DATA" --out "$OUT/nx$tag" \
    --formats xlsx --quiet
  local nx=$BENCH_MEDIAN nxcpu=$BENCH_CPU nxbest=$BENCH_BEST
  BENCH_BEFORE="rm -rf '$OUT/city$tag'" bench_time "$tag --split city xlsx" "$bin" build --data "$DATA" \
    --out "$OUT/city$tag" --formats xlsx --split city --quiet
  n=$(find "$OUT/city$tag/cities" -name '*.xlsx' | wc -l)
  awk -v s="$BENCH_MEDIAN" -v n="$nx" -v sc="$BENCH_CPU" -v nc="$nxcpu" -v k="$n" -v tag="$tag" \
      -v sb="$BENCH_BEST" -v nb="$nxbest" 'BEGIN {
    printf "%s: %d city workbooks: %.2f s over the national xlsx build (%.2f s; target <= 3 s); best of runs %.2f s over %.2f s; cpu %.2f s over %.2f s\n",
           tag, k, s - n, n, sb - nb, nb, sc - nc, nc }'
}

editions "$BIN" after
if [ -n "${SRDI_BENCH_BEFORE:-}" ]; then
  editions "$SRDI_BENCH_BEFORE" before
  for d in split city; do
    bench_same "$OUT/${d}after" "$OUT/${d}before" && echo "$d: the same bytes" || echo "$d: OUTPUTS DIFFER"
  done
fi
echo "$(uptime)"
