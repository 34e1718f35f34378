#!/usr/bin/env bash
# tests/test_ingest_cli.sh — input through the command line: the same data
# re-encoded the ways real exports arrive (CR-only; UTF-16LE with tabs and
# CRLF; ';' with a BOM; GB18030) and read with 1, 4 and 16 threads builds a
# values.csv identical, byte for byte, to the plain UTF-8 one; loud
# degradation (a run that rejects every row, a misspelt column, missing
# optional files, the bundled synthetic sample); the ingest flags.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_ingest_cli "$@"
export SOURCE_DATE_EPOCH=1767225600

# a data set with multi-line fields in patents.csv (field column), made from the sample
"$BIN" sample --n 400 --seed 9 --out "$T/base" --quiet || bad "sample"
rm -f "$T/base/SYNTHETIC.txt"
/usr/bin/python3 - "$T/base/patents.csv" <<'EOF' || bad "multi-line fields"
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
out = [lines[0]]
for i, l in enumerate(lines[1:]):
    if l and i % 7 == 3 and l.endswith(","):
        l = l + '"多行\n领域;' + "\n" * (i % 50) + 'x""y"'
    out.append(l)
open(p, "w", encoding="utf-8").write("\n".join(out))
EOF
expect 0 "$BIN" build --data "$T/base" --out "$T/o-base" --formats json --quiet --jobs 1
[ -s "$T/o-base/values.csv" ] && ok || bad "no base values.csv"

# re-encode: name, python codec, separator, line end, BOM
reencode() {
  /usr/bin/python3 - "$T/base" "$T/$1" "$2" "$3" "$4" "$5" <<'EOF'
import csv, io, os, sys
src, dst, enc, sep, eol, bom = sys.argv[1:7]
sep = {"comma": ",", "semi": ";", "tab": "\t"}[sep]
eol = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}[eol]
os.makedirs(dst, exist_ok=True)
for name in ("enterprises.csv", "financials.csv", "patents.csv"):
    rows = list(csv.reader(open(os.path.join(src, name), encoding="utf-8", newline="")))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=eol, quoting=csv.QUOTE_MINIMAL)
    w.writerows(rows)
    data = buf.getvalue().encode(enc)
    if bom == "bom":
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[enc] + data
    open(os.path.join(dst, name), "wb").write(data)
EOF
}
reencode cr utf-8 comma cr nobom
reencode utf16tab utf-16-le tab crlf bom
reencode semibom utf-8 semi lf bom
reencode gbsemi gb18030 semi crlf nobom
reencode utf16becr utf-16-be comma cr bom
for v in cr utf16tab semibom gbsemi utf16becr; do
  for j in 1 4 16; do
    expect 0 "$BIN" build --data "$T/$v" --out "$T/o-$v-$j" --formats json --quiet --jobs $j
    cmp -s "$T/o-base/values.csv" "$T/o-$v-$j/values.csv" && ok || bad "$v with $j threads: values.csv differs"
  done
done
expect 0 "$BIN" check --data "$T/utf16tab" --out "$T/o-c"
has "$T/out" "(utf-16le, tab, "
expect 0 "$BIN" check --data "$T/gbsemi" --out "$T/o-c"
has "$T/out" "ingest: enterprises.csv  read 430 = accepted 430 + rejected 0  (gb18030, semicolon, "
# a forced separator that is wrong: one column, and a hint
expect 3 "$BIN" check --data "$T/semibom" --out "$T/o-c" --delimiter comma
has "$T/err" "(one column: is the separator ';' or tab? see --delimiter)"

# every row rejected (UTF-8 data read as GB18030): exit 1, by reason, never 0
expect 1 "$BIN" build --data "$SRC/samples" --out "$T/o-gb" --encoding gb18030 --formats json
has "$T/err" "srdi-report: error: enterprises.csv: 3030 of 3030 rows rejected (100.0%, every row): nothing rendered; by reason: invalid GB18030 byte sequence"
[ ! -e "$T/o-gb/values.csv" ] && ok || bad "a run that rejected every row rendered"
expect 1 "$BIN" check --data "$SRC/samples" --out "$T/o-gb" --encoding gb18030
has "$T/out" "ingest: enterprises.csv  read 3030 = accepted 0 + rejected 3030"

# a misspelt optional column: a file error, exit 3
mkdir -p "$T/typo"
sed '1s/,staff,/,参保人员数,/' "$T/base/enterprises.csv" >"$T/typo/enterprises.csv"
expect 3 "$BIN" check --data "$T/typo" --out "$T/o-t"
has "$T/err" "srdi-report: error: enterprises.csv: unknown column '参保人员数' — did you mean 参保人数 (staff)?"

# absent optional columns (an export without 荣誉资质): named on stderr, read as missing
mkdir -p "$T/nohon"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = ($i !~ /^hon_(high_tech|tech_center)$/) }
    { line = ""; for (i = 1; i <= NF; i++) if (keep[i]) line = line (line == "" ? "" : OFS) $i; print line }' \
    "$T/base/enterprises.csv" >"$T/nohon/enterprises.csv"
expect 0 "$BIN" check --data "$T/nohon" --out "$T/o-nohon"
has "$T/err" "enterprises.csv: 2 optional columns are absent, read as missing values: hon_high_tech (高新技术企业), hon_tech_center (企业技术中心)"
expect 0 "$BIN" check --data "$T/base" --out "$T/o-nohon"
if grep -q "optional column" "$T/err"; then bad "a full header is said to lack optional columns"; else ok; fi

# missing optional files: said at ingest and at the end, on the 说明 sheet
mkdir -p "$T/only"
cp "$T/base/enterprises.csv" "$T/only/"
expect 0 "$BIN" build --data "$T/only" --out "$T/o-only" --formats xlsx
has "$T/err" "financials.csv: not found — T09–T11, T22, T24, T25 will have no data"
has "$T/err" "patents.csv: not found — T30–T35 will have no data"
has "$T/err" "tables without data (a missing optional input file): T09, T10, T11, T22, T24, T25, T30, T31, T32, T33, T34, T35"
expect 0 "$BIN" check --data "$T/only" --out "$T/o-only2"
has "$T/err" "patents.csv: not found — T30–T35 will have no data"
has "$T/out" "ingest: enterprises.csv  read 430 = accepted 430 + rejected 0  (utf-8, comma, "
/usr/bin/python3 - "$T/o-only/report.xlsx" >"$T/sheet" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
for r in ws.iter_rows(values_only=True):
    print("|".join("" if v is None else str(v) for v in r[:2]))
EOF
has "$T/sheet" "无数据的表|T09、T10、T11、T22、T24、T25、T30、T31、T32、T33、T34、T35"

# without --data: the bundled synthetic sample, said so; marked on 说明
expect 0 "$BIN" check --out "$T/o-s" --quiet
expect 0 "$BIN" check --out "$T/o-s"
has "$T/err" "no --data given: checking the bundled synthetic sample in"
expect 0 "$BIN" build --out "$T/o-s" --formats xlsx
has "$T/err" "no --data given: building the bundled synthetic sample"
/usr/bin/python3 - "$T/o-s/report.xlsx" >"$T/sheet" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
for r in ws.iter_rows(values_only=True):
    print("|".join("" if v is None else str(v) for v in r[:2]))
EOF
has "$T/sheet" "数据性质|合成样本数据（非真实企业）"

# the flags
expect 2 "$BIN" build --jobs 0
has "$T/err" "--jobs must be a number of threads from 1 to 1024, not '0'"
expect 2 "$BIN" check --delimiter pipe
has "$T/err" "--delimiter must be comma, semicolon or tab, not 'pipe'"
expect 2 "$BIN" check --max-reject-rate 150%
has "$T/err" "--max-reject-rate must be a share from 0 to 1 or a percentage (0.05, 5%), not '150%'"
expect 2 "$BIN" check --encoding latin1
has "$T/err" "--encoding must be auto, utf-8, gb18030, utf-16le or utf-16be, not 'latin1'"

# a FIFO as input is refused at once (it would block forever)
mkdir -p "$T/fifo"
mkfifo "$T/fifo/enterprises.csv"
expect 3 timeout 10 "$BIN" check --data "$T/fifo" --out "$T/o-f"
has "$T/err" "enterprises.csv: $T/fifo/enterprises.csv is not a regular file (a FIFO); give a file"

srdi_test_done
