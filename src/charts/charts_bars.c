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

/*
 * The series of @p s (@p ns of them) with a value in some category of @p d:
 * a series with none is left out, its slot and its legend entry with it (an
 * edition without 国家级 enterprises: 西藏's 图表36 of sample n 9000 seed
 * 4242 listed 国家级 in its legend over a column of "—", its 图表5 over no
 * column at all).  The series kept go to @p out, @p d is compacted to them
 * and @p pal receives the palette index each had (the colours stay those
 * of the chart with every series).  Returns their number: @p ns when every
 * series has a value, or none has.
 */
static int keep_series(const cseries *s, int ns, cats *d, cseries *out, int *pal)
{
    int m = 0;
    for (int k = 0; k < ns; k++) {
        bool any = false;
        for (int i = 0; i < d->n && !any; i++) any = d->ok[k][i];
        if (!any) continue;
        out[m] = s[k];
        pal[m] = k;
        if (m != k) {
            memcpy(d->v[m], d->v[k], sizeof d->v[m]);
            memcpy(d->ok[m], d->ok[k], sizeof d->ok[m]);
        }
        m++;
    }
    if (m > 0 && m < ns) return m;
    for (int k = 0; k < ns; k++) {
        out[k] = s[k];
        pal[k] = k;
    }
    return ns;
}

/* ---------------------------------------------------------- column combo */

/*
 * Last complete year of a patent trend (the catalogue's lag_key: latest
 * year − [patents] grant_lag or publication_lag), 0 for other tables.  Years after it
 * are still growing (grants and decisions pending) and are drawn lighter.
 */
static int complete_year(const chart_ctx *x)
{
    return srdi_chart_complete_year(x->t, x->p);
}

/* The widest a column is drawn (points). */
#define COL_MAX 48.0

/* Plot geometry and per-series facts of one combo chart, shared by its steps. */
typedef struct combo_plot {
    srdi_coltype type[MAXSER];           /* column type of each series */
    int dec[MAXSER];                     /* its decimals (-1 unknown) */
    int colidx[MAXSER];                  /* a column series' place in its category group */
    int pal[MAXSER];                     /* its palette index (keep_series) */
    int ncol;                            /* column series */
    bool has_axis[2];                    /* left / right value axis used */
    bool pct[2];                         /* the axis shows shares only */
    bool whole[2];                       /* the axis shows counts only (ticks at whole numbers) */
    const char *unit[2];                 /* the axis unit ("%" for shares, "" none) */
    kit_axis ax[2];                      /* the value axes */
    double px, pw, slot;                 /* plot left, width, one category's width */
    double y0, y1;                       /* plot bottom, top */
    double head;                         /* free room above the plot top (value labels may use it) */
    int mode, maxnl;                     /* category label mode (combo_label_mode), wrapped lines */
    char abbr[MAXCAT][64];               /* shortened category labels (d.label points here) */
    kit_box placed[MAXCAT * MAXSER * 2 + 4]; /* value labels, markers and unit captions drawn so far */
    kit_box colbox[MAXCAT * MAXSER];     /* the columns (line labels keep off them) */
    int ncolbox;
    double seg[MAXCAT * MAXSER][4];      /* the lines' segments x0, y0, x1, y1 (line labels keep off them) */
    int nseg;
    int nplaced;
    bool zero_said[MAXCAT]; /* a "0" label drawn in this category (one for all its zero values) */
    double zero_y[MAXCAT];  /* the height of the zero values it speaks for */
} combo_plot;

/* Types, units and value ranges of the series; the nice value axes. */
static void combo_axes(const chart_ctx *x, const cseries *s, int ns, const cats *d, combo_plot *p)
{
    double vmax[2] = {0, 0}, vmin[2] = {0, 0};
    p->ncol = 0;
    for (int a = 0; a < 2; a++) {
        p->has_axis[a] = false;
        p->pct[a] = true;
        p->whole[a] = true;
        p->unit[a] = "";
    }
    for (int k = 0; k < ns; k++) {
        series_type(x->t, &s[k], &p->type[k], &p->dec[k]);
        int a = s[k].axis;
        p->has_axis[a] = true;
        if (p->type[k] != SRDI_COL_SHARE) p->pct[a] = false;
        if (p->type[k] != SRDI_COL_COUNT) p->whole[a] = false;
        const srdi_tcol *col = kit_col(x->t, s[k].col);
        if (col && col->unit && *col->unit && !*p->unit[a]) p->unit[a] = col->unit;
        if (s[k].kind == 0) p->colidx[k] = p->ncol++;
        for (int i = 0; i < d->n; i++)
            if (d->ok[k][i]) {
                if (d->v[k][i] > vmax[a]) vmax[a] = d->v[k][i];
                if (d->v[k][i] < vmin[a]) vmin[a] = d->v[k][i];
            }
    }
    for (int a = 0; a < 2; a++) {
        kit_axis_nice(&p->ax[a], vmin[a], vmax[a] * 1.08, 5, p->pct[a]);
        /* shares of a whole end at 100% at most (a 100% column reaches the top) */
        if (p->pct[a] && vmax[a] <= 1 + 1e-9) kit_axis_cap(&p->ax[a], 1);
    }
    /* every value axis is titled with its unit (a share axis: %) */
    for (int a = 0; a < 2; a++)
        if (p->pct[a]) p->unit[a] = "%";
}

/* An axis from 0 holding @p hi on @p n intervals; with @p whole (counts) a step of at least 1. */
static void axis_on(kit_axis *a, double hi, int n, bool pct, bool whole)
{
    kit_axis_intervals(a, hi, n, pct);
    if (whole && a->step < 1 - 1e-9) {
        a->step = 1;
        a->max = a->min + n;
        a->dec = 0;
    }
}

/*
 * Columns on the left axis and a line on the right: the axes are chosen so
 * the line runs above the columns and their value labels, where it can —
 * the left axis gets headroom (the columns use the lower part of the plot)
 * and the right axis the same number of intervals (grid lines shared), its
 * step the smallest 1-2-5 step that holds the line.  Of the candidate
 * headrooms (up to 4×: a line point never sits on a column top, even when
 * the columns get short) the first that clears every category wins, else
 * the one with the fewest categories where a line point sits on a column;
 * the clearance is a column's value label, or only the marker where the
 * columns carry no labels (more than 16).  Axes of shares of a whole (all
 * values ≤ 100%) end at 100% at most.
 * @param ph the plot height in points (the clearance is in points)
 */
static void combo_fit_dual(const cseries *s, int ns, const cats *d, combo_plot *p, double ph)
{
    if (!p->has_axis[0] || !p->has_axis[1] || ph <= 0) return;
    double bmax = 0, lmax = 0;
    bool cols = false, lines = false;
    for (int k = 0; k < ns; k++) {
        if (s[k].kind == 0 && s[k].axis == 0) cols = true;
        if (s[k].kind == 1 && s[k].axis == 1) lines = true;
        for (int i = 0; i < d->n; i++) {
            if (!d->ok[k][i]) continue;
            if (d->v[k][i] < 0) return; /* negative values: keep the plain axes */
            double *m = s[k].axis == 0 ? &bmax : &lmax;
            if (d->v[k][i] > *m) *m = d->v[k][i];
        }
    }
    if (!cols || !lines || !(bmax > 0) || !(lmax > 0)) return;
    /* a column's value label (7.5 pt + gap) and the marker (3 pt) below the
       line point; without column labels (more than 16 columns) the marker */
    double clear = (d->n * p->ncol <= 16 ? KIT_FS_VALUE + 4 + 4 : 3 + 3) / ph;
    static const double headroom[] = {1.08, 1.3, 1.6, 2.0, 2.5, 3.0, 4.0};
    bool lcap = p->pct[0] && bmax <= 1 + 1e-9, rcap = p->pct[1] && lmax <= 1 + 1e-9;
    int best_bad = -1;
    kit_axis best[2] = {p->ax[0], p->ax[1]};
    /* a second round tries fewer intervals, where every grid of the first
       leaves a line point on a column (a share axis held at 100% has few
       1-2-5 grids: 宁夏's 图表19 of sample n 9000 seed 4242 set the 72.73%
       column's label on the line's first point; 0–100% by 50% holds the
       line above it) */
    for (int round = 0; round < 2 && best_bad != 0; round++)
    for (size_t h = 0; h < sizeof headroom / sizeof headroom[0] && best_bad != 0; h++) {
        kit_axis nat;
        kit_axis_nice(&nat, 0, bmax * headroom[h], 5, p->pct[0]);
        int n0 = (int)llround((nat.max - nat.min) / nat.step);
        if (n0 < 2) n0 = 2;
        /* the natural number of intervals and two more (a finer step fits
           the line closer); where counts would tick below 1 also fewer,
           down to 2 (small counts: 0–4 by 2 on the left, 0–2 by 1 on the right) */
        bool forced = (p->whole[0] && bmax * headroom[h] / n0 < 1) || (p->whole[1] && lmax * 1.08 / n0 < 1);
        int q0 = round == 0 ? 0 : forced ? 3 + n0 - 2 : 3, ns_try = round == 0 && !forced ? 3 : 3 + n0 - 2;
        for (int q = q0; q < ns_try && best_bad != 0; q++) {
            int n = q < 3 ? n0 + q : n0 - (q - 2);
            kit_axis l, r;
            axis_on(&l, lcap ? fmin(bmax * headroom[h], 1) : bmax * headroom[h], n, p->pct[0], p->whole[0]);
            axis_on(&r, lmax * 1.08, n, p->pct[1], p->whole[1]); /* the line (+ its label) on n intervals */
            /* a share axis of shares of a whole ends at 100% at most */
            if ((lcap && l.max > 1 + 1e-9) || (rcap && r.max > 1 + 1e-9)) continue;
            int bad = 0;
            for (int i = 0; i < d->n; i++) {
                double top = 0, low = 2;
                for (int k = 0; k < ns; k++) {
                    if (!d->ok[k][i]) continue;
                    if (s[k].kind == 0 && s[k].axis == 0) top = fmax(top, d->v[k][i] / l.max);
                    if (s[k].kind == 1 && s[k].axis == 1) low = fmin(low, d->v[k][i] / r.max);
                }
                if (low <= 1 && low < top + clear) bad++;
            }
            if (best_bad < 0 || bad < best_bad) {
                best_bad = bad;
                best[0] = l;
                best[1] = r;
            }
        }
    }
    if (best_bad < 0) {
        /* no candidate (a share axis held at 100%): the right axis takes
           the left one's intervals, so the grid is still shared */
        int n = (int)llround((p->ax[0].max - p->ax[0].min) / p->ax[0].step);
        axis_on(&best[1], lmax * 1.08, n, p->pct[1], p->whole[1]);
    }
    p->ax[0] = best[0];
    p->ax[1] = best[1];
}

/*
 * A count axis has whole-number ticks: a small edition's counts (0–3
 * patents, 0–1 applicants) had ticks of 0.5 and 0.2 件.  A step under 1
 * becomes 1; two axes keep the same number of intervals (a shared grid).
 */
static void combo_whole_axes(combo_plot *p)
{
    bool changed = false;
    for (int a = 0; a < 2; a++) {
        kit_axis *ax = &p->ax[a];
        if (!p->has_axis[a] || !p->whole[a] || ax->step >= 1 - 1e-9) continue;
        ax->step = 1;
        ax->min = floor(ax->min + 1e-9);
        ax->max = fmax(ceil(ax->max - 1e-9), ax->min + 1);
        ax->dec = 0;
        changed = true;
    }
    if (!changed || !p->has_axis[0] || !p->has_axis[1]) return;
    long n[2];
    for (int a = 0; a < 2; a++) n[a] = lround((p->ax[a].max - p->ax[a].min) / p->ax[a].step);
    long m = n[0] > n[1] ? n[0] : n[1];
    for (int a = 0; a < 2; a++) p->ax[a].max = p->ax[a].min + (double)m * p->ax[a].step;
}

/*
 * The legend (several series or a line) at @p top; returns the height used.
 * @p several: the chart is drawn for several series (one may be left out,
 * keep_series: the legend names the one drawn).
 */
static double combo_legend(const chart_ctx *x, const cseries *s, int ns, const combo_plot *p, bool several,
                           double top)
{
    if (ns <= 1 && s[0].kind != 1 && !several) return 0;
    const char *names[MAXSER];
    srdi_rgba cols[MAXSER];
    int kinds[MAXSER];
    for (int k = 0; k < ns; k++) {
        names[k] = series_name(x->t, &s[k]);
        cols[k] = kit_pal[p->pal[k] % KIT_NPAL];
        kinds[k] = s[k].kind == 1 ? KIT_LEG_LINE : KIT_LEG_BOX;
    }
    return kit_legend(x->c, x->x + x->w / 2, top, names, cols, kinds, ns) + 6;
}

/* Labels that do not fit their slot drop an administrative suffix (深圳市 → 深圳) before they wrap. */
static void combo_drop_suffixes(srdi_canvas *c, srdi_font lf, cats *d, combo_plot *p)
{
    for (int i = 0; i < d->n; i++) {
        if (kit_tw(c, lf, d->label[i]) <= p->slot - 3) continue;
        size_t n = strlen(d->label[i]), sl = strlen("市");
        if (n >= 3 * sl && n < sizeof p->abbr[i] &&
            (memcmp(d->label[i] + n - sl, "市", sl) == 0 || memcmp(d->label[i] + n - sl, "省", sl) == 0)) {
            memcpy(p->abbr[i], d->label[i], n - sl);
            p->abbr[i][n - sl] = '\0';
            d->label[i] = p->abbr[i];
        }
    }
}

/*
 * How the category labels are set (p->mode, p->maxnl), returning their
 * height: 0 one line; 1 wrapped at word boundaries into two lines (names
 * stay whole); 2 staggered on two rows, each label with two slots of room;
 * 3 staggered and shortened with "…" where a label is longer still.  Never
 * one character per line.
 */
static double combo_label_mode(srdi_canvas *c, srdi_font lf, cats *d, combo_plot *p)
{
    double slot = p->slot, maxw = 0;
    for (int i = 0; i < d->n; i++) {
        double w = kit_tw(c, lf, d->label[i]);
        if (w > maxw) maxw = w;
    }
    p->mode = 0;
    p->maxnl = 1;
    if (maxw <= slot - 3) return KIT_FS_LABEL * 1.3 + 6;
    bool whole = true;
    char lines[2][KIT_MAXLINE];
    for (int i = 0; i < d->n && whole; i++) {
        int nl = kit_wrap_whole(c, lf, d->label[i], slot - 3, lines, 2);
        if (nl < 0)
            whole = false;
        else if (nl > p->maxnl)
            p->maxnl = nl;
    }
    /* staggered: two slots of room, the first and the last label one
       and a half (they are kept inside the plot's width) */
    bool fits = true;
    for (int i = 0; i < d->n && fits; i++)
        fits = kit_tw(c, lf, d->label[i]) <= (i == 0 || i == d->n - 1 ? 1.5 * slot - 3 : 2 * slot - 6);
    p->mode = whole ? 1 : fits ? 2 : 3;
    for (int i = 0; p->mode == 3 && i < d->n; i++) {
        char tmp[64];
        double room = i == 0 || i == d->n - 1 ? 1.5 * slot - 3 : 2 * slot - 6;
        if (kit_abbrev(c, lf, d->label[i], room, tmp, sizeof tmp)) {
            memcpy(p->abbr[i], tmp, sizeof tmp);
            d->label[i] = p->abbr[i];
        }
    }
    return KIT_FS_LABEL * 1.3 * (p->mode == 1 ? p->maxnl : 2) + 6;
}

/* "单位：…" above each value axis that has a unit, at baseline @p unit_y. */
static void combo_unit_captions(const chart_ctx *x, const combo_plot *p, double unit_y)
{
    srdi_font tick = kit_font(KIT_FS_TICK, false);
    for (int a = 0; a < 2; a++) {
        if (!p->has_axis[a] || !*p->unit[a]) continue;
        char buf[64];
        snprintf(buf, sizeof buf, "单位：%s", p->unit[a]);
        kit_text(x->c, tick, a == 0 ? x->x : x->x + x->w, unit_y, a == 0 ? 0 : 2, buf, kit_muted_c);
    }
}

/* The unit captions' boxes (combo_unit_captions at baseline @p unit_y): value labels keep clear of them. */
static void combo_place_captions(const chart_ctx *x, combo_plot *p, double unit_y)
{
    srdi_font tick = kit_font(KIT_FS_TICK, false);
    for (int a = 0; a < 2; a++) {
        if (!p->has_axis[a] || !*p->unit[a]) continue;
        char buf[64];
        snprintf(buf, sizeof buf, "单位：%s", p->unit[a]);
        double w = kit_tw(x->c, tick, buf);
        p->placed[p->nplaced++] = (kit_box){a == 0 ? x->x : x->x + x->w - w, unit_y - KIT_FS_TICK, w, KIT_FS_TICK + 2};
    }
}

/*
 * Value label @p buf of a column whose top centre is (cx, by): above the
 * column, dark; where a line marker or another label is in the way it moves
 * up past it (never into the column in white), and is dropped when it
 * would leave the plot and the free room above it (p->head).
 */
static bool combo_column_label(srdi_canvas *c, combo_plot *p, double cx, double by, const char *buf)
{
    double fs = KIT_FS_VALUE;
    srdi_font vf = kit_font(fs, false);
    double w = kit_tw(c, vf, buf);
    kit_box b = {cx - w / 2, by - 2.5 - fs, w, fs + 1};
    bool clash = true;
    for (int guard = 0; clash && guard < 8; guard++) {
        clash = false;
        for (int j = 0; j < p->nplaced && !clash; j++)
            if (kit_box_overlap(b, p->placed[j])) {
                clash = true;
                b.y = p->placed[j].y - 1.5 - b.h;
            }
    }
    if (clash || b.y < p->y1 - fmax(fs, p->head)) return false;
    kit_text(c, vf, cx, b.y + fs, 1, buf, kit_text_c);
    p->placed[p->nplaced++] = b;
    return true;
}

/*
 * The columns of series @p k (@p sk, colour @p k), or (@p label_pass) their
 * value labels where they fit — drawn after the veil of immature years, so
 * every label prints at full strength.  A column of zero has no label of
 * its own: a category whose columns are all zero gets one "0" over the
 * middle of its group (from its first series, @p s0 of @p ns), one where
 * some are not gets none — never "0.00% 0.00%" side by side.
 */
static void combo_columns(srdi_canvas *c, const cseries *s0, int ns, const cats *d, int k, combo_plot *p,
                          bool label_pass)
{
    const cseries *sk = &s0[k];
    const kit_axis *a = &p->ax[sk->axis];
    /* a column is at most COL_MAX wide: a chart of one or two categories
       keeps columns of the usual width, centred in their slots */
    double slot = p->slot, group = fmin(slot * (p->ncol > 1 ? 0.78 : 0.6), COL_MAX * p->ncol);
    double cw = p->ncol ? group / p->ncol : 0;
    char buf[64];
    /* value labels only when the widest fits its column slot at the
       value size (chart text is never set below 7.5 pt) */
    double widest = 0;
    for (int i = 0; i < d->n; i++)
        if (d->ok[k][i]) {
            kit_fmt(d->v[k][i], p->type[k], p->dec[k], buf, sizeof buf);
            double w = kit_tw(c, kit_font(KIT_FS_VALUE, false), buf);
            if (w > widest) widest = w;
        }
    double room = p->ncol > 1 ? cw + (slot - group) * 0.5 : slot * 0.95;
    bool labels = widest <= room && d->n * p->ncol <= 16;
    for (int i = 0; i < d->n; i++) {
        if (!d->ok[k][i]) continue;
        double bx = p->px + slot * i + (slot - group) / 2 + cw * p->colidx[k];
        double by = kit_ymap(a, d->v[k][i], p->y0, p->y1), bz = kit_ymap(a, 0, p->y0, p->y1);
        if (!label_pass) {
            kit_rect_fill(c, bx, by, cw * 0.92, bz - by, kit_pal[p->pal[k] % KIT_NPAL]);
            p->colbox[p->ncolbox++] = (kit_box){bx, fmin(by, bz), cw * 0.92, fabs(bz - by)};
        } else if (labels) {
            kit_fmt(d->v[k][i], p->type[k], p->dec[k], buf, sizeof buf);
            if (!kit_label_is_zero(buf)) {
                combo_column_label(c, p, bx + cw * 0.46, by, buf);
                continue;
            }
            bool all_zero = true, first = true;
            for (int j = 0; j < ns; j++) {
                if (s0[j].kind != 0 || !d->ok[j][i]) continue;
                char other[64];
                kit_fmt(d->v[j][i], p->type[j], p->dec[j], other, sizeof other);
                all_zero = all_zero && kit_label_is_zero(other);
                if (j < k) first = false;
            }
            if (all_zero && first && combo_column_label(c, p, p->px + slot * (i + 0.5), bz, buf)) {
                p->zero_said[i] = true;
                p->zero_y[i] = bz;
            }
        }
    }
}

/*
 * Marker boxes of the line series (column value labels keep clear of
 * them) and the lines' segments (line value labels keep off them).
 */
static void combo_place_markers(const cseries *s, int ns, const cats *d, combo_plot *p)
{
    p->nseg = 0;
    for (int k = 0; k < ns; k++)
        for (int i = 0; i < d->n && s[k].kind == 1; i++)
            if (d->ok[k][i]) {
                double cx = p->px + p->slot * (i + 0.5), cy = kit_ymap(&p->ax[s[k].axis], d->v[k][i], p->y0, p->y1);
                p->placed[p->nplaced++] = (kit_box){cx - 3, cy - 3, 6, 6};
                if (i + 1 < d->n && d->ok[k][i + 1]) {
                    double *g = p->seg[p->nseg++];
                    g[0] = cx;
                    g[1] = cy;
                    g[2] = cx + p->slot;
                    g[3] = kit_ymap(&p->ax[s[k].axis], d->v[k][i + 1], p->y0, p->y1);
                }
            }
}

/*
 * Value label @p buf of the line point at (cx, cy) (colour @p col), on a
 * white ground.  Every line label sits above its point where it can, so
 * the placement reads the same across the chart: centred; else moved to
 * the right or the left of the point, off a line segment that would run
 * through it (the end of a steep fall); else one label height higher, to
 * the side, then up to three heights higher centred (the foot of a steep
 * V: 宁夏's 图表43 of sample n 9000 seed 4242, 100% → 0% → 100%, drew no
 * label on the 0%).  A label may rise into the free room over the plot
 * (p->head: a point at the top of the axis, 100%, has its label above it).
 * Only where nothing above is free does it go below the point.  Off the
 * columns first, else over a column (on its white ground, as for a line
 * point inside the column of a one-category chart); skipped if it would
 * still collide.  Returns whether it was drawn.
 */
static bool combo_line_label(srdi_canvas *c, double cx, double cy, srdi_rgba col, const char *buf, combo_plot *p)
{
    srdi_font vf = kit_font(KIT_FS_VALUE, false);
    double w = kit_tw(c, vf, buf), h = KIT_FS_VALUE + 1, side = w / 2 + 2;
    if (w > p->slot * 0.98) return false;
    const double up = cy - 5 - KIT_FS_VALUE, down = cy + 5, hh = h + 1;
    const double cand[][2] = {{0, up},          {side, up},          {-side, up},      {0, up - hh},
                              {side, up - hh},  {-side, up - hh},    {0, up - 2 * hh}, {0, up - 3 * hh},
                              {0, down},        {side, down},        {-side, down}};
    const int nc = (int)(sizeof cand / sizeof cand[0]);
    for (int pass = 0; pass < 2; pass++)
        for (int q = 0; q < nc; q++) {
            kit_box b = {cx + cand[q][0] - w / 2, cand[q][1], w, h};
            bool clash = b.y < p->y1 - fmax(2, p->head) || b.y + b.h > p->y0 || b.x < p->px - 2 ||
                         b.x + b.w > p->px + p->pw + 2;
            for (int j = 0; j < p->nplaced && !clash; j++) clash = kit_box_overlap(b, p->placed[j]);
            /* off the columns first; over a column (on the white ground) when nothing else is left */
            for (int j = 0; j < p->ncolbox && !clash && pass == 0; j++) clash = kit_box_overlap(b, p->colbox[j]);
            /* the places added for the foot of a V (to the side one height up, two and three heights
               up) only off the columns: over a column they would read as its label */
            if (pass == 1 && q >= 4 && q < 8) continue;
            /* nor two or three heights over a column standing between it and its point */
            kit_box strip = {b.x, b.y, b.w, cy - b.y};
            for (int j = 0; j < p->ncolbox && !clash && q >= 6 && q < 8; j++)
                clash = kit_box_overlap(strip, p->colbox[j]);
            /* the white ground and the half width of a line (1.6 pt): a line passing closer is cut by the ground */
            kit_box g = {b.x - 1.5 - 0.8, b.y - 0.5 - 0.8, b.w + 3 + 1.6, b.h + 1 + 1.6};
            for (int j = 0; j < p->nseg && !clash; j++)
                clash = kit_seg_box(p->seg[j][0], p->seg[j][1], p->seg[j][2], p->seg[j][3], g);
            if (clash) continue;
            kit_rect_fill(c, b.x - 1.5, b.y - 0.5, b.w + 3, b.h + 1, kit_alpha(kit_white, 0.85));
            kit_text(c, vf, b.x + w / 2, b.y + KIT_FS_VALUE * 0.9, 1, buf, kit_ink(col));
            p->placed[p->nplaced++] = b;
            return true;
        }
    return false;
}

/*
 * The line of series @p k (@p sk): broken where a value is missing, with
 * markers; or (@p label_pass) its value labels.
 */
static void combo_line(srdi_canvas *c, const cseries *sk, const cats *d, int k, combo_plot *p, bool label_pass)
{
    const kit_axis *a = &p->ax[sk->axis];
    srdi_rgba col = kit_pal[p->pal[k] % KIT_NPAL];
    bool open = false;
    for (int i = 0; label_pass && i < d->n && d->n <= 12; i++) {
        /* value labels of lines: only when categories are few */
        if (!d->ok[k][i]) continue;
        double cx = p->px + p->slot * (i + 0.5), cy = kit_ymap(a, d->v[k][i], p->y0, p->y1);
        char buf[64];
        kit_fmt(d->v[k][i], p->type[k], p->dec[k], buf, sizeof buf);
        bool zero = kit_label_is_zero(buf);
        /* one "0" for the zero values of a category that sit at one height
           (the columns' or another line's) */
        if (zero && p->zero_said[i] && fabs(cy - p->zero_y[i]) < 1) continue;
        if (combo_line_label(c, cx, cy, col, buf, p) && zero && !p->zero_said[i]) {
            p->zero_said[i] = true;
            p->zero_y[i] = cy;
        }
    }
    if (label_pass) return;
    for (int i = 0; i < d->n; i++) {
        if (!d->ok[k][i]) {
            if (open) srdi_canvas_stroke(c, col, 1.6, NULL, 0);
            open = false;
            continue;
        }
        double cx = p->px + p->slot * (i + 0.5), cy = kit_ymap(a, d->v[k][i], p->y0, p->y1);
        if (!open)
            srdi_canvas_move_to(c, cx, cy);
        else
            srdi_canvas_line_to(c, cx, cy);
        open = true;
    }
    if (open) srdi_canvas_stroke(c, col, 1.6, NULL, 0);
    for (int i = 0; i < d->n; i++) {
        if (!d->ok[k][i]) continue;
        double cx = p->px + p->slot * (i + 0.5), cy = kit_ymap(a, d->v[k][i], p->y0, p->y1);
        kit_circle(c, cx, cy, 3.0, kit_white);
        kit_circle(c, cx, cy, 2.2, col);
    }
}

/* The category labels under the plot, set as p->mode says. */
static void combo_categories(srdi_canvas *c, srdi_font lf, const cats *d, const combo_plot *p)
{
    double y = p->y0 + KIT_FS_LABEL + 4;
    for (int i = 0; i < d->n; i++) {
        double cx = p->px + p->slot * (i + 0.5);
        if (p->mode == 0)
            kit_text(c, lf, cx, y, 1, d->label[i], kit_text_c);
        else if (p->mode >= 2) {
            double w = kit_tw(c, lf, d->label[i]);
            cx = fmax(cx, p->px + w / 2); /* inside the plot's width */
            cx = fmin(cx, p->px + p->pw - w / 2);
            kit_text(c, lf, cx, y + (i % 2) * KIT_FS_LABEL * 1.3, 1, d->label[i], kit_text_c);
        } else {
            char lines[2][KIT_MAXLINE];
            int nl = kit_wrap(c, lf, d->label[i], p->slot - 3, lines, p->maxnl);
            for (int l = 0; l < nl; l++) kit_text(c, lf, cx, y + l * KIT_FS_LABEL * 1.3, 1, lines[l], kit_text_c);
        }
    }
}

/*
 * Immature patent years (after the trend's complete year): a white veil
 * makes them lighter.  The baseline at @p base is part of the frame, not of
 * the data: it is drawn again over the veil, one tone across the plot (it
 * turned pale grey under the veiled years).
 */
static void combo_veil(const chart_ctx *x, const cats *d, const combo_plot *p, double base)
{
    int cy = complete_year(x);
    for (int i = 0; cy > 0 && i < d->n; i++)
        if (atoi(d->label[i]) > cy) {
            double vx = p->px + p->slot * i;
            kit_rect_fill(x->c, vx, p->y1, p->slot * (d->n - i), p->y0 - p->y1, (srdi_rgba){1, 1, 1, 0.6});
            kit_line(x->c, vx, base, p->px + p->pw, base, kit_axis_c, 0.8, false);
            break; /* the report's text names the complete years ("图中以浅色表示") */
        }
}

/*
 * Columns (kind 0) and lines (kind 1) over categories along x; series on
 * axis 1 use a second value axis on the right, sharing the grid (columns
 * below the line where the axes allow, combo_fit_dual).  Category labels
 * run horizontally, wrap to two lines at word boundaries, or stagger on
 * two rows when crowded (combo_label_mode); value labels come last, over
 * the veil of immature years.
 */
static void combo(chart_ctx *x, const cseries *s, int ns, int topn)
{
    srdi_canvas *c = x->c;
    cats d;
    if (!chart_gather_or_nodata(x, s, ns, topn, 1, &d)) return;
    cseries kept[MAXSER];
    int pal[MAXSER], ns0 = ns;
    ns = keep_series(s, ns, &d, kept, pal);
    s = kept;
    /* last categories with no value in any series (T32's latest application
       year, none of its applications decided yet) are not drawn: an axis
       point with nothing at it reads as a value left out */
    for (bool any = false; d.n > 1 && !any;) {
        for (int k = 0; k < ns && !any; k++) any = d.ok[k][d.n - 1];
        if (!any) d.n--;
    }
    /* one category (a city edition's own city): a line would be a lone
       point, drawn inside or on its column; each line series is drawn as a
       column on its own axis beside it, both values labelled above */
    cseries one[MAXSER];
    if (d.n == 1 && ns <= MAXSER) {
        for (int k = 0; k < ns; k++) {
            one[k] = s[k];
            one[k].kind = 0;
        }
        s = one;
    }
    combo_plot p;
    memcpy(p.pal, pal, sizeof p.pal);
    combo_axes(x, s, ns, &d, &p);
    if (d.n == 1 && p.has_axis[0] && p.has_axis[1]) {
        /* the right axis on the left one's intervals: the grid is shared */
        double hi = 0;
        for (int k = 0; k < ns; k++)
            if (s[k].axis == 1 && d.ok[k][0]) hi = fmax(hi, d.v[k][0]);
        int n = (int)llround((p.ax[0].max - p.ax[0].min) / p.ax[0].step);
        if (hi > 0 && n > 0) axis_on(&p.ax[1], hi * 1.08, n, p.pct[1], p.whole[1]);
    }

    double leg = combo_legend(x, s, ns, &p, ns0 > 1, x->y), top = x->y + leg;
    /* unit captions above the axes */
    bool units = (p.has_axis[0] && *p.unit[0]) || (p.has_axis[1] && *p.unit[1]);
    double unit_y = top + KIT_FS_TICK;
    top += units ? KIT_FS_TICK + 12 : 4;
    /* value labels may rise into the unit captions' row (the captions sit
       at its ends), up to 2 pt under the legend's 12 pt row */
    p.head = top - x->y - (leg > 0 ? 14 : 0);
    /* the plot height, category labels on two lines at most */
    combo_fit_dual(s, ns, &d, &p, x->y + x->h - top - (KIT_FS_LABEL * 1.3 * 2 + 6));
    combo_whole_axes(&p);

    double lw = kit_axis_label_width(c, &p.ax[0]) + 6;
    double rw = p.has_axis[1] ? kit_axis_label_width(c, &p.ax[1]) + 6 : 6;
    p.px = x->x + lw;
    p.pw = x->w - lw - rw;
    p.slot = p.pw / d.n;

    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    combo_drop_suffixes(c, lf, &d, &p);
    double lab_h = combo_label_mode(c, lf, &d, &p);
    p.y0 = x->y + x->h - lab_h;
    p.y1 = top;
    combo_unit_captions(x, &p, unit_y);
    if (p.has_axis[0]) kit_value_axis(c, &p.ax[0], p.px, p.pw, p.y0, p.y1, 0, true);
    if (p.has_axis[1]) kit_value_axis(c, &p.ax[1], p.px, p.pw, p.y0, p.y1, 1, !p.has_axis[0]);

    p.nplaced = p.ncolbox = 0;
    memset(p.zero_said, 0, sizeof p.zero_said);
    combo_place_captions(x, &p, unit_y);
    combo_place_markers(s, ns, &d, &p);
    for (int k = 0; k < ns; k++)
        if (s[k].kind == 0) combo_columns(c, s, ns, &d, k, &p, false);
    /* baseline */
    double base = kit_ymap(&p.ax[0], 0, p.y0, p.y1);
    kit_line(c, p.px, base, p.px + p.pw, base, kit_axis_c, 0.8, false);
    for (int k = 0; k < ns; k++)
        if (s[k].kind == 1) combo_line(c, &s[k], &d, k, &p, false);
    combo_veil(x, &d, &p, base);
    /* value labels over the veil: columns first (they keep clear of the markers), then lines */
    for (int k = 0; k < ns; k++)
        if (s[k].kind == 0) combo_columns(c, s, ns, &d, k, &p, true);
    for (int k = 0; k < ns; k++)
        if (s[k].kind == 1) combo_line(c, &s[k], &d, k, &p, true);
    combo_categories(c, lf, &d, &p);
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
    cseries kept[MAXSER];
    int pal[MAXSER], ns0 = ns;
    ns = keep_series(s, ns, &d, kept, pal);
    s = kept;
    srdi_coltype type[MAXSER];
    int dec[MAXSER];
    double vmax = 0;
    for (int k = 0; k < ns; k++) {
        series_type(x->t, &s[k], &type[k], &dec[k]);
        for (int i = 0; i < d.n; i++)
            if (d.ok[k][i] && d.v[k][i] > vmax) vmax = d.v[k][i];
    }
    double top = x->y;
    if (ns0 > 1) {
        const char *names[MAXSER];
        srdi_rgba cols[MAXSER];
        for (int k = 0; k < ns; k++) {
            names[k] = series_name(x->t, &s[k]);
            cols[k] = kit_pal[pal[k] % KIT_NPAL];
        }
        top += kit_legend(c, x->x + x->w / 2, top, names, cols, NULL, ns) + 6;
    }
    double ph = x->y + x->h - top, slot = ph / d.n;
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    double maxlab = 0;
    for (int i = 0; i < d.n; i++) maxlab = fmax(maxlab, kit_tw(c, lf, d.label[i]));
    double labw = fmin(maxlab, x->w * 0.36);
    int maxlines = slot >= KIT_FS_LABEL * 2.7 ? 2 : 1;
    double pitch = KIT_FS_LABEL * 1.3;
    /* a label a single line cannot hold is not cut short ("37铁路、船舶、航空
       航天和其他运输设备…" of a 德阳市 edition's 图表21, 12 bars): the label
       column widens to 45% of the chart, else two lines set closer (1.1)
       where the bar's slot holds them */
    if (maxlines == 1 && maxlab > labw) labw = fmin(maxlab, x->w * 0.45);
    if (maxlines == 1 && maxlab > labw && slot >= KIT_FS_LABEL * 2.3) {
        maxlines = 2;
        pitch = KIT_FS_LABEL * 1.1;
    }
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
            kit_text_mid(c, lf, px - 6, cy + (l - (nl - 1) / 2.0) * pitch, 2, lines[l], kit_text_c);
        /* zero bars: one "0" in the middle of the band when every bar of the
           category is zero, none beside a bar that is not (combo_columns) */
        int nzero = 0, nok = 0;
        for (int k = 0; k < ns; k++)
            if (d.ok[k][i]) {
                nok++;
                kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
                nzero += kit_label_is_zero(buf);
            }
        bool zero_said = false;
        for (int k = 0; k < ns; k++) {
            double by = cy - band / 2 + bh * k;
            if (!d.ok[k][i]) {
                kit_text_mid(c, vf, px + 3, by + bh / 2, 0, "—", kit_muted_c);
                continue;
            }
            double len = fmax(0, d.v[k][i]) / vmax * pw;
            kit_rect_fill(c, px, by + bh * 0.06, len, bh * 0.88, kit_pal[pal[k] % KIT_NPAL]);
            kit_fmt(d.v[k][i], type[k], dec[k], buf, sizeof buf);
            if (!kit_label_is_zero(buf)) {
                kit_text_mid(c, vf, px + len + 3, by + bh / 2, 0, buf, kit_text_c);
            } else if (nzero == nok && nok > 1 && !zero_said) {
                kit_text_mid(c, vf, px + 3, cy, 0, buf, kit_text_c);
                zero_said = true;
            } else if (nok == 1) {
                kit_text_mid(c, vf, px + len + 3, by + bh / 2, 0, buf, kit_text_c);
            }
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
