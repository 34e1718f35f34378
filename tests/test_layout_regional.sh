#!/bin/bash
# tests/test_layout_regional.sh — page make-up of regional editions of a
# generated data set (sample n 9000 seed 4242): the 吉林省, 成都市, 曲靖市,
# 益阳市 and 沧州市 editions pass tests/page_makeup.py.  Before, 2.1.6's heading and its
# two-line lead-in "…可将企业划入四个象限（见图表14）：", citing note 4,
# ended p.9 of both and the list opened p.10: the heading kept the lead-in
# but not the start of its list, and the room the lead-in's note takes at
# the foot was not counted.  The 曲靖市 and 益阳市 editions also end every
# chapter on a page at least 40% full (--chapter-end 0.40): before, chapter
# 2 of both ended on p.20 with 2.3.4's six lines, 28% of a page, while p.19
# was full (the make-up now carries 2.3.3 or 图表23 over).  The 沧州市
# edition's p.26 ends on a paragraph whose third line carries note mark 9
# after "4件": the mark raises that line's box to 12.94 pt, which
# page_makeup.py read as no body line, so the full line under it was an
# orphan.  The 宝鸡市 edition keeps 图表44 whole, its chart and its five
# patent classes with 合计: before, the table went three rows and three over
# pp.32–33 (page_makeup.py: a table of up to 8 body rows split), and chapter
# 3 ended on p.34 32% full.  A few seconds.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_layout_regional "$@"
export SOURCE_DATE_EPOCH=1767225600
TPL="$SRC/templates/report-2026"

check "sample n 9000 seed 4242" "$SRDI" sample --n 9000 --seed 4242 --out "$T/data" --quiet
for scope in province=吉林省 city=成都市 city=曲靖市 city=益阳市 city=沧州市 city=宝鸡市; do
    name=${scope#*=}
    check "$name edition" "$SRDI" build --data "$T/data" --template "$TPL" --scope "$scope" --formats pdf \
        --out "$T/$name" --quiet
    PDF=$T/$name/$name.pdf
    check "$name edition written" test -s "$PDF"
    if ! srdi_full "the page make-up checks (python; the plain tree reads the same bytes)"; then
        :
    elif "$PY" "$SRC/tests/page_makeup.py" "$PDF" --template "$TPL" --chapter-end 0.40 >"$T/mk" 2>&1; then
        ok
    else
        bad "page make-up of the $name edition: $(grep FAIL "$T/mk" | head -5)"
    fi
done
srdi_test_done
