/*
 * reference.c — the editable reference CSVs (classification, provinces,
 * strategic domains) loaded at run time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "srdi/reference.h"
#include "srdi/util.h"

typedef struct ref_index {
    srdi_strpool *ind_codes;   /* id == index into industries */
    srdi_strpool *prov_names;  /* full and short names → id; prov_of[id] = province index */
    int          *prov_of;
    srdi_strpool *dom_prefix;  /* id == index into domains */
} ref_index;

/* ------------------------------------------------ a small CSV record reader */

/*
 * Read one RFC 4180 record from fp into fields (at most max); quotes and
 * embedded newlines are handled.  *line counts physical lines.  Returns the
 * number of fields, 0 at end of file, -1 on a malformed record or OOM.
 * Field strings are owned by @p store (reset on each call).
 */
static int read_record(FILE *fp, srdi_buf *store, char **fields, int max, int *line)
{
    srdi_buf_reset(store);
    size_t starts[64];
    int nf = 0, c, inq = 0, any = 0;
    starts[nf++] = 0;
    while ((c = fgetc(fp)) != EOF) {
        any = 1;
        if (inq) {
            if (c == '"') {
                int d = fgetc(fp);
                if (d == '"') { srdi_buf_append(store, "\"", 1); continue; }
                inq = 0;
                if (d == EOF) break;
                c = d;
            } else {
                if (c == '\n') (*line)++;
                srdi_buf_append(store, &(char){(char)c}, 1);
                continue;
            }
        }
        if (c == '"') { inq = 1; continue; }
        if (c == '\r') continue;
        if (c == '\n') { (*line)++; break; }
        if (c == ',') {
            srdi_buf_append(store, "", 1);   /* NUL separator */
            if (nf >= 64 || nf >= max) return -1;
            starts[nf++] = store->len;
            continue;
        }
        srdi_buf_append(store, &(char){(char)c}, 1);
    }
    if (!any) return 0;
    if (inq) return -1;
    srdi_buf_append(store, "", 1);
    if (!store->data) return -1;
    for (int i = 0; i < nf; i++) fields[i] = store->data + starts[i];
    return nf;
}

/* Trim a UTF-8 BOM and surrounding spaces in place. */
static char *trim(char *s)
{
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) s += 3;
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
    return s;
}

typedef srdi_status (*row_fn)(srdi_reference *r, char **f, int nf, const char *path, int line);

/* Read a CSV whose header must start with the given columns; call fn per row. */
static srdi_status load_csv(srdi_reference *r, const char *dir, const char *file,
                            int ncols, row_fn fn)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *fp = fopen(path, "rb");
    if (!fp) return srdi_error_set(SRDI_ERR_REFERENCE, "%s: cannot open reference file", path);
    srdi_buf store = {0};
    char *f[64];
    int line = 1, start, nf;
    srdi_status st = SRDI_OK;
    start = line;
    nf = read_record(fp, &store, f, 64, &line);
    if (nf < ncols) {
        st = srdi_error_set(SRDI_ERR_REFERENCE, "%s:1: expected a header with %d columns", path, ncols);
        goto cleanup;
    }
    for (;;) {
        start = line;
        nf = read_record(fp, &store, f, 64, &line);
        if (nf == 0) break;
        if (nf < 0) {
            st = srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: malformed CSV record", path, start);
            goto cleanup;
        }
        if (nf == 1 && trim(f[0])[0] == 0) continue;   /* blank line */
        if (nf < ncols) {
            st = srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: expected %d columns, found %d", path, start, ncols, nf);
            goto cleanup;
        }
        for (int i = 0; i < nf; i++) f[i] = trim(f[i]);
        if ((st = fn(r, f, nf, path, start)) != SRDI_OK) goto cleanup;
    }
cleanup:
    srdi_buf_free(&store);
    fclose(fp);
    return st;
}

#define GROW(arr, n, cap_expr) do { \
    if ((n) == 0 || ((n) >= 16 && ((n) & ((n) - 1)) == 0)) { /* 0 → 16, then double at powers of two */ \
        size_t c_ = (n) ? (n) * 2 : 16; \
        void *p_ = realloc((arr), c_ * sizeof *(arr)); \
        if (!p_) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); \
        (arr) = p_; \
    } } while (0)

static srdi_status add_name(char ***arr, size_t *n, const char *s)
{
    if (!*s) return SRDI_OK;
    for (size_t i = 0; i < *n; i++) if (strcmp((*arr)[i], s) == 0) return SRDI_OK;
    GROW(*arr, *n, 0);
    if (!((*arr)[*n] = srdi_strdup(s))) return SRDI_ERR_NOMEM;
    (*n)++;
    return SRDI_OK;
}

static srdi_status on_industry(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    srdi_ind_level lv;
    if (strcmp(f[1], "section") == 0) lv = SRDI_IND_SECTION;
    else if (strcmp(f[1], "division") == 0) lv = SRDI_IND_DIVISION;
    else if (strcmp(f[1], "group") == 0) lv = SRDI_IND_GROUP;
    else if (strcmp(f[1], "class") == 0) lv = SRDI_IND_CLASS;
    else return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: unknown level '%s'", path, line, f[1]);
    ref_index *ix = r->index;
    if (srdi_strpool_find(ix->ind_codes, f[0]) != UINT32_MAX) {
        /* an undivided group also appears as class <group>0; codes differ, so a
           repeat is a genuine duplicate */
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: duplicate code '%s'", path, line, f[0]);
    }
    GROW(r->industries, r->n_industries, 0);
    srdi_industry *e = &r->industries[r->n_industries];
    e->code = srdi_strdup(f[0]);
    e->level = lv;
    e->name = srdi_strdup(f[2]);
    e->parent = srdi_strdup(f[3]);
    r->n_industries++;
    if (!e->code || !e->name || !e->parent) return SRDI_ERR_NOMEM;
    if (srdi_strpool_intern(ix->ind_codes, f[0]) != r->n_industries - 1)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    return SRDI_OK;
}

static srdi_status on_province(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    ref_index *ix = r->index;
    if (!f[0][0]) return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: empty province name", path, line);
    GROW(r->provinces, r->n_provinces, 0);
    srdi_province *p = &r->provinces[r->n_provinces];
    p->name = srdi_strdup(f[0]);
    p->shortname = srdi_strdup(f[1]);
    p->region = srdi_strdup(f[2]);
    p->cluster = srdi_strdup(f[3]);
    int idx = (int)r->n_provinces++;
    if (!p->name || !p->shortname || !p->region || !p->cluster) return SRDI_ERR_NOMEM;
    const char *names[2] = {f[0], f[1]};
    for (int k = 0; k < 2; k++) {
        if (!names[k][0]) continue;
        uint32_t id = srdi_strpool_intern(ix->prov_names, names[k]);
        if (id == UINT32_MAX) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        int *po = realloc(ix->prov_of, (size_t)(id + 1) * sizeof *po);
        if (!po) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        ix->prov_of = po;
        po[id] = idx;
    }
    return add_name(&r->cluster_names, &r->n_cluster_names, f[3]);
}

static srdi_status on_domain(srdi_reference *r, char **f, int nf, const char *path, int line)
{
    (void)nf;
    ref_index *ix = r->index;
    if (!f[0][0] || !f[1][0])
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: empty prefix or domain", path, line);
    if (srdi_strpool_find(ix->dom_prefix, f[0]) != UINT32_MAX)
        return srdi_error_set(SRDI_ERR_REFERENCE, "%s:%d: duplicate prefix '%s'", path, line, f[0]);
    GROW(r->domains, r->n_domains, 0);
    srdi_domain_prefix *d = &r->domains[r->n_domains++];
    d->prefix = srdi_strdup(f[0]);
    d->domain = srdi_strdup(f[1]);
    if (!d->prefix || !d->domain) return SRDI_ERR_NOMEM;
    if (srdi_strpool_intern(ix->dom_prefix, f[0]) != r->n_domains - 1)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    return add_name(&r->domain_names, &r->n_domain_names, f[1]);
}

srdi_status srdi_reference_load(const char *dir, srdi_reference **out)
{
    srdi_reference *r = calloc(1, sizeof *r);
    ref_index *ix = calloc(1, sizeof *ix);
    srdi_status st;
    if (!r || !ix) { free(r); free(ix); return srdi_error_set(SRDI_ERR_NOMEM, "out of memory"); }
    r->index = ix;
    ix->ind_codes = srdi_strpool_new();
    ix->prov_names = srdi_strpool_new();
    ix->dom_prefix = srdi_strpool_new();
    if (!ix->ind_codes || !ix->prov_names || !ix->dom_prefix) {
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = load_csv(r, dir, "gbt4754_2017.csv", 4, on_industry)) != SRDI_OK) goto fail;
    if ((st = load_csv(r, dir, "provinces.csv", 4, on_province)) != SRDI_OK) goto fail;
    if ((st = load_csv(r, dir, "strategic_domains.csv", 2, on_domain)) != SRDI_OK) goto fail;
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

void srdi_reference_free(srdi_reference *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_industries; i++) {
        free(r->industries[i].code); free(r->industries[i].name); free(r->industries[i].parent);
    }
    for (size_t i = 0; i < r->n_provinces; i++) {
        free(r->provinces[i].name); free(r->provinces[i].shortname);
        free(r->provinces[i].region); free(r->provinces[i].cluster);
    }
    for (size_t i = 0; i < r->n_domains; i++) { free(r->domains[i].prefix); free(r->domains[i].domain); }
    for (size_t i = 0; i < r->n_domain_names; i++) free(r->domain_names[i]);
    for (size_t i = 0; i < r->n_cluster_names; i++) free(r->cluster_names[i]);
    free(r->industries); free(r->provinces); free(r->domains);
    free(r->domain_names); free(r->cluster_names);
    ref_index *ix = r->index;
    if (ix) {
        srdi_strpool_free(ix->ind_codes);
        srdi_strpool_free(ix->prov_names);
        srdi_strpool_free(ix->dom_prefix);
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
