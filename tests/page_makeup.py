#!/usr/bin/python3
"""tests/page_makeup.py — an editor's page make-up checks of a report PDF,
read back with poppler (pdftotext -bbox-layout) and qpdf (the content
streams), independent of the layout engine:

  - page fill: the share of the type area (28 mm top / 25 mm bottom margin
    on A4) down to the last line of each page; no page but the last under
    25 %, at most 3 under 65 % (the cover and the 目录 / 图表目录 pages are
    front matter and not counted);
  - widows and orphans: no paragraph leaves a single line alone at the top
    of a page (the page before ends on a full justified line and this page
    opens with a short one, followed by a new paragraph or nothing), and no
    paragraph opens with a single line at the foot of a page;
  - a heading keeps at least two lines of its text below it on its page;
  - no lead-in ending in ： ("核心举措：") is the last line of a page with
    the list it introduces ("1. …", "（1）…") opening the next one;
  - no page opens with a figure's 资料来源 or 注： line (it stays with the
    figure above it);
  - a footnote is set once at the foot of a page that cites it twice, and
    once in the report: a note cited again on a later page is not set
    again at that page's foot;
  - no paragraph closes on a line of one character and its mark ("建。");
  - no line letter-spaced across the measure (a justified line at least
    35 % wider than its characters set solid), no two Han characters of a
    line drawn more than 0.16 em apart and no blank beside a full-width
    mark (after ，。；：、！？）》”, before （《“) widened by more than 0.26 em
    (read from the content streams: justification moves characters apart
    by 0.05 em, then a little to the blanks beside marks, then spreads the
    rest evenly, characters up to 0.15 em, blanks up to 0.25 em, and
    leaves what is left at the end of the line; "方面，  国家级" with a
    0.5–0.75 em blank was a visible gap), and none closed up by more than
    0.06 em (a chapter's make-up may set a paragraph tight, at most 0.05 em
    a gap, where that saves it a line);
  - type size: every Tf in every content stream at least 7.5 pt, no text
    matrix that scales;
  - no table cell, chart label or box line of a single CJK character
    right above or below another line of it (a name split or stacked one
    character per line; a one-character name alone is whole);
  - no body line that runs on ending on a digit with the next opening on a
    Han character (a number broken from its unit, "1.1 / 倍", or an
    industry code from its name, "65 / 软件…"), none breaking a range at
    its dash ("101— / 200人").

  - numbers (with --tables tables.json of the same build): a share, a
    multiple or a score of the tables is printed one way only: no other
    rounding of it (10.6% for the 10.57% of a table) appears anywhere in
    the PDF; no count with decimals ("1,326.2家"); thousands separators on
    every number of five or more digits ("10000万元" is a failure);
    digits set solid against Han characters ("2026年", not "2026 年");
    one range dash (—) between numbers, never – or ~;
    "图表N" / "见图表N" never broken across lines.

  - a dash said: an exhibit (caption to 资料来源) whose table shows a
    number cell "—" (a value the data cannot give: a mean of no ratios,
    a share of a quadrant without enterprises) says in its note what “—”
    means;
  - small-sample notes: a note "X、Y等样本量小于30" under an exhibit names
    only rows the exhibit shows (a top-N table or chart does not name the
    rows it leaves out); groups that are no row ("…企业") are not checked;
    no note under an exhibit shown without data (暂无数据);
  - split tables: a table continued on the next page (its caption again
    with "（续）" over the repeated header) has more than KEEP_ROWS body rows
    in all (a table of up to 8 rows, 合计 included, is kept whole: split, it
    read as two stubs), and no part of it fewer than 2; rows are read back
    as bands of 9 pt cell lines whose boxes overlap (a wrapped cell and the
    cells centred beside it are one band), the header band being the one
    the continuation repeats;
  - split words in table cells: a cell line that runs on to the next line
    of the same cell does not break a Latin word ("Bio" / "BAY") nor a run
    of Han characters between two of them ("战略供应" / "商"): cells break
    at spaces and after punctuation, a header also at the word boundaries
    before the statistic it ends with or after the group it starts with
    (HEAD_BEFORE / HEAD_AFTER: "有科技成果评价企业" / "发明授权中位数"), and
    the columns are set wide enough for their words where the words of all
    columns fit side by side.

Usage: page_makeup.py REPORT.pdf [--tables tables.json] [--template DIR] [--verbose] [--fill]
                      [--chapter-end P]
(--chapter-end P: also every chapter's last page, the page before a chapter
opener, at least P of the type area full (0.40: an edition whose make-up can
carry a section over from the page before, as test_layout_regional's).)
(--fill: the page fill checks only, a second or two a report.)
(--template: numbers written literally in the template's Markdown are the
edition's own figures and not checked against the tables.)
Prints one line per failure and "N passed, M failed"; exit 1 on failure.
"""
import os
import re
import functools
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

X0, TW = 70.866, 453.543          # text block (25 mm margins on A4)
YTOP, YBOT = 79.37, 771.02        # type area (28 mm top, 25 mm bottom)
BODY_H = (10.6, 13.0)             # word box height of 10.5 pt body text (CJK serif, Latin digits; a superscript note mark raises it: 12.94 after a digit, "4件⁹")
MIN_PT = 7.5

passed = failed = 0
VERBOSE = False


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return ok


def pages_of(pdf):
    """Per page: list of lines (xmin, ymin, xmax, ymax, text) in the type area,
    and whether the page has a running head."""
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, check=True).stdout
    text = out.decode("utf-8")
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
    text = text.replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    root = ET.fromstring(text)
    pages = []
    for pg in root.iter("page"):
        lines, head = [], False
        for ln in pg.iter("line"):
            words = [w.text or "" for w in ln.iter("word")]
            wbox = tuple((float(w.get("xMin")), float(w.get("xMax")), w.text or "") for w in ln.iter("word"))
            box = tuple(float(ln.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            if box[3] < YTOP - 4:
                head = True
                continue
            if box[1] > YBOT + 4:
                continue
            lines.append(box + ("".join(words), wbox))
        lines.sort(key=lambda b: (b[1], b[0]))
        pages.append((lines, head))
    return pages


def is_body(ln):
    return BODY_H[0] <= ln[3] - ln[1] <= BODY_H[1]


def full(ln):
    return ln[2] >= X0 + TW - 2.5


def natural_width(s, size=10.5):
    w = 0.0
    for ch in s:
        o = ord(ch)
        w += size * (0.55 if o < 0x2e80 else 1.0)
    return w


def content_bottom(lines):
    """Foot of the text and figures on a page: the last line above the
    footnotes (a block of small lines set off at the foot, the first one
    opening with its number, the last one at the bottom margin), so
    footnotes do not make a short page look full.  (A chart's axis labels
    above its source line are small lines opening with a number too: a
    page ending on a chart well above the margin has no footnotes.)"""
    k = len(lines)
    if lines and lines[-1][3] < YBOT - 20:
        return max(ln[3] for ln in lines)
    while k > 0 and lines[k - 1][3] - lines[k - 1][1] < BODY_H[0] - 0.5:
        k -= 1
        if (k < len(lines) and k > 0 and re.match(r"\d", lines[k][4])
                and lines[k][1] - lines[k - 1][3] > 12):
            return lines[k - 1][3]
    return max(ln[3] for ln in lines)


def ends_para(lines):
    """Whether a page opens with a heading or an indented paragraph (no
    paragraph of the page before runs on to it); figures heading it are
    skipped."""
    for r in merge_rows(lines):
        ln = r[0]
        if len(r) == 1 and ln[3] - ln[1] > 14.5:
            return True
        if len(r) == 1 and is_body(ln) and not CAPTION.match(ln[4]) and abs(ln[0] - X0) < 0.6:
            return False
        if len(r) == 1 and is_body(ln) and not CAPTION.match(ln[4]) and 15 < ln[0] - X0 < 25:
            return True
    return False


def text_lines(rows):
    """Body-text lines of a page: body height, starting at the left of the
    text block, at a paragraph indent or at a list item's bullet (7.4 pt in; table
    cells start 4 pt in)."""
    return [r[0] for r in rows if BODY_H[0] <= r[0][3] - r[0][1] <= 13 and not CAPTION.match(r[0][4])
            and any(abs(r[0][0] - X0 - k) < 0.6 for k in (0, 7.4, 21, 42))]


CAPTION = re.compile(r"图表(\d+)[：:]")
LIST_MARK = re.compile(r"\s*(\d+[.．、]|[（(]\d+[)）]|[•·●])")


def figure_checks(pages, first_body):
    """Figure placement: page of each caption against the pages citing it,
    and pages holding figures with (next to) no text."""
    fig_page, cites, bare, unsourced, tops = {}, {}, [], [], []
    open_fig = None       # the exhibit whose source line is still to come
    for i, (lines, head) in enumerate(pages):
        if i < first_body:
            continue
        rows = merge_rows(lines)
        # a figure's source or note line opening a page (it stays with the
        # figure above it)
        if rows and re.match(r"(资料来源|注：)", rows[0][0][4]):
            tops.append((i + 1, rows[0][0][4][:20]))
        for r in rows:
            m = CAPTION.match(r[0][4])
            if m and "（续）" not in r[0][4]:
                if open_fig is not None:
                    unsourced.append(open_fig)
                open_fig = int(m.group(1))
            elif r[0][4].startswith("资料来源"):
                open_fig = None
        caps = [r[0] for r in rows if CAPTION.match(r[0][4])]
        for c in caps:
            n = int(CAPTION.match(c[4]).group(1))
            if "（续）" not in c[4]:
                fig_page.setdefault(n, i + 1)
        for ln in text_lines(rows):
            for m in re.finditer(r"图表(\d+)", ln[4]):
                cites.setdefault(int(m.group(1)), []).append(i + 1)
        # (a long table that starts under another figure and runs over to
        # the next page is placed near its citation at the cost of the text)
        nxt = merge_rows(pages[i + 1][0]) if i + 1 < len(pages) else []
        runs_over = bool(nxt) and "（续）" in nxt[0][0][4]
        if caps and len(text_lines(rows)) < 2 and not runs_over:
            bare.append(i + 1)
    if open_fig is not None:
        unsourced.append(open_fig)
    far, uncited = [], []
    for n, fp in sorted(fig_page.items()):
        c = cites.get(n)
        if not c:
            uncited.append(n)
            continue
        before = [p for p in c if p <= fp]
        cp = max(before) if before else min(c)
        if fp - cp > 1 or cp - fp > 1:
            far.append("图表%d p.%d cited p.%d" % (n, fp, cp))
    check(not far, "figures more than a page from their citation: %s" % ", ".join(far))
    check(not uncited, "exhibits never cited in the text: %s" % ["图表%d" % n for n in uncited])
    check(not unsourced, "exhibits without a source line: %s" % ["图表%d" % n for n in unsourced])
    check(not bare, "pages of figures only (under two lines of text): %s" % bare)
    check(not tops, "pages opening with a figure's source or note line: %s" % tops)


def merge_rows(lines):
    """Lines with the same top and height (within 1 pt) joined left to right:
    one text row, [(xmin, ymin, xmax, ymax, text)]."""
    rows = []
    for ln in lines:
        r = rows[-1][0] if rows else None
        if r and abs(r[1] - ln[1]) < 1.0 and abs((r[3] - r[1]) - (ln[3] - ln[1])) < 1.0:
            rows[-1] = [(min(r[0], ln[0]), r[1], max(r[2], ln[2]), r[3], r[4] + ln[4])]
        else:
            rows.append([ln])
    return rows


def fmt_fixed(v, dec):
    """%.*f as C printf rounds it, with thousands separators (the number rules)."""
    s = "%.*f" % (dec, v)
    neg = s.startswith("-")
    s = s.lstrip("-")
    ip, dot, fp = s.partition(".")
    ip = "{:,}".format(int(ip))
    return ("-" if neg and any(c in "123456789" for c in s) else "") + ip + dot + fp


def number_forms(tables_json):
    """{printed form: canonical form} for every share / multiple / score of
    the tables rounded other than by its rule (1 to 3 decimals), leaving out
    forms that are some value's canonical form."""
    import json
    with open(tables_json, encoding="utf-8") as f:
        d = json.load(f)
    rule = {"share": 2, "multiple": 2, "score": 1}
    canon, alt = set(), {}
    for t in d["tables"]:
        cols = {c["key"]: c for c in t["columns"]}
        for r in t["rows"]:
            over = r.get("types") or {}
            for k, v in r["values"].items():
                if not isinstance(v, (int, float)) or isinstance(v, bool):
                    continue
                typ = over.get(k) or cols[k]["type"]
                dec = cols[k].get("decimals", -1) if not over.get(k) else -1
                if typ not in rule:
                    continue
                dec = rule[typ] if dec is None or dec < 0 else dec
                x, suf = (v * 100, "%") if typ == "share" else (v, "倍" if typ == "multiple" else "")
                c = fmt_fixed(x, dec) + suf
                canon.add(c)
                if typ == "score":
                    continue      # scores print bare: too many look-alikes in the text
                for d2 in (1, 2, 3):
                    if d2 != dec:
                        alt.setdefault(fmt_fixed(x, d2) + suf, c)
    return {a: c for a, c in alt.items() if a not in canon}


def template_numbers(tdir):
    """Numbers written literally in the template's Markdown (outside {{…}}):
    the edition's own figures, not roundings of a computed value."""
    import glob
    out = set()
    for f in glob.glob(os.path.join(tdir, "*.md")):
        s = re.sub(r"\{\{.*?\}\}", " ", open(f, encoding="utf-8").read())
        out.update(re.findall(r"\d[\d,]*\.\d+(?:%|倍)", s))
    return out


MAX_HAN_GAP = 0.16                # em between two Han characters of a justified line
MAX_PUNCT_GAP = 0.26              # em added to the blank beside a full-width mark
MIN_HAN_GAP = -0.06               # em between two Han characters of a line set tight (0.05 em closed at most)
PUNCT_AFTER = {0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0x3001, 0xFF01, 0xFF1F, 0xFF09, 0x300B, 0x201D}
PUNCT_BEFORE = {0xFF08, 0x300A, 0x201C}


def literal_bytes(s):
    """The bytes of a PDF literal string's body (escapes resolved)."""
    out, i = bytearray(), 0
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(s):
        c = s[i]
        if c != 0x5C or i + 1 >= len(s):
            out.append(c)
            i += 1
            continue
        d = s[i + 1]
        if 0x30 <= d <= 0x37:
            j = i + 1
            while j < len(s) and j < i + 4 and 0x30 <= s[j] <= 0x37:
                j += 1
            out.append(int(s[i + 1:j], 8) & 0xFF)
            i = j
            continue
        if d in (10, 13):   # a line continuation
            i += 2
            continue
        out.append(esc.get(d, d))
        i += 2
    return bytes(out)


def spaced_han(data):
    """Lines whose Han characters stand apart, or whose full-width marks
    stand apart from their neighbours: in the content streams (qpdf --qdf)
    a justified line draws each character on its own ("x y Td <4e00> Tj",
    the CID being the code point; a run of Latin letters or digits as one
    piece); two Han characters side by side on one baseline at one size
    are an em plus the justification apart, and so are a full-width mark
    (an em wide, its blank inside) and the piece after it.
    Returns (page, the line's first characters, widest gap in em, what)
    for each line over MAX_HAN_GAP between Han characters or MAX_PUNCT_GAP
    beside a mark."""
    out = []
    han = lambda c: 0x4e00 <= c <= 0x9fff
    # the composite (two-byte) fonts: qpdf writes a string of theirs whose
    # bytes are printable as a literal ("([f)" for <5b66> 学), which counts too
    objs = {m.group(1): m.group(2) for m in re.finditer(rb"\n(\d+) 0 obj\n(.*?)endobj", data, re.S)}
    cid = {m.group(1) for m in re.finditer(rb"/(F\d+) (\d+) 0 R", data)
           if b"/Type0" in objs.get(m.group(2), b"")}
    for m in re.finditer(rb"%% Contents for page (\d+)\n.*?stream\n(.*?)endstream", data, re.S):
        size, wide, rows = None, False, {}
        for t in re.finditer(rb"/(F\d+) ([\d.]+) Tf|([\d.-]+) ([\d.-]+) Td\s*(?:<([0-9a-fA-F]+)>|\(((?:[^\\()]|\\.)*)\)) Tj",
                             m.group(2), re.S):
            if t.group(2):
                size, wide = float(t.group(2)), t.group(1) in cid
                continue
            h = t.group(5)
            if h is None:
                if not wide:
                    continue
                h = literal_bytes(t.group(6)).hex().encode()
            if size and len(h) % 4 == 0 and len(h):
                rows.setdefault((round(float(t.group(4)), 2), size), []).append(
                    (float(t.group(3)), int(h[:4], 16), len(h) // 4))
        for (y, sz), pcs in rows.items():
            pcs.sort()
            # a footnote mark (a smaller size, raised) between two pieces of
            # the line stands in the gap: not a gap
            marks = [p[0] for (y2, sz2), ps in rows.items() if sz2 < sz and 0 < y2 - y < sz for p in ps]
            # (two pieces 1.8 em apart or more are not neighbours on a line:
            # the cells of a table row, or a character between them the
            # parse did not read)
            pairs = [(a, b, (b[0] - a[0] - sz) / sz) for a, b in zip(pcs, pcs[1:])
                     if a[2] == 1 and b[0] - a[0] < 1.8 * sz and not any(a[0] < x < b[0] for x in marks)]
            widest = max((g for a, b, g in pairs if han(a[1]) and han(b[1])), default=0)
            # a line set tight to save one closes its gaps by 0.05 em at most
            tightest = min((g for a, b, g in pairs if han(a[1]) and han(b[1])), default=0)
            # (on a justified line: a heading or caption set solid draws a
            # quotation mark of the sans face as a narrow glyph beside its blank)
            punct = max((g for a, b, g in pairs
                         if a[1] in PUNCT_AFTER or (b[1] in PUNCT_BEFORE and b[2] == 1 and han(a[1]))),
                        default=0) if widest > 0.004 else 0
            first = "".join(chr(c) for _, c, _ in pcs[:10])
            if widest > MAX_HAN_GAP:
                out.append((int(m.group(1)), first, widest, "Han characters"))
            if punct > MAX_PUNCT_GAP:
                out.append((int(m.group(1)), first, punct, "beside a mark"))
            if tightest < MIN_HAN_GAP:
                out.append((int(m.group(1)), first, tightest, "Han characters closed up"))
    return sorted(out)


@functools.lru_cache(maxsize=None)
def layout_text(pdf):
    """`pdftotext -layout` of @pdf, run once for every check that reads it."""
    return subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def number_checks(pdf, tables_json, tdir=None):
    text = layout_text(pdf)
    plain = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout.decode("utf-8")
    if tables_json:
        forms = number_forms(tables_json)
        for lit in template_numbers(tdir) if tdir else ():
            forms.pop(lit, None)
        tokens = set(re.findall(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d+(?:%|倍)", text))
        seen = sorted("%s and %s" % (a, forms[a]) for a in tokens if a in forms and forms[a] in tokens)
        check(not seen, "the same value printed with two roundings: %s" % seen[:6])
    frac = re.findall(r"(?<![\d.])\d[\d,]*\.\d+ ?家", plain)
    check(not frac, "fractional counts of firms: %s" % frac[:6])
    ungrouped = re.findall(r"(?<![\d.,A-Za-z])\d{5,}(?![\d])", text)
    check(not ungrouped, "numbers of five or more digits without thousands separators: %s" % ungrouped[:6])
    # a line letter-spaced by justification reads back with a space between
    # every two characters; a section number ("4.2.2 人才…") is no quantity
    spaced = []
    for ln in plain.splitlines():
        if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff，。、；：]", ln):
            continue
        ln = re.sub(r"^\s*\d+(?:\.\d+)+\s", "", ln)
        # an industry code and its name alone on a line (a table cell, "385 家用电力器具制造")
        if re.fullmatch(r"\s*\d{2,4} [\u4e00-\u9fff（）、]{3,}\s*", ln):
            continue
        spaced += re.findall(r"\d[ \u00a0]+[年月日家件人项个倍]", ln)
    check(not spaced, "a space between a number and its Han unit: %s" % spaced[:6])
    dashes = re.findall(r"\d[–~～]\d", text)
    check(not dashes, "ranges set with another dash than —: %s" % dashes[:6])
    broken = re.findall(r"图表\n\d|图表\d+\n\d|见图?\n图?表", plain)
    check(not broken, "图表 and its number broken across lines: %s" % broken[:6])


# (the names run from the clause's start: after 注：, 。, ；or ，, as in
# "注：以2024年数据为基准…；有的组别样本量小于30" — a note a template's source
# line carries — whose list is "有的组别", no row)
SMALL_NOTE = re.compile(r"([^：。；，]*?)(?:等)?样本量小于\d+")


def note_checks(pdf):
    """Small-sample notes name only rows their exhibit shows: every name of
    a "X、Y等样本量小于N" note appears (whole, or without its 市 / 省 / 年
    suffix as chart labels print it) between the exhibit's caption and the
    note."""
    text = layout_text(pdf)
    lines = text.splitlines()
    start, missing = None, []
    for i, ln in enumerate(lines):
        st = ln.strip()
        m = CAPTION.match(st)
        if m:
            if "（续）" not in st:
                start = (i, int(m.group(1)))
            continue
        if not st.startswith("注：") or start is None:
            continue
        note = st
        for nx in lines[i + 1:i + 4]:
            nx = nx.strip()
            if not nx or nx.startswith("资料来源") or CAPTION.match(nx) or nx.startswith("注："):
                break
            note += nx
        region = re.sub(r"\s+", "", "".join(lines[start[0]:i]))
        for mm in SMALL_NOTE.finditer(note[2:]):
            for name in mm.group(1).split("、"):
                name = name.strip()
                if not name or "企业" in name or name.startswith("有的"):
                    continue
                short = re.sub(r"(市|省|自治区|地区|年)$", "", name)
                # (a label wrapped in its cell before a bracket: "15%—25%" / "（中等强度）")
                parts = [q for q in re.split(r"(?=（)", name) if q]
                if (name not in region and (not short or short not in region)
                        and not all(q in region for q in parts)):
                    missing.append("图表%d: %s" % (start[1], name))
    check(not missing, "small-sample notes naming rows their exhibit does not show: %s" % missing[:8])
    # an exhibit shown without data (a table as one 暂无数据 row, a chart as
    # its 暂无数据 box) carries no note: no row of it rests on a small sample
    nonempty = [ln.strip() for ln in lines if ln.strip()]
    bare = [b[:30] for a, b in zip(nonempty, nonempty[1:]) if a == "暂无数据" and b.startswith("注：")]
    check(not bare, "notes under an exhibit shown without data (暂无数据): %s" % bare[:6])


CELL_H = (9.8, 11.6)      # line box height of 9 pt table text (CJK sans 11.3, Latin 10.0)
CELL_PITCH = (12.0, 13.0)  # 9 pt × 1.4 between the lines of one cell (box centres: Latin boxes sit lower)
HAN = re.compile(r"[\u4e00-\u9fff]")


def region_names(tdir):
    """Province and city names of the template's reference data and 全国: the
    second line of a benchmark column's header ("国家级占比" / "江苏省") is one
    of them, a break the layout makes on purpose."""
    import csv
    names = {"全国"}
    for f in ("provinces.csv", "cities.csv"):
        path = os.path.join(tdir, "reference", f) if tdir else ""
        if path and os.path.exists(path):
            with open(path, encoding="utf-8", newline="") as fh:
                names.update(row["name"] for row in csv.DictReader(fh))
    return names


# Word boundaries inside the CJK run of a column header: before the
# statistic a header ends with, after the group it starts with
# ("有科技成果评价企业" / "发明授权中位数", "国家级" / "营收增长率中位数",
# "研发" / "占比均值"); the layout breaks a header there when a column cannot
# hold its whole words (src/report/layout_tables.c head_boundary), and
# nowhere else between two Han characters.  The one list of those words is
# src/report/head_words.h (the quoted words of its two #define lines).
HEAD_WORDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "report", "head_words.h")


def head_words(path=HEAD_WORDS):
    """(words before, words after) from the #define lines of head_words.h."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    out = []
    for name in ("HEAD_WORDS_BEFORE", "HEAD_WORDS_AFTER"):
        m = re.search(r"^#define %s (.+)$" % name, text, re.M)
        words = tuple(re.findall(r'"([^"]+)"', m.group(1))) if m else ()
        if not words:
            sys.exit("page_makeup: %s: no words in #define %s" % (path, name))
        out.append(words)
    return tuple(out)


HEAD_BEFORE, HEAD_AFTER = head_words()


CAPTION = re.compile(r"^图表(\d+)：")  # an exhibit's caption line ("图表22：…", "图表22：…（续）")
CELL_GAP = 3.5  # pt between two words of a line read back: two cells side by side (cell padding 2 pt at least
                # each side), not a blank inside a cell (a 9 pt space is 2.5 pt)


def cell_pieces(ln):
    """Line @ln as read back (words side by side on one baseline) cut where
    two Han characters stand CELL_GAP or more apart: the headers of
    neighbouring columns ("国家级占比" | "新疆维吾尔") are two cells, not one
    line (a quotation mark's blank, "“小巨人” 企业", is inside a cell)."""
    words = ln[5] if len(ln) > 5 and ln[5] else ((ln[0], ln[2], ln[4]),)
    out, cur = [], [words[0]]
    for w in words[1:]:
        if (w[0] - cur[-1][1] >= CELL_GAP and cur[-1][2] and w[2] and HAN.match(cur[-1][2][-1])
                and HAN.match(w[2][0])):
            out.append(cur)
            cur = []
        cur.append(w)
    out.append(cur)
    return [(p[0][0], ln[1], p[-1][1], ln[3], "".join(w[2] for w in p)) for p in out]


def cell_splits(lines, regions=frozenset()):
    """Words split inside table cells: two lines of one cell (9 pt, 12.6 pt
    apart, the same left, centre or right edge) where the first ends and the
    next begins inside a Latin word ("Bio" / "BAY") or between two Han
    characters ("战略供应" / "商"): table cells break only at spaces and
    after punctuation (UAX #14 opportunities with the CJK rules) and a
    header at the word boundaries of HEAD_BEFORE / HEAD_AFTER, so another
    break between two Han characters splits a word or name."""
    out = []
    # a region's name broken at a header word boundary starts a line too ("广西壮族" / "自治区")
    heads = {r[:-len(w)] for r in regions for w in HEAD_BEFORE if len(r) > len(w) and r.endswith(w)}
    cells = [seg for ln in lines if CELL_H[0] <= ln[3] - ln[1] <= CELL_H[1] for seg in cell_pieces(ln)]
    for k, a in enumerate(cells):
        for b in cells[k + 1:]:
            dy = (b[1] + b[3]) / 2 - (a[1] + a[3]) / 2
            if b[1] - a[1] > CELL_PITCH[1] + 3:
                break
            if not (CELL_PITCH[0] <= dy <= CELL_PITCH[1]):
                continue
            same = (abs(a[0] - b[0]) < 1 or abs(a[2] - b[2]) < 1 or
                    abs((a[0] + a[2]) / 2 - (b[0] + b[2]) / 2) < 1)
            if not same or not a[4] or not b[4] or b[4].strip() in regions or b[4].strip() in heads:
                continue
            x, y = a[4][-1], b[4][0]
            latin = x.isascii() and y.isascii() and x.isalpha() and y.isalpha()
            word = b[4].startswith(HEAD_BEFORE) or a[4].endswith(HEAD_AFTER)
            if latin or (HAN.match(x) and HAN.match(y) and not word):
                out.append(a[4][-6:] + "/" + b[4][:4])
    return out


DASH_CELL = re.compile(r"(^|\s)—(\s|$)")  # a cell of "—" alone in a row read back in layout order


def dashes_unsaid(pdf):
    """(page, 图表 number) of each exhibit, from its caption line to its
    资料来源 line in poppler's layout text, that shows a cell "—" alone and
    no “—” in its note."""
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, check=True).stdout
    bad = []
    for i, page in enumerate(out.decode("utf-8").split("\f")):
        cur, dash, said = None, False, False
        for ln in page.split("\n"):
            m = re.match(r"\s*图表(\d+)：", ln)
            if m and "资料来源" not in ln:
                cur, dash, said = m.group(1), False, False
                continue
            if cur is None:
                continue
            dash |= bool(DASH_CELL.search(ln))
            said |= "“—”" in ln
            if "资料来源" in ln:
                if dash and not said:
                    bad.append((i + 1, cur))
                cur = None
    return bad


KEEP_ROWS = 8  # body rows a table is kept whole with (src/report/layout_tables.c GRID_KEEP_ROWS)


def cell_bands(lines):
    """Lines of table cells grouped into rows: a line whose box overlaps the
    band above it (by more than 0.5 pt) joins it."""
    out = []
    for ln in sorted(lines, key=lambda b: b[1]):
        if out and ln[1] < out[-1][1] - 0.5:
            out[-1][0].append(ln)
            out[-1][1] = max(out[-1][1], ln[3])
        else:
            out.append([[ln], ln[3]])
    return [b[0] for b in out]


def band_key(band):
    return tuple(sorted((round(ln[0]), ln[4]) for ln in band))


def split_tables(pages):
    """Tables running over a page: per exhibit number, the body rows of each
    part, [first, continued…] (first None when the header its continuation
    repeats is not found on the page before)."""
    parts = {}
    cell = lambda ln: CELL_H[0] <= ln[3] - ln[1] <= CELL_H[1]
    for i, (lines, head) in enumerate(pages):
        for k, ln in enumerate(lines):
            m = CAPTION.match(ln[4])
            if not m or "（续）" not in ln[4] or i == 0:
                continue
            n = int(m.group(1))
            rows = []
            for nx in lines[k + 1:]:     # the continuation: cell lines up to its note or source
                if CAPTION.match(nx[4]) or re.match(r"(注：|资料来源)", nx[4]) or not cell(nx):
                    break
                rows.append(nx)
            cont = cell_bands(rows)
            if not cont:
                continue
            if n not in parts:
                prev = pages[i - 1][0]
                at = [j for j, p in enumerate(prev) if CAPTION.match(p[4]) and int(CAPTION.match(p[4]).group(1)) == n]
                bands = cell_bands([p for p in prev[at[-1] + 1:] if cell(p)]) if at else []
                hd = [j for j, b in enumerate(bands) if band_key(b) == band_key(cont[0])]
                parts[n] = [len(bands) - hd[-1] - 1 if hd else None]
            parts[n].append(len(cont) - 1)
    return parts


def main():
    global VERBOSE
    argv = sys.argv[1:]
    tables_json = None
    if "--tables" in argv:
        k = argv.index("--tables")
        tables_json = argv[k + 1] if k + 1 < len(argv) else None
        del argv[k:k + 2]
    tdir = None
    if "--template" in argv:
        k = argv.index("--template")
        tdir = argv[k + 1] if k + 1 < len(argv) else None
        del argv[k:k + 2]
    chapter_end = None
    if "--chapter-end" in argv:
        k = argv.index("--chapter-end")
        chapter_end = float(argv[k + 1]) if k + 1 < len(argv) else None
        del argv[k:k + 2]
    args = [a for a in argv if not a.startswith("--")]
    VERBOSE = "--verbose" in argv
    pdf = args[0]
    pages = pages_of(pdf)
    n = len(pages)
    # front matter (cover, 前言, 目录, 图表目录): up to the 第一章 opener
    first_body = 0
    for i, (lines, head) in enumerate(pages):
        if any(ln[3] - ln[1] > 15 and ln[4].startswith("第一章") for ln in lines[:2]):
            first_body = i
            break
    under25, under65, chapter_short = [], [], []
    widows, orphans, headfoot, spaced, single, numbreak, twice, leadins = [], [], [], [], [], [], [], []
    runts = []
    cellsplit, regions = [], region_names(tdir)
    cite_page, fig_page, far = {}, {}, []
    note_page, again = {}, []
    for i, (lines, head) in enumerate(pages):
        if not lines:
            if i != n - 1:
                under25.append((i + 1, 0.0))
            continue
        fill = (content_bottom(lines) - YTOP) / (YBOT - YTOP)
        if VERBOSE:
            print("page %d: fill %.0f%%" % (i + 1, fill * 100))
        if i >= first_body and i != n - 1:
            # a page before a chapter opener may be short only if it ends a chapter
            if fill < 0.25:
                under25.append((i + 1, fill))
            if fill < 0.65:
                under65.append((i + 1, fill))
            # --chapter-end P: a chapter's last page (the page before an
            # opener "第二章 …") at least P full
            nxt = pages[i + 1][0]
            if (chapter_end is not None and fill < chapter_end and
                    any(ln[3] - ln[1] > 15 and re.match(r"第.章", ln[4]) for ln in nxt[:2])):
                chapter_short.append((i + 1, fill))
        if "--fill" in argv:
            continue
        rows = merge_rows(lines)
        body_rows = [r for r in rows if len(r) == 1 and is_body(r[0])]
        # widows: the previous page ends on a full body line, this page opens
        # with a short body line at the left margin that ends its paragraph
        if i > first_body and rows and i > 0:
            prev_rows = merge_rows(pages[i - 1][0])
            top = rows[0]
            if (prev_rows and len(prev_rows[-1]) == 1 and is_body(prev_rows[-1][0]) and full(prev_rows[-1][0])
                    and len(top) == 1 and is_body(top[0]) and abs(top[0][0] - X0) < 1 and not full(top[0])):
                widows.append((i + 1, top[0][4][:20]))
        # orphans: the last body line is full (the paragraph goes on) and is
        # the paragraph's first line (indented) or follows a non-body row
        # (the rows above the footnotes)
        foot_y = content_bottom(lines)
        mrows = [r for r in rows if r[0][1] < foot_y]
        # a footnote mark set superscript on a body line reads back as a
        # small line of its own inside that line: not a row
        mrows = [r for r in mrows if is_body(r[0]) or not any(
            is_body(q[0]) and q[0][1] - 1 <= r[0][1] and r[0][3] <= q[0][3] + 1 for q in mrows)]
        if mrows and i >= first_body and i != n - 1:
            last = mrows[-1]
            if len(last) == 1 and is_body(last[0]) and full(last[0]):
                lone = len(mrows) == 1 or not (len(mrows[-2]) == 1 and is_body(mrows[-2][0])
                                               and full(mrows[-2][0]) or
                                               len(mrows[-2]) == 1 and is_body(mrows[-2][0])
                                               and last[0][0] - X0 < 1 and mrows[-2][0][2] > X0 + TW - 2.5)
                if last[0][0] - X0 > 15 and last[0][0] - X0 < 25:
                    lone = True
                # a one-line paragraph that fills the measure is whole: the
                # next page opens with a heading or a new (indented) paragraph
                if lone and ends_para(pages[i + 1][0]):
                    lone = False
                if lone:
                    orphans.append((i + 1, last[0][4][:20]))
        # a lead-in ("核心举措：") alone at the foot of a page, the list it
        # introduces ("1. …", "（1）…") opening the next page
        if mrows and i >= first_body and i != n - 1:
            last = mrows[-1]
            nxt = merge_rows(pages[i + 1][0])
            # (a figure heading the next page comes between them just as well:
            # "（见图表29）：" / 图表28 / "· 双高型…")
            k = 0
            while k < len(nxt) and CAPTION.match(nxt[k][0][4]):  # figures heading the page, to their source lines
                k = next((j + 1 for j in range(k, len(nxt)) if nxt[j][0][4].startswith("资料来源")), len(nxt))
            first = next((r for r in nxt[k:] if len(r) == 1 and is_body(r[0])), None)
            if (len(last) == 1 and is_body(last[0]) and last[0][4].rstrip().endswith("：") and first
                    and LIST_MARK.match(first[0][4])):
                leadins.append((i + 1, last[0][4][-20:]))
        # headings (≥ 12 pt) followed by fewer than two rows on their page
        for k, r in enumerate(mrows):
            h = r[0][3] - r[0][1]
            # (an exhibit without data is a box reading 暂无数据, not a heading)
            if (len(r) == 1 and h > 14.5 and k >= len(mrows) - 2 and i != n - 1 and i >= first_body
                    and r[0][4].strip() != "暂无数据"):
                if not pages[i + 1][0] or True:
                    headfoot.append((i + 1, r[0][4][:20]))
        # letter-spaced lines
        for r in body_rows if i >= first_body else []:
            ln = r[0]
            w = ln[2] - ln[0]
            nat = natural_width(ln[4])
            # (body text starts at the margin or an indent; table rows start a cell's padding in)
            indented = any(abs(ln[0] - X0 - k) < 0.6 for k in (0, 21, 42))
            if full(ln) and indented and nat > 0 and w > nat * 1.35 and len(ln[4]) >= 4:
                spaced.append((i + 1, ln[4][:20]))
        # a paragraph closing on a line of one character and its mark ("建。",
        # a runt) under a full line that could have given it a character
        for a, b in zip(body_rows, body_rows[1:]) if i >= first_body else ():
            la, lb = a[0], b[0]
            t = lb[4].strip()
            if (full(la) and abs(lb[0] - X0) < 1 and 0 < lb[1] - la[3] < 12 and len(t) <= 3
                    and len(HAN.findall(t)) <= 1 and not LIST_MARK.match(t)):
                runts.append((i + 1, la[4][-4:] + "/" + t))
        # a number broken from its unit or an industry code from its name:
        # a body line running on to the next ends on a digit, the next opens
        # on a Han character
        for a, b in zip(body_rows, body_rows[1:]) if i >= first_body else ():
            la, lb = a[0], b[0]
            if (full(la) and 0 < lb[1] - la[3] < 12 and (re.search(r"\d$", la[4])
                    and re.match(r"[\u4e00-\u9fff]", lb[4]) or re.search(r"\d—$", la[4])
                    and re.match(r"\d", lb[4]) or re.search(r"\d$", la[4]) and re.match(r"—\d", lb[4]))):
                numbreak.append((i + 1, la[4][-8:] + "/" + lb[4][:4]))
        # a footnote set twice at one page's foot (a note cited twice on the page)
        foot = content_bottom(lines)
        notes = [m.group(1) for ln in lines if ln[1] > foot
                 for m in [re.match(r"(\d{1,3})\s*[^\d\s.,%]", ln[4])] if m]
        twice.extend((i + 1, k) for k in sorted(set(notes)) if notes.count(k) > 1)
        for k in sorted(set(notes)):
            if k in note_page:
                again.append("note %s p.%d and p.%d" % (k, note_page[k], i + 1))
            note_page.setdefault(k, i + 1)
        cellsplit.extend((i + 1, w) for w in cell_splits(lines, regions))
        # an exhibit set two pages or more after the text that last cites
        # it before it (a reference ahead, "见图表34" in chapter 2 for a
        # chapter 3 table, is answered by the later citation), or before
        # the text that first cites it
        for ln in lines if i >= first_body else ():
            m = CAPTION.match(ln[4])
            if m and "（续）" not in ln[4]:
                k = int(m.group(1))
                if k not in fig_page:
                    fig_page[k] = i + 1
                    if k in cite_page and i + 1 - cite_page[k] > 1:
                        far.append("图表%d p.%d, cited p.%d" % (k, i + 1, cite_page[k]))
            elif is_body(ln):
                for k in map(int, re.findall(r"图表(\d+)", ln[4])):
                    if k in fig_page and k not in cite_page and i + 1 - fig_page[k] > 1:
                        far.append("图表%d p.%d, first cited p.%d" % (k, fig_page[k], i + 1))
                    if k not in fig_page or k not in cite_page:
                        cite_page[k] = i + 1
        # single CJK characters alone on a line of a cell or label that runs
        # over more lines (a table header cell at body height too:
        # "国家级营收增长率中位" / "数"; "专/利/>/5/0/件" stacked): a line
        # right above or below it (a gap under a third of its height, the
        # lines of one cell 9 pt × 1.4 apart) over the same columns.  A
        # one-character name alone in its cell or as a chart label (the
        # field "农" of the data) is whole.
        for ln in lines:
            t = ln[4].strip()
            if len(t) == 1 and 0x4e00 <= ord(t) <= 0x9fff:
                h = ln[3] - ln[1]
                near = [o for o in lines if o is not ln and o[0] < ln[2] and ln[0] < o[2]
                        and (0 <= ln[1] - o[3] < h / 3 or 0 <= o[1] - ln[3] < h / 3)]
                if near:
                    single.append((i + 1, t))
    check(not under25, "pages under 25%% of the type area (not the last): %s"
          % ", ".join("p.%d %.0f%%" % (p, f * 100) for p, f in under25))
    if chapter_end is not None:
        check(not chapter_short, "chapters ending on a page under %.0f%% full: %s"
              % (chapter_end * 100, ", ".join("p.%d %.0f%%" % (p, f * 100) for p, f in chapter_short)))
    check(len(under65) <= 3, "%d pages under 65%% (at most 3): %s"
          % (len(under65), ", ".join("p.%d %.0f%%" % (p, f * 100) for p, f in under65)))
    if "--fill" in argv:
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    check(not far, "exhibits set two pages or more from the text citing them: %s" % far)
    check(not runts, "paragraphs closing on one character and its mark: %s" % runts)
    check(not widows, "widows (one line of a paragraph at a page top): %s" % widows)
    check(not orphans, "orphans (one line of a paragraph at a page foot): %s" % orphans)
    check(not leadins, "lead-ins ending in ： at the foot of a page, their list on the next page: %s" % leadins)
    check(not headfoot, "headings without two lines of text below them on their page: %s" % headfoot)
    check(not spaced, "lines letter-spaced across the measure: %s" % spaced)
    check(not twice, "footnotes set twice on one page (page, note): %s" % twice)
    check(not again, "footnotes set at the foot of more than one page: %s" % again)
    check(not single, "single CJK characters alone on a line (split names): %s" % single[:10])
    check(not cellsplit, "words split inside table cells (line end / next line of the cell): %s" % cellsplit[:10])
    check(not numbreak, "a number broken from its unit or name, or a range at its dash, at a line end: %s" % numbreak[:10])

    figure_checks(pages, first_body)
    splits = split_tables(pages)
    short = ["图表%d %s" % (n, "/".join("?" if r is None else str(r) for r in p)) for n, p in sorted(splits.items())
             if None in p or sum(p) <= KEEP_ROWS or min(p) < 2]
    check(not short, "tables split across pages with up to %d body rows, a part of fewer than 2, or no header "
          "repeated (body rows per page): %s" % (KEEP_ROWS, short))
    check(not dashes_unsaid(pdf), "exhibits with a “—” cell whose note does not say what it means (page, 图表): %s"
          % dashes_unsaid(pdf)[:10])

    # type sizes in the content streams
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, tmp.name], check=True)
        data = open(tmp.name, "rb").read()
    sizes = sorted({float(m) for m in re.findall(rb"([0-9.]+) Tf", data)})
    small = [s for s in sizes if s < MIN_PT - 1e-6]
    check(sizes and not small, "text below %.1f pt: %s" % (MIN_PT, small))
    scaled = []
    for m in re.finditer(rb"([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ([-0-9.]+) [-0-9.]+ [-0-9.]+ Tm", data):
        a, b = float(m.group(1)), float(m.group(2))
        if abs(a * a + b * b - 1) > 0.01:
            scaled.append(m.group(0)[:40])
    check(not scaled, "scaled text matrices: %s" % scaled[:3])
    wide = [w for w in spaced_han(data) if w[0] > first_body]  # (the 图表目录 sets its titles in a column)
    check(not wide, "letter-spaced lines (Han characters more than %.2f em apart, a blank beside a mark widened "
          "more than %.2f em, or closed up more than %.2f em): %s" % (MAX_HAN_GAP, MAX_PUNCT_GAP, -MIN_HAN_GAP, ", ".join("p.%d %s (%.3f em %s)" % w for w in wide[:8])))
    number_checks(pdf, tables_json, tdir)
    note_checks(pdf)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
