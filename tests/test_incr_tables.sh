#!/bin/bash
# tests/test_incr_tables.sh — the refresh's table cache (OUT/.srdi-tables:
# each table kept with the hash of exactly the inputs its registry entry
# declares, src/pipeline/incremental.c).  Every refresh runs with
# SRDI_INCR_VERIFY_TABLES=1 (each table taken from the cache is built as
# well and must be the same) and its outputs are compared byte for byte with
# a cold build of the same data (SOURCE_DATE_EPOCH set):
#   1. unchanged inputs: all 35 tables taken from the cache;
#   2. one financials.csv value: the 6 tables that read financial rows
#      (T09–T11, T22, T24, T25) built, 29 taken;
#   3. one patents.csv row: the 6 patent tables (T30–T35) built, 29 taken;
#   4. one enterprises.csv value: the tables that read its column built — the
#      registered capital: 8 (T02, T20, T21, T23, T24, T26, T28, T29); an
#      honours flag: 2 (T04, T27); a name (every table reads the ids, names,
#      levels, regions and industries): all 35;
#   (plain tree) 5. params.ini changed: every table built; 6. --force: every
#   table built; 7. a damaged .srdi-tables: its broken entries built again,
#   no error; 8. 2. again with the PDF, workbook and figures.
# The data: the bundled sample (samples/: 3,030 enterprises, 73 financial rows).
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_incr_tables "$@"
export SOURCE_DATE_EPOCH=1767225600

cp -r "$SRC/samples" "$T/D" || exit 1
cp -r "$SRC/templates/report-2026" "$T/tmpl" || exit 1
FORMATS=json
O=$T/O
refresh() { SRDI_INCR_VERIFY_TABLES=1 "$SRDI" build --data "$T/D" --template "$T/tmpl" --out "$O" --formats $FORMATS "$@" 2> "$T/err"; }
cold_same() {
    rm -rf "$T/C"
    "$SRDI" build --data "$T/D" --template "$T/tmpl" --out "$T/C" --formats $FORMATS --quiet &&
        diff -r -x '.srdi-*' -x changes.csv "$O" "$T/C" > "$T/diff.txt"
}
reused() { has "$T/err" "tables: $1 reused from $O/.srdi-tables (the inputs they read are unchanged), $2 built"; }
none_reused() { check "$1: no table taken from the cache" bash -c "! grep -q 'reused from $O/.srdi-tables' '$T/err'"; }
toggle_revenue() {   # the revenue of the first financials.csv row: doubled, or back
    local r
    r=$(awk -F, 'NR == 2 { print $3 }' "$T/D/financials.csv")
    if [ -z "${REV0:-}" ]; then REV0=$r; fi
    if [ "$r" = "$REV0" ]; then r=$(awk -v r="$r" 'BEGIN { printf "%.1f", r * 2 }'); else r=$REV0; fi
    edit_csv "$T/D/financials.csv" revenue "$r"
}
# field $3 of the first data row of file $1 whose column $2 … : replace by $4
edit_csv() {
    awk -F, -v c="$2" -v v="$3" 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
        NR == 2 { $col[c] = v } { print }' "$1" > "$1.new" && mv "$1.new" "$1"
}

# ---- 1. first build, then the same inputs again
check "build 1" refresh
check "build 1: nothing reused (no cache yet)" bash -c "! grep -q 'reused from' '$T/err'"
check "the cache written" test -s "$T/O/.srdi-tables"
check "build 2" refresh
reused 35 0

# ---- 2. one financials.csv value (the revenue of the first row, doubled)
toggle_revenue
check "refresh after a financials.csv value" refresh
reused 29 6
has "$T/err" "changes: "
check "financials refresh = cold build, byte for byte" cold_same
[ -s "$T/diff.txt" ] && head -5 "$T/diff.txt" >&2

# ---- 3. one patents.csv row (its grant year): the patent tables only
gy=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "grant_year") c = i } NR > 1 && $c != "" { print NR; exit }' "$T/D/patents.csv")
check "a patent row with a grant year ($gy)" test -n "$gy"
awk -F, -v n="$gy" 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "kind") k = i }
    NR == n { $k = ($k == "invention" ? "utility" : "invention") } { print }' "$T/D/patents.csv" > "$T/p.csv" &&
    mv "$T/p.csv" "$T/D/patents.csv"
check "refresh after a patents.csv row" refresh
reused 29 6
check "patents refresh = cold build" cold_same

# ---- 4. one enterprises.csv value (registered capital of the first row): the tables that read that column
edit_csv "$T/D/enterprises.csv" reg_capital 123456.7
check "refresh after an enterprises.csv value" refresh
reused 27 8
check "enterprises refresh = cold build" cold_same
# an honours flag of the first row (hon_gazelle, 0 <-> 1): T04 and T27
g=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "hon_gazelle") c = i } NR == 2 { print $c }' "$T/D/enterprises.csv")
edit_csv "$T/D/enterprises.csv" hon_gazelle "$([ "$g" = 1 ] && echo 0 || echo 1)"
check "refresh after an honours flag" refresh
reused 33 2
has "$T/err" "(T04, T27)"
check "honours refresh = cold build" cold_same
# a name: every table reads the columns that are not numeric
edit_csv "$T/D/enterprises.csv" name 改名后的样本企业
check "refresh after a name" refresh
none_reused "enterprises (a name)"
check "name refresh = cold build" cold_same

# ---- 5.-7. (plain tree)
if srdi_full "the params.ini, --force and damaged-cache refreshes"; then
# ---- 5. params.ini: every table reads it
check "build (unchanged)" refresh
reused 35 0
sed -i 's/^min_n *= 30 /min_n = 31 /' "$T/tmpl/params.ini"
check "params.ini edited" grep -q '^min_n = 31 ' "$T/tmpl/params.ini"
check "refresh after params.ini" refresh
none_reused "params.ini"
check "params refresh = cold build" cold_same

# ---- 6. --force builds every table (and writes the cache again)
check "refresh --force" refresh --force
none_reused "--force"
check "build after --force" refresh
reused 35 0

# ---- 7. a damaged cache: the entries from the damage on are built again
size=$(stat -c %s "$T/O/.srdi-tables")
srdi_damage "$T/O/.srdi-tables" $((size / 2))
check "refresh with a damaged cache" refresh
check "damaged cache: some tables built again" grep -q "tables: [0-9]* reused from $T/O/.srdi-tables (the inputs they read are unchanged), [1-9][0-9]* built" "$T/err"
check "damaged cache refresh = cold build" cold_same
check "the cache whole again" refresh
reused 35 0
fi

# ---- 8. the financials refresh with the PDF, the workbook and the figures
if srdi_full "the financials refresh with pdf, xlsx, png"; then
    FORMATS=pdf,xlsx,png,json O=$T/F
    check "full-format build" refresh
    toggle_revenue
    check "full-format refresh after a financials.csv value" refresh
    reused 29 6
    has "$T/err" "report: $O/report.pdf ("
    check "full-format financials refresh = cold build, byte for byte" cold_same
    [ -s "$T/diff.txt" ] && head -5 "$T/diff.txt" >&2
fi

srdi_test_done
