/*
 * src/tables/finance.c — T09–T11 and T22: the financial tables (revenue
 * growth, R&D ratio by year, R&D benchmarks of the latest year, R&D bands).
 *
 * Parameters read (section, key, default):
 *   t10  rd_min 0, rd_max 0.30       the "reasonable range" of the R&D ratio
 *   t11  rd_min 0, rd_max 0.30       same filter for the latest-year benchmarks
 *   t22  band_high 0.25, band_mid 0.15   R&D ratio bands [high, ∞), [mid, high), (−∞, mid)
 *
 * Interpretations of docs/tables.md where it leaves room:
 *   - The latest financial year is srdi_dataset_latest_fin_year: the largest
 *     year of any accepted financials row (all levels, whatever the scope),
 *     like the patent windows, which are also file-level.
 *   - T22 counts every defined latest-year ratio (no range filter).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* Per-year, per-level value vectors over the years of financials.csv. */
typedef struct yearvecs {
    int y0, ny;       /* first year, number of years */
    srdi_vec (*v)[2]; /* [ny][2]: 0 national, 1 provincial (from the builder's scratch) */
} yearvecs;

/* Vectors (from @p s) for every year between the min and max financial year. */
static srdi_status yearvecs_init(yearvecs *yv, const srdi_dataset *d, tk_scratch *s)
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
    yv->v = (srdi_vec(*)[2])tk_vecs(s, 2 * (size_t)yv->ny);
    if (!yv->v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory for %d financial years", yv->ny);
    return SRDI_OK;
}

/*
 * One row per year with values: per level (national, provincial) the
 * median (T09) or with @p mean the mean (T10), each followed by its n; with
 * @p mean also the n of both levels in column 4.  SRDI_OK or SRDI_ERR_NOMEM.
 */
static srdi_status year_rows(srdi_table *t, yearvecs *yv, bool mean)
{
    for (int y = 0; y < yv->ny; y++) {
        srdi_vec *lv = yv->v[y];
        if (lv[0].n + lv[1].n == 0) continue;
        int r;
        if (tk_year_row(t, yv->y0 + y, &r) != SRDI_OK)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding year %d to %s", yv->y0 + y, t->id);
        for (int li = 0; li < 2; li++) {
            srdi_table_set_num(t, r, 2 * li, mean ? srdi_mean(lv[li].v, lv[li].n) : srdi_median(lv[li].v, lv[li].n));
            srdi_table_set_num(t, r, 2 * li + 1, (double)lv[li].n);
        }
        if (mean) srdi_table_set_num(t, r, 4, (double)(lv[0].n + lv[1].n));
    }
    return SRDI_OK;
}

/* A financials row with (enterprise, year) packed into one sort key. */
typedef struct finkey {
    unsigned long long key; /* ent << 17 | (year + 32768) */
    size_t k;
} finkey;

static int finkey_cmp(const void *a, const void *b)
{
    const finkey *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Band index of an R&D ratio: 0 = [high, ∞), 1 = [mid, high), 2 = below mid. */
static int rd_band(double r, double high, double mid)
{
    return r >= high ? 0 : r >= mid ? 1 : 2;
}

/*
 * T09 revenue_growth: growth for year y = revenue(y) / revenue(y−1) − 1 when
 * both years exist for the enterprise and revenue(y−1) > 0; median and n per
 * level for every year where some P enterprise has a growth value.
 */
SRDI_TABLE_FN(T09)
{
    yearvecs yv;
    if (tk_no_financials(d, t)) return SRDI_OK;
    TK_TRY(yearvecs_init(&yv, d, s));
    finkey *fk = tk_zalloc(s, d->n_fin, sizeof *fk);
    uint8_t *seen = tk_zalloc(s, d->n, 1);
    if (!fk || !seen) TK_NOMEM();
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
        TK_TRY(srdi_vec_push(&yv.v[y][tk_lv_idx(d, e)], g));
        if (!seen[e]) {
            seen[e] = 1;
            used++;
        }
    }
    TK_TRY(year_rows(t, &yv, false));
    t->n = used;
    srdi_table_set_params(t, "growth=revenue(y)/revenue(y-1)-1, revenue(y-1)>0");
    return SRDI_OK;
}

/*
 * T10 rd_ratio_by_year: per year, mean R&D ratio by level over ratios in
 * [rd_min, rd_max]; n per level and n = national n + provincial n; only
 * years with at least one filtered ratio.
 */
SRDI_TABLE_FN(T10)
{
    yearvecs yv;
    double lo = srdi_params_num(ctx->params, "t10", "rd_min", 0.0);
    double hi = srdi_params_num(ctx->params, "t10", "rd_max", 0.30);
    srdi_table_set_params(t, "rd_min=%g; rd_max=%g", lo, hi);
    if (tk_no_financials(d, t)) return SRDI_OK;
    TK_TRY(yearvecs_init(&yv, d, s));
    uint8_t *seen = tk_zalloc(s, d->n, 1);
    if (!seen) TK_NOMEM();
    long long used = 0;
    for (size_t k = 0; k < d->n_fin; k++) {
        size_t e = d->fin_ent[k];
        double r;
        if (e >= d->n || !srdi_in_P(ctx, e) || !tk_rd_ratio(d, k, &r)) continue;
        if (r < lo || r > hi) continue;
        TK_TRY(srdi_vec_push(&yv.v[d->fin_year[k] - yv.y0][tk_lv_idx(d, e)], r));
        if (!seen[e]) {
            seen[e] = 1;
            used++;
        }
    }
    TK_TRY(year_rows(t, &yv, true));
    t->n = used;
    return SRDI_OK;
}

/*
 * T11 rd_benchmarks: latest financial year, ratios in [rd_min, rd_max]:
 * mean, P50, P75, P90 and n by level; gap_pp row for the four statistics.
 */
SRDI_TABLE_FN(T11)
{
    srdi_vec *v = tk_vecs(s, 2);
    double lo = srdi_params_num(ctx->params, "t11", "rd_min", 0.0);
    double hi = srdi_params_num(ctx->params, "t11", "rd_max", 0.30);
    if (!v) TK_NOMEM();
    if (!d->has_financials) {
        srdi_table_set_params(t, "rd_min=%g; rd_max=%g", lo, hi);
        tk_no_financials(d, t);
        return SRDI_OK;
    }
    int year = srdi_dataset_latest_fin_year(d);
    srdi_table_set_params(t, "year=%d; rd_min=%g; rd_max=%g", year, lo, hi);
    for (size_t k = 0; k < d->n_fin; k++) {
        size_t e = d->fin_ent[k];
        double r;
        if (d->fin_year[k] != year || e >= d->n || !srdi_in_P(ctx, e) || !tk_rd_ratio(d, k, &r)) continue;
        if (r < lo || r > hi) continue;
        TK_TRY(srdi_vec_push(&v[tk_lv_idx(d, e)], r));
    }
    double stat[2][4];
    for (int li = 0; li < 2; li++) {
        stat[li][0] = srdi_mean(v[li].v, v[li].n);
        stat[li][1] = srdi_percentile(v[li].v, v[li].n, 50);
        stat[li][2] = srdi_percentile_sorted(v[li].v, v[li].n, 75);
        stat[li][3] = srdi_percentile_sorted(v[li].v, v[li].n, 90);
        int r;
        TK_TRY(tk_level_row(t, li, &r));
        for (int c = 0; c < 4; c++) srdi_table_set_num(t, r, c, stat[li][c]);
        srdi_table_set_num(t, r, 4, (double)v[li].n);
    }
    int r;
    TK_ROW(r, t, "gap_pp", "差距（百分点）");
    for (int c = 0; c < 4; c++) {
        srdi_table_set_num(t, r, c, tk_gap_pp(stat[0][c], stat[1][c]));
        srdi_table_set_cell_type(t, r, c, SRDI_COL_PP);
    }
    if (year > 0) srdi_table_set_note(t, "以%d年数据为基准（筛选%g%%—%g%%合理范围）", year, lo * 100, hi * 100);
    t->n = (long long)(v[0].n + v[1].n);
    return SRDI_OK;
}

/*
 * T22 rd_bands: P rows with a latest-year R&D ratio (no range filter), by
 * band ≥ 25%, 15–25%, < 15%: count, share, median patents_total, median
 * invention_grants, national share; total row with count.
 */
SRDI_TABLE_FN(T22)
{
    double high = srdi_params_num(ctx->params, "t22", "band_high", 0.25);
    double mid = srdi_params_num(ctx->params, "t22", "band_mid", 0.15);
    double *ratio = NULL;
    srdi_vec *tmp = tk_vecs(s, 1);
    int year = 0;

    char k0[32], k1[32], k2[32], l0[64], l1[64], l2[64];
    snprintf(k0, sizeof k0, ">=%g%%", high * 100);
    snprintf(k1, sizeof k1, "%g-%g%%", mid * 100, high * 100);
    snprintf(k2, sizeof k2, "<%g%%", mid * 100);
    snprintf(l0, sizeof l0, "≥%g%%（高强度）", high * 100);
    snprintf(l1, sizeof l1, "%g%%—%g%%（中等强度）", mid * 100, high * 100);
    snprintf(l2, sizeof l2, "<%g%%（低强度）", mid * 100);

    srdi_table_set_params(t, "band_high=%g; band_mid=%g", high, mid);
    if (!d->has_financials) {
        t->no_data = true;
        return SRDI_OK;
    }
    if (!tmp || tk_latest_ratios(ctx, s, &ratio, &year) != SRDI_OK) TK_NOMEM();

    double cnt[3] = {0}, nat[3] = {0}, total = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i) || isnan(ratio[i])) continue;
        int b = rd_band(ratio[i], high, mid);
        cnt[b]++;
        total++;
        if (tk_is_nat(ctx, i)) nat[b]++;
    }
    const char *keys[3] = {k0, k1, k2}, *labels[3] = {l0, l1, l2};
    for (int b = 0; b < 3; b++) {
        int r;
        TK_ROW(r, t, keys[b], labels[b]);
        tk_count_share(t, r, 0, cnt[b], total);
        const srdi_field fs[2] = {SRDI_F_PATENTS_TOTAL, SRDI_F_INVENTION_GRANTS};
        for (int j = 0; j < 2; j++) {
            srdi_vec_clear(tmp);
            for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
                double v;
                if (!srdi_in_P(ctx, i) || isnan(ratio[i]) || rd_band(ratio[i], high, mid) != b) continue;
                if (!srdi_get(d, fs[j], i, &v)) continue;
                if (srdi_vec_push(tmp, v) != SRDI_OK) TK_NOMEM();
            }
            srdi_table_set_num(t, r, 2 + j, srdi_median(tmp->v, tmp->n));
        }
        srdi_table_set_num(t, r, 4, srdi_div(nat[b], cnt[b]));
    }
    int r;
    TK_TRY(tk_total_row(t, (double)total, &r));
    if (year > 0) srdi_table_set_note(t, "%d年研发费用占营业收入比重（全部有效比值）", year);
    return SRDI_OK;
}
