#!/usr/bin/env bash
# tests/alloc_fail.sh — allocation failures (issue 8: "Table setters report
# allocation failure and the build fails with exit 5").
#
# $1 = srdi-report-allocfail (the command line with tests/allocfail.c: the
# N-th allocation of the project's code fails when SRDI_ALLOC_FAIL=N),
# $2 = source dir.
#
# A reference build of the bundled sample with a reduced report (the real
# cover, preface and chapter 1 of templates/report-2026) into PDF, workbook,
# PNG figures and JSON counts its allocations K; then builds with the N-th
# allocation failing, for N spread over 1..K, must each
#   - exit 0 with every output byte-identical to the reference (a failure
#     that was absorbed may change nothing: no "—" cell, no missing line), or
#   - exit 5 with "srdi-report: error: … out of memory …" on stderr and nothing
#     published in OUT (no output file, no staging folder);
# anything else (a crash, a sanitizer report, a leak under ASan, another
# exit code or message) fails.
#
# SRDI_ALLOC_RUNS (default 100) sets how many N are tried: 1, 2, 3 and then
# evenly spaced over 4..K; SRDI_ALLOC_N="n1 n2 …" tries exactly those.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init alloc_fail "$@"
export SOURCE_DATE_EPOCH=1700000000

TPL=$T/tpl
mkdir "$TPL"
cp "$SRC"/templates/report-2026/{00-cover,01-preface,10-ch1}.md "$SRC/templates/report-2026/params.ini" "$TPL/"
ln -s "$SRC/templates/report-2026/reference" "$TPL/reference"
args=(build --data "$SRC/samples" --template "$TPL" --formats pdf,xlsx,png,json --jobs 1 --quiet)

# the reference build and its allocation count
expect 0 env SRDI_ALLOC_COUNT="$T/count" "$BIN" "${args[@]}" --out "$T/ref"
K=$(cat "$T/count" 2>/dev/null || echo 0)
[ "$K" -gt 1000 ] && ok || bad "reference build counted $K allocations"
(cd "$T/ref" && find . -type f ! -name '.srdi-*' | sort) >"$T/ref.files"

# The sanitizer trees (SRDI_TEST_LIGHT) try half as many points each, the gcc
# tree the even and the clang tree the odd half-steps of the plain spacing
# (SRDI_TEST_TREE, set by CMakeLists.txt): together as many failure points
# as the plain tree, each under a sanitizer once.
runs=${SRDI_ALLOC_RUNS:-100} half=0 phase=0
if [ "${SRDI_TEST_LIGHT:-0}" = 1 ] && [ -z "${SRDI_ALLOC_RUNS:-}" ]; then
  runs=17 half=1
  [ "${SRDI_TEST_TREE:-}" = Clang ] && phase=1
  echo "note: light run (sanitizer tree): $((runs - 3)) + 3 failure points, the $([ $phase = 1 ] && echo odd || echo even) half-steps"
fi
if [ -n "${SRDI_ALLOC_N:-}" ]; then
  ns=$SRDI_ALLOC_N
else
  ns="1 2 3"
  for ((i = 0; i < runs - 3; i++)); do
    if [ $half = 1 ]; then ns+=" $((4 + (2 * i + phase) * (K - 4) / (2 * (runs - 3))))"
    else ns+=" $((4 + i * (K - 4) / (runs - 3)))"; fi
  done
fi

nok=0 nnomem=0
for n in $ns; do
  O=$T/o$n
  SRDI_ALLOC_FAIL=$n "$BIN" "${args[@]}" --out "$O" >"$T/out" 2>"$T/err"
  rc=$?
  if grep -q -e 'Sanitizer' -e 'runtime error' "$T/err"; then
    bad "N=$n: sanitizer report: $(grep -m3 -e 'ERROR' -e 'runtime error' -e '#[0-3] ' "$T/err" | tr '\n' ' ')"
  elif [ $rc = 0 ]; then
    nok=$((nok + 1))
    (cd "$O" && find . -type f ! -name '.srdi-*' | sort) >"$T/files"
    if ! cmp -s "$T/ref.files" "$T/files"; then
      bad "N=$n: exit 0 but the file set differs: $(diff "$T/ref.files" "$T/files" | grep '^[<>]' | head -3 | tr '\n' ' ')"
    else
      diffs=$(while read -r f; do cmp -s "$T/ref/$f" "$O/$f" || printf '%s ' "$f"; done <"$T/files")
      [ -z "$diffs" ] && ok || bad "N=$n: exit 0 but differs from the reference: $diffs"
    fi
  elif [ $rc = 5 ]; then
    nnomem=$((nnomem + 1))
    if ! grep -q '^srdi-report: error: .*out of memory' "$T/err"; then
      bad "N=$n: exit 5 without an out-of-memory message: $(tail -c 300 "$T/err")"
    elif [ -d "$O" ] && [ -n "$(cd "$O" && find . -mindepth 1 ! -name '.srdi-lock' | head -3)" ]; then
      bad "N=$n: a failed build left files in OUT: $(cd "$O" && find . -mindepth 1 ! -name '.srdi-lock' | head -3 | tr '\n' ' ')"
    else
      ok
    fi
  else
    bad "N=$n: exit $rc: $(tail -c 400 "$T/err" | tr '\n' ' ')"
  fi
  rm -rf "$O"
done
echo "alloc_fail: K=$K allocations; tried $(echo $ns | wc -w) failure points: $nok built identically, $nnomem failed with out of memory"
srdi_test_done
