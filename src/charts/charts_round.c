/*
 * src/charts/charts_round.c — the round charts: the five-dimension radar
 * against its reference ring (SRDI_DRAW_RADAR) and the donut of shares
 * (SRDI_DRAW_DONUT).
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

/* ----------------------------------------------------------------- radar */

/* Geometry of one radar: centre, radius, spokes and the value axis. */
typedef struct radar_geo {
    double cx, cy, r;    /* centre and outer radius */
    int n;               /* spokes (dimensions) */
    kit_axis ax;         /* the value axis (rings at its steps) */
    double px[8], py[8]; /* the data polygon's vertices */
} radar_geo;

/* The closed regular polygon of radius @p rr over the spokes, as a path. */
static void radar_polygon(srdi_canvas *c, const radar_geo *g, double rr)
{
    int n = g->n;
    for (int i = 0; i <= n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * (i % n) / n;
        if (i == 0)
            srdi_canvas_move_to(c, g->cx + rr * cos(a), g->cy + rr * sin(a));
        else
            srdi_canvas_line_to(c, g->cx + rr * cos(a), g->cy + rr * sin(a));
    }
}

/* Rings at every axis step, the spokes, and the dashed benchmark ring at 100. */
static void radar_grid(srdi_canvas *c, const radar_geo *g)
{
    int nr = (int)llround(g->ax.max / g->ax.step);
    for (int k = 1; k <= nr; k++) {
        radar_polygon(c, g, g->r * k / nr);
        srdi_canvas_stroke(c, kit_grid_c, 0.6, NULL, 0);
    }
    for (int i = 0; i < g->n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / g->n;
        kit_line(c, g->cx, g->cy, g->cx + g->r * cos(a), g->cy + g->r * sin(a), kit_grid_c, 0.6, false);
    }
    static const double dash[2] = {3, 2};
    radar_polygon(c, g, g->r * 100 / g->ax.max);
    srdi_canvas_stroke(c, kit_axis_c, 1.2, dash, 2);
}

/* The series polygon (filled, outlined, with markers); its vertices into g->px / g->py. */
static void radar_series(srdi_canvas *c, const cats *d, radar_geo *g)
{
    int n = g->n;
    double *px = g->px, *py = g->py;
    for (int i = 0; i < n; i++) {
        double v = d->ok[0][i] ? fmax(0, d->v[0][i]) : 0;
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        px[i] = g->cx + g->r * v / g->ax.max * cos(a);
        py[i] = g->cy + g->r * v / g->ax.max * sin(a);
        if (i == 0)
            srdi_canvas_move_to(c, px[i], py[i]);
        else
            srdi_canvas_line_to(c, px[i], py[i]);
    }
    srdi_canvas_close_path(c);
    srdi_canvas_fill(c, kit_alpha(kit_pal[0], 0.22));
    for (int i = 0; i <= n; i++) {
        if (i == 0)
            srdi_canvas_move_to(c, px[0], py[0]);
        else
            srdi_canvas_line_to(c, px[i % n], py[i % n]);
    }
    srdi_canvas_stroke(c, kit_pal[0], 1.6, NULL, 0);
    for (int i = 0; i < n; i++) kit_circle(c, px[i], py[i], 2.2, kit_pal[0]);
}

/*
 * Ring values along the gap between two spokes where the data polygon is
 * smallest, on a white ground; a value whose box would touch the data
 * polygon's outline or a marker (or comes within RING_CLEAR of them) is left out (the ring is still readable
 * from its neighbours), and so is 100, the benchmark polygon's ring (图表41
 * set "100" on the dashed 单项冠军 outline).
 */
#define RING_CLEAR 3.0 /* pt between a ring value's box and the data polygon */

static void radar_ring_values(srdi_canvas *c, const radar_geo *g)
{
    int n = g->n, gap = 0;
    const double *px = g->px, *py = g->py;
    double cx = g->cx, cy = g->cy, gap_r = INFINITY;
    for (int i = 0; i < n; i++) {
        /* the polygon edge i → i+1 crosses the mid-angle at about the mean radius */
        double r0 = hypot(px[i] - cx, py[i] - cy), r1 = hypot(px[(i + 1) % n] - cx, py[(i + 1) % n] - cy);
        double a = -M_PI / 2 + 2 * M_PI * (i + 0.5) / n, up = -sin(a);
        double score = (r0 + r1) / 2 - up * 0.01 * g->r; /* ties: the upper gap */
        if (score < gap_r - 1e-9) {
            gap_r = score;
            gap = i;
        }
    }
    double ga = -M_PI / 2 + 2 * M_PI * (gap + 0.5) / n;
    srdi_font tf = kit_font(KIT_FS_TICK, false);
    int nr = (int)llround(g->ax.max / g->ax.step);
    char buf[64];
    for (int k = 1; k <= nr; k++) {
        /* the ring at 100 is the dashed benchmark polygon: its value, set on
           it, would read as a point of it; the legend names it (=100) */
        if (fabs(g->ax.step * k - 100) < 1e-9) continue;
        kit_axis_label(&g->ax, g->ax.step * k, buf, sizeof buf);
        double rr = g->r * k / nr * cos(M_PI / n); /* the ring's edge at the mid-angle */
        double tw = kit_tw(c, tf, buf), th = tf.size * 1.2;
        double lx = cx + rr * cos(ga), ly = cy + rr * sin(ga);
        kit_box b = {lx - tw / 2 - 1, ly - th / 2, tw + 2, th};
        /* clear of the outline by a margin: a value set against the line reads as a point of it */
        kit_box m = {b.x - RING_CLEAR, b.y - RING_CLEAR, b.w + 2 * RING_CLEAR, b.h + 2 * RING_CLEAR};
        bool clash = false;
        for (int i = 0; i < n && !clash; i++)
            clash = kit_seg_box(px[i], py[i], px[(i + 1) % n], py[(i + 1) % n], m) ||
                    kit_box_overlap(m, (kit_box){px[i] - 3, py[i] - 3, 6, 6});
        if (clash) continue;
        kit_rect_fill(c, b.x, b.y, b.w, b.h, kit_alpha(kit_white, 0.85));
        kit_text_mid(c, tf, lx, ly, 1, buf, kit_muted_c);
    }
}

/* The dimension labels outside the spokes, each with its value below. */
static void radar_labels(srdi_canvas *c, const cats *d, const radar_geo *g)
{
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    char buf[64];
    for (int i = 0; i < g->n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / g->n;
        double ca = cos(a), sa = sin(a);
        double lx = g->cx + (g->r + 8) * ca, ly = g->cy + (g->r + 8) * sa;
        int align = ca > 0.25 ? 0 : ca < -0.25 ? 2 : 1;
        double l1 = ly, l2;
        if (sa < -0.5) {
            l1 = ly - KIT_FS_LABEL * 1.9;
        } else if (sa > 0.5) {
            l1 = ly + KIT_FS_LABEL * 0.6;
        } else
            l1 = ly - KIT_FS_LABEL * 0.65;
        l2 = l1 + KIT_FS_LABEL * 1.3;
        kit_text_mid(c, kit_font(KIT_FS_LABEL, true), lx, l1, align, d->label[i], kit_text_c);
        if (d->ok[0][i])
            kit_fmt(d->v[0][i], SRDI_COL_SCORE, -1, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "—");
        kit_text_mid(c, lf, lx, l2, align, buf, kit_pal[0]);
    }
}

/*
 * Radar of the five dimensions: a dashed benchmark polygon at 100 and the
 * table's "score" polygon, labelled with their values.
 */
static void radar(chart_ctx *x, const char *bench_name, const char *series)
{
    srdi_canvas *c = x->c;
    cseries s = {"score", series, 0, 0};
    cats d;
    if (!chart_gather_or_nodata(x, &s, 1, 8, 3, &d)) return;
    const char *names[2] = {bench_name, series};
    srdi_rgba cols[2] = {kit_axis_c, kit_pal[0]};
    int kinds[2] = {KIT_LEG_DASH, KIT_LEG_BOX};
    double top = x->y + kit_legend(c, x->x + x->w / 2, x->y, names, cols, kinds, 2) + 8;
    double vmax = 100;
    for (int i = 0; i < d.n; i++)
        if (d.ok[0][i]) vmax = fmax(vmax, d.v[0][i]);
    radar_geo g = {.n = d.n};
    kit_axis_nice(&g.ax, 0, vmax, 5, false);
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    double maxlab = 0;
    for (int i = 0; i < d.n; i++) maxlab = fmax(maxlab, kit_tw(c, lf, d.label[i]));
    double ph = x->y + x->h - top;
    g.r = fmin((x->w - 2 * maxlab - 24) / 2, (ph - 2 * KIT_FS_LABEL * 2.4) / 2);
    if (g.r < 20) g.r = 20;
    g.cx = x->x + x->w / 2;
    g.cy = top + ph / 2 + KIT_FS_LABEL * 0.2;
    radar_grid(c, &g);
    radar_series(c, &d, &g);
    radar_ring_values(c, &g);
    radar_labels(c, &d, &g);
}

/* ----------------------------------------------------------------- donut */

/* A donut slice: label, value, share and its placed label. */
typedef struct slice {
    const char *label;
    double v;
    double a0, a1;
    double ly; /* label y */
    int side;  /* 0 right, 1 left */
} slice;

/* Sort helper: by desired label y. */
static int by_ly(const void *a, const void *b)
{
    const slice *x = *(slice *const *)a, *y = *(slice *const *)b;
    return (x->ly > y->ly) - (x->ly < y->ly);
}

/* The slices of the positive values of @p d: at most 8, the rest merged into 其他; their count. */
static int donut_slices(const cats *d, slice sl[10])
{
    int n = 0;
    double rest = 0;
    for (int i = 0; i < d->n; i++) {
        if (!d->ok[0][i] || d->v[0][i] <= 0) continue;
        if (n < 8)
            sl[n++] = (slice){d->label[i], d->v[0][i], 0, 0, 0, 0};
        else
            rest += d->v[0][i];
    }
    if (rest > 0) sl[n++] = (slice){"其他", rest, 0, 0, 0, 0};
    return n;
}

/* The label of slice @p s: "美国（25.97%）", the share in full-width brackets as
   the text sets it ("广东省（13.57%）"): no space between a Han character and a
   digit (the one CJK spacing rule, srdi_cjk_spacing). */
static void donut_label(const slice *s, double total, char *buf, size_t size)
{
    char pct[32];
    kit_fmt(s->v / total, SRDI_COL_SHARE, -1, pct, sizeof pct);
    snprintf(buf, size, "%s（%s）", s->label, pct);
}

/*
 * Push the labels of each side apart (at least @p lh between them) and
 * inside [top + lh/2, bottom - lh/2].
 */
static void donut_spread(slice *sl, int n, double top, double bottom, double lh)
{
    for (int side = 0; side < 2; side++) {
        slice *ord[10];
        int m = 0;
        for (int i = 0; i < n; i++)
            if (sl[i].side == side) ord[m++] = &sl[i];
        qsort(ord, (size_t)m, sizeof ord[0], by_ly);
        double lo = top + lh / 2, hi = bottom - lh / 2;
        for (int k = 0; k < m; k++) {
            if (ord[k]->ly < lo) ord[k]->ly = lo;
            if (k > 0 && ord[k]->ly < ord[k - 1]->ly + lh) ord[k]->ly = ord[k - 1]->ly + lh;
        }
        for (int k = m - 1; k >= 0; k--) {
            if (ord[k]->ly > hi) ord[k]->ly = hi;
            if (k < m - 1 && ord[k]->ly > ord[k + 1]->ly - lh) ord[k]->ly = ord[k + 1]->ly - lh;
        }
    }
}

/* "合计" and the table's total count (with its unit) in the hole, when the table has one. */
static void donut_total(const chart_ctx *x, double cx, double cy)
{
    int tr = srdi_table_row(x->t, "total");
    double tv;
    char buf[160];
    if (tr < 0 || !kit_num(x->t, tr, "count", &tv)) return;
    kit_fmt_int(tv, buf, sizeof buf);
    const srdi_tcol *cc = kit_col(x->t, "count");
    if (cc && cc->unit && *cc->unit) {
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof buf - l, "%s", cc->unit);
    }
    kit_text_mid(x->c, kit_font(KIT_FS_LABEL, false), cx, cy - KIT_FS_LABEL * 0.7, 1, "合计", kit_muted_c);
    kit_text_mid(x->c, kit_font(10, true), cx, cy + KIT_FS_LABEL * 0.7, 1, buf, kit_text_c);
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
    chart_gather(x->t, &s, 1, MAXCAT, &d);
    slice sl[10];
    double total = 0;
    for (int i = 0; i < d.n; i++)
        if (d.ok[0][i] && d.v[0][i] > 0) total += d.v[0][i];
    if (d.n == 0 || total <= 0) {
        kit_nodata(c, x->x, x->y, x->w, x->h);
        return;
    }
    int n = donut_slices(&d, sl);
    srdi_font lf = kit_font(KIT_FS_LABEL, false);
    double lh = KIT_FS_LABEL * 1.45;
    double maxlab = 0;
    char buf[160];
    for (int i = 0; i < n; i++) {
        donut_label(&sl[i], total, buf, sizeof buf);
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
        srdi_rgba col = kit_pal[i % KIT_NPAL]; /* at most 8 slices and 其他 */
        if (strcmp(sl[i].label, "其他") == 0) col = (srdi_rgba){0.7, 0.7, 0.7, 1};
        srdi_canvas_arc(c, cx, cy, r, sl[i].a0, sl[i].a1);
        srdi_canvas_arc(c, cx, cy, ri, sl[i].a1, sl[i].a0);
        srdi_canvas_close_path(c);
        srdi_canvas_fill(c, col);
        /* white separators */
        kit_line(c, cx + ri * cos(sl[i].a0), cy + ri * sin(sl[i].a0), cx + r * cos(sl[i].a0), cy + r * sin(sl[i].a0),
                 kit_white, 1.0, false);
        double mid = (sl[i].a0 + sl[i].a1) / 2;
        sl[i].side = cos(mid) >= 0 ? 0 : 1;
        sl[i].ly = cy + (r + 12) * sin(mid);
    }
    donut_spread(sl, n, x->y, x->y + x->h, lh);
    for (int i = 0; i < n; i++) {
        double mid = (sl[i].a0 + sl[i].a1) / 2;
        double ex = cx + (r + 2) * cos(mid), ey = cy + (r + 2) * sin(mid);
        double ox = cx + (r + 10) * cos(mid);
        double tx = sl[i].side == 0 ? cx + r + 22 : cx - r - 22;
        srdi_canvas_move_to(c, ex, ey);
        srdi_canvas_line_to(c, ox, sl[i].ly);
        srdi_canvas_line_to(c, tx + (sl[i].side == 0 ? -3 : 3), sl[i].ly);
        srdi_canvas_stroke(c, kit_axis_c, 0.6, NULL, 0);
        donut_label(&sl[i], total, buf, sizeof buf);
        kit_text_mid(c, lf, tx, sl[i].ly, sl[i].side == 0 ? 0 : 2, buf, kit_text_c);
    }
    donut_total(x, cx, cy);
}

/* The first series against the catalogue's reference ring. */
void chart_radar(chart_ctx *x)
{
    radar(x, x->def->ref_name, x->def->series[0].name);
}

void chart_donut(chart_ctx *x)
{
    donut(x, x->def->series[0].col);
}
