#!/usr/bin/env bash
# tests/fuzz/run.sh HARNESS FUZZ_DIR SECONDS — a short libFuzzer run of one
# harness on a copy of its seed corpus (tests/fuzz/corpus/<name>) with its
# dictionary (tests/fuzz/<name>.dict); fails on any crash, leak, sanitizer
# report or timeout.  New inputs go to a scratch copy, never into the tree.
set -eu
bin=$1 dir=$(cd "$2" && pwd) secs=$3
name=$(basename "$bin"); name=${name#fuzz_}
work=$(mktemp -d "${TMPDIR:-/tmp}/srdi-fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$dir/corpus/$name" "$work/corpus"
dict=()
[ -f "$dir/$name.dict" ] && dict=(-dict="$dir/$name.dict")
cd "$work"
"$bin" "${dict[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$work/" corpus 2>&1 | tail -25
rc=${PIPESTATUS[0]}
if [ "$rc" != 0 ]; then
  for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$a" ] && { echo "artifact: $a"; od -c "$a" | head -20; }
  done
fi
exit "$rc"
