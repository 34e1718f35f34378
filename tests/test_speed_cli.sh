#!/bin/bash
# tests/test_speed_cli.sh — what the speed work must not change:
#   1. --jobs: outputs drawn by 1, 2 and 5 threads are byte-identical
#      (report.pdf, report.xlsx, every PNG and SVG, tables.json, values.csv);
#      the progress lines say how many threads drew how many outputs;
#   2. --jobs with a bad value is a usage error (exit 2, exact message);
#   3. a failing output (a template error) fails the build the same way
#      (exit 3, the same message) with 1 thread and with 4.
#   $1 = srdi-report binary, $2 = source dir
set -u
SRDI=${1:?usage: test_speed_cli.sh SRDI-REPORT SOURCE-DIR}
SRC=${2:?usage: test_speed_cli.sh SRDI-REPORT SOURCE-DIR}
T=$(pwd)/tmp-speed-cli
export SOURCE_DATE_EPOCH=1767225600
passed=0 failed=0

ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "test_speed_cli: FAILED: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else fail "$what"; fi; }
has() { grep -qF -- "$2" "$1"; }

rm -rf "$T" && mkdir -p "$T" || exit 1
"$SRDI" sample --n 400 --seed 5 --out "$T/D" --quiet || { echo "test_speed_cli: FAILED: sample" >&2; exit 1; }

# ---- 1. thread counts give the same bytes
for j in 1 2 5; do
    "$SRDI" build --data "$T/D" --out "$T/j$j" --formats pdf,xlsx,png,svg,json --jobs "$j" 2> "$T/err$j"
    check "build --jobs $j exits 0" test $? -eq 0
done
nfig=$(find "$T/j1/figures" -type f | wc -l)
check "figures written ($nfig)" test "$nfig" -ge 20
check "1 thread said so" has "$T/err1" "render: $((nfig + 2)) outputs on 1 thread ("
check "2 threads said so" has "$T/err2" "render: $((nfig + 2)) outputs on 2 threads ("
check "5 threads said so" has "$T/err5" "render: $((nfig + 2)) outputs on 5 threads ("
for j in 2 5; do
    check "--jobs $j: the same files as --jobs 1" \
        diff <(cd "$T/j1" && find . -type f ! -name .srdi-state | sort) <(cd "$T/j$j" && find . -type f ! -name .srdi-state | sort)
    check "--jobs $j: byte-identical outputs" diff -r -x .srdi-state "$T/j1" "$T/j$j"
done

# ---- 2. bad --jobs
for bad in 0 -1 1025 two ""; do
    "$SRDI" build --data "$T/D" --out "$T/bad" --jobs "$bad" > /dev/null 2> "$T/err"
    check "--jobs '$bad' exit 2" test $? -eq 2
    check "--jobs '$bad' message" has "$T/err" "srdi-report: --jobs must be a number of threads from 1 to 1024, not '$bad'"
done

# ---- 3. a failing output fails the build alike with any thread count
cp -r "$SRC/templates/report-2026" "$T/tm" || exit 1
echo '{{nosuch:thing}}' >> "$T/tm/10-ch1.md"
line=$(wc -l < "$T/tm/10-ch1.md")
for j in 1 4; do
    "$SRDI" build --data "$T/D" --template "$T/tm" --out "$T/f$j" --jobs "$j" --quiet 2> "$T/ferr$j"
    check "template error --jobs $j: exit 3" test $? -eq 3
    check "template error --jobs $j: message" has "$T/ferr$j" "10-ch1.md:$line: unknown placeholder {{nosuch:thing}}"
    check "template error --jobs $j: no report.pdf" test ! -e "$T/f$j/report.pdf"
done

echo "test_speed_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && rm -rf "$T"
[ "$failed" -eq 0 ]
