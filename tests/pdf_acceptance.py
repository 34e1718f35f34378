#!/usr/bin/python3
"""tests/pdf_acceptance.py — acceptance checks of the report PDF built from
the real template (templates/report-2026), with poppler-utils and qpdf:

  - qpdf --check clean; poppler reads it without syntax warnings (valid
    ToUnicode CMaps); every font embedded and subset; no raster images
    (charts are vectors);
  - the six chapter headings (from the .md files) are in the text;
  - every 图表 has its caption "图表N：caption", N = 1, 2, … in document
    order without gaps or repeats; the expected captions come from the
    directives of the .md files (quoted caption, else the chart's default
    title from src/charts/catalogue.c, else the table title of tables.json);
    every chart of docs/tables.md "Charts" is placed;
  - 目录 and 图表目录: the entries are the chapter / section headings and the
    captions, and each page label leads (through the PDF's /PageLabels) to
    the page where that heading or caption really is;
  - outlines: one per chapter, its sections nested under it, each pointing
    at the page of its heading;
  - the workbook (report.xlsx, when built): each native chart is titled
    like its caption in the PDF, "图表N：caption" (a right-axis series
    drawn as a chart of its own adds its column: "图表N：caption（列）");
  - document info: Title, Author, Creator srdi-report, CreationDate from
    SOURCE_DATE_EPOCH;
  - no space around =, + or / beside Han text in any line ("IPC小类=…");
  - no word runs off its page or out of the text area (margins ± 1.5 pt;
    the running header and the page number sit in the top / bottom margin).

Usage: pdf_acceptance.py TEMPLATE_DIR OUT_DIR SOURCE_DIR SOURCE_DATE_EPOCH
Prints one line per failure and "N passed, M failed"; exit 1 on failure.
"""
import datetime
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prose_crosscheck as pc  # noqa: E402

# docs/tables.md "Charts": at least one chart per figure marked 图 in the seed.
CHARTS = ["T01", "T03", "T12", "T13", "T15", "T16", "T17", "T23", "T04", "T27", "T29",
          "T30", "T31", "T32", "T33", "T34", "T35", "S48"]
CHAPTER_NUMS = "一二三四五六"
TOL = 1.5

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return ok


def list_diff(got, want):
    """The first differences of two lists, for a failure message."""
    out = []
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g != w:
            out.append("#%d got %r, want %r" % (i + 1, g, w))
        if len(out) == 3:
            break
    return "; ".join(out) + (" (%d vs %d entries)" % (len(got), len(want)))


def run(*cmd):
    r = subprocess.run(list(cmd), capture_output=True)
    return r.returncode, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


# ------------------------------------------------------------- file checks

def check_files(pdf):
    rc, out = run("qpdf", "--check", pdf)
    check(rc == 0 and "No syntax or stream encoding errors found" in out
          and "WARNING" not in out, "qpdf --check: " + out.strip()[-300:])

    rc, out = run("pdffonts", pdf)
    out = "\n".join(l for l in out.split("\n") if not l.startswith("Syntax "))
    fonts = out.strip().split("\n")[2:]
    bad = [f for f in fonts if not re.search(r"\byes\s+yes\s+yes\s+\d+\s+\d+\s*$", f)]
    check(rc == 0 and len(fonts) >= 3 and not bad,
          "fonts not embedded+subset: %s (of %d)" % (bad, len(fonts)))
    check(all(re.match(r"[A-Z]{6}\+", f) for f in fonts), "font names without subset tag")

    rc, out = run("pdfimages", "-list", pdf)
    warn = sorted({l for l in out.split("\n") if l.startswith("Syntax ")})
    check(not warn, "poppler syntax warnings (e.g. an invalid ToUnicode CMap): %s" % warn[:3])
    out = "\n".join(l for l in out.split("\n") if not l.startswith("Syntax "))
    images = out.strip().split("\n")[2:]
    check(rc == 0 and not images, "raster images in the PDF: %d (%s)" % (len(images), images[:3]))


def check_info(pdf, params, epoch):
    rc, out = run("pdfinfo", "-isodates", pdf)
    info = {}
    for line in out.split("\n"):
        k, _, v = line.partition(":")
        info[k.strip()] = v.strip()
    title = params.get("report", "title", fallback="")
    author = params.get("report", "author", fallback=params.get("report", "organisation",
                                                                 fallback=""))
    check(info.get("Title") == title, "Title %r, expected %r" % (info.get("Title"), title))
    check(info.get("Author") == author, "Author %r, expected %r" % (info.get("Author"), author))
    check(info.get("Creator") == "srdi-report", "Creator %r" % info.get("Creator"))
    want = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    got = info.get("CreationDate", "")
    check(got in (want.strftime("%Y-%m-%dT%H:%M:%SZ"), want.strftime("%Y-%m-%dT%H:%M:%S+00")),
          "CreationDate %r, expected %s (SOURCE_DATE_EPOCH)" % (got, want.isoformat()))


# -------------------------------------------------------------- text checks

def find_first(pdf, text, start):
    """First page index >= start whose body text contains text, or None."""
    t = pc.norm(text)
    return next((i for i in range(start, pdf.n()) if t in pdf.body(i)), None)


def heading_list(tpl, tables, params):
    """[(level, text)] of the chapters' # and ## headings, in order."""
    out = []
    for f in tpl.files:
        if not re.match(r"[1-9]\d-", f):
            continue
        for lvl, h, _ in tpl.headings(f):
            if lvl <= 2:
                out.append((lvl, pc.expand(h, tables, params, tpl.refs)))
    return out


def check_chapters(tpl, pdf, heads, first_body):
    chapters = [h for lvl, h in heads if lvl == 1]
    check(len(chapters) == 6 and all(c.startswith("第%s章" % n) for c, n in
                                     zip(chapters, CHAPTER_NUMS)),
          "the template does not have chapters 第一章 … 第六章: %s" % chapters)
    last = first_body
    for c in chapters:
        p = find_first(pdf, c, first_body)
        check(p is not None and p >= last, "chapter heading %r not in the body text (in order)" % c)
        if p is not None:
            last = p


def check_captions(tpl, pdf, tables, params, titles, first_body):
    caps = pc.expected_captions(tpl, tables, params, titles)
    nums = [n for n, _, _ in caps]
    check(nums == list(range(1, len(caps) + 1)), "directive numbering not 1..N: %s" % nums)
    placed = {d.key for d in tpl.directives if d.kind in ("chart", "chart+table")}
    missing = [c for c in CHARTS if c not in placed]
    check(not missing, "charts of docs/tables.md not placed by a directive: %s" % missing)
    body = "".join(pdf.body(i) for i in range(first_body, pdf.n()))
    last, pages = first_body, {}
    for n, cap, d in caps:
        want = pc.norm("图表%d：%s" % (n, cap))
        # a table split across pages repeats its caption with （续）
        cnt = body.count(want) - body.count(want + "（续）")
        p = find_first(pdf, want, first_body)
        check(cnt == 1 and p is not None and p >= last,
              "%s:%d: caption %r found %d times in the body%s"
              % (d.fname, d.lineno, "图表%d：%s" % (n, cap), cnt,
                 "" if p is None or p >= last else " (before the previous caption)"))
        if p is not None:
            last = p
            pages[n] = p
    extra = sorted({int(m) for m in re.findall(r"图表(\d+)：", body)} - set(nums))
    check(not extra, "captions with numbers no directive has: %s" % extra)
    return caps


def check_workbook_charts(out, caps):
    """Every chart of report.xlsx titled "图表N：caption" as its exhibit in the PDF."""
    path = os.path.join(out, "report.xlsx")
    if not os.path.exists(path):
        return
    import zipfile
    want = {pc.norm("图表%d：%s" % (n, cap)) for n, cap, _ in caps}
    z = zipfile.ZipFile(path)
    titles = []
    for name in sorted(z.namelist()):
        if re.match(r"xl/charts/chart\d+\.xml$", name):
            m = re.search(r"<c:title>.*?</c:title>", z.read(name).decode("utf-8"), re.S)
            titles.append("".join(re.findall(r"<a:t>([^<]*)</a:t>", m.group(0))) if m else "")
    check(len(titles) >= 10, "workbook charts: %d (at least 10)" % len(titles))
    bad = [t for t in titles if pc.norm(t) not in want and not any(pc.norm(t).startswith(w + "（") for w in want)]
    check(not bad, "workbook charts not titled like a caption of the PDF: %s" % bad[:5])


def toc_rows(pdf, i):
    """Rows of a contents page: words of the body grouped by baseline, left
    to right; a row without a page label at its end is joined to the next
    (a wrapped entry).  Returns [(title, label)]."""
    page = pdf.pages[i]
    words = [w for w in page["words"] if pdf.in_body(page, w)]
    words.sort(key=lambda w: (round(w[3]), w[0]))
    rows = []
    for w in words:
        if rows and abs(rows[-1][-1][3] - w[3]) < 2.0:
            rows[-1].append(w)
        else:
            rows.append([w])
    out, pending = [], ""
    if rows and pc.norm("".join(w[4] for w in rows[0])) in ("目录", "图表目录"):
        rows = rows[1:]           # the page's own heading
    for r in rows:
        r.sort(key=lambda w: w[0])
        text = pc.norm("".join(w[4] for w in r))
        lab = r[-1][4]
        if len(r) > 1 and re.fullmatch(r"[0-9]+|[ivxlcdm]+", lab):
            title = pc.norm("".join(w[4] for w in r[:-1]))
            out.append((re.sub(r"[.…·]{2,}$", "", pending + title), lab))
            pending = ""
        else:
            pending += text
    return out


def check_toc(tpl, pdf, labels, heads, caps, first_body):
    toc = next((i for i in range(first_body) if pdf.body(i).startswith("目录")), None)
    lof = next((i for i in range(first_body) if pdf.body(i).startswith("图表目录")), None)
    if not check(toc is not None and lof is not None and toc < lof,
                 "no 目录 page followed by a 图表目录 page in the front matter"):
        return
    page_of = {lab: i for i, lab in enumerate(labels)}
    entries = [e for i in range(toc, lof) for e in toc_rows(pdf, i)]
    figs = [e for i in range(lof, first_body) for e in toc_rows(pdf, i)]

    want = [("前言", 1)] + [(pc.norm(h), 1) for _, h in heads]
    got = [t for t, _ in entries]
    check(got == [w for w, _ in want], "目录 entries differ from the headings: "
          + list_diff(got, [w for w, _ in want]))
    for title, lab in entries:
        p = page_of.get(lab)
        start = 1 if title == "前言" else first_body
        real = find_first(pdf, title, start)
        check(p is not None and real == p,
              "目录: %r says page %s (physical %s), the heading is on physical page %s"
              % (title, lab, None if p is None else p + 1, None if real is None else real + 1))

    wantf = [pc.norm("图表%d：%s" % (n, c)) for n, c, _ in caps]
    gotf = [t for t, _ in figs]
    check(gotf == wantf, "图表目录 entries differ from the captions: " + list_diff(gotf, wantf))
    for title, lab in figs:
        p = page_of.get(lab)
        real = find_first(pdf, title, first_body)
        check(p is not None and real == p,
              "图表目录: %r says page %s (physical %s), the caption is on physical page %s"
              % (title, lab, None if p is None else p + 1, None if real is None else real + 1))


def check_outlines(pdfpath, pdf, heads, first_body):
    rc, out = run("qpdf", "--json=2", "--json-key=outlines", pdfpath)
    if not check(rc == 0, "qpdf --json outlines: " + out[-200:]):
        return
    outl = json.loads(out)["outlines"]
    chapters = []
    for lvl, h in heads:
        if lvl == 1:
            chapters.append((h, []))
        elif chapters:
            chapters[-1][1].append(h)
    top = [o for o in outl if re.match(r"第.章", o.get("title", ""))]
    got = [pc.norm(o["title"]) for o in top]
    check(got == [pc.norm(c) for c, _ in chapters],
          "chapter outlines: " + list_diff(got, [pc.norm(c) for c, _ in chapters]))
    for o, (c, secs) in zip(top, chapters):
        kids = [k["title"] for k in o.get("kids", [])]
        check([pc.norm(k) for k in kids] == [pc.norm(s) for s in secs],
              "outline %r, sections: %s" % (c, list_diff([pc.norm(k) for k in kids],
                                                          [pc.norm(s) for s in secs])))
        for node in [o] + o.get("kids", []):
            real = find_first(pdf, node["title"], first_body)
            dest = node.get("destpageposfrom1")
            check(real is not None and dest == real + 1,
                  "outline %r points at page %s, the heading is on page %s"
                  % (node["title"], dest, None if real is None else real + 1))


def check_bbox(pdf):
    """Every word inside its page, and inside the text area unless it is in
    the top or bottom margin band (running header, page number)."""
    bad = []
    for i, page in enumerate(pdf.pages):
        W, H = page["width"], page["height"]
        for w in page["words"]:
            x0, y0, x1, y1, t = w
            if x0 < -TOL or y0 < -TOL or x1 > W + TOL or y1 > H + TOL:
                bad.append("page %d: %r off the page (%.1f,%.1f–%.1f,%.1f)" % (i + 1, t, x0, y0, x1, y1))
                continue
            if x0 < pdf.ml - TOL or x1 > W - pdf.mr + TOL:
                bad.append("page %d: %r outside the left/right margins (x %.1f–%.1f, text area "
                           "%.1f–%.1f)" % (i + 1, t, x0, x1, pdf.ml, W - pdf.mr))
                continue
            in_header = y1 <= pdf.mt + TOL
            in_footer = y0 >= H - pdf.mb - TOL
            in_body = y0 >= pdf.mt - TOL and y1 <= H - pdf.mb + TOL
            if not (in_header or in_footer or in_body):
                bad.append("page %d: %r crosses the top/bottom margin (y %.1f–%.1f)" % (i + 1, t, y0, y1))
    check(not bad, "words outside the text area (%d):\n  %s" % (len(bad), "\n  ".join(bad[:15])))
    check(sum(len(p["words"]) for p in pdf.pages) > 1000, "the PDF has hardly any text")


SPACED_OP = re.compile(r"(?:[\u4e00-\u9fff）] [=＝+/])|(?:[=＝+/] [\u4e00-\u9fff（])")


def check_operators(pdf):
    """No space around =, + or / beside a Han character or a full-width
    bracket (GB/T 15834 sets CJK text solid): "注：IPC小类=主分类号…",
    "授权率=授权/（授权+驳回）", never "IPC小类 = 主分类号"."""
    bad = []
    for i, page in enumerate(pdf.pages):
        for ws in page["lines"]:
            ln = " ".join(w[4] for w in ws)
            m = SPACED_OP.search(ln)
            if m:
                bad.append("page %d: %r" % (i + 1, ln[max(0, m.start() - 12):m.end() + 12]))
    check(not bad, "operators set with spaces in CJK text (%d): %s" % (len(bad), bad[:5]))


def main(argv):
    if len(argv) != 5:
        print(__doc__)
        return 2
    tdir, out, src, epoch = argv[1:5]
    pdfpath = os.path.join(out, "report.pdf")
    tables = pc.Tables(os.path.join(out, "tables.json"))
    params = pc.read_params(os.path.join(tdir, "params.ini"))
    tpl = pc.Template(tdir, out)
    titles = pc.chart_titles(src)
    check(len(titles) >= len(CHARTS), "chart titles not found in src/charts/catalogue.c")

    check_files(pdfpath)
    check_info(pdfpath, params, epoch)
    pdf = pc.PdfText(pdfpath, params)
    labels = pc.page_labels(pdfpath)
    check(len(labels) == pdf.n() and labels[0] == "i" and "1" in labels,
          "page labels: front matter roman from i, body from 1: %s" % labels[:8])
    first_body = labels.index("1") if "1" in labels else 0
    heads = heading_list(tpl, tables, params)
    check_chapters(tpl, pdf, heads, first_body)
    caps = check_captions(tpl, pdf, tables, params, titles, first_body)
    check_toc(tpl, pdf, labels, heads, caps, first_body)
    check_workbook_charts(out, caps)
    check_outlines(pdfpath, pdf, heads, first_body)
    check_bbox(pdf)
    check_operators(pdf)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
