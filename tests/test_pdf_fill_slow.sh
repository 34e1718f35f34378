#!/bin/bash
# tests/test_pdf_fill_slow.sh — a chapter that ends on a short page of text
# turns the page earlier so its last page is not nearly empty: the 北京市
# edition of the synthetic sample n=30000 seed 1202 ended 第四章 on p.41
# with 4.2.3 and 4.2.4 alone, 22% of the type area; the chapter's make-up
# now carries the paragraph before them over (p.41 29%, no page more).
# The page fill checks of tests/page_makeup.py (--fill); the page make-up
# checks of a 西宁市 edition whose chapter 2 had a page of figures with one
# line of text.  Slow (a 133 MB sample): plain tree only.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_pdf_fill_slow "$@"
export SOURCE_DATE_EPOCH=1767225600

check "sample n=30000 seed 1202" "$SRDI" sample --n 30000 --seed 1202 --out "$T/data"
check "北京市 edition" "$SRDI" build --data "$T/data" --template "$SRC/templates/report-2026" \
    --scope province=北京市 --formats pdf --out "$T/out" --quiet
rm -rf "$T/data"
PDF=$T/out/北京市.pdf
check "edition written" test -s "$PDF"
if "$PY" "$SRC/tests/page_makeup.py" "$PDF" --fill >"$T/mk" 2>&1; then
    ok
else
    bad "page fill of the 北京市 edition: $(grep FAIL "$T/mk" | head -3)"
fi
# the 西宁市 edition of n=15000 seed 2402: 2.1.2's second paragraph, one line
# between 图表4 and 图表5 (too tall for the page), left p.10 with 图表3, 图表4
# and that line; the chapter now turns the page before 2.1.2, so its
# heading and first paragraph go over with them (p.9 58%, p.10 99%)
check "sample n=15000 seed 2402" "$SRDI" sample --n 15000 --seed 2402 --out "$T/d2402"
check "西宁市 edition" "$SRDI" build --data "$T/d2402" --template "$SRC/templates/report-2026" \
    --scope city=西宁市 --formats pdf,json --out "$T/xn" --quiet
rm -rf "$T/d2402"
if "$PY" "$SRC/tests/page_makeup.py" "$T/xn/西宁市.pdf" --tables "$T/xn/tables.json" \
    --template "$SRC/templates/report-2026" >"$T/mk2" 2>&1; then
    ok
else
    bad "page make-up of the 西宁市 edition: $(grep FAIL "$T/mk2" | head -3)"
fi
srdi_test_done
