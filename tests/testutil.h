/*
 * tests/testutil.h — the minimal test harness every test program uses.
 * CHECK* macros count passes and failures; testutil_finish() prints
 * "N passed, M failed" and returns the process exit code.
 */
#ifndef SRDI_TESTUTIL_H
#define SRDI_TESTUTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern int tu_passed, tu_failed;

/* The test data generators' xorshift64 (13, 7, 17): the next state of *s, which must not start at 0. */
static inline uint64_t testutil_xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A number in [0, n) from the generator state *s (testutil_xorshift). */
static inline uint32_t testutil_rnd(uint64_t *s, uint32_t n)
{
    return (uint32_t)(testutil_xorshift(s) % n);
}

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (cond)                                                                                                      \
            tu_passed++;                                                                                               \
        else {                                                                                                         \
            tu_failed++;                                                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                                   \
        }                                                                                                              \
    } while (0)

#define CHECK_STR(a, b)                                                                                                \
    do {                                                                                                               \
        const char *a_ = (a), *b_ = (b);                                                                               \
        if (a_ && b_ && strcmp(a_, b_) == 0)                                                                           \
            tu_passed++;                                                                                               \
        else {                                                                                                         \
            tu_failed++;                                                                                               \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:      \"%s\"\n  expected: \"%s\"\n", __FILE__,         \
                    __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                             \
        }                                                                                                              \
    } while (0)

#define CHECK_NUM(a, b, tol)                                                                                           \
    do {                                                                                                               \
        double a_ = (a), b_ = (b);                                                                                     \
        if (fabs(a_ - b_) <= (tol))                                                                                    \
            tu_passed++;                                                                                               \
        else {                                                                                                         \
            tu_failed++;                                                                                               \
            fprintf(stderr, "%s:%d: CHECK_NUM failed: %s = %.10g, expected %.10g\n", __FILE__, __LINE__, #a, a_, b_);  \
        }                                                                                                              \
    } while (0)

#define CHECK_INT(a, b)                                                                                                \
    do {                                                                                                               \
        long long a_ = (long long)(a), b_ = (long long)(b);                                                            \
        if (a_ == b_)                                                                                                  \
            tu_passed++;                                                                                               \
        else {                                                                                                         \
            tu_failed++;                                                                                               \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s = %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_);    \
        }                                                                                                              \
    } while (0)

/** Prints "N passed, M failed"; returns 0 when nothing failed (and something ran). */
int testutil_finish(void);
/** Path under the source tree: SRDI_SOURCE_DIR "/" rel (static buffer, valid until next call). */
const char *testutil_src(const char *rel);
/** Write @p text to @p path; returns 0 on success. */
int testutil_write_file(const char *path, const char *text, size_t len);
/** Read a whole file (caller frees); *len gets its length; NULL on failure. */
char *testutil_read_file(const char *path, size_t *len);
/** XOR the byte at offset @p at of file @p path with @p mask, in place (a damaged file); 0 on success. */
int testutil_flip_byte(const char *path, long at, int mask);
/** A fresh empty temporary directory under the build dir (static buffer). */
const char *testutil_tmpdir(const char *name);

#endif
