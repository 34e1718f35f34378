#!/usr/bin/env python3
"""Compare a build's values.csv with the figures published in the 2026 report.

Usage:
    python3 calibration.py PUBLISHED.csv VALUES.csv [--n N] [--full-n 167372]
                           [--min-pass 0.90]

PUBLISHED.csv is reference/published-2026.csv (table,row,column,value,figure,
note).  Each published figure is looked up in VALUES.csv by (table,row,column)
and compared with a tolerance chosen by its kind:

  correlation (T20)                          ±0.05 absolute
  share / rate (column or row names a share
    or rate, T26 cells, value in [0, 1])     ±0.005 absolute
  median / mean / percentile                 ±5 % relative
  everything else (counts, scores, …)        ±5 % relative

Count figures (columns `count` and `n`) are scaled by N / full-n when the sample was
generated with a smaller N (SRDI_CALIB_N).  A figure missing from VALUES.csv
or null there fails.  Every failing figure is printed; the last line is
"N passed, M failed"; the exit status is 0 iff passed ≥ min-pass × compared.
"""

import argparse
import csv
import sys

sys.dont_write_bytecode = True
import compare  # noqa: E402

SHARE_WORDS = ("share", "rate")
CENTRAL_WORDS = ("median", "mean", "p50", "p75", "p90")


def kind_of(table, row, column, value):
    """Tolerance kind of a published figure: corr, share, central or other."""
    if table == "T20":
        return "corr"
    shareish = (any(w in column for w in SHARE_WORDS) or row == "grant_rate"
                or table == "T26")
    if shareish and 0.0 <= value <= 1.0:
        return "share"
    if any(w in column for w in CENTRAL_WORDS):
        return "central"
    return "other"


def within(kind, want, got):
    if kind == "corr":
        return abs(got - want) <= 0.05
    if kind == "share":
        return abs(got - want) <= 0.005
    return abs(got - want) <= 0.05 * abs(want)


def main(argv=None):
    ap = argparse.ArgumentParser(description="calibration check against published figures")
    ap.add_argument("published")
    ap.add_argument("values")
    ap.add_argument("--n", type=int, default=None, help="sample size used")
    ap.add_argument("--full-n", type=int, default=167372)
    ap.add_argument("--min-pass", type=float, default=0.90)
    o = ap.parse_args(argv)

    vals, _ = compare.load(o.values)
    scale = 1.0 if not o.n else o.n / o.full_n
    passed = failed = 0
    with open(o.published, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            t, row, col = r["table"], r["row"], r["column"]
            try:
                want = float(r["value"])
            except ValueError:
                continue
            k = kind_of(t, row, col, want)
            if col in ("count", "n"):
                want *= scale
            got_s = vals.get((t, row, col))
            label = "%s,%s,%s (图表%s, %s)" % (t, row, col, r.get("figure", ""), k)
            if got_s is None or got_s.strip() == "":
                failed += 1
                print("FAIL %s: published %g, built %s" %
                      (label, want, "missing" if got_s is None else "null"))
                continue
            got = float(got_s)
            if within(k, want, got):
                passed += 1
            else:
                failed += 1
                print("FAIL %s: published %g, built %.6g" % (label, want, got))
    total = passed + failed
    print("%d passed, %d failed" % (passed, failed))
    ok = total > 0 and passed >= o.min_pass * total
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
