#!/usr/bin/env bash
# tests/test_ingest_xlsx_cli.sh — Excel workbooks through the command line:
# the bundled sample with enterprises and financials as .xlsx (numbers as
# numbers, the financials on a second worksheet chosen with --sheet) builds
# a values.csv and tables.json byte-identical to the CSV build; a bad row's
# reject names enterprises.xlsx[Sheet1] and its worksheet row; a .csv next to
# an .xlsx, an unknown --sheet and a file that is not a workbook exit 3 with
# the exact message.  Workbooks are written by tests/csv2xlsx.py (openpyxl).
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_ingest_xlsx_cli "$@"
export SOURCE_DATE_EPOCH=1780000000

# --- the sample as workbooks: identical values.csv ---------------------------
mkdir -p "$T/csv" "$T/xl"
cp "$SRC"/samples/*.csv "$T/csv/"
$PY "$SRC/tests/csv2xlsx.py" "$SRC/samples/enterprises.csv" "$T/xl/enterprises.xlsx" --numbers \
  || bad "csv2xlsx enterprises"
$PY "$SRC/tests/csv2xlsx.py" "$SRC/samples/financials.csv" "$T/xl/financials.xlsx" --numbers \
  --sheet 财务数据 --first-sheet 封面 || bad "csv2xlsx financials"
cp "$SRC/samples/patents.csv" "$T/xl/"
expect 0 "$BIN" build --data "$T/csv" --out "$T/oc" --formats json --quiet
expect 0 "$BIN" build --data "$T/xl" --out "$T/ox" --formats json --sheet financials=财务数据
has "$T/err" "ingest: enterprises.xlsx[Sheet1]  read 3030 = accepted 3030 + rejected 0"
has "$T/err" "ingest: financials.xlsx[财务数据]  read 73 = accepted 73 + rejected 0"
same "$T/oc/values.csv" "$T/ox/values.csv"
same "$T/oc/tables.json" "$T/ox/tables.json"
expect 0 "$BIN" check --data "$T/xl" --out "$T/ox" --sheet financials=财务数据
has "$T/out" "ingest: enterprises.xlsx  read 3030 = accepted 3030 + rejected 0"

# without --sheet the financials workbook's first sheet (the cover) is read: no header
expect 3 "$BIN" check --data "$T/xl" --out "$T/ox"
has "$T/err" "srdi-report: error: financials.xlsx[封面]: missing required column 'id' (统一社会信用代码); found: nothing here"
expect 3 "$BIN" check --data "$T/xl" --out "$T/ox" --sheet 数据
has "$T/err" "srdi-report: error: enterprises.xlsx: no worksheet named '数据' (--sheet); the workbook has: Sheet1"
expect 2 "$BIN" check --data "$T/xl" --sheet patents=
has "$T/err" "srdi-report: --sheet needs a worksheet name, not 'patents='"

# --- a bad row: rejects.csv names the workbook, sheet and row ----------------
mkdir -p "$T/bad"
printf 'id,name,level,province,city,industry_code,staff\n91110000XL0000001,甲,national,北京市,北京市,3394,12\n91110000XL0000002,乙,national,北京市,北京市,3394,many\n' >"$T/bad.csv"
$PY "$SRC/tests/csv2xlsx.py" "$T/bad.csv" "$T/bad/enterprises.xlsx" --numbers || bad "csv2xlsx bad"
expect 0 "$BIN" check --data "$T/bad" --out "$T/ob" --max-reject-rate 0.5
has "$T/out" "ingest: enterprises.xlsx  read 2 = accepted 1 + rejected 1  (xlsx, worksheet,"
has "$T/ob/rejects.csv" "enterprises.xlsx[Sheet1],3,staff,many,staff must be an integer ≥ 0"
expect 1 "$BIN" check --data "$T/bad" --out "$T/ob" --strict
expect 1 "$BIN" check --data "$T/bad" --out "$T/ob"
has "$T/err" "srdi-report: error: enterprises.xlsx: 1 of 2 rows rejected (50.0%, more than --max-reject-rate 1%): nothing rendered; by reason: staff must be an integer ≥ "

# --- both a .csv and an .xlsx: which one? -------------------------------------
cp "$T/csv/enterprises.csv" "$T/bad/"
expect 3 "$BIN" check --data "$T/bad" --out "$T/ob"
has "$T/err" "srdi-report: error: $T/bad/enterprises.csv and $T/bad/enterprises.xlsx are both present: which one should be read? Move or rename the other one"

# --- not a workbook ------------------------------------------------------------
mkdir -p "$T/notx"
cp "$T/csv/enterprises.csv" "$T/notx/enterprises.xlsx"
expect 3 "$BIN" check --data "$T/notx" --out "$T/on"
has "$T/err" "srdi-report: error: enterprises.xlsx: cannot open $T/notx/enterprises.xlsx as a workbook: Not a zip archive (is it an .xlsx workbook?"

srdi_test_done
