/*
 * src/tables/kit.c — the toolkit shared by every table builder (see kit.h).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

/* ------------------------------------------------------------- builders */

srdi_status tk_add_cols(srdi_table *t, const tk_col *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (srdi_table_add_col(t, c[i].key, c[i].label, c[i].type, c[i].unit ? c[i].unit : "", c[i].dec) < 0)
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding column %s to %s", c[i].key, t->id);
    return SRDI_OK;
}

srdi_status tk_build(const srdi_tctx *ctx, const srdi_table_def *def, srdi_table **out)
{
    assert(ctx && def && def->build && out);
    srdi_status st;
    srdi_table *t = srdi_table_new(def->id, def->name, def->title, def->sheet);
    if (!t)
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating %s", def->id);
    else if (srdi_table_set_source(t, def->source) != SRDI_OK)
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory setting the source of %s", def->id);
    else if ((st = tk_registry_cols(t, def->id)) == SRDI_OK) {
        tk_scratch scratch = {0};
        st = def->build(ctx, ctx->d, t, &scratch);
        tk_scratch_free(&scratch);
    }
    /* every out-of-memory ends here with a current message (never an older one) */
    if (st == SRDI_OK && (!t || srdi_table_failed(t))) st = SRDI_ERR_NOMEM;
    if (st == SRDI_OK) {
        *out = t;
        return SRDI_OK;
    }
    srdi_table_free(t);
    *out = NULL;
    if (st == SRDI_ERR_NOMEM) srdi_error_set(SRDI_ERR_NOMEM, "out of memory building %s", def->id);
    return st;
}

/* -------------------------------------------------------------- scratch */

/* One allocation of a scratch: an array, or n vectors / buffers whose contents it also owns. */
struct tk_block {
    void *p;
    size_t nvec, nbuf;
};

/* Record @p p (NULL: out of memory) in @p s; on failure free it and return NULL. */
static void *scratch_keep(tk_scratch *s, void *p, size_t nvec, size_t nbuf)
{
    if (p && srdi_grow((void **)&s->blocks, &s->cap, s->n + 1, sizeof *s->blocks) != SRDI_OK) {
        free(p);
        p = NULL;
    }
    if (!p) {
        srdi_error_set(SRDI_ERR_NOMEM, "out of memory for the scratch arrays of a table");
        return NULL;
    }
    s->blocks[s->n++] = (struct tk_block){p, nvec, nbuf};
    return p;
}

_Atomic size_t tk_zalloc_bytes;

void *tk_zalloc(tk_scratch *s, size_t n, size_t size)
{
    if (n && size > SIZE_MAX / n) return scratch_keep(s, NULL, 0, 0);
    size_t bytes = n ? n * size : size;
    atomic_fetch_add_explicit(&tk_zalloc_bytes, bytes, memory_order_relaxed);
    /* an array over every row (1.3 MB at the national size): 2 MiB pages, a fault each instead of 330 */
    void *p = bytes >= ((size_t)1 << 20) ? srdi_malloc_huge(bytes) : calloc(1, bytes);
    if (p && bytes >= ((size_t)1 << 20)) memset(p, 0, bytes);
    return scratch_keep(s, p, 0, 0);
}

srdi_vec *tk_vecs(tk_scratch *s, size_t n)
{
    return scratch_keep(s, calloc(n ? n : 1, sizeof(srdi_vec)), n, 0);
}

srdi_buf *tk_buf(tk_scratch *s)
{
    return scratch_keep(s, calloc(1, sizeof(srdi_buf)), 0, 1);
}

void tk_scratch_free(tk_scratch *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct tk_block *b = &s->blocks[i];
        for (size_t k = 0; k < b->nvec; k++) srdi_vec_free(&((srdi_vec *)b->p)[k]);
        if (b->nbuf) srdi_buf_free(b->p);
        free(b->p);
    }
    free(s->blocks);
    *s = (tk_scratch){0};
}

/* ----------------------------------------------------------- population */

const srdi_level tk_levels[2] = {SRDI_LEVEL_NATIONAL, SRDI_LEVEL_PROVINCIAL};

const char *tk_lv_label(int li)
{
    assert(li == 0 || li == 1);
    return li == 0 ? "国家级专精特新“小巨人”企业" : "省级专精特新企业";
}

srdi_status tk_level_row(srdi_table *t, int li, int *r)
{
    *r = srdi_table_add_row(t, srdi_level_key(tk_levels[li]), tk_lv_label(li));
    return *r < 0 ? SRDI_ERR_NOMEM : SRDI_OK;
}

srdi_status tk_year_row(srdi_table *t, int year, int *r)
{
    char key[16], label[24];
    snprintf(key, sizeof key, "%d", year);
    snprintf(label, sizeof label, "%d年", year);
    *r = srdi_table_add_row(t, key, label);
    return *r < 0 ? SRDI_ERR_NOMEM : SRDI_OK;
}

srdi_status tk_total_row(srdi_table *t, double total, int *r)
{
    *r = srdi_table_add_row(t, "total", "合计");
    if (*r < 0) return SRDI_ERR_NOMEM;
    srdi_table_set_num(t, *r, 0, total);
    t->n = (long long)total;
    return SRDI_OK;
}

srdi_status tk_compare_row(srdi_table *t, const char *key, const char *label, double nat, double prov, bool multiple,
                           int *r)
{
    *r = srdi_table_add_row(t, key, label);
    if (*r < 0) return SRDI_ERR_NOMEM;
    srdi_table_set_num(t, *r, 0, nat);
    srdi_table_set_num(t, *r, 1, prov);
    srdi_table_set_num(t, *r, 2, tk_gap_pp(nat, prov));
    if (multiple) srdi_table_set_num(t, *r, 3, srdi_div(nat, prov));
    return SRDI_OK;
}

bool tk_no_financials(const srdi_dataset *d, srdi_table *t)
{
    if (d->has_financials) return false;
    t->no_data = true;
    srdi_table_set_note(t, "未提供财务数据（financials.csv）");
    return true;
}

long long tk_count_P(const srdi_tctx *ctx, long long *nat)
{
    long long n = 0, k = 0;
    for (size_t i = tk_first(ctx); i < ctx->d->n; i = tk_next(ctx, i)) {
        if (!srdi_in_P(ctx, i)) continue;
        n++;
        if (tk_is_nat(ctx, i)) k++;
    }
    if (nat) *nat = k;
    return n;
}

long long tk_level_count(const srdi_tctx *ctx, srdi_level level)
{
    long long n = 0;
    for (size_t i = tk_first(ctx); i < ctx->d->n; i = tk_next(ctx, i))
        n += srdi_in_scope(ctx, i) && ctx->d->level[i] == level;
    return n;
}

/* --------------------------------------------------------- value helpers */

srdi_status tk_collect_level(const srdi_tctx *ctx, srdi_field f, srdi_level level, srdi_vec *v)
{
    const srdi_dataset *d = ctx->d;
    const srdi_ecol *c = &d->num[f];
    double x;
    srdi_vec_clear(v);
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_ecol_get(c, i, &x) || !srdi_in_P(ctx, i) || d->level[i] != level) continue;
        srdi_status st = srdi_vec_push(v, x);
        if (st != SRDI_OK) return st;
    }
    return SRDI_OK;
}

/* The whole data set's national-level medians of the score fields, computed once (tables.h). */
struct srdi_tables_shared {
    const srdi_dataset *d;
    bool have[SRDI_F_COUNT];
    double nat_median[SRDI_F_COUNT];
    int *dom; /* every row's strategic domain (tk_row_domains) */
};

static srdi_status row_domains_fill(const srdi_dataset *d, int *dom);

srdi_status srdi_tables_shared_new(const srdi_dataset *d, srdi_tables_shared **out)
{
    srdi_tables_shared *s = calloc(1, sizeof *s);
    srdi_vec tmp = {0};
    srdi_status st = SRDI_OK;
    if (!s) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    s->d = d;
    const srdi_tctx whole = {.d = d};
    for (int k = 0; k < 5 && st == SRDI_OK; k++) {
        st = tk_level_median(&whole, tk_dims[k].f, SRDI_LEVEL_NATIONAL, &tmp, &s->nat_median[tk_dims[k].f]);
        s->have[tk_dims[k].f] = true;
    }
    srdi_vec_free(&tmp);
    if (st == SRDI_OK && !(s->dom = malloc((d->n ? d->n : 1) * sizeof *s->dom)))
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory classifying %zu enterprises by domain", d->n);
    if (st == SRDI_OK) st = row_domains_fill(d, s->dom);
    if (st != SRDI_OK) {
        srdi_tables_shared_free(s);
        return st;
    }
    *out = s;
    return SRDI_OK;
}

void srdi_tables_shared_free(srdi_tables_shared *s)
{
    if (s) free(s->dom);
    free(s);
}

/*
 * A level median of an integer column (every width but 8), counted: a cell
 * is an integer k whose order is its value's (the value k, or k / 100 at
 * SRDI_ECOL_CENTS), so the median is found from histograms of k rather than
 * by copying the values out and selecting (srdi_median).  The same cells,
 * the same two middle values added the same way: the same bits.  Keys of
 * one byte are counted at once; wider ones by their top digit first (the
 * keys kept), then digit by digit within the bucket of the rank.
 */

/* Cell @p row of integer column @p c as its key k, UINT32_MAX when missing (width given as a constant). */
static inline uint32_t ecol_key(const srdi_ecol *c, unsigned width, size_t row)
{
    switch (width) {
    case SRDI_ECOL_2BIT: {
        unsigned x = (((const uint8_t *)c->v)[row >> 2] >> ((row & 3) * 2)) & 3u;
        return x == 3 ? UINT32_MAX : x;
    }
    case 1: {
        uint8_t x = ((const uint8_t *)c->v)[row];
        return x == UINT8_MAX ? UINT32_MAX : x;
    }
    case 2: {
        uint16_t x = ((const uint16_t *)c->v)[row];
        return x == UINT16_MAX ? UINT32_MAX : x;
    }
    default: return ((const uint32_t *)c->v)[row]; /* 4, SRDI_ECOL_CENTS: all bits set is missing */
    }
}

/*
 * Count the keys of the rows tk_level_median takes into top[key >> shift]
 * (keys[] kept when not NULL).  Returns the count.
 */
static inline size_t count_keys(const srdi_tctx *ctx, const srdi_ecol *c, unsigned width, int level, unsigned shift,
                                uint32_t *top, uint32_t *keys)
{
    const srdi_dataset *d = ctx->d;
    size_t m = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        uint32_t k = ecol_key(c, width, i);
        if (k == UINT32_MAX || !srdi_in_P(ctx, i)) continue;
        if (level >= 0 && d->level[i] != level) continue;
        if (keys) keys[m] = k;
        top[k >> shift]++;
        m++;
    }
    return m;
}

/*
 * The key of rank @p r (from 0) among the m counted keys: the top digit
 * from top[] (key >> sh[0]), each next digit (key >> sh[L], at most 11
 * bits) counted over the keys that share the digits found so far.
 */
static uint32_t key_of_rank(const uint32_t *top, const uint32_t *keys, size_t m, const unsigned *sh, int nlev, size_t r)
{
    size_t cum = 0, b = 0;
    while (cum + top[b] <= r) cum += top[b++];
    uint32_t prefix = (uint32_t)b;
    for (int l = 1; l < nlev; l++) {
        unsigned bits = sh[l - 1] - sh[l];
        uint32_t h[2048] = {0};
        for (size_t j = 0; j < m; j++)
            if ((keys[j] >> sh[l - 1]) == prefix) h[(keys[j] >> sh[l]) & ((1u << bits) - 1)]++;
        b = 0;
        while (cum + h[b] <= r) cum += h[b++];
        prefix = prefix << bits | (uint32_t)b;
    }
    return prefix;
}

/* The counted median into *out; false (nothing done) when the column is not an integer one (or no memory). */
static bool counted_median(const srdi_tctx *ctx, const srdi_ecol *c, int level, srdi_vec *tmp, double *out)
{
    static const unsigned sh_byte[1] = {0}, sh_two[2] = {8, 0}, sh_four[3] = {21, 10, 0};
    uint32_t top[2048] = {0};
    uint32_t *keys = NULL;
    unsigned width = c->width;
    const unsigned *sh = sh_byte;
    int nlev = 1;
    if (width == 2 || width == 4 || width == SRDI_ECOL_CENTS) { /* the keys kept, in the vector's room */
        if (srdi_vec_reserve(tmp, (ctx->d->n + 1) / 2) != SRDI_OK) {
            srdi_error_clear();
            return false;
        }
        keys = (uint32_t *)(void *)tmp->v;
        tmp->n = 0;
        sh = width == 2 ? sh_two : sh_four;
        nlev = width == 2 ? 2 : 3;
    }
    size_t m;
    switch (width) { /* a loop per width */
    case SRDI_ECOL_2BIT: m = count_keys(ctx, c, SRDI_ECOL_2BIT, level, 0, top, NULL); break;
    case 1: m = count_keys(ctx, c, 1, level, 0, top, NULL); break;
    case 2: m = count_keys(ctx, c, 2, level, 8, top, keys); break;
    case 4: m = count_keys(ctx, c, 4, level, 21, top, keys); break;
    case SRDI_ECOL_CENTS: m = count_keys(ctx, c, SRDI_ECOL_CENTS, level, 21, top, keys); break;
    default: return false;
    }
    if (m == 0) {
        *out = NAN;
        return true;
    }
    uint32_t kh = key_of_rank(top, keys, m, sh, nlev, m / 2);
    double hi = width == SRDI_ECOL_CENTS ? (double)kh / 100.0 : (double)kh;
    if (m % 2 == 1) {
        *out = hi;
    } else {
        uint32_t kl = key_of_rank(top, keys, m, sh, nlev, m / 2 - 1);
        double lo = width == SRDI_ECOL_CENTS ? (double)kl / 100.0 : (double)kl;
        *out = (lo + hi) / 2.0;
    }
    return true;
}

srdi_status tk_level_median(const srdi_tctx *ctx, srdi_field f, int level, srdi_vec *tmp, double *out)
{
    const srdi_dataset *d = ctx->d;
    const srdi_tables_shared *sh = ctx->shared;
    if (!ctx->scope && sh && sh->d == d && level == SRDI_LEVEL_NATIONAL && sh->have[f]) {
        *out = sh->nat_median[f]; /* the whole data set's, computed once */
        return SRDI_OK;
    }
    const srdi_ecol *c = &d->num[f];
    if (counted_median(ctx, c, level, tmp, out)) return SRDI_OK;
    if (srdi_vec_reserve(tmp, d->n) != SRDI_OK)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory collecting %zu values", d->n);
    size_t m = 0;
    for (size_t i = tk_first(ctx); i < d->n; i = tk_next(ctx, i)) {
        if (!srdi_ecol_get(c, i, &tmp->v[m]) || !srdi_in_P(ctx, i)) continue;
        if (level >= 0 && d->level[i] != level) continue;
        m++;
    }
    tmp->n = m;
    *out = srdi_median(tmp->v, m);
    return SRDI_OK;
}

int tk_std_sum(const srdi_dataset *d, size_t row, double *s)
{
    double a, b, c, e;
    if (!srdi_get(d, SRDI_F_STD_NATIONAL, row, &a) || !srdi_get(d, SRDI_F_STD_INDUSTRY, row, &b) ||
        !srdi_get(d, SRDI_F_STD_LOCAL, row, &c) || !srdi_get(d, SRDI_F_STD_GROUP, row, &e))
        return 0;
    *s = a + b + c + e;
    return 1;
}

int tk_rd_ratio(const srdi_dataset *d, size_t k, double *r)
{
    if (!d->fin_revenue.present[k] || !d->fin_rd.present[k]) return 0;
    double rev = d->fin_revenue.v[k];
    if (!(rev > 0)) return 0;
    *r = d->fin_rd.v[k] / rev;
    return 1;
}

srdi_status tk_latest_ratios(const srdi_tctx *ctx, tk_scratch *s, double **out, int *year)
{
    const srdi_dataset *d = ctx->d;
    double *r = tk_zalloc(s, d->n, sizeof *r);
    if (!r) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory computing ratios of %zu enterprises", d->n);
    for (size_t i = 0; i < d->n; i++) r[i] = NAN;
    int y = srdi_dataset_latest_fin_year(d);
    for (size_t k = 0; k < d->n_fin; k++) {
        uint32_t e = d->fin_ent[k];
        double q;
        if (d->fin_year[k] != y || e >= d->n || !srdi_in_scope(ctx, e) || !tk_rd_ratio(d, k, &q)) continue;
        r[e] = q;
    }
    *out = r;
    *year = y;
    return SRDI_OK;
}

static int ratio_row_cmp(const void *a, const void *b)
{
    const tk_ratio *x = a, *y = b;
    return x->row < y->row ? -1 : x->row > y->row;
}

srdi_status tk_latest_ratio_list(const srdi_tctx *ctx, tk_scratch *s, tk_ratio **out, size_t *n, int *year)
{
    const srdi_dataset *d = ctx->d;
    int y = srdi_dataset_latest_fin_year(d);
    size_t m = 0;
    for (size_t k = 0; k < d->n_fin; k++) m += d->fin_year[k] == y;
    tk_ratio *v = tk_zalloc(s, m, sizeof *v);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory computing ratios of %zu enterprises", d->n);
    size_t c = 0;
    for (size_t k = 0; k < d->n_fin; k++) {
        uint32_t e = d->fin_ent[k];
        double q;
        if (d->fin_year[k] != y || e >= d->n || !srdi_in_scope(ctx, e) || !tk_rd_ratio(d, k, &q)) continue;
        v[c++] = (tk_ratio){e, q};
    }
    /* by row, a row's financial rows in file order (keys row · (c + 1) + place: unique), the last kept
       (as tk_latest_ratios overwrites) */
    for (size_t i = 0; i < c; i++) v[i].row = v[i].row * (c + 1) + i;
    qsort(v, c, sizeof *v, ratio_row_cmp);
    size_t o = 0;
    for (size_t i = 0; i < c; i++) {
        size_t row = v[i].row / (c + 1);
        if (o > 0 && v[o - 1].row == row)
            v[o - 1].q = v[i].q; /* a later financial row of the same enterprise */
        else
            v[o++] = (tk_ratio){row, v[i].q};
    }
    *out = v;
    *n = o;
    *year = y;
    return SRDI_OK;
}

void tk_fmt_num(char *buf, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%g", v);
}

/* -------------------------------------------------------- industry codes */

int tk_code_prefix(const char *cls, size_t len)
{
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (cls[i] < '0' || cls[i] > '9') return -1;
        v = v * 10 + (cls[i] - '0');
    }
    return v;
}

srdi_status tk_code_label(const srdi_dataset *d, const char *code, srdi_buf *b)
{
    const srdi_industry *ind = d->ref ? srdi_reference_industry(d->ref, code) : NULL;
    srdi_buf_reset(b);
    if (ind && ind->name) return srdi_buf_printf(b, "%s%s", code, ind->name);
    return srdi_buf_puts(b, code);
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

/* The domain of every row of @p d into @p dom, the prefix lookup cached per 4-digit class code. */
static srdi_status row_domains_fill(const srdi_dataset *d, int *dom)
{
    int *cache = malloc(10000 * sizeof *cache);
    if (!cache) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory classifying %zu enterprises by domain", d->n);
    for (size_t k = 0; k < 10000; k++) cache[k] = -2;
    for (size_t i = 0; i < d->n; i++) {
        int c = tk_code_prefix(d->industry[i], 4);
        if (c < 0) {
            dom[i] = domain_index(d->ref, d->industry[i]);
            continue;
        }
        if (cache[c] == -2) cache[c] = domain_index(d->ref, d->industry[i]);
        dom[i] = cache[c];
    }
    free(cache);
    return SRDI_OK;
}

srdi_status tk_row_domains(const srdi_tctx *ctx, tk_scratch *s, const int **out)
{
    const srdi_dataset *d = ctx->d;
    const srdi_tables_shared *sh = ctx->shared;
    if (sh && sh->d == d && sh->dom) { /* every row's, computed once for every scope */
        *out = sh->dom;
        return SRDI_OK;
    }
    int *dom = tk_zalloc(s, d->n, sizeof *dom);
    if (!dom) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory classifying %zu enterprises by domain", d->n);
    srdi_status st = row_domains_fill(d, dom);
    if (st == SRDI_OK) *out = dom;
    return st;
}

/* -------------------------------------------------------------- rankings */

int tk_ranked_cmp(const void *a, const void *b)
{
    const tk_ranked *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

size_t tk_rank(const double *cnt, size_t n, bool all, tk_key_fn key, const void *ud, tk_ranked *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!all && !(cnt[i] > 0)) continue;
        out[m++] = (tk_ranked){key(ud, i), cnt[i], (int)i};
    }
    qsort(out, m, sizeof *out, tk_ranked_cmp);
    return m;
}

void tk_count_share(srdi_table *t, int r, int col, double count, double total)
{
    srdi_table_set_num(t, r, col, count);
    srdi_table_set_num(t, r, col + 1, srdi_div(count, total));
}

/* ------------------------------------------- five dimensions and scores */

const tk_dim tk_dims[5] = {
    {"技术实力", SRDI_F_PATENTS_TOTAL, "w_tech", 25, "专利总量"},
    {"创新质量", SRDI_F_INVENTION_GRANTS, "w_quality", 30, "发明授权"},
    {"创新规模", SRDI_F_STAFF, "w_scale", 15, "参保人数"},
    {"资本实力", SRDI_F_REG_CAPITAL, "w_capital", 20, "注册资本"},
    {"数字化能力", SRDI_F_SOFTWARE_COPYRIGHTS, "w_digital", 10, "软著"},
};

/* Score of row i from the national medians and weights; NAN when a value is missing. */
static double row_score(const srdi_dataset *d, size_t i, const double med[5], const double w[5], double cap)
{
    double sum = 0;
    for (int k = 0; k < 5; k++) {
        double v;
        if (!srdi_get(d, tk_dims[k].f, i, &v)) return NAN;
        double part = 100.0 * v / med[k];
        if (part > cap) part = cap;
        sum += (w[k] / 100.0) * part;
    }
    return sum;
}

double tk_score(const srdi_dataset *d, const tk_scorer *sc, size_t i)
{
    return sc->usable ? row_score(d, i, sc->med, sc->w, sc->cap) : NAN;
}

srdi_status tk_enterprise_scorer(const srdi_tctx *ctx, tk_scorer *sc, srdi_buf *params_text)
{
    double *med = sc->med, *w = sc->w;
    double cap = srdi_params_num(ctx->params, "t24", "cap", 100);
    srdi_vec tmp = {0};
    srdi_status st = SRDI_OK;
    int usable = 1;
    sc->cap = cap;
    sc->usable = false;
    const srdi_tctx whole = srdi_whole(ctx); /* reference medians of the whole P (docs/tables.md "Scope") */
    for (int k = 0; k < 5; k++) {
        w[k] = srdi_params_num(ctx->params, "t24", tk_dims[k].wkey, tk_dims[k].wdef);
        if ((st = tk_level_median(&whole, tk_dims[k].f, SRDI_LEVEL_NATIONAL, &tmp, &med[k])) != SRDI_OK) goto cleanup;
        if (!(med[k] != 0) || isnan(med[k])) usable = 0;
        if (params_text && srdi_buf_printf(params_text, "%s%s=%g", k ? "; " : "", tk_dims[k].wkey, w[k]) != SRDI_OK) {
            st = SRDI_ERR_NOMEM;
            goto cleanup;
        }
    }
    if (params_text && srdi_buf_printf(params_text, "; cap=%g", cap) != SRDI_OK) {
        st = SRDI_ERR_NOMEM;
        goto cleanup;
    }
    sc->usable = usable != 0;
cleanup:
    srdi_vec_free(&tmp);
    return st;
}

/* tk_gap_pp (kit.h): the difference of the two shares as printed. */
double tk_gap_pp(double nat, double prov)
{
    if (isnan(nat) || isnan(prov)) return NAN;
    int d = srdi_number_decimals(SRDI_COL_SHARE, -1);
    char a[64], b[64], g[64];
    snprintf(a, sizeof a, "%.*f", d, nat * 100.0); /* rounded as srdi_number_format prints it */
    snprintf(b, sizeof b, "%.*f", d, prov * 100.0);
    snprintf(g, sizeof g, "%.*f", d, strtod(a, NULL) - strtod(b, NULL));
    return strtod(g, NULL);
}
