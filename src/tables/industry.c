/*
 * src/tables/industry.c — T18, T19 and T25: industries (groups and classes
 * where national enterprises concentrate, the strategic-domain profile).
 *
 * Parameters read (section, key, default):
 *   t18  top_decile_pct       90     percentile of group counts for "top decile"
 *   t18  high_share_factor    1.5    高占比型: share >= factor × P's national share
 *   t19  min_count            300    classes with at least this many P rows
 *   t19  min_national_share   0.15   … and at least this national share
 *
 * Interpretations of docs/tables.md: a T18 type or T19 domain without a value
 * (no type, unmapped class) is a null cell.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* A group/class ranking row: national share and its sort key; text = column 2 (NULL: a null cell). */
typedef struct focus_row {
    double count, share;
    char key[8];
    const char *text;
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

/* The rows of T18 / T19 and the population they come from. */
typedef struct focus {
    focus_row *rows; /* from the builder's scratch */
    size_t n;
    double pn, pnat; /* |P|, national |P| */
} focus;

/*
 * The codes of @p len digits (3: groups, 4: classes) with P rows, count ≥
 * @p min_count and national share ≥ @p min_share, in code order, into @p fo.
 */
static srdi_status focus_rows(const srdi_tctx *ctx, int len, double min_count, double min_share, tk_scratch *s,
                              focus *fo)
{
    double *pn = &fo->pn, *pnat = &fo->pnat;
    const srdi_dataset *d = ctx->d;
    size_t ncodes = len == 3 ? 1000 : 10000;
    double *cnt = tk_zalloc(s, ncodes, sizeof *cnt), *nat = tk_zalloc(s, ncodes, sizeof *nat);
    focus_row *out = tk_zalloc(s, ncodes, sizeof *out);
    if (!cnt || !nat || !out) return SRDI_ERR_NOMEM;
    *pn = *pnat = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        (*pn)++;
        if (tk_is_nat(ctx, i)) (*pnat)++;
        int c = tk_code_prefix(d->industry[i], (size_t)len);
        if (c < 0) continue;
        cnt[c]++;
        if (tk_is_nat(ctx, i)) nat[c]++;
    }
    size_t m = 0;
    for (size_t c = 0; c < ncodes; c++) {
        if (cnt[c] <= 0 || cnt[c] < min_count || !(nat[c] / cnt[c] >= min_share)) continue;
        out[m] = (focus_row){cnt[c], nat[c] / cnt[c], "", NULL};
        snprintf(out[m].key, sizeof out[m].key, "%0*u", len, (unsigned)c % 10000u); /* c < 10^len */
        m++;
    }
    fo->rows = out;
    fo->n = m;
    return SRDI_OK;
}

/* Add the focus rows (label "code name", count, national share, column 2); n = |P|. */
static srdi_status focus_out(srdi_table *t, const srdi_dataset *d, const focus *fo)
{
    srdi_buf label = {0};
    int r = 0;
    for (size_t g = 0; g < fo->n && r >= 0; g++) {
        const focus_row *f = &fo->rows[g];
        r = tk_code_label(d, f->key, &label) == SRDI_OK ? srdi_table_add_row(t, f->key, label.data) : -1;
        srdi_table_set_num(t, r, 0, f->count);
        srdi_table_set_num(t, r, 1, f->share);
        if (f->text)
            srdi_table_set_text(t, r, 2, f->text);
        else
            srdi_table_set_null(t, r, 2);
    }
    srdi_buf_free(&label);
    t->n = (long long)fo->pn;
    return r < 0 ? SRDI_ERR_NOMEM : SRDI_OK;
}

/*
 * T18 group_focus: groups (中类) present in P by count; national share;
 * type 双高型 (count ≥ linear P90 of group counts and share > P's share),
 * 高占比型 (share ≥ 1.5 × P's share), 高基数型 (top decile only), in that
 * order; a group may have no type (null cell).
 */
SRDI_TABLE_FN(T18)
{
    double pct = srdi_params_num(ctx->params, "t18", "top_decile_pct", 90);
    double factor = srdi_params_num(ctx->params, "t18", "high_share_factor", 1.5);
    focus fo;
    TK_TRY(focus_rows(ctx, 3, 0, 0, s, &fo));
    focus_row *rows = fo.rows;
    size_t ng = fo.n;
    double *counts = tk_zalloc(s, ng, sizeof *counts);
    if (!counts) TK_NOMEM();
    for (size_t g = 0; g < ng; g++) counts[g] = rows[g].count;
    double p_share = srdi_div(fo.pnat, fo.pn);
    double cut = srdi_percentile(counts, ng, pct);
    qsort(rows, ng, sizeof *rows, cmp_focus_count);
    for (size_t g = 0; g < ng; g++) {
        int top = rows[g].count >= cut;
        if (top && rows[g].share > p_share)
            rows[g].text = "双高型";
        else if (rows[g].share >= factor * p_share)
            rows[g].text = "高占比型";
        else if (top)
            rows[g].text = "高基数型";
    }
    TK_TRY(focus_out(t, d, &fo));
    srdi_table_set_params(t, "top_decile_pct=%g; high_share_factor=%g", pct, factor);
    if (ng > 0) {
        /* counts are whole: a group is in the top decile from ceil(cut) firms on */
        char shr[32], mincount[32];
        srdi_number_format(p_share, SRDI_COL_SHARE, -1, shr, sizeof shr);
        srdi_number_format(ceil(cut - 1e-9), SRDI_COL_COUNT, 0, mincount, sizeof mincount);
        srdi_table_set_note(t, "全部企业的国家级占比为%s；前十分位指企业数不少于%s家的中类（中类企业数第%g百分位）",
                            shr, mincount, pct);
    }
    return SRDI_OK;
}

/*
 * T19 class_focus: classes (小类) with count ≥ 300 and national share ≥
 * 15%, sorted by national share (descending, ties by code): count,
 * national share, strategic domain.
 */
SRDI_TABLE_FN(T19)
{
    double min_count = srdi_params_num(ctx->params, "t19", "min_count", 300);
    double min_share = srdi_params_num(ctx->params, "t19", "min_national_share", 0.15);
    focus fo;
    TK_TRY(focus_rows(ctx, 4, min_count, min_share, s, &fo));
    qsort(fo.rows, fo.n, sizeof *fo.rows, cmp_focus_share);
    for (size_t k = 0; k < fo.n; k++) fo.rows[k].text = srdi_reference_domain(d->ref, fo.rows[k].key);
    TK_TRY(focus_out(t, d, &fo));
    srdi_table_set_params(t, "min_count=%g; min_national_share=%g", min_count, min_share);
    return SRDI_OK;
}

/*
 * T25 domain_profile: every strategic domain of the mapping: median
 * invention_grants, mean latest-year R&D ratio (every defined ratio),
 * median software_copyrights, n = P rows in the domain; each row's mean
 * rests on its nsum enterprises with a ratio (srdi_table_set_row_basis).
 */
SRDI_TABLE_FN(T25)
{
    const srdi_reference *ref = d->ref;
    const int *dom = NULL;
    tk_ratio *ratio = NULL;
    size_t nratio = 0, at = 0;
    int year = 0;

    srdi_table_set_params(t, "domains=strategic_domains.csv (longest prefix)");
    if (!d->has_financials) {
        t->no_data = true;
        return SRDI_OK;
    }
    if (tk_row_domains(ctx, s, &dom) != SRDI_OK || tk_latest_ratio_list(ctx, s, &ratio, &nratio, &year) != SRDI_OK)
        TK_NOMEM();

    /* one pass per statistic: values bucketed by domain (row order kept) */
    size_t nd = ref->n_domain_names;
    size_t *nb = tk_zalloc(s, nd + 1, sizeof *nb), *off = tk_zalloc(s, nd + 1, sizeof *off);
    size_t *nsum = tk_zalloc(s, nd + 1, sizeof *nsum);
    double *sums = tk_zalloc(s, nd + 1, sizeof *sums), *med = tk_zalloc(s, 2 * (nd + 1), sizeof *med);
    srdi_vec *tmp = tk_vecs(s, 1);
    if (!nb || !off || !sums || !nsum || !med || !tmp || srdi_vec_reserve(tmp, d->n) != SRDI_OK) TK_NOMEM();
    const srdi_field fs[2] = {SRDI_F_INVENTION_GRANTS, SRDI_F_SOFTWARE_COPYRIGHTS};
    for (int j = 0; j < 2; j++) {
        const srdi_ecol *c = &d->num[fs[j]];
        double x;
        memset(nb, 0, (nd + 1) * sizeof *nb);
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
            if (dom[i] >= 0 && srdi_ecol_get(c, i, &x) && srdi_in_P(ctx, i)) nb[dom[i]]++;
        for (size_t k = 0, o = 0; k < nd; k++) {
            off[k] = o;
            o += nb[k];
        }
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
            if (dom[i] >= 0 && srdi_ecol_get(c, i, &x) && srdi_in_P(ctx, i)) tmp->v[off[dom[i]]++] = x;
        for (size_t k = 0; k < nd; k++)
            med[2 * k + (size_t)j] = nb[k] ? srdi_median(tmp->v + (off[k] - nb[k]), nb[k]) : NAN;
    }
    memset(nb, 0, (nd + 1) * sizeof *nb);
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (dom[i] < 0 || !srdi_in_P(ctx, i)) continue;
        nb[dom[i]]++;
        double q = tk_ratio_at(ratio, nratio, &at, i);
        if (!isnan(q)) {
            sums[dom[i]] += q;
            nsum[dom[i]]++;
        }
    }
    long long total = 0;
    for (size_t k = 0; k < nd; k++) {
        int r;
        TK_ROW(r, t, ref->domain_names[k], ref->domain_names[k]);
        srdi_table_set_num(t, r, 0, med[2 * k]);
        srdi_table_set_num(t, r, 1, srdi_div(sums[k], (double)nsum[k]));
        srdi_table_set_num(t, r, 2, med[2 * k + 1]);
        srdi_table_set_num(t, r, 3, (double)nb[k]);
        srdi_table_set_row_basis(t, r, (long long)nsum[k]);
        total += (long long)nb[k];
    }
    t->n = total;
    if (year > 0) srdi_table_set_note(t, "研发占比为%d年全部有效比值的均值", year);
    /* the mean rests on the enterprises with a ratio, not on n: the
       small-sample note names the domains where they are few (annotate.c;
       the note says the year already) */
    return srdi_table_set_basis(t, "mean_rd_ratio", "家", "有财务数据的企业");
}
