/*
 * src/canvas/cairo.c — the cairo backend: figure files as PNG (image
 * surface at dpi / 72 scale, white background), SVG (svg surface, units pt)
 * or PDF (pdf surface, several pages allowed).
 *
 * Files are written to a temporary name and renamed into place by
 * srdi_canvas_finish(); a canvas freed without finishing leaves nothing.
 *
 * Text: glyphs are placed one by one at the advances srdi_fonts measures
 * (so layout is identical to every other backend), through a cairo font face
 * made from the FreeType face of srdi_fonts (no hinting, no metric
 * rounding).  Synthetic bold = fill, then stroke of width size / 30.
 *
 * Threads: cairo uses the shared FT_Face without our fonts lock, so cairo
 * canvases sharing one srdi_fonts must be drawn from one thread at a time.
 */
#include "canvas_private.h"

#include "cairo_dl.h" /* cairo, loaded when the first figure file is drawn */

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srdi/util.h"

/* A cairo canvas: the base struct first, then the cairo state. */
typedef struct cairo_canvas {
    srdi_canvas base;     /* must be first */
    srdi_cairo_kind kind; /* PNG, SVG or PDF */
    char *path;           /* final file (owned) */
    char *tmp;            /* temporary file written first (owned) */
    double w, h;          /* page size in points */
    cairo_surface_t *surf;
    cairo_t *cr;
    cairo_font_face_t *faces[2][2]; /* [family][slot], created lazily */
    bool committed;                 /* tmp renamed onto path */
    double dpi;                     /* PNG resolution, stamped as pHYs */
    unsigned char *px;              /* PNG: the surface's pixels (px_take) */
    size_t px_cap;
    char *title; /* the file's title (PNG iTXt, SVG <title>; owned), or NULL */
} cairo_canvas;

/* ---------------------------------------------------------- pixel buffers */
/*
 * The pixels of a PNG canvas come from a small pool of buffers kept for the
 * next figure: a fresh image surface is a new mapping whose every page the
 * kernel faults in and zeroes (1,160 pages for a 1260x945 figure).  A
 * buffer is not cleared when taken: the page is begun by painting every
 * pixel white (cr_begin_page; no clip or operator is set on a new canvas),
 * and no file is written without a page (cr_finish), so what a buffer held
 * before never reaches a file and the pixels drawn are those of a new
 * surface.  (Clearing it was a second write of every pixel: 2-3% of the CPU
 * of the provincial editions.)  What the pool keeps is freed at exit.
 */
#define PX_POOL 8
static pthread_mutex_t px_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t px_once = PTHREAD_ONCE_INIT;
static unsigned char *px_keep[PX_POOL];
static size_t px_keep_cap[PX_POOL];
static int px_nkeep;

static void px_free_all(void)
{
    pthread_mutex_lock(&px_lock);
    for (int i = 0; i < px_nkeep; i++) free(px_keep[i]);
    px_nkeep = 0;
    pthread_mutex_unlock(&px_lock);
}
static void px_init(void)
{
    atexit(px_free_all);
}

void srdi_canvas_cairo_release_pixels(void)
{
    px_free_all();
}

/* @p n bytes (not cleared: see above), a kept buffer when one is large enough (*cap: its size); NULL when out of memory. */
static unsigned char *px_take(size_t n, size_t *cap)
{
    unsigned char *p = NULL;
    pthread_once(&px_once, px_init);
    pthread_mutex_lock(&px_lock);
    for (int i = 0; i < px_nkeep; i++)
        if (px_keep_cap[i] >= n) {
            p = px_keep[i];
            *cap = px_keep_cap[i];
            px_keep[i] = px_keep[--px_nkeep];
            px_keep_cap[i] = px_keep_cap[px_nkeep];
            break;
        }
    pthread_mutex_unlock(&px_lock);
    if (!p) {
        /* 2 MiB pages (srdi_malloc_huge): a few faults instead of ~1,160, each ~20 us on a virtual machine */
        if (!(p = srdi_malloc_huge(n ? n : 1))) return NULL;
        *cap = n;
    }
    return p;
}

/* Keep @p p (of @p cap bytes) for a later figure, or free it when the pool is full. */
static void px_give(unsigned char *p, size_t cap)
{
    if (!p) return;
    pthread_mutex_lock(&px_lock);
    if (px_nkeep < PX_POOL) {
        px_keep[px_nkeep] = p;
        px_keep_cap[px_nkeep++] = cap;
        p = NULL;
    }
    pthread_mutex_unlock(&px_lock);
    free(p);
}

/* Downcast from the embedded base. */
static cairo_canvas *cc(srdi_canvas *c)
{
    return (cairo_canvas *)c;
}

static const char *kind_name(srdi_cairo_kind k)
{
    return k == SRDI_CAIRO_PNG ? "PNG" : k == SRDI_CAIRO_SVG ? "SVG" : "PDF";
}

/* Record a cairo failure as SRDI_ERR_RENDER naming the file. */
static srdi_status cairo_fail(cairo_canvas *k, cairo_status_t cs, const char *what)
{
    return srdi_canvas_fail(&k->base, srdi_error_set(SRDI_ERR_RENDER, "cairo: %s '%s': %s", what,
                                                     k->path ? k->path : "", cairo_status_to_string(cs)));
}

/* ----------------------------------------------------------------- pages */

/*
 * Begin a page.  PNG and SVG files hold one page (the constructor's size);
 * PDF pages may each have their own size.
 */
static srdi_status cr_begin_page(srdi_canvas *c, double w, double h)
{
    cairo_canvas *k = cc(c);
    if (k->kind != SRDI_CAIRO_PDF) {
        if (c->page >= 0)
            return srdi_error_set(SRDI_ERR_INTERNAL, "cairo: a %s file holds one page ('%s')", kind_name(k->kind),
                                  k->path);
        /* the whole surface white, its last partial pixel row and column
           too (a rectangle of the page size leaves them half black) */
        cairo_save(k->cr);
        cairo_set_source_rgb(k->cr, 1, 1, 1);
        cairo_paint(k->cr);
        cairo_restore(k->cr);
    } else {
        cairo_pdf_surface_set_size(k->surf, w, h);
    }
    return SRDI_OK;
}

static srdi_status cr_end_page(srdi_canvas *c)
{
    cairo_canvas *k = cc(c);
    if (k->kind == SRDI_CAIRO_PDF) cairo_show_page(k->cr);
    cairo_status_t cs = cairo_status(k->cr);
    if (cs != CAIRO_STATUS_SUCCESS) return cairo_fail(k, cs, "drawing");
    return SRDI_OK;
}

/* ----------------------------------------------------------------- paths */

static void cr_save(srdi_canvas *c)
{
    cairo_save(cc(c)->cr);
}
static void cr_restore(srdi_canvas *c)
{
    cairo_restore(cc(c)->cr);
}
static void cr_rotate_ccw(srdi_canvas *c, double x, double y)
{
    cairo_t *cr = cc(c)->cr;
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2); /* y points down: a negative angle turns counter-clockwise */
    cairo_translate(cr, -x, -y);
}
static void cr_move_to(srdi_canvas *c, double x, double y)
{
    cairo_move_to(cc(c)->cr, x, y);
}
static void cr_line_to(srdi_canvas *c, double x, double y)
{
    cairo_line_to(cc(c)->cr, x, y);
}
static void cr_curve_to(srdi_canvas *c, double x1, double y1, double x2, double y2, double x3, double y3)
{
    cairo_curve_to(cc(c)->cr, x1, y1, x2, y2, x3, y3);
}
static void cr_close_path(srdi_canvas *c)
{
    cairo_close_path(cc(c)->cr);
}

static void cr_fill(srdi_canvas *c, srdi_rgba col)
{
    cairo_t *cr = cc(c)->cr;
    cairo_set_source_rgba(cr, col.r, col.g, col.b, col.a);
    cairo_fill(cr);
}

static void cr_stroke(srdi_canvas *c, srdi_rgba col, double width, const double *dash, int ndash)
{
    cairo_t *cr = cc(c)->cr;
    cairo_set_source_rgba(cr, col.r, col.g, col.b, col.a);
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cr, dash, dash ? ndash : 0, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void cr_clip(srdi_canvas *c)
{
    cairo_clip(cc(c)->cr);
}

/* ------------------------------------------------ synthetic bold, kept */
/*
 * Synthetic bold strokes every glyph's outline (cairo's stroker on the
 * flattened curves, a round join at every vertex): a tenth of a --split
 * run's CPU, most of it the same figure titles and labels drawn again,
 * edition after edition.  On a PNG canvas the pixels a bold segment
 * changes lie in its glyphs' ink box grown by the stroke's width (and a
 * margin of whole pixels), and what they become depends only on what they
 * were and on what is drawn: the glyphs and their places in device space,
 * face, size, colour, the transformation.  So the box's pixels before and
 * after are kept (a few MB, first in first out), and a segment drawn again
 * over the same pixels gets the kept ones copied in instead: the same
 * bytes.  Not kept under a rotation or skew, or a clip that cuts into the
 * box (both drawn as before).
 */
#define BM_SLOTS 128                   /* segments kept at most */
#define BM_BYTES (16u * 1024 * 1024)   /* their pixels (before and after), at most */
#define BM_MARGIN 2                    /* whole pixels around the grown ink box */

/* What a bold segment is drawn from (compared in full), and where it draws. */
typedef struct bm_key {
    const srdi_fonts *fonts;
    int family, slot;
    double size, rgba[4];
    cairo_matrix_t m;           /* user to device */
    int sw, sh;                 /* the surface's size in pixels */
    int x0, y0, w, h;           /* the pixel box (inside the surface) */
    int n;                      /* glyphs */
    const cairo_glyph_t *g;     /* borrowed in a lookup, owned in the memo */
} bm_key;

typedef struct bm_entry {
    bm_key key;
    uint32_t *before, *after; /* key.w * key.h pixels each (one allocation) */
} bm_entry;

static pthread_mutex_t bm_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t bm_once = PTHREAD_ONCE_INIT;
static bm_entry bm_ring[BM_SLOTS];
static size_t bm_first, bm_count, bm_bytes; /* the oldest entry, how many, their pixel bytes */
static atomic_size_t bm_reused;             /* segments copied in (tests) */
static atomic_bool bm_off;                  /* srdi_canvas_cairo_keep_bold(false) */

static void bm_drop_oldest(void)
{
    bm_entry *e = &bm_ring[bm_first];
    bm_bytes -= 8 * (size_t)e->key.w * (size_t)e->key.h;
    free((void *)e->key.g);
    free(e->before);
    memset(e, 0, sizeof *e);
    bm_first = (bm_first + 1) % BM_SLOTS;
    bm_count--;
}

static void bm_free_all(void)
{
    pthread_mutex_lock(&bm_lock);
    while (bm_count > 0) bm_drop_oldest();
    pthread_mutex_unlock(&bm_lock);
}

static void bm_init(void)
{
    atexit(bm_free_all);
}

void srdi_canvas_cairo_keep_bold(bool on)
{
    atomic_store(&bm_off, !on);
    if (!on) bm_free_all();
}

size_t srdi_canvas_cairo_bold_reused(void)
{
    return atomic_load(&bm_reused);
}

static bool bm_same_key(const bm_key *a, const bm_key *b)
{
    return a->fonts == b->fonts && a->family == b->family && a->slot == b->slot && a->size == b->size &&
           memcmp(a->rgba, b->rgba, sizeof a->rgba) == 0 && a->m.xx == b->m.xx && a->m.yx == b->m.yx &&
           a->m.xy == b->m.xy && a->m.yy == b->m.yy && a->m.x0 == b->m.x0 && a->m.y0 == b->m.y0 && a->sw == b->sw &&
           a->sh == b->sh && a->x0 == b->x0 && a->y0 == b->y0 && a->w == b->w && a->h == b->h && a->n == b->n &&
           memcmp(a->g, b->g, (size_t)a->n * sizeof *a->g) == 0;
}

/*
 * The key of bold glyphs @p g[0 .. n) about to be drawn on PNG canvas @p k
 * (font, colour and size set on its cairo_t) with a stroke of width @p lw;
 * false when they are not to be kept (a rotation, a clip into the box, no ink).
 */
static bool bm_key_of(cairo_canvas *k, const cairo_glyph_t *g, int n, srdi_font font, srdi_face_slot slot,
                      srdi_rgba col, double lw, bm_key *key)
{
    cairo_t *cr = k->cr;
    if (atomic_load(&bm_off) || k->kind != SRDI_CAIRO_PNG || !k->px || n <= 0) return false;
    memset(key, 0, sizeof *key);
    cairo_get_matrix(cr, &key->m);
    if (key->m.xy != 0 || key->m.yx != 0 || cairo_get_group_target(cr) != k->surf ||
        cairo_get_operator(cr) != CAIRO_OPERATOR_OVER)
        return false;
    cairo_text_extents_t e;
    cairo_glyph_extents(cr, g, n, &e);
    if (!(e.width > 0 && e.height > 0)) return false;
    /* the ink box (bearings from the first glyph's origin), grown by the stroke's width */
    double ux0 = g[0].x + e.x_bearing - lw, uy0 = g[0].y + e.y_bearing - lw;
    double ux1 = ux0 + e.width + 2 * lw, uy1 = uy0 + e.height + 2 * lw;
    /* a clip that holds the whole grown box changes none of its pixels */
    cairo_rectangle_list_t *rl = cairo_copy_clip_rectangle_list(cr);
    bool inside = false;
    if (rl->status == CAIRO_STATUS_SUCCESS)
        for (int i = 0; i < rl->num_rectangles && !inside; i++) {
            const cairo_rectangle_t *r = &rl->rectangles[i];
            inside = r->x <= ux0 && r->y <= uy0 && r->x + r->width >= ux1 && r->y + r->height >= uy1;
        }
    cairo_rectangle_list_destroy(rl);
    if (!inside) return false;
    cairo_user_to_device(cr, &ux0, &uy0);
    cairo_user_to_device(cr, &ux1, &uy1);
    double dx0 = fmin(ux0, ux1), dx1 = fmax(ux0, ux1), dy0 = fmin(uy0, uy1), dy1 = fmax(uy0, uy1);
    key->sw = cairo_image_surface_get_width(k->surf);
    key->sh = cairo_image_surface_get_height(k->surf);
    if (!(dx0 > -1e6 && dx1 < 1e6 && dy0 > -1e6 && dy1 < 1e6)) return false;
    int x0 = (int)floor(dx0) - BM_MARGIN, y0 = (int)floor(dy0) - BM_MARGIN;
    int x1 = (int)ceil(dx1) + BM_MARGIN, y1 = (int)ceil(dy1) + BM_MARGIN;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > key->sw ? key->sw : x1;
    y1 = y1 > key->sh ? key->sh : y1;
    if (x1 <= x0 || y1 <= y0 || 8 * (size_t)(x1 - x0) * (size_t)(y1 - y0) > BM_BYTES / 4) return false;
    key->fonts = k->base.fonts;
    key->family = font.family;
    key->slot = slot;
    key->size = font.size;
    key->rgba[0] = col.r;
    key->rgba[1] = col.g;
    key->rgba[2] = col.b;
    key->rgba[3] = col.a;
    key->x0 = x0;
    key->y0 = y0;
    key->w = x1 - x0;
    key->h = y1 - y0;
    key->n = n;
    key->g = g;
    return true;
}

/* Copy the box of @p key between the surface of @p k and @p px (key->w * key->h pixels). */
static void bm_copy(cairo_canvas *k, const bm_key *key, uint32_t *px, bool to_surface)
{
    unsigned char *data = cairo_image_surface_get_data(k->surf);
    int stride = cairo_image_surface_get_stride(k->surf);
    size_t row = 4 * (size_t)key->w;
    for (int y = 0; y < key->h; y++) {
        unsigned char *s = data + (size_t)(key->y0 + y) * (size_t)stride + 4 * (size_t)key->x0;
        if (to_surface)
            memcpy(s, px + (size_t)y * (size_t)key->w, row);
        else
            memcpy(px + (size_t)y * (size_t)key->w, s, row);
    }
}

/* The box of @p key as kept when the surface holds the pixels kept as before it: copied in, true. */
static bool bm_replay(cairo_canvas *k, const bm_key *key)
{
    pthread_once(&bm_once, bm_init);
    unsigned char *data = cairo_image_surface_get_data(k->surf);
    int stride = cairo_image_surface_get_stride(k->surf);
    size_t row = 4 * (size_t)key->w;
    bool hit = false;
    pthread_mutex_lock(&bm_lock);
    for (size_t i = 0; i < bm_count && !hit; i++) {
        const bm_entry *e = &bm_ring[(bm_first + i) % BM_SLOTS];
        if (!bm_same_key(&e->key, key)) continue;
        hit = true;
        for (int y = 0; y < key->h && hit; y++)
            hit = memcmp(data + (size_t)(key->y0 + y) * (size_t)stride + 4 * (size_t)key->x0,
                         e->before + (size_t)y * (size_t)key->w, row) == 0;
        if (hit) bm_copy(k, key, e->after, true);
    }
    pthread_mutex_unlock(&bm_lock);
    if (hit) {
        cairo_surface_mark_dirty_rectangle(k->surf, key->x0, key->y0, key->w, key->h);
        atomic_fetch_add(&bm_reused, 1);
    }
    return hit;
}

/* Keep @p before (taken over; key->w * key->h pixels, then as many free) and the box's pixels now. */
static void bm_keep(cairo_canvas *k, const bm_key *key, uint32_t *before)
{
    size_t npx = (size_t)key->w * (size_t)key->h;
    cairo_glyph_t *g = malloc((size_t)key->n * sizeof *g);
    if (!g) {
        free(before);
        return;
    }
    memcpy(g, key->g, (size_t)key->n * sizeof *g);
    bm_copy(k, key, before + npx, false);
    pthread_mutex_lock(&bm_lock);
    while (bm_count > 0 && (bm_count == BM_SLOTS || bm_bytes + 8 * npx > BM_BYTES)) bm_drop_oldest();
    bm_entry *e = &bm_ring[(bm_first + bm_count) % BM_SLOTS];
    e->key = *key;
    e->key.g = g;
    e->before = before;
    e->after = before + npx;
    bm_bytes += 8 * npx;
    bm_count++;
    pthread_mutex_unlock(&bm_lock);
}

/* Fill and stroke the bold glyphs (the font, size and colour set), through the kept boxes when it can. */
static void bold_glyphs(cairo_canvas *k, const cairo_glyph_t *g, int n, srdi_font font, srdi_face_slot slot,
                        srdi_rgba col)
{
    cairo_t *cr = k->cr;
    double lw = font.size / 30;
    bm_key key;
    uint32_t *before = NULL;
    cairo_new_path(cr);
    if (bm_key_of(k, g, n, font, slot, col, lw, &key)) {
        cairo_surface_flush(k->surf);
        if (bm_replay(k, &key)) {
            cairo_set_line_width(cr, lw); /* the state the drawing leaves */
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            return;
        }
        if ((before = malloc(2 * 4 * (size_t)key.w * (size_t)key.h))) bm_copy(k, &key, before, false);
    }
    cairo_glyph_path(cr, g, n);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    if (before) {
        cairo_surface_flush(k->surf);
        bm_keep(k, &key, before);
    }
}

/* ------------------------------------------------------------------ text */

static void *face_make(void *ft)
{
    cairo_font_face_t *ff = cairo_ft_font_face_create_for_ft_face(ft, FT_LOAD_NO_HINTING);
    if (cairo_font_face_status(ff) == CAIRO_STATUS_SUCCESS) return ff;
    cairo_font_face_destroy(ff);
    return NULL;
}

static void face_drop(void *ff)
{
    cairo_font_face_destroy(ff);
}

/*
 * The cairo font face for family + slot: one per fonts (srdi_fonts_backend_face),
 * so that every figure drawn with them finds the glyphs cairo rasterised for
 * the figures before it (its scaled fonts are keyed by the face object; a
 * face per figure rasterised them all again: ~15% of a --split's figures).
 * A failure is cairo's error face, which fails the drawing as before.
 */
static cairo_font_face_t *face_for(cairo_canvas *k, srdi_font_family fam, srdi_face_slot slot)
{
    int f = fam == SRDI_FONT_SERIF ? 1 : 0, s = slot == SRDI_FACE_LATIN ? 1 : 0;
    if (!k->faces[f][s]) {
        cairo_font_face_t *ff = srdi_fonts_backend_face(k->base.fonts, fam, slot, face_make, face_drop);
        k->faces[f][s] = ff ? cairo_font_face_reference(ff)
                            : cairo_ft_font_face_create_for_ft_face(srdi_fonts_ft_face(k->base.fonts, fam, slot),
                                                                    FT_LOAD_NO_HINTING);
    }
    return k->faces[f][s];
}

/*
 * Draw one single-face segment: glyphs placed at the measured advances.
 * Bold on a synth_bold face: glyph path filled, then stroked (size / 30;
 * bold_glyphs, through the boxes kept).
 */
static void cr_text_segment(srdi_canvas *c, srdi_font font, srdi_face_slot slot, double x, double y, const char *s,
                            size_t len, srdi_rgba col)
{
    cairo_canvas *k = cc(c);
    cairo_glyph_t stackbuf[128], *g = stackbuf;
    if (len > sizeof stackbuf / sizeof stackbuf[0]) {
        g = malloc(len * sizeof *g);
        if (!g) {
            srdi_canvas_fail(c, srdi_error_set(SRDI_ERR_NOMEM, "out of memory drawing text"));
            return;
        }
    }
    int n = 0;
    size_t i = 0;
    double pen = x;
    while (i < len) {
        int32_t dc = srdi_utf8_decode(s, len, &i);
        uint32_t cp = dc < 0 ? 0xFFFDu : (uint32_t)dc;
        double adv = 0;
        unsigned gi = srdi_fonts_glyph(c->fonts, font, slot, cp, &adv);
        if (cp >= 0x20 && cp != 0x7F && cp != ' ') {
            g[n].index = gi;
            g[n].x = pen;
            g[n].y = y;
            n++;
        }
        pen += adv;
    }
    if (n > 0) {
        cairo_t *cr = k->cr;
        cairo_set_font_face(cr, face_for(k, font.family, slot));
        cairo_set_font_size(cr, font.size);
        cairo_set_source_rgba(cr, col.r, col.g, col.b, col.a);
        const srdi_face_file *ff = srdi_fonts_face(c->fonts, font.family, slot);
        if (font.bold && ff->synth_bold) {
            bold_glyphs(k, g, n, font, slot, col);
        } else {
            cairo_show_glyphs(cr, g, n);
        }
    }
    if (g != stackbuf) free(g);
}

/* ---------------------------------------------------------------- images */

/* Paint straight (non-premultiplied) RGBA pixels scaled into (x,y,dw,dh). */
static void cr_image_rgba(srdi_canvas *c, const unsigned char *rgba, int w, int h, double x, double y, double dw,
                          double dh)
{
    cairo_t *cr = cc(c)->cr;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_fail(cc(c), cairo_surface_status(img), "image in");
        cairo_surface_destroy(img);
        return;
    }
    cairo_surface_flush(img);
    unsigned char *dst = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int r = 0; r < h; r++) {
        uint32_t *row = (uint32_t *)(void *)(dst + (size_t)r * stride);
        for (int q = 0; q < w; q++) {
            const unsigned char *p = rgba + ((size_t)r * w + q) * 4;
            uint32_t a = p[3];
            uint32_t R = p[0] * a / 255, G = p[1] * a / 255, B = p[2] * a / 255;
            row[q] = (a << 24) | (R << 16) | (G << 8) | B;
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, dw / w, dh / h);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

/* ------------------------------------------------------------ life cycle */

/*
 * cairo names an SVG's top group "surfaceN" with N from a process-wide
 * counter, so a file's bytes would depend on how many surfaces the process
 * made before it (a build of some figures vs all).  Renumber those ids in
 * order of appearance (surface1, surface2 …) so every file depends only on
 * what it shows.  Rewrites @p path in place; added by incr.  @p title
 * (when given) goes in as the document's <title>, first in the <svg> element.
 */
static srdi_status svg_normalize_ids(const char *path, const char *title)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return srdi_error_set(SRDI_ERR_RENDER, "cairo: cannot reopen '%s'", path);
    srdi_buf in = {0}, out = {0};
    char chunk[65536];
    size_t n;
    srdi_status st = SRDI_OK;
    while (st == SRDI_OK && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) st = srdi_buf_append(&in, chunk, n);
    if (ferror(fp)) st = srdi_error_set(SRDI_ERR_RENDER, "cairo: cannot read back '%s'", path);
    fclose(fp);
    long map_from[64];
    int nmap = 0;
    const char *p = in.data ? in.data : "", *end = p + in.len;
    while (st == SRDI_OK && p < end) {
        const char *hit = strstr(p, "surface"); /* in.data is NUL-terminated */
        const char *base = in.data ? in.data : "";
        bool id = hit && ((hit - base >= 4 && memcmp(hit - 4, "id=\"", 4) == 0) || (hit > base && hit[-1] == '#'));
        if (!hit) {
            st = srdi_buf_append(&out, p, (size_t)(end - p));
            break;
        }
        const char *q = hit + 7;
        long num = 0;
        while (q < end && *q >= '0' && *q <= '9' && num < 100000000) num = num * 10 + (*q++ - '0');
        if (!id || q == hit + 7) {
            st = srdi_buf_append(&out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        int k = 0;
        while (k < nmap && map_from[k] != num) k++;
        if (k == nmap && nmap < 64) map_from[nmap++] = num;
        st = srdi_buf_append(&out, p, (size_t)(hit - p));
        if (st == SRDI_OK) st = srdi_buf_printf(&out, "surface%d", k < 64 ? k + 1 : (int)num);
        p = q;
    }
    if (st == SRDI_OK && title && *title && out.data) {
        /* <title> right after the <svg …> start tag (XML-escaped) */
        const char *svg = strstr(out.data, "<svg"), *gt = svg ? strchr(svg, '>') : NULL;
        if (gt) {
            size_t at = (size_t)(gt + 1 - out.data);
            srdi_buf t = {0};
            st = srdi_buf_puts(&t, "\n<title>");
            for (const char *q = title; st == SRDI_OK && *q; q++)
                st = *q == '<'   ? srdi_buf_puts(&t, "&lt;")
                     : *q == '>' ? srdi_buf_puts(&t, "&gt;")
                     : *q == '&' ? srdi_buf_puts(&t, "&amp;")
                                 : srdi_buf_append(&t, q, 1);
            if (st == SRDI_OK) st = srdi_buf_puts(&t, "</title>");
            srdi_buf whole = {0};
            if (st == SRDI_OK) st = srdi_buf_append(&whole, out.data, at);
            if (st == SRDI_OK) st = srdi_buf_append(&whole, t.data, t.len);
            if (st == SRDI_OK) st = srdi_buf_append(&whole, out.data + at, out.len - at);
            srdi_buf_free(&t);
            if (st == SRDI_OK) {
                srdi_buf_free(&out);
                out = whole;
            } else {
                srdi_buf_free(&whole);
            }
        }
    }
    if (st == SRDI_OK) {
        fp = fopen(path, "wb");
        if (!fp || fwrite(out.data ? out.data : "", 1, out.len, fp) != out.len)
            st = srdi_error_set(SRDI_ERR_IO, "cairo: cannot rewrite '%s': %s", path, strerror(errno));
        if (fp && fclose(fp) != 0 && st == SRDI_OK)
            st = srdi_error_set(SRDI_ERR_IO, "cairo: cannot rewrite '%s': %s", path, strerror(errno));
    }
    srdi_buf_free(&in);
    srdi_buf_free(&out);
    return st;
}

/* Write the file: PNG from the image surface, SVG/PDF by finishing the surface; then rename. */
static srdi_status cr_finish(srdi_canvas *c)
{
    cairo_canvas *k = cc(c);
    cairo_status_t cs = cairo_status(k->cr);
    if (cs != CAIRO_STATUS_SUCCESS) return cairo_fail(k, cs, "drawing");
    if (c->page < 0) return srdi_error_set(SRDI_ERR_INTERNAL, "cairo: nothing drawn for '%s' (no page begun)", k->path);
    if (k->kind == SRDI_CAIRO_PNG) {
        cairo_surface_flush(k->surf);
        FILE *f = fopen(k->tmp, "wb");
        if (!f) return cairo_fail(k, CAIRO_STATUS_WRITE_ERROR, "cannot write");
        srdi_status pst =
            srdi_png_write_rgb24(f, k->tmp, cairo_image_surface_get_data(k->surf),
                                 cairo_image_surface_get_width(k->surf), cairo_image_surface_get_height(k->surf),
                                 cairo_image_surface_get_stride(k->surf), (uint32_t)(k->dpi / 0.0254 + 0.5), k->title);
        if (fclose(f) != 0 && pst == SRDI_OK)
            pst = srdi_error_set(SRDI_ERR_IO, "cannot write '%s': %s", k->tmp, strerror(errno));
        if (pst != SRDI_OK) return srdi_canvas_fail(&k->base, pst);
    } else {
        cairo_destroy(k->cr);
        k->cr = NULL;
        cairo_surface_finish(k->surf);
        cs = cairo_surface_status(k->surf);
        if (cs != CAIRO_STATUS_SUCCESS) return cairo_fail(k, cs, "cannot write");
        if (k->kind == SRDI_CAIRO_SVG) {
            srdi_status nst = svg_normalize_ids(k->tmp, k->title);
            if (nst != SRDI_OK) return srdi_canvas_fail(&k->base, nst);
        }
    }
    srdi_status st = srdi_rename_into_place(k->tmp, k->path);
    if (st != SRDI_OK) return st;
    k->committed = true;
    return SRDI_OK;
}

/* Release cairo objects; remove the temporary file if not committed. */
static void cr_destroy(srdi_canvas *c)
{
    cairo_canvas *k = cc(c);
    if (k->cr) cairo_destroy(k->cr);
    if (k->surf) {
        cairo_surface_finish(k->surf);
        cairo_surface_destroy(k->surf);
    }
    px_give(k->px, k->px_cap); /* the surface, which drew into it, is gone */
    for (int f = 0; f < 2; f++)
        for (int s = 0; s < 2; s++)
            if (k->faces[f][s]) cairo_font_face_destroy(k->faces[f][s]);
    if (!k->committed && k->tmp) unlink(k->tmp);
    free(k->path);
    free(k->tmp);
    free(k->title);
    free(k);
}

static const srdi_canvas_backend cairo_backend = {
    .name = "cairo",
    SRDI_CANVAS_FILE_OPS(cr),
};

srdi_status srdi_canvas_cairo_set_title(srdi_canvas *c, const char *title)
{
    if (!c || c->be != &cairo_backend) return SRDI_OK;
    cairo_canvas *k = cc(c);
    free(k->title);
    k->title = NULL;
    if (!title || !*title) return SRDI_OK;
    if (!(k->title = srdi_strdup(title)))
        return srdi_canvas_fail(c, srdi_error_set(SRDI_ERR_NOMEM, "out of memory titling '%s'", k->path ? k->path : ""));
    return SRDI_OK;
}

/*
 * New cairo canvas for one file.  Returns NULL only on out-of-memory; any
 * other failure returns a canvas in an error state (srdi_canvas_status).
 * Caller frees with srdi_canvas_free.
 */
srdi_canvas *srdi_canvas_cairo_new(const srdi_fonts *fonts, srdi_cairo_kind kind, const char *path, double w, double h,
                                   double dpi)
{
    cairo_canvas *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    srdi_canvas_init_base(&k->base, &cairo_backend, fonts);
    srdi_status lst = srdi_cairo_load(); /* the library, on the first figure file of the run */
    if (lst != SRDI_OK) {
        srdi_canvas_fail(&k->base, lst);
        return &k->base;
    }
    k->kind = kind;
    k->w = w;
    k->h = h;
    if (!path || !fonts || !(w > 0 && h > 0) || (kind == SRDI_CAIRO_PNG && !(dpi > 0 && dpi <= 2400))) {
        srdi_canvas_fail(&k->base, srdi_error_set(SRDI_ERR_INTERNAL,
                                                  "cairo canvas: bad arguments (path %s, size %gx%g pt, dpi %g)",
                                                  path ? path : "NULL", w, h, dpi));
        return &k->base;
    }
    k->path = srdi_strdup(path);
    if (!k->path) {
        srdi_canvas_fail(&k->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory"));
        return &k->base;
    }
    srdi_status tst = srdi_tmp_path(path, &k->tmp);
    if (tst) { /* the message names the file and the cause */
        srdi_canvas_fail(&k->base, tst);
        return &k->base;
    }
    if (!k->tmp) {
        srdi_canvas_fail(&k->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory"));
        return &k->base;
    }
    switch (kind) {
    case SRDI_CAIRO_PNG: {
        double sc = dpi / 72.0;
        int pw = (int)ceil(w * sc), ph = (int)ceil(h * sc), stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, pw);
        k->dpi = dpi;
        if (stride <= 0 || ph <= 0 || pw > 32767 || ph > 32767) { /* cairo's limits: its own error */
            k->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
            break;
        }
        if (!(k->px = px_take((size_t)stride * (size_t)ph, &k->px_cap))) {
            srdi_canvas_fail(&k->base, srdi_error_set(SRDI_ERR_NOMEM, "out of memory for '%s' (%dx%d pixels)", path, pw, ph));
            return &k->base;
        }
        k->surf = cairo_image_surface_create_for_data(k->px, CAIRO_FORMAT_RGB24, pw, ph, stride);
        break;
    }
    case SRDI_CAIRO_SVG:
        k->surf = cairo_svg_surface_create(k->tmp, w, h);
        if (cairo_surface_status(k->surf) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_set_document_unit(k->surf, CAIRO_SVG_UNIT_PT);
        break;
    default:
        k->surf = cairo_pdf_surface_create(k->tmp, w, h);
        break;
    }
    cairo_status_t cs = cairo_surface_status(k->surf);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_fail(k, cs, "cannot create");
        return &k->base;
    }
    k->cr = cairo_create(k->surf);
    cs = cairo_status(k->cr);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_fail(k, cs, "cannot create");
        return &k->base;
    }
    if (kind == SRDI_CAIRO_PNG) cairo_scale(k->cr, dpi / 72.0, dpi / 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(k->cr, fo);
    cairo_font_options_destroy(fo);
    return &k->base;
}
