/*
 * src/charts/charts.c — drawing the charts of the catalogue (catalogue.c):
 * the common frame (title, 资料来源, no-data box) and one drawing function
 * per srdi_chart_drawer: column/line combos, horizontal bars, radar, donut,
 * heat map, bubble matrix, quadrant, pyramid and the four-stage staircase.
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

#include "kit.h"
#include "srdi/util.h"

#define MAXCAT 40
#define MAXSER 4

/* What a chart function sees: its catalogue entry, the canvas, its table, params, and its box. */
typedef struct chart_ctx {
    srdi_canvas          *c;
    const srdi_table     *t;
    const srdi_params    *p;
    double                x, y, w, h;
    const srdi_chart_def *def;
} chart_ctx;

typedef void (*chart_fn)(chart_ctx *cx);

/* One series of a combo or bar chart (the catalogue's series). */
typedef srdi_chart_series cseries;

/* Categories gathered from a table for up to MAXSER series. */
typedef struct cats {
    int         n;
    const char *label[MAXCAT];
    double      v[MAXSER][MAXCAT];
    bool        ok[MAXSER][MAXCAT];
} cats;

/*
 * Gather rows (not "total") that have a cell for some series, in table
 * order, at most @p topn (0 = MAXCAT).
 */
static void gather(const srdi_table *t, const cseries *s, int ns, int topn, cats *out)
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

/* Legend name of a series: explicit, else the column label, else the key. */
static const char *series_name(const srdi_table *t, const cseries *s)
{
    if (s->name) return s->name;
    const srdi_tcol *col = kit_col(t, s->col);
    return col && col->label && *col->label ? col->label : s->col;
}

/* Column type and decimals of a series (NUMBER, -1 when unknown). */
static void series_type(const srdi_table *t, const cseries *s, srdi_coltype *type, int *dec)
{
    const srdi_tcol *col = kit_col(t, s->col);
    *type = col ? col->type : SRDI_COL_NUMBER;
    *dec = col ? col->decimals : -1;
}

/* ---------------------------------------------------------- column combo */

/*
 * Columns (kind 0) and lines (kind 1) over categories along x; series on
 * axis 1 use a second value axis on the right.  Category labels run
 * horizontally, wrap to two lines, or stack vertically when crowded.
 */
/*
 * Last complete year of a patent trend (the catalogue's lag_key: latest
 * year − [patents] grant_lag or publication_lag), 0 for other tables.  Years after it
 * are still growing (grants and decisions pending) and are drawn lighter.
 */
static int complete_year(const chart_ctx *x)
{
    return srdi_chart_complete_year(x->t, x->p);
}

static void combo(chart_ctx *x, const cseries *s, int ns, int topn)
{
    srdi_canvas *c = x->c;
    cats d;
    gather(x->t, s, ns, topn, &d);
    if (d.n == 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }

    srdi_coltype type[MAXSER];
    int dec[MAXSER], ncol = 0, colidx[MAXSER];
    bool has_axis[2] = {false, false}, pct[2] = {true, true};
    double vmax[2] = {0, 0}, vmin[2] = {0, 0};
    const char *unit[2] = {"", ""};
    for (int k = 0; k < ns; k++) {
        series_type(x->t, &s[k], &type[k], &dec[k]);
        int a = s[k].axis;
        has_axis[a] = true;
        if (type[k] != SRDI_COL_SHARE) pct[a] = false;
        const srdi_tcol *col = kit_col(x->t, s[k].col);
        if (col && col->unit && *col->unit && !*unit[a]) unit[a] = col->unit;
        if (s[k].kind == 0) colidx[k] = ncol++;
        for (int i = 0; i < d.n; i++)
            if (d.ok[k][i]) {
                if (d.v[k][i] > vmax[a]) vmax[a] = d.v[k][i];
                if (d.v[k][i] < vmin[a]) vmin[a] = d.v[k][i];
            }
    }
    kit_axis ax[2];
    for (int a = 0; a < 2; a++) kit_axis_nice(&ax[a], vmin[a], vmax[a] * 1.08, 5, pct[a]);

    /* legend */
    double top = x->y;
    if (ns > 1 || s[0].kind == 1) {
        const char *names[MAXSER];
        srdi_rgba cols[MAXSER];
        int kinds[MAXSER];
        for (int k = 0; k < ns; k++) {
            names[k] = series_name(x->t, &s[k]);
            cols[k] = kit_pal[k % KIT_NPAL];
            kinds[k] = s[k].kind == 1 ? KIT_LEG_LINE : KIT_LEG_BOX;
        }
        top += kit_legend(c, x->x + x->w / 2, top, names, cols, kinds, ns) + 6;
    }
    /* unit captions above the axes */
    srdi_font tick = kit_font(KIT_FS_TICK, false);
    /* every value axis is titled with its unit (a share axis: %) */
    for (int a = 0; a < 2; a++)
        if (pct[a]) unit[a] = "%";
    bool units = (has_axis[0] && *unit[0]) || (has_axis[1] && *unit[1]);
    double unit_y = top + KIT_FS_TICK;
    if (units) top += KIT_FS_TICK + 12;
    else top += 4;

    double lw = kit_axis_label_width(c, &ax[0]) + 6;
    double rw = has_axis[1] ? kit_axis_label_width(c, &ax[1]) + 6 : 6;
    double px = x->x + lw, pw = x->w - lw - rw;

    /* category labels: horizontal, two-line, or vertical */
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    double slot = pw / d.n, maxw = 0;
    size_t maxch = 0;
    /* labels that do not fit their slot drop an administrative suffix
       (深圳市 → 深圳) before they wrap */
    char abbr[MAXCAT][64];
    for (int i = 0; i < d.n; i++) {
        if (kit_tw(c, lf, d.label[i]) <= slot - 3) continue;
        size_t n = strlen(d.label[i]), sl = strlen("市");
        if (n >= 3 * sl && n < sizeof abbr[i] &&
            (memcmp(d.label[i] + n - sl, "市", sl) == 0 || memcmp(d.label[i] + n - sl, "省", sl) == 0)) {
            memcpy(abbr[i], d.label[i], n - sl);
            abbr[i][n - sl] = '\0';
            d.label[i] = abbr[i];
        }
    }
    for (int i = 0; i < d.n; i++) {
        double w = kit_tw(c, lf, d.label[i]);
        if (w > maxw) maxw = w;
        size_t ch = srdi_utf8_len(d.label[i]);
        if (ch > maxch) maxch = ch;
    }
    /*
     * 0 one line; 1 wrapped at word boundaries into two lines (names stay
     * whole); 2 staggered on two rows, each label with two slots of room;
     * 3 staggered and shortened with "…" where a label is longer still.
     * Never one character per line.
     */
    int mode = 0, maxnl = 1;
    double lab_h = KIT_FS_LABEL * 1.3 + 6;
    (void)maxch;
    if (maxw > slot - 3) {
        bool whole = true;
        char lines[2][KIT_MAXLINE];
        for (int i = 0; i < d.n && whole; i++) {
            int nl = kit_wrap_whole(c, lf, d.label[i], slot - 3, lines, 2);
            if (nl < 0) whole = false;
            else if (nl > maxnl) maxnl = nl;
        }
        /* staggered: two slots of room, the first and the last label one
           and a half (they are kept inside the plot's width) */
        bool fits = true;
        for (int i = 0; i < d.n && fits; i++)
            fits = kit_tw(c, lf, d.label[i]) <= (i == 0 || i == d.n - 1 ? 1.5 * slot - 3 : 2 * slot - 6);
        mode = whole ? 1 : fits ? 2 : 3;
        lab_h = KIT_FS_LABEL * 1.3 * (mode == 1 ? maxnl : 2) + 6;
        for (int i = 0; mode == 3 && i < d.n; i++) {
            char tmp[64];
            double room = i == 0 || i == d.n - 1 ? 1.5 * slot - 3 : 2 * slot - 6;
            if (kit_abbrev(c, lf, d.label[i], room, tmp, sizeof tmp)) {
                memcpy(abbr[i], tmp, sizeof tmp);
                d.label[i] = abbr[i];
            }
        }
    }
    double y0 = x->y + x->h - lab_h, y1 = top;    /* plot bottom, top */
    if (units) {
        if (has_axis[0] && *unit[0]) {
            char buf[64];
            snprintf(buf, sizeof buf, "单位：%s", unit[0]);
            kit_text(c, tick, x->x, unit_y, 0, buf, kit_muted_c);
        }
        if (has_axis[1] && *unit[1]) {
            char buf[64];
            snprintf(buf, sizeof buf, "单位：%s", unit[1]);
            kit_text(c, tick, x->x + x->w, unit_y, 2, buf, kit_muted_c);
        }
    }
    if (has_axis[0]) kit_value_axis(c, &ax[0], px, pw, y0, y1, 0, true);
    if (has_axis[1]) kit_value_axis(c, &ax[1], px, pw, y0, y1, 1, !has_axis[0]);

    kit_box placed[MAXCAT * MAXSER * 2];
    int nplaced = 0;
    /* line markers first: column value labels keep clear of them */
    for (int k = 0; k < ns; k++)
        for (int i = 0; i < d.n && s[k].kind == 1; i++)
            if (d.ok[k][i]) {
                double cx = px + slot * (i + 0.5), cy = kit_ymap(&ax[s[k].axis], d.v[k][i], y0, y1);
                placed[nplaced++] = (kit_box){cx - 3, cy - 3, 6, 6};
            }
    /* columns */
    double group = slot * (ncol > 1 ? 0.78 : 0.6), cw = ncol ? group / ncol : 0;
    for (int k = 0; k < ns; k++) {
        if (s[k].kind != 0) continue;
        const kit_axis *a = &ax[s[k].axis];
        double fs = KIT_FS_VALUE;
        char buf[64];
        /* value labels only when the widest fits its column slot at the
           value size (chart text is never set below 7.5 pt) */
        double widest = 0;
        for (int i = 0; i < d.n; i++)
            if (d.ok[k][i]) {
                kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
                double w = kit_tw(c, kit_font(fs, false), buf);
                if (w > widest) widest = w;
            }
        double room = ncol > 1 ? cw + (slot - group) * 0.5 : slot * 0.95;
        bool labels = widest <= room && d.n * ncol <= 16;
        for (int i = 0; i < d.n; i++) {
            if (!d.ok[k][i]) continue;
            double bx = px + slot * i + (slot - group) / 2 + cw * colidx[k];
            double by = kit_ymap(a, d.v[k][i], y0, y1), bz = kit_ymap(a, 0, y0, y1);
            kit_rect_fill(c, bx, by, cw * 0.92, bz - by, kit_pal[k % KIT_NPAL]);
            if (labels) {
                kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
                srdi_font vf = kit_font(fs, false);
                double w = kit_tw(c, vf, buf), cx = bx + cw * 0.46;
                /* every column label sits above its column, dark; where a
                   line marker or another label is in the way it moves up
                   past it (never into the column in white) */
                kit_box b = {cx - w / 2, by - 2.5 - fs, w, fs + 1};
                bool clash = true;
                for (int guard = 0; clash && guard < 8; guard++) {
                    clash = false;
                    for (int j = 0; j < nplaced && !clash; j++)
                        if (kit_box_overlap(b, placed[j])) {
                            clash = true;
                            b.y = placed[j].y - 1.5 - b.h;
                        }
                }
                if (clash || b.y < y1 - fs) continue;
                kit_text(c, vf, cx, b.y + fs, 1, buf, kit_text_c);
                placed[nplaced++] = b;
            }
        }
    }
    /* baseline */
    kit_line(c, px, kit_ymap(&ax[0], 0, y0, y1), px + pw, kit_ymap(&ax[0], 0, y0, y1), kit_axis_c, 0.8, false);
    /* lines */
    for (int k = 0; k < ns; k++) {
        if (s[k].kind != 1) continue;
        const kit_axis *a = &ax[s[k].axis];
        srdi_rgba col = kit_pal[k % KIT_NPAL];
        bool open = false;
        for (int i = 0; i < d.n; i++) {
            if (!d.ok[k][i]) {
                if (open) srdi_canvas_stroke(c, col, 1.6, NULL, 0);
                open = false;
                continue;
            }
            double cx = px + slot * (i + 0.5), cy = kit_ymap(a, d.v[k][i], y0, y1);
            if (!open) srdi_canvas_move_to(c, cx, cy);
            else srdi_canvas_line_to(c, cx, cy);
            open = true;
        }
        if (open) srdi_canvas_stroke(c, col, 1.6, NULL, 0);
        srdi_font vf = kit_font(KIT_FS_VALUE, false);
        for (int i = 0; i < d.n; i++) {
            if (!d.ok[k][i]) continue;
            double cx = px + slot * (i + 0.5), cy = kit_ymap(a, d.v[k][i], y0, y1);
            kit_circle(c, cx, cy, 3.0, kit_white);
            kit_circle(c, cx, cy, 2.2, col);
        }
        /* value labels of lines: only when categories are few, on a white ground */
        for (int i = 0; i < d.n && d.n <= 12; i++) {
            if (!d.ok[k][i]) continue;
            double cx = px + slot * (i + 0.5), cy = kit_ymap(a, d.v[k][i], y0, y1);
            char buf[64];
            kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
            double w = kit_tw(c, vf, buf);
            /* above the marker, else below; below first where the line only
               comes from above (a dip or the end of a fall), so the label
               does not sit on the line; skipped if it would collide */
            bool up_prev = i > 0 && d.ok[k][i - 1] && kit_ymap(a, d.v[k][i - 1], y0, y1) < cy - 2;
            bool up_next = i + 1 < d.n && d.ok[k][i + 1] && kit_ymap(a, d.v[k][i + 1], y0, y1) < cy - 2;
            bool down_prev = i > 0 && d.ok[k][i - 1] && kit_ymap(a, d.v[k][i - 1], y0, y1) > cy + 2;
            bool down_next = i + 1 < d.n && d.ok[k][i + 1] && kit_ymap(a, d.v[k][i + 1], y0, y1) > cy + 2;
            bool below_first = (up_prev || up_next) && !down_prev && !down_next;
            kit_box above = {cx - w / 2, cy - 5 - KIT_FS_VALUE, w, KIT_FS_VALUE + 1};
            kit_box below = {cx - w / 2, cy + 5, w, KIT_FS_VALUE + 1};
            kit_box cand[2] = {below_first ? below : above, below_first ? above : below};
            for (int q = 0; q < 2; q++) {
                bool clash = cand[q].y < y1 - 2 || cand[q].y + cand[q].h > y0;
                if (w > slot * 0.98) clash = true;
                for (int j = 0; j < nplaced && !clash; j++) clash = kit_box_overlap(cand[q], placed[j]);
                if (!clash) {
                    kit_rect_fill(c, cand[q].x - 1.5, cand[q].y - 0.5, cand[q].w + 3, cand[q].h + 1,
                                  kit_alpha(kit_white, 0.85));
                    kit_text(c, vf, cx, cand[q].y + KIT_FS_VALUE * 0.9, 1, buf, kit_ink(col));
                    placed[nplaced++] = cand[q];
                    break;
                }
            }
        }
    }
    /* category labels */
    for (int i = 0; i < d.n; i++) {
        double cx = px + slot * (i + 0.5);
        if (mode == 0) kit_text(c, lf, cx, y0 + KIT_FS_LABEL + 4, 1, d.label[i], kit_text_c);
        else if (mode >= 2) {
            double w = kit_tw(c, lf, d.label[i]);
            cx = fmax(cx, px + w / 2);           /* inside the plot's width */
            cx = fmin(cx, px + pw - w / 2);
            kit_text(c, lf, cx, y0 + KIT_FS_LABEL + 4 + (i % 2) * KIT_FS_LABEL * 1.3, 1, d.label[i], kit_text_c);
        }
        else {
            char lines[2][KIT_MAXLINE];
            int nl = kit_wrap(c, lf, d.label[i], slot - 3, lines, maxnl);
            for (int l = 0; l < nl; l++)
                kit_text(c, lf, cx, y0 + KIT_FS_LABEL + 4 + l * KIT_FS_LABEL * 1.3, 1, lines[l], kit_text_c);
        }
    }
    /* immature patent years: a white veil makes them lighter */
    int cy = complete_year(x);
    for (int i = 0; cy > 0 && i < d.n; i++)
        if (atoi(d.label[i]) > cy) {
            kit_rect_fill(c, px + slot * i, y1, slot * (d.n - i), y0 - y1, (srdi_rgba){1, 1, 1, 0.6});
            break;   /* the report's text names the complete years ("图中以浅色表示") */
        }
}

/* ------------------------------------------------------ horizontal bars */

/*
 * Horizontal bars, one or more series, categories top to bottom in table
 * order; labels on the left (wrapped to two lines when long), value labels
 * at the bar ends.
 */
static void hbars(chart_ctx *x, const cseries *s, int ns, int topn)
{
    srdi_canvas *c = x->c;
    cats d;
    gather(x->t, s, ns, topn, &d);
    if (d.n == 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    srdi_coltype type[MAXSER];
    int dec[MAXSER];
    double vmax = 0;
    for (int k = 0; k < ns; k++) {
        series_type(x->t, &s[k], &type[k], &dec[k]);
        for (int i = 0; i < d.n; i++)
            if (d.ok[k][i] && d.v[k][i] > vmax) vmax = d.v[k][i];
    }
    double top = x->y;
    if (ns > 1) {
        const char *names[MAXSER];
        srdi_rgba cols[MAXSER];
        for (int k = 0; k < ns; k++) { names[k] = series_name(x->t, &s[k]); cols[k] = kit_pal[k % KIT_NPAL]; }
        top += kit_legend(c, x->x + x->w / 2, top, names, cols, NULL, ns) + 6;
    }
    double ph = x->y + x->h - top, slot = ph / d.n;
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    double maxlab = 0;
    for (int i = 0; i < d.n; i++) maxlab = fmax(maxlab, kit_tw(c, lf, d.label[i]));
    double labw = fmin(maxlab, x->w * 0.36);
    int maxlines = slot >= KIT_FS_LABEL * 2.7 ? 2 : 1;
    /* value label room */
    srdi_font vf = kit_font(KIT_FS_VALUE, false);
    double valw = 0;
    char buf[64];
    for (int k = 0; k < ns; k++)
        for (int i = 0; i < d.n; i++)
            if (d.ok[k][i]) {
                kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
                valw = fmax(valw, kit_tw(c, vf, buf));
            }
    double px = x->x + labw + 8, pw = x->w - labw - 8 - valw - 6;
    if (vmax <= 0) vmax = 1;
    double band = fmin(slot * 0.72, 13.0 * ns), bh = band / ns;
    /* light vertical grid on nice ticks */
    kit_axis ax;
    kit_axis_nice(&ax, 0, vmax, 4, false);
    for (int i = 0; i < d.n; i++) {
        double cy = top + slot * (i + 0.5);
        char lines[2][KIT_MAXLINE];
        int nl = kit_wrap(c, lf, d.label[i], labw, lines, maxlines);
        for (int l = 0; l < nl; l++)
            kit_text_mid(c, lf, px - 6, cy + (l - (nl - 1) / 2.0) * KIT_FS_LABEL * 1.3, 2, lines[l], kit_text_c);
        for (int k = 0; k < ns; k++) {
            double by = cy - band / 2 + bh * k;
            if (!d.ok[k][i]) {
                kit_text_mid(c, vf, px + 3, by + bh / 2, 0, "—", kit_muted_c);
                continue;
            }
            double len = fmax(0, d.v[k][i]) / vmax * pw;
            kit_rect_fill(c, px, by + bh * 0.06, len, bh * 0.88, kit_pal[k % KIT_NPAL]);
            kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
            kit_text_mid(c, vf, px + len + 3, by + bh / 2, 0, buf, kit_text_c);
        }
    }
    kit_line(c, px, top, px, x->y + x->h, kit_axis_c, 0.8, false);
}

/* ----------------------------------------------------------------- radar */

/*
 * Radar of the five dimensions: a dashed benchmark polygon at 100 and the
 * table's "score" polygon, labelled with their values.
 */
static void radar(chart_ctx *x, const char *bench_name, const char *series)
{
    srdi_canvas *c = x->c;
    cseries s = {"score", series, 0, 0};
    cats d;
    gather(x->t, &s, 1, 8, &d);
    if (d.n < 3) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    const char *names[2] = {bench_name, series};
    srdi_rgba cols[2] = {kit_axis_c, kit_pal[0]};
    int kinds[2] = {KIT_LEG_DASH, KIT_LEG_BOX};
    double top = x->y + kit_legend(c, x->x + x->w / 2, x->y, names, cols, kinds, 2) + 8;
    double vmax = 100;
    for (int i = 0; i < d.n; i++) if (d.ok[0][i]) vmax = fmax(vmax, d.v[0][i]);
    kit_axis ax;
    kit_axis_nice(&ax, 0, vmax, 5, false);
    srdi_font lf = kit_font(KIT_FS_LABEL, false), tf = kit_font(KIT_FS_TICK, false);
    double maxlab = 0;
    for (int i = 0; i < d.n; i++) maxlab = fmax(maxlab, kit_tw(c, lf, d.label[i]));
    double ph = x->y + x->h - top;
    double r = fmin((x->w - 2 * maxlab - 24) / 2, (ph - 2 * KIT_FS_LABEL * 2.4) / 2);
    if (r < 20) r = 20;
    double cx = x->x + x->w / 2, cy = top + ph / 2 + KIT_FS_LABEL * 0.2;
    int n = d.n;
    /* rings and spokes */
    int nr = (int)llround(ax.max / ax.step);
    for (int k = 1; k <= nr; k++) {
        double rr = r * k / nr;
        for (int i = 0; i <= n; i++) {
            double a = -M_PI / 2 + 2 * M_PI * (i % n) / n;
            if (i == 0) srdi_canvas_move_to(c, cx + rr * cos(a), cy + rr * sin(a));
            else srdi_canvas_line_to(c, cx + rr * cos(a), cy + rr * sin(a));
        }
        srdi_canvas_stroke(c, kit_grid_c, 0.6, NULL, 0);
    }
    for (int i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        kit_line(c, cx, cy, cx + r * cos(a), cy + r * sin(a), kit_grid_c, 0.6, false);
    }
    /* benchmark 100 */
    double rb = r * 100 / ax.max;
    static const double dash[2] = {3, 2};
    for (int i = 0; i <= n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * (i % n) / n;
        if (i == 0) srdi_canvas_move_to(c, cx + rb * cos(a), cy + rb * sin(a));
        else srdi_canvas_line_to(c, cx + rb * cos(a), cy + rb * sin(a));
    }
    srdi_canvas_stroke(c, kit_axis_c, 1.2, dash, 2);
    /* series polygon */
    double px[8] = {0}, py[8] = {0};
    for (int i = 0; i < n; i++) {
        double v = d.ok[0][i] ? fmax(0, d.v[0][i]) : 0;
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        px[i] = cx + r * v / ax.max * cos(a);
        py[i] = cy + r * v / ax.max * sin(a);
        if (i == 0) srdi_canvas_move_to(c, px[i], py[i]);
        else srdi_canvas_line_to(c, px[i], py[i]);
    }
    srdi_canvas_close_path(c);
    srdi_canvas_fill(c, kit_alpha(kit_pal[0], 0.22));
    for (int i = 0; i <= n; i++) {
        if (i == 0) srdi_canvas_move_to(c, px[0], py[0]);
        else srdi_canvas_line_to(c, px[i % n], py[i % n]);
    }
    srdi_canvas_stroke(c, kit_pal[0], 1.6, NULL, 0);
    for (int i = 0; i < n; i++) kit_circle(c, px[i], py[i], 2.2, kit_pal[0]);
    /* ring values along the gap between two spokes where the data polygon
       is smallest, on a white ground; a value whose box would touch the
       data polygon's outline or a marker is left out (the ring is still
       readable from its neighbours) */
    int gap = 0;
    double gap_r = INFINITY;
    for (int i = 0; i < n; i++) {
        /* the polygon edge i → i+1 crosses the mid-angle at about the mean radius */
        double r0 = hypot(px[i] - cx, py[i] - cy), r1 = hypot(px[(i + 1) % n] - cx, py[(i + 1) % n] - cy);
        double a = -M_PI / 2 + 2 * M_PI * (i + 0.5) / n, up = -sin(a);
        double score = (r0 + r1) / 2 - up * 0.01 * r;    /* ties: the upper gap */
        if (score < gap_r - 1e-9) { gap_r = score; gap = i; }
    }
    double ga = -M_PI / 2 + 2 * M_PI * (gap + 0.5) / n;
    char buf[64];
    for (int k = 1; k <= nr; k++) {
        kit_axis_label(&ax, ax.step * k, buf, sizeof buf);
        double rr = r * k / nr * cos(M_PI / n);   /* the ring's edge at the mid-angle */
        double tw = kit_tw(c, tf, buf), th = tf.size * 1.2;
        double lx = cx + rr * cos(ga), ly = cy + rr * sin(ga);
        kit_box b = {lx - tw / 2 - 1, ly - th / 2, tw + 2, th};
        bool clash = false;
        for (int i = 0; i < n && !clash; i++)
            clash = kit_seg_box(px[i], py[i], px[(i + 1) % n], py[(i + 1) % n], b) ||
                    kit_box_overlap(b, (kit_box){px[i] - 3, py[i] - 3, 6, 6});
        if (clash) continue;
        kit_rect_fill(c, b.x, b.y, b.w, b.h, kit_alpha(kit_white, 0.85));
        kit_text_mid(c, tf, lx, ly, 1, buf, kit_muted_c);
    }
    /* dimension labels with values */
    for (int i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        double ca = cos(a), sa = sin(a);
        double lx = cx + (r + 8) * ca, ly = cy + (r + 8) * sa;
        int align = ca > 0.25 ? 0 : ca < -0.25 ? 2 : 1;
        double l1 = ly, l2;
        if (sa < -0.5) { l1 = ly - KIT_FS_LABEL * 1.9; }
        else if (sa > 0.5) { l1 = ly + KIT_FS_LABEL * 0.6; }
        else l1 = ly - KIT_FS_LABEL * 0.65;
        l2 = l1 + KIT_FS_LABEL * 1.3;
        kit_text_mid(c, kit_font(KIT_FS_LABEL, true), lx, l1, align, d.label[i], kit_text_c);
        if (d.ok[0][i]) kit_fmt(d.v[0][i], SRDI_COL_SCORE, -1, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "—");
        kit_text_mid(c, lf, lx, l2, align, buf, kit_pal[0]);
    }
}

/* ----------------------------------------------------------------- donut */

/* A donut slice: label, value, share and its placed label. */
typedef struct slice {
    const char *label;
    double      v;
    double      a0, a1;
    double      ly;      /* label y */
    int         side;    /* 0 right, 1 left */
} slice;

/* Sort helper: by desired label y. */
static int by_ly(const void *a, const void *b)
{
    const slice *x = *(slice *const *)a, *y = *(slice *const *)b;
    return (x->ly > y->ly) - (x->ly < y->ly);
}

/*
 * Donut of the rows' "share" (or "count") column; at most 8 slices, the rest
 * merged into 其他.  Labels sit outside in two columns with leader lines,
 * pushed apart so they never overlap.
 */
static void donut(chart_ctx *x, const char *valcol)
{
    srdi_canvas *c = x->c;
    cseries s = {valcol, NULL, 0, 0};
    cats d;
    gather(x->t, &s, 1, MAXCAT, &d);
    slice sl[10];
    int n = 0;
    double total = 0, rest = 0;
    for (int i = 0; i < d.n; i++) if (d.ok[0][i] && d.v[0][i] > 0) total += d.v[0][i];
    if (d.n == 0 || total <= 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    for (int i = 0; i < d.n; i++) {
        if (!d.ok[0][i] || d.v[0][i] <= 0) continue;
        if (n < 8) sl[n++] = (slice){d.label[i], d.v[0][i], 0, 0, 0, 0};
        else rest += d.v[0][i];
    }
    if (rest > 0) sl[n++] = (slice){"其他", rest, 0, 0, 0, 0};
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    double lh = KIT_FS_LABEL * 1.45;
    double maxlab = 0;
    char buf[160];
    for (int i = 0; i < n; i++) {
        char pct[32];
        kit_fmt(sl[i].v / total, SRDI_COL_SHARE, -1, pct, sizeof pct);
        snprintf(buf, sizeof buf, "%s %s", sl[i].label, pct);
        maxlab = fmax(maxlab, kit_tw(c, lf, buf));
    }
    double r = fmin((x->w - 2 * maxlab - 50) / 2, x->h / 2 - 8);
    if (r < 25) r = 25;
    double cx = x->x + x->w / 2, cy = x->y + x->h / 2, ri = r * 0.58;
    double a = -M_PI / 2;
    for (int i = 0; i < n; i++) {
        double sw = sl[i].v / total * 2 * M_PI;
        sl[i].a0 = a;
        sl[i].a1 = a + sw;
        a += sw;
        srdi_rgba col = kit_pal[i % KIT_NPAL];   /* at most 8 slices and 其他 */
        if (strcmp(sl[i].label, "其他") == 0) col = (srdi_rgba){0.7, 0.7, 0.7, 1};
        srdi_canvas_arc(c, cx, cy, r, sl[i].a0, sl[i].a1);
        srdi_canvas_arc(c, cx, cy, ri, sl[i].a1, sl[i].a0);
        srdi_canvas_close_path(c);
        srdi_canvas_fill(c, col);
        /* white separators */
        kit_line(c, cx + ri * cos(sl[i].a0), cy + ri * sin(sl[i].a0), cx + r * cos(sl[i].a0),
                 cy + r * sin(sl[i].a0), kit_white, 1.0, false);
        double mid = (sl[i].a0 + sl[i].a1) / 2;
        sl[i].side = cos(mid) >= 0 ? 0 : 1;
        sl[i].ly = cy + (r + 12) * sin(mid);
    }
    /* resolve label positions per side */
    for (int side = 0; side < 2; side++) {
        slice *ord[10];
        int m = 0;
        for (int i = 0; i < n; i++) if (sl[i].side == side) ord[m++] = &sl[i];
        qsort(ord, (size_t)m, sizeof ord[0], by_ly);
        double lo = x->y + lh / 2, hi = x->y + x->h - lh / 2;
        for (int k = 0; k < m; k++) {
            if (ord[k]->ly < lo) ord[k]->ly = lo;
            if (k > 0 && ord[k]->ly < ord[k - 1]->ly + lh) ord[k]->ly = ord[k - 1]->ly + lh;
        }
        for (int k = m - 1; k >= 0; k--) {
            if (ord[k]->ly > hi) ord[k]->ly = hi;
            if (k < m - 1 && ord[k]->ly > ord[k + 1]->ly - lh) ord[k]->ly = ord[k + 1]->ly - lh;
        }
    }
    for (int i = 0; i < n; i++) {
        double mid = (sl[i].a0 + sl[i].a1) / 2;
        double ex = cx + (r + 2) * cos(mid), ey = cy + (r + 2) * sin(mid);
        double ox = cx + (r + 10) * cos(mid);
        double tx = sl[i].side == 0 ? cx + r + 22 : cx - r - 22;
        srdi_canvas_move_to(c, ex, ey);
        srdi_canvas_line_to(c, ox, sl[i].ly);
        srdi_canvas_line_to(c, tx + (sl[i].side == 0 ? -3 : 3), sl[i].ly);
        srdi_canvas_stroke(c, kit_axis_c, 0.6, NULL, 0);
        char pct[32];
        kit_fmt(sl[i].v / total, SRDI_COL_SHARE, -1, pct, sizeof pct);
        snprintf(buf, sizeof buf, "%s %s", sl[i].label, pct);
        kit_text_mid(c, lf, tx, sl[i].ly, sl[i].side == 0 ? 0 : 2, buf, kit_text_c);
    }
    /* centre: total count when the table has one */
    int tr = srdi_table_row(x->t, "total");
    double tv;
    if (tr >= 0 && kit_num(x->t, tr, "count", &tv)) {
        kit_fmt_int(tv, buf, sizeof buf);
        const srdi_tcol *cc = kit_col(x->t, "count");
        if (cc && cc->unit && *cc->unit) {
            size_t l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, "%s", cc->unit);
        }
        kit_text_mid(c, kit_font(KIT_FS_LABEL, false), cx, cy - KIT_FS_LABEL * 0.7, 1, "合计", kit_muted_c);
        kit_text_mid(c, kit_font(10, true), cx, cy + KIT_FS_LABEL * 0.7, 1, buf, kit_text_c);
    }
}

/* --------------------------------------------------------------- heatmap */

/* Heat-map colours: light at the data minimum, dark blue at the maximum. */
static const srdi_rgba HEAT_LO = {0.95, 0.97, 0.99, 1}, HEAT_HI = {0.03, 0.25, 0.50, 1};

/*
 * Heat map: rows × every numeric column, cells coloured on a sequential
 * blue scale over the data range (minimum → maximum, not from 0), values
 * printed in the cells in the text colour that contrasts with the cell
 * (dark on light, white on dark), a colour scale legend underneath with
 * the minimum, the maximum and the ticks between them.
 */
static void heatmap(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    int cols[8], nc = 0;
    for (size_t k = 0; k < t->ncols && nc < 8; k++)
        if (t->cols[k].type != SRDI_COL_TEXT) cols[nc++] = (int)k;
    int rows[MAXCAT], nr = 0;
    double vmin = INFINITY, vmax = -INFINITY;
    for (size_t r = 0; r < t->nrows && nr < MAXCAT; r++) {
        if (strcmp(t->rows[r].key, "total") == 0) continue;
        rows[nr++] = (int)r;
        for (int k = 0; k < nc; k++) {
            const srdi_cell *ce = &t->rows[r].cells[cols[k]];
            if (ce->kind != SRDI_CELL_NUM || !isfinite(ce->num)) continue;
            vmin = fmin(vmin, ce->num);
            vmax = fmax(vmax, ce->num);
        }
    }
    if (nr == 0 || nc == 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    bool any = vmax >= vmin;
    double span = any && vmax > vmin ? vmax - vmin : 1;
    srdi_font lf = kit_font(KIT_FS_LABEL, false), vf = kit_font(KIT_FS_VALUE, false), tf = kit_font(KIT_FS_TICK, false);
    double head = KIT_FS_LABEL + 8, foot = KIT_FS_TICK * 2 + 16;
    double ch = (x->h - head - foot) / nr;
    double labw = 0;
    for (int i = 0; i < nr; i++) {
        const char *l = t->rows[rows[i]].label ? t->rows[rows[i]].label : t->rows[rows[i]].key;
        labw = fmax(labw, kit_tw(c, lf, l));
    }
    labw = fmin(labw, x->w * 0.42);
    double px = x->x + labw + 8, pw = fmin(x->w - labw - 8, nc * 110.0), cw = pw / nc;
    double py = x->y + head;
    const srdi_tcol *c0 = &t->cols[cols[0]];
    char buf[64];
    for (int k = 0; k < nc; k++)
        kit_text(c, kit_font(KIT_FS_LABEL, true), px + cw * (k + 0.5), x->y + KIT_FS_LABEL + 2, 1,
                 t->cols[cols[k]].label ? t->cols[cols[k]].label : t->cols[cols[k]].key, kit_text_c);
    int maxlines = ch >= KIT_FS_LABEL * 2.7 ? 2 : 1;
    for (int i = 0; i < nr; i++) {
        const srdi_trow *row = &t->rows[rows[i]];
        double cy = py + ch * (i + 0.5);
        char lines[2][KIT_MAXLINE];
        int nl = kit_wrap(c, lf, row->label && *row->label ? row->label : row->key, labw, lines, maxlines);
        for (int l = 0; l < nl; l++)
            kit_text_mid(c, lf, px - 6, cy + (l - (nl - 1) / 2.0) * KIT_FS_LABEL * 1.3, 2, lines[l], kit_text_c);
        for (int k = 0; k < nc; k++) {
            const srdi_cell *ce = &row->cells[cols[k]];
            double bx = px + cw * k, by = py + ch * i;
            if (ce->kind != SRDI_CELL_NUM || !isfinite(ce->num)) {
                kit_rect_fill(c, bx + 0.5, by + 0.5, cw - 1, ch - 1, (srdi_rgba){0.97, 0.97, 0.97, 1});
                kit_text_mid(c, vf, bx + cw / 2, cy, 1, "—", kit_muted_c);
                continue;
            }
            srdi_rgba bg = kit_mix(HEAT_LO, HEAT_HI, (ce->num - vmin) / span);
            kit_rect_fill(c, bx + 0.5, by + 0.5, cw - 1, ch - 1, bg);
            kit_fmt(ce->num, t->cols[cols[k]].type, t->cols[cols[k]].decimals, buf, sizeof buf);
            kit_text_mid(c, vf, bx + cw / 2, cy, 1, buf, kit_text_on(bg));
        }
    }
    if (!any) return;
    /* the colour scale: a bar from the data minimum to the maximum, both
       printed like the cells, nice ticks between them */
    double by = x->y + x->h - foot + 10, bw = fmin(pw * 0.7, 260), bx = px + (pw - bw) / 2, bh = 7;
    for (int i = 0; i < 48; i++)
        kit_rect_fill(c, bx + bw * i / 48, by, bw / 48 + 0.3, bh, kit_mix(HEAT_LO, HEAT_HI, i / 47.0));
    kit_rect_stroke(c, bx, by, bw, bh, kit_grid_c, 0.4);
    kit_fmt(vmin, c0->type, c0->decimals, buf, sizeof buf);
    kit_text(c, tf, bx - 4, by + bh, 2, buf, kit_text_c);
    kit_fmt(vmax, c0->type, c0->decimals, buf, sizeof buf);
    kit_text(c, tf, bx + bw + 4, by + bh, 0, buf, kit_text_c);
    kit_axis ax;
    kit_axis_nice(&ax, 0, span, 4, c0->type == SRDI_COL_SHARE);
    double lastx = bx + kit_tw(c, tf, "0") * 2;
    for (double v = ceil(vmin / ax.step - 1e-9) * ax.step; v < vmax - ax.step * 0.25 && ax.step > 0; v += ax.step) {
        if (v <= vmin + ax.step * 0.25) continue;
        double tx = bx + bw * (v - vmin) / span;
        kit_axis_label(&ax, v, buf, sizeof buf);
        double w = kit_tw(c, tf, buf);
        if (tx - w / 2 < lastx + 4 || tx + w / 2 > bx + bw - 4) continue;
        kit_line(c, tx, by + bh, tx, by + bh + 2, kit_axis_c, 0.5, false);
        kit_text(c, tf, tx, by + bh + 3 + KIT_FS_TICK, 1, buf, kit_muted_c);
        lastx = tx + w / 2;
    }
}

/* ------------------------------------------------------------- the charts */

static void ch_pyramid(chart_ctx *x)
{
    /* pyramid: national on top of provincial, labels on the right */
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    int rn = srdi_table_row(t, "national"), rp = srdi_table_row(t, "provincial");
    if (rn < 0 || rp < 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    double pw = fmin(x->w * 0.5, x->h * 1.25), ph = x->h - 10;
    /* centre pyramid + label column in the box */
    double labw = 0;
    for (int k = 0; k < 2; k++) {
        const srdi_trow *row = &t->rows[k == 0 ? rn : rp];
        labw = fmax(labw, kit_tw(c, kit_font(10, true), row->label && *row->label ? row->label : row->key));
    }
    labw = fmax(labw, 110);
    double ax = x->x + fmax(0, (x->w - pw - 28 - labw) / 2), apex_x = ax + pw / 2, top = x->y + 5, base = top + ph;
    double split = top + ph * 0.42, gap = 3;
    struct { int row; double y0, y1; srdi_rgba col; } tier[2] = {
        {rn, top, split - gap / 2, kit_pal[0]}, {rp, split + gap / 2, base, kit_mix(kit_pal[4], kit_white, 0.2)}};
    srdi_font bf = kit_font(10, true), lf = kit_font(KIT_FS_LABEL + 0.5, false);
    for (int k = 0; k < 2; k++) {
        double hw0 = pw / 2 * (tier[k].y0 - top) / ph, hw1 = pw / 2 * (tier[k].y1 - top) / ph;
        srdi_canvas_move_to(c, apex_x - hw0, tier[k].y0);
        srdi_canvas_line_to(c, apex_x + hw0, tier[k].y0);
        srdi_canvas_line_to(c, apex_x + hw1, tier[k].y1);
        srdi_canvas_line_to(c, apex_x - hw1, tier[k].y1);
        srdi_canvas_close_path(c);
        srdi_canvas_fill(c, tier[k].col);
        double my = (tier[k].y0 + tier[k].y1) / 2 + (k == 0 ? (tier[k].y1 - tier[k].y0) * 0.18 : 0);
        const srdi_trow *row = &t->rows[tier[k].row];
        const char *name = row->label && *row->label ? row->label : row->key;
        /* leader from the tier's right edge to the label column */
        double ex = apex_x + pw / 2 * (my - top) / ph + 3, lx = ax + pw + 28;
        kit_line(c, ex, my, lx - 4, my, kit_axis_c, 0.6, false);
        kit_text_mid(c, bf, lx, my - 7, 0, name, kit_text_c);
        char cnt[64] = "—", shr[64] = "—", line[160];
        double v;
        if (kit_num(t, tier[k].row, "count", &v)) {
            kit_fmt_int(v, cnt, sizeof cnt);
            const srdi_tcol *cc = kit_col(t, "count");
            if (cc && cc->unit && *cc->unit) { size_t l = strlen(cnt); snprintf(cnt + l, sizeof cnt - l, "%s", cc->unit); }
        }
        if (kit_num(t, tier[k].row, "share", &v)) kit_fmt(v, SRDI_COL_SHARE, -1, shr, sizeof shr);
        snprintf(line, sizeof line, "%s，占比%s", cnt, shr);
        kit_text_mid(c, lf, lx, my + 8, 0, line, kit_muted_c);
    }
    int rt = srdi_table_row(t, "total");
    double v;
    if (rt >= 0 && kit_num(t, rt, "count", &v)) {
        char cnt[64], line[128];
        kit_fmt_int(v, cnt, sizeof cnt);
        snprintf(line, sizeof line, "合计 %s", cnt);
        const srdi_tcol *cc = kit_col(t, "count");
        if (cc && cc->unit && *cc->unit) { size_t l = strlen(line); snprintf(line + l, sizeof line - l, "%s", cc->unit); }
        kit_text(c, lf, ax + pw + 28, base - 2, 0, line, kit_text_c);
    }
}

/* Columns and lines of the catalogue's series, its top-N rows. */
static void ch_combo(chart_ctx *x)
{
    combo(x, x->def->series, srdi_chart_nseries(x->def), srdi_chart_topn(x->def, x->p));
}

/* Horizontal bars of the catalogue's series, its top-N rows. */
static void ch_hbars(chart_ctx *x)
{
    hbars(x, x->def->series, srdi_chart_nseries(x->def), srdi_chart_topn(x->def, x->p));
}

/*
 * T12: 2×2 quadrants (x: scale, y: innovation), each cell with a bubble
 * whose area is the quadrant's share of P, its share and national share.
 */
static void ch_quadrant(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    static const struct { const char *key, *name; int col, row; } q[4] = {
        {"low_scale_high_innovation", "低规模—高创新", 0, 0},
        {"high_scale_high_innovation", "高规模—高创新", 1, 0},
        {"low_scale_low_innovation", "低规模—低创新", 0, 1},
        {"high_scale_low_innovation", "高规模—低创新", 1, 1}};
    double sh[4], ns[4];
    bool ok[4], okn[4], any = false;
    double smax = 0;
    for (int i = 0; i < 4; i++) {
        int r = srdi_table_row(t, q[i].key);
        ok[i] = r >= 0 && kit_num(t, r, "share", &sh[i]);
        okn[i] = r >= 0 && kit_num(t, r, "national_share", &ns[i]);
        if (ok[i]) { any = true; smax = fmax(smax, sh[i]); }
    }
    if (!any) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    double staff = x->p ? srdi_params_num(x->p, "t12", "staff_threshold", 100) : 100;
    double pat = x->p ? srdi_params_num(x->p, "t12", "patents_threshold", 50) : 50;
    srdi_font lf = kit_font(KIT_FS_LABEL, false), bf = kit_font(9.5, true), tf = kit_font(KIT_FS_TICK, false);
    /* y tick labels stand horizontally in two lines ("专利" / ">50件") left of the axis */
    char tk[2][32];
    snprintf(tk[0], sizeof tk[0], ">%g件", pat);
    snprintf(tk[1], sizeof tk[1], "≤%g件", pat);
    double tkw = fmax(fmax(kit_tw(c, tf, tk[0]), kit_tw(c, tf, tk[1])), kit_tw(c, tf, "专利"));
    double left = KIT_FS_LABEL * 1.6 + tkw + 10, bottom = 2 * KIT_FS_LABEL + 10;
    double px = x->x + left, pw = x->w - left - 4, py = x->y + 2, ph = x->h - bottom - 2;
    double cw = pw / 2, chh = ph / 2;
    for (int i = 0; i < 4; i++) {
        double bx = px + cw * q[i].col, by = py + chh * q[i].row;
        srdi_rgba bg = q[i].col == 1 && q[i].row == 0 ? (srdi_rgba){0.90, 0.94, 0.98, 1} : (srdi_rgba){0.97, 0.97, 0.97, 1};
        kit_rect_fill(c, bx + 1, by + 1, cw - 2, chh - 2, bg);
        if (ok[i] && smax > 0) {
            double rmax = fmin(cw, chh) * 0.36;
            double rr = rmax * sqrt(fmax(0, sh[i]) / smax);
            kit_circle(c, bx + cw * 0.72, by + chh * 0.56, fmax(rr, 1.5), kit_alpha(kit_pal[0], 0.55));
        }
        kit_text(c, bf, bx + 8, by + 16, 0, q[i].name, kit_text_c);
        char buf[96];
        char pct[32];
        if (ok[i]) kit_fmt(sh[i], SRDI_COL_SHARE, -1, pct, sizeof pct), snprintf(buf, sizeof buf, "企业占比%s", pct);
        else snprintf(buf, sizeof buf, "企业占比 —");
        kit_text(c, lf, bx + 8, by + 32, 0, buf, kit_text_c);
        if (okn[i]) kit_fmt(ns[i], SRDI_COL_SHARE, -1, pct, sizeof pct), snprintf(buf, sizeof buf, "国家级占比%s", pct);
        else snprintf(buf, sizeof buf, "国家级占比 —");
        kit_text(c, lf, bx + 8, by + 45, 0, buf, kit_muted_c);
    }
    /* axes: scale to the right, innovation upwards */
    char buf[128];
    kit_line(c, px, py + ph, px + pw, py + ph, kit_axis_c, 0.8, false);
    kit_line(c, px, py, px, py + ph, kit_axis_c, 0.8, false);
    snprintf(buf, sizeof buf, "员工≤%g人", staff);
    kit_text(c, tf, px + cw / 2, py + ph + KIT_FS_TICK + 3, 1, buf, kit_muted_c);
    snprintf(buf, sizeof buf, "员工>%g人", staff);
    kit_text(c, tf, px + cw * 1.5, py + ph + KIT_FS_TICK + 3, 1, buf, kit_muted_c);
    kit_text(c, lf, px + pw / 2, py + ph + 2 * KIT_FS_LABEL + 6, 1, "企业规模 →", kit_text_c);
    for (int r = 0; r < 2; r++) {
        double my = py + chh * (0.5 + r);
        kit_text(c, tf, px - 4, my - 1, 2, "专利", kit_muted_c);
        kit_text(c, tf, px - 4, my + KIT_FS_TICK + 1, 2, tk[r], kit_muted_c);
    }
    srdi_canvas_text_vertical(c, lf, x->x + KIT_FS_LABEL / 2 + 1, py + ph / 2, "创新能力↑", kit_text_c);
}

static void ch_heatmap(chart_ctx *x) { heatmap(x); }

/* The first series against the catalogue's reference ring. */
static void ch_radar(chart_ctx *x) { radar(x, x->def->ref_name, x->def->series[0].name); }

/*
 * Label points (ptx, pty) of radius rads[i] inside the plot (px, py, pw,
 * ph): next to the point where the label overlaps nothing placed so far
 * (placed[0..np), room for n more), else further out with a leader line,
 * else not at all.  label[i] NULL: no label.
 */
static void label_points(srdi_canvas *c, int n, const double *ptx, const double *pty, const double *rads,
                         const char *const *label, kit_box *placed, int np, double px, double py, double pw,
                         double ph)
{
    srdi_font pf = kit_font(KIT_FS_VALUE, false);
    for (int i = 0; i < n; i++) {
        if (!label[i]) continue;
        double rad = rads[i], w = kit_tw(c, pf, label[i]), h = KIT_FS_VALUE + 1;
        kit_box cand[14] = {
            {ptx[i] + rad + 2, pty[i] - h / 2, w, h}, {ptx[i] - rad - 2 - w, pty[i] - h / 2, w, h},
            {ptx[i] - w / 2, pty[i] - rad - 2 - h, w, h}, {ptx[i] - w / 2, pty[i] + rad + 2, w, h},
            {ptx[i] + rad, pty[i] - rad - h, w, h}, {ptx[i] - rad - w, pty[i] - rad - h, w, h},
            {ptx[i] + rad, pty[i] + rad, w, h}, {ptx[i] - rad - w, pty[i] + rad, w, h},
            {ptx[i] + rad + 2, pty[i] + h / 2 + 1, w, h}, {ptx[i] + rad + 2, pty[i] - 1.5 * h - 1, w, h},
            {ptx[i] - rad - 2 - w, pty[i] + h / 2 + 1, w, h}, {ptx[i] - rad - 2 - w, pty[i] - 1.5 * h - 1, w, h},
            {ptx[i] - w / 2, pty[i] - rad - 3 - 2 * h, w, h}, {ptx[i] - w / 2, pty[i] + rad + 3 + h, w, h}};
        int best = -1;
        double best_a = 1e18;
        for (int k = 0; k < 14; k++) {
            kit_box b = cand[k];
            if (b.x < px + 1 || b.x + b.w > px + pw || b.y < py || b.y + b.h > py + ph) continue;
            double area = 0;
            for (int j = 0; j < np; j++) area += kit_box_overlap_area(b, placed[j]);
            if (area < best_a - 1e-9) { best_a = area; best = k; }
            if (area <= 0) break;
        }
        bool leader = false;
        kit_box b = best >= 0 ? cand[best] : (kit_box){0, 0, 0, 0};
        if (best < 0 || best_a > 0) {
            /* no free place next to the point: search further out and draw a leader */
            best = -1;
            for (int ring = 1; ring <= 4 && best < 0; ring++)
                for (int k = 0; k < 16 && best < 0; k++) {
                    double an = 2 * M_PI * k / 16, dist = rad + 8 + 10 * ring;
                    double bx = ptx[i] + dist * cos(an), byy = pty[i] + dist * sin(an);
                    kit_box cb = {cos(an) >= 0 ? bx : bx - w, byy - h / 2, w, h};
                    if (cb.x < px + 1 || cb.x + cb.w > px + pw || cb.y < py || cb.y + cb.h > py + ph) continue;
                    bool clash = false;
                    for (int j = 0; j < np && !clash; j++) clash = kit_box_overlap(cb, placed[j]);
                    if (!clash) { b = cb; best = k; }
                }
            if (best < 0) continue;   /* nowhere free: leave the point unlabelled */
            leader = true;
        }
        if (leader) {
            double lx = b.x + b.w / 2 < ptx[i] ? b.x + b.w : b.x, ly = b.y + b.h / 2;
            double dx = lx - ptx[i], dy = ly - pty[i], dl = hypot(dx, dy);
            if (dl > rad) kit_line(c, ptx[i] + dx / dl * rad, pty[i] + dy / dl * rad, lx, ly, kit_axis_c, 0.5, false);
        }
        kit_text(c, pf, b.x, b.y + KIT_FS_VALUE * 0.88, 0, label[i], kit_text_c);
        placed[np++] = b;
    }
}


/*
 * The x side of a point chart's plot (px, py, pw, ph): vertical grid lines
 * and tick labels at the steps of @p ax (the origin is labelled by the y
 * axis), the x title under them, and the two axis lines.
 */
static void scatter_frame(srdi_canvas *c, const kit_axis *ax, double px, double py, double pw, double ph,
                          const char *xtitle)
{
    srdi_font tf = kit_font(KIT_FS_TICK, false), lf = kit_font(KIT_FS_LABEL, false);
    char buf[64];
    for (int k = 1; k <= 5; k++) {
        double v = ax->step * k;
        if (v > ax->max + 1e-9) break;
        double gx = px + pw * v / ax->max;
        kit_line(c, gx, py, gx, py + ph, kit_grid_c, 0.5, false);
        kit_axis_label(ax, v, buf, sizeof buf);
        kit_text(c, tf, gx, py + ph + KIT_FS_TICK + 3, 1, buf, kit_muted_c);
    }
    kit_text(c, lf, px + pw / 2, py + ph + KIT_FS_TICK + KIT_FS_LABEL + 8, 1, xtitle, kit_text_c);
    kit_line(c, px, py + ph, px + pw, py + ph, kit_axis_c, 0.8, false);
    kit_line(c, px, py, px, py + ph, kit_axis_c, 0.8, false);
}

/*
 * T27: honors as points by holding rate (x) and lift (y), quadrant lines at
 * the params cut-offs, quadrant names in the corners, point labels placed
 * where they overlap nothing.
 */
static void ch_bubble_matrix(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    cats d;
    gather(t, x->def->series, 2, MAXCAT, &d);
    int n = 0;
    for (int i = 0; i < d.n; i++) if (d.ok[0][i] && d.ok[1][i]) n++;
    if (n == 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    double rcut = x->p ? srdi_params_num(x->p, "t27", "rate_cut", 0.5) : 0.5;
    double lcut = x->p ? srdi_params_num(x->p, "t27", "lift_cut", 1.5) : 1.5;
    double lmax = lcut * 1.3;
    for (int i = 0; i < d.n; i++) if (d.ok[1][i]) lmax = fmax(lmax, d.v[1][i] * 1.1);
    kit_axis ay, ax;
    kit_axis_nice(&ay, 0, lmax, 5, false);
    kit_axis_nice(&ax, 0, 1, 5, true);
    srdi_font tf = kit_font(KIT_FS_TICK, false);
    char buf[64];
    double lw = kit_axis_label_width(c, &ay) + 6;
    kit_axis_label(&ax, ax.max, buf, sizeof buf);
    double px = x->x + lw + 4, pw = x->w - lw - 6 - kit_tw(c, tf, buf) / 2, py = x->y + KIT_FS_TICK + 8;
    double ph = x->y + x->h - py - (KIT_FS_TICK + KIT_FS_LABEL + 14);
    kit_text(c, tf, x->x, x->y + KIT_FS_TICK, 0, "价值贡献度（提升度）", kit_muted_c);
    kit_value_axis(c, &ay, px, pw, py + ph, py, 0, true);
    scatter_frame(c, &ax, px, py, pw, ph, "持有率");
    double qx = px + pw * rcut / ax.max, qy = kit_ymap(&ay, lcut, py + ph, py);
    kit_line(c, qx, py, qx, py + ph, kit_pal[3], 0.9, true);
    kit_line(c, px, qy, px + pw, qy, kit_pal[3], 0.9, true);
    kit_box placed[MAXCAT * 2 + 8];
    int np = 0;
    srdi_font qf = kit_font(KIT_FS_TICK, true);
    srdi_rgba qc = {0.60, 0.60, 0.60, 1};
    const char *qn[4] = {"低普及·高价值", "高普及·高价值", "低普及·低价值", "高普及·低价值"};
    double qxs[4] = {px + 4, px + pw - 4, px + 4, px + pw - 4}, qys[4] = {py + 10, py + 10, py + ph - 4, py + ph - 4};
    for (int k = 0; k < 4; k++) {
        int al = (k % 2) ? 2 : 0;
        double w = kit_tw(c, qf, qn[k]);
        kit_text(c, qf, qxs[k], qys[k], al, qn[k], qc);
        placed[np++] = (kit_box){al ? qxs[k] - w : qxs[k], qys[k] - KIT_FS_TICK, w, KIT_FS_TICK + 2};
    }
    placed[np++] = (kit_box){px, qy - 1, pw, 2};     /* labels keep off the cut-off lines */
    placed[np++] = (kit_box){qx - 1, py, 2, ph};
    double ptx[MAXCAT], pty[MAXCAT], rad = 3.6;
    for (int i = 0; i < d.n; i++) {
        if (!(d.ok[0][i] && d.ok[1][i])) continue;
        ptx[i] = px + pw * fmin(fmax(d.v[0][i], 0), ax.max) / ax.max;
        pty[i] = kit_ymap(&ay, fmin(fmax(d.v[1][i], 0), ay.max), py + ph, py);
        placed[np++] = (kit_box){ptx[i] - rad, pty[i] - rad, 2 * rad, 2 * rad};
    }
    for (int i = 0; i < d.n; i++) {
        if (!(d.ok[0][i] && d.ok[1][i])) continue;
        /* small translucent markers with a white rim: points that (nearly)
           coincide stay visible as two overlapping discs */
        bool high = d.v[0][i] >= rcut && d.v[1][i] >= lcut;
        srdi_canvas_arc(c, ptx[i], pty[i], rad + 0.7, 0, 2 * M_PI);
        srdi_canvas_close_path(c);
        srdi_canvas_stroke(c, kit_white, 1.0, NULL, 0);
        kit_circle(c, ptx[i], pty[i], rad, kit_alpha(high ? kit_pal[3] : kit_pal[0], 0.7));
    }
    const char *plabel[MAXCAT];
    double rads[MAXCAT];
    for (int i = 0; i < d.n; i++) {
        plabel[i] = d.ok[0][i] && d.ok[1][i] ? d.label[i] : NULL;
        rads[i] = rad;
    }
    label_points(c, d.n, ptx, pty, rads, plabel, placed, np, px, py, pw, ph);
}

/*
 * M31: evaluation elements by policy importance (x, 0–100) and gap (y,
 * 0–100), bubble area ∝ attention, quadrant lines at [priority]
 * importance_cut / gap_cut and the four zones named in their corners;
 * bubbles coloured by zone, translucent with a white rim, labels placed
 * where they overlap nothing.
 */
static void ch_priority(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    cats d;
    gather(x->t, x->def->series, 3, MAXCAT, &d);
    int n = 0;
    double amax = 0;
    for (int i = 0; i < d.n; i++)
        if (d.ok[0][i] && d.ok[1][i]) {
            n++;
            if (d.ok[2][i]) amax = fmax(amax, d.v[2][i]);
        }
    if (n == 0) { kit_nodata(c, x->x, x->y, x->w, x->h); return; }
    double icut = kit_priority_param(x->p, "importance_cut", 70), gcut = kit_priority_param(x->p, "gap_cut", 50);
    kit_axis ax = {0, 100, 20, false, 0}, ay = {0, 100, 20, false, 0};
    srdi_font tf = kit_font(KIT_FS_TICK, false);
    double lw = kit_axis_label_width(c, &ay) + 6;
    double px = x->x + lw + 4, pw = x->w - lw - 6 - kit_tw(c, tf, "100") / 2, py = x->y + KIT_FS_TICK + 8;
    double ph = x->y + x->h - py - (KIT_FS_TICK + KIT_FS_LABEL + 14);
    kit_text(c, tf, x->x, x->y + KIT_FS_TICK, 0, "实际差距（分）", kit_muted_c);
    const char *note = "气泡大小：综合关注度";
    kit_text(c, tf, x->x + x->w, x->y + KIT_FS_TICK, 2, note, kit_muted_c);
    kit_value_axis(c, &ay, px, pw, py + ph, py, 0, true);
    scatter_frame(c, &ax, px, py, pw, ph, "政策重要性（分）");
    double qx = px + pw * fmin(fmax(icut, 0), 100) / 100, qy = kit_ymap(&ay, fmin(fmax(gcut, 0), 100), py + ph, py);
    kit_line(c, qx, py, qx, py + ph, kit_axis_c, 0.9, true);
    kit_line(c, px, qy, px + pw, qy, kit_axis_c, 0.9, true);
    /* zones: name in the outer corner, bubble colour */
    static const char *zone[4] = {"第二优先区", "第一优先区", "基础达标区", "保持优势区"};
    const srdi_rgba zc[4] = {kit_pal[1], kit_pal[3], kit_pal[4], kit_pal[2]};
    kit_box placed[MAXCAT * 2 + 8];
    int np = 0;
    srdi_font qf = kit_font(KIT_FS_TICK, true);
    double qxs[4] = {px + 4, px + pw - 4, px + 4, px + pw - 4}, qys[4] = {py + 10, py + 10, py + ph - 4, py + ph - 4};
    for (int k = 0; k < 4; k++) {
        int al = (k % 2) ? 2 : 0;
        double w = kit_tw(c, qf, zone[k]);
        kit_text(c, qf, qxs[k], qys[k], al, zone[k], kit_ink(zc[k]));
        placed[np++] = (kit_box){al ? qxs[k] - w : qxs[k], qys[k] - KIT_FS_TICK, w, KIT_FS_TICK + 2};
    }
    placed[np++] = (kit_box){px, qy - 1, pw, 2};
    placed[np++] = (kit_box){qx - 1, py, 2, ph};
    double ptx[MAXCAT], pty[MAXCAT], rads[MAXCAT];
    const char *plabel[MAXCAT];
    double rmax = fmin(pw, ph) * 0.075;
    for (int i = 0; i < d.n; i++) {
        plabel[i] = NULL;
        if (!(d.ok[0][i] && d.ok[1][i])) continue;
        ptx[i] = px + pw * fmin(fmax(d.v[0][i], 0), 100) / 100;
        pty[i] = kit_ymap(&ay, fmin(fmax(d.v[1][i], 0), 100), py + ph, py);
        rads[i] = d.ok[2][i] && amax > 0 ? fmax(3, rmax * sqrt(fmax(0, d.v[2][i]) / amax)) : 3;
        plabel[i] = d.label[i];
    }
    /* big bubbles first, so small ones stay on top */
    int ord[MAXCAT], m = 0;
    for (int i = 0; i < d.n; i++)
        if (plabel[i]) ord[m++] = i;
    for (int a = 1; a < m; a++)
        for (int b = a; b > 0 && rads[ord[b]] > rads[ord[b - 1]]; b--) {
            int tmp = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = tmp;
        }
    for (int k = 0; k < m; k++) {
        int i = ord[k];
        int z = (d.v[1][i] >= gcut ? 0 : 2) + (d.v[0][i] >= icut ? 1 : 0);
        srdi_canvas_arc(c, ptx[i], pty[i], rads[i] + 0.6, 0, 2 * M_PI);
        srdi_canvas_close_path(c);
        srdi_canvas_stroke(c, kit_white, 1.0, NULL, 0);
        kit_circle(c, ptx[i], pty[i], rads[i], kit_alpha(zc[z], 0.6));
        /* labels keep off the bubble's core, not its whole (large) disc */
        double core = fmin(rads[i], 5);
        placed[np++] = (kit_box){ptx[i] - core, pty[i] - core, 2 * core, 2 * core};
    }
    for (int i = 0; i < d.n; i++)
        if (plabel[i]) rads[i] = fmin(rads[i], 5) + 1;
    label_points(c, d.n, ptx, pty, rads, plabel, placed, np, px, py, pw, ph);
}

static void ch_donut(chart_ctx *x) { donut(x, x->def->series[0].col); }

/*
 * S48: four ascending steps (基础层 → 引领层) with name, subtitle,
 * thresholds and goal from params.ini [path], defaults from the seed report.
 */
static void ch_staircase(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    static const char *def_name[4] = {"基础层", "成长层", "攻坚层", "引领层"};
    static const char *def_sub[4] = {"创新型中小企业", "专精特新中小企业", "专精特新“小巨人”", "重点“小巨人”/单项冠军"};
    static const char *def_desc[4] = {"专利总量<30件；研发占比<15%", "专利总量30—100件；研发占比15%—20%",
                                      "专利总量100—200件；研发占比20%—25%", "专利总量>200件；研发占比>25%"};
    static const char *def_goal[4] = {"建立创新意识，补齐研发短板", "提升创新质量，强化产业链地位",
                                      "冲刺单项冠军，打造行业引领力", "构建产业生态，具备国际竞争力"};
    srdi_font nf = kit_font(10.5, true), sf = kit_font(KIT_FS_LABEL, false), df = kit_font(KIT_FS_TICK, false);
    double left = KIT_FS_LABEL + 10, bottom = KIT_FS_LABEL + 10;
    double px = x->x + left, pw = x->w - left - 6, py = x->y + 4, ph = x->h - bottom - 4;
    double sw = pw / 4;
    for (int k = 0; k < 4; k++) {
        char key[32];
        snprintf(key, sizeof key, "stage%d_name", k + 1);
        const char *name = x->p ? srdi_params_str(x->p, "path", key, def_name[k]) : def_name[k];
        snprintf(key, sizeof key, "stage%d_sub", k + 1);
        const char *sub = x->p ? srdi_params_str(x->p, "path", key, def_sub[k]) : def_sub[k];
        snprintf(key, sizeof key, "stage%d_desc", k + 1);
        const char *desc = x->p ? srdi_params_str(x->p, "path", key, def_desc[k]) : def_desc[k];
        snprintf(key, sizeof key, "stage%d_goal", k + 1);
        const char *goal = x->p ? srdi_params_str(x->p, "path", key, def_goal[k]) : def_goal[k];
        double h = ph * (0.30 + 0.70 * (k + 1) / 4.0);
        double bx = px + sw * k, by = py + ph - h;
        srdi_rgba col = kit_mix(kit_pal[4], kit_pal[0], k / 3.0);
        kit_rect_fill(c, bx + 1.5, by, sw - 3, h, kit_mix(col, kit_white, 0.78));
        kit_rect_fill(c, bx + 1.5, by, sw - 3, 4, col);
        double tx = bx + 8, ty = by + 20, tw = sw - 16;
        kit_text(c, nf, tx, ty, 0, name, k >= 2 ? kit_pal[0] : kit_text_c);
        char lines[4][KIT_MAXLINE];
        int nl = kit_wrap(c, sf, sub, tw, lines, 2);
        for (int l = 0; l < nl; l++) { ty += KIT_FS_LABEL * 1.35; kit_text(c, sf, tx, ty, 0, lines[l], kit_text_c); }
        ty += 4;
        /* thresholds: one line per "；"-separated item */
        const char *p = desc;
        while (p && *p) {
            const char *sep = strstr(p, "；");
            size_t len = sep ? (size_t)(sep - p) : strlen(p);
            char item[KIT_MAXLINE];
            snprintf(item, sizeof item, "%.*s", (int)(len < KIT_MAXLINE - 1 ? len : KIT_MAXLINE - 1), p);
            nl = kit_wrap(c, df, item, tw, lines, 2);
            for (int l = 0; l < nl; l++) { ty += KIT_FS_TICK * 1.35; kit_text(c, df, tx, ty, 0, lines[l], kit_muted_c); }
            p = sep ? sep + strlen("；") : NULL;
        }
        ty += 3;
        nl = kit_wrap(c, df, goal, tw, lines, 3);
        for (int l = 0; l < nl; l++) { ty += KIT_FS_TICK * 1.35; kit_text(c, df, tx, ty, 0, lines[l], kit_text_c); }
    }
    /* axes */
    kit_line(c, px, py + ph, px + pw, py + ph, kit_axis_c, 0.8, false);
    kit_line(c, px, py, px, py + ph, kit_axis_c, 0.8, false);
    kit_text(c, sf, px + pw / 2, py + ph + KIT_FS_LABEL + 5, 1, "企业成长阶段 →", kit_text_c);
    srdi_canvas_text_vertical(c, sf, x->x + KIT_FS_LABEL / 2 + 1, py + ph / 2, "创新实力层级↑", kit_text_c);
}

/* ------------------------------------------------------------- drawers */

/* The drawing function of each srdi_chart_drawer. */
static const chart_fn DRAWERS[] = {
    [SRDI_DRAW_PYRAMID] = ch_pyramid,   [SRDI_DRAW_COMBO] = ch_combo,
    [SRDI_DRAW_HBARS] = ch_hbars,       [SRDI_DRAW_QUADRANT] = ch_quadrant,
    [SRDI_DRAW_HEATMAP] = ch_heatmap,   [SRDI_DRAW_RADAR] = ch_radar,
    [SRDI_DRAW_BUBBLE_MATRIX] = ch_bubble_matrix, [SRDI_DRAW_DONUT] = ch_donut,
    [SRDI_DRAW_STAIRCASE] = ch_staircase, [SRDI_DRAW_PRIORITY] = ch_priority,
};

/*
 * Draw chart @p key into (x, y, w, h).  Standalone: title on top and a
 * 资料来源 line at the bottom, inside the box.  No table (for a table chart)
 * or a no_data table → framed 暂无数据 box.
 */
static srdi_status chart_draw(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p,
                              double x, double y, double w, double h, bool standalone, const char *title);

/* The note line(s) of @p t: "注：" + its note (unless it starts with 注), wrapped to 3 lines. */
static int note_lines(srdi_canvas *c, const srdi_table *t, double w, char lines[][KIT_MAXLINE])
{
    if (!t || !t->note || !*t->note) return 0;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s", strncmp(t->note, "注", strlen("注")) == 0 ? "" : "注：", t->note);
    return kit_wrap(c, kit_font(KIT_FS_SRC, false), buf, w, lines, 3);
}

/* Height of the note of @p t set at width @p w (0: no note). */
static double chart_note_height(srdi_canvas *c, const srdi_table *t, double w)
{
    char lines[3][KIT_MAXLINE];
    int nl = note_lines(c, t, w, lines);
    return nl ? nl * KIT_FS_SRC * 1.3 + 2 : 0;
}

/* Draw the note of @p t from the top @p y at (x, width w). */
static void chart_note(srdi_canvas *c, const srdi_table *t, double x, double y, double w)
{
    char lines[3][KIT_MAXLINE];
    int nl = note_lines(c, t, w, lines);
    for (int l = 0; l < nl; l++)
        kit_text(c, kit_font(KIT_FS_SRC, false), x, y + KIT_FS_SRC + l * KIT_FS_SRC * 1.3, 0, lines[l], kit_muted_c);
}

double srdi_chart_note_height(srdi_canvas *c, const srdi_table *t, double w)
{
    return c ? chart_note_height(c, t, w) : 0;
}

void srdi_chart_draw_note(srdi_canvas *c, const srdi_table *t, double x, double y, double w)
{
    if (c) chart_note(c, t, x, y, w);
}

srdi_status srdi_chart_draw(srdi_canvas *c, const char *key, const srdi_table *t,
                            const srdi_params *p, double x, double y, double w, double h,
                            bool standalone)
{
    return chart_draw(c, key, t, p, x, y, w, h, standalone, NULL);
}

srdi_status srdi_chart_draw_titled(srdi_canvas *c, const char *key, const srdi_table *t,
                                   const srdi_params *p, double x, double y, double w, double h,
                                   const char *title)
{
    return chart_draw(c, key, t, p, x, y, w, h, true, title);
}

static srdi_status chart_draw(srdi_canvas *c, const char *key, const srdi_table *t, const srdi_params *p,
                              double x, double y, double w, double h, bool standalone, const char *title)
{
    if (!c) return srdi_error_set(SRDI_ERR_INTERNAL, "chart: no canvas");
    const srdi_chart_def *def = srdi_chart_find(key);
    if (!def) return srdi_error_set(SRDI_ERR_INTERNAL, "chart: no chart for '%s'", key ? key : "(null)");
    if (!(w > 40 && h > 40))
        return srdi_error_set(SRDI_ERR_INTERNAL, "chart %s: box %gx%g pt is too small", def->key, w, h);
    assert((size_t)def->drawer < sizeof DRAWERS / sizeof DRAWERS[0] && DRAWERS[def->drawer]);
    char outer[sizeof c->what];   /* rendering errors name the chart (and the template line) */
    srdi_strlcpy(outer, srdi_canvas_what(c), sizeof outer);
    if (outer[0]) srdi_canvas_set_what(c, "chart %s at %s", def->key, outer);
    else srdi_canvas_set_what(c, "chart %s", def->key);
    chart_ctx cx = {c, t, p, x, y, w, h, def};
    if (standalone) {
        srdi_font tf = kit_font(KIT_FS_TITLE, true), sf = kit_font(KIT_FS_SRC, false);
        char lines[2][KIT_MAXLINE];
        int nl = kit_wrap(c, tf, title && *title ? title : def->title, w - 8, lines, 2);
        double ty = y + 6 + KIT_FS_TITLE;
        for (int l = 0; l < nl; l++) { kit_text(c, tf, x + w / 2, ty, 1, lines[l], kit_text_c); ty += KIT_FS_TITLE * 1.3; }
        const char *src = t && t->source && *t->source ? t->source : "项目组整理";
        char buf[512];
        if (strncmp(src, "资料来源", strlen("资料来源")) == 0) snprintf(buf, sizeof buf, "%s", src);
        else snprintf(buf, sizeof buf, "资料来源：%s", src);
        nl = kit_wrap(c, sf, buf, w - 16, lines, 2);
        double sy = y + h - 6 - (nl - 1) * KIT_FS_SRC * 1.3;
        for (int l = 0; l < nl; l++) kit_text(c, sf, x + 8, sy + l * KIT_FS_SRC * 1.3, 0, lines[l], kit_muted_c);
        /* the table's note (e.g. the small-sample note "样本量小于30，仅供参考") above the source */
        double nh = chart_note_height(c, t, w - 16);
        if (nh > 0) chart_note(c, t, x + 8, sy - KIT_FS_SRC - 3 - nh, w - 16);
        cx.x = x + 12;
        cx.w = w - 24;
        cx.y = ty + 2;
        cx.h = sy - KIT_FS_SRC - 8 - nh - cx.y;
    }
    if (def->table && (!t || t->no_data)) kit_nodata(c, cx.x, cx.y, cx.w, cx.h);
    else DRAWERS[def->drawer](&cx);
    srdi_canvas_set_what(c, "%s", outer);
    return srdi_canvas_status(c);
}
