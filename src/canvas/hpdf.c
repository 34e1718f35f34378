/*
 * src/canvas/hpdf.c — the libharu backend of the canvas (the report PDF).
 *
 * One `static const srdi_canvas_backend` table; the backend struct embeds
 * srdi_canvas first.  libharu's error model stays inside this file: its
 * error handler records the first failure into the canvas status (sticky)
 * and every later operation becomes a no-op, so a failure never longjmps
 * and never leaves a partial file — the document is written to a temporary
 * path at finish() and renamed into place only on success.
 *
 * Coordinates arrive in points with the origin at the top left (y down);
 * libharu's origin is bottom left, so every y is flipped with the current
 * page height.
 *
 * Paths are buffered: libharu refuses colour and line-width changes while a
 * path is open, and the canvas interface only names the colour at fill /
 * stroke time, so the path is replayed after the graphics state is set.
 *
 * Links, outlines and page labels are collected while drawing and created
 * in finish(), when every page (and so every link destination) exists.
 */
#include <errno.h>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_gstate.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdatomic.h>

#include "srdi/canvas.h"
#include "canvas_private.h"
#include "srdi/hash.h"
#include "srdi/sealed.h"
#include "srdi/util.h"

/* ------------------------------------------- libharu's hot helpers, faster
 *
 * Every PDF embeds its four faces through libharu's UTF-8 encoder, and for
 * each face libharu (hpdf_font_cid.c, CIDFontType2_New) asks the glyph of
 * every one of the 65,536 code points — HPDF_TTFontDef_GetGlyphid, which
 * walks the cmap segments one by one (thousands for a CJK face) — and grows
 * the width array one element at a time, copying it on every growth with
 * HPDF_MemCpy, a byte-at-a-time loop (as HPDF_MemSet and HPDF_StrLen, which
 * measures every token libharu writes, are).  Together about
 * a sixth of the CPU time of a national report.pdf, paid again by every
 * PDF, whatever its content.
 *
 * libharu calls these exported functions through its PLT, so the
 * definitions below (in the program, which the dynamic linker searches
 * first) replace them for libharu's own calls: ELF symbol interposition.
 * Each returns exactly what libharu 2.3.0's does for every input (the
 * glyph lookup is libharu's rule — the first segment whose end is at or
 * after the code — found by binary search when the segment ends ascend,
 * as a valid cmap's do, by libharu's linear scan otherwise), so the PDF
 * bytes do not change; tests/test_hpdf_fast.c compares the lookup with
 * libharu's own for every code point of the four faces.  If libharu were
 * ever linked so that its calls bind internally (-Bsymbolic), its own
 * versions would run: slower, the same bytes.
 */

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (n <= 8 || (out > in && out < in + n)) {
        /* libharu's forward byte copy: for an overlapping head (repeated), and for the
           two bytes of each of the 65,536 entries of a face's code-to-glyph map */
        for (HPDF_UINT i = 0; i < n; i++) out[i] = in[i];
    } else if (n > 0) {
        memmove(out, in, n);
    }
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n > 0) memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

/*
 * libharu's own definition of @p name, the next after ours (RTLD_NEXT: the
 * functions this file defines in its place), looked up once into @p cache;
 * NULL when the library has none.
 */
static void *real_sym(_Atomic(void *) *cache, const char *name)
{
    void *f = atomic_load(cache);
    if (!f) {
        f = dlsym(RTLD_NEXT, name);
        atomic_store(cache, f);
    }
    return f;
}

/* REAL_FN(get, type, "symbol"): static type get(void), libharu's own definition of symbol (real_sym). */
#define REAL_FN(get, type, symbol)                                                                                 \
    static type get(void)                                                                                          \
    {                                                                                                              \
        static _Atomic(void *) fn;                                                                                 \
        return (type)real_sym(&fn, symbol);                                                                        \
    }

/*
 * libharu's number writer (HPDF_FToA: every coordinate, colour and size of
 * the page contents, 2% of a split's instructions), with its arithmetic as
 * libharu 2.3.0 does it (the float and double steps of its integer and
 * five-digit fraction parts, the clamp to +-32767) and its digits, copy and
 * trimmed zeros written in fewer steps; NaN, and an end of room closer than
 * the longest number ("-32767.99999"), go to libharu's own.  The same bytes
 * and end for every input (test_canvas_hpdf, test_ftoa).
 */
typedef char *(*ftoa_fn)(char *, HPDF_REAL, char *);

REAL_FN(real_ftoa, ftoa_fn, "HPDF_FToA")

/* libharu's own HPDF_FToA (an empty string if there were none: cannot be). */
static char *ftoa_lib(char *s, HPDF_REAL val, char *eptr)
{
    ftoa_fn f = real_ftoa();
    if (f) return f(s, val, eptr);
    if (s <= eptr) *s = 0;
    return s;
}

char *HPDF_FToA(char *s, HPDF_REAL val, char *eptr)
{
    if (val != val || eptr - s < 12) return ftoa_lib(s, val, eptr);
    char *sptr = s;
    HPDF_REAL v0 = val;
    HPDF_INT32 iv, fv;
    if (val > (HPDF_REAL)HPDF_LIMIT_MAX_REAL) {
        iv = HPDF_LIMIT_MAX_REAL;
        fv = 0;
    } else if (val < (HPDF_REAL)HPDF_LIMIT_MIN_REAL) {
        *s++ = '-';
        iv = HPDF_LIMIT_MAX_REAL;
        fv = 0;
    } else {
        if (val < 0) {
            *s++ = '-';
            val = -val;
        }
        iv = (HPDF_INT32)((double)val + 0.000005);
        fv = (HPDF_INT32)((HPDF_REAL)((double)(val - (HPDF_REAL)iv) + 0.000005) * 100000.0f);
        if (iv < 0 || fv < 0) return ftoa_lib(sptr, v0, eptr); /* (cannot be: both parts are rounded up) */
    }
    /* the integer part, the point and the fraction's five digits (libharu's buffer: the digits end at [10]) */
    char buf[12];
    unsigned f = (unsigned)fv, v = (unsigned)iv;
    for (int i = 10; i >= 6; i--) {
        buf[i] = (char)('0' + f % 10);
        f /= 10;
    }
    buf[5] = '.';
    buf[4] = '0';
    int t = 4;
    if (iv > 0)
        for (;; t--) {
            buf[t] = (char)('0' + v % 10);
            if ((v /= 10) == 0) break;
        }
    memcpy(s, buf + t, (size_t)(11 - t));
    s += 11 - t - 1; /* the last digit */
    while (s > sptr) { /* trailing zeros, then the point, become NULs */
        if (*s == '0') {
            *s = 0;
        } else {
            if (*s == '.') *s = 0;
            break;
        }
        s--;
    }
    return *s == 0 ? s : s + 1;
}

/* libharu's string length (a byte at a time, every token written): at most @p maxlen bytes when it is not negative. */
HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s || maxlen == 0) return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

/*
 * libharu's list (an array's items, the cross-reference table) grows by
 * items_per_block (20) slots, copying the whole list each time: the width
 * array of a CJK face holds tens of thousands of numbers, so its growth is
 * quadratic — half the time of loading the four faces.  This one grows by
 * the list's size (at least items_per_block): the same items in the same
 * order, block_siz still the capacity libharu's HPDF_List_Insert and
 * HPDF_List_Clear expect, the same status when memory runs out.
 */
HPDF_STATUS HPDF_List_Add(HPDF_List list, void *item)
{
    if (list->count >= list->block_siz) {
        HPDF_UINT grow = list->block_siz > list->items_per_block ? list->block_siz : list->items_per_block;
        HPDF_UINT cap = list->block_siz + (grow > 0 ? grow : 1);
        void **obj = (void **)HPDF_GetMem(list->mmgr, cap * (HPDF_UINT)sizeof(void *));
        if (!obj) return HPDF_Error_GetCode(list->error);
        if (list->obj) {
            memcpy(obj, list->obj, list->block_siz * sizeof(void *));
            HPDF_FreeMem(list->mmgr, list->obj);
        }
        list->block_siz = cap;
        list->obj = obj;
    }
    list->obj[list->count++] = item;
    return HPDF_OK;
}

/*
 * Whether a face's segment ends ascend, remembered per thread for a few
 * cmaps.  A freed document's cmap memory may be reused by a later one, so
 * every entry made before the last document was freed is void
 * (hpdf_glyph_gen, bumped by hpdf_destroy).
 */
enum { GLYPH_CACHE = 8 };
static atomic_uint hpdf_glyph_gen;
static _Thread_local struct {
    const HPDF_UINT16 *end;
    HPDF_UINT n;
    unsigned gen;
    bool ascending;
} glyph_cache[GLYPH_CACHE];
static _Thread_local unsigned glyph_cache_next;

/* The segment the last lookup on this thread found, in the cmap whose ends are @p end (ends_ascend). */
static _Thread_local struct {
    const HPDF_UINT16 *end;
    HPDF_UINT n, i;
} glyph_last;

static bool ends_ascend(const HPDF_UINT16 *end, HPDF_UINT n)
{
    unsigned gen = atomic_load_explicit(&hpdf_glyph_gen, memory_order_relaxed);
    for (int k = 0; k < GLYPH_CACHE; k++)
        if (glyph_cache[k].end == end && glyph_cache[k].n == n && glyph_cache[k].gen == gen)
            return glyph_cache[k].ascending;
    bool asc = true;
    for (HPDF_UINT i = 1; i < n && asc; i++) asc = end[i - 1] <= end[i];
    unsigned k = glyph_cache_next++ % GLYPH_CACHE;
    glyph_cache[k].end = end;
    glyph_cache[k].n = n;
    glyph_cache[k].gen = gen;
    glyph_cache[k].ascending = asc;
    return asc;
}

/* A face being made whose width array and code-to-glyph map are written from kept bytes (see wk_entry below). */
static _Thread_local HPDF_FontDef wk_plain;

HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
    if (fontdef == wk_plain) return 0; /* its code-to-glyph map is replaced whole */
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
    const HPDF_TTF_CmapRange *cm = &attr->cmap;
    if (cm->format == 0) return cm->glyph_id_array[unicode & 0xFF];
    if (cm->seg_count_x2 == 0) {
        HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
        return 0;
    }
    HPDF_UINT n = cm->seg_count_x2 / 2, i;
    const HPDF_UINT16 *end = cm->end_count;
    if (ends_ascend(end, n)) { /* the first i with end[i] >= unicode (n: none) */
        /* the segment of the last lookup first: a font's widths and its code-to-glyph
           map are built code point after code point (65,536 lookups a face and PDF) */
        HPDF_UINT last = glyph_last.end == end && glyph_last.n == n ? glyph_last.i : n;
        if (last < n && unicode <= end[last] && (last == 0 || end[last - 1] < unicode)) {
            i = last;
        } else {
            HPDF_UINT lo = 0, hi = n;
            while (lo < hi) {
                HPDF_UINT mid = lo + (hi - lo) / 2;
                if (end[mid] < unicode)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            i = lo;
            glyph_last.end = end;
            glyph_last.n = n;
            glyph_last.i = i;
        }
    } else {
        for (i = 0; i < n && unicode > end[i]; i++) {
        }
    }
    if (cm->start_count[i] > unicode) return 0;
    if (cm->id_range_offset[i] == 0) return (HPDF_UINT16)(unicode + cm->id_delta[i]);
    HPDF_UINT idx = cm->id_range_offset[i] / 2 + (HPDF_UINT)(unicode - cm->start_count[i]) - (n - i);
    if (idx > cm->glyph_id_array_count) return 0;
    return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

/* ---------------------------------------- streams deflated by helpers
 *
 * HPDF_SaveToFile deflates every stream (HPDF_COMP_ALL) one after the other
 * on the calling thread, as it writes them: about a third of the CPU time
 * of report.pdf.  With helper threads (srdi_canvas_hpdf_set_threads), the
 * streams whose bytes are final are deflated by the helpers meanwhile: the
 * page contents, known when hpdf_finish starts, from the last page back,
 * and each embedded face's subset as soon as libharu made it (it does so
 * when it writes the font's dictionary, near the start, and writes the
 * stream itself near the end).  The writing thread takes the result of a
 * stream a helper deflated, waits for one a helper is deflating, and
 * deflates one no helper took itself.
 *
 * Two more exported libharu functions are interposed for this (as above):
 * HPDF_Stream_WriteToStreamWithDeflate, which libharu calls for every
 * flate stream, and HPDF_TTFontDef_SaveFontData, which makes a face's
 * subset (libharu's own, dlsym RTLD_NEXT, makes it).  Every memory stream
 * (all of a document's) is deflated whole by dfl_compress with the PNG
 * writer's encoder (srdi_zlib_deflate, png.c), by a helper or by the
 * writing thread alike, so the bytes do not depend on the thread count
 * (test_canvas_hpdf compares them); libharu's own deflate (zlib level 6) is
 * left for any other stream.  zlib's level 1 against libharu's 6: the
 * streams of the national report.pdf 1.24 -> 1.34 MB, their deflate 0.16
 * -> 0.06 s CPU; the PNG encoder (greedy, one hashed candidate, like
 * zlib's level 1 with a chain of one, and a faster Huffman stage) against
 * zlib's level 1: the 58 streams of a provincial edition (3.78 MB) 942 ->
 * 945 KB, their deflate 2.5 times faster.  A
 * stream whose size changed after it was taken (never: a page is taken
 * only when no open text, path or saved state would make libharu append
 * to it) is deflated again by the writing thread.
 */

typedef HPDF_STATUS (*deflate_fn)(HPDF_Stream, HPDF_Stream, HPDF_Encrypt);
typedef HPDF_STATUS (*savefont_fn)(HPDF_FontDef, HPDF_Stream);

enum { DJ_TODO, DJ_BUSY, DJ_DONE, DJ_WRITER }; /* a job's state; DJ_WRITER: the writing thread took it */

typedef struct zcache zcache; /* the streams the last PDF deflated (below) */
typedef struct frcache frcache; /* the reads of its faces the last PDF asked (below) */

typedef struct dfl_job {
    HPDF_Stream src;
    HPDF_UINT size;     /* src's size when it was taken */
    bool font;          /* a face's subset: deflated first (it is written last) */
    int state;          /* DJ_* */
    unsigned char *out; /* DJ_DONE: the deflated bytes (NULL: the helper failed) */
    size_t outlen;
} dfl_job;

typedef struct dfl_set {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a job is done, or a job or the end came */
    dfl_job *jobs;
    size_t n, cap;
    bool end; /* the save is over: helpers stop */
    zcache *zc; /* the stream file (NULL: none) */
    int nthreads;
    pthread_t tid[4];
    bool started[4];
} dfl_set;

static atomic_int hpdf_helpers;        /* srdi_canvas_hpdf_set_threads - 1 */
static atomic_size_t hpdf_helped;      /* streams written from a helper's bytes (tests) */
static _Thread_local dfl_set *tl_dfl; /* the save on this thread, NULL outside */

void srdi_canvas_hpdf_set_threads(int n)
{
    int h = n - 1;
    atomic_store(&hpdf_helpers, h < 0 ? 0 : h > 4 ? 4 : h);
}

size_t srdi_canvas_hpdf_streams_helped(void)
{
    return atomic_load(&hpdf_helped);
}

REAL_FN(real_deflate, deflate_fn, "HPDF_Stream_WriteToStreamWithDeflate")

REAL_FN(real_savefont, savefont_fn, "HPDF_TTFontDef_SaveFontData")

/* ------------------------------------------ streams deflated by the last PDF
 *
 * A refresh changes a few numbers of the report: most pages' contents and
 * the faces' subsets are the bytes the last render deflated.  With a stream
 * file (srdi_canvas_hpdf_set_streams: OUT/.srdi-streams), each stream's
 * bytes are hashed (two 64-bit stream hashes and the length) and a stream
 * the last PDF deflated is written from the file, deflated by the same
 * encoder: the same bytes.  The file is mapped; a damaged one, or one of
 * another encoder, is no file.  After the PDF is written the file holds the
 * streams this PDF wrote.
 *
 * File: a sealed file (srdi/sealed.h: magic "SRDI-STREAMS 2\n", u64 key —
 * the encoder's name, SRDI_ZLIB_ENCODER —, the entries, their count, the check); an
 * entry is a stream's u64 hash 1, hash 2, raw length, deflated length and
 * the deflated bytes padded to 8.
 */

#define ZC_MAGIC "SRDI-STREAMS 2\n" /* 1: zlib's level 1 */

typedef struct zc_new {
    uint64_t h1, h2, raw;
    unsigned char *z;
    size_t zlen;
} zc_new;

struct zcache {
    char *path;
    srdi_sealed file;   /* the streams of the last PDF, indexed by their first hash (srdi/sealed.h) */
    pthread_mutex_t mu; /* guards add */
    zc_new *add;
    size_t nadd, capadd;
};

static atomic_size_t hpdf_reused; /* streams written from the file (tests) */

size_t srdi_canvas_hpdf_streams_reused(void)
{
    return atomic_load(&hpdf_reused);
}

static uint64_t zc_key(void)
{
    srdi_stream_hash h;
    srdi_sh_init(&h);
    srdi_sh_update(&h, SRDI_ZLIB_ENCODER, sizeof SRDI_ZLIB_ENCODER - 1);
    srdi_sh_update(&h, ZC_MAGIC, sizeof ZC_MAGIC - 1);
    return srdi_sh_final(&h);
}

static uint64_t zc_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* An entry's layout (srdi_sealed_entry_fn): hash 1, hash 2, raw length, deflated length, the deflated bytes padded to 8. */
static size_t zc_entry(const unsigned char *p, size_t room, uint64_t *hash)
{
    if (room < 32) return 0;
    uint64_t zl = zc_u64(p + 24);
    room -= 32;
    if (zl > room || ((zl + 7) & ~(uint64_t)7) > room) return 0;
    *hash = zc_u64(p);
    return 32 + (size_t)((zl + 7) & ~(uint64_t)7);
}

static void zc_free(zcache *z)
{
    if (!z) return;
    for (size_t i = 0; i < z->nadd; i++) free(z->add[i].z);
    free(z->add);
    srdi_sealed_free(&z->file);
    pthread_mutex_destroy(&z->mu);
    free(z->path);
    free(z);
}

/* The stream file @p path, mapped when @p reuse (missing, damaged, of another encoder: none); NULL when out of memory. */
static zcache *zc_load(const char *path, bool reuse)
{
    zcache *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    pthread_mutex_init(&z->mu, NULL);
    if (!(z->path = srdi_strdup(path))) {
        zc_free(z);
        return NULL;
    }
    if (reuse) srdi_sealed_load(&z->file, path, ZC_MAGIC, zc_key(), 32, 64, zc_entry);
    return z;
}

/* The two hashes of the memory stream @p src. */
static void zc_hash(HPDF_Stream src, uint64_t *h1, uint64_t *h2)
{
    srdi_stream_hash a, b;
    srdi_sh_init(&a);
    srdi_sh_init(&b);
    static const char salt[8] = "srdi-pdf";
    srdi_sh_update(&b, salt, sizeof salt);
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(src);
    for (HPDF_UINT i = 0; i < nbuf; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(src, i, &len);
        srdi_sh_update(&a, p, len);
        srdi_sh_update(&b, p, len);
    }
    *h1 = srdi_sh_final(&a);
    *h2 = srdi_sh_final(&b);
}

/* The deflated bytes of @p src from the file into *out (a copy); false: not there. */
static bool zc_take(zcache *z, uint64_t h1, uint64_t h2, uint64_t raw, unsigned char **out, size_t *outlen)
{
    if (!z) return false;
    size_t pos = 0;
    srdi_sealed_slot *e;
    while ((e = srdi_sealed_find(&z->file, h1, &pos)) != NULL) {
        if (zc_u64(e->at + 8) != h2 || zc_u64(e->at + 16) != raw) continue;
        size_t zlen = (size_t)zc_u64(e->at + 24);
        unsigned char *c = malloc(zlen ? zlen : 1);
        if (!c) return false;
        memcpy(c, e->at + 32, zlen);
        srdi_sealed_mark(e);
        *out = c;
        *outlen = zlen;
        return true;
    }
    return false;
}

/* Keep a copy of a stream deflated here for the file (nothing when out of memory). */
static void zc_keep(zcache *z, uint64_t h1, uint64_t h2, uint64_t raw, const unsigned char *d, size_t n)
{
    if (!z) return;
    unsigned char *c = malloc(n ? n : 1);
    if (!c) return;
    memcpy(c, d, n);
    pthread_mutex_lock(&z->mu);
    if (srdi_grow((void **)&z->add, &z->capadd, z->nadd + 1, sizeof *z->add) != SRDI_OK) {
        pthread_mutex_unlock(&z->mu);
        free(c);
        return;
    }
    z->add[z->nadd++] = (zc_new){h1, h2, raw, c, n};
    pthread_mutex_unlock(&z->mu);
}

/* Write the streams this PDF wrote to the file (atomically); SRDI_ERR_IO or SRDI_ERR_NOMEM, message set. */
static srdi_status zc_save(zcache *z)
{
    srdi_sealed_out o;
    srdi_status st = srdi_sealed_create(&o, z->path, ZC_MAGIC, zc_key());
    if (st) return st;
    srdi_sealed_put_used(&o, &z->file); /* the streams taken from the file, as they were */
    for (size_t i = 0; i < z->nadd; i++) {
        const zc_new *e = &z->add[i];
        bool dup = false; /* two streams of the same bytes: kept once */
        for (size_t j = 0; j < i && !dup; j++)
            dup = z->add[j].h1 == e->h1 && z->add[j].h2 == e->h2 && z->add[j].raw == e->raw;
        if (dup) continue;
        srdi_sealed_put_u64(&o, e->h1);
        srdi_sealed_put_u64(&o, e->h2);
        srdi_sealed_put_u64(&o, e->raw);
        srdi_sealed_put_u64(&o, e->zlen);
        srdi_sealed_put(&o, e->z, e->zlen);
        srdi_sealed_pad8(&o, e->zlen);
        srdi_sealed_entry_done(&o);
    }
    return srdi_sealed_close(&o, "the PDF's deflated streams");
}

static _Thread_local zcache *tl_zc; /* the stream file of the save on this thread, NULL outside */

/* ------------------------------------------ streams the PDFs of a run share
 *
 * The PDFs of a split (srdi_canvas_hpdf_keep_docs) embed the same faces: each
 * face's code-to-glyph map (128 KB, made from the whole face, the same in
 * every PDF) and its ToUnicode map are the same bytes in every edition, and
 * so are the subset of a Latin face whose glyphs two editions both use and
 * the odd page.  The maps alone took half of an edition's deflate time (6.5
 * of 13 ms for 上海市: two-byte glyph numbers deflate slowly).  While
 * documents are kept, a stream of at least RUN_MIN bytes is kept with its
 * deflated bytes, up to RUN_MAX bytes in all (the first PDF's streams from its faces' maps on), and
 * a later stream of the same bytes (same length, then compared) is written
 * from them: the same bytes as deflating it again.
 */
#define RUN_MIN 1024                   /* smaller streams are deflated again */
#define RUN_MAX ((size_t)2 << 20)      /* raw bytes kept at most: the first PDF's maps and more */

typedef struct run_entry {
    unsigned char *raw, *z;
    size_t rawlen, zlen;
} run_entry;

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static run_entry *run_ent;
static size_t run_n, run_cap, run_bytes;
static atomic_size_t run_shared; /* streams written from a kept one (tests) */
static atomic_bool keep_docs;    /* srdi_canvas_hpdf_keep_docs */

size_t srdi_canvas_hpdf_streams_shared(void)
{
    return atomic_load(&run_shared);
}

static void run_free(void)
{
    pthread_mutex_lock(&run_lock);
    for (size_t i = 0; i < run_n; i++) {
        free(run_ent[i].raw);
        free(run_ent[i].z);
    }
    free(run_ent);
    run_ent = NULL;
    run_n = run_cap = run_bytes = 0;
    pthread_mutex_unlock(&run_lock);
}

/* Are the bytes of the memory stream @p src those of @p e (its length checked by the caller)? */
static bool run_same(const run_entry *e, HPDF_Stream src)
{
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(src);
    size_t at = 0;
    for (HPDF_UINT i = 0; i < nbuf; i++) {
        HPDF_UINT len = 0;
        const HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(src, i, &len);
        if (at + len > e->rawlen || memcmp(e->raw + at, p, len) != 0) return false;
        at += len;
    }
    return at == e->rawlen;
}

/* The deflated bytes of a kept stream of @p src's bytes into *out (a copy); false: none kept. */
static bool run_take(HPDF_Stream src, unsigned char **out, size_t *outlen)
{
    if (!atomic_load(&keep_docs) || src->size < RUN_MIN) return false;
    bool found = false;
    pthread_mutex_lock(&run_lock);
    for (size_t i = 0; i < run_n && !found; i++) {
        const run_entry *e = &run_ent[i];
        if (e->rawlen != src->size || !run_same(e, src)) continue;
        unsigned char *c = malloc(e->zlen ? e->zlen : 1);
        if (!c) break;
        memcpy(c, e->z, e->zlen);
        *out = c;
        *outlen = e->zlen;
        found = true;
    }
    pthread_mutex_unlock(&run_lock);
    if (found) atomic_fetch_add(&run_shared, 1);
    return found;
}

/* Keep @p src's bytes and their deflated @p z for the next PDFs (nothing when out of room or memory). */
static void run_keep(HPDF_Stream src, const unsigned char *z, size_t zlen)
{
    if (!atomic_load(&keep_docs) || src->size < RUN_MIN) return;
    pthread_mutex_lock(&run_lock);
    if (run_bytes + src->size <= RUN_MAX &&
        srdi_grow((void **)&run_ent, &run_cap, run_n + 1, sizeof *run_ent) == SRDI_OK) {
        run_entry e = {malloc(src->size), malloc(zlen ? zlen : 1), src->size, zlen};
        if (e.raw && e.z) {
            HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(src);
            size_t at = 0;
            for (HPDF_UINT i = 0; i < nbuf; i++) {
                HPDF_UINT len = 0;
                const HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(src, i, &len);
                if (at + len > e.rawlen) break;
                memcpy(e.raw + at, p, len);
                at += len;
            }
            memcpy(e.z, z, zlen);
            if (at == e.rawlen) {
                run_ent[run_n++] = e;
                run_bytes += e.rawlen;
                e.raw = e.z = NULL;
            }
        }
        free(e.raw);
        free(e.z);
    }
    pthread_mutex_unlock(&run_lock);
}

/* ------------------------------- widths and glyph maps the PDFs of a run share
 *
 * libharu gives every face of every document its /W array and its
 * code-to-glyph map afresh (hpdf_font_cid.c, CIDFontType2_New): for each of
 * the 65,536 code points the UTF-8 encoder maps, its glyph (GetGlyphid) and
 * width (GetGidWidth), and a number object for each width that is not the
 * face's default (tens of thousands a face), written one by one when the
 * PDF is saved and freed one by one with the document — the same objects
 * and bytes in every PDF of a split, 4% of the instructions of a split's
 * editions.  While documents are kept (srdi_canvas_hpdf_keep_docs), the
 * first face made from a definition (and encoder) of a document is made as
 * libharu makes it, and its array, as libharu writes it, and its map's
 * bytes are kept (wk_entry); a later face of the same definition is made
 * with HPDF_TTFontDef_GetGlyphid answering glyph 0 and GetGidWidth the
 * default width for every code point, so that its array stays empty, which
 * is then marked (WK_MARK, a subclass no libharu object has), and its map
 * is given the kept bytes; HPDF_Array_Write writes a marked array as the
 * bytes kept.  Both depend on the definition (the face's widths and cmap)
 * and the encoder alone, kept with the document; so the PDF's bytes are
 * those of a face made afresh (test_canvas_hpdf, test_report_pdf).  Three
 * more exported functions interposed, as above (HPDF_Type0Font_New,
 * HPDF_TTFontDef_GetGidWidth, HPDF_Array_Write).
 */
#define WK_MARK 0x7E00 /* obj_class's subclass bits of an array written from kept bytes */

typedef HPDF_Font (*type0_fn)(HPDF_MMgr, HPDF_FontDef, HPDF_Encoder, HPDF_Xref);
typedef HPDF_INT16 (*gidwidth_fn)(HPDF_FontDef, HPDF_UINT16);
typedef HPDF_STATUS (*arraywrite_fn)(HPDF_Array, HPDF_Stream, HPDF_Encrypt);

REAL_FN(real_type0, type0_fn, "HPDF_Type0Font_New")

REAL_FN(real_gidwidth, gidwidth_fn, "HPDF_TTFontDef_GetGidWidth")

REAL_FN(real_arraywrite, arraywrite_fn, "HPDF_Array_Write")

/* A face's /W array as libharu wrote it, for the definition and encoder of a document's memory (mmgr). */
typedef struct wk_entry {
    HPDF_MMgr mmgr;
    HPDF_FontDef def;
    HPDF_Encoder enc;
    srdi_buf bytes; /* the /W array as libharu writes it */
    srdi_buf map;   /* the bytes of its code-to-glyph map (CIDToGIDMap; none: no map) */
} wk_entry;

/* A marked array and the entry whose bytes it is written as. */
typedef struct wk_mark {
    HPDF_Array a;
    const wk_entry *e;
} wk_mark;

static pthread_mutex_t wk_lock = PTHREAD_MUTEX_INITIALIZER;
static wk_entry **wk_ent;
static size_t wk_n, wk_cap;
static wk_mark *wk_marks;
static size_t wk_nmarks, wk_mcap;
static atomic_size_t wk_shared;            /* arrays written from kept bytes (tests) */

size_t srdi_canvas_hpdf_widths_shared(void)
{
    return atomic_load(&wk_shared);
}

/*
 * Forget the arrays marked in the documents of @p mmgr (they are being
 * freed, HPDF_NewDoc); with @p gone (the document itself, HPDF_Free), its
 * entries too.  Entries and marks live as long as their document: a
 * document kept may be written after documents are no longer kept.
 */
static void wk_forget(HPDF_MMgr mmgr, bool gone)
{
    pthread_mutex_lock(&wk_lock);
    size_t k = 0;
    for (size_t i = 0; i < wk_nmarks; i++)
        if (wk_marks[i].e->mmgr != mmgr) wk_marks[k++] = wk_marks[i];
    wk_nmarks = k;
    k = 0;
    for (size_t i = 0; i < wk_n; i++) {
        if (gone && wk_ent[i]->mmgr == mmgr) {
            srdi_buf_free(&wk_ent[i]->bytes);
            srdi_buf_free(&wk_ent[i]->map);
            free(wk_ent[i]);
        } else {
            wk_ent[k++] = wk_ent[i];
        }
    }
    wk_n = k;
    if (wk_n == 0) { /* none left: nor their room */
        free(wk_ent);
        free(wk_marks);
        wk_ent = NULL;
        wk_marks = NULL;
        wk_cap = wk_nmarks = wk_mcap = 0;
    }
    pthread_mutex_unlock(&wk_lock);
}

/* HPDF_Free of @p pdf, its entries forgotten first. */
static void pdf_free(HPDF_Doc pdf)
{
    if (!pdf) return;
    wk_forget(pdf->mmgr, true);
    HPDF_Free(pdf);
}

/* The entry of (@p mmgr, @p def, @p enc), or NULL; under wk_lock. */
static wk_entry *wk_find(HPDF_MMgr mmgr, HPDF_FontDef def, HPDF_Encoder enc)
{
    for (size_t i = 0; i < wk_n; i++)
        if (wk_ent[i]->mmgr == mmgr && wk_ent[i]->def == def && wk_ent[i]->enc == enc) return wk_ent[i];
    return NULL;
}

/* The /W array of Type0 font @p font's descendant, or NULL. */
static HPDF_Array wk_array(HPDF_Font font)
{
    HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
    if (!attr || !attr->descendant_font) return NULL;
    return (HPDF_Array)HPDF_Dict_GetItem(attr->descendant_font, "W", HPDF_OCLASS_ARRAY);
}

/* HPDF_Stream_Write_Func of the stream wk_keep writes an array into: append to the srdi_buf in its attr. */
static HPDF_STATUS wk_append(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    return srdi_buf_append((srdi_buf *)stream->attr, ptr, siz) == SRDI_OK ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
}

/* The code-to-glyph map stream of Type0 font @p font (a memory stream), or NULL. */
static HPDF_Stream wk_map(HPDF_Font font)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_Stream m = attr->map_stream ? attr->map_stream->stream : NULL;
    return m && m->type == HPDF_STREAM_MEMORY ? m : NULL;
}

/* Keep the bytes libharu writes for @p font's /W array and its map under (@p mmgr, @p def, @p enc); nothing when it cannot. */
static void wk_keep(HPDF_MMgr mmgr, HPDF_FontDef def, HPDF_Encoder enc, HPDF_Font font)
{
    HPDF_Array w = wk_array(font);
    arraywrite_fn write = real_arraywrite();
    wk_entry *e = w && write ? calloc(1, sizeof *e) : NULL;
    if (!e) return;
    *e = (wk_entry){mmgr, def, enc, {0}, {0}};
    HPDF_STATUS before = HPDF_Error_GetCode(font->error);
    HPDF_Stream s = HPDF_CallbackWriter_New(mmgr, wk_append, &e->bytes);
    bool ok = s && write(w, s, NULL) == HPDF_OK && e->bytes.len > 0;
    if (s) HPDF_Stream_Free(s);
    HPDF_Stream m = wk_map(font);
    HPDF_UINT nbuf = m ? HPDF_MemStream_GetBufCount(m) : 0;
    for (HPDF_UINT i = 0; ok && i < nbuf; i++) {
        HPDF_UINT len = 0;
        const HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(m, i, &len);
        ok = p && srdi_buf_append(&e->map, p, len) == SRDI_OK;
    }
    ok = ok && e->map.len == (m ? m->size : 0);
    pthread_mutex_lock(&wk_lock);
    if (ok && !wk_find(mmgr, def, enc) && srdi_grow((void **)&wk_ent, &wk_cap, wk_n + 1, sizeof *wk_ent) == SRDI_OK) {
        wk_ent[wk_n++] = e;
        e = NULL;
    }
    pthread_mutex_unlock(&wk_lock);
    if (e) {
        srdi_buf_free(&e->bytes);
        srdi_buf_free(&e->map);
        free(e);
    }
    if (before == HPDF_OK) HPDF_Error_Reset(font->error); /* a failure here is not the document's */
}

HPDF_Font HPDF_Type0Font_New(HPDF_MMgr mmgr, HPDF_FontDef fontdef, HPDF_Encoder encoder, HPDF_Xref xref)
{
    type0_fn make = real_type0();
    if (!atomic_load(&keep_docs) || !fontdef || fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE || !real_gidwidth())
        return make(mmgr, fontdef, encoder, xref);
    pthread_mutex_lock(&wk_lock);
    const wk_entry *e = wk_find(mmgr, fontdef, encoder);
    pthread_mutex_unlock(&wk_lock);
    if (!e) {
        HPDF_Font font = make(mmgr, fontdef, encoder, xref);
        if (font) wk_keep(mmgr, fontdef, encoder, font);
        return font;
    }
    wk_plain = fontdef;
    HPDF_Font font = make(mmgr, fontdef, encoder, xref);
    wk_plain = NULL;
    HPDF_Array w = wk_array(font);
    if (!w) return font; /* failed: libharu's error set */
    /* its map, made of glyph 0 (GetGlyphid above): the kept bytes instead, the same buffers as libharu's write */
    HPDF_Stream m = wk_map(font);
    if (m ? m->size != e->map.len : e->map.len > 0) {
        HPDF_SetError(font->error, HPDF_INVALID_OBJECT, 0); /* cannot be: the same definition and encoder */
        return NULL;
    }
    if (m) {
        HPDF_MemStream_FreeData(m);
        if (HPDF_Stream_Write(m, (const HPDF_BYTE *)e->map.data, (HPDF_UINT)e->map.len) != HPDF_OK) return NULL;
    }
    if (HPDF_Array_Items(w) > 0) { /* made with widths (GetGidWidth libharu's own): right only if they are the kept ones */
        srdi_buf now = {0};
        HPDF_Stream s = HPDF_CallbackWriter_New(mmgr, wk_append, &now);
        bool same = s && real_arraywrite()(w, s, NULL) == HPDF_OK && now.len == e->bytes.len &&
                    memcmp(now.data, e->bytes.data, now.len) == 0;
        if (s) HPDF_Stream_Free(s);
        srdi_buf_free(&now);
        if (same) return font;
        HPDF_SetError(font->error, HPDF_INVALID_OBJECT, 0);
        return NULL;
    }
    bool marked = false;
    pthread_mutex_lock(&wk_lock);
    if (srdi_grow((void **)&wk_marks, &wk_mcap, wk_nmarks + 1, sizeof *wk_marks) == SRDI_OK) {
        wk_marks[wk_nmarks++] = (wk_mark){w, e};
        w->header.obj_class |= WK_MARK;
        marked = true;
    }
    pthread_mutex_unlock(&wk_lock);
    if (!marked) { /* its array would be written empty */
        HPDF_SetError(font->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        return NULL;
    }
    return font;
}

HPDF_INT16 HPDF_TTFontDef_GetGidWidth(HPDF_FontDef fontdef, HPDF_UINT16 gid)
{
    if (fontdef == wk_plain) return fontdef->missing_width; /* every width the default: an empty /W */
    return real_gidwidth()(fontdef, gid);
}

HPDF_STATUS HPDF_Array_Write(HPDF_Array array, HPDF_Stream stream, HPDF_Encrypt e)
{
    if ((array->header.obj_class & 0xFF00) == WK_MARK) {
        const wk_entry *k = NULL;
        pthread_mutex_lock(&wk_lock);
        for (size_t i = 0; i < wk_nmarks && !k; i++)
            if (wk_marks[i].a == array) k = wk_marks[i].e;
        pthread_mutex_unlock(&wk_lock);
        if (!k) return HPDF_SetError(array->error, HPDF_INVALID_OBJECT, 0);
        atomic_fetch_add(&wk_shared, 1);
        return HPDF_Stream_Write(stream, (const HPDF_BYTE *)k->bytes.data, (HPDF_UINT)k->bytes.len);
    }
    arraywrite_fn write = real_arraywrite();
    return write ? write(array, stream, e) : HPDF_SetError(array->error, HPDF_INVALID_OBJECT, 0);
}

/* Deflate the memory stream @p src (read in place, not moved) into *out; false when out of memory. */
static bool dfl_deflate(HPDF_Stream src, unsigned char **out, size_t *outlen);

/* dfl_deflate, or the bytes the last PDF deflated for the same stream (@p zc: the stream file, NULL: none), or
   those of the same stream of an earlier PDF of the run (run_take). */
static bool dfl_compress(HPDF_Stream src, zcache *zc, unsigned char **out, size_t *outlen)
{
    uint64_t h1 = 0, h2 = 0;
    if (zc) {
        zc_hash(src, &h1, &h2);
        if (zc_take(zc, h1, h2, src->size, out, outlen)) {
            atomic_fetch_add(&hpdf_reused, 1);
            return true;
        }
    }
    if (run_take(src, out, outlen)) return true;
    if (!dfl_deflate(src, out, outlen)) return false;
    zc_keep(zc, h1, h2, src->size, *out, *outlen);
    run_keep(src, *out, *outlen);
    return true;
}

static bool dfl_deflate(HPDF_Stream src, unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(src);
    const unsigned char **ptr = malloc((nbuf ? nbuf : 1) * sizeof *ptr);
    size_t *len = malloc((nbuf ? nbuf : 1) * sizeof *len);
    bool ok = ptr && len;
    for (HPDF_UINT i = 0; ok && i < nbuf; i++) {
        HPDF_UINT l = 0;
        ptr[i] = HPDF_MemStream_GetBufPtr(src, i, &l);
        len[i] = l;
    }
    ok = ok && srdi_zlib_deflate(ptr, len, nbuf, out, outlen);
    free(ptr);
    free(len);
    return ok;
}

/* The job of @p src (the last one made for it), or NULL.  Caller holds the lock. */
static dfl_job *dfl_find(dfl_set *d, HPDF_Stream src)
{
    for (size_t i = d->n; i-- > 0;)
        if (d->jobs[i].src == src) return &d->jobs[i];
    return NULL;
}

/* Add a job for @p src (a memory stream with bytes); nothing when out of memory. */
static void dfl_add(dfl_set *d, HPDF_Stream src, bool font)
{
    if (!src || src->type != HPDF_STREAM_MEMORY || src->size == 0) return;
    pthread_mutex_lock(&d->mu);
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 64;
        dfl_job *nj = realloc(d->jobs, nc * sizeof *nj);
        if (!nj) {
            pthread_mutex_unlock(&d->mu);
            return;
        }
        d->jobs = nj;
        d->cap = nc;
    }
    d->jobs[d->n++] = (dfl_job){.src = src, .size = src->size, .font = font, .state = DJ_TODO};
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

/* A helper: faces first, then the pages from the last; ends with the save. */
static void *dfl_helper(void *arg)
{
    dfl_set *d = arg;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        size_t pick = SIZE_MAX;
        for (size_t i = d->n; i-- > 0 && pick == SIZE_MAX;)
            if (d->jobs[i].state == DJ_TODO && d->jobs[i].font) pick = i;
        for (size_t i = d->n; i-- > 0 && pick == SIZE_MAX;)
            if (d->jobs[i].state == DJ_TODO) pick = i;
        if (pick == SIZE_MAX) {
            if (d->end) break;
            pthread_cond_wait(&d->cv, &d->mu);
            continue;
        }
        d->jobs[pick].state = DJ_BUSY;
        HPDF_Stream src = d->jobs[pick].src;
        pthread_mutex_unlock(&d->mu);
        unsigned char *out;
        size_t outlen;
        bool ok = dfl_compress(src, d->zc, &out, &outlen);
        pthread_mutex_lock(&d->mu);
        d->jobs[pick].out = ok ? out : NULL;
        d->jobs[pick].outlen = outlen;
        d->jobs[pick].state = DJ_DONE;
        pthread_cond_broadcast(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

/* Start the helpers for a save (NULL: none wanted, or none could start). */
static dfl_set *dfl_begin(void)
{
    int n = atomic_load(&hpdf_helpers);
    if (n <= 0) return NULL;
    dfl_set *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    d->nthreads = n;
    return d;
}

static void dfl_start(dfl_set *d)
{
    for (int k = 0; k < d->nthreads; k++) d->started[k] = pthread_create(&d->tid[k], NULL, dfl_helper, d) == 0;
}

/* End the save: the helpers stop and are joined, every result is freed. */
static void dfl_end(dfl_set *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->mu);
    d->end = true;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    for (int k = 0; k < d->nthreads; k++)
        if (d->started[k]) pthread_join(d->tid[k], NULL);
    for (size_t i = 0; i < d->n; i++) free(d->jobs[i].out);
    free(d->jobs);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

/* ------------------------------------------- the file written in large pieces
 *
 * libharu writes a PDF through its file stream a token at a time (a number,
 * a space, a name: HPDF_Stream_WriteInt, HPDF_Stream_WriteChar …), each one
 * an fwrite on the FILE, which takes its lock: 3 % of an edition's CPU time
 * (the faces' /W arrays, the cross-reference table).  During hpdf_finish's
 * save (tl_wbuf set), HPDF_FileWriter_WriteFunc (interposed, as above)
 * gathers the bytes in the save's buffer and writes them out WBUF at a
 * time, and HPDF_FileStream_FreeFunc writes what is left and flushes the
 * FILE before libharu's own closes it; a failed write or flush is kept for
 * hpdf_finish (libharu's close ignores a failure).  The same bytes in the
 * same order.  Outside a save (tl_wbuf NULL) both do what libharu's do.
 */
#define WBUF 65536

typedef struct wbuf {
    FILE *fp;   /* the file the bytes are for (NULL: none yet) */
    size_t n;   /* bytes gathered */
    bool failed;
    int err;    /* errno of the first failure */
    unsigned char b[WBUF];
} wbuf;

static _Thread_local wbuf *tl_wbuf; /* the save on this thread, NULL outside */

typedef void (*sfree_fn)(HPDF_Stream);

REAL_FN(real_sfree, sfree_fn, "HPDF_FileStream_FreeFunc")

/* Write @p n bytes to @p w's file; false (the failure kept) when they could not be. */
static bool wbuf_out(wbuf *w, const void *p, size_t n)
{
    if (n && !w->failed && fwrite_unlocked(p, 1, n, w->fp) != n) {
        w->failed = true;
        w->err = errno ? errno : EIO;
    }
    return !w->failed;
}

static void wbuf_flush(wbuf *w)
{
    if (w->fp) wbuf_out(w, w->b, w->n);
    w->n = 0;
}

HPDF_STATUS HPDF_FileWriter_WriteFunc(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    FILE *fp = (FILE *)stream->attr;
    wbuf *w = tl_wbuf;
    if (!w) { /* libharu's */
        if (fwrite(ptr, 1, siz, fp) != siz) return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, ferror(fp));
        return HPDF_OK;
    }
    if (w->fp != fp) {
        wbuf_flush(w);
        w->fp = fp;
    }
    if (w->n + siz > WBUF) {
        wbuf_flush(w);
        if (siz > WBUF) wbuf_out(w, ptr, siz);
    }
    if (siz <= WBUF && w->n + siz <= WBUF) {
        memcpy(w->b + w->n, ptr, siz);
        w->n += siz;
    }
    if (w->failed) return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, w->err);
    return HPDF_OK;
}

void HPDF_FileStream_FreeFunc(HPDF_Stream stream)
{
    wbuf *w = tl_wbuf;
    FILE *fp = (FILE *)stream->attr;
    if (w && fp && w->fp == fp) { /* the save's file: what is gathered, then the FILE's buffer */
        wbuf_flush(w);
        w->fp = NULL;
        if (fflush(fp) != 0 && !w->failed) {
            w->failed = true;
            w->err = errno ? errno : EIO;
        }
    }
    sfree_fn f = real_sfree();
    if (f) {
        f(stream);
    } else if (fp) { /* (libharu's, should dlsym fail) */
        fclose(fp);
        stream->attr = NULL;
    }
}

/* ------------------------------------------------ memory streams, written in place
 *
 * Every operator of a page's contents goes into the page's memory stream as
 * a few bytes at a time (a number, a space, an operator), each through
 * HPDF_MemStream_WriteFunc, HPDF_MemStream_InWrite and HPDF_MemCpy: 2% of a
 * split's instructions.  HPDF_MemStream_WriteFunc (interposed, as above:
 * libharu takes its address for every memory stream it makes) copies bytes
 * that fit in the stream's current buffer itself, as InWrite does, and
 * leaves anything else (a new buffer to take, a stream in error) to
 * libharu's own.  The same bytes in the same buffers.
 */
typedef HPDF_STATUS (*mwrite_fn)(HPDF_Stream, const HPDF_BYTE *, HPDF_UINT);

REAL_FN(real_mwrite, mwrite_fn, "HPDF_MemStream_WriteFunc")

static atomic_size_t mwrites; /* writes copied here (tests) */

size_t srdi_canvas_hpdf_mem_writes(void)
{
    return atomic_load(&mwrites);
}

HPDF_STATUS HPDF_MemStream_WriteFunc(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    HPDF_MemStreamAttr attr = (HPDF_MemStreamAttr)stream->attr;
    if (siz > 0 && attr->w_ptr && attr->w_pos <= attr->buf_siz && siz <= attr->buf_siz - attr->w_pos &&
        HPDF_Error_GetCode(stream->error) == HPDF_OK) {
        memcpy(attr->w_ptr, ptr, siz);
        attr->w_ptr += siz;
        attr->w_pos += siz;
        if (atomic_load_explicit(&mwrites, memory_order_relaxed) < 1000) atomic_fetch_add(&mwrites, 1);
        return HPDF_OK;
    }
    mwrite_fn write = real_mwrite();
    return write ? write(stream, ptr, siz) : HPDF_SetError(stream->error, HPDF_INVALID_OPERATION, 0);
}

/* ------------------------------------------------ a face's subset, faster
 *
 * libharu's HPDF_TTFontDef_SaveFontData copies every table of the face but
 * the glyphs four bytes at a time (a stream read and a stream write each),
 * then reads the copy back four bytes at a time twice for the checksums:
 * about 0.3 G instructions for the four faces of every PDF, on the writing
 * thread.  subset_save makes the subset in one buffer: the offset table,
 * the 13 tables libharu keeps (in its order: the head rewritten from the
 * parsed header, glyf with the used glyphs only, loca to match, name with
 * the subset tag before names 1 and 4, the others copied whole but two),
 * each table's checksum (big-endian words, the last one padded with zeros)
 * and the head's checkSumAdjustment (0xB1B0AFBA minus the whole words of
 * the tables, as libharu counts them: not the directory, not a last
 * partial word); it sets attr->length1 as libharu does.  A table the face
 * lacks (uming.ttc has no cvt, fpgm, prep) is written empty, as libharu
 * does; a face without head, glyf, loca or name goes to libharu's own.
 *
 * Unlike libharu's, the subset leaves out what a PDF reader does not need of a
 * CIDFontType2 (the PDF's /W array gives the widths, /ToUnicode the text):
 * post is its 32-byte header as a version 3.0 table (libharu copies the
 * glyph names of every glyph of the face: 450 KB of WenQuanYi Zen Hei's,
 * 270 KB of AR PL UMing's), and the hmtx entries of the glyphs not
 * embedded are zeros.  Every PDF deflated that whole, for every edition:
 * a provincial report.pdf's faces 900 -> 500 KB deflated, their deflate
 * 41 -> 25 ms.
 */

static const char *const subset_tags[13] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                            "hmtx", "loca", "maxp", "name", "post", "prep"};

/* The subset is made in a core srdi_buf; *ok turns false at the first failed append (out of memory). */
static void sb_put(srdi_buf *b, bool *ok, const void *src, size_t n)
{
    if (*ok && n > 0 && srdi_buf_append(b, src, n) != SRDI_OK) *ok = false;
}

static void sb_u16(srdi_buf *b, bool *ok, unsigned v)
{
    HPDF_BYTE x[2] = {(HPDF_BYTE)(v >> 8), (HPDF_BYTE)v};
    sb_put(b, ok, x, 2);
}

static void sb_u32(srdi_buf *b, bool *ok, HPDF_UINT32 v)
{
    HPDF_BYTE x[4] = {(HPDF_BYTE)(v >> 24), (HPDF_BYTE)(v >> 16), (HPDF_BYTE)(v >> 8), (HPDF_BYTE)v};
    sb_put(b, ok, x, 4);
}

static HPDF_UINT32 be32(const HPDF_BYTE *p)
{
    return (HPDF_UINT32)p[0] << 24 | (HPDF_UINT32)p[1] << 16 | (HPDF_UINT32)p[2] << 8 | p[3];
}

/* Room for @p n more bytes at the end of @p b (grown with srdi_grow, its NUL kept); NULL when out of memory. */
static HPDF_BYTE *sb_room(srdi_buf *b, size_t n)
{
    if (srdi_grow((void **)&b->data, &b->cap, b->len + n + 1, 1) != SRDI_OK) return NULL;
    HPDF_BYTE *at = (HPDF_BYTE *)b->data + b->len;
    b->len += n;
    b->data[b->len] = 0;
    return at;
}

/* Append @p n bytes of the face's file at @p offset; false when the read fails (libharu's error set) or memory runs out. */
static bool sb_copy(srdi_buf *b, HPDF_Stream from, HPDF_UINT offset, HPDF_UINT n)
{
    if (HPDF_Stream_Seek(from, (HPDF_INT)offset, HPDF_SEEK_SET) != HPDF_OK) return false;
    if (n == 0) return true;
    HPDF_BYTE *at = sb_room(b, n);
    HPDF_UINT got = n;
    return at && HPDF_Stream_Read(from, at, &got) == HPDF_OK && got == n;
}

static HPDF_TTFTable *subset_table(HPDF_TTFontDefAttr a, const char *tag)
{
    for (HPDF_UINT i = 0; i < a->offset_tbl.num_tables; i++)
        if (memcmp(a->offset_tbl.table[i].tag, tag, 4) == 0) return &a->offset_tbl.table[i];
    return NULL;
}

/* The subset of @p fontdef into @p stream as libharu 2.3.0 writes it; -1: a table is missing (use libharu's). */
static HPDF_STATUS subset_save(HPDF_FontDef fontdef, HPDF_Stream stream)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)fontdef->attr;
    HPDF_TTFTable *tb[13];
    for (int i = 0; i < 13; i++) /* a missing table is written empty, as libharu does, but these four */
        if (!(tb[i] = subset_table(a, subset_tags[i])) &&
            (!strcmp(subset_tags[i], "head") || !strcmp(subset_tags[i], "glyf") || !strcmp(subset_tags[i], "loca") ||
             !strcmp(subset_tags[i], "name")))
            return (HPDF_STATUS)-1;
    const HPDF_UINT32 offset_base = 12 + 16 * 13;
    srdi_buf t = {0}, names = {0};
    HPDF_UINT32 *newoff = malloc(((size_t)a->num_glyphs + 1) * sizeof *newoff);
    size_t toff[13], tlen[13], csum_at = 0;
    bool ok = newoff != NULL, loca16 = a->header.index_to_loc_format == 0;
    /* room for about the whole subset at once (the tables but glyf as long as the face's, the glyphs used):
       no copy as it grows (a CJK face's is 0.5-0.9 MB); when it cannot be had, it grows as it goes */
    size_t est = 4096;
    for (int i = 0; i < 13; i++)
        if (tb[i] && strcmp(subset_tags[i], "glyf") != 0) est += tb[i]->length;
    for (HPDF_UINT g = 0; ok && g < a->num_glyphs; g++)
        if (a->glyph_tbl.flgs[g] == 1) est += (size_t)(a->glyph_tbl.offsets[g + 1] - a->glyph_tbl.offsets[g]) * (loca16 ? 2 : 1);
    if (ok && srdi_grow((void **)&t.data, &t.cap, est, 1) != SRDI_OK) srdi_error_clear();
    for (int i = 0; ok && i < 13; i++) {
        const char *tag = subset_tags[i];
        toff[i] = t.len;
        if (strcmp(tag, "head") == 0) {
            const HPDF_TTF_FontHeader *h = &a->header;
            sb_put(&t, &ok, h->version_number, 4);
            sb_u32(&t, &ok, h->font_revision);
            csum_at = t.len;
            sb_u32(&t, &ok, 0);
            sb_u32(&t, &ok, h->magic_number);
            sb_u16(&t, &ok, h->flags);
            sb_u16(&t, &ok, h->units_per_em);
            sb_put(&t, &ok, h->created, 8);
            sb_put(&t, &ok, h->modified, 8);
            sb_u16(&t, &ok, (HPDF_UINT16)h->x_min);
            sb_u16(&t, &ok, (HPDF_UINT16)h->y_min);
            sb_u16(&t, &ok, (HPDF_UINT16)h->x_max);
            sb_u16(&t, &ok, (HPDF_UINT16)h->y_max);
            sb_u16(&t, &ok, h->mac_style);
            sb_u16(&t, &ok, h->lowest_rec_ppem);
            sb_u16(&t, &ok, (HPDF_UINT16)h->font_direction_hint);
            sb_u16(&t, &ok, (HPDF_UINT16)h->index_to_loc_format);
            sb_u16(&t, &ok, (HPDF_UINT16)h->glyph_data_format);
        } else if (strcmp(tag, "glyf") == 0) {
            size_t start = t.len;
            HPDF_UINT32 save = 0;
            for (HPDF_UINT g = 0; ok && g < a->num_glyphs; g++) {
                if (a->glyph_tbl.flgs[g] != 1) {
                    newoff[g] = save;
                    continue;
                }
                HPDF_UINT off = a->glyph_tbl.offsets[g], len = a->glyph_tbl.offsets[g + 1] - off;
                newoff[g] = (HPDF_UINT32)(t.len - start);
                if (loca16) {
                    newoff[g] /= 2;
                    len *= 2;
                    off *= 2;
                }
                off += a->glyph_tbl.base_offset;
                ok = ok && sb_copy(&t, a->stream, off, len);
                save = (HPDF_UINT32)(t.len - start);
                if (loca16) save /= 2;
            }
            newoff[a->num_glyphs] = save;
        } else if (strcmp(tag, "loca") == 0) {
            HPDF_BYTE *at = ok ? sb_room(&t, ((size_t)a->num_glyphs + 1) * (loca16 ? 2 : 4)) : NULL;
            ok = at != NULL;
            for (HPDF_UINT g = 0; ok && g <= a->num_glyphs; g++) {
                HPDF_UINT32 v = newoff[g];
                if (loca16) {
                    *at++ = (HPDF_BYTE)(v >> 8), *at++ = (HPDF_BYTE)v;
                } else {
                    *at++ = (HPDF_BYTE)(v >> 24), *at++ = (HPDF_BYTE)(v >> 16);
                    *at++ = (HPDF_BYTE)(v >> 8), *at++ = (HPDF_BYTE)v;
                }
            }
        } else if (strcmp(tag, "name") == 0) {
            const HPDF_TTF_NamingTable *nt = &a->name_tbl;
            sb_u16(&t, &ok, nt->format);
            sb_u16(&t, &ok, nt->count);
            sb_u16(&t, &ok, nt->string_offset);
            srdi_buf_reset(&names);
            for (HPDF_UINT k = 0; ok && k < nt->count; k++) {
                const HPDF_TTF_NameRecord *r = &nt->name_records[k];
                HPDF_UINT len = r->length, at = (HPDF_UINT)names.len;
                if (r->name_id == 1 || r->name_id == 4) {
                    if (r->platform_id == 0 || r->platform_id == 3) {
                        sb_put(&names, &ok, a->tag_name2, sizeof a->tag_name2);
                        len += sizeof a->tag_name2;
                    } else {
                        sb_put(&names, &ok, a->tag_name, sizeof a->tag_name);
                        len += sizeof a->tag_name;
                    }
                }
                sb_u16(&t, &ok, r->platform_id);
                sb_u16(&t, &ok, r->encoding_id);
                sb_u16(&t, &ok, r->language_id);
                sb_u16(&t, &ok, r->name_id);
                sb_u16(&t, &ok, (HPDF_UINT16)len);
                sb_u16(&t, &ok, (HPDF_UINT16)at);
                ok = ok && sb_copy(&names, a->stream, tb[i]->offset + nt->string_offset + r->offset, r->length);
            }
            sb_put(&t, &ok, names.data, names.len);
        } else if (strcmp(tag, "post") == 0 && tb[i] && tb[i]->length >= 32) {
            /* the 32-byte header alone, as a version 3.0 table: no glyph names */
            size_t at = t.len;
            ok = ok && sb_copy(&t, a->stream, tb[i]->offset, 32);
            if (ok) memcpy(t.data + at, "\0\3\0\0", 4);
        } else if (strcmp(tag, "hmtx") == 0 && tb[i]) {
            /* the metrics of the glyphs not embedded are zeros (the PDF's /W gives the widths) */
            size_t at = t.len, len = tb[i]->length, nlong = a->num_h_metric;
            ok = ok && sb_copy(&t, a->stream, tb[i]->offset, tb[i]->length);
            HPDF_BYTE *m = ok ? (HPDF_BYTE *)t.data + at : NULL;
            for (HPDF_UINT g = 0; m && g < a->num_glyphs; g++) {
                size_t off = g < nlong ? 4 * (size_t)g : 4 * nlong + 2 * ((size_t)g - nlong), n = g < nlong ? 4 : 2;
                if (a->glyph_tbl.flgs[g] != 1 && off + n <= len) memset(m + off, 0, n);
            }
        } else {
            ok = ok && (!tb[i] || sb_copy(&t, a->stream, tb[i]->offset, tb[i]->length));
        }
        tlen[i] = t.len - toff[i];
    }
    HPDF_STATUS st = HPDF_OK;
    if (ok) {
        /* the offset table and the directory, with each table's checksum */
        HPDF_BYTE dir[12 + 16 * 13], *d = dir;
        const HPDF_TTF_OffsetTbl *ot = &a->offset_tbl;
        HPDF_UINT32 head[3] = {ot->sfnt_version, (HPDF_UINT32)13 << 16 | ot->search_range,
                               (HPDF_UINT32)ot->entry_selector << 16 | ot->range_shift};
        for (int k = 0; k < 3; k++, d += 4) {
            HPDF_BYTE *q = d;
            q[0] = (HPDF_BYTE)(head[k] >> 24), q[1] = (HPDF_BYTE)(head[k] >> 16);
            q[2] = (HPDF_BYTE)(head[k] >> 8), q[3] = (HPDF_BYTE)head[k];
        }
        for (int i = 0; i < 13; i++) {
            HPDF_UINT32 sum = 0;
            const HPDF_BYTE *p = (const HPDF_BYTE *)t.data + toff[i];
            size_t n = tlen[i], w = 0;
            for (; w + 4 <= n; w += 4) sum += be32(p + w);
            if (w < n) {
                HPDF_BYTE last[4] = {0, 0, 0, 0};
                memcpy(last, p + w, n - w);
                sum += be32(last);
            }
            HPDF_UINT32 v[3] = {sum, (HPDF_UINT32)toff[i] + offset_base, (HPDF_UINT32)tlen[i]};
            memcpy(d, subset_tags[i], 4);
            d += 4;
            for (int k = 0; k < 3; k++, d += 4) {
                d[0] = (HPDF_BYTE)(v[k] >> 24), d[1] = (HPDF_BYTE)(v[k] >> 16);
                d[2] = (HPDF_BYTE)(v[k] >> 8), d[3] = (HPDF_BYTE)v[k];
            }
        }
        HPDF_UINT32 adj = 0xB1B0AFBAu;
        for (size_t w = 0; w + 4 <= t.len; w += 4) adj -= be32((const HPDF_BYTE *)t.data + w);
        t.data[csum_at] = (HPDF_BYTE)(adj >> 24);
        t.data[csum_at + 1] = (HPDF_BYTE)(adj >> 16);
        t.data[csum_at + 2] = (HPDF_BYTE)(adj >> 8);
        t.data[csum_at + 3] = (HPDF_BYTE)adj;
        a->length1 = (HPDF_UINT)(t.len + offset_base);
        st = HPDF_Stream_Write(stream, dir, sizeof dir);
        if (st == HPDF_OK) st = HPDF_Stream_Write(stream, (const HPDF_BYTE *)t.data, (HPDF_UINT)t.len);
    } else {
        st = HPDF_Error_GetCode(fontdef->error);
        if (st == HPDF_OK) st = HPDF_SetError(fontdef->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    }
    free(newoff);
    srdi_buf_free(&t);
    srdi_buf_free(&names);
    return st;
}

HPDF_STATUS HPDF_TTFontDef_SaveFontData(HPDF_FontDef fontdef, HPDF_Stream stream)
{
    HPDF_STATUS st = subset_save(fontdef, stream);
    if (st == (HPDF_STATUS)-1) { /* not a face subset_save knows: libharu's own */
        savefont_fn real = real_savefont();
        if (!real) return HPDF_SetError(fontdef->error, HPDF_INVALID_OPERATION, 0);
        st = real(fontdef, stream);
    }
    if (st == HPDF_OK && tl_dfl) dfl_add(tl_dfl, stream, true);
    return st;
}

HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e)
{
    dfl_set *d = tl_dfl;
    if (d && !e) {
        pthread_mutex_lock(&d->mu);
        dfl_job *j = dfl_find(d, src);
        if (j && j->state == DJ_TODO) j->state = DJ_WRITER; /* no helper took it: deflate it here */
        while (j && j->state == DJ_BUSY) {
            pthread_cond_wait(&d->cv, &d->mu);
            j = dfl_find(d, src); /* the array may have moved */
        }
        unsigned char *out = NULL;
        size_t outlen = 0;
        if (j && j->state == DJ_DONE && j->out && j->size == src->size) {
            out = j->out;
            outlen = j->outlen;
        }
        pthread_mutex_unlock(&d->mu);
        if (out) { /* written from the result, which stays until the save ends */
            atomic_fetch_add(&hpdf_helped, 1);
            HPDF_STATUS st = HPDF_OK;
            for (size_t at = 0; at < outlen && st == HPDF_OK;) {
                size_t k = outlen - at > (1u << 30) ? (1u << 30) : outlen - at;
                st = HPDF_Stream_Write(dst, out + at, (HPDF_UINT)k);
                at += k;
            }
            return st;
        }
    }
    if (!e && src->type == HPDF_STREAM_MEMORY) { /* deflated here, at the level the helpers use */
        unsigned char *out = NULL;
        size_t outlen = 0;
        if (!dfl_compress(src, tl_zc, &out, &outlen)) return HPDF_SetError(src->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        HPDF_STATUS st = HPDF_OK;
        for (size_t at = 0; at < outlen && st == HPDF_OK;) {
            size_t k = outlen - at > (1u << 30) ? (1u << 30) : outlen - at;
            st = HPDF_Stream_Write(dst, out + at, (HPDF_UINT)k);
            at += k;
        }
        free(out);
        return st;
    }
    deflate_fn real = real_deflate();
    if (!real) return HPDF_SetError(src->error, HPDF_INVALID_OPERATION, 0);
    return real(src, dst, e);
}

/* ------------------------------------------------------------ structures */

typedef enum { SEG_MOVE, SEG_LINE, SEG_CURVE, SEG_CLOSE } hpdf_segkind;

typedef struct hpdf_seg {
    hpdf_segkind kind;
    double p[6]; /* coordinates, already flipped to PDF space */
} hpdf_seg;

typedef struct hpdf_link {
    int page;          /* page the clickable area is on */
    double x, y, w, h; /* area, canvas coordinates */
    int dest_page;     /* target page (0-based) */
    double dest_y;     /* target y, canvas coordinates */
} hpdf_link_t;

typedef struct hpdf_outline {
    int level;   /* 0 = chapter, 1 = section … */
    char *title; /* owned UTF-8 */
    int page;
    double y;
    char *what; /* owned: what was drawn when it was added ("file.md:12"), for errors */
} hpdf_outline_t;

typedef struct hpdf_label {
    int first_page, style, start;
} hpdf_label;

typedef struct hpdf_alpha {
    int key; /* alpha × 1000, rounded */
    HPDF_ExtGState gs;
} hpdf_alpha;

typedef struct srdi_hpdf_canvas {
    srdi_canvas base;   /* must be first */
    HPDF_Doc pdf;       /* NULL in the error state */
    char *path;         /* final output path (owned) */
    srdi_pdf_info info; /* strings owned (copies) */

    HPDF_Page *pages; /* every page, in order */
    double *heights;  /* page heights, for flipping link targets */
    size_t npages, cappages;
    HPDF_Page cur; /* current page, NULL between pages */
    double cur_h;  /* its height */

    HPDF_Font font[2][2]; /* [family][slot], loaded lazily */
    bool font_tried[2][2];

    hpdf_seg *path_segs; /* buffered path */
    size_t nsegs, capsegs;

    hpdf_link_t *links;
    size_t nlinks, caplinks;
    hpdf_outline_t *outlines;
    size_t noutlines, capoutlines;
    hpdf_label *labels;
    size_t nlabels, caplabels;
    hpdf_alpha *alphas;
    size_t nalphas, capalphas;

    char *textbuf; /* NUL-terminated copy of a text segment */
    size_t captext;

    zcache *zc; /* the streams the last PDF deflated (srdi_canvas_hpdf_set_streams), NULL: none */
    frcache *fc; /* the reads of its faces (beside zc), NULL: none */
} srdi_hpdf_canvas;

static const srdi_canvas_backend hpdf_backend;

/* --------------------------------------------------------------- helpers */

/* A few words on the libharu errors a user can cause (empty for the others). */
static const char *hpdf_error_hint(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_STRING_OUT_OF_RANGE:
        return ": a text string is too long for a PDF string (over 65,535 bytes)";
    case HPDF_FAILD_TO_ALLOC_MEM:
        return ": out of memory";
    case HPDF_FILE_IO_ERROR:
        return ": the file could not be written (disk full or file size limit?)";
    case HPDF_FILE_OPEN_ERROR:
        return ": the file could not be opened";
    case HPDF_PAGE_INVALID_FONT_SIZE:
        return ": invalid font size";
    default:
        return "";
    }
}

/*
 * libharu error handler: record the first error as the canvas's sticky
 * status (SRDI_ERR_RENDER) with libharu's numeric codes in the message.
 */
static void hpdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    srdi_hpdf_canvas *h = user_data;
    /* an allocation that failed is out of memory (exit 5), as anywhere else — also when libharu names what it
       could not make instead (a page's font name: HPDF_PAGE_INVALID_FONT) */
    bool nomem = srdi_hpdf_mem_failed() || error_no == HPDF_FAILD_TO_ALLOC_MEM;
    if (h->base.status == SRDI_OK)
        srdi_canvas_fail(&h->base, srdi_error_set(nomem ? SRDI_ERR_NOMEM : SRDI_ERR_RENDER,
                                                  "libharu error 0x%04X (detail %u)%s", (unsigned)error_no,
                                                  (unsigned)detail_no,
                                                  hpdf_error_hint(nomem ? HPDF_FAILD_TO_ALLOC_MEM : error_no)));
}

/* True when drawing may proceed on the current page. */
static bool hpdf_ok(const srdi_hpdf_canvas *h)
{
    return h->base.status == SRDI_OK && h->pdf && h->cur;
}

/* Record an error unless one is already recorded. */
static void hpdf_fail(srdi_hpdf_canvas *h, srdi_status s)
{
    if (h->base.status == SRDI_OK) h->base.status = s;
}

/*
 * Grow an array of elements of size @p elem so it can hold @p need;
 * returns false (and records NOMEM) on failure.
 */
static bool hpdf_grow(srdi_hpdf_canvas *h, void **arr, size_t *cap, size_t need, size_t elem)
{
    srdi_status st = srdi_grow(arr, cap, need, elem);
    if (st != SRDI_OK) hpdf_fail(h, st);
    return st == SRDI_OK;
}

static srdi_hpdf_canvas *H(srdi_canvas *c)
{
    return (srdi_hpdf_canvas *)c;
}

/* Set the fill (or stroke) colour and, for alpha < 1, an ExtGState. */
static void hpdf_set_color(srdi_hpdf_canvas *h, srdi_rgba col, bool stroke)
{
    if (stroke)
        HPDF_Page_SetRGBStroke(h->cur, (HPDF_REAL)col.r, (HPDF_REAL)col.g, (HPDF_REAL)col.b);
    else
        HPDF_Page_SetRGBFill(h->cur, (HPDF_REAL)col.r, (HPDF_REAL)col.g, (HPDF_REAL)col.b);
    if (col.a >= 0.999) return;
    int key = (int)lround(col.a * 1000.0) * 2 + (stroke ? 1 : 0);
    HPDF_ExtGState gs = NULL;
    for (size_t i = 0; i < h->nalphas; i++)
        if (h->alphas[i].key == key) gs = h->alphas[i].gs;
    if (!gs) {
        if (!hpdf_grow(h, (void **)&h->alphas, &h->capalphas, h->nalphas + 1, sizeof *h->alphas)) return;
        gs = HPDF_CreateExtGState(h->pdf);
        if (!gs) return;
        double a = col.a < 0 ? 0 : col.a;
        if (stroke)
            HPDF_ExtGState_SetAlphaStroke(gs, (HPDF_REAL)a);
        else
            HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)a);
        h->alphas[h->nalphas].key = key;
        h->alphas[h->nalphas].gs = gs;
        h->nalphas++;
    }
    HPDF_Page_SetExtGState(h->cur, gs);
}

/* Append one segment to the buffered path. */
static void hpdf_push(srdi_hpdf_canvas *h, hpdf_segkind k, const double *p, int n)
{
    if (!hpdf_grow(h, (void **)&h->path_segs, &h->capsegs, h->nsegs + 1, sizeof *h->path_segs)) return;
    hpdf_seg *s = &h->path_segs[h->nsegs++];
    s->kind = k;
    for (int i = 0; i < 6; i++) s->p[i] = i < n ? p[i] : 0.0;
}

/* Emit the buffered path into the page (path-construction operators). */
static void hpdf_replay(srdi_hpdf_canvas *h)
{
    for (size_t i = 0; i < h->nsegs; i++) {
        const hpdf_seg *s = &h->path_segs[i];
        switch (s->kind) {
        case SEG_MOVE:
            HPDF_Page_MoveTo(h->cur, (HPDF_REAL)s->p[0], (HPDF_REAL)s->p[1]);
            break;
        case SEG_LINE:
            HPDF_Page_LineTo(h->cur, (HPDF_REAL)s->p[0], (HPDF_REAL)s->p[1]);
            break;
        case SEG_CURVE:
            HPDF_Page_CurveTo(h->cur, (HPDF_REAL)s->p[0], (HPDF_REAL)s->p[1], (HPDF_REAL)s->p[2], (HPDF_REAL)s->p[3],
                              (HPDF_REAL)s->p[4], (HPDF_REAL)s->p[5]);
            break;
        case SEG_CLOSE:
            HPDF_Page_ClosePath(h->cur);
            break;
        }
    }
}

/* True when the path has at least one drawing segment after a move. */
static bool hpdf_path_drawable(const srdi_hpdf_canvas *h)
{
    return h->nsegs > 0 && h->path_segs[0].kind == SEG_MOVE;
}

/*
 * The libharu font for family + slot, loading and embedding the TrueType
 * file on first use (.ttc files through LoadTTFontFromFile2 with the face
 * index).  NULL (with the status set) when it cannot be loaded.
 */
/*
 * libharu 2.3 gives a UTF-8 font its encoding CMap (a begincidrange map) as
 * /ToUnicode, which is not a ToUnicode CMap (poppler: "Invalid
 * 'begincidrange' operator in ToUnicode CMap"; text extraction then relies
 * on viewer fallbacks).  With the UTF-8 encoder the string codes are the
 * UTF-16BE code units of BMP characters, so the right /ToUnicode is the
 * identity: rewrite the stream as one bfrange per high byte (a bfrange may
 * not cross a last-byte boundary), surrogates left out.  No-op when the
 * font has no /ToUnicode stream.
 */
static void hpdf_fix_tounicode(HPDF_Font font)
{
    HPDF_Dict tu = font ? HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) : NULL;
    if (!tu || !tu->stream) return;
    HPDF_Stream st = tu->stream;
    HPDF_MemStream_FreeData(st);
    HPDF_Stream_WriteStr(st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                             "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int hi[256], n = 0;
    for (int b = 0; b < 256; b++)
        if (b < 0xD8 || b > 0xDF) hi[n++] = b;
    for (int i = 0; i < n; i += 100) {
        int k = n - i < 100 ? n - i : 100;
        char line[64];
        snprintf(line, sizeof line, "%d beginbfrange\n", k);
        HPDF_Stream_WriteStr(st, line);
        for (int j = i; j < i + k; j++) {
            snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
            HPDF_Stream_WriteStr(st, line);
        }
        HPDF_Stream_WriteStr(st, "endbfrange\n");
    }
    HPDF_Stream_WriteStr(st, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* ------------------------------------------ face reads kept from the last PDF
 *
 * A single PDF reads its embedded faces with pread (below): the composite
 * check of every glyph the document uses for the first time and the copy of
 * every glyph into the subset — about 3,800 reads of a national report.pdf,
 * ~7 ms on the PDF's path (1,800 while the pages are drawn, 2,000 while the
 * file is written).  A refresh asks the same reads again.  With a stream
 * file (srdi_canvas_hpdf_set_streams) the bytes of each read are kept beside
 * it, in OUT/.srdi-faces, under the face file's identity (device, inode,
 * size, modification and change times: a file changed or replaced is
 * another face, whose reads are never taken) and the read's offset and
 * length; the next PDF copies a read it finds there instead of reading the
 * file: the same bytes.  The file keeps the reads this PDF asked, and is
 * written again only when they differ from what it held.
 *
 * File: a sealed file (srdi/sealed.h: magic "SRDI-FACES 1\n", u64 key, the
 * entries, their count, the check); an entry is u64 hash (of the next
 * three), face identity, offset, length, then the bytes padded to 8.
 */

#define FR_MAGIC "SRDI-FACES 1\n"
#define FR_MAX ((size_t)1 << 16) /* a longer read is not kept */

typedef struct fr_new {
    uint64_t face, pos, len;
    unsigned char *b;
} fr_new;

struct frcache {
    char *path;
    srdi_sealed file;   /* the reads of the last PDF, indexed by their hash */
    pthread_mutex_t mu; /* guards add */
    fr_new *add;        /* reads not in the file, in the order asked */
    size_t nadd, capadd;
    atomic_size_t used; /* entries of the file taken (once each: marked) */
    bool damaged;       /* out of memory keeping a read: the file is written again */
};

static atomic_size_t hpdf_face_hits; /* reads taken from the file (tests) */

size_t srdi_canvas_hpdf_face_reads_reused(void)
{
    return atomic_load(&hpdf_face_hits);
}

static uint64_t fr_hash(uint64_t face, uint64_t pos, uint64_t len)
{
    uint64_t k[3] = {face, pos, len};
    return srdi_hash_mem(k, sizeof k);
}

static void fr_free(frcache *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->nadd; i++) free(f->add[i].b);
    free(f->add);
    srdi_sealed_free(&f->file);
    pthread_mutex_destroy(&f->mu);
    free(f->path);
    free(f);
}

/* The face file beside the stream file @p streams (its directory's .srdi-faces), read when @p reuse; NULL when out of memory. */
static frcache *fr_load(const char *streams, bool reuse)
{
    frcache *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    pthread_mutex_init(&f->mu, NULL);
    const char *slash = strrchr(streams, '/');
    size_t dir = slash ? (size_t)(slash - streams) + 1 : 0;
    if (!(f->path = malloc(dir + sizeof ".srdi-faces"))) {
        fr_free(f);
        return NULL;
    }
    memcpy(f->path, streams, dir);
    memcpy(f->path + dir, ".srdi-faces", sizeof ".srdi-faces");
    /* (an entry's 32-byte head ends with the length of the bytes after it, as a stream file's: zc_entry) */
    if (reuse) srdi_sealed_load(&f->file, f->path, FR_MAGIC, fr_hash(0, 0, 0), 32, 64, zc_entry);
    return f;
}

/* Copy the @p n bytes at @p pos of face @p face from the file into @p out; false: not there. */
static bool fr_take(frcache *f, uint64_t face, uint64_t pos, size_t n, unsigned char *out)
{
    size_t at = 0;
    srdi_sealed_slot *e;
    while ((e = srdi_sealed_find(&f->file, fr_hash(face, pos, n), &at)) != NULL) {
        if (zc_u64(e->at + 8) != face || zc_u64(e->at + 16) != pos || zc_u64(e->at + 24) != n) continue;
        memcpy(out, e->at + 32, n);
        if (!atomic_exchange_explicit(&e->used, true, memory_order_relaxed))
            atomic_fetch_add_explicit(&f->used, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&hpdf_face_hits, 1, memory_order_relaxed);
        return true;
    }
    return false;
}

/* Keep the @p n bytes @p b read at @p pos of face @p face for the file. */
static void fr_keep(frcache *f, uint64_t face, uint64_t pos, const unsigned char *b, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);
    pthread_mutex_lock(&f->mu);
    if (!c || srdi_grow((void **)&f->add, &f->capadd, f->nadd + 1, sizeof *f->add) != SRDI_OK) {
        f->damaged = true; /* the file then misses this read: written again (it is a cache, not an error) */
        srdi_error_clear();
        pthread_mutex_unlock(&f->mu);
        free(c);
        return;
    }
    memcpy(c, b, n);
    f->add[f->nadd++] = (fr_new){face, pos, n, c};
    pthread_mutex_unlock(&f->mu);
}

/*
 * Write the reads this PDF asked to the file (atomically): those taken from
 * it, then the new ones (each once).  Nothing is written when they are the
 * file's entries already.  SRDI_ERR_IO or SRDI_ERR_NOMEM, message set.
 */
static srdi_status fr_save(frcache *f)
{
    if (f->nadd == 0 && !f->damaged && atomic_load(&f->used) == f->file.n) return SRDI_OK; /* the same reads */
    srdi_hindex seen = {0}; /* the new reads written, by hash (a read asked twice: once) */
    srdi_sealed_out o;
    srdi_status st = srdi_sealed_create(&o, f->path, FR_MAGIC, fr_hash(0, 0, 0));
    if (st) return st;
    srdi_sealed_put_used(&o, &f->file); /* the reads taken from the file, as they were */
    for (size_t i = 0; i < f->nadd; i++) {
        const fr_new *e = &f->add[i];
        uint64_t h = fr_hash(e->face, e->pos, e->len);
        bool dup = false;
        size_t pos;
        for (uint32_t j = srdi_hindex_first(&seen, h, &pos); j != SRDI_HINDEX_NONE && !dup;
             j = srdi_hindex_next(&seen, h, &pos))
            dup = f->add[j].face == e->face && f->add[j].pos == e->pos && f->add[j].len == e->len;
        if (dup) continue;
        if (srdi_hindex_add(&seen, h, (uint32_t)i) != SRDI_OK) {
            srdi_hindex_free(&seen);
            srdi_sealed_abort(&o);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory keeping the faces' reads in %s", f->path);
        }
        srdi_sealed_put_u64(&o, h);
        srdi_sealed_put_u64(&o, e->face);
        srdi_sealed_put_u64(&o, e->pos);
        srdi_sealed_put_u64(&o, e->len);
        srdi_sealed_put(&o, e->b, e->len);
        srdi_sealed_pad8(&o, e->len);
        srdi_sealed_entry_done(&o);
    }
    srdi_hindex_free(&seen);
    return srdi_sealed_close(&o, "the faces' reads");
}

/* ------------------------------------------------ a face read from memory
 *
 * libharu reads an embedded face through a FILE stream: the composite check of
 * every glyph a document uses for the first time (HPDF_TTFontDef_GetCharWidth)
 * and the copy of every glyph into the subset (subset_save) each seek and
 * read the file again — about 6,700 system calls a report PDF.  After a face
 * is loaded its stream is replaced by one that reads the same bytes from a
 * read-only mapping of the file, made once per file for the process (and
 * inherited by forked workers, which then share no file offset): the same
 * bytes, the same end-of-file answers as the FILE stream, no system call.
 * That is for the PDFs of a split (srdi_canvas_hpdf_keep_docs).  A single
 * PDF reads its faces with pread on a descriptor of its own instead: one
 * system call a read, with no 4 KiB FILE buffer refilled after every seek
 * (a national refresh: the subsets of the two CJK faces 4.5 + 6.3 ms ->
 * about 1.5 ms each; 20 interleaved refreshes, paired median -11 ms), and
 * no mapping, whose pages read would stay resident (mapped, the national
 * build's peak rose 82 -> 100 MB and 4x the data with 16 CPUs faked went
 * over 200 MB).
 */
typedef struct face_map {
    dev_t dev;
    ino_t ino;
    off_t size;
    const unsigned char *base;
} face_map;

enum { FACE_MAPS = 16 };
static face_map face_maps[FACE_MAPS];
static size_t nface_maps;
static pthread_mutex_t face_map_lock = PTHREAD_MUTEX_INITIALIZER;

/* The stream's position in the mapping. */
typedef struct face_reader {
    const unsigned char *base; /* the mapping, or NULL: read with pread from fd */
    size_t size, pos;
    int fd;         /* the file's own descriptor when not mapped (closed with the stream), else -1 */
    frcache *fc;    /* the reads kept from the last PDF (with fd; NULL: none) */
    uint64_t ident; /* the file's identity, the key of its reads in fc */
} face_reader;

/* As HPDF_FileReader_ReadFunc: the bytes asked for, zeros and HPDF_STREAM_EOF past the end. */
static HPDF_STATUS face_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    face_reader *r = s->attr;
    size_t want = *siz, avail = r->pos < r->size ? r->size - r->pos : 0, got = want < avail ? want : avail;
    if (got && r->base) {
        memcpy(ptr, r->base + r->pos, got);
    } else if (got) {
        const bool keep = r->fc && got == want && got <= FR_MAX; /* (not a read cut by the end of the file) */
        if (!(keep && fr_take(r->fc, r->ident, r->pos, got, ptr))) {
            size_t done = 0;
            while (done < got) {
                ssize_t k = pread(r->fd, ptr + done, got - done, (off_t)(r->pos + done));
                if (k < 0 && errno == EINTR) continue;
                if (k <= 0) return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
                done += (size_t)k;
            }
            if (keep) fr_keep(r->fc, r->ident, r->pos, ptr, got);
        }
    }
    r->pos += got;
    if (got == want) return HPDF_OK;
    memset(ptr + got, 0, want - got);
    *siz = (HPDF_UINT)got;
    return HPDF_STREAM_EOF;
}

/* As HPDF_FileReader_SeekFunc (fseek): anywhere from 0 on, past the end too. */
static HPDF_STATUS face_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    face_reader *r = s->attr;
    long long base = mode == HPDF_SEEK_CUR ? (long long)r->pos : mode == HPDF_SEEK_END ? (long long)r->size : 0;
    long long to = base + pos;
    if (to < 0) return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
    r->pos = (size_t)to;
    return HPDF_OK;
}

static HPDF_INT32 face_tell(HPDF_Stream s)
{
    face_reader *r = s->attr;
    return (HPDF_INT32)r->pos;
}

static HPDF_UINT32 face_size(HPDF_Stream s)
{
    face_reader *r = s->attr;
    return (HPDF_UINT32)r->size;
}

static void face_free(HPDF_Stream s)
{
    face_reader *r = s->attr;
    if (r && r->fd >= 0) close(r->fd);
    HPDF_FreeMem(s->mmgr, s->attr); /* the mapping stays: the process's */
    s->attr = NULL;
}

/* Whether the file open as @p fd is a face libharu can read (a regular file of 1 byte to 4 GiB), its stat into @p sb. */
static bool face_file(int fd, struct stat *sb)
{
    return fstat(fd, sb) == 0 && S_ISREG(sb->st_mode) && sb->st_size > 0 && (uint64_t)sb->st_size <= UINT32_MAX;
}

/* The mapping of the file open as @p fd (made on first use; NULL when it cannot be). */
static const unsigned char *face_mapping(int fd, size_t *size)
{
    struct stat sb;
    if (!face_file(fd, &sb)) return NULL;
    const unsigned char *base = NULL;
    pthread_mutex_lock(&face_map_lock);
    for (size_t i = 0; i < nface_maps && !base; i++)
        if (face_maps[i].dev == sb.st_dev && face_maps[i].ino == sb.st_ino && face_maps[i].size == sb.st_size)
            base = face_maps[i].base;
    if (!base && nface_maps < FACE_MAPS) {
        void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            base = m;
            face_maps[nface_maps++] = (face_map){sb.st_dev, sb.st_ino, sb.st_size, base};
        }
    }
    pthread_mutex_unlock(&face_map_lock);
    *size = (size_t)sb.st_size;
    return base;
}

/*
 * Read the face of @p def from its file's mapping (@p map) or with pread on a
 * descriptor of its own (!@p map) from now on (nothing when it cannot be).
 * Mapped for the PDFs of a split (srdi_canvas_hpdf_keep_docs),
 * where the faces serve PDF after PDF: the pages of the mapping a PDF touches
 * stay resident (the kernel maps pages around each one read, up to the size of
 * the files, 38 MB for the CJK faces), which one national build does not need
 * to pay for in its peak of memory.
 */
static void face_read_direct(HPDF_FontDef def, bool map)
{
    HPDF_TTFontDefAttr a = def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE ? (HPDF_TTFontDefAttr)def->attr : NULL;
    HPDF_Stream fs = a ? a->stream : NULL;
    if (!fs || fs->type != HPDF_STREAM_FILE || !fs->attr || fs->read_fn == face_read) return;
    FILE *fp = fs->attr;
    size_t size = 0;
    const unsigned char *base = map ? face_mapping(fileno(fp), &size) : NULL;
    struct stat sb;
    int fd = -1;
    if (!map && face_file(fileno(fp), &sb) && (fd = dup(fileno(fp))) >= 0) size = (size_t)sb.st_size;
    long at = ftell(fp);
    if ((!base && fd < 0) || at < 0) {
        if (fd >= 0) close(fd);
        return;
    }
    HPDF_Stream s = HPDF_GetMem(fs->mmgr, sizeof *s);
    face_reader *r = s ? HPDF_GetMem(fs->mmgr, sizeof *r) : NULL;
    if (!r) {
        if (s) HPDF_FreeMem(fs->mmgr, s);
        if (fd >= 0) close(fd);
        HPDF_Error_Reset(fs->error); /* the FILE stream stays */
        return;
    }
    *r = (face_reader){base, size, (size_t)at, fd, NULL, 0};
    memset(s, 0, sizeof *s);
    s->sig_bytes = HPDF_STREAM_SIG_BYTES;
    s->type = HPDF_STREAM_CALLBACK;
    s->mmgr = fs->mmgr;
    s->error = fs->error;
    s->read_fn = face_read;
    s->seek_fn = face_seek;
    s->tell_fn = face_tell;
    s->size_fn = face_size;
    s->free_fn = face_free;
    s->attr = r;
    HPDF_Stream_Free(fs); /* closes the file */
    a->stream = s;
}

/* The reader of face @p def when it is read through face_read (face_read_direct), else NULL. */
static face_reader *face_reader_of(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE ? (HPDF_TTFontDefAttr)def->attr : NULL;
    return a && a->stream && a->stream->read_fn == face_read ? a->stream->attr : NULL;
}

/* The definition of face [@p f][@p sl] of @p h (NULL: not loaded). */
static HPDF_FontDef hpdf_face_def(const srdi_hpdf_canvas *h, int f, int sl)
{
    return h->font[f][sl] && h->pdf ? HPDF_GetFontDef(h->pdf, HPDF_Font_GetFontName(h->font[f][sl])) : NULL;
}

/* The faces of @p h read without its face-read cache again (it is about to go). */
static void hpdf_faces_detach(srdi_hpdf_canvas *h)
{
    for (int f = 0; f < 2 && h->fc; f++)
        for (int sl = 0; sl < 2; sl++) {
            face_reader *r = face_reader_of(hpdf_face_def(h, f, sl));
            if (r) r->fc = NULL;
        }
}

/* Give the face of @p def, when it is read with pread, the reads kept in @p fc under its file's identity. */
static void face_cache_attach(HPDF_FontDef def, frcache *fc)
{
    face_reader *r = face_reader_of(def);
    struct stat sb;
    if (!r || r->base || r->fd < 0 || fstat(r->fd, &sb) != 0) return;
    srdi_stream_hash x;
    srdi_sh_init(&x);
    srdi_sh_stat(&x, &sb);
    r->ident = srdi_sh_final(&x);
    r->fc = fc;
}

static HPDF_Font hpdf_font(srdi_hpdf_canvas *h, srdi_font_family fam, srdi_face_slot slot)
{
    int f = fam == SRDI_FONT_SERIF ? 1 : 0, s = slot == SRDI_FACE_LATIN ? 1 : 0;
    if (h->font[f][s] || h->font_tried[f][s]) return h->font[f][s];
    h->font_tried[f][s] = true;
    const srdi_face_file *ff = h->base.fonts ? srdi_fonts_face(h->base.fonts, fam, slot) : NULL;
    if (!ff || !ff->path) {
        hpdf_fail(h,
                  srdi_error_set(SRDI_ERR_FONT, "no font file for %s %s text",
                                 fam == SRDI_FONT_SERIF ? "serif" : "sans", slot == SRDI_FACE_LATIN ? "Latin" : "CJK"));
        return NULL;
    }
    size_t n = strlen(ff->path);
    bool ttc = n > 4 && (strcmp(ff->path + n - 4, ".ttc") == 0 || strcmp(ff->path + n - 4, ".TTC") == 0);
    const char *name = ttc ? HPDF_LoadTTFontFromFile2(h->pdf, ff->path, (HPDF_UINT)ff->index, HPDF_TRUE)
                           : HPDF_LoadTTFontFromFile(h->pdf, ff->path, HPDF_TRUE);
    if (!name) {
        if (srdi_hpdf_mem_failed() || h->base.status == SRDI_ERR_NOMEM) /* (hpdf_on_error may have said so) */
            h->base.status = srdi_error_set(SRDI_ERR_NOMEM, "out of memory loading font %s", ff->path);
        else
            h->base.status =
                srdi_error_set(SRDI_ERR_FONT, "libharu cannot load font %s (face %d)", ff->path, ff->index);
        return NULL;
    }
    face_read_direct(HPDF_GetFontDef(h->pdf, name), atomic_load(&keep_docs)); /* many PDFs: mapped (see there) */
    if (h->fc) face_cache_attach(HPDF_GetFontDef(h->pdf, name), h->fc);
    h->font[f][s] = HPDF_GetFont(h->pdf, name, "UTF-8");
    hpdf_fix_tounicode(h->font[f][s]);
    return h->font[f][s];
}

srdi_status srdi_canvas_hpdf_load_fonts(srdi_canvas *c)
{
    if (!c || c->be != &hpdf_backend)
        return srdi_error_set(SRDI_ERR_INTERNAL, "srdi_canvas_hpdf_load_fonts: not a PDF canvas");
    srdi_hpdf_canvas *h = H(c);
    static const srdi_font_family fams[2] = {SRDI_FONT_SANS, SRDI_FONT_SERIF};
    static const srdi_face_slot slots[2] = {SRDI_FACE_CJK, SRDI_FACE_LATIN};
    for (int f = 0; f < 2 && h->base.status == SRDI_OK && h->pdf; f++)
        for (int s = 0; s < 2 && h->base.status == SRDI_OK; s++) hpdf_font(h, fams[f], slots[s]);
    return h->base.status;
}

/* ------------------------------------------------------------- backend */

static srdi_status hpdf_begin_page(srdi_canvas *c, double w, double hgt)
{
    srdi_hpdf_canvas *h = H(c);
    if (h->base.status != SRDI_OK || !h->pdf) return h->base.status;
    if (!hpdf_grow(h, (void **)&h->pages, &h->cappages, h->npages + 1, sizeof *h->pages)) return h->base.status;
    double *nh = realloc(h->heights, h->cappages * sizeof *nh);
    if (!nh) {
        hpdf_fail(h, srdi_error_set(SRDI_ERR_NOMEM, "out of memory in the PDF backend"));
        return h->base.status;
    }
    h->heights = nh;
    HPDF_Page p = HPDF_AddPage(h->pdf);
    if (!p) return h->base.status ? h->base.status : (h->base.status = SRDI_ERR_RENDER);
    HPDF_Page_SetWidth(p, (HPDF_REAL)w);
    HPDF_Page_SetHeight(p, (HPDF_REAL)hgt);
    h->pages[h->npages] = p;
    h->heights[h->npages] = hgt;
    h->npages++;
    h->cur = p;
    h->cur_h = hgt;
    h->nsegs = 0;
    return h->base.status;
}

static srdi_status hpdf_end_page(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    h->cur = NULL;
    h->nsegs = 0;
    return h->base.status;
}

static void hpdf_save(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    if (hpdf_ok(h)) HPDF_Page_GSave(h->cur);
}

/* A quarter turn counter-clockwise about (x, y): PDF space has y up, so the
   matrix is (0 1 −1 0) with the pivot (x, H − y) kept in place. */
static void hpdf_rotate_ccw(srdi_canvas *c, double x, double y)
{
    srdi_hpdf_canvas *h = H(c);
    if (!hpdf_ok(h)) return;
    double px = x, py = h->cur_h - y;
    HPDF_Page_Concat(h->cur, 0, 1, -1, 0, (HPDF_REAL)(px + py), (HPDF_REAL)(py - px));
}

static void hpdf_restore(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    if (hpdf_ok(h)) HPDF_Page_GRestore(h->cur);
}

static void hpdf_move_to(srdi_canvas *c, double x, double y)
{
    srdi_hpdf_canvas *h = H(c);
    double p[2] = {x, h->cur_h - y};
    hpdf_push(h, SEG_MOVE, p, 2);
}

static void hpdf_line_to(srdi_canvas *c, double x, double y)
{
    srdi_hpdf_canvas *h = H(c);
    double p[2] = {x, h->cur_h - y};
    if (h->nsegs == 0)
        hpdf_push(h, SEG_MOVE, p, 2);
    else
        hpdf_push(h, SEG_LINE, p, 2);
}

static void hpdf_curve_to(srdi_canvas *c, double x1, double y1, double x2, double y2, double x3, double y3)
{
    srdi_hpdf_canvas *h = H(c);
    double p[6] = {x1, h->cur_h - y1, x2, h->cur_h - y2, x3, h->cur_h - y3};
    if (h->nsegs == 0) {
        double m[2] = {x1, h->cur_h - y1};
        hpdf_push(h, SEG_MOVE, m, 2);
    }
    hpdf_push(h, SEG_CURVE, p, 6);
}

static void hpdf_close_path(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    if (h->nsegs > 0) hpdf_push(h, SEG_CLOSE, NULL, 0);
}

static void hpdf_fill(srdi_canvas *c, srdi_rgba col)
{
    srdi_hpdf_canvas *h = H(c);
    if (hpdf_ok(h) && hpdf_path_drawable(h)) {
        HPDF_Page_GSave(h->cur);
        hpdf_set_color(h, col, false);
        hpdf_replay(h);
        HPDF_Page_Fill(h->cur);
        HPDF_Page_GRestore(h->cur);
    }
    h->nsegs = 0;
}

static void hpdf_stroke(srdi_canvas *c, srdi_rgba col, double width, const double *dash, int ndash)
{
    srdi_hpdf_canvas *h = H(c);
    if (hpdf_ok(h) && hpdf_path_drawable(h)) {
        HPDF_Page_GSave(h->cur);
        hpdf_set_color(h, col, true);
        HPDF_Page_SetLineWidth(h->cur, (HPDF_REAL)(width > 0 ? width : 0.1));
        if (dash && ndash > 0) {
            HPDF_UINT16 ptn[8];
            int n = ndash > 8 ? 8 : ndash;
            for (int i = 0; i < n; i++) {
                long v = lround(dash[i]);
                ptn[i] = (HPDF_UINT16)(v < 1 ? 1 : v > 1000 ? 1000 : v);
            }
            HPDF_Page_SetDash(h->cur, ptn, (HPDF_UINT)n, 0);
        }
        hpdf_replay(h);
        HPDF_Page_Stroke(h->cur);
        HPDF_Page_GRestore(h->cur);
    }
    h->nsegs = 0;
}

static void hpdf_clip(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    if (hpdf_ok(h) && hpdf_path_drawable(h)) {
        hpdf_replay(h);
        HPDF_Page_Clip(h->cur);
        HPDF_Page_EndPath(h->cur);
    }
    h->nsegs = 0;
}

/*
 * Draw one single-face text segment with its baseline at (x, y).
 * Bold is synthesised: fill then stroke with line width size/30.
 */
static void hpdf_text_segment(srdi_canvas *c, srdi_font font, srdi_face_slot slot, double x, double y, const char *s,
                              size_t len, srdi_rgba col)
{
    srdi_hpdf_canvas *h = H(c);
    if (!hpdf_ok(h) || len == 0) return;
    HPDF_Font f = hpdf_font(h, font.family, slot);
    if (!f) return;
    if (!hpdf_grow(h, (void **)&h->textbuf, &h->captext, len + 1, 1)) return;
    /* C0 controls and DEL: zero width and not drawn (fonts.c), so not in
     * the PDF text either (a byte < 0x20 is never inside a UTF-8 sequence) */
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7F) h->textbuf[k++] = s[i];
    h->textbuf[k] = '\0';
    if (k == 0) return;
    HPDF_Page_GSave(h->cur);
    hpdf_set_color(h, col, false);
    if (font.bold) {
        hpdf_set_color(h, col, true);
        HPDF_Page_SetLineWidth(h->cur, (HPDF_REAL)(font.size / 30.0));
    }
    HPDF_Page_BeginText(h->cur);
    HPDF_Page_SetFontAndSize(h->cur, f, (HPDF_REAL)font.size);
    HPDF_Page_SetTextRenderingMode(h->cur, font.bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
    HPDF_Page_TextOut(h->cur, (HPDF_REAL)x, (HPDF_REAL)(h->cur_h - y), h->textbuf);
    HPDF_Page_EndText(h->cur);
    HPDF_Page_GRestore(h->cur);
}

/*
 * Place an RGBA image (w × h pixels, row-major, 4 bytes a pixel) in the box
 * (x, y, dw, dh): an RGB image with the alpha channel as soft mask.
 */
static void hpdf_image_rgba(srdi_canvas *c, const unsigned char *rgba, int w, int hgt, double x, double y, double dw,
                            double dh)
{
    srdi_hpdf_canvas *h = H(c);
    if (!hpdf_ok(h) || !rgba || w <= 0 || hgt <= 0) return;
    size_t n = (size_t)w * (size_t)hgt;
    unsigned char *rgb = malloc(n * 3), *a = malloc(n);
    bool has_alpha = false;
    if (!rgb || !a) {
        hpdf_fail(h, srdi_error_set(SRDI_ERR_NOMEM, "out of memory in the PDF backend"));
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(rgb + 3 * i, rgba + 4 * i, 3);
        a[i] = rgba[4 * i + 3];
        if (a[i] != 255) has_alpha = true;
    }
    HPDF_Image img = HPDF_LoadRawImageFromMem(h->pdf, rgb, (HPDF_UINT)w, (HPDF_UINT)hgt, HPDF_CS_DEVICE_RGB, 8);
    if (!img) goto cleanup;
    if (has_alpha) {
        HPDF_Image m = HPDF_LoadRawImageFromMem(h->pdf, a, (HPDF_UINT)w, (HPDF_UINT)hgt, HPDF_CS_DEVICE_GRAY, 8);
        if (m) HPDF_Image_AddSMask(img, m);
    }
    HPDF_Page_DrawImage(h->cur, img, (HPDF_REAL)x, (HPDF_REAL)(h->cur_h - y - dh), (HPDF_REAL)dw, (HPDF_REAL)dh);
cleanup:
    free(rgb);
    free(a);
}

static void hpdf_link(srdi_canvas *c, double x, double y, double w, double hgt, int dest_page, double dest_y)
{
    srdi_hpdf_canvas *h = H(c);
    if (h->base.status != SRDI_OK || h->npages == 0) return;
    if (!hpdf_grow(h, (void **)&h->links, &h->caplinks, h->nlinks + 1, sizeof *h->links)) return;
    h->links[h->nlinks++] = (hpdf_link_t){(int)h->npages - 1, x, y, w, hgt, dest_page, dest_y};
}

static void hpdf_outline(srdi_canvas *c, int level, const char *title, int page, double y)
{
    srdi_hpdf_canvas *h = H(c);
    if (h->base.status != SRDI_OK || !title) return;
    if (!hpdf_grow(h, (void **)&h->outlines, &h->capoutlines, h->noutlines + 1, sizeof *h->outlines)) return;
    char *t = srdi_strdup(title), *w = srdi_strdup(h->base.what);
    if (!t || !w) {
        free(t);
        free(w);
        hpdf_fail(h, SRDI_ERR_NOMEM);
        return;
    }
    h->outlines[h->noutlines++] = (hpdf_outline_t){level < 0 ? 0 : level, t, page, y, w};
}

static void hpdf_page_label(srdi_canvas *c, int first_page, int style, int start)
{
    srdi_hpdf_canvas *h = H(c);
    if (h->base.status != SRDI_OK) return;
    if (!hpdf_grow(h, (void **)&h->labels, &h->caplabels, h->nlabels + 1, sizeof *h->labels)) return;
    h->labels[h->nlabels++] = (hpdf_label){first_page, style, start};
}

/* Create the link annotations collected while drawing. */
static void hpdf_make_links(srdi_hpdf_canvas *h)
{
    for (size_t i = 0; i < h->nlinks && h->base.status == SRDI_OK; i++) {
        const hpdf_link_t *l = &h->links[i];
        if (l->page < 0 || (size_t)l->page >= h->npages || l->dest_page < 0 || (size_t)l->dest_page >= h->npages)
            continue;
        double ph = h->heights[l->page], dh = h->heights[l->dest_page];
        HPDF_Destination d = HPDF_Page_CreateDestination(h->pages[l->dest_page]);
        if (!d) return;
        HPDF_Destination_SetFitH(d, (HPDF_REAL)(dh - l->dest_y > 0 ? dh - l->dest_y : 0));
        HPDF_Rect r = {(HPDF_REAL)l->x, (HPDF_REAL)(ph - l->y - l->h), (HPDF_REAL)(l->x + l->w),
                       (HPDF_REAL)(ph - l->y)};
        HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(h->pages[l->page], r, d);
        if (!a) return;
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        HPDF_LinkAnnot_SetHighlightMode(a, HPDF_ANNOT_INVERT_BOX);
    }
}

/* Create the outline tree: each entry hangs under the last entry of a lower level. */
static void hpdf_make_outlines(srdi_hpdf_canvas *h)
{
    enum { MAXLEV = 8 };
    HPDF_Outline parents[MAXLEV] = {0};
    HPDF_Encoder enc = HPDF_GetEncoder(h->pdf, "UTF-8");
    for (size_t i = 0; i < h->noutlines && h->base.status == SRDI_OK; i++) {
        const hpdf_outline_t *o = &h->outlines[i];
        int lev = o->level >= MAXLEV ? MAXLEV - 1 : o->level;
        while (lev > 0 && !parents[lev - 1]) lev--;
        HPDF_Outline parent = lev > 0 ? parents[lev - 1] : NULL;
        srdi_canvas_set_what(&h->base, "the PDF bookmark of %s", o->what[0] ? o->what : o->title);
        HPDF_Outline ol = HPDF_CreateOutline(h->pdf, parent, o->title, enc);
        if (!ol) return;
        if (o->page >= 0 && (size_t)o->page < h->npages) {
            HPDF_Destination d = HPDF_Page_CreateDestination(h->pages[o->page]);
            if (d) {
                HPDF_Destination_SetFitH(d,
                                         (HPDF_REAL)(h->heights[o->page] - o->y > 0 ? h->heights[o->page] - o->y : 0));
                HPDF_Outline_SetDestination(ol, d);
            }
        }
        HPDF_Outline_SetOpened(ol, lev == 0 ? HPDF_TRUE : HPDF_FALSE);
        parents[lev] = ol;
        for (int k = lev + 1; k < MAXLEV; k++) parents[k] = NULL;
    }
}

/* PDF date (UTC) from seconds since the epoch. */
static HPDF_Date hpdf_date(long long epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    HPDF_Date d = {2000, 1, 1, 0, 0, 0, 'Z', 0, 0};
    if (gmtime_r(&t, &tm)) {
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
        d.hour = tm.tm_hour;
        d.minutes = tm.tm_min;
        d.seconds = tm.tm_sec;
    }
    return d;
}

/*
 * Write the document: links, outlines, page labels and document info, then
 * HPDF_SaveToFile to a temporary path renamed onto the final one.  On any
 * error the temporary file is removed and the sticky status returned.
 */
static srdi_status hpdf_finish(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    char *tmp = NULL;
    if (h->base.status != SRDI_OK || !h->pdf) return h->base.status ? h->base.status : SRDI_ERR_RENDER;
    if (h->npages == 0) return h->base.status = srdi_error_set(SRDI_ERR_RENDER, "%s: the PDF has no pages", h->path);
    hpdf_make_links(h);
    hpdf_make_outlines(h);
    if (h->noutlines > 0) HPDF_SetPageMode(h->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    for (size_t i = 0; i < h->nlabels; i++) {
        const hpdf_label *l = &h->labels[i];
        HPDF_AddPageLabel(h->pdf, (HPDF_UINT)(l->first_page < 0 ? 0 : l->first_page),
                          l->style == 1 ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN : HPDF_PAGE_NUM_STYLE_DECIMAL,
                          (HPDF_UINT)(l->start < 1 ? 1 : l->start), NULL);
    }
    srdi_canvas_set_what(&h->base, "the PDF document information (params.ini [report])");
    HPDF_SetCurrentEncoder(h->pdf, "UTF-8");
    if (h->info.title) HPDF_SetInfoAttr(h->pdf, HPDF_INFO_TITLE, h->info.title);
    if (h->info.author) HPDF_SetInfoAttr(h->pdf, HPDF_INFO_AUTHOR, h->info.author);
    if (h->info.subject) HPDF_SetInfoAttr(h->pdf, HPDF_INFO_SUBJECT, h->info.subject);
    if (h->info.keywords) HPDF_SetInfoAttr(h->pdf, HPDF_INFO_KEYWORDS, h->info.keywords);
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_CREATOR, "srdi-report");
    HPDF_SetInfoAttr(h->pdf, HPDF_INFO_PRODUCER, "srdi-report (libharu)");
    HPDF_Date d = hpdf_date(h->info.epoch);
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(h->pdf, HPDF_INFO_MOD_DATE, d);
    if (h->base.status != SRDI_OK) return h->base.status;

    srdi_status tst = srdi_tmp_path(h->path, &tmp);
    if (tst) return h->base.status = tst; /* the message names the file and the cause */
    srdi_canvas_set_what(&h->base, "%s", "");
    errno = 0;
    dfl_set *dfl = dfl_begin();
    if (dfl) dfl->zc = h->zc;
    if (dfl) { /* the pages whose contents libharu will not touch again */
        for (size_t i = 0; i < h->npages; i++) {
            HPDF_PageAttr pa = h->pages[i] ? (HPDF_PageAttr)h->pages[i]->attr : NULL;
            if (pa && pa->gmode == HPDF_GMODE_PAGE_DESCRIPTION && pa->gstate && !pa->gstate->prev)
                dfl_add(dfl, pa->stream, false);
        }
        dfl_start(dfl);
    }
    wbuf *wb = malloc(sizeof *wb); /* NULL: libharu writes token by token */
    if (wb) {
        wb->fp = NULL;
        wb->n = 0;
        wb->failed = false;
        wb->err = 0;
    }
    tl_dfl = dfl;
    tl_zc = h->zc;
    tl_wbuf = wb;
    HPDF_STATUS saved = HPDF_SaveToFile(h->pdf, tmp);
    tl_wbuf = NULL;
    tl_dfl = NULL;
    tl_zc = NULL;
    dfl_end(dfl);
    if (wb && wb->failed) { /* a write, or the flush before the close, failed */
        saved = HPDF_FILE_IO_ERROR;
        errno = wb->err;
    }
    free(wb);
    if (saved != HPDF_OK || h->base.status != SRDI_OK) {
        int err = errno;
        remove(tmp);
        if (HPDF_GetError(h->pdf) == HPDF_FAILD_TO_ALLOC_MEM || h->base.status == SRDI_ERR_NOMEM) {
            /* a stream's deflate (HPDF_Stream_WriteToStreamWithDeflate) or libharu ran out of memory */
            srdi_error_set(SRDI_ERR_NOMEM, "%s: out of memory writing the PDF", h->path);
            h->base.status = SRDI_ERR_NOMEM;
            goto cleanup;
        }
        srdi_error_set(SRDI_ERR_IO, "%s: cannot write the PDF: %s", h->path,
                       err ? strerror(err) : srdi_error_message());
        h->base.status = SRDI_ERR_IO;
        goto cleanup;
    }
    srdi_status s = srdi_rename_into_place(tmp, h->path);
    if (s != SRDI_OK) {
        remove(tmp);
        h->base.status = s;
    } else if (h->zc && (s = zc_save(h->zc)) != SRDI_OK) {
        h->base.status = s;
    } else if (h->fc && (s = fr_save(h->fc)) != SRDI_OK) {
        h->base.status = s;
    }
cleanup:
    free(tmp);
    return h->base.status;
}

static bool hpdf_keep_doc(srdi_hpdf_canvas *h);
static bool doc_renew(srdi_hpdf_canvas *h);

static void hpdf_destroy(srdi_canvas *c)
{
    srdi_hpdf_canvas *h = H(c);
    hpdf_faces_detach(h); /* its faces may outlive it (a kept document's): they no longer read its face file */
    if (h->pdf) {
        atomic_fetch_add(&hpdf_glyph_gen, 1); /* its cmaps' memory may be reused */
        if (!hpdf_keep_doc(h)) pdf_free(h->pdf);
    }
    free(h->path);
    free((char *)h->info.title);
    free((char *)h->info.author);
    free((char *)h->info.subject);
    free((char *)h->info.keywords);
    free(h->pages);
    free(h->heights);
    free(h->path_segs);
    free(h->links);
    for (size_t i = 0; i < h->noutlines; i++) {
        free(h->outlines[i].title);
        free(h->outlines[i].what);
    }
    free(h->outlines);
    free(h->labels);
    free(h->alphas);
    free(h->textbuf);
    zc_free(h->zc);
    fr_free(h->fc);
    free(h); /* the recorded text boxes were freed by srdi_canvas_free */
}

static const srdi_canvas_backend hpdf_backend = {
    .name = "hpdf",
    SRDI_CANVAS_FILE_OPS(hpdf),
    .link = hpdf_link,
    .outline = hpdf_outline,
    .page_label = hpdf_page_label,
};

/* ---------------------------------------------------------- constructor */

/*
 * Create the libharu canvas.  The PDF is written to @p path by
 * srdi_canvas_finish (atomically).  On failure the canvas is returned in an
 * error state (srdi_canvas_status != SRDI_OK); NULL only when out of memory.
 */
/*
 * A document made ahead (srdi_canvas_hpdf_preload): a canvas with its four
 * faces loaded and nothing else, taken by the next srdi_canvas_hpdf_new with
 * the same fonts.  One at most, process-wide; a forked process inherits it.
 */
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static srdi_hpdf_canvas *spare;

/* Take the spare document when it was made with @p fonts (NULL: none). */
static srdi_hpdf_canvas *spare_take(const srdi_fonts *fonts)
{
    pthread_mutex_lock(&spare_lock);
    srdi_hpdf_canvas *h = spare && spare->base.fonts == fonts ? spare : NULL;
    if (h) spare = NULL;
    pthread_mutex_unlock(&spare_lock);
    return h;
}

/* Give @p h its output path and metadata (copies); the error state when they are missing or out of memory. */
static void hpdf_set_output(srdi_hpdf_canvas *h, const char *path, const srdi_pdf_info *info)
{
    h->path = srdi_strdup(path ? path : "");
    if (info) {
        h->info.title = info->title ? srdi_strdup(info->title) : NULL;
        h->info.author = info->author ? srdi_strdup(info->author) : NULL;
        h->info.subject = info->subject ? srdi_strdup(info->subject) : NULL;
        h->info.keywords = info->keywords ? srdi_strdup(info->keywords) : NULL;
        h->info.epoch = info->epoch;
    }
    if (!h->path || (info && ((info->title && !h->info.title) || (info->author && !h->info.author) ||
                              (info->subject && !h->info.subject) || (info->keywords && !h->info.keywords)))) {
        h->base.status = srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating the PDF");
        return;
    }
    if (!path || !*path) h->base.status = srdi_error_set(SRDI_ERR_USAGE, "no output path for the PDF");
}

srdi_canvas *srdi_canvas_hpdf_new(const srdi_fonts *fonts, const char *path, const srdi_pdf_info *info)
{
    srdi_hpdf_canvas *h = spare_take(fonts);
    if (h) { /* the faces are loaded: the same document as below after srdi_canvas_hpdf_load_fonts */
        hpdf_set_output(h, path, info);
        return &h->base;
    }
    h = calloc(1, sizeof *h);
    if (!h) return NULL;
    srdi_canvas_init_base(&h->base, &hpdf_backend, fonts);
    hpdf_set_output(h, path, info);
    if (h->base.status != SRDI_OK) return &h->base;
    h->pdf = HPDF_NewEx(hpdf_on_error, srdi_hpdf_mem_alloc, srdi_hpdf_mem_free, 0, h); /* hpdf_mem.c */
    if (!h->pdf) { /* an allocation of ours that failed (srdi_hpdf_mem_failed) is out of memory (exit 5) */
        h->base.status = srdi_hpdf_mem_failed() || h->base.status == SRDI_ERR_NOMEM
                             ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating the PDF document")
                             : srdi_error_set(SRDI_ERR_RENDER, "libharu could not create a document");
        return &h->base;
    }
    HPDF_UseUTFEncodings(h->pdf);
    HPDF_SetCompressionMode(h->pdf, HPDF_COMP_ALL);
    return &h->base;
}

srdi_status srdi_canvas_hpdf_set_streams(srdi_canvas *c, const char *path, bool reuse)
{
    if (!c || c->be != &hpdf_backend)
        return srdi_error_set(SRDI_ERR_INTERNAL, "srdi_canvas_hpdf_set_streams: not a PDF canvas");
    srdi_hpdf_canvas *h = H(c);
    zc_free(h->zc);
    h->zc = NULL;
    hpdf_faces_detach(h);
    fr_free(h->fc);
    h->fc = NULL;
    if (!path) return SRDI_OK;
    if (!(h->zc = zc_load(path, reuse)) || !(h->fc = fr_load(path, reuse)))
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory");
    for (int f = 0; f < 2; f++) /* the faces loaded already (srdi_canvas_hpdf_load_fonts) */
        for (int sl = 0; sl < 2; sl++) face_cache_attach(hpdf_face_def(h, f, sl), h->fc);
    return SRDI_OK;
}

srdi_status srdi_canvas_hpdf_preload(const srdi_fonts *fonts)
{
    srdi_canvas *c = srdi_canvas_hpdf_new(fonts, "-", NULL);
    if (!c) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating the PDF");
    srdi_status st = srdi_canvas_status(c);
    if (st == SRDI_OK) st = srdi_canvas_hpdf_load_fonts(c);
    if (st != SRDI_OK) {
        srdi_canvas_free(c);
        return st;
    }
    srdi_hpdf_canvas *h = H(c);
    free(h->path); /* given by srdi_canvas_hpdf_new */
    h->path = NULL;
    if (atomic_load(&keep_docs) && doc_renew(h)) {
        /* documents kept (a split): the spare emptied and given its faces again here, as a kept one is, so
           that its faces' width arrays are written from the bytes kept now (wk_entry) — and the numbers of
           the arrays made here are freed by this process, not by each worker forked from it, which would copy
           every page they lie in (a fault each) */
        h->pdf = NULL;
        srdi_canvas_free(c);
        return SRDI_OK;
    }
    pthread_mutex_lock(&spare_lock);
    srdi_hpdf_canvas *old = spare;
    spare = h;
    pthread_mutex_unlock(&spare_lock);
    if (old) srdi_canvas_free(&old->base);
    return SRDI_OK;
}

srdi_status srdi_canvas_hpdf_preload_forked(void)
{
    srdi_hpdf_mem_forked(); /* blocks from chunks of this process's own */
    pthread_mutex_lock(&spare_lock);
    srdi_hpdf_canvas *h = spare;
    pthread_mutex_unlock(&spare_lock);
    if (!h) return SRDI_OK;
    /* libharu reads an embedded face from its file when it writes the PDF:
       the file's offset, inherited across fork, would be shared with the
       other workers; each open of a face file gets a description of its own
       (none stays open when the faces are read from their mappings,
       face_read_direct: this is for a face that could not be mapped) */
    struct stat face[2][2];
    bool have[2][2] = {{false}};
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 2; k++) {
            const srdi_face_file *ff = srdi_fonts_face(h->base.fonts, f ? SRDI_FONT_SERIF : SRDI_FONT_SANS,
                                                       k ? SRDI_FACE_LATIN : SRDI_FACE_CJK);
            have[f][k] = ff && ff->path && stat(ff->path, &face[f][k]) == 0;
        }
    DIR *dir = opendir("/proc/self/fd");
    srdi_status st = SRDI_OK;
    if (!dir) {
        st = srdi_error_set(SRDI_ERR_IO, "cannot list /proc/self/fd: %s", strerror(errno));
    } else {
        struct dirent *de;
        while (st == SRDI_OK && (de = readdir(dir)) != NULL) {
            char *end;
            long fd = strtol(de->d_name, &end, 10);
            struct stat sb;
            if (*end || end == de->d_name || fd == dirfd(dir) || fstat((int)fd, &sb) != 0) continue;
            for (int f = 0; f < 2 && st == SRDI_OK; f++)
                for (int k = 0; k < 2; k++) {
                    if (!have[f][k] || sb.st_dev != face[f][k].st_dev || sb.st_ino != face[f][k].st_ino) continue;
                    const srdi_face_file *ff = srdi_fonts_face(h->base.fonts, f ? SRDI_FONT_SERIF : SRDI_FONT_SANS,
                                                               k ? SRDI_FACE_LATIN : SRDI_FACE_CJK);
                    off_t at = lseek((int)fd, 0, SEEK_CUR);
                    int nfd = open(ff->path, O_RDONLY | O_CLOEXEC);
                    if (nfd < 0 || at < 0 || lseek(nfd, at, SEEK_SET) != at || dup2(nfd, (int)fd) < 0)
                        st = srdi_error_set(SRDI_ERR_IO, "cannot reopen font %s: %s", ff->path, strerror(errno));
                    if (nfd >= 0) close(nfd);
                    f = 2; /* this descriptor is done */
                    break;
                }
        }
        closedir(dir);
    }
    if (st != SRDI_OK) srdi_canvas_hpdf_preload_drop(); /* each PDF loads its faces itself */
    return st;
}

static atomic_size_t docs_kept; /* documents kept (tests) */

void srdi_canvas_hpdf_keep_docs(bool on)
{
    atomic_store(&keep_docs, on);
    if (!on) run_free(); /* the streams kept for the run's PDFs */
}

size_t srdi_canvas_hpdf_docs_kept(void)
{
    return atomic_load(&docs_kept);
}

/*
 * Keep @p h's document as the spare (srdi_canvas_hpdf_keep_docs): emptied
 * by HPDF_NewDoc, which frees its objects and keeps its font definitions
 * (their glyph marks cleared, their subset tags kept), then given the four
 * fonts as srdi_canvas_hpdf_load_fonts does, in the same order, so its
 * objects are numbered as in a document made afresh.  True when the
 * document was taken (kept, or freed here when it could not be kept).
 */
static bool hpdf_keep_doc(srdi_hpdf_canvas *h)
{
    if (!atomic_load(&keep_docs) || h->base.status != SRDI_OK || h->npages == 0)
        return false; /* (a spare document, never drawn in, is freed) */
    if (!doc_renew(h)) return false;
    atomic_fetch_add(&docs_kept, 1);
    return true;
}

/* hpdf_keep_doc of @p h whatever its pages: its document emptied and given its faces again as the spare. */
static bool doc_renew(srdi_hpdf_canvas *h)
{
    for (int f = 0; f < 2; f++)
        for (int s = 0; s < 2; s++)
            if (!h->font[f][s]) return false; /* only a document with its four faces */
    srdi_hpdf_canvas *k = calloc(1, sizeof *k);
    if (!k) return false;
    srdi_canvas_init_base(&k->base, &hpdf_backend, h->base.fonts);
    k->pdf = h->pdf;
    const char *name[2][2];
    for (int f = 0; f < 2; f++)
        for (int s = 0; s < 2; s++) {
            name[f][s] = HPDF_Font_GetFontName(h->font[f][s]); /* its definition's: kept */
            /* and read from memory from now on (loaded before the split began, e.g. by the national
               build, a face still reads its file: a seek and a read for every glyph of every PDF) */
            face_read_direct(HPDF_GetFontDef(h->pdf, name[f][s]), true);
        }
    k->pdf->error.user_data = k; /* hpdf_on_error reports to the canvas that holds it */
    wk_forget(k->pdf->mmgr, false); /* its arrays go with its objects */
    bool ok = HPDF_NewDoc(k->pdf) == HPDF_OK && HPDF_SetCompressionMode(k->pdf, HPDF_COMP_ALL) == HPDF_OK;
    for (int f = 0; f < 2 && ok; f++)
        for (int s = 0; s < 2 && ok; s++) {
            k->font_tried[f][s] = true;
            k->font[f][s] = HPDF_GetFont(k->pdf, name[f][s], "UTF-8");
            hpdf_fix_tounicode(k->font[f][s]);
            ok = k->font[f][s] && k->base.status == SRDI_OK;
        }
    if (!ok) {
        srdi_error_clear(); /* the next PDF makes its document afresh */
        pdf_free(k->pdf);
        free(k);
        return true;
    }
    pthread_mutex_lock(&spare_lock);
    srdi_hpdf_canvas *old = spare;
    spare = k;
    pthread_mutex_unlock(&spare_lock);
    if (old) srdi_canvas_free(&old->base);
    return true;
}

void srdi_canvas_hpdf_preload_drop(void)
{
    pthread_mutex_lock(&spare_lock);
    srdi_hpdf_canvas *h = spare;
    spare = NULL;
    pthread_mutex_unlock(&spare_lock);
    if (h) srdi_canvas_free(&h->base);
}
