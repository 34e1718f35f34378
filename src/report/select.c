/*
 * src/report/select.c — series, selections, trend words, complete years and
 * the computed placeholders ({{list:…}}, {{count:…}}, {{trend:…}},
 * {{value:…}}, {{complete:…}}, {{nodata:…}}) of the template language.
 * Syntax: docs/templates.md ("Conditions and computed words").
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "report_private.h"

/* ---------------------------------------------------------------- series */

void cseries_free(cseries *s)
{
    free(s->x);
    free(s->key);
    memset(s, 0, sizeof *s);
    s->minn = -1;
}

static bool series_add(cseries *s, double x, const char *key, const srdi_tcol *col)
{
    if (s->n == s->cap) { /* two arrays of one capacity: each grows the same way */
        size_t cx = s->cap, ck = s->cap;
        if (srdi_grow((void **)&s->x, &cx, s->n + 1, sizeof *s->x) != SRDI_OK ||
            srdi_grow((void **)&s->key, &ck, s->n + 1, sizeof *s->key) != SRDI_OK)
            return false;
        s->cap = cx;
    }
    if (s->n == 0) s->col = col;
    s->x[s->n] = x;
    s->key[s->n] = key;
    s->n++;
    return true;
}

/* Position range "#a..#b" → [a-1, b) clipped to the table; false if not a range. */
static bool row_range(const char *row, const srdi_table *t, size_t *lo, size_t *hi)
{
    if (strcmp(row, "*") == 0) {
        *lo = 0;
        *hi = t->nrows;
        return true;
    }
    if (row[0] != '#' || !strstr(row, "..")) return false;
    long a = strtol(row + 1, NULL, 10);
    const char *q = strstr(row, "..") + 2;
    long b = *q == '#' ? strtol(q + 1, NULL, 10) : strtol(q, NULL, 10);
    if (a < 1) a = 1;
    *lo = (size_t)a - 1;
    *hi = b < 0 ? 0 : (size_t)b;
    if (*hi > t->nrows) *hi = t->nrows;
    if (*lo > *hi) *lo = *hi;
    return true;
}

bool cseries_parse(const char **p, cenv *e, cseries *out)
{
    const char *s = *p;
    if (report_is_table_ref(s)) {
        size_t l = report_ref_len(s);
        char ref[512];
        if (!report_copy_token(ref, sizeof ref, s, l)) {
            snprintf(e->why, e->wsize, "reference too long");
            return false;
        }
        char *d1 = strchr(ref, '.'), *d2 = strrchr(ref, '.');
        char rowpart[256] = "*";
        const char *colk = d2 + 1;
        bool series = d1 == d2;
        if (!series) {
            size_t rl = (size_t)(d2 - d1 - 1);
            if (rl >= sizeof rowpart) rl = sizeof rowpart - 1;
            memcpy(rowpart, d1 + 1, rl);
            rowpart[rl] = '\0';
            series = strcmp(rowpart, "*") == 0 || (rowpart[0] == '#' && strstr(rowpart, ".."));
            /* "#1..#10" contains dots: the column is after the last dot, the row between */
        }
        if (series) {
            *d1 = '\0';
            const srdi_table *t = report_cond_table(e, ref);
            if (!t) {
                snprintf(e->why, e->wsize, "no table '%.50s'", ref);
                return false;
            }
            int c = srdi_table_col(t, colk);
            if (c < 0) {
                snprintf(e->why, e->wsize, "no column '%.100s' in %s", colk, t->id);
                return false;
            }
            size_t lo = 0, hi = 0;
            row_range(rowpart, t, &lo, &hi);
            if (!out->t) out->t = t;
            srdi_buf rec = {0};
            bool rec_ok = srdi_buf_printf(&rec, "%s.%s.%s=[", t->id, rowpart, colk) == SRDI_OK;
            int cy = report_complete_year(t, e->ctx); /* immature patent years make no claim */
            for (size_t r = lo; r < hi; r++) {
                const srdi_cell *x = &t->rows[r].cells[c];
                if (strcmp(t->rows[r].key, "total") == 0 || x->kind != SRDI_CELL_NUM) continue;
                if (cy > 0 && atoi(t->rows[r].key) > cy) continue;
                if (!series_add(out, x->num, t->rows[r].key, &t->cols[c])) {
                    srdi_buf_free(&rec);
                    return report_cond_nomem(e);
                }
                long long n = report_row_n(t, (int)r);
                if (n >= 0 && (out->minn < 0 || n < out->minn)) out->minn = n;
                if (srdi_buf_printf(&rec, "%s%s:%.6g", out->n > 1 ? "," : "", t->rows[r].key, x->num)) rec_ok = false;
            }
            if (srdi_buf_puts(&rec, "]; ") || !rec_ok || (e->values && srdi_buf_puts(e->values, rec.data))) {
                srdi_buf_free(&rec);
                return report_cond_nomem(e);
            }
            srdi_buf_free(&rec);
            *p = s + l;
            return true;
        }
    }
    cv v;
    if (!report_sum_eval(p, e, &v)) return false;
    if (v.k == CV_NUM && !series_add(out, v.x, NULL, v.col)) return report_cond_nomem(e);
    return true;
}

/* ------------------------------------------------------------ selections */

void csel_free(csel *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}

static const char *sel_kw[] = {"rows", "where", "top", "bottom", "by", "show", "name", NULL};

/* Index of the keyword at p (at a word start), or -1. */
static int sel_keyword(const char *p)
{
    for (int i = 0; sel_kw[i]; i++) {
        size_t l = strlen(sel_kw[i]);
        if (strncmp(p, sel_kw[i], l) == 0 && (p[l] == ' ' || p[l] == '\t' || p[l] == '\0')) return i;
    }
    return -1;
}

static _Thread_local const srdi_table *sel_sort_t;
static _Thread_local int sel_sort_c, sel_sort_dir;

static int cmp_rows(const void *a, const void *b)
{
    int ra = *(const int *)a, rb = *(const int *)b;
    double x = sel_sort_t->rows[ra].cells[sel_sort_c].num, y = sel_sort_t->rows[rb].cells[sel_sort_c].num;
    if (x != y) return (x < y ? -1 : 1) * sel_sort_dir;
    return ra - rb; /* ties keep table order */
}

/* The clauses of a selection, as parsed. */
typedef struct sel_clauses {
    size_t lo, hi;   /* rows #a..#b: [lo, hi) in table order */
    char where[512]; /* the where condition ("" none) */
    int by;          /* the sort column (-1 none) */
    int k, dir;      /* top / bottom: the count (-1 all) and the direction (-1 descending) */
} sel_clauses;

/* The table id that starts a selection at *p (advanced past it) into out->t. */
static bool sel_table(char **p, cenv *e, csel *out)
{
    while (**p == ' ') (*p)++;
    size_t tl = strcspn(*p, " \t");
    char tid[16];
    if (tl == 0 || tl >= sizeof tid) {
        snprintf(e->why, e->wsize, "a selection starts with a table id (T13 …)");
        return false;
    }
    memcpy(tid, *p, tl);
    tid[tl] = '\0';
    out->t = report_cond_table(e, tid);
    if (!out->t) {
        snprintf(e->why, e->wsize, "no table '%.50s'", tid);
        return false;
    }
    *p += tl;
    return true;
}

/*
 * The argument of keyword @p kwi at *p into @p arg (trailing blanks
 * dropped), *p advanced past it: a where condition runs to the next other
 * keyword, any other argument to the next blank.
 */
static void sel_argument(char **p, int kwi, char *arg, size_t size)
{
    char *end = *p;
    if (kwi == 1) {
        bool q = false;
        for (; *end; end++) {
            if (*end == '"') q = !q;
            if (!q && (end[-1] == ' ') && sel_keyword(end) >= 0 && sel_keyword(end) != 1) break;
        }
    } else {
        end = *p + strcspn(*p, " \t");
    }
    char save = *end;
    *end = '\0';
    srdi_strlcpy(arg, *p, size);
    for (size_t l = strlen(arg); l && arg[l - 1] == ' ';) arg[--l] = '\0';
    *end = save;
    *p = end;
}

/* Apply clause @p kwi with argument @p arg to @p cl / @p out; false with e->why. */
static bool sel_clause(int kwi, const char *arg, cenv *e, sel_clauses *cl, csel *out)
{
    const srdi_table *t = out->t;
    switch (kwi) {
    case 0: /* rows #a..#b */
        if (!row_range(arg, t, &cl->lo, &cl->hi)) {
            snprintf(e->why, e->wsize, "rows are written rows #a..#b, not '%.50s'", arg);
            return false;
        }
        return true;
    case 1: /* where COND */
        srdi_strlcpy(cl->where, arg, sizeof cl->where);
        return true;
    case 2: /* top K */
    case 3: /* bottom K */
        cl->k = atoi(arg);
        cl->dir = kwi == 2 ? -1 : 1;
        if (cl->k < 1) {
            snprintf(e->why, e->wsize, "'%s' needs a count ≥ 1", sel_kw[kwi]);
            return false;
        }
        return true;
    case 4: /* by COLUMN */
    case 5: /* show COLUMN | none */
        if (strcmp(arg, "none") == 0 && kwi == 5) {
            out->show = -2;
            return true;
        }
        if (srdi_table_col(t, arg) < 0) {
            snprintf(e->why, e->wsize, "no column '%.100s' in %s", arg, t->id);
            return false;
        }
        if (kwi == 4)
            cl->by = srdi_table_col(t, arg);
        else
            out->show = srdi_table_col(t, arg);
        return true;
    default: /* name key | label */
        out->by_key = strcmp(arg, "key") == 0;
        return true;
    }
}

/* The clauses after the table id at @p p into @p cl / @p out; false with e->why. */
static bool sel_clauses_parse(char *p, cenv *e, sel_clauses *cl, csel *out)
{
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        int kwi = sel_keyword(p);
        if (kwi < 0) {
            snprintf(e->why, e->wsize, "unexpected '%.40s' in a selection (rows, where, top, bottom, by, show, name)",
                     p);
            return false;
        }
        p += strlen(sel_kw[kwi]);
        while (*p == ' ') p++;
        char arg[512];
        sel_argument(&p, kwi, arg, sizeof arg);
        if (!arg[0]) {
            snprintf(e->why, e->wsize, "'%s' in a selection needs a value", sel_kw[kwi]);
            return false;
        }
        if (!sel_clause(kwi, arg, e, cl, out)) return false;
    }
    if (cl->k > 0 && cl->by < 0) {
        snprintf(e->why, e->wsize, "top/bottom need 'by column'");
        return false;
    }
    return true;
}

/*
 * The rows a where keeps (with its rows range and sort column), kept through
 * one parse of the templates (report_sel_memo_begin / _end): the national
 * templates ask 189 selections of 87 texts, and each evaluated its condition
 * again row by row (7-8 ms of a national load of 12-14).  A row's answer is
 * a function of the context (tables, parameters, scope, benchmarks: kept by
 * value, as a benchmark's context is a copy on the stack), the table and the
 * row — the key; a condition is evaluated with no claim recorded (values
 * NULL), so an answer taken from here leaves nothing out.  Only answers
 * computed without an error (or a shortage of memory) are kept.
 */
typedef struct sel_memo_entry {
    report_ctx ctx;
    const srdi_table *t;
    size_t lo, hi;
    int by;
    char *where;
    int *rows;
    size_t n;
} sel_memo_entry;

static _Thread_local struct {
    sel_memo_entry *v;
    size_t n, cap;
    int depth; /* nested begins */
} sel_memo;

void report_sel_memo_begin(void)
{
    sel_memo.depth++;
}

void report_sel_memo_end(void)
{
    if (sel_memo.depth > 0 && --sel_memo.depth > 0) return;
    for (size_t i = 0; i < sel_memo.n; i++) {
        free(sel_memo.v[i].where);
        free(sel_memo.v[i].rows);
    }
    free(sel_memo.v);
    memset(&sel_memo, 0, sizeof sel_memo);
}

static const sel_memo_entry *sel_memo_find(const cenv *e, const srdi_table *t, const sel_clauses *cl)
{
    for (size_t i = 0; i < sel_memo.n; i++) {
        const sel_memo_entry *m = &sel_memo.v[i];
        const report_ctx *c = e->ctx;
        if (m->t == t && m->lo == cl->lo && m->hi == cl->hi && m->by == cl->by && m->ctx.tables == c->tables &&
            m->ctx.params == c->params && m->ctx.scope_kind == c->scope_kind && m->ctx.scope_name == c->scope_name &&
            m->ctx.national == c->national && m->ctx.province == c->province && strcmp(m->where, cl->where) == 0)
            return m;
    }
    return NULL;
}

/* Keep @p rows (@p n) as the answer to @p cl on @p t (nothing when memory runs out: it is asked again). */
static void sel_memo_put(const cenv *e, const srdi_table *t, const sel_clauses *cl, const int *rows, size_t n)
{
    if (srdi_grow((void **)&sel_memo.v, &sel_memo.cap, sel_memo.n + 1, sizeof *sel_memo.v) != SRDI_OK) {
        srdi_error_clear();
        return;
    }
    char *w = srdi_strdup(cl->where);
    int *r = malloc((n ? n : 1) * sizeof *r);
    if (!w || !r) {
        free(w);
        free(r);
        return;
    }
    if (n) memcpy(r, rows, n * sizeof *r);
    sel_memo.v[sel_memo.n++] = (sel_memo_entry){*e->ctx, t, cl->lo, cl->hi, cl->by, w, r, n};
}

/* The rows of cl->lo..hi (not "total") that have a number to sort by and meet the where condition. */
static bool sel_rows(const sel_clauses *cl, cenv *e, csel *out)
{
    const srdi_table *t = out->t;
    out->rows = malloc((t->nrows + 1) * sizeof *out->rows);
    if (!out->rows) return report_cond_nomem(e);
    bool memo = sel_memo.depth > 0 && out->n == 0 && cl->where[0];
    const sel_memo_entry *m = memo ? sel_memo_find(e, t, cl) : NULL;
    if (m) {
        if (m->n) memcpy(out->rows, m->rows, m->n * sizeof *m->rows);
        out->n = m->n;
        return true;
    }
    for (size_t r = cl->lo; r < cl->hi; r++) {
        if (strcmp(t->rows[r].key, "total") == 0) continue;
        if (cl->by >= 0 && t->rows[r].cells[cl->by].kind != SRDI_CELL_NUM) continue;
        if (cl->where[0]) {
            cenv re = *e;
            re.row_t = t;
            re.row = (int)r;
            re.values = NULL;
            cv v;
            bool ok = report_expr_eval(cl->where, &re, &v);
            if (re.nomem) e->nomem = true;
            if (!ok) return false;
            if (!((v.k == CV_BOOL || v.k == CV_NUM) && v.x != 0)) continue;
        }
        out->rows[out->n++] = (int)r;
    }
    if (memo && !e->nomem) sel_memo_put(e, t, cl, out->rows, out->n);
    return true;
}

/*
 * out->tied: the rows the selection leaves out whose number in the tie
 * column (by, else the shown column; none: no tie) equals the last selected
 * row's — after the top K of the sorted rows (out->n not yet cut), else after
 * a rows #a..#b range, the rows below it that meet the where condition.
 */
static bool sel_ties(const sel_clauses *cl, cenv *e, csel *out)
{
    int c = cl->by >= 0 ? cl->by : out->show;
    size_t k = cl->k > 0 && (size_t)cl->k < out->n ? (size_t)cl->k : out->n;
    out->tied = 0;
    if (c < 0 || k == 0) return true;
    const srdi_table *t = out->t;
    const srdi_cell *last = &t->rows[out->rows[k - 1]].cells[c];
    if (last->kind != SRDI_CELL_NUM) return true;
    if (k < out->n) { /* sorted: the equal rows follow the K-th */
        for (size_t i = k; i < out->n && t->rows[out->rows[i]].cells[c].num == last->num; i++) out->tied++;
        return true;
    }
    if (cl->hi >= t->nrows) return true;
    sel_clauses below = *cl;
    below.lo = cl->hi;
    below.hi = t->nrows;
    csel rest = {.t = t};
    if (!sel_rows(&below, e, &rest)) {
        csel_free(&rest);
        return false;
    }
    for (size_t i = 0; i < rest.n; i++) {
        const srdi_cell *x = &t->rows[rest.rows[i]].cells[c];
        if (x->kind == SRDI_CELL_NUM && x->num == last->num) out->tied++;
    }
    csel_free(&rest);
    return true;
}

bool csel_parse(const char *text, size_t len, cenv *e, bool ties, csel *out)
{
    memset(out, 0, sizeof *out);
    out->show = -1;
    char buf[1024];
    if (!report_copy_token(buf, sizeof buf, text, len)) {
        snprintf(e->why, e->wsize, "selection too long");
        return false;
    }
    char *p = buf;
    if (!sel_table(&p, e, out)) return false;
    sel_clauses cl = {.lo = 0, .hi = out->t->nrows, .by = -1, .k = -1, .dir = -1};
    if (!sel_clauses_parse(p, e, &cl, out)) return false;
    if (!sel_rows(&cl, e, out)) {
        csel_free(out);
        return false;
    }
    if (cl.by >= 0) {
        sel_sort_t = out->t;
        sel_sort_c = cl.by;
        sel_sort_dir = cl.dir;
        qsort(out->rows, out->n, sizeof *out->rows, cmp_rows);
        if (out->show == -1) out->show = cl.by;
    }
    if (out->show == -2) out->show = -1;
    if (ties && !sel_ties(&cl, e, out)) {
        csel_free(out);
        return false;
    }
    if (cl.k > 0 && (size_t)cl.k < out->n) out->n = (size_t)cl.k;
    return true;
}

bool csel_render(const csel *s, srdi_buf *out)
{
    for (size_t i = 0; i < s->n; i++) {
        const srdi_trow *r = &s->t->rows[s->rows[i]];
        if ((i && srdi_buf_puts(out, "、")) || srdi_buf_puts(out, s->by_key ? r->key : r->label)) return false;
        if (s->show >= 0) {
            const srdi_cell *c = &r->cells[s->show];
            char v[128];
            if (c->kind == SRDI_CELL_NUM || c->kind == SRDI_CELL_TEXT) {
                srdi_cell_format(&s->t->cols[s->show], c, v, sizeof v);
                if (srdi_buf_printf(out, "（%s）", v)) return false;
            }
        }
    }
    return true;
}

/* ----------------------------------------------------------------- trend */

const char *report_trend_word(const double *x, size_t n, double tol)
{
    if (n < 2) return NULL;
    int sg[64], ns = 0;
    for (size_t i = 0; i + 1 < n && ns < 64; i++) {
        double base = fabs(x[i]) > 1e-12 ? fabs(x[i]) : 1e-12;
        double d = (x[i + 1] - x[i]) / base;
        if (d > tol)
            sg[ns++] = 1;
        else if (d < -tol)
            sg[ns++] = -1;
    }
    if (ns == 0) return "基本持平";
    int changes = 0;
    for (int i = 1; i < ns; i++) changes += sg[i] != sg[i - 1];
    if (changes == 0) return sg[0] > 0 ? "上升" : "下降";
    if (changes == 1) return sg[0] > 0 ? "先升后降" : "先降后升";
    return "波动";
}

int report_complete_year(const srdi_table *t, const report_ctx *ctx)
{
    return srdi_chart_complete_year(t, ctx ? ctx->params : NULL);
}

/* ---------------------------------------------------------- placeholders */

/* Why a table has no data, as a sentence clause. */
static void nodata_sentence(const srdi_table *t, char *val, size_t vsize)
{
    const char *why;
    if (t->no_data)
        why = "所需的输入文件未提供";
    else if (t->n == 0) /* the input is there, no record passes the table's filter (no invention row) */
        why = "没有符合统计条件的记录";
    else if (t->nrows == 0)
        why = "没有分组达到统计门槛";
    else
        why = "所需字段在本次数据中缺失";
    snprintf(val, vsize, "本次数据中，%s无可用数据（%s），相关分析从略", t->title ? t->title : t->id, why);
}

/*
 * {{list:SEL [else "文字"]}} (@p count false) and {{count:SEL}} (true) into
 * @p val; the report_cond_placeholder return convention.
 */
static int placeholder_list(const char *arg, bool count, cenv *e, char *val, size_t vsize)
{
    csel s;
    size_t al = strlen(arg);
    const char *alt = NULL; /* {{list:SEL else "文字"}}: printed when no row qualifies */
    size_t altlen = 0;
    if (!count && al > 0 && arg[al - 1] == '"') {
        for (const char *q = strstr(arg, " else \""); q; q = strstr(q + 1, " else \"")) alt = q;
        if (alt && !memchr(alt + 7, '"', (size_t)(arg + al - 1 - (alt + 7)))) {
            altlen = (size_t)(arg + al - 1 - (alt + 7));
            al = (size_t)(alt - arg);
            alt += 7;
        } else {
            alt = NULL;
        }
    }
    if (!csel_parse(arg, al, e, false, &s)) return e->nomem ? -2 : 0;
    if (count) {
        snprintf(val, vsize, "%zu", s.n);
    } else if (s.n == 0) {
        /* never a dangling phrase: the template's words, else a clause saying so */
        if (alt)
            snprintf(val, vsize, "%.*s", (int)altlen, alt);
        else
            srdi_strlcpy(val, "（本次数据中没有符合条件的项）", vsize);
        snprintf(e->why, e->wsize, "the selection is empty");
    } else {
        srdi_buf b = {0};
        bool rendered = csel_render(&s, &b);
        srdi_strlcpy(val, b.data ? b.data : "", vsize);
        srdi_buf_free(&b);
        if (!rendered) {
            csel_free(&s);
            report_cond_nomem(e);
            return -2;
        }
    }
    csel_free(&s);
    return 1;
}

/* {{complete:Tnn}} (@p nodata false) and {{nodata:Tnn}} (true) into @p val; the report_cond_placeholder convention. */
static int placeholder_table(const char *arg, bool nodata, const report_ctx *ctx, char *val, size_t vsize, char *why,
                             size_t wsize)
{
    const srdi_table *t = ctx->tables ? srdi_tableset_get(ctx->tables, arg) : NULL;
    if (!t) {
        snprintf(why, wsize, "no table '%.50s'", arg);
        return 0;
    }
    if (nodata) {
        nodata_sentence(t, val, vsize);
        return 1;
    }
    int y = report_complete_year(t, ctx);
    if (y <= 0) {
        snprintf(why, wsize, "%s has no year rows with a grant lag (T31, T32, T34)", arg);
        return 0;
    }
    snprintf(val, vsize, "%d", y);
    return 1;
}

/* {{trend:SERIES}} (@p trend true) and {{value:EXPR[|pp]}} into @p val; the report_cond_placeholder convention. */
static int placeholder_value(const char *arg, bool trend, cenv *e, char *val, size_t vsize)
{
    srdi_buf ex = {0};
    size_t al = strlen(arg);
    bool pp = !trend && al > 3 && strcmp(arg + al - 3, "|pp") == 0; /* {{value:…|pp}}: ×100, 2 decimals */
    if (trend ? srdi_buf_printf(&ex, "trend(%s)", arg) : srdi_buf_append(&ex, arg, pp ? al - 3 : al)) {
        report_cond_nomem(e);
        return -2;
    }
    cv v;
    bool ok = report_expr_eval(ex.data ? ex.data : "", e, &v);
    srdi_buf_free(&ex);
    if (e->nomem) return -2;
    if (!ok) return 0;
    if (v.k == CV_NONE || ((pp || v.col) && v.k == CV_NUM && !isfinite(v.x))) { /* null: "—" */
        srdi_strlcpy(val, "—", vsize);
        if (v.k == CV_NONE) snprintf(e->why, e->wsize, "no value for this data");
        return 2;
    }
    if (v.k == CV_STR) {
        srdi_strlcpy(val, v.s, vsize);
    } else if (v.k == CV_BOOL) {
        srdi_strlcpy(val, v.x ? "是" : "否", vsize);
    } else if (pp) {
        srdi_number_format(v.x * 100.0, SRDI_COL_PP, -1, val, vsize);
    } else if (v.col) {
        srdi_cell cell = {.kind = SRDI_CELL_NUM, .num = v.x, .fmt = v.fmt};
        srdi_cell_format(v.col, &cell, val, vsize);
    } else {
        snprintf(val, vsize, "%.4g", v.x);
    }
    return 1;
}

int report_cond_placeholder(const char *body, const report_ctx *ctx, char *val, size_t vsize, char *why, size_t wsize)
{
    static const char *pre[] = {"list:", "count:", "trend:", "value:", "complete:", "nodata:", NULL};
    int w = -1;
    for (int i = 0; pre[i]; i++)
        if (strncmp(body, pre[i], strlen(pre[i])) == 0) w = i;
    if (w < 0) return -1;
    const char *arg = body + strlen(pre[w]);
    cenv e = {.ctx = ctx, .row = -1, .why = why, .wsize = wsize};
    why[0] = '\0';
    val[0] = '\0';
    if (w == 0 || w == 1) return placeholder_list(arg, w == 1, &e, val, vsize);
    if (w == 4 || w == 5) return placeholder_table(arg, w == 5, ctx, val, vsize, why, wsize);
    return placeholder_value(arg, w == 2, &e, val, vsize);
}
