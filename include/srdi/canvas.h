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

typedef struct srdi_rgba {
    double r, g, b, a;
} srdi_rgba;

typedef struct srdi_textbox { /* a drawn text run's box, for overlap tests */
    double x, y, w, h;        /* top-left, size (points, page coords) */
    char *text;               /* owned copy */
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
    void (*fill)(srdi_canvas *c, srdi_rgba color); /* fills and clears the path */
    void (*stroke)(srdi_canvas *c, srdi_rgba color, double width, const double *dash, int ndash);
    void (*clip)(srdi_canvas *c); /* intersects clip with path, clears it */
    /* draw one single-face segment at baseline (x,y); bold already resolved */
    void (*text_segment)(srdi_canvas *c, srdi_font font, srdi_face_slot slot, double x, double y, const char *s,
                         size_t len, srdi_rgba color);
    void (*image_rgba)(srdi_canvas *c, const unsigned char *rgba, int w, int h, double x, double y, double dw,
                       double dh);
    void (*link)(srdi_canvas *c, double x, double y, double w, double h, int dest_page, double dest_y);
    void (*outline)(srdi_canvas *c, int level, const char *title, int page, double y);
    void (*page_label)(srdi_canvas *c, int first_page, int style /*0 decimal,1 roman*/, int start);
    srdi_status (*finish)(srdi_canvas *c); /* write the file */
    void (*destroy)(srdi_canvas *c);
    /* turn the coordinate system a quarter turn counter-clockwise about
       (x,y) (text drawn after it reads bottom-to-top); inside save/restore */
    void (*rotate_ccw)(srdi_canvas *c, double x, double y);
} srdi_canvas_backend;

struct srdi_canvas {
    const srdi_canvas_backend *be;
    const srdi_fonts *fonts; /* borrowed */
    srdi_status status;      /* first error, sticky */
    int page;                /* current page index, 0-based; -1 before the first */
    double page_w, page_h;
    double px, py; /* current point */
    /* text box recording (tests) */
    bool record;
    srdi_textbox *boxes;
    size_t nboxes, capboxes;
    char what[256]; /* what is being drawn ("file.md:12", "chart T01"), for errors */
};

/* ------------------------------------------------------------ constructors */

typedef enum srdi_cairo_kind { SRDI_CAIRO_PNG, SRDI_CAIRO_SVG, SRDI_CAIRO_PDF } srdi_cairo_kind;

/**
 * @brief Cairo canvas writing one page to @p path, written atomically at srdi_canvas_finish.
 * @param fonts the fonts (borrowed: must outlive the canvas)
 * @param kind  PNG, SVG or PDF
 * @param path  the output file (copied)
 * @param w     the page width in points
 * @param h     the page height in points
 * @param dpi   the PNG resolution (ignored for SVG and PDF)
 * @return the canvas, owned by the caller (srdi_canvas_free); in an error state
 *         (srdi_canvas_status: SRDI_ERR_INTERNAL for a bad size, SRDI_ERR_IO,
 *         SRDI_ERR_NOMEM) when it could not be set up; NULL only when out of memory
 */
srdi_canvas *srdi_canvas_cairo_new(const srdi_fonts *fonts, srdi_cairo_kind kind, const char *path, double w, double h,
                                   double dpi);
/**
 * @brief Title a cairo canvas's file like the figure's caption ("图表16：…"):
 * an SVG gets it as its <title> element, a PNG as an iTXt "Title" chunk
 * (UTF-8); a PDF canvas ignores it.  Call before srdi_canvas_finish.
 * @param c     a cairo canvas (any other canvas: ignored)
 * @param title the title (copied; NULL or "": none)
 * @return SRDI_OK, or SRDI_ERR_NOMEM (message set; the canvas fails with it)
 */
srdi_status srdi_canvas_cairo_set_title(srdi_canvas *c, const char *title);
/**
 * @brief Whether PNG canvases keep the pixels of synthetic-bold text to copy
 * in when the same text is drawn again over the same pixels (the default: on;
 * off drops what is kept).  Either way the pixels are the same (tests).
 * @param on true: keep and copy in; false: draw every segment
 */
void srdi_canvas_cairo_keep_bold(bool on);
/** @brief How many bold segments were copied in from kept pixels so far in this process (tests). */
size_t srdi_canvas_cairo_bold_reused(void);
/**
 * @brief Free the pixel buffers kept for later figures (PNG surfaces are drawn
 * into buffers handed from figure to figure).  Called before a process forks
 * workers that draw figures: a worker that took an inherited buffer copied
 * every page of it it wrote, a fault each (the first edition of each --split
 * worker drew its figures three times slower); with none kept, it draws into
 * fresh 2 MiB pages of its own.
 */
void srdi_canvas_cairo_release_pixels(void);
/**
 * @brief A canvas that draws nothing but measures and records text boxes (tests, layout pass 1).
 * @param fonts the fonts (borrowed: must outlive the canvas)
 * @return the canvas (srdi_canvas_free); NULL when out of memory
 */
srdi_canvas *srdi_canvas_null_new(const srdi_fonts *fonts);

/* ---------------------------------------------------------------- drawing */

/**
 * @brief Name what is drawn next ("templates/x/10-ch1.md:12", "chart T01"):
 * a later rendering error (libharu, cairo) is reported "… (drawing WHAT)".
 * An empty string clears it.  Truncated to 255 bytes.
 * @param c   the canvas (NULL: nothing)
 * @param fmt printf format, then its arguments
 */
void srdi_canvas_set_what(srdi_canvas *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * @brief The current "what" ("" if none). @param c the canvas @return borrowed, valid until the next set_what
 */
const char *srdi_canvas_what(const srdi_canvas *c);

/**
 * @brief Start a new page of @p w × @p h points (page index advances, no current point).
 * @param c the canvas
 * @param w the page width (> 0)
 * @param h the page height (> 0)
 * @return SRDI_OK, or the sticky status (SRDI_ERR_INTERNAL for a bad size, the backend's error)
 */
srdi_status srdi_canvas_begin_page(srdi_canvas *c, double w, double h);
/** @brief Finish the current page. @param c the canvas @return SRDI_OK, or the sticky status */
srdi_status srdi_canvas_end_page(srdi_canvas *c);
/** @brief Push the graphics state (clip). @param c the canvas (no-op in an error state) */
void srdi_canvas_save(srdi_canvas *c);
/** @brief Pop the graphics state pushed by srdi_canvas_save. @param c the canvas */
void srdi_canvas_restore(srdi_canvas *c);
/**
 * @brief Start a new subpath at (x, y).
 * @param c the canvas (every drawing call is a no-op in an error state)
 * @param x points from the left
 * @param y points from the top
 */
void srdi_canvas_move_to(srdi_canvas *c, double x, double y);
/**
 * @brief Line from the current point to (x, y) (a move_to when there is none).
 * @param c the canvas
 * @param x points from the left
 * @param y points from the top
 */
void srdi_canvas_line_to(srdi_canvas *c, double x, double y);
/**
 * @brief Cubic Bézier from the current point through control points 1 and 2 to point 3.
 * @param c  the canvas
 * @param x1 first control point x
 * @param y1 first control point y
 * @param x2 second control point x
 * @param y2 second control point y
 * @param x3 end point x
 * @param y3 end point y
 */
void srdi_canvas_curve_to(srdi_canvas *c, double x1, double y1, double x2, double y2, double x3, double y3);
/** @brief Close the current subpath. @param c the canvas */
void srdi_canvas_close_path(srdi_canvas *c);
/**
 * @brief Arc (as Béziers of at most 90°), joined to the current point by a line
 * when a path is open, else started with a move_to.
 * @param c  the canvas
 * @param cx centre x
 * @param cy centre y
 * @param r  radius
 * @param a0 start angle in radians
 * @param a1 end angle; increasing angles turn clockwise on screen (y grows down)
 */
void srdi_canvas_arc(srdi_canvas *c, double cx, double cy, double r, double a0, double a1);
/**
 * @brief A closed rectangle subpath.
 * @param c the canvas
 * @param x left
 * @param y top
 * @param w width
 * @param h height
 */
void srdi_canvas_rect(srdi_canvas *c, double x, double y, double w, double h);
/** @brief Fill the path and clear it. @param c the canvas @param color the fill colour */
void srdi_canvas_fill(srdi_canvas *c, srdi_rgba color);
/**
 * @brief Stroke the path and clear it.
 * @param c     the canvas
 * @param color the line colour
 * @param width the line width in points
 * @param dash  dash lengths (borrowed), or NULL for a solid line
 * @param ndash their count
 */
void srdi_canvas_stroke(srdi_canvas *c, srdi_rgba color, double width, const double *dash, int ndash);
/** @brief Intersect the clip with the path and clear it (undo with save/restore). @param c the canvas */
void srdi_canvas_clip(srdi_canvas *c);
/**
 * @brief Draw UTF-8 text with its left end at x, baseline y (face segments
 * from srdi_fonts_segments; the box is recorded when recording).
 * @param c     the canvas (in an error state: measures only)
 * @param font  family, size, bold
 * @param x     left end
 * @param y     baseline
 * @param s     the text (borrowed; NULL draws nothing)
 * @param color the text colour
 * @return the advance in points (0 for NULL @p c, fonts or @p s)
 */
double srdi_canvas_text(srdi_canvas *c, srdi_font font, double x, double y, const char *s, srdi_rgba color);
/**
 * @brief Text aligned on x.
 * @param c     the canvas
 * @param font  family, size, bold
 * @param x     the anchor
 * @param y     baseline
 * @param align 0 left end at x, 1 centred on x, 2 right end at x
 * @param s     the text (borrowed)
 * @param color the text colour
 * @return the advance in points
 */
double srdi_canvas_text_aligned(srdi_canvas *c, srdi_font font, double x, double y, int align, const char *s,
                                srdi_rgba color);
/**
 * @brief Vertical text for y-axis titles: the characters stacked top to
 * bottom, upright (竖排), the column centred on (x, y); one box recorded.
 * @param c     the canvas
 * @param font  family, size, bold
 * @param x     the column's centre
 * @param y     the column's middle
 * @param s     the text (borrowed)
 * @param color the text colour
 */
void srdi_canvas_text_vertical(srdi_canvas *c, srdi_font font, double x, double y, const char *s, srdi_rgba color);
/**
 * @brief Draw an RGBA image scaled into the box (x, y, dw, dh).
 * @param c    the canvas
 * @param rgba w × h pixels, 4 bytes each, not premultiplied (borrowed for the call)
 * @param w    pixel width
 * @param h    pixel height
 * @param x    box left
 * @param y    box top
 * @param dw   box width
 * @param dh   box height
 */
void srdi_canvas_image_rgba(srdi_canvas *c, const unsigned char *rgba, int w, int h, double x, double y, double dw,
                            double dh);
/**
 * @brief A link annotation on the box (x, y, w, h) of the current page to a
 * place of the document (PDF backend only; others ignore it).
 * @param c         the canvas
 * @param x         box left
 * @param y         box top
 * @param w         box width
 * @param h         box height
 * @param dest_page the 0-based target page
 * @param dest_y    the target's y on that page
 */
void srdi_canvas_link(srdi_canvas *c, double x, double y, double w, double h, int dest_page, double dest_y);
/**
 * @brief A bookmark (PDF outline entry) nested by level (PDF backend only).
 * @param c     the canvas
 * @param level 0 for chapters, 1 for sections …
 * @param title the text (copied by the backend; NULL: nothing)
 * @param page  the 0-based target page
 * @param y     the target's y
 */
void srdi_canvas_outline(srdi_canvas *c, int level, const char *title, int page, double y);
/**
 * @brief Page labels from @p first_page on (PDF backend only).
 * @param c          the canvas
 * @param first_page the 0-based page the labels start at
 * @param style      0 decimal, 1 lower-case roman
 * @param start      the number of that page
 */
void srdi_canvas_page_label(srdi_canvas *c, int first_page, int style, int start);
/** PDF document metadata for the libharu canvas. */
typedef struct srdi_pdf_info {
    const char *title, *author, *subject, *keywords;
    long long epoch; /* creation date (SOURCE_DATE_EPOCH) */
} srdi_pdf_info;

/**
 * @brief libharu canvas writing a multi-page PDF to @p path at finish (atomically).
 * @param fonts the fonts (borrowed: must outlive the canvas)
 * @param path  the PDF (copied)
 * @param info  title, author, subject, keywords and creation date (copied)
 * @return the canvas (srdi_canvas_free); in an error state for a missing path
 *         (SRDI_ERR_USAGE) or when libharu fails (SRDI_ERR_RENDER, SRDI_ERR_NOMEM);
 *         NULL only when out of memory
 */
srdi_canvas *srdi_canvas_hpdf_new(const srdi_fonts *fonts, const char *path, const srdi_pdf_info *info);
/**
 * @brief Load and embed the PDF canvas's four faces now (sans CJK, sans Latin,
 * serif CJK, serif Latin; otherwise each is loaded on its first text), so one
 * thread may do it while another lays the document out on other canvases.
 * No other thread may use @p c meanwhile.
 * @return the canvas's sticky status (SRDI_ERR_FONT naming the file when libharu
 * cannot load one; the message is set on the calling thread); SRDI_ERR_INTERNAL
 * when @p c is not a libharu canvas.
 */
srdi_status srdi_canvas_hpdf_load_fonts(srdi_canvas *c);
/**
 * @brief Threads a PDF canvas may use to write its file (process-wide; 1 by
 * default): srdi_canvas_finish deflates the streams on n - 1 helper
 * threads (at most 4) while it writes.  The bytes do not depend on n.
 * @param n threads (below 1: 1)
 */
void srdi_canvas_hpdf_set_threads(int n);
/** @brief How many streams, since the program started, a PDF wrote from a helper thread's deflated bytes. */
size_t srdi_canvas_hpdf_streams_helped(void);
/**
 * @brief Keep the PDF's deflated streams in the file @p path for the next
 * PDF, and (@p reuse) write each stream the last one deflated from it: the
 * same bytes (same encoder).  The file is rewritten after the PDF
 * is (srdi_canvas_finish); a missing or damaged one is no file.
 * @param c     a PDF canvas
 * @param path  the stream file (borrowed; NULL: none)
 * @param reuse false: the file is written, not read
 * @return SRDI_OK; SRDI_ERR_INTERNAL for another canvas; SRDI_ERR_NOMEM (message set)
 */
srdi_status srdi_canvas_hpdf_set_streams(srdi_canvas *c, const char *path, bool reuse);
/** @brief How many streams, since the program started, a PDF wrote from its stream file. */
size_t srdi_canvas_hpdf_streams_reused(void);
/** @brief Reads of the PDFs' faces taken from the face file beside the stream file (OUT/.srdi-faces), for tests. */
size_t srdi_canvas_hpdf_face_reads_reused(void);
/**
 * @brief Make a PDF document ahead, with its four faces loaded (what
 * srdi_canvas_hpdf_new and srdi_canvas_hpdf_load_fonts do first for every
 * PDF, whatever its content): the next srdi_canvas_hpdf_new with the same
 * @p fonts takes it instead of making one, and writes the same bytes.  One
 * is kept per process (a new one replaces it); a process forked afterwards
 * has its own copy, so each of several edition workers saves the loading.
 * @param fonts the fonts (borrowed: must outlive the document)
 * @return SRDI_OK; SRDI_ERR_FONT, SRDI_ERR_RENDER or SRDI_ERR_NOMEM (message
 *         set; nothing is kept)
 */
srdi_status srdi_canvas_hpdf_preload(const srdi_fonts *fonts);
/**
 * @brief In a process just forked: give every open of the preloaded
 * document's face files a file offset of its own (libharu reads the faces
 * when it writes the PDF; an offset shared with the parent's other children
 * would mix their reads).  Call it before the document is used; nothing
 * when there is none.
 * @return SRDI_OK; SRDI_ERR_IO (message set) when the files cannot be
 *         reopened: the document is dropped, each PDF loads its faces itself
 */
srdi_status srdi_canvas_hpdf_preload_forked(void);
/** @brief Free the document srdi_canvas_hpdf_preload made, if no canvas took it. */
void srdi_canvas_hpdf_preload_drop(void);
/**
 * @brief Keep the document of every PDF canvas freed from now on (@p on)
 * for the next PDF of the process, as srdi_canvas_hpdf_preload makes one:
 * its pages and objects go (libharu's HPDF_NewDoc), its four parsed faces
 * stay, and the next srdi_canvas_hpdf_new with the same fonts takes it —
 * the same bytes as a document made afresh, without reading the faces
 * again.  A canvas in an error state is freed whole.  While on, a PDF's
 * faces are read from a mapping of their files (no seek and read a glyph).
 * While on, too, a stream of a PDF that an earlier PDF of the process
 * deflated (a face's code-to-glyph and ToUnicode maps: the same in every
 * PDF) is written from the bytes kept then (srdi_canvas_hpdf_streams_shared).
 * With !@p on, nothing is kept from then on (srdi_canvas_hpdf_preload_drop
 * frees the document kept; the streams kept are freed here).
 * @param on keep (true) or stop keeping (false)
 */
void srdi_canvas_hpdf_keep_docs(bool on);
/** @brief How many streams, since the program started, a PDF wrote from those an earlier PDF deflated (srdi_canvas_hpdf_keep_docs). */
size_t srdi_canvas_hpdf_streams_shared(void);
/** @brief How many faces' width arrays, since the program started, a PDF wrote from the bytes an earlier PDF's made (srdi_canvas_hpdf_keep_docs). */
size_t srdi_canvas_hpdf_widths_shared(void);
/** @brief How many writes into libharu's memory streams src/canvas/hpdf.c copied itself, counted up to 1000 (tests). */
size_t srdi_canvas_hpdf_mem_writes(void);
/** @brief How many documents, since the program started, were kept for a next PDF (srdi_canvas_hpdf_keep_docs). */
size_t srdi_canvas_hpdf_docs_kept(void);

/**
 * @brief Write the output (atomically).
 * @param c the canvas
 * @return the sticky status: the first drawing error, or the writer's
 *         (SRDI_ERR_IO, SRDI_ERR_RENDER; message names the file and what was
 *         drawn); SRDI_ERR_NOMEM for NULL
 */
srdi_status srdi_canvas_finish(srdi_canvas *c);
/** @brief The sticky status: SRDI_OK, or the first error. @param c the canvas (NULL: SRDI_ERR_NOMEM) */
srdi_status srdi_canvas_status(const srdi_canvas *c);
/**
 * @brief Put @p c into an error state (the first error sticks), so that
 * srdi_canvas_finish fails with it; also for a failure of the drawing code
 * itself (out of memory while laying out a page) where it cannot return one.
 * @param c  the canvas (NULL: @p st is returned)
 * @param st the error, its message recorded (SRDI_OK changes nothing); the
 *           message gets "(drawing WHAT)" when c->what is set
 * @return the sticky status
 */
srdi_status srdi_canvas_fail(srdi_canvas *c, srdi_status st);
/**
 * @brief Free the canvas, its recorded boxes and the backend's resources (an
 * unfinished output is removed). @param c the canvas (NULL is fine)
 */
void srdi_canvas_free(srdi_canvas *c);
/**
 * @brief Start/stop recording text boxes (kept in c->boxes, freed with the canvas).
 * @param c  the canvas
 * @param on true to record
 */
void srdi_canvas_record_boxes(srdi_canvas *c, bool on);

#endif
