#!/bin/bash
# tests/test_editions.sh — regional editions end to end on the bundled sample:
#   1. --scope province=江苏 (short form): OUT/江苏省.pdf|xlsx, title, cover
#      and PDF metadata name the province; every 全国 column of the workbook
#      equals the national build's value; values.csv under the national keys,
#      T13/T14 and the champion means as the national build (docs/tables.md "Scope");
#   2. --scope city=苏州: 江苏省 and 全国 columns equal the province and
#      national builds; changes.csv starts a fresh baseline with a warning;
#   3. unknown scopes list the valid names (exit 2);
#   4. --split province / --scope province=江苏省 --split city: the file layout;
#   5. the PDFs' 全国 (and 江苏省) columns equal the national (provincial) build,
#      T16 ranks within the scope and in the nation; values.csv against an
#      independent count of T01/T16 (editions_check.py pdfbench, scoperules);
#   6. a 1-enterprise province: --split province with svg figures beside each
#      edition, numbered as its PDF and drawn from its numbers; small-sample notes;
#      two worker processes taking editions in turn write the PDFs one process does;
#      PNGs drawn once for several editions are the bytes the edition draws alone.
#   $1 = srdi-report binary, $2 = source dir
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_editions "$@"
CHECK="$SRC/tests/editions_check.py"
export SOURCE_DATE_EPOCH=1767225600
D="$SRC/samples"

# values of one table of a values.csv, sorted
vals() { grep "^$2," "$1" | sort; }

check "national build" "$SRDI" build --data "$D" --out "$T/nat" --formats json --quiet
check "Jiangsu build" "$SRDI" build --data "$D" --out "$T/js" --formats pdf,xlsx,json --quiet --scope province=江苏
check "江苏省.pdf" test -s "$T/js/江苏省.pdf"
check "江苏省.xlsx" test -s "$T/js/江苏省.xlsx"
check "no report.pdf in a province build" test ! -e "$T/js/report.pdf"
pdfinfo "$T/js/江苏省.pdf" > "$T/js.info" 2>/dev/null
check "PDF title names the province" grep -q "^Title: *江苏省专精特新企业培育发展报告$" "$T/js.info"
pdftotext -f 1 -l 1 "$T/js/江苏省.pdf" "$T/js.cover.txt"
check "cover names the province" has "$T/js.cover.txt" "江苏省专精特新企业培育发展报告"
pdftotext -f 3 -l 3 "$T/js/江苏省.pdf" "$T/js.p3.txt"
check "running head names the province" has "$T/js.p3.txt" "江苏省专精特新企业培育发展报告"
check "全国 columns equal the national build" "$PY" "$CHECK" bench "$T/js/江苏省.xlsx" "$T/js/tables.json" "$T/nat/tables.json" 江苏省
check "values.csv under the national keys" cmp -s <(cut -d, -f1-3 "$T/js/values.csv" | grep -v "^T1[3-7],\|^T19,\|^T18,\|^T33,\|^T30," | sort) \
    <(cut -d, -f1-3 "$T/nat/values.csv" | grep -v "^T1[3-7],\|^T19,\|^T18,\|^T33,\|^T30," | sort)
for t in T13 T14; do
    check "$t over the whole P" cmp -s <(vals "$T/js/values.csv" $t) <(vals "$T/nat/values.csv" $t)
done
check "champion means over every champion" cmp -s <(vals "$T/js/values.csv" T28 | grep champion_mean) \
    <(vals "$T/nat/values.csv" T28 | grep champion_mean)
check "T01 total = Jiangsu's enterprises" grep -qx "T01,total,count,432" "$T/js/values.csv"
pdftotext "$T/js/江苏省.pdf" "$T/js.txt"
own=$(grep "^T01,national,share," "$T/js/values.csv" | cut -d, -f4 | awk '{printf "%.2f%%", $1 * 100}')
check "no empty phrase —为—" lacks "$T/js.txt" "—为—"

check "Suzhou build (short form)" "$SRDI" build --data "$D" --out "$T/js" --formats pdf,xlsx,json --scope city=苏州 2> "$T/err"
check "scope change: fresh baseline, with a warning" has "$T/err" "changes.csv starts a fresh baseline for city=江苏省/苏州市"
check "no changes.csv compared across scopes" test ! -e "$T/js/changes.csv"
check "苏州市.xlsx" test -s "$T/js/苏州市.xlsx"
"$SRDI" build --data "$D" --out "$T/jsp" --formats json --quiet --scope province=江苏省
check "苏州市: 江苏省 and 全国 columns" "$PY" "$CHECK" bench "$T/js/苏州市.xlsx" "$T/js/tables.json" "$T/nat/tables.json" 苏州市 \
    "$T/jsp/tables.json" 江苏省
pdftotext "$T/js/苏州市.pdf" "$T/sz.txt"
pdfinfo "$T/js/苏州市.pdf" | grep -q "^Title: *苏州市专精特新企业培育发展报告$" && ok || bad "city PDF title"
# no sentence prints an empty value: "倍数为—", "分别为5件和—", "国家级——个百分点"
emptyvals() { ! grep -qE '[为占和比达]—[^0-9—]|——[；，。]|—万元' "$1"; }
check "苏州市: no empty value in a sentence" emptyvals "$T/sz.txt"
# a 1-enterprise province (西藏自治区 in the sample): no national-level group, so
# the edition says so once (2.1.1) and gives the provincial values where a tier
# comparison stands; no paragraph falls to the no-data sentence
check "西藏 build (1 enterprise)" "$SRDI" build --data "$D" --out "$T/xz" --formats pdf --scope province=西藏 2> "$T/xz.err"
pdftotext "$T/xz/西藏自治区.pdf" "$T/xz.txt"
check "西藏: no empty value in a sentence" emptyvals "$T/xz.txt"
hasflat() { tr -d ' \n' <"$1" | grep -qF "$2"; }
check "西藏: the edition says it has no national-level enterprise" hasflat "$T/xz.txt" "本版没有国家级企业，以下各节中国家级与省级企业的对比无从计算"
nodata() { ! tr -d ' \n' <"$1" | grep -q "本段所需的部分数据在本版中缺失" && ! grep -q "printed a no-data sentence" "$2"; }
check "西藏: no paragraph replaced by the no-data sentence" nodata "$T/xz.txt" "$T/xz.err"

"$SRDI" build --data "$D" --out "$T/x" --formats json --scope province=火星 2> "$T/err"
check "unknown province: exit 2" test $? -eq 2
check "unknown province lists the valid names" has "$T/err" "--scope: unknown province '火星'; valid: 北京市、"
"$SRDI" build --data "$D" --out "$T/x" --formats json --scope city=火星 2> "$T/err"
check "unknown city: exit 2" test $? -eq 2
check "unknown city lists the valid names" has "$T/err" "  江苏省：苏州市、"
check "unknown city: the error line" has "$T/err" "no city '火星' with enterprises in the data (valid names listed above)"

if srdi_full "--split province of the bundled sample (31 workbooks; the small set below splits too)"; then
    check "--split province (xlsx)" "$SRDI" build --data "$D" --out "$T/sp" --formats xlsx --split province --quiet
    nprov=$(cut -d, -f4 "$T/nat/values.csv" >/dev/null; grep "^T13,.*,count," "$T/nat/values.csv" | grep -vc ",count,0$")
    check "a workbook per province present ($nprov)" test "$(ls "$T/sp/provinces" | grep -c '\.xlsx$')" -eq "$nprov"
    check "江苏省 edition workbook" test -s "$T/sp/provinces/江苏省.xlsx"
    # a split's edition visits its province's rows, grouped once for the run; a
    # --scope build groups nothing: the same workbook.  One worker or two: the same files.
    "$SRDI" build --data "$D" --out "$T/one" --formats xlsx --quiet --scope province=江苏省
    check "--split province edition = --scope province build (江苏省.xlsx)" cmp -s "$T/sp/provinces/江苏省.xlsx" \
        "$T/one/江苏省.xlsx"
fi
if srdi_full "--split city (168 workbooks, twice) and --scope province --split city"; then
    "$SRDI" build --data "$D" --out "$T/one" --formats xlsx --quiet --scope city=苏州 2>/dev/null
    check "--split city --jobs 1" "$SRDI" build --data "$D" --out "$T/c1" --formats xlsx --split city --jobs 1 --quiet
    check "--split city --jobs 2" "$SRDI" build --data "$D" --out "$T/c2" --formats xlsx --split city --jobs 2 --quiet
    check "--split city edition = --scope city build (苏州市.xlsx)" cmp -s "$T/c2/cities/江苏省/苏州市.xlsx" "$T/one/苏州市.xlsx"
    check "--split city: --jobs 1 and --jobs 2 write the same files" diff -r -x '.srdi-*' "$T/c1" "$T/c2"
    check "--split city: a workbook per city (168)" test "$(find "$T/c2/cities" -name '*.xlsx' | wc -l)" -eq 168
    check "--scope province=江苏省 --split city (pdf)" "$SRDI" build --data "$D" --out "$T/sc" --formats pdf --scope province=江苏省 \
        --split city --quiet
    check "only Jiangsu's cities" test "$(ls "$T/sc/cities")" = "江苏省"
    ncity=$(grep "^T16,.*,count," "$T/jsp/values.csv" | wc -l)
    check "a PDF per Jiangsu city ($ncity)" test "$(ls "$T/sc/cities/江苏省" | grep -c '\.pdf$')" -eq "$ncity"
    pdfinfo "$T/sc/cities/江苏省/无锡市.pdf" | grep -q "^Title: *无锡市专精特新企业培育发展报告$" && ok || bad "split city PDF title"
fi

# the PDF's benchmark columns and the scope rules, independently of the workbook
pdftotext -layout "$T/js/苏州市.pdf" "$T/sz.layout.txt"
check "苏州市 PDF: 江苏省 and 全国 columns, T16 ranks" "$PY" "$CHECK" pdfbench "$T/sz.layout.txt" "$T/js/values.csv" \
    "$T/nat/values.csv" 苏州市 "$T/jsp/values.csv"
check "苏州市 values.csv: T01/T16 over the city's enterprises" "$PY" "$CHECK" scoperules "$D/enterprises.csv" \
    "$T/js/values.csv" city 苏州市
"$SRDI" build --data "$D" --out "$T/js2" --formats pdf,json --quiet --scope province=江苏省 2>/dev/null
pdftotext -layout "$T/js2/江苏省.pdf" "$T/js.layout.txt"
check "江苏省 PDF: 全国 columns, T16 ranks" "$PY" "$CHECK" pdfbench "$T/js.layout.txt" "$T/js2/values.csv" \
    "$T/nat/values.csv" 江苏省
check "江苏省 values.csv: T01/T16 over the province's enterprises" "$PY" "$CHECK" scoperules "$D/enterprises.csv" \
    "$T/js2/values.csv" province 江苏省

# a 1-enterprise province (西藏自治区) and two small ones, every champion: --split province with figures
mkdir -p "$T/small"
awk -F, 'NR == 1 || $3 == "champion" || $4 == "西藏自治区" || $4 == "青海省" || $4 == "宁夏回族自治区"' \
    "$D/enterprises.csv" > "$T/small/enterprises.csv"
check "fixture: 西藏自治区 has 1 enterprise" test "$(awk -F, '$4 == "西藏自治区" && $3 != "champion"' "$T/small/enterprises.csv" | wc -l)" -eq 1
check "--split province --formats pdf,xlsx,svg --jobs 2" "$SRDI" build --data "$T/small" --out "$T/ss" \
    --formats pdf,xlsx,svg --split province --jobs 2 --quiet
# two worker processes for three editions: one builds two in turn (its second PDF loads
# the faces itself, the first takes the document the build made before forking); one
# edition at a time in the build's own process: the same PDFs
check "--split province --formats pdf --jobs 1" "$SRDI" build --data "$T/small" --out "$T/s1" --formats pdf \
    --split province --jobs 1 --quiet
for p in 西藏自治区 青海省 宁夏回族自治区; do
    check "$p.pdf: --jobs 2 = --jobs 1" cmp -s "$T/ss/provinces/$p.pdf" "$T/s1/provinces/$p.pdf"
done
# the third edition of --jobs 1 (宁夏, after 西藏 and 青海) takes the document the PDF
# before it kept, with its faces loaded, and the line breaks of both: the bytes of a
# build of that edition alone
check "--scope province=宁夏 --formats pdf" "$SRDI" build --data "$T/small" --out "$T/nxp" --formats pdf --quiet \
    --scope province=宁夏
check "宁夏回族自治区.pdf: the split's third edition = the --scope build" cmp -s "$T/s1/provinces/宁夏回族自治区.pdf" \
    "$T/nxp/宁夏回族自治区.pdf"
for p in 西藏自治区 青海省 宁夏回族自治区; do
    check "$p.pdf and $p.xlsx" test -s "$T/ss/provinces/$p.pdf" -a -s "$T/ss/provinces/$p.xlsx"
    check "$p figures beside the edition" test "$(ls "$T/ss/provinces/$p/figures" | grep -c '\.svg$')" -ge 10
done
check "nothing else in provinces/ (pdf, xlsx, claims, figures)" test "$(ls "$T/ss/provinces" | wc -l)" -eq 12
pdftotext "$T/ss/provinces/西藏自治区.pdf" "$T/xz.txt"
pdfinfo "$T/ss/provinces/西藏自治区.pdf" | grep -q "^Title: *西藏自治区专精特新企业培育发展报告$" && ok || bad "西藏 PDF title"
check "1-enterprise edition: small-sample notes" has "$T/xz.txt" "样本量小于30，仅供参考"
fig=$(ls "$T/ss/provinces/西藏自治区/figures" | grep '_T01\.svg$')
num=${fig#fig}; num=$((10#${num%%_*}))
check "edition figure $fig numbered as its PDF" has "$T/xz.txt" "图表$num：国家级及省级专精特新企业数量与占比"
check "edition figures carry the edition's numbers" differ "$T/ss/provinces/西藏自治区/figures/$fig" \
    "$T/ss/provinces/青海省/figures/$fig"
check "--scope province=西藏 (1 enterprise)" "$SRDI" build --data "$T/small" --out "$T/xz" --formats pdf,xlsx --quiet \
    --scope province=西藏
# a split draws a PNG that editions share once (the same T13 everywhere, the same 暂无数据
# figures): the last edition writes the bytes kept by the one before, the same bytes as
# its own build draws (one edition at a time, in region order: 西藏, 青海, 宁夏)
check "--split province --formats png --jobs 1" "$SRDI" build --data "$T/small" --out "$T/sp" --formats png \
    --split province --jobs 1 2> "$T/sp.log"
check "宁夏回族自治区: 8 figures drawn once for several editions" has "$T/sp.log" \
    "宁夏回族自治区/figures (19, 8 drawn once for several editions)"
check "西藏自治区: every figure drawn" has "$T/sp.log" "西藏自治区/figures (19) ("
check "--scope province=宁夏 --formats png" "$SRDI" build --data "$T/small" --out "$T/nx" --formats png --quiet \
    --scope province=宁夏
n=0
for f in "$T/nx/figures/"*.png; do
    cmp -s "$f" "$T/sp/provinces/宁夏回族自治区/figures/${f##*/}" && n=$((n + 1))
done
check "宁夏回族自治区: the split's 19 PNGs = the --scope build's" test "$n" -eq 19

srdi_test_done
