/*
 * tests/test_canvas_hpdf.c — the PDF backend's faster libharu helpers
 * (src/canvas/hpdf.c): HPDF_TTFontDef_GetGlyphid, HPDF_MemCpy and
 * HPDF_MemSet and HPDF_List_Add, defined by the program in place of libharu's own, must
 * return what libharu's return for every input the PDF gives them (the
 * glyph lookup in code point order and scattered, where the segment of the
 * lookup before is tried first).
 * libharu's versions are reached with dlsym(RTLD_NEXT): the next
 * definition after the program's.  A PDF whose streams helper threads
 * deflated (srdi_canvas_hpdf_set_threads) has the bytes of one written by
 * libharu alone, and so has one whose streams come from the stream file of
 * the last PDF (srdi_canvas_hpdf_set_streams), and one whose faces' reads
 * come from the face file kept beside it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

#include "srdi/canvas.h"
#include "srdi/fonts.h"
#include "testutil.h"

typedef HPDF_UINT16 (*glyph_fn)(HPDF_FontDef, HPDF_UINT16);
typedef HPDF_BYTE *(*memcpy_fn)(HPDF_BYTE *, const HPDF_BYTE *, HPDF_UINT);
typedef void *(*memset_fn)(void *, HPDF_BYTE, HPDF_UINT);

/* Every code point of the BMP: the program's glyph lookup against libharu's, in one face. */
static void check_face(glyph_fn lib, const srdi_face_file *ff, const char *what)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    CHECK(pdf != NULL);
    if (!pdf) return;
    HPDF_UseUTFEncodings(pdf);
    size_t n = strlen(ff->path);
    const char *name = n > 4 && strcmp(ff->path + n - 4, ".ttc") == 0
                           ? HPDF_LoadTTFontFromFile2(pdf, ff->path, (HPDF_UINT)ff->index, HPDF_TRUE)
                           : HPDF_LoadTTFontFromFile(pdf, ff->path, HPDF_TRUE);
    HPDF_FontDef def = name ? HPDF_GetFontDef(pdf, name) : NULL;
    CHECK(def != NULL);
    if (def) {
        long differ = 0, mapped = 0;
        for (uint32_t u = 0; u <= 0xFFFF; u++) {
            HPDF_UINT16 mine = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u), theirs = lib(def, (HPDF_UINT16)u);
            if (mine != theirs && differ++ < 3)
                fprintf(stderr, "%s: U+%04X: glyph %u, libharu %u\n", what, (unsigned)u, mine, theirs);
            mapped += theirs != 0;
        }
        CHECK_INT(differ, 0);
        CHECK(mapped > 90); /* the face maps at least printable ASCII: the comparison saw glyphs */
        /* in a scattered order too: the segment remembered from the lookup before must not answer */
        uint32_t u = 12345;
        for (int k = 0; k < 200000; k++) {
            u = (u * 1103515245u + 12345u) & 0x7FFFFFFFu;
            HPDF_UINT16 c = (HPDF_UINT16)(k % 3 == 0 ? (u >> 8) & 0xFFFF : (u >> 8) & 0x7F); /* often ASCII next to CJK */
            if (HPDF_TTFontDef_GetGlyphid(def, c) != lib(def, c) && differ++ < 3)
                fprintf(stderr, "%s: U+%04X after a jump: glyph differs\n", what, (unsigned)c);
        }
        CHECK_INT(differ, 0);
    }
    HPDF_Free(pdf);
}

static void test_glyph_lookup(const srdi_fonts *f)
{
    glyph_fn lib = (glyph_fn)dlsym(RTLD_NEXT, "HPDF_TTFontDef_GetGlyphid");
    CHECK(lib != NULL);
    CHECK(lib != HPDF_TTFontDef_GetGlyphid); /* libharu's, not the program's */
    if (!lib || lib == HPDF_TTFontDef_GetGlyphid) return;
    static const struct {
        srdi_font_family fam;
        srdi_face_slot slot;
        const char *what;
    } faces[] = {{SRDI_FONT_SANS, SRDI_FACE_CJK, "sans CJK"},
                 {SRDI_FONT_SANS, SRDI_FACE_LATIN, "sans Latin"},
                 {SRDI_FONT_SERIF, SRDI_FACE_CJK, "serif CJK"},
                 {SRDI_FONT_SERIF, SRDI_FACE_LATIN, "serif Latin"}};
    for (size_t i = 0; i < sizeof faces / sizeof faces[0]; i++) {
        const srdi_face_file *ff = srdi_fonts_face(f, faces[i].fam, faces[i].slot);
        CHECK(ff && ff->path);
        if (ff && ff->path) check_face(lib, ff, faces[i].what);
    }
}

typedef char *(*ftoa_fn)(char *, HPDF_REAL, char *);

/* One number through the program's HPDF_FToA and libharu's, into buffers of the same garbage: false when they differ. */
static bool ftoa_same(ftoa_fn lib, HPDF_REAL v, int room)
{
    char a[64], b[64];
    memset(a, 'x', sizeof a);
    memset(b, 'x', sizeof b);
    char *ea = HPDF_FToA(a + 2, v, a + 2 + room), *eb = lib(b + 2, v, b + 2 + room);
    return ea - a == eb - b && memcmp(a, b, sizeof a) == 0;
}

/*
 * HPDF_FToA against libharu's: the bytes written (the NULs over trimmed
 * zeros too) and the end returned, for a dense grid of hundredths and
 * thousandths, two million values of random bits, and the edges (the clamp
 * at +-32767, signed zeros, values that round up to the next integer,
 * infinities, NaN, a room shorter than the longest number).
 */
static void test_ftoa(void)
{
    ftoa_fn lib = (ftoa_fn)dlsym(RTLD_NEXT, "HPDF_FToA");
    CHECK(lib != NULL && lib != HPDF_FToA);
    if (!lib || lib == HPDF_FToA) return;
    long bad = 0;
    for (long k = -3400000; k <= 3400000; k += 3) bad += !ftoa_same(lib, (HPDF_REAL)k / 100.0f, 40);
    for (long k = -40000000; k <= 40000000; k += 997) bad += !ftoa_same(lib, (HPDF_REAL)((double)k / 1000.0), 40);
    uint32_t seed = 99;
    for (int i = 0; i < 2000000; i++) {
        seed = seed * 1664525u + 1013904223u;
        uint32_t bits = seed;
        HPDF_REAL v;
        memcpy(&v, &bits, sizeof v);
        bad += !ftoa_same(lib, v, 40);
    }
    static const float edge[] = {0.0f, -0.0f, 1e-6f, 4.9e-6f, 5e-6f, 5.1e-6f, 0.99999f, 0.999995f, 0.9999951f,
                                 1.0f, 2.999999f, 9.999996f, 32766.99999f, 32767.0f, 32767.001f, 32768.0f,
                                 -32767.0f, -32767.001f, -40000.0f, 1e30f, -1e30f, 1e-40f, -1e-40f, 595.276f,
                                 841.89f, -0.5f, 0.1f, 12345.678f};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (int room = 0; room <= 14; room++) bad += !ftoa_same(lib, edge[i], room);
    bad += !ftoa_same(lib, (HPDF_REAL)INFINITY, 40) + !ftoa_same(lib, (HPDF_REAL)-INFINITY, 40);
    bad += !ftoa_same(lib, (HPDF_REAL)NAN, 40);
    CHECK_INT(bad, 0);
}

typedef HPDF_UINT (*strlen_fn)(const char *, HPDF_INT);

/* Copies and fills, overlapping ones included: same bytes, same return value; string lengths, limited or not. */
static void test_mem_helpers(void)
{
    strlen_fn lib_len = (strlen_fn)dlsym(RTLD_NEXT, "HPDF_StrLen");
    CHECK(lib_len != NULL && lib_len != HPDF_StrLen);
    static const char *const strs[] = {NULL, "", "q", "0 0 1 rg", "专精特新 Tj"};
    static const HPDF_INT lims[] = {-1, 0, 1, 3, 8, 100, -100};
    for (size_t i = 0; lib_len && lib_len != HPDF_StrLen && i < sizeof strs / sizeof strs[0]; i++)
        for (size_t k = 0; k < sizeof lims / sizeof lims[0]; k++) CHECK_INT((long)HPDF_StrLen(strs[i], lims[k]), (long)lib_len(strs[i], lims[k]));
    memcpy_fn lib_cpy = (memcpy_fn)dlsym(RTLD_NEXT, "HPDF_MemCpy");
    memset_fn lib_set = (memset_fn)dlsym(RTLD_NEXT, "HPDF_MemSet");
    CHECK(lib_cpy != NULL && lib_cpy != HPDF_MemCpy);
    CHECK(lib_set != NULL && lib_set != HPDF_MemSet);
    if (!lib_cpy || !lib_set || lib_cpy == HPDF_MemCpy || lib_set == HPDF_MemSet) return;
    static const struct {
        int out, in, n;
    } cases[] = {{0, 40, 17}, {40, 0, 17}, {3, 0, 20}, {0, 3, 20}, {5, 5, 9}, {7, 9, 0}, {1, 0, 63},
                 {10, 30, 2}, {1, 0, 8}, {0, 1, 8}, {9, 2, 8}, {4, 4, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        HPDF_BYTE a[64], b[64];
        for (int i = 0; i < 64; i++) a[i] = b[i] = (HPDF_BYTE)(i * 7 + 1);
        HPDF_BYTE *ra = HPDF_MemCpy(a + cases[c].out, a + cases[c].in, (HPDF_UINT)cases[c].n);
        HPDF_BYTE *rb = lib_cpy(b + cases[c].out, b + cases[c].in, (HPDF_UINT)cases[c].n);
        CHECK_INT(ra - a, rb - b);
        CHECK(memcmp(a, b, sizeof a) == 0);
        HPDF_BYTE *sa = HPDF_MemSet(a + cases[c].in, 0xA5, (HPDF_UINT)cases[c].n);
        HPDF_BYTE *sb = lib_set(b + cases[c].in, 0xA5, (HPDF_UINT)cases[c].n);
        CHECK_INT(sa - a, sb - b);
        CHECK(memcmp(a, b, sizeof a) == 0);
    }
}

typedef HPDF_STATUS (*list_add_fn)(HPDF_List, void *);

/* The program's HPDF_List_Add (growing by the list's size) against libharu's (by 20 slots): the same
   items in the same order, and libharu's own HPDF_List_Insert / HPDF_List_Clear still work on it. */
static void test_list_add(void)
{
    list_add_fn lib_add = (list_add_fn)dlsym(RTLD_NEXT, "HPDF_List_Add");
    CHECK(lib_add != NULL && lib_add != HPDF_List_Add);
    if (!lib_add || lib_add == HPDF_List_Add) return;
    HPDF_Error_Rec err;
    HPDF_Error_Init(&err, NULL);
    HPDF_MMgr mm = HPDF_MMgr_New(&err, 0, NULL, NULL);
    CHECK(mm != NULL);
    if (!mm) return;
    HPDF_List mine = HPDF_List_New(mm, 20), theirs = HPDF_List_New(mm, 20);
    CHECK(mine && theirs);
    static int items[5001];
    for (int i = 0; mine && theirs && i < 5000; i++) {
        CHECK_INT(HPDF_List_Add(mine, &items[i]), HPDF_OK);
        CHECK_INT(lib_add(theirs, &items[i]), HPDF_OK);
    }
    if (mine && theirs) {
        CHECK_INT(mine->count, 5000);
        CHECK_INT(theirs->count, 5000);
        CHECK(mine->block_siz >= mine->count && mine->block_siz < 2 * 5000 + 20);
        CHECK(memcmp(mine->obj, theirs->obj, 5000 * sizeof(void *)) == 0);
        /* libharu's insert before item 7, then remove it, on the list grown here */
        CHECK_INT(HPDF_List_Insert(mine, &items[7], &items[5000]), HPDF_OK);
        CHECK(HPDF_List_ItemAt(mine, 7) == &items[5000] && HPDF_List_ItemAt(mine, 8) == &items[7]);
        CHECK(HPDF_List_ItemAt(mine, 5000) == &items[4999]);
        CHECK(HPDF_List_RemoveByIndex(mine, 7) == &items[5000]);
        CHECK(memcmp(mine->obj, theirs->obj, 5000 * sizeof(void *)) == 0);
        HPDF_List_Clear(mine);
        CHECK_INT(mine->count, 0);
        CHECK_INT(HPDF_List_Add(mine, &items[1]), HPDF_OK);
        CHECK(HPDF_List_ItemAt(mine, 0) == &items[1]);
    }
    HPDF_List_Free(mine);
    HPDF_List_Free(theirs);
    HPDF_MMgr_Free(mm);
}

/*
 * HPDF_MemStream_WriteFunc (hpdf.c copies what fits in a memory stream's
 * buffer itself): writes of 0 to 100 bytes into a stream of 64-byte buffers
 * leave the bytes and buffers libharu's own function leaves in another; the
 * streams libharu makes call the one here.
 */
typedef HPDF_STATUS (*mem_write_fn)(HPDF_Stream, const HPDF_BYTE *, HPDF_UINT);
HPDF_STATUS HPDF_MemStream_WriteFunc(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz); /* libharu's, no header */

static void test_mem_stream_write(void)
{
    mem_write_fn lib_write = (mem_write_fn)dlsym(RTLD_NEXT, "HPDF_MemStream_WriteFunc");
    CHECK(lib_write != NULL && lib_write != HPDF_MemStream_WriteFunc);
    if (!lib_write || lib_write == HPDF_MemStream_WriteFunc) return;
    HPDF_Error_Rec err;
    HPDF_Error_Init(&err, NULL);
    HPDF_MMgr mm = HPDF_MMgr_New(&err, 0, NULL, NULL);
    CHECK(mm != NULL);
    if (!mm) return;
    HPDF_Stream mine = HPDF_MemStream_New(mm, 64), theirs = HPDF_MemStream_New(mm, 64);
    CHECK(mine && theirs && mine->write_fn == HPDF_MemStream_WriteFunc);
    unsigned char bytes[100];
    for (int i = 0; i < 100; i++) bytes[i] = (unsigned char)(i * 37 + 11);
    size_t before = srdi_canvas_hpdf_mem_writes();
    uint32_t seed = 7;
    for (int k = 0; mine && theirs && k < 400; k++) {
        seed = seed * 1103515245u + 12345u;
        HPDF_UINT n = (seed >> 16) % 101; /* 0 .. 100: within a buffer, across one, across two */
        CHECK_INT(HPDF_Stream_Write(mine, bytes, n), HPDF_OK);
        CHECK_INT(lib_write(theirs, bytes, n), HPDF_OK);
        theirs->size += n; /* as HPDF_Stream_Write counts */
    }
    CHECK(srdi_canvas_hpdf_mem_writes() > before);
    if (mine && theirs) {
        CHECK_INT((long)mine->size, (long)theirs->size);
        CHECK_INT((long)HPDF_MemStream_GetBufCount(mine), (long)HPDF_MemStream_GetBufCount(theirs));
        for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(mine) && i < HPDF_MemStream_GetBufCount(theirs); i++) {
            HPDF_UINT a = 0, b = 0;
            const HPDF_BYTE *pa = HPDF_MemStream_GetBufPtr(mine, i, &a), *pb = HPDF_MemStream_GetBufPtr(theirs, i, &b);
            CHECK(pa && pb && a == b && memcmp(pa, pb, a) == 0);
        }
    }
    HPDF_Stream_Free(mine);
    HPDF_Stream_Free(theirs);
    HPDF_MMgr_Free(mm);
}

static bool write_all_faces; /* write_pdf_streams loads the four faces first (a kept document has them) */

/*
 * A few pages of CJK and Latin text and a filled shape into @p path, the
 * streams deflated by n - 1 helpers; with @p streams, taken from and kept in
 * that stream file (srdi_canvas_hpdf_set_streams).
 */
static char *write_pdf_streams(const srdi_fonts *f, int n, const char *path, const char *streams, size_t *len)
{
    srdi_canvas_hpdf_set_threads(n);
    srdi_pdf_info info = {.title = "测试", .epoch = 1700000000};
    srdi_canvas *c = srdi_canvas_hpdf_new(f, path, &info);
    CHECK(c != NULL);
    if (!c) return NULL;
    if (write_all_faces) CHECK_INT(srdi_canvas_hpdf_load_fonts(c), SRDI_OK); /* as the report does */
    CHECK_INT(srdi_canvas_hpdf_set_streams(c, streams, true), SRDI_OK);
    srdi_font body = {SRDI_FONT_SERIF, 10.5, false}, head = {SRDI_FONT_SANS, 16, true};
    srdi_rgba ink = {0.1, 0.1, 0.1, 1}, blue = {0.2, 0.4, 0.8, 1};
    for (int p = 0; p < 6; p++) {
        srdi_canvas_begin_page(c, 595.276, 841.89);
        char line[160];
        snprintf(line, sizeof line, "第%d章 专精特新企业 Chapter %d", p + 1, p + 1);
        srdi_canvas_text(c, head, 72, 80, line, ink);
        for (int k = 0; k < 40; k++) {
            snprintf(line, sizeof line, "第%d行：全国专精特新“小巨人”企业 %d 家，营业收入同比增长 %d.%d%%。", k, 1000 + p * 37 + k,
                     k % 17, (p * k) % 10);
            srdi_canvas_text(c, body, 72, 110 + 16 * k, line, ink);
        }
        srdi_canvas_rect(c, 72, 760, 100 + 50 * p, 20);
        srdi_canvas_fill(c, blue);
        srdi_canvas_end_page(c);
    }
    CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    srdi_canvas_free(c);
    srdi_canvas_hpdf_set_threads(1);
    return testutil_read_file(path, len);
}

static char *write_pdf(const srdi_fonts *f, int n, const char *path, size_t *len)
{
    return write_pdf_streams(f, n, path, NULL, len);
}

/*
 * The streams a PDF deflated, kept in its stream file: the next PDF writes
 * every stream from the file, the same bytes as a PDF written without one,
 * on one thread or three; a damaged file is no file (every stream deflated
 * again, the same bytes).
 */
static void test_stream_file(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf_streams");
    char plain[4096], kept[4096], zs[4096];
    snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
    snprintf(kept, sizeof kept, "%s/kept.pdf", dir);
    snprintf(zs, sizeof zs, "%s/streams", dir);
    size_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    char *p0 = write_pdf(f, 1, plain, &n0);
    size_t reused = srdi_canvas_hpdf_streams_reused();
    char *p1 = write_pdf_streams(f, 1, kept, zs, &n1); /* no file yet: every stream deflated, then kept */
    CHECK(srdi_canvas_hpdf_streams_reused() == reused);
    size_t zlen = 0;
    char *z = testutil_read_file(zs, &zlen);
    CHECK(z && zlen > 1000);
    char *p2 = write_pdf_streams(f, 3, kept, zs, &n2); /* the six pages and four faces from the file */
    CHECK(srdi_canvas_hpdf_streams_reused() >= reused + 10);
    CHECK(p0 && p1 && p2 && n0 == n1 && n0 == n2 && memcmp(p0, p1, n0) == 0 && memcmp(p0, p2, n0) == 0);
    /* one byte of a deflated stream changed: the file's check fails, nothing is taken from it */
    CHECK_INT(testutil_flip_byte(zs, (long)zlen / 2, 0x5A), 0);
    reused = srdi_canvas_hpdf_streams_reused();
    char *p3 = write_pdf_streams(f, 1, kept, zs, &n3);
    CHECK(srdi_canvas_hpdf_streams_reused() == reused);
    CHECK(p0 && p3 && n0 == n3 && memcmp(p0, p3, n0) == 0);
    free(p0);
    free(p1);
    free(p2);
    free(p3);
    free(z);
}

/* The inode of @p path (0: none): the file was written again when it changes (written whole, renamed into place). */
static unsigned long long inode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (unsigned long long)sb.st_ino : 0;
}

/*
 * The reads of the faces a PDF asked, kept beside its stream file
 * (OUT/.srdi-faces): the next PDF takes them from there instead of the face
 * files, with the bytes of a PDF written without; asking the same reads, it
 * leaves the file as it was; a damaged file is no file (every read from the
 * faces, the same bytes, the file written again).
 */
static void test_face_file(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf_faces");
    char plain[4096], kept[4096], zs[4096], fr[4096];
    snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
    snprintf(kept, sizeof kept, "%s/kept.pdf", dir);
    snprintf(zs, sizeof zs, "%s/.srdi-streams", dir);
    snprintf(fr, sizeof fr, "%s/.srdi-faces", dir);
    size_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    char *p0 = write_pdf(f, 1, plain, &n0);
    CHECK(inode_of(fr) == 0); /* no stream file: no face file either */
    size_t hits = srdi_canvas_hpdf_face_reads_reused();
    char *p1 = write_pdf_streams(f, 1, kept, zs, &n1); /* no file yet: every read from the faces, then kept */
    CHECK(srdi_canvas_hpdf_face_reads_reused() == hits);
    size_t flen = 0;
    char *fb = testutil_read_file(fr, &flen);
    CHECK(fb && flen > 1000);
    unsigned long long ino = inode_of(fr);
    char *p2 = write_pdf_streams(f, 1, kept, zs, &n2); /* every read from the file */
    size_t taken = srdi_canvas_hpdf_face_reads_reused() - hits;
    CHECK(taken >= 100);
    CHECK(inode_of(fr) == ino); /* the same reads: not written again */
    CHECK(p0 && p1 && p2 && n0 == n1 && n0 == n2 && memcmp(p0, p1, n0) == 0 && memcmp(p0, p2, n0) == 0);
    /* one byte of a kept read changed: the file's check fails, nothing is taken from it */
    CHECK_INT(testutil_flip_byte(fr, (long)flen / 2, 0x5A), 0);
    hits = srdi_canvas_hpdf_face_reads_reused();
    char *p3 = write_pdf_streams(f, 1, kept, zs, &n3);
    CHECK(srdi_canvas_hpdf_face_reads_reused() == hits);
    CHECK(p0 && p3 && n0 == n3 && memcmp(p0, p3, n0) == 0);
    CHECK(inode_of(fr) != ino); /* written again, whole */
    hits = srdi_canvas_hpdf_face_reads_reused();
    free(p3);
    p3 = write_pdf_streams(f, 1, kept, zs, &n3);
    CHECK(srdi_canvas_hpdf_face_reads_reused() - hits == taken); /* and read whole again */
    CHECK(p0 && p3 && n0 == n3 && memcmp(p0, p3, n0) == 0);
    free(p0);
    free(p1);
    free(p2);
    free(p3);
    free(fb);
}

/* Copy the file @p from to @p to (written aside and renamed: a new file). */
static void copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *b = testutil_read_file(from, &n), tmp[4200];
    CHECK(b != NULL);
    snprintf(tmp, sizeof tmp, "%s.new", to);
    CHECK(b && testutil_write_file(tmp, b, n) == 0);
    CHECK(rename(tmp, to) == 0);
    free(b);
}

/*
 * A face file replaced by another face at the same path: its reads kept
 * are never taken (they are of another file), while the faces that stayed
 * are still read from the face file — the PDF has the bytes of one written
 * without a face file from the new face.
 */
static void test_face_file_replaced(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf_faces_replaced");
    char manifest[4096], latin[4096], a[4096], b[4096], plain[4096], zs[4096];
    snprintf(manifest, sizeof manifest, "%s/manifest.ini", dir);
    snprintf(latin, sizeof latin, "%s/latin.ttf", dir);
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
    snprintf(zs, sizeof zs, "%s/.srdi-streams", dir);
    const srdi_face_file *sc = srdi_fonts_face(f, SRDI_FONT_SANS, SRDI_FACE_CJK),
                         *sl = srdi_fonts_face(f, SRDI_FONT_SANS, SRDI_FACE_LATIN),
                         *rc = srdi_fonts_face(f, SRDI_FONT_SERIF, SRDI_FACE_CJK),
                         *rl = srdi_fonts_face(f, SRDI_FONT_SERIF, SRDI_FACE_LATIN);
    CHECK(sc && sl && rc && rl && strcmp(sl->path, rl->path) != 0);
    if (!sc || !sl || !rc || !rl) return;
    char ini[8192];
    int k = snprintf(ini, sizeof ini,
                     "[sans.cjk]\nname = a\nfiles = %s\nindex = %d\npackage = p\nlicense = l\nsynth_bold = true\n"
                     "[sans.latin]\nname = b\nfiles = latin.ttf\nindex = 0\npackage = p\nlicense = l\nsynth_bold = true\n"
                     "[serif.cjk]\nname = c\nfiles = %s\nindex = %d\npackage = p\nlicense = l\nsynth_bold = true\n"
                     "[serif.latin]\nname = d\nfiles = %s\nindex = %d\npackage = p\nlicense = l\nsynth_bold = true\n",
                     sc->path, sc->index, rc->path, rc->index, rl->path, rl->index);
    CHECK(k > 0 && (size_t)k < sizeof ini && testutil_write_file(manifest, ini, (size_t)k) == 0);
    copy_file(sl->path, latin); /* the sans Latin face, a copy of its own */
    srdi_fonts *g = NULL;
    CHECK_INT(srdi_fonts_load(dir, &g), SRDI_OK);
    size_t n = 0;
    free(g ? write_pdf_streams(g, 1, a, zs, &n) : NULL); /* the face file made */
    srdi_fonts_free(g);
    copy_file(rl->path, latin); /* now another face at that path */
    g = NULL;
    CHECK_INT(srdi_fonts_load(dir, &g), SRDI_OK);
    size_t n0 = 0, n1 = 0;
    char *p0 = g ? write_pdf(g, 1, plain, &n0) : NULL; /* no face file */
    size_t hits = srdi_canvas_hpdf_face_reads_reused();
    char *p1 = g ? write_pdf_streams(g, 1, b, zs, &n1) : NULL;
    CHECK(srdi_canvas_hpdf_face_reads_reused() > hits); /* the CJK faces' reads from the face file */
    CHECK(p0 && p1 && n0 == n1 && memcmp(p0, p1, n0) == 0); /* the new face's, none of the old one's */
    free(p0);
    free(p1);
    srdi_fonts_free(g);
}

/*
 * While documents are kept (a split's PDFs), a stream of at least 1 KB that
 * an earlier PDF of the process deflated is written from its bytes: the
 * second of two PDFs takes its faces' code-to-glyph and ToUnicode maps (four
 * faces), its subsets and pages from the first, and both have the bytes of
 * a PDF written without; once documents are no longer kept, nothing is taken.
 * Likewise the faces' width arrays: the second PDF writes the four from the
 * bytes the first one's made (srdi_canvas_hpdf_widths_shared).
 */
static void test_run_streams(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf_run");
    char plain[4096], a[4096], b[4096];
    snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    size_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    write_all_faces = true;
    char *p0 = write_pdf(f, 1, plain, &n0);
    size_t shared = srdi_canvas_hpdf_streams_shared(), widths = srdi_canvas_hpdf_widths_shared();
    CHECK_INT((long)shared, 0); /* documents not kept: nothing */
    CHECK_INT((long)widths, 0);
    srdi_canvas_hpdf_keep_docs(true);
    char *p1 = write_pdf(f, 1, a, &n1);
    /* the first PDF: its four faces' ToUnicode maps are the same bytes, deflated once */
    CHECK_INT((long)(srdi_canvas_hpdf_streams_shared() - shared), 3);
    CHECK_INT((long)srdi_canvas_hpdf_widths_shared(), 0); /* its faces' width arrays made as libharu makes them */
    shared = srdi_canvas_hpdf_streams_shared();
    char *p2 = write_pdf(f, 3, b, &n2); /* with helpers, too */
    /* four code-to-glyph and ToUnicode maps, four subsets, six pages */
    CHECK_INT((long)(srdi_canvas_hpdf_streams_shared() - shared), 8 + 4 + 6);
    CHECK_INT((long)srdi_canvas_hpdf_widths_shared(), 4); /* the four faces' width arrays: the first PDF's bytes */
    srdi_canvas_hpdf_keep_docs(false);
    srdi_canvas_hpdf_preload_drop();
    shared = srdi_canvas_hpdf_streams_shared();
    char *p3 = write_pdf(f, 1, b, &n3);
    CHECK(srdi_canvas_hpdf_streams_shared() == shared);
    CHECK_INT((long)srdi_canvas_hpdf_widths_shared(), 4);
    write_all_faces = false;
    CHECK(p0 && p1 && p2 && p3 && n0 == n1 && n0 == n2 && n0 == n3);
    CHECK(p0 && p1 && p2 && p3 && memcmp(p0, p1, n0) == 0 && memcmp(p0, p2, n0) == 0 && memcmp(p0, p3, n0) == 0);
    free(p0);
    free(p1);
    free(p2);
    free(p3);
}

/*
 * The document a split makes ahead (srdi_canvas_hpdf_preload) while
 * documents are kept is emptied and given its faces again before it is
 * taken, as a kept one is: the first PDF writes its four faces' width
 * arrays from the bytes kept then, and has the bytes of a PDF made afresh;
 * without documents kept the preload does not do so.
 */
static void test_preload_kept(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf_preload");
    char plain[4096], a[4096];
    snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    size_t n0 = 0, n1 = 0, n2 = 0;
    write_all_faces = true;
    char *p0 = write_pdf(f, 1, plain, &n0);
    size_t widths = srdi_canvas_hpdf_widths_shared();
    CHECK_INT(srdi_canvas_hpdf_preload(f), SRDI_OK); /* not kept: as it was */
    char *p1 = write_pdf(f, 1, a, &n1);
    CHECK(srdi_canvas_hpdf_widths_shared() == widths);
    srdi_canvas_hpdf_keep_docs(true);
    CHECK_INT(srdi_canvas_hpdf_preload(f), SRDI_OK);
    char *p2 = write_pdf(f, 1, a, &n2);
    CHECK_INT((long)(srdi_canvas_hpdf_widths_shared() - widths), 4);
    srdi_canvas_hpdf_keep_docs(false);
    srdi_canvas_hpdf_preload_drop();
    write_all_faces = false;
    CHECK(p0 && p1 && p2 && n0 == n1 && n0 == n2 && memcmp(p0, p1, n0) == 0 && memcmp(p0, p2, n0) == 0);
    free(p0);
    free(p1);
    free(p2);
}

/* Six pages of CJK text into @p path: srdi_canvas_finish's status. */
static srdi_status write_text_pdf(const srdi_fonts *f, const char *path)
{
    srdi_pdf_info info = {.title = "测试", .epoch = 1700000000};
    srdi_canvas *c = srdi_canvas_hpdf_new(f, path, &info);
    CHECK(c != NULL);
    if (!c) return SRDI_ERR_NOMEM;
    srdi_font body = {SRDI_FONT_SERIF, 10.5, false};
    srdi_rgba ink = {0.1, 0.1, 0.1, 1};
    for (int pg = 0; pg < 6; pg++) {
        srdi_canvas_begin_page(c, 595.276, 841.89);
        char line[160];
        for (int i = 0; i < 40; i++) {
            snprintf(line, sizeof line, "第%d行：全国专精特新“小巨人”企业 %d 家，营业收入同比增长 %d.%d%%。", i,
                     1000 + pg * 37 + i, i % 17, (pg * i) % 10);
            srdi_canvas_text(c, body, 72, 110 + 16 * i, line, ink);
        }
        srdi_canvas_end_page(c);
    }
    srdi_status st = srdi_canvas_finish(c);
    srdi_canvas_free(c);
    return st;
}

/*
 * A PDF whose last bytes cannot be written (the file size limit 10 bytes
 * short of it: only the flush before the file is closed fails) is an I/O
 * error and no file, not a PDF cut short; so is one cut in the middle.
 */
static void test_write_fails(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf_full");
    char ok[4096], cut[4096];
    snprintf(ok, sizeof ok, "%s/ok.pdf", dir);
    snprintf(cut, sizeof cut, "%s/cut.pdf", dir);
    CHECK_INT(write_text_pdf(f, ok), SRDI_OK);
    struct stat st;
    CHECK(stat(ok, &st) == 0 && st.st_size > 100000);
    struct rlimit old;
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN); /* a write past the limit fails (EFBIG) */
    const rlim_t limits[2] = {(rlim_t)st.st_size - 10, (rlim_t)st.st_size / 2};
    for (int k = 0; k < 2; k++) {
        struct rlimit lim = {limits[k], old.rlim_max};
        CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
        CHECK_INT(write_text_pdf(f, cut), SRDI_ERR_IO);
        CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
        char want[4300];
        snprintf(want, sizeof want, "%s: cannot write the PDF: File too large", cut);
        CHECK_STR(srdi_error_message(), want);
        CHECK(stat(cut, &st) != 0); /* no file */
    }
    signal(SIGXFSZ, prev);
}

static void test_helper_threads(const srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_hpdf");
    char p1[4096], p3[4096];
    snprintf(p1, sizeof p1, "%s/one.pdf", dir);
    snprintf(p3, sizeof p3, "%s/three.pdf", dir);
    size_t n1 = 0, n3 = 0;
    size_t helped = srdi_canvas_hpdf_streams_helped();
    char *one = write_pdf(f, 1, p1, &n1);
    CHECK(srdi_canvas_hpdf_streams_helped() == helped); /* one thread: libharu deflates every stream */
    char *three = write_pdf(f, 3, p3, &n3);
    /* six pages and four faces: most are deflated by the two helpers while the first pages are written */
    CHECK(srdi_canvas_hpdf_streams_helped() > helped);
    CHECK(one && three && n1 > 10000);
    CHECK_INT((long)n3, (long)n1);
    CHECK(one && three && n1 == n3 && memcmp(one, three, n1) == 0);
    free(one);
    free(three);
}

/* The descriptors of this process open on the file @p path. */
static int fds_on(const char *path)
{
    struct stat want;
    if (stat(path, &want) != 0) return -1;
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        struct stat sb;
        char *end;
        long fd = strtol(de->d_name, &end, 10);
        if (*end || end == de->d_name || fd == dirfd(d)) continue;
        if (fstat((int)fd, &sb) == 0 && sb.st_dev == want.st_dev && sb.st_ino == want.st_ino) n++;
    }
    closedir(d);
    return n;
}

/*
 * The PDFs of a split (srdi_canvas_hpdf_keep_docs) read their embedded faces
 * from a mapping of their files, not through libharu's FILE streams (a seek
 * and a read for every glyph checked or copied into a subset): once the faces
 * are loaded, no descriptor of a face file stays open.  One PDF alone keeps
 * libharu's reader (the mapping's pages would add to its peak of memory).
 */
static void test_faces_mapped(const srdi_fonts *f)
{
    const srdi_face_file *ff = srdi_fonts_face(f, SRDI_FONT_SANS, SRDI_FACE_CJK);
    CHECK(ff && ff->path);
    if (!ff || !ff->path) return;
    srdi_canvas *c = srdi_canvas_hpdf_new(f, "/nonexistent/x.pdf", NULL);
    CHECK(c != NULL);
    if (!c) return;
    CHECK_INT(srdi_canvas_hpdf_load_fonts(c), SRDI_OK);
    CHECK_INT(fds_on(ff->path), 1); /* one PDF: libharu's reader, open until the document is freed */
    srdi_canvas_free(c);
    srdi_canvas_hpdf_keep_docs(true);
    c = srdi_canvas_hpdf_new(f, "/nonexistent/x.pdf", NULL);
    CHECK(c != NULL);
    if (!c) return;
    CHECK_INT(srdi_canvas_hpdf_load_fonts(c), SRDI_OK);
    CHECK_INT(fds_on(ff->path), 0); /* read from the mapping: the file is closed */
    srdi_canvas_free(c); /* no page drawn: not kept */
    srdi_canvas_hpdf_keep_docs(false);
    srdi_canvas_hpdf_preload_drop();
}

int main(void)
{
    srdi_fonts *f = NULL;
    srdi_status st = srdi_fonts_load(testutil_src("fonts"), &f);
    CHECK_INT(st, SRDI_OK);
    if (st != SRDI_OK) {
        fprintf(stderr, "%s\n", srdi_error_message());
        return testutil_finish();
    }
    /* the program's PDF backend is linked in (its file defines the helpers) */
    srdi_canvas *c = srdi_canvas_hpdf_new(f, "", NULL);
    CHECK(c != NULL);
    srdi_canvas_free(c);
    test_glyph_lookup(f);
    test_mem_helpers();
    test_ftoa();
    test_list_add();
    test_mem_stream_write();
    test_helper_threads(f);
    test_stream_file(f);
    test_face_file(f);
    test_face_file_replaced(f);
    test_run_streams(f);
    test_preload_kept(f);
    test_write_fails(f);
    test_faces_mapped(f);
    srdi_fonts_free(f);
    return testutil_finish();
}
