#!/usr/bin/env bash
# tests/contracts.sh — every public function keeps its contract comment.
#
# For each function declared in include/srdi/*.h and in the module-private
# headers src/*/*.h, the declaration must be preceded by its own comment
# block (nothing but blank lines between them); in the public headers that
# comment must also name every named parameter, with "@param NAME" (or
# "@param[out] NAME", or "@p NAME" in the text).
# Prints one line per offence, "FILE:LINE: NAME: what is missing", and the
# count of functions checked; exits 1 when anything is missing.
#   $1 = source dir (default: the parent of this script's folder)
#   --list: print every function checked, with its file:line.
set -u
SRC=${1:-${BASH_SOURCE%/*}/..}
LIST=${2:-}
exec /usr/bin/python3 - "$SRC" "$LIST" <<'PYEOF'
import glob, os, re, sys

src, list_mode = sys.argv[1], sys.argv[2] == "--list"
public = sorted(glob.glob(os.path.join(src, "include/srdi/*.h")))
private = sorted(glob.glob(os.path.join(src, "src/*/*.h")))
headers = public + private
if not headers:
    print(f"contracts: no headers under {src}")
    sys.exit(1)

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

def param_names(plist):
    """Names of the parameters in the text between the parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in plist:
        if ch in "([": depth += 1
        elif ch in ")]": depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur); cur = ""
        else:
            cur += ch
    parts.append(cur)
    names = []
    for p in parts:
        p = p.strip()
        if p in ("", "void", "..."):
            continue
        m = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)", p)     # function pointer
        if m:
            names.append(m.group(1)); continue
        p = re.sub(r"\[[^\]]*\]", "", p).strip()              # arrays
        ids = IDENT.findall(p)
        # a lone type (unnamed parameter) has one identifier, or ends in a keyword/type
        if len(ids) >= 2 and not p.endswith("*"):
            names.append(ids[-1])
    return names

# module-private headers: a comment is required; @param for every parameter
# only once they are all written (PRIVATE_PARAMS)
PRIVATE_PARAMS = False
bad, total = 0, 0
for path in headers:
    rel = os.path.relpath(path, src)
    text = open(path, encoding="utf-8").read()
    # blank out string literals so braces or semicolons inside them do not count
    text = re.sub(r'"(\\.|[^"\\\n])*"', lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    i, n, depth = 0, len(text), 0
    stmt_start = None          # offset of the current top-level statement
    last_comment = None        # (start, end) of the last comment seen at depth 0
    last_boundary = 0          # end of the previous statement / directive / comment
    while i < n:
        c = text[i]
        if text.startswith("/*", i) or text.startswith("//", i):
            if text[i + 1] == "*":
                j = text.find("*/", i + 2); j = n if j < 0 else j + 2
            else:
                j = text.find("\n", i); j = n if j < 0 else j
            # a comment that opens its own line; one after code on the same
            # line belongs to that code, not to the next declaration
            own_line = text[text.rfind("\n", 0, i) + 1:i].strip() == ""
            if depth == 0 and stmt_start is None:
                last_comment = (i, j) if own_line else None
                last_boundary = j
            i = j; continue
        if c == "#" and stmt_start is None and text[text.rfind("\n", 0, i) + 1:i].strip() == "":
            j = i
            while True:                                   # directive with continuations
                e = text.find("\n", j); e = n if e < 0 else e
                if text[e - 1:e] == "\\": j = e + 1; continue
                break
            i = e; last_boundary = e; last_comment = None; continue
        if c.isspace():
            i += 1; continue
        if stmt_start is None and depth == 0:
            if c == "}":          # the closing brace of extern "C" and the like
                i += 1; last_boundary = i; continue
            stmt_start = i
        if c == "{": depth += 1
        elif c == "}": depth -= 1
        elif c == ";" and depth == 0:
            stmt = text[stmt_start:i]
            flat = " ".join(stmt.split())
            m = re.match(r"^(?:extern\s+)?(?!typedef\b)(?!struct\b[^(]*$)(?!enum\b)(.*?)\b([A-Za-z_]\w*)\s*\((.*)\)\s*(?:__attribute__.*|SRDI_\w+\(.*\))?$", flat)
            if m and "=" not in flat.split("(")[0] and not flat.startswith("typedef"):
                name, params = m.group(2), m.group(3)
                if name.isupper():        # a macro that declares (SRDI_TABLE_FN(T01);)
                    stmt_start = None; last_comment = None; last_boundary = i + 1
                    i += 1; continue
                # params: up to the matching parenthesis
                d, k = 0, 0
                for k, ch in enumerate(params):
                    if ch == "(": d += 1
                    elif ch == ")":
                        if d == 0: break
                        d -= 1
                else:
                    k = len(params)
                params = params[:k]
                line = text.count("\n", 0, stmt_start) + 1
                total += 1
                if list_mode:
                    print(f"{rel}:{line}: {name}")
                comment = None
                if last_comment and text[last_comment[1]:stmt_start].strip() == "":
                    comment = text[last_comment[0]:last_comment[1]]
                if comment is None:
                    print(f"{rel}:{line}: {name}: no contract comment before the declaration")
                    bad += 1
                elif path in private and not PRIVATE_PARAMS:
                    pass
                else:
                    missing = [p for p in param_names(params)
                               if not re.search(r"@p(aram(\[[a-z, ]+\])?)?\s+" + re.escape(p) + r"\b", comment)]
                    if missing:
                        print(f"{rel}:{line}: {name}: comment lacks @param " + ", ".join(missing))
                        bad += 1
            stmt_start = None; last_comment = None; last_boundary = i + 1
        i += 1

print(f"contracts: {total} functions in {len(headers)} headers, {bad} without a full contract comment")
sys.exit(1 if bad or total == 0 else 0)
PYEOF
