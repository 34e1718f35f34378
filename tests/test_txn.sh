#!/usr/bin/env bash
# tests/test_txn.sh — a build is a transaction on OUT (issue "Hardening"):
# a failed, killed or size-limited build leaves OUT exactly as it was, no
# temporary file is left, a planted symlink never redirects a write, one
# build at a time per OUT, and output-folder errors exit 4.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_txn "$@"
export SOURCE_DATE_EPOCH=1700000000
# snapshot DIR: every file (hidden ones too) with its checksum, and every name
snap() { (cd "$1" && find . -print | sort && find . -type f -print0 | sort -z | xargs -0 md5sum); }
same() { snap "$O" >"$T/now"; cmp -s "$T/before" "$T/now" && ok || bad "OUT changed: $1: $(diff "$T/before" "$T/now" | head -5)"; }
notmp() { find "$O" -name '*.tmp*' -o -name '.srdi-staging-*' | grep -q . && bad "temp left: $1: $(find "$O" -name '*.tmp*' -o -name '.srdi-staging-*')" || ok; }

O=$T/O
TPL=$T/tpl
cp -r "$SRC/templates/report-2026" "$TPL"
expect 0 "$BIN" build --out "$O" --formats json,xlsx --quiet
[ -f "$O/values.csv" ] && [ -f "$O/.srdi-state" ] && [ -f "$O/report.xlsx" ] && ok || bad "first build outputs"
notmp "first build"

# a template error after the exports were computed: OUT (outputs, state, baseline) unchanged
snap "$O" >"$T/before"
cp -r "$TPL" "$T/tbad"; printf '\n{{T99.a.b}}\n' >>"$T/tbad/10-ch1.md"
sed -i 's/^capital_threshold = .*/capital_threshold = 5000/' "$T/tbad/params.ini"   # other values too
expect 3 "$BIN" build --out "$O" --template "$T/tbad" --formats json,xlsx,pdf --quiet --force
has "$T/err" "unknown placeholder {{T99.a.b}}"
same "failed build"; notmp "failed build"

# the next good build compares with the old baseline, not the failed build's values
expect 0 "$BIN" build --out "$O" --formats json,xlsx
has "$T/err" "changes: none; see $O/changes.csv"

# a file-size limit (SIGXFSZ): exit 4 naming the file and the cause, OUT unchanged
snap "$O" >"$T/before"
(ulimit -f 150; exec "$BIN" build --out "$O" --formats json,xlsx --quiet --force) >"$T/out" 2>"$T/err"
[ $? = 4 ] && ok || bad "ulimit -f: exit $? (want 4)"
has "$T/err" "srdi-report: error: $O/tables.json: write failed: File too large"
same "ulimit -f"; notmp "ulimit -f"

# SIGTERM in the middle: OUT unchanged, staging folder removed
snap "$O" >"$T/before"
# (every format on one thread, ~1 s: the sample alone renders in 0.2 s, so
# the signal goes as soon as the staging folder appears)
"$BIN" build --out "$O" --formats json,xlsx,png,svg,pdf --jobs 1 --quiet --force 2>/dev/null &
pid=$!
for i in $(seq 1 500); do ls -a "$O" | grep -q '^\.srdi-staging-' && break; sleep 0.01; done
kill -TERM $pid; wait $pid; [ $? = 143 ] && ok || bad "SIGTERM exit status"
same "SIGTERM"; notmp "SIGTERM"

# a staging folder left by SIGKILL is removed by the next build
mkdir -p "$O/.srdi-staging-zz0000/figures"; touch "$O/.srdi-staging-zz0000/figures/x.png"
expect 0 "$BIN" build --out "$O" --formats json --quiet
notmp "after a killed build"

# symlinks planted in OUT never redirect a write
echo secret >"$T/victim"
ln -s "$T/victim" "$O/tables.json.tmp.$$"
rm -f "$O/values.csv"; ln -s "$T/victim" "$O/values.csv"
ln -sfn "$T" "$O/figures"
expect 4 "$BIN" build --out "$O" --formats json,png --quiet --force
has "$T/err" "$O/figures: is a symbolic link; refusing to write through it"
[ "$(cat "$T/victim")" = secret ] && ok || bad "victim overwritten"
ls "$T"/fig* >/dev/null 2>&1 && bad "figure written outside OUT" || ok
rm "$O/figures"
expect 0 "$BIN" build --out "$O" --formats json --quiet --force
[ "$(cat "$T/victim")" = secret ] && ok || bad "victim overwritten"
[ -f "$O/values.csv" ] && [ ! -L "$O/values.csv" ] && ok || bad "values.csv not replaced by a file"
rm -f "$O/tables.json.tmp.$$"

# one build per OUT: --no-wait refuses, otherwise the second build waits
exec 9>"$O/.srdi-lock"; flock 9
expect 4 "$BIN" build --out "$O" --formats json --quiet --no-wait
has "$T/err" "srdi-report: error: $O: another build is writing into $O (lock $O/.srdi-lock); not waiting (--no-wait)"
( sleep 1; flock -u 9 ) &
expect 0 "$BIN" build --out "$O" --formats json
has "$T/err" "waiting for another build into $O to finish (lock $O/.srdi-lock)"
exec 9>&-; wait

# the output folder itself
expect 2 "$BIN" build --out ""
has "$T/err" "srdi-report: --out needs a folder name, not an empty string"
expect 2 "$BIN" check --out ""
touch "$T/file"
expect 4 "$BIN" build --out "$T/file" --formats json --quiet
has "$T/err" "srdi-report: error: $T/file: exists and is not a directory"
expect 4 "$BIN" build --out "$T/file/sub" --formats json --quiet
has "$T/err" "$T/file/sub: cannot create directory: Not a directory"

# --strict: nothing rendered, rejects.csv published (the message points at it)
mkdir -p "$T/d"; cp "$SRC"/samples/*.csv "$T/d/"
awk -F, 'BEGIN { OFS = "," } NR == 2 { $2 = "1999" } { print }' "$T/d/financials.csv" >"$T/d/f.csv" \
  && mv "$T/d/f.csv" "$T/d/financials.csv"
expect 1 "$BIN" build --out "$T/S" --data "$T/d" --formats json --quiet --strict --max-reject-rate 1
has "$T/err" "1 row errors (--strict): nothing rendered; see $T/S/rejects.csv"
has "$T/S/rejects.csv" "financials.csv,2,year,1999,"
[ ! -e "$T/S/values.csv" ] && [ ! -e "$T/S/.srdi-state" ] && ok || bad "--strict published: $(ls -a "$T/S")"

srdi_test_done
