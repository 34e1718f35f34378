#!/usr/bin/env python3
"""Unit checks of the reference implementation against hand-computed values.

Run:  /usr/bin/python3 tests/reference_impl/test_srdi_tables.py
Prints "N passed, M failed"; exit status 1 on any failure.

The expected values below were worked out by hand from the fixture
tests/data/crosscheck/tiny (7 enterprises: N1, N2 national; P1–P4 provincial;
C1 champion; financials 2022–2024; 8 patent rows).  The derivation of the
less obvious ones is in the comments.
"""

import math
import os
import sys
import tempfile

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import srdi_tables as S  # noqa: E402

PASSED = 0
FAILED = 0


def check(cond, what):
    global PASSED, FAILED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL:", what)


def num_eq(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def run_fixture(name):
    d = os.path.join(ROOT, "tests", "data", "crosscheck", name)
    with tempfile.TemporaryDirectory() as t:
        p = os.path.join(t, "values.csv")
        S.run(d, p, os.path.join(ROOT, "templates", "report-2026", "reference"))
        vals, dups = compare.load(p)
    check(not dups, "%s: no duplicate keys" % name)
    return vals


def expect(vals, table, row, col, want):
    key = (table, str(row), col)
    if key not in vals:
        check(False, "%s,%s,%s missing (want %r)" % (key + (want,)))
        return
    got = vals[key]
    if want is None:
        check(got == "", "%s,%s,%s = %r, want empty" % (key + (got,)))
    elif isinstance(want, str):
        check(got == want, "%s,%s,%s = %r, want %r" % (key + (got, want)))
    else:
        check(got != "" and num_eq(float(got), float(want)),
              "%s,%s,%s = %r, want %r" % (key + (got, want)))


def absent(vals, table, row=None, col=None):
    hits = [k for k in vals if k[0] == table and (row is None or k[1] == str(row))
            and (col is None or k[2] == col)]
    check(not hits, "%s %s %s should be absent, found %d" % (table, row, col, len(hits)))


def test_helpers():
    check(S.median([3, 1, 2]) == 2, "median odd")
    check(S.median([4, 1, 3, 2]) == 2.5, "median even")
    check(S.median([None, None]) is None, "median empty")
    # PERCENTILE.INC([1,2,3,4], 0.9): h = 2.7 → 3 + 0.7 × 1 = 3.7
    check(num_eq(S.percentile([4, 3, 2, 1], 0.9), 3.7), "percentile p90")
    check(S.percentile([5], 0.75) == 5, "percentile single")
    check(S.percentile([1, 2], 1.0) == 2, "percentile p100")
    # Pearson pairwise complete: pairs (1,2),(2,4),(3,7) — x̄=2, ȳ=13/3
    # sxy = (−1)(−7/3)+0+(1)(8/3) = 5, sxx = 2, syy = 49/9+1/9+64/9 = 114/9
    r = S.pearson([1, 2, None, 3], [2, 4, 9, 7])
    check(num_eq(r, 5 / math.sqrt(2 * 114 / 9)), "pearson pairwise")
    check(S.pearson([1, 1, 1], [1, 2, 3]) is None, "pearson zero variance")
    check(S.top_n({"b": 2, "a": 2, "c": 3, "d": 1}, 3) == ["c", "a", "b"], "top-n ties")
    check(S.parse_number("１,２３4.5") == 1234.5, "full-width digits and separators")
    check(S.parse_flag("是") == 1.0 and S.parse_flag("N") == 0.0 and
          S.parse_flag("true") == 1.0 and S.parse_flag("") is None, "flags")
    check(S.norm_code("C3985") == "3985" and S.norm_code("3985") == "3985", "section letter")


def test_tiny():
    v = run_fixture("tiny")
    # T01: P = N1 N2 P1..P4 (C1 excluded)
    expect(v, "T01", "national", "count", 2)
    expect(v, "T01", "provincial", "share", 4 / 6)
    expect(v, "T01", "total", "count", 6)
    absent(v, "T01", "champion")
    # T02: national reg [12000, 8000]; provincial [2000, 500, 3000] (P4 missing)
    expect(v, "T02", "national", "median", 10000)
    expect(v, "T02", "national", "share_ge_10000", 0.5)
    expect(v, "T02", "provincial", "n", 3)
    expect(v, "T02", "provincial", "mean", 5500 / 3)
    expect(v, "T02", "multiple", "median", 5)
    expect(v, "T02", "multiple", "mean", 10000 / (5500 / 3))
    expect(v, "T02", "gap_pp", "share_ge_10000", 50)
    absent(v, "T02", "gap_pp", "median")
    # T03: national staff [150, 600]; provincial [40, 80, 1200, 51]
    expect(v, "T03", "0-50", "provincial_share", 0.25)
    expect(v, "T03", "51-100", "provincial_share", 0.5)   # 51 and 80
    expect(v, "T03", "101-200", "national_share", 0.5)
    expect(v, "T03", ">1000", "gap_pp", -25)
    expect(v, "T03", "national", "median", 375)
    expect(v, "T03", "provincial", "median", 65.5)          # (51+80)/2
    # T04: little giant implied for national rows; P3 provincial holds it
    expect(v, "T04", "hon_little_giant", "national_rate", 1.0)
    expect(v, "T04", "hon_little_giant", "provincial_rate", 0.25)
    expect(v, "T04", "hon_little_giant", "multiple", 4.0)
    expect(v, "T04", "hon_high_tech", "provincial_rate", 0.5)  # 0, Y, 1, 0
    expect(v, "T04", "hon_cnas", "national_rate", None)         # column absent
    # T05: sums N1 2, N2 0, P1 0, P2 1, P3 null (std_industry empty), P4 0
    expect(v, "T05", "provincial", "n", 3)
    expect(v, "T05", "provincial", "rate", 1 / 3)
    expect(v, "T05", "total", "rate", 0.4)
    expect(v, "T05", "total", "mean_among_holders", 1.5)
    # T06: provincial_without_std = P1, P4: patents [10, 70], outcomes [11, 70]
    expect(v, "T06", "provincial_without_std", "median_patents", 40)
    expect(v, "T06", "provincial_without_std", "median_outcomes", 40.5)
    expect(v, "T06", "provincial_without_std", "n", 2)
    expect(v, "T06", "national_with_std", "median_outcomes", 126)  # 120+4+2
    # T07/T08
    expect(v, "T07", "intl_advanced", "national_share", 0.5)
    expect(v, "T07", "intl_advanced", "multiple", None)      # provincial share 0
    expect(v, "T07", "domestic_level", "gap_pp", -25)
    expect(v, "T07", "provincial", "n", 4)
    expect(v, "T08", "national", "relative_gap", 1.5)        # 20 / 8 − 1
    expect(v, "T08", "provincial", "without_eval_median", 2)  # [2, 0, 6]
    expect(v, "T08", "provincial", "relative_gap", 1.0)
    # T09: growth N1 2023 0.2, 2024 0.25; N2 2024 0.25; P1 2024 undefined (2023 revenue 0)
    expect(v, "T09", 2023, "national_median", 1200 / 1000 - 1)
    expect(v, "T09", 2024, "national_n", 2)
    expect(v, "T09", 2024, "provincial_median", None)
    expect(v, "T09", 2024, "provincial_n", 0)
    absent(v, "T09", 2022)
    # T10: filter [0, 0.30] drops N1 2024 (0.4) and keeps P2 2024 (0.30 exactly)
    expect(v, "T10", 2023, "national_mean", 0.175)          # (0.2 + 0.15) / 2
    expect(v, "T10", 2023, "provincial_mean", None)
    expect(v, "T10", 2024, "provincial_mean", 0.25)         # 0.2, 0.3
    expect(v, "T10", 2024, "n", 3)
    # T11 latest year 2024: provincial [0.2, 0.3]
    expect(v, "T11", "provincial", "p75", 0.275)
    expect(v, "T11", "provincial", "p90", 0.29)
    expect(v, "T11", "national", "n", 1)
    expect(v, "T11", "gap_pp", "p90", -19)
    absent(v, "T11", "gap_pp", "n")
    # T12
    expect(v, "T12", "high_scale_high_innovation", "count", 2)
    expect(v, "T12", "high_scale_high_innovation", "national_share", 1.0)
    expect(v, "T12", "low_scale_high_innovation", "count", 1)   # P4: 51 staff, 70 patents
    expect(v, "T12", "total", "count", 6)
    # T13: 广东省 2, 江苏省 2, 北京市 1, 浙江省 1 → ranks 1 1 3 3
    expect(v, "T13", "江苏省", "rank", 1)
    expect(v, "T13", "广东省", "rank", 1)
    expect(v, "T13", "浙江省", "rank", 3)
    expect(v, "T13", "北京市", "rank", 3)
    expect(v, "T13", "江苏省", "national_share", 0.5)
    # T14
    expect(v, "T14", "长三角", "count", 3)
    expect(v, "T14", "长三角", "national_share", 1 / 3)
    expect(v, "T14", "京津冀", "share", 1 / 6)
    # T15: division 39 = N1 P1 (长三角), N2 P4 (珠三角)
    expect(v, "T15", "39", "长三角", 2 / 3)
    expect(v, "T15", "39", "珠三角", 1.0)
    expect(v, "T15", "73", "京津冀", 1.0)
    # T16/T17
    expect(v, "T16", "深圳市", "median_patents", 65)
    expect(v, "T17", "39", "count", 4)
    # T18: counts 397:2 398:2 651:1 732:1, P90 = 2 → 397/398 top decile; share 0.5 > 1/3
    expect(v, "T18", "397", "type", "双高型")
    expect(v, "T18", "398", "national_share", 0.5)
    expect(v, "T18", "651", "type", None)
    absent(v, "T19")
    # T20 diagonal and one pairwise cell (reg_capital × staff, P4 left out)
    expect(v, "T20", "staff", "staff", 1.0)
    regs, staff = [12000, 8000, 2000, 500, 3000], [150, 600, 40, 80, 1200]
    mx, my = sum(regs) / 5, sum(staff) / 5
    sxy = sum((a - mx) * (b - my) for a, b in zip(regs, staff))
    r = sxy / math.sqrt(sum((a - mx) ** 2 for a in regs) * sum((b - my) ** 2 for b in staff))
    expect(v, "T20", "reg_capital", "staff", r)
    # T21: apps national 20, provincial [8,5,1,20] → 6.5 → 3.08 高; software 7 / 3 → 中
    expect(v, "T21", "invention_apps", "label", "高")
    expect(v, "T21", "software_copyrights", "label", "中")
    expect(v, "T21", "staff", "multiple", 375 / 65.5)
    expect(v, "T21", "staff", "label", "极高")
    # T22 (no filter): N1 0.4, P2 0.3 | P1 0.2 | N2 0.1
    expect(v, "T22", ">=25%", "count", 2)
    expect(v, "T22", ">=25%", "median_patents", 75)
    expect(v, "T22", "<15%", "national_share", 1.0)
    expect(v, "T22", "total", "count", 4)
    # T23: provincial / national medians × 100
    expect(v, "T23", "技术实力", "score", 20 / 90 * 100)
    expect(v, "T23", "创新规模", "gap", 100 - 65.5 / 375 * 100)
    # T24: N1 score 25+30+6+20+5.714 = 86.7, ratio 0.4 → 双高型; N2 74.8 / 0.1,
    # P1 14.1 / 0.2, P2 31.1 / 0.3 → 其他; P3 (no ratio), P4 (no reg) left out
    expect(v, "T24", "双高型", "count", 1)
    expect(v, "T24", "其他", "count", 3)
    expect(v, "T24", "基础型", "share", 0.0)
    expect(v, "T24", "total", "count", 4)
    # T25: 电子核心产业 = N1 (398), N2, P4 (397), P1 (398); ratios 0.4, 0.1, 0.2
    expect(v, "T25", "电子核心产业", "n", 4)
    expect(v, "T25", "电子核心产业", "mean_rd_ratio", (0.4 + 0.1 + 0.2) / 3)
    expect(v, "T25", "电子核心产业", "median_software_copyrights", 2.5)
    expect(v, "T25", "新能源", "n", 0)
    expect(v, "T25", "新能源", "median_invention_grants", None)
    expect(v, "T25", "研发服务", "mean_rd_ratio", None)
    # T26: N1 ≥85, N2 70–85 (both national), P1 < 60
    expect(v, "T26", "电子核心产业", ">=85", 1.0)
    expect(v, "T26", "电子核心产业", "60-70", None)
    expect(v, "T26", "电子核心产业", "<60", 0.0)
    # T27: high tech holders N1 N2 P2 P3 → rate 4/6, lift (2/4)/(2/6) = 1.5
    expect(v, "T27", "hon_high_tech", "rate", 4 / 6)
    expect(v, "T27", "hon_high_tech", "lift", 1.5)
    expect(v, "T27", "hon_high_tech", "quadrant", "high_rate_high_lift")
    expect(v, "T27", "hon_little_giant", "lift", 2.0)
    # T28/T29
    expect(v, "T28", "grant_rate", "national_mean", 28 / 35)
    expect(v, "T28", "std_local_industry", "champion_mean", 3)
    expect(v, "T28", "std_local_industry", "multiple", None)   # national mean 0
    expect(v, "T28", "patents_total", "multiple", 10)
    expect(v, "T28", "pct_apps", "national_mean", None)
    expect(v, "T29", "创新规模", "score", 18.75)
    expect(v, "T29", "数字化能力", "score", 7 / 30 * 100)
    # T30–T35: max grant/app/pub year 2025 (set by N2's utility model)
    expect(v, "T30", "仪器仪表制造", "count", 1)
    expect(v, "T30", "total", "count", 1)
    absent(v, "T30", "医药")                                   # champion's patent
    expect(v, "T31", 2023, "applications_per_enterprise", 1.0)  # 2 / 2 national
    expect(v, "T31", 2024, "grants_per_enterprise", 0.5)
    expect(v, "T31", 2025, "applications_per_enterprise", 0.0)
    absent(v, "T31", 2022)
    expect(v, "T32", 2020, "rate", 1.0)
    expect(v, "T32", 2021, "rate", None)
    expect(v, "T32", 2021, "n", 0)
    expect(v, "T32", 2023, "rate", 0.0)
    absent(v, "T32", 2019)
    expect(v, "T33", "H01L", "share", 2 / 3)
    expect(v, "T33", "G01N", "count", 1)                       # g01n21/01 normalised
    expect(v, "T34", 2020, "count", 0)
    expect(v, "T34", 2024, "applicants", 1)
    expect(v, "T35", "WO", "share", 0.5)
    absent(v, "T35", "EP")                                     # provincial filing
    expect(v, "T35", "total", "count", 2)
    return v


def test_zh_equivalent(tiny):
    """Chinese headers and values, GB18030, reversed columns: same values."""
    zh = run_fixture("tiny_zh")
    import io
    buf = io.StringIO()
    p, f = compare.compare(tiny, zh, out=buf)
    check(f == 0 and p == len(tiny), "tiny_zh equals tiny: " + buf.getvalue()[:500])


def test_no_optional():
    v = run_fixture("no_optional")
    for t in ("T09", "T10", "T11", "T22", "T24", "T25",
              "T30", "T31", "T32", "T33", "T34", "T35"):
        absent(v, t)
    expect(v, "T01", "total", "count", 6)
    expect(v, "T26", "电子核心产业", ">=85", 1.0)      # T26 needs no financials


def test_empty_optional():
    """Header-only financials and patents: no years, empty windows."""
    v = run_fixture("empty_optional")
    absent(v, "T09")
    absent(v, "T10")
    expect(v, "T11", "national", "n", 0)
    expect(v, "T11", "national", "mean", None)
    expect(v, "T22", "total", "count", 0)
    expect(v, "T22", ">=25%", "share", None)
    expect(v, "T24", "total", "count", 0)
    expect(v, "T30", "total", "count", 0)
    absent(v, "T31")
    absent(v, "T32")
    expect(v, "T35", "total", "count", 0)


def test_single():
    v = run_fixture("single")
    expect(v, "T01", "national", "share", 1.0)
    expect(v, "T01", "provincial", "count", 0)
    expect(v, "T01", "provincial", "share", 0.0)
    expect(v, "T02", "provincial", "median", None)
    expect(v, "T02", "multiple", "median", None)
    expect(v, "T13", "上海市", "rank", 1)
    expect(v, "T20", "staff", "staff", None)     # one pair: no correlation
    expect(v, "T23", "技术实力", "score", None)  # no provincial median
    # T24 score: every value equals the national median → 100; ratio 0.2 → 高产出型
    expect(v, "T24", "高产出型", "count", 1)
    expect(v, "T28", "staff", "champion_mean", None)
    expect(v, "T29", "创新规模", "score", None)


def test_ties():
    v = run_fixture("ties")
    # 12 divisions: 34 ×3, 35 ×3, then 10 divisions ×1 → top 10 = 34, 35 and the
    # first 8 of the singles by ascending code
    t15 = sorted({k[1] for k in v if k[0] == "T15"})
    check(t15 == ["13", "14", "15", "17", "18", "19", "20", "21", "34", "35"],
          "T15 top-10 ties by ascending code: %r" % t15)
    expect(v, "T13", "江苏省", "rank", 1)
    expect(v, "T13", "浙江省", "rank", 1)
    expect(v, "T13", "上海市", "rank", 3)
    expect(v, "T13", "广东省", "rank", 3)
    expect(v, "T13", "北京市", "rank", 3)
    expect(v, "T13", "天津市", "rank", 6)
    # T33: 11 subclasses, A01B ×2 and ten others ×1: top 10 drops the largest key
    expect(v, "T33", "A01B", "count", 2)
    absent(v, "T33", "H04B")
    expect(v, "T33", "total", "count", 12)
    expect(v, "T33", "A01B", "share", 2 / 12)
    # latest financial year comes from a champion row (2025): P has no ratio there
    expect(v, "T11", "national", "n", 0)
    expect(v, "T22", "total", "count", 0)


def test_allmissing():
    """All reg_capital / software_copyrights empty, zero medians, quoted names."""
    v = run_fixture("allmissing")
    expect(v, "T01", "total", "count", 5)           # quoted name with newline parsed
    expect(v, "T02", "national", "n", 0)
    expect(v, "T02", "national", "median", None)
    expect(v, "T02", "multiple", "mean", None)
    expect(v, "T20", "reg_capital", "staff", None)
    expect(v, "T08", "national", "relative_gap", None)   # without-eval median 0
    expect(v, "T08", "provincial", "relative_gap", -0.6)  # 1 / 2.5 − 1
    expect(v, "T09", 2022, "provincial_median", 400 / 500 - 1)
    expect(v, "T09", 2022, "national_n", 0)               # A1 2022 revenue empty
    expect(v, "T10", 2022, "national_mean", 0.3)          # 90/300 kept by [0, 0.30]
    expect(v, "T10", 2022, "provincial_mean", 0.125)      # 0.1, 0.15 (0.4 dropped)
    expect(v, "T11", "provincial", "p75", 0.1375)
    expect(v, "T23", "技术实力", "score", 80)             # 8 / 10
    expect(v, "T23", "创新规模", "score", 501 / 195 * 100)  # may exceed 100
    expect(v, "T23", "创新质量", "score", None)           # national median 0
    expect(v, "T24", "total", "count", 0)                 # no score without software
    expect(v, "T24", "双高型", "share", None)
    expect(v, "T29", "技术实力", "score", None)           # champion means empty
    expect(v, "T32", 2019, "n", 0)                        # pending only
    expect(v, "T34", 2023, "count", 0)                    # JP row has no pub_year
    expect(v, "T35", "total", "count", 0)


def main():
    test_helpers()
    tiny = test_tiny()
    test_zh_equivalent(tiny)
    test_no_optional()
    test_empty_optional()
    test_single()
    test_ties()
    test_allmissing()
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 0 if FAILED == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
