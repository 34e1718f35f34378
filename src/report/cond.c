/*
 * src/report/cond.c — the expression language of template conditions.
 *
 * A recursive-descent parser that evaluates as it parses (no tree):
 *   cond := or;  or := and ('or' and)*;  and := not ('and' not)*
 *   not  := 'not' not | cmp
 *   cmp  := sum [ ('>'|'>='|'<'|'<='|'=='|'!=') sum ['within' sum]
 *                | 'between' sum 'and' sum ]
 *   sum  := prod (('+'|'-') prod)*;  prod := unary (('*'|'/') unary)*
 *   unary:= '-' unary | atom
 *   atom := number ['%'] | "text" | '(' cond ')' | func '(' args ')'
 *         | Tnn.row.col | param:sec.key | n:Tnn | rows:Tnn | scope.kind | scope.name
 *         | national:Tnn.row.col | province:Tnn.row.col | scope.rank … (scope.c)
 *         (a row may be #k, #-k, key, max(col), min(col), @scope, @province)
 *         | column (inside a selection's `where`: the current row's cell)
 * Every operand is evaluated (no short cut), so every reference is checked
 * and recorded even where and/or would not need it.  Syntax reference:
 * docs/templates.md.  References (Tnn.row.col, row selectors) are resolved
 * in cond_refs.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "report_private.h"

typedef struct cparse {
    const char *p; /* cursor */
    cenv *e;
    bool err;
} cparse;

static bool fail(cparse *c, const char *fmt, const char *arg)
{
    if (!c->err) snprintf(c->e->why, c->e->wsize, fmt, arg);
    c->err = true;
    return false;
}

static void ws(cparse *c)
{
    while (*c->p == ' ' || *c->p == '\t') c->p++;
}

/* Is the keyword @p w next (followed by a non-identifier character)? Consumes it. */
static bool kw(cparse *c, const char *w)
{
    ws(c);
    size_t l = strlen(w);
    if (strncmp(c->p, w, l) != 0) return false;
    char nx = c->p[l];
    if (isalnum((unsigned char)nx) || nx == '_') return false;
    c->p += l;
    return true;
}

static bool ch(cparse *c, char x)
{
    ws(c);
    if (*c->p != x) return false;
    c->p++;
    return true;
}

/* ------------------------------------------------------------- functions */

static bool p_cond(cparse *c, cv *v);
static bool p_sum(cparse *c, cv *v);

static void set_num(cv *v, double x)
{
    memset(v, 0, sizeof *v);
    v->k = CV_NUM;
    v->x = x;
}

static void set_bool(cv *v, bool b)
{
    memset(v, 0, sizeof *v);
    v->k = CV_BOOL;
    v->x = b;
}

/* Text up to the ')' closing the argument list at c->p (not consumed). */
static size_t args_len(const char *p)
{
    int depth = 0;
    bool q = false;
    size_t i = 0;
    for (; p[i]; i++) {
        if (p[i] == '"') q = !q;
        if (q) continue;
        if (p[i] == '(')
            depth++;
        else if (p[i] == ')') {
            if (depth == 0) return i;
            depth--;
        }
    }
    return i;
}

/* Optional "within X" before ')'. */
static bool opt_within(cparse *c, double *tol, bool *given)
{
    *given = false;
    if (!kw(c, "within")) return true;
    cv t;
    if (!p_sum(c, &t)) return false;
    if (t.k != CV_NUM) return fail(c, "'within' needs a number%s", "");
    *tol = t.x;
    *given = true;
    return true;
}

/* Series arguments separated by commas, until ')' or 'within'. */
static bool series_args(cparse *c, cseries *s)
{
    for (;;) {
        ws(c);
        if (!cseries_parse(&c->p, c->e, s)) {
            c->err = true;
            return false;
        }
        if (!ch(c, ',')) return true;
    }
}

/*
 * wmean(values, weights): the mean of a column weighted by another of the
 * same table, rows paired by key (a row without both numbers is left out):
 * wmean(T13.national_share, T13.count) is the national share of the whole
 * data set.  Missing when the weights sum to 0.
 */
static bool call_wmean(cparse *c, cv *v)
{
    cseries a = {.minn = -1}, w = {.minn = -1};
    const char *start = c->p;
    ws(c);
    bool ok = cseries_parse(&c->p, c->e, &a);
    if (ok && ch(c, ',')) {
        ws(c);
        ok = cseries_parse(&c->p, c->e, &w);
    } else {
        ok = false;
    }
    if (!ok || !ch(c, ')')) {
        cseries_free(&a);
        cseries_free(&w);
        if (!c->err) fail(c, "wmean: expected wmean(values, weights)%s", "");
        c->err = true;
        return false;
    }
    double num = 0, den = 0;
    for (size_t i = 0; i < a.n; i++) {
        for (size_t j = 0; j < w.n; j++) {
            bool same = a.key && w.key && a.key[i] && w.key[j] ? strcmp(a.key[i], w.key[j]) == 0 : i == j;
            if (same) {
                num += a.x[i] * w.x[j];
                den += w.x[j];
                break;
            }
        }
    }
    memset(v, 0, sizeof *v);
    if (den > 0) {
        set_num(v, num / den);
        v->col = a.col;
    }
    char rec[600];
    snprintf(rec, sizeof rec, "wmean(%.*s", (int)(c->p - start), start);
    report_cond_record(c->e, rec, v);
    cseries_free(&a);
    cseries_free(&w);
    return true;
}

/*
 * small(Tnn.row, …): true when any of the rows rests on fewer than
 * [claims] min_n observations (its column n, else count), or is missing, or
 * has no sample size — the guard of a conclusion drawn from those groups.
 */
static bool call_small(cparse *c, cv *v)
{
    cenv *e = c->e;
    double min_n = e->ctx->params ? srdi_params_num(e->ctx->params, "claims", "min_n", 30) : 30;
    bool small = false;
    char rec[600];
    const char *start = c->p;
    for (;;) {
        ws(c);
        size_t l = strcspn(c->p, ",) \t");
        char arg[300], tid[16];
        if (l == 0 || !report_copy_token(arg, sizeof arg, c->p, l))
            return fail(c, "small() needs rows Tnn.row, got '%.60s'", c->p);
        c->p += l;
        const char *dot = strchr(arg, '.');
        if (!report_is_table_ref(arg) || !dot || !report_copy_token(tid, sizeof tid, arg, (size_t)(dot - arg)))
            return fail(c, "small() needs rows Tnn.row, got '%.60s'", arg);
        const srdi_table *t = report_cond_table(e, tid);
        if (!t) return fail(c, "no table '%s'", tid);
        const char *rk = dot + 1;
        int r;
        if (rk[0] == '@') {
            bool bad;
            char kb[192];
            const char *k = report_scope_row(e->ctx, rk, &bad, kb, sizeof kb);
            if (bad) return fail(c, "bad row selector '%.100s' (write @scope or @province)", rk);
            r = k ? srdi_table_row(t, k) : -1;
        } else if (rk[0] == '#' && rk[1] != '-') {
            long k = strtol(rk + 1, NULL, 10);
            r = k >= 1 && (size_t)k <= t->nrows ? (int)k - 1 : -1;
        } else {
            r = report_row_selector(t, rk, e->why, e->wsize);
            if (r == -3) {
                c->err = true;
                return false;
            }
            if (r == -2) {
                r = srdi_table_row(t, rk);
                if (r < 0 && !t->no_data && t->nrows > 0) return fail(c, "no row '%.100s'", arg);
            }
        }
        long long n = report_row_n(t, r);
        if (n < 0 || (double)n < min_n) small = true;
        if (!ch(c, ',')) break;
    }
    if (!ch(c, ')')) return fail(c, "small(): missing ')'%s", "");
    set_bool(v, small);
    snprintf(rec, sizeof rec, "small(%.*s", (int)(c->p - start), start);
    report_cond_record(e, rec, v);
    return true;
}

/* count(selection), ties(selection), total(selection), empty(Tnn), complete(Tnn), n(Tnn) and n(Tnn.row); @p name "fn()" for messages. */
static bool call_table(cparse *c, const char *fn, const char *name, cv *v)
{
    cenv *e = c->e;
    ws(c);
    size_t l = args_len(c->p);
    char arg[512];
    if (!report_copy_token(arg, sizeof arg, c->p, l)) return fail(c, "%s: argument too long", name);
    while (l && arg[l - 1] == ' ') arg[--l] = '\0';
    c->p += args_len(c->p);
    if (!ch(c, ')')) return fail(c, "%s: missing ')'", name);
    char tid[16];
    size_t tl = strcspn(arg, " .");
    if (tl == 0 || arg[0] != 'T' || !isdigit((unsigned char)arg[1]) || !report_copy_token(tid, sizeof tid, arg, tl))
        return fail(c, "%s needs a table (Tnn …)", name);
    const srdi_table *t = report_cond_table(e, tid);
    if (!t) return fail(c, "no table '%s'", tid);
    char rec[600];
    snprintf(rec, sizeof rec, "%.40s(%.500s)", fn, arg);
    if (strcmp(fn, "count") == 0 || strcmp(fn, "ties") == 0 || strcmp(fn, "total") == 0) {
        csel s;
        if (!csel_parse(arg, strlen(arg), e, strcmp(fn, "ties") == 0, &s)) {
            c->err = true;
            csel_free(&s);
            return false;
        }
        if (fn[0] == 'c')
            set_num(v, (double)s.n);
        else if (fn[0] == 't' && fn[1] == 'i')
            set_num(v, (double)s.tied);
        else if (s.show < 0) {
            csel_free(&s);
            return fail(c, "%s needs the column to add up ('show column' or 'by column')", name);
        } else { /* the shown column over the selected rows: 0 when no row is selected, missing
                    when the table has no data or the selected rows have no number */
            double sum = 0;
            bool any = s.n == 0 && !t->no_data;
            for (size_t i = 0; i < s.n; i++) {
                const srdi_cell *x = &t->rows[s.rows[i]].cells[s.show];
                if (x->kind != SRDI_CELL_NUM) continue;
                sum += x->num;
                any = true;
            }
            if (any) {
                set_num(v, sum);
                v->col = &t->cols[s.show];
            }
        }
        csel_free(&s);
    } else if (strcmp(fn, "empty") == 0) {
        bool any = false;
        for (size_t r = 0; r < t->nrows && !any; r++)
            for (size_t k = 0; k < t->ncols && !any; k++)
                any = t->rows[r].cells[k].kind == SRDI_CELL_NUM && strcmp(t->rows[r].key, "total") != 0 &&
                      t->cols[k].type != SRDI_COL_COUNT;
        set_bool(v, t->no_data || t->nrows == 0 || !any);
    } else if (strcmp(fn, "complete") == 0) {
        int y = report_complete_year(t, e->ctx);
        if (y > 0) set_num(v, y);
    } else { /* n(Tnn) or n(Tnn.row) */
        if (arg[tl] == '.') {
            int r = report_row_selector(t, arg + tl + 1, e->why, e->wsize);
            if (r == -3) return fail(c, "%s", e->why);
            if (r == -2) {
                const char *rk = arg + tl + 1;
                if (rk[0] == '#') {
                    long k = strtol(rk + 1, NULL, 10);
                    r = k >= 1 && (size_t)k <= t->nrows ? (int)k - 1 : -1;
                } else
                    r = srdi_table_row(t, rk);
            }
            long long n = report_row_n(t, r);
            if (n >= 0) set_num(v, (double)n);
        } else
            set_num(v, (double)t->n);
    }
    report_cond_record(e, rec, v);
    return true;
}

/*
 * The aggregate @p fn (index @p which of call's list: max min mean sum spread
 * alleq trend first last) over a series argument, with an optional
 * 'within' tolerance.
 */
static bool call_aggregate(cparse *c, const char *fn, int which, const char *name, cv *v)
{
    cenv *e = c->e;
    cseries s = {.minn = -1};
    const char *start = c->p;
    double tol = 0;
    bool given = false;
    if (!series_args(c, &s) || !opt_within(c, &tol, &given) || !ch(c, ')')) {
        cseries_free(&s);
        return c->err ? false : fail(c, "%s: expected ',' 'within' or ')'", name);
    }
    char rec[600];
    snprintf(rec, sizeof rec, "%s(%.*s", fn, (int)(c->p - start), start);
    if (which == 6) { /* trend over complete years */
        if (!given) tol = e->ctx->params ? srdi_params_num(e->ctx->params, "claims", "trend_tolerance", 0.05) : 0.05;
        size_t n = s.n;
        int cy = s.t ? report_complete_year(s.t, e->ctx) : 0;
        if (cy > 0) {
            n = 0;
            for (size_t i = 0; i < s.n; i++)
                if (!s.key[i] || atoi(s.key[i]) <= cy) s.x[n++] = s.x[i];
        }
        const char *w = report_trend_word(s.x, n, tol);
        if (w) {
            v->k = CV_STR;
            srdi_strlcpy(v->s, w, sizeof v->s);
        }
    } else if (s.n > 0) {
        double mx = s.x[0], mn = s.x[0], sum = 0;
        for (size_t i = 0; i < s.n; i++) {
            mx = s.x[i] > mx ? s.x[i] : mx;
            mn = s.x[i] < mn ? s.x[i] : mn;
            sum += s.x[i];
        }
        switch (which) {
        case 0:
            set_num(v, mx);
            break;
        case 1:
            set_num(v, mn);
            break;
        case 2:
            set_num(v, sum / (double)s.n);
            break;
        case 3:
            set_num(v, sum);
            break;
        case 4:
            set_num(v, mx - mn);
            break;
        case 5:
            set_bool(v, mx - mn <= tol + 1e-12);
            break;
        case 7:
            set_num(v, s.x[0]);
            break;
        case 8:
            set_num(v, s.x[s.n - 1]);
            break;
        }
        if (v->k == CV_NUM && which != 4 && which != 5) v->col = s.col;
        if (which == 4) v->col = s.col;
    }
    report_cond_record(e, rec, v);
    cseries_free(&s);
    return true;
}

static bool call(cparse *c, const char *fn, cv *v)
{
    memset(v, 0, sizeof *v);
    char name[48];
    snprintf(name, sizeof name, "%.40s()", fn);
    if (strcmp(fn, "count") == 0 || strcmp(fn, "ties") == 0 || strcmp(fn, "total") == 0 || strcmp(fn, "empty") == 0 ||
        strcmp(fn, "complete") == 0 || (strcmp(fn, "n") == 0))
        return call_table(c, fn, name, v);
    if (strcmp(fn, "num") == 0) { /* a number, or the number a text spells ("75" → 75); else missing */
        cv a;
        if (!p_sum(c, &a) || !ch(c, ')')) return c->err ? false : fail(c, "%s: missing ')'", name);
        if (a.k == CV_NUM)
            *v = a;
        else if (a.k == CV_STR && a.s[0]) {
            char *end = NULL;
            double x = strtod(a.s, &end);
            if (end && *end == '\0' && isfinite(x)) set_num(v, x);
        }
        return true;
    }
    if (strcmp(fn, "has") == 0 || strcmp(fn, "abs") == 0) {
        cv a;
        if (!p_sum(c, &a) || !ch(c, ')')) return c->err ? false : fail(c, "%s: missing ')'", name);
        if (fn[0] == 'h')
            set_bool(v, a.k != CV_NONE);
        else if (a.k == CV_NUM) {
            *v = a;
            v->x = fabs(a.x);
        }
        return true;
    }
    if (strcmp(fn, "wmean") == 0) return call_wmean(c, v);
    if (strcmp(fn, "small") == 0) return call_small(c, v);
    static const char *aggs[] = {"max", "min", "mean", "sum", "spread", "alleq", "trend", "first", "last", NULL};
    int which = -1;
    for (int i = 0; aggs[i]; i++)
        if (strcmp(fn, aggs[i]) == 0) which = i;
    if (which < 0) return fail(c, "unknown function '%s'", fn);
    return call_aggregate(c, fn, which, name, v);
}

/* ----------------------------------------------------------------- atoms */

/* The reference token at the cursor into @p ref (the cursor moves past it); false when it does not fit. */
static bool take_ref(cparse *c, char *ref, size_t size)
{
    size_t l = report_ref_len(c->p);
    if (!report_copy_token(ref, size, c->p, l)) return fail(c, "reference too long%s", "");
    c->p += l;
    return true;
}

/* A table reference at the cursor: Tnn.row.col, or with the benchmark prefix of @p blen bytes (its tables @p bench). */
static bool p_table_ref(cparse *c, cv *v, size_t blen, const srdi_tableset *bench)
{
    cenv *e = c->e;
    char ref[512];
    if (!take_ref(c, ref, sizeof ref)) return false;
    report_ctx bctx = *e->ctx;
    const report_ctx *own = e->ctx;
    if (blen) { /* the benchmark's tables */
        bctx.tables = bench;
        e->ctx = &bctx;
    }
    bool ok = report_ref_value(e, ref + blen, v);
    e->ctx = own;
    if (!ok) {
        c->err = true;
        return false;
    }
    report_cond_record(e, ref, v);
    return true;
}

/* param:section.key, rows:Tnn or n:Tnn at the cursor. */
static bool p_prefixed(cparse *c, cv *v)
{
    cenv *e = c->e;
    char ref[256];
    if (!take_ref(c, ref, sizeof ref)) return false;
    if (ref[0] == 'p') {
        char sec[128];
        const char *dot = strchr(ref + 6, '.');
        if (!dot || (size_t)(dot - ref - 6) >= sizeof sec)
            return fail(c, "parameters are written param:section.key, not '%s'", ref);
        memcpy(sec, ref + 6, (size_t)(dot - ref - 6));
        sec[dot - ref - 6] = '\0';
        const char *s = e->ctx->params ? srdi_params_str(e->ctx->params, sec, dot + 1, NULL) : NULL;
        if (!s) return fail(c, "no parameter '%s' in params.ini", ref + 6);
        char *end = NULL;
        double x = strtod(s, &end);
        if (end != s && (*end == '\0' || *end == ' ' || *end == '\t'))
            set_num(v, x);
        else {
            v->k = CV_STR;
            srdi_strlcpy(v->s, s, sizeof v->s);
        }
    } else {
        const char *tid = ref + (ref[0] == 'r' ? 5 : 2);
        const srdi_table *t = report_cond_table(e, tid);
        if (!t) return fail(c, "no table '%s'", tid);
        set_num(v, ref[0] == 'r' ? (double)t->nrows : (double)t->n);
    }
    report_cond_record(e, ref, v);
    return true;
}

/* A name at the cursor: a function call, scope.…, true / false, or a column of the current row. */
static bool p_name(cparse *c, cv *v)
{
    cenv *e = c->e;
    const char *p = c->p;
    size_t l = 0; /* names may be UTF-8 (column keys 京津冀, 长三角 inside a where) */
    while (isalnum((unsigned char)p[l]) || p[l] == '_' || p[l] == '.' || (unsigned char)p[l] >= 0x80) l++;
    char id[128];
    if (!report_copy_token(id, sizeof id, p, l)) return fail(c, "name too long%s", "");
    c->p += l;
    ws(c);
    if (*c->p == '(' && !strchr(id, '.')) {
        c->p++;
        return call(c, id, v);
    }
    if (strncmp(id, "scope.", 6) == 0) { /* scope.kind, scope.rank … (scope.c) */
        report_scope_val sv;
        if (!report_scope_value(e->ctx, id, &sv, e->why, e->wsize)) {
            c->err = true;
            return false;
        }
        memset(v, 0, sizeof *v);
        if (sv.is_text) {
            v->k = CV_STR;
            srdi_strlcpy(v->s, sv.text, sizeof v->s);
        } else if (sv.cell.kind == SRDI_CELL_NUM) {
            v->k = CV_NUM;
            v->x = sv.cell.num;
            v->col = sv.col;
        }
        report_cond_record(e, id, v);
        return true;
    }
    if (strcmp(id, "true") == 0 || strcmp(id, "false") == 0) {
        set_bool(v, id[0] == 't');
        return true;
    }
    if (e->row_t) { /* a column of the current row */
        if (!report_cell_value(e, e->row_t, e->row, id, v)) {
            c->err = true;
            return false;
        }
        return true;
    }
    return fail(c,
                "unknown name '%s' (values are Tnn.row.column, national:Tnn.row.column, param:…, n:Tnn, rows:Tnn, "
                "scope.kind, scope.name, scope.rank …)",
                id);
}

static bool p_atom(cparse *c, cv *v)
{
    cenv *e = c->e;
    memset(v, 0, sizeof *v);
    ws(c);
    const char *p = c->p;
    if (*p == '(') {
        c->p++;
        if (!p_cond(c, v)) return false;
        return ch(c, ')') ? true : fail(c, "missing ')'%s", "");
    }
    if (*p == '"') {
        const char *q = strchr(p + 1, '"');
        if (!q) return fail(c, "unterminated \"text\"%s", "");
        v->k = CV_STR;
        size_t l = (size_t)(q - p - 1);
        if (l >= sizeof v->s) l = sizeof v->s - 1;
        memcpy(v->s, p + 1, l);
        v->s[l] = '\0';
        c->p = q + 1;
        return true;
    }
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        char *end = NULL;
        double x = strtod(p, &end);
        c->p = end;
        if (*c->p == '%') {
            x /= 100.0;
            c->p++;
        }
        set_num(v, x);
        return true;
    }
    const srdi_tableset *bench;
    size_t blen = report_bench_prefix(p, e->ctx, &bench); /* national:Tnn.row.col, province:… */
    if (report_is_table_ref(p + blen)) return p_table_ref(c, v, blen, bench);
    if (strncmp(p, "param:", 6) == 0 || strncmp(p, "rows:", 5) == 0 || strncmp(p, "n:", 2) == 0)
        return p_prefixed(c, v);
    if (isalpha((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80) return p_name(c, v);
    if (!*p) return fail(c, "expression ends too early%s", "");
    return fail(c, "unexpected '%.20s'", p);
}

static bool p_unary(cparse *c, cv *v)
{
    ws(c);
    if (*c->p == '-' && !isdigit((unsigned char)c->p[1])) {
        c->p++;
        if (!p_unary(c, v)) return false;
        if (v->k == CV_NUM) v->x = -v->x;
        return true;
    }
    if (*c->p == '-') { /* negative constant */
        c->p++;
        if (!p_atom(c, v)) return false;
        v->x = -v->x;
        return true;
    }
    return p_atom(c, v);
}

static bool p_cmp(cparse *c, cv *v)
{
    if (!p_sum(c, v)) return false;
    ws(c);
    if (kw(c, "between")) {
        cv lo, hi;
        if (!p_sum(c, &lo)) return false;
        if (!kw(c, "and")) return fail(c, "'between' is written: x between low and high%s", "");
        if (!p_sum(c, &hi)) return false;
        bool ok = v->k == CV_NUM && lo.k == CV_NUM && hi.k == CV_NUM && v->x >= lo.x - 1e-12 && v->x <= hi.x + 1e-12;
        set_bool(v, ok);
        return true;
    }
    static const char *ops[] = {">=", "<=", "==", "!=", ">", "<", NULL};
    int op = -1;
    for (int i = 0; ops[i]; i++)
        if (strncmp(c->p, ops[i], strlen(ops[i])) == 0) {
            op = i;
            c->p += strlen(ops[i]);
            break;
        }
    if (op < 0) return true;
    cv r;
    if (!p_sum(c, &r)) return false;
    double tol = 1e-9;
    bool given = false;
    if (!opt_within(c, &tol, &given)) return false;
    bool res = false;
    if (v->k == CV_STR && r.k == CV_STR && (op == 2 || op == 3)) {
        res = (strcmp(v->s, r.s) == 0) == (op == 2);
    } else if ((v->k == CV_NUM || v->k == CV_BOOL) && (r.k == CV_NUM || r.k == CV_BOOL)) {
        double a = v->x, b = r.x;
        switch (op) {
        case 0:
            res = a >= b - tol;
            break;
        case 1:
            res = a <= b + tol;
            break;
        case 2:
            res = fabs(a - b) <= tol;
            break;
        case 3:
            res = fabs(a - b) > tol;
            break;
        case 4:
            res = a > b + (given ? tol : 0);
            break;
        case 5:
            res = a < b - (given ? tol : 0);
            break;
        }
    } else if (v->k != CV_NONE && r.k != CV_NONE) {
        return fail(c, "cannot compare text with a number near '%.30s'", c->p);
    }
    set_bool(v, res);
    return true;
}

static bool truth(const cv *v)
{
    return (v->k == CV_BOOL || v->k == CV_NUM) ? v->x != 0 : v->k == CV_STR;
}

static bool p_not(cparse *c, cv *v)
{
    if (kw(c, "not")) {
        if (!p_not(c, v)) return false;
        set_bool(v, !truth(v));
        return true;
    }
    return p_cmp(c, v);
}

/* ------------------------------------------------------------ operators */

/*
 * The binary operators by level, loosest first: or, and (words; both
 * operands are evaluated), then + -, then * / (a missing operand or a
 * division by zero makes the result missing; a product or quotient is no
 * longer a column's value).  An operand of a level is an expression of the
 * next level (p_operand): or → and → not (p_not, p_cmp) ; + - → * / → p_unary.
 */
typedef enum { LV_OR, LV_AND, LV_SUM, LV_PROD } op_level;

typedef struct binop {
    op_level level;
    const char *tok; /* a word (or, and) or one character */
} binop;

static const binop BINOPS[] = {
    {LV_OR, "or"}, {LV_AND, "and"}, {LV_SUM, "+"}, {LV_SUM, "-"}, {LV_PROD, "*"}, {LV_PROD, "/"},
};

static bool p_level(cparse *c, cv *v, op_level lv);

static bool p_operand(cparse *c, cv *v, op_level lv)
{
    switch (lv) {
    case LV_OR:
        return p_level(c, v, LV_AND);
    case LV_AND:
        return p_not(c, v);
    case LV_SUM:
        return p_level(c, v, LV_PROD);
    default:
        return p_unary(c, v);
    }
}

/* The operator of level @p lv at the cursor, consumed; NULL when none ("->" is no minus). */
static const binop *next_op(cparse *c, op_level lv)
{
    for (size_t i = 0; i < sizeof BINOPS / sizeof BINOPS[0]; i++) {
        const binop *o = &BINOPS[i];
        if (o->level != lv) continue;
        if (lv <= LV_AND) {
            if (kw(c, o->tok)) return o;
            continue;
        }
        ws(c);
        if (*c->p == o->tok[0] && !(lv == LV_SUM && c->p[1] == '>')) {
            c->p++;
            return o;
        }
    }
    return NULL;
}

/* v = v <o> r. */
static void apply(const binop *o, cv *v, const cv *r)
{
    char op = o->tok[0];
    if (o->level <= LV_AND) {
        bool a = truth(v), b = truth(r);
        set_bool(v, op == 'o' ? a || b : a && b);
        return;
    }
    if (v->k != CV_NUM || r->k != CV_NUM || (op == '/' && r->x == 0)) {
        memset(v, 0, sizeof *v);
        return;
    }
    v->x = op == '+' ? v->x + r->x : op == '-' ? v->x - r->x : op == '*' ? v->x * r->x : v->x / r->x;
    if (o->level == LV_PROD) v->col = NULL;
}

/* An expression of level @p lv: operand (operator operand)*, left to right. */
static bool p_level(cparse *c, cv *v, op_level lv)
{
    if (!p_operand(c, v, lv)) return false;
    const binop *o;
    while ((o = next_op(c, lv))) {
        cv r;
        if (!p_operand(c, &r, lv)) return false;
        apply(o, v, &r);
    }
    return true;
}

static bool p_cond(cparse *c, cv *v)
{
    return p_level(c, v, LV_OR);
}

static bool p_sum(cparse *c, cv *v)
{
    return p_level(c, v, LV_SUM);
}

bool report_expr_eval(const char *expr, cenv *e, cv *out)
{
    cparse c = {expr, e, false};
    if (!p_cond(&c, out)) return false;
    ws(&c);
    if (*c.p) {
        snprintf(e->why, e->wsize, "unexpected '%.40s'", c.p);
        return false;
    }
    return true;
}

/* Parse a sum (no comparison) from *p; used by series arguments. */
bool report_sum_eval(const char **p, cenv *e, cv *out)
{
    cparse c = {*p, e, false};
    bool ok = p_sum(&c, out);
    *p = c.p;
    return ok;
}

bool report_cond_nomem(cenv *e)
{
    e->nomem = true;
    srdi_error_set(SRDI_ERR_NOMEM, "out of memory evaluating a template condition");
    snprintf(e->why, e->wsize, "out of memory");
    return false;
}

srdi_status report_cond_eval(const char *expr, const report_ctx *ctx, bool *holds, srdi_buf *values, char *why,
                             size_t wsize)
{
    cenv e = {.ctx = ctx, .row = -1, .values = values, .why = why, .wsize = wsize};
    cv v;
    why[0] = '\0';
    *holds = false;
    bool ok = report_expr_eval(expr, &e, &v);
    if (e.nomem) return SRDI_ERR_NOMEM;
    if (!ok) return SRDI_ERR_TEMPLATE;
    *holds = truth(&v);
    return SRDI_OK;
}
