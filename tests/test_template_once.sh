#!/bin/bash
# The report templates are parsed once per build: a template warning (a
# placeholder printed as "—") is printed exactly once, although both the
# figure files and the PDF need the templates.
set -u
. "${BASH_SOURCE%/*}/lib.sh"
srdi_test_init test_template_once "$@"
cp -r "$SRC/templates/report-2026" "$T/tpl"
f=$(ls "$T"/tpl/*.md | sed -n 3p)
echo 'Extra {{T13.#99.label}} here.' >> "$f"
"$SRDI" build --template "$T/tpl" --out "$T/out" --formats pdf,png 2> "$T/err" > /dev/null
rc=$?
n=$(grep -c "T13.#99.label}}: T13 has .* rows for this data; printed —" "$T/err")
if [ "$rc" != 0 ] || [ "$n" != 1 ]; then
    echo "FAIL: rc=$rc, warning printed $n times (want once)"; cat "$T/err"; exit 1
fi
echo "ok: template warning printed once"
