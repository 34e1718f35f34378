/*
 * src/tables/t01_t17.c — tables T01–T17 of TABLES.md (levels, size, honors,
 * standards, tech evaluation, financials, quadrants, regions, industries).
 *
 * Parameters read (section, key, default) — every one through
 * srdi_params_num so a bureau can change it in params.ini:
 *   t02  capital_threshold   10000   reg_capital ≥ this (万元) counts as "large"
 *   t03  band_1 … band_5      50, 100, 200, 500, 1000   upper edges of staff bands
 *                                     (bands ≤ band_1, (band_1, band_2] …, > band_5)
 *   t10  rd_min 0, rd_max 0.30       the "reasonable range" of the R&D ratio
 *   t11  rd_min 0, rd_max 0.30       same filter for the latest-year benchmarks
 *   t12  staff_threshold     100     high scale = staff > this
 *   t12  patents_threshold   50      high innovation = patents_total > this
 *   t13  top_n_documents     10      documents only; the table lists every province
 *   t15  top_n               10      divisions (大类) of P shown in the heat map
 *   t16  top_n_documents     20      documents only; the table lists every city
 *   t17  top_n_documents     12      documents only; the table lists every division
 *
 * Interpretations of TABLES.md where it leaves room (also in the report to
 * the lead):
 *   - T02 column key stays "share_ge_10000" whatever capital_threshold is (the
 *     key is part of the values.csv contract and of template placeholders);
 *     its label shows the threshold in use.
 *   - T03 band keys are built from the band edges ("0-50", "51-100", …, ">1000").
 *   - T09–T11: the latest financial year is the largest year of any accepted
 *     financials row (all levels, regardless of scope), like the patent
 *     windows, which are also file-level.
 *   - T12 shares use the classified rows (staff and patents_total present) as
 *     denominator; the total row carries their count.
 *   - T13/T16/T17 list every province / city / division present in P (those
 *     with no enterprise are not listed).
 *   - T15 ties in the top-N break by ascending division code; a cluster with
 *     no P enterprise gives null cells.
 *   - Tables record as n the number of P rows that entered their statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/stats.h"
#include "tables_private.h"

/* ================================================================ helpers */

#define SRC_LINE "资料来源：srdi-report 根据企业数据库计算"
#define SRC_LINE_FIN "资料来源：srdi-report 根据企业财务数据计算"

/* Level order of the level rows: national first, then provincial. */
static const srdi_level lv_order[2] = {SRDI_LEVEL_NATIONAL, SRDI_LEVEL_PROVINCIAL};

/* Column specification for add_cols. */
typedef struct colspec {
    const char  *key;
    const char  *label;
    srdi_coltype type;
    const char  *unit;
    int          dec;
} colspec;

/* New table with the standard source line; NULL on OOM. */
static srdi_table *tab_new(const char *id, const char *name, const char *title, const char *sheet, const char *src)
{
    srdi_table *t = srdi_table_new(id, name, title, sheet);
    if (t) srdi_table_set_source(t, src);
    return t;
}

/* Add the n columns of c; SRDI_ERR_NOMEM (recorded) on failure. */
static srdi_status add_cols(srdi_table *t, const colspec *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (srdi_table_add_col(t, c[i].key, c[i].label, c[i].type, c[i].unit ? c[i].unit : "", c[i].dec) < 0)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding column %s to %s", c[i].key, t->id);
    return SRDI_OK;
}

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* Add a row or jump to the function's nomem label. */
#define ADD_ROW(var, t, key, label) do { (var) = srdi_table_add_row((t), (key), (label)); \
    if ((var) < 0) goto nomem; } while (0)

/* Index 0 = national, 1 = provincial for a P row (callers exclude champions). */
static int lv_idx(const srdi_dataset *d, size_t row)
{
    return d->level[row] == SRDI_LEVEL_NATIONAL ? 0 : 1;
}

/* Row label of a level row. */
static const char *lv_label(int li)
{
    return li == 0 ? "国家级专精特新“小巨人”企业" : "省级专精特新企业";
}

/* Share as count / total, NAN for an empty total. */
static double share(double count, double total)
{
    return srdi_div(count, total);
}

/* pp difference (national − provincial) × 100; NAN if either is NAN. */
static double gap_pp(double nat, double prov)
{
    return (nat - prov) * 100.0;
}

/* Predicate data for P rows of one level. */
typedef struct lvpred {
    const srdi_tctx *ctx;
    srdi_level       level;
} lvpred;

static int keep_P_level(const srdi_dataset *d, size_t row, const void *ud)
{
    const lvpred *p = ud;
    return srdi_in_P(p->ctx, row) && d->level[row] == p->level;
}

/* Collect present values of f over P rows of @p level into v (cleared first). */
static srdi_status collect_level(const srdi_tctx *ctx, srdi_field f, srdi_level level, srdi_vec *v)
{
    lvpred p = {ctx, level};
    srdi_vec_clear(v);
    return srdi_collect(ctx->d, f, keep_P_level, &p, v);
}

/* Honor value with the rule "hon_little_giant counts as 1 for every national row". */
static int get_honor(const srdi_dataset *d, srdi_field f, size_t row, double *v)
{
    if (f == SRDI_F_HON_LITTLE_GIANT && d->level[row] == SRDI_LEVEL_NATIONAL) {
        *v = 1.0;
        return 1;
    }
    return srdi_get(d, f, row, v);
}

/* Standards sum std_national + std_industry + std_local + std_group; returns 0 (null) when any part is missing. */
static int std_sum(const srdi_dataset *d, size_t row, double *s)
{
    double a, b, c, e;
    if (!srdi_get(d, SRDI_F_STD_NATIONAL, row, &a) || !srdi_get(d, SRDI_F_STD_INDUSTRY, row, &b) ||
        !srdi_get(d, SRDI_F_STD_LOCAL, row, &c) || !srdi_get(d, SRDI_F_STD_GROUP, row, &e))
        return 0;
    *s = a + b + c + e;
    return 1;
}

/* Division number 0..99 from the 4-digit class code, or -1. */
static int division_of(const srdi_dataset *d, size_t row)
{
    const char *c = d->industry[row];
    if (c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9') return -1;
    return (c[0] - '0') * 10 + (c[1] - '0');
}

/* "39 计算机、通信和其他电子设备制造业" into buf (code alone when unknown). */
static void division_label(const srdi_dataset *d, const char *code, char *buf, size_t size)
{
    const srdi_industry *ind = d->ref ? srdi_reference_industry(d->ref, code) : NULL;
    if (ind && ind->name)
        snprintf(buf, size, "%s %s", code, ind->name);
    else
        snprintf(buf, size, "%s", code);
}

/* Format a number without trailing zeros for keys and labels ("50", "0.3"). */
static void fmt_num(char *buf, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%g", v);
}

/* An index paired with a count, for sorting by count desc then key asc. */
typedef struct keyed {
    const char *key;
    long long   count;
    int         idx;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Count of P rows (in scope, not champion). */
static long long count_P(const srdi_tctx *ctx, long long *nat)
{
    long long n = 0, k = 0;
    for (size_t i = 0; i < ctx->d->n; i++) {
        if (!srdi_in_P(ctx, i)) continue;
        n++;
        if (ctx->d->level[i] == SRDI_LEVEL_NATIONAL) k++;
    }
    if (nat) *nat = k;
    return n;
}

/* ==================================================================== T01 */

/*
 * T01 tier_share: count and share of P by level, plus the total.
 */
SRDI_TABLE_FN(T01)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_table *t = tab_new("T01", "tier_share", "国家级与省级专精特新企业数量及占比", "层级分布", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"count", "企业数量", SRDI_COL_COUNT, "家", -1},
        {"share", "占比", SRDI_COL_SHARE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    long long nat = 0, total = count_P(ctx, &nat);
    double cnt[2] = {(double)nat, (double)(total - nat)};
    for (int li = 0; li < 2; li++) {
        int r;
        ADD_ROW(r, t, srdi_level_key(lv_order[li]), lv_label(li));
        srdi_table_set_num(t, r, 0, cnt[li]);
        srdi_table_set_num(t, r, 1, share(cnt[li], (double)total));
    }
    int r;
    ADD_ROW(r, t, "total", "合计");
    srdi_table_set_num(t, r, 0, (double)total);
    srdi_table_set_num(t, r, 1, share((double)total, (double)total));
    t->n = total;
    srdi_table_set_params(t, "population=national+provincial");
    (void)d;
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T01");
fail:
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T02 */

/*
 * T02 reg_capital: by level n, median, mean and share with reg_capital ≥
 * threshold (over rows with a value); multiple row (national / provincial of
 * median and mean) and gap_pp row (share difference × 100).
 */
SRDI_TABLE_FN(T02)
{
    srdi_status st = SRDI_OK;
    srdi_vec v = {0};
    double thr = srdi_params_num(ctx->params, "t02", "capital_threshold", 10000);
    char lab[96], thr_s[32];
    fmt_num(thr_s, sizeof thr_s, thr);
    snprintf(lab, sizeof lab, "注册资本≥%s万元占比", thr_s);

    srdi_table *t = tab_new("T02", "reg_capital", "国家级与省级企业注册资本规模及倍数关系", "注册资本", SRC_LINE);
    if (!t) goto nomem;
    colspec cols[] = {
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
        {"median", "注册资本中位数", SRDI_COL_AMOUNT, "万元", 0},
        {"mean", "平均注册资本", SRDI_COL_AMOUNT, "万元", 0},
        {"share_ge_10000", lab, SRDI_COL_SHARE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    double med[2], mean[2], sh[2];
    long long used = 0;
    for (int li = 0; li < 2; li++) {
        if ((st = collect_level(ctx, SRDI_F_REG_CAPITAL, lv_order[li], &v)) != SRDI_OK) goto fail;
        size_t ge = 0;
        for (size_t i = 0; i < v.n; i++)
            if (v.v[i] >= thr) ge++;
        mean[li] = srdi_mean(v.v, v.n);
        med[li] = srdi_median(v.v, v.n);
        sh[li] = share((double)ge, (double)v.n);
        used += (long long)v.n;
        int r;
        ADD_ROW(r, t, srdi_level_key(lv_order[li]), lv_label(li));
        srdi_table_set_num(t, r, 0, (double)v.n);
        srdi_table_set_num(t, r, 1, med[li]);
        srdi_table_set_num(t, r, 2, mean[li]);
        srdi_table_set_num(t, r, 3, sh[li]);
    }
    int r;
    ADD_ROW(r, t, "multiple", "倍数（国家级/省级）");
    srdi_table_set_num(t, r, 1, srdi_div(med[0], med[1]));
    srdi_table_set_num(t, r, 2, srdi_div(mean[0], mean[1]));
    srdi_table_set_cell_type(t, r, 1, SRDI_COL_MULTIPLE);
    srdi_table_set_cell_type(t, r, 2, SRDI_COL_MULTIPLE);
    ADD_ROW(r, t, "gap_pp", "差距（百分点）");
    srdi_table_set_num(t, r, 3, gap_pp(sh[0], sh[1]));
    srdi_table_set_cell_type(t, r, 3, SRDI_COL_PP);
    t->n = used;
    srdi_table_set_params(t, "capital_threshold=%s", thr_s);
    srdi_vec_free(&v);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T02");
fail:
    srdi_vec_free(&v);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T03 */

/*
 * T03 staff_bands: share of each level's rows (with staff) in the bands
 * ≤ e1, (e1, e2], …, > e5; gap_pp per band; median staff and n per level.
 */
SRDI_TABLE_FN(T03)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_vec v = {0};
    static const char *edge_keys[5] = {"band_1", "band_2", "band_3", "band_4", "band_5"};
    static const double edge_def[5] = {50, 100, 200, 500, 1000};
    double e[5];
    char es[5][32];
    for (int k = 0; k < 5; k++) {
        e[k] = srdi_params_num(ctx->params, "t03", edge_keys[k], edge_def[k]);
        fmt_num(es[k], sizeof es[k], e[k]);
    }

    srdi_table *t = tab_new("T03", "staff_bands", "国家级与省级企业参保人数分布", "用工规模", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"national_share", "国家级占比", SRDI_COL_SHARE, "", -1},
        {"provincial_share", "省级占比", SRDI_COL_SHARE, "", -1},
        {"gap_pp", "差异（百分点）", SRDI_COL_PP, "", -1},
        {"median", "参保人数中位数", SRDI_COL_AMOUNT, "人", 0},
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    long long band[2][6] = {{0}}, n[2] = {0, 0};
    for (size_t i = 0; i < d->n; i++) {
        double x;
        if (!srdi_in_P(ctx, i) || !srdi_get(d, SRDI_F_STAFF, i, &x)) continue;
        int li = lv_idx(d, i), b = 5;
        for (int k = 0; k < 5; k++)
            if (x <= e[k]) { b = k; break; }
        band[li][b]++;
        n[li]++;
    }
    for (int b = 0; b < 6; b++) {
        char key[80], label[96];
        if (b == 0) {
            snprintf(key, sizeof key, "0-%s", es[0]);
            snprintf(label, sizeof label, "0–%s人", es[0]);
        } else if (b < 5) {
            char lo[32];
            fmt_num(lo, sizeof lo, e[b - 1] + 1);
            snprintf(key, sizeof key, "%s-%s", lo, es[b]);
            snprintf(label, sizeof label, "%s–%s人", lo, es[b]);
        } else {
            snprintf(key, sizeof key, ">%s", es[4]);
            snprintf(label, sizeof label, "%s人以上", es[4]);
        }
        int r;
        ADD_ROW(r, t, key, label);
        double sn = share((double)band[0][b], (double)n[0]);
        double sp = share((double)band[1][b], (double)n[1]);
        srdi_table_set_num(t, r, 0, sn);
        srdi_table_set_num(t, r, 1, sp);
        srdi_table_set_num(t, r, 2, gap_pp(sn, sp));
    }
    for (int li = 0; li < 2; li++) {
        if ((st = collect_level(ctx, SRDI_F_STAFF, lv_order[li], &v)) != SRDI_OK) goto fail;
        int r;
        ADD_ROW(r, t, srdi_level_key(lv_order[li]), lv_label(li));
        srdi_table_set_num(t, r, 3, srdi_median(v.v, v.n));
        srdi_table_set_num(t, r, 4, (double)v.n);
    }
    t->n = n[0] + n[1];
    srdi_table_set_params(t, "band_1=%s; band_2=%s; band_3=%s; band_4=%s; band_5=%s", es[0], es[1], es[2], es[3], es[4]);
    srdi_vec_free(&v);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T03");
fail:
    srdi_vec_free(&v);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T04 */

/*
 * T04 honor_rates: for each honor column, holding rate (value > 0 among rows
 * with a value) by level, pp gap and multiple.  hon_little_giant is 1 for
 * every national row.
 */
SRDI_TABLE_FN(T04)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_table *t = tab_new("T04", "honor_rates", "国家级与省级企业荣誉资质持有率", "荣誉资质", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"national_rate", "国家级持有率", SRDI_COL_SHARE, "", -1},
        {"provincial_rate", "省级持有率", SRDI_COL_SHARE, "", -1},
        {"gap_pp", "差异（百分点）", SRDI_COL_PP, "", -1},
        {"multiple", "倍数", SRDI_COL_MULTIPLE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    long long pn = 0;
    for (size_t i = 0; i < d->n; i++)
        if (srdi_in_P(ctx, i)) pn++;
    for (int f = SRDI_F_HON_LITTLE_GIANT; f <= SRDI_F_HON_CNAS; f++) {
        long long hold[2] = {0, 0}, n[2] = {0, 0};
        for (size_t i = 0; i < d->n; i++) {
            double x;
            if (!srdi_in_P(ctx, i) || !get_honor(d, (srdi_field)f, i, &x)) continue;
            int li = lv_idx(d, i);
            n[li]++;
            if (x > 0) hold[li]++;
        }
        const srdi_field_info *fi = srdi_field_get((srdi_field)f);
        double rn = share((double)hold[0], (double)n[0]);
        double rp = share((double)hold[1], (double)n[1]);
        int r;
        ADD_ROW(r, t, fi->name, fi->zh);
        srdi_table_set_num(t, r, 0, rn);
        srdi_table_set_num(t, r, 1, rp);
        srdi_table_set_num(t, r, 2, gap_pp(rn, rp));
        srdi_table_set_num(t, r, 3, srdi_div(rn, rp));
    }
    t->n = pn;
    srdi_table_set_params(t, "hon_little_giant=1 for national rows");
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T04");
fail:
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T05 */

/*
 * T05 standards: by level and total, over rows whose standards sum is
 * defined: n, holding rate (sum > 0), mean of the sum among holders.
 */
SRDI_TABLE_FN(T05)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_table *t = tab_new("T05", "standards", "国家级与省级企业标准持有率及平均数量", "标准制定", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
        {"rate", "标准持有率", SRDI_COL_SHARE, "", -1},
        {"mean_among_holders", "持有企业平均标准数", SRDI_COL_AMOUNT, "项", 1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    /* index 0 national, 1 provincial, 2 total */
    long long n[3] = {0}, hold[3] = {0};
    double sum[3] = {0};
    for (size_t i = 0; i < d->n; i++) {
        double s;
        if (!srdi_in_P(ctx, i) || !std_sum(d, i, &s)) continue;
        int li = lv_idx(d, i);
        n[li]++;
        n[2]++;
        if (s > 0) {
            hold[li]++;
            hold[2]++;
            sum[li] += s;
            sum[2] += s;
        }
    }
    for (int k = 0; k < 3; k++) {
        int r;
        if (k < 2)
            ADD_ROW(r, t, srdi_level_key(lv_order[k]), lv_label(k));
        else
            ADD_ROW(r, t, "total", "总体");
        srdi_table_set_num(t, r, 0, (double)n[k]);
        srdi_table_set_num(t, r, 1, share((double)hold[k], (double)n[k]));
        srdi_table_set_num(t, r, 2, srdi_div(sum[k], (double)hold[k]));
    }
    t->n = n[2];
    srdi_table_set_params(t, "standards=std_national+std_industry+std_local+std_group");
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T05");
fail:
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T06 */

/*
 * T06 standards_outcomes: groups level × (standards sum > 0 or == 0; rows
 * with a null sum are in neither): medians of patents_total,
 * invention_grants and 综合成果 (patents_total + software_copyrights + sum,
 * null when a part is missing); n = rows in the group.
 */
SRDI_TABLE_FN(T06)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_vec v[4][3];
    memset(v, 0, sizeof v);
    long long n[4] = {0};
    srdi_table *t = tab_new("T06", "standards_outcomes", "企业层级与标准持有双维度创新成果对比", "标准与成果", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0},
        {"median_invention_grants", "发明授权中位数", SRDI_COL_AMOUNT, "件", 0},
        {"median_outcomes", "综合成果中位数", SRDI_COL_AMOUNT, "件", 0},
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    for (size_t i = 0; i < d->n; i++) {
        double s, pt, ig, sc;
        if (!srdi_in_P(ctx, i) || !std_sum(d, i, &s)) continue;
        int g = lv_idx(d, i) * 2 + (s > 0 ? 0 : 1);
        n[g]++;
        int has_pt = srdi_get(d, SRDI_F_PATENTS_TOTAL, i, &pt);
        if (has_pt && (st = srdi_vec_push(&v[g][0], pt)) != SRDI_OK) goto fail;
        if (srdi_get(d, SRDI_F_INVENTION_GRANTS, i, &ig) && (st = srdi_vec_push(&v[g][1], ig)) != SRDI_OK) goto fail;
        if (has_pt && srdi_get(d, SRDI_F_SOFTWARE_COPYRIGHTS, i, &sc) &&
            (st = srdi_vec_push(&v[g][2], pt + sc + s)) != SRDI_OK)
            goto fail;
    }
    static const char *keys[4] = {"national_with_std", "national_without_std", "provincial_with_std", "provincial_without_std"};
    static const char *labels[4] = {"国家级-有标准", "国家级-无标准", "省级-有标准", "省级-无标准"};
    for (int g = 0; g < 4; g++) {
        int r;
        ADD_ROW(r, t, keys[g], labels[g]);
        for (int k = 0; k < 3; k++) srdi_table_set_num(t, r, k, srdi_median(v[g][k].v, v[g][k].n));
        srdi_table_set_num(t, r, 3, (double)n[g]);
    }
    t->n = n[0] + n[1] + n[2] + n[3];
    srdi_table_set_params(t, "outcomes=patents_total+software_copyrights+standards");
    for (int g = 0; g < 4; g++)
        for (int k = 0; k < 3; k++) srdi_vec_free(&v[g][k]);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T06");
fail:
    for (int g = 0; g < 4; g++)
        for (int k = 0; k < 3; k++) srdi_vec_free(&v[g][k]);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T07 */

/*
 * T07 tech_eval: share of each of the four tech_eval values among all P rows
 * of a level (empty = none counts in the denominator); pp gap and multiple;
 * n per level.
 */
SRDI_TABLE_FN(T07)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_table *t = tab_new("T07", "tech_eval", "国家级与省级企业科技成果评价等级占比", "科技成果评价", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"national_share", "国家级占比", SRDI_COL_SHARE, "", -1},
        {"provincial_share", "省级占比", SRDI_COL_SHARE, "", -1},
        {"gap_pp", "差距（百分点）", SRDI_COL_PP, "", -1},
        {"multiple", "倍数", SRDI_COL_MULTIPLE, "", -1},
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    long long cnt[2][5] = {{0}}, n[2] = {0, 0};
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i)) continue;
        int li = lv_idx(d, i);
        n[li]++;
        unsigned te = d->tech_eval[i];
        if (te < 5) cnt[li][te]++;
    }
    for (int te = SRDI_TE_INTL_ADVANCED; te <= SRDI_TE_DOMESTIC_LEVEL; te++) {
        double sn = share((double)cnt[0][te], (double)n[0]);
        double sp = share((double)cnt[1][te], (double)n[1]);
        int r;
        ADD_ROW(r, t, srdi_tech_eval_key((srdi_tech_eval)te), srdi_tech_eval_label((srdi_tech_eval)te));
        srdi_table_set_num(t, r, 0, sn);
        srdi_table_set_num(t, r, 1, sp);
        srdi_table_set_num(t, r, 2, gap_pp(sn, sp));
        srdi_table_set_num(t, r, 3, srdi_div(sn, sp));
    }
    for (int li = 0; li < 2; li++) {
        int r;
        ADD_ROW(r, t, srdi_level_key(lv_order[li]), lv_label(li));
        srdi_table_set_num(t, r, 4, (double)n[li]);
    }
    t->n = n[0] + n[1];
    srdi_table_set_params(t, "empty tech_eval=none");
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T07");
fail:
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T08 */

/*
 * T08 tech_eval_grants: median invention_grants of rows with a tech_eval
 * value vs rows without, by level; relative gap = with / without − 1.
 */
SRDI_TABLE_FN(T08)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_vec v[2][2];
    memset(v, 0, sizeof v);
    srdi_table *t = tab_new("T08", "tech_eval_grants", "科技成果评价与发明授权数量对比", "成果评价与授权", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"with_eval_median", "有科技成果评价企业发明授权中位数", SRDI_COL_AMOUNT, "件", 0},
        {"without_eval_median", "无科技成果评价企业发明授权中位数", SRDI_COL_AMOUNT, "件", 0},
        {"relative_gap", "差距", SRDI_COL_SHARE, "", 0},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    for (size_t i = 0; i < d->n; i++) {
        double x;
        if (!srdi_in_P(ctx, i) || !srdi_get(d, SRDI_F_INVENTION_GRANTS, i, &x)) continue;
        int w = d->tech_eval[i] != SRDI_TE_NONE ? 0 : 1;
        if ((st = srdi_vec_push(&v[lv_idx(d, i)][w], x)) != SRDI_OK) goto fail;
    }
    long long used = 0;
    for (int li = 0; li < 2; li++) {
        used += (long long)(v[li][0].n + v[li][1].n);
        double mw = srdi_median(v[li][0].v, v[li][0].n);
        double mo = srdi_median(v[li][1].v, v[li][1].n);
        int r;
        ADD_ROW(r, t, srdi_level_key(lv_order[li]), lv_label(li));
        srdi_table_set_num(t, r, 0, mw);
        srdi_table_set_num(t, r, 1, mo);
        srdi_table_set_num(t, r, 2, srdi_div(mw, mo) - 1.0);
    }
    t->n = used;
    srdi_table_set_params(t, "relative_gap=with/without-1");
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) srdi_vec_free(&v[a][b]);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T08");
fail:
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) srdi_vec_free(&v[a][b]);
    srdi_table_free(t);
    return st;
}

/* ============================================================ financials */

/* Per-year, per-level value vectors over the years of financials.csv. */
typedef struct yearvecs {
    int       y0, ny;      /* first year, number of years */
    srdi_vec (*v)[2];      /* [ny][2]: 0 national, 1 provincial */
} yearvecs;

/* Allocate vectors for every year between the min and max financial year. */
static srdi_status yearvecs_init(yearvecs *yv, const srdi_dataset *d)
{
    memset(yv, 0, sizeof *yv);
    if (d->n_fin == 0) return SRDI_OK;
    int lo = d->fin_year[0], hi = d->fin_year[0];
    for (size_t k = 1; k < d->n_fin; k++) {
        if (d->fin_year[k] < lo) lo = d->fin_year[k];
        if (d->fin_year[k] > hi) hi = d->fin_year[k];
    }
    yv->y0 = lo;
    yv->ny = hi - lo + 1;
    yv->v = calloc((size_t)yv->ny, sizeof *yv->v);
    if (!yv->v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory for %d financial years", yv->ny);
    return SRDI_OK;
}

static void yearvecs_free(yearvecs *yv)
{
    for (int y = 0; y < yv->ny; y++) {
        srdi_vec_free(&yv->v[y][0]);
        srdi_vec_free(&yv->v[y][1]);
    }
    free(yv->v);
    yv->v = NULL;
    yv->ny = 0;
}

/* Latest financial year over every financials row (0 when none). */
static int latest_fin_year(const srdi_dataset *d)
{
    int m = 0;
    for (size_t k = 0; k < d->n_fin; k++)
        if (d->fin_year[k] > m) m = d->fin_year[k];
    return m;
}

/* R&D ratio of financials row k: rd / revenue when revenue > 0 and both present. */
static int rd_ratio(const srdi_dataset *d, size_t k, double *r)
{
    if (!d->fin_revenue.present[k] || !d->fin_rd.present[k]) return 0;
    double rev = d->fin_revenue.v[k];
    if (!(rev > 0)) return 0;
    *r = d->fin_rd.v[k] / rev;
    return 1;
}

/* A financials row with (enterprise, year) packed into one sort key. */
typedef struct finkey {
    unsigned long long key;   /* ent << 17 | (year + 32768) */
    size_t             k;
} finkey;

static int finkey_cmp(const void *a, const void *b)
{
    const finkey *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/*
 * T09 revenue_growth: growth for year y = revenue(y) / revenue(y−1) − 1 when
 * both years exist for the enterprise and revenue(y−1) > 0; median and n per
 * level for every year where some P enterprise has a growth value.
 */
SRDI_TABLE_FN(T09)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    finkey *fk = NULL;
    uint8_t *seen = NULL;
    yearvecs yv;
    memset(&yv, 0, sizeof yv);
    srdi_table *t = tab_new("T09", "revenue_growth", "国家级与省级企业营收增长率中位数", "营收增长", SRC_LINE_FIN);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"national_median", "国家级营收增长率中位数", SRDI_COL_SHARE, "", -1},
        {"national_n", "国家级样本数", SRDI_COL_COUNT, "家", -1},
        {"provincial_median", "省级营收增长率中位数", SRDI_COL_SHARE, "", -1},
        {"provincial_n", "省级样本数", SRDI_COL_COUNT, "家", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    if (!d->has_financials) {
        t->no_data = true;
        srdi_table_set_note(t, "未提供财务数据（financials.csv）");
        *out = t;
        return SRDI_OK;
    }
    if ((st = yearvecs_init(&yv, d)) != SRDI_OK) goto fail;
    fk = malloc((d->n_fin ? d->n_fin : 1) * sizeof *fk);
    seen = calloc(d->n ? d->n : 1, 1);
    if (!fk || !seen) goto nomem;
    size_t m = 0;
    for (size_t k = 0; k < d->n_fin; k++) {
        size_t e = d->fin_ent[k];
        if (e >= d->n || !srdi_in_P(ctx, e)) continue;
        fk[m].key = ((unsigned long long)e << 17) | (unsigned long long)(d->fin_year[k] + 32768);
        fk[m].k = k;
        m++;
    }
    qsort(fk, m, sizeof *fk, finkey_cmp);
    long long used = 0;
    for (size_t j = 1; j < m; j++) {
        size_t a = fk[j - 1].k, b = fk[j].k;
        if (d->fin_ent[a] != d->fin_ent[b] || d->fin_year[b] != d->fin_year[a] + 1) continue;
        if (!d->fin_revenue.present[a] || !d->fin_revenue.present[b]) continue;
        double prev = d->fin_revenue.v[a];
        if (!(prev > 0)) continue;
        double g = d->fin_revenue.v[b] / prev - 1.0;
        size_t e = d->fin_ent[b];
        int y = d->fin_year[b] - yv.y0;
        if ((st = srdi_vec_push(&yv.v[y][lv_idx(d, e)], g)) != SRDI_OK) goto fail;
        if (!seen[e]) { seen[e] = 1; used++; }
    }
    for (int y = 0; y < yv.ny; y++) {
        srdi_vec *nv = &yv.v[y][0], *pv = &yv.v[y][1];
        if (nv->n + pv->n == 0) continue;
        char key[16], label[24];
        snprintf(key, sizeof key, "%d", yv.y0 + y);
        snprintf(label, sizeof label, "%d年", yv.y0 + y);
        int r;
        ADD_ROW(r, t, key, label);
        srdi_table_set_num(t, r, 0, srdi_median(nv->v, nv->n));
        srdi_table_set_num(t, r, 1, (double)nv->n);
        srdi_table_set_num(t, r, 2, srdi_median(pv->v, pv->n));
        srdi_table_set_num(t, r, 3, (double)pv->n);
    }
    t->n = used;
    srdi_table_set_params(t, "growth=revenue(y)/revenue(y-1)-1, revenue(y-1)>0");
    free(fk);
    free(seen);
    yearvecs_free(&yv);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T09");
fail:
    free(fk);
    free(seen);
    yearvecs_free(&yv);
    srdi_table_free(t);
    return st;
}

/*
 * T10 rd_ratio_by_year: per year, mean R&D ratio by level over ratios in
 * [rd_min, rd_max]; n per level and n = national n + provincial n; only
 * years with at least one filtered ratio.
 */
SRDI_TABLE_FN(T10)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    uint8_t *seen = NULL;
    yearvecs yv;
    memset(&yv, 0, sizeof yv);
    double lo = srdi_params_num(ctx->params, "t10", "rd_min", 0.0);
    double hi = srdi_params_num(ctx->params, "t10", "rd_max", 0.30);
    srdi_table *t = tab_new("T10", "rd_ratio_by_year", "国家级与省级企业研发占比均值（分年度）", "研发占比趋势", SRC_LINE_FIN);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"national_mean", "国家级研发占比均值", SRDI_COL_SHARE, "", 1},
        {"national_n", "国家级样本数", SRDI_COL_COUNT, "家", -1},
        {"provincial_mean", "省级研发占比均值", SRDI_COL_SHARE, "", 1},
        {"provincial_n", "省级样本数", SRDI_COL_COUNT, "家", -1},
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    srdi_table_set_params(t, "rd_min=%g; rd_max=%g", lo, hi);
    if (!d->has_financials) {
        t->no_data = true;
        srdi_table_set_note(t, "未提供财务数据（financials.csv）");
        *out = t;
        return SRDI_OK;
    }
    if ((st = yearvecs_init(&yv, d)) != SRDI_OK) goto fail;
    seen = calloc(d->n ? d->n : 1, 1);
    if (!seen) goto nomem;
    long long used = 0;
    for (size_t k = 0; k < d->n_fin; k++) {
        size_t e = d->fin_ent[k];
        double r;
        if (e >= d->n || !srdi_in_P(ctx, e) || !rd_ratio(d, k, &r)) continue;
        if (r < lo || r > hi) continue;
        if ((st = srdi_vec_push(&yv.v[d->fin_year[k] - yv.y0][lv_idx(d, e)], r)) != SRDI_OK) goto fail;
        if (!seen[e]) { seen[e] = 1; used++; }
    }
    for (int y = 0; y < yv.ny; y++) {
        srdi_vec *nv = &yv.v[y][0], *pv = &yv.v[y][1];
        if (nv->n + pv->n == 0) continue;
        char key[16], label[24];
        snprintf(key, sizeof key, "%d", yv.y0 + y);
        snprintf(label, sizeof label, "%d年", yv.y0 + y);
        int r;
        ADD_ROW(r, t, key, label);
        srdi_table_set_num(t, r, 0, srdi_mean(nv->v, nv->n));
        srdi_table_set_num(t, r, 1, (double)nv->n);
        srdi_table_set_num(t, r, 2, srdi_mean(pv->v, pv->n));
        srdi_table_set_num(t, r, 3, (double)pv->n);
        srdi_table_set_num(t, r, 4, (double)(nv->n + pv->n));
    }
    t->n = used;
    free(seen);
    yearvecs_free(&yv);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T10");
fail:
    free(seen);
    yearvecs_free(&yv);
    srdi_table_free(t);
    return st;
}

/*
 * T11 rd_benchmarks: latest financial year, ratios in [rd_min, rd_max]:
 * mean, P50, P75, P90 and n by level; gap_pp row for the four statistics.
 */
SRDI_TABLE_FN(T11)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    srdi_vec v[2] = {{0}, {0}};
    double lo = srdi_params_num(ctx->params, "t11", "rd_min", 0.0);
    double hi = srdi_params_num(ctx->params, "t11", "rd_max", 0.30);
    srdi_table *t = tab_new("T11", "rd_benchmarks", "研发占比标杆体系（最新年度）", "研发标杆", SRC_LINE_FIN);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"mean", "均值", SRDI_COL_SHARE, "", 1},
        {"p50", "P50（中位数）", SRDI_COL_SHARE, "", 1},
        {"p75", "P75（前25%）", SRDI_COL_SHARE, "", 1},
        {"p90", "P90（前10%）", SRDI_COL_SHARE, "", 1},
        {"n", "样本数", SRDI_COL_COUNT, "家", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    if (!d->has_financials) {
        srdi_table_set_params(t, "rd_min=%g; rd_max=%g", lo, hi);
        t->no_data = true;
        srdi_table_set_note(t, "未提供财务数据（financials.csv）");
        *out = t;
        return SRDI_OK;
    }
    int year = latest_fin_year(d);
    srdi_table_set_params(t, "year=%d; rd_min=%g; rd_max=%g", year, lo, hi);
    for (size_t k = 0; k < d->n_fin; k++) {
        size_t e = d->fin_ent[k];
        double r;
        if (d->fin_year[k] != year || e >= d->n || !srdi_in_P(ctx, e) || !rd_ratio(d, k, &r)) continue;
        if (r < lo || r > hi) continue;
        if ((st = srdi_vec_push(&v[lv_idx(d, e)], r)) != SRDI_OK) goto fail;
    }
    double s[2][4];
    for (int li = 0; li < 2; li++) {
        s[li][0] = srdi_mean(v[li].v, v[li].n);
        s[li][1] = srdi_percentile(v[li].v, v[li].n, 50);
        s[li][2] = srdi_percentile_sorted(v[li].v, v[li].n, 75);
        s[li][3] = srdi_percentile_sorted(v[li].v, v[li].n, 90);
        int r;
        ADD_ROW(r, t, srdi_level_key(lv_order[li]), lv_label(li));
        for (int c = 0; c < 4; c++) srdi_table_set_num(t, r, c, s[li][c]);
        srdi_table_set_num(t, r, 4, (double)v[li].n);
    }
    int r;
    ADD_ROW(r, t, "gap_pp", "差距（百分点）");
    for (int c = 0; c < 4; c++) {
        srdi_table_set_num(t, r, c, gap_pp(s[0][c], s[1][c]));
        srdi_table_set_cell_type(t, r, c, SRDI_COL_PP);
    }
    if (year > 0) srdi_table_set_note(t, "以%d年数据为基准（筛选%g%%—%g%%合理范围）", year, lo * 100, hi * 100);
    t->n = (long long)(v[0].n + v[1].n);
    srdi_vec_free(&v[0]);
    srdi_vec_free(&v[1]);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T11");
fail:
    srdi_vec_free(&v[0]);
    srdi_vec_free(&v[1]);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T12 */

/*
 * T12 scale_innovation: quadrants by staff > staff_threshold and
 * patents_total > patents_threshold over P rows with both values: count,
 * share of the classified rows, national share inside the quadrant.
 */
SRDI_TABLE_FN(T12)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    double st_thr = srdi_params_num(ctx->params, "t12", "staff_threshold", 100);
    double pt_thr = srdi_params_num(ctx->params, "t12", "patents_threshold", 50);
    srdi_table *t = tab_new("T12", "scale_innovation", "专精特新企业“规模-创新”二维矩阵分布", "规模创新矩阵", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"count", "企业数量", SRDI_COL_COUNT, "家", -1},
        {"share", "占比", SRDI_COL_SHARE, "", 1},
        {"national_share", "国家级占比", SRDI_COL_SHARE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;

    /* quadrant index: 0 hh, 1 low scale high innov, 2 high scale low innov, 3 ll */
    long long cnt[4] = {0}, nat[4] = {0}, total = 0;
    for (size_t i = 0; i < d->n; i++) {
        double s, p;
        if (!srdi_in_P(ctx, i) || !srdi_get(d, SRDI_F_STAFF, i, &s) || !srdi_get(d, SRDI_F_PATENTS_TOTAL, i, &p))
            continue;
        int hs = s > st_thr, hi = p > pt_thr;
        int q = hi ? (hs ? 0 : 1) : (hs ? 2 : 3);
        cnt[q]++;
        if (d->level[i] == SRDI_LEVEL_NATIONAL) nat[q]++;
        total++;
    }
    static const char *keys[4] = {"high_scale_high_innovation", "low_scale_high_innovation",
                                  "high_scale_low_innovation", "low_scale_low_innovation"};
    static const char *labels[4] = {"高规模—高创新（头部企业）", "低规模—高创新（科技型初创）",
                                    "高规模—低创新（规模型企业）", "低规模—低创新（培育期企业）"};
    for (int q = 0; q < 4; q++) {
        int r;
        ADD_ROW(r, t, keys[q], labels[q]);
        srdi_table_set_num(t, r, 0, (double)cnt[q]);
        srdi_table_set_num(t, r, 1, share((double)cnt[q], (double)total));
        srdi_table_set_num(t, r, 2, share((double)nat[q], (double)cnt[q]));
    }
    int r;
    ADD_ROW(r, t, "total", "合计");
    srdi_table_set_num(t, r, 0, (double)total);
    t->n = total;
    char a[32], b[32];
    fmt_num(a, sizeof a, st_thr);
    fmt_num(b, sizeof b, pt_thr);
    srdi_table_set_params(t, "staff_threshold=%s; patents_threshold=%s", a, b);
    srdi_table_set_note(t, "高规模：参保人数>%s人；高创新：专利总量>%s件", a, b);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T12");
fail:
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T13 */

/*
 * T13 province_rank: every province with P enterprises, by count descending
 * (ties by ascending name): competition rank, count, share of P, national
 * share inside the province.  Always over the whole P (TABLES.md "Scope"):
 * a regional edition places its region among the others.
 */
SRDI_TABLE_FN(T13)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    long long *cnt = NULL, *nat = NULL;
    keyed *ks = NULL;
    double topn = srdi_params_num(ctx->params, "t13", "top_n_documents", 10);
    srdi_table *t = tab_new("T13", "province_rank", "专精特新企业省份分布及国家级占比", "省份分布", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"rank", "排名", SRDI_COL_YEAR, "", -1},
        {"count", "企业数量", SRDI_COL_COUNT, "家", -1},
        {"share", "全国占比", SRDI_COL_SHARE, "", -1},
        {"national_share", "国家级占比", SRDI_COL_SHARE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    size_t np = d->ref ? d->ref->n_provinces : 0;
    cnt = calloc(np + 1, sizeof *cnt);
    nat = calloc(np + 1, sizeof *nat);
    ks = calloc(np + 1, sizeof *ks);
    if (!cnt || !nat || !ks) goto nomem;
    long long total = 0;
    const srdi_tctx whole = srdi_whole(ctx);   /* over the whole P: places a region among the others */
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(&whole, i)) continue;
        total++;
        size_t p = d->province[i];
        if (p >= np) continue;
        cnt[p]++;
        if (d->level[i] == SRDI_LEVEL_NATIONAL) nat[p]++;
    }
    size_t m = 0;
    /* "lists every province": all of provinces.csv, those without enterprises
       with count 0 (ranked last together) and a null national share */
    for (size_t p = 0; p < np; p++) {
        ks[m].key = d->ref->provinces[p].name;
        ks[m].count = cnt[p];
        ks[m].idx = (int)p;
        m++;
    }
    qsort(ks, m, sizeof *ks, keyed_cmp);
    long long rank = 0;
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || ks[j].count != ks[j - 1].count) rank = (long long)j + 1;
        int r;
        ADD_ROW(r, t, ks[j].key, ks[j].key);
        srdi_table_set_num(t, r, 0, (double)rank);
        srdi_table_set_num(t, r, 1, (double)ks[j].count);
        srdi_table_set_num(t, r, 2, share((double)ks[j].count, (double)total));
        srdi_table_set_num(t, r, 3, share((double)nat[ks[j].idx], (double)ks[j].count));
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
    free(cnt);
    free(nat);
    free(ks);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T13");
fail:
    free(cnt);
    free(nat);
    free(ks);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T14 */

/* Cluster index (into ref->cluster_names) of each province, -1 for none.  Caller frees. */
static int *province_clusters(const srdi_reference *ref)
{
    int *pc = malloc((ref->n_provinces + 1) * sizeof *pc);
    if (!pc) return NULL;
    for (size_t p = 0; p < ref->n_provinces; p++) {
        pc[p] = -1;
        const char *c = ref->provinces[p].cluster;
        if (!c || !*c) continue;
        for (size_t k = 0; k < ref->n_cluster_names; k++)
            if (strcmp(ref->cluster_names[k], c) == 0) { pc[p] = (int)k; break; }
    }
    return pc;
}

/*
 * T14 clusters: for each cluster of provinces.csv (京津冀, 长三角, 珠三角):
 * count of P rows, share of P, national share inside the cluster.  Over the
 * whole P whatever the scope, as T13.
 */
SRDI_TABLE_FN(T14)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    int *pc = NULL;
    long long *cnt = NULL, *nat = NULL;
    srdi_table *t = tab_new("T14", "clusters", "三大城市群专精特新企业数量及国家级占比", "城市群", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"count", "企业数量", SRDI_COL_COUNT, "家", -1},
        {"share", "全国占比", SRDI_COL_SHARE, "", -1},
        {"national_share", "国家级占比", SRDI_COL_SHARE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    if (!d->ref) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "T14 needs reference data (provinces.csv clusters)");
        goto fail;
    }
    size_t nc = d->ref->n_cluster_names;
    pc = province_clusters(d->ref);
    cnt = calloc(nc + 1, sizeof *cnt);
    nat = calloc(nc + 1, sizeof *nat);
    if (!pc || !cnt || !nat) goto nomem;
    long long total = 0;
    const srdi_tctx whole = srdi_whole(ctx);   /* over the whole P, as T13 */
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(&whole, i)) continue;
        total++;
        size_t p = d->province[i];
        if (p >= d->ref->n_provinces || pc[p] < 0) continue;
        cnt[pc[p]]++;
        if (d->level[i] == SRDI_LEVEL_NATIONAL) nat[pc[p]]++;
    }
    for (size_t k = 0; k < nc; k++) {
        int r;
        ADD_ROW(r, t, d->ref->cluster_names[k], d->ref->cluster_names[k]);
        srdi_table_set_num(t, r, 0, (double)cnt[k]);
        srdi_table_set_num(t, r, 1, share((double)cnt[k], (double)total));
        srdi_table_set_num(t, r, 2, share((double)nat[k], (double)cnt[k]));
    }
    t->n = total;
    srdi_table_set_params(t, "clusters=provinces.csv");
    free(pc);
    free(cnt);
    free(nat);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T14");
fail:
    free(pc);
    free(cnt);
    free(nat);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T15 */

/* Count P rows per division (0..99) into cnt[100]; returns |P|. */
static long long division_counts(const srdi_tctx *ctx, long long cnt[100], long long nat[100])
{
    const srdi_dataset *d = ctx->d;
    long long total = 0;
    memset(cnt, 0, 100 * sizeof *cnt);
    if (nat) memset(nat, 0, 100 * sizeof *nat);
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i)) continue;
        total++;
        int dv = division_of(d, i);
        if (dv < 0) continue;
        cnt[dv]++;
        if (nat && d->level[i] == SRDI_LEVEL_NATIONAL) nat[dv]++;
    }
    return total;
}

/* Divisions with a count, sorted by count desc then code asc; codes[] holds the 2-digit keys. */
static size_t division_ranking(const long long cnt[100], keyed ks[100], char codes[100][3])
{
    size_t m = 0;
    for (int dv = 0; dv < 100; dv++) {
        codes[dv][0] = (char)('0' + dv / 10);
        codes[dv][1] = (char)('0' + dv % 10);
        codes[dv][2] = '\0';
        if (cnt[dv] == 0) continue;
        ks[m].key = codes[dv];
        ks[m].count = cnt[dv];
        ks[m].idx = dv;
        m++;
    }
    qsort(ks, m, sizeof *ks, keyed_cmp);
    return m;
}

/*
 * T15 cluster_industry: the top_n divisions of P by count × clusters: the
 * share of the cluster's P enterprises that are in the division.
 */
SRDI_TABLE_FN(T15)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    int *pc = NULL;
    long long (*cc)[100] = NULL;
    long long *ctot = NULL;
    double topn_d = srdi_params_num(ctx->params, "t15", "top_n", 10);
    size_t topn = topn_d > 0 ? (size_t)topn_d : 0;
    srdi_table *t = tab_new("T15", "cluster_industry", "TOP10 行业在三大城市群的分布", "城市群行业", SRC_LINE);
    if (!t) goto nomem;
    if (!d->ref) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "T15 needs reference data (provinces.csv clusters)");
        goto fail;
    }
    size_t nc = d->ref->n_cluster_names;
    for (size_t k = 0; k < nc; k++)
        if (srdi_table_add_col(t, d->ref->cluster_names[k], d->ref->cluster_names[k], SRDI_COL_SHARE, "", -1) < 0)
            goto nomem;
    pc = province_clusters(d->ref);
    cc = calloc(nc + 1, sizeof *cc);
    ctot = calloc(nc + 1, sizeof *ctot);
    if (!pc || !cc || !ctot) goto nomem;
    long long cnt[100];
    division_counts(ctx, cnt, NULL);
    long long used = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i)) continue;
        size_t p = d->province[i];
        if (p >= d->ref->n_provinces || pc[p] < 0) continue;
        ctot[pc[p]]++;
        used++;
        int dv = division_of(d, i);
        if (dv >= 0) cc[pc[p]][dv]++;
    }
    keyed ks[100];
    char codes[100][3];
    size_t m = division_ranking(cnt, ks, codes);
    if (m > topn) m = topn;
    for (size_t j = 0; j < m; j++) {
        char label[256];
        division_label(d, ks[j].key, label, sizeof label);
        int r;
        ADD_ROW(r, t, ks[j].key, label);
        for (size_t k = 0; k < nc; k++)
            srdi_table_set_num(t, r, (int)k, share((double)cc[k][ks[j].idx], (double)ctot[k]));
    }
    t->n = used;
    srdi_table_set_params(t, "top_n=%zu", topn);
    free(pc);
    free(cc);
    free(ctot);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T15");
fail:
    free(pc);
    free(cc);
    free(ctot);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T16 */

/* (city, patents_total) pair for per-city medians. */
typedef struct citycell {
    uint32_t city;
    double   v;
} citycell;

static int citycell_cmp(const void *a, const void *b)
{
    const citycell *x = a, *y = b;
    if (x->city != y->city) return x->city < y->city ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/*
 * T16 city_rank: every city with P enterprises by count descending (ties by
 * ascending name): count, share of P, median patents_total of its P rows
 * with a value.
 */
SRDI_TABLE_FN(T16)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    long long *cnt = NULL;
    keyed *ks = NULL;
    citycell *cv = NULL;
    size_t *start = NULL, *len = NULL;
    double topn = srdi_params_num(ctx->params, "t16", "top_n_documents", 20);
    srdi_table *t = tab_new("T16", "city_rank", "专精特新企业城市分布及专利总量中位数", "城市分布", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"count", "企业数量", SRDI_COL_COUNT, "家", -1},
        {"share", "全国占比", SRDI_COL_SHARE, "", -1},
        {"median_patents", "专利总量中位数", SRDI_COL_AMOUNT, "件", 0},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    size_t ncity = d->cities ? srdi_strpool_count(d->cities) : 0;
    cnt = calloc(ncity + 1, sizeof *cnt);
    ks = calloc(ncity + 1, sizeof *ks);
    cv = malloc((d->n + 1) * sizeof *cv);
    start = calloc(ncity + 1, sizeof *start);
    len = calloc(ncity + 1, sizeof *len);
    if (!cnt || !ks || !cv || !start || !len) goto nomem;
    long long total = 0;
    size_t ncv = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!srdi_in_P(ctx, i)) continue;
        total++;
        uint32_t c = d->city[i];
        if (c >= ncity) continue;
        cnt[c]++;
        double p;
        if (srdi_get(d, SRDI_F_PATENTS_TOTAL, i, &p)) {
            cv[ncv].city = c;
            cv[ncv].v = p;
            ncv++;
        }
    }
    qsort(cv, ncv, sizeof *cv, citycell_cmp);
    for (size_t j = 0; j < ncv; j++) {
        if (len[cv[j].city] == 0) start[cv[j].city] = j;
        len[cv[j].city]++;
    }
    size_t m = 0;
    for (size_t c = 0; c < ncity; c++) {
        if (cnt[c] == 0) continue;
        ks[m].key = srdi_strpool_get(d->cities, (uint32_t)c);
        ks[m].count = cnt[c];
        ks[m].idx = (int)c;
        m++;
    }
    qsort(ks, m, sizeof *ks, keyed_cmp);
    for (size_t j = 0; j < m; j++) {
        size_t c = (size_t)ks[j].idx;
        int r;
        ADD_ROW(r, t, ks[j].key, ks[j].key);
        srdi_table_set_num(t, r, 0, (double)ks[j].count);
        srdi_table_set_num(t, r, 1, share((double)ks[j].count, (double)total));
        /* values of one city are contiguous and ascending: median directly */
        double med = NAN;
        size_t n = len[c];
        if (n > 0) {
            const citycell *b = cv + start[c];
            med = n % 2 ? b[n / 2].v : (b[n / 2 - 1].v + b[n / 2].v) / 2.0;
        }
        srdi_table_set_num(t, r, 2, med);
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
    free(cnt);
    free(ks);
    free(cv);
    free(start);
    free(len);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T16");
fail:
    free(cnt);
    free(ks);
    free(cv);
    free(start);
    free(len);
    srdi_table_free(t);
    return st;
}

/* ==================================================================== T17 */

/*
 * T17 division_rank: every division (大类) with P enterprises by count
 * descending (ties by ascending code): count and share of P.
 */
SRDI_TABLE_FN(T17)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    double topn = srdi_params_num(ctx->params, "t17", "top_n_documents", 12);
    srdi_table *t = tab_new("T17", "division_rank", "专精特新企业行业大类分布", "行业分布", SRC_LINE);
    if (!t) goto nomem;
    static const colspec cols[] = {
        {"count", "企业数量", SRDI_COL_COUNT, "家", -1},
        {"share", "占比", SRDI_COL_SHARE, "", -1},
    };
    if ((st = add_cols(t, cols, NCOLS(cols))) != SRDI_OK) goto fail;
    long long cnt[100];
    long long total = division_counts(ctx, cnt, NULL);
    keyed ks[100];
    char codes[100][3];
    size_t m = division_ranking(cnt, ks, codes);
    for (size_t j = 0; j < m; j++) {
        char label[256];
        division_label(d, ks[j].key, label, sizeof label);
        int r;
        ADD_ROW(r, t, ks[j].key, label);
        srdi_table_set_num(t, r, 0, (double)ks[j].count);
        srdi_table_set_num(t, r, 1, share((double)ks[j].count, (double)total));
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
    *out = t;
    return SRDI_OK;
nomem:
    st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory building T17");
fail:
    srdi_table_free(t);
    return st;
}
