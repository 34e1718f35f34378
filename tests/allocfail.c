/*
 * tests/allocfail.c — allocation-failure injection for the test program
 * srdi-report-allocfail (the command line linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup,
 * so every allocation the project's own code makes comes here; the
 * libraries it links — cairo, libharu, cmark, libxlsxwriter … — allocate
 * unhooked).
 *
 * Environment:
 *   SRDI_ALLOC_FAIL=N   the N-th allocation (counting from 1) returns NULL;
 *                       every other one succeeds (one failure per run).
 *   SRDI_ALLOC_COUNT=F  at exit, write the number of allocations made to file F
 *                       (the driver's K).
 *   SRDI_ALLOC_TRACE=1  print the call stack of the failed allocation on stderr
 *                       (to find the code that mishandles it).
 *
 * Allocations are counted in call order over all threads; a build with
 * --jobs 1 makes them in the same order every run.
 */
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static atomic_long count;      /* allocations made so far */
static long fail_at = -1;      /* the one that fails (-1: none) */
static const char *count_file; /* SRDI_ALLOC_COUNT */
static int trace;              /* SRDI_ALLOC_TRACE */

/* Write the allocation count where SRDI_ALLOC_COUNT says. */
static void write_count(void)
{
    FILE *fp = count_file ? fopen(count_file, "w") : NULL;
    if (!fp) return;
    fprintf(fp, "%ld\n", atomic_load(&count));
    fclose(fp);
}

__attribute__((constructor)) static void allocfail_init(void)
{
    const char *n = getenv("SRDI_ALLOC_FAIL");
    if (n && *n) fail_at = strtol(n, NULL, 10);
    count_file = getenv("SRDI_ALLOC_COUNT");
    trace = getenv("SRDI_ALLOC_TRACE") != NULL;
    if (count_file && *count_file) atexit(write_count);
}

/* True when this allocation is the one to fail. */
static int should_fail(void)
{
    if (atomic_fetch_add(&count, 1) + 1 != fail_at) return 0;
    if (trace) {
        void *frames[32];
        int n = backtrace(frames, 32);
        fprintf(stderr, "allocfail: allocation %ld fails here:\n", fail_at);
        backtrace_symbols_fd(frames, n, 2);
    }
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}
