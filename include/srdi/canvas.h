/*
 * srdi/canvas.h — the one small drawing interface charts and the layout
 * engine draw through.  Two backends: cairo (PNG / SVG / PDF figure files,
 * src/canvas/cairo.c) and libharu (the report PDF, src/canvas/hpdf.c).
 *
 * Coordinates are in points (1/72 inch), origin top-left of the page, y
 * growing downwards; the libharu backend flips internally.
 *
 * A backend is one file holding one `static const srdi_canvas_backend`
 * table; the backend struct embeds srdi_canvas first.  A failed constructor
 * returns a canvas in an error state (srdi_canvas_status != OK), never NULL
 * except on out-of-memory.
 *
 * Text: srdi_canvas_text draws UTF-8 at a baseline using the font roles of
 * srdi/fonts.h; widths come from srdi_text_width (FreeType), identical in
 * every backend.  Text boxes drawn can be recorded for tests
 * (srdi_canvas_record_boxes).
 */
#ifndef SRDI_CANVAS_H
#define SRDI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include "srdi/error.h"
#include "srdi/fonts.h"

typedef struct srdi_rgba { double r, g, b, a; } srdi_rgba;

typedef struct srdi_textbox {     /* a drawn text run's box, for overlap tests */
    double x, y, w, h;            /* top-left, size (points, page coords) */
    char  *text;                  /* owned copy */
} srdi_textbox;

typedef struct srdi_canvas srdi_canvas;

typedef struct srdi_canvas_backend {
    const char *name;
    srdi_status (*begin_page)(srdi_canvas *c, double w, double h);
    srdi_status (*end_page)(srdi_canvas *c);
    void (*save)(srdi_canvas *c);
    void (*restore)(srdi_canvas *c);
    void (*move_to)(srdi_canvas *c, double x, double y);
    void (*line_to)(srdi_canvas *c, double x, double y);
    void (*curve_to)(srdi_canvas *c, double x1, double y1, double x2, double y2, double x3, double y3);
    void (*close_path)(srdi_canvas *c);
    void (*fill)(srdi_canvas *c, srdi_rgba color);                 /* fills and clears the path */
    void (*stroke)(srdi_canvas *c, srdi_rgba color, double width, const double *dash, int ndash);
    void (*clip)(srdi_canvas *c);                                  /* intersects clip with path, clears it */
    /* draw one single-face segment at baseline (x,y); bold already resolved */
    void (*text_segment)(srdi_canvas *c, srdi_font font, srdi_face_slot slot,
                         double x, double y, const char *s, size_t len, srdi_rgba color);
    void (*image_rgba)(srdi_canvas *c, const unsigned char *rgba, int w, int h,
                       double x, double y, double dw, double dh);
    void (*link)(srdi_canvas *c, double x, double y, double w, double h, int dest_page, double dest_y);
    void (*outline)(srdi_canvas *c, int level, const char *title, int page, double y);
    void (*page_label)(srdi_canvas *c, int first_page, int style /*0 decimal,1 roman*/, int start);
    srdi_status (*finish)(srdi_canvas *c);                         /* write the file */
    void (*destroy)(srdi_canvas *c);
    /* turn the coordinate system a quarter turn counter-clockwise about
       (x,y) (text drawn after it reads bottom-to-top); inside save/restore */
    void (*rotate_ccw)(srdi_canvas *c, double x, double y);
} srdi_canvas_backend;

struct srdi_canvas {
    const srdi_canvas_backend *be;
    const srdi_fonts *fonts;       /* borrowed */
    srdi_status status;            /* first error, sticky */
    int page;                      /* current page index, 0-based; -1 before the first */
    double page_w, page_h;
    double px, py;                 /* current point */
    /* text box recording (tests) */
    bool   record;
    srdi_textbox *boxes; size_t nboxes, capboxes;
    char   what[256];              /* what is being drawn ("file.md:12", "chart T01"), for errors */
};

/* ------------------------------------------------------------ constructors */

typedef enum srdi_cairo_kind { SRDI_CAIRO_PNG, SRDI_CAIRO_SVG, SRDI_CAIRO_PDF } srdi_cairo_kind;

/** @brief Cairo canvas writing one page to @p path (PNG at @p dpi). Written atomically at finish. */
srdi_canvas *srdi_canvas_cairo_new(const srdi_fonts *fonts, srdi_cairo_kind kind, const char *path,
                                   double w, double h, double dpi);
/** @brief A canvas that draws nothing but measures and records text boxes (tests, layout pass 1). */
srdi_canvas *srdi_canvas_null_new(const srdi_fonts *fonts);

/* ---------------------------------------------------------------- drawing */

/**
 * @brief Name what is drawn next ("templates/x/10-ch1.md:12", "chart T01"):
 * a later rendering error (libharu, cairo) is reported "… (drawing WHAT)".
 * An empty string clears it.
 */
void        srdi_canvas_set_what(srdi_canvas *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** @brief The current "what" ("" if none); borrowed. */
const char *srdi_canvas_what(const srdi_canvas *c);

srdi_status srdi_canvas_begin_page(srdi_canvas *c, double w, double h);
srdi_status srdi_canvas_end_page(srdi_canvas *c);
void srdi_canvas_save(srdi_canvas *c);
void srdi_canvas_restore(srdi_canvas *c);
void srdi_canvas_move_to(srdi_canvas *c, double x, double y);
void srdi_canvas_line_to(srdi_canvas *c, double x, double y);
void srdi_canvas_curve_to(srdi_canvas *c, double x1, double y1, double x2, double y2, double x3, double y3);
void srdi_canvas_close_path(srdi_canvas *c);
/** @brief Arc (as Béziers) centred (cx,cy), radius r, angles a0→a1 in radians, clockwise on screen. */
void srdi_canvas_arc(srdi_canvas *c, double cx, double cy, double r, double a0, double a1);
void srdi_canvas_rect(srdi_canvas *c, double x, double y, double w, double h);
void srdi_canvas_fill(srdi_canvas *c, srdi_rgba color);
void srdi_canvas_stroke(srdi_canvas *c, srdi_rgba color, double width, const double *dash, int ndash);
void srdi_canvas_clip(srdi_canvas *c);
/** @brief Draw UTF-8 text with its left end at x, baseline y; returns the advance. */
double srdi_canvas_text(srdi_canvas *c, srdi_font font, double x, double y, const char *s, srdi_rgba color);
/** @brief Text aligned: align 0 left, 1 centre, 2 right of x. Returns the advance. */
double srdi_canvas_text_aligned(srdi_canvas *c, srdi_font font, double x, double y, int align,
                                const char *s, srdi_rgba color);
/** @brief Text rotated by -90° (reading bottom-to-top) centred at (x,y) — for y-axis titles. */
void   srdi_canvas_text_vertical(srdi_canvas *c, srdi_font font, double x, double y, const char *s, srdi_rgba color);
void srdi_canvas_image_rgba(srdi_canvas *c, const unsigned char *rgba, int w, int h,
                            double x, double y, double dw, double dh);
void srdi_canvas_link(srdi_canvas *c, double x, double y, double w, double h, int dest_page, double dest_y);
void srdi_canvas_outline(srdi_canvas *c, int level, const char *title, int page, double y);
void srdi_canvas_page_label(srdi_canvas *c, int first_page, int style, int start);
/** PDF document metadata for the libharu canvas. */
typedef struct srdi_pdf_info {
    const char *title, *author, *subject, *keywords;
    long long   epoch;          /* creation date (SOURCE_DATE_EPOCH) */
} srdi_pdf_info;

/** @brief libharu canvas writing a multi-page PDF to @p path at finish (atomically). */
srdi_canvas *srdi_canvas_hpdf_new(const srdi_fonts *fonts, const char *path, const srdi_pdf_info *info);

/** @brief Write the output (atomically).  Returns the sticky status. */
srdi_status srdi_canvas_finish(srdi_canvas *c);
srdi_status srdi_canvas_status(const srdi_canvas *c);
void srdi_canvas_free(srdi_canvas *c);
/** @brief Start/stop recording text boxes (kept in c->boxes, freed with the canvas). */
void srdi_canvas_record_boxes(srdi_canvas *c, bool on);

#endif
