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
# the edition's text columns stand beside the computed numbers (template tables)
# (read in poppler's reading order and in its layout order: a header row
# whose cells wrap differently may come out in either one)
pdftotext "$T/a/report.pdf" - 2>/dev/null | tr -d ' \n' >"$T/flat.txt"
pdftotext -layout "$T/a/report.pdf" - 2>/dev/null | tr -d ' \n' >"$T/flatl.txt"
for w in "城市群涵盖区域企业数量（家）占全国比重国家级占比京津冀北京、天津、河北" \
         "长三角上海、江苏、浙江、安徽" "特征描述培育策略" "持续巩固，冲击单项冠军" \
         "政策含义" "达标线：研发占比≥" "资本实力是基础门槛" "特征描述培育建议" "创新投入与产出兼优"; do
    { grep -qF -- "$w" "$T/flat.txt" || grep -qF -- "$w" "$T/flatl.txt"; } && ok || bad "text column missing: $w"
done
# every 图表 carries a source line before the next one begins
python3 - "$T/a/report.pdf" >"$T/src.txt" <<'PY' && ok || { bad "exhibits without a source line: $(cat "$T/src.txt")"; }
import re, subprocess, sys
t = subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, check=True).stdout.decode()
# the body begins after the 图表目录's last entry (the first "图表<max>：")
last = max(int(n) for n in re.findall(r"图表(\d+)：", t))
t = t[t.index("图表%d：" % last) + 1:]
# a caption opens its line ("见图表46：本次数据中…" in the text is no caption:
# a figure may float past the text that cites it)
caps = [(m.start(), m.group(1)) for m in re.finditer(r"(?m)^图表(\d+)：", t)]
missing = []
for i, (pos, n) in enumerate(caps):
    j = i + 1
    while j < len(caps) and caps[j][1] == n:
        j += 1
    if n in [c for _, c in caps[:i]]:
        continue
    if "资料来源" not in t[pos:(caps[j][0] if j < len(caps) else len(t))]:
        missing.append(n)
print(" ".join(missing))
sys.exit(1 if missing or len(caps) < 40 else 0)
PY

a=$(sha256sum <"$T/a/report.pdf")
b=$(sha256sum <"$T/b/report.pdf")
[ "$a" = "$b" ] && ok || bad "two builds differ"

srdi_test_done
