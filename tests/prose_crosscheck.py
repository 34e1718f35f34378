#!/usr/bin/python3
"""tests/prose_crosscheck.py — every number the report's prose prints equals
the formatted value of the table cell it names.

Independent of the C engine: the placeholders of templates/<t>/*.md are
parsed and resolved here against OUT/tables.json, formatted by the column
type rules re-implemented below (share 10.57%, count 1,234, multiple 2.89倍,
pp / score / ratio plain, year "%.0f", per-cell "types" overrides, null "—",
|abs, |raw, comparative words), and looked for in the text of the report
PDF on the pages of the placeholder's own file (chapter), whitespace
removed on both sides, together with a few characters of the surrounding
sentence so that a value found elsewhere on the page does not count.

Then the reverse check on chapters 2–3: every number-looking token of the
body text is explained as a placeholder value, a 图表 number, a year, a
heading number, a literal of the .md source, or a value of a table or chart
placed in the chapter.  Unexplained tokens in prose lines that look like
data (percentages, grouped thousands, decimals) are failures; the rest are
printed as notes.

Usage: prose_crosscheck.py TEMPLATE_DIR OUT_DIR SOURCE_DIR
           [--scope province=江苏省|city=苏州市 [--province 江苏省]] [--national NATIONAL_OUT]
  (OUT_DIR holds tables.json and report.pdf — a regional edition's
   <name>.pdf and <name>.claims.csv with --scope; SOURCE_DIR is the
   repository, for the chart titles of src/charts/catalogue.c; NATIONAL_OUT
   is the national build of the same data, whose tables give the 全国
   benchmark the regional prose must quote.)
A regional edition is checked for what only a national report may say
(领跑, 一枝独秀, "全国平均水平为" …), for its rank and shares among provinces
(T13), its 全国 comparison against the national build, and — when one of its
two tiers has fewer than min_n enterprises — for conclusions drawn from them.
The module's helpers (template parsing, formatting, PDF text) are also used
by tests/pdf_acceptance.py.  Prints "N passed, M failed"; exit 1 on failure.
"""
import configparser
import html
import json
import math
import os
import re
import subprocess
import sys

MM = 72.0 / 25.4
DASH = "—"

# ------------------------------------------------------------- formatting

DEFAULT_DECIMALS = {"share": 2, "ratio": 3, "multiple": 2, "pp": 2, "score": 1, "number": 2}


def fmt_grouped(v, dec, group):
    """|v| with dec decimals ("%.*f", as C printf rounds), thousands
    separators when group; a minus sign unless the rounded value is 0."""
    s = "%.*f" % (dec, v)
    neg = s.startswith("-")
    if neg:
        s = s[1:]
        if not any(ch in "123456789" for ch in s):
            neg = False
    ip, dot, fp = s.partition(".")
    if group:
        out = ""
        for i, ch in enumerate(ip):
            if i > 0 and (len(ip) - i) % 3 == 0:
                out += ","
            out += ch
        ip = out
    return ("\u2212" if neg else "") + ip + dot + fp


def eff_type(col, row, colkey):
    """(type, decimals) of a cell: the row's "types" override (type-default
    decimals) or the column's type and decimals."""
    over = (row.get("types") or {}).get(colkey)
    if over:
        return over, -1
    return col["type"], col.get("decimals", -1)


def format_num(typ, dec, v):
    """A number formatted for documents by type (see srdi_cell_format)."""
    if dec is None or dec < 0:
        dec = DEFAULT_DECIMALS.get(typ, 0)
    if typ == "share":
        return fmt_grouped(v * 100.0, dec, True) + "%"
    if typ == "multiple":
        return fmt_grouped(v, dec, True) + "倍"
    if typ == "year":
        s = "%.0f" % v
        return s
    # every number type has thousands separators (GB/T 15835; a gap of
    # 1,339.29% or a ratio of 1,015.12 groups like a count)
    return fmt_grouped(v, dec, True)


def format_value(typ, dec, v):
    """Any JSON cell value: null → "—", text as is, numbers by type."""
    if v is None:
        return DASH
    if isinstance(v, str):
        return v
    return format_num(typ, dec, float(v))


def format_raw(typ, v):
    """|raw: "%.0f" for counts / years / 0 / |v| >= 1000, else 4 significant
    digits without trailing zeros."""
    if typ in ("count", "year") or v == 0 or abs(v) >= 1000:
        s = "%.0f" % v
        return "0" if s == "-0" else s
    mag = int(math.floor(math.log10(abs(v)))) + 1
    dec = min(max(4 - mag, 0), 12)
    s = "%.*f" % (dec, v)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# ------------------------------------------------------------ the template

class Tables:
    """tables.json by id."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        self.by_id = {t["id"]: t for t in d["tables"]}

    def get(self, tid):
        return self.by_id.get(tid)


def read_params(path):
    cp = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None,
                                   strict=False)
    cp.optionxform = str
    cp.read(path, encoding="utf-8")
    return cp


class Unknown(Exception):
    pass


SCOPE = {"kind": "national", "name": "全国", "province": "全国"}


def scope_row(rowk):
    """The row key of @scope / @province (None nationally: the row is missing)."""
    if SCOPE["kind"] == "national":
        return None
    return SCOPE["name"] if rowk == "@scope" else SCOPE["province"]


NATIONAL = [None]   # the national build's Tables (--national)


def t13_place(tables):
    """(competition rank, share, provinces with enterprises) of the edition's
    province in T13 (the whole data set), or None."""
    t = tables.get("T13")
    rows = [r for r in (t["rows"] if t else []) if (r["values"].get("count") or 0) > 0]
    me = next((r for r in rows if r["key"] == SCOPE["province"]), None)
    if not me or SCOPE["kind"] == "national":
        return None
    rank = 1 + sum(1 for r in rows if r["values"]["count"] > me["values"]["count"])
    return rank, me["values"]["share"], len(rows)


def scope_value(tables, name):
    """{{scope.x}} recomputed here (text, kind); Computed for the city places."""
    key = name[6:]
    if key in ("kind", "name", "province"):
        return SCOPE[key], "text"
    place = t13_place(tables)
    if key in ("rank", "share", "provinces"):
        if key == "provinces" and SCOPE["kind"] == "national" or place is None and key == "provinces":
            t = tables.get("T13")
            return "%d" % sum(1 for r in t["rows"] if (r["values"].get("count") or 0) > 0), "value"
        if place is None:
            return DASH, "dash"
        if key == "rank":
            return "%d" % place[0], "value"
        if key == "share":
            return format_num("share", 2, place[1]), "value"
        return "%d" % place[2], "value"
    if key in ("city_share", "city_share_national") and SCOPE["kind"] == "city":
        t13 = [r for r in tables.get("T13")["rows"] if (r["values"].get("count") or 0) > 0]
        own = next(r["values"]["count"] for r in tables.get("T01")["rows"] if r["key"] == "total")
        den = sum(r["values"]["count"] for r in t13 if key == "city_share_national" or r["key"] == SCOPE["province"])
        return format_num("share", 2, own / den), "value"
    raise Computed(name)


def find_row(rows, rowk):
    if rowk.startswith("@"):
        k = scope_row(rowk)
        return next((r for r in rows if r["key"] == k), None) if k else None
    if rowk.startswith("#"):
        return rows[int(rowk[1:]) - 1] if int(rowk[1:]) <= len(rows) else None
    return next((r for r in rows if r["key"] == rowk), None)


def wmean(tables, tid, vcol, wcol):
    """wmean(Tnn.v, Tnn.w): sum(v*w)/sum(w) over rows with both (not total)."""
    t = tables.get(tid)
    num = den = 0.0
    for r in (t["rows"] if t else []):
        v, w = r["values"].get(vcol), r["values"].get(wcol)
        if r["key"] != "total" and isinstance(v, (int, float)) and isinstance(w, (int, float)):
            num += v * w
            den += w
    return num / den if den > 0 else None


def eval_value(body, tables, params):
    """{{value:EXPR}} recomputed here: references Tnn.row.col (row #k or key)
    and param:sec.key, + - * /, spread/min/max/abs; formatted as the first
    reference's column (|pp: ×100 with 2 decimals).  Raises Computed when the
    expression uses anything else."""
    expr, pp = body[6:], False
    if expr.endswith("|pp"):
        expr, pp = expr[:-3], True
    if expr in ("scope.name", "scope.province", "scope.kind"):
        return SCOPE[expr[6:]], "text"
    if expr.startswith("rows:"):
        t = tables.get(expr[5:])
        if not t:
            raise Unknown("no table '%s'" % expr[5:])
        return "%d" % len(t["rows"]), "value"
    first = []

    def wm(m):
        x = wmean(tables, "T" + m.group(1), m.group(2), m.group(4))
        if x is None:
            raise Computed(body)
        t = tables.get("T" + m.group(1))
        col = next(c for c in t["columns"] if c["key"] == m.group(2))
        first.append((col["type"], col.get("decimals", -1)))
        return repr(x)
    expr = re.sub(r"wmean\(T(\d+)\.(\w+),\s*T(\d+)\.(\w+)\)", wm, expr)

    def tot(m):
        """total(Tnn where num(key) between A and B show col): the column added
        up over the rows whose key is a whole number from A to B."""
        t = tables.get("T" + m.group(1))
        if not t:
            raise Computed(body)
        lo, hi, colk = float(m.group(2)), float(m.group(3)), m.group(4)
        vals = [r["values"].get(colk) for r in t["rows"]
                if re.fullmatch(r"\d+", r["key"]) and lo <= int(r["key"]) <= hi]
        if vals and not any(isinstance(v, (int, float)) for v in vals):
            raise Computed(body)
        vals = [v for v in vals if isinstance(v, (int, float))]
        col = next(c for c in t["columns"] if c["key"] == colk)
        first.append((col["type"], col.get("decimals", -1)))
        return repr(float(sum(vals)))
    expr = re.sub(r"total\(T(\d+) where num\(key\) between (\d+) and (\d+) show (\w+)\)", tot, expr)

    def ref(m):
        tid, rowk, colk = m.group(1), m.group(2), m.group(3)
        t = tables.get(tid)
        if not t:
            raise Computed(body)
        row = find_row(t["rows"], rowk)
        v = row["values"].get(colk) if row else None
        if v is None or isinstance(v, str):
            raise Computed(body)
        col = next(c for c in t["columns"] if c["key"] == colk)
        first.append(eff_type(col, row, colk))
        return repr(float(v))

    def par(m):
        if not params.has_option(m.group(1), m.group(2)):
            raise Computed(body)
        return repr(float(params.get(m.group(1), m.group(2)).split(";")[0].split()[0]))

    if "province:" in expr or ("national:" in expr and NATIONAL[0] is None):
        raise Computed(body)
    own = tables

    def nat(m):
        global_t = NATIONAL[0]
        t = global_t.get(m.group(1))
        row = find_row(t["rows"], m.group(2)) if t else None
        v = row["values"].get(m.group(3)) if row else None
        if v is None or isinstance(v, str):
            raise Computed(body)
        col = next(c for c in t["columns"] if c["key"] == m.group(3))
        first.append(eff_type(col, row, m.group(3)))
        return repr(float(v))
    expr = re.sub(r"national:(T\d+)\.([^.\s,()]+)\.([A-Za-z_]\w*)", nat, expr)
    tables = own
    py = re.sub(r"\bT(\d+)\.([^.\s,()]+)\.([A-Za-z_][\w]*)", lambda m: ref(
        type("M", (), {"group": lambda self, i: ("T" + m.group(1), m.group(2), m.group(3))[i - 1]})()), expr)
    py = re.sub(r"param:(\w+)\.(\w+)", par, py)
    if not re.fullmatch(r"[\d.\s+\-*/(),e]*|.*\b(spread|min|max|abs)\(.*", py) or \
            re.search(r"[A-Za-z_]+", re.sub(r"\b(spread|min|max|abs)\(", "(", py).replace("e", "")):
        raise Computed(body)
    x = eval(py, {"__builtins__": {}}, {"spread": lambda *a: max(a) - min(a), "min": min, "max": max,
                                        "abs": abs})
    if pp:
        return "%.2f" % (0.0 if abs(x * 100) < 0.005 else x * 100), "value"
    if first:
        typ, dec = first[0]
        return format_num(typ, dec, x), "value"
    raise Computed(body)


def param_text(v):
    """A {{param:…}} as the report prints it: a number of 1,000 or more
    grouped by thousands with its own decimals (10000 → 10,000), anything
    else as written."""
    try:
        x = float(v)
    except ValueError:
        return v
    if "e" in v.lower() or not math.isfinite(x) or abs(x) < 1000:
        return v
    dec = len(v.partition(".")[2]) if "." in v else 0
    return "{:,.{}f}".format(x, dec)


def resolve(body, tables, params, refs):
    """The text a placeholder body (without braces) prints, and its kind:
    ("value"|"word"|"ref"|"param"|"text"|"dash").  Raises Unknown."""
    if body.startswith("scope."):
        return scope_value(tables, body.partition("|")[0])
    if body.startswith("national:"):
        if NATIONAL[0] is None:
            raise Computed(body)
        return resolve(body[9:], NATIONAL[0], params, refs)
    if body.startswith("province:"):
        raise Computed(body)
    if body.startswith("value:"):
        return eval_value(body, tables, params)
    if body.startswith(COMPUTED) or re.match(r"^T\d+\.(max|min)\(|^T\d+\.#-", body):
        raise Computed(body)
    expr, _, mod = body.partition("|")
    if expr.startswith("param:"):
        sec, _, key = expr[6:].partition(".")
        if not params.has_option(sec, key):
            raise Unknown("no parameter '%s'" % expr[6:])
        return param_text(params.get(sec, key)), "param"
    if expr.startswith("ref:"):
        n = refs.get(expr[4:])
        if not n:
            raise Unknown("no directive for '%s'" % expr[4:])
        return str(n), "ref"
    if expr.startswith("n:"):
        t = tables.get(expr[2:])
        if not t:
            raise Unknown("no table '%s'" % expr[2:])
        return format_num("count", 0, float(t["n"])), "value"
    d1, d2 = expr.find("."), expr.rfind(".")
    if d1 < 0 or d1 == d2:
        raise Unknown("bad placeholder")
    tid, rowk, colk = expr[:d1], expr[d1 + 1:d2], expr[d2 + 1:]
    t = tables.get(tid)
    if not t:
        raise Unknown("no table '%s'" % tid)
    cols = {c["key"]: c for c in t["columns"]}
    if colk not in cols and colk not in ("key", "label"):
        raise Unknown("no column '%s' in %s" % (colk, tid))
    rows = t["rows"]
    if rowk.startswith("@"):
        row = find_row(rows, rowk)
        if row is None:
            return DASH, "dash"
    elif rowk.startswith("#"):
        k = int(rowk[1:])
        if k > len(rows):
            return DASH, "dash"
        row = rows[k - 1]
    else:
        row = next((r for r in rows if r["key"] == rowk), None)
        if row is None:
            if t.get("no_data"):
                return DASH, "dash"
            raise Unknown("no row '%s' in %s" % (rowk, tid))
    if colk in ("key", "label"):
        return row[colk], "text"
    col = cols[colk]
    v = row["values"].get(colk)
    typ, dec = eff_type(col, row, colk)
    if not mod:
        return format_value(typ, dec, v), "value"
    if v is None:
        return DASH, "dash"
    if isinstance(v, str):
        if mod in ("raw", "abs"):
            return v, "text"
        raise Unknown("modifier on text")
    v = float(v)
    if mod == "raw":
        return format_raw(typ, v), "value"
    if mod == "abs":
        return format_num(typ, dec, abs(v)), "value"
    words = mod.split("/")
    if len(words) < 2:
        raise Unknown("unknown modifier '%s'" % mod)
    if v > 0:
        return words[0], "word"
    if v < 0:
        return words[1], "word"
    return (words[2] if len(words) > 2 else words[0]), "word"


PH = re.compile(r"\{\{(.*?)\}\}")
DIRECTIVE = re.compile(r"^:::\s*(chart\+table|chart|table|figure|source|pagebreak)\b\s*(.*)$")
# a caption in "…" runs to the last " of the line, one in “…” to the last ”:
# the other kind of quote may stand inside ("重点“小巨人”培育路径表"), as
# src/report/template_directive.c reads them
QUOTED = re.compile(r"\"(.*)\"\s*$|“(.*)”\s*$")


class Directive:
    def __init__(self, fname, lineno, kind, key, caption, fig):
        self.fname, self.lineno, self.kind, self.key = fname, lineno, kind, key
        self.caption, self.fig = caption, fig


TAG = re.compile(r"\{\{(#if [^}]*|else if [^}]*|else|/if)\}\}")
COMPUTED = ("list:", "count:", "trend:", "value:", "complete:", "nodata:")


class Computed(Exception):
    """A computed placeholder (list:, count:, trend:, value:, …, max()/min()
    row selectors): its words are checked by claim_check, not here."""


def read_claims(out, name="claims.csv"):
    """claims.csv of OUT (an edition's <name>.claims.csv) as {file base name:
    [holds, …]} in tag order."""
    import csv
    path = os.path.join(out, name) if out else None
    res = {}
    if not path or not os.path.exists(path):
        return res
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            res.setdefault(os.path.basename(row["file"]), []).append(row["holds"] == "1")
    return res


LET = re.compile(r"\{\{#let \$(\w+) = (.*)\}\}")


def apply_lets(raw, lets):
    """{{#let $name = expression}} (docs/templates.md "Named values"): the
    definition line is dropped (None here, as the engine drops it) and every
    later $name inside a {{…}} tag reads (expression); `lets` carries the
    definitions on to the next file."""
    def names(text):
        return re.sub(r"\$(\w+)", lambda n: "(" + lets[n.group(1)] + ")", text)
    out = []
    for line in raw:
        m = LET.fullmatch(line.strip())
        if m:
            lets[m.group(1)] = names(m.group(2))
            out.append(None)
        elif "$" in line:
            out.append(re.sub(r"\{\{.*?\}\}", lambda t: names(t.group(0)), line))
        else:
            out.append(line)
    return out


def resolve_branches(lines, holds):
    """The lines the engine kept after {{#if}}/{{else if}}/{{else}}/{{/if}},
    decided by the engine's claims (holds, in tag order), as [(line, text)]:
    a tag alone on its line removes the line; inline tags cut the line."""
    it = iter(holds)
    stack = []   # [parent_on, held, on]
    out = []

    def on():
        return not stack or stack[-1][2]

    def apply(tag):
        if tag.startswith("#if"):
            h = next(it)
            p = on()
            stack.append([p, h, p and h])
        elif tag.startswith("else if"):
            h = next(it)
            fr = stack[-1]
            fr[2] = fr[0] and not fr[1] and h
            fr[1] = fr[1] or h
        elif tag == "else":
            next(it)
            fr = stack[-1]
            fr[2] = fr[0] and not fr[1]
            fr[1] = True
        else:
            stack.pop()

    for ln, line in enumerate(lines, 1):
        if line is None:   # a {{#let}} line
            continue
        m = TAG.fullmatch(line.strip())
        if m:
            apply(m.group(1))
            continue
        res, pos = "", 0
        for m in TAG.finditer(line):
            if on():
                res += line[pos:m.start()]
            apply(m.group(1))
            pos = m.end()
        if on():
            out.append((ln, res + line[pos:]))
    return out


class Template:
    """The .md files in file-name order (the branches the build printed, when
    OUT/claims.csv is given), their directive lines (numbered as the engine
    numbers 图表) and headings."""

    def __init__(self, tdir, out=None, claims_name="claims.csv"):
        self.tdir = tdir
        self.files = sorted(f for f in os.listdir(tdir) if f.endswith(".md"))
        self.lines = {}
        self.orig = {}
        claims = read_claims(out, claims_name)
        lets = {}
        for f in self.files:
            with open(os.path.join(tdir, f), encoding="utf-8") as fh:
                raw = apply_lets(fh.read().split("\n"), lets)
            kept = resolve_branches(raw, claims.get(f, []))
            self.lines[f] = [t for _, t in kept]
            self.orig[f] = [n for n, _ in kept]
        self.directives = []
        fig = 0
        for f in self.files:
            ls = self.lines[f]
            for i, line in enumerate(ls):
                if not self.is_directive(ls, i):
                    continue
                m = DIRECTIVE.match(line.strip())
                if not m:
                    continue
                kind, rest = m.group(1), m.group(2)
                if kind in ("source", "pagebreak"):
                    continue
                fig += 1
                q = QUOTED.search(rest)
                caption = (q.group(1) if q.group(1) is not None else q.group(2)) if q else None
                key = rest.split()[0] if rest.split() else ""
                self.directives.append(Directive(f, i + 1, kind, key, caption, fig))
        self.refs = {}
        for d in self.directives:
            rk = "fig:" + d.key if d.kind == "figure" else d.key
            self.refs.setdefault(rk, d.fig)
            if d.kind in ("chart", "chart+table", "table"):   # {{ref:chart:T04}}, {{ref:table:T04}}
                self.refs.setdefault(d.kind.split("+")[0] + ":" + d.key, d.fig)

    @staticmethod
    def is_directive(ls, i):
        line = ls[i]
        if not line.startswith(":::"):
            return False
        before = i == 0 or ls[i - 1].strip() == ""
        after = i + 1 >= len(ls) or ls[i + 1].strip() == ""
        return before and after

    def headings(self, f):
        """(level, raw text, line number) of the ATX headings of file f."""
        out = []
        fence = False
        for i, line in enumerate(self.lines[f]):
            if line.startswith("```"):
                fence = not fence
            if fence:
                continue
            m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if m:
                out.append((len(m.group(1)), m.group(2), i + 1))
        return out


def expand(text, tables, params, refs):
    """Expand every placeholder of text; unknown ones stay as they are."""
    def sub(m):
        try:
            return resolve(m.group(1), tables, params, refs)[0]
        except (Unknown, ValueError, Computed):
            return m.group(0)
    return PH.sub(sub, text)


def chart_titles(srcdir):
    """Default chart captions {key: title} from the chart catalogue, src/charts/catalogue.c."""
    path = os.path.join(srcdir, "src", "charts", "catalogue.c")
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            for m in re.finditer(r'\{"([TS]\d+)",\s*"[^"]*",\s*"([^"]*)"', f.read()):
                out[m.group(1)] = m.group(2)
    except OSError:
        pass
    return out


def expected_captions(tpl, tables, params, titles):
    """[(number, caption, directive)] in document order."""
    out = []
    for d in tpl.directives:
        cap = d.caption
        if cap is None and d.kind in ("chart", "chart+table"):
            cap = titles.get(d.key)
        if cap is None:
            t = tables.get(d.key)
            cap = t["title"] if t else ""
        out.append((d.fig, expand(cap, tables, params, tpl.refs), d))
    return out


# --------------------------------------------------------------- PDF text

def norm(s):
    """Whitespace removed (what is compared)."""
    return re.sub(r"\s+", "", s)


class PdfText:
    """Per page: all words, and the body words (inside the top and bottom
    margins: no running header, no page number) as lines of text."""

    def __init__(self, pdf, params=None):
        out = subprocess.run(["pdftotext", "-q", "-bbox-layout", pdf, "-"],
                             capture_output=True, check=True).stdout.decode("utf-8")
        lay = lambda k, d: float(params.get("layout", k, fallback=d)) if params else d
        self.ml = lay("margin_left_mm", 25) * MM
        self.mr = lay("margin_right_mm", 25) * MM
        self.mt = lay("margin_top_mm", 28) * MM
        self.mb = lay("margin_bottom_mm", 25) * MM
        self.pages = []   # dict(width, height, words[(x0,y0,x1,y1,text)], lines[[words]])
        text = []         # the lines' words joined by spaces, a form feed after each page
        for pm in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
            page = {"width": float(pm.group(1)), "height": float(pm.group(2)),
                    "words": [], "lines": []}
            for lm in re.finditer(r"<line [^>]*>(.*?)</line>", pm.group(3), re.S):
                ws = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in
                      re.findall(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                                 r'yMax="([-\d.]+)">([^<]*)</word>', lm.group(1))]
                page["words"].extend(ws)
                page["lines"].append(ws)
                text.append(" ".join(w[4] for w in ws))
            text.append("\f")
            self.pages.append(page)
        # what plain `pdftotext` prints, but for spacing (the same reading order):
        # claim_check reads it instead of running pdftotext again
        self.text = "\n".join(text)

    def n(self):
        return len(self.pages)

    def in_body(self, page, w, tol=2.0):
        return w[1] >= self.mt - tol and w[3] <= page["height"] - self.mb + tol

    def body_lines(self, i):
        """Body text lines of page i (0-based), words joined by spaces."""
        p = self.pages[i]
        out = []
        for ws in p["lines"]:
            ws = [w for w in ws if self.in_body(p, w)]
            if ws:
                out.append(" ".join(w[4] for w in ws))
        return out

    def body(self, i):
        return norm("".join(self.body_lines(i)))

    def prose(self, i):
        """Body text of page i with the figures (from a caption line "图表N："
        to its 资料来源 line) and footnotes left out, so a paragraph
        interrupted by a figure set at the head of a new page or by the
        footnotes of a page foot reads on."""
        out, skip = [], False
        p = self.pages[i]
        for ws in p["lines"]:
            ws = [w for w in ws if self.in_body(p, w)]
            if not ws:
                continue
            ln = " ".join(w[4] for w in ws)
            t = ln.replace(" ", "")
            if re.match(r"图表\d+：", t):
                skip = True
            elif skip and t.startswith("资料来源"):
                skip = False
                continue
            # footnotes (8.5 pt) and source lines (9 pt serif) are left out
            if not skip and max(w[3] - w[1] for w in ws) >= 9.5:
                out.append(ln)
        return norm("".join(out))

    def full(self, i):
        return norm("".join(w[4] for w in self.pages[i]["words"]))


def page_labels(pdf):
    """Page label strings (qpdf --json=2 "pages"[].label) by page index."""
    out = subprocess.run(["qpdf", "--json=2", "--json-key=pages", pdf],
                         capture_output=True, check=True).stdout.decode("utf-8")
    labels = []
    for p in json.loads(out)["pages"]:
        lab = p.get("label") or {}
        st = int(lab.get("/St", p["pageposfrom1"]))
        style = lab.get("/S", "/D")
        prefix = lab.get("/P", "")
        if isinstance(prefix, str) and prefix.startswith("u:"):
            prefix = prefix[2:]
        labels.append(prefix + label_text(style, st))
    return labels


def roman(n):
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    s = ""
    for v, r in vals:
        while n >= v:
            s += r
            n -= v
    return s


def label_text(style, n):
    if style == "/r":
        return roman(n)
    if style == "/R":
        return roman(n).upper()
    if style in ("/a", "/A"):
        ch = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return ch if style == "/a" else ch.upper()
    if style == "/D":
        return str(n)
    return ""


def file_page_ranges(tpl, pdf, labels, tables, params):
    """{file: (first, last)} 0-based page ranges of each .md file: the cover
    is page 0, the preface runs to the page before the 目录, a chapter from
    the first body page with its heading to the page before the next."""
    first_body = next((i for i, l in enumerate(labels) if l == "1"), 0)
    starts = []
    for f in tpl.files:
        hs = tpl.headings(f)
        if not hs:
            continue
        h = norm(expand(hs[0][1], tables, params, tpl.refs))
        lo = 0 if f.startswith("00") else 1 if f.startswith("01") else first_body
        page = next((i for i in range(lo, pdf.n()) if h in pdf.body(i)), None)
        if page is not None:
            starts.append((f, page))
    ranges = {}
    toc = next((i for i in range(pdf.n()) if pdf.body(i).startswith("目录")), first_body)
    for k, (f, page) in enumerate(starts):
        if f.startswith("00"):
            end = page
        elif f.startswith("01"):
            end = toc - 1
        else:
            end = starts[k + 1][1] if k + 1 < len(starts) else pdf.n() - 1
            if k + 1 < len(starts) and end > page:
                end -= 1
            # the next chapter may start on the same page as this one ends
        ranges[f] = (page, max(page, end))
    return ranges


# ------------------------------------------------------------- the checks

MARKUP = re.compile(r"\[\^[^\]]*\]:?|\*\*|\*|`|\\(?=[^\w\s])|<[^>]*>|\|")
SEP = "\x00"


def clean_inline(text):
    """Inline markup of a source fragment: footnote refs, table pipes and
    HTML become separators (contexts stop there); emphasis marks and
    backslash escapes vanish."""
    def rep(m):
        t = m.group(0)
        if t.startswith("[^") or t.startswith("<") or t == "|":
            return SEP
        return ""
    return MARKUP.sub(rep, text)


def clean_line(line):
    """A source line's start: list / heading / quote markers dropped."""
    return clean_inline(re.sub(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)", "", line))


NODATA = "本段所需的部分数据在本版中缺失（有的组别没有企业或没有数据），相关分析从略"  # + "（见图表N）" + "。"


def crosscheck(tpl, tables, params, pdf, ranges, ctx=6):
    """Forward check: (passed, failures[], notes[], explained values set)."""
    passed, fails, notes = 0, [], []
    values = set()
    for f in tpl.files:
        if f not in ranges:
            if any(PH.search(x) for x in tpl.lines[f]):
                fails.append("%s: file not found in the PDF (heading missing)" % f)
            continue
        lo, hi = ranges[f]
        text = "".join(pdf.body(i) if not f.startswith("00") else pdf.full(i)
                       for i in range(lo, hi + 1))
        prose = "".join(pdf.prose(i) for i in range(lo, hi + 1))
        for ln, raw in enumerate(tpl.lines[f], 1):
            if not PH.search(raw) or Template.is_directive(tpl.lines[f], ln - 1):
                continue
            where = "templates/%s/%s:%d" % (os.path.basename(tpl.tdir.rstrip("/")), f, tpl.orig[f][ln - 1])
            # expand the whole line, remembering where each value landed
            line, spans, pos = "", [], 0
            for m in PH.finditer(raw):
                lit = raw[pos:m.start()]
                line += clean_line(lit) if pos == 0 else clean_inline(lit)
                try:
                    val, kind = resolve(m.group(1), tables, params, tpl.refs)
                except Computed:
                    val, kind = None, None
                except (Unknown, ValueError) as e:
                    fails.append("%s: {{%s}}: %s" % (where, m.group(1), e))
                    val, kind = None, None
                spans.append((m.group(1), val, kind, len(line)))
                line += val if val is not None else SEP
                pos = m.end()
            line += clean_inline(raw[pos:])
            # a paragraph or list item with an empty value is replaced by the report's
            # no-data sentence (src/report/template_expand.c): expect that sentence instead
            if (any(v == "—" for _, v, _, _ in spans)
                    and not re.match(r"\s*[|#:<>\[]", raw)):
                if norm(NODATA) in text:
                    passed += 1
                else:
                    fails.append("%s: a value is empty but the no-data sentence is not on pages %d–%d"
                                 % (where, lo + 1, hi + 1))
                continue
            for body, val, kind, start in spans:
                if val is None:
                    continue
                if kind in ("value", "dash", "text", "param", "ref"):
                    values.add(val)
                if kind == "dash":
                    notes.append("%s: {{%s}} prints — (the data has no such row)" % (where, body))
                left = line[max(0, start - ctx):start].split(SEP)[-1]
                right = line[start + len(val):start + len(val) + ctx].split(SEP)[0]
                want = norm(left + val + right)
                if want and (want in text or want in prose):
                    passed += 1
                elif norm(val) in text:
                    fails.append("%s: {{%s}} = %r found on pages %d–%d but not in its sentence %r"
                                 % (where, body, val, lo + 1, hi + 1, left + val + right))
                else:
                    fails.append("%s: {{%s}} = %r not on pages %d–%d"
                                 % (where, body, val, lo + 1, hi + 1))
    return passed, fails, notes, values


NUM = re.compile(r"(?<![\d.])\d+(?:[.,]\d+)*%?")


def table_tokens(tables):
    """Every formatted cell value, row key / label and column label of all
    tables, as number tokens (the numbers tables and charts print)."""
    out = set()
    for t in tables.by_id.values():
        cols = {c["key"]: c for c in t["columns"]}
        for c in t["columns"]:
            out.update(NUM.findall(c["label"]))
        out.update(NUM.findall(t["title"]))
        out.update(NUM.findall(t.get("note") or ""))     # the table's own note, printed under it
        for r in t["rows"]:
            out.update(NUM.findall(r["key"]))
            out.update(NUM.findall(r["label"]))
            for k, v in r["values"].items():
                if k not in cols or v is None:
                    continue
                typ, dec = eff_type(cols[k], r, k)
                if isinstance(v, str):
                    out.update(NUM.findall(v))
                    continue
                out.update(NUM.findall(format_value(typ, dec, v)))
                out.update(NUM.findall(format_raw(typ, float(v))))
                for d in range(0, 4):      # chart labels may use other precisions
                    out.update(NUM.findall(format_num(typ, d, float(v))))
    return out


def reverse_check(tpl, tables, params, pdf, ranges, values, files=("20-ch2.md", "30-ch3.md")):
    """Reverse check: (failures, notes)."""
    known = set()
    for v in values:
        known.update(NUM.findall(v))
        if re.fullmatch(r"\d+\.\d\d", v):   # {{value:…|pp}} written before a % sign
            known.add(v + "%")
    for f in tpl.files:
        for line in tpl.lines[f]:
            known.update(NUM.findall(PH.sub(" ", line)))
    for f in tpl.files:
        for lvl, h, _ in tpl.headings(f):
            known.update(NUM.findall(expand(h, tables, params, tpl.refs)))
    nfig = len(tpl.directives)
    data = table_tokens(tables)
    fails, notes = [], []
    for f in files:
        if f not in ranges:
            continue
        lo, hi = ranges[f]
        for i in range(lo, hi + 1):
            for line in pdf.body_lines(i):
                for tok in NUM.findall(line):
                    bare = tok.rstrip("%")
                    if tok in known or tok in values:
                        continue
                    if re.fullmatch(r"\d+", bare) and (1 <= int(bare) <= nfig or
                                                      1990 <= int(bare) <= 2035):
                        continue
                    if re.fullmatch(r"\d+(\.\d+)+", tok):       # heading / section numbers
                        continue
                    if tok in data:
                        continue
                    where = "%s page %d: %r in %r" % (f, i + 1, tok, line[:60])
                    prose = len(re.findall(r"[\u4e00-\u9fff]", line)) >= 25
                    datalike = "%" in tok or "," in tok or "." in tok
                    if prose and datalike:
                        fails.append("unexplained number in prose: " + where)
                    else:
                        notes.append("unexplained: " + where)
    return fails, notes


def claim_check(tables, pdfpath, min_n=30, national=None, raw=None):
    """Claim-vs-table: sentences the report may print only when its tables
    agree (recomputed here from tables.json), sentences it must never print,
    and placeholders printed empty.  @raw: the PDF's text (PdfText.text),
    else pdftotext's.  Returns failures[]."""
    if raw is None:
        raw = subprocess.run(["pdftotext", pdfpath, "-"], capture_output=True, text=True).stdout
    text = re.sub(r"\s+", "", raw)
    fails = []
    # a heading states a finding only when its value exists: no null "—"
    # where a number belongs (相差—, 的—), in any heading of the body
    for line in raw.splitlines():
        if re.match(r"\d+(\.\d+)+ ", line) and re.search(r"[^\d\s—]—(\s*$|[，。；）、])|[：（]—", line):
            fails.append("claim: a heading prints a missing value: %r" % line.strip())

    def cell(tid, row, col):
        t = tables.get(tid)
        if not t:
            return None
        r = next((r for r in t["rows"] if r["key"] == row), None)
        v = r["values"].get(col) if r else None
        return v if isinstance(v, (int, float)) else None

    def rows(tid):
        t = tables.get(tid)
        return [r for r in t["rows"] if r["key"] != "total"] if t else []

    def col(tid, c):
        return [r["values"].get(c) for r in rows(tid) if isinstance(r["values"].get(c), (int, float))]

    def gt(a, b):
        return a is not None and b is not None and a > b

    # {{nodata:T}}: the reason given must be the table's own (input missing;
    # no record passes the filter; no group reaches the threshold; fields missing)
    for tid, t in tables.by_id.items():
        if not t.get("title"):
            continue
        m = re.search(re.escape(re.sub(r"\s+", "", t["title"])) + r"无可用数据（([^）]+)）", text)
        if not m:
            continue
        want = ("所需的输入文件未提供" if t.get("no_data") else "没有符合统计条件的记录" if t.get("n") == 0
                else "没有分组达到统计门槛" if not t.get("rows") else "所需字段在本次数据中缺失")
        if m.group(1) != want:
            fails.append("claim: %s says 无可用数据（%s） but the table's reason is %s" % (tid, m.group(1), want))
    # a year window computed from no year (T30/T35 without grant / publication years: "-2—0年")
    for m in re.finditer(r"-\d+—-?\d+年|—0年", text):
        fails.append("claim: a year range without years: %r" % text[max(0, m.start() - 12):m.end()])
    never = ["相差-", "资料来源：srdi-report", "部分中西部省份", "抗周期能力显著优于", "稳步提升",
             "差异化优势", "创新模式差异显著", "—为—", "—（—）", "（—）", "为—，", "为—。", "占—",
             # fixed findings the templates once printed whatever the data said
             "电子专用材料、电力电子元器件、工业自动控制系统等", "发明专利质量、研发平台和团队规模是制约跃迁",
             "三大瓶颈", "制造业与生产性服务业双轮驱动",
             # a multiple of a zero numerator is said in words (国家级中没有…), not "0.00倍"
             "倍数为0.00倍", "的0.00倍", "相差0.00倍", "之比为0.00倍",
             # a difference of nothing is no lead ("国家级占0.00%，省级占0.00%，国家级高出0.00个百分点")
             "高出0.00个百分点", "低0.00个百分点", "高0.00个百分点", "低于国家级0.00个百分点",
             "高于国家级0.00个百分点",
             # "in contrast" to higher 国家级 rates is a 省级 rate above them
             "与之相对，科技型中小企业资质的持有率省级低于"]
    for w in never:
        if w in text:
            fails.append("claim: the report prints %r" % w)
    # a tie for first is not "居首": T17's first share repeated after 其后, T16's first count shared
    m = re.search(r"(\d+)个国民经济行业大类的企业数并列居首（[^）]*等，占比均为([\d.]+%)）", text)
    top17 = sorted(col("T17", "share"), reverse=True)
    if m and (int(m.group(1)) != sum(1 for v in top17 if top17 and v == top17[0]) or int(m.group(1)) <= 3):
        fails.append("claim: %r but T17's first shares are %s" % (m.group(0), top17[:5]))
    for m in re.finditer(r"居首的是[^，。]+，占([\d.]+%)；其后[^。]*?（\1）", text):
        fails.append("claim: a tie for first said as 居首: %r" % m.group(0))
    # a ranked list cut through a tie says so (ties(SEL) in the templates):
    # "…第十位依次为…（v），另有N个大类的占比与之相同" with N the rows below the
    # list holding the last listed number, and no such list without it
    def cut_ties(vals, k):
        """rows after the first k of the descending numbers vals equal to the k-th"""
        return sum(1 for v in vals[k:] if v == vals[k - 1]) if len(vals) > k else 0
    s17 = sorted(col("T17", "share"), reverse=True)
    c16 = sorted(col("T16", "count"), reverse=True)
    for anchor, vals, k, noun in (("第六至第十位依次为", s17, 10, "个大类的占比"),
                                  ("企业数居前的国民经济行业大类是", s17, 3, "个大类的占比"),
                                  ("企业数居前三的省份是", sorted(col("T13", "share"), reverse=True), 3, "个省份的占比"),
                                  ("按企业数（家）依次为", c16, 3, "个城市的企业数"),
                                  ("企业数（家）居前的是", c16, 3, "个城市的企业数")):
        for m in re.finditer(re.escape(anchor) + r"([^。；]*)", text):
            if anchor == "企业数居前的国民经济行业大类是" and len(vals) > 3 and vals[3] == vals[2] == vals[0]:
                fails.append("claim: %r… lists three of the divisions tied for first" % m.group(0)[:60])
                continue
            said = re.search(r"，另有(\d+)" + noun + "与之相同", m.group(1))
            want = cut_ties(vals, k)
            got = int(said.group(1)) if said else 0
            if got != want:
                fails.append("claim: %r… says %d more rows tied with its last, the table has %d"
                             % (m.group(0)[:60], got, want))
    # T16's first four cities: a fifth with the fourth's share is said (另有N个城市的占比与X相同)
    s16 = sorted(col("T16", "share"), reverse=True)
    for m in re.finditer(r"(位列前四|的企业数占全省比重居前四)(，另有(\d+)个城市的占比与[^，（。]+相同)?", text):
        if int(m.group(3) or 0) != cut_ties(s16, 4):
            fails.append("claim: %r — T16 has %d more cities with the fourth's share" % (m.group(0), cut_ties(s16, 4)))
    # T13's fourth to sixth, seventh to tenth and T30's first three: a tie beyond the last is said
    s13 = sorted(col("T13", "share"), reverse=True)
    c13 = sorted(col("T13", "count"), reverse=True)
    s30 = sorted(col("T30", "share"), reverse=True)
    for pat, vals, k in ((r"分列第四至第六位(，另有(\d+)个省份的占比与[^，（。]+相同)?", s13, 6),
                         (r"位列第七至第十位的[^，（]+(（另有(\d+)个省份的企业数与[^，（。]+相同）)?", c13, 10),
                         (r"位居前三(（另有(\d+)个领域的占比与[^，（。]+相同）)?", s30, 3)):
        for m in re.finditer(pat, text):
            if int(m.group(2) or 0) != cut_ties(vals, k):
                fails.append("claim: %r — the table has %d more rows tied with the last" % (m.group(0)[:60], cut_ties(vals, k)))
    # "差距最大的维度是A、B（N分）": every dimension at T23's largest gap is named, and only those
    g23 = [(re.sub(r"\s+", "", r["label"]), r["values"].get("gap")) for r in rows("T23")]
    g23 = [(k, v) for k, v in g23 if isinstance(v, (int, float))]
    for m in re.finditer(r"差距最大的维度是((?:[^（、，。；]+（[^）]+）、?)+)（[\d.]+分）", text):
        top = max(v for _, v in g23) if g23 else None
        named = set(re.findall(r"([^（、]+（[^）]+）)", m.group(1)))
        want = {k for k, v in g23 if v == top}
        if named != want:
            fails.append("claim: %r but T23's largest gap %s is held by %s" % (m.group(0)[:80], top, "、".join(sorted(want))))
    # T18's third division by count: one of several with its count says how many more
    c18 = sorted(col("T18", "count"), reverse=True)
    for m in re.finditer(r"其次是[^。]*?（(\d+)家，[\d.]+%）(，另有(\d+)个中类的企业数与之相同)?。", text):
        if len(c18) < 3 or int(m.group(1)) != c18[2] or "中类" not in text[max(0, m.start() - 80):m.start()]:
            continue
        want = cut_ties(c18, 3)
        if int(m.group(3) or 0) != want:
            fails.append("claim: %r — T18 has %d more divisions with %d enterprises" % (m.group(0)[:70], want, c18[2]))
    # "企业数量庞大" / "企业数量多" of a T18 type only when its divisions reach min_n
    for typ, word in (("高基数型", "企业数量庞大"), ("双高型", "企业数量多")):
        low = [r for r in rows("T18") if r["values"].get("type") == typ and (r["values"].get("count") or 0) < min_n]
        if low and re.search(r"\*?\*?%s\*?\*?有\d+个中类（如[^）]*），%s" % (typ, word), text):
            fails.append("claim: %s said %s with divisions under %d enterprises" % (typ, word, min_n))
    # 其三 of chapter 3 names the domains with the highest median of grants; one under min_n is said to be so
    for m in re.finditer(r"发明授权中位数最高的是([^，（；。]+)(（企业不足\d+家，仅供参考）)?，企业技术中心", text):
        labels = {re.sub(r"\s+", "", r["label"]): r for r in rows("T25")}
        small = [k for k in m.group(1).split("、") if k in labels and (labels[k]["values"].get("n") or 0) < min_n]
        if bool(small) != bool(m.group(2)):
            fails.append("claim: %r — domains under %d enterprises: %s" % (m.group(0)[:70], min_n, small))
    # "专利总量中位数高于X的有A、B…": every such city is named, or the list ends 等N个城市
    r16 = rows("T16")
    for m in re.finditer(r"(企业数前二十的城市中|家的城市中)，专利总量中位数高于([^的]+)的有([^，。]*)，企业数量与创新密度", text):
        pool = r16[:20] if m.group(1).startswith("企业数前二十") else r16
        m0 = r16[0]["values"].get("median_patents") if r16 else None
        want = sum(1 for r in pool if m0 is not None and gt(r["values"].get("median_patents"), m0)
                   and (r["values"].get("count") or 0) >= min_n)
        said = re.search(r"等(\d+)个城市$", m.group(3))
        got = int(said.group(1)) if said else len(m.group(3).split("、"))
        if got != want:
            fails.append("claim: %r names %d cities, T16 has %d" % (m.group(0)[:80], got, want))
    c16 = [r["values"].get("count") for r in rows("T16")]
    if len(c16) >= 2 and c16[0] == c16[1] and re.search(r"2\.2\.3省内城市梯队：[^。]*?企业数居首", text):
        fails.append("claim: 2.2.3 says one city 企业数居首 but T16's first two counts are %s" % c16[:2])
    # "…中位数最高的是A、B（N件）": every domain at T25's maximum is named, and only those
    for c25, word in (("median_invention_grants", "发明授权"), ("median_software_copyrights", "软件著作权")):
        vals = [(re.sub(r"\s+", "", r["label"]), r["values"].get(c25)) for r in rows("T25")]
        vals = [(k, v) for k, v in vals if isinstance(v, (int, float))]
        for m in re.finditer(word + r"中位数最高的是([^（，。；]+)（([\d.]+)件）", text):
            top = max(v for _, v in vals) if vals else None
            want = {k for k, v in vals if v == top}
            if set(m.group(1).split("、")) != want:
                fails.append("claim: %r but T25's maximum %s is held by %s" % (m.group(0), top, "、".join(sorted(want))))
    # a 直辖市's city edition: the city is its own province ("北京市所在的北京市")
    for m in re.finditer(r"([\u4e00-\u9fff]{2,8}[市省区])所在的\1", text):
        fails.append("claim: a region said to lie in itself: %r" % m.group(0))
    # one value listed three times over ("分别为0.00%、0.00%和0.00%"): said once (均为 / 都没有)
    for m in re.finditer(r"分别为(-?[\d.,]+[%倍家件]?)、\1和\1", text):
        fails.append("claim: one value listed three times: %r" % m.group(0))
    # a province tied with the first is not 次之 ("A与B以18.18%的占比并列第一，C（18.18%）次之")
    for m in re.finditer(r"以([\d.]+%)的占比(?:并列第一|居首)，[^；。]*?（\1）[^；。]*?次之", text):
        fails.append("claim: a share tied with the first said as 次之: %r" % m.group(0))
    # a count said to change into itself ("涉及申请人从1家变为1家")
    for m in re.finditer(r"从(\d[\d,]*)(家|件)变为\1\2", text):
        fails.append("claim: a value said to change into itself: %r" % m.group(0))
    # a year table of zeros listed year by year ("2023年分别为0.00件和0.00件，2024年为0.00件和0.00件…")
    z = r"0(?:\.0+)?件和0(?:\.0+)?件"
    for m in re.finditer(r"\d{4}年分别为%s，\d{4}年为%s，\d{4}年为%s" % (z, z, z), text):
        fails.append("claim: a year table of zeros listed year by year: %r" % m.group(0))
    # T08's with/without-evaluation comparison rests on the groups T07 counts
    # (n x the four shares): a conclusion needs min_n enterprises in each
    evals = ("intl_advanced", "domestic_advanced", "intl_level", "domestic_level")
    groups = []
    for lv in ("national", "provincial"):
        n = cell("T07", lv, "n") or 0
        w = round(n * sum(cell("T07", e, lv + "_share") or 0 for e in evals))
        groups += [w, n - w]
    if min(groups) < min_n:
        for w in ["创新质量也更高", "“背书”作用更大", "有无评价的差距更大", "在两个层级上并不一致"]:
            if w in text:
                fails.append("claim: %r printed with an evaluation group under %d enterprises (T07: %s)"
                             % (w, min_n, groups))
    # the closing "两个重要突破口" of 2.1.3 rests on the provincial with/without-evaluation groups
    if min(groups[2:]) < min_n and "两个重要突破口" in text:
        fails.append("claim: '两个重要突破口' printed with a provincial evaluation group under %d enterprises (T07: %s)"
                     % (min_n, groups))
    # T26's domain comparison in the top score band rests on the domains' enterprises (T25 n)
    dn = [cell("T25", k, "n") or 0 for k in ("电子核心产业", "软件信息", "基础制造")]
    if min(dn) < min_n:
        for w in ["反映出政策对硬科技领域的倾斜", "本次数据未显示向硬科技领域的倾斜"]:
            if w in text:
                fails.append("claim: %r printed with a domain under %d enterprises (T25 n: %s)" % (w, min_n, dn))
    t09 = rows("T09")
    n_ok09 = all((r["values"].get("national_n") or 0) >= min_n and (r["values"].get("provincial_n") or 0) >= min_n
                 for r in t09)
    t22 = {k: rows_ for k, rows_ in ((r["key"], r["values"]) for r in rows("T22"))}
    mono22 = len(t22) == 3 and all((t22[k].get("count") or 0) >= min_n for k in t22) and \
        gt(t22[">=25%"].get("national_share"), t22["15-25%"].get("national_share")) and \
        gt(t22["15-25%"].get("national_share"), t22["<15%"].get("national_share")) and \
        gt(t22[">=25%"].get("median_patents"), t22["15-25%"].get("median_patents")) and \
        gt(t22["15-25%"].get("median_patents"), t22["<15%"].get("median_patents"))
    t15 = [[r["values"].get(k) for k in ("京津冀", "长三角", "珠三角")] for r in rows("T15")]
    t14 = rows("T14")
    sw = cell("T25", "软件信息", "mean_rd_ratio")
    t18types = {r["values"].get("type") for r in rows("T18")}
    rules = [
        ("技术话语权更强", gt(cell("T05", "national", "rate"), cell("T05", "provincial", "rate")) and
         not gt(cell("T05", "provincial", "mean_among_holders"), cell("T05", "national", "mean_among_holders"))),
        ("国家级企业在头部区间的集聚更为明显", gt(cell("T11", "gap_pp", "p90"), cell("T11", "gap_pp", "p50")) and
         (cell("T11", "national", "n") or 0) >= min_n and (cell("T11", "provincial", "n") or 0) >= min_n),
        ("国家级企业增长韧性更强", n_ok09 and len(t09) >= 3 and all(
            gt(r["values"].get("national_median"), r["values"].get("provincial_median")) for r in t09[:3])),
        ("研发投入越高，创新产出和认定层级越高", mono22),
        ("三地的行业构成相近", all(None not in v and max(v) - min(v) <= 0.02 + 1e-12 for v in t15)),
        ("软件信息领域的研发占比均值在各领域中最高", sw is not None and sw >= max(col("T25", "mean_rd_ratio"))),
        ("高占比型有", "高占比型" in t18types),
        ("双高型有", "双高型" in t18types),
        ("规模与质量双领先", bool(t14) and max(t14, key=lambda r: r["values"].get("count") or 0)["key"] ==
         max(t14, key=lambda r: r["values"].get("national_share") or 0)["key"] and
         min(r["values"].get("count") or 0 for r in t14) >= min_n),
    ]
    t01share = cell("T01", "national", "share")
    hi19 = {re.sub(r"\s+", "", r["label"]) for r in rows("T19") if t01share is not None and
            (r["values"].get("national_share") or 0) >= 1.5 * t01share - 1e-12}
    m = re.search(r"。([^。；]*?)等细分赛道的国家级占比明显高于", text)
    named = set(m.group(1).split("、")) if m else set()
    if named - hi19:
        fails.append("claim: segments named above the average but under 1.5× it in T19: %s" % sorted(named - hi19))
    rules += [
        ("创新质量差距最大", (cell("T23", "创新质量", "gap") or -1e9) >= max(col("T23", "gap") or [0]) - 1e-12),
        ("金字塔结构", gt(cell("T01", "provincial", "count"), cell("T01", "national", "count")) and (cell("T01", "national", "count") or 0) > 0),
        ("金字塔”层级分布", gt(cell("T01", "provincial", "count"), cell("T01", "national", "count")) and (cell("T01", "national", "count") or 0) > 0),
        ("由个位数提升到两位数", gt(10, cell("T21", "invention_grants", "provincial_median")) and
         not gt(10, cell("T21", "invention_grants", "national_median"))),
        ("高强度研发是两类企业的共同底色", (cell("T11", "national", "n") or 0) >= min_n and
         (cell("T11", "provincial", "n") or 0) >= min_n and
         not gt(0.05, cell("T11", "national", "mean")) and not gt(0.05, cell("T11", "provincial", "mean"))),
    ]
    # 3.6.1 and 4.1.3: the 小巨人-vs-单项冠军 multiples of T28 (champions ÷ 小巨人) and T21
    m28 = {k: cell("T28", k, "multiple") for k in
           ("foreign_patents", "awarded_patents", "inventors", "licensed_patents", "software_copyrights")}
    rules += [
        ("技术深度与壁垒厚度不足", not (m28["foreign_patents"] is not None and m28["foreign_patents"] <= 1)),
        ("涉外布局并不落后", m28["foreign_patents"] is not None and m28["foreign_patents"] <= 1),
        ("高价值指标优势明显", (m28["awarded_patents"] or 0) >= 1.5),
        ("高价值成果并不落后", m28["awarded_patents"] is not None and m28["awarded_patents"] <= 1),
        ("人才与生态是核心瓶颈", not (m28["inventors"] is not None and m28["inventors"] <= 1)),
        ("团队规模不是短板", m28["inventors"] is not None and m28["inventors"] <= 1),
        ("转化运用能力仍然偏弱", not (m28["licensed_patents"] is not None and m28["licensed_patents"] <= 1)),
        ("转化运用并不落后", m28["licensed_patents"] is not None and m28["licensed_patents"] <= 1),
        ("几乎处于同一起跑线", m28["software_copyrights"] is not None and 1 <= m28["software_copyrights"] <= 1.5),
        ("软件著作权均值反而高于单项冠军", m28["software_copyrights"] is not None and m28["software_copyrights"] < 1),
        ("创新实力较强", (cell("T21", "patents_total", "multiple") or 0) >= 1.5),
        ("距单项冠军仍有明显差距", not gt(cell("T04", "hon_champion", "national_rate"), 0.5 - 1e-12)),
    ]
    # a multiple under 1 is never a gap: "相差0.60倍" reads "之比为" / "国家级是省级的" instead
    for m in re.finditer(r"相差(0\.\d+|1\.00)倍", text):
        fails.append("claim: %r: a multiple of at most 1 printed as a gap" % text[max(0, m.start() - 20):m.end()])
    tc, sw21 = cell("T04", "hon_tech_center", "multiple"), cell("T21", "software_copyrights", "multiple")
    rules += [
        ("企业技术中心持有率国家级并不高于省级", tc is not None and tc <= 1),
        ("差距主要体现在高价值荣誉上", gt(tc, 1)),
        ("国家级企业在高价值荣誉上的优势", gt(tc, 1)),
        ("软件著作权中位数国家级是省级的", sw21 is not None and sw21 <= 1),
        ("涉外布局上“小巨人”并不落后于单项冠军", (cell("T28", "pct_apps", "multiple") or 2) <= 1),
        # T33: "the three most concentrated" only when the fourth does not tie with the third
        ("最集中的三个小类", len(rows("T33")) >= 3 and not (len(rows("T33")) >= 4 and
                                                   cell("T33", rows("T33")[3]["key"], "share") ==
                                                   cell("T33", rows("T33")[2]["key"], "share"))),
        ("软件著作权中位数国家级为零", cell("T21", "software_copyrights", "national_median") == 0),
        # T34 over every year shown, the incomplete ones too: a table printing 1 件 in its last
        # year is no edition without any foreign publication
        # T12: a quadrant said to be empty is empty; one with enterprises gets its role
        ("本次数据中没有这类企业", any(r["values"].get("share") == 0 for r in rows("T12"))),
        ("是冲击单项冠军的核心力量", gt(cell("T12", "high_scale_high_innovation", "share"), 0)),
        # T32: a trend word in 3.6.2's heading rests on complete years of at least min_n decided applications
        ("趋势研判：发明专利授权率", not any((r["values"].get("n") or 0) < min_n for r in rows("T32")[:-2])),
        # T20: judgements on correlations need min_n enterprises and the sign they state
        ("三者高度一致", (tables.get("T20") or {}).get("n", 0) >= min_n and
         min([x for x in (cell("T20", "patents_total", "invention_apps"), cell("T20", "patents_total", "invention_grants"),
                          cell("T20", "invention_apps", "invention_grants")) if x is not None] or [0]) >= 0.7),
        ("规模与创新虽有联系但并非线性对应", all(x is not None and -0.5 < x < 0.5 for x in
                                         (cell("T20", "staff", "patents_total"), cell("T20", "reg_capital", "patents_total")))),
        ("规模与专利总量呈负相关", any(x is not None and x <= -0.5 for x in
                                   (cell("T20", "staff", "patents_total"), cell("T20", "reg_capital", "patents_total")))),
        ("与之相对，科技型中小企业资质的持有率省级高于", gt(0, cell("T04", "hon_tech_sme", "gap_pp"))),
        ("针对创新质量的差距", gt(cell("T23", "创新质量", "gap"), 0)),
        # T25: "各领域…都相差不超过1件" compares at least two domains with grants
        ("都相差不超过1件", sum(1 for r in rows("T25") if isinstance(r["values"].get("median_invention_grants"),
                                                                  (int, float))) >= 2),
        ("三大城市群中没有该行业的企业", any(all(cell("T15", r["key"], c) == 0 for c in ("京津冀", "长三角", "珠三角"))
                                      for r in rows("T15")[:2])),
        ("年没有发明专利申请（见图表", bool(rows("T31")) and not any(
            (r["values"].get("applications_per_enterprise") or 0) > 0 for r in rows("T31"))),
        ("没有涉外发明专利公开", bool(rows("T34")) and not any((r["values"].get("count") or 0) > 0
                                                           for r in rows("T34"))),
        ("省级企业的发明授权中位数仅为", gt(cell("T21", "invention_grants", "multiple"), 1)),
        ("省级企业的企业技术中心持有率只有", gt(tc, 1)),
        ("上的得分反而高于国家级中位数", min([g for g in col("T23", "gap") if g is not None] or [0]) < 0),
    ]
    # T23: a dimension named as a gap (差距最大 / 居前 / 最突出) must have a positive gap
    m28all = [x for x in col("T28", "multiple") if x is not None]
    s16 = [None] + [r["values"].get("share") or 0 for r in rows("T16")] + [0] * 5
    m21 = [cell("T21", k, "multiple") for k in ("reg_capital", "staff", "patents_total", "invention_grants")]
    no_hon = not any((r["values"].get(c) or 0) > 0 for r in rows("T04") if r["key"] != "hon_little_giant"
                     for c in ("national_rate", "provincial_rate"))
    tcn, tcp = cell("T04", "hon_tech_center", "national_rate"), cell("T04", "hon_tech_center", "provincial_rate")
    tc_nat_only = gt(tcn, 0) and tcp == 0
    tc_none = tcn == 0 and tcp == 0
    tcgap, smegap = cell("T04", "hon_tech_center", "gap_pp"), cell("T04", "hon_tech_sme", "gap_pp")
    gaps23 = [g for g in col("T23", "gap") if g is not None]
    nogap = bool(gaps23) and max(gaps23) <= 0
    gap23 = {re.sub(r"\s+", "", r["label"]): r["values"].get("gap") for r in rows("T23")}
    for m in re.finditer(r"(?:差距居前的(?:三个)?维度|存在差距的维度|差距最突出的维度|差距最大的(?:维度)?)(?:是|——)"
                         r"([^。；]*?)(?:，|。|；|$)", text):
        for lab, g in gap23.items():
            if lab in m.group(1) and (g is None or g <= 0):
                fails.append("claim: %r names %s, whose T23 gap is %s" % (m.group(0)[:40], lab, g))
    for m in re.finditer(r"([^：，。]{2,12}（[^）]+）)差距最大（(−[\d.]+)分）", text):
        fails.append("claim: %r: a negative gap called the largest" % m.group(0))
    rules += [
        ("未显示省级企业的能力落差", nogap),
        ("省级企业各维度均不低于国家级中位数", nogap),
        ("省级企业在五个维度上均不低于国家级中位数", nogap),
        ("这五项指标不足以区分两个层级", nogap),
        ("省级企业在五个维度上全面落后", bool(gaps23) and min(gaps23) > 0),
        ("的层级差距有限", tc is not None and tc >= 1),
        ("国家级企业在荣誉资质上并不占优", tc is not None and tc < 1),
        ("介于规模指标的两项差距之间", tc is not None and tc > 1 and
         min(cell("T21", "staff", "multiple") or 0, cell("T21", "reg_capital", "multiple") or 0) < tc <=
         max(cell("T21", "staff", "multiple") or 0, cell("T21", "reg_capital", "multiple") or 0)),
        ("单项冠军在对标的各项指标上均不高于“小巨人”", bool(m28all) and max(m28all) <= 1),
        ("单项冠军只在少数对标指标上高于“小巨人”", sum(x <= 1 for x in m28all) > sum(x > 1 for x in m28all)),
        ("数字化能力：“小巨人”并不落后", (cell("T29", "数字化能力", "score") or 0) >= 100),
        ("数字化能力：差距最小，机遇最大", (cell("T29", "数字化能力", "score") or 0) < 100),
        ("位列前四，构成第一梯队", s16[1] < 2 * s16[2] and s16[4] >= 1.2 * s16[5] - 1e-12),
        ("位列前四，其中前三位构成第一梯队", s16[1] < 2 * s16[2] and s16[4] < 1.2 * s16[5] and
         s16[3] >= 1.2 * s16[4] - 1e-12),
        ("的企业数远超其他城市", s16[1] >= 2 * s16[2] - 1e-12),
        ("两类企业的团队规模差距不大", (cell("T21", "staff", "multiple") or 0) >= 1 / 1.5 - 1e-9 and
         (cell("T21", "staff", "multiple") or 0) < 1.5),
        ("团队规模并不是国家级企业的优势", (cell("T21", "staff", "multiple") or 1) < 1 / 1.5),
        ("提升发明授权的数量与质量仍是省级企业跨入国家级的重点",
         gt(cell("T21", "invention_grants", "national_median"), cell("T21", "invention_grants", "provincial_median"))),
        ("跨入国家级的关键不在发明授权的数量",
         not gt(cell("T21", "invention_grants", "national_median"), cell("T21", "invention_grants", "provincial_median"))),
        ("作为冲刺国家级的基本投入线", not gt(cell("T11", "provincial", "p50"), cell("T11", "national", "p50"))),
        ("国家级企业的研发占比中位数并不高于省级企业", gt(cell("T11", "provincial", "p50"), cell("T11", "national", "p50"))),
        ("高价值荣誉上国家级并不领先", tc is not None and tc < 1),
        ("研发平台类荣誉的持有率国家级反而低于省级", tc is not None and tc < 1),
        ("研发平台类荣誉在两类企业间的差距不足1.5倍", tc is not None and 1 <= tc < 1.5),
        ("等指标上均低于省级企业", bool(m21) and None not in m21 and max(m21) < 1),
        ("等指标上与省级企业互有高低", None in m21 or not (min(m21) > 1 or max(m21) < 1)),
        ("研发平台类资质的持有率国家级并不高于省级", tc is not None and tc < 1),
        # honours without holders (an export whose hon_* columns are all 0, or missing)
        ("没有企业持有高新技术企业、企业技术中心等荣誉资质", no_hon),
        ("没有企业持有企业技术中心、高新技术企业等荣誉资质", no_hon),
        ("没有企业持有高新技术企业、企业技术中心、科技型中小企业", no_hon),
        ("研发平台类资质在本次数据中没有持有记录", no_hon),
        # one level only: no gap between levels to speak of (was 同样仅供参考)
        ("研发平台类资质的层级差距本版无从比较", not cell("T01", "national", "count") or
         not cell("T01", "provincial", "count")),
        ("研发平台类资质的层级差距同样仅供参考", bool(cell("T01", "national", "count")) and
         bool(cell("T01", "provincial", "count"))),
        ("除“小巨人”称号外没有企业持有这几类荣誉", no_hon),
        ("企业技术中心只见于国家级企业", tc_nat_only),
        ("高价值荣誉只见于国家级企业", tc_nat_only),
        ("只见于国家级企业，是突破关键", tc_nat_only),
        ("两类企业都没有企业技术中心", tc_none),
        ("两类企业都还没有企业技术中心", tc_none),
        ("在两类企业中都没有持有者", tc_none),
        ("企业技术中心持有率两类企业持平", tcgap is not None and abs(tcgap) < 0.005),
        ("科技型中小企业资质的持有率两类企业持平", smegap is not None and abs(smegap) < 0.005),
        ("高价值荣誉上也有差距", gt(tc, 1) and cell("T04", "hon_high_tech", "multiple") is None),
        ("本次数据没有省级企业的企业技术中心持有率", cell("T04", "hon_tech_center", "provincial_rate") is None),
        ("本次数据没有其制造业单项冠军认定的记录", cell("T04", "hon_champion", "national_rate") is None),
        ("各领域都没有发明授权数据", not col("T25", "median_invention_grants")),
    ]
    # T25: a domain said to have enterprises without invention-grant data
    for m in re.finditer(r"(电子核心产业|软件信息|基础制造)(?:领域)?的企业没有发明授权数据", text):
        if cell("T25", m.group(1), "median_invention_grants") is not None or not gt(cell("T25", m.group(1), "n"), 0):
            fails.append("claim: %r but T25's %s has n=%s, median %s" % (m.group(0), m.group(1),
                         cell("T25", m.group(1), "n"), cell("T25", m.group(1), "median_invention_grants")))
    # few provinces / cities / empty groups: the sentences for data that does
    # not fill the national tables (a one-province data set, a small edition)
    nprov13 = sum(1 for r in rows("T13") if (r["values"].get("count") or 0) > 0)
    for m in re.finditer(r"只分布在(\d+)个省份", text):
        if int(m.group(1)) != nprov13:
            fails.append("claim: %r but T13 has %d provinces with enterprises" % (m.group(0), nprov13))
    for m in re.finditer(r"(京津冀|长三角|珠三角)没有专精特新企业", text):
        if cell("T14", m.group(1), "count") != 0:
            fails.append("claim: %r but T14 counts %s" % (m.group(0), cell("T14", m.group(1), "count")))
    t28names = {"PCT申请量": "pct_apps", "涉外专利量": "foreign_patents", "获奖发明专利": "awarded_patents",
                "专利发明人数量": "inventors", "许可专利数量": "licensed_patents", "软件著作权": "software_copyrights",
                "发明授权量": "invention_grants", "参保人数": "staff"}
    for m in re.finditer(r"“小巨人”的(PCT申请量|涉外专利量|获奖发明专利|专利发明人数量|许可专利数量|软件著作权|"
                         r"发明授权量|参保人数)均值为零", text):
        if cell("T28", t28names[m.group(1)], "national_mean") != 0:
            fails.append("claim: %r but T28's national mean is %s" % (m.group(0), cell("T28", t28names[m.group(1)], "national_mean")))
    for m in re.finditer(r"(电子核心产业|软件信息|基础制造)(?:领域)?本版没有企业", text):
        r25 = next((r for r in rows("T25") if r["key"] == m.group(1)), None)
        if r25 and (r25["values"].get("n") or 0) > 0:
            fails.append("claim: %r but T25 has %s enterprises" % (m.group(0), r25["values"].get("n")))
    for m in re.finditer(r"本版“小巨人”企业没有(涉外专利量|获奖发明专利|专利发明人数量|许可专利数量)的数据", text):
        k = {"涉外专利量": "foreign_patents", "获奖发明专利": "awarded_patents", "专利发明人数量": "inventors",
             "许可专利数量": "licensed_patents"}[m.group(1)]
        if cell("T28", k, "national_mean") is not None:
            fails.append("claim: %r but T28's national mean is %s" % (m.group(0), cell("T28", k, "national_mean")))
    for m in re.finditer(r"(\d{4})年没有已审结的申请", text):
        r32 = next((r for r in rows("T32") if r["key"] == m.group(1)), None)
        if r32 is None or (r32["values"].get("n") or 0) != 0:
            fails.append("claim: %r but T32's row is %s" % (m.group(0), r32 and r32["values"]))
    if "软件信息领域的发明授权中位数" in text and "其企业没有软件著作权数据" in text and \
            cell("T25", "软件信息", "median_software_copyrights") is not None:
        fails.append("claim: 软件信息's 其企业没有软件著作权数据 but T25 has a median")
    n01 = cell("T01", "national", "count")
    for m in re.finditer(r"在全部企业中的持有率为([\d.]+%)，本版没有持有者", text):
        if m.group(1) != "0.00%":
            fails.append("claim: %r: a holding rate above zero called 没有持有者" % m.group(0))
    ia = (cell("T07", "intl_advanced", "national_share"), cell("T07", "intl_advanced", "provincial_share"))
    rules += [
        ("本次数据的专精特新企业全部位于", nprov13 == 1),
        ("省份格局：企业全部集中在", nprov13 == 1),
        ("其他省份没有企业", nprov13 < 6),
        ("第一位与第五位之比不到1.5倍", len(rows("T16")) >= 5 and s16[1] < 1.5 * s16[5]),
        ("城市层面形成多级梯队", len(rows("T16")) >= 5 and s16[1] >= 1.5 * s16[5] - 1e-12),
        ("本版没有国家级企业", n01 == 0),
        ("本版没有省级企业", cell("T01", "provincial", "count") == 0),
        ("各战略领域都没有可比较的发明授权数据", not col("T25", "median_invention_grants")),
        ("软件著作权中位数的倍数无法计算", cell("T21", "software_copyrights", "multiple") is None),
        ("其余维度本版没有可比数据", any(r["values"].get("score") is None for r in rows("T23"))),
        ("本次数据没有注册资本的数值", (cell("T02", "national", "n") or 0) == 0 and (cell("T02", "provincial", "n") or 0) == 0),
        ("本次数据没有参保人数的数值", cell("T21", "staff", "national_median") is None and
         cell("T21", "staff", "provincial_median") is None),
        ("本次数据没有同时具备参保人数和专利总量的企业", (cell("T12", "total", "count") or 0) == 0),
        ("本次数据不足以划分四象限", cell("T12", "low_scale_high_innovation", "share") is None),
        ("本次数据缺少注册资本或参保人数的数值", cell("T21", "reg_capital", "multiple") is None or
         cell("T21", "staff", "multiple") is None),
        ("都是省级企业，还没有国家级“小巨人”", n01 == 0),
        ("两类企业中都没有获评“国际先进/领先”的企业", ia == (0, 0)),
        ("两类企业中都没有持有标准的企业", cell("T05", "national", "rate") == 0 and cell("T05", "provincial", "rate") == 0),
        ("国家级企业中没有持有标准的企业", cell("T05", "national", "rate") == 0),
        ("省级企业中没有持有标准的企业", cell("T05", "provincial", "rate") == 0),
        ("还没有企业同时获得制造业单项冠军认定", cell("T04", "hon_champion", "national_rate") == 0),
    ]
    # 2.3.4 and chapter 2's summary: the 中类 types of T18 and the 小类 of T19
    n18 = sum(1 for r in rows("T18") if r["values"].get("type") in ("双高型", "高占比型"))
    n18dh = sum(1 for r in rows("T18") if r["values"].get("type") == "双高型")
    n19 = len(rows("T19"))
    for m in re.finditer(r"找出(\d+)个国家级占比突出的中类（(?:其中双高型(\d+)个，)?", text):
        if int(m.group(1)) != n18 or int(m.group(2) or 0) != n18dh:
            fails.append("claim: %r but T18 has %d such 中类 (%d 双高型)" % (m.group(0), n18, n18dh))
    for m in re.finditer(r"双门槛识别出(\d+)个关键小类，国家级占比最高的是([^（]+)（", text):
        top = max(rows("T19"), key=lambda r: r["values"].get("national_share") or 0) if n19 else None
        if int(m.group(1)) != n19 or top is None or re.sub(r"\s+", "", top["label"]) != m.group(2):
            fails.append("claim: %r but T19 has %d rows (top %s)" % (m.group(0), n19, top and top["label"]))
    # 2.3.2: the three first of the 中类 tied on count, their 国家级 shares in one phrase
    top18 = [r["values"].get("national_share") for r in rows("T18")[:3]]
    for m in re.finditer(r"个中类的企业数并列最多（各\d+家），其中[^。]*?(都没有国家级企业|的国家级占比均为([\d.]+)%)", text):
        same = len(top18) == 3 and None not in top18 and top18[0] == top18[1] == top18[2]
        if not same or (m.group(2) is None and top18[0] != 0) or (m.group(2) is not None and pct(top18[0]) != m.group(2) + "%"):
            fails.append("claim: %r but T18's first three 国家级 shares are %s" % (m.group(0), top18))
    # no 国家级 enterprise: every 中类 is 高占比型 by the 1.5 x 0 rule, which
    # singles nothing out — the words must not call any 中类 outstanding
    nat0 = cell("T01", "national", "count") == 0
    # "…等非制造业行业": the divisions named are not manufacturing (13–43)
    for m in re.finditer(r"未超过一半，(.+?)等非制造业行业", text):
        for name in m.group(1).split("、"):
            code = re.match(r"\d+", name)
            if code and 13 <= int(code.group()) <= 43:
                fails.append("claim: %r names the manufacturing division %s as non-manufacturing" % (m.group(0), name))
    rules += [
        ("中类层面识别出国家级占比突出的领域", not nat0),
        ("个国家级占比突出的中类", not nat0),
        ("但国家级占比达到全部企业的1.5倍以上", not nat0),
        ("没有中类达到“双高型”或“高占比型”的标准", n18 == 0),
        ("没有小类同时达到企业数和国家级占比两道门槛", n19 == 0),
        ("“大类集聚—中类聚焦—小类深耕”层层传导", n19 > 0 and n18 > 0),
        ("由大类到中类再到小类，政策资源层层传导", n19 > 0),
        ("小类层面没有达到筛选标准的行业", n19 == 0 and n18 > 0),
        ("中类和小类层面都没有识别出", n19 == 0 and n18 == 0),
        ("本次数据没有可用的研发投入数据", len(rows("T22")) == 0),
        ("战略领域分组没有可用数据", len(rows("T25")) == 0),
        ("这一个行业大类，三大城市群的行业构成相同", len(rows("T15")) == 1),
        ("呈现明显的阶梯式特征", gt(cell("T21", "patents_total", "multiple"), 1) and
         gt(cell("T28", "patents_total", "multiple"), 1) and gt(tc, 1) and
         not gt(cell("T11", "provincial", "p50"), cell("T11", "national", "p50"))),
        ("并非逐级抬升", None not in (cell("T21", "patents_total", "multiple"), cell("T28", "patents_total", "multiple"),
                               tc, cell("T11", "national", "p50"), cell("T11", "provincial", "p50")) and not (gt(cell("T21", "patents_total", "multiple"), 1) and
         gt(cell("T28", "patents_total", "multiple"), 1) and gt(tc, 1) and
         not gt(cell("T11", "provincial", "p50"), cell("T11", "national", "p50")))),
    ]
    if re.search(r"企业技术中心持有率相差[\d.]+倍", text) and not gt(tc, 1):
        fails.append("claim: 企业技术中心持有率相差…倍 printed but T04's multiple is %s" % tc)
    for phrase, ok in rules:
        if phrase in text and not ok:
            fails.append("claim: %r printed but its table says otherwise" % phrase)
    if SCOPE["kind"] != "national":
        fails += regional_check(tables, text, min_n, national)
    return fails


def pct(v):
    return format_num("share", 2, v)


def regional_check(tables, text, min_n, national):
    """A regional edition: no national-only wording, its rank and share among
    provinces as T13 (the whole data set) gives them, the 全国 benchmark equal
    to the national build's, and no tier conclusion under min_n."""
    fails = []
    name, prov = SCOPE["name"], SCOPE["province"]
    text = text.replace("由跟跑到并跑再到领跑", "")   # chapter 1's fixed policy table
    for w in ["领跑", "一枝独秀", "三足鼎立", "全国平均水平为", "三大城市群集中过半", "规模与质量双领先",
              "构成第一梯队", "仅国家级“小巨人”一项就已超过", "在空间上高度集中，前三个省份"]:
        if w in text:
            fails.append("regional: the edition prints the national wording %r" % w)
    if name not in text[:400]:
        fails.append("regional: the cover does not name %s" % name)
    place = t13_place(tables)
    if place:
        rank, share, nprov = place
        for m in re.finditer(re.escape(prov) + r"(?:以[\d.]+%的占比)?居(?:全国)?第(\d+)位", text):
            if int(m.group(1)) != rank:
                fails.append("regional: %r but T13 ranks %s %d" % (m.group(0), prov, rank))
        for m in re.finditer(r"在(\d+)个有企业的省份中居第(\d+)位", text):
            if (int(m.group(1)), int(m.group(2))) != (nprov, rank):
                fails.append("regional: %r but T13 gives %d provinces, %s %d" % (m.group(0), nprov, prov, rank))
        if SCOPE["kind"] == "province":
            for m in re.finditer(re.escape(name) + r"(?:共有专精特新企业\d[\d,]*家，|的企业)占全国([\d.]+%)", text):
                if m.group(1) != pct(share):
                    fails.append("regional: %r but T13 gives %s" % (m.group(0), pct(share)))
    elif SCOPE["kind"] == "province":
        fails.append("regional: T13 has no row %s" % prov)
    # the 全国 benchmark: the national build's T01 national share
    if national:
        nat = next((r["values"]["share"] for r in national.get("T01")["rows"] if r["key"] == "national"), None)
        for m in re.finditer(r"全国为([\d.]+%)", text):
            if nat is not None and m.group(1) != pct(nat):
                fails.append("regional: %r but the national build's 国家级占比 is %s" % (m.group(0), pct(nat)))
    t01 = {r["key"]: r["values"] for r in tables.get("T01")["rows"]}
    own, total = t01["national"]["share"], t01["total"]["count"]
    nat = wmean(tables, "T13", "national_share", "count")   # the nation's share, recomputed from T13
    m = re.search(r"国家级企业占比为([\d.]+%)，全国为([\d.]+%)，([^。]*)。", text)
    if m:
        said = m.group(3)
        if total < min_n:
            ok = "仅供参考" in said
        elif abs(own - nat) <= 0.005 + 1e-12:
            ok = "基本持平" in said
        else:
            ok = ("高于" in said) == (own > nat) and ("低于" in said) == (own < nat)
        if not ok:
            fails.append("regional: %r contradicts %s %s vs 全国 %s (n=%d)" % (m.group(0), name, pct(own), pct(nat), total))
    # conclusions about the two tiers need min_n enterprises in each
    small = (t01["national"]["count"] or 0) < min_n or (t01["provincial"]["count"] or 0) < min_n
    if small:
        for w in TIER_CONCLUSIONS:
            if w in text:
                fails.append("regional: %r printed with a tier under %d enterprises (国家级 %d, 省级 %d)"
                             % (w, min_n, t01["national"]["count"], t01["provincial"]["count"]))
    return fails


# Tier conclusions the templates may print only when both tiers reach min_n.
TIER_CONCLUSIONS = ["拉开明显梯度", "要素集聚能力明显更强", "更为突出", "技术话语权更强", "层级差异仍然明显",
                    "创新质量也更高", "创新质量明显高于", "增长韧性更强", "集聚更为明显", "全面领先", "全面落后",
                    "明显向内收缩", "区分两类企业的重要标志", "更为悬殊",
                    "主要短板", "核心短板", "首要瓶颈", "首要突破口", "关键突破点", "是突破关键", "最关键的资质",
                    "一个重要因素", "两个重要突破口", "清晰的对应关系", "呈现同样的规律", "量级突破", "相互印证"]


def main(argv):
    opts = {}
    while len(argv) > 4 and argv[-2].startswith("--"):
        opts[argv[-2]] = argv[-1]
        argv = argv[:-2]
    if len(argv) != 4 or set(opts) - {"--scope", "--province", "--national"}:
        print(__doc__)
        return 2
    tdir, out, src = argv[1], argv[2], argv[3]
    tables = Tables(os.path.join(out, "tables.json"))
    params = read_params(os.path.join(tdir, "params.ini"))
    stem, national = "report", None
    if opts.get("--scope"):
        kind, _, name = opts["--scope"].partition("=")
        SCOPE.update(kind=kind, name=name, province=opts.get("--province") or name)
        stem = name
        # the edition's parameters: [scope] and the title with the region in front
        if not params.has_section("scope"):
            params.add_section("scope")
        for k in ("kind", "name", "province"):
            params.set("scope", k, SCOPE[k])
        params.set("report", "title", name + params.get("report", "title"))
    if opts.get("--national"):
        national = Tables(os.path.join(opts["--national"], "tables.json"))
        NATIONAL[0] = national
    tpl = Template(tdir, out, "claims.csv" if stem == "report" else stem + ".claims.csv")
    pdfpath = os.path.join(out, stem + ".pdf")
    pdf = PdfText(pdfpath, params)
    labels = page_labels(pdfpath)
    ranges = file_page_ranges(tpl, pdf, labels, tables, params)
    passed, fails, notes, values = crosscheck(tpl, tables, params, pdf, ranges)
    rfails, rnotes = reverse_check(tpl, tables, params, pdf, ranges, values)
    cfails = claim_check(tables, pdfpath, int(float(params.get("claims", "min_n").split(";")[0]))
                         if params.has_option("claims", "min_n") else 30, national, pdf.text)
    rfails += cfails
    failed = len(fails) + len(rfails)
    passed += 1 if not rfails else 0
    for n in notes + rnotes:
        print("note:", n)
    for x in fails + rfails:
        print("FAIL:", x)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
