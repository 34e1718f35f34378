/*
 * src/charts/charts_bars.c — column/line combos and horizontal bars of the
 * catalogue's series (SRDI_DRAW_COMBO, SRDI_DRAW_HBARS).
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
    if (!chart_gather_or_nodata(x, s, ns, topn, 1, &d)) return;

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
    if (units)
        top += KIT_FS_TICK + 12;
    else
        top += 4;

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
            if (nl < 0)
                whole = false;
            else if (nl > maxnl)
                maxnl = nl;
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
    double y0 = x->y + x->h - lab_h, y1 = top; /* plot bottom, top */
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
            if (!open)
                srdi_canvas_move_to(c, cx, cy);
            else
                srdi_canvas_line_to(c, cx, cy);
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
        if (mode == 0)
            kit_text(c, lf, cx, y0 + KIT_FS_LABEL + 4, 1, d.label[i], kit_text_c);
        else if (mode >= 2) {
            double w = kit_tw(c, lf, d.label[i]);
            cx = fmax(cx, px + w / 2); /* inside the plot's width */
            cx = fmin(cx, px + pw - w / 2);
            kit_text(c, lf, cx, y0 + KIT_FS_LABEL + 4 + (i % 2) * KIT_FS_LABEL * 1.3, 1, d.label[i], kit_text_c);
        } else {
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
            break; /* the report's text names the complete years ("图中以浅色表示") */
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
    if (!chart_gather_or_nodata(x, s, ns, topn, 1, &d)) return;
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
        for (int k = 0; k < ns; k++) {
            names[k] = series_name(x->t, &s[k]);
            cols[k] = kit_pal[k % KIT_NPAL];
        }
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

/* Columns and lines of the catalogue's series, its top-N rows. */
void chart_combo(chart_ctx *x)
{
    combo(x, x->def->series, srdi_chart_nseries(x->def), srdi_chart_topn(x->def, x->p));
}

/* Horizontal bars of the catalogue's series, its top-N rows. */
void chart_hbars(chart_ctx *x)
{
    hbars(x, x->def->series, srdi_chart_nseries(x->def), srdi_chart_topn(x->def, x->p));
}
