/*
 * reference.c — the editable reference CSVs (classification, provinces,
 * strategic domains) loaded at run time.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/csvread.h"
#include "srdi/reference.h"
#include "srdi/util.h"

typedef struct ref_index {
    srdi_strpool *ind_codes;  /* id == index into industries */
    srdi_strpool *prov_names; /* full and short names → id; prov_of[id] = province index */
    int *prov_of;
    int *prov_line;             /* line in provinces.csv of each name, by pool id */
    size_t prov_cap;            /* elements allocated in prov_of and prov_line */
    srdi_strpool *dom_prefix;   /* id == index into domains */
    srdi_strpool *city_keys[2]; /* full names [0], short forms [1] → id; city_head[k][id] = first city */
    int *city_head[2];
    size_t city_cap[2];
    int *city_next[2]; /* next city with the same key, by city index, or -1 */
} ref_index;

/* ------------------------------------------- CSV records through srdi/csvread.h */

#define REF_MAX_COLS 64

typedef srdi_status (*row_fn)(srdi_reference *r, char **f, int nf, const char *path, int line);

/* Trim surrounding spaces and tabs in place (also inside a quoted field: "  北京市 "). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
    return s;
}

typedef struct load_ctx {
    srdi_reference *r;
    row_fn fn;
    const char *path;
    int ncols;
    bool header_done;
    srdi_buf store; /* the record's fields, NUL-separated (trimmed in place) */
    char *fields[REF_MAX_COLS];
} load_ctx;

/* One record of a reference CSV: the header is checked, every later one handed to lc->fn. */
static srdi_status lc_record(void *data, const srdi_csv_record *rec)
{
    load_ctx *lc = data;
    int line = (int)rec->line;
    if (rec->status != SRDI_CSV_REC_OK) {
        assert(rec->n > 0);
        const char *bad = rec->f[rec->n - 1];
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: column %zu: malformed CSV record (%s): '%.*s'", lc->path,
                              line, rec->n, srdi_csv_rec_problem(rec), srdi_csv_quote_len(bad), bad);
    }
    if (rec->n > REF_MAX_COLS)
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: more than %d columns", lc->path, line, REF_MAX_COLS);
    srdi_buf_reset(&lc->store);
    size_t starts[REF_MAX_COLS];
    for (size_t i = 0; i < rec->n; i++) {
        starts[i] = lc->store.len;
        if (srdi_buf_append(&lc->store, rec->f[i], rec->len[i] + 1) != SRDI_OK) /* with its NUL */
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", lc->path);
    }
    int nf = (int)rec->n;
    for (int i = 0; i < nf; i++) lc->fields[i] = trim(lc->store.data + starts[i]);
    if (!lc->header_done) {
        lc->header_done = true;
        if (nf < lc->ncols)
            return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: expected a header with %d columns", lc->path, line,
                                  lc->ncols);
        return SRDI_OK;
    }
    if (nf == 1 && lc->fields[0][0] == 0) return SRDI_OK; /* a line of spaces */
    if (nf < lc->ncols)
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: expected %d columns, found %d", lc->path, line, lc->ncols,
                              nf);
    return lc->fn(lc->r, lc->fields, nf, lc->path, line);
}

/* Read a CSV (UTF-8, optional BOM) whose header must start with the given columns; call fn per row. */
static srdi_status load_csv(srdi_reference *r, const char *dir, const char *file, int ncols, row_fn fn, bool optional)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (optional) return SRDI_OK;
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s: cannot open reference file", path);
    }
    load_ctx lc = {.r = r, .fn = fn, .path = path, .ncols = ncols};
    srdi_csv_reader rd;
    srdi_status st = srdi_csv_reader_init(&rd, lc_record, &lc, 1);
    if (st != SRDI_OK) {
        fclose(fp);
        return st;
    }
    char chunk[65536];
    size_t n;
    bool first = true;
    while (st == SRDI_OK && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        size_t skip = first && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a UTF-8 BOM */
        first = false;
        st = srdi_csv_reader_feed(&rd, chunk + skip, n - skip);
    }
    if (st == SRDI_OK && ferror(fp)) st = srdi_error_set(SRDI_ERR_REFERENCE, "%s: read failed", path);
    if (st == SRDI_OK) st = srdi_csv_reader_finish(&rd);
    if (st == SRDI_OK && !lc.header_done)
        st = srdi_error_set(SRDI_ERR_REFERENCE, "%s:1: expected a header with %d columns", path, ncols);
    srdi_csv_reader_free(&rd);
    srdi_buf_free(&lc.store);
    fclose(fp);
    return st;
}

/*
 * Make room for element @p n of an array of srdi_reference whose capacity
 * follows from its count (0, then 16, doubling: srdi_grow's rule).
 * Returns SRDI_OK, or SRDI_ERR_NOMEM (message set).
 */
static srdi_status grow_for(void **arr, size_t n, size_t elem)
{
    size_t cap = 0;
    if (n) {
        cap = 16;
        while (cap < n) cap *= 2;
    }
    return srdi_grow(arr, &cap, n + 1, elem);
}
#define GROW(arr, n)                                                                                                   \
    do {                                                                                                               \
        srdi_status g_ = grow_for((void **)&(arr), (n), sizeof *(arr));                                                \
        if (g_ != SRDI_OK) return g_;                                                                                  \
    } while (0)

static srdi_status add_name(char ***arr, size_t *n, const char *s)
{
    if (!*s) return SRDI_OK;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i], s) == 0) return SRDI_OK;
    GROW(*arr, *n);
    if (!((*arr)[*n] = srdi_strdup(s))) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory adding name %s", s);
    (*n)++;
    return SRDI_OK;
}

static srdi_status on_industry(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    srdi_ind_level lv;
    if (strcmp(f[1], "section") == 0)
        lv = SRDI_IND_SECTION;
    else if (strcmp(f[1], "division") == 0)
        lv = SRDI_IND_DIVISION;
    else if (strcmp(f[1], "group") == 0)
        lv = SRDI_IND_GROUP;
    else if (strcmp(f[1], "class") == 0)
        lv = SRDI_IND_CLASS;
    else
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: unknown level '%s'", path, line, f[1]);
    ref_index *ix = r->index;
    if (srdi_strpool_find(ix->ind_codes, f[0]) != UINT32_MAX) {
        /* an undivided group also appears as class <group>0; codes differ, so a
           repeat is a genuine duplicate */
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: duplicate code '%s'", path, line, f[0]);
    }
    GROW(r->industries, r->n_industries);
    srdi_industry *e = &r->industries[r->n_industries];
    e->code = srdi_strdup(f[0]);
    e->level = lv;
    e->name = srdi_strdup(f[2]);
    e->parent = srdi_strdup(f[3]);
    r->n_industries++;
    if (!e->code || !e->name || !e->parent) return srdi_error_set(SRDI_ERR_NOMEM, "%s:%d: out of memory", path, line);
    if (srdi_strpool_intern(ix->ind_codes, f[0]) != r->n_industries - 1)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    return SRDI_OK;
}

/* Give pool id @p id of prov_names the province @p idx (arrays grow, never shrink). */
static srdi_status prov_set(ref_index *ix, uint32_t id, int idx, int line)
{
    size_t cap = ix->prov_cap;
    srdi_status st = srdi_grow((void **)&ix->prov_of, &cap, (size_t)id + 1, sizeof *ix->prov_of);
    if (st == SRDI_OK) st = srdi_grow((void **)&ix->prov_line, &ix->prov_cap, (size_t)id + 1, sizeof *ix->prov_line);
    if (st != SRDI_OK) return st;
    ix->prov_of[id] = idx;
    ix->prov_line[id] = line;
    return SRDI_OK;
}

static srdi_status on_province(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    ref_index *ix = r->index;
    if (!f[0][0]) return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: empty province name", path, line);
    /* a name (full or short) given twice would make two provinces answer to it */
    const char *names[2] = {f[0], f[1]};
    for (int k = 0; k < 2; k++) {
        if (!names[k][0] || (k == 1 && strcmp(names[1], names[0]) == 0)) continue;
        uint32_t id = srdi_strpool_find(ix->prov_names, names[k]);
        if (id != UINT32_MAX)
            return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: province name '%s' appears twice (first on line %d)",
                                  path, line, names[k], ix->prov_line[id]);
    }
    GROW(r->provinces, r->n_provinces);
    srdi_province *p = &r->provinces[r->n_provinces];
    p->name = srdi_strdup(f[0]);
    p->shortname = srdi_strdup(f[1]);
    p->region = srdi_strdup(f[2]);
    p->cluster = srdi_strdup(f[3]);
    int idx = (int)r->n_provinces++;
    if (!p->name || !p->shortname || !p->region || !p->cluster)
        return srdi_error_set(SRDI_ERR_NOMEM, "%s:%d: out of memory", path, line);
    for (int k = 0; k < 2; k++) {
        if (!names[k][0] || (k == 1 && strcmp(names[1], names[0]) == 0)) continue;
        uint32_t id = srdi_strpool_intern(ix->prov_names, names[k]);
        if (id == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        srdi_status st = prov_set(ix, id, idx, line);
        if (st != SRDI_OK) return st;
    }
    return add_name(&r->cluster_names, &r->n_cluster_names, f[3]);
}

/* The short form of a city name: without a final 市 or 地区 (苏州市 → 苏州), else "" . */
static void city_short(const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    out[0] = 0;
    static const char *const suffix[] = {"市", "地区", "盟"};
    for (size_t k = 0; k < sizeof suffix / sizeof suffix[0]; k++) {
        size_t l = strlen(suffix[k]);
        if (n > l + 3 && strcmp(name + n - l, suffix[k]) == 0 && n - l < cap) {
            memcpy(out, name, n - l);
            out[n - l] = 0;
            return;
        }
    }
}

/* Chain city @p c under key @p key of kind @p k (0 full name, 1 short form). */
static srdi_status city_key(ref_index *ix, int k, const char *key, int c)
{
    uint32_t id = srdi_strpool_intern(ix->city_keys[k], key);
    if (id == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    if (id >= ix->city_cap[k]) {
        size_t old = ix->city_cap[k];
        srdi_status st = srdi_grow((void **)&ix->city_head[k], &ix->city_cap[k], (size_t)id + 1, sizeof(int));
        if (st != SRDI_OK) return st;
        for (size_t i = old; i < ix->city_cap[k]; i++) ix->city_head[k][i] = -1;
    }
    ix->city_next[k][c] = ix->city_head[k][id];
    ix->city_head[k][id] = c;
    return SRDI_OK;
}

/* First city under key @p key of kind @p k, or -1. */
static int city_first(const ref_index *ix, int k, const char *key)
{
    uint32_t id = srdi_strpool_find(ix->city_keys[k], key);
    return id == UINT32_MAX || id >= ix->city_cap[k] ? -1 : ix->city_head[k][id];
}

static srdi_status on_city(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    ref_index *ix = r->index;
    if (!f[1][0]) return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: empty city name", path, line);
    int prov = srdi_reference_province(r, f[2]);
    if (prov < 0)
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: province '%s' of %s is not in provinces.csv", path, line,
                              f[2], f[1]);
    for (int c = city_first(ix, 0, f[1]); c >= 0; c = ix->city_next[0][c])
        if (r->cities[c].province == prov)
            return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: city '%s' of %s appears twice", path, line, f[1], f[2]);
    GROW(r->cities, r->n_cities);
    GROW(ix->city_next[0], r->n_cities);
    GROW(ix->city_next[1], r->n_cities);
    srdi_city *c = &r->cities[r->n_cities];
    c->code = srdi_strdup(f[0]);
    c->name = srdi_strdup(f[1]);
    c->province = prov;
    int idx = (int)r->n_cities++;
    ix->city_next[0][idx] = ix->city_next[1][idx] = -1;
    if (!c->code || !c->name) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    srdi_status st = city_key(ix, 0, f[1], idx);
    char sh[256];
    city_short(f[1], sh, sizeof sh);
    if (st == SRDI_OK && sh[0]) st = city_key(ix, 1, sh, idx);
    return st;
}

static srdi_status on_domain(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    ref_index *ix = r->index;
    if (!f[0][0] || !f[1][0]) return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: empty prefix or domain", path, line);
    if (srdi_strpool_find(ix->dom_prefix, f[0]) != UINT32_MAX)
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: duplicate prefix '%s'", path, line, f[0]);
    GROW(r->domains, r->n_domains);
    srdi_domain_prefix *d = &r->domains[r->n_domains++];
    d->prefix = srdi_strdup(f[0]);
    d->domain = srdi_strdup(f[1]);
    if (!d->prefix || !d->domain) return srdi_error_set(SRDI_ERR_NOMEM, "%s:%d: out of memory", path, line);
    if (srdi_strpool_intern(ix->dom_prefix, f[0]) != r->n_domains - 1)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    return add_name(&r->domain_names, &r->n_domain_names, f[1]);
}

srdi_status srdi_reference_load(const char *dir, srdi_reference **out)
{
    srdi_reference *r = calloc(1, sizeof *r);
    ref_index *ix = calloc(1, sizeof *ix);
    srdi_status st;
    if (!r || !ix) {
        free(r);
        free(ix);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    }
    r->index = ix;
    ix->ind_codes = srdi_strpool_new();
    ix->prov_names = srdi_strpool_new();
    ix->dom_prefix = srdi_strpool_new();
    ix->city_keys[0] = srdi_strpool_new();
    ix->city_keys[1] = srdi_strpool_new();
    if (!ix->ind_codes || !ix->prov_names || !ix->dom_prefix || !ix->city_keys[0] || !ix->city_keys[1]) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = load_csv(r, dir, "gbt4754_2017.csv", 4, on_industry, false)) != SRDI_OK) goto fail;
    if ((st = load_csv(r, dir, "provinces.csv", 4, on_province, false)) != SRDI_OK) goto fail;
    if ((st = load_csv(r, dir, "strategic_domains.csv", 2, on_domain, false)) != SRDI_OK) goto fail;
    /* cities.csv is optional: without it cities are not checked against their province */
    if ((st = load_csv(r, dir, "cities.csv", 4, on_city, true)) != SRDI_OK) goto fail;
    if (r->n_provinces == 0) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "%s/provinces.csv: no provinces", dir);
        goto fail;
    }
    *out = r;
    return SRDI_OK;
fail:
    srdi_reference_free(r);
    return st;
}

srdi_reference *srdi_reference_retain(srdi_reference *r)
{
    if (r) r->extra_refs++;
    return r;
}

/* free() each of the @p n strings (char *) that follow. */
static void free_strings(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int k = 0; k < n; k++) free(va_arg(ap, char *));
    va_end(ap);
}

void srdi_reference_free(srdi_reference *r)
{
    if (!r) return;
    if (r->extra_refs > 0) {
        r->extra_refs--;
        return;
    }
    for (size_t i = 0; i < r->n_industries; i++)
        free_strings(3, r->industries[i].code, r->industries[i].name, r->industries[i].parent);
    for (size_t i = 0; i < r->n_provinces; i++) {
        const srdi_province *p = &r->provinces[i];
        free_strings(4, p->name, p->shortname, p->region, p->cluster);
    }
    for (size_t i = 0; i < r->n_domains; i++) free_strings(2, r->domains[i].prefix, r->domains[i].domain);
    for (size_t i = 0; i < r->n_cities; i++) free_strings(2, r->cities[i].code, r->cities[i].name);
    for (size_t i = 0; i < r->n_domain_names; i++) free(r->domain_names[i]);
    for (size_t i = 0; i < r->n_cluster_names; i++) free(r->cluster_names[i]);
    void *arrays[] = {r->industries, r->provinces, r->domains, r->cities, r->domain_names, r->cluster_names};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) free(arrays[k]);
    ref_index *ix = r->index;
    if (ix) {
        srdi_strpool_free(ix->ind_codes);
        srdi_strpool_free(ix->prov_names);
        srdi_strpool_free(ix->dom_prefix);
        for (int k = 0; k < 2; k++) {
            srdi_strpool_free(ix->city_keys[k]);
            free(ix->city_head[k]);
            free(ix->city_next[k]);
        }
        free(ix->prov_line);
        free(ix->prov_of);
        free(ix);
    }
    free(r);
}

const srdi_industry *srdi_reference_industry(const srdi_reference *r, const char *code)
{
    const ref_index *ix = r->index;
    uint32_t id = srdi_strpool_find(ix->ind_codes, code);
    return id == UINT32_MAX ? NULL : &r->industries[id];
}

int srdi_reference_province(const srdi_reference *r, const char *text)
{
    const ref_index *ix = r->index;
    uint32_t id = srdi_strpool_find(ix->prov_names, text);
    return id == UINT32_MAX ? -1 : ix->prov_of[id];
}

const char *srdi_reference_domain(const srdi_reference *r, const char *class_code)
{
    const ref_index *ix = r->index;
    char buf[16];
    size_t n = srdi_strlcpy(buf, class_code, sizeof buf);
    if (n >= sizeof buf) return NULL;
    for (; n > 0; n--) {
        buf[n] = 0;
        uint32_t id = srdi_strpool_find(ix->dom_prefix, buf);
        if (id != UINT32_MAX) return r->domains[id].domain;
    }
    return NULL;
}

int srdi_reference_city(const srdi_reference *r, int prov, const char *text, int *other)
{
    const ref_index *ix = r->index;
    *other = -1;
    for (int k = 0; k < 2; k++) {
        for (int c = city_first(ix, k, text); c >= 0; c = ix->city_next[k][c]) {
            if (r->cities[c].province == prov) return c;
            if (*other < 0) *other = c;
        }
    }
    return -1;
}
