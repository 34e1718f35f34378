/*
 * src/report/template_directive.c — the ::: directive lines of the
 * templates (chart, table, chart+table, figure, source, pagebreak): the
 * words of a line, quoted titles, and their checks.  Syntax:
 * docs/templates.md.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "srdi/log.h"
#include "srdi/charts.h"
#include "srdi/util.h"
#include "report_private.h"
#include "template_private.h"

/* -------------------------------------------------------- directive parse */

/* Is line k (0-based) of @p lines a standalone ":::" paragraph? */
bool report_is_directive_line(char **lines, size_t n, size_t k)
{
    const char *l = lines[k];
    while (*l == ' ') l++;
    if (strncmp(l, ":::", 3) != 0 || (size_t)(l - lines[k]) > 3) return false;
    bool blank_before = k == 0 || lines[k - 1][strspn(lines[k - 1], " \t")] == '\0';
    bool blank_after = k + 1 >= n || lines[k + 1][strspn(lines[k + 1], " \t")] == '\0';
    return blank_before && blank_after;
}

/* Next whitespace-separated word of *p (quoted "…" as one word, quotes removed). */
static bool next_word(const char **p, char *buf, size_t size, bool *quoted)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return false;
    const char *e;
    size_t cl = 0; /* bytes of the closing quote after the word */
    *quoted = *s == '"' || strncmp(s, "“", 3) == 0;
    if (*quoted) {
        /* a caption opened with " closes with ", one opened with “ closes with ”;
           the other kind of quote may appear inside ("‘小巨人’", "“小巨人”") */
        bool ascii = *s == '"';
        s += ascii ? 1 : 3;
        const char *closer = ascii ? "\"" : "”";
        cl = ascii ? 1 : 3;
        if (ascii) {
            /* the closing quote is the last " on the line */
            e = strrchr(s, '"');
        } else {
            /* nested “…” pairs inside are kept: find the matching ” */
            int depth = 0;
            e = NULL;
            for (const char *q = s; *q; q++) {
                if (strncmp(q, "“", 3) == 0)
                    depth++;
                else if (strncmp(q, closer, 3) == 0) {
                    if (depth == 0) {
                        e = q;
                        break;
                    }
                    depth--;
                }
            }
        }
        if (!e) e = s + strlen(s), cl = 0;
    } else {
        e = s;
        while (*e && *e != ' ' && *e != '\t') e++;
    }
    size_t l = (size_t)(e - s);
    if (l >= size) l = size - 1;
    memcpy(buf, s, l);
    buf[l] = '\0';
    *p = e + cl;
    return true;
}

/* The cols=a,b option of a chart or table directive: each column must exist in @p t (when given). */
static srdi_status parse_cols(const char *word, const srdi_table *t, const char *file, int line, report_directive *d)
{
    const char *c = word + 5;
    while (*c) {
        const char *comma = strchr(c, ',');
        size_t l = comma ? (size_t)(comma - c) : strlen(c);
        char key[128];
        if (l == 0 || l >= sizeof key)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: bad option '%s'", file, line, word);
        memcpy(key, c, l);
        key[l] = '\0';
        if (t && srdi_table_col(t, key) < 0)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: no column '%s' in %s", file, line, key, d->key);
        char **nc = realloc(d->cols, (d->ncols + 1) * sizeof *nc);
        if (!nc) return report_nomem();
        d->cols = nc;
        d->cols[d->ncols] = srdi_strdup(key);
        if (!d->cols[d->ncols]) return report_nomem();
        d->ncols++;
        c += l + (comma ? 1 : 0);
    }
    return SRDI_OK;
}

/*
 * "::: chart|chart+table|table ID [\"caption\"] [top=N] [cols=a,b]" after
 * its first word @p kind (the rest at @p p): the chart and the table must
 * exist, the columns too.
 */
static srdi_status parse_chart_table(const char *kind, const char *p, const report_ctx *ctx, const char *file, int line,
                                     report_directive *d)
{
    char word[512], what[16];
    bool q;
    d->kind = kind[0] == 'c' ? DIR_CHART : DIR_TABLE;
    d->with_table = strcmp(kind, "chart+table") == 0;
    srdi_strlcpy(what, kind, sizeof what);
    if (!next_word(&p, word, sizeof word, &q) || q)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: %s' needs a table id", file, line, what);
    srdi_strlcpy(d->key, word, sizeof d->key);
    const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, d->key) : NULL;
    const srdi_chart_def *cdef = d->kind == DIR_CHART ? srdi_chart_find(d->key) : NULL;
    bool needs_table = d->kind == DIR_TABLE || d->with_table || (cdef && cdef->table);
    if (d->kind == DIR_CHART && !cdef)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown chart '%s' in '::: %s %s'", file, line, d->key, what,
                              d->key);
    if (needs_table && !t)
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown table '%s' in '::: %s %s'", file, line, d->key, what,
                              d->key);
    while (next_word(&p, word, sizeof word, &q)) {
        srdi_status s = SRDI_OK;
        if (q) {
            free(d->caption);
            d->caption = srdi_strdup(word);
            if (!d->caption) return report_nomem();
        } else if (strncmp(word, "top=", 4) == 0) {
            char *end = NULL;
            long v = strtol(word + 4, &end, 10);
            if (!end || *end || v < 1)
                return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: bad option '%s' (top=N, N ≥ 1)", file, line, word);
            d->top = (int)v;
        } else if (strncmp(word, "cols=", 5) == 0) {
            s = parse_cols(word, t, file, line, d);
        } else {
            s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown option '%s' in '::: %s %s'", file, line, word, what,
                               d->key);
        }
        if (s) return s;
    }
    return SRDI_OK;
}

/*
 * Parse and validate one directive line (placeholders already expanded).
 * Fills @p d; errors name file and line.
 */
srdi_status report_parse_directive(const char *text, const report_ctx *ctx, const char *file, int line,
                                   report_directive *d)
{
    const char *p = text;
    while (*p == ' ') p++;
    p += 3;
    char word[512];
    bool q;
    if (!next_word(&p, word, sizeof word, &q))
        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: empty directive ':::'", file, line);
    if (strcmp(word, "pagebreak") == 0) {
        d->kind = DIR_PAGEBREAK;
        return SRDI_OK;
    }
    if (strcmp(word, "source") == 0) {
        while (*p == ' ') p++;
        if (!*p) return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: source' needs the source text", file, line);
        d->kind = DIR_SOURCE;
        d->source = srdi_strdup(p);
        return d->source ? SRDI_OK : report_nomem();
    }
    if (strcmp(word, "figure") == 0) {
        d->kind = DIR_FIGURE;
        if (!next_word(&p, word, sizeof word, &q) || q)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure' needs an id and a \"title\"", file, line);
        d->figid = srdi_strdup(word);
        if (!d->figid) return report_nomem();
        srdi_strlcpy(d->key, word, sizeof d->key);
        if (!next_word(&p, word, sizeof word, &q) || !q)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure %s' needs a \"title\"", file, line, d->figid);
        d->caption = srdi_strdup(word);
        return d->caption ? SRDI_OK : report_nomem();
    }
    if (strcmp(word, "chart") == 0 || strcmp(word, "chart+table") == 0 || strcmp(word, "table") == 0)
        return parse_chart_table(word, p, ctx, file, line, d);
    return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown directive '%s'", file, line, text);
}
