#!/usr/bin/env bash
# tests/test_hardening.sh — hostile templates and parameters (issue
# "Hardening"): every bad template or params.ini is rejected with a message
# naming file:line and exit 3; nothing crashes, nothing is silently dropped.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_hardening "$@"
TPL=$SRC/templates/report-2026
# fresh copy of the bundled template in $T/t
tcopy() { rm -rf "$T/t"; cp -r "$TPL" "$T/t"; }
# a small generated data set keeps every build quick (under sanitizers too)
D=$T/d0
"$BIN" sample --n 300 --seed 1 --out "$D" --quiet || bad "sample"
build() { "$BIN" build --data "$D" --template "$T/t" --out "$T/o" --quiet "$@"; }

# ---------------------------------------------------------------- templates
tcopy; printf '段落一\n\n段落\0二\n' >>"$T/t/10-ch1.md"
n=$(($(wc -l <"$TPL/10-ch1.md") + 3))
expect 3 build --formats pdf
has "$T/err" "srdi-report: error: $T/t/10-ch1.md:$n:7: NUL byte in a template (a template is UTF-8 text)"

tcopy; printf '段落\xff\xfe二\n' >>"$T/t/20-ch2.md"
n=$(($(wc -l <"$TPL/20-ch2.md") + 1))
expect 3 build --formats pdf
has "$T/err" "srdi-report: error: $T/t/20-ch2.md:$n:7: invalid UTF-8 (byte 0xFF) in a template"

tcopy; printf -- '- 一\xc3\n- 二\n' >>"$T/t/10-ch1.md"     # truncated sequence in a list item
n=$(($(wc -l <"$TPL/10-ch1.md") + 1))
expect 3 build --formats pdf
has "$T/err" "$T/t/10-ch1.md:$n:6: invalid UTF-8 (byte 0xC3) in a template"

tcopy; printf '过长\xc0\xaf编码\n' >>"$T/t/10-ch1.md"         # overlong '/'
expect 3 build --formats pdf;  has "$T/err" "invalid UTF-8 (byte 0xC0) in a template"
tcopy; printf '代理\xed\xa0\x80项\n' >>"$T/t/10-ch1.md"       # UTF-16 surrogate
expect 3 build --formats pdf;  has "$T/err" "invalid UTF-8 (byte 0xED) in a template"
tcopy; printf '过长\xe0\x80\xaf编码\n' >>"$T/t/10-ch1.md"     # overlong '/' in three bytes
expect 3 build --formats pdf;  has "$T/err" "invalid UTF-8 (byte 0xE0) in a template"
tcopy; printf '半个\xe4\xb8\n' >>"$T/t/10-ch1.md"             # a CJK character cut at the end of a line
expect 3 build --formats pdf;  has "$T/err" "invalid UTF-8 (byte 0xE4) in a template"
tcopy; printf '退格\b符\n' >>"$T/t/10-ch1.md"
expect 3 build --formats pdf;  has "$T/err" "control character 0x08 in a template"

# 40,000 nested block quotes: an error, not a stack overflow
tcopy; n=$(($(wc -l <"$TPL/10-ch1.md") + 2))
{ echo; head -c 40000 /dev/zero | tr '\0' '>'; echo ' 引用'; } >>"$T/t/10-ch1.md"
expect 3 build --formats pdf
has "$T/err" "$T/t/10-ch1.md:$n: lists and block quotes nested 9 deep (at most 8 levels)"

# 60 nested list levels: an error, not items drawn off the page
tcopy; { echo; for i in $(seq 0 59); do printf "%*s- 第%d层\n" $((i * 2)) '' "$i"; done; } >>"$T/t/10-ch1.md"
n=$(($(wc -l <"$TPL/10-ch1.md") + 10))
expect 3 build --formats pdf
has "$T/err" "$T/t/10-ch1.md:$n: lists and block quotes nested 9 deep (at most 8 levels)"

# 8 levels are allowed
tcopy; { echo; for i in $(seq 0 7); do printf "%*s- 第%d层\n" $((i * 2)) '' "$i"; done; } >>"$T/t/10-ch1.md"
expect 0 build --formats pdf

# deeply nested emphasis: an error naming the line
tcopy; n=$(($(wc -l <"$TPL/10-ch1.md") + 2))
{ echo; python3 -c "print('*' * 40 + '强调' + '*' * 40)"; } >>"$T/t/10-ch1.md"
expect 3 build --formats pdf
has "$T/err" "$T/t/10-ch1.md:$n: emphasis and links nested 17 deep (at most 16 levels)"

# a paragraph with 600 emphasis runs loses no text
tcopy; { echo; python3 -c "print(''.join('普通%d*强调%d*' % (i, i) for i in range(600)) + '结尾标记ZZEND')"; } >>"$T/t/10-ch1.md"
expect 0 build --formats pdf
pdftotext "$T/o/report.pdf" - | tr -d '\n' | grep -qF "强调599结尾标记ZZEND" && ok || bad "text after 512 runs lost"

# a 100 KB heading: the libharu error names the template line and the cause
tcopy; n=$(($(wc -l <"$TPL/10-ch1.md") + 2))
rm -rf "$T/o"
{ echo; printf '## '; head -c 35000 /dev/zero | sed 's/\x0/长/g'; echo; } >>"$T/t/10-ch1.md"
expect 4 build --formats pdf
has "$T/err" "srdi-report: error: libharu error 0x105B (detail 0): a text string is too long for a PDF string (over 65,535 bytes) (drawing the PDF bookmark of $T/t/10-ch1.md:$n)"
[ ! -e "$T/o/report.pdf" ] && ok || bad "a failed PDF was left"

# ---------------------------------------------------------------- params.ini
# pset SED: apply a sed expression to a fresh params.ini; then build → exit 3
P=$T/t/params.ini
pset() { tcopy; sed -i "$1" "$P"; expect 3 build --formats json; }
line() { grep -n "$1" "$P" | head -1 | cut -d: -f1; }
pset 's/^line_spacing .*/line_spacing = -1/'
has "$T/err" "srdi-report: error: $P:$(line '^line_spacing'): [layout] line_spacing = -1 is out of range [1, 3]"
pset 's/^body_size .*/body_size = 0.01/'
has "$T/err" "$P:$(line '^body_size'): [layout] body_size = 0.01 is out of range [6, 24]"
pset 's/^margin_bottom_mm .*/margin_bottom_mm = -100/'
has "$T/err" "$P:$(line '^margin_bottom_mm'): [layout] margin_bottom_mm = -100 is out of range [0, inf]"
pset 's/^margin_top_mm .*/margin_top_mm = 297/'
has "$T/err" "$P:$(line '^margin_top_mm'): [layout] margin_top_mm = 297 and margin_bottom_mm = 25 leave -25.0 mm of a 297.0 mm page height; the type area must be at least half the page"
pset 's/^margin_left_mm .*/margin_left_mm = 120/'
has "$T/err" "$P:$(line '^margin_left_mm'): [layout] margin_left_mm = 120 and margin_right_mm = 25"
pset 's/^band_1 .*/band_1 = abc/'
has "$T/err" "$P:$(line '^band_1'): [t03] band_1 = 'abc' is not a whole number"
pset 's/^band_1 .*/band_1 = 300/'
has "$T/err" "$P:$(line '^band_2'): [t03] band_2 = 100 must be greater than band_1 = 300"
pset 's/^band_1 .*/band_X = 0/'
has "$T/err" "unknown key 'band_X' in [t03] (did you mean 'band_1'?)"
pset 's/^band_\([1-5]\) .*/band_\1 = 0/'
has "$T/err" "$P:$(line '^band_1'): [t03] band_1 = 0 is out of range [1, inf]"
pset 's/^capital_threshold/capital_threshhold/'
has "$T/err" "$P:$(line '^capital_threshhold'): unknown key 'capital_threshhold' in [t02] (did you mean 'capital_threshold'?)"
pset 's/^\[t02\]/[t2]/'
has "$T/err" "$P:$(line '^\[t2\]'): unknown section [t2] (did you mean [t02]?)"
pset 's/^\(w_[a-z]*\) .*/\1 = 0/'
has "$T/err" "[t24] the weights w_tech … w_digital sum to 0; their sum must be positive"
pset 's/^w_tech .*/w_tech = -5/'
has "$T/err" "$P:$(line '^w_tech'): [t24] w_tech = -5 is out of range [0, inf]"
pset 's/^top_n = 10 .*/top_n = 0/'
has "$T/err" "[t15] top_n = 0 is out of range [1, 1000]"
pset 's/^years = 3/years = 2.5/'
has "$T/err" "[t30] years = '2.5' is not a whole number"
pset 's/^type_mid .*/type_mid = 90/'
has "$T/err" "[scores] type_high = 80 must be greater than type_mid = 90"
pset 's/^rd_max = 0.30/rd_max = nan/'
has "$T/err" "[t10] rd_max = 'nan' is not a number"
pset '/^line_spacing/a rd_max = 0.4'
has "$T/err" "$P:$(line '^rd_max = 0.4'): unknown key 'rd_max' in [layout] (valid keys: page_width, page_height, margin_left_mm, margin_right_mm, margin_top_mm, margin_bottom_mm, body_size, line_spacing)"
pset 's/^\[t02\]/[t02/'
has "$T/err" "$P:$(line '^\[t02'): syntax error in parameter file"

# ---------------------------------------------------------------- CSV outputs
# a cell a spreadsheet would run as a formula is written as text (leading ')
mkdir -p "$T/d"; cp "$SRC"/samples/*.csv "$T/d/"
awk -F, 'BEGIN { OFS = "," } NR == 2 { $2 = "=1+1" } NR == 3 { $2 = "-2+3" } { print }' "$T/d/financials.csv" \
  >"$T/d/f.csv" && mv "$T/d/f.csv" "$T/d/financials.csv"
expect 0 "$BIN" check --data "$T/d" --out "$T/c" --max-reject-rate 1
has "$T/c/rejects.csv" "financials.csv,2,year,'=1+1,"
has "$T/c/rejects.csv" "financials.csv,3,year,'-2+3,"

# ------------------------------------------------------- control characters
# A control character in a patent's field (a chart category) and in company
# names: accepted at ingest; every XML part of the workbook stays well-formed
# (the chart cache held a raw 0x08; now U+FFFD), the SVG figures too;
# tables.json escapes it ("\b"); no PDF text carries one (it is not drawn).
mkdir -p "$T/cc"; cp "$D"/*.csv "$T/cc/"
sed -i 's/,医药制造$/,医药\x08制造/' "$T/cc/patents.csv"
sed -i 's/,样本企业\([0-9]*\),/,样本\x0b企业\1,/' "$T/cc/enterprises.csv"
sed -i 's/,公共设施管理$/,=1+公共设施管理/' "$T/cc/patents.csv"     # a formula-like field: a values.csv key
grep -q $'\x08' "$T/cc/patents.csv" && ok || bad "no control character planted"
expect 0 "$BIN" build --data "$T/cc" --template "$TPL" --out "$T/occ" --formats pdf,xlsx,json,svg --quiet
/usr/bin/python3 - "$T/occ/report.xlsx" >"$T/xml" 2>&1 <<'PYEOF' && ok || bad "workbook XML: $(head -c 400 "$T/xml")"
import sys, zipfile, xml.etree.ElementTree as ET
import openpyxl
z = zipfile.ZipFile(sys.argv[1])
charts = 0
for n in z.namelist():
    if n.endswith(".xml") or n.endswith(".rels"):
        ET.fromstring(z.read(n))          # raises on a raw control character
        charts += n.startswith("xl/charts/")
assert charts > 0, "no chart parts"
found = [n for n in z.namelist() if n.startswith("xl/charts/") and "医药\ufffd制造" in z.read(n).decode()]
assert found, "the field's category is not in any chart (as U+FFFD)"
openpyxl.load_workbook(sys.argv[1])
PYEOF
for f in "$T"/occ/figures/*.svg; do xmllint --noout "$f" 2>>"$T/svg" || bad "SVG not well-formed: $f"; done
/usr/bin/python3 -c '
import json, sys
s = open(sys.argv[1], encoding="utf-8").read()
assert not any(c < " " and c not in "\n\t" for c in s), "JSON: a raw control character"
json.loads(s)
assert "医药\\b制造" in s, "JSON: the field is not written escaped"' \
  "$T/occ/tables.json" && ok || bad "tables.json"
pdftotext "$T/occ/report.pdf" - | grep -q $'[\x01-\x08\x0b\x0e-\x1f]' && bad "a control character in the PDF text" || ok
grep -q "^T30,'=1+公共设施管理," "$T/occ/values.csv" && ok || bad "values.csv: formula key not neutralised"
grep -q "^T30,=1+公共设施管理," "$T/occ/values.csv" && bad "values.csv: a raw formula key" || ok

# ------------------------------------------------------- read-only OUT
# A read-only OUT, a read-only file or folder in OUT: exit 4, a message
# naming the path and the cause, OUT exactly as it was.  Root writes
# anywhere, so as root the builds run as nobody.
run_as=()
if [ "$(id -u)" = 0 ]; then run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups); chmod -R a+rX "$T"; fi
own() { [ "$(id -u)" = 0 ] && chown -R 65534:65534 "$1"; true; }
snap() { (cd "$1" && find . -printf '%P %m\n' | sort && find . -type f -exec md5sum {} + | sort); }
R=$T/ro
mkdir -p "$R"; own "$R"; chmod 555 "$R"; snap "$R" >"$T/before"
expect 4 "${run_as[@]}" "$BIN" build --data "$D" --out "$R" --formats json --quiet
has "$T/err" "srdi-report: error: $R/.srdi-lock: cannot create the lock file: Permission denied"
snap "$R" >"$T/after"; cmp -s "$T/before" "$T/after" && ok || bad "read-only OUT changed"
chmod 755 "$R"
expect 0 "${run_as[@]}" "$BIN" build --data "$D" --out "$R" --formats json,png --quiet
chmod 444 "$R/tables.json"; snap "$R" >"$T/before"
expect 4 "${run_as[@]}" "$BIN" build --data "$D" --out "$R" --formats json,png --quiet --force
has "$T/err" "srdi-report: error: $R/tables.json: cannot replace: the file is read-only (Permission denied); make it writable or remove it (nothing was published)"
snap "$R" >"$T/after"; cmp -s "$T/before" "$T/after" && ok || bad "OUT changed: $(diff "$T/before" "$T/after" | head -5)"
chmod 644 "$R/tables.json"; chmod 555 "$R/figures"; snap "$R" >"$T/before"
expect 4 "${run_as[@]}" "$BIN" build --data "$D" --out "$R" --formats json,png --quiet --force
has "$T/err" "srdi-report: error: $R/figures: cannot write into the folder: Permission denied (nothing was published)"
snap "$R" >"$T/after"; cmp -s "$T/before" "$T/after" && ok || bad "OUT changed: $(diff "$T/before" "$T/after" | head -5)"
find "$R" -name '.srdi-staging-*' | grep -q . && bad "staging folder left" || ok
chmod -R u+w "$R"

srdi_test_done
