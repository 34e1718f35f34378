/*
 * src/report/linebreak.c — breaking styled text into justified lines.
 *
 * Break opportunities come from libunibreak (UAX #14, language "zh"),
 * tightened by the CJK line-start / line-end rules (禁则): no line starts
 * with ，。、；：？！ or a closing bracket / quote, none ends with an opening
 * one.  Lines are filled greedily; a cluster longer than a line is split
 * between characters.  Justification spreads the slack over the gaps
 * between "units" (each CJK character, each space, each Latin word).
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linebreak.h>

#include "srdi/hash.h"
#include "srdi/sealed.h"
#include "srdi/util.h"
#include "report_private.h"

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;
static void lb_init(void)
{
    init_linebreak();
}

/* Characters that may not start a line. */
static bool no_start(int32_t cp)
{
    static const int32_t set[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09,
                                  0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0x201D, 0x2019,
                                  0xFF05, 0x2026, 0xFF0E, 0x3017, 0xFF3D, 0xFF5D, ',',    '.',
                                  ';',    ':',    '?',    '!',    ')',    ']',    '}',    '%'};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp) return true;
    return false;
}

/* Characters that may not end a line. */
static bool no_end(int32_t cp)
{
    static const int32_t set[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0x201C,
                                  0x2018, 0x3016, 0xFF3B, 0xFF5B, '(',    '[',    '{'};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp) return true;
    return false;
}

/* Its own justification unit: a wide code point (srdi_utf8_is_wide) or CJK-style punctuation. */
static bool is_wide(int32_t cp)
{
    return srdi_utf8_is_wide(cp) ||
           (cp >= 0x2010 && cp <= 0x2027 && cp != 0x2019 && cp != 0x201D && cp != 0x2018 && cp != 0x201C);
}

void report_lines_free(report_lines *l)
{
    if (!l) return;
    free(l->pieces);
    free(l->lines);
    memset(l, 0, sizeof *l);
}

/* One character of the concatenated text. */
typedef struct lb_char {
    size_t off, len; /* bytes in the concatenated text */
    size_t span;     /* span index */
    int32_t cp;
    double w;        /* advance */
    bool brk_after;  /* a line may end after this character */
    bool must_after; /* a line must end after this character */
    bool soft_after; /* words mode: where a word too long for its line is split first (a number's start) */
    bool space;
    bool padded;     /* a quotation mark widened to an em by a blank beside a narrow glyph */
} lb_char;

typedef struct lb_state {
    const srdi_fonts *f;
    const report_span *spans;
    size_t *span_off; /* offset of each span in the concatenation */
    lb_char *ch;
    size_t nch;
    report_lines *out;
    bool justify;
    double tight; /* share of an em each gap between units may close up to save a line (0: none) */
} lb_state;

/* Record "out of memory" and return SRDI_ERR_NOMEM. */
static srdi_status lb_nomem(void)
{
    return srdi_error_set(SRDI_ERR_NOMEM, "out of memory while breaking lines");
}

/* A full-width punctuation mark of Chinese text (GB/T 15834). */
static bool cjk_punct(int32_t cp)
{
    return (cp >= 0x3001 && cp <= 0x3002) || (cp >= 0x3008 && cp <= 0x3011) || cp == 0x3014 || cp == 0x3015 ||
           cp == 0xFF0C || cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF08 ||
           cp == 0xFF09 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D;
}

/*
 * Punctuation compression: a quotation mark widened to an em (a narrow glyph
 * on the inner side, a blank beside it: the sans face) next to another
 * full-width mark on the same line gives up half an em of its blank, so
 * "：“", "（“", "”，" or "”）" do not stand an em apart.  A quotation mark
 * whose own glyph is an em wide (the serif face) is left as it is: moving
 * the next mark into its em would overlap the glyph boxes, and text read
 * back from the PDF would split there.
 * *@p lead is the blank taken off before character @p i (an opening mark
 * after a mark: the glyph moves left), *@p trail the blank taken off after
 * it (a closing mark before a mark).  Characters [a, e) form the line.
 */
static void squeeze(const lb_state *st, size_t a, size_t e, size_t i, double *lead, double *trail)
{
    const lb_char *c = &st->ch[i];
    double size = st->spans[c->span].font.size;
    *lead = *trail = 0;
    if (!c->padded) return;
    if ((c->cp == 0x201D || c->cp == 0x2019) && i + 1 < e && cjk_punct(st->ch[i + 1].cp))
        *trail = size / 2;
    if ((c->cp == 0x201C || c->cp == 0x2018) && i > a && cjk_punct(st->ch[i - 1].cp)) {
        /* one blank stays between two quotation marks ("”“") */
        double pl, pt;
        if (st->ch[i - 1].cp == 0x201D || st->ch[i - 1].cp == 0x2019) {
            squeeze(st, a, e, i - 1, &pl, &pt);
            if (pt > 0) return;
        }
        *lead = size / 2;
    }
}

/*
 * Justification (shares of an em), in two steps.  First the characters move
 * apart by at most JUST_CAP and the blanks beside full-width marks take at
 * most JUST_PUNCT more each.  A line that needs more (a paragraph's closing
 * "（见图表8）。" or a number with its unit did not fit at its end) then
 * spreads the rest evenly over every gap and blank alike, the character
 * spacing up to JUST_CAP2 and a blank beside a mark (its letter space and
 * its own share) up to JUST_PUNCT2 in all (as Chinese
 * composition spreads a line's slack over its inter-character spaces, and
 * no blank beside a mark grows into a visible gap: "方面， 国家级" was set
 * with 0.75 em); only the slack it cannot take within those stays at its
 * end (set ragged).  total_fit chooses the breaks that need the second step
 * least.
 */
#define JUST_CAP 0.05
#define JUST_PUNCT 0.10
#define JUST_CAP2 0.15
#define JUST_PUNCT2 0.25

/*
 * Share the slack @p slack of a justified line of @p gaps gaps between its
 * units and @p slots blanks beside punctuation (type size @p size):
 * *@p letter the space added in each gap, *@p punct the space added in
 * each blank (either may be NULL); returns the slack left at the line end.
 */
static double just_share(double slack, size_t gaps, size_t slots, double size, double *letter, double *punct)
{
    double g = (double)gaps, p = (double)slots;
    double l = gaps ? fmin(slack / g, JUST_CAP * size) : 0;
    double rest = slack - l * g;
    double b = slots ? fmin(rest / p, JUST_PUNCT * size) : 0;
    rest -= b * p;
    if (rest > 0.01 && gaps) {
        /* the second step: the same more in every gap (d), the q gaps
           between characters up to JUST_CAP2 (room la each), the p blanks
           beside marks — gaps too, with their letter space — up to
           JUST_PUNCT2 in all (room lb each) */
        double q = g - p, la = JUST_CAP2 * size - l, lb = fmax(0, JUST_PUNCT2 * size - l - b);
        double lo = fmin(la, lb), d;
        if (rest >= la * q + lb * p)
            d = fmax(la, lb);
        else if (rest <= lo * g)
            d = rest / g;
        else /* the kind with less room is full: the other takes the rest */
            d = la < lb ? (rest - la * q) / p : (rest - lb * p) / q;
        double dl = fmin(d, la), db = fmin(d, lb);
        rest -= dl * q + db * p;
        b += db - dl; /* a blank's letter space grows with the others' */
        l += dl;
    }
    if (letter) *letter = l;
    if (punct) *punct = b;
    return rest > 0 ? rest : 0;
}

/* Whether character @p i starts a justification unit of the line from @p a (emit_line's rule). */
static bool unit_start(const lb_state *st, size_t a, size_t i)
{
    const lb_char *ch = st->ch;
    return i == a || ch[i].span != ch[i - 1].span || is_wide(ch[i].cp) || is_wide(ch[i - 1].cp) ||
           ch[i].space != ch[i - 1].space;
}

/*
 * Room a line of @p units justification units at type size @p size gains
 * when set tight: each gap between its units closes by up to st->tight em
 * (0 outside a tight setting).
 */
static double tight_room(const lb_state *st, size_t units, double size)
{
    return units > 1 ? st->tight * size * (double)(units - 1) : 0;
}

/* The gap before character @p i sits beside a full-width mark: after a
   closing or pausing one (，。；：、！？）》”), before an opening one (（《“),
   not between two marks. */
static bool punct_slot(const lb_state *st, size_t i)
{
    int32_t p = st->ch[i - 1].cp, c = st->ch[i].cp;
    if (no_start(c) || no_end(p)) return false; /* not between two marks ("）。", "（“") */
    static const int32_t after[] = {0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0x3001, 0xFF01, 0xFF1F, 0xFF09, 0x300B, 0x201D};
    static const int32_t before[] = {0xFF08, 0x300A, 0x201C};
    for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
        if (p == after[k]) return true;
    for (size_t k = 0; k < sizeof before / sizeof before[0]; k++)
        if (c == before[k]) return true;
    return false;
}

/* Emit characters [a, b) as one line of maximum width @p maxw. */
static srdi_status emit_line(lb_state *st, size_t a, size_t b, double maxw, bool last)
{
    report_lines *o = st->out;
    /* drop trailing spaces */
    size_t e = b;
    while (e > a && st->ch[e - 1].space) e--;
    if (srdi_grow((void **)&o->lines, &o->caplines, o->nlines + 1, sizeof *o->lines)) return lb_nomem();
    report_line *ln = &o->lines[o->nlines++];
    ln->first = o->npieces;
    ln->count = 0;
    ln->last = last;
    double natural = 0, lead, trail;
    for (size_t i = a; i < e; i++) {
        squeeze(st, a, e, i, &lead, &trail);
        natural += st->ch[i].w - lead - trail;
    }
    ln->width = natural;

    /* units: split where either neighbour is wide or a space, or the span changes */
    size_t nunits = 0;
    for (size_t i = a; i < e; i++) {
        bool boundary = i == a || st->ch[i].span != st->ch[i - 1].span || is_wide(st->ch[i].cp) ||
                        is_wide(st->ch[i - 1].cp) || st->ch[i].space != st->ch[i - 1].space;
        if (boundary) nunits++;
    }
    double extra = 0;
    if (st->justify && !last && nunits > 1 && maxw > natural) extra = (maxw - natural) / (double)(nunits - 1);
    /* a line set tight to save one (tight_room): its gaps close up evenly */
    bool squeezed = st->tight > 0 && nunits > 1 && natural > maxw + 0.01;
    if (squeezed) extra = (maxw - natural) / (double)(nunits - 1);
    bool split_units = extra > 0.005 || squeezed;
    /* A line with little to break it (a number and its unit that did not
       fit, "100.00%；", a paragraph's closing "（见图表8）。") would be
       letter-spaced: the characters move apart by a little (just_share),
       the blanks beside full-width punctuation take more, and what is left
       stays at the end of the line (set ragged) rather than spread into
       visible gaps between characters. */
    double punct_extra = 0;
    if (split_units && !squeezed) {
        double size = st->spans[st->ch[a].span].font.size;
        size_t np = 0;
        for (size_t i = a + 1; i < e; i++) np += unit_start(st, a, i) && punct_slot(st, i);
        (void)just_share(maxw - natural, nunits - 1, np, size, &extra, &punct_extra);
    }
    double shift = 0; /* the punctuation blanks added so far */

    double x = 0;
    size_t unit = 0;
    for (size_t i = a; i < e;) {
        size_t j = i + 1;
        double l0, t0, l1, t1;
        squeeze(st, a, e, i, &l0, &t0);
        /* a compressed mark is a piece of its own */
        while (j < e && l0 == 0 && t0 == 0) {
            bool span_change = st->ch[j].span != st->ch[j - 1].span;
            bool unit_boundary =
                is_wide(st->ch[j].cp) || is_wide(st->ch[j - 1].cp) || st->ch[j].space != st->ch[j - 1].space;
            squeeze(st, a, e, j, &l1, &t1);
            if (span_change || (split_units && unit_boundary) || l1 > 0 || t1 > 0) break;
            j++;
        }
        if (srdi_grow((void **)&o->pieces, &o->cappieces, o->npieces + 1, sizeof *o->pieces)) return lb_nomem();
        report_piece *p = &o->pieces[o->npieces++];
        p->span = st->ch[i].span;
        p->start = st->ch[i].off - st->span_off[p->span];
        p->end = st->ch[j - 1].off + st->ch[j - 1].len - st->span_off[p->span];
        if (punct_extra > 0 && i > a && unit_start(st, a, i) && punct_slot(st, i)) shift += punct_extra;
        p->x = x + (double)unit * extra + shift - l0;
        p->w = 0;
        for (size_t k = i; k < j; k++) p->w += st->ch[k].w;
        p->w -= t0;
        x += p->w - l0;
        /* count the units this piece covers */
        for (size_t k = i; k < j; k++) {
            bool boundary = k == a || st->ch[k].span != st->ch[k - 1].span || is_wide(st->ch[k].cp) ||
                            is_wide(st->ch[k - 1].cp) || st->ch[k].space != st->ch[k - 1].space;
            if (boundary && k != i) unit++;
        }
        unit++;
        ln->count++;
        i = j;
    }
    return SRDI_OK;
}

/* Break after character @p i in words mode (table cells, chart labels, boxes)? */
static bool word_break_after(const lb_char *ch, size_t i, size_t n)
{
    static const int32_t after[] = {0x3001, 0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0xFF09, 0x300B,
                                    0x300D, 0x3011, 0x201D, '/',    '-',    ',',    ';',    ')'};
    if (ch[i].space) return true;
    /* a slash between two Han characters joins the parts of one term
       ("国际先进/领先", "研发/设计"): it stays whole like a name */
    if (ch[i].cp == '/' && i > 0 && i + 1 < n && ch[i - 1].cp >= 0x4E00 && ch[i - 1].cp <= 0x9FFF &&
        ch[i + 1].cp >= 0x4E00 && ch[i + 1].cp <= 0x9FFF)
        return false;
    for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
        if (ch[i].cp == after[k]) return true;
    return i + 1 < n &&
           (ch[i + 1].cp == 0xFF08 || ch[i + 1].cp == 0x300A || ch[i + 1].cp == 0x201C || ch[i + 1].cp == '(');
}

static srdi_status break_impl(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                              double width, bool justify, bool words, double tight, double *widest, report_lines *out);

srdi_status report_break_lines(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                               double width, bool justify, report_lines *out)
{
    return break_impl(f, spans, nspans, first_width, width, justify, false, 0, NULL, out);
}

srdi_status report_break_lines_tight(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                                     double width, bool justify, double tight, report_lines *out)
{
    return break_impl(f, spans, nspans, first_width, width, justify, false, tight > 0 ? tight : 0, NULL, out);
}

srdi_status report_break_words(const srdi_fonts *f, const report_span *spans, size_t nspans, double width,
                               report_lines *out)
{
    return break_impl(f, spans, nspans, width, width, false, true, 0, NULL, out);
}

srdi_status report_widest_word(const srdi_fonts *f, const report_span *spans, size_t nspans, double *widest)
{
    report_lines tmp = {0};
    *widest = 0;
    srdi_status s = break_impl(f, spans, nspans, 1e9, 1e9, false, true, 0, widest, &tmp);
    if (s) *widest = 0;
    report_lines_free(&tmp);
    return s;
}

/* Total fit: the breaks of a justified paragraph chosen together rather than
 * line by line.  Among the ways with the fewest lines (what greedy filling
 * gives), the one that leaves the least slack at the ends of justified lines
 * (what just_share cannot take), then needs the second step of
 * justification least, then has the least sum of squared slack on the lines
 * that are justified (not the last one of a paragraph or before a hard
 * break), so a
 * group that may not be split ("（见图表52）。", a number with its unit) does
 * not leave one line letter-spaced across the measure: its slack is shared
 * a little by the lines before it.  A paragraph does not close on a line of
 * one character and its mark ("构" / "建。" → "的" / "构建。") where the line
 * before can give it a character without showing it (RUNT_COST).  Fills
 * @p ends (nch + 1 entries) with the end index of each line, in order, and
 * sets *@p nends; false when some
 * stretch has no break that fits (the caller then fills greedily). */
#define RAGGED_COST 1e5 /* per pt² of a justified line's end left short of the measure */
#define STEP2_COST 1e2  /* per pt² of slack taken by the second step of justification */
#define TIGHT_COST  1e6  /* per pt² a line is set tight (tight_room): a line less (per_line) outweighs it */
#define RUNT_COST   1e5  /* a paragraph's last line of one character and its mark ("建。"): as 1 pt² left
                            ragged, so the line before gives it a character where justification takes the slack */
static bool total_fit(const lb_state *st, double first_width, double width, size_t *ends, size_t *nends, double *cost,
                      size_t *from, unsigned char *fl)
{
    const size_t n = st->nch;
    const double per_line = 1e9; /* fewer lines first, then less slack */
    /* what the inner loop asks of every character again for every line start:
       fl[i] & 1, a unit starts at i (unit_start, i > a), & 2, punct_slot(i) */
    for (size_t i = 1; i < n; i++)
        fl[i] = (unsigned char)(unit_start(st, i - 1, i) | (punct_slot(st, i) << 1));
    for (size_t i = 0; i <= n; i++) cost[i] = -1;
    cost[0] = 0;
    for (size_t a = 0; a < n; a++) {
        if (cost[a] < 0) continue;
        double maxw = a == 0 ? first_width : width, run = 0;
        double size = st->spans[st->ch[a].span].font.size;
        /* justification units and punctuation blanks of [a, b) as emit_line
           counts them, and of the line without its trailing spaces */
        size_t units = 0, slots = 0, units_e = 0, slots_e = 0;
        for (size_t b = a + 1; b <= n; b++) {
            const lb_char *e = &st->ch[b - 1];
            run += e->w;
            if (b - 1 == a || (fl[b - 1] & 1)) { /* unit_start(st, a, b - 1) */
                units++;
                slots += b - 1 > a && (fl[b - 1] & 2);
            }
            if (!e->space) {
                units_e = units;
                slots_e = slots;
            }
            double w = run; /* trailing spaces do not count against the width */
            for (size_t k = b; k > a && st->ch[k - 1].space; k--) w -= st->ch[k - 1].w;
            double room = tight_room(st, units_e, size);
            if (w > maxw + room + 0.01 && b > a + 1) break;
            if (!e->brk_after && b < n) continue;
            bool last = e->must_after || b == n;
            double slack = last ? 0 : maxw - w;
            /* a line set tight: only where that saves a line (its cost is
               above any slack's), the least closing up first */
            double tight = st->tight > 0 && w > maxw + 0.01 ? w - maxw : 0;
            if (tight > 0) slack = 0;
            /* the slack a line cannot take (just_share) is left at its end:
               the breaks that leave least of it, then those that need the
               second step of justification least, then the least slack */
            double c = cost[a] + per_line + slack * slack + TIGHT_COST * tight * tight;
            /* a closing line of a paragraph of more than one line that holds
               one character (and its mark) is a runt (孤字) */
            if (b == n && a > 0 && units_e <= 2 && w < 2.5 * size) c += RUNT_COST;
            /* the terms below only add: a break already dearer than cost[b] is not taken either way */
            if (slack > 0.01 && !(cost[b] >= 0 && c >= cost[b])) {
                double letter = 0, punct = 0;
                double ragged = units_e > 1 ? just_share(slack, units_e - 1, slots_e, size, &letter, &punct) : slack;
                double over = fmax(0, letter - JUST_CAP * size) * (double)(units_e - 1) +
                              fmax(0, punct - JUST_PUNCT * size) * (double)slots_e;
                c += RAGGED_COST * ragged * ragged + STEP2_COST * over * over;
            }
            if (cost[b] < 0 || c < cost[b]) {
                cost[b] = c;
                from[b] = a;
            }
            if (e->must_after) break; /* a line never runs past a hard break */
        }
    }
    if (cost[n] < 0) return false;
    size_t k = 0;
    for (size_t b = n; b > 0; b = from[b]) ends[k++] = b;
    for (size_t i = 0; i < k / 2; i++) {
        size_t t = ends[i];
        ends[i] = ends[k - 1 - i];
        ends[k - 1 - i] = t;
    }
    *nends = k;
    return true;
}

/* The spans' text joined into @p all, with each span's offset in st->span_off. */
static srdi_status lb_join(lb_state *st, size_t nspans, srdi_buf *all)
{
    st->span_off = calloc(nspans + 1, sizeof *st->span_off);
    if (!st->span_off) return lb_nomem();
    for (size_t i = 0; i < nspans; i++) {
        st->span_off[i] = all->len;
        if (st->spans[i].len && srdi_buf_append(all, st->spans[i].text, st->spans[i].len)) return lb_nomem();
    }
    return SRDI_OK;
}

/* The characters of @p all (st->ch) with their widths and the UAX #14 break flags @p brks. */
static srdi_status lb_measure(lb_state *st, size_t nspans, const srdi_buf *all, const char *brks)
{
    size_t sp = 0, capch = 0;
    for (const char *p = all->data; p < all->data + all->len;) {
        size_t off = (size_t)(p - all->data);
        while (sp + 1 < nspans && off >= st->span_off[sp + 1]) sp++;
        const char *q = p;
        int32_t cp = srdi_utf8_next(&q);
        if (cp < 0 || q <= p) {
            cp = 0xFFFD;
            q = p + 1;
        }
        size_t len = (size_t)(q - p);
        if (srdi_grow((void **)&st->ch, &capch, st->nch + 1, sizeof *st->ch)) return lb_nomem();
        lb_char *c = &st->ch[st->nch++];
        c->off = off;
        c->len = len;
        c->span = sp;
        c->cp = cp;
        c->space = cp == ' ' || cp == 0x3000 || cp == '\t';
        c->w = cp == '\n' ? 0 : srdi_text_width(st->f, st->spans[sp].font, p, len);
        double gadv = 0;
        c->padded = (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019) &&
                    srdi_fonts_glyph(st->f, st->spans[sp].font, SRDI_FACE_CJK, (uint32_t)cp, &gadv) &&
                    gadv < 0.75 * st->spans[sp].font.size && c->w >= 0.75 * st->spans[sp].font.size;
        char b = brks[off + len - 1];
        c->must_after = b == LINEBREAK_MUSTBREAK;
        c->brk_after = b == LINEBREAK_ALLOWBREAK || b == LINEBREAK_MUSTBREAK;
        c->soft_after = false;
        p = q;
    }
    return SRDI_OK;
}

/* The report's own rules over the UAX #14 breaks (禁则, words mode, 图表 N, units, ranges). */
static void lb_rules(lb_state *st, bool words)
{
    lb_char *ch = st->ch;
    size_t nch = st->nch;
    /* 禁则: no break before a no-start character or after a no-end one */
    for (size_t i = 0; i + 1 < nch; i++) {
        if (ch[i].must_after) continue;
        if (no_start(ch[i + 1].cp) || no_end(ch[i].cp)) ch[i].brk_after = false;
    }
    /* words mode: break only at spaces, after punctuation and before an
       opening bracket, so names, a number with its unit and a code with
       its name stay whole */
    for (size_t i = 0; words && i + 1 < nch; i++) {
        if (ch[i].must_after) continue;
        /* a word too long for its line splits before a number first ("相差" /
           "42.96个百分点", not "42.96个百" / "分点"): dictionary-free, the
           Han–digit boundary is the one place inside a CJK run known to
           fall between words */
        ch[i].soft_after = ch[i].brk_after && ch[i].cp >= 0x4E00 && ch[i].cp <= 0x9FFF && ch[i + 1].cp >= '0' &&
                           ch[i + 1].cp <= '9';
        if (ch[i].brk_after && !word_break_after(ch, i, nch)) ch[i].brk_after = false;
        /* UAX #14 keeps a number's % or 年 to a full-width bracket after it
           (LB25 PO × OP); a cell breaks there before anything inside a word:
           "15%—25%" / "（中等强度）" rather than "15%—25%（中等强" / "度）" */
        else if (!ch[i].brk_after && (ch[i + 1].cp == 0xFF08 || ch[i + 1].cp == 0x300A) && !no_end(ch[i].cp) &&
                 !ch[i].space)
            ch[i].brk_after = true;
    }
    /* "图表 N" and "见图表N" stay on one line: no break after 见 before 图表, inside
       图表, or between 表 and its number */
    for (size_t i = 0; i + 2 < nch; i++) {
        if (ch[i].cp != 0x56FE || ch[i + 1].cp != 0x8868 || ch[i + 2].cp < '0' || ch[i + 2].cp > '9') continue;
        if (i > 0 && ch[i - 1].cp == 0x89C1 && !ch[i - 1].must_after) ch[i - 1].brk_after = false;
        ch[i].brk_after = ch[i].must_after;
        ch[i + 1].brk_after = ch[i + 1].must_after;
    }
    /* a number stays with the Han character after it: its unit ("1 / 件",
       "1.1 / 倍") or, for an industry code, its name ("65 / 软件和…") */
    for (size_t i = 0; i + 1 < nch; i++)
        if (!ch[i].must_after && ch[i].cp >= '0' && ch[i].cp <= '9' && ch[i + 1].cp >= 0x4E00 && ch[i + 1].cp <= 0x9FFF)
            ch[i].brk_after = false;
    /* a footnote mark (a superscript span) stays with the word before it:
       no line opens with it (the 厦门市 edition of sample n 9000 seed 4242
       set "…中位数为5件" / "⁹（有的领域…") */
    for (size_t i = 0; i + 1 < nch; i++)
        if (!ch[i].must_after && st->spans[ch[i + 1].span].superscript && !st->spans[ch[i].span].superscript)
            ch[i].brk_after = false;
    /* a range "101—200" is not broken at its dash */
    for (size_t i = 1; i + 1 < nch; i++)
        if (ch[i].cp == 0x2014 && ch[i - 1].cp >= '0' && ch[i - 1].cp <= '9' && ch[i + 1].cp >= '0' &&
            ch[i + 1].cp <= '9') {
            ch[i - 1].brk_after = ch[i - 1].must_after;
            ch[i].brk_after = ch[i].must_after;
        }
    if (nch) ch[nch - 1].must_after = ch[nch - 1].brk_after = true;
}

/* Raise *@p widest to the width of the widest unbreakable run. */
static void lb_widest(const lb_state *st, double *widest)
{
    double u = 0;
    for (size_t i = 0; i < st->nch; i++) {
        if (!st->ch[i].space) u += st->ch[i].w;
        if (u > *widest) *widest = u;
        if (st->ch[i].brk_after) u = 0;
    }
}

/* Justified text: the lines of the whole paragraph chosen together (total_fit); *fit false when it cannot. */
static srdi_status lb_total_fit(lb_state *st, double first_width, double width, bool *fit)
{
    srdi_status s = SRDI_OK;
    size_t *ends = malloc((st->nch + 1) * sizeof *ends), *from = malloc((st->nch + 1) * sizeof *from);
    double *cost = malloc((st->nch + 1) * sizeof *cost);
    unsigned char *fl = malloc(st->nch + 1);
    size_t nends = 0;
    *fit = ends && from && cost && fl && total_fit(st, first_width, width, ends, &nends, cost, from, fl);
    if (!ends || !from || !cost || !fl) s = lb_nomem();
    for (size_t k = 0, a0 = 0; *fit && !s && k < nends; a0 = ends[k++]) {
        size_t end = ends[k], draw_end = end;
        if (draw_end > a0 && st->ch[draw_end - 1].cp == '\n') draw_end--;
        bool last = st->ch[end - 1].must_after || end == st->nch;
        s = emit_line(st, a0, draw_end, k == 0 ? first_width : width, last);
    }
    free(ends);
    free(from);
    free(cost);
    free(fl);
    return s;
}

/*
 * End of the line that starts at character @p a filled greedily to @p maxw:
 * at the last break opportunity that fits, else between characters (keeping
 * 禁则 when possible); *last when it ends the paragraph or a hard break.
 */
static size_t lb_greedy_end(const lb_state *st, size_t a, double maxw, bool *last)
{
    const lb_char *ch = st->ch;
    double w = 0, size = st->spans[ch[a].span].font.size;
    size_t last_brk = SIZE_MAX, i = a, units = 0;
    bool must = false;
    for (; i < st->nch; i++) {
        w += ch[i].w;
        units += unit_start(st, a, i);
        double wtrim = w;
        /* trailing spaces do not count against the width */
        for (size_t k = i; k >= a && ch[k].space; k--) {
            wtrim -= ch[k].w;
            if (k == a) break;
        }
        if (wtrim > maxw + tight_room(st, units, size) + 0.01 && i > a) break;
        if (ch[i].brk_after) last_brk = i;
        if (ch[i].must_after) {
            must = true;
            last_brk = i;
            i++;
            break;
        }
    }
    *last = must || i >= st->nch;
    if (must) return last_brk + 1;
    if (i >= st->nch) return st->nch;
    if (last_brk != SIZE_MAX) return last_brk + 1;
    /* no opportunity in the line: a words-mode split before a number that
       fits (lb_rules), else between characters, keeping 禁则 when possible */
    for (size_t k = i; k > a + 1; k--)
        if (ch[k - 1].soft_after) return k;
    size_t end = i > a ? i : a + 1;
    while (end > a + 1 && (no_start(ch[end].cp) || no_end(ch[end - 1].cp))) end--;
    /* never leave one character of a word alone on the next line: the rest
       of the word runs to its next break opportunity or hard break
       ("国家级营收增长率中位" / "数" / "江苏省" sets "…中" / "位数") */
    size_t k = end;
    while (k < st->nch && ch[k].cp != '\n' && !ch[k].brk_after) k++;
    size_t rest = k < st->nch && ch[k].cp != '\n' ? k - end + 1 : k - end;
    if (end < st->nch && rest == 1 && end - a >= 3) end--;
    return end;
}

/* Fill the lines greedily, one after the other. */
static srdi_status lb_greedy(lb_state *st, double first_width, double width)
{
    size_t a = 0;
    while (a < st->nch) {
        double maxw = st->out->nlines == 0 ? first_width : width;
        bool last;
        size_t end = lb_greedy_end(st, a, maxw, &last);
        /* a hard break "\n" is not drawn */
        size_t draw_end = end;
        if (draw_end > a && st->ch[draw_end - 1].cp == '\n') draw_end--;
        srdi_status s = emit_line(st, a, draw_end, maxw, last);
        if (s) return s;
        a = end;
    }
    return SRDI_OK;
}

/* Break the lines (no cache): see report_break_lines; *@p widest raised when given. */
static srdi_status break_fresh(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                               double width, bool justify, bool words, double tight, double *widest, report_lines *out)
{
    srdi_status s;
    srdi_buf all = {0};
    char *brks = NULL;
    lb_state st = {.f = f, .spans = spans, .out = out, .justify = justify, .tight = tight};
    pthread_once(&lb_once, lb_init);
    out->npieces = out->nlines = 0;

    if ((s = lb_join(&st, nspans, &all)) || all.len == 0) goto cleanup;
    brks = malloc(all.len);
    if (!brks) {
        s = lb_nomem();
        goto cleanup;
    }
    set_linebreaks_utf8((const utf8_t *)all.data, all.len, "zh", brks);
    if ((s = lb_measure(&st, nspans, &all, brks))) goto cleanup;
    lb_rules(&st, words);
    if (widest) lb_widest(&st, widest);
    bool fit = false;
    if (justify && !words && ((s = lb_total_fit(&st, first_width, width, &fit)) || fit)) goto cleanup;
    s = lb_greedy(&st, first_width, width);
cleanup:
    srdi_buf_free(&all);
    free(brks);
    free(st.ch);
    free(st.span_off);
    return s;
}

/* ------------------------------------------------------------ break cache */

/*
 * The lines of a paragraph are a function of its spans' text and fonts, the
 * widths and the mode: a report lays every paragraph out once per layout
 * pass (a dozen passes), so a render keeps what it broke (report_break_cache)
 * and copies it out when the same text is broken again.  The key is the
 * whole input (compared byte for byte, not only its hash), the value exactly
 * what break_impl made: a hit is the same lines.  Only the thread that set
 * the cache (report_break_cache_use) sees it; a cache that cannot grow is
 * not filled (the lines are broken as without it).  A cache serves one
 * fonts object (the first it is asked with; others are broken afresh), which
 * is why the fonts are not part of the key.
 *
 * A cache may also look in a store (report_break_store, below): the breaks
 * of the previous render of the same output, read from a file.
 */
typedef struct lb_entry {
    uint64_t hash;
    char *key; /* NULL: a free slot */
    size_t keylen;
    report_piece *pieces;
    size_t npieces;
    report_line *lines;
    size_t nlines;
    double widest;
} lb_entry;

struct report_break_cache {
    lb_entry *slot;
    size_t cap, n;             /* cap: a power of two (or 0) */
    srdi_buf key;              /* the key of the break being looked up, its room kept from call to call */
    const srdi_fonts *f;       /* the fonts its breaks were made with (NULL: none yet) */
    report_break_store *store; /* looked in after the cache (NULL: none) */
};

static _Thread_local report_break_cache *tl_cache;

report_break_cache *report_break_cache_new(void)
{
    return calloc(1, sizeof(report_break_cache));
}

void report_break_cache_free(report_break_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slot[i].key);
        free(c->slot[i].pieces);
        free(c->slot[i].lines);
    }
    free(c->slot);
    srdi_buf_free(&c->key);
    free(c);
}

report_break_cache *report_break_cache_use(report_break_cache *c)
{
    report_break_cache *prev = tl_cache;
    tl_cache = c;
    return prev;
}

/* The whole input of a break into @p key; false when out of memory. */
static bool lb_key(srdi_buf *key, const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                   double width, bool justify, bool words, double tight)
{
    struct {
        double first_width, width, tight;
        size_t nspans;
        unsigned char justify, words;
    } head;
    (void)f; /* one cache, one fonts object (break_impl) */
    memset(&head, 0, sizeof head);
    head.first_width = first_width;
    head.width = width;
    head.tight = tight;
    head.nspans = nspans;
    head.justify = justify;
    head.words = words;
    if (srdi_buf_append(key, &head, sizeof head)) return false;
    for (size_t i = 0; i < nspans; i++) {
        struct {
            size_t len;
            double size;
            int family;
            unsigned char bold, superscript; /* a mark is kept with the word before it (lb_rules) */
        } sp;
        memset(&sp, 0, sizeof sp);
        sp.len = spans[i].len;
        sp.size = spans[i].font.size;
        sp.family = (int)spans[i].font.family;
        sp.bold = spans[i].font.bold;
        sp.superscript = spans[i].superscript;
        if (srdi_buf_append(key, &sp, sizeof sp)) return false;
        if (sp.len && srdi_buf_append(key, spans[i].text, sp.len)) return false;
    }
    return true;
}

/* The slot of @p key in @p c: its entry, or the free slot where it goes. */
static lb_entry *lb_slot(report_break_cache *c, uint64_t h, const srdi_buf *key)
{
    for (size_t i = (size_t)h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        lb_entry *e = &c->slot[i];
        if (!e->key || (e->hash == h && e->keylen == key->len && memcmp(e->key, key->data, key->len) == 0)) return e;
    }
}

/* Copy a cached break into @p out (and raise *@p widest); false when out of memory. */
static bool lb_hit(const lb_entry *e, report_lines *out, double *widest)
{
    if (srdi_grow((void **)&out->pieces, &out->cappieces, e->npieces, sizeof *out->pieces) ||
        srdi_grow((void **)&out->lines, &out->caplines, e->nlines, sizeof *out->lines))
        return false;
    if (e->npieces) memcpy(out->pieces, e->pieces, e->npieces * sizeof *out->pieces);
    if (e->nlines) memcpy(out->lines, e->lines, e->nlines * sizeof *out->lines);
    out->npieces = e->npieces;
    out->nlines = e->nlines;
    if (widest && e->widest > *widest) *widest = e->widest;
    return true;
}

/* Keep the break in @p out under a copy of @p key; nothing when out of memory. */
static void lb_keep(report_break_cache *c, uint64_t h, const srdi_buf *key, const report_lines *out, double widest)
{
    if (c->n + 1 > c->cap / 2) { /* grow: rehash into twice the slots */
        size_t ncap = c->cap ? c->cap * 2 : 256;
        lb_entry *ns = calloc(ncap, sizeof *ns);
        if (!ns) return;
        report_break_cache old = *c;
        c->slot = ns;
        c->cap = ncap;
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.slot[i].key) continue;
            size_t j = (size_t)old.slot[i].hash & (ncap - 1);
            while (ns[j].key) j = (j + 1) & (ncap - 1);
            ns[j] = old.slot[i];
        }
        free(old.slot);
    }
    lb_entry *e = lb_slot(c, h, key);
    if (e->key) return; /* already kept */
    report_piece *pieces = malloc((out->npieces ? out->npieces : 1) * sizeof *pieces);
    report_line *lines = malloc((out->nlines ? out->nlines : 1) * sizeof *lines);
    char *k = malloc(key->len ? key->len : 1);
    if (!pieces || !lines || !k) {
        free(pieces);
        free(lines);
        free(k);
        return;
    }
    if (out->npieces) memcpy(pieces, out->pieces, out->npieces * sizeof *pieces);
    if (out->nlines) memcpy(lines, out->lines, out->nlines * sizeof *lines);
    if (key->len) memcpy(k, key->data, key->len);
    *e = (lb_entry){h, k, key->len, pieces, out->npieces, lines, out->nlines, widest};
    c->n++;
}

static bool store_hit(report_break_store *st, const srdi_fonts *f, uint64_t h, const srdi_buf *key,
                      report_lines *out, double *widest);

static srdi_status break_impl(const srdi_fonts *f, const report_span *spans, size_t nspans, double first_width,
                              double width, bool justify, bool words, double tight, double *widest, report_lines *out)
{
    report_break_cache *c = tl_cache;
    if (!c || (c->f && c->f != f))
        return break_fresh(f, spans, nspans, first_width, width, justify, words, tight, widest, out);
    c->f = f;
    srdi_buf *key = &c->key; /* its room stays for the next call: no allocation for a hit */
    srdi_buf_reset(key);
    if (!lb_key(key, f, spans, nspans, first_width, width, justify, words, tight))
        return break_fresh(f, spans, nspans, first_width, width, justify, words, tight, widest, out);
    uint64_t h = srdi_hash_mem(key->data, key->len);
    if (c->cap) {
        lb_entry *e = lb_slot(c, h, key);
        if (e->key && lb_hit(e, out, widest)) return SRDI_OK;
    }
    if (c->store && store_hit(c->store, f, h, key, out, widest)) return SRDI_OK;
    double w = 0;
    srdi_status s = break_fresh(f, spans, nspans, first_width, width, justify, words, tight, &w, out);
    if (widest && w > *widest) *widest = w;
    if (s == SRDI_OK) lb_keep(c, h, key, out, w);
    return s;
}

/* ------------------------------------------------------------ break store
 *
 * A refresh changes a few numbers of the report, and its first layout pass
 * broke every paragraph afresh: most of the layout's time.  The breaks a
 * render made or used are kept in a file (the pipeline names it:
 * OUT/.srdi-breaks) and the next render of the same output looks in them
 * after its own cache: the same key bytes (the whole input of a break) give
 * the same lines, so a hit is what break_fresh would make.  The file's key
 * names what else a break depends on — the program and the fonts (the
 * caller's key) and libunibreak — and a file of another key, a short or
 * damaged one (its check fails) is an empty store, never an error.
 *
 * File: a sealed file (srdi/sealed.h: magic "SRDI-BREAKS 1\n", u64 key,
 * the entries, their count, the check); an entry is u64 hash, key length,
 * pieces, lines, f64 widest, the key bytes padded to 8, each piece as u64
 * span, start, end, f64 x, w, each line as u64 first, count, f64 width,
 * u64 last.  It is mapped, not read: a render touches the pages of the
 * entries it asks.
 *
 * The entries read are shared read-only by the render's threads (a hit
 * marks its entry used, atomically); the breaks a render makes are in its
 * threads' caches, whose helpers hand them to the store when they end
 * (report_break_store_adopt).  The file written holds the entries used and
 * the breaks made, each once: what the next render of a similar report will
 * ask again.
 */

#define STORE_MAGIC "SRDI-BREAKS 1\n"

struct report_break_store {
    const srdi_fonts *f; /* the fonts of the render it serves */
    srdi_sealed file;    /* the file read: its entries, indexed by their hash (srdi/sealed.h) */
    pthread_mutex_t mu;  /* guards kids */
    report_break_cache **kids; /* the caches of the render's helper threads, ended */
    size_t nkids, capkids;
};

static uint64_t rd_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static double rd_f64(const unsigned char *p)
{
    double v;
    memcpy(&v, p, sizeof v);
    return v;
}

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* The key libunibreak adds to the caller's: a new libunibreak may break elsewhere. */
static uint64_t store_key(uint64_t key)
{
    uint64_t v[3] = {key, (uint64_t)linebreak_version, 0x5352444942524B31ULL};
    return srdi_hash_mem(v, sizeof v);
}

/* An entry's layout (srdi_sealed_entry_fn): hash, key length, pieces, lines, widest, the key padded, pieces, lines. */
static size_t break_entry(const unsigned char *p, size_t room, uint64_t *hash)
{
    if (room < 40) return 0;
    uint64_t kl = rd_u64(p + 8), np = rd_u64(p + 16), nl = rd_u64(p + 24);
    room -= 40;
    if (kl > room || np > room / 40 || nl > room / 32 || pad8(kl) + np * 40 + nl * 32 > room) return 0;
    *hash = rd_u64(p);
    return 40 + pad8(kl) + np * 40 + nl * 32;
}

report_break_store *report_break_store_load(const char *path, uint64_t key, const srdi_fonts *f)
{
    report_break_store *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->f = f;
    pthread_mutex_init(&st->mu, NULL);
    /* no file yet, or not a whole file of this key: an empty store */
    srdi_sealed_load(&st->file, path, STORE_MAGIC, store_key(key), 40, 256, break_entry);
    return st;
}

void report_break_store_free(report_break_store *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->nkids; i++) report_break_cache_free(st->kids[i]);
    free(st->kids);
    srdi_sealed_free(&st->file);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

void report_break_cache_attach(report_break_cache *c, report_break_store *st)
{
    if (c) c->store = st;
}

size_t report_break_cache_count(const report_break_cache *c)
{
    return c ? c->n : 0;
}

report_break_store *report_break_cache_store(void)
{
    return tl_cache ? tl_cache->store : NULL;
}

void report_break_store_adopt(report_break_store *st, report_break_cache *c)
{
    if (!c) return;
    if (!st) {
        report_break_cache_free(c);
        return;
    }
    pthread_mutex_lock(&st->mu);
    bool kept = srdi_grow((void **)&st->kids, &st->capkids, st->nkids + 1, sizeof *st->kids) == SRDI_OK;
    if (kept) st->kids[st->nkids++] = c;
    pthread_mutex_unlock(&st->mu);
    if (!kept) {
        srdi_error_clear();
        report_break_cache_free(c); /* its breaks are not kept: the next render makes them again */
    }
}

/* The entry of @p key in @p st, or NULL. */
static srdi_sealed_slot *store_find(report_break_store *st, uint64_t h, const void *key, size_t keylen)
{
    size_t pos = 0;
    srdi_sealed_slot *e;
    while ((e = srdi_sealed_find(&st->file, h, &pos)) != NULL)
        if (rd_u64(e->at + 8) == keylen && memcmp(e->at + 40, key, keylen) == 0) return e;
    return NULL;
}

static bool store_hit(report_break_store *st, const srdi_fonts *f, uint64_t h, const srdi_buf *key,
                      report_lines *out, double *widest)
{
    if (st->f != f) return false;
    srdi_sealed_slot *e = store_find(st, h, key->data, key->len);
    if (!e) return false;
    size_t np = (size_t)rd_u64(e->at + 16), nl = (size_t)rd_u64(e->at + 24);
    const unsigned char *pieces = e->at + 40 + pad8(key->len), *lines = pieces + 40 * np;
    if (srdi_grow((void **)&out->pieces, &out->cappieces, np, sizeof *out->pieces) ||
        srdi_grow((void **)&out->lines, &out->caplines, nl, sizeof *out->lines)) {
        srdi_error_clear();
        return false; /* broken afresh, which reports the lack of memory */
    }
    for (size_t i = 0; i < np; i++) {
        const unsigned char *p = pieces + 40 * i;
        out->pieces[i] = (report_piece){(size_t)rd_u64(p), (size_t)rd_u64(p + 8), (size_t)rd_u64(p + 16),
                                        rd_f64(p + 24), rd_f64(p + 32)};
    }
    for (size_t i = 0; i < nl; i++) {
        const unsigned char *p = lines + 32 * i;
        out->lines[i] = (report_line){(size_t)rd_u64(p), (size_t)rd_u64(p + 8), rd_f64(p + 16), rd_u64(p + 24) != 0};
    }
    out->npieces = np;
    out->nlines = nl;
    double w = rd_f64(e->at + 32);
    if (widest && w > *widest) *widest = w;
    srdi_sealed_mark(e);
    return true;
}

/* One break made by this render, as an entry of the file. */
static void out_entry(srdi_sealed_out *o, const lb_entry *e)
{
    double widest = e->widest;
    srdi_sealed_put_u64(o, e->hash);
    srdi_sealed_put_u64(o, e->keylen);
    srdi_sealed_put_u64(o, e->npieces);
    srdi_sealed_put_u64(o, e->nlines);
    srdi_sealed_put(o, &widest, sizeof widest);
    srdi_sealed_put(o, e->key, e->keylen);
    srdi_sealed_pad8(o, e->keylen);
    for (size_t i = 0; i < e->npieces; i++) {
        double x = e->pieces[i].x, w = e->pieces[i].w;
        srdi_sealed_put_u64(o, e->pieces[i].span);
        srdi_sealed_put_u64(o, e->pieces[i].start);
        srdi_sealed_put_u64(o, e->pieces[i].end);
        srdi_sealed_put(o, &x, sizeof x);
        srdi_sealed_put(o, &w, sizeof w);
    }
    for (size_t i = 0; i < e->nlines; i++) {
        double w = e->lines[i].width;
        srdi_sealed_put_u64(o, e->lines[i].first);
        srdi_sealed_put_u64(o, e->lines[i].count);
        srdi_sealed_put(o, &w, sizeof w);
        srdi_sealed_put_u64(o, e->lines[i].last ? 1 : 0);
    }
    srdi_sealed_entry_done(o);
}

/* Is @p e also in one of @p caches (the first @p n)? */
static bool kept_before(report_break_cache *const *caches, size_t n, const lb_entry *e)
{
    srdi_buf k = {.data = e->key, .len = e->keylen};
    for (size_t i = 0; i < n; i++)
        if (caches[i] && caches[i]->cap && lb_slot(caches[i], e->hash, &k)->key) return true;
    return false;
}

srdi_status report_break_store_save(report_break_store *st, report_break_cache *main, const char *path, uint64_t key)
{
    if (!st || !path) return SRDI_OK;
    report_break_cache **all = calloc(st->nkids + 1, sizeof *all);
    if (!all) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory keeping the line breaks in %s", path);
    all[0] = main;
    for (size_t i = 0; i < st->nkids; i++) all[i + 1] = st->kids[i];
    srdi_sealed_out o;
    srdi_status s = srdi_sealed_create(&o, path, STORE_MAGIC, store_key(key));
    if (s) {
        free(all);
        return s;
    }
    srdi_sealed_put_used(&o, &st->file); /* the entries read that this render asked, as they were */
    for (size_t k = 0; k <= st->nkids; k++) { /* the breaks made: the main thread's, then each helper's new ones */
        const report_break_cache *c = all[k];
        if (!c || (c->f && c->f != st->f)) continue;
        for (size_t i = 0; i < c->cap; i++) {
            const lb_entry *e = &c->slot[i];
            if (e->key && !kept_before(all, k, e)) out_entry(&o, e);
        }
    }
    free(all);
    return srdi_sealed_close(&o, "the line breaks");
}

char *report_line_text(const report_lines *l, const report_span *spans, size_t i)
{
    srdi_buf b = {0};
    if (i < l->nlines) {
        const report_line *ln = &l->lines[i];
        for (size_t k = 0; k < ln->count; k++) {
            const report_piece *p = &l->pieces[ln->first + k];
            srdi_buf_append(&b, spans[p->span].text + p->start, p->end - p->start);
        }
    }
    return srdi_buf_steal(&b);
}

/* ------------------------------------------------- CJK–Latin spacing (GB/T 15834) */


/* First / last code point of a run's text (0 when empty). */
static int32_t first_cp(const char *s)
{
    if (!s || !*s) return 0;
    return srdi_utf8_next(&s);
}

static void inline_spacing(report_inline *in, bool heading)
{
    size_t skip = 0; /* a heading's own number and the space after it: "2.1 规模与结构" */
    if (heading && in->n && !(in->runs[0].style & (REPORT_FNREF | REPORT_BREAK))) {
        const char *t = in->runs[0].text;
        while ((t[skip] >= '0' && t[skip] <= '9') || (t[skip] == '.' && skip > 0)) skip++;
        if (skip > 0 && t[skip] == ' ')
            while (t[skip] == ' ') skip++;
        else
            skip = 0;
    }
    for (size_t k = 0; k < in->n; k++) {
        if (in->runs[k].style & (REPORT_FNREF | REPORT_BREAK)) continue;
        int32_t before = 0, after = 0;
        if (k > 0 && !(in->runs[k - 1].style & REPORT_BREAK))
            before = srdi_utf8_before(in->runs[k - 1].text, strlen(in->runs[k - 1].text));
        if (k + 1 < in->n && !(in->runs[k + 1].style & (REPORT_BREAK | REPORT_FNREF)))
            after = first_cp(in->runs[k + 1].text);
        if (k == 0 && skip)
            srdi_cjk_spacing(in->runs[0].text + skip, ' ', after);
        else
            srdi_cjk_spacing(in->runs[k].text, before, after);
    }
}

void report_doc_spacing(report_doc *d)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        report_block *b = &d->blocks[i];
        inline_spacing(&b->text, b->kind == RB_HEADING);
        srdi_cjk_spacing(b->caption, 0, 0);
        srdi_cjk_spacing(b->source, 0, 0);
        for (size_t k = 0; b->cells && k < b->ncols * b->nrows; k++) srdi_cjk_spacing(b->cells[k], 0, 0);
        for (size_t k = 0; k < b->ncover; k++) srdi_cjk_spacing(b->cover_lines[k], 0, 0);
    }
    for (size_t i = 0; i < d->nnotes; i++) inline_spacing(&d->notes[i].text, false);
    for (size_t i = 0; i < d->nfigs; i++) srdi_cjk_spacing(d->figs[i].caption, 0, 0);
}
