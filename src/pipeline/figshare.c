/*
 * src/pipeline/figshare.c — figure files drawn once for the editions of one
 * --split run (see figshare.h).
 *
 * One anonymous shared mapping: a header with a process-shared robust
 * mutex, an open-addressed table of keys (how often each was asked for;
 * where its bytes are) and the bytes after it.  The pages are touched only
 * as bytes are kept, so the mapping's size is a ceiling, not a cost.
 */
#include "figshare.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "srdi/incremental.h"

#define FS_SLOTS 4096                /* keys (a power of two) */
#define FS_BYTES (48u * 1024 * 1024) /* bytes kept at most */

typedef struct fs_slot {
    uint64_t key;  /* 0: empty */
    uint32_t seen; /* times asked for */
    uint32_t len;  /* bytes kept (0: none) */
    size_t off;    /* where, from the start of the bytes */
} fs_slot;

struct figshare {
    pthread_mutex_t mu;
    size_t used; /* bytes kept so far */
    fs_slot slot[FS_SLOTS];
};

static size_t fs_map_size(void)
{
    return sizeof(figshare) + FS_BYTES;
}

static unsigned char *fs_bytes(figshare *fs)
{
    return (unsigned char *)(fs + 1);
}

figshare *figshare_new(void)
{
    void *m = mmap(NULL, fs_map_size(), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    figshare *fs = m; /* zero-filled: every slot empty */
    pthread_mutexattr_t a;
    bool ok = pthread_mutexattr_init(&a) == 0;
    if (ok) {
        ok = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) == 0 &&
             pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0 && pthread_mutex_init(&fs->mu, &a) == 0;
        pthread_mutexattr_destroy(&a);
    }
    if (!ok) {
        munmap(m, fs_map_size());
        return NULL;
    }
    return fs;
}

void figshare_free(figshare *fs)
{
    if (fs) munmap(fs, fs_map_size());
}

/* Lock the store; a worker that died holding it left nothing half-kept (a slot's len is set last). */
static bool fs_lock(figshare *fs)
{
    int r = pthread_mutex_lock(&fs->mu);
    if (r == EOWNERDEAD) r = pthread_mutex_consistent(&fs->mu);
    return r == 0;
}

/* The slot of @p key, or the empty slot where it goes; NULL when the table is full. */
static fs_slot *fs_find(figshare *fs, uint64_t key)
{
    for (size_t i = 0, h = (size_t)(key ^ key >> 32); i < FS_SLOTS; i++) {
        fs_slot *s = &fs->slot[(h + i) & (FS_SLOTS - 1)];
        if (s->key == key || s->key == 0) return s;
    }
    return NULL;
}

bool figshare_get(figshare *fs, uint64_t key, unsigned char **data, size_t *len, bool *keep)
{
    *data = NULL;
    *len = 0;
    *keep = false;
    if (!fs || key == 0 || !fs_lock(fs)) return false;
    fs_slot *s = fs_find(fs, key);
    bool hit = false;
    if (s && s->key == key && s->len > 0) {
        unsigned char *copy = malloc(s->len);
        if (copy) {
            memcpy(copy, fs_bytes(fs) + s->off, s->len);
            *data = copy;
            *len = s->len;
            hit = true;
        }
    } else if (s) {
        s->key = key;
        *keep = s->seen++ > 0; /* drawn a second time: worth keeping */
    }
    pthread_mutex_unlock(&fs->mu);
    return hit;
}

void figshare_put(figshare *fs, uint64_t key, const unsigned char *data, size_t len)
{
    if (!fs || key == 0 || len == 0 || len > UINT32_MAX || !fs_lock(fs)) return;
    fs_slot *s = fs_find(fs, key);
    if (s && s->len == 0 && len <= FS_BYTES - fs->used) {
        memcpy(fs_bytes(fs) + fs->used, data, len);
        s->key = key;
        s->off = fs->used;
        fs->used += len;
        s->len = (uint32_t)len; /* last: the bytes are there */
    }
    pthread_mutex_unlock(&fs->mu);
}

/* ------------------------------------------------------------------ keys */

static uint64_t h_dbl(uint64_t h, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return srdi_incr_hash_u64(h, bits);
}

uint64_t figshare_key(const srdi_chart_def *def, const char *title, const char *ext, double dpi, const srdi_table *t,
                      const srdi_params *p)
{
    uint64_t h = srdi_incr_hash_str(SRDI_INCR_HASH_INIT, "edition figure");
    h = srdi_incr_hash_str(h, def->key);
    h = srdi_incr_hash_str(h, title);
    h = srdi_incr_hash_str(h, ext);
    h = h_dbl(h, dpi);
    h = srdi_incr_hash_u64(h, srdi_incr_table_hash(t)); /* every field of the table */
    int n = p ? srdi_params_count(p) : 0;
    for (int i = 0; i < n; i++) {
        const char *sec = NULL, *key = NULL, *val = NULL;
        srdi_params_entry(p, i, &sec, &key, &val);
        if (sec && (strcmp(sec, "scope") == 0 || (strcmp(sec, "report") == 0 && key && strcmp(key, "title") == 0)))
            continue; /* the edition's own: no chart reads them */
        h = srdi_incr_hash_str(h, sec);
        h = srdi_incr_hash_str(h, key);
        h = srdi_incr_hash_str(h, val);
    }
    return h ? h : 1;
}
