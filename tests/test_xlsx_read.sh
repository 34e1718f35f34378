#!/bin/bash
# tests/test_xlsx_read.sh — end to end: build workbooks from a synthetic
# sample with the real CLI, read them back with openpyxl (tests/xlsx_check.py
# generic mode), check that the same SOURCE_DATE_EPOCH gives byte-identical
# workbooks and exports, and that --split writes per-province workbooks with
# 全国 benchmark columns.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_xlsx_read "$@"
CHECK="$SRC/tests/xlsx_check.py"
EPOCH=1767225600            # 2026-01-01 00:00:00 UTC

check "sample data" "$SRDI" sample --n 3000 --seed 7 --out "$T/data"
for run in 1 2; do
    check "build $run" env SOURCE_DATE_EPOCH=$EPOCH "$SRDI" build --data "$T/data" \
        --out "$T/out$run" --formats xlsx,json --split province
done

# the same data with every enterprise 省级 (a provincial bureau's list): the
# native charts draw no 国家级 series (it has no number; its legend entry read
# as data missing)
mkdir -p "$T/oneprov"
ln -sf "$T/data/financials.csv" "$T/data/patents.csv" "$T/oneprov/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "level") l = i; print; next }
    { if ($l == "national") $l = "provincial"; print }' "$T/data/enterprises.csv" >"$T/oneprov/enterprises.csv"
check "build, one level" env SOURCE_DATE_EPOCH=$EPOCH "$SRDI" build --data "$T/oneprov" --out "$T/out-oneprov" \
    --formats xlsx
check "one-level workbook read back: every chart series has a number" \
    "$PY" "$CHECK" generic "$T/out-oneprov/report.xlsx" $EPOCH 5

check "workbook written" test -s "$T/out1/report.xlsx"
check "workbook read back (openpyxl)" "$PY" "$CHECK" generic "$T/out1/report.xlsx" $EPOCH 10

# Reproducible: same epoch → identical bytes (workbook and exports).
for f in report.xlsx tables.json values.csv; do
    a=$(sha256sum < "$T/out1/$f" | cut -d' ' -f1)
    b=$(sha256sum < "$T/out2/$f" | cut -d' ' -f1)
    check "$f identical for the same SOURCE_DATE_EPOCH" test "$a" = "$b"
done

# No temporary files left next to the outputs.
check "no temp files" test -z "$(find "$T/out1" -name '*.tmp.*')"

# values.csv header; every table of tables.json present as a sheet.
check "values.csv header" test "$(head -n1 "$T/out1/values.csv")" = "table,row,column,value"
check "sheets match tables.json" "$PY" - "$T/out1/tables.json" "$T/out1/report.xlsx" <<'EOF'
import json, sys, openpyxl
ids = [t["id"] for t in json.load(open(sys.argv[1], encoding="utf-8"))["tables"]]
names = openpyxl.load_workbook(sys.argv[2]).sheetnames[1:]
sys.exit(0 if [n[:3] for n in names] == ids else 1)
EOF

# --split province: per-province workbooks with 全国 columns.
n=$(find "$T/out1/provinces" -name '*.xlsx' | wc -l)
check "split workbooks written ($n)" test "$n" -gt 0
one=$(find "$T/out1/provinces" -name '*.xlsx' | sort | head -n1)
check "split workbook read back" "$PY" "$CHECK" generic "$one" $EPOCH 1
check "split workbook has 全国 columns" "$PY" - "$one" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
t01 = [n for n in wb.sheetnames if n.startswith("T01")][0]
hdr = [c.value for c in wb[t01][3]]
sys.exit(0 if "全国" in hdr else 1)
EOF

srdi_test_done
