#!/bin/bash
# tests/test_layout_pages.sh — page make-up of the bundled report rendered
# from the bundled samples: no body page starts with a figure's source or
# note line (they stay with the table above them), no page ends with a
# figure caption (the caption stays with its figure), no line starts with
# a mark that may not open a line; then the page make-up checks of
# tests/page_makeup.py (fill, widows/orphans, type size, split names).
# $1 = srdi-report binary, $2 = source dir.
# With SRDI_CHECK_PDF=file.pdf only that PDF is checked (for a manual look
# at another data set, e.g. the national-scale sample).
set -u
BIN=$1
SRC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/srdi-pages.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

if [ -n "${SRDI_CHECK_PDF:-}" ]; then
    PDF=$SRDI_CHECK_PDF
else
    export SOURCE_DATE_EPOCH=1767225600
    "$BIN" build --data "$SRC/samples" --template "$SRC/templates/report-2026" --formats pdf \
        --out "$T/out" >/dev/null 2>"$T/log" || { bad "build"; cat "$T/log" >&2; }
    PDF=$T/out/report.pdf
fi
[ -s "$PDF" ] && ok || bad "no report.pdf"

pages=$(pdfinfo "$PDF" 2>/dev/null | sed -n 's/^Pages: *//p')
[ -n "$pages" ] && [ "$pages" -gt 10 ] && ok || bad "page count '$pages'"
pages=${pages:-0}

# body pages: the running header is the first line, the folio the last
# the sanitizer trees (SRDI_TEST_LIGHT=1) build the same bytes the plain tree
# checks: they leave the page-by-page checks and page_makeup.py to it
light=0
[ "${SRDI_TEST_LIGHT:-0}" = 1 ] && light=1 && echo "note: light run: page checks and page_makeup.py left to the plain tree" >&2
tops=0 bottoms=0 starts=0
# the whole text once, a file per page (pages split at their form feeds)
[ "$light" = 1 ] || pdftotext -layout "$PDF" "$T/all.layout" 2>/dev/null
[ "$light" = 1 ] || awk -v d="$T" '{ n = split($0, a, "\f"); for (i = 1; i <= n; i++) { if (i > 1) pg++; print a[i] > (d "/pg" (pg + 1) ".txt") } }' "$T/all.layout"
for ((p = 6; p <= pages && light == 0; p++)); do
    # non-empty lines, leading blanks stripped
    sed -e 's/^ *//' -e '/^$/d' "$T/pg$p.txt" >"$T/l.txt" 2>/dev/null || : >"$T/l.txt"
    n=$(wc -l <"$T/l.txt")
    [ "$n" -ge 3 ] || continue
    first=$(sed -n 2p "$T/l.txt")
    last=$(sed -n "$((n - 1))p" "$T/l.txt")
    case "$first" in
    资料来源* | 注：*) tops=$((tops + 1)); echo "page $p starts with: $first" >&2 ;;
    esac
    if printf '%s\n' "$last" | grep -qE '^图表[0-9]+：'; then
        bottoms=$((bottoms + 1))
        echo "page $p ends with a caption: $last" >&2
    fi
    if grep -qE '^[，。、；：？！）》”]' "$T/l.txt"; then
        starts=$((starts + 1))
        echo "page $p: $(grep -E '^[，。、；：？！）》”]' "$T/l.txt" | head -1)" >&2
    fi
done
[ "$tops" = 0 ] && ok || bad "$tops page(s) start with a source or note line"
[ "$bottoms" = 0 ] && ok || bad "$bottoms page(s) end with a caption"
[ "$starts" = 0 ] && ok || bad "$starts page(s) with a line opening on a closing mark"

# an editor's checks read back from the PDF: page fill (none under 25% but
# the last, at most 3 under 65%), widows / orphans, headings kept with two
# lines, no letter-spaced line, nothing under 7.5 pt, no name split to a
# single character (tests/page_makeup.py)
# and the number rules against tables.json of the same build (one rounding
# per value, no fractional count, thousands separators, no space between a
# number and its unit, one range dash, 图表N unbroken)
JSON=$(dirname "$PDF")/tables.json
NUMARGS=()
[ -s "$JSON" ] && NUMARGS=(--tables "$JSON" --template "${SRDI_CHECK_TEMPLATE:-$SRC/templates/report-2026}")
if [ "$light" = 1 ]; then
    :
elif python3 "$SRC/tests/page_makeup.py" "$PDF" "${NUMARGS[@]}" >"$T/mk" 2>&1; then ok; else bad "page make-up"; cat "$T/mk" >&2; fi
if [ -z "${SRDI_CHECK_PDF:-}" ]; then
    [ -s "$JSON" ] && ok || bad "no tables.json beside report.pdf"
    # T07's 国家级 / 省级 rows hold only their sample sizes: said in the table's
    # note ("样本数为…17,692家、…149,680家。"), not as rows of empty cells
    want=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in (d["tables"] if isinstance(d, dict) else d) if t["id"] == "T07")
rows = [r for r in t["rows"] if set(k for k, v in r["values"].items() if v is not None) == {"n"}]
print("样本数为" + "、".join("%s%s家" % (r["label"], format(int(r["values"]["n"]), ",")) for r in rows) + "。")
' "$JSON")
    pdftotext "$PDF" - 2>/dev/null | tr -d '\n' >"$T/all.txt"
    grep -qF "注：$want" "$T/all.txt" && ok || bad "T07's sample sizes not in its note: want '注：$want'"
    label=$(printf '%s' "$want" | sed 's/^样本数为\([^0-9]*\)[0-9].*/\1/')
    if pdftotext -layout "$PDF" - 2>/dev/null | grep -E "^ *${label} +[0-9,]+ *$" >"$T/nrow"; then
        bad "a table row holding only a sample size: $(head -1 "$T/nrow")"
    else
        ok
    fi
    # T03's 国家级 / 省级 rows hold only the median head count and the sample
    # size, in columns the staff bands leave empty: said in its note too
    # ("国家级…企业参保人数中位数173人，样本数17,692家；省级…。"), the two
    # columns dropped from the grid
    want=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = next(t for t in (d["tables"] if isinstance(d, dict) else d) if t["id"] == "T03")
rows = [r for r in t["rows"] if set(k for k, v in r["values"].items() if v is not None) == {"median", "n"}]
print("；".join("%s参保人数中位数%s人，样本数%s家" % (r["label"], format(round(r["values"]["median"]), ","),
                format(int(r["values"]["n"]), ",")) for r in rows) + "。")
' "$JSON")
    grep -qF "注：$want" "$T/all.txt" && ok || bad "T03's medians and sample sizes not in its note: want '注：$want'"
    # a template's source line that carries a note ("资料来源：…。注：以2024年…")
    # is set as the tables' notes are: the note on its own line, the source under it
    pdftotext -layout "$PDF" - 2>/dev/null | sed 's/^ *//' >"$T/lay.txt"
    if grep -E "^资料来源.*。注：" "$T/lay.txt" >"$T/srcnote"; then
        bad "a note run on after its source line: $(head -1 "$T/srcnote")"
    else
        ok
    fi
    grep -A1 "^注：以[0-9]*年数据为基准" "$T/lay.txt" | grep -q "^资料来源：专精特新企业财务数据" && ok ||
        bad "图表13's note (注：以…年数据为基准) not set above its source line"
    # every note under an exhibit ends on a full stop ("注：皮尔逊相关系数，成对剔除缺失值。")
    open=$(awk '/^注：/ { n = $0; on = 1; next }
        on && (/^资料来源/ || /^$/ || /^图表[0-9]+：/) { if (n !~ /。$/) print n; on = 0; next }
        on { n = n $0 }' "$T/lay.txt" | head -3)
    [ -z "$open" ] && ok || bad "notes without a full stop: $open"
    if pdftotext -layout "$PDF" - 2>/dev/null | grep -E "参保人数中位数 +样本数" >"$T/nrow"; then
        bad "T03 still shows the 参保人数中位数 / 样本数 columns: $(head -1 "$T/nrow")"
    else
        ok
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
