#!/bin/bash
# Calibration check: a calibrated synthetic sample built by srdi-report should
# reproduce the figures published in the 2026 report (tests/data/published-2026.csv,
# else ../shared/reference/published-2026.csv) within the tolerances of
# tests/reference_impl/calibration.py; passes when >= 90% of the figures agree.
#   $1 = srdi-report binary, $2 = source dir.
#   SRDI_CALIB_N = sample size (default 167372, the 2026 population).
set -u
BIN=${1:?usage: calibration.sh SRDI_REPORT_BINARY SOURCE_DIR}
SRC=${2:?usage: calibration.sh SRDI_REPORT_BINARY SOURCE_DIR}
PY=/usr/bin/python3
N=${SRDI_CALIB_N:-167372}
SEED=${SRDI_CALIB_SEED:-2026}

PUB="$SRC/tests/data/published-2026.csv"
[ -f "$PUB" ] || PUB="$SRC/../shared/reference/published-2026.csv"
if [ ! -f "$PUB" ]; then
    echo "calibration: published-2026.csv not found" >&2
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/srdi-calibration.XXXXXX")
# The national sample is ~750 MB: remove it on every way out (ctest's timeout
# sends SIGTERM first), and never `exec` the checker (that would skip the trap).
trap 'rm -rf "$TMP"' EXIT
trap 'exit 143' TERM INT HUP

echo "calibration: sample n=$N seed=$SEED" >&2
if ! "$BIN" sample --n "$N" --seed "$SEED" --out "$TMP/data" >"$TMP/sample.log" 2>&1; then
    echo "calibration: srdi-report sample failed:" >&2
    cat "$TMP/sample.log" >&2
    exit 1
fi
if ! "$BIN" build --data "$TMP/data" --formats json --out "$TMP/out" >"$TMP/build.log" 2>&1; then
    echo "calibration: srdi-report build failed:" >&2
    cat "$TMP/build.log" >&2
    exit 1
fi
if [ ! -f "$TMP/out/values.csv" ]; then
    echo "calibration: build wrote no values.csv" >&2
    exit 1
fi
"$PY" "$SRC/tests/reference_impl/calibration.py" "$PUB" "$TMP/out/values.csv" --n "$N"
