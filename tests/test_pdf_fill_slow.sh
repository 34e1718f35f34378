#!/bin/bash
# tests/test_pdf_fill_slow.sh — a chapter that ends on a short page of text
# turns the page earlier so its last page is not nearly empty: the 北京市
# edition of the synthetic sample n=30000 seed 1202 ended 第四章 on p.41
# with 4.2.3 and 4.2.4 alone, 22% of the type area; the chapter's make-up
# now carries the paragraph before them over (p.41 29%, no page more).
# The page fill checks of tests/page_makeup.py (--fill).  Slow (a 133 MB
# sample): plain tree only.
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
srdi_test_done
