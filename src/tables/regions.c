/*
 * src/tables/regions.c — T13–T17: where the enterprises are (provinces,
 * city clusters, the clusters' leading divisions, cities, divisions).
 *
 * Parameters read (section, key, default):
 *   t13  top_n_documents     10      documents only; the table lists every province
 *   t15  top_n               10      divisions (大类) of P shown in the heat map
 *   t16  top_n_documents     20      documents only; the table lists every city
 *   t17  top_n_documents     12      documents only; the table lists every division
 *
 * Interpretations of docs/tables.md where it leaves room:
 *   - T13 lists every province of provinces.csv (those without enterprises
 *     with count 0, ranked last together); T16/T17 list every city /
 *     division present in P.
 *   - T15 ties in the top-N break by ascending division code; a cluster with
 *     no P enterprise gives null cells.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* Division number 0..99 from the 4-digit class code, or -1. */
static int division_of(const srdi_dataset *d, size_t row)
{
    const char *c = d->industry[row];
    if (c[0] < '0' || c[0] > '9' || c[1] < '0' || c[1] > '9') return -1;
    return (c[0] - '0') * 10 + (c[1] - '0');
}

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
            if (strcmp(ref->cluster_names[k], c) == 0) {
                pc[p] = (int)k;
                break;
            }
    }
    return pc;
}

/* Count P rows per division (0..99) into cnt[100]; returns |P|. */
static long long division_counts(const srdi_tctx *ctx, long long cnt[100], long long nat[100])
{
    const srdi_dataset *d = ctx->d;
    long long total = 0;
    memset(cnt, 0, 100 * sizeof *cnt);
    if (nat) memset(nat, 0, 100 * sizeof *nat);
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
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
static size_t division_ranking(const long long cnt[100], tk_ranked ks[100], char codes[100][3])
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
    qsort(ks, m, sizeof *ks, tk_ranked_cmp);
    return m;
}

/* (city, patents_total) pair for per-city medians. */
typedef struct citycell {
    uint32_t city;
    double v;
} citycell;

static int citycell_cmp(const void *a, const void *b)
{
    const citycell *x = a, *y = b;
    if (x->city != y->city) return x->city < y->city ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/*
 * T13 province_rank: every province with P enterprises, by count descending
 * (ties by ascending name): competition rank, count, share of P, national
 * share inside the province.  Always over the whole P (docs/tables.md "Scope"):
 * a regional edition places its region among the others.
 */
SRDI_TABLE_FN(T13)
{
    const srdi_dataset *d = ctx->d;
    srdi_status st = SRDI_OK;
    long long *cnt = NULL, *nat = NULL;
    tk_ranked *ks = NULL;
    double topn = srdi_params_num(ctx->params, "t13", "top_n_documents", 10);
    size_t np = d->ref ? d->ref->n_provinces : 0;
    cnt = calloc(np + 1, sizeof *cnt);
    nat = calloc(np + 1, sizeof *nat);
    ks = calloc(np + 1, sizeof *ks);
    if (!cnt || !nat || !ks) TK_NOMEM();
    long long total = 0;
    const srdi_tctx whole = srdi_whole(ctx); /* over the whole P: places a region among the others */
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
    qsort(ks, m, sizeof *ks, tk_ranked_cmp);
    long long rank = 0;
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || ks[j].count != ks[j - 1].count) rank = (long long)j + 1;
        int r;
        TK_ROW(r, t, ks[j].key, ks[j].key);
        srdi_table_set_num(t, r, 0, (double)rank);
        srdi_table_set_num(t, r, 1, (double)ks[j].count);
        srdi_table_set_num(t, r, 2, srdi_div((double)ks[j].count, (double)total));
        srdi_table_set_num(t, r, 3, srdi_div((double)nat[ks[j].idx], (double)ks[j].count));
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
done:
    free(cnt);
    free(nat);
    free(ks);
    return st;
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
    if (!d->ref) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "T14 needs reference data (provinces.csv clusters)");
        goto done;
    }
    size_t nc = d->ref->n_cluster_names;
    pc = province_clusters(d->ref);
    cnt = calloc(nc + 1, sizeof *cnt);
    nat = calloc(nc + 1, sizeof *nat);
    if (!pc || !cnt || !nat) TK_NOMEM();
    long long total = 0;
    const srdi_tctx whole = srdi_whole(ctx); /* over the whole P, as T13 */
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
        TK_ROW(r, t, d->ref->cluster_names[k], d->ref->cluster_names[k]);
        srdi_table_set_num(t, r, 0, (double)cnt[k]);
        srdi_table_set_num(t, r, 1, srdi_div((double)cnt[k], (double)total));
        srdi_table_set_num(t, r, 2, srdi_div((double)nat[k], (double)cnt[k]));
    }
    t->n = total;
    srdi_table_set_params(t, "clusters=provinces.csv");
done:
    free(pc);
    free(cnt);
    free(nat);
    return st;
}

/*
 * T15 cluster_industry: the top_n divisions of P by count × clusters: the
 * share of the cluster's P enterprises that are in the division.
 */
SRDI_TABLE_FN(T15)
{
    const srdi_dataset *d = ctx->d;
    srdi_buf label = {0};
    srdi_status st = SRDI_OK;
    int *pc = NULL;
    long long(*cc)[100] = NULL;
    long long *ctot = NULL;
    double topn_d = srdi_params_num(ctx->params, "t15", "top_n", 10);
    size_t topn = topn_d > 0 ? (size_t)topn_d : 0;
    if (!d->ref) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "T15 needs reference data (provinces.csv clusters)");
        goto done;
    }
    size_t nc = d->ref->n_cluster_names;
    for (size_t k = 0; k < nc; k++)
        if (srdi_table_add_col(t, d->ref->cluster_names[k], d->ref->cluster_names[k], SRDI_COL_SHARE, "", -1) < 0)
            TK_NOMEM();
    pc = province_clusters(d->ref);
    cc = calloc(nc + 1, sizeof *cc);
    ctot = calloc(nc + 1, sizeof *ctot);
    if (!pc || !cc || !ctot) TK_NOMEM();
    long long cnt[100];
    division_counts(ctx, cnt, NULL);
    long long used = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        size_t p = d->province[i];
        if (p >= d->ref->n_provinces || pc[p] < 0) continue;
        ctot[pc[p]]++;
        used++;
        int dv = division_of(d, i);
        if (dv >= 0) cc[pc[p]][dv]++;
    }
    tk_ranked ks[100];
    char codes[100][3];
    size_t m = division_ranking(cnt, ks, codes);
    if (m > topn) m = topn;
    for (size_t j = 0; j < m; j++) {
        TK_TRY(tk_code_label(d, ks[j].key, &label));
        int r;
        TK_ROW(r, t, ks[j].key, label.data);
        for (size_t k = 0; k < nc; k++)
            srdi_table_set_num(t, r, (int)k, srdi_div((double)cc[k][ks[j].idx], (double)ctot[k]));
    }
    t->n = used;
    srdi_table_set_params(t, "top_n=%zu", topn);
done:
    srdi_buf_free(&label);
    free(pc);
    free(cc);
    free(ctot);
    return st;
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
    tk_ranked *ks = NULL;
    citycell *cv = NULL;
    double *vals = NULL;
    size_t *start = NULL, *len = NULL;
    double topn = srdi_params_num(ctx->params, "t16", "top_n_documents", 20);
    size_t ncity = d->cities ? srdi_strpool_count(d->cities) : 0;
    cnt = calloc(ncity + 1, sizeof *cnt);
    ks = calloc(ncity + 1, sizeof *ks);
    cv = malloc((d->n + 1) * sizeof *cv);
    start = calloc(ncity + 1, sizeof *start);
    len = calloc(ncity + 1, sizeof *len);
    if (!cnt || !ks || !cv || !start || !len) TK_NOMEM();
    long long total = 0;
    size_t ncv = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
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
    vals = malloc((ncv + 1) * sizeof *vals);
    if (!vals) TK_NOMEM();
    for (size_t j = 0; j < ncv; j++) vals[j] = cv[j].v;
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
    qsort(ks, m, sizeof *ks, tk_ranked_cmp);
    for (size_t j = 0; j < m; j++) {
        size_t c = (size_t)ks[j].idx;
        int r;
        TK_ROW(r, t, ks[j].key, ks[j].key);
        srdi_table_set_num(t, r, 0, (double)ks[j].count);
        srdi_table_set_num(t, r, 1, srdi_div((double)ks[j].count, (double)total));
        /* values of one city are contiguous and ascending: median directly */
        srdi_table_set_num(t, r, 2, len[c] ? srdi_median_sorted(vals + start[c], len[c]) : NAN);
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
done:
    free(vals);
    free(cnt);
    free(ks);
    free(cv);
    free(start);
    free(len);
    return st;
}

/*
 * T17 division_rank: every division (大类) with P enterprises by count
 * descending (ties by ascending code): count and share of P.
 */
SRDI_TABLE_FN(T17)
{
    const srdi_dataset *d = ctx->d;
    srdi_buf label = {0};
    srdi_status st = SRDI_OK;
    double topn = srdi_params_num(ctx->params, "t17", "top_n_documents", 12);
    long long cnt[100];
    long long total = division_counts(ctx, cnt, NULL);
    tk_ranked ks[100];
    char codes[100][3];
    size_t m = division_ranking(cnt, ks, codes);
    for (size_t j = 0; j < m; j++) {
        TK_TRY(tk_code_label(d, ks[j].key, &label));
        int r;
        TK_ROW(r, t, ks[j].key, label.data);
        srdi_table_set_num(t, r, 0, (double)ks[j].count);
        srdi_table_set_num(t, r, 1, srdi_div((double)ks[j].count, (double)total));
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
done:
    srdi_buf_free(&label);
    return st;
}
