# tests/bench/common.sh — shared by the benchmark scripts (sourced, not run).
# Builds an optimised srdi-report in build-bench/ (or takes SRDI_BENCH_BIN),
# generates the national data set once into tests/bench/data/national (never
# committed; SRDI_BENCH_DATA names another), and times whole commands: median
# wall time of RUNS runs, median CPU time and the peak RSS (GNU time).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR="$ROOT/tests/bench"
DATA="${SRDI_BENCH_DATA:-$BENCH_DIR/data/national}"
RUNS="${SRDI_BENCH_RUNS:-5}"
BIN="${SRDI_BENCH_BIN:-$ROOT/build-bench/srdi-report}"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}   # outputs comparable byte for byte

# SRDI_BENCH_BIN names an already built srdi-report (no build then).
bench_build() {
  [ -n "${SRDI_BENCH_BIN:-}" ] && return 0
  cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build-bench" -j"$(nproc)" --target srdi-report >/dev/null
}

bench_data() {
  if [ ! -s "$DATA/patents.csv" ]; then
    echo "bench: generating the national data set into $DATA" >&2
    "$BIN" sample --n 167372 --seed 2026 --out "$DATA" --quiet
  fi
  local mb
  mb=$(du -m "$DATA/patents.csv" | cut -f1)
  echo "bench: data $DATA: $(($(wc -l < "$DATA/enterprises.csv") - 1)) enterprises, patents.csv ${mb} MB" >&2
}

# bench_time LABEL CMD...: run CMD $RUNS times (after one warm-up run that
# loads the page cache), print median seconds, the median CPU time (user +
# system: steadier than wall time on a shared machine) and max peak RSS.
# BENCH_MEDIAN, BENCH_CPU, BENCH_RSS_MB hold them after (BENCH_BEST and
# BENCH_BEST_CPU: the fastest run's wall and the least CPU); BENCH_BEFORE, when
# set, is eval'ed before every run (untimed).
bench_time() {
  local label=$1; shift
  command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
  [ -n "${BENCH_BEFORE:-}" ] && eval "$BENCH_BEFORE"
  "$@" >/dev/null 2>&1
  local times=() cpus=() rss=0 t r u s
  for _ in $(seq "$RUNS"); do
    [ -n "${BENCH_BEFORE:-}" ] && eval "$BENCH_BEFORE"
    /usr/bin/time -f "%e %M %U %S" -o /tmp/srdi-bench-time.$$ "$@" >/dev/null 2>&1
    read -r t r u s < /tmp/srdi-bench-time.$$
    times+=("$t")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  rm -f /tmp/srdi-bench-time.$$
  BENCH_MEDIAN=$(bench_median "${times[@]}")
  BENCH_CPU=$(bench_median "${cpus[@]}")
  BENCH_BEST=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  BENCH_BEST_CPU=$(printf '%s\n' "${cpus[@]}" | sort -n | head -1)
  BENCH_RSS_MB=$((rss / 1024))
  printf '%-28s median %6.2f s of %d runs (%s)   cpu %6.2f s   peak RSS %5d MB   load %s\n' "$label" \
    "$BENCH_MEDIAN" "$RUNS" "${times[*]}" "$BENCH_CPU" "$BENCH_RSS_MB" "$(cut -d' ' -f1 /proc/loadavg)"
}

# bench_median X...: the median of numbers.
bench_median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

# bench_floor: median wall time of a plain `wc -l` of patents.csv (page cache
# warm): the floor a build of the same data is compared with (BENCH_FLOOR).
bench_floor() {
  bench_time "floor: wc -l patents.csv" wc -l "$DATA/patents.csv"
  BENCH_FLOOR=$BENCH_MEDIAN
}

# bench_same OUT1 OUT2: true when two output folders hold the same bytes
# (the state files .srdi-* aside: they record times and paths).
bench_same() {
  diff -r -x '.srdi-*' "$1" "$2" >/dev/null
}
