/*
 * src/report/layout_text.c — paragraphs of the report: inline runs broken
 * into justified lines (linebreak.c), plain wrapped text (captions, source
 * lines, cover lines) and the footnotes at the foot of each page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_private.h"

/* ------------------------------------------------------------ footnotes */

/* Spans of a footnote's text (number + text) at the footnote size. */
static size_t fn_spans(L *l, int num, report_span *sp, size_t max, char *nb, size_t nbsize)
{
    const report_footnote *fn = NULL;
    for (size_t i = 0; i < l->d->nnotes; i++)
        if (l->d->notes[i].number == num) fn = &l->d->notes[i];
    snprintf(nb, nbsize, "%d ", num);
    size_t n = 0;
    sp[n++] = (report_span){nb, strlen(nb), F(SRDI_FONT_SERIF, 8.5, false), 0, false};
    for (size_t i = 0; fn && i < fn->text.n && n < max; i++) {
        const report_run *r = &fn->text.runs[i];
        if (r->style & (REPORT_FNREF | REPORT_BREAK)) continue;
        sp[n++] = (report_span){
            r->text, strlen(r->text),
            F(r->style & REPORT_EMPH ? SRDI_FONT_SANS : SRDI_FONT_SERIF, 8.5, (r->style & REPORT_BOLD) != 0), 0, false};
    }
    return n;
}

/* Spans a footnote needs at most (its runs + the number), so none is dropped. */
static size_t fn_span_cap(const L *l, int num)
{
    size_t n = 1;
    for (size_t i = 0; i < l->d->nnotes; i++)
        if (l->d->notes[i].number == num && l->d->notes[i].text.n + 1 > n) n = l->d->notes[i].text.n + 1;
    return n;
}

static double fn_height(L *l, int num)
{
    char nb[16];
    size_t cap = fn_span_cap(l, num);
    report_span *sp = malloc(cap * sizeof *sp);
    if (!sp && lay_nomem(l)) return FN_LEAD;
    size_t n = fn_spans(l, num, sp, cap, nb, sizeof nb);
    double h = lay_failed(l, report_break_lines(l->f, sp, n, l->tw, l->tw - 12, false, &l->fnl))
                   ? FN_LEAD
                   : (double)l->fnl.nlines * FN_LEAD;
    free(sp);
    return h;
}

/* Draw the footnotes of the open page above the bottom margin. */
void lay_fn_draw(L *l)
{
    if (l->nfn == 0 || l->dry) return;
    double y = l->ybot - l->fn_h + FN_SEP;
    hline(l, l->x0, l->x0 + l->tw / 3, y - FN_SEP / 2, 0.5, RULE);
    for (int k = 0; k < l->nfn; k++) {
        char nb[16];
        size_t cap = fn_span_cap(l, l->fns[k]);
        report_span *sp = malloc(cap * sizeof *sp);
        if (!sp && lay_nomem(l)) return;
        size_t n = fn_spans(l, l->fns[k], sp, cap, nb, sizeof nb);
        if (lay_failed(l, report_break_lines(l->f, sp, n, l->tw, l->tw - 12, true, &l->fnl))) {
            free(sp);
            return;
        }
        for (size_t i = 0; i < l->fnl.nlines; i++) {
            const report_line *ln = &l->fnl.lines[i];
            double x = l->x0 + (i ? 12 : 0);
            for (size_t p = 0; p < ln->count; p++) {
                const report_piece *pc = &l->fnl.pieces[ln->first + p];
                text_n(l, sp[pc->span].font, x + pc->x, y + 9, sp[pc->span].text + pc->start, pc->end - pc->start, INK);
            }
            y += FN_LEAD;
        }
        free(sp);
    }
}
/* --------------------------------------------------------------- inlines */

/* Spans of an inline at @p size (base family @p fam); returns the count. */
static size_t inline_spans(const report_inline *in, srdi_font_family fam, double size, bool bold, report_span *sp,
                           size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n && n < max; i++) {
        const report_run *r = &in->runs[i];
        if (r->style & REPORT_BREAK) {
            sp[n++] = (report_span){"\n", 1, F(fam, size, bold), (int)i, false};
            continue;
        }
        if (r->style & REPORT_FNREF) {
            double ss = size * 0.6 < 7.5 ? 7.5 : size * 0.6; /* nothing under 7.5 pt */
            sp[n++] = (report_span){r->text, strlen(r->text), F(SRDI_FONT_SERIF, ss, false), (int)i, true};
            continue;
        }
        srdi_font_family ff = r->style & REPORT_EMPH ? SRDI_FONT_SANS : fam;
        sp[n++] = (report_span){r->text, strlen(r->text), F(ff, size, bold || (r->style & REPORT_BOLD)), (int)i, false};
    }
    return n;
}

/* Draw line @p i of @p ls at left x, top y with line height lh; align 0 left 1 centre 2 right. */
void lay_draw_line(L *l, const report_lines *ls, const report_span *sp, size_t i, double x, double y, double lh,
                   double avail, int align, srdi_rgba col)
{
    if (l->dry) return; /* drawing text on a null canvas changes nothing */
    const report_line *ln = &ls->lines[i];
    double size = 0;
    for (size_t p = 0; p < ln->count; p++) {
        double s = sp[ls->pieces[ln->first + p].span].font.size;
        if (!sp[ls->pieces[ln->first + p].span].superscript && s > size) size = s;
    }
    if (size == 0) size = lh / 1.6;
    double base = y + lh / 2 + size * 0.36;
    if (align == 1)
        x += (avail - ln->width) / 2;
    else if (align == 2)
        x += avail - ln->width;
    for (size_t p = 0; p < ln->count; p++) {
        const report_piece *pc = &ls->pieces[ln->first + p];
        const report_span *s = &sp[pc->span];
        double by = s->superscript ? base - size * 0.38 : base;
        text_n(l, s->font, x + pc->x, by, s->text + pc->start, pc->end - pc->start, col);
    }
}

/*
 * Footnote numbers referenced on line i that still need their note set:
 * a note set at the foot of an earlier page is not set again where it is
 * cited once more (its mark refers back to it).
 */
static int line_footnotes(const L *l, const report_lines *ls, const report_span *sp, const report_inline *in, size_t i,
                          int *out, int max)
{
    const report_line *ln = &ls->lines[i];
    int n = 0;
    for (size_t p = 0; p < ln->count && n < max; p++) {
        const report_span *s = &sp[ls->pieces[ln->first + p].span];
        if (!s->superscript || s->tag < 0 || (size_t)s->tag >= in->n) continue;
        int num = in->runs[s->tag].footnote;
        if (num > 0 && !(num < LAY_MAX_FN && l->fn_set[num])) out[n++] = num;
    }
    return n;
}

/*
 * Page breaks inside a paragraph of @p n lines, line j taking @p need[j]
 * (its height and the footnotes it brings to the page), deciding before
 * line @p i: returns true when the page must turn before line i.
 * Widow and orphan control: a paragraph never leaves its first line alone
 * at the foot of a page nor its last line alone at the top of the next;
 * when only lines [i, i+k) fit, *@p stop is set to i+k (the page turns
 * there) with k reduced so at least two lines go over, and zero when one
 * line would stand alone (the first at the foot, or a middle one below
 * figures placed by a page turn).
 */
static bool para_break(const L *l, size_t i, size_t n, const double *need, size_t *stop)
{
    if (*stop != SIZE_MAX && i == *stop) {
        *stop = SIZE_MAX;
        return true;
    }
    if (*stop != SIZE_MAX || l->y <= l->ytop + 0.01) return false;
    double y = l->y;
    size_t fits = 0, rem = n - i;
    while (fits < rem && y + need[i + fits] <= lay_limit(l) + 0.01) {
        y += need[i + fits];
        fits++;
    }
    if (rem <= fits) return false;
    size_t k = fits;
    if (rem - k == 1 && k > 0) k--;
    /* one line alone: the paragraph's first at the foot, or (after a page
       turn that placed waiting figures at the head) a middle one between them
       and the next turn */
    if (k == 1) k = 0;
    if (k == 0) return true;
    *stop = i + k;
    return false;
}

/*
 * Typeset an inline as a paragraph: @p indent1 first-line indent, @p indent
 * left indent of the other lines, justified unless @p align != 0.  Lines
 * are broken into a buffer of their own: a page turn may place a deferred
 * figure (which uses l->lines) before the paragraph goes on.
 */
srdi_status lay_flow_inline(L *l, const report_inline *in, srdi_font_family fam, double size, bool bold, double lh,
                            double indent1, double indent, int align, srdi_rgba col, const char *marker)
{
    /* one span per run, however many runs a paragraph has (no text is dropped) */
    report_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a paragraph");
    report_lines ls = {0};
    double *need = NULL;
    size_t n = inline_spans(in, fam, size, bold, sp, in->n + 1);
    srdi_status s = report_break_lines_tight(l->f, sp, n, l->tw - indent1, l->tw - indent, align == 0, l->tight, &ls);
    if (s) goto cleanup;
    need = malloc((ls.nlines + 1) * sizeof *need);
    if (!need) {
        s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory setting a paragraph");
        goto cleanup;
    }
    for (size_t i = 0; i < ls.nlines; i++) {
        int fns[8];
        int nf = line_footnotes(l, &ls, sp, in, i, fns, 8);
        need[i] = lh;
        for (int k = 0; k < nf; k++) need[i] += fn_height(l, fns[k]) + (k == 0 ? FN_SEP : 0);
    }
    size_t stop = SIZE_MAX;
    /* the last lines the page make-up carries over to the figures of the next page */
    size_t carry = l->carry < ls.nlines ? l->carry : 0;
    l->carry = 0;
    for (size_t i = 0; i < ls.nlines; i++) {
        if (carry > 0 && i == ls.nlines - carry && l->y > l->ytop + 0.01) {
            lay_page_new(l);
            stop = SIZE_MAX;
        }
        if (para_break(l, i, ls.nlines, need, &stop)) {
            lay_page_new(l);
            /* waiting figures may head the new page: decide again on the room
               left below them (each turn places one or leaves the page empty) */
            while (l->y > l->ytop + 0.01 && para_break(l, i, ls.nlines, need, &stop)) lay_page_new(l);
        }
        int fns[8];
        int nf = line_footnotes(l, &ls, sp, in, i, fns, 8);
        double need_i = lh;
        for (int k = 0; k < nf; k++) need_i += fn_height(l, fns[k]) + (l->nfn == 0 && k == 0 ? FN_SEP : 0);
        int page = l->page;
        lay_ensure(l, need_i);
        if (l->page != page) stop = SIZE_MAX;
        for (int k = 0; k < nf && l->nfn < (int)(sizeof l->fns / sizeof l->fns[0]); k++) {
            /* a note cited twice on one page is set once at its foot */
            bool dup = false;
            for (int j = 0; j < l->nfn && !dup; j++) dup = l->fns[j] == fns[k];
            if (dup) continue;
            l->fn_h += fn_height(l, fns[k]) + (l->nfn == 0 ? FN_SEP : 0);
            l->fns[l->nfn++] = fns[k];
            if (fns[k] < LAY_MAX_FN) l->fn_set[fns[k]] = true;
        }
        double x = l->x0 + (i == 0 ? indent1 : indent);
        if (i == 0 && marker && *marker)
            srdi_canvas_text(l->c, F(fam, size, bold), l->x0 + indent - size * 1.3, l->y + lh / 2 + size * 0.36, marker,
                             col);
        lay_draw_line(l, &ls, sp, i, x, l->y, lh, l->tw - (i == 0 ? indent1 : indent), align, col);
        l->y += lh;
        l->ptext++;
    }
    s = st_of(l);
cleanup:
    free(sp);
    free(need);
    report_lines_free(&ls);
    return s;
}

/*
 * Height a paragraph of body text (@p in, line height @p lh, first-line
 * width @p w, the others the full measure) needs at the foot of a page
 * under a heading: all its lines when it has up to three (widow and orphan control would move it whole), else its
 * first two, with the footnotes they reference.
 */
double lay_para_keep(L *l, const report_inline *in, double lh, double w)
{
    report_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp && lay_nomem(l)) return 2 * lh;
    size_t n = inline_spans(in, SRDI_FONT_SERIF, l->body, false, sp, in->n + 1);
    /* broken as lay_flow_inline sets a body paragraph (first line indented,
       the others at full measure), so a note cited on line 2 is counted */
    if (lay_failed(l, report_break_lines_tight(l->f, sp, n, w, l->tw, true, l->tight, &l->lines))) {
        free(sp);
        return 2 * lh;
    }
    size_t keep = l->lines.nlines <= 3 ? l->lines.nlines : 2;
    double h = 0;
    bool first = true;
    for (size_t i = 0; i < keep; i++) {
        int fns[8];
        int nf = line_footnotes(l, &l->lines, sp, in, i, fns, 8);
        h += lh;
        for (int k = 0; k < nf; k++) {
            h += fn_height(l, fns[k]) + (first ? FN_SEP : 0);
            first = false;
        }
    }
    free(sp);
    return h;
}

size_t lay_para_lines(L *l, const report_inline *in, double w1, double w)
{
    report_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp && lay_nomem(l)) return 1;
    size_t n = inline_spans(in, SRDI_FONT_SERIF, l->body, false, sp, in->n + 1);
    size_t lines =
        lay_failed(l, report_break_lines_tight(l->f, sp, n, w1, w, true, l->tight, &l->lines)) ? 1 : l->lines.nlines;
    free(sp);
    return lines;
}

/* Height of an inline set at the given width (for keep-with-next decisions). */
double lay_inline_height(L *l, const report_inline *in, srdi_font_family fam, double size, bool bold, double lh,
                         double w)
{
    report_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp && lay_nomem(l)) return lh;
    size_t n = inline_spans(in, fam, size, bold, sp, in->n + 1);
    double h = lay_failed(l, report_break_lines_tight(l->f, sp, n, w, w, false, l->tight, &l->lines))
                   ? lh
                   : (double)l->lines.nlines * lh;
    free(sp);
    return h;
}

/*
 * A centred block of two lines or more (a caption, the cover title) is
 * balanced: broken at the narrowest measure that keeps its number of
 * lines, so its last line is not a word or a character alone.
 */
static srdi_status balance_lines(L *l, const report_span *sp)
{
    size_t n = l->lines.nlines;
    if (n < 2) return SRDI_OK;
    double lo = l->tw / (double)n, hi = l->tw;
    for (int k = 0; k < 12 && hi - lo > 1; k++) {
        double mid = (lo + hi) / 2;
        srdi_status s = report_break_lines(l->f, sp, 1, mid, mid, false, &l->lines);
        if (s) return s;
        if (l->lines.nlines > n)
            lo = mid;
        else
            hi = mid;
    }
    return report_break_lines(l->f, sp, 1, hi, hi, false, &l->lines);
}

/* Plain string as a wrapped block (captions, sources, cover lines). */
void lay_flow_plain(L *l, const char *s, srdi_font f, double lh, int align, srdi_rgba col, bool keep_on_page)
{
    report_span sp[1] = {{s, strlen(s), f, 0, false}};
    if (lay_failed(l, report_break_lines(l->f, sp, 1, l->tw, l->tw, false, &l->lines))) return;
    if (align == 1 && lay_failed(l, balance_lines(l, sp))) return;
    if (keep_on_page) lay_ensure(l, (double)l->lines.nlines * lh);
    for (size_t i = 0; i < l->lines.nlines; i++) {
        if (!keep_on_page) lay_ensure(l, lh);
        lay_draw_line(l, &l->lines, sp, i, l->x0, l->y, lh, l->tw, align, col);
        l->y += lh;
    }
}

double lay_plain_height(L *l, const char *s, srdi_font f, double lh)
{
    report_span sp[1] = {{s, strlen(s), f, 0, false}};
    if (lay_failed(l, report_break_lines(l->f, sp, 1, l->tw, l->tw, false, &l->lines))) return lh;
    return (double)l->lines.nlines * lh;
}

/*
 * Height the footnotes of a body paragraph (@p in, first-line width @p w,
 * the others the full measure) add at the foot of the open page when the
 * whole paragraph is set there: the notes it cites not yet set, and the
 * rule above the notes when the page has none yet.
 */
double lay_para_notes(L *l, const report_inline *in, double w)
{
    report_span *sp = malloc((in->n + 1) * sizeof *sp);
    if (!sp && lay_nomem(l)) return 0;
    size_t n = inline_spans(in, SRDI_FONT_SERIF, l->body, false, sp, in->n + 1);
    if (lay_failed(l, report_break_lines_tight(l->f, sp, n, w, l->tw, true, l->tight, &l->lines))) {
        free(sp);
        return 0;
    }
    double h = 0;
    bool first = l->nfn == 0;
    for (size_t i = 0; i < l->lines.nlines; i++) {
        int fns[8];
        int nf = line_footnotes(l, &l->lines, sp, in, i, fns, 8);
        for (int k = 0; k < nf; k++) {
            bool dup = false; /* set on this page already */
            for (int j = 0; j < l->nfn && !dup; j++) dup = l->fns[j] == fns[k];
            if (dup) continue;
            h += fn_height(l, fns[k]) + (first ? FN_SEP : 0);
            first = false;
        }
    }
    free(sp);
    return h;
}
