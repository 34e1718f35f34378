/*
 * src/ingest/pfacts.c — the patent fact accumulator of one patents.csv
 * reader, and the sort of facts into their canonical order.
 *
 * Rows of patents.csv come grouped by enterprise, so the facts of a row are
 * first added up in a small table of the current enterprise (a few hundred
 * slots that stay in the L1 cache); when the enterprise changes the group's
 * facts are appended to the reader's log, and the count of their bucket —
 * (kind, year), the first two fields of the canonical order (kind, year,
 * key, ent) — goes up.  An enterprise whose rows are not all together simply
 * appears in several groups: collecting brings equal facts together and adds
 * their counts, so the result never depends on the grouping (and the log of
 * such an input is added up in place when it fills, so memory follows the
 * distinct facts).
 *
 * Collect (the readers of all parts of the file at once): each reader's log
 * is first sealed — moved, stably, into one anonymous mapping bucket after
 * bucket (the counts give the offsets).  Then bucket by bucket in canonical
 * order, one counting sort on the key of the bucket's facts of every reader
 * — readers in file order, enterprises ascending within a key when the file
 * is grouped by enterprise — writes them straight into their place in the
 * result, and the pages of the sealed arrays that are done are given back a
 * few hundred KiB at a time: the facts are held about once, never twice, for
 * a few system calls a reader.  (A mapping per bucket, released bucket by
 * bucket, was ~1,900 mmap/munmap pairs for the national data on 2 threads:
 * every munmap of a multi-threaded process flushes the TLB of the other
 * cores, ~60 us each on a virtual machine, 0.1 s of CPU.)  Keys whose enterprises do not ascend
 * (interleaved input, parts that overlap) are sorted by enterprise, equal
 * facts added up.  Facts that do not pack (a key id ≥ 2^21 − 1, a year
 * outside 1900–2155) or facts held from an earlier collect go the general
 * way: one array, sorted whole (srdi_pfacts_sort: LSD radix on a 64-bit
 * key — kind 3 bits, year − 1900 8 bits, key 21 bits with "no key"
 * largest, ent 32 bits — or qsort when a fact does not pack).
 */
#include "ingest_private.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

#define LOG_MIN ((size_t)256) /* facts of a log's first block; each growth doubles it */

/* The bucket of a packed fact: (kind, year − 1900). */
static inline size_t pk_bucket(const srdi_pfpk *x)
{
    return x->kyk >> KEY_BITS;
}

/* The key of packed fact @p x renumbered by @p map (NULL: as it is; DECIDED and "no key" never). */
static inline uint32_t pk_key(const srdi_pfpk *x, const uint32_t *map)
{
    uint32_t kc = x->kyk & KEY_NONE;
    if (kc == KEY_NONE) return UINT32_MAX;
    return !map || x->kyk >> 29 == SRDI_PF_DECIDED ? kc : map[kc];
}

/* The srdi_pfact of packed fact @p x, its key @p key (padding zero). */
static inline srdi_pfact pk_fact(const srdi_pfpk *x, uint32_t key)
{
    srdi_pfact f;
    memset(&f, 0, sizeof f);
    f.ent = x->ent;
    f.year = (int16_t)(1900 + ((x->kyk >> KEY_BITS) & 0xFF));
    f.kind = (uint8_t)(x->kyk >> 29);
    f.key = key;
    f.count = x->count;
    return f;
}

/*
 * Sort the packed facts v[0..*n) by (kyk, ent) — the canonical order — and
 * add up equal facts (*n = facts left): an LSD radix sort as radix_sort's.
 * SRDI_ERR_NOMEM leaves v as it was.
 */
static srdi_status pk_sort(srdi_pfpk *v, size_t *n)
{
    size_t m = *n, o = 0;
    if (m == 0) return SRDI_OK;
    srdi_pfpk *t = malloc(m * sizeof *t), *src = v, *dst = t;
    if (!t) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting patents");
#define PK_KEY(x) ((uint64_t)(x).kyk << 32 | (x).ent)
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < m; i++) {
        all_or |= PK_KEY(v[i]);
        all_and &= PK_KEY(v[i]);
    }
    uint64_t varies = all_or ^ all_and;
    for (int shift = 0; shift < 64; shift += 8) {
        if (((varies >> shift) & 0xFF) == 0) continue;
        size_t count[257] = {0};
        for (size_t i = 0; i < m; i++) count[((PK_KEY(src[i]) >> shift) & 0xFF) + 1]++;
        for (int b = 1; b <= 256; b++) count[b] += count[b - 1];
        for (size_t i = 0; i < m; i++) dst[count[(PK_KEY(src[i]) >> shift) & 0xFF]++] = src[i];
        srdi_pfpk *x = src;
        src = dst;
        dst = x;
    }
#undef PK_KEY
    if (src != v) memcpy(v, src, m * sizeof *v);
    free(t);
    for (size_t i = 0; i < m; i++) {
        if (o > 0 && v[o - 1].kyk == v[i].kyk && v[o - 1].ent == v[i].ent)
            v[o - 1].count += v[i].count;
        else
            v[o++] = v[i];
    }
    *n = o;
    return SRDI_OK;
}

/* An anonymous mapping of @p bytes (its pages can be given back one range at a time), or NULL. */
static void *map_new(size_t bytes)
{
    void *m = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

void srdi_pfarena_init(srdi_pfarena *a, size_t bytes)
{
    const size_t H = (size_t)2 << 20;
    a->base = NULL;
    a->size = 0;
    atomic_init(&a->used, 0);
    bytes = (bytes + H - 1) / H * H;
    if (bytes == 0) return;
    /* address space only: not counted against memory until written (MAP_NORESERVE) */
    void *m = mmap(NULL, bytes + H, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return;
    char *b = (char *)(((uintptr_t)m + H - 1) & ~(uintptr_t)(H - 1)); /* 2 MiB aligned: every page can be a large one */
    if (b > (char *)m) munmap(m, (size_t)(b - (char *)m));
    if ((char *)m + bytes + H > b + bytes) munmap(b + bytes, (size_t)((char *)m + bytes + H - (b + bytes)));
    srdi_mem_huge(b, bytes);
    a->base = b;
    a->size = bytes;
}

void srdi_pfarena_free(srdi_pfarena *a)
{
    if (a->base) munmap(a->base, a->size);
    a->base = NULL;
    a->size = 0;
}

/* @p bytes for a sealed array: from @p ar when it has room (*own false), else a mapping of its own. */
static void *sorted_new(srdi_pfarena *ar, size_t bytes, bool *own)
{
    size_t b = (bytes + 63) & ~(size_t)63; /* arrays a cache line apart */
    if (ar && ar->base && b >= bytes) {
        size_t at = atomic_fetch_add(&ar->used, b);
        if (at <= ar->size && ar->size - at >= b) {
            *own = false;
            return ar->base + at;
        }
    }
    *own = true;
    return map_new(bytes);
}

/* Release the sealed array of @p a (one in the arena stays: the arena goes whole). */
static void sorted_free(srdi_pfacc *a)
{
    if (a->sorted && a->sorted_own) munmap(a->sorted, a->n_sorted ? a->n_sorted * sizeof *a->sorted : 1);
    a->sorted = NULL;
    a->n_sorted = 0;
    free(a->boff);
    a->boff = NULL;
}

/* Empty the facts of @p a that pack (the log and the sealed array), memory released. */
static void packed_free(srdi_pfacc *a)
{
    a->n -= a->n_log + a->n_sorted;
    free(a->log);
    a->log = NULL;
    a->n_log = a->cap_log = a->kept = 0;
    sorted_free(a);
    memset(a->bcnt, 0, sizeof a->bcnt);
}

/*
 * Add up the log in place (an input not grouped by enterprise repeats
 * facts): sorted, equal facts added up, the bucket counts taken again.
 */
static srdi_status log_add_up(srdi_pfacc *a)
{
    size_t m = a->n_log;
    for (size_t i = 0; i < a->n_log; i++) a->bcnt[pk_bucket(&a->log[i])]--;
    srdi_status st = pk_sort(a->log, &m); /* on failure the log is as it was: m == n_log */
    for (size_t i = 0; i < m; i++) a->bcnt[pk_bucket(&a->log[i])]++;
    if (st != SRDI_OK) return st;
    a->n -= a->n_log - m;
    a->n_log = a->kept = m;
    return SRDI_OK;
}

/*
 * Room in the log for @p k more facts: it doubles when full — after adding it
 * up first when the input is not grouped by enterprise and that is worth it,
 * so that memory follows the distinct facts, not the rows.
 */
static srdi_status log_room(srdi_pfacc *a, size_t k)
{
    if (a->n_log + k <= a->cap_log) return SRDI_OK;
    if (a->mixed && a->n_log >= 256 && a->n_log >= 2 * a->kept && a->regroups * 8 >= a->groups) {
        srdi_status st = log_add_up(a);
        if (st != SRDI_OK) return st;
        if (a->n_log + k <= a->cap_log && a->n_log < a->cap_log / 2) return SRDI_OK;
    }
    size_t nc = a->cap_log ? a->cap_log * 2 : LOG_MIN;
    while (nc < a->n_log + k) {
        if (nc > SIZE_MAX / 2 / sizeof *a->log) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
        nc *= 2;
    }
    srdi_pfpk *v = realloc(a->log, nc * sizeof *v);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    a->log = v;
    a->cap_log = nc;
    return SRDI_OK;
}

/*
 * Seal @p a: its sealed facts and then its log, bucket by bucket in that
 * order (so each bucket keeps its flush order), into one new array; the log
 * is emptied (its memory kept for more facts).  Nothing to do when the log
 * is empty.
 */
static srdi_status acc_seal(srdi_pfacc *a)
{
    if (a->n_log == 0) return SRDI_OK;
    size_t total = a->n_sorted + a->n_log;
    bool own = true;
    srdi_pfpk *v = sorted_new(a->arena, total * sizeof *v, &own);
    size_t *off = malloc((SRDI_PFACC_BUCKETS + 1) * sizeof *off);
    if (!v || !off) {
        if (v && own) munmap(v, total * sizeof *v);
        free(off);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting patent facts");
    }
    size_t at = 0;
    for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) {
        off[k] = at;
        at += a->bcnt[k];
    }
    off[SRDI_PFACC_BUCKETS] = at;
    size_t *pos = malloc(SRDI_PFACC_BUCKETS * sizeof *pos);
    if (!pos) {
        if (own) munmap(v, total * sizeof *v);
        free(off);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting patent facts");
    }
    memcpy(pos, off, SRDI_PFACC_BUCKETS * sizeof *pos);
    if (a->sorted)
        for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) {
            size_t m = a->boff[k + 1] - a->boff[k];
            if (m) memcpy(v + pos[k], a->sorted + a->boff[k], m * sizeof *v);
            pos[k] += m;
        }
    for (size_t i = 0; i < a->n_log; i++) v[pos[pk_bucket(&a->log[i])]++] = a->log[i];
    free(pos);
    sorted_free(a);
    a->n_log = a->kept = 0;
    a->sorted = v;
    a->sorted_own = own;
    a->n_sorted = total;
    a->boff = off;
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

/* Move the open group's facts onto the log and empty the group. */
static srdi_status group_flush(srdi_pfacc *a)
{
    if (a->nused == 0) return SRDI_OK;
    srdi_status st = log_room(a, a->nused);
    if (st != SRDI_OK) return st;
    srdi_pfpk *f = a->log + a->n_log;
    for (size_t u = 0; u < a->nused; u++, f++) {
        uint32_t s = a->used[u];
        f->kyk = a->gkey[s];
        f->ent = a->ent;
        f->count = a->gcnt[s];
        a->gcnt[s] = 0;
        a->bcnt[a->gkey[s] >> KEY_BITS]++;
    }
    a->n_log += a->nused;
    a->n += a->nused;
    a->nused = 0;
    return SRDI_OK;
}

srdi_status srdi_pfacc_seal(srdi_pfacc *a)
{
    srdi_status st = group_flush(a);
    return st == SRDI_OK ? acc_seal(a) : st;
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
    return a->cap_odd + a->cap_log + a->n_sorted;
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
        packed_free(a[i]);
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
        const srdi_pfpk *const lists[2] = {a[i]->sorted, a[i]->log};
        const size_t counts[2] = {a[i]->n_sorted, a[i]->n_log};
        for (int l = 0; l < 2; l++)
            for (size_t j = 0; j < counts[l]; j++) v[m++] = pk_fact(&lists[l][j], pk_key(&lists[l][j], mp));
        packed_free(a[i]);
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
 * left after equal ones are added up (region_fix).  The pages of each
 * sealed array that hold only facts of these buckets are given back as they
 * are done, a few dozen calls a reader (a page shared with another range is
 * left to accs_empty).  Only these buckets are touched, so two
 * ranges may run at once.  SRDI_ERR_NOMEM without a message (the caller sets
 * it: messages are per thread).
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

#define RELEASE_ALL ((size_t)4 << 20) /* bytes done but not yet given back, at most, over all readers */
#define RELEASE_MIN ((size_t)64 << 10) /* bytes given back at a time, at least */

static void *collect_buckets(void *arg)
{
    collect_range *r = arg;
    srdi_pfacc *const *a = r->a;
    uint32_t *cnt = NULL;
    size_t ncnt = 0;
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t *rel = calloc((size_t)r->na + 1, sizeof *rel); /* per reader: see below */
    if (!rel) {
        r->st = SRDI_ERR_NOMEM;
        return NULL;
    }
    /* rel[i]: the address in a[i]'s array up to which its pages are given back (pages whole, and only those
       that hold nothing but facts of these buckets: an array in the arena shares its first and last pages) */
    for (int i = 0; i < r->na; i++)
        if (a[i]->sorted) rel[i] = ((uintptr_t)(a[i]->sorted + a[i]->boff[r->k0]) + page - 1) / page * page;
    /* a call a reader each time that much is done: the memory held beyond the facts once stays within
       about RELEASE_ALL per range, for a few dozen calls a reader */
    size_t step = RELEASE_ALL / (size_t)(r->na > 0 ? r->na : 1) / page * page;
    if (step < RELEASE_MIN) step = RELEASE_MIN;
    r->st = SRDI_OK;
    for (size_t k = r->k0; k < r->k1; k++) {
        size_t m = r->msz[k], kmax = 0, o = r->off[k];
        if (m == 0) continue;
        /* count per key ("no key", UINT32_MAX, last) */
        for (int i = 0; i < r->na; i++) {
            const uint32_t *mp = r->map ? r->map[i] : NULL;
            if (!a[i]->sorted) continue;
            const srdi_pfpk *f = a[i]->sorted + a[i]->boff[k];
            for (size_t j = 0, e = a[i]->boff[k + 1] - a[i]->boff[k]; j < e; j++) {
                uint32_t key = pk_key(&f[j], mp);
                if (key == UINT32_MAX) continue;
                if (key >= ncnt) {
                    size_t nn = ncnt ? ncnt : 1024;
                    while (nn <= key) nn *= 2;
                    uint32_t *t = realloc(cnt, nn * sizeof *t);
                    if (!t) {
                        free(cnt);
                        free(rel);
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
            if (!a[i]->sorted) continue;
            const srdi_pfpk *f = a[i]->sorted + a[i]->boff[k];
            for (size_t j = 0, e = a[i]->boff[k + 1] - a[i]->boff[k]; j < e; j++) {
                uint32_t key = pk_key(&f[j], mp);
                r->out[o + (key == UINT32_MAX ? pos_none++ : cnt[key]++)] = pk_fact(&f[j], key);
            }
            uintptr_t done = (uintptr_t)(a[i]->sorted + a[i]->boff[k + 1]) / page * page; /* whole pages done */
            if (done >= rel[i] + step) {
                madvise((void *)rel[i], done - rel[i], MADV_DONTNEED);
                rel[i] = done;
            }
        }
        if (kmax) memset(cnt, 0, kmax * sizeof *cnt);
        r->fixed[k] = region_fix(r->out + o, m);
    }
    free(cnt);
    free(rel);
    return NULL;
}

/* Seal the accumulators a[t], a[t + step], … (a thread's share of srdi_pfacc_collect_mt's). */
typedef struct seal_share {
    srdi_pfacc *const *a;
    int na, t, step;
    srdi_status st;
} seal_share;

static void *seal_main(void *arg)
{
    seal_share *s = arg;
    s->st = SRDI_OK;
    for (int i = s->t; i < s->na && s->st == SRDI_OK; i += s->step) s->st = acc_seal(s->a[i]);
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
     * then the pages of the sealed arrays that held it are given back.  The
     * result fills as the arrays empty: the facts are held about once.  With
     * two threads the buckets are cut in two ranges of about half the facts
     * each, sorted at once; each bucket starts where the facts before it
     * would, and the gaps that adding up equal facts leaves are closed after.
     * First each reader's log is sealed (acc_seal), the readers shared out
     * among the threads.
     */
    int nt = threads < 1 ? 1 : threads > COLLECT_THREADS ? COLLECT_THREADS : threads;
    if (total < srdi_pfacc_collect_split) nt = 1;
    {
        seal_share sh[COLLECT_THREADS];
        pthread_t stid[COLLECT_THREADS];
        bool sstarted[COLLECT_THREADS] = {false};
        int ns = nt < na ? nt : na;
        for (int t = 0; t < ns; t++) sh[t] = (seal_share){a, na, t, ns, SRDI_OK};
        for (int t = 1; t < ns; t++)
            if (pthread_create(&stid[t], NULL, seal_main, &sh[t]) == 0)
                sstarted[t] = true;
            else
                seal_main(&sh[t]); /* no thread: this one seals that share too */
        seal_main(&sh[0]);
        for (int t = 1; t < ns; t++) {
            if (sstarted[t]) pthread_join(stid[t], NULL);
            if (sh[t].st != SRDI_OK) st = sh[t].st;
        }
        if (sh[0].st != SRDI_OK) st = sh[0].st;
        if (st != SRDI_OK) {
            accs_empty(a, na);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory sorting %zu patent facts", total);
        }
    }
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
    collect_range r[COLLECT_THREADS];
    pthread_t tid[COLLECT_THREADS];
    bool started[COLLECT_THREADS] = {false};
    int nr = 1;
    r[0] = (collect_range){a, map, na, 0, SRDI_PFACC_BUCKETS, out, off, msz, fixed, SRDI_OK};
    size_t at = 0;
    for (size_t k = 0; k < SRDI_PFACC_BUCKETS; k++) {
        size_t m = 0;
        for (int i = 0; i < na; i++) m += a[i]->bcnt[k];
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
