#!/bin/bash
# Cross-check of the C tables against the independent Python implementation of
# docs/tables.md (tests/reference_impl/srdi_tables.py).
#   $1 = srdi-report binary, $2 = source dir.
# 1. unit checks of the Python implementation (hand-computed values);
# 2. for the bundled sample ($2/samples), a generated sample and every fixture
#    under tests/data/crosscheck/*/: `srdi-report build --formats json` and the
#    Python implementation on the same data, values.csv compared key by key
#    (numbers within relative 1e-9).
# Env: SRDI_XCHECK_SAMPLE_N (default 3000, 0 = skip the generated sample).
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_values_crosscheck "$@"
REF="$SRC/templates/report-2026/reference"
IMPL="$SRC/tests/reference_impl"
GEN_N=${SRDI_XCHECK_SAMPLE_N:-3000}

echo "== unit checks of the reference implementation"
if "$PY" "$IMPL/test_srdi_tables.py"; then
    ok
else
    fail=$((fail + 1))
fi

# crosscheck NAME DATA_DIR: build with the C binary and the Python
# implementation, compare the two values.csv files.
crosscheck() {
    local name=$1 data=$2 out="$T/$1"
    mkdir -p "$out"
    echo "== $name ($data)"
    if ! "$BIN" build --data "$data" --out "$out/c" --formats json >"$out/build.log" 2>&1; then
        echo "FAIL $name: srdi-report build exited non-zero:"
        tail -20 "$out/build.log"
        fail=$((fail + 1))
        return
    fi
    if [ ! -f "$out/c/values.csv" ]; then
        echo "FAIL $name: no values.csv written"
        fail=$((fail + 1))
        return
    fi
    if ! "$PY" "$IMPL/srdi_tables.py" "$data" "$out/py.csv" --ref "$REF"; then
        echo "FAIL $name: reference implementation failed"
        fail=$((fail + 1))
        return
    fi
    if "$PY" "$IMPL/compare.py" "$out/py.csv" "$out/c/values.csv"; then
        ok
    else
        echo "FAIL $name: values differ (left = Python reference, right = C)"
        fail=$((fail + 1))
    fi
}

if [ -f "$SRC/samples/enterprises.csv" ]; then
    crosscheck samples "$SRC/samples"
else
    echo "note: $SRC/samples/enterprises.csv not present, bundled sample skipped"
fi

if [ "$GEN_N" != 0 ]; then
    if "$BIN" sample --n "$GEN_N" --seed 7 --out "$T/gen-data" >"$T/gen.log" 2>&1; then
        crosscheck "generated-n$GEN_N" "$T/gen-data"
    else
        echo "FAIL generated sample: srdi-report sample failed:"
        tail -20 "$T/gen.log"
        fail=$((fail + 1))
    fi
fi

for d in "$SRC"/tests/data/crosscheck/*/; do
    [ -f "$d/enterprises.csv" ] || continue
    crosscheck "$(basename "$d")" "${d%/}"
done

srdi_test_done
