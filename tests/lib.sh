# tests/lib.sh — the common head of the shell tests (sourced, never run).
#
#   . "${BASH_SOURCE%/*}/lib.sh"
#   srdi_test_init test_name "$@"      # $1 = srdi-report binary, $2 = source dir
#   …
#   srdi_test_done
#
# srdi_test_init sets
#   BIN, SRDI  the srdi-report binary ($1; usage message and exit 2 without it)
#   SRC        the source dir ($2; likewise)
#   PY         /usr/bin/python3 (the interpreter with openpyxl)
#   T          a fresh temporary folder, removed when the script ends, also when
#              it is stopped by SIGINT, SIGTERM or SIGHUP (SRDI_TEST_KEEP=1
#              keeps it and prints where it is)
#   pass, fail the counters of the assertions below.
#
# Assertions (each counts one pass or one failure; a failure prints
# "NAME: FAIL: what" on stderr with what was found):
#   ok | bad WHAT           count a pass | a failure
#   expect RC CMD…          run CMD (stdout → $T/out, stderr → $T/err), exit code RC
#   has FILE TEXT           FILE contains TEXT (a fixed string)
#   lacks FILE TEXT         FILE does not contain TEXT
#   same A B                files A and B are byte-identical
#   differ A B              files A and B differ
#   check WHAT CMD…         CMD succeeds (failure message WHAT)
#   srdi_add_counts NAME F  add the "P passed, F failed" last line of F
# Inside `check`, has/lacks/same/differ are plain predicates: they only return
# their status, so `check "why" has FILE TEXT` counts once.
# Light runs: the sanitizer trees set SRDI_TEST_LIGHT=1 (CMakeLists.txt).  A
# script's heavy variants (the same code paths again on more data, more
# editions or more thread counts) sit behind `srdi_full WHAT`, which is true
# in the plain tree and otherwise prints "note: light run: skipped WHAT" and
# is false; the plain tree runs everything.  A whole script that is heavy is
# named test_*_slow.sh (ctest label "slow", plain tree only).
# srdi_test_done prints "NAME: P passed, F failed" and exits 0 only when no
# assertion failed and at least one passed.

srdi_test_init() {
  SRDI_TEST=$1
  BIN=${2:?usage: $1.sh SRDI_REPORT_BINARY SOURCE_DIR}
  SRC=${3:?usage: $1.sh SRDI_REPORT_BINARY SOURCE_DIR}
  SRDI=$BIN
  PY=/usr/bin/python3
  pass=0 fail=0
  T=$(mktemp -d "${TMPDIR:-/tmp}/srdi-$1.XXXXXX") || { echo "$1: FAIL: mktemp" >&2; exit 1; }
  trap srdi_test_cleanup EXIT
  trap 'exit 129' HUP
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

srdi_test_cleanup() {
  if [ "${SRDI_TEST_KEEP:-0}" = 1 ]; then
    echo "$SRDI_TEST: kept $T" >&2
  else
    rm -rf "$T"
  fi
}

srdi_full() {
  [ "${SRDI_TEST_LIGHT:-0}" = 1 ] || return 0
  echo "note: light run (sanitizer tree): skipped $* (the plain tree runs it)"
  return 1
}

# Damage byte $2 of file $1: every bit flipped, so it always changes (a fixed
# byte written there changes nothing when the byte already is that one — a
# cache head holds file times, so at some offsets that happens now and then).
srdi_damage() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    [ -n "$b" ] && printf "\\$(printf '%03o' $((b ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "$SRDI_TEST: FAIL: $*" >&2; }

expect() {
  local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  [ "$got" = "$want" ] && ok || bad "exit $got (want $want): $*: $(head -c 300 "$T/err")"
}

# _srdi_pred is set (dynamically scoped) by check: assertions become predicates.
has() {
  if grep -qF -- "$2" "$1"; then
    [ -n "${_srdi_pred:-}" ] || ok
  else
    [ -n "${_srdi_pred:-}" ] && return 1
    bad "$1 lacks: $2 (has: $(head -c 300 "$1" 2>&1))"
  fi
}

lacks() {
  if ! grep -qF -- "$2" "$1"; then
    [ -n "${_srdi_pred:-}" ] || ok
  else
    [ -n "${_srdi_pred:-}" ] && return 1
    bad "$1 has: $2 ($(grep -F -m 1 -- "$2" "$1" | head -c 300))"
  fi
}

same() {
  if cmp -s "$1" "$2"; then
    [ -n "${_srdi_pred:-}" ] || ok
  else
    [ -n "${_srdi_pred:-}" ] && return 1
    bad "$1 and $2 differ: $(diff "$1" "$2" 2>&1 | head -5)"
  fi
}

differ() {
  if ! cmp -s "$1" "$2"; then
    [ -n "${_srdi_pred:-}" ] || ok
  else
    [ -n "${_srdi_pred:-}" ] && return 1
    bad "$1 and $2 are identical"
  fi
}

check() {
  local what=$1 _srdi_pred=1 rc
  shift
  "$@"
  rc=$?
  _srdi_pred=
  if [ "$rc" = 0 ]; then ok; else bad "$what"; fi
}

# srdi_add_counts NAME FILE: add the counts of a checker's last line
# "P passed, F failed" (tests/prose_crosscheck.py …) to pass and fail; a file
# without that line is one failure ("NAME: … did not finish").
srdi_add_counts() {
  local last
  last=$(tail -1 "$2")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
  else
    bad "$1: $(basename "$2") has no 'P passed, F failed' line: the checker did not finish"
  fi
}

srdi_test_done() {
  echo "$SRDI_TEST: $pass passed, $fail failed"
  [ "$fail" = 0 ] && [ "$pass" -gt 0 ] && exit 0
  exit 1
}
