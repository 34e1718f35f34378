/*
 * tests/test_canvas.c — fonts (manifest, missing-font message, widths,
 * segments), the generic canvas (text boxes, alignment, sticky status) and
 * the cairo backend (PNG pixels, SVG well-formed, PDF pages, atomic output)
 * and the PNG writer (lossless round trip, chunk layout, write errors);
 * synthetic bold copied in from kept pixels: the bytes drawn afresh.
 */
#include <stdio.h>
#include <zlib.h>
#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <math.h>

#include "../src/canvas/canvas_private.h"
#include "srdi/canvas.h"
#include "srdi/fonts.h"
#include "srdi/util.h"
#include "testutil.h"

static const srdi_rgba BLACK = {0, 0, 0, 1};
static const srdi_rgba RED = {1, 0, 0, 1};

/* Segment collector. */
typedef struct segs {
    int n;
    srdi_face_slot slot[8];
    size_t len[8];
    double adv[8];
} segs;
static void collect(void *ud, srdi_face_slot slot, const char *s, size_t len, double adv)
{
    (void)s;
    segs *g = ud;
    if (g->n < 8) {
        g->slot[g->n] = slot;
        g->len[g->n] = len;
        g->adv[g->n] = adv;
    }
    g->n++;
}

static void test_fonts(srdi_fonts *f)
{
    srdi_font sans = {SRDI_FONT_SANS, 10, false};
    srdi_font serif = {SRDI_FONT_SERIF, 12, false};
    /* Liberation Sans: 'A' advance 1366 of 2048 units. */
    CHECK_NUM(srdi_text_width(f, sans, "A", 1), 10.0 * 1366 / 2048, 1e-9);
    /* Zen Hei ideographs are one em wide. */
    CHECK_NUM(srdi_text_width(f, sans, "中", 3), 10.0, 1e-9);
    CHECK_NUM(srdi_text_width(f, sans, "A中", 4), 10.0 + 10.0 * 1366 / 2048, 1e-9);
    /* Liberation Serif digits: 1024 of 2048 → 6 pt at 12 pt. */
    CHECK_NUM(srdi_text_width(f, serif, "2026", 4), 24.0, 1e-9);
    CHECK_NUM(srdi_text_width(f, serif, "年", 3), 12.0, 1e-9);
    CHECK_NUM(srdi_text_width(f, sans, "", 0), 0.0, 0);

    segs g = {0};
    double total = srdi_fonts_segments(f, sans, "ab中文cd", strlen("ab中文cd"), collect, &g);
    CHECK_INT(g.n, 3);
    CHECK_INT(g.slot[0], SRDI_FACE_LATIN);
    CHECK_INT(g.len[0], 2);
    CHECK_INT(g.slot[1], SRDI_FACE_CJK);
    CHECK_INT(g.len[1], 6);
    CHECK_NUM(g.adv[1], 20.0, 1e-9);
    CHECK_INT(g.slot[2], SRDI_FACE_LATIN);
    CHECK_INT(g.len[2], 2);
    CHECK_NUM(total, g.adv[0] + g.adv[1] + g.adv[2], 1e-9);

    /* Full-width punctuation goes to the CJK face. */
    memset(&g, 0, sizeof g);
    srdi_fonts_segments(f, sans, "（%）", strlen("（%）"), collect, &g);
    CHECK_INT(g.n, 3);
    CHECK_INT(g.slot[0], SRDI_FACE_CJK);
    CHECK_INT(g.slot[1], SRDI_FACE_LATIN);

    /* Chinese quotation marks take a full em in every face: Zen Hei draws
       “ (U+201C) 340 and ‘ (U+2018) 227 of 1024 units wide, set in an em;
       UMing draws them an em wide already. */
    CHECK_NUM(srdi_text_width(f, sans, "“", 3), 10.0, 1e-9);
    CHECK_NUM(srdi_text_width(f, sans, "’", 3), 10.0, 1e-9);
    CHECK_NUM(srdi_text_width(f, (srdi_font){SRDI_FONT_SANS, 10, true}, "“小巨人”", strlen("“小巨人”")), 50.0, 1e-9);
    CHECK_NUM(srdi_text_width(f, serif, "“年”", strlen("“年”")), 36.0, 1e-9);
    /* the glyph sits on the inner side of its em: an opening mark after an
       empty segment carrying the blank, a closing mark before one */
    memset(&g, 0, sizeof g);
    total = srdi_fonts_segments(f, sans, "中“中”", strlen("中“中”"), collect, &g);
    CHECK_NUM(total, 40.0, 1e-9);
    CHECK_INT(g.n, 6);
    CHECK_INT(g.len[0], 3);
    CHECK_NUM(g.adv[0], 10.0, 1e-9);
    CHECK_INT(g.len[1], 0);
    CHECK_NUM(g.adv[1], 10.0 - 10.0 * 340 / 1024, 1e-9);
    CHECK_INT(g.len[2], 3);
    CHECK_NUM(g.adv[2], 10.0 * 340 / 1024, 1e-9);
    CHECK_INT(g.len[3], 3);
    CHECK_INT(g.len[4], 3);
    CHECK_NUM(g.adv[4], 10.0 * 340 / 1024, 1e-9);
    CHECK_INT(g.len[5], 0);
    CHECK_NUM(g.adv[5], 10.0 - 10.0 * 340 / 1024, 1e-9);

    const srdi_face_file *ff = srdi_fonts_face(f, SRDI_FONT_SERIF, SRDI_FACE_CJK);
    CHECK_STR(ff->path, "/usr/share/fonts/truetype/arphic/uming.ttc");
    CHECK_INT(ff->index, 0);
    CHECK(ff->synth_bold);
    CHECK(srdi_fonts_ft_face(f, SRDI_FONT_SANS, SRDI_FACE_LATIN) != NULL);

    double a, d;
    srdi_font_extents(f, sans, &a, &d);
    CHECK(a > 7 && a < 12);
    CHECK(d > 1 && d < 4);

    /* the one UTF-8 decoder (util): invalid, truncated, overlong → -1, one byte consumed */
    size_t i = 0;
    CHECK_INT(srdi_utf8_decode("\xE4\xB8\xAD", 3, &i), 0x4E2D);
    CHECK_INT(i, 3);
    i = 0;
    CHECK_INT(srdi_utf8_decode("\xE4\xB8", 2, &i), -1);
    CHECK_INT(i, 1);
    i = 0;
    CHECK_INT(srdi_utf8_decode("\xC0\x80", 2, &i), -1);
    CHECK_INT(i, 1);
    i = 0;
    CHECK_INT(srdi_utf8_decode("\xED\xA0\x80", 3, &i), -1); /* a surrogate */
    /* the one wide-character table */
    CHECK(srdi_utf8_is_wide(0x4E2D) && srdi_utf8_is_wide(0xFF0C) && srdi_utf8_is_wide(0x3002));
    CHECK(!srdi_utf8_is_wide('A') && !srdi_utf8_is_wide(0x00E9));
}

static void test_missing_font(void)
{
    const char *dir = testutil_tmpdir("canvas_fonts");
    char path[1024];
    snprintf(path, sizeof path, "%s/manifest.ini", dir);
    const char *ini = "[sans.cjk]\nname = WenQuanYi Zen Hei\nfiles = /nonexistent/wqy-zenhei.ttc:rel/x.ttc\n"
                      "index = 0\npackage = fonts-wqy-zenhei\n";
    CHECK(testutil_write_file(path, ini, strlen(ini)) == 0);
    srdi_fonts *f = (srdi_fonts *)1;
    CHECK_INT(srdi_fonts_load(dir, &f), SRDI_ERR_FONT);
    CHECK(f == NULL);
    char expect[2048];
    snprintf(expect, sizeof expect,
             "font 'WenQuanYi Zen Hei' not found (looked in /nonexistent/wqy-zenhei.ttc, %s/rel/x.ttc); "
             "install the Debian package fonts-wqy-zenhei",
             dir);
    CHECK_STR(srdi_error_message(), expect);

    CHECK_INT(srdi_fonts_load("/nonexistent-dir", &f), SRDI_ERR_FONT);
    CHECK_STR(srdi_error_message(), "cannot read font manifest '/nonexistent-dir/manifest.ini'");
}

static void test_null_canvas(srdi_fonts *f)
{
    srdi_canvas *c = srdi_canvas_null_new(f);
    CHECK(c != NULL);
    CHECK_INT(srdi_canvas_begin_page(c, 200, 100), SRDI_OK);
    CHECK_INT(c->page, 0);
    srdi_canvas_record_boxes(c, true);
    srdi_font sans = {SRDI_FONT_SANS, 10, false};
    double a, d;
    srdi_font_extents(f, sans, &a, &d);
    double adv = srdi_canvas_text(c, sans, 10, 20, "中A", BLACK);
    CHECK_NUM(adv, 10.0 + 10.0 * 1366 / 2048, 1e-9);
    double w = srdi_canvas_text_aligned(c, sans, 100, 50, 1, "中文", BLACK);
    CHECK_NUM(w, 20.0, 1e-9);
    srdi_canvas_text_aligned(c, sans, 100, 80, 2, "中文", BLACK);
    srdi_canvas_text_vertical(c, sans, 50, 50, "占比", BLACK);
    CHECK_INT(c->nboxes, 4);
    if (c->nboxes == 4) {
        CHECK_NUM(c->boxes[0].x, 10, 1e-9);
        CHECK_NUM(c->boxes[0].y, 20 - a, 1e-9);
        CHECK_NUM(c->boxes[0].h, a + d, 1e-9);
        CHECK_NUM(c->boxes[0].w, adv, 1e-9);
        CHECK_STR(c->boxes[0].text, "中A");
        CHECK_NUM(c->boxes[1].x, 90, 1e-9);
        CHECK_NUM(c->boxes[2].x, 80, 1e-9);
        /* the vertical title is the line turned a quarter turn: one box
           a line high (a + d) across and 2 em long, centred on (50, 50) */
        CHECK_NUM(c->boxes[3].x, 50 - (a + d) / 2, 1e-9);
        CHECK_NUM(c->boxes[3].w, a + d, 1e-9);
        CHECK_NUM(c->boxes[3].h, 20, 1e-9);
        CHECK_NUM(c->boxes[3].y, 40, 1e-9);
        CHECK_STR(c->boxes[3].text, "占比");
    }
    srdi_canvas_arc(c, 50, 50, 10, 0, M_PI);
    CHECK_NUM(c->px, 40, 1e-9);
    CHECK_NUM(c->py, 50, 1e-6);
    srdi_canvas_fill(c, RED);
    CHECK(isnan(c->px));
    /* Bad page size puts the canvas in a sticky error state. */
    CHECK_INT(srdi_canvas_begin_page(c, 0, 10), SRDI_ERR_INTERNAL);
    CHECK_INT(srdi_canvas_finish(c), SRDI_ERR_INTERNAL);
    CHECK_INT(srdi_canvas_end_page(c), SRDI_ERR_INTERNAL);
    srdi_canvas_free(c);
}

/* Pixel (x,y) of a PNG as 0xRRGGBB; -1 on failure. */
static long png_pixel(const char *path, int x, int y, int *w, int *h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    long v = -1;
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        *w = cairo_image_surface_get_width(s);
        *h = cairo_image_surface_get_height(s);
        if (x < *w && y < *h) {
            unsigned char *d = cairo_image_surface_get_data(s);
            uint32_t p = *(uint32_t *)(void *)(d + (size_t)y * cairo_image_surface_get_stride(s) + x * 4);
            v = (long)(p & 0xFFFFFF);
        }
    }
    cairo_surface_destroy(s);
    return v;
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void test_cairo(srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_cairo");
    char png[1024], svg[1024], pdf[1024], cmd[2200];
    snprintf(png, sizeof png, "%s/a.png", dir);
    snprintf(svg, sizeof svg, "%s/a.svg", dir);
    snprintf(pdf, sizeof pdf, "%s/a.pdf", dir);
    srdi_font bold = {SRDI_FONT_SANS, 14, true};

    /* PNG at 144 dpi: 100×50 pt → 200×100 px; red rect at (10,10,20,20) pt; circle at (75,25) r 10. */
    srdi_canvas *c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, 100, 50, 144);
    CHECK_INT(srdi_canvas_status(c), SRDI_OK);
    CHECK_INT(srdi_canvas_begin_page(c, 100, 50), SRDI_OK);
    srdi_canvas_rect(c, 10, 10, 20, 20);
    srdi_canvas_fill(c, RED);
    srdi_canvas_arc(c, 75, 25, 10, 0, 2 * M_PI);
    srdi_canvas_close_path(c);
    srdi_canvas_fill(c, (srdi_rgba){0, 0, 1, 1});
    srdi_canvas_text(c, bold, 35, 45, "图表Ag", BLACK);
    CHECK_INT(srdi_canvas_end_page(c), SRDI_OK);
    CHECK(!file_exists(png));
    CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    srdi_canvas_free(c);
    int w = 0, h = 0;
    CHECK_INT(png_pixel(png, 40, 40, &w, &h), 0xFF0000);
    CHECK_INT(w, 200);
    CHECK_INT(h, 100);
    CHECK_INT(png_pixel(png, 150, 50, &w, &h), 0x0000FF); /* circle centre */
    CHECK_INT(png_pixel(png, 150, 26, &w, &h), 0xFFFFFF); /* just outside r=10pt=20px */
    CHECK_INT(png_pixel(png, 5, 5, &w, &h), 0xFFFFFF);

    /* a vertical axis title is turned, not stacked: "一" (a horizontal bar)
       at 40 pt centred on (50, 50) becomes a vertical bar — ink above and
       below the centre, none left and right of it (72 dpi: 1 px = 1 pt) */
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, 100, 100, 72);
    CHECK_INT(srdi_canvas_begin_page(c, 100, 100), SRDI_OK);
    srdi_canvas_text_vertical(c, (srdi_font){SRDI_FONT_SANS, 40, false}, 50, 50, "一", BLACK);
    CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    srdi_canvas_free(c);
    int above = 0, below = 0, left = 0, right = 0;
    for (int k = 30; k <= 70; k++) {
        above += png_pixel(png, k, 36, &w, &h) != 0xFFFFFF;
        below += png_pixel(png, k, 64, &w, &h) != 0xFFFFFF;
        left += png_pixel(png, 36, k, &w, &h) != 0xFFFFFF;
        right += png_pixel(png, 64, k, &w, &h) != 0xFFFFFF;
    }
    CHECK(above > 0 && below > 0);
    CHECK_INT(left, 0);
    CHECK_INT(right, 0);

    /* SVG: one page, well-formed, small. */
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_SVG, svg, 100, 50, 72);
    CHECK_INT(srdi_canvas_begin_page(c, 100, 50), SRDI_OK);
    srdi_canvas_text(c, (srdi_font){SRDI_FONT_SERIF, 10, false}, 5, 20, "资料来源：2026", BLACK);
    CHECK_INT(srdi_canvas_begin_page(c, 100, 50), SRDI_ERR_INTERNAL);
    CHECK_INT(srdi_canvas_finish(c), SRDI_ERR_INTERNAL);
    srdi_canvas_free(c);
    CHECK(!file_exists(svg)); /* failed canvas leaves nothing */
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_SVG, svg, 100, 50, 72);
    CHECK_INT(srdi_canvas_begin_page(c, 100, 50), SRDI_OK);
    srdi_canvas_text(c, (srdi_font){SRDI_FONT_SERIF, 10, false}, 5, 20, "资料来源：2026", BLACK);
    CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    srdi_canvas_free(c);
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", svg);
    CHECK_INT(system(cmd), 0);

    /* PDF: two pages of different sizes. */
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PDF, pdf, 100, 50, 72);
    CHECK_INT(srdi_canvas_begin_page(c, 100, 50), SRDI_OK);
    srdi_canvas_text(c, bold, 5, 20, "第一页", BLACK);
    srdi_canvas_end_page(c);
    CHECK_INT(srdi_canvas_begin_page(c, 200, 100), SRDI_OK);
    srdi_canvas_text(c, bold, 5, 20, "第二页", BLACK);
    srdi_canvas_end_page(c);
    CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    srdi_canvas_free(c);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null | grep -q '^Pages: *2$'", pdf);
    CHECK_INT(system(cmd), 0);

    /* Constructor failure: a file in a missing directory → error-state canvas
       (the temporary file is created at once, with O_EXCL), SRDI_ERR_IO (exit 4). */
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_SVG, "/nonexistent-dir/x.svg", 100, 50, 72);
    CHECK(c != NULL);
    CHECK_INT(srdi_canvas_status(c), SRDI_ERR_IO);
    CHECK_STR(srdi_error_message(), "/nonexistent-dir/x.svg: cannot create: No such file or directory");
    CHECK_INT(srdi_canvas_begin_page(c, 100, 50), SRDI_ERR_IO);
    CHECK_INT(srdi_canvas_finish(c), SRDI_ERR_IO);
    srdi_canvas_free(c);
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, "/nonexistent-dir/x.png", 10, 10, 72);
    CHECK_INT(srdi_canvas_begin_page(c, 10, 10), SRDI_ERR_IO);
    CHECK_INT(srdi_canvas_finish(c), SRDI_ERR_IO);
    CHECK_STR(srdi_error_message(), "/nonexistent-dir/x.png: cannot create: No such file or directory");
    srdi_canvas_free(c);

    /* Bad dpi. */
    c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, png, 10, 10, 0);
    CHECK_INT(srdi_canvas_status(c), SRDI_ERR_INTERNAL);
    char msg[1200];
    snprintf(msg, sizeof msg, "cairo canvas: bad arguments (path %s, size 10x10 pt, dpi 0)", png);
    CHECK_STR(srdi_error_message(), msg);
    srdi_canvas_free(c);
}

/* The bytes of file @p path (malloc'd, *@p n of them), or NULL. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    *n = 0;
    if (!fp) return NULL;
    unsigned char *b = NULL;
    size_t cap = 0;
    for (;;) {
        if (*n == cap) {
            unsigned char *nb = realloc(b, cap = cap ? 2 * cap : 65536);
            if (!nb) break;
            b = nb;
        }
        size_t r = fread(b + *n, 1, cap - *n, fp);
        if (r == 0) break;
        *n += r;
    }
    fclose(fp);
    return b;
}

/*
 * One figure-like PNG: a bold title, a bold label over a grey bar at @p bar_x
 * (its pixels under the label depend on it), a bold label in a clip that cuts
 * through it, bold text turned for an axis.
 */
static void draw_bold_figure(srdi_fonts *f, const char *path, double bar_x)
{
    srdi_font title = {SRDI_FONT_SANS, 12, true}, label = {SRDI_FONT_SANS, 9.5, true};
    srdi_canvas *c = srdi_canvas_cairo_new(f, SRDI_CAIRO_PNG, path, 300, 120, 200);
    CHECK_INT(srdi_canvas_begin_page(c, 300, 120), SRDI_OK);
    srdi_canvas_text(c, title, 20, 20, "图表16：专精特新企业省份分布TOP10", BLACK);
    srdi_canvas_rect(c, bar_x, 40, 60, 30);
    srdi_canvas_fill(c, (srdi_rgba){0.8, 0.8, 0.8, 1});
    srdi_canvas_text(c, label, 40, 60, "国家级 12.5%", (srdi_rgba){0.2, 0.3, 0.6, 1});
    srdi_canvas_save(c);
    srdi_canvas_rect(c, 150, 80, 40, 30);
    srdi_canvas_clip(c);
    srdi_canvas_text(c, label, 140, 100, "省级企业", BLACK);
    srdi_canvas_restore(c);
    srdi_canvas_text_vertical(c, label, 280, 60, "企业数量", BLACK);
    CHECK_INT(srdi_canvas_finish(c), SRDI_OK);
    srdi_canvas_free(c);
}

/*
 * Synthetic bold through the kept pixels (cairo.c bold_glyphs): a figure
 * drawn again copies in the title and the label over the same bar, not the
 * part of the label over a moved bar's end, the clipped label or the turned
 * one; every file is the bytes of the same figure drawn with nothing kept.
 */
static void test_cairo_bold_kept(srdi_fonts *f)
{
    const char *dir = testutil_tmpdir("canvas_bold");
    char fresh[1024], first[1024], again[1024], moved[1024], moved_fresh[1024];
    snprintf(fresh, sizeof fresh, "%s/fresh.png", dir);
    snprintf(first, sizeof first, "%s/first.png", dir);
    snprintf(again, sizeof again, "%s/again.png", dir);
    snprintf(moved, sizeof moved, "%s/moved.png", dir);
    snprintf(moved_fresh, sizeof moved_fresh, "%s/moved_fresh.png", dir);
    srdi_canvas_cairo_keep_bold(false);
    draw_bold_figure(f, fresh, 30);
    draw_bold_figure(f, moved_fresh, 35);
    size_t r0 = srdi_canvas_cairo_bold_reused();
    srdi_canvas_cairo_keep_bold(true);
    draw_bold_figure(f, first, 30);
    CHECK_INT((int)(srdi_canvas_cairo_bold_reused() - r0), 0);
    draw_bold_figure(f, again, 30);
    /* the title's four segments (图表, 16, ：专精特新企业省份分布, TOP10) and the label's two */
    size_t r1 = srdi_canvas_cairo_bold_reused();
    CHECK_INT((int)(r1 - r0), 6);
    /* the bar 5 pt to the right: under 国家级 (x 40-69) the same grey, under " 12.5%"
       (to x 93) its end moved from 90 to 95: drawn */
    draw_bold_figure(f, moved, 35);
    CHECK_INT((int)(srdi_canvas_cairo_bold_reused() - r1), 5);
    const char *same[3] = {first, again, NULL};
    size_t nf = 0, n = 0;
    unsigned char *bf = slurp(fresh, &nf);
    CHECK(bf != NULL && nf > 1000);
    for (int i = 0; same[i]; i++) {
        unsigned char *b = slurp(same[i], &n);
        CHECK(b && n == nf && memcmp(b, bf, n) == 0);
        free(b);
    }
    free(bf);
    bf = slurp(moved_fresh, &nf);
    unsigned char *b = slurp(moved, &n);
    CHECK(bf && b && n == nf && memcmp(b, bf, n) == 0);
    free(b);
    free(bf);
}

/* 32-bit big-endian at @p b. */
static unsigned long be32_at(const unsigned char *b)
{
    return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
}

/*
 * srdi_png_write_rgb24: an image of noise (incompressible: several IDAT
 * chunks), flat colour and repeated rows (the Up filter's shortcut), read
 * back by libpng through cairo pixel for pixel; the chunks are IHDR, pHYs,
 * IDAT…, IEND; a stream that cannot be written is SRDI_ERR_IO naming the file.
 */
static void test_png_writer(void)
{
    const char *dir = testutil_tmpdir("canvas_png");
    char path[1024];
    snprintf(path, sizeof path, "%s/p.png", dir);
    const int w = 333, h = 257, stride = 4 * w + 12; /* an odd width; padding after each row */
    unsigned char *pix = calloc((size_t)stride * h, 1);
    CHECK(pix != NULL);
    if (!pix) return;
    uint32_t seed = 12345;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(pix + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            if (y < 180)
                row[x] = (seed >> 8) & 0xFFFFFF; /* noise */
            else if (y < 230)
                row[x] = (x < 100 ? 0xFFFFFF : 0x3366CC + (uint32_t)x) | /* repeated rows; their unused */
                         (uint32_t)(y & 1) << 24;                          /* top byte not image either */
            else
                row[x] = (uint32_t)(y * 65793u) ^ (uint32_t)x; /* every row differs */
        }
        memset(pix + (size_t)y * stride + 4 * w, 0xAB, 12); /* padding is not image */
    }
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp) {
        free(pix);
        return;
    }
    CHECK_INT(srdi_png_write_rgb24(fp, path, pix, w, h, stride, 7874, NULL), SRDI_OK);
    CHECK_INT(fclose(fp), 0);

    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    CHECK_INT(cairo_image_surface_get_width(s), w);
    CHECK_INT(cairo_image_surface_get_height(s), h);
    long bad = 0;
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && cairo_image_surface_get_width(s) == w &&
        cairo_image_surface_get_height(s) == h) {
        const unsigned char *d = cairo_image_surface_get_data(s);
        int ds = cairo_image_surface_get_stride(s);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                uint32_t a = ((const uint32_t *)(const void *)(pix + (size_t)y * stride))[x] & 0xFFFFFF;
                uint32_t b = ((const uint32_t *)(const void *)(d + (size_t)y * ds))[x] & 0xFFFFFF;
                bad += a != b;
            }
    }
    CHECK_INT(bad, 0);
    cairo_surface_destroy(s);

    size_t len = 0;
    unsigned char *file = (unsigned char *)testutil_read_file(path, &len);
    CHECK(file != NULL && len > 8 + 25 + 21 + 12);
    if (file && len > 8 + 25 + 21 + 12) {
        CHECK(memcmp(file, "\x89PNG\r\n\x1a\n", 8) == 0);
        CHECK(memcmp(file + 12, "IHDR", 4) == 0);
        CHECK_INT(file[8 + 8 + 8], 8); /* bit depth */
        CHECK_INT(file[8 + 8 + 9], 2); /* RGB */
        CHECK(memcmp(file + 33 + 4, "pHYs", 4) == 0);
        CHECK_INT((long)be32_at(file + 33 + 8), 7874);
        CHECK_INT((long)be32_at(file + 33 + 12), 7874);
        CHECK_INT(file[33 + 16], 1);
        int idat = 0;
        size_t at = 54;
        while (at + 12 <= len && memcmp(file + at + 4, "IDAT", 4) == 0) {
            idat++;
            at += 12 + be32_at(file + at);
        }
        CHECK(idat >= 3); /* 180 rows of noise alone are 180 KB: 64 KB chunks */
        CHECK_INT((long)(len - at), 12);
        CHECK(at + 12 == len && memcmp(file + at + 4, "IEND", 4) == 0);
        /* the zlib stream of the IDATs inflates to every row (its filter byte and 3 bytes a pixel) and its
           Adler-32 (taken in closed form over the filtered rows) is zlib's own: inflate checks it */
        unsigned char *z = malloc(len), *raw = malloc((size_t)h * (1 + 3 * (size_t)w) + 1);
        size_t zn = 0;
        for (size_t q = 54; z && q + 12 <= len && memcmp(file + q + 4, "IDAT", 4) == 0; q += 12 + be32_at(file + q)) {
            memcpy(z + zn, file + q + 8, be32_at(file + q));
            zn += be32_at(file + q);
        }
        uLongf rawn = (uLongf)h * (1 + 3 * (uLongf)w) + 1;
        CHECK(z && raw && uncompress(raw, &rawn, z, (uLong)zn) == Z_OK);
        CHECK_INT((long)rawn, (long)h * (1 + 3 * w));
        free(z);
        free(raw);
    }
    free(file);

    /* the same pixels twice: the same bytes */
    char path2[1100];
    snprintf(path2, sizeof path2, "%s/q.png", dir);
    fp = fopen(path2, "wb");
    CHECK(fp != NULL);
    if (fp) {
        CHECK_INT(srdi_png_write_rgb24(fp, path2, pix, w, h, stride, 7874, NULL), SRDI_OK);
        fclose(fp);
        size_t len2 = 0;
        char *a = testutil_read_file(path, &len), *b = testutil_read_file(path2, &len2);
        CHECK(a && b && len == len2 && memcmp(a, b, len) == 0);
        free(a);
        free(b);
    }

    /* a stream open for reading only: the write fails, the message names the file */
    fp = fopen(path, "rb");
    CHECK(fp != NULL);
    if (fp) {
        CHECK_INT(srdi_png_write_rgb24(fp, "x/y.png", pix, w, h, stride, 7874, NULL), SRDI_ERR_IO);
        CHECK_STR(srdi_error_message(), "cannot write 'x/y.png': Bad file descriptor");
        fclose(fp);
    }
    free(pix);
}

/* a chart-like image: white, grid lines, bars, text-like specks, a repeated block */
static void chartlike(unsigned char *pix, int w, int h, int stride)
{
    uint32_t seed = 2026;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(pix + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            uint32_t v = 0xFFFFFF;
            if (y % 97 == 0 && x > 40) v = 0xDDDDDD;                         /* grid */
            if (x > 60 && (x - 60) % 90 < 50 && y > h - 40 - (x * 7) % (h - 60)) /* bars */
                v = (x / 90) % 2 ? 0x1F4E9A : 0xE07B28;
            if (y < 30 || x < 36) { /* text-like specks */
                seed = seed * 1103515245u + 12345u;
                if ((seed >> 16) % 7 == 0) v = 0x222222 + ((seed >> 8) & 0x1F);
            }
            row[x] = v | 0xFF000000u; /* the unused byte set: cairo may */
        }
    }
}

/*
 * The bytes of a chart-like figure (mostly white rows repeated from the one
 * above, bars, grid lines, specks of text) are pinned: the encoder's shortcuts
 * (a repeated row's checksum in closed form, 16 bytes of a match or four
 * pixels of a row compared at once, zeros skipped 32 at a time) must write what
 * the plain loops wrote.  The length and CRC-32 are those of the encoder
 * before the shortcuts.
 */
static void test_png_pinned(void)
{
    const int w = 1260, h = 788, stride = 4 * w;
    unsigned char *pix = calloc((size_t)stride * h, 1);
    CHECK(pix != NULL);
    if (!pix) return;
    chartlike(pix, w, h, stride);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    if (f) {
        CHECK_INT(srdi_png_write_rgb24(f, "chart.png", pix, w, h, stride, 7874, "图表1"), SRDI_OK);
        fclose(f);
        CHECK_INT((long)len, 59943);
        CHECK_INT((long)crc32(0, (const unsigned char *)buf, (uInt)len), (long)0xfdade8b0u);
    }
    free(buf);
    free(pix);
}

/*
 * srdi_zlib_deflate (the PDF's streams): zlib's inflate gives back the bytes
 * of nothing, of a page-content-like text (most of it matches), of noise
 * (literals: several Huffman blocks) and of long runs (the window slides);
 * the same bytes in pieces cut anywhere give the same stream; the text
 * deflates to less than a fifth.
 */
static void test_zlib_deflate(void)
{
    enum { TEXT = 300000, NOISE = 150000, RUN = 200000 };
    unsigned char *in = malloc(TEXT + NOISE + RUN);
    CHECK(in != NULL);
    if (!in) return;
    size_t n = 0;
    for (int k = 0; n + 80 < TEXT; k++)
        n += (size_t)snprintf((char *)in + n, 80, "q 0.2 0.4 0.6 rg BT /F%d 10.5 Tf %d.%02d %d Td <%04X> Tj ET Q\n", k % 4,
                              70 + k % 400, k % 100, 800 - k % 700, 0x4E00 + k * 7 % 2000);
    size_t text = n;
    uint32_t seed = 99;
    for (int i = 0; i < NOISE; i++) {
        seed = seed * 1103515245u + 12345u;
        in[n++] = (unsigned char)(seed >> 16);
    }
    memset(in + n, 0, RUN);
    n += RUN;
    const size_t sizes[4] = {0, text, text + NOISE, n};
    for (int t = 0; t < 4; t++) {
        const unsigned char *p = in;
        size_t len = sizes[t];
        unsigned char *z = NULL;
        size_t zlen = 0;
        CHECK(srdi_zlib_deflate(&p, &len, 1, &z, &zlen));
        uLongf back = (uLongf)len + 1;
        unsigned char *b = malloc(len + 1);
        CHECK(b != NULL && z != NULL);
        if (b && z) {
            CHECK_INT(uncompress(b, &back, z, (uLong)zlen), Z_OK);
            CHECK_INT((long)back, (long)len);
            CHECK(memcmp(b, in, len) == 0);
        }
        if (t == 1) CHECK(zlen < text / 5);
        if (t == 3) { /* the same bytes in pieces of 1, 4095, 4097 and 70000 bytes, then the rest */
            const unsigned char *ptr[6];
            size_t plen[6], cut[5] = {1, 4095, 4097, 70000, 0}, at = 0;
            for (int k = 0; k < 4; k++) {
                ptr[k] = in + at;
                plen[k] = cut[k];
                at += cut[k];
            }
            ptr[4] = in + at;
            plen[4] = 0; /* an empty piece */
            ptr[5] = in + at;
            plen[5] = n - at;
            unsigned char *z2 = NULL;
            size_t zlen2 = 0;
            CHECK(srdi_zlib_deflate(ptr, plen, 6, &z2, &zlen2));
            CHECK(z && z2 && zlen2 == zlen && memcmp(z, z2, zlen) == 0);
            free(z2);
        }
        free(b);
        free(z);
    }
    /* the Adler-32 of the largest bytes (0xFF: the sums' worst case) at the lengths around its steps */
    const size_t lens[8] = {1, 31, 32, 33, 5551, 5552, 5553, 70001};
    memset(in, 0xFF, 70001);
    for (int t = 0; t < 8; t++) {
        const unsigned char *p = in;
        size_t len = lens[t], zlen = 0;
        unsigned char *z = NULL, *b = malloc(len);
        CHECK(srdi_zlib_deflate(&p, &len, 1, &z, &zlen));
        uLongf back = (uLongf)len;
        CHECK(b && z && uncompress(b, &back, z, (uLong)zlen) == Z_OK && back == len && memcmp(b, in, len) == 0);
        CHECK(z && zlen >= 4 && z[zlen - 4] == (unsigned char)(adler32(1, in, (uInt)len) >> 24) &&
              z[zlen - 1] == (unsigned char)adler32(1, in, (uInt)len));
        free(b);
        free(z);
    }
    free(in);
}

/*
 * srdi_fonts_backend_face: the object a backend makes from a face is made
 * once per fonts and family + slot (a failed make is tried again), returned
 * as it is to every later call, and dropped once each by srdi_fonts_free.
 */
static int faces_made, faces_dropped;

static void *face_make_ok(void *ft)
{
    faces_made++;
    return ft ? &faces_made : NULL;
}

static void *face_make_fail(void *ft)
{
    (void)ft;
    faces_made++;
    return NULL;
}

static void face_drop_count(void *obj)
{
    CHECK(obj == &faces_made);
    faces_dropped++;
}

static void test_backend_face(void)
{
    srdi_fonts *f = NULL;
    CHECK_INT(srdi_fonts_load(testutil_src("fonts"), &f), SRDI_OK);
    if (!f) return;
    faces_made = faces_dropped = 0;
    CHECK(srdi_fonts_backend_face(f, SRDI_FONT_SANS, SRDI_FACE_CJK, face_make_fail, face_drop_count) == NULL);
    CHECK(srdi_fonts_backend_face(f, SRDI_FONT_SANS, SRDI_FACE_CJK, face_make_ok, face_drop_count) == &faces_made);
    CHECK(srdi_fonts_backend_face(f, SRDI_FONT_SANS, SRDI_FACE_CJK, face_make_ok, face_drop_count) == &faces_made);
    CHECK_INT(faces_made, 2); /* the failure, then one make */
    CHECK(srdi_fonts_backend_face(f, SRDI_FONT_SERIF, SRDI_FACE_LATIN, face_make_ok, face_drop_count) == &faces_made);
    CHECK_INT(faces_made, 3);
    CHECK_INT(faces_dropped, 0);
    srdi_fonts_free(f);
    CHECK_INT(faces_dropped, 2);
}

/*
 * srdi_hpdf_mem_alloc / _free (libharu's allocator): blocks of every size
 * class and of their own allocation are 16-byte aligned and keep what is
 * written in them while others are made and freed; freed blocks are used
 * again (a block of the same size after a free is the one freed).
 */
static void test_hpdf_mem(void)
{
    enum { N = 3000 };
    unsigned char **b = calloc(N, sizeof *b);
    unsigned *sz = calloc(N, sizeof *sz);
    CHECK(b && sz);
    if (!b || !sz) {
        free(b);
        free(sz);
        return;
    }
    uint32_t x = 99;
    long bad = 0, misaligned = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            if (b[i]) continue;
            x = x * 1103515245u + 12345u;
            unsigned k = (x >> 8) % 100;
            sz[i] = k < 80 ? 1 + (x >> 12) % 300 : k < 97 ? 1 + (x >> 12) % 20000 : 100000 + (x >> 12) % 200000;
            b[i] = srdi_hpdf_mem_alloc(sz[i]);
            CHECK(b[i] != NULL);
            if (!b[i]) continue;
            misaligned += ((uintptr_t)b[i] & 15) != 0;
            memset(b[i], (int)(i & 0xFF), sz[i]);
        }
        for (int i = 0; i < N; i++) /* every block still holds its own bytes */
            for (unsigned j = 0; b[i] && j < sz[i]; j += 1 + sz[i] / 7)
                bad += b[i][j] != (unsigned char)(i & 0xFF) || b[i][sz[i] - 1] != (unsigned char)(i & 0xFF);
        for (int i = round % 2; i < N; i += 2) { /* half of them freed */
            srdi_hpdf_mem_free(b[i]);
            b[i] = NULL;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(misaligned, 0);
    if (!srdi_hpdf_mem_plain()) { /* (sanitizer builds: malloc's, quarantined) */
        void *p = srdi_hpdf_mem_alloc(40), *q;
        srdi_hpdf_mem_free(p);
        q = srdi_hpdf_mem_alloc(40);
        CHECK(q == p); /* the freed block, from this thread's list */
        srdi_hpdf_mem_free(q);
    }
    for (int i = 0; i < N; i++) srdi_hpdf_mem_free(b[i]);
    srdi_hpdf_mem_free(NULL);
    free(b);
    free(sz);
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
    test_fonts(f);
    test_missing_font();
    test_null_canvas(f);
    test_cairo(f);
    test_cairo_bold_kept(f);
    test_png_writer();
    test_zlib_deflate();
    test_png_pinned();
    test_backend_face();
    test_hpdf_mem();
    srdi_fonts_free(f);
    return testutil_finish();
}
