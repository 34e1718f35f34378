#!/bin/bash
# tests/test_incr_cli.sh — incremental builds end to end with the real CLI:
#   1. first build: "changes: first build", everything rendered, no changes.csv;
#   2. same inputs again: nothing re-rendered (no output file replaced),
#      changes.csv is the header only;
#   3. one enterprise's staff moved from the 51–100 band to > 1000: changes.csv
#      lists exactly the values that moved between the two values.csv (checked
#      against an independent diff), T03 bands and T12 quadrant counts move by
#      one enterprise, only the figures of changed tables are re-rendered, the
#      report laid out with the line breaks of build 1 (OUT/.srdi-breaks) and
#      its unchanged streams taken from build 1 (OUT/.srdi-streams), and every
#      output is byte-identical to a fresh full build;
#   4. a deleted figure is re-rendered alone;
#   5. a template text edit re-renders the report only;
#   6. --force re-renders everything, with the same bytes;
#   7. --split editions: unchanged ones kept, a lost one rebuilt alone.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_incr_cli "$@"
export SOURCE_DATE_EPOCH=1767225600

cp -r "$SRC/templates/report-2026" "$T/tmpl" || exit 1

build() {   # build OUTDIR [extra options]; stderr in $T/err
    local out=$1; shift
    "$SRDI" build --data "$T/D" --template "$T/tmpl" --out "$out" \
        --formats pdf,xlsx,png,svg "$@" 2> "$T/err"
}
# Every output file with its inode and mtime (a rewrite changes both).
snapshot() { (cd "$1" && find . -type f ! -name '.srdi-*' ! -name '*.tmp.*' -printf '%P %i %T@\n' | sort); }
# Files whose identity changed between two snapshots.
replaced() { comm -13 "$1" "$2" | cut -d' ' -f1 | sort; }
# Outputs identical to a fresh build (the bookkeeping files aside).
same_as_full() {
    rm -rf "$T/F"
    "$SRDI" build --data "$T/D" --template "$T/tmpl" --out "$T/F" --formats pdf,xlsx,png,svg \
        --quiet && diff -r -x '.srdi-*' -x changes.csv "$T/O" "$T/F" > "$T/diff.txt"
}

"$SRDI" sample --n 500 --seed 3 --out "$T/D" --quiet || { echo "test_incr_cli: FAILED: sample" >&2; exit 1; }

# ---- 1. first build
build "$T/O" || { cat "$T/err" >&2; echo "test_incr_cli: FAILED: build 1" >&2; exit 1; }
check "first build said so" has "$T/err" "changes: first build"
check "no changes.csv on a first build" test ! -e "$T/O/changes.csv"
check "state written" test -s "$T/O/.srdi-state"
nfig=$(find "$T/O/figures" -type f | wc -l)
check "figures written ($nfig)" test "$nfig" -ge 10
check "all figures rendered" has "$T/err" "figures: $nfig re-rendered, 0 unchanged"

# ---- 2. nothing changed
snapshot "$T/O" > "$T/s1"
check "build 2" build "$T/O"
snapshot "$T/O" > "$T/s2"
check "changes.csv is the header only" test "$(cat "$T/O/changes.csv")" = "table,row,column,old,new,change"
check "summary: none" has "$T/err" "changes: none; see $T/O/changes.csv"
check "figures skipped" has "$T/err" "figures: 0 re-rendered, $nfig unchanged"
check "workbook skipped" has "$T/err" "workbook: $T/O/report.xlsx unchanged, not rewritten"
check "report skipped" has "$T/err" "report: $T/O/report.pdf unchanged, not re-rendered"
replaced "$T/s1" "$T/s2" > "$T/r2"
check "only the exports were rewritten" test "$(tr '\n' ' ' < "$T/r2")" = "changes.csv rejects.csv tables.json values.csv "

# ---- 3. one enterprise's staff: 51–100 → 1500 (> 1000), a low-innovation provincial one
cp "$T/O/values.csv" "$T/values.old"
awk -F, 'BEGIN { OFS = "," }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
    !done && $col["level"] == "provincial" && $col["staff"] >= 51 && $col["staff"] <= 100 &&
        $col["patents_total"] != "" && $col["patents_total"] <= 50 { $col["staff"] = 1500; done = 1; print $col["id"] > "/dev/stderr" }
    { print }' "$T/D/enterprises.csv" > "$T/e.csv" 2> "$T/edited" && mv "$T/e.csv" "$T/D/enterprises.csv"
check "one enterprise edited" test -s "$T/edited"
snapshot "$T/O" > "$T/s2"
check "build 3" build "$T/O"
snapshot "$T/O" > "$T/s3"

# changes.csv = an independent diff of the two values.csv
"$PY" - "$T/values.old" "$T/O/values.csv" "$T/O/changes.csv" > "$T/pydiff.txt" <<'EOF'
import csv, sys
def load(p):
    with open(p, newline='', encoding='utf-8') as f:
        r = csv.reader(f); next(r)
        return {(t, row, c): v for t, row, c, v in r}
old, new = load(sys.argv[1]), load(sys.argv[2])
want = set()
for k in old.keys() | new.keys():
    if k not in new: want.add(k + (old[k], '', 'removed'))
    elif k not in old: want.add(k + ('', new[k], 'added'))
    elif old[k] != new[k]: want.add(k + (old[k], new[k], 'moved'))
with open(sys.argv[3], newline='', encoding='utf-8') as f:
    r = csv.reader(f); hdr = next(r); got = [tuple(x) for x in r]
ok = hdr == ['table','row','column','old','new','change'] and len(got) == len(set(got)) and set(got) == want
print("ok" if ok else "mismatch: missing %s extra %s" % (sorted(want - set(got))[:5], sorted(set(got) - want)[:5]))
EOF
check "changes.csv = diff of the two values.csv ($(cat "$T/pydiff.txt"))" test "$(cat "$T/pydiff.txt")" = ok
csvval() { awk -F, -v t="$1" -v r="$2" -v c="$3" -v f="$4" '$1 == t && $2 == r && $3 == c { print $f }' "$T/O/changes.csv"; }
check "T03 51-100 provincial share moved" test -n "$(csvval T03 51-100 provincial_share 5)"
check "T03 >1000 provincial share moved" test -n "$(csvval T03 '>1000' provincial_share 5)"
check "T03 national shares unchanged" test -z "$(csvval T03 51-100 national_share 5)"
o=$(csvval T12 high_scale_low_innovation count 4) n=$(csvval T12 high_scale_low_innovation count 5)
check "T12 high-scale low-innovation count +1 ($o → $n)" test -n "$o" -a "$((o + 1))" = "$n"
o=$(csvval T12 low_scale_low_innovation count 4) n=$(csvval T12 low_scale_low_innovation count 5)
check "T12 low-scale low-innovation count −1 ($o → $n)" test -n "$o" -a "$((o - 1))" = "$n"
tables=$(tail -n +2 "$T/O/changes.csv" | cut -d, -f1 | uniq | tr '\n' ' ')
nval=$(($(wc -l < "$T/O/changes.csv") - 1))
ntab=$(echo $tables | wc -w)
check "summary line ($nval values, $tables)" has "$T/err" "changes: $nval values in $ntab tables ($(echo $tables | sed 's/ /, /g')); see $T/O/changes.csv"

# Only the figures of changed tables were re-rendered.
replaced "$T/s2" "$T/s3" | grep '^figures/' > "$T/rfig"
: > "$T/wantfig"
for t in $tables; do (cd "$T/O" && ls figures/fig*_"$t".* 2> /dev/null) >> "$T/wantfig"; done
sort -o "$T/wantfig" "$T/wantfig"
check "T03 figure re-rendered" grep -q '_T03\.png$' "$T/rfig"
check "re-rendered figures = figures of changed tables" cmp -s "$T/rfig" "$T/wantfig"
nre=$(wc -l < "$T/rfig")
check "figures summary" has "$T/err" "figures: $nre re-rendered, $((nfig - nre)) unchanged"
check "report re-rendered" grep -qx 'report.pdf' <(replaced "$T/s2" "$T/s3")
check "the report's line breaks kept for the next render" test -s "$T/O/.srdi-breaks"
check "the report's deflated streams kept for the next render" test -s "$T/O/.srdi-streams"
check "the report's face reads kept for the next render" test -s "$T/O/.srdi-faces"
check "incremental = full build, byte for byte" same_as_full
[ -s "$T/diff.txt" ] && head -5 "$T/diff.txt" >&2

# ---- 4. a lost figure comes back, alone
rm -f "$T/O/figures/"fig*_T13.png
snapshot "$T/O" > "$T/s3"
check "build 4" build "$T/O"
snapshot "$T/O" > "$T/s4"
check "changes: none after a restore" has "$T/err" "changes: none"
check "the T13 figure files re-rendered" has "$T/err" "figures: 2 re-rendered, $((nfig - 2)) unchanged"
srdi_full "the same-as-full check after the restore (a full build)" && check "restored files are the same as a full build" same_as_full

# ---- 5. a template text edit re-renders the report only
printf '\n补充说明：本段用于增量测试。\n' >> "$T/tmpl/01-preface.md"
snapshot "$T/O" > "$T/s4"
check "build 5" build "$T/O"
snapshot "$T/O" > "$T/s5"
check "template edit: report re-rendered, other outputs kept" \
    test "$(replaced "$T/s4" "$T/s5" | tr '\n' ' ')" = "changes.csv claims.csv rejects.csv report.pdf tables.json values.csv "
srdi_full "the same-as-full check after the template edit (a full build)" && check "after the template edit: same as a full build" same_as_full

# ---- 6. --force
check "build --force" build "$T/O" --force
check "--force renders every figure" has "$T/err" "figures: $nfig re-rendered, 0 unchanged"
check "--force output = full build" same_as_full
# ---- 7. --split editions (workbooks here, to keep the test short): unchanged
#         editions are kept, a lost one comes back alone, --force rewrites all
split() { "$SRDI" build --data "$T/D" --template "$T/tmpl" --out "$T/S" --formats xlsx --split province "$@" 2> "$T/err"; }
check "split build 1" split
nsplit=$(find "$T/S/provinces" -type f -name '*.xlsx' | wc -l)
check "split workbooks written ($nsplit)" test "$nsplit" -ge 5
check "all splits written" has "$T/err" "split: $nsplit editions ($nsplit files written, 0 unchanged)"
check "split build 2" split
check "splits skipped" has "$T/err" "split: $nsplit editions (0 files written, $nsplit unchanged)"
victim=$(cd "$T/S/provinces" && ls | head -1)
rm -f "$T/S/provinces/$victim"
check "split build 3" split
check "one split workbook rewritten" has "$T/err" "split: $nsplit editions (1 files written, $((nsplit - 1)) unchanged)"
check "the lost workbook is back" test -s "$T/S/provinces/$victim"
check "split build --force" split --force
check "--force writes every split" has "$T/err" "split: $nsplit editions ($nsplit files written, 0 unchanged)"

check "build --help mentions --force" bash -c "'$SRDI' build --help | grep -q -- '--force'"
check "no temp files" test -z "$(find "$T/O" -name '*.tmp.*')"

srdi_test_done
