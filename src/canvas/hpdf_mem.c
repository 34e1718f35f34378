/*
 * src/canvas/hpdf_mem.c — the memory of libharu's documents (hpdf.c gives
 * these to HPDF_NewEx as its allocator).
 *
 * A PDF document is thousands of small objects (numbers, arrays, dictionary
 * entries) and stream buffers, made and freed through libharu's allocator.
 * With malloc they grew the heap into fresh pages a first touch at a time: a
 * national refresh's PDF faulted in ~1,500 pages, and a fault costs ~11 us of
 * CPU on a virtual machine against ~0.3 us a 4 KiB page of a 2 MiB page
 * (docs/benchmarks.md).  So blocks are cut from 2 MiB chunks on 2 MiB pages
 * (srdi_malloc_huge): sizes up to 4 KiB in steps of 16 bytes, then powers of
 * two up to 128 KiB, each size with a free list per thread (a block freed on
 * another thread than its allocation's goes to that thread's list: any
 * thread may take any block); larger blocks are their own allocation.  A
 * block's 16-byte header holds its size class (0: its own allocation) and,
 * free, the next free block.
 *
 * Chunks are kept for the process (documents follow each other: a split's
 * editions, a refresh's PDF after the national one) and stay reachable
 * (each chunk's first 16 bytes link the one made before).  A forked worker
 * starts with no chunk and empty lists (srdi_hpdf_mem_forked): it writes
 * pages of its own rather than copying its parent's.  Sanitizer builds use
 * malloc, so that every block stays checked, each block linked into one list
 * while it lives: a block libharu loses (one of its error paths after a
 * failed allocation) stays reachable, as a chunk's blocks do.
 *
 * A failed allocation is remembered for the thread (srdi_hpdf_mem_failed):
 * libharu reports what it could not make next (a page's font, …), not the
 * allocation, and the PDF backend reports it as out of memory.
 * libharu's own memory pool (a mem_pool_buf_size) is not used: it aligns its
 * blocks to 4 bytes (HPDF_ALIGN_SIZ), and holds pointers in them.
 */
#include "canvas_private.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"

#if defined(__SANITIZE_ADDRESS__)
#define HM_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define HM_PLAIN 1
#endif
#endif

#define HM_HDR   16                  /* header: u64 class, then (free) the next free block */
#define HM_SMALL 4096                /* classes of 16-byte steps up to here (block with header) */
#define HM_NPOW  5                   /* then 8, 16, 32, 64, 128 KiB */
#define HM_BIG   ((size_t)128 << 10) /* above: an allocation of its own */
#define HM_CHUNK ((size_t)2 << 20)
#define HM_NCLASS (HM_SMALL / 16 + HM_NPOW + 1)

static _Thread_local bool hm_failed; /* an allocation of this thread failed (srdi_hpdf_mem_failed) */

#ifdef HM_PLAIN
/* a live block's header: its neighbours in the list of every live block */
typedef struct hm_plain {
    struct hm_plain *prev, *next;
} hm_plain;
_Static_assert(sizeof(hm_plain) == 16, "a 16-byte header");
static hm_plain hm_live = {&hm_live, &hm_live};
static pthread_mutex_t hm_live_lock = PTHREAD_MUTEX_INITIALIZER;
#else
typedef struct hm_thread {
    char *free[HM_NCLASS]; /* per class, the first free block (its header) */
    char *cur, *end;       /* what is left of this thread's chunk */
} hm_thread;

static _Thread_local hm_thread hm;
static pthread_mutex_t hm_lock = PTHREAD_MUTEX_INITIALIZER;
static void *hm_chunks; /* every chunk made, each starting with the one made before it (never freed: reachable) */

/* The class of a block of @p total bytes (header included) and its size into *@p bytes. */
static unsigned hm_class(size_t total, size_t *bytes)
{
    if (total <= HM_SMALL) {
        *bytes = (total + 15) & ~(size_t)15;
        return (unsigned)(*bytes / 16); /* 1 … 256 */
    }
    size_t b = (size_t)8 << 10;
    unsigned c = HM_SMALL / 16 + 1;
    while (b < total) {
        b <<= 1;
        c++;
    }
    *bytes = b;
    return c;
}

/* A new chunk for this thread (its first 16 bytes link it into hm_chunks); false when out of memory. */
static bool hm_chunk(void)
{
    char *p = srdi_malloc_huge(HM_CHUNK);
    if (!p) return false;
    pthread_mutex_lock(&hm_lock);
    memcpy(p, &hm_chunks, sizeof hm_chunks);
    hm_chunks = p;
    pthread_mutex_unlock(&hm_lock);
    hm.cur = p + HM_HDR;
    hm.end = p + HM_CHUNK;
    return true;
}

#endif

void *srdi_hpdf_mem_alloc(unsigned int size)
{
#ifdef HM_PLAIN
    hm_plain *b = malloc(sizeof *b + (size ? size : 1));
    if (!b) {
        hm_failed = true;
        return NULL;
    }
    pthread_mutex_lock(&hm_live_lock);
    b->prev = &hm_live;
    b->next = hm_live.next;
    hm_live.next->prev = b;
    hm_live.next = b;
    pthread_mutex_unlock(&hm_live_lock);
    return b + 1;
#else
    size_t total = (size_t)size + HM_HDR;
    if (total > HM_BIG) {
        void *p = NULL;
        if (posix_memalign(&p, 16, total) != 0) {
            hm_failed = true;
            return NULL;
        }
        memset(p, 0, HM_HDR); /* class 0 */
        return (char *)p + HM_HDR;
    }
    size_t bytes;
    unsigned c = hm_class(total, &bytes);
    char *b = hm.free[c];
    if (b) {
        memcpy(&hm.free[c], b + 8, sizeof(char *));
        return b + HM_HDR; /* the header keeps its class */
    }
    if ((size_t)(hm.end - hm.cur) < bytes && !hm_chunk()) { /* the old chunk's rest is left */
        hm_failed = true;
        return NULL;
    }
    b = hm.cur;
    hm.cur += bytes;
    uint64_t cls = c;
    memcpy(b, &cls, 8);
    return b + HM_HDR;
#endif
}

void srdi_hpdf_mem_free(void *p)
{
#ifdef HM_PLAIN
    if (!p) return;
    hm_plain *b = (hm_plain *)p - 1;
    pthread_mutex_lock(&hm_live_lock);
    b->prev->next = b->next;
    b->next->prev = b->prev;
    pthread_mutex_unlock(&hm_live_lock);
    free(b);
#else
    if (!p) return;
    char *b = (char *)p - HM_HDR;
    uint64_t c;
    memcpy(&c, b, 8);
    if (c == 0) {
        free(b);
        return;
    }
    memcpy(b + 8, &hm.free[c], sizeof(char *));
    hm.free[c] = b;
#endif
}

void srdi_hpdf_mem_forked(void)
{
#ifndef HM_PLAIN
    memset(&hm, 0, sizeof hm);
#endif
}

bool srdi_hpdf_mem_failed(void)
{
    bool f = hm_failed;
    hm_failed = false;
    return f;
}

bool srdi_hpdf_mem_plain(void)
{
#ifdef HM_PLAIN
    return true;
#else
    return false;
#endif
}
