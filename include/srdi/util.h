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
    char  *data;   /* NUL-terminated contents (NULL while empty and unallocated) */
    size_t len;    /* bytes used, not counting the NUL */
    size_t cap;    /* bytes allocated */
} srdi_buf;

srdi_status srdi_buf_append(srdi_buf *b, const void *p, size_t n);
srdi_status srdi_buf_puts(srdi_buf *b, const char *s);
srdi_status srdi_buf_printf(srdi_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void        srdi_buf_reset(srdi_buf *b);      /* len = 0, keeps memory */
void        srdi_buf_free(srdi_buf *b);       /* frees memory, zeroes struct */
/** @brief Give the contents away (caller frees); leaves @p b empty. Never NULL. */
char       *srdi_buf_steal(srdi_buf *b);

/**
 * @brief THE growable-array helper: make *arr (elements of @p elem bytes,
 * *cap of them allocated) hold at least @p need, doubling from 16; new
 * elements are zeroed.  On failure *arr and *cap are unchanged.
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* ------------------------------------------------------------ string pool */

typedef struct srdi_strpool srdi_strpool;

srdi_strpool *srdi_strpool_new(void);
void          srdi_strpool_free(srdi_strpool *p);
/** @brief Intern @p s; returns its id (0, 1, 2 … in first-seen order), or UINT32_MAX on OOM. */
uint32_t      srdi_strpool_intern(srdi_strpool *p, const char *s);
/** @brief Id of @p s if interned, else UINT32_MAX. */
uint32_t      srdi_strpool_find(const srdi_strpool *p, const char *s);
/** @brief String of id (borrowed). */
const char   *srdi_strpool_get(const srdi_strpool *p, uint32_t id);
uint32_t      srdi_strpool_count(const srdi_strpool *p);

/* ---------------------------------------------------------------- strings */

/** @brief strdup that records SRDI_ERR_NOMEM on failure. NULL in → NULL out. */
char *srdi_strdup(const char *s);
/** @brief Bounded copy, always NUL-terminated. Returns strlen(src). */
size_t srdi_strlcpy(char *dst, const char *src, size_t size);
/**
 * @brief THE UTF-8 decoder: one code point at s[*i] of the @p len bytes.
 * @param s   the bytes (borrowed; need not be NUL-terminated)
 * @param len their count; *i < len is required
 * @param i   position, advanced past the code point (by one byte when invalid)
 * @return the code point, or -1 for an invalid, truncated or overlong
 *         sequence, a surrogate or a value above U+10FFFF
 */
int32_t srdi_utf8_decode(const char *s, size_t len, size_t *i);
/** @brief Number of UTF-8 code points in NUL-terminated @p s (an invalid byte counts as one). */
size_t srdi_utf8_len(const char *s);
/**
 * @brief THE wide-character table: East Asian Wide / Fullwidth code points
 * (CJK, Hangul, full-width forms, CJK punctuation, emoji), which take two
 * columns and are their own unit when text is justified.
 */
bool srdi_utf8_is_wide(int32_t cp);
/** @brief Display width of NUL-terminated @p s: srdi_utf8_is_wide code points count 2, others 1. */
size_t srdi_utf8_width(const char *s);
/**
 * @brief Decode one code point of NUL-terminated *s (srdi_utf8_decode) and
 * advance *s.  @return the code point, or -1 on an invalid sequence (one byte consumed).
 */
int32_t srdi_utf8_next(const char **s);

/* ------------------------------------------------------- atomic file output */

/**
 * @brief Open a fresh temporary file for @p path (mkstemp: "<path>.tmp.XXXXXX",
 * or in the staging folder of an open output transaction, srdi/txn.h);
 * srdi_atomic_commit renames it onto @p path (or stages it), srdi_atomic_abort
 * removes it.  Outputs are never half-written; a planted symlink is never followed.
 */
typedef struct srdi_atomic {
    FILE *fp;          /* the temporary file, NULL when not open */
    char *path;        /* final path (owned) */
    char *tmp;         /* temporary path (owned) */
} srdi_atomic;

srdi_status srdi_atomic_open(srdi_atomic *a, const char *path);
srdi_status srdi_atomic_commit(srdi_atomic *a);   /* fclose + rename; frees */
void        srdi_atomic_abort(srdi_atomic *a);    /* fclose + unlink; frees */
/** @brief Create an empty temp file (as srdi_atomic_open) for libraries that write files themselves; its path (caller frees). */
char       *srdi_tmp_path_for(const char *path);
/** @brief Rename tmp onto path (used with srdi_tmp_path_for). */
srdi_status srdi_rename_into_place(const char *tmp, const char *path);
/** @brief mkdir -p (inside the staging folder for OUT/… during a transaction); error if @p dir is empty or not a folder. */
srdi_status srdi_mkdirs(const char *dir);
/** @brief Seconds since an arbitrary start, monotonic (for progress timing). */
double      srdi_now(void);
/** @brief SOURCE_DATE_EPOCH if set and valid, else time(NULL). */
long long   srdi_build_epoch(void);

#endif
