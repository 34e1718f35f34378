/*
 * srdi/sealed.h — THE frame of a sealed cache file.  The refresh caches a
 * render keeps in OUT — the report's line breaks (OUT/.srdi-breaks,
 * src/report/linebreak.c), the PDF's deflated streams (OUT/.srdi-streams,
 * src/canvas/hpdf.c) and its faces' reads (OUT/.srdi-faces, hpdf.c) — are
 * each, in native byte order (the key names the program):
 *
 *     magic (a text line), u64 key, the entries, u64 the number of entries,
 *     u64 the stream hash (srdi/hash.h) of every byte before it.
 *
 * What an entry holds is the caller's; the frame only needs, of each, its
 * length and the 64-bit hash it is looked up by (srdi_sealed_entry_fn).  A
 * reader maps the file, checks the frame and indexes the entries
 * (srdi_sealed_load): a missing file, one of another magic or key, a short
 * or damaged one (its check fails, an entry runs past the end) is an empty
 * file, never an error.  The index is open addressing on the entries'
 * hashes, linear probing, load at most 1/2, its capacity a power of two from
 * the caller's minimum: entries are found (srdi_sealed_find) and visited
 * (slot order) as the copies of the frame in both caches did, so the files
 * written keep their bytes.  A writer (srdi_sealed_create) writes through
 * srdi_atomic — never half a file in OUT — hashing as it goes.
 *
 * Ownership: a srdi_sealed owns its mapping and index (srdi_sealed_free); the
 * entry pointers it hands out point into the mapping.  A zeroed srdi_sealed
 * is an empty file.  Thread safety: lookups and srdi_sealed_mark may run on
 * several threads at once (the mark is atomic); loading and freeing may not.
 */
#ifndef SRDI_SEALED_H
#define SRDI_SEALED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srdi/error.h"
#include "srdi/hash.h"
#include "srdi/util.h"

/**
 * @brief How an entry of a sealed file is laid out: the length of the entry
 * at @p p (at most @p room bytes are there) and, in *@p hash, the hash it is
 * looked up by; 0 when the entry does not fit in @p room (a damaged file).
 */
typedef size_t (*srdi_sealed_entry_fn)(const unsigned char *p, size_t room, uint64_t *hash);

/** One entry of the index: where it is in the mapping, its hash, whether a lookup used it. */
typedef struct srdi_sealed_slot {
    uint64_t hash;
    const unsigned char *at; /* NULL: a free slot */
    size_t len;
    atomic_bool used;
} srdi_sealed_slot;

/** A sealed file read: its mapping and the index of its entries. */
typedef struct srdi_sealed {
    unsigned char *bytes; /* the file mapped (NULL: none) */
    size_t nbytes;
    srdi_sealed_slot *slot; /* the index (NULL when empty) */
    size_t cap, n;          /* slots (a power of two, or 0) and entries */
} srdi_sealed;

/**
 * @brief Map and index the sealed file @p path into @p s (zeroed first).
 * No file, or not a whole file of @p magic and @p key, leaves @p s empty.
 * @param s         the file read (owned by the caller: srdi_sealed_free)
 * @param path      the file (borrowed; NULL: none)
 * @param magic     the magic line, e.g. "SRDI-BREAKS 1\n" (borrowed)
 * @param key       what the entries depend on, as the writer recorded it
 * @param min_entry the fewest bytes an entry takes (a count larger than the
 *                  entries could hold is damage)
 * @param min_cap   the index's smallest capacity (a power of two)
 * @param entry     the layout of an entry
 * @return true when the file was read whole, false when @p s is empty
 */
bool srdi_sealed_load(srdi_sealed *s, const char *path, const char *magic, uint64_t key, size_t min_entry,
                      size_t min_cap, srdi_sealed_entry_fn entry);

/** @brief Unmap and free what @p s holds; @p s is then empty. @param s the file read (NULL is fine) */
void srdi_sealed_free(srdi_sealed *s);

/**
 * @brief The next entry of @p s under hash @p h: start with *@p pos = 0; NULL
 * when there is none (the caller compares its own key, as with srdi_hindex).
 * @param s   the file read
 * @param h   the hash looked up
 * @param pos where the walk is (in and out)
 * @return the entry's slot, or NULL
 */
srdi_sealed_slot *srdi_sealed_find(srdi_sealed *s, uint64_t h, size_t *pos);

/** @brief Mark the entry of @p slot used (a lookup took it: the next file keeps it). @param slot an entry */
static inline void srdi_sealed_mark(srdi_sealed_slot *slot)
{
    atomic_store_explicit(&slot->used, true, memory_order_relaxed);
}

/** A sealed file being written. */
typedef struct srdi_sealed_out {
    srdi_atomic a;      /* the temporary file */
    srdi_buf buf;       /* bytes gathered, written a chunk at a time */
    srdi_stream_hash h; /* of every byte written */
    uint64_t count;     /* entries written */
    bool ok;            /* false: out of memory or a write failed (errno in err) */
    int err;
} srdi_sealed_out;

/**
 * @brief Open @p path for writing (srdi_atomic) and write its magic and key.
 * @param o     the writer (its previous contents are ignored)
 * @param path  the final path (borrowed; copied)
 * @param magic the magic line (borrowed)
 * @param key   what the entries depend on
 * @return SRDI_OK; SRDI_ERR_IO or SRDI_ERR_NOMEM (message set; nothing to close)
 */
srdi_status srdi_sealed_create(srdi_sealed_out *o, const char *path, const char *magic, uint64_t key);

/**
 * @brief Append @p n bytes of an entry (a failure is remembered for srdi_sealed_close).
 * @param o the writer
 * @param p the bytes (borrowed)
 * @param n their count
 */
void srdi_sealed_put(srdi_sealed_out *o, const void *p, size_t n);

/** @brief Append @p v (native byte order). @param o the writer @param v the value */
void srdi_sealed_put_u64(srdi_sealed_out *o, uint64_t v);

/** @brief Zeros up to the next multiple of 8 after @p n bytes. @param o the writer @param n the bytes written before */
void srdi_sealed_pad8(srdi_sealed_out *o, size_t n);

/** @brief One entry is whole: counted, and the bytes gathered written once there are 64 KiB. @param o the writer */
void srdi_sealed_entry_done(srdi_sealed_out *o);

/**
 * @brief Append, as they were, the entries of the loaded file @p from that
 * were used (srdi_sealed_mark), each a whole entry.
 * @param o    the writer
 * @param from the file loaded before (its entries stay borrowed until @p o is closed)
 */
void srdi_sealed_put_used(srdi_sealed_out *o, const srdi_sealed *from);

/**
 * @brief Write the count and the check and put the file in place; on any
 * failure before or now the temporary file is removed.
 * @param o    the writer (freed in every case)
 * @param what what the file keeps, for the out-of-memory message ("the line breaks")
 * @return SRDI_OK; SRDI_ERR_NOMEM ("out of memory keeping WHAT in PATH") or
 *         SRDI_ERR_IO ("PATH: write failed: CAUSE"), message set
 */
srdi_status srdi_sealed_close(srdi_sealed_out *o, const char *what);

/** @brief Stop writing: the temporary file is removed and @p o freed. @param o the writer */
void srdi_sealed_abort(srdi_sealed_out *o);

#endif
