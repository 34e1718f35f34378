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

/* A group/class ranking row: national share and its sort key. */
typedef struct focus_row {
    int code;
    double count, nat, share;
    char key[8];
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
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        (*pn)++;
        if (tk_is_nat(ctx, i)) (*pnat)++;
        int c = tk_code_prefix(d->industry[i], len);
        if (c < 0) continue;
        cnt[c]++;
        if (tk_is_nat(ctx, i)) nat[c]++;
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
    srdi_buf label = {0};
    srdi_status st = SRDI_OK;
    if (!cnt || !nat || !rows || !counts) TK_NOMEM();

    double pn, pnat;
    count_codes(ctx, 3, cnt, nat, &pn, &pnat);
    size_t ng = 0;
    for (int c = 0; c < 1000; c++) {
        if (cnt[c] <= 0) continue;
        rows[ng].code = c;
        rows[ng].count = cnt[c];
        rows[ng].nat = nat[c];
        rows[ng].share = nat[c] / cnt[c];
        snprintf(rows[ng].key, sizeof rows[ng].key, "%03u", (unsigned)c % 1000u); /* c < 1000 */
        counts[ng] = cnt[c];
        ng++;
    }
    double p_share = srdi_div(pnat, pn);
    double cut = srdi_percentile(counts, ng, pct);
    qsort(rows, ng, sizeof *rows, cmp_focus_count);

    for (size_t g = 0; g < ng; g++) {
        const char *key = rows[g].key;
        TK_TRY(tk_code_label(d, key, &label));
        int r;
        TK_ROW(r, t, key, label.data);
        srdi_table_set_num(t, r, 0, rows[g].count);
        srdi_table_set_num(t, r, 1, rows[g].share);
        int top = rows[g].count >= cut;
        const char *type = NULL;
        if (top && rows[g].share > p_share)
            type = "双高型";
        else if (rows[g].share >= factor * p_share)
            type = "高占比型";
        else if (top)
            type = "高基数型";
        if (type)
            srdi_table_set_text(t, r, 2, type);
        else
            srdi_table_set_null(t, r, 2);
    }
    t->n = (long long)pn;
    srdi_table_set_params(t, "top_decile_pct=%g; high_share_factor=%g", pct, factor);
    if (ng > 0) {
        /* counts are whole: a group is in the top decile from ceil(cut) firms on */
        char shr[32], mincount[32];
        srdi_number_format(p_share, SRDI_COL_SHARE, -1, shr, sizeof shr);
        srdi_number_format(ceil(cut - 1e-9), SRDI_COL_COUNT, 0, mincount, sizeof mincount);
        srdi_table_set_note(t, "全部企业的国家级占比为%s；前十分位指企业数不少于%s家的中类（中类企业数第%g百分位）",
                            shr, mincount, pct);
    }
done:
    srdi_buf_free(&label);
    free(cnt);
    free(nat);
    free(rows);
    free(counts);
    return st;
}

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
    srdi_buf label = {0};
    srdi_status st = SRDI_OK;
    if (!cnt || !nat || !rows) TK_NOMEM();

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
        snprintf(rows[nr].key, sizeof rows[nr].key, "%04u", (unsigned)c % 10000u); /* c < 10000 */
        nr++;
    }
    qsort(rows, nr, sizeof *rows, cmp_focus_share);

    for (size_t k = 0; k < nr; k++) {
        const char *key = rows[k].key;
        TK_TRY(tk_code_label(d, key, &label));
        int r;
        TK_ROW(r, t, key, label.data);
        srdi_table_set_num(t, r, 0, rows[k].count);
        srdi_table_set_num(t, r, 1, rows[k].share);
        const char *dom = srdi_reference_domain(d->ref, key);
        if (dom)
            srdi_table_set_text(t, r, 2, dom);
        else
            srdi_table_set_null(t, r, 2);
    }
    t->n = (long long)pn;
    srdi_table_set_params(t, "min_count=%g; min_national_share=%g", min_count, min_share);
done:
    srdi_buf_free(&label);
    free(cnt);
    free(nat);
    free(rows);
    return st;
}

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
    srdi_status st = SRDI_OK;
    int year = 0;

    srdi_table_set_params(t, "domains=strategic_domains.csv (longest prefix)");
    if (!d->has_financials) {
        t->no_data = true;
        goto done;
    }
    if (tk_row_domains(d, &dom) != SRDI_OK || tk_latest_ratios(ctx, &ratio, &year) != SRDI_OK) TK_NOMEM();

    /* one pass per statistic: values bucketed by domain (row order kept) */
    size_t nd = ref->n_domain_names;
    nb = calloc(nd + 1, sizeof *nb);
    off = calloc(nd + 1, sizeof *off);
    sums = calloc(nd + 1, sizeof *sums);
    nsum = calloc(nd + 1, sizeof *nsum);
    med = calloc(2 * (nd + 1), sizeof *med);
    if (!nb || !off || !sums || !nsum || !med || srdi_vec_reserve(&tmp, d->n) != SRDI_OK) TK_NOMEM();
    const srdi_field fs[2] = {SRDI_F_INVENTION_GRANTS, SRDI_F_SOFTWARE_COPYRIGHTS};
    for (int j = 0; j < 2; j++) {
        const srdi_numcol *c = &d->num[fs[j]];
        memset(nb, 0, (nd + 1) * sizeof *nb);
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
            if (dom[i] >= 0 && c->present[i] && srdi_in_P(ctx, i)) nb[dom[i]]++;
        for (size_t k = 0, o = 0; k < nd; k++) {
            off[k] = o;
            o += nb[k];
        }
        for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
            if (dom[i] >= 0 && c->present[i] && srdi_in_P(ctx, i)) tmp.v[off[dom[i]]++] = c->v[i];
        for (size_t k = 0; k < nd; k++)
            med[2 * k + (size_t)j] = nb[k] ? srdi_median(tmp.v + (off[k] - nb[k]), nb[k]) : NAN;
    }
    memset(nb, 0, (nd + 1) * sizeof *nb);
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (dom[i] < 0 || !srdi_in_P(ctx, i)) continue;
        nb[dom[i]]++;
        if (!isnan(ratio[i])) {
            sums[dom[i]] += ratio[i];
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
        total += (long long)nb[k];
    }
    t->n = total;
    if (year > 0) srdi_table_set_note(t, "研发占比为 %d 年全部有效比值的均值", year);
done:
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
