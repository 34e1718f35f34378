#!/bin/bash
# Calibration check: a calibrated synthetic sample built by srdi-report should
# reproduce the figures published in the 2026 report (tests/data/published-2026.csv,
# else ../shared/reference/published-2026.csv) within the tolerances of
# tests/reference_impl/calibration.py; passes when >= 90% of the figures agree.
# The same build's report.pdf then goes through the page make-up check
# (tests/test_layout_pages.sh with SRDI_CHECK_PDF): the national-scale layout
# check, here because the national sample is generated once for both.
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
# pdf too: the same national build is the page make-up check's data set
if ! SOURCE_DATE_EPOCH=1767225600 "$BIN" build --data "$TMP/data" --formats json,pdf --out "$TMP/out" >"$TMP/build.log" 2>&1; then
    echo "calibration: srdi-report build failed:" >&2
    cat "$TMP/build.log" >&2
    exit 1
fi
if [ ! -f "$TMP/out/values.csv" ]; then
    echo "calibration: build wrote no values.csv" >&2
    exit 1
fi
rc=0
"$PY" "$SRC/tests/reference_impl/calibration.py" "$PUB" "$TMP/out/values.csv" --n "$N" || rc=1
# The page make-up of the national report (issue "Print-ready"): no page but
# the last under 25% full, at most 3 under 65%, widows / orphans, type sizes,
# number rules (tests/test_layout_pages.sh on this build's report.pdf).
if ! SRDI_CHECK_PDF="$TMP/out/report.pdf" bash "$SRC/tests/test_layout_pages.sh" "$BIN" "$SRC" >"$TMP/pages.log" 2>&1; then
    echo "calibration: page make-up of the national report failed:" >&2
    cat "$TMP/pages.log" >&2
    rc=1
else
    echo "calibration: national page make-up: $(tail -1 "$TMP/pages.log")" >&2
fi
exit $rc
