#!/usr/bin/env bash
# tests/deps.sh — the modules depend on each other one way only
# (docs/architecture.md "Modules and what they may use").
#
# Every #include "…" of src/<module>/*.[ch] and of include/srdi/*.h is
# checked: a public header "srdi/X.h" belongs to the module that owns it (the
# table below), and a module may include only its own headers and those of
# the modules it may depend on; a quoted include without "srdi/" must be a
# private header in the module's own folder.  Prints one line per offence,
# "FILE:LINE: MODULE includes HEADER of MODULE2", and exits 1 when there is
# any (or when a header or folder is not in the table: add it here and to
# docs/architecture.md).
#   $1 = source dir (default: the parent of this script's folder)
set -u
SRC=${1:-${BASH_SOURCE%/*}/..}
exec /usr/bin/python3 - "$SRC" <<'PYEOF'
import glob, os, re, sys

src = sys.argv[1]

# public header → owning module
OWNER = {
    "error.h": "core", "log.h": "core", "util.h": "core", "params.h": "core",
    "reference.h": "core", "csvread.h": "core", "csvout.h": "core", "txn.h": "core",
    "hash.h": "core", "sealed.h": "core", "dl.h": "core",
    "dataset.h": "dataset", "ingest.h": "ingest", "sample.h": "sample",
    "table.h": "table", "stats.h": "stats", "tables.h": "tables",
    "canvas.h": "canvas", "fonts.h": "canvas", "charts.h": "charts",
    "xlsx.h": "xlsx", "incremental.h": "incr", "report.h": "report",
    "pipeline.h": "pipeline", "editions.h": "pipeline",
}
# module → the modules it may use (besides itself)
MAY_USE = {
    "core":     [],
    "dataset":  ["core"],
    "ingest":   ["dataset", "core"],
    "sample":   ["core"],
    "table":    ["core"],
    "stats":    ["dataset", "core"],
    "tables":   ["stats", "table", "dataset", "core"],
    "canvas":   ["core"],
    "charts":   ["canvas", "table", "core"],
    "xlsx":     ["charts", "tables", "table", "dataset", "core"],
    "incr":     ["table", "dataset", "core"],
    "report":   ["charts", "canvas", "tables", "table", "dataset", "core"],
    "pipeline": ["report", "xlsx", "charts", "canvas", "incr", "tables", "stats",
                 "table", "ingest", "dataset", "core"],
    "cli":      ["pipeline", "sample", "report", "xlsx", "charts", "canvas", "incr",
                 "tables", "stats", "table", "ingest", "dataset", "core"],
}
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

bad = checked = 0
def check(path, module):
    global bad, checked
    rel = os.path.relpath(path, src)
    for ln, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        m = INC.match(line)
        if not m:
            continue
        inc = m.group(1)
        checked += 1
        if inc.startswith("srdi/"):
            h = inc[5:]
            owner = OWNER.get(h)
            if owner is None:
                print(f"{rel}:{ln}: {inc} is not in the table of tests/deps.sh"); bad += 1
            elif owner != module and owner not in MAY_USE[module]:
                print(f"{rel}:{ln}: {module} includes {inc} of {owner}"); bad += 1
        else:
            here = os.path.normpath(os.path.join(os.path.dirname(path), inc))
            if os.path.dirname(here) != os.path.normpath(os.path.dirname(path)) or not os.path.exists(here):
                print(f"{rel}:{ln}: {module} includes {inc}, not a private header of its own folder"); bad += 1

for d in sorted(glob.glob(os.path.join(src, "src", "*", ""))):
    module = os.path.basename(os.path.dirname(d))
    if module not in MAY_USE:
        print(f"src/{module}: a module not in the table of tests/deps.sh"); bad += 1
        continue
    for f in sorted(glob.glob(d + "*.c") + glob.glob(d + "*.h")):
        check(f, module)
for h in sorted(glob.glob(os.path.join(src, "include", "srdi", "*.h"))):
    owner = OWNER.get(os.path.basename(h))
    if owner is None:
        print(f"{os.path.relpath(h, src)}: a header not in the table of tests/deps.sh"); bad += 1
        continue
    check(h, owner)

print(f"deps: {checked} includes checked, {bad} against the module rules")
sys.exit(1 if bad or checked == 0 else 0)
PYEOF
