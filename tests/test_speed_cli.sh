#!/bin/bash
# tests/test_speed_cli.sh — what the speed work must not change:
#   1. --jobs: outputs drawn by 1, 2 and 5 threads are byte-identical
#      (report.pdf, report.xlsx, every PNG and SVG, tables.json, values.csv);
#      the progress lines say how many threads drew how many outputs;
#   2. --jobs with a bad value is a usage error (exit 2, exact message);
#   3. a failing output (a template error) fails the build the same way
#      (exit 3, the same message) with 1 thread and with 4;
#   4. the refresh cache of patents.csv: reused after a financials.csv
#      change or an enterprises.csv value that is not an id or a level, never after a change of patents.csv's bytes (same size and
#      mtime), of the enterprise id set or of a level, or with a damaged
#      cache file or --force; every refresh's outputs byte-identical to a
#      cold build (SOURCE_DATE_EPOCH).
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_speed_cli "$@"
export SOURCE_DATE_EPOCH=1767225600

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
# render threads stop at the CPUs the process may run on (more only cost time and memory)
nc=$(nproc); t5=$(( nc < 5 ? nc : 5 ))
check "$t5 threads said so" has "$T/err5" "render: $((nfig + 2)) outputs on $t5 threads ("
for j in 2 5; do
    check "--jobs $j: the same files as --jobs 1" \
        diff <(cd "$T/j1" && find . -type f ! -name .srdi-state | sort) <(cd "$T/j$j" && find . -type f ! -name .srdi-state | sort)
    check "--jobs $j: byte-identical outputs" diff -r -x '.srdi-*' "$T/j1" "$T/j$j"
done

# ---- 2. bad --jobs
for bad in 0 -1 1025 two ""; do
    "$SRDI" build --data "$T/D" --out "$T/bad" --jobs "$bad" > /dev/null 2> "$T/err"
    check "--jobs '$bad' exit 2" test $? -eq 2
    check "--jobs '$bad' message" has "$T/err" "srdi-report: --jobs must be a number of threads from 1 to 1024, not '$bad'"
done

# SRDI_JOBS: the default when --jobs is not given; checked like --jobs
SRDI_JOBS=two "$SRDI" build --data "$T/D" --out "$T/bad" > /dev/null 2> "$T/err"
check "SRDI_JOBS=two exit 2" test $? -eq 2
check "SRDI_JOBS=two message" has "$T/err" "srdi-report: SRDI_JOBS must be a number of threads from 1 to 1024, not 'two'"
SRDI_JOBS=two "$SRDI" build --data "$T/D" --out "$T/envj" --formats json --jobs 1 --quiet
check "--jobs given: SRDI_JOBS not read" test $? -eq 0

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

# ---- 4. the refresh cache of patents.csv (OUT/.srdi-patents)
F=pdf,xlsx,png,json
srdi_full "pdf, xlsx and png in the refresh-cache builds (json only)" || F=json
reused="aggregates reused from $T/R/.srdi-patents"
# cold: a fresh OUT, compared with the refreshed OUT (bookkeeping files aside;
# the enterprises cache past its 32-byte head, which records enterprises.csv's
# identity only once settled: a refresh right after a rewrite has none yet;
# the report's line breaks, deflated streams and face reads, which a refresh lists in
# another order)
cold_same() {
    rm -rf "$T/C"
    "$SRDI" build --data "$T/E" --out "$T/C" --formats "$F" --quiet &&
        diff -r -x .srdi-state -x changes.csv -x .srdi-patents -x .srdi-enterprises -x .srdi-breaks -x .srdi-streams -x .srdi-faces \
            "$T/R" "$T/C" \
            > "$T/diff.txt" &&
        cmp <(tail -c +33 "$T/R/.srdi-enterprises") <(tail -c +33 "$T/C/.srdi-enterprises") >> "$T/diff.txt"
}
refresh() { "$SRDI" build --data "$T/E" --out "$T/R" --formats "$F" 2> "$T/rerr"; }
cp -r "$T/D" "$T/E"
refresh
check "first build writes the cache" test -s "$T/R/.srdi-patents"
check "first build reads patents.csv" sh -c "! grep -qF '$reused' '$T/rerr'"
# one financials value: the aggregates are reused, outputs as a cold build
/usr/bin/python3 - "$T/E/financials.csv" <<'PY'
import sys
p = sys.argv[1]; l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[2] = str(round(float(f[2]) * 1.5 + 7, 1)); l[1] = ','.join(f); open(p, 'w', encoding='utf-8').write('\n'.join(l))
PY
refresh
check "financials changed: aggregates reused" has "$T/rerr" "$reused"
check "financials changed: values moved" grep -qE "changes: [1-9][0-9]* values? in [0-9]+ tables? \(T" "$T/rerr"
check "financials changed: outputs as a cold build" cold_same
# patents.csv: one byte changed, same size, same mtime: read again
/usr/bin/python3 - "$T/E/patents.csv" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = b.index(b',invention,CN,') + len(b',invention,CN,') + 3      # last digit of the first app_year
b[i] = ord('0') if b[i] != ord('0') else ord('1'); open(p, 'r+b').write(bytes(b))
PY
touch -r "$T/D/patents.csv" "$T/E/patents.csv"
check "same size, same mtime" test "$(stat -c %s.%Y "$T/E/patents.csv")" = "$(stat -c %s.%Y "$T/D/patents.csv")"
refresh
check "patents.csv changed: not reused" sh -c "! grep -qF '$reused' '$T/rerr'"
check "patents.csv changed: outputs as a cold build" cold_same
refresh
check "unchanged again: reused" has "$T/rerr" "$reused"
# an enterprises.csv value that is not an id or a level (reg_capital of the first row): reused
/usr/bin/python3 - "$T/E/enterprises.csv" <<'PY'
import sys
p = sys.argv[1]; l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[6] = str(round(float(f[6] or 0) + 1234.5, 1)); l[1] = ','.join(f); open(p, 'w', encoding='utf-8').write('\n'.join(l))
PY
refresh
check "enterprise value changed: aggregates reused" has "$T/rerr" "$reused"
check "enterprise value changed: outputs as a cold build" cold_same
# the id set: the first patent row's enterprise gets another id (same length)
id=$(sed -n 2p "$T/E/patents.csv" | cut -d, -f1)
sed -i "s/^$id,/${id%?}X,/" "$T/E/enterprises.csv"
refresh
check "id set changed: not reused" sh -c "! grep -qF '$reused' '$T/rerr'"
check "id set changed: that enterprise's patents rejected" grep -q "^patents.csv,2,id,$id," "$T/R/rejects.csv"
check "id set changed: outputs as a cold build" cold_same
# a level: a national enterprise becomes provincial (its inventions leave T30–T35)
sed -i '0,/,national,/s//,provincial,/' "$T/E/enterprises.csv"
refresh
check "level changed: not reused" sh -c "! grep -qF '$reused' '$T/rerr'"
check "level changed: outputs as a cold build" cold_same
# a damaged cache is a miss, never wrong values
srdi_damage "$T/R/.srdi-patents" 100
refresh
check "damaged cache: not reused" sh -c "! grep -qF '$reused' '$T/rerr'"
check "damaged cache: outputs as a cold build" cold_same
refresh
check "rewritten cache: reused" has "$T/rerr" "$reused"
# --force reads patents.csv
"$SRDI" build --data "$T/E" --out "$T/R" --formats "$F" --force 2> "$T/rerr"
check "--force: not reused" sh -c "! grep -qF '$reused' '$T/rerr'"

srdi_test_done
