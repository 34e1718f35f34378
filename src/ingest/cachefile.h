/*
 * src/ingest/cachefile.h — what the two refresh caches of OUT share
 * (patcache.c: OUT/.srdi-patents; entcache.c: OUT/.srdi-enterprises),
 * defined in patcache.c: the small-input hashes of their keys, the stream
 * hash of a file's own bytes, the writer (64 KiB blocks hashed on the way,
 * the hash appended, the file committed atomically) and the reader (a
 * window of the file, its bytes hashed as they come in).  Native byte
 * order; a short or damaged file is a miss, never an error.
 */
#ifndef SRDI_INGEST_CACHEFILE_H
#define SRDI_INGEST_CACHEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "ingest_private.h"
#include "srdi/hash.h"
#include "srdi/util.h"

/* ------------------------------------------------------------- hashing */

/* srdi_stream_hash (srdi/hash.h): the cache file's own hash, mix(0, bytes), as the bytes stream by. */
/* Continue the key hash @p h over the 8 bytes of @p v. */
uint64_t srdi_cache_mix_u64(uint64_t h, uint64_t v);
/* Continue the key hash @p h over @p s's length and bytes (NULL: a length of its own). */
uint64_t srdi_cache_mix_str(uint64_t h, const char *s);
/* Continue the key hash @p h over the running program (path, size, inode, mtime of /proc/self/exe). */
uint64_t srdi_cache_program(uint64_t h);

/* ----------------------------------------------------- the settled head */

/*
 * The head of a cache file (patcache.c's head comment: the settled
 * identity): 32 bytes, outside the body's hash so that it can be rewritten
 * in place — the magic (8), a hash of the input file's identity (device,
 * inode, size, mtime and ctime to the nanosecond, under a label naming the
 * file; 0: none), that file's content hash, a hash of the 24 bytes before
 * it (a torn or damaged head is "none").
 */
#define SRDI_CACHE_HEAD 32

/*
 * Fill @p head: the identity @p sb with @p content when @p have_content and
 * the identity is settled (srdi_patcache_settled with @p t_open), else none.
 */
void srdi_cache_head_make(unsigned char head[SRDI_CACHE_HEAD], const char *magic, const char *label,
                          const struct stat *sb, double t_open, bool have_content, uint64_t content);
/*
 * Whether the cache file @p path has a sound head of @p magic recording
 * exactly the identity @p sb (under @p label); if so *content receives the
 * content hash it records.  Reads 32 bytes.
 */
bool srdi_cache_head_peek(const char *path, const char *magic, const char *label, const struct stat *sb,
                          uint64_t *content);
/*
 * After a hit whose @p content was hashed from the bytes: when the identity
 * @p sb is settled now and @p head (as read from @p path) does not record it
 * with @p content, rewrite the head in place (best effort: a head not
 * written is only "none").
 */
void srdi_cache_head_settle(const char *path, const unsigned char head[SRDI_CACHE_HEAD], const char *magic,
                            const char *label, const struct stat *sb, double t_open, uint64_t content);

/* ------------------------------------------------------------- writing */

/* A cache file as it is written: 64 KiB at a time, hashed on the way (memory stays flat). */
typedef struct srdi_cache_out {
    FILE *fp;
    bool bad; /* a write failed */
    srdi_stream_hash h;
    size_t n;    /* bytes in buf */
    uint64_t at; /* bytes put so far: the body's (the head is written apart) */
    unsigned char buf[1 << 16];
} srdi_cache_out;

/*
 * A cache file being written: *out with its atomic file (OUT/.srdi-…) open
 * and its body hash started; @p what names it in the out-of-memory message.
 * SRDI_OK, SRDI_ERR_NOMEM or the atomic open's error (message set).
 */
srdi_status srdi_cache_open(const char *path, const char *what, srdi_atomic *a, srdi_cache_out **out);
/* Write out and hash the buffered bytes of @p o. */
void srdi_cache_flush(srdi_cache_out *o);
/* Append @p n bytes at @p p. */
void srdi_cache_put(srdi_cache_out *o, const void *p, size_t n);
/* Append @p v (8 bytes). */
void srdi_cache_put_u64(srdi_cache_out *o, uint64_t v);
/* Append @p v (4 bytes). */
void srdi_cache_put_u32(srdi_cache_out *o, uint32_t v);
/* Append @p s as u32 length + bytes. */
void srdi_cache_put_str(srdi_cache_out *o, const char *s);
/* The rejected rows from @p rj_from on: count, then (line, column, value, reason). */
void srdi_cache_put_rejects(srdi_cache_out *b, const srdi_rejects *rj, size_t rj_from);
/*
 * Flush, append the hash of all bytes before it (itself not hashed), commit
 * or abort; frees @p b.  SRDI_OK, or SRDI_ERR_IO (message names @p path).
 */
srdi_status srdi_cache_close(srdi_cache_out *b, srdi_atomic *a, const char *path);

/* ------------------------------------------------------------- reading */

/*
 * A cache file as it is read: a window of it (grown to the largest item),
 * the bytes hashed as they come in; the last 8 bytes (the stored hash) are
 * not part of it.  Any short read, a bad length or no memory marks it bad
 * (a miss).
 */
typedef struct srdi_cache_rdr {
    FILE *fp;
    unsigned char *buf;
    size_t cap, lo, hi; /* buf[lo, hi) read and not taken */
    uint64_t n, at;     /* bytes before the stored hash; taken so far */
    uint64_t fed;       /* bytes read from the file */
    srdi_stream_hash h;
    bool bad;
} srdi_cache_rdr;

/* The next @p n bytes (valid until the next take), or NULL (marked bad). */
const void *srdi_cache_take(srdi_cache_rdr *r, size_t n);
/* The next 8 bytes as a u64 (0 when short: marked bad). */
uint64_t srdi_cache_get_u64(srdi_cache_rdr *r);
/* The next 4 bytes as a u32 (0 when short: marked bad). */
uint32_t srdi_cache_get_u32(srdi_cache_rdr *r);
/* A string copied out (malloc'ed, NUL-terminated); NULL on a short file or no memory. */
char *srdi_cache_get_str(srdi_cache_rdr *r);
/* Append a reject as cached (already sanitised once: stored as is); takes the strings; false: no memory. */
bool srdi_cache_reject_take(srdi_rejects *rj, int file, long line, char *column, char *value, char *reason);

#endif
