#!/usr/bin/env python3
"""Compare two values.csv files (long format ``table,row,column,value``).

Usage:
    python3 compare.py A.csv B.csv [--rel 1e-9] [--abs 1e-12] [--only T01,T02]

Rows are keyed by (table, row, column).  Two values agree when both are
empty, when both parse as numbers and |a - b| <= max(abs, rel * max(|a|, |b|)),
or when the texts are equal.  Missing and extra keys are failures.  The first
50 differences are printed; the last line is "N passed, M failed"; the exit
status is non-zero on any difference.
"""

import argparse
import csv
import math
import sys


def load(path, only=None):
    """Read a values.csv into {(table,row,column): value}.  A header line
    ``table,row,column,value`` is skipped; duplicate keys are reported."""
    vals = {}
    dups = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i, r in enumerate(csv.reader(f)):
            if not r:
                continue
            if i == 0 and r[:4] == ["table", "row", "column", "value"]:
                continue
            if len(r) < 4:
                r = r + [""] * (4 - len(r))
            key = (r[0], r[1], r[2])
            if only and r[0] not in only:
                continue
            if key in vals:
                dups.append(key)
            vals[key] = r[3]
    return vals, dups


def as_number(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v


def same(a, b, rel, abs_):
    """True when two cell texts agree under the tolerance rules."""
    a = a.strip()
    b = b.strip()
    if a == "" or b == "":
        return a == b
    x, y = as_number(a), as_number(b)
    if x is not None and y is not None:
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        if x == y:
            return True
        return abs(x - y) <= max(abs_, rel * max(abs(x), abs(y)))
    return a == b


def compare(a, b, rel=1e-9, abs_=1e-12, limit=50, out=sys.stdout, names=("A", "B")):
    """Compare two dicts; print differences; return (passed, failed)."""
    passed = failed = 0
    shown = 0

    def show(msg):
        nonlocal shown
        if shown < limit:
            print(msg, file=out)
        shown += 1

    def keyorder(k):
        return (k[0], k[1], k[2])
    for k in sorted(set(a) | set(b), key=keyorder):
        ka = "%s,%s,%s" % k
        if k not in b:
            failed += 1
            show("missing in %s: %s = %r" % (names[1], ka, a[k]))
        elif k not in a:
            failed += 1
            show("extra in %s: %s = %r" % (names[1], ka, b[k]))
        elif same(a[k], b[k], rel, abs_):
            passed += 1
        else:
            failed += 1
            show("differs: %s: %s=%r %s=%r" % (ka, names[0], a[k], names[1], b[k]))
    if shown > limit:
        print("... %d more differences not shown" % (shown - limit), file=out)
    return passed, failed


def main(argv=None):
    ap = argparse.ArgumentParser(description="compare two values.csv files")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rel", type=float, default=1e-9)
    ap.add_argument("--abs", dest="abs_", type=float, default=1e-12)
    ap.add_argument("--only", default=None, help="comma list of table ids")
    ap.add_argument("--limit", type=int, default=50)
    o = ap.parse_args(argv)
    only = set(o.only.split(",")) if o.only else None
    a, da = load(o.a, only)
    b, db = load(o.b, only)
    bad = 0
    for name, d in ((o.a, da), (o.b, db)):
        for k in d[:10]:
            print("duplicate key in %s: %s,%s,%s" % ((name,) + k))
        bad += len(d)
    p, f = compare(a, b, o.rel, o.abs_, o.limit, names=(o.a, o.b))
    f += bad
    print("%d passed, %d failed" % (p, f))
    return 0 if f == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
