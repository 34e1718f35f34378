/*
 * src/report/template_expand.c — the placeholders of the templates:
 * {{Tnn.row.col|modifier}}, {{param:…}}, {{ref:…}}, {{n:…}}, scope words and
 * the computed ones of cond.c, expanded line by line (errors name the line);
 * a prose line whose value is empty for this data becomes the no-data
 * sentence.  Syntax: docs/templates.md.
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

/* ----------------------------------------------------------- placeholders */

/* Append @p s, backslash-escaping ASCII punctuation when @p esc. */
static srdi_status put_value(srdi_buf *out, const char *s, bool esc)
{
    if (!esc) return srdi_buf_puts(out, s);
    for (; *s; s++) {
        if (ispunct((unsigned char)*s) && srdi_buf_append(out, "\\", 1)) return report_nomem();
        if (srdi_buf_append(out, s, 1)) return report_nomem();
    }
    return SRDI_OK;
}

/* Number as "%.0f" for counts / years, else 4 significant digits without exponent. */
static void format_raw(const srdi_tcol *col, double v, char *buf, size_t size)
{
    if (col->type == SRDI_COL_COUNT || col->type == SRDI_COL_YEAR || v == 0.0 || fabs(v) >= 1000.0) {
        snprintf(buf, size, "%.0f", v);
        if (strcmp(buf, "-0") == 0) snprintf(buf, size, "0");
        return;
    }
    int mag = (int)floor(log10(fabs(v))) + 1;
    int dec = 4 - mag;
    if (dec < 0) dec = 0;
    if (dec > 12) dec = 12;
    snprintf(buf, size, "%.*f", dec, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0') *e-- = '\0';
        if (e == dot) *e = '\0';
    }
}

/* The 图表 number of a directive id ("T13" or "fig:path"), or 0. */
static int refs_lookup(const report_refs *refs, const char *id)
{
    if (!refs) return 0;
    bool fig = strncmp(id, "fig:", 4) == 0;
    /* "chart:T04" / "table:T04": the chart or the table of a key shown as both */
    int want = strncmp(id, "chart:", 6) == 0 ? DIR_CHART : strncmp(id, "table:", 6) == 0 ? DIR_TABLE : -1;
    if (want >= 0) {
        id += 6;
        for (size_t i = 0; i < refs->n; i++)
            if ((int)refs->d[i].kind == want && strcmp(refs->d[i].key, id) == 0) return refs->d[i].fig;
        return 0;
    }
    for (size_t i = 0; i < refs->n; i++) {
        const report_directive *d = &refs->d[i];
        if (fig && d->kind == DIR_FIGURE && d->figid && strcmp(d->figid, id + 4) == 0) return d->fig;
        if (!fig && (d->kind == DIR_CHART || d->kind == DIR_TABLE) && strcmp(d->key, id) == 0) return d->fig;
    }
    return 0;
}

/* {{scope.name}}, {{scope.rank}}, {{scope.share|raw}} …: the edition's scope (scope.c). */
static bool resolve_scope(const char *name, const char *mod, const report_ctx *ctx, char *val, size_t vsize, char *why,
                          size_t wsize)
{
    report_scope_val sv;
    if (!report_scope_value(ctx, name, &sv, why, wsize)) return false;
    if (mod[0] && strcmp(mod, "raw") != 0) {
        snprintf(why, wsize, "unknown modifier '%.200s' (scope values take |raw only)", mod);
        return false;
    }
    if (sv.is_text) {
        srdi_strlcpy(val, sv.text, vsize);
    } else if (sv.cell.kind != SRDI_CELL_NUM) {
        snprintf(why, wsize, "this edition's scope has no %.100s", name);
        srdi_strlcpy(val, "—", vsize);
    } else if (mod[0]) {
        format_raw(sv.col, sv.cell.num, val, vsize);
    } else {
        srdi_cell_format(sv.col, &sv.cell, val, vsize);
    }
    return true;
}

/*
 * Cell @p cell of column @p col (row key @p row, column key @p colk, for
 * messages) as the placeholder prints it with modifier @p mod: none (the
 * column's format, "—" for a missing value), raw, abs or comparative words
 * 高于/低于[/持平].  False with @p why for a bad modifier.
 */
static bool format_cell(const srdi_tcol *col, srdi_cell cell, const char *mod, const char *row, const char *colk,
                        char *val, size_t vsize, char *why, size_t wsize)
{
    if (mod[0] == '\0') {
        if (cell.kind == SRDI_CELL_ABSENT || cell.kind == SRDI_CELL_NULL)
            srdi_strlcpy(val, "—", vsize);
        else
            srdi_cell_format(col, &cell, val, vsize);
        return true;
    }
    if (cell.kind != SRDI_CELL_NUM) {
        if (cell.kind == SRDI_CELL_TEXT && (strcmp(mod, "raw") == 0 || strcmp(mod, "abs") == 0)) {
            srdi_strlcpy(val, cell.text ? cell.text : "", vsize);
            return true;
        }
        if (cell.kind == SRDI_CELL_TEXT) {
            snprintf(why, wsize, "modifier '%.200s' needs a number, %.100s.%.100s is text", mod, row, colk);
            return false;
        }
        srdi_strlcpy(val, "—", vsize);
        if (strcmp(mod, "raw") && strcmp(mod, "abs") && !strchr(mod, '/')) {
            snprintf(why, wsize, "unknown modifier '%.200s'", mod);
            return false;
        }
        return true;
    }
    if (strcmp(mod, "raw") == 0) {
        srdi_tcol ec = srdi_cell_effective_col(col, &cell);
        format_raw(&ec, cell.num, val, vsize);
        return true;
    }
    if (strcmp(mod, "abs") == 0) {
        cell.num = fabs(cell.num);
        srdi_cell_format(col, &cell, val, vsize);
        return true;
    }
    if (strchr(mod, '/')) {
        char w[3][96] = {"", "", ""};
        int nw = 0;
        const char *p = mod;
        while (nw < 3) {
            const char *sl = strchr(p, '/');
            size_t l = sl ? (size_t)(sl - p) : strlen(p);
            if (l >= sizeof w[0]) l = sizeof w[0] - 1;
            memcpy(w[nw], p, l);
            w[nw][l] = '\0';
            nw++;
            if (!sl) break;
            p = sl + 1;
        }
        if (nw < 2 || !w[0][0] || !w[1][0]) {
            snprintf(why, wsize, "comparative words are written |高于/低于 or |高于/低于/持平");
            return false;
        }
        const char *pick = cell.num > 0 ? w[0] : cell.num < 0 ? w[1] : (nw == 3 ? w[2] : w[0]);
        srdi_strlcpy(val, pick, vsize);
        return true;
    }
    snprintf(why, wsize, "unknown modifier '%.200s'", mod);
    return false;
}

/*
 * Resolve one placeholder body (without braces) into @p val.  On failure
 * writes the reason into @p why and returns false.
 */
static bool resolve(const char *body, const report_ctx *ctx, const report_refs *refs, char *val, size_t vsize,
                    char *why, size_t wsize)
{
    char expr[512], mod[256] = "";
    const srdi_tableset *bench;
    size_t blen = report_bench_prefix(body, ctx, &bench); /* national: / province: benchmarks */
    if (blen) {
        report_ctx bctx = *ctx;
        bctx.tables = bench;
        return resolve(body + blen, &bctx, refs, val, vsize, why, wsize);
    }
    int computed = report_cond_placeholder(body, ctx, val, vsize, why, wsize); /* list: count: trend: … */
    if (computed >= 0) return computed == 1;
    const char *bar = strchr(body, '|');
    size_t elen = bar ? (size_t)(bar - body) : strlen(body);
    if (elen >= sizeof expr) {
        snprintf(why, wsize, "too long");
        return false;
    }
    memcpy(expr, body, elen);
    expr[elen] = '\0';
    if (bar) srdi_strlcpy(mod, bar + 1, sizeof mod);
    if (strncmp(expr, "scope.", 6) == 0) return resolve_scope(expr, mod, ctx, val, vsize, why, wsize);

    if (strncmp(expr, "param:", 6) == 0) {
        const char *sk = expr + 6, *dot = strchr(sk, '.');
        char sec[128];
        if (!dot || (size_t)(dot - sk) >= sizeof sec) {
            snprintf(why, wsize, "parameters are written {{param:section.key}}");
            return false;
        }
        memcpy(sec, sk, (size_t)(dot - sk));
        sec[dot - sk] = '\0';
        const char *v = ctx->params ? srdi_params_str(ctx->params, sec, dot + 1, NULL) : NULL;
        if (!v) {
            snprintf(why, wsize, "no parameter '%.200s' in params.ini", sk);
            return false;
        }
        /* a number of 1,000 or more takes thousands separators like every number */
        char *end = NULL;
        double x = strtod(v, &end);
        const char *dp = strchr(v, '.');
        if (end && end != v && *end == '\0' && isfinite(x) && fabs(x) >= 1000 && !strchr(v, 'e') && !strchr(v, 'E'))
            srdi_number_format(x, SRDI_COL_NUMBER, dp ? (int)strlen(dp + 1) : 0, val, vsize);
        else
            srdi_strlcpy(val, v, vsize);
        return true;
    }
    if (strncmp(expr, "ref:", 4) == 0) {
        int n = refs_lookup(refs, expr + 4);
        if (n <= 0) {
            snprintf(why, wsize, "no chart, table or figure directive for '%.200s'", expr + 4);
            return false;
        }
        snprintf(val, vsize, "%d", n);
        return true;
    }
    if (strncmp(expr, "n:", 2) == 0) {
        const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, expr + 2) : NULL;
        if (!t) {
            snprintf(why, wsize, "no table '%.200s'", expr + 2);
            return false;
        }
        srdi_tcol c = {.key = "n", .label = "n", .type = SRDI_COL_COUNT, .unit = "", .decimals = 0};
        srdi_cell cell = {.kind = SRDI_CELL_NUM, .num = (double)t->n};
        srdi_cell_format(&c, &cell, val, vsize);
        return true;
    }
    /* Tnn.row.col: the row key may contain dots, the column key may not. */
    char tid[16], row[256], colk[128];
    int split = report_ref_split(expr, tid, row, colk);
    if (split == -1) {
        snprintf(why, wsize, "expected {{table.row.column}}, {{param:…}}, {{ref:…}} or {{n:…}}");
        return false;
    }
    if (split == -2) {
        snprintf(why, wsize, "too long");
        return false;
    }
    const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, tid) : NULL;
    if (!t) {
        snprintf(why, wsize, "no table '%.200s'", tid);
        return false;
    }
    int r = -1;
    bool is_col = srdi_table_col(t, colk) >= 0 || strcmp(colk, "key") == 0 || strcmp(colk, "label") == 0;
    if (row[0] == '@') { /* @scope / @province: the edition's own row */
        bool bad;
        char kb[192];
        const char *k = report_scope_row(ctx, row, &bad, kb, sizeof kb);
        if (bad) {
            snprintf(why, wsize, "bad row selector '%.200s' (write @scope or @province)", row);
            return false;
        }
        if (!is_col) {
            snprintf(why, wsize, "no column '%.200s' in %s", colk, tid);
            return false;
        }
        if (!k || srdi_table_row(t, k) < 0) {
            snprintf(why, wsize, "%s has no row for %s in this edition", tid, row);
            srdi_strlcpy(val, "—", vsize);
            return true;
        }
        srdi_strlcpy(row, k, sizeof row);
    }
    int sel = report_row_selector(t, row, why, wsize); /* max(col), min(col), #-k */
    if (sel == -3) return false;
    if (sel == -1 && is_col) {
        snprintf(why, wsize, "%s has no row for '%.100s' in this data", tid, row);
        srdi_strlcpy(val, "—", vsize);
        return true;
    }
    if (sel >= 0) {
        r = sel;
    } else if (row[0] == '#') {
        char *end = NULL;
        long k = strtol(row + 1, &end, 10);
        if (!end || *end || k < 1) {
            snprintf(why, wsize, "bad row selector '%.200s' (write #1, #2 …)", row);
            return false;
        }
        if ((size_t)k > t->nrows) {
            /* a ranking position this data does not reach: the template is
               right, the data is small (or scoped, or the input file is missing) */
            if (!is_col) {
                snprintf(why, wsize, "no column '%.200s' in %s", colk, tid);
                return false;
            }
            if (t->no_data)
                snprintf(why, wsize, "%s has no data (its input file is missing)", tid);
            else
                snprintf(why, wsize, "%s has %zu rows for this data", tid, t->nrows);
            srdi_strlcpy(val, "—", vsize);
            return true;
        }
        r = (int)k - 1;
    } else {
        r = srdi_table_row(t, row);
        if (r < 0 && t->no_data && is_col) {
            snprintf(why, wsize, "%s has no data (its input file is missing)", tid);
            srdi_strlcpy(val, "—", vsize);
            return true;
        }
        if (r < 0) {
            snprintf(why, wsize, "no row '%.200s' in %s", row, tid);
            return false;
        }
    }
    if (strcmp(colk, "key") == 0 || strcmp(colk, "label") == 0) {
        srdi_strlcpy(val, colk[0] == 'k' ? t->rows[r].key : t->rows[r].label, vsize);
        return true;
    }
    int c = srdi_table_col(t, colk);
    if (c < 0) {
        snprintf(why, wsize, "no column '%.200s' in %s", colk, tid);
        return false;
    }
    return format_cell(&t->cols[c], t->rows[r].cells[c], mod, row, colk, val, vsize, why, wsize);
}

/* A prose line (paragraph or list item) of @p text from @p at on printed an empty
   value ("—"): the data of this edition cannot support it, so the sentence is
   replaced by one saying so (a list item keeps its marker).  Table rows,
   headings and other lines are left as they are.  A warning names the line. */
static srdi_status prose_without_data(srdi_buf *text, size_t at, const char *file, int lineno)
{
    const char *p = text->data + at;
    size_t n = text->len - at, k = 0;
    while (k < n && (p[k] == ' ' || p[k] == '\t')) k++;
    if (k == n || p[k] == '|' || p[k] == '#' || p[k] == ':' || p[k] == '<' || p[k] == '>' || p[k] == '[')
        return SRDI_OK;
    size_t keep = k;
    if ((p[k] == '-' || p[k] == '*' || p[k] == '+') && k + 1 < n && p[k + 1] == ' ')
        keep = k + 2;
    else {
        size_t d = k;
        while (d < n && p[d] >= '0' && p[d] <= '9') d++;
        if (d > k && d + 1 < n && (p[d] == '.' || p[d] == ')') && p[d + 1] == ' ') keep = d + 2;
    }
    srdi_log_warn("%s:%d: a value of this paragraph is empty for this data; printed a no-data sentence", file, lineno);
    text->len = at + keep;
    return srdi_buf_append(text, "本段所需的部分数据在本版中缺失（有的组别没有企业或没有数据），相关分析从略。",
                           strlen("本段所需的部分数据在本版中缺失（有的组别没有企业或没有数据），相关分析从略。"));
}

/* Placeholders printed as "—" because the data lacks the row (first 5 are named). */
static _Thread_local int dash_warnings;
/* Placeholders of the line being expanded whose value is empty ("—"): a prose
   line with one is replaced by a sentence saying the data is missing. */
static _Thread_local int empty_values;

srdi_status report_expand_line(const char *line, size_t len, const report_ctx *ctx, const report_refs *refs,
                               const char *file, int lineno, bool md_escape, srdi_buf *out)
{
    size_t i = 0;
    while (i < len) {
        const char *open = NULL;
        for (size_t k = i; k + 1 < len; k++)
            if (line[k] == '{' && line[k + 1] == '{') {
                open = line + k;
                break;
            }
        if (!open) return srdi_buf_append(out, line + i, len - i);
        if (srdi_buf_append(out, line + i, (size_t)(open - (line + i)))) return report_nomem();
        const char *body = open + 2, *close = NULL;
        for (const char *p = body; p + 1 < line + len; p++)
            if (p[0] == '}' && p[1] == '}') {
                close = p;
                break;
            }
        if (!close) {
            size_t show = (size_t)(line + len - open);
            if (show > 60) show = 60;
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unterminated placeholder %.*s", file, lineno, (int)show,
                                  open);
        }
        size_t blen = (size_t)(close - body);
        char *b = malloc(blen + 1);
        if (!b) return report_nomem();
        memcpy(b, body, blen);
        b[blen] = '\0';
        char val[1024], why[512];
        why[0] = '\0';
        bool ok = resolve(b, ctx, refs, val, sizeof val, why, sizeof why);
        if (ok && why[0] && dash_warnings++ < 5) /* resolved to "—": this data lacks the row */
            srdi_log_warn("%s:%d: {{%s}}: %s; printed %s", file, lineno, b, why, val);
        if (!ok) {
            srdi_status s =
                srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown placeholder {{%s}}: %s", file, lineno, b, why);
            free(b);
            return s;
        }
        free(b);
        if (strcmp(val, "—") == 0) empty_values++;
        if (put_value(out, val, md_escape)) return report_nomem();
        i = (size_t)(close + 2 - line);
    }
    return SRDI_OK;
}

srdi_status report_expand_prose_line(const char *line, const report_ctx *ctx, const report_refs *refs, const char *file,
                                     int lineno, srdi_buf *out)
{
    size_t at = out->len;
    empty_values = 0;
    srdi_status s = report_expand_line(line, strlen(line), ctx, refs, file, lineno, true, out);
    if (!s && empty_values > 0) s = prose_without_data(out, at, file, lineno);
    return s;
}

void report_placeholder_warnings_begin(void)
{
    dash_warnings = 0;
}

void report_placeholder_warnings_end(void)
{
    if (dash_warnings > 5)
        srdi_log_warn("%d more placeholders printed — (this data has fewer rows than the text ranks)",
                      dash_warnings - 5);
}
