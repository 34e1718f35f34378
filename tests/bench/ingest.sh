#!/usr/bin/env bash
# tests/bench/ingest.sh — ingest throughput at national scale.
#
# Builds srdi-report (Release, build dir build-bench), generates the national
# synthetic data set once (srdi-report sample --n 167372 --seed 2026 into
# tests/bench/data/national, git-ignored), then times the whole process
# `srdi-report check --data DIR` RUNS times (default 5) and prints the median
# wall time, the median CPU time (user + system: steadier than wall time on a
# shared machine), the peak RSS (GNU time -v; Debian package `time`) and MB/s for
# patents.csv (its bytes over the median of the patents.csv stage time that
# ingest reports, and over the median whole-process wall time), the same for
# enterprises.csv, and the floor: the median time of a plain `wc -l` of each
# file (MB/s, and each stage's time over it).
#
# Environment: RUNS (default 5), DATA (data dir), BUILD (build dir),
# MODE (check, the default: `check` reads the files; build: a cold
# `build --formats json --only T01` into a fresh directory, whose reading of
# patents.csv also computes the refresh cache's content hash),
# BUILD_TYPE (default Release),
# JOBS (default: unset = one reader thread per online CPU) is passed to check
# as --jobs; the reader cuts patents.csv into up to 64 parts, and enterprises.csv
# into parts of 512 KiB parsed a window of JOBS at a time while the window
# before is committed in file order (JOBS 1: streamed).
# Results are also appended to tests/bench/results/ingest.txt (git-ignored).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$SRC/build-bench}
DATA=${DATA:-$SRC/tests/bench/data/national}
RUNS=${RUNS:-5}
MODE=${MODE:-check}
BUILD_TYPE=${BUILD_TYPE:-Release}
TIME=/usr/bin/time

if [ ! -x "$TIME" ]; then
    echo "ingest.sh: $TIME is missing (install the Debian package 'time')" >&2
    exit 2
fi

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
if ! cmake --build "$BUILD" --target srdi-report -j2 >"$BUILD/bench-build.log" 2>&1; then
    grep -E 'error' "$BUILD/bench-build.log" | head -5 >&2
    echo "ingest.sh: building srdi-report ($BUILD_TYPE) failed; see $BUILD/bench-build.log" >&2
    exit 2
fi
BIN=$BUILD/srdi-report

if [ ! -s "$DATA/patents.csv" ] || [ ! -s "$DATA/enterprises.csv" ]; then
    echo "ingest.sh: generating the national data set in $DATA (once)" >&2
    "$BIN" sample --n 167372 --seed 2026 --out "$DATA" --quiet
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

walls=(); stages=(); rss=(); cpus=(); ents=()
for i in $(seq "$RUNS"); do
    if [ "$MODE" = build ]; then # a cold build's reading: the refresh cache's content hash in the parsing pass
        rm -rf "$OUT/b"
        "$TIME" -v -o "$OUT/time" "$BIN" build --data "$DATA" --out "$OUT/b" --formats json --only T01 \
            ${JOBS:+--jobs "$JOBS"} >"$OUT/stdout" 2>"$OUT/stderr"
        grep '^ingest: [a-z]*\.csv ' "$OUT/stderr" >"$OUT/stdout" || true # the stage lines (on stderr in a build)
    else
        "$TIME" -v -o "$OUT/time" "$BIN" check --data "$DATA" --out "$OUT" ${JOBS:+--jobs "$JOBS"} >"$OUT/stdout" 2>"$OUT/stderr"
    fi
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
                     for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$OUT/time")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time")
    c=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$OUT/time")
    s=$(sed -n 's/^ingest: patents.csv .*[ (]\([0-9.]*\) s)$/\1/p' "$OUT/stdout" | head -1)
    e=$(sed -n 's/^ingest: enterprises.csv .*[ (]\([0-9.]*\) s)$/\1/p' "$OUT/stdout" | head -1)
    walls+=("$w"); rss+=("$r"); stages+=("${s:-0}"); cpus+=("$c"); ents+=("${e:-0}")
    echo "run $i: wall ${w} s, cpu ${c} s, enterprises.csv stage ${e:-?} s, patents.csv stage ${s:-?} s, peak RSS $((r / 1024)) MiB" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# the floor: a plain scan of each file (wc -l), timed the same way, RUNS times
floor() {
    local f=$1 t=() x
    for i in $(seq "$RUNS"); do
        x=$( { "$TIME" -f '%e' wc -l "$f" >/dev/null; } 2>&1 | tail -1)
        t+=("$x")
    done
    median "${t[@]}"
}
fe=$(floor "$DATA/enterprises.csv")
fp=$(floor "$DATA/patents.csv")
mw=$(median "${walls[@]}")
ms=$(median "${stages[@]}")
mr=$(median "${rss[@]}")
mc=$(median "${cpus[@]}")
me=$(median "${ents[@]}")
ebytes=$(stat -L -c %s "$DATA/enterprises.csv")
bytes=$(stat -L -c %s "$DATA/patents.csv")
rows=$(sed -n 's/^ingest: patents.csv  read \([0-9]*\) .*/\1/p' "$OUT/stdout" | head -1)

summary=$(cat <<EOF
ingest bench ($MODE): $(date -u +%Y-%m-%dT%H:%MZ) $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?') cores=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg)
$(grep '^ingest: ' "$OUT/stdout" | sed 's/^/  /')
  patents.csv: $((bytes / 1000000)) MB, ${rows:-?} rows
  whole process ($MODE): median wall ${mw} s, median cpu (user+sys) ${mc} s of ${RUNS} runs, peak RSS $((mr / 1024)) MiB
  enterprises.csv stage: median ${me} s = $(awk -v b="$ebytes" -v s="$me" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }') MB/s
  patents.csv stage: median ${ms} s = $(awk -v b="$bytes" -v s="$ms" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }') MB/s
  floor (wc -l, median of ${RUNS}): enterprises.csv ${fe} s = $(awk -v b="$ebytes" -v s="$fe" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }') MB/s, patents.csv ${fp} s = $(awk -v b="$bytes" -v s="$fp" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }') MB/s
  stage / floor: enterprises.csv $(awk -v a="$me" -v b="$fe" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')x, patents.csv $(awk -v a="$ms" -v b="$fp" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')x
  patents.csv over whole wall: $(awk -v b="$bytes" -v s="$mw" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }') MB/s
EOF
)
echo "$summary"
mkdir -p "$SRC/tests/bench/results"
echo "$summary" >>"$SRC/tests/bench/results/ingest.txt"
