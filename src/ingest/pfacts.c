/*
 * src/ingest/pfacts.c — the patent fact accumulator of one patents.csv
 * reader, and the sort of facts into their canonical order.
 *
 * Rows of patents.csv come grouped by enterprise, so the facts of a row are
 * first added up in a small table of the current enterprise (a few hundred
 * slots that stay in the L1 cache); when the enterprise changes the group's
 * facts are appended to a flat list.  An enterprise whose rows are not all
 * together simply appears in several groups: the sort at the end brings
 * equal facts together and adds their counts, so the result never depends
 * on the grouping.
 *
 * Sort: when the groups came in ascending enterprise order (patents.csv
 * in the order of enterprises.csv) the facts are unique and their
 * enterprises ascend already, so one stable counting sort on (kind, year,
 * key) puts them in canonical order (count_sort).  Otherwise a fact
 * (kind, year, key, ent) maps to one 64-bit number whose
 * order is the canonical order (kind 3 bits, year − 1900 8 bits, key 21 bits
 * with "no key" largest, ent 32 bits); the facts are sorted by it with LSD
 * radix, byte by byte, skipping bytes that are the same in every fact, with
 * one array of facts as room (no key array beside them).  Facts that do not
 * pack (a key id ≥ 2^21 − 1, a year outside 1900–2100) fall back to qsort.
 */
#include "ingest_private.h"

#include <stdlib.h>
#include <string.h>

#define KEY_BITS 21
#define KEY_NONE ((1u << KEY_BITS) - 1) /* UINT32_MAX ("no key") packed */

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
 * Room for @p extra more facts in the list.  A full list is first sorted
 * and added up in place (rows not grouped by enterprise repeat facts), and
 * grows only when that leaves it more than half full: memory follows the
 * distinct facts, not the rows.
 */
static srdi_status list_room(srdi_pfacc *a, size_t extra)
{
    if (a->n + extra <= a->cap) return SRDI_OK;
    if (a->n >= 4096 && a->regroups * 8 >= a->n) { /* worth adding up first */
        a->regroups = 0;
        srdi_status st = srdi_pfacts_sort(a->v, &a->n);
        if (st != SRDI_OK) return st;
        if (a->n + extra <= a->cap / 2) return SRDI_OK;
    }
    size_t nc = a->cap ? a->cap * 2 : 4096;
    while (nc < a->n + extra) nc *= 2;
    srdi_pfact *v = realloc(a->v, nc * sizeof *v);
    if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
    a->v = v;
    a->cap = nc;
    return SRDI_OK;
}

/* Append the open group's facts to the flat list and empty the group. */
static srdi_status group_flush(srdi_pfacc *a)
{
    srdi_status st = list_room(a, a->nused);
    if (st != SRDI_OK) return st;
    for (size_t u = 0; u < a->nused; u++) {
        uint32_t s = a->used[u];
        srdi_pfact *f = &a->v[a->n++];
        memset(f, 0, sizeof *f);
        unpack_kyk(a->gkey[s], f);
        f->ent = a->ent;
        f->count = a->gcnt[s];
        a->gcnt[s] = 0;
    }
    a->nused = 0;
    return SRDI_OK;
}

srdi_status srdi_pfacc_add(srdi_pfacc *a, uint32_t ent, srdi_pfact_kind kind, int year, uint32_t key)
{
    uint32_t p;
    if (!pack_kyk((unsigned)kind, year, key, &p)) {
        /* does not pack: straight to the list (the sort adds it up) */
        srdi_status st = list_room(a, 1);
        if (st != SRDI_OK) return st;
        a->v[a->n++] = (srdi_pfact){ent, (int16_t)year, (uint8_t)kind, key, 1};
        a->mixed = true;
        return SRDI_OK;
    }
    if ((ent != a->ent || a->nused >= SRDI_PFACC_SLOTS / 2) && a->nused > 0) {
        srdi_status st = group_flush(a);
        if (st != SRDI_OK) return st;
    }
    if (a->nused == 0) { /* a new group: an enterprise seen before may repeat facts */
        if (a->groups && ent <= a->max_ent) {
            a->regroups++;
            a->mixed = true;
        }
        if (!a->groups || ent > a->max_ent) a->max_ent = ent;
        a->groups++;
    }
    a->ent = ent;
    uint32_t i = (p * 0x9E3779B1u) >> (32 - SRDI_PFACC_BITS);
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

srdi_status srdi_pfacc_finish(srdi_pfacc *a, srdi_patents *p)
{
    srdi_status st = group_flush(a);
    if (st != SRDI_OK) return st;
    if (a->n == 0) return SRDI_OK; /* nothing since the last finish: p's facts are sorted already */
    srdi_pfact *sorted;
    if (!a->mixed && p->n_facts == 0 && count_sort(a->v, a->n, &sorted)) {
        free(a->v);
        free(p->facts);
        p->facts = sorted;
        p->n_facts = a->n;
        a->v = NULL;
        a->n = a->cap = 0;
        return SRDI_OK;
    }
    if (p->n_facts) { /* facts of an earlier finish: sorted in again */
        if (a->n + p->n_facts > a->cap) {
            srdi_pfact *v = realloc(a->v, (a->n + p->n_facts) * sizeof *v);
            if (!v) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory reading patents");
            a->v = v;
            a->cap = a->n + p->n_facts;
        }
        memcpy(a->v + a->n, p->facts, p->n_facts * sizeof *p->facts);
        a->n += p->n_facts;
    }
    if (a->n == 0) return SRDI_OK;
    size_t n = a->n;
    if ((st = srdi_pfacts_sort(a->v, &n)) != SRDI_OK) return st;
    free(p->facts);
    p->facts = a->v;
    p->n_facts = n;
    a->v = NULL;
    a->n = a->cap = 0;
    return SRDI_OK;
}

void srdi_pfacc_free(srdi_pfacc *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = a->nused = 0;
}
