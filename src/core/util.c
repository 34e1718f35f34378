/*
 * util.c — byte buffer, string pool, UTF-8 helpers, atomic file output.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "srdi/hash.h"
#include "srdi/util.h"
#include "txn_private.h"

/* ================================================================ buffer */

static srdi_status buf_reserve(srdi_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return SRDI_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    b->data = p;
    b->cap = cap;
    return SRDI_OK;
}

srdi_status srdi_buf_append(srdi_buf *b, const void *p, size_t n)
{
    srdi_status st = buf_reserve(b, n);
    if (st != SRDI_OK) return st; /* SRDI_ERR_NOMEM, message set */
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return SRDI_OK;
}

srdi_status srdi_buf_puts(srdi_buf *b, const char *s)
{
    return srdi_buf_append(b, s, strlen(s));
}

srdi_status srdi_buf_printf(srdi_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return srdi_error_set(SRDI_ERR_INTERNAL, "bad format");
    srdi_status st = buf_reserve(b, (size_t)n);
    if (st != SRDI_OK) return st; /* SRDI_ERR_NOMEM, message set */
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SRDI_OK;
}

void srdi_buf_reset(srdi_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

void srdi_buf_free(srdi_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *srdi_buf_steal(srdi_buf *b)
{
    char *p = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

srdi_status srdi_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    assert(arr && cap && elem > 0);
    if (need <= *cap) return SRDI_OK;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory (array of %zu)", need);
        nc *= 2;
    }
    const size_t M = (size_t)1 << 20;
    void *p;
    if (nc * elem >= M && *cap * elem < M) { /* crossing 1 MiB: a block on 2 MiB pages (srdi_malloc_huge) */
        if ((p = srdi_malloc_huge(nc * elem)) && *cap) memcpy(p, *arr, *cap * elem);
        if (p) free(*arr);
    } else {
        p = realloc(*arr, nc * elem);
        if (p && nc * elem >= ((size_t)4 << 20)) srdi_mem_huge(p, nc * elem); /* zeroed whole just below */
    }
    if (!p) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    memset((char *)p + *cap * elem, 0, (nc - *cap) * elem);
    *arr = p;
    *cap = nc;
    return SRDI_OK;
}

void *srdi_malloc_huge(size_t n)
{
    const size_t H = (size_t)2 << 20;
    if (n < H / 2) return malloc(n);
    size_t r = (n + H - 1) & ~(H - 1);
    void *p = NULL;
    if (r < n || posix_memalign(&p, H, r) != 0) return NULL;
    srdi_mem_huge(p, r);
    return p;
}

void srdi_mem_huge(void *p, size_t n)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t H = (uintptr_t)2 << 20;
    uintptr_t a = ((uintptr_t)p + H - 1) & ~(H - 1), b = ((uintptr_t)p + n) & ~(H - 1);
    if (p && b > a) madvise((void *)a, b - a, MADV_HUGEPAGE); /* a hint: a failure changes nothing */
#else
    (void)p;
    (void)n;
#endif
}

/* =========================================================== string pool */

struct srdi_strpool {
    char **strs; /* id → string (owned) */
    uint32_t n, cap;
    srdi_hindex index; /* srdi_hash_str(string) → id */
};

srdi_strpool *srdi_strpool_new(void)
{
    srdi_strpool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (srdi_hindex_reserve(&p->index, 32) != SRDI_OK) {
        free(p);
        return NULL;
    }
    return p;
}

void srdi_strpool_free(srdi_strpool *p)
{
    if (!p) return;
    for (uint32_t i = 0; i < p->n; i++) free(p->strs[i]);
    free(p->strs);
    srdi_hindex_free(&p->index);
    free(p);
}

/* Id of @p s (hash @p h) if interned, else UINT32_MAX. */
static uint32_t pool_find(const srdi_strpool *p, const char *s, uint64_t h)
{
    size_t pos;
    for (uint32_t id = srdi_hindex_first(&p->index, h, &pos); id != SRDI_HINDEX_NONE;
         id = srdi_hindex_next(&p->index, h, &pos)) {
        assert(id < p->n);
        if (strcmp(p->strs[id], s) == 0) return id;
    }
    return UINT32_MAX;
}

uint32_t srdi_strpool_find(const srdi_strpool *p, const char *s)
{
    return pool_find(p, s, srdi_hash_str(s));
}

uint32_t srdi_strpool_intern(srdi_strpool *p, const char *s)
{
    uint64_t h = srdi_hash_str(s);
    uint32_t id = pool_find(p, s, h);
    if (id != UINT32_MAX) return id;
    size_t cap = p->cap;
    if (p->n == UINT32_MAX - 1 || srdi_grow((void **)&p->strs, &cap, (size_t)p->n + 1, sizeof *p->strs) != SRDI_OK)
        return UINT32_MAX;
    p->cap = (uint32_t)cap;
    char *copy = srdi_strdup(s);
    if (!copy) return UINT32_MAX;
    if (srdi_hindex_add(&p->index, h, p->n) != SRDI_OK) {
        free(copy);
        return UINT32_MAX;
    }
    id = p->n++;
    p->strs[id] = copy;
    return id;
}

const char *srdi_strpool_get(const srdi_strpool *p, uint32_t id)
{
    return id < p->n ? p->strs[id] : NULL;
}

uint32_t srdi_strpool_count(const srdi_strpool *p)
{
    return p->n;
}

/* =============================================================== strings */

char *srdi_strdup(const char *s)
{
    if (!s) return NULL;
    char *p = strdup(s);
    if (!p) srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    return p;
}

size_t srdi_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = 0;
    }
    return n;
}

int32_t srdi_utf8_decode(const char *s, size_t len, size_t *i)
{
    assert(*i < len);
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = len - *i, n;
    unsigned char c = u[0];
    int32_t cp;
    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
    } else {
        *i += 1;
        return -1;
    }
    if (left < n) {
        *i += 1;
        return -1;
    }
    for (size_t k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80) {
            *i += 1;
            return -1;
        }
        cp = (cp << 6) | (u[k] & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i += 1;
        return -1;
    }
    *i += n;
    return cp;
}

int32_t srdi_utf8_next(const char **sp)
{
    size_t i = 0;
    int32_t cp = srdi_utf8_decode(*sp, strnlen(*sp, 4), &i);
    *sp += i;
    return cp;
}

/* A Han character or full-width mark: no space is set between it and a digit or Latin letter. */
static bool cjk_side(int32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           cp == 0x201C || cp == 0x201D;
}

static bool latin_side(int32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '%';
}

int32_t srdi_utf8_before(const char *s, size_t end)
{
    size_t i = end;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0) return 0;
    const char *p = s + i - 1;
    return srdi_utf8_next(&p);
}

void srdi_cjk_spacing(char *s, int32_t before, int32_t after)
{
    if (!s) return;
    size_t n = strlen(s), o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != ' ') {
            s[o++] = s[i++];
            continue;
        }
        size_t j = i;
        while (j < n && s[j] == ' ') j++;
        int32_t l = o ? srdi_utf8_before(s, o) : before;
        int32_t r = after;
        if (j < n) {
            const char *p = s + j;
            r = srdi_utf8_next(&p);
        }
        bool drop = (cjk_side(l) && latin_side(r)) || (latin_side(l) && cjk_side(r));
        if (!drop) memmove(s + o, s + i, j - i), o += j - i;
        i = j;
    }
    s[o] = '\0';
}

size_t srdi_utf8_len(const char *s)
{
    size_t n = 0;
    while (*s) {
        srdi_utf8_next(&s);
        n++;
    }
    return n;
}

bool srdi_utf8_is_wide(int32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

size_t srdi_utf8_width(const char *s)
{
    size_t w = 0;
    while (*s) {
        int32_t c = srdi_utf8_next(&s);
        w += (c > 0 && srdi_utf8_is_wide(c)) ? 2 : 1;
    }
    return w;
}

/* ==================================================== atomic file output */

/* The process's umask (read once): temporary files get the mode a plain fopen would give. */
static mode_t saved_umask;
static void read_umask_once(void)
{
    saved_umask = umask(0);
    umask(saved_umask);
}

static mode_t process_umask(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, read_umask_once);
    return saved_umask;
}

/*
 * Create a fresh temporary file for @p path with O_EXCL (mkstemp, so a
 * symlink planted at the name cannot redirect the write): in the staging
 * folder while an output transaction is open, else "PATH.tmp.XXXXXX".
 * Returns the open fd and the name in *tmp (caller frees); -1 on error with
 * *st SRDI_ERR_IO or SRDI_ERR_NOMEM (message set).
 */
static int make_tmp(const char *path, char **tmp, srdi_status *st)
{
    *tmp = NULL;
    int fd = srdi_txn_tmp_(path, tmp);
    if (fd == -1 || fd == -3) {
        *st = fd == -3 ? SRDI_ERR_NOMEM : SRDI_ERR_IO;
        return -1;
    }
    if (fd == -2) {
        size_t n = strlen(path) + 16;
        char *t = malloc(n);
        if (!t) {
            *st = srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating a temporary file for %s", path);
            return -1;
        }
        snprintf(t, n, "%s.tmp.XXXXXX", path);
        fd = mkstemp(t);
        if (fd < 0) {
            *st = srdi_error_set(SRDI_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
            free(t);
            return -1;
        }
        *tmp = t;
    }
    fchmod(fd, 0666 & ~process_umask());
    return fd;
}

srdi_status srdi_tmp_path(const char *path, char **tmp)
{
    srdi_status st = SRDI_OK;
    int fd = make_tmp(path, tmp, &st);
    if (fd < 0) {
        *tmp = NULL;
        return st;
    }
    close(fd);
    return SRDI_OK;
}

srdi_status srdi_rename_into_place(const char *tmp, const char *path)
{
    bool handled;
    srdi_status st = srdi_txn_stage_(tmp, path, &handled);
    if (handled) return st;
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return srdi_error_set(SRDI_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    }
    return SRDI_OK;
}

srdi_status srdi_atomic_open(srdi_atomic *a, const char *path)
{
    memset(a, 0, sizeof *a);
    a->path = srdi_strdup(path);
    if (!a->path) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory opening %s", path);
    srdi_status st = SRDI_ERR_IO; /* set by make_tmp when it fails */
    int fd = make_tmp(path, &a->tmp, &st);
    if (fd < 0) {
        free(a->path);
        a->path = NULL;
        return st;
    }
    a->fp = fdopen(fd, "wb");
    if (!a->fp) {
        int e = errno;
        close(fd);
        srdi_atomic_abort(a);
        return srdi_error_set(SRDI_ERR_IO, "%s: cannot create: %s", path, strerror(e));
    }
    return SRDI_OK;
}

srdi_status srdi_atomic_commit(srdi_atomic *a)
{
    srdi_status st = SRDI_OK;
    errno = 0;
    int bad = fflush(a->fp) != 0 || ferror(a->fp);
    int e = errno;
    if (fclose(a->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(a->tmp);
        st = srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", a->path, e ? strerror(e) : "I/O error");
    } else {
        st = srdi_rename_into_place(a->tmp, a->path);
    }
    a->fp = NULL;
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    return st;
}

void srdi_atomic_abort(srdi_atomic *a)
{
    if (a->fp) fclose(a->fp);
    if (a->tmp) unlink(a->tmp);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}

srdi_status srdi_mkdirs(const char *dir)
{
    char buf[4096];
    if (!dir || !*dir) return srdi_error_set(SRDI_ERR_USAGE, "an empty folder name");
    bool handled;
    srdi_status st = srdi_txn_mkdirs_(dir, &handled);
    if (handled) return st;
    if (srdi_strlcpy(buf, dir, sizeof buf) >= sizeof buf) return srdi_error_set(SRDI_ERR_IO, "%s: path too long", dir);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return srdi_error_set(SRDI_ERR_IO, "%s: cannot create directory: %s", buf, strerror(errno));
            *p = c;
            if (!c) break;
        }
    }
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return srdi_error_set(SRDI_ERR_IO, "%s: cannot create directory: %s", dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode)) return srdi_error_set(SRDI_ERR_IO, "%s: exists and is not a directory", dir);
    return SRDI_OK;
}

double srdi_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

long long srdi_build_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno == 0 && *end == 0 && v >= 0) return v;
    }
    return (long long)time(NULL);
}

size_t srdi_mem_resident(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    bool ok = f && fscanf(f, "%lu %lu", &size, &resident) == 2;
    if (f) fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return ok && page > 0 ? (size_t)resident * (size_t)page : 0;
}

int srdi_threads_in_budget(int want, size_t per_thread)
{
    if (want < 2) return want < 1 ? 1 : want;
    size_t rss = srdi_mem_resident();
    if (rss == 0 || per_thread == 0) return want;
    size_t room = rss < SRDI_MEM_BUDGET ? SRDI_MEM_BUDGET - rss : 0;
    size_t more = room / per_thread; /* threads beyond the first */
    int n = more + 1 < (size_t)want ? (int)(more + 1) : want;
    return n < 2 ? 2 : n;
}

int srdi_cpu_count(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    return nc > 0 ? (int)nc : 1;
}
