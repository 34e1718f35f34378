/*
 * src/ingest/entcache.c — the refresh cache of enterprises.csv,
 * OUT/.srdi-enterprises: what reading the body of enterprises.csv added —
 * every accepted row (id, name, level, province, city, industry, tech
 * evaluation, the numeric columns as stored), the city pool, the rejected
 * rows and the rejected ids with their lines, the counts — used instead of
 * parsing the body again when the key matches.  The header is still read
 * each time (its notes and errors stay), so the cache holds the body only.
 *
 * Key: the program; the content hash of every byte of enterprises.csv (its
 * pieces, srdi_ent_next_cut — cut at the first line end from every ~512 KiB,
 * which the parallel reader's parts are, so a cold build's parse hashes the
 * file — each hashed as a patents content block is, combined in file order); the
 * encoding, separator and BOM; the reference data (province, city and
 * industry look-ups decide levels of rows and rejects).  The file ends with
 * a hash of all its body's bytes, checked before the dataset is touched: a
 * short, damaged or other-key file is a miss (the body is parsed), never an
 * error.
 *
 * Settled identity (patcache.c's head comment, the same rule): the head
 * records enterprises.csv's identity (device, inode, size, mtime, ctime) with
 * its content hash once both times were older than the clock read before the
 * file was opened for the reading that was hashed.  A build that finds this
 * very identity takes the content hash from the head and does not read the
 * file's body at all (29 MB: mapping, hashing and giving back its pages cost
 * more than the rest of an unchanged file's reading); any other identity — a
 * touched, rewritten or replaced file, or one written just before the build —
 * is hashed as before (and recorded once settled).
 *
 * File (native byte order, written atomically): head (32 bytes,
 * cachefile.h: "SRDIENT5", u64 settled identity (0: none), u64 its content
 * hash, u64 hash of the 24 bytes before it; rewritten in place when an
 * identity settles); body: u64 key, u64 context key (the key without the
 * size and content), u64 nparts, and when not 0 (a parallel reading) u64
 * header length, u64 its hash, i64 line after the last record, u64 rows,
 * rejects and rows read at the end, then per part eleven u64
 * (srdi_ent_part_rec: offset, length, hash, clean, rows, rejects, read,
 * line, id sum, city sum, line sum); u64 read, accepted, rejected, n; u32
 * ncities + strings; n u64 id hashes
 * (srdi_hash_mem: the id index is built from them); u64 string bytes, 2n
 * u32 lengths (id, name), the strings (id and name, each with its NUL, row
 * after row: the dataset's string store); the fixed columns whole (n u8
 * levels, n u16 provinces, n u32 cities, n 5-byte industry codes, n u8 tech
 * evaluations); per field: u8 width, u64 cell bytes + cells, u64 bitmap bytes
 * + bitmap; the rows' content hashes (srdi_dataset_content_hashes: u64
 * fixed, a u64 per field); u64 nrejects + (i64 line, 3 strings); u32 nrejected ids +
 * (string, i64 line); u64 hash of all body bytes before it.  The writer, the
 * reader and the key hashes are the patents cache's (cachefile.h).
 *
 * Patched rows (srdi_ingest_ent_delta, ingest_ent.c): a file of the same
 * context key whose content differs gives its parts table
 * (srdi_entcache_parts) to a refresh, which finds the parts still the same;
 * when the rest holds the same rows (ids and cities, no reject, the same
 * lines) its rows are loaded (srdi_entcache_load with the context key, every
 * byte checked as for a hit) and the changed rows' values replaced.
 */
#include "cachefile.h"
#include "ingest_private.h"
#include "srdi/hash.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define EC_MAGIC "SRDIENT5"
#define EC_LABEL "enterprises.csv identity" /* what the identity hash of the head starts from */
#define PART_U64 11                          /* u64 fields of a part in the file */
#define PARTS_HEAD_U64 6                     /* u64 fields of the parts table before its parts */

uint64_t srdi_entcache_content(const void *bytes, size_t size, bool release)
{
    const char *p = bytes;
    uint64_t h = srdi_cache_mix_u64(0x5352444950415431ULL, (uint64_t)size); /* srdi_patcache_combine, piece by piece */
    size_t at = 0, done = 0; /* pages before done given back */
    do { /* on this thread */
        size_t to = srdi_ent_next_cut(-1, p, size, at);
        h = srdi_cache_mix_u64(h, srdi_patcache_block_hash(p + at, to - at));
        /* a mapping's pages given back once hashed (memory stays flat; a parse maps them again) */
        size_t hi = to == size ? to : to & ~(size_t)4095;
        if (release && hi > done) madvise((char *)(uintptr_t)p + done, hi - done, MADV_DONTNEED);
        if (hi > done) done = hi;
        at = to;
    } while (at < size);
    return h;
}

bool srdi_entcache_content_fd(int fd, const char *map, size_t size, int threads, uint64_t *out,
                              srdi_ent_pieces *keep)
{
    size_t P = srdi_ingest_ent_part ? srdi_ingest_ent_part : 1, n = 0;
    uint64_t *cuts = malloc((size / P + 3) * sizeof *cuts), *each = keep ? malloc((size / P + 2) * sizeof *each) : NULL;
    if (!cuts) {
        free(each);
        return false;
    }
    cuts[0] = 0;
    for (size_t x = 0; (x = srdi_ent_next_cut(fd, map, size, x)) < size;) cuts[++n] = x;
    cuts[++n] = size;
    bool ok = srdi_patcache_pieces(fd, cuts, n, threads, out, each);
    if (ok && each) {
        *keep = (srdi_ent_pieces){cuts, each, n};
        return true;
    }
    free(cuts);
    free(each);
    return ok;
}

void srdi_ent_pieces_free(srdi_ent_pieces *p)
{
    free(p->cut);
    free(p->hash);
    *p = (srdi_ent_pieces){0};
}

bool srdi_entcache_peek(const char *path, const struct stat *sb, uint64_t *content)
{
    return srdi_cache_head_peek(path, EC_MAGIC, EC_LABEL, sb, content);
}

uint64_t srdi_ent_row_sum(uint64_t h, uint64_t row, unsigned salt)
{
    return srdi_hash_mix(h ^ (row * 0x9E3779B97F4A7C15ULL) ^ (salt ? 0xC2B2AE3D27D4EB4FULL : 0));
}

uint64_t srdi_entcache_key(const srdi_dataset *d, uint64_t content, size_t size, int enc, char delim, size_t bom)
{
    uint64_t h = srdi_entcache_ctx_key(d, enc, delim, bom);
    h = srdi_cache_mix_u64(h, (uint64_t)size);
    return srdi_cache_mix_u64(h, content);
}

uint64_t srdi_entcache_ctx_key(const srdi_dataset *d, int enc, char delim, size_t bom)
{
    uint64_t h = srdi_cache_mix_str(0, EC_MAGIC);
    h = srdi_cache_program(h);
    h = srdi_cache_mix_u64(h, (uint64_t)enc);
    h = srdi_cache_mix_u64(h, (uint64_t)(unsigned char)delim);
    h = srdi_cache_mix_u64(h, (uint64_t)bom);
    const srdi_reference *r = d->ref;
    h = srdi_cache_mix_u64(h, r ? 1 : 0);
    if (r) {
        h = srdi_cache_mix_u64(h, r->n_industries);
        for (size_t i = 0; i < r->n_industries; i++) {
            h = srdi_cache_mix_str(srdi_cache_mix_str(srdi_cache_mix_str(h, r->industries[i].code), r->industries[i].name), r->industries[i].parent);
            h = srdi_cache_mix_u64(h, (uint64_t)r->industries[i].level);
        }
        h = srdi_cache_mix_u64(h, r->n_provinces);
        for (size_t i = 0; i < r->n_provinces; i++) {
            const srdi_province *p = &r->provinces[i];
            h = srdi_cache_mix_str(srdi_cache_mix_str(srdi_cache_mix_str(srdi_cache_mix_str(h, p->name), p->shortname), p->region), p->cluster);
        }
        h = srdi_cache_mix_u64(h, r->n_cities);
        for (size_t i = 0; i < r->n_cities; i++) {
            h = srdi_cache_mix_str(srdi_cache_mix_str(h, r->cities[i].code), r->cities[i].name);
            h = srdi_cache_mix_u64(h, (uint64_t)(int64_t)r->cities[i].province);
        }
        h = srdi_cache_mix_u64(h, r->n_domains);
        for (size_t i = 0; i < r->n_domains; i++) h = srdi_cache_mix_str(srdi_cache_mix_str(h, r->domains[i].prefix), r->domains[i].domain);
    }
    return h;
}

static void put_lstr(srdi_cache_out *o, const char *s, size_t n)
{
    srdi_cache_put_u32(o, (uint32_t)n);
    srdi_cache_put(o, s, n);
}

/*
 * The clean part of @p p whose rows hold row @p r (the last clean part from
 * @p k on that starts at or before it; the rows of an unclean part are those
 * of the clean part before it): the rows go in order, so from the last one's.
 */
static size_t part_of_row(const srdi_ent_parts *p, size_t k, uint64_t r)
{
    for (size_t j = k + 1; j < p->n; j++) {
        if (!p->v[j].clean) continue;
        if (p->v[j].rows > r) break;
        k = j;
    }
    return k;
}

srdi_status srdi_entcache_save(const char *path, uint64_t key, const srdi_entcache_in *in, const srdi_dataset *d,
                               const srdi_rejects *rj, size_t rj_from, const srdi_strpool *rej_ids,
                               const long *rej_line, srdi_ent_parts *parts, long long read, long long accepted,
                               long long rejected)
{
    /* each id's and name's length and each id's hash, taken once (the parts' sums and the rows use them) */
    uint32_t *lens = d->n ? malloc(d->n * 2 * sizeof *lens) : NULL;
    uint64_t *idh = d->n ? malloc(d->n * sizeof *idh) : NULL;
    if (d->n && (!lens || !idh)) {
        free(lens);
        free(idh);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory writing the enterprises cache");
    }
    uint64_t strs = 0;
    for (size_t i = 0; i < d->n; i++) {
        lens[2 * i] = (uint32_t)strlen(d->id[i]);
        lens[2 * i + 1] = (uint32_t)strlen(d->name[i]);
        idh[i] = srdi_hash_mem(d->id[i], lens[2 * i]);
        strs += (uint64_t)lens[2 * i] + lens[2 * i + 1] + 2;
    }
    srdi_cache_out *b;
    srdi_atomic a;
    srdi_status st = srdi_cache_open(path, "enterprises", &a, &b);
    if (st != SRDI_OK) {
        free(lens);
        free(idh);
        return st;
    }
    unsigned char head[SRDI_CACHE_HEAD];
    srdi_cache_head_make(head, EC_MAGIC, EC_LABEL, &in->sb, in->t_open, true, in->content);
    if (fwrite(head, 1, sizeof head, b->fp) != sizeof head) b->bad = true; /* not in the body's hash */
    srdi_cache_put_u64(b, key);
    srdi_cache_put_u64(b, in->ctx);
    size_t np = parts ? parts->n : 0;
    uint64_t *ch = NULL; /* the hash of each city name (a few hundred), for the sums */
    uint32_t ncity = srdi_strpool_count(d->cities);
    if (np && !(ch = malloc((ncity ? ncity : 1) * sizeof *ch))) np = 0; /* no table: no patched refresh */
    if (np) {
        for (uint32_t i = 0; i < ncity; i++) {
            const char *c = srdi_strpool_get(d->cities, i);
            ch[i] = srdi_hash_mem(c, strlen(c));
        }
        for (size_t k = 0; k < np; k++) parts->v[k].idsum = parts->v[k].citysum = 0;
        for (size_t r = 0, k = 0; r < d->n; r++) { /* each clean part's sums over its rows */
            k = part_of_row(parts, k, r);
            parts->v[k].idsum += srdi_ent_row_sum(idh[r], r, 0);
            parts->v[k].citysum += srdi_ent_row_sum(d->city[r] < ncity ? ch[d->city[r]] : 0, r, 1);
        }
    }
    srdi_cache_put_u64(b, np);
    if (np) {
        srdi_cache_put_u64(b, parts->hdr_len);
        srdi_cache_put_u64(b, parts->hdr_hash);
        srdi_cache_put_u64(b, (uint64_t)parts->end_line);
        srdi_cache_put_u64(b, parts->end_rows);
        srdi_cache_put_u64(b, parts->end_rj);
        srdi_cache_put_u64(b, parts->end_read);
        for (size_t k = 0; k < np; k++) {
            const srdi_ent_part_rec *v = &parts->v[k];
            const uint64_t f[PART_U64] = {v->off, v->len,  v->hash,           v->clean,  v->rows,    v->rj,
                                          v->read, (uint64_t)v->line, v->idsum, v->citysum, v->linesum};
            for (int i = 0; i < PART_U64; i++) srdi_cache_put_u64(b, f[i]);
        }
    }
    srdi_cache_put_u64(b, (uint64_t)read);
    srdi_cache_put_u64(b, (uint64_t)accepted);
    srdi_cache_put_u64(b, (uint64_t)rejected);
    srdi_cache_put_u64(b, (uint64_t)d->n);
    uint32_t nc = srdi_strpool_count(d->cities);
    srdi_cache_put_u32(b, nc);
    for (uint32_t i = 0; i < nc; i++) srdi_cache_put_str(b, srdi_strpool_get(d->cities, i));
    /* the id hashes, the ids' and names' lengths, then their bytes with a NUL each, as the dataset keeps them */
    for (size_t i = 0; i < d->n; i++) srdi_cache_put_u64(b, idh[i]);
    srdi_cache_put_u64(b, strs);
    for (size_t i = 0; i < 2 * d->n; i++) srdi_cache_put_u32(b, lens[i]);
    for (size_t i = 0; i < d->n; i++) {
        srdi_cache_put(b, d->id[i], (size_t)lens[2 * i] + 1);
        srdi_cache_put(b, d->name[i], (size_t)lens[2 * i + 1] + 1);
    }
    free(lens);
    free(idh);
    /* the fixed columns, whole */
    srdi_cache_put(b, d->level, d->n * sizeof *d->level);
    srdi_cache_put(b, d->province, d->n * sizeof *d->province);
    srdi_cache_put(b, d->city, d->n * sizeof *d->city);
    srdi_cache_put(b, d->industry, d->n * sizeof *d->industry);
    srdi_cache_put(b, d->tech_eval, d->n * sizeof *d->tech_eval);
    for (int f = 0; f < SRDI_F_COUNT; f++) {
        unsigned w;
        const void *cells;
        const uint8_t *bits;
        size_t ncells, nbits;
        srdi_dataset_column_bytes(d, (srdi_field)f, &w, &cells, &ncells, &bits, &nbits);
        unsigned char wb = (unsigned char)w;
        srdi_cache_put(b, &wb, 1);
        srdi_cache_put_u64(b, ncells);
        srdi_cache_put(b, cells, ncells);
        srdi_cache_put_u64(b, nbits);
        srdi_cache_put(b, bits, nbits);
    }
    /* the rows' content hashes, given to the dataset they are loaded into (the table cache's keys read them) */
    uint64_t hfixed, hfields[SRDI_F_COUNT];
    srdi_dataset_content_hashes(d, &hfixed, hfields);
    srdi_cache_put_u64(b, hfixed);
    for (int f = 0; f < SRDI_F_COUNT; f++) srdi_cache_put_u64(b, hfields[f]);
    srdi_cache_put_rejects(b, rj, rj_from);
    uint32_t nr = rej_ids ? srdi_strpool_count(rej_ids) : 0;
    srdi_cache_put_u32(b, nr);
    for (uint32_t i = 0; i < nr; i++) {
        const char *s = srdi_strpool_get(rej_ids, i);
        put_lstr(b, s, strlen(s));
        srdi_cache_put_u64(b, (uint64_t)rej_line[i]);
    }
    free(ch);
    return srdi_cache_close(b, &a, path);
}

/* A string of the cache file, NUL-terminated into @p buf; NULL on a short file or no memory (*nomem). */
static const char *ec_str(srdi_cache_rdr *r, srdi_buf *buf, size_t *len, bool *nomem)
{
    uint32_t n = srdi_cache_get_u32(r);
    const char *q = srdi_cache_take(r, n);
    if (!q) return NULL;
    srdi_buf_reset(buf);
    if (srdi_buf_append(buf, q, n) != SRDI_OK) {
        r->bad = *nomem = true;
        return NULL;
    }
    if (len) *len = n;
    return buf->data ? buf->data : "";
}

bool srdi_entcache_parts(const char *path, uint64_t ctx, srdi_ent_parts *parts)
{
    memset(parts, 0, sizeof *parts);
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    unsigned char head[SRDI_CACHE_HEAD + 16];
    uint64_t v[1 + PARTS_HEAD_U64], k;
    struct stat sb;
    bool ok = fstat(fileno(fp), &sb) == 0 && fread(head, 1, sizeof head, fp) == sizeof head &&
              memcmp(head, EC_MAGIC, 8) == 0 && fread(v, 8, 1 + PARTS_HEAD_U64, fp) == 1 + PARTS_HEAD_U64;
    memcpy(&k, head + SRDI_CACHE_HEAD + 8, 8);
    /* v: the number of parts, the header's length and hash, the line after the last record, the end counts */
    ok = ok && k == ctx && v[0] > 0 && v[0] <= (uint64_t)sb.st_size / (8 * PART_U64);
    uint64_t *f = ok ? malloc((size_t)v[0] * PART_U64 * 8) : NULL;
    ok = f && fread(f, 8 * PART_U64, (size_t)v[0], fp) == (size_t)v[0];
    if (ok && !(parts->v = malloc((size_t)v[0] * sizeof *parts->v))) ok = false;
    fclose(fp);
    if (!ok) {
        free(f);
        return false;
    }
    parts->n = (size_t)v[0];
    parts->hdr_len = v[1];
    parts->hdr_hash = v[2];
    parts->end_line = (int64_t)v[3];
    parts->end_rows = v[4];
    parts->end_rj = v[5];
    parts->end_read = v[6];
    for (size_t i = 0; i < parts->n; i++) {
        const uint64_t *q = f + i * PART_U64;
        parts->v[i] = (srdi_ent_part_rec){.off = q[0], .len = q[1], .hash = q[2], .clean = q[3] != 0, .rows = q[4],
                                          .rj = q[5], .read = q[6], .line = (int64_t)q[7], .idsum = q[8],
                                          .citysum = q[9], .linesum = q[10]};
    }
    free(f);
    return true;
}

static void *reserve_main(void *arg)
{
    srdi_ent_reserver *x = arg;
    (void)srdi_dataset_reserve_rows(x->d, x->n); /* a failure is met again, and reported, when the rows are added */
    srdi_error_clear();
    return NULL;
}

void srdi_ent_reserve_start(srdi_ent_reserver *x, srdi_dataset *d, size_t n)
{
    *x = (srdi_ent_reserver){.d = d, .n = n};
    if (d->n == 0 && n > 0) x->started = pthread_create(&x->tid, NULL, reserve_main, x) == 0;
}

void srdi_ent_reserve_join(srdi_ent_reserver *x)
{
    if (x->started) pthread_join(x->tid, NULL);
    x->started = false;
}

/* The rows the (unchecked) body in @p buf says it has (the layout: the file comment above); 0 when implausible. */
static size_t body_rows(const unsigned char *buf, size_t len, uint64_t size)
{
    uint64_t np, n;
    if (len < 16) return 0;
    memcpy(&np, buf + 8, 8); /* after the context key */
    if (np > size / (8 * PART_U64)) return 0;
    size_t at = 16 + (np ? (PARTS_HEAD_U64 + (size_t)np * PART_U64) * 8 : 0) + 24; /* then read, accepted, rejected */
    if (at + 8 > len) return 0;
    memcpy(&n, buf + at, 8);
    return n > size / 28 ? 0 : (size_t)n;
}

/*
 * The next @p n bytes of @p r into @p dest: what the window holds, then the
 * rest read straight from the file (pass 2, the bytes checked already: not
 * hashed again); false (marked bad) when the file is short.
 */
static bool ec_read_into(srdi_cache_rdr *r, void *dest, size_t n)
{
    if (r->bad || r->n - r->at < n) {
        r->bad = true;
        return false;
    }
    size_t w = r->hi - r->lo < n ? r->hi - r->lo : n;
    if (w) memcpy(dest, r->buf + r->lo, w);
    r->lo += w;
    r->at += w;
    if (w == n) return true;
    size_t rest = n - w;
    if (fread((char *)dest + w, 1, rest, r->fp) != rest) {
        r->bad = true;
        return false;
    }
    r->fed += rest;
    r->at += rest;
    return true;
}

/*
 * The numeric columns of a cache file from @p r (at the first one's width
 * byte) into @p d for @p n rows: SRDI_OK when every one was loaded,
 * SRDI_ERR_NOMEM when memory ran out, else SRDI_ERR_INTERNAL with r->bad
 * (the bytes do not add up: a broken file).
 */
static srdi_status ec_columns(srdi_cache_rdr *r, srdi_dataset *d, size_t n)
{
    for (int f = 0; f < SRDI_F_COUNT && !r->bad; f++) {
        const unsigned char *w = srdi_cache_take(r, 1);
        unsigned wc = w ? *w : 0;
        uint64_t ncells = srdi_cache_get_u64(r);
        const void *cells = srdi_cache_take(r, (size_t)ncells); /* valid until the next take */
        if (r->bad) break;
        srdi_status st = SRDI_OK;
        if (wc == 8) { /* the bitmap follows the cells: they are copied out of the window first */
            uint64_t want = (uint64_t)(n / 8 + 1);
            void *cc = malloc(ncells ? (size_t)ncells : 1);
            if (!cc) return SRDI_ERR_NOMEM;
            memcpy(cc, cells, (size_t)ncells);
            uint64_t nb = srdi_cache_get_u64(r);
            const void *bq = nb == want ? srdi_cache_take(r, (size_t)nb) : NULL;
            if (bq) st = srdi_dataset_column_load(d, (srdi_field)f, wc, cc, (size_t)ncells, bq, (size_t)nb, n);
            free(cc);
            if (!bq) r->bad = true;
        } else { /* loaded before the next take moves the window */
            st = srdi_dataset_column_load(d, (srdi_field)f, wc, cells, (size_t)ncells, NULL, 0, n);
            if (st == SRDI_OK && srdi_cache_get_u64(r) != 0) r->bad = true; /* no bitmap below width 8 */
        }
        if (st == SRDI_ERR_NOMEM) return st;
        if (st != SRDI_OK) r->bad = true; /* a width or a size that is not the rows' */
    }
    return r->bad ? SRDI_ERR_INTERNAL : SRDI_OK;
}

/* The numeric columns loaded on a thread of its own (ec_cols_main) while the rows are adopted. */
typedef struct ec_cols {
    FILE *fp;       /* the cache file opened again (its own offset), at @p at */
    uint64_t at, n; /* where the columns start; the bytes before the file's check */
    size_t cap;     /* the window */
    srdi_dataset *d;
    size_t rows;
    pthread_t tid;
    srdi_status st; /* ec_columns' */
    uint64_t end;   /* where they end */
} ec_cols;

static void *ec_cols_main(void *arg)
{
    ec_cols *c = arg;
    srdi_cache_rdr r = {.fp = c->fp, .cap = c->cap, .n = c->n, .at = c->at, .fed = c->at};
    srdi_sh_init(&r.h);
    c->st = (r.buf = srdi_malloc_huge(r.cap)) ? ec_columns(&r, c->d, c->rows) : SRDI_ERR_NOMEM;
    c->end = r.at;
    free(r.buf);
    srdi_error_clear(); /* (this thread's) */
    return NULL;
}

/*
 * Two passes over the file, in small blocks (memory stays flat): every byte
 * hashed and checked first, then read into the dataset.
 */
srdi_status srdi_entcache_load(const char *path, uint64_t key, const srdi_entcache_in *in, srdi_dataset *d,
                               bool helper, srdi_rejects *rj, srdi_strpool *rej_ids, long **rej_line, size_t *rej_cap,
                               bool *hit, long long *read, long long *accepted, long long *rejected)
{
    *hit = false;
    FILE *fp = fopen(path, "rb");
    if (!fp) return SRDI_OK; /* none or unreadable: a miss */
    srdi_status st = SRDI_OK;
    bool nomem = false;
    uint64_t *hashes = NULL;
    uint32_t *lens = NULL;
    srdi_buf s1 = {0};
    srdi_cache_rdr r = {.fp = fp, .cap = (size_t)1 << 16};
    srdi_sh_init(&r.h);
    srdi_ent_reserver rs = {0};
    ec_cols cols = {0};
    bool threaded = false; /* the columns' thread runs (joined on every way out) */
    struct stat sb;
    unsigned char head[SRDI_CACHE_HEAD + 8];
    if (fstat(fileno(fp), &sb) != 0 || sb.st_size < (off_t)sizeof head + 8) goto miss;
    /*
     * The window: from a file of 2 MiB on, one 2 MiB page, which holds a
     * numeric column of 262,144 rows taken whole (wider columns grow it): a
     * window grown from 64 KiB to each column's size was a fresh block each
     * time, faulted in page by page.
     */
    if (sb.st_size >= (off_t)(2 << 20)) r.cap = (size_t)2 << 20;
    if (!(r.buf = srdi_malloc_huge(r.cap))) goto miss;
    if (fread(head, 1, sizeof head, fp) != sizeof head || memcmp(head, EC_MAGIC, 8) != 0) goto miss;
    uint64_t k, ctx;
    memcpy(&k, head + SRDI_CACHE_HEAD, 8);
    if (in && k != key) goto miss; /* the usual miss: nothing more read */
    if (!in && (fread(&ctx, 1, 8, fp) != 8 || ctx != key || fseek(fp, (long)sizeof head, SEEK_SET) != 0))
        goto miss; /* rows to patch: the same context wanted */
    { /* pass 1: damaged or short is a miss, found before the dataset is touched */
        srdi_stream_hash h;
        srdi_sh_init(&h);
        srdi_sh_update(&h, head + SRDI_CACHE_HEAD, 8);
        bool first = true;
        for (uint64_t left = (uint64_t)sb.st_size - 8 - sizeof head; left;) {
            size_t want = left < r.cap ? (size_t)left : r.cap;
            if (fread(r.buf, 1, want, fp) != want) break;
            if (first && helper) srdi_ent_reserve_start(&rs, d, body_rows(r.buf, want, (uint64_t)sb.st_size));
            first = false;
            srdi_sh_update(&h, r.buf, want);
            left -= want;
        }
        uint64_t check;
        bool ok = !ferror(fp) && fread(&check, 1, 8, fp) == 8 && srdi_sh_final(&h) == check &&
                  fseek(fp, (long)sizeof head, SEEK_SET) == 0;
        srdi_ent_reserve_join(&rs);
        if (!ok) goto miss;
    }
    r.n = (uint64_t)sb.st_size - 8;
    r.at = r.fed = sizeof head;

    /* pass 2: verified, the dataset is filled from here on; parts that do not add up are a program error */
    srdi_cache_get_u64(&r); /* the context key */
    uint64_t np = srdi_cache_get_u64(&r);
    if (np > (r.n - r.at) / (8 * PART_U64)) goto broken;
    for (uint64_t i = 0, skip = np ? PARTS_HEAD_U64 + np * PART_U64 : 0; i < skip && !r.bad; i++)
        srdi_cache_get_u64(&r); /* the parts table: not needed by a hit */
    long long cnt[3];
    for (int i = 0; i < 3; i++) cnt[i] = (long long)srdi_cache_get_u64(&r);
    uint64_t n = srdi_cache_get_u64(&r);
    uint32_t nc = srdi_cache_get_u32(&r);
    for (uint32_t i = 0; i < nc && !r.bad; i++) {
        const char *c = ec_str(&r, &s1, NULL, &nomem);
        uint32_t got = c ? srdi_strpool_intern(d->cities, c) : i;
        if (got != i) r.bad = true;
        if (got == UINT32_MAX) nomem = true;
    }
    if (r.bad || n > (r.n - r.at) / 28 || d->n != 0) goto broken;
    /*
     * Every array is read straight from the file into where it stays (no
     * window grown to its size and copied out of): the id hashes into 2 MiB
     * pages, the ids' and names' lengths, their bytes into the dataset's
     * string store, the fixed columns into the reserved columns (row by row,
     * with two copies of each string and a hash of each id to check, they
     * were 10-16 ms of a national refresh).
     */
    if (n && !(hashes = srdi_malloc_huge((size_t)n * 8))) {
        nomem = true;
        goto broken;
    }
    if (!ec_read_into(&r, hashes, (size_t)n * 8)) goto broken;
    uint64_t slen = srdi_cache_get_u64(&r);
    if (r.bad || slen > r.n - r.at || (n && slen < 2 * n)) goto broken;
    if (n && !(lens = srdi_malloc_huge((size_t)n * 8))) {
        nomem = true;
        goto broken;
    }
    if (!ec_read_into(&r, lens, (size_t)n * 8)) goto broken;
    /* the numeric columns are not reserved: their cells come whole (srdi_dataset_column_load) */
    if ((st = srdi_dataset_reserve_rows(d, (size_t)n)) != SRDI_OK) goto done;
    char *strs = n ? srdi_dataset_string_room(d, (size_t)slen) : NULL;
    if (n && !strs) {
        nomem = true;
        goto broken;
    }
    /*
     * With a helper thread: the numeric columns (~3.5 ms of the national
     * data's, most of it their fresh pages) loaded on a thread of its own,
     * from the file opened again at their offset, while this one reads the
     * strings and the fixed columns and adopts the rows.  They touch only
     * their columns and the cells' range (srdi_dataset_column_load), which
     * nothing here touches after the reserve.
     */
    uint64_t cols_at = r.at + slen + (uint64_t)n * (sizeof *d->level + sizeof *d->province + sizeof *d->city +
                                                    sizeof *d->industry + sizeof *d->tech_eval);
    if (helper && n && cols_at < r.n) {
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", fileno(fp));
        cols = (ec_cols){.fp = fopen(self, "rb"), .at = cols_at, .n = r.n, .cap = r.cap, .d = d, .rows = (size_t)n};
        threaded = cols.fp && fseeko(cols.fp, (off_t)cols_at, SEEK_SET) == 0 &&
                   pthread_create(&cols.tid, NULL, ec_cols_main, &cols) == 0;
    }
    if (!ec_read_into(&r, strs, (size_t)slen) || !ec_read_into(&r, d->level, (size_t)n * sizeof *d->level) ||
        !ec_read_into(&r, d->province, (size_t)n * sizeof *d->province) ||
        !ec_read_into(&r, d->city, (size_t)n * sizeof *d->city) ||
        !ec_read_into(&r, d->industry, (size_t)n * sizeof *d->industry) ||
        !ec_read_into(&r, d->tech_eval, (size_t)n * sizeof *d->tech_eval))
        goto broken;
    for (uint64_t i = 0; i < n; i++) d->industry[i][4] = 0; /* a class code of four bytes at most */
    if (n && (st = srdi_dataset_rows_adopt(d, (size_t)n, strs, (size_t)slen, lens, hashes)) != SRDI_OK)
        goto done;
    if (threaded) { /* the columns' thread: its end is where this reader goes on */
        pthread_join(cols.tid, NULL);
        threaded = false;
        nomem = cols.st == SRDI_ERR_NOMEM;
        if (cols.st != SRDI_OK || fseeko(fp, (off_t)cols.end, SEEK_SET) != 0) goto broken;
        r.at = r.fed = cols.end;
        r.lo = r.hi = 0;
    } else {
        srdi_status cst = ec_columns(&r, d, (size_t)n);
        nomem = cst == SRDI_ERR_NOMEM;
        if (cst != SRDI_OK) goto broken;
    }
    /* a column the file left without cells (none of a sound file) gets them now, all missing */
    if (!r.bad && (st = srdi_dataset_reserve(d, (size_t)n)) != SRDI_OK) goto done;
    uint64_t hfixed = srdi_cache_get_u64(&r), hfields[SRDI_F_COUNT];
    for (int f = 0; f < SRDI_F_COUNT; f++) hfields[f] = srdi_cache_get_u64(&r);
    uint64_t nrej = srdi_cache_get_u64(&r);
    for (uint64_t i = 0; i < nrej && !r.bad; i++) {
        long line = (long)srdi_cache_get_u64(&r);
        char *c = srdi_cache_get_str(&r), *v = srdi_cache_get_str(&r), *why = srdi_cache_get_str(&r);
        if (!c || !v || !why || !srdi_cache_reject_take(rj, SRDI_FILE_ENTERPRISES, line, c, v, why)) {
            free(c);
            free(v);
            free(why);
            if (!r.bad) nomem = true;
            r.bad = true;
        }
    }
    uint32_t nid = srdi_cache_get_u32(&r);
    for (uint32_t i = 0; i < nid && !r.bad; i++) {
        const char *s = ec_str(&r, &s1, NULL, &nomem);
        long line = (long)srdi_cache_get_u64(&r);
        if (!s || r.bad) break;
        uint32_t got = srdi_strpool_intern(rej_ids, s);
        if (got != i) {
            r.bad = true;
            nomem = got == UINT32_MAX;
            break;
        }
        if (i >= *rej_cap) {
            size_t cap = *rej_cap ? *rej_cap * 2 : 256;
            while (cap <= i) cap *= 2;
            long *nv = realloc(*rej_line, cap * sizeof *nv);
            if (!nv) {
                nomem = true;
                r.bad = true;
                break;
            }
            *rej_line = nv;
            *rej_cap = cap;
        }
        (*rej_line)[i] = line;
    }
    if (r.bad || r.at != r.n) goto broken;
    /* the rows as they were saved; rows loaded to be patched (!in) drop the hashes of what the patch changes */
    srdi_dataset_content_hashes_known(d, hfixed, hfields);
    *read += cnt[0];
    *accepted += cnt[1];
    *rejected += cnt[2];
    *hit = true;
    if (in && !in->peeked) /* hashed from the bytes: the identity recorded when it has settled since */
        srdi_cache_head_settle(path, head, EC_MAGIC, EC_LABEL, &in->sb, in->t_open, in->content);
    goto done;
broken:
    if (nomem)
        st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading the enterprises cache");
    else
        st = srdi_error_set(SRDI_ERR_INTERNAL, "%s: inconsistent although its hash matches; remove it", path);
    goto done;
miss:
    srdi_error_clear();
    /* the reserve made while the file was checked: the numeric columns too, for the rows about to be parsed */
    st = srdi_dataset_reserve(d, 0);
done:
    if (threaded) pthread_join(cols.tid, NULL); /* a failure here while it ran: it ends first */
    if (cols.fp) fclose(cols.fp);
    free(hashes);
    free(lens);
    free(r.buf);
    srdi_buf_free(&s1);
    fclose(fp);
    return st;
}
