#!/bin/bash
# tests/test_prose_regional.sh — regional editions read right for their region:
# for two generated data sets (different sizes and seeds), the national build,
# the edition of its largest province, of that province's largest city, and of
# the smallest province with enterprises of both tiers (a 西藏自治区-like
# edition whose two tiers are under min_n) and of a province with one tier only
# (no 国家级 enterprise: the 国家级-vs-省级 multiples are null) are cross-checked by tests/prose_crosscheck.py
# --scope: every placeholder's value in its sentence (the printed branches read
# from the edition's claims.csv), no national-only wording (领跑, 一枝独秀,
# 全国平均水平为 …), the region's rank and share among provinces as T13 gives
# them, the 全国 benchmark equal to the national build's, no tier conclusion
# under min_n, no empty placeholder; and claims.csv lists every condition.
# And a small sample's 江苏省 (11 cities, each under min_n): its cities'
# patent medians are not compared.
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_prose_regional "$@"
export SOURCE_DATE_EPOCH=1767225600
TPL="$SRC/templates/report-2026"

# field FILE.json EXPR: a value picked from tables.json by a python expression over `t` (tables by id)
field() {
    "$PY" -c 'import json,sys
t={x["id"]:x for x in json.load(open(sys.argv[1]))["tables"]}
print(eval(sys.argv[2]))' "$1" "$2"
}

# the sanitizer trees build every edition but leave the checking of the words
# (the same bytes the plain tree checks) to the plain tree
PYCHECK=1
srdi_full "the prose checks of each edition (python)" || PYCHECK=0

# check NAME OUT ARGS…: prose_crosscheck.py on one edition
check() {
    local name=$1 out=$2
    shift 2
    if [ "$PYCHECK" = 0 ]; then ok; return; fi
    if "$PY" "$SRC/tests/prose_crosscheck.py" "$TPL" "$out" "$SRC" "$@" >"$T/$name.txt" 2>&1; then :; fi
    local ncond nclaims
    ncond=$(grep -o '{{#if \|{{else if \|{{else}}' "$TPL"/*.md | wc -l)
    nclaims=$(($(wc -l <"$(ls "$out"/*claims.csv | head -1)") - 1))
    grep -v '^note' "$T/$name.txt" | tail -8
    srdi_add_counts "$name" "$T/$name.txt"
    if [ "$ncond" != "$nclaims" ]; then
        echo "FAIL $name: claims.csv has $nclaims rows, the templates $ncond conditions"; fail=$((fail + 1))
    else
        echo "note: $name: claims.csv lists all $ncond conditions"
    fi
}

build() {   # build OUT DATA [--scope …]
    local out=$1 data=$2
    shift 2
    if ! "$BIN" build --data "$data" --template "$TPL" --formats pdf,json --out "$out" --quiet "$@" \
            >"$out.log" 2>&1; then
        echo "FAIL: srdi-report build $* ($data)"; tail -5 "$out.log"; fail=$((fail + 1)); return 1
    fi
}

sets=("5000 11")
srdi_full "the second data set (n=3000 seed=99)" && sets+=("3000 99")
for ns in "${sets[@]}"; do
    set -- $ns
    d="$T/data-$1-$2"
    echo "== data set n=$1 seed=$2"
    if ! "$BIN" sample --n "$1" --seed "$2" --out "$d" >"$d.log" 2>&1; then
        echo "FAIL: srdi-report sample --n $1 --seed $2"; fail=$((fail + 1)); continue
    fi
    build "$d-nat" "$d" || continue
    prov=$(field "$d-nat/tables.json" 't["T13"]["rows"][0]["key"]')
    # the smallest province with enterprises of both tiers (a 西藏自治区-like edition: every group under min_n)
    tiny=$(field "$d-nat/tables.json" 'min((r for r in t["T13"]["rows"] if r["values"]["count"] and 0 < (r["values"]["national_share"] or 0) < 1), key=lambda r: r["values"]["count"])["key"]')
    echo "-- province edition: $prov"
    if build "$d-p" "$d" --scope "province=$prov"; then
        check "$1-$2-province" "$d-p" --scope "province=$prov" --national "$d-nat"
        city=$(field "$d-p/tables.json" 't["T16"]["rows"][0]["key"]')
        echo "-- city edition: $city ($prov)"
        if build "$d-c" "$d" --scope "city=$city"; then
            check "$1-$2-city" "$d-c" --scope "city=$city" --province "$prov" --national "$d-nat"
        fi
    fi
    echo "-- smallest province edition: $tiny"
    if build "$d-t" "$d" --scope "province=$tiny"; then
        check "$1-$2-tiny" "$d-t" --scope "province=$tiny" --national "$d-nat"
    fi
    # a province with one tier only (no 国家级 enterprise: every 国家级-vs-省级 multiple is null;
    # headings and sentences must not print "—" where a value belongs)
    one=$(field "$d-nat/tables.json" 'min([r for r in t["T13"]["rows"] if r["values"]["count"] and not r["values"]["national_share"]] or [{"key": ""}], key=lambda r: r.get("values", {}).get("count", 0))["key"]')
    if [ -n "$one" ]; then
        echo "-- one-tier province edition: $one"
        if build "$d-o" "$d" --scope "province=$one"; then
            check "$1-$2-onetier" "$d-o" --scope "province=$one" --national "$d-nat"
        fi
    else
        echo "note: n=$1 seed=$2 has no one-tier province"
    fi
    # a 直辖市's city edition: the city is its own province (no "北京市所在的北京市",
    # no share of itself, no rank among its province's one city)
    if [ "$1" = 5000 ] && build "$d-bj" "$d" --scope "city=北京市"; then
        check "$1-$2-municipality" "$d-bj" --scope "city=北京市" --province 北京市 --national "$d-nat"
        if [ "$PYCHECK" = 1 ] && pdftotext "$d-bj/北京市.pdf" - | tr -d ' \n' | grep -q "占北京市的100.00%\|北京市1个有企业的城市"; then
            echo "FAIL municipality: 北京市's edition gives its share of / rank in itself"; fail=$((fail + 1))
        else
            ok
        fi
        # its tables and workbook have no 北京市 (province) column beside 北京市 (city)
        if "$BIN" build --data "$d" --template "$TPL" --formats xlsx --out "$d-bjx" --scope "city=北京市" --quiet \
                >"$d-bjx.log" 2>&1 && "$PY" -c 'import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["T01 层级分布"]
head = [c for row in ws.iter_rows(min_row=3, max_row=3, values_only=True) for c in row]
sys.exit(1 if "北京市" in head or "全国" not in head else 0)' "$d-bjx/北京市.xlsx"; then
            ok
        else
            echo "FAIL municipality: 北京市's workbook has a province column 北京市 beside the city's"; fail=$((fail + 1))
        fi
    fi
    # the other one-tier shape: every enterprise of the smallest province is 国家级
    # (no 省级 enterprise: every provincial value is null) — the edition says so in
    # words, never with the no-data sentence or a dangling list
    if [ "$1" = 5000 ]; then
        rm -rf "$d-allnat"; mkdir -p "$d-allnat"
        cp "$d/financials.csv" "$d/patents.csv" "$d/SYNTHETIC.txt" "$d-allnat/" 2>/dev/null
        "$PY" -c 'import csv,sys
rows=list(csv.reader(open(sys.argv[1],encoding="utf-8")))
L,P=rows[0].index("level"),rows[0].index("province")
for r in rows[1:]:
    if r[P]==sys.argv[3] and r[L]=="provincial": r[L]="national"
csv.writer(open(sys.argv[2],"w",encoding="utf-8",newline="")).writerows(rows)' "$d/enterprises.csv" "$d-allnat/enterprises.csv" "$tiny"
        echo "-- all-national province edition: $tiny"
        # not --quiet: the warnings of the no-data paragraphs are what is looked for
        "$BIN" build --data "$d-allnat" --template "$TPL" --formats pdf,json --out "$d-an" --scope "province=$tiny" \
            >"$d-an.log" 2>&1 || { echo "FAIL: build --scope province=$tiny (all-national)"; tail -3 "$d-an.log"; fail=$((fail + 1)); }
        [ -s "$d-an/tables.json" ] && build "$d-an-nat" "$d-allnat" && {
            if grep -q "printed a no-data sentence\|the selection is empty" "$d-an.log"; then
                echo "FAIL all-national $tiny: a paragraph fell to the no-data sentence:"; grep "no-data\|selection is empty" "$d-an.log" | head -5
                fail=$((fail + 1))
            else
                ok
            fi
            check "$1-$2-allnat" "$d-an" --scope "province=$tiny" --national "$d-an-nat"
        }
    fi
done
# a province of four or more cities, every one under min_n (江苏省 in a small sample: 11 cities, at
# most 15 enterprises each): the cities' medians are listed but not compared — no "among the cities of
# 30 or more enterprises, none is higher" when there is no such city
d="$T/data-500-1232"
if "$BIN" sample --n 500 --seed 1232 --out "$d" >"$d.log" 2>&1 && build "$d-js" "$d" --scope "province=江苏省"; then
    cities=$(field "$d-js/tables.json" 'len(t["T16"]["rows"])')
    most=$(field "$d-js/tables.json" 'max(r["values"]["count"] or 0 for r in t["T16"]["rows"])')
    text=$(pdftotext "$d-js/江苏省.pdf" - | tr -d ' \n')
    if [ "$cities" -lt 4 ] || [ "$most" -ge 30 ]; then
        echo "FAIL small 江苏省: the data is not what this check needs ($cities cities, at most $most)"; fail=$((fail + 1))
    elif [[ "$text" == *"各城市的企业数均不足30家，其中位数仅供参考，不作城市间的比较。"* ]] &&
         [[ "$text" != *"企业数不少于30家的城市中，没有城市"* ]]; then
        ok
    else
        echo "FAIL small 江苏省: every city under 30, yet the cities' medians are compared"; fail=$((fail + 1))
    fi
else
    echo "FAIL: the small sample's 江苏省 edition"; fail=$((fail + 1))
fi

# a ranked list cut through a tie (n=500 seed=55, 广东省: 17纺织业 holds the tenth
# place with 2.94%, five more divisions hold the same share; 65 and 73 tie at the
# third place): the list says how many more share its last number
d="$T/data-500-55"
echo "== data set n=500 seed=55: ties at the end of ranked lists"
if "$BIN" sample --n 500 --seed 55 --out "$d" >"$d.log" 2>&1 && build "$d-nat" "$d" &&
        build "$d-gd" "$d" --scope province=广东省; then
    check 500-55-ties "$d-gd" --scope province=广东省 --national "$d-nat"
    if [ "$PYCHECK" = 1 ]; then
        txt=$(pdftotext "$d-gd/广东省.pdf" - | tr -d ' \n')
        for want in "17纺织业（2.94%），另有5个大类的占比与之相同" "65软件和信息技术服务业（7.35%），另有1个大类的占比与之相同"; do
            if [[ $txt == *"$want"* ]]; then ok; else echo "FAIL ties: 广东省's edition lacks '$want'"; fail=$((fail + 1)); fi
        done
    fi
else
    echo "FAIL: the n=500 seed=55 data set or its builds"; fail=$((fail + 1))
fi

srdi_test_done
