#!/usr/bin/env python3
"""Independent reference implementation of docs/tables.md (srdi-report).

Usage:
    python3 srdi_tables.py DATA_DIR OUT_VALUES_CSV [--ref REFDIR]

Reads DATA_DIR/enterprises.csv (required), financials.csv and patents.csv
(optional) as described in docs/data.md, and the reference CSVs
(default: <repo>/templates/report-2026/reference), computes the 35 tables of
docs/tables.md with their default parameters and writes values.csv in the long
format ``table,row,column,value``.

This file is written from the specification only (docs/tables.md, docs/data.md); it
deliberately does not follow the C code in src/tables.  Interpretations of
ambiguous points are listed in QUESTIONS.md next to this file.

Python 3.11 standard library only.
"""

import argparse
import csv
import math
import os
import sys

# --------------------------------------------------------------------------
# Parameters (docs/tables.md defaults)
# --------------------------------------------------------------------------

PARAMS = {
    "t02_threshold": 10000.0,
    "t03_edges": [50, 100, 200, 500, 1000],
    "t03_keys": ["0-50", "51-100", "101-200", "201-500", "501-1000", ">1000"],
    "rd_filter_lo": 0.0,
    "rd_filter_hi": 0.30,
    "t12_staff": 100.0,
    "t12_patents": 50.0,
    "t15_top": 10,
    "t18_decile": 0.9,
    "t18_high_share": 1.5,
    "t19_min_count": 300,
    "t19_min_share": 0.15,
    "t21_very_high": 4.0,
    "t21_high": 2.5,
    "rd_band_hi": 0.25,
    "rd_band_lo": 0.15,
    "score_hi": 80.0,
    "score_lo": 60.0,
    "t26_bands": [85.0, 70.0, 60.0],
    "t27_rate": 0.5,
    "t27_lift": 1.5,
    "t30_years": 3,
    "t30_top": 10,
    "t31_years": 3,
    "t32_years": 6,
    "t33_years": 3,
    "t33_top": 10,
    "t34_years": 6,
    "t35_years": 3,
}

# --------------------------------------------------------------------------
# Column definitions (docs/data.md order)
# --------------------------------------------------------------------------

ENT_TEXT = [
    ("id", "统一社会信用代码"),
    ("name", "企业名称"),
    ("level", "层级"),
    ("province", "省份"),
    ("city", "城市"),
    ("industry_code", "行业代码"),
]

# (name, chinese alias, kind) kind: num / int / flag
ENT_NUM = [
    ("reg_capital", "注册资本（万元）", "num"),
    ("staff", "参保人数", "int"),
    ("rd_staff", "研发人员数", "int"),
    ("hon_little_giant", "专精特新小巨人", "flag"),
    ("hon_high_tech", "高新技术企业", "flag"),
    ("hon_tech_center", "企业技术中心", "flag"),
    ("hon_tech_sme", "科技型中小企业", "flag"),
    ("hon_champion", "制造业单项冠军", "flag"),
    ("hon_eng_center", "工程技术研究中心", "flag"),
    ("hon_gazelle", "瞪羚企业", "flag"),
    ("hon_unicorn", "独角兽企业", "flag"),
    ("hon_green_factory", "绿色工厂", "flag"),
    ("hon_cnas", "CNAS认证", "flag"),
    ("std_national", "国家标准数", "int"),
    ("std_industry", "行业标准数", "int"),
    ("std_local", "地方标准数", "int"),
    ("std_group", "团体标准数", "int"),
    ("patents_total", "专利总量", "int"),
    ("invention_apps", "发明申请量", "int"),
    ("invention_grants", "发明授权量", "int"),
    ("invention_rejected", "发明驳回量", "int"),
    ("utility_models", "实用新型", "int"),
    ("software_copyrights", "软件著作权", "int"),
    ("class1_ip", "I类知识产权", "int"),
    ("pct_apps", "PCT申请量", "int"),
    ("foreign_patents", "涉外专利量", "int"),
    ("high_value_inventions", "有效高价值发明专利", "int"),
    ("citations_avg", "发明专利被引用平均次数", "num"),
    ("awarded_patents", "获奖发明专利", "int"),
    ("standard_patents", "标准发明专利", "int"),
    ("inventors", "专利发明人数量", "int"),
    ("coop_patents", "高校科研院所合作专利", "int"),
    ("pledged_patents", "质押融资专利", "int"),
    ("licensed_patents", "许可专利", "int"),
    ("litigated_patents", "诉讼维权专利", "int"),
    ("digital_patents", "有效数字化技术专利", "int"),
]

ENT_TECH = ("tech_eval", "科技成果评价")

HONORS = [c[0] for c in ENT_NUM if c[0].startswith("hon_")]

FIN_COLS = [
    ("id", "统一社会信用代码"),
    ("year", "年度"),
    ("revenue", "营业收入（万元）"),
    ("rd_expense", "研发费用（万元）"),
]

PAT_COLS = [
    ("id", "统一社会信用代码"),
    ("patent_no", "专利号"),
    ("kind", "专利类型"),
    ("office", "受理局"),
    ("app_year", "申请年"),
    ("pub_year", "公开年"),
    ("status", "法律状态"),
    ("grant_year", "授权年"),
    ("ipc", "主IPC"),
    ("field", "产业领域"),
]

LEVELS = {
    "provincial": "provincial", "省级": "provincial",
    "national": "national", "国家级": "national",
    "champion": "champion", "单项冠军": "champion",
}

TECH_EVAL = {
    "intl_advanced": "intl_advanced", "国际先进": "intl_advanced",
    "国际领先": "intl_advanced", "国际先进/领先": "intl_advanced",
    "domestic_advanced": "domestic_advanced", "国内先进": "domestic_advanced",
    "国内领先": "domestic_advanced", "国内先进/领先": "domestic_advanced",
    "intl_level": "intl_level", "达到国际水平": "intl_level",
    "domestic_level": "domestic_level", "达到国内水平": "domestic_level",
}
TECH_KEYS = ["intl_advanced", "domestic_advanced", "intl_level", "domestic_level"]

FLAG_TRUE = {"1", "是", "y", "yes", "true"}
FLAG_FALSE = {"0", "否", "n", "no", "false"}

KIND = {"invention": "invention", "发明": "invention",
        "utility": "utility", "实用新型": "utility",
        "design": "design", "外观设计": "design"}
STATUS = {"granted": "granted", "授权": "granted",
          "pending": "pending", "审中": "pending",
          "rejected": "rejected", "驳回": "rejected",
          "withdrawn": "withdrawn", "撤回": "withdrawn"}

# T23/T24/T29 dimensions: (key, column, weight)
DIMENSIONS = [
    ("技术实力", "patents_total", 25.0),
    ("创新质量", "invention_grants", 30.0),
    ("创新规模", "staff", 15.0),
    ("资本实力", "reg_capital", 20.0),
    ("数字化能力", "software_copyrights", 10.0),
]

T20_COLS = ["patents_total", "invention_apps", "invention_grants", "staff",
            "reg_capital"]
T21_COLS = ["reg_capital", "staff", "patents_total", "invention_apps",
            "invention_grants", "software_copyrights"]
T28_COLS = ["patents_total", "invention_apps", "pct_apps", "foreign_patents",
            "invention_grants", "grant_rate", "high_value_inventions",
            "citations_avg", "awarded_patents", "standard_patents", "staff",
            "inventors", "coop_patents", "reg_capital", "pledged_patents",
            "licensed_patents", "litigated_patents", "std_national",
            "std_local_industry", "std_group", "software_copyrights",
            "digital_patents"]
CLUSTERS = ["京津冀", "长三角", "珠三角"]

# --------------------------------------------------------------------------
# Input parsing
# --------------------------------------------------------------------------

_FW = {ord("０") + i: ord("0") + i for i in range(10)}
_FW.update({ord("．"): ord("."), ord("，"): ord(","), ord("－"): ord("-"),
            ord("＋"): ord("+")})


def _norm_header(h):
    """Header as matched: BOM and surrounding spaces removed, full-width
    parentheses folded to ASCII (so 注册资本(万元) also matches)."""
    h = h.replace("\ufeff", "").strip()
    return h.replace("（", "(").replace("）", ")")


def _detect_encoding(path):
    """UTF-8 (BOM optional) when the whole file decodes as UTF-8, else GB18030.
    Checked in chunks so large files are never held whole."""
    import codecs
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    dec.decode(b"", final=True)
                    break
                dec.decode(chunk)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def read_csv(path):
    """Open a CSV file (UTF-8 with/without BOM, else GB18030).  Returns the
    normalised header and an iterator of dicts keyed by it (rows stream)."""
    f = open(path, encoding=_detect_encoding(path), newline="")
    rd = csv.reader(f)
    first = next(rd, None)
    if first is None:
        f.close()
        return [], iter(())
    header = [_norm_header(h) for h in first]

    def rows():
        with f:
            for r in rd:
                if len(r) == 0 or (len(r) == 1 and r[0].strip() == ""):
                    continue
                d = {}
                for i, h in enumerate(header):
                    d[h] = r[i] if i < len(r) else ""
                yield d
    return header, rows()


def _column_map(header, cols):
    """Map English column name → header as present (English or Chinese)."""
    m = {}
    for c in cols:
        eng, zh = c[0], c[1]
        for cand in (eng, _norm_header(zh)):
            if cand in header:
                m[eng] = cand
                break
    return m


def parse_number(s):
    """Number per docs/data.md: thousands separators and full-width digits
    allowed; empty = missing (None)."""
    if s is None:
        return None
    s = s.translate(_FW).strip()
    if s == "":
        return None
    s = s.replace(",", "")
    return float(s)


def parse_flag(s):
    if s is None:
        return None
    t = s.translate(_FW).strip().lower()
    if t == "":
        return None
    if t in FLAG_TRUE:
        return 1.0
    if t in FLAG_FALSE:
        return 0.0
    return float(t)


def parse_int(s):
    v = parse_number(s)
    return None if v is None else int(v)


class Reference:
    """Reference data: classification, provinces, strategic domains."""

    def __init__(self, refdir):
        _, cls = read_csv(os.path.join(refdir, "gbt4754_2017.csv"))
        self.classes = {r["code"] for r in cls if r["level"] == "class"}
        _, prov = read_csv(os.path.join(refdir, "provinces.csv"))
        self.province_full = {}
        self.cluster = {}
        for r in prov:
            self.province_full[r["name"].strip()] = r["name"].strip()
            if r.get("short", "").strip():
                self.province_full[r["short"].strip()] = r["name"].strip()
            self.cluster[r["name"].strip()] = r.get("cluster", "").strip()
        _, dom = read_csv(os.path.join(refdir, "strategic_domains.csv"))
        self.domain_prefix = [(r["prefix"].strip(), r["domain"].strip())
                              for r in dom]
        self.domains = []
        self._dom_cache = {}
        for _, d in self.domain_prefix:
            if d not in self.domains:
                self.domains.append(d)

    def domain_of(self, code):
        """Strategic domain by longest matching prefix, or None (cached)."""
        if code in self._dom_cache:
            return self._dom_cache[code]
        d = self._domain_of(code)
        self._dom_cache[code] = d
        return d

    def _domain_of(self, code):
        best = None
        for p, d in self.domain_prefix:
            if code.startswith(p) and (best is None or len(p) > len(best[0])):
                best = (p, d)
        return best[1] if best else None


def norm_code(s):
    """Industry code without the section letter."""
    s = s.translate(_FW).strip()
    if s and s[0].isalpha():
        s = s[1:]
    return s


class Data:
    """Loaded data set."""

    def __init__(self, datadir, ref):
        self.ref = ref
        self.ents = []
        self.by_id = {}
        header, rows = read_csv(os.path.join(datadir, "enterprises.csv"))
        m = _column_map(header, ENT_TEXT + ENT_NUM + [ENT_TECH])
        for r in rows:
            e = {}
            for eng, _ in ENT_TEXT:
                e[eng] = r.get(m.get(eng, "\0"), "").strip()
            if e["id"] in self.by_id or e["id"] == "":
                continue  # duplicate: row error on the C side
            e["level"] = LEVELS.get(e["level"], LEVELS.get(e["level"].lower()))
            e["province"] = ref.province_full.get(e["province"], e["province"])
            e["industry_code"] = norm_code(e["industry_code"])
            for eng, _, kind in ENT_NUM:
                raw = r.get(m.get(eng, "\0"), "")
                e[eng] = parse_flag(raw) if kind == "flag" else parse_number(raw)
            te = r.get(m.get("tech_eval", "\0"), "").strip()
            e["tech_eval"] = TECH_EVAL.get(te, TECH_EVAL.get(te.lower())) if te else None
            if e["level"] == "national":
                e["hon_little_giant"] = 1.0
            self.by_id[e["id"]] = e
            self.ents.append(e)

        # financials
        self.has_fin = os.path.exists(os.path.join(datadir, "financials.csv"))
        self.fin = {}  # (id, year) -> (revenue, rd_expense)
        if self.has_fin:
            header, rows = read_csv(os.path.join(datadir, "financials.csv"))
            m = _column_map(header, FIN_COLS)
            for r in rows:
                i = r.get(m.get("id", "\0"), "").strip()
                if i not in self.by_id:
                    continue
                y = parse_int(r.get(m.get("year", "\0"), ""))
                if y is None or (i, y) in self.fin:
                    continue
                self.fin[(i, y)] = (parse_number(r.get(m.get("revenue", "\0"), "")),
                                    parse_number(r.get(m.get("rd_expense", "\0"), "")))
        self.latest = max((y for (_, y) in self.fin), default=None)

        # patents: stream; keep only national-level invention rows (the only
        # ones T30–T35 count) and the maximum years over all rows.
        self.has_pat = os.path.exists(os.path.join(datadir, "patents.csv"))
        self.pats = []
        self.max_app = self.max_grant = self.max_pub = None
        if self.has_pat:
            header, rows = read_csv(os.path.join(datadir, "patents.csv"))
            m = _column_map(header, PAT_COLS)
            nat = {e["id"] for e in self.ents if e["level"] == "national"}

            def g(r, k):
                return r.get(m.get(k, "\0"), "").strip()

            def mx(a, b):
                return b if a is None or (b is not None and b > a) else a
            for r in rows:
                i = g(r, "id")
                if i not in self.by_id:
                    continue
                app_y = parse_int(g(r, "app_year"))
                pub_y = parse_int(g(r, "pub_year"))
                grant_y = parse_int(g(r, "grant_year"))
                self.max_app = mx(self.max_app, app_y)
                self.max_pub = mx(self.max_pub, pub_y)
                self.max_grant = mx(self.max_grant, grant_y)
                if i not in nat:
                    continue
                kind = KIND.get(g(r, "kind"), KIND.get(g(r, "kind").lower()))
                if kind != "invention":
                    continue
                status = STATUS.get(g(r, "status"), STATUS.get(g(r, "status").lower()))
                self.pats.append({
                    "id": i,
                    "kind": kind,
                    "office": g(r, "office").upper(),
                    "app_year": app_y,
                    "pub_year": pub_y,
                    "status": status,
                    "grant_year": grant_y,
                    "ipc": g(r, "ipc"),
                    "field": g(r, "field"),
                })

    def ratio(self, eid, year):
        """R&D ratio of an enterprise in a year, or None."""
        f = self.fin.get((eid, year))
        if f is None:
            return None
        rev, rd = f
        if rev is None or rd is None or not rev > 0:
            return None
        return rd / rev

    def growth(self, eid, year):
        a = self.fin.get((eid, year))
        b = self.fin.get((eid, year - 1))
        if a is None or b is None:
            return None
        if a[0] is None or b[0] is None or not b[0] > 0:
            return None
        return a[0] / b[0] - 1


# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------

def present(vals):
    return [v for v in vals if v is not None]


def median(vals):
    v = sorted(present(vals))
    n = len(v)
    if n == 0:
        return None
    if n % 2 == 1:
        return v[n // 2]
    return (v[n // 2 - 1] + v[n // 2]) / 2


def percentile(vals, p):
    """Excel PERCENTILE.INC / numpy linear."""
    v = sorted(present(vals))
    n = len(v)
    if n == 0:
        return None
    h = (n - 1) * p
    lo = math.floor(h)
    if lo >= n - 1:
        return v[n - 1]
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def mean(vals):
    v = present(vals)
    if not v:
        return None
    return sum(v) / len(v)


def div(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


SHARE_DECIMALS = 2  # params.ini [numbers] share_decimals of the default template


def pp(a, b):
    """The pp gap of the two shares as printed: each in percent rounded to
    SHARE_DECIMALS first (as C's printf rounds), the difference rounded too."""
    if a is None or b is None:
        return None
    ra = float("%.*f" % (SHARE_DECIMALS, a * 100))
    rb = float("%.*f" % (SHARE_DECIMALS, b * 100))
    return float("%.*f" % (SHARE_DECIMALS, ra - rb))


def pearson(xs, ys):
    pairs = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]
    n = len(pairs)
    if n < 2:
        return None
    mx = sum(p[0] for p in pairs) / n
    my = sum(p[1] for p in pairs) / n
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pairs)
    sxx = sum((p[0] - mx) ** 2 for p in pairs)
    syy = sum((p[1] - my) ** 2 for p in pairs)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def sum_or_none(parts):
    if any(p is None for p in parts):
        return None
    return sum(parts)


def top_n(counts, n):
    """Keys of a {key: count} dict by count descending, ties by ascending key."""
    keys = sorted(counts, key=lambda k: (-counts[k], k))
    return keys if n is None else keys[:n]


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

class Out:
    def __init__(self):
        self.rows = []

    def put(self, table, row, col, value):
        self.rows.append((table, str(row), col, value))


def std_sum(e):
    return sum_or_none([e["std_national"], e["std_industry"], e["std_local"],
                        e["std_group"]])


def compute(data, out):
    P = [e for e in data.ents if e["level"] in ("national", "provincial")]
    NAT = [e for e in P if e["level"] == "national"]
    PRV = [e for e in P if e["level"] == "provincial"]
    CH = [e for e in data.ents if e["level"] == "champion"]
    by_level = {"national": NAT, "provincial": PRV}
    nP = len(P)
    nat_share_P = div(len(NAT), nP)

    def col(rows, c):
        return [e[c] for e in rows]

    # T01
    for lv, rows in (("national", NAT), ("provincial", PRV), ("total", P)):
        out.put("T01", lv, "count", len(rows))
        out.put("T01", lv, "share", div(len(rows), nP))

    # T02
    st = {}
    thr = PARAMS["t02_threshold"]
    for lv, rows in by_level.items():
        v = present(col(rows, "reg_capital"))
        st[lv] = (len(v), median(v), mean(v),
                  div(sum(1 for x in v if x >= thr), len(v)))
        out.put("T02", lv, "n", st[lv][0])
        out.put("T02", lv, "median", st[lv][1])
        out.put("T02", lv, "mean", st[lv][2])
        out.put("T02", lv, "share_ge_10000", st[lv][3])
    out.put("T02", "multiple", "median", div(st["national"][1], st["provincial"][1]))
    out.put("T02", "multiple", "mean", div(st["national"][2], st["provincial"][2]))
    out.put("T02", "gap_pp", "share_ge_10000", pp(st["national"][3], st["provincial"][3]))

    # T03
    edges = PARAMS["t03_edges"]
    keys = PARAMS["t03_keys"]

    def band(s):
        for i, e in enumerate(edges):
            if s <= e:
                return i
        return len(edges)
    shares = {}
    for lv, rows in by_level.items():
        v = present(col(rows, "staff"))
        cnt = [0] * len(keys)
        for s in v:
            cnt[band(s)] += 1
        shares[lv] = [div(c, len(v)) for c in cnt]
        out.put("T03", lv, "median", median(v))
        out.put("T03", lv, "n", len(v))
    for i, k in enumerate(keys):
        out.put("T03", k, "national_share", shares["national"][i])
        out.put("T03", k, "provincial_share", shares["provincial"][i])
        out.put("T03", k, "gap_pp", pp(shares["national"][i], shares["provincial"][i]))

    # T04
    for h in HONORS:
        rn = mean(col(NAT, h))
        rp = mean(col(PRV, h))
        out.put("T04", h, "national_rate", rn)
        out.put("T04", h, "provincial_rate", rp)
        out.put("T04", h, "gap_pp", pp(rn, rp))
        out.put("T04", h, "multiple", div(rn, rp))

    # T05
    for lv, rows in (("national", NAT), ("provincial", PRV), ("total", P)):
        sums = present([std_sum(e) for e in rows])
        holders = [s for s in sums if s > 0]
        out.put("T05", lv, "n", len(sums))
        out.put("T05", lv, "rate", div(len(holders), len(sums)))
        out.put("T05", lv, "mean_among_holders", mean(holders))

    # T06
    for lv, rows in by_level.items():
        for grp, test in (("with_std", lambda s: s > 0), ("without_std", lambda s: s == 0)):
            g = [e for e in rows if std_sum(e) is not None and test(std_sum(e))]
            key = lv + "_" + grp
            out.put("T06", key, "median_patents", median(col(g, "patents_total")))
            out.put("T06", key, "median_invention_grants", median(col(g, "invention_grants")))
            outcomes = [sum_or_none([e["patents_total"], e["software_copyrights"], std_sum(e)])
                        for e in g]
            out.put("T06", key, "median_outcomes", median(outcomes))
            out.put("T06", key, "n", len(g))

    # T07
    for lv, rows in by_level.items():
        out.put("T07", lv, "n", len(rows))
    for t in TECH_KEYS:
        sn = div(sum(1 for e in NAT if e["tech_eval"] == t), len(NAT))
        sp = div(sum(1 for e in PRV if e["tech_eval"] == t), len(PRV))
        out.put("T07", t, "national_share", sn)
        out.put("T07", t, "provincial_share", sp)
        out.put("T07", t, "gap_pp", pp(sn, sp))
        out.put("T07", t, "multiple", div(sn, sp))

    # T08
    for lv, rows in by_level.items():
        w = median([e["invention_grants"] for e in rows if e["tech_eval"] is not None])
        wo = median([e["invention_grants"] for e in rows if e["tech_eval"] is None])
        out.put("T08", lv, "with_eval_median", w)
        out.put("T08", lv, "without_eval_median", wo)
        rel = div(w, wo)
        out.put("T08", lv, "relative_gap", None if rel is None else rel - 1)

    latest = data.latest
    years = sorted({y for (_, y) in data.fin})

    if data.has_fin:
        # T09
        for y in years:
            g = {lv: present([data.growth(e["id"], y) for e in rows])
                 for lv, rows in by_level.items()}
            if not g["national"] and not g["provincial"]:
                continue
            for lv in ("national", "provincial"):
                out.put("T09", y, lv + "_median", median(g[lv]))
                out.put("T09", y, lv + "_n", len(g[lv]))

        lo, hi = PARAMS["rd_filter_lo"], PARAMS["rd_filter_hi"]

        def filt(rows, y):
            r = present([data.ratio(e["id"], y) for e in rows])
            return [x for x in r if lo <= x <= hi]

        # T10
        for y in years:
            f = {lv: filt(rows, y) for lv, rows in by_level.items()}
            if not f["national"] and not f["provincial"]:
                continue
            for lv in ("national", "provincial"):
                out.put("T10", y, lv + "_mean", mean(f[lv]))
                out.put("T10", y, lv + "_n", len(f[lv]))
            out.put("T10", y, "n", len(f["national"]) + len(f["provincial"]))

        # T11
        st = {}
        for lv, rows in by_level.items():
            f = filt(rows, latest) if latest is not None else []
            st[lv] = {"mean": mean(f), "p50": percentile(f, 0.5),
                      "p75": percentile(f, 0.75), "p90": percentile(f, 0.9)}
            for k, v in st[lv].items():
                out.put("T11", lv, k, v)
            out.put("T11", lv, "n", len(f))
        for k in ("mean", "p50", "p75", "p90"):
            out.put("T11", "gap_pp", k, pp(st["national"][k], st["provincial"][k]))

    # T12
    quad = {}
    for e in P:
        if e["staff"] is None or e["patents_total"] is None:
            continue
        hs = "high_scale" if e["staff"] > PARAMS["t12_staff"] else "low_scale"
        hi_ = "high_innovation" if e["patents_total"] > PARAMS["t12_patents"] else "low_innovation"
        quad.setdefault(hs + "_" + hi_, []).append(e)
    tot = sum(len(v) for v in quad.values())
    for q in ("high_scale_high_innovation", "low_scale_high_innovation",
              "high_scale_low_innovation", "low_scale_low_innovation"):
        g = quad.get(q, [])
        out.put("T12", q, "count", len(g))
        out.put("T12", q, "share", div(len(g), tot))
        out.put("T12", q, "national_share",
                div(sum(1 for e in g if e["level"] == "national"), len(g)))
    out.put("T12", "total", "count", tot)

    # T13
    # "lists every province": every province of provinces.csv, count 0 included
    prov = {name: [] for name in data.ref.cluster}
    for e in P:
        prov.setdefault(e["province"], []).append(e)
    order = top_n({k: len(v) for k, v in prov.items()}, None)
    rank = 0
    prev = None
    for i, k in enumerate(order):
        c = len(prov[k])
        if c != prev:
            rank = i + 1
            prev = c
        out.put("T13", k, "rank", rank)
        out.put("T13", k, "count", c)
        out.put("T13", k, "share", div(c, nP))
        out.put("T13", k, "national_share",
                div(sum(1 for e in prov[k] if e["level"] == "national"), c))

    # T14
    clus = {c: [] for c in CLUSTERS}
    for e in P:
        c = data.ref.cluster.get(e["province"], "")
        if c in clus:
            clus[c].append(e)
    for c in CLUSTERS:
        g = clus[c]
        out.put("T14", c, "count", len(g))
        out.put("T14", c, "share", div(len(g), nP))
        out.put("T14", c, "national_share",
                div(sum(1 for e in g if e["level"] == "national"), len(g)))

    # T15 / T17
    divs = {}
    for e in P:
        divs.setdefault(e["industry_code"][:2], []).append(e)
    for d in top_n({k: len(v) for k, v in divs.items()}, PARAMS["t15_top"]):
        for c in CLUSTERS:
            out.put("T15", d, c, div(sum(1 for e in clus[c] if e["industry_code"][:2] == d),
                                     len(clus[c])))
    for d in top_n({k: len(v) for k, v in divs.items()}, None):
        out.put("T17", d, "count", len(divs[d]))
        out.put("T17", d, "share", div(len(divs[d]), nP))

    # T16
    cities = {}
    for e in P:
        cities.setdefault(e["city"], []).append(e)
    for c in top_n({k: len(v) for k, v in cities.items()}, None):
        out.put("T16", c, "count", len(cities[c]))
        out.put("T16", c, "share", div(len(cities[c]), nP))
        out.put("T16", c, "median_patents", median(col(cities[c], "patents_total")))

    # T18
    groups = {}
    for e in P:
        groups.setdefault(e["industry_code"][:3], []).append(e)
    if groups:
        p90 = percentile([len(v) for v in groups.values()], PARAMS["t18_decile"])
        for gk in top_n({k: len(v) for k, v in groups.items()}, None):
            g = groups[gk]
            ns = div(sum(1 for e in g if e["level"] == "national"), len(g))
            top = len(g) >= p90
            typ = None
            if top and ns is not None and nat_share_P is not None and ns > nat_share_P:
                typ = "双高型"
            elif ns is not None and nat_share_P is not None and \
                    ns >= PARAMS["t18_high_share"] * nat_share_P:
                typ = "高占比型"
            elif top:
                typ = "高基数型"
            out.put("T18", gk, "count", len(g))
            out.put("T18", gk, "national_share", ns)
            out.put("T18", gk, "type", typ)

    # T19
    classes = {}
    for e in P:
        classes.setdefault(e["industry_code"], []).append(e)
    sel = []
    for ck, g in classes.items():
        ns = div(sum(1 for e in g if e["level"] == "national"), len(g))
        if len(g) >= PARAMS["t19_min_count"] and ns is not None and ns >= PARAMS["t19_min_share"]:
            sel.append((ck, len(g), ns))
    sel.sort(key=lambda t: (-t[2], t[0]))
    for ck, c, ns in sel:
        out.put("T19", ck, "count", c)
        out.put("T19", ck, "national_share", ns)
        out.put("T19", ck, "domain", data.ref.domain_of(ck))

    # T20
    for a in T20_COLS:
        for b in T20_COLS:
            out.put("T20", a, b, pearson(col(P, a), col(P, b)))

    # T21
    for c in T21_COLS:
        mn = median(col(NAT, c))
        mp = median(col(PRV, c))
        m = div(mn, mp)
        out.put("T21", c, "national_median", mn)
        out.put("T21", c, "provincial_median", mp)
        out.put("T21", c, "multiple", m)
        lab = None
        if m is not None:
            lab = "极高" if m >= PARAMS["t21_very_high"] else ("高" if m >= PARAMS["t21_high"] else "中")
        out.put("T21", c, "label", lab)

    # latest-year ratio for every P row (None when undefined)
    ratio = {e["id"]: (data.ratio(e["id"], latest) if latest is not None else None) for e in P}
    hi_b, lo_b = PARAMS["rd_band_hi"], PARAMS["rd_band_lo"]

    # T22
    if data.has_fin:
        bands = {">=25%": [], "15-25%": [], "<15%": []}
        for e in P:
            r = ratio[e["id"]]
            if r is None:
                continue
            bands[">=25%" if r >= hi_b else ("15-25%" if r >= lo_b else "<15%")].append(e)
        tot = sum(len(v) for v in bands.values())
        for k, g in bands.items():
            out.put("T22", k, "count", len(g))
            out.put("T22", k, "share", div(len(g), tot))
            out.put("T22", k, "median_patents", median(col(g, "patents_total")))
            out.put("T22", k, "median_invention_grants", median(col(g, "invention_grants")))
            out.put("T22", k, "national_share",
                    div(sum(1 for e in g if e["level"] == "national"), len(g)))
        out.put("T22", "total", "count", tot)

    # T23
    nat_med = {}
    for key, c, _ in DIMENSIONS:
        mn = median(col(NAT, c))
        mp = median(col(PRV, c))
        nat_med[c] = mn
        s = div(mp, mn)
        s = None if s is None else s * 100
        out.put("T23", key, "score", s)
        out.put("T23", key, "gap", None if s is None else 100 - s)

    # enterprise scores
    def score(e):
        tot_ = 0.0
        for _, c, w in DIMENSIONS:
            v = e[c]
            m = nat_med[c]
            if v is None or m is None or m == 0:
                return None
            tot_ += (w / 100) * min(100.0, 100 * v / m)
        return tot_
    scores = {e["id"]: score(e) for e in P}

    # T24
    if data.has_fin:
        types = ["双高型", "高产出型", "高投入型", "潜力型", "基础型", "其他"]
        cnt = {t: 0 for t in types}
        tot = 0
        s_hi, s_lo = PARAMS["score_hi"], PARAMS["score_lo"]
        for e in P:
            s = scores[e["id"]]
            r = ratio[e["id"]]
            if s is None or r is None:
                continue
            tot += 1
            if s >= s_hi and r >= hi_b:
                t = "双高型"
            elif s >= s_hi and lo_b <= r < hi_b:
                t = "高产出型"
            elif s_lo <= s < s_hi and r >= hi_b:
                t = "高投入型"
            elif s_lo <= s < s_hi and lo_b <= r < hi_b:
                t = "潜力型"
            elif s < s_lo and r < lo_b:
                t = "基础型"
            else:
                t = "其他"
            cnt[t] += 1
        for t in types:
            out.put("T24", t, "count", cnt[t])
            out.put("T24", t, "share", div(cnt[t], tot))
        out.put("T24", "total", "count", tot)

    # T25 / T26
    dom = {d: [] for d in data.ref.domains}
    for e in P:
        d = data.ref.domain_of(e["industry_code"])
        if d is not None:
            dom.setdefault(d, []).append(e)
    for d, g in dom.items() if data.has_fin else ():
        out.put("T25", d, "median_invention_grants", median(col(g, "invention_grants")))
        out.put("T25", d, "mean_rd_ratio", mean([ratio[e["id"]] for e in g]))
        out.put("T25", d, "median_software_copyrights", median(col(g, "software_copyrights")))
        out.put("T25", d, "n", len(g))
    b85, b70, b60 = PARAMS["t26_bands"]
    for d, g in dom.items():
        cells = {">=85": [], "70-85": [], "60-70": [], "<60": []}
        for e in g:
            s = scores[e["id"]]
            if s is None:
                continue
            k = ">=85" if s >= b85 else ("70-85" if s >= b70 else ("60-70" if s >= b60 else "<60"))
            cells[k].append(e)
        for k, c in cells.items():
            out.put("T26", d, k, div(sum(1 for e in c if e["level"] == "national"), len(c)))

    # T27
    for h in HONORS:
        have = [e for e in P if e[h] is not None]
        holders = [e for e in have if e[h] == 1]
        rate = div(len(holders), len(have))
        lift = div(div(sum(1 for e in holders if e["level"] == "national"), len(holders)),
                   nat_share_P)
        out.put("T27", h, "rate", rate)
        out.put("T27", h, "lift", lift)
        q = None
        if rate is not None and lift is not None:
            q = ("high_rate" if rate >= PARAMS["t27_rate"] else "low_rate") + "_" + \
                ("high_lift" if lift >= PARAMS["t27_lift"] else "low_lift")
        out.put("T27", h, "quadrant", q)

    # T28 / T29
    def t28_mean(rows, c):
        if c == "grant_rate":
            both = [e for e in rows if e["invention_grants"] is not None
                    and e["invention_rejected"] is not None]
            return div(sum(e["invention_grants"] for e in both),
                       sum(e["invention_grants"] + e["invention_rejected"] for e in both))
        if c == "std_local_industry":
            return mean([sum_or_none([e["std_local"], e["std_industry"]]) for e in rows])
        return mean(col(rows, c))
    t28 = {}
    for c in T28_COLS:
        mn = t28_mean(NAT, c)
        mc = t28_mean(CH, c)
        t28[c] = (mn, mc)
        out.put("T28", c, "national_mean", mn)
        out.put("T28", c, "champion_mean", mc)
        out.put("T28", c, "multiple", div(mc, mn))
    for key, c, _ in DIMENSIONS:
        s = div(t28[c][0], t28[c][1])
        out.put("T29", key, "score", None if s is None else s * 100)

    # T30–T35
    if data.has_pat:
        patents(data, out, NAT)


def _window(maxy, k):
    if maxy is None:
        return []
    return list(range(maxy - k + 1, maxy + 1))


def patents(data, out, NAT):
    nat_ids = {e["id"] for e in NAT}
    max_grant, max_app, max_pub = data.max_grant, data.max_app, data.max_pub
    ninv = [p for p in data.pats if p["id"] in nat_ids and p["kind"] == "invention"]

    # T30
    w = set(_window(max_grant, PARAMS["t30_years"]))
    fields = {}
    for p in ninv:
        if p["grant_year"] in w and p["field"] != "":
            fields[p["field"]] = fields.get(p["field"], 0) + 1
    tot = sum(fields.values())
    for f in top_n(fields, PARAMS["t30_top"]):
        out.put("T30", f, "count", fields[f])
        out.put("T30", f, "share", div(fields[f], tot))
    out.put("T30", "total", "count", tot)

    # T31
    for y in _window(max_app, PARAMS["t31_years"]):
        a = sum(1 for p in ninv if p["app_year"] == y)
        g = sum(1 for p in ninv if p["grant_year"] == y)
        out.put("T31", y, "applications_per_enterprise", div(a, len(NAT)))
        out.put("T31", y, "grants_per_enterprise", div(g, len(NAT)))

    # T32
    for y in _window(max_app, PARAMS["t32_years"]):
        gr = sum(1 for p in ninv if p["app_year"] == y and p["status"] == "granted")
        rj = sum(1 for p in ninv if p["app_year"] == y and p["status"] == "rejected")
        out.put("T32", y, "rate", div(gr, gr + rj))
        out.put("T32", y, "n", gr + rj)

    # T33
    w = set(_window(max_app, PARAMS["t33_years"]))
    ipcs = {}
    for p in ninv:
        if p["app_year"] in w:
            sub = p["ipc"].replace(" ", "").upper()[:4]
            if sub:
                ipcs[sub] = ipcs.get(sub, 0) + 1
    tot = sum(ipcs.values())
    for k in top_n(ipcs, PARAMS["t33_top"]):
        out.put("T33", k, "count", ipcs[k])
        out.put("T33", k, "share", div(ipcs[k], tot))
    out.put("T33", "total", "count", tot)

    # T34 / T35
    foreign = [p for p in ninv if p["office"] not in ("", "CN") and p["pub_year"] is not None]
    for y in _window(max_pub, PARAMS["t34_years"]):
        g = [p for p in foreign if p["pub_year"] == y]
        out.put("T34", y, "count", len(g))
        out.put("T34", y, "applicants", len({p["id"] for p in g}))
    w = set(_window(max_pub, PARAMS["t35_years"]))
    offices = {}
    for p in foreign:
        if p["pub_year"] in w:
            offices[p["office"]] = offices.get(p["office"], 0) + 1
    tot = sum(offices.values())
    for k in top_n(offices, None):
        out.put("T35", k, "count", offices[k])
        out.put("T35", k, "share", div(offices[k], tot))
    out.put("T35", "total", "count", tot)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def fmt(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return str(v)


def write_values(rows, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["table", "row", "column", "value"])
        for t, r, c, v in rows:
            w.writerow([t, r, c, fmt(v)])


def run(datadir, outpath, refdir):
    ref = Reference(refdir)
    data = Data(datadir, ref)
    out = Out()
    compute(data, out)
    # stable order: by table id, natural order inside a table
    rows = sorted(enumerate(out.rows), key=lambda t: (t[1][0], t[0]))
    write_values([r for _, r in rows], outpath)
    return out.rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir")
    ap.add_argument("out_csv")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--ref", default=os.path.join(here, "..", "..", "templates",
                                                  "report-2026", "reference"))
    a = ap.parse_args(argv)
    run(a.data_dir, a.out_csv, a.ref)
    return 0


if __name__ == "__main__":
    sys.exit(main())
