/*
 * src/report/layout_private.h — internals shared by the parts of the layout
 * engine: layout.c (pages, headings, cover, 目录, the main loop),
 * layout_text.c (paragraphs, plain text blocks, footnotes) and
 * layout_tables.c (grids, captions, source lines, data tables, charts).
 *
 * Every function takes the engine state L (one per layout pass, owned by
 * report_layout); strings passed in are borrowed.
 */
#ifndef SRDI_LAYOUT_PRIVATE_H
#define SRDI_LAYOUT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "srdi/canvas.h"
#include "srdi/util.h"
#include "report_private.h"

/* ------------------------------------------------------------- colours */

#define INK     ((srdi_rgba){0.10, 0.10, 0.10, 1})
#define GREY    ((srdi_rgba){0.40, 0.40, 0.40, 1})
#define RULE    ((srdi_rgba){0.25, 0.25, 0.25, 1})
#define LIGHT   ((srdi_rgba){0.80, 0.80, 0.80, 1})
#define HEAD_BG ((srdi_rgba){0.90, 0.93, 0.97, 1})
#define ACCENT  ((srdi_rgba){0.12, 0.30, 0.55, 1})

#define CAP_LH  18.0 /* caption line height */
#define FN_LEAD 12.0 /* footnote line height */
#define FN_SEP  10.0 /* space above the footnotes (holds the short rule) */
#define LAY_FQ_MAX 16 /* figures that may wait for a page turn at once */
#define LAY_MAX_FIG 512 /* 图表 numbers the make-up score follows */
#define LAY_MAX_FN 1024 /* footnote numbers set once (a note cited again on a later page is not repeated) */

/* ---------------------------------------------------------- engine state */

typedef struct L {
    const report_doc *d;
    const srdi_report_opts *o;
    srdi_canvas *c;
    bool dry; /* a make-up option pass on a null canvas nobody reads: lines of text are not drawn (nothing else changes) */
    const srdi_fonts *f;
    const report_layout_result *prev;
    report_layout_result *res;

    double pw, ph;     /* page size */
    double x0, tw;     /* text block left and width */
    double ytop, ybot; /* text block top and bottom */
    double y;          /* next free y */
    int page;          /* 0-based index of the open page, -1 before the first */
    bool open;
    bool bare;         /* page without header / footer (cover) */
    bool opener;       /* the open page starts a chapter (no running head) */
    int body_first;    /* first decimal-numbered page, -1 until known */
    char *chapter;     /* running header text (owned) */
    const char *title; /* report title (running header) */

    double body, lead; /* body font size and line height */
    int fns[128];      /* footnotes placed on the open page */
    int nfn;
    double fn_h; /* height reserved for them at the foot */
    bool fn_set[LAY_MAX_FN]; /* notes set at the foot of a page already (cited again later: not repeated) */

    size_t pend;        /* block to mark when its first content is placed (SIZE_MAX: none) */
    report_lines lines; /* scratch */
    report_lines fnl;   /* scratch for footnotes (measured while a paragraph is open) */
    srdi_buf tmp;       /* scratch */

    size_t fq[LAY_FQ_MAX]; /* figure blocks waiting for a page turn, in numbering order */
    size_t nfq;            /* how many wait */
    bool fq_busy;          /* a waiting figure is being placed: page turns place none */
    srdi_status float_err; /* error of a figure placed by a page turn */
    double head_y;         /* y under the figures a page turn placed at the head of the open page */
    double chart_scale;    /* chart heights × this in the current chapter (1 = as designed) */
    double para_gap;       /* space after a body paragraph in the current chapter */
    double tight; /* body text of the current chapter set tight where that saves a line (em a gap may close; 0: none) */
    const int *opts;       /* per chapter make-up option (index into layout.c's OPTS) */
    const size_t *brks;    /* per chapter: the block before which it turns the page (SIZE_MAX: none), or NULL */
    size_t chap;           /* level-1 headings seen so far */
    int ptext;             /* body text lines set on the open page */
    int pfigs;             /* figure captions set on the open page */
    size_t carry;          /* lines of the next paragraph to set on a new page (0: none) */
    bool splitting;        /* a table turns the page between its rows */
    bool last;             /* the page that closes is the last */
    double turn_fill;      /* fill a page needs before text turns it to stay near a figure it cites */
    int fig_page[LAY_MAX_FIG];  /* page of each 图表 number's caption (-1: not yet) */
    int cite_page[LAY_MAX_FIG]; /* page of the latest text citing each 图表 number (-1: none yet) */
    int chap_page;         /* page where the current chapter starts */
} L;

/**
 * @brief @brief The layout's status: the canvas's sticky one.
 * @param l the layout state of the pass
 */
static inline srdi_status st_of(L *l)
{
    return srdi_canvas_status(l->c);
}

/**
 * @brief Record @p s — an error a step cannot return (it returns a height,
 * or draws) — as the canvas's sticky status, so the build fails with it.
 * @param l the layout state of the pass
 * @param s the status (SRDI_OK: nothing)
 * @return true when @p s is an error
 */
static inline bool lay_failed(L *l, srdi_status s)
{
    if (s != SRDI_OK) srdi_canvas_fail(l->c, s);
    return s != SRDI_OK;
}

/** @brief lay_failed with "out of memory laying out the report". @param l the layout state @return true */
static inline bool lay_nomem(L *l)
{
    return lay_failed(l, srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report"));
}

static inline srdi_font F(srdi_font_family fam, double size, bool bold)
{
    srdi_font f = {fam, size, bold};
    return f;
}

/* Draw bytes [s, s+len) at baseline (x, y); returns the advance. */
static inline double text_n(L *l, srdi_font f, double x, double y, const char *s, size_t len, srdi_rgba col)
{
    srdi_buf_reset(&l->tmp);
    srdi_buf_append(&l->tmp, s, len);
    return srdi_canvas_text(l->c, f, x, y, l->tmp.data ? l->tmp.data : "", col);
}

static inline double width(L *l, srdi_font f, const char *s)
{
    return srdi_text_width(l->f, f, s, strlen(s));
}

static inline void hline(L *l, double x1, double x2, double y, double w, srdi_rgba col)
{
    srdi_canvas_move_to(l->c, x1, y);
    srdi_canvas_line_to(l->c, x2, y);
    srdi_canvas_stroke(l->c, col, w, NULL, 0);
}

/* ------------------------------------------------------ layout.c: pages */

/* Finish the open page (footnotes, running header, footer) / open a new one. */
void lay_page_close(L *l);
/**
 * @brief Count a make-up fault of weight @p w against the current chapter (its make-up score).
 * @param l the layout state of the pass
 * @param w the weight (LAY_FAULT_HARD a fault the acceptance forbids, LAY_FAULT_SHORT a page under 65%)
 */
void lay_fault(L *l, int w);
#define LAY_FAULT_HARD 100
#define LAY_FAULT_SHORT 10
/**
 * @brief Close the open page (lay_page_close) and begin a new one: y at the top, no footnotes; the figures waiting past the text head it (the first always, the next while they fit).
 * @param l the layout state of the pass
 */
void lay_page_new(L *l);
/**
 * @brief Bottom limit for content on the open page (above its footnotes).
 * @param l the layout state of the pass
 */
double lay_limit(const L *l);
/**
 * @brief Start a new page unless @p h fits below y (a fresh page always accepts).
 * @param l the layout state of the pass
 * @param h the height needed
 */
void lay_ensure(L *l, double h);
/**
 * @brief Record that block @p bi starts at the current page and y.
 * @param l the layout state of the pass
 * @param bi the block index
 */
void lay_mark(L *l, size_t bi);

/**
 * @brief Height of the text that ends the chapter after block @p bi (body
 * paragraphs, list items, third-level headings up to the next chapter or the
 * end), or -1 when a figure or a section heading comes first.
 * @param l the layout state of the pass
 * @param bi the block index
 */
double lay_chapter_tail(L *l, size_t bi);

/* -------------------------------------------- layout_text.c: paragraphs */

/**
 * @brief Draw the footnotes of the open page above the bottom margin.
 * @param l the layout state of the pass
 */
void lay_fn_draw(L *l);
/**
 * @brief Draw line @p i of @p ls at left x, top y, line height lh; align 0 left 1 centre 2 right.
 * @param l the layout state of the pass
 * @param ls    the broken lines
 * @param sp    their spans
 * @param i     the line index
 * @param x     left
 * @param y     top
 * @param lh    line height
 * @param avail the width (justification)
 * @param align 0 left, 1 centre, 2 right
 * @param col   the colour
 */
void lay_draw_line(L *l, const report_lines *ls, const report_span *sp, size_t i, double x, double y, double lh,
                   double avail, int align, srdi_rgba col);
/**
 * @brief Typeset an inline as a paragraph (see layout_text.c).
 * @param l the layout state of the pass
 * @param in      the inline
 * @param fam     the font family
 * @param size    the type size
 * @param bold    bold
 * @param lh      the line height
 * @param indent1 first-line indent
 * @param indent  left indent of the other lines
 * @param align   0 justified, else centre / right
 * @param col     the colour
 * @param marker  a list marker set before the first line, or NULL
 * @return the canvas status, or SRDI_ERR_NOMEM
 */
srdi_status lay_flow_inline(L *l, const report_inline *in, srdi_font_family fam, double size, bool bold, double lh,
                            double indent1, double indent, int align, srdi_rgba col, const char *marker);
/**
 * @brief Lines of an inline set as a body paragraph: the first line @p w1 wide, the others @p w.
 * @param l the layout state of the pass
 * @param in the inline
 * @param w1 the first line's width
 * @param w  the other lines' width
 */
size_t lay_para_lines(L *l, const report_inline *in, double w1, double w);
/**
 * @brief Height of an inline set at width @p w.
 * @param l the layout state of the pass
 * @param in   the inline
 * @param fam  the font family
 * @param size the type size
 * @param bold bold
 * @param lh   the line height
 * @param w    the width
 */
double lay_inline_height(L *l, const report_inline *in, srdi_font_family fam, double size, bool bold, double lh,
                         double w);
/**
 * @brief Height a body paragraph keeps under a heading (≤ 3 lines whole, else 2, with footnotes).
 * @param l the layout state of the pass
 * @param in the paragraph's inline
 * @param lh the line height
 * @param w  the width
 */
double lay_para_keep(L *l, const report_inline *in, double lh, double w);
/**
 * @brief Height the notes of a body paragraph add at the foot of the open page.
 * @param l  the layout
 * @param in the paragraph's text
 * @param w  its first line's width (the others the full measure)
 * @return the notes it cites not yet set (and the rule above them when the page has none), 0 for none
 */
double lay_para_notes(L *l, const report_inline *in, double w);
/**
 * @brief Plain string as a wrapped block (captions, sources, cover lines) and its height.
 * @param l the layout state of the pass
 * @param s            the text
 * @param f            the font
 * @param lh           the line height
 * @param align        0 left, 1 centre, 2 right
 * @param col          the colour
 * @param keep_on_page true: the whole block on one page
 */
void lay_flow_plain(L *l, const char *s, srdi_font f, double lh, int align, srdi_rgba col, bool keep_on_page);
/**
 * @brief @brief Height of @p s set as lay_flow_plain would set it (font @p f, line height @p lh).
 * @param l the layout state of the pass
 */
double lay_plain_height(L *l, const char *s, srdi_font f, double lh);

/* ------------------------------------------ layout_tables.c: exhibits */

/**
 * @brief "图表N：caption" (+ "（续）") into @p buf.
 * @param fig  the 图表 number (0: the caption alone)
 * @param cap  the caption
 * @param cont add （续）
 * @param buf  the output
 * @param size its size
 */
void lay_caption_text(int fig, const char *cap, bool cont, char *buf, size_t size);
/**
 * @brief @brief Draw the caption "图表N：caption" (+ "（续）" when @p cont) as a centred block and advance y.
 * @param l the layout state of the pass
 * @param fig the 图表 number
 * @param cap the caption
 */
void lay_draw_caption(L *l, int fig, const char *cap, bool cont);
/**
 * @brief Source line ("资料来源：…") under a figure and its height (0 without).
 * @param l the layout state of the pass
 * @param src the line (NULL or "": nothing)
 */
void lay_draw_source(L *l, const char *src);
/**
 * @brief @brief Height of the source line lay_draw_source draws (0 without one).
 * @param l the layout state of the pass
 * @param src the line
 */
double lay_source_height(L *l, const char *src);
/**
 * @brief Chart box height for chart @p key at the text width.
 * @param l the layout state of the pass
 */
double lay_chart_height(L *l, const char *key);
/**
 * @brief Exhibit blocks: computed table, narrative pipe table, chart (+ table).
 * @param l the layout state of the pass
 * @param b       the block
 * @param t       the table
 * @param caption draw the caption first
 * @param tail    the height the caller draws right after (kept with the last rows)
 * @return the canvas status, or SRDI_ERR_NOMEM
 */
srdi_status lay_do_table(L *l, const report_block *b, const srdi_table *t, bool caption, double tail);
/**
 * @brief @brief Lay out a narrative pipe table of the templates (block @p b).
 * @param l the layout state of the pass
 */
srdi_status lay_do_pipe(L *l, const report_block *b);
/**
 * @brief Lay out chart block @p b: caption, chart (a derived one computed here), note and source, the table's first rows kept with it.
 * @param l the layout state of the pass
 */
srdi_status lay_do_chart(L *l, const report_block *b);
/**
 * @brief Height a figure block (chart, table) needs where it starts; 0 for other blocks.
 * @param l the layout state of the pass
 * @param b the block
 * @param whole a chart at its full height (else at the least it may shrink to)
 */
double lay_float_need(L *l, const report_block *b, bool whole);
/**
 * @brief Height a figure block takes drawn whole: a chart at its full height, a table with all its
 * rows (a long one runs over pages); 0 for other blocks.
 * @param l the layout state of the pass
 * @param b the block
 */
double lay_float_height(L *l, const report_block *b);

/* ------------------------------------- layout_memo.c: a render's answers */

#define LAY_MEMO_NEED 0       /* lay_float_need, not whole */
#define LAY_MEMO_NEED_WHOLE 1 /* lay_float_need, whole */
#define LAY_MEMO_HEIGHT 2     /* lay_float_height */
#define LAY_MEMO_EMPTY 3      /* the chart draws its 暂无数据 box only (1) or not (0); no scale */
/**
 * @brief The answer of kind @p kind for @p key at chart scale @p scale, kept by
 * this thread's memo (report_layout_memo_use) for the render of pass @p l.
 * @param l     the layout state of the pass
 * @param key   the block (the chart key's text for LAY_MEMO_EMPTY)
 * @param kind  LAY_MEMO_*
 * @param scale the pass's chart scale (ignored for LAY_MEMO_EMPTY)
 * @param value receives the answer
 * @return true when it was kept (false: compute it, then lay_memo_put)
 */
bool lay_memo_get(const L *l, const void *key, int kind, double scale, double *value);
/**
 * @brief Keep an answer computed by pass @p l (nothing without a memo, when
 * the pass's canvas has failed, or when out of memory).
 * @param l     the layout state of the pass
 * @param key   the block (the chart key's text for LAY_MEMO_EMPTY)
 * @param kind  LAY_MEMO_*
 * @param scale the pass's chart scale (ignored for LAY_MEMO_EMPTY)
 * @param value the answer
 */
void lay_memo_put(const L *l, const void *key, int kind, double scale, double value);
/**
 * @brief The bytes this thread's memo keeps for the content key [@p key,
 * @p key + @p keylen) in the render of pass @p l (compared byte for byte).
 * @param l      the layout state of the pass
 * @param key    the key's bytes (the whole input of the answer)
 * @param keylen its length
 * @param val    receives the kept bytes (borrowed: valid until the next lay_memo_blob_put
 *               or the memo forgets the render)
 * @param vallen receives their length
 * @return true when kept (false: compute it, then lay_memo_blob_put)
 */
bool lay_memo_blob_get(const L *l, const void *key, size_t keylen, const void **val, size_t *vallen);
/**
 * @brief Keep @p vallen bytes for the content key (nothing without a memo, when
 * the pass's canvas has failed, or when out of memory).
 * @param l      the layout state of the pass
 * @param key    the key's bytes
 * @param keylen its length
 * @param val    the bytes to keep (copied)
 * @param vallen their length
 */
void lay_memo_blob_put(const L *l, const void *key, size_t keylen, const void *val, size_t vallen);

#endif
