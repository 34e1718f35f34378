#!/bin/bash
# tests/test_incr_patcache.sh — the settled identity of patents.csv in the
# refresh cache (src/ingest/patcache.c; the rule itself: test_ingest_patcache.c):
# a build that hashed the bytes of a patents.csv whose times were already
# settled records the content hash with the identity in the cache's head,
# and a later build with the very same identity (device, inode, size, mtime,
# ctime) uses that hash instead of reading the file.
#   1. settled at the first build: recorded; the refresh uses it, outputs as
#      a cold build;
#   2. the enterprise id set changed, patents.csv not: not reused, that
#      enterprise's patents rejected, outputs as a cold build, still recorded;
#   3. a damaged head is "none": the bytes are hashed, the body still used,
#      the head written again;
#   4. a same-size in-place rewrite of patents.csv with its old mtime (the
#      ctime moves): not reused, outputs as a cold build;
# and a byte of the cached facts damaged: not reused, outputs as a cold build.
# And the enterprises.csv cache (OUT/.srdi-enterprises, keyed by every byte
# of the file and the reference data, with the same settled identity in its
# head): rows reused when only financials.csv changed, never after a change
# of enterprises.csv or of the reference data (a city removed from
# cities.csv), nor from a damaged file; every refresh's outputs as a cold
# build.  A touched enterprises.csv is hashed again ("same bytes"), its new
# identity recorded once settled; a same-size rewrite with its old mtime is
# read again.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_incr_patcache "$@"
export SOURCE_DATE_EPOCH=1767225600

"$SRDI" sample --n 300 --seed 11 --out "$T/E" --quiet || { echo "test_incr_patcache: FAILED: sample" >&2; exit 1; }
reused="aggregates reused from $T/R/.srdi-patents"
hashed="patents.csv unchanged (same bytes, same enterprises): $reused"
settled="patents.csv unchanged (same file, untouched since its bytes were hashed, same enterprises): $reused"
rows="rows reused from $T/R/.srdi-enterprises"
ent_hashed="enterprises.csv unchanged (same bytes, same reference data): $rows"
ent_settled="enterprises.csv unchanged (same file, untouched since its bytes were hashed, same reference data): $rows"
TM=$SRC/templates/report-2026
# (more arguments: --jobs 1 reads the patents cache in line, --jobs 2 on a thread while the enterprises are read)
refresh() { "$SRDI" build --data "$T/E" --template "$TM" --out "$T/R" --formats json --max-reject-rate 50% "$@" 2> "$T/rerr"; }
cold_same() {
    rm -rf "$T/C"
    "$SRDI" build --data "$T/E" --template "$TM" --out "$T/C" --formats json --max-reject-rate 50% --quiet &&
        diff -r -x '.srdi-*' -x changes.csv "$T/R" "$T/C" > "$T/diff.txt"
}
# bytes 8-15 of a cache file: the settled identity it records (0: none)
head_ident() { od -An -tx8 -j8 -N8 "$T/R/.srdi-${1:-patents}" | tr -d ' '; }
# settled: older than 50 ms (3 s when the file system keeps whole microseconds)
settle() { case $(stat -c %z "$T/E/patents.csv") in *000\ *) sleep 3.2 ;; *) sleep 0.2 ;; esac; }
settle

# ---- 1. settled at the first build
refresh
check "first build writes the cache" test -s "$T/R/.srdi-patents"
check "settled: identity recorded" test "$(head_ident)" != 0000000000000000
refresh
check "settled: the refresh uses the recorded hash" has "$T/rerr" "$settled"
check "settled: outputs as a cold build" cold_same
check "unchanged: enterprise rows reused" has "$T/rerr" "$rows"
check "unchanged: enterprises.csv not hashed again" has "$T/rerr" "$ent_settled"
check "settled: enterprises identity recorded" test "$(head_ident enterprises)" != 0000000000000000
# a damaged byte (in the middle of the file; in its last fact, before the rejects' count and the check:
# there are no patents rejects yet): a miss, never wrong values; the cache written again is used.  Read in
# line (--jobs 1) and ahead on a thread of its own (--jobs 2)
for jobs in 1 2; do
    for at in middle last; do
        sz=$(stat -c %s "$T/R/.srdi-patents")
        if [ $at = middle ]; then srdi_damage "$T/R/.srdi-patents" $((sz / 2)); else srdi_damage "$T/R/.srdi-patents" $((sz - 20)); fi
        refresh --jobs $jobs
        check "damaged ($at, --jobs $jobs): not reused" lacks "$T/rerr" "$reused"
        check "damaged ($at, --jobs $jobs): outputs as a cold build" cold_same
        refresh --jobs $jobs
        check "rewritten patents cache ($at, --jobs $jobs): reused" has "$T/rerr" "$reused"
        check "rewritten patents cache ($at, --jobs $jobs): outputs as a cold build" cold_same
    done
done

# ---- the enterprises cache: a financials.csv value changes
"$PY" - "$T/E/financials.csv" <<'PY'
import sys
p = sys.argv[1]; l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[2] = str(round(float(f[2]) * 1.5 + 7, 1)); l[1] = ','.join(f); open(p, 'w', encoding='utf-8').write('\n'.join(l))
PY
refresh
check "financials changed: enterprise rows reused" has "$T/rerr" "$rows"
check "financials changed: values moved" grep -qE "changes: [1-9][0-9]* values? in [0-9]+ tables? \(T" "$T/rerr"
check "financials changed: outputs as a cold build" cold_same
# a damaged enterprises cache is a miss, never wrong values
srdi_damage "$T/R/.srdi-enterprises" 200
refresh
check "damaged enterprises cache: not reused" lacks "$T/rerr" "$rows"
check "damaged enterprises cache: outputs as a cold build" cold_same
refresh
check "rewritten enterprises cache: reused" has "$T/rerr" "$rows"
# enterprises.csv touched, its bytes the same: hashed again, reused; once settled, recorded
touch "$T/E/enterprises.csv"
refresh
check "touched enterprises.csv: hashed, reused" has "$T/rerr" "$ent_hashed"
settle
refresh
refresh
check "touched enterprises.csv, settled: recorded" has "$T/rerr" "$ent_settled"
# the same size, one byte other (row 1's staff), the old mtime (the ctime moves): read again
cp -p "$T/E/enterprises.csv" "$T/ent.csv"
cp "$T/C/tables.json" "$T/before.json"
"$PY" - "$T/E/enterprises.csv" <<'PY'
import sys
p = sys.argv[1]; l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[7] = f[7][:-1] + str((int(f[7][-1]) + 1) % 10); l[1] = ','.join(f); open(p, 'r+', encoding='utf-8').write('\n'.join(l))
PY
touch -r "$T/ent.csv" "$T/E/enterprises.csv"
check "enterprises.csv: same size, same mtime" test "$(stat -c %s.%Y "$T/E/enterprises.csv")" = "$(stat -c %s.%Y "$T/ent.csv")"
refresh
check "enterprises.csv rewritten: rows not reused" lacks "$T/rerr" "$rows"
check "enterprises.csv rewritten: outputs as a cold build" cold_same
check "enterprises.csv rewritten: the tables moved" differ "$T/before.json" "$T/C/tables.json"
# the reference data: the first enterprise's city leaves cities.csv
cp -r "$SRC/templates/report-2026" "$T/tm"
city=$(sed -n 2p "$T/E/enterprises.csv" | cut -d, -f5)
grep -v ",$city," "$SRC/templates/report-2026/reference/cities.csv" > "$T/tm/reference/cities.csv"
cp "$T/C/tables.json" "$T/before.json"
TM=$T/tm
refresh
check "reference changed: enterprise rows not reused" lacks "$T/rerr" "$rows"
check "reference changed: outputs as a cold build" cold_same
check "reference changed: the tables moved" differ "$T/before.json" "$T/C/tables.json"
TM=$SRC/templates/report-2026
refresh

# ---- larger caches, read a window at a time: 9,000 enterprises (the id hashes
# fill more than one 64 KiB window) and, in the plain tree, 20,000 (a cache file
# of over 2 MiB, read through one 2 MiB window): a refresh after a financials.csv
# value reuses both caches, its outputs those of a cold build
big_refresh() { # $1 = sample size; $2 = test for the enterprises cache's size in bytes
    local D=$T/B$1 O=$T/BO$1
    "$SRDI" sample --n "$1" --seed 7 --out "$D" --quiet &&
        "$SRDI" build --data "$D" --template "$TM" --out "$O" --formats json --quiet &&
        [ "$(stat -c %s "$O/.srdi-enterprises")" $2 ] &&
        [ "$(($(wc -l < "$D/enterprises.csv") - 1))" -gt 8192 ] || return 1
    "$PY" - "$D/financials.csv" <<'PY' || return 1
import sys
p = sys.argv[1]; l = open(p, encoding='utf-8').read().split('\n'); f = l[1].split(',')
f[2] = str(round(float(f[2]) * 1.5 + 7, 1)); l[1] = ','.join(f); open(p, 'w', encoding='utf-8').write('\n'.join(l))
PY
    "$SRDI" build --data "$D" --template "$TM" --out "$O" --formats json 2> "$T/berr" &&
        grep -q "rows reused from $O/.srdi-enterprises" "$T/berr" &&
        grep -q "aggregates reused from $O/.srdi-patents" "$T/berr" &&
        rm -rf "$T/BC" && "$SRDI" build --data "$D" --template "$TM" --out "$T/BC" --formats json --quiet &&
        diff -r -x '.srdi-*' -x changes.csv "$O" "$T/BC" > /dev/null
}
check "9,000 enterprises: both caches reused, outputs as a cold build" big_refresh 9000 "-lt 2097152"

# (sanitizer trees: test_speed_cli covers an id set change and a same-size rewrite)
srdi_full "the id set change, the damaged head and the same-size rewrite" || srdi_test_done
check "20,000 enterprises: both caches reused, outputs as a cold build" big_refresh 20000 "-ge 2097152"

# ---- 2. the id set changes, patents.csv does not
id=$(sed -n 2p "$T/E/patents.csv" | cut -d, -f1)
sed -i "s/^$id,/${id%?}X,/" "$T/E/enterprises.csv"
refresh --jobs 2 # the cache read ahead, then found to be of other enterprises
check "id set changed: not reused" lacks "$T/rerr" "$reused"
check "id set changed: enterprise rows not reused" lacks "$T/rerr" "$rows"
check "id set changed: that enterprise's patents rejected" grep -q "^patents.csv,2,id,$id," "$T/R/rejects.csv"
check "id set changed: outputs as a cold build" cold_same
check "id set changed: identity still recorded" test "$(head_ident)" != 0000000000000000
refresh
check "id set changed, then unchanged: recorded hash used" has "$T/rerr" "$settled"
check "id set changed, then unchanged: the rejected patents from the cache" cold_same
# with threads the cache is written in the background (its rejects' strings handed on): the same bytes
build_j() { "$SRDI" build --data "$T/E" --template "$TM" --out "$T/J$1" --formats json --max-reject-rate 50% --jobs "$1" --force --quiet; }
check "cache written at --jobs 1" build_j 1
check "cache written at --jobs 4" build_j 4
check "the cache written in the background holds the bytes written in line" cmp "$T/J1/.srdi-patents" "$T/J4/.srdi-patents"

# ---- 3. a damaged head: the bytes are hashed, the body is still good
srdi_damage "$T/R/.srdi-patents" 30
refresh
check "damaged head: bytes hashed, reused" has "$T/rerr" "$hashed"
refresh
check "damaged head written again: recorded hash used" has "$T/rerr" "$settled"
check "damaged head written again: outputs as a cold build" cold_same

# ---- 4. same size, same mtime, new bytes (the ctime moves)
cp -p "$T/E/patents.csv" "$T/orig.csv"
"$PY" - "$T/E/patents.csv" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = b.index(b',invention,CN,') + len(b',invention,CN,') + 3      # last digit of the first app_year
b[i] = ord('0') if b[i] != ord('0') else ord('1'); open(p, 'r+b').write(bytes(b))
PY
touch -r "$T/orig.csv" "$T/E/patents.csv"
check "same size, same mtime" test "$(stat -c %s.%Y "$T/E/patents.csv")" = "$(stat -c %s.%Y "$T/orig.csv")"
refresh
check "patents.csv changed: not reused" lacks "$T/rerr" "$reused"
check "patents.csv changed: outputs as a cold build" cold_same
srdi_test_done
