/*
 * src/report/layout.c — the typesetting engine of the report over the canvas.
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
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/charts.h"
#include "srdi/util.h"
#include "layout_private.h"

/* Printed page number of page index @p p ("iii" front matter, "12" body). */
static void page_label_text(int body_first, int p, char *buf, size_t size)
{
    if (body_first >= 0 && p >= body_first)
        snprintf(buf, size, "%d", p - body_first + 1);
    else
        report_roman(p + 1, buf, size);
}

/* ------------------------------------------------------------------ pages */

static srdi_status do_block(L *l, size_t bi);

void lay_fault(L *l, int w)
{
    if (l->chap > 0 && l->chap <= l->res->nchap) l->res->chap_score[l->chap - 1] += w;
}

/*
 * The make-up faults of the page that closes (body pages): figures without
 * two lines of text (but a table running over to the next page), a page
 * under 25% of the type area (but the last) or under 65%.
 */
static void page_faults(L *l)
{
    if (l->bare || l->body_first < 0 || l->page < l->body_first) return;
    double fill = (l->y - l->ytop) / (l->ybot - l->ytop);
    if (l->pfigs > 0 && l->ptext < 2 && !l->splitting) {
        lay_fault(l, LAY_FAULT_HARD);
        if (l->chap > 0 && l->chap <= l->res->nchap && l->res->chap_bare && l->res->chap_bare[l->chap - 1] < 0)
            l->res->chap_bare[l->chap - 1] = l->page;
    }
    if (fill < 0.25 && !l->last)
        lay_fault(l, LAY_FAULT_HARD);
    else if (fill < 0.65 && !l->last)
        lay_fault(l, LAY_FAULT_SHORT);
}

/* Finish the open page: footnotes, running header, footer. */
void lay_page_close(L *l)
{
    if (!l->open) return;
    page_faults(l);
    lay_fn_draw(l);
    if (!l->bare) {
        srdi_font hf = F(SRDI_FONT_SANS, 8.5, false);
        double hy = l->ytop - 16;
        if (!l->opener) { /* a chapter opener carries no running head */
            srdi_canvas_text(l->c, hf, l->x0, hy, l->title, GREY);
            if (l->chapter) srdi_canvas_text_aligned(l->c, hf, l->x0 + l->tw, hy, 2, l->chapter, GREY);
            hline(l, l->x0, l->x0 + l->tw, hy + 5, 0.5, RULE);
        }
        char num[32];
        page_label_text(l->body_first, l->page, num, sizeof num);
        srdi_canvas_text_aligned(l->c, F(SRDI_FONT_SERIF, 9, false), l->x0 + l->tw / 2, l->ybot + 30, 1, num, GREY);
    }
    srdi_canvas_end_page(l->c);
    l->open = false;
}

void lay_page_new(L *l)
{
    lay_page_close(l);
    srdi_canvas_begin_page(l->c, l->pw, l->ph);
    l->page++;
    l->open = true;
    l->bare = false;
    l->y = l->ytop;
    l->nfn = 0;
    l->fn_h = 0;
    l->opener = false;
    l->ptext = l->pfigs = 0;
    if (l->nfq > 0 && !l->fq_busy) {
        /* the figures waiting past the text that follows them head the new
           page in their order: the first always, the next while they fit with room for
           two lines of the text below them */
        do {
            size_t bi = l->fq[0];
            l->nfq--;
            memmove(l->fq, l->fq + 1, l->nfq * sizeof *l->fq);
            l->fq_busy = true;
            srdi_status s = do_block(l, bi);
            l->fq_busy = false;
            if (s && !l->float_err) l->float_err = s;
        } while (l->nfq > 0 && !l->float_err &&
                 lay_float_need(l, &l->d->blocks[l->fq[0]], true) + 2 * l->lead + 3 <= lay_limit(l) - l->y + 0.01);
    }
    l->head_y = l->y;
}

/* Bottom limit for content on the open page. */
double lay_limit(const L *l)
{
    return l->ybot - l->fn_h;
}

/* Start a new page unless @p h fits below y (a fresh page always accepts). */
void lay_ensure(L *l, double h)
{
    /* the figures a page turn places at the head may leave too little room:
       turn again (each turn places a waiting figure or leaves the page empty) */
    while (!l->open || (l->y + h > lay_limit(l) + 0.01 && l->y > l->ytop + 0.01)) lay_page_new(l);
}

static void set_chapter(L *l, const char *s)
{
    free(l->chapter);
    l->chapter = srdi_strdup(s);
}

void lay_mark(L *l, size_t bi)
{
    l->pend = SIZE_MAX;
    if (bi < l->d->nblocks && l->res->block_page[bi] < 0) {
        l->res->block_page[bi] = l->page;
        l->res->block_y[bi] = l->y;
    }
}
/* ------------------------------------------------------------- TOC / LOF */

typedef struct toc_entry {
    char *text; /* owned */
    int level;  /* 0 chapter-level, 1 section */
    size_t block;
} toc_entry;

static srdi_status heading_text(const report_block *b, srdi_buf *out);

/* Entries of the 目录 (toc) or 图表目录 (!toc); none when out of memory (the canvas fails). */
static size_t toc_entries(L *l, bool toc, toc_entry **out)
{
    size_t n = 0;
    toc_entry *e = calloc(l->d->nblocks + l->d->nfigs + 1, sizeof *e);
    if (!e && lay_nomem(l)) return 0;
    if (toc) {
        for (size_t i = 0; i < l->d->nblocks; i++) {
            const report_block *b = &l->d->blocks[i];
            if (b->kind != RB_HEADING || b->level > 2 || (!b->chapter && b->level > 1)) continue;
            srdi_buf t = {0};
            char *text = heading_text(b, &t) ? NULL : srdi_buf_steal(&t);
            srdi_buf_free(&t);
            if (!text) goto nomem;
            e[n++] = (toc_entry){text, b->level - 1, i};
        }
    } else {
        for (size_t i = 0; i < l->d->nfigs; i++) {
            char buf[1024];
            lay_caption_text(l->d->figs[i].number, l->d->figs[i].caption, false, buf, sizeof buf);
            char *text = srdi_strdup(buf);
            if (!text) goto nomem;
            e[n++] = (toc_entry){text, 0, l->d->figs[i].block};
        }
    }
    *out = e;
    return n;
nomem:
    lay_nomem(l);
    for (size_t k = 0; k < n; k++) free(e[k].text);
    free(e);
    *out = NULL;
    return 0;
}

/* A generated list page: heading, then entries with dotted leaders and page numbers. */
static srdi_status do_toc(L *l, size_t bi, bool toc)
{
    const char *title = toc ? "目  录" : "图表目录";
    lay_page_new(l);
    set_chapter(l, toc ? "目录" : "图表目录");
    lay_mark(l, bi);
    srdi_canvas_outline(l->c, 0, toc ? "目录" : "图表目录", l->page, l->y);
    lay_flow_plain(l, title, F(SRDI_FONT_SANS, 18, true), 30, 1, INK, true);
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
            if (w > labw) labw = w;
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
        if (c) indent = labw;
        report_span sp[1] = {{text + lablen, strlen(text + lablen), f, 0, false}};
        double avail = l->tw - indent - numw - 12;
        srdi_status s = report_break_lines(l->f, sp, 1, avail, avail, false, &l->lines);
        if (s) {
            for (size_t k = 0; k < n; k++) free(e[k].text);
            free(e);
            return s;
        }
        lay_ensure(l, lh * (double)l->lines.nlines);
        double ystart = l->y;
        int dest = -1;
        double desty = 0;
        if (l->prev && t->block < l->d->nblocks) {
            dest = l->prev->block_page[t->block];
            desty = l->prev->block_y[t->block];
        }
        if (lablen) text_n(l, f, l->x0, l->y + lh / 2 + 10.5 * 0.36, text, lablen, INK);
        for (size_t k = 0; k < l->lines.nlines; k++) {
            lay_draw_line(l, &l->lines, sp, k, l->x0 + indent, l->y, lh, avail, 0, INK);
            if (k + 1 == l->lines.nlines) {
                char num[32] = "";
                if (dest >= 0) page_label_text(l->prev->body_first, dest, num, sizeof num);
                double base = l->y + lh / 2 + 10.5 * 0.36;
                /* leader dots on a grid shared by every entry, so the dots of
                   consecutive lines stand in columns */
                const double period = 3.4;
                double x1 = l->x0 + indent + l->lines.lines[k].width + 4;
                x1 = l->x0 + ceil((x1 - l->x0) / period) * period;
                double x2 = l->x0 + floor((l->tw - numw - 2) / period) * period + 0.8;
                if (x2 > x1) {
                    const double dash[2] = {0.8, period - 0.8};
                    srdi_canvas_move_to(l->c, x1, base);
                    srdi_canvas_line_to(l->c, x2, base);
                    srdi_canvas_stroke(l->c, GREY, 0.8, dash, 2);
                }
                srdi_canvas_text_aligned(l->c, F(SRDI_FONT_SERIF, 10.5, false), l->x0 + l->tw, base, 2, num, INK);
            }
            l->y += lh;
        }
        if (dest >= 0) srdi_canvas_link(l->c, l->x0, ystart, l->tw, l->y - ystart, dest, desty);
    }
    for (size_t k = 0; k < n; k++) free(e[k].text);
    free(e);
    return st_of(l);
}

/* ------------------------------------------------------------------ cover */

static srdi_status do_cover(L *l, const report_block *b, size_t bi)
{
    lay_page_new(l);
    l->bare = true;
    lay_mark(l, bi);
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
        srdi_font f = lev == 1   ? F(SRDI_FONT_SANS, 26, true)
                      : lev == 2 ? F(SRDI_FONT_SANS, 16, false)
                                 : F(SRDI_FONT_SERIF, 13, false);
        double lh = lev == 1 ? 40 : lev == 2 ? 28 : 24;
        if (lev == 1) srdi_canvas_outline(l->c, 0, b->cover_lines[i], l->page, 0);
        /* a regional edition's title too wide for one line breaks after the
           region's name ("内蒙古自治区 / 专精特新企业培育发展报告") when the rest
           fits a line, not inside a word */
        const char *line = b->cover_lines[i];
        const char *region = lev == 1 ? srdi_params_str(l->o->params, "scope", "name", "") : "";
        size_t rn = region ? strlen(region) : 0;
        if (rn > 0 && strncmp(line, region, rn) == 0 && line[rn] && width(l, f, line) > l->tw &&
            width(l, f, line + rn) <= l->tw) {
            lay_flow_plain(l, region, f, lh, 1, ACCENT, false);
            line += rn;
        }
        lay_flow_plain(l, line, f, lh, 1, lev == 1 ? ACCENT : INK, false);
        if (lev == 1) {
            hline(l, l->x0 + l->tw * 0.2, l->x0 + l->tw * 0.8, l->y + 8, 1.2, ACCENT);
            l->y += 24;
        }
    }
    return st_of(l);
}

/* -------------------------------------------------------------- headings */

static double heading_size(int level)
{
    return level == 1 ? 18 : level == 2 ? 14 : 12;
}

/* The heading's number and text into @p out; SRDI_ERR_NOMEM (message set). */
static srdi_status heading_text(const report_block *b, srdi_buf *out)
{
    char *plain = report_inline_plain(&b->text);
    if (!plain) return SRDI_ERR_NOMEM;
    srdi_status s =
        b->number && *b->number ? srdi_buf_printf(out, "%s %s", b->number, plain) : srdi_buf_puts(out, plain);
    free(plain);
    return s;
}

/*
 * A paragraph that acts as a run-in heading ("（1）重点产业领域"): one line
 * that does not end a sentence, or a one-line lead-in to the list that
 * follows it ("核心举措：" before "1. …").  It keeps with what follows like
 * a heading.
 */
static bool runin_heading(L *l, const report_block *b)
{
    if (b->kind != RB_PARA) return false;
    char *plain = report_inline_plain(&b->text);
    size_t n = plain ? strlen(plain) : 0;
    bool open = n > 0 && n < 120;
    static const char *const ends[] = {"。", "！", "？", "；", "：", "…", "”", "."};
    for (size_t k = 0; open && k < sizeof ends / sizeof ends[0]; k++) {
        size_t e = strlen(ends[k]);
        if (n >= e && memcmp(plain + n - e, ends[k], e) == 0) open = false;
    }
    /* a lead-in: its list follows (the page make-up keeps them together) */
    size_t bi = (size_t)(b - l->d->blocks), colon = strlen("：");
    if (!open && n >= colon && n < 120 && strcmp(plain + n - colon, "：") == 0 && bi + 1 < l->d->nblocks &&
        l->d->blocks[bi + 1].kind == RB_ITEM)
        open = true;
    free(plain);
    return open && lay_inline_height(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, l->tw - 2 * l->body) <=
                       l->lead + 0.01;
}

/* Whether block @p i is a lead-in: a body paragraph ending in "：" with a list item after it. */
static bool is_leadin(const L *l, size_t i)
{
    const report_block *b = &l->d->blocks[i];
    if (b->kind != RB_PARA || b->fig != 0 || i + 1 >= l->d->nblocks || l->d->blocks[i + 1].kind != RB_ITEM)
        return false;
    char *plain = report_inline_plain(&b->text);
    size_t n = plain ? strlen(plain) : 0, colon = strlen("：");
    bool leadin = n >= colon && strcmp(plain + n - colon, "：") == 0;
    free(plain);
    return leadin;
}

/*
 * Minimum height that must follow a heading on its page (keep with next):
 * a paragraph of up to three lines whole (widow and orphan control would
 * move a three-line paragraph whole anyway), else its first two lines; a
 * run-in heading paragraph with what it keeps.
 */
static double min_next(L *l, size_t bi)
{
    if (bi >= l->d->nblocks) return 0;
    const report_block *b = &l->d->blocks[bi];
    switch (b->kind) {
    case RB_PARA:
    case RB_ITEM: {
        if (runin_heading(l, b)) return l->lead + 3 + min_next(l, bi + 1);
        /* a lead-in of up to three lines keeps the start of its list too
           (keep_leadin does not move a lead-in kept with its heading: 2.1.6
           of 吉林 and twelve city editions of sample n 9000 seed 4242 set the
           heading and its lead-in at the foot of p.9, the list on p.10) */
        if (is_leadin(l, bi) && lay_para_lines(l, &b->text, l->tw - 2 * l->body, l->tw) <= 3)
            return lay_para_keep(l, &b->text, l->lead, l->tw - 2 * l->body) + l->para_gap + min_next(l, bi + 1);
        return lay_para_keep(l, &b->text, l->lead, l->tw - 2 * l->body);
    }
    case RB_CHART:
        return CAP_LH + lay_chart_height(l, b->key) + 8;
    case RB_TABLE:
    case RB_PIPE: {
        /* the caption and first rows of the table as its draw function keeps
           them (a tall header of a regional table, a small table whole) */
        double need = lay_float_need(l, b, false);
        return need > 0 ? need : CAP_LH + 3 * 20;
    }
    case RB_HEADING:
        return heading_size(b->level) * 2 + 2 * l->lead;
    default:
        return 0;
    }
}

/*
 * Make-up options a chapter may take so its last page is not nearly empty:
 * chart heights scaled, space after paragraphs, the fill a page needs before
 * text turns it for a cited figure, and last, body text set tight where that
 * saves a line (each gap between characters closing up by at most 0.05 em,
 * report_break_lines_tight: national build p.38, where 4.1.1's lead-in
 * "核心举措：" kept with its list cost 第四章 a page, one line too many for
 * its four).  OPTS[0] is the design.
 */
static const struct {
    double chart, gap, turn, tight;
} OPTS[] = {
    {1.0, 3, 0.65, 0}, {0.95, 3, 0.65, 0},   {0.9, 3, 0.65, 0},    {0.85, 3, 0.65, 0}, {1.05, 3, 0.65, 0},
    {1.1, 3, 0.65, 0}, {1.0, 1, 0.65, 0},    {0.9, 1, 0.65, 0},    {1.0, 5, 0.65, 0},  {1.1, 5, 0.65, 0},
    {1.0, 3, 0.5, 0},  {0.9, 3, 0.5, 0},     {0.8, 3, 0.65, 0},    {0.8, 1, 0.65, 0},  {1.0, 2, 0.5, 0},
    {0.85, 5, 0.5, 0}, {1.0, 3, 0.65, 0.05}, {0.8, 1, 0.65, 0.05},
};
#define NOPTS (sizeof OPTS / sizeof OPTS[0])

static void set_option(L *l, int k)
{
    l->chart_scale = OPTS[k].chart;
    l->para_gap = OPTS[k].gap;
    l->turn_fill = OPTS[k].turn;
    l->tight = OPTS[k].tight;
}

/* Record how full the last page of the chapter that ends here is. */
static void chapter_end(L *l)
{
    /* a chapter of one page is whole: no make-up option can help it */
    if (l->chap > 0 && l->chap <= l->res->nchap && l->open) {
        l->res->chap_fill[l->chap - 1] = l->page == l->chap_page ? 1 : (l->y - l->ytop) / (l->ybot - l->ytop);
        l->res->chap_last[l->chap - 1] = l->page;
    }
}

static srdi_status do_heading(L *l, const report_block *b, size_t bi)
{
    srdi_buf t = {0};
    srdi_status hs = heading_text(b, &t);
    if (hs) {
        srdi_buf_free(&t);
        return hs;
    }
    const char *text = t.data ? t.data : "";
    double size = heading_size(b->level), lh = size * 1.5;
    srdi_font f = F(SRDI_FONT_SANS, size, true);
    if (b->level == 1) {
        chapter_end(l);
        /* the last page of the chapter before closes in that chapter (its make-up score) */
        if (l->open && l->y > l->ytop + 0.01) lay_page_close(l);
        set_option(l, l->opts[l->chap]);
        l->chap++;
        if (!l->open) lay_page_new(l);
        l->chap_page = l->page;
        set_chapter(l, text);
        l->opener = true;
        lay_mark(l, bi);
        srdi_canvas_outline(l->c, 0, text, l->page, l->y);
        l->y += 6;
        lay_flow_plain(l, text, f, lh, 1, INK, true);
        l->y += 16;
    } else {
        double before = b->level == 2 ? 12 : 8;
        double h = lay_plain_height(l, text, f, lh);
        double need = before + h + 6 + min_next(l, bi + 1);
        lay_ensure(l, need);
        if (l->y > l->ytop + 0.01) l->y += before;
        lay_mark(l, bi);
        if (b->level == 2 && b->chapter) srdi_canvas_outline(l->c, 1, text, l->page, l->y);
        lay_flow_plain(l, text, f, lh, 0, b->level == 2 ? ACCENT : INK, true);
        l->y += 4;
    }
    srdi_buf_free(&t);
    return st_of(l);
}
/* ------------------------------------------------------------- main loop */
static srdi_status do_block(L *l, size_t bi)
{
    const report_block *b = &l->d->blocks[bi];
    srdi_status s = SRDI_OK;
    if (b->line > 0 && (size_t)b->file < l->d->nfiles) /* rendering errors name the template line */
        srdi_canvas_set_what(l->c, "%s:%d", l->d->files[b->file], b->line);
    switch (b->kind) {
    case RB_COVER:
        return do_cover(l, b, bi);
    case RB_TOC:
    case RB_LOF:
        s = do_toc(l, bi, b->kind == RB_TOC);
        if (!s && b->kind == RB_LOF) {
            lay_page_new(l);
            l->body_first = l->page;
            srdi_canvas_page_label(l->c, l->body_first, 0, 1);
            set_chapter(l, "");
        }
        return s;
    case RB_HEADING:
        return do_heading(l, b, bi);
    case RB_PAGEBREAK:
        if (l->open && l->y > l->ytop + 0.01) lay_page_new(l);
        return SRDI_OK;
    case RB_PARA:
        lay_ensure(l, runin_heading(l, b) ? l->lead + 3 + min_next(l, bi + 1) : l->lead);
        lay_mark(l, bi);
        s = lay_flow_inline(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, 2 * l->body, 0, 0, INK, NULL);
        l->y += l->para_gap;
        return s;
    case RB_ITEM: {
        double ind = 2 * l->body * (1 + b->level);
        if (b->fig_first && b->fig > 0) {
            lay_ensure(l, CAP_LH + 3 * l->lead);
            lay_mark(l, bi);
            lay_draw_caption(l, b->fig, b->caption, false);
        }
        lay_ensure(l, l->lead);
        lay_mark(l, bi);
        s = lay_flow_inline(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, ind, ind, 0, INK, b->number);
        l->y += 2;
        if (!s && b->fig > 0 && b->fig_last) {
            lay_draw_source(l, b->source);
            l->y += 6;
        }
        return s;
    }
    case RB_PIPE:
        lay_ensure(l, CAP_LH + 40);
        l->pend = bi;
        s = lay_do_pipe(l, b);
        lay_mark(l, bi);
        return s;
    case RB_CHART:
        lay_ensure(l, CAP_LH);
        l->pend = bi;
        s = lay_do_chart(l, b);
        lay_mark(l, bi);
        return s;
    case RB_TABLE: {
        const srdi_table *t = l->o->tables ? srdi_tableset_get(l->o->tables, b->key) : NULL;
        if (!t)
            return srdi_error_set(SRDI_ERR_TEMPLATE, "%s:%d: unknown table '%s'", l->d->files[b->file], b->line,
                                  b->key);
        lay_ensure(l, CAP_LH + 40);
        l->pend = bi;
        s = lay_do_table(l, b, t, true, lay_source_height(l, b->source ? b->source : t->source));
        lay_mark(l, bi);
        if (!s) {
            lay_draw_source(l, b->source ? b->source : t->source);
            l->y += 8;
        }
        return s;
    }
    }
    return SRDI_OK;
}

/*
 * What may flow past a deferred figure: body text, run-in headings and
 * third-level headings (the figure stays in its numbered section).
 */
static bool float_text(const report_block *b)
{
    return ((b->kind == RB_PARA || b->kind == RB_ITEM) && b->fig == 0) || (b->kind == RB_HEADING && b->level >= 3);
}

/* Height of a text block that may flow past a waiting figure (float_text). */
static double text_height(L *l, const report_block *b)
{
    if (b->kind == RB_HEADING) return heading_size(b->level) * 1.5 + 12;
    double ind = b->kind == RB_ITEM ? 2 * l->body * (1 + b->level) : 2 * l->body;
    return lay_inline_height(l, &b->text, SRDI_FONT_SERIF, l->body, false, l->lead, l->tw - ind) +
           (b->kind == RB_ITEM ? 2 : l->para_gap);
}

double lay_chapter_tail(L *l, size_t bi)
{
    double h = 0;
    for (size_t k = bi + 1; k < l->d->nblocks; k++) {
        const report_block *b = &l->d->blocks[k];
        if (b->kind == RB_HEADING && b->level == 1) break;
        if (!float_text(b)) return -1;
        h += text_height(l, b);
    }
    return h;
}

/* Whether block @p b is a figure that place_block may defer. */
static bool is_float(const report_block *b)
{
    return b->kind == RB_CHART || b->kind == RB_TABLE || (b->kind == RB_PIPE && b->fig > 0 && b->fig_first && b->fig_last);
}

/*
 * The text that would flow past a figure deferred at block @p i: the text
 * blocks after it up to the end of its section (the figures between are
 * skipped: they would wait too).
 */
static double text_after(L *l, size_t i)
{
    double h = 0;
    for (size_t k = i + 1; k < l->d->nblocks; k++) {
        const report_block *b = &l->d->blocks[k];
        if (float_text(b))
            h += text_height(l, b);
        else if (!is_float(b))
            break;
    }
    return h;
}

/*
 * Record the 图表 numbers text block @p b (block @p i) cites, at the page
 * where it starts: a figure set two pages or more before its first
 * citation is a make-up fault (one set later is checked where it is set).
 */
static void note_cites(L *l, const report_block *b, size_t i)
{
    char *plain = report_inline_plain(&b->text);
    int page = l->res->block_page[i];
    for (const char *p = plain ? strstr(plain, "图表") : NULL; p; p = strstr(p, "图表")) {
        p += strlen("图表");
        while (*p == ' ') p++;
        int n = 0;
        while (*p >= '0' && *p <= '9' && n < LAY_MAX_FIG) n = n * 10 + (*p++ - '0');
        if (n <= 0 || n >= LAY_MAX_FIG) continue;
        /* (a later mention of a figure set pages before refers back to it) */
        if (l->cite_page[n] < 0 && l->fig_page[n] >= 0 && page - l->fig_page[n] > 1) lay_fault(l, LAY_FAULT_HARD);
        l->cite_page[n] = page;
    }
    free(plain);
}

/* Highest 图表 number the text of @p b cites ("见图表42"), 0 if none. */
static int cited_fig(const report_block *b)
{
    char *plain = report_inline_plain(&b->text);
    int best = 0;
    for (const char *p = plain ? strstr(plain, "图表") : NULL; p; p = strstr(p, "图表")) {
        p += strlen("图表");
        while (*p == ' ') p++;
        int n = 0;
        while (*p >= '0' && *p <= '9') n = n * 10 + (*p++ - '0');
        if (n > best) best = n;
    }
    free(plain);
    return best;
}

/*
 * Page on which figure @p fig would land if the text went on now: the
 * figures waiting head the next pages in order (as lay_page_new places
 * them: the first always, the next while it fits with two lines of text),
 * followed by the figures of the section up to @p fig that are still to
 * come after block @p i.  -1 when @p fig is neither waiting nor ahead in
 * the section.
 */
static int predicted_page(L *l, size_t i, int fig)
{
    double H = l->ybot - l->ytop, y = 0;
    int page = l->page + 1;
    size_t k = 0, bi = i + 1;
    for (;;) {
        const report_block *b;
        if (k < l->nfq) {
            b = &l->d->blocks[l->fq[k++]];
        } else {
            while (bi < l->d->nblocks && float_text(&l->d->blocks[bi])) bi++;
            if (bi >= l->d->nblocks || !is_float(&l->d->blocks[bi])) return -1;
            b = &l->d->blocks[bi++];
        }
        /* placed under the figures before it as lay_page_new does: when
           its first part fits with two lines of text */
        double h = lay_float_height(l, b) + 8; /* and the space under it */
        if (y > 0 && y + lay_float_need(l, b, true) + 2 * l->lead + 3 > H + 0.01) {
            page++;
            y = 0;
        }
        y += h;
        for (; y > H + 0.01; y -= H) page++; /* a table running over pages */
        if (b->fig == fig) return page;
        if (b->fig > fig) return -1;
    }
}

/*
 * A section that ends on figures: from text block @p i, the text up to the
 * figures (*@p ht), the height the first figure needs where it starts
 * (*@p first) and the figures drawn whole (*@p hf).  False when no figure
 * follows the text or text follows the figures in the section.
 */
static bool tail_figures(L *l, size_t i, double *ht, double *first, double *hf)
{
    size_t k = i;
    *ht = *hf = *first = 0;
    for (; k < l->d->nblocks && float_text(&l->d->blocks[k]); k++) *ht += text_height(l, &l->d->blocks[k]);
    if (k >= l->d->nblocks || !is_float(&l->d->blocks[k])) return false;
    *first = lay_float_need(l, &l->d->blocks[k], false);
    for (; k < l->d->nblocks && is_float(&l->d->blocks[k]); k++) *hf += lay_float_height(l, &l->d->blocks[k]) + 8;
    return k >= l->d->nblocks || !float_text(&l->d->blocks[k]);
}

/*
 * The last paragraph of a section that ends on figures fits on this page
 * but the first figure does not follow it: the figures would stand alone
 * on the next page.  Its last lines go over with them instead (two of a
 * paragraph of four lines or more, else the paragraph whole) when they fit
 * there together, leaving this page with text under any figure it holds;
 * a paragraph kept with its heading stays whole.  Sets l->carry (or turns
 * the page for the paragraph whole).
 */
static void carry_tail(L *l, size_t i, bool kept)
{
    const report_block *b = &l->d->blocks[i];
    double ht, first, hf, H = l->ybot - l->ytop, room = lay_limit(l) - l->y;
    if (!(b->kind == RB_PARA || b->kind == RB_ITEM) || b->fig != 0 || runin_heading(l, b)) return;
    if (i + 1 >= l->d->nblocks || !is_float(&l->d->blocks[i + 1])) return;
    if (!tail_figures(l, i, &ht, &first, &hf)) return;
    /* the figures are not alone when the next section's heading and two
       lines of its text fit under them */
    size_t e = i + 1;
    while (e < l->d->nblocks && is_float(&l->d->blocks[e])) e++;
    const report_block *nb = e < l->d->nblocks ? &l->d->blocks[e] : NULL;
    if (nb && nb->kind == RB_HEADING && nb->level >= 2 &&
        hf + (nb->level == 2 ? 12 : 8) + heading_size(nb->level) * 1.5 + 6 + min_next(l, e + 1) <= H + 0.01)
        return;
    double ind = b->kind == RB_ITEM ? 2 * l->body * (1 + b->level) : 2 * l->body;
    double gap = b->kind == RB_ITEM ? 2 : l->para_gap;
    size_t n = lay_para_lines(l, &b->text, l->tw - ind, b->kind == RB_ITEM ? l->tw - ind : l->tw);
    double nh = (double)n * l->lead;
    if (nh > room + 0.01 || nh + gap + first <= room + 0.01) return;
    size_t k = n >= 4 ? 2 : n;
    if (k == n && kept) return;
    if ((double)k * l->lead + gap + hf > H + 0.01) return;
    if (l->pfigs > 0 && l->ptext + (int)(n - k) < 2) return;
    if (k == n)
        lay_page_new(l);
    else
        l->carry = k;
}

/*
 * A lead-in of more than one line ("…并据此制定差异化培育策略（见图表29）：")
 * that fits at the foot of the page while the list it introduces does not
 * start under it: the list would open the next page, behind any figure
 * waiting to head it (national build p.19: the lead-in ended the page, and
 * p.20 opened on 图表28 before the list).  The lead-in goes over with its
 * list instead: its last two lines when it has four or more, else whole.
 * Not a lead-in kept with its heading (the heading would be left alone),
 * nor when the page would keep figures without two lines of text.
 */
static void keep_leadin(L *l, size_t i, bool kept)
{
    const report_block *b = &l->d->blocks[i];
    if (b->kind != RB_PARA || b->fig != 0 || kept || !l->open || l->y <= l->ytop + 0.01 || l->carry) return;
    if (i + 1 >= l->d->nblocks || l->d->blocks[i + 1].kind != RB_ITEM || runin_heading(l, b)) return;
    char *plain = report_inline_plain(&b->text);
    size_t n = plain ? strlen(plain) : 0, colon = strlen("：");
    bool leadin = n >= colon && strcmp(plain + n - colon, "：") == 0;
    free(plain);
    if (!leadin) return;
    size_t lines = lay_para_lines(l, &b->text, l->tw - 2 * l->body, l->tw);
    double nh = (double)lines * l->lead, room = lay_limit(l) - l->y;
    /* the notes it cites take their room at the foot too (吉林 and twelve city
       editions of sample n 9000 seed 4242: 2.1.6's lead-in citing note 4 ended
       p.9, its list's first item short of room by what the note took) */
    double notes = lay_para_notes(l, &b->text, l->tw - 2 * l->body);
    if (nh > room + 0.01 || nh + notes + l->para_gap + min_next(l, i + 1) <= room + 0.01) return;
    size_t k = lines >= 4 ? 2 : lines;
    if (l->pfigs > 0 && l->ptext + (int)(lines - k) < 2) return;
    if (k == lines)
        lay_page_new(l);
    else
        l->carry = k;
}

/*
 * Whether the open page is at least @p fill of the type area full if it
 * ended here (y: the foot of its last line's box).
 */
static bool full_enough(const L *l, double fill)
{
    return l->y - l->ytop >= fill * (l->ybot - l->ytop);
}

/* Place every waiting figure now, in order (a page turn inside places none). */
static srdi_status flush_floats(L *l)
{
    srdi_status s = SRDI_OK;
    l->fq_busy = true;
    for (size_t k = 0; k < l->nfq && !s; k++) s = do_block(l, l->fq[k]);
    l->fq_busy = false;
    l->nfq = 0;
    return s ? s : l->float_err;
}

/*
 * Float placement: a chart or table that does not fit in the room left on
 * the page, with body text right after it, waits (l->fq) while that text
 * fills the page; the page turn places it at the head of the next page
 * (lay_page_new), and the figures behind it there while they fit.  Once
 * one waits, every later figure of the section joins the queue, so the
 * numbering order holds.  Anything that is not text flowing past them (a
 * chapter or section heading, the end) places all that wait first, so a
 * figure never leaves its section.  Returns the status of the block or of
 * a figure placed on the way.
 */
static srdi_status place_block(L *l, size_t i)
{
    const report_block *b = &l->d->blocks[i];
    srdi_status s;
    bool floats = is_float(b);
    /* the chapter's make-up turns the page here (chapter_try_breaks) */
    if (l->brks && l->chap > 0 && l->brks[l->chap - 1] == i && l->open && l->y > l->ytop + 0.01) lay_page_new(l);
    if (l->nfq > 0 && (!floats || l->nfq == LAY_FQ_MAX) && !float_text(b) && (s = flush_floats(l))) return s;
    if (floats && l->nfq > 0) { /* behind the figures that wait: keeps the numbering order */
        l->fq[l->nfq++] = i;
        return SRDI_OK;
    }
    if (floats && l->open && l->y > l->ytop + 0.01 && i + 1 < l->d->nblocks && float_text(&l->d->blocks[i + 1])) {
        double room = lay_limit(l) - l->y;
        /* it waits only when the text after it fills this page and still
           goes with it onto the next: else the figure would stand alone */
        if (room >= 2 * l->lead + 3 && lay_float_need(l, b, false) > room + 0.01 &&
            text_after(l, i) >= room + 2 * l->lead) {
            l->fq[l->nfq++] = i;
            return SRDI_OK;
        }
    }
    /* text flowing past waiting figures: a paragraph citing a figure that
       would land two pages or more after it turns the page when this page
       already holds text under its head figures, so the text is shared
       among the figure pages and stays by what it cites */
    /* decided once for a heading and what it keeps, at the heading */
    bool kept = i > 0 && float_text(&l->d->blocks[i - 1]) &&
                (l->d->blocks[i - 1].kind == RB_HEADING || runin_heading(l, &l->d->blocks[i - 1]));
    /* the last text of a section that ends on figures: when it fits here
       but the figures do not follow it, and text and figures fit on one
       page together, it goes over with them (no page of the figures alone) */
    double ht, first, hf, H = l->ybot - l->ytop;
    bool bare = l->pfigs > 0 && l->ptext < 2; /* the page would hold figures and no text */
    if (l->nfq == 0 && float_text(b) && !kept && l->open && full_enough(l, 0.65) && !bare &&
        tail_figures(l, i, &ht, &first, &hf) && ht <= lay_limit(l) - l->y && ht + first > lay_limit(l) - l->y &&
        ht + hf <= H - l->lead)
        lay_page_new(l);
    else if (l->nfq == 0 && l->open && l->y > l->ytop + 0.01)
        carry_tail(l, i, kept);
    keep_leadin(l, i, kept);
    if (l->nfq > 0 && float_text(b) && !kept && l->open && l->y >= l->head_y + 2 * l->lead - 0.01) {
        /* a heading (or run-in heading) goes with the paragraph it keeps */
        size_t k = i;
        while (k + 1 < l->d->nblocks && float_text(&l->d->blocks[k + 1]) &&
               (l->d->blocks[k].kind == RB_HEADING || runin_heading(l, &l->d->blocks[k])))
            k++;
        int fig = cited_fig(&l->d->blocks[k]);
        if (fig >= l->d->blocks[l->fq[0]].fig) {
            /* not when that would leave this page under 65% full */
            int pp = predicted_page(l, i, fig);
            if (pp > l->page + 1 && full_enough(l, l->turn_fill)) lay_page_new(l);
        }
    }
    s = do_block(l, i);
    if (!s && (b->kind == RB_PARA || b->kind == RB_ITEM) && l->res->block_page[i] >= 0) note_cites(l, b, i);
    return s ? s : l->float_err;
}

void report_layout_result_free(report_layout_result *r)
{
    if (!r) return;
    free(r->block_page);
    free(r->block_y);
    free(r->chap_opt);
    free(r->chap_fill);
    free(r->chap_score);
    free(r->chap_brk);
    free(r->chap_last);
    free(r->chap_bare);
    memset(r, 0, sizeof *r);
}

/*
 * The state of a dry pass just after a chapter's heading is set (its option
 * applied, its first page open): where the per-chapter option search
 * (chapter_search) starts that chapter again with another option.
 */
typedef struct chap_snap {
    L l;        /* by value: its canvas, result, options and scratch are replaced by each pass from it */
    size_t bi;  /* the chapter's heading block */
    size_t end; /* the block after the chapter: the next chapter's heading, or nblocks */
    bool set;
} chap_snap;

/* Record @p l, which has just set heading block @p bi, as its chapter's snapshot; false when out of memory. */
static bool snap_take(chap_snap *sn, const L *l, size_t bi)
{
    sn->l = *l;
    sn->l.chapter = l->chapter ? srdi_strdup(l->chapter) : NULL;
    memset(&sn->l.lines, 0, sizeof sn->l.lines);
    memset(&sn->l.fnl, 0, sizeof sn->l.fnl);
    memset(&sn->l.tmp, 0, sizeof sn->l.tmp);
    sn->l.c = NULL;
    sn->l.res = NULL;
    sn->l.opts = NULL;
    sn->l.brks = NULL;
    sn->bi = bi;
    sn->set = !l->chapter || sn->l.chapter;
    return sn->set;
}

/*
 * One layout pass with per-chapter make-up options @p opts (NULL: all the
 * design); @p dry: see L.dry.  With @p snaps (pass 0 of the option search),
 * the state after each chapter's heading is kept there (chap_snap).
 */
static srdi_status layout_pass(const report_doc *d, const srdi_report_opts *o, srdi_canvas *c,
                               const report_layout_result *prev, const int *opts, const size_t *brks, bool dry,
                               chap_snap *snaps, report_layout_result *res)
{
    srdi_status s = SRDI_OK;
    L l = {0};
    memset(res, 0, sizeof *res);
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == RB_HEADING && d->blocks[i].level == 1) res->nchap++;
    res->block_page = malloc((d->nblocks + 1) * sizeof *res->block_page);
    res->block_y = calloc(d->nblocks + 1, sizeof *res->block_y);
    res->chap_opt = calloc(res->nchap + 1, sizeof *res->chap_opt);
    res->chap_fill = calloc(res->nchap + 1, sizeof *res->chap_fill);
    res->chap_score = calloc(res->nchap + 1, sizeof *res->chap_score);
    res->chap_brk = malloc((res->nchap + 1) * sizeof *res->chap_brk);
    res->chap_last = calloc(res->nchap + 1, sizeof *res->chap_last);
    res->chap_bare = malloc((res->nchap + 1) * sizeof *res->chap_bare);
    if (!res->block_page || !res->block_y || !res->chap_opt || !res->chap_fill || !res->chap_score || !res->chap_brk ||
        !res->chap_last || !res->chap_bare)
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    for (size_t i = 0; i < d->nblocks; i++) res->block_page[i] = -1;
    for (size_t k = 0; k < res->nchap; k++) {
        res->chap_opt[k] = opts && opts[k] >= 0 && (size_t)opts[k] < NOPTS ? opts[k] : 0;
        res->chap_brk[k] = brks ? brks[k] : SIZE_MAX;
        res->chap_bare[k] = -1;
    }
    const srdi_params *p = o->params;
    l.d = d;
    l.o = o;
    l.c = c;
    l.dry = dry;
    l.f = o->fonts;
    l.prev = prev;
    l.res = res;
    l.opts = res->chap_opt;
    l.brks = res->chap_brk;
    set_option(&l, 0);
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
    for (size_t k = 0; k < LAY_MAX_FIG; k++) l.fig_page[k] = l.cite_page[k] = -1;
    srdi_canvas_page_label(c, 0, 1, 1);
    for (size_t i = 0; i < d->nblocks && !s; i++) {
        s = place_block(&l, i);
        if (!s) s = st_of(&l);
        if (!s && snaps && d->blocks[i].kind == RB_HEADING && d->blocks[i].level == 1 && l.chap >= 1 &&
            l.chap <= res->nchap && !snap_take(&snaps[l.chap - 1], &l, i))
            s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    }
    if (!s && l.nfq > 0) s = flush_floats(&l);
    if (!s && !l.open && l.page < 0) lay_page_new(&l);
    chapter_end(&l);
    l.last = true;
    lay_page_close(&l);
    if (!s) s = st_of(&l);
    res->npages = l.page + 1;
    res->body_first = l.body_first;
    free(l.chapter);
    report_lines_free(&l.lines);
    report_lines_free(&l.fnl);
    srdi_buf_free(&l.tmp);
    return s;
}

/* Badness of a chapter's last page: 0 at least 65% full, 1 at least 25%, else 2. */
static int fill_badness(double fill)
{
    return fill >= 0.65 ? 0 : fill >= 0.25 ? 1 : 2;
}

/* The fault page_faults counts for a chapter's last page this full (none
   for the document's last page, @p end). */
static int last_page_fault(double fill, bool end)
{
    return end ? 0 : fill < 0.25 ? LAY_FAULT_HARD : fill < 0.65 ? LAY_FAULT_SHORT : 0;
}

/* Threads the option search may use (srdi_report_set_threads). */
static atomic_int layout_threads = 1;

void srdi_report_set_threads(int n)
{
    atomic_store(&layout_threads, n < 1 ? 1 : n);
}

/*
 * The groups of chapters whose make-up scores read each other's pages, as
 * note_cites and the caption of a figure compare the pages of a 图表
 * number's figure and of the text citing it (the blocks before the first
 * chapter count as the first chapter):
 *   - a figure whose text cites before it all lie in earlier chapters is
 *     measured against them: those chapters up to the figure's are joined;
 *   - a figure cited first after it, in a later chapter, is measured by
 *     that citation: the chapters from the figure's to it are joined;
 *   - a figure drawn in two chapters joins them.
 * A chapter starts on a new page, so the pages of a group depend only on
 * the options of its own chapters, wherever it starts: the option search
 * lays each group out alone (chapter_search).  On return @p last[i] is the
 * last chapter of the group chapter @p i starts, or -1 when @p i is inside
 * a group.
 */
static srdi_status chapter_groups(const report_doc *d, size_t nchap, int *last)
{
    enum { NONE = -1 };
    typedef struct {
        int flo, fhi;          /* chapters of the figure's blocks */
        size_t fb;             /* its first block */
        int before_lo;         /* the first chapter citing it before fb (NONE) */
        bool before_own;       /* a citation before fb in the figure's chapter */
        size_t first;          /* the first citing block (SIZE_MAX: none) */
        int first_ch;          /* its chapter */
    } fig_refs;
    fig_refs *f = malloc(LAY_MAX_FIG * sizeof *f);
    if (!f) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    for (size_t k = 0; k < LAY_MAX_FIG; k++) f[k] = (fig_refs){NONE, NONE, SIZE_MAX, NONE, false, SIZE_MAX, NONE};
    int ch = 0;
    for (size_t i = 0, seen = 0; i < d->nblocks; i++) { /* the chapters of each figure */
        const report_block *b = &d->blocks[i];
        if (b->kind == RB_HEADING && b->level == 1) ch = (int)seen++;
        if (b->fig <= 0 || b->fig >= LAY_MAX_FIG) continue;
        fig_refs *r = &f[b->fig];
        if (r->fb == SIZE_MAX) r->fb = i, r->flo = ch;
        r->fhi = ch;
    }
    ch = 0;
    for (size_t i = 0, seen = 0; i < d->nblocks; i++) { /* the text citing them */
        const report_block *b = &d->blocks[i];
        if (b->kind == RB_HEADING && b->level == 1) ch = (int)seen++;
        if (b->kind != RB_PARA && b->kind != RB_ITEM) continue;
        char *plain = report_inline_plain(&b->text);
        if (!plain) {
            free(f);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
        }
        for (const char *p = strstr(plain, "图表"); p; p = strstr(p, "图表")) {
            p += strlen("图表");
            while (*p == ' ') p++;
            int n = 0;
            while (*p >= '0' && *p <= '9' && n < LAY_MAX_FIG) n = n * 10 + (*p++ - '0');
            if (n <= 0 || n >= LAY_MAX_FIG) continue;
            fig_refs *r = &f[n];
            if (r->first == SIZE_MAX) r->first = i, r->first_ch = ch;
            if (r->fb != SIZE_MAX && i < r->fb) {
                if (ch == r->flo) r->before_own = true;
                if (r->before_lo == NONE) r->before_lo = ch;
            }
        }
        free(plain);
    }
    for (size_t i = 0; i < nchap; i++) last[i] = (int)i;
    for (size_t k = 1; k < LAY_MAX_FIG; k++) {
        const fig_refs *r = &f[k];
        if (r->fb == SIZE_MAX) continue; /* no figure: no page to compare with */
        int lo = r->flo, hi = r->fhi;
        if (r->before_lo != NONE && !r->before_own && r->before_lo < lo) lo = r->before_lo;
        if (r->first != SIZE_MAX && r->first > r->fb && r->first_ch > hi) hi = r->first_ch;
        if (lo >= 0 && (size_t)lo < nchap && hi > last[lo]) last[lo] = hi;
    }
    free(f);
    for (size_t i = 0; i < nchap;) { /* merge the overlapping spans */
        size_t end = (size_t)last[i];
        for (size_t j = i + 1; j <= end && j < nchap; j++)
            if ((size_t)last[j] > end) end = (size_t)last[j];
        if (end >= nchap) end = nchap - 1;
        last[i] = (int)end;
        for (size_t j = i + 1; j <= end; j++) last[j] = -1;
        i = end + 1;
    }
    return SRDI_OK;
}

/*
 * The option search by groups of chapters (report_layout): pass 0 lays the
 * document out with the design and keeps the state after each chapter's
 * heading (chap_snap); then each group with a chapter whose score is not 0
 * is laid out alone from its first chapter's state with options 1, 2, …
 * for all its chapters (up to its last chapter not yet at 0), until every
 * chapter of it scores 0 — the scores the passes of the whole document
 * give its chapters, without laying out the chapters around it again.
 * Groups are taken by the threads srdi_report_set_threads allows, each
 * group's options in order, so the options chosen do not depend on the
 * thread count.
 */
typedef struct chap_search {
    const report_doc *d;
    const srdi_report_opts *o;
    const chap_snap *snaps;
    const int *last;    /* chapter_groups */
    size_t nchap;
    int *opt, *bad;     /* per chapter: the best option so far and its score */
    size_t *brk;        /* per chapter: the block before which it turns the page (SIZE_MAX: none) */
    double *fill;       /* per chapter: how full its last page is with that option */
    atomic_size_t next; /* the next chapter to look at for a group to take */
    srdi_status *st;    /* per group (its first chapter): the failure of its passes */
    char (*msg)[1024];
    report_break_store *store; /* the render's break store: helpers look in it and give it their breaks */
} chap_search;

/* A chapter's last page this full or more needs no page turn of chapter_try_breaks
   (an editor would have the pages before a chapter opener fuller than the 25%
   a page may not fall under: seven city editions of sample n 9000 seed 4242,
   曲靖市 …, ended chapter 2 on 2.3.4's six lines, 28% of a page; read back
   from the PDF, the fill is measured to the foot of the last line, without
   the space after it). */
#define FILL_BREAK_MIN 0.40
/* What chapter_try_breaks moves onto that page makes it this much fuller at least. */
#define FILL_BREAK_GAIN 0.08
#define FILL_BREAK_TRIES 3 /* the page turns it tries, from the latest */

/*
 * The blocks before which chapter @p z (laid out by @p l into l->res)
 * could turn the page so its last page, under FILL_BREAK_MIN full, takes
 * what follows them from the page before and ends FILL_BREAK_GAIN fuller:
 * blocks that start on the page before the last one below its head, not
 * kept with a heading before them, latest first; up to FILL_BREAK_TRIES of
 * them into @p cand, their number into *@p ncand.
 */
static void fill_break_candidates(L *l, size_t from, size_t to, size_t z, size_t *cand, size_t *ncand)
{
    const report_layout_result *r = l->res;
    double H = l->ybot - l->ytop, fill = r->chap_fill[z];
    int last = r->chap_last[z];
    *ncand = 0;
    if (fill >= FILL_BREAK_MIN || last < 1) return;
    for (size_t b = to; b-- > from + 1 && *ncand < FILL_BREAK_TRIES;) {
        if (r->block_page[b] < last - 1) break;
        if (r->block_page[b] != last - 1 || r->block_y[b] < l->ytop + 1) continue;
        const report_block *pb = &l->d->blocks[b - 1], *bb = &l->d->blocks[b];
        if (pb->kind == RB_HEADING || runin_heading(l, pb) || bb->kind == RB_PAGEBREAK) continue;
        if ((l->ybot - r->block_y[b]) / H >= FILL_BREAK_GAIN) cand[(*ncand)++] = b;
    }
}

/*
 * The blocks before which chapter @p z (laid out by @p l into l->res) could
 * turn the page so its first page of figures without two lines of text
 * (chap_bare) takes text from the page before: blocks that start on the
 * page before it below its head, not kept with a heading before them,
 * latest first; up to FILL_BREAK_TRIES of them into @p cand, their number
 * into *@p ncand.
 */
static void bare_break_candidates(L *l, size_t from, size_t to, size_t z, size_t *cand, size_t *ncand)
{
    const report_layout_result *r = l->res;
    int bare = r->chap_bare[z];
    *ncand = 0;
    if (bare < 1) return;
    for (size_t b = to; b-- > from + 1 && *ncand < FILL_BREAK_TRIES;) {
        if (r->block_page[b] >= bare || r->block_page[b] < 0) continue;
        if (r->block_page[b] < bare - 1) break;
        if (r->block_y[b] < l->ytop + 1) continue;
        const report_block *pb = &l->d->blocks[b - 1], *bb = &l->d->blocks[b];
        if (pb->kind == RB_HEADING || runin_heading(l, pb) || bb->kind == RB_PAGEBREAK) continue;
        cand[(*ncand)++] = b;
    }
}

/*
 * Lay chapters @p g .. @p z alone with option @p k (into @p res, scratch:
 * their chap_score, chap_fill, chap_last; npages the pages up to the end of
 * chapter @p z), from chapter @p g's state after its heading to where
 * chapter @p z ends; chapter @p bch turns the page before block @p bblk
 * (SIZE_MAX: no chapter does).  With @p cand, the page turns that could
 * fill chapter @p z's last page (fill_break_candidates; with @p bare, those
 * that could give its page of figures alone text, bare_break_candidates)
 * into @p cand and their number into *@p ncand.
 */
static srdi_status chapter_pass(const chap_search *cs, size_t g, size_t z, int k, size_t bch, size_t bblk,
                                report_layout_result *res, size_t *cand, size_t *ncand, bool bare)
{
    const chap_snap *sn = &cs->snaps[g];
    size_t end = z + 1 < cs->nchap ? cs->snaps[z + 1].bi : cs->d->nblocks;
    srdi_canvas *nc = srdi_canvas_null_new(cs->o->fonts);
    L l = sn->l;
    l.chapter = sn->l.chapter ? srdi_strdup(sn->l.chapter) : NULL;
    if (!nc || (sn->l.chapter && !l.chapter)) {
        srdi_canvas_free(nc);
        free(l.chapter);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    }
    l.c = nc;
    l.res = res;
    l.opts = res->chap_opt;
    l.brks = res->chap_brk;
    for (size_t b = sn->bi + 1; b < end; b++) res->block_page[b] = -1;
    for (size_t i = g; i <= z; i++) {
        res->chap_score[i] = 0;
        res->chap_fill[i] = 0;
        res->chap_opt[i] = k;
        res->chap_brk[i] = i == bch ? bblk : SIZE_MAX;
        res->chap_last[i] = -1;
        res->chap_bare[i] = -1;
    }
    set_option(&l, k);
    if (l.open) srdi_canvas_begin_page(nc, l.pw, l.ph);
    srdi_status s = SRDI_OK;
    for (size_t b = sn->bi + 1; b < end && !s; b++) {
        s = place_block(&l, b);
        if (!s) s = st_of(&l);
    }
    if (!s && l.nfq > 0) s = flush_floats(&l);
    chapter_end(&l); /* as the next chapter's heading (do_heading) or the end of the document (layout_pass) */
    if (end < cs->d->nblocks) {
        if (l.open && l.y > l.ytop + 0.01) lay_page_close(&l);
    } else {
        l.last = true;
        lay_page_close(&l);
    }
    if (!s) s = st_of(&l);
    res->npages = l.page + 1;
    if (!s && cand && bare) bare_break_candidates(&l, cs->snaps[z].bi, end, z, cand, ncand);
    if (!s && cand && !bare) fill_break_candidates(&l, cs->snaps[z].bi, end, z, cand, ncand);
    if (!s) s = st_of(&l);
    free(l.chapter);
    report_lines_free(&l.lines);
    report_lines_free(&l.fnl);
    srdi_buf_free(&l.tmp);
    srdi_canvas_free(nc);
    return s;
}

/*
 * Whether option @p k lays the blocks [@p from, @p to) out as an option
 * before it does: it differs from that one only in what those blocks do not
 * read — the chart scale without a chart, the space after paragraphs
 * without a body paragraph, the fill that turns a page for a cited figure
 * without a figure that could wait (is_float).  Its passes would score as
 * that one's did.
 */
static bool option_seen(const report_doc *d, size_t from, size_t to, int k)
{
    bool chart = false, para = false, floats = false;
    for (size_t b = from; b < to; b++) {
        chart = chart || d->blocks[b].kind == RB_CHART;
        para = para || d->blocks[b].kind == RB_PARA;
        floats = floats || is_float(&d->blocks[b]);
    }
    for (int j = 0; j < k; j++)
        if ((!chart || OPTS[j].chart == OPTS[k].chart) &&
            (!para || (OPTS[j].gap == OPTS[k].gap && OPTS[j].tight == OPTS[k].tight)) &&
            (!floats || OPTS[j].turn == OPTS[k].turn))
            return true;
    return false;
}

/*
 * A page turn before a block of the page before carries what follows it
 * over, for chapter @p i of the group from chapter @p g with its best
 * option.  The candidates are taken latest first; the first turn that is an
 * improvement without a page more up to the chapter's end is kept.
 *  - @p bare false: the chapter still ends on a page under FILL_BREAK_MIN
 *    full (fill_break_candidates); a turn is kept when it brings that page to
 *    FILL_BREAK_GAIN fuller without a fault more on the pages before it (a
 *    page under 25% is a fault, one under 65% a lesser one: the page it
 *    takes from stays 65% full, else the page would end on a gap that the
 *    text starting the next could fill); of the candidates, the one with
 *    the lowest score and then the fullest last page is kept (the 益阳市 edition of sample n 9000 seed 4242: carrying
 *    2.3.3 over would leave p.19 under 65%, carrying 图表23 alone brings
 *    p.20 from 28% to 40%; for 曲靖市, 2.3.3 brings it to 54%, 图表23 alone
 *    to 40%).
 *  - @p bare true: the chapter has a page of figures without two lines of
 *    text (a short paragraph between two figures and one that does not fit:
 *    the 西宁市 edition of seed 2402's 图表3 and 图表4 with one line under
 *    them; bare_break_candidates); a turn is kept when it lowers the score.
 */
static srdi_status chapter_try_breaks(chap_search *cs, size_t g, size_t i, report_layout_result *res, bool bare)
{
    size_t cand[FILL_BREAK_TRIES], ncand = 0;
    int k = cs->opt[i];
    srdi_status s = chapter_pass(cs, g, i, k, SIZE_MAX, SIZE_MAX, res, cand, &ncand, bare);
    /* the faults of the pages before the last (page_faults counts the last
       one too, but for the document's last page) */
    bool end = i + 1 == cs->nchap;
    int pages = res->npages, best = cs->bad[i];
    int faults = best - fill_badness(cs->fill[i]) - last_page_fault(cs->fill[i], end);
    double aim = cs->fill[i] + FILL_BREAK_GAIN - 0.01;
    for (size_t c = 0; c < ncand && !s; c++) {
        if ((s = chapter_pass(cs, g, i, k, i, cand[c], res, NULL, NULL, false))) break;
        int score = res->chap_score[i] + fill_badness(res->chap_fill[i]);
        if (res->npages > pages) continue;
        if (bare) {
            if (score < best) {
                cs->bad[i] = score;
                cs->brk[i] = cand[c];
                cs->fill[i] = res->chap_fill[i];
                break;
            }
        } else if (res->chap_score[i] - last_page_fault(res->chap_fill[i], end) <= faults &&
                   res->chap_fill[i] >= aim &&
                   (cs->brk[i] == SIZE_MAX || score < cs->bad[i] || res->chap_fill[i] > cs->fill[i] + 1e-9)) {
            cs->bad[i] = score;
            cs->brk[i] = cand[c];
            cs->fill[i] = res->chap_fill[i];
        }
    }
    return s;
}

/* Take groups until none is left, and try their options in order (into @p res, scratch). */
static void chapter_work(chap_search *cs, report_layout_result *res)
{
    for (size_t g; (g = atomic_fetch_add(&cs->next, 1)) < cs->nchap;) {
        if (cs->last[g] < 0) continue; /* inside a group */
        size_t z0 = (size_t)cs->last[g];
        size_t from = cs->snaps[g].bi, to = z0 + 1 < cs->nchap ? cs->snaps[z0 + 1].bi : cs->d->nblocks;
        for (int k = 1; (size_t)k < NOPTS; k++) {
            if (option_seen(cs->d, from, to, k)) continue;
            size_t z = z0 + 1; /* the group's last chapter not settled */
            for (size_t i = g; i <= z0; i++)
                if (cs->bad[i] > 0) z = i;
            if (z > z0) break;
            srdi_status s = chapter_pass(cs, g, z, k, SIZE_MAX, SIZE_MAX, res, NULL, NULL, false);
            if (s) {
                cs->st[g] = s;
                srdi_strlcpy(cs->msg[g], srdi_error_message(), sizeof cs->msg[g]);
                break;
            }
            for (size_t i = g; i <= z; i++) {
                int score = res->chap_score[i] + fill_badness(res->chap_fill[i]);
                if (score < cs->bad[i]) {
                    cs->bad[i] = score;
                    cs->opt[i] = k;
                    cs->fill[i] = res->chap_fill[i];
                }
            }
        }
        for (size_t i = g; i <= z0 && !cs->st[g]; i++) {
            if (cs->bad[i] < LAY_FAULT_HARD) continue;
            srdi_status s = chapter_try_breaks(cs, g, i, res, true);
            if (s) {
                cs->st[g] = s;
                srdi_strlcpy(cs->msg[g], srdi_error_message(), sizeof cs->msg[g]);
            }
        }
        for (size_t i = g; i <= z0 && !cs->st[g]; i++) {
            if (cs->fill[i] >= FILL_BREAK_MIN || cs->brk[i] != SIZE_MAX) continue;
            srdi_status s = chapter_try_breaks(cs, g, i, res, false);
            if (s) {
                cs->st[g] = s;
                srdi_strlcpy(cs->msg[g], srdi_error_message(), sizeof cs->msg[g]);
            }
        }
    }
}

/* Scratch for chapter passes: a result of @p nblocks blocks and @p nchap chapters; false when out of memory. */
static bool chapter_scratch(report_layout_result *r, size_t nblocks, size_t nchap)
{
    memset(r, 0, sizeof *r);
    r->nchap = nchap;
    r->block_page = malloc((nblocks + 1) * sizeof *r->block_page);
    r->block_y = calloc(nblocks + 1, sizeof *r->block_y);
    r->chap_opt = calloc(nchap + 1, sizeof *r->chap_opt);
    r->chap_fill = calloc(nchap + 1, sizeof *r->chap_fill);
    r->chap_score = calloc(nchap + 1, sizeof *r->chap_score);
    r->chap_brk = malloc((nchap + 1) * sizeof *r->chap_brk);
    r->chap_last = calloc(nchap + 1, sizeof *r->chap_last);
    r->chap_bare = malloc((nchap + 1) * sizeof *r->chap_bare);
    for (size_t i = 0; r->chap_brk && i <= nchap; i++) r->chap_brk[i] = SIZE_MAX;
    for (size_t i = 0; r->chap_bare && i <= nchap; i++) r->chap_bare[i] = -1;
    return r->block_page && r->block_y && r->chap_opt && r->chap_fill && r->chap_score && r->chap_brk &&
           r->chap_last && r->chap_bare;
}

static void *chapter_worker(void *arg)
{
    chap_search *cs = arg;
    report_break_cache *c = report_break_cache_new(), *outer = report_break_cache_use(c);
    report_break_cache_attach(c, cs->store);
    report_layout_memo *m = report_layout_memo_new(), *outer_m = report_layout_memo_use(m);
    report_layout_result r;
    if (chapter_scratch(&r, cs->d->nblocks, cs->nchap)) chapter_work(cs, &r);
    report_layout_result_free(&r);
    report_layout_memo_use(outer_m);
    report_layout_memo_free(m);
    report_break_cache_use(outer);
    report_break_store_adopt(cs->store, c); /* its breaks go to the store's file (freed without a store) */
    return NULL;
}

/* The options of the @p nchap chapters into @p opt, their page turns into @p brk (chap_search above). */
static srdi_status chapter_search(const report_doc *d, const srdi_report_opts *o, size_t nchap, int *opt,
                                  size_t *brk)
{
    chap_snap *snaps = calloc(nchap, sizeof *snaps);
    int *bad = calloc(nchap, sizeof *bad), *last = calloc(nchap, sizeof *last);
    double *fill = calloc(nchap, sizeof *fill);
    srdi_status *st = calloc(nchap, sizeof *st);
    char(*msg)[1024] = calloc(nchap, sizeof *msg);
    report_layout_result r0 = {0}, r = {0};
    srdi_canvas *nc = NULL;
    srdi_status s = SRDI_OK;
    if (!snaps || !bad || !last || !fill || !st || !msg || !(nc = srdi_canvas_null_new(o->fonts)) ||
        !chapter_scratch(&r, d->nblocks, nchap))
        s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    if (!s) s = chapter_groups(d, nchap, last);
    if (!s) s = layout_pass(d, o, nc, NULL, NULL, NULL, true, snaps, &r0);
    for (size_t i = 0; !s && i < nchap; i++) {
        if (!snaps[i].set || r0.nchap != nchap) {
            s = srdi_error_set(SRDI_ERR_INTERNAL, "layout: chapter %zu has no state to lay it out from", i + 1);
            break;
        }
        opt[i] = 0;
        brk[i] = SIZE_MAX;
        bad[i] = r0.chap_score[i] + fill_badness(r0.chap_fill[i]);
        fill[i] = r0.chap_fill[i];
    }
    if (!s) {
        chap_search cs = {d, o, snaps, last, nchap, opt, bad, brk, fill, 0, st, msg, report_break_cache_store()};
        enum { MAX_HELPERS = 7 };
        pthread_t tid[MAX_HELPERS];
        bool started[MAX_HELPERS] = {false};
        int helpers = atomic_load(&layout_threads) - 1, groups = 0;
        for (size_t i = 0; i < nchap; i++) groups += last[i] >= 0;
        if (helpers > MAX_HELPERS) helpers = MAX_HELPERS;
        if (helpers > groups - 1) helpers = groups - 1;
        for (int t = 0; t < helpers; t++) started[t] = pthread_create(&tid[t], NULL, chapter_worker, &cs) == 0;
        chapter_work(&cs, &r);
        for (int t = 0; t < helpers; t++)
            if (started[t]) pthread_join(tid[t], NULL);
        for (size_t i = 0; i < nchap && !s; i++)
            if (st[i]) s = srdi_error_set(st[i], "%s", msg[i]);
    }
    for (size_t i = 0; snaps && i < nchap; i++) free(snaps[i].l.chapter);
    srdi_canvas_free(nc);
    report_layout_result_free(&r0);
    report_layout_result_free(&r);
    free(snaps);
    free(bad);
    free(fill);
    free(last);
    free(st);
    free(msg);
    return s;
}

/*
 * Lay the document out.  Without @p prev (the first pass), each chapter
 * takes the first make-up option of OPTS (the design first) with the
 * fewest make-up faults (figures far from their citation or without text,
 * pages under 25% or 65% full: lay_fault), then the least empty last page
 * (the search by groups of chapters, chapter_search), and the document is
 * laid out with those; later passes reuse prev's options, so every pass
 * paginates alike.  Without @p prev the canvas is pass 1's null canvas,
 * which nobody reads: that pass is dry too (L.dry).
 */
srdi_status report_layout(const report_doc *d, const srdi_report_opts *o, srdi_canvas *c,
                          const report_layout_result *prev, report_layout_result *res)
{
    if (prev && prev->chap_opt) return layout_pass(d, o, c, prev, prev->chap_opt, prev->chap_brk, false, NULL, res);
    size_t nchap = 0;
    for (size_t i = 0; i < d->nblocks; i++) nchap += d->blocks[i].kind == RB_HEADING && d->blocks[i].level == 1;
    int *opt = calloc(nchap + 1, sizeof *opt);
    size_t *brk = malloc((nchap + 1) * sizeof *brk);
    srdi_status s = opt && brk ? SRDI_OK : srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out the report");
    for (size_t i = 0; brk && i <= nchap; i++) brk[i] = SIZE_MAX;
    if (!s && nchap > 0) s = chapter_search(d, o, nchap, opt, brk);
    if (!s) s = layout_pass(d, o, c, NULL, opt, brk, true, NULL, res);
    free(opt);
    free(brk);
    return s;
}
