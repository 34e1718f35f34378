#!/usr/bin/env python3
"""tests/editions_check.py — checks of a regional edition's workbook.

  editions_check.py bench EDITION.xlsx EDITION/tables.json NATIONAL/tables.json SCOPE [PROVINCE/tables.json PROVINCE]

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


if __name__ == "__main__":
    if len(sys.argv) < 6 or sys.argv[1] != "bench":
        sys.exit(__doc__)
    bench(*sys.argv[2:])
    print(f"editions_check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
