/*
 * src/report/template_let.c — named values of the condition language:
 * {{#let $name = expression}} alone on its line defines $name, and every
 * later $name inside a {{…}} tag of the templates (this file and the files
 * after it) reads (expression).  The names are replaced on the raw lines,
 * before the {{#if}} tags are resolved, so conditions, claims.csv and the
 * placeholders see the whole expression; the definition line itself is
 * dropped by report_branch_file.  Syntax and errors: docs/templates.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"
#include "cond.h"
#include "report_private.h"

#define LET_EXPR_MAX 900 /* an expanded condition must stay under eval_tag's 1024 bytes */

void report_lets_free(report_lets *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].expr);
        free(l->v[i].file);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Length of the name after a '$' at p (0 when none: '$' must be followed by a letter or '_'). */
static size_t name_len(const char *p)
{
    if (!(isalpha((unsigned char)p[0]) || p[0] == '_')) return 0;
    size_t n = 1;
    while (name_char(p[n])) n++;
    return n;
}

static report_let *find(report_lets *l, const char *name, size_t len)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i].name) == len && memcmp(l->v[i].name, name, len) == 0) return &l->v[i];
    return NULL;
}

/*
 * Append @p s (len) to @p out with every $name inside a {{…}} tag replaced
 * by (expression); @p in_tag says whether s starts inside a tag (the
 * expression of a definition).  An unknown name is SRDI_ERR_TEMPLATE naming
 * file:line.
 */
static srdi_status substitute(report_lets *l, const char *file, int line, const char *s, size_t len, bool in_tag,
                              srdi_buf *out)
{
    const char *e = s + len;
    while (s < e) {
        if (!in_tag && s + 1 < e && s[0] == '{' && s[1] == '{') {
            in_tag = true;
            if (srdi_buf_append(out, s, 2)) return SRDI_ERR_NOMEM;
            s += 2;
            continue;
        }
        if (in_tag && s + 1 < e && s[0] == '}' && s[1] == '}') {
            in_tag = false;
            if (srdi_buf_append(out, s, 2)) return SRDI_ERR_NOMEM;
            s += 2;
            continue;
        }
        if (in_tag && *s == '"') { /* a quoted constant is text: its $ stays */
            const char *q = memchr(s + 1, '"', (size_t)(e - s - 1));
            size_t n = q ? (size_t)(q + 1 - s) : (size_t)(e - s);
            if (srdi_buf_append(out, s, n)) return SRDI_ERR_NOMEM;
            s += n;
            continue;
        }
        if (in_tag && *s == '$') {
            size_t n = name_len(s + 1);
            report_let *v = n ? find(l, s + 1, n) : NULL;
            if (!n)
                return srdi_error_set(SRDI_ERR_TEMPLATE,
                                      "%s:%d: a $ inside {{…}} starts a name ($ and letters, digits or _)", file,
                                      line);
            if (!v)
                return srdi_error_set(SRDI_ERR_TEMPLATE,
                                      "%s:%d: $%.*s is not defined (define it above its first use: "
                                      "{{#let $%.*s = expression}})",
                                      file, line, (int)n, s + 1, (int)n, s + 1);
            v->used = true;
            if (srdi_buf_append(out, "(", 1) || srdi_buf_puts(out, v->expr) || srdi_buf_append(out, ")", 1))
                return SRDI_ERR_NOMEM;
            s += 1 + n;
            continue;
        }
        if (srdi_buf_append(out, s, 1)) return SRDI_ERR_NOMEM;
        s++;
    }
    return SRDI_OK;
}

/* A definition line "{{#let $name = expr}}" (spaces around): add it to @p l. */
static srdi_status define(report_lets *l, const char *file, int line, const char *text)
{
    const char *p = text + strspn(text, " \t");
    const char *close = strstr(p, "}}");
    const char *rest = close ? close + 2 : NULL;
    if (rest) rest += strspn(rest, " \t");
    if (strncmp(p, "{{#let ", 7) != 0 || !close || *rest || close[-1] == '}')
        return srdi_error_set(SRDI_ERR_TEMPLATE,
                              "%s:%d: {{#let}} stands alone on its line as {{#let $name = expression}}", file, line);
    p += 7;
    p += strspn(p, " ");
    size_t n = *p == '$' ? name_len(p + 1) : 0;
    const char *eq = n ? p + 1 + n : NULL;
    if (eq) eq += strspn(eq, " ");
    if (!n || *eq != '=' || eq[1] == '=')
        return srdi_error_set(SRDI_ERR_TEMPLATE,
                              "%s:%d: {{#let}} needs a name and a value: {{#let $name = expression}} "
                              "(a name is $ and letters, digits or _)",
                              file, line);
    const char *x = eq + 1 + strspn(eq + 1, " ");
    size_t xl = (size_t)(close - x);
    while (xl && x[xl - 1] == ' ') xl--;
    if (!xl) return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: {{#let $%.*s}} has no expression", file, line, (int)n, p + 1);
    report_let *old = find(l, p + 1, n);
    if (old)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: $%.*s is already defined at %s:%d", file, line, (int)n, p + 1,
                              old->file, old->line);
    srdi_buf ex = {0};
    srdi_status s = substitute(l, file, line, x, xl, true, &ex);
    if (s == SRDI_OK && ex.len > LET_EXPR_MAX)
        s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: $%.*s is longer than %d bytes once its names are replaced",
                           file, line, (int)n, p + 1, LET_EXPR_MAX);
    if (s == SRDI_OK && srdi_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) s = SRDI_ERR_NOMEM;
    if (s) {
        srdi_buf_free(&ex);
        return s == SRDI_ERR_NOMEM ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory") : s;
    }
    report_let *v = &l->v[l->n];
    memset(v, 0, sizeof *v);
    v->name = malloc(n + 1);
    v->file = srdi_strdup(file);
    v->expr = ex.data ? ex.data : srdi_strdup("");
    v->line = line;
    if (!v->name || !v->file || !v->expr) {
        free(v->name);
        free(v->file);
        free(v->expr);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    memcpy(v->name, p + 1, n);
    v->name[n] = '\0';
    l->n++;
    return SRDI_OK;
}

bool report_is_let_line(const char *line)
{
    line += strspn(line, " \t");
    return strncmp(line, "{{#let ", 7) == 0 || strcmp(line, "{{#let}}") == 0;
}

srdi_status report_let_file(const char *file, char **lines, size_t n, report_lets *lets)
{
    srdi_buf b = {0};
    for (size_t k = 0; k < n; k++) {
        int line = (int)k + 1;
        srdi_status s;
        if (report_is_let_line(lines[k])) {
            if ((s = define(lets, file, line, lines[k]))) goto fail;
            continue;
        }
        if (strstr(lines[k], "{{#let")) {
            s = srdi_error_set(SRDI_ERR_TEMPLATE,
                               "%s:%d: {{#let}} stands alone on its line as {{#let $name = expression}}", file, line);
            goto fail;
        }
        if (!strchr(lines[k], '$')) continue;
        srdi_buf_reset(&b);
        if ((s = substitute(lets, file, line, lines[k], strlen(lines[k]), false, &b))) {
            if (s == SRDI_ERR_NOMEM) s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            goto fail;
        }
        char *t = srdi_strdup(b.data ? b.data : "");
        if (!t) {
            s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
            goto fail;
        }
        free(lines[k]);
        lines[k] = t;
        continue;
    fail:
        srdi_buf_free(&b);
        return s;
    }
    srdi_buf_free(&b);
    return SRDI_OK;
}

srdi_status report_lets_check_used(const report_lets *lets)
{
    for (size_t i = 0; i < lets->n; i++)
        if (!lets->v[i].used)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: $%s is defined but never used", lets->v[i].file,
                                  lets->v[i].line, lets->v[i].name);
    return SRDI_OK;
}
