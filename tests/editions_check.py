#!/usr/bin/env python3
"""tests/editions_check.py — checks of a regional edition.

  editions_check.py bench EDITION.xlsx EDITION/tables.json NATIONAL/tables.json SCOPE [PROVINCE/tables.json PROVINCE]
  editions_check.py pdfbench EDITION.txt EDITION/values.csv NATIONAL/values.csv SCOPE [PROVINCE/values.csv]
  editions_check.py scoperules ENTERPRISES.csv EDITION/values.csv province|city NAME

pdfbench (EDITION.txt = pdftotext -layout of the edition's PDF): the level
table T01 prints on each row the edition's count, its province's and the
national build's count, then the same for the share; the city table T16 is
headed 省内排名/市内排名 and 全国排名 and gives each city its competition rank by
count within the scope and in the nation (from the national build's T16).
scoperules: an independent count of T01 (count and share per level of P =
national + provincial rows of the region) and T16 (every city of the region
with its count and share of the region's P) from enterprises.csv equals the
edition's values.csv under the national keys (docs/tables.md "Scope").

Every benchmark column of the workbook holds the value the national build
computed (and, for a city edition, the value of its province's build) for the
same row and column; the scope's own columns hold the edition's values and
name the scope on the header's second line; a table identical to the national
one (T13, T14: over the whole data) has no benchmark column.  Prints
"N passed, M failed"; exit 1 on any failure.
"""
import json
import sys

import openpyxl

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("editions_check: FAILED:", what, file=sys.stderr)


def tables(path):
    return {t["id"]: t for t in json.load(open(path, encoding="utf-8"))["tables"]}


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def value(t, key, col):
    for r in t["rows"]:
        if r["key"] == key:
            return r["values"].get(col)
    return None


def bench(xlsx, ed_json, nat_json, scope, prov_json=None, prov=None):
    wb = openpyxl.load_workbook(xlsx)
    ed, nat = tables(ed_json), tables(nat_json)
    pt = tables(prov_json) if prov_json else None
    sheets = {ws["A1"].value.split(" ")[0]: ws for ws in wb.worksheets[1:] if ws["A1"].value}
    nbench = 0
    for tid, t in ed.items():
        if t["no_data"] or tid not in sheets:
            continue
        ws = sheets[tid]
        hdr = [c.value for c in ws[3]]
        whole = t["n"] == nat[tid]["n"] and json.dumps(t["rows"], sort_keys=True) == json.dumps(nat[tid]["rows"], sort_keys=True)
        if whole:
            check("全国" not in hdr, f"{tid}: a whole-data table has no 全国 column")
            continue
        col = 1
        for c in t["columns"]:
            own = hdr[col]
            if c["type"] == "text":
                col += 1
                continue
            check(isinstance(own, str) and own.endswith("\n" + scope), f"{tid}.{c['key']}: header {own!r} names {scope}")
            benches = [(prov, pt)] if prov else []
            benches.append(("全国", nat))
            for k, (label, bt) in enumerate(benches, start=1):
                check(hdr[col + k] == label, f"{tid}.{c['key']}: column {col + k} headed {hdr[col + k]!r}, not {label}")
                for i, r in enumerate(t["rows"]):
                    got = ws.cell(row=4 + i, column=col + k + 1).value
                    want = value(bt[tid], r["key"], c["key"])
                    nbench += 1
                    check(same(got, want), f"{tid} {r['key']}.{c['key']} {label}: {got!r} != {want!r}")
            for i, r in enumerate(t["rows"]):   # the scope's own column
                got = ws.cell(row=4 + i, column=col + 1).value
                check(same(got, r["values"].get(c["key"])), f"{tid} {r['key']}.{c['key']} own value")
            col += 1 + len(benches)
    check(nbench > 100, f"benchmark cells compared: {nbench}")


def values(path):
    import csv
    out = {}
    for t, r, c, v in list(csv.reader(open(path, encoding="utf-8")))[1:]:
        try:
            out[(t, r, c)] = float(v)
        except ValueError:
            out[(t, r, c)] = v or None
    return out


def fmt_count(x):
    return f"{x:,.0f}"


def fmt_share(x):
    return f"{x * 100:.2f}%"


def comp_rank(vals, key):
    """Competition rank by T16 count of city key among the cities of vals."""
    counts = {r: v for (t, r, c), v in vals.items() if t == "T16" and c == "count"}
    if key not in counts:
        return None
    return 1 + sum(1 for v in counts.values() if v > counts[key])


def pdfbench(txt, ed_csv, nat_csv, scope, prov_csv=None):
    text = open(txt, encoding="utf-8").read()
    lines = [" ".join(l.split()) for l in text.splitlines()]
    ed, nat = values(ed_csv), values(nat_csv)
    pv = values(prov_csv) if prov_csv else None
    labels = {"national": "国家级专精特新", "provincial": "省级专精特新企业", "total": "合计"}
    for key, label in labels.items():
        want = [fmt_count(ed[("T01", key, "count")])]
        if pv:
            want.append(fmt_count(pv[("T01", key, "count")]))
        want.append(fmt_count(nat[("T01", key, "count")]))
        want.append(fmt_share(ed[("T01", key, "share")]))
        if pv:
            want.append(fmt_share(pv[("T01", key, "share")]))
        want.append(fmt_share(nat[("T01", key, "share")]))
        row = " ".join(want)
        hit = [l for l in lines if l.startswith(label) and l.endswith(row)]
        check(len(hit) >= 1, f"T01 {key}: no PDF table row '{label} … {row}'")
    hdr = [l for l in lines if l.startswith("项目") and "排名" in l and "全国排名" in l]
    check(len(hdr) >= 1, "T16: a header with the rank within the scope and 全国排名")
    if hdr:
        check(hdr[0].split()[1] in ("省内排名", "市内排名", "区内排名"), f"T16 header {hdr[0]!r}: first the rank within the scope")
    cities = sorted({r for (t, r, c) in ed if t == "T16" and c == "count"}, key=lambda k: (-ed[("T16", k, "count")], k))
    nrow = 0
    for city in cities[:20]:
        want = [str(comp_rank(ed, city))]
        if pv:
            want.append(str(comp_rank(pv, city)))
        want += [str(comp_rank(nat, city)), fmt_count(ed[("T16", city, "count")])]
        row = city + " " + " ".join(want) + " "
        nrow += 1
        check(any(l.startswith(row) for l in lines), f"T16: no PDF row starting '{row}'")
    check(nrow >= 1, f"T16 rows compared in the PDF of {scope}: {nrow}")


def scoperules(enterprises, ed_csv, kind, name):
    import csv
    ed = values(ed_csv)
    rows = [r for r in csv.DictReader(open(enterprises, encoding="utf-8"))
            if r["level"] in ("national", "provincial") and r[kind] == name]
    total = len(rows)
    check(total > 0, f"{name}: enterprises in the data")
    for lvl in ("national", "provincial"):
        n = sum(1 for r in rows if r["level"] == lvl)
        check(same(ed.get(("T01", lvl, "count")), n), f"T01 {lvl} count {ed.get(('T01', lvl, 'count'))} != {n}")
        check(same(ed.get(("T01", lvl, "share")), n / total), f"T01 {lvl} share")
    check(same(ed.get(("T01", "total", "count")), total), "T01 total count")
    cities = {}
    for r in rows:
        cities[r["city"]] = cities.get(r["city"], 0) + 1
    got = {r for (t, r, c) in ed if t == "T16" and c == "count"}
    check(got == set(cities), f"T16 lists the region's cities: {sorted(got ^ set(cities))}")
    for city, n in cities.items():
        check(same(ed.get(("T16", city, "count")), n), f"T16 {city} count")
        check(same(ed.get(("T16", city, "share")), n / total), f"T16 {city} share")


if __name__ == "__main__":
    cmds = {"bench": (bench, 6), "pdfbench": (pdfbench, 6), "scoperules": (scoperules, 6)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or len(sys.argv) < cmds[sys.argv[1]][1]:
        sys.exit(__doc__)
    cmds[sys.argv[1]][0](*sys.argv[2:])
    print(f"editions_check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
