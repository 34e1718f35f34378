/*
 * src/charts/charts_matrix.c — charts on a grid or a plane: the heat map
 * (SRDI_DRAW_HEATMAP), the T12 quadrants (SRDI_DRAW_QUADRANT), the T27
 * bubble matrix (SRDI_DRAW_BUBBLE_MATRIX) and the M31 priority matrix
 * (SRDI_DRAW_PRIORITY).
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

/* --------------------------------------------------------------- heatmap */

/* Heat-map colours: light at the data minimum, dark blue at the maximum. */
static const srdi_rgba HEAT_LO = {0.95, 0.97, 0.99, 1}, HEAT_HI = {0.03, 0.25, 0.50, 1};

/*
 * Heat map: rows × every numeric column, cells coloured on a sequential
 * blue scale over the data range (minimum → maximum, not from 0), values
 * printed in the cells in the text colour that contrasts with the cell
 * (dark on light, white on dark), a colour scale legend underneath with
 * the minimum, the maximum and the ticks between them.  Columns without
 * any value are left out.
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
    /* no rows, no numeric columns, or not one value (a regional edition
       outside every cluster): the no-data box, not a grid of dashes */
    if (nr == 0 || nc == 0 || !(vmax >= vmin)) {
        kit_nodata(c, x->x, x->y, x->w, x->h);
        return;
    }
    /* a column without a value in any row (a cluster outside a regional
       edition's area) is left out, unless no column has one */
    int kept = 0;
    for (int k = 0; k < nc; k++) {
        bool has = false;
        for (int i = 0; i < nr && !has; i++) {
            const srdi_cell *ce = &t->rows[rows[i]].cells[cols[k]];
            has = ce->kind == SRDI_CELL_NUM && isfinite(ce->num);
        }
        if (has) cols[kept++] = cols[k];
    }
    if (kept > 0) nc = kept;
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
    double pw = fmin(x->w - labw - 8, nc * 110.0), cw = pw / nc;
    double px = x->x + labw + 8 + (x->w - labw - 8 - pw) / 2; /* labels and cells centred in the box */
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
    /* at least 180 pt long, so the ticks between the ends have room with
       one column (a regional edition inside one cluster) as with three */
    double by = x->y + x->h - foot + 10, bw = fmin(fmax(pw * 0.7, 180), 260), bx = px + (pw - bw) / 2, bh = 7;
    kit_fmt(vmin, c0->type, c0->decimals, buf, sizeof buf);
    double lo_w = kit_tw(c, tf, buf) + 4;
    kit_fmt(vmax, c0->type, c0->decimals, buf, sizeof buf);
    double hi_w = kit_tw(c, tf, buf) + 4;
    if (bw > x->w - lo_w - hi_w) bw = x->w - lo_w - hi_w;
    if (bx - lo_w < x->x) bx = x->x + lo_w;
    if (bx + bw + hi_w > x->x + x->w) bx = x->x + x->w - hi_w - bw;
    for (int i = 0; i < 48; i++)
        kit_rect_fill(c, bx + bw * i / 48, by, bw / 48 + 0.3, bh, kit_mix(HEAT_LO, HEAT_HI, i / 47.0));
    kit_rect_stroke(c, bx, by, bw, bh, kit_grid_c, 0.4);
    kit_fmt(vmin, c0->type, c0->decimals, buf, sizeof buf);
    kit_text(c, tf, bx - 4, by + bh, 2, buf, kit_text_c);
    kit_fmt(vmax, c0->type, c0->decimals, buf, sizeof buf);
    kit_text(c, tf, bx + bw + 4, by + bh, 0, buf, kit_text_c);
    kit_axis ax;
    kit_axis_nice(&ax, 0, span, 5, c0->type == SRDI_COL_SHARE);
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

void chart_heatmap(chart_ctx *x)
{
    heatmap(x);
}

/*
 * T12: 2×2 quadrants (x: scale, y: innovation), each cell with a bubble
 * whose area is the quadrant's share of P, its share and national share.
 */
void chart_quadrant(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    static const struct {
        const char *key, *name;
        int col, row;
    } q[4] = {{"low_scale_high_innovation", "低规模—高创新", 0, 0},
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
        if (ok[i]) {
            any = true;
            smax = fmax(smax, sh[i]);
        }
    }
    if (!any) {
        kit_nodata(c, x->x, x->y, x->w, x->h);
        return;
    }
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
        srdi_rgba bg =
            q[i].col == 1 && q[i].row == 0 ? (srdi_rgba){0.90, 0.94, 0.98, 1} : (srdi_rgba){0.97, 0.97, 0.97, 1};
        kit_rect_fill(c, bx + 1, by + 1, cw - 2, chh - 2, bg);
        /* a quadrant of no enterprise has no bubble (a 1.5 pt dot read as a stray mark) */
        if (ok[i] && smax > 0 && sh[i] > 0) {
            double rmax = fmin(cw, chh) * 0.36;
            double rr = rmax * sqrt(fmax(0, sh[i]) / smax);
            kit_circle(c, bx + cw * 0.72, by + chh * 0.56, fmax(rr, 1.5), kit_alpha(kit_pal[0], 0.55));
        }
        kit_text(c, bf, bx + 8, by + 16, 0, q[i].name, kit_text_c);
        char buf[96];
        char pct[32];
        if (ok[i])
            kit_fmt(sh[i], SRDI_COL_SHARE, -1, pct, sizeof pct), snprintf(buf, sizeof buf, "企业占比%s", pct);
        else
            snprintf(buf, sizeof buf, "企业占比 —");
        kit_text(c, lf, bx + 8, by + 32, 0, buf, kit_text_c);
        /* a quadrant of no enterprise has no national share: it says why
           (the 青海省 edition of sample n 6000 seed 8080: "国家级占比 —") */
        if (ok[i] && sh[i] == 0)
            snprintf(buf, sizeof buf, "本象限没有企业");
        else if (okn[i])
            kit_fmt(ns[i], SRDI_COL_SHARE, -1, pct, sizeof pct), snprintf(buf, sizeof buf, "国家级占比%s", pct);
        else
            snprintf(buf, sizeof buf, "国家级占比 —");
        kit_text(c, lf, bx + 8, by + 45, 0, buf, kit_muted_c);
    }
    /* axes: scale to the right, innovation upwards */
    char buf[128];
    kit_line(c, px, py + ph, px + pw, py + ph, kit_axis_c, 0.8, false);
    kit_line(c, px, py, px, py + ph, kit_axis_c, 0.8, false);
    snprintf(buf, sizeof buf, "参保人数≤%g人", staff);
    kit_text(c, tf, px + cw / 2, py + ph + KIT_FS_TICK + 3, 1, buf, kit_muted_c);
    snprintf(buf, sizeof buf, "参保人数>%g人", staff);
    kit_text(c, tf, px + cw * 1.5, py + ph + KIT_FS_TICK + 3, 1, buf, kit_muted_c);
    kit_text(c, lf, px + pw / 2, py + ph + 2 * KIT_FS_LABEL + 6, 1, "企业规模 →", kit_text_c);
    for (int r = 0; r < 2; r++) {
        double my = py + chh * (0.5 + r);
        kit_text(c, tf, px - 4, my - 1, 2, "专利", kit_muted_c);
        kit_text(c, tf, px - 4, my + KIT_FS_TICK + 1, 2, tk[r], kit_muted_c);
    }
    srdi_canvas_text_vertical(c, lf, x->x + KIT_FS_LABEL / 2 + 1, py + ph / 2, "创新能力 →", kit_text_c);
}

/* Clear space kept around a point label (to other labels, points, lines). */
#define LBL_PAD 1.5

/*
 * How much box @p b covers the disc (cx, cy, r): 0 when they do not meet,
 * else the overlap of the box with the disc's bounding square (at least 1).
 */
static double disc_overlap(kit_box b, double cx, double cy, double r)
{
    double nx = fmin(fmax(cx, b.x), b.x + b.w), ny = fmin(fmax(cy, b.y), b.y + b.h);
    if (hypot(nx - cx, ny - cy) >= r) return 0;
    return fmax(1, kit_box_overlap_area(b, (kit_box){cx - r, cy - r, 2 * r, 2 * r}));
}

/* Box @p b grown by @p d on every side. */
static kit_box grow(kit_box b, double d)
{
    return (kit_box){b.x - d, b.y - d, b.w + 2 * d, b.h + 2 * d};
}

/* Where the labels of a point chart go: boxes placed so far (the plot's
   fixed marks first, then the labels) and the leader lines drawn. */
typedef struct lbl_room {
    kit_box box[MAXCAT * 2 + 8];
    int nbox, first; /* boxes; box[first..nbox) are labels */
    double seg[MAXCAT][4];
    int nseg;
} lbl_room;

/*
 * Overlap of the label box @p b of point @p self, with LBL_PAD of clear
 * space round it, with the boxes and leader lines of @p r and the discs of
 * the points (discs[j] > 0); another point's disc counts 3 pt larger, so
 * a label never sits closer to another point than to its own.
 */
static double label_clash(kit_box b, int self, const lbl_room *r, int n, const double *ptx, const double *pty,
                          const double *discs)
{
    kit_box g = grow(b, LBL_PAD);
    /* two labels level with each other keep a wider gap (4 pt more on
       either side), so they never read as one run of text; two stacked
       one above the other keep 2.5 pt more above and below, so they never
       read as one block of two lines (图表32 of the national build:
       企业技术中心 set right on top of 软件著作权) */
    kit_box gl = {g.x - 4, g.y - 2.5, g.w + 8, g.h + 5};
    double area = 0;
    for (int j = 0; j < r->nbox; j++) area += kit_box_overlap_area(j >= r->first ? gl : g, r->box[j]);
    for (int j = 0; j < r->nseg; j++)
        if (kit_seg_box(r->seg[j][0], r->seg[j][1], r->seg[j][2], r->seg[j][3], g)) area += 1;
    for (int j = 0; discs && j < n; j++)
        if (discs[j] > 0) area += disc_overlap(j == self ? b : g, ptx[j], pty[j], discs[j] + (j == self ? 0 : 3));
    return area;
}

/*
 * How far box @p b reads from the disc (cx, cy, r): the gap between the
 * disc's rim and the box, with its horizontal part counted half — a label
 * level with a point, beside it, reads as that point's label even a little
 * further off than one above or below it.
 */
static double read_gap(kit_box b, double cx, double cy, double r)
{
    double dx = fmax(fmax(b.x - cx, 0), cx - (b.x + b.w)), dy = fmax(fmax(b.y - cy, 0), cy - (b.y + b.h));
    double l = hypot(dx, dy);
    if (l <= r) return 0;
    return (l - r) * hypot(0.5 * dx, dy) / l;
}

/*
 * Would label box @p b, next to point @p self, read as the label of another
 * point?  True when some other point's disc (discs[j] > 0) is within 1.5
 * times its own reading gap (read_gap) plus 2.5 pt (half a point more than
 * test_charts_matrix allows, so a label never sits at the limit): two
 * near-coincident points, or a label set level with a neighbour.
 */
static bool label_ambiguous(kit_box b, int self, int n, const double *ptx, const double *pty, const double *discs)
{
    double own = read_gap(b, ptx[self], pty[self], discs[self]);
    for (int j = 0; j < n; j++)
        if (j != self && discs[j] > 0 && read_gap(b, ptx[j], pty[j], discs[j]) < 1.5 * own + 2.5) return true;
    return false;
}

/* Does box @p b read closer than 6 pt to a point other than @p self (read_gap)?  A label at the end of
   a leader set level with another marker 4.3 pt off read as that marker's (图表38 of the 深圳市 edition of
   sample n 30000 seed 9191: 工程技术研究中心 beside 瞪羚企业). */
static bool near_other(kit_box b, int self, int n, const double *ptx, const double *pty, const double *discs)
{
    for (int j = 0; j < n; j++)
        if (j != self && discs[j] > 0 && read_gap(b, ptx[j], pty[j], discs[j]) < 6) return true;
    return false;
}

/* Distance from (cx, cy) to the segment (x0, y0)–(x1, y1). */
static double seg_dist(double x0, double y0, double x1, double y1, double cx, double cy)
{
    double dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? fmin(1, fmax(0, ((cx - x0) * dx + (cy - y0) * dy) / l2)) : 0;
    return hypot(x0 + t * dx - cx, y0 + t * dy - cy);
}

/* Do the segments (ax0, ay0)–(ax1, ay1) and @p b (x0, y0, x1, y1) cross (not meeting at an end)? */
static bool seg_cross(double ax0, double ay0, double ax1, double ay1, const double b[4])
{
    double d1 = (b[2] - b[0]) * (ay0 - b[1]) - (b[3] - b[1]) * (ax0 - b[0]);
    double d2 = (b[2] - b[0]) * (ay1 - b[1]) - (b[3] - b[1]) * (ax1 - b[0]);
    double d3 = (ax1 - ax0) * (b[1] - ay0) - (ay1 - ay0) * (b[0] - ax0);
    double d4 = (ax1 - ax0) * (b[3] - ay0) - (ay1 - ay0) * (b[2] - ax0);
    return d1 * d2 < 0 && d3 * d4 < 0;
}

/*
 * Does the leader from point @p self to (lx, ly) cross a leader placed
 * before it (the 西藏自治区 edition of sample n 30000 seed 9191: three
 * leaders from points at lift 0 crossed, the labels in the reverse order
 * of their points)?
 */
static bool leader_crosses(int self, double lx, double ly, const lbl_room *r, const double *ptx, const double *pty)
{
    for (int j = 0; j < r->nseg; j++)
        if (seg_cross(ptx[self], pty[self], lx, ly, r->seg[j])) return true;
    return false;
}

/* Does the leader from point @p self to (lx, ly) cross another leader, another point's disc, a label or a quadrant name? */
static bool leader_clash(int self, double lx, double ly, const lbl_room *r, int n, const double *ptx,
                         const double *pty, const double *discs)
{
    if (leader_crosses(self, lx, ly, r, ptx, pty)) return true;
    for (int j = 0; j < n; j++)
        if (j != self && discs[j] > 0 && seg_dist(ptx[self], pty[self], lx, ly, ptx[j], pty[j]) < discs[j] + 2)
            return true;
    /* the labels placed so far and the plot's fixed texts (quadrant names;
       not the thin boxes that keep labels off the cut-off lines) */
    for (int j = 0; j < r->nbox; j++)
        if ((j >= r->first || (r->box[j].w > 3 && r->box[j].h > 3)) &&
            kit_seg_box(ptx[self], pty[self], lx, ly, grow(r->box[j], 1)))
            return true;
    return false;
}

/* A placed label: its box and whether a leader line joins it to its point. */
typedef struct lbl_spot {
    kit_box b;
    bool on, leader;
} lbl_spot;

/*
 * Place the labels of points (ptx, pty) with discs of radius discs[i]
 * inside the plot (px, py, pw, ph), in the order @p order: each at the
 * first of the places around its point (right, left, above, below, the
 * corners, then half a line up or down) where the label, with LBL_PAD
 * round it, meets nothing placed so far (@p r, updated), no point's disc,
 * no leader and neither axis, and does not read as another point's label
 * (label_ambiguous); else further out with a leader line that crosses no
 * other point, label or leader and a label clear of the other points
 * (failing that, one whose leader crosses no other leader; failing that,
 * one whose leader crosses); else at
 * the least crowded place next to the point.  label[i] NULL: no label.  Returns how many labels clash.
 */
static int place_labels(srdi_canvas *c, int n, const double *ptx, const double *pty, const double *discs,
                        const int *order, const char *const *label, lbl_room *r, double px, double py, double pw,
                        double ph, lbl_spot *out)
{
    srdi_font pf = kit_font(KIT_FS_VALUE, false);
    int clashes = 0;
    r->first = r->nbox;
    /* inside the plot, clear of the axes (left and bottom) */
    double xl = px + 3, xr = px + pw - 1, yt = py + 1, yb = py + ph - 2;
    for (int i = 0; i < n; i++) out[i] = (lbl_spot){{0, 0, 0, 0}, false, false};
    for (int oi = 0; oi < n; oi++) {
        int i = order[oi];
        if (!label[i]) continue;
        /* the label's box is the box its text covers (the font's ascent and descent) */
        double fa, fd;
        srdi_font_extents(c->fonts, pf, &fa, &fd);
        double rad = discs[i] + 1, w = kit_tw(c, pf, label[i]), h = fa + fd;
        kit_box cand[14] = {{ptx[i] + rad + 2, pty[i] - h / 2, w, h},
                            {ptx[i] - rad - 2 - w, pty[i] - h / 2, w, h},
                            {ptx[i] - w / 2, pty[i] - rad - 2 - h, w, h},
                            {ptx[i] - w / 2, pty[i] + rad + 2, w, h},
                            {ptx[i] + rad, pty[i] - rad - h, w, h},
                            {ptx[i] - rad - w, pty[i] - rad - h, w, h},
                            {ptx[i] + rad, pty[i] + rad, w, h},
                            {ptx[i] - rad - w, pty[i] + rad, w, h},
                            {ptx[i] + rad + 2, pty[i] + h / 2 + 1, w, h},
                            {ptx[i] + rad + 2, pty[i] - 1.5 * h - 1, w, h},
                            {ptx[i] - rad - 2 - w, pty[i] + h / 2 + 1, w, h},
                            {ptx[i] - rad - 2 - w, pty[i] - 1.5 * h - 1, w, h},
                            {ptx[i] - w / 2, pty[i] - rad - 3 - 2 * h, w, h},
                            {ptx[i] - w / 2, pty[i] + rad + 3 + h, w, h}};
        /* a label centred above or below a point near the plot's edge
           slides inwards rather than leave its point */
        static const int centred[4] = {2, 3, 12, 13};
        for (int k = 0; k < 4; k++) cand[centred[k]].x = fmax(xl, fmin(cand[centred[k]].x, xr - w));
        int best = -1;
        double best_a = 1e18;
        for (int k = 0; k < 14; k++) {
            kit_box b = cand[k];
            if (b.x < xl || b.x + b.w > xr || b.y < yt || b.y + b.h > yb) continue;
            double area = label_clash(b, i, r, n, ptx, pty, discs);
            /* a label that would read as a neighbour's counts as a clash
               (half its own area): a place further out with a leader is
               preferred to it */
            if (label_ambiguous(b, i, n, ptx, pty, discs)) area += b.w * b.h / 2;
            if (area < best_a - 1e-9) {
                best_a = area;
                best = k;
            }
            if (area <= 0) break;
        }
        lbl_spot sp = {best >= 0 ? cand[best] : (kit_box){0, 0, 0, 0}, best >= 0, false};
        if (best < 0 || best_a > 0) {
            /* no free place next to the point: search further out for one
               whose leader crosses no other point or label */
            bool found = false;
            /* pass 0: a leader that crosses nothing; pass 1 (a tight
               cluster, where every way out passes a neighbour): a leader
               that may pass other points and labels but crosses no other
               leader, its label clear of the other points; pass 2: a free
               place, its leader crossing */
            for (int pass = 0; pass < 3 && !found; pass++)
                for (int ring = 1; ring <= 10 && !found; ring++)
                    for (int k = 0; k < 32 && !found; k++) {
                        double an = 2 * M_PI * k / 32, dist = rad + 4 + 7 * ring;
                        double bx = ptx[i] + dist * cos(an), byy = pty[i] + dist * sin(an);
                        kit_box cb = {cos(an) >= 0 ? bx : bx - w, byy - h / 2, w, h};
                        if (cb.x < xl || cb.x + cb.w > xr || cb.y < yt || cb.y + cb.h > yb) continue;
                        double lx = cos(an) >= 0 ? cb.x : cb.x + cb.w, ly = cb.y + cb.h / 2;
                        bool ok = pass == 2 || (pass == 1 ? !leader_crosses(i, lx, ly, r, ptx, pty)
                                                          : !leader_clash(i, lx, ly, r, n, ptx, pty, discs));
                        if (label_clash(cb, i, r, n, ptx, pty, discs) <= 0 && ok &&
                            (pass == 2 || !near_other(cb, i, n, ptx, pty, discs))) {
                            sp = (lbl_spot){cb, true, true};
                            found = true;
                        }
                    }
            if (!found && best >= 0) clashes++;
        }
        if (!sp.on) continue; /* nowhere inside the plot: leave the point unlabelled */
        if (sp.leader && r->nseg < MAXCAT) {
            double *sg = r->seg[r->nseg++];
            sg[0] = ptx[i];
            sg[1] = pty[i];
            sg[2] = sp.b.x + sp.b.w / 2 < ptx[i] ? sp.b.x + sp.b.w : sp.b.x;
            sg[3] = sp.b.y + sp.b.h / 2;
        }
        r->box[r->nbox++] = sp.b;
        out[i] = sp;
    }
    return clashes;
}

/*
 * Label the points: place_labels in the first of @p orders (norders of
 * them), and while some label clashes, in the next ones, keeping the first
 * placement with the fewest clashes; then
 * draw the labels and their leaders.  @p r holds the plot's fixed marks.
 * Each order lists all n points.
 */
static void label_points(srdi_canvas *c, int n, const double *ptx, const double *pty, const double *discs,
                         const int *const *orders, int norders, const char *const *label, const lbl_room *r, double px,
                         double py, double pw, double ph)
{
    lbl_spot best[MAXCAT], cur[MAXCAT];
    int best_k = -1;
    for (int k = 0; k < norders && best_k != 0; k++) {
        lbl_room room = *r;
        int cl = place_labels(c, n, ptx, pty, discs, orders[k], label, &room, px, py, pw, ph, cur);
        if (best_k < 0 || cl < best_k) {
            best_k = cl;
            memcpy(best, cur, sizeof(lbl_spot) * (size_t)n);
        }
    }
    srdi_font pf = kit_font(KIT_FS_VALUE, false);
    for (int i = 0; i < n; i++) {
        if (!best[i].on) continue;
        kit_box b = best[i].b;
        if (best[i].leader) {
            double rad = discs[i] + 1;
            double lx = b.x + b.w / 2 < ptx[i] ? b.x + b.w : b.x, ly = b.y + b.h / 2;
            double dx = lx - ptx[i], dy = ly - pty[i], dl = hypot(dx, dy);
            if (dl > rad) kit_line(c, ptx[i] + dx / dl * rad, pty[i] + dy / dl * rad, lx, ly, kit_axis_c, 0.5, false);
        }
        double fa;
        srdi_font_extents(c->fonts, pf, &fa, NULL);
        kit_text(c, pf, b.x, b.y + fa, 0, label[i], kit_text_c);
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

/* Is box @p b, grown by 2 pt, clear of every point's disc (discs[j] > 0)? */
static bool clear_of_points(kit_box b, int n, const double *ptx, const double *pty, const double *discs)
{
    for (int i = 0; i < n; i++)
        if (discs[i] > 0 && disc_overlap(grow(b, 2), ptx[i], pty[i], discs[i]) > 0) return false;
    return true;
}

/*
 * The four quadrant names of a point chart (top-left, top-right,
 * bottom-left, bottom-right of the cut-off lines at qx, qy), bold in
 * colours @p cols: each in its quadrant's outer corner, or — where a point's
 * disc (discs[j] > 0) would lie under it — in the first other corner of the
 * quadrant that is clear, else where it was.  Their boxes go into @p room
 * (labels and leaders keep off them).
 */
static void quadrant_names(srdi_canvas *c, lbl_room *room, const char *const names[4], const srdi_rgba cols[4],
                           double px, double py, double pw, double ph, double qx, double qy, int n, const double *ptx,
                           const double *pty, const double *discs)
{
    srdi_font qf = kit_font(KIT_FS_TICK, true);
    double h = KIT_FS_TICK + 2;
    for (int k = 0; k < 4; k++) {
        double w = kit_tw(c, qf, names[k]);
        /* the quadrant's box */
        double x0 = k % 2 ? qx : px, x1 = k % 2 ? px + pw : qx, y0 = k < 2 ? py : qy, y1 = k < 2 ? qy : py + ph;
        /* its corners, the outer one first: left or right, top or bottom */
        bool right = k % 2, top = k < 2;
        kit_box cand[4];
        for (int j = 0; j < 4; j++) {
            bool r = j & 1 ? !right : right, t = j & 2 ? !top : top;
            cand[j] = (kit_box){r ? x1 - 4 - w : x0 + 4, t ? y0 + 10 - KIT_FS_TICK : y1 - 4 - KIT_FS_TICK, w, h};
        }
        kit_box best = cand[0];
        bool found = false;
        for (int j = 0; j < 4 && !found; j++) {
            kit_box b = cand[j];
            if (b.x < x0 + 2 || b.x + b.w > x1 - 2 || b.y < y0 || b.y + b.h > y1) continue;
            if (clear_of_points(b, n, ptx, pty, discs)) {
                best = b;
                found = true;
            }
        }
        /* no corner clear (a quadrant as thin as the name, a point in each
           corner: the 西藏自治区 edition's 高普及·低价值 under a cut-off of
           1.5 on an axis to 20, 高新技术企业 at its outer corner and
           科技型中小企业 at its inner one): the name slides along the
           quadrant's outer edge, then its inner one, from the outer side,
           to the first place clear of the points */
        for (int j = 0; j < 2 && !found; j++) {
            kit_box b = cand[j == 0 ? 0 : 2];
            double step = right ? -2 : 2;
            for (double x = b.x; !found && x >= x0 + 2 - 1e-9 && x + b.w <= x1 - 2 + 1e-9; x += step) {
                kit_box t = {x, b.y, b.w, b.h};
                if (t.y < y0 || t.y + t.h > y1) break;
                if (clear_of_points(t, n, ptx, pty, discs)) {
                    best = t;
                    found = true;
                }
            }
        }
        kit_text(c, qf, best.x, best.y + KIT_FS_TICK, 0, names[k], cols[k]);
        room->box[room->nbox++] = best;
    }
}

/*
 * T27: honors as points by holding rate (x) and lift (y), quadrant lines at
 * the params cut-offs, quadrant names in the corners, point labels placed
 * where they overlap nothing.
 */
void chart_bubble_matrix(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    const srdi_table *t = x->t;
    cats d;
    chart_gather(t, x->def->series, 2, MAXCAT, &d);
    int n = 0;
    for (int i = 0; i < d.n; i++)
        if (d.ok[0][i] && d.ok[1][i]) n++;
    if (n == 0) {
        kit_nodata(c, x->x, x->y, x->w, x->h);
        return;
    }
    double rcut = x->p ? srdi_params_num(x->p, "t27", "rate_cut", 0.5) : 0.5;
    double lcut = x->p ? srdi_params_num(x->p, "t27", "lift_cut", 1.5) : 1.5;
    double lmax = lcut * 1.3;
    for (int i = 0; i < d.n; i++)
        if (d.ok[1][i]) lmax = fmax(lmax, d.v[1][i] * 1.1);
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
    double ptx[MAXCAT], pty[MAXCAT], rad = 3.6, marks[MAXCAT];
    for (int i = 0; i < d.n; i++) {
        marks[i] = 0;
        if (!(d.ok[0][i] && d.ok[1][i])) continue;
        ptx[i] = px + pw * fmin(fmax(d.v[0][i], 0), ax.max) / ax.max;
        pty[i] = kit_ymap(&ay, fmin(fmax(d.v[1][i], 0), ay.max), py + ph, py);
        marks[i] = rad + 0.7;
    }
    lbl_room room = {0};
    const srdi_rgba qc = {0.60, 0.60, 0.60, 1}, qcs[4] = {qc, qc, qc, qc};
    const char *const qn[4] = {"低普及·高价值", "高普及·高价值", "低普及·低价值", "高普及·低价值"};
    quadrant_names(c, &room, qn, qcs, px, py, pw, ph, qx, qy, d.n, ptx, pty, marks);
    room.box[room.nbox++] = (kit_box){px, qy - 1, pw, 2}; /* labels keep off the cut-off lines */
    room.box[room.nbox++] = (kit_box){qx - 1, py, 2, ph};
    /* points that coincide (centres within 1 pt: the same holding rate and
       lift, as 专精特新小巨人 and 企业技术中心 of an edition of eleven
       enterprises) are one marker with one label naming them all,
       专精特新小巨人、企业技术中心; lead[i] is the first of i's group */
    int lead[MAXCAT];
    char joined[MAXCAT][128];
    for (int i = 0; i < d.n; i++) {
        lead[i] = i;
        joined[i][0] = '\0';
        if (!(d.ok[0][i] && d.ok[1][i])) continue;
        for (int j = 0; j < i; j++)
            if (d.ok[0][j] && d.ok[1][j] && lead[j] == j && hypot(ptx[j] - ptx[i], pty[j] - pty[i]) < 1) {
                lead[i] = j;
                break;
            }
        if (lead[i] == i) {
            snprintf(joined[i], sizeof joined[i], "%s", d.label[i]);
        } else {
            size_t l = strlen(joined[lead[i]]);
            snprintf(joined[lead[i]] + l, sizeof joined[0] - l, "、%s", d.label[i]);
            marks[i] = 0;
        }
    }
    for (int i = 0; i < d.n; i++) {
        if (!(d.ok[0][i] && d.ok[1][i]) || lead[i] != i) continue;
        /* small translucent markers with a white rim: points that nearly
           coincide stay visible as two overlapping discs */
        bool high = d.v[0][i] >= rcut && d.v[1][i] >= lcut;
        srdi_rgba col = high ? kit_pal[3] : kit_pal[0];
        /* a marker whose disc meets another's (the national build's 绿色工厂
           and 工程技术研究中心, 0.1% and 0.28 of lift apart, overlapped by
           2 pt and read as one darker dot) is a ring over a light disc:
           two rings crossing read as two markers */
        bool ring = false;
        for (int j = 0; j < d.n && !ring; j++)
            ring = j != i && d.ok[0][j] && d.ok[1][j] && lead[j] == j &&
                   hypot(ptx[j] - ptx[i], pty[j] - pty[i]) < 2 * (rad + 0.7);
        if (ring) {
            kit_circle(c, ptx[i], pty[i], rad, kit_alpha(col, 0.25));
            srdi_canvas_arc(c, ptx[i], pty[i], rad - 0.5, 0, 2 * M_PI);
            srdi_canvas_close_path(c);
            srdi_canvas_stroke(c, col, 1.0, NULL, 0);
            continue;
        }
        srdi_canvas_arc(c, ptx[i], pty[i], rad + 0.7, 0, 2 * M_PI);
        srdi_canvas_close_path(c);
        srdi_canvas_stroke(c, kit_white, 1.0, NULL, 0);
        kit_circle(c, ptx[i], pty[i], rad, kit_alpha(col, 0.7));
    }
    /* labels keep off every marker (the white rim included); the points
       with most neighbours, which have the fewest free places, first */
    const char *plabel[MAXCAT];
    double discs[MAXCAT];
    int ord[MAXCAT], near[MAXCAT], m = 0;
    for (int i = 0; i < d.n; i++) {
        bool on = d.ok[0][i] && d.ok[1][i] && lead[i] == i;
        plabel[i] = on ? joined[i] : NULL;
        discs[i] = on ? rad + 0.7 : 0;
        near[i] = 0;
        for (int j = 0; on && j < d.n; j++)
            if (j != i && d.ok[0][j] && d.ok[1][j] && lead[j] == j && hypot(ptx[j] - ptx[i], pty[j] - pty[i]) < 40)
                near[i]++;
        ord[m++] = i;
    }
    for (int a = 1; a < m; a++)
        for (int b = a; b > 0 && near[ord[b]] > near[ord[b - 1]]; b--) {
            int tmp = ord[b];
            ord[b] = ord[b - 1];
            ord[b - 1] = tmp;
        }
    /* when some label finds no free place: the data order, then the least
       crowded first */
    int plain[MAXCAT], rev[MAXCAT];
    for (int i = 0; i < m; i++) {
        plain[i] = i;
        rev[i] = ord[m - 1 - i];
    }
    const int *orders[3] = {ord, plain, rev};
    label_points(c, d.n, ptx, pty, discs, orders, 3, plabel, &room, px, py, pw, ph);
}

/*
 * M31: evaluation elements by policy importance (x, 0–100) and gap (y,
 * 0–100), bubble area ∝ attention, quadrant lines at [priority]
 * importance_cut / gap_cut and the four zones named in their corners;
 * bubbles coloured by zone, translucent with a white rim, labels placed
 * where they overlap nothing.
 */
void chart_priority(chart_ctx *x)
{
    srdi_canvas *c = x->c;
    cats d;
    chart_gather(x->t, x->def->series, 3, MAXCAT, &d);
    int n = 0;
    double amax = 0;
    for (int i = 0; i < d.n; i++)
        if (d.ok[0][i] && d.ok[1][i]) {
            n++;
            if (d.ok[2][i]) amax = fmax(amax, d.v[2][i]);
        }
    if (n == 0) {
        kit_nodata(c, x->x, x->y, x->w, x->h);
        return;
    }
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
    /* zones: name in the outer corner (quadrant_names), bubble colour */
    static const char *const zone[4] = {"第二优先区", "第一优先区", "基础达标区", "保持优势区"};
    /* neighbouring zones in distinct hues (orange beside vermillion was too close: ΔE 33) */
    const srdi_rgba zc[4] = {kit_pal[7], kit_pal[3], kit_pal[4], kit_pal[2]};
    double ptx[MAXCAT], pty[MAXCAT], rads[MAXCAT], marks[MAXCAT];
    const char *plabel[MAXCAT];
    double rmax = fmin(pw, ph) * 0.075;
    for (int i = 0; i < d.n; i++) {
        plabel[i] = NULL;
        marks[i] = 0;
        if (!(d.ok[0][i] && d.ok[1][i])) continue;
        ptx[i] = px + pw * fmin(fmax(d.v[0][i], 0), 100) / 100;
        pty[i] = kit_ymap(&ay, fmin(fmax(d.v[1][i], 0), 100), py + ph, py);
        rads[i] = d.ok[2][i] && amax > 0 ? fmax(3, rmax * sqrt(fmax(0, d.v[2][i]) / amax)) : 3;
        plabel[i] = d.label[i];
        marks[i] = rads[i] + 0.6;
    }
    lbl_room room = {0};
    const srdi_rgba zink[4] = {kit_ink(zc[0]), kit_ink(zc[1]), kit_ink(zc[2]), kit_ink(zc[3])};
    quadrant_names(c, &room, zone, zink, px, py, pw, ph, qx, qy, d.n, ptx, pty, marks);
    room.box[room.nbox++] = (kit_box){px, qy - 1, pw, 2};
    room.box[room.nbox++] = (kit_box){qx - 1, py, 2, ph};
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
    }
    /* labels keep off every bubble (the white rim included); the big
       bubbles, which have the fewest free places, are labelled first */
    double discs[MAXCAT];
    for (int i = 0; i < d.n; i++) discs[i] = plabel[i] ? rads[i] + 1 : 0;
    for (int i = 0; i < d.n; i++)
        if (!plabel[i]) ord[m++] = i; /* unlabelled points close the order */
    const int *orders[1] = {ord};
    label_points(c, d.n, ptx, pty, discs, orders, 1, plabel, &room, px, py, pw, ph);
}
