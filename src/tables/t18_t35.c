/*
 * t18_t35.c — tables T18 … T35 of TABLES.md (industry focus, correlation,
 * indicator medians, R&D bands, five-dimension scores, domains, honors,
 * champion benchmark, patent trends).
 *
 * Every function here is a pure function of ctx (dataset + scope + params)
 * to a new srdi_table that the caller owns.  Population P = in-scope rows
 * with level national or provincial (srdi_in_P); champion rows are read only
 * by T28–T29.  Patent facts (d->patents) are national-level inventions keyed
 * by enterprise; a fact whose enterprise is out of scope is ignored.
 *
 * Parameters read (section, key, default) — params.ini may override each:
 *   t18    top_decile_pct       90     percentile of group counts for "top decile"
 *   t18    high_share_factor    1.5    高占比型: share >= factor × P's national share
 *   t19    min_count            300    classes with at least this many P rows
 *   t19    min_national_share   0.15   … and at least this national share
 *   t21    label_very_high      4      multiple >= this → 极高
 *   t21    label_high           2.5    multiple >= this → 高 (else 中)
 *   t22    band_high            0.25   R&D ratio band edges [high, ∞), [mid, high), (−∞, mid)
 *   t22    band_mid             0.15
 *   t24    w_tech               25     weight of 技术实力 (patents_total)
 *   t24    w_quality            30     weight of 创新质量 (invention_grants)
 *   t24    w_scale              15     weight of 创新规模 (staff)
 *   t24    w_capital            20     weight of 资本实力 (reg_capital)
 *   t24    w_digital            10     weight of 数字化能力 (software_copyrights)
 *   t24    cap                  100    per-dimension cap of 100 × value / national median
 *   t24    rd_high              0.25   R&D ratio "high" (>=) for the T24 types
 *   t24    rd_mid               0.15   R&D ratio "middle" lower edge
 *   scores type_high            80     T24 score "high" (>=)
 *   scores type_mid             60     T24 score "middle" lower edge
 *   scores band_high            85     T26 score bands >=85 / [70,85) / [60,70) / <60
 *   scores band_mid             70
 *   scores band_low             60
 *   t27    rate_cut             0.5    quadrant: rate >= cut is "high rate"
 *   t27    lift_cut             1.5    quadrant: lift >= cut is "high lift"
 *   t30    years                3      last k grant years
 *   t30    top_n                10     fields listed (values.csv lists the same rows)
 *   t31    years                3      last k application years
 *   t32    years                6      last k application years
 *   t33    years                3      last k application years
 *   t33    top_n                10     IPC subclasses listed
 *   t34    years                6      last k publication years
 *   t35    years                3      last k publication years (every office listed)
 * T26 reuses the t24 weights and cap (the score is the same enterprise score).
 *
 * Interpretations of TABLES.md (also listed in the report to the lead):
 *   - The latest financial year is the largest year among financial rows of
 *     in-scope enterprises (any level); out-of-scope rows are invisible.
 *   - T18 type / T19 domain / T21 label / T27 quadrant without a value
 *     (no type, unmapped class, null multiple / lift) are null cells.
 *   - T27 rate = holders / P rows with the honor value (hon_little_giant =
 *     1 for every national row); lift divides the holders' national share
 *     by the national share of all of P (literally "national share of P").
 *   - T30/T33 "top 10": values.csv lists only the top-N rows plus total;
 *     total count = every fact with a non-empty field / IPC in the window.
 *   - T34 applicants = distinct in-scope enterprises with a foreign filing
 *     published that year.  T35 lists every office.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/stats.h"
#include "tables_private.h"

#define SOURCE_LINE "资料来源：srdi-report 根据企业数据库计算"

/* ================================================================ helpers */

/* Numeric value of a 2-, 3- or 4-digit code prefix of a class code, or -1. */
static int code_prefix_num(const char *cls, size_t len)
{
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (cls[i] < '0' || cls[i] > '9') return -1;
        v = v * 10 + (cls[i] - '0');
    }
    return v;
}

/* New table with the common source line; NULL (error recorded) on OOM. */
static srdi_table *new_table(const char *id, const char *name, const char *title, const char *sheet)
{
    srdi_table *t = srdi_table_new(id, name, title, sheet);
    if (!t) {
        srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating %s", id);
        return NULL;
    }
    srdi_table_set_source(t, SOURCE_LINE);
    return t;
}

/* Record an OOM for table @p id and return the status. */
static srdi_status nomem(const char *id)
{
    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory building %s", id);
}

/* Is row a national-level row? */
static int is_nat(const srdi_tctx *ctx, size_t row)
{
    return ctx->d->level[row] == SRDI_LEVEL_NATIONAL;
}

/* Make room for @p n values in @p a (contents kept). */
static srdi_status vec_reserve(srdi_vec *a, size_t n)
{
    if (a->cap >= n) return SRDI_OK;
    double *v = realloc(a->v, (n ? n : 1) * sizeof *v);
    if (!v) return SRDI_ERR_NOMEM;
    a->v = v;
    a->cap = n ? n : 1;
    return SRDI_OK;
}

/*
 * k-th smallest (0-based) of v[0..n-1] by three-way quickselect; reorders
 * v so that every element after position k is ≥ the result.  n > k.
 */
static double select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (v[i] < pivot) {
                double t = v[lt]; v[lt++] = v[i]; v[i++] = t;
            } else if (v[i] > pivot) {
                double t = v[--gt]; v[gt] = v[i]; v[i] = t;
            } else {
                i++;
            }
        }
        if (k < lt) hi = lt;
        else if (k >= gt) lo = gt;
        else return pivot;
    }
    return v[lo];
}

/*
 * Median in O(n): the same order statistics srdi_median picks (middle
 * value, or (lower + upper) / 2.0 of the two middle values), without a full
 * sort.  Reorders @p v.  NAN when n == 0.
 */
static double fast_median(double *v, size_t n)
{
    if (n == 0) return NAN;
    if (n % 2 == 1) return select_kth(v, n, n / 2);
    double lower = select_kth(v, n, n / 2 - 1);
    double upper = v[n / 2];
    for (size_t i = n / 2 + 1; i < n; i++)
        if (v[i] < upper) upper = v[i];
    return (lower + upper) / 2.0;
}

/*
 * Median of field f over P rows of one level (level < 0: all of P).
 * Uses @p tmp as scratch.  NAN when no row has a value.
 */
static srdi_status level_median(const srdi_tctx *ctx, srdi_field f, int level, srdi_vec *tmp, double *out)
{
    const srdi_dataset *d = ctx->d;
    const double *val = d->num[f].v;
    const uint8_t *pres = d->num[f].present;
    if (vec_reserve(tmp, d->n) != SRDI_OK) return SRDI_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!pres[i] || !srdi_in_P(ctx, i)) continue;
        if (level >= 0 && d->level[i] != level) continue;
        tmp->v[m++] = val[i];
    }
    tmp->n = m;
    *out = fast_median(tmp->v, m);
    return SRDI_OK;
}

/*
 * The latest financial year: largest year among all financial rows (any
 * level, any scope).  0 when there is none.
 */
static int latest_year(const srdi_tctx *ctx)
{
    const srdi_dataset *d = ctx->d;
    int y = 0;
    /* "the largest year in financials.csv among known enterprises": the whole
       file, whatever the scope (as T11 and the patent windows) */
    for (size_t i = 0; i < d->n_fin; i++)
        if (d->fin_year[i] > y) y = d->fin_year[i];
    return y;
}

/*
 * Latest-year R&D ratio per enterprise row (rd_expense / revenue, defined
 * when both are present and revenue > 0), NAN elsewhere.  Caller frees
 * *out.  *year receives the latest year (0 when none).
 */
static srdi_status latest_ratios(const srdi_tctx *ctx, double **out, int *year)
{
    const srdi_dataset *d = ctx->d;
    double *r = malloc((d->n ? d->n : 1) * sizeof *r);
    if (!r) return SRDI_ERR_NOMEM;
    for (size_t i = 0; i < d->n; i++) r[i] = NAN;
    int y = latest_year(ctx);
    for (size_t i = 0; i < d->n_fin; i++) {
        uint32_t e = d->fin_ent[i];
        if (d->fin_year[i] != y || e >= d->n || !srdi_in_scope(ctx, e)) continue;
        if (!d->fin_revenue.present[i] || !d->fin_rd.present[i]) continue;
        if (!(d->fin_revenue.v[i] > 0)) continue;
        r[e] = d->fin_rd.v[i] / d->fin_revenue.v[i];
    }
    *out = r;
    *year = y;
    return SRDI_OK;
}

/* Strategic-domain index (into ref->domain_names) of a class code, or -1. */
static int domain_index(const srdi_reference *ref, const char *cls)
{
    const char *dom = srdi_reference_domain(ref, cls);
    if (!dom) return -1;
    for (size_t k = 0; k < ref->n_domain_names; k++)
        if (strcmp(ref->domain_names[k], dom) == 0) return (int)k;
    return -1;
}

/*
 * Domain index per enterprise row (-1 when unmapped), cached per class
 * code so the prefix lookup runs once per distinct class.  Caller frees.
 */
static srdi_status row_domains(const srdi_dataset *d, int **out)
{
    int *dom = malloc((d->n ? d->n : 1) * sizeof *dom);
    int *cache = malloc(10000 * sizeof *cache);
    if (!dom || !cache) {
        free(dom);
        free(cache);
        return SRDI_ERR_NOMEM;
    }
    for (size_t k = 0; k < 10000; k++) cache[k] = -2;
    for (size_t i = 0; i < d->n; i++) {
        int c = code_prefix_num(d->industry[i], 4);
        if (c < 0) {
            dom[i] = domain_index(d->ref, d->industry[i]);
            continue;
        }
        if (cache[c] == -2) cache[c] = domain_index(d->ref, d->industry[i]);
        dom[i] = cache[c];
    }
    free(cache);
    *out = dom;
    return SRDI_OK;
}

/* ------------------------------------------------ five dimensions, scores */

/* The five dimensions of T23/T24/T26/T29. */
typedef struct dim_def {
    const char *key;     /* row key 技术实力 */
    srdi_field  f;       /* indicator */
    const char *wkey;    /* weight key in section t24 */
    double      wdef;    /* default weight */
    const char *ind;     /* indicator label for documents */
} dim_def;

static const dim_def DIMS[5] = {
    {"技术实力", SRDI_F_PATENTS_TOTAL, "w_tech", 25, "专利总量"},
    {"创新质量", SRDI_F_INVENTION_GRANTS, "w_quality", 30, "发明授权"},
    {"创新规模", SRDI_F_STAFF, "w_scale", 15, "参保人数"},
    {"资本实力", SRDI_F_REG_CAPITAL, "w_capital", 20, "注册资本"},
    {"数字化能力", SRDI_F_SOFTWARE_COPYRIGHTS, "w_digital", 10, "软著"},
};

/*
 * Enterprise score per row of P (NAN outside P or when undefined):
 * score = Σ (w/100) × min(cap, 100 × value / national median), national
 * medians over the national rows of the whole data set (any scope) with a value; NAN when any of the
 * five values is missing or any national median is 0 / undefined.
 * Caller frees *out.  @p params_text (may be NULL) receives the weights.
 */
static srdi_status enterprise_scores(const srdi_tctx *ctx, double **out, srdi_buf *params_text)
{
    const srdi_dataset *d = ctx->d;
    double med[5], w[5];
    double cap = srdi_params_num(ctx->params, "t24", "cap", 100);
    srdi_vec tmp = {0};
    srdi_status st = SRDI_OK;
    int usable = 1;
    const srdi_tctx whole = srdi_whole(ctx);   /* reference medians of the whole P (TABLES.md "Scope") */
    for (int k = 0; k < 5; k++) {
        w[k] = srdi_params_num(ctx->params, "t24", DIMS[k].wkey, DIMS[k].wdef);
        if ((st = level_median(&whole, DIMS[k].f, SRDI_LEVEL_NATIONAL, &tmp, &med[k])) != SRDI_OK) goto cleanup;
        if (!(med[k] != 0) || isnan(med[k])) usable = 0;
        if (params_text)
            srdi_buf_printf(params_text, "%s%s=%g", k ? "; " : "", DIMS[k].wkey, w[k]);
    }
    if (params_text) srdi_buf_printf(params_text, "; cap=%g", cap);
    double *s = malloc((d->n ? d->n : 1) * sizeof *s);
    if (!s) {
        st = SRDI_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < d->n; i++) {
        s[i] = NAN;
        if (!usable || !srdi_in_P(ctx, i)) continue;
        double sum = 0;
        int ok = 1;
        for (int k = 0; k < 5 && ok; k++) {
            double v;
            if (!srdi_get(d, DIMS[k].f, i, &v)) {
                ok = 0;
                break;
            }
            double part = 100.0 * v / med[k];
            if (part > cap) part = cap;
            sum += (w[k] / 100.0) * part;
        }
        if (ok) s[i] = sum;
    }
    *out = s;
cleanup:
    srdi_vec_free(&tmp);
    return st;
}

/* ------------------------------------------------------- sorting helpers */

/* A (key, count, national) bucket for ranking code groups, fields, offices. */
typedef struct bucket {
    const char *key;     /* borrowed key string */
    int         code;    /* numeric code (industry), -1 otherwise */
    double      count;
    double      nat;
} bucket;

/* count descending, then key ascending (byte order = code point order). */
static int cmp_bucket_count(const void *a, const void *b)
{
    const bucket *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* ================================================================== T18 */

/* Key and label text for an industry code of @p len digits. */
static void code_texts(const srdi_reference *ref, int code, int len, char *key, size_t ksz,
                       char *label, size_t lsz)
{
    snprintf(key, ksz, "%0*d", len, code);
    const srdi_industry *ind = srdi_reference_industry(ref, key);
    if (ind && ind->name)
        snprintf(label, lsz, "%s %s", key, ind->name);
    else
        snprintf(label, lsz, "%s", key);
}

/* A group/class ranking row: national share and its sort key. */
typedef struct focus_row {
    int    code;
    double count, nat, share;
    char   key[8];
} focus_row;

static int cmp_focus_count(const void *a, const void *b)
{
    const focus_row *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int cmp_focus_share(const void *a, const void *b)
{
    const focus_row *x = a, *y = b;
    if (x->share != y->share) return x->share > y->share ? -1 : 1;
    return strcmp(x->key, y->key);
}

/*
 * Count P rows and national P rows per code prefix of @p len digits into
 * cnt/nat (arrays of 10^len).  Returns |P| and national |P| through pn/pnat.
 */
static void count_codes(const srdi_tctx *ctx, size_t len, double *cnt, double *nat, double *pn, double *pnat)
{
    const srdi_dataset *d = ctx->d;
    *pn = *pnat = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i)) continue;
        (*pn)++;
        if (is_nat(ctx, i)) (*pnat)++;
        int c = code_prefix_num(d->industry[i], len);
        if (c < 0) continue;
        cnt[c]++;
        if (is_nat(ctx, i)) nat[c]++;
    }
}

/*
 * T18 group_focus: groups (中类) present in P by count; national share;
 * type 双高型 (count ≥ linear P90 of group counts and share > P's share),
 * 高占比型 (share ≥ 1.5 × P's share), 高基数型 (top decile only), in that
 * order; a group may have no type (null cell).
 */
SRDI_TABLE_FN(T18)
{
    const srdi_dataset *d = ctx->d;
    double pct = srdi_params_num(ctx->params, "t18", "top_decile_pct", 90);
    double factor = srdi_params_num(ctx->params, "t18", "high_share_factor", 1.5);
    double *cnt = calloc(1000, sizeof *cnt), *nat = calloc(1000, sizeof *nat);
    focus_row *rows = calloc(1000, sizeof *rows);
    double *counts = calloc(1000, sizeof *counts);
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    *out = NULL;
    if (!cnt || !nat || !rows || !counts) goto oom;

    double pn, pnat;
    count_codes(ctx, 3, cnt, nat, &pn, &pnat);
    size_t ng = 0;
    for (int c = 0; c < 1000; c++) {
        if (cnt[c] <= 0) continue;
        rows[ng].code = c;
        rows[ng].count = cnt[c];
        rows[ng].nat = nat[c];
        rows[ng].share = nat[c] / cnt[c];
        snprintf(rows[ng].key, sizeof rows[ng].key, "%03d", c);
        counts[ng] = cnt[c];
        ng++;
    }
    double p_share = srdi_div(pnat, pn);
    double cut = srdi_percentile(counts, ng, pct);
    qsort(rows, ng, sizeof *rows, cmp_focus_count);

    t = new_table("T18", "group_focus", "核心行业（中类）国家级专精特新企业集聚度与类型", "中类集聚");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1) < 0 ||
        srdi_table_add_col(t, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1) < 0 ||
        srdi_table_add_col(t, "type", "类型", SRDI_COL_TEXT, "", -1) < 0)
        goto oom;
    for (size_t g = 0; g < ng; g++) {
        char key[8], label[256];
        code_texts(d->ref, rows[g].code, 3, key, sizeof key, label, sizeof label);
        int r = srdi_table_add_row(t, key, label);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, rows[g].count);
        srdi_table_set_num(t, r, 1, rows[g].share);
        int top = rows[g].count >= cut;
        const char *type = NULL;
        if (top && rows[g].share > p_share) type = "双高型";
        else if (rows[g].share >= factor * p_share) type = "高占比型";
        else if (top) type = "高基数型";
        if (type) srdi_table_set_text(t, r, 2, type);
        else srdi_table_set_null(t, r, 2);
    }
    t->n = (long long)pn;
    srdi_table_set_params(t, "top_decile_pct=%g; high_share_factor=%g", pct, factor);
    if (ng > 0)
        srdi_table_set_note(t, "P 国家级占比 %.2f%%；前十分位企业数门槛 %g 家（中类企业数第 %g 百分位）",
                            p_share * 100, cut, pct);
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T18");
cleanup:
    srdi_table_free(t);
    free(cnt);
    free(nat);
    free(rows);
    free(counts);
    return st;
}

/* ================================================================== T19 */

/*
 * T19 class_focus: classes (小类) with count ≥ 300 and national share ≥
 * 15%, sorted by national share (descending, ties by code): count,
 * national share, strategic domain.
 */
SRDI_TABLE_FN(T19)
{
    const srdi_dataset *d = ctx->d;
    double min_count = srdi_params_num(ctx->params, "t19", "min_count", 300);
    double min_share = srdi_params_num(ctx->params, "t19", "min_national_share", 0.15);
    double *cnt = calloc(10000, sizeof *cnt), *nat = calloc(10000, sizeof *nat);
    focus_row *rows = calloc(10000, sizeof *rows);
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    *out = NULL;
    if (!cnt || !nat || !rows) goto oom;

    double pn, pnat;
    count_codes(ctx, 4, cnt, nat, &pn, &pnat);
    size_t nr = 0;
    for (int c = 0; c < 10000; c++) {
        if (cnt[c] <= 0 || cnt[c] < min_count) continue;
        double share = nat[c] / cnt[c];
        if (!(share >= min_share)) continue;
        rows[nr].code = c;
        rows[nr].count = cnt[c];
        rows[nr].nat = nat[c];
        rows[nr].share = share;
        snprintf(rows[nr].key, sizeof rows[nr].key, "%04d", c);
        nr++;
    }
    qsort(rows, nr, sizeof *rows, cmp_focus_share);

    t = new_table("T19", "class_focus", "重点战略领域行业小类国家级占比", "小类聚焦");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1) < 0 ||
        srdi_table_add_col(t, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1) < 0 ||
        srdi_table_add_col(t, "domain", "战略领域", SRDI_COL_TEXT, "", -1) < 0)
        goto oom;
    for (size_t k = 0; k < nr; k++) {
        char key[8], label[256];
        code_texts(d->ref, rows[k].code, 4, key, sizeof key, label, sizeof label);
        int r = srdi_table_add_row(t, key, label);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, rows[k].count);
        srdi_table_set_num(t, r, 1, rows[k].share);
        const char *dom = srdi_reference_domain(d->ref, key);
        if (dom) srdi_table_set_text(t, r, 2, dom);
        else srdi_table_set_null(t, r, 2);
    }
    t->n = (long long)pn;
    srdi_table_set_params(t, "min_count=%g; min_national_share=%g", min_count, min_share);
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T19");
cleanup:
    srdi_table_free(t);
    free(cnt);
    free(nat);
    free(rows);
    return st;
}

/* ================================================================== T20 */

static const srdi_field T20_FIELDS[5] = {SRDI_F_PATENTS_TOTAL, SRDI_F_INVENTION_APPS,
                                         SRDI_F_INVENTION_GRANTS, SRDI_F_STAFF, SRDI_F_REG_CAPITAL};
static const char *const T20_LABELS[5] = {"专利总量", "发明申请量", "发明授权量", "参保人数", "注册资本"};

/*
 * T20 correlation: 5 × 5 Pearson matrix over P, each pair over the rows
 * that have both values.  The diagonal is exactly 1 (null when the
 * variable has fewer than 2 values or zero variance).
 */
SRDI_TABLE_FN(T20)
{
    const srdi_dataset *d = ctx->d;
    srdi_vec x = {0}, y = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    *out = NULL;

    t = new_table("T20", "correlation", "专精特新企业核心指标相关性分析矩阵", "指标相关性");
    if (!t) goto oom;
    for (int j = 0; j < 5; j++)
        if (srdi_table_add_col(t, srdi_field_get(T20_FIELDS[j])->name, T20_LABELS[j], SRDI_COL_RATIO, "", 3) < 0)
            goto oom;
    for (int a = 0; a < 5; a++)
        if (srdi_table_add_row(t, srdi_field_get(T20_FIELDS[a])->name, T20_LABELS[a]) < 0) goto oom;
    long long pn = 0;
    for (size_t i = 0; i < d->n; i++) pn += srdi_in_P(ctx, i);
    if (vec_reserve(&x, d->n) != SRDI_OK || vec_reserve(&y, d->n) != SRDI_OK) goto oom;
    for (int a = 0; a < 5; a++) {
        for (int b = a; b < 5; b++) {
            const srdi_numcol *ca = &d->num[T20_FIELDS[a]], *cb = &d->num[T20_FIELDS[b]];
            size_t m = 0;
            for (size_t i = 0; i < d->n; i++) {
                if (!ca->present[i] || !cb->present[i] || !srdi_in_P(ctx, i)) continue;
                x.v[m] = ca->v[i];
                y.v[m] = cb->v[i];
                m++;
            }
            double r = srdi_pearson(x.v, y.v, m);
            if (a == b && !isnan(r)) r = 1.0;
            srdi_table_set_num(t, a, b, r);
            srdi_table_set_num(t, b, a, r);
        }
    }
    t->n = pn;
    srdi_table_set_params(t, "method=pearson; missing=pairwise");
    srdi_table_set_note(t, "皮尔逊相关系数，成对剔除缺失值");
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T20");
cleanup:
    srdi_table_free(t);
    srdi_vec_free(&x);
    srdi_vec_free(&y);
    return st;
}

/* ================================================================== T21 */

static const srdi_field T21_FIELDS[6] = {SRDI_F_REG_CAPITAL, SRDI_F_STAFF, SRDI_F_PATENTS_TOTAL,
                                         SRDI_F_INVENTION_APPS, SRDI_F_INVENTION_GRANTS,
                                         SRDI_F_SOFTWARE_COPYRIGHTS};
static const char *const T21_LABELS[6] = {"注册资本（万元）", "参保人数", "专利总量",
                                          "发明申请数量", "发明授权数量", "软件著作权总数"};

/*
 * T21 indicator_medians: national and provincial medians of six
 * indicators, multiple = national / provincial, label 极高 (≥ 4), 高
 * (≥ 2.5), 中 (else); null label when the multiple is null.
 */
SRDI_TABLE_FN(T21)
{
    double vh = srdi_params_num(ctx->params, "t21", "label_very_high", 4);
    double hi = srdi_params_num(ctx->params, "t21", "label_high", 2.5);
    srdi_vec tmp = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    *out = NULL;

    t = new_table("T21", "indicator_medians", "专精特新企业核心竞争力指标层级差异", "指标中位数");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "national_median", "国家级中位数", SRDI_COL_NUMBER, "", 0) < 0 ||
        srdi_table_add_col(t, "provincial_median", "省级中位数", SRDI_COL_NUMBER, "", 0) < 0 ||
        srdi_table_add_col(t, "multiple", "倍数关系", SRDI_COL_MULTIPLE, "", 2) < 0 ||
        srdi_table_add_col(t, "label", "显著性", SRDI_COL_TEXT, "", -1) < 0)
        goto oom;
    for (int k = 0; k < 6; k++) {
        double mn, mp;
        int r = srdi_table_add_row(t, srdi_field_get(T21_FIELDS[k])->name, T21_LABELS[k]);
        if (r < 0) goto oom;
        if (level_median(ctx, T21_FIELDS[k], SRDI_LEVEL_NATIONAL, &tmp, &mn) != SRDI_OK ||
            level_median(ctx, T21_FIELDS[k], SRDI_LEVEL_PROVINCIAL, &tmp, &mp) != SRDI_OK)
            goto oom;
        double m = srdi_div(mn, mp);
        srdi_table_set_num(t, r, 0, mn);
        srdi_table_set_num(t, r, 1, mp);
        srdi_table_set_num(t, r, 2, m);
        if (isfinite(m)) srdi_table_set_text(t, r, 3, m >= vh ? "极高" : m >= hi ? "高" : "中");
        else srdi_table_set_null(t, r, 3);
    }
    long long pn = 0;
    for (size_t i = 0; i < ctx->d->n; i++) pn += srdi_in_P(ctx, i);
    t->n = pn;
    srdi_table_set_params(t, "label_very_high=%g; label_high=%g", vh, hi);
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T21");
cleanup:
    srdi_table_free(t);
    srdi_vec_free(&tmp);
    return st;
}

/* ================================================================== T22 */

/* Band index of an R&D ratio: 0 = [high, ∞), 1 = [mid, high), 2 = below mid. */
static int rd_band(double r, double high, double mid)
{
    return r >= high ? 0 : r >= mid ? 1 : 2;
}

/*
 * T22 rd_bands: P rows with a latest-year R&D ratio (no range filter), by
 * band ≥ 25%, 15–25%, < 15%: count, share, median patents_total, median
 * invention_grants, national share; total row with count.
 */
SRDI_TABLE_FN(T22)
{
    const srdi_dataset *d = ctx->d;
    double high = srdi_params_num(ctx->params, "t22", "band_high", 0.25);
    double mid = srdi_params_num(ctx->params, "t22", "band_mid", 0.15);
    double *ratio = NULL;
    srdi_vec tmp = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    int year = 0;
    *out = NULL;

    char k0[32], k1[32], k2[32], l0[64], l1[64], l2[64];
    snprintf(k0, sizeof k0, ">=%g%%", high * 100);
    snprintf(k1, sizeof k1, "%g-%g%%", mid * 100, high * 100);
    snprintf(k2, sizeof k2, "<%g%%", mid * 100);
    snprintf(l0, sizeof l0, "≥%g%%（高强度）", high * 100);
    snprintf(l1, sizeof l1, "%g%%—%g%%（中等强度）", mid * 100, high * 100);
    snprintf(l2, sizeof l2, "<%g%%（低强度）", mid * 100);

    t = new_table("T22", "rd_bands", "专精特新企业研发强度分层特征及创新表现", "研发强度分层");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1) < 0 ||
        srdi_table_add_col(t, "share", "企业占比", SRDI_COL_SHARE, "", -1) < 0 ||
        srdi_table_add_col(t, "median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0) < 0 ||
        srdi_table_add_col(t, "median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", 0) < 0 ||
        srdi_table_add_col(t, "national_share", "国家级占比", SRDI_COL_SHARE, "", -1) < 0)
        goto oom;
    srdi_table_set_params(t, "band_high=%g; band_mid=%g", high, mid);
    if (!d->has_financials) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    if (latest_ratios(ctx, &ratio, &year) != SRDI_OK) goto oom;

    double cnt[3] = {0}, nat[3] = {0}, total = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i) || isnan(ratio[i])) continue;
        int b = rd_band(ratio[i], high, mid);
        cnt[b]++;
        total++;
        if (is_nat(ctx, i)) nat[b]++;
    }
    const char *keys[3] = {k0, k1, k2}, *labels[3] = {l0, l1, l2};
    for (int b = 0; b < 3; b++) {
        int r = srdi_table_add_row(t, keys[b], labels[b]);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, cnt[b]);
        srdi_table_set_num(t, r, 1, srdi_div(cnt[b], total));
        const srdi_field fs[2] = {SRDI_F_PATENTS_TOTAL, SRDI_F_INVENTION_GRANTS};
        for (int j = 0; j < 2; j++) {
            srdi_vec_clear(&tmp);
            for (size_t i = 0; i < d->n; i++) {
                double v;
                if (!srdi_in_P(ctx, i) || isnan(ratio[i]) || rd_band(ratio[i], high, mid) != b) continue;
                if (!srdi_get(d, fs[j], i, &v)) continue;
                if (srdi_vec_push(&tmp, v) != SRDI_OK) goto oom;
            }
            srdi_table_set_num(t, r, 2 + j, fast_median(tmp.v, tmp.n));
        }
        srdi_table_set_num(t, r, 4, srdi_div(nat[b], cnt[b]));
    }
    int r = srdi_table_add_row(t, "total", "合计");
    if (r < 0) goto oom;
    srdi_table_set_num(t, r, 0, total);
    t->n = (long long)total;
    if (year > 0)
        srdi_table_set_note(t, "%d 年研发费用占营业收入比重（全部有效比值）", year);
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T22");
cleanup:
    srdi_table_free(t);
    srdi_vec_free(&tmp);
    free(ratio);
    return st;
}

/* ================================================================== T23 */

/*
 * T23 five_dim_gap: per dimension, score = provincial median / national
 * median × 100 (may exceed 100), gap = 100 − score.  The national median
 * is the reference of the whole P in a scoped build (TABLES.md "Scope").
 */
SRDI_TABLE_FN(T23)
{
    srdi_vec tmp = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    *out = NULL;

    const srdi_tctx whole = srdi_whole(ctx);   /* the reference (national) median: whole P */
    t = new_table("T23", "five_dim_gap", "专精特新企业科创力各维度层级得分与差距率", "五维差距");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "score", "省级得分（国家级=100）", SRDI_COL_SCORE, "", 1) < 0 ||
        srdi_table_add_col(t, "gap", "差距率", SRDI_COL_SCORE, "", 1) < 0)
        goto oom;
    for (int k = 0; k < 5; k++) {
        char label[64];
        double mn, mp;
        snprintf(label, sizeof label, "%s（%s）", DIMS[k].key, DIMS[k].ind);
        int r = srdi_table_add_row(t, DIMS[k].key, label);
        if (r < 0) goto oom;
        if (level_median(&whole, DIMS[k].f, SRDI_LEVEL_NATIONAL, &tmp, &mn) != SRDI_OK ||
            level_median(ctx, DIMS[k].f, SRDI_LEVEL_PROVINCIAL, &tmp, &mp) != SRDI_OK)
            goto oom;
        double score = srdi_div(mp, mn) * 100;
        srdi_table_set_num(t, r, 0, score);
        srdi_table_set_num(t, r, 1, 100 - score);
    }
    long long pn = 0;
    for (size_t i = 0; i < ctx->d->n; i++) pn += srdi_in_P(ctx, i);
    t->n = pn;
    srdi_table_set_params(t, "score=provincial median / national median × 100");
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T23");
cleanup:
    srdi_table_free(t);
    srdi_vec_free(&tmp);
    return st;
}

/* ================================================================== T24 */

static const char *const T24_TYPES[6] = {"双高型", "高产出型", "高投入型", "潜力型", "基础型", "其他"};

/*
 * T24 score_rd_types: P rows with a score and a latest-year ratio, typed
 * by score (≥ 80 / [60, 80) / < 60) × R&D (≥ 25% / [15%, 25%) / < 15%):
 * 双高型, 高产出型, 高投入型, 潜力型, 基础型, 其他 (every other row).
 */
SRDI_TABLE_FN(T24)
{
    const srdi_dataset *d = ctx->d;
    double s_hi = srdi_params_num(ctx->params, "scores", "type_high", 80);
    double s_mid = srdi_params_num(ctx->params, "scores", "type_mid", 60);
    double r_hi = srdi_params_num(ctx->params, "t24", "rd_high", 0.25);
    double r_mid = srdi_params_num(ctx->params, "t24", "rd_mid", 0.15);
    double *score = NULL, *ratio = NULL;
    srdi_buf ptxt = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    int year = 0;
    *out = NULL;

    t = new_table("T24", "score_rd_types", "专精特新企业科创力分层分类", "科创力分类");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "count", "企业数", SRDI_COL_COUNT, "家", -1) < 0 ||
        srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1) < 0)
        goto oom;
    if (enterprise_scores(ctx, &score, &ptxt) != SRDI_OK) goto oom;
    srdi_table_set_params(t, "%s; type_high=%g; type_mid=%g; rd_high=%g; rd_mid=%g",
                          ptxt.data ? ptxt.data : "", s_hi, s_mid, r_hi, r_mid);
    if (!d->has_financials) {
        t->no_data = true;
        *out = t;
        t = NULL;
        goto cleanup;
    }
    if (latest_ratios(ctx, &ratio, &year) != SRDI_OK) goto oom;

    double cnt[6] = {0}, total = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i) || isnan(score[i]) || isnan(ratio[i])) continue;
        double s = score[i], q = ratio[i];
        int sb = s >= s_hi ? 0 : s >= s_mid ? 1 : 2;          /* high / mid / low score */
        int rb = q >= r_hi ? 0 : q >= r_mid ? 1 : 2;          /* high / mid / low R&D */
        int type = 5;
        if (sb == 0 && rb == 0) type = 0;
        else if (sb == 0 && rb == 1) type = 1;
        else if (sb == 1 && rb == 0) type = 2;
        else if (sb == 1 && rb == 1) type = 3;
        else if (sb == 2 && rb == 2) type = 4;
        cnt[type]++;
        total++;
    }
    for (int k = 0; k < 6; k++) {
        int r = srdi_table_add_row(t, T24_TYPES[k], T24_TYPES[k]);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, cnt[k]);
        srdi_table_set_num(t, r, 1, srdi_div(cnt[k], total));
    }
    int r = srdi_table_add_row(t, "total", "合计");
    if (r < 0) goto oom;
    srdi_table_set_num(t, r, 0, total);
    t->n = (long long)total;
    if (year > 0)
        srdi_table_set_note(t, "科创力评分以国家级中位数为基准（每维最高 100 分）；研发占比为 %d 年", year);
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T24");
cleanup:
    srdi_table_free(t);
    srdi_buf_free(&ptxt);
    free(score);
    free(ratio);
    return st;
}

/* ================================================================== T25 */

/*
 * T25 domain_profile: every strategic domain of the mapping: median
 * invention_grants, mean latest-year R&D ratio (every defined ratio),
 * median software_copyrights, n = P rows in the domain.
 */
SRDI_TABLE_FN(T25)
{
    const srdi_dataset *d = ctx->d;
    const srdi_reference *ref = d->ref;
    int *dom = NULL;
    double *ratio = NULL, *sums = NULL, *med = NULL;
    size_t *nb = NULL, *off = NULL, *nsum = NULL;
    srdi_vec tmp = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    int year = 0;
    *out = NULL;

    t = new_table("T25", "domain_profile", "专精特新企业分领域科创力水平", "领域画像");
    if (!t) goto oom;
    if (srdi_table_add_col(t, "median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", 0) < 0 ||
        srdi_table_add_col(t, "mean_rd_ratio", "研发占比均值", SRDI_COL_SHARE, "", 1) < 0 ||
        srdi_table_add_col(t, "median_software_copyrights", "软件著作权中位数", SRDI_COL_AMOUNT, "件", 0) < 0 ||
        srdi_table_add_col(t, "n", "企业数", SRDI_COL_COUNT, "家", -1) < 0)
        goto oom;
    srdi_table_set_params(t, "domains=strategic_domains.csv (longest prefix)");
    if (!d->has_financials) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    if (row_domains(d, &dom) != SRDI_OK || latest_ratios(ctx, &ratio, &year) != SRDI_OK) goto oom;

    /* one pass per statistic: values bucketed by domain (row order kept) */
    size_t nd = ref->n_domain_names;
    nb = calloc(nd + 1, sizeof *nb);
    off = calloc(nd + 1, sizeof *off);
    sums = calloc(nd + 1, sizeof *sums);
    nsum = calloc(nd + 1, sizeof *nsum);
    med = calloc(2 * (nd + 1), sizeof *med);
    if (!nb || !off || !sums || !nsum || !med || vec_reserve(&tmp, d->n) != SRDI_OK) goto oom;
    const srdi_field fs[2] = {SRDI_F_INVENTION_GRANTS, SRDI_F_SOFTWARE_COPYRIGHTS};
    for (int j = 0; j < 2; j++) {
        const srdi_numcol *c = &d->num[fs[j]];
        memset(nb, 0, (nd + 1) * sizeof *nb);
        for (size_t i = 0; i < d->n; i++)
            if (dom[i] >= 0 && c->present[i] && srdi_in_P(ctx, i)) nb[dom[i]]++;
        for (size_t k = 0, o = 0; k < nd; k++) {
            off[k] = o;
            o += nb[k];
        }
        for (size_t i = 0; i < d->n; i++)
            if (dom[i] >= 0 && c->present[i] && srdi_in_P(ctx, i)) tmp.v[off[dom[i]]++] = c->v[i];
        for (size_t k = 0; k < nd; k++)
            med[2 * k + (size_t)j] = fast_median(tmp.v + (off[k] - nb[k]), nb[k]);
    }
    memset(nb, 0, (nd + 1) * sizeof *nb);
    for (size_t i = 0; i < d->n; i++) {
        if (dom[i] < 0 || !srdi_in_P(ctx, i)) continue;
        nb[dom[i]]++;
        if (!isnan(ratio[i])) {
            sums[dom[i]] += ratio[i];
            nsum[dom[i]]++;
        }
    }
    long long total = 0;
    for (size_t k = 0; k < nd; k++) {
        int r = srdi_table_add_row(t, ref->domain_names[k], ref->domain_names[k]);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, med[2 * k]);
        srdi_table_set_num(t, r, 1, srdi_div(sums[k], (double)nsum[k]));
        srdi_table_set_num(t, r, 2, med[2 * k + 1]);
        srdi_table_set_num(t, r, 3, (double)nb[k]);
        total += (long long)nb[k];
    }
    t->n = total;
    if (year > 0)
        srdi_table_set_note(t, "研发占比为 %d 年全部有效比值的均值", year);
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T25");
cleanup:
    srdi_table_free(t);
    srdi_vec_free(&tmp);
    free(dom);
    free(ratio);
    free(nb);
    free(off);
    free(sums);
    free(nsum);
    free(med);
    return st;
}

/* ================================================================== T26 */

/*
 * T26 domain_score_success: per domain × score band (≥ 85, [70, 85),
 * [60, 70), < 60): national share among P rows with a score and a domain.
 */
SRDI_TABLE_FN(T26)
{
    const srdi_dataset *d = ctx->d;
    const srdi_reference *ref = d->ref;
    double b_hi = srdi_params_num(ctx->params, "scores", "band_high", 85);
    double b_mid = srdi_params_num(ctx->params, "scores", "band_mid", 70);
    double b_lo = srdi_params_num(ctx->params, "scores", "band_low", 60);
    int *dom = NULL;
    double *score = NULL, *cnt = NULL, *nat = NULL;
    srdi_buf ptxt = {0};
    srdi_table *t = NULL;
    srdi_status st = SRDI_OK;
    *out = NULL;

    size_t nd = ref->n_domain_names;
    cnt = calloc(nd * 4 + 1, sizeof *cnt);
    nat = calloc(nd * 4 + 1, sizeof *nat);
    if (!cnt || !nat) goto oom;
    t = new_table("T26", "domain_score_success", "专精特新企业分领域科创力评分区间国家级占比", "领域评分");
    if (!t) goto oom;
    char keys[4][32], labels[4][48];
    snprintf(keys[0], sizeof keys[0], ">=%g", b_hi);
    snprintf(keys[1], sizeof keys[1], "%g-%g", b_mid, b_hi);
    snprintf(keys[2], sizeof keys[2], "%g-%g", b_lo, b_mid);
    snprintf(keys[3], sizeof keys[3], "<%g", b_lo);
    snprintf(labels[0], sizeof labels[0], "≥%g分", b_hi);
    snprintf(labels[1], sizeof labels[1], "%g—%g分", b_mid, b_hi);
    snprintf(labels[2], sizeof labels[2], "%g—%g分", b_lo, b_mid);
    snprintf(labels[3], sizeof labels[3], "<%g分", b_lo);
    for (int b = 0; b < 4; b++)
        if (srdi_table_add_col(t, keys[b], labels[b], SRDI_COL_SHARE, "", 1) < 0) goto oom;
    if (row_domains(d, &dom) != SRDI_OK || enterprise_scores(ctx, &score, &ptxt) != SRDI_OK) goto oom;

    long long used = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i) || isnan(score[i]) || dom[i] < 0) continue;
        double s = score[i];
        int b = s >= b_hi ? 0 : s >= b_mid ? 1 : s >= b_lo ? 2 : 3;
        cnt[(size_t)dom[i] * 4 + (size_t)b]++;
        if (is_nat(ctx, i)) nat[(size_t)dom[i] * 4 + (size_t)b]++;
        used++;
    }
    for (size_t k = 0; k < nd; k++) {
        int r = srdi_table_add_row(t, ref->domain_names[k], ref->domain_names[k]);
        if (r < 0) goto oom;
        for (int b = 0; b < 4; b++)
            srdi_table_set_num(t, r, b, srdi_div(nat[k * 4 + (size_t)b], cnt[k * 4 + (size_t)b]));
    }
    t->n = used;
    srdi_table_set_params(t, "%s; band_high=%g; band_mid=%g; band_low=%g", ptxt.data ? ptxt.data : "",
                          b_hi, b_mid, b_lo);
    srdi_table_set_note(t, "数值为各评分区间内国家级企业占比");
    *out = t;
    t = NULL;
    goto cleanup;
oom:
    st = nomem("T26");
cleanup:
    srdi_table_free(t);
    srdi_buf_free(&ptxt);
    free(dom);
    free(score);
    free(cnt);
    free(nat);
    return st;
}

/* ================================================================== T27 */

static const srdi_field HONORS[10] = {
    SRDI_F_HON_LITTLE_GIANT, SRDI_F_HON_HIGH_TECH, SRDI_F_HON_TECH_CENTER, SRDI_F_HON_TECH_SME,
    SRDI_F_HON_CHAMPION, SRDI_F_HON_ENG_CENTER, SRDI_F_HON_GAZELLE, SRDI_F_HON_UNICORN,
    SRDI_F_HON_GREEN_FACTORY, SRDI_F_HON_CNAS};

/*
 * T27 honor_matrix: per honor: rate = holders / P rows with the value
 * (hon_little_giant = 1 for every national row); lift = national share
 * among holders / national share of all of P; quadrant by rate ≥ 0.5 and
 * lift ≥ 1.5.
 */
SRDI_TABLE_FN(T27)
{
    const srdi_dataset *d = ctx->d;
    double rcut = srdi_params_num(ctx->params, "t27", "rate_cut", 0.5);
    double lcut = srdi_params_num(ctx->params, "t27", "lift_cut", 1.5);
    srdi_table *t = NULL;
    *out = NULL;

    t = new_table("T27", "honor_matrix", "荣誉资质品牌力矩阵", "荣誉矩阵");
    if (!t) return nomem("T27");
    if (srdi_table_add_col(t, "rate", "持有率", SRDI_COL_SHARE, "", -1) < 0 ||
        srdi_table_add_col(t, "lift", "价值贡献度（提升度）", SRDI_COL_RATIO, "", 2) < 0 ||
        srdi_table_add_col(t, "quadrant", "象限", SRDI_COL_TEXT, "", -1) < 0) {
        srdi_table_free(t);
        return nomem("T27");
    }
    long long pn = 0, pnat = 0;
    for (size_t i = 0; i < d->n; i++) {
        pn += srdi_in_P(ctx, i);
        pnat += srdi_in_P(ctx, i) && is_nat(ctx, i);
    }
    double p_share = srdi_div((double)pnat, (double)pn);
    for (int k = 0; k < 10; k++) {
        srdi_field f = HONORS[k];
        double rows = 0, hold = 0, hold_nat = 0;
        for (size_t i = 0; i < d->n; i++) {
            double v;
            if (!srdi_in_P(ctx, i)) continue;
            int nat = is_nat(ctx, i);
            if (f == SRDI_F_HON_LITTLE_GIANT && nat) v = 1;
            else if (!srdi_get(d, f, i, &v)) continue;
            rows++;
            if (v != 0) {
                hold++;
                hold_nat += nat;
            }
        }
        const srdi_field_info *fi = srdi_field_get(f);
        int r = srdi_table_add_row(t, fi->name, fi->zh);
        if (r < 0) {
            srdi_table_free(t);
            return nomem("T27");
        }
        double rate = srdi_div(hold, rows);
        double lift = srdi_div(srdi_div(hold_nat, hold), p_share);
        srdi_table_set_num(t, r, 0, rate);
        srdi_table_set_num(t, r, 1, lift);
        if (isfinite(rate) && isfinite(lift)) {
            const char *q = rate >= rcut ? (lift >= lcut ? "high_rate_high_lift" : "high_rate_low_lift")
                                         : (lift >= lcut ? "low_rate_high_lift" : "low_rate_low_lift");
            srdi_table_set_text(t, r, 2, q);
        } else {
            srdi_table_set_null(t, r, 2);
        }
    }
    t->n = pn;
    srdi_table_set_params(t, "rate_cut=%g; lift_cut=%g", rcut, lcut);
    srdi_table_set_note(t, "提升度 = 持有企业中国家级占比 / 全部企业国家级占比");
    *out = t;
    return SRDI_OK;
}

/* ============================================================ T28 / T29 */

/* One T28 indicator: a field, or a derived value (grant rate, std sum). */
typedef enum { T28_FIELD, T28_GRANT_RATE, T28_STD_LOCAL_INDUSTRY } t28_kind;
typedef struct t28_ind {
    t28_kind    kind;
    srdi_field  f;
    const char *label;
} t28_ind;

static const t28_ind T28_INDS[] = {
    {T28_FIELD, SRDI_F_PATENTS_TOTAL, "专利总量（件）"},
    {T28_FIELD, SRDI_F_INVENTION_APPS, "发明专利申请量（件）"},
    {T28_FIELD, SRDI_F_PCT_APPS, "PCT申请量（件）"},
    {T28_FIELD, SRDI_F_FOREIGN_PATENTS, "涉外专利量（件）"},
    {T28_FIELD, SRDI_F_INVENTION_GRANTS, "发明授权量（件）"},
    {T28_GRANT_RATE, SRDI_F_COUNT, "发明专利授权率"},
    {T28_FIELD, SRDI_F_HIGH_VALUE_INVENTIONS, "有效高价值发明专利量（件）"},
    {T28_FIELD, SRDI_F_CITATIONS_AVG, "发明专利被引用平均次数（次）"},
    {T28_FIELD, SRDI_F_AWARDED_PATENTS, "获奖发明专利（件）"},
    {T28_FIELD, SRDI_F_STANDARD_PATENTS, "标准发明专利（件）"},
    {T28_FIELD, SRDI_F_STAFF, "参保人数（人）"},
    {T28_FIELD, SRDI_F_INVENTORS, "专利发明人数量（人）"},
    {T28_FIELD, SRDI_F_COOP_PATENTS, "高校科研院所合作专利量（件）"},
    {T28_FIELD, SRDI_F_REG_CAPITAL, "注册资本（万元）"},
    {T28_FIELD, SRDI_F_PLEDGED_PATENTS, "质押融资专利数量（件）"},
    {T28_FIELD, SRDI_F_LICENSED_PATENTS, "许可专利数量（件）"},
    {T28_FIELD, SRDI_F_LITIGATED_PATENTS, "诉讼维权专利数量（件）"},
    {T28_FIELD, SRDI_F_STD_NATIONAL, "企业参标情况（国标）（个）"},
    {T28_STD_LOCAL_INDUSTRY, SRDI_F_COUNT, "企业参标情况（地标/行标）（个）"},
    {T28_FIELD, SRDI_F_STD_GROUP, "企业参标情况（团标）（个）"},
    {T28_FIELD, SRDI_F_SOFTWARE_COPYRIGHTS, "软件著作权（件）"},
    {T28_FIELD, SRDI_F_DIGITAL_PATENTS, "有效数字化技术专利（件）"},
};
#define T28_N (sizeof T28_INDS / sizeof T28_INDS[0])

/*
 * Mean of indicator @p ind over in-scope rows of @p level.  Grant rate is
 * Σ grants / Σ (grants + rejected) over rows with both; the standards sum
 * is null for a row missing either part.
 */
static double t28_mean(const srdi_tctx *ctx, const t28_ind *ind, srdi_level level)
{
    const srdi_dataset *d = ctx->d;
    double sum = 0, sum2 = 0, n = 0;
    for (size_t i = 0; i < d->n; i++) {
        double a, b;
        if (!srdi_in_scope(ctx, i) || d->level[i] != level) continue;
        switch (ind->kind) {
        case T28_FIELD:
            if (!srdi_get(d, ind->f, i, &a)) continue;
            sum += a;
            break;
        case T28_GRANT_RATE:
            if (!srdi_get(d, SRDI_F_INVENTION_GRANTS, i, &a) || !srdi_get(d, SRDI_F_INVENTION_REJECTED, i, &b))
                continue;
            sum += a;
            sum2 += a + b;
            break;
        case T28_STD_LOCAL_INDUSTRY:
            if (!srdi_get(d, SRDI_F_STD_LOCAL, i, &a) || !srdi_get(d, SRDI_F_STD_INDUSTRY, i, &b)) continue;
            sum += a + b;
            break;
        }
        n++;
    }
    if (ind->kind == T28_GRANT_RATE) return srdi_div(sum, sum2);
    return srdi_div(sum, n);
}

/* Row key of a T28 indicator. */
static const char *t28_key(const t28_ind *ind)
{
    if (ind->kind == T28_GRANT_RATE) return "grant_rate";
    if (ind->kind == T28_STD_LOCAL_INDUSTRY) return "std_local_industry";
    return srdi_field_get(ind->f)->name;
}

/* Number of in-scope rows of a level. */
static long long level_count(const srdi_tctx *ctx, srdi_level level)
{
    long long n = 0;
    for (size_t i = 0; i < ctx->d->n; i++)
        n += srdi_in_scope(ctx, i) && ctx->d->level[i] == level;
    return n;
}

/*
 * T28 champion_gap: means of 22 indicators for national vs champion rows;
 * multiple = champion / national.
 */
SRDI_TABLE_FN(T28)
{
    srdi_table *t = new_table("T28", "champion_gap", "专精特新“小巨人”企业与单项冠军企业核心指标差异", "冠军对标");
    *out = NULL;
    if (!t) return nomem("T28");
    if (srdi_table_add_col(t, "national_mean", "国家级“小巨人”均值", SRDI_COL_NUMBER, "", 2) < 0 ||
        srdi_table_add_col(t, "champion_mean", "单项冠军均值", SRDI_COL_NUMBER, "", 2) < 0 ||
        srdi_table_add_col(t, "multiple", "倍数", SRDI_COL_MULTIPLE, "", 1) < 0)
        goto oom;
    for (size_t k = 0; k < T28_N; k++) {
        int r = srdi_table_add_row(t, t28_key(&T28_INDS[k]), T28_INDS[k].label);
        if (r < 0) goto oom;
        double mn = t28_mean(ctx, &T28_INDS[k], SRDI_LEVEL_NATIONAL);
        double mc = t28_mean(ctx, &T28_INDS[k], SRDI_LEVEL_CHAMPION);
        srdi_table_set_num(t, r, 0, mn);
        srdi_table_set_num(t, r, 1, mc);
        srdi_table_set_num(t, r, 2, srdi_div(mc, mn));
        if (T28_INDS[k].kind == T28_GRANT_RATE) {   /* a rate: shown as a percentage */
            srdi_table_set_cell_type(t, r, 0, SRDI_COL_SHARE);
            srdi_table_set_cell_type(t, r, 1, SRDI_COL_SHARE);
        }
    }
    t->n = level_count(ctx, SRDI_LEVEL_NATIONAL) + level_count(ctx, SRDI_LEVEL_CHAMPION);
    srdi_table_set_params(t, "statistic=mean; grant_rate=sum(grants)/sum(grants+rejected)");
    srdi_table_set_note(t, "倍数 = 单项冠军均值 / 国家级均值；授权率 = Σ授权 / Σ(授权 + 驳回)");
    *out = t;
    return SRDI_OK;
oom:
    srdi_table_free(t);
    return nomem("T28");
}

/*
 * T29 champion_radar: the five dimensions of T23 on T28's means: score =
 * national mean / champion mean × 100.
 */
SRDI_TABLE_FN(T29)
{
    srdi_table *t = new_table("T29", "champion_radar", "“小巨人”及“单项冠军”科创力五维对比", "冠军雷达");
    *out = NULL;
    if (!t) return nomem("T29");
    if (srdi_table_add_col(t, "score", "“小巨人”得分（单项冠军=100）", SRDI_COL_SCORE, "", 1) < 0) goto oom;
    for (int k = 0; k < 5; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s（%s）", DIMS[k].key, DIMS[k].ind);
        int r = srdi_table_add_row(t, DIMS[k].key, label);
        if (r < 0) goto oom;
        t28_ind ind = {T28_FIELD, DIMS[k].f, ""};
        double mn = t28_mean(ctx, &ind, SRDI_LEVEL_NATIONAL);
        double mc = t28_mean(ctx, &ind, SRDI_LEVEL_CHAMPION);
        srdi_table_set_num(t, r, 0, srdi_div(mn, mc) * 100);
    }
    t->n = level_count(ctx, SRDI_LEVEL_NATIONAL) + level_count(ctx, SRDI_LEVEL_CHAMPION);
    srdi_table_set_params(t, "score=national mean / champion mean × 100");
    *out = t;
    return SRDI_OK;
oom:
    srdi_table_free(t);
    return nomem("T29");
}

/* ============================================================ patents */

/* Does fact @p f belong to the tables (in scope, national-level enterprise)? */
static int fact_visible(const srdi_tctx *ctx, const srdi_pfact *f)
{
    return f->ent < ctx->d->n && srdi_in_scope(ctx, f->ent) && ctx->d->level[f->ent] == SRDI_LEVEL_NATIONAL;
}

/* Window [max − k + 1, max] from a parameter "years" of section @p sec. */
static void window(const srdi_tctx *ctx, const char *sec, double def, int max, int *lo, int *k)
{
    double kk = srdi_params_num(ctx->params, sec, "years", def);
    if (!(kk >= 1)) kk = 1;
    if (kk > 100) kk = 100;
    *k = (int)kk;
    *lo = max - *k + 1;
}

/* Number of window years to list: none when no patent row has that year column. */
static int window_rows(int max, int k)
{
    return max > 0 ? k : 0;
}

/* Title "<lo>—<hi>年" + text, or text alone when there is no year. */
static void window_title(char *buf, size_t size, int lo, int hi, const char *text)
{
    if (hi > 0) snprintf(buf, size, "%d—%d年%s", lo, hi, text);
    else snprintf(buf, size, "%s", text);
}

/*
 * Shared body of T30 / T33 / T35: count facts of @p kind in the window by
 * key (UINT32_MAX = empty, left out), rank by count desc / key asc, list
 * the top @p top_n (0 = all) with share of the total, then a total row.
 */
static srdi_status keyed_ranking(const srdi_tctx *ctx, srdi_table *t, srdi_pfact_kind kind, int lo, int hi,
                                 size_t top_n, srdi_status (*label_of)(const char *key, char *buf, size_t size))
{
    const srdi_patents *p = &ctx->d->patents;
    uint32_t nk = p->keys ? srdi_strpool_count(p->keys) : 0;
    double *cnt = calloc(nk ? nk : 1, sizeof *cnt);
    bucket *b = calloc(nk ? nk : 1, sizeof *b);
    srdi_status st = SRDI_OK;
    if (!cnt || !b) {
        st = SRDI_ERR_NOMEM;
        goto cleanup;
    }
    double total = 0;
    for (size_t i = 0; i < p->n_facts; i++) {
        const srdi_pfact *f = &p->facts[i];
        if (f->kind != kind || f->year < lo || f->year > hi || f->key >= nk || !fact_visible(ctx, f)) continue;
        cnt[f->key] += f->count;
        total += f->count;
    }
    size_t nb = 0;
    for (uint32_t k = 0; k < nk; k++) {
        if (cnt[k] <= 0) continue;
        b[nb].key = srdi_strpool_get(p->keys, k);
        b[nb].code = -1;
        b[nb].count = cnt[k];
        nb++;
    }
    qsort(b, nb, sizeof *b, cmp_bucket_count);
    if (top_n && nb > top_n) nb = top_n;
    for (size_t j = 0; j < nb; j++) {
        char label[128];
        label_of(b[j].key, label, sizeof label);
        int r = srdi_table_add_row(t, b[j].key, label);
        if (r < 0) {
            st = SRDI_ERR_NOMEM;
            goto cleanup;
        }
        srdi_table_set_num(t, r, 0, b[j].count);
        srdi_table_set_num(t, r, 1, srdi_div(b[j].count, total));
    }
    int r = srdi_table_add_row(t, "total", "合计");
    if (r < 0) {
        st = SRDI_ERR_NOMEM;
        goto cleanup;
    }
    srdi_table_set_num(t, r, 0, total);
    t->n = (long long)total;
cleanup:
    free(cnt);
    free(b);
    return st;
}

/* Label = key (field labels, IPC subclasses). */
static srdi_status label_plain(const char *key, char *buf, size_t size)
{
    snprintf(buf, size, "%s", key);
    return SRDI_OK;
}

/* Label of a patent office code: "US 美国". */
static srdi_status label_office(const char *key, char *buf, size_t size)
{
    static const char *const map[][2] = {
        {"WO", "PCT国际申请"}, {"US", "美国"}, {"EP", "欧洲专利局"}, {"JP", "日本"}, {"KR", "韩国"},
        {"TW", "中国台湾"}, {"HK", "中国香港"}, {"MO", "中国澳门"}, {"DE", "德国"}, {"GB", "英国"},
        {"FR", "法国"}, {"AU", "澳大利亚"}, {"CA", "加拿大"}, {"IN", "印度"}, {"RU", "俄罗斯"},
        {"BR", "巴西"}, {"SG", "新加坡"}, {"CN", "中国"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], key) == 0) {
            snprintf(buf, size, "%s %s", key, map[i][1]);
            return SRDI_OK;
        }
    snprintf(buf, size, "%s", key);
    return SRDI_OK;
}

/* Add the count/share columns of a keyed ranking table. */
static int add_count_share(srdi_table *t, const char *count_label)
{
    return srdi_table_add_col(t, "count", count_label, SRDI_COL_COUNT, "件", -1) >= 0 &&
           srdi_table_add_col(t, "share", "占比", SRDI_COL_SHARE, "", -1) >= 0;
}

/*
 * T30 patent_fields: invention patents granted in the last 3 grant years,
 * by field label; share of the facts with a field; top 10 and total.
 */
SRDI_TABLE_FN(T30)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_grant_year : 0, lo, k;
    window(ctx, "t30", 3, max, &lo, &k);
    double top = srdi_params_num(ctx->params, "t30", "top_n", 10);
    char title[160];
    window_title(title, sizeof title, lo, max, "“小巨人”企业发明专利重点产业领域分布");
    srdi_table *t = new_table("T30", "patent_fields", title, "专利领域");
    *out = NULL;
    if (!t) return nomem("T30");
    if (!add_count_share(t, "授权发明专利数")) goto oom;
    srdi_table_set_params(t, "years=%d; top_n=%g", k, top);
    if (!d->has_patents) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    if (keyed_ranking(ctx, t, SRDI_PF_GRANT, lo, max, top >= 1 ? (size_t)top : 0, label_plain) != SRDI_OK) goto oom;
    srdi_table_set_note(t, "按授权年统计 %d—%d 年授权的发明专利；占比不含未标注产业领域的专利", lo, max);
    *out = t;
    return SRDI_OK;
oom:
    srdi_table_free(t);
    return nomem("T30");
}

/*
 * T31 patent_trend: for each of the last 3 application years, invention
 * applications (app_year) and grants (grant_year = that year) divided by
 * the number of in-scope national-level enterprises.
 */
SRDI_TABLE_FN(T31)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_app_year : 0, lo, k;
    window(ctx, "t31", 3, max, &lo, &k);
    char title[160];
    window_title(title, sizeof title, lo, max, "“小巨人”企业发明专利平均申请量及授权量趋势");
    srdi_table *t = new_table("T31", "patent_trend", title, "专利趋势");
    double *apps = NULL, *grants = NULL;
    *out = NULL;
    if (!t) return nomem("T31");
    if (srdi_table_add_col(t, "applications_per_enterprise", "平均申请量", SRDI_COL_NUMBER, "件", 2) < 0 ||
        srdi_table_add_col(t, "grants_per_enterprise", "平均授权量", SRDI_COL_NUMBER, "件", 2) < 0)
        goto oom;
    srdi_table_set_params(t, "years=%d", k);
    if (!d->has_patents) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    apps = calloc((size_t)k + 1, sizeof *apps);
    grants = calloc((size_t)k + 1, sizeof *grants);
    if (!apps || !grants) goto oom;
    for (size_t i = 0; i < d->patents.n_facts; i++) {
        const srdi_pfact *f = &d->patents.facts[i];
        if (f->year < lo || f->year > max || !fact_visible(ctx, f)) continue;
        if (f->kind == SRDI_PF_APP) apps[f->year - lo] += f->count;
        else if (f->kind == SRDI_PF_GRANT) grants[f->year - lo] += f->count;
    }
    long long nn = level_count(ctx, SRDI_LEVEL_NATIONAL);
    for (int y = 0; y < window_rows(max, k); y++) {
        char key[16];
        snprintf(key, sizeof key, "%d", lo + y);
        int r = srdi_table_add_row(t, key, key);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, srdi_div(apps[y], (double)nn));
        srdi_table_set_num(t, r, 1, srdi_div(grants[y], (double)nn));
    }
    t->n = nn;
    srdi_table_set_note(t, "分母为全部国家级企业 %lld 家（含无专利企业）", nn);
    free(apps);
    free(grants);
    *out = t;
    return SRDI_OK;
oom:
    free(apps);
    free(grants);
    srdi_table_free(t);
    return nomem("T31");
}

/*
 * T32 grant_rate_trend: last 6 application years: granted / (granted +
 * rejected) among decided invention applications; n = decided.
 */
SRDI_TABLE_FN(T32)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_app_year : 0, lo, k;
    window(ctx, "t32", 6, max, &lo, &k);
    char title[160];
    window_title(title, sizeof title, lo, max, "“小巨人”企业发明专利授权率趋势");
    srdi_table *t = new_table("T32", "grant_rate_trend", title, "授权率趋势");
    double *gr = NULL, *dec = NULL;
    *out = NULL;
    if (!t) return nomem("T32");
    if (srdi_table_add_col(t, "rate", "授权率", SRDI_COL_SHARE, "", -1) < 0 ||
        srdi_table_add_col(t, "n", "已审结申请数", SRDI_COL_COUNT, "件", -1) < 0)
        goto oom;
    srdi_table_set_params(t, "years=%d", k);
    if (!d->has_patents) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    gr = calloc((size_t)k + 1, sizeof *gr);
    dec = calloc((size_t)k + 1, sizeof *dec);
    if (!gr || !dec) goto oom;
    double total = 0;
    for (size_t i = 0; i < d->patents.n_facts; i++) {
        const srdi_pfact *f = &d->patents.facts[i];
        if (f->kind != SRDI_PF_DECIDED || f->year < lo || f->year > max || !fact_visible(ctx, f)) continue;
        dec[f->year - lo] += f->count;
        if (f->key == 1) gr[f->year - lo] += f->count;
        total += f->count;
    }
    for (int y = 0; y < window_rows(max, k); y++) {
        char key[16];
        snprintf(key, sizeof key, "%d", lo + y);
        int r = srdi_table_add_row(t, key, key);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, srdi_div(gr[y], dec[y]));
        srdi_table_set_num(t, r, 1, dec[y]);
    }
    t->n = (long long)total;
    srdi_table_set_note(t, "授权率 = 授权 / (授权 + 驳回)，按申请年统计已审结的发明专利申请");
    free(gr);
    free(dec);
    *out = t;
    return SRDI_OK;
oom:
    free(gr);
    free(dec);
    srdi_table_free(t);
    return nomem("T32");
}

/*
 * T33 ipc_top: IPC subclasses of invention applications in the last 3
 * application years: count, share of the applications with an IPC, top 10
 * and total.
 */
SRDI_TABLE_FN(T33)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_app_year : 0, lo, k;
    window(ctx, "t33", 3, max, &lo, &k);
    double top = srdi_params_num(ctx->params, "t33", "top_n", 10);
    char title[160];
    window_title(title, sizeof title, lo, max, "“小巨人”企业发明专利主IPC分类号分布");
    srdi_table *t = new_table("T33", "ipc_top", title, "IPC分布");
    *out = NULL;
    if (!t) return nomem("T33");
    if (!add_count_share(t, "发明专利申请数")) goto oom;
    srdi_table_set_params(t, "years=%d; top_n=%g", k, top);
    if (!d->has_patents) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    if (keyed_ranking(ctx, t, SRDI_PF_IPC, lo, max, top >= 1 ? (size_t)top : 0, label_plain) != SRDI_OK) goto oom;
    srdi_table_set_note(t, "IPC 小类 = 主分类号去空格后前 4 位；占比不含无 IPC 的申请");
    *out = t;
    return SRDI_OK;
oom:
    srdi_table_free(t);
    return nomem("T33");
}

/*
 * T34 foreign_trend: last 6 publication years: foreign invention filings
 * (office ≠ CN) and the number of distinct applicant enterprises.
 */
SRDI_TABLE_FN(T34)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_pub_year : 0, lo, k;
    window(ctx, "t34", 6, max, &lo, &k);
    char title[160];
    window_title(title, sizeof title, lo, max, "“小巨人”企业涉外发明专利及申请人公开趋势");
    srdi_table *t = new_table("T34", "foreign_trend", title, "涉外专利趋势");
    double *cnt = NULL, *appl = NULL;
    uint8_t *seen = NULL;
    *out = NULL;
    if (!t) return nomem("T34");
    if (srdi_table_add_col(t, "count", "涉外发明专利公开量", SRDI_COL_COUNT, "件", -1) < 0 ||
        srdi_table_add_col(t, "applicants", "申请人数", SRDI_COL_COUNT, "家", -1) < 0)
        goto oom;
    srdi_table_set_params(t, "years=%d", k);
    if (!d->has_patents) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    cnt = calloc((size_t)k + 1, sizeof *cnt);
    appl = calloc((size_t)k + 1, sizeof *appl);
    /* one byte per (enterprise, window year): has this pair been counted? */
    seen = calloc((d->n ? d->n : 1) * ((size_t)k + 1), 1);
    if (!cnt || !appl || !seen) goto oom;
    double total = 0;
    for (size_t i = 0; i < d->patents.n_facts; i++) {
        const srdi_pfact *f = &d->patents.facts[i];
        if (f->kind != SRDI_PF_FOREIGN || f->year < lo || f->year > max || !fact_visible(ctx, f)) continue;
        int y = f->year - lo;
        cnt[y] += f->count;
        total += f->count;
        uint8_t *s = &seen[(size_t)f->ent * (size_t)k + (size_t)y];
        if (!*s) {
            *s = 1;
            appl[y]++;
        }
    }
    for (int y = 0; y < window_rows(max, k); y++) {
        char key[16];
        snprintf(key, sizeof key, "%d", lo + y);
        int r = srdi_table_add_row(t, key, key);
        if (r < 0) goto oom;
        srdi_table_set_num(t, r, 0, cnt[y]);
        srdi_table_set_num(t, r, 1, appl[y]);
    }
    t->n = (long long)total;
    srdi_table_set_note(t, "涉外 = 受理局非 CN 的发明专利，按公开年统计");
    free(cnt);
    free(appl);
    free(seen);
    *out = t;
    return SRDI_OK;
oom:
    free(cnt);
    free(appl);
    free(seen);
    srdi_table_free(t);
    return nomem("T34");
}

/*
 * T35 foreign_offices: last 3 publication years, foreign invention filings
 * by office: count, share; every office, then total.
 */
SRDI_TABLE_FN(T35)
{
    const srdi_dataset *d = ctx->d;
    int max = d->has_patents ? d->patents.max_pub_year : 0, lo, k;
    window(ctx, "t35", 3, max, &lo, &k);
    char title[160];
    window_title(title, sizeof title, lo, max, "“小巨人”企业涉外发明专利主要布局地区分布");
    srdi_table *t = new_table("T35", "foreign_offices", title, "涉外布局");
    *out = NULL;
    if (!t) return nomem("T35");
    if (!add_count_share(t, "涉外发明专利数")) goto oom;
    srdi_table_set_params(t, "years=%d", k);
    if (!d->has_patents) {
        t->no_data = true;
        *out = t;
        return SRDI_OK;
    }
    if (keyed_ranking(ctx, t, SRDI_PF_FOREIGN, lo, max, 0, label_office) != SRDI_OK) goto oom;
    srdi_table_set_note(t, "按公开年统计 %d—%d 年公开的涉外发明专利", lo, max);
    *out = t;
    return SRDI_OK;
oom:
    srdi_table_free(t);
    return nomem("T35");
}
