/*
 * src/layout/layout.c — the typesetting engine of the report over the canvas.
 *
 * A4 pages with ~25 mm margins; body text serif 10.5 pt justified with a
 * 2 em first-line indent; headings in sans; tables that split across pages
 * with the header row repeated; figures kept with their caption (above) and
 * 资料来源 line (below); footnotes at the foot of the page; running header
 * (report title left, chapter right, thin rule) and page numbers in the
 * footer; a cover page; 目录 and 图表目录 with dotted leaders and page numbers
 * from the previous pass; PDF outlines, links and page labels.
 *
 * The engine is run twice (srdi_report_render): pass 1 on the null canvas
 * only to learn where headings and figures land, pass 2 on the PDF.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/charts.h"
#include "srdi/util.h"
#include "report_private.h"

/* ------------------------------------------------------------- constants */

static const srdi_rgba INK = { 0.10, 0.10, 0.10, 1 };
static const srdi_rgba GREY = { 0.40, 0.40, 0.40, 1 };
static const srdi_rgba RULE = { 0.25, 0.25, 0.25, 1 };
static const srdi_rgba LIGHT = { 0.80, 0.80, 0.80, 1 };
static const srdi_rgba HEAD_BG = { 0.90, 0.93, 0.97, 1 };
static const srdi_rgba ACCENT = { 0.12, 0.30, 0.55, 1 };

typedef struct L {
    const rpt_doc           *d;
    const srdi_report_opts  *o;
    srdi_canvas             *c;
    const srdi_fonts        *f;
    const rpt_layout_result *prev;
    rpt_layout_result       *res;

    double pw, ph;              /* page size */
    double x0, tw;              /* text block left and width */
    double ytop, ybot;          /* text block top and bottom */
    double y;                   /* next free y */
    int    page;                /* 0-based index of the open page, -1 before the first */
    bool   open;
    bool   bare;                /* page without header / footer (cover) */
    int    body_first;          /* first decimal-numbered page, -1 until known */
    char  *chapter;             /* running header text (owned) */
    const char *title;          /* report title (running header) */

    double body, lead;          /* body font size and line height */
    int    fns[128];            /* footnotes placed on the open page */
    int    nfn;
    double fn_h;                /* height reserved for them at the foot */

    size_t pend;                /* block to mark when its first content is placed (SIZE_MAX: none) */
    rpt_lines lines;            /* scratch */
    rpt_lines fnl;              /* scratch for footnotes (measured while a paragraph is open) */
    srdi_buf  tmp;              /* scratch */
} L;

static srdi_status st_of(L *l) { return srdi_canvas_status(l->c); }

static srdi_font F(srdi_font_family fam, double size, bool bold)
{
    srdi_font f = { fam, size, bold };
    return f;
}

/* Draw bytes [s, s+len) at baseline (x, y). */
static double text_n(L *l, srdi_font f, double x, double y, const char *s, size_t len, srdi_rgba col)
{
    srdi_buf_reset(&l->tmp);
    srdi_buf_append(&l->tmp, s, len);
    return srdi_canvas_text(l->c, f, x, y, l->tmp.data ? l->tmp.data : "", col);
}

static double width(L *l, srdi_font f, const char *s)
{
    return srdi_text_width(l->f, f, s, strlen(s));
}

static void hline(L *l, double x1, double x2, double y, double w, srdi_rgba col)
{
    srdi_canvas_move_to(l->c, x1, y);
    srdi_canvas_line_to(l->c, x2, y);
    srdi_canvas_stroke(l->c, col, w, NULL, 0);
}

/* Printed page number of page index @p p ("iii" front matter, "12" body). */
static void page_label_text(int body_first, int p, char *buf, size_t size)
{
    if (body_first >= 0 && p >= body_first)
        snprintf(buf, size, "%d", p - body_first + 1);
    else
        rpt_roman(p + 1, buf, size);
}

/* ------------------------------------------------------------ footnotes */

/* Spans of a footnote's text (number + text) at the footnote size. */
static size_t fn_spans(L *l, int num, rpt_span *sp, size_t max, char *nb, size_t nbsize)
{
    const rpt_footnote *fn = NULL;
    for (size_t i = 0; i < l->d->nnotes; i++)
        if (l->d->notes[i].number == num)
            fn = &l->d->notes[i];
    snprintf(nb, nbsize, "%d ", num);
    size_t n = 0;
    sp[n++] = (rpt_span){ nb, strlen(nb), F(SRDI_FONT_SERIF, 8.5, false), 0, false };
    for (size_t i = 0; fn && i < fn->text.n && n < max; i++) {
        const rpt_run *r = &fn->text.runs[i];
        if (r->style & (RPT_FNREF | RPT_BREAK))
            continue;
        sp[n++] = (rpt_span){ r->text, strlen(r->text),
                              F(r->style & RPT_EMPH ? SRDI_FONT_SANS : SRDI_FONT_SERIF, 8.5,
                                (r->style & RPT_BOLD) != 0), 0, false };
    }
    return n;
}

/* Spans a footnote needs at most (its runs + the number), so none is dropped. */
static size_t fn_span_cap(const L *l, int num)
{
    size_t n = 1;
    for (size_t i = 0; i < l->d->nnotes; i++)
        if (l->d->notes[i].number == num && l->d->notes[i].text.n + 1 > n)
            n = l->d->notes[i].text.n + 1;
    return n;
}

#define FN_LEAD 12.0
#define FN_SEP  10.0

static double fn_height(L *l, int num)
{
    char nb[16];
    size_t cap = fn_span_cap(l, num);
    rpt_span *sp = malloc(cap * sizeof *sp);
    if (!sp)
        return FN_LEAD;
    size_t n = fn_spans(l, num, sp, cap, nb, sizeof nb);
    double h = rpt_break_lines(l->f, sp, n, l->tw, l->tw - 12, false, &l->fnl) ? FN_LEAD
                                                                             : (double)l->fnl.nlines * FN_LEAD;
    free(sp);
    return h;
}

/* Draw the footnotes of the open page above the bottom margin. */
static void fn_draw(L *l)
{
    if (l->nfn == 0)
        return;
    double y = l->ybot - l->fn_h + FN_SEP;
    hline(l, l->x0, l->x0 + l->tw / 3, y - FN_SEP / 2, 0.5, RULE);
    for (int k = 0; k < l->nfn; k++) {
        char nb[16];
        size_t cap = fn_span_cap(l, l->fns[k]);
        rpt_span *sp = malloc(cap * sizeof *sp);
        if (!sp)
            return;
        size_t n = fn_spans(l, l->fns[k], sp, cap, nb, sizeof nb);
        if (rpt_break_lines(l->f, sp, n, l->tw, l->tw - 12, true, &l->fnl)) {
            free(sp);
            return;
        }
        for (size_t i = 0; i < l->fnl.nlines; i++) {
            const rpt_line *ln = &l->fnl.lines[i];
            double x = l->x0 + (i ? 12 : 0);
            for (size_t p = 0; p < ln->count; p++) {
                const rpt_piece *pc = &l->fnl.pieces[ln->first + p];
                text_n(l, sp[pc->span].font, x + pc->x, y + 9, sp[pc->span].text + pc->start,
                       pc->end - pc->start, INK);
            }
            y += FN_LEAD;
        }
        free(sp);
    }
}

/* ------------------------------------------------------------------ pages */

/* Finish the open page: footnotes, running header, footer. */
static void page_close(L *l)
{
    if (!l->open)
        return;
    fn_draw(l);
    if (!l->bare) {
        srdi_font hf = F(SRDI_FONT_SANS, 8.5, false);
        double hy = l->ytop - 16;
        srdi_canvas_text(l->c, hf, l->x0, hy, l->title, GREY);
        if (l->chapter)
            srdi_canvas_text_aligned(l->c, hf, l->x0 + l->tw, hy, 2, l->chapter, GREY);
        hline(l, l->x0, l->x0 + l->tw, hy + 5, 0.5, RULE);
        char num[32];
        page_label_text(l->body_first, l->page, num, sizeof num);
        srdi_canvas_text_aligned(l->c, F(SRDI_FONT_SERIF, 9, false), l->x0 + l->tw / 2,
                                 l->ybot + 30, 1, num, GREY);
    }
    srdi_canvas_end_page(l->c);
    l->open = false;
}

static void page_new(L *l)
{
    page_close(l);
    srdi_canvas_begin_page(l->c, l->pw, l->ph);
    l->page++;
    l->open = true;
    l->bare = false;
    l->y = l->ytop;
    l->nfn = 0;
    l->fn_h = 0;
}

/* Bottom limit for content on the open page. */
static double limit(const L *l) { return l->ybot - l->fn_h; }

/* Start a new page unless @p h fits below y (a fresh page always accepts). */
static void ensure(L *l, double h)
{
    if (!l->open || (l->y + h > limit(l) + 0.01 && l->y > l->ytop + 0.01))
        page_new(l);
}

static void set_chapter(L *l, const char *s)
{
    free(l->chapter);
    l->chapter = srdi_strdup(s);
}

static void mark(L *l, size_t bi)
{
    l->pend = SIZE_MAX;
    if (bi < l->d->nblocks && l->res->block_page[bi] < 0) {
        l->res->block_page[bi] = l->page;
        l->res->block_y[bi] = l->y;
    }
}

/* --------------------------------------------------------------- inlines */

/* Spans of an inline at @p size (base family @p fam); returns the count. */
static size_t inline_spans(const rpt_inline *in, srdi_font_family fam, double size, bool bold,
                           rpt_span *sp, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n && n < max; i++) {
        const rpt_run *r = &in->runs[i];
        if (r->style & RPT_BREAK) {
            sp[n++] = (rpt_span){ "\n", 1, F(fam, size, bold), (int)i, false };
            continue;
        }
        if (r->style & RPT_FNREF) {
            sp[n++] = (rpt_span){ r->text, strlen(r->text), F(SRDI_FONT_SERIF, size * 0.6, false),
                                  (int)i, true };
            continue;
        }
        srdi_font_family ff = r->style & RPT_EMPH ? SRDI_FONT_SANS : fam;
        sp[n++] = (rpt_span){ r->text, strlen(r->text), F(ff, size, bold || (r->style & RPT_BOLD)),
                              (int)i, false };
    }
    return n;
}

/* Draw line @p i of l->lines at left x, top y with line height lh; align 0 left 1 centre 2 right. */
static void draw_line(L *l, const rpt_span *sp, size_t i, double x, double y, double lh,
                      double avail, int align, srdi_rgba col)
{
    const rpt_line *ln = &l->lines.lines[i];
    double size = 0;
    for (size_t p = 0; p < ln->count; p++) {
        double s = sp[l->lines.pieces[ln->first + p].span].font.size;
        if (!sp[l->lines.pieces[ln->first + p].span].superscript && s > size)
            size = s;
    }
    if (size == 0)
        size = lh / 1.6;
    double base = y + lh / 2 + size * 0.36;
    if (align == 1)
        x += (avail - ln->width) / 2;
    else if (align == 2)
        x += avail - ln->width;
    for (size_t p = 0; p < ln->count; p++) {
        const rpt_piece *pc = &l->lines.pieces[ln->first + p];
        const rpt_span *s = &sp[pc->span];
        double by = s->superscript ? base - size * 0.38 : base;
        text_n(l, s->font, x + pc->x, by, s->text + pc->start, pc->end - pc->start, col);
    }
}

/* Footnote numbers referenced on line i. */
static int line_footnotes(L *l, const rpt_span *sp, const rpt_inline *in, size_t i, int *out, int max)
{
    const rpt_line *ln = &l->lines.lines[i];
    int n = 0;
    for (size_t p = 0; p < ln->count && n < max; p++) {
        const rpt_span *s = &sp[l->lines.pieces[ln->first + p].span];
        if (s->superscript && s->tag >= 0 && (size_t)s->tag < in->n && in->runs[s->tag].footnote > 0)
            out[n++] = in->runs[s->tag].footnote;
    }
    return n;
}

/*
 * Typeset an inline as a paragraph: @p indent1 first-line indent, @p indent
 * left indent of the other lines, justified unless @p align != 0.
 */
static srdi_status flow_inline(L *l, const rpt_inline *in, srdi_font_family fam, double size, bool bold,
                               double lh, double indent1, double indent, int align, srdi_rgba col,
                               const char *marker)
{
    /* one span per run, however many runs a paragraph has (no text is dropped) */
    rpt_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a paragraph");
    size_t n = inline_spans(in, fam, size, bold, sp, in->n + 1);
    srdi_status s = rpt_break_lines(l->f, sp, n, l->tw - indent1, l->tw - indent, align == 0, &l->lines);
    if (s) {
        free(sp);
        return s;
    }
    for (size_t i = 0; i < l->lines.nlines; i++) {
        int fns[8];
        int nf = line_footnotes(l, sp, in, i, fns, 8);
        double need = lh;
        for (int k = 0; k < nf; k++)
            need += fn_height(l, fns[k]) + (l->nfn == 0 && k == 0 ? FN_SEP : 0);
        ensure(l, need);
        for (int k = 0; k < nf && l->nfn < (int)(sizeof l->fns / sizeof l->fns[0]); k++) {
            l->fn_h += fn_height(l, fns[k]) + (l->nfn == 0 ? FN_SEP : 0);
            l->fns[l->nfn++] = fns[k];
        }
        double x = l->x0 + (i == 0 ? indent1 : indent);
        if (i == 0 && marker && *marker)
            srdi_canvas_text(l->c, F(fam, size, bold), l->x0 + indent - size * 1.3,
                             l->y + lh / 2 + size * 0.36, marker, col);
        draw_line(l, sp, i, x, l->y, lh, l->tw - (i == 0 ? indent1 : indent), align, col);
        l->y += lh;
    }
    free(sp);
    return st_of(l);
}

/* Height of an inline set at the given width (for keep-with-next decisions). */
static double inline_height(L *l, const rpt_inline *in, srdi_font_family fam, double size, bool bold,
                            double lh, double w)
{
    rpt_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp)
        return lh;
    size_t n = inline_spans(in, fam, size, bold, sp, in->n + 1);
    double h = rpt_break_lines(l->f, sp, n, w, w, false, &l->lines) ? lh : (double)l->lines.nlines * lh;
    free(sp);
    return h;
}

/* Plain string as a wrapped block (captions, sources, cover lines). */
static void flow_plain(L *l, const char *s, srdi_font f, double lh, int align, srdi_rgba col,
                       bool keep_on_page)
{
    rpt_span sp[1] = { { s, strlen(s), f, 0, false } };
    if (rpt_break_lines(l->f, sp, 1, l->tw, l->tw, false, &l->lines))
        return;
    if (keep_on_page)
        ensure(l, (double)l->lines.nlines * lh);
    for (size_t i = 0; i < l->lines.nlines; i++) {
        if (!keep_on_page)
            ensure(l, lh);
        draw_line(l, sp, i, l->x0, l->y, lh, l->tw, align, col);
        l->y += lh;
    }
}

static double plain_height(L *l, const char *s, srdi_font f, double lh)
{
    rpt_span sp[1] = { { s, strlen(s), f, 0, false } };
    if (rpt_break_lines(l->f, sp, 1, l->tw, l->tw, false, &l->lines))
        return lh;
    return (double)l->lines.nlines * lh;
}

/* ----------------------------------------------------------------- grids */

typedef struct grid {
    size_t  ncols, nrows;      /* nrows includes the header row */
    char  **cells;             /* borrowed or owned by the caller */
    int    *align;             /* per column */
    double  size, lh, pad;
    double *w;                 /* column widths */
    double *rowh;              /* row heights */
} grid;

/* Does the string look like a number ("1,234", "10.57%", "2.89倍", "—")? */
static bool numeric_text(const char *s)
{
    bool digit = false;
    if (strcmp(s, "—") == 0 || strcmp(s, "-") == 0)
        return true;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= '0' && ch <= '9')
            digit = true;
        else if (!strchr("+-.,% ", ch) && ch < 0x80)
            return false;
    }
    return digit && strlen(s) < 24;
}

/* Width of the widest cell line (unbroken) of a column at font size s. */
static double grid_cell_w(L *l, const char *s, double size)
{
    return width(l, F(SRDI_FONT_SANS, size, false), s);
}

/* Column widths and row heights so the grid fits the text width. */
static srdi_status grid_measure(L *l, grid *g)
{
    if (g->w && g->rowh)
        return SRDI_OK;   /* already measured (do_chart measures before drawing) */
    g->w = calloc(g->ncols + 1, sizeof *g->w);
    g->rowh = calloc(g->nrows + 1, sizeof *g->rowh);
    double *nat = calloc(g->ncols + 1, sizeof *nat);
    if (!g->w || !g->rowh || !nat) {
        free(nat);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a table");
    }
    g->pad = 4;
    for (g->size = 9.0; g->size >= 7.0; g->size -= 0.5) {
        double sum = 0;
        for (size_t c = 0; c < g->ncols; c++) {
            nat[c] = 0;
            for (size_t r = 0; r < g->nrows; r++) {
                double w = grid_cell_w(l, g->cells[r * g->ncols + c], g->size) + 2 * g->pad;
                if (w > nat[c])
                    nat[c] = w;
            }
            sum += nat[c];
        }
        if (sum <= l->tw || g->size <= 7.0)
            break;
    }
    if (g->size < 7.0)
        g->size = 7.0;
    g->lh = g->size * 1.4;
    double sum = 0;
    for (size_t c = 0; c < g->ncols; c++)
        sum += nat[c];
    if (sum <= l->tw) {
        double extra = (l->tw - sum) / (double)g->ncols;
        for (size_t c = 0; c < g->ncols; c++)
            g->w[c] = nat[c] + extra;
    } else {
        /* water-filling: narrow columns keep their natural width, the rest share */
        bool *fixed = calloc(g->ncols + 1, sizeof *fixed);
        if (!fixed) {
            free(nat);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a table");
        }
        double left = l->tw;
        size_t nfree = g->ncols;
        bool changed = true;
        while (changed && nfree > 0) {
            changed = false;
            double share = left / (double)nfree;
            for (size_t c = 0; c < g->ncols; c++)
                if (!fixed[c] && nat[c] <= share) {
                    fixed[c] = true;
                    g->w[c] = nat[c];
                    left -= nat[c];
                    nfree--;
                    changed = true;
                }
        }
        for (size_t c = 0; c < g->ncols; c++)
            if (!fixed[c])
                g->w[c] = left / (double)(nfree ? nfree : 1);
        free(fixed);
    }
    free(nat);
    for (size_t r = 0; r < g->nrows; r++) {
        double h = g->lh;
        for (size_t c = 0; c < g->ncols; c++) {
            rpt_span sp[1] = { { g->cells[r * g->ncols + c], strlen(g->cells[r * g->ncols + c]),
                                 F(SRDI_FONT_SANS, g->size, r == 0), 0, false } };
            srdi_status s = rpt_break_lines(l->f, sp, 1, g->w[c] - 2 * g->pad, g->w[c] - 2 * g->pad,
                                            false, &l->lines);
            if (s)
                return s;
            double hh = (double)(l->lines.nlines ? l->lines.nlines : 1) * g->lh;
            if (hh > h)
                h = hh;
        }
        g->rowh[r] = h + 2 * 2.5;
    }
    return SRDI_OK;
}

/* Draw row r of the grid at l->y. */
static void grid_row(L *l, const grid *g, size_t r)
{
    double x = l->x0;
    if (r == 0) {
        srdi_canvas_rect(l->c, l->x0, l->y, l->tw, g->rowh[0]);
        srdi_canvas_fill(l->c, HEAD_BG);
    }
    for (size_t c = 0; c < g->ncols; c++) {
        const char *s = g->cells[r * g->ncols + c];
        rpt_span sp[1] = { { s, strlen(s), F(SRDI_FONT_SANS, g->size, r == 0), 0, false } };
        double cw = g->w[c] - 2 * g->pad;
        if (rpt_break_lines(l->f, sp, 1, cw, cw, false, &l->lines))
            return;
        int al = r == 0 ? 1 : g->align[c];
        double ty = l->y + 2.5 + (g->rowh[r] - 5 - (double)l->lines.nlines * g->lh) / 2;
        for (size_t i = 0; i < l->lines.nlines; i++)
            draw_line(l, sp, i, x + g->pad, ty + (double)i * g->lh, g->lh, cw, al, INK);
        x += g->w[c];
    }
    l->y += g->rowh[r];
    if (r == 0)
        hline(l, l->x0, l->x0 + l->tw, l->y, 0.6, RULE);
    else if (r + 1 < g->nrows)
        hline(l, l->x0, l->x0 + l->tw, l->y, 0.3, LIGHT);
}

#define CAP_LH 18.0

static void caption_text(int fig, const char *cap, bool cont, char *buf, size_t size)
{
    if (fig > 0)
        snprintf(buf, size, "图表%d：%s%s", fig, cap ? cap : "", cont ? "（续）" : "");
    else
        snprintf(buf, size, "%s%s", cap ? cap : "", cont ? "（续）" : "");
}

static void draw_caption(L *l, int fig, const char *cap, bool cont)
{
    char buf[1024];
    caption_text(fig, cap, cont, buf, sizeof buf);
    if (!buf[0])
        return;
    flow_plain(l, buf, F(SRDI_FONT_SANS, 10, true), CAP_LH, 1, ACCENT, true);
    l->y += 2;
}

/*
 * Height that must fit on the page where a measured grid starts: the caption
 * (@p caph) and the header with the first two rows, or the whole table plus
 * @p tail (the note / source lines drawn under it) when the table is small
 * (up to 40% of the text height) and is kept whole.
 */
static double grid_first_height(const L *l, const grid *g, double caph, double tail)
{
    double first = caph + g->rowh[0] + (g->nrows > 1 ? g->rowh[1] : 0) + (g->nrows > 2 ? g->rowh[2] : 0);
    double total = caph;
    for (size_t r = 0; r < g->nrows; r++)
        total += g->rowh[r];
    if (total <= (l->ybot - l->ytop) * 0.4)
        first = total + tail;
    return first;
}

/*
 * Draw a grid, splitting across pages with the header row repeated (and the
 * caption repeated with "（续）").  The caption (if any) and the first rows
 * are kept together; a small table is kept whole, and a split never
 * leaves fewer than three rows alone on its last page.  @p tail is the
 * height of what the caller draws right under the grid (note, source line):
 * the last rows go over with it rather than leave it alone on a new page.
 */
static srdi_status grid_draw(L *l, grid *g, int fig, const char *cap, bool caption_first, double tail)
{
    srdi_status s = grid_measure(l, g);
    if (s)
        return s;
    double caph = 0;
    if (caption_first && (fig > 0 || (cap && *cap))) {
        char buf[1024];
        caption_text(fig, cap, false, buf, sizeof buf);
        caph = plain_height(l, buf, F(SRDI_FONT_SANS, 10, true), CAP_LH) + 2;
    }
    /* a small table is kept whole: no page with one stray row under a
       repeated caption and header */
    double first = grid_first_height(l, g, caph, tail);
    ensure(l, first);
    if (l->pend != SIZE_MAX)
        mark(l, l->pend);
    if (caph > 0)
        draw_caption(l, fig, cap, false);
    hline(l, l->x0, l->x0 + l->tw, l->y, 1.0, RULE);
    grid_row(l, g, 0);
    size_t on_page = 0;   /* body rows drawn on the current page */
    for (size_t r = 1; r < g->nrows; r++) {
        /* the last three rows do not go over alone: break before them when
           they do not all fit and this page already has three rows */
        double rest = tail + 4;
        for (size_t k = r; k < g->nrows; k++)
            rest += g->rowh[k];
        bool widow = g->nrows - r <= 3 && on_page >= 3 && l->y + rest > limit(l) + 0.01;
        if (widow || l->y + g->rowh[r] > limit(l) + 0.01) {
            on_page = 0;
            hline(l, l->x0, l->x0 + l->tw, l->y, 1.0, RULE);
            page_new(l);
            if (fig > 0)
                draw_caption(l, fig, cap, true);
            hline(l, l->x0, l->x0 + l->tw, l->y, 1.0, RULE);
            grid_row(l, g, 0);
        }
        grid_row(l, g, r);
        on_page++;
    }
    hline(l, l->x0, l->x0 + l->tw, l->y, 1.0, RULE);
    l->y += 4;
    return st_of(l);
}

static void grid_free(grid *g)
{
    free(g->w);
    free(g->rowh);
    g->w = g->rowh = NULL;
}

/* Text of the source line for @p src ("资料来源：" prefixed unless present). */
static void source_text(const char *src, char *buf, size_t size)
{
    if (strncmp(src, "资料来源", strlen("资料来源")) == 0 || strncmp(src, "来源", strlen("来源")) == 0)
        snprintf(buf, size, "%s", src);
    else
        snprintf(buf, size, "资料来源：%s", src);
}

/* Source line ("资料来源：…") under a figure. */
static void draw_source(L *l, const char *src)
{
    if (!src || !*src)
        return;
    char buf[1200];
    source_text(src, buf, sizeof buf);
    flow_plain(l, buf, F(SRDI_FONT_SERIF, 9, false), 13, 0, GREY, false);
}

/* Height draw_source(@p src) takes (0 without a source). */
static double source_height(L *l, const char *src)
{
    if (!src || !*src)
        return 0;
    char buf[1200];
    source_text(src, buf, sizeof buf);
    return plain_height(l, buf, F(SRDI_FONT_SERIF, 9, false), 13);
}

/* Text of a table note ("注：" prefixed unless present). */
static void note_text(const char *note, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", strncmp(note, "注", 3) == 0 ? "" : "注：", note);
}

/* Height of the note line(s) of @p t (0 without a note). */
static double note_height(L *l, const srdi_table *t)
{
    if (!t->note || !*t->note)
        return 0;
    char buf[1200];
    note_text(t->note, buf, sizeof buf);
    return plain_height(l, buf, F(SRDI_FONT_SERIF, 9, false), 13);
}

/* ----------------------------------------------------------- data tables */

/* Build the cells of a computed table (top / cols selection); caller frees cells. */
static srdi_status table_cells(const srdi_table *t, const rpt_block *b, grid *g, char ***owned)
{
    size_t ncols = 1 + (b->ncolsel ? b->ncolsel : t->ncols);
    size_t nrows = t->nrows;
    if (b->top > 0 && (size_t)b->top < nrows)
        nrows = (size_t)b->top;
    size_t total = ncols * (nrows + 1 + (nrows == 0));
    char **cells = calloc(total + 1, sizeof *cells);
    int *align = calloc(ncols + 1, sizeof *align);
    int *colidx = calloc(ncols + 1, sizeof *colidx);
    if (!cells || !align || !colidx) {
        free(cells);
        free(align);
        free(colidx);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
    }
    for (size_t c = 1; c < ncols; c++)
        colidx[c] = b->ncolsel ? srdi_table_col(t, b->colsel[c - 1]) : (int)(c - 1);
    cells[0] = srdi_strdup("项目");
    for (size_t c = 1; c < ncols; c++) {
        const srdi_tcol *col = &t->cols[colidx[c]];
        srdi_buf hb = { 0 };
        if (col->unit && *col->unit && col->type != SRDI_COL_TEXT)
            srdi_buf_printf(&hb, "%s（%s）", col->label, col->unit);
        else
            srdi_buf_puts(&hb, col->label);
        cells[c] = srdi_buf_steal(&hb);
        align[c] = col->type == SRDI_COL_TEXT ? 0 : 2;
    }
    align[0] = 0;
    for (size_t r = 0; r < nrows; r++) {
        const srdi_trow *row = &t->rows[r];
        cells[(r + 1) * ncols] = srdi_strdup(row->label && *row->label ? row->label : row->key);
        for (size_t c = 1; c < ncols; c++) {
            char buf[256] = "";
            srdi_cell_format(&t->cols[colidx[c]], &row->cells[colidx[c]], buf, sizeof buf);
            cells[(r + 1) * ncols + c] = srdi_strdup(buf);
        }
    }
    if (nrows == 0) {
        cells[ncols] = srdi_strdup("暂无数据");
        for (size_t c = 1; c < ncols; c++)
            cells[ncols + c] = srdi_strdup("");
        nrows = 1;
    }
    free(colidx);
    g->ncols = ncols;
    g->nrows = nrows + 1;
    g->cells = cells;
    g->align = align;
    *owned = cells;
    for (size_t i = 0; i < ncols * g->nrows; i++)
        if (!cells[i])
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
    return SRDI_OK;
}

static void cells_free(char **cells, size_t n)
{
    if (!cells)
        return;
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/*
 * Draw table @p t (its caption first when @p caption), then its note.
 * @p g is the table's grid from table_cells (measured or not); it is
 * freed here.  @p tail is the height the caller draws right after
 * (the source line), kept on the page with the last rows and the note.
 */
static srdi_status table_draw_grid(L *l, const rpt_block *b, const srdi_table *t, bool caption,
                                   grid *g, char **cells, double tail)
{
    srdi_status s = grid_draw(l, g, b->fig, b->caption && *b->caption ? b->caption : t->title, caption,
                              note_height(l, t) + tail);
    if (!s && t->note && *t->note) {
        char buf[1200];
        note_text(t->note, buf, sizeof buf);
        flow_plain(l, buf, F(SRDI_FONT_SERIF, 9, false), 13, 0, GREY, false);
    }
    cells_free(cells, g->ncols * g->nrows);
    free(g->align);
    grid_free(g);
    return s ? s : st_of(l);
}

/* Draw computed table @p t (see table_draw_grid). */
static srdi_status do_table(L *l, const rpt_block *b, const srdi_table *t, bool caption, double tail)
{
    grid g = { 0 };
    char **cells = NULL;
    srdi_status s = table_cells(t, b, &g, &cells);
    if (s) {
        cells_free(cells, g.ncols * g.nrows);
        free(g.align);
        return s;
    }
    return table_draw_grid(l, b, t, caption, &g, cells, tail);
}

/* Chart box height for a chart key at the text width. */
static double chart_height(L *l, const char *key)
{
    const srdi_chart_def *cd = srdi_chart_find(key);
    double a = cd && cd->aspect > 0.1 ? cd->aspect : 0.6;
    double h = l->tw * a, maxh = (l->ybot - l->ytop) * 0.62;
    return h > maxh ? maxh : h;
}

/* A chart may shrink to this share of its height to stay on a page. */
#define CHART_MIN_SCALE 0.8

/*
 * Chart block: caption, chart, the chart's table when the template asks
 * for it (with_table), source line.  The caption, the chart and the
 * table's first rows (a small table whole) stay on one page; when they do
 * not fit below the text already on the page, the chart shrinks to as
 * little as CHART_MIN_SCALE of its height rather than leave the rest of
 * the page empty.
 */
static srdi_status do_chart(L *l, const rpt_block *b)
{
    const srdi_table *t = l->o->tables ? srdi_tableset_get(l->o->tables, b->key) : NULL;
    double h = chart_height(l, b->key);
    char cap[1024];
    caption_text(b->fig, b->caption, false, cap, sizeof cap);
    double caph = plain_height(l, cap, F(SRDI_FONT_SANS, 10, true), CAP_LH) + 2;
    const char *src = b->source ? b->source : t ? t->source : NULL;
    double srch = source_height(l, src);
    grid g = { 0 };
    char **cells = NULL;
    srdi_status s = SRDI_OK;
    double below = srch;   /* what must follow the chart on its page */
    if (b->with_table && t) {
        s = table_cells(t, b, &g, &cells);
        if (!s)
            s = grid_measure(l, &g);
        if (s)
            goto cleanup;
        below = grid_first_height(l, &g, 0, note_height(l, t) + srch);
    }
    double rest = caph + 6 + below;
    if (l->open && l->y + rest + h > limit(l) + 0.01 && l->y > l->ytop + 0.01) {
        double room = limit(l) - l->y - rest;
        if (room >= h * CHART_MIN_SCALE)
            h = room;
    }
    ensure(l, rest + h);
    if (l->pend != SIZE_MAX)
        mark(l, l->pend);
    draw_caption(l, b->fig, b->caption, false);
    s = srdi_chart_draw(l->c, b->key, t, l->o->params, l->x0, l->y, l->tw, h, false);
    if (s)
        goto cleanup;
    l->y += h + 6;
    if (b->with_table && t) {
        s = table_draw_grid(l, b, t, false, &g, cells, srch);
        cells = NULL;
        if (s)
            return s;
    }
    draw_source(l, src);
    l->y += 8;
    return st_of(l);
cleanup:
    cells_free(cells, g.ncols * g.nrows);
    free(g.align);
    grid_free(&g);
    return s;
}

/* ------------------------------------------------------------- TOC / LOF */

typedef struct toc_entry {
    char  *text;   /* owned */
    int    level;  /* 0 chapter-level, 1 section */
    size_t block;
} toc_entry;

/* Entries of the 目录 (toc) or 图表目录 (!toc). */
static size_t toc_entries(L *l, bool toc, toc_entry **out)
{
    size_t n = 0;
    toc_entry *e = calloc(l->d->nblocks + l->d->nfigs + 1, sizeof *e);
    if (!e)
        return 0;
    if (toc) {
        for (size_t i = 0; i < l->d->nblocks; i++) {
            const rpt_block *b = &l->d->blocks[i];
            if (b->kind != RB_HEADING || b->level > 2 || (!b->chapter && b->level > 1))
                continue;
            char *plain = rpt_inline_plain(&b->text);
            srdi_buf t = { 0 };
            if (b->number && *b->number)
                srdi_buf_printf(&t, "%s %s", b->number, plain ? plain : "");
            else
                srdi_buf_puts(&t, plain ? plain : "");
            free(plain);
            e[n++] = (toc_entry){ srdi_buf_steal(&t), b->level - 1, i };
        }
    } else {
        for (size_t i = 0; i < l->d->nfigs; i++) {
            char buf[1024];
            caption_text(l->d->figs[i].number, l->d->figs[i].caption, false, buf, sizeof buf);
            e[n++] = (toc_entry){ srdi_strdup(buf), 0, l->d->figs[i].block };
        }
    }
    *out = e;
    return n;
}

/* A generated list page: heading, then entries with dotted leaders and page numbers. */
static srdi_status do_toc(L *l, size_t bi, bool toc)
{
    const char *title = toc ? "目  录" : "图表目录";
    page_new(l);
    set_chapter(l, toc ? "目录" : "图表目录");
    mark(l, bi);
    srdi_canvas_outline(l->c, 0, toc ? "目录" : "图表目录", l->page, l->y);
    flow_plain(l, title, F(SRDI_FONT_SANS, 18, true), 30, 1, INK, true);
    l->y += 12;
    toc_entry *e = NULL;
    size_t n = toc_entries(l, toc, &e);
    const double numw = 28;
    /* 图表目录: the "图表N：" labels form a column, the titles start
       together after the widest label */
    const char *colon = "：";
    double labw = 0;
    for (size_t i = 0; i < n && !toc; i++) {
        const char *c = e[i].text ? strstr(e[i].text, colon) : NULL;
        if (c) {
            srdi_buf_reset(&l->tmp);
            srdi_buf_append(&l->tmp, e[i].text, (size_t)(c - e[i].text) + strlen(colon));
            double w = width(l, F(SRDI_FONT_SERIF, 10.5, false), l->tmp.data ? l->tmp.data : "");
            if (w > labw)
                labw = w;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const toc_entry *t = &e[i];
        bool top = toc && t->level == 0;
        srdi_font f = top ? F(SRDI_FONT_SANS, 10.5, true) : F(SRDI_FONT_SERIF, 10.5, false);
        double indent = toc && t->level == 1 ? 21 : 0, lh = top ? 22 : 18;
        const char *text = t->text ? t->text : "";
        const char *c = toc ? NULL : strstr(text, colon);
        size_t lablen = c ? (size_t)(c - text) + strlen(colon) : 0;
        if (c)
            indent = labw;
        rpt_span sp[1] = { { text + lablen, strlen(text + lablen), f, 0, false } };
        double avail = l->tw - indent - numw - 12;
        srdi_status s = rpt_break_lines(l->f, sp, 1, avail, avail, false, &l->lines);
        if (s) {
            for (size_t k = 0; k < n; k++)
                free(e[k].text);
            free(e);
            return s;
        }
        ensure(l, lh * (double)l->lines.nlines);
        double ystart = l->y;
        int dest = -1;
        double desty = 0;
        if (l->prev && t->block < l->d->nblocks) {
            dest = l->prev->block_page[t->block];
            desty = l->prev->block_y[t->block];
        }
        if (lablen)
            text_n(l, f, l->x0, l->y + lh / 2 + 10.5 * 0.36, text, lablen, INK);
        for (size_t k = 0; k < l->lines.nlines; k++) {
            draw_line(l, sp, k, l->x0 + indent, l->y, lh, avail, 0, INK);
            if (k + 1 == l->lines.nlines) {
                char num[32] = "";
                if (dest >= 0)
                    page_label_text(l->prev->body_first, dest, num, sizeof num);
                double base = l->y + lh / 2 + 10.5 * 0.36;
                /* leader dots on a grid shared by every entry, so the dots of
                   consecutive lines stand in columns */
                const double period = 3.4;
                double x1 = l->x0 + indent + l->lines.lines[k].width + 4;
                x1 = l->x0 + ceil((x1 - l->x0) / period) * period;
                double x2 = l->x0 + floor((l->tw - numw - 2) / period) * period + 0.8;
                if (x2 > x1) {
                    const double dash[2] = { 0.8, period - 0.8 };
                    srdi_canvas_move_to(l->c, x1, base);
                    srdi_canvas_line_to(l->c, x2, base);
                    srdi_canvas_stroke(l->c, GREY, 0.8, dash, 2);
                }
                srdi_canvas_text_aligned(l->c, F(SRDI_FONT_SERIF, 10.5, false), l->x0 + l->tw, base, 2,
                                         num, INK);
            }
            l->y += lh;
        }
        if (dest >= 0)
            srdi_canvas_link(l->c, l->x0, ystart, l->tw, l->y - ystart, dest, desty);
    }
    for (size_t k = 0; k < n; k++)
        free(e[k].text);
    free(e);
    return st_of(l);
}

/* ------------------------------------------------------------------ cover */

static srdi_status do_cover(L *l, const rpt_block *b, size_t bi)
{
    page_new(l);
    l->bare = true;
    mark(l, bi);
    /* a band of colour at the top and a thin rule */
    srdi_canvas_rect(l->c, 0, 0, l->pw, 18);
    srdi_canvas_fill(l->c, ACCENT);
    l->y = l->ph * 0.28;
    bool below = false;
    for (size_t i = 0; i < b->ncover; i++) {
        int lev = b->cover_level[i];
        if (lev == 0 && !below) {
            l->y = l->ph * 0.66;
            below = true;
        }
        srdi_font f = lev == 1 ? F(SRDI_FONT_SANS, 26, true)
                    : lev == 2 ? F(SRDI_FONT_SANS, 16, false) : F(SRDI_FONT_SERIF, 13, false);
        double lh = lev == 1 ? 40 : lev == 2 ? 28 : 24;
        if (lev == 1)
            srdi_canvas_outline(l->c, 0, b->cover_lines[i], l->page, 0);
        flow_plain(l, b->cover_lines[i], f, lh, 1, lev == 1 ? ACCENT : INK, false);
        if (lev == 1) {
            hline(l, l->x0 + l->tw * 0.2, l->x0 + l->tw * 0.8, l->y + 8, 1.2, ACCENT);
            l->y += 24;
        }
    }
    return st_of(l);
}

/* -------------------------------------------------------------- headings */

static double heading_size(int level) { return level == 1 ? 18 : level == 2 ? 14 : 12; }

static void heading_text(const rpt_block *b, srdi_buf *out)
{
    char *plain = rpt_inline_plain(&b->text);
    if (b->number && *b->number)
        srdi_buf_printf(out, "%s %s", b->number, plain ? plain : "");
    else
        srdi_buf_puts(out, plain ? plain : "");
    free(plain);
}

/* Minimum height that must follow a heading on its page (keep with next). */
static double min_next(L *l, size_t bi)
{
    if (bi >= l->d->nblocks)
        return 0;
    const rpt_block *b = &l->d->blocks[bi];
    switch (b->kind) {
    case RB_PARA:
    case RB_ITEM: {
        double h = inline_height(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, l->tw - 21);
        return h < 2 * l->lead ? h : 2 * l->lead;
    }
    case RB_CHART:
        return CAP_LH + chart_height(l, b->key) + 8;
    case RB_TABLE:
    case RB_PIPE:
        return CAP_LH + 3 * 20;
    case RB_HEADING:
        return heading_size(b->level) * 2 + 2 * l->lead;
    default:
        return 0;
    }
}

static srdi_status do_heading(L *l, const rpt_block *b, size_t bi)
{
    srdi_buf t = { 0 };
    heading_text(b, &t);
    const char *text = t.data ? t.data : "";
    double size = heading_size(b->level), lh = size * 1.5;
    srdi_font f = F(SRDI_FONT_SANS, size, true);
    if (b->level == 1) {
        if (l->open && l->y > l->ytop + 0.01)
            page_new(l);
        else if (!l->open)
            page_new(l);
        set_chapter(l, text);
        mark(l, bi);
        srdi_canvas_outline(l->c, 0, text, l->page, l->y);
        l->y += 6;
        flow_plain(l, text, f, lh, 1, INK, true);
        l->y += 16;
    } else {
        double before = b->level == 2 ? 12 : 8;
        double h = plain_height(l, text, f, lh);
        double need = before + h + 6 + min_next(l, bi + 1);
        ensure(l, need);
        if (l->y > l->ytop + 0.01)
            l->y += before;
        mark(l, bi);
        if (b->level == 2 && b->chapter)
            srdi_canvas_outline(l->c, 1, text, l->page, l->y);
        flow_plain(l, text, f, lh, 0, b->level == 2 ? ACCENT : INK, true);
        l->y += 4;
    }
    srdi_buf_free(&t);
    return st_of(l);
}

/* ------------------------------------------------------------- main loop */

static srdi_status do_pipe(L *l, const rpt_block *b)
{
    grid g = { 0 };
    g.ncols = b->ncols;
    g.nrows = b->nrows;
    g.cells = b->cells;
    g.align = malloc((b->ncols + 1) * sizeof *g.align);
    if (!g.align)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a table");
    for (size_t c = 0; c < b->ncols; c++) {
        int a = b->align ? b->align[c] : -1;
        if (a < 0) {
            bool num = b->nrows > 1;
            for (size_t r = 1; r < b->nrows && num; r++)
                num = numeric_text(b->cells[r * b->ncols + c]);
            a = num ? 2 : 0;
        }
        g.align[c] = a;
    }
    double tail = b->fig > 0 && b->fig_last ? source_height(l, b->source) : 0;
    srdi_status s = grid_draw(l, &g, b->fig, b->caption, b->fig_first, tail);
    free(g.align);
    grid_free(&g);
    if (!s && b->fig > 0 && b->fig_last) {
        draw_source(l, b->source);
        l->y += 6;
    }
    return s;
}

static srdi_status do_block(L *l, size_t bi)
{
    const rpt_block *b = &l->d->blocks[bi];
    srdi_status s = SRDI_OK;
    switch (b->kind) {
    case RB_COVER:
        return do_cover(l, b, bi);
    case RB_TOC:
    case RB_LOF:
        s = do_toc(l, bi, b->kind == RB_TOC);
        if (!s && b->kind == RB_LOF) {
            page_new(l);
            l->body_first = l->page;
            srdi_canvas_page_label(l->c, l->body_first, 0, 1);
            set_chapter(l, "");
        }
        return s;
    case RB_HEADING:
        return do_heading(l, b, bi);
    case RB_PAGEBREAK:
        if (l->open && l->y > l->ytop + 0.01)
            page_new(l);
        return SRDI_OK;
    case RB_PARA:
        ensure(l, l->lead);
        mark(l, bi);
        s = flow_inline(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, 2 * l->body, 0, 0, INK, NULL);
        l->y += 3;
        return s;
    case RB_ITEM: {
        double ind = 2 * l->body * (1 + b->level);
        if (b->fig_first && b->fig > 0) {
            ensure(l, CAP_LH + 3 * l->lead);
            mark(l, bi);
            draw_caption(l, b->fig, b->caption, false);
        }
        ensure(l, l->lead);
        mark(l, bi);
        s = flow_inline(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, ind, ind, 0, INK, b->number);
        l->y += 2;
        if (!s && b->fig > 0 && b->fig_last) {
            draw_source(l, b->source);
            l->y += 6;
        }
        return s;
    }
    case RB_PIPE:
        ensure(l, CAP_LH + 40);
        l->pend = bi;
        s = do_pipe(l, b);
        mark(l, bi);
        return s;
    case RB_CHART:
        ensure(l, CAP_LH);
        l->pend = bi;
        s = do_chart(l, b);
        mark(l, bi);
        return s;
    case RB_TABLE: {
        const srdi_table *t = l->o->tables ? srdi_tableset_get(l->o->tables, b->key) : NULL;
        if (!t)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown table '%s'", l->d->files[b->file],
                                  b->line, b->key);
        ensure(l, CAP_LH + 40);
        l->pend = bi;
        s = do_table(l, b, t, true, source_height(l, b->source ? b->source : t->source));
        mark(l, bi);
        if (!s) {
            draw_source(l, b->source ? b->source : t->source);
            l->y += 8;
        }
        return s;
    }
    }
    return SRDI_OK;
}

void rpt_layout_result_free(rpt_layout_result *r)
{
    if (!r)
        return;
    free(r->block_page);
    free(r->block_y);
    memset(r, 0, sizeof *r);
}

srdi_status rpt_layout(const rpt_doc *d, const srdi_report_opts *o, srdi_canvas *c,
                       const rpt_layout_result *prev, rpt_layout_result *res)
{
    srdi_status s = SRDI_OK;
    L l = { 0 };
    memset(res, 0, sizeof *res);
    res->block_page = malloc((d->nblocks + 1) * sizeof *res->block_page);
    res->block_y = calloc(d->nblocks + 1, sizeof *res->block_y);
    if (!res->block_page || !res->block_y)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    for (size_t i = 0; i < d->nblocks; i++)
        res->block_page[i] = -1;
    const srdi_params *p = o->params;
    l.d = d;
    l.o = o;
    l.c = c;
    l.f = o->fonts;
    l.prev = prev;
    l.res = res;
    l.pw = srdi_params_num(p, "layout", "page_width", 595.276);
    l.ph = srdi_params_num(p, "layout", "page_height", 841.89);
    double mm = 72.0 / 25.4;
    double ml = srdi_params_num(p, "layout", "margin_left_mm", 25) * mm;
    double mr = srdi_params_num(p, "layout", "margin_right_mm", 25) * mm;
    double mt = srdi_params_num(p, "layout", "margin_top_mm", 28) * mm;
    double mb = srdi_params_num(p, "layout", "margin_bottom_mm", 25) * mm;
    l.x0 = ml;
    l.tw = l.pw - ml - mr;
    l.ytop = mt;
    l.ybot = l.ph - mb;
    l.body = srdi_params_num(p, "layout", "body_size", 10.5);
    l.lead = l.body * srdi_params_num(p, "layout", "line_spacing", 1.6);
    l.page = -1;
    l.body_first = -1;
    l.pend = SIZE_MAX;
    l.title = srdi_params_str(p, "report", "title", "专精特新企业培育发展报告");
    srdi_canvas_page_label(c, 0, 1, 1);
    for (size_t i = 0; i < d->nblocks && !s; i++) {
        s = do_block(&l, i);
        if (!s)
            s = st_of(&l);
    }
    if (!s && !l.open && l.page < 0)
        page_new(&l);
    page_close(&l);
    if (!s)
        s = st_of(&l);
    res->npages = l.page + 1;
    res->body_first = l.body_first;
    free(l.chapter);
    rpt_lines_free(&l.lines);
    rpt_lines_free(&l.fnl);
    srdi_buf_free(&l.tmp);
    return s;
}
