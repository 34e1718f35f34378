/*
 * src/report/layout_tables.c — exhibits of the report: grids (computed
 * tables and narrative pipe tables) that split across pages with the header
 * row and caption repeated, captions, notes and 资料来源 lines, and chart
 * blocks (caption, chart, optional table, source) kept on one page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srdi/charts.h"
#include "head_words.h"
#include "layout_private.h"

/* ----------------------------------------------------------------- grids */

typedef struct grid {
    size_t ncols, nrows; /* nrows includes the header row */
    char **cells;        /* borrowed or owned by the caller */
    int *align;          /* per column */
    double size, lh, pad;
    double *w;    /* column widths */
    double *rowh; /* row heights */
    char **head;  /* per column: the header as set, with its line breaks at word boundaries
                     (head_lines), or NULL: the header cell as it is; owned */
    bool nodata;  /* a computed table shown as one 暂无数据 row (table_cells_of) */
    bool under_chart; /* the table of a chart (drawn under it): split like a long table once it has
                         more than GRID_KEEP_ROWS body rows, small or not (grid_first_height) */
    char *nnote;  /* the sample sizes of rows that hold nothing else, said in the note
                     instead of a row of empty cells (table_cells_of); owned, or NULL */
    char *bnote;  /* a regional edition's benchmark view's note (table_cells); owned, or NULL */
    char *mnote;  /* what a multiple column's "—" says (its base is zero: table_cells_of); owned, or NULL */
    bool dash;    /* a number column shows "—" for a value the data cannot give (table_cells_of): the
                     note says so */
    char tdash[64]; /* the label of a text column that shows "—" (a group of no type, a class of
                       no strategic domain: table_cells_of): the note says so; "" when none */
    size_t *grp;  /* per column: the first column of its benchmark group (a region's column and
                     the province / 全国 columns after it, one statistic: table_cells_of), or
                     NULL: no groups; owned */
} grid;

/* Text of cell (@p r, @p c) as the grid sets it (a header with its chosen line breaks). */
static const char *grid_cell(const grid *g, size_t r, size_t c)
{
    return r == 0 && g->head && g->head[c] ? g->head[c] : g->cells[r * g->ncols + c];
}

/*
 * Does the cell hold a number ("1,234", "-10.57%", "2.89倍", "—")?  Text
 * with digits ("2011—2017年", "TOP10") is not: it is set left-aligned.
 */
static bool numeric_text(const char *s)
{
    if (strcmp(s, "—") == 0 || strcmp(s, "-") == 0) return true;
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    bool digit = false;
    while ((*p >= '0' && *p <= '9') || *p == ',' || *p == '.') {
        digit = digit || (*p >= '0' && *p <= '9');
        p++;
    }
    if (*p == '%')
        p++;
    else if (strncmp(p, "倍", strlen("倍")) == 0)
        p += strlen("倍");
    return digit && *p == '\0';
}

/* Table type size: one size for every table of the report (points). */
#define GRID_SIZE 9.0
/* A word wider than this many ems may be split inside a cell. */
#define GRID_WORD_EM 8.0

/* A table whose words do not fit even so may split a word wider than this many ems (numbers stay whole). */
#define GRID_WORD_EM_TIGHT 3.0
/* body rows a table is kept whole with, small or not; a chart's table of more may split like a
   long one (grid_first_height) */
#define GRID_KEEP_ROWS 8

/*
 * Word boundaries inside the CJK run of a column header (dictionary-free
 * otherwise, the words mode of linebreak.c breaks a header only at spaces,
 * punctuation and brackets, so "有科技成果评价企业发明授权中位数" is one
 * word): before the statistic a header ends with (中位数, 占比, 均值 …),
 * after the group it starts with (…企业, 国家级, 省级), and between a Han
 * character and a number or comparison ("注册资本" / "≥10,000万元").  A
 * header breaks there only when a column cannot hold its whole words
 * (grid_measure, head_lines).  tests/page_makeup.py accepts a table cell
 * broken at these boundaries and no other between two Han characters; both
 * take the words from head_words.h.
 */
static const char *const HEAD_BEFORE[] = {HEAD_WORDS_BEFORE};
static const char *const HEAD_AFTER[] = {HEAD_WORDS_AFTER};

static bool han_cp(int32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* The code point that ends at byte @p i of @p s (i > 0). */
static int32_t cp_before(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80) k--;
    if (k > 0) k--;
    const char *p = s + k;
    return srdi_utf8_next(&p);
}

/* Is byte offset @p i of header @p s (a character boundary) a word boundary of a CJK run (HEAD_BEFORE …)? */
static bool head_boundary(const char *s, size_t i)
{
    if (i == 0 || s[i] == '\0') return false;
    int32_t prev = cp_before(s, i);
    const char *p = s + i;
    int32_t next = srdi_utf8_next(&p);
    if (!han_cp(prev)) return false;
    /* a piece of one character alone is no word ("企业" / "数") */
    const char *q = s + i;
    srdi_utf8_next(&q);
    if (*q == '\0' || *q == '\n') return false;
    if ((next >= '0' && next <= '9') || next == 0x2265 || next == 0x2264 || next == '<' || next == '>') return true;
    if (!han_cp(next)) return false;
    for (size_t k = 0; k < sizeof HEAD_BEFORE / sizeof HEAD_BEFORE[0]; k++)
        if (strncmp(s + i, HEAD_BEFORE[k], strlen(HEAD_BEFORE[k])) == 0) return true;
    for (size_t k = 0; k < sizeof HEAD_AFTER / sizeof HEAD_AFTER[0]; k++) {
        size_t n = strlen(HEAD_AFTER[k]);
        if (i >= n && strncmp(s + i - n, HEAD_AFTER[k], n) == 0) return true;
    }
    return false;
}

/* @p s with a hard break at every word boundary of its CJK runs (head_boundary); caller frees, NULL: out of memory. */
static char *head_pieces(const char *s)
{
    srdi_buf b = {0};
    bool failed = false;
    for (size_t i = 0; s[i] && !failed; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && head_boundary(s, i)) failed = srdi_buf_puts(&b, "\n") != SRDI_OK;
        if (!failed) failed = srdi_buf_append(&b, s + i, 1) != SRDI_OK;
    }
    char *out = failed ? NULL : srdi_buf_steal(&b);
    srdi_buf_free(&b);
    return out;
}

/* Width of the widest unbreakable word of a cell at the table size, at most @p em ems. */
static double grid_cell_minw(L *l, const char *s, double size, bool bold, double em)
{
    report_span sp[1] = {{s, strlen(s), F(SRDI_FONT_SANS, size, bold), 0, false}};
    double w = 0;
    lay_failed(l, report_widest_word(l->f, sp, 1, &w));
    return w > em * size ? em * size : w;
}

/*
 * Header @p s (bold, @p size pt) set in a column @p cw wide: NULL when its
 * widest word fits (the words mode breaks it as it is); else, within each
 * of its lines, the pieces between word boundaries (head_boundary) run
 * together while the run's widest word fits, with a hard break before the
 * piece that would not ("有科技成果评价企业" / "发明授权中位数（件）").
 * Caller frees; NULL too when out of memory (recorded).
 */
static char *head_lines(L *l, const char *s, double size, double cw)
{
    if (grid_cell_minw(l, s, size, true, 1e9) <= cw + 0.01) return NULL;
    srdi_buf out = {0}, run = {0};
    bool failed = false;
    for (size_t seg = 0; !failed;) {
        const char *nl = strchr(s + seg, '\n');
        size_t end = nl ? (size_t)(nl - s) : strlen(s), start = seg, prev = seg;
        for (size_t i = seg + 1; i <= end && !failed; i++) {
            if (i < end && (((unsigned char)s[i] & 0xC0) == 0x80 || !head_boundary(s, i))) continue;
            /* [start, i) runs on one line if its widest word fits; else break at the last boundary */
            srdi_buf_reset(&run);
            failed = srdi_buf_append(&run, s + start, i - start) != SRDI_OK;
            if (!failed && prev > start && grid_cell_minw(l, run.data, size, true, 1e9) > cw + 0.01) {
                failed = srdi_buf_append(&out, s + start, prev - start) || srdi_buf_puts(&out, "\n");
                start = prev;
            }
            prev = i;
        }
        if (!failed) failed = srdi_buf_append(&out, s + start, end - start) != SRDI_OK;
        if (!nl) break;
        if (!failed) failed = srdi_buf_puts(&out, "\n") != SRDI_OK;
        seg = end + 1;
    }
    srdi_buf_free(&run);
    char *r = failed ? NULL : srdi_buf_steal(&out);
    srdi_buf_free(&out);
    if (!r) lay_nomem(l);
    return r;
}

/* Sum of the column minimums at word cap @p cap (see word_cap). */
static double cap_sum(const double *word, const double *num, size_t n, double pad2, double cap)
{
    double sum = 0;
    for (size_t c = 0; c < n; c++) {
        double w = word[c] < cap ? word[c] : cap;
        sum += (num[c] > w ? num[c] : w) + pad2;
    }
    return sum;
}

/*
 * The largest word width @p cap (at least @p lo) at which columns of widest
 * word @p word and widest number @p num, each with @p pad2 of padding, fit
 * @p room: a column's minimum is max(num, min(word, cap)) + pad2.  The
 * columns keep their words whole when they all fit (returns the widest
 * word); else the widest words give way first, down to @p lo.
 */
static double word_cap(const double *word, const double *num, size_t n, double pad2, double room, double lo)
{
    double hi = lo;
    for (size_t c = 0; c < n; c++)
        if (word[c] > hi) hi = word[c];
    if (cap_sum(word, num, n, pad2, hi) <= room + 0.01) return hi;
    if (cap_sum(word, num, n, pad2, lo) > room + 0.01) return lo;
    /* bisect between lo (fits) and hi (does not) */
    for (int it = 0; it < 40 && hi - lo > 0.05; it++) {
        double mid = (lo + hi) / 2;
        if (cap_sum(word, num, n, pad2, mid) <= room + 0.01)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Lines the header of column @p c takes in a column @p w wide (0: out of memory, recorded). */
static size_t head_nlines(L *l, const grid *g, size_t c, double w)
{
    double cw = w - 2 * g->pad;
    char *h = head_lines(l, g->cells[c], g->size, cw);
    const char *s = h ? h : g->cells[c];
    report_span sp[1] = {{s, strlen(s), F(SRDI_FONT_SANS, g->size, true), 0, false}};
    size_t n = lay_failed(l, report_break_words(l->f, sp, 1, cw, &l->lines)) ? 0 : l->lines.nlines;
    free(h);
    return n;
}

/* The least width in [@p lo, @p hi] at which the header of column @p c takes at most @p lines lines (hi when none). */
static double head_width_for(L *l, const grid *g, size_t c, double lo, double hi, size_t lines)
{
    if (head_nlines(l, g, c, lo) <= lines) return lo;
    if (head_nlines(l, g, c, hi) > lines) return -1;
    for (int it = 0; it < 12 && hi - lo > 0.5; it++) {
        double mid = (lo + hi) / 2;
        if (head_nlines(l, g, c, mid) <= lines)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/*
 * Widths of a grid whose headers break at their word boundaries, balanced:
 * the fewest header lines for which every column's header fits beside the
 * others (each column at least @p minw, its natural width @p nat at most),
 * the room left shared in proportion to what each column lacks of its
 * natural width.  g->w holds the proportional widths and keeps them when
 * no fewer lines fit.
 */
static void grid_balance(L *l, grid *g, const double *nat, const double *minw)
{
    size_t cur = 0;
    for (size_t c = 0; c < g->ncols; c++) {
        size_t n = head_nlines(l, g, c, g->w[c]);
        if (n > cur) cur = n;
    }
    double *need = calloc(g->ncols + 1, sizeof *need);
    if (!need) {
        lay_nomem(l);
        return;
    }
    for (size_t lines = 1; lines < cur && !st_of(l); lines++) {
        double tot = 0, lack = 0;
        bool fits = true;
        for (size_t c = 0; c < g->ncols && fits; c++) {
            double hi = nat[c] > minw[c] ? nat[c] : minw[c];
            need[c] = head_width_for(l, g, c, minw[c], hi, lines);
            fits = need[c] > 0;
            tot += need[c];
            lack += hi - need[c];
        }
        if (!fits || tot > l->tw + 0.01) continue;
        for (size_t c = 0; c < g->ncols; c++) {
            double hi = nat[c] > minw[c] ? nat[c] : minw[c];
            g->w[c] = need[c] + (lack > 0 ? (hi - need[c]) * (l->tw - tot) / lack : (l->tw - tot) / (double)g->ncols);
        }
        break;
    }
    free(need);
}

/* Water-filling: widths of columns [@p c0, @p c1) of @p g summing to @p tot, as even as their least widths
   @p least (the cell padding added) allow. */
static void even_fill(grid *g, const double *least, size_t c0, size_t c1, double tot)
{
    double level = tot / (double)(c1 - c0), pad2 = 2 * g->pad;
    for (int it = 0; it < 8; it++) {
        double fixed = 0;
        size_t nfree = 0;
        for (size_t c = c0; c < c1; c++)
            if (least[c] + pad2 > level)
                fixed += least[c] + pad2;
            else
                nfree++;
        if (!nfree) break;
        level = (tot - fixed) / (double)nfree;
    }
    for (size_t c = c0; c < c1; c++) g->w[c] = least[c] + pad2 > level ? least[c] + pad2 : level;
}

/*
 * The columns of each benchmark group of @p g (g->grp: a region's column
 * and the province and 全国 columns of the same statistic) made as even as
 * their least widths @p least allow (their numbers, their headers broken
 * at the word boundaries, head_boundary), within the width the group has:
 * the room a region's long header takes is shared with the group's
 * narrow columns.  The header row keeps its number of lines: a region's
 * column whose header would take more lines than the tallest header keeps
 * the least width at which it does not, the rest of its group sharing
 * what is left (图表7 of the 温州市 edition of seed 9191:
 * 持有企业平均标准数（项） 108.5 pt beside 浙江省 35 pt and 全国 26 pt;
 * now 80.2, 44.6 and 44.6 pt).  Columns outside the groups keep their widths.
 */
static void group_even(L *l, grid *g, const double *least)
{
    if (!g->grp) return;
    size_t lines = 0;
    for (size_t c = 0; c < g->ncols; c++) {
        size_t n = head_nlines(l, g, c, g->w[c]);
        if (n > lines) lines = n;
    }
    for (size_t c0 = 0; c0 < g->ncols && !st_of(l);) {
        size_t c1 = c0 + 1;
        while (c1 < g->ncols && g->grp[c1] == c0) c1++;
        double tot = 0, was = g->w[c0];
        for (size_t c = c0; c < c1; c++) tot += g->w[c];
        if (c1 - c0 > 1) {
            even_fill(g, least, c0, c1, tot);
            if (head_nlines(l, g, c0, g->w[c0]) > lines) {
                double w = head_width_for(l, g, c0, g->w[c0], was, lines);
                g->w[c0] = w > 0 ? w : was;
                even_fill(g, least, c0 + 1, c1, tot - g->w[c0]);
            }
        }
        c0 = c1;
    }
}

/*
 * Column widths and row heights so the grid fits the text width, all in
 * one type size (GRID_SIZE).  A column narrower than its natural width
 * wraps at word boundaries (report_break_words); number columns keep their
 * body cells on one line; every column is at least as wide as its widest
 * word when the words of all columns fit the measure side by side (so no
 * word or name is split: "战略供应商", "BioBAY"); when they do not, the
 * headers break at the word boundaries of their CJK runs (head_boundary:
 * "有科技成果评价企业" / "发明授权中位数") and the columns are at least as
 * wide as those pieces, else the widest words give way first, down to
 * GRID_WORD_EM; the room left is shared in proportion to what each column
 * lacks of its natural width.
 */
static srdi_status grid_measure_fresh(L *l, grid *g)
{
    g->w = calloc(g->ncols + 1, sizeof *g->w);
    g->rowh = calloc(g->nrows + 1, sizeof *g->rowh);
    g->head = calloc(g->ncols + 1, sizeof *g->head);
    double *nat = calloc(g->ncols + 1, sizeof *nat);
    double *minw = calloc(g->ncols + 1, sizeof *minw);
    double *word = calloc(g->ncols + 1, sizeof *word);
    double *pword = calloc(g->ncols + 1, sizeof *pword);
    double *gmin = calloc(g->ncols + 1, sizeof *gmin);
    char **pieces = calloc(g->ncols + 1, sizeof *pieces);
    bool nomem = !g->w || !g->rowh || !g->head || !nat || !minw || !word || !pword || !gmin || !pieces;
    for (size_t c = 0; !nomem && c < g->ncols; c++) nomem = !(pieces[c] = head_pieces(g->cells[c]));
    if (nomem) {
        free(nat);
        free(minw);
        free(word);
        free(pword);
        free(gmin);
        for (size_t c = 0; pieces && c < g->ncols; c++) free(pieces[c]);
        free(pieces);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a table");
    }
    g->pad = 4;
    g->size = GRID_SIZE;
    g->lh = g->size * 1.4;
    double sum = 0, summin = 0;
    /* minw first holds each column's widest number (body cells of a
       number column, kept on one line), word its widest word, pword the
       same with the header broken at its word boundaries */
    for (size_t c = 0; c < g->ncols; c++) {
        bool num = g->align[c] == 2;
        for (size_t r = 0; r < g->nrows; r++) {
            const char *cell = g->cells[r * g->ncols + c];
            double w = width(l, F(SRDI_FONT_SANS, g->size, r == 0), cell) + 2 * g->pad;
            if (w > nat[c]) nat[c] = w;
            if (num && r > 0) {
                if (w - 2 * g->pad > minw[c]) minw[c] = w - 2 * g->pad;
            } else {
                double m = grid_cell_minw(l, cell, g->size, r == 0, 1e9);
                if (m > word[c]) word[c] = m;
                if (r == 0) m = grid_cell_minw(l, pieces[c], g->size, true, 1e9);
                if (m > pword[c]) pword[c] = m;
            }
        }
        sum += nat[c];
    }
    /* a benchmark group's least widths (group_even): its numbers, its
       headers broken at their word boundaries */
    for (size_t c = 0; c < g->ncols; c++) gmin[c] = minw[c] > pword[c] ? minw[c] : pword[c];
    double cap = word_cap(word, minw, g->ncols, 2 * g->pad, l->tw, GRID_WORD_EM * g->size), widest = 0;
    for (size_t c = 0; c < g->ncols; c++)
        if (word[c] > widest) widest = word[c];
    bool split_heads = cap < widest - 0.01;
    if (split_heads) {
        /* the whole words do not fit side by side: the headers' pieces do */
        memcpy(word, pword, g->ncols * sizeof *word);
        cap = word_cap(word, minw, g->ncols, 2 * g->pad, l->tw, GRID_WORD_EM * g->size);
    }
    free(pword);
    /* a word still too wide (a long industry name beside a city edition's
       benchmark columns, "749工业与专业设计及其他专业技术服务"): narrower
       cell padding before the word is split, when that keeps it whole */
    widest = 0;
    for (size_t c = 0; c < g->ncols; c++)
        if (word[c] > widest) widest = word[c];
    for (double pad = 3; cap < widest - 0.01 && pad >= 2; pad--) {
        if (word_cap(word, minw, g->ncols, 2 * pad, l->tw, GRID_WORD_EM * g->size) < widest - 0.01) continue;
        double d = 2 * (g->pad - pad);
        for (size_t c = 0; c < g->ncols; c++) nat[c] -= d;
        sum -= d * (double)g->ncols;
        g->pad = pad;
        cap = widest;
    }
    for (size_t c = 0; c < g->ncols; c++) {
        double m = word[c] < cap ? word[c] : cap;
        minw[c] = (minw[c] > m ? minw[c] : m) + 2 * g->pad;
        summin += minw[c];
    }
    free(word);
    /* a table whose words do not fit the measure (the long name of a region
       in its benchmark headers) narrows its cell padding first, so its
       numbers stay on one line and its names whole */
    for (double pad = g->pad - 1; summin > l->tw + 0.01 && pad >= 2; pad--) {
        double d = 2 * (g->pad - pad);
        for (size_t c = 0; c < g->ncols; c++) {
            nat[c] -= d;
            minw[c] -= d;
        }
        sum -= d * (double)g->ncols;
        summin -= d * (double)g->ncols;
        g->pad = pad;
    }
    /* still too wide (a city edition's benchmark headers): the headers
       (broken at their word boundaries) and text cells may split words
       longer than GRID_WORD_EM_TIGHT, so the numbers keep their columns
       whole rather than break ("29.6" / "3%") */
    if (summin > l->tw + 0.01) {
        summin = 0;
        for (size_t c = 0; c < g->ncols; c++) {
            bool num = g->align[c] == 2;
            minw[c] = 0;
            for (size_t r = 0; r < g->nrows; r++) {
                const char *cell = r == 0 ? pieces[c] : g->cells[r * g->ncols + c];
                double m = num && r > 0 ? width(l, F(SRDI_FONT_SANS, g->size, false), cell)
                                        : grid_cell_minw(l, cell, g->size, r == 0, GRID_WORD_EM_TIGHT);
                if (m + 2 * g->pad > minw[c]) minw[c] = m + 2 * g->pad;
            }
            summin += minw[c];
        }
    }
    for (size_t c = 0; c < g->ncols; c++) free(pieces[c]);
    free(pieces);
    if (sum <= l->tw) {
        double extra = (l->tw - sum) / (double)g->ncols;
        for (size_t c = 0; c < g->ncols; c++) g->w[c] = nat[c] + extra;
    } else if (summin < l->tw) {
        double lack = sum - summin, room = l->tw - summin;
        for (size_t c = 0; c < g->ncols; c++) g->w[c] = minw[c] + (lack > 0 ? (nat[c] - minw[c]) * room / lack : 0);
        /* headers broken at their word boundaries: widths balanced so the
           header row takes as few lines as it can */
        if (split_heads) grid_balance(l, g, nat, minw);
        group_even(l, g, gmin);
    } else {
        /* even the words do not fit: share the width in proportion */
        for (size_t c = 0; c < g->ncols; c++) g->w[c] = minw[c] * l->tw / summin;
    }
    free(nat);
    free(minw);
    free(gmin);
    /* a header whose words do not fit its column breaks at its word boundaries */
    for (size_t c = 0; c < g->ncols; c++) g->head[c] = head_lines(l, g->cells[c], g->size, g->w[c] - 2 * g->pad);
    if (st_of(l)) return st_of(l);
    for (size_t r = 0; r < g->nrows; r++) {
        double h = g->lh;
        for (size_t c = 0; c < g->ncols; c++) {
            const char *cell = grid_cell(g, r, c);
            report_span sp[1] = {{cell, strlen(cell), F(SRDI_FONT_SANS, g->size, r == 0), 0, false}};
            srdi_status s = report_break_words(l->f, sp, 1, g->w[c] - 2 * g->pad, &l->lines);
            if (s) return s;
            double hh = (double)(l->lines.nlines ? l->lines.nlines : 1) * g->lh;
            if (hh > h) h = hh;
        }
        g->rowh[r] = h + 2 * 2.5;
    }
    return SRDI_OK;
}

/*
 * The content key of a grid's measure into @p key: everything grid_measure_fresh
 * reads of @p g (its shape, alignment, benchmark groups and cells; the fonts
 * and the text width are the memo's render's); false when out of memory.
 */
static bool grid_key(const grid *g, srdi_buf *key)
{
    size_t head[3] = {g->ncols, g->nrows, g->grp != NULL};
    if (srdi_buf_append(key, head, sizeof head) || srdi_buf_append(key, g->align, g->ncols * sizeof *g->align) ||
        (g->grp && srdi_buf_append(key, g->grp, g->ncols * sizeof *g->grp)))
        return false;
    for (size_t i = 0; i < g->ncols * g->nrows; i++)
        if (srdi_buf_append(key, g->cells[i], strlen(g->cells[i]) + 1)) return false;
    return true;
}

/* The measure kept as bytes: pad, size, lh, the widths, the row heights, then per column
   the header as set (u32 length, UINT32_MAX: none, and its bytes); false when out of memory. */
static bool grid_pack(const grid *g, srdi_buf *v)
{
    double m[3] = {g->pad, g->size, g->lh};
    if (srdi_buf_append(v, m, sizeof m) || srdi_buf_append(v, g->w, g->ncols * sizeof *g->w) ||
        srdi_buf_append(v, g->rowh, g->nrows * sizeof *g->rowh))
        return false;
    for (size_t c = 0; c < g->ncols; c++) {
        uint32_t n = g->head[c] ? (uint32_t)strlen(g->head[c]) : UINT32_MAX;
        if (srdi_buf_append(v, &n, sizeof n) || (g->head[c] && srdi_buf_append(v, g->head[c], n))) return false;
    }
    return true;
}

/* @p g measured from the bytes grid_pack made; false when out of memory (nothing set). */
static bool grid_unpack(grid *g, const unsigned char *v)
{
    double *w = malloc((g->ncols + 1) * sizeof *w), *rowh = malloc((g->nrows + 1) * sizeof *rowh);
    char **head = calloc(g->ncols + 1, sizeof *head);
    bool ok = w && rowh && head;
    double m[3];
    memcpy(m, v, sizeof m);
    v += sizeof m;
    if (ok) {
        memcpy(w, v, g->ncols * sizeof *w);
        memcpy(rowh, v + g->ncols * sizeof *w, g->nrows * sizeof *rowh);
    }
    v += g->ncols * sizeof *w + g->nrows * sizeof *rowh;
    for (size_t c = 0; ok && c < g->ncols; c++) {
        uint32_t n;
        memcpy(&n, v, sizeof n);
        v += sizeof n;
        if (n == UINT32_MAX) continue;
        if (!(head[c] = malloc((size_t)n + 1))) {
            ok = false;
            break;
        }
        memcpy(head[c], v, n);
        head[c][n] = 0;
        v += n;
    }
    if (!ok) {
        for (size_t c = 0; head && c < g->ncols; c++) free(head[c]);
        free(head);
        free(w);
        free(rowh);
        return false;
    }
    g->pad = m[0];
    g->size = m[1];
    g->lh = m[2];
    g->w = w;
    g->rowh = rowh;
    g->head = head;
    return true;
}

/*
 * Column widths, row heights and headers of @p g (grid_measure_fresh), kept
 * in the render's memo by the grid's content (layout_memo.c): the make-up
 * search lays every table out once per pass, with the same cells each time.
 */
static srdi_status grid_measure(L *l, grid *g)
{
    if (g->w && g->rowh) return SRDI_OK; /* already measured (do_chart measures before drawing) */
    srdi_buf key = {0};
    const void *kept;
    size_t klen;
    bool keyed = grid_key(g, &key);
    if (keyed && lay_memo_blob_get(l, key.data, key.len, &kept, &klen) && grid_unpack(g, kept)) {
        srdi_buf_free(&key);
        return SRDI_OK;
    }
    srdi_status s = grid_measure_fresh(l, g);
    srdi_buf v = {0};
    if (s == SRDI_OK && keyed && grid_pack(g, &v)) lay_memo_blob_put(l, key.data, key.len, v.data, v.len);
    srdi_buf_free(&v);
    srdi_buf_free(&key);
    return s;
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
        const char *s = grid_cell(g, r, c);
        report_span sp[1] = {{s, strlen(s), F(SRDI_FONT_SANS, g->size, r == 0), 0, false}};
        double cw = g->w[c] - 2 * g->pad;
        if (lay_failed(l, report_break_words(l->f, sp, 1, cw, &l->lines))) return;
        int al = r == 0 ? 1 : g->align[c];
        double ty = l->y + 2.5 + (g->rowh[r] - 5 - (double)l->lines.nlines * g->lh) / 2;
        for (size_t i = 0; i < l->lines.nlines; i++)
            lay_draw_line(l, &l->lines, sp, i, x + g->pad, ty + (double)i * g->lh, g->lh, cw, al, INK);
        x += g->w[c];
    }
    l->y += g->rowh[r];
    if (r == 0)
        hline(l, l->x0, l->x0 + l->tw, l->y, 0.6, RULE);
    else if (r + 1 < g->nrows)
        hline(l, l->x0, l->x0 + l->tw, l->y, 0.3, LIGHT);
}

void lay_caption_text(int fig, const char *cap, bool cont, char *buf, size_t size)
{
    if (fig > 0)
        snprintf(buf, size, "图表%d：%s%s", fig, cap ? cap : "", cont ? "（续）" : "");
    else
        snprintf(buf, size, "%s%s", cap ? cap : "", cont ? "（续）" : "");
    srdi_cjk_spacing(buf, 0, 0); /* table titles from src/tables ("TOP10 行业") */
}

void lay_draw_caption(L *l, int fig, const char *cap, bool cont)
{
    char buf[1024];
    lay_caption_text(fig, cap, cont, buf, sizeof buf);
    if (!buf[0]) return;
    lay_flow_plain(l, buf, F(SRDI_FONT_SANS, 10, true), CAP_LH, 1, ACCENT, true);
    l->y += 2;
    l->pfigs++;
    if (!cont && fig > 0 && fig < LAY_MAX_FIG && l->fig_page[fig] < 0) {
        /* a figure two pages or more after the text citing it */
        l->fig_page[fig] = l->page;
        if (l->cite_page[fig] >= 0 && l->page - l->cite_page[fig] > 1) lay_fault(l, LAY_FAULT_HARD);
    }
}

/*
 * Height that must fit on the page where a measured grid starts: the caption
 * (@p caph) and the header with the first two rows (three under a chart), or the whole table plus
 * @p tail (the note / source lines drawn under it) when the table is small
 * (up to 40% of the text height) and is kept whole.
 */
static double grid_first_height(const L *l, const grid *g, double caph, double tail)
{
    double first = caph + g->rowh[0] + (g->nrows > 1 ? g->rowh[1] : 0) + (g->nrows > 2 ? g->rowh[2] : 0);
    double total = caph;
    for (size_t r = 0; r < g->nrows; r++) total += g->rowh[r];
    /* (the 4 pt under the closing rule: grid_draw sets it before the tail);
       a table of up to GRID_KEEP_ROWS body rows is kept whole: split, it
       read as two stubs (图表44 of the 宝鸡市 edition of /work/s9k, five
       patent classes and 合计 under their chart, went three and three over
       pp.32–33); a chart's table of more may run over like a long one,
       three rows at least on each page (its first three here): kept whole,
       it would push its chart off a page the chart and its first rows fill
       (图表21 of the 克拉玛依市 edition of seed 9191: the chart and its
       13 rows went two pages on, behind the text of three sections) */
    bool few = g->nrows - 1 <= GRID_KEEP_ROWS;
    bool splits = g->under_chart && !few;
    if (splits) first += g->rowh[3];
    else if (few || total <= (l->ybot - l->ytop) * 0.4) first = total + 4 + tail;
    return first;
}

/* Height of a measured grid drawn whole: caption @p caph, rows, @p tail. */
static double grid_whole_height(const grid *g, double caph, double tail)
{
    double total = caph + tail + 4;
    for (size_t r = 0; r < g->nrows; r++) total += g->rowh[r];
    return total;
}

/* grid_first_height, or with @p whole the height of the whole grid. */
static double grid_need(const L *l, const grid *g, double caph, double tail, bool whole)
{
    return whole ? grid_whole_height(g, caph, tail) : grid_first_height(l, g, caph, tail);
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
    if (s) return s;
    double caph = 0;
    if (caption_first && (fig > 0 || (cap && *cap))) {
        char buf[1024];
        lay_caption_text(fig, cap, false, buf, sizeof buf);
        caph = lay_plain_height(l, buf, F(SRDI_FONT_SANS, 10, true), CAP_LH) + 2;
    }
    /* a small table is kept whole: no page with one stray row under a
       repeated caption and header */
    double first = grid_first_height(l, g, caph, tail);
    lay_ensure(l, first);
    if (l->pend != SIZE_MAX) lay_mark(l, l->pend);
    if (caph > 0) lay_draw_caption(l, fig, cap, false);
    hline(l, l->x0, l->x0 + l->tw, l->y, 1.0, RULE);
    grid_row(l, g, 0);
    size_t on_page = 0; /* body rows drawn on the current page */
    for (size_t r = 1; r < g->nrows; r++) {
        /* the last three rows do not go over alone: break before them when
           they do not all fit and this page already has three rows */
        double rest = tail + 4;
        for (size_t k = r; k < g->nrows; k++) rest += g->rowh[k];
        bool widow = g->nrows - r <= 3 && on_page >= 3 && l->y + rest > lay_limit(l) + 0.01;
        if (widow || l->y + g->rowh[r] > lay_limit(l) + 0.01) {
            on_page = 0;
            hline(l, l->x0, l->x0 + l->tw, l->y, 1.0, RULE);
            l->splitting = true;
            lay_page_new(l);
            l->splitting = false;
            if (fig > 0) lay_draw_caption(l, fig, cap, true);
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
    for (size_t c = 0; g->head && c < g->ncols; c++) free(g->head[c]);
    free(g->head);
    g->head = NULL;
    free(g->w);
    free(g->rowh);
    g->w = g->rowh = NULL;
    free(g->nnote);
    g->nnote = NULL;
    free(g->bnote);
    g->bnote = NULL;
    free(g->mnote);
    g->mnote = NULL;
    g->dash = false;
    g->tdash[0] = '\0';
    free(g->grp);
    g->grp = NULL;
}

/* Text of the source line for @p src ("资料来源：" prefixed unless present). */
static void source_text(const char *src, char *buf, size_t size)
{
    bool has_prefix = strncmp(src, "资料来源", strlen("资料来源")) == 0 || strncmp(src, "来源", strlen("来源")) == 0;
    /* a source longer than buf is cut (the return value read: -O3 builds warn of the cut otherwise) */
    if (snprintf(buf, size, "%s%s", has_prefix ? "" : "资料来源：", src) >= (int)size) buf[size - 1] = '\0';
    srdi_cjk_spacing(buf, 0, 0);
}

static double note_height(L *l, const char *note);
static void note_draw(L *l, const char *note);

/*
 * A template's source line that carries a note after its source sentence
 * ("资料来源：…计算。注：以2024年数据为基准…"): the note, set on its own
 * line above the source like a table's note (NULL: none); the source
 * sentence is the @p src up to it.
 */
static const char *source_note(const char *src)
{
    const char *k = strstr(src, "。注：");
    return k ? k + strlen("。") : NULL;
}

/* Source line ("资料来源：…") under a figure, its note (source_note) above it. */
void lay_draw_source(L *l, const char *src)
{
    if (!src || !*src) return;
    char buf[1200], head[1200];
    const char *note = source_note(src);
    if (note) {
        note_draw(l, note);
        snprintf(head, sizeof head, "%.*s", (int)(note - src), src);
        src = head;
    }
    source_text(src, buf, sizeof buf);
    lay_flow_plain(l, buf, F(SRDI_FONT_SERIF, 9, false), 13, 0, GREY, false);
}

/* Height lay_draw_source(@p src) takes (0 without a source). */
double lay_source_height(L *l, const char *src)
{
    if (!src || !*src) return 0;
    char buf[1200], head[1200];
    const char *note = source_note(src);
    double h = 0;
    if (note) {
        h = note_height(l, note);
        snprintf(head, sizeof head, "%.*s", (int)(note - src), src);
        src = head;
    }
    source_text(src, buf, sizeof buf);
    return h + lay_plain_height(l, buf, F(SRDI_FONT_SERIF, 9, false), 13);
}

/* Does sentence @p s end on its stop (。？！)? */
static bool ends_stop(const char *s)
{
    size_t n = strlen(s);
    return n >= 3 && (strcmp(s + n - 3, "。") == 0 || strcmp(s + n - 3, "？") == 0 || strcmp(s + n - 3, "！") == 0);
}

/* Text of a table note ("注：" prefixed unless present). */
static void note_text(const char *note, char *buf, size_t size)
{
    /* every note ends on a full stop, as its sentences do ("注：皮尔逊相关系数，成对删除缺失值。") */
    snprintf(buf, size, "%s%s%s", strncmp(note, "注", 3) == 0 ? "" : "注：", note,
             ends_stop(note) || !note[0] ? "" : "。");
    srdi_cjk_spacing(buf, 0, 0); /* notes from src/tables and annotate.c */
}

/* Rows [0, n) of @p t that table block @p b shows (its top=). */
static size_t table_shown(const report_block *b, const srdi_table *t)
{
    return b->top > 0 && (size_t)b->top < t->nrows ? (size_t)b->top : t->nrows;
}

/* Rows [0, n) of @p t that chart @p b draws: its top-N rows ("total" is
   not drawn; srdi_chart_topn), every row for a chart without a top N. */
static size_t chart_shown(L *l, const report_block *b, const srdi_table *t)
{
    const srdi_chart_def *cd = srdi_chart_find(b->key);
    int k = cd ? srdi_chart_topn(cd, l->o->params) : 0;
    if (k <= 0) return t->nrows;
    size_t r = 0;
    for (int n = 0; r < t->nrows && n < k; r++)
        if (strcmp(t->rows[r].key, "total") != 0) n++;
    return r;
}

static bool chart_empty(L *l, const char *key);

/*
 * Two notes joined into one: @p note (owned, freed here) and @p extra
 * before it (@p extra_first) or after it, with "；" between them unless the
 * first is empty or ends on a full stop, and a full stop after a non-empty
 * second ("样本数为…。" + "倍数=…。"; "倍数=…" + "；" + "全国栏中的“—”…。").
 * Returns the joined note (caller frees), NULL when out of memory (recorded).
 */
static char *note_join(L *l, char *note, const char *extra, bool extra_first)
{
    const char *a = extra_first ? extra : note, *b = extra_first ? note : extra;
    srdi_buf nb = {0};
    srdi_status s =
        srdi_buf_printf(&nb, "%s%s%s%s", a, a[0] && !ends_stop(a) ? "；" : "", b, b[0] && !ends_stop(b) ? "。" : "");
    free(note);
    char *out = s ? NULL : srdi_buf_steal(&nb);
    srdi_buf_free(&nb);
    if (!out) lay_nomem(l);
    return out;
}

/*
 * The note printed under block @p b's table (@p g its grid: the table's
 * note, its small-sample part naming only the rows shown) or under a chart
 * shown without its table (@p g NULL: only when it names rows or groups
 * the chart shows: srdi_table_note_for); NULL when there is none or out of
 * memory (recorded).  An exhibit shown without data (a table as one
 * 暂无数据 row, a chart as its 暂无数据 box) has no note: no row of it
 * rests on a small sample, nothing in it needs explaining.  Caller frees.
 */
static char *block_note(L *l, const report_block *b, const srdi_table *t, const grid *g)
{
    bool chart_alone = g == NULL;
    if (!t || (g && g->nodata) || (chart_alone && chart_empty(l, b->key))) return NULL;
    size_t shown = chart_alone ? chart_shown(l, b, t) : table_shown(b, t);
    if (!chart_alone && b->kind == RB_CHART) {
        size_t c = chart_shown(l, b, t);
        if (c > shown) shown = c;
    }
    char *note = NULL;
    bool flagged = false;
    if (lay_failed(l, srdi_table_note_for(t, shown, &note, &flagged))) return NULL;
    /* the sample sizes of the rows left out of the grid (table_cells_of) first,
       the benchmark view's note (table_cells) after the table's own */
    if (g && g->nnote && g->nnote[0] && !(note = note_join(l, note, g->nnote, true))) return NULL;
    if (g && g->bnote && g->bnote[0] && !(note = note_join(l, note, g->bnote, false))) return NULL;
    if (g && g->mnote && g->mnote[0] && !(note = note_join(l, note, g->mnote, false))) return NULL;
    if (g && g->dash &&
        !(note = note_join(l, note, g->mnote ? "其余“—”表示没有可用于计算的数据" : "表中“—”表示没有可用于计算的数据",
                           false)))
        return NULL;
    if (g && g->tdash[0]) {
        char tn[256];
        snprintf(tn, sizeof tn, "%s栏中的“—”表示该项没有对应的%s", g->tdash, g->tdash);
        if (!(note = note_join(l, note, tn, false))) return NULL;
    }
    if ((chart_alone && !flagged) || !note[0]) {
        free(note);
        return NULL;
    }
    return note;
}

/* Height of the note line(s) @p note (0 without a note). */
static double note_height(L *l, const char *note)
{
    if (!note || !*note) return 0;
    char buf[1200];
    note_text(note, buf, sizeof buf);
    return lay_plain_height(l, buf, F(SRDI_FONT_SERIF, 9, false), 13);
}

/* Draw the note line(s) @p note (nothing without a note). */
static void note_draw(L *l, const char *note)
{
    if (!note || !*note) return;
    char buf[1200];
    note_text(note, buf, sizeof buf);
    lay_flow_plain(l, buf, F(SRDI_FONT_SERIF, 9, false), 13, 0, GREY, false);
}

/* Height of the note a chart shown without its table carries (0: none):
   the small-sample note of the rows it draws (block_note). */
static double chart_note_height(L *l, const report_block *b, const srdi_table *t)
{
    if (!t || b->with_table) return 0;
    char *note = block_note(l, b, t, NULL);
    double h = note_height(l, note);
    free(note);
    return h;
}

/* ----------------------------------------------------------- data tables */

static srdi_status table_cells_of(const srdi_table *t, const report_block *b, grid *g, char ***owned);

/*
 * Build the cells of a computed table (top / cols selection); caller frees
 * cells.  A regional edition's table shows its benchmarks (bench.c).
 */
static srdi_status table_cells(L *l, const srdi_table *t, const report_block *b, grid *g, char ***owned)
{
    srdi_table *view = NULL;
    report_block vb;
    srdi_status s = report_bench_view(l->o, t, b, &view, &vb);
    if (!s) s = table_cells_of(view ? view : t, view ? &vb : b, g, owned);
    /* the view's own note (the benchmark cells of rows a top-N benchmark leaves out) */
    if (!s && view && view->note && view->note[0] && !g->nodata && !(g->bnote = srdi_strdup(view->note)))
        s = srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
    srdi_table_free(view);
    return s;
}

/* Whether every number cell of the first @p nrows rows (of the columns the
   block shows, a benchmark view's province and 全国 columns aside) is empty
   ("—"), or zero in a table no record reached: the table has no value of its
   own to print (a 国家级-vs-省级 table of an edition without 国家级
   enterprises; a city's R&D bands without any R&D ratio). */
static bool all_values_null(const srdi_table *t, const report_block *b, size_t nrows)
{
    size_t ncols = b->ncolsel ? b->ncolsel : t->ncols;
    bool any = false;
    int prev = -1;
    for (size_t c = 0; c < ncols; c++) {
        int ci = b->ncolsel ? srdi_table_col(t, b->colsel[c]) : (int)c;
        /* a benchmark view's province and 全国 columns (the key of the
           column before them, bench.c) are not the edition's own data */
        bool bench = ci >= 0 && prev >= 0 && strcmp(t->cols[ci].key, t->cols[prev].key) == 0;
        prev = ci;
        if (ci < 0 || bench || t->cols[ci].type == SRDI_COL_TEXT) continue;
        for (size_t r = 0; r < nrows; r++) {
            const srdi_cell *x = &t->rows[r].cells[ci];
            /* zeros are "no value" only in a table no record reached (n = 0:
               the grid of 0 under "没有符合统计条件的记录"); with records
               they are the region's values (T26 of a 3-firm city: 0.00%) */
            if (x->kind == SRDI_CELL_TEXT || (x->kind == SRDI_CELL_NUM && (x->num != 0 || t->n > 0))) return false;
            any |= x->kind == SRDI_CELL_NULL || x->kind == SRDI_CELL_NUM;
        }
    }
    return any;
}

/* Does column key @p k hold a row's sample size ("n", "national_n")? */
static bool n_col(const char *k)
{
    size_t l = strlen(k);
    return strcmp(k, "n") == 0 || (l > 2 && strcmp(k + l - 2, "_n") == 0);
}

static bool cell_has(const srdi_cell *c)
{
    return c->kind == SRDI_CELL_NUM || c->kind == SRDI_CELL_TEXT;
}

/* Union-find root of @p i in @p up. */
static size_t uf_root(size_t *up, size_t i)
{
    while (up[i] != i) i = up[i] = up[up[i]];
    return i;
}

/*
 * Rows of @p t (of the first @p nrows, columns @p colidx[1..ncols)) that
 * hold a sample size, and maybe a statistic of their own, in columns no
 * other row fills: the rows and columns of the table linked by the cells
 * they fill fall apart into the table proper (the component of the first
 * row with a value) and blocks beside it (T07: the 国家级 / 省级 rows carry
 * the n of the grades' shares above them; T03: the same rows carry the
 * median head count and n of the staff bands' shares).  When every such
 * block holds a sample-size column and is not the "total" row, its rows
 * are marked in @p moved and its columns in @p mcol (indices of colidx),
 * left out of the grid and said in its note (an empty sample-size column
 * is dropped with them); returns how many rows.  Out of memory: 0, with
 * *@p nomem set.
 */
static size_t n_only_rows(const srdi_table *t, const int *colidx, size_t ncols, size_t nrows, bool *moved, bool *mcol,
                          bool *nomem)
{
    memset(moved, 0, nrows * sizeof *moved);
    memset(mcol, 0, ncols * sizeof *mcol);
    size_t *up = malloc((nrows + ncols + 1) * sizeof *up);
    bool *nblock = calloc(nrows + ncols + 1, sizeof *nblock);
    if (!up || !nblock) {
        free(up);
        free(nblock);
        *nomem = true;
        return 0;
    }
    for (size_t i = 0; i < nrows + ncols; i++) up[i] = i;
    size_t first = nrows;
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 1; c < ncols; c++)
            if (cell_has(&t->rows[r].cells[colidx[c]])) {
                size_t a = uf_root(up, r), b = uf_root(up, nrows + c);
                up[a] = b;
                if (first == nrows) first = r;
            }
    size_t nm = 0, filled = 0;
    bool keep = first < nrows;
    size_t core = keep ? uf_root(up, first) : 0;
    for (size_t c = 1; keep && c < ncols; c++)
        if (n_col(t->cols[colidx[c]].key)) nblock[uf_root(up, nrows + c)] = true;
    for (size_t r = 0; keep && r < nrows; r++) {
        bool has = false;
        for (size_t c = 1; c < ncols && !has; c++) has = cell_has(&t->rows[r].cells[colidx[c]]);
        if (!has) continue;
        filled++;
        size_t k = uf_root(up, r);
        if (k == core) continue;
        /* a block without a sample size, or the total row: the table keeps its shape */
        keep = nblock[k] && strcmp(t->rows[r].key, "total") != 0;
        moved[r] = true;
        nm++;
    }
    keep = keep && nm > 0 && nm < filled;
    /* the blocks' columns, and a sample-size column no row fills */
    for (size_t c = 1; keep && c < ncols; c++) {
        bool has = false;
        for (size_t r = 0; r < nrows && !has; r++) has = cell_has(&t->rows[r].cells[colidx[c]]);
        mcol[c] = has ? uf_root(up, nrows + c) != core : n_col(t->cols[colidx[c]].key);
    }
    free(up);
    free(nblock);
    if (!keep) {
        memset(moved, 0, nrows * sizeof *moved);
        memset(mcol, 0, ncols * sizeof *mcol);
    }
    return keep ? nm : 0;
}

/* The unit of column @p col: its own, else the one a benchmark view folded
   into its label ("样本数（家）", bench.c). */
static void label_unit(const srdi_tcol *col, char *buf, size_t size)
{
    buf[0] = '\0';
    if (col->unit && *col->unit) {
        snprintf(buf, size, "%s", col->unit);
        return;
    }
    const char *open = col->label ? strstr(col->label, "（") : NULL, *close = open ? strstr(open, "）") : NULL;
    if (!open || !close) return;
    open += strlen("（");
    if ((size_t)(close - open) < size) snprintf(buf, size, "%.*s", (int)(close - open), open);
}

/*
 * The note's sentence for the rows @p moved and columns @p mcol: sample
 * sizes alone "样本数为国家级…企业17,692家、省级专精特新企业149,680家。";
 * with a statistic beside them, each row with its columns
 * "国家级…企业参保人数中位数173人，样本数17,692家；省级…企业参保人数中位数45人，样本数149,680家。"
 */
static srdi_status n_note(const srdi_table *t, const int *colidx, size_t ncols, size_t nrows, const bool *moved,
                          const bool *mcol, char **out)
{
    srdi_buf b = {0};
    size_t nn = 0;
    bool stat = false;
    for (size_t c = 1; c < ncols; c++) {
        if (!mcol[c]) continue;
        if (n_col(t->cols[colidx[c]].key))
            nn++;
        else
            stat = true;
    }
    srdi_status s = stat ? SRDI_OK : srdi_buf_puts(&b, "样本数为");
    for (size_t r = 0, k = 0; !s && r < nrows; r++) {
        if (!moved[r]) continue;
        const srdi_trow *row = &t->rows[r];
        s = srdi_buf_printf(&b, "%s%s", k++ ? (stat ? "；" : "、") : "",
                            row->label && *row->label ? row->label : row->key);
        for (size_t c = 1, j = 0; !s && c < ncols; c++) {
            const srdi_tcol *col = &t->cols[colidx[c]];
            if (!mcol[c] || !cell_has(&row->cells[colidx[c]])) continue;
            char buf[64] = "", unit[32] = "";
            srdi_cell_format(col, &row->cells[colidx[c]], buf, sizeof buf);
            label_unit(col, unit, sizeof unit);
            /* the label without the unit a benchmark view folded into it ("参保人数中位数（人）") */
            const char *open = col->unit && *col->unit ? NULL : strstr(col->label, "（");
            int ll = open ? (int)(open - col->label) : (int)strlen(col->label);
            if (stat)
                s = srdi_buf_printf(&b, "%s%.*s%s%s", j++ ? "，" : "", ll, col->label, buf, unit);
            else if (nn > 1)
                s = srdi_buf_printf(&b, "%s%.*s%s%s", j++ ? "，" : "（", ll, col->label, buf, unit);
            else
                s = srdi_buf_printf(&b, "%s%s", buf, unit);
        }
        if (!s && !stat && nn > 1) s = srdi_buf_puts(&b, "）");
    }
    if (!s) s = srdi_buf_puts(&b, "。");
    *out = s ? NULL : srdi_buf_steal(&b);
    srdi_buf_free(&b);
    return s ? s : *out ? SRDI_OK : srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
}

/*
 * A multiple that is exactly zero (the region's share of a grade is 0, so
 * it is 0 times the benchmark's) is printed "0倍": the decimals of the
 * multiple rule speak of a rounded ratio, and "0.00倍" read as a value
 * too small to show rather than none.  A ratio that rounds to zero keeps
 * its decimals ("0.00倍" then says "less than 0.005").
 */
static void zero_multiple(const srdi_cell *x, char *buf, size_t size)
{
    static const char unit[] = "倍";
    size_t n = strlen(buf), ul = sizeof unit - 1;
    if (x->kind != SRDI_CELL_NUM || x->num != 0 || n <= ul || strcmp(buf + n - ul, unit) != 0) return;
    snprintf(buf, size, "0%s", unit);
}

static srdi_status table_cells_of(const srdi_table *t, const report_block *b, grid *g, char ***owned)
{
    size_t ncols = 1 + (b->ncolsel ? b->ncolsel : t->ncols);
    size_t nrows = t->nrows;
    if (b->top > 0 && (size_t)b->top < nrows) nrows = (size_t)b->top;
    if (all_values_null(t, b, nrows)) nrows = 0; /* a table of dashes reads 暂无数据 */
    int *colidx = calloc(ncols + 1, sizeof *colidx);
    bool *moved = calloc(nrows + 1, sizeof *moved);
    bool *mcol = calloc(ncols + 1, sizeof *mcol);
    if (!colidx || !moved || !mcol) {
        free(colidx);
        free(moved);
        free(mcol);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
    }
    for (size_t c = 1; c < ncols; c++) colidx[c] = b->ncolsel ? srdi_table_col(t, b->colsel[c - 1]) : (int)(c - 1);
    /* rows holding only a sample size (and a statistic of their own): said in the note, their columns dropped */
    bool nomem = false;
    size_t nmoved = n_only_rows(t, colidx, ncols, nrows, moved, mcol, &nomem);
    char *nnote = NULL;
    if (nmoved || nomem) {
        srdi_status s = nomem ? srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id)
                              : n_note(t, colidx, ncols, nrows, moved, mcol, &nnote);
        if (s) {
            free(colidx);
            free(moved);
            free(mcol);
            return s;
        }
        size_t k = 1;
        for (size_t c = 1; c < ncols; c++)
            if (!mcol[c]) colidx[k++] = colidx[c];
        ncols = k;
    }
    free(mcol);
    size_t shown = nrows - nmoved;
    size_t total = ncols * (shown + 1 + (shown == 0));
    const char *mlabel = NULL; /* a multiple column with a "—" whose base is zero */
    bool mbare = false;        /* a multiple's "—" of a missing value */
    char **cells = calloc(total + 1, sizeof *cells);
    int *align = calloc(ncols + 1, sizeof *align);
    size_t *grp = calloc(ncols + 1, sizeof *grp);
    if (!cells || !align || !grp) {
        free(cells);
        free(align);
        free(grp);
        free(colidx);
        free(moved);
        free(nnote);
        return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
    }
    cells[0] = srdi_strdup("项目");
    for (size_t c = 1; c < ncols; c++) {
        const srdi_tcol *col = &t->cols[colidx[c]];
        srdi_buf hb = {0};
        if (col->unit && *col->unit && col->type != SRDI_COL_TEXT)
            srdi_buf_printf(&hb, "%s（%s）", col->label, col->unit);
        else
            srdi_buf_puts(&hb, col->label);
        cells[c] = srdi_buf_steal(&hb);
        align[c] = col->type == SRDI_COL_TEXT ? 0 : 2;
        /* a benchmark view's province and 全国 columns carry the key of the region's column before them (bench.c) */
        grp[c] = c > 1 && strcmp(col->key, t->cols[colidx[c - 1]].key) == 0 ? grp[c - 1] : c;
    }
    align[0] = 0;
    for (size_t r = 0, k = 0; r < nrows; r++) {
        if (moved[r]) continue;
        const srdi_trow *row = &t->rows[r];
        k++;
        cells[k * ncols] = srdi_strdup(row->label && *row->label ? row->label : row->key);
        /* a zero among the row's own numbers (not a benchmark column's: grp)
           and no other own cell empty: a multiple left empty divides by it */
        bool zero = false, hole = false;
        for (size_t c = 1; c < ncols; c++) {
            const srdi_cell *x = &row->cells[colidx[c]];
            if (grp[c] != c || t->cols[colidx[c]].type == SRDI_COL_MULTIPLE) continue;
            zero |= x->kind == SRDI_CELL_NUM && x->num == 0;
            hole |= x->kind == SRDI_CELL_NULL;
        }
        for (size_t c = 1; c < ncols; c++) {
            char buf[256] = "";
            const srdi_tcol *col = &t->cols[colidx[c]];
            srdi_cell_format(col, &row->cells[colidx[c]], buf, sizeof buf);
            zero_multiple(&row->cells[colidx[c]], buf, sizeof buf);
            cells[k * ncols + c] = srdi_strdup(buf);
            if (row->cells[colidx[c]].kind != SRDI_CELL_NULL) continue;
            if (col->type == SRDI_COL_TEXT) {
                if (!g->tdash[0] && strcmp(buf, "—") == 0) srdi_strlcpy(g->tdash, col->label, sizeof g->tdash);
                continue;
            }
            if (col->type != SRDI_COL_MULTIPLE) {
                g->dash |= strcmp(buf, "—") == 0; /* a statistic of no values (a mean of no ratios, a share of none) */
                continue;
            }
            if (zero && !hole && !mlabel)
                mlabel = col->label;
            else if (!zero || hole)
                mbare = true; /* a "—" of a missing value: the note would not hold for it */
        }
    }
    nrows = shown;
    g->nodata = nrows == 0;
    if (nrows == 0) {
        cells[ncols] = srdi_strdup("暂无数据");
        for (size_t c = 1; c < ncols; c++) cells[ncols + c] = srdi_strdup("");
        nrows = 1;
    }
    free(colidx);
    free(moved);
    g->ncols = ncols;
    g->nrows = nrows + 1;
    g->cells = cells;
    g->align = align;
    *owned = cells;
    for (size_t i = 0; i < ncols * g->nrows; i++)
        if (!cells[i]) {
            free(nnote);
            free(grp);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
        }
    g->nnote = nnote;
    g->grp = grp;
    g->dash |= mbare && shown > 0;
    if (mlabel && !mbare && shown > 0) {
        /* the "—" of a multiple is said: its base is zero (a 0.00% province
           share, a mean of 0), not a value left out */
        srdi_buf mb = {0};
        if (srdi_buf_printf(&mb, "%s栏中的“—”表示比较的基数为零，倍数无法计算", mlabel) ||
            !(g->mnote = srdi_buf_steal(&mb))) {
            srdi_buf_free(&mb);
            return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out %s", t->id);
        }
        srdi_buf_free(&mb);
    }
    return SRDI_OK;
}

static void cells_free(char **cells, size_t n)
{
    if (!cells) return;
    for (size_t i = 0; i < n; i++) free(cells[i]);
    free(cells);
}

/*
 * Draw table @p t (its caption first when @p caption), then its note.
 * @p g is the table's grid from table_cells (measured or not); it is
 * freed here.  @p tail is the height the caller draws right after
 * (the source line), kept on the page with the last rows and the note.
 */
static srdi_status table_draw_grid(L *l, const report_block *b, const srdi_table *t, bool caption, grid *g,
                                   char **cells, double tail)
{
    char *note = block_note(l, b, t, g);
    srdi_status s = grid_draw(l, g, b->fig, b->caption && *b->caption ? b->caption : t->title, caption,
                              note_height(l, note) + tail);
    if (!s) note_draw(l, note);
    free(note);
    cells_free(cells, g->ncols * g->nrows);
    free(g->align);
    grid_free(g);
    return s ? s : st_of(l);
}

/* Draw computed table @p t (see table_draw_grid). */
srdi_status lay_do_table(L *l, const report_block *b, const srdi_table *t, bool caption, double tail)
{
    grid g = {0};
    char **cells = NULL;
    srdi_status s = table_cells(l, t, b, &g, &cells);
    if (s) {
        cells_free(cells, g.ncols * g.nrows);
        free(g.align);
        return s;
    }
    return table_draw_grid(l, b, t, caption, &g, cells, tail);
}

/*
 * Whether chart @p key has nothing to draw but its 暂无数据 box (a regional
 * edition without the data): no table, a no_data table, or a drawing on
 * the null canvas that sets that one line of text and nothing else.  A
 * derived chart (computed while it is drawn) counts as drawn.  The answer
 * is kept in the render's memo (layout_memo.c), so each key is drawn on the
 * null canvas once per render.
 */
static bool chart_empty(L *l, const char *key)
{
    double kept;
    if (lay_memo_get(l, key, LAY_MEMO_EMPTY, 0, &kept)) return kept != 0; /* asked before in this render */
    const srdi_chart_def *cd = srdi_chart_find(key);
    bool empty = false;
    if (cd && cd->table && !srdi_chart_derived(key)) {
        const srdi_table *t = l->o->tables ? srdi_tableset_get(l->o->tables, key) : NULL;
        if (!t || t->no_data) {
            empty = true;
        } else {
            srdi_canvas *nc = srdi_canvas_null_new(l->f);
            if (!nc) {
                lay_nomem(l);
                return false;
            }
            srdi_canvas_record_boxes(nc, true);
            /* (a failure to draw shows where the chart is drawn for real) */
            if (srdi_chart_draw(nc, key, t, l->o->params, 0, 0, l->tw, l->tw * 0.6, false) == SRDI_OK)
                empty = nc->nboxes == 1 && nc->boxes[0].text && strcmp(nc->boxes[0].text, "暂无数据") == 0;
            srdi_canvas_free(nc);
        }
    }
    lay_memo_put(l, key, LAY_MEMO_EMPTY, 0, empty);
    return empty;
}

/* Height of the 暂无数据 box of an empty chart: a compact frame, not a chart's height of white. */
#define CHART_EMPTY_H 60.0

/* Chart box height for a chart key at the text width. */
double lay_chart_height(L *l, const char *key)
{
    if (chart_empty(l, key)) return CHART_EMPTY_H;
    const srdi_chart_def *cd = srdi_chart_find(key);
    double a = cd && cd->aspect > 0.1 ? cd->aspect : 0.6;
    double h = l->tw * a, maxh = (l->ybot - l->ytop) * 0.62;
    /* bars of fewer rows than the chart's top N: a shorter chart */
    const srdi_table *t = l->o->tables && cd && cd->table ? srdi_tableset_get(l->o->tables, key) : NULL;
    double share = srdi_chart_height_share(cd, t, l->o->params);
    return (h > maxh ? maxh : h) * share * (l->chart_scale > 0 ? l->chart_scale : 1);
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
srdi_status lay_do_chart(L *l, const report_block *b)
{
    const srdi_table *t = l->o->tables ? srdi_tableset_get(l->o->tables, b->key) : NULL;
    srdi_table *own = NULL; /* the table of a derived chart (M31), computed here */
    if (!t && srdi_chart_derived(b->key)) {
        srdi_status ds = srdi_chart_derived_table(b->key, l->o->tables, l->o->params, &own);
        if (ds) return ds;
        t = own;
    }
    double h = lay_chart_height(l, b->key);
    char cap[1024];
    lay_caption_text(b->fig, b->caption, false, cap, sizeof cap);
    double caph = lay_plain_height(l, cap, F(SRDI_FONT_SANS, 10, true), CAP_LH) + 2;
    const char *src = b->source ? b->source : t ? t->source : NULL;
    double srch = lay_source_height(l, src);
    grid g = {0};
    char **cells = NULL;
    srdi_status s = SRDI_OK;
    double below = srch + chart_note_height(l, b, t); /* what must follow the chart on its page */
    bool with_table = b->with_table && t;
    if (with_table) {
        s = table_cells(l, t, b, &g, &cells);
        g.under_chart = true;
        if (!s) s = grid_measure(l, &g);
        if (s) goto cleanup;
        if (g.nodata && chart_empty(l, b->key)) {
            /* the chart's 暂无数据 box says it: no second 暂无数据 table under it */
            cells_free(cells, g.ncols * g.nrows);
            cells = NULL;
            free(g.align);
            grid_free(&g);
            memset(&g, 0, sizeof g);
            with_table = false;
        } else {
            char *note = block_note(l, b, t, &g);
            below = grid_first_height(l, &g, 0, note_height(l, note) + srch);
            free(note);
        }
    }
    double rest = caph + 6 + below;
    if (l->open && l->y + rest + h > lay_limit(l) + 0.01 && l->y > l->ytop + 0.01) {
        double room = lay_limit(l) - l->y - rest;
        if (room >= h * CHART_MIN_SCALE) h = room;
    } else if (l->open && !l->fq_busy && l->y > l->ytop + 0.01) {
        /* the last figure of a chapter whose closing text would go over
           alone (a few lines on the chapter's last page) shrinks, to as
           little as CHART_MIN_SCALE, so the chapter ends on this page */
        double tail = lay_chapter_tail(l, (size_t)(b - l->d->blocks));
        double room = lay_limit(l) - l->y - rest - 8 - tail;
        if (tail > 0 && l->y + rest + 8 + h + tail > lay_limit(l) + 0.01 && room >= h * CHART_MIN_SCALE) h = room;
    }
    lay_ensure(l, rest + h);
    if (l->pend != SIZE_MAX) lay_mark(l, l->pend);
    lay_draw_caption(l, b->fig, b->caption, false);
    if (!l->dry) /* a dry pass's null canvas is not read: the chart is drawn where it is */
        s = srdi_chart_draw(l->c, b->key, t, l->o->params, l->x0, l->y, l->tw, h, false);
    if (s) goto cleanup;
    l->y += h + 6;
    if (t && !b->with_table) {
        char *note = block_note(l, b, t, NULL);
        note_draw(l, note);
        free(note);
    }
    if (with_table) {
        s = table_draw_grid(l, b, t, false, &g, cells, srch);
        cells = NULL;
        if (s) {
            srdi_table_free(own);
            return s;
        }
    }
    lay_draw_source(l, src);
    srdi_table_free(own);
    l->y += 8;
    return st_of(l);
cleanup:
    cells_free(cells, g.ncols * g.nrows);
    free(g.align);
    grid_free(&g);
    srdi_table_free(own);
    return s;
}
/* ------------------------------------------------------------- floats */

/*
 * Height a figure block needs on the page where it starts (what its draw
 * function would ensure): a chart at CHART_MIN_SCALE of its height (its
 * full height when @p whole) with
 * caption, source and its table's first rows; a table's caption and first
 * rows (a small table whole) with note and source.  0 for other blocks.
 */
static double pipe_float_need(L *l, const report_block *b, bool whole);

static double float_need(L *l, const report_block *b, bool whole, bool all_rows);

/* float_need through the render's memo (layout_memo.c): every pass asks it of the same blocks */
static double float_need_kept(L *l, const report_block *b, bool whole, bool all_rows)
{
    int kind = all_rows ? LAY_MEMO_HEIGHT : whole ? LAY_MEMO_NEED_WHOLE : LAY_MEMO_NEED;
    double scale = b->kind == RB_CHART ? l->chart_scale : 0, need; /* only a chart's height scales */
    if (lay_memo_get(l, b, kind, scale, &need)) return need;
    need = float_need(l, b, whole, all_rows);
    lay_memo_put(l, b, kind, scale, need);
    return need;
}

double lay_float_need(L *l, const report_block *b, bool whole)
{
    return float_need_kept(l, b, whole, false);
}

double lay_float_height(L *l, const report_block *b)
{
    return float_need_kept(l, b, true, true);
}

/* lay_float_need; with @p all_rows a table counts all its rows. */
static double float_need(L *l, const report_block *b, bool whole, bool all_rows)
{
    if (b->kind == RB_PIPE) return pipe_float_need(l, b, all_rows);
    const srdi_table *t = l->o->tables && b->key[0] ? srdi_tableset_get(l->o->tables, b->key) : NULL;
    if (b->kind != RB_CHART && !(b->kind == RB_TABLE && t)) return 0;
    char cap[1024];
    lay_caption_text(b->fig, b->kind == RB_TABLE && !(b->caption && *b->caption) ? t->title : b->caption, false, cap,
                     sizeof cap);
    double caph = lay_plain_height(l, cap, F(SRDI_FONT_SANS, 10, true), CAP_LH) + 2;
    const char *src = b->source ? b->source : t ? t->source : NULL;
    double srch = lay_source_height(l, src);
    double need = b->kind == RB_CHART ? caph + 6 + srch + chart_note_height(l, b, t) +
                                            lay_chart_height(l, b->key) * (whole ? 1 : CHART_MIN_SCALE)
                                      : 0;
    if (t && (b->kind == RB_TABLE || b->with_table)) {
        grid g = {0};
        char **cells = NULL;
        srdi_status s = table_cells(l, t, b, &g, &cells);
        g.under_chart = b->kind == RB_CHART;
        if (!s) s = grid_measure(l, &g);
        /* a chart's 暂无数据 table is not set under its 暂无数据 box (lay_do_chart) */
        bool dropped = !s && b->kind == RB_CHART && g.nodata && chart_empty(l, b->key);
        if (!lay_failed(l, s) && !dropped) {
            char *note = block_note(l, b, t, &g);
            double tail = note_height(l, note) + srch;
            free(note);
            need = b->kind == RB_TABLE ? grid_need(l, &g, caph, tail, all_rows)
                                       : need - srch + grid_need(l, &g, 0, tail, all_rows);
        }
        cells_free(cells, g.ncols * g.nrows);
        free(g.align);
        grid_free(&g);
    }
    return need;
}

/* ------------------------------------------------- narrative pipe tables */

/* The grid of a pipe table: its cells and column alignment (set, or right
   for a column of numbers, left otherwise). */
static srdi_status pipe_grid(const report_block *b, grid *g)
{
    memset(g, 0, sizeof *g);
    g->ncols = b->ncols;
    g->nrows = b->nrows;
    g->cells = b->cells;
    g->align = malloc((b->ncols + 1) * sizeof *g->align);
    if (!g->align) return srdi_error_set(SRDI_ERR_NOMEM, "out of memory laying out a table");
    for (size_t c = 0; c < b->ncols; c++) {
        int a = b->align ? b->align[c] : -1;
        if (a < 0) {
            bool num = b->nrows > 1;
            for (size_t r = 1; r < b->nrows && num; r++) num = numeric_text(b->cells[r * b->ncols + c]);
            a = num ? 2 : 0;
        }
        g->align[c] = a;
    }
    return SRDI_OK;
}

/* What a one-block ::: figure pipe table needs where it starts (caption,
   first rows, a small table whole with its source); 0 for other pipes. */
static double pipe_float_need(L *l, const report_block *b, bool whole)
{
    grid g;
    if (b->fig <= 0 || !b->fig_first || !b->fig_last || lay_failed(l, pipe_grid(b, &g))) return 0;
    double need = 0;
    if (!lay_failed(l, grid_measure(l, &g))) {
        char cap[1024];
        lay_caption_text(b->fig, b->caption, false, cap, sizeof cap);
        double caph = lay_plain_height(l, cap, F(SRDI_FONT_SANS, 10, true), CAP_LH) + 2;
        need = grid_need(l, &g, caph, lay_source_height(l, b->source), whole);
    }
    free(g.align);
    grid_free(&g);
    return need;
}

srdi_status lay_do_pipe(L *l, const report_block *b)
{
    grid g;
    srdi_status s0 = pipe_grid(b, &g);
    if (s0) return s0;
    double tail = b->fig > 0 && b->fig_last ? lay_source_height(l, b->source) : 0;
    srdi_status s = grid_draw(l, &g, b->fig, b->caption, b->fig_first, tail);
    free(g.align);
    grid_free(&g);
    if (!s && b->fig > 0 && b->fig_last) {
        lay_draw_source(l, b->source);
        l->y += 6;
    }
    return s;
}
