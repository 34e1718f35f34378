/*
 * src/report/template.c — the template engine of the report.
 *
 * The .md files of templates/<t>/ are read in file-name order.  Processing runs in two
 * passes over the raw lines:
 *   1. directive lines (a paragraph of exactly one line starting with ":::")
 *      are parsed and validated, and every chart / table / figure directive
 *      gets the next 图表 number, so {{ref:…}} can point forwards;
 *   2. placeholders are expanded line by line (so errors name the line),
 *      directive lines are replaced by a marker paragraph, and the text is
 *      parsed with cmark-gfm (table + footnotes extensions) into blocks.
 * The syntax is fixed in docs/templates.md.
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

/* -------------------------------------------------------------- directives */

typedef enum { DIR_CHART, DIR_TABLE, DIR_FIGURE, DIR_SOURCE, DIR_PAGEBREAK } dir_kind;

typedef struct report_directive {
    dir_kind kind;
    int      file, line;
    char     key[16];        /* table / chart key, or the figure id (truncated copy) */
    char    *figid;          /* figure id (owned) */
    char    *caption;        /* quoted title or NULL (owned) */
    char    *source;         /* ::: source text (owned) */
    bool     with_table;     /* chart+table */
    int      top;
    char   **cols; size_t ncols;
    int      fig;            /* 图表 number (chart / table / figure) */
} report_directive;

struct report_refs {
    report_directive *d;
    size_t         n, cap;
};

static void refs_free(report_refs *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->d[i].figid);
        free(r->d[i].caption);
        free(r->d[i].source);
        for (size_t k = 0; k < r->d[i].ncols; k++)
            free(r->d[i].cols[k]);
        free(r->d[i].cols);
    }
    free(r->d);
}

/* ------------------------------------------------------------- doc helpers */

static srdi_status nomem(void)
{
    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory while reading the templates");
}

static void inline_free(report_inline *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->runs[i].text);
    free(in->runs);
    memset(in, 0, sizeof *in);
}

/* Append a run (text copied) to an inline. */
static srdi_status inline_add(report_inline *in, const char *text, size_t len, unsigned style, int fn)
{
    if (srdi_grow((void **)&in->runs, &in->cap, in->n + 1, sizeof *in->runs))
        return SRDI_ERR_NOMEM;
    char *t = malloc(len + 1);
    if (!t)
        return nomem();
    memcpy(t, text, len);
    t[len] = '\0';
    in->runs[in->n++] = (report_run){ t, style, fn };
    return SRDI_OK;
}

char *report_inline_plain(const report_inline *in)
{
    srdi_buf b = { 0 };
    for (size_t i = 0; i < in->n; i++)
        if (!(in->runs[i].style & (REPORT_FNREF | REPORT_BREAK)))
            srdi_buf_puts(&b, in->runs[i].text);
    return srdi_buf_steal(&b);
}

static void block_free(report_block *b)
{
    free(b->number);
    inline_free(&b->text);
    for (size_t i = 0; i < b->ncols * b->nrows; i++)
        free(b->cells[i]);
    free(b->cells);
    free(b->align);
    free(b->caption);
    free(b->source);
    for (size_t i = 0; i < b->ncolsel; i++)
        free(b->colsel[i]);
    free(b->colsel);
    for (size_t i = 0; i < b->ncover; i++)
        free(b->cover_lines[i]);
    free(b->cover_lines);
    free(b->cover_level);
}

void report_doc_free(report_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nfiles; i++)
        free(d->files[i]);
    free(d->files);
    for (size_t i = 0; i < d->nblocks; i++)
        block_free(&d->blocks[i]);
    free(d->blocks);
    for (size_t i = 0; i < d->nnotes; i++)
        inline_free(&d->notes[i].text);
    free(d->notes);
    for (size_t i = 0; i < d->nfigs; i++)
        free(d->figs[i].caption);
    free(d->figs);
    report_claims_free(&d->claims);
    free(d);
}

/* Append a zeroed block; returns it or NULL on OOM. */
static report_block *doc_add(report_doc *d, report_kind k, int file, int line)
{
    if (srdi_grow((void **)&d->blocks, &d->capblocks, d->nblocks + 1, sizeof *d->blocks))
        return NULL;
    report_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = k;
    b->file = file;
    b->line = line;
    return b;
}

/* Register a numbered figure for the 图表目录. */
static srdi_status doc_add_fig(report_doc *d, int number, const char *caption, size_t block)
{
    if (srdi_grow((void **)&d->figs, &d->capfigs, d->nfigs + 1, sizeof *d->figs))
        return SRDI_ERR_NOMEM;
    char *c = srdi_strdup(caption ? caption : "");
    if (!c)
        return nomem();
    d->figs[d->nfigs++] = (report_figure){ number, c, block };
    return SRDI_OK;
}

/* ------------------------------------------------------------- numbering */

void report_chinese_number(int n, char *buf, size_t size)
{
    static const char *dig[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    if (n <= 0 || n >= 100) {
        snprintf(buf, size, "%d", n);
    } else if (n < 10) {
        snprintf(buf, size, "%s", dig[n]);
    } else {
        snprintf(buf, size, "%s十%s", n / 10 == 1 ? "" : dig[n / 10], n % 10 ? dig[n % 10] : "");
    }
}

void report_roman(int n, char *buf, size_t size)
{
    static const int val[] = { 1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1 };
    static const char *sym[] = { "m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i" };
    size_t p = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    if (n <= 0 || n > 3999) {
        snprintf(buf, size, "%d", n);
        return;
    }
    for (int i = 0; i < 13 && p + 2 < size; i++)
        while (n >= val[i] && p + strlen(sym[i]) < size) {
            memcpy(buf + p, sym[i], strlen(sym[i]));
            p += strlen(sym[i]);
            n -= val[i];
        }
    buf[p] = '\0';
}

/* ----------------------------------------------------------- placeholders */

/* Append @p s, backslash-escaping ASCII punctuation when @p esc. */
static srdi_status put_value(srdi_buf *out, const char *s, bool esc)
{
    if (!esc)
        return srdi_buf_puts(out, s);
    for (; *s; s++) {
        if (ispunct((unsigned char)*s) && srdi_buf_append(out, "\\", 1))
            return SRDI_ERR_NOMEM;
        if (srdi_buf_append(out, s, 1))
            return SRDI_ERR_NOMEM;
    }
    return SRDI_OK;
}

/* Number as "%.0f" for counts / years, else 4 significant digits without exponent. */
static void format_raw(const srdi_tcol *col, double v, char *buf, size_t size)
{
    if (col->type == SRDI_COL_COUNT || col->type == SRDI_COL_YEAR || v == 0.0 || fabs(v) >= 1000.0) {
        snprintf(buf, size, "%.0f", v);
        if (strcmp(buf, "-0") == 0)
            snprintf(buf, size, "0");
        return;
    }
    int mag = (int)floor(log10(fabs(v))) + 1;
    int dec = 4 - mag;
    if (dec < 0)
        dec = 0;
    if (dec > 12)
        dec = 12;
    snprintf(buf, size, "%.*f", dec, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
}

/* The 图表 number of a directive id ("T13" or "fig:path"), or 0. */
static int refs_lookup(const report_refs *refs, const char *id)
{
    if (!refs)
        return 0;
    bool fig = strncmp(id, "fig:", 4) == 0;
    /* "chart:T04" / "table:T04": the chart or the table of a key shown as both */
    int want = strncmp(id, "chart:", 6) == 0 ? DIR_CHART : strncmp(id, "table:", 6) == 0 ? DIR_TABLE : -1;
    if (want >= 0) {
        id += 6;
        for (size_t i = 0; i < refs->n; i++)
            if ((int)refs->d[i].kind == want && strcmp(refs->d[i].key, id) == 0)
                return refs->d[i].fig;
        return 0;
    }
    for (size_t i = 0; i < refs->n; i++) {
        const report_directive *d = &refs->d[i];
        if (fig && d->kind == DIR_FIGURE && d->figid && strcmp(d->figid, id + 4) == 0)
            return d->fig;
        if (!fig && (d->kind == DIR_CHART || d->kind == DIR_TABLE) && strcmp(d->key, id) == 0)
            return d->fig;
    }
    return 0;
}

/* {{scope.name}}, {{scope.rank}}, {{scope.share|raw}} …: the edition's scope (scope.c). */
static bool resolve_scope(const char *name, const char *mod, const report_ctx *ctx, char *val, size_t vsize,
                          char *why, size_t wsize)
{
    report_scope_val sv;
    if (!report_scope_value(ctx, name, &sv, why, wsize))
        return false;
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
 * Resolve one placeholder body (without braces) into @p val.  On failure
 * writes the reason into @p why and returns false.
 */
static bool resolve(const char *body, const report_ctx *ctx, const report_refs *refs, char *val,
                    size_t vsize, char *why, size_t wsize)
{
    char expr[512], mod[256] = "";
    const srdi_tableset *bench;
    size_t blen = report_bench_prefix(body, ctx, &bench);   /* national: / province: benchmarks */
    if (blen) {
        report_ctx bctx = *ctx;
        bctx.tables = bench;
        return resolve(body + blen, &bctx, refs, val, vsize, why, wsize);
    }
    int computed = report_cond_placeholder(body, ctx, val, vsize, why, wsize);   /* list: count: trend: … */
    if (computed >= 0)
        return computed == 1;
    const char *bar = strchr(body, '|');
    size_t elen = bar ? (size_t)(bar - body) : strlen(body);
    if (elen >= sizeof expr) {
        snprintf(why, wsize, "too long");
        return false;
    }
    memcpy(expr, body, elen);
    expr[elen] = '\0';
    if (bar)
        srdi_strlcpy(mod, bar + 1, sizeof mod);
    if (strncmp(expr, "scope.", 6) == 0)
        return resolve_scope(expr, mod, ctx, val, vsize, why, wsize);

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
        srdi_tcol c = { .key = "n", .label = "n", .type = SRDI_COL_COUNT, .unit = "", .decimals = 0 };
        srdi_cell cell = { .kind = SRDI_CELL_NUM, .num = (double)t->n };
        srdi_cell_format(&c, &cell, val, vsize);
        return true;
    }
    /* Tnn.row.col: the row key may contain dots, the column key may not. */
    const char *d1 = strchr(expr, '.'), *d2 = strrchr(expr, '.');
    if (!d1 || d1 == d2) {
        snprintf(why, wsize, "expected {{table.row.column}}, {{param:…}}, {{ref:…}} or {{n:…}}");
        return false;
    }
    char tid[16], row[256], colk[128];
    if ((size_t)(d1 - expr) >= sizeof tid || (size_t)(d2 - d1 - 1) >= sizeof row ||
        strlen(d2 + 1) >= sizeof colk) {
        snprintf(why, wsize, "too long");
        return false;
    }
    memcpy(tid, expr, (size_t)(d1 - expr));
    tid[d1 - expr] = '\0';
    memcpy(row, d1 + 1, (size_t)(d2 - d1 - 1));
    row[d2 - d1 - 1] = '\0';
    srdi_strlcpy(colk, d2 + 1, sizeof colk);
    const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, tid) : NULL;
    if (!t) {
        snprintf(why, wsize, "no table '%.200s'", tid);
        return false;
    }
    int r = -1;
    bool is_col = srdi_table_col(t, colk) >= 0 || strcmp(colk, "key") == 0 || strcmp(colk, "label") == 0;
    if (row[0] == '@') {   /* @scope / @province: the edition's own row */
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
    int sel = report_row_selector(t, row, why, wsize);   /* max(col), min(col), #-k */
    if (sel == -3)
        return false;
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
    const srdi_tcol *col = &t->cols[c];
    srdi_cell cell = t->rows[r].cells[c];
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
        char w[3][96] = { "", "", "" };
        int nw = 0;
        const char *p = mod;
        while (nw < 3) {
            const char *sl = strchr(p, '/');
            size_t l = sl ? (size_t)(sl - p) : strlen(p);
            if (l >= sizeof w[0])
                l = sizeof w[0] - 1;
            memcpy(w[nw], p, l);
            w[nw][l] = '\0';
            nw++;
            if (!sl)
                break;
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

/* A prose line (paragraph or list item) of @p text from @p at on printed an empty
   value ("—"): the data of this edition cannot support it, so the sentence is
   replaced by one saying so (a list item keeps its marker).  Table rows,
   headings and other lines are left as they are.  A warning names the line. */
static srdi_status prose_without_data(srdi_buf *text, size_t at, const char *file, int lineno)
{
    const char *p = text->data + at;
    size_t n = text->len - at, k = 0;
    while (k < n && (p[k] == ' ' || p[k] == '\t'))
        k++;
    if (k == n || p[k] == '|' || p[k] == '#' || p[k] == ':' || p[k] == '<' || p[k] == '>' || p[k] == '[')
        return SRDI_OK;
    size_t keep = k;
    if ((p[k] == '-' || p[k] == '*' || p[k] == '+') && k + 1 < n && p[k + 1] == ' ')
        keep = k + 2;
    else {
        size_t d = k;
        while (d < n && p[d] >= '0' && p[d] <= '9')
            d++;
        if (d > k && d + 1 < n && (p[d] == '.' || p[d] == ')') && p[d + 1] == ' ')
            keep = d + 2;
    }
    srdi_log_warn("%s:%d: a value of this paragraph is empty for this data; printed a no-data sentence",
                  file, lineno);
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
        if (!open)
            return srdi_buf_append(out, line + i, len - i);
        if (srdi_buf_append(out, line + i, (size_t)(open - (line + i))))
            return SRDI_ERR_NOMEM;
        const char *body = open + 2, *close = NULL;
        for (const char *p = body; p + 1 < line + len; p++)
            if (p[0] == '}' && p[1] == '}') {
                close = p;
                break;
            }
        if (!close) {
            size_t show = (size_t)(line + len - open);
            if (show > 60)
                show = 60;
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unterminated placeholder %.*s",
                                  file, lineno, (int)show, open);
        }
        size_t blen = (size_t)(close - body);
        char *b = malloc(blen + 1);
        if (!b)
            return nomem();
        memcpy(b, body, blen);
        b[blen] = '\0';
        char val[1024], why[512];
        why[0] = '\0';
        bool ok = resolve(b, ctx, refs, val, sizeof val, why, sizeof why);
        if (ok && why[0] && dash_warnings++ < 5)   /* resolved to "—": this data lacks the row */
            srdi_log_warn("%s:%d: {{%s}}: %s; printed %s", file, lineno, b, why, val);
        if (!ok) {
            srdi_status s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown placeholder {{%s}}: %s",
                                           file, lineno, b, why);
            free(b);
            return s;
        }
        free(b);
        if (strcmp(val, "—") == 0)
            empty_values++;
        if (put_value(out, val, md_escape))
            return SRDI_ERR_NOMEM;
        i = (size_t)(close + 2 - line);
    }
    return SRDI_OK;
}

/* -------------------------------------------------------- directive parse */

/* Is line k (0-based) of @p lines a standalone ":::" paragraph? */
static bool is_directive_line(char **lines, size_t n, size_t k)
{
    const char *l = lines[k];
    while (*l == ' ')
        l++;
    if (strncmp(l, ":::", 3) != 0 || (size_t)(l - lines[k]) > 3)
        return false;
    bool blank_before = k == 0 || lines[k - 1][strspn(lines[k - 1], " \t")] == '\0';
    bool blank_after = k + 1 >= n || lines[k + 1][strspn(lines[k + 1], " \t")] == '\0';
    return blank_before && blank_after;
}

/* Next whitespace-separated word of *p (quoted "…" as one word, quotes removed). */
static bool next_word(const char **p, char *buf, size_t size, bool *quoted)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return false;
    *quoted = false;
    const char *e;
    if (*s == '"' || strncmp(s, "“", 3) == 0) {
        /* a caption opened with " closes with ", one opened with “ closes with ”;
           the other kind of quote may appear inside ("‘小巨人’", "“小巨人”") */
        bool ascii = *s == '"';
        s += ascii ? 1 : 3;
        const char *closer = ascii ? "\"" : "”";
        size_t cl = ascii ? 1 : 3;
        if (ascii) {
            /* the closing quote is the last " on the line */
            e = strrchr(s, '"');
        } else {
            /* nested “…” pairs inside are kept: find the matching ” */
            int depth = 0;
            e = NULL;
            for (const char *q = s; *q; q++) {
                if (strncmp(q, "“", 3) == 0) depth++;
                else if (strncmp(q, closer, 3) == 0) {
                    if (depth == 0) { e = q; break; }
                    depth--;
                }
            }
        }
        if (!e)
            e = s + strlen(s), cl = 0;
        size_t l = (size_t)(e - s);
        if (l >= size)
            l = size - 1;
        memcpy(buf, s, l);
        buf[l] = '\0';
        *p = e + cl;
        *quoted = true;
        return true;
    }
    e = s;
    while (*e && *e != ' ' && *e != '\t')
        e++;
    size_t l = (size_t)(e - s);
    if (l >= size)
        l = size - 1;
    memcpy(buf, s, l);
    buf[l] = '\0';
    *p = e;
    return true;
}

/*
 * Parse and validate one directive line (placeholders already expanded).
 * Fills @p d; errors name file and line.
 */
static srdi_status parse_directive(const char *text, const report_ctx *ctx, const char *file, int line,
                                   report_directive *d)
{
    const char *p = text;
    while (*p == ' ')
        p++;
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
        while (*p == ' ')
            p++;
        if (!*p)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: source' needs the source text", file, line);
        d->kind = DIR_SOURCE;
        d->source = srdi_strdup(p);
        return d->source ? SRDI_OK : nomem();
    }
    if (strcmp(word, "figure") == 0) {
        d->kind = DIR_FIGURE;
        if (!next_word(&p, word, sizeof word, &q) || q)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure' needs an id and a \"title\"",
                                  file, line);
        d->figid = srdi_strdup(word);
        if (!d->figid)
            return nomem();
        srdi_strlcpy(d->key, word, sizeof d->key);
        if (!next_word(&p, word, sizeof word, &q) || !q)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: figure %s' needs a \"title\"",
                                  file, line, d->figid);
        d->caption = srdi_strdup(word);
        return d->caption ? SRDI_OK : nomem();
    }
    if (strcmp(word, "chart") == 0 || strcmp(word, "chart+table") == 0 || strcmp(word, "table") == 0) {
        d->kind = word[0] == 'c' ? DIR_CHART : DIR_TABLE;
        d->with_table = strcmp(word, "chart+table") == 0;
        char what[16];
        srdi_strlcpy(what, word, sizeof what);
        if (!next_word(&p, word, sizeof word, &q) || q)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: %s' needs a table id", file, line, what);
        srdi_strlcpy(d->key, word, sizeof d->key);
        const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, d->key) : NULL;
        const srdi_chart_def *cdef = d->kind == DIR_CHART ? srdi_chart_find(d->key) : NULL;
        bool needs_table = d->kind == DIR_TABLE || d->with_table || (cdef && cdef->table);
        if (d->kind == DIR_CHART && !cdef)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown chart '%s' in '::: %s %s'",
                                  file, line, d->key, what, d->key);
        if (needs_table && !t)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown table '%s' in '::: %s %s'",
                                  file, line, d->key, what, d->key);
        while (next_word(&p, word, sizeof word, &q)) {
            if (q) {
                free(d->caption);
                d->caption = srdi_strdup(word);
                if (!d->caption)
                    return nomem();
            } else if (strncmp(word, "top=", 4) == 0) {
                char *end = NULL;
                long v = strtol(word + 4, &end, 10);
                if (!end || *end || v < 1)
                    return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: bad option '%s' (top=N, N ≥ 1)",
                                          file, line, word);
                d->top = (int)v;
            } else if (strncmp(word, "cols=", 5) == 0) {
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
                        return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: no column '%s' in %s",
                                              file, line, key, d->key);
                    char **nc = realloc(d->cols, (d->ncols + 1) * sizeof *nc);
                    if (!nc)
                        return nomem();
                    d->cols = nc;
                    d->cols[d->ncols] = srdi_strdup(key);
                    if (!d->cols[d->ncols])
                        return nomem();
                    d->ncols++;
                    c += l + (comma ? 1 : 0);
                }
            } else {
                return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown option '%s' in '::: %s %s'",
                                      file, line, word, what, d->key);
            }
        }
        return SRDI_OK;
    }
    return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown directive '%s'", file, line, text);
}

/* ------------------------------------------------------------ file model */

typedef struct report_file {
    const char *name;     /* display name */
    char      **lines;    /* split, without newlines (owned) */
    size_t      nlines;
    int         role;     /* 0 cover, 1 preface, 2 chapter, 3 back matter */
    int        *dir_at;   /* per line: directive index or -1 */
    int        *orig;     /* per line: its 1-based line in the source file (after {{#if}} blocks) */
} report_file;

static void file_free(report_file *f)
{
    for (size_t i = 0; i < f->nlines; i++)
        free(f->lines[i]);
    free(f->lines);
    free(f->dir_at);
    free(f->orig);
}

/* Split text into lines (\n, \r\n). */
static srdi_status split_lines(const char *text, report_file *f)
{
    const char *p = text;
    size_t cap = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        size_t ll = l > 0 && p[l - 1] == '\r' ? l - 1 : l;
        if (srdi_grow((void **)&f->lines, &cap, f->nlines + 1, sizeof *f->lines))
            return SRDI_ERR_NOMEM;
        f->lines[f->nlines] = malloc(ll + 1);
        if (!f->lines[f->nlines])
            return nomem();
        memcpy(f->lines[f->nlines], p, ll);
        f->lines[f->nlines][ll] = '\0';
        f->nlines++;
        p += l + (e ? 1 : 0);
    }
    return SRDI_OK;
}

/* Role of a file from its base name: 00 cover, 01 preface, 10–89 chapter, else back matter. */
static int file_role(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (isdigit((unsigned char)base[0]) && isdigit((unsigned char)base[1])) {
        int v = (base[0] - '0') * 10 + (base[1] - '0');
        if (v == 0)
            return 0;
        if (v < 10)
            return 1;
        if (v < 90)
            return 2;
    }
    return 3;
}

/* ----------------------------------------------------------- AST to blocks */

typedef struct walk {
    report_doc       *doc;
    const report_refs *refs;
    int            file;
    int            role;
    int            fn_base;       /* footnotes numbered before this file */
    int           *chapter, *section;
    int            pending_fig;   /* directive index of a ::: figure waiting for its body, or -1 */
    int            last_fig_block;/* index of the last block of the last figure, or -1 */
    report_block     *cover;
    const report_ctx *ctx;           /* tables, for caption fallbacks */
    const int     *orig;          /* source line of each expanded line (1-based index) */
    size_t         norig;
} walk;

/* Source line of line @p l (1-based) of the expanded text. */
static int src_line(const walk *w, int l)
{
    return w->orig && l >= 1 && (size_t)l <= w->norig ? w->orig[l - 1] : l;
}

/* Flatten inline children of @p n into @p in with style bits. */
static srdi_status flatten(walk *w, cmark_node *n, unsigned style, report_inline *in)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        srdi_status s = SRDI_OK;
        const char *lit = cmark_node_get_literal(c);
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            s = inline_add(in, lit ? lit : "", lit ? strlen(lit) : 0, style, 0);
            break;
        case CMARK_NODE_SOFTBREAK: {
            const char *prev = in->n ? in->runs[in->n - 1].text : "";
            size_t pl = strlen(prev);
            const char *nt = cmark_node_next(c) ? cmark_node_get_literal(cmark_node_next(c)) : NULL;
            if (pl && (unsigned char)prev[pl - 1] < 0x80 && prev[pl - 1] != ' ' && nt &&
                (unsigned char)nt[0] < 0x80)
                s = inline_add(in, " ", 1, style, 0);
            break;
        }
        case CMARK_NODE_LINEBREAK:
            s = inline_add(in, "", 0, REPORT_BREAK, 0);
            break;
        case CMARK_NODE_EMPH:
            s = flatten(w, c, style | REPORT_EMPH, in);
            break;
        case CMARK_NODE_STRONG:
            s = flatten(w, c, style | REPORT_BOLD, in);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            s = flatten(w, c, style, in);
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE: {
            long k = lit ? strtol(lit, NULL, 10) : 0;
            int num = w->fn_base + (int)k;
            char nb[16];
            snprintf(nb, sizeof nb, "%d", num);
            s = inline_add(in, nb, strlen(nb), REPORT_FNREF, num);
            break;
        }
        default:
            if (cmark_node_first_child(c))
                s = flatten(w, c, style, in);
            break;
        }
        if (s)
            return s;
    }
    return SRDI_OK;
}

/* Plain text of a node's inline content (for table cells and cover lines). */
static char *node_plain(walk *w, cmark_node *n)
{
    report_inline in = { 0 };
    if (flatten(w, n, 0, &in)) {
        inline_free(&in);
        return NULL;
    }
    char *s = report_inline_plain(&in);
    inline_free(&in);
    return s;
}

/* Mark @p b as (part of) the pending ::: figure body or reject it. */
static srdi_status attach_figure(walk *w, report_block *b, bool first)
{
    const report_directive *d = &w->refs->d[w->pending_fig];
    b->fig = d->fig;
    b->fig_first = first;
    b->fig_last = false;
    if (first) {
        b->caption = srdi_strdup(d->caption);
        srdi_strlcpy(b->key, d->key, sizeof b->key);
        if (!b->caption || doc_add_fig(w->doc, d->fig, d->caption, w->doc->nblocks - 1))
            return nomem();
    }
    return SRDI_OK;
}

static srdi_status walk_block(walk *w, cmark_node *n, int depth);

/* A list: one RB_ITEM per paragraph of each item (nested lists deeper). */
static srdi_status walk_list(walk *w, cmark_node *list, int depth, bool fig)
{
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int num = cmark_node_get_list_start(list);
    bool first_block = true;
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it), num++) {
        bool first_para = true;
        for (cmark_node *c = cmark_node_first_child(it); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
                srdi_status s = walk_list(w, c, depth + 1, fig);
                if (s)
                    return s;
                continue;
            }
            if (cmark_node_get_type(c) != CMARK_NODE_PARAGRAPH) {
                srdi_status s = walk_block(w, c, depth + 1);
                if (s)
                    return s;
                continue;
            }
            report_block *b = doc_add(w->doc, RB_ITEM, w->file, src_line(w, cmark_node_get_start_line(c)));
            if (!b)
                return nomem();
            b->level = depth;
            char mk[16];
            if (!first_para)
                mk[0] = '\0';
            else if (ordered)
                snprintf(mk, sizeof mk, "%d.", num);
            else
                snprintf(mk, sizeof mk, "%s", depth == 0 ? "•" : "–");
            b->number = srdi_strdup(mk);
            if (!b->number || flatten(w, c, 0, &b->text))
                return nomem();
            if (fig) {
                if (attach_figure(w, b, first_block))
                    return SRDI_ERR_NOMEM;
                w->last_fig_block = (int)(w->doc->nblocks - 1);
            }
            first_block = false;
            first_para = false;
        }
    }
    return SRDI_OK;
}

/* A GFM pipe table node → RB_PIPE. */
static srdi_status walk_table(walk *w, cmark_node *n, bool fig)
{
    report_block *b = doc_add(w->doc, RB_PIPE, w->file, src_line(w, cmark_node_get_start_line(n)));
    if (!b)
        return nomem();
    size_t bi = w->doc->nblocks - 1;
    size_t ncols = cmark_gfm_extensions_get_table_columns(n), nrows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r))
        nrows++;
    char **cells = calloc(ncols * nrows + 1, sizeof *cells);
    int *align = calloc(ncols + 1, sizeof *align);
    if (!cells || !align) {
        free(cells);
        free(align);
        return nomem();
    }
    b = &w->doc->blocks[bi];
    b->cells = cells;
    b->align = align;
    b->ncols = ncols;
    b->nrows = nrows;
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
    for (size_t c = 0; c < ncols; c++)
        align[c] = !al ? -1 : al[c] == 'r' ? 2 : al[c] == 'c' ? 1 : al[c] == 'l' ? 0 : -1;
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        size_t ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < ncols; c = cmark_node_next(c), ci++) {
            cells[ri * ncols + ci] = node_plain(w, c);
            if (!cells[ri * ncols + ci])
                return nomem();
        }
        for (; ci < ncols; ci++) {
            cells[ri * ncols + ci] = srdi_strdup("");
            if (!cells[ri * ncols + ci])
                return nomem();
        }
    }
    if (fig) {
        if (attach_figure(w, b, true))
            return SRDI_ERR_NOMEM;
        w->last_fig_block = (int)bi;
    }
    return SRDI_OK;
}

/* The paragraph is a directive marker "SRDIDIRECTIVE<k>": returns k, else -1. */
static int marker_index(cmark_node *para)
{
    cmark_node *c = cmark_node_first_child(para);
    if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT)
        return -1;
    const char *lit = cmark_node_get_literal(c);
    if (!lit || strncmp(lit, "SRDIDIRECTIVE", 13) != 0)
        return -1;
    char *end = NULL;
    long k = strtol(lit + 13, &end, 10);
    return end && *end == '\0' && k >= 0 ? (int)k : -1;
}

/* Turn a directive into blocks. */
static srdi_status walk_directive(walk *w, int k)
{
    const report_directive *d = &w->refs->d[k];
    const char *file = w->doc->files[w->file];
    if (w->pending_fig >= 0)
        return srdi_error_set(SRDI_ERR_TEMPLATE,
                              "%s:%d: '::: figure %s' must be followed by a pipe table or a list",
                              file, w->refs->d[w->pending_fig].line, w->refs->d[w->pending_fig].figid);
    switch (d->kind) {
    case DIR_PAGEBREAK:
        return doc_add(w->doc, RB_PAGEBREAK, w->file, d->line) ? SRDI_OK : nomem();
    case DIR_FIGURE:
        w->pending_fig = k;
        return SRDI_OK;
    case DIR_SOURCE:
        if (w->last_fig_block < 0)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: '::: source' has no figure before it",
                                  file, d->line);
        free(w->doc->blocks[w->last_fig_block].source);
        w->doc->blocks[w->last_fig_block].source = srdi_strdup(d->source);
        return w->doc->blocks[w->last_fig_block].source ? SRDI_OK : nomem();
    case DIR_CHART:
    case DIR_TABLE: {
        report_block *b = doc_add(w->doc, d->kind == DIR_CHART ? RB_CHART : RB_TABLE, w->file, d->line);
        if (!b)
            return nomem();
        b->fig = d->fig;
        b->fig_first = b->fig_last = true;
        srdi_strlcpy(b->key, d->key, sizeof b->key);
        b->with_table = d->with_table;
        b->top = d->top;
        if (d->ncols) {
            b->colsel = calloc(d->ncols, sizeof *b->colsel);
            if (!b->colsel)
                return nomem();
            for (size_t i = 0; i < d->ncols; i++)
                if (!(b->colsel[b->ncolsel++] = srdi_strdup(d->cols[i])))
                    return nomem();
        }
        /* caption: override, else the chart's title, else the table's title */
        const char *cap = d->caption;
        const srdi_chart_def *cd = d->kind == DIR_CHART ? srdi_chart_find(d->key) : NULL;
        const srdi_table *t = w->ctx && w->ctx->tables ? srdi_tableset_get(w->ctx->tables, d->key) : NULL;
        if (!cap && cd)
            cap = cd->title;
        if (!cap && t)
            cap = t->title;
        b->caption = srdi_strdup(cap ? cap : "");
        if (!b->caption)
            return nomem();
        w->last_fig_block = (int)(w->doc->nblocks - 1);
        return doc_add_fig(w->doc, d->fig, b->caption, w->doc->nblocks - 1);
    }
    }
    return SRDI_OK;
}

/* Heading text starts with its own number ("第一章", "1.1")? */
static bool has_own_number(const char *t, int level)
{
    if (level == 1)
        return strncmp(t, "第", 3) == 0 && strstr(t, "章") && strstr(t, "章") - t <= 12;
    return isdigit((unsigned char)t[0]) && strchr(t, '.') && strchr(t, '.') - t <= 3;
}

static srdi_status walk_block(walk *w, cmark_node *n, int depth)
{
    cmark_node_type ty = cmark_node_get_type(n);
    const char *tys = cmark_node_get_type_string(n);
    int line = src_line(w, cmark_node_get_start_line(n));
    const char *file = w->doc->files[w->file];
    bool fig = w->pending_fig >= 0;

    if (fig && !(ty == CMARK_NODE_LIST || (tys && strcmp(tys, "table") == 0)) &&
        ty != CMARK_NODE_FOOTNOTE_DEFINITION)
        return srdi_error_set(SRDI_ERR_TEMPLATE,
                              "%s:%d: '::: figure %s' must be followed by a pipe table or a list",
                              file, w->refs->d[w->pending_fig].line, w->refs->d[w->pending_fig].figid);

    if (w->role == 0 && w->cover) {
        /* cover: headings and paragraphs become centred lines */
        if (ty == CMARK_NODE_HEADING || ty == CMARK_NODE_PARAGRAPH) {
            report_block *cv = w->cover;
            char *s = node_plain(w, n);
            char **nl = realloc(cv->cover_lines, (cv->ncover + 1) * sizeof *nl);
            int *lv = nl ? realloc(cv->cover_level, (cv->ncover + 1) * sizeof *lv) : NULL;
            if (nl)
                cv->cover_lines = nl;
            if (lv)
                cv->cover_level = lv;
            if (!s || !nl || !lv) {
                free(s);
                return nomem();
            }
            cv->cover_lines[cv->ncover] = s;
            cv->cover_level[cv->ncover] = ty == CMARK_NODE_HEADING ? cmark_node_get_heading_level(n) : 0;
            cv->ncover++;
        }
        return SRDI_OK;
    }

    switch (ty) {
    case CMARK_NODE_HEADING: {
        report_block *b = doc_add(w->doc, RB_HEADING, w->file, line);
        if (!b)
            return nomem();
        b->level = cmark_node_get_heading_level(n);
        if (b->level > 3)
            b->level = 3;
        b->chapter = w->role == 2;
        if (flatten(w, n, 0, &b->text))
            return nomem();
        char num[64] = "";
        char *plain = report_inline_plain(&b->text);
        if (!plain)
            return nomem();
        if (b->chapter && b->level == 1) {
            (*w->chapter)++;
            *w->section = 0;
            if (!has_own_number(plain, 1)) {
                char cn[32];
                report_chinese_number(*w->chapter, cn, sizeof cn);
                snprintf(num, sizeof num, "第%s章", cn);
            }
        } else if (b->chapter && b->level == 2) {
            (*w->section)++;
            if (!has_own_number(plain, 2))
                snprintf(num, sizeof num, "%d.%d", *w->chapter, *w->section);
        }
        free(plain);
        b->number = srdi_strdup(num);
        return b->number ? SRDI_OK : nomem();
    }
    case CMARK_NODE_PARAGRAPH: {
        int k = marker_index(n);
        if (k >= 0 && (size_t)k < w->refs->n)
            return walk_directive(w, k);
        report_block *b = doc_add(w->doc, RB_PARA, w->file, line);
        if (!b)
            return nomem();
        b->level = depth;
        return flatten(w, n, 0, &b->text);
    }
    case CMARK_NODE_LIST: {
        srdi_status s = walk_list(w, n, depth, fig);
        if (fig) {
            if (w->last_fig_block >= 0)
                w->doc->blocks[w->last_fig_block].fig_last = true;
            w->pending_fig = -1;
        }
        return s;
    }
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_ITEM:
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
            srdi_status s = walk_block(w, c, depth);
            if (s)
                return s;
        }
        return SRDI_OK;
    case CMARK_NODE_CODE_BLOCK: {
        report_block *b = doc_add(w->doc, RB_PARA, w->file, line);
        const char *lit = cmark_node_get_literal(n);
        if (!b)
            return nomem();
        return inline_add(&b->text, lit ? lit : "", lit ? strlen(lit) : 0, 0, 0);
    }
    case CMARK_NODE_FOOTNOTE_DEFINITION: {
        if (srdi_grow((void **)&w->doc->notes, &w->doc->capnotes, w->doc->nnotes + 1, sizeof *w->doc->notes))
            return SRDI_ERR_NOMEM;
        report_footnote *fn = &w->doc->notes[w->doc->nnotes++];
        memset(fn, 0, sizeof *fn);
        fn->number = (int)w->doc->nnotes;
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
            if (fn->text.n && inline_add(&fn->text, " ", 1, 0, 0))
                return SRDI_ERR_NOMEM;
            if (flatten(w, c, 0, &fn->text))
                return SRDI_ERR_NOMEM;
        }
        return SRDI_OK;
    }
    default:
        if (tys && strcmp(tys, "table") == 0) {
            srdi_status s = walk_table(w, n, fig);
            if (fig) {
                w->doc->blocks[w->last_fig_block].fig_last = true;
                w->pending_fig = -1;
            }
            return s;
        }
        return SRDI_OK;   /* thematic breaks, raw HTML: nothing to typeset */
    }
}

/* Parse one expanded file with cmark-gfm and append its blocks. */
static srdi_status parse_file(walk *w, const char *text, size_t len)
{
    srdi_status s = SRDI_OK;
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    cmark_node *doc = NULL;
    if (!p)
        return nomem();
    cmark_syntax_extension *ext = cmark_find_syntax_extension("table");
    if (ext)
        cmark_parser_attach_syntax_extension(p, ext);
    cmark_parser_feed(p, text, len);
    doc = cmark_parser_finish(p);
    if (!doc) {
        s = nomem();
        goto cleanup;
    }
    if ((s = report_check_nesting(w->doc->files[w->file], doc)))
        goto cleanup;
    w->fn_base = (int)w->doc->nnotes;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        s = walk_block(w, n, 0);
        if (s)
            goto cleanup;
    }
    if (w->pending_fig >= 0) {
        s = srdi_error_set(SRDI_ERR_TEMPLATE,
                           "%s:%d: '::: figure %s' must be followed by a pipe table or a list",
                           w->doc->files[w->file], w->refs->d[w->pending_fig].line,
                           w->refs->d[w->pending_fig].figid);
    }
cleanup:
    if (doc)
        cmark_node_free(doc);
    cmark_parser_free(p);
    return s;
}

/* ------------------------------------------------------------- entry points */

srdi_status report_doc_parse(const char *const *names, const char *const *texts, size_t n,
                          const report_ctx *ctx, report_doc **out)
{
    srdi_status s = SRDI_OK;
    report_refs refs = { 0 };
    report_file *files = calloc(n + 1, sizeof *files);
    report_doc *d = calloc(1, sizeof *d);
    srdi_buf line = { 0 }, text = { 0 };
    int chapter = 0, section = 0, fig = 0;
    *out = NULL;
    if (!files || !d || !(d->files = calloc(n + 1, sizeof *d->files))) {
        s = nomem();
        goto cleanup;
    }
    d->nfiles = n;
    for (size_t i = 0; i < n; i++) {
        if (!(d->files[i] = srdi_strdup(names[i]))) {
            s = nomem();
            goto cleanup;
        }
        files[i].name = d->files[i];
        files[i].role = file_role(names[i]);
        if ((s = report_check_bytes(names[i], texts[i], strlen(texts[i]))))
            goto cleanup;
        if ((s = split_lines(texts[i], &files[i])))
            goto cleanup;
        /* {{#if}} … {{/if}}: keep the lines of the branches the data decides */
        char **kept = NULL;
        size_t nkept = 0;
        if ((s = report_branch_file(files[i].name, files[i].lines, files[i].nlines, ctx, &d->claims, &kept,
                                 &files[i].orig, &nkept)))
            goto cleanup;
        for (size_t k = 0; k < files[i].nlines; k++)
            free(files[i].lines[k]);
        free(files[i].lines);
        files[i].lines = kept;
        files[i].nlines = nkept;
    }

    /* pass 1: directives and 图表 numbers */
    for (size_t i = 0; i < n; i++) {
        report_file *f = &files[i];
        f->dir_at = malloc((f->nlines + 1) * sizeof *f->dir_at);
        if (!f->dir_at) {
            s = nomem();
            goto cleanup;
        }
        for (size_t k = 0; k < f->nlines; k++) {
            f->dir_at[k] = -1;
            if (!is_directive_line(f->lines, f->nlines, k))
                continue;
            srdi_buf_reset(&line);
            if ((s = report_expand_line(f->lines[k], strlen(f->lines[k]), ctx, &refs, f->name, f->orig[k],
                                     false, &line)))
                goto cleanup;
            if (srdi_grow((void **)&refs.d, &refs.cap, refs.n + 1, sizeof *refs.d)) {
                s = SRDI_ERR_NOMEM;
                goto cleanup;
            }
            report_directive *dv = &refs.d[refs.n++];
            memset(dv, 0, sizeof *dv);
            dv->file = (int)i;
            dv->line = f->orig[k];
            if ((s = parse_directive(line.data ? line.data : "", ctx, f->name, f->orig[k], dv)))
                goto cleanup;
            if (dv->kind == DIR_CHART || dv->kind == DIR_TABLE || dv->kind == DIR_FIGURE) {
                if (dv->kind == DIR_FIGURE)
                    for (size_t j = 0; j + 1 < refs.n; j++)
                        if (refs.d[j].kind == DIR_FIGURE && strcmp(refs.d[j].figid, dv->figid) == 0) {
                            s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: figure id '%s' is used twice",
                                               f->name, f->orig[k], dv->figid);
                            goto cleanup;
                        }
                dv->fig = ++fig;
            }
            f->dir_at[k] = (int)refs.n - 1;
        }
    }

    /* the text each claim printed, with its placeholders expanded (claims.csv) */
    for (size_t i = 0; i < d->claims.n; i++) {
        report_claim *c = &d->claims.c[i];
        if (!c->rendered[0] || !strstr(c->rendered, "{{"))
            continue;
        srdi_buf_reset(&line);
        if (report_expand_line(c->rendered, strlen(c->rendered), ctx, &refs, c->file, c->line, false, &line) == SRDI_OK &&
            line.data) {
            char *x = srdi_strdup(line.data);
            if (x) {
                free(c->rendered);
                c->rendered = x;
            }
        }
        srdi_error_clear();
    }

    /* pass 2: expand, parse, build blocks */
    bool toc_done = false;
    for (size_t i = 0; i < n; i++) {
        report_file *f = &files[i];
        if (!toc_done && f->role >= 2) {
            if (!doc_add(d, RB_TOC, (int)i, 0) || !doc_add(d, RB_LOF, (int)i, 0)) {
                s = nomem();
                goto cleanup;
            }
            toc_done = true;
        }
        srdi_buf_reset(&text);
        for (size_t k = 0; k < f->nlines; k++) {
            if (f->dir_at[k] >= 0) {
                s = srdi_buf_printf(&text, "SRDIDIRECTIVE%d\n", f->dir_at[k]);
            } else {
                size_t at = text.len;
                empty_values = 0;
                s = report_expand_line(f->lines[k], strlen(f->lines[k]), ctx, &refs, f->name, f->orig[k],
                                    true, &text);
                if (!s && empty_values > 0)
                    s = prose_without_data(&text, at, f->name, f->orig[k]);
                if (!s)
                    s = srdi_buf_append(&text, "\n", 1);
            }
            if (s)
                goto cleanup;
        }
        walk w = { .ctx = ctx, .doc = d, .refs = &refs, .file = (int)i, .role = f->role, .chapter = &chapter,
                   .section = &section, .pending_fig = -1, .last_fig_block = -1,
                   .orig = f->orig, .norig = f->nlines };
        if (f->role == 0) {
            w.cover = doc_add(d, RB_COVER, (int)i, 1);
            if (!w.cover) {
                s = nomem();
                goto cleanup;
            }
        }
        if ((s = parse_file(&w, text.data ? text.data : "", text.len)))
            goto cleanup;
    }
    if (!toc_done && (!doc_add(d, RB_TOC, (int)(n ? n - 1 : 0), 0) ||
                      !doc_add(d, RB_LOF, (int)(n ? n - 1 : 0), 0))) {
        s = nomem();
        goto cleanup;
    }
    *out = d;
    d = NULL;
cleanup:
    for (size_t i = 0; files && i < n; i++)
        file_free(&files[i]);
    free(files);
    refs_free(&refs);
    srdi_buf_free(&line);
    srdi_buf_free(&text);
    report_doc_free(d);
    return s;
}

/* qsort comparator for file names (byte order = file-name order). */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

srdi_status report_doc_load(const char *dir, const report_ctx *ctx, report_doc **out)
{
    srdi_status s = SRDI_OK;
    char **names = NULL, **paths = NULL, **texts = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    DIR *dp = opendir(dir);
    if (!dp)
        return srdi_error_set(SRDI_ERR_IO, "%s: cannot open the template directory (%s)", dir,
                              strerror(errno));
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || e->d_name[0] == '.' || strcmp(e->d_name + l - 3, ".md") != 0)
            continue;
        if (srdi_grow((void **)&names, &cap, n + 1, sizeof *names)) {
            s = SRDI_ERR_NOMEM;
            goto cleanup;
        }
        if (!(names[n++] = srdi_strdup(e->d_name))) {
            s = nomem();
            goto cleanup;
        }
    }
    if (n == 0) {
        s = srdi_error_set(SRDI_ERR_TEMPLATE, "%s: no .md template files", dir);
        goto cleanup;
    }
    qsort(names, n, sizeof *names, cmp_names);
    paths = calloc(n, sizeof *paths);
    texts = calloc(n, sizeof *texts);
    if (!paths || !texts) {
        s = nomem();
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        srdi_buf p = { 0 };
        srdi_buf_printf(&p, "%s/%s", dir, names[i]);
        paths[i] = srdi_buf_steal(&p);
        FILE *fp = fopen(paths[i], "rb");
        if (!fp) {
            s = srdi_error_set(SRDI_ERR_IO, "%s: cannot open (%s)", paths[i], strerror(errno));
            goto cleanup;
        }
        srdi_buf t = { 0 };
        char chunk[8192];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
            if (srdi_buf_append(&t, chunk, got)) {
                fclose(fp);
                srdi_buf_free(&t);
                s = SRDI_ERR_NOMEM;
                goto cleanup;
            }
        fclose(fp);
        if ((s = report_check_bytes(paths[i], t.data ? t.data : "", t.len))) {
            srdi_buf_free(&t);
            goto cleanup;
        }
        texts[i] = srdi_buf_steal(&t);
        /* a UTF-8 byte-order mark is not text */
        if (strncmp(texts[i], "\xEF\xBB\xBF", 3) == 0)
            memmove(texts[i], texts[i] + 3, strlen(texts[i] + 3) + 1);
    }
    dash_warnings = 0;
    s = report_doc_parse((const char *const *)paths, (const char *const *)texts, n, ctx, out);
    if (dash_warnings > 5)
        srdi_log_warn("%d more placeholders printed — (this data has fewer rows than the text ranks)",
                dash_warnings - 5);
cleanup:
    closedir(dp);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        if (paths)
            free(paths[i]);
        if (texts)
            free(texts[i]);
    }
    free(names);
    free(paths);
    free(texts);
    return s;
}
