/*
 * src/tables/levels.c — T01–T08: the national and provincial levels
 * compared (counts, registered capital, staff bands, honors, standards,
 * technology evaluation).
 *
 * Parameters read (section, key, default):
 *   t02  capital_threshold   10000   reg_capital ≥ this (万元) counts as "large"
 *   t03  band_1 … band_5      50, 100, 200, 500, 1000   upper edges of staff bands
 *                                     (bands ≤ band_1, (band_1, band_2] …, > band_5)
 *
 * Interpretations of docs/tables.md where it leaves room:
 *   - T02 column key stays "share_ge_10000" whatever capital_threshold is (the
 *     key is part of the values.csv contract and of template placeholders);
 *     its label shows the threshold in use.
 *   - T03 band keys are built from the band edges ("0-50", "51-100", …, ">1000").
 *   - Tables record as n the number of P rows that entered their statistics.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/*
 * T01 tier_share: count and share of P by level, plus the total.
 */
SRDI_TABLE_FN(T01)
{

    long long nat = 0, total = tk_count_P(ctx, &nat);
    double cnt[2] = {(double)nat, (double)(total - nat)};
    for (int li = 0; li < 2; li++) {
        int r;
        TK_TRY(tk_level_row(t, li, &r));
        srdi_table_set_num(t, r, 0, cnt[li]);
        srdi_table_set_num(t, r, 1, srdi_div(cnt[li], (double)total));
    }
    int r;
    TK_TRY(tk_total_row(t, (double)total, &r));
    srdi_table_set_num(t, r, 1, srdi_div((double)total, (double)total));
    srdi_table_set_params(t, "population=national+provincial");
    return SRDI_OK;
}

/*
 * T02 reg_capital: by level n, median, mean and share with reg_capital ≥
 * threshold (over rows with a value); multiple row (national / provincial of
 * median and mean) and gap_pp row (share difference × 100).
 */
SRDI_TABLE_FN(T02)
{
    srdi_vec *v = tk_vecs(s, 1);
    if (!v) TK_NOMEM();
    double thr = srdi_params_num(ctx->params, "t02", "capital_threshold", 10000);
    char lab[96], thr_s[32];
    tk_fmt_num(thr_s, sizeof thr_s, thr);
    char thr_g[48]; /* the label groups thousands like every printed number: ≥10,000万元 */
    srdi_number_format(thr, SRDI_COL_NUMBER, thr == floor(thr) ? 0 : 2, thr_g, sizeof thr_g);
    snprintf(lab, sizeof lab, "注册资本≥%s万元占比", thr_g);

    const tk_col share_col = {"share_ge_10000", lab, SRDI_COL_SHARE, "", -1}; /* its label names the threshold */
    TK_TRY(tk_add_cols(t, &share_col, 1));

    double med[2], mean[2], sh[2];
    long long used = 0;
    for (int li = 0; li < 2; li++) {
        TK_TRY(tk_collect_level(ctx, SRDI_F_REG_CAPITAL, tk_levels[li], v));
        size_t ge = 0;
        for (size_t i = 0; i < v->n; i++)
            if (v->v[i] >= thr) ge++;
        mean[li] = srdi_mean(v->v, v->n);
        med[li] = srdi_median(v->v, v->n);
        sh[li] = srdi_div((double)ge, (double)v->n);
        used += (long long)v->n;
        int r;
        TK_TRY(tk_level_row(t, li, &r));
        srdi_table_set_num(t, r, 0, (double)v->n);
        srdi_table_set_num(t, r, 1, med[li]);
        srdi_table_set_num(t, r, 2, mean[li]);
        srdi_table_set_num(t, r, 3, sh[li]);
    }
    int r;
    TK_ROW(r, t, "multiple", "倍数（国家级/省级）");
    srdi_table_set_num(t, r, 1, srdi_div(med[0], med[1]));
    srdi_table_set_num(t, r, 2, srdi_div(mean[0], mean[1]));
    srdi_table_set_cell_type(t, r, 1, SRDI_COL_MULTIPLE);
    srdi_table_set_cell_type(t, r, 2, SRDI_COL_MULTIPLE);
    TK_ROW(r, t, "gap_pp", "差距（百分点）");
    srdi_table_set_num(t, r, 3, tk_gap_pp(sh[0], sh[1]));
    srdi_table_set_cell_type(t, r, 3, SRDI_COL_PP);
    t->n = used;
    srdi_table_set_params(t, "capital_threshold=%s", thr_s);
    return SRDI_OK;
}

/*
 * T03 staff_bands: share of each level's rows (with staff) in the bands
 * ≤ e1, (e1, e2], …, > e5; gap_pp per band; median staff and n per level.
 */
SRDI_TABLE_FN(T03)
{
    srdi_vec *v = tk_vecs(s, 1);
    if (!v) TK_NOMEM();
    static const char *edge_keys[5] = {"band_1", "band_2", "band_3", "band_4", "band_5"};
    static const double edge_def[5] = {50, 100, 200, 500, 1000};
    double e[5];
    char es[5][32], eg[5][48]; /* key form (1000) and label form (1,000: grouped like every number) */
    for (int k = 0; k < 5; k++) {
        e[k] = srdi_params_num(ctx->params, "t03", edge_keys[k], edge_def[k]);
        tk_fmt_num(es[k], sizeof es[k], e[k]);
        srdi_number_format(e[k], SRDI_COL_NUMBER, e[k] == floor(e[k]) ? 0 : 2, eg[k], sizeof eg[k]);
    }

    long long band[2][6] = {{0}}, n[2] = {0, 0};
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        double x;
        if (!srdi_in_P(ctx, i) || !srdi_get(d, SRDI_F_STAFF, i, &x)) continue;
        int li = tk_lv_idx(d, i), b = 5;
        for (int k = 0; k < 5; k++)
            if (x <= e[k]) {
                b = k;
                break;
            }
        band[li][b]++;
        n[li]++;
    }
    for (int b = 0; b < 6; b++) {
        char key[256], label[256];
        if (b == 0) {
            snprintf(key, sizeof key, "0-%s", es[0]);
            snprintf(label, sizeof label, "0—%.47s人", eg[0]);
        } else if (b < 5) {
            char lo[32], lo_g[48];
            double l1 = e[b - 1] + 1;
            tk_fmt_num(lo, sizeof lo, l1);
            srdi_number_format(l1, SRDI_COL_NUMBER, l1 == floor(l1) ? 0 : 2, lo_g, sizeof lo_g);
            snprintf(key, sizeof key, "%s-%s", lo, es[b]);
            snprintf(label, sizeof label, "%.47s—%.47s人", lo_g, eg[b]);
        } else {
            snprintf(key, sizeof key, ">%s", es[4]);
            snprintf(label, sizeof label, "%.47s人以上", eg[4]);
        }
        int r;
        TK_TRY(tk_compare_row(t, key, label, srdi_div((double)band[0][b], (double)n[0]),
                              srdi_div((double)band[1][b], (double)n[1]), false, &r));
    }
    for (int li = 0; li < 2; li++) {
        TK_TRY(tk_collect_level(ctx, SRDI_F_STAFF, tk_levels[li], v));
        int r;
        TK_TRY(tk_level_row(t, li, &r));
        srdi_table_set_num(t, r, 3, srdi_median(v->v, v->n));
        srdi_table_set_num(t, r, 4, (double)v->n);
    }
    t->n = n[0] + n[1];
    srdi_table_set_params(t, "band_1=%s; band_2=%s; band_3=%s; band_4=%s; band_5=%s", es[0], es[1], es[2], es[3],
                          es[4]);
    return SRDI_OK;
}

/*
 * T04 honor_rates: for each honor column, holding rate (value > 0 among rows
 * with a value) by level, pp gap and multiple.  hon_little_giant is 1 for
 * every national row.
 */
SRDI_TABLE_FN(T04)
{

    long long pn = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
        if (srdi_in_P(ctx, i)) pn++;
    for (int f = SRDI_F_HON_LITTLE_GIANT; f <= SRDI_F_HON_CNAS; f++) {
        long long hold[2] = {0, 0}, n[2] = {0, 0};
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
            double x;
            if (!srdi_in_P(ctx, i) || !tk_honor(d, (srdi_field)f, i, &x)) continue;
            int li = tk_lv_idx(d, i);
            n[li]++;
            if (x > 0) hold[li]++;
        }
        const srdi_field_info *fi = srdi_field_get((srdi_field)f);
        int r;
        TK_TRY(tk_compare_row(t, fi->name, fi->zh, srdi_div((double)hold[0], (double)n[0]),
                              srdi_div((double)hold[1], (double)n[1]), true, &r));
    }
    t->n = pn;
    srdi_table_set_params(t, "hon_little_giant=1 for national rows");
    return SRDI_OK;
}

/*
 * T05 standards: by level and total, over rows whose standards sum is
 * defined: n, holding rate (sum > 0), mean of the sum among holders.
 */
SRDI_TABLE_FN(T05)
{

    /* index 0 national, 1 provincial, 2 total */
    long long n[3] = {0}, hold[3] = {0};
    double sum[3] = {0};
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        double std;
        if (!srdi_in_P(ctx, i) || !tk_std_sum(d, i, &std)) continue;
        int li = tk_lv_idx(d, i);
        n[li]++;
        n[2]++;
        if (std > 0) {
            hold[li]++;
            hold[2]++;
            sum[li] += std;
            sum[2] += std;
        }
    }
    for (int k = 0; k < 3; k++) {
        int r;
        if (k < 2)
            TK_ROW(r, t, srdi_level_key(tk_levels[k]), tk_lv_label(k));
        else
            TK_ROW(r, t, "total", "总体");
        srdi_table_set_num(t, r, 0, (double)n[k]);
        srdi_table_set_num(t, r, 1, srdi_div((double)hold[k], (double)n[k]));
        srdi_table_set_num(t, r, 2, srdi_div(sum[k], (double)hold[k]));
    }
    t->n = n[2];
    srdi_table_set_params(t, "standards=std_national+std_industry+std_local+std_group");
    return SRDI_OK;
}

/*
 * T06 standards_outcomes: groups level × (standards sum > 0 or == 0; rows
 * with a null sum are in neither): medians of patents_total,
 * invention_grants and 综合成果 (patents_total + software_copyrights + sum,
 * null when a part is missing); n = rows in the group.  The rows' groups are
 * found once, then one measure at a time is gathered (the four groups'
 * vectors, sized to the groups, reused): 9 bytes a row, not up to 48.
 */
SRDI_TABLE_FN(T06)
{
    srdi_vec *v = tk_vecs(s, 4);
    uint8_t *grp = tk_zalloc(s, d->n, 1); /* the row's group, 0xFF: none (not in P, or no standards sum) */
    if (!v || !grp) TK_NOMEM();
    long long n[4] = {0};
    memset(grp, 0xFF, d->n);
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        double std;
        if (!srdi_in_P(ctx, i) || !tk_std_sum(d, i, &std)) continue;
        int g = tk_lv_idx(d, i) * 2 + (std > 0 ? 0 : 1);
        grp[i] = (uint8_t)g;
        n[g]++;
    }
    for (int g = 0; g < 4; g++)
        if (srdi_vec_reserve(&v[g], (size_t)n[g]) != SRDI_OK) TK_NOMEM();
    static const char *keys[4] = {"national_with_std", "national_without_std", "provincial_with_std",
                                  "provincial_without_std"};
    static const char *labels[4] = {"国家级—有标准", "国家级—无标准", "省级—有标准", "省级—无标准"};
    int row[4];
    for (int g = 0; g < 4; g++) {
        TK_ROW(row[g], t, keys[g], labels[g]);
        srdi_table_set_num(t, row[g], 3, (double)n[g]);
    }
    for (int k = 0; k < 3; k++) {
        for (int g = 0; g < 4; g++) v[g].n = 0;
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
            if (grp[i] == 0xFF) continue;
            double x, pt, sc, std;
            if (k == 0 && srdi_get(d, SRDI_F_PATENTS_TOTAL, i, &x)) {
                /* x */
            } else if (k == 1 && srdi_get(d, SRDI_F_INVENTION_GRANTS, i, &x)) {
                /* x */
            } else if (k == 2 && srdi_get(d, SRDI_F_PATENTS_TOTAL, i, &pt) &&
                       srdi_get(d, SRDI_F_SOFTWARE_COPYRIGHTS, i, &sc) && tk_std_sum(d, i, &std)) {
                x = pt + sc + std;
            } else
                continue;
            srdi_vec *w = &v[grp[i]];
            w->v[w->n++] = x;
        }
        for (int g = 0; g < 4; g++) srdi_table_set_num(t, row[g], k, srdi_median(v[g].v, v[g].n));
    }
    t->n = n[0] + n[1] + n[2] + n[3];
    srdi_table_set_params(t, "outcomes=patents_total+software_copyrights+standards");
    return SRDI_OK;
}

/*
 * T07 tech_eval: share of each of the four tech_eval values among all P rows
 * of a level (empty = none counts in the denominator); pp gap and multiple;
 * n per level.
 */
SRDI_TABLE_FN(T07)
{

    long long cnt[2][5] = {{0}}, n[2] = {0, 0};
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        int li = tk_lv_idx(d, i);
        n[li]++;
        unsigned te = d->tech_eval[i];
        if (te < 5) cnt[li][te]++;
    }
    for (int te = SRDI_TE_INTL_ADVANCED; te <= SRDI_TE_DOMESTIC_LEVEL; te++) {
        int r;
        TK_TRY(tk_compare_row(t, srdi_tech_eval_key((srdi_tech_eval)te), srdi_tech_eval_label((srdi_tech_eval)te),
                              srdi_div((double)cnt[0][te], (double)n[0]), srdi_div((double)cnt[1][te], (double)n[1]),
                              true, &r));
    }
    for (int li = 0; li < 2; li++) {
        int r;
        TK_TRY(tk_level_row(t, li, &r));
        srdi_table_set_num(t, r, 4, (double)n[li]);
    }
    t->n = n[0] + n[1];
    srdi_table_set_params(t, "empty tech_eval=none");
    return SRDI_OK;
}

/*
 * T08 tech_eval_grants: median invention_grants of rows with a tech_eval
 * value vs rows without, by level; relative gap = with / without − 1.
 */
SRDI_TABLE_FN(T08)
{
    srdi_vec(*v)[2] = (srdi_vec(*)[2])tk_vecs(s, 2 * 2);
    if (!v) TK_NOMEM();

    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        double x;
        if (!srdi_in_P(ctx, i) || !srdi_get(d, SRDI_F_INVENTION_GRANTS, i, &x)) continue;
        int w = d->tech_eval[i] != SRDI_TE_NONE ? 0 : 1;
        TK_TRY(srdi_vec_push(&v[tk_lv_idx(d, i)][w], x));
    }
    long long used = 0;
    for (int li = 0; li < 2; li++) {
        used += (long long)(v[li][0].n + v[li][1].n);
        double mw = srdi_median(v[li][0].v, v[li][0].n);
        double mo = srdi_median(v[li][1].v, v[li][1].n);
        int r;
        TK_TRY(tk_level_row(t, li, &r));
        srdi_table_set_num(t, r, 0, mw);
        srdi_table_set_num(t, r, 1, mo);
        srdi_table_set_num(t, r, 2, srdi_div(mw, mo) - 1.0);
    }
    t->n = used;
    srdi_table_set_params(t, "relative_gap=with/without-1");
    return SRDI_OK;
}
