/*
 * src/canvas/canvas.c — the generic half of the canvas: argument checks,
 * sticky status, dispatch to the backend table, arcs as Bézier curves,
 * rectangles, text split into face segments, text box recording.
 *
 * Once a canvas is in an error state every drawing call is a no-op and
 * srdi_canvas_finish() returns the first error.
 */
#include "canvas_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/util.h"

/* Set up the base struct; no current point (NaN) until move_to. */
void srdi_canvas_init_base(srdi_canvas *c, const srdi_canvas_backend *be, const srdi_fonts *fonts)
{
    memset(c, 0, sizeof *c);
    c->be = be;
    c->fonts = fonts;
    c->status = SRDI_OK;
    c->page = -1;
    c->px = c->py = NAN;
}

srdi_status srdi_canvas_fail(srdi_canvas *c, srdi_status st)
{
    if (c && c->status == SRDI_OK && st != SRDI_OK) {
        c->status = st;
        if (c->what[0]) {
            char msg[1024];
            srdi_strlcpy(msg, srdi_error_message(), sizeof msg);
            srdi_error_set(st, "%s (drawing %s)", msg[0] ? msg : srdi_strerror(st), c->what);
        }
    }
    return c ? c->status : st;
}

void srdi_canvas_set_what(srdi_canvas *c, const char *fmt, ...)
{
    if (!c) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->what, sizeof c->what, fmt, ap);
    va_end(ap);
}

const char *srdi_canvas_what(const srdi_canvas *c)
{
    return c ? c->what : "";
}

/* True when drawing may proceed. */
static bool live(const srdi_canvas *c)
{
    return c && c->status == SRDI_OK;
}

srdi_status srdi_canvas_status(const srdi_canvas *c)
{
    return c ? c->status : SRDI_ERR_NOMEM;
}

/* ----------------------------------------------------------------- pages */

srdi_status srdi_canvas_begin_page(srdi_canvas *c, double w, double h)
{
    if (!live(c)) return srdi_canvas_status(c);
    if (!(w > 0 && h > 0))
        return srdi_canvas_fail(c, srdi_error_set(SRDI_ERR_INTERNAL, "canvas: page size %gx%g", w, h));
    srdi_status st = c->be->begin_page ? c->be->begin_page(c, w, h) : SRDI_OK;
    if (st != SRDI_OK) return srdi_canvas_fail(c, st);
    c->page++;
    c->page_w = w;
    c->page_h = h;
    c->px = c->py = NAN;
    return SRDI_OK;
}

srdi_status srdi_canvas_end_page(srdi_canvas *c)
{
    if (!live(c)) return srdi_canvas_status(c);
    srdi_status st = c->be->end_page ? c->be->end_page(c) : SRDI_OK;
    if (st != SRDI_OK) return srdi_canvas_fail(c, st);
    return SRDI_OK;
}

/* ----------------------------------------------------------------- paths */

void srdi_canvas_save(srdi_canvas *c)
{
    if (live(c) && c->be->save) c->be->save(c);
}
void srdi_canvas_restore(srdi_canvas *c)
{
    if (live(c) && c->be->restore) c->be->restore(c);
}

void srdi_canvas_move_to(srdi_canvas *c, double x, double y)
{
    if (!live(c)) return;
    if (c->be->move_to) c->be->move_to(c, x, y);
    c->px = x;
    c->py = y;
}

void srdi_canvas_line_to(srdi_canvas *c, double x, double y)
{
    if (!live(c)) return;
    if (isnan(c->px)) {
        srdi_canvas_move_to(c, x, y);
        return;
    }
    if (c->be->line_to) c->be->line_to(c, x, y);
    c->px = x;
    c->py = y;
}

void srdi_canvas_curve_to(srdi_canvas *c, double x1, double y1, double x2, double y2, double x3, double y3)
{
    if (!live(c)) return;
    if (isnan(c->px)) srdi_canvas_move_to(c, x1, y1);
    if (c->be->curve_to) c->be->curve_to(c, x1, y1, x2, y2, x3, y3);
    c->px = x3;
    c->py = y3;
}

void srdi_canvas_close_path(srdi_canvas *c)
{
    if (live(c) && c->be->close_path) c->be->close_path(c);
}

/*
 * Arc centred (cx,cy), radius r, from angle a0 to a1 (radians; increasing
 * angles turn clockwise on screen since y grows down).  Drawn as cubic
 * Béziers of at most 90° each; joined to the current point by a line when
 * a path is open, else started with move_to.
 */
void srdi_canvas_arc(srdi_canvas *c, double cx, double cy, double r, double a0, double a1)
{
    if (!live(c)) return;
    double sweep = a1 - a0;
    int n = (int)ceil(fabs(sweep) / (M_PI / 2) - 1e-9);
    if (n < 1) n = 1;
    double step = sweep / n;
    double k = 4.0 / 3.0 * tan(step / 4);
    double sx = cx + r * cos(a0), sy = cy + r * sin(a0);
    if (isnan(c->px))
        srdi_canvas_move_to(c, sx, sy);
    else
        srdi_canvas_line_to(c, sx, sy);
    for (int i = 0; i < n; i++) {
        double t0 = a0 + i * step, t1 = t0 + step;
        double c0 = cos(t0), s0 = sin(t0), c1 = cos(t1), s1 = sin(t1);
        srdi_canvas_curve_to(c, cx + r * (c0 - k * s0), cy + r * (s0 + k * c0), cx + r * (c1 + k * s1),
                             cy + r * (s1 - k * c1), cx + r * c1, cy + r * s1);
    }
}

void srdi_canvas_rect(srdi_canvas *c, double x, double y, double w, double h)
{
    srdi_canvas_move_to(c, x, y);
    srdi_canvas_line_to(c, x + w, y);
    srdi_canvas_line_to(c, x + w, y + h);
    srdi_canvas_line_to(c, x, y + h);
    srdi_canvas_close_path(c);
}

void srdi_canvas_fill(srdi_canvas *c, srdi_rgba color)
{
    if (!live(c)) return;
    if (c->be->fill) c->be->fill(c, color);
    c->px = c->py = NAN;
}

void srdi_canvas_stroke(srdi_canvas *c, srdi_rgba color, double width, const double *dash, int ndash)
{
    if (!live(c)) return;
    if (c->be->stroke) c->be->stroke(c, color, width, dash, ndash);
    c->px = c->py = NAN;
}

void srdi_canvas_clip(srdi_canvas *c)
{
    if (!live(c)) return;
    if (c->be->clip) c->be->clip(c);
    c->px = c->py = NAN;
}

/* ------------------------------------------------------------------ text */

/* Append a text box (when recording).  Returns silently on OOM (marks the canvas). */
static void record_box(srdi_canvas *c, double x, double y, double w, double h, const char *s)
{
    if (!c->record) return;
    if (c->nboxes == c->capboxes) {
        size_t cap = c->capboxes ? c->capboxes * 2 : 32;
        srdi_textbox *nb = realloc(c->boxes, cap * sizeof *nb);
        if (!nb) {
            srdi_canvas_fail(c, srdi_error_set(SRDI_ERR_NOMEM, "out of memory recording text"));
            return;
        }
        c->boxes = nb;
        c->capboxes = cap;
    }
    char *copy = srdi_strdup(s);
    if (!copy) {
        srdi_canvas_fail(c, SRDI_ERR_NOMEM);
        return;
    }
    c->boxes[c->nboxes++] = (srdi_textbox){x, y, w, h, copy};
}

/* State of one srdi_canvas_text call while segments are drawn. */
typedef struct text_ctx {
    srdi_canvas *c;
    srdi_font font;
    double x, y;
    srdi_rgba color;
} text_ctx;

/* Segment callback: draw one face segment and move the pen. */
static void draw_segment(void *ud, srdi_face_slot slot, const char *s, size_t len, double advance)
{
    text_ctx *t = ud;
    if (t->c->be->text_segment) t->c->be->text_segment(t->c, t->font, slot, t->x, t->y, s, len, t->color);
    t->x += advance;
}

double srdi_canvas_text(srdi_canvas *c, srdi_font font, double x, double y, const char *s, srdi_rgba color)
{
    if (!c || !c->fonts || !s) return 0;
    size_t len = strlen(s);
    if (!live(c)) return srdi_text_width(c->fonts, font, s, len);
    text_ctx t = {c, font, x, y, color};
    double adv = srdi_fonts_segments(c->fonts, font, s, len, draw_segment, &t);
    if (c->record && len > 0) {
        double a, d;
        srdi_font_extents(c->fonts, font, &a, &d);
        record_box(c, x, y - a, adv, a + d, s);
    }
    return adv;
}

double srdi_canvas_text_aligned(srdi_canvas *c, srdi_font font, double x, double y, int align, const char *s,
                                srdi_rgba color)
{
    if (!c || !c->fonts || !s) return 0;
    double w = srdi_text_width(c->fonts, font, s, strlen(s));
    double x0 = align == 1 ? x - w / 2 : align == 2 ? x - w : x;
    return srdi_canvas_text(c, font, x0, y, s, color);
}

/*
 * Vertical text for y-axis titles: the line turned a quarter turn
 * counter-clockwise (reading bottom-to-top), centred on (x, y) — never
 * stacked one character per line.  Records one box (the turned line's
 * bounds).  A backend without rotate_ccw draws nothing but the box.
 */
void srdi_canvas_text_vertical(srdi_canvas *c, srdi_font font, double x, double y, const char *s, srdi_rgba color)
{
    if (!c || !c->fonts || !s || !live(c)) return;
    size_t len = strlen(s);
    if (len == 0) return;
    double a, d;
    srdi_font_extents(c->fonts, font, &a, &d);
    double w = srdi_text_width(c->fonts, font, s, len);
    bool rec = c->record;
    c->record = false;
    if (c->be->rotate_ccw) {
        srdi_canvas_save(c);
        c->be->rotate_ccw(c, x, y);
        /* in the turned system the line runs along x, centred on (x, y) */
        srdi_canvas_text(c, font, x - w / 2, y + (a - d) / 2, s, color);
        srdi_canvas_restore(c);
    }
    c->record = rec;
    if (rec) record_box(c, x - (a + d) / 2, y - w / 2, a + d, w, s);
}

/* ------------------------------------------------------- images and links */

void srdi_canvas_image_rgba(srdi_canvas *c, const unsigned char *rgba, int w, int h, double x, double y, double dw,
                            double dh)
{
    if (live(c) && rgba && w > 0 && h > 0 && c->be->image_rgba) c->be->image_rgba(c, rgba, w, h, x, y, dw, dh);
}

void srdi_canvas_link(srdi_canvas *c, double x, double y, double w, double h, int dest_page, double dest_y)
{
    if (live(c) && c->be->link) c->be->link(c, x, y, w, h, dest_page, dest_y);
}

void srdi_canvas_outline(srdi_canvas *c, int level, const char *title, int page, double y)
{
    if (live(c) && title && c->be->outline) c->be->outline(c, level, title, page, y);
}

void srdi_canvas_page_label(srdi_canvas *c, int first_page, int style, int start)
{
    if (live(c) && c->be->page_label) c->be->page_label(c, first_page, style, start);
}

/* ------------------------------------------------------------ life cycle */

srdi_status srdi_canvas_finish(srdi_canvas *c)
{
    if (!c) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory creating a canvas");
    if (c->status != SRDI_OK) return c->status;
    srdi_status st = c->be->finish ? c->be->finish(c) : SRDI_OK;
    return srdi_canvas_fail(c, st);
}

void srdi_canvas_record_boxes(srdi_canvas *c, bool on)
{
    if (c) c->record = on;
}

void srdi_canvas_free(srdi_canvas *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nboxes; i++) free(c->boxes[i].text);
    free(c->boxes);
    c->boxes = NULL;
    c->nboxes = c->capboxes = 0;
    if (c->be && c->be->destroy)
        c->be->destroy(c);
    else
        free(c);
}
