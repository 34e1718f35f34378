/*
 * src/core/sealed.c — THE frame of a sealed cache file (see srdi/sealed.h):
 * magic, key, entries, count, check; mapped and indexed to read, written
 * through srdi_atomic.
 */
#include "srdi/sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rd_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Check the frame of the mapped file and index its entries; false when it is not a whole file of @p magic and @p key. */
static bool sealed_index(srdi_sealed *s, const char *magic, uint64_t key, size_t min_entry, size_t min_cap,
                         srdi_sealed_entry_fn entry)
{
    const unsigned char *b = s->bytes;
    size_t len = s->nbytes, ml = strlen(magic), at = ml + 8;
    if (len < at + 16 || memcmp(b, magic, ml) != 0 || rd_u64(b + ml) != key) return false;
    srdi_stream_hash h;
    srdi_sh_init(&h);
    srdi_sh_update(&h, b, len - 8);
    if (rd_u64(b + len - 8) != srdi_sh_final(&h)) return false;
    size_t end = len - 16; /* the entries end before the count and the check */
    uint64_t n = rd_u64(b + end);
    if (min_entry && n > (end - at) / min_entry) return false;
    size_t cap = min_cap ? min_cap : 1;
    while (cap < 2 * n + 2) cap *= 2;
    if (!(s->slot = calloc(cap, sizeof *s->slot))) return false;
    s->cap = cap;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t hash = 0;
        size_t el = end > at ? entry(b + at, end - at, &hash) : 0;
        if (el == 0 || el > end - at) return false;
        size_t i = (size_t)hash & (cap - 1);
        while (s->slot[i].at) i = (i + 1) & (cap - 1);
        s->slot[i].hash = hash;
        s->slot[i].at = b + at;
        s->slot[i].len = el;
        atomic_init(&s->slot[i].used, false);
        s->n++;
        at += el;
    }
    return at == end;
}

bool srdi_sealed_load(srdi_sealed *s, const char *path, const char *magic, uint64_t key, size_t min_entry,
                      size_t min_cap, srdi_sealed_entry_fn entry)
{
    memset(s, 0, sizeof *s);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) return false;
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
        void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            s->bytes = m;
            s->nbytes = (size_t)sb.st_size;
        }
    }
    close(fd);
    if (s->bytes && sealed_index(s, magic, key, min_entry, min_cap, entry)) return true;
    srdi_sealed_free(s); /* not a whole file of this magic and key: empty */
    return false;
}

void srdi_sealed_free(srdi_sealed *s)
{
    if (!s) return;
    free(s->slot);
    if (s->bytes) munmap(s->bytes, s->nbytes);
    memset(s, 0, sizeof *s);
}

srdi_sealed_slot *srdi_sealed_find(srdi_sealed *s, uint64_t h, size_t *pos)
{
    if (!s->cap) return NULL;
    size_t mask = s->cap - 1;
    /* *pos: 0 to start at the hash's slot, else 1 + the slot to look at next */
    for (size_t i = *pos ? *pos - 1 : (size_t)h & mask;; i = (i + 1) & mask) {
        srdi_sealed_slot *e = &s->slot[i];
        if (!e->at) return NULL; /* load <= 1/2: the walk ends at a free slot */
        if (e->hash == h) {
            *pos = ((i + 1) & mask) + 1;
            return e;
        }
    }
}

/* ------------------------------------------------------------------ writing */

/* Write out and hash the bytes gathered. */
static void sealed_flush(srdi_sealed_out *o)
{
    if (o->ok && o->buf.len) {
        srdi_sh_update(&o->h, o->buf.data, o->buf.len);
        if (fwrite(o->buf.data, 1, o->buf.len, o->a.fp) != o->buf.len) {
            o->ok = false;
            o->err = errno ? errno : EIO;
        }
    }
    o->buf.len = 0;
}

srdi_status srdi_sealed_create(srdi_sealed_out *o, const char *path, const char *magic, uint64_t key)
{
    memset(o, 0, sizeof *o);
    srdi_status st = srdi_atomic_open(&o->a, path);
    if (st != SRDI_OK) return st;
    o->ok = true;
    srdi_sh_init(&o->h);
    srdi_sealed_put(o, magic, strlen(magic));
    srdi_sealed_put_u64(o, key);
    return SRDI_OK;
}

void srdi_sealed_put(srdi_sealed_out *o, const void *p, size_t n)
{
    if (o->ok && n && srdi_buf_append(&o->buf, p, n) != SRDI_OK) {
        srdi_error_clear(); /* srdi_sealed_close says it */
        o->ok = false;
        o->err = ENOMEM;
    }
}

void srdi_sealed_put_u64(srdi_sealed_out *o, uint64_t v)
{
    srdi_sealed_put(o, &v, sizeof v);
}

void srdi_sealed_pad8(srdi_sealed_out *o, size_t n)
{
    static const unsigned char zeros[8];
    srdi_sealed_put(o, zeros, ((n + 7) & ~(size_t)7) - n);
}

void srdi_sealed_entry_done(srdi_sealed_out *o)
{
    o->count++;
    if (o->buf.len >= 64 * 1024) sealed_flush(o);
}

void srdi_sealed_put_used(srdi_sealed_out *o, const srdi_sealed *from)
{
    for (size_t i = 0; i < from->cap; i++) {
        const srdi_sealed_slot *e = &from->slot[i];
        if (!e->at || !atomic_load_explicit(&e->used, memory_order_relaxed)) continue;
        srdi_sealed_put(o, e->at, e->len);
        srdi_sealed_entry_done(o);
    }
}

srdi_status srdi_sealed_close(srdi_sealed_out *o, const char *what)
{
    srdi_sealed_put_u64(o, o->count);
    sealed_flush(o);
    uint64_t check = srdi_sh_final(&o->h);
    if (o->ok && fwrite(&check, sizeof check, 1, o->a.fp) != 1) {
        o->ok = false;
        o->err = errno ? errno : EIO;
    }
    srdi_buf_free(&o->buf);
    if (!o->ok) {
        char *path = srdi_strdup(o->a.path ? o->a.path : "?");
        int err = o->err;
        srdi_atomic_abort(&o->a);
        srdi_status st =
            err == ENOMEM
                ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory keeping %s in %s", what, path ? path : "?")
                : srdi_error_set(SRDI_ERR_IO, "%s: write failed: %s", path ? path : "?", strerror(err));
        free(path);
        return st;
    }
    return srdi_atomic_commit(&o->a);
}

void srdi_sealed_abort(srdi_sealed_out *o)
{
    srdi_buf_free(&o->buf);
    srdi_atomic_abort(&o->a);
}
