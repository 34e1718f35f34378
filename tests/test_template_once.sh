#!/bin/bash
# The report templates are parsed once per build: a template warning (a
# placeholder printed as "—") is printed exactly once, although both the
# figure files and the PDF need the templates.
set -u
SRDI=$1
SRC=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$SRC/templates/report-2026" "$work/tpl"
f=$(ls "$work"/tpl/*.md | sed -n 3p)
echo 'Extra {{T13.#99.label}} here.' >> "$f"
"$SRDI" build --template "$work/tpl" --out "$work/out" --formats pdf,png 2> "$work/err" > /dev/null
rc=$?
n=$(grep -c "T13.#99.label}}: T13 has .* rows for this data; printed —" "$work/err")
if [ "$rc" != 0 ] || [ "$n" != 1 ]; then
    echo "FAIL: rc=$rc, warning printed $n times (want once)"; cat "$work/err"; exit 1
fi
echo "ok: template warning printed once"
