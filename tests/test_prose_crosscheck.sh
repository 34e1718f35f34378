#!/bin/bash
# tests/test_prose_crosscheck.sh — every number the report's prose prints
# equals the formatted value of the table cell it names: the placeholders of
# templates/report-2026/*.md are resolved and formatted independently of the
# C engine (tests/prose_crosscheck.py) against tables.json and looked for, in
# their sentence, on the pages of their chapter in report.pdf; plus the
# reverse check of the numbers in chapters 2–3.  Two data sets: a generated
# sample (n 5000, seed 11) and the bundled samples/.
# $1 = srdi-report binary, $2 = source dir.
set -u
BIN=${1:?usage: test_prose_crosscheck.sh SRDI_REPORT_BINARY SOURCE_DIR}
SRC=${2:?usage: test_prose_crosscheck.sh SRDI_REPORT_BINARY SOURCE_DIR}
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/srdi-prose.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1767225600
pass=0
fail=0

# run_one NAME DATA_DIR: build the PDF and tables.json, cross-check them.
run_one() {
    local name=$1 data=$2 out="$T/$1"
    echo "== $name ($data)"
    if ! "$BIN" build --data "$data" --template "$SRC/templates/report-2026" --formats pdf,json \
            --out "$out" >"$T/$name.log" 2>&1; then
        echo "FAIL $name: srdi-report build"; tail -20 "$T/$name.log"
        fail=$((fail + 1)); return
    fi
    "$PY" "$SRC/tests/prose_crosscheck.py" "$SRC/templates/report-2026" "$out" "$SRC" >"$T/$name.txt"
    cat "$T/$name.txt"
    local last
    last=$(tail -1 "$T/$name.txt")
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
    else
        echo "FAIL $name: prose_crosscheck.py did not finish"; fail=$((fail + 1))
    fi
}

if "$BIN" sample --n 5000 --seed 11 --out "$T/data" >"$T/sample.log" 2>&1; then
    run_one generated "$T/data"
else
    echo "FAIL: srdi-report sample"; fail=$((fail + 1))
fi
run_one bundled "$SRC/samples"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
