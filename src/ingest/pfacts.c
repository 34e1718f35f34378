/*
 * src/ingest/pfacts.c — the patent fact accumulator of one patents.csv
 * reader, and the sort of facts into their canonical order.
 *
 * Rows of patents.csv come grouped by enterprise, so the facts of a row are
 * first added up in a small table of the current enterprise (a few hundred
 * slots that stay in the L1 cache); when the enterprise changes the group's
 * facts are appended to the bucket of their (kind, year) — the first two
 * fields of the canonical order (kind, year, key, ent).  A bucket is a list
 * of chunks, each an anonymous mapping of its own.  An enterprise whose rows
 * are not all together simply appears in several groups: collecting brings
 * equal facts together and adds their counts, so the result never depends
 * on the grouping (and a bucket of such an input is added up in place when
 * it fills, so memory follows the distinct facts).
 *
 * Collect (the readers of all parts of the file at once): bucket by bucket
 * in canonical order, one counting sort on the key of the bucket's facts of
 * every reader — readers in file order, enterprises ascending within a key
 * when the file is grouped by enterprise — writes them straight into their
 * place in the result, and the bucket's chunks are released: the facts are
 * held about once, never twice.  Keys whose enterprises do not ascend
 * (interleaved input, parts that overlap) are sorted by enterprise, equal
 * facts added up.  Facts that do not pack (a key id ≥ 2^21 − 1, a year
 * outside 1900–2155) or facts held from an earlier collect go the general
 * way: one array, sorted whole (srdi_pfacts_sort: LSD radix on a 64-bit
 * key — kind 3 bits, year − 1900 8 bits, key 21 bits with "no key"
 * largest, ent 32 bits — or qsort when a fact does not pack).
 */
#include "ingest_private.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define KEY_BITS SRDI_PFACC_KEY_BITS
#define KEY_NONE SRDI_PFACC_KEY_NONE /* UINT32_MAX ("no key") packed */

/* (kind, year, key) as 32 bits in canonical order; false when it does not fit. */
static inline bool pack_kyk(unsigned kind, int year, uint32_t key, uint32_t *out)
{
    uint32_t kc = key == UINT32_MAX ? KEY_NONE : key;
    if (kind >= 8 || year < 1900 || year > 2155 || kc > KEY_NONE || (kc == KEY_NONE && key != UINT32_MAX)) return false;
    *out = (uint32_t)kind << 29 | (uint32_t)(year - 1900) << KEY_BITS | kc;
    return true;
}

static inline void unpack_kyk(uint32_t p, srdi_pfact *f)
{
    f->kind = (uint8_t)(p >> 29);
    f->year = (int16_t)(1900 + ((p >> KEY_BITS) & 0xFF));
    uint32_t kc = p & KEY_NONE;
    f->key = kc == KEY_NONE ? UINT32_MAX : kc;
}

/* The 64-bit sort key of a fact that packs: (kind, year, key) above, ent below. */
static inline uint64_t fact_key(const srdi_pfact *f)
{
    uint32_t kc = f->key == UINT32_MAX ? KEY_NONE : f->key;
    return (uint64_t)((uint32_t)f->kind << 29 | (uint32_t)(f->year - 1900) << KEY_BITS | kc) << 32 | f->ent;
}

/*
 * LSD radix sort of the facts v[0..n) by fact_key, byte by byte (bytes the
 * same in every fact skipped), using t[0..n) as room; true when the result
 * ends in t.  The facts themselves move: no key array beside them.
 */
static bool radix_sort(srdi_pfact *v, srdi_pfact *t, size_t n)
{
    bool swapped = false;
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = fact_key(&v[i]);
        all_or |= k;
        all_and &= k;
    }
    uint64_t varies = all_or ^ all_and;
    for (int shift = 0; shift < 64; shift += 8) {
        if (((varies >> shift) & 0xFF) == 0) continue;
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((fact_key(&v[i]) >> shift) & 0xFF) + 1]++;
        for (int b = 1; b <= 256; b++) count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++) t[count[(fact_key(&v[i]) >> shift) & 0xFF]++] = v[i];
        srdi_pfact *sv = v;
        v = t;
        t = sv;
        swapped = !swapped;
    }
    return swapped;
}

/*
 * Sort v[0..n) into canonical order and add up equal facts; the number of
 * facts left.  SRDI_ERR_NOMEM leaves v as it was.
 */
srdi_status srdi_pfacts_sort(srdi_pfact *v, size_t *n)
{
    size_t m = *n, o = 0;
    if (m == 0) return SRDI_OK;
    bool packable = true;
    for (size_t i = 0; i < m && packable; i++) {
        uint32_t p;
        packable = pack_kyk(v[i].kind, v[i].year, v[i].key, &p);
    }
    if (!packable) {
        qsort(v, m, sizeof *v, srdi_pfact_cmp);
    } else {
        srdi_pfact *t = malloc(m * sizeof *t);
        if (!t) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting patents");
        if (radix_sort(v, t, m)) memcpy(v, t, m * sizeof *v);
        free(t);
    }
    for (size_t i = 0; i < m; i++) {
        if (o > 0 && srdi_pfact_cmp(&v[o - 1], &v[i]) == 0)
            v[o - 1].count += v[i].count;
        else
            v[o++] = v[i];
    }
    *n = o;
    return SRDI_OK;
}

static bool count_sort(const srdi_pfact *v, size_t n, srdi_pfact **out);

srdi_status srdi_pfacts_resort(srdi_pfact **v, size_t *n)
{
    srdi_pfact *t;
    if (*n > 0 && count_sort(*v, *n, &t)) {
        free(*v);
        *v = t;
        return SRDI_OK;
    }
    return srdi_pfacts_sort(*v, n);
}

/* ============================================================ accumulator */

/*
 * A chunk of a bucket: an anonymous mapping of its own, so that releasing it
 * (as soon as its facts are sorted into place) gives its pages back to the
 * system at once — memory freed to the heap would stay in the process.
 */
struct srdi_pfchunk {
    srdi_pfchunk *next;
    size_t bytes; /* of the mapping */
    uint32_t n, cap;
    srdi_pfact f[];
};

#define CHUNK_MIN ((size_t)1 << 12) /* bytes of a bucket's first chunk; each next one twice the last */
#define CHUNK_MAX ((size_t)1 << 20)

static srdi_pfchunk *chunk_new(size_t bytes)
{
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    srdi_pfchunk *c = m;
    c->next = NULL;
    c->bytes = bytes;
    c->n = 0;
    c->cap = (uint32_t)((bytes - sizeof *c) / sizeof(srdi_pfact));
    return c;
}

/* Release the chunks from @p c on. */
static void chunks_free(srdi_pfchunk *c)
{
    for (srdi_pfchunk *nx; c; c = nx) {
        nx = c->next;
        munmap(c, c->bytes);
    }
}

/* Empty bucket @p b of @p a (its chunks released). */
static void bucket_free(srdi_pfacc *a, srdi_pfbucket *b)
{
    chunks_free(b->head);
    a->n -= b->n;
    b->head = b->tail = NULL;
    b->n = b->kept = 0;
}

/*
 * Add up bucket @p b in place (an input not grouped by enterprise repeats
 * facts): its facts sorted and equal ones added up, written back from the
 * first chunk, the chunks left empty released.
 */
static srdi_status bucket_add_up(srdi_pfacc *a, srdi_pfbucket *b)
{
    srdi_pfact *t = malloc(b->n * sizeof *t);
    if (!t) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    size_t m = 0;
    for (srdi_pfchunk *c = b->head; c; c = c->next) {
        memcpy(t + m, c->f, c->n * sizeof *t);
        m += c->n;
    }
    srdi_status st = srdi_pfacts_sort(t, &m);
    if (st != SRDI_OK) {
        free(t);
        return st;
    }
    size_t at = 0;
    srdi_pfchunk *c = b->head, *last = c;
    for (; c && at < m; c = c->next) {
        c->n = (uint32_t)(m - at < c->cap ? m - at : c->cap);
        memcpy(c->f, t + at, c->n * sizeof *t);
        at += c->n;
        last = c;
    }
    chunks_free(last->next);
    last->next = NULL;
    b->tail = last;
    a->n -= b->n - m;
    b->n = b->kept = m;
    free(t);
    return SRDI_OK;
}

/* Room for one more fact in bucket @p b (a new chunk when its last is full). */
static srdi_status bucket_room(srdi_pfacc *a, srdi_pfbucket *b)
{
    if (b->tail && b->tail->n < b->tail->cap) return SRDI_OK;
    if (a->mixed && b->n >= 256 && b->n >= 2 * b->kept && a->regroups * 8 >= a->groups) { /* worth adding up first */
        srdi_status st = bucket_add_up(a, b);
        if (st != SRDI_OK) return st;
        if (b->tail->n < b->tail->cap) return SRDI_OK;
    }
    size_t bytes = !b->tail ? CHUNK_MIN : b->tail->bytes >= CHUNK_MAX / 2 ? CHUNK_MAX : 2 * b->tail->bytes;
    srdi_pfchunk *c = chunk_new(bytes);
    if (!c) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    if (b->tail)
        b->tail->next = c;
    else
        b->head = c;
    b->tail = c;
    return SRDI_OK;
}

/*
 * Room for one more fact that does not pack.  A full list is first sorted and
 * added up in place, and grows only when that leaves it more than half full:
 * memory follows the distinct facts, not the rows.
 */
static srdi_status odd_room(srdi_pfacc *a)
{
    if (a->n_odd < a->cap_odd) return SRDI_OK;
    if (a->n_odd >= 4096) {
        size_t n = a->n_odd;
        srdi_status st = srdi_pfacts_sort(a->odd, &n);
        if (st != SRDI_OK) return st;
        a->n -= a->n_odd - n;
        a->n_odd = n;
        if (n < a->cap_odd / 2) return SRDI_OK;
    }
    size_t nc = a->cap_odd ? a->cap_odd * 2 : 256;
    srdi_pfact *v = realloc(a->odd, nc * sizeof *v);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    a->odd = v;
    a->cap_odd = nc;
    return SRDI_OK;
}

/* Move the open group's facts into their buckets and empty the group. */
static srdi_status group_flush(srdi_pfacc *a)
{
    for (size_t u = 0; u < a->nused; u++) {
        uint32_t s = a->used[u];
        srdi_pfbucket *b = &a->bucket[a->gkey[s] >> KEY_BITS];
        srdi_status st = bucket_room(a, b);
        if (st != SRDI_OK) return st;
        srdi_pfact *f = &b->tail->f[b->tail->n++];
        memset(f, 0, sizeof *f);
        unpack_kyk(a->gkey[s], f);
        f->ent = a->ent;
        f->count = a->gcnt[s];
        a->gcnt[s] = 0;
        b->n++;
        a->n++;
    }
    a->nused = 0;
    return SRDI_OK;
}

srdi_status srdi_pfacc_add(srdi_pfacc *a, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key)
{
    uint32_t p;
    if (!pack_kyk((unsigned)kind, year, key, &p)) {
        /* does not pack: to the odd list (collect sorts it with everything) */
        srdi_status st = odd_room(a);
        if (st != SRDI_OK) return st;
        a->odd[a->n_odd++] = (srdi_pfact){ent, (int16_t)year, (uint8_t)kind, key, 1};
        a->n++;
        return SRDI_OK;
    }
    if ((ent != a->ent || a->nused >= SRDI_PFACC_SLOTS / 2) && a->nused > 0) {
        srdi_status st = group_flush(a);
        if (st != SRDI_OK) return st;
    }
    if (a->nused == 0) { /* a new group: an enterprise seen before may repeat facts */
        if (!a->groups) a->min_ent = ent;
        if (a->groups && ent <= a->max_ent) {
            a->regroups++;
            a->mixed = true;
        }
        if (!a->groups || ent > a->max_ent) a->max_ent = ent;
        a->groups++;
    }
    a->ent = ent;
    uint32_t i = (p * 0x9E3779B1u) >> (32 - SRDI_PFACC_BITS); /* as srdi_pfacc_add_quick */
    for (;;) {
        if (a->gcnt[i] == 0) {
            a->gkey[i] = p;
            a->gcnt[i] = 1;
            a->used[a->nused++] = (uint16_t)i;
            return SRDI_OK;
        }
        if (a->gkey[i] == p) {
            a->gcnt[i]++;
            return SRDI_OK;
        }
        i = (i + 1) & (SRDI_PFACC_SLOTS - 1);
    }
}

size_t srdi_pfacc_room(const srdi_pfacc *a)
{
    size_t r = a->cap_odd;
    for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++)
        for (const srdi_pfchunk *c = a->bucket[k].head; c; c = c->next) r += c->cap;
    return r;
}

/*
 * The list of unique facts v[0..n) whose enterprises ascend (groups in
 * enterprise order, each fact once per group) in canonical order by one
 * stable counting sort on (kind, year, key) alone — the enterprises are in
 * order already — into *out (v is left as it was).  The counters are one per
 * (kind, year, key) in the ranges met; false (nothing done) when that is more
 * than a few MiB of counters or memory runs out: the caller sorts it all.
 */
static bool count_sort(const srdi_pfact *v, size_t n, srdi_pfact **out)
{
    unsigned kinds = 0, ylo = 255, yhi = 0;
    uint32_t kmax = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned y = (unsigned)(v[i].year - 1900);
        if (v[i].kind >= kinds) kinds = v[i].kind + 1u;
        if (y < ylo) ylo = y;
        if (y > yhi) yhi = y;
        if (v[i].key != UINT32_MAX && v[i].key > kmax) kmax = v[i].key;
    }
    if (n == 0 || kinds > 8 || yhi > 255 || kmax >= KEY_NONE) return false;
    size_t nk = (size_t)kmax + 2, ny = yhi - ylo + 1, cells = kinds * ny * nk; /* key slot nk-1: no key (last) */
    if (cells > ((size_t)1 << 20)) return false;
    uint32_t *at = calloc(cells + 1, sizeof *at);
    srdi_pfact *t = malloc(n * sizeof *t);
    if (!at || !t || n >= UINT32_MAX) {
        free(at);
        free(t);
        return false;
    }
#define CELL(f) ((((size_t)(f).kind * ny + (size_t)((f).year - 1900) - ylo) * nk) + ((f).key == UINT32_MAX ? nk - 1 : (f).key))
    for (size_t i = 0; i < n; i++) at[CELL(v[i]) + 1]++;
    for (size_t c = 1; c <= cells; c++) at[c] += at[c - 1];
    for (size_t i = 0; i < n; i++) t[at[CELL(v[i])]++] = v[i];
#undef CELL
    free(at);
    *out = t;
    return true;
}

/* Key of @p f renumbered by @p map (NULL: as it is; DECIDED and "no key" never). */
static inline uint32_t remap(const uint32_t *map, const srdi_pfact *f)
{
    return !map || f->kind == SRDI_PF_DECIDED || f->key == UINT32_MAX ? f->key : map[f->key];
}

static int ent_cmp(const void *x, const void *y)
{
    uint32_t a = ((const srdi_pfact *)x)->ent, b = ((const srdi_pfact *)y)->ent;
    return a < b ? -1 : a > b;
}

/*
 * The facts r[0..m) of one (kind, year), sorted by key: put the enterprises
 * of each key in order when they are not (an input not grouped by
 * enterprise; parts whose enterprises overlap) and add up equal facts.
 * Returns the facts left.
 */
static size_t region_fix(srdi_pfact *r, size_t m)
{
    size_t i = 1;
    while (i < m && (r[i - 1].key != r[i].key || r[i - 1].ent < r[i].ent)) i++;
    if (i >= m) return m; /* the common case: canonical already */
    for (size_t s = 0, e; s < m; s = e) {
        bool sorted = true;
        for (e = s + 1; e < m && r[e].key == r[s].key; e++)
            if (r[e - 1].ent > r[e].ent) sorted = false;
        if (!sorted) qsort(r + s, e - s, sizeof *r, ent_cmp);
    }
    size_t o = 0;
    for (size_t k = 0; k < m; k++) {
        if (o > 0 && r[o - 1].key == r[k].key && r[o - 1].ent == r[k].ent)
            r[o - 1].count += r[k].count;
        else
            r[o++] = r[k];
    }
    return o;
}

/* Empty every accumulator of a[0..n), memory released (their history kept: groups, max_ent …). */
static void accs_empty(srdi_pfacc *const *a, int n)
{
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) bucket_free(a[i], &a[i]->bucket[k]);
        free(a[i]->odd);
        a[i]->odd = NULL;
        a[i]->n_odd = a[i]->cap_odd = 0;
        a[i]->n = 0;
    }
}

/*
 * srdi_pfacc_collect when p holds facts or a fact does not pack: every fact
 * into one array with p's, sorted whole (srdi_pfacts_sort).
 */
static srdi_status collect_flat(srdi_pfacc *const *a, const uint32_t *const *map, int na, size_t total, srdi_patents *p)
{
    size_t m = p->n_facts;
    srdi_pfact *v = realloc(p->facts, (m + total) * sizeof *v);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    p->facts = v;
    for (int i = 0; i < na; i++) {
        const uint32_t *mp = map ? map[i] : NULL;
        for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) {
            srdi_pfbucket *b = &a[i]->bucket[k];
            for (const srdi_pfchunk *c = b->head; c; c = c->next)
                for (uint32_t j = 0; j < c->n; j++) {
                    v[m] = c->f[j];
                    v[m++].key = remap(mp, &c->f[j]);
                }
            bucket_free(a[i], b);
        }
        for (size_t j = 0; j < a[i]->n_odd; j++) {
            v[m] = a[i]->odd[j];
            v[m++].key = remap(mp, &a[i]->odd[j]);
        }
    }
    p->n_facts = m; /* unsorted until the sort below succeeds */
    srdi_status st = srdi_pfacts_sort(v, &m);
    if (st != SRDI_OK) return st;
    p->n_facts = m;
    return SRDI_OK;
}

/*
 * The buckets [k0, k1) of a[0..na) sorted into their places in out: bucket k
 * from out + off[k] (the facts of the buckets before it), fixed[k] its facts
 * left after equal ones are added up (region_fix); each bucket's chunks are
 * released as it is done (the accumulators' counts are the caller's).  Only
 * these buckets are touched, so two ranges may run at once.  SRDI_ERR_NOMEM
 * without a message (the caller sets it: messages are per thread).
 */
typedef struct collect_range {
    srdi_pfacc *const *a;
    const uint32_t *const *map;
    int na;
    size_t k0, k1;
    srdi_pfact *out;
    const size_t *off, *msz;
    size_t *fixed;
    srdi_status st;
} collect_range;

static void *collect_buckets(void *arg)
{
    collect_range *r = arg;
    srdi_pfacc *const *a = r->a;
    uint32_t *cnt = NULL;
    size_t ncnt = 0;
    r->st = SRDI_OK;
    for (size_t k = r->k0; k < r->k1; k++) {
        size_t m = r->msz[k], kmax = 0, o = r->off[k];
        if (m == 0) continue;
        /* count per key ("no key", UINT32_MAX, last) */
        for (int i = 0; i < r->na; i++) {
            const uint32_t *mp = r->map ? r->map[i] : NULL;
            for (const srdi_pfchunk *c = a[i]->bucket[k].head; c; c = c->next)
                for (uint32_t j = 0; j < c->n; j++) {
                    uint32_t key = remap(mp, &c->f[j]);
                    if (key == UINT32_MAX) continue;
                    if (key >= ncnt) {
                        size_t nn = ncnt ? ncnt : 1024;
                        while (nn <= key) nn *= 2;
                        uint32_t *t = realloc(cnt, nn * sizeof *t);
                        if (!t) {
                            free(cnt);
                            r->st = SRDI_ERR_NOMEM;
                            return NULL;
                        }
                        memset(t + ncnt, 0, (nn - ncnt) * sizeof *t);
                        cnt = t;
                        ncnt = nn;
                    }
                    if (key >= kmax) kmax = (size_t)key + 1;
                    cnt[key]++;
                }
        }
        size_t at = o; /* counts → first positions */
        for (size_t key = 0; key < kmax; key++) {
            uint32_t c = cnt[key];
            cnt[key] = (uint32_t)(at - o);
            at += c;
        }
        size_t pos_none = at - o;
        for (int i = 0; i < r->na; i++) {
            const uint32_t *mp = r->map ? r->map[i] : NULL;
            srdi_pfbucket *b = &a[i]->bucket[k];
            for (const srdi_pfchunk *c = b->head; c; c = c->next)
                for (uint32_t j = 0; j < c->n; j++) {
                    uint32_t key = remap(mp, &c->f[j]);
                    srdi_pfact *d = &r->out[o + (key == UINT32_MAX ? pos_none++ : cnt[key]++)];
                    *d = c->f[j];
                    d->key = key;
                }
            chunks_free(b->head);
            b->head = b->tail = NULL;
            b->n = b->kept = 0;
        }
        if (kmax) memset(cnt, 0, kmax * sizeof *cnt);
        r->fixed[k] = region_fix(r->out + o, m);
    }
    free(cnt);
    return NULL;
}

size_t srdi_pfacc_collect_split = (size_t)1 << 16;

#define COLLECT_THREADS 16 /* most threads srdi_pfacc_collect_mt sorts on */

srdi_status srdi_pfacc_collect_mt(srdi_pfacc *const *a, const uint32_t *const *map, int na, srdi_patents *p,
                                  int threads)
{
    srdi_status st = SRDI_OK;
    size_t total = 0;
    bool odd = false;
    for (int i = 0; i < na && st == SRDI_OK; i++) {
        st = group_flush(a[i]);
        total += a[i]->n;
        odd = odd || a[i]->n_odd > 0;
    }
    if (st != SRDI_OK || total == 0) {
        accs_empty(a, na);
        return st;
    }
    if (odd || p->n_facts) {
        st = collect_flat(a, map, na, total, p);
        accs_empty(a, na);
        return st;
    }
    /*
     * One (kind, year) bucket at a time, in canonical order: a counting sort
     * on the key of every reader's facts of the bucket (readers in file order,
     * each reader's in flush order: enterprises ascend within a key when the
     * input is grouped by enterprise) straight into its place in the result,
     * then the bucket's chunks are released.  The result fills as the
     * chunks empty: the facts are held about once.  With two threads the
     * buckets are cut in two ranges of about half the facts each, sorted at
     * once; each bucket starts where the facts before it would, and the
     * gaps that adding up equal facts leaves are closed after.
     */
    srdi_pfact *out = malloc(total * sizeof *out);
    srdi_mem_huge(out, total * sizeof *out); /* written whole: 2 MiB pages, a fault each instead of 512 */
    size_t *off = malloc(3 * SRDI_PFACC_BUCKETS * sizeof *off), *msz = off ? off + SRDI_PFACC_BUCKETS : NULL,
           *fixed = off ? off + 2 * SRDI_PFACC_BUCKETS : NULL;
    if (!out || !off) {
        free(out);
        free(off);
        accs_empty(a, na);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting %zu patent facts", total);
    }
    /* the buckets cut into up to COLLECT_THREADS ranges of about total / nt facts each */
    int nt = threads < 1 ? 1 : threads > COLLECT_THREADS ? COLLECT_THREADS : threads;
    if (total < srdi_pfacc_collect_split) nt = 1;
    collect_range r[COLLECT_THREADS];
    pthread_t tid[COLLECT_THREADS];
    bool started[COLLECT_THREADS] = {false};
    int nr = 1;
    r[0] = (collect_range){a, map, na, 0, SRDI_PFACC_BUCKETS, out, off, msz, fixed, SRDI_OK};
    size_t at = 0;
    for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) {
        size_t m = 0;
        for (int i = 0; i < na; i++) m += a[i]->bucket[k].n;
        off[k] = at;
        msz[k] = m;
        fixed[k] = 0;
        if (nr < nt && m > 0 && at >= total / (size_t)nt * (size_t)nr) { /* range nr starts here */
            r[nr - 1].k1 = k;
            r[nr] = (collect_range){a, map, na, k, SRDI_PFACC_BUCKETS, out, off, msz, fixed, SRDI_OK};
            nr++;
        }
        at += m;
    }
    for (int t = 1; t < nr; t++)
        if (pthread_create(&tid[t], NULL, collect_buckets, &r[t]) == 0)
            started[t] = true;
        else
            collect_buckets(&r[t]); /* no thread: this one sorts the range too */
    collect_buckets(&r[0]);
    bool failed = r[0].st != SRDI_OK;
    for (int t = 1; t < nr; t++) {
        if (started[t]) pthread_join(tid[t], NULL);
        failed = failed || r[t].st != SRDI_OK;
    }
    accs_empty(a, na);
    if (failed) {
        free(out);
        free(off);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting patent facts");
    }
    size_t o = 0; /* close the gaps (none when no facts were added up) */
    for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) {
        if (fixed[k] && off[k] != o) memmove(out + o, out + off[k], fixed[k] * sizeof *out);
        o += fixed[k];
    }
    free(off);
    if (o < total) {
        srdi_pfact *t = realloc(out, o * sizeof *out);
        if (t) out = t;
    }
    free(p->facts);
    p->facts = out;
    p->n_facts = o;
    return SRDI_OK;
}

srdi_status srdi_pfacc_collect(srdi_pfacc *const *a, const uint32_t *const *map, int na, srdi_patents *p)
{
    return srdi_pfacc_collect_mt(a, map, na, p, 1);
}

srdi_status srdi_pfacc_finish(srdi_pfacc *a, srdi_patents *p)
{
    return srdi_pfacc_collect(&a, NULL, 1, p);
}

void srdi_pfacc_free(srdi_pfacc *a)
{
    accs_empty(&a, 1);
    a->nused = 0;
}
