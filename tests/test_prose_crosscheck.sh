#!/bin/bash
# tests/test_prose_crosscheck.sh — every number the report's prose prints
# equals the formatted value of the table cell it names: the placeholders of
# templates/report-2026/*.md are resolved and formatted independently of the
# C engine (tests/prose_crosscheck.py) against tables.json and looked for, in
# their sentence, on the pages of their chapter in report.pdf; plus the
# reverse check of the numbers in chapters 2–3, the claim-vs-table check
# (sentences printed only when their table agrees, none printed empty), and
# that claims.csv lists every condition of the templates.  Data sets: generated
# samples (n 5000 seed 11, n 3000 seed 7, n 12000 seed 3), the bundled
# samples/, the bundled sample without patents.csv (empty patent tables) and a
# tiny generated set (n 200: groups under 30, null cells, empty bands).
# $1 = srdi-report binary, $2 = source dir.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_prose_crosscheck "$@"
export SOURCE_DATE_EPOCH=1767225600

# run_one NAME DATA_DIR: build the PDF and tables.json, cross-check them.
# the sanitizer trees build every data set but leave the checking of the words
# (the same bytes the plain tree checks) to the plain tree
PYCHECK=1
srdi_full "the prose checks of each build (python)" || PYCHECK=0

run_one() {
    local name=$1 data=$2 out="$T/$1"
    echo "== $name ($data)"
    if ! "$BIN" build --data "$data" --template "$SRC/templates/report-2026" --formats pdf,json \
            --out "$out" >"$T/$name.log" 2>&1; then
        echo "FAIL $name: srdi-report build"; tail -20 "$T/$name.log"
        fail=$((fail + 1)); return
    fi
    if [ "$PYCHECK" = 0 ]; then ok; return; fi
    "$PY" "$SRC/tests/prose_crosscheck.py" "$SRC/templates/report-2026" "$out" "$SRC" >"$T/$name.txt"
    # (a) every {{#if}} / {{else if}} / {{else}} of the templates has its row in claims.csv
    # (named values read as the engine reads them: prose_crosscheck.apply_lets)
    "$PY" - "$SRC/templates/report-2026" "$out/claims.csv" "$SRC/tests" >"$T/$name.claims" <<'PYEOF' || fail=$((fail + 1))
import csv, os, re, sys
tdir, claims = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
from prose_crosscheck import apply_lets
tag = re.compile(r"\{\{(#if [^}]*|else if [^}]*|else)\}\}")
want = {}
lets = {}
for f in sorted(os.listdir(tdir)):
    if f.endswith(".md"):
        raw = apply_lets(open(os.path.join(tdir, f), encoding="utf-8").read().split("\n"), lets)
        for ln, line in enumerate(raw, 1):
            if line is None:
                continue
            for m in tag.finditer(line):
                want.setdefault((f, ln), []).append(m.group(1).split(" ", 1)[-1] if m.group(1) != "else" else "else")
got = {}
for r in csv.DictReader(open(claims, encoding="utf-8")):
    got.setdefault((os.path.basename(r["file"]), int(r["line"])), []).append(r["condition"])
bad = [k for k in want if [c.replace("if ", "", 1) if c.startswith("if ") else c for c in want[k]] != got.get(k)]
n = sum(len(v) for v in want.values())
if bad or len(got) != len(want):
    print("FAIL: claims.csv does not list every condition: %s" % bad[:5])
    sys.exit(1)
print("note: claims.csv lists all %d conditions" % n)
PYEOF
    cat "$T/$name.claims" "$T/$name.txt"
    srdi_add_counts "$name" "$T/$name.txt"
}

# says PDF PATTERN…: the report's text (blanks removed) holds every PATTERN (a
# grep regular expression) and none given as "!PATTERN"
says() {
    local txt p
    txt=$(pdftotext "$1" - | tr -d ' \n')
    shift
    for p in "$@"; do
        if [ "${p#!}" != "$p" ]; then
            ! grep -q -- "${p#!}" <<<"$txt" || return 1
        else
            grep -q -- "$p" <<<"$txt" || return 1
        fi
    done
}
# nodata_free NAME: the build NAME named no paragraph fallen to the no-data sentence
nodata_free() { ! grep -q "printed a no-data sentence" "$T/$1.log"; }
if "$BIN" sample --n 5000 --seed 11 --out "$T/data" >"$T/sample.log" 2>&1; then
    run_one generated "$T/data"
else
    echo "FAIL: srdi-report sample"; fail=$((fail + 1))
fi
run_one bundled "$SRC/samples"
# the generated set with 国家级 and 省级 swapped: the provincial tier (now the
# few) scores above the national median on all five dimensions, so every T23
# sentence takes its "no gap" branch — the 3.3 heading says so
if [ -f "$T/data/enterprises.csv" ] && srdi_full "the generated set with levels swapped"; then
    mkdir -p "$T/swapped"
    ln -sf "$T/data/financials.csv" "$T/data/patents.csv" "$T/swapped/"
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "level") c = i; print; next }
        { if ($c == "national") $c = "provincial"; else if ($c == "provincial") $c = "national"; print }' \
        "$T/data/enterprises.csv" >"$T/swapped/enterprises.csv"
    run_one swapped-levels "$T/swapped"
    if [ "$PYCHECK" = 1 ]; then
        if pdftotext "$T/swapped-levels/report.pdf" - | tr -d ' \n' | grep -q "3.3差距透视：省级企业各维度均不低于国家级中位数"; then
            ok
        else
            echo "FAIL swapped-levels: 3.3's heading does not take the no-gap branch"; fail=$((fail + 1))
        fi
    fi
fi
# the generated set moved into one province (its cities spread over six of
# 江苏省's): a "national" build whose T13 has one province with enterprises and
# whose 珠三角 and 京津冀 are empty — 2.2 says so instead of ranking provinces
# with 0 enterprises or dropping paragraphs to the no-data sentence
if [ -f "$T/data/enterprises.csv" ] && srdi_full "the generated set in one province"; then
    mkdir -p "$T/oneprov"
    ln -sf "$T/data/financials.csv" "$T/data/patents.csv" "$T/oneprov/"
    awk -F, -v OFS=, 'BEGIN { split("南京市 无锡市 常州市 苏州市 南通市 扬州市", cs, " ") }
        NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "province") p = i; if ($i == "city") c = i }; print; next }
        { $p = "江苏省"; $c = cs[NR % 6 + 1]; print }' \
        "$T/data/enterprises.csv" >"$T/oneprov/enterprises.csv"
    run_one one-province "$T/oneprov"
    if [ "$PYCHECK" = 1 ]; then
        if says "$T/one-province/report.pdf" "2.2.1省份格局：企业全部集中在江苏省" "珠三角没有专精特新企业" \
                "!本段所需的部分数据"; then
            ok
        else
            echo "FAIL one-province: 2.2 does not say that every enterprise is in 江苏省, or drops a paragraph"
            fail=$((fail + 1))
        fi
    fi
fi
# the bundled sample without financials.csv and with every enterprise in one
# industry (3979): T22/T25 without rows and T15 with one row — chapter 3's
# summary and 2.2.3's cluster paragraph say so; no paragraph falls to the
# no-data sentence (the build would name it on stderr)
mkdir -p "$T/onefin"
cp "$SRC/samples/patents.csv" "$T/onefin/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "industry_code") c = i; print; next }
    { $c = "3979"; print }' "$SRC/samples/enterprises.csv" >"$T/onefin/enterprises.csv"
run_one no-financials-one-industry "$T/onefin"
if [ "$PYCHECK" = 1 ]; then
    if says "$T/no-financials-one-industry/report.pdf" "其二，本次数据没有可用的研发投入数据" \
            "其三，战略领域分组没有可用数据" "这一个行业大类，三大城市群的行业构成相同" "!本段所需的部分数据" &&
            nodata_free no-financials-one-industry; then
        ok
    else
        echo "FAIL no-financials-one-industry: chapter 3's summary or 2.2.3 does not say what is missing, or a paragraph is dropped"
        fail=$((fail + 1))
    fi
fi
# the bundled sample without its honour columns (hon_*: a bureau export
# without 荣誉资质; 小巨人 stays implied by level=national): every honour rate
# but 小巨人's is missing — 2.1.3, chapter 3 and 3.5 say that no enterprise
# holds one instead of comparing empty rates; no paragraph falls to the
# no-data sentence
mkdir -p "$T/nohon"
cp "$SRC/samples/patents.csv" "$SRC/samples/financials.csv" "$T/nohon/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = ($i !~ /^hon_/) }
    { line = ""; for (i = 1; i <= NF; i++) if (keep[i]) line = line (line == "" ? "" : OFS) $i; print line }' \
    "$SRC/samples/enterprises.csv" >"$T/nohon/enterprises.csv"
run_one no-honours "$T/nohon"
if [ "$PYCHECK" = 1 ]; then
    if says "$T/no-honours/report.pdf" "本次数据中没有企业持有高新技术企业、企业技术中心等荣誉资质" \
            "企业技术中心等研发平台类资质在本次数据中没有持有记录" "!本段所需的部分数据" && nodata_free no-honours; then
        ok
    else
        echo "FAIL no-honours: 2.1.3 or chapter 3 does not say that no enterprise holds an honour, or a paragraph is dropped"
        fail=$((fail + 1))
    fi
fi
# the bundled sample cut to the six required columns (a minimal export):
# chapter 3 rests on columns it lacks, so paragraphs fall to the no-data
# sentence — each one said on stderr, and no heading prints a missing value
# (3.3's read "差距透视：—差距最大（—分）"; prose_crosscheck's heading rule)
mkdir -p "$T/minimal"
awk -F, -v OFS=, '{ print $1, $2, $3, $4, $5, $6 }' "$SRC/samples/enterprises.csv" >"$T/minimal/enterprises.csv"
if [ "$(head -1 "$T/minimal/enterprises.csv")" != "id,name,level,province,city,industry_code" ]; then
    echo "FAIL minimal: the bundled sample's first six columns are not the required ones"; fail=$((fail + 1))
fi
run_one minimal "$T/minimal"
if [ "$PYCHECK" = 1 ]; then
    said=$(grep -c "printed a no-data sentence" "$T/minimal.log")
    printed=$(pdftotext "$T/minimal/report.pdf" - | tr -d ' \n' | grep -o "本段所需的部分数据" | wc -l)
    if [ "$said" -gt 0 ] && [ "$said" = "$printed" ]; then
        ok
    else
        echo "FAIL minimal: $printed no-data paragraphs printed, $said said on stderr"; fail=$((fail + 1))
    fi
fi
# the bundled sample in three shapes of levels a real export may have: no
# 单项冠军 rows (their patent and financial rows dropped too), every 国家级
# enterprise made 省级 (a bureau's provincial list: no 国家级 benchmark for the
# five-dimension scores), every 省级 made 国家级 — each builds (the all-国家级
# one failed with exit 3 on a 图表 reference) and says what is missing in
# words: no paragraph falls to the no-data sentence
for shape in nochamp allprov allnat; do
    mkdir -p "$T/$shape"
    "$PY" - "$SRC/samples" "$T/$shape" "$shape" <<'PYEOF'
import csv, os, sys
src, dst, shape = sys.argv[1:4]
rows = list(csv.reader(open(os.path.join(src, "enterprises.csv"), encoding="utf-8")))
lv = rows[0].index("level")
if shape == "nochamp":
    rows = rows[:1] + [r for r in rows[1:] if r[lv] != "champion"]
for r in rows[1:]:
    if shape == "allprov" and r[lv] == "national": r[lv] = "provincial"
    if shape == "allnat" and r[lv] == "provincial": r[lv] = "national"
csv.writer(open(os.path.join(dst, "enterprises.csv"), "w", encoding="utf-8", newline="")).writerows(rows)
ids = {r[0] for r in rows[1:]}
for f in ("patents.csv", "financials.csv"):
    rr = list(csv.reader(open(os.path.join(src, f), encoding="utf-8")))
    csv.writer(open(os.path.join(dst, f), "w", encoding="utf-8", newline="")).writerows(rr[:1] + [r for r in rr[1:] if r[0] in ids])
PYEOF
    run_one "level-$shape" "$T/$shape"
    if grep -q "printed a no-data sentence\|the selection is empty\|has no row for" "$T/level-$shape.log"; then
        echo "FAIL level-$shape: a paragraph fell to the no-data sentence or printed —:"
        grep "no-data sentence\|selection is empty\|has no row for" "$T/level-$shape.log" | head -5
        fail=$((fail + 1))
    else
        ok
    fi
done
# the bundled sample whose foreign inventions were all published in the last
# year (2025, incomplete): T34's complete years are zeros, its last year is not
# — 3.6.2 gives the counts of both years instead of saying that no foreign
# invention was published (the 宁夏 edition of sample n 9000 seed 4242 said
# 没有涉外发明专利公开 above a table printing 1 件 in 2025)
mkdir -p "$T/forlast"
cp "$SRC/samples/enterprises.csv" "$SRC/samples/financials.csv" "$T/forlast/"
awk -F, 'NR == 1 || !($3 == "invention" && $4 != "CN" && $6 != "" && $6 < 2025)' \
    "$SRC/samples/patents.csv" >"$T/forlast/patents.csv"
run_one foreign-last-year "$T/forlast"
if [ "$PYCHECK" = 1 ]; then
    if says "$T/foreign-last-year/report.pdf" "涉外发明专利公开量从2020年的0件变为2025年的[1-9][0-9,]*件"; then
        ok
    else
        echo "FAIL foreign-last-year: 3.6.2 does not give the 2025 foreign publications"
        fail=$((fail + 1))
    fi
fi
# the bundled sample with ties and zeros: every 国家级 enterprise holds the 科技型中小企业
# honour and no 省级 one (2.1.3 says 省级比国家级低, not 与之相对…这类资质更多对应企业成长早期),
# no registered capital reaches 10,000万元 (2.1.2: 在两类企业中都没有, not 高出0.00个百分点);
# the 国家级 enterprises hold no
# software copyright (T21's multiple is 0: 3.1 says 国家级为零, not 是省级的0.00倍)
# and their inventions of the last 3 application years fall evenly on four IPC
# subclasses (T33: four rows at 25%: no "最集中的三个小类", one share said once);
# without a 数字化能力 score (its 国家级 median is 0) no paragraph drops to no-data
mkdir -p "$T/ties"
cp "$SRC/samples/financials.csv" "$T/ties/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "level") l = i; if ($i == "software_copyrights") c = i
            if ($i == "hon_tech_sme") h = i; if ($i == "reg_capital") r = i }
        print; next }
    { if ($l == "national") $c = 0; $h = ($l == "national"); if ($r != "" && $r + 0 >= 10000) $r = 9000; print }' \
    "$SRC/samples/enterprises.csv" >"$T/ties/enterprises.csv"
awk -F, -v OFS=, 'FNR == 1 { f++ }
    f == 1 && FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "level") l = i; next }
    f == 1 { if ($l == "national") nat[$1] = 1; next }
    f == 2 && FNR > 1 { if ($5 > max) max = $5; if ($3 == "invention" && ($1 in nat)) yr[FNR] = $5; next }
    f == 3 && FNR == 1 { for (j in yr) if (yr[j] >= max - 2) n++; n -= n % 4; split("B23P F16H G06F H01L", ipc, " "); print; next }
    f == 3 { if ($3 == "invention" && ($1 in nat) && $5 >= max - 2) { $9 = (k < n) ? ipc[k % 4 + 1] "1/00" : ""; k++ } print }' \
    "$SRC/samples/enterprises.csv" "$SRC/samples/patents.csv" "$SRC/samples/patents.csv" >"$T/ties/patents.csv"
run_one ties-zero-median "$T/ties"
if [ "$PYCHECK" = 1 ]; then
    if says "$T/ties-zero-median/report.pdf" "软件著作权中位数国家级为零，省级为[0-9]*件" \
            "居前的是B23P、F16H、G06F等小类（占比为25.00%的小类共有4个），占比均为25.00%" \
            "注册资本在10,000万元及以上的企业在两类企业中都没有" "科技型中小企业资质的持有率省级比国家级低100.00个百分点。" &&
            nodata_free ties-zero-median; then
        ok
    else
        echo "FAIL ties-zero-median: 3.1 or 3.6.2 (3) does not say the zero median or the tie, or a paragraph is dropped"
        grep "printed a no-data sentence" "$T/ties-zero-median.log"
        fail=$((fail + 1))
    fi
fi
# the bundled sample without invention patents (every one made a utility
# model): T31 is a table of zeros — 3.6.2 (2) says no invention was filed
# instead of listing 0.00件 year by year beside a chart reading 暂无数据
mkdir -p "$T/noinv"
cp "$SRC/samples/enterprises.csv" "$SRC/samples/financials.csv" "$T/noinv/"
awk -F, -v OFS=, 'NR > 1 && $3 == "invention" { $3 = "utility" } { print }' "$SRC/samples/patents.csv" \
    >"$T/noinv/patents.csv"
run_one no-inventions "$T/noinv"
if [ "$PYCHECK" = 1 ]; then
    if says "$T/no-inventions/report.pdf" "本次数据中，“小巨人”企业在2023—2025年没有发明专利申请" &&
            nodata_free no-inventions; then
        ok
    else
        echo "FAIL no-inventions: 3.6.2 (2) does not say that no invention was filed, or a paragraph is dropped"
        fail=$((fail + 1))
    fi
fi
# the first 11 enterprises of the bundled sample (their patents; no financial
# row): three provinces tie for first (2.2.1 says 并列第一 of all three, not
# 次之 of the third), the largest division has no enterprise in any cluster
# (2.2.2: 均为零), a quadrant is empty (2.1.6 gives it no role) and T11 has
# no ratio (2.1.5's benchmark figure is 暂无数据, not a grid of — under 以—年);
# 3.1 draws no conclusion from correlations of 11 enterprises
mkdir -p "$T/eleven"
head -12 "$SRC/samples/enterprises.csv" >"$T/eleven/enterprises.csv"
for f in financials patents; do
    awk -F, 'NR == FNR { if (FNR > 1) id[$1] = 1; next } FNR == 1 || ($1 in id)' \
        "$T/eleven/enterprises.csv" "$SRC/samples/$f.csv" >"$T/eleven/$f.csv"
done
run_one eleven "$T/eleven"
if [ "$PYCHECK" = 1 ]; then
    if says "$T/eleven/report.pdf" "广东省、江苏省与湖南省以18.18%的占比并列第一" \
            "高规模—高创新（头部企业）：占全部企业的0.00%，本次数据中没有这类企业；" \
            "珠三角企业中的占比均为零（三大城市群中没有该行业的企业）" "本版参与计算的企业只有11家（不足30家）" \
            "图表13：研发占比标杆体系项目均值P50（中位数）P75（前25%）P90（前10%）样本数（家）暂无数据" "!以—年" &&
            nodata_free eleven; then
        ok
    else
        echo "FAIL eleven: 2.2.1's tie, 2.1.6's empty quadrant, 2.2.2's zeros or 图表13's 暂无数据 is not said"
        fail=$((fail + 1))
    fi
    # its 湘潭市 edition: one 国家级 enterprise, one strategic domain, a grant rate
    # of 1–4 decided applications a year — 3.4 compares no domains, 4.1/4.2 speak
    # of no 创新质量 gap, 3.6.2 draws no trend from the rates in its heading
    if "$BIN" build --data "$T/eleven" --template "$SRC/templates/report-2026" --formats pdf,json \
            --out "$T/eleven-xt" --scope city=湘潭市 --quiet >"$T/eleven-xt.log" 2>&1; then
        "$PY" "$SRC/tests/prose_crosscheck.py" "$SRC/templates/report-2026" "$T/eleven-xt" "$SRC" \
            --scope city=湘潭市 --province 湖南省 --national "$T/eleven" >"$T/eleven-xt.txt" 2>&1
        tail -1 "$T/eleven-xt.txt"
        srdi_add_counts eleven-湘潭市 "$T/eleven-xt.txt"
        if says "$T/eleven-xt/湘潭市.pdf" "只有基础制造一个领域有发明授权数据" "针对创新质量的提升" \
                "3.6.2趋势研判：发明专利布局"; then
            ok
        else
            echo "FAIL eleven 湘潭市: 3.4, 4.1.2 or 3.6.2's heading does not follow the data"; fail=$((fail + 1))
        fi
    else
        echo "FAIL: srdi-report build --scope city=湘潭市 (eleven)"; tail -3 "$T/eleven-xt.log"; fail=$((fail + 1))
    fi
fi
sets=()
srdi_full "the data sets n=3000 seed=7 and n=12000 seed=3" && sets=("3000 7" "12000 3")
for ns in "${sets[@]}"; do
    set -- $ns
    if "$BIN" sample --n "$1" --seed "$2" --out "$T/data$1" >"$T/sample$1.log" 2>&1; then
        run_one "generated-$1-$2" "$T/data$1"
    else
        echo "FAIL: srdi-report sample --n $1"; fail=$((fail + 1))
    fi
done
mkdir -p "$T/nopat" "$T/tiny"
cp "$SRC/samples/enterprises.csv" "$SRC/samples/financials.csv" "$T/nopat/"
run_one no-patents "$T/nopat"
if "$BIN" sample --n 200 --seed 5 --out "$T/tiny" >"$T/sample-tiny.log" 2>&1; then
    run_one tiny "$T/tiny"
else
    echo "FAIL: srdi-report sample --n 200"; fail=$((fail + 1))
fi

srdi_test_done
