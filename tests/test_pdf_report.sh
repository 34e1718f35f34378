#!/bin/bash
# tests/test_pdf_report.sh — end to end: the bundled template rendered from a
# synthetic sample through the CLI.  The PDF passes qpdf --check, every font is
# embedded and subset, the 目录 is there, and two builds with the same
# SOURCE_DATE_EPOCH are byte-identical.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_pdf_report "$@"

"$BIN" sample --n 2000 --seed 7 --out "$T/data" >/dev/null 2>&1 || bad "sample"
export SOURCE_DATE_EPOCH=1767225600
"$BIN" build --data "$T/data" --template "$SRC/templates/report-2026" --formats pdf --out "$T/a" \
    >/dev/null 2>"$T/a.log" || { bad "build a"; cat "$T/a.log" >&2; }
"$BIN" build --data "$T/data" --template "$SRC/templates/report-2026" --formats pdf --out "$T/b" \
    >/dev/null 2>"$T/b.log" || bad "build b"
[ -s "$T/a/report.pdf" ] && ok || bad "no report.pdf"
ls "$T/a" | grep -q tmp && bad "temporary file left behind" || ok

qpdf --check "$T/a/report.pdf" >"$T/qpdf.txt" 2>&1 && ok || bad "qpdf --check: $(tail -3 "$T/qpdf.txt")"
grep -q "No syntax or stream encoding errors found" "$T/qpdf.txt" && ok || bad "qpdf reports errors"

nf=$(pdffonts "$T/a/report.pdf" 2>/dev/null | tail -n +3 | wc -l)
ng=$(pdffonts "$T/a/report.pdf" 2>/dev/null | tail -n +3 | grep -c " yes yes yes ")
[ "$nf" -ge 3 ] && [ "$nf" = "$ng" ] && ok || bad "fonts: $ng of $nf embedded+subset"

pdftotext -f 3 -l 3 "$T/a/report.pdf" - 2>/dev/null | grep -q "目 *录" && ok || bad "no 目录 on page 3"
# one range dash (GB/T 15834 一字线 —): no en dash anywhere in the report text, charts included
! pdftotext "$T/a/report.pdf" - 2>/dev/null | grep -q "–" && ok || bad "an en dash (–) in the report text: $(pdftotext "$T/a/report.pdf" - | grep -m1 "–")"
pdfinfo "$T/a/report.pdf" 2>/dev/null | grep -q "Creator: *srdi-report" && ok || bad "creator"

a=$(sha256sum <"$T/a/report.pdf")
b=$(sha256sum <"$T/b/report.pdf")
[ "$a" = "$b" ] && ok || bad "two builds differ"

srdi_test_done
