/*
 * src/core/hash.c — THE hash function (FNV-1a 64 plus a finaliser) and THE
 * hash index (srdi/hash.h): open addressing, linear probing, load ≤ 1/2.
 *
 * A slot holds the low 32 bits of the entry's hash (the probe start and a
 * cheap filter before the caller compares keys) and id + 1.  When the index
 * grows, the old slots are re-inserted walking once round the table from an
 * empty slot: every run of occupied slots is then visited from its start, so
 * entries with the same hash keep their order along the probe path — the
 * insertion order that srdi_hindex_first / _next promise.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srdi/hash.h"
#include "srdi/util.h"

#define FNV_PRIME 0x100000001b3ULL

uint64_t srdi_hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t srdi_hash_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 33);
}

/* Eight bytes at a time: ids and names are hashed on the hot path of ingest. */
uint64_t srdi_hash_mem(const void *p, size_t n)
{
    const char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, s + i, n - i);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    }
    return srdi_hash_mix(h);
}

uint64_t srdi_hash_str(const char *s)
{
    return srdi_hash_mem(s, strlen(s));
}

/* Put (tag, id + 1) into the first free slot of its probe path (there is one: load ≤ 1/2). */
static void slot_put(uint64_t *slots, size_t nslots, uint64_t slot)
{
    size_t m = nslots - 1, i = (size_t)(slot >> 32) & m;
    while (slots[i]) i = (i + 1) & m;
    slots[i] = slot;
}

/* Re-build with @p ns slots (a power of two that holds x->n at load ≤ 1/2). */
static srdi_status rehash(srdi_hindex *x, size_t ns)
{
    assert(ns && (ns & (ns - 1)) == 0 && ns >= 2 * x->n && ns <= ((size_t)1 << 32));
    uint64_t *slots = srdi_malloc_huge(ns * sizeof *slots); /* probed at random: 2 MiB pages when large */
    if (!slots) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (hash index of %zu slots)", ns);
    memset(slots, 0, ns * sizeof *slots);
    size_t on = x->nslots, e = 0;
    if (on) {
        while (x->slots[e]) e++; /* an empty slot: the walk starts after it */
        for (size_t k = 1; k <= on; k++) {
            uint64_t s = x->slots[(e + k) & (on - 1)];
            if (s) slot_put(slots, ns, s);
        }
    }
    free(x->slots);
    x->slots = slots;
    x->nslots = ns;
    return SRDI_OK;
}

srdi_status srdi_hindex_reserve(srdi_hindex *x, size_t n)
{
    if (2 * n <= x->nslots) return SRDI_OK;
    size_t ns = x->nslots ? x->nslots : 16;
    while (ns < 2 * n) {
        if (ns >= ((size_t)1 << 32))
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (hash index of %zu entries)", n);
        ns *= 2;
    }
    return rehash(x, ns);
}

srdi_status srdi_hindex_add(srdi_hindex *x, uint64_t h, uint32_t id)
{
    assert(id != SRDI_HINDEX_NONE);
    if (2 * (x->n + 1) > x->nslots) {
        srdi_status st = srdi_hindex_reserve(x, x->n + 1 > x->nslots ? x->n + 1 : x->nslots);
        if (st != SRDI_OK) return st;
    }
    slot_put(x->slots, x->nslots, (uint64_t)(uint32_t)h << 32 | ((uint64_t)id + 1));
    x->n++;
    return SRDI_OK;
}

/* The first slot at or after @p i (on the probe path) whose tag is @p h's; its id, or NONE at an empty slot. */
static uint32_t scan(const srdi_hindex *x, uint64_t h, size_t i, size_t *pos)
{
    if (!x->nslots) return SRDI_HINDEX_NONE;
    size_t m = x->nslots - 1;
    uint32_t tag = (uint32_t)h;
    for (i &= m; x->slots[i]; i = (i + 1) & m) {
        if ((uint32_t)(x->slots[i] >> 32) == tag) {
            *pos = i;
            return (uint32_t)(x->slots[i] & 0xFFFFFFFFu) - 1;
        }
    }
    return SRDI_HINDEX_NONE;
}

uint32_t srdi_hindex_first(const srdi_hindex *x, uint64_t h, size_t *pos)
{
    return scan(x, h, (size_t)(uint32_t)h, pos);
}

uint32_t srdi_hindex_next(const srdi_hindex *x, uint64_t h, size_t *pos)
{
    return scan(x, h, *pos + 1, pos);
}

void srdi_hindex_free(srdi_hindex *x)
{
    free(x->slots);
    memset(x, 0, sizeof *x);
}

#define SH_P1 0x9E3779B185EBCA87ULL
#define SH_P2 0xC2B2AE3D27D4EB4FULL

static inline uint64_t sh_rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t sh_rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* ------------------------------------------------------ stream hash */

/* The patents cache's block hash as the bytes stream by (its mix(0, bytes)):
   four lanes over each 32 bytes, the tail at the end. */
void srdi_sh_init(srdi_stream_hash *s)
{
    *s = (srdi_stream_hash){.a = SH_P1 + SH_P2, .b = SH_P2, .c = 0, .d = (uint64_t)0 - SH_P1};
}
static inline void sh_round(srdi_stream_hash *s, const unsigned char *p)
{
    s->a = sh_rotl(s->a + sh_rd64(p) * SH_P2, 31) * SH_P1;
    s->b = sh_rotl(s->b + sh_rd64(p + 8) * SH_P2, 31) * SH_P1;
    s->c = sh_rotl(s->c + sh_rd64(p + 16) * SH_P2, 31) * SH_P1;
    s->d = sh_rotl(s->d + sh_rd64(p + 24) * SH_P2, 31) * SH_P1;
}
void srdi_sh_update(srdi_stream_hash *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->n += n;
    if (s->np) {
        size_t k = 32 - s->np < n ? 32 - s->np : n;
        memcpy(s->pend + s->np, p, k);
        s->np += k;
        p += k;
        n -= k;
        if (s->np < 32) return;
        sh_round(s, s->pend);
        s->np = 0;
    }
    for (; n >= 32; p += 32, n -= 32) sh_round(s, p);
    memcpy(s->pend, p, n);
    s->np = n;
}
void srdi_sh_u64(srdi_stream_hash *s, uint64_t v)
{
    srdi_sh_update(s, &v, sizeof v);
}

void srdi_sh_stat(srdi_stream_hash *s, const struct stat *sb)
{
    const uint64_t v[7] = {(uint64_t)sb->st_dev,          (uint64_t)sb->st_ino,           (uint64_t)sb->st_size,
                           (uint64_t)sb->st_mtim.tv_sec,  (uint64_t)sb->st_mtim.tv_nsec,  (uint64_t)sb->st_ctim.tv_sec,
                           (uint64_t)sb->st_ctim.tv_nsec};
    srdi_sh_update(s, v, sizeof v);
}

void srdi_sh_str(srdi_stream_hash *s, const char *str)
{
    uint32_t n = str ? (uint32_t)strlen(str) : UINT32_MAX;
    srdi_sh_update(s, &n, sizeof n);
    if (str) srdi_sh_update(s, str, n);
}

void srdi_sh_pool(srdi_stream_hash *s, const srdi_strpool *p)
{
    uint32_t n = p ? srdi_strpool_count(p) : 0;
    srdi_sh_u64(s, p ? n : UINT64_MAX);
    for (uint32_t i = 0; i < n; i++) srdi_sh_str(s, srdi_strpool_get(p, i));
}

uint64_t srdi_sh_digest(const srdi_stream_hash *s)
{
    uint64_t h = sh_rotl(s->a, 1) + sh_rotl(s->b, 7) + sh_rotl(s->c, 12) + sh_rotl(s->d, 18) + s->n;
    for (size_t i = 0; i < s->np; i++) h = sh_rotl(h ^ (s->pend[i] * SH_P1), 11) * SH_P2;
    return srdi_hash_avalanche(h);
}
uint64_t srdi_sh_final(const srdi_stream_hash *s)
{
    return sh_rotl(srdi_sh_digest(s), 27) * SH_P1 + SH_P2;
}
