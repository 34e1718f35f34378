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

/* Cluster index (into ref->cluster_names) of each province, -1 for none; from the scratch @p s. */
static int *province_clusters(const srdi_reference *ref, tk_scratch *s)
{
    int *pc = tk_zalloc(s, ref->n_provinces + 1, sizeof *pc);
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
static long long division_counts(const srdi_tctx *ctx, double cnt[100])
{
    const srdi_dataset *d = ctx->d;
    long long total = 0;
    memset(cnt, 0, 100 * sizeof *cnt);
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        total++;
        int dv = division_of(d, i);
        if (dv >= 0) cnt[dv]++;
    }
    return total;
}

static const char *division_key(const void *codes, size_t dv)
{
    return ((const char(*)[3])codes)[dv];
}

/* Divisions with a count, sorted by count desc then code asc; codes[] holds the 2-digit keys. */
static size_t division_ranking(const double cnt[100], tk_ranked ks[100], char codes[100][3])
{
    for (int dv = 0; dv < 100; dv++) {
        codes[dv][0] = (char)('0' + dv / 10);
        codes[dv][1] = (char)('0' + dv % 10);
        codes[dv][2] = '\0';
    }
    return tk_rank(cnt, 100, false, division_key, codes, ks);
}

static const char *province_key(const void *ref, size_t p)
{
    return ((const srdi_reference *)ref)->provinces[p].name;
}

static const char *city_key(const void *cities, size_t c)
{
    return srdi_strpool_get(cities, (uint32_t)c);
}

/*
 * T13 province_rank: every province with P enterprises, by count descending
 * (ties by ascending name): competition rank, count, share of P, national
 * share inside the province.  Always over the whole P (docs/tables.md "Scope"):
 * a regional edition places its region among the others.
 */
SRDI_TABLE_FN(T13)
{
    double topn = srdi_params_num(ctx->params, "t13", "top_n_documents", 10);
    size_t np = d->ref ? d->ref->n_provinces : 0;
    double *cnt = tk_zalloc(s, np + 1, sizeof *cnt), *nat = tk_zalloc(s, np + 1, sizeof *nat);
    tk_ranked *ks = tk_zalloc(s, np + 1, sizeof *ks);
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
    /* "lists every province": all of provinces.csv, those without enterprises
       with count 0 (ranked last together) and a null national share */
    size_t m = tk_rank(cnt, np, true, province_key, d->ref, ks);
    long long rank = 0;
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || ks[j].count != ks[j - 1].count) rank = (long long)j + 1;
        int r;
        TK_ROW(r, t, ks[j].key, ks[j].key);
        srdi_table_set_num(t, r, 0, (double)rank);
        tk_count_share(t, r, 1, ks[j].count, (double)total);
        srdi_table_set_num(t, r, 3, srdi_div(nat[ks[j].idx], ks[j].count));
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
    return SRDI_OK;
}

/*
 * T14 clusters: for each cluster of provinces.csv (京津冀, 长三角, 珠三角):
 * count of P rows, share of P, national share inside the cluster.  Over the
 * whole P whatever the scope, as T13.
 */
SRDI_TABLE_FN(T14)
{
    srdi_status st = SRDI_OK;
    int *pc = NULL;
    if (!d->ref) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "T14 needs reference data (provinces.csv clusters)");
        return st;
    }
    size_t nc = d->ref->n_cluster_names;
    pc = province_clusters(d->ref, s);
    double *cnt = tk_zalloc(s, nc + 1, sizeof *cnt), *nat = tk_zalloc(s, nc + 1, sizeof *nat);
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
        tk_count_share(t, r, 0, cnt[k], (double)total);
        srdi_table_set_num(t, r, 2, srdi_div(nat[k], cnt[k]));
    }
    t->n = total;
    srdi_table_set_params(t, "clusters=provinces.csv");
    return st;
}

/*
 * T15 cluster_industry: the top_n divisions of P by count × clusters: the
 * share of the cluster's P enterprises that are in the division.
 */
SRDI_TABLE_FN(T15)
{
    srdi_buf *label = tk_buf(s); /* freed with the scratch */
    if (!label) TK_NOMEM();
    srdi_status st = SRDI_OK;
    int *pc = NULL;
    double topn_d = srdi_params_num(ctx->params, "t15", "top_n", 10);
    size_t topn = topn_d > 0 ? (size_t)topn_d : 0;
    if (!d->ref) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "T15 needs reference data (provinces.csv clusters)");
        return st;
    }
    size_t nc = d->ref->n_cluster_names;
    for (size_t k = 0; k < nc; k++)
        if (srdi_table_add_col(t, d->ref->cluster_names[k], d->ref->cluster_names[k], SRDI_COL_SHARE, "", -1) < 0)
            TK_NOMEM();
    pc = province_clusters(d->ref, s);
    double(*cc)[100] = tk_zalloc(s, nc + 1, sizeof *cc), *ctot = tk_zalloc(s, nc + 1, sizeof *ctot);
    if (!pc || !cc || !ctot) TK_NOMEM();
    double cnt[100];
    division_counts(ctx, cnt);
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
        TK_TRY(tk_code_label(d, ks[j].key, label));
        int r;
        TK_ROW(r, t, ks[j].key, label->data);
        for (size_t k = 0; k < nc; k++) srdi_table_set_num(t, r, (int)k, srdi_div(cc[k][ks[j].idx], ctot[k]));
    }
    t->n = used;
    srdi_table_set_params(t, "top_n=%zu", topn);
    return st;
}

/*
 * The median patents_total of each city's P rows: med[c] (NAN without a
 * value).  The values are placed city by city (counted first, so one array
 * of the values and no sort: a selection per city, srdi_median).
 */
static srdi_status city_medians(const srdi_tctx *ctx, size_t ncity, tk_scratch *s, double *med)
{
    const srdi_dataset *d = ctx->d;
    size_t *at = tk_zalloc(s, ncity + 1, sizeof *at), *len = tk_zalloc(s, ncity + 1, sizeof *len);
    if (!at || !len) return SRDI_ERR_NOMEM;
    const srdi_ecol *pt = &d->num[SRDI_F_PATENTS_TOTAL];
    double p;
    size_t ncv = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
        if (d->city[i] < ncity && srdi_ecol_get(pt, i, &p) && srdi_in_P(ctx, i)) len[d->city[i]]++;
    for (size_t c = 0; c < ncity; c++) {
        at[c] = ncv;
        ncv += len[c];
    }
    double *vals = tk_zalloc(s, ncv + 1, sizeof *vals);
    if (!vals) return SRDI_ERR_NOMEM;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i))
        if (d->city[i] < ncity && srdi_ecol_get(pt, i, &p) && srdi_in_P(ctx, i)) vals[at[d->city[i]]++] = p;
    for (size_t c = 0, from = 0; c < ncity; from += len[c++]) med[c] = len[c] ? srdi_median(vals + from, len[c]) : NAN;
    return SRDI_OK;
}

/*
 * T16 city_rank: every city with P enterprises by count descending (ties by
 * ascending name): count, share of P, median patents_total of its P rows
 * with a value.
 */
SRDI_TABLE_FN(T16)
{
    double topn = srdi_params_num(ctx->params, "t16", "top_n_documents", 20);
    size_t ncity = d->cities ? srdi_strpool_count(d->cities) : 0;
    double *cnt = tk_zalloc(s, ncity + 1, sizeof *cnt), *med = tk_zalloc(s, ncity + 1, sizeof *med);
    tk_ranked *ks = tk_zalloc(s, ncity + 1, sizeof *ks);
    if (!cnt || !med || !ks) TK_NOMEM();
    long long total = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        total++;
        if (d->city[i] < ncity) cnt[d->city[i]]++;
    }
    TK_TRY(city_medians(ctx, ncity, s, med));
    size_t m = tk_rank(cnt, ncity, false, city_key, d->cities, ks);
    for (size_t j = 0; j < m; j++) {
        int r;
        TK_ROW(r, t, ks[j].key, ks[j].key);
        tk_count_share(t, r, 0, ks[j].count, (double)total);
        srdi_table_set_num(t, r, 2, med[ks[j].idx]);
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
    return SRDI_OK;
}

/*
 * T17 division_rank: every division (大类) with P enterprises by count
 * descending (ties by ascending code): count and share of P.
 */
SRDI_TABLE_FN(T17)
{
    srdi_buf *label = tk_buf(s); /* freed with the scratch */
    if (!label) TK_NOMEM();
    double topn = srdi_params_num(ctx->params, "t17", "top_n_documents", 12);
    double cnt[100];
    long long total = division_counts(ctx, cnt);
    tk_ranked ks[100];
    char codes[100][3];
    size_t m = division_ranking(cnt, ks, codes);
    for (size_t j = 0; j < m; j++) {
        TK_TRY(tk_code_label(d, ks[j].key, label));
        int r;
        TK_ROW(r, t, ks[j].key, label->data);
        tk_count_share(t, r, 0, ks[j].count, (double)total);
    }
    t->n = total;
    srdi_table_set_params(t, "top_n_documents=%g", topn);
    return SRDI_OK;
}
