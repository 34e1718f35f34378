#!/bin/bash
# tests/test_layout_nodata.sh — a city edition of the bundled sample with a
# single enterprise (海东市, one provincial enterprise): its exhibits without
# data (a table as one 暂无数据 row, a chart as its 暂无数据 box) carry no
# note — before, 图表37 and 图表40 printed "注：…国家级专精特新“小巨人”企业
# 样本量小于30，仅供参考。" under the empty box — and the edition passes the
# page make-up checks of tests/page_makeup.py (split words, notes, numbers).
# One small build, a few seconds.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_layout_nodata "$@"
export SOURCE_DATE_EPOCH=1767225600

check "city edition" "$SRDI" build --data "$SRC/samples" --template "$SRC/templates/report-2026" \
    --scope city=海东市 --formats pdf --out "$T/out" --quiet
PDF=$T/out/海东市.pdf
check "edition written" test -s "$PDF"
pdftotext -layout "$PDF" "$T/text" 2>/dev/null
# the edition has exhibits without data (else this test checks nothing)
n=$(grep -c '^ *暂无数据 *$' "$T/text")
check "exhibits shown as 暂无数据 ($n)" test "$n" -ge 3
# a table whose own columns hold only zeros reads 暂无数据 too, not a grid of
# 0 beside the province's and the nation's figures (图表41/44: "合计 0 0 4,790")
zeros=$(grep -E '^ *合计 +0( |$)' "$T/text" | head -2)
check "no table of zeros: $zeros" test -z "$zeros"
# an exhibit says 暂无数据 once: a chart+table whose chart is the 暂无数据 box
# sets no 暂无数据 table under it (图表41/44 said it twice)
twice=$(awk '/图表[0-9]+：/ {cap=$0; n=0} /^ *暂无数据 *$/ {n++; if (n == 2) print cap} /资料来源/ {n=0}' "$T/text" | head -2)
check "暂无数据 once an exhibit: $twice" test -z "$twice"
# the line after each 暂无数据 (blank lines skipped) is no note
notes=$(sed -e 's/^ *//' -e '/^$/d' "$T/text" | grep -A1 '^暂无数据 *$' | grep '^注：' | head -3)
check "no note under an exhibit shown without data: $notes" test -z "$notes"
if ! srdi_full "the page make-up checks (python; the plain tree reads the same bytes)"; then
    :
elif "$PY" "$SRC/tests/page_makeup.py" "$PDF" --tables "$T/out/tables.json" \
    --template "$SRC/templates/report-2026" >"$T/mk" 2>&1; then
    ok
else
    bad "page make-up of the 海东市 edition: $(grep FAIL "$T/mk" | head -5)"
fi
srdi_test_done
