#!/bin/bash
# tests/test_layout_titles.sh — a workbook built alone (build --formats xlsx,
# no template parsed) titles every native chart exactly as a build with the
# PDF does ("图表N：caption" of the report, tests/pdf_acceptance.py checks
# those against the PDF): the chart catalogue carries the bundled template's
# numbers and captions (src/charts/catalogue.c).  Two builds of the bundled
# sample, about a second (and one workbook alone from a changed template).
# A workbook built alone from a --template folder of its own takes that
# folder's captions (and numbers), not the catalogue's.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_layout_titles "$@"
export SOURCE_DATE_EPOCH=1767225600

check "workbook alone" "$SRDI" build --data "$SRC/samples" --template "$SRC/templates/report-2026" \
    --formats xlsx --out "$T/alone" --quiet
check "workbook with the PDF" "$SRDI" build --data "$SRC/samples" --template "$SRC/templates/report-2026" \
    --formats pdf,xlsx --out "$T/full" --quiet

# the chart titles of a workbook, one per line in chart-part order
titles() {
    "$PY" - "$1" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = sorted((n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)),
               key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)))
for n in names:
    m = re.search(r"<c:title>.*?</c:title>", z.read(n).decode("utf-8"), re.S)
    print("".join(re.findall(r"<a:t>([^<]*)</a:t>", m.group(0))) if m else "(no title)")
EOF
}
titles "$T/alone/report.xlsx" >"$T/alone.txt"
titles "$T/full/report.xlsx" >"$T/full.txt"
# the workbook has its charts (18 charts, two of them drawn as two parts)
check "charts in the workbook alone ($(wc -l <"$T/alone.txt"))" test "$(wc -l <"$T/alone.txt")" -ge 18
check "every title numbered like the report: $(grep -v '^图表[0-9]*：' "$T/alone.txt" | head -3)" \
    test -z "$(grep -v '^图表[0-9]*：' "$T/alone.txt")"
if cmp -s "$T/alone.txt" "$T/full.txt"; then
    ok
else
    bad "chart titles of the workbook alone differ from the build with the PDF: $(diff "$T/alone.txt" "$T/full.txt" | grep '^[<>]' | head -6 | tr '\n' ' ')"
fi

# a template folder of one's own: its caption titles the chart of a workbook built alone
cp -r "$SRC/templates/report-2026" "$T/tpl"
sed -i 's/^::: chart+table T01 "[^"]*"/::: chart+table T01 "自定义的层级分布标题"/' "$T/tpl/20-ch2.md"
check "the changed template has the caption" grep -q '自定义的层级分布标题' "$T/tpl/20-ch2.md"
check "workbook alone from the changed template" "$SRDI" build --data "$SRC/samples" --template "$T/tpl" \
    --formats xlsx --out "$T/own" --quiet
titles "$T/own/report.xlsx" >"$T/own.txt"
want=$(sed -n 1p "$T/full.txt" | sed 's/：.*/：自定义的层级分布标题/')
got=$(sed -n 1p "$T/own.txt")
check "the first chart titled by the template's caption: '$got' (want '$want')" test "$got" = "$want"
srdi_test_done
