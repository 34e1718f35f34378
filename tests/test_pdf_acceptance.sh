#!/bin/bash
# tests/test_pdf_acceptance.sh — acceptance of the report PDF built from the
# real template (templates/report-2026) and a generated sample (n 5000,
# seed 11): qpdf --check, fonts embedded + subset, no raster images, the six
# chapter headings, every 图表 caption numbered 1..N in order, 目录 and 图表目录
# page labels pointing at the right pages, nested outlines, document info
# (CreationDate from SOURCE_DATE_EPOCH), no text outside the text area,
# the workbook's charts titled like their captions ("图表N：…").
# The checks are in tests/pdf_acceptance.py.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_pdf_acceptance "$@"
export SOURCE_DATE_EPOCH=1767225600

if ! "$BIN" sample --n 5000 --seed 11 --out "$T/data" >"$T/sample.log" 2>&1; then
    echo "FAIL: srdi-report sample"; tail -5 "$T/sample.log"
    echo "0 passed, 1 failed"; exit 1
fi
if ! "$BIN" build --data "$T/data" --template "$SRC/templates/report-2026" --formats pdf,xlsx,json \
        --out "$T/out" >"$T/build.log" 2>&1; then
    echo "FAIL: srdi-report build"; tail -20 "$T/build.log"
    echo "0 passed, 1 failed"; exit 1
fi
"$PY" "$SRC/tests/pdf_acceptance.py" "$SRC/templates/report-2026" "$T/out" "$SRC" "$SOURCE_DATE_EPOCH"
