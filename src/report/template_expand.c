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

/* What resolving one placeholder gave. */
typedef enum ph_result {
    PH_BAD = 0, /* not a valid placeholder: the reason is in why */
    PH_VALUE,   /* a value, in val */
    PH_ABSENT,  /* null: this data has no value for it; val holds what is printed ("—"), why may say why */
    PH_NOMEM,   /* an allocation failed (message set) */
} ph_result;

/* A null value: print "—". */
static ph_result absent(char *val, size_t vsize)
{
    srdi_strlcpy(val, "—", vsize);
    return PH_ABSENT;
}

/* Cell @p c of column @p col in its column's format; a missing number is null. */
static ph_result put_cell(const srdi_tcol *col, const srdi_cell *c, char *val, size_t vsize)
{
    if (c->kind == SRDI_CELL_ABSENT || c->kind == SRDI_CELL_NULL || (c->kind == SRDI_CELL_NUM && !isfinite(c->num)))
        return absent(val, vsize);
    srdi_cell_format(col, c, val, vsize);
    return PH_VALUE;
}

/* {{scope.name}}, {{scope.rank}}, {{scope.share|raw}} …: the edition's scope (scope.c). */
static ph_result resolve_scope(const char *name, const char *mod, const report_ctx *ctx, char *val, size_t vsize,
                               char *why, size_t wsize)
{
    report_scope_val sv;
    if (!report_scope_value(ctx, name, &sv, why, wsize)) return PH_BAD;
    if (mod[0] && strcmp(mod, "raw") != 0) {
        snprintf(why, wsize, "unknown modifier '%.200s' (scope values take |raw only)", mod);
        return PH_BAD;
    }
    if (sv.is_text) {
        srdi_strlcpy(val, sv.text, vsize);
    } else if (sv.cell.kind != SRDI_CELL_NUM) {
        snprintf(why, wsize, "this edition's scope has no %.100s", name);
        return absent(val, vsize);
    } else if (mod[0]) {
        format_raw(sv.col, sv.cell.num, val, vsize);
    } else {
        return put_cell(sv.col, &sv.cell, val, vsize);
    }
    return PH_VALUE;
}

/*
 * Cell @p cell of column @p col (row key @p row, column key @p colk, for
 * messages) as the placeholder prints it with modifier @p mod: none (the
 * column's format; a missing value is null), raw, abs or comparative words
 * 高于/低于[/持平].  PH_BAD with @p why for a bad modifier.
 */
static ph_result format_cell(const srdi_tcol *col, srdi_cell cell, const char *mod, const char *row, const char *colk,
                             char *val, size_t vsize, char *why, size_t wsize)
{
    if (mod[0] == '\0') return put_cell(col, &cell, val, vsize);
    if (cell.kind != SRDI_CELL_NUM) {
        if (cell.kind == SRDI_CELL_TEXT && (strcmp(mod, "raw") == 0 || strcmp(mod, "abs") == 0)) {
            srdi_strlcpy(val, cell.text ? cell.text : "", vsize);
            return PH_VALUE;
        }
        if (cell.kind == SRDI_CELL_TEXT) {
            snprintf(why, wsize, "modifier '%.200s' needs a number, %.100s.%.100s is text", mod, row, colk);
            return PH_BAD;
        }
        if (strcmp(mod, "raw") && strcmp(mod, "abs") && !strchr(mod, '/')) {
            snprintf(why, wsize, "unknown modifier '%.200s'", mod);
            return PH_BAD;
        }
        return absent(val, vsize);
    }
    if (strcmp(mod, "raw") == 0) {
        srdi_tcol ec = srdi_cell_effective_col(col, &cell);
        format_raw(&ec, cell.num, val, vsize);
        return PH_VALUE;
    }
    if (strcmp(mod, "abs") == 0) {
        cell.num = fabs(cell.num);
        return put_cell(col, &cell, val, vsize);
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
            return PH_BAD;
        }
        const char *pick = cell.num > 0 ? w[0] : cell.num < 0 ? w[1] : (nw == 3 ? w[2] : w[0]);
        srdi_strlcpy(val, pick, vsize);
        return PH_VALUE;
    }
    snprintf(why, wsize, "unknown modifier '%.200s'", mod);
    return PH_BAD;
}

/* {{param:section.key}}: a value of params.ini (a number of 1,000 or more with thousands separators). */
static ph_result resolve_param(const char *sk, const report_ctx *ctx, char *val, size_t vsize, char *why, size_t wsize)
{
    const char *dot = strchr(sk, '.');
    char sec[128];
    if (!dot || (size_t)(dot - sk) >= sizeof sec) {
        snprintf(why, wsize, "parameters are written {{param:section.key}}");
        return PH_BAD;
    }
    memcpy(sec, sk, (size_t)(dot - sk));
    sec[dot - sk] = '\0';
    const char *v = ctx->params ? srdi_params_str(ctx->params, sec, dot + 1, NULL) : NULL;
    if (!v) {
        snprintf(why, wsize, "no parameter '%.200s' in params.ini", sk);
        return PH_BAD;
    }
    /* a number of 1,000 or more takes thousands separators like every number */
    char *end = NULL;
    double x = strtod(v, &end);
    const char *dp = strchr(v, '.');
    if (end && end != v && *end == '\0' && isfinite(x) && fabs(x) >= 1000 && !strchr(v, 'e') && !strchr(v, 'E'))
        srdi_number_format(x, SRDI_COL_NUMBER, dp ? (int)strlen(dp + 1) : 0, val, vsize);
    else
        srdi_strlcpy(val, v, vsize);
    return PH_VALUE;
}

/* {{ref:ID}}: the 图表 number of a chart, table or figure directive. */
static ph_result resolve_ref(const char *id, const report_refs *refs, char *val, size_t vsize, char *why, size_t wsize)
{
    int n = refs_lookup(refs, id);
    if (n <= 0) {
        snprintf(why, wsize, "no chart, table or figure directive for '%.200s'", id);
        return PH_BAD;
    }
    snprintf(val, vsize, "%d", n);
    return PH_VALUE;
}

/* {{n:Tnn}}: the number of enterprises a table counts. */
static ph_result resolve_n(const char *tid, const report_ctx *ctx, char *val, size_t vsize, char *why, size_t wsize)
{
    const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, tid) : NULL;
    if (!t) {
        snprintf(why, wsize, "no table '%.200s'", tid);
        return PH_BAD;
    }
    srdi_tcol c = {.key = "n", .label = "n", .type = SRDI_COL_COUNT, .unit = "", .decimals = 0};
    srdi_cell cell = {.kind = SRDI_CELL_NUM, .num = (double)t->n};
    srdi_cell_format(&c, &cell, val, vsize);
    return PH_VALUE;
}

/* The facts of one {{Tnn.row.col}} while its row is looked up. */
typedef struct cell_ref {
    const srdi_table *t;
    char tid[16], row[256], colk[128];
    bool is_col; /* colk names a column (or key / label) */
} cell_ref;

/* The edition's own row (@scope, @province) in place of ref->row; PH_VALUE when it is in the table. */
static ph_result scope_row(cell_ref *ref, const report_ctx *ctx, char *val, size_t vsize, char *why, size_t wsize)
{
    bool bad;
    char kb[192];
    const char *k = report_scope_row(ctx, ref->row, &bad, kb, sizeof kb);
    if (bad) {
        snprintf(why, wsize, "bad row selector '%.200s' (write @scope or @province)", ref->row);
        return PH_BAD;
    }
    if (!ref->is_col) {
        snprintf(why, wsize, "no column '%.200s' in %s", ref->colk, ref->tid);
        return PH_BAD;
    }
    if (!k || srdi_table_row(ref->t, k) < 0) {
        snprintf(why, wsize, "%s has no row for %s in this edition", ref->tid, ref->row);
        return absent(val, vsize);
    }
    srdi_strlcpy(ref->row, k, sizeof ref->row);
    return PH_VALUE;
}

/* Row #k (a ranking position) of the table into *r; null when this data has fewer rows. */
static ph_result ranked_row(const cell_ref *ref, int *r, char *val, size_t vsize, char *why, size_t wsize)
{
    const srdi_table *t = ref->t;
    char *end = NULL;
    long k = strtol(ref->row + 1, &end, 10);
    if (!end || *end || k < 1) {
        snprintf(why, wsize, "bad row selector '%.200s' (write #1, #2 …)", ref->row);
        return PH_BAD;
    }
    if ((size_t)k > t->nrows) {
        /* a ranking position this data does not reach: the template is
           right, the data is small (or scoped, or the input file is missing) */
        if (!ref->is_col) {
            snprintf(why, wsize, "no column '%.200s' in %s", ref->colk, ref->tid);
            return PH_BAD;
        }
        if (t->no_data)
            snprintf(why, wsize, "%s has no data (its input file is missing)", ref->tid);
        else
            snprintf(why, wsize, "%s has %zu rows for this data", ref->tid, t->nrows);
        return absent(val, vsize);
    }
    *r = (int)k - 1;
    return PH_VALUE;
}

/*
 * The row of @p ref into *r: the edition's own (@…), a selector (max(col),
 * min(col), #-k), a ranking position (#k) or a row key.  PH_ABSENT when
 * this data lacks the row, PH_BAD when the template is wrong.
 */
static ph_result find_row(cell_ref *ref, const report_ctx *ctx, int *r, char *val, size_t vsize, char *why,
                          size_t wsize)
{
    const srdi_table *t = ref->t;
    if (ref->row[0] == '@') {
        ph_result res = scope_row(ref, ctx, val, vsize, why, wsize);
        if (res != PH_VALUE) return res;
    }
    int sel = report_row_selector(t, ref->row, why, wsize); /* max(col), min(col), #-k */
    if (sel == -3) return PH_BAD;
    if (sel == -1 && ref->is_col) {
        snprintf(why, wsize, "%s has no row for '%.100s' in this data", ref->tid, ref->row);
        return absent(val, vsize);
    }
    if (sel >= 0) {
        *r = sel;
        return PH_VALUE;
    }
    if (ref->row[0] == '#') return ranked_row(ref, r, val, vsize, why, wsize);
    *r = srdi_table_row(t, ref->row);
    if (*r < 0 && t->no_data && ref->is_col) {
        snprintf(why, wsize, "%s has no data (its input file is missing)", ref->tid);
        return absent(val, vsize);
    }
    if (*r < 0) {
        snprintf(why, wsize, "no row '%.200s' in %s", ref->row, ref->tid);
        return PH_BAD;
    }
    return PH_VALUE;
}

/* {{Tnn.row.col|mod}}: a cell of a table (the row key may contain dots, the column key may not). */
static ph_result resolve_cell(const char *expr, const char *mod, const report_ctx *ctx, char *val, size_t vsize,
                              char *why, size_t wsize)
{
    cell_ref ref;
    int split = report_ref_split(expr, ref.tid, ref.row, ref.colk);
    if (split == -1) {
        snprintf(why, wsize, "expected {{table.row.column}}, {{param:…}}, {{ref:…}} or {{n:…}}");
        return PH_BAD;
    }
    if (split == -2) {
        snprintf(why, wsize, "too long");
        return PH_BAD;
    }
    ref.t = ctx->tables ? srdi_tableset_get(ctx->tables, ref.tid) : NULL;
    if (!ref.t) {
        snprintf(why, wsize, "no table '%.200s'", ref.tid);
        return PH_BAD;
    }
    const srdi_table *t = ref.t;
    const char *colk = ref.colk;
    ref.is_col = srdi_table_col(t, colk) >= 0 || strcmp(colk, "key") == 0 || strcmp(colk, "label") == 0;
    int r = -1;
    ph_result res = find_row(&ref, ctx, &r, val, vsize, why, wsize);
    if (res != PH_VALUE) return res;
    if (strcmp(colk, "key") == 0 || strcmp(colk, "label") == 0) {
        srdi_strlcpy(val, colk[0] == 'k' ? t->rows[r].key : t->rows[r].label, vsize);
        return PH_VALUE;
    }
    int c = srdi_table_col(t, colk);
    if (c < 0) {
        snprintf(why, wsize, "no column '%.200s' in %s", colk, ref.tid);
        return PH_BAD;
    }
    return format_cell(&t->cols[c], t->rows[r].cells[c], mod, ref.row, colk, val, vsize, why, wsize);
}

/*
 * Resolve one placeholder body (without braces) into @p val: PH_VALUE,
 * PH_ABSENT (this data has no value: "—" printed, @p why may say why) or
 * PH_BAD with the reason in @p why.
 */
static ph_result resolve(const char *body, const report_ctx *ctx, const report_refs *refs, char *val, size_t vsize,
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
    if (computed == -2) return PH_NOMEM;
    if (computed >= 0) return computed == 0 ? PH_BAD : computed == 2 ? PH_ABSENT : PH_VALUE;
    const char *bar = strchr(body, '|');
    size_t elen = bar ? (size_t)(bar - body) : strlen(body);
    if (elen >= sizeof expr) {
        snprintf(why, wsize, "too long");
        return PH_BAD;
    }
    memcpy(expr, body, elen);
    expr[elen] = '\0';
    if (bar) srdi_strlcpy(mod, bar + 1, sizeof mod);
    if (strncmp(expr, "scope.", 6) == 0) return resolve_scope(expr, mod, ctx, val, vsize, why, wsize);
    if (strncmp(expr, "param:", 6) == 0) return resolve_param(expr + 6, ctx, val, vsize, why, wsize);
    if (strncmp(expr, "ref:", 4) == 0) return resolve_ref(expr + 4, refs, val, vsize, why, wsize);
    if (strncmp(expr, "n:", 2) == 0) return resolve_n(expr + 2, ctx, val, vsize, why, wsize);
    return resolve_cell(expr, mod, ctx, val, vsize, why, wsize);
}

/* A prose line (paragraph or list item) of @p text from @p at on printed an empty
   value ("—"): the data of this edition cannot support it, so the sentence is
   replaced by one saying so (a list item keeps its marker).  Table rows,
   headings and other lines are left as they are.  A warning names the edition
   (a regional one), the line and the first empty placeholder. */
static srdi_status prose_without_data(srdi_buf *text, size_t at, const char *file, int lineno,
                                      const char *first_empty, const char *edition)
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
    srdi_log_warn("%s%s%s:%d: a value of this paragraph ({{%s}}) is empty for this data; printed a no-data sentence",
                  edition ? edition : "", edition ? ": " : "", file, lineno, first_empty);
    /* the exhibits the paragraph cited stay cited ("见图表9"): each exhibit
       is referred to in the text, also in an edition without its data */
    char refs[96] = "";
    size_t rl = 0;
    const char *fig = "图表";
    for (size_t j = keep; j + strlen(fig) < n; j++) {
        if (memcmp(p + j, fig, strlen(fig)) != 0) continue;
        size_t d = j + strlen(fig), e = d;
        while (e < n && e - d < 4 && p[e] >= '0' && p[e] <= '9') e++;
        if (e == d) continue;
        char num[8];
        snprintf(num, sizeof num, "%.*s", (int)(e - d), p + d);
        char one[24];
        snprintf(one, sizeof one, "图表%s", num);
        bool seen = false;
        for (const char *q = strstr(refs, one); q && !seen; q = strstr(q + 1, one))
            seen = q[strlen(one)] < '0' || q[strlen(one)] > '9';
        if (seen || rl + strlen(one) + strlen("、") >= sizeof refs) continue;
        rl += (size_t)snprintf(refs + rl, sizeof refs - rl, "%s%s", rl ? "、" : "", one);
    }
    text->len = at + keep;
    srdi_status s = srdi_buf_puts(text, "本段所需的部分数据在本版中缺失（有的组别没有企业或没有数据），相关分析从略");
    if (!s && rl) s = srdi_buf_printf(text, "（见%s）", refs);
    return s ? s : srdi_buf_puts(text, "。");
}

/* Placeholders printed as "—" because the data lacks the row (first 5 are named). */
static _Thread_local int dash_warnings;
/* Placeholders of the line being expanded whose value is empty ("—"): a prose
   line with one is replaced by a sentence saying the data is missing. */
static _Thread_local int empty_values;
/* The first of them (its placeholder body, cut at 80 bytes), named in the warning. */
static _Thread_local char first_empty[96];

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
        ph_result res = resolve(b, ctx, refs, val, sizeof val, why, sizeof why);
        if ((res == PH_VALUE || res == PH_ABSENT) && why[0] &&
            dash_warnings++ < 5) /* null, or an empty list: this data lacks the rows */
            srdi_log_warn("%s:%d: {{%s}}: %s; printed %s", file, lineno, b, why, val);
        if (res == PH_NOMEM) {
            free(b);
            return SRDI_ERR_NOMEM;
        }
        if (res == PH_BAD) {
            srdi_status s =
                srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown placeholder {{%s}}: %s", file, lineno, b, why);
            free(b);
            return s;
        }
        if (res == PH_ABSENT && empty_values++ == 0)
            snprintf(first_empty, sizeof first_empty, "%.80s", b);
        free(b);
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
    first_empty[0] = '\0';
    srdi_status s = report_expand_line(line, strlen(line), ctx, refs, file, lineno, true, out);
    if (!s && empty_values > 0) s = prose_without_data(out, at, file, lineno, first_empty, ctx->scope_name);
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
