#!/usr/bin/env bash
# tests/test_cli.sh — the command line: help, exit codes, error messages,
# --strict, the reconciliation of `check`, atomic outputs.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_cli "$@"

expect 0 "$BIN" --help;            has "$T/out" "exit codes: 0 success; 1 row errors with --strict"
expect 0 "$BIN" build --help;      has "$T/out" "--split province|city"
expect 0 "$BIN" check --help;      has "$T/out" "read N = accepted A + rejected R"
expect 0 "$BIN" sample --help;     has "$T/out" "SYNTHETIC"
expect 2 "$BIN" frobnicate;        has "$T/err" "srdi-report: unknown command 'frobnicate'"
expect 2 "$BIN" build --formats pdf,doc
has "$T/err" "srdi-report: --formats takes a comma list of pdf,xlsx,png,svg,json, not 'pdf,doc'"
expect 2 "$BIN" build --split county
has "$T/err" "srdi-report: --split must be 'province' or 'city', not 'county'"
expect 2 "$BIN" build --dpi 5;     has "$T/err" "--dpi must be a number from 30 to 1200, not '5'"
expect 2 "$BIN" build --data;      has "$T/err" "option --data needs a value"
expect 2 "$BIN" sample --out "$T/x"; has "$T/err" "--n is required"
expect 2 "$BIN" sample --n -4 --out "$T/x"; has "$T/err" "--n must be a positive integer, not '-4'"

# input errors: exit 3 with file and reason
expect 3 "$BIN" check --data "$T/none" --out "$T/o"
has "$T/err" "srdi-report: error: enterprises.csv: cannot open $T/none/enterprises.csv: No such file or directory"
mkdir -p "$T/d1"
printf 'id,name,level\n1,a,national\n' >"$T/d1/enterprises.csv"
expect 3 "$BIN" check --data "$T/d1" --out "$T/o"
has "$T/err" "srdi-report: error: enterprises.csv: missing required column 'province' (省份); found: id, name, level"
expect 2 "$BIN" build --data "$SRC/samples" --out "$T/o" --scope province=火星 --formats json
has "$T/err" "--scope: unknown province '火星'"

# a data set with one bad row: check reconciles, --strict exits 1 and renders nothing
"$BIN" sample --n 200 --seed 5 --out "$T/d2" --compact-patents --quiet || bad "sample"
# financials line 2 gets the year 1999 (outside 2000–2100): one rejected row, no cascade
awk -F, 'BEGIN { OFS = "," } NR == 2 { $2 = "1999" } { print }' "$T/d2/financials.csv" >"$T/d2/f.csv" \
  && mv "$T/d2/f.csv" "$T/d2/financials.csv"
nf=$(($(wc -l <"$T/d2/financials.csv") - 1))
# one of a handful of financial rows is more than the default --max-reject-rate (1%): exit 1
expect 1 "$BIN" check --data "$T/d2" --out "$T/o2"
has "$T/out" "financials.csv  read $nf = accepted $((nf - 1)) + rejected 1"
has "$T/err" "srdi-report: error: financials.csv: 1 of $nf rows rejected ($(awk "BEGIN { printf \"%.1f\", 100 / $nf }")%, more than --max-reject-rate 1%): nothing rendered; by reason: year must be an integer from 2000 to 2100 (1); see $T/o2/rejects.csv"
expect 0 "$BIN" check --data "$T/d2" --out "$T/o2" --max-reject-rate 50%
has "$T/out" "financials.csv  read $nf = accepted $((nf - 1)) + rejected 1"
has "$T/o2/rejects.csv" "financials.csv,2,year,1999,"
expect 1 "$BIN" build --data "$T/d2" --out "$T/o3" --strict --max-reject-rate 1
has "$T/err" "1 row errors (--strict): nothing rendered; see $T/o3/rejects.csv"
[ ! -e "$T/o3/report.pdf" ] && [ ! -e "$T/o3/values.csv" ] && ok || bad "--strict rendered something"
# without --strict the run goes on and leaves no temporary files behind
expect 0 "$BIN" build --data "$T/d2" --out "$T/o4" --formats json,xlsx --quiet --max-reject-rate 0.5
[ -s "$T/o4/values.csv" ] && [ -s "$T/o4/report.xlsx" ] && ok || bad "no outputs"
ls -a "$T/o4" | grep -q '\.tmp\.' && bad "temporary file left" || ok
# no --jobs and no SRDI_JOBS: one thread per CPU the process may run on (its
# affinity mask, as taskset or a container's cpuset sets it), not per online CPU
if command -v taskset >/dev/null 2>&1; then
  expect 0 env -u SRDI_JOBS taskset -c 0 "$BIN" build --data "$T/d2" --out "$T/o5" --formats xlsx,png --max-reject-rate 0.5
  has "$T/err" "render: 20 outputs on 1 thread"
else
  echo "note: no taskset: the affinity default of --jobs is not checked"
fi

srdi_test_done
