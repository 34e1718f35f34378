/*
 * srdi/hash.h — THE hash function and THE hash index of the program.
 *
 * srdi_hash_bytes is FNV-1a 64, THE digest: stable, chained over content
 * (the incremental build's table, file and params hashes).  srdi_hash_mem is
 * THE key hash of the hash index: eight bytes at a time and finalised with
 * srdi_hash_mix, so that the low bits a table masks with depend on every
 * byte; its values are not stored anywhere and may change.
 *
 * srdi_hindex maps 64-bit hashes to uint32 ids of entries that the caller
 * keeps in its own arrays (strings of a pool, enterprise rows, values.csv
 * records …): the index stores no keys, so a lookup walks the candidates
 * whose hash matches and the caller compares its own key.  Equal hashes are
 * returned in insertion order (also after the index grows), so repeated
 * keys pair up first-in, first-out.  Linear probing, load ≤ 1/2, no removal.
 *
 * Ownership: the index owns its slots (srdi_hindex_free); a zeroed
 * srdi_hindex is an empty index.
 */
#ifndef SRDI_HASH_H
#define SRDI_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "srdi/error.h"

/** FNV-1a 64 offset basis: the start value of a chain of srdi_hash_bytes. */
#define SRDI_HASH_INIT 0xcbf29ce484222325ULL

/**
 * @brief FNV-1a 64 of @p n bytes at @p p, continuing from @p h.
 * @param h  SRDI_HASH_INIT, or the result of an earlier call (to chain)
 * @param p  the bytes (borrowed; may be NULL when n is 0)
 */
uint64_t srdi_hash_bytes(uint64_t h, const void *p, size_t n);

/** @brief Mix the bits of @p h (a finaliser) so that its low bits depend on every input byte. */
uint64_t srdi_hash_mix(uint64_t h);

/** @brief THE key hash of @p n bytes at @p p (for srdi_hindex; not a stable digest). */
uint64_t srdi_hash_mem(const void *p, size_t n);

/** @brief srdi_hash_mem of NUL-terminated @p s (without its NUL). */
uint64_t srdi_hash_str(const char *s);

/**
 * @brief The 64-bit final avalanche of the stable content hashes (the stream
 * hash's digest and the patents cache's block hash): xor-shifts 33 / 29 / 32
 * around multiplies by 0xC2B2AE3D27D4EB4F and 0x9E3779B185EBCA87.
 */
static inline uint64_t srdi_hash_avalanche(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    h *= 0x9E3779B185EBCA87ULL;
    h ^= h >> 32;
    return h;
}

/**
 * A streaming hash of many bytes: four lanes over each 32-byte block, the
 * tail and the length at the end.  The same bytes give the same value however
 * they are split into srdi_sh_update calls; stable for a given program (the
 * refresh caches' own checks and the table cache's input hashes).
 */
typedef struct srdi_stream_hash {
    uint64_t a, b, c, d, n;
    unsigned char pend[32];
    size_t np;
} srdi_stream_hash;

/** @brief Start a stream hash. @param s the state */
void srdi_sh_init(srdi_stream_hash *s);

/**
 * @brief Continue @p s over @p n bytes at @p p.
 * @param s the state
 * @param p the bytes (borrowed; may be NULL when n is 0)
 * @param n their count
 */
void srdi_sh_update(srdi_stream_hash *s, const void *p, size_t n);

/** @brief Continue @p s over the 8 bytes of @p v (native order). @param s the state @param v the value */
void srdi_sh_u64(srdi_stream_hash *s, uint64_t v);

/**
 * @brief Continue @p s over a string: its length as a u32 (UINT32_MAX for
 * NULL), then its bytes.
 * @param s   the state
 * @param str the string (borrowed; NULL is fine)
 */
void srdi_sh_str(srdi_stream_hash *s, const char *str);

struct srdi_strpool;
/**
 * @brief Continue @p s over a string pool: its count as a u64 (UINT64_MAX
 * for NULL), then each string in id order as srdi_sh_str does.
 * @param s the state
 * @param p the pool (borrowed; NULL is fine)
 */
void srdi_sh_pool(srdi_stream_hash *s, const struct srdi_strpool *p);

struct stat;
/**
 * @brief Continue @p s over a file's identity as stat gave it: device, inode,
 * size, modification and change times to the nanosecond — another for a
 * file changed or replaced (the refresh caches' keys, the PDF's face file).
 * @param s  the state
 * @param sb the file's stat (borrowed)
 */
void srdi_sh_stat(srdi_stream_hash *s, const struct stat *sb);

/** @brief The hash of every byte fed to @p s. @param s the state */
uint64_t srdi_sh_final(const srdi_stream_hash *s);

/**
 * @brief The lanes and the tail of @p s folded and mixed, before
 * srdi_sh_final's last step (srdi_sh_final(s) = rotl(digest, 27)·P1 + P2):
 * the patents cache chains it into its keys (patcache.c).
 * @param s the state
 */
uint64_t srdi_sh_digest(const srdi_stream_hash *s);

/** No (further) candidate: returned by srdi_hindex_first / _next. */
#define SRDI_HINDEX_NONE UINT32_MAX

typedef struct srdi_hindex {
    uint64_t *slots; /* (low 32 bits of the hash) << 32 | (id + 1); 0 = empty */
    size_t nslots;   /* a power of two, or 0 before the first add */
    size_t n;        /* ids added */
} srdi_hindex;

/**
 * @brief Make room for @p n entries in all without growing again.
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; the index is unchanged)
 * @param x the index
 */
srdi_status srdi_hindex_reserve(srdi_hindex *x, size_t n);

/**
 * @brief Add @p id (< SRDI_HINDEX_NONE) under hash @p h; the same hash may be
 * added again (a later id comes after the earlier ones).
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; the index is unchanged)
 * @param x  the index
 * @param h  the hash of the entry's key
 * @param id the entry
 */
srdi_status srdi_hindex_add(srdi_hindex *x, uint64_t h, uint32_t id);

/**
 * @brief The first id added under a hash equal to @p h, or SRDI_HINDEX_NONE;
 * *pos receives the place to go on from with srdi_hindex_next.
 * @param x   the index
 * @param h   the hash looked up
 * @param pos receives the position
 */
uint32_t srdi_hindex_first(const srdi_hindex *x, uint64_t h, size_t *pos);

/**
 * @brief @brief The next id under hash @p h after the one at *pos (advanced), or SRDI_HINDEX_NONE.
 * @param x   the index
 * @param h   the hash looked up
 * @param pos the position, advanced
 */
uint32_t srdi_hindex_next(const srdi_hindex *x, uint64_t h, size_t *pos);

/**
 * @brief Start loading the first slot that a look-up of @p h reads (no
 * effect on the index): a caller that knows the hashes of its next look-ups
 * ahead overlaps their cache misses.
 * @param x the index
 * @param h the hash to be looked up soon
 */
static inline void srdi_hindex_prefetch(const srdi_hindex *x, uint64_t h)
{
    if (x->nslots) __builtin_prefetch(&x->slots[(size_t)(uint32_t)h & (x->nslots - 1)]);
}

/**
 * @brief @brief Free the slots; the index is empty again (and may be reused).
 * @param x the index
 */
void srdi_hindex_free(srdi_hindex *x);

#endif
