/*
 * src/incr/tcache.c — the refresh's table cache OUT/.srdi-tables: every
 * table as it was built (before the report's annotations), keyed by the
 * hash of exactly the inputs its registry entry declares, and the hashes of
 * those inputs (the enterprise rows, the financial rows, the patent
 * aggregates) taken from the dataset itself, not from the files.
 *
 * The file (binary, this machine's byte order: the key names the program):
 *     "SRDI-TABLES 1\n"
 *     then per table: u32 id length, id, u64 key, u64 length, u64 check, bytes
 * check is the wide hash of the bytes; an entry whose check or layout is
 * wrong is dropped (the table is then built), never half-used.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/incremental.h"
#include "srdi/util.h"

/* ------------------------------------------------------------ wide hash */

/* core's stream hash (srdi/hash.h), under the names the table cache uses */
void srdi_incr_wide_init(srdi_incr_wide *w)
{
    srdi_sh_init(w);
}

void srdi_incr_wide_feed(srdi_incr_wide *w, const void *data, size_t n)
{
    srdi_sh_update(w, data, n);
}

void srdi_incr_wide_str(srdi_incr_wide *w, const char *s)
{
    srdi_sh_str(w, s);
}

uint64_t srdi_incr_wide_final(const srdi_incr_wide *w)
{
    return srdi_sh_final(w);
}

/* ------------------------------------------------------- input hashes */

void srdi_incr_enterprises_hashes(const srdi_dataset *d, uint64_t *fixed, uint64_t fields[SRDI_F_COUNT])
{
    srdi_dataset_content_hashes(d, fixed, fields); /* given with the rows by the enterprises cache, else computed */
}

uint64_t srdi_incr_enterprises_hash(const srdi_dataset *d)
{
    uint64_t fixed, fields[SRDI_F_COUNT];
    srdi_incr_enterprises_hashes(d, &fixed, fields);
    srdi_incr_wide w;
    srdi_incr_wide_init(&w);
    srdi_sh_u64(&w, fixed);
    for (int f = 0; f < SRDI_F_COUNT; f++) srdi_sh_u64(&w, fields[f]);
    return srdi_incr_wide_final(&w);
}

static void wide_numcol(srdi_incr_wide *w, const srdi_numcol *c, size_t n)
{
    srdi_sh_u64(w, c->v ? n : UINT64_MAX);
    if (!c->v || !n) return;
    srdi_incr_wide_feed(w, c->v, n * sizeof *c->v);
    srdi_incr_wide_feed(w, c->present, n * sizeof *c->present);
}

uint64_t srdi_incr_financials_hash(const srdi_dataset *d)
{
    srdi_incr_wide w;
    srdi_incr_wide_init(&w);
    srdi_incr_wide_str(&w, "financials");
    if (!d) return srdi_incr_wide_final(&w);
    srdi_sh_u64(&w, d->has_financials ? 1 : 0);
    size_t n = d->n_fin;
    srdi_sh_u64(&w, n);
    if (n) {
        srdi_incr_wide_feed(&w, d->fin_ent, n * sizeof *d->fin_ent);
        srdi_incr_wide_feed(&w, d->fin_year, n * sizeof *d->fin_year);
        wide_numcol(&w, &d->fin_revenue, n);
        wide_numcol(&w, &d->fin_rd, n);
    }
    return srdi_incr_wide_final(&w);
}

uint64_t srdi_incr_patents_hash(const srdi_dataset *d)
{
    srdi_incr_wide w;
    srdi_incr_wide_init(&w);
    srdi_incr_wide_str(&w, "patents");
    if (!d) return srdi_incr_wide_final(&w);
    const srdi_patents *p = &d->patents;
    srdi_sh_u64(&w, d->has_patents ? 1 : 0);
    srdi_sh_u64(&w, p->released ? UINT64_MAX : p->n_facts);
    srdi_sh_u64(&w, ((uint64_t)(uint32_t)p->max_app_year << 32) | (uint32_t)p->max_grant_year);
    srdi_sh_u64(&w, (uint64_t)(uint32_t)p->max_pub_year);
    /* the facts' content (given by the patents cache with them: a refresh does not read them for it) */
    srdi_sh_u64(&w, p->released ? 0 : srdi_patents_digest(p));
    srdi_sh_pool(&w, p->keys);
    return srdi_incr_wide_final(&w);
}

/* ------------------------------------------------------ packed tables */

static srdi_status put_u64(srdi_buf *b, uint64_t v)
{
    return srdi_buf_append(b, &v, sizeof v);
}

static srdi_status put_str(srdi_buf *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    srdi_status st = srdi_buf_append(b, &n, sizeof n);
    if (st == SRDI_OK && s && n) st = srdi_buf_append(b, s, n);
    return st;
}

static srdi_status put_double(srdi_buf *b, double v)
{
    return srdi_buf_append(b, &v, sizeof v);
}

srdi_status srdi_incr_table_pack(const srdi_table *t, srdi_buf *out)
{
    srdi_status st = SRDI_OK;
#define P(expr)                                                                                                        \
    do {                                                                                                               \
        if (st == SRDI_OK) st = (expr);                                                                                \
    } while (0)
    P(put_str(out, t->id));
    P(put_str(out, t->name));
    P(put_str(out, t->title));
    P(put_str(out, t->sheet));
    P(put_str(out, t->note));
    P(put_str(out, t->source));
    P(put_str(out, t->params));
    P(put_u64(out, (uint64_t)t->n));
    P(put_u64(out, (t->no_data ? 1u : 0u) | (t->small_sample ? 2u : 0u)));
    P(put_str(out, t->base_note));
    P(put_str(out, t->small_groups));
    P(put_double(out, t->small_min));
    P(put_u64(out, (uint64_t)(int64_t)t->basis_col));
    P(put_str(out, t->basis_unit));
    P(put_str(out, t->basis_what));
    P(put_u64(out, t->ncols));
    for (size_t c = 0; c < t->ncols; c++) {
        const srdi_tcol *col = &t->cols[c];
        P(put_str(out, col->key));
        P(put_str(out, col->label));
        P(put_u64(out, (uint64_t)col->type));
        P(put_str(out, col->unit));
        P(put_u64(out, (uint64_t)(int64_t)col->decimals));
    }
    P(put_u64(out, t->nrows));
    for (size_t r = 0; r < t->nrows; r++) {
        const srdi_trow *row = &t->rows[r];
        P(put_str(out, row->key));
        P(put_str(out, row->label));
        P(put_u64(out, row->small ? 1 : 0));
        P(put_u64(out, (uint64_t)row->basis_n));
        for (size_t c = 0; c < t->ncols; c++) {
            const srdi_cell *cell = &row->cells[c];
            P(put_u64(out, ((uint64_t)cell->kind << 8) | cell->fmt));
            if (cell->kind == SRDI_CELL_NUM) P(put_double(out, cell->num));
            if (cell->kind == SRDI_CELL_TEXT) P(put_str(out, cell->text));
        }
    }
#undef P
    if (st != SRDI_OK) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory packing %s", t->id);
    return SRDI_OK;
}

typedef struct reader {
    const unsigned char *p, *end;
    bool bad;   /* the bytes end early or hold an impossible value */
    bool nomem; /* an allocation failed */
} reader;

static uint64_t get_u64(reader *r)
{
    uint64_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = true;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static double get_double(reader *r)
{
    uint64_t u = get_u64(r);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* A string (malloc'ed; NULL for a NULL string or a failure: see r->bad, r->nomem). */
static char *get_str(reader *r, bool *was_null)
{
    uint32_t n;
    *was_null = false;
    if ((size_t)(r->end - r->p) < sizeof n) {
        r->bad = true;
        return NULL;
    }
    memcpy(&n, r->p, sizeof n);
    r->p += sizeof n;
    if (n == UINT32_MAX) {
        *was_null = true;
        return NULL;
    }
    if ((size_t)(r->end - r->p) < n || memchr(r->p, 0, n)) {
        r->bad = true;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->nomem = true;
        return NULL;
    }
    memcpy(s, r->p, n);
    s[n] = 0;
    r->p += n;
    return s;
}

/* A string that a table always has (never NULL): false when missing. */
static bool get_text(reader *r, char **dst)
{
    bool null;
    free(*dst);
    *dst = get_str(r, &null);
    if (null) r->bad = true;
    return *dst != NULL;
}

/* A string that may be NULL. */
static void get_opt(reader *r, char **dst)
{
    bool null;
    free(*dst);
    *dst = get_str(r, &null);
}

srdi_status srdi_incr_table_unpack(const void *bytes, size_t n, srdi_table **out)
{
    reader r = {bytes, (const unsigned char *)bytes + n, false, false};
    *out = NULL;
    srdi_table *t = srdi_table_new("", "", "", "");
    if (!t) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a cached table");
    char *id = NULL;
    bool null;
    id = get_str(&r, &null);
    if (id && strlen(id) < sizeof t->id)
        srdi_strlcpy(t->id, id, sizeof t->id);
    else if (!r.nomem)
        r.bad = true;
    free(id);
    get_text(&r, &t->name);
    get_text(&r, &t->title);
    get_text(&r, &t->sheet);
    get_text(&r, &t->note);
    get_text(&r, &t->source);
    get_text(&r, &t->params);
    t->n = (long long)get_u64(&r);
    uint64_t flags = get_u64(&r);
    t->no_data = flags & 1;
    t->small_sample = (flags & 2) != 0;
    get_opt(&r, &t->base_note);
    get_opt(&r, &t->small_groups);
    t->small_min = get_double(&r);
    t->basis_col = (int)(int64_t)get_u64(&r);
    get_opt(&r, &t->basis_unit);
    get_opt(&r, &t->basis_what);
    uint64_t ncols = get_u64(&r);
    /* every column and row takes at least 8 bytes: a count beyond the bytes left is a bad entry */
    if (ncols > (uint64_t)(r.end - r.p) / 8) r.bad = true;
    if (!r.bad && !r.nomem && ncols) {
        if (!(t->cols = calloc((size_t)ncols, sizeof *t->cols)))
            r.nomem = true;
        else
            t->capcols = (size_t)ncols;
    }
    for (size_t c = 0; c < ncols && !r.bad && !r.nomem; c++) {
        srdi_tcol *col = &t->cols[c];
        t->ncols = c + 1;
        get_text(&r, &col->key);
        get_text(&r, &col->label);
        uint64_t type = get_u64(&r);
        get_text(&r, &col->unit);
        col->decimals = (int)(int64_t)get_u64(&r);
        if (type > SRDI_COL_NUMBER) r.bad = true;
        col->type = (srdi_coltype)type;
    }
    uint64_t nrows = r.bad || r.nomem ? 0 : get_u64(&r);
    if (nrows > (uint64_t)(r.end - r.p) / 8) r.bad = true;
    if (!r.bad && !r.nomem && nrows) {
        if (!(t->rows = calloc((size_t)nrows, sizeof *t->rows)))
            r.nomem = true;
        else
            t->caprows = (size_t)nrows;
    }
    for (size_t k = 0; k < nrows && !r.bad && !r.nomem; k++) {
        srdi_trow *row = &t->rows[k];
        if (!(row->cells = calloc(t->capcols ? t->capcols : 1, sizeof *row->cells))) {
            r.nomem = true;
            break;
        }
        t->nrows = k + 1;
        get_text(&r, &row->key);
        get_text(&r, &row->label);
        row->small = get_u64(&r) != 0;
        row->basis_n = (long long)get_u64(&r);
        for (size_t c = 0; c < t->ncols && !r.bad && !r.nomem; c++) {
            srdi_cell *cell = &row->cells[c];
            uint64_t kf = get_u64(&r);
            if ((kf >> 8) > SRDI_CELL_TEXT || (kf & 0xff) > SRDI_COL_NUMBER + 1) {
                r.bad = true;
                break;
            }
            cell->kind = (srdi_cellkind)(kf >> 8);
            cell->fmt = (unsigned char)(kf & 0xff);
            if (cell->kind == SRDI_CELL_NUM) cell->num = get_double(&r);
            if (cell->kind == SRDI_CELL_TEXT) get_text(&r, &cell->text);
        }
    }
    if (!r.bad && !r.nomem && r.p != r.end) r.bad = true;
    if (r.bad || r.nomem) {
        srdi_table_free(t);
        if (r.nomem) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading a cached table");
        return srdi_error_set(SRDI_ERR_INPUT, "a cached table is malformed");
    }
    *out = t;
    return SRDI_OK;
}

/* ------------------------------------------------------- the cache file */

#define TCACHE_MAGIC "SRDI-TABLES 1\n"

typedef struct tc_entry {
    char id[8];
    uint64_t key;
    unsigned char *bytes; /* owned */
    size_t n;
} tc_entry;

struct srdi_incr_tcache {
    tc_entry *e;
    size_t n, cap;
};

srdi_incr_tcache *srdi_incr_tcache_new(void)
{
    return calloc(1, sizeof(srdi_incr_tcache));
}

void srdi_incr_tcache_free(srdi_incr_tcache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) free(c->e[i].bytes);
    free(c->e);
    free(c);
}

static uint64_t bytes_check(const void *p, size_t n)
{
    srdi_incr_wide w;
    srdi_incr_wide_init(&w);
    srdi_incr_wide_feed(&w, p, n);
    return srdi_incr_wide_final(&w);
}

static tc_entry *tc_find(const srdi_incr_tcache *c, const char *id)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->e[i].id, id) == 0) return &c->e[i];
    return NULL;
}

srdi_status srdi_incr_tcache_put(srdi_incr_tcache *c, const char *id, uint64_t key, const void *bytes, size_t n)
{
    if (!id || strlen(id) >= sizeof c->e[0].id) return srdi_error_set(SRDI_ERR_INTERNAL, "bad table id in the cache");
    unsigned char *copy = malloc(n ? n : 1);
    if (!copy) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory caching table %s", id);
    if (n) memcpy(copy, bytes, n);
    tc_entry *e = tc_find(c, id);
    if (!e) {
        if (srdi_grow((void **)&c->e, &c->cap, c->n + 1, sizeof *c->e) != SRDI_OK) {
            free(copy);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory caching table %s", id);
        }
        e = &c->e[c->n++];
        memset(e, 0, sizeof *e);
        srdi_strlcpy(e->id, id, sizeof e->id);
    }
    free(e->bytes);
    e->bytes = copy;
    e->n = n;
    e->key = key;
    return SRDI_OK;
}

const void *srdi_incr_tcache_get(const srdi_incr_tcache *c, const char *id, uint64_t key, size_t *n)
{
    const tc_entry *e = id ? tc_find(c, id) : NULL;
    if (!e || e->key != key) return NULL;
    *n = e->n;
    return e->bytes;
}

size_t srdi_incr_tcache_count(const srdi_incr_tcache *c)
{
    return c ? c->n : 0;
}

static srdi_status tc_path(const char *out_dir, char *buf, size_t size)
{
    int k = snprintf(buf, size, "%s/%s", out_dir, SRDI_INCR_TABLES_FILE);
    if (k < 0 || (size_t)k >= size) return srdi_error_set(SRDI_ERR_USAGE, "path too long: %s", out_dir);
    return SRDI_OK;
}

srdi_status srdi_incr_tcache_load(const char *out_dir, srdi_incr_tcache **out)
{
    char path[4096];
    srdi_status st;
    *out = NULL;
    if ((st = tc_path(out_dir, path, sizeof path)) != SRDI_OK) return st;
    srdi_incr_tcache *c = srdi_incr_tcache_new();
    if (!c) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *out = c;
            return SRDI_OK;
        }
        srdi_incr_tcache_free(c);
        return srdi_error_set(SRDI_ERR_IO, "%s: %s", path, strerror(errno));
    }
    char magic[sizeof TCACHE_MAGIC - 1];
    if (fread(magic, 1, sizeof magic, fp) != sizeof magic || memcmp(magic, TCACHE_MAGIC, sizeof magic) != 0) {
        fclose(fp); /* another format: nothing reused */
        *out = c;
        return SRDI_OK;
    }
    for (;;) {
        uint32_t idn;
        uint64_t hdr[3]; /* key, length, check */
        char id[8];
        if (fread(&idn, sizeof idn, 1, fp) != 1) break; /* the end (or a cut file: what was whole stays) */
        if (idn == 0 || idn >= sizeof id || fread(id, 1, idn, fp) != idn || fread(hdr, sizeof hdr, 1, fp) != 1 ||
            hdr[1] > ((uint64_t)1 << 30))
            break;
        id[idn] = 0;
        unsigned char *b = malloc(hdr[1] ? (size_t)hdr[1] : 1);
        if (!b) {
            fclose(fp);
            srdi_incr_tcache_free(c);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading %s", path);
        }
        if (fread(b, 1, (size_t)hdr[1], fp) != (size_t)hdr[1] || bytes_check(b, (size_t)hdr[1]) != hdr[2]) {
            free(b);
            break;
        }
        st = srdi_incr_tcache_put(c, id, hdr[0], b, (size_t)hdr[1]);
        free(b);
        if (st != SRDI_OK) {
            fclose(fp);
            srdi_incr_tcache_free(c);
            return st;
        }
    }
    fclose(fp);
    *out = c;
    return SRDI_OK;
}

srdi_status srdi_incr_tcache_save(const srdi_incr_tcache *c, const char *out_dir)
{
    char path[4096];
    srdi_status st;
    if ((st = tc_path(out_dir, path, sizeof path)) != SRDI_OK) return st;
    srdi_atomic a;
    if ((st = srdi_atomic_open(&a, path)) != SRDI_OK) return st;
    bool ok = fwrite(TCACHE_MAGIC, 1, sizeof TCACHE_MAGIC - 1, a.fp) == sizeof TCACHE_MAGIC - 1;
    for (size_t i = 0; ok && c && i < c->n; i++) {
        const tc_entry *e = &c->e[i];
        uint32_t idn = (uint32_t)strlen(e->id);
        uint64_t hdr[3] = {e->key, e->n, bytes_check(e->bytes, e->n)};
        ok = fwrite(&idn, sizeof idn, 1, a.fp) == 1 && fwrite(e->id, 1, idn, a.fp) == idn &&
             fwrite(hdr, sizeof hdr, 1, a.fp) == 1 && fwrite(e->bytes, 1, e->n, a.fp) == e->n;
    }
    if (!ok) {
        int err = errno;
        srdi_atomic_abort(&a);
        return srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", path, strerror(err));
    }
    return srdi_atomic_commit(&a);
}
