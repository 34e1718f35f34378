/*
 * src/charts/charts.c — drawing the charts of the catalogue (catalogue.c):
 * the common frame (title, 资料来源, note, no-data box) and the dispatch to
 * the drawing function of each srdi_chart_drawer (draw.h): column/line
 * combos and horizontal bars (charts_bars.c), radar and donut
 * (charts_round.c), heat map, quadrant, bubble and priority matrices
 * (charts_matrix.c), pyramid and the four-stage staircase (charts_stages.c).
 * What a chart plots (series, top-N rows) comes from its catalogue entry.
 *
 * Charts read their tables by the row/column keys of docs/tables.md "Keys of
 * values.csv"; rows they do not know are ignored, missing values leave a gap.
 */
#include "srdi/charts.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "kit.h"
#include "srdi/util.h"

bool chart_gather_or_nodata(const chart_ctx *x, const cseries *s, int ns, int topn, int min, cats *out)
{
    chart_gather(x->t, s, ns, topn, out);
    /* rows whose every value is empty (a radar of an edition without 国家级
       enterprises: five null scores) draw nothing either, nor rows of zeros
       only (a small edition's 图表45, no foreign patent in any year: a
       plot's height of white over a row of "0"), as a table of zeros reads
       暂无数据 */
    bool any = false;
    for (int k = 0; k < ns && !any; k++)
        for (int i = 0; i < out->n && !any; i++) any = out->ok[k][i] && out->v[k][i] != 0;
    if (out->n >= min && any) return true;
    kit_nodata(x->c, x->x, x->y, x->w, x->h);
    return false;
}

void chart_gather(const srdi_table *t, const cseries *s, int ns, int topn, cats *out)
{
    memset(out, 0, sizeof *out);
    int lim = topn > 0 && topn < MAXCAT ? topn : MAXCAT;
    for (size_t r = 0; r < t->nrows && out->n < lim; r++) {
        if (strcmp(t->rows[r].key, "total") == 0) continue;
        bool any = false;
        for (int k = 0; k < ns; k++) {
            int ci = srdi_table_col(t, s[k].col);
            if (ci >= 0 && t->rows[r].cells[ci].kind != SRDI_CELL_ABSENT) any = true;
        }
        if (!any) continue;
        int i = out->n++;
        out->label[i] = t->rows[r].label && *t->rows[r].label ? t->rows[r].label : t->rows[r].key;
        for (int k = 0; k < ns; k++) out->ok[k][i] = kit_num(t, (int)r, s[k].col, &out->v[k][i]);
    }
}

/* columns of a top-N combo chart up to which it is set at half its height (srdi_chart_height_share) */
#define COMBO_FEW 3

double srdi_chart_height_share(const srdi_chart_def *def, const srdi_table *t, const srdi_params *p)
{
    if (!def || !t || (def->drawer != SRDI_DRAW_HBARS && def->drawer != SRDI_DRAW_COMBO)) return 1;
    int topn = srdi_chart_topn(def, p);
    if (topn <= 0) return 1;
    cats d;
    chart_gather(t, def->series, srdi_chart_nseries(def), topn, &d);
    if (d.n <= 0 || d.n >= topn) return 1;
    /* columns with a line over them (T16's cities) keep their height while
       they are a comparison; up to COMBO_FEW of them take half of it (图表20
       of the 海东市 edition of sample n 30000 seed 9191: one column and one
       point under a plot the height of twenty cities) */
    if (def->drawer == SRDI_DRAW_COMBO) return d.n <= COMBO_FEW ? 0.5 : 1;
    return fmax(0.4, (d.n + 2.0) / (topn + 2.0));
}

/* ------------------------------------------------------------- drawers */

/* The drawing function of each srdi_chart_drawer. */
static const chart_fn DRAWERS[] = {
    [SRDI_DRAW_PYRAMID] = chart_pyramid,
    [SRDI_DRAW_COMBO] = chart_combo,
    [SRDI_DRAW_HBARS] = chart_hbars,
    [SRDI_DRAW_QUADRANT] = chart_quadrant,
    [SRDI_DRAW_HEATMAP] = chart_heatmap,
    [SRDI_DRAW_RADAR] = chart_radar,
    [SRDI_DRAW_BUBBLE_MATRIX] = chart_bubble_matrix,
    [SRDI_DRAW_DONUT] = chart_donut,
    [SRDI_DRAW_STAIRCASE] = chart_staircase,
    [SRDI_DRAW_PRIORITY] = chart_priority,
};

/*
 * Draw chart @p key into (x, y, w, h).  Standalone: title on top and a
 * 资料来源 line at the bottom, inside the box.  No table (for a table chart)
 * or a no_data table → framed 暂无数据 box.
 */
static srdi_status chart_draw(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p, double x,
                              double y, double w, double h, bool standalone, const char *title);

/* Rows [0, n) of @p t that chart @p def draws (its top-N rows, "total"
   not drawn; every row without a top N or without @p def). */
static size_t note_rows(const srdi_table *t, const srdi_chart_def *def, const srdi_params *p)
{
    int k = def ? srdi_chart_topn(def, p) : 0;
    if (k <= 0) return t->nrows;
    size_t r = 0;
    for (int n = 0; r < t->nrows && n < k; r++)
        if (strcmp(t->rows[r].key, "total") != 0) n++;
    return r;
}

/* The note line(s) of @p t as chart @p def shows it (the small-sample note
   of the rows it draws: srdi_table_note_for): "注：" + the note (unless it
   starts with 注) ending on a full stop, wrapped to 3 lines. */
static int note_lines(srdi_canvas *c, const srdi_table *t, const srdi_chart_def *def, const srdi_params *p, double w,
                      char lines[][KIT_MAXLINE])
{
    if (!t || !t->note || !*t->note) return 0;
    char *note = NULL;
    srdi_status st = srdi_table_note_for(t, note_rows(t, def, p), &note, NULL);
    if (st != SRDI_OK) { /* out of memory: the figure fails (a figure without its note is not the figure) */
        srdi_canvas_fail(c, st);
        return 0;
    }
    char buf[1024];
    buf[0] = 0;
    /* ending on a full stop, as the report's notes do */
    size_t n = strlen(note);
    bool stop = n >= 3 && (strcmp(note + n - 3, "。") == 0 || strcmp(note + n - 3, "？") == 0 ||
                           strcmp(note + n - 3, "！") == 0);
    if (note[0])
        snprintf(buf, sizeof buf, "%s%s%s", strncmp(note, "注", strlen("注")) == 0 ? "" : "注：", note, stop ? "" : "。");
    free(note);
    if (!buf[0]) return 0;
    srdi_cjk_spacing(buf, 0, 0); /* "317 家" → "317家", as the report sets its notes */
    return kit_wrap(c, kit_font(KIT_FS_SRC, false), buf, w, lines, 3);
}

/* Height of the note of @p t under chart @p def set at width @p w (0: no note). */
static double chart_note_height(srdi_canvas *c, const srdi_table *t, const srdi_chart_def *def, const srdi_params *p,
                                double w)
{
    char lines[3][KIT_MAXLINE];
    int nl = note_lines(c, t, def, p, w, lines);
    return nl ? nl * KIT_FS_SRC * 1.3 + 2 : 0;
}

/* Draw the note of @p t under chart @p def from the top @p y at (x, width w). */
static void chart_note(srdi_canvas *c, const srdi_table *t, const srdi_chart_def *def, const srdi_params *p, double x,
                       double y, double w)
{
    char lines[3][KIT_MAXLINE];
    int nl = note_lines(c, t, def, p, w, lines);
    for (int l = 0; l < nl; l++)
        kit_text(c, kit_font(KIT_FS_SRC, false), x, y + KIT_FS_SRC + l * KIT_FS_SRC * 1.3, 0, lines[l], kit_muted_c);
}

double srdi_chart_note_height(srdi_canvas *c, const srdi_table *t, double w)
{
    return c ? chart_note_height(c, t, NULL, NULL, w) : 0;
}

void srdi_chart_draw_note(srdi_canvas *c, const srdi_table *t, double x, double y, double w)
{
    if (c) chart_note(c, t, NULL, NULL, x, y, w);
}

srdi_status srdi_chart_draw(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p, double x,
                            double y, double w, double h, bool standalone)
{
    return chart_draw(c, key, t, p, x, y, w, h, standalone, NULL);
}

srdi_status srdi_chart_draw_titled(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p, double x,
                                   double y, double w, double h, const char *title)
{
    return chart_draw(c, key, t, p, x, y, w, h, true, title);
}

/*
 * Does chart @p def of @p t draw nothing but its 暂无数据 box at w × h: no
 * table, a no_data table, or a drawing on a null canvas that sets that one
 * line of text and nothing else?  (A canvas out of memory: false.)
 */
static bool shows_nothing(srdi_canvas *c, const srdi_chart_def *def, const srdi_table *t, const srdi_params *p,
                          double w, double h)
{
    if (def->table && (!t || t->no_data)) return true;
    srdi_canvas *nc = srdi_canvas_null_new(c->fonts);
    if (!nc) return false;
    srdi_canvas_record_boxes(nc, true);
    chart_ctx cx = {nc, t, p, 0, 0, w, h, def};
    DRAWERS[def->drawer](&cx);
    bool empty = srdi_canvas_status(nc) == SRDI_OK && nc->nboxes == 1 && nc->boxes[0].text &&
                 strcmp(nc->boxes[0].text, "暂无数据") == 0;
    srdi_canvas_free(nc);
    return empty;
}

static srdi_status chart_draw(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p, double x,
                              double y, double w, double h, bool standalone, const char *title)
{
    if (!c) return srdi_error_set(SRDI_ERR_INTERNAL, "chart: no canvas");
    const srdi_chart_def *def = srdi_chart_find(key);
    if (!def) return srdi_error_set(SRDI_ERR_INTERNAL, "chart: no chart for '%s'", key ? key : "(null)");
    if (!(w > 40 && h > 40))
        return srdi_error_set(SRDI_ERR_INTERNAL, "chart %s: box %gx%g pt is too small", def->key, w, h);
    assert((size_t)def->drawer < sizeof DRAWERS / sizeof DRAWERS[0] && DRAWERS[def->drawer]);
    char outer[sizeof c->what]; /* rendering errors name the chart (and the template line) */
    srdi_strlcpy(outer, srdi_canvas_what(c), sizeof outer);
    if (outer[0])
        srdi_canvas_set_what(c, "chart %s at %s", def->key, outer);
    else
        srdi_canvas_set_what(c, "chart %s", def->key);
    chart_ctx cx = {c, t, p, x, y, w, h, def};
    if (standalone) {
        srdi_font tf = kit_font(KIT_FS_TITLE, true), sf = kit_font(KIT_FS_SRC, false);
        char lines[2][KIT_MAXLINE];
        int nl = kit_wrap(c, tf, title && *title ? title : def->title, w - 8, lines, 2);
        double ty = y + 6 + KIT_FS_TITLE;
        for (int l = 0; l < nl; l++) {
            kit_text(c, tf, x + w / 2, ty, 1, lines[l], kit_text_c);
            ty += KIT_FS_TITLE * 1.3;
        }
        const char *src = t && t->source && *t->source ? t->source : "项目组整理";
        char buf[512];
        if (strncmp(src, "资料来源", strlen("资料来源")) == 0)
            snprintf(buf, sizeof buf, "%s", src);
        else
            snprintf(buf, sizeof buf, "资料来源：%s", src);
        /* a source line is a sentence: it ends with a full stop like every other */
        size_t bl = strlen(buf), sl = strlen("。");
        if (bl < sl || memcmp(buf + bl - sl, "。", sl) != 0) srdi_strlcpy(buf + bl, "。", sizeof buf - bl);
        nl = kit_wrap(c, sf, buf, w - 16, lines, 2);
        double sy = y + h - 6 - (nl - 1) * KIT_FS_SRC * 1.3;
        for (int l = 0; l < nl; l++) kit_text(c, sf, x + 8, sy + l * KIT_FS_SRC * 1.3, 0, lines[l], kit_muted_c);
        /* the table's note (e.g. the small-sample note "样本量小于30，仅供参考")
           above the source; none under a 暂无数据 box (as in the report: the
           海东市 edition of sample n 30000 seed 9191, no 国家级 enterprise,
           had fig37_T27.png's 暂无数据 say its sample was small) */
        double nh = chart_note_height(c, t, def, p, w - 16);
        if (nh > 0 && shows_nothing(c, def, t, p, w, h)) nh = 0;
        if (nh > 0) chart_note(c, t, def, p, x + 8, sy - KIT_FS_SRC - 3 - nh, w - 16);
        cx.x = x + 12;
        cx.w = w - 24;
        cx.y = ty + 2;
        cx.h = sy - KIT_FS_SRC - 8 - nh - cx.y;
    }
    if (def->table && (!t || t->no_data))
        kit_nodata(c, cx.x, cx.y, cx.w, cx.h);
    else
        DRAWERS[def->drawer](&cx);
    srdi_canvas_set_what(c, "%s", outer);
    return srdi_canvas_status(c);
}
