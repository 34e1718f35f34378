/*
 * srdi/util.h — small shared helpers: growable byte buffer, string pool
 * (interning), safe string functions, atomic file output.
 *
 * Ownership: srdi_buf owns its bytes; srdi_strpool owns every string it
 * returns, which stays valid until srdi_strpool_free().
 */
#ifndef SRDI_UTIL_H
#define SRDI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "srdi/error.h"

/* ---------------------------------------------------------------- buffer */

typedef struct srdi_buf {
    char *data; /* NUL-terminated contents (NULL while empty and unallocated) */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} srdi_buf;

/**
 * @brief Append @p n bytes to @p b, keeping the contents NUL-terminated.
 * @param b the buffer (a zeroed srdi_buf is an empty one)
 * @param p the bytes (borrowed; may hold NULs; may be NULL when @p n is 0)
 * @param n their count
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; @p b unchanged)
 */
srdi_status srdi_buf_append(srdi_buf *b, const void *p, size_t n);
/**
 * @brief Append the NUL-terminated string @p s to @p b.
 * @param b the buffer
 * @param s the text (borrowed, not NULL)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; @p b unchanged)
 */
srdi_status srdi_buf_puts(srdi_buf *b, const char *s);
/**
 * @brief Append printf-formatted text to @p b.
 * @param b   the buffer
 * @param fmt printf format (borrowed), then its arguments
 * @return SRDI_OK; SRDI_ERR_NOMEM or SRDI_ERR_INTERNAL (a format vsnprintf
 *         rejects), message set, @p b unchanged
 */
srdi_status srdi_buf_printf(srdi_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** @brief Empty @p b (len = 0, data "" if allocated) and keep its memory. @param b the buffer */
void srdi_buf_reset(srdi_buf *b);
/** @brief Free the contents of @p b and zero the struct (it may be used again). @param b the buffer */
void srdi_buf_free(srdi_buf *b);
/**
 * @brief Give the contents away; leaves @p b empty (zeroed).
 * @param b the buffer
 * @return the NUL-terminated contents, owned by the caller (free()); an
 *         allocated "" when @p b was never written; NULL only when that
 *         one-byte allocation fails (no message)
 */
char *srdi_buf_steal(srdi_buf *b);

/**
 * @brief THE growable-array helper: make *arr (elements of @p elem bytes,
 * *cap of them allocated) hold at least @p need, doubling from 16; new
 * elements are zeroed.  On failure *arr and *cap are unchanged.
 * @param arr  the array (realloc'd; owned by the caller, free() it)
 * @param cap  its capacity in elements, updated
 * @param need the number of elements it must hold
 * @param elem the size of one element (> 0)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; also when the size overflows)
 */
srdi_status srdi_grow(void **arr, size_t *cap, size_t need, size_t elem);

/**
 * @brief Ask for the memory [p, p+n) to be backed by 2 MiB (transparent
 * huge) pages where the system gives them on request (Linux): an array
 * written whole then takes one page fault per 2 MiB instead of 512 — a page
 * fault costs 5-15 us of CPU on a virtual machine with shadow page tables.
 * Only the whole 2 MiB pages inside the range are concerned; a hint, so
 * nothing happens where there are none to be had; @p p may be NULL.  For
 * arrays that are written whole: a 2 MiB page is resident once any byte of
 * it is written.
 * @param p the memory (a block of malloc's or a mapping; may be NULL)
 * @param n its size in bytes
 */
void srdi_mem_huge(void *p, size_t n);
/**
 * @brief malloc for a large array written whole soon after: from 1 MiB on,
 * aligned to 2 MiB with its size rounded up to 2 MiB pages and hinted with
 * srdi_mem_huge, so that every one of its pages can be a 2 MiB page (a
 * block of malloc's is not aligned: the partial 2 MiB at either end would
 * take up to 1024 small faults); below 1 MiB a plain malloc.  Rounding up
 * costs at most 1 MiB of memory per block, and only where the system gives
 * 2 MiB pages.
 * @param n its size in bytes
 * @return the block (free() it; realloc() is allowed, as for any block), or NULL when out of memory
 */
void *srdi_malloc_huge(size_t n);

/* ------------------------------------------------------------ string pool */

typedef struct srdi_strpool srdi_strpool;

/**
 * @brief A new, empty string pool.
 * @return the pool, owned by the caller (srdi_strpool_free); NULL when out of
 *         memory (no message set).  A pool is not thread-safe: one writer,
 *         and no reader while it writes.
 */
srdi_strpool *srdi_strpool_new(void);
/** @brief Free @p p and every string it returned. @param p the pool (NULL is fine) */
void srdi_strpool_free(srdi_strpool *p);
/**
 * @brief Intern @p s (the pool keeps its own copy).
 * @param p the pool
 * @param s the string (borrowed, not NULL)
 * @return its id (0, 1, 2 … in first-seen order), or UINT32_MAX when out of
 *         memory (no message set)
 */
uint32_t srdi_strpool_intern(srdi_strpool *p, const char *s);
/**
 * @brief Look @p s up without adding it.
 * @param p the pool
 * @param s the string (borrowed)
 * @return its id if interned, else UINT32_MAX
 */
uint32_t srdi_strpool_find(const srdi_strpool *p, const char *s);
/**
 * @brief The string of an id.
 * @param p  the pool
 * @param id an id from srdi_strpool_intern
 * @return the string (borrowed: valid until srdi_strpool_free), NULL for an unknown id
 */
const char *srdi_strpool_get(const srdi_strpool *p, uint32_t id);
/** @brief The number of strings interned (ids are 0 … count-1). @param p the pool */
uint32_t srdi_strpool_count(const srdi_strpool *p);

/* ---------------------------------------------------------------- strings */

/**
 * @brief strdup that records SRDI_ERR_NOMEM (message set) on failure.
 * @param s the string (borrowed); NULL in → NULL out (no message)
 * @return the copy, owned by the caller (free())
 */
char *srdi_strdup(const char *s);
/**
 * @brief Bounded copy, always NUL-terminated when @p size > 0 (BSD strlcpy).
 * @param dst  the destination, @p size bytes
 * @param src  the string (borrowed)
 * @param size the size of @p dst
 * @return strlen(src): a result >= @p size means it was truncated
 */
size_t srdi_strlcpy(char *dst, const char *src, size_t size);
/**
 * @brief The CPUs this process may run on: its affinity mask (taskset, a
 * container's cpuset), else the online CPUs; at least 1.  The default thread
 * count of every stage (--jobs).
 * @return the count
 */
int srdi_cpu_count(void);
/** The peak of memory the thread pools keep within (bytes): the speed issue's 200 MB at 4x the national data, less a margin. */
#define SRDI_MEM_BUDGET ((size_t)180 << 20)
/**
 * @brief The memory this process has resident now (its RSS, from
 * /proc/self/statm), or 0 when it cannot be read.
 * @return bytes
 */
size_t srdi_mem_resident(void);
/**
 * @brief The threads a pool may start within SRDI_MEM_BUDGET: at most
 * @p want, and each thread beyond the first adds about @p per_thread bytes
 * to what is resident now, so no more than the budget leaves room for;
 * never fewer than 2 when @p want is 2 or more (a pool always runs in
 * parallel where it was asked to), nor when the resident memory is unknown
 * fewer than @p want.  On the 2-core machine it changes nothing; on many
 * cores it keeps 4x the national data's peak near the budget (16 threads
 * of every pool made it ~250 MB).
 * @param want       the threads asked for (--jobs, the cores)
 * @param per_thread the bytes each further thread holds at its pool's peak
 * @return the threads, 1 when @p want is below 2
 */
int srdi_threads_in_budget(int want, size_t per_thread);
/**
 * @brief THE UTF-8 decoder: one code point at s[*i] of the @p len bytes.
 * @param s   the bytes (borrowed; need not be NUL-terminated)
 * @param len their count; *i < len is required
 * @param i   position, advanced past the code point (by one byte when invalid)
 * @return the code point, or -1 for an invalid, truncated or overlong
 *         sequence, a surrogate or a value above U+10FFFF
 */
int32_t srdi_utf8_decode(const char *s, size_t len, size_t *i);
/** @brief Number of UTF-8 code points in NUL-terminated @p s (borrowed; an invalid byte counts as one). */
size_t srdi_utf8_len(const char *s);
/**
 * @brief THE wide-character table: East Asian Wide / Fullwidth code points
 * (CJK, Hangul, full-width forms, CJK punctuation, emoji), which take two
 * columns and are their own unit when text is justified.
 * @param cp a code point
 * @return true when @p cp is wide
 */
bool srdi_utf8_is_wide(int32_t cp);
/** @brief Display width of NUL-terminated @p s (borrowed): srdi_utf8_is_wide code points count 2, others (and invalid bytes) 1. */
size_t srdi_utf8_width(const char *s);
/**
 * @brief Decode one code point of NUL-terminated *s (srdi_utf8_decode) and
 * advance *s.
 * @param s the position in a borrowed string, advanced past the code point
 * @return the code point, or -1 on an invalid sequence (one byte consumed)
 */
int32_t srdi_utf8_next(const char **s);
/**
 * @brief The code point that ends at byte @p end of UTF-8 text @p s.
 * @param s   UTF-8 text
 * @param end a byte offset into @p s (the end of a character)
 * @return the code point before @p end; 0 at the start of @p s
 */
int32_t srdi_utf8_before(const char *s, size_t end);
/**
 * @brief GB/T 15834 spacing: removes, in place, the spaces between a Han
 * character (or full-width mark, “ ”) and a digit, Latin letter or % on
 * either side ("2026 年" → "2026年", "非 CN 的" → "非CN的"); other spaces
 * stay.  @p before / @p after are the code points that surround @p s in its
 * paragraph (0 = none), for a space at either end.
 * @param s      NUL-terminated UTF-8 text, edited in place (NULL: nothing)
 * @param before the code point before @p s
 * @param after  the code point after @p s
 */
void srdi_cjk_spacing(char *s, int32_t before, int32_t after);

/* ------------------------------------------------------- atomic file output */

/**
 * @brief Open a fresh temporary file for @p path (mkstemp: "<path>.tmp.XXXXXX",
 * or in the staging folder of an open output transaction, srdi/txn.h);
 * srdi_atomic_commit renames it onto @p path (or stages it), srdi_atomic_abort
 * removes it.  Outputs are never half-written; a planted symlink is never followed.
 */
typedef struct srdi_atomic {
    FILE *fp;   /* the temporary file, NULL when not open */
    char *path; /* final path (owned) */
    char *tmp;  /* temporary path (owned) */
} srdi_atomic;

/**
 * @brief Open the temporary file for @p path; write through a->fp.
 * @param a    the handle to fill (its previous contents are ignored)
 * @param path the final path (borrowed; copied)
 * @return SRDI_OK; SRDI_ERR_IO (message names @p path) or SRDI_ERR_NOMEM.
 *         On failure nothing is left open and @p a needs no abort.
 */
srdi_status srdi_atomic_open(srdi_atomic *a, const char *path);
/**
 * @brief Flush and close a->fp, then rename the temporary file onto the final
 * path (or stage it in an open transaction).  Frees what @p a holds in every
 * case; on a write error the temporary file is removed.
 * @param a an open handle
 * @return SRDI_OK, or SRDI_ERR_IO (message names the path and the cause)
 */
srdi_status srdi_atomic_commit(srdi_atomic *a);
/** @brief Close and remove the temporary file; frees and zeroes @p a. @param a a handle (open, or zeroed: a no-op) */
void srdi_atomic_abort(srdi_atomic *a);
/**
 * @brief Create an empty temp file (as srdi_atomic_open) for libraries that
 * write files themselves (libharu, libxlsxwriter, cairo).
 * @param path the final path (borrowed)
 * @param tmp  set to the temporary path, owned by the caller (free(); pass it
 *             to srdi_rename_into_place or unlink it); NULL on error
 * @return SRDI_OK; SRDI_ERR_IO (the file cannot be made: path and cause in the
 *         message) or SRDI_ERR_NOMEM, message set
 */
srdi_status srdi_tmp_path(const char *path, char **tmp);
/**
 * @brief Rename @p tmp onto @p path (used with srdi_tmp_path); during an
 * output transaction the file is staged instead.
 * @param tmp  the temporary file (removed when the rename fails)
 * @param path the final path
 * @return SRDI_OK, or SRDI_ERR_IO (message names @p path)
 */
srdi_status srdi_rename_into_place(const char *tmp, const char *path);
/**
 * @brief mkdir -p (inside the staging folder for OUT/… during a transaction).
 * @param dir the folder (borrowed)
 * @return SRDI_OK; SRDI_ERR_USAGE for an empty name; SRDI_ERR_IO when a part
 *         cannot be created, the path is too long (4 KiB) or @p dir exists and
 *         is not a folder (message set)
 */
srdi_status srdi_mkdirs(const char *dir);
/** @brief Seconds since an arbitrary start, monotonic (for progress timing). Thread-safe. */
double srdi_now(void);
/** @brief SOURCE_DATE_EPOCH if set to a non-negative whole number, else time(NULL). */
long long srdi_build_epoch(void);

#endif
