#!/usr/bin/env bash
# tests/bench/refresh.sh — the speed issue's headline figures, in one run:
#   floor    `wc -l patents.csv` (a plain scan of the largest input)
#   full     a cold national build (pdf, xlsx, png, json) into a fresh OUT
#   refresh  the same build into the same OUT after one financials.csv value
#            changed (patents.csv aggregates reused from OUT/.srdi-patents, the
#            29 tables that read no financial row from OUT/.srdi-tables), and
#            after one enterprises.csv value changed, the ids unchanged
#            (the part of enterprises.csv holding it parsed again, its other
#            rows from OUT/.srdi-enterprises, the patents aggregates reused)
# and the ratios full / floor and refresh / full (target ≤ 0.35).  The
# changed value alternates between two numbers, so every refresh has a change.
# Environment: SRDI_BENCH_DATA (data dir), SRDI_BENCH_RUNS (default 5).
source "$(dirname "$0")/common.sh"
bench_build
bench_data
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# a private copy of the small files; patents.csv by symlink (never changed)
mkdir "$W/data"
cp "$DATA/enterprises.csv" "$DATA/financials.csv" "$W/data/"
ln -s "$DATA/patents.csv" "$W/data/patents.csv"
export SOURCE_DATE_EPOCH=1767225600
bench_time "floor: wc -l patents.csv" wc -l "$DATA/patents.csv"
floor=$BENCH_MEDIAN floor_cpu=$BENCH_CPU
BENCH_BEFORE='rm -rf "$W/full"' bench_time "full build (cold)" "$BIN" build --data "$W/data" --out "$W/full" --quiet
full=$BENCH_MEDIAN full_cpu=$BENCH_CPU full_rss=$BENCH_RSS_MB
# the refresh: OUT built once, then one value toggled before each timed run
"$BIN" build --data "$W/data" --out "$W/out" --quiet
# The value toggled is the revenue of the first financials.csv row, between
# its own value and twice that: its 研发占比 stays inside the 0–30% range the
# tables use, so every refresh changes T09/T10 and re-renders report.pdf (a
# value whose ratio falls outside the range on both sides changes no table,
# and the refresh then skips the PDF).  bench_changes checks the changes: line.
ORIG=$(/usr/bin/python3 -c 'import sys; print(open(sys.argv[1], encoding="utf-8").read().split("\n")[1].split(",")[2])' "$DATA/financials.csv")
toggle() {
  /usr/bin/python3 - "$W/data/financials.csv" "$ORIG" <<'PY'
import sys
p, orig = sys.argv[1], sys.argv[2]
l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[2] = repr(float(orig) * 2) if f[2] == orig else orig
l[1] = ','.join(f); open(p, 'w', encoding='utf-8').write('\n'.join(l))
PY
}
toggle
"$BIN" build --data "$W/data" --out "$W/out" 2> "$W/changes.log"
if ! grep -q '^\[.*changes: [0-9]' "$W/changes.log"; then
  echo "refresh.sh: toggling the first revenue of financials.csv changes no table; pick another value" >&2
  exit 1
fi
grep -o 'tables: [0-9]* reused from .*' "$W/changes.log" >&2 || echo "refresh.sh: note: no table reused from $W/out/.srdi-tables" >&2
BENCH_BEFORE=toggle bench_time "refresh (1 financials value)" "$BIN" build --data "$W/data" --out "$W/out" --quiet
refresh=$BENCH_MEDIAN refresh_cpu=$BENCH_CPU
# the refreshed outputs are those of a cold build of the same data
"$BIN" build --data "$W/data" --out "$W/cold" --quiet
if diff -r -x '.srdi-*' -x changes.csv "$W/out" "$W/cold" >/dev/null; then same=yes; else same=NO; fi
# The other refresh the speed issue names: one enterprises.csv value, the ids
# unchanged (staff of the first row, between its own value and that plus one:
# the same enterprise set, so the patents aggregates are reused, but
# the part of enterprises.csv holding it is parsed again (its other rows come
# from OUT/.srdi-enterprises) and every table reading the enterprise rows
# is built again).
EORIG=$(/usr/bin/python3 -c 'import sys; print(open(sys.argv[1], encoding="utf-8").read().split("\n")[1].split(",")[7])' "$DATA/enterprises.csv")
etoggle() {
  /usr/bin/python3 - "$W/data/enterprises.csv" "$EORIG" <<'PY'
import sys
p, orig = sys.argv[1], sys.argv[2]
l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[7] = (str(int(orig) + 1) if orig else '1') if f[7] == orig else orig
l[1] = ','.join(f); open(p, 'w', encoding='utf-8').write('\n'.join(l))
PY
}
etoggle
"$BIN" build --data "$W/data" --out "$W/out" 2> "$W/echanges.log"
grep -q 'patents.csv unchanged' "$W/echanges.log" || { echo "refresh.sh: the enterprises refresh did not reuse the patents aggregates" >&2; exit 1; }
# and reuses the cache's rows of enterprises.csv but for the part holding row 1 (parsed again)
grep -o 'enterprises.csv changed in .* parsed again' "$W/echanges.log" >&2 ||
    echo "refresh.sh: note: the enterprises refresh parsed the whole file again" >&2
BENCH_BEFORE=etoggle bench_time "refresh (1 enterprises value)" "$BIN" build --data "$W/data" --out "$W/out" --quiet
erefresh=$BENCH_MEDIAN erefresh_cpu=$BENCH_CPU
"$BIN" build --data "$W/data" --out "$W/ecold" --quiet
if diff -r -x '.srdi-*' -x changes.csv "$W/out" "$W/ecold" >/dev/null; then esame=yes; else esame=NO; fi
awk -v f="$full" -v r="$refresh" -v w="$floor" -v fc="$full_cpu" -v rc="$refresh_cpu" -v wc="$floor_cpu" \
    -v m="$full_rss" -v s="$same" -v er="$erefresh" -v erc="$erefresh_cpu" -v es="$esame" 'BEGIN {
  printf "full build %.2f s (cpu %.2f s), %d MB; = %.1f x the wc -l floor (%.2f s; cpu %.1f x)\n", f, fc, m, f / w, w, fc / (wc > 0 ? wc : 0.01)
  printf "refresh %.2f s (cpu %.2f s) = %.2f of the full build (cpu %.2f; target <= 0.35); outputs as a cold build: %s\n", r, rc, r / f, rc / fc, s
  printf "refresh after one enterprises.csv value %.2f s (cpu %.2f s) = %.2f of the full build (cpu %.2f; target <= 0.35); outputs as a cold build: %s\n", er, erc, er / f, erc / fc, es }'
