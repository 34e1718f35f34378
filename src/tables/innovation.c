/*
 * src/tables/innovation.c — T12, T20, T21, T23, T24, T26, T27: innovation
 * (scale × innovation quadrants, correlation, indicator medians, the five
 * dimensions, enterprise scores, honors).
 *
 * Parameters read (section, key, default):
 *   t12    staff_threshold      100    high scale = staff > this
 *   t12    patents_threshold    50     high innovation = patents_total > this
 *   t21    label_very_high      4      multiple >= this → 极高
 *   t21    label_high           2.5    multiple >= this → 高 (else 中)
 *   t24    w_tech … w_digital   25, 30, 15, 20, 10   weights of the five dimensions
 *   t24    cap                  100    per-dimension cap of 100 × value / national median
 *   t24    rd_high 0.25, rd_mid 0.15   R&D ratio "high" (>=) / "middle" lower edge
 *   scores type_high 80, type_mid 60   T24 score "high" (>=) / "middle" lower edge
 *   scores band_high 85, band_mid 70, band_low 60   T26 score bands
 *   t27    rate_cut             0.5    quadrant: rate >= cut is "high rate"
 *   t27    lift_cut             1.5    quadrant: lift >= cut is "high lift"
 * T26 reuses the t24 weights and cap (the score is the same enterprise score).
 *
 * Interpretations of docs/tables.md where it leaves room:
 *   - T12 shares use the classified rows (staff and patents_total present) as
 *     denominator; the total row carries their count.
 *   - T21 label / T27 quadrant without a value (null multiple / lift) are null cells.
 *   - T27 rate = holders / P rows with the honor value (hon_little_giant =
 *     1 for every national row); lift divides the holders' national share
 *     by the national share of all of P (literally "national share of P").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

static const srdi_field T20_FIELDS[5] = {SRDI_F_PATENTS_TOTAL, SRDI_F_INVENTION_APPS, SRDI_F_INVENTION_GRANTS,
                                         SRDI_F_STAFF, SRDI_F_REG_CAPITAL};
static const char *const T20_LABELS[5] = {"专利总量", "发明申请量", "发明授权量", "参保人数", "注册资本"};

static const srdi_field T21_FIELDS[6] = {SRDI_F_REG_CAPITAL,      SRDI_F_STAFF,
                                         SRDI_F_PATENTS_TOTAL,    SRDI_F_INVENTION_APPS,
                                         SRDI_F_INVENTION_GRANTS, SRDI_F_SOFTWARE_COPYRIGHTS};
static const char *const T21_LABELS[6] = {"注册资本（万元）", "参保人数",     "专利总量",
                                          "发明申请数量",     "发明授权数量", "软件著作权总数"};

static const char *const T24_TYPES[6] = {"双高型", "高产出型", "高投入型", "潜力型", "基础型", "其他"};

static const srdi_field HONORS[10] = {SRDI_F_HON_LITTLE_GIANT, SRDI_F_HON_HIGH_TECH, SRDI_F_HON_TECH_CENTER,
                                      SRDI_F_HON_TECH_SME,     SRDI_F_HON_CHAMPION,  SRDI_F_HON_ENG_CENTER,
                                      SRDI_F_HON_GAZELLE,      SRDI_F_HON_UNICORN,   SRDI_F_HON_GREEN_FACTORY,
                                      SRDI_F_HON_CNAS};

/*
 * T12 scale_innovation: quadrants by staff > staff_threshold and
 * patents_total > patents_threshold over P rows with both values: count,
 * share of the classified rows, national share inside the quadrant.
 */
SRDI_TABLE_FN(T12)
{
    double st_thr = srdi_params_num(ctx->params, "t12", "staff_threshold", 100);
    double pt_thr = srdi_params_num(ctx->params, "t12", "patents_threshold", 50);

    /* quadrant index: 0 hh, 1 low scale high innov, 2 high scale low innov, 3 ll */
    long long cnt[4] = {0}, nat[4] = {0}, total = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        double staff, p;
        if (!srdi_in_P(ctx, i) || !srdi_get(d, SRDI_F_STAFF, i, &staff) || !srdi_get(d, SRDI_F_PATENTS_TOTAL, i, &p))
            continue;
        int hs = staff > st_thr, hi = p > pt_thr;
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
        TK_ROW(r, t, keys[q], labels[q]);
        srdi_table_set_num(t, r, 0, (double)cnt[q]);
        srdi_table_set_num(t, r, 1, srdi_div((double)cnt[q], (double)total));
        srdi_table_set_num(t, r, 2, srdi_div((double)nat[q], (double)cnt[q]));
    }
    int r;
    TK_TRY(tk_total_row(t, (double)total, &r));
    char a[32], b[32];
    tk_fmt_num(a, sizeof a, st_thr);
    tk_fmt_num(b, sizeof b, pt_thr);
    srdi_table_set_params(t, "staff_threshold=%s; patents_threshold=%s", a, b);
    srdi_table_set_note(t, "高规模：参保人数>%s人；高创新：专利总量>%s件", a, b);
    return SRDI_OK;
}

/*
 * srdi_pearson of the pairs (x[j], y[j]) of j in [0, n) where neither is NaN
 * (missing), taken in order: the same operations on the same values in the
 * same order as srdi_pearson on those pairs copied out, so the same bits.
 */
/*
 * The Pearson correlation of one pair of T20's columns over the rows that
 * have both values, in two sweeps over the rows (the means, then the
 * deviations), its sums taken in row order.
 */
typedef struct t20_pair {
    size_t m;
    bool xconst, yconst;
    double x0, y0, sx, sy, mx, my, sxy, sxx, syy;
} t20_pair;

enum { T20_N = 5, T20_PAIRS = T20_N * (T20_N + 1) / 2 };

/* Sweep @p pass (0: sums, 1: deviations) of every pair a <= b over the P rows, the five values read in place. */
static void t20_sweep(const srdi_tctx *ctx, const srdi_dataset *d, int pass, t20_pair *pr)
{
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        double v[T20_N];
        int has[T20_N];
        for (int a = 0; a < T20_N; a++) has[a] = srdi_ecol_get(&d->num[T20_FIELDS[a]], i, &v[a]);
        t20_pair *p = pr;
        for (int a = 0; a < T20_N; a++)
            for (int b = a; b < T20_N; b++, p++) {
                if (!has[a] || !has[b]) continue;
                double x = v[a], y = v[b];
                if (pass == 0) {
                    if (p->m++ == 0) {
                        p->x0 = x;
                        p->y0 = y;
                    }
                    p->xconst &= x == p->x0;
                    p->yconst &= y == p->y0;
                    p->sx += x;
                    p->sy += y;
                } else {
                    double dx = x - p->mx, dy = y - p->my;
                    p->sxy += dx * dy;
                    p->sxx += dx * dx;
                    p->syy += dy * dy;
                }
            }
    }
}

/*
 * T20 correlation: 5 × 5 Pearson matrix over P, each pair over the rows
 * that have both values.  The diagonal is exactly 1 (null when the
 * variable has fewer than 2 values or zero variance).  The 15 pairs are
 * summed at once in two sweeps over the rows, the values read from the
 * columns: no copy of a column is held (two arrays of doubles over every
 * row were 12.6 MB of the peak of the tables at 4x the national data).
 */
SRDI_TABLE_FN(T20)
{

    for (int j = 0; j < T20_N; j++)
        if (srdi_table_add_col(t, srdi_field_get(T20_FIELDS[j])->name, T20_LABELS[j], SRDI_COL_RATIO, "", -1) < 0)
            TK_NOMEM();
    for (int a = 0; a < T20_N; a++)
        if (srdi_table_add_row(t, srdi_field_get(T20_FIELDS[a])->name, T20_LABELS[a]) < 0) TK_NOMEM();
    t20_pair pr[T20_PAIRS];
    for (int k = 0; k < T20_PAIRS; k++) pr[k] = (t20_pair){.xconst = true, .yconst = true};
    t20_sweep(ctx, d, 0, pr);
    for (int k = 0; k < T20_PAIRS; k++) {
        pr[k].mx = pr[k].m ? pr[k].sx / (double)pr[k].m : 0.0;
        pr[k].my = pr[k].m ? pr[k].sy / (double)pr[k].m : 0.0;
    }
    t20_sweep(ctx, d, 1, pr);
    const t20_pair *p = pr;
    for (int a = 0; a < T20_N; a++)
        for (int b = a; b < T20_N; b++, p++) {
            double r = NAN;
            if (p->m >= 2 && !p->xconst && !p->yconst && p->sxx > 0.0 && p->syy > 0.0) {
                r = p->sxy / sqrt(p->sxx * p->syy);
                if (r > 1.0) r = 1.0;
                if (r < -1.0) r = -1.0;
            }
            if (a == b && !isnan(r)) r = 1.0;
            srdi_table_set_num(t, a, b, r);
            srdi_table_set_num(t, b, a, r);
        }
    t->n = tk_count_P(ctx, NULL);
    srdi_table_set_params(t, "method=pearson; missing=pairwise");
    srdi_table_set_note(t, "皮尔逊相关系数，成对剔除缺失值");
    return SRDI_OK;
}

/*
 * T21 indicator_medians: national and provincial medians of six
 * indicators, multiple = national / provincial, label 极高 (≥ 4), 高
 * (≥ 2.5), 中 (else); null label when the multiple is null.
 */
SRDI_TABLE_FN(T21)
{
    double vh = srdi_params_num(ctx->params, "t21", "label_very_high", 4);
    double hi = srdi_params_num(ctx->params, "t21", "label_high", 2.5);
    srdi_vec *tmp = tk_vecs(s, 1);
    if (!tmp) TK_NOMEM();

    for (int k = 0; k < 6; k++) {
        double mn, mp;
        int r;
        TK_ROW(r, t, srdi_field_get(T21_FIELDS[k])->name, T21_LABELS[k]);
        if (tk_level_median(ctx, T21_FIELDS[k], SRDI_LEVEL_NATIONAL, tmp, &mn) != SRDI_OK ||
            tk_level_median(ctx, T21_FIELDS[k], SRDI_LEVEL_PROVINCIAL, tmp, &mp) != SRDI_OK)
            TK_NOMEM();
        double m = srdi_div(mn, mp);
        srdi_table_set_num(t, r, 0, mn);
        srdi_table_set_num(t, r, 1, mp);
        srdi_table_set_num(t, r, 2, m);
        if (isfinite(m))
            srdi_table_set_text(t, r, 3, m >= vh ? "极高" : m >= hi ? "高" : "中");
        else
            srdi_table_set_null(t, r, 3);
    }
    t->n = tk_count_P(ctx, NULL);
    srdi_table_set_params(t, "label_very_high=%g; label_high=%g", vh, hi);
    return SRDI_OK;
}

/*
 * T23 five_dim_gap: per dimension, score = provincial median / national
 * median × 100 (may exceed 100), gap = 100 − score.  The national median
 * is the reference of the whole P in a scoped build (docs/tables.md "Scope").
 */
SRDI_TABLE_FN(T23)
{
    srdi_vec *tmp = tk_vecs(s, 1);
    if (!tmp) TK_NOMEM();

    const srdi_tctx whole = srdi_whole(ctx); /* the reference (national) median: whole P */
    for (int k = 0; k < 5; k++) {
        char label[64];
        double mn, mp;
        snprintf(label, sizeof label, "%s（%s）", tk_dims[k].key, tk_dims[k].ind);
        int r;
        TK_ROW(r, t, tk_dims[k].key, label);
        if (tk_level_median(&whole, tk_dims[k].f, SRDI_LEVEL_NATIONAL, tmp, &mn) != SRDI_OK ||
            tk_level_median(ctx, tk_dims[k].f, SRDI_LEVEL_PROVINCIAL, tmp, &mp) != SRDI_OK)
            TK_NOMEM();
        double score = srdi_div(mp, mn) * 100;
        srdi_table_set_num(t, r, 0, score);
        srdi_table_set_num(t, r, 1, 100 - score);
    }
    t->n = tk_count_P(ctx, NULL);
    srdi_table_set_params(t, "score=provincial median / national median × 100");
    return SRDI_OK;
}

/*
 * T24 score_rd_types: P rows with a score and a latest-year ratio, typed
 * by score (≥ 80 / [60, 80) / < 60) × R&D (≥ 25% / [15%, 25%) / < 15%):
 * 双高型, 高产出型, 高投入型, 潜力型, 基础型, 其他 (every other row).
 */
SRDI_TABLE_FN(T24)
{
    double s_hi = srdi_params_num(ctx->params, "scores", "type_high", 80);
    double s_mid = srdi_params_num(ctx->params, "scores", "type_mid", 60);
    double r_hi = srdi_params_num(ctx->params, "t24", "rd_high", 0.25);
    double r_mid = srdi_params_num(ctx->params, "t24", "rd_mid", 0.15);
    tk_ratio *ratio = NULL;
    size_t nratio = 0, at = 0;
    tk_scorer sc;
    srdi_buf *ptxt = tk_buf(s);
    int year = 0;

    if (!ptxt || tk_enterprise_scorer(ctx, &sc, ptxt) != SRDI_OK) TK_NOMEM();
    srdi_table_set_params(t, "%s; type_high=%g; type_mid=%g; rd_high=%g; rd_mid=%g", ptxt->data ? ptxt->data : "", s_hi,
                          s_mid, r_hi, r_mid);
    if (!d->has_financials) {
        t->no_data = true;
        return SRDI_OK;
    }
    if (tk_latest_ratio_list(ctx, s, &ratio, &nratio, &year) != SRDI_OK) TK_NOMEM();

    double cnt[6] = {0}, total = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        double q = tk_ratio_at(ratio, nratio, &at, i);
        if (!srdi_in_P(ctx, i) || isnan(q)) continue;
        double sv = tk_score(d, &sc, i);
        if (isnan(sv)) continue;
        int sb = sv >= s_hi ? 0 : sv >= s_mid ? 1 : 2; /* high / mid / low score */
        int rb = q >= r_hi ? 0 : q >= r_mid ? 1 : 2;   /* high / mid / low R&D */
        int type = 5;
        if (sb == 0 && rb == 0)
            type = 0;
        else if (sb == 0 && rb == 1)
            type = 1;
        else if (sb == 1 && rb == 0)
            type = 2;
        else if (sb == 1 && rb == 1)
            type = 3;
        else if (sb == 2 && rb == 2)
            type = 4;
        cnt[type]++;
        total++;
    }
    for (int k = 0; k < 6; k++) {
        int r;
        TK_ROW(r, t, T24_TYPES[k], T24_TYPES[k]);
        tk_count_share(t, r, 0, cnt[k], total);
    }
    int r;
    TK_TRY(tk_total_row(t, (double)total, &r));
    if (year > 0) srdi_table_set_note(t, "科创力评分以国家级中位数为基准（每维最高100分）；研发占比为%d年", year);
    return SRDI_OK;
}

/*
 * T26 domain_score_success: per domain × score band (≥ 85, [70, 85),
 * [60, 70), < 60): national share among P rows with a score and a domain.
 */
SRDI_TABLE_FN(T26)
{
    const srdi_reference *ref = d->ref;
    double b_hi = srdi_params_num(ctx->params, "scores", "band_high", 85);
    double b_mid = srdi_params_num(ctx->params, "scores", "band_mid", 70);
    double b_lo = srdi_params_num(ctx->params, "scores", "band_low", 60);
    const int *dom = NULL;
    tk_scorer sc;

    size_t nd = ref->n_domain_names;
    double *cnt = tk_zalloc(s, nd * 4 + 1, sizeof *cnt), *nat = tk_zalloc(s, nd * 4 + 1, sizeof *nat);
    srdi_buf *ptxt = tk_buf(s);
    if (!cnt || !nat || !ptxt) TK_NOMEM();
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
        if (srdi_table_add_col(t, keys[b], labels[b], SRDI_COL_SHARE, "", -1) < 0) TK_NOMEM();
    if (tk_row_domains(ctx, s, &dom) != SRDI_OK || tk_enterprise_scorer(ctx, &sc, ptxt) != SRDI_OK) TK_NOMEM();

    long long used = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i) || dom[i] < 0) continue;
        double sv = tk_score(d, &sc, i);
        if (isnan(sv)) continue;
        int b = sv >= b_hi ? 0 : sv >= b_mid ? 1 : sv >= b_lo ? 2 : 3;
        cnt[(size_t)dom[i] * 4 + (size_t)b]++;
        if (tk_is_nat(ctx, i)) nat[(size_t)dom[i] * 4 + (size_t)b]++;
        used++;
    }
    for (size_t k = 0; k < nd; k++) {
        int r;
        TK_ROW(r, t, ref->domain_names[k], ref->domain_names[k]);
        for (int b = 0; b < 4; b++)
            srdi_table_set_num(t, r, b, srdi_div(nat[k * 4 + (size_t)b], cnt[k * 4 + (size_t)b]));
    }
    t->n = used;
    srdi_table_set_params(t, "%s; band_high=%g; band_mid=%g; band_low=%g", ptxt->data ? ptxt->data : "", b_hi, b_mid,
                          b_lo);
    srdi_table_set_note(t, "数值为各评分区间内国家级企业占比");
    return SRDI_OK;
}

/*
 * T27 honor_matrix: per honor: rate = holders / P rows with the value
 * (hon_little_giant = 1 for every national row); lift = national share
 * among holders / national share of all of P; quadrant by rate ≥ 0.5 and
 * lift ≥ 1.5.
 */
SRDI_TABLE_FN(T27)
{
    double rcut = srdi_params_num(ctx->params, "t27", "rate_cut", 0.5);
    double lcut = srdi_params_num(ctx->params, "t27", "lift_cut", 1.5);
    long long pnat = 0, pn = tk_count_P(ctx, &pnat);
    double p_share = srdi_div((double)pnat, (double)pn);
    for (int k = 0; k < 10; k++) {
        srdi_field f = HONORS[k];
        double rows = 0, hold = 0, hold_nat = 0;
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
            double v;
            if (!srdi_in_P(ctx, i) || !tk_honor(d, f, i, &v)) continue;
            rows++;
            if (v != 0) {
                hold++;
                hold_nat += tk_is_nat(ctx, i);
            }
        }
        const srdi_field_info *fi = srdi_field_get(f);
        int r;
        TK_ROW(r, t, fi->name, fi->zh);
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
    srdi_table_set_note(t, "提升度=持有企业中国家级占比/全部企业国家级占比");
    return SRDI_OK;
}
